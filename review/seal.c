/*
 * Fields at rest under the casebook key or a concern key, the keyed index
 * hash, and attachments sealed as CC_KIND_CASEBOOK envelopes in att_chunks
 * to the X25519 key derived from their concern's key (concern_key.c).
 *
 * Sealed field (SECURITY.md, "Casebook"): u8 version (1) | nonce[24] |
 * XChaCha20-Poly1305-IETF( u32le length | plaintext | zero padding to a
 * multiple of CB_PAD_BLOCK ) with AD "candour-cb-v1\0" || ad.
 */
#include <stdlib.h>
#include <string.h>

#include "review/cb_internal.h"

#define AD_TAG "candour-cb-v1"
#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define ABYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
_Static_assert(CB_NONCE_BYTES == NONCE, "review.h names the XChaCha20 nonce size");

static int
make_ad(const char *ad, uint8_t *buf, size_t *len)
{
	size_t tl = sizeof(AD_TAG), al = ad != NULL ? strlen(ad) : 0;

	if (tl + al > CB_AD_MAX)
		return -1;
	memcpy(buf, AD_TAG, tl); /* includes the NUL separator */
	if (al > 0)
		memcpy(buf + tl, ad, al);
	*len = tl + al;
	return 0;
}

/* Seals under key with the given nonce (fresh random bytes, never reused
 * under one key). Small fields are padded on the stack: a bulk import seals
 * a million rows and a heap allocation per row showed in its profile. */
static int
seal_with(const uint8_t key[CB_KEY_BYTES], const uint8_t nonce[NONCE], const char *ad,
    const uint8_t *pt, size_t len, uint8_t **ct, size_t *ctlen)
{
	uint8_t adb[CB_AD_MAX], small[4 * CB_PAD_BLOCK], *padded = NULL, *out = NULL;
	size_t adl, plen = 0, olen;
	unsigned long long clen;
	int rc = -1;

	*ct = NULL;
	*ctlen = 0;
	if (len > CB_FIELD_MAX || make_ad(ad, adb, &adl) != 0)
		return -1;
	plen = (4 + len + CB_PAD_BLOCK - 1) / CB_PAD_BLOCK * CB_PAD_BLOCK;
	olen = 1 + NONCE + plen + ABYTES;
	padded = plen <= sizeof(small) ? small : malloc(plen);
	if (padded == NULL || (out = malloc(olen)) == NULL)
		goto out;
	padded[0] = (uint8_t)len;
	padded[1] = (uint8_t)(len >> 8);
	padded[2] = (uint8_t)(len >> 16);
	padded[3] = (uint8_t)(len >> 24);
	if (len > 0)
		memcpy(padded + 4, pt, len);
	memset(padded + 4 + len, 0, plen - 4 - len);
	out[0] = CB_SEAL_VERSION;
	memcpy(out + 1, nonce, NONCE);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(
		out + 1 + NONCE, &clen, padded, plen, adb, adl, NULL, out + 1, key) != 0)
		goto out;
	*ct = out;
	*ctlen = 1 + NONCE + (size_t)clen;
	out = NULL;
	rc = 0;
out:
	if (padded == small)
		sodium_memzero(small, plen);
	else
		cc_free_wipe(padded, plen);
	free(out);
	return rc;
}

/* Seals under key (the casebook field key or a concern's field key). */
int
cb_seal_key(const uint8_t key[CB_KEY_BYTES], const char *ad, const uint8_t *pt, size_t len,
    uint8_t **ct, size_t *ctlen)
{
	uint8_t nonce[NONCE];

	randombytes_buf(nonce, sizeof(nonce));
	return seal_with(key, nonce, ad, pt, len, ct, ctlen);
}

int
cb_unseal_key(const uint8_t key[CB_KEY_BYTES], const char *ad, const uint8_t *ct, size_t ctlen,
    uint8_t **pt, size_t *ptlen)
{
	uint8_t adb[CB_AD_MAX], *padded = NULL, *out = NULL;
	size_t adl, plen, len;
	unsigned long long dlen;

	*pt = NULL;
	*ptlen = 0;
	if (ct == NULL || ctlen < 1 + NONCE + ABYTES + 4 || ct[0] != CB_SEAL_VERSION ||
	    ctlen - 1 - NONCE - ABYTES > CB_FIELD_MAX + CB_PAD_BLOCK + 4 ||
	    make_ad(ad, adb, &adl) != 0)
		return -1;
	plen = ctlen - 1 - NONCE - ABYTES;
	if ((padded = malloc(plen)) == NULL)
		return -1;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(padded, &dlen, NULL, ct + 1 + NONCE,
		ctlen - 1 - NONCE, adb, adl, ct + 1, key) != 0)
		goto fail;
	len = (size_t)padded[0] | (size_t)padded[1] << 8 | (size_t)padded[2] << 16 |
	      (size_t)padded[3] << 24;
	if (len > plen - 4)
		goto fail;
	if ((out = malloc(len + 1)) == NULL)
		goto fail;
	memcpy(out, padded + 4, len);
	out[len] = 0;
	cc_free_wipe(padded, plen);
	*pt = out;
	*ptlen = len;
	return 0;
fail:
	cc_free_wipe(padded, plen);
	return -1;
}

