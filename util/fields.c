/* The "fields" plaintext format inside envelopes (util.h, SECURITY.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

#define FIELDS_LEN_DIGITS 8 /* FIELD_VALUE_MAX has 7 digits */

static int
name_valid(const char *s, size_t len)
{
	if (len == 0 || len > FIELD_NAME_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static int
magic_valid(const char *magic)
{
	size_t len = strlen(magic);

	if (len == 0 || len > 64)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (magic[i] <= ' ' || magic[i] > '~')
			return 0;
	return 1;
}

int
fields_encode(const char *magic, const struct field *f, size_t n, uint8_t **out, size_t *outlen)
{
	size_t total, off = 0;
	uint8_t *p;
	int w;

	*out = NULL;
	*outlen = 0;
	if (!magic_valid(magic) || n > FIELDS_MAX) {
		errno = EINVAL;
		return -1;
	}
	total = strlen(magic) + 1 + 3;
	for (size_t i = 0; i < n; i++) {
		if (!name_valid(f[i].name, strlen(f[i].name)) || f[i].len > FIELD_VALUE_MAX ||
		    (f[i].len > 0 && f[i].val == NULL)) {
			errno = EINVAL;
			return -1;
		}
		total += strlen(f[i].name) + 1 + FIELDS_LEN_DIGITS + 1 + f[i].len + 1;
	}
	if ((p = malloc(total + 1)) == NULL)
		return -1;
	w = snprintf((char *)p, total + 1, "%s\n", magic);
	off = (size_t)w;
	for (size_t i = 0; i < n; i++) {
		w = snprintf((char *)p + off, total + 1 - off, "%s %zu\n", f[i].name, f[i].len);
		if (w < 0 || (size_t)w >= total + 1 - off)
			goto fail;
		off += (size_t)w;
		if (f[i].len)
			memcpy(p + off, f[i].val, f[i].len);
		off += f[i].len;
		p[off++] = '\n';
	}
	memcpy(p + off, "--\n", 3);
	off += 3;
	*out = p;
	*outlen = off;
	return 0;
fail:
	free(p);
	errno = EINVAL;
	return -1;
}

/* Reads one '\n'-ended line starting at *off; returns its length or -1. */
static long
line_at(const uint8_t *buf, size_t len, size_t off, size_t max)
{
	for (size_t i = off; i < len && i - off <= max; i++)
		if (buf[i] == '\n')
			return (long)(i - off);
	return -1;
}

int
fields_decode(const uint8_t *buf, size_t len, const char *magic, struct field *f, size_t max,
    size_t *n, size_t *payload_off)
{
	size_t mlen = strlen(magic), off, count = 0;
	long l;

	*n = 0;
	*payload_off = 0;
	if (len < mlen + 1 || memcmp(buf, magic, mlen) != 0 || buf[mlen] != '\n')
		return -1;
	off = mlen + 1;
	for (;;) {
		const char *sp;
		size_t nlen, vlen = 0, digits;

		l = line_at(buf, len, off, FIELD_NAME_MAX + 1 + FIELDS_LEN_DIGITS);
		if (l < 0)
			return -1;
		if (l == 2 && buf[off] == '-' && buf[off + 1] == '-') {
			*n = count;
			*payload_off = off + 3;
			return 0;
		}
		sp = memchr(buf + off, ' ', (size_t)l);
		if (sp == NULL)
			return -1;
		nlen = (size_t)(sp - (const char *)(buf + off));
		digits = (size_t)l - nlen - 1;
		if (!name_valid((const char *)buf + off, nlen) || digits == 0 ||
		    digits > FIELDS_LEN_DIGITS || (digits > 1 && sp[1] == '0'))
			return -1;
		for (size_t i = 0; i < digits; i++) {
			if (sp[1 + i] < '0' || sp[1 + i] > '9')
				return -1;
			vlen = vlen * 10 + (size_t)(sp[1 + i] - '0');
		}
		if (vlen > FIELD_VALUE_MAX || count >= max || count >= FIELDS_MAX)
			return -1;
		memcpy(f[count].name, buf + off, nlen);
		f[count].name[nlen] = '\0';
		off += (size_t)l + 1;
		if (len - off < vlen + 1 || buf[off + vlen] != '\n')
			return -1;
		f[count].val = buf + off;
		f[count].len = vlen;
		count++;
		off += vlen + 1;
	}
}

const struct field *
fields_get(const struct field *f, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return &f[i];
	return NULL;
}
