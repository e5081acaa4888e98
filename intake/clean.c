/*
 * The cleaners' common part: format sniffing, the hold (the input as sent
 * and the cleaned output side by side until CLEAN_HOLD_MAX bytes have
 * come), and the byte plumbing every format uses. See clean.h for the
 * contract; the formats are clean_jpeg.c, clean_png.c and clean_webp.c.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium/core.h>
#include <sodium/utils.h>

#include "intake/clean.h"

void
clean_init(struct clean *c, clean_emit_fn emit, void *ctx)
{
	memset(c, 0, offsetof(struct clean, raw));
	c->emit = emit;
	c->ctx = ctx;
}

static void
emit(struct clean *c, const uint8_t *buf, size_t len)
{
	if (c->err || len == 0)
		return;
	if (c->emit(c->ctx, buf, len) != 0)
		c->err = 1;
}

static void
drop_hold(struct clean *c)
{
	sodium_memzero(c->raw, c->rawlen);
	sodium_memzero(c->out, c->outlen);
	c->rawlen = c->outlen = 0;
}

/* From here on the cleaned output streams; the input is no longer held. */
static void
commit(struct clean *c)
{
	if (c->committed)
		return;
	if (c->kind == CLEAN_WEBP && !c->failed && !c->pass)
		clean_webp_commit(c);
	emit(c, c->out, c->outlen);
	drop_hold(c);
	c->committed = 1;
}

void
clean_out(struct clean *c, const uint8_t *buf, size_t len)
{
	if (c->err || len == 0)
		return;
	if (!c->committed) {
		if (len <= sizeof(c->out) - c->outlen) {
			memcpy(c->out + c->outlen, buf, len);
			c->outlen += len;
			return;
		}
		commit(c);
	}
	emit(c, buf, len);
}

void
clean_want(struct clean *c, size_t want)
{
	c->hlen = 0;
	c->hwant = want <= CLEAN_HEAD_MAX ? want : CLEAN_HEAD_MAX;
}

int
clean_collect(struct clean *c, const uint8_t **p, size_t *n)
{
	size_t k = c->hwant - c->hlen;
	if (k > *n)
		k = *n;
	memcpy(c->hdr + c->hlen, *p, k);
	c->hlen += k;
	*p += k;
	*n -= k;
	return c->hlen == c->hwant;
}

int
clean_body(struct clean *c, const uint8_t **p, size_t *n)
{
	static const uint8_t zero[256];
	size_t k = c->left < *n ? (size_t)c->left : *n;

	switch (c->mode) {
	case CM_COPY:
		clean_out(c, *p, k);
		break;
	case CM_ZERO:
		for (size_t z = 0; z < k; z += sizeof(zero))
			clean_out(c, zero, k - z < sizeof(zero) ? k - z : sizeof(zero));
		c->removed += k;
		break;
	case CM_EXIF:
		for (size_t i = 0; i < k; i++)
			clean_exif_byte(c, (*p)[i]);
		c->removed += k;
		break;
	default:
		c->removed += k;
	}
	c->left -= k;
	*p += k;
	*n -= k;
	return c->left == 0;
}

/* Reads the orientation (tag 0x0112, SHORT, count 1, 1..8) from IFD0 of an
 * EXIF APP1 body fed one byte at a time from its first byte ("Exif\0\0").
 * Anything unexpected just means no orientation: the segment is dropped
 * either way, so this reader can never make the cleaning fail. */
void
clean_exif_byte(struct clean *c, uint8_t b)
{
	struct clean_exif *e = &c->exif;
	uint32_t pos = e->pos++;

	if (e->bad || c->orient || pos < 6)
		return;
	uint32_t t = pos - 6; /* offset in the TIFF structure */
	if (t < 8) {
		e->b[t] = b;
		if (t < 7)
			return;
		if (e->b[0] == 'I' && e->b[1] == 'I' && e->b[2] == 42 && e->b[3] == 0)
			e->le = 1;
		else if (!(e->b[0] == 'M' && e->b[1] == 'M' && e->b[2] == 0 && e->b[3] == 42))
			e->bad = 1;
		e->ifd = e->le ? (uint32_t)e->b[4] | (uint32_t)e->b[5] << 8 |
				     (uint32_t)e->b[6] << 16 | (uint32_t)e->b[7] << 24
			       : (uint32_t)e->b[7] | (uint32_t)e->b[6] << 8 |
				     (uint32_t)e->b[5] << 16 | (uint32_t)e->b[4] << 24;
		if (e->ifd < 8)
			e->bad = 1; /* IFD0 behind us: a stream reader cannot go back */
		return;
	}
	if (t < e->ifd)
		return;
	uint32_t k = t - e->ifd;
	if (k < 2) {
		e->b[k] = b;
		if (k == 1) {
			e->n = e->le ? e->b[0] | (uint32_t)e->b[1] << 8
				     : e->b[1] | (uint32_t)e->b[0] << 8;
			if (e->n == 0 || e->n > CLEAN_EXIF_ENTRIES_MAX)
				e->bad = 1;
		}
		return;
	}
	k -= 2;
	if (k / 12 >= e->n) {
		e->bad = 1; /* IFD0 read to its end: no orientation */
		return;
	}
	e->b[k % 12] = b;
	if (k % 12 != 11)
		return;
#define U16(o) (e->le ? e->b[o] | e->b[(o) + 1] << 8 : e->b[(o) + 1] | e->b[o] << 8)
	uint32_t cnt = e->le ? (uint32_t)U16(4) | (uint32_t)U16(6) << 16
			     : (uint32_t)U16(6) | (uint32_t)U16(4) << 16;
	if (U16(0) == 0x0112 && U16(2) == 3 && cnt == 1 && U16(8) >= 1 && U16(8) <= 8)
		c->orient = (uint8_t)U16(8);
#undef U16
}

