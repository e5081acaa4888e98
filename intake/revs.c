/*
 * The reviewers' public keys in the http process, and the message that
 * brings a new set after SIGHUP. serve's parent re-reads --keys (it is the
 * only process that can still open files), checks the set as at start and
 * sends it here over its own socketpair; the http process parses it again
 * rather than trust a byte layout, then swaps it in under a lock. Every
 * request works on a copy taken when it starts: a concern is sealed to the
 * reviewers its form showed or to none (an id no longer held is refused).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <sodium/utils.h>

#include "intake/http.h"

#define REVS_MAGIC "CDRV"

int
revs_encode(const struct cc_pubkey *k, size_t n, uint8_t *buf, size_t cap)
{
	char line[CC_PUBFILE_MAX];
	size_t off = 5;

	if (n == 0 || n > INTAKE_MAX_REVIEWERS || cap < off)
		return -1;
	memcpy(buf, REVS_MAGIC, 4);
	buf[4] = (uint8_t)n;
	for (size_t i = 0; i < n; i++) {
		if (cc_pubkey_format(&k[i], line, sizeof(line)) != CC_OK)
			return -1;
		size_t l = strlen(line);
		if (off + 2 + l > cap)
			return -1;
		buf[off] = (uint8_t)(l & 0xff);
		buf[off + 1] = (uint8_t)(l >> 8);
		memcpy(buf + off + 2, line, l);
		off += 2 + l;
	}
	return (int)off;
}

int
revs_decode(const uint8_t *buf, size_t len, struct revset *out)
{
	struct revset rs;
	size_t off = 5;

	if (len < 5 || len > REVS_WIRE_MAX || memcmp(buf, REVS_MAGIC, 4) != 0 || buf[4] == 0 ||
	    buf[4] > INTAKE_MAX_REVIEWERS)
		return -1;
	memset(&rs, 0, sizeof(rs));
	for (size_t i = 0; i < buf[4]; i++) {
		if (len - off < 2)
			return -1;
		size_t l = (size_t)buf[off] | (size_t)buf[off + 1] << 8;
		off += 2;
		if (l == 0 || l > CC_PUBFILE_MAX || len - off < l ||
		    cc_pubkey_parse((const char *)buf + off, l, &rs.k[i]) != CC_OK)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (sodium_memcmp(rs.k[j].keyid, rs.k[i].keyid, CC_KEYID_BYTES) == 0)
				return -1;
		off += l;
		rs.n = i + 1;
	}
	if (off != len)
		return -1;
	*out = rs;
	return 0;
}

void
http_revs_get(struct http_app *app, struct revset *out)
{
	pthread_mutex_lock(&app->revs_mu);
	*out = app->revs;
	pthread_mutex_unlock(&app->revs_mu);
}

void
http_revs_set(struct http_app *app, const struct revset *rs)
{
	pthread_mutex_lock(&app->revs_mu);
	app->revs = *rs;
	app->revs_gen++;
	pthread_mutex_unlock(&app->revs_mu);
}

uint64_t
http_revs_gen(struct http_app *app)
{
	pthread_mutex_lock(&app->revs_mu);
	uint64_t g = app->revs_gen;
	pthread_mutex_unlock(&app->revs_mu);
	return g;
}

int
http_revs_reload(struct http_app *app, int fd)
{
	static uint8_t buf[REVS_WIRE_MAX + 1]; /* the main thread only */
	struct revset rs;
	ssize_t n;

	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -2;
	if (n == 0)
		return -2; /* serve's end closed: it is stopping */
	if ((size_t)n > REVS_WIRE_MAX || revs_decode(buf, (size_t)n, &rs) != 0)
		return -1;
	http_revs_set(app, &rs);
	return 1;
}
