/*
 * The governance report on the desk: a period chosen in a form, previewed
 * (the HTML report itself, as `report` writes it) or saved to a path with
 * its minisign signature beside it. Both go through rp_web_load / rp_make
 * / rp_write_made, the functions `candour-review report` calls.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "review/desk.h"
#include "review/report.h"
#include "review/report_sdc.h"
#include "util/util.h"

void
desk_page_report(struct desk *d, struct desk_req *r, struct desk_resp *o)
{
	struct desk_report_kept *k = &d->report_kept;
	struct tvars v = {0}, f[2];

	(void)r;
	memset(f, 0, sizeof(f));
	/* the report's language starts as the desk's */
	tv_text(&v, "lang_cy", strcmp(d->web.lang, "cy") == 0 ? "1" : "");
	/* two forms, one template: preview (HTML) and save (any format, a path) */
	tv_text(&f[0], "kind", "preview");
	tv_text(&f[0], "save", "");
	tv_text(&f[1], "kind", "save");
	tv_text(&f[1], "save", "1");
	for (size_t i = 0; i < 2; i++) {
		/* the refused form comes back as it was sent (escaped on output),
		 * the other empty */
		int kept = k->set && (size_t)(k->save ? 1 : 0) == i;
		struct tvars *t = &f[i];
		tv_text(t, "period", kept ? k->period : "");
		tv_text(t, "head", kept ? k->head : "");
		tv_text(t, "count", kept ? k->count : "");
		tv_text(t, "date", kept ? k->date : "");
		tv_text(t, "asof", kept ? k->asof : "");
		tv_text(t, "path", kept ? k->path : "");
		tv_text(t, "fmt_csv", kept && strcmp(k->format, "csv") == 0 ? "1" : "");
		tv_text(t, "fmt_json", kept && strcmp(k->format, "json") == 0 ? "1" : "");
		tv_text(t, "alone", kept && k->alone ? "1" : "");
		if (kept) /* else the desk's language, from the page's scope */
			tv_text(t, "lang_cy", strcmp(k->lang, "cy") == 0 ? "1" : "");
	}
	tv_list(&v, "forms", f, 2);
	desk_render(d, o, "report", "desk_report_title", &v);
	k->set = 0; /* given back once */
}

static void
keep_one(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= cap)
		n = 0;
	memcpy(dst, src && n ? src : "", n);
	dst[n] = '\0';
}

/* 1 when the form asks for this report's figures alone (`report --alone`) */
static int
alone_asked(struct desk_req *r)
{
	const char *v = desk_arg(r, "alone");

	return v != NULL && strcmp(v, "1") == 0;
}

/* Keeps what a refused form held for desk_page_report to give back. */
static void
keep_form(struct desk *d, struct desk_req *r, int save)
{
	struct desk_report_kept *k = &d->report_kept;

	memset(k, 0, sizeof(*k));
	k->set = 1;
	k->save = save;
	keep_one(k->period, sizeof(k->period), desk_arg(r, "period"));
	keep_one(k->format, sizeof(k->format), desk_arg(r, "format"));
	keep_one(k->lang, sizeof(k->lang), desk_arg(r, "lang"));
	keep_one(k->head, sizeof(k->head), desk_arg(r, "intake_head"));
	keep_one(k->count, sizeof(k->count), desk_arg(r, "intake_count"));
	keep_one(k->date, sizeof(k->date), desk_arg(r, "intake_date"));
	keep_one(k->asof, sizeof(k->asof), desk_arg(r, "as_of"));
	keep_one(k->path, sizeof(k->path), desk_arg(r, "path"));
	k->alone = alone_asked(r);
}

/* The report's own <style> is the only inline style it has: the preview's
 * policy allows exactly that text by its hash, nothing else. */
