/* BLAKE2b hashing, the record hash chain and bundle signatures. */
#include "tests/crypto/helpers.h"
#include "crypto/cc_internal.h"

#define NREC 5

static uint8_t sk[CC_SIGN_SK], pk[CC_SIGN_PK];

static int
setup(void **state)
{
	if (setup_sodium(state) != 0)
		return -1;
	return cc_signkey_generate(pk, sk);
}

static void
hash_matches_blake2b(void **state)
{
	(void)state;
	uint8_t a[CC_HASH_BYTES], b[CC_HASH_BYTES];
	/* BLAKE2b-256("abc"), from the BLAKE2 reference */
	static const uint8_t abc[CC_HASH_BYTES] = {0xbd, 0xdd, 0x81, 0x3c, 0x63, 0x42, 0x39, 0x72,
	    0x31, 0x71, 0xef, 0x3f, 0xee, 0x98, 0x57, 0x9b, 0x94, 0x96, 0x4e, 0x3b, 0xb1, 0xcb,
	    0x3e, 0x42, 0x72, 0x62, 0xc8, 0xc0, 0x68, 0xd5, 0x23, 0x19};
	cc_hash((const uint8_t *)"abc", 3, a);
	assert_memory_equal(a, abc, CC_HASH_BYTES);
	struct cc_hasher h;
	cc_hasher_init(&h);
	cc_hasher_update(&h, (const uint8_t *)"a", 1);
	cc_hasher_update(&h, (const uint8_t *)"", 0);
	cc_hasher_update(&h, (const uint8_t *)"bc", 2);
	cc_hasher_final(&h, b);
	assert_memory_equal(a, b, CC_HASH_BYTES);
	cc_hash((const uint8_t *)"abd", 3, b);
	assert_memory_not_equal(a, b, CC_HASH_BYTES);
}

static void
make_chain(uint8_t recs[NREC][CC_HASH_BYTES], uint8_t links[NREC + 1][CC_HASH_BYTES])
{
	cc_chain_genesis(links[0]);
	for (uint64_t n = 1; n <= NREC; n++) {
		char rec[32];
		snprintf(rec, sizeof rec, "record %llu", (unsigned long long)n);
		cc_hash((const uint8_t *)rec, strlen(rec), recs[n - 1]);
		cc_chain_next(links[n - 1], n, recs[n - 1], links[n]);
	}
}

/* What an importer does: recompute from the records, name the first
 * link that differs (0: none). */
static uint64_t
first_bad_link(uint8_t recs[NREC][CC_HASH_BYTES], uint8_t links[NREC + 1][CC_HASH_BYTES])
{
	uint8_t h[CC_HASH_BYTES];
	cc_chain_genesis(h);
	if (sodium_memcmp(h, links[0], CC_HASH_BYTES) != 0)
		return UINT64_MAX;
	for (uint64_t n = 1; n <= NREC; n++) {
		cc_chain_next(links[n - 1], n, recs[n - 1], h);
		if (sodium_memcmp(h, links[n], CC_HASH_BYTES) != 0)
			return n;
	}
	return 0;
}

static void
chain_definition(void **state)
{
	(void)state;
	uint8_t recs[NREC][CC_HASH_BYTES], links[NREC + 1][CC_HASH_BYTES], h[CC_HASH_BYTES];
	uint8_t buf[72];
	make_chain(recs, links);
	assert_true(sodium_is_zero(links[0], CC_HASH_BYTES));
	memcpy(buf, links[1], 32);
	le64_store(buf + 32, 2);
	memcpy(buf + 40, recs[1], 32);
	cc_hash(buf, sizeof buf, h);
	assert_memory_equal(h, links[2], CC_HASH_BYTES);
	assert_int_equal(first_bad_link(recs, links), 0);
}

static void
every_link_byte_flip_detected(void **state)
{
	(void)state;
	uint8_t recs[NREC][CC_HASH_BYTES], links[NREC + 1][CC_HASH_BYTES];
	make_chain(recs, links);
	for (uint64_t n = 1; n <= NREC; n++) {
		for (size_t i = 0; i < CC_HASH_BYTES; i++) {
			links[n][i] ^= 0x01;
			assert_int_equal(first_bad_link(recs, links), n);
			links[n][i] ^= 0x01;
			recs[n - 1][i] ^= 0x80;
			assert_int_equal(first_bad_link(recs, links), n);
			recs[n - 1][i] ^= 0x80;
		}
	}
	links[0][5] ^= 1;
	assert_int_equal(first_bad_link(recs, links), UINT64_MAX);
}

