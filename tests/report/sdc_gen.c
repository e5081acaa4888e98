/* tests/report/sdc_gen.c - random cubes shaped like the governance
 * report's, suppressed by review/report_sdc.c, written as the reports
 * that publish them, for the independent checker sdc_check.py.
 *
 * Usage: sdc_gen [--primary-only|--weaken] N SEED OUT.jsonl
 *
 * Each line is one case: one cube (rows 2..8, 12..36 months from a random
 * calendar month, quarters, calendar years and April-March FYs as spans)
 * or, every fourth case, two cubes sharing their Total row, the second
 * suppressed with total_from set to the first's Total pattern. For each
 * table the line holds every report of the range (each month, quarter,
 * year and FY wholly inside it) as the report publishes it: column
 * labels, the months each column covers, and the published values with
 * "c" for withheld. Nothing else of the suppression is written: the
 * checker must work from what a reader of the reports sees.
 *
 * Two deliberately weak suppressions the checker must reject:
 * --primary-only withholds only cells of 1..threshold; --weaken runs the
 * real suppression and then publishes the first withheld cell of each
 * cube whose value is above the threshold (one secondary undone). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "review/report_sdc.h"

#define GEN_MAX_SPANS 32
#define GEN_MAX_ROWS 8
#define GEN_MAX_MONTHS 36

#include "tests/report/gen_rng.h"

struct gen_case {
	uint32_t year0, cal0, M, S;
	unsigned thr;
	struct sdc_span spans[GEN_MAX_SPANS];
	char label[GEN_MAX_SPANS][16];
};

struct gen_table {
	uint32_t R;
	uint64_t count[GEN_MAX_ROWS * GEN_MAX_MONTHS];
	uint8_t hide[(GEN_MAX_ROWS + 1) * (GEN_MAX_MONTHS + GEN_MAX_SPANS)];
	uint64_t val[(GEN_MAX_ROWS + 1) * (GEN_MAX_MONTHS + GEN_MAX_SPANS)];
};

static void
add_span(struct gen_case *k, uint32_t first, uint32_t len, const char *fmt, uint32_t a, uint32_t b)
{
	if (first + len > k->M || k->S == GEN_MAX_SPANS)
		return;
	k->spans[k->S].first = first;
	k->spans[k->S].last = first + len - 1;
	snprintf(k->label[k->S], sizeof(k->label[0]), fmt, a, b);
	k->S++;
}

static void
make_case(struct gen_case *k)
{
	static const unsigned thr[] = {5, 5, 5, 3, 4, 6};
	uint32_t m, cal, year;

	memset(k, 0, sizeof(*k));
	k->year0 = 2024;
	k->cal0 = below(12);
	k->M = 12 + below(25);
	k->thr = thr[below(6)];
	/* Quarters first, then years, then FYs: the order does not matter to
	 * the method, but a fixed one keeps the output reproducible. */
	for (m = 0; m < k->M; m++) {
		cal = (k->cal0 + m) % 12;
		year = k->year0 + (k->cal0 + m) / 12;
		if (cal % 3 == 0)
			add_span(k, m, 3, "%u-Q%u", year, cal / 3 + 1);
	}
	for (m = 0; m < k->M; m++) {
		cal = (k->cal0 + m) % 12;
		year = k->year0 + (k->cal0 + m) / 12;
		if (cal == 0)
			add_span(k, m, 12, "%u%.0u", year, 0);
	}
	for (m = 0; m < k->M; m++) {
		cal = (k->cal0 + m) % 12;
		year = k->year0 + (k->cal0 + m) / 12;
		if (cal == 3)
			add_span(k, m, 12, "FY%u%.0u", year, 0);
	}
}

/* Sparse, small counts so that suppression is really exercised. */
static uint64_t
draw(unsigned zero_pct, unsigned small_pct)
{
	if (below(100) < zero_pct)
		return 0;
	if (below(100) < small_pct)
		return 1 + below(6);
	return 7 + below(34);
}

