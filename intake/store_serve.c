/*
 * The store process: the only holder of intake.db. It answers one framed
 * request at a time on its end of the socketpair (intake.h, "store
 * protocol"). Every datagram is checked - length equal to 8 + the stated
 * body length, body within STORE_MSG_MAX, reserved bytes zero, the exact
 * layout of its type, handles it issued - before anything is acted on;
 * anything else gets STORE_FAIL_BADMSG and changes nothing.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/uio.h>

#include "intake/store_int.h"

enum { U_FREE, U_OPEN, U_ENDED, U_FAILED };

struct upload {
	uint64_t handle;
	int state;
	uint32_t nchunks;
	uint64_t len;
	struct cc_hasher h;
	uint8_t hash[CC_HASH_BYTES];
};

struct srv {
	int fd;
	struct store_db *db;
	/* the published figures and the UTC day they were computed on ("" none) */
	char pub_today[11], pub_date[11];
	uint64_t pub_count;
	uint8_t pub_head[CC_HASH_BYTES];
	struct upload up[STORE_MAX_UPLOADS];
	/* live[i] is up[i].handle while in use, else 0: a compact array to
	 * search (the table is large, its entries are not), up to hi. */
	uint64_t live[STORE_MAX_UPLOADS];
	size_t hi;
	/* every live[i] below lo is in use: do_begin starts its search for a
	 * free slot there (from 0 each time, filling the table cost ~570
	 * million reads, a quarter of test_store's CPU) */
	size_t lo;
	uint8_t in[STORE_HDR_BYTES + STORE_MSG_MAX];
};

static int
reply(struct srv *s, int type, const uint8_t *body, size_t len)
{
	uint8_t hdr[STORE_HDR_BYTES] = {(uint8_t)type, 0, 0, 0};
	struct iovec iov[2] = {{hdr, sizeof(hdr)}, {(void *)body, len}};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = len > 0 ? 2 : 1};
	ssize_t n;

	sp_put32(hdr + 4, (uint32_t)len);
	do
		n = sendmsg(s->fd, &m, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)(sizeof(hdr) + len) ? 0 : -1;
}

static int
fail(struct srv *s, uint32_t why)
{
	uint8_t b[4];

	sp_put32(b, why);
	return reply(s, STORE_FAIL, b, sizeof(b));
}

static struct upload *
find(struct srv *s, uint64_t handle)
{
	if (handle == 0)
		return NULL;
	for (size_t i = 0; i < s->hi; i++)
		if (s->live[i] == handle)
			return &s->up[i];
	return NULL;
}

static void
release(struct srv *s, struct upload *u)
{
	size_t i = (size_t)(u - s->up);

	sodium_memzero(u, sizeof(*u));
	u->state = U_FREE;
	s->live[i] = 0;
	if (i < s->lo)
		s->lo = i;
	while (s->hi > 0 && s->live[s->hi - 1] == 0)
		s->hi--;
}

/* 1 when the file system holding the database has less free space than
 * the floor: new uploads and commits are refused (STORE_FAIL_FULL) so the
 * disk never fills, and the transparency page can say so. A file system
 * that cannot be asked counts as full. */
static int
below_floor(const struct store_db *db)
{
	struct statvfs v;

	if (db->min_free == 0 || db->space_path == NULL)
		return 0;
	if (statvfs(db->space_path, &v) != 0)
		return 1;
	return (uint64_t)v.f_bavail * v.f_frsize < db->min_free;
}

/* A fresh upload handle: random (62 bits, never 0), so that the handles
 * in a seized database do not count the uploads that were dropped; not
 * one in use here or stored. 0 on a storage error. */
static uint64_t
new_handle(struct srv *s)
{
	uint64_t h;
	int used;

	do {
		randombytes_buf(&h, sizeof(h));
		h &= ((uint64_t)1 << 62) - 1;
		used = h == 0 || find(s, h) != NULL ? 1 : store_db_upload_used(s->db, h);
	} while (used == 1);
	return used == 0 ? h : 0;
}

