/* Tests for intake/clean_pool.c (issue 14): a file's cleaner given back
 * is wiped whole before anyone gets it again, at most the pool's max are
 * kept, and a new one (sodium_malloc's fill, not zeros) is made past
 * them. The pool itself (other sizes, the cap, fork): tests/crypto/test_pool.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <sodium/core.h>
#include <sodium/utils.h>

#include "intake/clean.h"
#include "intake/http.h"

static int
all_zero(const struct clean *c)
{
	const unsigned char *p = (const unsigned char *)c;
	unsigned char acc = 0;
	for (size_t i = 0; i < sizeof(*c); i++)
		acc |= p[i];
	return acc == 0;
}

/* A cleaner that held a file comes back wiped, every byte (the held
 * input and output at the end of the struct included). */
static void
test_wiped_when_kept(void **s)
{
	(void)s;
	struct clean *c = cpool_get();
	assert_non_null(c);
	memset(c, 0xa5, sizeof(*c));
	cpool_put(c);
	struct clean *d = cpool_get();
	assert_ptr_equal(d, c); /* the kept one */
	assert_true(all_zero(d));
	cpool_put(d);
}

/* CPOOL_MAX + 2 given back: CPOOL_MAX kept (wiped), the rest freed; the
 * CPOOL_MAX + 1th taken is a new one, not a wiped old one. */
static void
test_bounded(void **s)
{
	struct clean *c[CPOOL_MAX + 2];
	size_t zero = 0;
	(void)s;

	for (size_t i = 0; i < CPOOL_MAX + 2; i++) {
		assert_non_null(c[i] = cpool_get());
		memset(c[i], 0x3c, sizeof(*c[i]));
	}
	for (size_t i = 0; i < CPOOL_MAX + 2; i++)
		cpool_put(c[i]);
	for (size_t i = 0; i < CPOOL_MAX + 1; i++) {
		assert_non_null(c[i] = cpool_get());
		zero += all_zero(c[i]);
	}
	assert_int_equal(zero, CPOOL_MAX);
	assert_false(all_zero(c[CPOOL_MAX])); /* sodium_malloc fills a new one */
	for (size_t i = 0; i < CPOOL_MAX + 1; i++)
		cpool_put(c[i]);
	cpool_put(NULL); /* ignored */
}

/* A kept cleaner is a whole, working one: a file through it comes out as
 * sent (not an image), and it is wiped again when given back. */
static uint8_t got[64];
static size_t ngot;
static int
sink(void *ctx, const uint8_t *buf, size_t len)
{
	(void)ctx;
	if (len > sizeof(got) - ngot)
		return -1;
	memcpy(got + ngot, buf, len);
	ngot += len;
	return 0;
}

static void
test_reused_works(void **s)
{
	static const char text[] = "not an image, just the reporter's notes";
	(void)s;
	for (int round = 0; round < 2; round++) {
		struct clean *c = cpool_get();
		assert_non_null(c);
		ngot = 0;
		clean_init(c, sink, NULL);
		assert_int_equal(clean_write(c, (const uint8_t *)text, sizeof(text) - 1), 0);
		assert_int_equal(clean_finish(c), 0);
		assert_int_equal(ngot, sizeof(text) - 1);
		assert_memory_equal(got, text, ngot);
		cpool_put(c);
	}
	struct clean *c = cpool_get();
	assert_true(all_zero(c));
	assert_null(memmem(c, sizeof(*c), "reporter's notes", 16));
	cpool_put(c);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wiped_when_kept),
	    cmocka_unit_test(test_bounded),
	    cmocka_unit_test(test_reused_works),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
