/* Tests for intake/page_cache.c (issue 14): a page kept rendered is byte
 * for byte the page a fresh render gives, with the token made for each
 * request in it and no earlier one; it is dropped when the reviewers
 * change; views, tokens and sizes that do not fit are never served. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <sodium/randombytes.h>
#include <sodium/utils.h>

#include "intake/http.h"
#include "util/util.h"

#define NOW ((uint64_t)HTTP_CSRF_WINDOW * 1000 + 17)

static struct web w;
static struct http_app app;
static struct cc_seckey *keys[3];
static uint8_t *ckey;

static void
set_reviewers(size_t n)
{
	struct revset rs = {.n = n};
	for (size_t i = 0; i < n; i++)
		rs.k[i] = keys[i]->pub;
	http_revs_set(&app, &rs);
}

static int
setup(void **s)
{
	static const char *const names[] = {"alice", "bob", "carol"};
	const char *why;
	(void)s;
	if (cc_init() != 0 || web_load("web", "en", &w) != 0 ||
	    contacts_load(&w, "tests/no-such-contacts.txt", 1, &why) != 0)
		return -1;
	memset(&app, 0, sizeof(app));
	app.web = &w;
	app.max_upload = (uint64_t)64 << 20;
	if (pthread_mutex_init(&app.revs_mu, NULL) != 0 || pcache_new(&app.pages) != 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (cc_keypair_generate(names[i], &keys[i]) != CC_OK)
			return -1;
	if ((ckey = sodium_malloc(CSRF_KEY_BYTES)) == NULL)
		return -1;
	randombytes_buf(ckey, CSRF_KEY_BYTES);
	app.csrf_key = ckey;
	set_reviewers(2);
	return 0;
}

static int
teardown(void **s)
{
	(void)s;
	pcache_free(app.pages);
	for (int i = 0; i < 3; i++)
		cc_seckey_free(keys[i]);
	sodium_free(ckey);
	pthread_mutex_destroy(&app.revs_mu);
	web_free(&w);
	return 0;
}

static int
count(const char *h, size_t len, const char *needle)
{
	int n = 0;
	size_t l = strlen(needle);
	for (const char *p = h; (p = memmem(p, len - (size_t)(p - h), needle, l)) != NULL; p += l)
		n++;
	return n;
}

/* The token a served page carries (the hidden field's value). */
static void
page_token(const struct tbuf *pg, char out[CSRF_TOKEN_LEN + 1])
{
	static const char field[] = "name=\"csrf\" value=\"";
	const char *p = memmem(pg->p, pg->len, field, sizeof(field) - 1);
	assert_non_null(p);
	memcpy(out, p + sizeof(field) - 1, CSRF_TOKEN_LEN);
	out[CSRF_TOKEN_LEN] = '\0';
}

/* Served from the cache at later times: each copy is exactly the fresh
 * render with that time's token, the token checks at that time, and the
 * token it was kept with is gone. */
static void
test_form_same_bytes_fresh_token(void **s)
{
	char t0[CSRF_TOKEN_LEN + 1], t[CSRF_TOKEN_LEN + 1], got[CSRF_TOKEN_LEN + 1];
	struct tbuf first = {0};
	uint64_t gen = http_revs_gen(&app);
	(void)s;

	csrf_make(ckey, NOW, t0);
	assert_int_equal(page_report_empty_render(&app, t0, &first), 0);
	assert_int_equal(count(first.p, first.len, t0), 1);
	assert_int_equal(pcache_put(app.pages, PC_REPORT, 0, gen, &first, t0), 0);
	for (int k = 0; k < 4; k++) {
		uint64_t at = NOW + (uint64_t)k * 2 * HTTP_CSRF_WINDOW + (uint64_t)k;
		struct tbuf fresh = {0}, kept = {0};
		csrf_make(ckey, at, t);
		assert_int_equal(page_report_empty_render(&app, t, &fresh), 0);
		assert_int_equal(pcache_get(app.pages, PC_REPORT, 0, gen, t, &kept), 1);
		assert_int_equal(kept.len, fresh.len);
		assert_memory_equal(kept.p, fresh.p, fresh.len);
		assert_int_equal(kept.len, page_padded_len(kept.len)); /* still padded */
		page_token(&kept, got);
		assert_string_equal(got, t);
		assert_int_equal(csrf_check(ckey, at, got, strlen(got)), 1);
		if (k > 0) { /* another window: the kept token is nowhere */
			assert_int_equal(count(kept.p, kept.len, t0), 0);
			assert_int_equal(csrf_check(ckey, at, t0, strlen(t0)), 0);
		}
		tbuf_free(&fresh);
		tbuf_free(&kept);
	}
	tbuf_free(&first);
}

