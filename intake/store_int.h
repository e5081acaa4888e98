/*
 * Internal to the intake's storage: intake.db (store_db.c, store_ops.c),
 * the store process (store_serve.c), the wire layouts shared by it and the
 * client (store_proto.c), and the offline commands that open the database
 * directly (export, import-replies, status). The http process never
 * includes this header's database half; it only talks storec_*.
 */
#ifndef CANDOUR_STORE_INT_H
#define CANDOUR_STORE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "bundle/bundle.h"
#include "intake/intake.h"
#include "tmpl/tmpl.h"

#define STORE_SCHEMA_VERSION 4
#define STORE_CHUNK_MAX (64 * 1024)	      /* one UPLOAD_DATA piece, one chunk row */
/* Open or ended, not yet committed: every connection the http process may
 * hold, each with a whole request's uploads (intake.h). */
#define STORE_MAX_UPLOADS (INTAKE_MAX_CONNECTIONS * INTAKE_UPLOADS_PER_REQUEST)
#define STORE_REPLY_ENV_MAX ((size_t)2 << 20) /* a sealed reply: 1 MiB of text, padded */
#define STORE_REPLY_PIECE (64 * 1024)	      /* FETCH_REPLY_AT answers at most this */
/* Added to enum store_msg (intake.h) by this module: one piece of a reply.
 * body: u64 seq | u32 index | u64 offset. reply: u64 total | 1..64 KiB bytes. */
#define STORE_FETCH_REPLY_AT 10
/* Added likewise (issue 9): the figures /transparency publishes, as of the
 * end of the previous UTC day. body: empty. reply: SP_PUBLISHED_BYTES,
 * u64 count | head[32] | date[10] "YYYY-MM-DD" (the day they close). */
#define STORE_PUBLISHED 16
/* Also added here: is the store below its free-space floor? body: empty.
 * reply: u8 1 (full: uploads and commits answer STORE_FAIL_FULL) or 0. */
#define STORE_SPACE 11
/* Added likewise (issue 12): a concern's history (storec_history). body:
 * u64 seq. reply: u32 n | n rows of SP_EVENT_BYTES: u8 kind | u8 state |
 * u8 outcome | u8 0 | date[10] | u16 nfiles | u32 reply index. */
#define STORE_HISTORY 17
#define SP_EVENT_BYTES 20
#define STORE_BUSY_MS 5000
#define STORE_CKPT_PAGES 1000		 /* checkpoint when idle past this many WAL frames */
#define STORE_CKPT_FORCE 16000		 /* ... and even when busy past this many */
#define STORE_KDF_ENV "CANDOUR_RCPT_KDF" /* receipt (default) | interactive | moderate | min */
/* "min" is honoured only with this set to 1 (tests, benchmarks): without
 * it a new database refuses to be made with test limits (issue 9). */
#define STORE_KDF_TEST_ENV "CANDOUR_TEST_WEAK_KDF"
/* Default receipt KDF: Argon2id t=3, m=32 MiB. A receipt carries 90 random
 * bits, so guessing is stopped by that entropy, not by the KDF; 32 MiB keeps
 * a derivation plus a 200 MiB streamed upload under the 64 MiB peak RSS the
 * http process is held to, and t=3 keeps the time near INTERACTIVE's. */
#define STORE_KDF_DEFAULT_OPS 3
#define STORE_KDF_DEFAULT_MEM ((uint64_t)32 << 20)
#define STORE_KDF_TEST_OPS 1 /* "min": tests only */
#define STORE_KDF_TEST_MEM ((uint64_t)8 << 20)

/* ---- wire layouts (SECURITY.md, "Store protocol") -------------------- */
#define SP_COMMIT_FIXED (1 + 32 + 32 + 32 + 8 + 8 + 4) /* + 8 per handle */
/* FETCH reply, layout 2: the first 28 bytes as in layout 1, then u8 n and
 * CC_MAX_RECIPIENTS key ids (the first n used, the rest zero). */
#define SP_VIEW_BYTES (8 + 10 + 1 + 1 + 4 + 4 + 1 + CC_MAX_RECIPIENTS * CC_KEYID_BYTES)
#define SP_END_BYTES (8 + CC_HASH_BYTES)
#define SP_COMMIT_REPLY (8 + CC_HASH_BYTES)
#define SP_STATS_BYTES (8 + CC_HASH_BYTES)
#define SP_PARAMS_BYTES (CC_RCPT_SALT_BYTES + 8 + 8)
#define SP_PUBLISHED_BYTES (8 + CC_HASH_BYTES + 10)
#define SP_FETCH_REPLY_REQ (8 + 4)
#define SP_FETCH_AT_REQ (8 + 4 + 8)

