/* Working days (review/ref_days.c) and timescale flags
 * (review/ref_flags.c) on a hand-built register around weekends and
 * England and Wales bank holidays. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "review/ref.h"

static struct ref_config cfg;
static const char *assessed; /* the register's assessment date, or NULL */

static int32_t
D(const char *s)
{
	int32_t d;

	if (s == NULL)
		return -1;
	if (ref_date_parse(s, strlen(s), &d) != 0)
		fail_msg("bad test date %s", s);
	return d;
}

static int
setup(void **st)
{
	(void)st;
	ref_config_default(&cfg);
	return 0;
}

/* A register row: dates as strings (NULL for none). */
static unsigned
flags(const char *received, const char *decision, const char *decision_date, const char *strategy,
    const char *s47, const char *icpc, const char *status, const char *closed, const char *reason,
    const char *today)
{
	struct ref_facts f = {
	    .decision = decision,
	    .status = status,
	    .closure_reason = reason,
	    .received = D(received),
	    .decision_date = D(decision_date),
	    .strategy = D(strategy),
	    .s47 = D(s47),
	    .icpc = D(icpc),
	    .closed = D(closed),
	    .assessment = D(assessed),
	};

	return ref_flags_eval(&cfg, &f, D(today));
}

static void
test_working_days(void **st)
{
	(void)st;
	char out[11];

	/* Thu before Easter 2024 + 1 working day: Good Friday, the weekend
	 * and Easter Monday are skipped. */
	ref_date_format(ref_days_after(&cfg.days, D("2024-03-28"), 1), out);
	assert_string_equal(out, "2024-04-02");
	/* Friday + 1 = Monday. */
	ref_date_format(ref_days_after(&cfg.days, D("2024-03-08"), 1), out);
	assert_string_equal(out, "2024-03-11");
	/* Saturday + 1 = Monday. */
	ref_date_format(ref_days_after(&cfg.days, D("2024-03-09"), 1), out);
	assert_string_equal(out, "2024-03-11");
	/* 15 working days across Christmas and New Year. */
	ref_date_format(ref_days_after(&cfg.days, D("2024-12-16"), 15), out);
	assert_string_equal(out, "2025-01-09");
	assert_false(ref_days_is_working(&cfg.days, D("2022-09-19"))); /* state funeral */
	assert_false(ref_days_is_working(&cfg.days, D("2024-03-30")));
	assert_true(ref_days_is_working(&cfg.days, D("2024-04-02")));
	assert_int_equal(ref_days_after(&cfg.days, D("2024-04-02"), 0), D("2024-04-02"));
}

static void
test_decision_late(void **st)
{
	(void)st;
	const char *T = "2025-06-01";

	assert_int_equal(
	    flags("2024-03-08", "s17", "2024-03-11", NULL, NULL, NULL, "open", NULL, NULL, T) &
		REF_FLAG_DECISION_LATE,
	    0);
	assert_int_equal(
	    flags("2024-03-08", "s17", "2024-03-12", NULL, NULL, NULL, "open", NULL, NULL, T) &
		REF_FLAG_DECISION_LATE,
	    REF_FLAG_DECISION_LATE);
	/* Over Easter: Tuesday is still in time, Wednesday is late. */
	assert_int_equal(
	    flags("2024-03-28", "s17", "2024-04-02", NULL, NULL, NULL, "open", NULL, NULL, T) &
		REF_FLAG_DECISION_LATE,
	    0);
	assert_int_equal(
	    flags("2024-03-28", "s17", "2024-04-03", NULL, NULL, NULL, "open", NULL, NULL, T) &
		REF_FLAG_DECISION_LATE,
	    REF_FLAG_DECISION_LATE);
	/* No decision recorded: late once the deadline has passed. */
	assert_int_equal(
	    flags("2024-03-28", NULL, NULL, NULL, NULL, NULL, "open", NULL, NULL, "2024-04-02") &
		REF_FLAG_DECISION_LATE,
	    0);
	assert_int_equal(
	    flags("2024-03-28", NULL, NULL, NULL, NULL, NULL, "open", NULL, NULL, "2024-04-03") &
		REF_FLAG_DECISION_LATE,
	    REF_FLAG_DECISION_LATE);
	/* No received date: nothing to measure from. */
	assert_int_equal(flags(NULL, "s17", "2024-04-03", NULL, NULL, NULL, "open", NULL, NULL, T) &
			     REF_FLAG_DECISION_LATE,
	    0);
}

