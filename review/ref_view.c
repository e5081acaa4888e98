/*
 * Showing referrals: `referrals list` (every reference named by a concern,
 * how many distinct concerns name it, link state and flags) and the
 * referral section of `show ID`. Register values and references are
 * untrusted text: they reach the terminal only through rv_print_safe /
 * rv_safe_dup, and CSV cells are quoted and defused against spreadsheet
 * formulas.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium/utils.h>

#include "review/ref.h"
#include "review/review.h"
#include "util/util.h"

static const char sql_groups[] =
    /* A near link is a question, not a naming: it counts as "possible",
     * not towards corroboration. */
    "SELECT idx, count(DISTINCT CASE WHEN state <> 'near' THEN concern_id END),"
    " group_concat(DISTINCT state),"
    /* the reference is shown from a concern this reviewer holds the key
     * of (?1 = key id); named only by others' concerns: not listed */
    " min(CASE WHEN concern_id IN (SELECT concern_id FROM concern_keys WHERE keyid=?1)"
    " THEN concern_id END),"
    " count(DISTINCT CASE WHEN state = 'near' THEN concern_id END)"
    " FROM ref_links WHERE state <> 'rejected' GROUP BY idx";
static const char sql_ref_of[] = "SELECT ref FROM ref_links WHERE concern_id=? AND idx=?";
static const char sql_concern_links[] =
    "SELECT idx, state, ref, coalesce(named, ref), named IS NULL FROM ref_links"
    " WHERE concern_id=?"
    " ORDER BY CASE state WHEN 'missing' THEN 0 WHEN 'near' THEN 1 WHEN 'exact' THEN 2"
    " WHEN 'manual' THEN 3 ELSE 4 END, date";
static const char sql_others[] =
    "SELECT count(DISTINCT concern_id) FROM ref_links WHERE idx=? AND state <> 'rejected'"
    " AND concern_id <> ?";

static int32_t
today_day(void)
{
	char t[11];
	int32_t d = 0;

	if (util_today(t) != 0 || ref_date_parse(t, 10, &d) != 0)
		return 0;
	return d;
}

static void
flags_text(unsigned fl, char *out, size_t outlen)
{
	size_t o = 0;

	out[0] = '\0';
	for (int i = 0; i < REF_FLAG_COUNT; i++) {
		if (!(fl & (1u << i)))
			continue;
		int n = snprintf(out + o, outlen - o, "%s%s", o ? "," : "", ref_flag_name(i));
		if (n < 0 || (size_t)n >= outlen - o)
			break;
		o += (size_t)n;
	}
}

/* Unseals a link's ref or named column into out. */
static int
link_text(struct casebook *cb, const char *cid, const uint8_t idx[32], const char *col,
    const void *ct, size_t ctlen, char out[REF_REF_MAX + 1])
{
	char ad[128], hex[65];
	uint8_t *pt;
	size_t len;

	ref_idx_hex(idx, hex);
	snprintf(ad, sizeof(ad), "reflink:%s:%s:%s", cid, hex, col);
	if (cb_unseal_concern(cb, cid, ad, ct, ctlen, &pt, &len) != 0)
		return -1;
	if (len > REF_REF_MAX) {
		cb_free(pt, len);
		return -1;
	}
	memcpy(out, pt, len + 1);
	cb_free(pt, len);
	return 0;
}

/* ---- referrals list ---------------------------------------------------------- */

struct lrow {
	char ref[REF_REF_MAX + 1];
	long concerns, possible;
	const char *link;
	int in_register;
	char *received, *decision, *status; /* rv_safe_dup'd */
	char flags[160];
	unsigned fl;
};

static int
lrow_cmp(const void *a, const void *b)
{
	const struct lrow *x = a, *y = b;

	if (x->concerns != y->concerns)
		return x->concerns > y->concerns ? -1 : 1;
	if (x->possible != y->possible)
		return x->possible > y->possible ? -1 : 1;
	return strcmp(x->ref, y->ref);
}

static void
csv_cell(FILE *out, const char *s, int last)
{
	/* A leading = + - @ would be a formula in a spreadsheet. */
	int lead = strchr("=+-@", s[0]) != NULL && s[0] != '\0';

	fputc('"', out);
	if (lead)
		fputc('\'', out);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
	fputc(last ? '\n' : ',', out);
}

/* What `referrals list --flag` and the desk's referrals filter accept: a
 * statutory-timescale flag, or one of the link states a reviewer works
 * through (missing, near, manual). One test for both, so the desk cannot
 * refuse a filter the CLI's --help offers. */
