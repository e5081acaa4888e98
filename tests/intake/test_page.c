/* Tests for the page length buckets of intake/page.c (issue 9): a
 * response's length must not tell an observer the reporter's answers or
 * anything about the receipt. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "intake/http.h"

static struct web w;

static int
setup(void **s)
{
	(void)s;
	const char *why;
	/* the numbers a reporter at risk is shown join the catalogue from the
	 * deployment's contacts file (here: none, as with --demo) */
	return cc_init() == 0 && web_load("web", "en", &w) == 0 &&
		       contacts_load(&w, "tests/no-such-contacts.txt", 1, &why) == 0
		   ? 0
		   : -1;
}

static int
teardown(void **s)
{
	(void)s;
	web_free(&w);
	return 0;
}

/* Both risk answers and 1,000 receipts: one length, and the page is
 * still the page (ends with the document, then the padding comment). */
static void
test_confirm_one_length(void **s)
{
	struct http_app app;
	size_t want = 0, raw_min = (size_t)-1, raw_max = 0;
	(void)s;

	memset(&app, 0, sizeof(app));
	app.web = &w;
	for (int i = 0; i < 1000; i++) {
		char canon[CC_RCPT_CHARS + 1], grouped[CC_RCPT_GROUPED + 1];
		struct tbuf page = {0};
		assert_int_equal(cc_rcpt_generate(canon), 0);
		cc_rcpt_group(canon, grouped);
		assert_int_equal(page_confirm_render(&app, grouped, i % 2, NULL, &page), 0);
		if (i == 0)
			want = page.len;
		assert_int_equal(page.len, want);
		assert_non_null(strstr(page.p, grouped));
		char *end = strstr(page.p, "</html>");
		assert_non_null(end);
		assert_memory_equal(page.p + page.len - 4, "-->\n", 4);
		/* what the page would be without padding differs: the test
		 * would see it if the padding went */
		size_t raw = (size_t)(end - page.p);
		raw_min = raw < raw_min ? raw : raw_min;
		raw_max = raw > raw_max ? raw : raw_max;
		tbuf_free(&page);
	}
	assert_true(raw_max - raw_min > 400); /* the risk box alone */
	assert_int_equal(want, PAGE_PAD_MIN);
}

static void
test_buckets(void **s)
{
	(void)s;
	assert_int_equal(page_padded_len(0), PAGE_PAD_MIN);
	assert_int_equal(page_padded_len(PAGE_PAD_MIN), PAGE_PAD_MIN);
	assert_int_equal(page_padded_len(PAGE_PAD_MIN + 1), 2 * PAGE_PAD_MIN);
	assert_int_equal(page_padded_len(PAGE_PAD_POW2_MAX), PAGE_PAD_POW2_MAX);
	for (size_t len = 1; len < ((size_t)3 << 20); len += 997) {
		size_t b = page_padded_len(len);
		assert_true(b >= len);
		assert_true(b % PAGE_PAD_UNIT == 0);
		/* Padme: at most ~12% more, past the power-of-two range */
		if (len > PAGE_PAD_POW2_MAX)
			assert_true(b - len <= len / 8 + PAGE_PAD_UNIT);
		assert_true(page_padded_len(len + 997) >= b); /* monotone */
	}
}

/* {1} and {2} in a catalogue text (issue 12): in any order, a NULL left
 * out, a long name cut on a character boundary, never past the buffer. */
static void
test_fmt(void **s)
{
	char out[64];
	(void)s;
	page_fmt(out, sizeof(out), "The file “{1}” is over {2}.", "a.mp4", "2 MB");
	assert_string_equal(out, "The file “a.mp4” is over 2 MB.");
	page_fmt(out, sizeof(out), "{2} yw'r terfyn ar gyfer “{1}”", "a.mp4", "2 MB");
	assert_string_equal(out, "2 MB yw'r terfyn ar gyfer “a.mp4”");
	page_fmt(out, sizeof(out), "at most {2}; {1}{3}", NULL, "9");
	assert_string_equal(out, "at most 9; {3}");
	/* 10 bytes: "ab" then a 3-byte character that does not fit whole */
	char small[6];
	page_fmt(small, sizeof(small), "ab{1}", "c€", NULL);
	assert_string_equal(small, "abc");
	page_fmt(small, sizeof(small), "{1}", "€€", NULL);
	assert_string_equal(small, "€");
	page_fmt(small, 1, "{1}", "x", NULL);
	assert_string_equal(small, "");
}

/* serve --leave-url: a plain https:// address off this site, or nothing. */
static void
test_leave_url(void **s)
{
	char longer[HTTP_LEAVE_URL_MAX + 2];
	(void)s;
	assert_true(serve_leave_url_ok(HTTP_LEAVE_URL_DEFAULT));
	assert_true(serve_leave_url_ok("https://example.org/weather?x=1&y=2"));
	const char *bad[] = {"", "https://", "http://example.org/", "/leave", "//example.org/",
	    "javascript:alert(1)", "data:text/html,x", "https:///x", "https://.x", "https://:443/",
	    "https://a.example/\"x", "https://a.example/'x", "https://a.example/<x>",
	    "https://a.example/ x", "https://a.example/\r\nSet-Cookie: a=1", "https://a.example/\x7f",
	    "https://a.example/é", "HTTPS://a.example/"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (serve_leave_url_ok(bad[i]))
			fail_msg("--leave-url '%s' was taken", bad[i]);
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	memcpy(longer, "https://", 8);
	assert_false(serve_leave_url_ok(longer)); /* HTTP_LEAVE_URL_MAX + 1 */
	longer[HTTP_LEAVE_URL_MAX] = '\0';
	assert_true(serve_leave_url_ok(longer));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_confirm_one_length),
	    cmocka_unit_test(test_buckets),
	    cmocka_unit_test(test_fmt),
	    cmocka_unit_test(test_leave_url),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
