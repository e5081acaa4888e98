/* Tests for intake/limit.c: the global token buckets (submission and byte
 * budgets, wrong receipts) and the work per receipt. Time is injected. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

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

static void
test_take_n(void **s)
{
	(void)s;
	struct bucket b;
	bucket_init(&b, 1000, 1000, 0); /* bytes a minute */
	assert_int_equal(bucket_take_n(&b, 600, 0), 1);
	assert_int_equal(bucket_take_n(&b, 600, 0), 0); /* 400 left: refused whole */
	assert_int_equal(bucket_take_n(&b, 400, 0), 1);
	assert_int_equal(bucket_take_n(&b, 1, 0), 0);
	assert_int_equal(bucket_take_n(&b, 500, 30000), 1); /* half a minute refills 500 */
	assert_int_equal(bucket_take_n(&b, 2000, 10000000), 0); /* more than the cap, ever */
}

/* One receipt gets its burst, then waits for the refill; another receipt
 * is not affected; the names are per process (keyed). */
static void
test_receipt_work_bounded(void **s)
{
	(void)s;
	struct rcptlim *t;
	const char *a = "ABCDEFGHJKMNPQRSTV00", *b = "ABCDEFGHJKMNPQRSTV01";
	assert_int_equal(rcptlim_new(&t, 3, 2), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(rcptlim_take(t, a, 20, 1000), 1);
	assert_int_equal(rcptlim_take(t, a, 20, 1000), 0);
	assert_int_equal(rcptlim_take(t, b, 20, 1000), 1);
	assert_int_equal(rcptlim_take(t, a, 20, 1000 + 29000), 0);
	assert_int_equal(rcptlim_take(t, a, 20, 1000 + 30000), 1); /* 2 a minute */
	assert_int_equal(rcptlim_take(t, a, 20, 1000 + 30000), 0);
	/* a wait that would refill 4.5 attempts gives the burst (3), no more */
	uint64_t later = 1000 + 30000 + 135000;
	for (int i = 0; i < 3; i++)
		assert_int_equal(rcptlim_take(t, a, 20, later), 1);
	assert_int_equal(rcptlim_take(t, a, 20, later), 0);
	rcptlim_free(t);
}

/* Many receipts: the table keeps the most recent, the least recently used
 * entry makes room (so a receipt never gets stuck outside the table). */
static void
test_receipt_table_full(void **s)
{
	(void)s;
	struct rcptlim *t;
	char r[21];
	assert_int_equal(rcptlim_new(&t, 1, 0.001), 0);
	assert_int_equal(rcptlim_take(t, "HOTRECEIPT0000000000", 20, 1), 1);
	for (int i = 0; i < HTTP_RCPT_TABLE + 10; i++) {
		snprintf(r, sizeof(r), "R%019d", i);
		assert_int_equal(rcptlim_take(t, r, 20, 2 + (uint64_t)i), 1);
	}
	/* the hot receipt was least recently used: forgotten, it starts anew */
	assert_int_equal(rcptlim_take(t, "HOTRECEIPT0000000000", 20, 5000), 1);
	/* the most recent ones are still remembered (burst spent) */
	snprintf(r, sizeof(r), "R%019d", HTTP_RCPT_TABLE + 9);
	assert_int_equal(rcptlim_take(t, r, 20, 5000), 0);
	rcptlim_free(t);
}

int
main(void)
{
	if (cc_init() != CC_OK)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bucket_drains_then_refuses),
	    cmocka_unit_test(test_bucket_refills_with_time),
	    cmocka_unit_test(test_bucket_clock_backwards),
	    cmocka_unit_test(test_peek_takes_nothing),
	    cmocka_unit_test(test_wrong_receipts_slow_everyone),
	    cmocka_unit_test(test_take_n),
	    cmocka_unit_test(test_receipt_work_bounded),
	    cmocka_unit_test(test_receipt_table_full),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
