/*
 * The http process's libmicrohttpd server: routing, request bodies, limits
 * and the one place responses are made, so every response (error pages
 * included) carries the same security headers. No access log exists: MHD's
 * error log is off and nothing here prints what a client sent.
 */
#include <errno.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>
#include <sodium/utils.h>

#include "intake/http.h"

const char *const http_sec_headers[] = {
    "Content-Security-Policy",
    "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'",
    "Referrer-Policy",
    "no-referrer",
    "X-Content-Type-Options",
    "nosniff",
    "Cache-Control",
    "no-store",
    "X-Frame-Options",
    "DENY",
    NULL,
};

/* The receipt page's policy: the same, and images from data: URIs only,
 * for the QR code as a PNG inside the page (qr_png.c). No other page may
 * show an image at all. */
const char http_csp_receipt[] =
    "default-src 'none'; style-src 'self'; img-src data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

uint64_t
http_now_s(void)
{
	return mono_ms() / 1000;
}

struct wiped {
	size_t len;
	char b[];
};

static void
wipe_free(void *p)
{
	struct wiped *w = (struct wiped *)((char *)p - offsetof(struct wiped, b));
	sodium_memzero(w->b, w->len);
	free(w);
}

int
http_send(struct MHD_Connection *c, const struct http_resp *rs)
{
	struct MHD_Response *r;
	char ra[32];
	enum MHD_Result ret;

	/* Our own copy, wiped when MHD is done: pages can hold a receipt or
	 * a decrypted reply. */
	struct wiped *w = malloc(sizeof(*w) + rs->len + 1);
	if (w == NULL)
		return MHD_NO;
	w->len = rs->len;
	if (rs->len)
		memcpy(w->b, rs->body, rs->len);
	r = MHD_create_response_from_buffer_with_free_callback(rs->len, w->b, wipe_free);
	if (r == NULL) {
		free(w);
		return MHD_NO;
	}
	int ok = 1;
	for (size_t i = 0; http_sec_headers[i] != NULL; i += 2) {
		const char *val = http_sec_headers[i + 1];
		if (rs->csp != NULL && strcmp(http_sec_headers[i], "Content-Security-Policy") == 0)
			val = rs->csp;
		ok &= MHD_add_response_header(r, http_sec_headers[i], val) == MHD_YES;
	}
	ok &= MHD_add_response_header(
		  r, "Content-Type", rs->ctype ? rs->ctype : "text/html; charset=utf-8") == MHD_YES;
	if (rs->location)
		ok &= MHD_add_response_header(r, "Location", rs->location) == MHD_YES;
	if (rs->cookie)
		ok &= MHD_add_response_header(r, "Set-Cookie", rs->cookie) == MHD_YES;
	if (rs->allow)
		ok &= MHD_add_response_header(r, "Allow", rs->allow) == MHD_YES;
	if (rs->status == 503 || rs->retry_after) {
		snprintf(ra, sizeof(ra), "%s", HTTP_RETRY_AFTER);
		ok &= MHD_add_response_header(r, "Retry-After", ra) == MHD_YES;
	}
	/* busy: the connection's slot and thread go to someone else */
	if (rs->status == 503)
		ok &= MHD_add_response_header(r, "Connection", "close") == MHD_YES;
	if (!ok) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	ret = MHD_queue_response(c, rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

const char *
http_cookie(struct MHD_Connection *c)
{
	return MHD_lookup_connection_value(c, MHD_COOKIE_KIND, HTTP_COOKIE);
}

/* ---- routing ------------------------------------------------------- */

static const struct {
	const char *path;
	int route;
	int post; /* accepts POST (with a form of this kind) */
	int get;  /* accepts GET/HEAD */
	int form;
} routes[] = {
    {"/", R_HOME, 0, 1, 0},
    {"/report", R_REPORT, 1, 1, FORM_REPORT},
    {"/followup", R_FOLLOWUP, 1, 1, FORM_RECEIPT},
    {"/followup/message", R_MESSAGE, 1, 0, FORM_MESSAGE},
    {"/leave", R_LEAVE, 0, 1, 0},
    {"/transparency", R_TRANSPARENCY, 0, 1, 0},
    {"/static/style.css", R_CSS, 0, 1, 0},
};

struct req {
	int ri; /* index in routes, or -1 */
	int lang;     /* index in web_langs */
	int prefixed; /* the URL chose the language */
	int cookie;   /* a session cookie came with it */
	int post;
	int late;	 /* its headers came past their deadline: 503 busy */
	unsigned status; /* error the request ends with, 0 if none */
	uint64_t received;
	struct MHD_PostProcessor *pp;
	struct form *form;
	struct kdf_job *job; /* queued or done; the connection was suspended */
};

static struct conn_slot *
slot_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci != NULL ? ci->socket_context : NULL;
}

/* Connection start and end: its deadline slot. */
static void
notify_conn(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	struct http_app *app = cls;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context =
		    ci != NULL ? conns_open(app->conns, ci->connect_fd, mono_ms()) : NULL;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		conns_close(app->conns, *socket_context);
		*socket_context = NULL;
	}
}

