/*
 * The desk's gate: the one-time token, the session cookie it becomes, the
 * form token, and the Host and Origin checks that keep other sites (and
 * DNS rebinding) out. Pure functions over the request's headers, so every
 * refusal is unit-tested (tests/review/test_desk_auth.c).
 */
#include <string.h>
#include <strings.h>

#include "review/desk.h"
#include "util/util.h"

enum { SEC_TOKEN = 0, SEC_SESSION = 1, SEC_CSRF = 2 };

static uint8_t *
sec(const struct desk_auth *a, int which)
{
	return a->sec + (size_t)which * DESK_SECRET_BYTES;
}

int
desk_auth_init(struct desk_auth *a, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	if (port == 0 || (a->sec = sodium_malloc(3 * DESK_SECRET_BYTES)) == NULL)
		return -1;
	a->port = port;
	randombytes_buf(sec(a, SEC_TOKEN), DESK_SECRET_BYTES);
	randombytes_buf(sec(a, SEC_CSRF), DESK_SECRET_BYTES);
	sodium_memzero(sec(a, SEC_SESSION), DESK_SECRET_BYTES);
	return 0;
}

void
desk_auth_free(struct desk_auth *a)
{
	if (a->sec != NULL)
		sodium_free(a->sec); /* wipes */
	memset(a, 0, sizeof(*a));
}

void
desk_auth_token_hex(const struct desk_auth *a, char out[DESK_HEX_CHARS + 1])
{
	sodium_bin2hex(out, DESK_HEX_CHARS + 1, sec(a, SEC_TOKEN), DESK_SECRET_BYTES);
}

void
desk_auth_csrf_hex(const struct desk_auth *a, char out[DESK_HEX_CHARS + 1])
{
	sodium_bin2hex(out, DESK_HEX_CHARS + 1, sec(a, SEC_CSRF), DESK_SECRET_BYTES);
}

/* 1 if hex is exactly the hex of secret which (constant time in the
 * secret); 0 for anything else, including a wrong length. */
static int
sec_match(const struct desk_auth *a, int which, const char *hex)
{
	uint8_t got[DESK_SECRET_BYTES];
	size_t n = 0;
	int ok;

	if (hex == NULL || strlen(hex) != DESK_HEX_CHARS ||
	    sodium_hex2bin(got, sizeof(got), hex, DESK_HEX_CHARS, NULL, &n, NULL) != 0 ||
	    n != DESK_SECRET_BYTES)
		return 0;
	ok = sodium_memcmp(got, sec(a, which), DESK_SECRET_BYTES) == 0;
	sodium_memzero(got, sizeof(got));
	return ok;
}

/* "NAME:PORT" with NAME one of names (case-insensitive), PORT ours. */
static int
is_self(const struct desk_auth *a, const char *s, size_t len)
{
	static const char *const names[] = {"127.0.0.1", "localhost"};
	char want[DESK_HOST_MAX];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int n = snprintf(want, sizeof(want), "%s:%u", names[i], (unsigned)a->port);
		if (n > 0 && (size_t)n == len && strncasecmp(s, want, len) == 0)
			return 1;
	}
	return 0;
}

int
desk_host_ok(const struct desk_auth *a, const char *host)
{
	size_t n;

	if (host == NULL || (n = strlen(host)) == 0 || n >= DESK_HOST_MAX)
		return 0;
	return is_self(a, host, n);
}

int
desk_origin_ok(const struct desk_auth *a, const char *origin, const char *site)
{
	static const char http[] = "http://";
	size_t n;

	/* Sec-Fetch-Site: "none" is a typed address or xdg-open; a browser
	 * that sends it never says same-site or cross-site for its own page */
	if (site != NULL && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return 0;
	if (origin == NULL)
		return 1;
	n = strlen(origin);
	if (n <= sizeof(http) - 1 || n >= sizeof(http) + DESK_HOST_MAX ||
	    strncmp(origin, http, sizeof(http) - 1) != 0)
		return 0; /* "null" (a sandboxed frame, a file: page) too */
	return is_self(a, origin + sizeof(http) - 1, n - (sizeof(http) - 1));
}

int
desk_gate(struct desk_auth *a, const struct desk_req_hdrs *h, char cookie_out[DESK_HEX_CHARS + 1])
{
	cookie_out[0] = '\0';
	if (!desk_host_ok(a, h->host))
		return DESK_BAD_HOST;
	if (!desk_origin_ok(a, h->origin, h->fetch_site))
		return DESK_CROSS_SITE;
	if (h->token != NULL) {
		int right = !a->token_used && sec_match(a, SEC_TOKEN, h->token);
		/* a token is good for one exchange only, and only by GET */
		if (!right || strcmp(h->method, "GET") != 0)
			return DESK_BAD_TOKEN;
		a->token_used = 1;
		randombytes_buf(sec(a, SEC_TOKEN), DESK_SECRET_BYTES); /* spent */
		randombytes_buf(sec(a, SEC_SESSION), DESK_SECRET_BYTES);
		a->have_session = 1;
		sodium_bin2hex(
		    cookie_out, DESK_HEX_CHARS + 1, sec(a, SEC_SESSION), DESK_SECRET_BYTES);
		return DESK_ISSUE;
	}
	if (!a->have_session || !sec_match(a, SEC_SESSION, h->cookie))
		return DESK_NO_SESSION;
	if (strcmp(h->method, "GET") == 0 || strcmp(h->method, "HEAD") == 0)
		return DESK_PASS;
	if (strcmp(h->method, "POST") != 0 || !sec_match(a, SEC_CSRF, h->csrf))
		return DESK_BAD_CSRF;
	return DESK_PASS;
}
