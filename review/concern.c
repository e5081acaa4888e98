/*
 * Reading concerns back: the main row, the sealed body, the text pieces
 * the referrals module extracts references from; ids; the chain head; the
 * outbox of items for the next reply bundle.
 */
#include <stdlib.h>
#include <string.h>

#include "review/cb_internal.h"
#include "tmpl/tmpl.h"
#include "util/util.h"

static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* 5 random bits a character from one randombytes_buf (32 symbols: as
 * uniform as randombytes_uniform(32) per character, which was a getrandom
 * call per character: eight per imported concern). */
void
cb_new_id(char out[CB_ID_CHARS + 1])
{
	uint8_t r[(CB_ID_CHARS * 5 + 7) / 8];
	uint64_t bits = 0;

	randombytes_buf(r, sizeof(r));
	for (size_t i = 0; i < sizeof(r); i++)
		bits |= (uint64_t)r[i] << (8 * i);
	for (int i = 0; i < CB_ID_CHARS; i++)
		out[i] = b32[(bits >> (5 * i)) & 31];
	out[CB_ID_CHARS] = '\0';
}

int
cb_id_fault(const char *s, size_t *at)
{
	size_t n = strlen(s);

	if (n != CB_ID_CHARS) {
		*at = n;
		return CB_IDF_LENGTH;
	}
	for (size_t i = 0; i < n; i++) {
		char u = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') : s[i];
		if (strchr(b32, u) != NULL)
			continue;
		*at = i + 1;
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			return CB_IDF_CHAR_CTL;
		return u == 'O' ? CB_IDF_CHAR_O : u == 'I' || u == 'L' ? CB_IDF_CHAR_IL : CB_IDF_CHAR;
	}
	return 0;
}

