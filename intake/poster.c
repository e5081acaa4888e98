/*
 * candour-intake poster --url URL --out FILE --contacts FILE
 *
 * A printable A4 poster as one self-contained SVG: a heading, the QR code
 * of the intake's address (libqrencode via qr_svg), the address in text
 * (and the onion address, when given), three lines on how to report
 * safely, in the words of the catalogue (web/locale/LANG.txt, poster.*),
 * and the numbers to call with a child in danger: the deployment's, from
 * the contacts file serve shows reporters (contacts.c). Every line is wrapped to stay within
 * the page's margins whatever the catalogue's lengths; when the text is
 * long the QR code shrinks, then the type. No external resource, no
 * script. The URL must be http(s) (an .onion host given bare gets
 * http://); it is restricted to printable ASCII and XML-escaped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "intake/http.h"
#include "intake/store_int.h"
#include "util/util.h"

#define CMD "poster"
#define POSTER_URL_MAX 256
#define POSTER_MAX (512 * 1024)
#define POSTER_LINES_MAX 40 /* lines of one paragraph */
/* The page in mm: A4, and the margin no ink may cross. */
#define POSTER_W 210.0
#define POSTER_H 297.0
#define POSTER_MARGIN 15.0
#define POSTER_QR_MAX 120.0
#define POSTER_QR_MIN 60.0
#define POSTER_FILL_MAX 512 /* a catalogue line with its number filled in */

static void
usage(FILE *f)
{
	CLI_PUT(f, "cli.in.poster.usage");
}

/* Normalises and checks the URL into out; NULL or why it is refused. */
static const char *
url_check(const char *in, char *out, size_t outlen)
{
	const char *host;
	size_t n = strlen(in), hlen;

	if (n == 0 || n > POSTER_URL_MAX)
		return "the URL is empty or too long";
	for (size_t i = 0; i < n; i++)
		if (in[i] <= 0x20 || in[i] >= 0x7f)
			return "the URL may hold printable ASCII only (no spaces)";
	if (strncasecmp(in, "http://", 7) == 0 || strncasecmp(in, "https://", 8) == 0) {
		if (snprintf(out, outlen, "%s", in) >= (int)outlen)
			return "the URL is too long";
	} else {
		/* a bare onion host, perhaps with a path */
		const char *slash = strchr(in, '/');
		size_t h = slash ? (size_t)(slash - in) : n;
		if (h < 7 || strncasecmp(in + h - 6, ".onion", 6) != 0)
			return "the URL must start with http:// or https:// (or be an .onion "
			       "address)";
		if (snprintf(out, outlen, "http://%s", in) >= (int)outlen)
			return "the URL is too long";
	}
	host = strstr(out, "://") + 3;
	hlen = strcspn(host, "/?#");
	if (hlen == 0 || memchr(host, '@', hlen) != NULL)
		return "the URL needs a host name (and no user@ part)";
	return NULL;
}

static void
xml_esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f); /* lint-cli: SVG markup */
			break;
		case '<':
			fputs("&lt;", f); /* lint-cli: SVG markup */
			break;
		case '>':
			fputs("&gt;", f); /* lint-cli: SVG markup */
			break;
		case '"':
			fputs("&quot;", f); /* lint-cli: SVG markup */
			break;
		case '\'':
			fputs("&#39;", f); /* lint-cli: SVG markup */
			break;
		default:
			fputc(*s, f);
		}
	}
}

/* fmt with its one "{1}" replaced by arg (plain text: escaped later). */
static int
fill(const char *fmt, const char *arg, char *out, size_t outlen)
{
	const char *p = strstr(fmt, "{1}");

	if (p == NULL)
		return -1;
	return snprintf(out, outlen, "%.*s%s%s", (int)(p - fmt), fmt, arg, p + 3) <
			   (int)outlen
		   ? 0
		   : -1;
}

/* One paragraph of the poster. */
struct para {
	const char *text;
	double size;	/* font size in mm at scale 1 */
	int bold, mono, centred;
	const char *prefix; /* "1. " for a step: later lines hang under the text */
	double gap;	/* space after it, mm at scale 1 */
	struct poster_line line[POSTER_LINES_MAX];
	size_t n;
	double indent;
};

#define LEAD 1.25 /* line height in font sizes */

/* Breaks every paragraph at scale s; its height in mm, or -1. */
static double
layout(struct para *p, size_t np, double s)
{
	double h = 0, width = POSTER_W - 2 * POSTER_MARGIN - 4; /* 4 mm to spare */

	for (size_t i = 0; i < np; i++) {
		double fs = p[i].size * s, em = fs * (p[i].bold ? 1.15 : 1.0);
		p[i].indent = p[i].prefix ? poster_text_em(p[i].prefix, strlen(p[i].prefix), 0) * fs : 0;
		if (poster_wrap(p[i].text, (width - p[i].indent) / em, p[i].mono, p[i].line,
			POSTER_LINES_MAX, &p[i].n) != 0)
			return -1;
		h += (double)p[i].n * LEAD * fs + p[i].gap * s;
	}
	return h;
}

