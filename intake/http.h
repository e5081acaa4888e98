/*
 * Internal header of the intake's http process (libmicrohttpd, forms,
 * templates, sessions, limits). Only intake/http*.c, form*.c, page*.c,
 * tmpl*.c, web*.c, serve*.c, contacts.c, sandbox.c and poster.c (for the
 * catalogue and serve_find_web) include it. Every limit of the
 * http side is a named constant here. Functions return 0 / -1 unless said.
 */
#ifndef CANDOUR_INTAKE_HTTP_H
#define CANDOUR_INTAKE_HTTP_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "intake/intake.h"
#include "tmpl/tmpl.h"
#include "util/util.h"

/* ---- limits ------------------------------------------------------------ */
#define HTTP_CONN_LIMIT INTAKE_MAX_CONNECTIONS /* default --connections */
#define HTTP_CONN_MIN 16
#define HTTP_POOL_THREADS 4	      /* libmicrohttpd threads (epoll each) */
#define HTTP_FD_SPARE 64	      /* descriptors kept beyond the connections */
#define HTTP_HEADER_MS 10000	      /* a request's headers within this */
#define HTTP_BODY_WINDOW_MS 5000      /* body rate windows (the first: grace) */
#define HTTP_BODY_MIN_RATE 512	      /* bytes a second in every window */
#define HTTP_SWEEP_MS 250	      /* deadlines checked this often */
/* A request the server was seen to be behind on (its bytes unread, or the
 * sweep itself starved) is not cut for this long after: libmicrohttpd may
 * have read it and not yet run the handler. Past its deadline it is
 * answered 503 (conns_start), never closed unanswered. */
#define HTTP_LATE_GRACE_MS 5000
#define HTTP_SWEEP_STALL_MS 1000 /* a sweep this late: the process was starved */
/* Headers past their deadline, nothing unread, the client quiet this long
 * after sending: its request may wait read in a starved thread; not cut
 * before twice the header deadline (a client that stopped half way is
 * held that long). A trickler sends more often and is cut at its first
 * byte past the deadline. */
#define HTTP_QUIET_MS 2000
#define HTTP_CONN_TIMEOUT 60	     /* seconds a connection may stay idle */
#define HTTP_CONN_MEMORY (64 * 1024) /* MHD per-connection header pool */
#define HTTP_THREAD_STACK (256 * 1024)
#define HTTP_KDF_CONCURRENCY 2		      /* Argon2id derivations at once */
#define HTTP_KDF_RESERVED 1		      /* of them, for new concerns only */
#define HTTP_KDF_WAIT_MS 10000		      /* a queued derivation's deadline */
#define HTTP_KDF_QUEUE 64		      /* derivations waiting, per lane */
#define HTTP_RCPT_SLOW_MS 1000 /* follow-up pause per wrong receipt past the burst */
#define HTTP_RCPT_TABLE 256    /* receipts whose work is counted */
#define HTTP_RCPT_ONE_BURST 6  /* derivations of one receipt at once */
#define HTTP_RCPT_ONE_PER_MIN 2 /* ... refilled a minute */
#define HTTP_DEFAULT_DISK_BUDGET ((uint64_t)512 << 20) /* upload bytes a minute */
#define HTTP_DEFAULT_MIN_FREE ((uint64_t)1 << 30)     /* free disk floor, bytes */
#define HTTP_RETRY_AFTER "30"		      /* seconds, on every 503 */
#define HTTP_DEFAULT_BUDGET 60		      /* accepted submissions per minute */
#define HTTP_RCPT_BURST 20		      /* wrong receipts before slowing */
#define HTTP_RCPT_PER_HOUR 600		      /* wrong receipts refilled per hour (default) */
#define HTTP_SESSION_MAX 1024		      /* follow-up sessions held at once */
#define HTTP_SESSION_TTL 900		      /* seconds: 15 minutes, absolute */
#define HTTP_CSRF_WINDOW 3600		      /* a token is good for 1-2 windows */
#define HTTP_PAGE_MAX TMPL_OUT_MAX		      /* rendered page ceiling */
#define HTTP_DISCARD_MAX ((uint64_t)16 << 20) /* read past an error, then cut */
/* A report or message over --max-upload is read to its end (files dropped)
 * so that its text can go back in the form; this much past the limit,
 * then the connection is cut (a declared length beyond: 413 at once). */
