/*
 * One governance report from an open casebook, shared by `candour-review
 * report` and the desk: the web files it is rendered with (rp_web_load),
 * the facts, tables and rendering (rp_make), and the signed file
 * (rp_write_signed). Errors are said in why, in the CLI's words; the
 * caller decides where they go (stderr, a desk page).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "review/cb_internal.h"
#include "review/report.h"
#include "util/util.h"

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
		CLI_FILL(why, whylen, "cli.rv.report.web_catalogue", dir, rel);
		return -1;
	}
	free(text);
	text = NULL;
	if (tmpl_load_file(dir, "categories.txt", &text, &len) != 0 ||
	    tmpl_categories_parse(text, w->cats, &w->ncats) != 0) {
		free(text);
		CLI_FILL(why, whylen, "cli.rv.report.web_categories", dir);
		return -1;
	}
	free(text);
	if (tmpl_load_file(dir, "static/report.css", &w->css, &len) != 0) {
		CLI_FILL(why, whylen, "cli.rv.report.web_css", dir);
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

/* The CLI's line for each enum rp_fail (cli.rv.report.fail.*, {1} the
 * period or the number); the desk says the page catalogue's line for the
 * same code (desk_pages_report.c). */
static const char *const fail_key[RP_FAIL_N] = {
    [RP_FAIL_OTHER] = NULL,
    [RP_FAIL_NOT_BEGUN] = "cli.rv.report.fail.not_begun",
    [RP_FAIL_HEAD] = "cli.rv.report.fail.head",
    [RP_FAIL_TOO_EARLY] = "cli.rv.report.fail.too_early",
    [RP_FAIL_READ] = "cli.rv.report.fail.read",
    [RP_FAIL_ASOF] = "cli.rv.report.fail.asof",
    [RP_FAIL_DAMAGED] = "cli.rv.report.fail.damaged",
    [RP_FAIL_REFS] = "cli.rv.report.fail.refs",
    [RP_FAIL_SDC] = "cli.rv.report.fail.sdc",
    [RP_FAIL_BUILD] = "cli.rv.report.fail.build",
    [RP_FAIL_RENDER] = "cli.rv.report.fail.render",
    [RP_FAIL_THRESHOLD] = "cli.rv.report.fail.threshold",
    [RP_FAIL_PINS] = "cli.rv.report.fail.pins",
    [RP_FAIL_PINS_FIT] = "cli.rv.report.fail.pins_fit",
    [RP_FAIL_PINS_MANY] = "cli.rv.report.fail.pins_many",
    [RP_FAIL_PINS_CUT] = "cli.rv.report.fail.pins_cut",
    [RP_FAIL_PINS_CUT_NEW] = "cli.rv.report.fail.pins_cut",
    [RP_FAIL_PINS_TABLE] = "cli.rv.report.fail.pins_table",
    [RP_FAIL_RECORD_BUSY] = "cli.rv.report.fail.record_busy",
    [RP_FAIL_RECORD_FULL] = "cli.rv.report.fail.record_full",
    [RP_FAIL_RECORD_RO] = "cli.rv.report.fail.record_ro",
    [RP_FAIL_RECORD] = "cli.rv.report.fail.record",
};

/* Says why (fail_text) and returns -1. */
static int
failed(struct rp_make *m, int fail, const char *arg, char *why, size_t whylen)
{
	m->fail = fail >= 0 && fail < RP_FAIL_N ? fail : RP_FAIL_OTHER;
	if (fail_key[m->fail] == NULL)
		why[0] = '\0';
	else
		CLI_FILL(why, whylen, fail_key[m->fail], arg != NULL ? arg : "");
	return -1;
}

const char *
rp_refused_key(int fail)
{
	return fail == RP_FAIL_PINS_CUT	      ? "rpt.refused.cut"
	       : fail == RP_FAIL_PINS_CUT_NEW ? "rpt.refused.cut_new"
					      : "rpt.refused.table";
}

/* The pins' refusal in one table (rp_result.refused_section): what a
 * committee's reviewer needs, from the report's catalogue (its language),
 * section sec's title in it: fail RP_FAIL_PINS_CUT when the earlier
 * report's withheld count is of this period and its report was made
 * before (it stands), _CUT_NEW when no report of the period was (none can
 * be made: "made before" would send the reviewer after a report that does
 * not exist), _TABLE for a table no period can protect. Returns -1. */
