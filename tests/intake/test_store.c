/* Tests for the store process and intake.db: append, fetch, params,
 * stats, malformed messages, storage failures, migrations, restarts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>

#include "tests/intake/store_helpers.h"
#include "util/util.h"
#include "tests/test_seed.h"

static char dir[] = "/tmp/candour-test-store.XXXXXX";
static int dbn;

static void
newdb(char *buf, size_t len)
{
	assert_true(snprintf(buf, len, "%s/intake-%d.db", dir, ++dbn) < (int)len);
}

/* Sends a raw datagram (header fields as given) and returns the reply's
 * type; *why gets a FAIL reason, rbody/rlen the OK body. */
static int
raw(int fd, const uint8_t *msg, size_t len, uint32_t *why, uint8_t *rbody, size_t *rlen)
{
	uint8_t in[STORE_HDR_BYTES + STORE_MSG_MAX];
	ssize_t n;

	assert_int_equal(send(fd, msg, len, 0), (ssize_t)len);
	n = recv(fd, in, sizeof(in), 0);
	assert_true(n >= STORE_HDR_BYTES);
	assert_int_equal((size_t)n, STORE_HDR_BYTES + sp_get32(in + 4));
	*why = 0;
	if (in[0] == STORE_FAIL) {
		assert_int_equal(n, STORE_HDR_BYTES + 4);
		*why = sp_get32(in + STORE_HDR_BYTES);
	}
	if (rbody != NULL && in[0] == STORE_OK) {
		memcpy(rbody, in + STORE_HDR_BYTES, (size_t)n - STORE_HDR_BYTES);
		*rlen = (size_t)n - STORE_HDR_BYTES;
	}
	return in[0];
}

/* A well-framed message of type with body. */
static uint32_t
framed(int fd, int type, const uint8_t *body, size_t len)
{
	uint8_t *m = malloc(STORE_HDR_BYTES + len + 1);
	uint32_t why;

	m[0] = (uint8_t)type, m[1] = m[2] = m[3] = 0;
	sp_put32(m + 4, (uint32_t)len);
	if (len > 0)
		memcpy(m + STORE_HDR_BYTES, body, len);
	int t = raw(fd, m, STORE_HDR_BYTES + len, &why, NULL, NULL);
	free(m);
	return t == STORE_OK ? 0 : why;
}

/* PRAGMA user_version of the file at path, read-only. */
static int
db_version_of(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void
count_rows(const char *path, const char *table, int want)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char q[128];

	snprintf(q, sizeof(q), "SELECT count(*) FROM %s", table);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	if (sqlite3_column_int(st, 0) != want)
		fail_msg("%s has %d rows, want %d", table, sqlite3_column_int(st, 0), want);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void
test_append_fetch_stats(void **state)
{
	char path[256];
	struct tstore t;
	struct cc_rcpt_params p;
	struct store_commit sc;
	struct store_view v;
	uint8_t body[1000], att[200000], link[CC_HASH_BYTES], head[CC_HASH_BYTES];
	uint8_t g[CC_HASH_BYTES], want[CC_HASH_BYTES], h[CC_HASH_BYTES];
	uint64_t seq, count;
	(void)state;

	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	assert_int_equal(storec_params(t.c, &p), 0);
	assert_int_equal(p.opslimit, STORE_KDF_TEST_OPS);
	assert_int_equal(p.memlimit, STORE_KDF_TEST_MEM);
	assert_int_equal(storec_stats(t.c, &count, head), 0);
	assert_int_equal(count, 0);
	cc_chain_genesis(g);
	assert_memory_equal(head, g, CC_HASH_BYTES);

	randombytes_buf(body, sizeof(body));
	randombytes_buf(att, sizeof(att));
	tstore_concern_commit(&sc, &p, 7);
	sc.nhandles = 2;
	sc.handles[0] = tstore_body(&t, body, sizeof(body));
	sc.handles[1] = tstore_upload(&t, att, sizeof(att));
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), 0);
	assert_int_equal(seq, 1);
	/* the link is the chain over the canonical record */
	struct brec r;
	memset(&r, 0, sizeof(r));
	r.kind = BREC_CONCERN;
	assert_int_equal(util_today(r.date), 0);
	r.rcpt_ops = p.opslimit, r.rcpt_mem = p.memlimit;
	memcpy(r.reporter_pk, sc.reporter_pk, CC_BOX_PK);
	memcpy(r.lookup, sc.lookup, CC_HASH_BYTES);
	r.nenv = 2;
	r.env[0].len = sizeof(body);
	cc_hash(body, sizeof(body), r.env[0].hash);
	r.env[1].len = sizeof(att);
	cc_hash(att, sizeof(att), r.env[1].hash);
	assert_int_equal(brec_hash(&r, h), 0);
	cc_chain_next(g, 1, h, want);
	assert_memory_equal(link, want, CC_HASH_BYTES);

	assert_int_equal(storec_fetch(t.c, sc.lookup, &v), 0);
	assert_int_equal(v.seq, 1);
	assert_string_equal(v.date, r.date);
	assert_int_equal(v.state, BSTATE_RECEIVED);
	assert_int_equal(v.nreplies, 0);
	assert_int_equal(v.nmessages, 0);
	assert_int_equal(v.nrecipients, 1);
	assert_memory_equal(v.recipients[0], tstore_kid[0], CC_KEYID_BYTES);

	/* a follow-up to it */
	struct store_commit fu;
	memset(&fu, 0, sizeof(fu));
	fu.parent_lookup = sc.lookup;
	fu.nhandles = 1;
	fu.handles[0] = tstore_env(&t, body, 200, CC_KIND_MESSAGE, tstore_kid, 1);
	assert_int_equal(storec_commit(t.c, &fu, &seq, link), 0);
	assert_int_equal(seq, 2);
	assert_int_equal(storec_fetch(t.c, sc.lookup, &v), 0);
	assert_int_equal(v.nmessages, 1);
	assert_int_equal(storec_stats(t.c, &count, head), 0);
	assert_int_equal(count, 2);
	assert_memory_equal(head, link, CC_HASH_BYTES);

	/* unknown lookups */
	uint8_t nope[CC_HASH_BYTES];
	memset(nope, 0x55, sizeof(nope));
	assert_int_equal(storec_fetch(t.c, nope, &v), STORE_FAIL_NOTFOUND);
	fu.parent_lookup = nope;
	fu.handles[0] = tstore_upload(&t, body, 10);
	assert_int_equal(storec_commit(t.c, &fu, &seq, link), STORE_FAIL_NOTFOUND);
	/* the same lookup twice is refused */
	sc.nhandles = 1;
	sc.handles[0] = tstore_body(&t, body, 200);
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), STORE_FAIL_BADMSG);
	/* receipt parameters other than the install's are refused */
	tstore_concern_commit(&sc, &p, 9);
	sc.rcpt_ops = p.opslimit + 1;
	sc.nhandles = 1;
	sc.handles[0] = tstore_body(&t, body, 200);
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), STORE_FAIL_BADMSG);
	uint8_t *env;
	size_t elen;
	assert_int_equal(storec_fetch_reply(t.c, 1, 0, &env, &elen), STORE_FAIL_NOTFOUND);
	tstore_stop(&t);
	/* uploads never committed are gone; the committed ones stay */
	count_rows(path, "records", 2);
	count_rows(path, "envelopes", 3);
	count_rows(path, "chunks", 1 + 4 + 1);

	/* a restart keeps count and head, and new handles do not collide */
	tstore_start(&t, path, 0, 0);
	assert_int_equal(storec_stats(t.c, &count, h), 0);
	assert_int_equal(count, 2);
	assert_memory_equal(h, head, CC_HASH_BYTES);
	tstore_concern_commit(&sc, &p, 11);
	sc.nhandles = 1;
	sc.handles[0] = tstore_body(&t, body, 200);
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), 0);
	assert_int_equal(seq, 3);
	tstore_stop(&t);
}

