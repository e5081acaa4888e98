/*
 * The governance report on the desk: a period chosen in a form, previewed
 * (the HTML report itself, as `report` writes it) or saved to a path with
 * its minisign signature beside it. Both go through rp_web_load / rp_make
 * / rp_write_signed, the functions `candour-review report` calls.
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
	struct tvars v = {0};

	(void)r;
	desk_render(d, o, "report", "desk_report_title", &v);
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

void
desk_page_report_post(struct desk *d, struct desk_req *r, struct desk_resp *o)
{
	const char *kind = desk_arg(r, "kind"), *period = desk_arg(r, "period");
	const char *path = desk_arg(r, "path"), *format = desk_arg(r, "format");
	struct rp_period per;
	struct rp_web w;
	struct rp_make m;
	char why[RP_WHY_MAX];
	int save;

	memset(&w, 0, sizeof(w));
	memset(&m, 0, sizeof(m));
	if (kind == NULL || (strcmp(kind, "preview") != 0 && strcmp(kind, "save") != 0)) {
		desk_fail(d, o, 400, "desk_bad_form");
		return;
	}
	save = kind[0] == 's';
	if (format == NULL || !save)
		format = "html";
	if (period == NULL || rp_period_parse(period, &per) != 0) {
		desk_flash(d, 1, "desk_report_bad_period", NULL);
		goto back;
	}
	if (strcmp(format, "html") != 0 && strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0) {
		desk_fail(d, o, 400, "desk_bad_form");
		return;
	}
	if (save && (path == NULL || strlen(path) == 0 || strlen(path) >= DESK_PATH_MAX ||
			!util_text_valid(path, strlen(path), 0))) {
		desk_flash(d, 1, "desk_bad_path", NULL);
		goto back;
	}
	if (rp_web_load(&w, d->web.dir, d->web.lang, why, sizeof(why)) != 0) {
		desk_fail(d, o, 500, "desk_error");
		goto out;
	}
	const char *base = save ? strrchr(path, '/') : NULL;
	m.per = &per;
	m.web = d->web.dir;
	m.lang = d->web.lang;
	m.format = format;
	m.outname = !save ? "report.html" : base ? base + 1 : path;
	m.th = SDC_THRESHOLD_DEFAULT;
	/* the casebook's reasons are the CLI's English: the page says the
	 * report was not made, for which period */
	if (rp_make(d->cb, &w, &m, why, sizeof(why)) != 0) {
		desk_flash(d, 1, "desk_report_failed", per.label);
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
	if (rp_write_signed(path, &m.out, d->cb, per.label, m.produced, why, sizeof(why)) != 0)
		desk_flash(d, 1, "desk_report_not_saved", path);
	else
		desk_flash(d, 0, "desk_report_saved", path);
back:
	desk_redirect(o, "/report");
out:
	tbuf_free(&m.out);
	rp_web_free(&w);
}