/* A decoded STORE_COMMIT body. */
struct sp_commit {
	uint8_t kind; /* BREC_CONCERN or BREC_FOLLOWUP */
	uint8_t parent_lookup[CC_HASH_BYTES];
	uint8_t reporter_pk[CC_BOX_PK];
	uint8_t lookup[CC_HASH_BYTES];
	uint64_t rcpt_ops, rcpt_mem;
	uint32_t nhandles;
	uint64_t handles[BUNDLE_MAX_ENV];
};

void sp_put32(uint8_t *p, uint32_t v);
void sp_put64(uint8_t *p, uint64_t v);
uint32_t sp_get32(const uint8_t *p);
uint64_t sp_get64(const uint8_t *p);
/* Returns the body length written, 0 if the commit is invalid. */
size_t sp_commit_encode(const struct store_commit *, uint8_t *buf, size_t cap);
/* -1 unless buf is exactly a well-formed commit body. */
int sp_commit_decode(const uint8_t *buf, size_t len, struct sp_commit *out);
void sp_view_encode(const struct store_view *, uint8_t out[SP_VIEW_BYTES]);
int sp_view_decode(const uint8_t *buf, size_t len, struct store_view *out);

/* ---- intake.db -------------------------------------------------------- */
struct store_db {
	sqlite3 *db;
	int readonly;
	int relaxed;   /* store process: staging writes at synchronous=NORMAL */
	int wal_pages; /* store process: frames in the WAL after the last commit */
	struct cc_rcpt_params params;
	uint64_t count;		     /* records; the last seq */
	uint8_t head[CC_HASH_BYTES]; /* h[count] */
	/* store process: free bytes the file system must keep beyond what it
	 * writes (0: no floor), checked with statvfs(space_path). */
	uint64_t min_free;
	const char *space_path;
	sqlite3_stmt *st[32]; /* prepared once, by store_ops.c's index */
};

/* Opens (creating it when create is set) and migrates intake.db, hardens
 * the connection and loads params, count and head. Read-only opens refuse
 * a missing or older-schema file. -1 with a message in err on failure. */
int store_db_open(
    const char *path, int create, int readonly, struct store_db **out, char *err, size_t errlen);
void store_db_close(struct store_db *);
/* Tests: creates or opens path migrated only up to version. */
int store_db_open_at(const char *path, int version, struct store_db **out);
/* Runs migrations up to version target (tests use a lower target). */
int store_db_migrate(struct store_db *, int target);
int store_db_version(struct store_db *);
/* Runs one static statement with no result rows. */
int store_db_exec(struct store_db *, const char *sql);

/* A concern's history (storec_history in intake.h), at most cap rows. */
int store_db_history(
    struct store_db *, uint64_t seq, struct store_event_row *out, size_t cap, size_t *n);
/* 1 if upload handle h is staged or committed in the database, 0 if not,
 * -1 on error. */
int store_db_upload_used(struct store_db *, uint64_t h);
/* Staging: chunks written as they arrive; orphans removed at start-up. */
int store_db_chunk_put(
    struct store_db *, uint64_t upload, uint32_t idx, const uint8_t *buf, size_t len);
int store_db_chunks_drop(struct store_db *, uint64_t upload);
int store_db_orphans_drop(struct store_db *);

struct store_env_in {
	uint64_t upload;
	uint64_t len;
	uint8_t hash[CC_HASH_BYTES];
};
/* The first bytes (at most cap) of a staged upload, in order; *n of them. */
int store_db_env_head(struct store_db *, uint64_t upload, uint8_t *out, size_t cap, size_t *n);
/* Appends a record (seq = count + 1, today's date) in one durable
 * transaction; on success updates count and head. STORE_FAIL_* on error
 * (nothing written). For a follow-up, parent is the concern's seq. A
 * concern's recipient key ids (1..CC_MAX_RECIPIENTS, from its body
 * envelope's header) go into the same transaction; follow-ups pass 0. */
int store_db_append(struct store_db *, const struct sp_commit *, uint64_t parent,
    const struct store_env_in *env, const uint8_t (*rcpt)[CC_KEYID_BYTES], size_t nrcpt,
    uint64_t *seq, uint8_t link[CC_HASH_BYTES]);
/* The recipient key ids stored with concern seq (*n = 0: none stored, a
 * concern from before schema 3). ids holds CC_MAX_RECIPIENTS. */
int store_db_recipients(struct store_db *, uint64_t seq, uint8_t ids[][CC_KEYID_BYTES], size_t *n);
/* Whom concern seq was sealed to, never an empty list: the stored list,
 * or for a concern from before schema 3 the key ids in its body
 * envelope's header. NOTFOUND without a body envelope; STORAGE when the
 * header cannot be read. */
int store_db_readers(struct store_db *, uint64_t seq, uint8_t ids[][CC_KEYID_BYTES], size_t *n);
/* Count and head of the chain as of the end of the UTC day before today
 * ("YYYY-MM-DD"): the last record dated before it (0 and the genesis
 * value when there is none). Records are dated as they commit, so the
 * answer does not change during today. 0 or STORE_FAIL_STORAGE. */