static void
test_malformed(void **state)
{
	char path[256];
	struct tstore t;
	struct cc_rcpt_params p;
	uint8_t m[STORE_HDR_BYTES + STORE_MSG_MAX + 64], body[64];
	uint64_t count, h1, h2, seq;
	uint8_t head[CC_HASH_BYTES], link[CC_HASH_BYTES];
	uint32_t why;
	(void)state;

	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	assert_int_equal(storec_params(t.c, &p), 0);
	memset(m, 0, sizeof(m));
	memset(body, 1, sizeof(body));

	/* short datagrams */
	for (size_t n = 1; n < STORE_HDR_BYTES; n++) {
		m[0] = STORE_STATS;
		assert_int_equal(raw(t.fd, m, n, &why, NULL, NULL), STORE_FAIL);
		assert_int_equal(why, STORE_FAIL_BADMSG);
	}
	/* stated length differs from the datagram, both ways */
	m[0] = STORE_STATS;
	sp_put32(m + 4, 4);
	assert_int_equal(raw(t.fd, m, STORE_HDR_BYTES, &why, NULL, NULL), STORE_FAIL);
	sp_put32(m + 4, 0);
	assert_int_equal(raw(t.fd, m, STORE_HDR_BYTES + 4, &why, NULL, NULL), STORE_FAIL);
	assert_int_equal(why, STORE_FAIL_BADMSG);
	/* longer than any message (truncated by the store) and a huge length */
	m[0] = STORE_UPLOAD_DATA;
	sp_put32(m + 4, STORE_MSG_MAX + 64);
	assert_int_equal(raw(t.fd, m, sizeof(m), &why, NULL, NULL), STORE_FAIL);
	assert_int_equal(why, STORE_FAIL_BADMSG);
	sp_put32(m + 4, 0xffffffffu);
	assert_int_equal(raw(t.fd, m, STORE_HDR_BYTES, &why, NULL, NULL), STORE_FAIL);
	/* reserved bytes */
	for (int i = 1; i < 4; i++) {
		memset(m, 0, STORE_HDR_BYTES);
		m[0] = STORE_STATS;
		m[i] = 1;
		assert_int_equal(raw(t.fd, m, STORE_HDR_BYTES, &why, NULL, NULL), STORE_FAIL);
		assert_int_equal(why, STORE_FAIL_BADMSG);
	}
	/* unknown and reply-only types */
	assert_int_equal(framed(t.fd, 0, NULL, 0), STORE_FAIL_BADMSG);
	assert_int_equal(framed(t.fd, 99, NULL, 0), STORE_FAIL_BADMSG);
	assert_int_equal(framed(t.fd, STORE_OK, NULL, 0), STORE_FAIL_BADMSG);
	assert_int_equal(framed(t.fd, STORE_FAIL, body, 4), STORE_FAIL_BADMSG);
	/* bodies where none belong, wrong fixed lengths */
	assert_int_equal(framed(t.fd, STORE_UPLOAD_BEGIN, body, 1), STORE_FAIL_BADMSG);
	assert_int_equal(framed(t.fd, STORE_STATS, body, 1), STORE_FAIL_BADMSG);
	assert_int_equal(framed(t.fd, STORE_PARAMS, body, 8), STORE_FAIL_BADMSG);
	assert_int_equal(framed(t.fd, STORE_FETCH, body, 31), STORE_FAIL_BADMSG);
	assert_int_equal(framed(t.fd, STORE_FETCH, body, 33), STORE_FAIL_BADMSG);
	assert_int_equal(framed(t.fd, STORE_FETCH_REPLY, body, 11), STORE_FAIL_BADMSG);
	assert_int_equal(framed(t.fd, STORE_UPLOAD_END, body, 7), STORE_FAIL_BADMSG);
	assert_int_equal(framed(t.fd, STORE_UPLOAD_DROP, body, 9), STORE_FAIL_BADMSG);
	/* unknown handles */
	/* written (valgrind: the bytes after the handle went out uninitialised;
	 * a store child forked later inherited that error count and exited 99) */
	uint8_t hb[8 + THDR_LEN(1)] = {0};
	sp_put64(hb, 424242);
	assert_int_equal(framed(t.fd, STORE_UPLOAD_DATA, hb, 8 + 16), STORE_FAIL_BADMSG);
	assert_int_equal(framed(t.fd, STORE_UPLOAD_END, hb, 8), STORE_FAIL_BADMSG);
	assert_int_equal(framed(t.fd, STORE_UPLOAD_DROP, hb, 8), STORE_FAIL_BADMSG);
	sp_put64(hb, 0);
	assert_int_equal(framed(t.fd, STORE_UPLOAD_DATA, hb, 8 + 16), STORE_FAIL_BADMSG);
	/* data with no bytes, data after end, end twice */
	assert_int_equal(storec_upload_begin(t.c, &h1), 0);
	sp_put64(hb, h1);
	assert_int_equal(framed(t.fd, STORE_UPLOAD_DATA, hb, 8), STORE_FAIL_BADMSG);
	tstore_hdr(hb + 8, THDR_LEN(1), CC_KIND_CONCERN, tstore_kid, 1);
	assert_int_equal(framed(t.fd, STORE_UPLOAD_DATA, hb, sizeof(hb)), 0);
	assert_int_equal(framed(t.fd, STORE_UPLOAD_END, hb, 8), 0);
	assert_int_equal(framed(t.fd, STORE_UPLOAD_DATA, hb, 8 + 16), STORE_FAIL_BADMSG);
	assert_int_equal(framed(t.fd, STORE_UPLOAD_END, hb, 8), STORE_FAIL_BADMSG);
	assert_int_equal(storec_upload_begin(t.c, &h2), 0); /* left open */

	/* commits: a valid base, then each field broken */
	uint8_t c[SP_COMMIT_FIXED + 8 * (BUNDLE_MAX_ENV + 1)];
	struct store_commit sc;
	tstore_concern_commit(&sc, &p, 3);
	sc.nhandles = 1;
	sc.handles[0] = h1;
	size_t n = sp_commit_encode(&sc, c, sizeof(c));
	assert_int_equal(n, SP_COMMIT_FIXED + 8);
	uint8_t bad[sizeof(c)];
#define BROKEN(mutate, len)                                                                        \
	do {                                                                                       \
		memcpy(bad, c, n);                                                                 \
		mutate;                                                                            \
		assert_int_equal(framed(t.fd, STORE_COMMIT, bad, len), STORE_FAIL_BADMSG);         \
	} while (0)
	BROKEN((void)0, n - 1);
	BROKEN(bad[n] = 0, n + 1);
	BROKEN(bad[0] = 3, n);				 /* kind */
	BROKEN(bad[1] = 1, n);				 /* parent on a concern */
	BROKEN(memset(bad + 65, 0, 32), n);		 /* zero lookup */
	BROKEN(memset(bad + 33, 0, 32), n);		 /* zero reporter key */
	BROKEN(sp_put32(bad + 113, 0), SP_COMMIT_FIXED); /* no handles */
	BROKEN(sp_put32(bad + 113, 0xffffffffu), n);	 /* huge count */
	BROKEN(sp_put32(bad + 113, 2), n);		 /* count > handles */
	BROKEN(sp_put32(bad + 113, BUNDLE_MAX_ENV + 1); memset(bad + n, 0, 8 * BUNDLE_MAX_ENV),
	       SP_COMMIT_FIXED + 8 * (BUNDLE_MAX_ENV + 1));	      /* over the limit */
	BROKEN(sp_put64(bad + SP_COMMIT_FIXED, 424242), n);	      /* unknown handle */
	BROKEN(sp_put64(bad + SP_COMMIT_FIXED, h2), n);		      /* handle not ended */
	BROKEN(sp_put64(bad + SP_COMMIT_FIXED, 0), n);		      /* handle 0 */
	BROKEN(sp_put32(bad + 113, 2); sp_put64(bad + n, h1), n + 8); /* same handle twice */
	BROKEN(bad[0] = BREC_FOLLOWUP, n);			      /* follow-up with a key */
	BROKEN(sp_put64(bad + 97, p.opslimit + 1), n);		      /* other KDF limits */
	/* nothing was stored, and the store still serves */
	assert_int_equal(storec_stats(t.c, &count, head), 0);
	assert_int_equal(count, 0);
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), 0);
	assert_int_equal(seq, 1);
	/* a used handle cannot be committed again or dropped */
	assert_int_equal(framed(t.fd, STORE_COMMIT, c, n), STORE_FAIL_BADMSG);
	sp_put64(hb, h1);
	assert_int_equal(framed(t.fd, STORE_UPLOAD_DROP, hb, 8), STORE_FAIL_BADMSG);
	assert_int_equal(storec_upload_drop(t.c, h2), 0);
	assert_int_equal(storec_upload_drop(t.c, h2), STORE_FAIL_BADMSG);
	tstore_stop(&t);
	count_rows(path, "records", 1);
	count_rows(path, "chunks", 1);
}

/* Random datagrams of every type and length: each gets exactly one reply,
 * none stores a record, and the store then still commits a real one. */
static void
test_random_datagrams(void **state)
{
	char path[256];
	struct tstore t;
	struct cc_rcpt_params p;
	struct store_commit sc;
	uint8_t *m = malloc(STORE_HDR_BYTES + STORE_MSG_MAX + 16), body[200] = {3};
	uint8_t link[CC_HASH_BYTES], head[CC_HASH_BYTES];
	uint64_t count, seq;
	uint32_t why;
	(void)state;

	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	for (int i = 0; i < 3000; i++) {
		size_t n = i % 10 == 0
			       ? randombytes_uniform(STORE_HDR_BYTES + STORE_MSG_MAX + 16) + 1
			       : randombytes_uniform(200) + 1;
		randombytes_buf(m, n);
		if (n >= STORE_HDR_BYTES) {
			m[0] = (uint8_t)randombytes_uniform(12);
			if (i % 2 == 0) { /* a consistent frame with a random body */
				m[1] = m[2] = m[3] = 0;
				sp_put32(m + 4, (uint32_t)(n - STORE_HDR_BYTES));
			}
		}
		int type = raw(t.fd, m, n, &why, NULL, NULL);
		assert_true(type == STORE_OK || type == STORE_FAIL);
		if (type == STORE_FAIL)
			assert_true(why >= STORE_FAIL_BADMSG && why <= STORE_FAIL_LIMIT);
	}
	assert_int_equal(storec_stats(t.c, &count, head), 0);
	assert_int_equal(count, 0);
	assert_int_equal(storec_params(t.c, &p), 0);
	tstore_concern_commit(&sc, &p, 5);
	sc.nhandles = 1;
	sc.handles[0] = tstore_body(&t, body, sizeof(body));
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), 0);
	assert_int_equal(seq, 1);
	tstore_stop(&t);
	count_rows(path, "records", 1);
	free(m);
}

static void
test_upload_limit(void **state)
{
	char path[256];
	struct tstore t;
	uint64_t h, first = 0;
	int rc = 0;
	(void)state;

	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	for (int i = 0; i <= STORE_MAX_UPLOADS && rc == 0; i++)
		rc = storec_upload_begin(t.c, i == 0 ? &first : &h);
	assert_int_equal(rc, STORE_FAIL_LIMIT);
	/* the first slot, given back, is taken again (the store's search for
	 * a free slot starts past the slots it knows are taken), then none */
	assert_int_equal(storec_upload_drop(t.c, first), 0);
	assert_int_equal(storec_upload_begin(t.c, &h), 0);
	assert_int_equal(storec_upload_begin(t.c, &h), STORE_FAIL_LIMIT);
	tstore_stop(&t);
}

/* The store's upload table and the http process's admission agree: with
 * every other connection the http process may hold stalled, each with a
 * whole request's uploads open (files begun, never ended), the last
 * connection's concern with the most attachments still commits. With the
 * old 1,024-slot table, 32 stalled connections were enough to fail it. */
static void
test_upload_table_agrees_with_connections(void **state)
{
	char path[256];
	struct tstore t;
	struct cc_rcpt_params p;
	struct store_commit sc;
	uint8_t body[512], att[512], link[CC_HASH_BYTES];
	uint64_t h, seq;
	(void)state;

	assert_true(STORE_MAX_UPLOADS >= INTAKE_MAX_CONNECTIONS * INTAKE_UPLOADS_PER_REQUEST);
	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	for (int i = 0; i < (INTAKE_MAX_CONNECTIONS - 1) * INTAKE_UPLOADS_PER_REQUEST; i++)
		assert_int_equal(storec_upload_begin(t.c, &h), 0);
	assert_int_equal(storec_params(t.c, &p), 0);
	tstore_concern_commit(&sc, &p, 7);
	memset(body, 1, sizeof(body));
	sc.handles[0] = tstore_body(&t, body, sizeof(body));
	for (int i = 0; i < INTAKE_MAX_ATTACHMENTS; i++) {
		memset(att, i, sizeof(att));
		sc.handles[1 + i] =
		    tstore_env(&t, att, sizeof(att), CC_KIND_ATTACHMENT, tstore_kid, 1);
	}
	sc.nhandles = INTAKE_UPLOADS_PER_REQUEST;
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), 0);
	assert_int_equal(seq, 1);
	tstore_stop(&t);
}

