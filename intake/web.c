/*
 * The web/ data the http process serves: templates, the stylesheet, the
 * string catalogue of one language and the category list. Read once by
 * the parent before any fork; the http process never opens a file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/http.h"
#include "util/util.h"

static const char *const tmpl_names[WT_COUNT] = {
    [WT_LAYOUT] = "layout",
    [WT_HOME] = "home",
    [WT_REPORT] = "report",
    [WT_CONFIRM] = "confirm",
    [WT_ENTER] = "enter",
    [WT_FOLLOWUP] = "followup",
    [WT_SENT] = "sent",
    [WT_LEAVE] = "leave",
    [WT_TRANSPARENCY] = "transparency",
    [WT_ERROR] = "error",
};

static char *
trim(char *s, char **end)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	*e = '\0';
	if (end)
		*end = e;
	return s;
}

int
catalogue_parse(const char *text, size_t len, struct catalogue *c)
{
	char *copy = NULL, *line, *save = NULL;

	memset(c, 0, sizeof(*c));
	if (!util_text_valid(text, len, 1))
		return -1;
	if ((copy = malloc(len + 1)) == NULL)
		return -1;
	memcpy(copy, text, len);
	copy[len] = '\0';
	for (line = strtok_r(copy, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *l = trim(line, NULL);
		if (*l == '\0' || *l == '#')
			continue;
		char *eq = strchr(l, '=');
		if (eq == NULL || c->n >= WEB_CATALOGUE_MAX)
			goto fail;
		*eq = '\0';
		char *k = trim(l, NULL), *v = trim(eq + 1, NULL);
		if (*k == '\0' || strlen(k) > 100 || catalogue_get(c, k) != NULL)
			goto fail;
		for (const char *p = k; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
				*p == '_' || *p == '-'))
				goto fail;
		c->e[c->n].key = strdup(k);
		c->e[c->n].val = strdup(v);
		if (c->e[c->n].key == NULL || c->e[c->n].val == NULL) {
			free(c->e[c->n].key);
			free(c->e[c->n].val);
			goto fail;
		}
		c->n++;
	}
	free(copy);
	return 0;
fail:
	free(copy);
	catalogue_free(c);
	return -1;
}

const char *
catalogue_get(const struct catalogue *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->e[i].key, key) == 0)
			return c->e[i].val;
	return NULL;
}

void
catalogue_free(struct catalogue *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->e[i].key);
		free(c->e[i].val);
	}
	c->n = 0;
}

const char *
web_str(const struct web *w, const char *key)
{
	const char *s = catalogue_get(&w->cat, key);
	return s ? s : key;
}

static int
load(const char *dir, const char *rel, char **buf, size_t *len)
{
	char path[4096];
	uint8_t *b;
	int r = snprintf(path, sizeof(path), "%s/%s", dir, rel);

	if (r < 0 || (size_t)r >= sizeof(path))
		return -1;
	if (util_read_file(path, WEB_FILE_MAX, &b, len) != 0)
		return -1;
	if (!util_text_valid((const char *)b, *len, 1)) {
		free(b);
		return -1;
	}
	*buf = (char *)b;
	return 0;
}

static int
slug_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > FORM_CATEGORY_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

static int
categories_parse(struct web *w, char *text)
{
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char *l = trim(line, NULL);
		if (*l == '\0' || *l == '#')
			continue;
		if (!slug_valid(l) || w->ncategories >= WEB_CATEGORIES_MAX)
			return -1;
		for (size_t i = 0; i < w->ncategories; i++)
			if (strcmp(w->categories[i], l) == 0)
				return -1;
		if ((w->categories[w->ncategories] = strdup(l)) == NULL)
			return -1;
		w->ncategories++;
	}
	return w->ncategories > 0 ? 0 : -1;
}

int
web_load(const char *dir, const char *lang, struct web *w)
{
	char rel[256], *text = NULL;
	size_t len;

	memset(w, 0, sizeof(*w));
	for (int i = 0; i < WT_COUNT; i++) {
		if (snprintf(rel, sizeof(rel), "templates/%s.html", tmpl_names[i]) >=
			(int)sizeof(rel) ||
		    load(dir, rel, &w->tmpl[i], &w->tmpl_len[i]) != 0)
			goto fail;
	}
	if (load(dir, "static/style.css", &w->css, &w->css_len) != 0)
		goto fail;
	if (!cc_name_valid(lang) ||
	    snprintf(rel, sizeof(rel), "locale/%s.txt", lang) >= (int)sizeof(rel))
		goto fail;
	if (load(dir, rel, &text, &len) != 0 || catalogue_parse(text, len, &w->cat) != 0)
		goto fail;
	free(text);
	text = NULL;
	if (load(dir, "categories.txt", &text, &len) != 0 || categories_parse(w, text) != 0)
		goto fail;
	free(text);
	return 0;
fail:
	free(text);
	web_free(w);
	return -1;
}

void
web_free(struct web *w)
{
	for (int i = 0; i < WT_COUNT; i++)
		free(w->tmpl[i]);
	free(w->css);
	catalogue_free(&w->cat);
	for (size_t i = 0; i < w->ncategories; i++)
		free(w->categories[i]);
	memset(w, 0, sizeof(*w));
}
