/*
 * Storing imported records (called by import inside its transaction): what
 * this reviewer can open is decrypted and sealed again under the casebook
 * key; what it cannot is kept as the intake sealed it (sealed_envs) and
 * counted as present but unreadable. The same code later opens kept
 * records for a reviewer of a shared casebook who can read them
 * (imp_unlock): the envelopes then come from sealed_envs, not a bundle.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "review/cb_internal.h"
#include "review/ref.h"
#include "review/report.h"
#include "util/util.h"

/* ---- where envelopes come from: the bundle, or sealed_envs ------------- */

static int
kept_stream(struct imp *im, uint32_t idx, cc_sink_fn sink, void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc, n = 0;

	if ((st = cb_stmt(im->cb, "SELECT data FROM sealed_envs WHERE seq=? AND idx=?"
				  " ORDER BY n")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)im->seq);
	sqlite3_bind_int64(st, 2, idx);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		if (sink(ctx, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0)) != 0)
			break;
	}
	cb_stmt_done(st);
	return rc == SQLITE_DONE && n > 0 ? 0 : -1;
}

/* Notes the bundle's refusal rc (an envelope or record that is not what
 * its record or verify hashed) for the error line; returns rc. */
static int
bundle_said(struct imp *im, int rc)
{
	if ((rc == BUNDLE_EENV || rc == BUNDLE_EFORMAT) && im->bundle_err == 0)
		im->bundle_err = rc;
	return rc;
}

/* From the bundle, each envelope is hashed against its record as it is
 * read (bundle_r_verify leaves that to here): every envelope of every
 * record the import stores passes through this or env_read, so a
 * mismatch refuses the import. */
int
imp_env_stream(struct imp *im, uint32_t idx, cc_sink_fn sink, void *ctx)
{
	if (im->r == NULL)
		return kept_stream(im, idx, sink, ctx);
	return bundle_said(im, bundle_r_env_stream(im->r, im->seq, idx, sink, ctx));
}

struct membuf {
	uint8_t *p;
	size_t len;
};

static int
mem_sink(void *ctx, const uint8_t *buf, size_t len)
{
	struct membuf *m = ctx;
	uint8_t *np;

	if (m->len + len > BUNDLE_SMALL_ENV_MAX || (np = realloc(m->p, m->len + len)) == NULL)
		return -1;
	memcpy(np + m->len, buf, len);
	m->p = np;
	m->len += len;
	return 0;
}

static int
env_read(struct imp *im, uint32_t idx, uint8_t **buf, size_t *len)
{
	struct membuf m = {NULL, 0};

	if (im->r != NULL)
		return bundle_said(im, bundle_r_env_read(im->r, im->seq, idx, buf, len));
	if (kept_stream(im, idx, mem_sink, &m) != 0) {
		free(m.p);
		return -1;
	}
	*buf = m.p;
	*len = m.len;
	return 0;
}

/* ---- keeping an envelope as it came (unreadable here) ----------------- */

struct keep {
	sqlite3_stmt *ins;
	uint64_t seq;
	uint32_t idx;
	int64_t n;
};

static int
keep_sink(void *ctx, const uint8_t *buf, size_t len)
{
	struct keep *k = ctx;

	sqlite3_reset(k->ins);
	sqlite3_bind_int64(k->ins, 1, (int64_t)k->seq);
	sqlite3_bind_int64(k->ins, 2, k->idx);
	sqlite3_bind_int64(k->ins, 3, k->n++);
	sqlite3_bind_blob(k->ins, 4, buf, (int)len, SQLITE_TRANSIENT);
	return sqlite3_step(k->ins) == SQLITE_DONE ? 0 : -1;
}

static int
keep_env(struct imp *im, uint32_t idx)
{
	struct keep k = {NULL, im->seq, idx, 0};
	int rc;

	if ((k.ins = cb_stmt(im->cb, "INSERT INTO sealed_envs(seq, idx, n, data)"
				     " VALUES(?, ?, ?, ?)")) == NULL)
		return -1;
	rc = imp_env_stream(im, idx, keep_sink, &k);
	cb_stmt_done(k.ins);
	if (rc != 0) {
		im->err = "an envelope could not be read back from the bundle";
		im->todo = IMP_DO_EXPORT;
	}
	return rc == 0 ? 0 : -1;
}

/* ---- bodies ----------------------------------------------------------- */

/* Opens env[0]. Returns 1 readable (*pt set), 0 not sealed to this key,
 * -1 damaged. recips (may be NULL) gets the envelope's key ids. */