static void
kdf_resume(void *arg)
{
	MHD_resume_connection(arg);
}

int
http_kdf_queue(struct http_app *app, struct MHD_Connection *c, struct kdf_job *j)
{
	j->deadline_ms = mono_ms() + HTTP_KDF_WAIT_MS;
	j->done = kdf_resume;
	j->arg = c;
	/* Suspended before it is queued (a worker may resume it at once); a
	 * full lane answers busy through the same resume, so the page is
	 * always made on the call after it. */
	MHD_suspend_connection(c);
	if (kdfq_push(app->kdf, j) != 0) {
		j->result = KDF_BUSY;
		MHD_resume_connection(c);
	}
	return 0;
}

static enum MHD_Result
iter(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename, const char *ctype,
    const char *enc, const char *data, uint64_t off, size_t size)
{
	struct form *f = cls;
	(void)kind;
	(void)enc;
	return form_part(f, key, filename, ctype, data, off, size) == 0 ? MHD_YES : MHD_NO;
}

static int
ctype_ok(const char *ct)
{
	static const char *const ok[] = {
	    "application/x-www-form-urlencoded", "multipart/form-data"};
	if (ct == NULL)
		return 0;
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(ok[i]);
		if (strncasecmp(ct, ok[i], n) == 0 &&
		    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
			return 1;
	}
	return 0;
}

static struct cc_pool form_pool = CC_POOL_INIT(sizeof(struct form), HTTP_FORMS_KEPT);
static struct cc_pool job_pool = CC_POOL_INIT(sizeof(struct kdf_job), HTTP_JOBS_KEPT);

struct kdf_job *
http_job_get(void)
{
	return cc_pool_get(&job_pool);
}

static void
req_free(struct req *r)
{
	if (r == NULL)
		return;
	if (r->pp != NULL)
		MHD_destroy_post_processor(r->pp);
	if (r->form != NULL) {
		form_abort(r->form);
		form_free(r->form);
		cc_pool_put(&form_pool, r->form); /* wiped whole */
	}
	cc_pool_put(&job_pool, r->job); /* wipes the receipt and key */
	free(r);
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t)
{
	struct http_app *app = cls;
	(void)t;
	req_free(*con_cls);
	*con_cls = NULL;
	/* kept alive: the next request's headers have their deadline */
	conns_phase(app->conns, slot_of(c), CP_HEADERS, mono_ms());
}

static int
send_error(struct http_app *app, struct MHD_Connection *c, struct req *r)
{
	const char *allow = NULL;
	/* Late by the server's fault: busy, come back (the receipt form's
	 * own words on a receipt entry), never a silent close. */
	if (r->status == 503 && r->late)
		return page_error_msg(app, c, 503,
		    r->ri >= 0 && routes[r->ri].route == R_FOLLOWUP ? "enter.busy"
								    : "err.busy.text");
	if (r->status == 405)
		allow = routes[r->ri].post ? (routes[r->ri].get ? "GET, HEAD, POST" : "POST")
					   : "GET, HEAD";
	return page_error_allow(app, c, r->status, allow);
}