#define HTTP_OVER_DISCARD_MAX ((uint64_t)2 << 30)
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
/* The languages every page is offered in, chosen per visit by a URL prefix
 * (/cy/..., /en/...), never a cookie; web_langs[i] names web/locale/LANG.txt. */
#define WEB_LANGS 2
extern const char *const web_langs[WEB_LANGS];
/* Index of LANG in web_langs, or -1. */
int web_lang_index(const char *lang);
/* Loads DIR for every language into w[WEB_LANGS] (before the sandbox). */
int web_load_all(const char *dir, struct web w[WEB_LANGS]);
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
 * placeholder number is refused unless demo (PATH NULL: no file). On -1,
 * *why says why. */
int contacts_load(struct web *w, const char *path, int demo, const char **why);

/* ---- the intake's own .onion address (onion_addr.c) -------------------- */
#define ONION_ADDR_LEN 62 /* 56 base32 characters and ".onion" */
/* A version 3 onion address, lower case; on -1, *why says why. */
int onion_addr_valid(const char *s, const char **why);
/* Tor's hostname file: one address and a newline. */
int onion_addr_read(const char *path, char out[ONION_ADDR_LEN + 1], const char **why);
/* --onion-address ADDR or --onion-hostname-file FILE (at most one; neither
 * leaves out empty). */
int onion_addr_opt(const char *addr, const char *file, char out[ONION_ADDR_LEN + 1],
    const char **why);

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

uint64_t mono_ms(void);

/* Takes n tokens at once (bytes of the global upload budget). */
int bucket_take_n(struct bucket *, double n, uint64_t now_ms);

/* Work per receipt: a small table of token buckets named by a keyed hash
 * of the receipt (a concern, not a person); the least recently used entry
 * makes room. 1 when this receipt may be derived now, 0 when it has used
 * its burst. */
#define RCPTLIM_ID_BYTES 16
struct rcptlim;
int rcptlim_new(struct rcptlim **, double burst, double per_min);
void rcptlim_free(struct rcptlim *);
int rcptlim_take(struct rcptlim *, const char *canon, size_t len, uint64_t now_ms);

/* ---- the receipt KDF off the connection threads (kdf.c) ---------------
 * A job is caller memory (sodium_malloc: it holds a receipt and a key)
 * that must stay valid until done(arg) has been called. */
enum kdf_lane { KDF_NEW = 0, KDF_RECEIPT = 1 };
enum kdf_result { KDF_PENDING = 0, KDF_OK, KDF_NOTFOUND, KDF_BUSY, KDF_FAIL };
struct kdf_job {
	int lane;
	int result;	      /* enum kdf_result, set just before done() */
	uint64_t deadline_ms; /* not started by then: KDF_BUSY */
	char canon[CC_RCPT_CHARS + 1]; /* KDF_RECEIPT: in; KDF_NEW: out */
	uint8_t tag[CC_HASH_BYTES];
	uint8_t lookup[CC_HASH_BYTES];
	struct cc_boxkey key;
	struct store_view view; /* KDF_RECEIPT, KDF_OK: the concern */
	void (*done)(void *arg);
	void *arg;
	struct kdf_job *next;
};
struct kdfq_conf {
	const struct cc_rcpt_params *params;
	struct store_conn *store;
	struct bucket *wrong; /* wrong receipts, global */
	size_t workers;	      /* 1..HTTP_KDF_CONCURRENCY */
	size_t reserved;      /* workers for new concerns only (< workers) */
	size_t queue_max;     /* jobs waiting in one lane */
	uint64_t slow_ms;     /* follow-up pause after a wrong receipt, bucket empty */
};
struct kdfq;
int kdfq_start(struct kdfq **, const struct kdfq_conf *);
/* 0 when queued (done will be called exactly once), -1 when the lane is
 * full or the queue stopping (done is not called). */
