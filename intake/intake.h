/*
 * candour-intake internal header: commands, limits, and the store protocol
 * between the http process and the store process (DESIGN.md, "The intake's
 * processes"). Library code returns 0 / -1 unless said otherwise.
 */
#ifndef CANDOUR_INTAKE_H
#define CANDOUR_INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/candour_crypto.h"

/* ---- commands (each parses its own argv, prints one line on error) ---- */
int cmd_serve(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import_replies(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_poster(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_onion(int argc, char **argv);
int cmd_keys(int argc, char **argv);

/* ---- the intake's signing key, beside the database ---------------------
 * DB.sign.key (0600, cc_signsec format) and DB.sign.pub (one line, the
 * file reviewers give to `candour-review init --intake-key`). Created on
 * first start of serve; export needs it. sk is CC_SIGN_SK bytes the caller
 * sodium_malloc'd. */
int intake_signkey_path(const char *db, int pub, char *buf, size_t buflen);
int intake_signkey_load(const char *db, uint8_t pk[CC_SIGN_PK], uint8_t *sk, int create);
/* A first start: the new key goes to DB.sign.key.new (*stale: one an
 * interrupted first start left there is replaced; it was never shown) and
 * is committed into place once the database exists. finish: a staged key
 * with its database but no DB.sign.key (a first start stopped between the
 * two) is committed now; *done says so. 0 or -1 (errno). */
int intake_signkey_stage(const char *db, uint8_t pk[CC_SIGN_PK], uint8_t *sk, int *stale);
int intake_signkey_commit(const char *db, const uint8_t pk[CC_SIGN_PK]);
void intake_signkey_unstage(const char *db); /* a failed first start: no database */
int intake_signkey_finish(const char *db, uint8_t pk[CC_SIGN_PK], uint8_t *sk, int *done);

/* DB.keys: the reviewer keys the running serve holds (written at start and
 * after each reload it took; public key files one after another), read by
 * `candour-intake keys --db` without --keys. */
#define INTAKE_LOADED_SUFFIX ".keys"
#define INTAKE_LOADED_MAX (INTAKE_MAX_REVIEWERS * CC_PUBFILE_MAX)

/* ---- limits --------------------------------------------------------- */
#define INTAKE_DEFAULT_LISTEN      "127.0.0.1:8080"
#define INTAKE_DEFAULT_MAX_UPLOAD  ((uint64_t)256 << 20)
#define INTAKE_MAX_REVIEWERS       CC_MAX_RECIPIENTS
#define INTAKE_MAX_ATTACHMENTS     32    /* per submission (BUNDLE_MAX_ENV - 1) */
/* Connections the http process holds at once (--connections at most this),
 * and the store uploads one request can hold (its files and its body). The
 * store's upload table is their product, so connections that stall with
 * files open can never use up the uploads a reporter's request needs. */
#define INTAKE_MAX_CONNECTIONS     1024
#define INTAKE_UPLOADS_PER_REQUEST (INTAKE_MAX_ATTACHMENTS + 1)

/* ---- store protocol --------------------------------------------------
 * AF_UNIX SOCK_SEQPACKET socketpair: one datagram is one message, so a
 * message is never split or merged. Every request gets exactly one reply.
 * Frame: u8 type | u8 reserved(0) | u16le reserved(0) | u32le body length
 * | body. The receiver checks the datagram length equals 8 + body length,
 * that body length <= STORE_MSG_MAX and that the body has exactly the
 * layout of its type, before acting on anything in it.
 */
#define STORE_HDR_BYTES 8
#define STORE_MSG_MAX   (64 * 1024 + 256)  /* largest body */

enum store_msg {
	/* http -> store */
	STORE_UPLOAD_BEGIN = 1,   /* body: empty. reply: u64 handle */
	STORE_UPLOAD_DATA = 2,    /* body: u64 handle | bytes (1..64 KiB) */
	STORE_UPLOAD_END = 3,     /* body: u64 handle. reply: u64 len | hash[32] */
	STORE_UPLOAD_DROP = 4,    /* body: u64 handle. reply: empty */
	STORE_COMMIT = 5,         /* body: see store_commit below. reply: u64 seq | link[32] */
	STORE_FETCH = 6,          /* body: lookup[32]. reply: see store_fetch */
	STORE_FETCH_REPLY = 7,    /* body: u64 seq | u32 index. reply: envelope bytes */
	STORE_STATS = 8,          /* body: empty. reply: u64 count | head[32] */
	STORE_PARAMS = 9,         /* body: empty. reply: salt[16] | u64 ops | u64 mem */
	/* store -> http */
	STORE_OK = 64,
	STORE_FAIL = 65,          /* body: u32le reason (enum store_fail) */
};

enum store_fail {
	STORE_FAIL_BADMSG = 1,    /* malformed; nothing done */
	STORE_FAIL_NOTFOUND = 2,
	STORE_FAIL_STORAGE = 3,   /* disk full, I/O, SQLite: nothing half-written */
	STORE_FAIL_LIMIT = 4,
	STORE_FAIL_IO = 5,        /* client side: the socket failed */
	STORE_FAIL_FULL = 6,      /* free space below the floor: nothing new is kept */
};

/*
 * Client side of the protocol, used by the http process. Thread-safe: one
 * request/reply at a time under a mutex. Every function returns 0 or an
 * enum store_fail value. Exact body layouts live in store_proto.c and
 * SECURITY.md; callers only see these functions.
 */
struct store_conn;
int storec_open(int fd, struct store_conn **out);
void storec_close(struct store_conn *);

int storec_upload_begin(struct store_conn *, uint64_t *handle);
int storec_upload_data(struct store_conn *, uint64_t handle, const uint8_t *buf, size_t len);
int storec_upload_end(struct store_conn *, uint64_t handle, uint64_t *len,
    uint8_t hash[CC_HASH_BYTES]);
int storec_upload_drop(struct store_conn *, uint64_t handle);

/* A concern (parent_lookup NULL) or a follow-up to the concern whose
 * lookup is parent_lookup. handles[0] is the body envelope, the rest are
 * attachments. The store dates it (UTC day), chains it and commits it
 * durably (synchronous=FULL) before replying: only then may a receipt or
 * a "sent" page be shown. */
struct store_commit {
	const uint8_t *parent_lookup;              /* follow-up only */
	uint8_t reporter_pk[CC_BOX_PK];            /* concern only */
	uint8_t lookup[CC_HASH_BYTES];             /* concern only: cc_rcpt_lookup(tag) */
	uint64_t rcpt_ops, rcpt_mem;
	uint32_t nhandles;
	uint64_t handles[INTAKE_MAX_ATTACHMENTS + 1];
};
int storec_commit(struct store_conn *, const struct store_commit *, uint64_t *seq,
    uint8_t link[CC_HASH_BYTES]);

/* What the follow-up page shows for a receipt. */
struct store_view {
	uint64_t seq;
	char date[11];
	uint8_t state;      /* enum bitem_state (bundle.h) */
	uint8_t outcome;    /* enum bitem_outcome */
	uint32_t nreplies;  /* sealed replies and shared summaries, oldest first */
	uint32_t nmessages; /* follow-ups the reporter added */
	/* Key ids the concern's body envelope was sealed to, read by the
	 * store from its public header at commit; follow-ups go to these.
	 * 0 when the store has no list (a concern from before schema 3). */
	uint8_t nrecipients;
	uint8_t recipients[CC_MAX_RECIPIENTS][CC_KEYID_BYTES];
};
int storec_fetch(struct store_conn *, const uint8_t lookup[CC_HASH_BYTES], struct store_view *out);
/* The concern's history for the follow-up page, oldest first (by UTC
 * day, then in the order of enum store_event): the concern itself, each
 * status change, each reply (its index for storec_fetch_reply) and each
 * message the reporter added, with the files it brought (a count: their
 * names are sealed to the reviewers). At most STORE_HISTORY_MAX; out
 * holds cap rows, *n says how many were filled. */
#define STORE_HISTORY_MAX 400
enum store_event { SEV_CONCERN = 0, SEV_STATUS = 1, SEV_REPLY = 2, SEV_MESSAGE = 3 };
struct store_event_row {
	uint8_t kind; /* enum store_event */
	uint8_t state, outcome; /* SEV_STATUS */
	char date[11];
	uint32_t nfiles; /* SEV_CONCERN, SEV_MESSAGE */
	uint32_t reply;	 /* SEV_REPLY: index among the concern's replies */
};
int storec_history(struct store_conn *, uint64_t seq, struct store_event_row *out, size_t cap,
    size_t *n);
/* Reply i of the concern at seq; *env malloc'd, caller frees. */
int storec_fetch_reply(struct store_conn *, uint64_t seq, uint32_t i, uint8_t **env, size_t *len);
int storec_stats(struct store_conn *, uint64_t *count, uint8_t head[CC_HASH_BYTES]);
/* The published figures: count and head as of the end of UTC day date. */
int storec_published(
    struct store_conn *, uint64_t *count, uint8_t head[CC_HASH_BYTES], char date[11]);
/* 1 when the store's free space is below its floor (new submissions are
 * refused), 0 when not; -1 when the store did not answer. */
int storec_full(struct store_conn *);

/* The install's receipt KDF salt and limits, created with the database. */
int storec_params(struct store_conn *, struct cc_rcpt_params *out);

/* ---- QR code as inline SVG (qr_svg.c; the receipt page and the poster) --
 * text: 1..QR_SVG_TEXT_MAX bytes. *svg is malloc'd, NUL-ended, *len
 * bytes without the NUL; the caller frees it. Returns 0 / -1. */
#define QR_SVG_TEXT_MAX 512
int qr_svg(const char *text, char **svg, size_t *len);

/* ---- QR code as a PNG data: URI (qr_png.c; the receipt page) -----------
 * Tor Browser "Safest" blocks SVG. text as for qr_svg; *uri is malloc'd,
 * NUL-ended "data:image/png;base64,...", *len bytes without the NUL; the
 * caller frees it (wiped: it encodes the receipt). Returns 0 / -1. */
#define QR_PNG_SCALE 6		/* pixels a module */
#define QR_PNG_MARGIN 4		/* modules of quiet zone */
#define QR_PNG_MODULES_MAX 177	/* QR version 40 */
#define QR_PNG_MAX (256 * 1024) /* bytes of PNG, far above any receipt's */
/* zlib's memLevel for the PNG: 2 keeps deflate's hash and pending buffers at
 * 1 KiB each (8, zlib's default: 64 KiB each). A receipt's picture is ~6 KB
 * raw, so the bytes hardly change (a receipt's PNG the same size), but 128
 * KiB less malloc'd, wiped and freed for each receipt page: glibc returned
 * it to the kernel each time (madvise, refaults, TLB flushes on every core),
 * 0.5 ms of a receipt's CPU (bench/RESULTS.md, 2026-12-07). */
#define QR_PNG_ZMEM 2
int qr_png_uri(const char *text, char **uri, size_t *len);

/* Store side: serves requests on fd until it closes; owns the db handle.
 * Below min_free free bytes (0: no floor) it keeps nothing new. */
int store_serve(int fd, const char *dbpath, uint64_t min_free);
/* As store_serve; once the database is open (made, on a first start) it
 * writes 'R' to ready_fd and closes it (serve's readiness pipe). */
int store_serve_ready(int fd, const char *dbpath, uint64_t min_free, int ready_fd);
/* NULL, or why the receipt KDF chosen in the environment is refused
 * (CANDOUR_RCPT_KDF=min without the test flag). */
const char *store_kdf_problem(void);
/* Confinement of the store process (store_sandbox.c), applied by serve in
 * the store child after sandbox_drop: the directory holding dbpath into
 * out ("." for a bare name); Landlock to dir (0 applied, 1 the kernel has
 * no Landlock, -1 error); the seccomp allow-list (0 or -1). */
int store_data_dir(const char *dbpath, char *out, size_t cap);
int store_landlock(const char *dir);
int store_seccomp(void);
/* What both processes' filters share (sandbox.c), ctx a scmp_filter_ctx:
 * allow[0..n) (negative entries skipped), tgkill of this process only,
 * mmap and mprotect never with PROT_EXEC; 0 or non-zero. sandbox_load
 * loads the filter if r is 0, releases ctx either way: 0 or -1. */
int sandbox_rules_common(void *ctx, const int *allow, size_t n);
int sandbox_load(void *ctx, int r);
/* 1 under valgrind only (which cannot run seccomp filters): no filter. */
int sandbox_valgrind(void);

#endif
