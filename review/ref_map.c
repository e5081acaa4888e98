/*
 * From a CSV header and records to register fields: explicit maps
 * (--map COLUMN=FIELD, "map" config lines) first, then the usual column
 * names of case-management exports. Every error names the line, the
 * column number and the field.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "review/ref.h"
#include "review/review.h"
#include "tmpl/tmpl.h"

/* Default header names, compared with letters and digits only, lower case
 * ("Date Received" -> "datereceived"). */
static const char *const defaults[RF_COUNT][8] = {
    [RF_REFERENCE] = {"reference", "ref", "referralreference", "referralref", "referralid",
	"referralnumber", "casereference", "refno"},
    [RF_RECEIVED] = {"received", "receiveddate", "datereceived", "referraldate",
	"datereferralreceived"},
    [RF_SOURCE] = {"source", "sourceagency", "agency", "referrer", "referralsource"},
    [RF_TEAM] = {"team", "allocatedteam"},
    [RF_DECISION] = {"decision", "referraldecision", "outcomeofreferral"},
    [RF_DECISION_DATE] = {"decisiondate", "datedecision", "dateofdecision"},
    [RF_STRATEGY_DATE] = {"strategydate", "strategydiscussiondate", "strategymeetingdate",
	"strategydiscussion"},
    [RF_S47_DATE] = {"s47date", "s47startdate", "section47startdate", "section47date",
	"s47enquirystartdate"},
    [RF_ICPC_DATE] = {"icpcdate", "icpc", "initialchildprotectionconferencedate", "conferencedate"},
    [RF_STATUS] = {"status", "referralstatus"},
    [RF_CLOSED_DATE] = {"closeddate", "dateclosed", "closuredate"},
    [RF_CLOSURE_REASON] = {"closurereason", "reasonclosed", "closedreason", "reasonforclosure"},
    [RF_ASSESSMENT_DATE] = {"assessmentdate", "assessmentenddate", "assessmentcompleted",
	"assessmentcompleteddate", "dateassessmentcompleted", "assessmentauthoriseddate",
	"singleassessmentdate"},
};

static void
squash(const char *s, size_t len, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < outlen; i++)
		if (isalnum((unsigned char)s[i]))
			out[o++] = (char)tolower((unsigned char)s[i]);
	out[o] = '\0';
}

static int
same_name(const char *a, size_t alen, const char *b)
{
	char x[REF_COLUMN_MAX + 1], y[REF_COLUMN_MAX + 1];

	if (alen == strlen(b) && strncasecmp(a, b, alen) == 0)
		return 1;
	squash(a, alen, x, sizeof(x));
	squash(b, strlen(b), y, sizeof(y));
	return x[0] != '\0' && strcmp(x, y) == 0;
}

int
ref_map_header(const struct ref_config *c, const struct ref_csv_row *hdr, struct ref_map *m,
    char *why, size_t whylen)
{
	int used[REF_CSV_COLS_MAX] = {0};
	char sq[REF_COLUMN_MAX + 1];

	m->ncols = hdr->n;
	for (int f = 0; f < RF_COUNT; f++)
		m->col[f] = -1;
	for (size_t k = 0; k < c->nmap; k++) {
		size_t i;
		for (i = 0; i < hdr->n; i++)
			if (same_name(hdr->f[i], hdr->len[i], c->map[k].column))
				break;
		if (i == hdr->n && !c->map[k].required)
			continue;
		if (i == hdr->n) {
			CLI_FILL(why, whylen, "cli.why.ref.no_column", CLI_UNUM(hdr->line),
			    cli_head(c->map[k].column, 60));
			return -1;
		}
		if (used[i]) {
			CLI_FILL(why, whylen, "cli.why.ref.mapped_twice", CLI_UNUM(hdr->line),
			    CLI_UNUM(i + 1));
			return -1;
		}
		m->col[c->map[k].field] = (int)i;
		used[i] = 1;
	}
	for (int f = 0; f < RF_COUNT; f++) {
		if (m->col[f] >= 0)
			continue;
		for (size_t i = 0; i < hdr->n; i++) {
			if (used[i])
				continue;
			squash(hdr->f[i], hdr->len[i], sq, sizeof(sq));
			for (size_t d = 0; d < 8 && defaults[f][d] != NULL; d++) {
				if (strcmp(sq, defaults[f][d]) != 0)
					continue;
				if (m->col[f] >= 0) {
					CLI_FILL(why, whylen, "cli.why.ref.both",
					    CLI_UNUM(hdr->line), CLI_NUM(m->col[f] + 1),
					    CLI_UNUM(i + 1), ref_field_name(f));
					return -1;
				}
				m->col[f] = (int)i;
			}
		}
		if (m->col[f] >= 0)
			used[m->col[f]] = 1;
	}
	if (m->col[RF_REFERENCE] < 0) {
		CLI_FILL(why, whylen, "cli.why.ref.no_ref_column", CLI_UNUM(hdr->line));
		return -1;
	}
	return 0;
}

int
ref_map_record(const struct ref_config *c, const struct ref_map *m, const struct ref_csv_row *row,
    struct ref_record *r, char *why, size_t whylen)
{
	if (row->n != m->ncols) {
		CLI_FILL(why, whylen, "cli.why.ref.fields", CLI_UNUM(row->line), CLI_UNUM(row->n),
		    CLI_UNUM(m->ncols));
		return -1;
	}
	for (int f = 0; f < RF_COUNT; f++) {
		int col = m->col[f];
		const char *v = col >= 0 ? row->f[col] : "";
		size_t len = col >= 0 ? row->len[col] : 0;

		/* Surrounding blanks are an export artefact, not data. */
		while (len > 0 && (*v == ' ' || *v == '\t'))
			v++, len--;
		while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
			len--;
		r->v[f] = v;
		r->len[f] = len;
		r->day[f] = -1;
		if (ref_field_is_date(f) && len > 0 && ref_date_parse(v, len, &r->day[f]) < 0) {
			/* register text on the error line: escaped (a newline
			 * or a character cut at 24 bytes must not go out raw) */
			char *q = rv_safe_dup(v, len > 24 ? 24 : len);
			CLI_FILL(why, whylen, "cli.why.ref.not_date", CLI_UNUM(row->fline[col]),
			    CLI_NUM(col + 1), ref_field_name(f), q != NULL ? q : "?");
			free(q);
			return -1;
		}
	}
	if (r->len[RF_REFERENCE] == 0) {
		int col = m->col[RF_REFERENCE];
		CLI_FILL(why, whylen, "cli.why.ref.ref_empty", CLI_UNUM(row->fline[col]),
		    CLI_NUM(col + 1));
		return -1;
	}
	if (ref_normalise(c, r->v[RF_REFERENCE], r->len[RF_REFERENCE], r->ref) < 0) {
		int col = m->col[RF_REFERENCE];
		CLI_FILL(why, whylen, "cli.why.ref.not_ref", CLI_UNUM(row->fline[col]),
		    CLI_NUM(col + 1), CLI_NUM(REF_REF_MAX));
		return -1;
	}
	return 0;
}