int kdfq_push(struct kdfq *, struct kdf_job *);
/* Stops the workers; jobs still queued finish KDF_BUSY, and later pushes
 * are refused (the queue stays valid until kdfq_free, which also stops). */
void kdfq_stop(struct kdfq *);
void kdfq_free(struct kdfq *);

/* ---- the KDF worker's resident Argon2 memory (kdf_arena.c) -------------
 * Per thread. kdf_arena_arm maps the arena on first use (-1: it could not,
 * and the next derivation maps its own memory as libsodium always did);
 * while armed, libsodium's Argon2 mapping of that size is the arena, wiped
 * when libsodium unmaps it. disarm after the derivation; release at the
 * thread's end (or when idle). hits counts this thread's derivations that
 * used it, resident the arenas mapped in the process now, maps those ever
 * mapped; memory is for tests. */
int kdf_arena_arm(uint64_t memlimit);
void kdf_arena_disarm(void);
void kdf_arena_release(void);
uint64_t kdf_arena_hits(void);
int kdf_arena_resident(void);
uint64_t kdf_arena_maps(void);
const void *kdf_arena_memory(size_t *len);

/* ---- deadlines for slow clients (conn.c) -------------------------------
 * One slot per connection; see conn.c. Functions accept a NULL slot. */
enum conn_phase {
	CP_HEADERS = 1, /* waiting for a request's headers (new or kept alive) */
	CP_BODY,	/* receiving a request body */
	CP_BUSY,	/* being answered: no deadline here (idle timeout only) */
	CP_CUT,		/* shut down by a sweep */
};
struct conn_rules {
	uint64_t header_ms; /* headers of a request within this */
	uint64_t window_ms; /* body rate measured over windows this long */
	uint64_t min_rate;  /* bytes a second, at least, in every window */
	uint64_t grace_ms;  /* spared this long after the server was seen behind */
	uint64_t stall_ms;  /* a gap between sweeps this long: the server's (0: off) */
	uint64_t quiet_ms;  /* headers late, sent, then quiet this long: not cut */
};
struct conns;
struct conn_slot;
int conns_new(struct conns **, size_t cap, const struct conn_rules *);
void conns_free(struct conns *);
/* NULL when every slot is taken (the connection then has no deadline). */
struct conn_slot *conns_open(struct conns *, int fd, uint64_t now_ms);
void conns_close(struct conns *, struct conn_slot *);
void conns_phase(struct conns *, struct conn_slot *, int phase, uint64_t now_ms);
/* The handler's first call of a request (its headers are in): moves the
 * slot to phase and returns 1 when the headers came past their deadline
 * and were not cut because the server was behind (the request is to be
 * answered 503 busy, not served), else 0. */
int conns_start(struct conns *, struct conn_slot *, int phase, uint64_t now_ms);
void conns_bytes(struct conns *, struct conn_slot *, uint64_t n);
/* on: the server works on this connection's bytes (no deadline runs); off:
 * the window resumes, moved on by the time held. */
void conns_hold(struct conns *, struct conn_slot *, int on, uint64_t now_ms);
size_t conns_count(struct conns *);
/* Shuts down every connection past its deadline whose client, not the
 * server, is slow; returns how many. */
size_t conns_sweep(struct conns *, uint64_t now_ms);

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
/* Creates a session; id gets the cookie value. A full table gives the
 * oldest session's slot to the new one (it never refuses the newest). */
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
	FE_VOICE = 1 << 13, /* a voice answer not among its values */
};

struct form_file {
	uint64_t handle;
	uint64_t size; /* plaintext bytes of the file */
	uint64_t sent; /* bytes as the reporter sent them */
	int clean;     /* enum clean_result (clean.h) */
	char name[FORM_FILENAME_MAX + 1];
};

