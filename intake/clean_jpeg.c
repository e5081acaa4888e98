/*
 * JPEG cleaner: walks the marker segments and keeps only what decoding and
 * showing the picture need: the frame, tables and scans (copied byte for
 * byte, entropy-coded data included), JFIF APP0 (its thumbnail cut),
 * ICC_PROFILE APP2 and Adobe APP14 (colour transform). Every other APPn
 * (EXIF, XMP, IPTC/Photoshop, MPF, vendor blocks, content credentials),
 * every COM and everything after EOI (the extra pictures of MPF) goes.
 *
 * Orientation is kept, as the only EXIF tag, in a minimal EXIF segment
 * written where the original was: a phone photo is stored sideways with a
 * flag saying how the phone was held, and applying that flag means
 * decoding and re-encoding (or DCT-domain rotation, which fails on sizes
 * that are not whole blocks). The flag is one of eight values that every
 * phone writes; it says nothing about the person, and without it the
 * reviewer sees the document or scene on its side.
 */
#include <string.h>

#include "intake/clean.h"

enum {
	J_START = 0,
	J_SOI,
	J_MARK, /* hdr: FF and the marker byte */
	J_LEN,	/* hdr: FF m and the length */
	J_HEAD, /* hdr: FF m len and the first bytes of the body */
	J_BODY,
	J_SCAN,	  /* entropy-coded data */
	J_SCANFF, /* hdr: FF seen in a scan */
	J_TRAIL,  /* after EOI */
};

#define J_HEAD_BYTES 16 /* enough for every identifier we look at */

enum { A_KEEP, A_DROP, A_EXIF, A_JFIF };

static int
action(uint8_t m, const uint8_t *h, size_t hl, size_t seg)
{
	if (m == 0xE0) {
		if (hl < 14 || memcmp(h, "JFIF\0", 5) != 0)
			return A_DROP; /* JFXX thumbnails and the like */
		return seg == 14 && h[12] == 0 && h[13] == 0 ? A_KEEP : A_JFIF;
	}
	if (m == 0xE1)
		return hl >= 6 && memcmp(h, "Exif\0\0", 6) == 0 ? A_EXIF : A_DROP;
	if (m == 0xE2)
		return hl >= 12 && memcmp(h, "ICC_PROFILE\0", 12) == 0 ? A_KEEP : A_DROP;
	if (m == 0xEE)
		return hl >= 5 && memcmp(h, "Adobe", 5) == 0 ? A_KEEP : A_DROP;
	if ((m >= 0xE0 && m <= 0xEF) || m == 0xFE)
		return A_DROP;
	return A_KEEP;
}

