/*
 * Reading a bundle. The file is hostile until bundle_r_verify returns 0:
 *  - bundle_r_open parses the header and walks the structure, checking
 *    every length against the limits and the file size before anything is
 *    allocated, and builds an index (one offset per record or item);
 *  - bundle_r_verify makes one sequential pass over the bytes before the
 *    trailer: it hashes them for the signature, re-parses each record at
 *    its indexed offset and recomputes the chain from prev_link to head;
 *    for a REPLIES bundle it also hashes every item's envelope against
 *    its item. A bad signature is reported before any chain or envelope
 *    error;
 *  - an EXPORT's envelopes are hashed against their records where they
 *    are read (stream_checked), not by verify: the signature already
 *    covers every byte of them, so nothing unsigned is read first, and
 *    the import reads every envelope it stores, so a second hash in verify
 *    was a third BLAKE2b over the whole bundle (SECURITY.md, "Import");
 *  - later reads re-check each record against a 128-bit digest taken by
 *    verify, and every envelope is hashed while it streams, so a file
 *    changed underneath is caught (BUNDLE_EFORMAT / BUNDLE_EENV).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle/bundle_fmt.h"
#include "util/util.h"

#define CHK_BYTES 16

struct ridx {
	uint64_t off;		/* of the record's length word */
	uint8_t chk[CHK_BYTES]; /* BLAKE2b(body || link), set by verify */
};

struct iidx {
	uint64_t off;
	uint8_t id[BUNDLE_ITEM_ID_BYTES];
	uint8_t chk[CHK_BYTES]; /* BLAKE2b(body), set by verify */
};

struct bundle_r {
	int fd;
	int verified;
	uint64_t end; /* first byte of the trailer */
	uint8_t hdr[BFMT_HDR_BYTES];
	struct bundle_info info;
	uint64_t n; /* records or items */
	struct ridx *rix;
	struct iidx *iix;
	uint8_t *conf; /* EXPORT: the confirmed item ids, read by verify */
	bundle_progress_fn progress; /* verify's, or NULL */
	void *progress_ctx;
	/* The record bundle_r_record last read and checked, for the reads of
	 * its envelopes that follow (they use these checked bytes instead of
	 * reading and checking the record again). */
	int have_last;
	uint64_t last_envoff;
	struct brec last;
	uint8_t last_link[CC_HASH_BYTES];
	/* its first envelope's length word, read with it (when in the read:
	 * have_len0), so bundle_r_env_read reads that envelope in one pread */
	int have_len0;
	uint64_t last_len0;
};

/* Sequential reader for verify: every byte it hands out is also hashed. */
struct cursor {
	struct bundle_r *r;
	uint64_t off; /* file offset of buf[pos] */
	size_t pos, len;
	struct cc_hasher file;
	uint8_t buf[BFMT_IO_CHUNK];
};

static int
cur_fill(struct cursor *c)
{
	uint64_t left = c->r->end - c->off;
	size_t n = left < sizeof(c->buf) ? (size_t)left : sizeof(c->buf);

	if (n == 0 || bfmt_pread(c->r->fd, c->buf, n, c->off) != 0)
		return -1;
	c->pos = 0, c->len = n;
	return 0;
}

/* Copies n bytes to dst (or only hashes them when dst is NULL), feeding
 * env too when not NULL. */
static int
cur_read(struct cursor *c, uint8_t *dst, uint64_t n, struct cc_hasher *env)
{
	while (n > 0) {
		if (c->pos == c->len && cur_fill(c) != 0)
			return -1;
		size_t k = c->len - c->pos;
		if (k > n)
			k = (size_t)n;
		cc_hasher_update(&c->file, c->buf + c->pos, k);
		if (env != NULL)
			cc_hasher_update(env, c->buf + c->pos, k);
		if (dst != NULL)
			memcpy(dst, c->buf + c->pos, k), dst += k;
		c->pos += k, c->off += k, n -= k;
	}
	return 0;
}

