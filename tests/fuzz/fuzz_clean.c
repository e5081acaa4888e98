/*
 * The attachment metadata cleaners (intake/clean*.c): any bytes, as one
 * piece and cut into pieces of varying size (byte 0 seeds the cuts), so
 * the streaming paths are fuzzed too. Seeds: small JPEG, PNG and WebP
 * files with metadata, each prefixed by one byte.
 * Properties: no crash or sanitizer report; the output is never longer
 * than the input plus CLEAN_SLACK; the pieces do not change the output or
 * the result; a file that fails within the hold comes out exactly as sent.
 */
#include "intake/clean.h"
#include "tests/fuzz/fuzz.h"

struct sink {
	uint8_t *p;
	size_t len, cap;
};

static int
sink(void *ctx, const uint8_t *buf, size_t len)
{
	struct sink *s = ctx;
	if (len > s->cap - s->len)
		abort(); /* more out than in + CLEAN_SLACK */
	memcpy(s->p + s->len, buf, len);
	s->len += len;
	return 0;
}

/* Static: struct clean is large, and clean_init does not touch the hold. */
static struct clean whole_c, cut_c;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned cut = data[0] | 1u;
	data++;
	size--;
	struct sink a = {.p = malloc(size + CLEAN_SLACK + 1), .cap = size + CLEAN_SLACK};
	struct sink b = {.p = malloc(size + CLEAN_SLACK + 1), .cap = size + CLEAN_SLACK};
	if (a.p == NULL || b.p == NULL)
		abort();
	clean_init(&whole_c, sink, &a);
	if (clean_write(&whole_c, data, size) != 0 || clean_finish(&whole_c) != 0)
		abort();
	clean_init(&cut_c, sink, &b);
	for (size_t off = 0; off < size;) {
		size_t n = size - off < cut ? size - off : cut;
		if (clean_write(&cut_c, data + off, n) != 0)
			abort();
		off += n;
		cut = cut * 7 % 251 + 1;
	}
	if (clean_finish(&cut_c) != 0)
		abort();
	int r = clean_result(&whole_c);
	if (clean_result(&cut_c) != r || a.len != b.len || (a.len && memcmp(a.p, b.p, a.len) != 0))
		abort(); /* the pieces changed the output */
	if (r == CLEAN_FAILED && size <= CLEAN_HOLD_MAX &&
	    (a.len != size || (size && memcmp(a.p, data, size) != 0)))
		abort(); /* a bad file within the hold must come out as sent */
	if (r == CLEAN_NOT_IMAGE && (a.len != size || (size && memcmp(a.p, data, size) != 0)))
		abort(); /* not a picture: as sent */
	free(a.p);
	free(b.p);
	return 0;
}
