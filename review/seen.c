/*
 * What is new, per reviewer: each reviewer's "last opened" of each concern,
 * kept in the casebook's meta table under "seen:<key id hex>:<concern id>"
 * with the highest message id the reviewer had when they last opened it.
 * This is the reviewer's own reading state, nothing about the reporter, and
 * needs no schema change (meta is a key/value table since version 1). The
 * risk mark is read from the sealed concern body.
 */
#include <string.h>

#include "review/cb_internal.h"
#include "util/util.h"

static const char sql_mark[] = "INSERT INTO meta(k, v) VALUES(?1,"
			       " (SELECT coalesce(max(id), 0) FROM messages WHERE concern_id=?2))"
			       " ON CONFLICT(k) DO UPDATE SET v=excluded.v";
static const char sql_state[] = "SELECT (SELECT v FROM meta WHERE k=?1),"
				" (SELECT coalesce(max(id), 0) FROM messages WHERE concern_id=?2)";

/* "seen:" + 16 hex + ":" + the concern id. */
static int
seen_key(struct casebook *cb, const char *cid, char *k, size_t klen)
{
	char hex[2 * CC_KEYID_BYTES + 1];
	int n;

	if (cb->sk == NULL)
		return -1;
	sodium_bin2hex(hex, sizeof(hex), cb->sk->pub.keyid, CC_KEYID_BYTES);
	n = snprintf(k, klen, "seen:%s:%s", hex, cid);
	return n < 0 || (size_t)n >= klen ? -1 : 0;
}

int
cb_seen_mark(struct casebook *cb, const char *cid)
{
	sqlite3_stmt *st = NULL;
	char k[96];
	int rc = -1;

	if (seen_key(cb, cid, k, sizeof(k)) != 0 ||
	    sqlite3_prepare_v2(cb->db, sql_mark, -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cid, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(st);
	return rc;
}

int
cb_seen_state(struct casebook *cb, const char *cid, int *is_new, int *new_msg)
{
	sqlite3_stmt *st = NULL;
	char k[96];
	int rc = -1;

	*is_new = *new_msg = 0;
	if (seen_key(cb, cid, k, sizeof(k)) != 0 ||
	    sqlite3_prepare_v2(cb->db, sql_state, -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto out;
	if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		*is_new = 1;
	else
		*new_msg = sqlite3_column_int64(st, 1) > sqlite3_column_int64(st, 0);
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

int
cb_concern_risk(struct casebook *cb, const char *cid)
{
	uint8_t *pt = NULL;
	size_t len = 0;
	int rc;

	if (cb_concern_body(cb, cid, &pt, &len) != 0 || pt == NULL)
		return -1;
	rc = cb_fields_risk(pt, len, FIELDS_CONCERN);
	cb_free(pt, len);
	return rc;
}

int
cb_news_print(struct casebook *cb, uint64_t from, uint64_t to, FILE *out)
{
	static const char sql[] =
	    "SELECT 1, id, readable FROM concerns WHERE seq BETWEEN ?1 AND ?2"
	    " UNION ALL SELECT 2, concern_id, readable FROM messages WHERE seq BETWEEN ?1 AND ?2"
	    " ORDER BY 1, 2";
	sqlite3_stmt *st = NULL;
	int r;

	if (sqlite3_prepare_v2(cb->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)to);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 1);
		int msg = sqlite3_column_int(st, 0) == 2, readable = sqlite3_column_int(st, 2);

		if (id == NULL)
			continue;
		fputs(msg ? "  new message for concern " : "  new concern ", out);
		rv_print_safe(out, id, strlen(id), 0);
		if (!msg && readable && cb_concern_key_held(cb, id) == 1 &&
		    cb_concern_risk(cb, id) == 1)
			fputs("  RISK: the reporter says a child is at immediate risk", out);
		else if (!readable || cb_concern_key_held(cb, id) != 1)
			fputs("  (sealed to other reviewers)", out);
		fputc('\n', out);
	}
	sqlite3_finalize(st);
	return r == SQLITE_DONE ? 0 : -1;
}
