/*
 * What a browser sends besides the form: the session cookie's value
 * (intake/session.c) and the anti-forgery token (csrf.c). Input: a list of
 * operations on one session table, each an op byte then its bytes:
 *   0 create a session (lookup from the input)   1 get by input bytes
 *   2 get by the last created id, one byte changed at a chosen place
 *   3 drop by input bytes                         4 time passes (u16 s)
 *   5 check input bytes as an anti-forgery token
 * Properties: an id never issued opens nothing; an issued id opens its
 * own data until it expires or is dropped; a token passes only if it is
 * exactly the one made for this window or the one before.
 */
#include "intake/http.h"
#include "tests/fuzz/fuzz.h"

static uint8_t csrf_key[CSRF_KEY_BYTES];
/* One table for the process (sodium_malloc'd, costly to make): emptied
 * before each input by letting every session expire. */
static struct sessions *t;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct fzw w = {0};
	char tok[CSRF_TOKEN_LEN + 1];

	(void)argc;
	(void)argv;
	fz_init();
	memset(csrf_key, 7, sizeof(csrf_key));
	if (sessions_new(&t) != 0)
		abort();
	fz_put8(&w, 0);
	fz_put_str(&w, "0123456789abcdef0123456789abcdef");
	fz_put8(&w, 2);
	fz_put8(&w, 64);
	fz_put8(&w, 2);
	fz_put8(&w, 3);
	fz_put8(&w, 4);
	fz_put8(&w, 0x90);
	fz_put8(&w, 0x01);
	fz_put8(&w, 2);
	fz_put8(&w, 64);
	fz_put8(&w, 5);
	if (csrf_make(csrf_key, 1000000, tok) != 0)
		abort();
	fz_put_str(&w, tok);
	fz_put8(&w, 1);
	fz_put_str(&w, "00000000000000000000000000000000000000000000000000000000000000ff");
	fz_seed("ops", w.b, w.n);
	return 0;
}

static void
token(const uint8_t *p, size_t len, uint64_t now)
{
	char a[CSRF_TOKEN_LEN + 1], b[CSRF_TOKEN_LEN + 1];

	if (!csrf_check(csrf_key, now, (const char *)p, len))
		return;
	if (csrf_make(csrf_key, now, a) != 0 ||
	    csrf_make(csrf_key, now - HTTP_CSRF_WINDOW, b) != 0)
		abort();
	/* hex is read either case: compare case-blind */
	if (len != CSRF_TOKEN_LEN ||
	    (strncasecmp((const char *)p, a, len) != 0 && strncasecmp((const char *)p, b, len) != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz z = {data, size};
	struct session_data d, got, last_d;
	char id[SESSION_ID_HEX + 1] = "", probe[SESSION_ID_HEX];
	uint64_t now = 1000000, last_t = 0;
	int have = 0;

	if (session_count(t, UINT64_MAX) != 0)
		abort();
	while (z.n > 0) {
		const uint8_t *p;
		size_t len;
		uint8_t op = fz_u8(&z) % 6;

		switch (op) {
		case 0:
			memset(&d, 0, sizeof(d));
			p = fz_bytes(&z, &len);
			memcpy(d.lookup, p, len < CC_HASH_BYTES ? len : CC_HASH_BYTES);
			if (session_create(t, &d, now, id) == 0) {
				if (strlen(id) != SESSION_ID_HEX)
					abort();
				have = 1;
				last_d = d;
				last_t = now;
			}
			break;
		case 1:
			p = fz_bytes(&z, &len);
			if (session_get(t, (const char *)p, len, now, &got) == 0 &&
			    !(have && len == SESSION_ID_HEX && memcmp(p, id, len) == 0))
				abort(); /* an id never issued (or an old one) opened */
			break;
		case 2: {
			uint8_t at = fz_u8(&z);
			memcpy(probe, id, SESSION_ID_HEX);
			if (at < SESSION_ID_HEX)
				probe[at] ^= 1;
			int r = session_get(t, probe, SESSION_ID_HEX, now, &got);
			if (!have || at < SESSION_ID_HEX) {
				if (r == 0)
					abort();
			} else if (now < last_t + HTTP_SESSION_TTL) {
				if (r != 0 || memcmp(&got, &last_d, sizeof(got)) != 0)
					abort();
			}
			break;
		}
		case 3:
			p = fz_bytes(&z, &len);
			session_drop(t, (const char *)p, len);
			if (have && len == SESSION_ID_HEX && memcmp(p, id, len) == 0)
				have = 0;
			break;
		case 4:
			now += fz_u16(&z);
			break;
		default:
			p = fz_bytes(&z, &len);
			token(p, len, now);
			break;
		}
	}
	if (session_count(t, now) > HTTP_SESSION_MAX)
		abort();
	return 0;
}
