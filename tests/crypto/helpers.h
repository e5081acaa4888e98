/* Shared by the crypto unit tests (header-only: each test is one program). */
#ifndef TESTS_CRYPTO_HELPERS_H
#define TESTS_CRYPTO_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "crypto/candour_crypto.h"

static inline int
setup_sodium(void **state)
{
	(void)state;
	return cc_init() == CC_OK ? 0 : -1;
}

/* One reviewer key shared by the tests of a program (setup_alice makes
 * it, teardown_alice frees it). */
static struct cc_seckey *alice __attribute__((unused));

static inline int
setup_alice(void **state)
{
	if (setup_sodium(state) != 0)
		return -1;
	return cc_keypair_generate("alice", &alice) == CC_OK ? 0 : -1;
}

static inline int
teardown_alice(void **state)
{
	(void)state;
	cc_seckey_free(alice);
	alice = NULL;
	return 0;
}

/* A fresh reviewer key pair; fails the test if it cannot be made. */
static inline struct cc_seckey *
test_key(const char *name)
{
	struct cc_seckey *k = NULL;
	assert_int_equal(cc_keypair_generate(name, &k), CC_OK);
	assert_non_null(k);
	return k;
}

static inline void
test_recipient(const struct cc_seckey *k, struct cc_recipient *r)
{
	cc_recipient_of(&k->pub, r);
}

/* Deterministic filler: cheap, and different at every offset. */
static inline void
test_pattern(uint8_t *buf, size_t len, uint64_t offset)
{
	for (size_t i = 0; i < len; i++) {
		uint64_t x = offset + i;
		buf[i] = (uint8_t)((x * 2654435761u) >> 13 ^ x >> 8);
	}
}

#endif
