/* The casebook library: sealed fields, index hash, audit chain,
 * migrations, opening with the right and wrong keys; the earlier reports'
 * cells it records and what recording a report says when it fails. */
#include <sodium.h>

#include "tests/review/rvtest.h"
#include "review/cb_internal.h"
#include "review/report.h"

struct fx {
	struct rvt *t;
	struct casebook *cb;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *why = NULL;

	f->t = rvt_new();
	assert_int_equal(cb_create(f->t->cbpath, f->t->who[0], f->t->ipk, &f->cb, &why), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	cb_close(f->cb);
	rvt_free(f->t);
	free(f);
	return 0;
}

static void
test_seal_roundtrip(void **state)
{
	struct fx *f = *state;
	uint8_t *ct = NULL, *pt = NULL;
	size_t ctlen = 0, ptlen = 0;
	static const char msg[] = "concern text";

	assert_int_equal(cb_seal(f->cb, "concern:ABCDEFGH:body", (const uint8_t *)msg,
			     sizeof(msg) - 1, &ct, &ctlen),
	    0);
	assert_int_equal(ctlen % 1, 0);
	assert_null(memmem(ct, ctlen, "concern text", 12));
	assert_int_equal(cb_unseal(f->cb, "concern:ABCDEFGH:body", ct, ctlen, &pt, &ptlen), 0);
	assert_int_equal(ptlen, sizeof(msg) - 1);
	assert_memory_equal(pt, msg, ptlen);
	assert_int_equal(pt[ptlen], 0);
	cb_free(pt, ptlen);
	/* empty plaintext */
	free(ct);
	assert_int_equal(cb_seal(f->cb, NULL, NULL, 0, &ct, &ctlen), 0);
	assert_int_equal(cb_unseal(f->cb, NULL, ct, ctlen, &pt, &ptlen), 0);
	assert_int_equal(ptlen, 0);
	cb_free(pt, ptlen);
	free(ct);
}

/* Lengths are padded: 1 and 200 bytes give the same size. */
static void
test_seal_padding(void **state)
{
	struct fx *f = *state;
	uint8_t *a = NULL, *b = NULL, *c = NULL, big[300];
	size_t al, bl, cl;

	memset(big, 'x', sizeof(big));
	assert_int_equal(cb_seal(f->cb, "x", big, 1, &a, &al), 0);
	assert_int_equal(cb_seal(f->cb, "x", big, 200, &b, &bl), 0);
	assert_int_equal(cb_seal(f->cb, "x", big, 300, &c, &cl), 0);
	assert_int_equal(al, bl);
	assert_true(cl > bl);
	free(a), free(b), free(c);
}

static void
test_unseal_wrong_ad(void **state)
{
	struct fx *f = *state;
	uint8_t *ct = NULL, *pt = (uint8_t *)"untouched";
	size_t ctlen = 0, ptlen = 7;

	assert_int_equal(cb_seal(f->cb, "note:1:body", (const uint8_t *)"n", 1, &ct, &ctlen), 0);
	assert_int_equal(cb_unseal(f->cb, "note:2:body", ct, ctlen, &pt, &ptlen), -1);
	assert_null(pt);
	assert_int_equal(ptlen, 0);
	assert_int_equal(cb_unseal(f->cb, "reply:1:body", ct, ctlen, &pt, &ptlen), -1);
	assert_int_equal(cb_unseal(f->cb, NULL, ct, ctlen, &pt, &ptlen), -1);
	free(ct);
}

static void
test_unseal_every_flipped_byte(void **state)
{
	struct fx *f = *state;
	uint8_t *ct = NULL, *pt = NULL;
	size_t ctlen = 0, ptlen = 0;

	assert_int_equal(cb_seal(f->cb, "a", (const uint8_t *)"secret", 6, &ct, &ctlen), 0);
	for (size_t i = 0; i < ctlen; i++) {
		ct[i] ^= 0x80;
		assert_int_equal(cb_unseal(f->cb, "a", ct, ctlen, &pt, &ptlen), -1);
		ct[i] ^= 0x80;
	}
	for (size_t n = 0; n < ctlen; n += 7)
		assert_int_equal(cb_unseal(f->cb, "a", ct, n, &pt, &ptlen), -1);
	assert_int_equal(cb_unseal(f->cb, "a", NULL, 0, &pt, &ptlen), -1);
	assert_int_equal(cb_unseal(f->cb, "a", ct, ctlen, &pt, &ptlen), 0);
	cb_free(pt, ptlen);
	free(ct);
}

/* Another casebook has another key: its fields do not open here. */
static void
test_unseal_other_casebook(void **state)
{
	struct fx *f = *state;
	struct casebook *cb2 = NULL;
	const char *why;
	char p[RVT_PATH];
	uint8_t *ct = NULL, *pt = NULL, h1[32], h2[32];
	size_t ctlen, ptlen;

	rvt_path(f->t, p, "second.db");
	assert_int_equal(cb_create(p, f->t->who[0], f->t->ipk, &cb2, &why), 0);
	assert_int_equal(cb_seal(cb2, "a", (const uint8_t *)"x", 1, &ct, &ctlen), 0);
	assert_int_equal(cb_unseal(f->cb, "a", ct, ctlen, &pt, &ptlen), -1);
	assert_int_equal(cb_index_hash(f->cb, "REF/2026/00001", h1), 0);
	assert_int_equal(cb_index_hash(cb2, "REF/2026/00001", h2), 0);
	assert_memory_not_equal(h1, h2, 32);
	free(ct);
	cb_close(cb2);
}

static void
test_index_hash(void **state)
{
	struct fx *f = *state;
	uint8_t a[32], b[32], c[32];

	assert_int_equal(cb_index_hash(f->cb, "REF/2026/00423", a), 0);
	assert_int_equal(cb_index_hash(f->cb, "REF/2026/00423", b), 0);
	assert_int_equal(cb_index_hash(f->cb, "REF/2026/00424", c), 0);
	assert_memory_equal(a, b, 32);
	assert_memory_not_equal(a, c, 32);
	/* not the plain hash of the value */
	cc_hash((const uint8_t *)"REF/2026/00423", 14, c);
	assert_memory_not_equal(a, c, 32);
}

static void
audit_rows(struct fx *f, int n)
{
	char d[32];
	assert_int_equal(cb_begin(f->cb), 0);
	for (int i = 0; i < n; i++) {
		snprintf(d, sizeof(d), "detail %d", i);
		assert_int_equal(cb_audit(f->cb, "note", "ABCDEFGH", d), 0);
	}
	assert_int_equal(cb_commit(f->cb), 0);
}

static void
test_audit_intact(void **state)
{
	struct fx *f = *state;
	int64_t bad = -1, n = 0;

	audit_rows(f, 5);
	assert_int_equal(cb_audit_verify(f->cb, &bad, &n), 0);
	assert_int_equal(n, 6); /* "init" + 5 */
	assert_int_equal(bad, 0);
}

static void
tamper(struct fx *f, const char *sql, int64_t want_bad)
{
	int64_t bad = 0, n = 0;

	assert_int_equal(sqlite3_exec(cb_db(f->cb), sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(cb_audit_verify(f->cb, &bad, &n), 1);
	assert_int_equal(bad, want_bad);
}

static void
test_audit_edited_action(void **state)
{
	audit_rows(*state, 5);
	tamper(*state, "UPDATE audit SET action='show' WHERE n=3", 3);
}

/* The casebook has no append-only triggers for a REPLACE to slip past (a
 * REPLACE deletes the row it conflicts with without firing DELETE
 * triggers): its audit log is hash-chained instead, with its head sealed,
 * so a row replaced in place, a row replaced by another's content and the
 * last row replaced are each found like an edit. */
static void
test_audit_replaced(void **state)
{
	audit_rows(*state, 5);
	tamper(*state,
	    "REPLACE INTO audit SELECT n, time, who, 'show', concern_id, detail, prev, hash"
	    " FROM audit WHERE n=3",
	    3);
}

static void
test_audit_replaced_by_another(void **state)
{
	audit_rows(*state, 5);
	tamper(*state,
	    "INSERT OR REPLACE INTO audit SELECT 3, time, who, action, concern_id, detail, prev,"
	    " hash FROM audit WHERE n=4",
	    3);
}

static void
test_audit_last_replaced(void **state)
{
	audit_rows(*state, 5);
	tamper(*state,
	    "INSERT OR REPLACE INTO audit SELECT n, time, 'mallory', action, concern_id, detail,"
	    " prev, hash FROM audit WHERE n=6",
	    6);
}

static void
test_audit_edited_time(void **state)
{
	audit_rows(*state, 5);
	tamper(*state, "UPDATE audit SET time='2020-01-01T00:00:00Z' WHERE n=4", 4);
}

static void
test_audit_edited_who(void **state)
{
	audit_rows(*state, 5);
	tamper(*state, "UPDATE audit SET who='bob' WHERE n=2", 2);
}

static void
test_audit_deleted_middle(void **state)
{
	audit_rows(*state, 5);
	tamper(*state, "DELETE FROM audit WHERE n=3", 3);
}

static void
test_audit_deleted_last(void **state)
{
	audit_rows(*state, 5);
	tamper(*state, "DELETE FROM audit WHERE n=6", 6);
}

/* Rewriting a row and its hash does not help: the next row's prev breaks. */
static void
test_audit_rehashed_row(void **state)
{
	audit_rows(*state, 5);
	tamper(*state, "UPDATE audit SET hash=zeroblob(32) WHERE n=2", 2);
}

static void
test_audit_swapped_detail(void **state)
{
	audit_rows(*state, 5);
	tamper(*state, "UPDATE audit SET detail=(SELECT detail FROM audit WHERE n=5) WHERE n=4", 4);
}

/* The concern a row is about is part of its hash. */
static void
test_audit_edited_concern(void **state)
{
	audit_rows(*state, 5);
	tamper(*state, "UPDATE audit SET concern_id='HGFEDCBA' WHERE n=3", 3);
}

/* The stored prev of a row must be the previous row's hash, even when
 * nothing else in the row changed. */
static void
test_audit_edited_prev(void **state)
{
	audit_rows(*state, 5);
	tamper(*state, "UPDATE audit SET prev=zeroblob(32) WHERE n=4", 4);
}

/* The row hash of SECURITY.md, written out here from the documented
 * formula (not shared with review/audit.c). */
static void
spec_row_hash(int64_t n, const uint8_t prev[32], const char *time, const char *who,
    const char *action, const char *cid, const uint8_t *detail, size_t dlen, uint8_t out[32])
{
	crypto_generichash_state st;
	const char *parts[] = {time, who, action, cid != NULL ? cid : ""};
	uint8_t b[8];

	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, (const uint8_t *)"candour-audit-v1", 16);
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)((uint64_t)n >> (8 * i));
	crypto_generichash_update(&st, b, 8);
	crypto_generichash_update(&st, prev, 32);
	for (int i = 0; i < 5; i++) {
		size_t len = i < 4 ? strlen(parts[i]) : dlen;
		for (int j = 0; j < 4; j++)
			b[j] = (uint8_t)(len >> (8 * j));
		crypto_generichash_update(&st, b, 4);
		if (len > 0)
			crypto_generichash_update(
			    &st, i < 4 ? (const uint8_t *)parts[i] : detail, len);
	}
	crypto_generichash_final(&st, out, 32);
}

/* A forger deletes row 3 and recomputes every later row's prev and hash
 * (no key is needed for that): the chain then links, but the gap in the
 * row numbers is where verify must point, not the sealed head at the end. */
static void
test_audit_deleted_and_rehashed(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = cb_db(f->cb);
	sqlite3_stmt *st = NULL, *up = NULL;
	uint8_t prev[32], h[32];
	int64_t bad = 0, n = 0;

	audit_rows(f, 5);
	assert_int_equal(sqlite3_exec(db, "DELETE FROM audit WHERE n=3", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
			     "SELECT n, time, who, action, concern_id, detail FROM audit ORDER BY n",
			     -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "UPDATE audit SET prev=?, hash=? WHERE n=?", -1, &up, NULL),
	    SQLITE_OK);
	memset(prev, 0, sizeof(prev));
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t rn = sqlite3_column_int64(st, 0);
		spec_row_hash(rn, prev, (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
		    (const char *)sqlite3_column_text(st, 4), sqlite3_column_blob(st, 5),
		    (size_t)sqlite3_column_bytes(st, 5), h);
		sqlite3_bind_blob(up, 1, prev, 32, SQLITE_TRANSIENT);
		sqlite3_bind_blob(up, 2, h, 32, SQLITE_TRANSIENT);
		sqlite3_bind_int64(up, 3, rn);
		assert_int_equal(sqlite3_step(up), SQLITE_DONE);
		sqlite3_reset(up);
		memcpy(prev, h, 32);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	assert_int_equal(cb_audit_verify(f->cb, &bad, &n), 1);
	assert_int_equal(bad, 3);
}

/* Known answers for the row hash of SECURITY.md (computed independently
 * with Python's hashlib.blake2b, digest_size=32):
 *   row 1: time 2026-12-05T12:00:00Z, who alice, action init, no concern,
 *          no detail, prev 32 zero bytes;
 *   row 2: time 2026-12-05T12:00:01Z, who alice, action note, concern
 *          ABCDEFGH, detail 01 02 03, prev = row 1's hash.
 * The log is rewritten to these two rows (and the sealed head to row 2):
 * verify accepts them, so it hashes exactly the documented fields. */
static void
test_audit_known_answer(void **state)
{
	struct fx *f = *state;
	static const char *h1 = "d4a55c95d18f48f4d299ec8ed409e2c3cde0e9c1064cfa3db155d2a079967413";
	static const char *h2 = "c0048a94e55956c8417beee7333ebecbad2da76187f25fd2c4f295f3a4f8428d";
	uint8_t head[8 + CC_HASH_BYTES] = {2}, *ct = NULL;
	size_t ctlen = 0;
	int64_t bad = -1, n = 0;
	char sql[800];

	snprintf(sql, sizeof(sql),
	    "DELETE FROM audit;"
	    "INSERT INTO audit(n, time, who, action, concern_id, detail, prev, hash) VALUES"
	    " (1, '2026-12-05T12:00:00Z', 'alice', 'init', NULL, NULL, zeroblob(32), x'%s'),"
	    " (2, '2026-12-05T12:00:01Z', 'alice', 'note', 'ABCDEFGH', x'010203', x'%s', x'%s');",
	    h1, h1, h2);
	assert_int_equal(sqlite3_exec(cb_db(f->cb), sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sodium_hex2bin(head + 8, CC_HASH_BYTES, h2, 64, NULL, NULL, NULL), 0);
	assert_int_equal(cb_seal(f->cb, "meta:audit_head", head, sizeof(head), &ct, &ctlen), 0);
	assert_int_equal(cb_meta_set(f->cb, "audit_head", ct, ctlen), 0);
	free(ct);
	assert_int_equal(cb_audit_verify(f->cb, &bad, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(bad, 0);
	/* and the next row chains from the known hash */
	assert_int_equal(cb_audit(f->cb, "note", "ABCDEFGH", "more"), 0);
	assert_int_equal(cb_audit_verify(f->cb, &bad, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(rvt_count(f->t->cbpath,
			     "SELECT count(*) FROM audit WHERE n=3 AND prev=x'"
			     "c0048a94e55956c8417beee7333ebecbad2da76187f25fd2c4f295f3a4f8428d'"),
	    1);
}

static void
test_open_with_other_reviewers_key(void **state)
{
	struct fx *f = *state;
	struct casebook *cb = NULL;
	const char *why = NULL;

	assert_int_equal(cb_open(f->t->cbpath, f->t->who[1], &cb, &why), -1);
	assert_null(cb);
	assert_non_null(strstr(why, "not a reviewer"));
	assert_int_equal(cb_open(f->t->cbpath, f->t->who[0], &cb, &why), 0);
	cb_close(cb);
}

static void
test_open_not_a_casebook(void **state)
{
	struct fx *f = *state;
	struct casebook *cb = NULL;
	const char *why = NULL;
	char p[RVT_PATH];

	rvt_path(f->t, p, "junk.db");
	rvt_write(p, "this is not sqlite at all, just text that is long enough..", 59, 0600);
	assert_int_equal(cb_open(p, f->t->who[0], &cb, &why), -1);
	assert_int_equal(cb_open("/nonexistent/cb.db", f->t->who[0], &cb, &why), -1);
	assert_non_null(strstr(why, "no such casebook"));
	assert_int_equal(cb_open(f->t->dir, f->t->who[0], &cb, &why), -1); /* a directory */
}

/* Another SQLite file (version 0) is not a casebook: refused, untouched
 * (no tables created, journal mode unchanged). */
static void
test_open_other_sqlite_untouched(void **state)
{
	struct fx *f = *state;
	struct casebook *cb = NULL;
	const char *why = NULL;
	char p[RVT_PATH];
	sqlite3 *db = NULL;
	uint8_t before[32], after[32];

	rvt_path(f->t, p, "other.sqlite");
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "CREATE TABLE x(a); INSERT INTO x VALUES(1);", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	rvt_dump_hash(p, before);
	assert_int_equal(cb_open(p, f->t->who[0], &cb, &why), -1);
	assert_int_equal(cb_open(p, f->t->who[1], &cb, &why), -1);
	rvt_dump_hash(p, after);
	assert_memory_equal(before, after, 32);
	assert_int_equal(rvt_count(p, "SELECT count(*) FROM sqlite_master"), 1);
	assert_int_equal(
	    rvt_count(p, "SELECT journal_mode = 'delete' FROM pragma_journal_mode"), 1);
}

static void
test_create_refuses_existing(void **state)
{
	struct fx *f = *state;
	struct casebook *cb = NULL;
	const char *why = NULL;
	uint8_t before[32], after[32];

	rvt_dump_hash(f->t->cbpath, before);
	assert_int_equal(cb_create(f->t->cbpath, f->t->who[1], f->t->ipk, &cb, &why), -1);
	assert_non_null(strstr(why, "exists"));
	rvt_dump_hash(f->t->cbpath, after);
	assert_memory_equal(before, after, 32);
}

static void
test_newer_schema_refused(void **state)
{
	struct fx *f = *state;
	struct casebook *cb = NULL;
	const char *why = NULL;

	assert_int_equal(
	    sqlite3_exec(cb_db(f->cb), "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(cb_open(f->t->cbpath, f->t->who[0], &cb, &why), -1);
	assert_non_null(strstr(why, "newer"));
}

/* Forward migration: an empty database (user_version 0) is brought to the
 * current version with every table, including the referral ones. */
static void
test_migrate_from_zero(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = NULL;
	const char *why = NULL;
	char p[RVT_PATH];
	sqlite3_stmt *st = NULL;

	rvt_path(f->t, p, "empty.db");
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(cb_migrate(db, &why), 0);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), CB_SCHEMA_VERSION);
	sqlite3_finalize(st);
	/* idempotent: a second run changes nothing */
	assert_int_equal(cb_migrate(db, &why), 0);
	assert_int_equal(
	    sqlite3_exec(db, "SELECT count(*) FROM concerns, audit, outbox", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
}

/* Version 3 -> 4 adds the concern key table and nothing else. */
static void
test_migrate_3_to_4(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = NULL;
	const char *why = NULL;
	char p[RVT_PATH];
	sqlite3_stmt *st = NULL;

	rvt_path(f->t, p, "v3.db");
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(cb_migrate(db, &why), 0);
	/* make it a version 3 file (what versions 4, 5 and 6 added, dropped) */
	assert_int_equal(sqlite3_exec(db,
			     "DROP TABLE concern_keys; ALTER TABLE concerns DROP COLUMN answers;"
			     " ALTER TABLE messages DROP COLUMN after_close; DROP TABLE report_cells;"
			     " PRAGMA user_version=3",
			     NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_not_equal(
	    sqlite3_exec(db, "SELECT count(*) FROM concern_keys", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(
	    sqlite3_exec(db, "SELECT answers FROM concerns", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(cb_migrate(db, &why), 0);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), CB_SCHEMA_VERSION);
	/* version 5: the report's sealed answers */
	assert_int_equal(
	    sqlite3_exec(db, "SELECT answers FROM concerns", NULL, NULL, NULL), SQLITE_OK);
	/* version 6: the after-close mark */
	assert_int_equal(
	    sqlite3_exec(db, "SELECT after_close FROM messages", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_exec(db,
			     "INSERT INTO concern_keys(concern_id, keyid, sealed)"
			     " VALUES('ABCDEFGH', x'01', x'02')",
			     NULL, NULL, NULL),
	    SQLITE_OK);
	/* one key per concern and reviewer */
	assert_int_not_equal(sqlite3_exec(db,
				 "INSERT INTO concern_keys(concern_id, keyid, sealed)"
				 " VALUES('ABCDEFGH', x'01', x'03')",
				 NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
}

/* Version 5 -> 6 marks follow-ups that arrive on a closed case; rows
 * already there are not marked. */
static void
test_migrate_5_to_6(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = NULL;
	const char *why = NULL;
	char p[RVT_PATH];

	rvt_path(f->t, p, "v5.db");
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(cb_migrate(db, &why), 0);
	assert_int_equal(sqlite3_exec(db,
			     "ALTER TABLE messages DROP COLUMN after_close; DROP TABLE report_cells;"
			     " PRAGMA user_version=5;"
			     " INSERT INTO messages(concern_id, seq, date, readable)"
			     " VALUES('ABCDEFGH', 2, '2026-01-01', 1)",
			     NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_not_equal(
	    sqlite3_exec(db, "SELECT after_close FROM messages", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(cb_migrate(db, &why), 0);
	sqlite3_close(db);
	assert_int_equal(rvt_count(p, "PRAGMA user_version"), CB_SCHEMA_VERSION);
	assert_int_equal(rvt_count(p, "SELECT count(*) FROM messages WHERE after_close=0"), 1);
}

/* A version 6 casebook from a current one: ref_links as version 1 made
 * it (state IN (...)), one row per state. */
static const char links_v6[] =
    "DROP TABLE report_cells; DROP TABLE ref_links;"
    "CREATE TABLE ref_links(concern_id TEXT NOT NULL, idx BLOB NOT NULL,"
    " state TEXT NOT NULL CHECK (state IN ('exact','near','missing','manual','rejected')),"
    " ref BLOB NOT NULL, named BLOB, date TEXT NOT NULL,"
    " PRIMARY KEY(concern_id, idx)) WITHOUT ROWID;"
    "CREATE INDEX ref_links_by_idx ON ref_links(idx);"
    "INSERT INTO ref_links VALUES('A', x'01', 'exact', x'a1', NULL, 'x'),"
    " ('B', x'02', 'near', x'a2', x'b2', 'y'), ('C', x'03', 'missing', x'a3', NULL, 'z'),"
    " ('D', x'04', 'manual', x'a4', x'c4', 'w'), ('E', x'05', 'rejected', x'a5', NULL, 'v');"
    "PRAGMA user_version=6";

/* A bad state, refused by ref_links' CHECK: 0 when refused. */
static int
link_state_refused(sqlite3 *db, const char *state)
{
	sqlite3_stmt *st = NULL;
	int rc;

	assert_int_equal(sqlite3_prepare_v2(db,
			     "INSERT INTO ref_links(concern_id, idx, state, ref, named, date)"
			     " VALUES('BADSTATE', x'ff', ?, x'01', NULL, '2026-12-06')",
			     -1, &st, NULL),
	    SQLITE_OK);
	if (state != NULL)
		sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_CONSTRAINT ? 0 : -1;
}

/* Version 6 -> 7 rebuilds ref_links with the state CHECK spelt as
 * comparisons (no ephemeral table per insert): every row and the index
 * kept, the same five states allowed and nothing else. */
static void
test_migrate_6_to_7(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	const char *why = NULL;
	char p[RVT_PATH];
	static const char rows_sql[] =
	    "SELECT count(*) FROM ref_links WHERE state || hex(idx) || hex(ref) ||"
	    " iif(named IS NULL, 'none', hex(named)) || date || concern_id IN ("
	    " 'exact01A1nonexA', 'near02A2B2yB', 'missing03A3nonezC', 'manual04A4C4wD',"
	    " 'rejected05A5nonevE')";
	const char *bad[] = {"exactly", "Exact", "", " near", "unknown"};
	int ephemeral = 0;

	rvt_path(f->t, p, "v6.db");
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(cb_migrate(db, &why), 0);
	/* a version 6 file: ref_links as version 1 made it, one row per state */
	assert_int_equal(sqlite3_exec(db, links_v6, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(link_state_refused(db, "exactly"), 0);
	assert_int_equal(cb_migrate(db, &why), 0);
	/* the CHECK needs no ephemeral table on insert any more */
	assert_int_equal(sqlite3_prepare_v2(db,
			     "EXPLAIN INSERT INTO ref_links(concern_id, idx, state, ref, date)"
			     " VALUES('F', x'06', 'near', x'a6', 'u')",
			     -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		ephemeral |= strcmp((const char *)sqlite3_column_text(st, 1), "OpenEphemeral") == 0;
	sqlite3_finalize(st);
	assert_int_equal(ephemeral, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(link_state_refused(db, bad[i]), 0);
	assert_int_equal(link_state_refused(db, NULL), 0);
	sqlite3_close(db);
	assert_int_equal(rvt_count(p, "PRAGMA user_version"), CB_SCHEMA_VERSION);
	/* every row kept, column for column, and nothing added */
	assert_int_equal(rvt_count(p, rows_sql), 5);
	assert_int_equal(rvt_count(p, "SELECT count(*) FROM ref_links"), 5);
	assert_int_equal(rvt_count(p, "SELECT count(*) FROM sqlite_master WHERE type='index'"
				      " AND name='ref_links_by_idx' AND tbl_name='ref_links'"),
	    1);
	assert_int_equal(rvt_count(p, "SELECT count(*) FROM sqlite_master WHERE name LIKE"
				      " 'ref_links_v%'"),
	    0);
}

/* A version 6 casebook whose ref_links holds a row the CHECK refuses (put
 * there with the CHECK switched off): the rebuild fails, cb_open refuses
 * the casebook and its upgrade transaction leaves every row and the
 * version as they were. */
static void
test_migrate_6_to_7_failed(void **state)
{
	struct fx *f = *state;
	struct casebook *cb = NULL;
	const char *why = NULL;
	sqlite3 *db = cb_db(f->cb);

	assert_int_equal(sqlite3_exec(db, links_v6, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
			     "PRAGMA ignore_check_constraints=ON; INSERT INTO ref_links"
			     " VALUES('F', x'06', 'bogus', x'a6', NULL, 'u');"
			     " PRAGMA ignore_check_constraints=OFF",
			     NULL, NULL, NULL),
	    SQLITE_OK);
	RVT_REFUSED(f->t, cb_open(f->t->cbpath, f->t->who[0], &cb, &why));
	assert_null(cb);
	assert_non_null(strstr(why, "migration"));
	assert_int_equal(rvt_count(f->t->cbpath, "PRAGMA user_version"), 6);
	assert_int_equal(rvt_count(f->t->cbpath, "SELECT count(*) FROM ref_links"), 6);
}

/* Version 7 -> 8 adds report_cells (report_pins.c), append-only: a row
 * goes in, the same row again adds nothing, and no row changes or goes. */
static void
test_migrate_7_to_8(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = NULL;
	const char *why = NULL;
	char p[RVT_PATH];
	static const char row[] = "INSERT OR IGNORE INTO report_cells(measure, row, first, last,"
				  " withheld, n, threshold, period)"
				  " VALUES('received_by_category', 'total', 24312, 24314, 0, 9, 5,"
				  " '2026-Q1')";

	rvt_path(f->t, p, "v7.db");
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(cb_migrate(db, &why), 0);
	assert_int_equal(
	    sqlite3_exec(db, "DROP TABLE report_cells; PRAGMA user_version=7", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, row, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(cb_migrate(db, &why), 0);
	assert_int_equal(sqlite3_exec(db, row, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, row, NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(
	    sqlite3_exec(db, "UPDATE report_cells SET n=10", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM report_cells", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db,
				 "INSERT INTO report_cells VALUES('x', 'total', 1, 1, 2, 0, 5, 'x')",
				 NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(rvt_count(p, "PRAGMA user_version"), CB_SCHEMA_VERSION);
	assert_int_equal(rvt_count(p, "SELECT count(*) FROM report_cells WHERE n=9"), 1);
}

static void
test_transactions(void **state)
{
	struct fx *f = *state;

	assert_int_equal(cb_commit(f->cb), -1); /* none open */
	assert_int_equal(cb_begin(f->cb), 0);
	assert_int_equal(cb_begin(f->cb), -1); /* no nesting */
	assert_int_equal(cb_audit(f->cb, "x", NULL, NULL), 0);
	assert_int_equal(cb_rollback(f->cb), 0);
	assert_int_equal(rvt_count(f->t->cbpath, "SELECT count(*) FROM audit"), 1);
	assert_int_equal(cb_concern_exists(f->cb, "ABCDEFGH"), 0);
}

/*
 * The pinned intake key and the chain head are what import trusts; they
 * are clear meta values, so whoever can write the file could pin their
 * own intake key (and have forged bundles accepted) or move the head
 * back (and have records replayed). A sealed anchor catches both.
 */
static void
test_edited_intake_pin_refused(void **state)
{
	struct fx *f = *state;
	struct casebook *cb = NULL;
	const char *why = NULL;
	uint8_t other[CC_SIGN_PK], osk[crypto_sign_SECRETKEYBYTES];
	sqlite3_stmt *st = NULL;

	crypto_sign_keypair(other, osk);
	assert_int_equal(sqlite3_prepare_v2(cb_db(f->cb), "UPDATE meta SET v=? WHERE k='intake_pk'",
			     -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_blob(st, 1, other, sizeof(other), SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	assert_int_equal(cb_open(f->t->cbpath, f->t->who[0], &cb, &why), -1);
	assert_null(cb);
}

static void
test_edited_chain_head_refused(void **state)
{
	struct fx *f = *state;
	struct casebook *cb = NULL;
	const char *why = NULL;
	uint64_t seq = 0;
	uint8_t link[CC_HASH_BYTES];

	assert_int_equal(cb_head(f->cb, &seq, link), 0);
	assert_int_equal(
	    sqlite3_exec(cb_db(f->cb), "UPDATE meta SET v=x'0500000000000000' WHERE k='head_seq'",
		NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(cb_head(f->cb, &seq, link), -1);
	assert_int_equal(cb_open(f->t->cbpath, f->t->who[0], &cb, &why), -1);
}

static void
test_missing_anchor_refused(void **state)
{
	struct fx *f = *state;
	struct casebook *cb = NULL;
	const char *why = NULL;

	assert_int_equal(
	    sqlite3_exec(cb_db(f->cb), "DELETE FROM meta WHERE k='anchor'", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(cb_open(f->t->cbpath, f->t->who[0], &cb, &why), -1);
}

/* ---- earlier reports (review/report_pins.c) and recording a report
 * (review/report_make.c, rp_write_made) on a real casebook: the bound on
 * the cells read, and what the reviewer is told when a report cannot be
 * recorded. */

/* Adds n distinct rows to report_cells (months 1..n of one row). */
static void
add_cells(struct casebook *cb, long long from, long long n)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
	    "INSERT INTO report_cells(measure, row, first, last, withheld, n, threshold, period)"
	    " WITH RECURSIVE c(x) AS (SELECT %lld UNION ALL SELECT x + 1 FROM c WHERE x < %lld)"
	    " SELECT 'received_by_category', 'total', x, x, 0, 7, 5, '2026' FROM c",
	    from, from + n - 1);
	assert_int_equal(sqlite3_exec(cb->db, sql, NULL, NULL, NULL), SQLITE_OK);
}

/* rp_pins_load reads RP_PINS_MAX cells and refuses one more (-2, nothing
 * allocated): until 2026-12-06 it read every row, however many. */
static void
test_pins_load_limit(void **state)
{
	struct fx *f = *state;
	struct rp_pin *p = NULL;
	size_t n = 1;

	assert_int_equal(rp_pins_load(f->cb, &p, &n), 0); /* none recorded */
	assert_int_equal(n, 0);
	free(p);
	add_cells(f->cb, 1, RP_PINS_MAX);
	assert_int_equal(rp_pins_load(f->cb, &p, &n), 0);
	assert_int_equal(n, RP_PINS_MAX);
	assert_int_equal(p[RP_PINS_MAX - 1].first, RP_PINS_MAX);
	assert_int_equal(p[RP_PINS_MAX - 1].n, 7);
	free(p);
	add_cells(f->cb, RP_PINS_MAX + 1, 1);
	p = (struct rp_pin *)1;
	assert_int_equal(rp_pins_load(f->cb, &p, &n), -2);
	assert_null(p);
	assert_int_equal(n, 0);
}

/* A report ready to be recorded and written to path. */
static void
made(struct rp_make *m, struct rp_period *per, struct rp_pin *rec, size_t nrec)
{
	memset(m, 0, sizeof(*m));
	assert_int_equal(rp_period_parse("2026-Q1", per), 0);
	m->per = per;
	m->th = 5;
	snprintf(m->produced, sizeof(m->produced), "2026-12-06");
	tbuf_puts(&m->out, "a report\n");
	for (size_t i = 0; i < nrec; i++) {
		memset(&rec[i], 0, sizeof(rec[i]));
		snprintf(rec[i].measure, sizeof(rec[i].measure), "received_by_category");
		snprintf(rec[i].row, sizeof(rec[i].row), "cat.%zu", i);
		rec[i].first = per->first;
		rec[i].last = per->last;
		rec[i].n = 100 + i;
	}
	m->rec = rec;
	m->nrec = nrec;
	/* the state it was made from (report_state.c: sealed beside the cells) */
	assert_non_null(m->state = strdup("cube\treceived_by_category\n"));
	m->nstate = strlen(m->state);
}

/* Refused with why saying what to do (fail, and words of it), nothing
 * written at path, nothing recorded, and the casebook usable after. */
static void
refused(struct fx *f, struct rp_make *m, const char *path, int fail, const char *words)
{
	char why[RP_WHY_MAX], sig[RVT_PATH + 16];

	assert_int_equal(rp_write_made(path, m, f->cb, why, sizeof(why)), -1);
	assert_int_equal(m->fail, fail);
	if (strstr(why, words) == NULL || strstr(why, "no report written") == NULL)
		fail_msg("why: '%s', wanted '%s'", why, words);
	snprintf(sig, sizeof(sig), "%s.minisig", path);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(access(sig, F_OK), -1);
	assert_int_equal(rvt_count(f->t->cbpath, "SELECT count(*) FROM report_cells"), 0);
	assert_false(f->cb->in_txn);
}

/* A report that cannot be recorded says why, as SQLite tells it: another
 * command holding the casebook (wait), the disk full (free space), the
 * casebook read-only (make it writable). Until 2026-12-06 all three said
 * "cannot record the report in the casebook; no report written" and
 * nothing more. Then the same report is recorded and written. */
static void
test_write_made_says_why(void **state)
{
	struct fx *f = *state;
	static struct rp_pin rec[4000];
	struct rp_make m;
	struct rp_period per;
	char path[RVT_PATH], sql[96], why[RP_WHY_MAX];
	sqlite3 *other = NULL;

	rvt_path(f->t, path, "r.csv");
	made(&m, &per, rec, sizeof(rec) / sizeof(rec[0]));
	/* another connection (import, the desk) holds the casebook */
	sqlite3_busy_timeout(f->cb->db, 0);
	assert_int_equal(sqlite3_open(f->t->cbpath, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	refused(f, &m, path, RP_FAIL_RECORD_BUSY, "another command (an import, or the desk) is using it;"
						  " wait for it to finish");
	assert_int_equal(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	/* the disk full: the file may not grow by a page */
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lld",
	    rvt_count(f->t->cbpath, "PRAGMA page_count"));
	assert_int_equal(sqlite3_exec(f->cb->db, sql, NULL, NULL, NULL), SQLITE_OK);
	refused(f, &m, path, RP_FAIL_RECORD_FULL, "the disk holding it is full; free some space");
	assert_int_equal(
	    sqlite3_exec(f->cb->db, "PRAGMA max_page_count = 1073741823", NULL, NULL, NULL),
	    SQLITE_OK);
	/* read-only */
	assert_int_equal(sqlite3_exec(f->cb->db, "PRAGMA query_only = 1", NULL, NULL, NULL), SQLITE_OK);
	refused(f, &m, path, RP_FAIL_RECORD_RO, "it cannot be written (a read-only file or disk)");
	assert_int_equal(sqlite3_exec(f->cb->db, "PRAGMA query_only = 0", NULL, NULL, NULL), SQLITE_OK);
	/* held at open: said so, not "damaged" (waits CB_BUSY_MS first) */
	assert_int_equal(sqlite3_open(f->t->cbpath, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	{
		struct casebook *cb2 = NULL;
		const char *w = NULL;

		assert_int_equal(cb_open(f->t->cbpath, f->t->who[0], &cb2, &w), -1);
		assert_non_null(strstr(w, "another command"));
	}
	sqlite3_close(other);
	/* all well again: recorded and written */
	assert_int_equal(rp_write_made(path, &m, f->cb, why, sizeof(why)), 0);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(rvt_count(f->t->cbpath, "SELECT count(*) FROM report_cells"),
	    (long long)(sizeof(rec) / sizeof(rec[0])));
	assert_int_equal(rvt_count(f->t->cbpath, "SELECT count(*) FROM meta WHERE k LIKE 'report_state.%'"), 1);
	/* a report without its state is not recorded (later reports would
	 * read a state of no cells as all zero) */
	free(m.state);
	m.state = NULL;
	m.nstate = 0;
	assert_int_equal(rp_write_made(path, &m, f->cb, why, sizeof(why)), -1);
	tbuf_free(&m.out);
}

int
main(void)
{
#define T(x) cmocka_unit_test_setup_teardown(x, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_seal_roundtrip),
	    T(test_seal_padding),
	    T(test_unseal_wrong_ad),
	    T(test_unseal_every_flipped_byte),
	    T(test_unseal_other_casebook),
	    T(test_index_hash),
	    T(test_audit_intact),
	    T(test_audit_edited_action),
	    T(test_audit_edited_time),
	    T(test_audit_replaced),
	    T(test_audit_replaced_by_another),
	    T(test_audit_last_replaced),
	    T(test_audit_edited_who),
	    T(test_audit_deleted_middle),
	    T(test_audit_deleted_last),
	    T(test_audit_rehashed_row),
	    T(test_audit_swapped_detail),
	    T(test_audit_edited_concern),
	    T(test_audit_edited_prev),
	    T(test_audit_known_answer),
	    T(test_audit_deleted_and_rehashed),
	    T(test_open_with_other_reviewers_key),
	    T(test_open_not_a_casebook),
	    T(test_open_other_sqlite_untouched),
	    T(test_create_refuses_existing),
	    T(test_newer_schema_refused),
	    T(test_migrate_5_to_6),
	    T(test_migrate_6_to_7),
	    T(test_migrate_7_to_8),
	    T(test_pins_load_limit),
	    T(test_write_made_says_why),
	    T(test_migrate_6_to_7_failed),
	    T(test_migrate_from_zero),
	    T(test_migrate_3_to_4),
	    T(test_transactions),
	    T(test_edited_intake_pin_refused),
	    T(test_edited_chain_head_refused),
	    T(test_missing_anchor_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