static void
fill_values(const struct gen_case *k, struct gen_table *t)
{
	uint32_t nc = k->M + k->S, r, m, s;

	memset(t->val, 0, sizeof(t->val));
	for (r = 0; r < t->R; r++)
		for (m = 0; m < k->M; m++) {
			uint64_t v = t->count[r * k->M + m];

			t->val[r * nc + m] += v;
			t->val[t->R * nc + m] += v;
			for (s = 0; s < k->S; s++)
				if (m >= k->spans[s].first && m <= k->spans[s].last) {
					t->val[r * nc + k->M + s] += v;
					t->val[t->R * nc + k->M + s] += v;
				}
		}
}

enum gen_mode { GEN_FULL, GEN_PRIMARY_ONLY, GEN_WEAKEN };

static int
suppress(const struct gen_case *k, struct gen_table *t, const uint8_t *total_from,
    enum gen_mode mode, double *secs)
{
	struct sdc_cube c = {
	    .nrows = t->R,
	    .nmonths = k->M,
	    .nspans = k->S,
	    .spans = k->spans,
	    .count = t->count,
	    .total_from = total_from,
	    .hide = t->hide,
	};
	uint32_t i, n = (t->R + 1) * (k->M + k->S);
	struct timespec a, b;
	int rc;

	fill_values(k, t);
	if (mode == GEN_PRIMARY_ONLY) {
		for (i = 0; i < n; i++)
			t->hide[i] = t->val[i] >= 1 && t->val[i] <= k->thr;
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	rc = sdc_suppress(&c, k->thr);
	clock_gettime(CLOCK_MONOTONIC, &b);
	*secs += (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	for (i = 0; mode == GEN_WEAKEN && total_from == NULL && i < n; i++)
		if (t->hide[i] && t->val[i] > k->thr) {
			t->hide[i] = 0;
			break;
		}
	return rc;
}

static void
put_columns(FILE *f, const struct gen_case *k, const uint32_t *cols, uint32_t n)
{
	uint32_t i, m, col;

	fputs("\"columns\":[", f);
	for (i = 0; i < n; i++) {
		col = cols[i];
		if (col < k->M)
			fprintf(f, "%s{\"label\":\"%u-%02u\",\"months\":[%u]}", i ? "," : "",
			    k->year0 + (k->cal0 + col) / 12, (k->cal0 + col) % 12 + 1, col);
		else {
			fprintf(f, "%s{\"label\":\"%s\",\"months\":[", i ? "," : "",
			    k->label[col - k->M]);
			for (m = k->spans[col - k->M].first; m <= k->spans[col - k->M].last; m++)
				fprintf(f, "%s%u", m > k->spans[col - k->M].first ? "," : "", m);
			fputs("]}", f);
		}
	}
	fputs("]", f);
}

/* One report: the given columns of every row and the Total row. */
static void
put_report(FILE *f, const struct gen_case *k, const struct gen_table *t, const char *period,
    const uint32_t *cols, uint32_t n)
{
	uint32_t r, i, nc = k->M + k->S;

	fprintf(f, "{\"period\":\"%s\",", period);
	put_columns(f, k, cols, n);
	fputs(",\"cells\":[", f);
	for (r = 0; r <= t->R; r++) {
		fputs(r ? ",[" : "[", f);
		for (i = 0; i < n; i++) {
			uint32_t c = r * nc + cols[i];

			if (t->hide[c])
				fprintf(f, "%s\"c\"", i ? "," : "");
			else
				fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)t->val[c]);
		}
		fputs("]", f);
	}
	fputs("]}", f);
}

