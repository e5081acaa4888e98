/*
 * candour-review internal header: the casebook API (review/casebook*.c),
 * the CLI helpers every command shares (review/cli.c) and the commands.
 * The referrals module (review/ref_*.c, review/ref.h) builds on the
 * casebook API below; keep it stable.
 *
 * Library functions return 0 / -1 unless said otherwise. Functions whose
 * name starts with rv_cli_ print the one error line themselves.
 */
#ifndef CANDOUR_REVIEW_H
#define CANDOUR_REVIEW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "crypto/candour_crypto.h"
#include "tmpl/tmpl.h"

/* ---- limits ------------------------------------------------------------ */
#define CB_ID_CHARS 8	/* concern id: 8 Crockford base32 chars (40 random bits) */
#define CB_KEY_BYTES 32 /* casebook seed, sealed to each reviewer */
#define CB_HASH_BYTES 32
#define CB_FIELD_MAX ((size_t)16 << 20) /* one sealed field, plaintext */
#define CB_PAD_BLOCK 256		/* sealed fields are padded to a multiple of this */
#define CB_MAX_REVIEWERS 64
#define CB_TEXT_MAX ((size_t)1 << 20) /* note, reply, summary, search text */
#define CB_CATEGORY_MAX 80
#define CB_ACK_DAYS 7			   /* acknowledgement due */
#define CB_FEEDBACK_MONTHS 3		   /* feedback due */
#define RV_PASS_MAX 1024		   /* passphrase bytes */
#define CB_AD_MAX 512			   /* additional data of a sealed field, tag included */
#define CB_ATT_HDR_MAX ((size_t)64 * 1024) /* an attachment's fields header (name, type) */
#define RV_SEARCH_MAX 1024		   /* search text bytes */
#define RV_SEARCH_WORDS_MAX 16		   /* words used from it */
#define CB_SCHEMA_VERSION 8

/* ---- the casebook ------------------------------------------------------ */

/* An open casebook: the SQLite handle, the reviewer who opened it and the
 * casebook key (sodium_malloc'd, wiped on close). Opaque outside casebook.c. */
struct casebook;

/* Opens an existing casebook with a reviewer's secret key: checks the
 * schema version (running forward migrations), finds the reviewer's sealed
 * copy of the casebook key and opens it. The handle is hardened
 * (secure_delete, trusted_schema off, defensive, foreign keys, WAL,
 * synchronous FULL). Errors: -1 with *why set to a short static phrase. */
int cb_open(const char *path, const struct cc_seckey *sk, struct casebook **out, const char **why);
/* Creates a new casebook (O_EXCL: an existing file is refused), pinned to
 * the intake's signing key, with a random casebook key sealed to sk. */
int cb_create(const char *path, const struct cc_seckey *sk, const uint8_t intake_pk[CC_SIGN_PK],
    struct casebook **out, const char **why);
/* Closes (rolls back an open transaction) and wipes the key. NULL is fine. */
void cb_close(struct casebook *);

sqlite3 *cb_db(struct casebook *);
/* A kept prepared statement for sql (a string literal or a static array:
 * the cache is keyed by its address), ready to bind, or NULL; end each use
 * with cb_stmt_done. cb_close finalizes them all (cb_stmt.c). */
sqlite3_stmt *cb_stmt(struct casebook *, const char *sql);
void cb_stmt_done(sqlite3_stmt *);
/* The reviewer who opened it: name, key id, secret key (not owned). */
const char *cb_reviewer(const struct casebook *);
const struct cc_seckey *cb_seckey(const struct casebook *);
/* The pinned intake signing key. */
const uint8_t *cb_intake_pk(const struct casebook *);

/* One transaction per command: BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
int cb_begin(struct casebook *);
int cb_commit(struct casebook *);
int cb_rollback(struct casebook *);

/* Seals / opens one field under the casebook key: XChaCha20-Poly1305-IETF,
 * random nonce, plaintext padded to CB_PAD_BLOCK, additional data
 * "candour-cb-v1\0" || ad so a field cannot be moved to another row or
 * column. ad names the row and column, e.g. "concern:7K2M9QXD:body" or
 * "referral:<hex index>:facts"; NULL means "". *ct is malloc'd (free()).
 * cb_unseal: *pt is malloc'd with a NUL after the last byte; free it with
 * cc_free_wipe(pt, len + 1) (or cb_free). -1 on a wrong ad or changed byte. */
int cb_seal(
    struct casebook *, const char *ad, const uint8_t *pt, size_t len, uint8_t **ct, size_t *ctlen);
