/*
 * Unlock once: the opened reviewer key kept in the kernel's session keyring
 * (add_key/keyctl: no socket, no file, never swapped to disk by us), so that
 * commands run after `unlock` neither ask the passphrase nor spend Argon2id
 * again. The entry expires by itself (keyctl timeout) and `lock` drops it.
 *
 * Binding: the entry's description is a hash of the secret key file's bytes,
 * and its payload repeats that hash; a command run with another key file
 * looks for another description and finds nothing. The payload is checked
 * (magic, hash, the public halves recomputed from the secret halves) before
 * it is used. Permissions: the possessor (this login session's processes,
 * which hold the session keyring) may view, read, write, search and set
 * the timeout; the user outside the session, the group and others nothing.
 */
#include <errno.h>
#include <string.h>

#include <keyutils.h>
#include <sodium.h>

#include "review/review.h"

#define KR_MAGIC "CDKR"
#define KR_VERSION 1
#define KR_HASH 16
#define KR_PREFIX "candour-review:"
#define KR_PAYLOAD (4 + 1 + KR_HASH + sizeof(struct cc_seckey))
#define KR_PERM                                                                            \
	(KEY_POS_VIEW | KEY_POS_READ | KEY_POS_WRITE | KEY_POS_SEARCH | KEY_POS_SETATTR)

/* The description ("candour-review:" + 32 hex) and the raw hash of a key file. */
static void
kr_name(const uint8_t *file, size_t flen, uint8_t hash[KR_HASH], char desc[64])
{
	static const char tag[] = "candour-keyring-v1";
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, KR_HASH);
	crypto_generichash_update(&st, (const uint8_t *)tag, sizeof(tag));
	crypto_generichash_update(&st, file, flen);
	crypto_generichash_final(&st, hash, KR_HASH);
	memcpy(desc, KR_PREFIX, sizeof(KR_PREFIX) - 1);
	sodium_bin2hex(desc + sizeof(KR_PREFIX) - 1, 64 - (sizeof(KR_PREFIX) - 1), hash, KR_HASH);
}

int
rv_keyring_put(const uint8_t *file, size_t flen, const struct cc_seckey *sk, unsigned secs)
{
	uint8_t hash[KR_HASH], *p = NULL;
	char desc[64];
	key_serial_t id;
	int rc = -1;

	if (secs == 0 || secs > RV_UNLOCK_MAX_SECS || (p = sodium_malloc(KR_PAYLOAD)) == NULL)
		return -1;
	kr_name(file, flen, hash, desc);
	memcpy(p, KR_MAGIC, 4);
	p[4] = KR_VERSION;
	memcpy(p + 5, hash, KR_HASH);
	memcpy(p + 5 + KR_HASH, sk, sizeof(*sk));
	/* A new entry is created with the possessor's rights and the user's
	 * view only; the timeout and the narrower rights follow at once, and
	 * the entry is dropped if either cannot be set. */
	id = add_key("user", desc, p, KR_PAYLOAD, KEY_SPEC_SESSION_KEYRING);
	if (id < 0)
		goto out;
	if (keyctl_set_timeout(id, secs) != 0 || keyctl_setperm(id, KR_PERM) != 0) {
		(void)keyctl_invalidate(id);
		goto out;
	}
	rc = 0;
out:
	sodium_free(p);
	return rc;
}

/* The id of the entry for this key file, or -1 (none, expired, no session keyring). */
static key_serial_t
kr_find(const uint8_t *file, size_t flen, uint8_t hash[KR_HASH])
{
	char desc[64];
	long id;

	kr_name(file, flen, hash, desc);
	id = keyctl_search(KEY_SPEC_SESSION_KEYRING, "user", desc, 0);
	return id < 0 ? -1 : (key_serial_t)id;
}

/* Checks that the secret halves give the public halves and the name is one. */
static int
kr_consistent(const struct cc_seckey *k)
{
	uint8_t pk[crypto_scalarmult_BYTES], id[CC_KEYID_BYTES];
	int ok;

	if (memchr(k->pub.name, '\0', sizeof(k->pub.name)) == NULL || !cc_name_valid(k->pub.name) ||
	    crypto_scalarmult_base(pk, k->box.sk) != 0)
		return -1;
	cc_keyid(pk, id);
	ok = sodium_memcmp(pk, k->box.pk, sizeof(pk)) == 0 &&
	     sodium_memcmp(pk, k->pub.box_pk, sizeof(pk)) == 0 &&
	     sodium_memcmp(id, k->box.keyid, sizeof(id)) == 0 &&
	     sodium_memcmp(id, k->pub.keyid, sizeof(id)) == 0 &&
	     sodium_memcmp(k->sign_sk + 32, k->pub.sign_pk, CC_SIGN_PK) == 0;
	return ok ? 0 : -1;
}

int
rv_keyring_get(const uint8_t *file, size_t flen, struct cc_seckey **out)
{
	uint8_t hash[KR_HASH], *p = NULL;
	struct cc_seckey *k = NULL;
	key_serial_t id;
	long n;
	int rc = 1;

	*out = NULL;
	if ((id = kr_find(file, flen, hash)) < 0)
		return 1;
	/* one byte more than expected, to see a payload that is too long */
	if ((p = sodium_malloc(KR_PAYLOAD + 1)) == NULL)
		return -1;
	n = keyctl_read(id, (char *)p, KR_PAYLOAD + 1);
	if (n != (long)KR_PAYLOAD || memcmp(p, KR_MAGIC, 4) != 0 || p[4] != KR_VERSION ||
	    sodium_memcmp(p + 5, hash, KR_HASH) != 0)
		goto out;
	if ((k = sodium_malloc(sizeof(*k))) == NULL) {
		rc = -1;
		goto out;
	}
	memcpy(k, p + 5 + KR_HASH, sizeof(*k));
	if (kr_consistent(k) != 0) {
		cc_seckey_free(k);
		goto out;
	}
	*out = k;
	rc = 0;
out:
	sodium_free(p);
	return rc;
}

int
rv_keyring_drop(const uint8_t *file, size_t flen)
{
	uint8_t hash[KR_HASH];
	key_serial_t id = kr_find(file, flen, hash);

	if (id < 0)
		return 1;
	return keyctl_invalidate(id) == 0 ? 0 : -1;
}
