/* The review tool's random source (review/rand_pool.c): it is the one in
 * use once installed; a child of fork() never hands out the bytes its
 * parent would (the pool copied into the child is wiped there); draws
 * across refills, big draws and two threads' draws never repeat; a refill
 * is one getrandom call of the whole pool, and a short read or EINTR is
 * read on (never a pool handed out part filled). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/candour_crypto.h"
#include "review/review.h"

/* getrandom(2) as the kernel may give it, in place of libc's (the test
 * binary's own definition is the one rand_pool.o links to). Counts the
 * calls over 256 bytes (libsodium's sysrandom never asks more) and those
 * of at most 256; with cut, a request over 256 bytes fails with EINTR
 * every other call and otherwise gets at most CUT_MAX bytes (a signal
 * during a large request). */
#define CUT_MAX 1000
static int cut;
static unsigned calls_big, calls_small, calls_cut;

ssize_t
getrandom(void *buf, size_t len, unsigned int flags)
{
	static int eintr;

	if (len <= 256) {
		calls_small++;
		return syscall(SYS_getrandom, buf, len, flags);
	}
	calls_big++;
	if (cut && (eintr ^= 1) != 0) {
		calls_cut++;
		errno = EINTR;
		return -1;
	}
	if (cut && len > CUT_MAX) {
		calls_cut++;
		len = CUT_MAX;
	}
	return syscall(SYS_getrandom, buf, len, flags);
}

static int
setup(void **state)
{
	(void)state;
	if (rv_rand_install() != 0 || cc_init() != CC_OK || rv_rand_start() != 0)
		return -1;
	return 0;
}

static void
test_name_is_the_pool(void **state)
{
	(void)state;
	assert_string_equal(randombytes_implementation_name(), RV_RAND_NAME);
	assert_string_not_equal(randombytes_implementation_name(), "sysrandom");
	assert_string_not_equal(randombytes_implementation_name(), "internal");
}

/* n bytes drawn in a child of fork(), read back through a pipe; with
 * keypair, the child makes a box key pair and sends its public key */
static void
child_draw(unsigned char *out, size_t n, int keypair)
{
	int p[2];
	pid_t pid;
	int st;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		unsigned char b[64], sk[crypto_box_SECRETKEYBYTES];
		close(p[0]);
		if (keypair)
			crypto_box_keypair(b, sk);
		else
			randombytes_buf(b, n);
		_exit(write(p[1], b, n) == (ssize_t)n ? 0 : 1);
	}
	close(p[1]);
	assert_int_equal(read(p[0], out, n), (ssize_t)n);
	close(p[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void
test_fork_child_draws_other_bytes(void **state)
{
	unsigned char warm[8], mine[32], a[32], b[32];

	(void)state;
	randombytes_buf(warm, sizeof(warm)); /* the pool is full of unread bytes */
	child_draw(a, sizeof(a), 0);
	child_draw(b, sizeof(b), 0);
	randombytes_buf(mine, sizeof(mine));
	assert_memory_not_equal(a, mine, sizeof(mine));
	assert_memory_not_equal(b, mine, sizeof(mine));
	assert_memory_not_equal(a, b, sizeof(a));
}

static void
test_fork_child_keys_differ(void **state)
{
	unsigned char warm[8], pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
	unsigned char theirs[crypto_box_PUBLICKEYBYTES];

	(void)state;
	randombytes_buf(warm, sizeof(warm));
	child_draw(theirs, sizeof(theirs), 1);
	crypto_box_keypair(pk, sk);
	assert_memory_not_equal(pk, theirs, sizeof(pk));
	sodium_memzero(sk, sizeof(sk));
}

#define DRAWS 2000 /* 24 bytes each: 48,000 bytes, about a dozen refills */
static unsigned char drawn[DRAWS][24];

static int
cmp24(const void *a, const void *b)
{
	return memcmp(a, b, 24);
}

static void
assert_all_distinct(unsigned char (*d)[24], size_t n)
{
	qsort(d, n, 24, cmp24);
	for (size_t i = 1; i < n; i++)
		assert_memory_not_equal(d[i - 1], d[i], 24);
}

static void
test_draws_across_refills_distinct(void **state)
{
	(void)state;
	for (size_t i = 0; i < DRAWS; i++)
		randombytes_buf(drawn[i], sizeof(drawn[i]));
	assert_all_distinct(drawn, DRAWS);
}

static void
test_big_and_odd_draws(void **state)
{
	static unsigned char big1[5000], big2[5000];
	unsigned char one[1], zero[4] = {0};

	(void)state;
	randombytes_buf(big1, sizeof(big1)); /* over the pool: drawn direct */
	randombytes_buf(big2, sizeof(big2));
	assert_memory_not_equal(big1, big2, 32);
	assert_memory_not_equal(big1 + sizeof(big1) - 32, big2 + sizeof(big2) - 32, 32);
	randombytes_buf(zero, 0); /* nothing drawn, nothing written */
	assert_memory_equal(zero, "\0\0\0\0", 4);
	randombytes_buf(one, 1);
	for (int i = 0; i < 1000; i++)
		assert_true(randombytes_uniform(7) < 7);
}

/* DRAWS draws of 24 bytes: 48,000 bytes, 11 or 12 refills of 4 KiB, each
 * one call (the first may find the pool part full) and none of 256 bytes */
static void
test_refill_is_one_call(void **state)
{
	unsigned big = calls_big, small = calls_small;

	(void)state;
	for (size_t i = 0; i < DRAWS; i++)
		randombytes_buf(drawn[i], sizeof(drawn[i]));
	assert_int_equal(calls_small - small, 0);
	assert_in_range(calls_big - big, DRAWS * 24 / 4096, DRAWS * 24 / 4096 + 1);
	assert_all_distinct(drawn, DRAWS);
}

/* Each refill cut short (EINTR, then at most CUT_MAX bytes a call): the
 * pool reads on, so no draw gets the wiped (zero) bytes of a part-filled
 * pool; the cuts happened, or the test proved nothing. */
static void
test_refill_short_reads(void **state)
{
	unsigned was = calls_cut;

	(void)state;
	cut = 1;
	for (size_t i = 0; i < DRAWS; i++)
		randombytes_buf(drawn[i], sizeof(drawn[i]));
	cut = 0;
	assert_true(calls_cut - was >= 2 * (DRAWS * 24 / 4096));
	assert_all_distinct(drawn, DRAWS);
}

static void *
thread_draws(void *arg)
{
	unsigned char(*d)[24] = arg;

	for (size_t i = 0; i < DRAWS / 2; i++)
		randombytes_buf(d[i], 24);
	return NULL;
}

static void
test_two_threads_distinct(void **state)
{
	pthread_t t;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, thread_draws, drawn), 0);
	thread_draws(drawn[DRAWS / 2]);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_all_distinct(drawn, DRAWS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_name_is_the_pool),
	    cmocka_unit_test(test_fork_child_draws_other_bytes),
	    cmocka_unit_test(test_fork_child_keys_differ),
	    cmocka_unit_test(test_draws_across_refills_distinct),
	    cmocka_unit_test(test_big_and_odd_draws),
	    cmocka_unit_test(test_two_threads_distinct),
	    cmocka_unit_test(test_refill_is_one_call),
	    cmocka_unit_test(test_refill_short_reads),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
