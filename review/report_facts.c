/*
 * Stage 1 of the report: the casebook -> plain per-case facts and the
 * accountability statement. Nothing that names a case leaves this file:
 * ids are used only as the sealing context of a concern's answers, and
 * referral references only as their keyed index (never unsealed here but
 * for the register facts the timescale flags need).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle/bundle.h"
#include "review/cb_internal.h"
#include "review/ref.h"
#include "review/report.h"
#include "util/util.h"

#define ANSWERS_LEN 2 /* risk, raised_before: enum rp_answer each */

static void
answers_ad(const char *id, char ad[64])
{
	snprintf(ad, 64, "concern:%s:answers", id);
}

static uint8_t
answer(const struct field *f)
{
	if (f == NULL)
		return RP_ANS_UNKNOWN;
	if (f->len == 3 && memcmp(f->val, "yes", 3) == 0)
		return RP_ANS_YES;
	if (f->len == 2 && memcmp(f->val, "no", 2) == 0)
		return RP_ANS_NO;
	return RP_ANS_UNKNOWN;
}

/* The answers are sealed under the casebook key, not the concern's: the
 * report must give the same figures whichever reviewer produces it. Two
 * yes/no answers are no more telling than the category, held in clear. */
int
rp_answers_store(struct casebook *cb, const char *cid)
{
	sqlite3_stmt *st = NULL;
	struct field f[FIELDS_MAX];
	uint8_t *pt = NULL, a[ANSWERS_LEN];
	size_t len = 0, n = 0, off = 0;
	int rc, todo = 0;

	if (sqlite3_prepare_v2(cb_db(cb),
		"SELECT readable = 1 AND answers IS NULL FROM concerns WHERE id=?", -1, &st,
		NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		todo = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (!todo || cb_concern_key_held(cb, cid) != 1)
		return 0;
	if (cb_concern_body(cb, cid, &pt, &len) != 0)
		return -1;
	a[0] = a[1] = RP_ANS_UNKNOWN;
	if (fields_decode(pt, len, FIELDS_CONCERN, f, FIELDS_MAX, &n, &off) == 0) {
		a[0] = answer(fields_get(f, n, "risk"));
		a[1] = answer(fields_get(f, n, "raised_before"));
	}
	rc = rp_answers_seal(cb, cid, a[0], a[1]);
	cb_free(pt, len);
	return rc;
}

int
rp_answers_seal(struct casebook *cb, const char *cid, int risk, int raised)
{
	sqlite3_stmt *st = NULL;
	uint8_t *ct = NULL, a[ANSWERS_LEN] = {(uint8_t)risk, (uint8_t)raised};
	size_t ctlen = 0;
	char ad[64];
	int rc = -1;

	answers_ad(cid, ad);
	if (cb_seal(cb, ad, a, sizeof(a), &ct, &ctlen) != 0 ||
	    sqlite3_prepare_v2(
		cb_db(cb), "UPDATE concerns SET answers=? WHERE id=?", -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_blob(st, 1, ct, (int)ctlen, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cid, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(cb_db(cb)) == 1 ? 0 : -1;
out:
	sqlite3_finalize(st);
	free(ct);
	return rc;
}

static int32_t
day_of(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	int32_t d;
	if (s == NULL || ref_date_parse(s, strnlen(s, 10), &d) != 0)
		return -1;
	return d;
}

static int
today(const char *asof, int32_t *d)
{
	char now[21];
	if (asof != NULL)
		return ref_date_parse(asof, strlen(asof), d);
	return cb_now(now) == 0 && ref_date_parse(now, 10, d) == 0 ? 0 : -1;
}

static const char sql_cases[] =
    "SELECT c.id, c.received, c.readable, c.category, c.status, c.outcome, c.ack_date,"
    " c.closed_date, c.answers, r.d, l.n FROM concerns c"
    " LEFT JOIN (SELECT concern_id, min(date) d FROM replies GROUP BY concern_id) r"
    "  ON r.concern_id = c.id"
    " LEFT JOIN (SELECT concern_id, count(*) n FROM ref_links WHERE state != 'rejected'"
    "  GROUP BY concern_id) l ON l.concern_id = c.id";

static int
read_case(struct casebook *cb, sqlite3_stmt *st, char *const *cats, size_t ncats, int32_t asof,
    struct rp_case *k, struct rp_account *a)
{
	const char *id = (const char *)sqlite3_column_text(st, 0);
	const char *cat = (const char *)sqlite3_column_text(st, 3);
	int32_t reply;

	memset(k, 0, sizeof(*k));
	if (id == NULL || (k->received = day_of(st, 1)) < 0)
		return -1;
	k->ack = day_of(st, 6);
	k->closed = sqlite3_column_int(st, 4) == CB_CLOSED ? day_of(st, 7) : -1;
	k->outcome = (uint8_t)sqlite3_column_int(st, 5);
	/* Feedback is the first reply, or the closing (the outcome goes to
	 * the reporter with the next export-replies), whichever came first. */
	reply = day_of(st, 9);
	k->feedback = reply;
	if (k->closed >= 0 && (reply < 0 || k->closed < reply))
		k->feedback = k->closed;
	k->named = sqlite3_column_int(st, 10) > 0;
	/* As of a past day (--as-of): what came after it has not happened. */
	if (k->ack > asof)
		k->ack = -1;
	if (k->closed > asof) {
		k->closed = -1;
		k->outcome = 0;
	}
	if (k->feedback > asof)
		k->feedback = -1;
	k->category = (uint8_t)ncats;
	int readable = sqlite3_column_int(st, 2) == 1;
	for (size_t i = 0; readable && cat != NULL && i < ncats; i++)
		if (strcmp(cat, cats[i]) == 0)
			k->category = (uint8_t)i;
	k->risk = k->raised = RP_ANS_UNKNOWN;
	if (readable && sqlite3_column_type(st, 8) == SQLITE_BLOB) {
		uint8_t *pt = NULL;
		size_t len = 0;
		char ad[64];
		answers_ad(id, ad);
		if (cb_unseal(cb, ad, sqlite3_column_blob(st, 8),
			(size_t)sqlite3_column_bytes(st, 8), &pt, &len) != 0)
			return -1; /* changed in the file: refuse, do not guess */
		if (len == ANSWERS_LEN) {
			k->risk = pt[0] <= RP_ANS_NO ? pt[0] : RP_ANS_UNKNOWN;
			k->raised = pt[1] <= RP_ANS_NO ? pt[1] : RP_ANS_UNKNOWN;
		}
		cb_free(pt, len);
	}
	a->concerns++;
	if (readable)
		a->readable++;
	else
		a->sealed_others++;
	if (k->closed >= 0)
		a->closed++;
	else
		a->open++;
	return 0;
}

static int
read_cases(struct casebook *cb, char *const *cats, size_t ncats, struct rp_input *in,
    struct rp_account *a, FILE *progress)
{
	sqlite3_stmt *st = NULL;
	struct rp_case *cases = NULL;
	size_t cap = 0;
	int r, rc = -1;

	if (sqlite3_prepare_v2(cb_db(cb), sql_cases, -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (in->ncases == cap) {
			size_t ncap = cap ? cap * 2 : 1024;
			struct rp_case *nc;
			if (ncap > RP_CASES_MAX ||
			    (nc = realloc(cases, ncap * sizeof(*cases))) == NULL)
				goto out;
			cases = nc;
			cap = ncap;
		}
		if (read_case(cb, st, cats, ncats, in->asof, &cases[in->ncases], a) != 0)
			goto out;
		in->ncases++;
		if (progress != NULL && in->ncases % 50000 == 0)
			fprintf(progress, "\rreport: %zu concerns read", in->ncases);
	}
	if (progress != NULL)
		fprintf(progress, "\rreport: %zu concerns read\n", in->ncases);
	rc = r == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(st);
	in->cases = cases;
	return rc;
}

static const char sql_refs[] =
    "SELECT l.idx, l.state, c.received FROM ref_links l JOIN concerns c ON c.id = l.concern_id"
    " WHERE l.state != 'rejected' ORDER BY l.idx";

static uint8_t
link_state(const char *s)
{
	if (s != NULL && (strcmp(s, "exact") == 0 || strcmp(s, "manual") == 0))
		return RP_REF_RECORDED;
	if (s != NULL && strcmp(s, "near") == 0)
		return RP_REF_NEAR;
	return RP_REF_MISSING;
}

static int
ref_flags_of(
    struct casebook *cb, struct ref_ctx *ctx, const uint8_t idx[32], int32_t now, uint32_t *flags)
{
	struct ref_reg reg;
	int r = ref_reg_load(cb, idx, &reg);
	if (r < 0)
		return -1;
	*flags = r == 1 ? ref_reg_flags(&ctx->cfg, &reg, now) : 0;
	if (r == 1)
		ref_reg_free(&reg);
	return 0;
}

static int
read_refs(struct casebook *cb, struct rp_input *in, int32_t now)
{
	sqlite3_stmt *st = NULL;
	struct rp_ref *refs = NULL, *cur = NULL;
	struct ref_ctx *ctx = ref_ctx_get(cb);
	uint8_t last[32];
	size_t cap = 0;
	int r, rc = -1;

	if (ctx == NULL || sqlite3_prepare_v2(cb_db(cb), sql_refs, -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const uint8_t *idx = sqlite3_column_blob(st, 0);
		int32_t d = day_of(st, 2);
		if (idx == NULL || sqlite3_column_bytes(st, 0) != 32 || d < 0)
			goto out;
		if (cur == NULL || memcmp(idx, last, 32) != 0) { /* an index, not a secret */
			if (cur != NULL && cur->state == RP_REF_RECORDED &&
			    ref_flags_of(cb, ctx, last, now, &cur->flags) != 0)
				goto out;
			if (in->nrefs == cap) {
				size_t ncap = cap ? cap * 2 : 256;
				struct rp_ref *nr;
				if (ncap > RP_CASES_MAX ||
				    (nr = realloc(refs, ncap * sizeof(*refs))) == NULL)
					goto out;
				refs = nr;
				cap = ncap;
			}
			cur = &refs[in->nrefs++];
			memset(cur, 0, sizeof(*cur));
			cur->first_named = d;
			cur->state = RP_REF_MISSING;
			memcpy(last, idx, 32);
		}
		cur->nconcerns++;
		cur->first_named = d < cur->first_named ? d : cur->first_named;
		uint8_t s = link_state((const char *)sqlite3_column_text(st, 1));
		cur->state = s < cur->state ? s : cur->state;
	}
	if (r != SQLITE_DONE || (cur != NULL && cur->state == RP_REF_RECORDED &&
				    ref_flags_of(cb, ctx, last, now, &cur->flags) != 0))
		goto out;
	rc = 0;
out:
	sqlite3_finalize(st);
	in->refs = refs;
	return rc;
}

/* Records held, by kind, and the sequence numbers missing inside 1..head. */
static void
missing_add(struct rp_account *a, uint64_t first, uint64_t last)
{
	a->missing += last - first + 1;
	if (a->nmissing_ranges > 0 && a->missing_last[a->nmissing_ranges - 1] + 1 == first) {
		a->missing_last[a->nmissing_ranges - 1] = last;
		return;
	}
	if (a->nmissing_ranges < RP_MISSING_RANGES) {
		a->missing_first[a->nmissing_ranges] = first;
		a->missing_last[a->nmissing_ranges] = last;
		a->nmissing_ranges++;
	}
}

static int
read_records(struct casebook *cb, struct rp_account *a)
{
	sqlite3_stmt *st = NULL;
	uint64_t expect = 1;
	int r;

	if (cb_head(cb, &a->head_seq, a->head) != 0 ||
	    sqlite3_prepare_v2(cb_db(cb), "SELECT seq, kind, imported FROM records ORDER BY seq",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t seq = (uint64_t)sqlite3_column_int64(st, 0);
		const char *imp = (const char *)sqlite3_column_text(st, 2);
		if (seq < expect || seq > a->head_seq)
			break;
		if (seq > expect)
			missing_add(a, expect, seq - 1);
		expect = seq + 1;
		a->held++;
		if (sqlite3_column_int(st, 1) == BREC_FOLLOWUP)
			a->followups++;
		if (imp != NULL && strlen(imp) >= 10 && strncmp(imp, a->last_import, 10) > 0)
			memcpy(a->last_import, imp, 10);
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return -1;
	if (expect <= a->head_seq)
		missing_add(a, expect, a->head_seq);
	return 0;
}

int
rp_facts_read(struct casebook *cb, char *const *cats, size_t ncats, struct rp_input *in,
    struct rp_account *a, const char *asof, FILE *progress, const char **why)
{
	int32_t now;

	memset(in, 0, sizeof(*in));
	memset(a, 0, sizeof(*a));
	in->categories = cats;
	in->ncategories = ncats;
	*why = "cannot read the casebook";
	if (today(asof, &now) != 0) {
		*why = "bad --as-of date";
		return -1;
	}
	in->asof = now;
	/* One pass over every concern: a page cache that holds the casebook's
	 * hot tables saves a pread per page (64 MiB at most). */
	if (sqlite3_exec(cb_db(cb), "PRAGMA cache_size=-65536", NULL, NULL, NULL) != SQLITE_OK ||
	    read_records(cb, a) != 0)
		return -1;
	if (read_cases(cb, cats, ncats, in, a, progress) != 0) {
		*why = "a concern's facts are damaged or changed in the file";
		return -1;
	}
	if (read_refs(cb, in, now) != 0) {
		*why = "cannot read the referral links or the register";
		return -1;
	}
	return 0;
}

void
rp_input_free(struct rp_input *in)
{
	free((void *)in->cases);
	free((void *)in->refs);
	in->cases = NULL;
	in->refs = NULL;
}

int
rp_head_check(struct casebook *cb, struct rp_account *a, uint64_t count, const char *hexhead)
{
	uint8_t want[CC_HASH_BYTES];
	sqlite3_stmt *st = NULL;
	int rc = 1;

	if (count == 0 || util_unhex(hexhead, want, sizeof(want)) != 0)
		return 1;
	a->intake_count = count;
	util_hex(want, sizeof(want), a->intake_head);
	if (count > a->head_seq) {
		/* Beyond what this casebook holds: it cannot be checked here,
		 * and the records after the head are the headline. */
		a->head_check = RP_HEAD_BEHIND;
		missing_add(a, a->head_seq + 1, count);
		return 0;
	}
	if (sqlite3_prepare_v2(cb_db(cb), "SELECT link FROM records WHERE seq=?", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)count);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == CC_HASH_BYTES &&
	    sodium_memcmp(sqlite3_column_blob(st, 0), want, CC_HASH_BYTES) == 0) {
		a->head_check = count == a->head_seq ? RP_HEAD_MATCH : RP_HEAD_BEYOND;
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}
