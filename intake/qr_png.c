/*
 * QR code of a short text as a PNG in a data: URI, for the receipt page.
 * Tor Browser's "Safest" level blocks SVG, and a reporter who follows our
 * advice to use Tor would then see no code; a PNG shows everywhere, and a
 * data: URI keeps it inside the page (no request, nothing cached apart).
 * 1-bit greyscale, QR_PNG_SCALE pixels a module, a 4-module quiet zone,
 * level M like qr_svg.c. libpng writes into memory: no file, no syscall
 * the http process's sandbox does not allow.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>
#include <sodium/utils.h>

#include "intake/intake.h"

static const char prefix[] = "data:image/png;base64,";

struct pngbuf {
	uint8_t *p;
	size_t len, cap;
	int err;
};

static void
pngbuf_write(png_structp png, png_bytep data, png_size_t n)
{
	struct pngbuf *b = png_get_io_ptr(png);

	if (b->err || n > QR_PNG_MAX - b->len) {
		b->err = 1;
		return;
	}
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n)
			cap *= 2;
		if (cap > QR_PNG_MAX)
			cap = QR_PNG_MAX;
		uint8_t *np = malloc(cap);
		if (np == NULL) {
			b->err = 1;
			return;
		}
		if (b->len)
			memcpy(np, b->p, b->len);
		if (b->p != NULL)
			cc_free_wipe(b->p, b->cap); /* the picture encodes the text */
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

/* libpng's and zlib's own buffers (rows, the deflate window) hold the
 * picture, which is the receipt: every one is wiped when freed. */
#define WIPE_HDR 16 /* keeps what follows aligned for any type */

static png_voidp
wipe_malloc(png_structp png, png_alloc_size_t n)
{
	(void)png;
	if (n > SIZE_MAX - WIPE_HDR)
		return NULL;
	uint8_t *b = malloc(WIPE_HDR + n);
	if (b == NULL)
		return NULL;
	memcpy(b, &n, sizeof(n));
	return b + WIPE_HDR;
}

static void
wipe_free(png_structp png, png_voidp p)
{
	(void)png;
	if (p == NULL)
		return;
	uint8_t *b = (uint8_t *)p - WIPE_HDR;
	png_alloc_size_t n;
	memcpy(&n, b, sizeof(n));
	sodium_memzero(b, WIPE_HDR + n);
	free(b);
}

static void
pngbuf_flush(png_structp png)
{
	(void)png;
}

/* Encodes the modules of q as a PNG into b. 0 / -1. */
static int
encode(const QRcode *q, struct pngbuf *b)
{
	png_structp png = NULL;
	png_infop info = NULL;
	png_bytep row = NULL;
	volatile int ret = -1;
	uint32_t side = ((uint32_t)q->width + 2 * QR_PNG_MARGIN) * QR_PNG_SCALE;
	size_t rowlen = (side + 7) / 8;

	if ((row = malloc(rowlen)) == NULL)
		return -1;
	png = png_create_write_struct_2(
	    PNG_LIBPNG_VER_STRING, NULL, NULL, NULL, NULL, wipe_malloc, wipe_free);
	if (png == NULL || (info = png_create_info_struct(png)) == NULL)
		goto out;
	if (setjmp(png_jmpbuf(png)))
		goto out;
	png_set_write_fn(png, b, pngbuf_write, pngbuf_flush);
	png_set_compression_mem_level(png, QR_PNG_ZMEM);
	png_set_IHDR(png, info, side, side, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (uint32_t y = 0; y < side; y++) {
		int my = (int)(y / QR_PNG_SCALE) - QR_PNG_MARGIN;
		memset(row, 0xFF, rowlen); /* white */
		for (uint32_t x = 0; my >= 0 && my < q->width && x < side; x++) {
			int mx = (int)(x / QR_PNG_SCALE) - QR_PNG_MARGIN;
			if (mx >= 0 && mx < q->width && (q->data[my * q->width + mx] & 1))
				row[x / 8] &= (uint8_t) ~(0x80u >> (x % 8));
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	ret = b->err ? -1 : 0;
out:
	png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
	sodium_memzero(row, rowlen);
	free(row);
	return ret;
}

int
qr_png_uri(const char *text, char **uri, size_t *len)
{
	QRcode *q = NULL;
	struct pngbuf b = {0};
	char *out = NULL;
	size_t cap = 0;
	int ret = -1;

	*uri = NULL;
	*len = 0;
	if (text == NULL || text[0] == '\0' || strlen(text) > QR_SVG_TEXT_MAX)
		return -1;
	if ((q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) == NULL)
		return -1;
	if (q->width > QR_PNG_MODULES_MAX || encode(q, &b) != 0)
		goto out;
	cap = sizeof(prefix) - 1 + sodium_base64_encoded_len(b.len, sodium_base64_VARIANT_ORIGINAL);
	if ((out = malloc(cap)) == NULL)
		goto out;
	memcpy(out, prefix, sizeof(prefix) - 1);
	sodium_bin2base64(out + sizeof(prefix) - 1, cap - (sizeof(prefix) - 1), b.p, b.len,
	    sodium_base64_VARIANT_ORIGINAL);
	*uri = out;
	*len = strlen(out);
	out = NULL;
	ret = 0;
out:
	sodium_memzero(q->data, (size_t)q->width * (size_t)q->width); /* the modules encode text */
	QRcode_free(q);
	if (b.p != NULL)
		cc_free_wipe(b.p, b.cap);
	if (out != NULL)
		cc_free_wipe(out, cap);
	return ret;
}
