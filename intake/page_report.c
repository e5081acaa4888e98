/*
 * The report form and its submission: validate, seal the concern to the
 * chosen reviewers, derive the receipt under the KDF gate, commit at the
 * store, and only then show the receipt. Any failure shows no receipt and
 * drops every upload of the request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>
#include <sodium/utils.h>

#include "intake/http.h"
#include "util/util.h"

struct errmap {
	unsigned bit;
	const char *key; /* variable err_KEY and catalogue err.KEY */
};
static const struct errmap errmap[] = {
    {FE_CSRF, "csrf"},
    {FE_CATEGORY, "category"},
    {FE_TEAM, "team"},
    {FE_WHAT, "what"},
    {FE_WHEN, "when"},
    {FE_REFS, "refs"},
    {FE_RISK, "risk"},
    {FE_RAISED, "raised"},
    {FE_RAISED_WITH, "raised_with"},
    {FE_READERS, "readers"},
    {FE_FILES, "files"},
    {FE_RECEIPT, "receipt"},
    {FE_TEXT, "text"},
};

void
page_errors(
    struct http_app *app, struct tvars *v, unsigned errors, struct tvars *items, char names[][32])
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof(errmap) / sizeof(errmap[0]); i++) {
		if (!(errors & errmap[i].bit))
			continue;
		char key[48];
		snprintf(names[n], 32, "err_%s", errmap[i].key);
		snprintf(key, sizeof(key), "err.%s", errmap[i].key);
		const char *msg = web_str(http_web(app), key);
		tv_text(v, names[n], msg);
		items[n].n = 0;
		tv_text(&items[n], "msg", msg);
		n++;
	}
	tv_list(v, "errors", items, n);
	tv_text(v, "has_errors", n ? "1" : "");
}

static const char *
val(const struct form_text *t)
{
	return t->p ? t->p : "";
}

/* 1 when the reporter's form f chose key id kid. */
static int
chosen(const struct form *f, const uint8_t kid[CC_KEYID_BYTES])
{
	for (size_t i = 0; i < f->nchosen; i++)
		if (sodium_memcmp(f->chosen[i].keyid, kid, CC_KEYID_BYTES) == 0)
			return 1;
	return 0;
}

void
page_reviewers(struct http_app *app, struct tvars *v, struct page_revs *pr, const struct form *f)
{
	const struct revset *rs = &pr->rs;

	http_revs_get(app, &pr->rs);
	for (size_t i = 0; i < rs->n; i++) {
		const struct cc_pubkey *k = &rs->k[i];
		util_hex(k->keyid, CC_KEYID_BYTES, pr->kid[i]);
		cc_fingerprint(k, pr->fpr[i]);
		pr->items[i].n = 0;
		tv_text(&pr->items[i], "keyid", pr->kid[i]);
		tv_text(&pr->items[i], "name", k->name);
		tv_text(&pr->items[i], "role", k->role); /* escaped by the template */
		tv_text(&pr->items[i], "fpr", pr->fpr[i]);
		tv_text(&pr->items[i], "checked", f == NULL || chosen(f, k->keyid) ? "1" : "");
	}
	tv_list(v, "reviewers", pr->items, rs->n);
	/* with one reviewer there is nothing to choose */
	tv_text(v, "can_choose", rs->n >= 2 ? "1" : "");
	tv_text(v, "one_reviewer", rs->n == 1 ? "1" : "");
}

/* The form, empty (f NULL) or with the reporter's input and errors, with
 * the anti-forgery token tok, rendered into page. 0 or -1. */
static int
report_render(
    struct http_app *app, const struct form *f, unsigned status, const char *tok, struct tbuf *page)
{
	struct tvars *v = calloc(1, sizeof(*v));
	struct tvars *cats = calloc(WEB_CATEGORIES_MAX, sizeof(*cats));
	struct page_revs *revs = calloc(1, sizeof(*revs));
	struct tvars *errs = calloc(16, sizeof(*errs));
	char(*ckeys)[80] = calloc(WEB_CATEGORIES_MAX, 80);
	char names[16][32], limit[512];
	char over[FORM_FILENAME_MAX + 512];
	int ret = -1;

