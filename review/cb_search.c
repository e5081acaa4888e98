/*
 * Search: concerns whose text, follow-up messages or notes hold every word
 * (ASCII case-insensitive), decrypted in memory, no index written; the
 * search is audited with its words. `search` and the desk's inbox call it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "review/cb_internal.h"
#include "util/util.h"

struct words {
	char *w[RV_SEARCH_WORDS_MAX];
	size_t n;
};

/* 1 if needle occurs in hay[0..hl) (ASCII case-insensitive). */
static int
ci_find(const uint8_t *hay, size_t hl, const char *needle)
{
	size_t nl = strlen(needle);

	for (size_t i = 0; nl <= hl && i <= hl - nl; i++)
		if (strncasecmp((const char *)hay + i, needle, nl) == 0)
			return 1;
	return 0;
}

/* 1 if every word occurs in the text: in some answer of a fields
 * plaintext (magic; never in the field names), or anywhere in plain text. */
static int
has_all(const struct words *ws, const uint8_t *s, size_t len, const char *magic)
{
	struct field f[FIELDS_MAX];
	size_t n = 0, off;

	if (magic != NULL && fields_decode(s, len, magic, f, FIELDS_MAX, &n, &off) != 0)
		return 0;
	for (size_t i = 0; i < ws->n; i++) {
		int found = magic == NULL && ci_find(s, len, ws->w[i]);
		for (size_t k = 0; k < n && !found; k++)
			found = ci_find(f[k].val, f[k].len, ws->w[i]);
		if (!found)
			return 0;
	}
	return 1;
}

static int
search_table(struct casebook *cb, const char *sql, const char *magic, const struct words *ws,
    const char *where, cb_search_fn fn, void *ctx, int *hits)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(cb_db(cb), sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cid = (const char *)sqlite3_column_text(st, 1);
		const uint8_t *rk = sqlite3_column_blob(st, 3);
		uint8_t *pt = NULL;
		size_t len = 0;
		char ad[80];

		/* concern_id is a clear column (a note or message is sealed to
		 * its own row): an id without the shape of one is not printed */
		if (cid == NULL || !cb_id_valid(cid) || sqlite3_column_type(st, 2) != SQLITE_BLOB ||
		    !cb_may_read(cb, rk, (size_t)sqlite3_column_bytes(st, 3)))
			continue;
		if (strcmp(where, "concern") == 0)
			snprintf(ad, sizeof(ad), "concern:%s:body", cid);
		else
			cb_row_ad(where, (long long)sqlite3_column_int64(st, 0), cid, "body", ad);
		if (cb_unseal_concern(cb, cid, ad, sqlite3_column_blob(st, 2),
			(size_t)sqlite3_column_bytes(st, 2), &pt, &len) != 0)
			continue;
		if (has_all(ws, pt, len, magic)) {
			(*hits)++;
			if (fn(ctx, cid, where) != 0) {
				cb_free(pt, len);
				rc = -1;
				break;
			}
		}
		cb_free(pt, len);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Splits text into ws (at most RV_SEARCH_WORDS_MAX words; the rest are
 * ignored); *copy holds them (free with cc_free_wipe(copy, len + 1)).
 * 0, -1 not one line of text under RV_SEARCH_MAX, -2 no word. */
static int
split(const char *text, struct words *ws, char **copy)
{
	char *save = NULL;
	size_t n = strlen(text);

	ws->n = 0;
	*copy = NULL;
	if (n > RV_SEARCH_MAX || !util_text_valid(text, n, 0) || (*copy = strdup(text)) == NULL)
		return -1;
	for (char *t = strtok_r(*copy, " \t", &save); t != NULL; t = strtok_r(NULL, " \t", &save))
		if (ws->n < RV_SEARCH_WORDS_MAX)
			ws->w[ws->n++] = t;
	return ws->n == 0 ? -2 : 0;
}

int
cb_search_check(const char *text)
{
	struct words ws;
	char *copy = NULL;
	int r = split(text, &ws, &copy);

	if (copy != NULL)
		cc_free_wipe(copy, strlen(text) + 1);
	return r;
}

int
cb_search(struct casebook *cb, const char *text, cb_search_fn fn, void *ctx)
{
	struct words ws;
	char *copy = NULL;
	int hits = 0, rc = -1;

	if (split(text, &ws, &copy) != 0)
		goto out;
	if (cb_begin(cb) != 0 || cb_audit(cb, "search", NULL, text) != 0)
		goto out;
	if (search_table(cb,
		"SELECT seq, id, body, recipients FROM concerns WHERE readable=1"
		" ORDER BY received, seq",
		FIELDS_CONCERN, &ws, "concern", fn, ctx, &hits) != 0 ||
	    search_table(cb,
		"SELECT m.seq, m.concern_id, m.body, c.recipients FROM messages m"
		" JOIN concerns c ON c.id=m.concern_id WHERE m.readable=1 ORDER BY m.seq",
		FIELDS_MESSAGE, &ws, "message", fn, ctx, &hits) != 0 ||
	    search_table(cb,
		"SELECT n.id, n.concern_id, n.body, c.recipients FROM notes n"
		" JOIN concerns c ON c.id=n.concern_id ORDER BY n.id",
		NULL, &ws, "note", fn, ctx, &hits) != 0 ||
	    cb_commit(cb) != 0) {
		cb_rollback(cb);
		goto out;
	}
	rc = hits;
out:
	if (copy != NULL)
		cc_free_wipe(copy, strlen(text) + 1);
	return rc;
}
