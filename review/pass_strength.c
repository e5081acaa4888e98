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

/* Characters mode: length times log2 of the pool the character classes
 * span, where a character equal to or next to the one before ("aaaa",
 * "1234", "abcd") adds nothing. */
static double
chars_bits(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	int lower = 0, upper = 0, digit = 0, other = 0, high = 0;
	size_t eff = 0;
	double pool = 0;

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
		if ((c & 0xc0) == 0x80)
			continue; /* a UTF-8 continuation byte: part of one character */
		if (i > 0 && (c == u[i - 1] || c == u[i - 1] + 1 || c + 1 == u[i - 1]))
			continue;
		eff++;
	}
	pool = 26.0 * lower + 26.0 * upper + 10.0 * digit + 33.0 * other + 100.0 * high;
	return pool > 1 ? (double)eff * lg2(pool) : 0;
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
			bits += chars_bits(s + start[k], wlen[k]);
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
	return chars_bits(s, len);
}
