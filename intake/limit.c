/*
 * Limits that track nobody: token buckets (submissions per minute, wrong
 * receipts) shared by every client, and a counting gate for Argon2id work
 * so memory is bounded by HTTP_KDF_CONCURRENCY x the KDF memlimit.
 */
#include <errno.h>
#include <time.h>

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
gate_init(struct gate *g, unsigned max)
{
	pthread_condattr_t a;

	if (max == 0)
		return -1;
	g->inside = 0;
	g->max = max;
	if (pthread_mutex_init(&g->mu, NULL) != 0 || pthread_condattr_init(&a) != 0)
		return -1;
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	int r = pthread_cond_init(&g->cv, &a);
	pthread_condattr_destroy(&a);
	return r == 0 ? 0 : -1;
}

int
gate_enter(struct gate *g, unsigned wait_ms)
{
	struct timespec until;
	int r = 0;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&g->mu);
	while (g->inside >= g->max && r == 0)
		r = wait_ms ? pthread_cond_timedwait(&g->cv, &g->mu, &until) : ETIMEDOUT;
	if (g->inside < g->max) {
		g->inside++;
		r = 0;
	} else {
		r = -1;
	}
	pthread_mutex_unlock(&g->mu);
	return r;
}

void
gate_leave(struct gate *g)
{
	pthread_mutex_lock(&g->mu);
	if (g->inside > 0)
		g->inside--;
	pthread_cond_signal(&g->cv);
	pthread_mutex_unlock(&g->mu);
}
