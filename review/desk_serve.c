/*
 * The desk's server: libmicrohttpd on the listening socket cmd_desk bound
 * (MHD_OPTION_LISTEN_SOCKET: MHD never calls socket or bind), one internal
 * polling thread, so every page runs on that one thread and the casebook
 * needs no lock. Each request passes the gate (desk_auth.c) before any
 * page runs. The main thread waits for SIGINT/SIGTERM, a quit from the
 * page, or the idle timeout, then stops MHD and wipes the key.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "review/desk.h"

static _Atomic time_t last_seen;
static atomic_int quit_asked;

struct conn {
	struct desk_req req;
	struct MHD_PostProcessor *pp;
};

const char *
desk_arg(const struct desk_req *r, const char *name)
{
	if (strcmp(r->method, "POST") == 0) {
		for (size_t i = 0; i < r->nf; i++)
			if (strcmp(r->f[i].name, name) == 0)
				return r->f[i].val;
		return NULL;
	}
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* Collects the urlencoded form into req->f: at most DESK_FIELDS_MAX
 * fields, DESK_FORM_MAX bytes in all; a repeated name is refused (one
 * value per field: a second "csrf" must not shadow the first). */
static enum MHD_Result
post_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
    const char *ctype, const char *enc, const char *data, uint64_t off, size_t size)
{
	struct desk_req *r = cls;
	struct desk_field *f = NULL;
	char *nv;

	(void)kind, (void)filename, (void)ctype, (void)enc;
	if (strlen(key) >= DESK_FIELD_NAME_MAX) {
		r->bad_field = 1;
		return MHD_NO;
	}
	for (size_t i = 0; i < r->nf; i++)
		if (strcmp(r->f[i].name, key) == 0)
			f = &r->f[i];
	if (f == NULL || off == 0) {
		if (f != NULL || r->nf == DESK_FIELDS_MAX) {
			r->bad_field = 1;
			return MHD_NO;
		}
		f = &r->f[r->nf++];
		memcpy(f->name, key, strlen(key) + 1);
	}
	if (size > DESK_FORM_MAX - f->len) {
		r->too_big = 1;
		return MHD_NO;
	}
	if ((nv = malloc(f->len + size + 1)) == NULL)
		return MHD_NO;
	if (f->val != NULL) {
		memcpy(nv, f->val, f->len);
		sodium_memzero(f->val, f->len);
		free(f->val);
	}
	memcpy(nv + f->len, data, size);
	f->len += size;
	nv[f->len] = '\0';
	f->val = nv;
	return MHD_YES;
}

/* Browsers send a textarea's line breaks as CR LF (HTML forms); the
 * casebook's text has LF only (a CR is a control character it refuses). */
static void
crlf_to_lf(struct desk_field *f)
{
	size_t o = 0;

	for (size_t i = 0; i < f->len; i++)
		if (!(f->val[i] == '\r' && i + 1 < f->len && f->val[i + 1] == '\n'))
			f->val[o++] = f->val[i];
	sodium_memzero(f->val + o, f->len - o);
	f->len = o;
	f->val[o] = '\0';
}

static void
req_free(struct conn *c)
{
	for (size_t i = 0; i < c->req.nf; i++)
		if (c->req.f[i].val != NULL) {
			sodium_memzero(c->req.f[i].val, c->req.f[i].len);
			free(c->req.f[i].val);
		}
	if (c->pp != NULL)
		MHD_destroy_post_processor(c->pp);
	free(c);
}

static void
completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode t)
{
	(void)cls, (void)conn, (void)t;
	if (*con_cls != NULL)
		req_free(*con_cls);
	*con_cls = NULL;
}

static const struct {
	const char *method, *path;
	desk_page_fn fn;
	int locked_ok; /* served before the casebook is unlocked */
} routes[] = {
    {"GET", "/unlock", desk_page_unlock, 1},
    {"POST", "/unlock", desk_page_unlock_post, 1},
    {"GET", "/", desk_page_inbox, 0},
    {"GET", "/concern", desk_page_concern, 0},
    {"GET", "/attachment", desk_page_attachment, 0},
    {"POST", "/action", desk_page_action, 0},
    {"GET", "/referrals", desk_page_referrals, 0},
    {"GET", "/bundles", desk_page_bundles, 0},
    {"POST", "/bundles", desk_page_bundles_post, 0},
    {"GET", "/report", desk_page_report, 0},
    {"POST", "/report", desk_page_report_post, 0},
};

