/* Tests for tmpl/tmpl.c and intake/web.c: the one HTML-escaping path and the template
 * language; every malformed template or missing variable fails closed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/http.h"

static struct catalogue cat;

static int
render(const char *t, const struct tvars *v, struct tbuf *out)
{
	memset(out, 0, sizeof(*out));
	return tmpl_render(t, strlen(t), &cat, v, out);
}

static void
expect_fail(const char *t, const struct tvars *v)
{
	struct tbuf b;
	assert_int_equal(render(t, v, &b), -1);
	tbuf_free(&b);
}

static void
test_escape_all_specials(void **s)
{
	(void)s;
	struct tbuf b = {0};
	const char in[] = "<a href=\"x\" onclick='y'>&amp;</a>\0z";
	tbuf_esc(&b, in, sizeof(in) - 1);
	assert_string_equal(
	    b.p, "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;&#xFFFD;z");
	tbuf_free(&b);
}

/* An empty piece with no pointer appends nothing and leaves a string
 * (UBSan, as make check runs it, stops on memcpy(dst, NULL, 0)). */
static void
test_put_empty_null(void **s)
{
	(void)s;
	struct tbuf b = {0};
	tbuf_put(&b, NULL, 0);
	assert_int_equal(b.err, 0);
	assert_non_null(b.p);
	assert_string_equal(b.p, "");
	tbuf_puts(&b, "a");
	tbuf_put(&b, NULL, 0);
	assert_string_equal(b.p, "a");
	assert_int_equal(b.len, 1);
	tbuf_free(&b);
}

