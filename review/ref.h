/*
 * Referrals: the register import, reference extraction and linking, and
 * timescale flags (review/ref_*.c). The casebook calls the hooks below;
 * the CLI dispatch calls the commands. Returns 0 / -1 unless said otherwise.
 */
#ifndef CANDOUR_REVIEW_REF_H
#define CANDOUR_REVIEW_REF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

struct casebook;

/* Creates the referral tables; called by the casebook's migration step
 * inside its transaction. */
int ref_schema(sqlite3 *db);
/* Casebook migration 6 -> 7: ref_links rebuilt with a cheaper CHECK. */
int ref_links_v7(sqlite3 *db);

/* Extracts references from a concern (its reference fields and free text)
 * or a follow-up and links them; called inside the import transaction for
 * every record this reviewer can read. concern_id is the casebook's id. */
int ref_after_import(struct casebook *cb, const char *concern_id);
/* Drops (on 0) or builds (on 1) the index of links by reference, inside
 * the caller's transaction: an import that brings more records than the
 * casebook holds builds it once at the end (a sort) rather than inserting
 * each new link into it at random. */
int ref_links_index(struct casebook *cb, int on);
/* An import stages its new links (ref_store.c says why): _stage inside the
 * import's transaction before its first record, _unstage(keep 1) before
 * its commit puts them into ref_links sorted by key; _unstage(keep 0) on
 * any failure (the rollback takes the table too). _staged: 1 while this
 * casebook's links go to the stage. */
int ref_links_stage(struct casebook *cb);
int ref_links_staged(struct casebook *cb);
int ref_links_unstage(struct casebook *cb, int keep);
/* The same for a concern import has just stored, from its body (the
 * FIELDS_CONCERN plaintext, validated) rather than opening it again: a
 * new concern has no follow-ups yet, so the links are the same. */
int ref_after_import_body(
    struct casebook *cb, const char *concern_id, const uint8_t *body, size_t len);

/* Prints the linked referrals of a concern, with register facts and flags,
 * for `show` (terminal-safe). */
int ref_show(struct casebook *cb, const char *concern_id, FILE *out);

/* Commands: referrals import|list|config, link ID REF, unlink ID REF. */
int cmd_referrals(int argc, char **argv);
int cmd_link(int argc, char **argv);
int cmd_unlink(int argc, char **argv);

/* ======================================================================
 * Everything below was added by the referrals module: the pure parts
 * (CSV, mapping, extraction, matching, working days, flags) that the
 * commands above build on, exposed for the unit tests and the benchmark.
 * ==================================================================== */

/* ---- limits ------------------------------------------------------------ */
#define REF_CSV_FIELD_MAX 4096 /* bytes in one CSV field */
#define REF_CSV_ROW_MAX 65536  /* bytes in one CSV record */
#define REF_CSV_COLS_MAX 64    /* fields in one record */
#define REF_CSV_BUF 65536      /* read buffer */
#define REF_REF_MAX 64	       /* a normalised reference, bytes */
#define REF_PATTERNS_MAX 16
#define REF_PATTERN_MAX 48 /* pattern text, bytes */
#define REF_PAT_TOKENS_MAX 8
#define REF_SEP_RUN_MAX 3  /* separator characters between tokens */
#define REF_EXTRACT_MAX 64 /* references taken from one text */
#define REF_HOLIDAYS_MAX 512
#define REF_WORDS_MAX 16 /* keywords per keyword list */
#define REF_WORD_MAX 40
#define REF_CONFIG_MAX ((size_t)64 << 10) /* config file bytes */
#define REF_MAPS_MAX 32			  /* --map / map lines */
#define REF_COLUMN_MAX 127		  /* a mapped column name, bytes */
#define REF_REGISTER_ROWS_MAX 5000000	  /* rows in one import */
#define REF_NEAR_MAX 8			  /* near candidates kept per reference */

/* ---- CSV (ref_csv.c): RFC 4180, streaming ------------------------------ */
struct ref_csv;
struct ref_csv_row {
	size_t n;			 /* fields */
	const char *f[REF_CSV_COLS_MAX]; /* NUL-terminated, valid UTF-8 */
	size_t len[REF_CSV_COLS_MAX];
	unsigned long line;		       /* physical line the record starts on */
	unsigned long fline[REF_CSV_COLS_MAX]; /* physical line each field starts on */
};
/* Reads from in (not owned, not closed). A UTF-8 BOM at the start is
 * skipped. *out freed with ref_csv_free. */
