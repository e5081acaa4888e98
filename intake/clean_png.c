/*
 * PNG cleaner: walks the chunks and keeps every critical chunk (IHDR,
 * PLTE, IDAT, IEND: the picture) and the ancillary chunks that change how
 * it is shown (transparency, gamma, colour space and ICC profile, bit
 * depth, background, pixel size, HDR metadata, APNG animation). Text
 * (tEXt, zTXt, iTXt), eXIf, tIME and any other ancillary chunk, known or
 * private, goes, and so does anything after IEND. Kept chunks are copied
 * with their CRCs as sent. eXIf goes whole, orientation included:
 * PNG pictures are screenshots and drawings far more than camera photos.
 */
#include <string.h>

#include "intake/clean.h"

enum { P_START = 0, P_SIG, P_HDR, P_BODY, P_TRAIL };

static const char keep[][5] = {"tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "bKGD", "pHYs",
    "cICP", "mDCv", "cLLi", "sPLT", "hIST", "acTL", "fcTL", "fdAT"};

static int
letters(const uint8_t *t)
{
	for (int i = 0; i < 4; i++)
		if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z')))
			return 0;
	return 1;
}

static int
kept(const uint8_t *t)
{
	if (!(t[0] & 0x20))
		return 1; /* critical: upper-case first letter */
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (memcmp(t, keep[i], 4) == 0)
			return 1;
	return 0;
}

static void
chunk(struct clean *c)
{
	const uint8_t *t = c->hdr + 4;
	uint32_t len = (uint32_t)c->hdr[0] << 24 | (uint32_t)c->hdr[1] << 16 |
		       (uint32_t)c->hdr[2] << 8 | c->hdr[3];

	if (len > CLEAN_PNG_CHUNK_MAX || !letters(t) || (c->first && memcmp(t, "IHDR", 4) != 0)) {
		c->failed = 1;
		return;
	}
	c->first = 0;
	c->marker = memcmp(t, "IEND", 4) == 0;
	c->left = (uint64_t)len + 4; /* data and CRC */
	if (kept(t)) {
		clean_out(c, c->hdr, 8);
		c->mode = CM_COPY;
	} else {
		c->removed += 8;
		c->mode = CM_SKIP;
	}
	c->hlen = c->hwant = 0;
	c->state = P_BODY;
}

size_t
clean_png_feed(struct clean *c, const uint8_t *p, size_t n)
{
	size_t n0 = n;

	while (!c->failed && !c->err) {
		switch (c->state) {
		case P_START:
			clean_want(c, 8);
			c->state = P_SIG;
			continue;
		case P_SIG:
			if (!clean_collect(c, &p, &n))
				return n0 - n;
			if (memcmp(c->hdr, "\x89PNG\r\n\x1a\n", 8) != 0) {
				c->failed = 1;
				break;
			}
			clean_out(c, c->hdr, 8);
			c->first = 1;
			clean_want(c, 8);
			c->state = P_HDR;
			continue;
		case P_HDR:
			if (!clean_collect(c, &p, &n))
				return n0 - n;
			chunk(c);
			continue;
		case P_BODY:
			if (!clean_body(c, &p, &n))
				return n0 - n;
			clean_want(c, 8);
			c->state = c->marker ? P_TRAIL : P_HDR;
			continue;
		case P_TRAIL:
			c->removed += n;
			return n0;
		default:
			c->failed = 1;
		}
	}
	return n0 - n;
}

int
clean_png_done(struct clean *c)
{
	return c->state == P_TRAIL;
}
