/* Envelope buffer API: round trips, recipients, padding, and every way a
 * sealed envelope can be damaged: flipped bytes, cuts, reordering,
 * splicing, appended data, bad header fields. */
#include "tests/crypto/helpers.h"
#include "crypto/cc_internal.h"

static struct cc_seckey *bob, *carol;

static int
setup(void **state)
{
	if (setup_alice(state) != 0)
		return -1;
	return cc_keypair_generate("bob", &bob) || cc_keypair_generate("carol", &carol) ? -1 : 0;
}

static int
teardown(void **state)
{
	cc_seckey_free(bob);
	cc_seckey_free(carol);
	return teardown_alice(state);
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

/* Opens and expects failure rc; checks nothing leaks out. */
static void
open_fails(const struct cc_seckey *k, const uint8_t *env, size_t len, int rc)
{
	uint8_t *pt = (uint8_t *)1;
	size_t ptlen = 99;
	int kind = 99;
	assert_int_equal(cc_env_open(&k->box, env, len, &pt, &ptlen, &kind), rc);
	assert_null(pt);
	assert_int_equal(ptlen, 0);
	assert_int_equal(kind, 0);
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
		assert_int_equal(envlen, env_sealed_size(2, len));
		for (int who = 0; who < 2; who++) {
			assert_int_equal(
			    cc_env_open(&ks[who]->box, env, envlen, &back, &backlen, &kind), CC_OK);
			assert_int_equal(kind, CC_KIND_ATTACHMENT);
			assert_int_equal(backlen, len);
			assert_memory_equal(back, pt, len);
			cc_free_wipe(back, backlen);
		}
		open_fails(carol, env, envlen, CC_ENOTRECIPIENT);
		free(env);
		free(pt);
	}
}

static void
every_kind_round_trips(void **state)
{
	(void)state;
	const struct cc_seckey *ks[] = {carol};
	for (int kind = CC_KIND_CONCERN; kind <= CC_KIND_CASEBOOK; kind++) {
		uint8_t *env, *back;
		size_t envlen, backlen;
		int got;
		seal_to(ks, 1, kind, (const uint8_t *)"x", 1, &env, &envlen);
		assert_int_equal(
		    cc_env_open(&carol->box, env, envlen, &back, &backlen, &got), CC_OK);
		assert_int_equal(got, kind);
		cc_free_wipe(back, backlen);
		free(env);
	}
}

static void
sixteen_recipients_each_open(void **state)
{
	(void)state;
	struct cc_seckey *k[CC_MAX_RECIPIENTS];
	struct cc_recipient r[CC_MAX_RECIPIENTS + 1];
	uint8_t *env, *back;
	size_t envlen, backlen;
	for (size_t i = 0; i < CC_MAX_RECIPIENTS; i++) {
		k[i] = test_key("r");
		test_recipient(k[i], &r[i]);
	}
	test_recipient(alice, &r[CC_MAX_RECIPIENTS]);
	assert_int_equal(cc_env_seal(CC_KIND_CONCERN, r, CC_MAX_RECIPIENTS + 1,
			     (const uint8_t *)"hi", 2, &env, &envlen),
	    CC_ELIMIT);
	assert_null(env);
	assert_int_equal(
	    cc_env_seal(CC_KIND_CONCERN, r, 0, (const uint8_t *)"hi", 2, &env, &envlen), CC_ELIMIT);
	assert_int_equal(cc_env_seal(CC_KIND_CONCERN, r, CC_MAX_RECIPIENTS, (const uint8_t *)"hi",
			     2, &env, &envlen),
	    CC_OK);
	assert_int_equal(envlen, CC_ENV_MAX_HEADER + CC_ENV_CT_CHUNK);

	uint8_t ids[CC_MAX_RECIPIENTS][CC_KEYID_BYTES];
	size_t n;
	int kind;
	assert_int_equal(cc_env_recipients(env, envlen, ids, &n, &kind), CC_OK);
	assert_int_equal(n, CC_MAX_RECIPIENTS);
	assert_int_equal(kind, CC_KIND_CONCERN);
	for (size_t i = 0; i < CC_MAX_RECIPIENTS; i++) {
		assert_memory_equal(ids[i], k[i]->box.keyid, CC_KEYID_BYTES);
		assert_int_equal(
		    cc_env_open(&k[i]->box, env, envlen, &back, &backlen, NULL), CC_OK);
		assert_memory_equal(back, "hi", 2);
		cc_free_wipe(back, backlen);
		cc_seckey_free(k[i]);
	}
	open_fails(alice, env, envlen, CC_ENOTRECIPIENT);
	free(env);
}

