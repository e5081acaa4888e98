/*
 * Internal header of the intake's http process (libmicrohttpd, forms,
 * templates, sessions, limits). Only intake/http*.c, form*.c, page*.c,
 * tmpl*.c, web*.c, serve.c and sandbox.c include it. Every limit of the
 * http side is a named constant here. Functions return 0 / -1 unless said.
 */
#ifndef CANDOUR_INTAKE_HTTP_H
#define CANDOUR_INTAKE_HTTP_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "intake/intake.h"
#include "tmpl/tmpl.h"

/* ---- limits ------------------------------------------------------------ */
#define HTTP_CONN_LIMIT 64	     /* connections at once (thread each) */
#define HTTP_CONN_TIMEOUT 60	     /* seconds a connection may stay idle */
#define HTTP_CONN_MEMORY (64 * 1024) /* MHD per-connection header pool */
#define HTTP_THREAD_STACK (256 * 1024)
#define HTTP_KDF_CONCURRENCY 2		      /* Argon2id derivations at once */
#define HTTP_KDF_WAIT_MS 2000		      /* wait for a slot before 503 */
#define HTTP_RETRY_AFTER "30"		      /* seconds, on every 503 */
#define HTTP_DEFAULT_BUDGET 60		      /* accepted submissions per minute */
#define HTTP_RCPT_BURST 20		      /* wrong receipts before slowing all */
#define HTTP_RCPT_PER_HOUR 600		      /* wrong receipts refilled per hour (default) */
#define HTTP_SESSION_MAX 1024		      /* follow-up sessions held at once */
#define HTTP_SESSION_TTL 900		      /* seconds: 15 minutes, absolute */
#define HTTP_CSRF_WINDOW 3600		      /* a token is good for 1-2 windows */
#define HTTP_PAGE_MAX TMPL_OUT_MAX		      /* rendered page ceiling */
#define HTTP_DISCARD_MAX ((uint64_t)16 << 20) /* read past an error, then cut */
#define HTTP_PIECE_MAX (64 * 1024)	      /* one STORE_UPLOAD_DATA body */
#define HTTP_PP_BUFFER (16 * 1024)	      /* MHD post processor buffer */
#define HTTP_REPLY_MAX ((size_t)2 << 20)      /* one reply envelope shown (= the store's cap) */
#define HTTP_REPLIES_SHOWN 200
#define HTTP_REPLIES_TEXT_MAX ((size_t)2 << 20) /* escaped reply text on one page, in all */

#define FORM_TEAM_MAX 200
#define FORM_WHAT_MAX 65536
#define FORM_REFS_TEXT_MAX 4096
#define FORM_REF_MAX 64
#define FORM_REFS_MAX 50
#define FORM_RAISED_WITH_MAX 200
#define FORM_CATEGORY_MAX WEB_SLUG_MAX
#define FORM_FILENAME_MAX 255
#define FORM_CTYPE_MAX 127
#define FORM_TOKEN_MAX 128
#define FORM_KEYID_HEX (2 * CC_KEYID_BYTES)

/* ---- templates and catalogue: tmpl/tmpl.h ------------------------------ */
#define HTTP_TITLE_MAX 512 /* a page title from the catalogue, prefix included */

enum web_tmpl {
	WT_LAYOUT,
	WT_HOME,
	WT_REPORT,
	WT_CONFIRM,
	WT_ENTER,
	WT_FOLLOWUP,
	WT_SENT,
	WT_LEAVE,
	WT_TRANSPARENCY,
	WT_ERROR,
	WT_COUNT
};
struct web {
	char *tmpl[WT_COUNT];
	size_t tmpl_len[WT_COUNT];
	char *css;
	size_t css_len;
	struct catalogue cat;
	char *categories[WEB_CATEGORIES_MAX]; /* slugs [a-z0-9-]; label cat.SLUG */
	size_t ncategories;
};
/* Loads the templates DIR/templates/NAME.html, DIR/static/style.css,
 * DIR/locale/LANG.txt and
 * DIR/categories.txt. */
int web_load(const char *dir, const char *lang, struct web *);
void web_free(struct web *);
/* Catalogue lookup that never returns NULL (the key itself instead). */
const char *web_str(const struct web *, const char *key);

/* ---- the deployment's numbers for a reporter at risk (contacts.c) ------ */
#define CONTACTS_NUMBER_MAX 24
#define CONTACTS_PLACEHOLDER "0300 000 0000" /* shipped; refused unless --demo */
#define CONTACTS_PLACEHOLDER_TEL "03000000000"
#define CONTACTS_POLICE_DEFAULT "999"
#define CONTACTS_POLICE_NON_DEFAULT "101"
/* Reads PATH (out_of_hours, police, police_non = NUMBER lines) and adds
 * site.KEY and site.KEY_tel to w's catalogue. A missing file or the
 * placeholder number is refused unless demo. On -1, *why says why. */
