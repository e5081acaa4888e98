/*
 * Limits that track nobody: token buckets (submissions and upload bytes a
 * minute, wrong receipts) shared by every client, and the work per receipt
 * (a concern, not a person). Argon2id concurrency is bounded by kdf.c's
 * workers.
 */
#include <string.h>
#include <time.h>

#include <sodium/crypto_generichash.h>
#include <sodium/randombytes.h>
#include <sodium/utils.h>

#include "intake/http.h"

uint64_t
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void
bucket_init(struct bucket *b, double cap, double per_min, uint64_t now_ms)
{
	pthread_mutex_init(&b->mu, NULL);
	b->cap = cap;
	b->tokens = cap;
	b->per_ms = per_min / 60000.0;
	b->last_ms = now_ms;
}

/* Caller holds mu. A clock that goes backwards refills nothing. */
static void
refill(struct bucket *b, uint64_t now_ms)
{
	if (now_ms > b->last_ms) {
		b->tokens += (double)(now_ms - b->last_ms) * b->per_ms;
		if (b->tokens > b->cap)
			b->tokens = b->cap;
		b->last_ms = now_ms;
	}
}

int
bucket_take(struct bucket *b, uint64_t now_ms)
{
	int ok = 0;
	pthread_mutex_lock(&b->mu);
	refill(b, now_ms);
	if (b->tokens >= 1.0) {
		b->tokens -= 1.0;
		ok = 1;
	}
	pthread_mutex_unlock(&b->mu);
	return ok;
}

int
bucket_peek(struct bucket *b, uint64_t now_ms)
{
	int ok;
	pthread_mutex_lock(&b->mu);
	refill(b, now_ms);
	ok = b->tokens >= 1.0;
	pthread_mutex_unlock(&b->mu);
	return ok;
}

int
bucket_take_n(struct bucket *b, double n, uint64_t now_ms)
{
	int ok = 0;
	pthread_mutex_lock(&b->mu);
	refill(b, now_ms);
	if (b->tokens >= n) {
		b->tokens -= n;
		ok = 1;
	}
	pthread_mutex_unlock(&b->mu);
	return ok;
}

/* ---- work per receipt ----------------------------------------------------
 * A receipt is named here by a keyed BLAKE2b of its canonical text under a
 * random per-process key: the same receipt gives the same name (as its
 * lookup tag would, after the KDF), nothing about the receipt can be read
 * from it, and it names a concern, not a person. */
struct rcpt_ent {
	uint8_t id[RCPTLIM_ID_BYTES];
	double tokens;
	uint64_t last_ms; /* 0: free */
};

struct rcptlim {
	pthread_mutex_t mu;
	uint8_t key[crypto_generichash_KEYBYTES];
	double burst, per_ms;
	struct rcpt_ent e[HTTP_RCPT_TABLE];
};

int
rcptlim_new(struct rcptlim **out, double burst, double per_min)
{
	struct rcptlim *t = sodium_malloc(sizeof(*t));

	*out = NULL;
	if (t == NULL)
		return -1;
	sodium_memzero(t, sizeof(*t));
	if (pthread_mutex_init(&t->mu, NULL) != 0) {
		sodium_free(t);
		return -1;
	}
	randombytes_buf(t->key, sizeof(t->key));
	t->burst = burst;
	t->per_ms = per_min / 60000.0;
	*out = t;
	return 0;
}

void
rcptlim_free(struct rcptlim *t)
{
	if (t == NULL)
		return;
	pthread_mutex_destroy(&t->mu);
	sodium_free(t); /* wipes */
}

int
rcptlim_take(struct rcptlim *t, const char *canon, size_t len, uint64_t now_ms)
{
	uint8_t id[RCPTLIM_ID_BYTES];
	size_t pick = 0;
	int ok = 0;

	crypto_generichash(id, sizeof(id), (const uint8_t *)canon, len, t->key, sizeof(t->key));
	pthread_mutex_lock(&t->mu);
	for (size_t i = 0; i < HTTP_RCPT_TABLE; i++) {
		struct rcpt_ent *e = &t->e[i];
		if (e->last_ms != 0 && sodium_memcmp(e->id, id, sizeof(id)) == 0) {
			pick = i;
			goto found;
		}
		/* else remember a free entry, or the least recently used */
		if (t->e[pick].last_ms != 0 && (e->last_ms == 0 || e->last_ms < t->e[pick].last_ms))
			pick = i;
	}
	memcpy(t->e[pick].id, id, sizeof(id));
	t->e[pick].tokens = t->burst;
	t->e[pick].last_ms = now_ms ? now_ms : 1;
found:;
	struct rcpt_ent *e = &t->e[pick];
	if (now_ms > e->last_ms) {
		e->tokens += (double)(now_ms - e->last_ms) * t->per_ms;
		if (e->tokens > t->burst)
			e->tokens = t->burst;
		e->last_ms = now_ms;
	}
	if (e->tokens >= 1.0) {
		e->tokens -= 1.0;
		ok = 1;
	}
	pthread_mutex_unlock(&t->mu);
	sodium_memzero(id, sizeof(id));
	return ok;
}
