/*
 * Page plumbing and the simple pages: the layout, error pages, home,
 * transparency, leave (a redirect off the site). Every page is a template from web/ rendered with
 * tmpl.c, so every dynamic string is escaped on one path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "intake/http.h"
#include "util/util.h"

/* Last resort when a template fails: still the security headers. */
static const char fallback[] =
    "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Error</title>"
    "<p>Something went wrong on our side. Nothing was stored. Please try again later.</p></html>";

size_t
page_padded_len(size_t len)
{
	size_t b = PAGE_PAD_MIN;

	if (len <= PAGE_PAD_MIN)
		return PAGE_PAD_MIN;
	while (b < len && b < PAGE_PAD_POW2_MAX)
		b <<= 1;
	if (len <= b)
		return b;
	return (size_t)cc_pad_chunks((len + PAGE_PAD_UNIT - 1) / PAGE_PAD_UNIT) * PAGE_PAD_UNIT;
}

/* Pads a rendered page to its length bucket with an HTML comment after
 * the document (a comment is allowed there): the length of a response
 * must not say whether the reporter answered "a child is at risk", nor
 * anything about the receipt its QR code encodes. */
static void
pad_page(struct tbuf *page)
{
	static const char open[] = "\n<!--", close[] = "-->\n";
	size_t want = page_padded_len(page->len + sizeof(open) - 1 + sizeof(close) - 1);
	size_t fill = want - page->len - (sizeof(open) - 1) - (sizeof(close) - 1);
	char spaces[256];

	memset(spaces, ' ', sizeof(spaces));
	tbuf_put(page, open, sizeof(open) - 1);
	for (; fill > 0 && !page->err; fill -= fill < sizeof(spaces) ? fill : sizeof(spaces))
		tbuf_put(page, spaces, fill < sizeof(spaces) ? fill : sizeof(spaces));
	tbuf_put(page, close, sizeof(close) - 1);
}

int
page_render(struct http_app *app, unsigned status, int t, struct tvars *v, const char *title_key,
    struct tbuf *page)
{
	struct tbuf body = {0};
	struct tvars lv = {.n = 0}, none = {.n = 0};
	char title[HTTP_TITLE_MAX], other[HTTP_TITLE_MAX];
	const char *base = http_view.base ? http_view.base : "", *path = http_view.path ? http_view.path : "/";
	const char *leave = http_view.leave_href ? http_view.leave_href : "/leave";
	int w, rc = -1;

	/* Every link and form action starts with base, so a visit stays in the
	 * language its URL chose; the other language's link keeps the page. */
	if (v == NULL)
		v = &none;
	tv_text(v, "base", base);
	tv_text(v, "leave_href", leave);
	int cur = web_lang_index(web_str(http_web(app), "lang"));
	const char *olang = web_langs[cur == 0 ? 1 : 0];
	if (snprintf(other, sizeof(other), "/%s%s", olang, path) >= (int)sizeof(other))
		goto out;
	tv_text(&lv, "base", base);
	/* The receipt page is shown once: a link to it in the other language
	 * would load an empty form and lose the receipt, so it has none (the
	 * page says why). */
	tv_text(&lv, "other_href", t == WT_CONFIRM ? "" : other);
	tv_text(&lv, "other_lang", olang);
	tv_text(&lv, "leave_href", leave);
	tv_text(&lv, "demo", app->demo ? "1" : "");
	if (tmpl_render(http_web(app)->tmpl[t], http_web(app)->tmpl_len[t], &http_web(app)->cat, v, &body) != 0)
		goto out;
	/* A form sent back with problems says so first in its title: that is
	 * what a screen reader announces when the page loads. */
	if (t != WT_ERROR &&
	    (status == 400 || status == 403 || status == 409 || status == 413 || status == 503))
		w = snprintf(title, sizeof(title), "%s %s", web_str(http_web(app), "error.prefix"),
		    web_str(http_web(app), title_key));
	else
		w = snprintf(title, sizeof(title), "%s", web_str(http_web(app), title_key));
	if (w < 0 || (size_t)w >= sizeof(title))
		goto out;
	tv_text(&lv, "title", title);
	tv_html(&lv, "body", &body);
	tv_text(&lv, "lang", web_str(http_web(app), "lang"));
	if (tmpl_render(http_web(app)->tmpl[WT_LAYOUT], http_web(app)->tmpl_len[WT_LAYOUT], &http_web(app)->cat,
		&lv, page) != 0)
		goto out;
	pad_page(page);
	rc = page->err ? -1 : 0;
out:
	tbuf_free(&body);
	return rc;
}

