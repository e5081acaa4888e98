/*
 * Tests for intake/clean*.c, the attachment metadata cleaners. Fixtures
 * are built here byte by byte, each segment or chunk marked kept or
 * dropped, so the expected output is built beside the input. Pixels and
 * exiftool's view of real pictures are checked end to end
 * (tests/e2e/39-intake-attachment-metadata.sh). The negative cases outnumber the others:
 * truncation at every byte, hostile lengths, wrong orders, random bytes and
 * bit flips; a malformed picture must come out exactly as sent.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/clean.h"

/* ---- building fixtures ------------------------------------------------ */

struct vec {
	uint8_t *p;
	size_t len, cap;
};

static void
put(struct vec *v, const void *b, size_t n)
{
	if (v->len + n > v->cap) {
		v->cap = (v->len + n) * 2 + 64;
		v->p = realloc(v->p, v->cap);
		assert_non_null(v->p);
	}
	if (n)
		memcpy(v->p + v->len, b, n);
	v->len += n;
}

static void
putc8(struct vec *v, uint8_t c)
{
	put(v, &c, 1);
}

static void
putfill(struct vec *v, uint8_t c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		putc8(v, c);
}

/* in gets the bytes; exp too when keep. */
static void
both(struct vec *in, struct vec *exp, int keep, const void *b, size_t n)
{
	put(in, b, n);
	if (keep)
		put(exp, b, n);
}

static void
le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* A JPEG marker segment FF m len body. */
static void
jseg(struct vec *in, struct vec *exp, int keep, uint8_t m, const void *body, size_t n)
{
	uint8_t h[4] = {0xFF, m, (uint8_t)((n + 2) >> 8), (uint8_t)(n + 2)};
	both(in, exp, keep, h, 4);
	both(in, exp, keep, body, n);
}

/* An EXIF APP1 body: Artist, Orientation orient (0: none), a GPS pointer. */
static void
exif_body(struct vec *b, int big_endian, uint16_t orient)
{
	put(b, "Exif\0\0", 6);
	uint8_t tiff[8] = {'I', 'I', 42, 0, 8, 0, 0, 0};
	if (big_endian) {
		uint8_t mm[8] = {'M', 'M', 0, 42, 0, 0, 0, 8};
		memcpy(tiff, mm, 8);
	}
	put(b, tiff, 8);
	uint16_t n = orient ? 3 : 2;
	uint8_t cnt[2] = {big_endian ? 0 : (uint8_t)n, big_endian ? (uint8_t)n : 0};
	put(b, cnt, 2);
	/* tag 0x013B Artist, ASCII, 4 bytes inline "Jan\0" */
	uint8_t artist_le[12] = {0x3B, 0x01, 2, 0, 4, 0, 0, 0, 'J', 'a', 'n', 0};
	uint8_t artist_be[12] = {0x01, 0x3B, 0, 2, 0, 0, 0, 4, 'J', 'a', 'n', 0};
	put(b, big_endian ? artist_be : artist_le, 12);
	if (orient) {
		uint8_t o_le[12] = {0x12, 0x01, 3, 0, 1, 0, 0, 0, (uint8_t)orient, 0, 0, 0};
		uint8_t o_be[12] = {0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (uint8_t)orient, 0, 0};
		put(b, big_endian ? o_be : o_le, 12);
	}
	uint8_t gps_le[12] = {0x25, 0x88, 4, 0, 1, 0, 0, 0, 60, 0, 0, 0};
	uint8_t gps_be[12] = {0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 60};
	put(b, big_endian ? gps_be : gps_le, 12);
	put(b, "\0\0\0\0GPS 51.48N 3.18W Jane's phone", 34);
}

static const uint8_t orient6[36] = {0xFF, 0xE1, 0x00, 34, 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0,
    8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0};

