/*
 * The list of files received, for the page that confirms a sending: each
 * file's name and size as sent, and what happened to its hidden details
 * (clean.h): removed, could not be removed (a picture that did not parse,
 * stored as sent), or not looked at (a type we do not clean, such as PDF
 * or Office, whose properties may carry an author name).
 */
#include <stdio.h>
#include <string.h>

#include "intake/clean.h"
#include "intake/http.h"

void
page_size_text(struct http_app *app, uint64_t n, int whole, char *buf, size_t len)
{
	if (whole && n >= 1000 * 1000)
		snprintf(buf, len, "%llu %s", (unsigned long long)(n / 1000000),
		    web_str(http_web(app), "size.mb"));
	else if (whole && n >= 1000)
		snprintf(buf, len, "%llu %s", (unsigned long long)(n / 1000),
		    web_str(http_web(app), "size.kb"));
	else if (n < 1000)
		snprintf(
		    buf, len, "%llu %s", (unsigned long long)n, web_str(http_web(app), "size.bytes"));
	else if (n < 1000 * 1000)
		snprintf(buf, len, "%.1f %s", (double)n / 1e3, web_str(http_web(app), "size.kb"));
	else
		snprintf(buf, len, "%.1f %s", (double)n / 1e6, web_str(http_web(app), "size.mb"));
}

void
page_files(struct http_app *app, struct tvars *v, const struct form *f, struct page_files *pf)
{
	size_t n = f->nlisted <= INTAKE_MAX_ATTACHMENTS ? f->nlisted : INTAKE_MAX_ATTACHMENTS;

	for (size_t i = 0; i < n; i++) {
		const struct form_file *ff = &f->files[i];
		struct tvars *it = &pf->items[i];
		it->n = 0;
		page_size_text(app, ff->sent, 0, pf->size[i], sizeof(pf->size[i]));
		tv_text(it, "name", ff->name);
		tv_text(it, "size", pf->size[i]);
		tv_text(it, "cleaned", ff->clean == CLEAN_CLEANED ? "1" : "");
		tv_text(it, "failed", ff->clean == CLEAN_FAILED ? "1" : "");
		tv_text(it, "other", ff->clean == CLEAN_NOT_IMAGE ? "1" : "");
	}
	tv_list(v, "files", pf->items, n);
	tv_text(v, "has_files", n ? "1" : "");
}

void
page_fmt(char *out, size_t outlen, const char *pat, const char *a1, const char *a2)
{
	size_t o = 0;

	if (outlen == 0)
		return;
	for (const char *p = pat; *p && o + 1 < outlen; p++) {
		const char *a = NULL;
		if (p[0] == '{' && (p[1] == '1' || p[1] == '2') && p[2] == '}') {
			a = p[1] == '1' ? a1 : a2;
			p += 2;
			for (; a != NULL && *a && o + 1 < outlen; a++)
				out[o++] = *a;
			continue;
		}
		out[o++] = *p;
	}
	/* cut at the limit: drop a character whose last bytes did not fit */
	if (o + 1 >= outlen && o > 0) {
		size_t k = o - 1;
		while (k > 0 && o - k < 4 && ((unsigned char)out[k] & 0xC0) == 0x80)
			k--;
		unsigned char c = (unsigned char)out[k];
		size_t need = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		if (k + need > o)
			o = k;
	}
	out[o] = '\0';
}

void
page_files_max(struct http_app *app, struct tvars *v, char *buf, size_t len)
{
	char max[32], nmax[16];

	page_size_text(app, app->max_upload, 1, max, sizeof(max));
	snprintf(nmax, sizeof(nmax), "%d", INTAKE_MAX_ATTACHMENTS);
	page_fmt(buf, len, web_str(http_web(app), "report.files_max"), max, nmax);
	tv_text(v, "files_max", buf);
}

void
page_over_text(struct http_app *app, const struct form *f, char *out, size_t outlen)
{
	char max[32];

	if (f->refuse == FORM_REFUSE_MANY) {
		snprintf(max, sizeof(max), "%d", INTAKE_MAX_ATTACHMENTS);
		page_fmt(out, outlen, web_str(http_web(app), "report.many"), max, NULL);
		return;
	}
	page_size_text(app, app->max_upload, 1, max, sizeof(max));
	page_fmt(out, outlen,
	    web_str(http_web(app), f->over_name[0] ? "report.over_file" : "report.over"), f->over_name,
	    max);
}