struct form_text {
	char *p; /* malloc'd, NUL-ended; all cap bytes wiped on free */
	size_t len;
	size_t cap; /* bytes at p: trimming and newline folding shrink len */
	int seen;
};

/* ---- the reviewers' keys, reloadable (revs.c) --------------------------- */
struct revset {
	struct cc_pubkey k[INTAKE_MAX_REVIEWERS];
	size_t n;
};
/* What serve's parent sends the http process on SIGHUP: "CDRV", u8
 * count, then count public key files (cc_pubkey_format), each u16le
 * length first. REVS_WIRE_MAX bounds one message. */
#define REVS_WIRE_MAX (5 + INTAKE_MAX_REVIEWERS * (2 + CC_PUBFILE_MAX))
/* Into buf (REVS_WIRE_MAX); the length, or -1. */
int revs_encode(const struct cc_pubkey *k, size_t n, uint8_t *buf, size_t cap);
/* Parses and checks what revs_encode made: 1..INTAKE_MAX_REVIEWERS keys,
 * each a valid public key file, no key id twice. 0 or -1 (out untouched). */
int revs_decode(const uint8_t *buf, size_t len, struct revset *out);

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
	/* FORM_REPORT: the reviewers held when the request began (a reload
	 * cannot change them under it) and those the reporter chose, in the
	 * order chosen; with one reviewer held, no choice is needed. */
	struct cc_pubkey reviewers[INTAKE_MAX_REVIEWERS];
	size_t nreviewers;
	struct cc_recipient chosen[INTAKE_MAX_REVIEWERS];
	size_t nchosen;
	int recipients_fixed; /* a file was sealed: the choice can't change */
	/* FORM_MESSAGE: sealed to exactly these, set before any part arrives;
	 * with none, files are read and dropped, never sealed. */
	struct cc_recipient fixed[INTAKE_MAX_REVIEWERS];
	size_t nfixed;
	int readers; /* enum form_readers */
	int cur_skip; /* the current file is being dropped */
	struct form_text category, team, what, when, refs, risk, raised, raised_with, receipt, text,
	    csrf;
	struct form_text rv;	 /* the "reviewer" part being read (one per reviewer chosen) */
	struct form_text choice; /* sent by a form that offered the choice */
	size_t nrvparts;
	struct form_text voice[VOICE_QUESTIONS]; /* FORM_MESSAGE, optional (util/voice.c) */
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
	/* enum form_refuse: set when the intake cannot keep this request
	 * (busy, full, over the byte budget); the rest of the body is read
	 * for its text only, so the page sent back keeps what was written. */
	int refuse;
	/* FORM_REFUSE_OVER: the file being received when the request passed
	 * --max-upload ("" when it was not in a file) */
	char over_name[FORM_FILENAME_MAX + 1];
	struct bucket *bytes; /* global upload bytes a minute, or NULL */
	struct upload up;
	struct clean *cl; /* the current file's metadata cleaner (cpool_get) */
	uint64_t cur_sent;
	/* files sealed so far; nlisted stays after the commit for the page */
	struct form_file files[INTAKE_MAX_ATTACHMENTS];
	size_t nfiles, nlisted;
	/* a file part with a name came (a file was chosen, kept or not): the
	 * form sent back asks for files again only then */
	int files_chosen;
};

enum form_refuse { FORM_REFUSE_BUSY = 1, FORM_REFUSE_FULL = 2, FORM_REFUSE_OVER = 3 };
/* The commit was sent but the store never answered (it stopped): the
 * record may be stored, whole, with no receipt shown. Set by page_commit. */
#define FORM_REFUSE_UNSURE 4
/* More than INTAKE_MAX_ATTACHMENTS files: every file is dropped and the
 * text read on, so the form goes back with it (413, like FORM_REFUSE_OVER). */
#define FORM_REFUSE_MANY 5
/* form is caller memory (large: heap it). The reviewers are copied. */
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
 * the reviewers chosen (the only one held, when there is one; none after a
 * bad choice), for a message exactly those set by form_set_readers (none
 * until then). */