int ref_csv_new(FILE *in, struct ref_csv **out);
void ref_csv_free(struct ref_csv *);
/* 1: a record in *row (valid until the next call); 0: end of input;
 * -1: an error, described by ref_csv_error (line and column). Blank lines
 * are skipped. Quoted fields may hold commas, doubled quotes and line
 * breaks (CRLF inside a field becomes LF). */
int ref_csv_next(struct ref_csv *, struct ref_csv_row *row);
/* "line L, column C: what" (C counts characters from 1) of the last error. */
const char *ref_csv_error(const struct ref_csv *);

/* ---- dates (ref_days.c) ------------------------------------------------- */
/* Days since 1970-01-01. Parses YYYY-MM-DD and d/m/yyyy or dd/mm/yyyy with
 * calendar validation (years 1900-2199). Returns 0 with *day set, -1. */
int ref_date_parse(const char *s, size_t len, int32_t *day);
void ref_date_format(int32_t day, char out[11]);
int ref_weekday(int32_t day); /* 0 Monday .. 6 Sunday */
/* Day number of a calendar date and back (proleptic Gregorian). */
int32_t ref_days_from_ymd(int y, int m, int d);
void ref_ymd_from_days(int32_t day, int *y, int *m, int *d);

struct ref_days {
	size_t n;
	int32_t hol[REF_HOLIDAYS_MAX]; /* sorted */
};
/* England and Wales bank holidays 2015-2030. */
void ref_days_default(struct ref_days *);
void ref_days_clear(struct ref_days *);
int ref_days_add(struct ref_days *, int32_t day);
int ref_days_is_working(const struct ref_days *, int32_t day);
/* The date n >= 0 working days after day (day itself need not be one). */
int32_t ref_days_after(const struct ref_days *, int32_t day, int n);

/* ---- configuration (ref_config.c) ---------------------------------------- */
enum ref_field {
	RF_REFERENCE = 0,
	RF_RECEIVED,
	RF_SOURCE,
	RF_TEAM,
	RF_DECISION,
	RF_DECISION_DATE,
	RF_STRATEGY_DATE,
	RF_S47_DATE,
	RF_ICPC_DATE,
	RF_STATUS,
	RF_CLOSED_DATE,
	RF_CLOSURE_REASON,
	RF_ASSESSMENT_DATE, /* the assessment concluded (issue 11: 45 working days) */
	RF_COUNT
};
const char *ref_field_name(int f);  /* "reference", "received", ... */
int ref_field_parse(const char *s); /* enum value or -1 */
int ref_field_is_date(int f);

enum ref_tok { REF_TOK_LIT = 1, REF_TOK_YEAR = 2, REF_TOK_NUM = 3 };
struct ref_pattern {
	char text[REF_PATTERN_MAX + 1];
	size_t ntok;
	struct {
		int kind;
		size_t n;		       /* digits, or literal length */
		char lit[REF_PATTERN_MAX + 1]; /* upper case */
		char sep;		       /* separator written after it, or 0 */
	} tok[REF_PAT_TOKENS_MAX];
	int anchored; /* has a literal token: digit runs may drop leading zeros */
};
/* Compiles pattern text; *why on -1 a cli.why.ref.* key (say it with CLI_T). */
int ref_pattern_compile(const char *text, struct ref_pattern *out, const char **why);

struct ref_map_entry {
	char column[REF_COLUMN_MAX + 1];
	int field;
	int required; /* --map: the column must exist; config "map": if present */
};
struct ref_config {
	size_t npat;
	struct ref_pattern pat[REF_PATTERNS_MAX];
	size_t nmap;
	struct ref_map_entry map[REF_MAPS_MAX];
	struct ref_days days;
	int decision_days; /* working days from receipt */
	int strategy_days; /* working days from decision */
	int icpc_days;	   /* working days from strategy discussion */
	int assessment_days; /* working days from receipt to the assessment's end */
	int nfa_days;	   /* calendar days from receipt */
	size_t ncp, nnfa, nclosed;
	char cp_words[REF_WORDS_MAX][REF_WORD_MAX + 1];	    /* decision needs s47 route */
	char nfa_words[REF_WORDS_MAX][REF_WORD_MAX + 1];    /* "no further action" */
	char closed_words[REF_WORDS_MAX][REF_WORD_MAX + 1]; /* status meaning closed */
};
/* Defaults: patterns REF/YYYY/NNNNN and PPN-NNNNNN, E&W holidays,
 * thresholds 1/3/15 working days and 10 days. */