static int
open_body(
    struct imp *im, int want_kind, uint8_t *recips, size_t *nrecips, uint8_t **pt, size_t *ptlen)
{
	uint8_t *env = NULL, ids[CC_MAX_RECIPIENTS][CC_KEYID_BYTES];
	size_t envlen = 0, n = 0;
	int kind = 0, rc;

	*pt = NULL;
	if (env_read(im, 0, &env, &envlen) != 0) {
		im->err = "a record's envelope could not be read from the bundle";
		im->todo = IMP_DO_EXPORT;
		return -1;
	}
	if (cc_env_recipients(env, envlen, ids, &n, &kind) != CC_OK || kind != want_kind) {
		free(env);
		im->err = "a record's envelope is malformed";
		im->todo = IMP_DO_EXPORT;
		return -1;
	}
	if (recips != NULL) {
		memcpy(recips, ids, n * CC_KEYID_BYTES);
		*nrecips = n;
	}
	rc = cc_env_open_with(im->rd, env, envlen, pt, ptlen, &kind);
	free(env);
	if (rc == CC_ENOTRECIPIENT)
		return 0;
	if (rc != CC_OK) {
		im->err =
		    "a record's envelope fails authentication (the intake may be compromised)";
		return -1;
	}
	return 1;
}

/* Checks a concern or message plaintext: fields with the magic, every
 * value valid text. Puts the category (or "other") into cat. */
static int
body_ok(const uint8_t *pt, size_t len, const char *magic, char *cat, size_t catcap)
{
	struct field f[FIELDS_MAX];
	size_t n, off;
	const struct field *c;

	if (fields_decode(pt, len, magic, f, FIELDS_MAX, &n, &off) != 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!util_text_valid((const char *)f[i].val, f[i].len, 1))
			return 0;
	if (cat != NULL) {
		c = fields_get(f, n, "category");
		if (c != NULL && c->len > 0 && c->len < catcap &&
		    util_text_valid((const char *)c->val, c->len, 0)) {
			memcpy(cat, c->val, c->len);
			cat[c->len] = '\0';
		} else
			snprintf(cat, catcap, "other");
	}
	return 1;
}

static int
insert_record(struct imp *im, const struct brec *rec, const uint8_t link[CC_HASH_BYTES],
    const char *cid, int readable)
{
	sqlite3_stmt *st = NULL;
	char today[11];
	int rc;

	if (util_today(today) != 0 ||
	    (st = cb_stmt(im->cb, "INSERT INTO records(seq, kind, date, parent_seq, link,"
				  " concern_id, readable, imported) VALUES(?, ?, ?, ?, ?, ?, ?, ?)")) ==
		NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)im->seq);
	sqlite3_bind_int(st, 2, rec->kind);
	sqlite3_bind_text(st, 3, rec->date, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)rec->parent_seq);
	sqlite3_bind_blob(st, 5, link, CC_HASH_BYTES, SQLITE_STATIC);
	if (cid != NULL)
		sqlite3_bind_text(st, 6, cid, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, readable);
	sqlite3_bind_text(st, 8, today, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	cb_stmt_done(st);
	return rc;
}

/* Opens env[0] of the current record and seals its plaintext under ad.
 * *readable 1 with *ct set when it opened and parsed; 0 with *ct NULL when
 * not sealed to this reviewer or malformed (then cat says "malformed").
 * keep_body: the plaintext of a readable body goes to im->body (for
 * finish_readable; imp_record wipes it) instead of being wiped here. */
static int
seal_body(struct imp *im, int kind, const char *magic, const char *cid, const char *ad,
    uint8_t *recips, size_t *nrecips, char *cat, size_t catcap, int *readable, uint8_t **ct,
    size_t *ctlen, int keep_body)
{
	uint8_t *pt = NULL;
	size_t ptlen = 0;
	int r, rc = 0;

	*ct = NULL;
	*ctlen = 0;
	if ((r = open_body(im, kind, recips, nrecips, &pt, &ptlen)) < 0)
		return -1;
	*readable = r == 1 && body_ok(pt, ptlen, magic, cat, catcap);
	if (r == 1 && !*readable && cat != NULL)
		snprintf(cat, catcap, "malformed");
	/* A concern gets its key here, sealed to its recipients among the
	 * reviewers; a follow-up goes under its concern's key, and stays kept
	 * as it came if this reviewer holds none (not a recipient of the
	 * concern itself). */
	if (*readable && recips != NULL &&
	    cb_ck_create(im->cb, cid, recips, *nrecips * CC_KEYID_BYTES) != 0)
		rc = -1;
	else if (*readable && recips == NULL && (r = cb_ck_load(im->cb, cid)) != 0) {
		*readable = 0;
		rc = r < 0 ? -1 : 0;
	}
	if (rc == 0 && *readable && cb_seal_concern(im->cb, cid, ad, pt, ptlen, ct, ctlen) != 0)
		rc = -1;
	if (rc == 0 && *readable && keep_body) {
		im->body = pt;
		im->bodylen = ptlen;
	} else if (pt != NULL)
		cc_free_wipe(pt, ptlen);
	return rc;
}

