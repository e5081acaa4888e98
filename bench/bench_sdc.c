/*
 * Disclosure-control benchmark (not a test): times sdc_suppress
 * (review/report_sdc.c) on cubes shaped like the governance report's:
 * ROWS breakdown rows x MONTHS months from January, with every quarter,
 * calendar year and April-March FY wholly inside as spans, and the span
 * over all months whose Total is known (total_known, as the report's
 * accountability statement makes it). Three count
 * distributions per shape:
 *   big     what 1,000,000 concerns give (hundreds per cell, few small)
 *   sparse  half zeros, the rest mostly 1..9 (much suppression)
 *   small   every count 1..5 (everything primary: the worst case)
 * The cube does not grow with the casebook: its size is rows x months.
 *
 *   bench_sdc [REPEAT]   (default 3; prints the slowest run of each, in
 *                         CPU time: the bench machine is shared)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "review/report_sdc.h"

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static uint64_t
next(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint32_t
spans_for(uint32_t months, struct sdc_span *sp)
{
	uint32_t n = 0, m;

	for (m = 0; m + 3 <= months; m += 3)
		sp[n++] = (struct sdc_span){m, m + 2};
	for (m = 0; m + 12 <= months; m += 12)
		sp[n++] = (struct sdc_span){m, m + 11};
	for (m = 3; m + 12 <= months; m += 12)
		sp[n++] = (struct sdc_span){m, m + 11};
	/* the whole range, whose Total the accountability statement publishes */
	sp[n++] = (struct sdc_span){0, months - 1};
	return n;
}

static uint64_t
draw(int kind)
{
	if (kind == 0) /* hundreds a cell, one in a hundred small */
		return next() % 100 == 0 ? 1 + next() % 9 : 200 + next() % 600;
	if (kind == 1)
		return next() % 2 ? 0 : (next() % 4 ? 1 + next() % 9 : 10 + next() % 40);
	return 1 + next() % 5;
}

int
main(int argc, char **argv)
{
	static const uint32_t shape[][2] = {
	    {8, 12}, {8, 36}, {12, 36}, {12, 120}, {12, 300}, {32, 120}, {32, 360}};
	static const char *kind[] = {"big", "sparse", "small"};
	int repeat = argc > 1 ? atoi(argv[1]) : 3;
	size_t si;
	int k, i;

	printf("%-6s %-7s %-7s %-6s %10s %9s\n", "rows", "months", "counts", "spans", "cpu ms",
	    "withheld");
	for (si = 0; si < sizeof(shape) / sizeof(shape[0]); si++) {
		uint32_t R = shape[si][0], M = shape[si][1];
		struct sdc_span *sp = calloc(M, sizeof(*sp));
		uint64_t *cnt = calloc((size_t)R * M, sizeof(*cnt));
		uint8_t *hide;
		uint32_t S = spans_for(M, sp);
		size_t n = (size_t)(R + 1) * (M + S), j, w;

		hide = calloc(n, 1);
		for (k = 0; k < 3; k++) {
			double worst = 0;

			for (i = 0; i < repeat; i++) {
				/* by name: the cube gains fields, and a
				 * positional list broke this build when one
				 * came (total_alone, 2026-12-06) */
				struct sdc_cube c = {.nrows = R, .nmonths = M,
				    .nspans = S, .spans = sp, .count = cnt, .hide = hide,
				    .total_known = 1};
				struct timespec a, b;
				double ms;

				for (j = 0; j < (size_t)R * M; j++)
					cnt[j] = draw(k);
				clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
				if (sdc_suppress(&c, SDC_THRESHOLD_DEFAULT) != 0) {
					perror("bench_sdc: sdc_suppress");
					return 1;
				}
				clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
				ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
				if (ms > worst)
					worst = ms;
			}
			for (w = 0, j = 0; j < n; j++)
				w += hide[j];
			printf("%-6u %-7u %-7s %-6u %10.2f %8.0f%%\n", R, M, kind[k], S, worst,
			    100.0 * (double)w / (double)n);
			fflush(stdout);
		}
		free(sp);
		free(cnt);
		free(hide);
	}
	return 0;
}
