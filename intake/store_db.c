/*
 * intake.db: opening, hardening and forward migrations. The schema is
 * append-only by construction (no statement in the code updates or
 * deletes a record, envelope or link) and, from version 2, by triggers
 * that abort any such statement, so a bug or an injected statement
 * cannot rewrite history either.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "intake/store_int.h"
#include "util/util.h"

/* Migration i takes user_version i to i + 1. Never edit a shipped step:
 * add one. */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
    /* 0 -> 1: the tables */
    "CREATE TABLE meta(k TEXT PRIMARY KEY, v BLOB NOT NULL) STRICT;"
    "CREATE TABLE records("
    " seq INTEGER PRIMARY KEY,"
    " kind INTEGER NOT NULL CHECK (kind IN (1, 2)),"
    " date TEXT NOT NULL CHECK (length(date) = 10),"
    " parent_seq INTEGER NOT NULL,"
    " reporter_pk BLOB,"
    " lookup BLOB UNIQUE,"
    " rcpt_ops INTEGER NOT NULL,"
    " rcpt_mem INTEGER NOT NULL,"
    " body BLOB NOT NULL,"
    " link BLOB NOT NULL CHECK (length(link) = 32)) STRICT;"
    "CREATE INDEX records_parent ON records(parent_seq);"
    "CREATE TABLE envelopes("
    " seq INTEGER NOT NULL, idx INTEGER NOT NULL, upload INTEGER NOT NULL UNIQUE,"
    " len INTEGER NOT NULL, PRIMARY KEY (seq, idx)) STRICT;"
    "CREATE TABLE chunks("
    " upload INTEGER NOT NULL, idx INTEGER NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY (upload, idx)) STRICT;"
    "CREATE TABLE replies("
    " id BLOB PRIMARY KEY, target_seq INTEGER NOT NULL, date TEXT NOT NULL,"
    " env BLOB NOT NULL) STRICT;"
    "CREATE INDEX replies_target ON replies(target_seq);"
    "CREATE TABLE status("
    " id BLOB PRIMARY KEY, target_seq INTEGER NOT NULL, state INTEGER NOT NULL,"
    " outcome INTEGER NOT NULL, date TEXT NOT NULL) STRICT;"
    "CREATE INDEX status_target ON status(target_seq);",
    /* 1 -> 2: history cannot be rewritten, even by a stray statement */
    "CREATE TRIGGER records_no_update BEFORE UPDATE ON records"
    " BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;"
    "CREATE TRIGGER records_no_delete BEFORE DELETE ON records"
    " BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;"
    "CREATE TRIGGER envelopes_no_update BEFORE UPDATE ON envelopes"
    " BEGIN SELECT RAISE(ABORT, 'envelopes are append-only'); END;"
    "CREATE TRIGGER envelopes_no_delete BEFORE DELETE ON envelopes"
    " BEGIN SELECT RAISE(ABORT, 'envelopes are append-only'); END;"
    "CREATE TRIGGER chunks_no_update BEFORE UPDATE ON chunks"
    " BEGIN SELECT RAISE(ABORT, 'chunks are append-only'); END;"
    "CREATE TRIGGER chunks_keep_committed BEFORE DELETE ON chunks"
    " WHEN EXISTS (SELECT 1 FROM envelopes WHERE upload = OLD.upload)"
    " BEGIN SELECT RAISE(ABORT, 'committed envelopes are append-only'); END;"
    "CREATE TRIGGER replies_no_update BEFORE UPDATE ON replies"
    " BEGIN SELECT RAISE(ABORT, 'replies are append-only'); END;"
    "CREATE TRIGGER status_no_update BEFORE UPDATE ON status"
    " BEGIN SELECT RAISE(ABORT, 'status changes are append-only'); END;",
    /* 2 -> 3: whom each concern was sealed to (key ids from the public
     * header of its body envelope), so follow-ups go to the same readers.
     * A table of its own, since records refuse updates; concerns from
     * before this step have no row. */
    "CREATE TABLE recipients("
    " seq INTEGER PRIMARY KEY,"
    " keyids BLOB NOT NULL CHECK (length(keyids) BETWEEN 8 AND 128"
    " AND length(keyids) % 8 = 0)) STRICT;"
    "CREATE TRIGGER recipients_no_update BEFORE UPDATE ON recipients"
    " BEGIN SELECT RAISE(ABORT, 'recipients are append-only'); END;"
    "CREATE TRIGGER recipients_no_delete BEFORE DELETE ON recipients"
    " BEGIN SELECT RAISE(ABORT, 'recipients are append-only'); END;",
    /* 3 -> 4: what the reviewers sent back cannot be taken away either
     * (step 2 refused only updates). No statement deletes a reply or a
     * status change: import-replies only inserts (INSERT OR IGNORE, which
     * never deletes), and nothing on the intake purges. */
    "CREATE TRIGGER replies_no_delete BEFORE DELETE ON replies"
    " BEGIN SELECT RAISE(ABORT, 'replies are append-only'); END;"
    "CREATE TRIGGER status_no_delete BEFORE DELETE ON status"
    " BEGIN SELECT RAISE(ABORT, 'status changes are append-only'); END;",
};

