/*
 * Client side of the store protocol, used by the http process. One
 * request and its reply at a time, under a mutex, so threads can share a
 * connection. Replies are checked as strictly as the store checks
 * requests: a reply of the wrong type or length is STORE_FAIL_IO.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "intake/store_int.h"
#include "util/util.h"

struct store_conn {
	int fd;
	int broken; /* a request or reply failed half-way: stop talking */
	pthread_mutex_t mu;
	uint8_t in[STORE_HDR_BYTES + STORE_MSG_MAX];
};

int
storec_open(int fd, struct store_conn **out)
{
	struct store_conn *c;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return STORE_FAIL_IO;
	if (pthread_mutex_init(&c->mu, NULL) != 0) {
		free(c);
		return STORE_FAIL_IO;
	}
	c->fd = fd;
	*out = c;
	return 0;
}

void
storec_close(struct store_conn *c)
{
	if (c == NULL)
		return;
	close(c->fd);
	pthread_mutex_destroy(&c->mu);
	sodium_memzero(c->in, sizeof(c->in));
	free(c);
}

/* Sends type with body a || b and waits for the reply. Called with the
 * lock held. On STORE_OK, *rb / *rlen point into c->in. */
static int
xact(struct store_conn *c, int type, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
    const uint8_t **rb, size_t *rlen)
{
	uint8_t hdr[STORE_HDR_BYTES] = {(uint8_t)type, 0, 0, 0};
	struct iovec iov[3] = {{hdr, sizeof(hdr)}, {(void *)a, alen}, {(void *)b, blen}};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = 3};
	ssize_t n;
	size_t len;

	if (c->broken || alen + blen > STORE_MSG_MAX)
		return STORE_FAIL_IO;
	sp_put32(hdr + 4, (uint32_t)(alen + blen));
	do
		n = sendmsg(c->fd, &m, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)(sizeof(hdr) + alen + blen))
		goto broken;
	struct iovec riov = {c->in, sizeof(c->in)};
	struct msghdr rm = {.msg_iov = &riov, .msg_iovlen = 1};
	do
		n = recvmsg(c->fd, &rm, 0);
	while (n < 0 && errno == EINTR);
	if (n < STORE_HDR_BYTES || (rm.msg_flags & MSG_TRUNC) || c->in[1] || c->in[2] || c->in[3])
		goto broken;
	len = sp_get32(c->in + 4);
	if ((size_t)n != STORE_HDR_BYTES + len)
		goto broken;
	if (c->in[0] == STORE_FAIL) {
		uint32_t why = len == 4 ? sp_get32(c->in + STORE_HDR_BYTES) : 0;
		return why >= STORE_FAIL_BADMSG && why <= STORE_FAIL_LIMIT ? (int)why
									   : STORE_FAIL_IO;
	}
	if (c->in[0] != STORE_OK)
		goto broken;
	*rb = c->in + STORE_HDR_BYTES;
	*rlen = len;
	return 0;
broken:
	c->broken = 1;
	return STORE_FAIL_IO;
}

/* A request whose OK reply must be exactly want bytes, copied to out. */
static int
call(struct store_conn *c, int type, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
    void *out, size_t want)
{
	const uint8_t *rb;
	size_t rlen;
	int rc;

	pthread_mutex_lock(&c->mu);
	rc = xact(c, type, a, alen, b, blen, &rb, &rlen);
	if (rc == 0 && rlen != want)
		rc = STORE_FAIL_IO;
	if (rc == 0 && want > 0)
		memcpy(out, rb, want);
	pthread_mutex_unlock(&c->mu);
	return rc;
}

int
storec_upload_begin(struct store_conn *c, uint64_t *handle)
{
	uint8_t b[8];
	int rc = call(c, STORE_UPLOAD_BEGIN, NULL, 0, NULL, 0, b, 8);

	if (rc == 0)
		*handle = sp_get64(b);
	return rc;
}

