/*
 * Links between concerns and referral references: extraction from a
 * concern's text at import (ref_after_import), classification against the
 * in-memory register index (exact, near, missing), relinking after a
 * register import, and the reviewer's own links and rejections. The link
 * table is described in review/ref_store.c and SECURITY.md.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium/utils.h>

#include "review/ref.h"
#include "review/review.h"
#include "util/util.h"

static const char sql_link_add[] =
    "INSERT INTO ref_links(concern_id, idx, state, ref, named, date) VALUES(?,?,?,?,?,?)"
    " ON CONFLICT(concern_id, idx) DO NOTHING";
/* The same into an import's stage (ref_links_stage), no conflict there:
 * the first of two with one key wins when the stage goes in. */
static const char sql_link_stage[] =
    "INSERT INTO temp.ref_links_new(concern_id, idx, state, ref, named, date)"
    " VALUES(?,?,?,?,?,?)";
/* Relinking touches only the links of concerns this reviewer holds the
 * key of (?1 = key id): the others' references do not open with it. */
static const char sql_link_auto[] =
    "SELECT concern_id, idx, coalesce(named, ref), named IS NULL FROM ref_links"
    " WHERE state IN ('missing','near')"
    " AND concern_id IN (SELECT concern_id FROM concern_keys WHERE keyid=?1)";
static const char sql_link_auto_del[] =
    "DELETE FROM ref_links WHERE state IN ('missing','near')"
    " AND concern_id IN (SELECT concern_id FROM concern_keys WHERE keyid=?1)";
static const char sql_link_auto_count[] =
    "SELECT count(*) FROM ref_links WHERE state IN ('missing','near')"
    " AND concern_id IN (SELECT concern_id FROM concern_keys WHERE keyid=?1)";
static const char sql_link_set[] =
    "INSERT INTO ref_links(concern_id, idx, state, ref, named, date) VALUES(?,?,?,?,?,?)"
    " ON CONFLICT(concern_id, idx) DO UPDATE SET state=excluded.state, date=excluded.date";
static const char sql_link_reject[] =
    "UPDATE ref_links SET state='rejected', date=? WHERE concern_id=? AND idx=?";
static const char sql_link_get[] =
    "SELECT state, named IS NOT NULL FROM ref_links WHERE concern_id=? AND idx=?";
static const char sql_link_del[] = "DELETE FROM ref_links WHERE concern_id=? AND idx=?";

/* ---- links ---------------------------------------------------------------- */

struct linker {
	struct casebook *cb;
	struct ref_ctx *ctx;
	sqlite3_stmt *add;
	char today[11];
};

static int
linker_open(struct linker *l, struct casebook *cb, const char *add_sql)
{
	memset(l, 0, sizeof(*l));
	l->cb = cb;
	if ((l->ctx = ref_ctx_get(cb)) == NULL || util_today(l->today) != 0)
		return -1;
	/* kept: an import opens a linker for every concern it stores */
	if ((l->add = cb_stmt(cb, add_sql)) == NULL)
		return -1;
	return 0;
}

static void
linker_close(struct linker *l)
{
	cb_stmt_done(l->add);
}

/* Writes one link row; ref and named are sealed under the row's ad. */
static int
link_put(struct linker *l, const char *cid, const char *ref, const uint8_t idx[32],
    const char *state, const char *named)
{
	uint8_t *cref = NULL, *cnamed = NULL;
	size_t lref, lnamed;
	char ad[128], hex[65];
	int rc = -1;

	ref_idx_hex(idx, hex);
	snprintf(ad, sizeof(ad), "reflink:%s:%s:ref", cid, hex);
	if (cb_seal_concern(l->cb, cid, ad, (const uint8_t *)ref, strlen(ref), &cref, &lref) != 0)
		goto out;
	/* named is stored only when it differs (a near link): NULL = ref. */
	snprintf(ad, sizeof(ad), "reflink:%s:%s:named", cid, hex);
	if (strcmp(named, ref) != 0 &&
	    cb_seal_concern(
		l->cb, cid, ad, (const uint8_t *)named, strlen(named), &cnamed, &lnamed) != 0)
		goto out;
	sqlite3_reset(l->add);
	sqlite3_bind_text(l->add, 1, cid, -1, SQLITE_STATIC);
	sqlite3_bind_blob(l->add, 2, idx, 32, SQLITE_STATIC);
	sqlite3_bind_text(l->add, 3, state, -1, SQLITE_STATIC);
	sqlite3_bind_blob(l->add, 4, cref, (int)lref, SQLITE_STATIC);
	if (cnamed != NULL)
		sqlite3_bind_blob(l->add, 5, cnamed, (int)lnamed, SQLITE_STATIC);
	else
		sqlite3_bind_null(l->add, 5);
	sqlite3_bind_text(l->add, 6, l->today, -1, SQLITE_STATIC);
	rc = sqlite3_step(l->add) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(l->add);
out:
	free(cref);
	free(cnamed);
	return rc;
}

