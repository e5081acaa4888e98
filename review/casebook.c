/*
 * The casebook: opening, creating and migrating casebook.db, the casebook
 * key and its per-reviewer sealed copies, transactions.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "review/cb_internal.h"
#include "review/ref.h"
#include "review/report.h"
#include "tmpl/tmpl.h"
#include "util/util.h"

static const char *schema_v1 =
    "CREATE TABLE meta(k TEXT PRIMARY KEY, v BLOB NOT NULL);"
    "CREATE TABLE reviewers(keyid BLOB PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " box_pk BLOB NOT NULL, sign_pk BLOB NOT NULL, sealed_key BLOB NOT NULL,"
    " added TEXT NOT NULL, added_by TEXT NOT NULL);"
    "CREATE TABLE records(seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"
    " date TEXT NOT NULL, parent_seq INTEGER NOT NULL, link BLOB NOT NULL,"
    " concern_id TEXT, readable INTEGER NOT NULL, imported TEXT NOT NULL);"
    "CREATE TABLE concerns(id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE,"
    " received TEXT NOT NULL, readable INTEGER NOT NULL, recipients BLOB NOT NULL,"
    " category TEXT NOT NULL, status INTEGER NOT NULL, outcome INTEGER NOT NULL DEFAULT 0,"
    " ack_date TEXT, feedback_date TEXT, closed_date TEXT, assignee TEXT,"
    " reporter_pk BLOB NOT NULL, body BLOB, summary BLOB,"
    " share_summary INTEGER NOT NULL DEFAULT 0, purged INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE messages(id INTEGER PRIMARY KEY, concern_id TEXT NOT NULL,"
    " seq INTEGER NOT NULL UNIQUE, date TEXT NOT NULL, readable INTEGER NOT NULL, body BLOB);"
    "CREATE TABLE attachments(id INTEGER PRIMARY KEY, concern_id TEXT NOT NULL,"
    " seq INTEGER NOT NULL, idx INTEGER NOT NULL, n INTEGER NOT NULL,"
    " size INTEGER NOT NULL, meta BLOB NOT NULL, UNIQUE(concern_id, n));"
    "CREATE TABLE att_chunks(att INTEGER NOT NULL, n INTEGER NOT NULL,"
    " data BLOB NOT NULL, PRIMARY KEY(att, n));"
    "CREATE TABLE sealed_envs(seq INTEGER NOT NULL, idx INTEGER NOT NULL,"
    " n INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY(seq, idx, n));"
    "CREATE TABLE notes(id INTEGER PRIMARY KEY, concern_id TEXT NOT NULL,"
    " date TEXT NOT NULL, author TEXT NOT NULL, body BLOB);"
    "CREATE TABLE replies(id INTEGER PRIMARY KEY, concern_id TEXT NOT NULL,"
    " date TEXT NOT NULL, author TEXT NOT NULL, body BLOB);"
    "CREATE TABLE outbox(item_id BLOB PRIMARY KEY, concern_id TEXT NOT NULL,"
    " target_seq INTEGER NOT NULL, type INTEGER NOT NULL, state INTEGER NOT NULL,"
    " outcome INTEGER NOT NULL, date TEXT NOT NULL, env BLOB,"
    " exported INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE audit(n INTEGER PRIMARY KEY, time TEXT NOT NULL, who TEXT NOT NULL,"
    " action TEXT NOT NULL, concern_id TEXT, detail BLOB, prev BLOB NOT NULL,"
    " hash BLOB NOT NULL);";

static int
migrate_1(sqlite3 *db)
{
	if (sqlite3_exec(db, schema_v1, NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	return ref_schema(db);
}

/* Version 2: each outbox row carries a tag sealed under the casebook key
 * (cb_outbox_add), so export-replies signs only rows this tool wrote. */
static int
migrate_2(sqlite3 *db)
{
	return sqlite3_exec(db, "ALTER TABLE outbox ADD COLUMN tag BLOB", NULL, NULL, NULL) ==
		       SQLITE_OK
		   ? 0
		   : -1;
}

/* Version 3: the reporter's public key is bound to its concern by a tag
 * sealed under the casebook key (import_rec.c, checked by cb_concern_load). */