int
cb_seal(
    struct casebook *cb, const char *ad, const uint8_t *pt, size_t len, uint8_t **ct, size_t *ctlen)
{
	return cb_seal_key(cb->field_key, ad, pt, len, ct, ctlen);
}

int
cb_seal_nonce(struct casebook *cb, const uint8_t nonce[CB_NONCE_BYTES], const char *ad,
    const uint8_t *pt, size_t len, uint8_t **ct, size_t *ctlen)
{
	return seal_with(cb->field_key, nonce, ad, pt, len, ct, ctlen);
}

int
cb_unseal(struct casebook *cb, const char *ad, const uint8_t *ct, size_t ctlen, uint8_t **pt,
    size_t *ptlen)
{
	return cb_unseal_key(cb->field_key, ad, ct, ctlen, pt, ptlen);
}

void
cb_free(uint8_t *pt, size_t len)
{
	if (pt != NULL)
		cc_free_wipe(pt, len + 1);
}

int
cb_index_hash(struct casebook *cb, const char *value, uint8_t out[CB_HASH_BYTES])
{
	crypto_generichash_state st;
	static const char dom[] = "candour-index-v1";

	if (crypto_generichash_init(&st, cb->index_key, sizeof(cb->index_key), CB_HASH_BYTES) != 0)
		return -1;
	crypto_generichash_update(&st, (const uint8_t *)dom, sizeof(dom));
	crypto_generichash_update(&st, (const uint8_t *)value, strlen(value));
	return crypto_generichash_final(&st, out, CB_HASH_BYTES) == 0 ? 0 : -1;
}

/* ---- attachments ------------------------------------------------------ */

struct cb_att_writer {
	struct casebook *cb;
	int64_t att;
	int64_t n;
	sqlite3_stmt *ins;
	struct cc_env_writer *w;
	int failed;
};

static int
chunk_sink(void *ctx, const uint8_t *buf, size_t len)
{
	struct cb_att_writer *aw = ctx;

	sqlite3_reset(aw->ins);
	sqlite3_bind_int64(aw->ins, 1, aw->att);
	sqlite3_bind_int64(aw->ins, 2, aw->n);
	sqlite3_bind_blob(aw->ins, 3, buf, (int)len, SQLITE_TRANSIENT);
	if (sqlite3_step(aw->ins) != SQLITE_DONE) {
		aw->failed = 1;
		return -1;
	}
	aw->n++;
	return 0;
}

int
cb_att_begin(struct casebook *cb, const char *cid, int64_t att, struct cb_att_writer **out)
{
	struct cb_att_writer *aw = NULL;
	const struct cc_boxkey *box;
	struct cc_recipient r;

	*out = NULL;
	if (cb_ck_load(cb, cid) != 0 || (box = cb_ck_box(cb)) == NULL ||
	    (aw = calloc(1, sizeof(*aw))) == NULL)
		return -1;
	aw->cb = cb;
	aw->att = att;
	memcpy(r.keyid, box->keyid, CC_KEYID_BYTES);
	memcpy(r.pk, box->pk, CC_BOX_PK);
	if (sqlite3_prepare_v2(cb->db, "INSERT INTO att_chunks(att, n, data) VALUES(?, ?, ?)", -1,
		&aw->ins, NULL) != SQLITE_OK ||
	    cc_env_writer_new(CC_KIND_CASEBOOK, &r, 1, chunk_sink, aw, &aw->w) != CC_OK) {
		sqlite3_finalize(aw->ins);
		free(aw);
		return -1;
	}
	*out = aw;
	return 0;
}

int
cb_att_write(struct cb_att_writer *aw, const uint8_t *buf, size_t len)
{
	return cc_env_writer_update(aw->w, buf, len) == CC_OK ? 0 : -1;
}

int
cb_att_finish(struct cb_att_writer *aw)
{
	int rc = cc_env_writer_finish(aw->w) == CC_OK && !aw->failed ? 0 : -1;

	sqlite3_finalize(aw->ins);
	free(aw);
	return rc;
}

void
cb_att_abort(struct cb_att_writer *aw)
{
	if (aw == NULL)
		return;
	cc_env_writer_abort(aw->w);
	sqlite3_finalize(aw->ins);
	free(aw);
}

int
cb_att_read(struct casebook *cb, const char *cid, int64_t att, cc_sink_fn sink, void *ctx)
{
	sqlite3_stmt *st = NULL;
	struct cc_env_reader *r = NULL;
	const struct cc_boxkey *box;
	int rc, kind = 0;

	if (sqlite3_prepare_v2(cb->db, "SELECT data FROM att_chunks WHERE att=? ORDER BY n", -1,
		&st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, att);
	if (cb_ck_load(cb, cid) != 0 || (box = cb_ck_box(cb)) == NULL ||
	    cc_env_reader_new(box, sink, ctx, &r) != CC_OK)
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cc_env_reader_update(r, sqlite3_column_blob(st, 0),
			(size_t)sqlite3_column_bytes(st, 0)) != CC_OK)
			goto fail;
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	rc = cc_env_reader_finish(r, &kind);
	return rc == CC_OK && kind == CC_KIND_CASEBOOK ? 0 : -1;
fail:
	cc_env_reader_abort(r);
	sqlite3_finalize(st);
	return -1;
}