/* The last resort when a page fails to render: still base's headers. */
static int
send_fallback(struct MHD_Connection *c, const struct http_resp *base)
{
	struct http_resp rs = *base;

	rs.status = 500;
	rs.location = NULL;
	rs.cookie = NULL;
	rs.body = fallback;
	rs.len = sizeof(fallback) - 1;
	return http_send(c, &rs);
}

static int
send_page(struct http_app *app, struct MHD_Connection *c, const struct http_resp *base, int t,
    struct tvars *v, const char *title_key)
{
	struct tbuf page = {0};
	struct http_resp rs = *base;
	int ret;

	if (page_render(app, rs.status, t, v, title_key, &page) != 0) {
		tbuf_free(&page);
		return send_fallback(c, base);
	}
	rs.body = page.p;
	rs.len = page.len;
	ret = http_send(c, &rs);
	tbuf_free(&page);
	return ret;
}

int
page_send_rendered(struct http_app *app, struct MHD_Connection *c, struct http_resp *rs, int rc,
    struct tbuf *page, unsigned err)
{
	int ret;

	if (rc != 0) {
		tbuf_free(page);
		return page_error(app, c, err);
	}
	rs->body = page->p;
	rs->len = page->len;
	ret = http_send(c, rs);
	tbuf_free(page); /* wipes: it may hold a receipt or the reporter's text */
	return ret;
}

int
page_send_cached(struct http_app *app, struct MHD_Connection *c, int pc, const char *tok,
    int (*render)(struct http_app *, const char *tok, struct tbuf *page))
{
	struct tbuf page = {0};
	struct http_resp rs = {.status = 200};
	/* read before rendering: a reload during the render leaves an entry
	 * that the next visit renders again, never an old one kept as new */
	uint64_t gen = http_revs_gen(app);
	int ret;

	if (!pcache_get(app->pages, pc, http_view.view, gen, tok, &page)) {
		tbuf_free(&page);
		if (render(app, tok, &page) != 0) {
			tbuf_free(&page);
			return send_fallback(c, &rs);
		}
		(void)pcache_put(app->pages, pc, http_view.view, gen, &page, tok);
	}
	rs.body = page.p;
	rs.len = page.len;
	ret = http_send(c, &rs);
	tbuf_free(&page);
	return ret;
}

int
page_send(struct http_app *app, struct MHD_Connection *c, unsigned status, int t, struct tvars *v,
    const char *title_key, const char *cookie)
{
	struct http_resp rs = {.status = status, .cookie = cookie};
	return send_page(app, c, &rs, t, v, title_key);
}

int
page_error_allow(struct http_app *app, struct MHD_Connection *c, unsigned status, const char *allow)
{
	char tk[32], mk[32];
	struct tvars v = {.n = 0};
	struct http_resp rs = {.status = status, .allow = allow};

	switch (status) {
	case 400:
	case 403:
	case 404:
	case 405:
	case 413:
	case 415:
	case 503:
		break;
	default:
		rs.status = status = 500;
	}
	snprintf(tk, sizeof(tk), "err.%u.title", status);
	snprintf(mk, sizeof(mk), "err.%u.text", status);
	tv_text(&v, "heading", web_str(http_web(app), tk));
	tv_text(&v, "message", web_str(http_web(app), mk));
	return send_page(app, c, &rs, WT_ERROR, &v, tk);
}

int
page_error(struct http_app *app, struct MHD_Connection *c, unsigned status)
{
	return page_error_allow(app, c, status, NULL);
}

int
page_error_msg(struct http_app *app, struct MHD_Connection *c, unsigned status, const char *key)
{
	char tk[32];
	struct tvars v = {.n = 0};
	struct http_resp rs = {.status = status};

	snprintf(tk, sizeof(tk), "err.%u.title", status);
	tv_text(&v, "heading", web_str(http_web(app), tk));
	tv_text(&v, "message", web_str(http_web(app), key));
	return send_page(app, c, &rs, WT_ERROR, &v, tk);
}