static int
parse_header(struct bundle_r *r)
{
	const uint8_t *h = r->hdr;
	struct bundle_info *in = &r->info;

	if (memcmp(h, BFMT_MAGIC, BFMT_MAGIC_LEN) != 0 || !bfmt_allzero(h + BFMT_OFF_KIND + 1, 3))
		return BUNDLE_EFORMAT;
	in->kind = h[BFMT_OFF_KIND];
	memcpy(in->signer_pk, h + BFMT_OFF_SIGNER, CC_SIGN_PK);
	memcpy(in->intake_pk, h + BFMT_OFF_INTAKE, CC_SIGN_PK);
	memcpy(in->created, h + BFMT_OFF_CREATED, BUNDLE_DATE_LEN);
	in->created[BUNDLE_DATE_LEN] = '\0';
	in->from_seq = bfmt_ld64(h + BFMT_OFF_FROM);
	uint64_t count = bfmt_ld64(h + BFMT_OFF_COUNT);
	memcpy(in->prev_link, h + BFMT_OFF_PREV, CC_HASH_BYTES);
	memcpy(in->head, h + BFMT_OFF_HEAD, CC_HASH_BYTES);
	in->nitems = bfmt_ld64(h + BFMT_OFF_NITEMS);
	if (strlen(in->created) != BUNDLE_DATE_LEN || !util_date_valid(in->created))
		return BUNDLE_EFORMAT;
	if (in->kind == BUNDLE_EXPORT) {
		if (!bfmt_allzero(in->intake_pk, CC_SIGN_PK) || in->from_seq == 0 ||
		    in->from_seq > UINT64_MAX / 2)
			return BUNDLE_EFORMAT;
		/* nitems: the reply item ids the intake holds (0 before they were sent) */
		if (count > BUNDLE_MAX_RECORDS || in->nitems > BUNDLE_MAX_ITEMS)
			return BUNDLE_ELIMIT;
		if (count == 0 && sodium_memcmp(in->prev_link, in->head, CC_HASH_BYTES) != 0)
			return BUNDLE_EFORMAT;
		in->to_seq = in->from_seq + count - 1;
		r->n = count;
	} else if (in->kind == BUNDLE_REPLIES) {
		if (in->from_seq != 0 || count != 0 ||
		    !bfmt_allzero(in->prev_link, CC_HASH_BYTES) ||
		    !bfmt_allzero(in->head, CC_HASH_BYTES))
			return BUNDLE_EFORMAT;
		if (in->nitems > BUNDLE_MAX_ITEMS)
			return BUNDLE_ELIMIT;
		in->to_seq = 0;
		r->n = in->nitems;
	} else {
		return BUNDLE_EFORMAT;
	}
	return BUNDLE_OK;
}

/* A record's length word, body and link, and the length word of its
 * first envelope, read at once (one pread per record at open: three were
 * a tenth of a large import's system calls). */
#define RREC_BYTES (4 + BREC_MAX_BYTES + CC_HASH_BYTES + 8)

/* Reads the record at off into buf (RREC_BYTES; fewer at the end of the
 * file: *got). Its body is buf + 4 (*blen bytes), then its link, checked
 * to be in the file; the next 8 bytes are there when *got says so. */
static int
read_record(
    struct bundle_r *r, uint64_t off, uint8_t *buf, size_t *blen, size_t *got, struct brec *rec)
{
	uint32_t n;
	size_t want;

	if (off > r->end || r->end - off < 4)
		return BUNDLE_EFORMAT;
	want = r->end - off < RREC_BYTES ? (size_t)(r->end - off) : RREC_BYTES;
	if (bfmt_pread(r->fd, buf, want, off) != 0)
		return BUNDLE_EFORMAT;
	n = bfmt_ld32(buf);
	if (n < bfmt_brec_len(1) || n > BREC_MAX_BYTES || r->end - off - 4 < n + CC_HASH_BYTES)
		return BUNDLE_EFORMAT;
	if (brec_decode(buf + 4, n, rec) != 0)
		return BUNDLE_EFORMAT;
	*blen = n;
	*got = want;
	return BUNDLE_OK;
}

static int
read_item(struct bundle_r *r, uint64_t off, uint8_t *body, struct bitem *it)
{
	uint8_t len4[4];

	if (off > r->end || r->end - off < 4 + BITEM_BYTES ||
	    bfmt_pread(r->fd, len4, 4, off) != 0 || bfmt_ld32(len4) != BITEM_BYTES ||
	    bfmt_pread(r->fd, body, BITEM_BYTES, off + 4) != 0 ||
	    bitem_decode(body, BITEM_BYTES, it) != 0)
		return BUNDLE_EFORMAT;
	return BUNDLE_OK;
}

/* Checks an envelope length word at *off against want and steps over the
 * envelope. */
