/*
 * Dates as day numbers and working days: weekends and a sorted list of
 * bank holidays are skipped. The default list is England and Wales,
 * 2015-2030 (substitute days and the one-off holidays of 2020, 2022 and
 * 2023 included); years after the last published list follow the usual
 * rules and should be checked against gov.uk each year (config: holiday).
 */
#include <stdlib.h>
#include <string.h>

#include "review/ref.h"

static const char *const ew_holidays[] = {
    "2015-01-01",
    "2015-04-03",
    "2015-04-06",
    "2015-05-04",
    "2015-05-25",
    "2015-08-31",
    "2015-12-25",
    "2015-12-28",
    "2016-01-01",
    "2016-03-25",
    "2016-03-28",
    "2016-05-02",
    "2016-05-30",
    "2016-08-29",
    "2016-12-26",
    "2016-12-27",
    "2017-01-02",
    "2017-04-14",
    "2017-04-17",
    "2017-05-01",
    "2017-05-29",
    "2017-08-28",
    "2017-12-25",
    "2017-12-26",
    "2018-01-01",
    "2018-03-30",
    "2018-04-02",
    "2018-05-07",
    "2018-05-28",
    "2018-08-27",
    "2018-12-25",
    "2018-12-26",
    "2019-01-01",
    "2019-04-19",
    "2019-04-22",
    "2019-05-06",
    "2019-05-27",
    "2019-08-26",
    "2019-12-25",
    "2019-12-26",
    "2020-01-01",
    "2020-04-10",
    "2020-04-13",
    "2020-05-08",
    "2020-05-25",
    "2020-08-31",
    "2020-12-25",
    "2020-12-28",
    "2021-01-01",
    "2021-04-02",
    "2021-04-05",
    "2021-05-03",
    "2021-05-31",
    "2021-08-30",
    "2021-12-27",
    "2021-12-28",
    "2022-01-03",
    "2022-04-15",
    "2022-04-18",
    "2022-05-02",
    "2022-06-02",
    "2022-06-03",
    "2022-08-29",
    "2022-09-19",
    "2022-12-26",
    "2022-12-27",
    "2023-01-02",
    "2023-04-07",
    "2023-04-10",
    "2023-05-01",
    "2023-05-08",
    "2023-05-29",
    "2023-08-28",
    "2023-12-25",
    "2023-12-26",
    "2024-01-01",
    "2024-03-29",
    "2024-04-01",
    "2024-05-06",
    "2024-05-27",
    "2024-08-26",
    "2024-12-25",
    "2024-12-26",
    "2025-01-01",
    "2025-04-18",
    "2025-04-21",
    "2025-05-05",
    "2025-05-26",
    "2025-08-25",
    "2025-12-25",
    "2025-12-26",
    "2026-01-01",
    "2026-04-03",
    "2026-04-06",
    "2026-05-04",
    "2026-05-25",
    "2026-08-31",
    "2026-12-25",
    "2026-12-28",
    "2027-01-01",
    "2027-03-26",
    "2027-03-29",
    "2027-05-03",
    "2027-05-31",
    "2027-08-30",
    "2027-12-27",
    "2027-12-28",
    "2028-01-03",
    "2028-04-14",
    "2028-04-17",
    "2028-05-01",
    "2028-05-29",
    "2028-08-28",
    "2028-12-25",
    "2028-12-26",
    "2029-01-01",
    "2029-03-30",
    "2029-04-02",
    "2029-05-07",
    "2029-05-28",
    "2029-08-27",
    "2029-12-25",
    "2029-12-26",
    "2030-01-01",
    "2030-04-19",
    "2030-04-22",
    "2030-05-06",
    "2030-05-27",
    "2030-08-26",
    "2030-12-25",
    "2030-12-26",
};

/* Howard Hinnant's days-from-civil, valid for the proleptic Gregorian
 * calendar. */
static int32_t
days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
month_days(int y, int m)
{
	static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : md[m - 1];
}

/* Reads 1..max digits at s[*i]; returns the value or -1. */
static int
digits(const char *s, size_t len, size_t *i, size_t min, size_t max)
{
	size_t k = 0;
	int v = 0;

	while (*i < len && k < max && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	return k >= min ? v : -1;
}

int
ref_date_parse(const char *s, size_t len, int32_t *day)
{
	size_t i = 0;
	int y, m, d;

	if (len == 10 && s[4] == '-' && s[7] == '-') {
		y = digits(s, len, &i, 4, 4);
		i++;
		m = digits(s, len, &i, 2, 2);
		i++;
		d = digits(s, len, &i, 2, 2);
	} else {
		d = digits(s, len, &i, 1, 2);
		if (i >= len || s[i++] != '/')
			return -1;
		m = digits(s, len, &i, 1, 2);
		if (i >= len || s[i++] != '/')
			return -1;
		y = digits(s, len, &i, 4, 4);
	}
	if (y < 0 || m < 0 || d < 0 || i != len)
		return -1;
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return -1;
	*day = days_from_civil(y, m, d);
	return 0;
}

void
ref_date_format(int32_t day, char out[11])
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	if (y < 0 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) {
		snprintf(out, 11, "0000-00-00");
		return;
	}
	/* By hand: this runs for every date of a million-row import. */
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

int32_t
ref_days_from_ymd(int y, int m, int d)
{
	return days_from_civil(y, m, d);
}

void
ref_ymd_from_days(int32_t day, int *y, int *m, int *d)
{
	civil_from_days(day, y, m, d);
}

int
ref_weekday(int32_t day)
{
	/* 1970-01-01 was a Thursday (3 with Monday 0). */
	int w = (int)((day % 7 + 7) % 7);

	return (w + 3) % 7;
}

void
ref_days_clear(struct ref_days *h)
{
	h->n = 0;
}

int
ref_days_add(struct ref_days *h, int32_t day)
{
	size_t i;

	for (i = 0; i < h->n && h->hol[i] < day; i++)
		;
	if (i < h->n && h->hol[i] == day)
		return 0;
	if (h->n == REF_HOLIDAYS_MAX)
		return -1;
	memmove(&h->hol[i + 1], &h->hol[i], (h->n - i) * sizeof(h->hol[0]));
	h->hol[i] = day;
	h->n++;
	return 0;
}

void
ref_days_default(struct ref_days *h)
{
	int32_t d;

	h->n = 0;
	for (size_t i = 0; i < sizeof(ew_holidays) / sizeof(ew_holidays[0]); i++) {
		if (ref_date_parse(ew_holidays[i], 10, &d) == 0)
			(void)ref_days_add(h, d);
	}
}

static int
is_holiday(const struct ref_days *h, int32_t day)
{
	size_t lo = 0, hi = h->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->hol[mid] == day)
			return 1;
		if (h->hol[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int
ref_days_is_working(const struct ref_days *h, int32_t day)
{
	return ref_weekday(day) < 5 && !is_holiday(h, day);
}

int32_t
ref_days_after(const struct ref_days *h, int32_t day, int n)
{
	while (n > 0) {
		day++;
		if (ref_days_is_working(h, day))
			n--;
	}
	return day;
}
