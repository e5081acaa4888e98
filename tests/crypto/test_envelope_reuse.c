/* One envelope reader for many envelopes (cc_env_reader_end/reset,
 * cc_env_open_with), as import uses it for every record of a bundle:
 * nothing of envelope N (a final chunk seen, a stream state, a half-read
 * header, plaintext) may reach envelope N + 1. Each envelope must get
 * exactly the answer a new reader gives it, a damaged one in the middle of
 * a run is refused and those after it still open, and the per-envelope
 * state is all zeros between envelopes. */
#include "tests/crypto/helpers.h"
#include "crypto/cc_internal.h"

static struct cc_seckey *bob;

static int
setup(void **state)
{
	if (setup_alice(state) != 0)
		return -1;
	return cc_keypair_generate("bob", &bob) == CC_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	cc_seckey_free(bob);
	return teardown_alice(state);
}

static void
seal(const struct cc_seckey *k, int kind, size_t len, uint64_t pat, uint8_t **env,
    size_t *envlen, uint8_t **pt)
{
	struct cc_recipient r;

	*pt = malloc(len + 1);
	assert_non_null(*pt);
	test_pattern(*pt, len, pat);
	test_recipient(k, &r);
	assert_int_equal(cc_env_seal(kind, &r, 1, *pt, len, env, envlen), CC_OK);
}

static struct cc_env_reader *
reader(const struct cc_seckey *k)
{
	struct cc_env_reader *r = NULL;

	assert_int_equal(cc_env_reader_new(&k->box, NULL, NULL, &r), CC_OK);
	assert_non_null(r);
	return r;
}

/* Every byte of the per-envelope state is zero, and the key is intact. */
static void
assert_wiped(const struct cc_env_reader *r, const struct cc_seckey *k)
{
	const uint8_t *p = (const uint8_t *)&r->s;

	for (size_t i = 0; i < sizeof(r->s); i++)
		if (p[i] != 0)
			fail_msg("byte %zu of the reader's per-envelope state is %u after the envelope", i,
			    p[i]);
	assert_memory_equal(&r->key, &k->box, sizeof(r->key));
}

/* cc_env_open_with on r gives rc, and on success the plaintext want. */
static void
open_with(struct cc_env_reader *r, const uint8_t *env, size_t len, int rc, const uint8_t *want,
    size_t wantlen, int wantkind)
{
	uint8_t *pt = (uint8_t *)1;
	size_t ptlen = 99;
	int kind = 99;

	assert_int_equal(cc_env_open_with(r, env, len, &pt, &ptlen, &kind), rc);
	if (rc != CC_OK) {
		assert_null(pt);
		assert_int_equal(ptlen, 0);
		assert_int_equal(kind, 0);
		return;
	}
	assert_int_equal(kind, wantkind);
	assert_int_equal(ptlen, wantlen);
	assert_memory_equal(pt, want, wantlen);
	cc_free_wipe(pt, ptlen);
}

/* The answer of a new reader (cc_env_open) for the same bytes. */
static int
fresh_rc(const struct cc_seckey *k, const uint8_t *env, size_t len)
{
	uint8_t *pt = NULL;
	size_t ptlen = 0;
	int rc = cc_env_open(&k->box, env, len, &pt, &ptlen, NULL);

	cc_free_wipe(pt, ptlen);
	return rc;
}

static void
reused_reader_opens_what_a_new_one_does(void **state)
{
	(void)state;
	static const size_t sizes[] = {0, 1, 700, CC_CHUNK_DATA, CC_CHUNK_DATA + 1, 3 * CC_CHUNK_DATA,
	    1, 0};
	static const int kinds[] = {CC_KIND_CONCERN, CC_KIND_MESSAGE, CC_KIND_ATTACHMENT};
	struct cc_env_reader *r = reader(alice);

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint8_t *env, *pt;
		size_t envlen;
		int kind = kinds[i % 3];
		seal(alice, kind, sizes[i], i * 7919, &env, &envlen, &pt);
		open_with(r, env, envlen, CC_OK, pt, sizes[i], kind);
		assert_wiped(r, alice);
		free(env);
		free(pt);
	}
	cc_env_reader_abort(r);
}

/* Ten envelopes opened in a row with one reader; number 5 is damaged in
 * each of the ways a compromised intake could send it. It is refused with
 * the code a new reader gives it, and 6 to 10 still open whole. */