static void
test_decision_late_without_holidays(void **st)
{
	(void)st;
	const char *c = "holidays none\n";
	char why[100];

	assert_int_equal(ref_config_parse(&cfg, c, strlen(c), why, sizeof(why)), 0);
	/* Good Friday is now a working day: Tuesday is late. */
	assert_int_equal(flags("2024-03-28", "s17", "2024-04-02", NULL, NULL, NULL, "open", NULL,
			     NULL, "2025-01-01") &
			     REF_FLAG_DECISION_LATE,
	    REF_FLAG_DECISION_LATE);
	ref_config_default(&cfg);
}

static void
test_strategy_late(void **st)
{
	(void)st;
	const char *T = "2025-01-01";

	/* Decision Fri 3 May 2024; Mon 6 May is a bank holiday: due Thu 9. */
	assert_int_equal(flags("2024-05-02", "strategy discussion", "2024-05-03", "2024-05-09",
			     "2024-05-09", NULL, "open", NULL, NULL, T) &
			     REF_FLAG_STRATEGY_LATE,
	    0);
	assert_int_equal(flags("2024-05-02", "strategy discussion", "2024-05-03", "2024-05-10",
			     "2024-05-10", NULL, "open", NULL, NULL, T) &
			     REF_FLAG_STRATEGY_LATE,
	    REF_FLAG_STRATEGY_LATE);
	/* Not held: flagged once due has passed, not before. */
	assert_int_equal(flags("2024-05-02", "S47", "2024-05-03", NULL, NULL, NULL, "open", NULL,
			     NULL, "2024-05-09") &
			     REF_FLAG_STRATEGY_LATE,
	    0);
	assert_int_equal(flags("2024-05-02", "S47", "2024-05-03", NULL, NULL, NULL, "open", NULL,
			     NULL, "2024-05-10") &
			     REF_FLAG_STRATEGY_LATE,
	    REF_FLAG_STRATEGY_LATE);
	/* A decision that needs no strategy discussion is not flagged. */
	assert_int_equal(
	    flags("2024-05-02", "NFA", "2024-05-03", NULL, NULL, NULL, "open", NULL, NULL, T) &
		REF_FLAG_STRATEGY_LATE,
	    0);
}

static void
test_s47_not_started(void **st)
{
	(void)st;
	const char *T = "2025-01-01";

	assert_int_equal(flags("2024-05-02", "Section 47", "2024-05-03", "2024-05-07", NULL, NULL,
			     "open", NULL, NULL, T) &
			     REF_FLAG_S47_MISSING,
	    REF_FLAG_S47_MISSING);
	assert_int_equal(flags("2024-05-02", "Section 47", "2024-05-03", "2024-05-07", "2024-05-07",
			     NULL, "open", NULL, NULL, T) &
			     REF_FLAG_S47_MISSING,
	    0);
	/* A conference was held, so an enquiry must have been: flagged. */
	assert_int_equal(flags("2024-05-02", "s17", "2024-05-03", "2024-05-07", NULL, "2024-05-20",
			     "open", NULL, NULL, T) &
			     REF_FLAG_S47_MISSING,
	    REF_FLAG_S47_MISSING);
	assert_int_equal(flags("2024-05-02", "Early help", "2024-05-03", NULL, NULL, NULL, "open",
			     NULL, NULL, T) &
			     REF_FLAG_S47_MISSING,
	    0);
}