static int
do_begin(struct srv *s, size_t len)
{
	uint8_t b[8];

	if (len != 0)
		return fail(s, STORE_FAIL_BADMSG);
	if (below_floor(s->db))
		return fail(s, STORE_FAIL_FULL);
	for (size_t i = s->lo; i < STORE_MAX_UPLOADS; i++) {
		struct upload *u = &s->up[i];
		if (s->live[i] != 0)
			continue;
		if ((u->handle = new_handle(s)) == 0)
			return fail(s, STORE_FAIL_STORAGE);
		s->live[i] = u->handle;
		s->lo = i + 1;
		if (i >= s->hi)
			s->hi = i + 1;
		u->state = U_OPEN;
		u->nchunks = 0;
		u->len = 0;
		cc_hasher_init(&u->h);
		sp_put64(b, u->handle);
		return reply(s, STORE_OK, b, 8);
	}
	return fail(s, STORE_FAIL_LIMIT);
}

static int
do_space(struct srv *s, size_t len)
{
	uint8_t b[1];

	if (len != 0)
		return fail(s, STORE_FAIL_BADMSG);
	b[0] = (uint8_t)below_floor(s->db);
	return reply(s, STORE_OK, b, sizeof(b));
}

static int
do_data(struct srv *s, const uint8_t *body, size_t len)
{
	struct upload *u;
	size_t n = len - 8;

	if (len < 8 + 1 || len > 8 + STORE_CHUNK_MAX || (u = find(s, sp_get64(body))) == NULL ||
	    (u->state != U_OPEN && u->state != U_FAILED))
		return fail(s, STORE_FAIL_BADMSG);
	if (u->state == U_FAILED)
		return fail(s, STORE_FAIL_STORAGE);
	if (n > CC_ENV_MAX_BYTES - u->len || u->nchunks == UINT32_MAX) {
		(void)store_db_chunks_drop(s->db, u->handle);
		u->state = U_FAILED;
		return fail(s, STORE_FAIL_LIMIT);
	}
	if (below_floor(s->db)) {
		(void)store_db_chunks_drop(s->db, u->handle);
		u->state = U_FAILED;
		return fail(s, STORE_FAIL_FULL);
	}
	if (store_db_chunk_put(s->db, u->handle, u->nchunks, body + 8, n) != 0) {
		/* Disk full or I/O: give the space back; the upload is dead. */
		(void)store_db_chunks_drop(s->db, u->handle);
		u->state = U_FAILED;
		return fail(s, STORE_FAIL_STORAGE);
	}
	cc_hasher_update(&u->h, body + 8, n);
	u->nchunks++;
	u->len += n;
	return reply(s, STORE_OK, NULL, 0);
}

static int
do_end(struct srv *s, const uint8_t *body, size_t len)
{
	struct upload *u;
	uint8_t b[SP_END_BYTES];

	if (len != 8 || (u = find(s, sp_get64(body))) == NULL || u->state == U_ENDED)
		return fail(s, STORE_FAIL_BADMSG);
	if (u->state == U_FAILED)
		return fail(s, STORE_FAIL_STORAGE);
	cc_hasher_final(&u->h, u->hash);
	u->state = U_ENDED;
	sp_put64(b, u->len);
	memcpy(b + 8, u->hash, CC_HASH_BYTES);
	return reply(s, STORE_OK, b, sizeof(b));
}

static int
do_drop(struct srv *s, const uint8_t *body, size_t len)
{
	struct upload *u;

	if (len != 8 || (u = find(s, sp_get64(body))) == NULL)
		return fail(s, STORE_FAIL_BADMSG);
	if (store_db_chunks_drop(s->db, u->handle) != 0) {
		/* Left for the start-up sweep; the handle is gone either way. */
		release(s, u);
		return fail(s, STORE_FAIL_STORAGE);
	}
	release(s, u);
	return reply(s, STORE_OK, NULL, 0);
}

/* Key ids of a staged envelope, from its public header at the start of the
 * upload. BADMSG unless the header is whole, of the kind given and names
 * each key id once. */