static void
bad_kind_refused(void **state)
{
	(void)state;
	struct cc_recipient r;
	uint8_t *env = NULL;
	size_t envlen;
	test_recipient(alice, &r);
	assert_int_equal(cc_env_seal(0, &r, 1, (const uint8_t *)"x", 1, &env, &envlen), CC_EFORMAT);
	assert_int_equal(cc_env_seal(6, &r, 1, (const uint8_t *)"x", 1, &env, &envlen), CC_EFORMAT);
	assert_null(env);
}

static void
low_order_recipient_refused(void **state)
{
	(void)state;
	struct cc_recipient r;
	uint8_t *env = NULL;
	size_t envlen;
	memset(&r, 0, sizeof r); /* the all-zero point has small order */
	assert_int_not_equal(
	    cc_env_seal(CC_KIND_CONCERN, &r, 1, (const uint8_t *)"x", 1, &env, &envlen), CC_OK);
	assert_null(env);
}

/* The padded chunk count is Padmé's, visible in the length and nothing
 * else: two bodies in the same bucket give the same length. */
static void
padding_buckets(void **state)
{
	(void)state;
	const struct cc_seckey *ks[] = {alice};
	size_t lens[2] = {9 * (size_t)CC_CHUNK_DATA + 1, 10 * (size_t)CC_CHUNK_DATA};
	size_t out[2];
	for (int i = 0; i < 2; i++) {
		uint8_t *pt = calloc(1, lens[i]), *env;
		seal_to(ks, 1, CC_KIND_ATTACHMENT, pt, lens[i], &env, &out[i]);
		assert_int_equal(
		    out[i], CC_ENV_HEADER_LEN(1) + cc_pad_chunks(10) * CC_ENV_CT_CHUNK);
		free(env);
		free(pt);
	}
	assert_int_equal(out[0], out[1]);
}

static void
pad_chunks_is_padme(void **state)
{
	(void)state;
	assert_int_equal(cc_pad_chunks(0), 1);
	assert_int_equal(cc_pad_chunks(1), 1);
	assert_int_equal(cc_pad_chunks(2), 2);
	assert_int_equal(cc_pad_chunks(7), 7);
	assert_int_equal(cc_pad_chunks(9), 10);
	assert_int_equal(cc_pad_chunks(17), 18);
	assert_int_equal(cc_pad_chunks(33), 36);
	assert_int_equal(cc_pad_chunks(1000), 1024);
	assert_int_equal(cc_pad_chunks(UINT64_MAX), UINT64_MAX);
	uint64_t prev = 1;
	for (uint64_t n = 1; n < 300000; n++) {
		uint64_t p = cc_pad_chunks(n);
		assert_true(p >= n);
		assert_true(p >= prev);			    /* monotone */
		assert_true((p - n) * 100 <= n * 12 + 100); /* at most ~12% overhead */
		assert_int_equal(cc_pad_chunks(p), p);	    /* a bucket is its own pad */
		prev = p;
	}
}

