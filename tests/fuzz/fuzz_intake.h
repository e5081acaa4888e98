/*
 * The intake's http handler driven from this process, shared by fuzz_http.c
 * and fuzz_replies.c: the real handler (intake/http.c and its pages)
 * against the real store loop on a real intake.db in a temporary
 * directory (tmpfs), its KDF the tests' cheapest ("min").
 *
 * The daemon is http_daemon's, started once with no listening socket and
 * driven from this thread (MHD_run: no polling thread); each input's
 * bytes go down one end of a socketpair given to MHD_add_connection, and
 * the answers are read from it until libmicrohttpd closes it. Nothing is
 * listened on or sent off this process.
 *
 * So that the fuzzer reaches past the anti-forgery token, the session
 * cookie and the receipt (all random or keyed), these three-byte markers
 * in the input are replaced before it is sent:
 *   @C@  a valid anti-forgery token
 *   @S@  the id of a session on the concern made at start-up (created for
 *        this input, dropped after it)
 *   @R@  that concern's receipt
 *   @K@  the first reviewer's key id (hex), as the report form names it
 * The concern is made at start-up through the daemon itself (a report
 * posted, its receipt read from the page), and a message added to it.
 *
 * Budgets and per-receipt limits are set so that nothing an input does
 * changes what the next input meets (no bucket runs dry, no pause after a
 * wrong receipt), so a crash reproduces from its file alone.
 *
 * Properties: no crash, leak or sanitizer report; the connection ends
 * (a hang aborts); no answer is a 500; every answer the intake made (200,
 * 303, and any answer with one of the security headers) carries all of
 * http_sec_headers; a Set-Cookie is HttpOnly and SameSite=Strict; a
 * Location is a local path or the leave page (serve --leave-url).
 *
 * fi_start(name) makes all of it once per process; run() sends one
 * input's bytes and checks every answer (check(): the properties above).
 */
#ifndef CANDOUR_FUZZ_INTAKE_H
#define CANDOUR_FUZZ_INTAKE_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "intake/http.h"
#include "intake/store_int.h"
#include "tests/fuzz/fuzz.h"

#define NREV 2
#define FH_MAX_UPLOAD 4096	     /* serve --max-upload: small, so inputs pass it */
#define FH_OUT_MAX ((size_t)2 << 20) /* answers kept of one input (< TMPL_OUT_MAX) */
#define FH_HANG_S 20		     /* a connection still open this long: a hang */
#define FH_IN_MAX ((size_t)1 << 20)  /* an input with its markers replaced */
#define FH_BIG 1e12		     /* a bucket that never runs dry */

static char dir[256];
static struct store_db *db;
static struct web webs[WEB_LANGS];
static struct http_app app;
static struct MHD_Daemon *d;
static struct session_data *sd; /* the start-up concern's session (sodium_malloc) */
static char receipt[CC_RCPT_GROUPED + 1];
static char keyhex[FORM_KEYID_HEX + 1];
/* CANDOUR_FUZZ_TRACE set: each input's answers' headers on stderr, and
 * with "body", the whole answers */
static int trace;
static const char *fi_name = "fuzz_http"; /* the target's, for messages */

static void *
store_thread(void *arg)
{
	(void)store_loop(*(int *)arg, db);
	return NULL;
}

static void
cleanup(void)
{
	static const char *const f[] = {"intake.db", "intake.db-wal", "intake.db-shm",
	    "intake.db.sign.pub", "keys/reviewer-0.pub", "keys/reviewer-1.pub", "b.bundle"};
	char p[300];

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, f[i]);
		(void)unlink(p);
	}
	snprintf(p, sizeof(p), "%s/keys", dir);
	(void)rmdir(p);
	(void)rmdir(dir);
}

/* Grows *out by what fd has; 1 at its end, 0 more may come. */
static int
drain(int fd, struct tbuf *out)
{
	char b[16384];

	for (;;) {
		ssize_t n = recv(fd, b, sizeof(b), MSG_DONTWAIT);
		if (n == 0)
			return 1;
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : 1;
		if (out->len + (size_t)n <= FH_OUT_MAX)
			tbuf_put(out, b, (size_t)n);
		if (out->err)
			abort();
	}
}