static int
env_recipients(struct srv *s, uint64_t upload, int want, uint8_t ids[][CC_KEYID_BYTES], size_t *n)
{
	uint8_t hdr[CC_ENV_MAX_HEADER];
	size_t len;
	int kind;

	*n = 0;
	if (store_db_env_head(s->db, upload, hdr, sizeof(hdr), &len) != 0)
		return STORE_FAIL_STORAGE;
	if (cc_env_recipients(hdr, len, ids, n, &kind) != CC_OK || kind != want)
		goto bad;
	for (size_t i = 0; i < *n; i++)
		for (size_t j = 0; j < i; j++)
			if (sodium_memcmp(ids[i], ids[j], CC_KEYID_BYTES) == 0)
				goto bad;
	return 0;
bad:
	*n = 0;
	return STORE_FAIL_BADMSG;
}

/* A follow-up may be sealed only to reviewers its concern was sealed to:
 * every envelope (message, then attachments) names a subset of the
 * concern's stored key ids. A concern from before the store kept lists
 * has none, and its follow-ups are not checked. */
static int
followup_readers_ok(struct srv *s, uint64_t parent, const struct store_env_in *env, uint32_t n)
{
	uint8_t allowed[CC_MAX_RECIPIENTS][CC_KEYID_BYTES], ids[CC_MAX_RECIPIENTS][CC_KEYID_BYTES];
	size_t na, ni;
	int rc;

	if (store_db_recipients(s->db, parent, allowed, &na) != 0)
		return STORE_FAIL_STORAGE;
	for (uint32_t i = 0; na > 0 && i < n; i++) {
		rc = env_recipients(
		    s, env[i].upload, i == 0 ? CC_KIND_MESSAGE : CC_KIND_ATTACHMENT, ids, &ni);
		if (rc != 0)
			return rc;
		for (size_t k = 0; k < ni; k++) {
			size_t j = 0;
			while (j < na && sodium_memcmp(ids[k], allowed[j], CC_KEYID_BYTES) != 0)
				j++;
			if (j == na)
				return STORE_FAIL_BADMSG; /* someone the reporter left out */
		}
	}
	return 0;
}

static int
do_commit(struct srv *s, const uint8_t *body, size_t len)
{
	struct sp_commit c;
	struct store_env_in env[BUNDLE_MAX_ENV];
	struct upload *u[BUNDLE_MAX_ENV];
	uint8_t b[SP_COMMIT_REPLY], link[CC_HASH_BYTES];
	uint8_t ids[CC_MAX_RECIPIENTS][CC_KEYID_BYTES];
	size_t nids = 0;
	uint64_t parent = 0, seq, other;
	int rc;

	if (sp_commit_decode(body, len, &c) != 0 || c.nhandles < 1) /* decode checks it too */
		return fail(s, STORE_FAIL_BADMSG);
	if (below_floor(s->db))
		return fail(s, STORE_FAIL_FULL);
	for (uint32_t i = 0; i < c.nhandles; i++) {
		if ((u[i] = find(s, c.handles[i])) == NULL ||
		    (u[i]->state != U_ENDED && u[i]->state != U_FAILED))
			return fail(s, STORE_FAIL_BADMSG);
		if (u[i]->state == U_FAILED)
			return fail(s, STORE_FAIL_STORAGE);
		env[i].upload = u[i]->handle;
		env[i].len = u[i]->len;
		memcpy(env[i].hash, u[i]->hash, CC_HASH_BYTES);
	}
	if (c.kind == BREC_CONCERN) {
		/* The http process may not pick weaker receipt parameters. */
		if (c.rcpt_ops != s->db->params.opslimit || c.rcpt_mem != s->db->params.memlimit)
			return fail(s, STORE_FAIL_BADMSG);
		if ((rc = store_db_find(s->db, c.lookup, &other)) != STORE_FAIL_NOTFOUND)
			return fail(s, rc == 0 ? STORE_FAIL_BADMSG : STORE_FAIL_STORAGE);
		/* Whom it is sealed to, kept so follow-ups go to the same readers. */
		if ((rc = env_recipients(s, env[0].upload, CC_KIND_CONCERN, ids, &nids)) != 0)
			return fail(s, (uint32_t)rc);
	} else if ((rc = store_db_find(s->db, c.parent_lookup, &parent)) != 0 ||
		   (rc = followup_readers_ok(s, parent, env, c.nhandles)) != 0) {
		return fail(s, (uint32_t)rc);
	}
	if ((rc = store_db_append(s->db, &c, parent, env, ids, nids, &seq, link)) != 0)
		return fail(s, (uint32_t)rc);
	for (uint32_t i = 0; i < c.nhandles; i++)
		release(s, u[i]);
	sp_put64(b, seq);
	memcpy(b + 8, link, CC_HASH_BYTES);
	return reply(s, STORE_OK, b, sizeof(b));
}