int contacts_load(struct web *w, const char *path, int demo, const char **why);

/* ---- serve's checks before it creates anything (serve_check.c) -------- */
/* Finds web/ beside the binary (BIN/../web: the tree it was built in;
 * BIN/../share/candour/web: where make install put it), under the
 * compiled-in prefix, then ./web. On -1, tried lists every one tried. */
int serve_find_web(char *out, size_t outlen, char *tried, size_t triedlen);
/* --user must name an existing user other than root (NULL: none given). */
int serve_check_user(const char *user, const char **why);
/* *is_new = 1 when db does not exist and its directory holds no other
 * intake (no *.sign.key); -1 with why when it does, or cannot be read. */
int serve_check_new(const char *db, int *is_new, char *why, size_t whylen);

/* ---- limits without per-person state (limit.c) ------------------------- */
/* Token bucket: cap tokens, refilled at per_min a minute. now_ms is a
 * monotonic clock reading so tests can drive it. */
struct bucket {
	pthread_mutex_t mu;
	double tokens, cap, per_ms;
	uint64_t last_ms;
};
void bucket_init(struct bucket *, double cap, double per_min, uint64_t now_ms);
/* 1 when a token was taken, 0 when empty. */
int bucket_take(struct bucket *, uint64_t now_ms);
/* 1 when at least one token is there (takes none). */
int bucket_peek(struct bucket *, uint64_t now_ms);

/* Counting gate for Argon2id work. */
struct gate {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned inside, max;
};
int gate_init(struct gate *, unsigned max);
/* 0 when entered within wait_ms, -1 when still full. */
int gate_enter(struct gate *, unsigned wait_ms);
void gate_leave(struct gate *);
uint64_t mono_ms(void);

/* ---- anti-forgery tokens (csrf.c) --------------------------------------
 * token = hex(u64le window) "." hex(HMAC-SHA256(key, "candour-csrf-v1" ||
 * u64le window)[0..16]). Valid for the current and the previous window.
 * No per-person state; the key is per process, random, sodium_malloc'd. */
#define CSRF_KEY_BYTES 32
#define CSRF_TOKEN_LEN (16 + 1 + 32)
int csrf_make(const uint8_t *key, uint64_t now_s, char out[CSRF_TOKEN_LEN + 1]);
/* 1 valid, 0 not (forged, expired, from the future, malformed). */
int csrf_check(const uint8_t *key, uint64_t now_s, const char *tok, size_t len);

/* ---- follow-up sessions (session.c) -----------------------------------
 * In memory only, sodium_malloc'd, wiped on expiry and on leave. The id is
 * 32 random bytes, sent as 64 hex characters in an HttpOnly cookie. */
#define SESSION_ID_HEX 64
struct session_data {
	uint8_t lookup[CC_HASH_BYTES];
	struct cc_boxkey key; /* reporter key derived from the receipt */
};
struct sessions;
int sessions_new(struct sessions **);
void sessions_free(struct sessions *);
/* Creates a session; id gets the cookie value. -1 when full. */
int session_create(
    struct sessions *, const struct session_data *, uint64_t now_s, char id[SESSION_ID_HEX + 1]);
/* Copies the data of a live session into out (caller wipes it). */
int session_get(
    struct sessions *, const char *id, size_t idlen, uint64_t now_s, struct session_data *out);
void session_drop(struct sessions *, const char *id, size_t idlen);
size_t session_count(struct sessions *, uint64_t now_s);

/* ---- an envelope streamed to the store as it is sealed (upload.c) ------
 * Plaintext in, STORE_UPLOAD_DATA pieces of at most HTTP_PIECE_MAX out:
 * memory stays flat whatever the size. Errors are sticky in err. */
struct upload {
	struct store_conn *st;
	struct cc_env_writer *w;
	uint64_t handle;
	int open;	/* begun at the store and not yet ended or dropped */
	int err;	/* an enum store_fail, or -1 for a crypto failure */
	uint64_t plain; /* plaintext bytes written */
	size_t plen;
	uint8_t piece[HTTP_PIECE_MAX];
};
int upload_begin(
    struct upload *, struct store_conn *, int kind, const struct cc_recipient *r, size_t nr);
int upload_write(struct upload *, const uint8_t *buf, size_t len);
/* Finishes the envelope and ends the upload; u->handle stays valid for
 * storec_commit until dropped. */
int upload_finish(struct upload *);
/* Aborts the envelope and drops whatever reached the store. */
void upload_abort(struct upload *);

/* ---- forms and uploads (form.c) ---------------------------------------- */
enum form_kind { FORM_REPORT = 1, FORM_RECEIPT = 2, FORM_MESSAGE = 3, FORM_NONE = 4 };

