/*
 * export-replies: every pending status change and reply this reviewer may
 * sign, to a new bundle signed with their key, marked sent in the same
 * transaction once the file is in place. `export-replies` and the desk's
 * bundles page call it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "review/cb_internal.h"
#include "util/util.h"

/* 1 if this reviewer may sign an item for concern cid at seq: the concern
 * is here, at that seq, not purged, and sealed to this reviewer (they hold
 * its concern key). Anyone who can write the casebook file and holds the
 * casebook key can add a well-tagged outbox row; without this check they
 * could have a reviewer the reporter chose sign it, or the reviewer left
 * out sign an answer for a concern they were never given. */
static int
may_sign(struct casebook *cb, const char *cid, uint64_t seq)
{
	struct cb_concern c;

	return cid != NULL && cb_concern_load(cb, cid, &c) == 0 && c.seq == seq && c.readable &&
	       !c.purged;
}

/* Marks the exported items sent (ids: n x BUNDLE_ITEM_ID_BYTES). */
static int
mark_sent(struct casebook *cb, const uint8_t *ids, size_t n)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(cb_db(cb), "UPDATE outbox SET exported=1 WHERE item_id=?", -1, &st,
		NULL) != SQLITE_OK)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		sqlite3_bind_blob(
		    st, 1, ids + i * BUNDLE_ITEM_ID_BYTES, BUNDLE_ITEM_ID_BYTES, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(cb_db(cb)) == 1 ? 0 : -1;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

int
cb_export_replies(
    struct casebook *cb, const char *out, cb_skip_fn skipped, void *sctx, struct cb_export_res *res)
{
	struct bundle_w *w = NULL;
	sqlite3_stmt *st = NULL;
	char detail[64];
	uint8_t *ids = NULL;
	size_t cap = 0;
	int r, rc = CB_EXP_BAD, n = 0;

	memset(res, 0, sizeof(*res));
	if (cb_begin(cb) != 0 || sqlite3_prepare_v2(cb_db(cb),
				     "SELECT item_id, target_seq, type, state, outcome, date, env,"
				     " concern_id, tag FROM outbox WHERE exported=0 ORDER BY rowid",
				     -1, &st, NULL) != SQLITE_OK) {
		rc = CB_EXP_READ;
		goto done;
	}
	r = bundle_w_create(out, BUNDLE_REPLIES, 0, NULL, cb_intake_pk(cb), &w);
	if (r != 0) {
		res->errnum = errno;
		res->bundle_rc = r;
		rc = CB_EXP_CREATE;
		goto done;
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct bitem it;
		const uint8_t *env = sqlite3_column_blob(st, 6);
		size_t envlen = (size_t)sqlite3_column_bytes(st, 6);
		const char *date = (const char *)sqlite3_column_text(st, 5);

		memset(&it, 0, sizeof(it));
		if (sqlite3_column_bytes(st, 0) != BUNDLE_ITEM_ID_BYTES || date == NULL ||
		    strlen(date) != BUNDLE_DATE_LEN)
			goto bad;
		/* sign only rows this tool wrote: a row added or changed in the
		 * file (a forged reply to the reporter) fails its sealed tag */
		if (cb_outbox_check(cb, sqlite3_column_blob(st, 0),
			(const char *)sqlite3_column_text(st, 7),
			(uint64_t)sqlite3_column_int64(st, 1), sqlite3_column_int(st, 2),
			sqlite3_column_int(st, 3), sqlite3_column_int(st, 4), date,
			sqlite3_column_type(st, 6) == SQLITE_BLOB ? env : NULL, envlen,
			sqlite3_column_blob(st, 8), (size_t)sqlite3_column_bytes(st, 8)) != 0) {
			rc = CB_EXP_TAMPERED;
			goto done;
		}
		const char *cid = (const char *)sqlite3_column_text(st, 7);
		if (!may_sign(cb, cid, (uint64_t)sqlite3_column_int64(st, 1))) {
			if (skipped != NULL)
				skipped(sctx, cid);
			res->skipped++;
			continue;
		}
		if ((size_t)n == cap) {
			uint8_t *more;
			cap = cap ? cap * 2 : 16;
			if ((more = realloc(ids, cap * BUNDLE_ITEM_ID_BYTES)) == NULL)
				goto bad;
			ids = more;
		}
		memcpy(ids + (size_t)n * BUNDLE_ITEM_ID_BYTES, sqlite3_column_blob(st, 0),
		    BUNDLE_ITEM_ID_BYTES);
		memcpy(it.id, sqlite3_column_blob(st, 0), BUNDLE_ITEM_ID_BYTES);
		it.target_seq = (uint64_t)sqlite3_column_int64(st, 1);
		it.type = (uint8_t)sqlite3_column_int(st, 2);
		it.state = (uint8_t)sqlite3_column_int(st, 3);
		it.outcome = (uint8_t)sqlite3_column_int(st, 4);
		memcpy(it.date, date, BUNDLE_DATE_LEN + 1);
		if (sqlite3_column_type(st, 6) == SQLITE_BLOB) {
			it.has_env = 1;
			it.env.len = envlen;
			cc_hash(env, envlen, it.env.hash);
		} else {
			env = NULL;
			envlen = 0;
		}
		if (bundle_w_item(w, &it, env, envlen) != 0)
			goto bad;
		n++;
	}
	if (r != SQLITE_DONE)
		goto bad;
	sqlite3_finalize(st);
	st = NULL;
	if (n == 0) {
		bundle_w_abort(w);
		w = NULL;
		cb_rollback(cb);
		rc = CB_EXP_OK;
		goto done;
	}
	r = bundle_w_commit(w, cb_seckey(cb)->sign_sk, cb_seckey(cb)->pub.sign_pk);
	w = NULL;
	if (r != 0) {
		res->bundle_rc = r;
		rc = CB_EXP_WRITE;
		goto done;
	}
	/* the file is in place: mark the same items sent in the same transaction */
	snprintf(detail, sizeof(detail), "%d items", n);
	if (mark_sent(cb, ids, (size_t)n) != 0 ||
	    cb_audit(cb, "export-replies", NULL, detail) != 0 || cb_commit(cb) != 0) {
		rc = CB_EXP_MARK;
		goto done;
	}
	res->n = n;
	rc = CB_EXP_OK;
	goto done;
bad:
	rc = CB_EXP_BAD;
done:
	if (w != NULL)
		bundle_w_abort(w);
	sqlite3_finalize(st);
	free(ids);
	cb_rollback(cb); /* nothing when committed */
	return rc;
}