static int
do_fetch(struct srv *s, const uint8_t *body, size_t len)
{
	struct store_view v;
	uint8_t b[SP_VIEW_BYTES];
	int rc;

	if (len != CC_HASH_BYTES)
		return fail(s, STORE_FAIL_BADMSG);
	if ((rc = store_db_view(s->db, body, &v)) != 0)
		return fail(s, (uint32_t)rc);
	sp_view_encode(&v, b);
	return reply(s, STORE_OK, b, sizeof(b));
}

/* The whole reply in one answer: only for replies that fit one message. */
static int
do_fetch_reply(struct srv *s, const uint8_t *body, size_t len)
{
	uint8_t *buf;
	size_t n;
	uint64_t total;
	int rc;

	if (len != SP_FETCH_REPLY_REQ)
		return fail(s, STORE_FAIL_BADMSG);
	if ((buf = malloc(STORE_MSG_MAX)) == NULL)
		return fail(s, STORE_FAIL_STORAGE);
	rc = store_db_reply_at(
	    s->db, sp_get64(body), sp_get32(body + 8), 0, buf, STORE_MSG_MAX, &n, &total);
	if (rc == 0 && total > n)
		rc = STORE_FAIL_LIMIT; /* use FETCH_REPLY_AT */
	rc = rc == 0 ? reply(s, STORE_OK, buf, n) : fail(s, (uint32_t)rc);
	free(buf);
	return rc;
}

static int
do_fetch_reply_at(struct srv *s, const uint8_t *body, size_t len)
{
	uint8_t *buf;
	size_t n;
	uint64_t total;
	int rc;

	if (len != SP_FETCH_AT_REQ)
		return fail(s, STORE_FAIL_BADMSG);
	if ((buf = malloc(8 + STORE_REPLY_PIECE)) == NULL)
		return fail(s, STORE_FAIL_STORAGE);
	rc = store_db_reply_at(s->db, sp_get64(body), sp_get32(body + 8), sp_get64(body + 12),
	    buf + 8, STORE_REPLY_PIECE, &n, &total);
	if (rc == 0) {
		sp_put64(buf, total);
		rc = reply(s, STORE_OK, buf, 8 + n);
	} else {
		rc = fail(s, (uint32_t)rc);
	}
	free(buf);
	return rc;
}

static int
do_history(struct srv *s, const uint8_t *body, size_t len)
{
	struct store_event_row *rows;
	uint8_t *b;
	size_t n;
	int rc;

	if (len != 8 || sp_get64(body) == 0)
		return fail(s, STORE_FAIL_BADMSG);
	rows = calloc(STORE_HISTORY_MAX, sizeof(*rows));
	b = malloc(4 + (size_t)STORE_HISTORY_MAX * SP_EVENT_BYTES);
	if (rows == NULL || b == NULL) {
		rc = fail(s, STORE_FAIL_STORAGE);
		goto out;
	}
	if ((rc = store_db_history(s->db, sp_get64(body), rows, STORE_HISTORY_MAX, &n)) != 0) {
		rc = fail(s, (uint32_t)rc);
		goto out;
	}
	sp_put32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		uint8_t *e = b + 4 + i * SP_EVENT_BYTES;
		e[0] = rows[i].kind;
		e[1] = rows[i].state;
		e[2] = rows[i].outcome;
		e[3] = 0;
		memcpy(e + 4, rows[i].date, 10);
		e[14] = (uint8_t)(rows[i].nfiles & 0xff);
		e[15] = (uint8_t)(rows[i].nfiles >> 8);
		sp_put32(e + 16, rows[i].reply);
	}
	rc = reply(s, STORE_OK, b, 4 + n * SP_EVENT_BYTES);
