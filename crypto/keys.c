/* Reviewer key pairs, key ids, names and KDF limits. */
#include <string.h>

#include "crypto/cc_internal.h"

void
cc_kdf_moderate(struct cc_kdf *k)
{
	k->opslimit = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
	k->memlimit = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
}

void
cc_kdf_interactive(struct cc_kdf *k)
{
	k->opslimit = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
	k->memlimit = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
}

void
cc_kdf_test(struct cc_kdf *k)
{
	k->opslimit = CC_KDF_OPS_MIN;
	k->memlimit = CC_KDF_MEM_TEST;
}

int
kdf_bounds_ok(uint64_t ops, uint64_t mem, uint64_t ops_min, uint64_t mem_min)
{
	return ops >= ops_min && ops <= CC_KDF_OPS_MAX && mem >= mem_min && mem <= CC_KDF_MEM_MAX &&
	       mem <= SIZE_MAX;
}

int
cc_name_valid(const char *name)
{
	size_t n = 0;
	if (name == NULL)
		return 0;
	for (; name[n] != '\0'; n++) {
		char c = name[n];
		if (n >= CC_NAME_MAX)
			return 0;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return n > 0;
}

void
cc_hash_prefixed(const char *prefix, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
    uint8_t *out, size_t outlen)
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, outlen);
	crypto_generichash_update(&st, (const uint8_t *)prefix, strlen(prefix));
	if (alen > 0)
		crypto_generichash_update(&st, a, alen);
	if (blen > 0)
		crypto_generichash_update(&st, b, blen);
	crypto_generichash_final(&st, out, outlen);
	sodium_memzero(&st, sizeof st);
}

void
cc_keyid(const uint8_t pk[CC_BOX_PK], uint8_t out[CC_KEYID_BYTES])
{
	cc_hash_prefixed("candour-keyid-v1", pk, CC_BOX_PK, NULL, 0, out, CC_KEYID_BYTES);
}

void
cc_recipient_of(const struct cc_pubkey *p, struct cc_recipient *r)
{
	memcpy(r->keyid, p->keyid, CC_KEYID_BYTES);
	memcpy(r->pk, p->box_pk, CC_BOX_PK);
}

int
cc_keypair_generate(const char *name, struct cc_seckey **out)
{
	*out = NULL;
	if (!cc_name_valid(name))
		return CC_EFORMAT;
	struct cc_seckey *k = sodium_malloc(sizeof *k);
	if (k == NULL)
		return CC_ERR;
	memset(k, 0, sizeof *k);
	memcpy(k->pub.name, name, strlen(name) + 1);
	if (crypto_box_keypair(k->box.pk, k->box.sk) != 0 ||
	    crypto_sign_keypair(k->pub.sign_pk, k->sign_sk) != 0) {
		sodium_free(k);
		return CC_ERR;
	}
	cc_keyid(k->box.pk, k->box.keyid);
	memcpy(k->pub.box_pk, k->box.pk, CC_BOX_PK);
	memcpy(k->pub.keyid, k->box.keyid, CC_KEYID_BYTES);
	*out = k;
	return CC_OK;
}

void
cc_seckey_free(struct cc_seckey *k)
{
	if (k != NULL)
		sodium_free(k); /* sodium_free wipes before unmapping */
}