void ref_config_default(struct ref_config *);
/* Applies a config text (see SECURITY.md, "Referral register") on top of
 * *c. -1 with "line L: what" in why (size whylen). */
int ref_config_parse(struct ref_config *c, const char *text, size_t len, char *why, size_t whylen);
/* "COLUMN=FIELD" as given to --map: the column must be in the header. */
int ref_config_map(struct ref_config *c, const char *spec, char *why, size_t whylen);

/* ---- mapping a CSV record to register fields (ref_map.c) ----------------- */
struct ref_map {
	int col[RF_COUNT]; /* CSV column index of each field, or -1 */
	size_t ncols;
};
/* Resolves the header row through c's explicit maps, then defaults.
 * -1 with why (e.g. no reference column, unknown field, two columns for
 * one field). */
int ref_map_header(const struct ref_config *c, const struct ref_csv_row *hdr, struct ref_map *m,
    char *why, size_t whylen);

struct ref_record {
	const char *v[RF_COUNT]; /* point into the CSV row; "" when absent */
	size_t len[RF_COUNT];
	int32_t day[RF_COUNT];	   /* for date fields: day number, or -1 when empty */
	char ref[REF_REF_MAX + 1]; /* normalised reference */
};
/* Validates and maps one record: field count, reference present and
 * normalisable, dates. -1 with "line L, column C (NAME): what" in why. */
int ref_map_record(const struct ref_config *c, const struct ref_map *m,
    const struct ref_csv_row *row, struct ref_record *r, char *why, size_t whylen);

/* ---- extraction and normalisation (ref_extract.c) ------------------------ */
/* Normalises a reference as written in a register or a reference field:
 * a whole-string pattern match gives the pattern's canonical form; else
 * upper case, separators as '/', spaces dropped. -1 if nothing is left,
 * it is too long, or it holds no digit. */
int ref_normalise(const struct ref_config *, const char *s, size_t len, char out[REF_REF_MAX + 1]);
/* Finds pattern matches in free text; writes up to max distinct
 * normalised references; returns how many (0..max). */
size_t ref_extract(
    const struct ref_config *, const char *s, size_t len, char out[][REF_REF_MAX + 1], size_t max);

/* ---- matching (ref_match.c) ---------------------------------------------- */
/* 1 if a and b differ by exactly one insertion, deletion, substitution or
 * swap of two adjacent characters; 0 if equal or further apart. */
int ref_edit1(const char *a, size_t alen, const char *b, size_t blen);

/* An in-memory set of normalised register references. */
struct ref_index;
struct ref_index *ref_index_new(size_t expect);
void ref_index_free(struct ref_index *);
/* Adds a reference (copied). 1 added, 0 already there, -1 error. */
int ref_index_add(struct ref_index *, const char *ref);
int ref_index_has(const struct ref_index *, const char *ref);
size_t ref_index_count(const struct ref_index *);
/* Calls fn for every reference (in no particular order); stops at -1. */
int ref_index_foreach(const struct ref_index *, int (*fn)(void *ctx, const char *ref), void *ctx);
enum ref_class { REF_MISSING = 0, REF_EXACT = 1, REF_NEAR = 2 };
/* Classifies ref; for REF_NEAR, near[0..*nnear) get the register
 * references one edit away (at most REF_NEAR_MAX, sorted). */
int ref_classify(
    const struct ref_index *, const char *ref, char near[][REF_REF_MAX + 1], size_t *nnear);