out:
	free(rows);
	free(b);
	return rc;
}

static int
do_stats(struct srv *s, size_t len)
{
	uint8_t b[SP_STATS_BYTES];

	if (len != 0)
		return fail(s, STORE_FAIL_BADMSG);
	sp_put64(b, s->db->count);
	memcpy(b + 8, s->db->head, CC_HASH_BYTES);
	return reply(s, STORE_OK, b, sizeof(b));
}

/* Computed once a UTC day, on the first request of the day: what the
 * transparency page shows must not move when a record commits, or it would
 * date each submission to the second. */
static int
do_published(struct srv *s, size_t len)
{
	uint8_t b[SP_PUBLISHED_BYTES];
	char today[11], before[11];

	if (len != 0)
		return fail(s, STORE_FAIL_BADMSG);
	if (store_published_days(today, before) != 0)
		return fail(s, STORE_FAIL_STORAGE);
	if (strcmp(today, s->pub_today) != 0) {
		if (store_db_published(s->db, today, &s->pub_count, s->pub_head) != 0)
			return fail(s, STORE_FAIL_STORAGE);
		memcpy(s->pub_today, today, sizeof(today));
		memcpy(s->pub_date, before, sizeof(before));
	}
	sp_put64(b, s->pub_count);
	memcpy(b + 8, s->pub_head, CC_HASH_BYTES);
	memcpy(b + 8 + CC_HASH_BYTES, s->pub_date, 10);
	return reply(s, STORE_OK, b, sizeof(b));
}

static int
do_params(struct srv *s, size_t len)
{
	uint8_t b[SP_PARAMS_BYTES];

	if (len != 0)
		return fail(s, STORE_FAIL_BADMSG);
	memcpy(b, s->db->params.salt, CC_RCPT_SALT_BYTES);
	sp_put64(b + CC_RCPT_SALT_BYTES, s->db->params.opslimit);
	sp_put64(b + CC_RCPT_SALT_BYTES + 8, s->db->params.memlimit);
	return reply(s, STORE_OK, b, sizeof(b));
}

static int
dispatch(struct srv *s, size_t n, int truncated)
{
	const uint8_t *h = s->in, *body = s->in + STORE_HDR_BYTES;
	size_t len;

	if (truncated || n < STORE_HDR_BYTES || h[1] != 0 || h[2] != 0 || h[3] != 0)
		return fail(s, STORE_FAIL_BADMSG);
	len = sp_get32(h + 4);
	if (len > STORE_MSG_MAX || n != STORE_HDR_BYTES + len)
		return fail(s, STORE_FAIL_BADMSG);
	switch (h[0]) {
	case STORE_UPLOAD_BEGIN:
		return do_begin(s, len);
	case STORE_UPLOAD_DATA:
		return do_data(s, body, len);
	case STORE_UPLOAD_END:
		return do_end(s, body, len);
	case STORE_UPLOAD_DROP:
		return do_drop(s, body, len);
	case STORE_COMMIT:
		return do_commit(s, body, len);
	case STORE_FETCH:
		return do_fetch(s, body, len);
	case STORE_FETCH_REPLY:
		return do_fetch_reply(s, body, len);
	case STORE_FETCH_REPLY_AT:
		return do_fetch_reply_at(s, body, len);
	case STORE_SPACE:
		return do_space(s, len);
	case STORE_STATS:
		return do_stats(s, len);
	case STORE_PARAMS:
		return do_params(s, len);
	case STORE_PUBLISHED:
		return do_published(s, len);
	case STORE_HISTORY:
		return do_history(s, body, len);
	default:
		return fail(s, STORE_FAIL_BADMSG);
	}
}