static int
preview_csp(struct desk_resp *o, const char *css)
{
	uint8_t h[crypto_hash_sha256_BYTES];
	char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];

	crypto_hash_sha256(h, (const uint8_t *)css, strlen(css));
	sodium_bin2base64(b64, sizeof(b64), h, sizeof(h), sodium_base64_VARIANT_ORIGINAL);
	return snprintf(o->csp, sizeof(o->csp),
		   "default-src 'none'; style-src 'sha256-%s'; form-action 'self';"
		   " frame-ancestors 'none'; base-uri 'none'",
		   b64) < (int)sizeof(o->csp)
		   ? 0
		   : -1;
}

/* The catalogue's line for each refusal of rp_opts_check, and for each
 * reason rp_make gives (the CLI says the same in English). */
static const char *const opt_key[] = {
    [RP_OPT_OK] = "desk_error",
    [RP_OPT_PERIOD] = "desk_report_bad_period",
    [RP_OPT_FORMAT] = "desk_report_bad_format",
    [RP_OPT_LANG] = "desk_report_bad_lang",
    [RP_OPT_THRESHOLD] = "desk_bad_form",
    [RP_OPT_HEAD_PAIR] = "desk_report_bad_head_pair",
    [RP_OPT_DATE] = "desk_report_bad_date",
    [RP_OPT_COUNT] = "desk_report_bad_count",
    [RP_OPT_HEAD] = "desk_report_bad_head",
    [RP_OPT_DATE_NEEDED] = "desk_report_date_needed",
    [RP_OPT_ASOF] = "desk_report_bad_asof",
    [RP_OPT_ASOF_FUTURE] = "desk_report_asof_future",
};
static const char *const fail_key[RP_FAIL_N] = {
    [RP_FAIL_OTHER] = "desk_report_failed",
    [RP_FAIL_NOT_BEGUN] = "desk_report_not_begun",
    [RP_FAIL_HEAD] = "desk_report_head_mismatch",
    [RP_FAIL_TOO_EARLY] = "desk_report_too_early",
    [RP_FAIL_READ] = "desk_report_cannot_read",
    [RP_FAIL_ASOF] = "desk_report_bad_asof",
    [RP_FAIL_DAMAGED] = "desk_report_damaged",
    [RP_FAIL_REFS] = "desk_report_refs_unreadable",
    [RP_FAIL_SDC] = "desk_report_sdc",
    [RP_FAIL_BUILD] = "desk_report_no_memory",
    [RP_FAIL_RENDER] = "desk_report_render",
    [RP_FAIL_THRESHOLD] = "desk_report_threshold",
    [RP_FAIL_PINS] = "desk_report_pins",
    [RP_FAIL_PINS_FIT] = "desk_report_pins",
    [RP_FAIL_PINS_MANY] = "desk_report_pins_many",
    [RP_FAIL_RECORD_BUSY] = "desk_report_record_busy",
    [RP_FAIL_RECORD_FULL] = "desk_report_record_full",
    [RP_FAIL_RECORD_RO] = "desk_report_record_ro",
    [RP_FAIL_RECORD] = "desk_report_record",
};

/* A form field, NULL when absent or left empty (an option not given). */
static const char *
opt_arg(struct desk_req *r, const char *name)
{
	const char *v = desk_arg(r, name);
	return v == NULL || v[0] == '\0' ? NULL : v;
}

