/*
 * One governance report from an open casebook, shared by `candour-review
 * report` and the desk: the web files it is rendered with (rp_web_load),
 * the facts, tables and rendering (rp_make), and the signed file
 * (rp_write_signed). Errors are said in why, in the CLI's words; the
 * caller decides where they go (stderr, a desk page).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "review/cb_internal.h"
#include "review/report.h"
#include "util/util.h"

static void
say(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

int
rp_web_load(struct rp_web *w, const char *dir, const char *lang, char *why, size_t whylen)
{
	char rel[64], *text = NULL;
	size_t len;

	memset(w, 0, sizeof(*w));
	why[0] = '\0';
	if ((w->cat = calloc(1, sizeof(*w->cat))) == NULL)
		return -1;
	snprintf(rel, sizeof(rel), "locale/%s.txt", lang);
	if (tmpl_load_file(dir, rel, &text, &len) != 0 || catalogue_parse(text, len, w->cat) != 0) {
		free(text);
		say(why, whylen, "cannot read the catalogue %s/%s", dir, rel);
		return -1;
	}
	free(text);
	text = NULL;
	if (tmpl_load_file(dir, "categories.txt", &text, &len) != 0 ||
	    tmpl_categories_parse(text, w->cats, &w->ncats) != 0) {
		free(text);
		say(why, whylen, "cannot read %s/categories.txt", dir);
		return -1;
	}
	free(text);
	if (tmpl_load_file(dir, "static/report.css", &w->css, &len) != 0) {
		say(why, whylen, "cannot read %s/static/report.css", dir);
		return -1;
	}
	return 0;
}

void
rp_web_free(struct rp_web *w)
{
	for (size_t i = 0; i < w->ncats; i++)
		free(w->cats[i]);
	free(w->css);
	if (w->cat != NULL)
		catalogue_free(w->cat);
	free(w->cat);
	memset(w, 0, sizeof(*w));
}

int
rp_make(struct casebook *cb, const struct rp_web *w, struct rp_make *m, char *why, size_t whylen)
{
	struct rp_input in;
	struct rp_result res;
	struct rp_pin *pins = NULL;
	const char *w0 = NULL;
	unsigned th = 0;
	int r, rc = -1;

	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	why[0] = '\0';
	if (cb_now(m->produced) != 0)
		goto done;
	m->produced[10] = '\0';
	if (rp_facts_read(cb, w->cats, w->ncats, &in, &m->acc, m->asof, m->progress, &w0) != 0) {
		say(why, whylen, "%s", w0);
		goto done;
	}
	m->fail = RP_FAIL_OTHER;
	/* Reports of one casebook at two thresholds are two cubes: set side
	 * by side, their patterns could reveal what either withholds. The
	 * first report recorded sets it (report_pins.c). */
	if ((r = rp_pins_threshold(cb, &th)) < 0 || rp_pins_load(cb, &pins, &in.npins) != 0) {
		say(why, whylen, "cannot read the casebook's earlier reports");
		goto done;
	}
	in.pins = pins;
	if (r == 1 && th != m->th) {
		m->fail = RP_FAIL_THRESHOLD;
		say(why, whylen,
		    "this casebook's reports use threshold %u: its earlier reports were made at"
		    " it, and a report at another threshold, set beside them, could reveal"
		    " what they withhold; make it with --threshold %u",
		    th, th);
		goto done;
	}
	if (rp_month_first_day(m->per->first) > in.asof) {
		m->fail = RP_FAIL_NOT_BEGUN;
		say(why, whylen, "the period %s has not begun", m->per->label);
		goto done;
	}
	if (m->head != NULL) {
		if ((r = rp_head_check(cb, &m->acc, m->count, m->head)) != 0) {
			if (r > 0) {
				m->fail = RP_FAIL_HEAD;
				say(why, whylen,
				    "the intake head given does not match record %llu of this"
				    " casebook's chain (nor any state it knows): check the"
				    " figures copied from the intake; no report written",
				    (unsigned long long)m->count);
			} else
				say(why, whylen, "cannot read the casebook");
			goto done;
		}
		if (m->date != NULL)
			snprintf(m->acc.intake_date, sizeof(m->acc.intake_date), "%s", m->date);
	}
	if ((r = rp_build(&in, m->per, m->th, &res)) != 0) {
		m->fail = r == -2 ? RP_FAIL_TOO_EARLY : r <= -4 ? RP_FAIL_PINS : RP_FAIL_OTHER;
		say(why, whylen,
		    r == -2   ? "the period %s starts more than a year before the casebook's"
				" first record"
		    : r == -3 ? "cannot publish the report for %s: with these figures the"
				" disclosure control cannot protect every table (SECURITY.md,"
				" \"Governance report: disclosure control\"); no report written"
		    : r == -4 ? "cannot publish the report for %s: kept consistent with the"
				" reports this casebook gave before, the disclosure control cannot"
				" protect every table (SECURITY.md, \"Reports from different casebook"
				" states\"); no report written"
		    : r == -5 ? "cannot publish the report for %s: an earlier report of this"
				" casebook published months or rows this one's figures do not have"
				" (an earlier --as-of, or other categories?); no report written"
			      : "cannot build the report (out of memory?) for %s",
		    m->per->label);
		goto done;
	}
	if (rp_pins_of(&res, &m->rec, &m->nrec) != 0)
		goto done;
	if (rp_minisign_pubkey(cb_seckey(cb)->pub.sign_pk, m->pk) != 0)
		goto done;
	struct rp_doc d = {&res, &m->acc, w->cat, m->lang, m->produced, m->pk, w->css, m->web,
	    m->outname, w->cats, w->ncats, in.days};
	r = strcmp(m->format, "csv") == 0    ? rp_render_csv(&d, &m->out)
	    : strcmp(m->format, "json") == 0 ? rp_render_json(&d, &m->out)
					     : rp_render_html(&d, &m->out);
	if (r != 0 || m->out.err) {
		say(why, whylen,
		    "cannot render the report (a template or catalogue string is missing?)");
		goto done;
	}
	rc = 0;
