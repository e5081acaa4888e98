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
    [WT_TRANSPARENCY] = "transparency",
    [WT_ERROR] = "error",
};

const char *const web_langs[WEB_LANGS] = {"en", "cy"};

int
web_lang_index(const char *lang)
{
	for (int i = 0; i < WEB_LANGS; i++)
		if (strcmp(lang, web_langs[i]) == 0)
			return i;
	return -1;
}

int
web_load_all(const char *dir, struct web w[WEB_LANGS])
{
	for (int i = 0; i < WEB_LANGS; i++)
		if (web_load(dir, web_langs[i], &w[i]) != 0) {
			while (i-- > 0)
				web_free(&w[i]);
			return -1;
		}
	return 0;
}

const char *
web_str(const struct web *w, const char *key)
{
	const char *s = catalogue_get(&w->cat, key);
	return s ? s : key;
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
		    tmpl_load_file(dir, rel, &w->tmpl[i], &w->tmpl_len[i]) != 0)
			goto fail;
	}
	if (tmpl_load_file(dir, "static/style.css", &w->css, &w->css_len) != 0)
		goto fail;
	if (!cc_name_valid(lang) ||
	    snprintf(rel, sizeof(rel), "locale/%s.txt", lang) >= (int)sizeof(rel))
		goto fail;
	if (tmpl_load_file(dir, rel, &text, &len) != 0 || catalogue_parse(text, len, &w->cat) != 0)
		goto fail;
	free(text);
	text = NULL;
	if (tmpl_load_file(dir, "categories.txt", &text, &len) != 0 ||
	    tmpl_categories_parse(text, w->categories, &w->ncategories) != 0)
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