static void
test_disk_full(void **state)
{
	char path[256];
	struct tstore t;
	struct cc_rcpt_params p;
	struct store_commit sc;
	uint8_t *big = malloc(1 << 20), link[CC_HASH_BYTES], head[CC_HASH_BYTES];
	uint64_t h, seq, count;
	int rc = 0;
	(void)state;

	/* create the db, then run the store with the file capped near its size */
	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	tstore_stop(&t);
	tstore_start(&t, path, 60, 0);
	assert_int_equal(storec_params(t.c, &p), 0);
	randombytes_buf(big, 1 << 20);
	assert_int_equal(storec_upload_begin(t.c, &h), 0);
	for (int i = 0; i < 16 && rc == 0; i++)
		rc = storec_upload_data(t.c, h, big, 1 << 20);
	assert_int_equal(rc, STORE_FAIL_STORAGE);
	/* the dead upload cannot be ended or committed */
	uint64_t len;
	uint8_t hash[CC_HASH_BYTES];
	assert_int_equal(storec_upload_end(t.c, h, &len, hash), STORE_FAIL_STORAGE);
	tstore_concern_commit(&sc, &p, 5);
	sc.nhandles = 1;
	sc.handles[0] = h;
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), STORE_FAIL_STORAGE);
	assert_int_equal(storec_upload_drop(t.c, h), 0);
	assert_int_equal(storec_stats(t.c, &count, head), 0);
	assert_int_equal(count, 0);
	/* the space came back: a small concern still goes in */
	sc.handles[0] = tstore_body(&t, big, 1000);
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), 0);
	assert_int_equal(seq, 1);
	tstore_stop(&t);
	count_rows(path, "records", 1);
	count_rows(path, "chunks", 1);
	free(big);
}

static void
test_commit_fails_cleanly(void **state)
{
	char path[256];
	struct tstore t;
	struct cc_rcpt_params p;
	struct store_commit sc;
	uint8_t body[200], link[CC_HASH_BYTES], head[CC_HASH_BYTES], g[CC_HASH_BYTES];
	uint64_t seq, count;
	sqlite3 *other;
	(void)state;

	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	tstore_stop(&t);
	tstore_start(&t, path, 0, 20);
	assert_int_equal(storec_params(t.c, &p), 0);
	memset(body, 9, sizeof(body));
	tstore_concern_commit(&sc, &p, 5);
	sc.nhandles = 1;
	sc.handles[0] = tstore_body(&t, body, sizeof(body));
	/* another writer holds the database: the commit fails, nothing written */
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), STORE_FAIL_STORAGE);
	assert_int_equal(storec_stats(t.c, &count, head), 0);
	assert_int_equal(count, 0);
	cc_chain_genesis(g);
	assert_memory_equal(head, g, CC_HASH_BYTES);
	assert_int_equal(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	count_rows(path, "records", 0);
	/* the same upload commits once the database is free */
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), 0);
	assert_int_equal(seq, 1);
	tstore_stop(&t);
}

static void
test_replies_view(void **state)
{
	char path[256];
	struct tstore t;
	struct cc_rcpt_params p;
	struct store_commit sc;
	struct store_db *db;
	struct store_view v;
	struct bitem it;
	uint8_t body[200] = {1}, link[CC_HASH_BYTES], renv[300], *env;
	uint64_t seq;
	size_t elen;
	(void)state;

	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	assert_int_equal(storec_params(t.c, &p), 0);
	tstore_concern_commit(&sc, &p, 5);
	sc.nhandles = 1;
	sc.handles[0] = tstore_body(&t, body, sizeof(body));
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), 0);

	/* what import-replies does, through the db layer */
	assert_int_equal(store_db_open(path, 0, 0, &db, NULL, 0), 0);
	memset(&it, 0, sizeof(it));
	memset(it.id, 1, sizeof(it.id));
	it.target_seq = 1;
	it.type = BITEM_STATUS;
	it.state = BSTATE_INVESTIGATING;
	memcpy(it.date, "2026-11-24", 11);
	assert_int_equal(store_db_item_add(db, &it, NULL, 0), 1);
	assert_int_equal(store_db_item_add(db, &it, NULL, 0), 0);
	/* an older bundle imported late does not move the status back */
	memset(it.id, 3, sizeof(it.id));
	it.state = BSTATE_ACKNOWLEDGED;
	assert_int_equal(store_db_item_add(db, &it, NULL, 0), 1);
	memset(it.id, 2, sizeof(it.id));
	it.type = BITEM_REPLY;
	it.state = 0;
	it.has_env = 1;
	randombytes_buf(renv, sizeof(renv));
	it.env.len = sizeof(renv);
	assert_int_equal(store_db_item_add(db, &it, renv, sizeof(renv)), 1);
	assert_int_equal(store_db_item_add(db, &it, renv, sizeof(renv)), 0);
	store_db_close(db);

	assert_int_equal(storec_fetch(t.c, sc.lookup, &v), 0);
	assert_int_equal(v.state, BSTATE_INVESTIGATING);
	assert_int_equal(v.nreplies, 1);
	assert_int_equal(storec_fetch_reply(t.c, 1, 0, &env, &elen), 0);
	assert_int_equal(elen, sizeof(renv));
	assert_memory_equal(env, renv, elen);
	free(env);
	/* a long reply crosses the socket in pieces; the one-message form
	 * refuses it */
	uint8_t *long_env = malloc(300000);
	randombytes_buf(long_env, 300000);
	assert_int_equal(store_db_open(path, 0, 0, &db, NULL, 0), 0);
	memset(it.id, 4, sizeof(it.id));
	it.env.len = 300000;
	assert_int_equal(store_db_item_add(db, &it, long_env, 300000), 1);
	store_db_close(db);
	assert_int_equal(storec_fetch_reply(t.c, 1, 1, &env, &elen), 0);
	assert_int_equal(elen, 300000);
	assert_memory_equal(env, long_env, elen);
	free(env);
	free(long_env);
	uint8_t req[SP_FETCH_AT_REQ];
	sp_put64(req, 1);
	sp_put32(req + 8, 1);
	assert_int_equal(
	    framed(t.fd, STORE_FETCH_REPLY, req, SP_FETCH_REPLY_REQ), STORE_FAIL_LIMIT);
	sp_put64(req + 12, 300000); /* offset at the end */
	assert_int_equal(framed(t.fd, STORE_FETCH_REPLY_AT, req, sizeof(req)), STORE_FAIL_BADMSG);
	sp_put64(req + 12, 299999);
	assert_int_equal(framed(t.fd, STORE_FETCH_REPLY_AT, req, sizeof(req)), 0);
	assert_int_equal(
	    framed(t.fd, STORE_FETCH_REPLY_AT, req, sizeof(req) - 1), STORE_FAIL_BADMSG);
	sp_put64(req + 12, UINT64_MAX);
	assert_int_equal(framed(t.fd, STORE_FETCH_REPLY_AT, req, sizeof(req)), STORE_FAIL_BADMSG);
	assert_int_equal(storec_fetch_reply(t.c, 1, 2, &env, &elen), STORE_FAIL_NOTFOUND);
	assert_int_equal(storec_fetch_reply(t.c, 2, 0, &env, &elen), STORE_FAIL_NOTFOUND);
	tstore_stop(&t);
}

/* The follow-up page's history (issue 12): the concern, every status change
 * and reply with its day, oldest first and on one day in a fixed order, the
 * reply index matching storec_fetch_reply's; a concern with nothing has
 * only itself; an unknown seq has nothing; a malformed request is refused;
 * the cap holds. */