static int
skip_env(struct bundle_r *r, uint64_t *off, uint64_t want)
{
	uint8_t len8[8];

	if (r->end - *off < 8 || bfmt_pread(r->fd, len8, 8, *off) != 0)
		return BUNDLE_EFORMAT;
	if (bfmt_ld64(len8) != want)
		return BUNDLE_EENV;
	if (r->end - *off - 8 < want)
		return BUNDLE_EFORMAT;
	*off += 8 + want;
	return BUNDLE_OK;
}

static int
index_records(struct bundle_r *r)
{
	uint8_t buf[RREC_BYTES];
	uint64_t off = BFMT_HDR_BYTES;
	struct brec rec;
	size_t blen, got, at;
	int rc;

	if (r->n > (r->end - BFMT_HDR_BYTES) / BFMT_MIN_RECORD)
		return BUNDLE_EFORMAT;
	if (r->n > 0 && (r->rix = calloc(r->n, sizeof(*r->rix))) == NULL)
		return BUNDLE_ERR;
	for (uint64_t i = 0; i < r->n; i++) {
		r->rix[i].off = off;
		if ((rc = read_record(r, off, buf, &blen, &got, &rec)) != 0)
			return rc;
		off += 4 + blen + CC_HASH_BYTES;
		at = 4 + blen + CC_HASH_BYTES; /* the first envelope's length word in buf */
		for (unsigned j = 0; j < rec.nenv; j++) {
			if (j == 0 && got - at >= 8) {
				/* already read: skip_env's checks on it */
				if (bfmt_ld64(buf + at) != rec.env[0].len)
					return BUNDLE_EENV;
				if (r->end - off - 8 < rec.env[0].len)
					return BUNDLE_EFORMAT;
				off += 8 + rec.env[0].len;
			} else if ((rc = skip_env(r, &off, rec.env[j].len)) != 0)
				return rc;
		}
	}
	/* then exactly nitems confirmed ids, up to the trailer */
	return r->end - off == r->info.nitems * BUNDLE_ITEM_ID_BYTES ? BUNDLE_OK : BUNDLE_EFORMAT;
}

static int
id_cmp(const void *a, const void *b)
{
	return memcmp(
	    ((const struct iidx *)a)->id, ((const struct iidx *)b)->id, BUNDLE_ITEM_ID_BYTES);
}

static int
index_items(struct bundle_r *r)
{
	uint8_t body[BITEM_BYTES];
	uint64_t off = BFMT_HDR_BYTES;
	struct bitem it;
	struct iidx *sorted = NULL;
	int rc = BUNDLE_EFORMAT;

	if (r->n > (r->end - BFMT_HDR_BYTES) / BFMT_MIN_ITEM)
		return BUNDLE_EFORMAT;
	if (r->n > 0 && (r->iix = calloc(r->n, sizeof(*r->iix))) == NULL)
		return BUNDLE_ERR;
	for (uint64_t i = 0; i < r->n; i++) {
		r->iix[i].off = off;
		if ((rc = read_item(r, off, body, &it)) != 0)
			return rc;
		memcpy(r->iix[i].id, it.id, BUNDLE_ITEM_ID_BYTES);
		off += 4 + BITEM_BYTES;
		if (it.has_env && (rc = skip_env(r, &off, it.env.len)) != 0)
			return rc;
	}
	if (off != r->end)
		return BUNDLE_EFORMAT;
	/* Item ids must be unique: they are what makes a second import a no-op. */
	if (r->n > 1) {
		if ((sorted = malloc(r->n * sizeof(*sorted))) == NULL)
			return BUNDLE_ERR;
		memcpy(sorted, r->iix, r->n * sizeof(*sorted));
		qsort(sorted, r->n, sizeof(*sorted), id_cmp);
		for (uint64_t i = 1; i < r->n; i++)
			if (id_cmp(&sorted[i - 1], &sorted[i]) == 0) {
				free(sorted);
				return BUNDLE_EFORMAT;
			}
		free(sorted);
	}
	return BUNDLE_OK;
}

