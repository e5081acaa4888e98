/*
 * Earlier reports of a casebook (SECURITY.md, "Reports from different
 * casebook states"): every report written is recorded, cell by cell, so
 * that every later report, made from whatever the casebook holds then,
 * keeps what it published (report_agg.c, pins). Only what the report
 * published is stored: a withheld cell's value never is (0), a published
 * cell's value is in the report file already, so the table is not sealed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "review/cb_internal.h"
#include "review/report.h"

/* Append-only, as the audit log is meant to be: a report once given to a
 * committee stays given, so no row changes or goes. UNIQUE makes a report
 * made again from the same state add nothing. */
const char rp_pins_schema[] =
    "CREATE TABLE report_cells(measure TEXT NOT NULL, row TEXT NOT NULL,"
    " first INTEGER NOT NULL, last INTEGER NOT NULL,"
    " withheld INTEGER NOT NULL CHECK(withheld IN (0, 1)), n INTEGER NOT NULL,"
    " threshold INTEGER NOT NULL, period TEXT NOT NULL,"
    " UNIQUE(measure, row, first, last, withheld, n, threshold));"
    "CREATE TRIGGER report_cells_kept BEFORE UPDATE ON report_cells"
    " BEGIN SELECT RAISE(ABORT, 'report_cells is append-only'); END;"
    "CREATE TRIGGER report_cells_kept_rows BEFORE DELETE ON report_cells"
    " BEGIN SELECT RAISE(ABORT, 'report_cells is append-only'); END;";

int
rp_pins_threshold(struct casebook *cb, unsigned *th)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, r;

	if (sqlite3_prepare_v2(cb->db, "SELECT threshold FROM report_cells LIMIT 1", -1, &st,
		NULL) != SQLITE_OK)
		goto out;
	if ((r = sqlite3_step(st)) == SQLITE_ROW) {
		*th = (unsigned)sqlite3_column_int(st, 0);
		rc = 1;
	} else if (r == SQLITE_DONE)
		rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

