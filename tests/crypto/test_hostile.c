/*
 * Hostile input: random bytes and random mutations of valid objects fed
 * to every parser and to the envelope reader. Nothing may be accepted
 * that was changed, and (under ASan/UBSan in make check) nothing may read
 * or write out of bounds. Each run draws a fresh seed and prints it
 * (tests/test_seed.h): CANDOUR_TEST_SEED=N replays a failure exactly.
 * tests/crypto/fuzz_crypto.c does the same under libFuzzer for longer runs.
 */
#include "tests/crypto/helpers.h"
#include "crypto/cc_internal.h"
#include "tests/test_seed.h"

#define ROUNDS 3000

static uint64_t rng_state;

/* A fast generator for garbage (libsodium's randombytes costs a ChaCha20
 * block per call), seeded from the program's seeded randombytes. */
static uint32_t
rnd(uint32_t bound)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return bound ? (uint32_t)((rng_state >> 11) % bound) : 0;
}

static void
rnd_buf(void *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		((uint8_t *)p)[i] = (uint8_t)rnd(256);
}

static int
setup(void **state)
{
	if (setup_alice(state) != 0)
		return -1;
	randombytes_buf(&rng_state, sizeof rng_state);
	rng_state |= 1;
	return 0;
}

/* Changes 1..4 random bytes (each to a different value), and sometimes
 * cuts or extends: returns the new length. */
static size_t
mutate(uint8_t *buf, size_t len, size_t cap)
{
	uint32_t how = rnd(4);
	if (how == 0 && len > 0)
		return rnd((uint32_t)len);
	if (how == 1 && len < cap) {
		size_t add = 1 + rnd((uint32_t)(cap - len));
		rnd_buf(buf + len, add);
		return len + add;
	}
	int n = 1 + (int)rnd(4);
	for (int i = 0; i < n && len > 0; i++) {
		size_t at = rnd((uint32_t)len);
		buf[at] ^= (uint8_t)(1 + rnd(255));
	}
	return len;
}

static void
random_envelopes(void **state)
{
	(void)state;
	struct cc_recipient r;
	uint8_t *env, *buf, *pt;
	size_t envlen, ptlen;
	test_recipient(alice, &r);
	assert_int_equal(
	    cc_env_seal(CC_KIND_MESSAGE, &r, 1, (const uint8_t *)"hostile", 7, &env, &envlen),
	    CC_OK);
	size_t cap = envlen + 64;
	buf = malloc(cap);
	for (int i = 0; i < ROUNDS; i++) {
		memcpy(buf, env, envlen);
		size_t len = mutate(buf, envlen, cap);
		if (len == envlen && memcmp(buf, env, envlen) == 0)
			continue;
		pt = NULL;
		assert_int_not_equal(cc_env_open(&alice->box, buf, len, &pt, &ptlen, NULL), CC_OK);
		assert_null(pt);
		uint8_t ids[CC_MAX_RECIPIENTS][CC_KEYID_BYTES];
		size_t n;
		int kind;
		(void)cc_env_recipients(buf, len, ids, &n, &kind);
		assert_true(n <= CC_MAX_RECIPIENTS);
	}
	for (int i = 0; i < ROUNDS; i++) {
		size_t len = rnd((uint32_t)cap);
		rnd_buf(buf, len);
		if (i % 2 && len >= 12)
			memcpy(buf, env, 12); /* a valid start, garbage after */
		assert_int_not_equal(cc_env_open(&alice->box, buf, len, &pt, &ptlen, NULL), CC_OK);
	}
	free(buf);
	free(env);
}

static void
random_lines(void **state)
{
	(void)state;
	char line[CC_PUBLINE_MAX], sline[CC_PUBLINE_MAX], buf[2 * CC_PUBLINE_MAX];
	struct cc_pubkey p;
	uint8_t pk[CC_SIGN_PK];
	assert_int_equal(cc_pubkey_format(&alice->pub, line, sizeof line), CC_OK);
	assert_int_equal(cc_signpub_format(alice->pub.sign_pk, sline, sizeof sline), CC_OK);
	for (int i = 0; i < ROUNDS; i++) {
		const char *src = i % 2 ? line : sline;
		size_t srclen = strlen(src) - 1; /* without the optional newline */
		memcpy(buf, src, srclen);
		size_t len = mutate((uint8_t *)buf, srclen, sizeof buf);
		/* The parsers accept the line with or without its ending ("\n",
		 * "\r\n" or "\r"): a mutation that only adds one back is the valid
		 * line again, not a changed one. */
		size_t cmp = len;
		if (cmp > 0 && buf[cmp - 1] == '\n')
			cmp--;
		if (cmp > 0 && buf[cmp - 1] == '\r')
			cmp--;
		if (cmp == srclen && memcmp(buf, src, srclen) == 0)
			continue;
		int a = cc_pubkey_parse(buf, len, &p), b = cc_signpub_parse(buf, len, pk);
		assert_int_not_equal(a, CC_OK);
		assert_int_not_equal(b, CC_OK);
	}
}

static void
random_secret_files(void **state)
{
	(void)state;
	uint8_t buf[CC_SECFILE_MAX], pk[CC_SIGN_PK], *sk = sodium_malloc(CC_SIGN_SK);
	struct cc_seckey *k;
	for (int i = 0; i < ROUNDS; i++) {
		size_t len = rnd(sizeof buf);
		rnd_buf(buf, len);
		if (i % 3 == 0 && len >= 8)
			memcpy(buf, "CDSK\x01\x01\x00\x00", 8);
		if (i % 3 == 1 && len >= 8)
			memcpy(buf, "CDIS\x01\x00\x00\x00", 8);
		/* random limits are almost always outside the bounds: fast */
		int rc = cc_seckey_open(buf, len, "p", 1, &k);
		assert_int_not_equal(rc, CC_OK);
		assert_null(k);
		assert_int_not_equal(cc_signsec_decode(buf, len, pk, sk), CC_OK);
	}
	sodium_free(sk);
}

static void
random_receipts(void **state)
{
	(void)state;
	char buf[2 * CC_RCPT_INPUT_MAX], out[CC_RCPT_CHARS + 1];
	int ok = 0;
	for (int i = 0; i < 20 * ROUNDS; i++) {
		size_t len = rnd(sizeof buf);
		for (size_t j = 0; j < len; j++)
			buf[j] = i % 2 ? b32_alphabet[rnd(32)] : (char)rnd(256);
		if (i % 4 == 1)
			len = CC_RCPT_CHARS;
		int rc = cc_rcpt_parse(buf, len, out);
		assert_true(rc == CC_OK || rc == CC_EFORMAT || rc == CC_ETYPO);
		if (rc == CC_OK) {
			char again[CC_RCPT_CHARS + 1];
			assert_int_equal(cc_rcpt_parse(out, CC_RCPT_CHARS, again), CC_OK);
			assert_string_equal(out, again);
			ok++;
		} else {
			assert_string_equal(out, "");
		}
	}
	/* about 1 in 1021 random 20-character strings passes the check */
	assert_true(ok < 20 * ROUNDS / 4 / 200);
}

int
main(int argc, char **argv)
{
	(void)argc;
	test_seed_init(argv[0]);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(random_envelopes),
	    cmocka_unit_test(random_lines),
	    cmocka_unit_test(random_secret_files),
	    cmocka_unit_test(random_receipts),
	};
	return cmocka_run_group_tests(tests, setup, teardown_alice);
}