done:
	rp_result_free(&res);
	rp_input_free(&in);
	free(pins);
	return rc;
}

int
rp_write_signed(const char *path, const struct tbuf *b, struct casebook *cb, const char *period,
    const char *produced, char *why, size_t whylen)
{
	char sigpath[4096], trusted[256], *sig = NULL;
	size_t siglen = 0;
	const char *base = strrchr(path, '/');
	int rc = -1;

	why[0] = '\0';
	base = base ? base + 1 : path;
	snprintf(trusted, sizeof(trusted),
	    "candour governance report, period %s, produced %s, file %s", period, produced, base);
	if (!util_text_valid(trusted, strlen(trusted), 0))
		snprintf(trusted, sizeof(trusted),
		    "candour governance report, period %s, produced %s", period, produced);
	if (snprintf(sigpath, sizeof(sigpath), "%s.minisig", path) >= (int)sizeof(sigpath)) {
		say(why, whylen, "output path too long");
		return -1;
	}
	if (rp_minisign(cb_seckey(cb)->sign_sk, cb_seckey(cb)->pub.sign_pk, (const uint8_t *)b->p,
		b->len, trusted, &sig, &siglen) != 0) {
		say(why, whylen, "cannot sign the report");
		return -1;
	}
	if (util_write_file(path, b->p, b->len, 0600, 0) != 0)
		say(why, whylen, "cannot write %s: %s", path, strerror(errno));
	else if (util_write_file(sigpath, sig, siglen, 0600, 0) != 0) {
		say(why, whylen, "cannot write %s: %s", sigpath, strerror(errno));
		unlink(path); /* an unsigned report is not one */
	} else
		rc = 0;
	free(sig);
	return rc;
}

int
rp_write_made(const char *path, struct rp_make *m, struct casebook *cb, char *why, size_t whylen)
{
	why[0] = '\0';
	if (cb_begin(cb) != 0 || rp_pins_store(cb, m->rec, m->nrec, m->th, m->per->label) != 0) {
		cb_rollback(cb);
		say(why, whylen, "cannot record the report in the casebook; no report written");
		return -1;
	}
	if (rp_write_signed(path, &m->out, cb, m->per->label, m->produced, why, whylen) != 0) {
		cb_rollback(cb);
		return -1;
	}
	if (cb_commit(cb) != 0) {
		char sig[4096];

		/* written but not recorded: not given either */
		unlink(path);
		if (snprintf(sig, sizeof(sig), "%s.minisig", path) < (int)sizeof(sig))
			unlink(sig);
		say(why, whylen, "cannot record the report in the casebook; no report written");
		return -1;
	}
	return 0;
}

void
rp_make_free(struct rp_make *m)
{
	tbuf_free(&m->out);
	free(m->rec);
	m->rec = NULL;
	m->nrec = 0;
}
