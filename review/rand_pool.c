/*
 * The review tool's random source: the kernel's getrandom(2), drawn 4 KiB
 * at a time into a pool in sodium_malloc'd memory, each byte wiped as it
 * is handed out. An import asks for 8 small draws a concern (ids, keys,
 * nonces, crypto_box_seal's ephemeral key): one getrandom system call each
 * was about a tenth of the import's CPU on this machine's virtual machine
 * (bench/RESULTS.md, issue 14). A refill is one getrandom call, not
 * libsodium's sysrandom (which asks 256 bytes a call: 16 a refill); the
 * kernel gives a 4 KiB request whole unless a signal cuts it short, and
 * then the rest is read on. The bytes are the kernel's,
 * unchanged: no generator of ours stretches them.
 *
 * Not libsodium's randombytes_internal_implementation: in 1.0.18 it calls
 * getpid() on every draw (glibc no longer caches it: a system call for a
 * system call, measured slower than sysrandom here), and a child of fork()
 * that draws without randombytes_stir() is aborted by sodium_misuse().
 *
 * After fork() the child must not hand out the parent's bytes again: the
 * pthread_atfork child handler wipes the pool there, so the child's first
 * draw refills it from the kernel. (The review tool's own forks exec at
 * once; this keeps any later fork sound.) The desk's libmicrohttpd thread
 * draws beside the main thread: the pool is under a mutex.
 *
 * Never in the intake: its random needs and its sandbox are its own.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>

#include <sodium.h>

#include "review/review.h"

#define RAND_POOL_BYTES 4096 /* one page: 4,096 / ~28 bytes a draw: ~146 draws a refill */

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char *pool; /* sodium_malloc'd after sodium_init; NULL: draw direct */
static size_t pool_left;    /* unread bytes at the end of pool */
static int atfork_set;

static const char *
pool_name(void)
{
	return RV_RAND_NAME;
}

/* fork(): pool_lock is held across it (no draw half done), and in the
 * child the parent's unread bytes are wiped and forgotten. */
static void
pool_prepare(void)
{
	pthread_mutex_lock(&pool_lock);
}

static void
pool_parent(void)
{
	pthread_mutex_unlock(&pool_lock);
}

static void
pool_child(void)
{
	if (pool != NULL)
		sodium_memzero(pool, RAND_POOL_BYTES);
	pool_left = 0;
	pthread_mutex_unlock(&pool_lock);
}

/* Fills the pool from the kernel: one getrandom(2) of RAND_POOL_BYTES as a
 * rule; a short read (a signal during a large request) or EINTR reads on
 * for the rest. Blocks, as sysrandom does, only until the kernel's pool is
 * first seeded. Without getrandom (ENOSYS, or a filter's EPERM) the rest
 * comes from sysrandom, which aborts rather than give fewer bytes. */
static void
pool_fill(void)
{
	size_t got = 0;

	while (got < RAND_POOL_BYTES) {
		ssize_t n = getrandom(pool + got, RAND_POOL_BYTES - got, 0);
		if (n > 0)
			got += (size_t)n;
		else if (n < 0 && errno == EINTR)
			continue;
		else {
			randombytes_sysrandom_implementation.buf(pool + got, RAND_POOL_BYTES - got);
			break;
		}
	}
}

static void
pool_buf(void *const buf, const size_t size)
{
	unsigned char *out = buf;

	pthread_mutex_lock(&pool_lock);
	if (pool == NULL || size > RAND_POOL_BYTES / 4) {
		/* before rv_rand_start (sodium_init itself draws the allocator's
		 * canary) and for big draws: the kernel's bytes directly */
		pthread_mutex_unlock(&pool_lock);
		randombytes_sysrandom_implementation.buf(buf, size);
		return;
	}
	if (pool_left < size) {
		pool_fill();
		pool_left = RAND_POOL_BYTES;
	}
	unsigned char *from = pool + (RAND_POOL_BYTES - pool_left);
	memcpy(out, from, size);
	sodium_memzero(from, size);
	pool_left -= size;
	pthread_mutex_unlock(&pool_lock);
}

static uint32_t
pool_random(void)
{
	uint32_t v;

	pool_buf(&v, sizeof(v));
	return v;
}

/* uniform NULL: libsodium's own rejection sampling over pool_random */
static randombytes_implementation pool_impl = {
    .implementation_name = pool_name,
    .random = pool_random,
    .stir = NULL,
    .uniform = NULL,
    .buf = pool_buf,
    .close = NULL,
};

int
rv_rand_install(void)
{
	if (!atfork_set) {
		if (pthread_atfork(pool_prepare, pool_parent, pool_child) != 0)
			return -1;
		atfork_set = 1;
	}
	return randombytes_set_implementation(&pool_impl) == 0 ? 0 : -1;
}

static void
pool_stop(void)
{
	pthread_mutex_lock(&pool_lock);
	if (pool != NULL)
		sodium_free(pool); /* wipes it */
	pool = NULL;
	pool_left = 0;
	pthread_mutex_unlock(&pool_lock);
}

int
rv_rand_start(void)
{
	unsigned char *p = sodium_malloc(RAND_POOL_BYTES);

	if (p == NULL)
		return -1; /* draws stay direct: slower, as sound */
	pthread_mutex_lock(&pool_lock);
	if (pool == NULL) {
		pool = p;
		p = NULL;
		pool_left = 0;
	}
	pthread_mutex_unlock(&pool_lock);
	if (p != NULL)
		sodium_free(p); /* started twice */
	else if (atexit(pool_stop) != 0)
		return -1;
	return 0;
}