static void
every_byte_flip_detected(void **state)
{
	(void)state;
	const struct cc_seckey *ks[] = {alice, bob};
	uint8_t *env;
	size_t envlen;
	seal_to(ks, 2, CC_KIND_CONCERN, (const uint8_t *)"a small concern", 15, &env, &envlen);
	/* One reader for the flips, as an import keeps one (a new reader is a
	 * sodium_malloc and munmap: ~5 s of system time under ASan over the
	 * envelope's bytes); every 64th through cc_env_open, a new reader. */
	struct cc_env_reader *r;
	assert_int_equal(cc_env_reader_new(&alice->box, NULL, NULL, &r), CC_OK);
	for (size_t i = 0; i < envlen; i++) {
		/* low and high bit in turn: both ends of every byte get hit */
		uint8_t *pt = NULL;
		size_t ptlen = 0;
		uint8_t mask = (i & 1) ? 0x80 : 0x01;
		env[i] ^= mask;
		int rc = i % 64 == 0 ? cc_env_open(&alice->box, env, envlen, &pt, &ptlen, NULL)
				     : cc_env_open_with(r, env, envlen, &pt, &ptlen, NULL);
		env[i] ^= mask;
		if (rc == CC_OK)
			fail_msg("flip of byte %zu (mask %02x) not detected", i, mask);
		assert_null(pt);
	}
	/* the reader that refused every flip still opens the envelope intact */
	uint8_t *pt = NULL;
	size_t ptlen = 0;
	assert_int_equal(cc_env_open_with(r, env, envlen, &pt, &ptlen, NULL), CC_OK);
	assert_int_equal(ptlen, 15);
	assert_memory_equal(pt, "a small concern", 15);
	cc_free_wipe(pt, ptlen);
	cc_env_reader_abort(r);
	free(env);
}

static void
truncations_rejected(void **state)
{
	(void)state;
	const struct cc_seckey *ks[] = {alice};
	uint8_t *pt = calloc(1, 3 * CC_CHUNK_DATA), *env;
	size_t envlen;
	seal_to(ks, 1, CC_KIND_ATTACHMENT, pt, 3 * CC_CHUNK_DATA, &env, &envlen);
	size_t hdr = CC_ENV_HEADER_LEN(1);
	assert_int_equal(envlen, hdr + 3 * CC_ENV_CT_CHUNK);
	/* at every chunk boundary, and inside each chunk and the header */
	size_t cuts[] = {hdr, hdr + CC_ENV_CT_CHUNK, hdr + 2 * CC_ENV_CT_CHUNK, hdr - 1, 12, 13,
	    hdr + 1, hdr + 100, hdr + CC_ENV_CT_CHUNK + 7, envlen - 1, envlen - 17};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++)
		open_fails(alice, env, cuts[i], CC_ETRUNCATED);
	open_fails(alice, env, 0, CC_EFORMAT);
	open_fails(alice, env, 3, CC_EFORMAT);
	free(env);
	free(pt);
}