int
ref_filter_ok(const char *flag)
{
	return ref_flag_parse(flag) != 0 || strcmp(flag, "missing") == 0 ||
	    strcmp(flag, "near") == 0 || strcmp(flag, "manual") == 0;
}

static int
keep_row(const struct lrow *r, const char *flag)
{
	if (flag == NULL)
		return 1;
	if (strcmp(flag, "missing") == 0)
		return !r->in_register;
	if (strcmp(flag, "near") == 0 || strcmp(flag, "manual") == 0)
		return strcmp(r->link, flag) == 0;
	return (r->fl & (unsigned)ref_flag_parse(flag)) != 0;
}

/* The register column: without an imported register nothing was checked,
 * and "no" or "MISSING" would read as a binned referral. */
static const char *
reg_word(const struct lrow *r, int have_reg, int csv)
{
	if (!have_reg)
		return "unchecked";
	return r->in_register ? "yes" : csv ? "no" : "MISSING";
}

static void
print_rows(struct lrow *rows, size_t n, int csv, int have_reg, FILE *out)
{
	int w = 9;

	if (csv) {
		fprintf(out, "reference,concerns,possible,link,in_register,received,decision,"
			     "status,flags\n"); /* lint-cli: CSV column names */
		for (size_t i = 0; i < n; i++) {
			char num[24], pos[24];
			snprintf(num, sizeof(num), "%ld", rows[i].concerns);
			snprintf(pos, sizeof(pos), "%ld", rows[i].possible);
			csv_cell(out, rows[i].ref, 0);
			csv_cell(out, num, 0);
			csv_cell(out, pos, 0);
			csv_cell(out, rows[i].link, 0);
			csv_cell(out, reg_word(&rows[i], have_reg, 1), 0);
			csv_cell(out, rows[i].received, 0);
			csv_cell(out, rows[i].decision, 0);
			csv_cell(out, rows[i].status, 0);
			csv_cell(out, rows[i].flags, 1);
		}
		return;
	}
	if (n == 0) {
		CLI_PUT(out, "cli.rv.refs.none_named");
		return;
	}
	for (size_t i = 0; i < n; i++)
		if ((int)strlen(rows[i].ref) > w)
			w = (int)strlen(rows[i].ref);
	/* the same header style as `list`: the CSV column names */
	fprintf(out, "%-*s  %8s  %8s  %-7s  %-11s  %-10s  %-20s  %-12s  %s\n", w, "reference",
	    "concerns", "possible", "link", "in_register", "received", "decision", "status",
	    "flags"); /* lint-cli: column names, as `list`'s and the CSV's */
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%-*s  %8ld  %8ld  %-7s  %-11s  %-10s  %-20.40s  %-12.40s  %s\n", w,
		    rows[i].ref, rows[i].concerns, rows[i].possible, rows[i].link,
		    reg_word(&rows[i], have_reg, 0),
		    rows[i].received[0] ? rows[i].received : "-",
		    rows[i].decision[0] ? rows[i].decision : "-",
		    rows[i].status[0] ? rows[i].status : "-",
		    rows[i].flags[0] ? rows[i].flags : "-");
}