int
bundle_r_open(const char *path, struct bundle_r **out)
{
	struct bundle_r *r;
	struct stat st;
	uint8_t magic[BFMT_MAGIC_LEN];
	int rc = BUNDLE_ERR;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return BUNDLE_ERR;
	/* O_NONBLOCK: a FIFO must not block the open; it is refused below. */
	if ((r->fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0)
		goto fail;
	if (fstat(r->fd, &st) != 0)
		goto fail;
	rc = BUNDLE_EFORMAT;
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size < BFMT_HDR_BYTES + BFMT_TRAILER_BYTES)
		goto fail;
	r->end = (uint64_t)st.st_size - BFMT_TRAILER_BYTES;
	if (bfmt_pread(r->fd, r->hdr, sizeof(r->hdr), 0) != 0 ||
	    bfmt_pread(r->fd, magic, sizeof(magic), r->end) != 0 ||
	    memcmp(magic, BFMT_TRAILER, BFMT_MAGIC_LEN) != 0)
		goto fail;
	if ((rc = parse_header(r)) != 0)
		goto fail;
	rc = r->info.kind == BUNDLE_EXPORT ? index_records(r) : index_items(r);
	if (rc != 0)
		goto fail;
	*out = r;
	return BUNDLE_OK;
fail:
	bundle_r_close(r);
	return rc;
}

void
bundle_r_on_progress(struct bundle_r *r, bundle_progress_fn fn, void *ctx)
{
	r->progress = fn;
	r->progress_ctx = ctx;
}

const struct bundle_info *
bundle_r_info(const struct bundle_r *r)
{
	return &r->info;
}

/* One record during verify: re-parse at its indexed offset, chain it, and
 * step over its envelopes (hashed only for the file). *first keeps the
 * first ECHAIN for after the signature check; a structural mismatch
 * returns at once. */
static int
verify_record(struct cursor *c, uint64_t i, uint8_t running[CC_HASH_BYTES], int *first)
{
	struct bundle_r *r = c->r;
	uint8_t len4[4], len8[8], body[BREC_MAX_BYTES], link[CC_HASH_BYTES];
	uint8_t h[CC_HASH_BYTES], want[CC_HASH_BYTES];
	struct brec rec;
	struct cc_hasher eh;
	uint32_t n;

	if (c->off != r->rix[i].off || cur_read(c, len4, 4, NULL) != 0)
		return BUNDLE_EFORMAT;
	n = bfmt_ld32(len4);
	if (n < bfmt_brec_len(1) || n > BREC_MAX_BYTES || cur_read(c, body, n, NULL) != 0 ||
	    brec_decode(body, n, &rec) != 0 || cur_read(c, link, CC_HASH_BYTES, NULL) != 0)
		return BUNDLE_EFORMAT;
	cc_hash(body, n, h);
	cc_chain_next(running, r->info.from_seq + i, h, want);
	if (sodium_memcmp(want, link, CC_HASH_BYTES) != 0 && *first == 0)
		*first = BUNDLE_ECHAIN;
	memcpy(running, link, CC_HASH_BYTES);
	cc_hasher_init(&eh);
	cc_hasher_update(&eh, body, n);
	cc_hasher_update(&eh, link, CC_HASH_BYTES);
	cc_hasher_final(&eh, h);
	memcpy(r->rix[i].chk, h, CHK_BYTES);
	/* The envelopes only for the file's hash: their own hashes are checked
	 * where they are read (stream_checked), which every use of one does. */
	for (unsigned j = 0; j < rec.nenv; j++) {
		if (cur_read(c, len8, 8, NULL) != 0 || bfmt_ld64(len8) != rec.env[j].len ||
		    r->end - c->off < rec.env[j].len ||
		    cur_read(c, NULL, rec.env[j].len, NULL) != 0)
			return BUNDLE_EFORMAT;
	}
	return BUNDLE_OK;
}

static int
verify_item(struct cursor *c, uint64_t i, int *first)
{
	struct bundle_r *r = c->r;
	uint8_t len4[4], len8[8], body[BITEM_BYTES], h[CC_HASH_BYTES];
	struct bitem it;
	struct cc_hasher eh;

	if (c->off != r->iix[i].off || cur_read(c, len4, 4, NULL) != 0 ||
	    bfmt_ld32(len4) != BITEM_BYTES || cur_read(c, body, BITEM_BYTES, NULL) != 0 ||
	    bitem_decode(body, BITEM_BYTES, &it) != 0 ||
	    memcmp(it.id, r->iix[i].id, BUNDLE_ITEM_ID_BYTES) != 0)
		return BUNDLE_EFORMAT;
	cc_hash(body, BITEM_BYTES, h);
	memcpy(r->iix[i].chk, h, CHK_BYTES);
	if (!it.has_env)
		return BUNDLE_OK;
	if (cur_read(c, len8, 8, NULL) != 0 || bfmt_ld64(len8) != it.env.len ||
	    r->end - c->off < it.env.len)
		return BUNDLE_EFORMAT;
	cc_hasher_init(&eh);
	if (cur_read(c, NULL, it.env.len, &eh) != 0)
		return BUNDLE_EFORMAT;
	cc_hasher_final(&eh, h);
	if (sodium_memcmp(h, it.env.hash, CC_HASH_BYTES) != 0 && *first == 0)
		*first = BUNDLE_EENV;
	return BUNDLE_OK;
}