static void
put_para(FILE *f, const struct para *p, double s, double *y)
{
	double fs = p->size * s;
	double x = p->centred ? POSTER_W / 2 : POSTER_MARGIN + 2;

	fprintf(f, "<text font-size=\"%.2f\"%s%s%s>", fs, p->bold ? " font-weight=\"bold\"" : "",
	    p->mono ? " font-family=\"monospace\"" : "",
	    p->centred ? " text-anchor=\"middle\"" : ""); /* lint-cli: SVG markup */
	for (size_t i = 0; i < p->n; i++) {
		char *piece = strndup(p->line[i].p, p->line[i].len);
		/* baseline: ascent below the line's top */
		fprintf(f, "<tspan x=\"%.2f\" y=\"%.2f\">", x + (i > 0 ? p->indent : 0),
		    *y + 0.95 * fs); /* lint-cli: SVG markup */
		if (i == 0 && p->prefix)
			xml_esc(f, p->prefix);
		if (piece != NULL)
			xml_esc(f, piece);
		fputs("</tspan>", f); /* lint-cli: SVG markup */
		free(piece);
		*y += LEAD * fs;
	}
	fputs("</text>\n", f); /* lint-cli: SVG markup */
	*y += p->gap * s;
}

/* The whole poster into a malloc'd buffer (*buf, *len). The text and the
 * QR code are laid out top to bottom between the margins; long text
 * shrinks the QR code to POSTER_QR_MIN, then the type, until it fits. */
static int
render(const struct web *w, const char *url, const char *onion, char **buf, size_t *len)
{
	char urgent[POSTER_FILL_MAX], ooh[POSTER_FILL_MAX], tor[POSTER_FILL_MAX];
	/* the onion address goes under the URL unless the URL is it */
	int with_onion = onion[0] != '\0' && strstr(url, onion) == NULL;
	struct para p[] = {
	    {web_str(w, "poster.title"), 12, 1, 0, 1, NULL, 5, {{0}}, 0, 0},
	    {web_str(w, "poster.subtitle"), 7, 0, 0, 1, NULL, 6, {{0}}, 0, 0},
	    /* the QR code goes here */
	    {url, 6, 0, 1, 1, NULL, with_onion ? 3 : 9, {{0}}, 0, 0},
	    {tor, 4.5, 0, 0, 1, NULL, 1, {{0}}, 0, 0},
	    {onion, 4.5, 0, 1, 1, NULL, 7, {{0}}, 0, 0},
	    {web_str(w, "poster.step1"), 6, 0, 0, 0, "1. ", 3, {{0}}, 0, 0},
	    {web_str(w, "poster.step2"), 6, 0, 0, 0, "2. ", 3, {{0}}, 0, 0},
	    {web_str(w, "poster.step3"), 6, 0, 0, 0, "3. ", 8, {{0}}, 0, 0},
	    {urgent, 5, 0, 0, 1, NULL, 1, {{0}}, 0, 0},
	    {ooh, 5, 0, 0, 1, NULL, 0, {{0}}, 0, 0},
	};
	size_t np = sizeof(p) / sizeof(p[0]);
	const double room = POSTER_H - 2 * POSTER_MARGIN, qr_gap = 6;
	double s = 1.0, q = 0, h = -1, y;
	char *qr = NULL;
	size_t qrlen;
	FILE *f;

	*buf = NULL;
	/* the deployment's numbers, as the pages show them (contacts.c) */
	if (fill(web_str(w, "poster.urgent"), web_str(w, "site.police"), urgent,
		sizeof(urgent)) != 0 ||
	    snprintf(ooh, sizeof(ooh), "%s %s", web_str(w, "contacts.out_of_hours"),
		web_str(w, "site.out_of_hours")) >= (int)sizeof(ooh) ||
	    snprintf(tor, sizeof(tor), "%s", web_str(w, "poster.onion")) >= (int)sizeof(tor))
		return -1;
	if (!with_onion) { /* drop the two onion paragraphs */
		memmove(&p[3], &p[5], (np - 5) * sizeof(p[0]));
		np -= 2;
	}
	for (; s >= 0.3; s *= 0.9) {
		if ((h = layout(p, np, s)) < 0)
			continue;
		q = room - h - 2 * qr_gap;
		if (q > POSTER_QR_MAX)
			q = POSTER_QR_MAX;
		if (q >= POSTER_QR_MIN)
			break;
	}
	if (h < 0 || q < POSTER_QR_MIN)
		return -1; /* the catalogue's text cannot fit an A4 page */
	if (qr_svg(url, &qr, &qrlen) != 0 || strncmp(qr, "<svg ", 5) != 0) {
		free(qr);
		return -1;
	}
	if ((f = open_memstream(buf, len)) == NULL) {
		free(qr);
		return -1;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"210mm\" height=\"297mm\" "
	      "viewBox=\"0 0 210 297\" font-family=\"Helvetica, Arial, sans-serif\">\n<title>",
	    f); /* lint-cli: SVG markup */
	xml_esc(f, web_str(w, "poster.title"));
	fputs("</title>\n<rect width=\"210\" height=\"297\" fill=\"#fff\"/>\n",
	    f); /* lint-cli: SVG markup */
	/* what is left over is shared above and below: the page stays balanced */
	y = POSTER_MARGIN + (room - h - 2 * qr_gap - q) / 2;
	put_para(f, &p[0], s, &y);
	put_para(f, &p[1], s, &y);
	fprintf(f, "<svg x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" ",
	    (POSTER_W - q) / 2, y + qr_gap, q, q); /* lint-cli: SVG markup */
	fwrite(qr + 5, 1, qrlen - 5, f);
	fputc('\n', f);
	y += q + 2 * qr_gap;
	for (size_t i = 2; i < np; i++)
		put_para(f, &p[i], s, &y);
	fputs("</svg>\n", f); /* lint-cli: SVG markup */
	free(qr);
	if (ferror(f) || fclose(f) != 0) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return *len <= POSTER_MAX ? 0 : -1;
}

