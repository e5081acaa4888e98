/*
 * The hash-chained audit log. Row n stores prev = hash of row n-1 (32 zero
 * bytes for the first) and
 *   hash = BLAKE2b-256("candour-audit-v1" || u64le(n) || prev ||
 *          lp(time) || lp(who) || lp(action) || lp(concern_id) || lp(detail))
 * where lp(x) = u32le(length) || bytes and detail is the sealed ciphertext
 * (the detail may name a reference, so it is sealed under the casebook key
 * with AD "audit:<n>:detail"). verify recomputes every hash from the stored
 * columns and needs no key.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "review/cb_internal.h"

static void
lp(struct cc_hasher *h, const void *p, size_t len)
{
	uint8_t l[4] = {
	    (uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16), (uint8_t)(len >> 24)};

	cc_hasher_update(h, l, 4);
	if (len > 0)
		cc_hasher_update(h, p, len);
}

static void
row_hash(int64_t n, const uint8_t prev[CC_HASH_BYTES], const char *time, const char *who,
    const char *action, const char *cid, const uint8_t *detail, size_t dlen,
    uint8_t out[CC_HASH_BYTES])
{
	struct cc_hasher h;
	static const char tag[] = "candour-audit-v1";
	uint8_t nb[8];

	for (int i = 0; i < 8; i++)
		nb[i] = (uint8_t)((uint64_t)n >> (8 * i));
	cc_hasher_init(&h);
	cc_hasher_update(&h, (const uint8_t *)tag, sizeof(tag) - 1);
	cc_hasher_update(&h, nb, 8);
	cc_hasher_update(&h, prev, CC_HASH_BYTES);
	lp(&h, time, strlen(time));
	lp(&h, who, strlen(who));
	lp(&h, action, strlen(action));
	lp(&h, cid != NULL ? cid : "", cid != NULL ? strlen(cid) : 0);
	lp(&h, detail, dlen);
	cc_hasher_final(&h, out);
}

int
cb_now(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
		return -1;
	return 0;
}

/* The last row's number and hash, sealed under the casebook key in meta
 * "audit_head", so that deleting rows from the end is detected too. */
static int
seal_head(struct casebook *cb, int64_t n, const uint8_t hash[CC_HASH_BYTES])
{
	uint8_t buf[8 + CC_HASH_BYTES], *ct = NULL;
	size_t ctlen;
	int rc;

	for (int i = 0; i < 8; i++)
		buf[i] = (uint8_t)((uint64_t)n >> (8 * i));
	memcpy(buf + 8, hash, CC_HASH_BYTES);
	if (cb_seal(cb, "meta:audit_head", buf, sizeof(buf), &ct, &ctlen) != 0)
		return -1;
	rc = cb_meta_set(cb, "audit_head", ct, ctlen);
	free(ct);
	return rc;
}

static int
check_head(struct casebook *cb, int64_t n, const uint8_t hash[CC_HASH_BYTES])
{
	sqlite3_stmt *st = NULL;
	uint8_t *pt = NULL;
	size_t ptlen = 0;
	int ok = 0;

	if (sqlite3_prepare_v2(cb->db, "SELECT v FROM meta WHERE k='audit_head'", -1, &st, NULL) !=
	    SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW &&
	    cb_unseal(cb, "meta:audit_head", sqlite3_column_blob(st, 0),
		(size_t)sqlite3_column_bytes(st, 0), &pt, &ptlen) == 0 &&
	    ptlen == 8 + CC_HASH_BYTES) {
		uint64_t m = 0;
		for (int i = 0; i < 8; i++)
			m |= (uint64_t)pt[i] << (8 * i);
		ok = m == (uint64_t)n && sodium_memcmp(pt + 8, hash, CC_HASH_BYTES) == 0;
	}
	cb_free(pt, ptlen);
	sqlite3_finalize(st);
	return ok;
}

