/*
 * The reviewer's desk's request handling before any page runs
 * (review/desk_serve.c, desk_auth.c): the gate over a sequence of requests
 * (method, Host, Origin, Sec-Fetch-Site, cookie, ?token=, the form's csrf)
 * and the urlencoded form collector over fields delivered in chunks as
 * libmicrohttpd delivers them. desk_serve.c is included for its static
 * collector (as tests/review/test_desk_refs_csv.c does); no casebook is
 * opened: the gate decides before any page (the pages, with a casebook,
 * are fuzz_desk_pages.c's: ~1.4 ms of CPU an input, so a target
 * of their own with its own count in run.sh). Header values are the real
 * secrets, a secret with one digit changed, NULL or any bytes, chosen by
 * the input, so the fuzzer reaches past the gate.
 * Properties: no crash or sanitizer report; the gate's verdict equals a
 * model of its rules (Host exactly 127.0.0.1:PORT or localhost:PORT, a
 * foreign Origin or Sec-Fetch-Site refused, the token good for one GET,
 * the session cookie for GET and HEAD, and a POST only with the form's
 * csrf); the collector keeps at most DESK_FIELDS_MAX fields of unique
 * names under DESK_FIELD_NAME_MAX, each value the concatenation of its
 * chunks, NUL-ended; a repeated name is refused; CR LF becomes LF.
 */
#include "review/desk_serve.c"
#include "tests/fuzz/fuzz.h"

#define PORT 8421
#define STR_MAX 128

/* hex with one digit changed to another value */
static const char *
flipped(const char *hex, char *buf)
{
	memcpy(buf, hex, DESK_HEX_CHARS + 1);
	buf[7] = buf[7] == '0' ? '1' : '0';
	return buf;
}

static int
is_self(const char *s)
{
	char a[DESK_HOST_MAX], b[DESK_HOST_MAX];
	snprintf(a, sizeof(a), "127.0.0.1:%u", PORT);
	snprintf(b, sizeof(b), "localhost:%u", PORT);
	return strcasecmp(s, a) == 0 || strcasecmp(s, b) == 0;
}

/* a secret as sec_match takes it: 64 hex digits of either case */
static int
same(const char *s, const char *hex)
{
	return s != NULL && strlen(s) == DESK_HEX_CHARS && strcasecmp(s, hex) == 0;
}

struct model {
	int used, have;
	char token[DESK_HEX_CHARS + 1], csrf[DESK_HEX_CHARS + 1], session[DESK_HEX_CHARS + 1];
};

static int
expect(struct model *m, const struct desk_req_hdrs *h)
{
	if (h->host == NULL || !is_self(h->host))
		return DESK_BAD_HOST;
	if (h->fetch_site != NULL && strcmp(h->fetch_site, "same-origin") != 0 &&
	    strcmp(h->fetch_site, "none") != 0)
		return DESK_CROSS_SITE;
	if (h->origin != NULL && (strncmp(h->origin, "http://", 7) != 0 || !is_self(h->origin + 7)))
		return DESK_CROSS_SITE;
	if (h->token != NULL)
		return !m->used && same(h->token, m->token) && strcmp(h->method, "GET") == 0
			   ? DESK_ISSUE
			   : DESK_BAD_TOKEN;
	if (!m->have || !same(h->cookie, m->session))
		return DESK_NO_SESSION;
	if (strcmp(h->method, "GET") == 0 || strcmp(h->method, "HEAD") == 0)
		return DESK_PASS;
	return strcmp(h->method, "POST") == 0 && same(h->csrf, m->csrf) ? DESK_PASS
									: DESK_BAD_CSRF;
}