/* Classifies one named reference and writes its link(s). */
static int
link_one(struct linker *l, const char *cid, const char *x)
{
	char near[REF_NEAR_MAX][REF_REF_MAX + 1];
	uint8_t idx[32];
	size_t nn;
	int h;

	/* The index mirrors the register (ref_reflist_store runs in every
	 * register import): exact, near and missing all come from it. */
	if (cb_index_hash(l->cb, x, idx) != 0 || ref_ctx_index(l->cb, l->ctx) != 0)
		return -1;
	h = ref_classify(l->ctx->ix, x, near, &nn);
	if (h == REF_EXACT)
		return link_put(l, cid, x, idx, "exact", x);
	if (h != REF_NEAR)
		return link_put(l, cid, x, idx, "missing", x);
	for (size_t i = 0; i < nn; i++) {
		if (cb_index_hash(l->cb, near[i], idx) != 0 ||
		    link_put(l, cid, near[i], idx, "near", x) != 0)
			return -1;
	}
	return 0;
}

int
ref_link_refs(struct casebook *cb, const char *cid, char refs[][REF_REF_MAX + 1], size_t n)
{
	struct linker l;
	int rc = -1;

	if (n == 0)
		return 0;
	if (linker_open(&l, cb, ref_links_staged(cb) ? sql_link_stage : sql_link_add) != 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (link_one(&l, cid, refs[i]) != 0)
			goto out;
	rc = 0;
out:
	linker_close(&l);
	return rc;
}

struct collect {
	struct ref_ctx *ctx;
	size_t n;
	char refs[REF_CONCERN_REFS_MAX][REF_REF_MAX + 1];
};

static void
collect_add(struct collect *c, const char *ref)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->refs[i], ref) == 0)
			return;
	if (c->n < REF_CONCERN_REFS_MAX)
		memcpy(c->refs[c->n++], ref, strlen(ref) + 1);
}

static int
collect_fn(void *p, int kind, const char *text, size_t len)
{
	struct collect *c = p;
	char out[REF_EXTRACT_MAX][REF_REF_MAX + 1];
	size_t n = ref_extract(&c->ctx->cfg, text, len, out, REF_EXTRACT_MAX);

	/* A reference field holds one reference as the reporter typed it:
	 * when no pattern finds one, the generic form still links it. */
	if (n == 0 && kind == CB_TEXT_REF && ref_normalise(&c->ctx->cfg, text, len, out[0]) == 0)
		n = 1;
	for (size_t i = 0; i < n; i++)
		collect_add(c, out[i]);
	sodium_memzero(out, sizeof(out));
	return 0;
}

/* body NULL: the concern's text from the casebook; else the new
 * concern's body as import just opened it. */
static int
after_import(struct casebook *cb, const char *concern_id, const uint8_t *body, size_t len)
{
	struct collect *c = calloc(1, sizeof(*c));
	int rc = -1;

	if (c == NULL || (c->ctx = ref_ctx_get(cb)) == NULL)
		goto out;
	if ((body == NULL ? cb_concern_text(cb, concern_id, collect_fn, c)
			  : cb_text_fields(body, len, FIELDS_CONCERN, collect_fn, c)) != 0)
		goto out;
	rc = ref_link_refs(cb, concern_id, c->refs, c->n);
out:
	if (c != NULL) {
		sodium_memzero(c, sizeof(*c));
		free(c);
	}
	return rc;
}

int
ref_after_import(struct casebook *cb, const char *concern_id)
{
	return after_import(cb, concern_id, NULL, 0);
}

int
ref_after_import_body(struct casebook *cb, const char *concern_id, const uint8_t *body, size_t len)
{
	return after_import(cb, concern_id, body, len);
}

struct pair {
	char cid[CB_ID_CHARS + 1];
	char ref[REF_REF_MAX + 1];
};

static int
pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = strcmp(x->cid, y->cid);

	return c != 0 ? c : strcmp(x->ref, y->ref);
}

