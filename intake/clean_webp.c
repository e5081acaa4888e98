/*
 * WebP cleaner: walks the RIFF chunks and keeps the picture (VP8, VP8L,
 * ALPH, ANIM, ANMF) and its ICC profile (ICCP); EXIF, XMP and any unknown
 * chunk go, VP8X loses its EXIF and XMP flags, and the RIFF size is set to
 * what is left. The size is the file's 5th to 8th bytes, so it can only be
 * fixed while they are held (CLEAN_HOLD_MAX): past that, a chunk to remove
 * is overwritten instead, with an unknown chunk ("JUNK", which readers
 * skip) of the same size full of zeros, so the size stays right.
 */
#include <string.h>

#include "intake/clean.h"

enum { W_START = 0, W_HDR, W_CHDR, W_VP8X, W_BODY, W_TRAIL };

#define VP8X_EXIF 0x08
#define VP8X_XMP 0x04

static const char keep[][5] = {"VP8 ", "VP8L", "ALPH", "ANIM", "ANMF", "ICCP"};

static uint32_t
le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static int
fourcc_ok(const uint8_t *t)
{
	for (int i = 0; i < 4; i++)
		if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z') ||
			(t[i] >= '0' && t[i] <= '9') || t[i] == ' '))
			return 0;
	return 1;
}

static void
chunk(struct clean *c)
{
	const uint8_t *t = c->hdr;
	uint64_t size = le32(c->hdr + 4), padded = size + (size & 1);
	int k = 0;

	if (!fourcc_ok(t) || 8 + padded > c->riff_left) {
		c->failed = 1;
		return;
	}
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		k |= memcmp(t, keep[i], 4) == 0;
	if (memcmp(t, "VP8X", 4) == 0) {
		if (!c->first || size != 10) {
			c->failed = 1;
			return;
		}
		c->first = 0;
		c->riff_left -= 18;
		c->hwant = 18; /* read the flags before they go out */
		c->state = W_VP8X;
		return;
	}
	if (c->first && memcmp(t, "VP8 ", 4) != 0 && memcmp(t, "VP8L", 4) != 0) {
		c->failed = 1; /* a WebP starts with its picture or VP8X */
		return;
	}
	c->first = 0;
	c->riff_left -= 8 + padded;
	c->left = padded;
	c->state = W_BODY;
	c->hlen = c->hwant = 0;
	if (k) {
		clean_out(c, c->hdr, 8);
		c->mode = CM_COPY;
	} else if (!c->committed) {
		c->riff_drop += 8 + padded;
		c->removed += 8;
		c->mode = CM_SKIP;
	} else {
		uint8_t junk[8] = {'J', 'U', 'N', 'K'};
		memcpy(junk + 4, c->hdr + 4, 4);
		clean_out(c, junk, 8);
		c->removed += 8;
		c->mode = CM_ZERO;
	}
}

static void
next(struct clean *c)
{
	clean_want(c, 8);
	c->state = c->riff_left == 0 ? W_TRAIL : W_CHDR;
}

size_t
clean_webp_feed(struct clean *c, const uint8_t *p, size_t n)
{
	size_t n0 = n;

	while (!c->failed && !c->err) {
		switch (c->state) {
		case W_START:
			clean_want(c, 12);
			c->state = W_HDR;
			continue;
		case W_HDR:
			if (!clean_collect(c, &p, &n))
				return n0 - n;
			c->riff_size = le32(c->hdr + 4);
			if (memcmp(c->hdr, "RIFF", 4) != 0 || memcmp(c->hdr + 8, "WEBP", 4) != 0 ||
			    c->riff_size < 4 + 8) {
				c->failed = 1;
				break;
			}
			clean_out(c, c->hdr, 12);
			c->riff_left = c->riff_size - 4;
			c->first = 1;
			next(c);
			continue;
		case W_CHDR:
			if (!clean_collect(c, &p, &n))
				return n0 - n;
			chunk(c);
			continue;
		case W_VP8X:
			if (!clean_collect(c, &p, &n))
				return n0 - n;
			c->hdr[8] &= (uint8_t) ~(VP8X_EXIF | VP8X_XMP);
			clean_out(c, c->hdr, 18);
			next(c);
			continue;
		case W_BODY:
			if (!clean_body(c, &p, &n))
				return n0 - n;
			next(c);
			continue;
		case W_TRAIL:
			c->removed += n; /* past the RIFF size: not part of the file */
			return n0;
		default:
			c->failed = 1;
		}
	}
	return n0 - n;
}

int
clean_webp_done(struct clean *c)
{
	return c->state == W_TRAIL;
}

void
clean_webp_commit(struct clean *c)
{
	if (c->outlen < 12)
		return;
	uint32_t s = (uint32_t)(c->riff_size - c->riff_drop);
	c->out[4] = (uint8_t)s;
	c->out[5] = (uint8_t)(s >> 8);
	c->out[6] = (uint8_t)(s >> 16);
	c->out[7] = (uint8_t)(s >> 24);
}