static void
test_variable_escaped(void **s)
{
	(void)s;
	struct tvars v = {.n = 0};
	struct tbuf b;
	tv_text(&v, "name", "<script>alert(1)</script>");
	assert_int_equal(render("<p>{{name}}</p>", &v, &b), 0);
	assert_string_equal(b.p, "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	tbuf_free(&b);
}

static void
test_catalogue_escaped(void **s)
{
	(void)s;
	struct tbuf b;
	assert_int_equal(render("{{t.greet}}", NULL, &b), 0);
	assert_string_equal(b.p, "Hello &lt;b&gt; &amp; bye");
	tbuf_free(&b);
}

static void
test_sections(void **s)
{
	(void)s;
	struct tvars items[3] = {{.n = 0}}, v = {.n = 0};
	struct tbuf b;
	const char *names[] = {"a", "<b>", "c"};
	for (int i = 0; i < 3; i++)
		tv_text(&items[i], "x", names[i]);
	tv_list(&v, "list", items, 3);
	tv_text(&v, "yes", "1");
	tv_text(&v, "no", "0");
	tv_text(&v, "outer", "O");
	assert_int_equal(render("{{#list}}[{{x}}{{outer}}]{{/list}}{{#yes}}Y{{/yes}}{{#no}}N{{/no}}"
				"{{^no}}n{{/no}}{{^list}}empty{{/list}}{{#absent}}A{{/"
				"absent}}{{^absent}}-{{/absent}}",
			     &v, &b),
	    0);
	assert_string_equal(b.p, "[aO][&lt;b&gt;O][cO]Yn-");
	tbuf_free(&b);
}

static void
test_html_variable_raw(void **s)
{
	(void)s;
	struct tbuf h = {0}, b;
	struct tvars v = {.n = 0};
	tbuf_puts(&h, "<svg/>");
	tv_html(&v, "qr", &h);
	assert_int_equal(render("{{&qr}}", &v, &b), 0);
	assert_string_equal(b.p, "<svg/>");
	tbuf_free(&b);
	tbuf_free(&h);
}

/* ---- negative ---- */

static void
test_text_never_raw(void **s)
{
	(void)s;
	struct tvars v = {.n = 0};
	tv_text(&v, "t", "<b>");
	expect_fail("{{&t}}", &v);
}

static void
test_html_not_as_text(void **s)
{
	(void)s;
	struct tbuf h = {0};
	struct tvars v = {.n = 0};
	tbuf_puts(&h, "<i>");
	tv_html(&v, "h", &h);
	expect_fail("{{h}}", &v);
	tbuf_free(&h);
}

static void
test_unknown_variable(void **s)
{
	(void)s;
	expect_fail("a {{missing}} b", NULL);
}

static void
test_unknown_catalogue_key(void **s)
{
	(void)s;
	expect_fail("{{t.nope}}", NULL);
	expect_fail("{{t.}}", NULL);
}

static void
test_unclosed_tag(void **s)
{
	(void)s;
	struct tvars v = {.n = 0};
	tv_text(&v, "a", "x");
	expect_fail("{{a", &v);
	expect_fail("{{a}", &v);
	expect_fail("{{}}", &v);
}

static void
test_unclosed_section(void **s)
{
	(void)s;
	struct tvars v = {.n = 0};
	tv_text(&v, "a", "1");
	expect_fail("{{#a}}never closed", &v);
	expect_fail("{{#a}}x{{/b}}", &v);
	expect_fail("{{#}}x{{/}}", &v);
}

static void
test_stray_close(void **s)
{
	(void)s;
	expect_fail("x{{/a}}", NULL);
}

static void
test_list_item_missing_var(void **s)
{
	(void)s;
	struct tvars items[1] = {{.n = 0}}, v = {.n = 0};
	tv_list(&v, "l", items, 1);
	expect_fail("{{#l}}{{x}}{{/l}}", &v);
}

static void
test_too_many_vars(void **s)
{
	(void)s;
	struct tvars *v = calloc(1, sizeof(*v));
	for (int i = 0; i < TMPL_VARS_MAX + 1; i++)
		tv_text(v, "x", "y");
	assert_int_equal(v->err, 1);
	expect_fail("{{x}}", v);
	free(v);
}

static void
test_errored_html_refused(void **s)
{
	(void)s;
	struct tbuf h = {.err = 1};
	struct tvars v = {.n = 0};
	tv_html(&v, "h", &h);
	assert_int_equal(v.err, 1);
	expect_fail("{{&h}}", &v);
}

static void
test_depth_limit(void **s)
{
	(void)s;
	struct tvars v = {.n = 0};
	struct tbuf t = {0};
	tv_text(&v, "a", "1");
	for (int i = 0; i < TMPL_DEPTH_MAX + 2; i++)
		tbuf_puts(&t, "{{#a}}");
	tbuf_puts(&t, "x");
	for (int i = 0; i < TMPL_DEPTH_MAX + 2; i++)
		tbuf_puts(&t, "{{/a}}");
	expect_fail(t.p, &v);
	tbuf_free(&t);
}

static void
test_page_ceiling(void **s)
{
	(void)s;
	struct tbuf b = {0};
	char *big = malloc(1 << 20);
	memset(big, 'a', 1 << 20);
	for (size_t i = 0; i < HTTP_PAGE_MAX / (1 << 20) + 1; i++)
		tbuf_put(&b, big, 1 << 20);
	assert_int_equal(b.err, 1);
	assert_true(b.len <= HTTP_PAGE_MAX);
	tbuf_free(&b);
	free(big);
}

/* ---- catalogue ---- */

static void
test_catalogue_bad(void **s)
{
	(void)s;
	struct catalogue c;
	const char *bad[] = {"novalue\n", "a = 1\na = 2\n", "Bad Key = x\n", "k = \x01\n",
	    "k = \xC3\x28\n", " = empty key\n"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(catalogue_parse(bad[i], strlen(bad[i]), &c), -1);
	const char *good = "# comment\n\nk.a = one = two \nk-b=\n";
	assert_int_equal(catalogue_parse(good, strlen(good), &c), 0);
	assert_string_equal(catalogue_get(&c, "k.a"), "one = two");
	assert_string_equal(catalogue_get(&c, "k-b"), "");
	assert_null(catalogue_get(&c, "k"));
	catalogue_free(&c);
}

/* The hash index: a full catalogue (every slot chain) finds each key and
 * no other; one key more, or one key twice far apart, is refused; added
 * keys are found, a key there already is not added; freed, none is. */
static void
test_catalogue_index(void **s)
{
	(void)s;
	static struct catalogue c;
	char key[32];
	size_t len = 0, half = 0, cap = (size_t)WEB_CATALOGUE_MAX * 32;
	char *text = malloc(cap);
	assert_non_null(text);
	for (size_t i = 0; i < WEB_CATALOGUE_MAX; i++) {
		len += (size_t)snprintf(text + len, cap - len, "k.%zu = v%zu\n", i, i);
		if (i == 999)
			half = len;
	}
	assert_int_equal(catalogue_parse(text, len, &c), 0);
	assert_int_equal(c.n, WEB_CATALOGUE_MAX);
	for (size_t i = 0; i < WEB_CATALOGUE_MAX; i++) {
		char want[32];
		snprintf(key, sizeof(key), "k.%zu", i);
		snprintf(want, sizeof(want), "v%zu", i);
		assert_string_equal(catalogue_get(&c, key), want);
	}
	assert_null(catalogue_get(&c, "k.2048"));
	assert_int_equal(catalogue_add(&c, "k.2048", "x"), -1); /* full */
	catalogue_free(&c);
	assert_null(catalogue_get(&c, "k.0"));
	char *more = malloc(cap + 32);
	assert_non_null(more);
	memcpy(more, text, len);
	int extra = snprintf(more + len, 32, "k.%d = x\n", WEB_CATALOGUE_MAX);
	assert_int_equal(catalogue_parse(more, len + (size_t)extra, &c), -1);
	memcpy(more + half, "k.3 = again\n", 12); /* k.3 twice, 997 keys apart */
	assert_int_equal(catalogue_parse(more, half, &c), 0);
	catalogue_free(&c);
	assert_int_equal(catalogue_parse(more, half + 12, &c), -1);
	assert_int_equal(catalogue_parse("a = 1\n", 6, &c), 0);
	assert_int_equal(catalogue_add(&c, "a", "2"), -1);
	assert_int_equal(catalogue_add(&c, "b", "2"), 0);
	assert_string_equal(catalogue_get(&c, "a"), "1");
	assert_string_equal(catalogue_get(&c, "b"), "2");
	assert_int_equal(c.n, 2);
	catalogue_free(&c);
	free(more);
	free(text);
}

static void
test_web_templates_render(void **s)
{
	/* Every shipped template renders with the shipped catalogue once its
	 * variables exist: no missing catalogue key. */
	(void)s;
	struct web w;
	assert_int_equal(web_load("web", "en", &w), 0);
	assert_true(w.ncategories >= 6);
	for (size_t i = 0; i < w.ncategories; i++) {
		char k[96];
		snprintf(k, sizeof(k), "cat.%s", w.categories[i]);
		assert_non_null(catalogue_get(&w.cat, k));
	}
	for (int st = 400; st <= 503; st++) {
		char k[32];
		snprintf(k, sizeof(k), "err.%d.title", st);
		if (st == 400 || st == 403 || st == 404 || st == 405 || st == 413 || st == 415 ||
		    st == 500 || st == 503)
			assert_non_null(catalogue_get(&w.cat, k));
	}
	web_free(&w);
	/* both languages: the error page renders from each catalogue */
	struct web all[WEB_LANGS];
	assert_int_equal(web_load_all("web", all), 0);
	for (int l = 0; l < WEB_LANGS; l++) {
		struct tvars v = {.n = 0};
		struct tbuf b = {0};
		tv_text(&v, "heading", "h");
		tv_text(&v, "message", "m");
		tv_text(&v, "base", l ? "/cy" : "");
		assert_int_equal(tmpl_render(all[l].tmpl[WT_ERROR], all[l].tmpl_len[WT_ERROR],
				     &all[l].cat, &v, &b), 0);
		assert_string_equal(catalogue_get(&all[l].cat, "lang"), web_langs[l]);
		tbuf_free(&b);
		web_free(&all[l]);
	}
	assert_int_equal(web_lang_index("cy"), 1);
	assert_int_equal(web_lang_index("fr"), -1);
	assert_int_equal(web_load_all("no-such-dir", all), -1);
	assert_int_equal(web_load("no-such-dir", "en", &w), -1);
	assert_int_equal(web_load("web", "../x", &w), -1);
	assert_int_equal(web_load("web", "zz", &w), -1);
}

int
main(void)
{
	const char *c = "greet = Hello <b> & bye\n";
	if (catalogue_parse(c, strlen(c), &cat) != 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape_all_specials),
	    cmocka_unit_test(test_put_empty_null),
	    cmocka_unit_test(test_variable_escaped),
	    cmocka_unit_test(test_catalogue_escaped),
	    cmocka_unit_test(test_sections),
	    cmocka_unit_test(test_html_variable_raw),
	    cmocka_unit_test(test_text_never_raw),
	    cmocka_unit_test(test_html_not_as_text),
	    cmocka_unit_test(test_unknown_variable),
	    cmocka_unit_test(test_unknown_catalogue_key),
	    cmocka_unit_test(test_unclosed_tag),
	    cmocka_unit_test(test_unclosed_section),
	    cmocka_unit_test(test_stray_close),
	    cmocka_unit_test(test_list_item_missing_var),
	    cmocka_unit_test(test_too_many_vars),
	    cmocka_unit_test(test_errored_html_refused),
	    cmocka_unit_test(test_depth_limit),
	    cmocka_unit_test(test_page_ceiling),
	    cmocka_unit_test(test_catalogue_bad),
	    cmocka_unit_test(test_catalogue_index),
	    cmocka_unit_test(test_web_templates_render),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	catalogue_free(&cat);
	return r;
}