static int
migrate_3(sqlite3 *db)
{
	return sqlite3_exec(db, "ALTER TABLE concerns ADD COLUMN pk_tag BLOB", NULL, NULL, NULL) ==
		       SQLITE_OK
		   ? 0
		   : -1;
}

/* Version 4: per-concern keys (concern_key.c), each sealed to one
 * reviewer who was among the concern's recipients. */
static int
migrate_4(sqlite3 *db)
{
	return sqlite3_exec(db,
		   "CREATE TABLE concern_keys(concern_id TEXT NOT NULL, keyid BLOB NOT NULL,"
		   " sealed BLOB NOT NULL, PRIMARY KEY(concern_id, keyid))",
		   NULL, NULL, NULL) == SQLITE_OK
		   ? 0
		   : -1;
}

/* Version 5: a concern's risk and raised-before answers sealed under the
 * casebook key for the governance report (report_facts.c). */
static int
migrate_5(sqlite3 *db)
{
	return sqlite3_exec(db, "ALTER TABLE concerns ADD COLUMN answers BLOB", NULL, NULL, NULL) ==
		       SQLITE_OK
		   ? 0
		   : -1;
}

/* Version 6: a follow-up that arrived when its case was already closed
 * (or purged) is marked, so show, list and import can say so instead of
 * leaving it to be found by search. */
static int
migrate_6(sqlite3 *db)
{
	return sqlite3_exec(db,
		   "ALTER TABLE messages ADD COLUMN after_close INTEGER NOT NULL DEFAULT 0", NULL,
		   NULL, NULL) == SQLITE_OK
		   ? 0
		   : -1;
}

/* Version 8: the cells each report written published or withheld
 * (report_pins.c), kept by every later report. */
static int
migrate_8(sqlite3 *db)
{
	return sqlite3_exec(db, rp_pins_schema, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* Forward migrations: entry i takes user_version i to i + 1. Version 7
 * (ref_links_v7, ref_store.c) rebuilds ref_links for a cheaper CHECK. */
static int (*const migrations[])(sqlite3 *) = {
    migrate_1, migrate_2, migrate_3, migrate_4, migrate_5, migrate_6, ref_links_v7, migrate_8};
#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))
#define CB_BUSY_MS 5000 /* how long a statement waits for another connection's lock */

/* The schema version, or -1 when the file is not a readable database. */
static int
schema_version(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
cb_migrate(sqlite3 *db, const char **why)
{
	int v = schema_version(db);

	if (v < 0) {
		*why = "cannot read the schema version";
		return -1;
	}
	if (v > NMIGRATIONS) {
		*why = "casebook was written by a newer candour-review; upgrade it";
		return -1;
	}
	for (; v < NMIGRATIONS; v++) {
		char sql[64];
		if (migrations[v](db) != 0) {
			*why = "schema migration failed";
			return -1;
		}
		if (snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", v + 1) >=
			(int)sizeof(sql) ||
		    sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
			*why = "schema migration failed";
			return -1;
		}
	}
	return 0;
}

static int
harden(sqlite3 *db)
{
	int on = 1, off = 0;

	if (sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, NULL) != SQLITE_OK ||
	    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, off, NULL) != SQLITE_OK ||
	    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, off, NULL) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(db, CB_BUSY_MS);
	return sqlite3_exec(db,
		   "PRAGMA secure_delete=ON; PRAGMA trusted_schema=OFF; PRAGMA foreign_keys=ON;"
		   "PRAGMA synchronous=FULL;",
		   NULL, NULL, NULL) == SQLITE_OK
		   ? 0
		   : -1;
}

/* Derives the subkeys from the seed (crypto_kdf, context "cbook-v1"). */
static int
derive(struct casebook *cb)
{
	uint8_t boxseed[crypto_box_SEEDBYTES];

	if (crypto_kdf_derive_from_key(
		cb->field_key, sizeof(cb->field_key), 1, "cbook-v1", cb->seed) != 0 ||
	    crypto_kdf_derive_from_key(
		cb->index_key, sizeof(cb->index_key), 2, "cbook-v1", cb->seed) != 0 ||
	    crypto_kdf_derive_from_key(boxseed, sizeof(boxseed), 3, "cbook-v1", cb->seed) != 0 ||
	    crypto_box_seed_keypair(cb->box.pk, cb->box.sk, boxseed) != 0) {
		sodium_memzero(boxseed, sizeof(boxseed));
		return -1;
	}
	sodium_memzero(boxseed, sizeof(boxseed));
	cc_keyid(cb->box.pk, cb->box.keyid);
	return 0;
}

static struct casebook *
cb_alloc(const struct cc_seckey *sk)
{
	struct casebook *cb = sodium_malloc(sizeof(*cb));

	if (cb == NULL)
		return NULL;
	memset(cb, 0, sizeof(*cb));
	cb->sk = sk;
	return cb;
}

void
cb_close(struct casebook *cb)
{
	if (cb == NULL)
		return;
	if (cb->db != NULL) {
		if (cb->in_txn)
			sqlite3_exec(cb->db, "ROLLBACK", NULL, NULL, NULL);
		cb_stmt_free_all(cb);
		sqlite3_close_v2(cb->db);
	}
	if (cb->owns_sk)
		cc_seckey_free((struct cc_seckey *)cb->sk);
	sodium_free(cb); /* wipes the keys */
}

static int
db_open(const char *path, int create, sqlite3 **db)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE;

	if (create)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, db, flags, NULL) != SQLITE_OK || harden(*db) != 0) {
		sqlite3_close_v2(*db);
		*db = NULL;
		return -1;
	}
	return 0;
}

