/*
 * Shared by the review unit tests (header-only: each test is one program).
 * Builds what the intake would: an intake signing key, reviewer key files,
 * concern / message / attachment envelopes and signed export bundles with
 * their hash chain; runs the commands in-process; and fingerprints a
 * casebook's whole content so "nothing changed" can be asserted.
 */
#ifndef TESTS_REVIEW_RVTEST_H
#define TESTS_REVIEW_RVTEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium/crypto_box.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle/bundle.h"
#include "review/review.h"
#include "util/util.h"

#define RVT_PATH 512
#define RVT_MAXREC 16
/* A passphrase keygen accepts (five words): fixtures use strong ones. */
#define RVT_PASS "correct horse battery staple anvil"

struct rvt {
	char dir[RVT_PATH];
	char pass[RVT_PATH], badpass[RVT_PATH];
	char cbpath[RVT_PATH];
	char sec[2][RVT_PATH], pub[2][RVT_PATH]; /* 0 alice, 1 bob */
	struct cc_seckey *who[2];
	char ipub[RVT_PATH]; /* intake public line file */
	uint8_t ipk[CC_SIGN_PK];
	uint8_t *isk;		     /* CC_SIGN_SK, sodium_malloc */
	uint64_t seq;		     /* last seq in bundles made so far */
	uint8_t link[CC_HASH_BYTES]; /* its link */
	int nbundle;
};

/* A record for a bundle: body plaintext (fields) and attachments. */
struct rvt_rec {
	int kind; /* BREC_CONCERN / BREC_FOLLOWUP */
	uint64_t parent_seq;
	int mask; /* 1 alice, 2 bob */
	uint8_t *body;
	size_t bodylen;
	int natt;
	uint8_t *att[4];
	size_t attlen[4];
	struct cc_boxkey *reporter; /* sodium_malloc'd, concern only */
	const char *date;	    /* intake date; NULL: a day in January 2020 */
	int env_kind;		    /* body envelope kind; 0: the right one */
	/* sealed by the first bundle that holds the record and reused by the
	 * next: the same record, byte for byte (an overlapping export) */
	uint8_t *env[5];
	size_t envlen[5];
	uint8_t lookup[64];
	int sealed;
};

static inline void
rvt_path(const struct rvt *t, char *out, const char *name)
{
	/* made aside: out is most often a member of *t, beside t->dir (gcc
	 * at -O1, the ASan build, sees a possible overlap) */
	char p[RVT_PATH];

	assert_true(snprintf(p, sizeof(p), "%s/%s", t->dir, name) < RVT_PATH);
	memcpy(out, p, strlen(p) + 1);
}

static inline void
rvt_write(const char *path, const void *buf, size_t len, int mode)
{
	unlink(path);
	assert_int_equal(util_write_file(path, buf, len, mode, 0), 0);
}

/* alice and bob, made and sealed once per test program: sealing costs an
 * Argon2id run at INTERACTIVE (64 MiB) each, and no test of rvt_new's
 * users tests the key file's KDF (crypto/'s own tests do); every test
 * still gets its own files and its own copy of the secret keys. */
static struct {
	struct cc_seckey *who[2];
	uint8_t *sec[2];
	size_t slen[2];
} rvt_keys;

/* Two reviewers (alice, bob), an intake key, a passphrase file; the
 * casebook path is set but not created. */