/* ---- timescale flags (ref_flags.c) --------------------------------------- */
enum ref_flag {
	REF_FLAG_DECISION_LATE = 1 << 0,      /* "decision-late" */
	REF_FLAG_STRATEGY_LATE = 1 << 1,      /* "strategy-late" (or not held) */
	REF_FLAG_S47_MISSING = 1 << 2,	      /* "s47-not-started" */
	REF_FLAG_ICPC_LATE = 1 << 3,	      /* "icpc-late" */
	REF_FLAG_NFA_QUICK = 1 << 4,	      /* "nfa-quick" */
	REF_FLAG_CLOSED_NO_DECISION = 1 << 5, /* "closed-no-decision" */
	REF_FLAG_ASSESSMENT_LATE = 1 << 6,    /* "assessment-late" */
	REF_FLAG_COUNT = 7
};
const char *ref_flag_name(int bit_index);
int ref_flag_parse(const char *s); /* the bit, or 0 */
/* Register facts as the flags see them (text fields NUL-terminated). */
struct ref_facts {
	const char *decision, *status, *closure_reason;
	int32_t received, decision_date, strategy, s47, icpc, closed; /* -1: none */
	int32_t assessment;						/* -1: none */
};
/* Flags of one referral as of day today (for deadlines not yet reached). */
unsigned ref_flags_eval(const struct ref_config *, const struct ref_facts *, int32_t today);

/* ---- the casebook side (ref_store.c, ref_import.c, ref_cmd.c) ------------ */
#define REF_CONCERN_REFS_MAX 256	      /* references linked from one concern */
#define REF_REFLIST_CHUNK ((size_t)4 << 20)   /* sealed reference-list chunk */
#define FIELDS_REFERRAL "candour-referral-v1" /* sealed register row */
#define FIELDS_REFCONFIG "candour-refconfig-v1"

/* Per-casebook state, cached for the life of the SQLite connection: the
 * stored config and (built on first need) the in-memory register index. */
struct ref_ctx {
	sqlite3 *db;
	struct ref_config cfg;
	struct ref_index *ix;
};
struct ref_ctx *ref_ctx_get(struct casebook *cb);
/* Builds ctx->ix from the register if not built yet. */
int ref_ctx_index(struct casebook *cb, struct ref_ctx *ctx);
/* Forgets the cached config and index (after a config or register change). */
void ref_ctx_drop(struct casebook *cb);
/* Drops the cache and gives it ix (the whole register) as its index;
 * takes ownership of ix in every case. */
void ref_ctx_set_index(struct casebook *cb, struct ref_index *ix);
/* Rewrites the sealed list of all register references from ix. */
int ref_reflist_store(struct casebook *cb, struct ref_index *ix);
/* Stores a config text (sealed) after checking that it parses. */
int ref_config_store(struct casebook *cb, const char *text, size_t len, char *why, size_t whylen);

/* A register row, unsealed: v[f] NUL-terminated ("" when absent). */
struct ref_reg {
	char ref[REF_REF_MAX + 1];
	const char *v[RF_COUNT];
	int32_t day[RF_COUNT];
	uint8_t *pt;
	size_t ptlen;
};
/* 1 found, 0 not in the register, -1 error. Free with ref_reg_free. */
int ref_reg_load(struct casebook *cb, const uint8_t idx[32], struct ref_reg *r);
void ref_reg_free(struct ref_reg *r);
unsigned ref_reg_flags(const struct ref_config *c, const struct ref_reg *r, int32_t today);
/* Sealed register facts for r (mapped CSV record); *ct malloc'd. */
/* nonce: CB_NONCE_BYTES (review.h) fresh random bytes the caller drew for
 * this row alone. */
int ref_reg_seal(struct casebook *cb, const uint8_t idx[32], const struct ref_record *r,
    const uint8_t *nonce, uint8_t **ct, size_t *ctlen);
void ref_idx_hex(const uint8_t idx[32], char hex[65]);
/* The sealing context of a register row: "referral:<hex idx>:facts". */
#define REF_REG_AD (9 + 64 + 7)
void ref_reg_ad(const uint8_t idx[32], char ad[REF_REG_AD]);

/* Links the references named by one concern (already normalised). */
int ref_link_refs(
    struct casebook *cb, const char *concern_id, char refs[][REF_REF_MAX + 1], size_t n);
/* Re-classifies every missing or near link against the register as it now
 * is; *changed counts the links whose state changed. */
int ref_relink(struct casebook *cb, size_t *changed);
/* Sets the state of (concern, ref) by hand: "manual" (link) or "rejected"
 * (unlink). For unlink the link must exist: 0 rejected, 1 no such link,
 * 2 removed (a reviewer's own link to a reference the reporter never
 * named leaves no trace under "Referrals named"). */
