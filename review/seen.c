/*
 * What is new, per reviewer: each reviewer's "last opened" of each concern,
 * kept in the casebook's meta table under "seen:<key id hex>:<concern id>"
 * with the highest message id the reviewer had when they last opened it.
 * This is the reviewer's own reading state, nothing about the reporter, and
 * needs no schema change (meta is a key/value table since version 1). The
 * risk mark is read from the sealed concern body.
 */
#include <stdlib.h>
#include <string.h>

#include "review/cb_internal.h"
#include "review/report.h"
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
	sqlite3_stmt *st = NULL;
	struct rp_answers a;
	int rc, stored = -1;

	/* The answers import stored (casebook v5, sealed under the casebook
	 * key): no concern key to unseal and no body to open for each row of
	 * `list`. A casebook imported before v5 has none: the body says. Kept
	 * (cb_stmt): a large import's summary asks for every new concern. */
	static const char sql[] = "SELECT answers FROM concerns WHERE id=?";

	if ((st = cb_stmt(cb, sql)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_BLOB)
		stored = rp_answers_open(cb, cid, sqlite3_column_blob(st, 0),
			     (size_t)sqlite3_column_bytes(st, 0), &a) == 0
			     ? a.risk == RP_ANS_YES
			     : -2;
	cb_stmt_done(st);
	if (stored != -1)
		return stored == -2 ? -1 : stored;
	if (cb_concern_body(cb, cid, &pt, &len) != 0 || pt == NULL)
		return -1;
	rc = cb_fields_risk(pt, len, FIELDS_CONCERN);
	cb_free(pt, len);
	return rc;
}

/* What an import brought, one line each for the first CB_NEWS_NAMED; past
 * that a large import gets counts (100k lines help nobody, and naming each
 * opened its concern key again: an X25519 per concern). Named in the
 * bundle's order (seq), not by id: ids are drawn at import, so ordering by
 * them named a different 50 in each casebook and the counts of the rest
 * (RISK, sealed) moved between imports of one bundle. A concern whose
 * reporter said a child is at immediate risk is counted, not lost: the
 * risk answer is sealed under the casebook key, so no concern key is
 * opened for it. */
int
cb_news_print(struct casebook *cb, uint64_t from, uint64_t to, FILE *out)
{
	static const char sql[] =
	    "SELECT 1, id, readable, seq FROM concerns WHERE seq BETWEEN ?1 AND ?2"
	    " UNION ALL SELECT 2, concern_id, readable, seq FROM messages"
	    " WHERE seq BETWEEN ?1 AND ?2 ORDER BY 1, 4";
	sqlite3_stmt *st = NULL;
	unsigned long named = 0, more_c = 0, more_m = 0, more_risk = 0, more_sealed = 0;
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
		if (named >= CB_NEWS_NAMED) {
			if (msg)
				more_m++;
			else if (more_c++, !readable)
				more_sealed++;
			else if (cb_concern_risk(cb, id) == 1)
				more_risk++;
			continue;
		}
		named++;
		char *safe = rv_safe_dup(id, strlen(id));
		const char *sid = safe != NULL ? safe : "";
		int held = readable && cb_concern_key_held(cb, id) == 1;
		fputs("  ", out);
		if (!msg && held && cb_concern_risk(cb, id) == 1)
			CLI_PUT(out, "cli.rv.news.concern_risk", sid);
		else if (!held)
			CLI_PUT(out, msg ? "cli.rv.news.message_sealed" : "cli.rv.news.concern_sealed", sid);
		else
			CLI_PUT(out, msg ? "cli.rv.news.message" : "cli.rv.news.concern", sid);
		free(safe);
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return -1;
	if (more_c + more_m > 0) {
		fputs("  ", out);
		CLI_PUT(out, "cli.rv.news.more", CLI_UNUM(more_c),
		    CLI_T(more_c == 1 ? "cli.rv.news.concern_word1" : "cli.rv.news.concern_word"),
		    CLI_UNUM(more_risk), CLI_UNUM(more_sealed), CLI_UNUM(more_m),
		    CLI_T(more_m == 1 ? "cli.rv.news.message_word1" : "cli.rv.news.message_word"));
	}
	return 0;
}
