/*
 * The intake's own .onion address, shown to reporters on the home page and
 * printed on the poster (serve and poster, --onion-address ADDR or
 * --onion-hostname-file PATH, the file Tor writes as HiddenServiceDir/
 * hostname). Only a version 3 address is taken: 56 characters of base32
 * (a-z, 2-7) and ".onion", decoding to a 32-byte key, a 2-byte checksum
 * and the version byte 3. The checksum itself is SHA3-256, which libsodium
 * does not offer; the shape and the version byte catch a truncated or
 * mangled copy, and Tor wrote the hostname file itself.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "intake/http.h"
#include "util/util.h"

#define ONION_B32_CHARS 56
#define ONION_RAW_BYTES 35 /* key 32, checksum 2, version 1 */
#define ONION_VERSION 3
#define ONION_FILE_MAX 128

static int
b32_value(char c)
{
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

int
onion_addr_valid(const char *s, const char **why)
{
	uint8_t raw[ONION_RAW_BYTES];
	uint32_t acc = 0;
	size_t n = strlen(s), bits = 0, o = 0;

	*why = "not a version 3 onion address (56 letters a-z and digits 2-7, then .onion; "
	       "copy it from Tor's hostname file)";
	if (n != ONION_ADDR_LEN || strcmp(s + ONION_B32_CHARS, ".onion") != 0)
		return -1;
	for (size_t i = 0; i < ONION_B32_CHARS; i++) {
		int v = b32_value(s[i]);
		if (v < 0)
			return -1;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			raw[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* 56 * 5 = 280 bits = 35 bytes exactly: nothing left over */
	if (o != ONION_RAW_BYTES || bits != 0 || raw[ONION_RAW_BYTES - 1] != ONION_VERSION) {
		*why = "not a version 3 onion address (its last characters must encode version "
		       "3: a mistyped or older address?)";
		return -1;
	}
	return 0;
}

int
onion_addr_read(const char *path, char out[ONION_ADDR_LEN + 1], const char **why)
{
	uint8_t *buf = NULL;
	size_t len;
	int ret = -1;

	if (util_read_file(path, ONION_FILE_MAX, &buf, &len) != 0) {
		*why = errno == ENOENT ? "no such file (Tor writes it on its first start)"
				       : "cannot read it (or it is too long for a hostname file)";
		return -1;
	}
	/* what Tor writes: the address and one newline */
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	*why = "it does not hold one onion address and a newline";
	if (len != ONION_ADDR_LEN || memchr(buf, '\0', len) != NULL)
		goto out;
	memcpy(out, buf, len);
	out[len] = '\0';
	ret = onion_addr_valid(out, why);
out:
	free(buf);
	return ret;
}

int
onion_addr_opt(const char *addr, const char *file, char out[ONION_ADDR_LEN + 1],
    const char **why)
{
	out[0] = '\0';
	if (addr != NULL && file != NULL) {
		*why = "give --onion-address or --onion-hostname-file, not both";
		return -1;
	}
	if (file != NULL)
		return onion_addr_read(file, out, why);
	if (addr == NULL)
		return 0;
	if (onion_addr_valid(addr, why) != 0)
		return -1;
	memcpy(out, addr, ONION_ADDR_LEN + 1);
	return 0;
}