size_t form_recipients(const struct form *, struct cc_recipient *r);
/* 1 when a report form with no reviewer chosen goes to every reviewer:
 * there is only one, or the client offered no choice (no "choice" field,
 * as a script that posts the form); 0 when the reporter unticked them all. */
int form_choice_default(const struct form *);
/* A message form's recipients (n <= INTAKE_MAX_REVIEWERS) and readers
 * state; before the first part only. */
void form_set_readers(struct form *, int readers, const struct cc_recipient *r, size_t n);
/* Encodes the FIELDS_CONCERN / FIELDS_MESSAGE plaintext. */
int form_encode(const struct form *, uint8_t **out, size_t *len);
/* Drops every upload at the store and wipes the texts. */
void form_abort(struct form *);
/* The request cannot be kept (why: enum form_refuse): drops every upload
 * made so far and skips the files still to come; text fields are still
 * read so the form can go back with them. */
void form_refuse(struct form *, int why);
/* 1 when the form goes back as a 413: too large or too many files. */
int form_too_much(const struct form *);
/* The request passed --max-upload: refuses it (FORM_REFUSE_OVER, unless
 * the intake is full) and remembers the file being received, if any. */
void form_over(struct form *);
/* Frees the current file's cleaner, if any (form.c). */
void form_clean_free(struct form *);
/* A file's cleaner: cpool_get and cpool_put (clean.h, clean_pool.c). */
void form_free(struct form *);

/* Seals a small plaintext (kind) into a new store upload, through u: the
 * caller's, not in use (a form's own once its files are sealed), so that
 * a commit maps no 64 KiB piece buffer of its own. */
int upload_small(struct upload *u, struct store_conn *, int kind, const struct cc_recipient *r,
    size_t nr, const uint8_t *pt, size_t len, uint64_t *handle);

/* Forms and KDF jobs kept between requests (cc_pool, crypto/pool.c): one
 * each for every reporter of 16 at once, the load issue 14 measures
 * (~1.7 MiB locked when all are kept). A request's job comes from
 * http_job_get and goes back when the request ends (http.c). */
#define HTTP_FORMS_KEPT 16
#define HTTP_JOBS_KEPT 16
struct kdf_job *http_job_get(void);

/* ---- the application (http.c, page*.c) -------------------------------- */
struct http_app {
	struct store_conn *store;
	const struct web *web; /* serve --lang's; the request's: http_web */
	const struct web *langs[WEB_LANGS];
	int deflang; /* serve --lang */
	/* The reviewers' keys: read only through http_revs_get (SIGHUP makes
	 * serve send a new set, which http_revs_set swaps in). */
	struct revset revs;
	pthread_mutex_t revs_mu;
	const char *onion; /* "" or the intake's .onion address (home page) */
	struct cc_rcpt_params rparams;
	uint64_t max_upload;
	int tls;
	uint8_t *csrf_key;    /* sodium_malloc'd */
	struct bucket budget; /* submissions per minute */
	struct bucket wrong;  /* wrong receipts, global */
	struct bucket bytes;  /* upload bytes per minute, global */
	struct rcptlim *rcpt; /* derivations per receipt */
	struct kdfq *kdf;     /* started by http_run */
	struct conns *conns;  /* made by http_run */
	struct sessions *sessions;
	/* "Leave this site": a neutral page off this site (serve --leave-url). */
	const char *leave_url;
	/* serve --demo: every page says so at its top (a demo reviewer key
	 * whose secret sits in make run's folder reads every concern). */
	int demo;
	/* Bumped by every http_revs_set (under revs_mu): pages cached with
	 * the old reviewers are rendered again. */
	uint64_t revs_gen;
	struct pcache *pages; /* NULL: every page rendered (unit tests) */
};

/* The current request's language, links and leave link, set by the
 * handler on each call (a suspended request resumes after others ran).
 * Per thread: libmicrohttpd's pool serves requests on HTTP_POOL_THREADS
 * threads at once, and kept in the shared http_app two requests took
 * each other's language, links and leave link (tests/flood/). All NULL
 * outside a request (a unit test's app: its web, links from "/"). */