/* A JPEG with every kind of segment; scan bytes of scan1 (0xAB, no FF). */
static void
make_jpeg(struct vec *in, struct vec *exp, size_t scan1, uint16_t orient)
{
	struct vec e = {0};
	both(in, exp, 1, "\xFF\xD8", 2);
	/* JFIF with a 1x1 thumbnail: kept, thumbnail cut */
	jseg(in, exp, 0, 0xE0, "JFIF\0\x01\x01\x00\x00\x01\x00\x01\x01\x01\x11\x22\x33", 17);
	put(exp, "\xFF\xE0\x00\x10JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00", 18);
	exif_body(&e, 0, orient);
	jseg(in, exp, 0, 0xE1, e.p, e.len);
	if (orient) {
		uint8_t o[36];
		memcpy(o, orient6, 36);
		o[28] = (uint8_t)orient;
		put(exp, o, 36);
	}
	jseg(in, exp, 0, 0xE1, "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Jane</x:xmpmeta>", 56);
	jseg(in, exp, 1, 0xE2, "ICC_PROFILE\0\x01\x01profile-bytes-here", 32);
	jseg(in, exp, 0, 0xE2, "MPF\0II*\0second-picture", 22);
	jseg(in, exp, 0, 0xED, "Photoshop 3.0\08BIM\x04\x04 By-line Jane", 33);
	jseg(in, exp, 1, 0xEE, "Adobe\0\x64\0\0\0\0\x01", 12);
	jseg(in, exp, 0, 0xEB, "JP\0\x01jumb c2pa credentials", 25);
	jseg(in, exp, 0, 0xFE, "Jane's phone", 12);
	both(in, exp, 0, "\xFF\xFF", 1); /* a fill byte before a marker: dropped */
	uint8_t dqt[65] = {0};
	jseg(in, exp, 1, 0xDB, dqt, 65);
	jseg(in, exp, 1, 0xC0, "\x08\x00\x10\x00\x10\x03\x01\x11\x00\x02\x11\x01\x03\x11\x01", 15);
	jseg(in, exp, 1, 0xC4, "\x00\x01\x02", 3);
	jseg(in, exp, 1, 0xDA, "\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00", 10);
	for (size_t i = 0; i < scan1; i++)
		both(in, exp, 1, "\xAB", 1);
	both(in, exp, 1, "\x12\x34\xFF\x00\x56\xFF\xD0\x78", 8); /* stuffing, restart */
	jseg(in, exp, 0, 0xFE, "comment between scans", 21);
	jseg(in, exp, 1, 0xDA, "\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00", 10);
	both(in, exp, 1, "\x9A\xBC\xFF\xFF\xD9", 5); /* a fill byte, then EOI */
	both(in, exp, 0, "MPF second image: Exif Jane", 27);
	free(e.p);
}

/* A PNG chunk (CRC not checked by the cleaner: any 4 bytes). */
static void
pchunk(struct vec *in, struct vec *exp, int keep, const char *type, const void *d, size_t n)
{
	uint8_t h[8] = {(uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};
	memcpy(h + 4, type, 4);
	both(in, exp, keep, h, 8);
	both(in, exp, keep, d, n);
	both(in, exp, keep, "\xC0\xFF\xEE\x00", 4);
}

static void
make_png(struct vec *in, struct vec *exp, size_t idat)
{
	both(in, exp, 1, "\x89PNG\r\n\x1a\n", 8);
	pchunk(in, exp, 1, "IHDR", "\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0", 13);
	pchunk(in, exp, 0, "tEXt", "Author\0Jane Reporter", 20);
	pchunk(in, exp, 1, "gAMA", "\0\0\xb1\x8f", 4);
	pchunk(in, exp, 1, "iCCP", "ICC\0\0zlib", 9);
	pchunk(in, exp, 0, "zTXt", "Comment\0\0xx", 11);
	pchunk(in, exp, 0, "iTXt", "XML:com.adobe.xmp\0\0\0\0\0Jane", 27);
	pchunk(in, exp, 0, "eXIf", "MM\0*\0\0\0\x08", 8);
	pchunk(in, exp, 0, "tIME", "\x07\xea\x0c\x05\x0b\x00\x00", 7);
	pchunk(in, exp, 0, "prVt", "private vendor data", 19);
	uint8_t *d = malloc(idat + 1);
	assert_non_null(d);
	memset(d, 0x5A, idat);
	pchunk(in, exp, 1, "IDAT", d, idat);
	free(d);
	pchunk(in, exp, 1, "IDAT", "\x01\x02", 2);
	pchunk(in, exp, 0, "tEXt", "Software\0after IDAT", 19);
	pchunk(in, exp, 1, "IEND", "", 0);
	both(in, exp, 0, "trailing Jane", 13);
}

/* A WebP chunk, padded to even. */
static void
wchunk(struct vec *in, struct vec *exp, int keep, const char *cc, const void *d, size_t n)
{
	uint8_t h[8];
	memcpy(h, cc, 4);
	le32(h + 4, (uint32_t)n);
	both(in, exp, keep, h, 8);
	both(in, exp, keep, d, n);
	if (n & 1)
		both(in, exp, keep, "", 1);
}

/* Extended WebP: VP8X (ICC, EXIF, XMP flags), ICCP, VP8L of vp8l bytes,
 * EXIF, XMP, an unknown chunk. junk: the output overwrites instead of
 * removing (a file past the hold). */
static void
make_webp(struct vec *in, struct vec *exp, size_t vp8l, int junk)
{
	struct vec b = {0};
	both(in, exp, 1, "RIFF\0\0\0\0WEBP", 12);
	uint8_t x[10] = {0x2C, 0, 0, 0, 15, 0, 0, 15, 0, 0};
	put(in, "VP8X\x0a\0\0\0", 8);
	put(in, x, 10);
	x[0] = 0x20; /* EXIF and XMP flags cleared */
	put(exp, "VP8X\x0a\0\0\0", 8);
	put(exp, x, 10);
	wchunk(in, exp, 1, "ICCP", "icc-profile", 11);
	uint8_t *d = malloc(vp8l + 1);
	assert_non_null(d);
	memset(d, 0x2F, vp8l);
	wchunk(in, exp, 1, "VP8L", d, vp8l);
	free(d);
	const char *names[3] = {"EXIF", "XMP ", "ABCD"};
	const char *data[3] = {
	    "MM\0*\0\0\0\x08 Artist Jane GPS", "<x:xmpmeta>Jane</x:xmpmeta>", "vendor"};
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(data[i]) + (i == 0 ? 1 : 0);
		wchunk(in, exp, 0, names[i], data[i], n);
		if (junk) {
			uint8_t h[8] = {'J', 'U', 'N', 'K'};
			le32(h + 4, (uint32_t)n);
			put(exp, h, 8);
			putfill(exp, 0, n + (n & 1));
		}
	}
	le32(in->p + 4, (uint32_t)(in->len - 8));
	le32(exp->p + 4, (uint32_t)(exp->len - 8));
	free(b.p);
}

