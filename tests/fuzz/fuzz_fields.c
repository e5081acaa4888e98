/*
 * The plaintext codec every envelope carries (util/fields.c) and the text
 * checks applied to what it holds: the first byte picks the magic (concern,
 * message, attachment, reply). Properties: a decoded header re-encodes to
 * exactly the bytes it came from, and every value points inside the input.
 */
#include "tests/fuzz/fuzz.h"
#include "util/util.h"

static const char *const magics[] = {FIELDS_CONCERN, FIELDS_MESSAGE, FIELDS_ATTACHMENT, FIELDS_REPLY};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const seeds[] = {
	    "\0candour-concern-v1\ncategory 6\nsafety\nteam 3\nOps\nwhat 5\nhello\nrefs 0\n\n--\n",
	    "\1candour-message-v1\ntext 2\nhi\n--\n",
	    "\2candour-attachment-v1\nname 5\na.txt\ntype 10\ntext/plain\n--\nfile bytes",
	    "\3candour-reply-v1\nkind 7\noutcome\ntext 4\nDone\n--\n",
	};
	(void)argc;
	(void)argv;
	fz_init();
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		char name[16];
		snprintf(name, sizeof(name), "seed-%zu", i);
		fz_seed(name, seeds[i], 1 + strlen(seeds[i] + 1));
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct field f[FIELDS_MAX];
	size_t n, off, outlen;
	uint8_t *out;
	char day[11];

	if (size < 1)
		return 0;
	const char *magic = magics[data[0] % 4];
	data++;
	size--;
	(void)util_text_valid((const char *)data, size, 1);
	(void)util_text_valid((const char *)data, size, 0);
	if (size >= 10) {
		memcpy(day, data, 10);
		day[10] = '\0';
		(void)util_date_valid(day);
	}
	if (fields_decode(data, size, magic, f, FIELDS_MAX, &n, &off) != 0)
		return 0;
	if (off > size || n > FIELDS_MAX)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (f[i].val < data || f[i].val + f[i].len > data + off)
			abort();
		(void)fields_get(f, n, f[i].name);
	}
	if (fields_encode(magic, f, n, &out, &outlen) != 0 || outlen != off ||
	    memcmp(out, data, off) != 0)
		abort();
	free(out);
	return 0;
}
