/*
 * Writing a bundle: a placeholder header, then records (EXPORT) or items
 * (REPLIES) streamed through a 64 KiB buffer, then at commit the final
 * header is written over the placeholder, the file [0, end) is hashed in
 * a second pass, and the trailer (magic + Ed25519 signature) appended.
 * The file lives under a temporary name beside the target until it is
 * complete, fsync'd and linked into place (link(2) refuses an existing
 * target, so a bundle is never overwritten).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle/bundle_fmt.h"
#include "util/util.h"

struct bundle_w {
	int fd;
	int kind;
	int failed;
	char *path;
	char *tmp;
	uint64_t from_seq, next_seq, nitems;
	uint64_t off; /* file offset of buf[0] */
	uint8_t prev_link[CC_HASH_BYTES];
	uint8_t running[CC_HASH_BYTES];
	uint8_t intake_pk[CC_SIGN_PK];
	struct brec cur; /* the record whose envelopes follow */
	unsigned next_env;
	int in_env;
	uint64_t env_left;
	struct cc_hasher eh;
	size_t blen;
	uint8_t buf[BFMT_IO_CHUNK];
};

static int
w_flush(struct bundle_w *w)
{
	if (w->blen == 0)
		return 0;
	if (bfmt_pwrite(w->fd, w->buf, w->blen, w->off) != 0)
		return -1;
	w->off += w->blen;
	w->blen = 0;
	return 0;
}

static int
w_put(struct bundle_w *w, const uint8_t *p, size_t len)
{
	while (len > 0) {
		size_t room = sizeof(w->buf) - w->blen;
		size_t n = len < room ? len : room;
		memcpy(w->buf + w->blen, p, n);
		w->blen += n, p += n, len -= n;
		if (w->blen == sizeof(w->buf) && w_flush(w) != 0)
			return -1;
	}
	return 0;
}

/* Marks w unusable after any failure so commit cannot sign a partial file. */
static int
w_fail(struct bundle_w *w, int status)
{
	w->failed = 1;
	return status;
}

static void
w_free(struct bundle_w *w)
{
	if (w->fd >= 0)
		close(w->fd);
	free(w->path);
	free(w->tmp);
	sodium_memzero(w, sizeof(*w));
	free(w);
}

int
bundle_w_create(const char *path, int kind, uint64_t from_seq,
    const uint8_t prev_link[CC_HASH_BYTES], const uint8_t intake_pk[CC_SIGN_PK],
    struct bundle_w **out)
{
	struct bundle_w *w = NULL;
	struct stat st;
	uint8_t zero[BFMT_HDR_BYTES] = {0};
	size_t tlen;