static void
test_history(void **state)
{
	char path[256];
	struct tstore t;
	struct cc_rcpt_params p;
	struct store_commit sc;
	struct store_db *db;
	struct bitem it;
	struct store_event_row rows[STORE_HISTORY_MAX];
	uint8_t body[200] = {1}, link[CC_HASH_BYTES], renv[64];
	uint64_t seq;
	size_t n;
	(void)state;

	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	assert_int_equal(storec_params(t.c, &p), 0);
	tstore_concern_commit(&sc, &p, 5);
	sc.nhandles = 1;
	sc.handles[0] = tstore_body(&t, body, sizeof(body));
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), 0);
	assert_int_equal(storec_history(t.c, seq, rows, STORE_HISTORY_MAX, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].kind, SEV_CONCERN);
	assert_int_equal(rows[0].nfiles, 0);
	assert_true(util_date_valid(rows[0].date));
	assert_int_equal(storec_history(t.c, seq + 7, rows, STORE_HISTORY_MAX, &n), 0);
	assert_int_equal(n, 0);
	uint8_t req[9] = {0};
	assert_int_equal(framed(t.fd, STORE_HISTORY, req, 7), STORE_FAIL_BADMSG);
	assert_int_equal(framed(t.fd, STORE_HISTORY, req, 9), STORE_FAIL_BADMSG);
	assert_int_equal(framed(t.fd, STORE_HISTORY, req, 8), STORE_FAIL_BADMSG); /* seq 0 */

	/* imported later, out of order: two replies (the later one first by
	 * import, earlier by day), a status change on each day */
	assert_int_equal(store_db_open(path, 0, 0, &db, NULL, 0), 0);
	memset(&it, 0, sizeof(it));
	it.target_seq = seq;
	it.type = BITEM_REPLY;
	it.has_env = 1;
	randombytes_buf(renv, sizeof(renv));
	it.env.len = sizeof(renv);
	memset(it.id, 1, sizeof(it.id));
	memcpy(it.date, "2099-01-03", 11);
	assert_int_equal(store_db_item_add(db, &it, renv, sizeof(renv)), 1);
	memset(it.id, 2, sizeof(it.id));
	memcpy(it.date, "2099-01-02", 11);
	assert_int_equal(store_db_item_add(db, &it, renv, sizeof(renv)), 1);
	memset(&it, 0, sizeof(it));
	it.target_seq = seq;
	it.type = BITEM_STATUS;
	memset(it.id, 3, sizeof(it.id));
	it.state = BSTATE_CLOSED;
	it.outcome = BOUT_PARTLY;
	memcpy(it.date, "2099-01-03", 11);
	assert_int_equal(store_db_item_add(db, &it, NULL, 0), 1);
	memset(it.id, 4, sizeof(it.id));
	it.state = BSTATE_ACKNOWLEDGED;
	it.outcome = BOUT_NONE;
	memcpy(it.date, "2099-01-02", 11);
	assert_int_equal(store_db_item_add(db, &it, NULL, 0), 1);
	store_db_close(db);

	assert_int_equal(storec_history(t.c, seq, rows, STORE_HISTORY_MAX, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(rows[0].kind, SEV_CONCERN);
	assert_int_equal(rows[1].kind, SEV_STATUS);
	assert_int_equal(rows[1].state, BSTATE_ACKNOWLEDGED);
	assert_string_equal(rows[1].date, "2099-01-02");
	assert_int_equal(rows[2].kind, SEV_REPLY);
	assert_int_equal(rows[2].reply, 1); /* imported second */
	assert_string_equal(rows[2].date, "2099-01-02");
	assert_int_equal(rows[3].kind, SEV_STATUS);
	assert_int_equal(rows[3].state, BSTATE_CLOSED);
	assert_int_equal(rows[3].outcome, BOUT_PARTLY);
	assert_int_equal(rows[4].kind, SEV_REPLY);
	assert_int_equal(rows[4].reply, 0);
	assert_string_equal(rows[4].date, "2099-01-03");
	/* a smaller buffer gets the oldest rows */
	assert_int_equal(storec_history(t.c, seq, rows, 2, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rows[1].kind, SEV_STATUS);
	tstore_stop(&t);
}

struct worker {
	struct store_conn *c;
	struct cc_rcpt_params p;
	int tag;
	uint64_t seqs[8];
};

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct store_commit sc;
	uint8_t body[5000], link[CC_HASH_BYTES], hash[CC_HASH_BYTES];
	uint64_t len;

	memset(body, w->tag, sizeof(body));
	tstore_hdr(body, sizeof(body), CC_KIND_CONCERN, tstore_kid, 1);
	for (int i = 0; i < 8; i++) {
		memset(&sc, 0, sizeof(sc));
		memset(sc.reporter_pk, 1, CC_BOX_PK);
		randombytes_buf(sc.lookup, CC_HASH_BYTES);
		sc.rcpt_ops = w->p.opslimit, sc.rcpt_mem = w->p.memlimit;
		sc.nhandles = 1;
		if (storec_upload_begin(w->c, &sc.handles[0]) != 0 ||
		    storec_upload_data(w->c, sc.handles[0], body, sizeof(body)) != 0 ||
		    storec_upload_end(w->c, sc.handles[0], &len, hash) != 0 ||
		    storec_commit(w->c, &sc, &w->seqs[i], link) != 0)
			w->seqs[i] = 0;
	}
	return NULL;
}

static void
test_threads(void **state)
{
	char path[256];
	struct tstore t;
	struct worker w[4];
	pthread_t th[4];
	int seen[33] = {0};
	(void)state;

	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	for (int i = 0; i < 4; i++) {
		w[i].c = t.c;
		w[i].tag = i;
		assert_int_equal(storec_params(t.c, &w[i].p), 0);
		assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 4; i++)
		for (int k = 0; k < 8; k++) {
			assert_true(w[i].seqs[k] >= 1 && w[i].seqs[k] <= 32);
			assert_int_equal(seen[w[i].seqs[k]]++, 0);
		}
	tstore_stop(&t);
}

static void
test_wal_bounded(void **state)
{
	char path[256], wal[300];
	struct tstore t;
	struct cc_rcpt_params p;
	struct store_commit sc;
	uint8_t body[4608], link[CC_HASH_BYTES];
	uint64_t seq;
	struct stat sb;
	(void)state;

	/* The store checkpoints between requests (not inside commits): the log
	 * must still stay bounded under a steady stream of submissions. */
	newdb(path, sizeof(path));
	snprintf(wal, sizeof(wal), "%s-wal", path);
	tstore_start(&t, path, 0, 0);
	assert_int_equal(storec_params(t.c, &p), 0);
	randombytes_buf(body, sizeof(body));
	for (int i = 0; i < 600; i++) {
		tstore_concern_commit(&sc, &p, 1);
		randombytes_buf(sc.lookup, CC_HASH_BYTES);
		sc.nhandles = 1;
		sc.handles[0] = tstore_body(&t, body, sizeof(body));
		assert_int_equal(storec_commit(t.c, &sc, &seq, link), 0);
	}
	assert_int_equal(seq, 600);
	assert_int_equal(stat(wal, &sb), 0);
	if (sb.st_size > (8 << 20))
		fail_msg("WAL grew to %lld bytes", (long long)sb.st_size);
	tstore_stop(&t);
	count_rows(path, "records", 600);
}

static void
test_serve_refuses(void **state)
{
	char path[256];
	int sv[2];
	(void)state;

	/* no directory to create the database in, and a file that is no db:
	 * store_serve returns at once instead of serving */
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(store_serve(sv[1], "/nonexistent-candour-dir/intake.db", 0), -1);
	newdb(path, sizeof(path));
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("SQLite format 3 is what this pretends to be, but it is only text..........", f);
	fclose(f);
	assert_int_equal(store_serve(sv[1], path, 0), -1);
	close(sv[0]);
	close(sv[1]);
}

/* A new database migrated only to version, and a concern commit for it. */
static struct store_db *
old_db(char *path, size_t len, int version, struct sp_commit *c)
{
	struct store_db *db;

	newdb(path, len);
	assert_int_equal(store_db_open_at(path, version, &db), 0);
	assert_int_equal(store_db_version(db), version);
	memset(c, 0, sizeof(*c));
	c->kind = BREC_CONCERN;
	memset(c->reporter_pk, 1, CC_BOX_PK);
	memset(c->lookup, 2, CC_HASH_BYTES);
	c->rcpt_ops = 1, c->rcpt_mem = 8192;
	c->nhandles = 1;
	return db;
}

static void
test_migrations(void **state)
{
	char path[256];
	struct store_db *db;
	struct sp_commit c;
	struct store_env_in env = {.upload = 1, .len = 3};
	uint8_t link[CC_HASH_BYTES];
	uint64_t seq;
	char err[128];
	(void)state;

	/* a version-1 database with a record in it */
	db = old_db(path, sizeof(path), 1, &c);
	assert_int_equal(store_db_append(db, &c, 0, &env, NULL, 0, &seq, link), 0);
	/* version 1 had no triggers */
	assert_int_equal(store_db_exec(db, "UPDATE records SET date = date WHERE seq = 1"), 0);
	store_db_close(db);

	/* a read-only open refuses to migrate; a normal open moves it forward */
	assert_int_equal(store_db_open(path, 0, 1, &db, err, sizeof(err)), -1);
	assert_int_equal(store_db_open(path, 0, 0, &db, err, sizeof(err)), 0);
	assert_int_equal(store_db_version(db), STORE_SCHEMA_VERSION);
	assert_int_equal(db->count, 1);
	assert_memory_equal(db->head, link, CC_HASH_BYTES);
	/* history is now append-only even for a stray statement */
	assert_int_equal(store_db_exec(db, "UPDATE records SET date = date WHERE seq = 1"), -1);
	assert_int_equal(store_db_exec(db, "DELETE FROM records"), -1);
	assert_int_equal(store_db_exec(db, "REPLACE INTO records SELECT * FROM records"), -1);
	assert_int_equal(store_db_exec(db, "UPDATE envelopes SET len = 1"), -1);
	assert_int_equal(store_db_exec(db, "DELETE FROM envelopes"), -1);
	assert_int_equal(store_db_exec(db, "INSERT INTO chunks VALUES (1, 0, x'00')"), 0);
	assert_int_equal(store_db_exec(db, "DELETE FROM chunks WHERE upload = 1"), -1);
	assert_int_equal(store_db_exec(db, "UPDATE chunks SET data = x'01'"), -1);
	/* what reviewers sent back is append-only too (a trigger only
	 * fires on a row, so one of each is stored first) */
	assert_int_equal(store_db_exec(db, "INSERT INTO replies VALUES"
					   " (x'01', 1, '2026-12-05', x'00')"),
	    0);
	assert_int_equal(store_db_exec(db, "INSERT INTO status VALUES"
					   " (x'02', 1, 2, 0, '2026-12-05')"),
	    0);
	assert_int_equal(store_db_exec(db, "UPDATE replies SET env = x'01'"), -1);
	assert_int_equal(store_db_exec(db, "UPDATE replies SET target_seq = 2"), -1);
	assert_int_equal(store_db_exec(db, "UPDATE status SET state = 4, outcome = 1"), -1);
	assert_int_equal(store_db_exec(db, "UPDATE status SET date = '2020-01-01'"), -1);
	/* nor taken away (version 4) */
	assert_int_equal(store_db_exec(db, "DELETE FROM replies"), -1);
	assert_int_equal(store_db_exec(db, "DELETE FROM status WHERE target_seq = 1"), -1);
	count_rows(path, "replies", 1);
	count_rows(path, "status", 1);
	assert_int_equal(store_db_exec(db, "INSERT INTO chunks VALUES (9, 0, x'00')"), 0);
	assert_int_equal(store_db_orphans_drop(db), 0);
	/* a newer schema than this program knows is refused */
	assert_int_equal(store_db_exec(db, "PRAGMA user_version = 99"), 0);
	store_db_close(db);
	assert_int_equal(store_db_open(path, 0, 0, &db, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "newer"));
	/* not a database, and a missing file without create */
	newdb(path, sizeof(path));
	FILE *f = fopen(path, "w");
	fputs("this is not sqlite, not at all, not even close......................", f);
	fclose(f);
	assert_int_equal(store_db_open(path, 0, 0, &db, err, sizeof(err)), -1);
	newdb(path, sizeof(path));
	assert_int_equal(store_db_open(path, 0, 0, &db, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "does not exist"));
}

/* Reads one column of one row as a blob length, or -1 without a row. */
static int
rcpt_len(const char *path, uint64_t seq)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int n = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT keyids FROM recipients WHERE seq = ?", -1,
			     &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_bytes(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* An upload sent in pieces of at most piece bytes. */
static uint64_t
upload_pieces(struct tstore *t, const uint8_t *buf, size_t len, size_t piece)
{
	uint64_t h, got;
	uint8_t hash[CC_HASH_BYTES];

	assert_int_equal(storec_upload_begin(t->c, &h), 0);
	for (size_t off = 0; off < len; off += piece)
		assert_int_equal(
		    storec_upload_data(t->c, h, buf + off, len - off < piece ? len - off : piece), 0);
	assert_int_equal(storec_upload_end(t->c, h, &got, hash), 0);
	return h;
}

static void
test_recipients_stored(void **state)
{
	char path[256];
	struct tstore t;
	struct cc_rcpt_params p;
	struct store_commit sc, fu;
	struct store_view v;
	struct cc_seckey *k[2];
	struct cc_recipient r[2];
	uint8_t ids[CC_MAX_RECIPIENTS][CC_KEYID_BYTES], body[THDR_LEN(CC_MAX_RECIPIENTS) + 64];
	uint8_t link[CC_HASH_BYTES], *env;
	size_t envlen;
	uint64_t seq;
	(void)state;

	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	assert_int_equal(storec_params(t.c, &p), 0);
	/* a real envelope sealed to two reviewers, in that order */
	assert_int_equal(cc_keypair_generate("alice", &k[0]), CC_OK);
	assert_int_equal(cc_keypair_generate("bob", &k[1]), CC_OK);
	cc_recipient_of(&k[1]->pub, &r[0]);
	cc_recipient_of(&k[0]->pub, &r[1]);
	assert_int_equal(
	    cc_env_seal(CC_KIND_CONCERN, r, 2, (const uint8_t *)"x", 1, &env, &envlen), CC_OK);
	tstore_concern_commit(&sc, &p, 1);
	sc.nhandles = 1;
	sc.handles[0] = tstore_upload(&t, env, envlen);
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), 0);
	free(env);
	assert_int_equal(storec_fetch(t.c, sc.lookup, &v), 0);
	assert_int_equal(v.nrecipients, 2);
	assert_memory_equal(v.recipients[0], k[1]->pub.keyid, CC_KEYID_BYTES);
	assert_memory_equal(v.recipients[1], k[0]->pub.keyid, CC_KEYID_BYTES);
	/* a follow-up (to bob only) stores no list and leaves the concern's */
	assert_int_equal(
	    cc_env_seal(CC_KIND_MESSAGE, r, 1, (const uint8_t *)"y", 1, &env, &envlen), CC_OK);
	cc_seckey_free(k[0]);
	cc_seckey_free(k[1]);
	memset(&fu, 0, sizeof(fu));
	fu.parent_lookup = sc.lookup;
	fu.nhandles = 1;
	fu.handles[0] = tstore_upload(&t, env, envlen);
	free(env);
	assert_int_equal(storec_commit(t.c, &fu, &seq, link), 0);
	assert_int_equal(storec_fetch(t.c, sc.lookup, &v), 0);
	assert_int_equal(v.nrecipients, 2);
	assert_int_equal(v.nmessages, 1);

	/* the most recipients there can be, the header arriving in 7-byte
	 * pieces (the store reads it across chunks) */
	for (size_t i = 0; i < CC_MAX_RECIPIENTS; i++)
		memset(ids[i], (int)(0x10 + i), CC_KEYID_BYTES);
	randombytes_buf(body, sizeof(body));
	tstore_hdr(body, sizeof(body), CC_KIND_CONCERN, ids, CC_MAX_RECIPIENTS);
	tstore_concern_commit(&sc, &p, 3);
	sc.nhandles = 1;
	sc.handles[0] = upload_pieces(&t, body, sizeof(body), 7);
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), 0);
	assert_int_equal(seq, 3);
	tstore_stop(&t);
	assert_int_equal(rcpt_len(path, 1), 2 * CC_KEYID_BYTES);
	assert_int_equal(rcpt_len(path, 2), -1);
	assert_int_equal(rcpt_len(path, 3), CC_MAX_RECIPIENTS * CC_KEYID_BYTES);
	/* kept across a restart */
	tstore_start(&t, path, 0, 0);
	assert_int_equal(storec_fetch(t.c, sc.lookup, &v), 0);
	assert_int_equal(v.seq, 3);
	assert_int_equal(v.nrecipients, CC_MAX_RECIPIENTS);
	assert_memory_equal(v.recipients, ids, sizeof(ids));
	tstore_stop(&t);
}