static void
put_table(FILE *f, const struct gen_case *k, const struct gen_table *t)
{
	uint32_t cols[GEN_MAX_MONTHS + GEN_MAX_SPANS], n, m, s, s2, r;
	char period[16];
	int first = 1;

	fputs("{\"rows\":[", f);
	for (r = 0; r < t->R; r++)
		fprintf(f, "\"row%u\",", r);
	fputs("\"Total\"],\"reports\":[", f);
	for (m = 0; m < k->M; m++) {
		snprintf(period, sizeof(period), "%u-%02u", k->year0 + (k->cal0 + m) / 12,
		    (k->cal0 + m) % 12 + 1);
		cols[0] = m;
		fputs(first ? "" : ",", f);
		first = 0;
		put_report(f, k, t, period, cols, 1);
	}
	for (s = 0; s < k->S; s++) {
		n = 0;
		for (m = k->spans[s].first; m <= k->spans[s].last; m++)
			cols[n++] = m;
		for (s2 = 0; s2 < k->S; s2++)
			if (s2 != s && k->spans[s2].first >= k->spans[s].first &&
			    k->spans[s2].last <= k->spans[s].last)
				cols[n++] = k->M + s2;
		cols[n++] = k->M + s;
		fputs(",", f);
		put_report(f, k, t, k->label[s], cols, n);
	}
	fputs("]}", f);
}

int
main(int argc, char **argv)
{
	static struct gen_case k;
	static struct gen_table a, b;
	uint8_t total_from[GEN_MAX_MONTHS + GEN_MAX_SPANS];
	uint32_t i, m, n, nc, cubes = 0;
	enum gen_mode mode = GEN_FULL;
	unsigned long long seed;
	double secs = 0;
	FILE *f;

	if (argc > 1 && strcmp(argv[1], "--primary-only") == 0)
		mode = GEN_PRIMARY_ONLY;
	if (argc > 1 && strcmp(argv[1], "--weaken") == 0)
		mode = GEN_WEAKEN;
	if (mode != GEN_FULL) {
		argc--;
		argv++;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: sdc_gen [--primary-only|--weaken] N SEED OUT.jsonl\n");
		return 2;
	}
	n = (uint32_t)strtoul(argv[1], NULL, 10);
	seed = strtoull(argv[2], NULL, 10);
	rng_state = seed;
	if ((f = fopen(argv[3], "w")) == NULL) {
		perror("sdc_gen: open");
		return 1;
	}
	for (i = 0; i < n; i++) {
		unsigned zero_pct = 20 + below(70), small_pct = 40 + below(60);
		int linked = i % 4 == 3;

		make_case(&k);
		nc = k.M + k.S;
		a.R = 2 + below(7);
		for (m = 0; m < a.R * k.M; m++)
			a.count[m] = draw(zero_pct, small_pct);
		if (suppress(&k, &a, NULL, mode, &secs) != 0) {
			fprintf(stderr, "sdc_gen: case %u: sdc_suppress failed\n", i);
			return 1;
		}
		cubes++;
		fprintf(f, "{\"case\":%u,\"threshold\":%u,\"tables\":[", i, k.thr);
		put_table(f, &k, &a);
		if (linked) {
			/* The same Totals split over other rows: each unit of a
			 * month's Total goes to a random row of b. */
			b.R = 2 + below(7);
			memset(b.count, 0, sizeof(b.count));
			for (m = 0; m < k.M; m++) {
				uint64_t u;

				for (u = 0; u < a.val[a.R * nc + m]; u++)
					b.count[below(b.R) * k.M + m]++;
			}
			for (m = 0; m < nc; m++)
				total_from[m] = a.hide[a.R * nc + m];
			if (suppress(&k, &b, total_from, mode, &secs) != 0) {
				fprintf(
				    stderr, "sdc_gen: case %u: linked sdc_suppress failed\n", i);
				return 1;
			}
			for (m = 0; m < nc && mode == GEN_FULL; m++)
				if (b.hide[b.R * nc + m] != total_from[m]) {
					fprintf(stderr,
					    "sdc_gen: case %u: Total pattern not kept\n", i);
					return 1;
				}
			cubes++;
			fputs(",", f);
			put_table(f, &k, &b);
		}
		fputs("]}\n", f);
	}
	if (fclose(f) != 0) {
		perror("sdc_gen: write");
		return 1;
	}
	fprintf(stderr, "sdc_gen: %u cases, %u cubes suppressed in %.3f s\n", n, cubes, secs);
	return 0;
}