int
cb_id_parse(const char *s, char out[CB_ID_CHARS + 1], char *why, size_t whylen)
{
	static const char *const key[] = {[CB_IDF_LENGTH] = "cli.id.length",
	    [CB_IDF_CHAR_O] = "cli.id.char_o", [CB_IDF_CHAR_IL] = "cli.id.char_il",
	    [CB_IDF_CHAR] = "cli.id.char", [CB_IDF_CHAR_CTL] = "cli.id.char_ctl"};
	char c[2] = {0, 0};
	size_t at = 0;
	int f = cb_id_fault(s, &at);

	/* the id comes from a person: say where it went wrong, in the
	 * reader's language (the desk says its own page text instead) */
	if (f != 0) {
		if (f != CB_IDF_LENGTH)
			c[0] = s[at - 1];
		CLI_FILL(why, whylen, f == CB_IDF_LENGTH && at == 1 ? "cli.id.length1" : key[f],
		    CLI_NUM(at), f == CB_IDF_LENGTH ? CLI_NUM(CB_ID_CHARS) : c);
		return -1;
	}
	for (size_t i = 0; i < CB_ID_CHARS; i++)
		out[i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') : s[i];
	out[CB_ID_CHARS] = '\0';
	return 0;
}

int
cb_id_valid(const char *s)
{
	if (strlen(s) != CB_ID_CHARS)
		return 0;
	for (int i = 0; i < CB_ID_CHARS; i++)
		if (strchr(b32, s[i]) == NULL || s[i] == '\0')
			return 0;
	return 1;
}

int
cb_head(struct casebook *cb, uint64_t *seq, uint8_t link[CC_HASH_BYTES])
{
	uint8_t b[8];

	if (cb_anchor_check(cb) != 0 || cb_meta_get(cb, "head_seq", b, 8) != 0 ||
	    cb_meta_get(cb, "head_link", link, CC_HASH_BYTES) != 0)
		return -1;
	*seq = 0;
	for (int i = 0; i < 8; i++)
		*seq |= (uint64_t)b[i] << (8 * i);
	return 0;
}

static void
copy_text(char *dst, size_t cap, const unsigned char *src)
{
	snprintf(dst, cap, "%s", src != NULL ? (const char *)src : "");
}

/* 1 if tag seals exactly the row's reporter key under this concern's id
 * (replies and shared summaries are sealed to that key). */
static int
reporter_pk_ok(
    struct casebook *cb, const struct cb_concern *c, const void *tag, size_t taglen, size_t pklen)
{
	uint8_t *pt = NULL;
	size_t ptlen = 0;
	char ad[64];
	int ok;

	if (tag == NULL || pklen != CC_BOX_PK)
		return 0;
	cb_reporter_ad(c->id, ad);
	if (cb_unseal(cb, ad, tag, taglen, &pt, &ptlen) != 0)
		return 0;
	ok = ptlen == CC_BOX_PK && sodium_memcmp(pt, c->reporter_pk, CC_BOX_PK) == 0;
	cb_free(pt, ptlen);
	return ok;
}

const char *
cb_unreadable_why(const struct cb_concern *c)
{
	/* import_rec.c writes this category when a body opened but did not
	 * parse (a NUL or control character in a field, say): telling the
	 * reviewer it is sealed to others would send them looking for one */
	return strcmp(c->category, "malformed") == 0
		   ? "malformed: it opened at import but does not parse as a concern, so nobody"
		     " can read it"
		   : "sealed to other reviewers";
}

int
cb_concern_load(struct casebook *cb, const char *id, struct cb_concern *c)
{
	sqlite3_stmt *st = NULL;
	int rc, pk_ok;

	memset(c, 0, sizeof(*c));
	if (!cb_id_valid(id))
		return 1;
	if (sqlite3_prepare_v2(cb->db,
		"SELECT id, seq, received, readable, recipients, category, status, outcome, "
		"ack_date,"
		" closed_date, assignee, reporter_pk, purged, share_summary, pk_tag FROM concerns"
		" WHERE "
		"id=?",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? 1 : -1;
	}
	copy_text(c->id, sizeof(c->id), sqlite3_column_text(st, 0));
	c->seq = (uint64_t)sqlite3_column_int64(st, 1);
	copy_text(c->received, sizeof(c->received), sqlite3_column_text(st, 2));
	c->readable = sqlite3_column_int(st, 3) && cb_may_read(cb, sqlite3_column_blob(st, 4),
						       (size_t)sqlite3_column_bytes(st, 4));
	copy_text(c->category, sizeof(c->category), sqlite3_column_text(st, 5));
	c->status = sqlite3_column_int(st, 6);
	c->outcome = sqlite3_column_int(st, 7);
	copy_text(c->ack_date, sizeof(c->ack_date), sqlite3_column_text(st, 8));
	copy_text(c->closed_date, sizeof(c->closed_date), sqlite3_column_text(st, 9));
	copy_text(c->assignee, sizeof(c->assignee), sqlite3_column_text(st, 10));
	if (sqlite3_column_bytes(st, 11) == CC_BOX_PK)
		memcpy(c->reporter_pk, sqlite3_column_blob(st, 11), CC_BOX_PK);
	c->purged = sqlite3_column_int(st, 12);
	c->share_summary = sqlite3_column_int(st, 13);
	pk_ok = reporter_pk_ok(cb, c, sqlite3_column_blob(st, 14),
	    (size_t)sqlite3_column_bytes(st, 14), (size_t)sqlite3_column_bytes(st, 11));
	sqlite3_finalize(st);
	if (!pk_ok)
		return -1;
	/* Readable only with this reviewer's sealed copy of the concern key:
	 * a reviewer the reporter left out holds none, whatever the clear
	 * recipients column says. */
	if (c->readable && !c->purged && cb_ck_load(cb, c->id) != 0)
		c->readable = 0;
	/* the file may have been edited: what is printed or computed from the
	 * clear columns must have the shape it was written with */
	if (!cb_id_valid(c->id) || !util_date_valid(c->received) ||
	    (c->ack_date[0] && !util_date_valid(c->ack_date)) ||
	    (c->closed_date[0] && !util_date_valid(c->closed_date)) ||
	    (c->assignee[0] && !cc_name_valid(c->assignee)) ||
	    !util_text_valid(c->category, strlen(c->category), 0) || c->status < CB_RECEIVED ||
	    c->status > CB_CLOSED || c->outcome < BOUT_NONE || c->outcome > BOUT_NFA)
		return -1;
	return 0;
}

/* Opens a sealed column of one row: SELECT col FROM table WHERE key=?. */
static int
unseal_col(struct casebook *cb, const char *sql, const char *key, const char *ad, uint8_t **pt,
    size_t *len)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	*pt = NULL;
	*len = 0;
	if ((st = cb_stmt(cb, sql)) == NULL) /* kept: the report opens every body */
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_BLOB)
		rc = cb_unseal_concern(cb, key, ad, sqlite3_column_blob(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0), pt, len);
	cb_stmt_done(st);
	return rc;
}