/* Concern commits whose body envelope header is not a whole, well-formed
 * concern header: each BADMSG, nothing stored, the uploads still ready. */
static void
test_recipients_malformed(void **state)
{
	char path[256];
	struct tstore t;
	struct cc_rcpt_params p;
	struct store_commit sc;
	uint8_t ids[CC_MAX_RECIPIENTS + 1][CC_KEYID_BYTES], good[THDR_LEN(3) + 100];
	/* bodies written before they are sent (valgrind: uninitialised bytes) */
	uint8_t body[THDR_LEN(CC_MAX_RECIPIENTS + 1) + 100] = {0}, link[CC_HASH_BYTES],
	    head[CC_HASH_BYTES];
	uint64_t seq, count;
	size_t hl;
	int cases = 0;
	(void)state;

	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	assert_int_equal(storec_params(t.c, &p), 0);
	for (size_t i = 0; i <= CC_MAX_RECIPIENTS; i++)
		memset(ids[i], (int)(0x40 + i), CC_KEYID_BYTES);
	randombytes_buf(good, sizeof(good));
	hl = tstore_hdr(good, sizeof(good), CC_KIND_CONCERN, ids, 3);
	tstore_concern_commit(&sc, &p, 1);
	sc.nhandles = 1;
#define REFUSED(mutate, len)                                                                       \
	do {                                                                                       \
		memcpy(body, good, sizeof(good));                                                  \
		mutate;                                                                            \
		sc.handles[0] = tstore_upload(&t, body, len);                                      \
		assert_int_equal(storec_commit(t.c, &sc, &seq, link), STORE_FAIL_BADMSG);         \
		assert_int_equal(storec_upload_drop(t.c, sc.handles[0]), 0);                       \
		cases++;                                                                           \
	} while (0)
	REFUSED((void)0, 1);					 /* one byte */
	REFUSED((void)0, 11);					 /* not even the fixed part */
	REFUSED((void)0, hl - 1);				 /* cut inside the header */
	REFUSED(body[0] = 'X', sizeof(good));			 /* magic */
	REFUSED(body[4] = 2, sizeof(good));			 /* version */
	REFUSED(body[5] = CC_KIND_MESSAGE, sizeof(good));	 /* a message, not a concern */
	REFUSED(body[5] = CC_KIND_ATTACHMENT, sizeof(good));	 /* an attachment */
	REFUSED(body[5] = 0, sizeof(good));			 /* no kind */
	REFUSED(body[5] = 99, sizeof(good));			 /* unknown kind */
	REFUSED(body[6] = 0, sizeof(good));			 /* no recipients */
	REFUSED(body[6] = CC_MAX_RECIPIENTS + 1, sizeof(good)); /* too many */
	REFUSED(body[6] = 4, hl + THDR_ENTRY - 1);		 /* claims more than is there */
	REFUSED(body[7] = 1, sizeof(good));			 /* reserved byte */
	REFUSED(sp_put32(body + 8, CC_CHUNK_BYTES + 1), sizeof(good)); /* chunk size */
	REFUSED(memcpy(body + THDR_FIXED + 2 * THDR_ENTRY, ids[0], CC_KEYID_BYTES),
	    sizeof(good)); /* a key id twice */
	REFUSED(tstore_hdr(body, sizeof(body), CC_KIND_CONCERN, ids, CC_MAX_RECIPIENTS + 1),
	    sizeof(body)); /* seventeen, written whole */
	REFUSED(memset(body, 0, sizeof(good)), sizeof(good)); /* zeros */
	assert_int_equal(cases, 17);
	/* nothing was stored; the store still serves */
	assert_int_equal(storec_stats(t.c, &count, head), 0);
	assert_int_equal(count, 0);
	/* a follow-up's body is not read for recipients; a good concern is */
	sc.handles[0] = tstore_upload(&t, good, sizeof(good));
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), 0);
	assert_int_equal(seq, 1);
	tstore_stop(&t);
	count_rows(path, "records", 1);
	count_rows(path, "recipients", 1);
	count_rows(path, "chunks", 1);
#undef REFUSED
}

/* FETCH replies: the client takes only the exact layout. */
static void
test_view_layout(void **state)
{
	struct store_view v, w;
	uint8_t b[SP_VIEW_BYTES], bad[SP_VIEW_BYTES];
	(void)state;

	memset(&v, 0, sizeof(v));
	v.seq = 5;
	memcpy(v.date, "2026-11-23", 11);
	v.state = BSTATE_RECEIVED;
	v.nreplies = 2;
	v.nmessages = 3;
	v.nrecipients = 2;
	memset(v.recipients[0], 1, CC_KEYID_BYTES);
	memset(v.recipients[1], 2, CC_KEYID_BYTES);
	memset(v.recipients[2], 3, CC_KEYID_BYTES); /* beyond n: not sent */
	sp_view_encode(&v, b);
	assert_int_equal(sp_view_decode(b, sizeof(b), &w), 0);
	assert_int_equal(w.seq, 5);
	assert_int_equal(w.nmessages, 3);
	assert_int_equal(w.nrecipients, 2);
	assert_memory_equal(w.recipients, v.recipients, 2 * CC_KEYID_BYTES);
	assert_true(w.recipients[2][0] == 0);
	/* the old 28-byte layout, one byte short or long */
	assert_int_equal(sp_view_decode(b, 28, &w), -1);
	assert_int_equal(sp_view_decode(b, sizeof(b) - 1, &w), -1);
	assert_int_equal(sp_view_decode(b, sizeof(b) + 1, &w), -1);
	/* more than 16 recipients, a key id past n */
	memcpy(bad, b, sizeof(b));
	bad[28] = CC_MAX_RECIPIENTS + 1;
	assert_int_equal(sp_view_decode(bad, sizeof(bad), &w), -1);
	assert_int_equal(w.nrecipients, 0);
	memcpy(bad, b, sizeof(b));
	bad[sizeof(bad) - 1] = 1;
	assert_int_equal(sp_view_decode(bad, sizeof(bad), &w), -1);
	memcpy(bad, b, sizeof(b));
	bad[28] = 1; /* the second id is now past n */
	assert_int_equal(sp_view_decode(bad, sizeof(bad), &w), -1);
	/* none: a concern from before the store kept a list */
	v.nrecipients = 0;
	sp_view_encode(&v, b);
	assert_int_equal(sp_view_decode(b, sizeof(b), &w), 0);
	assert_int_equal(w.nrecipients, 0);
}

/* A version-2 database (before recipients were kept) migrates to the
 * current version: old concerns have no list, new ones do, and the list
 * is append-only. */