/* 1 when libmicrohttpd has read all that was sent (SIOCOUTQ: our bytes
 * its end has not read) and, polled now, has nothing to do (nor asks to
 * be run at once, with bytes read and not yet parsed), and waits to read
 * its connection's next bytes: a request suspended for the KDF is not
 * polled at all, and once resumed it would take the end of input for the
 * client gone before it answers. */
static int
idle(int fd, int mhd_fd)
{
	fd_set rs, ws, es;
	MHD_socket max = -1;
	struct timeval tv = {0, 0};
	int unread = 0;

	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_ZERO(&es);
	MHD_UNSIGNED_LONG_LONG to;

	if (ioctl(fd, SIOCOUTQ, &unread) != 0 || unread != 0)
		return 0;
	/* bytes read and not yet parsed: MHD asks to be run at once */
	if (MHD_get_timeout(d, &to) == MHD_YES && to == 0)
		return 0;
	if (MHD_get_fdset(d, &rs, &ws, &es, &max) != MHD_YES)
		abort();
	/* not waiting to read (suspended for the KDF, answering): not idle */
	if (!FD_ISSET(mhd_fd, &rs) || FD_ISSET(mhd_fd, &ws))
		return 0;
	return select(max + 1, &rs, &ws, &es, &tv) == 0;
}

/* One connection: in is sent, the answers gathered into out until
 * libmicrohttpd closes its end. The write side is shut only once it is
 * idle: libmicrohttpd 0.9 takes a read of nothing as the client gone and
 * closes at once, even with a request read and not yet answered. */
static void
exchange(const uint8_t *in, size_t len, struct tbuf *out)
{
	int sv[2], shut = 0;
	size_t sent = 0;
	struct sockaddr_in peer = {.sin_family = AF_INET, .sin_port = htons(40000)};
	time_t start = time(NULL);

	peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0 ||
	    MHD_add_connection(d, sv[0], (const struct sockaddr *)&peer, sizeof(peer)) != MHD_YES)
		abort();
	for (;;) {
		fd_set rs, ws, es;
		MHD_socket max = -1;
		struct timeval tv = {0, 100000};
		MHD_UNSIGNED_LONG_LONG to;

		if (sent < len) {
			ssize_t n = send(sv[1], in + sent, len - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
			if (n > 0)
				sent += (size_t)n;
			else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
				sent = len; /* closed under us: nothing more to send */
		}
		if (MHD_run(d) != MHD_YES)
			abort();
		if (drain(sv[1], out))
			break;
		if (time(NULL) - start > FH_HANG_S)
			abort(); /* the connection never ended */
		if (!shut && sent == len && idle(sv[1], sv[0])) {
			shutdown(sv[1], SHUT_WR);
			shut = 1;
			continue;
		}
		/* wait for libmicrohttpd's sockets (its wake-up pipe too: a
		 * request suspended for the KDF resumes from a worker) */
		FD_ZERO(&rs);
		FD_ZERO(&ws);
		FD_ZERO(&es);
		if (MHD_get_fdset(d, &rs, &ws, &es, &max) != MHD_YES)
			abort();
		FD_SET(sv[1], &rs);
		if (sent < len)
			FD_SET(sv[1], &ws);
		if (sv[1] > max)
			max = sv[1];
		/* bytes read and not parsed yet: at once */
		if (MHD_get_timeout(d, &to) == MHD_YES && to < 100)
			tv.tv_usec = (suseconds_t)to * 1000;
		(void)select(max + 1, &rs, &ws, &es, &tv);
	}
	close(sv[1]);
	/* the closed connection's clean-up runs in MHD_run */
	(void)MHD_run(d);
}

/* The value of header name in the answer's header block h (n bytes), or
 * NULL; *vlen its length. */
static const char *
header(const char *h, size_t n, const char *name, size_t *vlen)
{
	size_t k = strlen(name);

	for (const char *p = h, *e = h + n; p < e;) {
		const char *eol = memmem(p, (size_t)(e - p), "\r\n", 2);
		if (eol == NULL)
			eol = e;
		if ((size_t)(eol - p) > k + 1 && strncasecmp(p, name, k) == 0 && p[k] == ':') {
			const char *v = p + k + 1;
			while (v < eol && *v == ' ')
				v++;
			*vlen = (size_t)(eol - v);
			return v;
		}
		p = eol + 2;
	}
	return NULL;
}