static void
test_icpc_late(void **st)
{
	(void)st;
	const char *T = "2025-06-01";

	assert_int_equal(flags("2024-12-12", "s47", "2024-12-13", "2024-12-16", "2024-12-16",
			     "2025-01-09", "open", NULL, NULL, T) &
			     REF_FLAG_ICPC_LATE,
	    0);
	assert_int_equal(flags("2024-12-12", "s47", "2024-12-13", "2024-12-16", "2024-12-16",
			     "2025-01-10", "open", NULL, NULL, T) &
			     REF_FLAG_ICPC_LATE,
	    REF_FLAG_ICPC_LATE);
	/* No conference (yet): nothing to measure. */
	assert_int_equal(flags("2024-12-12", "s47", "2024-12-13", "2024-12-16", "2024-12-16", NULL,
			     "open", NULL, NULL, T) &
			     REF_FLAG_ICPC_LATE,
	    0);
}

static void
test_nfa_quick(void **st)
{
	(void)st;
	const char *T = "2025-01-01";

	assert_int_equal(flags("2024-06-03", "NFA", "2024-06-04", NULL, NULL, NULL, "Closed",
			     "2024-06-13", NULL, T) &
			     REF_FLAG_NFA_QUICK,
	    REF_FLAG_NFA_QUICK);
	assert_int_equal(flags("2024-06-03", "s17", "2024-06-04", NULL, NULL, NULL, "Closed",
			     "2024-06-05", "No further action - advice", T) &
			     REF_FLAG_NFA_QUICK,
	    REF_FLAG_NFA_QUICK);
	assert_int_equal(flags("2024-06-03", "NFA", "2024-06-04", NULL, NULL, NULL, "Closed",
			     "2024-06-14", NULL, T) &
			     REF_FLAG_NFA_QUICK,
	    0);
	assert_int_equal(flags("2024-06-03", "s17", "2024-06-04", NULL, NULL, NULL, "Closed",
			     "2024-06-05", "assessment completed", T) &
			     REF_FLAG_NFA_QUICK,
	    0);
	/* NFA but still open: not closed, not flagged. */
	assert_int_equal(
	    flags("2024-06-03", "NFA", "2024-06-04", NULL, NULL, NULL, "open", NULL, NULL, T) &
		REF_FLAG_NFA_QUICK,
	    0);
}

static void
test_closed_no_decision(void **st)
{
	(void)st;
	const char *T = "2025-01-01";

	assert_int_equal(
	    flags("2024-06-03", "", NULL, NULL, NULL, NULL, "", "2024-06-20", NULL, T) &
		REF_FLAG_CLOSED_NO_DECISION,
	    REF_FLAG_CLOSED_NO_DECISION);
	assert_int_equal(
	    flags("2024-06-03", NULL, NULL, NULL, NULL, NULL, "CLOSED", NULL, NULL, T) &
		REF_FLAG_CLOSED_NO_DECISION,
	    REF_FLAG_CLOSED_NO_DECISION);
	assert_int_equal(
	    flags("2024-06-03", "s17", NULL, NULL, NULL, NULL, "Closed", "2024-06-20", NULL, T) &
		REF_FLAG_CLOSED_NO_DECISION,
	    0);
	assert_int_equal(flags("2024-06-03", NULL, NULL, NULL, NULL, NULL, "open", NULL, NULL, T) &
			     REF_FLAG_CLOSED_NO_DECISION,
	    0);
}

static void
test_clean_referral_has_no_flags(void **st)
{
	(void)st;
	assert_int_equal(
	    flags("2024-05-02", "strategy discussion", "2024-05-03", "2024-05-07", "2024-05-07",
		"2024-05-20", "Closed", "2024-09-01", "plan ended", "2025-01-01"),
	    0);
}

/* Assessment within 45 working days of the referral (issue 11). Received
 * Thu 2024-03-28: Good Friday, Easter Monday and both May bank holidays
 * skipped, day 45 is 2024-06-05. */
