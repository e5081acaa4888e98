/*
 * Report periods: a whole month, quarter, calendar year or UK financial
 * year (April to March), as month indexes (year * 12 + month - 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review/cb_internal.h"
#include "review/ref.h"
#include "review/report.h"

static int
digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int
rp_period_parse(const char *s, struct rp_period *p)
{
	size_t n = strlen(s);
	int y, q, m;

	memset(p, 0, sizeof(*p));
	/* "fy2025" and "2025-q3" are what a tired hand types: taken, and
	 * labelled as written in the catalogue's form (the label is printed
	 * and recorded with the report's cells) */
	if (n == 6 && (s[0] == 'F' || s[0] == 'f') && (s[1] == 'Y' || s[1] == 'y') &&
	    digits(s + 2, 4)) {
		y = atoi(s + 2);
		p->kind = RP_FY;
		p->first = y * 12 + 3;
		p->last = p->first + 11;
	} else if (n == 4 && digits(s, 4)) {
		y = atoi(s);
		p->kind = RP_YEAR;
		p->first = y * 12;
		p->last = p->first + 11;
	} else if (n == 7 && digits(s, 4) && s[4] == '-' && (s[5] == 'Q' || s[5] == 'q') &&
		   s[6] >= '1' && s[6] <= '4') {
		y = atoi(s);
		q = s[6] - '1';
		p->kind = RP_QUARTER;
		p->first = y * 12 + q * 3;
		p->last = p->first + 2;
	} else if (n == 7 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2)) {
		y = atoi(s);
		m = atoi(s + 5);
		if (m < 1 || m > 12)
			return -1;
		p->kind = RP_MONTH;
		p->first = p->last = y * 12 + m - 1;
	} else
		return -1;
	if (y < RP_YEAR_MIN || y > RP_YEAR_MAX)
		return -1;
	memcpy(p->label, s, n + 1);
	if (p->kind == RP_FY)
		p->label[0] = 'F', p->label[1] = 'Y';
	else if (p->kind == RP_QUARTER)
		p->label[5] = 'Q';
	return 0;
}

int32_t
rp_month_of_day(int32_t day)
{
	int y, m, d;
	ref_ymd_from_days(day, &y, &m, &d);
	return y * 12 + m - 1;
}

int32_t
rp_month_first_day(int32_t mi)
{
	return ref_days_from_ymd(mi / 12, mi % 12 + 1, 1);
}

void
rp_month_label(int32_t mi, char out[8])
{
	char d[11];
	ref_date_format(rp_month_first_day(mi), d);
	memcpy(out, d, 7);
	out[7] = '\0';
}

/* Before its end a period's later months publish 0, its stock "at the end
 * of the period" is measured at today, and the same period reported again
 * after its end differs by small counts: a disclosure by differencing. */
int
rp_day_of(const char *asof, int32_t *day)
{
	char now[21];

	if (asof != NULL)
		return ref_date_parse(asof, strlen(asof), day);
	return cb_now(now) == 0 && ref_date_parse(now, 10, day) == 0 ? 0 : -1;
}

int
rp_period_ended(const struct rp_period *p, const char *asof, char end[11], char from[11])
{
	int32_t day, last = rp_month_first_day(p->last + 1) - 1;

	if (rp_day_of(asof, &day) != 0)
		return -1;
	ref_date_format(last, end);
	ref_date_format(last + 1, from);
	return day > last ? 0 : 1;
}