void
cb_row_ad(const char *what, long long row, const char *cid, const char *col, char ad[80])
{
	snprintf(ad, 80, "%s:%lld:%s:%s", what, row, cid, col);
}

void
cb_reporter_ad(const char *id, char ad[64])
{
	snprintf(ad, 64, "concern:%s:reporter_pk", id);
}

void
cb_summary_ad(const char *id, int share, char ad[64])
{
	snprintf(ad, 64, "concern:%s:summary:%s", id, share ? "shared" : "private");
}

int
cb_concern_body(struct casebook *cb, const char *id, uint8_t **pt, size_t *len)
{
	char ad[64];

	snprintf(ad, sizeof(ad), "concern:%s:body", id);
	return unseal_col(cb, "SELECT body FROM concerns WHERE id=?", id, ad, pt, len);
}

int
cb_text_fields(const uint8_t *pt, size_t len, const char *magic, cb_text_fn fn, void *ctx)
{
	struct field f[FIELDS_MAX];
	size_t n = 0, off = 0;
	static const struct {
		const char *name;
		int kind;
	} want[] = {
	    {"ref", CB_TEXT_REF},
	    {"what", CB_TEXT_WHAT},
	    {"raised_with", CB_TEXT_RAISED},
	    {"text", CB_TEXT_MESSAGE},
	};

	if (fields_decode(pt, len, magic, f, FIELDS_MAX, &n, &off) != 0)
		return 0; /* validated at import; nothing to offer */
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
			char *copy;
			int rc;
			if (strcmp(f[i].name, want[k].name) != 0 ||
			    !util_text_valid((const char *)f[i].val, f[i].len, 1))
				continue;
			if ((copy = malloc(f[i].len + 1)) == NULL)
				return -1;
			memcpy(copy, f[i].val, f[i].len);
			copy[f[i].len] = '\0';
			rc = fn(ctx, want[k].kind, copy, f[i].len);
			cc_free_wipe(copy, f[i].len + 1);
			if (rc != 0)
				return -1;
		}
	return 0;
}

