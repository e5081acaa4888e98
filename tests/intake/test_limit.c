/* Tests for intake/limit.c: the global token buckets (submission budget,
 * wrong receipts) and the Argon2id concurrency gate. Time is injected. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "intake/http.h"

static void
test_bucket_drains_then_refuses(void **s)
{
	(void)s;
	struct bucket b;
	bucket_init(&b, 3, 3, 1000);
	for (int i = 0; i < 3; i++)
		assert_int_equal(bucket_take(&b, 1000), 1);
	assert_int_equal(bucket_take(&b, 1000), 0);
	assert_int_equal(bucket_peek(&b, 1000), 0);
	assert_int_equal(bucket_take(&b, 1001), 0);
}

static void
test_bucket_refills_with_time(void **s)
{
	(void)s;
	struct bucket b;
	bucket_init(&b, 2, 60, 0); /* one a second */
	assert_int_equal(bucket_take(&b, 0), 1);
	assert_int_equal(bucket_take(&b, 0), 1);
	assert_int_equal(bucket_take(&b, 999), 0);
	assert_int_equal(bucket_take(&b, 2000), 1);
	/* never above the cap, however long it waits */
	assert_int_equal(bucket_take(&b, 1000000), 1);
	assert_int_equal(bucket_take(&b, 1000000), 1);
	assert_int_equal(bucket_take(&b, 1000000), 0);
}

static void
test_bucket_clock_backwards(void **s)
{
	(void)s;
	struct bucket b;
	bucket_init(&b, 1, 60, 5000);
	assert_int_equal(bucket_take(&b, 5000), 1);
	assert_int_equal(bucket_take(&b, 1000), 0); /* earlier: no refill */
	assert_int_equal(bucket_take(&b, 5500), 0);
	assert_int_equal(bucket_take(&b, 6000), 1);
}

static void
test_peek_takes_nothing(void **s)
{
	(void)s;
	struct bucket b;
	bucket_init(&b, 1, 1, 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(bucket_peek(&b, 0), 1);
	assert_int_equal(bucket_take(&b, 0), 1);
	assert_int_equal(bucket_peek(&b, 0), 0);
}

static void
test_wrong_receipts_slow_everyone(void **s)
{
	/* The wrong-receipt bucket as serve sets it up: after the burst, the
	 * next attempt (from anyone) waits for the refill. */
	(void)s;
	struct bucket b;
	bucket_init(&b, HTTP_RCPT_BURST, HTTP_RCPT_PER_HOUR / 60.0, 0);
	for (int i = 0; i < HTTP_RCPT_BURST; i++)
		assert_int_equal(bucket_take(&b, 10), 1);
	assert_int_equal(bucket_peek(&b, 10), 0);
	assert_int_equal(bucket_peek(&b, 10 + 3600000 / HTTP_RCPT_PER_HOUR - 100), 0);
	assert_int_equal(bucket_peek(&b, 10 + 3600000 / HTTP_RCPT_PER_HOUR + 1), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bucket_drains_then_refuses),
	    cmocka_unit_test(test_bucket_refills_with_time),
	    cmocka_unit_test(test_bucket_clock_backwards),
	    cmocka_unit_test(test_peek_takes_nothing),
	    cmocka_unit_test(test_wrong_receipts_slow_everyone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
