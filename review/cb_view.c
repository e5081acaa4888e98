/*
 * Reading a concern back, piece by piece, for `show` (printed) and the
 * desk's concern page (HTML): the follow-up messages, notes and replies
 * with their dates, the attachments' names, the outcome summary. Each
 * piece is opened here and wiped after the caller's function returns; how
 * it is shown is the caller's.
 */
#include <string.h>

#include "review/cb_internal.h"
#include "util/util.h"

static const char *const sql_rows[] = {
    [CB_ROW_MESSAGE] = "SELECT seq, date, NULL, body, after_close FROM messages"
		       " WHERE concern_id=?1 AND (?2 = 0 OR after_close=1) ORDER BY seq",
    [CB_ROW_NOTE] = "SELECT id, date, author, body, 0 FROM notes WHERE concern_id=?1"
		    " AND ?2 = 0 ORDER BY id",
    [CB_ROW_REPLY] = "SELECT id, date, author, body, 0 FROM replies WHERE concern_id=?1"
		     " AND ?2 = 0 ORDER BY id",
};
static const char *const row_what[] = {
    [CB_ROW_MESSAGE] = "message", [CB_ROW_NOTE] = "note", [CB_ROW_REPLY] = "reply"};

int
cb_rows_each(struct casebook *cb, const char *id, int kind, int late_only, cb_row_fn fn, void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (kind < CB_ROW_MESSAGE || kind > CB_ROW_REPLY ||
	    sqlite3_prepare_v2(cb->db, sql_rows[kind], -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, late_only);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cb_row r;
		uint8_t *pt = NULL;
		size_t len = 0;
		char ad[80];
		int stop;

		memset(&r, 0, sizeof(r));
		r.kind = kind;
		r.date = (const char *)sqlite3_column_text(st, 1);
		r.author = (const char *)sqlite3_column_text(st, 2);
		r.after_close = sqlite3_column_int(st, 4);
		if (r.date == NULL)
			r.date = "";
		if (sqlite3_column_type(st, 3) != SQLITE_BLOB)
			r.state = CB_ROW_SEALED;
		else {
			cb_row_ad(
			    row_what[kind], (long long)sqlite3_column_int64(st, 0), id, "body", ad);
			if (cb_unseal_concern(cb, id, ad, sqlite3_column_blob(st, 3),
				(size_t)sqlite3_column_bytes(st, 3), &pt, &len) != 0)
				r.state = CB_ROW_DAMAGED;
		}
		r.text = pt;
		r.len = len;
		stop = fn(ctx, &r);
		cb_free(pt, len);
		if (stop != 0) {
			rc = SQLITE_ERROR;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
cb_atts_each(struct casebook *cb, const char *id, cb_att_fn fn, void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(cb->db,
		"SELECT id, n, size, meta FROM attachments"
		" WHERE concern_id=? ORDER BY n",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cb_att_info a;
		uint8_t *pt = NULL;
		size_t len = 0, n = 0, off;
		struct field f[FIELDS_MAX];
		const struct field *name = NULL, *type = NULL;
		char ad[80];
		int stop;

		memset(&a, 0, sizeof(a));
		a.rowid = sqlite3_column_int64(st, 0);
		a.n = sqlite3_column_int(st, 1);
		a.size = sqlite3_column_int64(st, 2);
		cb_row_ad("attachment", (long long)a.rowid, id, "meta", ad);
		if (cb_unseal_concern(cb, id, ad, sqlite3_column_blob(st, 3),
			(size_t)sqlite3_column_bytes(st, 3), &pt, &len) == 0 &&
		    fields_decode(pt, len, FIELDS_ATTACHMENT, f, FIELDS_MAX, &n, &off) == 0) {
			name = fields_get(f, n, "name");
			type = fields_get(f, n, "type");
		}
		if (name != NULL) {
			a.name = name->val;
			a.namelen = name->len;
		}
		if (type != NULL) {
			a.type = type->val;
			a.typelen = type->len;
		}
		stop = fn(ctx, &a);
		cb_free(pt, len);
		if (stop != 0) {
			rc = SQLITE_ERROR;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
count_of(struct casebook *cb, const char *sql, const char *id)
{
	sqlite3_stmt *st = NULL;
	int n = -1;

	if (sqlite3_prepare_v2(cb->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
cb_atts_kept(struct casebook *cb, const char *id)
{
	/* envelopes of readable records kept sealed: they opened to something
	 * that is not an attachment */
	return count_of(cb,
	    "SELECT count(DISTINCT s.seq || '.' || s.idx) FROM sealed_envs s JOIN records r"
	    " ON r.seq=s.seq WHERE r.concern_id=? AND r.readable=1",
	    id);
}

int
cb_after_close_count(struct casebook *cb, const char *id)
{
	return count_of(
	    cb, "SELECT count(*) FROM messages WHERE concern_id=? AND after_close=1", id);
}

int
cb_summary_open(struct casebook *cb, const struct cb_concern *c, uint8_t **pt, size_t *len)
{
	sqlite3_stmt *st = NULL;
	char ad[64];
	int rc = 1;

	*pt = NULL;
	*len = 0;
	cb_summary_ad(c->id, c->share_summary, ad);
	if (sqlite3_prepare_v2(cb->db, "SELECT summary FROM concerns WHERE id=?", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_BLOB &&
	    cb_unseal_concern(cb, c->id, ad, sqlite3_column_blob(st, 0),
		(size_t)sqlite3_column_bytes(st, 0), pt, len) == 0)
		rc = 0;
	sqlite3_finalize(st);
	return rc;
}

int
cb_fields_each(const uint8_t *pt, size_t len, const char *magic, cb_field_fn fn, void *ctx)
{
	struct field f[FIELDS_MAX];
	size_t n = 0, off;

	if (fields_decode(pt, len, magic, f, FIELDS_MAX, &n, &off) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t blank = 0;
		/* an answer left empty says nothing: leave it out */
		while (blank < f[i].len && (f[i].val[blank] == ' ' || f[i].val[blank] == '\n' ||
					       f[i].val[blank] == '\t' || f[i].val[blank] == '\r'))
			blank++;
		if (blank == f[i].len)
			continue;
		if (fn(ctx, f[i].name, f[i].val, f[i].len) != 0)
			return -2;
	}
	return 0;
}

int
cb_fields_risk(const uint8_t *pt, size_t len, const char *magic)
{
	struct field f[FIELDS_MAX];
	const struct field *risk;
	size_t n = 0, off;

	if (fields_decode(pt, len, magic, f, FIELDS_MAX, &n, &off) != 0)
		return -1;
	risk = fields_get(f, n, "risk");
	return risk != NULL && risk->len == 3 && memcmp(risk->val, "yes", 3) == 0;
}

int
cb_show_audit(struct casebook *cb, const char *id)
{
	if (cb_begin(cb) != 0 || cb_audit(cb, "show", id, NULL) != 0 || cb_commit(cb) != 0) {
		cb_rollback(cb);
		return -1;
	}
	return 0;
}

int64_t
cb_att_rowid(struct casebook *cb, const char *cid, long n)
{
	sqlite3_stmt *st = NULL;
	int64_t rowid = 0;

	if (sqlite3_prepare_v2(cb->db, "SELECT id FROM attachments WHERE concern_id=? AND n=?", -1,
		&st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	if (sqlite3_step(st) == SQLITE_ROW)
		rowid = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rowid;
}

int
cb_att_export(struct casebook *cb, const struct cb_concern *c, long n, cc_sink_fn sink, void *ctx)
{
	int64_t rowid;
	char num[24];

	if (c->purged)
		return CB_ACT_PURGED;
	if (!c->readable)
		return CB_ACT_UNREADABLE;
	if ((rowid = cb_att_rowid(cb, c->id, n)) == 0)
		return CB_ATT_NONE;
	snprintf(num, sizeof(num), "%ld", n);
	if (cb_begin(cb) != 0 || cb_audit(cb, "attachment", c->id, num) != 0) {
		cb_rollback(cb);
		return -1;
	}
	if (cb_att_read(cb, c->id, rowid, sink, ctx) != 0) {
		cb_rollback(cb);
		return CB_ATT_DAMAGED;
	}
	return CB_ACT_OK;
}
