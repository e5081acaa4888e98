/*
 * candour-review report: the governance report of one whole period, in
 * HTML, CSV or JSON, with a minisign signature beside it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "review/cb_internal.h"
#include "review/report.h"
#include "review/report_sdc.h"
#include "util/util.h"

#ifndef CANDOUR_WEB_DIR
#define CANDOUR_WEB_DIR "/usr/local/share/candour/web"
#endif

static const char usage[] =
    "usage: candour-review report --casebook FILE --key NAME.sec --period PERIOD\n"
    "         [--format html|csv|json] --out FILE [--lang en|cy] [--threshold N]\n"
    "         [--intake-head HEX --intake-count N --intake-date YYYY-MM-DD]\n"
    "         [--as-of YYYY-MM-DD] [--web DIR]\n\n"
    "The governance report of one whole period: PERIOD is a month (2026-09), a\n"
    "quarter (2026-Q3), a calendar year (2026) or a UK financial year (FY2026,\n"
    "April to March), of a year from 2000 to 2199. Without --format, the format\n"
    "is FILE's extension (.html/.htm, .csv, .json; HTML otherwise). Counts from\n"
    "1 to the threshold (default 5, never below 3) are withheld, with enough\n"
    "other cells that none can be worked out from this report or another of\n"
    "any period made from the same casebook on the same day at the same\n"
    "threshold. Every report written is recorded in the casebook, and later\n"
    "ones keep to it: what it withheld stays withheld, what it published\n"
    "stays published, a figure revised since is withheld, and the threshold\n"
    "stays the first report's (ask for a year's reports in one run, after\n"
    "the year has ended; SECURITY.md). --intake-head, --intake-count and\n"
    "--intake-date are the chain head, count and day the intake published\n"
    "(transparency page or `candour-intake status`); the report checks that\n"
    "this casebook reaches them. FILE.minisig is written beside FILE: a\n"
    "signature by your key that `minisign -Vm FILE -P KEY` verifies; the\n"
    "report prints KEY and its\n"
    "fingerprint, which the committee compares with the one you gave them\n"
    "yourself. A period is reported once it has ended. --as-of D makes the\n"
    "report as it stood on D (default today, UTC; never a day to come):\n"
    "records received after D, acknowledgements, feedback and closures after\n"
    "it are left out, and timeliness and open cases are measured to D.\n";

struct ropts {
	struct rv_opts o;
	const char *period, *format, *out, *lang, *threshold, *head, *count, *date, *web, *asof;
};

static int
parse(int argc, char **argv, struct ropts *r)
{
	static const char *const names[] = {"--period", "--format", "--out", "--lang",
	    "--threshold", "--intake-head", "--intake-count", "--intake-date", "--web", "--as-of"};
	const char **vals[] = {&r->period, &r->format, &r->out, &r->lang, &r->threshold, &r->head,
	    &r->count, &r->date, &r->web, &r->asof};

	memset(r, 0, sizeof(*r));
	rv_opts_init(&r->o);
	for (int i = 1; i < argc; i++) {
		int got = 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 1;
		}
		if ((got = rv_opt_common("report", argc, argv, &i, &r->o)) < 0)
			return 2;
		for (size_t k = 0; !got && k < sizeof(names) / sizeof(names[0]); k++)
			if ((got = rv_opt_value("report", argc, argv, &i, names[k], vals[k])) < 0)
				return 2;
		if (!got) {
			rv_err("report", "unknown argument '%s' (see --help)", argv[i]);
			return 2;
		}
	}
	return 0;
}

/* The format FILE's extension names (NULL: none of them). */
static const char *
format_of(const char *out)
{
	static const char *const ext[][2] = {
	    {".html", "html"}, {".htm", "html"}, {".csv", "csv"}, {".json", "json"}};
	size_t n = strlen(out);
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t e = strlen(ext[i][0]);
		if (n > e && strcasecmp(out + n - e, ext[i][0]) == 0)
			return ext[i][1];
	}
	return NULL;
}