static void
gate(struct fz *z)
{
	static const char *const methods[] = {"GET", "POST", "HEAD"};
	char sbuf[7][STR_MAX], self[DESK_HOST_MAX], org[DESK_HOST_MAX + 8], fl[DESK_HEX_CHARS + 1];
	char cookie[DESK_HEX_CHARS + 1];
	struct desk_auth a;
	struct model m = {0};

	if (desk_auth_init(&a, PORT) != 0)
		abort();
	desk_auth_token_hex(&a, m.token);
	desk_auth_csrf_hex(&a, m.csrf);
	for (unsigned n = fz_u8(z) % 6 + 1; n > 0 && z->n > 0; n--) {
		uint8_t s = fz_u8(z), t = fz_u8(z);
		struct desk_req_hdrs h;
		snprintf(self, sizeof(self), "%s:%u", (s & 4) ? "LocalHost" : "127.0.0.1", PORT);
		snprintf(org, sizeof(org), "http://%s", self);
		h.method = (s & 3) < 3 ? methods[s & 3] : fz_cstr(z, sbuf[0], STR_MAX);
		const char *host_of[] = {self, self, fz_cstr(z, sbuf[1], STR_MAX), NULL};
		h.host = host_of[(s >> 3) & 3];
		const char *origin_of[] = {NULL, org, fz_cstr(z, sbuf[2], STR_MAX), "null"};
		h.origin = origin_of[(s >> 5) & 3];
		const char *site_of[] = {
		    NULL, "same-origin", fz_cstr(z, sbuf[3], STR_MAX), "cross-site"};
		h.fetch_site = site_of[t & 3];
		const char *have = m.have ? m.session : m.token;
		const char *cookie_of[] = {
		    NULL, have, fz_cstr(z, sbuf[4], STR_MAX), flipped(have, fl)};
		h.cookie = cookie_of[(t >> 2) & 3];
		const char *token_of[] = {NULL, m.token, fz_cstr(z, sbuf[5], STR_MAX), NULL};
		h.token = token_of[(t >> 4) & 3];
		char fc[DESK_HEX_CHARS + 1];
		const char *csrf_of[] = {
		    NULL, m.csrf, fz_cstr(z, sbuf[6], STR_MAX), flipped(m.csrf, fc)};
		h.csrf = csrf_of[(t >> 6) & 3];

		int want = expect(&m, &h), got = desk_gate(&a, &h, cookie);
		if (got != want)
			abort();
		if (got == DESK_ISSUE) {
			if (strlen(cookie) != DESK_HEX_CHARS || same(cookie, m.token))
				abort(); /* a fresh session, not the token */
			m.used = m.have = 1;
			memcpy(m.session, cookie, sizeof(m.session));
		} else if (cookie[0] != '\0')
			abort();
	}
	desk_auth_free(&a);
}

/* The fields as libmicrohttpd hands them over: a name, then its value in
 * chunks at growing offsets; the collector may stop the form (MHD_NO). */
static void
form(struct fz *z)
{
	struct desk_req r;
	char key[STR_MAX];
	uint8_t *want[DESK_FIELDS_MAX] = {0};
	size_t wlen[DESK_FIELDS_MAX] = {0};

	memset(&r, 0, sizeof(r));
	r.method = "POST";
	for (unsigned n = fz_u8(z) % 20; n > 0 && z->n > 0; n--) {
		fz_cstr(z, key, STR_MAX);
		int fresh = strlen(key) < DESK_FIELD_NAME_MAX && r.nf < DESK_FIELDS_MAX &&
			    desk_arg(&r, key) == NULL;
		size_t idx = r.nf, off = 0;
		int stop = 0;
		for (unsigned k = fz_u8(z) % 3 + 1; k > 0; k--) {
			size_t len;
			const uint8_t *p = fz_bytes(z, &len);
			if (post_field(&r, MHD_POSTDATA_KIND, key, NULL, NULL, NULL,
				(const char *)p, off, len) != MHD_YES) {
				stop = 1;
				break;
			}
			if (!fresh)
				abort(); /* a repeated or bad name accepted */
			uint8_t *w = realloc(want[idx], wlen[idx] + len + 1);
			if (w == NULL)
				abort();
			memcpy(w + wlen[idx], p, len);
			want[idx] = w;
			wlen[idx] += len;
			off += len;
			/* an empty piece is a whole (empty) value: a later piece at
			 * the same offset 0 would read as the name repeated */
			if (len == 0)
				break;
		}
		if (stop) {
			if (fresh || !r.bad_field)
				abort(); /* refused without saying so, or refused a good one */
			break;
		}
	}
	if (r.nf > DESK_FIELDS_MAX)
		abort();
	for (size_t i = 0; i < r.nf; i++) {
		struct desk_field *f = &r.f[i];
		if (strlen(f->name) >= DESK_FIELD_NAME_MAX || f->len != wlen[i] ||
		    (f->len && memcmp(f->val, want[i], f->len) != 0) || f->val[f->len] != '\0')
			abort();
		for (size_t j = 0; j < i; j++)
			if (strcmp(r.f[j].name, f->name) == 0)
				abort();
		crlf_to_lf(f);
		size_t o = 0;
		for (size_t j = 0; j < wlen[i]; j++)
			if (!(want[i][j] == '\r' && j + 1 < wlen[i] && want[i][j + 1] == '\n'))
				if (f->val[o++] != (char)want[i][j])
					abort();
		if (o != f->len || f->val[o] != '\0')
			abort();
	}
	for (size_t i = 0; i < DESK_FIELDS_MAX; i++)
		free(want[i]);
	for (size_t i = 0; i < r.nf; i++)
		free(r.f[i].val);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	if (sodium_init() < 0)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz z = {data, size};
	uint8_t which = fz_u8(&z);

	if (which & 1)
		gate(&z);
	if (which & 2)
		form(&z);
	return 0;
}
