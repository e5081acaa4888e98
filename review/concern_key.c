/*
 * Concern keys: what enforces the reporter's choice of reviewers with keys
 * rather than with tool logic. Each readable concern gets 32 random bytes
 * (its key), crypto_box_seal'ed to the X25519 key of each of its
 * recipients (key ids from the intake's envelope header) who is a reviewer
 * of this casebook, one row per reviewer in concern_keys (schema v4).
 * Everything the reporter wrote for the concern, and what reviewers write
 * about it, is sealed under subkeys of it (crypto_kdf context "ckey-v1":
 * id 1 field key, id 2 seed of the X25519 key pair for attachments). A
 * reviewer the reporter left out never gets a row, so neither the casebook
 * key nor their own key opens any of it.
 */
#include <string.h>

#include <sodium.h>

#include "review/cb_internal.h"

#define CK_SEALED (CB_KEY_BYTES + crypto_box_SEALBYTES)

/* Derives the field key of concern cid into cb, and the seed of its
 * attachment key pair: the pair itself (an X25519 base-point multiply,
 * a tenth of an import's CPU per concern) is made by cb_ck_box when an
 * attachment needs it. */
static int
ck_derive(struct casebook *cb, const char *cid, const uint8_t key[CB_KEY_BYTES])
{
	int rc = -1;

	cb->ck_box_ready = 0;
	if (crypto_kdf_derive_from_key(cb->ck_field, sizeof(cb->ck_field), 1, "ckey-v1", key) ==
		0 &&
	    crypto_kdf_derive_from_key(cb->ck_boxseed, sizeof(cb->ck_boxseed), 2, "ckey-v1", key) ==
		0) {
		snprintf(cb->ck_cid, sizeof(cb->ck_cid), "%s", cid);
		rc = 0;
	}
	if (rc != 0) {
		cb->ck_cid[0] = '\0';
		sodium_memzero(cb->ck_boxseed, sizeof(cb->ck_boxseed));
	}
	return rc;
}

const struct cc_boxkey *
cb_ck_box(struct casebook *cb)
{
	if (cb->ck_cid[0] == '\0')
		return NULL;
	if (!cb->ck_box_ready) {
		if (crypto_box_seed_keypair(cb->ck_box.pk, cb->ck_box.sk, cb->ck_boxseed) != 0)
			return NULL;
		cc_keyid(cb->ck_box.pk, cb->ck_box.keyid);
		cb->ck_box_ready = 1;
	}
	return &cb->ck_box;
}

