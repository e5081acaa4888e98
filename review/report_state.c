/*
 * The casebook state each report was made from (SECURITY.md, "Reports
 * from different casebook states"). A reader holding an earlier report
 * knows the cells it published; where some of a cell's base cells (row x
 * month) changed since (a later import, a concern readable since, a
 * closure) and the others did not, the old value still fixes the sum
 * over the unchanged ones (2025-Q1 less March, Jan and Feb unchanged),
 * though that sum is no cell of the later cubes. To keep such sums
 * (report_agg.c, fixed_sums) a later report must know which base cells
 * changed: each report records every base cell of its cubes, sealed
 * under the casebook key (a withheld value is never stored readable),
 * in meta "report_state.N", with the rowids of the report_cells rows it
 * added, so that a report_cells row no state accounts for (a report made
 * before states were recorded) refuses the later report (fails closed).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review/cb_internal.h"
#include "review/report.h"

#define STATE_AD "report_state"
#define STATE_KEY "report_state."

/* Appends one short formatted piece (a number, a name of a table or row). */
static void
putf(struct tbuf *b, const char *fmt, ...)
{
	char s[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(s))
		b->err = 1;
	else
		tbuf_put(b, s, (size_t)n);
}

/* One table: "measure\trow\tc0,c1,...\n" a row, after "cube\tm0\tM\n". */
int
rp_state_text(const struct rp_cube_view *v, size_t nt, int32_t m0, uint32_t nmonths, int32_t from,
    int32_t upto, char **out, size_t *len)
{
	struct tbuf b;

	*out = NULL;
	*len = 0;
	memset(&b, 0, sizeof(b));
	putf(&b, "cube\t%" PRId32 "\t%" PRIu32 "\t%" PRId32 "\t%" PRId32 "\n", m0, nmonths, from, upto);
	for (size_t i = 0; i < nt; i++)
		for (uint32_t r = 0; r < v[i].nrows; r++) {
			putf(&b, "%s\t%s\t", v[i].measure, v[i].row[r]);
			for (uint32_t m = 0; m < nmonths; m++)
				putf(&b, m ? ",%" PRIu64 : "%" PRIu64,
				    v[i].count[(size_t)r * nmonths + m]);
			putf(&b, "\n");
		}
	if (b.err) {
		tbuf_free(&b);
		return -1;
	}
	*out = b.p;
	*len = b.len;
	return 0;
}

/* The body of a stored state (its cube lines), past the "state" line. */
static const char *
body(const char *s)
{
	const char *nl = strchr(s, '\n');

	return strncmp(s, "state\t", 6) == 0 && nl != NULL ? nl + 1 : NULL;
}

int
rp_state_upto(const char *s, int32_t *from, int32_t *upto, const char **cells)
{
	const char *p = body(s), *nl;

	if (p == NULL || sscanf(p, "cube\t%*d\t%*u\t%" SCNd32 "\t%" SCNd32, from, upto) != 2 ||
	    (nl = strchr(p, '\n')) == NULL)
		return -1;
	*cells = nl + 1;
	return 0;
}

int
rp_states_made(char *const *s, size_t n, const struct rp_period *p)
{
	int32_t from, upto;
	const char *cells;

	for (size_t i = 0; i < n; i++)
		if (rp_state_upto(s[i], &from, &upto, &cells) == 0 && from == p->first &&
		    upto == p->last)
			return 1;
	return 0;
}

