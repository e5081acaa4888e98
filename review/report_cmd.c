/*
 * candour-review report: the governance report of one whole period, in
 * HTML, CSV or JSON, with a minisign signature beside it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
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
    "         [--intake-head HEX --intake-count N [--intake-date YYYY-MM-DD]]\n"
    "         [--as-of YYYY-MM-DD] [--web DIR]\n\n"
    "The governance report of one whole period: PERIOD is a month (2026-09), a\n"
    "quarter (2026-Q3), a calendar year (2026) or a UK financial year (FY2026,\n"
    "April to March). Counts from 1 to the threshold (default 5, never below 3)\n"
    "are withheld, with enough other cells that none can be worked out from\n"
    "this report or another of any period. --intake-head and --intake-count\n"
    "are the chain head and count the intake published (transparency page or\n"
    "`candour-intake status`); the report checks that this casebook reaches\n"
    "them. FILE.minisig is written beside FILE: a signature by your key that\n"
    "`minisign -Vm FILE -P KEY` verifies (the report prints KEY). --as-of\n"
    "reproduces a report as it stood on an earlier day (timeliness and open\n"
    "cases are measured to that day; default today, UTC).\n";

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

static int
check_opts(struct ropts *r, struct rp_period *p, unsigned *th, uint64_t *count)
{
	const char *cmd = "report";

	if (r->period == NULL || r->out == NULL) {
		rv_err(cmd, "--period and --out are required (see --help)");
		return -1;
	}
	if (rp_period_parse(r->period, p) != 0) {
		rv_err(cmd,
		    "bad period '%s': a month 2026-09, a quarter 2026-Q3, a year 2026 or"
		    " a financial year FY2026",
		    r->period);
		return -1;
	}
	if (r->format == NULL)
		r->format = "html";
	if (strcmp(r->format, "html") != 0 && strcmp(r->format, "csv") != 0 &&
	    strcmp(r->format, "json") != 0) {
		rv_err(cmd, "--format must be html, csv or json");
		return -1;
	}
	if (r->lang == NULL)
		r->lang = "en";
	if (strcmp(r->lang, "en") != 0 && strcmp(r->lang, "cy") != 0) {
		rv_err(cmd, "--lang must be en or cy");
		return -1;
	}
	*th = SDC_THRESHOLD_DEFAULT;
	if (r->threshold != NULL) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(r->threshold, &end, 10);
		if (errno || *end || end == r->threshold || v < SDC_THRESHOLD_MIN || v > 1000) {
			rv_err(cmd, "--threshold must be a whole number from %d to 1000",
			    SDC_THRESHOLD_MIN);
			return -1;
		}
		*th = (unsigned)v;
	}
	if ((r->head == NULL) != (r->count == NULL)) {
		rv_err(cmd, "--intake-head and --intake-count go together");
		return -1;
	}
	if (r->date != NULL && (r->head == NULL || strlen(r->date) != 10 ||
				   !util_text_valid(r->date, 10, 0) || r->date[4] != '-')) {
		rv_err(cmd, "--intake-date must be YYYY-MM-DD and comes with --intake-head");
		return -1;
	}
	*count = 0;
	if (r->count != NULL) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(r->count, &end, 10);
		if (errno || *end || end == r->count || r->count[0] == '-' || v == 0) {
			rv_err(cmd, "--intake-count must be a whole number above 0");
			return -1;
		}
		*count = v;
	}
	if (r->head != NULL && strlen(r->head) != 2 * CC_HASH_BYTES) {
		rv_err(cmd, "--intake-head must be %d hex digits", 2 * CC_HASH_BYTES);
		return -1;
	}
	return 0;
}

static int
load_web(const char *cmd, const char *dir, const char *lang, struct catalogue *cat, char **css,
    char *cats[WEB_CATEGORIES_MAX], size_t *ncats)
{
	char rel[64], *text = NULL;
	size_t len;

	snprintf(rel, sizeof(rel), "locale/%s.txt", lang);
	if (tmpl_load_file(dir, rel, &text, &len) != 0 || catalogue_parse(text, len, cat) != 0) {
		free(text);
		rv_err(cmd, "cannot read the catalogue %s/%s", dir, rel);
		return -1;
	}
	free(text);
	text = NULL;
	if (tmpl_load_file(dir, "categories.txt", &text, &len) != 0 ||
	    tmpl_categories_parse(text, cats, ncats) != 0) {
		free(text);
		rv_err(cmd, "cannot read %s/categories.txt", dir);
		return -1;
	}
	free(text);
	if (tmpl_load_file(dir, "static/report.css", css, &len) != 0) {
		rv_err(cmd, "cannot read %s/static/report.css", dir);
		return -1;
	}
	return 0;
}

static int
write_signed(const char *cmd, const char *path, const struct tbuf *b, struct casebook *cb,
    const char *period, const char *produced)
{
	char sigpath[4096], trusted[256], *sig = NULL;
	size_t siglen = 0;
	const char *base = strrchr(path, '/');
	int rc = -1;

	base = base ? base + 1 : path;
	snprintf(trusted, sizeof(trusted),
	    "candour governance report, period %s, produced %s, file %s", period, produced, base);
	if (!util_text_valid(trusted, strlen(trusted), 0))
		snprintf(trusted, sizeof(trusted),
		    "candour governance report, period %s, produced %s", period, produced);
	if (snprintf(sigpath, sizeof(sigpath), "%s.minisig", path) >= (int)sizeof(sigpath)) {
		rv_err(cmd, "output path too long");
		return -1;
	}
	if (rp_minisign(cb_seckey(cb)->sign_sk, cb_seckey(cb)->pub.sign_pk, (const uint8_t *)b->p,
		b->len, trusted, &sig, &siglen) != 0) {
		rv_err(cmd, "cannot sign the report");
		return -1;
	}
	if (util_write_file(path, b->p, b->len, 0600, 0) != 0)
		rv_err(cmd, "cannot write %s: %s", path, strerror(errno));
	else if (util_write_file(sigpath, sig, siglen, 0600, 0) != 0) {
		rv_err(cmd, "cannot write %s: %s", sigpath, strerror(errno));
		unlink(path); /* an unsigned report is not one */
	} else
		rc = 0;
	free(sig);
	return rc;
}