static void
reordered_or_renumbered_records_detected(void **state)
{
	(void)state;
	uint8_t recs[NREC][CC_HASH_BYTES], links[NREC + 1][CC_HASH_BYTES], h[CC_HASH_BYTES];
	make_chain(recs, links);
	uint8_t tmp[CC_HASH_BYTES];
	memcpy(tmp, recs[1], CC_HASH_BYTES);
	memcpy(recs[1], recs[2], CC_HASH_BYTES);
	memcpy(recs[2], tmp, CC_HASH_BYTES);
	assert_int_equal(first_bad_link(recs, links), 2);
	make_chain(recs, links);
	cc_chain_next(links[1], 3, recs[1], h); /* record 2 claimed as number 3 */
	assert_memory_not_equal(h, links[2], CC_HASH_BYTES);
	cc_chain_next(links[1], 2 + ((uint64_t)1 << 32), recs[1], h); /* high bits count */
	assert_memory_not_equal(h, links[2], CC_HASH_BYTES);
}

static void
sign_verify(void **state)
{
	(void)state;
	uint8_t hash[CC_HASH_BYTES], sig[CC_SIG_BYTES], m[47];
	cc_hash((const uint8_t *)"bundle", 6, hash);
	assert_int_equal(cc_sign_hash(sk, CC_SIG_EXPORT, hash, sig), CC_OK);
	assert_int_equal(cc_verify_hash(pk, CC_SIG_EXPORT, hash, sig), CC_OK);
	/* the signed message is exactly "candour-sig-v1" || ctx || hash */
	memcpy(m, "candour-sig-v1", 14);
	m[14] = CC_SIG_EXPORT;
	memcpy(m + 15, hash, 32);
	assert_int_equal(crypto_sign_verify_detached(sig, m, sizeof m, pk), 0);
}

static void
signature_negatives(void **state)
{
	(void)state;
	uint8_t hash[CC_HASH_BYTES], sig[CC_SIG_BYTES], opk[CC_SIGN_PK], osk[CC_SIGN_SK];
	cc_hash((const uint8_t *)"bundle", 6, hash);
	assert_int_equal(cc_sign_hash(sk, CC_SIG_REPLIES, hash, sig), CC_OK);
	/* wrong context: an export signature is no reply signature */
	assert_int_equal(cc_verify_hash(pk, CC_SIG_EXPORT, hash, sig), CC_EBADSIG);
	assert_int_equal(cc_verify_hash(pk, 0, hash, sig), CC_EFORMAT);
	assert_int_equal(cc_verify_hash(pk, 3, hash, sig), CC_EFORMAT);
	assert_int_equal(cc_sign_hash(sk, 7, hash, sig), CC_EFORMAT);
	assert_true(sodium_is_zero(sig, CC_SIG_BYTES));
	assert_int_equal(cc_sign_hash(sk, CC_SIG_REPLIES, hash, sig), CC_OK);
	/* wrong key */
	assert_int_equal(cc_signkey_generate(opk, osk), CC_OK);
	assert_int_equal(cc_verify_hash(opk, CC_SIG_REPLIES, hash, sig), CC_EBADSIG);
	/* every byte of the signature, the hash and the key */
	for (size_t i = 0; i < CC_SIG_BYTES; i++) {
		sig[i] ^= 0x01;
		assert_int_equal(cc_verify_hash(pk, CC_SIG_REPLIES, hash, sig), CC_EBADSIG);
		sig[i] ^= 0x01;
	}
	for (size_t i = 0; i < CC_HASH_BYTES; i++) {
		hash[i] ^= 0x80;
		assert_int_equal(cc_verify_hash(pk, CC_SIG_REPLIES, hash, sig), CC_EBADSIG);
		hash[i] ^= 0x80;
	}
	for (size_t i = 0; i < CC_SIGN_PK; i++) {
		pk[i] ^= 0x02;
		assert_int_equal(cc_verify_hash(pk, CC_SIG_REPLIES, hash, sig), CC_EBADSIG);
		pk[i] ^= 0x02;
	}
	assert_int_equal(cc_verify_hash(pk, CC_SIG_REPLIES, hash, sig), CC_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hash_matches_blake2b),
	    cmocka_unit_test(chain_definition),
	    cmocka_unit_test(every_link_byte_flip_detected),
	    cmocka_unit_test(reordered_or_renumbered_records_detected),
	    cmocka_unit_test(sign_verify),
	    cmocka_unit_test(signature_negatives),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
