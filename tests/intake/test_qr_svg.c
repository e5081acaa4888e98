/* Tests for intake/qr_svg.c: the inline SVG QR code. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "intake/intake.h"

static void
test_receipt_qr(void **s)
{
	(void)s;
	char *svg;
	size_t len;
	assert_int_equal(qr_svg("ABCD-EFGH-JKMN-PQRS-TVWX", &svg, &len), 0);
	assert_int_equal(strlen(svg), len);
	assert_true(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	assert_non_null(strstr(svg, "<path fill=\"#000\" d=\"M"));
	assert_true(strcmp(svg + len - 9, "\"/></svg>") == 0);
	/* only the QR itself: no text, links or scripts */
	assert_null(strstr(svg, "ABCD"));
	assert_null(strstr(svg, "href"));
	assert_null(strstr(svg, "<script"));
	/* deterministic */
	char *again;
	size_t l2;
	assert_int_equal(qr_svg("ABCD-EFGH-JKMN-PQRS-TVWX", &again, &l2), 0);
	assert_int_equal(l2, len);
	assert_memory_equal(again, svg, len);
	free(again);
	free(svg);
}

static void
test_bad_input(void **s)
{
	(void)s;
	char *svg = (char *)1, big[QR_SVG_TEXT_MAX + 2];
	size_t len = 9;
	assert_int_equal(qr_svg(NULL, &svg, &len), -1);
	assert_null(svg);
	assert_int_equal(len, 0);
	assert_int_equal(qr_svg("", &svg, &len), -1);
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(qr_svg(big, &svg, &len), -1);
	assert_null(svg);
}

static void
test_longest_text(void **s)
{
	(void)s;
	char t[QR_SVG_TEXT_MAX + 1], *svg;
	size_t len;
	memset(t, 'h', QR_SVG_TEXT_MAX);
	t[QR_SVG_TEXT_MAX] = '\0';
	assert_int_equal(qr_svg(t, &svg, &len), 0);
	assert_true(len > 1000);
	free(svg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_receipt_qr),
	    cmocka_unit_test(test_bad_input),
	    cmocka_unit_test(test_longest_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