static int
has(const char *v, size_t n, const char *needle)
{
	return v != NULL && memmem(v, n, needle, strlen(needle)) != NULL;
}

/* Walks the answers in out, checking each (see the properties above). */
static void
check(const struct tbuf *out)
{
	const char *p = out->p, *e;

	if (out->len == 0)
		return; /* closed unanswered (MHD_NO, or nothing sent) */
	e = out->p + out->len;

	while (p != NULL && e - p > 12 && memcmp(p, "HTTP/1.", 7) == 0) {
		const char *end = memmem(p, (size_t)(e - p), "\r\n\r\n", 4), *v;
		unsigned status = (unsigned)atoi(p + 9);
		size_t n, vlen;
		int ours = status == 200 || status == 303;

		if (end == NULL)
			break; /* cut at FH_OUT_MAX */
		n = (size_t)(end - p);
		if (trace)
			fprintf(stderr, "%s: %.*s\n", fi_name, (int)n, p);
		if (status == 500)
			abort(); /* a failure no page names */
		for (size_t i = 0; http_sec_headers[i] != NULL; i += 2)
			ours |= header(p, n, http_sec_headers[i], &vlen) != NULL;
		for (size_t i = 0; ours && http_sec_headers[i] != NULL; i += 2)
			if (header(p, n, http_sec_headers[i], &vlen) == NULL)
				abort(); /* an answer of ours without its headers */
		if ((v = header(p, n, "Set-Cookie", &vlen)) != NULL &&
		    (!has(v, vlen, "HttpOnly") || !has(v, vlen, "SameSite=Strict")))
			abort();
		if ((v = header(p, n, "Location", &vlen)) != NULL &&
		    (vlen == 0 || v[0] != '/' || (vlen > 1 && v[1] == '/')) &&
		    !(vlen == strlen(app.leave_url) && memcmp(v, app.leave_url, vlen) == 0))
			abort(); /* a redirect off the site, but to serve --leave-url */
		p = end + 4;
		/* the body: none after a HEAD (the next answer follows at once) */
		if ((v = header(end - n, n, "Content-Length", &vlen)) != NULL &&
		    !(e - p >= 7 && memcmp(p, "HTTP/1.", 7) == 0)) {
			size_t cl = strtoul(v, NULL, 10);
			p = (size_t)(e - p) >= cl ? p + cl : NULL;
		}
	}
}

/* The input with its markers replaced, into buf (FH_IN_MAX); its length.
 * sid gets the session made for @S@ ("" when none was). */
static size_t
expand(const uint8_t *data, size_t size, uint8_t *buf, char sid[SESSION_ID_HEX + 1])
{
	char tok[CSRF_TOKEN_LEN + 1];
	size_t n = 0;

	sid[0] = '\0';
	if (csrf_make(app.csrf_key, http_now_s(), tok) != 0)
		abort();
	for (size_t i = 0; i < size;) {
		const char *with = NULL;
		if (i + 3 <= size && data[i] == '@' && data[i + 2] == '@') {
			switch (data[i + 1]) {
			case 'C':
				with = tok;
				break;
			case 'S':
				if (sid[0] == '\0' &&
				    session_create(app.sessions, sd, http_now_s(), sid) != 0)
					abort();
				with = sid;
				break;
			case 'R':
				with = receipt;
				break;
			case 'K':
				with = keyhex;
				break;
			default:
				break;
			}
		}
		size_t k = with ? strlen(with) : 1;
		if (n + k > FH_IN_MAX)
			break;
		memcpy(buf + n, with ? (const uint8_t *)with : data + i, k);
		n += k;
		i += with ? 3 : 1;
	}
	return n;
}

/* One input: expanded, sent, its answers checked; its session dropped. */
static void
run(const uint8_t *data, size_t size, struct tbuf *out)
{
	static uint8_t buf[FH_IN_MAX];
	char sid[SESSION_ID_HEX + 1];
	size_t n = expand(data, size, buf, sid);

	if (trace)
		fprintf(stderr, "%s: input of %zu bytes, %zu sent\n", fi_name, size, n);

	exchange(buf, n, out);
	if (trace > 1)
		fprintf(stderr, "%.*s\n", (int)out->len, out->p ? out->p : "");
	check(out);
	if (sid[0] != '\0')
		session_drop(app.sessions, sid, SESSION_ID_HEX);
	sodium_memzero(sid, sizeof(sid));
}

