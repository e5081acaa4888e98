/*
 * Replayable randomised tests. A test program whose own choices are
 * random (mutations, sizes, garbage) calls test_seed_init() first thing in
 * main(), before libsodium is initialised. From then on every
 * randombytes_* call in the program, the test's and the library's alike,
 * draws from ChaCha20 keyed by one 64-bit seed, which is printed:
 *
 *   seed 1580012090510688943 (replay: CANDOUR_TEST_SEED=1580012090510688943 PROG)
 *
 * A failure is replayed by running the program again with that variable.
 * Without it the seed is fresh from the kernel on every run. A forked
 * child mixes its process id into the stream, so parent and child never
 * draw the same bytes. Test programs only: this replaces the system RNG.
 *
 * CANDOUR_TEST_ONLY=PATTERN runs only the cases whose names match the
 * cmocka glob (`*`, `?`), so a loop can repeat the randomised cases
 * without the deterministic ones (tests/loop-random.sh). The cases run
 * draw from the stream in a different order then, so the replay line
 * names the pattern too: a seed replays only with the same pattern.
 */
#ifndef TESTS_TEST_SEED_H
#define TESTS_TEST_SEED_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>

static uint8_t test_seed_key[crypto_stream_chacha20_KEYBYTES];
static uint64_t test_seed_ctr;
static pid_t test_seed_pid;

static void
test_seed_buf(void *buf, size_t size)
{
	uint8_t nonce[crypto_stream_chacha20_NONCEBYTES];
	uint64_t c = __atomic_fetch_add(&test_seed_ctr, 1, __ATOMIC_RELAXED);
	if (getpid() != test_seed_pid)
		c ^= (uint64_t)getpid() << 40;
	memcpy(nonce, &c, sizeof(nonce));
	crypto_stream_chacha20(buf, size, nonce, test_seed_key);
}

static uint32_t
test_seed_random(void)
{
	uint32_t v;
	test_seed_buf(&v, sizeof(v));
	return v;
}

static void
test_seed_stir(void)
{
}

static int
test_seed_close(void)
{
	return 0;
}

static const char *
test_seed_name(void)
{
	return "candour-test-seeded";
}

static struct randombytes_implementation test_seed_impl = {
    .implementation_name = test_seed_name,
    .random = test_seed_random,
    .stir = test_seed_stir,
    .uniform = NULL, /* libsodium's unbiased reduction over random() */
    .buf = test_seed_buf,
    .close = test_seed_close,
};

/* Returns the seed in use; exits 2 if CANDOUR_TEST_SEED is not a number
 * or CANDOUR_TEST_ONLY holds more than a name and the glob characters (the
 * replay line quotes it for the shell as it stands). */
static inline uint64_t
test_seed_init(const char *prog)
{
	const char *env = getenv("CANDOUR_TEST_SEED");
	const char *only = getenv("CANDOUR_TEST_ONLY");
	uint64_t seed;

	if (only != NULL && *only == '\0')
		only = NULL;
	if (only != NULL && only[strspn(only, "abcdefghijklmnopqrstuvwxyz"
						  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_*?")] != '\0') {
		fprintf(stderr, "%s: CANDOUR_TEST_ONLY may hold only letters, digits, _, * and ?\n",
		    prog);
		exit(2);
	}

	if (env != NULL && *env != '\0') {
		char *end;
		errno = 0;
		seed = strtoull(env, &end, 10);
		if (errno || *end != '\0') {
			fprintf(stderr, "%s: CANDOUR_TEST_SEED is not a decimal number\n", prog);
			exit(2);
		}
	} else if (getrandom(&seed, sizeof(seed), 0) != (ssize_t)sizeof(seed)) {
		fprintf(stderr, "%s: getrandom failed\n", prog);
		exit(2);
	}
	memset(test_seed_key, 0, sizeof(test_seed_key));
	for (int i = 0; i < 8; i++)
		test_seed_key[i] = (uint8_t)(seed >> (8 * i));
	test_seed_pid = getpid();
	if (randombytes_set_implementation(&test_seed_impl) != 0) {
		fprintf(stderr, "%s: cannot install the seeded generator\n", prog);
		exit(2);
	}
	if (only != NULL)
		cmocka_set_test_filter(only);
	printf("seed %llu (replay: CANDOUR_TEST_SEED=%llu %s%s%s%s)\n", (unsigned long long)seed,
	    (unsigned long long)seed, only != NULL ? "CANDOUR_TEST_ONLY='" : "",
	    only != NULL ? only : "", only != NULL ? "' " : "", prog);
	fflush(stdout);
	return seed;
}

#endif
