/* Envelope buffer API: round trips, recipients, frame and tamper checks. */
#include "tests/crypto/helpers.h"

static struct cc_seckey *alice, *bob, *carol;

static int
setup(void **state)
{
	if (setup_sodium(state) != 0)
		return -1;
	if (cc_keypair_generate("alice", &alice) || cc_keypair_generate("bob", &bob) ||
	    cc_keypair_generate("carol", &carol))
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cc_seckey_free(alice);
	cc_seckey_free(bob);
	cc_seckey_free(carol);
	return 0;
}

static void
seal_to(const struct cc_seckey **ks, size_t n, int kind, const uint8_t *pt, size_t len,
    uint8_t **out, size_t *outlen)
{
	struct cc_recipient r[CC_MAX_RECIPIENTS];
	for (size_t i = 0; i < n; i++)
		test_recipient(ks[i], &r[i]);
	assert_int_equal(cc_env_seal(kind, r, n, pt, len, out, outlen), CC_OK);
}

static void
round_trip_sizes(void **state)
{
	(void)state;
	static const size_t sizes[] = {0, 1, 100, CC_CHUNK_DATA - 1, CC_CHUNK_DATA,
	    CC_CHUNK_DATA + 1, 2 * CC_CHUNK_DATA, 5 * CC_CHUNK_DATA + 7, 300000};
	const struct cc_seckey *ks[] = {alice, bob};
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		size_t len = sizes[s];
		uint8_t *pt = malloc(len + 1), *env, *back;
		size_t envlen, backlen;
		int kind;
		test_pattern(pt, len, s);
		seal_to(ks, 2, CC_KIND_ATTACHMENT, pt, len, &env, &envlen);
		for (int who = 0; who < 2; who++) {
			assert_int_equal(cc_env_open(&ks[who]->box, env, envlen, &back, &backlen,
			    &kind), CC_OK);
			assert_int_equal(kind, CC_KIND_ATTACHMENT);
			assert_int_equal(backlen, len);
			assert_memory_equal(back, pt, len);
			cc_free_wipe(back, backlen);
		}
		free(env);
		free(pt);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_sizes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