static int
sniff(const uint8_t *h, size_t n)
{
	if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF)
		return CLEAN_JPEG;
	if (n >= 8 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0)
		return CLEAN_PNG;
	if (n >= 12 && memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WEBP", 4) == 0)
		return CLEAN_WEBP;
	return CLEAN_OTHER;
}

static size_t
feed(struct clean *c, const uint8_t *p, size_t n)
{
	switch (c->kind) {
	case CLEAN_JPEG:
		return clean_jpeg_feed(c, p, n);
	case CLEAN_PNG:
		return clean_png_feed(c, p, n);
	case CLEAN_WEBP:
		return clean_webp_feed(c, p, n);
	}
	return 0;
}

/* Stops cleaning: what is held goes out as sent (or, once committed, the
 * header being read), then rest, then everything that follows. */
static void
go_pass(struct clean *c, const uint8_t *rest, size_t nrest)
{
	c->pass = 1;
	if (!c->committed) {
		emit(c, c->raw, c->rawlen); /* rest is in raw already */
		drop_hold(c);
		c->committed = 1;
		return;
	}
	emit(c, c->hdr, c->hlen);
	emit(c, rest, nrest);
}

static size_t
sniff_feed(struct clean *c, const uint8_t *p, size_t n)
{
	size_t used = n;
	uint8_t h[CLEAN_SNIFF];

	if (c->hwant == 0)
		clean_want(c, CLEAN_SNIFF);
	if (!clean_collect(c, &p, &n))
		return used;
	used -= n;
	c->sniffed = 1;
	c->kind = sniff(c->hdr, c->hlen);
	if (c->kind == CLEAN_OTHER) {
		c->pass = 1; /* go_pass by the caller */
		return used;
	}
	memcpy(h, c->hdr, sizeof(h));
	c->hlen = c->hwant = 0;
	if (feed(c, h, sizeof(h)) != sizeof(h) && !c->failed)
		c->failed = 1;
	return used;
}

int
clean_write(struct clean *c, const uint8_t *buf, size_t len)
{
	while (len > 0 && !c->err) {
		if (c->pass) {
			emit(c, buf, len);
			break;
		}
		size_t n = len, used;
		if (!c->committed) {
			size_t room = CLEAN_HOLD_MAX - c->rawlen;
			if (room == 0) {
				commit(c);
				continue;
			}
			if (n > room)
				n = room;
			memcpy(c->raw + c->rawlen, buf, n);
			c->rawlen += n;
		}
		used = c->sniffed ? 0 : sniff_feed(c, buf, n);
		if (c->sniffed && !c->pass && !c->failed)
			used += feed(c, buf + used, n - used);
		if (c->pass) { /* not an image: everything as sent */
			c->pass = 0;
			go_pass(c, buf + used, n - used);
		} else if (c->failed) {
			go_pass(c, buf + used, n - used);
		}
		buf += n;
		len -= n;
	}
	return c->err ? -1 : 0;
}

static int
done(struct clean *c)
{
	switch (c->kind) {
	case CLEAN_JPEG:
		return clean_jpeg_done(c);
	case CLEAN_PNG:
		return clean_png_done(c);
	case CLEAN_WEBP:
		return clean_webp_done(c);
	}
	return 0;
}

int
clean_finish(struct clean *c)
{
	if (!c->pass && !c->err) {
		if (!c->sniffed) {
			c->kind = CLEAN_OTHER; /* shorter than any image header */
			go_pass(c, NULL, 0);
		} else if (!done(c)) {
			c->failed = 1; /* truncated */
			go_pass(c, NULL, 0);
		} else {
			commit(c);
		}
	}
	drop_hold(c);
	sodium_memzero(c->hdr, sizeof(c->hdr));
	return c->err ? -1 : 0;
}

int
clean_result(const struct clean *c)
{
	if (c->kind == CLEAN_OTHER)
		return CLEAN_NOT_IMAGE;
	return c->failed ? CLEAN_FAILED : CLEAN_CLEANED;
}

struct membuf {
	uint8_t *p;
	size_t len, cap;
};

static int
mem_emit(void *ctx, const uint8_t *buf, size_t len)
{
	struct membuf *m = ctx;
	if (len > m->cap - m->len)
		return -1;
	memcpy(m->p + m->len, buf, len);
	m->len += len;
	return 0;
}

int
clean_buffer(const uint8_t *in, size_t len, uint8_t **out, size_t *outlen)
{
	/* A kept cleaner, not a new 512 KiB each call: malloc and free of one
	 * cost ASan an mmap and munmap (and the page faults) per call, 15 s
	 * of system time for test_clean's 12k calls; the pool's is wiped
	 * whole when given back, which a freed one was not. */
	struct clean *c = sodium_init() < 0 ? NULL : cpool_get();
	/* the output is never longer than the input plus what a cleaner adds */
	struct membuf m = {.p = malloc(len + CLEAN_SLACK + 1), .cap = len + CLEAN_SLACK};
	int r = -1;

	*out = NULL;
	*outlen = 0;
	if (c == NULL || m.p == NULL)
		goto fail;
	clean_init(c, mem_emit, &m);
	if (clean_write(c, in, len) != 0 || clean_finish(c) != 0)
		goto fail;
	r = clean_result(c);
	*out = m.p;
	*outlen = m.len;
	m.p = NULL;
fail:
	free(m.p);
	cpool_put(c);
	return r;
}
