/*
 * The role line of a reviewer's public key file:
 * "candour-role-v1 TEXT\n", TEXT a description the reviewer wrote
 * ("independent safeguarding reviewer") that reporters are shown when they
 * choose who reads their concern. It is untrusted text: whoever can write
 * the file chooses it, and it is not covered by the fingerprint (SECURITY.md
 * says why), so it is held to a strict shape here and escaped wherever it
 * is shown.
 */
#include <string.h>

#include "crypto/cc_internal.h"

/* Code point of the UTF-8 sequence at s (n bytes left) into *cp, its length
 * returned; 0 for an invalid, overlong or surrogate sequence. */
static size_t
utf8_one(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0)
		len = 2, c = s[0] & 0x1F, min = 0x80;
	else if ((s[0] & 0xF0) == 0xE0)
		len = 3, c = s[0] & 0x0F, min = 0x800;
	else if ((s[0] & 0xF8) == 0xF0)
		len = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Characters that could hide or reorder what a terminal or a page shows:
 * C0 and C1 controls, DEL, the line and paragraph separators, bidi marks,
 * embeddings, overrides and isolates, zero-width and BOM. */
static int
role_char_ok(uint32_t c)
{
	if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
		return 0;
	if (c == 0x061C || (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
	    (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB))
		return 0;
	return 1;
}

int
cc_role_valid(const char *s, size_t len)
{
	uint32_t c = 0;
	int prev_space = 1; /* no leading space */

	if (s == NULL || len == 0 || len > CC_ROLE_MAX)
		return 0;
	for (size_t i = 0; i < len;) {
		size_t l = utf8_one((const unsigned char *)s + i, len - i, &c);
		if (l == 0 || !role_char_ok(c))
			return 0;
		/* one ASCII space between words: no doubled or trailing ones */
		if (c == ' ' && prev_space)
			return 0;
		prev_space = c == ' ';
		i += l;
	}
	return !prev_space;
}

int
cc_pubkey_set_role(struct cc_pubkey *p, const char *role)
{
	size_t n = role != NULL ? strnlen(role, CC_ROLE_MAX + 1) : 0;

	if (n == 0) {
		memset(p->role, 0, sizeof p->role);
		return CC_OK;
	}
	if (!cc_role_valid(role, n))
		return CC_EFORMAT;
	memset(p->role, 0, sizeof p->role);
	memcpy(p->role, role, n);
	return CC_OK;
}

int
role_line_parse(const char *line, size_t len, char out[CC_ROLE_MAX + 1])
{
	const size_t tl = strlen(CC_ROLE_TAG);

	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len <= tl + 1 || memcmp(line, CC_ROLE_TAG, tl) != 0 || line[tl] != ' ')
		return CC_EFORMAT;
	line += tl + 1;
	len -= tl + 1;
	if (!cc_role_valid(line, len))
		return CC_EFORMAT;
	memcpy(out, line, len);
	out[len] = '\0';
	return CC_OK;
}
