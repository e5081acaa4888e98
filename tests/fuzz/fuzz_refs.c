/*
 * Reference extraction and matching (review/ref_extract.c, ref_match.c).
 * Input: byte 0 = how many of the following lines are register references
 * (normalised and indexed), byte 1 picks a pattern config, the rest is
 * concern text. Every reference extracted from the text is classified
 * against the index. Properties: extracted references are normalised
 * (re-normalising gives the same text), distinct, within REF_REF_MAX;
 * indexed references are found again; a near match is one edit away.
 */
#include "review/ref.h"
#include "tests/fuzz/fuzz.h"

static struct ref_config conf[2];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char seed[] = "\2\0REF/2024/00012\nPPN-123456\n"
				   "Please see ref 2024/12 and REF 2024 00013, also ppn 123457 and "
				   "REF/2024/0012 (typo), PPN-123456 again.";
	static const char seed2[] = "\1\1AB-1234567\nCase AB 1234568 and ab/1234567 and X-99";
	char why[128];

	(void)argc;
	(void)argv;
	fz_init();
	ref_config_default(&conf[0]);
	ref_config_default(&conf[1]);
	static const char extra[] = "pattern AB-NNNNNNN\npattern NNNNNN/YY\n";
	if (ref_config_parse(&conf[1], extra, sizeof(extra) - 1, why, sizeof(why)) != 0)
		abort();
	fz_seed("refs", seed, sizeof(seed) - 1);
	fz_seed("refs-pattern", seed2, sizeof(seed2) - 1);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[REF_EXTRACT_MAX][REF_REF_MAX + 1], norm[REF_REF_MAX + 1];
	char near[REF_NEAR_MAX][REF_REF_MAX + 1];
	struct ref_index *ix;
	size_t n, nnear, nreg;
	const struct ref_config *c;

	if (size < 2)
		return 0;
	nreg = data[0] % 16;
	c = &conf[data[1] % 2];
	data += 2;
	size -= 2;
	if ((ix = ref_index_new(nreg)) == NULL)
		abort();
	for (size_t i = 0; i < nreg && size > 0; i++) {
		const uint8_t *nl = memchr(data, '\n', size);
		size_t len = nl ? (size_t)(nl - data) : size;
		if (ref_normalise(c, (const char *)data, len, norm) == 0) {
			if (ref_index_add(ix, norm) < 0 || ref_index_has(ix, norm) != 1)
				abort();
		}
		data += len + (nl != NULL);
		size -= len + (nl != NULL);
	}
	n = ref_extract(c, (const char *)data, size, out, REF_EXTRACT_MAX);
	if (n > REF_EXTRACT_MAX)
		abort();
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(out[i]);
		if (len == 0 || len > REF_REF_MAX)
			abort();
		for (size_t j = 0; j < i; j++)
			if (strcmp(out[i], out[j]) == 0)
				abort();
		if (ref_normalise(c, out[i], len, norm) != 0 || strcmp(norm, out[i]) != 0)
			abort();
		int k = ref_classify(ix, out[i], near, &nnear);
		if (k == REF_EXACT && ref_index_has(ix, out[i]) != 1)
			abort();
		if (k == REF_NEAR) {
			if (nnear < 1 || nnear > REF_NEAR_MAX)
				abort();
			for (size_t j = 0; j < nnear; j++)
				if (ref_edit1(out[i], len, near[j], strlen(near[j])) != 1)
					abort();
		}
	}
	ref_index_free(ix);
	return 0;
}
