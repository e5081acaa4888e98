/*
 * Line breaking for the printed poster. An SVG has no text flow and its
 * fonts are the printer's, so widths are estimated, on the wide side: the
 * table is a little wider than DejaVu Sans (the widest of the fonts a
 * "Helvetica, Arial, sans-serif" stack falls back to on Debian) and bold
 * adds 15%. A line whose estimate fits therefore fits in print; a word
 * longer than a line (a URL, a long Welsh compound) is cut where it must.
 */
#include <string.h>

#include "intake/store_int.h"

/* Width of the code point at s in em; *adv gets its length in bytes. */
static double
char_em(const char *s, size_t len, size_t *adv, int mono)
{
	unsigned char c = (unsigned char)s[0];

	*adv = 1;
	if (c >= 0x80) {
		while (*adv < len && *adv < 4 && ((unsigned char)s[*adv] & 0xc0) == 0x80)
			(*adv)++;
		return mono ? 0.62 : 1.0;
	}
	if (mono)
		return 0.62;
	if (strchr("il.,:;'!|ijtfrI ()[]`", c) != NULL)
		return 0.45;
	if (strchr("mwMW@%", c) != NULL)
		return 1.0;
	if (c >= 'A' && c <= 'Z')
		return 0.8;
	return 0.66;
}

double
poster_text_em(const char *s, size_t len, int mono)
{
	double w = 0;
	size_t adv;

	for (size_t i = 0; i < len; i += adv)
		w += char_em(s + i, len - i, &adv, mono);
	return w;
}

/* Appends [p, p+len) as one line; 0, or -1 when lines are full. */
static int
put_line(struct poster_line *out, size_t max, size_t *n, const char *p, size_t len)
{
	if (*n >= max)
		return -1;
	out[*n].p = p;
	out[*n].len = len;
	(*n)++;
	return 0;
}

int
poster_wrap(const char *s, double max_em, int mono, struct poster_line *out, size_t max, size_t *n)
{
	size_t len = strlen(s), i = 0, start = 0, end = 0; /* line is [start, end) */

	*n = 0;
	while (i < len) {
		while (i < len && s[i] == ' ')
			i++;
		size_t w = i;
		while (w < len && s[w] != ' ')
			w++;
		if (w == i)
			break;
		/* the word [i, w) joins the line when the line still fits */
		if (end > start && poster_text_em(s + start, w - start, mono) <= max_em) {
			end = w;
			i = w;
			continue;
		}
		if (end > start && put_line(out, max, n, s + start, end - start) != 0)
			return -1;
		/* a word wider than a line is cut into pieces that fit */
		while (poster_text_em(s + i, w - i, mono) > max_em) {
			size_t cut = i, adv;
			double acc = 0;
			while (cut < w) {
				double cw = char_em(s + cut, w - cut, &adv, mono);
				if (acc + cw > max_em)
					break;
				acc += cw;
				cut += adv;
			}
			if (cut == i)
				return -1; /* not even one character fits */
			if (put_line(out, max, n, s + i, cut - i) != 0)
				return -1;
			i = cut;
		}
		start = i;
		end = w;
		i = w;
	}
	if (end > start && put_line(out, max, n, s + start, end - start) != 0)
		return -1;
	return *n > 0 ? 0 : -1;
}