int
store_db_exec(struct store_db *s, const char *sql)
{
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int
store_db_version(struct store_db *s)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
store_db_migrate(struct store_db *s, int target)
{
	char setv[64];
	int v;

	if (target > STORE_SCHEMA_VERSION)
		return -1;
	if (store_db_exec(s, "BEGIN IMMEDIATE") != 0)
		return -1;
	if ((v = store_db_version(s)) < 0 || v > STORE_SCHEMA_VERSION)
		goto fail;
	for (; v < target; v++) {
		if (store_db_exec(s, migrations[v]) != 0)
			goto fail;
		if (snprintf(setv, sizeof(setv), "PRAGMA user_version = %d", v + 1) >=
			(int)sizeof(setv) ||
		    store_db_exec(s, setv) != 0)
			goto fail;
	}
	return store_db_exec(s, "COMMIT");
fail:
	(void)store_db_exec(s, "ROLLBACK");
	return -1;
}

static int
harden(sqlite3 *db)
{
	static const char *const pragmas = "PRAGMA trusted_schema = OFF;"
					   "PRAGMA secure_delete = ON;"
					   "PRAGMA cell_size_check = ON;"
					   /* a REPLACE deletes the row it replaces:
					    * with this, the append-only DELETE triggers
					    * refuse it instead of being skipped */
					   "PRAGMA recursive_triggers = ON;"
					   "PRAGMA journal_mode = WAL;"
					   "PRAGMA synchronous = FULL;";
	int on = 1, off = 0, r = 0;

	r |= sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, NULL);
	r |= sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, off, NULL);
	r |= sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, off, NULL);
	r |= sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, on, NULL);
	if (r != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(db, STORE_BUSY_MS);
	return sqlite3_exec(db, pragmas, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int
weak_kdf_allowed(void)
{
	const char *t = getenv(STORE_KDF_TEST_ENV);
	return t != NULL && strcmp(t, "1") == 0;
}

/* The limits a new database gets; -1 for "min" without the test flag. */
static int
kdf_choice(uint64_t *ops, uint64_t *mem)
{
	const char *e = getenv(STORE_KDF_ENV);

	*ops = STORE_KDF_DEFAULT_OPS;
	*mem = STORE_KDF_DEFAULT_MEM;
	if (e != NULL && strcmp(e, "interactive") == 0) {
		*ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		*mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	} else if (e != NULL && strcmp(e, "moderate") == 0) {
		*ops = crypto_pwhash_OPSLIMIT_MODERATE;
		*mem = crypto_pwhash_MEMLIMIT_MODERATE;
	} else if (e != NULL && strcmp(e, "min") == 0) {
		/* tests only: the smallest Argon2id crypto/ accepts for receipts */
		if (!weak_kdf_allowed())
			return -1;
		*ops = STORE_KDF_TEST_OPS;
		*mem = STORE_KDF_TEST_MEM;
	}
	return 0;
}

static int
meta_get(struct store_db *s, const char *k, void *out, size_t len)
{
	sqlite3_stmt *st;
	int rc = -1;

	if (sqlite3_prepare_v2(s->db, "SELECT v FROM meta WHERE k = ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == (int)len) {
		memcpy(out, sqlite3_column_blob(st, 0), len);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

static int
meta_put(struct store_db *s, const char *k, const void *v, size_t len)
{
	sqlite3_stmt *st;
	int rc = -1;

	if (sqlite3_prepare_v2(s->db, "INSERT INTO meta(k, v) VALUES (?, ?)", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, v, (int)len, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_DONE)
		rc = 0;
	sqlite3_finalize(st);
	return rc;
}

const char *
store_kdf_problem(void)
{
	const char *e = getenv(STORE_KDF_ENV);

	if (e != NULL && strcmp(e, "min") == 0 && !weak_kdf_allowed())
		return STORE_KDF_ENV "=min is for tests only (receipts would be cheap to "
				     "derive); set " STORE_KDF_TEST_ENV "=1 only in a test";
	return NULL;
}

/* The install's receipt salt and KDF limits: made once, then only read. */
static int
load_params(struct store_db *s)
{
	uint8_t b[8];

	if (meta_get(s, "rcpt_salt", s->params.salt, CC_RCPT_SALT_BYTES) != 0) {
		uint64_t ops, mem;
		if (s->readonly || kdf_choice(&ops, &mem) != 0)
			return -1;
		randombytes_buf(s->params.salt, CC_RCPT_SALT_BYTES);
		if (store_db_exec(s, "BEGIN IMMEDIATE") != 0)
			return -1;
		sp_put64(b, ops);
		int r = meta_put(s, "rcpt_salt", s->params.salt, CC_RCPT_SALT_BYTES);
		r |= meta_put(s, "rcpt_ops", b, 8);
		sp_put64(b, mem);
		r |= meta_put(s, "rcpt_mem", b, 8);
		if (r != 0 || store_db_exec(s, "COMMIT") != 0) {
			(void)store_db_exec(s, "ROLLBACK");
			return -1;
		}
	}
	if (meta_get(s, "rcpt_salt", s->params.salt, CC_RCPT_SALT_BYTES) != 0 ||
	    meta_get(s, "rcpt_ops", b, 8) != 0)
		return -1;
	s->params.opslimit = sp_get64(b);
	if (meta_get(s, "rcpt_mem", b, 8) != 0)
		return -1;
	s->params.memlimit = sp_get64(b);
	/* a database made with the test limits is not served (or written)
	 * without the flag either: its receipts are cheap to guess at */
	if (!s->readonly && s->params.opslimit == STORE_KDF_TEST_OPS &&
	    s->params.memlimit == STORE_KDF_TEST_MEM && !weak_kdf_allowed())
		return -1;
	return 0;
}

static int
load_head(struct store_db *s)
{
	sqlite3_stmt *st;
	int rc = -1, step;

	cc_chain_genesis(s->head);
	s->count = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT seq, link FROM records ORDER BY seq DESC LIMIT 1", -1,
		&st, NULL) != SQLITE_OK)
		return -1;
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = 0;
	} else if (step == SQLITE_ROW && sqlite3_column_bytes(st, 1) == CC_HASH_BYTES) {
		s->count = (uint64_t)sqlite3_column_int64(st, 0);
		memcpy(s->head, sqlite3_column_blob(st, 1), CC_HASH_BYTES);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

static void
seterr(char *err, size_t errlen, const char *what)
{
	if (err != NULL && errlen > 0)
		(void)snprintf(err, errlen, "%s", what);
}

static int
open_at(const char *path, int create, int readonly, int target, struct store_db **out, char *err,
    size_t errlen)
{
	struct store_db *s;
	struct stat sb;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX;
	char copy[4096];
	int v;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	s->readonly = readonly;
	if (create && !readonly) {
		flags |= SQLITE_OPEN_CREATE;
		umask(077);
	} else if (stat(path, &sb) != 0) {
		seterr(err, errlen, "the database does not exist");
		goto fail;
	}
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		seterr(err, errlen, "cannot open the database");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	if (harden(s->db) != 0) {
		/* another program's lock outlasted the busy timeout */
		_Static_assert(STORE_BUSY_MS == 5000, "the message below says 5 s");
		seterr(err, errlen,
		    (sqlite3_errcode(s->db) & 0xff) == SQLITE_BUSY
			? "the database stayed locked by another program for 5 s"
			: "cannot set up the database (not an intake database, or locked)");
		goto fail;
	}
	v = store_db_version(s);
	if (v < 0 || v > STORE_SCHEMA_VERSION) {
		seterr(err, errlen, "database schema is newer than this program");
		goto fail;
	}
	if (v < target) {
		if (readonly || (v == 0 && !create)) {
			seterr(err, errlen,
			    "not an intake database (or an older one: run serve once)");
			goto fail;
		}
		/* an intake that holds concerns is copied first (not a new one) */
		if (v > 0 && util_db_keep_copy(
				 s->db, STORE_BUSY_MS, path, target, copy, sizeof(copy)) != 0) {
			seterr(err, errlen,
			    errno == EEXIST ? "a copy from an earlier upgrade (DB.pre-vN.bak) is "
					      "in the way: look at it, move it away, start again"
					    : "cannot keep a copy of the database before upgrading "
					      "it; nothing changed");
			if (err == NULL) {
				int e = errno;
				fputs("candour-intake: ", stderr); /* lint-cli: the program's name */
				CLI_PUT(stderr, "cli.in.db.no_copy", path,
				    e == EEXIST ? CLI_T("cli.in.db.copy_exists") : cli_phrase(strerror(e)));
			}
			goto fail;
		}
		if (store_db_migrate(s, target) != 0) {
			seterr(err, errlen, "database migration failed");
			goto fail;
		}
		if (v > 0) {
			fputs("candour-intake: ", stderr); /* lint-cli: the program's name */
			CLI_PUT(stderr, "cli.rv.schema_upgraded", path, CLI_NUM(v), copy, CLI_NUM(target));
		}
	}
	if (load_params(s) != 0 || load_head(s) != 0) {
		seterr(err, errlen, "cannot read the database");
		goto fail;
	}
	*out = s;
	return 0;
fail:
	store_db_close(s);
	return -1;
}

int
store_db_open(
    const char *path, int create, int readonly, struct store_db **out, char *err, size_t errlen)
{
	return open_at(path, create, readonly, STORE_SCHEMA_VERSION, out, err, errlen);
}

int
store_db_open_at(const char *path, int version, struct store_db **out)
{
	return open_at(path, 1, 0, version, out, NULL, 0);
}

void
store_db_close(struct store_db *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < sizeof(s->st) / sizeof(s->st[0]); i++)
		sqlite3_finalize(s->st[i]);
	if (s->db != NULL)
		sqlite3_close(s->db);
	sodium_memzero(s, sizeof(*s));
	free(s);
}
