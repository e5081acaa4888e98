/*
 * Streaming envelope writer. Plaintext is cut into chunks of exactly
 * CC_CHUNK_BYTES: u32le data length | data | zero fill. Every data chunk is
 * full except the last one carrying data; zero-length padding chunks follow
 * until the count reaches cc_pad_chunks(data chunks); the last chunk has
 * TAG_FINAL. A full chunk is held back until more data (or finish) shows
 * whether it is the last, so memory is one chunk whatever the input size.
 */
#include <string.h>

#include "crypto/cc_internal.h"

struct cc_env_writer {
	crypto_secretstream_xchacha20poly1305_state st;
	uint8_t pt[CC_CHUNK_BYTES];
	uint8_t ct[CC_ENV_CT_CHUNK];
	uint8_t hdr[CC_ENV_MAX_HEADER];
	uint8_t key[crypto_secretstream_xchacha20poly1305_KEYBYTES]; /* wiped after init */
	size_t hdrlen;
	size_t fill;	  /* data bytes in pt */
	uint64_t written; /* chunks sent to the sink */
	uint64_t datalen; /* plaintext bytes accepted */
	size_t nr;
	cc_sink_fn sink;
	void *ctx;
	int err; /* sticky: once failed, always failed */
};

struct cc_pool env_writers = CC_POOL_INIT(sizeof(struct cc_env_writer), CC_ENV_WRITERS_KEPT);

static void
writer_free(struct cc_env_writer *w)
{
	cc_pool_put(&env_writers, w); /* wipes state, key material and buffered plaintext */
}

static int
emit(struct cc_env_writer *w, size_t datalen, uint8_t tag)
{
	le32_store(w->pt, (uint32_t)datalen);
	memset(w->pt + 4 + datalen, 0, CC_CHUNK_DATA - datalen);
	const uint8_t *ad = w->written == 0 ? w->hdr : NULL;
	size_t adlen = w->written == 0 ? w->hdrlen : 0;
	if (crypto_secretstream_xchacha20poly1305_push(
		&w->st, w->ct, NULL, w->pt, CC_CHUNK_BYTES, ad, adlen, tag) != 0)
		return CC_ERR;
	w->written++;
	if (w->sink(w->ctx, w->ct, sizeof w->ct) != 0)
		return CC_ERR;
	return CC_OK;
}

int
cc_env_writer_new(int kind, const struct cc_recipient *r, size_t nr, cc_sink_fn sink, void *ctx,
    struct cc_env_writer **out)
{
	struct cc_env_writer *w;
	int rc = CC_ERR;

	*out = NULL;
	if (nr < 1 || nr > CC_MAX_RECIPIENTS)
		return CC_ELIMIT;
	if (kind < CC_KIND_CONCERN || kind > CC_KIND_CASEBOOK)
		return CC_EFORMAT;
	if ((w = cc_pool_get(&env_writers)) == NULL)
		return CC_ERR;
	memset(w, 0, sizeof *w);
	uint8_t *key = w->key;
	w->sink = sink;
	w->ctx = ctx;
	w->nr = nr;
	w->hdrlen = CC_ENV_HEADER_LEN(nr);

	uint8_t *h = w->hdr;
	memcpy(h, CC_ENV_MAGIC, 4);
	h[4] = CC_ENV_VERSION;
	h[5] = (uint8_t)kind;
	h[6] = (uint8_t)nr;
	h[7] = 0;
	le32_store(h + 8, CC_CHUNK_BYTES);
	crypto_secretstream_xchacha20poly1305_keygen(key);
	for (size_t i = 0; i < nr; i++) {
		uint8_t *e = h + CC_ENV_FIXED + i * CC_ENV_ENTRY;
		memcpy(e, r[i].keyid, CC_KEYID_BYTES);
		if (crypto_box_seal(e + CC_KEYID_BYTES, key, 32, r[i].pk) != 0)
			goto fail; /* e.g. a low-order public key */
	}
	if (crypto_secretstream_xchacha20poly1305_init_push(
		&w->st, h + w->hdrlen - CC_ENV_SSHDR, key) != 0)
		goto fail;
	sodium_memzero(w->key, sizeof w->key); /* the state holds what it needs */
	if (sink(ctx, h, w->hdrlen) != 0)
		goto fail;
	*out = w;
	return CC_OK;
fail:
	writer_free(w);
	return rc;
}

int
cc_env_writer_update(struct cc_env_writer *w, const uint8_t *buf, size_t len)
{
	if (w->err)
		return w->err;
	if (len > CC_ENV_MAX_BYTES || w->datalen + len > CC_ENV_MAX_BYTES ||
	    env_sealed_size(w->nr, w->datalen + len) > CC_ENV_MAX_BYTES)
		return w->err = CC_ELIMIT;
	w->datalen += len;
	while (len > 0) {
		if (w->fill == CC_CHUNK_DATA) {
			int rc = emit(
			    w, CC_CHUNK_DATA, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
			if (rc != CC_OK)
				return w->err = rc;
			w->fill = 0;
		}
		size_t n = CC_CHUNK_DATA - w->fill;
		if (n > len)
			n = len;
		memcpy(w->pt + 4 + w->fill, buf, n);
		w->fill += n;
		buf += n;
		len -= n;
	}
	return CC_OK;
}

int
cc_env_writer_finish(struct cc_env_writer *w)
{
	int rc = w->err;
	if (rc != CC_OK)
		goto out;
	uint64_t ndata = w->written + (w->fill > 0);
	uint64_t total = cc_pad_chunks(ndata);
	const uint8_t msg = crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
	const uint8_t fin = crypto_secretstream_xchacha20poly1305_TAG_FINAL;
	if (w->fill > 0 && (rc = emit(w, w->fill, w->written + 1 == total ? fin : msg)) != CC_OK)
		goto out;
	while (w->written < total)
		if ((rc = emit(w, 0, w->written + 1 == total ? fin : msg)) != CC_OK)
			goto out;
out:
	writer_free(w);
	return rc;
}

void
cc_env_writer_abort(struct cc_env_writer *w)
{
	if (w != NULL)
		writer_free(w);
}
