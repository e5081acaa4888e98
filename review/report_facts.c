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

/* 1 when cid is readable here, its key held and no answers stored yet;
 * 0 when there is nothing to store; -1 on error. A kept statement: import
 * asks once per record. */
static int
answers_todo(struct casebook *cb, const char *cid)
{
	sqlite3_stmt *st;
	int todo = 0, r;

	if ((st = cb_stmt(cb, "SELECT readable = 1 AND answers IS NULL FROM concerns"
			      " WHERE id=?")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	if ((r = sqlite3_step(st)) == SQLITE_ROW)
		todo = sqlite3_column_int(st, 0);
	cb_stmt_done(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return -1;
	return todo && cb_concern_key_held(cb, cid) == 1;
}

/* The answers are sealed under the casebook key, not the concern's: the
 * report must give the same figures whichever reviewer produces it. Two
 * yes/no answers are no more telling than the category, held in clear.
 * Only called when answers_todo said 1: none are stored yet, so there is
 * no voice answer to keep. */
static int
answers_seal_new(struct casebook *cb, const char *cid, const uint8_t *pt, size_t len)
{
	struct field f[FIELDS_MAX];
	struct rp_answers a;
	size_t n = 0, off = 0;

	memset(&a, 0, sizeof(a));
	a.risk = a.raised = RP_ANS_UNKNOWN;
	if (fields_decode(pt, len, FIELDS_CONCERN, f, FIELDS_MAX, &n, &off) == 0) {
		a.risk = answer(fields_get(f, n, "risk"));
		a.raised = answer(fields_get(f, n, "raised_before"));
	}
	return rp_answers_put(cb, cid, &a);
}

int
rp_answers_store(struct casebook *cb, const char *cid)
{
	uint8_t *pt = NULL;
	size_t len = 0;
	int rc;

	if ((rc = answers_todo(cb, cid)) != 1)
		return rc;
	if (cb_concern_body(cb, cid, &pt, &len) != 0)
		return -1;
	rc = answers_seal_new(cb, cid, pt, len);
	cb_free(pt, len);
	return rc;
}

/* Import's variant: pt is the body of cid it has just opened and stored
 * (the caller's plaintext, wiped by the caller), not opened again. */
int
rp_answers_store_body(struct casebook *cb, const char *cid, const uint8_t *pt, size_t len)
{
	int rc;

	if ((rc = answers_todo(cb, cid)) != 1)
		return rc;
	return answers_seal_new(cb, cid, pt, len);
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

/* Concern id -> case index: replies and links are joined in one pass
 * each, not by an index lookup per concern. Open addressing; ids are
 * CB_ID_CHARS (8) characters, packed into the key (0 = empty). */
struct idmap {
	uint64_t *key;
	uint32_t *val;
	size_t mask;
};

static uint64_t
id_key(const char *id)
{
	uint64_t k = 0;
	if (id == NULL || strlen(id) != CB_ID_CHARS)
		return 0;
	memcpy(&k, id, CB_ID_CHARS);
	return k;
}

static int
idmap_init(struct idmap *m, size_t n)
{
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	m->key = calloc(cap, sizeof(*m->key));
	m->val = calloc(cap, sizeof(*m->val));
	m->mask = cap - 1;
	return m->key && m->val ? 0 : -1;
}

static void
idmap_free(struct idmap *m)
{
	free(m->key);
	free(m->val);
}

/* Slot of k: where it is, or the empty slot where it goes. */
static size_t
idmap_slot(const struct idmap *m, uint64_t k)
{
	size_t i = (size_t)((k * 0x9E3779B97F4A7C15ull) >> 20) & m->mask;
	while (m->key[i] != 0 && m->key[i] != k)
		i = (i + 1) & m->mask;
	return i;
}

/* The case of id, or -1. */
static int64_t
idmap_get(const struct idmap *m, const char *id)
{
	uint64_t k = id_key(id);
	if (k == 0)
		return -1;
	size_t i = idmap_slot(m, k);
	return m->key[i] == k ? (int64_t)m->val[i] : -1;
}

static const char sql_cases[] = "SELECT id, received, readable, category, status, outcome,"
				" ack_date, closed_date, answers, feedback_date, seq FROM concerns";

/* A concern the casebook did not hold on the --as-of day: received after
 * it, or beyond the chain as it stood then (read_records). Marked while
 * the replies and links are joined by index, then dropped. */
#define RP_LATER INT32_MAX

static int
read_case(struct casebook *cb, sqlite3_stmt *st, char *const *cats, size_t ncats, uint64_t last_seq,
    struct rp_case *k)
{
	const char *id = (const char *)sqlite3_column_text(st, 0);
	const char *cat = (const char *)sqlite3_column_text(st, 3);

	memset(k, 0, sizeof(*k));
	if (id == NULL || (k->received = day_of(st, 1)) < 0)
		return -1;
	k->ack = day_of(st, 6);
	k->closed = sqlite3_column_int(st, 4) == CB_CLOSED ? day_of(st, 7) : -1;
	k->outcome = (uint8_t)sqlite3_column_int(st, 5);
	/* the first reply, joined later; a purge keeps its date here when
	 * it removes the replies (cmd_audit.c), so past periods stay as they were */
	k->feedback = day_of(st, 9);
	k->category = (uint8_t)ncats;
	int readable = sqlite3_column_int(st, 2) == 1;
	for (size_t i = 0; readable && cat != NULL && i < ncats; i++)
		if (strcmp(cat, cats[i]) == 0)
			k->category = (uint8_t)i;
	k->risk = k->raised = RP_ANS_UNKNOWN;
	k->readable = (uint8_t)readable;
	if (readable && sqlite3_column_type(st, 8) == SQLITE_BLOB) {
		struct rp_answers a;
		if (rp_answers_open(cb, id, sqlite3_column_blob(st, 8),
			(size_t)sqlite3_column_bytes(st, 8), &a) != 0)
			return -1; /* changed in the file: refuse, do not guess */
		k->risk = a.risk;
		k->raised = a.raised;
		/* an answer given by a follow-up after the --as-of day is not
		 * counted; the answer before it is not kept, so the question
		 * counts as not answered then */
		for (size_t q = 0; q < VOICE_QUESTIONS; q++)
			k->voice[q] = a.voice_seq[q] <= last_seq ? a.voice[q] : 0;
	}
	if ((uint64_t)sqlite3_column_int64(st, 10) > last_seq)
		k->received = RP_LATER;
	return 0;
}

/* Feedback is the first reply, or the closing (the outcome goes to the
 * reporter with the next export-replies), whichever came first. As of a
 * past day (--as-of), what came after it has not happened. */
static void
finish_case(struct rp_case *k, int32_t asof, struct rp_account *a)
{
	if (k->received > asof) {
		k->received = RP_LATER;
		return;
	}
	if (k->closed >= 0 && (k->feedback < 0 || k->closed < k->feedback))
		k->feedback = k->closed;
	if (k->ack > asof)
		k->ack = -1;
	if (k->closed > asof) {
		k->closed = -1;
		k->outcome = 0;
	}
	if (k->feedback > asof)
		k->feedback = -1;
	a->concerns++;
	if (k->readable)
		a->readable++;
	else
		a->sealed_others++;
	if (k->closed >= 0)
		a->closed++;
	else
		a->open++;
}

static int
count_rows(struct casebook *cb, const char *sql, size_t *n)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(cb_db(cb), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		*n = (size_t)sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Calls fn(ctx, case, row) for every row of sql whose first column is a
 * concern id of this casebook; an unknown id is a damaged casebook. */
static int
join_rows(struct casebook *cb, const char *sql, const struct idmap *m, struct rp_input *in,
    int (*fn)(struct rp_input *, struct rp_case *, sqlite3_stmt *))
{
	sqlite3_stmt *st = NULL;
	int r, rc = -1;

	if (sqlite3_prepare_v2(cb_db(cb), sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t i = idmap_get(m, (const char *)sqlite3_column_text(st, 0));
		if (i < 0 || fn(in, (struct rp_case *)&in->cases[i], st) != 0)
			goto out;
	}
	rc = r == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(st);
	return rc;
}

static int
join_reply(struct rp_input *in, struct rp_case *k, sqlite3_stmt *st)
{
	(void)in;
	int32_t d = day_of(st, 1);
	if (d < 0)
		return -1;
	if (k->feedback < 0 || d < k->feedback)
		k->feedback = d;
	return 0;
}

static int
join_link(struct rp_input *in, struct rp_case *k, sqlite3_stmt *st)
{
	(void)in;
	(void)st;
	k->named = 1;
	return 0;
}

static int
read_cases(struct casebook *cb, char *const *cats, size_t ncats, struct rp_input *in,
    struct rp_account *a, struct idmap *m, FILE *progress)
{
	sqlite3_stmt *st = NULL;
	struct rp_case *cases = NULL;
	size_t n = 0;
	int r, rc = -1;

	if (count_rows(cb, "SELECT count(*) FROM concerns", &n) != 0 || n > RP_CASES_MAX ||
	    idmap_init(m, n) != 0 || (cases = calloc(n + 1, sizeof(*cases))) == NULL ||
	    sqlite3_prepare_v2(cb_db(cb), sql_cases, -1, &st, NULL) != SQLITE_OK)
		goto out;
	in->cases = cases;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t k = id_key((const char *)sqlite3_column_text(st, 0));
		size_t slot;
		if (in->ncases >= n || k == 0 || m->key[slot = idmap_slot(m, k)] != 0 ||
		    read_case(cb, st, cats, ncats, a->head_seq, &cases[in->ncases]) != 0)
			goto out;
		m->key[slot] = k;
		m->val[slot] = (uint32_t)in->ncases;
		in->ncases++;
		if (progress != NULL && in->ncases % 50000 == 0) {
			fputc('\r', progress); /* back to the line's start */
			CLI_PUT(progress, "cli.rv.report.progress", CLI_UNUM(in->ncases), CLI_UNUM(n));
		}
	}
	if (r != SQLITE_DONE ||
	    join_rows(cb, "SELECT concern_id, date FROM replies", m, in, join_reply) != 0 ||
	    join_rows(cb, "SELECT concern_id FROM ref_links WHERE state != 'rejected'", m, in,
		join_link) != 0)
		goto out;
	for (size_t i = 0; i < in->ncases; i++)
		finish_case(&cases[i], in->asof, a);
	if (progress != NULL) {
		fputc('\r', progress);
		CLI_PUT(progress, "cli.rv.report.progress_done", CLI_UNUM(in->ncases));
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	in->cases = cases;
	return rc;
}

static const char sql_refs[] = "SELECT idx, state, concern_id FROM ref_links"
			       " WHERE state != 'rejected' ORDER BY idx";

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
read_refs(struct casebook *cb, struct rp_input *in, const struct idmap *m, int32_t now)
{
	sqlite3_stmt *st = NULL;
	struct rp_ref *refs = NULL, *cur = NULL;
	struct ref_ctx *ctx = ref_ctx_get(cb);
	uint8_t last[32];
	size_t cap = 0;
	int r, rc = -1;

	in->nrefs = 0; /* refs grows from nothing: the count must start with it */
	if (ctx == NULL || sqlite3_prepare_v2(cb_db(cb), sql_refs, -1, &st, NULL) != SQLITE_OK)
		return -1;
	in->days[RP_DAYS_DECISION] = ctx->cfg.decision_days;
	in->days[RP_DAYS_ICPC] = ctx->cfg.icpc_days;
	in->days[RP_DAYS_ASSESSMENT] = ctx->cfg.assessment_days;
	in->days[RP_DAYS_NFA] = ctx->cfg.nfa_days;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const uint8_t *idx = sqlite3_column_blob(st, 0);
		int64_t ci = idmap_get(m, (const char *)sqlite3_column_text(st, 2));
		if (idx == NULL || sqlite3_column_bytes(st, 0) != 32 || ci < 0)
			goto out;
		int32_t d = in->cases[ci].received;
		if (d == RP_LATER) /* named first after the --as-of day */
			continue;
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

/* As of a past day (--as-of), the chain as it stood then: the records up
 * to the first one dated after it (the intake numbers records in the
 * order it accepts them), with that prefix's last record as the head. */
static int
read_records(struct casebook *cb, struct rp_account *a, int32_t asof)
{
	sqlite3_stmt *st = NULL;
	uint8_t link[CC_HASH_BYTES] = {0};
	uint64_t expect = 1;
	int r;

	if (cb_head(cb, &a->head_seq, a->head) != 0 ||
	    sqlite3_prepare_v2(cb_db(cb),
		"SELECT seq, kind, imported, date, link FROM records ORDER BY seq", -1, &st,
		NULL) != SQLITE_OK)
		return -1;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t seq = (uint64_t)sqlite3_column_int64(st, 0);
		const char *imp = (const char *)sqlite3_column_text(st, 2);
		if (seq < expect || seq > a->head_seq)
			break;
		if (day_of(st, 3) > asof) {
			/* a chain of records 1..expect-1, ending at the last held */
			a->head_seq = expect - 1;
			memcpy(a->head, link, sizeof(link));
			r = SQLITE_DONE;
			break;
		}
		if (sqlite3_column_bytes(st, 4) != CC_HASH_BYTES) {
			r = SQLITE_ERROR;
			break;
		}
		memcpy(link, sqlite3_column_blob(st, 4), CC_HASH_BYTES);
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
    struct rp_account *a, const char *asof, FILE *progress, int *fail)
{
	int32_t now;

	memset(in, 0, sizeof(*in));
	memset(a, 0, sizeof(*a));
	in->categories = cats;
	in->ncategories = ncats;
	*fail = RP_FAIL_READ;
	if (rp_day_of(asof, &now) != 0) {
		*fail = RP_FAIL_ASOF;
		return -1;
	}
	in->asof = now;
	/* One pass over every concern: a page cache that holds the casebook's
	 * hot tables saves a pread per page (64 MiB at most). */
	if (sqlite3_exec(cb_db(cb), "PRAGMA cache_size=-65536", NULL, NULL, NULL) != SQLITE_OK ||
	    read_records(cb, a, now) != 0)
		return -1;
	struct idmap m = {NULL, NULL, 0};
	int rc = -1;
	if (read_cases(cb, cats, ncats, in, a, &m, progress) != 0)
		*fail = RP_FAIL_DAMAGED;
	else if (read_refs(cb, in, &m, now) != 0)
		*fail = RP_FAIL_REFS;
	else
		rc = 0;
	/* drop the concerns the casebook did not hold on the --as-of day */
	struct rp_case *cases = (struct rp_case *)in->cases;
	size_t kept = 0;
	for (size_t i = 0; rc == 0 && i < in->ncases; i++)
		if (cases[i].received != RP_LATER)
			cases[kept++] = cases[i];
	if (rc == 0)
		in->ncases = kept;
	/* (a date it cannot read says nothing: no month is taken as empty) */
	if (rc == 0 && a->last_import[0] != '\0' &&
	    ref_date_parse(a->last_import, 10, &in->last_import) != 0)
		in->last_import = 0;
	idmap_free(&m);
	return rc;
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