static int
import_concern(struct imp *im, const struct brec *rec, char cid[CB_ID_CHARS + 1], int *readable)
{
	uint8_t recips[CC_MAX_RECIPIENTS * CC_KEYID_BYTES], *ct = NULL, *tag = NULL;
	size_t nrecips = 0, ctlen = 0, taglen = 0;
	char cat[CB_CATEGORY_MAX + 1] = "unreadable", ad[64];
	sqlite3_stmt *st = NULL;
	int r = 1, rc = -1;

	for (int tries = 0; tries < 8 && r != 0; tries++) {
		cb_new_id(cid);
		if ((r = cb_concern_exists(im->cb, cid)) < 0)
			return -1;
	}
	if (r != 0)
		return -1;
	snprintf(ad, sizeof(ad), "concern:%s:body", cid);
	if (seal_body(im, CC_KIND_CONCERN, FIELDS_CONCERN, cid, ad, recips, &nrecips, cat,
		sizeof(cat), readable, &ct, &ctlen, 1) != 0)
		return -1;
	cb_reporter_ad(cid, ad);
	if (cb_seal(im->cb, ad, rec->reporter_pk, CC_BOX_PK, &tag, &taglen) != 0 ||
	    (st = cb_stmt(im->cb, "INSERT INTO concerns(id, seq, received, readable,"
				  " recipients, category, status, reporter_pk, body, pk_tag)"
				  " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) == NULL)
		goto out;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)im->seq);
	sqlite3_bind_text(st, 3, rec->date, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, *readable);
	sqlite3_bind_blob(st, 5, recips, (int)(nrecips * CC_KEYID_BYTES), SQLITE_STATIC);
	sqlite3_bind_text(st, 6, cat, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, CB_RECEIVED);
	sqlite3_bind_blob(st, 8, rec->reporter_pk, CC_BOX_PK, SQLITE_STATIC);
	if (ct != NULL)
		sqlite3_bind_blob(st, 9, ct, (int)ctlen, SQLITE_STATIC);
	sqlite3_bind_blob(st, 10, tag, (int)taglen, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
out:
	cb_stmt_done(st);
	free(ct);
	free(tag);
	return rc;
}

static int
concern_of_seq(struct casebook *cb, uint64_t seq, char cid[CB_ID_CHARS + 1])
{
	sqlite3_stmt *st = NULL;
	int rc = 1;

	if ((st = cb_stmt(cb, "SELECT id FROM concerns WHERE seq=?")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)seq);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(cid, CB_ID_CHARS + 1, "%s", (const char *)sqlite3_column_text(st, 0));
		rc = 0;
	}
	cb_stmt_done(st);
	return rc;
}

/* 1 if concern cid is closed or purged, 0 if not, -1 on error. */
static int
closed_or_purged(struct casebook *cb, const char *cid)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if ((st = cb_stmt(cb, "SELECT status = ? OR purged <> 0 FROM concerns WHERE id=?")) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, CB_CLOSED);
	sqlite3_bind_text(st, 2, cid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = sqlite3_column_int(st, 0) != 0;
	cb_stmt_done(st);
	return rc;
}

static int
import_followup(
    struct imp *im, const struct brec *rec, char cid[CB_ID_CHARS + 1], int *readable, int *orphan)
{
	uint8_t *ct = NULL;
	size_t ctlen = 0;
	sqlite3_stmt *st = NULL;
	char ad[80];
	int rc = -1, after_close;

	*orphan = concern_of_seq(im->cb, rec->parent_seq, cid) != 0;
	if (*orphan) {
		*readable = 0;
		return 0;
	}
	if ((after_close = closed_or_purged(im->cb, cid)) < 0)
		return -1;
	if (after_close) {
		int named = 0;
		for (unsigned i = 0; i < im->nclosed && i < CB_CLOSED_NAMED; i++)
			named |= strcmp(im->closed[i], cid) == 0;
		if (!named && im->nclosed < CB_CLOSED_NAMED)
			memcpy(im->closed[im->nclosed], cid, CB_ID_CHARS + 1);
		im->nclosed += !named;
	}
	cb_row_ad("message", (long long)im->seq, cid, "body", ad);
	if (seal_body(im, CC_KIND_MESSAGE, FIELDS_MESSAGE, cid, ad, NULL, NULL, NULL, 0, readable,
		&ct, &ctlen, 0) != 0)
		return -1;
	if ((st = cb_stmt(im->cb, "INSERT INTO messages(concern_id, seq, date, readable,"
				  " body, after_close) VALUES(?, ?, ?, ?, ?, ?)")) == NULL)
		goto out;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)im->seq);
	sqlite3_bind_text(st, 3, rec->date, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, *readable);
	if (ct != NULL)
		sqlite3_bind_blob(st, 5, ct, (int)ctlen, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, after_close);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