int cb_unseal(struct casebook *, const char *ad, const uint8_t *ct, size_t ctlen, uint8_t **pt,
    size_t *ptlen);
/* cb_seal with a nonce the caller drew (randombytes_buf, used once): a bulk
 * import draws the nonces of a whole batch in one call instead of one
 * getrandom system call per row. */
#define CB_NONCE_BYTES 24
int cb_seal_nonce(struct casebook *, const uint8_t nonce[CB_NONCE_BYTES], const char *ad,
    const uint8_t *pt, size_t len, uint8_t **ct, size_t *ctlen);
void cb_free(uint8_t *pt, size_t len); /* wipes len + 1 bytes, frees */
/* The same format under the key of concern cid instead of the casebook
 * key: for everything a concern's reporter wrote or that is about that
 * concern (body, follow-ups, references named, notes, replies, summary).
 * The key is sealed only to the concern's recipients who are reviewers of
 * this casebook (table concern_keys): -1 also when this reviewer holds no
 * key for cid (the reporter left them out). */
int cb_seal_concern(struct casebook *, const char *cid, const char *ad, const uint8_t *pt,
    size_t len, uint8_t **ct, size_t *ctlen);
int cb_unseal_concern(struct casebook *, const char *cid, const char *ad, const uint8_t *ct,
    size_t ctlen, uint8_t **pt, size_t *ptlen);
/* 1 if this reviewer holds the key of concern cid, 0 if not, -1 error. */
int cb_concern_key_held(struct casebook *, const char *cid);

/* Keyed BLAKE2b-256 (key derived from the casebook key, domain
 * "candour-index-v1"): an index of a secret value (a normalised referral
 * reference) that can be looked up by equality without storing it in
 * clear. Same value, same casebook -> same hash. */
int cb_index_hash(struct casebook *, const char *value, uint8_t out[CB_HASH_BYTES]);

/* Appends to the hash-chained audit log inside the caller's transaction:
 * who (this reviewer), action (a short word: "import", "link", ...), the
 * concern id (NULL for none), detail (may be secret, e.g. a reference: it
 * is sealed under the casebook key; NULL for none), today's date. */
int cb_audit(struct casebook *, const char *action, const char *concern_id, const char *detail);

/* Reads the decrypted text of a concern and its follow-ups, for reference
 * extraction: calls fn once per piece, kind one of enum cb_text_kind, the
 * text NUL-terminated (len excludes the NUL) and valid UTF-8. Text is wiped
 * after fn returns; fn returns 0 to go on or -1 to stop (then -1 is
 * returned). Unreadable concerns and those not sealed to this reviewer
 * yield nothing and return 0. Unknown id: -1. */
enum cb_text_kind {
	CB_TEXT_REF = 1,     /* one "ref" answer (a reference the reporter named) */
	CB_TEXT_WHAT = 2,    /* the concern's free text */
	CB_TEXT_RAISED = 3,  /* "raised with" answer */
	CB_TEXT_MESSAGE = 4, /* a follow-up message's text */
};
typedef int (*cb_text_fn)(void *ctx, int kind, const char *text, size_t len);
int cb_concern_text(struct casebook *, const char *concern_id, cb_text_fn fn, void *ctx);
/* The same pieces of one plaintext (magic FIELDS_CONCERN or
 * FIELDS_MESSAGE) already opened by the caller. */
int cb_text_fields(const uint8_t *pt, size_t len, const char *magic, cb_text_fn fn, void *ctx);

/* A concern id as a person typed it: lower case is accepted; out gets
 * the canonical upper-case form. -1 with why (size whylen) saying what is
 * wrong, in the reader's language (cli.id.*): the length, or which
 * character is not in the alphabet. */
int cb_id_parse(const char *s, char out[CB_ID_CHARS + 1], char *why, size_t whylen);
/* Where an id a person typed goes wrong, so each program can say it in
 * its reader's language: 0 (a valid id), CB_IDF_LENGTH (*at = its length),
 * or a character not in the alphabet at 1-based *at: CB_IDF_CHAR_O (an O),
 * CB_IDF_CHAR_IL (an I or L), CB_IDF_CHAR (another printable one),
 * CB_IDF_CHAR_CTL (a control or non-ASCII byte). */
enum { CB_IDF_LENGTH = 1, CB_IDF_CHAR_O, CB_IDF_CHAR_IL, CB_IDF_CHAR, CB_IDF_CHAR_CTL };
int cb_id_fault(const char *s, size_t *at);

/* 1 if the concern exists, 0 if not, -1 on error. */
int cb_concern_exists(struct casebook *, const char *concern_id);