struct http_view {
	const struct web *web;
	const char *base; /* "" or "/cy", "/en": what every link starts with */
	const char *path; /* the route's path, for the other language's link */
	/* the page itself off the site, or /leave when the request carries a
	 * session cookie (it ends the session, then sends the browser there) */
	const char *leave_href;
	char leave_buf[16];
	/* What of the above a page depends on, as a page cache key (language,
	 * a base or none, leave via /leave or not): 0..PCACHE_VIEWS-1. */
	int view;
};
extern _Thread_local struct http_view http_view;

static inline const struct web *
http_web(const struct http_app *app)
{
	return http_view.web != NULL ? http_view.web : app->web;
}

/* serve --leave-url: https://, printable ASCII without space, quotes,
 * angle brackets or backslash, at most this long (serve_check.c). */
#define HTTP_LEAVE_URL_MAX 200
#define HTTP_LEAVE_URL_DEFAULT "https://www.bbc.co.uk/weather"
int serve_leave_url_ok(const char *url);

struct http_opts {
	int listen_fd;
	const char *tls_cert, *tls_key; /* PEM contents, or NULL */
	int sandbox;			/* install the seccomp filter */
	unsigned timeout;		/* idle seconds per connection */
	unsigned connections;		/* at once, HTTP_CONN_MIN..INTAKE_MAX_CONNECTIONS */
	int ctl_fd; /* serve's new reviewer key sets arrive here (revs.c); -1 none */
	int ready_fd; /* gets 'R' and is closed once serving; -1 none */
};
/* Runs libmicrohttpd on opts->listen_fd until SIGTERM or SIGINT, which the
 * caller has blocked in every thread. Between sweeps it takes any key set
 * waiting on ctl_fd and answers each with one byte: 'K' swapped in, 'X'
 * refused (the old set kept). Returns 0 after a clean stop. */
int http_run(struct http_app *, const struct http_opts *);
/* The daemon http_run starts: the intake's handler, its notes of
 * connections and of requests completed and the per-connection memory
 * limit, on flags (MHD_ALLOW_SUSPEND_RESUME added: the KDF suspends) with
 * the caller's options more (MHD_OPTION_END-ended). app->conns and
 * app->kdf must be made first. Shared with tests/fuzz/fuzz_http.c, whose
 * daemon has no listening socket and is handed each connection, so that
 * what libmicrohttpd parses is fuzzed through the same handler. NULL on
 * failure. */
struct MHD_Daemon;
struct MHD_OptionItem;
struct MHD_Daemon *http_daemon(
    struct http_app *, unsigned flags, const struct MHD_OptionItem *more);

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
	const char *csp;      /* NULL: the default Content-Security-Policy */
};
/* Queues a response with the security headers every response carries.
 * Returns an MHD_Result. */
int http_send(struct MHD_Connection *, const struct http_resp *);
/* Security headers, shared with the tests: name/value pairs, NULL-ended. */
extern const char *const http_sec_headers[];
extern const char http_csp_receipt[]; /* the receipt page's CSP (img-src data:) */
/* The cookie value sent by the client, or NULL. */
const char *http_cookie(struct MHD_Connection *);
#define HTTP_COOKIE "candour_s"

/* Rendered pages are padded to a length bucket (issue 9): PAGE_PAD_MIN
 * for a small page, the next power of two up to PAGE_PAD_POW2_MAX, then
 * Padme over PAGE_PAD_UNIT units (at most ~12% more). */
#define PAGE_PAD_MIN ((size_t)8 << 10)
#define PAGE_PAD_POW2_MAX ((size_t)64 << 10)
#define PAGE_PAD_UNIT ((size_t)4 << 10)
size_t page_padded_len(size_t len);
/* Renders template t (status decides the title's error prefix) inside the
 * layout into page, padded. 0 or -1; the caller frees page. */
