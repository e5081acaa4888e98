/* The desk's gate (review/desk_auth.c): the one-time token, the session
 * cookie, the form token, Host and Origin. Refusals outnumber passes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "review/desk.h"

#define PORT 43117

struct fx {
	struct desk_auth a;
	char tok[DESK_HEX_CHARS + 1], csrf[DESK_HEX_CHARS + 1], cookie[DESK_HEX_CHARS + 1];
};

static int
setup(void **state)
{
	static struct fx f;

	if (sodium_init() < 0 || desk_auth_init(&f.a, PORT) != 0)
		return -1;
	desk_auth_token_hex(&f.a, f.tok);
	desk_auth_csrf_hex(&f.a, f.csrf);
	f.cookie[0] = '\0';
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	desk_auth_free(&f->a);
	return 0;
}

static int
gate(struct fx *f, const char *method, const char *host, const char *origin, const char *site,
    const char *cookie, const char *token, const char *csrf)
{
	struct desk_req_hdrs h = {method, host, origin, site, cookie, token, csrf};
	char out[DESK_HEX_CHARS + 1];
	int v = desk_gate(&f->a, &h, out);

	if (v == DESK_ISSUE)
		memcpy(f->cookie, out, sizeof(out));
	else
		assert_string_equal(out, "");
	return v;
}

/* the right token once, from the right host: a cookie; never again */
static void
test_token_once(void **state)
{
	struct fx *f = *state;

	assert_int_equal(
	    gate(f, "GET", "127.0.0.1:43117", NULL, NULL, NULL, f->tok, NULL), DESK_ISSUE);
	assert_int_equal(strlen(f->cookie), DESK_HEX_CHARS);
	assert_int_equal(
	    gate(f, "GET", "127.0.0.1:43117", NULL, NULL, NULL, f->tok, NULL), DESK_BAD_TOKEN);
	/* the cookie is the session; the spent token is not a cookie */
	assert_int_equal(
	    gate(f, "GET", "127.0.0.1:43117", NULL, NULL, f->cookie, NULL, NULL), DESK_PASS);
	assert_int_equal(
	    gate(f, "GET", "127.0.0.1:43117", NULL, NULL, f->tok, NULL, NULL), DESK_NO_SESSION);
	assert_string_not_equal(f->cookie, f->tok);
}

static void
test_token_refused(void **state)
{
	struct fx *f = *state;
	char wrong[DESK_HEX_CHARS + 1];

	memcpy(wrong, f->tok, sizeof(wrong));
	wrong[DESK_HEX_CHARS - 1] = wrong[DESK_HEX_CHARS - 1] == '0' ? '1' : '0';
	assert_int_equal(
	    gate(f, "GET", "127.0.0.1:43117", NULL, NULL, NULL, wrong, NULL), DESK_BAD_TOKEN);
	assert_int_equal(
	    gate(f, "GET", "127.0.0.1:43117", NULL, NULL, NULL, "", NULL), DESK_BAD_TOKEN);
	wrong[10] = '\0';
	assert_int_equal(
	    gate(f, "GET", "127.0.0.1:43117", NULL, NULL, NULL, wrong, NULL), DESK_BAD_TOKEN);
	/* upper case hex, a prefix, trailing bytes: not the token */
	char up[DESK_HEX_CHARS + 2];
	memcpy(up, f->tok, DESK_HEX_CHARS + 1);
	for (char *p = up; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 32);
	if (strcmp(up, f->tok) != 0) /* sodium_hex2bin reads both cases */
		assert_int_equal(
		    gate(f, "GET", "127.0.0.1:43117", NULL, NULL, NULL, up, NULL), DESK_ISSUE);
	else
		assert_int_equal(
		    gate(f, "GET", "127.0.0.1:43117", NULL, NULL, NULL, f->tok, NULL), DESK_ISSUE);
}

/* a foreign Host or a cross-site request does not even spend the token */
static void
test_host_before_token(void **state)
{
	struct fx *f = *state;
	const char *hosts[] = {NULL, "", "evil.example:43117", "127.0.0.1", "127.0.0.1:43118",
	    "localhost", "127.0.0.1:43117.evil.example", "localhost.:43117", "127.0.0.2:43117",
	    "[::1]:43117", "127.0.0.1:043117", " 127.0.0.1:43117", "127.0.0.1:43117 ",
	    "evil.example"};

	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		assert_int_equal(
		    gate(f, "GET", hosts[i], NULL, NULL, NULL, f->tok, NULL), DESK_BAD_HOST);
	assert_int_equal(
	    gate(f, "GET", "127.0.0.1:43117", "http://evil.example", NULL, NULL, f->tok, NULL),
	    DESK_CROSS_SITE);
	assert_int_equal(gate(f, "GET", "127.0.0.1:43117", NULL, "cross-site", NULL, f->tok, NULL),
	    DESK_CROSS_SITE);
	assert_int_equal(
	    gate(f, "GET", "LOCALHOST:43117", NULL, "none", NULL, f->tok, NULL), DESK_ISSUE);
}