int
cmd_poster(int argc, char **argv)
{
	const char *url, *out, *why, *webdir, *lang, *contacts, *demo, *onion_addr, *onion_file;
	const struct scli_opt opts[] = {{"url", &url, 0}, {"out", &out, 1}, {"web", &webdir, 0},
	    {"lang", &lang, 0}, {"contacts", &contacts, 0}, {"demo", &demo, SCLI_FLAG},
	    {"onion-address", &onion_addr, 0}, {"onion-hostname-file", &onion_file, 0}};
	char norm[POSTER_URL_MAX + 8], *svg, found[4096], tried[2048], onion[ONION_ADDR_LEN + 1];
	static struct web web;
	size_t len;
	int rc;

	if ((rc = scli_opts(CMD, argc, argv, opts, sizeof(opts) / sizeof(opts[0]), usage,
		 "cli.in.need.poster")) >= 0)
		return rc;
	if ((contacts == NULL) == (demo == NULL))
		return SCLI_USAGE(CMD, "cli.in.poster.contacts_or_demo");
	if (onion_addr != NULL && onion_file != NULL)
		return SCLI_USAGE(CMD, "cli.in.serve.onion_both");
	if (onion_addr_opt(onion_addr, onion_file, onion, &why) != 0) {
		if (onion_file == NULL)
			return SCLI_USAGE(CMD, "cli.in.poster.onion_addr", cli_phrase(why));
		return SCLI_FAIL(CMD, "cli.in.serve.path_why", onion_file, cli_phrase(why));
	}
	if (url == NULL && onion[0] == '\0')
		return SCLI_USAGE(CMD, "cli.in.poster.need_url");
	if ((why = url_check(url ? url : onion, norm, sizeof(norm))) != NULL)
		return SCLI_USAGE(CMD, "cli.rv.said", cli_phrase(why));
	if (webdir == NULL) {
		if (serve_find_web(found, sizeof(found), tried, sizeof(tried)) != 0)
			return SCLI_FAIL(CMD, "cli.in.poster.no_web", tried);
		webdir = found;
	}
	if (web_load(webdir, lang ? lang : "en", &web) != 0)
		return SCLI_FAIL(CMD, "cli.in.poster.web_load", lang ? lang : "en", webdir);
	if (contacts_load(&web, contacts, demo != NULL, &why) != 0) {
		web_free(&web);
		return SCLI_FAIL(
		    CMD, "cli.in.serve.path_why", contacts ? contacts : "--demo", cli_phrase(why));
	}
	rc = render(&web, norm, onion, &svg, &len);
	web_free(&web);
	if (rc != 0)
		return SCLI_FAIL(CMD, "cli.in.poster.layout");
	if (util_write_file(out, svg, len, 0644, 1) != 0) {
		int e = errno;
		free(svg);
		return SCLI_FAIL(CMD, "cli.in.cannot_write", out,
		    e == EEXIST ? CLI_T("cli.in.poster.exists") : cli_phrase(strerror(e)));
	}
	free(svg);
	CLI_PUT(stdout, "cli.in.poster.done", norm, out);
	return 0;
}