/* ---- running the cleaner ----------------------------------------------- */

static int run_split(const uint8_t *in, size_t len, unsigned seed, struct vec *out);

static int
mem_emit(void *ctx, const uint8_t *b, size_t n)
{
	put(ctx, b, n);
	return 0;
}

/* Feeds in pieces of random size (seed 0: one piece). */
static int
run_split(const uint8_t *in, size_t len, unsigned seed, struct vec *out)
{
	struct clean *c = malloc(sizeof(*c));
	assert_non_null(c);
	clean_init(c, mem_emit, out);
	srand(seed);
	size_t off = 0;
	while (off < len) {
		size_t n = seed == 0 ? len : 1 + (size_t)rand() % (rand() % 4 == 0 ? 70000 : 40);
		if (n > len - off)
			n = len - off;
		assert_int_equal(clean_write(c, in + off, n), 0);
		off += n;
	}
	assert_int_equal(clean_finish(c), 0);
	int r = clean_result(c);
	free(c);
	return r;
}

static void
expect(const struct vec *in, const struct vec *exp, int result)
{
	uint8_t *out;
	size_t olen;
	assert_int_equal(clean_buffer(in->p, in->len, &out, &olen), result);
	assert_int_equal(olen, exp->len);
	assert_memory_equal(out, exp->p, olen);
	free(out);
	/* the same output whatever the pieces the network cut it into */
	for (unsigned seed = 1; seed <= 12; seed++) {
		struct vec o = {0};
		assert_int_equal(run_split(in->p, in->len, seed, &o), result);
		assert_int_equal(o.len, exp->len);
		assert_memory_equal(o.p, exp->p, o.len);
		free(o.p);
	}
}

/* A malformed picture: out exactly as sent, result CLEAN_FAILED. */
static void
as_sent(const uint8_t *in, size_t len, int result)
{
	uint8_t *out;
	size_t olen;
	assert_int_equal(clean_buffer(in, len, &out, &olen), result);
	assert_int_equal(olen, len);
	if (len)
		assert_memory_equal(out, in, len);
	free(out);
}

static int
has(const uint8_t *p, size_t n, const char *s)
{
	return memmem(p, n, s, strlen(s)) != NULL;
}

/* ---- JPEG ---------------------------------------------------------------- */