/* 1 when the browser says the request comes from another site. The
 * anti-forgery token is stateless, the same for everyone in its window,
 * so any site can fetch one: it proves a form is fresh, not where it was
 * posted from. Sec-Fetch-Site ("same-origin", or "none" for a user's own
 * action) answers that; browsers without it send Origin on a POST, whose
 * host must then be this Host (either scheme: TLS may end at a proxy).
 * Clients that send neither (curl, very old browsers) are not browsers
 * another site can drive. */
static int
cross_site(struct MHD_Connection *c)
{
	const char *sfs = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
	const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");

	if (sfs != NULL)
		return strcmp(sfs, "same-origin") != 0 && strcmp(sfs, "none") != 0;
	if (origin == NULL)
		return 0;
	if (strncmp(origin, "https://", 8) == 0)
		origin += 8;
	else if (strncmp(origin, "http://", 7) == 0)
		origin += 7;
	else
		return 1; /* "null" (a sandboxed or opaque origin) or anything else */
	return host == NULL || strcmp(origin, host) != 0;
}

/* The first of en and cy the browser lists with q above 0, or -1. Read for
 * a visit whose URL chooses no language and never kept. */
static int
accept_language(struct MHD_Connection *c)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
	char item[64];

	while (h != NULL && *h != '\0') {
		size_t n = strcspn(h, ","), sp = strspn(h, " ");
		if (n > sp && n - sp < sizeof(item)) {
			memcpy(item, h + sp, n - sp);
			item[n - sp] = '\0';
			const char *q = strstr(item, ";q=");
			for (int i = 0; i < WEB_LANGS; i++) {
				size_t l = strlen(web_langs[i]);
				char after = item[l];
				if (strncasecmp(item, web_langs[i], l) == 0 &&
				    (after == '\0' || after == '-' || after == ';' ||
					after == ' ') &&
				    (q == NULL || strtod(q + 3, NULL) > 0))
					return i;
			}
		}
		h += n + (h[n] == ',');
	}
	return -1;
}

/* "/cy/report" -> cy, "/report"; "/cy" -> cy, "/". No prefix: the browser's
 * choice, else serve --lang. Returns the path without the prefix. */
static const char *
req_lang(struct http_app *app, struct MHD_Connection *c, const char *url, struct req *r)
{
	for (int i = 0; i < WEB_LANGS; i++) {
		size_t l = strlen(web_langs[i]);
		if (url[0] == '/' && strncmp(url + 1, web_langs[i], l) == 0 &&
		    (url[l + 1] == '\0' || url[l + 1] == '/')) {
			r->lang = i;
			r->prefixed = 1;
			return url[l + 1] ? url + l + 1 : "/";
		}
	}
	int a = accept_language(c);
	r->lang = a >= 0 ? a : app->deflang;
	return url;
}

_Thread_local struct http_view http_view;

/* Points this thread's http_view at this request (each call: a suspended
 * request resumes after others have run on this thread). */
static void
req_apply(struct http_app *app, const struct req *r)
{
	static const char *const bases[WEB_LANGS] = {"/en", "/cy"};

	struct http_view *v = &http_view;

	if (app->langs[0] == NULL) /* a unit test's app: one catalogue */
		return;
	v->web = app->langs[r->lang];
	v->base = r->prefixed || r->lang != app->deflang ? bases[r->lang] : "";
	v->path = r->ri >= 0 ? routes[r->ri].path : "/";
	/* With a session, leaving goes through /leave, which ends it: the
	 * next person to pick up the phone must not find the replies behind
	 * the back button. Without one, straight to the neutral page. */
	snprintf(v->leave_buf, sizeof(v->leave_buf), "%s/leave", v->base);
	v->leave_href = r->cookie || app->leave_url == NULL ? v->leave_buf : app->leave_url;
	v->view = r->lang * 4 + (v->base[0] != '\0') * 2 + (v->leave_href == v->leave_buf);
}