/* Per-field validation errors shown next to the fields. */
enum form_err {
	FE_CSRF = 1 << 0,
	FE_CATEGORY = 1 << 1,
	FE_TEAM = 1 << 2,
	FE_WHAT = 1 << 3,
	FE_WHEN = 1 << 4,
	FE_REFS = 1 << 5,
	FE_RISK = 1 << 6,
	FE_RAISED = 1 << 7,
	FE_RAISED_WITH = 1 << 8,
	FE_READERS = 1 << 9,
	FE_FILES = 1 << 10,
	FE_RECEIPT = 1 << 11,
	FE_TEXT = 1 << 12,
};

struct form_file {
	uint64_t handle;
	uint64_t size; /* plaintext bytes of the file */
	char name[FORM_FILENAME_MAX + 1];
};

struct form_text {
	char *p; /* malloc'd, NUL-ended; all cap bytes wiped on free */
	size_t len;
	size_t cap; /* bytes at p: trimming and newline folding shrink len */
	int seen;
};

/* Whom a FORM_MESSAGE is sealed to (page_message_prepare). */
enum form_readers {
	FR_UNSET = 0, /* not prepared: nothing is sealed */
	FR_OK,	      /* fixed[] holds the concern's readers still held here */
	FR_NONE,      /* none of the concern's readers is held here any more */
	FR_FAIL,      /* the store could not say */
};

struct form {
	int kind;
	int status;	 /* 0, or the HTTP error the request ends with */
	unsigned errors; /* enum form_err bits */
	const uint8_t *csrf_key;
	uint64_t now_s;
	int csrf_ok;
	/* recipients: all reviewers but the one left out */
	const struct cc_pubkey *reviewers;
	size_t nreviewers;
	int leave_out;	      /* index or -1 */
	int recipients_fixed; /* a file was sealed: the choice can't change */
	/* FORM_MESSAGE: sealed to exactly these, set before any part arrives;
	 * with none, files are read and dropped, never sealed. */
	struct cc_recipient fixed[INTAKE_MAX_REVIEWERS];
	size_t nfixed;
	int readers; /* enum form_readers */
	int cur_skip; /* the current file is being dropped */
	struct form_text category, team, what, when, refs, risk, raised, raised_with, receipt, text,
	    leave, csrf;
	/* the part being received */
	char cur_key[32];
	int cur_open;
	struct form_text *cur_text;
	size_t cur_max;
	int cur_file;
	int cur_started;
	char cur_name[FORM_FILENAME_MAX + 1];
	char cur_type[FORM_CTYPE_MAX + 1];
	struct store_conn *store;
	struct upload up;
	/* files sealed so far */
	struct form_file files[INTAKE_MAX_ATTACHMENTS];
	size_t nfiles;
};

/* form is caller memory (large: heap it). */
void form_init(struct form *, int kind, struct store_conn *, const uint8_t *csrf_key,
    uint64_t now_s, const struct cc_pubkey *reviewers, size_t nreviewers);
/* Feeds one MHD post-processor callback. Returns 0 to go on, -1 when the
 * request failed (f->status holds 400/413/503). */
int form_part(struct form *, const char *key, const char *filename, const char *ctype,
    const char *data, uint64_t off, size_t size);
/* Ends the last part (call after MHD_destroy_post_processor). */
int form_end(struct form *);
/* Validates the fields of the kind; sets f->errors. 0 when none. */
int form_validate(struct form *, const struct web *);
/* Recipients of this form into r (INTAKE_MAX_REVIEWERS): for a report
 * every reviewer but the one left out, for a message exactly those set by
 * form_set_readers (none until then). */
size_t form_recipients(const struct form *, struct cc_recipient *r);
/* A message form's recipients (n <= INTAKE_MAX_REVIEWERS) and readers
 * state; before the first part only. */
void form_set_readers(struct form *, int readers, const struct cc_recipient *r, size_t n);
/* Encodes the FIELDS_CONCERN / FIELDS_MESSAGE plaintext. */
int form_encode(const struct form *, uint8_t **out, size_t *len);
/* Drops every upload at the store and wipes the texts. */
void form_abort(struct form *);
void form_free(struct form *);

/* Seals a small plaintext (kind) into a new store upload. */
int upload_small(struct store_conn *, int kind, const struct cc_recipient *r, size_t nr,
    const uint8_t *pt, size_t len, uint64_t *handle);

/* ---- the application (http.c, page*.c) -------------------------------- */
struct http_app {
	struct store_conn *store;
	const struct web *web;
	struct cc_pubkey reviewers[INTAKE_MAX_REVIEWERS];
	size_t nreviewers;
	struct cc_rcpt_params rparams;
	uint64_t max_upload;
	int tls;
	uint8_t *csrf_key;    /* sodium_malloc'd */
	struct bucket budget; /* submissions per minute */
	struct bucket wrong;  /* wrong receipts, global */
	struct gate kdf;
	struct sessions *sessions;
};

