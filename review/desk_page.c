/* Pages inside the desk's layout, refusals, redirects and the one-time
 * message an action leaves for the next page. */
#include <stdlib.h>
#include <string.h>

#include "review/desk.h"

/* Takes c (malloc'd, len bytes wiped when freed) into the arena. */
static void *
arena_push(struct desk_arena *a, char *c, size_t len)
{
	if (c == NULL || a->err) {
		free(c);
		a->err = 1;
		return NULL;
	}
	if (a->n == a->cap) {
		size_t nc = a->cap ? 2 * a->cap : 64;
		char **np = realloc(a->p, nc * sizeof(*np));
		size_t *nl = np ? realloc(a->len, nc * sizeof(*nl)) : NULL;
		if (np != NULL)
			a->p = np;
		if (nl == NULL) {
			free(c);
			a->err = 1;
			return NULL;
		}
		a->len = nl;
		a->cap = nc;
	}
	a->p[a->n] = c;
	a->len[a->n++] = len;
	return c;
}

const char *
desk_keep(struct desk_arena *a, const char *s, size_t len)
{
	char *c = a->err ? NULL : malloc(len + 1);

	if (c != NULL) {
		memcpy(c, s, len);
		c[len] = '\0';
	}
	c = arena_push(a, c, len + 1);
	return c != NULL ? c : "";
}

void *
desk_alloc(struct desk_arena *a, size_t n)
{
	return n == 0 ? NULL : arena_push(a, a->err ? NULL : calloc(1, n), n);
}

struct tvars *
desk_vl_add(struct desk_arena *a, struct desk_vlist *l)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? 2 * l->cap : 8;
		struct tvars *nv = desk_alloc(a, nc * sizeof(*nv));
		if (nv == NULL)
			return NULL;
		if (l->n > 0)
			memcpy(nv, l->v, l->n * sizeof(*nv));
		l->v = nv; /* the old block stays in the arena until the page ends */
		l->cap = nc;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

void
desk_arena_free(struct desk_arena *a)
{
	for (size_t i = 0; i < a->n; i++) {
		sodium_memzero(a->p[i], a->len[i]); /* len counts the NUL of desk_keep */
		free(a->p[i]);
	}
	free(a->p);
	free(a->len);
	memset(a, 0, sizeof(*a));
}

const char *
desk_t(const struct desk *d, const char *key)
{
	const char *s = catalogue_get(d->web.cat, key);
	return s != NULL ? s : key;
}

void
desk_redirect(struct desk_resp *o, const char *path)
{
	o->status = 303;
	if (path[0] != '/' || path[1] == '/' ||
	    snprintf(o->location, sizeof(o->location), "%s", path) >= (int)sizeof(o->location))
		snprintf(o->location, sizeof(o->location), "/");
}

void
desk_flash(struct desk *d, int bad, const char *key, const char *arg)
{
	snprintf(d->flash, sizeof(d->flash), "%s", key);
	snprintf(d->flash_arg, sizeof(d->flash_arg), "%s", arg ? arg : "");
	d->flash_text[0] = '\0';
	d->flash_bad = bad;
}

void
desk_flash_fmt(struct desk *d, int bad, const char *key, const char *const *args, size_t n)
{
	const char *s = desk_t(d, key);
	size_t o = 0, cap = sizeof(d->flash_text);

	desk_flash(d, bad, key, NULL);
	/* plain text: the page escapes it; a {N} with no arg stays as it is */
	while (*s != '\0' && o + 1 < cap) {
		size_t k;
		if (s[0] == '{' && s[1] >= '1' && s[1] <= '4' && s[2] == '}' &&
		    (k = (size_t)(s[1] - '1')) < n && args[k] != NULL) {
			int w = snprintf(d->flash_text + o, cap - o, "%s", args[k]);
			o = w < 0 ? o : (size_t)w >= cap - o ? cap - 1 : o + (size_t)w;
			s += 3;
			continue;
		}
		d->flash_text[o++] = *s++;
	}
	d->flash_text[o] = '\0';
}

/* Loads web/desk/NAME.html and renders it with vars into out. */
static int
render_file(struct desk *d, const char *name, const struct tvars *vars, struct tbuf *out)
{
	char rel[64], *t = NULL;
	size_t len;
	int rc;

	if (snprintf(rel, sizeof(rel), "desk/%s.html", name) >= (int)sizeof(rel) ||
	    tmpl_load_file(d->web.dir, rel, &t, &len) != 0)
		return -1;
	rc = tmpl_render(t, len, d->web.cat, vars, out);
	free(t);
	return rc;
}

int
desk_render(struct desk *d, struct desk_resp *o, const char *name, const char *title_key,
    struct tvars *vars)
{
	struct tbuf body = {0};
	struct tvars *lay = calloc(1, sizeof(*lay));
	char csrf[DESK_HEX_CHARS + 1];
	int rc = -1;

	if (lay == NULL)
		goto out;
	desk_auth_csrf_hex(&d->auth, csrf);
	tv_text(vars, "csrf", csrf);
	if (d->flash[0] != '\0') {
		tv_text(vars, "flash", d->flash_text[0] ? d->flash_text : desk_t(d, d->flash));
		tv_text(vars, "flash_arg", d->flash_arg);
		tv_text(vars, "flash_bad", d->flash_bad ? "1" : "");
		d->flash[0] = '\0';
	} else {
		tv_text(vars, "flash", "");
		tv_text(vars, "flash_arg", "");
		tv_text(vars, "flash_bad", "");
	}
	if (vars->err || render_file(d, name, vars, &body) != 0 || body.err)
		goto out;
	tv_text(lay, "lang", d->web.lang);
	tv_text(lay, "title", desk_t(d, title_key));
	tv_text(lay, "csrf", csrf);
	tv_text(lay, "unlocked", d->cb != NULL ? "1" : "");
	tv_text(lay, "reviewer", d->cb != NULL ? cb_reviewer(d->cb) : "");
	tv_html(lay, "body", &body);
	if (lay->err || render_file(d, "layout", lay, &o->body) != 0)
		goto out;
	o->ctype = "text/html; charset=utf-8";
	rc = 0;
out:
	if (rc != 0) {
		tbuf_free(&o->body);
		memset(&o->body, 0, sizeof(o->body));
		o->body.err = 1; /* the server answers 500 */
	}
	sodium_memzero(csrf, sizeof(csrf));
	tbuf_free(&body);
	free(lay);
	return rc;
}

void
desk_fail(struct desk *d, struct desk_resp *o, unsigned status, const char *key)
{
	struct tvars v = {0};
	char code[8];

	o->status = status;
	snprintf(code, sizeof(code), "%u", status);
	tv_text(&v, "message", desk_t(d, key));
	tv_text(&v, "code", code);
	/* a refused request gets no form token: it is not the session's */
	if (status == 403 || status == 400 || status == 413) {
		struct tbuf body = {0};
		o->ctype = "text/html; charset=utf-8";
		tv_text(&v, "lang", d->web.lang);
		if (render_file(d, "refused", &v, &body) != 0 || body.err) {
			tbuf_free(&body);
			o->body.err = 1;
			return;
		}
		tbuf_put(&o->body, body.p, body.len);
		tbuf_free(&body);
		return;
	}
	desk_render(d, o, "message", key, &v);
}