static void
damaged_one_in_the_middle_is_refused(void **state)
{
	(void)state;
	enum { N = 10, BAD = 4 };
	for (int how = 0; how < 6; how++) {
		struct cc_env_reader *r = reader(alice);
		uint8_t *env[N], *pt[N];
		size_t envlen[N], len[N];
		for (int i = 0; i < N; i++) {
			len[i] = 100 + (size_t)i * 3000;
			seal(i == BAD && how == 5 ? bob : alice, CC_KIND_CONCERN, len[i],
			    (uint64_t)i << 20, &env[i], &envlen[i], &pt[i]);
		}
		size_t hdr = CC_ENV_HEADER_LEN(1), badlen = envlen[BAD];
		int want;
		switch (how) {
		case 0: /* a flipped ciphertext byte */
			env[BAD][badlen - 40] ^= 0x01;
			want = CC_ETAMPERED;
			break;
		case 1: /* the final chunk cut off */
			badlen -= CC_ENV_CT_CHUNK;
			want = CC_ETRUNCATED;
			break;
		case 2: /* the header alone */
			badlen = hdr;
			want = CC_ETRUNCATED;
			break;
		case 3: /* half a header */
			badlen = hdr / 2;
			want = CC_ETRUNCATED;
			break;
		case 4: /* the body without its header */
			memmove(env[BAD], env[BAD] + hdr, badlen - hdr);
			badlen -= hdr;
			want = CC_EFORMAT;
			break;
		default: /* sealed to another reviewer */
			want = CC_ENOTRECIPIENT;
			break;
		}
		assert_int_equal(fresh_rc(alice, env[BAD], badlen), want);
		for (int i = 0; i < N; i++) {
			if (i == BAD)
				open_with(r, env[i], badlen, want, NULL, 0, 0);
			else
				open_with(r, env[i], envlen[i], CC_OK, pt[i], len[i], CC_KIND_CONCERN);
			assert_wiped(r, alice);
		}
		for (int i = 0; i < N; i++) {
			free(env[i]);
			free(pt[i]);
		}
		cc_env_reader_abort(r);
	}
}

static int
count_sink(void *ctx, const uint8_t *buf, size_t len)
{
	(void)buf;
	*(size_t *)ctx += len;
	return 0;
}

/* The streaming calls: after a whole envelope, a reset reader that is fed
 * nothing, or only the rest of an envelope begun before the reset, does
 * not finish as if it had read one. */
static void
reset_forgets_the_envelope_before(void **state)
{
	(void)state;
	struct cc_env_reader *r = reader(alice);
	uint8_t *env, *pt;
	size_t envlen, got = 0, hdr = CC_ENV_HEADER_LEN(1);
	int kind = 99;

	seal(alice, CC_KIND_ATTACHMENT, 3 * CC_CHUNK_DATA, 5, &env, &envlen, &pt);
	assert_true(envlen >= hdr + 3 * CC_ENV_CT_CHUNK);
	/* a whole envelope, then nothing: the final chunk seen is forgotten */
	cc_env_reader_reset(r, count_sink, &got);
	assert_int_equal(cc_env_reader_update(r, env, envlen), CC_OK);
	assert_int_equal(cc_env_reader_end(r, &kind), CC_OK);
	assert_int_equal(kind, CC_KIND_ATTACHMENT);
	assert_int_equal(got, 3 * CC_CHUNK_DATA);
	assert_wiped(r, alice);
	cc_env_reader_reset(r, count_sink, &got);
	assert_int_equal(cc_env_reader_end(r, &kind), CC_EFORMAT);
	assert_int_equal(kind, 0);
	/* the header and a chunk, reset without an end, then the rest: the
	 * content key's stream state is gone, so the rest is not an envelope */
	got = 0;
	cc_env_reader_reset(r, count_sink, &got);
	assert_int_equal(cc_env_reader_update(r, env, hdr + CC_ENV_CT_CHUNK), CC_OK);
	assert_int_equal(got, CC_CHUNK_DATA);
	cc_env_reader_reset(r, count_sink, &got);
	assert_wiped(r, alice);
	got = 0;
	assert_int_equal(cc_env_reader_update(r, env + hdr + CC_ENV_CT_CHUNK,
			     envlen - hdr - CC_ENV_CT_CHUNK),
	    CC_EFORMAT);
	assert_int_equal(got, 0);
	assert_int_equal(cc_env_reader_end(r, &kind), CC_EFORMAT);
	/* an error stays with its envelope: the next one opens */
	open_with(r, env, envlen, CC_OK, pt, 3 * CC_CHUNK_DATA, CC_KIND_ATTACHMENT);
	/* and over the size limit, refused before anything is read */
	uint8_t *out = (uint8_t *)1;
	size_t outlen = 9;
	assert_int_equal(cc_env_open_with(r, env, (size_t)CC_ENV_MAX_BYTES + 1, &out, &outlen, NULL),
	    CC_ELIMIT);
	assert_null(out);
	assert_int_equal(outlen, 0);
	/* no reader (cc_env_reader_new failed): refused, outputs cleared */
	out = (uint8_t *)1;
	outlen = 9;
	kind = 7;
	assert_int_equal(cc_env_open_with(NULL, env, envlen, &out, &outlen, &kind), CC_ERR);
	assert_null(out);
	assert_int_equal(outlen, 0);
	assert_int_equal(kind, 0);
	free(env);
	free(pt);
	cc_env_reader_abort(r);
	cc_env_reader_abort(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reused_reader_opens_what_a_new_one_does),
	    cmocka_unit_test(damaged_one_in_the_middle_is_refused),
	    cmocka_unit_test(reset_forgets_the_envelope_before),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