struct http_opts {
	int listen_fd;
	const char *tls_cert, *tls_key; /* PEM contents, or NULL */
	int sandbox;			/* install the seccomp filter */
	unsigned timeout;		/* idle seconds per connection */
};
/* Runs libmicrohttpd on opts->listen_fd until SIGTERM or SIGINT, which the
 * caller has blocked in every thread. Returns 0 after a clean stop. */
int http_run(struct http_app *, const struct http_opts *);

/* ---- responses (http.c) and pages (page*.c) --------------------------- */
struct MHD_Connection;
enum http_route {
	R_NONE = 0,
	R_HOME,
	R_REPORT,
	R_FOLLOWUP,
	R_MESSAGE,
	R_LEAVE,
	R_TRANSPARENCY,
	R_CSS,
};
struct http_resp {
	unsigned status;
	const char *ctype;
	const char *body; /* copied */
	size_t len;
	const char *location; /* 303 */
	const char *cookie;   /* Set-Cookie value */
	const char *allow;    /* 405 */
	int retry_after;      /* 503 */
};
/* Queues a response with the security headers every response carries.
 * Returns an MHD_Result. */
int http_send(struct MHD_Connection *, const struct http_resp *);
/* Security headers, shared with the tests: name/value pairs, NULL-ended. */
extern const char *const http_sec_headers[];
/* The cookie value sent by the client, or NULL. */
const char *http_cookie(struct MHD_Connection *);
#define HTTP_COOKIE "candour_s"

/* Renders template t inside the layout and queues it. v may be NULL. */
int page_send(struct http_app *, struct MHD_Connection *, unsigned status, int t, struct tvars *v,
    const char *title_key, const char *cookie);
/* A readable error page for status (title and text from err.STATUS.*). */
int page_error(struct http_app *, struct MHD_Connection *, unsigned status);
int page_error_allow(
    struct http_app *, struct MHD_Connection *, unsigned status, const char *allow);
/* Adds csrf (a fresh token) to v; buf is caller storage. */
void page_csrf(struct http_app *, struct tvars *v, char buf[CSRF_TOKEN_LEN + 1]);
uint64_t http_now_s(void);
/* Adds err_KEY = message for every enum form_err bit and the list
 * "errors" of {msg}; items holds 16 scopes, names 16 x 32 bytes. */
void page_errors(
    struct http_app *, struct tvars *v, unsigned errors, struct tvars *items, char names[][32]);
/* Adds can_leave_out and the list "reviewers" of {keyid, name, fpr,
 * selected}; pr is caller storage (heap it: it is large). */
struct page_revs {
	struct tvars items[INTAKE_MAX_REVIEWERS];
	char kid[INTAKE_MAX_REVIEWERS][FORM_KEYID_HEX + 1];
	char fpr[INTAKE_MAX_REVIEWERS][CC_FPR_CHARS + 1];
};
void page_reviewers(struct http_app *, struct tvars *v, struct page_revs *pr, int selected);

/* Seals f's plaintext (kind) to its recipients, adds its files and
 * commits sc durably at the store. 0, or -1 with the body dropped (the
 * files stay in f for form_abort). */
int page_commit(struct http_app *, struct form *f, int kind, struct store_commit *sc);

int page_home(struct http_app *, struct MHD_Connection *);
int page_transparency(struct http_app *, struct MHD_Connection *);
int page_report_form(struct http_app *, struct MHD_Connection *);
/* f validated or not; takes care of uploads and the commit. */
int page_report_submit(struct http_app *, struct MHD_Connection *, struct form *f);
int page_followup(struct http_app *, struct MHD_Connection *);
int page_receipt_submit(struct http_app *, struct MHD_Connection *, struct form *f);
int page_message_submit(struct http_app *, struct MHD_Connection *, struct form *f);
/* Before a message body is read: the session's concern is fetched and f
 * is set to seal to that concern's readers that this server still holds
 * (all reviewers for a concern stored without a list). */
void page_message_prepare(struct http_app *, struct MHD_Connection *, struct form *f);
int page_leave(struct http_app *, struct MHD_Connection *);

/* ---- sandbox (sandbox.c) -----------------------------------------------
 * sandbox_drop: no core dumps (RLIMIT_CORE 0, PR_SET_DUMPABLE 0), no new
 * privileges, and when root: setgroups/setgid/setuid to user (NULL: refuse
 * to run as root). sandbox_seccomp: the allow-list of the http process;
 * anything else kills the process. */
int sandbox_drop(const char *user);
int sandbox_seccomp(void);

#endif
