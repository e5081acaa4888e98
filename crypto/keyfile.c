/*
 * Passphrase-protected secret key file. Layout (SECURITY.md):
 *   0  "CDSK"            4  u8 version 1     5  u8 kdf 1 (Argon2id v1.3)
 *   6  u16 reserved 0    8  u64le opslimit  16  u64le memlimit
 *  24  salt[16]         40  nonce[24]       64  ciphertext (225 + 16)
 * XChaCha20-Poly1305-IETF under Argon2id(pass, salt), AD = bytes 0..63.
 * Plaintext: u8 namelen | name[64] zero-filled | box sk | box pk |
 * sign sk (64) | sign pk.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/cc_internal.h"

#define KEYBYTES crypto_aead_xchacha20poly1305_ietf_KEYBYTES

/* Off unless a test suite turns it on (cc_seckey_test_floor): key files
 * below INTERACTIVE are then sealed and opened down to cc_kdf_test. */
static int test_floor;

void
cc_seckey_test_floor(int on)
{
	test_floor = on != 0;
}

/* CC_OK for limits a key file may have now; CC_EFORMAT outside anything
 * Argon2id is allowed here; CC_ELIMIT for test-only limits without the
 * test floor (a distinct answer, so that serve still recognises such a
 * file as a secret key in --keys). */
static int
keyfile_limits(uint64_t ops, uint64_t mem)
{
	if (!kdf_bounds_ok(ops, mem, CC_KDF_OPS_MIN, CC_KDF_MEM_TEST))
		return CC_EFORMAT;
	if (!test_floor && !kdf_bounds_ok(ops, mem, CC_SK_OPS_MIN, CC_SK_MEM_MIN))
		return CC_ELIMIT;
	return CC_OK;
}

static int
derive(
    uint8_t *key, const char *pass, size_t passlen, const uint8_t *salt, uint64_t ops, uint64_t mem)
{
	if (crypto_pwhash(key, KEYBYTES, pass, passlen, salt, ops, (size_t)mem,
		crypto_pwhash_ALG_ARGON2ID13) != 0)
		return CC_ERR; /* out of memory */
	return CC_OK;
}

static void
plain_pack(const struct cc_seckey *k, uint8_t *p)
{
	size_t n = strlen(k->pub.name);
	memset(p, 0, CC_SK_PLAIN);
	p[0] = (uint8_t)n;
	memcpy(p + 1, k->pub.name, n);
	p += 1 + CC_NAME_MAX;
	memcpy(p, k->box.sk, CC_BOX_SK);
	memcpy(p + CC_BOX_SK, k->box.pk, CC_BOX_PK);
	p += CC_BOX_SK + CC_BOX_PK;
	memcpy(p, k->sign_sk, CC_SIGN_SK);
	memcpy(p + CC_SIGN_SK, k->pub.sign_pk, CC_SIGN_PK);
}

/* Authenticated but still checked: a consistent key is the only thing we
 * accept, so a bug in a writer cannot produce a half-working key. */
static int
plain_unpack(const uint8_t *p, struct cc_seckey *k)
{
	size_t n = p[0];
	uint8_t pk[CC_BOX_PK], spk[CC_SIGN_PK], ssk[CC_SIGN_SK];
	int rc = CC_EFORMAT;

	if (n == 0 || n > CC_NAME_MAX)
		return CC_EFORMAT;
	for (size_t i = 1 + n; i < 1 + CC_NAME_MAX; i++)
		if (p[i] != 0)
			return CC_EFORMAT;
	memcpy(k->pub.name, p + 1, n);
	k->pub.name[n] = '\0';
	if (!cc_name_valid(k->pub.name))
		return CC_EFORMAT;
	p += 1 + CC_NAME_MAX;
	memcpy(k->box.sk, p, CC_BOX_SK);
	memcpy(k->box.pk, p + CC_BOX_SK, CC_BOX_PK);
	p += CC_BOX_SK + CC_BOX_PK;
	memcpy(k->sign_sk, p, CC_SIGN_SK);
	memcpy(k->pub.sign_pk, p + CC_SIGN_SK, CC_SIGN_PK);

	if (crypto_scalarmult_base(pk, k->box.sk) != 0 || sodium_memcmp(pk, k->box.pk, CC_BOX_PK))
		goto out;
	if (crypto_sign_seed_keypair(spk, ssk, k->sign_sk) != 0 ||
	    sodium_memcmp(ssk, k->sign_sk, CC_SIGN_SK) ||
	    sodium_memcmp(spk, k->pub.sign_pk, CC_SIGN_PK))
		goto out;
	cc_keyid(k->box.pk, k->box.keyid);
	memcpy(k->pub.box_pk, k->box.pk, CC_BOX_PK);
	memcpy(k->pub.keyid, k->box.keyid, CC_KEYID_BYTES);
	rc = CC_OK;
out:
	sodium_memzero(ssk, sizeof ssk);
	return rc;
}