static void
test_assessment_late(void **st)
{
	(void)st;
	char out[11];
	ref_date_format(ref_days_after(&cfg.days, D("2024-03-28"), 45), out);
	assert_string_equal(out, "2024-06-05");
	static const struct {
		const char *assessed, *decision, *status, *closed, *today;
		int late;
	} cases[] = {
	    {"2024-06-05", "s17 assessment", "open", NULL, "2025-01-01", 0}, /* on the day */
	    {"2024-06-06", "s17 assessment", "open", NULL, "2025-01-01", 1}, /* a day late */
	    {"2024-06-06", "NFA", "Closed", "2024-06-07", "2025-01-01", 1},  /* late, then closed */
	    {"2024-04-10", "child protection", "open", NULL, "2025-01-01", 0},
	    /* no date: only a child protection referral still open past the day */
	    {NULL, "child protection", "open", NULL, "2024-06-06", 1},
	    {NULL, "child protection", "open", NULL, "2024-06-05", 0},
	    {NULL, "child protection", "Closed", "2024-05-01", "2025-01-01", 0},
	    {NULL, "s17 assessment", "open", NULL, "2025-01-01", 0}, /* not every referral */
	    {NULL, "NFA", "open", NULL, "2025-01-01", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assessed = cases[i].assessed;
		unsigned fl = flags("2024-03-28", cases[i].decision, "2024-03-28", NULL, NULL, NULL,
		    cases[i].status, cases[i].closed, NULL, cases[i].today);
		if (!!(fl & REF_FLAG_ASSESSMENT_LATE) != cases[i].late)
			fail_msg("case %zu: assessment-late %s", i, cases[i].late ? "missing" : "raised");
	}
	/* configurable */
	const char *c = "assessment_days 60\n";
	char why[100];
	assert_int_equal(ref_config_parse(&cfg, c, strlen(c), why, sizeof(why)), 0);
	assessed = "2024-06-06";
	assert_int_equal(flags("2024-03-28", "s17", "2024-03-28", NULL, NULL, NULL, "open", NULL,
			     NULL, "2025-01-01") &
			     REF_FLAG_ASSESSMENT_LATE,
	    0);
	assessed = NULL;
	ref_config_default(&cfg);
}

static void
test_thresholds_configurable(void **st)
{
	(void)st;
	const char *c = "decision_days 3\nnfa_days 2\n";
	char why[100];

	assert_int_equal(ref_config_parse(&cfg, c, strlen(c), why, sizeof(why)), 0);
	assert_int_equal(flags("2024-03-08", "s17", "2024-03-13", NULL, NULL, NULL, "open", NULL,
			     NULL, "2025-01-01") &
			     REF_FLAG_DECISION_LATE,
	    0);
	assert_int_equal(flags("2024-06-03", "NFA", "2024-06-04", NULL, NULL, NULL, "Closed",
			     "2024-06-06", NULL, "2025-01-01") &
			     REF_FLAG_NFA_QUICK,
	    0);
	ref_config_default(&cfg);
}

static void
test_flag_names(void **st)
{
	(void)st;
	for (int i = 0; i < REF_FLAG_COUNT; i++)
		assert_int_equal(ref_flag_parse(ref_flag_name(i)), 1 << i);
	assert_int_equal(ref_flag_parse("late"), 0);
	assert_int_equal(ref_flag_parse(""), 0);
	assert_string_equal(ref_flag_name(REF_FLAG_COUNT), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_working_days),
	    cmocka_unit_test(test_decision_late),
	    cmocka_unit_test(test_decision_late_without_holidays),
	    cmocka_unit_test(test_strategy_late),
	    cmocka_unit_test(test_s47_not_started),
	    cmocka_unit_test(test_icpc_late),
	    cmocka_unit_test(test_nfa_quick),
	    cmocka_unit_test(test_closed_no_decision),
	    cmocka_unit_test(test_clean_referral_has_no_flags),
	    cmocka_unit_test(test_assessment_late),
	    cmocka_unit_test(test_thresholds_configurable),
	    cmocka_unit_test(test_flag_names),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
