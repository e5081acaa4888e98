/*
 * Page renderer: a growing buffer, the one HTML-escaping path, and a small
 * mustache-like template language (syntax in tmpl/tmpl.h). Templates are data
 * from web/; everything a person typed reaches a page through tbuf_esc.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium/utils.h>

#include "tmpl/tmpl.h"

void
tbuf_put(struct tbuf *b, const char *s, size_t len)
{
	if (b->err)
		return;
	if (len > TMPL_OUT_MAX - b->len) {
		b->err = 1;
		return;
	}
	if (b->len + len + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 4096;
		while (ncap < b->len + len + 1)
			ncap *= 2;
		char *np = malloc(ncap);
		if (np == NULL) {
			b->err = 1;
			return;
		}
		if (b->p != NULL) {
			memcpy(np, b->p, b->len);
			sodium_memzero(b->p, b->cap);
			free(b->p);
		}
		b->p = np;
		b->cap = ncap;
	}
	/* an empty piece may come with a NULL pointer (a report's state with
	 * no cells): memcpy's arguments must be valid even for no bytes */
	if (len > 0)
		memcpy(b->p + b->len, s, len);
	b->len += len;
	b->p[b->len] = '\0';
}

void
tbuf_puts(struct tbuf *b, const char *s)
{
	tbuf_put(b, s, strlen(s));
}

void
tbuf_esc(struct tbuf *b, const char *s, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		case '\0':
			rep = "&#xFFFD;";
			break;
		default:
			continue;
		}
		tbuf_put(b, s + start, i - start);
		tbuf_puts(b, rep);
		start = i + 1;
	}
	tbuf_put(b, s + start, len - start);
}

void
tbuf_free(struct tbuf *b)
{
	if (b->p != NULL) {
		sodium_memzero(b->p, b->cap);
		free(b->p);
	}
	memset(b, 0, sizeof(*b));
}

/* ---- variables ------------------------------------------------------- */

static struct tvar *
tv_add(struct tvars *v, const char *name, int type)
{
	if (v->n >= TMPL_VARS_MAX) {
		v->err = 1;
		return NULL;
	}
	struct tvar *t = &v->v[v->n++];
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->type = type;
	return t;
}

void
tv_textn(struct tvars *v, const char *name, const char *s, size_t len)
{
	struct tvar *t = tv_add(v, name, TV_TEXT);
	if (t != NULL) {
		t->s = s ? s : "";
		t->len = s ? len : 0;
	}
}

void
tv_text(struct tvars *v, const char *name, const char *s)
{
	tv_textn(v, name, s, s ? strlen(s) : 0);
}

void
tv_html(struct tvars *v, const char *name, const struct tbuf *html)
{
	struct tvar *t = tv_add(v, name, TV_HTML);
	if (t == NULL)
		return;
	if (html->err) {
		v->err = 1;
		return;
	}
	t->s = html->p ? html->p : "";
	t->len = html->len;
}

void
tv_list(struct tvars *v, const char *name, const struct tvars *items, size_t n)
{
	struct tvar *t = tv_add(v, name, TV_LIST);
	if (t != NULL) {
		t->items = items;
		t->nitems = n;
	}
}

static const struct tvar *
tv_find(const struct tvars *v, const char *name, size_t nlen)
{
	for (; v != NULL; v = v->parent)
		for (size_t i = v->n; i-- > 0;)
			if (strlen(v->v[i].name) == nlen && memcmp(v->v[i].name, name, nlen) == 0)
				return &v->v[i];
	return NULL;
}

/* ---- renderer -------------------------------------------------------- */

struct tctx {
	const char *t;
	size_t len;
	const struct catalogue *cat;
	struct tbuf *out;
};

/* Position just after the {{/name}} that closes the section opened at
 * pos (which points after its opening tag), honouring nesting. */
