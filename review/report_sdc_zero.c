/* review/report_sdc_zero.c - cells that several known sums make 0
 *
 * A reader who knows the sums of some sets of cells (each a count >= 0)
 * knows the sum of B less A wherever A lies inside B; a set whose sum is
 * then 0 holds only zeros, each known to that reader. Seed 108 of e2e
 * 68's sweep (issue 11): B's 2025 closed Total 31 and FY2025 Total 23,
 * with A's Q1 Total 8 over the same cells, give B's January..March 2026
 * closures 23 - (31 - 8) = 0, which no one of them says
 * (report_agg.c, state_zeros). Only differences are taken, at most
 * SDC_SUMS_MAX sets: a combination missed finds fewer zeros (the cells
 * stay as before: failing closed). Every sum given must be one the
 * reader knows exactly: each set found is then one too. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "review/report_sdc.h"

struct sdc_sums {
	uint32_t ncells; /* cells 0..ncells-1 */
	size_t w;	 /* 64-bit words a set takes */
	uint32_t n;	 /* sets held */
	uint64_t *bits;	 /* [SDC_SUMS_MAX][w] */
	uint64_t *sum;	 /* [SDC_SUMS_MAX] */
	uint64_t *tmp;	 /* [w]: a set being built (add, zeros) */
};

struct sdc_sums *
sdc_sums_new(uint32_t ncells)
{
	struct sdc_sums *z = calloc(1, sizeof(*z));

	if (z == NULL)
		return NULL;
	z->ncells = ncells;
	z->w = ((size_t)ncells + 63) / 64;
	if ((z->bits = calloc(SDC_SUMS_MAX * z->w, sizeof(*z->bits))) == NULL ||
	    (z->sum = calloc(SDC_SUMS_MAX, sizeof(*z->sum))) == NULL ||
	    (z->tmp = calloc(z->w, sizeof(*z->tmp))) == NULL) {
		sdc_sums_free(z);
		errno = ENOMEM;
		return NULL;
	}
	return z;
}

void
sdc_sums_free(struct sdc_sums *z)
{
	if (z == NULL)
		return;
	free(z->bits);
	free(z->sum);
	free(z->tmp);
	free(z);
}

/* Adds set b with sum s unless held (or no room, or empty). Returns 1
 * when added. */
static int
zadd(struct sdc_sums *z, const uint64_t *b, uint64_t s)
{
	int any = 0;

	for (size_t k = 0; k < z->w; k++)
		any |= b[k] != 0;
	if (!any || z->n == SDC_SUMS_MAX)
		return 0;
	for (uint32_t j = 0; j < z->n; j++)
		if (memcmp(z->bits + j * z->w, b, z->w * sizeof(*b)) == 0)
			return 0;
	memcpy(z->bits + z->n * z->w, b, z->w * sizeof(*b));
	z->sum[z->n++] = s;
	return 1;
}

int
sdc_sums_add(struct sdc_sums *z, const uint32_t *cells, uint32_t n, uint64_t sum)
{
	uint64_t *b = z->tmp;

	memset(b, 0, z->w * sizeof(*b));
	for (uint32_t k = 0; k < n; k++)
		if (cells[k] < z->ncells)
			b[cells[k] / 64] |= (uint64_t)1 << (cells[k] % 64);
	(void)zadd(z, b, sum);
	return 0;
}

/* 1 when set a lies inside set b and is not b. */
static int
zinside(const struct sdc_sums *z, uint32_t a, uint32_t b)
{
	const uint64_t *p = z->bits + a * z->w, *q = z->bits + b * z->w;
	int less = 0;

	for (size_t k = 0; k < z->w; k++) {
		if (p[k] & ~q[k])
			return 0;
		less |= p[k] != q[k];
	}
	return less;
}

int
sdc_sums_zeros(struct sdc_sums *z, uint8_t *zero)
{
	uint64_t *b = z->tmp;

	/* each new set against every set before it, both ways: every pair
	 * is weighed once (a set added later is weighed when its turn
	 * comes), at most SDC_SUMS_MAX^2 */
	for (uint32_t t = 1; t < z->n; t++)
		for (uint32_t i = 0; i < t; i++)
			for (int way = 0; way < 2; way++) {
				uint32_t a = way ? t : i, o = way ? i : t;

				if (!zinside(z, a, o) || z->sum[a] > z->sum[o])
					continue;
				for (size_t k = 0; k < z->w; k++)
					b[k] = z->bits[o * z->w + k] & ~z->bits[a * z->w + k];
				(void)zadd(z, b, z->sum[o] - z->sum[a]);
			}
	for (uint32_t j = 0; j < z->n; j++)
		for (uint32_t k = 0; z->sum[j] == 0 && k < z->ncells; k++)
			if (z->bits[j * z->w + k / 64] >> (k % 64) & 1)
				zero[k] = 1;
	return 0;
}
