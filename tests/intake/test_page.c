/* Tests for the page length buckets of intake/page.c (issue 9): a
 * response's length must not tell an observer the reporter's answers or
 * anything about the receipt. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/http.h"
#include "util/util.h"

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

/* The report form's reviewer choice (issue 12): one checkbox per reviewer
 * held, each with its role escaped, all ticked at first and as the
 * reporter sent them after an error; with one reviewer no choice at all. */
static int
count(const char *h, const char *needle)
{
	int n = 0;
	for (const char *p = h; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* Every other plain variable the template names, empty (the engine
 * refuses a missing one): names[] keeps them alive for v. */
static void
fill_missing(struct tvars *v, const char *t, size_t len, char names[][48], size_t max)
{
	static const struct tbuf empty = {0};
	size_t k = 0;
	for (const char *p = t; k < max && (p = strstr(p, "{{")) != NULL && p < t + len; p += 2) {
		const char *q = strstr(p, "}}");
		size_t l = q ? (size_t)(q - p - 2) : 0;
		if (l == 0 || l >= 48 || strchr("#^/!", p[2]) || (l > 2 && p[2] == 't' && p[3] == '.'))
			continue;
		int html = p[2] == '&';
		memcpy(names[k], p + 2 + html, l - html);
		names[k][l - html] = '\0';
		int have = 0;
		for (size_t i = 0; i < v->n; i++)
			have |= strcmp(v->v[i].name, names[k]) == 0;
		if (have)
			continue;
		if (html)
			tv_html(v, names[k], &empty);
		else
			tv_text(v, names[k], "");
		k++;
	}
}

static void
render_report(struct http_app *app, const struct form *f, struct tbuf *page)
{
	struct tvars v = {.n = 0};
	struct page_revs *pr = calloc(1, sizeof(*pr));
	static char names[TMPL_VARS_MAX][48];
	assert_non_null(pr);
	page_reviewers(app, &v, pr, f);
	fill_missing(&v, w.tmpl[WT_REPORT], w.tmpl_len[WT_REPORT], names, TMPL_VARS_MAX - v.n - 4);
	assert_int_equal(page_render(app, 200, WT_REPORT, &v, "report.title", page), 0);
	free(pr);
}

static void
test_reviewer_choice(void **s)
{
	static const char *const names[] = {"alice", "bob", "carol"};
	struct http_app app;
	struct cc_seckey *k[3];
	struct revset rs = {.n = 0};
	struct tbuf page = {0};
	(void)s;

	memset(&app, 0, sizeof(app));
	app.web = &w;
	assert_int_equal(pthread_mutex_init(&app.revs_mu, NULL), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(cc_keypair_generate(names[i], &k[i]), CC_OK);
		rs.k[i] = k[i]->pub;
	}
	assert_int_equal(cc_pubkey_set_role(&rs.k[1], "reviewer <b>&</b> \"lead\""), CC_OK);
	/* one reviewer: named, nothing to tick, no marker */
	rs.n = 1;
	http_revs_set(&app, &rs);
	render_report(&app, NULL, &page);
	assert_int_equal(count(page.p, "name=\"reviewer\""), 0);
	assert_int_equal(count(page.p, "name=\"choice\""), 0);
	assert_non_null(strstr(page.p, web_str(&w, "report.one_reader")));
	assert_non_null(strstr(page.p, "<strong>alice</strong>"));
	tbuf_free(&page);
	/* three: three boxes, all ticked, the marker, bob's role escaped */
	rs.n = 3;
	http_revs_set(&app, &rs);
	render_report(&app, NULL, &page);
	assert_int_equal(count(page.p, "type=\"checkbox\" id=\"reviewer-"), 3);
	assert_int_equal(count(page.p, " checked"), 3);
	assert_int_equal(count(page.p, "name=\"choice\" value=\"1\""), 1);
	assert_null(strstr(page.p, web_str(&w, "report.one_reader")));
	assert_non_null(strstr(page.p, "bob, reviewer &lt;b&gt;&amp;&lt;/b&gt;"));
	assert_null(strstr(page.p, "<b>&</b>"));
	tbuf_free(&page);
	/* after an error: only what the reporter ticked (carol) is ticked */
	struct form *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	cc_recipient_of(&rs.k[2], &f->chosen[0]);
	f->nchosen = 1;
	render_report(&app, f, &page);
	char kid[FORM_KEYID_HEX + 1], want[64];
	util_hex(rs.k[2].keyid, CC_KEYID_BYTES, kid);
	snprintf(want, sizeof(want), "value=\"%s\" checked", kid);
	assert_int_equal(count(page.p, " checked"), 1);
	assert_non_null(strstr(page.p, want));
	tbuf_free(&page);
	/* nobody ticked comes back with nobody ticked */
	f->nchosen = 0;
	render_report(&app, f, &page);
	assert_int_equal(count(page.p, " checked"), 0);
	tbuf_free(&page);
	free(f);
	for (int i = 0; i < 3; i++)
		cc_seckey_free(k[i]);
	pthread_mutex_destroy(&app.revs_mu);
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
/* serve --demo (make run): every page says at its top that it is a demo
 * and why nothing real may be sent; a real intake's pages never do. */
static void
test_demo_banner(void **s)
{
	struct http_app app;
	const char *banner = web_str(&w, "demo.banner");
	(void)s;

	assert_non_null(strstr(banner, "DEMONSTRATION"));
	for (int demo = 0; demo <= 1; demo++) {
		struct tbuf page = {0};
		memset(&app, 0, sizeof(app));
		app.web = &w;
		app.demo = demo;
		assert_int_equal(page_confirm_render(&app, "7ANY-5KV5-K9WW-MGG4-HTYT", 0, NULL, &page), 0);
		if (demo) {
			const char *at = strstr(page.p, "<p class=\"demo\"><strong>DEMONSTRATION ONLY");
			assert_non_null(at);
			/* at the top of the content: before the page's own heading */
			assert_true(at < strstr(page.p, "<h1"));
			assert_true(at > strstr(page.p, "<main"));
		} else {
			assert_null(strstr(page.p, "DEMONSTRATION"));
			assert_null(strstr(page.p, "class=\"demo\""));
		}
		tbuf_free(&page);
	}
}

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
	    cmocka_unit_test(test_demo_banner),
	    cmocka_unit_test(test_leave_url),
	    cmocka_unit_test(test_reviewer_choice),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