int page_render(struct http_app *, unsigned status, int t, struct tvars *v, const char *title_key,
    struct tbuf *page);
/* The receipt page for grouped (a receipt) and the risk answer, with the
 * files f received (NULL: none), rendered and padded into page. 0 or -1. */
int page_confirm_render(
    struct http_app *, const char *grouped, int risk, const struct form *f, struct tbuf *page);
/* Renders template t inside the layout and queues it. v may be NULL. */
int page_send(struct http_app *, struct MHD_Connection *, unsigned status, int t, struct tvars *v,
    const char *title_key, const char *cookie);
/* Adds has_files and the list "files" of {name, size, cleaned, failed,
 * other} for the files f received (page_files.c); pf is caller storage
 * (large: heap it). */
struct page_files {
	struct tvars items[INTAKE_MAX_ATTACHMENTS];
	char size[INTAKE_MAX_ATTACHMENTS][48];
};
void page_files(struct http_app *, struct tvars *v, const struct form *f, struct page_files *pf);
/* "12 bytes", "3.4 kB", "12.0 MB" (units from the catalogue); whole, the
 * megabytes rounded down (a limit must not be rounded up). */
void page_size_text(struct http_app *, uint64_t n, int whole, char *buf, size_t len);
/* pat with {1} and {2} replaced by a1 and a2 (NULL: left out), cut to
 * fit outlen (never mid-character: the catalogue and names are UTF-8). */
void page_fmt(char *out, size_t outlen, const char *pat, const char *a1, const char *a2);
/* The largest upload a form may send (--max-upload, the file count) as
 * the variable files_max, written into buf. */
void page_files_max(struct http_app *, struct tvars *v, char *buf, size_t len);
/* The sentence that says a request passed --max-upload, naming the file
 * (f->over_name) when there was one, or that it brought more than
 * INTAKE_MAX_ATTACHMENTS files (FORM_REFUSE_MANY), into out. */
void page_over_text(struct http_app *, const struct form *f, char *out, size_t outlen);
/* A readable error page for status (title and text from err.STATUS.*). */
int page_error(struct http_app *, struct MHD_Connection *, unsigned status);
/* The error page of status (400..503 as page_error) saying the catalogue's
 * key instead of the status's usual text. */
int page_error_msg(struct http_app *, struct MHD_Connection *, unsigned status, const char *key);
int page_error_allow(
    struct http_app *, struct MHD_Connection *, unsigned status, const char *allow);
/* Adds csrf (a fresh token) to v; buf is caller storage. */
void page_csrf(struct http_app *, struct tvars *v, char buf[CSRF_TOKEN_LEN + 1]);
uint64_t http_now_s(void);
/* Adds err_KEY = message for every enum form_err bit and the list
 * "errors" of {msg}; items holds 16 scopes, names 16 x 32 bytes. */
void page_errors(
    struct http_app *, struct tvars *v, unsigned errors, struct tvars *items, char names[][32]);
/* Adds can_choose and the list "reviewers" of {keyid, name, role, fpr,
 * checked} (all checked when f is NULL, else those f chose); pr is caller
 * storage (heap it: it is large) and holds the copy of the keys shown. */
struct page_revs {
	struct revset rs;
	struct tvars items[INTAKE_MAX_REVIEWERS];
	char kid[INTAKE_MAX_REVIEWERS][FORM_KEYID_HEX + 1];
	char fpr[INTAKE_MAX_REVIEWERS][CC_FPR_CHARS + 1];
};
void page_reviewers(struct http_app *, struct tvars *v, struct page_revs *pr, const struct form *f);

/* ---- pages the same for every visitor, kept rendered (page_cache.c) ---- */
enum pcache_page { PC_HOME, PC_REPORT, PC_PAGES };
#define PCACHE_VIEWS (WEB_LANGS * 4) /* http_view.view */
#define PCACHE_TOKENS 4		     /* token places in one page */
#define PCACHE_PAGE_MAX ((size_t)256 << 10)
struct pcache;
int pcache_new(struct pcache **);
void pcache_free(struct pcache *);
/* 1 and the page kept for (page, view) rendered under reviewer set gen
 * appended to out, with tok (CSRF_TOKEN_LEN chars; NULL for a page
 * without one) in every place its token was; 0 when there is none (or
 * out failed to grow). */
