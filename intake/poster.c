/*
 * candour-intake poster --url URL --out FILE
 *
 * A printable A4 poster as one self-contained SVG: a heading, the QR code
 * of the intake's address (libqrencode via qr_svg), the address in text,
 * and three lines on how to report safely. No external resource, no
 * script. The URL must be http(s) (an .onion host given bare gets
 * http://); it is restricted to printable ASCII and XML-escaped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "intake/store_int.h"
#include "util/util.h"

#define CMD "poster"
#define POSTER_URL_MAX 256
#define POSTER_MAX (512 * 1024)

static const char *const advice[3] = {
    "Use your own phone or computer, not a work device or the work network.",
    "For the strongest anonymity, open the address in Tor Browser.",
    "Keep your receipt safe and private: it is the only way back to your report.",
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: candour-intake poster --url URL --out FILE\n\n"
		   "  --url URL   the intake's address: http://, https:// or an .onion host\n"
		   "  --out FILE  new SVG file (A4); an existing file is never overwritten\n");
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
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

/* The whole poster into a malloc'd buffer (*buf, *len). */
static int
render(const char *url, char **buf, size_t *len)
{
	char *qr = NULL;
	size_t qrlen;
	FILE *f;

	*buf = NULL;
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
	      "viewBox=\"0 0 210 297\" font-family=\"Helvetica, Arial, sans-serif\">\n"
	      "<title>Raise a concern safely</title>\n"
	      "<rect width=\"210\" height=\"297\" fill=\"#fff\"/>\n"
	      "<text x=\"105\" y=\"36\" font-size=\"13\" font-weight=\"bold\" "
	      "text-anchor=\"middle\">Seen something that puts a child at risk?</text>\n"
	      "<text x=\"105\" y=\"52\" font-size=\"8\" text-anchor=\"middle\">"
	      "Raise a concern safely and anonymously. Independent reviewers read it.</text>\n",
	    f);
	/* the QR, 120 mm square, centred */
	fputs("<svg x=\"45\" y=\"64\" width=\"120\" height=\"120\" ", f);
	fwrite(qr + 5, 1, qrlen - 5, f);
	fputs("\n<text x=\"105\" y=\"198\" font-size=\"6.5\" font-family=\"monospace\" "
	      "text-anchor=\"middle\">",
	    f);
	xml_esc(f, url);
	fputs("</text>\n", f);
	for (int i = 0; i < 3; i++)
		fprintf(f, "<text x=\"20\" y=\"%d\" font-size=\"6\">%d. %s</text>\n", 222 + 14 * i,
		    i + 1, advice[i]);
	fputs("<text x=\"105\" y=\"280\" font-size=\"5\" text-anchor=\"middle\" fill=\"#444\">"
	      "If a child is in immediate danger, call 999 now.</text>\n</svg>\n",
	    f);
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
	const char *url, *out, *why;
	const struct scli_opt opts[] = {{"url", &url, 1}, {"out", &out, 1}};
	char norm[POSTER_URL_MAX + 8], *svg;
	size_t len;
	int rc;

	if ((rc = scli_opts(CMD, argc, argv, opts, 2, usage,
		 "--url and --out are required; see candour-intake poster --help")) >= 0)
		return rc;
	if ((why = url_check(url, norm, sizeof(norm))) != NULL)
		return scli_usage(CMD, "%s", why);
	if (render(norm, &svg, &len) != 0)
		return scli_fail(CMD, "cannot draw the QR code for this URL");
	if (util_write_file(out, svg, len, 0644, 1) != 0) {
		int e = errno;
		free(svg);
		return scli_fail(CMD, "cannot write %s: %s", out,
		    e == EEXIST ? "it already exists; choose a new file name" : strerror(e));
	}
	free(svg);
	printf("wrote the A4 poster for %s to %s\n", norm, out);
	return 0;
}