/* ---- start-up ------------------------------------------------------------ */

static const char report_body[] = "csrf=@C@&category=recording&team=Ops&what=It+happened+on+the+"
				  "ward.&when=2025-11&refs=REF%2F2024%2F00012&risk=no&"
				  "raised_before=no&reviewer=@K@&choice=1";

/* The length of s once its markers are replaced (expand). */
static size_t
expanded_len(const char *s)
{
	static const char marks[] = "CSRK";
	static const size_t len[] = {
	    CSRF_TOKEN_LEN, SESSION_ID_HEX, CC_RCPT_GROUPED, FORM_KEYID_HEX};
	size_t n = 0;

	for (; *s != '\0'; s++, n++) {
		const char *m =
		    s[0] == '@' && s[1] != '\0' && s[2] == '@' ? strchr(marks, s[1]) : NULL;
		if (m != NULL && *m != '\0') {
			n += len[m - marks] - 1;
			s += 2;
		}
	}
	return n;
}

static void
req_of(struct tbuf *t, const char *head, const char *ctype, const char *body)
{
	char cl[64];

	snprintf(cl, sizeof(cl), "Content-Length: %zu\r\n", expanded_len(body));
	tbuf_puts(t, head);
	tbuf_puts(t, "Host: intake\r\n");
	if (ctype != NULL) {
		tbuf_puts(t, "Content-Type: ");
		tbuf_puts(t, ctype);
		tbuf_puts(t, "\r\n");
	}
	tbuf_puts(t, body[0] ? cl : "");
	tbuf_puts(t, "\r\n");
	tbuf_puts(t, body);
	if (t->err)
		abort();
}

/* The concern every input may reach: posted as a report, its receipt read
 * from the page, then entered for its session's data. */
static void
concern(void)
{
	struct tbuf in = {0}, out = {0};
	char id[SESSION_ID_HEX + 1];
	const char *p, *q;

	req_of(&in, "POST /report HTTP/1.1\r\n", "application/x-www-form-urlencoded", report_body);
	run((const uint8_t *)in.p, in.len, &out);
	if ((p = memmem(out.p, out.len, "class=\"receipt\">", 16)) == NULL ||
	    (q = memchr(p + 16, '<', (size_t)(out.p + out.len - p - 16))) == NULL ||
	    q - p - 16 != CC_RCPT_GROUPED) {
		fprintf(stderr, "%s: the start-up report got no receipt:\n%.*s\n", fi_name,
		    (int)(out.len < 2000 ? out.len : 2000), out.p);
		abort();
	}
	memcpy(receipt, p + 16, CC_RCPT_GROUPED);
	tbuf_free(&in), tbuf_free(&out);
	req_of(&in, "POST /followup HTTP/1.1\r\n", "application/x-www-form-urlencoded",
	    "csrf=@C@&receipt=@R@");
	run((const uint8_t *)in.p, in.len, &out);
	if ((p = memmem(out.p, out.len, HTTP_COOKIE "=", sizeof(HTTP_COOKIE))) == NULL ||
	    out.p + out.len - p < (ptrdiff_t)(sizeof(HTTP_COOKIE) + SESSION_ID_HEX))
		abort();
	memcpy(id, p + sizeof(HTTP_COOKIE), SESSION_ID_HEX);
	id[SESSION_ID_HEX] = '\0';
	if ((sd = sodium_malloc(sizeof(*sd))) == NULL ||
	    session_get(app.sessions, id, SESSION_ID_HEX, http_now_s(), sd) != 0)
		abort();
	session_drop(app.sessions, id, SESSION_ID_HEX);
	tbuf_free(&in), tbuf_free(&out);
	/* a message on it, so the follow-up page lists one */
	req_of(&in, "POST /followup/message HTTP/1.1\r\nCookie: " HTTP_COOKIE "=@S@\r\n",
	    "application/x-www-form-urlencoded", "csrf=@C@&text=Another+thing.");
	run((const uint8_t *)in.p, in.len, &out);
	if (memmem(out.p, out.len, "HTTP/1.1 303", 12) == NULL &&
	    memmem(out.p, out.len, "HTTP/1.1 200", 12) == NULL)
		abort();
	tbuf_free(&in), tbuf_free(&out);
}