int pcache_get(
    struct pcache *, int page, int view, uint64_t gen, const char *tok, struct tbuf *out);
/* Keeps a copy of pg, rendered under gen with tok (NULL: the page has no
 * token; else it must hold it 1..PCACHE_TOKENS times). 0 or -1 (not kept). */
int pcache_put(
    struct pcache *, int page, int view, uint64_t gen, const struct tbuf *pg, const char *tok);
/* Sends page (rc 0: rendered) with rs's status and headers, or the error
 * page err (rc != 0); frees (wipes) page either way. */
int page_send_rendered(struct http_app *, struct MHD_Connection *, struct http_resp *rs, int rc,
    struct tbuf *page, unsigned err);
/* The reviewer set's generation (see revs_gen). */
uint64_t http_revs_gen(struct http_app *);
/* Sends page pc (200) for this request's view: the cached copy with tok
 * put in, else render(app, tok, page) (0 or -1), which is then kept. The
 * fallback page (500) when it cannot be rendered. */
int page_send_cached(struct http_app *, struct MHD_Connection *, int pc, const char *tok,
    int (*render)(struct http_app *, const char *tok, struct tbuf *page));
/* The renderers of the cached pages (tok: the form's token; ignored by
 * the home page). 0 or -1; the caller frees page. */
int page_home_render(struct http_app *, const char *tok, struct tbuf *page);
int page_report_empty_render(struct http_app *, const char *tok, struct tbuf *page);

/* Seals f's plaintext (kind) to its recipients, adds its files and
 * commits sc durably at the store. 0, or -1 with the body dropped (the
 * files stay in f for form_abort). */
int page_commit(struct http_app *, struct form *f, int kind, struct store_commit *sc);

/* A copy of the reviewers held now (a request works on its copy, so a
 * reload never changes them half way through it). */
void http_revs_get(struct http_app *, struct revset *out);
/* Swaps in a new set (the http process, on SIGHUP). */
void http_revs_set(struct http_app *, const struct revset *);
/* Reads one message revs_encode made from fd (non-blocking) and swaps it
 * in. 1 done, 0 nothing waiting, -1 a message that is not a key set (read
 * and dropped; the old set is kept), -2 the socket failed or closed. */
int http_revs_reload(struct http_app *, int fd);

int page_home(struct http_app *, struct MHD_Connection *);
int page_transparency(struct http_app *, struct MHD_Connection *);
int page_report_form(struct http_app *, struct MHD_Connection *);
/* f validated or not; takes care of uploads and the commit. */
/* Submissions that need the receipt KDF run in two calls: the first
 * queues *job (sodium_malloc'd, freed by the caller with sodium_free once
 * the request ends) and suspends the connection, returning MHD_YES; the
 * call after the connection is resumed answers with the job's result. */
int page_report_submit(
    struct http_app *, struct MHD_Connection *, struct form *f, struct kdf_job **job);
int page_followup(struct http_app *, struct MHD_Connection *);
int page_receipt_submit(
    struct http_app *, struct MHD_Connection *, struct form *f, struct kdf_job **job);
/* Suspends c and queues j (lane and canon set) with its deadline; the
 * connection is resumed when j has its result (KDF_BUSY at once when the
 * lane is full). Returns 0. */
int http_kdf_queue(struct http_app *, struct MHD_Connection *, struct kdf_job *j);
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
/* The same in two steps, for a process that chroots between them (the
 * user's ids must be looked up while /etc/passwd is still in view):
 * sandbox_user 0, or -1 no such user or root; sandbox_drop_ids as above. */
int sandbox_user(const char *user, uid_t *uid, gid_t *gid);
int sandbox_drop_ids(uid_t uid, gid_t gid);
int sandbox_seccomp(void);

#endif