static void
test_migration_recipients(void **state)
{
	char path[256];
	struct store_db *db;
	struct sp_commit c;
	struct store_view v;
	struct store_env_in env = {.upload = 1, .len = 3};
	uint8_t link[CC_HASH_BYTES], old_lookup[CC_HASH_BYTES];
	uint8_t two[2][CC_KEYID_BYTES] = {{1, 1, 1, 1, 1, 1, 1, 1}, {2, 2, 2, 2, 2, 2, 2, 2}};
	uint64_t seq;
	char err[128], bak[300];
	struct stat sb;
	struct timespec mtime;
	(void)state;

	db = old_db(path, sizeof(path), 2, &c);
	memcpy(old_lookup, c.lookup, CC_HASH_BYTES);
	/* version 2 has nowhere to keep a list: the append fails whole */
	assert_int_equal(store_db_append(db, &c, 0, &env, two, 2, &seq, link), STORE_FAIL_STORAGE);
	assert_int_equal(db->count, 0);
	assert_int_equal(store_db_append(db, &c, 0, &env, NULL, 0, &seq, link), 0);
	store_db_close(db);
	count_rows(path, "records", 1);
	snprintf(bak, sizeof(bak), "%s.pre-v%d.bak", path, STORE_SCHEMA_VERSION);
	assert_int_equal(access(bak, F_OK), -1);

	assert_int_equal(store_db_open(path, 0, 0, &db, err, sizeof(err)), 0);
	assert_int_equal(store_db_version(db), STORE_SCHEMA_VERSION);
	assert_int_equal(db->count, 1);
	/* the copy kept first: version 2, the same record and chain head */
	assert_int_equal(db_version_of(bak), 2);
	count_rows(bak, "records", 1);
	assert_int_equal(stat(bak, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_true(S_ISREG(sb.st_mode));
	{
		struct store_db *old;
		assert_int_equal(store_db_open_at(bak, 2, &old), 0);
		assert_int_equal(old->count, 1);
		assert_memory_equal(old->head, link, CC_HASH_BYTES);
		store_db_close(old);
	}
	/* the old concern: no list, so follow-ups go to every reviewer */
	assert_int_equal(store_db_view(db, old_lookup, &v), 0);
	assert_int_equal(v.seq, 1);
	assert_int_equal(v.nrecipients, 0);
	/* a new one keeps its list */
	memset(c.lookup, 3, CC_HASH_BYTES);
	env.upload = 2;
	assert_int_equal(store_db_append(db, &c, 0, &env, two, 2, &seq, link), 0);
	assert_int_equal(store_db_view(db, c.lookup, &v), 0);
	assert_int_equal(v.nrecipients, 2);
	assert_memory_equal(v.recipients, two, sizeof(two));
	/* append-only, and only lists of whole key ids */
	assert_int_equal(store_db_exec(db, "UPDATE recipients SET keyids = x'0000000000000000'"), -1);
	assert_int_equal(store_db_exec(db, "DELETE FROM recipients"), -1);
	assert_int_equal(store_db_exec(db, "INSERT INTO recipients VALUES (9, x'00')"), -1);
	assert_int_equal(store_db_exec(db, "INSERT INTO recipients VALUES (9, zeroblob(136))"), -1);
	assert_int_equal(store_db_exec(db, "INSERT INTO recipients VALUES (9, 'text')"), -1);
	store_db_close(db);
	count_rows(path, "recipients", 1);
	/* opened again at the current version: no second copy, the first untouched */
	assert_int_equal(stat(bak, &sb), 0);
	mtime = sb.st_mtim;
	assert_int_equal(store_db_open(path, 0, 0, &db, err, sizeof(err)), 0);
	store_db_close(db);
	assert_int_equal(stat(bak, &sb), 0);
	assert_int_equal(sb.st_mtim.tv_sec, mtime.tv_sec);
	assert_int_equal(sb.st_mtim.tv_nsec, mtime.tv_nsec);
	count_rows(bak, "records", 1);
}

/* The reviewers' replies and status changes, once imported, can be
 * neither rewritten nor removed: on a new database, and on a version-3 one
 * (which refused only updates) once upgraded, with its copy kept first.
 * Importing stays possible: a new item is added, a repeated one ignored. */
static void
refuses_changes(struct store_db *db, const char *path)
{
	static const char *const stmts[] = {
	    "DELETE FROM replies",
	    "DELETE FROM replies WHERE target_seq = 1",
	    "UPDATE replies SET env = x'01'",
	    "DELETE FROM status",
	    "DELETE FROM status WHERE state = 3",
	    "UPDATE status SET state = 4, outcome = 1",
	    /* a replace deletes the old row first (recursive_triggers) */
	    "REPLACE INTO status VALUES (x'02020202020202020202020202020202', 1, 4, 1,"
	    " '2026-12-05')",
	    "REPLACE INTO replies VALUES (x'01010101010101010101010101010101', 1,"
	    " '2026-12-05', x'00')",
	};

	for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++)
		if (store_db_exec(db, stmts[i]) != -1)
			fail_msg("not refused: %s", stmts[i]);
	count_rows(path, "replies", 1);
	count_rows(path, "status", 1);
}

static void
item(struct bitem *it, int id, int type)
{
	memset(it, 0, sizeof(*it));
	memset(it->id, id, sizeof(it->id));
	it->target_seq = 1;
	it->type = (uint8_t)type;
	it->state = type == BITEM_STATUS ? BSTATE_INVESTIGATING : 0;
	it->has_env = type == BITEM_REPLY;
	memcpy(it->date, "2026-12-05", 11);
}

static void
test_replies_status_append_only(void **state)
{
	char path[256], bak[300], err[160];
	struct store_db *db;
	struct sp_commit c;
	struct store_env_in env = {.upload = 1, .len = 3};
	struct bitem it;
	uint8_t link[CC_HASH_BYTES], renv[64] = {7};
	uint64_t seq;
	(void)state;

	/* a new database */
	db = old_db(path, sizeof(path), STORE_SCHEMA_VERSION, &c);
	assert_int_equal(store_db_append(db, &c, 0, &env, NULL, 0, &seq, link), 0);
	item(&it, 1, BITEM_REPLY);
	assert_int_equal(store_db_item_add(db, &it, renv, sizeof(renv)), 1);
	item(&it, 2, BITEM_STATUS);
	assert_int_equal(store_db_item_add(db, &it, NULL, 0), 1);
	refuses_changes(db, path);
	store_db_close(db);

	/* version 3 let a reply or a status change be deleted */
	db = old_db(path, sizeof(path), 3, &c);
	assert_int_equal(store_db_append(db, &c, 0, &env, NULL, 0, &seq, link), 0);
	item(&it, 1, BITEM_REPLY);
	assert_int_equal(store_db_item_add(db, &it, renv, sizeof(renv)), 1);
	item(&it, 2, BITEM_STATUS);
	assert_int_equal(store_db_item_add(db, &it, NULL, 0), 1);
	item(&it, 3, BITEM_STATUS);
	assert_int_equal(store_db_item_add(db, &it, NULL, 0), 1);
	assert_int_equal(store_db_exec(db, "DELETE FROM status WHERE id = x'"
					   "03030303030303030303030303030303'"),
	    0);
	assert_int_equal(store_db_exec(db, "UPDATE status SET state = 4"), -1);
	store_db_close(db);
	count_rows(path, "status", 1);

	/* upgraded: a copy kept first, then nothing can be taken away */
	snprintf(bak, sizeof(bak), "%s.pre-v4.bak", path);
	assert_int_equal(store_db_open(path, 0, 0, &db, err, sizeof(err)), 0);
	assert_int_equal(store_db_version(db), STORE_SCHEMA_VERSION);
	assert_int_equal(db_version_of(bak), 3);
	count_rows(bak, "replies", 1);
	refuses_changes(db, path);
	/* import-replies still works: the same items again are no-ops, a
	 * new one is added */
	item(&it, 1, BITEM_REPLY);
	assert_int_equal(store_db_item_add(db, &it, renv, sizeof(renv)), 0);
	item(&it, 2, BITEM_STATUS);
	assert_int_equal(store_db_item_add(db, &it, NULL, 0), 0);
	count_rows(path, "status", 1);
	item(&it, 4, BITEM_STATUS);
	it.state = BSTATE_CLOSED;
	it.outcome = BOUT_SUBSTANTIATED;
	assert_int_equal(store_db_item_add(db, &it, NULL, 0), 1);
	count_rows(path, "status", 2);
	store_db_close(db);
}

/* A digest of every row of table, in rowid order (column types and bytes):
 * equal before and after means nothing was removed, rewritten or moved. */
static void
table_digest(struct store_db *db, const char *table, uint8_t out[CC_HASH_BYTES])
{
	crypto_generichash_state h;
	sqlite3_stmt *st;
	char q[128];

	snprintf(q, sizeof(q), "SELECT rowid, * FROM %s ORDER BY rowid", table);
	assert_int_equal(sqlite3_prepare_v2(db->db, q, -1, &st, NULL), SQLITE_OK);
	crypto_generichash_init(&h, NULL, 0, CC_HASH_BYTES);
	while (sqlite3_step(st) == SQLITE_ROW)
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			uint8_t t = (uint8_t)sqlite3_column_type(st, i);
			const void *b = sqlite3_column_blob(st, i);
			uint32_t n = (uint32_t)sqlite3_column_bytes(st, i);
			crypto_generichash_update(&h, &t, 1);
			crypto_generichash_update(&h, (const uint8_t *)&n, sizeof(n));
			if (n > 0)
				crypto_generichash_update(&h, b, n);
		}
	sqlite3_finalize(st);
	crypto_generichash_final(&h, out, CC_HASH_BYTES);
}

/* A REPLACE removes the row it conflicts with, and SQLite fires no DELETE
 * trigger for that unless recursive_triggers is on: every append-only
 * table, on each of its unique keys, by each spelling of REPLACE, must
 * refuse it and keep every row as it was. */
static void
test_replace_refused(void **state)
{
	static const struct {
		const char *table, *sql;
	} tries[] = {
	    {"records", "REPLACE INTO records SELECT seq, kind, '2020-01-01', parent_seq,"
			" reporter_pk, NULL, rcpt_ops, rcpt_mem, x'00', link FROM records"},
	    {"records", "INSERT OR REPLACE INTO records SELECT seq + 100, kind, date,"
			" parent_seq, reporter_pk, lookup, rcpt_ops, rcpt_mem, body, link"
			" FROM records"},
	    {"records", "UPDATE OR REPLACE records SET seq = seq + 100"},
	    {"envelopes", "REPLACE INTO envelopes SELECT seq, idx, upload + 100, len + 1"
			  " FROM envelopes"},
	    {"envelopes", "INSERT OR REPLACE INTO envelopes SELECT seq + 100, idx, upload, len"
			  " FROM envelopes"},
	    {"chunks", "REPLACE INTO chunks SELECT upload, idx, x'ff' FROM chunks"},
	    {"replies", "REPLACE INTO replies SELECT id, target_seq, date, x'ff' FROM replies"},
	    {"replies", "INSERT OR REPLACE INTO replies SELECT id, target_seq + 1, date, env"
			" FROM replies"},
	    {"status", "REPLACE INTO status SELECT id, target_seq, 4, 1, date FROM status"},
	    {"status", "INSERT OR REPLACE INTO status SELECT id, target_seq, state, outcome,"
		       " '2020-01-01' FROM status"},
	    {"recipients", "REPLACE INTO recipients SELECT seq, x'0909090909090909'"
			   " FROM recipients"},
	    {"recipients", "INSERT OR REPLACE INTO recipients SELECT seq, keyids || keyids"
			   " FROM recipients"},
	};
	static const char *const tables[] = {
	    "records", "envelopes", "chunks", "replies", "status", "recipients"};
	uint8_t before[6][CC_HASH_BYTES], after[CC_HASH_BYTES], link[CC_HASH_BYTES];
	uint8_t two[2][CC_KEYID_BYTES] = {{1, 1, 1, 1, 1, 1, 1, 1}, {2, 2, 2, 2, 2, 2, 2, 2}};
	uint8_t renv[64] = {7};
	char path[256];
	struct store_db *db;
	struct sp_commit c;
	struct store_env_in env = {.upload = 1, .len = 3};
	struct bitem it;
	uint64_t seq;
	(void)state;

	db = old_db(path, sizeof(path), STORE_SCHEMA_VERSION, &c);
	/* one row in each table (a committed upload's chunk: its envelope
	 * names it) */
	assert_int_equal(store_db_exec(db, "INSERT INTO chunks VALUES (1, 0, x'00')"), 0);
	assert_int_equal(store_db_append(db, &c, 0, &env, two, 2, &seq, link), 0);
	item(&it, 1, BITEM_REPLY);
	assert_int_equal(store_db_item_add(db, &it, renv, sizeof(renv)), 1);
	item(&it, 2, BITEM_STATUS);
	assert_int_equal(store_db_item_add(db, &it, NULL, 0), 1);
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		count_rows(path, tables[t], 1);
		table_digest(db, tables[t], before[t]);
	}
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		if (store_db_exec(db, tries[i].sql) != -1)
			fail_msg("not refused: %s", tries[i].sql);
		for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
			table_digest(db, tables[t], after);
			if (memcmp(after, before[t], CC_HASH_BYTES) != 0)
				fail_msg("%s changed by: %s", tables[t], tries[i].sql);
		}
	}
	store_db_close(db);
}