int
cmd_report(int argc, char **argv)
{
	const char *cmd = "report", *why = NULL;
	struct ropts ro;
	struct rp_period per;
	struct rp_input in;
	struct rp_account acc;
	struct rp_result res;
	struct catalogue *cat = calloc(1, sizeof(*cat));
	struct casebook *cb = NULL;
	struct tbuf out = {0};
	struct stat st;
	char *css = NULL, *cats[WEB_CATEGORIES_MAX], produced[21], pk[RP_MINISIGN_PK_B64 + 1];
	size_t ncats = 0;
	unsigned th;
	uint64_t count;
	int r, rc = 1;

	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	if (cat == NULL)
		return 1;
	if ((r = parse(argc, argv, &ro)) != 0 || check_opts(&ro, &per, &th, &count) != 0) {
		free(cat);
		return r == 1 ? 0 : 2;
	}
	if (ro.web == NULL)
		ro.web = stat("web/templates/governance.html", &st) == 0 ? "web" : CANDOUR_WEB_DIR;
	if (load_web(cmd, ro.web, ro.lang, cat, &css, cats, &ncats) != 0)
		goto done;
	if (rv_cli_open(cmd, &ro.o, &cb) != 0)
		goto done;
	if (cb_now(produced) != 0)
		goto done;
	produced[10] = '\0';
	if (rp_facts_read(cb, cats, ncats, &in, &acc, ro.asof, isatty(2) ? stderr : NULL, &why) !=
	    0) {
		rv_err(cmd, "%s", why);
		goto done;
	}
	if (rp_month_first_day(per.first) > in.asof) {
		rv_err(cmd, "the period %s has not begun", per.label);
		goto done;
	}
	if (ro.head != NULL) {
		if ((r = rp_head_check(cb, &acc, count, ro.head)) != 0) {
			if (r > 0)
				rv_err(cmd,
				    "the intake head given does not match record %llu of this"
				    " casebook's chain (nor any state it knows): check the"
				    " figures copied from the intake; no report written",
				    (unsigned long long)count);
			else
				rv_err(cmd, "cannot read the casebook");
			goto done;
		}
		if (ro.date != NULL)
			snprintf(acc.intake_date, sizeof(acc.intake_date), "%s", ro.date);
	}
	if ((r = rp_build(&in, &per, th, &res)) != 0) {
		rv_err(cmd,
		    r == -2 ? "the period %s starts more than a year before the casebook's"
			      " first record"
			    : "cannot build the report (out of memory?) for %s",
		    per.label);
		goto done;
	}
	if (rp_minisign_pubkey(cb_seckey(cb)->pub.sign_pk, pk) != 0)
		goto done;
	const char *base = strrchr(ro.out, '/');
	struct rp_doc d = {&res, &acc, cat, ro.lang, produced, pk, css, ro.web,
	    base ? base + 1 : ro.out, cats, ncats};
	r = strcmp(ro.format, "csv") == 0    ? rp_render_csv(&d, &out)
	    : strcmp(ro.format, "json") == 0 ? rp_render_json(&d, &out)
					     : rp_render_html(&d, &out);
	if (r != 0 || out.err) {
		rv_err(
		    cmd, "cannot render the report (a template or catalogue string is missing?)");
		goto done;
	}
	if (write_signed(cmd, ro.out, &out, cb, per.label, produced) != 0)
		goto done;
	printf("report: %s written for %s (%s), signature %s.minisig\n", ro.out, per.label,
	    ro.format, ro.out);
	printf("report: %llu records accounted for, %llu missing\n", (unsigned long long)acc.held,
	    (unsigned long long)acc.missing);
	printf("verify: minisign -Vm %s -P %s\n", ro.out, pk);
	rc = 0;
done:
	tbuf_free(&out);
	rp_result_free(&res);
	rp_input_free(&in);
	cb_close(cb);
	for (size_t i = 0; i < ncats; i++)
		free(cats[i]);
	free(css);
	catalogue_free(cat);
	free(cat);
	return rc;
}