int
cc_seckey_seal(const struct cc_seckey *k, const char *pass, size_t passlen,
    const struct cc_kdf *kdf, uint8_t **out, size_t *outlen)
{
	uint8_t *file = NULL, *plain = NULL, *key = NULL;
	int rc = CC_ERR;

	*out = NULL;
	*outlen = 0;
	if (passlen == 0 || pass == NULL)
		return CC_EPASSPHRASE;
	if (keyfile_limits(kdf->opslimit, kdf->memlimit) != CC_OK)
		return CC_ELIMIT;
	if (!cc_name_valid(k->pub.name))
		return CC_EFORMAT;
	if ((file = malloc(CC_SK_FILE)) == NULL || (plain = sodium_malloc(CC_SK_PLAIN)) == NULL ||
	    (key = sodium_malloc(KEYBYTES)) == NULL)
		goto fail;

	memcpy(file, CC_SK_MAGIC, 4);
	file[4] = CC_SK_VERSION;
	file[5] = CC_SK_KDF_ARGON2ID13;
	file[6] = file[7] = 0;
	le64_store(file + 8, kdf->opslimit);
	le64_store(file + 16, kdf->memlimit);
	randombytes_buf(file + 24, CC_SK_SALT);
	randombytes_buf(file + 40, CC_SK_NONCE);
	if ((rc = derive(key, pass, passlen, file + 24, kdf->opslimit, kdf->memlimit)) != CC_OK)
		goto fail;
	plain_pack(k, plain);
	crypto_aead_xchacha20poly1305_ietf_encrypt(file + CC_SK_HEADER, NULL, plain, CC_SK_PLAIN,
	    file, CC_SK_HEADER, NULL, file + 40, key);
	*out = file;
	*outlen = CC_SK_FILE;
	file = NULL;
	rc = CC_OK;
fail:
	free(file);
	if (plain)
		sodium_free(plain);
	if (key)
		sodium_free(key);
	return rc;
}

int
keyfile_decrypt(const uint8_t *in, const uint8_t *key, struct cc_seckey **out)
{
	uint8_t *plain = NULL;
	struct cc_seckey *k = NULL;
	int rc = CC_ERR;

	*out = NULL;
	if ((plain = sodium_malloc(CC_SK_PLAIN)) == NULL || (k = sodium_malloc(sizeof *k)) == NULL)
		goto fail;
	memset(k, 0, sizeof *k);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL, in + CC_SK_HEADER,
		CC_SK_FILE - CC_SK_HEADER, in, CC_SK_HEADER, in + 40, key) != 0) {
		rc = CC_EPASSPHRASE;
		goto fail;
	}
	if ((rc = plain_unpack(plain, k)) != CC_OK)
		goto fail;
	*out = k;
	k = NULL;
fail:
	if (k)
		sodium_free(k);
	if (plain)
		sodium_free(plain);
	return rc;
}

int
cc_seckey_open(
    const uint8_t *in, size_t inlen, const char *pass, size_t passlen, struct cc_seckey **out)
{
	uint8_t *key = NULL;
	int rc;

	*out = NULL;
	if (inlen != CC_SK_FILE || memcmp(in, CC_SK_MAGIC, 4) != 0 || in[4] != CC_SK_VERSION ||
	    in[5] != CC_SK_KDF_ARGON2ID13 || in[6] != 0 || in[7] != 0)
		return CC_EFORMAT;
	uint64_t ops = le64_load(in + 8), mem = le64_load(in + 16);
	if ((rc = keyfile_limits(ops, mem)) != CC_OK)
		return rc;
	if (pass == NULL || passlen == 0)
		return CC_EPASSPHRASE;
	if ((key = sodium_malloc(KEYBYTES)) == NULL)
		return CC_ERR;
	if ((rc = derive(key, pass, passlen, in + 24, ops, mem)) == CC_OK)
		rc = keyfile_decrypt(in, key, out);
	sodium_free(key);
	return rc;
}