static inline struct rvt *
rvt_new(void)
{
	struct rvt *t = calloc(1, sizeof(*t));
	struct cc_kdf kdf;
	char line[CC_PUBLINE_MAX];
	static const char *names[2] = {"alice", "bob"};

	assert_non_null(t);
	assert_int_equal(cc_init(), CC_OK);
	umask(077);
	snprintf(t->dir, sizeof(t->dir), "%s/rvtest-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(t->dir));
	rvt_path(t, t->pass, "pass");
	rvt_path(t, t->badpass, "badpass");
	rvt_write(t->pass, RVT_PASS "\n", strlen(RVT_PASS) + 1, 0600);
	rvt_write(t->badpass, "wrong horse battery staple anvil\n", 33, 0600);
	setenv("CANDOUR_PASSPHRASE_FILE", t->pass, 1);
	unsetenv("CANDOUR_CASEBOOK");
	unsetenv("CANDOUR_KEY");
	rvt_path(t, t->cbpath, "casebook.db");
	/* The test-only key-file KDF (SECURITY.md, "The test KDF"): each CLI
	 * call here opens the key file, hundreds per program, and would spend
	 * minutes in Argon2id INTERACTIVE. test_keygen proves a key file like
	 * this is never made or opened without the variable. */
	setenv("CANDOUR_TEST_WEAK_KDF", "1", 1);
	cc_seckey_test_floor(1);
	cc_kdf_test(&kdf);
	for (int i = 0; i < 2; i++) {
		char n[64];
		if (rvt_keys.who[i] == NULL) {
			assert_int_equal(cc_keypair_generate(names[i], &rvt_keys.who[i]), CC_OK);
			assert_int_equal(cc_seckey_seal(rvt_keys.who[i], RVT_PASS, strlen(RVT_PASS),
					     &kdf, &rvt_keys.sec[i], &rvt_keys.slen[i]),
			    CC_OK);
		}
		/* a fresh allocation holding the same key */
		assert_int_equal(cc_keypair_generate(names[i], &t->who[i]), CC_OK);
		memcpy(t->who[i], rvt_keys.who[i], sizeof(*t->who[i]));
		snprintf(n, sizeof(n), "%s.sec", names[i]);
		rvt_path(t, t->sec[i], n);
		rvt_write(t->sec[i], rvt_keys.sec[i], rvt_keys.slen[i], 0600);
		assert_int_equal(cc_pubkey_format(&t->who[i]->pub, line, sizeof(line)), CC_OK);
		snprintf(n, sizeof(n), "%s.pub", names[i]);
		rvt_path(t, t->pub[i], n);
		rvt_write(t->pub[i], line, strlen(line), 0644);
	}
	t->isk = sodium_malloc(CC_SIGN_SK);
	assert_non_null(t->isk);
	assert_int_equal(cc_signkey_generate(t->ipk, t->isk), CC_OK);
	assert_int_equal(cc_signpub_format(t->ipk, line, sizeof(line)), CC_OK);
	rvt_path(t, t->ipub, "intake.sign.pub");
	rvt_write(t->ipub, line, strlen(line), 0644);
	cc_chain_genesis(t->link);
	return t;
}

static inline int
rvt_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The test's folder is removed in-process, deepest first (was `rm -rf`
 * by system(): a shell and an rm for each of the review tests' ~130
 * fixtures, plain and under ASan). */
static inline void
rvt_free(struct rvt *t)
{
	if (t == NULL)
		return;
	for (int i = 0; i < 2; i++)
		cc_seckey_free(t->who[i]);
	sodium_free(t->isk);
	assert_int_equal(nftw(t->dir, rvt_rm, 16, FTW_DEPTH | FTW_PHYS), 0);
	free(t);
}

/* Runs a command in-process: fn(argv) with --casebook and --key of
 * reviewer `who` (-1: neither) added after the given arguments. Output
 * goes to a file so tests stay quiet; returns the exit code. */
