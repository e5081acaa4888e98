/*
 * Envelopes sealed as they stream in and sent to the store in pieces: the
 * plaintext of an attachment exists only in the post processor's buffer
 * and the envelope writer's chunk, never on disk.
 */
#include <string.h>

#include <sodium/utils.h>

#include "intake/http.h"

static int
flush(struct upload *u)
{
	if (u->plen == 0 || u->err)
		return u->err ? -1 : 0;
	int r = storec_upload_data(u->st, u->handle, u->piece, u->plen);
	u->plen = 0;
	if (r != 0) {
		u->err = r;
		return -1;
	}
	return 0;
}

/* Envelope writer sink: ciphertext into the piece buffer. */
static int
sink(void *ctx, const uint8_t *buf, size_t len)
{
	struct upload *u = ctx;

	while (len > 0) {
		size_t n = sizeof(u->piece) - u->plen;
		if (n > len)
			n = len;
		memcpy(u->piece + u->plen, buf, n);
		u->plen += n;
		buf += n;
		len -= n;
		if (u->plen == sizeof(u->piece) && flush(u) != 0)
			return -1;
	}
	return 0;
}

int
upload_begin(
    struct upload *u, struct store_conn *st, int kind, const struct cc_recipient *r, size_t nr)
{
	int s;

	u->st = st;
	u->w = NULL;
	u->open = 0;
	u->err = 0;
	u->plain = 0;
	u->plen = 0;
	if ((s = storec_upload_begin(st, &u->handle)) != 0) {
		u->err = s;
		return -1;
	}
	u->open = 1;
	if (cc_env_writer_new(kind, r, nr, sink, u, &u->w) != CC_OK) {
		u->w = NULL;
		if (!u->err)
			u->err = -1;
		upload_abort(u);
		return -1;
	}
	return 0;
}

int
upload_write(struct upload *u, const uint8_t *buf, size_t len)
{
	if (u->err || u->w == NULL)
		return -1;
	if (len == 0)
		return 0;
	if (cc_env_writer_update(u->w, buf, len) != CC_OK) {
		if (!u->err)
			u->err = -1;
		return -1;
	}
	u->plain += len;
	return 0;
}

int
upload_finish(struct upload *u)
{
	uint64_t len;
	uint8_t hash[CC_HASH_BYTES];
	int r;

	if (u->err || u->w == NULL)
		return -1;
	r = cc_env_writer_finish(u->w); /* frees the writer also on error */
	u->w = NULL;
	if (r != CC_OK) {
		if (!u->err)
			u->err = -1;
		return -1;
	}
	if (flush(u) != 0)
		return -1;
	if ((r = storec_upload_end(u->st, u->handle, &len, hash)) != 0) {
		u->err = r;
		return -1;
	}
	u->open = 0; /* the handle now belongs to the caller (commit or drop) */
	return 0;
}

void
upload_abort(struct upload *u)
{
	if (u->w != NULL) {
		cc_env_writer_abort(u->w);
		u->w = NULL;
	}
	if (u->open) {
		(void)storec_upload_drop(u->st, u->handle);
		u->open = 0;
	}
	sodium_memzero(u->piece, sizeof(u->piece));
	u->plen = 0;
}

int
upload_small(struct upload *u, struct store_conn *st, int kind, const struct cc_recipient *r,
    size_t nr, const uint8_t *pt, size_t len, uint64_t *handle)
{
	if (u->open || u->w != NULL)
		return STORE_FAIL_STORAGE; /* a file still being sealed: never dropped here */
	if (upload_begin(u, st, kind, r, nr) != 0 || upload_write(u, pt, len) != 0 ||
	    upload_finish(u) != 0) {
		int ret = u->err > 0 ? u->err : STORE_FAIL_STORAGE;
		upload_abort(u);
		return ret;
	}
	*handle = u->handle; /* u's piece held ciphertext only; wiped with the form */
	return 0;
}
