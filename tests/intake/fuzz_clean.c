/*
 * libFuzzer target for the attachment cleaners (intake/clean*.c). Not part
 * of make check (it runs until stopped). The first input byte seeds how
 * the rest is cut into pieces, so the streaming paths are fuzzed too.
 *
 * Properties: no crash or sanitizer report; the output is never longer
 * than the input plus CLEAN_SLACK; the pieces do not change the output;
 * a file that fails within the hold comes out exactly as sent.
 */
// clang -std=c17 -g -O1 -D_DEFAULT_SOURCE -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined
//     -I. -o /tmp/fuzz_clean tests/intake/fuzz_clean.c intake/clean*.c -lsodium   (one line)
// mkdir -p /tmp/corpus-clean   # seed with small JPEG, PNG, WebP files, each
//                              # prefixed by one byte
// /tmp/fuzz_clean -max_total_time=300 /tmp/corpus-clean
#include <stdlib.h>
#include <string.h>

#include "intake/clean.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct clean c;
	uint8_t *whole;
	size_t wlen;
	int r;

	if (size < 1)
		return 0;
	unsigned cut = data[0] | 1u;
	data++;
	size--;
	if ((r = clean_buffer(data, size, &whole, &wlen)) < 0)
		abort();
	struct sink s = {.p = malloc(size + CLEAN_SLACK + 1), .cap = size + CLEAN_SLACK};
	if (s.p == NULL)
		abort();
	clean_init(&c, sink, &s);
	for (size_t off = 0; off < size;) {
		size_t n = size - off < cut ? size - off : cut;
		if (clean_write(&c, data + off, n) != 0)
			abort();
		off += n;
		cut = cut * 7 % 251 + 1;
	}
	if (clean_finish(&c) != 0 || clean_result(&c) != r || s.len != wlen ||
	    (wlen && memcmp(s.p, whole, wlen) != 0))
		abort(); /* the pieces changed the output */
	if (r == CLEAN_FAILED && size <= CLEAN_HOLD_MAX &&
	    (wlen != size || memcmp(whole, data, size)))
		abort(); /* a bad file within the hold must come out as sent */
	free(s.p);
	free(whole);
	return 0;
}
