/* Tests for intake/csrf.c: anti-forgery tokens without per-person state. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "intake/http.h"

static uint8_t key[CSRF_KEY_BYTES], other[CSRF_KEY_BYTES];
#define NOW ((uint64_t)HTTP_CSRF_WINDOW * 1000 + 17)

static void
test_fresh_token_valid(void **s)
{
	(void)s;
	char t[CSRF_TOKEN_LEN + 1];
	csrf_make(key, NOW, t);
	assert_int_equal(strlen(t), CSRF_TOKEN_LEN);
	assert_int_equal(csrf_check(key, NOW, t, strlen(t)), 1);
	/* still good in the next window (a slow reporter) */
	assert_int_equal(csrf_check(key, NOW + HTTP_CSRF_WINDOW, t, strlen(t)), 1);
}

static void
test_expired(void **s)
{
	(void)s;
	char t[CSRF_TOKEN_LEN + 1];
	csrf_make(key, NOW, t);
	assert_int_equal(csrf_check(key, NOW + 2 * HTTP_CSRF_WINDOW, t, strlen(t)), 0);
	assert_int_equal(csrf_check(key, NOW + 100 * HTTP_CSRF_WINDOW, t, strlen(t)), 0);
}

static void
test_future_window(void **s)
{
	(void)s;
	char t[CSRF_TOKEN_LEN + 1];
	csrf_make(key, NOW + HTTP_CSRF_WINDOW, t);
	assert_int_equal(csrf_check(key, NOW, t, strlen(t)), 0);
}

static void
test_other_window_same_mac(void **s)
{
	/* A valid MAC moved to another window's number is refused. */
	(void)s;
	char a[CSRF_TOKEN_LEN + 1], b[CSRF_TOKEN_LEN + 1];
	csrf_make(key, NOW - HTTP_CSRF_WINDOW, a);
	csrf_make(key, NOW, b);
	memcpy(a + 17, b + 17, 32); /* old window, current window's MAC */
	assert_int_equal(csrf_check(key, NOW, a, strlen(a)), 0);
}

static void
test_forged_mac(void **s)
{
	(void)s;
	char t[CSRF_TOKEN_LEN + 1];
	csrf_make(key, NOW, t);
	for (size_t i = 0; i < CSRF_TOKEN_LEN; i++) {
		char c[CSRF_TOKEN_LEN + 1];
		memcpy(c, t, sizeof(c));
		c[i] = c[i] == '0' ? '1' : '0';
		if (i == 16)
			c[i] = '-';
		assert_int_equal(csrf_check(key, NOW, c, strlen(c)), 0);
	}
}

static void
test_other_key(void **s)
{
	(void)s;
	char t[CSRF_TOKEN_LEN + 1];
	csrf_make(other, NOW, t);
	assert_int_equal(csrf_check(key, NOW, t, strlen(t)), 0);
}

static void
test_malformed(void **s)
{
	(void)s;
	char t[CSRF_TOKEN_LEN + 1], longer[CSRF_TOKEN_LEN + 2];
	csrf_make(key, NOW, t);
	assert_int_equal(csrf_check(key, NOW, NULL, 0), 0);
	assert_int_equal(csrf_check(key, NOW, "", 0), 0);
	assert_int_equal(csrf_check(key, NOW, t, CSRF_TOKEN_LEN - 1), 0);
	memcpy(longer, t, CSRF_TOKEN_LEN);
	longer[CSRF_TOKEN_LEN] = '0';
	longer[CSRF_TOKEN_LEN + 1] = '\0';
	assert_int_equal(csrf_check(key, NOW, longer, strlen(longer)), 0);
	char z[CSRF_TOKEN_LEN + 1];
	memset(z, 'z', CSRF_TOKEN_LEN);
	z[16] = '.';
	z[CSRF_TOKEN_LEN] = '\0';
	assert_int_equal(csrf_check(key, NOW, z, strlen(z)), 0);
	char zero[CSRF_TOKEN_LEN + 1];
	memset(zero, '0', CSRF_TOKEN_LEN);
	zero[16] = '.';
	zero[CSRF_TOKEN_LEN] = '\0';
	assert_int_equal(csrf_check(key, 0, zero, strlen(zero)), 0);
}

static void
test_window_zero(void **s)
{
	/* At the very start of the clock there is no previous window. */
	(void)s;
	char t[CSRF_TOKEN_LEN + 1];
	csrf_make(key, 5, t);
	assert_int_equal(csrf_check(key, 5, t, strlen(t)), 1);
	assert_int_equal(csrf_check(key, 5 + 2 * HTTP_CSRF_WINDOW, t, strlen(t)), 0);
}

int
main(void)
{
	memset(key, 0x11, sizeof(key));
	memset(other, 0x22, sizeof(other));
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fresh_token_valid),
	    cmocka_unit_test(test_expired),
	    cmocka_unit_test(test_future_window),
	    cmocka_unit_test(test_other_window_same_mac),
	    cmocka_unit_test(test_forged_mac),
	    cmocka_unit_test(test_other_key),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_window_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
