/*
 * The list of files received, for the page that confirms a sending: each
 * file's name and size as sent, and what happened to its hidden details
 * (clean.h): removed, could not be removed (a picture that did not parse,
 * stored as sent), or not looked at (a type we do not clean, such as PDF
 * or Office, whose properties may carry an author name).
 */
#include <stdio.h>

#include "intake/clean.h"
#include "intake/http.h"

/* "12 bytes", "3.4 kB", "12.0 MB": the units come from the catalogue. */
static void
size_text(struct http_app *app, uint64_t n, char *buf, size_t len)
{
	if (n < 1000)
		snprintf(
		    buf, len, "%llu %s", (unsigned long long)n, web_str(app->web, "size.bytes"));
	else if (n < 1000 * 1000)
		snprintf(buf, len, "%.1f %s", (double)n / 1e3, web_str(app->web, "size.kb"));
	else
		snprintf(buf, len, "%.1f %s", (double)n / 1e6, web_str(app->web, "size.mb"));
}

void
page_files(struct http_app *app, struct tvars *v, const struct form *f, struct page_files *pf)
{
	size_t n = f->nlisted <= INTAKE_MAX_ATTACHMENTS ? f->nlisted : INTAKE_MAX_ATTACHMENTS;

	for (size_t i = 0; i < n; i++) {
		const struct form_file *ff = &f->files[i];
		struct tvars *it = &pf->items[i];
		it->n = 0;
		size_text(app, ff->sent, pf->size[i], sizeof(pf->size[i]));
		tv_text(it, "name", ff->name);
		tv_text(it, "size", pf->size[i]);
		tv_text(it, "cleaned", ff->clean == CLEAN_CLEANED ? "1" : "");
		tv_text(it, "failed", ff->clean == CLEAN_FAILED ? "1" : "");
		tv_text(it, "other", ff->clean == CLEAN_NOT_IMAGE ? "1" : "");
	}
	tv_list(v, "files", pf->items, n);
	tv_text(v, "has_files", n ? "1" : "");
}