static void
reordered_and_spliced_chunks_rejected(void **state)
{
	(void)state;
	const struct cc_seckey *ks[] = {alice};
	size_t len = 3 * CC_CHUNK_DATA;
	uint8_t *pt = malloc(len), *a, *b;
	size_t alen, blen, hdr = CC_ENV_HEADER_LEN(1), c = CC_ENV_CT_CHUNK;
	test_pattern(pt, len, 0);
	seal_to(ks, 1, CC_KIND_ATTACHMENT, pt, len, &a, &alen);
	seal_to(ks, 1, CC_KIND_ATTACHMENT, pt, len, &b, &blen);
	uint8_t *tmp = malloc(c);

	/* swap chunks 1 and 2 */
	memcpy(tmp, a + hdr + c, c);
	memcpy(a + hdr + c, a + hdr + 2 * c, c);
	memcpy(a + hdr + 2 * c, tmp, c);
	open_fails(alice, a, alen, CC_ETAMPERED);
	memcpy(a + hdr + 2 * c, a + hdr + c, c);
	memcpy(a + hdr + c, tmp, c);
	/* chunk 1 duplicated over chunk 2 */
	memcpy(tmp, a + hdr + 2 * c, c);
	memcpy(a + hdr + 2 * c, a + hdr + c, c);
	open_fails(alice, a, alen, CC_ETAMPERED);
	memcpy(a + hdr + 2 * c, tmp, c);
	/* a chunk from another envelope (other key, same position) */
	memcpy(tmp, a + hdr + c, c);
	memcpy(a + hdr + c, b + hdr + c, c);
	open_fails(alice, a, alen, CC_ETAMPERED);
	memcpy(a + hdr + c, tmp, c);
	/* b's header on a's body: the content key differs */
	uint8_t *mix = malloc(alen);
	memcpy(mix, b, hdr);
	memcpy(mix + hdr, a + hdr, alen - hdr);
	open_fails(alice, mix, alen, CC_ETAMPERED);
	/* final chunk dropped, then the envelope cut to its first chunk */
	open_fails(alice, a, alen - c, CC_ETRUNCATED);
	/* intact again: must open */
	uint8_t *back;
	size_t backlen;
	assert_int_equal(cc_env_open(&alice->box, a, alen, &back, &backlen, NULL), CC_OK);
	cc_free_wipe(back, backlen);
	free(mix);
	free(tmp);
	free(a);
	free(b);
	free(pt);
}

static void
bytes_after_final_rejected(void **state)
{
	(void)state;
	const struct cc_seckey *ks[] = {alice};
	uint8_t *env;
	size_t envlen, hdr = CC_ENV_HEADER_LEN(1);
	seal_to(ks, 1, CC_KIND_MESSAGE, (const uint8_t *)"m", 1, &env, &envlen);
	uint8_t *big = malloc(envlen + CC_ENV_CT_CHUNK);
	memcpy(big, env, envlen);
	big[envlen] = 0;
	open_fails(alice, big, envlen + 1, CC_ETAMPERED);
	/* a whole copy of the last chunk appended */
	memcpy(big + envlen, env + hdr, CC_ENV_CT_CHUNK);
	open_fails(alice, big, envlen + CC_ENV_CT_CHUNK, CC_ETAMPERED);
	free(big);
	free(env);
}

/* Header fields, each set to a wrong value: refused as a format error
 * before any key is tried. */
static void
header_fields_checked(void **state)
{
	(void)state;
	const struct cc_seckey *ks[] = {alice};
	uint8_t *env;
	size_t envlen;
	seal_to(ks, 1, CC_KIND_CONCERN, (const uint8_t *)"h", 1, &env, &envlen);
	static const struct {
		size_t off;
		uint8_t val;
	} bad[] = {{0, 'X'}, {3, 'x'}, {4, 0}, {4, 2}, {5, 0}, {5, 6}, {5, 255}, {6, 0}, {6, 17},
	    {6, 255}, {7, 1}, {8, 1}, {9, 0x41}, {11, 1}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint8_t old = env[bad[i].off];
		env[bad[i].off] = bad[i].val;
		open_fails(alice, env, envlen, CC_EFORMAT);
		uint8_t ids[CC_MAX_RECIPIENTS][CC_KEYID_BYTES];
		size_t n;
		int kind;
		assert_int_equal(cc_env_recipients(env, envlen, ids, &n, &kind), CC_EFORMAT);
		env[bad[i].off] = old;
	}
	/* nrecip raised to 2: the body is now read as the second entry */
	env[6] = 2;
	assert_int_not_equal(
	    cc_env_open(&alice->box, env, envlen, &(uint8_t *){NULL}, &(size_t){0}, NULL), CC_OK);
	env[6] = 1;
	/* our key id changed: no entry is ours */
	env[CC_ENV_FIXED] ^= 1;
	open_fails(alice, env, envlen, CC_ENOTRECIPIENT);
	env[CC_ENV_FIXED] ^= 1;
	/* the sealed key under our id changed */
	env[CC_ENV_FIXED + CC_KEYID_BYTES + 40] ^= 1;
	open_fails(alice, env, envlen, CC_ETAMPERED);
	env[CC_ENV_FIXED + CC_KEYID_BYTES + 40] ^= 1;
	free(env);
}

