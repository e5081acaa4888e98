/*
 * Case states, outcomes, legal transitions and due-date arithmetic.
 *
 * States move forward only: received -> acknowledged -> investigating ->
 * closed (a step may be skipped: acknowledging is implied by investigating).
 * Closing needs an outcome; a closed case is final.
 */
#include <stdio.h>
#include <string.h>

#include "bundle/bundle.h"
#include "review/review.h"
#include "util/util.h"

static const char *states[] = {NULL, "received", "acknowledged", "investigating", "closed"};
static const char *outcomes[] = {"", "substantiated", "partly-substantiated", "not-substantiated",
    "referred-elsewhere", "withdrawn", "no-further-action"};

const char *
cb_state_name(int s)
{
	return s >= CB_RECEIVED && s <= CB_CLOSED ? states[s] : "?";
}

int
cb_state_parse(const char *s)
{
	for (int i = CB_RECEIVED; i <= CB_CLOSED; i++)
		if (strcmp(s, states[i]) == 0)
			return i;
	return 0;
}

const char *
cb_outcome_name(int o)
{
	return o >= BOUT_NONE && o <= BOUT_NFA ? outcomes[o] : "?";
}

int
cb_outcome_parse(const char *s)
{
	for (int i = BOUT_SUBSTANTIATED; i <= BOUT_NFA; i++)
		if (strcmp(s, outcomes[i]) == 0)
			return i;
	return -1;
}

int
cb_transition_rule(int from, int to, int has_outcome)
{
	if (from < CB_RECEIVED || from > CB_CLOSED || to < CB_RECEIVED || to > CB_CLOSED)
		return CB_TR_UNKNOWN;
	if (from == CB_CLOSED)
		return CB_TR_CLOSED;
	if (to == from)
		return CB_TR_SAME;
	if (to < from)
		return CB_TR_BACKWARDS;
	if (to == CB_CLOSED && !has_outcome)
		return CB_TR_NEEDS_OUTCOME;
	return CB_TR_OK;
}

const char *
cb_transition_check(int from, int to, int has_outcome)
{
	static const char *const why[] = {
	    [CB_TR_OK] = NULL,
	    [CB_TR_UNKNOWN] = "unknown state",
	    [CB_TR_CLOSED] = "the case is closed; a closed case cannot change state",
	    [CB_TR_SAME] = "the case is already in that state",
	    [CB_TR_BACKWARDS] =
		"states only move forward (received, acknowledged, investigating, closed)",
	    [CB_TR_NEEDS_OUTCOME] = "record an outcome first (candour-review outcome ID ...)",
	};
	return why[cb_transition_rule(from, to, has_outcome)];
}

/* Days from 0000-03-01 style civil calendar (Howard Hinnant's algorithm). */
static long
days_from_civil(int y, int m, int d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400) + (*m <= 2);
}

static int
parse(const char *date, int *y, int *m, int *d)
{
	if (date == NULL || !util_date_valid(date) || sscanf(date, "%4d-%2d-%2d", y, m, d) != 3)
		return -1;
	return 0;
}

static int
emit(int y, int m, int d, char out[11])
{
	if (y < 1 || y > 9999)
		return -1;
	return snprintf(out, 11, "%04d-%02d-%02d", y, m, d) == 10 ? 0 : -1;
}

int
rv_date_add_days(const char *date, int days, char out[11])
{
	int y, m, d;

	if (parse(date, &y, &m, &d) != 0)
		return -1;
	civil_from_days(days_from_civil(y, m, d) + days, &y, &m, &d);
	return emit(y, m, d, out);
}

int
rv_date_add_months(const char *date, int months, char out[11])
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, last;
	long t;

	if (parse(date, &y, &m, &d) != 0)
		return -1;
	t = (long)y * 12 + (m - 1) + months;
	y = (int)(t / 12);
	m = (int)(t % 12) + 1;
	last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (d > last)
		d = last;
	return emit(y, m, d, out);
}