/* The orientation as the one tag of IFD0, little-endian TIFF. */
static void
orientation_out(struct clean *c)
{
	uint8_t s[36] = {0xFF, 0xE1, 0x00, 34, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0,
	    0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	s[28] = c->orient;
	clean_out(c, s, sizeof(s));
	c->orient_out = 1;
}

static void
segment(struct clean *c)
{
	const uint8_t *h = c->hdr + 4;
	size_t hl = c->hlen - 4, seg = ((size_t)c->hdr[2] << 8 | c->hdr[3]) - 2;

	c->left = seg - hl;
	c->mode = CM_COPY;
	switch (action(c->marker, h, hl, seg)) {
	case A_KEEP:
		clean_out(c, c->hdr, c->hlen);
		break;
	case A_JFIF: {
		uint8_t s[18] = {0xFF, 0xE0, 0, 16};
		memcpy(s + 4, h, 12); /* JFIF\0, version, units, density; no thumbnail */
		clean_out(c, s, sizeof(s));
		c->mode = CM_SKIP;
		c->removed += c->hlen - sizeof(s);
		break;
	}
	case A_EXIF:
		memset(&c->exif, 0, sizeof(c->exif));
		for (size_t i = 0; i < hl; i++)
			clean_exif_byte(c, h[i]);
		c->mode = CM_EXIF;
		c->removed += c->hlen;
		break;
	default:
		c->mode = CM_SKIP;
		c->removed += c->hlen;
	}
	c->hlen = c->hwant = 0; /* the header is out or dropped */
	c->state = J_BODY;
}

/* hdr holds FF m: acts on the marker. */
static void
marker(struct clean *c)
{
	uint8_t m = c->hdr[1];

	if (c->hdr[0] != 0xFF || m == 0x00 || m == 0xD8) {
		c->failed = 1;
		return;
	}
	if (m == 0xFF) { /* a fill byte: drop one, read on */
		c->removed++;
		c->hlen = 1;
		return;
	}
	if (m == 0xD9) {
		clean_out(c, c->hdr, 2);
		c->hlen = c->hwant = 0;
		c->state = J_TRAIL;
		return;
	}
	if ((m >= 0xD0 && m <= 0xD7) || m == 0x01) { /* no length */
		clean_out(c, c->hdr, 2);
		clean_want(c, 2);
		return;
	}
	c->marker = m;
	c->hwant = 4;
	c->state = J_LEN;
}

size_t
clean_jpeg_feed(struct clean *c, const uint8_t *p, size_t n)
{
	size_t n0 = n;

	while (!c->failed && !c->err) {
		switch (c->state) {
		case J_START:
			clean_want(c, 2);
			c->state = J_SOI;
			continue;
		case J_SOI:
			if (!clean_collect(c, &p, &n))
				return n0 - n;
			if (c->hdr[0] != 0xFF || c->hdr[1] != 0xD8) {
				c->failed = 1;
				break;
			}
			clean_out(c, c->hdr, 2);
			clean_want(c, 2);
			c->state = J_MARK;
			continue;
		case J_MARK:
			if (!clean_collect(c, &p, &n))
				return n0 - n;
			marker(c);
			continue;
		case J_LEN: {
			if (!clean_collect(c, &p, &n))
				return n0 - n;
			size_t len = (size_t)c->hdr[2] << 8 | c->hdr[3];
			if (len < 2) {
				c->failed = 1;
				break;
			}
			c->hwant = 4 + (len - 2 < J_HEAD_BYTES ? len - 2 : J_HEAD_BYTES);
			c->state = J_HEAD;
			continue;
		}
		case J_HEAD:
			if (!clean_collect(c, &p, &n))
				return n0 - n;
			segment(c);
			continue;
		case J_BODY:
			if (!clean_body(c, &p, &n))
				return n0 - n;
			if (c->mode == CM_EXIF && c->orient > 1 && !c->orient_out)
				orientation_out(c);
			c->hlen = c->hwant = 0;
			if (c->marker == 0xDA) {
				c->state = J_SCAN;
			} else {
				clean_want(c, 2);
				c->state = J_MARK;
			}
			continue;
		case J_SCAN: {
			if (n == 0)
				return n0;
			const uint8_t *ff = memchr(p, 0xFF, n);
			size_t k = ff ? (size_t)(ff - p) : n;
			clean_out(c, p, k);
			p += k;
			n -= k;
			if (ff == NULL)
				return n0;
			clean_want(c, 2);
			c->state = J_SCANFF;
			continue;
		}
		case J_SCANFF: {
			if (!clean_collect(c, &p, &n))
				return n0 - n;
			uint8_t b = c->hdr[1];
			if (b == 0x00 || (b >= 0xD0 && b <= 0xD7)) {
				clean_out(c, c->hdr, 2); /* stuffed byte or restart marker */
				c->hlen = c->hwant = 0;
				c->state = J_SCAN;
			} else if (b == 0xFF) {
				clean_out(c, c->hdr, 1); /* fill byte inside the scan */
				c->hlen = 1;
			} else {
				c->state = J_MARK; /* the scan ended at a marker */
				marker(c);
			}
			continue;
		}
		case J_TRAIL:
			c->removed += n;
			return n0;
		default:
			c->failed = 1;
		}
	}
	return n0 - n;
}

int
clean_jpeg_done(struct clean *c)
{
	return c->state == J_TRAIL;
}