/* The home page: kept and served as rendered. */
static void
test_home_same_bytes(void **s)
{
	struct tbuf fresh = {0}, kept = {0};
	uint64_t gen = http_revs_gen(&app);
	(void)s;

	assert_int_equal(page_home_render(&app, NULL, &fresh), 0);
	assert_int_equal(pcache_put(app.pages, PC_HOME, 1, gen, &fresh, NULL), 0);
	assert_int_equal(pcache_get(app.pages, PC_HOME, 1, gen, NULL, &kept), 1);
	assert_int_equal(kept.len, fresh.len);
	assert_memory_equal(kept.p, fresh.p, fresh.len);
	tbuf_free(&fresh);
	tbuf_free(&kept);
}

/* A reload of the reviewers: the kept form (two names) is not served, a
 * render shows the third, and that one is kept under the new set. */
static void
test_reload_renders_again(void **s)
{
	char t[CSRF_TOKEN_LEN + 1];
	struct tbuf pg = {0}, out = {0};
	uint64_t gen = http_revs_gen(&app);
	(void)s;

	csrf_make(ckey, NOW, t);
	assert_int_equal(page_report_empty_render(&app, t, &pg), 0);
	assert_int_equal(count(pg.p, pg.len, "carol"), 0);
	assert_int_equal(pcache_put(app.pages, PC_REPORT, 2, gen, &pg, t), 0);
	tbuf_free(&pg);
	set_reviewers(3);
	uint64_t now = http_revs_gen(&app);
	assert_true(now != gen);
	assert_int_equal(pcache_get(app.pages, PC_REPORT, 2, now, t, &out), 0);
	assert_int_equal(out.len, 0);
	assert_int_equal(page_report_empty_render(&app, t, &pg), 0);
	assert_true(count(pg.p, pg.len, "carol") > 0);
	assert_int_equal(pcache_put(app.pages, PC_REPORT, 2, now, &pg, t), 0);
	assert_int_equal(pcache_get(app.pages, PC_REPORT, 2, now, t, &out), 1);
	assert_true(count(out.p, out.len, "carol") > 0);
	/* and the old set's generation no longer finds anything */
	tbuf_free(&out);
	assert_int_equal(pcache_get(app.pages, PC_REPORT, 2, gen, t, &out), 0);
	tbuf_free(&out);
	tbuf_free(&pg);
	set_reviewers(2);
}