void
page_csrf(struct http_app *app, struct tvars *v, char buf[CSRF_TOKEN_LEN + 1])
{
	csrf_make(app->csrf_key, http_now_s(), buf);
	tv_text(v, "csrf", buf);
}

int
page_commit(struct http_app *app, struct form *f, int kind, struct store_commit *sc)
{
	struct cc_recipient r[INTAKE_MAX_REVIEWERS];
	uint8_t *pt = NULL, link[CC_HASH_BYTES];
	size_t ptlen = 0, nr = form_recipients(f, r);
	uint64_t body, seq;
	int ret = -1, rc = 0;

	if (nr == 0 || form_encode(f, &pt, &ptlen) != 0 ||
	    (rc = upload_small(&f->up, app->store, kind, r, nr, pt, ptlen, &body)) != 0)
		goto out;
	sc->handles[0] = body;
	for (size_t i = 0; i < f->nfiles; i++)
		sc->handles[1 + i] = f->files[i].handle;
	sc->nhandles = (uint32_t)(1 + f->nfiles);
	if ((rc = storec_commit(app->store, sc, &seq, link)) != 0) {
		/* No answer to a commit: the store may have committed it and
		 * stopped before answering. The page must not say "nothing was
		 * stored". */
		if (rc == STORE_FAIL_IO)
			f->refuse = FORM_REFUSE_UNSURE;
		(void)storec_upload_drop(app->store, body);
		goto out;
	}
	f->nfiles = 0; /* committed: nothing left to drop */
	ret = 0;
out:
	if (rc == STORE_FAIL_FULL)
		f->refuse = FORM_REFUSE_FULL; /* the page says the intake is full */
	if (pt != NULL)
		cc_free_wipe(pt, ptlen);
	return ret;
}

int
page_home_render(struct http_app *app, const char *tok, struct tbuf *page)
{
	char n[16];
	struct tvars v = {.n = 0};
	struct revset *rs = malloc(sizeof(*rs));
	(void)tok; /* the home page has no form */

	if (rs == NULL)
		return -1;
	http_revs_get(app, rs);
	snprintf(n, sizeof(n), "%zu", rs->n);
	free(rs);
	tv_text(&v, "nreviewers", n);
	if (app->onion != NULL && app->onion[0] != '\0')
		tv_text(&v, "onion", app->onion);
	return page_render(app, 200, WT_HOME, &v, "home.title", page);
}

int
page_home(struct http_app *app, struct MHD_Connection *c)
{
	return page_send_cached(app, c, PC_HOME, NULL, page_home_render);
}

int
page_transparency(struct http_app *app, struct MHD_Connection *c)
{
	uint64_t count;
	uint8_t head[CC_HASH_BYTES];
	char n[24], hh[2 * CC_HASH_BYTES + 1], date[11];
	struct tvars v = {.n = 0};

	/* as of the end of yesterday (UTC), not live: see do_published */
	if (storec_published(app->store, &count, head, date) != 0)
		return page_error(app, c, 503);
	snprintf(n, sizeof(n), "%llu", (unsigned long long)count);
	util_hex(head, sizeof(head), hh);
	tv_text(&v, "count", n);
	tv_text(&v, "head", hh);
	tv_text(&v, "date", date);
	tv_text(&v, "full", storec_full(app->store) == 1 ? "1" : "");
	return page_send(app, c, 200, WT_TRANSPARENCY, &v, "transparency.title", NULL);
}

int
page_leave(struct http_app *app, struct MHD_Connection *c)
{
	const char *id = http_cookie(c);
	char cookie[128];

	if (id != NULL)
		session_drop(app->sessions, id, strlen(id));
	snprintf(cookie, sizeof(cookie), "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s",
	    HTTP_COOKIE, app->tls ? "; Secure" : "");
	/* Off this site, to a page that says nothing about it; the response's
	 * Referrer-Policy keeps this address from the next site. */
	struct http_resp rs = {.status = 303,
	    .location = app->leave_url ? app->leave_url : HTTP_LEAVE_URL_DEFAULT,
	    .cookie = cookie};
	return http_send(c, &rs);
}