/* A copy in the way (an earlier upgrade that did not finish, or a file an
 * attacker placed) is never replaced: the upgrade is refused and the
 * database stays at its old version, unchanged. */
static void
test_migration_copy_in_way(void **state)
{
	char path[256], bak[300];
	struct store_db *db;
	struct sp_commit c;
	struct store_env_in env = {.upload = 1, .len = 3};
	uint8_t link[CC_HASH_BYTES];
	uint64_t seq;
	char err[160];
	FILE *f;
	(void)state;

	db = old_db(path, sizeof(path), 2, &c);
	assert_int_equal(store_db_append(db, &c, 0, &env, NULL, 0, &seq, link), 0);
	store_db_close(db);
	snprintf(bak, sizeof(bak), "%s.pre-v%d.bak", path, STORE_SCHEMA_VERSION);
	assert_non_null(f = fopen(bak, "w"));
	fputs("not a database", f);
	fclose(f);
	assert_int_equal(store_db_open(path, 0, 0, &db, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "in the way"));
	assert_int_equal(db_version_of(path), 2);
	assert_non_null(f = fopen(bak, "r"));
	assert_non_null(fgets(err, sizeof(err), f));
	fclose(f);
	assert_string_equal(err, "not a database");
	/* a symlink in its place is not followed either */
	assert_int_equal(unlink(bak), 0);
	assert_int_equal(symlink("/nonexistent-target", bak), 0);
	assert_int_equal(store_db_open(path, 0, 0, &db, err, sizeof(err)), -1);
	assert_int_equal(db_version_of(path), 2);
	assert_int_equal(access("/nonexistent-target", F_OK), -1);
	/* moved away: the upgrade goes ahead */
	assert_int_equal(unlink(bak), 0);
	assert_int_equal(store_db_open(path, 0, 0, &db, err, sizeof(err)), 0);
	assert_int_equal(db->count, 1);
	store_db_close(db);
	assert_int_equal(db_version_of(path), STORE_SCHEMA_VERSION);
	assert_int_equal(db_version_of(bak), 2);
}

/* The store holds follow-ups to the concern's readers: each envelope of a
 * follow-up names only key ids the concern's body did, and is of the
 * right kind; else BADMSG and nothing stored. A concern from before the
 * store kept lists is not checked. */
static void
test_followup_readers(void **state)
{
	char path[256];
	struct tstore t;
	struct cc_rcpt_params p;
	struct store_commit sc, fu;
	struct store_db *db;
	struct sp_commit c;
	struct store_env_in env = {.upload = 1, .len = 3};
	const uint8_t ab[2][CC_KEYID_BYTES] = {{0xA}, {0xB}}, ac[2][CC_KEYID_BYTES] = {{0xA}, {0xC}};
	const uint8_t c_only[1][CC_KEYID_BYTES] = {{0xC}}, b_only[1][CC_KEYID_BYTES] = {{0xB}};
	/* bodies written before they are sent (valgrind: uninitialised bytes) */
	uint8_t body[THDR_LEN(2) + 50] = {0}, att[THDR_LEN(2) + 50] = {0}, link[CC_HASH_BYTES];
	uint64_t seq, count;
	int cases = 0;
	(void)state;

	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	assert_int_equal(storec_params(t.c, &p), 0);
	tstore_concern_commit(&sc, &p, 1);
	sc.nhandles = 1;
	sc.handles[0] = tstore_env(&t, body, sizeof(body), CC_KIND_CONCERN, ab, 2);
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), 0);
	memset(&fu, 0, sizeof(fu));
	fu.parent_lookup = sc.lookup;
#define FU_REFUSED(n, bk, bids, bn, ak, aids, an)                                                  \
	do {                                                                                       \
		fu.nhandles = n;                                                                   \
		fu.handles[0] = tstore_env(&t, body, sizeof(body), bk, bids, bn);                  \
		if (n > 1)                                                                         \
			fu.handles[1] = tstore_env(&t, att, sizeof(att), ak, aids, an);            \
		assert_int_equal(storec_commit(t.c, &fu, &seq, link), STORE_FAIL_BADMSG);         \
		for (uint32_t i = 0; i < fu.nhandles; i++)                                         \
			assert_int_equal(storec_upload_drop(t.c, fu.handles[i]), 0);               \
		cases++;                                                                           \
	} while (0)
	FU_REFUSED(1, CC_KIND_MESSAGE, c_only, 1, 0, NULL, 0); /* someone left out */
	FU_REFUSED(1, CC_KIND_MESSAGE, ac, 2, 0, NULL, 0);     /* one reader and one not */
	FU_REFUSED(1, CC_KIND_CONCERN, b_only, 1, 0, NULL, 0); /* not a message */
	FU_REFUSED(1, CC_KIND_ATTACHMENT, b_only, 1, 0, NULL, 0);
	FU_REFUSED(2, CC_KIND_MESSAGE, b_only, 1, CC_KIND_ATTACHMENT, c_only, 1); /* its file */
	FU_REFUSED(2, CC_KIND_MESSAGE, ab, 2, CC_KIND_ATTACHMENT, ac, 2);
	FU_REFUSED(2, CC_KIND_MESSAGE, ab, 2, CC_KIND_MESSAGE, ab, 2); /* a file of kind message */
	assert_int_equal(cases, 7);
	/* a message too short to hold a header */
	fu.nhandles = 1;
	fu.handles[0] = tstore_upload(&t, body, 10);
	assert_int_equal(storec_commit(t.c, &fu, &seq, link), STORE_FAIL_BADMSG);
	assert_int_equal(storec_stats(t.c, &count, link), 0);
	assert_int_equal(count, 1);
	/* to a subset, and to all of them with a file: stored */
	assert_int_equal(storec_upload_drop(t.c, fu.handles[0]), 0);
	fu.handles[0] = tstore_env(&t, body, sizeof(body), CC_KIND_MESSAGE, b_only, 1);
	assert_int_equal(storec_commit(t.c, &fu, &seq, link), 0);
	fu.nhandles = 2;
	fu.handles[0] = tstore_env(&t, body, sizeof(body), CC_KIND_MESSAGE, ab, 2);
	fu.handles[1] = tstore_env(&t, att, sizeof(att), CC_KIND_ATTACHMENT, ab, 2);
	assert_int_equal(storec_commit(t.c, &fu, &seq, link), 0);
	assert_int_equal(seq, 3);
	tstore_stop(&t);
	count_rows(path, "records", 3);
#undef FU_REFUSED

	/* a concern in a schema-2 file has no list: its follow-ups go through */
	db = old_db(path, sizeof(path), 2, &c);
	assert_int_equal(store_db_append(db, &c, 0, &env, NULL, 0, &seq, link), 0);
	store_db_close(db);
	tstore_start(&t, path, 0, 0); /* migrates to 3 */
	memset(&fu, 0, sizeof(fu));
	fu.parent_lookup = c.lookup;
	fu.nhandles = 1;
	fu.handles[0] = tstore_env(&t, body, sizeof(body), CC_KIND_MESSAGE, c_only, 1);
	assert_int_equal(storec_commit(t.c, &fu, &seq, link), 0);
	assert_int_equal(seq, 2);
	tstore_stop(&t);
}

static void
test_orphans_at_startup(void **state)
{
	char path[256];
	struct tstore t;
	sqlite3 *db;
	(void)state;

	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	tstore_stop(&t);
	/* a crash left staging chunks behind */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "INSERT INTO chunks VALUES (77, 0, x'0102')", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	count_rows(path, "chunks", 1);
	tstore_start(&t, path, 0, 0);
	uint64_t h;
	assert_int_equal(storec_upload_begin(t.c, &h), 0);
	assert_true(h >= 78); /* never reuses a handle seen in the file */
	tstore_stop(&t);
	count_rows(path, "chunks", 0);
}

static void
test_meta_and_hardening(void **state)
{
	char path[256];
	struct store_db *db;
	sqlite3_stmt *st;
	(void)state;

	newdb(path, sizeof(path));
	assert_int_equal(store_db_open(path, 1, 0, &db, NULL, 0), 0);
	assert_int_equal(sqlite3_prepare_v2(db->db, "PRAGMA journal_mode", -1, &st, NULL), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db->db, "PRAGMA secure_delete", -1, &st, NULL), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db->db, "PRAGMA synchronous", -1, &st, NULL), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2); /* FULL */
	sqlite3_finalize(st);
	int on = -1;
	sqlite3_db_config(db->db, SQLITE_DBCONFIG_DEFENSIVE, -1, &on);
	assert_int_equal(on, 1);
	/* defensive mode: no writable schema */
	assert_int_equal(
	    store_db_exec(db, "PRAGMA writable_schema = ON; "
			      "UPDATE sqlite_schema SET sql = '' WHERE name = 'records'"),
	    -1);
	struct cc_rcpt_params first = db->params;
	store_db_close(db);
	/* the salt is made once */
	assert_int_equal(store_db_open(path, 1, 0, &db, NULL, 0), 0);
	assert_memory_equal(db->params.salt, first.salt, CC_RCPT_SALT_BYTES);
	store_db_close(db);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 077, 0);
}