int ref_link_set(struct casebook *cb, const char *concern_id, const char *ref, int manual);
/* 1 if ref is in the imported register, 0 if not (near: the closest
 * register reference one edit away, or ""), -1 on error. */
int ref_in_register(struct casebook *cb, const char *ref, char near[REF_REF_MAX + 1]);
/* 1 if a register was ever imported into this casebook, 0 if not, -1. */
int ref_register_imported(struct casebook *cb);

/* One linked referral of a concern, as `show` and the desk present it. */
struct ref_link_view {
	char ref[REF_REF_MAX + 1];   /* the register's form */
	char named[REF_REF_MAX + 1]; /* as the concern named it (differs when near) */
	const char *state;	     /* exact, near, missing, manual, rejected */
	int rejected, near, manual;
	int in;			    /* in the register (reg set) */
	int have_reg;		    /* a register was ever imported */
	long others;		    /* other concerns naming it */
	const struct ref_reg *reg;  /* NULL unless in */
	unsigned flags;		    /* ref_reg_flags today, when in */
};
typedef int (*ref_link_fn)(void *arg, const struct ref_link_view *);
/* Calls fn for each link of the concern (missing, near, exact, manual,
 * rejected); stops with -1 when fn does not return 0. */
int ref_links_each(struct casebook *cb, const char *concern_id, ref_link_fn fn, void *arg);
/* The register facts shown for a link, in order (ref_field_name names them). */
#define REF_FACTS_SHOWN 12
extern const int ref_fact_order[REF_FACTS_SHOWN];
/* Flags as "name,name" ("" none). */
void ref_flags_text(unsigned fl, char *out, size_t outlen);

/* A reviewer's link (manual 1: `link`, confirming a near link too) or
 * unlink (manual 0: reject), checked, stored and audited in one
 * transaction, as `link` / `unlink` do. raw is normalised into ref and
 * near holds the register's closest form on REF_ACT_NOT_IN_REGISTER. */
enum ref_act {
	REF_ACT_LINKED = 0,
	REF_ACT_REJECTED,	  /* unlink: kept as rejected (the reporter named it) */
	REF_ACT_REMOVED,	  /* unlink: removed (the reporter never named it) */
	REF_ACT_NOT_REF,	  /* not a reference */
	REF_ACT_NO_CONCERN,	  /* no concern with that id */
	REF_ACT_SEALED,		  /* sealed to other reviewers */
	REF_ACT_NO_REGISTER,	  /* link: no register to check against */
	REF_ACT_NOT_IN_REGISTER,  /* link: not in the register (a typo?) */
	REF_ACT_NO_LINK,	  /* unlink: no such link */
	REF_ACT_ERR_CONFIG,	  /* cannot read the stored referral config */
	REF_ACT_ERR_CASEBOOK,	  /* cannot read the casebook */
	REF_ACT_ERR_REGISTER,	  /* cannot read the register */
	REF_ACT_ERR_BEGIN,	  /* cannot start a transaction */
	REF_ACT_ERR_STORE,	  /* cannot store the change (rolled back) */
};
enum ref_act ref_link_act(struct casebook *cb, const char *cid, const char *raw, int manual,
    int not_in_register, char ref[REF_REF_MAX + 1], char near[REF_REF_MAX + 1]);

/* Imports a register CSV in the caller's transaction. -1 with why. */
struct ref_import_stats {
	size_t rows, added, updated;
};
/* Progress of a long import, for a terminal: fn is called from the
 * caller's thread with the stage ("rows", then "index"), the share of the
 * file read so far (0-100) and the rows stored, at most once per percent. */
struct ref_progress {
	void (*fn)(void *ctx, const char *stage, unsigned percent, size_t rows);
	void *ctx;
};
/* pg may be NULL (no progress). */
int ref_import_csv(struct casebook *cb, const struct ref_config *c, const char *path,
    const struct ref_progress *pg, struct ref_import_stats *st, char *why, size_t whylen);

/* `referrals list` (ref_view.c): referrals named by concerns, with how many
 * distinct concerns name each, link state and flags. flag: a flag name,
 * "missing", "near", "manual" or NULL. Prints its own error line. */
int ref_list(const char *cmd, struct casebook *cb, const char *flag, int csv, FILE *out);
int ref_filter_ok(const char *flag); /* 1 if referrals list takes it */

#endif