int
storec_upload_data(struct store_conn *c, uint64_t handle, const uint8_t *buf, size_t len)
{
	uint8_t h[8];
	int rc;

	sp_put64(h, handle);
	/* Larger buffers go as several pieces: one piece, one chunk row. */
	while (len > 0) {
		size_t n = len < STORE_CHUNK_MAX ? len : STORE_CHUNK_MAX;
		if ((rc = call(c, STORE_UPLOAD_DATA, h, 8, buf, n, NULL, 0)) != 0)
			return rc;
		buf += n, len -= n;
	}
	return 0;
}

int
storec_upload_end(struct store_conn *c, uint64_t handle, uint64_t *len, uint8_t hash[CC_HASH_BYTES])
{
	uint8_t h[8], b[SP_END_BYTES];
	int rc;

	sp_put64(h, handle);
	if ((rc = call(c, STORE_UPLOAD_END, h, 8, NULL, 0, b, sizeof(b))) != 0)
		return rc;
	*len = sp_get64(b);
	memcpy(hash, b + 8, CC_HASH_BYTES);
	return 0;
}

int
storec_upload_drop(struct store_conn *c, uint64_t handle)
{
	uint8_t h[8];

	sp_put64(h, handle);
	return call(c, STORE_UPLOAD_DROP, h, 8, NULL, 0, NULL, 0);
}

int
storec_commit(
    struct store_conn *c, const struct store_commit *sc, uint64_t *seq, uint8_t link[CC_HASH_BYTES])
{
	uint8_t req[SP_COMMIT_FIXED + 8 * BUNDLE_MAX_ENV], b[SP_COMMIT_REPLY];
	size_t n;
	int rc;

	if ((n = sp_commit_encode(sc, req, sizeof(req))) == 0)
		return STORE_FAIL_BADMSG;
	if ((rc = call(c, STORE_COMMIT, req, n, NULL, 0, b, sizeof(b))) != 0)
		return rc;
	*seq = sp_get64(b);
	memcpy(link, b + 8, CC_HASH_BYTES);
	return 0;
}

int
storec_fetch(struct store_conn *c, const uint8_t lookup[CC_HASH_BYTES], struct store_view *out)
{
	uint8_t b[SP_VIEW_BYTES];
	int rc;

	if ((rc = call(c, STORE_FETCH, lookup, CC_HASH_BYTES, NULL, 0, b, sizeof(b))) != 0)
		return rc;
	return sp_view_decode(b, sizeof(b), out) == 0 ? 0 : STORE_FAIL_IO;
}

/* Fetched in pieces (FETCH_REPLY_AT) so a reply of any allowed size
 * crosses the socket; the total must not change between pieces. */
int
storec_fetch_reply(struct store_conn *c, uint64_t seq, uint32_t i, uint8_t **env, size_t *len)
{
	uint8_t req[SP_FETCH_AT_REQ], *buf = NULL;
	const uint8_t *rb;
	size_t rlen;
	uint64_t off = 0, total = 0;
	int rc = 0;

	*env = NULL, *len = 0;
	sp_put64(req, seq);
	sp_put32(req + 8, i);
	pthread_mutex_lock(&c->mu);
	do {
		sp_put64(req + 12, off);
		if ((rc = xact(c, STORE_FETCH_REPLY_AT, req, sizeof(req), NULL, 0, &rb, &rlen)) !=
		    0)
			break;
		rc = STORE_FAIL_IO;
		if (rlen <= 8 || rlen > 8 + STORE_REPLY_PIECE)
			break;
		if (buf == NULL) {
			total = sp_get64(rb);
			if (total == 0 || total > STORE_REPLY_ENV_MAX ||
			    (buf = malloc(total)) == NULL)
				break;
		}
		if (sp_get64(rb) != total || rlen - 8 > total - off)
			break;
		memcpy(buf + off, rb + 8, rlen - 8);
		off += rlen - 8;
		rc = 0;
	} while (off < total);
	pthread_mutex_unlock(&c->mu);
	if (rc != 0) {
		free(buf);
		return rc;
	}
	*env = buf;
	*len = (size_t)total;
	return 0;
}