static inline int
rvt_run(struct rvt *t, int who, int (*fn)(int, char **), ...)
{
	char *argv[32];
	int argc = 0, rc, saved_out, saved_err, devnull;
	va_list ap;
	const char *a;

	va_start(ap, fn);
	while ((a = va_arg(ap, const char *)) != NULL && argc < 26)
		argv[argc++] = (char *)a;
	va_end(ap);
	if (who >= 0) {
		argv[argc++] = "--casebook";
		argv[argc++] = t->cbpath;
		argv[argc++] = "--key";
		argv[argc++] = t->sec[who];
	}
	argv[argc] = NULL;
	fflush(NULL);
	saved_out = dup(1);
	saved_err = dup(2);
	devnull = open(getenv("RVT_VERBOSE") ? "/dev/tty" : "/dev/null", O_WRONLY);
	if (devnull >= 0) {
		dup2(devnull, 1);
		dup2(devnull, 2);
		close(devnull);
	}
	if (!getenv("RVT_VERBOSE")) { /* stderr kept for rvt_last_err */
		char ep[RVT_PATH];
		rvt_path(t, ep, "stderr.out");
		if ((devnull = open(ep, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0) {
			dup2(devnull, 2);
			close(devnull);
		}
	}
	rc = fn(argc, argv);
	fflush(NULL);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	return rc;
}

/* What the last rvt_run printed on stderr (malloc'd, NUL-terminated). */
static __attribute__((unused)) char *
rvt_last_err(struct rvt *t)
{
	char path[RVT_PATH];
	uint8_t *buf = NULL;
	size_t len = 0;

	rvt_path(t, path, "stderr.out");
	assert_int_equal(util_read_file(path, UTIL_FILE_MAX, &buf, &len), 0);
	return (char *)buf;
}

/* Asserts the last rvt_run's stderr holds text. */
#define RVT_ERR_HAS(t, text)                                                                       \
	do {                                                                                       \
		char *e_ = rvt_last_err(t);                                                        \
		if (strstr(e_, (text)) == NULL)                                                    \
			fail_msg("stderr lacks \"%s\": %s", (text), e_);                           \
		free(e_);                                                                          \
	} while (0)

/* Asserts the last rvt_run's stderr is one line ending with text (an
 * import refusal ends with what the reviewer should do). */
#define RVT_ERR_ENDS(t, text)                                                                      \
	do {                                                                                       \
		char *e_ = rvt_last_err(t);                                                        \
		size_t n_ = strlen(e_), k_ = strlen(text);                                         \
		if (n_ < k_ + 1 || strchr(e_, '\n') != e_ + n_ - 1 ||                              \
		    strncmp(e_ + n_ - 1 - k_, (text), k_) != 0)                                    \
			fail_msg("stderr is not one line ending \"%s\": %s", (text), e_);          \
		free(e_);                                                                          \
	} while (0)

/* Like rvt_run but captures stdout into a malloc'd string. (noinline:
 * GCC 12 otherwise warns of a dangling pointer into its locals.) */
static __attribute__((noinline, unused)) char *
rvt_capture(struct rvt *t, int who, int *rc, int (*fn)(int, char **), const char *a1,
    const char *a2, const char *a3)
{
	char path[RVT_PATH];
	char *argv[16];
	int argc = 0, saved, fd;
	uint8_t *buf = NULL;
	size_t len = 0;

	rvt_path(t, path, "capture.out");
	unlink(path);
	argv[argc++] = (char *)a1;
	if (a2 != NULL)
		argv[argc++] = (char *)a2;
	if (a3 != NULL)
		argv[argc++] = (char *)a3;
	argv[argc++] = "--casebook";
	argv[argc++] = t->cbpath;
	argv[argc++] = "--key";
	argv[argc++] = t->sec[who];
	argv[argc] = NULL;
	fflush(NULL);
	saved = dup(1);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	dup2(fd, 1);
	close(fd);
	*rc = fn(argc, argv);
	fflush(NULL);
	dup2(saved, 1);
	close(saved);
	assert_int_equal(util_read_file(path, UTIL_FILE_MAX, &buf, &len), 0);
	return (char *)buf;
}

static inline void
rvt_init(struct rvt *t)
{
	assert_int_equal(rvt_run(t, 0, cmd_init, "init", "--intake-key", t->ipub, NULL), 0);
}

/* cmocka set-up and tear-down of a test on a fresh casebook of alice's
 * (rvt_init): *state is the struct rvt. */
static __attribute__((unused)) int
rvt_setup(void **state)
{
	struct rvt *t = rvt_new();
	rvt_init(t);
	*state = t;
	return 0;
}

static __attribute__((unused)) int
rvt_teardown(void **state)
{
	rvt_free(*state);
	return 0;
}

/* ---- plaintexts and envelopes ------------------------------------------ */

static inline void
rvt_fields(const char *magic, const char *const *kv, size_t n, const uint8_t *payload, size_t plen,
    uint8_t **out, size_t *outlen)
{
	struct field f[FIELDS_MAX];
	uint8_t *h = NULL;
	size_t hl = 0;

	memset(f, 0, sizeof(f));
	for (size_t i = 0; i < n; i++) {
		snprintf(f[i].name, sizeof(f[i].name), "%s", kv[2 * i]);
		f[i].val = (const uint8_t *)kv[2 * i + 1];
		f[i].len = strlen(kv[2 * i + 1]);
	}
	assert_int_equal(fields_encode(magic, f, n, &h, &hl), 0);
	*out = malloc(hl + plen + 1);
	assert_non_null(*out);
	memcpy(*out, h, hl);
	if (plen > 0)
		memcpy(*out + hl, payload, plen);
	*outlen = hl + plen;
	free(h);
}

/* A concern with the given free text and references. */
static inline void
rvt_concern(struct rvt_rec *r, int mask, const char *category, const char *what, const char *ref1,
    const char *ref2)
{
	const char *kv[20];
	size_t n = 0;

	memset(r, 0, sizeof(*r));
	r->kind = BREC_CONCERN;
	r->mask = mask;
	kv[2 * n] = "category", kv[2 * n + 1] = category, n++;
	kv[2 * n] = "team", kv[2 * n + 1] = "North duty team", n++;
	kv[2 * n] = "what", kv[2 * n + 1] = what, n++;
	kv[2 * n] = "when", kv[2 * n + 1] = "2026-09", n++;
	if (ref1 != NULL)
		kv[2 * n] = "ref", kv[2 * n + 1] = ref1, n++;
	if (ref2 != NULL)
		kv[2 * n] = "ref", kv[2 * n + 1] = ref2, n++;
	kv[2 * n] = "risk", kv[2 * n + 1] = "no", n++;
	kv[2 * n] = "raised_before", kv[2 * n + 1] = "yes", n++;
	kv[2 * n] = "raised_with", kv[2 * n + 1] = "my team manager", n++;
	rvt_fields(FIELDS_CONCERN, kv, n, NULL, 0, &r->body, &r->bodylen);
	r->reporter = sodium_malloc(sizeof(struct cc_boxkey));
	assert_non_null(r->reporter);
	crypto_box_keypair(r->reporter->pk, r->reporter->sk);
	cc_keyid(r->reporter->pk, r->reporter->keyid);
}

static inline void
rvt_message(struct rvt_rec *r, int mask, uint64_t parent, const char *text)
{
	const char *kv[2] = {"text", text};

	memset(r, 0, sizeof(*r));
	r->kind = BREC_FOLLOWUP;
	r->mask = mask;
	r->parent_seq = parent;
	rvt_fields(FIELDS_MESSAGE, kv, 1, NULL, 0, &r->body, &r->bodylen);
}

static inline void
rvt_attach(struct rvt_rec *r, const char *name, const char *type, const uint8_t *data, size_t len)
{
	const char *kv[4] = {"name", name, "type", type};

	assert_true(r->natt < 4);
	rvt_fields(FIELDS_ATTACHMENT, kv, 2, data, len, &r->att[r->natt], &r->attlen[r->natt]);
	r->natt++;
}

static inline void
rvt_rec_free(struct rvt_rec *r)
{
	for (int i = 0; i < 5; i++)
		free(r->env[i]);
	free(r->body);
	for (int i = 0; i < r->natt; i++)
		free(r->att[i]);
	if (r->reporter != NULL)
		sodium_free(r->reporter);
	memset(r, 0, sizeof(*r));
}

static inline void
rvt_seal(
    struct rvt *t, int mask, int kind, const uint8_t *pt, size_t len, uint8_t **env, size_t *envlen)
{
	struct cc_recipient r[2];
	size_t n = 0;

	for (int i = 0; i < 2; i++)
		if (mask & (1 << i))
			cc_recipient_of(&t->who[i]->pub, &r[n++]);
	assert_int_equal(cc_env_seal(kind, r, n, pt, len, env, envlen), CC_OK);
}

/* Writes an export bundle of n records starting at from with prev link
 * prev, signed by sk/pk (the test intake when NULL). When advance, the
 * test's chain state moves to its head. */
static inline void
rvt_bundle_ex(struct rvt *t, const char *path, uint64_t from, const uint8_t *prev,
    struct rvt_rec *recs, size_t n, const uint8_t *sk, const uint8_t *pk, int advance)
{
	struct bundle_w *w = NULL;
	uint8_t link[CC_HASH_BYTES], h[CC_HASH_BYTES];

	unlink(path);
	memcpy(link, prev, CC_HASH_BYTES);
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, from, prev, NULL, &w), 0);
	for (size_t i = 0; i < n; i++) {
		struct brec b;
		uint8_t *env[5];
		size_t envlen[5];
		int nenv = 1 + recs[i].natt;

		memset(&b, 0, sizeof(b));
		b.seq = from + i;
		b.kind = (uint8_t)recs[i].kind;
		if (recs[i].date != NULL)
			snprintf(b.date, sizeof(b.date), "%s", recs[i].date);
		else /* long past: always overdue */
			snprintf(b.date, sizeof(b.date), "2020-01-0%zu", 1 + i % 9);
		b.parent_seq = recs[i].parent_seq;
		if (!recs[i].sealed) {
			rvt_seal(t, recs[i].mask,
			    recs[i].env_kind		   ? recs[i].env_kind
			    : recs[i].kind == BREC_CONCERN ? CC_KIND_CONCERN
							   : CC_KIND_MESSAGE,
			    recs[i].body, recs[i].bodylen, &recs[i].env[0], &recs[i].envlen[0]);
			for (int a = 0; a < recs[i].natt; a++)
				rvt_seal(t, recs[i].mask, CC_KIND_ATTACHMENT, recs[i].att[a],
				    recs[i].attlen[a], &recs[i].env[1 + a], &recs[i].envlen[1 + a]);
			randombytes_buf(recs[i].lookup, sizeof(recs[i].lookup));
			recs[i].sealed = 1;
		}
		for (int e = 0; e < nenv; e++) {
			env[e] = recs[i].env[e];
			envlen[e] = recs[i].envlen[e];
		}
		if (recs[i].kind == BREC_CONCERN) {
			b.rcpt_ops = 2;
			b.rcpt_mem = 67108864;
			memcpy(b.reporter_pk, recs[i].reporter->pk, CC_BOX_PK);
			assert_true(sizeof(b.lookup) <= sizeof(recs[i].lookup));
			memcpy(b.lookup, recs[i].lookup, sizeof(b.lookup));
		}
		b.nenv = (uint16_t)nenv;
		for (int e = 0; e < nenv; e++) {
			cc_hash(env[e], envlen[e], b.env[e].hash);
			b.env[e].len = envlen[e];
		}
		assert_int_equal(brec_hash(&b, h), 0);
		cc_chain_next(link, b.seq, h, link);
		assert_int_equal(bundle_w_record(w, &b, link), 0);
		for (int e = 0; e < nenv; e++) {
			assert_int_equal(bundle_w_env_begin(w, b.seq, (uint32_t)e, envlen[e]), 0);
			assert_int_equal(bundle_w_env_write(w, env[e], envlen[e]), 0);
			assert_int_equal(bundle_w_env_end(w), 0);
		}
	}
	assert_int_equal(bundle_w_commit(w, sk ? sk : t->isk, pk ? pk : t->ipk), 0);
	if (advance) {
		t->seq = from + n - 1;
		memcpy(t->link, link, CC_HASH_BYTES);
	}
}

