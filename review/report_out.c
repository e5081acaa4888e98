/*
 * Stage 3 of the report, the flat formats: CSV (one tidy table: period,
 * section, measure, breakdown, value, withheld) and JSON (the same cells
 * plus the accountability statement). Measures and breakdowns are stable
 * keys, the same in every language; the HTML carries the words.
 */
#include <stdio.h>
#include <string.h>

#include "review/report.h"
#include "util/util.h"

const char *
rp_str(const struct catalogue *cat, const char *key, struct tbuf *out)
{
	const char *s = catalogue_get(cat, key);
	if (s == NULL) {
		out->err = 1;
		return "";
	}
	return s;
}

void
rp_csv_cell(struct tbuf *out, const char *s)
{
	tbuf_puts(out, "\"");
	/* A spreadsheet runs a cell that starts with one of these as a
	 * formula (OWASP "CSV injection"): a leading ' makes it text. */
	if (s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
		tbuf_puts(out, "'");
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			tbuf_puts(out, "\"");
		tbuf_put(out, p, 1);
	}
	tbuf_puts(out, "\"");
}

/* The value of a cell as text: "" when withheld or not measurable. */
static void
value_text(const struct rp_item *it, char buf[32])
{
	buf[0] = '\0';
	if (it->withheld || it->none)
		return;
	if (it->kind == RP_COUNT)
		snprintf(buf, 32, "%llu", (unsigned long long)it->n);
	else
		snprintf(buf, 32, "%.1f", it->x);
}

static void
csv_row(struct tbuf *out, const char *period, const char *sec, const char *measure,
    const char *breakdown, const char *v, int withheld)
{
	rp_csv_cell(out, period);
	tbuf_puts(out, ",");
	rp_csv_cell(out, sec);
	tbuf_puts(out, ",");
	rp_csv_cell(out, measure);
	tbuf_puts(out, ",");
	rp_csv_cell(out, breakdown);
	tbuf_puts(out, ",");
	rp_csv_cell(out, v);
	tbuf_puts(out, withheld ? ",\"1\"\r\n" : ",\"0\"\r\n");
}

int
rp_render_csv(const struct rp_doc *d, struct tbuf *out)
{
	char v[32], sec[4];
	const char *per = d->r->period.label;

	tbuf_puts(out, "period,section,measure,breakdown,value,withheld\r\n");
	/* The day it was made and the day its data stand on, as rows of the
	 * one table (section 1, the accountability statement), so that a
	 * spreadsheet still opens it as one: until 2026-12-06 the CSV, alone
	 * of the three formats, said neither. */
	csv_row(out, per, "1", "report_produced", "date", d->produced, 0);
	csv_row(out, per, "1", "data_as_of", "last-import",
	    d->a->last_import[0] ? d->a->last_import : "", 0);
	for (size_t i = 0; i < d->r->nitems; i++) {
		const struct rp_item *it = &d->r->items[i];
		value_text(it, v);
		snprintf(sec, sizeof(sec), "%u", it->section);
		csv_row(out, per, sec, it->measure, it->breakdown, v, it->withheld);
	}
	return out->err ? -1 : 0;
}

/* Every string put in the JSON is a key, a label we made, a date or hex:
 * still escaped, so the format never depends on that. */
static void
json_str(struct tbuf *out, const char *s)
{
	char u[8];
	tbuf_puts(out, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			tbuf_puts(out, "\\");
			tbuf_put(out, (const char *)p, 1);
		} else if (*p < 0x20) {
			snprintf(u, sizeof(u), "\\u%04x", *p);
			tbuf_puts(out, u);
		} else
			tbuf_put(out, (const char *)p, 1);
	}
	tbuf_puts(out, "\"");
}

static void
json_u64(struct tbuf *out, const char *name, uint64_t v, int comma)
{
	char b[64];
	snprintf(b, sizeof(b), "\"%s\": %llu%s", name, (unsigned long long)v, comma ? ", " : "");
	tbuf_puts(out, b);
}

static void
json_kv(struct tbuf *out, const char *name, const char *v, int comma)
{
	json_str(out, name);
	tbuf_puts(out, ": ");
	json_str(out, v);
	if (comma)
		tbuf_puts(out, ", ");
}

static const char *const head_names[] = {"not-given", "match", "casebook-beyond", "behind"};

int
rp_render_json(const struct rp_doc *d, struct tbuf *out)
{
	const struct rp_account *a = d->a;
	char hex[2 * CC_HASH_BYTES + 1], v[32], b[96];

	tbuf_puts(out, "{\n  ");
	json_kv(out, "format", "candour-governance-report-v1", 1);
	json_kv(out, "period", d->r->period.label, 1);
	json_kv(out, "produced", d->produced, 1);
	json_kv(out, "language", d->lang, 1);
	json_u64(out, "threshold", d->r->threshold, 1);
	json_kv(out, "signing_key_minisign", d->minisign_pk, 0);
	tbuf_puts(out, ",\n  \"accountability\": {");
	util_hex(a->head, CC_HASH_BYTES, hex);
	json_u64(out, "chain_records", a->head_seq, 1);
	json_kv(out, "chain_head", hex, 1);
	json_u64(out, "records_held", a->held, 1);
	json_u64(out, "concerns", a->concerns, 1);
	json_u64(out, "follow_ups", a->followups, 1);
	json_u64(out, "readable_here", a->readable, 1);
	json_u64(out, "sealed_to_others", a->sealed_others, 1);
	json_u64(out, "open", a->open, 1);
	json_u64(out, "closed", a->closed, 1);
	json_u64(out, "missing", a->missing, 1);
	tbuf_puts(out, "\"missing_ranges\": [");
	for (size_t i = 0; i < a->nmissing_ranges; i++) {
		snprintf(b, sizeof(b), "%s[%llu, %llu]", i ? ", " : "",
		    (unsigned long long)a->missing_first[i],
		    (unsigned long long)a->missing_last[i]);
		tbuf_puts(out, b);
	}
	tbuf_puts(out, "], ");
	json_kv(out, "intake_head_check", head_names[a->head_check], 1);
	json_u64(out, "intake_count", a->intake_count, 1);
	json_kv(out, "intake_head", a->intake_head, 1);
	json_kv(out, "intake_date", a->intake_date, 1);
	json_kv(out, "last_import", a->last_import, 0);
	tbuf_puts(out, "},\n  \"cells\": [");
	for (size_t i = 0; i < d->r->nitems; i++) {
		const struct rp_item *it = &d->r->items[i];
		static const char *const kinds[] = {"", "count", "share", "median"};
		tbuf_puts(out, i ? ",\n    {" : "\n    {");
		json_u64(out, "section", it->section, 1);
		json_kv(out, "measure", it->measure, 1);
		json_kv(out, "breakdown", it->breakdown, 1);
		json_kv(out, "kind", kinds[it->kind], 1);
		value_text(it, v);
		tbuf_puts(out, "\"value\": ");
		tbuf_puts(out, v[0] ? v : "null");
		tbuf_puts(out, it->withheld ? ", \"withheld\": true}" : ", \"withheld\": false}");
	}
	tbuf_puts(out, "\n  ]\n}\n");
	return out->err ? -1 : 0;
}
