/* Reviewer key pairs and the passphrase-protected secret key file. */
#include "tests/crypto/helpers.h"
#include "crypto/cc_internal.h"

#define PASS "correct horse battery staple"

static uint8_t *file;
static size_t filelen;

static int
setup(void **state)
{
	struct cc_kdf kdf;
	if (setup_sodium(state) != 0 || cc_keypair_generate("alice", &alice) != CC_OK)
		return -1;
	cc_kdf_interactive(&kdf);
	return cc_seckey_seal(alice, PASS, strlen(PASS), &kdf, &file, &filelen);
}

static int
teardown(void **state)
{
	(void)state;
	cc_seckey_free(alice);
	free(file);
	return 0;
}

static void
same_key(const struct cc_seckey *a, const struct cc_seckey *b)
{
	assert_string_equal(a->pub.name, b->pub.name);
	assert_memory_equal(a->box.sk, b->box.sk, CC_BOX_SK);
	assert_memory_equal(a->box.pk, b->box.pk, CC_BOX_PK);
	assert_memory_equal(a->box.keyid, b->box.keyid, CC_KEYID_BYTES);
	assert_memory_equal(a->pub.keyid, b->pub.keyid, CC_KEYID_BYTES);
	assert_memory_equal(a->sign_sk, b->sign_sk, CC_SIGN_SK);
	assert_memory_equal(a->pub.sign_pk, b->pub.sign_pk, CC_SIGN_PK);
}

static void
names(void **state)
{
	(void)state;
	char longest[CC_NAME_MAX + 2];
	memset(longest, 'a', sizeof longest);
	longest[CC_NAME_MAX] = '\0';
	assert_true(cc_name_valid("alice"));
	assert_true(cc_name_valid("A.b_c-9"));
	assert_true(cc_name_valid(longest));
	longest[CC_NAME_MAX] = 'a';
	longest[CC_NAME_MAX + 1] = '\0';
	assert_false(cc_name_valid(longest));
	assert_false(cc_name_valid(""));
	assert_false(cc_name_valid(NULL));
	assert_false(cc_name_valid("al ice"));
	assert_false(cc_name_valid("al/ice"));
	assert_false(cc_name_valid("ali\nce"));
	assert_false(cc_name_valid("\xc3\xa9"));
	struct cc_seckey *k = (struct cc_seckey *)1;
	assert_int_equal(cc_keypair_generate("no way", &k), CC_EFORMAT);
	assert_null(k);
}

static void
key_ids_and_pairs(void **state)
{
	(void)state;
	uint8_t id[CC_KEYID_BYTES], want[CC_KEYID_BYTES];
	cc_keyid(alice->box.pk, id);
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, CC_KEYID_BYTES);
	crypto_generichash_update(&st, (const uint8_t *)"candour-keyid-v1", 16);
	crypto_generichash_update(&st, alice->box.pk, CC_BOX_PK);
	crypto_generichash_final(&st, want, CC_KEYID_BYTES);
	assert_memory_equal(id, want, CC_KEYID_BYTES);
	assert_memory_equal(id, alice->pub.keyid, CC_KEYID_BYTES);
	struct cc_recipient r;
	cc_recipient_of(&alice->pub, &r);
	assert_memory_equal(r.pk, alice->box.pk, CC_BOX_PK);
	assert_memory_equal(r.keyid, id, CC_KEYID_BYTES);
	struct cc_seckey *b = test_key("alice");
	assert_memory_not_equal(b->box.pk, alice->box.pk, CC_BOX_PK);
	assert_memory_not_equal(b->pub.sign_pk, alice->pub.sign_pk, CC_SIGN_PK);
	cc_seckey_free(b);
	cc_seckey_free(NULL);
}