/* The store's word, but it reaches a page: every row is checked. */
int
storec_history(struct store_conn *c, uint64_t seq, struct store_event_row *out, size_t cap,
    size_t *n)
{
	uint8_t req[8];
	const uint8_t *rb;
	size_t rlen, got;
	int rc;

	*n = 0;
	sp_put64(req, seq);
	pthread_mutex_lock(&c->mu);
	if ((rc = xact(c, STORE_HISTORY, req, sizeof(req), NULL, 0, &rb, &rlen)) != 0)
		goto out;
	rc = STORE_FAIL_IO;
	if (rlen < 4 || (got = sp_get32(rb)) > STORE_HISTORY_MAX ||
	    rlen != 4 + got * SP_EVENT_BYTES)
		goto out;
	for (size_t i = 0; i < got && i < cap; i++) {
		const uint8_t *e = rb + 4 + i * SP_EVENT_BYTES;
		struct store_event_row *r = &out[i];
		memset(r, 0, sizeof(*r));
		r->kind = e[0];
		r->state = e[1];
		r->outcome = e[2];
		memcpy(r->date, e + 4, 10);
		r->date[10] = '\0';
		r->nfiles = (uint32_t)e[14] | (uint32_t)e[15] << 8;
		r->reply = sp_get32(e + 16);
		if (r->kind > SEV_MESSAGE || e[3] != 0 || !util_date_valid(r->date) ||
		    (r->kind == SEV_STATUS && (r->state < BSTATE_RECEIVED ||
						  r->state > BSTATE_CLOSED || r->outcome > BOUT_NFA)) ||
		    r->nfiles > INTAKE_MAX_ATTACHMENTS)
			goto out;
		*n = i + 1;
	}
	rc = 0;
out:
	pthread_mutex_unlock(&c->mu);
	if (rc != 0)
		*n = 0;
	return rc;
}

int
storec_stats(struct store_conn *c, uint64_t *count, uint8_t head[CC_HASH_BYTES])
{
	uint8_t b[SP_STATS_BYTES];
	int rc;

	if ((rc = call(c, STORE_STATS, NULL, 0, NULL, 0, b, sizeof(b))) != 0)
		return rc;
	*count = sp_get64(b);
	memcpy(head, b + 8, CC_HASH_BYTES);
	return 0;
}

int
storec_published(struct store_conn *c, uint64_t *count, uint8_t head[CC_HASH_BYTES], char date[11])
{
	uint8_t b[SP_PUBLISHED_BYTES];
	int rc;

	if ((rc = call(c, STORE_PUBLISHED, NULL, 0, NULL, 0, b, sizeof(b))) != 0)
		return rc;
	*count = sp_get64(b);
	memcpy(head, b + 8, CC_HASH_BYTES);
	memcpy(date, b + 8 + CC_HASH_BYTES, 10);
	date[10] = '\0';
	/* the store's word, but it reaches a page: a date's shape or nothing */
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? date[i] != '-' : (date[i] < '0' || date[i] > '9'))
			return STORE_FAIL_IO;
	return 0;
}

int
storec_full(struct store_conn *c)
{
	uint8_t b[1];

	if (call(c, STORE_SPACE, NULL, 0, NULL, 0, b, sizeof(b)) != 0 || b[0] > 1)
		return -1;
	return b[0];
}

int
storec_params(struct store_conn *c, struct cc_rcpt_params *out)
{
	uint8_t b[SP_PARAMS_BYTES];
	int rc;

	if ((rc = call(c, STORE_PARAMS, NULL, 0, NULL, 0, b, sizeof(b))) != 0)
		return rc;
	memcpy(out->salt, b, CC_RCPT_SALT_BYTES);
	out->opslimit = sp_get64(b + CC_RCPT_SALT_BYTES);
	out->memlimit = sp_get64(b + CC_RCPT_SALT_BYTES + 8);
	return out->opslimit != 0 && out->memlimit != 0 ? 0 : STORE_FAIL_IO;
}