int
bundle_r_verify(struct bundle_r *r, const uint8_t signer_pk[CC_SIGN_PK])
{
	struct cursor *c;
	uint8_t hdr[BFMT_HDR_BYTES], h[CC_HASH_BYTES], trailer[BFMT_TRAILER_BYTES];
	uint8_t running[CC_HASH_BYTES];
	int first = 0, rc = BUNDLE_EFORMAT;

	r->verified = 0;
	r->have_last = 0;
	if (sodium_memcmp(signer_pk, r->info.signer_pk, CC_SIGN_PK) != 0)
		return BUNDLE_ESIG;
	if ((c = malloc(sizeof(*c))) == NULL)
		return BUNDLE_ERR;
	c->r = r, c->off = 0, c->pos = c->len = 0;
	cc_hasher_init(&c->file);
	if (cur_read(c, hdr, sizeof(hdr), NULL) != 0 || memcmp(hdr, r->hdr, sizeof(hdr)) != 0)
		goto out;
	memcpy(running, r->info.prev_link, CC_HASH_BYTES);
	for (uint64_t i = 0; i < r->n; i++) {
		rc = r->info.kind == BUNDLE_EXPORT ? verify_record(c, i, running, &first)
						   : verify_item(c, i, &first);
		if (rc != 0)
			goto out;
		if (r->progress != NULL)
			r->progress(r->progress_ctx, i + 1, r->n);
	}
	rc = BUNDLE_EFORMAT;
	if (r->info.kind == BUNDLE_EXPORT && r->info.nitems > 0) {
		size_t n = (size_t)r->info.nitems;
		free(r->conf);
		if ((r->conf = malloc(n * BUNDLE_ITEM_ID_BYTES)) == NULL) {
			rc = BUNDLE_ERR;
			goto out;
		}
		if (cur_read(c, r->conf, n * BUNDLE_ITEM_ID_BYTES, NULL) != 0)
			goto out;
		for (size_t i = 1; i < n; i++)
			if (memcmp(r->conf + (i - 1) * BUNDLE_ITEM_ID_BYTES,
				r->conf + i * BUNDLE_ITEM_ID_BYTES, BUNDLE_ITEM_ID_BYTES) >= 0)
				goto out; /* not strictly ascending */
	}
	if (c->off != r->end || bfmt_pread(r->fd, trailer, sizeof(trailer), r->end) != 0 ||
	    memcmp(trailer, BFMT_TRAILER, BFMT_MAGIC_LEN) != 0)
		goto out;
	cc_hasher_final(&c->file, h);
	rc = BUNDLE_ESIG;
	if (cc_verify_hash(signer_pk,
		r->info.kind == BUNDLE_EXPORT ? CC_SIG_EXPORT : CC_SIG_REPLIES, h,
		trailer + BFMT_MAGIC_LEN) != 0)
		goto out;
	rc = first;
	if (rc == 0 && r->info.kind == BUNDLE_EXPORT &&
	    sodium_memcmp(running, r->info.head, CC_HASH_BYTES) != 0)
		rc = BUNDLE_ECHAIN;
	r->verified = rc == 0;
out:
	sodium_memzero(c, sizeof(*c));
	free(c);
	return rc;
}

/* A verified record re-read and checked against verify's digest of its
 * body and chain link (verify chained exactly those bytes), or, when
 * reuse is set and it is the record bundle_r_record last checked, that
 * one. *envoff is where its first envelope's length word starts. */
