/*
 * Padmé (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files
 * and Communication with PURBs", PETS 2019) applied to the number of
 * envelope chunks: a count n with E = floor(log2 n) is rounded up to a
 * multiple of 2^(E - floor(log2 E) - 1). Overhead is at most about 12%,
 * and a count leaks O(log log n) bits instead of log n.
 */
#include "crypto/cc_internal.h"

static unsigned
log2_floor(uint64_t v)
{
	unsigned r = 0;
	while (v >>= 1)
		r++;
	return r;
}

uint64_t
cc_pad_chunks(uint64_t n)
{
	if (n < 2)
		return 1; /* an empty body is still one (padding) chunk */
	unsigned e = log2_floor(n);
	unsigned s = log2_floor(e) + 1;
	unsigned zero_bits = e > s ? e - s : 0; /* e >= s for every n >= 2 */
	uint64_t mask = ((uint64_t)1 << zero_bits) - 1;
	if (n > UINT64_MAX - mask)
		return UINT64_MAX;
	return (n + mask) & ~mask;
}