static int
ck_put(struct casebook *cb, const char *cid, const uint8_t keyid[CC_KEYID_BYTES],
    const uint8_t box_pk[CC_BOX_PK], const uint8_t key[CB_KEY_BYTES])
{
	uint8_t sealed[CK_SEALED];
	sqlite3_stmt *st = NULL;
	int rc;

	if (crypto_box_seal(sealed, key, CB_KEY_BYTES, box_pk) != 0 ||
	    (st = cb_stmt(cb, "INSERT OR REPLACE INTO concern_keys(concern_id, keyid, sealed)"
			      " VALUES(?, ?, ?)")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, keyid, CC_KEYID_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, sealed, sizeof(sealed), SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	cb_stmt_done(st);
	return rc;
}

static int
in_list(const uint8_t *recips, size_t len, const void *keyid)
{
	for (size_t i = 0; i + CC_KEYID_BYTES <= len; i += CC_KEYID_BYTES)
		if (sodium_memcmp(recips + i, keyid, CC_KEYID_BYTES) == 0)
			return 1;
	return 0;
}

int
cb_ck_create(struct casebook *cb, const char *cid, const uint8_t *recips, size_t len)
{
	uint8_t *key = cb->ck_tmp;
	sqlite3_stmt *st = NULL;
	int s, rc = -1, self = 0;

	cb->ck_cid[0] = '\0';
	randombytes_buf(key, CB_KEY_BYTES);
	if (!cb_may_read(cb, recips, len) ||
	    (st = cb_stmt(cb, "SELECT keyid, box_pk FROM reviewers")) == NULL)
		goto out;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const void *kid = sqlite3_column_blob(st, 0);
		if (sqlite3_column_bytes(st, 0) != CC_KEYID_BYTES ||
		    sqlite3_column_bytes(st, 1) != CC_BOX_PK || !in_list(recips, len, kid))
			continue;
		if (ck_put(cb, cid, kid, sqlite3_column_blob(st, 1), key) != 0)
			goto out;
		self |= sodium_memcmp(kid, cb->sk->pub.keyid, CC_KEYID_BYTES) == 0;
	}
	if (s == SQLITE_DONE && self && ck_derive(cb, cid, key) == 0)
		rc = 0;
out:
	cb_stmt_done(st);
	sodium_memzero(key, CB_KEY_BYTES);
	return rc;
}

/* Opens this reviewer's sealed copy of cid's key into key: 0, 1 none. */
static int
ck_open(struct casebook *cb, const char *cid, uint8_t key[CB_KEY_BYTES])
{
	sqlite3_stmt *st = NULL;
	int rc = 1;

	if ((st = cb_stmt(cb, "SELECT sealed FROM concern_keys WHERE concern_id=? AND keyid=?")) ==
	    NULL)
		return -1;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, cb->sk->pub.keyid, CC_KEYID_BYTES, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = sqlite3_column_bytes(st, 0) == CK_SEALED &&
			     crypto_box_seal_open(key, sqlite3_column_blob(st, 0), CK_SEALED,
				 cb->sk->box.pk, cb->sk->box.sk) == 0
			 ? 0
			 : -1;
	cb_stmt_done(st);
	return rc;
}

int
cb_ck_load(struct casebook *cb, const char *cid)
{
	uint8_t *key = cb->ck_tmp;
	int rc;

	if (cid == NULL || !cb_id_valid(cid))
		return -1;
	if (strcmp(cb->ck_cid, cid) == 0)
		return 0;
	cb->ck_cid[0] = '\0';
	rc = ck_open(cb, cid, key);
	if (rc == 0 && ck_derive(cb, cid, key) != 0)
		rc = -1;
	sodium_memzero(key, CB_KEY_BYTES);
	return rc;
}

int
cb_ck_grant(struct casebook *cb, const struct cc_pubkey *pub, unsigned *n)
{
	sqlite3_stmt *st = NULL;
	uint8_t *key = sodium_malloc(CB_KEY_BYTES);
	int s, rc = -1;

	*n = 0;
	if (key == NULL ||
	    sqlite3_prepare_v2(cb->db,
		"SELECT c.id, c.recipients FROM concerns c JOIN concern_keys k"
		" ON k.concern_id=c.id AND k.keyid=? ORDER BY c.id",
		-1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_blob(st, 1, cb->sk->pub.keyid, CC_KEYID_BYTES, SQLITE_STATIC);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cid = (const char *)sqlite3_column_text(st, 0);
		/* only where the reporter chose the new reviewer */
		if (cid == NULL || !in_list(sqlite3_column_blob(st, 1),
				       (size_t)sqlite3_column_bytes(st, 1), pub->keyid))
			continue;
		if (ck_open(cb, cid, key) != 0 ||
		    ck_put(cb, cid, pub->keyid, pub->box_pk, key) != 0)
			goto out;
		(*n)++;
	}
	rc = s == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(st);
	sodium_free(key);
	return rc;
}

int
cb_concern_key_held(struct casebook *cb, const char *cid)
{
	int r = cb_ck_load(cb, cid);

	return r == 0 ? 1 : r == 1 ? 0 : -1;
}

int
cb_seal_concern(struct casebook *cb, const char *cid, const char *ad, const uint8_t *pt,
    size_t len, uint8_t **ct, size_t *ctlen)
{
	*ct = NULL;
	*ctlen = 0;
	if (cb_ck_load(cb, cid) != 0)
		return -1;
	return cb_seal_key(cb->ck_field, ad, pt, len, ct, ctlen);
}

int
cb_unseal_concern(struct casebook *cb, const char *cid, const char *ad, const uint8_t *ct,
    size_t ctlen, uint8_t **pt, size_t *ptlen)
{
	*pt = NULL;
	*ptlen = 0;
	if (cb_ck_load(cb, cid) != 0)
		return -1;
	return cb_unseal_key(cb->ck_field, ad, ct, ctlen, pt, ptlen);
}
