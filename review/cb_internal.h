/*
 * Private to the casebook files of review/ (not for review/ref_*.c, which
 * use review/review.h only): the layout of struct casebook and helpers the
 * command files share.
 */
#ifndef CANDOUR_REVIEW_CB_INTERNAL_H
#define CANDOUR_REVIEW_CB_INTERNAL_H

#include <sodium/crypto_aead_xchacha20poly1305.h>
#include <sodium/crypto_box.h>

#include "review/review.h"
#include "bundle/bundle.h"

#define CB_STMT_CACHE 32

struct casebook {
	sqlite3 *db;
	const struct cc_seckey *sk; /* owned only when owns_sk (rv_cli_open) */
	int owns_sk;
	int in_txn;
	int last_err; /* SQLite's extended code when cb_begin or cb_commit failed */
	uint8_t intake_pk[CC_SIGN_PK];
	uint8_t seed[CB_KEY_BYTES]; /* the casebook key */
	uint8_t field_key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	uint8_t index_key[crypto_generichash_KEYBYTES];
	struct cc_boxkey box; /* casebook X25519 key (derived; no longer used for data) */
	/* The one concern key loaded last (concern_key.c): its id ("" none),
	 * field key and attachment key pair, derived from the 32 random bytes
	 * sealed to this reviewer in concern_keys. */
	char ck_cid[CB_ID_CHARS + 1];
	uint8_t ck_field[CB_KEY_BYTES];
	uint8_t ck_boxseed[crypto_box_SEEDBYTES]; /* ck_box is made from it */
	int ck_box_ready;			  /* on first use: cb_ck_box */
	struct cc_boxkey ck_box;
	/* Scratch for a concern key's 32 random bytes while it is sealed or
	 * opened (wiped after each use): the casebook is sodium_malloc'd, so a
	 * key per concern costs no mmap/munmap pair (the munmap's cross-CPU
	 * TLB flush was ~40% of a large import's time). */
	uint8_t ck_tmp[CB_KEY_BYTES];
	/* Statements prepared once for the casebook's life (cb_stmt.c). */
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} stmt[CB_STMT_CACHE];
};

void cb_stmt_free_all(struct casebook *);

#define CB_SEAL_VERSION 1

int cb_migrate(sqlite3 *db, const char **why);
int cb_meta_get(struct casebook *, const char *k, uint8_t *out, size_t len);
int cb_meta_set(struct casebook *, const char *k, const uint8_t *v, size_t len);
int cb_reviewer_insert(struct casebook *, const struct cc_pubkey *);
int cb_may_read(struct casebook *, const uint8_t *recips, size_t len);

/* Head of the imported chain (checked against the anchor: -1 if edited). */
int cb_head(struct casebook *, uint64_t *seq, uint8_t link[CC_HASH_BYTES]);
/* The pinned intake key and the head, sealed in meta "anchor": set after
 * writing either, checked by cb_open and cb_head. */
int cb_anchor_set(struct casebook *);
int cb_anchor_check(struct casebook *);

/* Loads a concern's main row. */
struct cb_concern {
	char id[CB_ID_CHARS + 1];
	uint64_t seq;
	char received[11];
	int readable; /* decrypted at import and sealed to this reviewer */
	int status, outcome;
	char ack_date[11], closed_date[11];
	char assignee[CC_NAME_MAX + 1];
	char category[CB_CATEGORY_MAX + 1];
	uint8_t reporter_pk[CC_BOX_PK];
	int purged;
	int share_summary;
};
/* 0 found, 1 unknown id, -1 error. */
int cb_concern_load(struct casebook *, const char *id, struct cb_concern *out);
/* Why an unreadable concern cannot be read, for a message: "sealed to
 * other reviewers", or, when it opened at import but did not parse as a
 * concern, that it is malformed (nobody can read it). */
const char *cb_unreadable_why(const struct cb_concern *);
/* AD of a sealed column of a row that belongs to a concern (message,
 * note, reply, attachment): "<what>:<row>:<concern id>:<col>", so the row
 * cannot be moved to another concern in the file. */
void cb_row_ad(const char *what, long long row, const char *cid, const char *col, char ad[80]);
/* AD of the tag that binds a concern's reporter key to it:
 * "concern:<id>:reporter_pk" (the tag seals the 32-byte key). */