int
cb_audit(struct casebook *cb, const char *action, const char *cid, const char *detail)
{
	sqlite3_stmt *st = NULL;
	uint8_t prev[CC_HASH_BYTES] = {0}, hash[CC_HASH_BYTES], *ct = NULL;
	size_t ctlen = 0;
	int64_t n = 1;
	char now[21], ad[64];
	int rc = -1;

	if (cb_now(now) != 0)
		return -1;
	if (sqlite3_prepare_v2(cb->db, "SELECT n, hash FROM audit ORDER BY n DESC LIMIT 1", -1, &st,
		NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 1) != CC_HASH_BYTES) {
			sqlite3_finalize(st);
			return -1;
		}
		n = sqlite3_column_int64(st, 0) + 1;
		memcpy(prev, sqlite3_column_blob(st, 1), CC_HASH_BYTES);
	} else if (rc != SQLITE_DONE) {
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	st = NULL;
	rc = -1;
	if (detail != NULL) {
		if (snprintf(ad, sizeof(ad), "audit:%lld:detail", (long long)n) >=
			(int)sizeof(ad) ||
		    (cid != NULL && cb_concern_key_held(cb, cid) == 1
			    /* about a concern (a reference linked, say): its key.
			     * Commands that name something secret about a concern
			     * need its key; the others (none today) fall back to
			     * the casebook key. */
			    ? cb_seal_concern(
				  cb, cid, ad, (const uint8_t *)detail, strlen(detail), &ct, &ctlen)
			    : cb_seal(cb, ad, (const uint8_t *)detail, strlen(detail), &ct,
				  &ctlen)) != 0)
			return -1;
	}
	row_hash(n, prev, now, cb_reviewer(cb), action, cid, ct, ctlen, hash);
	if (sqlite3_prepare_v2(cb->db,
		"INSERT INTO audit(n, time, who, action, concern_id, detail, prev, hash)"
		" VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
		-1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, n);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, cb_reviewer(cb), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	if (cid != NULL)
		sqlite3_bind_text(st, 5, cid, -1, SQLITE_STATIC);
	if (ct != NULL)
		sqlite3_bind_blob(st, 6, ct, (int)ctlen, SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, prev, CC_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, hash, CC_HASH_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc == 0)
		rc = seal_head(cb, n, hash);
out:
	sqlite3_finalize(st);
	free(ct);
	return rc;
}

static const char *
col_text(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	return s != NULL ? s : "";
}

int
cb_audit_verify(struct casebook *cb, int64_t *first_bad, int64_t *nrows)
{
	sqlite3_stmt *st = NULL;
	uint8_t prev[CC_HASH_BYTES] = {0}, hash[CC_HASH_BYTES];
	int64_t expect = 1;
	int rc;

	*first_bad = 0;
	*nrows = 0;
	if (sqlite3_prepare_v2(cb->db,
		"SELECT n, time, who, action, concern_id, detail, prev, hash FROM audit ORDER BY n",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t n = sqlite3_column_int64(st, 0);
		const char *cid = (const char *)sqlite3_column_text(st, 4);

		row_hash(n, prev, col_text(st, 1), col_text(st, 2), col_text(st, 3), cid,
		    sqlite3_column_blob(st, 5), (size_t)sqlite3_column_bytes(st, 5), hash);
		if (n != expect || sqlite3_column_bytes(st, 6) != CC_HASH_BYTES ||
		    sqlite3_column_bytes(st, 7) != CC_HASH_BYTES ||
		    sodium_memcmp(sqlite3_column_blob(st, 6), prev, CC_HASH_BYTES) != 0 ||
		    sodium_memcmp(sqlite3_column_blob(st, 7), hash, CC_HASH_BYTES) != 0) {
			*first_bad = expect;
			sqlite3_finalize(st);
			return 1;
		}
		memcpy(prev, hash, CC_HASH_BYTES);
		expect++;
		(*nrows)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	if (!check_head(cb, *nrows, prev)) {
		/* rows were removed from the end (or the head was edited) */
		*first_bad = *nrows + 1;
		return 1;
	}
	return 0;
}

int
cb_audit_each(struct casebook *cb, const char *only, cb_audit_fn fn, void *ctx)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(cb->db,
		"SELECT n, time, who, action, concern_id, detail FROM audit"
		" WHERE ?1 IS NULL OR concern_id=?1 ORDER BY n",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	if (only != NULL)
		sqlite3_bind_text(st, 1, only, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cb_audit_row e;
		uint8_t *pt = NULL;
		size_t len = 0;
		char ad[64];
		int stop;

		memset(&e, 0, sizeof(e));
		e.n = sqlite3_column_int64(st, 0);
		e.when = col_text(st, 1);
		e.who = col_text(st, 2);
		e.action = col_text(st, 3);
		e.cid = (const char *)sqlite3_column_text(st, 4);
		e.detail_state = CB_ROW_SEALED; /* none */
		if (sqlite3_column_type(st, 5) == SQLITE_BLOB) {
			snprintf(ad, sizeof(ad), "audit:%lld:detail", (long long)e.n);
			if ((e.cid != NULL &&
				cb_unseal_concern(cb, e.cid, ad, sqlite3_column_blob(st, 5),
				    (size_t)sqlite3_column_bytes(st, 5), &pt, &len) == 0) ||
			    cb_unseal(cb, ad, sqlite3_column_blob(st, 5),
				(size_t)sqlite3_column_bytes(st, 5), &pt, &len) == 0) {
				e.detail_state = CB_ROW_OPEN;
				e.detail = pt;
				e.dlen = len;
			} else
				e.detail_state = CB_ROW_DAMAGED;
		}
		stop = fn(ctx, &e);
		cb_free(pt, len);
		if (stop != 0) {
			rc = SQLITE_ERROR;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