/* The header is the first chunk's additional data: a valid but different
 * kind, or a change to another recipient's entry, is caught by the AEAD. */
static void
header_bound_to_body(void **state)
{
	(void)state;
	const struct cc_seckey *ks[] = {alice, bob};
	uint8_t *env;
	size_t envlen;
	seal_to(ks, 2, CC_KIND_CONCERN, (const uint8_t *)"bound", 5, &env, &envlen);
	env[5] = CC_KIND_REPLY;
	open_fails(alice, env, envlen, CC_ETAMPERED);
	env[5] = CC_KIND_CONCERN;
	size_t bob_entry = CC_ENV_FIXED + CC_ENV_ENTRY;
	env[bob_entry] ^= 1; /* bob's key id */
	open_fails(alice, env, envlen, CC_ETAMPERED);
	env[bob_entry] ^= 1;
	env[bob_entry + CC_KEYID_BYTES + 3] ^= 1; /* bob's sealed key */
	open_fails(alice, env, envlen, CC_ETAMPERED);
	open_fails(bob, env, envlen, CC_ETAMPERED);
	env[bob_entry + CC_KEYID_BYTES + 3] ^= 1;
	uint8_t *pt;
	size_t ptlen;
	assert_int_equal(cc_env_open(&bob->box, env, envlen, &pt, &ptlen, NULL), CC_OK);
	cc_free_wipe(pt, ptlen);
	free(env);
}

static void
recipients_of_garbage(void **state)
{
	(void)state;
	uint8_t ids[CC_MAX_RECIPIENTS][CC_KEYID_BYTES];
	size_t n = 7;
	int kind = 7;
	uint8_t junk[64] = "CDEN\x01\x01\x02\x00";
	assert_int_equal(cc_env_recipients(junk, 5, ids, &n, &kind), CC_EFORMAT);
	assert_int_equal(n, 0);
	le32_store(junk + 8, CC_CHUNK_BYTES);
	assert_int_equal(cc_env_recipients(junk, sizeof junk, ids, &n, &kind), CC_ETRUNCATED);
	assert_int_equal(kind, 0);
}

static void
wrong_key_with_our_id_fails(void **state)
{
	(void)state;
	const struct cc_seckey *ks[] = {alice};
	uint8_t *env;
	size_t envlen;
	seal_to(ks, 1, CC_KIND_REPLY, (const uint8_t *)"r", 1, &env, &envlen);
	struct cc_boxkey forged = bob->box;
	memcpy(forged.keyid, alice->box.keyid, CC_KEYID_BYTES);
	uint8_t *pt = NULL;
	size_t ptlen;
	assert_int_equal(cc_env_open(&forged, env, envlen, &pt, &ptlen, NULL), CC_ETAMPERED);
	assert_null(pt);
	free(env);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip_sizes),
	    cmocka_unit_test(every_kind_round_trips),
	    cmocka_unit_test(sixteen_recipients_each_open),
	    cmocka_unit_test(bad_kind_refused),
	    cmocka_unit_test(low_order_recipient_refused),
	    cmocka_unit_test(padding_buckets),
	    cmocka_unit_test(pad_chunks_is_padme),
	    cmocka_unit_test(every_byte_flip_detected),
	    cmocka_unit_test(truncations_rejected),
	    cmocka_unit_test(reordered_and_spliced_chunks_rejected),
	    cmocka_unit_test(bytes_after_final_rejected),
	    cmocka_unit_test(header_fields_checked),
	    cmocka_unit_test(header_bound_to_body),
	    cmocka_unit_test(recipients_of_garbage),
	    cmocka_unit_test(wrong_key_with_our_id_fails),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
