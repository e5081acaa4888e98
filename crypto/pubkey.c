/*
 * Public key file: the line "candour-pub-v1 NAME KEYS FPR\n", KEYS =
 * base64url without padding of box_pk || sign_pk (86 characters), FPR the
 * readable fingerprint of the name and the same 64 bytes, then optionally
 * the role line (role.c). Also the line splitter shared with the intake's
 * signing key line.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/cc_internal.h"

#define PUB_TAG "candour-pub-v1"
#define B64V sodium_base64_VARIANT_URLSAFE_NO_PADDING

int
line_fields(const char *line, size_t len, const char **f, size_t *flen, size_t nf)
{
	size_t n = 0, start = 0;

	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 0 || len >= CC_PUBLINE_MAX)
		return CC_EFORMAT;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && line[i] != ' ') {
			if ((unsigned char)line[i] <= 0x20 || (unsigned char)line[i] >= 0x7f)
				return CC_EFORMAT;
			continue;
		}
		if (i == start || n == nf)
			return CC_EFORMAT; /* empty field, or one too many */
		f[n] = line + start;
		flen[n++] = i - start;
		start = i + 1;
	}
	return n == nf ? CC_OK : CC_EFORMAT;
}

int
b64_exact(const char *s, size_t slen, uint8_t *out, size_t outlen)
{
	size_t got = 0;
	const char *end = NULL;
	if (sodium_base642bin(out, outlen, s, slen, NULL, &got, &end, B64V) != 0 || got != outlen ||
	    end != s + slen)
		return CC_EFORMAT;
	return CC_OK;
}

/* The name is covered too: the fingerprint people read aloud certifies
 * "this is NAME's key", and a damaged name byte cannot pass unnoticed. */
void
cc_fingerprint(const struct cc_pubkey *p, char out[CC_FPR_CHARS + 1])
{
	uint8_t buf[1 + CC_NAME_MAX + CC_BOX_PK + CC_SIGN_PK];
	uint8_t h[10];
	size_t n = strnlen(p->name, CC_NAME_MAX);

	buf[0] = (uint8_t)n;
	memcpy(buf + 1, p->name, n);
	memcpy(buf + 1 + n, p->box_pk, CC_BOX_PK);
	memcpy(buf + 1 + n + CC_BOX_PK, p->sign_pk, CC_SIGN_PK);
	cc_hash_prefixed(
	    "candour-fpr-v1", buf, 1 + n + CC_BOX_PK + CC_SIGN_PK, NULL, 0, h, sizeof h);
	fpr_format(h, out);
}

int
line_done(char *buf, size_t buflen, int n)
{
	if (n < 0 || (size_t)n >= buflen) {
		if (buflen > 0)
			buf[0] = '\0';
		return CC_ELIMIT;
	}
	return CC_OK;
}

int
cc_pubkey_format(const struct cc_pubkey *p, char *buf, size_t buflen)
{
	uint8_t keys[CC_BOX_PK + CC_SIGN_PK];
	char b64[sodium_base64_ENCODED_LEN(sizeof keys, B64V)];
	char fpr[CC_FPR_CHARS + 1];

	if (buflen > 0)
		buf[0] = '\0';
	if (!cc_name_valid(p->name))
		return CC_EFORMAT;
	memcpy(keys, p->box_pk, CC_BOX_PK);
	memcpy(keys + CC_BOX_PK, p->sign_pk, CC_SIGN_PK);
	sodium_bin2base64(b64, sizeof b64, keys, sizeof keys, B64V);
	cc_fingerprint(p, fpr);
	if (memchr(p->role, '\0', sizeof p->role) == NULL ||
	    (p->role[0] != '\0' && !cc_role_valid(p->role, strlen(p->role)))) {
		if (buflen > 0)
			buf[0] = '\0';
		return CC_EFORMAT;
	}
	if (p->role[0] == '\0')
		return line_done(buf, buflen,
		    snprintf(buf, buflen, "%s %s %s %s\n", PUB_TAG, p->name, b64, fpr));
	return line_done(buf, buflen,
	    snprintf(buf, buflen, "%s %s %s %s\n%s %s\n", PUB_TAG, p->name, b64, fpr, CC_ROLE_TAG,
		p->role));
}

int
cc_pubkey_parse(const char *line, size_t len, struct cc_pubkey *out)
{
	const char *f[4];
	size_t fl[4];
	struct cc_pubkey p;
	uint8_t keys[CC_BOX_PK + CC_SIGN_PK];
	char fpr[CC_FPR_CHARS + 1];
	int rc;

	memset(out, 0, sizeof *out);
	memset(&p, 0, sizeof p);
	/* The key line ends at the first newline; what follows, if anything,
	 * is exactly one role line. */
	const char *nl = memchr(line, '\n', len);
	if (nl != NULL && (size_t)(nl - line) + 1 < len) {
		size_t keylen = (size_t)(nl - line) + 1;
		if (len - keylen > CC_ROLELINE_MAX ||
		    role_line_parse(line + keylen, len - keylen, p.role) != CC_OK)
			return CC_EFORMAT;
		len = keylen;
	}
	if ((rc = line_fields(line, len, f, fl, 4)) != CC_OK)
		return rc;
	if (fl[0] != strlen(PUB_TAG) || memcmp(f[0], PUB_TAG, fl[0]) != 0)
		return CC_EFORMAT;
	if (fl[1] > CC_NAME_MAX)
		return CC_EFORMAT;
	memcpy(p.name, f[1], fl[1]);
	if (!cc_name_valid(p.name))
		return CC_EFORMAT;
	if (b64_exact(f[2], fl[2], keys, sizeof keys) != CC_OK)
		return CC_EFORMAT;
	memcpy(p.box_pk, keys, CC_BOX_PK);
	memcpy(p.sign_pk, keys + CC_BOX_PK, CC_SIGN_PK);
	cc_fingerprint(&p, fpr);
	if (fl[3] != CC_FPR_CHARS || memcmp(f[3], fpr, CC_FPR_CHARS) != 0)
		return CC_ETAMPERED; /* damaged or mistyped line */
	cc_keyid(p.box_pk, p.keyid);
	*out = p;
	return CC_OK;
}
