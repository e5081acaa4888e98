/* util/text.c: strict UTF-8, dates, hex. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/util.h"

#define V(s, ml) util_text_valid((s), sizeof(s) - 1, (ml))

static void
accepts_text(void **state)
{
	(void)state;
	assert_true(V("plain ascii", 0));
	assert_true(V("Gwasanaethau plant \xe2\x80\x94 \xc5\xb5 \xc5\xb7", 0)); /* em dash, w/y circumflex */
	assert_true(V("two\nlines\tand tab", 1));
	assert_true(V("\xf0\x9f\x98\x80", 0)); /* U+1F600 */
	assert_true(V("", 0));
}

static void
rejects_bad_text(void **state)
{
	(void)state;
	assert_false(V("two\nlines", 0));     /* newline when single line */
	assert_false(V("tab\there", 0));
	assert_false(V("nul\0byte", 1));
	assert_false(V("esc\x1b[31m", 1));    /* terminal escape */
	assert_false(V("del\x7f", 1));
	assert_false(V("cr\r\n", 1));
	assert_false(V("\xc0\xaf", 1));       /* overlong '/' */
	assert_false(V("\xe0\x80\xaf", 1));   /* overlong 3-byte */
	assert_false(V("\xed\xa0\x80", 1));   /* surrogate */
	assert_false(V("\xf4\x90\x80\x80", 1)); /* > U+10FFFF */
	assert_false(V("\xf5\x80\x80\x80", 1));
	assert_false(V("\x80", 1));           /* lone continuation */
	assert_false(V("\xe2\x82", 1));       /* truncated */
	assert_false(V("\xc2\x85", 1));       /* C1 NEL */
	assert_false(V("\xe2\x80\xae", 1));   /* RIGHT-TO-LEFT OVERRIDE */
}

static void
dates(void **state)
{
	char today[11];
	(void)state;
	assert_true(util_date_valid("2024-02-29"));
	assert_true(util_date_valid("2026-12-31"));
	assert_false(util_date_valid("2023-02-29"));
	assert_false(util_date_valid("1900-02-29"));
	assert_false(util_date_valid("2026-13-01"));
	assert_false(util_date_valid("2026-00-10"));
	assert_false(util_date_valid("2026-04-31"));
	assert_false(util_date_valid("2026-4-3"));
	assert_false(util_date_valid("2026/04/03"));
	assert_false(util_date_valid("2026-04-03x"));
	assert_false(util_date_valid(""));
	assert_int_equal(util_today(today), 0);
	assert_true(util_date_valid(today));
}

static void
hex(void **state)
{
	uint8_t in[3] = { 0x00, 0xab, 0xff }, out[3];
	char h[7];
	(void)state;
	util_hex(in, 3, h);
	assert_string_equal(h, "00abff");
	assert_int_equal(util_unhex("00ABff", out, 3), 0);
	assert_memory_equal(in, out, 3);
	assert_int_equal(util_unhex("00abf", out, 3), -1);
	assert_int_equal(util_unhex("00abfg", out, 3), -1);
	assert_int_equal(util_unhex("00abff00", out, 3), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_text),
		cmocka_unit_test(rejects_bad_text),
		cmocka_unit_test(dates),
		cmocka_unit_test(hex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
