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


struct ropts {
	struct rv_opts o;
	const char *period, *format, *out, *lang, *threshold, *head, *count, *date, *web, *asof;
	int alone; /* --alone: rp_input.alone */
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
	rv_lang_early(argc, argv);
	for (int i = 1; i < argc; i++) {
		int got = 0;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			CLI_PUT(stdout, "cli.rv.report.usage");
			return 1;
		}
		if ((got = rv_opt_common("report", argc, argv, &i, &r->o)) < 0)
			return 2;
		if (!got && strcmp(argv[i], "--alone") == 0)
			got = r->alone = 1;
		for (size_t k = 0; !got && k < sizeof(names) / sizeof(names[0]); k++)
			if ((got = rv_opt_value("report", argc, argv, &i, names[k], vals[k])) < 0)
				return 2;
		if (!got) {
			RV_ERR("report", "cli.rv.report.unknown_arg", argv[i]);
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

/* r.pdf (or r.docx) is no report at all: until 2026-12-07 it was HTML
 * under that name, written after the passphrase and recorded in the
 * casebook. A name with no extension, or --format given (asked), is
 * taken as asked. Said once --out itself is known to be a file. */
static int
check_ext(const char *out, int asked)
{
	const char *base = strrchr(out, '/') != NULL ? strrchr(out, '/') + 1 : out;
	const char *dot = strrchr(base, '.');

	if (asked || format_of(out) != NULL || dot == NULL || dot == base)
		return 0;
	RV_ERR("report", "cli.rv.report.unknown_ext", out, dot);
	return -1;
}

static int
check_opts(struct ropts *r, struct rp_period *p, unsigned *th, uint64_t *count)
{
	const char *cmd = "report";
	struct rp_opts o = {
	    r->period, r->format, r->lang, r->threshold, r->head, r->count, r->date, r->asof};

	if (r->period == NULL || r->out == NULL) {
		RV_ERR(cmd, "cli.rv.report.required");
		return -1;
	}
	/* r.csv is a CSV file: HTML written into it would open as nonsense */
	const char *ext = format_of(r->out);
	if (o.format == NULL)
		o.format = ext;
	else if (ext != NULL && strcmp(o.format, ext) != 0) {
		RV_ERR(cmd, "cli.rv.report.format_ext", o.format, r->out, ext);
		return -1;
	}
	switch (rp_opts_check(&o, p, th, count)) {
	case RP_OPT_OK:
		r->format = o.format;
		r->lang = o.lang;
		return 0;
	case RP_OPT_DATE_NEEDED:
		RV_ERR(cmd, "cli.rv.report.date_needed");
		break;
	case RP_OPT_PERIOD:
		RV_ERR(cmd, "cli.rv.report.bad_period", r->period, CLI_NUM(RP_YEAR_MIN),
		    CLI_NUM(RP_YEAR_MAX));
		break;
	case RP_OPT_FORMAT:
		RV_ERR(cmd, "cli.rv.report.bad_format");
		break;
	case RP_OPT_LANG:
		RV_ERR(cmd, "cli.rv.report.bad_lang");
		break;
	case RP_OPT_THRESHOLD:
		RV_ERR(cmd, "cli.rv.report.bad_threshold", CLI_NUM(SDC_THRESHOLD_MIN),
		    CLI_NUM(SDC_THRESHOLD_MAX));
		break;
	case RP_OPT_HEAD_PAIR:
		RV_ERR(cmd, "cli.rv.report.head_pair");
		break;
	case RP_OPT_DATE:
		RV_ERR(cmd, "cli.rv.report.bad_date");
		break;
	case RP_OPT_COUNT:
		RV_ERR(cmd, "cli.rv.report.bad_count");
		break;
	case RP_OPT_ASOF:
		RV_ERR(cmd, "cli.rv.report.bad_asof");
		break;
	case RP_OPT_ASOF_FUTURE:
		RV_ERR(cmd, "cli.rv.report.asof_future", r->asof);
		break;
	default:
		RV_ERR(cmd, "cli.rv.report.bad_head", CLI_NUM(2 * CC_HASH_BYTES));
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
		RV_ERR("report", "cli.rv.report.bad_asof");
	else if (e > 0)
		RV_ERR("report", "cli.rv.report.not_ended", p->label, end, from);
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
	char why[RP_WHY_MAX], webdir[PATH_MAX], tried[WEB_TRIED_MAX];
	int asked;
	int r, rc = 1;

	memset(&w, 0, sizeof(w));
	memset(&m, 0, sizeof(m));
	if ((r = parse(argc, argv, &ro)) != 0)
		return r == 1 ? 0 : 2;
	/* the report's language is its lines' too, its web/ their catalogue's */
	(void)cli_lang_set(ro.lang);
	if (ro.web != NULL)
		cli_web_set(ro.web);
	asked = ro.format != NULL;
	if (check_opts(&ro, &per, &m.th, &m.count) != 0)
		return 2;
	/* the report and its .minisig beside it: where they go is checked
	 * before the passphrase is asked and the report is made */
	if (rv_cli_out_file(cmd, ro.out, 0, "cli.rv.todo.report_out") != 0 ||
	    check_ext(ro.out, asked) != 0 || check_ended(&ro, &per) != 0)
		return 2;
	/* the binary's own tree first, as serve finds its pages: a reviewer
	 * runs report from their working folder, not from the source tree */
	if (ro.web == NULL) {
		if (tmpl_find_web("templates/governance.html", webdir, sizeof(webdir), tried,
			sizeof(tried)) != 0) {
			RV_ERR(cmd, "cli.rv.report.no_web", tried);
			return 2;
		}
		ro.web = webdir;
	}
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
	m.alone = (uint8_t)ro.alone;
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
	CLI_PUT(stdout, "cli.rv.report.written", ro.out, per.label, ro.format);
	CLI_PUT(stdout, "cli.rv.report.accounted", CLI_NUM(m.acc.held), CLI_NUM(m.acc.missing));
	CLI_PUT(stdout, "cli.rv.report.verify", ro.out, m.pk);
	/* the key is printed in the file it signs too: whoever changes the
	 * file can re-sign it and print their own, so the committee checks
	 * with the key the reviewer gave them apart from any report */
	CLI_PUT(stdout, "cli.rv.report.key");
	rc = 0;
done:
	rp_make_free(&m);
	cb_close(cb);
	rp_web_free(&w);
	return rc;
}