/* Reads meta value k into out (exactly len bytes). */
int
cb_meta_get(struct casebook *cb, const char *k, uint8_t *out, size_t len)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(cb->db, "SELECT v FROM meta WHERE k=?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && (size_t)sqlite3_column_bytes(st, 0) == len) {
		memcpy(out, sqlite3_column_blob(st, 0), len);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

int
cb_meta_set(struct casebook *cb, const char *k, const uint8_t *v, size_t len)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(cb->db, "INSERT OR REPLACE INTO meta(k, v) VALUES(?, ?)", -1, &st,
		NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, v, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

int
cb_reviewer_insert(struct casebook *cb, const struct cc_pubkey *pub)
{
	uint8_t sealed[CB_KEY_BYTES + crypto_box_SEALBYTES];
	char today[11];
	sqlite3_stmt *st = NULL;
	int rc;

	if (util_today(today) != 0 ||
	    crypto_box_seal(sealed, cb->seed, CB_KEY_BYTES, pub->box_pk) != 0)
		return -1;
	if (sqlite3_prepare_v2(cb->db,
		"INSERT INTO reviewers(keyid, name, box_pk, sign_pk, sealed_key, added, added_by)"
		" VALUES(?, ?, ?, ?, ?, ?, ?)",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_blob(st, 1, pub->keyid, CC_KEYID_BYTES, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, pub->name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, pub->box_pk, CC_BOX_PK, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, pub->sign_pk, CC_SIGN_PK, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, sealed, sizeof(sealed), SQLITE_STATIC);
	sqlite3_bind_text(st, 6, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, cb->sk != NULL ? cb->sk->pub.name : pub->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

/* ---- the anchor: what import trusts, sealed -------------------------- */

#define ANCHOR_BYTES (CC_SIGN_PK + 8 + CC_HASH_BYTES)

/* The clear meta values import trusts: intake_pk || head_seq || head_link. */
static int
anchor_value(struct casebook *cb, uint8_t out[ANCHOR_BYTES])
{
	return cb_meta_get(cb, "intake_pk", out, CC_SIGN_PK) == 0 &&
		       cb_meta_get(cb, "head_seq", out + CC_SIGN_PK, 8) == 0 &&
		       cb_meta_get(cb, "head_link", out + CC_SIGN_PK + 8, CC_HASH_BYTES) == 0
		   ? 0
		   : -1;
}

/* Seals the current pin and head under the casebook key (meta "anchor",
 * AD "meta:anchor"); called wherever one of them is written. */
int
cb_anchor_set(struct casebook *cb)
{
	uint8_t v[ANCHOR_BYTES], *ct = NULL;
	size_t ctlen = 0;
	int rc;

	if (anchor_value(cb, v) != 0 || cb_seal(cb, "meta:anchor", v, sizeof(v), &ct, &ctlen) != 0)
		return -1;
	rc = cb_meta_set(cb, "anchor", ct, ctlen);
	free(ct);
	return rc;
}

/* 0 when the clear pin and head are the ones last sealed; -1 when they
 * were edited or the anchor is missing (the file was tampered with: a
 * casebook always has one). */
int
cb_anchor_check(struct casebook *cb)
{
	uint8_t v[ANCHOR_BYTES], *pt = NULL;
	size_t ptlen = 0;
	sqlite3_stmt *st = NULL;
	int ok = 0;

	if (anchor_value(cb, v) != 0 ||
	    sqlite3_prepare_v2(cb->db, "SELECT v FROM meta WHERE k='anchor'", -1, &st, NULL) !=
		SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW &&
	    cb_unseal(cb, "meta:anchor", sqlite3_column_blob(st, 0),
		(size_t)sqlite3_column_bytes(st, 0), &pt, &ptlen) == 0)
		ok = ptlen == sizeof(v) && sodium_memcmp(pt, v, sizeof(v)) == 0;
	cb_free(pt, ptlen);
	sqlite3_finalize(st);
	return ok ? 0 : -1;
}

int
cb_create(const char *path, const struct cc_seckey *sk, const uint8_t intake_pk[CC_SIGN_PK],
    struct casebook **out, const char **why)
{
	struct casebook *cb = NULL;
	uint8_t zero[CC_HASH_BYTES] = {0};
	uint8_t headseq[8] = {0};
	int fd;

	*out = NULL;
	*why = "cannot create the casebook";
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		*why =
		    errno == EEXIST ? "file exists; choose a new name" : "cannot create the file";
		return -1;
	}
	close(fd);
	if ((cb = cb_alloc(sk)) == NULL)
		goto fail;
	randombytes_buf(cb->seed, sizeof(cb->seed));
	if (derive(cb) != 0 || db_open(path, 0, &cb->db) != 0 ||
	    sqlite3_exec(cb->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	if (cb_begin(cb) != 0 || cb_migrate(cb->db, why) != 0)
		goto fail;
	*why = "cannot create the casebook";
	if (cb_meta_set(cb, "intake_pk", intake_pk, CC_SIGN_PK) != 0 ||
	    cb_meta_set(cb, "head_seq", headseq, 8) != 0 ||
	    cb_meta_set(cb, "head_link", zero, sizeof(zero)) != 0 || cb_anchor_set(cb) != 0 ||
	    cb_reviewer_insert(cb, &sk->pub) != 0 || cb_audit(cb, "init", NULL, NULL) != 0 ||
	    cb_commit(cb) != 0)
		goto fail;
	memcpy(cb->intake_pk, intake_pk, CC_SIGN_PK);
	*out = cb;
	return 0;
fail:
	cb_close(cb);
	unlink(path);
	return -1;
}

int
cb_open(const char *path, const struct cc_seckey *sk, struct casebook **out, const char **why)
{
	struct casebook *cb = NULL;
	sqlite3_stmt *st = NULL;
	struct stat sb;
	char copy[4096];
	int found = 0, v;

	*out = NULL;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		*why = "no such casebook; create one with `candour-review init`";
		return -1;
	}
	*why = "cannot open the casebook (not a casebook, or damaged)";
	if ((cb = cb_alloc(sk)) == NULL || db_open(path, 0, &cb->db) != 0)
		goto fail;
	/* Nothing is written before the key is checked: a file that is not a
	 * casebook (version 0) or a key that is not a reviewer changes nothing. */
	if ((v = schema_version(cb->db)) <= 0)
		goto fail;
	if (v > NMIGRATIONS) {
		*why = "casebook was written by a newer candour-review; upgrade it";
		goto fail;
	}
	if (sqlite3_prepare_v2(cb->db, "SELECT sealed_key FROM reviewers WHERE keyid=?", -1, &st,
		NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_blob(st, 1, sk->pub.keyid, CC_KEYID_BYTES, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_bytes(st, 0) == CB_KEY_BYTES + crypto_box_SEALBYTES) {
		found = 1;
		if (crypto_box_seal_open(cb->seed, sqlite3_column_blob(st, 0),
			CB_KEY_BYTES + crypto_box_SEALBYTES, sk->box.pk, sk->box.sk) != 0)
			found = 2;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (found != 1) {
		*why = found == 0
			   ? "this key is not a reviewer of this casebook; ask a reviewer to run"
			     " `candour-review reviewer add`"
			   : "the casebook key does not open with this key";
		goto fail;
	}
	/* an older casebook is copied before it is upgraded */
	if (v < NMIGRATIONS &&
	    util_db_keep_copy(cb->db, CB_BUSY_MS, path, NMIGRATIONS, copy, sizeof(copy)) != 0) {
		*why = errno == EEXIST ? "a copy from an earlier upgrade (CASEBOOK.pre-vN.bak) is in"
					 " the way: look at it, move it away, try again"
				       : "cannot keep a copy of the casebook before upgrading it;"
					 " nothing changed";
		goto fail;
	}
	if (cb_begin(cb) != 0 || cb_migrate(cb->db, why) != 0 || cb_commit(cb) != 0) {
		/* waited CB_BUSY_MS for another connection's write: say so, not
		 * "damaged" (found driving `report` beside a held casebook) */
		if ((cb->last_err & 0xff) == SQLITE_BUSY)
			*why = "another command (an import, a report, the desk saving one) is"
			       " writing to the casebook; wait for it to finish, then try again";
		goto fail;
	}
	if (v < NMIGRATIONS) {
		fputs("candour-review: ", stderr); /* lint-cli: the program's name */
		CLI_PUT(stderr, "cli.rv.schema_upgraded", path, CLI_NUM(v), copy,
		    CLI_NUM(NMIGRATIONS));
	}
	*why = "cannot open the casebook (not a casebook, or damaged)";
	if (derive(cb) != 0 || cb_meta_get(cb, "intake_pk", cb->intake_pk, CC_SIGN_PK) != 0)
		goto fail;
	if (cb_anchor_check(cb) != 0) {
		*why = "the pinned intake key or the chain head was changed outside"
		       " candour-review; refusing the casebook";
		goto fail;
	}
	*out = cb;
	return 0;
fail:
	sqlite3_finalize(st);
	cb_close(cb);
	return -1;
}

sqlite3 *
cb_db(struct casebook *cb)
{
	return cb->db;
}

const char *
cb_reviewer(const struct casebook *cb)
{
	return cb->sk->pub.name;
}

const struct cc_seckey *
cb_seckey(const struct casebook *cb)
{
	return cb->sk;
}

const uint8_t *
cb_intake_pk(const struct casebook *cb)
{
	return cb->intake_pk;
}

int
cb_begin(struct casebook *cb)
{
	cb->last_err = SQLITE_MISUSE;
	if (cb->in_txn)
		return -1;
	if (sqlite3_exec(cb->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		cb->last_err = sqlite3_extended_errcode(cb->db);
		return -1;
	}
	cb->in_txn = 1;
	return 0;
}

int
cb_commit(struct casebook *cb)
{
	cb->last_err = SQLITE_MISUSE;
	if (!cb->in_txn)
		return -1;
	if (sqlite3_exec(cb->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		/* kept for the caller's advice: the ROLLBACK clears it */
		cb->last_err = sqlite3_extended_errcode(cb->db);
		sqlite3_exec(cb->db, "ROLLBACK", NULL, NULL, NULL);
		cb->in_txn = 0;
		return -1;
	}
	cb->in_txn = 0;
	return 0;
}

int
cb_rollback(struct casebook *cb)
{
	if (!cb->in_txn)
		return 0;
	cb->in_txn = 0;
	return sqlite3_exec(cb->db, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int
cb_concern_exists(struct casebook *cb, const char *id)
{
	sqlite3_stmt *st = cb_stmt(cb, "SELECT 1 FROM concerns WHERE id=?");
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	cb_stmt_done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* 1 if the reviewer who opened the casebook is among the recipients the
 * reporter chose for this concern (the key ids read from its envelope). */
int
cb_may_read(struct casebook *cb, const uint8_t *recips, size_t len)
{
	for (size_t i = 0; i + CC_KEYID_BYTES <= len; i += CC_KEYID_BYTES)
		if (sodium_memcmp(recips + i, cb->sk->pub.keyid, CC_KEYID_BYTES) == 0)
			return 1;
	return 0;
}