void cb_reporter_ad(const char *id, char ad[64]);
/* AD of a concern's outcome summary: "concern:<id>:summary:shared" or
 * ":private", so the clear share flag cannot be flipped without the
 * summary failing to open. */
void cb_summary_ad(const char *id, int share, char ad[64]);
/* Opens the concern body (the fields plaintext); *pt freed with cb_free. */
int cb_concern_body(struct casebook *, const char *id, uint8_t **pt, size_t *len);
/* What is new (seen.c), for the reviewer who opened the casebook:
 * cb_seen_mark records that they opened cid now (with its messages so far);
 * cb_seen_state: *is_new when they never opened it, *new_msg when a message
 * came after they last did. cb_concern_risk: 1 when the reporter said a
 * child is at immediate risk, 0 not, -1 unreadable. 0 / -1. */
int cb_seen_mark(struct casebook *, const char *cid);
int cb_seen_state(struct casebook *, const char *cid, int *is_new, int *new_msg);
int cb_concern_risk(struct casebook *, const char *cid);
/* The inbox (cb_inbox.c): one row per concern as `list` and the desk show
 * it. Strings point into the row being read: valid during fn only. The
 * marks are for the reviewer who opened the casebook. */
struct cb_inbox_row {
	char id[CB_ID_CHARS + 1];
	char received[11], ack_due[11], fb_due[11];
	const char *category, *assignee; /* untrusted: escape on the way out */
	int status, outcome;
	int readable; /* sealed to this reviewer, who holds its key */
	int late_msg; /* the reporter wrote after the case was closed */
	int ack_late, fb_late, is_new, new_msg, risk;
	int past_retention; /* closed on or before the retention rule's cut-off, not purged */
};
typedef int (*cb_inbox_fn)(void *ctx, const struct cb_inbox_row *);
/* Calls fn for each concern in received order, skipping those not in
 * state want (0: every state) and, with overdue_only, those not overdue
 * on today (YYYY-MM-DD). fn returns 0 to go on, -1 to stop (then -1). */
int cb_inbox_each(
    struct casebook *, const char *today, int want, int overdue_only, cb_inbox_fn fn, void *ctx);
/* Search (cb_search.c). cb_search_check: 0 if text is words to search,
 * -1 not one line of text under RV_SEARCH_MAX bytes, -2 no word in it.
 * cb_search: audits the search, then calls fn once per hit (where is
 * "concern", "message" or "note"; a concern may come more than once);
 * returns the number of hits, or -1 (bad text, error, or fn said stop). */
typedef int (*cb_search_fn)(void *ctx, const char *cid, const char *where);
int cb_search_check(const char *text);
int cb_search(struct casebook *, const char *text, cb_search_fn fn, void *ctx);
/* Working a case (cb_act.c): inside the caller's transaction, on a
 * concern it loaded; each checks its rule, writes and audits. 0 done, a
 * refusal below (nothing written), or -1 (a write failed: roll back). */
enum cb_act {
	CB_ACT_OK = 0,
	CB_ACT_UNREADABLE = 1,	 /* sealed to others (or malformed): not this reviewer's */
	CB_ACT_ILLEGAL = 2,	 /* that state change is not allowed (*why says why) */
	CB_ACT_CLOSED = 3,	 /* closed: outcome and assignee are final */
	CB_ACT_PURGED = 4,	 /* purged: nothing can be added */
	CB_ACT_BAD_TEXT = 5,	 /* empty, too long or not UTF-8 text (or no outcome) */
	CB_ACT_NOT_REVIEWER = 6, /* assign: not a reviewer of this casebook */
	CB_ACT_NOT_CHOSEN = 7,	 /* assign: the reporter did not choose them */
	CB_ACT_NO_KEY = 8,	 /* assign: chosen, but holds no key of it here */
	CB_ACT_SAME = 9,	 /* assign: already assigned to them */
};
int cb_act_status(struct casebook *, const struct cb_concern *, int to, const char **why);
int cb_act_outcome(
    struct casebook *, const struct cb_concern *, int outcome, const char *summary, int share);
int cb_act_note(struct casebook *, const struct cb_concern *, const char *text);
int cb_act_assign(struct casebook *, const struct cb_concern *, const char *reviewer);
/* The reply exactly as sealed to the reporter: text[0..len) after
 * cb_act_reply_trim (trailing newlines and spaces dropped). */