static int
check_opts(struct ropts *r, struct rp_period *p, unsigned *th, uint64_t *count)
{
	const char *cmd = "report";
	struct rp_opts o = {
	    r->period, r->format, r->lang, r->threshold, r->head, r->count, r->date, r->asof};

	if (r->period == NULL || r->out == NULL) {
		rv_err(cmd, "--period and --out are required (see --help)");
		return -1;
	}
	/* r.csv is a CSV file: HTML written into it would open as nonsense */
	const char *ext = format_of(r->out);
	if (o.format == NULL)
		o.format = ext;
	else if (ext != NULL && strcmp(o.format, ext) != 0) {
		rv_err(cmd,
		    "--format %s but %s names a %s file: give a FILE ending in .%s, or leave "
		    "--format out",
		    o.format, r->out, ext, o.format);
		return -1;
	}
	switch (rp_opts_check(&o, p, th, count)) {
	case RP_OPT_OK:
		r->format = o.format;
		r->lang = o.lang;
		return 0;
	case RP_OPT_DATE_NEEDED:
		rv_err(cmd, "--intake-head comes with --intake-date: the day the intake"
			    " published it (transparency page or `candour-intake status`)");
		break;
	case RP_OPT_PERIOD:
		rv_err(cmd,
		    "bad period '%s': a month 2026-09, a quarter 2026-Q3, a year 2026 or"
		    " a financial year FY2026, of a year from %d to %d",
		    r->period, RP_YEAR_MIN, RP_YEAR_MAX);
		break;
	case RP_OPT_FORMAT:
		rv_err(cmd, "--format must be html, csv or json");
		break;
	case RP_OPT_LANG:
		rv_err(cmd, "--lang must be en or cy");
		break;
	case RP_OPT_THRESHOLD:
		rv_err(cmd, "--threshold must be a whole number from %d to %d", SDC_THRESHOLD_MIN,
		    SDC_THRESHOLD_MAX);
		break;
	case RP_OPT_HEAD_PAIR:
		rv_err(cmd, "--intake-head and --intake-count go together");
		break;
	case RP_OPT_DATE:
		rv_err(cmd, "--intake-date must be YYYY-MM-DD and comes with --intake-head");
		break;
	case RP_OPT_COUNT:
		rv_err(cmd, "--intake-count must be a whole number above 0");
		break;
	case RP_OPT_ASOF:
		rv_err(cmd, "--as-of must be a day, YYYY-MM-DD");
		break;
	case RP_OPT_ASOF_FUTURE:
		rv_err(cmd, "--as-of %s has not come yet: give today (UTC) or a day before it",
		    r->asof);
		break;
	default:
		rv_err(cmd, "--intake-head must be %d hex digits", 2 * CC_HASH_BYTES);
		break;
	}
	return -1;
}

/* A period is reported once it has ended (at --as-of, or today):
 * rp_period_ended, which the desk asks too. Said before the passphrase is
 * asked. */
static int
check_ended(const struct ropts *r, const struct rp_period *p)
{
	char end[11], from[11];
	int e = rp_period_ended(p, r->asof, end, from);

	if (e < 0)
		rv_err("report", "--as-of must be a day, YYYY-MM-DD");
	else if (e > 0)
		rv_err("report", "the period %s ends on %s: report it after that (from %s)",
		    p->label, end, from);
	return e == 0 ? 0 : -1;
}

int
cmd_report(int argc, char **argv)
{
	const char *cmd = "report";
	struct ropts ro;
	struct rp_period per;
	struct rp_web w;
	struct rp_make m;
	struct casebook *cb = NULL;
	struct stat st;
	char why[RP_WHY_MAX];
	int r, rc = 1;

	memset(&w, 0, sizeof(w));
	memset(&m, 0, sizeof(m));
	if ((r = parse(argc, argv, &ro)) != 0)
		return r == 1 ? 0 : 2;
	/* the report's language is its lines' too, its web/ their catalogue's */
	(void)cli_lang_set(ro.lang);
	if (ro.web != NULL)
		cli_web_set(ro.web);
	if (check_opts(&ro, &per, &m.th, &m.count) != 0)
		return 2;
	/* the report and its .minisig beside it: where they go is checked
	 * before the passphrase is asked and the report is made */
	if (rv_cli_out_file(cmd, ro.out, 0, "cli.rv.todo.report_out") !=
		0 ||
	    check_ended(&ro, &per) != 0)
		return 2;
	if (ro.web == NULL)
		ro.web = stat("web/templates/governance.html", &st) == 0 ? "web" : CANDOUR_WEB_DIR;
	if (rp_web_load(&w, ro.web, ro.lang, why, sizeof(why)) != 0) {
		if (why[0])
			rv_err(cmd, "%s", why);
		goto done;
	}
	if ((r = rv_cli_open(cmd, &ro.o, &cb)) != 0) {
		rc = r;
		goto done;
	}
	const char *base = strrchr(ro.out, '/');
	m.per = &per;
	m.web = ro.web;
	m.lang = ro.lang;
	m.format = ro.format;
	m.outname = base ? base + 1 : ro.out;
	m.asof = ro.asof;
	m.head = ro.head;
	m.date = ro.date;
	m.progress = isatty(2) ? stderr : NULL;
	if (rp_make(cb, &w, &m, why, sizeof(why)) != 0 ||
	    rp_write_made(ro.out, &m, cb, why, sizeof(why)) != 0) {
		if (why[0])
			rv_err(cmd, "%s", why);
		goto done;
	}
	printf("report: %s written for %s (%s), signature %s.minisig\n", ro.out, per.label,
	    ro.format, ro.out);
	printf("report: %llu records accounted for, %llu missing\n",
	    (unsigned long long)m.acc.held, (unsigned long long)m.acc.missing);
	printf("verify: minisign -Vm %s -P %s\n", ro.out, m.pk);
	/* the key is printed in the file it signs too: whoever changes the
	 * file can re-sign it and print their own, so the committee checks
	 * with the key the reviewer gave them apart from any report */
	printf("key: give the committee this public key yourself, on paper or in person, apart"
	       " from the reports; they verify with that one, not a key printed in a report\n");
	rc = 0;
done:
	rp_make_free(&m);
	cb_close(cb);
	rp_web_free(&w);
	return rc;
}