/* Issue 9: the store answers STORE_PUBLISHED with the chain as of the end
 * of yesterday (UTC), so that /transparency does not move when a record
 * commits; the live figures stay for status. */
static void
test_published_yesterday(void **state)
{
	char path[256], today[11], before[11], date[11];
	struct tstore t;
	struct cc_rcpt_params p;
	struct store_commit sc;
	struct store_db *db;
	uint8_t body[600], link[2][CC_HASH_BYTES], head[CC_HASH_BYTES], g[CC_HASH_BYTES];
	uint64_t seq, count;
	(void)state;

	cc_chain_genesis(g);
	assert_int_equal(store_published_days(today, before), 0);
	assert_true(strcmp(before, today) < 0);
	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	assert_int_equal(storec_params(t.c, &p), 0);
	assert_int_equal(storec_published(t.c, &count, head, date), 0);
	assert_int_equal(count, 0);
	for (int i = 0; i < 2; i++) {
		randombytes_buf(body, sizeof(body));
		tstore_concern_commit(&sc, &p, (uint8_t)(10 + 2 * i));
		sc.nhandles = 1;
		sc.handles[0] = tstore_body(&t, body, sizeof(body));
		assert_int_equal(storec_commit(t.c, &sc, &seq, link[i]), 0);
	}
	/* live: 2; published: nothing yet, and the day it closes */
	assert_int_equal(storec_stats(t.c, &count, head), 0);
	assert_int_equal(count, 2);
	assert_int_equal(storec_published(t.c, &count, head, date), 0);
	assert_int_equal(count, 0);
	assert_memory_equal(head, g, CC_HASH_BYTES);
	assert_string_equal(date, before);
	/* a body is refused, and the store still serves */
	assert_int_equal(framed(t.fd, STORE_PUBLISHED, (const uint8_t *)"x", 1), STORE_FAIL_BADMSG);
	assert_int_equal(storec_published(t.c, &count, head, date), 0);
	tstore_stop(&t);

	/* the query itself: everything before a later day, nothing before an
	 * earlier one */
	assert_int_equal(store_db_open(path, 0, 0, &db, NULL, 0), 0);
	assert_int_equal(store_db_published(db, "9999-12-31", &count, head), 0);
	assert_int_equal(count, 2);
	assert_memory_equal(head, link[1], CC_HASH_BYTES);
	assert_int_equal(store_db_published(db, "2000-01-01", &count, head), 0);
	assert_int_equal(count, 0);
	assert_memory_equal(head, g, CC_HASH_BYTES);
	store_db_close(db);
	/* record 1 dated yesterday (the guard dropped to arrange it): a new
	 * store publishes it, and only it */
	sqlite3 *raw_db;
	char sql[200];
	snprintf(sql, sizeof(sql),
	    "DROP TRIGGER records_no_update; UPDATE records SET date = '%s' WHERE seq = 1", before);
	assert_int_equal(sqlite3_open(path, &raw_db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw_db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw_db);
	tstore_start(&t, path, 0, 0);
	assert_int_equal(storec_published(t.c, &count, head, date), 0);
	assert_int_equal(count, 1);
	assert_memory_equal(head, link[0], CC_HASH_BYTES);
	tstore_stop(&t);
}

/* Issue 9: a zero-length datagram is a malformed message (BADMSG), not
 * the end of the connection: the store goes on serving. */
static void
test_empty_datagram_badmsg(void **state)
{
	char path[256];
	struct tstore t;
	uint8_t head[CC_HASH_BYTES];
	uint64_t count;
	uint32_t why;
	(void)state;

	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(raw(t.fd, (const uint8_t *)"", 0, &why, NULL, NULL), STORE_FAIL);
		assert_int_equal(why, STORE_FAIL_BADMSG);
		assert_int_equal(storec_stats(t.c, &count, head), 0);
	}
	tstore_stop(&t); /* and a real close still ends it cleanly */
}

/* Issue 9: upload handles are random, not a counter: the handles in a
 * seized database must not say how many uploads were dropped between two
 * that were kept. */
static void
test_upload_handles_random(void **state)
{
	char path[256];
	struct tstore t;
	uint64_t h[64], big = 0;
	int steps = 0;
	(void)state;

	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	for (int i = 0; i < 64; i++) {
		assert_int_equal(storec_upload_begin(t.c, &h[i]), 0);
		assert_true(h[i] != 0 && h[i] < ((uint64_t)1 << 62));
		for (int j = 0; j < i; j++)
			assert_true(h[j] != h[i]);
		if (i > 0 && (h[i] == h[i - 1] + 1 || h[i] + 1 == h[i - 1]))
			steps++;
		big |= h[i] >> 40;
		assert_int_equal(storec_upload_drop(t.c, h[i]), 0);
	}
	assert_int_equal(steps, 0); /* a counter would give 63 */
	assert_true(big != 0);	    /* the high bits are used */
	tstore_stop(&t);
}

/* Issue 9: the test KDF ("min") only with the explicit test flag, for a
 * new database and for one made with it; read-only opens still work. */
static void
test_weak_kdf_needs_flag(void **state)
{
	char path[256];
	struct store_db *db;
	(void)state;

	newdb(path, sizeof(path));
	unsetenv(STORE_KDF_TEST_ENV);
	assert_non_null(store_kdf_problem());
	assert_int_equal(store_db_open(path, 1, 0, &db, NULL, 0), -1);
	setenv(STORE_KDF_TEST_ENV, "yes", 1); /* only "1" */
	assert_int_equal(store_db_open(path, 1, 0, &db, NULL, 0), -1);
	setenv(STORE_KDF_TEST_ENV, "1", 1);
	assert_null(store_kdf_problem());
	assert_int_equal(store_db_open(path, 1, 0, &db, NULL, 0), 0);
	store_db_close(db);
	/* made with the test limits: not served without the flag */
	unsetenv(STORE_KDF_TEST_ENV);
	unsetenv(STORE_KDF_ENV);
	assert_null(store_kdf_problem());
	assert_int_equal(store_db_open(path, 0, 0, &db, NULL, 0), -1);
	assert_int_equal(store_db_open(path, 0, 1, &db, NULL, 0), 0);
	store_db_close(db);
	setenv(STORE_KDF_ENV, "min", 1);
	setenv(STORE_KDF_TEST_ENV, "1", 1);
}

static int
setup(void **state)
{
	(void)state;
	setenv(STORE_KDF_ENV, "min", 1);
	setenv(STORE_KDF_TEST_ENV, "1", 1);
	return cc_init() == 0 && mkdtemp(dir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[300];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A store that commits and stops before its answer arrives (issue 10): a
 * proxy between client and store forwards everything, and for COMMIT
 * keeps the store's answer and hangs up. The client sees STORE_FAIL_IO
 * (page_commit then says "may have been stored", never "nothing was
 * stored") although the record is stored, whole. */
static void
test_commit_answer_lost(void **state)
{
	char path[256];
	struct tstore t;
	struct store_conn *c;
	struct cc_rcpt_params p;
	struct store_commit sc;
	uint8_t body[1000], link[CC_HASH_BYTES];
	uint64_t seq;
	int pair[2], status;
	pid_t proxy;
	(void)state;

	newdb(path, sizeof(path));
	tstore_start(&t, path, 0, 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair), 0);
	proxy = fork();
	assert_true(proxy >= 0);
	if (proxy == 0) {
		static uint8_t m[STORE_HDR_BYTES + STORE_MSG_MAX];
		close(pair[0]);
		for (;;) {
			ssize_t n = recv(pair[1], m, sizeof(m), 0);
			if (n < STORE_HDR_BYTES || send(t.fd, m, (size_t)n, 0) != n)
				_exit(1);
			int commit = m[0] == STORE_COMMIT;
			if ((n = recv(t.fd, m, sizeof(m), 0)) < STORE_HDR_BYTES)
				_exit(1);
			if (commit)
				_exit(m[0] == STORE_OK ? 0 : 2); /* stored; the answer lost */
			if (send(pair[1], m, (size_t)n, 0) != n)
				_exit(1);
		}
	}
	close(pair[1]);
	assert_int_equal(storec_open(pair[0], &c), 0);
	assert_int_equal(storec_params(c, &p), 0);
	randombytes_buf(body, sizeof(body));
	tstore_concern_commit(&sc, &p, 9);
	sc.nhandles = 1;
	tstore_hdr(body, sizeof(body), CC_KIND_CONCERN, tstore_kid, 1);
	assert_int_equal(storec_upload_begin(c, &sc.handles[0]), 0);
	assert_int_equal(storec_upload_data(c, sc.handles[0], body, sizeof(body)), 0);
	uint64_t got;
	uint8_t hash[CC_HASH_BYTES];
	assert_int_equal(storec_upload_end(c, sc.handles[0], &got, hash), 0);
	assert_int_equal(storec_commit(c, &sc, &seq, link), STORE_FAIL_IO);
	assert_int_equal(waitpid(proxy, &status, 0), proxy);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0); /* the store did answer OK */
	storec_close(c);
	tstore_stop(&t);
	count_rows(path, "records", 1); /* stored, though the client was told nothing */
}

int
main(int argc, char **argv)
{
	(void)argc;
	test_seed_init(argv[0]);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_append_fetch_stats),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_random_datagrams),
	    cmocka_unit_test(test_upload_limit),
	    cmocka_unit_test(test_upload_table_agrees_with_connections),
	    cmocka_unit_test(test_disk_full),
	    cmocka_unit_test(test_commit_fails_cleanly),
	    cmocka_unit_test(test_replies_view),
	    cmocka_unit_test(test_history),
	    cmocka_unit_test(test_threads),
	    cmocka_unit_test(test_wal_bounded),
	    cmocka_unit_test(test_serve_refuses),
	    cmocka_unit_test(test_migrations),
	    cmocka_unit_test(test_recipients_stored),
	    cmocka_unit_test(test_recipients_malformed),
	    cmocka_unit_test(test_view_layout),
	    cmocka_unit_test(test_migration_recipients),
	    cmocka_unit_test(test_migration_copy_in_way),
	    cmocka_unit_test(test_replies_status_append_only),
	    cmocka_unit_test(test_replace_refused),
	    cmocka_unit_test(test_followup_readers),
	    cmocka_unit_test(test_orphans_at_startup),
	    cmocka_unit_test(test_meta_and_hardening),
	    cmocka_unit_test(test_published_yesterday),
	    cmocka_unit_test(test_empty_datagram_badmsg),
	    cmocka_unit_test(test_upload_handles_random),
	    cmocka_unit_test(test_weak_kdf_needs_flag),
	    cmocka_unit_test(test_commit_answer_lost),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