int store_db_published(
    struct store_db *, const char today[11], uint64_t *count, uint8_t head[CC_HASH_BYTES]);
/* Today's UTC date and the day before, "YYYY-MM-DD". 0 or -1. */
int store_published_days(char today[11], char before[11]);
/* Concern seq by lookup; STORE_FAIL_NOTFOUND when there is none. */
int store_db_find(struct store_db *, const uint8_t lookup[CC_HASH_BYTES], uint64_t *seq);
int store_db_view(struct store_db *, const uint8_t lookup[CC_HASH_BYTES], struct store_view *);
/* Bytes [off, off + cap) of reply i of seq into out (*n of them) and its
 * total length. NOTFOUND without such a reply; BADMSG for off >= total. */
int store_db_reply_at(struct store_db *, uint64_t seq, uint32_t i, uint64_t off, uint8_t *out,
    size_t cap, size_t *n, uint64_t *total);

/* Record seq: canonical body and link. */
int store_db_record(struct store_db *, uint64_t seq, struct brec *rec, uint8_t link[CC_HASH_BYTES]);
/* Streams envelope idx of record seq, chunk by chunk. */
int store_db_env_stream(struct store_db *, uint64_t seq, uint32_t idx, cc_sink_fn, void *ctx);
/* First and last record dates ("" when empty). */
int store_db_dates(struct store_db *, char first[11], char last[11]);

/* import-replies: inside one transaction opened by the caller. Returns 1
 * when the item was new, 0 when already present, -1 on error. */
int store_db_item_add(struct store_db *, const struct bitem *, const uint8_t *env, size_t envlen);
int store_db_is_concern(struct store_db *, uint64_t seq);

/* ---- line breaking for the printed poster (poster_text.c) ------------- */
struct poster_line {
	const char *p; /* into the wrapped string */
	size_t len;
};
/* Estimated width in em (generous: a fitting estimate fits in print). */
double poster_text_em(const char *s, size_t len, int mono);
/* Greedy breaks at spaces into lines of at most max_em; longer words are
 * cut. -1 when more than max lines are needed or nothing fits. */
int poster_wrap(const char *s, double max_em, int mono, struct poster_line *out, size_t max,
    size_t *n);

/* ---- the offline commands' shared bits (store_cli.c) ----------------- */
#define SCLI_MAX_KEYS 64
/* Prints "candour-intake: CMD: MESSAGE" on stderr; returns 1 (the exit code). */
int scli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same line for a usage error (the operator's command line is wrong):
 * returns 2, the exit code of every usage error. */
int scli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same lines from the catalogue: kv is a cli.* key, the values of its
 * {1}, {2}, ..., then NULL (tmpl.h); returns code. SCLI_FAIL returns 1,
 * SCLI_USAGE 2, as scli_fail and scli_usage. */
int scli_say(int code, const char *cmd, const char *const *kv);
#define SCLI_FAIL(cmd, ...) scli_say(1, cmd, (const char *const[]){__VA_ARGS__, NULL})
#define SCLI_USAGE(cmd, ...) scli_say(2, cmd, (const char *const[]){__VA_ARGS__, NULL})
/* The same line as a note: the command goes on (returns 0). */
#define SCLI_NOTE(cmd, ...) scli_say(0, cmd, (const char *const[]){__VA_ARGS__, NULL})
/* One --NAME VALUE option of an offline command (--help is implied). */
#define SCLI_OPTS_MAX 8
struct scli_opt {
	const char *name;
	const char **val; /* set to the value, or NULL when not given */
	int required; /* 1: must be given; SCLI_FLAG: takes no value (val "" when given) */
};
#define SCLI_FLAG 2
/* Parses argv against o. Returns -1 when the command goes on, else the
 * exit code to return at once: 0 after --help (usage and exit codes on
 * stdout), 2 after an unknown option (usage on stderr), a stray argument
 * or a missing required option (the line "candour-intake: CMD: NEED";
 * need is a cli.* catalogue key). */
int scli_opts(const char *cmd, int argc, char **argv, const struct scli_opt *o, size_t n,
    void (*usage)(FILE *), const char *need);
/* Strict decimal u64: digits only, no sign, no overflow. */
int scli_u64(const char *s, uint64_t *out);
/* A --keys that names no directory (missing, a file, unreadable): the one
 * usage line serve, keys and import-replies say for it, before anything is
 * opened. Returns 0 when dir is a directory that can be read, else 2 (the
 * exit status) with the line on stderr. */
int scli_keys_dir(const char *cmd, const char *dir);
/* Every DIR/\*.pub file as a reviewer public key; -1 with why set. */
int scli_load_keys(
    const char *dir, struct cc_pubkey *out, size_t max, size_t *n, char *why, size_t whylen);
/* Opens the database for a command, printing the error line itself. */
int scli_open_db(const char *cmd, const char *path, int readonly, struct store_db **out);

/* The store loop on an already opened database (tests use it directly). */
int store_loop(int fd, struct store_db *);

#endif
