/*
 * The reviewer's desk (review/desk_*.c): the casebook as pages on one
 * loopback socket, bound before the no-network filter (sandbox.c), behind
 * a one-time token. Every page calls the casebook functions the CLI calls
 * (cb_*, ref_*, rp_*): nothing here decides who may read, which state
 * change is legal or what is audited.
 *
 * Functions return 0 / -1 unless said.
 */
#ifndef CANDOUR_REVIEW_DESK_H
#define CANDOUR_REVIEW_DESK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "review/cb_internal.h"
#include "tmpl/tmpl.h"

/* ---- limits ------------------------------------------------------------ */
#define DESK_SECRET_BYTES 32 /* token, session, CSRF: 256 random bits each */
#define DESK_HEX_CHARS (2 * DESK_SECRET_BYTES)
#define DESK_FLASH_MAX 512 /* a filled-in result line: a reason with names and ids */
#define DESK_IDLE_DEFAULT (30 * 60)
#define DESK_FORM_MAX ((size_t)2 << 20) /* one POST body (a reply is under CB_TEXT_MAX) */
#define DESK_FIELDS_MAX 16		/* fields in one form */
#define DESK_FIELD_NAME_MAX 32
#define DESK_HOST_MAX 64   /* "localhost:65535" fits with room */
#define DESK_PATH_MAX 4096 /* a bundle path typed in a form */
#define DESK_COOKIE_NAME "candour_desk"

/* ---- the gate (desk_auth.c): pure checks, unit-tested ------------------- */
struct desk_auth {
	uint16_t port;
	/* sodium_malloc'd: token | session | csrf, DESK_SECRET_BYTES each */
	uint8_t *sec;
	int token_used;	  /* the token was exchanged (or refused after use) */
	int have_session; /* a session cookie was issued */
};
/* Draws the one-time token; port is the bound loopback port. */
int desk_auth_init(struct desk_auth *, uint16_t port);
void desk_auth_free(struct desk_auth *); /* wipes */
void desk_auth_token_hex(const struct desk_auth *, char out[DESK_HEX_CHARS + 1]);
void desk_auth_csrf_hex(const struct desk_auth *, char out[DESK_HEX_CHARS + 1]);

/* What the gate decides for one request, before any page runs. */
enum desk_verdict {
	DESK_PASS = 0,	     /* a session request: serve it */
	DESK_ISSUE = 1,	     /* the token, first use: set the cookie, redirect to / */
	DESK_BAD_HOST = 2,   /* Host is not 127.0.0.1:PORT or localhost:PORT */
	DESK_CROSS_SITE = 3, /* Origin or Sec-Fetch-Site says another site sent it */
	DESK_BAD_TOKEN = 4,  /* a token that is wrong or was used already */
	DESK_NO_SESSION = 5, /* no cookie, or not the session's */
	DESK_BAD_CSRF = 6,   /* a POST whose form token is not the session's */
};
struct desk_req_hdrs {
	const char *method;	/* "GET", "POST", ... */
	const char *host;	/* Host header, NULL if none */
	const char *origin;	/* Origin header, NULL if none */
	const char *fetch_site; /* Sec-Fetch-Site, NULL if none */
	const char *cookie;	/* the value of cookie DESK_COOKIE_NAME, NULL if none */
	const char *token;	/* the ?token= argument, NULL if none */
	const char *csrf;	/* the form's csrf field (POST), NULL if none */
};
/* Decides; on DESK_ISSUE writes the new session's cookie value (hex) to
 * cookie_out. The token is spent by its first use, right or refused
 * later; Host and Origin are checked before the token is looked at. */
int desk_gate(
    struct desk_auth *, const struct desk_req_hdrs *, char cookie_out[DESK_HEX_CHARS + 1]);
/* Host: exactly 127.0.0.1:PORT or localhost:PORT (ASCII case-insensitive
 * name). 1 ok, 0 not. */
int desk_host_ok(const struct desk_auth *, const char *host);
/* Origin absent or http://127.0.0.1:PORT / http://localhost:PORT, and
 * Sec-Fetch-Site absent, same-origin or none. 1 ok, 0 not. */
int desk_origin_ok(const struct desk_auth *, const char *origin, const char *fetch_site);

/* ---- the web files (desk_web.c) ---------------------------------------- */
struct desk_web {
	const char *dir; /* web/ */
	const char *lang;
	struct catalogue *cat;
	char *css, *desk_css;
	size_t css_len, desk_css_len;
	char *cats[WEB_CATEGORIES_MAX];
	size_t ncats;
};
int desk_web_load(struct desk_web *, const char *dir, const char *lang);
void desk_web_free(struct desk_web *);

/* ---- a request and its answer (desk_serve.c) ---------------------------- */
struct desk_field {
	char name[DESK_FIELD_NAME_MAX];
	char *val; /* malloc'd, NUL-ended; wiped and freed with the request */
	size_t len;
};
struct desk_req {
	const char *method, *path;
	void *conn; /* struct MHD_Connection *, for query arguments */
	struct desk_field f[DESK_FIELDS_MAX];
	size_t nf;
	size_t body_len; /* bytes of form seen, limit DESK_FORM_MAX */
	int too_big, bad_field;
};
/* A form field (POST) or a query argument (GET); NULL if absent. */
const char *desk_arg(const struct desk_req *, const char *name);

