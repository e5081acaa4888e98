/* Buffer API for small bodies, on top of the streaming writer and reader. */
#include <stdlib.h>
#include <string.h>

#include "crypto/cc_internal.h"

/* Both sizes are known in advance, so the sink never grows the buffer. */
int
cc_mem_sink(void *ctx, const uint8_t *buf, size_t len)
{
	struct cc_membuf *m = ctx;
	if (len > m->cap - m->len)
		return -1;
	memcpy(m->p + m->len, buf, len);
	m->len += len;
	return 0;
}

int
cc_env_seal(int kind, const struct cc_recipient *r, size_t nr, const uint8_t *pt, size_t ptlen,
    uint8_t **out, size_t *outlen)
{
	struct cc_env_writer *w = NULL;
	struct cc_membuf m = {0};
	int rc;

	*out = NULL;
	*outlen = 0;
	if (nr < 1 || nr > CC_MAX_RECIPIENTS)
		return CC_ELIMIT;
	uint64_t size = env_sealed_size(nr, ptlen);
	if (ptlen > CC_ENV_MAX_BYTES || size > CC_ENV_MAX_BYTES || size > SIZE_MAX)
		return CC_ELIMIT;
	if ((m.p = malloc((size_t)size)) == NULL)
		return CC_ERR;
	m.cap = (size_t)size;
	if ((rc = cc_env_writer_new(kind, r, nr, cc_mem_sink, &m, &w)) != CC_OK)
		goto fail;
	if ((rc = cc_env_writer_update(w, pt, ptlen)) != CC_OK) {
		cc_env_writer_abort(w);
		goto fail;
	}
	if ((rc = cc_env_writer_finish(w)) != CC_OK)
		goto fail;
	if (m.len != m.cap) {
		rc = CC_ERR;
		goto fail;
	}
	*out = m.p;
	*outlen = m.len;
	return CC_OK;
fail:
	free(m.p);
	return rc;
}

int
cc_env_open_with(struct cc_env_reader *r, const uint8_t *in, size_t inlen, uint8_t **pt,
    size_t *ptlen, int *kind)
{
	struct cc_membuf m = {0};
	int rc;

	*pt = NULL;
	*ptlen = 0;
	if (kind)
		*kind = 0;
	/* a reader that failed to be made (cc_env_reader_new's NULL) is the
	 * caller's error, refused here rather than followed into a crash */
	if (r == NULL)
		return CC_ERR;
	if (inlen > CC_ENV_MAX_BYTES)
		return CC_ELIMIT;
	/* Plaintext is shorter than ciphertext; +1 keeps malloc(0) away. */
	if ((m.p = malloc(inlen + 1)) == NULL)
		return CC_ERR;
	m.cap = inlen;
	cc_env_reader_reset(r, cc_mem_sink, &m);
	rc = cc_env_reader_update(r, in, inlen);
	/* ended (wiped) whatever update said: the reader holds nothing of
	 * this envelope when it returns */
	int end = cc_env_reader_end(r, kind);
	if (rc == CC_OK)
		rc = end;
	if (rc != CC_OK) {
		if (kind)
			*kind = 0;
		cc_free_wipe(m.p, inlen + 1);
		return rc;
	}
	*pt = m.p;
	*ptlen = m.len;
	return CC_OK;
}

int
cc_env_open(const struct cc_boxkey *key, const uint8_t *in, size_t inlen, uint8_t **pt,
    size_t *ptlen, int *kind)
{
	struct cc_env_reader *r = NULL;
	int rc;

	*pt = NULL;
	*ptlen = 0;
	if (kind)
		*kind = 0;
	if (inlen > CC_ENV_MAX_BYTES)
		return CC_ELIMIT;
	if ((rc = cc_env_reader_new(key, cc_mem_sink, NULL, &r)) != CC_OK)
		return rc;
	rc = cc_env_open_with(r, in, inlen, pt, ptlen, kind);
	cc_env_reader_abort(r);
	return rc;
}