static void
file_round_trip(void **state)
{
	(void)state;
	struct cc_seckey *k;
	assert_int_equal(filelen, CC_SK_FILE);
	assert_true(filelen <= CC_SECFILE_MAX);
	assert_memory_equal(file, "CDSK\x01\x01\x00\x00", 8);
	assert_int_equal(le64_load(file + 8), crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
	assert_int_equal(le64_load(file + 16), crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
	assert_int_equal(cc_seckey_open(file, filelen, PASS, strlen(PASS), &k), CC_OK);
	same_key(alice, k);
	cc_seckey_free(k);
}

static void
wrong_passphrase(void **state)
{
	(void)state;
	struct cc_seckey *k = (struct cc_seckey *)1;
	assert_int_equal(
	    cc_seckey_open(file, filelen, "correct horse battery stapler", 29, &k), CC_EPASSPHRASE);
	assert_null(k);
	assert_int_equal(cc_seckey_open(file, filelen, PASS, strlen(PASS) - 1, &k), CC_EPASSPHRASE);
	assert_int_equal(cc_seckey_open(file, filelen, PASS, 0, &k), CC_EPASSPHRASE);
	assert_int_equal(cc_seckey_open(file, filelen, NULL, 0, &k), CC_EPASSPHRASE);
	assert_null(k);
}

static void
not_a_key_file(void **state)
{
	(void)state;
	struct cc_seckey *k = (struct cc_seckey *)1;
	uint8_t junk[CC_SK_FILE] = {0};
	assert_int_equal(cc_seckey_open(junk, sizeof junk, PASS, strlen(PASS), &k), CC_EFORMAT);
	assert_int_equal(cc_seckey_open(file, filelen - 1, PASS, strlen(PASS), &k), CC_EFORMAT);
	assert_int_equal(cc_seckey_open(file, 0, PASS, strlen(PASS), &k), CC_EFORMAT);
	uint8_t *longer = calloc(1, filelen + 1);
	memcpy(longer, file, filelen);
	assert_int_equal(cc_seckey_open(longer, filelen + 1, PASS, strlen(PASS), &k), CC_EFORMAT);
	free(longer);
	assert_null(k);
}

/* A hostile file asking for 64 GiB, or 2^63 passes, or less than
 * INTERACTIVE, is refused before Argon2id runs (the test would take
 * minutes or be killed otherwise): a format error outside what Argon2id may
 * ever run with here, CC_ELIMIT for the test-only range (t=1, or 64 KiB
 * up to INTERACTIVE) while the test floor is off, as it is in production. */
static void
kdf_bounds_refused_before_derivation(void **state)
{
	(void)state;
	static const uint64_t ops[] = {0, 1, 17, UINT64_MAX, 2, 2, 2, 2, 2, 2, 1};
	static const uint64_t mem[] = {64 << 20, 64 << 20, 64 << 20, 64 << 20, (uint64_t)64 << 30,
	    (uint64_t)1 << 30 | 1, 8 << 20, UINT64_MAX, (64 << 10) - 1, 64 << 10, 0};
	uint8_t *f = malloc(filelen);
	struct cc_seckey *k = (struct cc_seckey *)1;
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		memcpy(f, file, filelen);
		le64_store(f + 8, ops[i]);
		le64_store(f + 16, mem[i]);
		int want = kdf_bounds_ok(ops[i], mem[i], CC_KDF_OPS_MIN, CC_KDF_MEM_TEST)
			       ? CC_ELIMIT
			       : CC_EFORMAT;
		assert_int_equal(cc_seckey_open(f, filelen, PASS, strlen(PASS), &k), want);
		assert_null(k);
		struct cc_kdf kdf = {ops[i], mem[i]};
		uint8_t *out = (uint8_t *)1;
		size_t outlen = 1;
		assert_int_equal(
		    cc_seckey_seal(alice, PASS, strlen(PASS), &kdf, &out, &outlen), CC_ELIMIT);
		assert_null(out);
		assert_int_equal(outlen, 0);
	}
	free(f);
}

/* The test-only limits (cc_kdf_test) seal and open only while the test
 * floor is on: off (production), seal refuses them and open refuses a file
 * holding them before any derivation; the floor changes nothing else. */
static void
test_floor_only_when_on(void **state)
{
	(void)state;
	struct cc_kdf kdf;
	uint8_t *weak = (uint8_t *)1;
	size_t weaklen = 1;
	struct cc_seckey *k = (struct cc_seckey *)1;
	cc_kdf_test(&kdf);
	assert_int_equal(kdf.opslimit, 1);
	assert_int_equal(kdf.memlimit, (uint64_t)64 << 10);
	assert_int_equal(
	    cc_seckey_seal(alice, PASS, strlen(PASS), &kdf, &weak, &weaklen), CC_ELIMIT);
	assert_null(weak);
	assert_int_equal(weaklen, 0);

	cc_seckey_test_floor(1);
	assert_int_equal(cc_seckey_seal(alice, PASS, strlen(PASS), &kdf, &weak, &weaklen), CC_OK);
	assert_int_equal(le64_load(weak + 8), 1);
	assert_int_equal(le64_load(weak + 16), (uint64_t)64 << 10);
	assert_int_equal(cc_seckey_open(weak, weaklen, PASS, strlen(PASS), &k), CC_OK);
	same_key(alice, k);
	cc_seckey_free(k);
	k = (struct cc_seckey *)1;
	assert_int_equal(cc_seckey_open(weak, weaklen, "wrong", 5, &k), CC_EPASSPHRASE);
	assert_null(k);
	/* still nothing below the test limits, and the production file opens */
	struct cc_kdf lower = {0, (uint64_t)64 << 10}, less = {1, ((uint64_t)64 << 10) - 1};
	uint8_t *out = (uint8_t *)1;
	size_t outlen = 1;
	assert_int_equal(
	    cc_seckey_seal(alice, PASS, strlen(PASS), &lower, &out, &outlen), CC_ELIMIT);
	assert_int_equal(
	    cc_seckey_seal(alice, PASS, strlen(PASS), &less, &out, &outlen), CC_ELIMIT);
	assert_null(out);
	assert_int_equal(cc_seckey_open(file, filelen, PASS, strlen(PASS), &k), CC_OK);
	cc_seckey_free(k);

	cc_seckey_test_floor(0);
	k = (struct cc_seckey *)1;
	assert_int_equal(cc_seckey_open(weak, weaklen, PASS, strlen(PASS), &k), CC_ELIMIT);
	assert_null(k);
	assert_int_equal(cc_seckey_open(file, filelen, PASS, strlen(PASS), &k), CC_OK);
	cc_seckey_free(k);
	free(weak);
}

static void
seal_refuses_bad_input(void **state)
{
	(void)state;
	struct cc_kdf kdf;
	uint8_t *out = (uint8_t *)1;
	size_t outlen = 1;
	cc_kdf_interactive(&kdf);
	assert_int_equal(cc_seckey_seal(alice, "", 0, &kdf, &out, &outlen), CC_EPASSPHRASE);
	assert_null(out);
	struct cc_seckey *bad = test_key("x");
	bad->pub.name[0] = ' ';
	assert_int_equal(cc_seckey_seal(bad, PASS, strlen(PASS), &kdf, &out, &outlen), CC_EFORMAT);
	assert_null(out);
	cc_seckey_free(bad);
	cc_kdf_moderate(&kdf);
	assert_int_equal(kdf.opslimit, crypto_pwhash_argon2id_OPSLIMIT_MODERATE);
	assert_int_equal(kdf.memlimit, crypto_pwhash_argon2id_MEMLIMIT_MODERATE);
}

/* Every byte of the file, flipped, stops it opening. Magic, version and
 * limits go through cc_seckey_open (Argon2id runs when a flipped limit is
 * still in bounds); salt, nonce, ciphertext and tag bytes through the same
 * decryption step with the key derived once here, which is what
 * cc_seckey_open runs after Argon2id (the salt is in the AD, so a changed
 * salt fails there even with the old key). A few positions of each kind
 * also go through the whole public path. */
static void
every_byte_flip_detected(void **state)
{
	(void)state;
	uint8_t *f = malloc(filelen);
	uint8_t key[32];
	struct cc_seckey *k = NULL;
	memcpy(f, file, filelen);
	assert_int_equal(crypto_pwhash(key, 32, PASS, strlen(PASS), file + 24, le64_load(file + 8),
			     le64_load(file + 16), crypto_pwhash_ALG_ARGON2ID13),
	    0);
	/* control: the shortcut opens the intact file */
	assert_int_equal(keyfile_decrypt(f, key, &k), CC_OK);
	same_key(alice, k);
	cc_seckey_free(k);
	for (size_t i = 0; i < filelen; i++) {
		f[i] ^= 0x01;
		int rc = i < 24 ? cc_seckey_open(f, filelen, PASS, strlen(PASS), &k)
				: keyfile_decrypt(f, key, &k);
		/* The exact error: magic, version, KDF id and reserved bytes
		 * are refused as a format error before any KDF runs; KDF
		 * limits out of bounds likewise; everything else reaches the
		 * AEAD, whose AD is the whole header, and fails there. */
		int want = CC_EPASSPHRASE;
		if (i < 8 || (i < 24 && !kdf_bounds_ok(le64_load(f + 8), le64_load(f + 16),
					    CC_KDF_OPS_MIN, CC_KDF_MEM_TEST)))
			want = CC_EFORMAT;
		else if (i < 24 && !kdf_bounds_ok(le64_load(f + 8), le64_load(f + 16),
				       CC_SK_OPS_MIN, CC_SK_MEM_MIN))
			want = CC_ELIMIT; /* the test-only range, floor off */
		f[i] ^= 0x01;
		if (rc == CC_OK)
			fail_msg("flip of byte %zu not detected", i);
		if (rc != want)
			fail_msg("flip of byte %zu: error %d, want %d", i, rc, want);
		assert_null(k);
	}
	/* and a few through the whole public path */
	static const size_t some[] = {24, 39, 40, 63, 64, 200, CC_SK_FILE - 1};
	for (size_t i = 0; i < sizeof some / sizeof some[0]; i++) {
		f[some[i]] ^= 0x80;
		assert_int_equal(
		    cc_seckey_open(f, filelen, PASS, strlen(PASS), &k), CC_EPASSPHRASE);
		f[some[i]] ^= 0x80;
	}
	sodium_memzero(key, sizeof key);
	free(f);
}

/* A file whose contents authenticate but do not form a consistent key
 * (what a buggy writer could make) is refused. */
static void
inconsistent_contents_refused(void **state)
{
	(void)state;
	uint8_t key[32], nonce[24], hdr[CC_SK_HEADER], plain[CC_SK_PLAIN];
	uint8_t f[CC_SK_FILE];
	struct cc_seckey *k = NULL;
	memcpy(hdr, file, CC_SK_HEADER);
	randombytes_buf(key, sizeof key);
	memcpy(nonce, hdr + 40, 24);
	for (int c = 0; c < 8; c++) { /* c == 7: unchanged, the control */
		memset(plain, 0, sizeof plain);
		plain[0] = 5;
		memcpy(plain + 1, "alice", 5);
		uint8_t *p = plain + 1 + CC_NAME_MAX;
		memcpy(p, alice->box.sk, 32);
		memcpy(p + 32, alice->box.pk, 32);
		memcpy(p + 64, alice->sign_sk, 64);
		memcpy(p + 128, alice->pub.sign_pk, 32);
		if (c == 0)
			p[32] ^= 1; /* box pk not of box sk */
		if (c == 1)
			p[128] ^= 1; /* sign pk not of sign sk */
		if (c == 2)
			plain[0] = 0; /* empty name */
		if (c == 3)
			plain[10] = 'x'; /* bytes after the name */
		if (c == 4)
			plain[2] = ' '; /* invalid name */
		if (c == 5)
			plain[1 + 5] = 'x'; /* the first byte after the name */
		if (c == 6)
			plain[CC_NAME_MAX] = 1; /* the last byte of the name field */
		memcpy(f, hdr, CC_SK_HEADER);
		crypto_aead_xchacha20poly1305_ietf_encrypt(f + CC_SK_HEADER, NULL, plain,
		    CC_SK_PLAIN, hdr, CC_SK_HEADER, NULL, nonce, key);
		assert_int_equal(keyfile_decrypt(f, key, &k), c == 7 ? CC_OK : CC_EFORMAT);
		assert_true((k != NULL) == (c == 7));
		cc_seckey_free(k);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(names),
	    cmocka_unit_test(key_ids_and_pairs),
	    cmocka_unit_test(file_round_trip),
	    cmocka_unit_test(wrong_passphrase),
	    cmocka_unit_test(not_a_key_file),
	    cmocka_unit_test(kdf_bounds_refused_before_derivation),
	    cmocka_unit_test(test_floor_only_when_on),
	    cmocka_unit_test(seal_refuses_bad_input),
	    cmocka_unit_test(every_byte_flip_detected),
	    cmocka_unit_test(inconsistent_contents_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
