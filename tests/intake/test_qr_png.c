/* Tests for intake/qr_png.c: the receipt's QR code as a PNG data: URI. The
 * PNG is decoded back with libpng and every module compared with what
 * libqrencode encodes, quiet zone included. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>
#include <sodium/utils.h>

#include "intake/intake.h"

static const char pre[] = "data:image/png;base64,";

/* Decodes the URI's PNG to 8-bit grey; returns the side in pixels. */
static uint32_t
decode(const char *uri, size_t len, uint8_t **px)
{
	size_t plen = strlen(pre);
	assert_true(len > plen && memcmp(uri, pre, plen) == 0);
	for (size_t i = plen; i < len; i++) /* nothing an attribute would need escaped */
		assert_non_null(strchr(
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", uri[i]));
	uint8_t *bin = malloc(len);
	size_t blen;
	assert_non_null(bin);
	assert_int_equal(sodium_base642bin(bin, len, uri + plen, len - plen, NULL, &blen, NULL,
			     sodium_base64_VARIANT_ORIGINAL),
	    0);
	png_image im;
	memset(&im, 0, sizeof(im));
	im.version = PNG_IMAGE_VERSION;
	assert_true(png_image_begin_read_from_memory(&im, bin, blen));
	assert_int_equal(im.width, im.height);
	im.format = PNG_FORMAT_GRAY;
	*px = malloc(PNG_IMAGE_SIZE(im));
	assert_non_null(*px);
	assert_true(png_image_finish_read(&im, NULL, *px, 0, NULL));
	free(bin);
	return im.width;
}

static void
test_modules_match(void **s)
{
	(void)s;
	const char *texts[] = {"ABCD-EFGH-JKMN-PQRS-TVWX", "1", "https://concerns.example.org/x"};
	for (size_t t = 0; t < 3; t++) {
		char *uri;
		size_t len;
		uint8_t *px;
		assert_int_equal(qr_png_uri(texts[t], &uri, &len), 0);
		assert_int_equal(strlen(uri), len);
		uint32_t side = decode(uri, len, &px);
		QRcode *q = QRcode_encodeString(texts[t], 0, QR_ECLEVEL_M, QR_MODE_8, 1);
		assert_non_null(q);
		int m = q->width + 2 * QR_PNG_MARGIN;
		assert_int_equal(side, (uint32_t)m * QR_PNG_SCALE);
		for (uint32_t y = 0; y < side; y++)
			for (uint32_t x = 0; x < side; x++) {
				int my = (int)(y / QR_PNG_SCALE) - QR_PNG_MARGIN;
				int mx = (int)(x / QR_PNG_SCALE) - QR_PNG_MARGIN;
				int dark = my >= 0 && mx >= 0 && my < q->width && mx < q->width &&
					   (q->data[my * q->width + mx] & 1);
				assert_int_equal(px[y * side + x], dark ? 0 : 255);
			}
		QRcode_free(q);
		free(px);
		/* deterministic */
		char *again;
		size_t l2;
		assert_int_equal(qr_png_uri(texts[t], &again, &l2), 0);
		assert_int_equal(l2, len);
		assert_memory_equal(again, uri, len);
		free(again);
		free(uri);
	}
}

static void
test_bad_input(void **s)
{
	(void)s;
	char *uri = (char *)1;
	size_t len = 7;
	assert_int_equal(qr_png_uri(NULL, &uri, &len), -1);
	assert_null(uri);
	assert_int_equal(len, 0);
	assert_int_equal(qr_png_uri("", &uri, &len), -1);
	assert_null(uri);
	char big[QR_SVG_TEXT_MAX + 2];
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(qr_png_uri(big, &uri, &len), -1);
	assert_null(uri);
	big[QR_SVG_TEXT_MAX] = '\0'; /* the longest allowed still fits a QR code */
	assert_int_equal(qr_png_uri(big, &uri, &len), 0);
	free(uri);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_modules_match),
	    cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
