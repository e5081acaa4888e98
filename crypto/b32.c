/* Crockford base32 and the readable fingerprint built on it. */
#include <string.h>

#include "crypto/cc_internal.h"

const char b32_alphabet[33] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int
b32_value(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == 'I' || c == 'L')
		return 1;
	if (c == 'O')
		return 0;
	const char *p = c ? memchr(b32_alphabet, c, 32) : NULL;
	return p ? (int)(p - b32_alphabet) : -1;
}

/* Bits are taken most significant first; a last partial group is padded
 * with zero bits. out gets ceil(8*len/5) characters and a NUL. */
int
cc_b32_encode(const uint8_t *in, size_t len, char *out, size_t outlen)
{
	size_t need = (len * 8 + 4) / 5;
	if (len > SIZE_MAX / 8 - 1 || outlen < need + 1)
		return CC_ELIMIT;
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = b32_alphabet[(acc >> bits) & 31];
		}
	}
	if (bits > 0)
		out[o++] = b32_alphabet[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return CC_OK;
}

void
fpr_format(const uint8_t h[10], char out[CC_FPR_CHARS + 1])
{
	char raw[17];
	(void)cc_b32_encode(h, 10, raw, sizeof raw);
	size_t o = 0;
	for (size_t i = 0; i < 16; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = raw[i];
	}
	out[o] = '\0';
}
