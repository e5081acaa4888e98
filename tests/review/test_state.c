/* Case states, transitions, outcomes and due-date arithmetic. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "bundle/bundle.h"
#include "review/review.h"

/* Every (from, to) pair with and without an outcome against the rule:
 * forward only, closed final, closing needs an outcome. */
static void
test_transition_table(void **state)
{
	int legal = 0, illegal = 0;
	(void)state;
	for (int from = CB_RECEIVED; from <= CB_CLOSED; from++)
		for (int to = CB_RECEIVED; to <= CB_CLOSED; to++)
			for (int oc = 0; oc <= 1; oc++) {
				int want =
				    from != CB_CLOSED && to > from && (to != CB_CLOSED || oc);
				const char *why = cb_transition_check(from, to, oc);
				if (want) {
					assert_null(why);
					legal++;
				} else {
					assert_non_null(why);
					illegal++;
				}
			}
	assert_int_equal(legal, 9);
	assert_int_equal(illegal, 23);
}

static void
test_transition_messages(void **state)
{
	(void)state;
	assert_non_null(strstr(cb_transition_check(CB_INVESTIGATING, CB_CLOSED, 0), "outcome"));
	/* exact: "states only move forward (..., closed)" also says closed */
	static const char final[] = "the case is closed; a closed case cannot change state";
	assert_string_equal(cb_transition_check(CB_CLOSED, CB_INVESTIGATING, 1), final);
	assert_string_equal(cb_transition_check(CB_CLOSED, CB_RECEIVED, 1), final);
	assert_string_equal(cb_transition_check(CB_CLOSED, CB_CLOSED, 1), final);
	assert_non_null(
	    strstr(cb_transition_check(CB_ACKNOWLEDGED, CB_ACKNOWLEDGED, 0), "already"));
	assert_non_null(strstr(cb_transition_check(CB_INVESTIGATING, CB_RECEIVED, 0), "forward"));
	assert_non_null(cb_transition_check(0, CB_CLOSED, 1));
	assert_non_null(cb_transition_check(CB_RECEIVED, 5, 1));
	assert_non_null(cb_transition_check(-1, -1, 1));
}

static void
test_state_names(void **state)
{
	(void)state;
	for (int s = CB_RECEIVED; s <= CB_CLOSED; s++)
		assert_int_equal(cb_state_parse(cb_state_name(s)), s);
	assert_int_equal(cb_state_parse("Closed"), 0);
	assert_int_equal(cb_state_parse(""), 0);
	assert_int_equal(cb_state_parse("closed "), 0);
	assert_int_equal(cb_state_parse("open"), 0);
	assert_string_equal(cb_state_name(0), "?");
	assert_string_equal(cb_state_name(9), "?");
}

static void
test_outcome_names(void **state)
{
	(void)state;
	for (int o = BOUT_SUBSTANTIATED; o <= BOUT_NFA; o++)
		assert_int_equal(cb_outcome_parse(cb_outcome_name(o)), o);
	assert_int_equal(cb_outcome_parse("partly-substantiated"), BOUT_PARTLY);
	assert_int_equal(cb_outcome_parse("no-further-action"), BOUT_NFA);
	assert_int_equal(cb_outcome_parse(""), -1); /* "none" is not an outcome */
	assert_int_equal(cb_outcome_parse("Substantiated"), -1);
	assert_int_equal(cb_outcome_parse("partly"), -1);
	assert_string_equal(cb_outcome_name(BOUT_NONE), "");
	assert_string_equal(cb_outcome_name(42), "?");
}

static void
check_days(const char *d, int n, const char *want)
{
	char out[11];
	assert_int_equal(rv_date_add_days(d, n, out), 0);
	assert_string_equal(out, want);
}

static void
check_months(const char *d, int n, const char *want)
{
	char out[11];
	assert_int_equal(rv_date_add_months(d, n, out), 0);
	assert_string_equal(out, want);
}

static void
test_add_days(void **state)
{
	(void)state;
	check_days("2026-10-01", 7, "2026-10-08");
	check_days("2026-12-28", 7, "2027-01-04"); /* year end */
	check_days("2024-02-25", 7, "2024-03-03"); /* leap year */
	check_days("2023-02-25", 7, "2023-03-04");
	check_days("2000-02-28", 1, "2000-02-29"); /* 400-year leap */
	check_days("1900-02-28", 1, "1900-03-01"); /* 100-year non-leap */
	check_days("2026-03-01", -1, "2026-02-28");
	check_days("2026-01-01", 0, "2026-01-01");
	check_days("2026-01-01", 365, "2027-01-01");
}

static void
test_add_months(void **state)
{
	(void)state;
	check_months("2026-10-01", 3, "2027-01-01");
	check_months("2026-11-30", 3, "2027-02-28"); /* clamped */
	check_months("2027-11-30", 3, "2028-02-29"); /* leap */
	check_months("2026-08-31", 3, "2026-11-30");
	check_months("2026-01-31", 1, "2026-02-28");
	check_months("2026-12-15", 12, "2027-12-15");
}

static void
test_bad_dates(void **state)
{
	char out[11] = "unchanged";
	(void)state;
	assert_int_equal(rv_date_add_days("2026-02-30", 1, out), -1);
	assert_int_equal(rv_date_add_days("2026-13-01", 1, out), -1);
	assert_int_equal(rv_date_add_days("26-01-01", 1, out), -1);
	assert_int_equal(rv_date_add_days("", 1, out), -1);
	assert_int_equal(rv_date_add_days(NULL, 1, out), -1);
	assert_int_equal(rv_date_add_days("2026-01-01x", 1, out), -1);
	assert_int_equal(rv_date_add_months("2026-00-10", 3, out), -1);
	assert_int_equal(rv_date_add_months("not a date", 3, out), -1);
	assert_int_equal(rv_date_add_days("9999-12-31", 1, out), -1); /* past year 9999 */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_transition_table),
	    cmocka_unit_test(test_transition_messages),
	    cmocka_unit_test(test_state_names),
	    cmocka_unit_test(test_outcome_names),
	    cmocka_unit_test(test_add_days),
	    cmocka_unit_test(test_add_months),
	    cmocka_unit_test(test_bad_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
