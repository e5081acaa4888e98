/*
 * Finding referral references in what people write, and putting them in
 * one canonical form so that "ref 2019 / 423" in a concern and
 * "REF/2019/00423" in the register are the same key.
 *
 * Pattern language (ref_pattern_compile): parts separated by any of
 * "/-._: "; a part of Y's is a year (YY or YYYY, 1900-2099 for YYYY), a
 * part of N's is a digit run, anything else is a literal (case-insensitive;
 * quote it, 'NY', to make Y/N letters literal). In the text, parts may be
 * separated by up to REF_SEP_RUN_MAX characters of " \t\r\n/-._:\\", no-break
 * spaces and Unicode dashes (sep_len).
 * A pattern with a literal ("anchored") may omit separators and may drop
 * or add leading zeros in a digit run; a pattern of digits only must see a
 * punctuation separator wherever the pattern has one (white space alone is
 * not enough), each run at its exact length,
 * and must not sit inside a longer group of numbers (phone numbers,
 * dates), so it never matches a fragment of one.
 */
#include <ctype.h>
#include <string.h>

#include "review/ref.h"

static int
is_text_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '-' ||
	       c == '.' || c == '_' || c == ':' || c == '\\';
}

/* Bytes of the separator at s[pos] (0: none): the ASCII ones above, and
 * what word processors put in their place: no-break spaces U+00A0 and
 * U+202F, the dashes U+2010-U+2015 and the minus sign U+2212. *punct is
 * set when it is not white space. */
static size_t
sep_len(const char *s, size_t len, size_t pos, int *punct)
{
	const unsigned char *u = (const unsigned char *)s + pos;
	size_t left = len - pos;

	if (left == 0)
		return 0;
	if (is_text_sep(s[pos])) {
		*punct = !isspace(u[0]);
		return 1;
	}
	if (left >= 2 && u[0] == 0xc2 && u[1] == 0xa0) {
		*punct = 0;
		return 2;
	}
	if (left >= 3 && u[0] == 0xe2 &&
	    ((u[1] == 0x80 && ((u[2] >= 0x90 && u[2] <= 0x95) || u[2] == 0xaf)) ||
		(u[1] == 0x88 && u[2] == 0x92))) {
		*punct = u[2] != 0xaf;
		return 3;
	}
	return 0;
}