static void
test_jpeg_cleaned(void **s)
{
	(void)s;
	struct vec in = {0}, exp = {0};
	make_jpeg(&in, &exp, 100, 6);
	expect(&in, &exp, CLEAN_CLEANED);
	assert_false(has(exp.p, exp.len, "Jan"));
	assert_false(has(exp.p, exp.len, "GPS"));
	assert_true(has(exp.p, exp.len, "ICC_PROFILE"));
	free(in.p);
	free(exp.p);
}

static void
test_jpeg_no_orientation(void **s)
{
	(void)s;
	struct vec in = {0}, exp = {0};
	make_jpeg(&in, &exp, 10, 0); /* no tag: no EXIF at all comes out */
	expect(&in, &exp, CLEAN_CLEANED);
	assert_false(has(exp.p, exp.len, "Exif"));
	free(in.p);
	free(exp.p);
}

static void
test_jpeg_orientation_big_endian(void **s)
{
	(void)s;
	struct vec in = {0}, exp = {0}, e = {0};
	both(&in, &exp, 1, "\xFF\xD8", 2);
	exif_body(&e, 1, 8);
	jseg(&in, &exp, 0, 0xE1, e.p, e.len);
	uint8_t o[36];
	memcpy(o, orient6, 36);
	o[28] = 8;
	put(&exp, o, 36);
	both(&in, &exp, 1, "\xFF\xD9", 2);
	expect(&in, &exp, CLEAN_CLEANED);
	free(in.p);
	free(exp.p);
	free(e.p);
}

/* Orientation 1 (as shot) needs no segment; 0 and 9 are not orientations. */
static void
test_jpeg_orientation_values(void **s)
{
	(void)s;
	const uint16_t vals[] = {1, 9, 0xFFFF};
	for (size_t i = 0; i < 3; i++) {
		struct vec in = {0}, exp = {0}, e = {0};
		both(&in, &exp, 1, "\xFF\xD8", 2);
		exif_body(&e, 0, vals[i]);
		jseg(&in, &exp, 0, 0xE1, e.p, e.len);
		both(&in, &exp, 1, "\xFF\xD9", 2);
		expect(&in, &exp, CLEAN_CLEANED);
		free(in.p);
		free(exp.p);
		free(e.p);
	}
}

/* Hostile EXIF: the reader gives up, the segment still goes, no crash. */
static void
test_jpeg_hostile_exif(void **s)
{
	(void)s;
#define S(x)                                                                                       \
	{                                                                                          \
		x, sizeof(x) - 1                                                                   \
	}
	static const struct {
		const char *b;
		size_t n;
	} bodies[] = {
	    S("Exif\0\0XX*\0\x08\0\0\0"),		      /* no byte order */
	    S("Exif\0\0II*\0\x02\0\0\0\x01\0\x12\x01\x03\0"), /* IFD0 behind the header */
	    S("Exif\0\0II*\0\xff\xff\xff\xff"),		      /* IFD0 past the end */
	    S("Exif\0\0II*\0\x08\0\0\0\xff\xff"),	      /* 65535 entries */
	    S("Exif\0\0II*\0\x08\0\0\0\0\0"),		      /* no entries */
	    S("Exif\0\0II*\0\x08\0\0\0\x01\0\x12\x01\x04\0\x01\0\0\0\x06\0"), /* LONG */
	    S("Exif\0\0II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x02\0\0\0\x06\0"), /* count 2 */
	    S("Exif\0\0II"),
	    S("Exif\0\0"),
	};
#undef S
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct vec in = {0}, exp = {0};
		both(&in, &exp, 1, "\xFF\xD8", 2);
		jseg(&in, &exp, 0, 0xE1, bodies[i].b, bodies[i].n);
		both(&in, &exp, 1, "\xFF\xD9", 2);
		expect(&in, &exp, CLEAN_CLEANED);
		free(in.p);
		free(exp.p);
	}
}

/* Two EXIF segments give one orientation segment. */
static void
test_jpeg_two_exif(void **s)
{
	(void)s;
	struct vec in = {0}, exp = {0}, e = {0};
	both(&in, &exp, 1, "\xFF\xD8", 2);
	exif_body(&e, 0, 6);
	jseg(&in, &exp, 0, 0xE1, e.p, e.len);
	put(&exp, orient6, 36);
	jseg(&in, &exp, 0, 0xE1, e.p, e.len);
	both(&in, &exp, 1, "\xFF\xD9", 2);
	expect(&in, &exp, CLEAN_CLEANED);
	free(in.p);
	free(exp.p);
	free(e.p);
}