void
desk_page_report_post(struct desk *d, struct desk_req *r, struct desk_resp *o)
{
	const char *kind = desk_arg(r, "kind"), *path = desk_arg(r, "path");
	struct rp_opts ro = {opt_arg(r, "period"), opt_arg(r, "format"), opt_arg(r, "lang"), NULL,
	    opt_arg(r, "intake_head"), opt_arg(r, "intake_count"), opt_arg(r, "intake_date"),
	    opt_arg(r, "as_of")};
	struct rp_period per;
	struct rp_web w;
	struct rp_make m;
	char why[RP_WHY_MAX], end[11], from[11];
	int save, e;

	memset(&w, 0, sizeof(w));
	memset(&m, 0, sizeof(m));
	if (kind == NULL || (strcmp(kind, "preview") != 0 && strcmp(kind, "save") != 0)) {
		desk_fail(d, o, 400, "desk_bad_form");
		return;
	}
	save = kind[0] == 's';
	if (!save)
		ro.format = NULL; /* a preview is the HTML report */
	/* the checks `report` makes of its flags, in the same function */
	if ((e = rp_opts_check(&ro, &per, &m.th, &m.count)) != RP_OPT_OK) {
		desk_flash(d, 1,
		    (size_t)e < sizeof(opt_key) / sizeof(opt_key[0]) ? opt_key[e] : "desk_error", NULL);
		goto back;
	}
	if (save && (path == NULL || strlen(path) == 0 || strlen(path) >= DESK_PATH_MAX ||
			!util_text_valid(path, strlen(path), 0))) {
		desk_flash(d, 1, "desk_bad_path", NULL);
		goto back;
	}
	/* where the file goes is checked before the report is built, as
	 * `report` checks --out (util_out_problem) */
	if (save && util_out_problem(path, 0) != NULL) {
		desk_flash(d, 1, "desk_report_path_unusable", path);
		goto back;
	}
	/* a period not yet ended is refused as `report` refuses it, by the same
	 * function (at the day the form gives, or today) */
	if ((e = rp_period_ended(&per, ro.asof, end, from)) != 0) {
		const char *args[] = {per.label, end, from};
		if (e < 0)
			desk_flash(d, 1, "desk_error", NULL);
		else
			desk_flash_fmt(d, 1, "desk_report_not_ended", args, 3);
		goto back;
	}
	/* the report's language, which need not be the desk's */
	if (rp_web_load(&w, d->web.dir, ro.lang, why, sizeof(why)) != 0) {
		desk_fail(d, o, 500, "desk_error");
		goto out;
	}
	const char *base = save ? strrchr(path, '/') : NULL;
	m.per = &per;
	m.web = d->web.dir;
	m.lang = ro.lang;
	m.format = ro.format;
	m.outname = !save ? "report.html" : base ? base + 1 : path;
	m.head = ro.head;
	m.date = ro.date;
	m.asof = ro.asof;
	m.alone = (uint8_t)alone_asked(r);
	if (rp_make(d->cb, &w, &m, why, sizeof(why)) != 0) {
		char key[16];

		/* the reason `report` prints, in the reviewer's language (until
		 * 2026-12-06 most reasons asked "has the period begun"); a
		 * table refused for the earlier reports, with its section and
		 * what to do */
		snprintf(key, sizeof(key), "rpt.s%u.title", (unsigned)m.section);
		if (m.fail == RP_FAIL_PINS_CUT || m.fail == RP_FAIL_PINS_CUT_NEW ||
		    m.fail == RP_FAIL_PINS_TABLE)
			desk_flash_fmt(d, 1, rp_refused_key(m.fail),
			    (const char *const[]){per.label, desk_t(d, key)}, 2);
		else
			desk_flash(d, 1,
			    (size_t)m.fail < RP_FAIL_N && fail_key[m.fail] ? fail_key[m.fail]
									   : "desk_report_failed",
			    per.label);
		goto back;
	}
	if (!save) {
		if (preview_csp(o, w.css) != 0) {
			desk_fail(d, o, 500, "desk_error");
			goto out;
		}
		o->status = 200;
		o->body = m.out;
		memset(&m.out, 0, sizeof(m.out));
		goto out;
	}
	if (rp_write_made(path, &m, d->cb, why, sizeof(why)) != 0)
		/* not recorded: why, as `report` says it (until 2026-12-06 "could
		 * not be written" whatever the cause); else the file's write */
		desk_flash(d, 1,
		    m.fail >= RP_FAIL_RECORD_BUSY && m.fail <= RP_FAIL_RECORD ? fail_key[m.fail]
									       : "desk_report_not_saved",
		    path);
	else
		desk_flash(d, 0, "desk_report_saved", path);
back:
	if (d->flash_bad) /* refused: the form comes back as sent */
		keep_form(d, r, save);
	desk_redirect(o, "/report");
out:
	rp_make_free(&m);
	rp_web_free(&w);
}