int cb_act_reply(struct casebook *, const struct cb_concern *, const char *text, size_t len);
size_t cb_act_reply_trim(const char *text, size_t len);
/* 1 if s[0..n) is note / summary text: non-empty UTF-8 under CB_TEXT_MAX
 * without control characters but newline and tab. */
int cb_act_text_ok(const char *s, size_t n);
/* Reading a concern back (cb_view.c), for `show` and the desk. Text
 * handed to a callback is wiped when it returns; it is untrusted. */
enum cb_row_kind { CB_ROW_MESSAGE = 1, CB_ROW_NOTE = 2, CB_ROW_REPLY = 3 };
enum cb_row_state { CB_ROW_OPEN = 0, CB_ROW_SEALED = 1, CB_ROW_DAMAGED = 2 };
struct cb_row {
	int kind, state;
	const char *date, *author; /* clear columns (author NULL for messages) */
	int after_close;	   /* a message that came after the case closed */
	const uint8_t *text;	   /* CB_ROW_OPEN: a FIELDS_MESSAGE plaintext for */
	size_t len;		   /* messages, plain text for notes and replies */
};
typedef int (*cb_row_fn)(void *ctx, const struct cb_row *);
/* Rows of one kind for concern id, oldest first (late_only: messages
 * after closing only). fn returns 0 to go on; else -1 is returned. */
int cb_rows_each(struct casebook *, const char *id, int kind, int late_only, cb_row_fn, void *ctx);
struct cb_att_info {
	int64_t rowid;
	int n;
	long long size;
	const uint8_t *name, *type; /* NULL when the sealed fields do not open */
	size_t namelen, typelen;
};
typedef int (*cb_att_fn)(void *ctx, const struct cb_att_info *);
int cb_atts_each(struct casebook *, const char *id, cb_att_fn, void *ctx);
/* Attached files of readable records kept sealed as they came; -1 error. */
int cb_atts_kept(struct casebook *, const char *id);
/* Follow-ups that came when the case was closed or purged; -1 error. */
int cb_after_close_count(struct casebook *, const char *id);
/* The outcome summary: 0 opened (*pt freed with cb_free), 1 none, -1. */
int cb_summary_open(struct casebook *, const struct cb_concern *, uint8_t **pt, size_t *len);
/* The answers of a fields plaintext, leaving out those left empty:
 * 0, -1 malformed, -2 fn stopped. cb_fields_risk: 1 if the reporter says a
 * child is at immediate risk, 0 not, -1 malformed. */
typedef int (*cb_field_fn)(void *ctx, const char *name, const uint8_t *val, size_t len);
int cb_fields_each(const uint8_t *pt, size_t len, const char *magic, cb_field_fn, void *ctx);
int cb_fields_risk(const uint8_t *pt, size_t len, const char *magic);
/* Attachment n of concern c, decrypted, to sink: in a transaction it
 * begins, with the audit entry written first; the caller commits when
 * the bytes are where they go (or rolls back). CB_ACT_OK, CB_ACT_PURGED,
 * CB_ACT_UNREADABLE, CB_ATT_NONE (no such n), CB_ATT_DAMAGED (does not
 * open, or sink failed; rolled back), -1 (rolled back). */
#define CB_ATT_NONE 20
#define CB_ATT_DAMAGED 21
int cb_att_export(struct casebook *, const struct cb_concern *, long n, cc_sink_fn sink, void *ctx);
/* The row of attachment n of concern cid; 0 if none (or an error). */
int64_t cb_att_rowid(struct casebook *, const char *cid, long n);
/* Audits that this reviewer opened concern id (its own transaction). */
int cb_show_audit(struct casebook *, const char *id);
/* The audit log, oldest first (audit.c): every entry, or those of one
 * concern. detail_state: CB_ROW_OPEN (detail opened), CB_ROW_SEALED (no
 * detail), CB_ROW_DAMAGED (does not open). Strings are clear columns. */