static int
refused(struct rp_make *m, const struct rp_web *w, int fail, unsigned sec, char *why, size_t whylen)
{
	char key[16];
	const char *s, *arg[2];
	size_t o = 0;

	m->fail = fail;
	m->section = (uint8_t)sec;
	snprintf(key, sizeof(key), "rpt.s%u.title", sec);
	arg[0] = m->per->label;
	arg[1] = catalogue_get(w->cat, key);
	s = catalogue_get(w->cat, rp_refused_key(fail));
	if (s == NULL || arg[1] == NULL)
		return failed(m, RP_FAIL_PINS, m->per->label, why, whylen);
	/* {1} the period, {2} the section; the text is the catalogue's */
	while (*s != '\0' && o + 1 < whylen) {
		if (s[0] == '{' && (s[1] == '1' || s[1] == '2') && s[2] == '}') {
			int n = snprintf(why + o, whylen - o, "%s", arg[s[1] - '1']);

			o = n < 0 ? o : (size_t)n >= whylen - o ? whylen - 1 : o + (size_t)n;
			s += 3;
			continue;
		}
		why[o++] = *s++;
	}
	why[o] = '\0';
	return -1;
}

int
rp_make(struct casebook *cb, const struct rp_web *w, struct rp_make *m, char *why, size_t whylen)
{
	struct rp_input in;
	struct rp_result res;
	struct rp_pin *pins = NULL;
	char **states = NULL;
	int covered = 0;
	unsigned th = 0;
	char n[24];
	size_t npins = 0, ncube;
	int r, k = 0, f = RP_FAIL_OTHER, rc = -1;

	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	why[0] = '\0';
	m->fail = RP_FAIL_OTHER;
	if (cb_now(m->produced) != 0)
		goto done;
	m->produced[10] = '\0';
	/* Reports of one casebook at two thresholds are two cubes: set side
	 * by side, their patterns could reveal what either withholds. The
	 * first report recorded sets it (report_pins.c). Asked before the
	 * casebook's facts are read, so a refusal comes at once. */
	if ((r = rp_pins_threshold(cb, &th)) < 0 || (k = rp_pins_load(cb, &pins, &npins)) != 0) {
		snprintf(n, sizeof(n), "%d", RP_PINS_MAX);
		failed(m, r >= 0 && k == -2 ? RP_FAIL_PINS_MANY : RP_FAIL_READ, n, why, whylen);
		goto done;
	}
	if (r == 1 && th != m->th) {
		snprintf(n, sizeof(n), "%u", th);
		failed(m, RP_FAIL_THRESHOLD, n, why, whylen);
		goto done;
	}
	if (rp_facts_read(cb, w->cats, w->ncats, &in, &m->acc, m->asof, m->progress, &f) != 0) {
		failed(m, f, NULL, why, whylen);
		goto done;
	}
	/* the cube cells go to the cubes, the derived figures beside them */
	ncube = rp_pins_split(pins, npins);
	in.alone = m->alone;
	in.pins = pins;
	in.npins = ncube;
	in.derived = pins != NULL ? pins + ncube : NULL;
	in.nderived = npins - ncube;
	/* The states those reports were made from (report_state.c): a
	 * report_cells row none of them accounts for (a report made before
	 * they were recorded) leaves the sums its cells fix unknown: refused. */
	if (rp_states_load(cb, &states, &in.nstates, &covered) != 0) {
		failed(m, RP_FAIL_PINS, m->per->label, why, whylen);
		goto done;
	}
	in.states = states;
	if (npins > 0 && !covered) {
		failed(m, RP_FAIL_PINS, m->per->label, why, whylen);
		goto done;
	}
	if (rp_month_first_day(m->per->first) > in.asof) {
		failed(m, RP_FAIL_NOT_BEGUN, m->per->label, why, whylen);
		goto done;
	}
	if (m->head != NULL) {
		if ((r = rp_head_check(cb, &m->acc, m->count, m->head)) != 0) {
			snprintf(n, sizeof(n), "%llu", (unsigned long long)m->count);
			failed(m, r > 0 ? RP_FAIL_HEAD : RP_FAIL_READ, n, why, whylen);
			goto done;
		}
		if (m->date != NULL)
			snprintf(m->acc.intake_date, sizeof(m->acc.intake_date), "%s", m->date);
	}
	if ((r = rp_build(&in, m->per, m->th, &res)) != 0) {
		if (r == -4 && res.refused_section >= 2 && res.refused_section <= 5) {
			/* a cut sends the reviewer to the period's report
			 * made before only where there is one */
			f = RP_FAIL_PINS_TABLE;
			if (res.refused_cut)
				f = rp_states_made(states, in.nstates, m->per)
					? RP_FAIL_PINS_CUT
					: RP_FAIL_PINS_CUT_NEW;
			refused(m, w, f, res.refused_section, why, whylen);
			goto done;
		}
		failed(m,
		    r == -2   ? RP_FAIL_TOO_EARLY
		    : r == -3 ? RP_FAIL_SDC
		    : r == -4 ? RP_FAIL_PINS
		    : r == -5 ? RP_FAIL_PINS_FIT
			      : RP_FAIL_BUILD,
		    m->per->label, why, whylen);
		goto done;
	}
	if (rp_pins_of(&res, &m->rec, &m->nrec) != 0)
		goto done;
	/* the state, recorded with the cells (rp_write_made) */
	m->state = res.state;
	m->nstate = res.nstate;
	res.state = NULL;
	if (rp_minisign_pubkey(cb_seckey(cb)->pub.sign_pk, m->pk) != 0)
		goto done;
	struct rp_doc d = {&res, &m->acc, w->cat, m->lang, m->produced, m->pk, w->css, m->web,
	    m->outname, w->cats, w->ncats, in.days};
	r = strcmp(m->format, "csv") == 0    ? rp_render_csv(&d, &m->out)
	    : strcmp(m->format, "json") == 0 ? rp_render_json(&d, &m->out)
					     : rp_render_html(&d, &m->out);
	if (r != 0 || m->out.err) {
		failed(m, RP_FAIL_RENDER, NULL, why, whylen);
		goto done;
	}
	rc = 0;
done:
	rp_result_free(&res);
	rp_input_free(&in);
	free(pins);
	rp_states_free(states, in.nstates);
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
		CLI_FILL(why, whylen, "cli.rv.report.path_long");
		return -1;
	}
	if (rp_minisign(cb_seckey(cb)->sign_sk, cb_seckey(cb)->pub.sign_pk, (const uint8_t *)b->p,
		b->len, trusted, &sig, &siglen) != 0) {
		CLI_FILL(why, whylen, "cli.rv.report.no_sign");
		return -1;
	}
	if (util_write_file(path, b->p, b->len, 0600, 0) != 0)
		CLI_FILL(why, whylen, "cli.rv.report.cannot_write", path, cli_phrase(strerror(errno)));
	else if (util_write_file(sigpath, sig, siglen, 0600, 0) != 0) {
		CLI_FILL(why, whylen, "cli.rv.report.cannot_write", sigpath, cli_phrase(strerror(errno)));
		unlink(path); /* an unsigned report is not one */
	} else
		rc = 0;
	free(sig);
	return rc;
}