static int
checked_record(struct bundle_r *r, uint64_t seq, int reuse, struct brec *rec,
    uint8_t link[CC_HASH_BYTES], uint64_t *envoff, int *have_len0, uint64_t *len0)
{
	uint8_t buf[RREC_BYTES], h[CC_HASH_BYTES];
	struct cc_hasher hh;
	size_t blen, got;
	uint64_t off;

	if (!r->verified || r->info.kind != BUNDLE_EXPORT)
		return BUNDLE_ERR;
	if (seq < r->info.from_seq || seq - r->info.from_seq >= r->n)
		return BUNDLE_ENOTFOUND;
	*have_len0 = 0;
	if (reuse && r->have_last && r->last.seq == seq) {
		*rec = r->last;
		memcpy(link, r->last_link, CC_HASH_BYTES);
		*envoff = r->last_envoff;
		*have_len0 = r->have_len0;
		*len0 = r->last_len0;
		return BUNDLE_OK;
	}
	off = r->rix[seq - r->info.from_seq].off;
	if (read_record(r, off, buf, &blen, &got, rec) != 0)
		return BUNDLE_EFORMAT;
	memcpy(link, buf + 4 + blen, CC_HASH_BYTES);
	cc_hasher_init(&hh);
	cc_hasher_update(&hh, buf + 4, blen);
	cc_hasher_update(&hh, link, CC_HASH_BYTES);
	cc_hasher_final(&hh, h);
	if (sodium_memcmp(h, r->rix[seq - r->info.from_seq].chk, CHK_BYTES) != 0)
		return BUNDLE_EFORMAT;
	rec->seq = seq;
	*envoff = off + 4 + blen + CC_HASH_BYTES;
	if (got - (4 + blen + CC_HASH_BYTES) >= 8) {
		*len0 = bfmt_ld64(buf + 4 + blen + CC_HASH_BYTES);
		*have_len0 = 1;
	}
	return BUNDLE_OK;
}

int
bundle_r_record(struct bundle_r *r, uint64_t seq, struct brec *out, uint8_t link[CC_HASH_BYTES])
{
	struct brec rec;
	uint8_t l[CC_HASH_BYTES];
	uint64_t envoff, len0 = 0;
	int rc, have_len0 = 0;

	r->have_last = 0;
	if ((rc = checked_record(r, seq, 0, &rec, l, &envoff, &have_len0, &len0)) != 0)
		return rc;
	r->last = rec;
	memcpy(r->last_link, l, CC_HASH_BYTES);
	r->last_envoff = envoff;
	r->have_len0 = have_len0;
	r->last_len0 = len0;
	r->have_last = 1;
	*out = rec;
	if (link != NULL)
		memcpy(link, l, CC_HASH_BYTES);
	return BUNDLE_OK;
}

/* Streams len bytes at off to sink, checking their hash. */
static int
stream_checked(struct bundle_r *r, uint64_t off, uint64_t len, const uint8_t hash[CC_HASH_BYTES],
    cc_sink_fn sink, void *ctx)
{
	uint8_t *buf, h[CC_HASH_BYTES];
	struct cc_hasher hh;
	int rc = BUNDLE_ERR;

	if ((buf = malloc(BFMT_IO_CHUNK)) == NULL)
		return BUNDLE_ERR;
	cc_hasher_init(&hh);
	while (len > 0) {
		size_t n = len < BFMT_IO_CHUNK ? (size_t)len : BFMT_IO_CHUNK;
		if (bfmt_pread(r->fd, buf, n, off) != 0) {
			rc = BUNDLE_EENV;
			goto out;
		}
		cc_hasher_update(&hh, buf, n);
		if (sink(ctx, buf, n) != 0)
			goto out;
		off += n, len -= n;
	}
	cc_hasher_final(&hh, h);
	rc = sodium_memcmp(h, hash, CC_HASH_BYTES) == 0 ? BUNDLE_OK : BUNDLE_EENV;
out:
	free(buf);
	return rc;
}

/* Where envelope idx of record seq starts (*off, after its length word),
 * its length word checked against the record; the first envelope's word
 * comes from the record's own read when it was in it. */
