/*
 * Report periods: a whole month, quarter, calendar year or UK financial
 * year (April to March), as month indexes (year * 12 + month - 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review/report.h"

#define RP_YEAR_MIN 2000
#define RP_YEAR_MAX 2199

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
	if (n == 6 && strncmp(s, "FY", 2) == 0 && digits(s + 2, 4)) {
		y = atoi(s + 2);
		p->kind = RP_FY;
		p->first = y * 12 + 3;
		p->last = p->first + 11;
	} else if (n == 4 && digits(s, 4)) {
		y = atoi(s);
		p->kind = RP_YEAR;
		p->first = y * 12;
		p->last = p->first + 11;
	} else if (n == 7 && digits(s, 4) && s[4] == '-' && s[5] == 'Q' && s[6] >= '1' &&
		   s[6] <= '4') {
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
	return 0;
}

/* Civil-from-days and back (proleptic Gregorian), H. Hinnant's method. */
static void
civil(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	uint32_t doe = (uint32_t)(z - era * 146097);
	uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint32_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)yoe + era * 400 + (*m <= 2);
}

static int32_t
days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int32_t era = (y >= 0 ? y : y - 399) / 400;
	uint32_t yoe = (uint32_t)(y - era * 400);
	uint32_t doy = (uint32_t)((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1);
	uint32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int32_t)doe - 719468;
}

int32_t
rp_month_of_day(int32_t day)
{
	int y, m, d;
	civil(day, &y, &m, &d);
	return y * 12 + m - 1;
}

int32_t
rp_month_first_day(int32_t mi)
{
	return days_from_civil(mi / 12, mi % 12 + 1, 1);
}

void
rp_month_label(int32_t mi, char out[8])
{
	unsigned y = (unsigned)(mi / 12) % 10000u, m = (unsigned)(mi % 12) + 1u;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '\0';
}