struct cb_audit_row {
	int64_t n;
	const char *when, *who, *action, *cid; /* cid NULL for none */
	int detail_state;
	const uint8_t *detail;
	size_t dlen;
};
typedef int (*cb_audit_fn)(void *ctx, const struct cb_audit_row *);
int cb_audit_each(struct casebook *, const char *only_cid, cb_audit_fn, void *ctx);
/* export-replies (cb_export.c): every pending item this reviewer may
 * sign (the concern is here, readable by them, not purged) to a new bundle
 * out, marked sent and audited in one transaction. Items they may not
 * sign stay pending: skipped(ctx, concern id as stored, maybe NULL) for
 * each. res->n items written (0: no file). Returns enum cb_exp. */
enum cb_exp {
	CB_EXP_OK = 0,
	CB_EXP_READ = 1,     /* the casebook cannot be read */
	CB_EXP_CREATE = 2,   /* out cannot be created (res->errnum, res->bundle_rc) */
	CB_EXP_TAMPERED = 3, /* an outbox row was changed outside the tool */
	CB_EXP_WRITE = 4,    /* the bundle cannot be written (res->bundle_rc) */
	CB_EXP_MARK = 5,     /* written, but not marked sent */
	CB_EXP_BAD = 6,
};
struct cb_export_res {
	int n, skipped, errnum, bundle_rc;
};
typedef void (*cb_skip_fn)(void *ctx, const char *cid);
int cb_export_replies(
    struct casebook *, const char *out, cb_skip_fn skipped, void *ctx, struct cb_export_res *res);
#define CB_CLOSED_NAMED 32
/* Why an import was refused, for a page that says it from the catalogues
 * (the desk: why is English, for the CLI). CB_IMP_GAP and CB_IMP_FORK
 * give records in refused_at (and the casebook's head in refused_head);
 * CB_IMP_LACKS, CB_IMP_RECORD and CB_IMP_NEWER give the record. */
enum cb_import_refusal {
	CB_IMP_NONE,
	CB_IMP_READ,   /* the file cannot be read */
	CB_IMP_SIG,    /* not signed by the pinned intake key */
	CB_IMP_TAMPER, /* its hash chain or an envelope was changed */
	CB_IMP_KIND,   /* a reply bundle */
	CB_IMP_FORMAT, /* not a bundle, corrupt, cut short, over a limit */
	CB_IMP_GAP,    /* starts after the casebook's head */
	CB_IMP_FORK,   /* another history */
	CB_IMP_LACKS,  /* the casebook lacks a record of its own chain */
	CB_IMP_RECORD, /* a record is damaged or changed */
	CB_IMP_NEWER,  /* a record of a kind this version does not know */
	CB_IMP_BUSY,   /* the casebook is busy or damaged */
	CB_IMP_DISK,   /* the casebook cannot be written */
	CB_IMP_MEMORY,
	CB_IMP_REFUSALS
};
/* Import (cb_import.c): verifies the export bundle at path (NULL: none,
 * only open kept records), stores its new records, audits, commits. 0 and
 * *res, or -1 with why (one line, nothing imported) and res->refused. */
struct cb_import_res {
	int refused; /* enum cb_import_refusal; CB_IMP_NONE when imported */
	uint64_t refused_at, refused_head;
	int has_bundle;
	uint64_t from, first, to, held, head;
	unsigned readable, unreadable, unlocked, att_kept, nclosed;
	uint8_t headlink[CC_HASH_BYTES];
	char closed[CB_CLOSED_NAMED][CB_ID_CHARS + 1];
	/* replies and status changes the intake confirmed (the export's ids):
	 * counts, and the concerns of the replies (up to CB_CLOSED_NAMED) */
	unsigned conf_replies, conf_statuses, nconf;
	char conf_id[CB_CLOSED_NAMED][CB_ID_CHARS + 1];
	unsigned conf_n[CB_CLOSED_NAMED];
};
int cb_import(
    struct casebook *, const char *path, struct cb_import_res *res, char *why, size_t whylen);
/* The same, telling fn how far it is: stage CB_IMPORT_VERIFY (records of
 * the bundle checked, before anything is read from it), then
 * CB_IMPORT_STORE (new records stored); done of total each. A 100k import
 * takes about a minute: the command shows it on a terminal. */
enum { CB_IMPORT_VERIFY, CB_IMPORT_STORE };
struct cb_import_progress {
	void (*fn)(void *ctx, int stage, uint64_t done, uint64_t total);
	void *ctx;
};
int cb_import_shown(struct casebook *, const char *path, struct cb_import_res *res, char *why,
    size_t whylen, const struct cb_import_progress *pg);