int
ref_relink(struct casebook *cb, size_t *changed)
{
	struct pair *p = NULL, *np;
	size_t n = 0, cap = 0, before = 0;
	sqlite3_stmt *st = NULL;
	struct linker l;
	int s, rc = -1;

	*changed = 0;
	memset(&l, 0, sizeof(l));
	if (sqlite3_prepare_v2(cb_db(cb), sql_link_auto, -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_blob(st, 1, cb_seckey(cb)->pub.keyid, CC_KEYID_BYTES, SQLITE_STATIC);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cid = (const char *)sqlite3_column_text(st, 0);
		char ad[128], hex[65];
		uint8_t *pt;
		size_t len;

		if (cid == NULL || strlen(cid) > CB_ID_CHARS || sqlite3_column_bytes(st, 1) != 32)
			goto out;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((np = realloc(p, cap * sizeof(*p))) == NULL)
				goto out;
			p = np;
		}
		ref_idx_hex(sqlite3_column_blob(st, 1), hex);
		snprintf(ad, sizeof(ad), "reflink:%s:%s:%s", cid, hex,
		    sqlite3_column_int(st, 3) ? "ref" : "named");
		if (cb_unseal_concern(cb, cid, ad, sqlite3_column_blob(st, 2),
			(size_t)sqlite3_column_bytes(st, 2), &pt, &len) != 0)
			goto out;
		if (len > REF_REF_MAX) {
			cb_free(pt, len);
			goto out;
		}
		memcpy(p[n].cid, cid, strlen(cid) + 1);
		memcpy(p[n].ref, pt, len + 1);
		cb_free(pt, len);
		n++;
	}
	if (s != SQLITE_DONE)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	before = n;
	if (n == 0) {
		rc = 0;
		goto out;
	}
	if (sqlite3_prepare_v2(cb_db(cb), sql_link_auto_del, -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_blob(st, 1, cb_seckey(cb)->pub.keyid, CC_KEYID_BYTES, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	qsort(p, n, sizeof(*p), pair_cmp);
	if (linker_open(&l, cb, sql_link_add) != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && pair_cmp(&p[i], &p[i - 1]) == 0)
			continue;
		if (link_one(&l, p[i].cid, p[i].ref) != 0)
			goto out;
	}
	/* Links still missing or near after relinking did not change. */
	if (sqlite3_prepare_v2(cb_db(cb), sql_link_auto_count, -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_blob(st, 1, cb_seckey(cb)->pub.keyid, CC_KEYID_BYTES, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto out;
	{
		size_t after = (size_t)sqlite3_column_int64(st, 0);
		*changed = before > after ? before - after : 0;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	linker_close(&l);
	if (p != NULL) {
		sodium_memzero(p, cap * sizeof(*p));
		free(p);
	}
	return rc;
}

/* 1 if the concern's own text (answers, free text, follow-ups) names ref,
 * 0 if not, -1 on error. */
static int
reporter_named(struct casebook *cb, const char *cid, const char *ref)
{
	struct collect *c = calloc(1, sizeof(*c));
	int rc = -1;

	if (c == NULL || (c->ctx = ref_ctx_get(cb)) == NULL ||
	    cb_concern_text(cb, cid, collect_fn, c) != 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < c->n && rc == 0; i++)
		rc = strcmp(c->refs[i], ref) == 0;
out:
	if (c != NULL) {
		sodium_memzero(c, sizeof(*c));
		free(c);
	}
	return rc;
}

/* Runs sql (concern id, idx) once; sqlite3_changes() after it. */
static int
link_exec(struct casebook *cb, const char *sql, const char *cid, const uint8_t idx[32])
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(cb_db(cb), sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, idx, 32, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* State of the link (concern, idx): 0 and state copied (with *was_near 1
 * when the reporter named a near form of it), 1 no such link, -1 error. */
static int
link_state(struct casebook *cb, const char *cid, const uint8_t idx[32], char state[16],
    int *was_near)
{
	sqlite3_stmt *st = NULL;
	const char *s;
	int rc = 1;

	if (sqlite3_prepare_v2(cb_db(cb), sql_link_get, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, idx, 32, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && (s = (const char *)sqlite3_column_text(st, 0)) != NULL &&
	    strlen(s) < 16) {
		memcpy(state, s, strlen(s) + 1);
		*was_near = sqlite3_column_int(st, 1);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

int
ref_link_set(struct casebook *cb, const char *cid, const char *ref, int manual)
{
	struct linker l;
	uint8_t idx[32];
	char state[16];
	int near = 0, r, rc = -1;

	if (cb_index_hash(cb, ref, idx) != 0)
		return -1;
	if (manual) {
		if (linker_open(&l, cb, sql_link_set) == 0)
			rc = link_put(&l, cid, ref, idx, "manual", ref);
		linker_close(&l);
		return rc;
	}
	if ((r = link_state(cb, cid, idx, state, &near)) != 0)
		return r;
	/* A link a reviewer made by hand to a reference the reporter never
	 * named goes entirely: keeping it as "rejected" would list, under
	 * "Referrals named", a reference nobody named. What the reporter
	 * named stays, marked rejected, so the record shows it was seen. */
	if (strcmp(state, "manual") == 0 && !near) {
		if ((r = reporter_named(cb, cid, ref)) < 0)
			return -1;
		if (r == 0)
			return link_exec(cb, sql_link_del, cid, idx) == 0 &&
					   sqlite3_changes(cb_db(cb)) == 1
				   ? 2
				   : -1;
	}
	if (linker_open(&l, cb, sql_link_reject) != 0)
		goto out;
	sqlite3_bind_text(l.add, 1, l.today, -1, SQLITE_STATIC);
	sqlite3_bind_text(l.add, 2, cid, -1, SQLITE_STATIC);
	sqlite3_bind_blob(l.add, 3, idx, 32, SQLITE_STATIC);
	if (sqlite3_step(l.add) != SQLITE_DONE)
		goto out;
	rc = sqlite3_changes(cb_db(cb)) == 1 ? 0 : 1;
out:
	linker_close(&l);
	return rc;
}

int
ref_in_register(struct casebook *cb, const char *ref, char near[REF_REF_MAX + 1])
{
	struct ref_ctx *ctx = ref_ctx_get(cb);
	char cand[REF_NEAR_MAX][REF_REF_MAX + 1];
	size_t nn = 0;
	int h;

	near[0] = '\0';
	if (ctx == NULL || ref_ctx_index(cb, ctx) != 0)
		return -1;
	h = ref_classify(ctx->ix, ref, cand, &nn);
	if (h == REF_NEAR && nn > 0)
		memcpy(near, cand[0], strlen(cand[0]) + 1);
	return h == REF_EXACT;
}

int
ref_register_imported(struct casebook *cb)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(cb_db(cb), "SELECT count(*) FROM ref_imports", -1, &st, NULL) ==
		SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		rc = sqlite3_column_int64(st, 0) > 0;
	sqlite3_finalize(st);
	return rc;
}

enum ref_act
ref_link_act(struct casebook *cb, const char *cid, const char *raw, int manual,
    int not_in_register, char ref[REF_REF_MAX + 1], char near[REF_REF_MAX + 1])
{
	struct ref_ctx *ctx;
	int r;

	ref[0] = near[0] = '\0';
	if ((ctx = ref_ctx_get(cb)) == NULL)
		return REF_ACT_ERR_CONFIG;
	if (ref_normalise(&ctx->cfg, raw, strlen(raw), ref) != 0)
		return REF_ACT_NOT_REF;
	if ((r = cb_concern_exists(cb, cid)) != 1)
		return r == 0 ? REF_ACT_NO_CONCERN : REF_ACT_ERR_CASEBOOK;
	if ((r = cb_concern_key_held(cb, cid)) != 1)
		return r == 0 ? REF_ACT_SEALED : REF_ACT_ERR_CASEBOOK;
	if (manual && !not_in_register) {
		/* a typo would otherwise become a "binned referral" */
		if ((r = ref_register_imported(cb)) == 0)
			return REF_ACT_NO_REGISTER;
		if (r > 0 && (r = ref_in_register(cb, ref, near)) == 0)
			return REF_ACT_NOT_IN_REGISTER;
		if (r < 0)
			return REF_ACT_ERR_REGISTER;
	}
	if (cb_begin(cb) != 0)
		return REF_ACT_ERR_BEGIN;
	r = ref_link_set(cb, cid, ref, manual);
	if (r == 1) {
		(void)cb_rollback(cb);
		return REF_ACT_NO_LINK;
	}
	if ((r != 0 && r != 2) || cb_audit(cb, manual ? "link" : "unlink", cid, ref) != 0 ||
	    cb_commit(cb) != 0) {
		(void)cb_rollback(cb);
		return REF_ACT_ERR_STORE;
	}
	return manual ? REF_ACT_LINKED : r == 2 ? REF_ACT_REMOVED : REF_ACT_REJECTED;
}