static void
test_origin(void **state)
{
	struct fx *f = *state;
	const char *bad[] = {"null", "", "http://evil.example", "http://127.0.0.1:43118",
	    "https://127.0.0.1:43117", "http://127.0.0.1", "http://127.0.0.1:43117/",
	    "http://127.0.0.1:43117.evil.example", "http://localhost.evil:43117", "file://",
	    "http://", "http://user@127.0.0.1:43117"};
	const char *sites[] = {"cross-site", "same-site", "", "Same-Origin", "none "};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(desk_origin_ok(&f->a, bad[i], NULL), 0);
	for (size_t i = 0; i < sizeof(sites) / sizeof(sites[0]); i++)
		assert_int_equal(desk_origin_ok(&f->a, NULL, sites[i]), 0);
	assert_int_equal(desk_origin_ok(&f->a, "http://evil.example", "same-origin"), 0);
	assert_int_equal(desk_origin_ok(&f->a, NULL, NULL), 1);
	assert_int_equal(desk_origin_ok(&f->a, "http://127.0.0.1:43117", "same-origin"), 1);
	assert_int_equal(desk_origin_ok(&f->a, "http://localhost:43117", NULL), 1);
	assert_int_equal(desk_origin_ok(&f->a, NULL, "none"), 1);
}

static void
test_session_and_csrf(void **state)
{
	struct fx *f = *state;
	char other[DESK_HEX_CHARS + 1];

	/* no session issued yet: even a well-formed cookie is refused */
	assert_int_equal(
	    gate(f, "GET", "127.0.0.1:43117", NULL, NULL, f->csrf, NULL, NULL), DESK_NO_SESSION);
	assert_int_equal(
	    gate(f, "GET", "127.0.0.1:43117", NULL, NULL, NULL, NULL, NULL), DESK_NO_SESSION);
	assert_int_equal(
	    gate(f, "GET", "127.0.0.1:43117", NULL, NULL, NULL, f->tok, NULL), DESK_ISSUE);
	memcpy(other, f->cookie, sizeof(other));
	other[0] = other[0] == 'a' ? 'b' : 'a';
	assert_int_equal(
	    gate(f, "GET", "127.0.0.1:43117", NULL, NULL, other, NULL, NULL), DESK_NO_SESSION);
	assert_int_equal(
	    gate(f, "GET", "127.0.0.1:43117", NULL, NULL, "", NULL, NULL), DESK_NO_SESSION);
	/* the session from a foreign host or site is still refused */
	assert_int_equal(
	    gate(f, "GET", "evil.example:43117", NULL, NULL, f->cookie, NULL, NULL), DESK_BAD_HOST);
	assert_int_equal(gate(f, "POST", "127.0.0.1:43117", "http://evil.example", NULL, f->cookie,
			     NULL, f->csrf),
	    DESK_CROSS_SITE);
	/* POST needs the form token; other methods are refused */
	assert_int_equal(
	    gate(f, "POST", "127.0.0.1:43117", NULL, NULL, f->cookie, NULL, NULL), DESK_BAD_CSRF);
	assert_int_equal(gate(f, "POST", "127.0.0.1:43117", NULL, NULL, f->cookie, NULL, f->cookie),
	    DESK_BAD_CSRF);
	assert_int_equal(
	    gate(f, "POST", "127.0.0.1:43117", NULL, NULL, f->cookie, NULL, ""), DESK_BAD_CSRF);
	assert_int_equal(
	    gate(f, "PUT", "127.0.0.1:43117", NULL, NULL, f->cookie, NULL, f->csrf), DESK_BAD_CSRF);
	assert_int_equal(gate(f, "POST", "127.0.0.1:43117", "http://127.0.0.1:43117", "same-origin",
			     f->cookie, NULL, f->csrf),
	    DESK_PASS);
	/* a token by POST is refused */
	assert_int_equal(gate(f, "POST", "127.0.0.1:43117", NULL, NULL, f->cookie, f->tok, f->csrf),
	    DESK_BAD_TOKEN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_token_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_token_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_host_before_token, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_origin, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_session_and_csrf, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