	if (!v || !cats || !revs || !errs || !ckeys)
		goto out;
	tv_text(v, "csrf", tok);
	for (size_t i = 0; i < http_web(app)->ncategories; i++) {
		const char *slug = http_web(app)->categories[i];
		snprintf(ckeys[i], 80, "cat.%s", slug);
		tv_text(&cats[i], "slug", slug);
		tv_text(&cats[i], "label", web_str(http_web(app), ckeys[i]));
		tv_text(&cats[i], "selected",
		    f && f->category.p && strcmp(f->category.p, slug) == 0 ? "1" : "");
	}
	tv_list(v, "categories", cats, http_web(app)->ncategories);
	page_reviewers(app, v, revs, f);
	tv_text(v, "team", f ? val(&f->team) : "");
	tv_text(v, "what", f ? val(&f->what) : "");
	tv_text(v, "when", f ? val(&f->when) : "");
	tv_text(v, "refs", f ? val(&f->refs) : "");
	tv_text(v, "raised_with", f ? val(&f->raised_with) : "");
	tv_text(v, "risk_yes", f && f->risk.p && strcmp(f->risk.p, "yes") == 0 ? "1" : "");
	tv_text(v, "risk_no", f && f->risk.p && strcmp(f->risk.p, "no") == 0 ? "1" : "");
	tv_text(v, "raised_yes", f && f->raised.p && strcmp(f->raised.p, "yes") == 0 ? "1" : "");
	tv_text(v, "raised_no", f && f->raised.p && strcmp(f->raised.p, "no") == 0 ? "1" : "");
	/* The form only comes back unstored, so any file chosen was not kept;
	 * with none chosen, asking for them again would only confuse. */
	tv_text(v, "files_again", f && f->files_chosen ? "1" : "");
	/* The largest request, from the limit itself, before anyone picks a
	 * video too large to send. */
	page_files_max(app, v, limit, sizeof(limit));
	/* 413: the files were too large or too many and dropped; 503:
	 * nothing was kept.
	 * Either way the reporter's text is all here. */
	if (status == 413 && f != NULL)
		page_over_text(app, f, over, sizeof(over));
	tv_text(v, "busy",
	    status == 413 && f != NULL		 ? over
	    : status != 503			 ? ""
	    : f && f->refuse == FORM_REFUSE_FULL ? web_str(http_web(app), "report.full")
	    : f && f->refuse == FORM_REFUSE_UNSURE ? web_str(http_web(app), "report.maybe_stored")
						 : web_str(http_web(app), "report.busy"));
	page_errors(app, v, f ? f->errors : 0, errs, names);
	ret = page_render(app, status, WT_REPORT, v, "report.title", page);
out:
	free(v);
	free(cats);
	free(revs);
	free(errs);
	free(ckeys);
	return ret;
}

/* The form with the reporter's input and errors, a fresh token. */
static int
report_form(struct http_app *app, struct MHD_Connection *c, struct form *f, unsigned status)
{
	struct tbuf page = {0};
	struct http_resp rs = {.status = status};
	char tok[CSRF_TOKEN_LEN + 1];

	csrf_make(app->csrf_key, http_now_s(), tok);
	return page_send_rendered(
	    app, c, &rs, report_render(app, f, status, tok, &page), &page, 503);
}

int
page_report_empty_render(struct http_app *app, const char *tok, struct tbuf *page)
{
	return report_render(app, NULL, 200, tok, page);
}

/* The empty form is the same for everyone but its token: kept rendered,
 * each copy with the token made for this request. */
int
page_report_form(struct http_app *app, struct MHD_Connection *c)
{
	char tok[CSRF_TOKEN_LEN + 1];

	csrf_make(app->csrf_key, http_now_s(), tok);
	return page_send_cached(app, c, PC_REPORT, tok, page_report_empty_render);
}