/* First call: route, method, body limits and content type. */
static int
req_start(struct http_app *app, struct MHD_Connection *c, const char *url, const char *method,
    struct req *r)
{
	r->ri = -1;
	r->cookie = http_cookie(c) != NULL;
	url = req_lang(app, c, url, r);
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (strcmp(url, routes[i].path) == 0)
			r->ri = (int)i;
	int keeps_text =
	    r->ri >= 0 && (routes[r->ri].route == R_REPORT || routes[r->ri].route == R_MESSAGE);
	r->post = strcmp(method, "POST") == 0;
	int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	if (r->ri < 0)
		r->status = 404;
	else if ((r->post && !routes[r->ri].post) || (get && !routes[r->ri].get) ||
		 (!get && !r->post))
		r->status = 405;
	/* Late (conns_start): a page is not made, a report or a message is
	 * read whole and goes back in its form (below); anything else's body
	 * is read and dropped. */
	if (r->late && r->status == 0 && (!r->post || !keeps_text))
		r->status = 503;
	if (!r->post)
		return 0;
	/* A report or a message over the limit is read to its end for its
	 * text (files dropped), so the form goes back with it; anything else,
	 * or a body too long even for that, is answered now, unread. */
	int over = 0;
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (cl != NULL) {
		char *end;
		errno = 0;
		unsigned long long n = strtoull(cl, &end, 10);
		if (errno != 0 || *end != '\0' || cl[0] == '-')
			return r->status = 413, -1;
		if (n > app->max_upload && (!keeps_text || n - app->max_upload > HTTP_OVER_DISCARD_MAX))
			return r->status = 413, -1; /* answer now, read nothing */
		over = n > app->max_upload;
	}
	if (r->status)
		return 0;
	if (cross_site(c)) {
		r->status = 403; /* the body is read and dropped, nothing sealed */
		return 0;
	}
	if (!ctype_ok(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type"))) {
		r->status = 415;
		return 0;
	}
	struct revset *rs = malloc(sizeof(*rs));
	if (rs == NULL || (r->form = cc_pool_get(&form_pool)) == NULL) {
		free(rs);
		r->status = 503;
		return 0;
	}
	http_revs_get(app, rs); /* the form keeps its own copy */
	form_init(
	    r->form, routes[r->ri].form, app->store, app->csrf_key, http_now_s(), rs->k, rs->n);
	free(rs);
	r->form->bytes = &app->bytes;
	if (routes[r->ri].route == R_REPORT || routes[r->ri].route == R_MESSAGE) {
		/* The global budget spent, or the disk at its floor: no file is
		 * kept, but the text is read so the form goes back with it. The
		 * budget's token itself is taken when a valid form is sent. */
		int full = storec_full(app->store);
		if (full != 0)
			form_refuse(r->form, full == 1 ? FORM_REFUSE_FULL : FORM_REFUSE_BUSY);
		else if (!bucket_peek(&app->budget, mono_ms()) || r->late)
			form_refuse(r->form, FORM_REFUSE_BUSY);
	}
	if (over) /* nothing is sealed that would be dropped at the limit */
		form_refuse(r->form, FORM_REFUSE_OVER);
	/* files are sealed as they arrive (late: refused, nothing to prepare) */
	if (routes[r->ri].route == R_MESSAGE && !r->late)
		page_message_prepare(app, c, r->form);
	r->pp = MHD_create_post_processor(c, HTTP_PP_BUFFER, iter, r->form);
	if (r->pp == NULL)
		r->status = 400;
	return 0;
}

static int
dispatch(struct http_app *app, struct MHD_Connection *c, struct req *r)
{
	int route = routes[r->ri].route;

	if (r->post) {
		switch (route) {
		case R_REPORT:
			return page_report_submit(app, c, r->form, &r->job);
		case R_FOLLOWUP:
			return page_receipt_submit(app, c, r->form, &r->job);
		case R_MESSAGE:
			return page_message_submit(app, c, r->form);
		default:
			return page_error(app, c, 405);
		}
	}
	switch (route) {
	case R_HOME:
		return page_home(app, c);
	case R_REPORT:
		return page_report_form(app, c);
	case R_FOLLOWUP:
		return page_followup(app, c);
	case R_LEAVE:
		return page_leave(app, c);
	case R_TRANSPARENCY:
		return page_transparency(app, c);
	case R_CSS: {
		struct http_resp rs = {.status = 200,
		    .ctype = "text/css; charset=utf-8",
		    .body = http_web(app)->css,
		    .len = http_web(app)->css_len};
		return http_send(c, &rs);
	}
	default:
		return page_error(app, c, 404);
	}
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *data, size_t *size, void **con_cls)
{
	struct http_app *app = cls;
	struct req *r = *con_cls;
	(void)version;

	if (r == NULL) {
		if ((r = calloc(1, sizeof(*r))) == NULL)
			return MHD_NO;
		*con_cls = r;
		/* the headers are in (a body now has its rate to keep); first,
		 * before anything else, so no sweep takes it for a slow client */
		r->late = conns_start(app->conns, slot_of(c),
		    strcmp(method, "POST") == 0 ? CP_BODY : CP_BUSY, mono_ms());
		int started = req_start(app, c, url, method, r);
		req_apply(app, r);
		if (started != 0)
			return (enum MHD_Result)send_error(app, c, r);
		/* Answer on a later call: queueing now would close keep-alive. */
		return MHD_YES;
	}
	req_apply(app, r);
	if (*size > 0) {
		conns_bytes(app->conns, slot_of(c), *size);
		r->received += *size;
		if (r->received > app->max_upload && r->status == 0) {
			int route = r->ri >= 0 ? routes[r->ri].route : R_NONE;
			if (r->form != NULL && r->pp != NULL &&
			    (route == R_REPORT || route == R_MESSAGE) &&
			    r->received - app->max_upload <= HTTP_OVER_DISCARD_MAX) {
				form_over(r->form); /* names the file, drops them all */
			} else {
				r->status = 413;
				if (r->form != NULL)
					form_abort(r->form);
			}
		}
		conns_hold(app->conns, slot_of(c), 1, mono_ms());
		if (r->status == 0 && r->pp != NULL &&
		    MHD_post_process(r->pp, data, *size) != MHD_YES) {
			r->status = r->form->status ? (unsigned)r->form->status : 400;
			form_abort(r->form);
		}
		conns_hold(app->conns, slot_of(c), 0, mono_ms());
		/* An error mid-body is answered when the body ends (MHD cannot
		 * queue a reply mid-body); a body that goes on past the limit
		 * plus HTTP_DISCARD_MAX is cut off without a reply. */
		if (r->status != 0 && r->received > app->max_upload + HTTP_DISCARD_MAX)
			return MHD_NO;
		if (r->received > app->max_upload + HTTP_OVER_DISCARD_MAX)
			return MHD_NO;
		*size = 0;
		return MHD_YES;
	}
	conns_phase(app->conns, slot_of(c), CP_BUSY, mono_ms());
	if (r->pp != NULL) {
		enum MHD_Result done = MHD_destroy_post_processor(r->pp);
		r->pp = NULL;
		if (r->status == 0 && done != MHD_YES) /* the last part may fail here */
			r->status = r->form->status ? (unsigned)r->form->status : 400;
		if (r->status == 0 && form_end(r->form) != 0)
			r->status = (unsigned)r->form->status;
		if (r->status != 0)
			form_abort(r->form);
	}
	if (r->status != 0)
		return (enum MHD_Result)send_error(app, c, r);
	return (enum MHD_Result)dispatch(app, c, r);
}

/* As many connections as descriptors allow: the soft limit is raised to
 * the hard one (before the sandbox), and HTTP_FD_SPARE are kept back. */
static unsigned
conn_limit(unsigned want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return HTTP_CONN_MIN;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)want + HTTP_FD_SPARE)
		want = rl.rlim_cur > HTTP_CONN_MIN + HTTP_FD_SPARE
			   ? (unsigned)(rl.rlim_cur - HTTP_FD_SPARE)
			   : HTTP_CONN_MIN;
	return want;
}