static void
route(struct desk *d, struct desk_req *r, struct desk_resp *o)
{
	if (strcmp(r->method, "GET") == 0 && (strcmp(r->path, "/static/style.css") == 0 ||
						 strcmp(r->path, "/static/desk.css") == 0)) {
		int desk = r->path[8] == 'd';
		tbuf_put(&o->body, desk ? d->web.desk_css : d->web.css,
		    desk ? d->web.desk_css_len : d->web.css_len);
		o->ctype = "text/css; charset=utf-8";
		return;
	}
	if (strcmp(r->method, "POST") == 0 && strcmp(r->path, "/quit") == 0) {
		atomic_store(&quit_asked, 1);
		desk_fail(d, o, 200, "desk_bye");
		return;
	}
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(r->path, routes[i].path) != 0)
			continue;
		if (strcmp(r->method, routes[i].method) != 0)
			continue;
		if (d->cb == NULL && !routes[i].locked_ok) {
			desk_redirect(o, "/unlock");
			return;
		}
		routes[i].fn(d, r, o);
		return;
	}
	desk_fail(d, o, 404, "desk_not_found");
}

static const char csp[] = "default-src 'none'; style-src 'self';"
			  " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

static enum MHD_Result
send_resp(struct MHD_Connection *conn, struct desk_resp *o, const char *cookie)
{
	struct MHD_Response *resp;
	char setc[DESK_HEX_CHARS + 96];
	enum MHD_Result rc;

	if (o->bin != NULL)
		resp = MHD_create_response_from_buffer(o->binlen, o->bin, MHD_RESPMEM_MUST_COPY);
	else
		resp = MHD_create_response_from_buffer(
		    o->body.len, o->body.p ? o->body.p : (char *)"", MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(
	    resp, "Content-Type", o->ctype ? o->ctype : "text/html; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "Content-Security-Policy", o->csp[0] ? o->csp : csp);
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	/* not no-referrer: with it a browser sends "Origin: null" on a form
	 * post, which the gate cannot tell from a sandboxed page's */
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
	if (o->location[0] != '\0')
		MHD_add_response_header(resp, "Location", o->location);
	if (o->disposition[0] != '\0')
		MHD_add_response_header(resp, "Content-Disposition", o->disposition);
	if (cookie != NULL && cookie[0] != '\0') {
		snprintf(setc, sizeof(setc), "%s=%s; Path=/; HttpOnly; SameSite=Strict",
		    DESK_COOKIE_NAME, cookie);
		MHD_add_response_header(resp, "Set-Cookie", setc);
		sodium_memzero(setc, sizeof(setc));
	}
	rc = MHD_queue_response(conn, o->status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static const char *const verdict_key[] = {
    [DESK_BAD_HOST] = "desk_refused_host",
    [DESK_CROSS_SITE] = "desk_refused_cross",
    [DESK_BAD_TOKEN] = "desk_refused_token",
    [DESK_NO_SESSION] = "desk_refused_session",
    [DESK_BAD_CSRF] = "desk_refused_csrf",
};

/* Everything a request gets once its form is in (form_ok: a POST had its
 * post processor, which has ended): the gate, then the page, into o. The
 * verdict; on DESK_ISSUE the new session's cookie is in cookie. Apart from
 * access_cb so that tests/fuzz/fuzz_desk.c drives the gate and every page
 * as a request reaches them, without a socket. */
static int
answer(struct desk *d, struct desk_req *r, int form_ok, struct desk_resp *o,
    char cookie[DESK_HEX_CHARS + 1])
{
	struct MHD_Connection *conn = r->conn;
	int is_post = strcmp(r->method, "POST") == 0;

	for (size_t i = 0; i < r->nf; i++)
		crlf_to_lf(&r->f[i]);
	memset(o, 0, sizeof(*o));
	o->status = 200;
	struct desk_req_hdrs h = {
	    r->method,
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST),
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin"),
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Sec-Fetch-Site"),
	    MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, DESK_COOKIE_NAME),
	    MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "token"),
	    is_post ? desk_arg(r, "csrf") : NULL,
	};

	int v = desk_gate(&d->auth, &h, cookie);
	if (v == DESK_ISSUE)
		desk_redirect(o, "/"); /* the token leaves the address bar */
	else if (v != DESK_PASS)
		desk_fail(d, o, 403, verdict_key[v]);
	else if (r->too_big)
		desk_fail(d, o, 413, "desk_too_big");
	else if (r->bad_field || (is_post && !form_ok))
		desk_fail(d, o, 400, "desk_bad_form");
	else
		route(d, r, o);
	if (o->body.err) {
		tbuf_free(&o->body);
		memset(&o->body, 0, sizeof(o->body));
		o->status = 500;
		o->ctype = "text/plain; charset=utf-8";
		tbuf_puts(&o->body, "500\n");
	}
	return v;
}

static enum MHD_Result
access_cb(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct desk *d = cls;
	struct conn *c = *con_cls;
	struct desk_resp o;
	char cookie[DESK_HEX_CHARS + 1];
	enum MHD_Result rc;

	(void)version;
	if (c == NULL) {
		/* first call: answer on the next (PERFORMANCE-NOTES.md, 1) */
		if ((c = calloc(1, sizeof(*c))) == NULL)
			return MHD_NO;
		c->req.method = method;
		c->req.path = url;
		c->req.conn = conn;
		if (strcmp(method, "POST") == 0)
			c->pp = MHD_create_post_processor(conn, 16384, post_field, &c->req);
		*con_cls = c;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		c->req.body_len += *upload_size;
		if (c->req.body_len > DESK_FORM_MAX)
			c->req.too_big = 1;
		else if (c->pp == NULL || MHD_post_process(c->pp, upload, *upload_size) != MHD_YES)
			c->req.bad_field = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	atomic_store(&last_seen, time(NULL));
	int form_ok = c->pp != NULL;
	/* the last urlencoded field is delivered when the processor ends */
	if (c->pp != NULL && MHD_destroy_post_processor(c->pp) != MHD_YES)
		c->req.bad_field = 1;
	c->pp = NULL;
	int v = answer(d, &c->req, form_ok, &o, cookie);
	rc = send_resp(conn, &o, v == DESK_ISSUE ? cookie : NULL);
	sodium_memzero(cookie, sizeof(cookie));
	tbuf_free(&o.body);
	if (o.bin != NULL) {
		sodium_memzero(o.bin, o.binlen);
		free(o.bin);
	}
	return rc;
}

int
desk_serve(struct desk *d, int lfd, unsigned idle)
{
	struct MHD_Daemon *mhd;
	sigset_t set;
	struct timespec one = {1, 0};
	int why = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	/* blocked before MHD's thread starts, so that thread inherits it */
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	atomic_store(&last_seen, time(NULL));
	mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL, 0, NULL, NULL,
	    access_cb, d, MHD_OPTION_LISTEN_SOCKET, (MHD_socket)lfd, MHD_OPTION_NOTIFY_COMPLETED,
	    completed, NULL, MHD_OPTION_CONNECTION_LIMIT, (unsigned)16,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_END);
	if (mhd == NULL)
		return -1;
	for (;;) {
		int s = sigtimedwait(&set, NULL, &one);
		if (s == SIGINT || s == SIGTERM) {
			why = 1;
			break;
		}
		if (atomic_load(&quit_asked)) {
			why = 2;
			break;
		}
		if (time(NULL) - atomic_load(&last_seen) >= (time_t)idle) {
			why = 3;
			break;
		}
	}
	MHD_stop_daemon(mhd);
	desk_lock(d);
	RV_ERR("desk", why == 1	  ? "cli.rv.desk.end_stopped"
		       : why == 2 ? "cli.rv.desk.end_closed"
				  : "cli.rv.desk.end_idle");
	return 0;
}