int
cb_concern_text(struct casebook *cb, const char *id, cb_text_fn fn, void *ctx)
{
	struct cb_concern c;
	sqlite3_stmt *st = NULL;
	uint8_t *pt = NULL;
	size_t len = 0;
	int rc;

	if (cb_concern_load(cb, id, &c) != 0)
		return -1;
	if (!c.readable || c.purged)
		return 0;
	if (cb_concern_body(cb, id, &pt, &len) != 0)
		return -1;
	rc = cb_text_fields(pt, len, FIELDS_CONCERN, fn, ctx);
	cb_free(pt, len);
	if (rc != 0)
		return -1;
	if (sqlite3_prepare_v2(cb->db,
		"SELECT seq, body FROM messages WHERE concern_id=? AND readable=1 AND body IS NOT "
		"NULL"
		" ORDER BY seq",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char ad[80];
		cb_row_ad("message", (long long)sqlite3_column_int64(st, 0), id, "body", ad);
		if (cb_unseal_concern(cb, id, ad, sqlite3_column_blob(st, 1),
			(size_t)sqlite3_column_bytes(st, 1), &pt, &len) != 0)
			goto fail;
		rc = cb_text_fields(pt, len, FIELDS_MESSAGE, fn, ctx);
		cb_free(pt, len);
		if (rc != 0)
			goto fail;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
fail:
	sqlite3_finalize(st);
	return -1;
}

/* What an outbox row's tag seals (AD "outbox:tag"): item id, concern id,
 * target seq (u64le), type, state, outcome, date, and the BLAKE2b of the
 * envelope (or zeros and a 0 flag when there is none). */
#define OUTBOX_TAGGED (BUNDLE_ITEM_ID_BYTES + CB_ID_CHARS + 8 + 3 + 10 + 1 + CC_HASH_BYTES)

static int
outbox_tagged(const uint8_t id[BUNDLE_ITEM_ID_BYTES], const char *cid, uint64_t target_seq,
    int type, int state, int outcome, const char *date, const uint8_t *env, size_t envlen,
    uint8_t out[OUTBOX_TAGGED])
{
	uint8_t *p = out;

	if (cid == NULL || strlen(cid) != CB_ID_CHARS || date == NULL || strlen(date) != 10 ||
	    type < 0 || type > 255 || state < 0 || state > 255 || outcome < 0 || outcome > 255)
		return -1;
	memset(out, 0, OUTBOX_TAGGED);
	memcpy(p, id, BUNDLE_ITEM_ID_BYTES), p += BUNDLE_ITEM_ID_BYTES;
	memcpy(p, cid, CB_ID_CHARS), p += CB_ID_CHARS;
	for (int i = 0; i < 8; i++)
		*p++ = (uint8_t)(target_seq >> (8 * i));
	*p++ = (uint8_t)type;
	*p++ = (uint8_t)state;
	*p++ = (uint8_t)outcome;
	memcpy(p, date, 10), p += 10;
	*p++ = env != NULL;
	if (env != NULL)
		cc_hash(env, envlen, p);
	return 0;
}

int
cb_outbox_check(struct casebook *cb, const uint8_t id[BUNDLE_ITEM_ID_BYTES], const char *cid,
    uint64_t target_seq, int type, int state, int outcome, const char *date, const uint8_t *env,
    size_t envlen, const uint8_t *tag, size_t taglen)
{
	uint8_t want[OUTBOX_TAGGED], *pt = NULL;
	size_t ptlen = 0;
	int ok;

	if (tag == NULL ||
	    outbox_tagged(id, cid, target_seq, type, state, outcome, date, env, envlen, want) !=
		0 ||
	    cb_unseal(cb, "outbox:tag", tag, taglen, &pt, &ptlen) != 0)
		return -1;
	ok = ptlen == sizeof(want) && sodium_memcmp(pt, want, sizeof(want)) == 0;
	cb_free(pt, ptlen);
	return ok ? 0 : -1;
}

int
cb_outbox_add(struct casebook *cb, const char *cid, uint64_t target_seq, int type, int state,
    int outcome, const uint8_t *env, size_t envlen)
{
	uint8_t id[BUNDLE_ITEM_ID_BYTES], tagged[OUTBOX_TAGGED], *tag = NULL;
	size_t taglen = 0;
	char today[11];
	sqlite3_stmt *st = NULL;
	int rc;

	randombytes_buf(id, sizeof(id));
	if (util_today(today) != 0 ||
	    outbox_tagged(id, cid, target_seq, type, state, outcome, today, env, envlen, tagged) !=
		0 ||
	    cb_seal(cb, "outbox:tag", tagged, sizeof(tagged), &tag, &taglen) != 0)
		return -1;
	if (sqlite3_prepare_v2(cb->db,
		"INSERT INTO outbox(item_id, concern_id, target_seq, "
		"type, state, outcome, date, env, tag)"
		" VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
		-1, &st, NULL) != SQLITE_OK) {
		free(tag);
		return -1;
	}
	sqlite3_bind_blob(st, 1, id, sizeof(id), SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)target_seq);
	sqlite3_bind_int(st, 4, type);
	sqlite3_bind_int(st, 5, state);
	sqlite3_bind_int(st, 6, outcome);
	sqlite3_bind_text(st, 7, today, -1, SQLITE_STATIC);
	if (env != NULL)
		sqlite3_bind_blob(st, 8, env, (int)envlen, SQLITE_STATIC);
	sqlite3_bind_blob(st, 9, tag, (int)taglen, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	free(tag);
	return rc;
}