struct desk_resp {
	unsigned status;
	struct tbuf body;
	const char *ctype;
	char location[256];    /* 303 target when set */
	char disposition[128]; /* Content-Disposition for a download */
	uint8_t *bin;	       /* a download's bytes (malloc'd) instead of body */
	char csp[192];	       /* a page's own Content-Security-Policy, "" the desk's */
	size_t binlen;
};

/* What a refused report form held, given back once by the next GET /report
 * so a reviewer need not type it all again. Periods, options and a path
 * only: never concern text. A value too long for its field is not kept
 * (it was refused for that). */
struct desk_report_kept {
	int set, save, alone;
	char period[16], format[8], lang[4], head[72], count[24], date[16], asof[16];
	char path[DESK_PATH_MAX];
};

struct desk {
	struct desk_auth auth;
	struct desk_web web;
	struct rv_opts o;
	uint8_t *keyfile; /* the key file's bytes (public parts and sealed secret) */
	size_t keyfile_len;
	struct cc_seckey *sk; /* sodium_malloc'd, NULL until unlocked */
	struct casebook *cb;  /* NULL until unlocked */
	char unlock_err[64];  /* catalogue key of the last unlock failure, "" none */
	char flash[64];	      /* catalogue key of the last action's result, "" none */
	char flash_arg[128];
	char flash_text[DESK_FLASH_MAX]; /* flash's text with its {N} filled, "" none */
	int flash_bad;
	struct desk_report_kept report_kept;
};

/* ---- pages (desk_page.c and desk_pages_*.c) ----------------------------- */
/* Template variables point at their text: a page copies what does not
 * outlive it (a row read from SQLite, decrypted text) into an arena, freed
 * (wiped: it may hold concern text) after the page is rendered. */
struct desk_arena {
	char **p;
	size_t *len;
	size_t n, cap;
	int err;
};
const char *desk_keep(struct desk_arena *, const char *s, size_t len);
/* n zeroed bytes owned by the arena (NULL on error, a->err set). */
void *desk_alloc(struct desk_arena *, size_t n);
/* A list of template scopes that grows in the arena. */
struct desk_vlist {
	struct tvars *v;
	size_t n, cap;
};
struct tvars *desk_vl_add(struct desk_arena *, struct desk_vlist *);
void desk_arena_free(struct desk_arena *);

/* Renders web/desk/NAME.html inside web/desk/layout.html with vars (the
 * page's own; the layout adds title, lang, csrf, nav). 0 / -1 (500). */
int desk_render(
    struct desk *, struct desk_resp *, const char *name, const char *title_key, struct tvars *vars);
/* A refusal or error page: status, the catalogue key of its one line. */
void desk_fail(struct desk *, struct desk_resp *, unsigned status, const char *key);
/* 303 to path (a local path beginning with '/'). */
void desk_redirect(struct desk_resp *, const char *path);
/* The result of an action, shown once on the next page. */
void desk_flash(struct desk *, int bad, const char *key, const char *arg);
/* The same, the catalogue text's {1}..{n} (n <= 4) filled with args: the
 * casebook's reason with the names it is about, as the CLI says it. */
void desk_flash_fmt(struct desk *, int bad, const char *key, const char *const *args, size_t n);
/* The catalogue string for key (the key itself if missing: a lint catches it). */
const char *desk_t(const struct desk *, const char *key);

/* Catalogue labels of a category slug, a state, an outcome (desk_pages_inbox.c). */
const char *desk_category(const struct desk *, const char *slug);
const char *desk_state(const struct desk *, int state);
const char *desk_outcome(const struct desk *, int outcome);

/* ?id= (or the form's id) as a concern this reviewer can read: 0, or -1
 * after answering 400 / 404 / 403 (sealed to others: never opened). */
int desk_concern_arg(struct desk *, struct desk_req *, struct desk_resp *, struct cb_concern *);

typedef void (*desk_page_fn)(struct desk *, struct desk_req *, struct desk_resp *);
void desk_page_unlock(struct desk *, struct desk_req *, struct desk_resp *);
void desk_page_unlock_post(struct desk *, struct desk_req *, struct desk_resp *);
void desk_page_inbox(struct desk *, struct desk_req *, struct desk_resp *);
void desk_page_concern(struct desk *, struct desk_req *, struct desk_resp *);
void desk_page_attachment(struct desk *, struct desk_req *, struct desk_resp *);
void desk_page_action(struct desk *, struct desk_req *, struct desk_resp *);
void desk_page_referrals(struct desk *, struct desk_req *, struct desk_resp *);
void desk_page_bundles(struct desk *, struct desk_req *, struct desk_resp *);
void desk_page_bundles_post(struct desk *, struct desk_req *, struct desk_resp *);
void desk_page_report(struct desk *, struct desk_req *, struct desk_resp *);
void desk_page_report_post(struct desk *, struct desk_req *, struct desk_resp *);

/* Opens the casebook with sk (taken: freed by desk_lock). 0, or -1 with
 * d->unlock_err set. */
int desk_unlock_with(struct desk *, struct cc_seckey *sk);
/* Closes the casebook and wipes the key. */
void desk_lock(struct desk *);

/* ---- the server (desk_serve.c) ----------------------------------------- */
/* Serves on lfd (bound, listening, loopback) until SIGINT/SIGTERM or idle
 * seconds without a request. The filter is installed by the caller. */
int desk_serve(struct desk *, int lfd, unsigned idle);

int cmd_desk(int argc, char **argv);

#endif