out:
	cb_stmt_done(st);
	free(ct);
	return rc;
}

static int
exec_sql(struct imp *im, const char *sql)
{
	return sqlite3_exec(cb_db(im->cb), sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* Forgets the kept copy of envelope idx of the current record. */
static int
drop_kept(struct imp *im, uint32_t idx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((st = cb_stmt(im->cb, "DELETE FROM sealed_envs WHERE seq=? AND idx=?")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)im->seq);
	sqlite3_bind_int64(st, 2, idx);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	cb_stmt_done(st);
	return rc;
}

/* Attachments and referral links of a record (kind BREC_*) just made
 * readable. An attachment whose envelope opens to something that is not
 * an attachment is kept sealed as it came (one bad file does not stop the
 * chain). */
static int
finish_readable(struct imp *im, int kind, const char *cid, uint32_t nenv)
{
	for (uint32_t i = 1; i < nenv; i++) {
		im->bad_content = 0;
		im->err = NULL;
		if (exec_sql(im, "SAVEPOINT att") != 0)
			return -1;
		if (imp_attachment(im, cid, i) == 0) {
			if (exec_sql(im, "RELEASE att") != 0 ||
			    (im->r == NULL && drop_kept(im, i) != 0))
				return -1;
			continue;
		}
		if (!im->bad_content) {
			if (im->err == NULL)
				im->err = "an attachment could not be stored";
			im->todo = IMP_DO_DISK; /* not the content's failure */
			return -1;
		}
		if (exec_sql(im, "ROLLBACK TO att") != 0 || exec_sql(im, "RELEASE att") != 0 ||
		    (im->r != NULL && keep_env(im, i) != 0))
			return -1;
		im->err = NULL;
		im->att_kept++;
	}
	im->readable++;
	/* a new concern's answers from the body it was stored from */
	if ((kind == BREC_CONCERN && im->body != NULL
		    ? rp_answers_store_body(im->cb, cid, im->body, im->bodylen)
		    : rp_answers_store(im->cb, cid)) != 0) {
		im->err = "storing the concern's answers for the report failed";
		im->todo = IMP_DO_DISK;
		return -1;
	}
	/* a concern's own record is no follow-up: nothing to look up */
	if (kind == BREC_FOLLOWUP && rp_voice_store(im->cb, cid, im->seq) != 0) {
		im->err = "storing a follow-up's answers for the report failed";
		im->todo = IMP_DO_DISK;
		return -1;
	}
	/* a new concern's links from the body it was stored from (it has no
	 * follow-ups yet); otherwise the concern and its follow-ups again */
	if ((kind == BREC_CONCERN && im->body != NULL
		    ? ref_after_import_body(im->cb, cid, im->body, im->bodylen)
		    : ref_after_import(im->cb, cid)) != 0) {
		im->err = "linking the concern's referral references failed";
		im->todo = IMP_DO_DISK;
		return -1;
	}
	return 0;
}

static int
store_record(struct imp *im)
{
	struct brec rec;
	uint8_t link[CC_HASH_BYTES];
	char cid[CB_ID_CHARS + 1] = "";
	int readable = 0, orphan = 0;

	if (bundle_said(im, bundle_r_record(im->r, im->seq, &rec, link)) != 0) {
		im->err = "a record could not be read back from the bundle";
		im->todo = IMP_DO_EXPORT;
		return -1;
	}
	if (rec.kind == BREC_CONCERN) {
		if (import_concern(im, &rec, cid, &readable) != 0)
			return -1;
	} else if (rec.kind == BREC_FOLLOWUP) {
		if (import_followup(im, &rec, cid, &readable, &orphan) != 0)
			return -1;
	} else {
		im->err = "a record has an unknown kind";
		im->todo = IMP_DO_NEWER;
		return -1;
	}
	if (insert_record(im, &rec, link, orphan ? NULL : cid, readable) != 0)
		return -1;
	if (!readable) {
		/* kept whole as the intake sealed it, for a reviewer who can open it */
		for (uint32_t i = 0; i < rec.nenv; i++)
			if (keep_env(im, i) != 0)
				return -1;
		im->unreadable++;
		return 0;
	}
	return finish_readable(im, rec.kind, cid, rec.nenv);
}

int
imp_record(struct imp *im)
{
	int rc = store_record(im);

	if (im->body != NULL)
		cc_free_wipe(im->body, im->bodylen);
	im->body = NULL;
	im->bodylen = 0;
	return rc;
}

/* ---- opening kept records for a reviewer who can read them ------------ */

/* Tries one kept record (seq, kind, concern id) with this reviewer's key. */
static int
unlock_one(struct imp *im, int kind, const char *cid)
{
	uint8_t *ct = NULL, recips[CC_MAX_RECIPIENTS * CC_KEYID_BYTES];
	size_t ctlen = 0, nrecips = 0;
	char cat[CB_CATEGORY_MAX + 1] = "unreadable", ad[80];
	sqlite3_stmt *st = NULL;
	uint32_t nenv = 0;
	int readable = 0, rc = -1;

	if (kind == BREC_CONCERN) {
		snprintf(ad, sizeof(ad), "concern:%s:body", cid);
		if (seal_body(im, CC_KIND_CONCERN, FIELDS_CONCERN, cid, ad, recips, &nrecips, cat,
			sizeof(cat), &readable, &ct, &ctlen, 0) != 0)
			return -1;
	} else {
		cb_row_ad("message", (long long)im->seq, cid, "body", ad);
		if (seal_body(im, CC_KIND_MESSAGE, FIELDS_MESSAGE, cid, ad, NULL, NULL, NULL, 0,
			&readable, &ct, &ctlen, 0) != 0)
			return -1;
	}
	if (!readable)
		return 0; /* still not for this reviewer */
	if (sqlite3_prepare_v2(cb_db(im->cb),
		kind == BREC_CONCERN
		    ? "UPDATE concerns SET readable=1, category=?1, body=?2 WHERE seq=?3"
		    : "UPDATE messages SET readable=1, body=?2 WHERE seq=?3",
		-1, &st, NULL) != SQLITE_OK)
		goto out;
	if (kind == BREC_CONCERN)
		sqlite3_bind_text(st, 1, cat, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, ct, (int)ctlen, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)im->seq);
	if (sqlite3_step(st) != SQLITE_DONE || sqlite3_changes(cb_db(im->cb)) != 1)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(cb_db(im->cb),
		"SELECT count(DISTINCT idx) FROM sealed_envs WHERE seq=?", -1, &st,
		NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, (int64_t)im->seq);
	if (sqlite3_step(st) == SQLITE_ROW)
		nenv = (uint32_t)sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (finish_readable(im, kind, cid, nenv) != 0 || drop_kept(im, 0) != 0)
		goto out;
	if (sqlite3_prepare_v2(cb_db(im->cb), "UPDATE records SET readable=1 WHERE seq=?", -1, &st,
		NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, (int64_t)im->seq);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(st);
	free(ct);
	return rc;
}

int
imp_unlock(struct imp *im)
{
	sqlite3_stmt *st = NULL;
	struct kept {
		uint64_t seq;
		int kind;
		char cid[CB_ID_CHARS + 1];
	} *list = NULL, *nl;
	size_t n = 0;
	int rc;

	/* collect first: the pass changes the rows it would iterate */
	if (sqlite3_prepare_v2(cb_db(im->cb),
		"SELECT DISTINCT r.seq, r.kind, r.concern_id FROM records r"
		" JOIN sealed_envs s ON s.seq=r.seq WHERE r.readable=0 AND r.concern_id IS NOT NULL"
		" ORDER BY r.seq",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((nl = realloc(list, (n + 1) * sizeof(*list))) == NULL)
			break;
		list = nl;
		list[n].seq = (uint64_t)sqlite3_column_int64(st, 0);
		list[n].kind = sqlite3_column_int(st, 1);
		snprintf(list[n].cid, sizeof(list[n].cid), "%s",
		    (const char *)sqlite3_column_text(st, 2));
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(list);
		return -1;
	}
	rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		unsigned before = im->readable;
		im->seq = list[i].seq;
		rc = unlock_one(im, list[i].kind, list[i].cid);
		if (rc == 0 && im->readable > before)
			im->unlocked++;
	}
	free(list);
	return rc;
}
