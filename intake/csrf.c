/*
 * Anti-forgery tokens that need no per-person state: an HMAC over the time
 * window under a per-process random key. A token is accepted in its own
 * window and the next one, so a form is good for one to two hours; after
 * that the form comes back with the reporter's input and a new token.
 */
#include <string.h>

#include <sodium.h>

#include "intake/http.h"
#include "util/util.h"

#define CSRF_CONTEXT "candour-csrf-v1"
#define CSRF_MAC_BYTES 16

static void
mac(const uint8_t *key, uint64_t window, uint8_t out[CSRF_MAC_BYTES])
{
	crypto_auth_hmacsha256_state st;
	uint8_t w[8], full[crypto_auth_hmacsha256_BYTES];

	for (int i = 0; i < 8; i++)
		w[i] = (uint8_t)(window >> (8 * i));
	crypto_auth_hmacsha256_init(&st, key, CSRF_KEY_BYTES);
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)CSRF_CONTEXT, strlen(CSRF_CONTEXT));
	crypto_auth_hmacsha256_update(&st, w, sizeof(w));
	crypto_auth_hmacsha256_final(&st, full);
	memcpy(out, full, CSRF_MAC_BYTES);
	sodium_memzero(&st, sizeof(st));
}

int
csrf_make(const uint8_t *key, uint64_t now_s, char out[CSRF_TOKEN_LEN + 1])
{
	uint64_t window = now_s / HTTP_CSRF_WINDOW;
	uint8_t w[8], m[CSRF_MAC_BYTES];

	for (int i = 0; i < 8; i++)
		w[i] = (uint8_t)(window >> (8 * i));
	mac(key, window, m);
	util_hex(w, sizeof(w), out);
	out[16] = '.';
	util_hex(m, sizeof(m), out + 17);
	out[CSRF_TOKEN_LEN] = '\0';
	return 0;
}

int
csrf_check(const uint8_t *key, uint64_t now_s, const char *tok, size_t len)
{
	char wh[17];
	uint8_t w[8], want[CSRF_MAC_BYTES], got[CSRF_MAC_BYTES];
	uint64_t window = 0, now_w = now_s / HTTP_CSRF_WINDOW;
	int ok;

	if (tok == NULL || len != CSRF_TOKEN_LEN || tok[16] != '.')
		return 0;
	memcpy(wh, tok, 16);
	wh[16] = '\0';
	if (util_unhex(wh, w, sizeof(w)) != 0)
		return 0;
	char mh[2 * CSRF_MAC_BYTES + 1];
	memcpy(mh, tok + 17, 2 * CSRF_MAC_BYTES);
	mh[2 * CSRF_MAC_BYTES] = '\0';
	if (util_unhex(mh, got, sizeof(got)) != 0)
		return 0;
	for (int i = 0; i < 8; i++)
		window |= (uint64_t)w[i] << (8 * i);
	if (window != now_w && !(now_w > 0 && window == now_w - 1))
		return 0;
	mac(key, window, want);
	ok = sodium_memcmp(want, got, sizeof(want)) == 0;
	sodium_memzero(want, sizeof(want));
	return ok;
}
