/*
 * Streaming envelope reader: collects the header, opens the content key
 * sealed to our key id, then decrypts one chunk at a time and checks its
 * frame before handing the data to the sink. Memory is one chunk whatever
 * the input size. Data reaches the sink as soon as its chunk
 * authenticates: a caller must discard everything it received unless
 * cc_env_reader_finish() returns CC_OK (truncation shows only there).
 * A reader can open one envelope after another with the same key
 * (cc_env_reader_end, cc_env_reader_reset): the per-envelope state is
 * one struct (env_rstate) wiped whole between them.
 */
#include <string.h>

#include "crypto/cc_internal.h"

struct cc_pool env_readers = CC_POOL_INIT(sizeof(struct cc_env_reader), CC_ENV_READERS_KEPT);

int
cc_env_reader_new(
    const struct cc_boxkey *key, cc_sink_fn sink, void *ctx, struct cc_env_reader **out)
{
	struct cc_env_reader *r;

	*out = NULL;
	if ((r = cc_pool_get(&env_readers)) == NULL)
		return CC_ERR;
	memset(r, 0, sizeof *r);
	r->key = *key;
	r->sink = sink;
	r->ctx = ctx;
	*out = r;
	return CC_OK;
}

/* Finds an entry for our key id that opens; every matching entry is tried
 * (two recipients may share a key id prefix by chance). */
static int
open_header(struct cc_env_reader *r)
{
	size_t nr = (r->s.hdrneed - CC_ENV_FIXED - CC_ENV_SSHDR) / CC_ENV_ENTRY;
	uint8_t *key = r->s.ckey;
	int rc = CC_ENOTRECIPIENT;

	for (size_t i = 0; i < nr && rc != CC_OK; i++) {
		const uint8_t *e = r->s.hdr + CC_ENV_FIXED + i * CC_ENV_ENTRY;
		if (sodium_memcmp(e, r->key.keyid, CC_KEYID_BYTES) != 0)
			continue;
		if (crypto_box_seal_open(
			key, e + CC_KEYID_BYTES, CC_ENV_SEALED, r->key.pk, r->key.sk) != 0) {
			rc = CC_ETAMPERED; /* our id, but the sealed key was changed */
			continue;
		}
		if (crypto_secretstream_xchacha20poly1305_init_pull(
			&r->s.st, r->s.hdr + r->s.hdrneed - CC_ENV_SSHDR, key) != 0) {
			rc = CC_EFORMAT;
			continue;
		}
		rc = CC_OK;
	}
	sodium_memzero(key, sizeof r->s.ckey); /* the state holds what it needs */
	return rc;
}

/* Reads header bytes; returns how many of buf were used, or a status. */
static int
take_header(struct cc_env_reader *r, const uint8_t *buf, size_t len, size_t *used)
{
	size_t want = r->s.hdrneed ? r->s.hdrneed : CC_ENV_FIXED;
	size_t n = want - r->s.hdrhave;
	if (n > len)
		n = len;
	memcpy(r->s.hdr + r->s.hdrhave, buf, n);
	r->s.hdrhave += n;
	*used = n;
	if (r->s.hdrhave >= 4 && memcmp(r->s.hdr, CC_ENV_MAGIC, 4) != 0)
		return CC_EFORMAT;
	if (r->s.hdrhave < want)
		return CC_OK;
	if (r->s.hdrneed == 0) {
		size_t nr;
		int rc = env_fixed_parse(r->s.hdr, &nr, &r->s.kind);
		if (rc != CC_OK)
			return rc;
		r->s.hdrneed = CC_ENV_HEADER_LEN(nr);
		return CC_OK;
	}
	return open_header(r);
}

static int
take_chunk(struct cc_env_reader *r)
{
	unsigned char tag;
	const uint8_t *ad = r->s.chunks == 0 ? r->s.hdr : NULL;
	size_t adlen = r->s.chunks == 0 ? r->s.hdrneed : 0;

	if (crypto_secretstream_xchacha20poly1305_pull(
		&r->s.st, r->s.pt, NULL, &tag, r->s.ct, CC_ENV_CT_CHUNK, ad, adlen) != 0)
		return CC_ETAMPERED;
	r->s.chunks++;
	if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE &&
	    tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL)
		return CC_ETAMPERED;
	uint32_t dlen = le32_load(r->s.pt);
	if (dlen > CC_CHUNK_DATA || (dlen > 0 && r->s.short_seen))
		return CC_ETAMPERED;
	for (size_t i = 4 + dlen; i < CC_CHUNK_BYTES; i++)
		if (r->s.pt[i] != 0)
			return CC_ETAMPERED;
	if (dlen < CC_CHUNK_DATA)
		r->s.short_seen = 1;
	if (dlen > 0)
		r->s.datachunks++;
	if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
		r->s.final_seen = 1;
		if (r->s.chunks != cc_pad_chunks(r->s.datachunks))
			return CC_ETAMPERED; /* not the padding a writer produces */
	}
	if (dlen > 0 && r->sink(r->ctx, r->s.pt + 4, dlen) != 0)
		return CC_ERR;
	return CC_OK;
}

int
cc_env_reader_update(struct cc_env_reader *r, const uint8_t *buf, size_t len)
{
	int rc;

	if (r->s.err)
		return r->s.err;
	if (len > CC_ENV_MAX_BYTES || r->s.total + len > CC_ENV_MAX_BYTES)
		return r->s.err = CC_ELIMIT;
	r->s.total += len;
	while (len > 0) {
		if (r->s.final_seen)
			return r->s.err = CC_ETAMPERED; /* bytes after the final chunk */
		if (r->s.hdrneed == 0 || r->s.hdrhave < r->s.hdrneed) {
			size_t used;
			if ((rc = take_header(r, buf, len, &used)) != CC_OK)
				return r->s.err = rc;
			buf += used;
			len -= used;
			continue;
		}
		size_t n = CC_ENV_CT_CHUNK - r->s.cthave;
		if (n > len)
			n = len;
		memcpy(r->s.ct + r->s.cthave, buf, n);
		r->s.cthave += n;
		buf += n;
		len -= n;
		if (r->s.cthave == CC_ENV_CT_CHUNK) {
			r->s.cthave = 0;
			if ((rc = take_chunk(r)) != CC_OK)
				return r->s.err = rc;
		}
	}
	return CC_OK;
}

int
cc_env_reader_end(struct cc_env_reader *r, int *kind)
{
	int rc = r->s.err;

	if (kind)
		*kind = 0;
	if (rc == CC_OK && !r->s.final_seen)
		rc = r->s.hdrhave < 4 ? CC_EFORMAT : CC_ETRUNCATED;
	if (rc == CC_OK && kind)
		*kind = r->s.kind;
	sodium_memzero(&r->s, sizeof r->s);
	return rc;
}

void
cc_env_reader_reset(struct cc_env_reader *r, cc_sink_fn sink, void *ctx)
{
	/* end() wiped it already when the caller ended the last envelope; an
	 * envelope given up half-way (an update error, a sink refusing) may
	 * not have been ended: wiped here in any case */
	sodium_memzero(&r->s, sizeof r->s);
	r->sink = sink;
	r->ctx = ctx;
}

int
cc_env_reader_finish(struct cc_env_reader *r, int *kind)
{
	int rc = cc_env_reader_end(r, kind);

	cc_pool_put(&env_readers, r); /* wipes the whole reader, key included */
	return rc;
}

void
cc_env_reader_abort(struct cc_env_reader *r)
{
	if (r != NULL)
		cc_pool_put(&env_readers, r); /* wipes the whole reader, key included */
}