/* Checkpoints run here, between requests, instead of inside the commit
 * that happens to cross the threshold: a reporter's commit never waits for
 * the copy of the log into the database while the store is idle. */
static int
wal_hook(void *ctx, sqlite3 *db, const char *name, int pages)
{
	(void)db;
	(void)name;
	((struct store_db *)ctx)->wal_pages = pages;
	return SQLITE_OK;
}

static void
maybe_checkpoint(int fd, struct store_db *db)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	if (db->wal_pages < STORE_CKPT_PAGES)
		return;
	if (db->wal_pages < STORE_CKPT_FORCE && poll(&p, 1, 0) != 0)
		return; /* a request is waiting: serve it first */
	(void)sqlite3_wal_checkpoint_v2(db->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	db->wal_pages = 0;
}

/* 1 if the other end of the socket is gone. On a SOCK_SEQPACKET socket
 * recvmsg returns 0 both at the end and for a zero-length datagram; only
 * the end sets POLLHUP. */
static int
peer_closed(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, 0) < 0 || (p.revents & (POLLHUP | POLLERR)) != 0;
}

int
store_loop(int fd, struct store_db *db)
{
	struct srv *s;
	int rc = -1;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	s->fd = fd;
	s->db = db;
	sqlite3_wal_hook(db->db, wal_hook, db); /* replaces the automatic checkpoint */
	for (;;) {
		struct iovec iov = {s->in, sizeof(s->in)};
		maybe_checkpoint(fd, db);
		struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
		ssize_t n = recvmsg(fd, &m, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 && peer_closed(fd)) {
			rc = 0; /* the other side closed: clean stop */
			break;
		}
		/* n == 0 with the peer still there: a zero-length datagram,
		 * malformed like any other short one (dispatch says BADMSG) */
		if (n < 0 || dispatch(s, (size_t)n, (m.msg_flags & MSG_TRUNC) != 0) != 0)
			break;
	}
	/* Uploads never committed: their chunks go now (and at start-up). */
	(void)store_db_orphans_drop(db);
	sodium_memzero(s->in, sizeof(s->in));
	free(s);
	return rc;
}

int
store_serve(int fd, const char *dbpath, uint64_t min_free)
{
	return store_serve_ready(fd, dbpath, min_free, -1);
}

int
store_serve_ready(int fd, const char *dbpath, uint64_t min_free, int ready_fd)
{
	struct store_db *db;
	char why[128] = "";
	int rc;

	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	/* serve says "see its message above": each failure here has one */
	if (store_db_open(dbpath, 1, 0, &db, why, sizeof(why)) != 0) {
		SCLI_FAIL("serve", "cli.in.serve.store_db", dbpath,
		    why[0] ? cli_phrase(why) : CLI_T("cli.why.db_open"));
		return -1;
	}
	db->relaxed = 1;
	db->min_free = min_free;
	db->space_path = dbpath;
	if (store_db_exec(db, "PRAGMA synchronous = NORMAL") != 0) {
		SCLI_FAIL("serve", "cli.in.serve.store_db", dbpath, CLI_T("cli.in.serve.store_setup"));
		store_db_close(db);
		return -1;
	}
	/* Uploads a crash left unfinished go now. On a full disk even the
	 * delete cannot be written: serve on (follow-ups still read, new
	 * uploads get their 503) and drop them at a later start; nothing
	 * refers to them. */
	if (store_db_orphans_drop(db) != 0)
		SCLI_NOTE("serve", "cli.in.serve.store_orphans");
	if (ready_fd >= 0) {
		char r = 'R';
		if (write(ready_fd, &r, 1) != 1)
			r = 0; /* serve sees the pipe close: a failed start */
		close(ready_fd);
	}
	rc = store_loop(fd, db);
	store_db_close(db);
	return rc;
}