/* ---- CLI helpers (review/cli.c) ---------------------------------------- */

/* Options every casebook command shares. Environment defaults:
 * CANDOUR_CASEBOOK, CANDOUR_KEY, CANDOUR_PASSPHRASE_FILE. */
struct rv_opts {
	const char *casebook; /* --casebook FILE */
	const char *key;      /* --key NAME.sec */
	const char *passfile; /* --passphrase-file FILE */
};
void rv_opts_init(struct rv_opts *);
/* If argv[*i] is a common option (--casebook, --key, --passphrase-file, in
 * the forms "--opt VALUE" and "--opt=VALUE"), stores it, advances *i past
 * its value and returns 1; returns 0 if argv[*i] is something else; -1
 * after printing one error line (value missing). */
int rv_opt_common(const char *cmd, int argc, char **argv, int *i, struct rv_opts *);
/* Value of option name at argv[*i] ("--name V" or "--name=V"): returns 1
 * and sets *val, advancing *i; 0 if argv[*i] is not that option; -1 after
 * printing an error when the value is missing. */
int rv_opt_value(
    const char *cmd, int argc, char **argv, int *i, const char *name, const char **val);
/* Applies argv's --lang and --web (either form) before the rest is read,
 * so that --help and argument errors speak the language asked for. */
void rv_lang_early(int argc, char **argv);

/* Reads the passphrase: from o->passfile (first line, without the
 * newline), else from the terminal with echo off. confirm: a new key's
 * passphrase, refused when weaker than RV_PASS_MIN_BITS (on a terminal
 * right after its first entry and asked again, RV_PASS_TRIES times in
 * all), then asked twice. *pass is sodium_malloc'd (rv_pass_free). */
int rv_cli_passphrase(
    const char *cmd, const struct rv_opts *, int confirm, char **pass, size_t *len);
void rv_pass_free(char *pass);
/* Estimated strength of a passphrase in bits (review/pass_strength.c):
 * split at spaces and - _ . , into two or more tokens, each distinct word
 * of three letters or more counts ~12.9 bits (a diceware word), any other
 * token by its characters; one token counts by its characters: length
 * (runs like "aaaa" or "1234" count once) times log2 of the character
 * classes it uses. */
double rv_pass_bits(const char *s, size_t len);
#define RV_PASS_MIN_BITS 50 /* keygen refuses weaker passphrases */
#define RV_PASS_TRIES 3     /* weak entries on a terminal before keygen gives up */
/* Loads and opens --key with the passphrase. */
int rv_cli_seckey(const char *cmd, const struct rv_opts *, struct cc_seckey **out);
/* --casebook and --key required: opens both, printing the error line. The
 * casebook then owns the key: cb_close frees it. Returns 0, or the exit
 * code: 2 when either file is missing or unusable (said before the
 * passphrase is asked), 1 for any other failure. */
int rv_cli_open(const char *cmd, const struct rv_opts *, struct casebook **out);

/* rv_cli_seckey that also hands back the key file's bytes (malloc'd, the
 * caller frees) and, when cached, takes the key from the session keyring
 * (`unlock`) instead of asking the passphrase. */
int rv_cli_seckey_file(const char *cmd, const struct rv_opts *, int cached, struct cc_seckey **out,
    uint8_t **file, size_t *flen);

/* TEST ONLY (SECURITY.md, "The test KDF"): 1 when CANDOUR_TEST_WEAK_KDF=1,
 * and then key files with the test limits (keygen --kdf test) may be made
 * and opened in this process (cc_seckey_test_floor); 0 otherwise, and the
 * floor is INTERACTIVE. Called before every key file is sealed or opened.
 * Production never sets the variable. */
#define RV_WEAK_KDF_ENV "CANDOUR_TEST_WEAK_KDF"
int rv_test_kdf(void);

/* ---- unlock once (review/keyring.c, cmd_unlock.c) ----------------------- */
#define RV_UNLOCK_DEFAULT_SECS (30 * 60)
#define RV_UNLOCK_MAX_SECS (12 * 60 * 60)
/* Stores the opened key for the key file's bytes in the session keyring,
 * expiring after secs. 0 / -1 (nothing stored). */
int rv_keyring_put(const uint8_t *file, size_t flen, const struct cc_seckey *, unsigned secs);
/* 0 and *out (free with cc_seckey_free) when the session holds a valid
 * entry for exactly this key file; 1 when it holds none; -1 out of memory. */