/* Cut anywhere before EOI: out exactly as sent, told it failed. */
static void
test_jpeg_truncated_everywhere(void **s)
{
	(void)s;
	struct vec in = {0}, exp = {0};
	make_jpeg(&in, &exp, 40, 6);
	size_t eoi = (size_t)((uint8_t *)memmem(in.p, in.len, "\xFF\xD9MPF", 5) - in.p) + 2;
	for (size_t n = 12; n < eoi; n++)
		as_sent(in.p, n, CLEAN_FAILED);
	for (size_t n = 0; n < 3; n++)
		as_sent(in.p, n, CLEAN_NOT_IMAGE); /* too short to be anything */
	free(in.p);
	free(exp.p);
}

static void
test_jpeg_malformed(void **s)
{
	(void)s;
	static const struct {
		const char *b;
		size_t n;
	} bad[] = {
#define S(x) {x, sizeof(x) - 1}
	    S("\xFF\xD8\xFF\xE0\x00\x01JFIF\0\x01\x01\0\xFF\xD9"), /* length 1 */
	    S("\xFF\xD8\xFF\xE0\x00\x00JFIF\0\x01\x01\0\xFF\xD9"), /* length 0 */
	    S("\xFF\xD8\xFF\xD8\xFF\xD9\0\0\0\0\0\0"),		   /* SOI twice */
	    S("\xFF\xD8\xFF\x00\xFF\xD9\0\0\0\0\0\0"),		   /* FF 00 outside a scan */
	    S("\xFF\xD8\xFF\xFE\x00\x04"
	      "ab\x41\xD9\0\0\0\0"),			       /* no FF before a marker */
	    S("\xFF\xD8\xFF\xFE\xFF\xFF\0\0\0\0\0\0\0\0"),     /* length past the end */
	    S("\xFF\xD8\xFF\xDA\x00\x02\x01\x02\xFF\xD8\0\0"), /* SOI inside a scan */
	    S("\xFF\xD8\xFF\xE1\x00\x08Exif\0\0\xFF\xE1"),     /* ends in a header */
#undef S
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		as_sent((const uint8_t *)bad[i].b, bad[i].n, CLEAN_FAILED);
}

/* Past the hold: the cleaned start is out already; a later error passes
 * the rest on as sent and is still reported. */
static void
test_jpeg_large(void **s)
{
	(void)s;
	struct vec in = {0}, exp = {0};
	make_jpeg(&in, &exp, CLEAN_HOLD_MAX + 1000, 3);
	expect(&in, &exp, CLEAN_CLEANED);
	/* cut in the second scan, after the hold (27 trailing, 5 to EOI) */
	size_t cut = in.len - 27 - 4;
	uint8_t *out;
	size_t olen;
	assert_int_equal(clean_buffer(in.p, cut, &out, &olen), CLEAN_FAILED);
	assert_true(olen < cut); /* the metadata at the start went */
	assert_false(has(out, 4096, "Jane"));
	assert_memory_equal(out + olen - 15, in.p + cut - 15, 15); /* SOS and a byte, as sent */
	free(out);
	free(in.p);
	free(exp.p);
}

/* ---- PNG ----------------------------------------------------------------- */

static void
test_png_cleaned(void **s)
{
	(void)s;
	struct vec in = {0}, exp = {0};
	make_png(&in, &exp, 300);
	expect(&in, &exp, CLEAN_CLEANED);
	assert_false(has(exp.p, exp.len, "Jane"));
	assert_false(has(exp.p, exp.len, "tEXt"));
	free(in.p);
	free(exp.p);
	struct vec in2 = {0}, exp2 = {0};
	make_png(&in2, &exp2, CLEAN_HOLD_MAX + 5000); /* text after the hold too */
	expect(&in2, &exp2, CLEAN_CLEANED);
	free(in2.p);
	free(exp2.p);
}

static void
test_png_truncated_everywhere(void **s)
{
	(void)s;
	struct vec in = {0}, exp = {0};
	make_png(&in, &exp, 50);
	size_t iend = (size_t)((uint8_t *)memmem(in.p, in.len, "IEND", 4) - in.p) + 8;
	for (size_t n = 12; n < iend; n++)
		as_sent(in.p, n, CLEAN_FAILED);
	free(in.p);
	free(exp.p);
}

static void
test_png_malformed(void **s)
{
	(void)s;
	struct vec v = {0}, none = {0};
	both(&v, &none, 1, "\x89PNG\r\n\x1a\n", 8);
	pchunk(&v, &none, 1, "IDAT", "x", 1); /* first chunk not IHDR */
	pchunk(&v, &none, 1, "IEND", "", 0);
	as_sent(v.p, v.len, CLEAN_FAILED);
	v.len = 0;
	both(&v, &none, 1, "\x89PNG\r\n\x1a\n", 8);
	put(&v, "\x80\0\0\0IHDR", 8); /* length over 2^31-1 */
	putfill(&v, 0, 20);
	as_sent(v.p, v.len, CLEAN_FAILED);
	v.len = 0;
	both(&v, &none, 1, "\x89PNG\r\n\x1a\n", 8);
	pchunk(&v, &none, 1, "IHDR", "\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0", 13);
	pchunk(&v, &none, 1,
	    "I\x01"
	    "AT",
	    "x", 1); /* not letters */
	pchunk(&v, &none, 1, "IEND", "", 0);
	as_sent(v.p, v.len, CLEAN_FAILED);
	v.len = 0;
	both(&v, &none, 1, "\x89PNG\r\n\x1a\n", 8);
	pchunk(&v, &none, 1, "IHDR", "\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0", 13);
	pchunk(&v, &none, 1, "IDAT", "x", 1); /* no IEND */
	as_sent(v.p, v.len, CLEAN_FAILED);
	v.len = 0;
	put(&v, "\x89PNG\r\n\x1b\nIHDR", 12); /* a byte off the signature: not a PNG */
	as_sent(v.p, v.len, CLEAN_NOT_IMAGE);
	free(v.p);
	free(none.p);
}

/* ---- WebP ---------------------------------------------------------------- */

static void
test_webp_cleaned(void **s)
{
	(void)s;
	struct vec in = {0}, exp = {0};
	make_webp(&in, &exp, 101, 0);
	expect(&in, &exp, CLEAN_CLEANED);
	assert_false(has(exp.p, exp.len, "Jane"));
	assert_false(has(exp.p, exp.len, "EXIF"));
	free(in.p);
	free(exp.p);
}

/* Past the hold the RIFF size is out: chunks are overwritten, not cut. */
static void
test_webp_large_junk(void **s)
{
	(void)s;
	struct vec in = {0}, exp = {0};
	make_webp(&in, &exp, CLEAN_HOLD_MAX + 77, 1);
	assert_int_equal(in.len, exp.len);
	expect(&in, &exp, CLEAN_CLEANED);
	assert_false(has(exp.p, exp.len, "Jane"));
	free(in.p);
	free(exp.p);
}

/* A chunk cut within the hold and one overwritten past it: the RIFF size
 * that went out counts the first and not the second. */
static void
test_webp_cut_and_junk(void **s)
{
	(void)s;
	struct vec in = {0}, exp = {0};
	both(&in, &exp, 1, "RIFF\0\0\0\0WEBP", 12);
	wchunk(&in, &exp, 1, "VP8L", "\x2f\0\0\0\0", 5);
	wchunk(&in, &exp, 0, "ABCD", "early vendor data", 17); /* cut: size goes down */
	uint8_t *d = malloc(CLEAN_HOLD_MAX);
	assert_non_null(d);
	memset(d, 0x11, CLEAN_HOLD_MAX);
	wchunk(&in, &exp, 0, "EFGH", d, CLEAN_HOLD_MAX - 7); /* crosses the hold: still cut */
	free(d);
	wchunk(&in, &exp, 0, "XMP ", "<x>Jane</x>", 11); /* past the hold: overwritten */
	put(&exp, "JUNK\x0b\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20);
	le32(in.p + 4, (uint32_t)(in.len - 8));
	le32(exp.p + 4, (uint32_t)(exp.len - 8));
	expect(&in, &exp, CLEAN_CLEANED);
	free(in.p);
	free(exp.p);
}

static void
test_webp_truncated_everywhere(void **s)
{
	(void)s;
	struct vec in = {0}, exp = {0};
	make_webp(&in, &exp, 31, 0);
	for (size_t n = 12; n < in.len; n++)
		as_sent(in.p, n, CLEAN_FAILED);
	free(in.p);
	free(exp.p);
}

static void
test_webp_malformed(void **s)
{
	(void)s;
	struct vec in = {0}, exp = {0};
	uint8_t *p;
	make_webp(&in, &exp, 20, 0);
	p = malloc(in.len);
	assert_non_null(p);
	/* RIFF size too small for one chunk; larger than the file */
	const uint32_t sizes[] = {0, 4, 11, (uint32_t)in.len, 0xFFFFFFFFu};
	for (size_t i = 0; i < 5; i++) {
		memcpy(p, in.p, in.len);
		le32(p + 4, sizes[i]);
		as_sent(p, in.len, CLEAN_FAILED);
	}
	/* VP8X of the wrong size; a chunk longer than the RIFF */
	memcpy(p, in.p, in.len);
	p[16] = 9;
	as_sent(p, in.len, CLEAN_FAILED);
	memcpy(p, in.p, in.len);
	le32(p + 34, 0x7FFFFFF0u); /* ICCP's size */
	as_sent(p, in.len, CLEAN_FAILED);
	/* a bad FourCC; metadata first */
	memcpy(p, in.p, in.len);
	memcpy(p + 30, "IC\x01P", 4);
	as_sent(p, in.len, CLEAN_FAILED);
	memcpy(p, in.p, in.len);
	memcpy(p + 12, "EXIF", 4);
	as_sent(p, in.len, CLEAN_FAILED);
	free(p);
	free(in.p);
	free(exp.p);
	/* VP8X twice */
	struct vec v = {0}, none = {0};
	put(&v, "RIFF\0\0\0\0WEBP", 12);
	wchunk(&v, &none, 1, "VP8X", "\0\0\0\0\0\0\0\0\0\0", 10);
	wchunk(&v, &none, 1, "VP8X", "\0\0\0\0\0\0\0\0\0\0", 10);
	le32(v.p + 4, (uint32_t)(v.len - 8));
	as_sent(v.p, v.len, CLEAN_FAILED);
	free(v.p);
	free(none.p);
}

/* ---- not pictures, and the plumbing ---------------------------------- */

static void
test_other_types(void **s)
{
	(void)s;
	const char *pdf = "%PDF-1.7\n1 0 obj << /Author (Jane) >> endobj\n%%EOF\n";
	as_sent((const uint8_t *)pdf, strlen(pdf), CLEAN_NOT_IMAGE);
	as_sent((const uint8_t *)"", 0, CLEAN_NOT_IMAGE);
	as_sent((const uint8_t *)"\xFF\xD8", 2, CLEAN_NOT_IMAGE);
	as_sent((const uint8_t *)"RIFF\0\0\0\0WAVEfmt ", 16, CLEAN_NOT_IMAGE);
	as_sent((const uint8_t *)"\xFF\xD8\xFE\0\0\0\0\0\0\0\0\0", 12, CLEAN_NOT_IMAGE);
	/* a long file that is not a picture passes whole, past the hold */
	size_t n = CLEAN_HOLD_MAX * 2 + 3;
	uint8_t *b = malloc(n);
	assert_non_null(b);
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(i * 7);
	as_sent(b, n, CLEAN_NOT_IMAGE);
	free(b);
}

static int
fail_emit(void *ctx, const uint8_t *b, size_t n)
{
	(void)b;
	size_t *left = ctx;
	if (n > *left)
		return -1;
	*left -= n;
	return 0;
}

/* A sink that fails makes the cleaner fail, at once or at the end. */
static void
test_emit_failure(void **s)
{
	(void)s;
	struct vec in = {0}, exp = {0};
	make_jpeg(&in, &exp, CLEAN_HOLD_MAX + 10, 6);
	struct clean *c = malloc(sizeof(*c));
	assert_non_null(c);
	size_t left = 0;
	clean_init(c, fail_emit, &left);
	assert_int_equal(clean_write(c, in.p, in.len), -1);
	assert_int_equal(clean_write(c, in.p, 1), -1); /* sticky */
	assert_int_equal(clean_finish(c), -1);
	left = 10;
	clean_init(c, fail_emit, &left);
	assert_int_equal(clean_write(c, in.p, 100), 0); /* held: nothing out yet */
	assert_int_equal(clean_finish(c), -1);
	free(c);
	free(in.p);
	free(exp.p);
}

/* clean_buffer's cleaner held the whole file (the EXIF's artist and GPS among it):
 * it goes back to the pool wiped whole, every byte, and is the one the
 * next file gets (not a new one per call, 15 s of ASan's system time
 * over this program's 12k calls). */
static void
test_buffer_cleaner_wiped(void **s)
{
	(void)s;
	struct vec in = {0}, exp = {0};
	uint8_t *out;
	size_t olen;
	make_jpeg(&in, &exp, 100, 6);
	assert_true(has(in.p, in.len, "Jan"));
	assert_int_equal(clean_buffer(in.p, in.len, &out, &olen), CLEAN_CLEANED);
	free(out);
	struct clean *c = cpool_get(); /* the one just given back */
	assert_non_null(c);
	const uint8_t *b = (const uint8_t *)c;
	uint8_t acc = 0;
	for (size_t i = 0; i < sizeof(*c); i++)
		acc |= b[i];
	assert_int_equal(acc, 0); /* a new one is sodium_malloc's fill */
	cpool_put(c);
	for (int i = 0; i < 2; i++) { /* and it is reused, working */
		assert_int_equal(clean_buffer(in.p, in.len, &out, &olen), CLEAN_CLEANED);
		assert_int_equal(olen, exp.len);
		assert_memory_equal(out, exp.p, olen);
		free(out);
	}
	free(in.p);
	free(exp.p);
}

/* Random bytes behind each signature, and every single bit flipped in
 * each fixture: never a crash (ASan in make check), never more out than
 * in plus CLEAN_SLACK (clean_buffer fails if so), and a small file that
 * fails comes out as sent. */
static void
test_hostile_random(void **s)
{
	(void)s;
	static const char *sig[] = {"\xFF\xD8\xFF", "\x89PNG\r\n\x1a\n", "RIFF\x40\0\0\0WEBP"};
	static const size_t siglen[] = {3, 8, 12};
	uint8_t buf[600];
	srand(12);
	for (int round = 0; round < 3000; round++) {
		size_t k = (size_t)round % 3, n = siglen[k] + (size_t)rand() % 500;
		memcpy(buf, sig[k], siglen[k]);
		for (size_t i = siglen[k]; i < n; i++)
			buf[i] = (uint8_t)(rand() % 7 == 0 ? 0xFF : rand());
		uint8_t *out;
		size_t olen;
		int r = clean_buffer(buf, n, &out, &olen);
		assert_true(r >= 0);
		if (r == CLEAN_FAILED) {
			assert_int_equal(olen, n);
			assert_memory_equal(out, buf, n);
		}
		free(out);
	}
	struct vec in[3] = {{0}}, exp[3] = {{0}};
	make_jpeg(&in[0], &exp[0], 8, 6);
	make_png(&in[1], &exp[1], 8);
	make_webp(&in[2], &exp[2], 9, 0);
	for (int k = 0; k < 3; k++) {
		for (size_t bit = 0; bit < in[k].len * 8; bit++) {
			in[k].p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			uint8_t *out;
			size_t olen;
			int r = clean_buffer(in[k].p, in[k].len, &out, &olen);
			assert_true(r >= 0);
			if (r == CLEAN_FAILED)
				assert_memory_equal(out, in[k].p, in[k].len);
			free(out);
			in[k].p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
		free(in[k].p);
		free(exp[k].p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_jpeg_cleaned),
	    cmocka_unit_test(test_jpeg_no_orientation),
	    cmocka_unit_test(test_jpeg_orientation_big_endian),
	    cmocka_unit_test(test_jpeg_orientation_values),
	    cmocka_unit_test(test_jpeg_hostile_exif),
	    cmocka_unit_test(test_jpeg_two_exif),
	    cmocka_unit_test(test_jpeg_truncated_everywhere),
	    cmocka_unit_test(test_jpeg_malformed),
	    cmocka_unit_test(test_jpeg_large),
	    cmocka_unit_test(test_png_cleaned),
	    cmocka_unit_test(test_png_truncated_everywhere),
	    cmocka_unit_test(test_png_malformed),
	    cmocka_unit_test(test_webp_cleaned),
	    cmocka_unit_test(test_webp_large_junk),
	    cmocka_unit_test(test_webp_cut_and_junk),
	    cmocka_unit_test(test_webp_truncated_everywhere),
	    cmocka_unit_test(test_webp_malformed),
	    cmocka_unit_test(test_other_types),
	    cmocka_unit_test(test_emit_failure),
	    cmocka_unit_test(test_hostile_random),
	    cmocka_unit_test(test_buffer_cleaner_wiped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