int
page_confirm_render(
    struct http_app *app, const char *grouped, int risk, const struct form *f, struct tbuf *page)
{
	struct tvars v = {.n = 0};
	struct tbuf qr = {0};
	struct page_files *pf = calloc(1, sizeof(*pf));
	char *uri = NULL;
	size_t urilen;
	int ret;

	/* A PNG, not SVG: Tor Browser's "Safest" level blocks SVG. */
	if (pf == NULL || qr_png_uri(grouped, &uri, &urilen) != 0) {
		free(pf);
		return -1;
	}
	tbuf_put(&qr, uri, urilen); /* base64 and "data:image/png;base64,": nothing to escape */
	cc_free_wipe(uri, urilen); /* the QR code is the receipt */
	tv_text(&v, "receipt", grouped);
	tv_html(&v, "qr", &qr);
	tv_text(&v, "risk", risk ? "1" : "");
	if (f != NULL)
		page_files(app, &v, f, pf);
	ret = page_render(app, 200, WT_CONFIRM, &v, "confirm.title", page);
	tbuf_free(&qr);
	free(pf);
	return ret;
}

/* The receipt page, once the record is durable. */
static int
confirm(struct http_app *app, struct MHD_Connection *c, const char *grouped, int risk,
    const struct form *f)
{
	struct tbuf page = {0};
	struct http_resp rs = {.status = 200, .csp = http_csp_receipt}; /* img-src data: */

	/* the page holds the receipt: page_send_rendered wipes it */
	return page_send_rendered(
	    app, c, &rs, page_confirm_render(app, grouped, risk, f, &page), &page, 500);
}

int
page_report_submit(
    struct http_app *app, struct MHD_Connection *c, struct form *f, struct kdf_job **jobp)
{
	struct store_commit *sc = NULL;
	struct kdf_job *j = *jobp;
	char grouped[CC_RCPT_GROUPED + 1];
	int ret;

	if (j == NULL) {
		/* Over --max-upload or too many files: every file was dropped;
		 * the text goes back with the limit (and the file too large). */
		if (form_too_much(f)) {
			form_abort(f);
			return report_form(app, c, f, 413);
		}
		/* First call: check, then queue the receipt's derivation. */
		if (form_validate(f, http_web(app)) != 0) {
			form_abort(f); /* files cannot come back in a page: drop them */
			return report_form(app, c, f, f->errors == FE_CSRF ? 403 : 400);
		}
		if (f->refuse || !bucket_take(&app->budget, mono_ms()) ||
		    (j = http_job_get()) == NULL) {
			form_refuse(f, FORM_REFUSE_BUSY);
			return report_form(app, c, f, 503);
		}
		memset(j, 0, sizeof(*j));
		j->lane = KDF_NEW;
		*jobp = j;
		return http_kdf_queue(app, c, j) == 0 ? MHD_YES : MHD_NO;
	}
	if (j->result == KDF_PENDING)
		return MHD_YES; /* not resumed by the worker: cannot happen */
	if (j->result != KDF_OK || (sc = calloc(1, sizeof(*sc))) == NULL) {
		form_refuse(f, FORM_REFUSE_BUSY);
		ret = report_form(app, c, f, 503); /* the text back: nothing lost */
		goto out;
	}
	memcpy(sc->lookup, j->lookup, CC_HASH_BYTES);
	memcpy(sc->reporter_pk, j->key.pk, CC_BOX_PK);
	sc->rcpt_ops = app->rparams.opslimit;
	sc->rcpt_mem = app->rparams.memlimit;
	if (page_commit(app, f, CC_KIND_CONCERN, sc) != 0) {
		/* no receipt: nothing was kept; the form with the text instead */
		form_refuse(f, f->refuse ? f->refuse : FORM_REFUSE_BUSY);
		ret = report_form(app, c, f, 503);
		goto out;
	}
	cc_rcpt_group(j->canon, grouped);
	ret = confirm(app, c, grouped, f->risk.p && strcmp(f->risk.p, "yes") == 0, f);
out:
	free(sc);
	sodium_memzero(grouped, sizeof(grouped));
	return ret;
}
