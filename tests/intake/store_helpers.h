/* Shared by the store and export tests: a store process on a socketpair
 * and a few ways to feed it. */
#ifndef CANDOUR_TEST_STORE_HELPERS_H
#define CANDOUR_TEST_STORE_HELPERS_H

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "intake/store_int.h"

struct tstore {
	pid_t pid;
	int fd;		      /* the client end, raw */
	struct store_conn *c; /* storec over fd (owns it) */
};

/* Forks store_serve(path) (or store_loop on a prepared db when pages > 0:
 * the db is limited to that many pages, to make the disk "full"). */
static inline void
tstore_start(struct tstore *t, const char *path, long pages, int busy_ms)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	t->pid = fork();
	assert_true(t->pid >= 0);
	if (t->pid == 0) {
		close(sv[0]);
		if (pages == 0 && busy_ms == 0)
			_exit(store_serve(sv[1], path, 0) == 0 ? 0 : 1);
		struct store_db *db;
		char sql[64];
		if (store_db_open(path, 1, 0, &db, NULL, 0) != 0)
			_exit(2);
		db->relaxed = 1;
		if (pages > 0) {
			snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %ld", pages);
			if (store_db_exec(db, sql) != 0)
				_exit(3);
		}
		if (busy_ms > 0)
			sqlite3_busy_timeout(db->db, busy_ms);
		int rc = store_loop(sv[1], db);
		store_db_close(db);
		_exit(rc == 0 ? 0 : 1);
	}
	close(sv[1]);
	t->fd = sv[0];
	assert_int_equal(storec_open(sv[0], &t->c), 0);
}

/* Closes the connection; the store must then exit cleanly. */
static inline void
tstore_stop(struct tstore *t)
{
	int status;

	storec_close(t->c);
	assert_int_equal(waitpid(t->pid, &status, 0), t->pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* One upload of len bytes (value v); returns its handle. */
static inline uint64_t
tstore_upload(struct tstore *t, const uint8_t *buf, size_t len)
{
	uint64_t h, got;
	uint8_t hash[CC_HASH_BYTES], want[CC_HASH_BYTES];

	assert_int_equal(storec_upload_begin(t->c, &h), 0);
	assert_int_equal(storec_upload_data(t->c, h, buf, len), 0);
	assert_int_equal(storec_upload_end(t->c, h, &got, hash), 0);
	assert_int_equal(got, len);
	cc_hash(buf, len, want);
	assert_memory_equal(hash, want, CC_HASH_BYTES);
	return h;
}

/* The public envelope header (SECURITY.md, "Envelope"), built by hand so
 * that tests can also break it: "CDEN" | 1 | kind | n | 0 | u32le 16384 |
 * n x (keyid[8] | sealed key[80]) | secretstream header[24]. */
#define THDR_FIXED 12
#define THDR_ENTRY 88
#define THDR_LEN(n) (THDR_FIXED + (size_t)(n)*THDR_ENTRY + 24)

/* Writes a header naming ids[0..n) at the start of buf (len >= THDR_LEN(n));
 * the rest of buf is left as it is. Returns the header's length. */
static inline size_t
tstore_hdr(uint8_t *buf, size_t len, int kind, const uint8_t (*ids)[CC_KEYID_BYTES], size_t n)
{
	assert_true(len >= THDR_LEN(n));
	memcpy(buf, "CDEN", 4);
	buf[4] = 1;
	buf[5] = (uint8_t)kind;
	buf[6] = (uint8_t)n;
	buf[7] = 0;
	sp_put32(buf + 8, CC_CHUNK_BYTES);
	for (size_t i = 0; i < n; i++) {
		memcpy(buf + THDR_FIXED + i * THDR_ENTRY, ids[i], CC_KEYID_BYTES);
		randombytes_buf(buf + THDR_FIXED + i * THDR_ENTRY + CC_KEYID_BYTES, 80);
	}
	randombytes_buf(buf + THDR_FIXED + n * THDR_ENTRY, 24);
	return THDR_LEN(n);
}

/* The key id every concern body of tstore_body names. */
static const uint8_t tstore_kid[1][CC_KEYID_BYTES] = {{0xA1, 1, 2, 3, 4, 5, 6, 7}};

/* A concern body of len bytes: a header naming tstore_kid, then buf's own
 * bytes (buf is changed in place, so hashes of it stay right). */
static inline uint64_t
tstore_body(struct tstore *t, uint8_t *buf, size_t len)
{
	tstore_hdr(buf, len, CC_KIND_CONCERN, tstore_kid, 1);
	return tstore_upload(t, buf, len);
}

/* An envelope of len bytes whose header is of kind and names ids[0..n). */
static inline uint64_t
tstore_env(struct tstore *t, uint8_t *buf, size_t len, int kind,
    const uint8_t (*ids)[CC_KEYID_BYTES], size_t n)
{
	tstore_hdr(buf, len, kind, ids, n);
	return tstore_upload(t, buf, len);
}

static inline void
tstore_concern_commit(struct store_commit *sc, const struct cc_rcpt_params *p, uint8_t tag)
{
	memset(sc, 0, sizeof(*sc));
	memset(sc->reporter_pk, tag, CC_BOX_PK);
	memset(sc->lookup, tag + 1, CC_HASH_BYTES);
	sc->rcpt_ops = p->opslimit;
	sc->rcpt_mem = p->memlimit;
}

#endif