	*out = NULL;
	if (kind == BUNDLE_EXPORT) {
		if (from_seq == 0 || prev_link == NULL || intake_pk != NULL)
			return BUNDLE_ERR;
	} else if (kind == BUNDLE_REPLIES) {
		if (from_seq != 0 || prev_link != NULL || intake_pk == NULL)
			return BUNDLE_ERR;
	} else {
		return BUNDLE_EKIND;
	}
	if (lstat(path, &st) == 0) {
		errno = EEXIST;
		return BUNDLE_ERR;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return BUNDLE_ERR;
	w->fd = -1;
	tlen = strlen(path) + sizeof(".tmp-XXXXXX");
	if ((w->path = strdup(path)) == NULL || (w->tmp = malloc(tlen)) == NULL)
		goto fail;
	if (snprintf(w->tmp, tlen, "%s.tmp-XXXXXX", path) != (int)tlen - 1)
		goto fail;
	if ((w->fd = mkostemp(w->tmp, O_CLOEXEC)) < 0) {
		free(w->tmp);
		w->tmp = NULL;
		goto fail;
	}
	w->kind = kind;
	w->from_seq = w->next_seq = from_seq;
	if (prev_link != NULL)
		memcpy(w->prev_link, prev_link, CC_HASH_BYTES);
	memcpy(w->running, w->prev_link, CC_HASH_BYTES);
	if (intake_pk != NULL)
		memcpy(w->intake_pk, intake_pk, CC_SIGN_PK);
	if (w_put(w, zero, sizeof(zero)) != 0)
		goto fail;
	*out = w;
	return BUNDLE_OK;
fail:
	bundle_w_abort(w);
	return BUNDLE_ERR;
}

int
bundle_w_record(struct bundle_w *w, const struct brec *r, const uint8_t link[CC_HASH_BYTES])
{
	uint8_t body[BREC_MAX_BYTES], h[CC_HASH_BYTES], want[CC_HASH_BYTES], len4[4];
	size_t n;

	if (w->failed || w->kind != BUNDLE_EXPORT || w->in_env || w->next_env != w->cur.nenv ||
	    w->nitems != 0)
		return w_fail(w, BUNDLE_ERR);
	if (w->next_seq - w->from_seq >= BUNDLE_MAX_RECORDS)
		return w_fail(w, BUNDLE_ELIMIT);
	if (r->seq != w->next_seq || (n = brec_encode(r, body, sizeof(body))) == 0)
		return w_fail(w, BUNDLE_EFORMAT);
	cc_hash(body, n, h);
	cc_chain_next(w->running, r->seq, h, want);
	if (sodium_memcmp(want, link, CC_HASH_BYTES) != 0)
		return w_fail(w, BUNDLE_ECHAIN);
	bfmt_st32(len4, (uint32_t)n);
	if (w_put(w, len4, 4) != 0 || w_put(w, body, n) != 0 || w_put(w, link, CC_HASH_BYTES) != 0)
		return w_fail(w, BUNDLE_ERR);
	memcpy(w->running, link, CC_HASH_BYTES);
	w->cur = *r;
	w->next_env = 0;
	w->next_seq++;
	return BUNDLE_OK;
}

int
bundle_w_env_begin(struct bundle_w *w, uint64_t seq, uint32_t idx, uint64_t len)
{
	uint8_t len8[8];

	if (w->failed || w->kind != BUNDLE_EXPORT || w->in_env || w->next_seq == w->from_seq ||
	    seq != w->cur.seq || idx != w->next_env || idx >= w->cur.nenv ||
	    len != w->cur.env[idx].len)
		return w_fail(w, BUNDLE_ERR);
	bfmt_st64(len8, len);
	if (w_put(w, len8, 8) != 0)
		return w_fail(w, BUNDLE_ERR);
	w->in_env = 1;
	w->env_left = len;
	cc_hasher_init(&w->eh);
	return BUNDLE_OK;
}

int
bundle_w_env_write(struct bundle_w *w, const uint8_t *buf, size_t len)
{
	if (w->failed || !w->in_env)
		return w_fail(w, BUNDLE_ERR);
	if (len > w->env_left)
		return w_fail(w, BUNDLE_EENV);
	cc_hasher_update(&w->eh, buf, len);
	if (w_put(w, buf, len) != 0)
		return w_fail(w, BUNDLE_ERR);
	w->env_left -= len;
	return BUNDLE_OK;
}

int
bundle_w_env_end(struct bundle_w *w)
{
	uint8_t h[CC_HASH_BYTES];

	if (w->failed || !w->in_env)
		return w_fail(w, BUNDLE_ERR);
	cc_hasher_final(&w->eh, h);
	if (w->env_left != 0 || sodium_memcmp(h, w->cur.env[w->next_env].hash, CC_HASH_BYTES) != 0)
		return w_fail(w, BUNDLE_EENV);
	w->in_env = 0;
	w->next_env++;
	return BUNDLE_OK;
}

int
bundle_w_item(struct bundle_w *w, const struct bitem *it, const uint8_t *env, size_t envlen)
{
	uint8_t body[BITEM_BYTES], len4[4], len8[8], h[CC_HASH_BYTES];
	size_t n;

	if (w->failed || w->kind != BUNDLE_REPLIES)
		return w_fail(w, BUNDLE_ERR);
	if (w->nitems >= BUNDLE_MAX_ITEMS)
		return w_fail(w, BUNDLE_ELIMIT);
	if ((n = bitem_encode(it, body, sizeof(body))) == 0)
		return w_fail(w, BUNDLE_EFORMAT);
	if (it->has_env) {
		if (env == NULL || envlen != it->env.len)
			return w_fail(w, BUNDLE_EENV);
		cc_hash(env, envlen, h);
		if (sodium_memcmp(h, it->env.hash, CC_HASH_BYTES) != 0)
			return w_fail(w, BUNDLE_EENV);
	} else if (env != NULL || envlen != 0) {
		return w_fail(w, BUNDLE_EENV);
	}
	bfmt_st32(len4, (uint32_t)n);
	if (w_put(w, len4, 4) != 0 || w_put(w, body, n) != 0)
		return w_fail(w, BUNDLE_ERR);
	if (it->has_env) {
		bfmt_st64(len8, envlen);
		if (w_put(w, len8, 8) != 0 || w_put(w, env, envlen) != 0)
			return w_fail(w, BUNDLE_ERR);
	}
	w->nitems++;
	return BUNDLE_OK;
}

int
bundle_w_confirmed(struct bundle_w *w, const uint8_t *ids, size_t n)
{
	if (w->failed || w->kind != BUNDLE_EXPORT || w->in_env || w->next_env != w->cur.nenv ||
	    w->nitems != 0 || n == 0)
		return w_fail(w, BUNDLE_ERR);
	if (n > BUNDLE_MAX_ITEMS)
		return w_fail(w, BUNDLE_ELIMIT);
	/* strictly ascending: one encoding, and no id twice */
	for (size_t i = 1; i < n; i++)
		if (memcmp(ids + (i - 1) * BUNDLE_ITEM_ID_BYTES, ids + i * BUNDLE_ITEM_ID_BYTES,
			BUNDLE_ITEM_ID_BYTES) >= 0)
			return w_fail(w, BUNDLE_EFORMAT);
	if (w_put(w, ids, n * BUNDLE_ITEM_ID_BYTES) != 0)
		return w_fail(w, BUNDLE_ERR);
	w->nitems = n;
	return BUNDLE_OK;
}

int
bundle_w_commit(struct bundle_w *w, const uint8_t *signer_sk, const uint8_t signer_pk[CC_SIGN_PK])
{
	uint8_t hdr[BFMT_HDR_BYTES], h[CC_HASH_BYTES], trailer[BFMT_TRAILER_BYTES];
	char today[BUNDLE_DATE_LEN + 1];
	uint64_t end;
	int rc = BUNDLE_ERR;

	if (w->failed || w->in_env || (w->kind == BUNDLE_EXPORT && w->next_env != w->cur.nenv))
		goto out;
	if (util_today(today) != 0 || w_flush(w) != 0)
		goto out;
	end = w->off;
	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, BFMT_MAGIC, BFMT_MAGIC_LEN);
	hdr[BFMT_OFF_KIND] = (uint8_t)w->kind;
	memcpy(hdr + BFMT_OFF_SIGNER, signer_pk, CC_SIGN_PK);
	memcpy(hdr + BFMT_OFF_INTAKE, w->intake_pk, CC_SIGN_PK);
	memcpy(hdr + BFMT_OFF_CREATED, today, BUNDLE_DATE_LEN);
	bfmt_st64(hdr + BFMT_OFF_FROM, w->from_seq);
	bfmt_st64(hdr + BFMT_OFF_COUNT, w->next_seq - w->from_seq);
	memcpy(hdr + BFMT_OFF_PREV, w->prev_link, CC_HASH_BYTES);
	if (w->kind == BUNDLE_EXPORT)
		memcpy(hdr + BFMT_OFF_HEAD, w->running, CC_HASH_BYTES);
	bfmt_st64(hdr + BFMT_OFF_NITEMS, w->nitems);
	if (bfmt_pwrite(w->fd, hdr, sizeof(hdr), 0) != 0 || bfmt_hash_prefix(w->fd, end, h) != 0)
		goto out;
	memcpy(trailer, BFMT_TRAILER, BFMT_MAGIC_LEN);
	if (cc_sign_hash(signer_sk, w->kind == BUNDLE_EXPORT ? CC_SIG_EXPORT : CC_SIG_REPLIES, h,
		trailer + BFMT_MAGIC_LEN) != 0)
		goto out;
	if (bfmt_pwrite(w->fd, trailer, sizeof(trailer), end) != 0 || fsync(w->fd) != 0)
		goto out;
	if (link(w->tmp, w->path) != 0)
		goto out;
	(void)unlink(w->tmp);
	free(w->tmp);
	w->tmp = NULL;
	if (util_fsync_dir(w->path) != 0)
		goto out;
	rc = BUNDLE_OK;
out:
	bundle_w_abort(w);
	return rc;
}

void
bundle_w_abort(struct bundle_w *w)
{
	if (w == NULL)
		return;
	if (w->tmp != NULL)
		(void)unlink(w->tmp);
	w_free(w);
}
