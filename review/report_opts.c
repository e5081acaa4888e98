/*
 * The governance report's options, checked once for both faces: the
 * `report` command's flags and the desk's report form. Each refusal is a
 * code; the CLI says it in English, the desk from the catalogue.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "review/report.h"
#include "review/report_sdc.h"
#include "util/util.h"

int
rp_opts_check(struct rp_opts *o, struct rp_period *p, unsigned *th, uint64_t *count)
{
	uint8_t head[CC_HASH_BYTES];
	char *end;

	if (o->period == NULL || rp_period_parse(o->period, p) != 0)
		return RP_OPT_PERIOD;
	if (o->format == NULL)
		o->format = "html";
	if (strcmp(o->format, "html") != 0 && strcmp(o->format, "csv") != 0 &&
	    strcmp(o->format, "json") != 0)
		return RP_OPT_FORMAT;
	if (o->lang == NULL)
		o->lang = "en";
	if (strcmp(o->lang, "en") != 0 && strcmp(o->lang, "cy") != 0)
		return RP_OPT_LANG;
	*th = SDC_THRESHOLD_DEFAULT;
	if (o->threshold != NULL) {
		errno = 0;
		unsigned long v = strtoul(o->threshold, &end, 10);
		if (errno || *end || end == o->threshold || o->threshold[0] == '-' ||
		    v < SDC_THRESHOLD_MIN || v > SDC_THRESHOLD_MAX)
			return RP_OPT_THRESHOLD;
		*th = (unsigned)v;
	}
	if ((o->head == NULL) != (o->count == NULL))
		return RP_OPT_HEAD_PAIR;
	if (o->date != NULL && (o->head == NULL || !util_date_valid(o->date)))
		return RP_OPT_DATE;
	*count = 0;
	if (o->count != NULL) {
		errno = 0;
		unsigned long long v = strtoull(o->count, &end, 10);
		if (errno || *end || end == o->count || o->count[0] == '-' || v == 0)
			return RP_OPT_COUNT;
		*count = v;
	}
	if (o->head != NULL && (strlen(o->head) != 2 * CC_HASH_BYTES ||
				   util_unhex(o->head, head, sizeof(head)) != 0))
		return RP_OPT_HEAD;
	/* the transparency page and `candour-intake status` give the day
	 * with the head: the report says which day's head it accounts for
	 * (without it, "as published on" had nothing to say) */
	if (o->head != NULL && o->date == NULL)
		return RP_OPT_DATE_NEEDED;
	/* a report as of a day not yet come would state figures nobody can
	 * have had, and measure open cases to a future day */
	int32_t asof, today;
	if (o->asof != NULL && rp_day_of(o->asof, &asof) != 0)
		return RP_OPT_ASOF;
	if (o->asof != NULL && (rp_day_of(NULL, &today) != 0 || asof > today))
		return RP_OPT_ASOF_FUTURE;
	return RP_OPT_OK;
}