/* Names what records from..to brought, one line each: new concerns (with
 * the risk mark) and new messages with their concern, for import. */
/* Lines naming what an import brought, at most this many; then counts. */
#define CB_NEWS_NAMED 50
int cb_news_print(struct casebook *, uint64_t from, uint64_t to, FILE *out);

/* Field sealing with an explicit key (seal.c). */
int cb_seal_key(const uint8_t key[CB_KEY_BYTES], const char *ad, const uint8_t *pt, size_t len,
    uint8_t **ct, size_t *ctlen);
int cb_unseal_key(const uint8_t key[CB_KEY_BYTES], const char *ad, const uint8_t *ct, size_t ctlen,
    uint8_t **pt, size_t *ptlen);

/* Concern keys (concern_key.c). cb_ck_create: a new random key for cid,
 * sealed to every reviewer of this casebook whose key id is in recips
 * (the envelope's recipients; the caller must be one), and loaded.
 * cb_ck_load: 0 loaded, 1 no key sealed to this reviewer, -1 error.
 * cb_ck_grant: seals every concern key this reviewer holds, of concerns
 * whose recipients include pub, to pub (reviewer add); *n how many. */
int cb_ck_create(struct casebook *, const char *cid, const uint8_t *recips, size_t len);
int cb_ck_load(struct casebook *, const char *cid);
/* The attachment key pair of the concern key loaded last (made on first
 * use); NULL when none is loaded. */
const struct cc_boxkey *cb_ck_box(struct casebook *);
int cb_ck_grant(struct casebook *, const struct cc_pubkey *pub, unsigned *n);

/* Sealed attachments: stream into / out of att_chunks under the X25519
 * key of the attachment's concern (CC_KIND_CASEBOOK envelopes). */
struct cb_att_writer;
int cb_att_begin(struct casebook *, const char *cid, int64_t att_rowid, struct cb_att_writer **out);
int cb_att_write(struct cb_att_writer *, const uint8_t *buf, size_t len);
int cb_att_finish(struct cb_att_writer *);
void cb_att_abort(struct cb_att_writer *);
int cb_att_read(struct casebook *, const char *cid, int64_t att_rowid, cc_sink_fn sink, void *ctx);

/* Outbox item for export-replies (type enum bitem_type). env may be NULL. */
int cb_outbox_add(struct casebook *, const char *concern_id, uint64_t target_seq, int type,
    int state, int outcome, const uint8_t *env, size_t envlen);
/* 0 if tag (the row's tag column) seals exactly these values: the row was
 * written by cb_outbox_add and not changed since; -1 otherwise. */
int cb_outbox_check(struct casebook *, const uint8_t id[BUNDLE_ITEM_ID_BYTES], const char *cid,
    uint64_t target_seq, int type, int state, int outcome, const char *date, const uint8_t *env,
    size_t envlen, const uint8_t *tag, size_t taglen);

/* Audit log verification: 0 intact (*n rows), else the first broken n. */
int cb_audit_verify(struct casebook *, int64_t *first_bad, int64_t *nrows);

/* UTC "YYYY-MM-DDTHH:MM:SSZ" */
int cb_now(char out[21]);

/* Random concern id of CB_ID_CHARS Crockford base32 characters. */
void cb_new_id(char out[CB_ID_CHARS + 1]);
/* 1 if s has the shape of a concern id. */
int cb_id_valid(const char *s);

/* CLI: checks a concern id argument before anything is opened (a usage
 * error: the caller exits 2). 0 or -1 after the error line. */
int rv_cli_id_arg(const char *cmd, const char *id);
/* CLI: loads concern id for command cmd, printing the error line for an
 * unknown or malformed id. 0 or -1. */
int rv_cli_concern(const char *cmd, struct casebook *, const char *id, struct cb_concern *c);
/* CLI: parses "CMD [common options] POSITIONAL..." for the simple commands:
 * fills pos[0..npos) (exactly npos required); extra named options are
 * matched against opts[] (value options) and flags[] (boolean). Returns 0,
 * 1 for --help (printed), or 2 after printing a usage error. */
struct rv_argspec {
	const char *usage; /* printed by --help, without "usage: " */
	int npos;
	const char *posname; /* for the error line */
	const char *opts[4]; /* "--summary", ... */
	const char **optv[4];
	const char *flags[4];
	int *flagv[4];
	int optpos; /* optional positionals after the required */
};
int rv_cli_args(const char *cmd, int argc, char **argv, struct rv_opts *o,
    const struct rv_argspec *spec, const char **pos);

