/*
 * QR code of a short text as a self-contained SVG (libqrencode, level M).
 * Used by the receipt page (inline, no external resource) and by the
 * poster. The SVG is one <path> of unit squares with a 4-module quiet
 * zone, black on white, scalable; it holds no text but the QR itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>
#include <sodium/utils.h>

#include "intake/intake.h"

/* Worst case per dark module: "M%u %uh1v1h-1z" with 3-digit numbers. */
#define QR_SVG_PER_MODULE 24
#define QR_SVG_OVERHEAD 512

int
qr_svg(const char *text, char **svg, size_t *len)
{
	QRcode *q = NULL;
	char *out = NULL;
	size_t cap, n = 0;
	int w, r;

	*svg = NULL;
	*len = 0;
	if (text == NULL || text[0] == '\0' || strlen(text) > QR_SVG_TEXT_MAX)
		goto fail;
	q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (q == NULL)
		goto fail;
	w = q->width;
	cap = (size_t)w * (size_t)w * QR_SVG_PER_MODULE + QR_SVG_OVERHEAD;
	if ((out = malloc(cap)) == NULL)
		goto fail;
	r = snprintf(out, cap,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	    "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	    w + 8, w + 8, w + 8, w + 8);
	if (r < 0 || (size_t)r >= cap)
		goto fail;
	n = (size_t)r;
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w; x++) {
			if (!(q->data[y * w + x] & 1))
				continue;
			r = snprintf(out + n, cap - n, "M%d %dh1v1h-1z", x + 4, y + 4);
			if (r < 0 || (size_t)r >= cap - n)
				goto fail;
			n += (size_t)r;
		}
	}
	r = snprintf(out + n, cap - n, "\"/></svg>");
	if (r < 0 || (size_t)r >= cap - n)
		goto fail;
	n += (size_t)r;
	sodium_memzero(q->data, (size_t)w * (size_t)w); /* the modules encode text */
	QRcode_free(q);
	*svg = out;
	*len = n;
	return 0;
fail:
	if (q != NULL) {
		sodium_memzero(q->data, (size_t)q->width * (size_t)q->width);
		QRcode_free(q);
	}
	if (out != NULL)
		cc_free_wipe(out, cap);
	return -1;
}