/* The daemon, its store and the concern, once per process; name is the
 * target's (messages, the temporary directory). */
static void
fi_start(const char *name)
{
	static int sv[2];
	const char *web = getenv("CANDOUR_WEB_DIR"), *why;
	char path[300], err[256];
	pthread_t th;

	fi_name = name;
	fz_init();
	trace = getenv("CANDOUR_FUZZ_TRACE") == NULL		    ? 0
		: strcmp(getenv("CANDOUR_FUZZ_TRACE"), "body") == 0 ? 2
								    : 1;
	setenv(STORE_KDF_ENV, "min", 1);
	setenv(STORE_KDF_TEST_ENV, "1", 1); /* min is refused without it */
	/* before the temporary directory, which an abort would leave */
	if (web_load_all(web ? web : "web", webs) != 0) {
		fprintf(stderr, "%s: run from the source tree (or set CANDOUR_WEB_DIR)\n", name);
		abort();
	}
	for (int i = 0; i < WEB_LANGS; i++)
		if (contacts_load(&webs[i], NULL, 1, &why) != 0)
			abort();
	snprintf(path, sizeof(path), "candour-%s", name);
	fz_tmpdir(dir, sizeof(dir), path, cleanup);
	snprintf(path, sizeof(path), "%s/intake.db", dir);
	/* tmpfs, and no fsync: every accepted report commits */
	if (store_db_open(path, 1, 0, &db, err, sizeof(err)) != 0 ||
	    store_db_exec(db, "PRAGMA synchronous = OFF") != 0) {
		fprintf(stderr, "%s: %s\n", name, err);
		abort();
	}
	db->relaxed = 1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0 ||
	    pthread_create(&th, NULL, store_thread, &sv[1]) != 0 ||
	    storec_open(sv[0], &app.store) != 0 || storec_params(app.store, &app.rparams) != 0)
		abort();
	fz_reviewers(app.revs.k, NREV);
	app.revs.n = NREV;
	util_hex(app.revs.k[0].keyid, CC_KEYID_BYTES, keyhex);
	if (pthread_mutex_init(&app.revs_mu, NULL) != 0)
		abort();
	for (int i = 0; i < WEB_LANGS; i++)
		app.langs[i] = &webs[i];
	app.deflang = 0;
	app.web = &webs[0];
	app.onion = "";
	app.max_upload = FH_MAX_UPLOAD;
	app.leave_url = HTTP_LEAVE_URL_DEFAULT;
	if ((app.csrf_key = sodium_malloc(CSRF_KEY_BYTES)) == NULL)
		abort();
	memset(app.csrf_key, 3, CSRF_KEY_BYTES);
	bucket_init(&app.budget, FH_BIG, FH_BIG, mono_ms());
	bucket_init(&app.wrong, FH_BIG, FH_BIG, mono_ms());
	bucket_init(&app.bytes, FH_BIG, FH_BIG, mono_ms());
	struct conn_rules rules = {.header_ms = HTTP_HEADER_MS,
	    .window_ms = HTTP_BODY_WINDOW_MS,
	    .min_rate = HTTP_BODY_MIN_RATE,
	    .grace_ms = HTTP_LATE_GRACE_MS,
	    .quiet_ms = HTTP_QUIET_MS};
	struct kdfq_conf kc = {.params = &app.rparams,
	    .store = app.store,
	    .wrong = &app.wrong,
	    .workers = HTTP_KDF_CONCURRENCY,
	    .reserved = HTTP_KDF_RESERVED,
	    .queue_max = HTTP_KDF_QUEUE};
	struct MHD_OptionItem opts[] = {
	    {MHD_OPTION_CONNECTION_TIMEOUT, HTTP_CONN_TIMEOUT, NULL},
	    {MHD_OPTION_END, 0, NULL},
	};
	if (sessions_new(&app.sessions) != 0 || rcptlim_new(&app.rcpt, FH_BIG, FH_BIG) != 0 ||
	    pcache_new(&app.pages) != 0 || conns_new(&app.conns, 16, &rules) != 0 ||
	    kdfq_start(&app.kdf, &kc) != 0)
		abort();
	/* select (not epoll), driven by MHD_run here; the wake-up pipe lets a
	 * KDF worker resume a suspended request */
	if ((d = http_daemon(&app, MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC, opts)) == NULL)
		abort();
	concern();
}

#endif
