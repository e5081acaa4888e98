/*
 * A rough estimate of a passphrase's strength, for keygen: the key it
 * protects opens every concern sealed to its reviewer, and a stolen key
 * file can be attacked offline at the speed of its Argon2id. Not a
 * dictionary check: it refuses what is short, made of few kinds of
 * characters, repetitive or a few words, and says how to do better.
 */
#include <string.h>

#include "review/review.h"

/* Bits a word of a passphrase counts for: a word picked at random from a
 * list of 7776 (a diceware list) is log2(7776) = 12.9 bits. */
#define RV_WORD_BITS 12.9
#define RV_WORD_MIN 3 /* shorter words count as a few characters */
/* Inside one token, a run of letters is taken for a word when it has the
 * shape of one; longer runs are judged by their characters. */
#define RV_RUNWORD_MIN 4
#define RV_RUNWORD_MAX 12
#define RV_YEAR_BITS 7.6 /* log2(200): a year 1900-2099 */

static int
is_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int
is_sep(unsigned char c)
{
	return c == ' ' || c == '-' || c == '_' || c == '.' || c == ',' || c == '\t';
}

/* log2(x) for x >= 1 to 1/1024, without libm: the integer part by
 * halving, then one fraction bit per squaring. */
static double
lg2(double x)
{
	double r = 0, bit = 0.5;

	while (x >= 2) {
		x /= 2;
		r += 1;
	}
	for (int i = 0; i < 10; i++, bit /= 2) {
		x *= x;
		if (x >= 2) {
			x /= 2;
			r += bit;
		}
	}
	return r;
}

/* log2 of the pool the character classes of s span (0 when empty). */
static double
pool_bits(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	int lower = 0, upper = 0, digit = 0, other = 0, high = 0;
	double pool;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = u[i];
		if (c >= 'a' && c <= 'z')
			lower = 1;
		else if (c >= 'A' && c <= 'Z')
			upper = 1;
		else if (c >= '0' && c <= '9')
			digit = 1;
		else if (c >= 0x80)
			high = 1;
		else
			other = 1;
	}
	pool = 26.0 * lower + 26.0 * upper + 10.0 * digit + 33.0 * other + 100.0 * high;
	return pool > 1 ? lg2(pool) : 0;
}

/* Characters that count: a character equal to or next to the one before
 * ("aaaa", "1234", "abcd") adds nothing, nor a UTF-8 continuation byte. */
static size_t
eff_chars(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t eff = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = u[i];
		if ((c & 0xc0) == 0x80)
			continue;
		if (i > 0 && (c == u[i - 1] || c == u[i - 1] + 1 || c + 1 == u[i - 1]))
			continue;
		eff++;
	}
	return eff;
}

/* Characters mode: the characters that count times log2 of the pool. */
static double
chars_bits(const char *s, size_t len)
{
	return (double)eff_chars(s, len) * pool_bits(s, len);
}

/* A run that reads as a word: an optional capital, then RV_RUNWORD_MIN to
 * RV_RUNWORD_MAX lower-case letters ("Summer"). */
static int
wordlike(const char *s, size_t len)
{
	size_t i = (s[0] >= 'A' && s[0] <= 'Z') ? 1 : 0;

	if (len - i < RV_RUNWORD_MIN || len - i > RV_RUNWORD_MAX)
		return 0;
	for (; i < len; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
	return 1;
}

/* One token as people make them: a capitalised word, then a year or a few
 * digits and a symbol ("Summer2026!"). Each run of letters that reads as
 * a word counts as a word from a list (plus a bit for a capital), a year
 * 1900-2099 as one of 200; the rest by its characters at the pool of the
 * whole token. Never more than characters mode says. */
static double
token_bits(const char *s, size_t len)
{
	double per = pool_bits(s, len), bits = 0;

	for (size_t i = 0; i < len;) {
		size_t j = i;
		int letters = is_letter((unsigned char)s[i]), digits = s[i] >= '0' && s[i] <= '9';
		if (letters)
			while (j < len && is_letter((unsigned char)s[j]))
				j++;
		else if (digits)
			while (j < len && s[j] >= '0' && s[j] <= '9')
				j++;
		else
			j++;
		if (letters && wordlike(s + i, j - i))
			bits += RV_WORD_BITS + (s[i] >= 'A' && s[i] <= 'Z' ? 1 : 0);
		else if (digits && j - i == 4 && (memcmp(s + i, "19", 2) == 0 || memcmp(s + i, "20", 2) == 0))
			bits += RV_YEAR_BITS;
		else
			bits += (double)eff_chars(s + i, j - i) * per;
		i = j;
	}
	return bits < chars_bits(s, len) ? bits : chars_bits(s, len);
}

/* Phrase mode, for two or more tokens between separators: each distinct
 * token counts once, a word of letters as a word from a list, anything
 * else by its characters. -1 when s is one token. */
static double
phrase_bits(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start[RV_PASS_MAX / 2 + 1], wlen[RV_PASS_MAX / 2 + 1], n = 0;
	double bits = 0;

	for (size_t i = 0; i < len;) {
		if (is_sep(u[i])) {
			i++;
			continue;
		}
		start[n] = i;
		while (i < len && !is_sep(u[i]))
			i++;
		wlen[n] = i - start[n];
		n++;
	}
	if (n < 2)
		return -1;
	for (size_t k = 0; k < n; k++) {
		int seen = 0, letters = 1;
		for (size_t j = 0; j < k && !seen; j++)
			seen = wlen[j] == wlen[k] && memcmp(s + start[j], s + start[k], wlen[k]) == 0;
		if (seen)
			continue;
		for (size_t j = 0; j < wlen[k]; j++)
			letters &= is_letter(u[start[k] + j]);
		if (letters && wlen[k] >= RV_WORD_MIN)
			bits += RV_WORD_BITS;
		else
			bits += token_bits(s + start[k], wlen[k]);
	}
	return bits;
}

double
rv_pass_bits(const char *s, size_t len)
{
	double p;

	if (len == 0 || len > RV_PASS_MAX)
		return 0;
	/* a phrase is judged by its words: three common words are weak
	 * however many letters they have */
	if ((p = phrase_bits(s, len)) >= 0)
		return p;
	return token_bits(s, len);
}