int
ref_list(const char *cmd, struct casebook *cb, const char *flag, int csv, FILE *out)
{
	sqlite3_stmt *g = NULL, *one = NULL;
	struct lrow *rows = NULL, *nr;
	size_t n = 0, cap = 0;
	struct ref_ctx *ctx;
	int32_t today = today_day();
	int s, rc = -1, have_reg;

	if ((ctx = ref_ctx_get(cb)) == NULL ||
	    sqlite3_prepare_v2(cb_db(cb), sql_groups, -1, &g, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(cb_db(cb), sql_ref_of, -1, &one, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_blob(g, 1, cb_seckey(cb)->pub.keyid, CC_KEYID_BYTES, SQLITE_STATIC);
	while ((s = sqlite3_step(g)) == SQLITE_ROW) {
		const uint8_t *idx = sqlite3_column_blob(g, 0);
		const char *states = (const char *)sqlite3_column_text(g, 2);
		const char *cid = (const char *)sqlite3_column_text(g, 3);
		struct ref_reg reg;
		struct lrow r;
		int in;

		if (sqlite3_column_type(g, 3) == SQLITE_NULL)
			continue;
		if (sqlite3_column_bytes(g, 0) != 32 || states == NULL || cid == NULL)
			goto fail;
		memset(&r, 0, sizeof(r));
		r.concerns = (long)sqlite3_column_int64(g, 1);
		r.possible = (long)sqlite3_column_int64(g, 4);
		r.link = strstr(states, "manual")  ? "manual"
			 : strstr(states, "exact") ? "exact"
			 : strstr(states, "near")  ? "near"
						   : "missing";
		sqlite3_reset(one);
		sqlite3_bind_text(one, 1, cid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_blob(one, 2, idx, 32, SQLITE_TRANSIENT);
		if (sqlite3_step(one) != SQLITE_ROW ||
		    link_text(cb, cid, idx, "ref", sqlite3_column_blob(one, 0),
			(size_t)sqlite3_column_bytes(one, 0), r.ref) != 0)
			goto fail;
		if ((in = ref_reg_load(cb, idx, &reg)) < 0)
			goto fail;
		r.in_register = in;
		if (in) {
			r.fl = ref_reg_flags(&ctx->cfg, &reg, today);
			flags_text(r.fl, r.flags, sizeof(r.flags));
		}
		r.received =
		    rv_safe_dup(in ? reg.v[RF_RECEIVED] : "", in ? strlen(reg.v[RF_RECEIVED]) : 0);
		r.decision =
		    rv_safe_dup(in ? reg.v[RF_DECISION] : "", in ? strlen(reg.v[RF_DECISION]) : 0);
		r.status =
		    rv_safe_dup(in ? reg.v[RF_STATUS] : "", in ? strlen(reg.v[RF_STATUS]) : 0);
		if (in)
			ref_reg_free(&reg);
		if (r.received == NULL || r.decision == NULL || r.status == NULL) {
			free(r.received), free(r.decision), free(r.status);
			goto fail;
		}
		if (!keep_row(&r, flag)) {
			free(r.received), free(r.decision), free(r.status);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			if ((nr = realloc(rows, cap * sizeof(*rows))) == NULL) {
				free(r.received), free(r.decision), free(r.status);
				goto fail;
			}
			rows = nr;
		}
		rows[n++] = r;
	}
	if (s != SQLITE_DONE)
		goto fail;
	if (n > 1) /* qsort's pointer must be valid even for 0 rows: rows is NULL then */
		qsort(rows, n, sizeof(*rows), lrow_cmp);
	if ((have_reg = ref_register_imported(cb)) < 0)
		goto fail;
	print_rows(rows, n, csv, have_reg, out);
	rc = 0;
	goto out;
fail:
	RV_ERR(cmd, "cli.rv.refs.unreadable");
out:
	for (size_t i = 0; i < n; i++)
		free(rows[i].received), free(rows[i].decision), free(rows[i].status);
	free(rows);
	sqlite3_finalize(g);
	sqlite3_finalize(one);
	return rc;
}

/* ---- show ID ------------------------------------------------------------------- */

const int ref_fact_order[REF_FACTS_SHOWN] = {RF_RECEIVED, RF_SOURCE, RF_TEAM, RF_DECISION,
    RF_DECISION_DATE, RF_STRATEGY_DATE, RF_S47_DATE, RF_ICPC_DATE, RF_STATUS, RF_CLOSED_DATE,
    RF_CLOSURE_REASON, RF_ASSESSMENT_DATE};

int
ref_links_each(struct casebook *cb, const char *cid, ref_link_fn fn, void *arg)
{
	sqlite3_stmt *st = NULL, *oth = NULL;
	struct ref_ctx *ctx;
	int32_t today = today_day();
	int s, rc = -1, have_reg;

	if ((have_reg = ref_register_imported(cb)) < 0 || (ctx = ref_ctx_get(cb)) == NULL ||
	    sqlite3_prepare_v2(cb_db(cb), sql_concern_links, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(cb_db(cb), sql_others, -1, &oth, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const uint8_t *idx = sqlite3_column_blob(st, 0);
		const char *state = (const char *)sqlite3_column_text(st, 1);
		struct ref_link_view v;
		struct ref_reg reg;
		int r;

		memset(&v, 0, sizeof(v));
		if (sqlite3_column_bytes(st, 0) != 32 || state == NULL ||
		    link_text(cb, cid, idx, "ref", sqlite3_column_blob(st, 2),
			(size_t)sqlite3_column_bytes(st, 2), v.ref) != 0 ||
		    link_text(cb, cid, idx, sqlite3_column_int(st, 4) ? "ref" : "named",
			sqlite3_column_blob(st, 3), (size_t)sqlite3_column_bytes(st, 3),
			v.named) != 0)
			goto out;
		v.state = state;
		v.have_reg = have_reg;
		v.rejected = strcmp(state, "rejected") == 0;
		v.near = strcmp(state, "near") == 0;
		v.manual = strcmp(state, "manual") == 0;
		if (!v.rejected) {
			sqlite3_reset(oth);
			sqlite3_bind_blob(oth, 1, idx, 32, SQLITE_TRANSIENT);
			sqlite3_bind_text(oth, 2, cid, -1, SQLITE_STATIC);
			if (sqlite3_step(oth) == SQLITE_ROW)
				v.others = (long)sqlite3_column_int64(oth, 0);
			if ((v.in = ref_reg_load(cb, idx, &reg)) < 0)
				goto out;
			if (v.in) {
				v.reg = &reg;
				v.flags = ref_reg_flags(&ctx->cfg, &reg, today);
			}
		}
		r = fn(arg, &v);
		if (v.in)
			ref_reg_free(&reg);
		sodium_memzero(&v, sizeof(v));
		if (r != 0)
			goto out;
	}
	if (s != SQLITE_DONE)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(oth);
	return rc;
}

void
ref_flags_text(unsigned fl, char *out, size_t outlen)
{
	flags_text(fl, out, outlen);
}

static void
fact(FILE *out, const char *label, const char *v, int *first)
{
	if (v == NULL || *v == '\0')
		return;
	fprintf(out, "%s%s ", *first ? "      " : "; ", label);
	rv_print_safe(out, v, strlen(v), 0);
	*first = 0;
}

struct show {
	FILE *out;
	const char *cid;
	int count;
};

/* A reference (untrusted: the reporter's or the register's) made safe
 * for the terminal, as a {N} of a catalogue line; "" when out of memory. */
static const char *
safe(char **keep, const char *s)
{
	*keep = rv_safe_dup(s, strlen(s));
	return *keep != NULL ? *keep : "";
}

static int
show_one(void *arg, const struct ref_link_view *v)
{
	struct show *sh = arg;
	FILE *out = sh->out;
	char *ref = NULL, *named = NULL;

	sh->count++;
	fputs("  ", out);
	rv_print_safe(out, v->ref, strlen(v->ref), 0);
	fputs("  ", out);
	if (v->rejected) {
		CLI_PUT(out, "cli.rv.show.ref_rejected");
		return 0;
	}
	if (v->near) {
		CLI_PUT(out, "cli.rv.show.ref_near", safe(&named, v->named), sh->cid,
		    safe(&ref, v->ref));
		free(named);
		free(ref);
	} else if (!v->in && !v->have_reg) {
		/* absence from a register never imported is no evidence */
		CLI_PUT(out, "cli.rv.show.ref_unchecked");
	} else if (!v->in) {
		CLI_PUT(out, "cli.rv.show.ref_missing");
	} else {
		CLI_PUT(out, v->manual ? "cli.rv.show.ref_manual" : "cli.rv.show.ref_in");
	}
	if (v->manual && !v->near && !v->in) {
		fputc(' ', out);
		CLI_PUT(out, "cli.rv.show.ref_by_reviewer");
	}
	CLI_PUT(out, v->others == 1 ? "cli.rv.show.ref_others1" : "cli.rv.show.ref_others",
	    CLI_NUM(v->others));
	if (v->in) {
		char fl[160];
		int first = 1;

		for (size_t i = 0; i < REF_FACTS_SHOWN; i++)
			fact(out, ref_field_name(ref_fact_order[i]), v->reg->v[ref_fact_order[i]],
			    &first);
		if (!first)
			fputc('\n', out);
		flags_text(v->flags, fl, sizeof(fl));
		fputs("      ", out);
		CLI_PUT(out, "cli.rv.show.ref_flags", fl[0] ? fl : CLI_T("cli.rv.show.ref_flags_none"));
	}
	return 0;
}

int
ref_show(struct casebook *cb, const char *cid, FILE *out)
{
	struct show sh = {out, cid, 0};

	CLI_PUT(out, "cli.rv.show.refs_head");
	if (ref_links_each(cb, cid, show_one, &sh) != 0)
		return -1;
	if (sh.count == 0) {
		fputs("  ", out);
		CLI_PUT(out, "cli.rv.show.refs_none");
	}
	return 0;
}