/* The next bundle of the chain, signed by the test intake. */
static inline void
rvt_bundle(struct rvt *t, const char *path, struct rvt_rec *recs, size_t n)
{
	rvt_bundle_ex(t, path, t->seq + 1, t->link, recs, n, NULL, NULL, 1);
}

/* ---- "nothing changed" ----------------------------------------------- */

/* BLAKE2b over every table's rows (in rowid order) and the schema version. */
static inline void
rvt_dump_hash(const char *cbpath, uint8_t out[CC_HASH_BYTES])
{
	sqlite3 *db = NULL;
	sqlite3_stmt *tabs = NULL, *st = NULL;
	struct cc_hasher h;
	char sql[256];

	assert_int_equal(sqlite3_open_v2(cbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cc_hasher_init(&h);
	assert_int_equal(sqlite3_prepare_v2(db,
			     "SELECT name FROM sqlite_master WHERE type='table'"
			     " ORDER BY name",
			     -1, &tabs, NULL),
	    SQLITE_OK);
	while (sqlite3_step(tabs) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tabs, 0);
		cc_hasher_update(&h, (const uint8_t *)name, strlen(name) + 1);
		snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", name);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW)
			for (int c = 0; c < sqlite3_column_count(st); c++) {
				uint8_t ty = (uint8_t)sqlite3_column_type(st, c);
				cc_hasher_update(&h, &ty, 1);
				const void *p = sqlite3_column_blob(st, c);
				size_t l = (size_t)sqlite3_column_bytes(st, c);
				if (p != NULL)
					cc_hasher_update(&h, p, l);
			}
		sqlite3_finalize(st);
	}
	sqlite3_finalize(tabs);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	uint8_t v = (uint8_t)sqlite3_column_int(st, 0);
	cc_hasher_update(&h, &v, 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
	cc_hasher_final(&h, out);
}

/* Asserts a command fails (non-zero) and leaves the casebook as it was. */
#define RVT_REFUSED(t, call)                                                                       \
	do {                                                                                       \
		uint8_t before_[CC_HASH_BYTES], after_[CC_HASH_BYTES];                             \
		rvt_dump_hash((t)->cbpath, before_);                                               \
		assert_int_not_equal((call), 0);                                                   \
		rvt_dump_hash((t)->cbpath, after_);                                                \
		assert_memory_equal(before_, after_, CC_HASH_BYTES);                               \
	} while (0)

/* Count of rows for a query returning one integer. */
static inline long long
rvt_count(const char *cbpath, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long n;

	assert_int_equal(sqlite3_open_v2(cbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* First concern id in the casebook with the given seq. */
static inline void
rvt_id_of(struct rvt *t, uint64_t seq, char id[CB_ID_CHARS + 1])
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	assert_int_equal(sqlite3_open_v2(t->cbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "SELECT id FROM concerns WHERE seq=?", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, (int64_t)seq);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(id, CB_ID_CHARS + 1, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

#endif
