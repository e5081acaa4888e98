/*
 * Kept blocks of sodium_malloc'd memory, one pool per kind of block.
 * sodium_malloc maps each block with guard pages, locks it and fills it,
 * and sodium_free wipes, unlocks and unmaps it: an mmap, four mprotects,
 * mlock, madvise, munlock, munmap and a TLB shootdown to every core, for
 * each block of each submission (a sixth of the intake's http process on
 * this virtual machine, issue 14). A block given back is wiped whole at
 * once, as sodium_free would, and kept, up to the pool's max, for the
 * next one; its guard pages and its lock stay. Past the max it is freed
 * as before.
 *
 * fork(): mlock is not inherited, so a child's copies of the kept blocks
 * are not locked; they hold only zeros, but a secret put in one later
 * could be swapped out. A pthread_atfork child handler frees them in the
 * child, so that its first get maps a new, locked block. A pool is listed
 * for it before it first keeps a block; every listed pool's lock is held
 * across fork() so that none is copied half-changed. Should
 * pthread_atfork fail, nothing is kept: slower, as sound.
 */
#include "crypto/cc_internal.h"

static pthread_mutex_t pools_mu = PTHREAD_MUTEX_INITIALIZER;
static struct cc_pool *pools; /* every pool that may hold a block */
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;
static int atfork_ok;

static void
pools_prepare(void)
{
	pthread_mutex_lock(&pools_mu);
	for (struct cc_pool *p = pools; p != NULL; p = p->next)
		pthread_mutex_lock(&p->mu);
}

static void
pools_parent(void)
{
	for (struct cc_pool *p = pools; p != NULL; p = p->next)
		pthread_mutex_unlock(&p->mu);
	pthread_mutex_unlock(&pools_mu);
}

static void
pools_child(void)
{
	for (struct cc_pool *p = pools; p != NULL; p = p->next) {
		while (p->n > 0)
			sodium_free(p->kept[--p->n]); /* the child's unlocked copy */
		pthread_mutex_unlock(&p->mu);
	}
	pthread_mutex_unlock(&pools_mu);
}

static void
pools_atfork(void)
{
	atfork_ok = pthread_atfork(pools_prepare, pools_parent, pools_child) == 0;
}

/* 1 once p is listed for the child handler, 0 when it cannot be: then
 * the caller keeps nothing. Never called with p->mu held (the handlers
 * take pools_mu first). */
static int
pool_listed(struct cc_pool *p)
{
	if (p->listed)
		return 1;
	pthread_once(&atfork_once, pools_atfork);
	if (!atfork_ok)
		return 0;
	pthread_mutex_lock(&pools_mu);
	if (!p->listed) {
		p->next = pools;
		pools = p;
		p->listed = 1;
	}
	pthread_mutex_unlock(&pools_mu);
	return 1;
}

void *
cc_pool_get(struct cc_pool *p)
{
	void *b = NULL;

	pthread_mutex_lock(&p->mu);
	if (p->n > 0)
		b = p->kept[--p->n];
	pthread_mutex_unlock(&p->mu);
	return b != NULL ? b : sodium_malloc(p->size);
}

void
cc_pool_put(struct cc_pool *p, void *b)
{
	if (b == NULL)
		return;
	sodium_memzero(b, p->size); /* it held keys, a reporter's words or a file */
	if (pool_listed(p)) {
		pthread_mutex_lock(&p->mu);
		if (p->n < p->max && p->n < CC_POOL_CAP) {
			p->kept[p->n++] = b;
			b = NULL;
		}
		pthread_mutex_unlock(&p->mu);
	}
	if (b != NULL)
		sodium_free(b);
}