static int
section_end(const struct tctx *c, size_t pos, const char *name, size_t nlen, size_t *body_end,
    size_t *after)
{
	int depth = 0;
	while (pos + 1 < c->len) {
		const char *o = memmem(c->t + pos, c->len - pos, "{{", 2);
		if (o == NULL)
			return -1;
		size_t p = (size_t)(o - c->t) + 2;
		const char *e = memmem(c->t + p, c->len - p, "}}", 2);
		if (e == NULL)
			return -1;
		size_t q = (size_t)(e - c->t);
		char k = c->t[p];
		if ((k == '#' || k == '^') && q - p - 1 == nlen &&
		    memcmp(c->t + p + 1, name, nlen) == 0)
			depth++;
		else if (k == '/' && q - p - 1 == nlen && memcmp(c->t + p + 1, name, nlen) == 0) {
			if (depth == 0) {
				*body_end = p - 2;
				*after = q + 2;
				return 0;
			}
			depth--;
		}
		pos = q + 2;
	}
	return -1;
}

static int render(const struct tctx *c, size_t from, size_t to, const struct tvars *v, int depth);

static int
truthy(const struct tvar *t)
{
	if (t == NULL)
		return 0;
	if (t->type == TV_LIST)
		return t->nitems > 0;
	return t->len > 0 && !(t->len == 1 && t->s[0] == '0');
}

static int
render(const struct tctx *c, size_t from, size_t to, const struct tvars *v, int depth)
{
	size_t pos = from;

	if (depth > TMPL_DEPTH_MAX)
		return -1;
	while (pos < to) {
		const char *o = memmem(c->t + pos, to - pos, "{{", 2);
		if (o == NULL) {
			tbuf_put(c->out, c->t + pos, to - pos);
			break;
		}
		size_t p = (size_t)(o - c->t);
		tbuf_put(c->out, c->t + pos, p - pos);
		p += 2;
		const char *e = memmem(c->t + p, to - p, "}}", 2);
		if (e == NULL)
			return -1;
		size_t q = (size_t)(e - c->t);
		const char *tag = c->t + p;
		size_t tlen = q - p;
		if (tlen == 0)
			return -1;
		pos = q + 2;
		if (tag[0] == '#' || tag[0] == '^') {
			size_t body_end, after;
			if (tlen < 2 ||
			    section_end(c, pos, tag + 1, tlen - 1, &body_end, &after) != 0 ||
			    after > to)
				return -1;
			const struct tvar *t = tv_find(v, tag + 1, tlen - 1);
			if (tag[0] == '#' && t != NULL && t->type == TV_LIST) {
				for (size_t i = 0; i < t->nitems; i++) {
					struct tvars item = t->items[i];
					item.parent = v;
					if (render(c, pos, body_end, &item, depth + 1) != 0)
						return -1;
				}
			} else if ((tag[0] == '#') == (truthy(t) != 0)) {
				if (render(c, pos, body_end, v, depth + 1) != 0)
					return -1;
			}
			pos = after;
		} else if (tag[0] == '/') {
			return -1; /* a close without its open */
		} else if (tag[0] == '&') {
			const struct tvar *t = tv_find(v, tag + 1, tlen - 1);
			if (t == NULL || t->type != TV_HTML)
				return -1;
			tbuf_put(c->out, t->s, t->len);
		} else if (tlen > 2 && tag[0] == 't' && tag[1] == '.') {
			char key[128];
			if (tlen - 2 >= sizeof(key) || c->cat == NULL)
				return -1;
			memcpy(key, tag + 2, tlen - 2);
			key[tlen - 2] = '\0';
			const char *s = catalogue_get(c->cat, key);
			if (s == NULL)
				return -1;
			tbuf_esc(c->out, s, strlen(s));
		} else {
			const struct tvar *t = tv_find(v, tag, tlen);
			if (t == NULL || t->type != TV_TEXT)
				return -1;
			tbuf_esc(c->out, t->s, t->len);
		}
	}
	return c->out->err ? -1 : 0;
}

int
tmpl_render(const char *tmpl, size_t len, const struct catalogue *cat, const struct tvars *v,
    struct tbuf *out)
{
	struct tctx c = {tmpl, len, cat, out};
	struct tvars empty = {.n = 0};

	if (v == NULL)
		v = &empty;
	if (v->err)
		return -1;
	for (const struct tvars *p = v; p != NULL; p = p->parent)
		if (p->err)
			return -1;
	return render(&c, 0, len, v, 0);
}