int
rp_state_parse(const char *s, int32_t from, int32_t upto, const struct rp_cube_view *v, size_t nt,
    int32_t m0, uint32_t nmonths, uint64_t *const *old, uint8_t *const *rowin, uint8_t *monin,
    int *lost)
{
	int32_t s0;
	uint32_t sm;
	int n = 0;
	const char *p;

	*lost = 0;
	if ((p = body(s)) == NULL ||
	    sscanf(p, "cube\t%" SCNd32 "\t%" SCNu32 "\t%*d\t%*d\n%n", &s0, &sm, &n) != 2 || n == 0 ||
	    sm == 0 || sm > RP_MONTHS_MAX)
		return -1;
	p += n;
	for (uint32_t m = 0; m < nmonths; m++)
		monin[m] = (uint8_t)(m0 + (int32_t)m < s0			 ? 0
				     : m0 + (int32_t)m >= s0 + (int32_t)sm ? 0
				     : m0 + (int32_t)m >= from && m0 + (int32_t)m <= upto ? 2
											    : 1);
	while (*p != '\0') {
		const char *t1 = strchr(p, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		size_t i, r = 0;

		if (t2 == NULL)
			return -1;
		for (i = 0; i < nt && !(strlen(v[i].measure) == (size_t)(t1 - p) &&
					  memcmp(v[i].measure, p, (size_t)(t1 - p)) == 0);
		     i++)
			;
		for (; i < nt && r < v[i].nrows; r++)
			if (strlen(v[i].row[r]) == (size_t)(t2 - t1 - 1) &&
			    memcmp(v[i].row[r], t1 + 1, (size_t)(t2 - t1 - 1)) == 0)
				break;
		/* a table or row these cubes no longer have: not unchanged */
		int here = i < nt && r < v[i].nrows;
		p = t2 + 1;
		for (uint32_t k = 0; k < sm; k++) {
			char *end;
			unsigned long long c = strtoull(p, &end, 10);
			int32_t m = s0 + (int32_t)k - m0;

			if (end == p || *end != (k + 1 < sm ? ',' : '\n'))
				return -1;
			p = end + 1;
			if (here && m >= 0 && m < (int32_t)nmonths)
				old[i][r * nmonths + (uint32_t)m] = c;
			else if (c != 0)
				*lost = 1; /* a count these cubes have no cell for */
		}
		if (here)
			rowin[i][r] = 1;
	}
	return 0;
}

/* The largest rowid of report_cells (0 when empty), or -1. */
static int64_t
cells_top(struct casebook *cb)
{
	sqlite3_stmt *st = NULL;
	int64_t top = -1;

	if (sqlite3_prepare_v2(cb->db, "SELECT coalesce(max(rowid), 0) FROM report_cells", -1, &st,
		NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		top = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return top;
}

int
rp_state_top(struct casebook *cb, int64_t *top)
{
	return (*top = cells_top(cb)) < 0 ? -1 : 0;
}

int
rp_state_store(struct casebook *cb, int64_t before, const char *text, size_t len)
{
	sqlite3_stmt *st = NULL;
	uint8_t *ct = NULL;
	size_t ctlen = 0;
	struct tbuf b;
	char key[48];
	int64_t after = cells_top(cb), n = 0;
	int rc = -1;

	memset(&b, 0, sizeof(b));
	/* every report has a state (rp_state_text); one without would be
	 * stored as a state of no cells, which later reports would read as
	 * all zero */
	if (after < 0 || text == NULL || len == 0)
		return -1;
	if (after == before)
		return 0; /* the same report again: nothing recorded, nothing to account for */
	if (sqlite3_prepare_v2(cb->db, "SELECT count(*) FROM meta WHERE k LIKE 'report_state.%'",
		-1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		goto out;
	n = sqlite3_column_int64(st, 0);
	putf(&b, "state\t%" PRId64 "\t%" PRId64 "\n", before + 1, after);
	tbuf_put(&b, text, len);
	snprintf(key, sizeof(key), STATE_KEY "%" PRId64, n + 1);
	if (b.err || cb_seal(cb, STATE_AD, (const uint8_t *)b.p, b.len, &ct, &ctlen) != 0 ||
	    cb_meta_set(cb, key, ct, ctlen) != 0)
		goto out;
	rc = 0;
out:
	if (b.p != NULL)
		sodium_memzero(b.p, b.len);
	tbuf_free(&b);
	free(ct);
	sqlite3_finalize(st);
	return rc;
}

void
rp_states_free(char **s, size_t n)
{
	for (size_t i = 0; s != NULL && i < n; i++)
		if (s[i] != NULL) {
			sodium_memzero(s[i], strlen(s[i]));
			free(s[i]);
		}
	free(s);
}

int
rp_states_load(struct casebook *cb, char ***out, size_t *n, int *covered)
{
	sqlite3_stmt *st = NULL;
	char **s = NULL, **q;
	size_t k = 0;
	int64_t top = cells_top(cb), lo, hi;
	uint8_t *seen = NULL;
	int r, rc = -1;

	*out = NULL;
	*n = 0;
	*covered = 0;
	if (top < 0 || (seen = calloc((size_t)top + 1, 1)) == NULL ||
	    sqlite3_prepare_v2(cb->db, "SELECT v FROM meta WHERE k LIKE 'report_state.%' ORDER BY k",
		-1, &st, NULL) != SQLITE_OK)
		goto out;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		uint8_t *pt = NULL;
		size_t len = 0;

		if ((q = realloc(s, (k + 1) * sizeof(*s))) == NULL)
			goto out;
		s = q;
		if (cb_unseal(cb, STATE_AD, sqlite3_column_blob(st, 0),
			(size_t)sqlite3_column_bytes(st, 0), &pt, &len) != 0)
			goto out; /* changed in the file, or another casebook's: refuse */
		s[k++] = (char *)pt;
		if (strlen((char *)pt) != len || body((char *)pt) == NULL ||
		    sscanf((char *)pt, "state\t%" SCNd64 "\t%" SCNd64, &lo, &hi) != 2 || lo < 1 ||
		    hi < lo || hi > top)
			goto out;
		memset(seen + lo, 1, (size_t)(hi - lo + 1));
	}
	if (r != SQLITE_DONE)
		goto out;
	*covered = 1;
	for (int64_t i = 1; i <= top; i++)
		*covered &= seen[i];
	*out = s;
	*n = k;
	s = NULL;
	rc = 0;
out:
	rp_states_free(s, k);
	free(seen);
	sqlite3_finalize(st);
	return rc;
}