/* Bytes of a separator that ends just before s[i] (0: none). */
static size_t
sep_len_before(const char *s, size_t i)
{
	int punct;

	for (size_t n = 1; n <= 3 && n <= i; n++)
		if (sep_len(s, i, i - n, &punct) == n)
			return n;
	return 0;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(char c)
{
	return isalnum((unsigned char)c) != 0;
}

/* Tries pattern p at s[i]; on success writes the canonical form to out
 * and returns the end offset; else returns 0. */
static size_t
match_at(
    const struct ref_pattern *p, const char *s, size_t len, size_t i, char out[REF_REF_MAX + 1])
{
	size_t pos = i, o = 0;

	for (size_t t = 0; t < p->ntok; t++) {
		const size_t n = p->tok[t].n;

		if (t > 0) {
			size_t k = 0, sl;
			int punct = 0, pu;
			while (k < REF_SEP_RUN_MAX && (sl = sep_len(s, len, pos, &pu)) > 0) {
				punct |= pu;
				pos += sl;
				k++;
			}
			/* Unanchored: "2019/0423" yes, "in 2019 1234 referrals" no. */
			if (!punct && !p->anchored && p->tok[t - 1].sep != 0)
				return 0;
			if (k == 0 && p->tok[t - 1].kind == REF_TOK_NUM &&
			    p->tok[t].kind != REF_TOK_LIT)
				return 0;
			if (p->tok[t - 1].sep != 0) {
				if (o + 1 > REF_REF_MAX)
					return 0;
				out[o++] = p->tok[t - 1].sep;
			}
		}
		if (p->tok[t].kind == REF_TOK_LIT) {
			if (pos + n > len || strncasecmp(s + pos, p->tok[t].lit, n) != 0)
				return 0;
			/* "REFERRAL" must not match the literal "REF". */
			if (pos + n < len && isalpha((unsigned char)s[pos + n]) &&
			    isalpha((unsigned char)p->tok[t].lit[n - 1]))
				return 0;
			if (o + n > REF_REF_MAX)
				return 0;
			memcpy(out + o, p->tok[t].lit, n);
			o += n;
			pos += n;
		} else if (p->tok[t].kind == REF_TOK_YEAR) {
			int y = 0;
			if (pos + n > len)
				return 0;
			for (size_t k = 0; k < n; k++) {
				if (!is_digit(s[pos + k]))
					return 0;
				y = y * 10 + (s[pos + k] - '0');
			}
			if (n == 4 && (y < 1900 || y > 2099))
				return 0;
			/* A year followed by more digits is only fine when a digit
			 * run follows in an anchored pattern ("REF201900423"). */
			if (pos + n < len && is_digit(s[pos + n]) &&
			    !(p->anchored && t + 1 < p->ntok && p->tok[t + 1].kind == REF_TOK_NUM))
				return 0;
			if (o + n > REF_REF_MAX)
				return 0;
			memcpy(out + o, s + pos, n);
			o += n;
			pos += n;
		} else {
			size_t d = 0, start = pos;
			while (pos + d < len && is_digit(s[pos + d]))
				d++;
			if (d == 0 || (!p->anchored && d != n))
				return 0;
			if (d > n) {
				for (size_t k = 0; k < d - n; k++)
					if (s[start + k] != '0')
						return 0;
				start += d - n;
			}
			if (o + n > REF_REF_MAX)
				return 0;
			for (size_t k = 0; k < n - (d < n ? d : n); k++)
				out[o++] = '0';
			memcpy(out + o, s + start, d < n ? d : n);
			o += d < n ? d : n;
			pos += d;
		}
	}
	if (pos < len && is_alnum(s[pos]))
		return 0;
	if (!p->anchored && pos < len && s[pos] != '\n') {
		int pu;
		size_t sl = sep_len(s, len, pos, &pu);
		if (sl > 0 && pos + sl < len && is_digit(s[pos + sl]))
			return 0; /* more numbers follow: a phone number or a date */
	}
	out[o] = '\0';
	return pos;
}

static int
starts_ok(const struct ref_pattern *p, const char *s, size_t i)
{
	if (i > 0 && is_alnum(s[i - 1]))
		return 0;
	if (!p->anchored && i >= 2 && s[i - 1] != '\n') {
		size_t sl = sep_len_before(s, i);
		if (sl > 0 && i > sl && is_digit(s[i - sl - 1]))
			return 0; /* numbers before it: part of a longer number */
	}
	if (!p->anchored && i >= 1 && s[i - 1] == '+')
		return 0; /* +44 ... */
	return 1;
}

size_t
ref_extract(
    const struct ref_config *c, const char *s, size_t len, char out[][REF_REF_MAX + 1], size_t max)
{
	char buf[REF_REF_MAX + 1];
	size_t n = 0, i = 0, end;

	while (i < len && n < max) {
		size_t next = i + 1;

		if (is_alnum(s[i])) {
			for (size_t k = 0; k < c->npat; k++) {
				if (!starts_ok(&c->pat[k], s, i))
					continue;
				end = match_at(&c->pat[k], s, len, i, buf);
				if (end == 0)
					continue;
				size_t j;
				for (j = 0; j < n && strcmp(out[j], buf) != 0; j++)
					;
				if (j == n)
					memcpy(out[n++], buf, strlen(buf) + 1);
				next = end;
				break;
			}
			if (next == i + 1) {
				/* Skip the rest of this word: matches start at word starts. */
				while (next < len && is_alnum(s[next]))
					next++;
			}
		}
		i = next;
	}
	return n;
}

int
ref_normalise(const struct ref_config *c, const char *s, size_t len, char out[REF_REF_MAX + 1])
{
	size_t o = 0;
	int digit = 0, pending = 0;

	while (len > 0 && (s[0] == ' ' || s[0] == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	for (size_t k = 0; k < c->npat; k++) {
		if (match_at(&c->pat[k], s, len, 0, out) == len && len > 0)
			return 0;
	}
	/* No pattern covers the whole of it: the generic form. */
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		int pu;
		size_t sl = sep_len(s, len, i, &pu);
		if (sl > 0) {
			pending = o > 0;
			i += sl - 1;
			continue;
		}
		if (!is_alnum(ch) || o + pending + 1 > REF_REF_MAX)
			goto refused;
		if (pending)
			out[o++] = '/';
		pending = 0;
		out[o++] = (char)toupper((unsigned char)ch);
		digit |= is_digit(ch);
	}
	out[o] = '\0';
	if (o > 0 && digit)
		return 0;
refused:
	/* out holds no string but an empty one: the desk's link action showed
	 * out after a refusal, and 64 letters with no NUL read on past it
	 * (fuzz_desk_pages); the pattern pass above may have written too */
	out[0] = '\0';
	return -1;
}