/* The retention rule (review/retention.c): "<n>m" (months) or "<n>d". */
#define CB_RETENTION_MAX 8
#define CB_RETENTION_YEARS_MAX 50
/* "12m", "2y" (kept as "24m"), "90d" -> the normalised rule; -1 otherwise. */
int cb_retention_parse(const char *s, char norm[CB_RETENTION_MAX + 1]);
/* The casebook's rule into rule: 1 set, 0 none, -1 damaged or edited. */
int cb_retention_get(struct casebook *, char rule[CB_RETENTION_MAX + 1]);
/* The latest closing date the rule makes due as of today: a case closed
 * on or before out is past retention. */
int cb_retention_cutoff(const char *rule, const char *today, char out[11]);
int cmd_retention(int argc, char **argv);
/* Import (review/import_rec.c), inside the caller's transaction. */
struct imp {
	struct casebook *cb;
	struct bundle_r *r; /* NULL: envelopes come from sealed_envs */
	/* opens every record's body in turn with this reviewer's key (a
	 * sodium_malloc'd reader per record cost a third of an import);
	 * wiped between records by cc_env_open_with */
	struct cc_env_reader *rd;
	/* the body of the concern being stored, opened (for its links);
	 * imp_record wipes and frees it before the next record */
	uint8_t *body;
	size_t bodylen;
	const char *err; /* static phrase for the error line */
	/* what the reviewer should do about err: IMP_DO_*, which also picks
	 * the refusal the desk says (cb_import.c, record_refusal) */
	int todo;
	uint64_t seq;	 /* the record being stored */
	unsigned readable, unreadable, unlocked;
	unsigned att_kept; /* attachments that opened to something else: kept sealed */
	int bad_content;   /* set by imp_attachment: the failure is the envelope's */
	/* the first refusal of a read from the bundle (BUNDLE_EENV: an
	 * envelope not the one its record hashes, checked as it is read;
	 * BUNDLE_EFORMAT: changed since verify), for the error line */
	int bundle_err;
	/* concerns that got a follow-up while closed or purged, for import
	 * to name (the first CB_CLOSED_NAMED; nclosed counts them all) */
	char closed[CB_CLOSED_NAMED][CB_ID_CHARS + 1];
	unsigned nclosed;
};
/* The actions an import refusal ends with: the reviewer reading it is
 * tired, so each line says what to do next. */
#define IMP_TODO_EXPORT "export again from the intake and import that bundle"
#define IMP_TODO_DISK                                                                              \
	"check that the disk has room and that no other candour-review command or desk is"       \
	" using the casebook, then import again"
#define IMP_TODO_NEWER "update candour-review to the intake's version, then import again"
/* struct imp's todo: 0 (the default) is the disk's, since a failure no
 * read named is the store's */
enum { IMP_DO_DISK = 0, IMP_DO_EXPORT, IMP_DO_NEWER };
/* Stores record im->seq of the verified bundle im->r. */
int imp_record(struct imp *);
/* Opens kept (unreadable) records this reviewer can read; counts them in
 * im->unlocked. */
int imp_unlock(struct imp *);
/* Streams envelope idx of the current record (bundle or kept) to sink. */
int imp_env_stream(struct imp *, uint32_t idx, cc_sink_fn sink, void *ctx);
/* Stores envelope idx (an attachment) of the current record for concern cid. */
int imp_attachment(struct imp *, const char *cid, uint32_t idx);

/* Seals a FIELDS_REPLY plaintext (kind "reply" or "outcome", text) to a
 * reporter key as a CC_KIND_REPLY envelope; *env malloc'd. */
int rv_seal_to_reporter(const uint8_t reporter_pk[CC_BOX_PK], const char *kind, const char *text,
    size_t len, uint8_t **env, size_t *envlen);
/* The editor `reply` starts: $VISUAL, $EDITOR, `editor` if in $PATH, vi. */
const char *rv_editor(void);
/* Adds a sealed text row (notes or replies) by this reviewer, today. */
int rv_add_text_row(struct casebook *, const char *table, const char *what, const char *cid,
    const char *text, size_t len);

#endif
