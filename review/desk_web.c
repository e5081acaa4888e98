/* The desk's web files: the catalogue of the chosen language, the
 * intake's stylesheet (same family) and the desk's own, and the category
 * list. Templates are read per page (web/desk/NAME.html). */
#include <stdlib.h>
#include <string.h>

#include "review/desk.h"

int
desk_web_load(struct desk_web *w, const char *dir, const char *lang)
{
	char rel[64], *text = NULL;
	size_t len;

	memset(w, 0, sizeof(*w));
	w->dir = dir;
	w->lang = lang;
	snprintf(rel, sizeof(rel), "locale/%s.txt", lang);
	if ((w->cat = calloc(1, sizeof(*w->cat))) == NULL ||
	    tmpl_load_file(dir, rel, &text, &len) != 0 || catalogue_parse(text, len, w->cat) != 0)
		goto fail;
	free(text);
	text = NULL;
	if (tmpl_load_file(dir, "categories.txt", &text, &len) != 0 ||
	    tmpl_categories_parse(text, w->cats, &w->ncats) != 0)
		goto fail;
	free(text);
	text = NULL;
	if (tmpl_load_file(dir, "static/style.css", &w->css, &w->css_len) != 0 ||
	    tmpl_load_file(dir, "desk/desk.css", &w->desk_css, &w->desk_css_len) != 0)
		goto fail;
	return 0;
fail:
	free(text);
	desk_web_free(w);
	return -1;
}

void
desk_web_free(struct desk_web *w)
{
	if (w->cat != NULL) {
		catalogue_free(w->cat);
		free(w->cat);
	}
	for (size_t i = 0; i < w->ncats; i++)
		free(w->cats[i]);
	free(w->css);
	free(w->desk_css);
	memset(w, 0, sizeof(*w));
}