int
rp_pins_load(struct casebook *cb, struct rp_pin **out, size_t *n)
{
	sqlite3_stmt *st = NULL;
	struct rp_pin *p = NULL;
	sqlite3_int64 cnt;
	size_t cap, k = 0;
	int r, rc = -1;

	*out = NULL;
	*n = 0;
	/* counted before anything is allocated (RP_PINS_MAX) */
	if (sqlite3_prepare_v2(cb->db, "SELECT count(*) FROM report_cells", -1, &st, NULL) !=
		SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		goto out;
	if ((cnt = sqlite3_column_int64(st, 0)) > RP_PINS_MAX) {
		rc = -2;
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	cap = cnt > 0 ? (size_t)cnt : 1;
	if ((p = malloc(cap * sizeof(*p))) == NULL ||
	    sqlite3_prepare_v2(cb->db,
		"SELECT measure, row, first, last, withheld, n, rowid FROM report_cells ORDER BY rowid",
		-1, &st, NULL) != SQLITE_OK)
		goto out;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *ms = sqlite3_column_text(st, 0), *rs = sqlite3_column_text(st, 1);
		sqlite3_int64 v = sqlite3_column_int64(st, 5);

		if (ms == NULL || rs == NULL || strlen((const char *)ms) >= RP_MEASURE_MAX ||
		    strlen((const char *)rs) >= sizeof(p->row) || v < 0)
			goto out; /* not what rp_pins_store writes */
		if (k == cap)
			goto out; /* a report recorded since the count: made again, it reads them */
		memset(&p[k], 0, sizeof(p[k]));
		snprintf(p[k].measure, sizeof(p[k].measure), "%s", (const char *)ms);
		snprintf(p[k].row, sizeof(p[k].row), "%s", (const char *)rs);
		p[k].first = (int32_t)sqlite3_column_int(st, 2);
		p[k].last = (int32_t)sqlite3_column_int(st, 3);
		p[k].withheld = (uint8_t)(sqlite3_column_int(st, 4) != 0);
		p[k].n = (uint64_t)v;
		p[k].id = sqlite3_column_int64(st, 6);
		k++;
	}
	if (r != SQLITE_DONE)
		goto out;
	*out = p;
	*n = k;
	p = NULL;
	rc = 0;
out:
	free(p);
	sqlite3_finalize(st);
	return rc;
}

int
rp_pins_store(struct casebook *cb, const struct rp_pin *p, size_t n, unsigned th,
    const char *period)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(cb->db,
		"INSERT OR IGNORE INTO report_cells(measure, row, first, last, withheld, n,"
		" threshold, period) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		-1, &st, NULL) != SQLITE_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, p[i].measure, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, p[i].row, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, p[i].first);
		sqlite3_bind_int(st, 4, p[i].last);
		sqlite3_bind_int(st, 5, p[i].withheld);
		/* a withheld cell's value is never stored */
		sqlite3_bind_int64(st, 6, p[i].withheld ? 0 : (sqlite3_int64)p[i].n);
		sqlite3_bind_int(st, 7, (int)th);
		sqlite3_bind_text(st, 8, period, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* Counts of the report that are no cell of a cube: a stock at a date and
 * a sum published only with its parts (report_agg.c). */
static int
cube_count(const struct rp_item *it)
{
	return it->kind == RP_COUNT && strcmp(it->measure, "open_longer_than_3_months") != 0 &&
	       strcmp(it->measure, "closed_led_to_action") != 0;
}

/* Derived figures whose withholding depends on more than the period's
 * own cells: the median days to close and the stock on the Totals up to
 * a month that the state's reports make known (report_agg.c,
 * prefix_known), both medians and the stock on the wide suppression. A
 * later state may publish one an earlier withheld, of the same cases:
 * SECURITY.md, "Derived figures from different casebook states". Shares
 * and "led to action" are functions of the period's cells, kept already. */
static const char *const derived_measures[] = {
    "median_days_to_acknowledge", "median_days_to_close", "open_longer_than_3_months"};

int
rp_pin_derived(const struct rp_pin *p)
{
	for (size_t i = 0; i < sizeof(derived_measures) / sizeof(derived_measures[0]); i++)
		if (strcmp(p->measure, derived_measures[i]) == 0)
			return 1;
	return 0;
}

/* The pin of derived figure it of r in q: the stock is one figure of the
 * period's last day, the medians of the period. A median is recorded as
 * twice its days (a whole number: a median is whole or half a day).
 * "None" (its published base is 0) is not recorded: the base cell is, and
 * keeps it. Returns 0 when it is not one to record. */
static int
derived_pin(const struct rp_result *r, const struct rp_item *it, struct rp_pin *q)
{
	long long v = 0;

	memset(q, 0, sizeof(*q));
	snprintf(q->measure, sizeof(q->measure), "%s", it->measure);
	snprintf(q->row, sizeof(q->row), "%s", it->breakdown);
	q->first = it->kind == RP_MEDIAN ? r->period.first : r->period.last;
	q->last = r->period.last;
	if (!rp_pin_derived(q) || it->none)
		return 0;
	if (!it->withheld)
		v = it->kind == RP_MEDIAN ? (long long)(2.0 * it->x) : (long long)it->n;
	/* a negative median (clocks apart) is kept as withheld: never less */
	q->withheld = it->withheld || v < 0;
	q->n = q->withheld ? 0 : (uint64_t)v;
	return 1;
}

size_t
rp_pins_split(struct rp_pin *p, size_t n)
{
	size_t k = 0;

	/* one pass of swaps: neither pins() nor rp_derived_keep cares
	 * about the order */
	for (size_t i = 0; i < n; i++)
		if (!rp_pin_derived(&p[i])) {
			struct rp_pin t = p[i];
			p[i] = p[k];
			p[k++] = t;
		}
	return k;
}

void
rp_derived_keep(struct rp_result *r, const struct rp_pin *d, size_t n)
{
	for (size_t i = 0; i < r->nitems; i++) {
		struct rp_item *it = &r->items[i];
		struct rp_pin now;
		int value = derived_pin(r, it, &now), drop = 0;

		if (it->withheld || !rp_pin_derived(&now))
			continue;
		for (size_t k = 0; k < n && !drop; k++)
			if (strcmp(d[k].measure, now.measure) == 0 && strcmp(d[k].row, now.row) == 0 &&
			    d[k].first == now.first && d[k].last == now.last)
				/* withheld then; or published then, and "none"
				 * now, or another value */
				drop = d[k].withheld || !value || now.withheld || d[k].n != now.n;
		if (drop) {
			it->withheld = 1;
			it->none = 0;
			it->n = 0;
			it->x = 0;
		}
	}
}

int
rp_pins_of(const struct rp_result *r, struct rp_pin **out, size_t *n)
{
	struct rp_pin *p;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	if ((p = calloc(r->nitems ? r->nitems : 1, sizeof(*p))) == NULL)
		return -1;
	for (size_t i = 0; i < r->nitems; i++) {
		const struct rp_item *it = &r->items[i];
		struct rp_pin *q = &p[k];
		int y, mo;

		if (derived_pin(r, it, q)) {
			k++;
			continue;
		}
		if (!cube_count(it))
			continue;
		q->withheld = it->withheld;
		q->n = it->withheld ? 0 : it->n;
		if (strcmp(it->measure, "received_by_month") == 0) {
			/* the category table's Total of one month */
			if (sscanf(it->breakdown, "%4d-%2d", &y, &mo) != 2) {
				free(p);
				return -1;
			}
			snprintf(q->measure, sizeof(q->measure), "received_by_category");
			snprintf(q->row, sizeof(q->row), "total");
			q->first = q->last = y * 12 + mo - 1;
		} else {
			snprintf(q->measure, sizeof(q->measure), "%s", it->measure);
			snprintf(q->row, sizeof(q->row), "%s", it->breakdown);
			q->first = r->period.first;
			q->last = r->period.last;
		}
		k++;
	}
	for (size_t i = 0; i < k; i++)
		p[i].id = (int64_t)i + 1; /* as rowids of a casebook that held none */
	*out = p;
	*n = k;
	return 0;
}