/* Why the report could not be recorded, from SQLite's (extended) code
 * err: what the reviewer can do differs (wait, free space, another
 * casebook). Returns -1. */
static int
not_recorded(struct rp_make *m, int err, char *why, size_t whylen)
{
	switch (err & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return failed(m, RP_FAIL_RECORD_BUSY, NULL, why, whylen);
	case SQLITE_FULL:
		return failed(m, RP_FAIL_RECORD_FULL, NULL, why, whylen);
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
		return failed(m, RP_FAIL_RECORD_RO, NULL, why, whylen);
	default:
		return failed(m, RP_FAIL_RECORD, NULL, why, whylen);
	}
}

int
rp_write_made(const char *path, struct rp_make *m, struct casebook *cb, char *why, size_t whylen)
{
	int64_t top;
	int err;

	why[0] = '\0';
	m->fail = RP_FAIL_OTHER;
	if (cb_begin(cb) != 0)
		return not_recorded(m, cb->last_err, why, whylen);
	if (rp_state_top(cb, &top) != 0 ||
	    rp_pins_store(cb, m->rec, m->nrec, m->th, m->per->label) != 0 ||
	    rp_state_store(cb, top, m->state, m->nstate) != 0) {
		err = sqlite3_extended_errcode(cb->db); /* before the rollback clears it */
		cb_rollback(cb);
		return not_recorded(m, err, why, whylen);
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
		return not_recorded(m, cb->last_err, why, whylen);
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
	free(m->state);
	m->state = NULL;
	m->nstate = 0;
}