int rv_keyring_get(const uint8_t *file, size_t flen, struct cc_seckey **out);
/* 0 dropped, 1 there was none, -1 could not drop it. */
int rv_keyring_drop(const uint8_t *file, size_t flen);
/* "90s", "30m", "2h" into seconds, at most RV_UNLOCK_MAX_SECS; -1 if not
 * one, or out of range (unlock --for, desk --idle). */
long rv_duration_parse(const char *s);
int cmd_unlock(int argc, char **argv);
int cmd_lock(int argc, char **argv);

/* The exit status every command's --help states. */
#define RV_EXIT_HELP                                                                               \
	"Exit status: 0 done, 1 failed (one line on stderr says why; nothing changed),\n"          \
	"2 usage error (a wrong option or argument, or a file named that is missing or\n"          \
	"cannot be used: checked before any passphrase is asked).\n"

/* Before any passphrase is asked: 0 when path can be read as a file (in)
 * or a file can be written there (out; with excl, one that does not exist
 * yet), else -1 after one line naming path, what is wrong and todo (a
 * cli.rv.todo.* catalogue key). */
int rv_cli_in_file(const char *cmd, const char *path, const char *todo);
int rv_cli_out_file(const char *cmd, const char *path, int excl, const char *todo);

/* Prints "candour-review: CMD: " + the formatted message + "\n" on stderr. */
void rv_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same line from the catalogue: kv is the cli.* key, then the values
 * of its {1}, {2}, ..., then NULL (tmpl.h, CLI_PUT). RV_ERR(cmd, key, ...)
 * is the form every converted command uses. */
void rv_say(const char *cmd, const char *const *kv);
#define RV_ERR(cmd, ...) rv_say(cmd, (const char *const[]){__VA_ARGS__, NULL})

/* The one path for untrusted text to a terminal or file: valid UTF-8 is
 * printed as is, except C0/C1 controls, DEL, and bidi override/isolate
 * characters (U+202A-202E, U+2066-2069), which are printed as \u{XXXX};
 * newline and tab kept when multiline (else \n, \t); invalid bytes as \xNN.
 * Returns 0 or -1 on a write error. */
int rv_print_safe(FILE *out, const char *s, size_t len, int multiline);
/* Same into a malloc'd NUL-terminated string (for table cells). */
char *rv_safe_dup(const char *s, size_t len);

/* Installs the seccomp filter: socket(), socketpair(), connect() and the
 * like fail with EACCES (socketcall too). Called first thing in main. */
int rv_sandbox(void);
/* The desk's filter (review/desk_*.c): the same, except accept on lfd
 * only and talk on what it accepts; see sandbox.c. All threads. */
int rv_sandbox_desk(int lfd);

/* ---- dates and states (review/dates.c, review/state.c) ----------------- */

/* out = date + days (YYYY-MM-DD); -1 on an invalid date. */
int rv_date_add_days(const char *date, int days, char out[11]);
/* out = date + months, clamped to the month's last day. */
int rv_date_add_months(const char *date, int months, char out[11]);

enum cb_state { CB_RECEIVED = 1, CB_ACKNOWLEDGED = 2, CB_INVESTIGATING = 3, CB_CLOSED = 4 };
const char *cb_state_name(int state);
int cb_state_parse(const char *s);	  /* enum value or 0 */
const char *cb_outcome_name(int outcome); /* enum bitem_outcome; "" for none */
int cb_outcome_parse(const char *s);	  /* enum bitem_outcome or -1 */
/* NULL if from -> to is legal given whether an outcome is recorded; else a
 * static phrase saying why not. */
const char *cb_transition_check(int from, int to, int has_outcome);
/* The same rule as a reason code (the desk says it from the catalogue). */
enum cb_transition {
	CB_TR_OK,
	CB_TR_UNKNOWN,
	CB_TR_CLOSED,
	CB_TR_SAME,
	CB_TR_BACKWARDS,
	CB_TR_NEEDS_OUTCOME,
};
int cb_transition_rule(int from, int to, int has_outcome);

/* ---- commands ----------------------------------------------------------- */
int cmd_keygen(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_reviewer(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_attachment(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_case_status(int argc, char **argv);
int cmd_outcome(int argc, char **argv);
int cmd_note(int argc, char **argv);
int cmd_assign(int argc, char **argv);
int cmd_reply(int argc, char **argv);
int cmd_export_replies(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_purge(int argc, char **argv);

/* The review tool's random source (rand_pool.c): rv_rand_install once before
 * sodium_init (cc_init), rv_rand_start after it; 0 or -1. Draws before
 * rv_rand_start, or if it fails, go to the kernel one by one. */
#define RV_RAND_NAME "candour-review-pool"
int rv_rand_install(void);
int rv_rand_start(void);

#endif