struct MHD_Daemon *
http_daemon(struct http_app *app, unsigned flags, const struct MHD_OptionItem *more)
{
	struct MHD_OptionItem base[] = {
	    {MHD_OPTION_CONNECTION_MEMORY_LIMIT, HTTP_CONN_MEMORY, NULL},
	    {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)completed, app},
	    {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)notify_conn, app},
	    {MHD_OPTION_END, 0, NULL},
	};
	return MHD_start_daemon(flags | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL, handler, app,
	    MHD_OPTION_ARRAY, base, MHD_OPTION_ARRAY, more, MHD_OPTION_END);
}

int
http_run(struct http_app *app, const struct http_opts *o)
{
	struct MHD_Daemon *d = NULL;
	/* epoll and a small thread pool: a slow or idle connection costs a
	 * slot and its buffer, never a thread; the KDF runs on kdf.c's
	 * workers, so these threads never wait for it. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;
	unsigned limit = conn_limit(o->connections ? o->connections : HTTP_CONN_LIMIT);
	struct conn_rules rules = {.header_ms = HTTP_HEADER_MS,
	    .window_ms = HTTP_BODY_WINDOW_MS,
	    .min_rate = HTTP_BODY_MIN_RATE,
	    .grace_ms = HTTP_LATE_GRACE_MS,
	    .stall_ms = HTTP_SWEEP_STALL_MS,
	    .quiet_ms = HTTP_QUIET_MS};
	struct kdfq_conf kc = {.params = &app->rparams,
	    .store = app->store,
	    .wrong = &app->wrong,
	    .workers = HTTP_KDF_CONCURRENCY,
	    .reserved = HTTP_KDF_RESERVED,
	    .queue_max = HTTP_KDF_QUEUE,
	    .slow_ms = HTTP_RCPT_SLOW_MS};
	struct timespec tick = {HTTP_SWEEP_MS / 1000, (HTTP_SWEEP_MS % 1000) * 1000000L};
	sigset_t set;
	int ret = -1;

	if (o->tls_cert != NULL)
		flags |= MHD_USE_TLS;
	struct MHD_OptionItem opts[] = {
	    {MHD_OPTION_LISTEN_SOCKET, o->listen_fd, NULL},
	    {MHD_OPTION_CONNECTION_LIMIT, limit, NULL},
	    {MHD_OPTION_THREAD_POOL_SIZE, HTTP_POOL_THREADS, NULL},
	    {MHD_OPTION_CONNECTION_TIMEOUT, o->timeout ? o->timeout : HTTP_CONN_TIMEOUT, NULL},
	    {MHD_OPTION_THREAD_STACK_SIZE, HTTP_THREAD_STACK, NULL},
	    {o->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, (void *)o->tls_cert},
	    {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)o->tls_key},
	    {MHD_OPTION_END, 0, NULL},
	};
	app->tls = o->tls_cert != NULL;
	/* a slot for every connection MHD may hold, and some it is closing */
	if (conns_new(&app->conns, limit + HTTP_FD_SPARE, &rules) != 0)
		return -1;
	if (o->sandbox && sandbox_seccomp() != 0)
		goto out;
	if (kdfq_start(&app->kdf, &kc) != 0)
		goto out;
	if ((d = http_daemon(app, flags, opts)) == NULL)
		goto out;
	if (o->ready_fd >= 0) { /* serve announces the start only now */
		char r = 'R';
		if (write(o->ready_fd, &r, 1) != 1)
			r = 0; /* serve sees the pipe close: a failed start */
		close(o->ready_fd);
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	for (;;) {
		int sig = sigtimedwait(&set, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		(void)conns_sweep(app->conns, mono_ms());
		for (int r; o->ctl_fd >= 0 && (r = http_revs_reload(app, o->ctl_fd)) != 0 && r != -2;) {
			char ack = r > 0 ? 'K' : 'X';
			(void)send(o->ctl_fd, &ack, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
		}
	}
	ret = 0;
out:
	/* The workers first: they resume every suspended connection; the
	 * queue stays valid (refusing) while MHD finishes its requests. */
	kdfq_stop(app->kdf);
	if (d != NULL)
		MHD_stop_daemon(d);
	kdfq_free(app->kdf);
	app->kdf = NULL;
	conns_free(app->conns);
	app->conns = NULL;
	return ret;
}