/* Each view and page has its own entry; out of range is never served. */
static void
test_views_apart(void **s)
{
	struct tbuf pg = {0}, out = {0};
	uint64_t gen = http_revs_gen(&app);
	(void)s;

	assert_int_equal(page_home_render(&app, NULL, &pg), 0);
	assert_int_equal(pcache_put(app.pages, PC_HOME, 3, gen, &pg, NULL), 0);
	assert_int_equal(pcache_get(app.pages, PC_HOME, 4, gen, NULL, &out), 0);
	assert_int_equal(pcache_get(app.pages, PC_REPORT, 3, gen, NULL, &out), 0);
	assert_int_equal(pcache_get(app.pages, PC_HOME, -1, gen, NULL, &out), 0);
	assert_int_equal(pcache_get(app.pages, PC_HOME, PCACHE_VIEWS, gen, NULL, &out), 0);
	assert_int_equal(pcache_get(app.pages, PC_PAGES, 3, gen, NULL, &out), 0);
	assert_int_equal(pcache_put(app.pages, PC_HOME, PCACHE_VIEWS, gen, &pg, NULL), -1);
	assert_int_equal(pcache_put(app.pages, -1, 0, gen, &pg, NULL), -1);
	assert_int_equal(pcache_get(NULL, PC_HOME, 3, gen, NULL, &out), 0);
	assert_int_equal(pcache_put(NULL, PC_HOME, 3, gen, &pg, NULL), -1);
	assert_int_equal(out.len, 0);
	tbuf_free(&pg);
}

/* A page kept with token places is never served without a token (a hole
 * or an old token), one without places never takes one; a page that
 * does not hold its token, holds it too often, failed or is too large is
 * not kept. */
static void
test_tokens_and_sizes(void **s)
{
	char t[CSRF_TOKEN_LEN + 1], u[CSRF_TOKEN_LEN + 1];
	struct tbuf form = {0}, home = {0}, out = {0}, many = {0}, big = {0};
	uint64_t gen = http_revs_gen(&app);
	(void)s;

	csrf_make(ckey, NOW, t);
	csrf_make(ckey, NOW + 3 * HTTP_CSRF_WINDOW, u);
	assert_int_equal(page_report_empty_render(&app, t, &form), 0);
	assert_int_equal(page_home_render(&app, NULL, &home), 0);
	assert_int_equal(pcache_put(app.pages, PC_REPORT, 5, gen, &form, t), 0);
	assert_int_equal(pcache_get(app.pages, PC_REPORT, 5, gen, NULL, &out), 0);
	assert_int_equal(pcache_put(app.pages, PC_HOME, 5, gen, &home, NULL), 0);
	assert_int_equal(pcache_get(app.pages, PC_HOME, 5, gen, u, &out), 0);
	assert_int_equal(out.len, 0);
	/* the form kept under a token it does not hold: not kept (view 6 empty) */
	assert_int_equal(pcache_put(app.pages, PC_REPORT, 6, gen, &form, u), -1);
	assert_int_equal(pcache_get(app.pages, PC_REPORT, 6, gen, u, &out), 0);
	/* the home page taken as a form: not kept */
	assert_int_equal(pcache_put(app.pages, PC_REPORT, 6, gen, &home, t), -1);
	for (int i = 0; i <= PCACHE_TOKENS; i++)
		tbuf_put(&many, t, CSRF_TOKEN_LEN);
	assert_int_equal(pcache_put(app.pages, PC_REPORT, 6, gen, &many, t), -1);
	big.err = 1;
	assert_int_equal(pcache_put(app.pages, PC_HOME, 6, gen, &big, NULL), -1);
	big.err = 0;
	char *fill = calloc(1, PCACHE_PAGE_MAX + 1);
	assert_non_null(fill);
	tbuf_put(&big, fill, PCACHE_PAGE_MAX + 1);
	assert_int_equal(pcache_put(app.pages, PC_HOME, 6, gen, &big, NULL), -1);
	assert_int_equal(pcache_get(app.pages, PC_HOME, 6, gen, NULL, &out), 0);
	assert_int_equal(out.len, 0);
	free(fill);
	tbuf_free(&big);
	tbuf_free(&many);
	tbuf_free(&form);
	tbuf_free(&home);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_form_same_bytes_fresh_token),
	    cmocka_unit_test(test_home_same_bytes),
	    cmocka_unit_test(test_reload_renders_again),
	    cmocka_unit_test(test_views_apart),
	    cmocka_unit_test(test_tokens_and_sizes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