static int
env_at(struct bundle_r *r, uint64_t seq, uint32_t idx, struct brec *rec, uint64_t *off)
{
	uint8_t link[CC_HASH_BYTES], len8[8];
	uint64_t len0 = 0;
	int rc, have_len0 = 0;

	if ((rc = checked_record(r, seq, 1, rec, link, off, &have_len0, &len0)) != 0)
		return rc;
	if (idx >= rec->nenv)
		return BUNDLE_ENOTFOUND;
	for (uint32_t j = 0; j < idx; j++)
		*off += 8 + rec->env[j].len;
	if (*off > r->end || r->end - *off < 8)
		return BUNDLE_EENV;
	if (idx != 0 || !have_len0) {
		if (bfmt_pread(r->fd, len8, 8, *off) != 0)
			return BUNDLE_EENV;
		len0 = bfmt_ld64(len8);
	}
	if (len0 != rec->env[idx].len || r->end - *off - 8 < rec->env[idx].len)
		return BUNDLE_EENV;
	*off += 8;
	return BUNDLE_OK;
}

int
bundle_r_env_stream(struct bundle_r *r, uint64_t seq, uint32_t idx, cc_sink_fn sink, void *ctx)
{
	struct brec rec;
	uint64_t off;
	int rc;

	if ((rc = env_at(r, seq, idx, &rec, &off)) != 0)
		return rc;
	return stream_checked(r, off, rec.env[idx].len, rec.env[idx].hash, sink, ctx);
}

int
bundle_r_env_read(struct bundle_r *r, uint64_t seq, uint32_t idx, uint8_t **buf, size_t *len)
{
	struct brec rec;
	uint8_t *p, h[CC_HASH_BYTES];
	uint64_t off;
	size_t n;
	int rc;

	*buf = NULL, *len = 0;
	if ((rc = env_at(r, seq, idx, &rec, &off)) != 0)
		return rc;
	if (rec.env[idx].len > BUNDLE_SMALL_ENV_MAX)
		return BUNDLE_ELIMIT;
	/* read straight into the caller's buffer: one pread, no copy (the
	 * envelope is hashed against its record all the same) */
	n = (size_t)rec.env[idx].len;
	if ((p = malloc(n > 0 ? n : 1)) == NULL)
		return BUNDLE_ERR;
	if (bfmt_pread(r->fd, p, n, off) != 0) {
		free(p);
		return BUNDLE_EENV;
	}
	cc_hash(p, n, h);
	if (sodium_memcmp(h, rec.env[idx].hash, CC_HASH_BYTES) != 0) {
		free(p);
		return BUNDLE_EENV;
	}
	*buf = p, *len = n;
	return BUNDLE_OK;
}

int
bundle_r_item(struct bundle_r *r, uint64_t i, struct bitem *out, uint8_t **env, size_t *envlen)
{
	uint8_t body[BITEM_BYTES], h[CC_HASH_BYTES], len8[8];
	struct bitem it;
	struct cc_membuf m = {0};
	uint64_t off;
	int rc;

	*env = NULL, *envlen = 0;
	if (!r->verified || r->info.kind != BUNDLE_REPLIES)
		return BUNDLE_ERR;
	if (i >= r->n)
		return BUNDLE_ENOTFOUND;
	off = r->iix[i].off;
	if (read_item(r, off, body, &it) != 0)
		return BUNDLE_EFORMAT;
	cc_hash(body, BITEM_BYTES, h);
	if (sodium_memcmp(h, r->iix[i].chk, CHK_BYTES) != 0)
		return BUNDLE_EFORMAT;
	if (it.has_env) {
		off += 4 + BITEM_BYTES;
		if (r->end - off < 8 || bfmt_pread(r->fd, len8, 8, off) != 0 ||
		    bfmt_ld64(len8) != it.env.len || r->end - off - 8 < it.env.len)
			return BUNDLE_EENV;
		m.cap = (size_t)it.env.len;
		if ((m.p = malloc(m.cap)) == NULL)
			return BUNDLE_ERR;
		if ((rc = stream_checked(r, off + 8, it.env.len, it.env.hash, cc_mem_sink, &m)) !=
		    0) {
			free(m.p);
			return rc;
		}
		*env = m.p, *envlen = m.len;
	}
	*out = it;
	return BUNDLE_OK;
}

int
bundle_r_confirmed(const struct bundle_r *r, const uint8_t **ids, size_t *n)
{
	*ids = NULL, *n = 0;
	if (!r->verified || r->info.kind != BUNDLE_EXPORT)
		return BUNDLE_ERR;
	*ids = r->conf;
	*n = (size_t)r->info.nitems;
	return BUNDLE_OK;
}

void
bundle_r_close(struct bundle_r *r)
{
	if (r == NULL)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r->conf);
	free(r->rix);
	free(r->iix);
	free(r);
}
