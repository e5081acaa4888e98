/*
 * Follow-up sessions, in memory only: a random id (the cookie) maps to the
 * lookup and the reporter key derived from the receipt, so replies can be
 * read for 15 minutes without deriving again. The table lives in one
 * sodium_malloc'd block (guarded, locked, never swapped or dumped); a slot
 * is wiped when it expires, when it is dropped ("leave"), when the same
 * receipt starts a new session, when a full table gives it to a newer one,
 * and at exit.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium/randombytes.h>
#include <sodium/utils.h>

#include "intake/http.h"
#include "util/util.h"

#define SESSION_ID_BYTES 32

struct slot {
	uint8_t idhash[CC_HASH_BYTES]; /* BLAKE2b of the id: compared, not the id */
	uint64_t expires;	       /* monotonic seconds; 0 = free */
	struct session_data d;
};

struct sessions {
	pthread_mutex_t mu;
	struct slot *s; /* sodium_malloc'd, HTTP_SESSION_MAX slots */
};

int
sessions_new(struct sessions **out)
{
	struct sessions *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (t == NULL)
		return -1;
	if ((t->s = sodium_malloc(sizeof(struct slot) * HTTP_SESSION_MAX)) == NULL) {
		free(t);
		return -1;
	}
	sodium_memzero(t->s, sizeof(struct slot) * HTTP_SESSION_MAX);
	pthread_mutex_init(&t->mu, NULL);
	*out = t;
	return 0;
}

void
sessions_free(struct sessions *t)
{
	if (t == NULL)
		return;
	sodium_free(t->s); /* wipes */
	pthread_mutex_destroy(&t->mu);
	free(t);
}

/* Caller holds mu. */
static void
expire(struct sessions *t, uint64_t now_s)
{
	for (size_t i = 0; i < HTTP_SESSION_MAX; i++)
		if (t->s[i].expires != 0 && t->s[i].expires <= now_s)
			sodium_memzero(&t->s[i], sizeof(t->s[i]));
}

static int
id_hash(const char *id, size_t len, uint8_t out[CC_HASH_BYTES])
{
	uint8_t raw[SESSION_ID_BYTES];
	char hex[SESSION_ID_HEX + 1];

	if (id == NULL || len != SESSION_ID_HEX)
		return -1;
	memcpy(hex, id, SESSION_ID_HEX);
	hex[SESSION_ID_HEX] = '\0';
	if (util_unhex(hex, raw, sizeof(raw)) != 0)
		return -1;
	cc_hash(raw, sizeof(raw), out);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

int
session_create(
    struct sessions *t, const struct session_data *d, uint64_t now_s, char id[SESSION_ID_HEX + 1])
{
	uint8_t raw[SESSION_ID_BYTES];
	int r = -1;

	pthread_mutex_lock(&t->mu);
	expire(t, now_s);
	/* One session per receipt: a new one replaces the old, so entering
	 * one receipt again and again cannot fill the table for everyone. */
	for (size_t i = 0; i < HTTP_SESSION_MAX; i++)
		if (t->s[i].expires != 0 &&
		    sodium_memcmp(t->s[i].d.lookup, d->lookup, CC_HASH_BYTES) == 0)
			sodium_memzero(&t->s[i], sizeof(t->s[i]));
	/* A free slot, else the oldest session (every session lives the same
	 * TTL, so the earliest expiry is the oldest): a stockpile of receipts
	 * entered one after another then shortens other sessions instead of
	 * locking out the newest reporter. */
	size_t pick = 0;
	for (size_t i = 0; i < HTTP_SESSION_MAX; i++) {
		if (t->s[i].expires == 0) {
			pick = i;
			break;
		}
		if (t->s[i].expires < t->s[pick].expires)
			pick = i;
	}
	sodium_memzero(&t->s[pick], sizeof(t->s[pick]));
	randombytes_buf(raw, sizeof(raw));
	util_hex(raw, sizeof(raw), id);
	cc_hash(raw, sizeof(raw), t->s[pick].idhash);
	t->s[pick].d = *d;
	t->s[pick].expires = now_s + HTTP_SESSION_TTL;
	r = 0;
	pthread_mutex_unlock(&t->mu);
	sodium_memzero(raw, sizeof(raw));
	return r;
}

int
session_get(
    struct sessions *t, const char *id, size_t idlen, uint64_t now_s, struct session_data *out)
{
	uint8_t h[CC_HASH_BYTES];
	int r = -1;

	if (id_hash(id, idlen, h) != 0)
		return -1;
	pthread_mutex_lock(&t->mu);
	expire(t, now_s);
	for (size_t i = 0; i < HTTP_SESSION_MAX; i++) {
		if (t->s[i].expires != 0 && sodium_memcmp(t->s[i].idhash, h, sizeof(h)) == 0) {
			*out = t->s[i].d;
			r = 0;
			break;
		}
	}
	pthread_mutex_unlock(&t->mu);
	return r;
}

void
session_drop(struct sessions *t, const char *id, size_t idlen)
{
	uint8_t h[CC_HASH_BYTES];

	if (id_hash(id, idlen, h) != 0)
		return;
	pthread_mutex_lock(&t->mu);
	for (size_t i = 0; i < HTTP_SESSION_MAX; i++)
		if (t->s[i].expires != 0 && sodium_memcmp(t->s[i].idhash, h, sizeof(h)) == 0)
			sodium_memzero(&t->s[i], sizeof(t->s[i]));
	pthread_mutex_unlock(&t->mu);
}

size_t
session_count(struct sessions *t, uint64_t now_s)
{
	size_t n = 0;
	pthread_mutex_lock(&t->mu);
	expire(t, now_s);
	for (size_t i = 0; i < HTTP_SESSION_MAX; i++)
		n += t->s[i].expires != 0;
	pthread_mutex_unlock(&t->mu);
	return n;
}
