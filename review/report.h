/*
 * The governance report (review/report_*.c): what a committee may see.
 * The pipeline has four stages with plain data between them, so that each
 * can be tested alone (the disclosure-control property test feeds random
 * facts straight into stage 2):
 *   1. report_facts.c  casebook -> struct rp_input (per-case facts: no id,
 *                      no text, no reference) + struct rp_account
 *   2. report_agg.c    rp_input -> cubes (one per table, over all months)
 *                      -> sdc_suppress (report_sdc.c) -> struct rp_result,
 *                      the published projection for one period
 *   3. report_csv.c, report_json.c, report_html.c: rp_result -> bytes
 *   4. report_sign.c   a detached minisign signature beside the file
 * Functions return 0 / -1 unless said.
 */
#ifndef CANDOUR_REVIEW_REPORT_H
#define CANDOUR_REVIEW_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crypto/candour_crypto.h"
#include "review/report_sdc.h"
#include "tmpl/tmpl.h"
#include "util/util.h"

/* ---- limits ------------------------------------------------------------ */
#define RP_CASES_MAX ((size_t)20000000) /* concerns a report reads */
#define RP_MONTHS_MAX SDC_MAX_MONTHS	/* months a casebook may span */
#define RP_ROWS_MAX 40			/* breakdown rows of one table */
#define RP_ITEMS_MAX 4096		/* published cells of one report */
#define RP_MISSING_RANGES 16		/* missing sequence ranges named */
#define RP_OPEN_LONG_MONTHS 3		/* "open longer than 3 months" */
#define RP_PUBLISH_TRIES 8		/* cells a table may publish instead (report_agg.c) */
#define RP_TAIL_SPANS_MAX 128		/* columns no period is (report_agg.c, tail_spans) */

/* ---- stage 1: facts ---------------------------------------------------- */
enum rp_answer { RP_ANS_UNKNOWN = 0, RP_ANS_YES = 1, RP_ANS_NO = 2 };

/* One concern as the report sees it. Days are day numbers (days since
 * 1970-01-01, UTC); -1 means "not yet". */
struct rp_case {
	int32_t received, ack, feedback, closed;
	uint8_t category;     /* index into rp_input.categories; ncategories = not known */
	uint8_t risk, raised; /* enum rp_answer */
	uint8_t outcome;      /* enum bitem_outcome (BOUT_NONE while open) */
	uint8_t named;	      /* 1 when it named at least one referral */
	uint8_t readable;     /* this casebook's reviewers can read it */
	uint8_t voice[VOICE_QUESTIONS]; /* latest follow-up answers (VOICE_*; 0 none) */
};

enum rp_ref_state { RP_REF_RECORDED = 0, RP_REF_NEAR = 1, RP_REF_MISSING = 2 };
/* One distinct referral reference named by one or more concerns. */
struct rp_ref {
	int32_t first_named; /* received day of the first concern naming it */
	uint32_t nconcerns;
	uint8_t state;	/* enum rp_ref_state */
	uint32_t flags; /* enum ref_flag bits (recorded references only) */
};

/* The register's timescales (review/ref_config.c) that section 5's
 * headings state, in this order. */
enum rp_days { RP_DAYS_DECISION, RP_DAYS_ICPC, RP_DAYS_ASSESSMENT, RP_DAYS_NFA, RP_DAYS_N };

/* One cell an earlier report published or withheld (report_pins.c): the
 * table (its measure) and row ("total" for the Total) and the months of
 * its column (month indexes, inclusive). Only what the report published:
 * a withheld cell's n is 0. */
#define RP_MEASURE_MAX 48
struct rp_pin {
	char measure[RP_MEASURE_MAX];
	char row[72];
	int32_t first, last;
	uint8_t withheld;
	uint64_t n;
	/* report_cells' rowid (rp_pins_load), or the position from 1
	 * (rp_pins_of): the state whose rowids hold it published it
	 * (report_agg.c, fixed_sums). 0: no state's. */
	int64_t id;
};

struct rp_input {
	const struct rp_case *cases;
	size_t ncases;
	const struct rp_ref *refs;
	size_t nrefs;
	char *const *categories; /* slugs, web/categories.txt order */
	size_t ncategories;
	int32_t asof;	     /* the casebook's last import (day) */
	/* The statement's last import (day), or 0: none said. A reader of
	 * the statement knows no record came after it, so the months after
	 * its month hold no concern (report_agg.c, tail_publish). */
	int32_t last_import;
	/* The cells earlier reports of this casebook published or withheld
	 * (rp_pins_load), kept in every cube: withheld stays withheld, a
	 * value published as it is now stays published and moves in no
	 * certificate, a value revised since is withheld (report_agg.c,
	 * pins). NULL, 0: none. */
	const struct rp_pin *pins;
	size_t npins;
	/* The derived figures earlier reports published or withheld (both
	 * medians, the stock; rp_pins_split), kept by every later report
	 * (rp_derived_keep): withheld stays withheld, a value published stays
	 * published only where it is the same now. NULL, 0: none. */
	const struct rp_pin *derived;
	size_t nderived;
	/* The casebook states those reports were made from (report_state.c,
	 * rp_states_load): with pins, every later cube keeps the sums their
	 * published cells fix over base cells unchanged since (report_agg.c,
	 * fixed_sums). NULL, 0: none. */
	char *const *states;
	size_t nstates;
	int days[RP_DAYS_N]; /* the register's timescales (enum rp_days) */
	/* Tests only (tests/report/rp_gen.c, RP_GEN_LEAK=account): 1 makes
	 * the suppression ignore the accountability statement's exact totals,
	 * as it did before 2026-12, so the property test can show its checker
	 * catching that leak. report_facts.c never sets it. */
	uint8_t sdc_unpinned;
	/* Tests only (RP_GEN_LEAK=model): 1 makes the suppression ignore
	 * closed <= received (the lag) and section 5's zero cells, as it did
	 * before 2026-12, so the property test can show its checker catching
	 * those leaks (e2e 63: casebooks 105 and 154). report_facts.c never
	 * sets it. */
	uint8_t sdc_unmodelled;
	/* Tests only (RP_GEN_LEAK=cap): 1 makes the suppression ignore the
	 * caps between tables (feedback <= acknowledged, flagged <= recorded;
	 * report_agg.c, caps), as before 2026-12-06, so the property test can
	 * show its checker catching those leaks. report_facts.c never sets it. */
	uint8_t sdc_uncapped;
	/* Tests only (RP_GEN_LEAK=unknown): 1 makes the suppression ignore
	 * that category "not known" is exactly the sealed concerns when every
	 * readable concern has a category (report_agg.c, unknown_zero), as
	 * before 2026-12-06. report_facts.c never sets it. */
	uint8_t sdc_uncategorised;
	/* Tests only (RP_GEN_LEAK=follow): 1 lets a certificate past the
	 * sealed concerns' cap lower "named a referral" of a month below what
	 * its references need (report_agg.c, sealed_cap's cap_hard), as
	 * before 2026-12-06. report_facts.c never sets it. */
	uint8_t sdc_unfollowed;
	/* Tests only (RP_GEN_LEAK=floor): 1 lets a certificate lower an
	 * answer table's "not known" (naming a referral's "none") of a month
	 * below the concerns sealed to others there (report_agg.c,
	 * sealed_floor), as before 2026-12-07. report_facts.c never sets it. */
	uint8_t sdc_unfloored;
	/* Tests only (RP_GEN_LEAK=lag): 1 lets a certificate raise category
	 * "not known" of a month past the readable concerns the closures up
	 * to later months leave (report_agg.c, sealed_cap), as before
	 * 2026-12-07. report_facts.c never sets it. */
	uint8_t sdc_unlagged;
	/* 1: every period the cubes hold is asked, as if each were reported
	 * in this run (the cubes as before 2026-12-07: report_agg.c,
	 * unasked). Unit tests set it where they test one decision over the
	 * whole cube; report_make.c never sets it. */
	uint8_t ask_all;
	/* 1 (`report --alone`): the cube is decided first with only this
	 * run's report asked (its period's column, its months' Totals), every
	 * other period's cells free, and for every period only where that
	 * fails (report_agg.c, unasked). More figures in this report (a
	 * small casebook's year: its categories); a report of a period
	 * inside it made later from the same records must keep to it, and
	 * may be refused. 0: every period first, this run's alone where
	 * that fails. */
	uint8_t alone;
};

/* The accountability statement: exact, whole casebook. */
enum rp_head_check {
	RP_HEAD_NOT_GIVEN = 0,
	RP_HEAD_MATCH = 1,  /* the casebook holds exactly the intake's records */
	RP_HEAD_BEYOND = 2, /* the casebook holds the intake's head and later records */
	RP_HEAD_BEHIND = 3, /* the casebook does not reach the intake's head */
};
struct rp_account {
	uint64_t head_seq; /* the casebook's chain: records 1..head_seq */
	uint8_t head[CC_HASH_BYTES];
	uint64_t held; /* records present in the casebook */
	uint64_t concerns, followups, readable, sealed_others, open, closed;
	/* Missing sequence numbers (gaps inside the chain, or beyond the head
	 * up to --intake-count), as ranges. */
	size_t nmissing_ranges;
	uint64_t missing_first[RP_MISSING_RANGES], missing_last[RP_MISSING_RANGES];
	uint64_t missing; /* how many in all */
	int head_check;	  /* enum rp_head_check */
	uint64_t intake_count;
	char intake_head[2 * CC_HASH_BYTES + 1];
	char intake_date[11];
	char last_import[11];
};

/* ---- periods (report_period.c) ------------------------------------------
 * A month index is year * 12 + month - 1. */
#define RP_YEAR_MIN 2000 /* the years a period may be in */
#define RP_YEAR_MAX 2199
enum rp_period_kind { RP_MONTH = 1, RP_QUARTER = 2, RP_YEAR = 3, RP_FY = 4 };
struct rp_period {
	int kind;
	int32_t first, last; /* month indexes, inclusive */
	char label[16];	     /* "2026-09", "2026-Q3", "2026", "FY2026" */
};
/* Parses PERIOD; -1 when malformed or outside years 2000-2199. */
int rp_period_parse(const char *s, struct rp_period *out);
int32_t rp_month_of_day(int32_t day);
/* First day (day number) of month index m. */
int32_t rp_month_first_day(int32_t m);
void rp_month_label(int32_t m, char out[8]); /* "2026-09" */
/* Whether period P has ended at ASOF (YYYY-MM-DD; NULL for today, UTC): 0
 * when it has, 1 when not, with END its last day and FROM the first day it
 * may be reported (YYYY-MM-DD), -1 when ASOF is not a day. A period is
 * reported once it has ended: `report` and the desk refuse it before
 * (SECURITY.md, "Governance report: disclosure control"). */
int rp_period_ended(const struct rp_period *p, const char *asof, char end[11], char from[11]);
/* The day number of ASOF (YYYY-MM-DD), or of today (UTC) when ASOF is
 * NULL; -1 when ASOF is not a day. */
int rp_day_of(const char *asof, int32_t *day);

/* ---- stage 2: the published projection -------------------------------- */
enum rp_kind { RP_COUNT = 1, RP_SHARE = 2, RP_MEDIAN = 3 };
/* One published cell: CSV row, JSON element, HTML table cell. */
struct rp_item {
	uint8_t section; /* 2..5 */
	uint8_t kind;	 /* enum rp_kind */
	uint8_t withheld;
	uint8_t none;	     /* share or median with nothing to measure */
	const char *measure; /* stable key, e.g. "received_by_category" */
	char breakdown[72];  /* stable key, e.g. "cat.recording", "total", "2026-09" */
	uint64_t n;	     /* RP_COUNT */
	double x;	     /* RP_SHARE (percent) or RP_MEDIAN (days) */
};
struct rp_result {
	struct rp_period period;
	unsigned threshold;
	size_t nitems;
	struct rp_item *items; /* malloc'd, RP_ITEMS_MAX */
	size_t revised; /* cells of the cubes withheld because an earlier report
			   published another value (in->pins) */
	char *state;	/* every base cell of the cubes (rp_state_text), malloc'd:
			   recorded, sealed, with the report (rp_state_store) */
	size_t nstate;
	size_t nfixed;	/* sums kept from earlier states (fixed_sums) */
	uint8_t earlier; /* 1: cells earlier reports published or withheld
			    were kept (in->npins): the mostly-withheld notice
			    names them among its reasons (report_html.c) */
	size_t nknown;	/* of them, those whose value every reader knows
			   (report_agg.c, sum_known): only such a sum of 0
			   says its cells are 0 */
	/* on -4: the section (2..5) of the table refused, 0 when none is
	 * known; refused_cut 1 when it is a cell of the period's column an
	 * earlier statement bounds (need_cut: that period alone), 0 when the
	 * table has no protection at all (every period) */
	uint8_t refused_section, refused_cut;
};
/* Builds every cube over all months of in (plus p's months), suppresses
 * and projects onto p. threshold >= SDC_THRESHOLD_MIN. -2 when p lies
 * outside the cube's months (more than a year before the first record);
 * -3 when the disclosure control cannot protect a table (sdc ERANGE); -4
 * the same with in->pins (the cells earlier reports published kept); -5
 * when a pin names a table, row or column these cubes do not have. */
int rp_build(const struct rp_input *in, const struct rp_period *p, unsigned threshold,
    struct rp_result *out);
/* rp_build for n periods of one input: the cubes are built and suppressed
 * once (the pattern every period projects is the same). rc[i] is what
 * rp_build would return for p[i]; out[i] is filled when rc[i] is 0.
 * Returns -1 when a cube could not be built (every rc[i] then -1 or -3). */
int rp_build_many(const struct rp_input *in, const struct rp_period *p, size_t n,
    unsigned threshold, struct rp_result *out, int *rc);
void rp_result_free(struct rp_result *);

/* ---- stage 3: renderers --------------------------------------------------
 * Each appends the whole file to out. cat is the report's catalogue (the
 * language); produced is today's date (YYYY-MM-DD); signer_pk the minisign
 * public key printed in the report. */
struct rp_doc {
	const struct rp_result *r;
	const struct rp_account *a;
	const struct catalogue *cat;
	const char *lang;
	const char *produced;
	const char *minisign_pk; /* base64 */
	const char *css;	 /* web/static/report.css */
	const char *webdir;	 /* web/ (templates/governance.html) */
	const char *filename;	 /* the report's file name, for the verify line */
	char *const *categories;
	size_t ncategories;
	const int *days; /* RP_DAYS_N timescales for section 5's headings */
};
/* The bar charts' label column (report_html.c): a label is wrapped onto
 * lines of at most RP_LABEL_COLS characters, RP_LABEL_PX wide at most each
 * (12px DejaVu Sans, the report's font, is narrower), left of the bars at
 * RP_BAR_X. */
#define RP_LABEL_COLS 32
#define RP_LABEL_PX 7.5
#define RP_LABEL_LINES 6     /* lines of one label at most */
#define RP_LABEL_LINE_PX 14  /* between a label's lines */
#define RP_BAR_X 260	     /* the bars start here (RP_LABEL_COLS * RP_LABEL_PX < RP_BAR_X) */
#define RP_BAR_PX 320	     /* the longest bar; its value is written after it */
struct rp_span {
	size_t off, len;
};
/* Splits s at spaces into lines of at most cols characters (a longer
 * word has a line of its own); fills line[0..n) (byte offsets into s,
 * no leading or trailing space) and returns n (at most max). */
size_t rp_label_lines(const char *s, size_t cols, struct rp_span *line, size_t max);
int rp_render_csv(const struct rp_doc *, struct tbuf *out);
int rp_render_json(const struct rp_doc *, struct tbuf *out);
int rp_render_html(const struct rp_doc *, struct tbuf *out);
/* The CSV cell rule: quoted, quotes doubled, and a cell that a spreadsheet
 * would read as a formula (= + - @ tab CR first) gets a leading '. */
void rp_csv_cell(struct tbuf *out, const char *s);
/* A catalogue string; a missing key fails the render (sets out->err). */
const char *rp_str(const struct catalogue *, const char *key, struct tbuf *out);

/* ---- stage 4: minisign (report_sign.c) ---------------------------------- */
#define RP_MINISIGN_PK_B64 56 /* base64 of "Ed" || keyid[8] || pk[32] */
/* The reviewer's Ed25519 key as a minisign public key (-P argument). */
int rp_minisign_pubkey(const uint8_t pk[CC_SIGN_PK], char out[RP_MINISIGN_PK_B64 + 1]);
/* The .minisig text for buf: prehashed ("ED", BLAKE2b-512), with a
 * trusted comment (one line, no control characters). *sig malloc'd. */
int rp_minisign(const uint8_t *sk, const uint8_t pk[CC_SIGN_PK], const uint8_t *buf, size_t len,
    const char *trusted, char **sig, size_t *siglen);

/* ---- the casebook side (report_facts.c) -------------------------------- */
struct casebook;
/* Reads the facts and the accountability statement as of day asof
 * (YYYY-MM-DD; NULL: today, UTC). Progress (when progress is not NULL) is
 * a terminal line rewritten as cases are read. in->cases and in->refs are
 * malloc'd: free with rp_input_free. On -1, *fail says why (enum rp_fail). */
int rp_facts_read(struct casebook *, char *const *categories, size_t ncategories,
    struct rp_input *in, struct rp_account *a, const char *asof, FILE *progress, int *fail);
void rp_input_free(struct rp_input *);
/* Checks the intake's published head against the casebook's chain and
 * fills a->missing*. 0 ok (whatever the result), 1 the head matches no
 * state of this chain (refused), -1 error. */
int rp_head_check(struct casebook *, struct rp_account *a, uint64_t count, const char *hexhead);

/* Stores the concern's risk / raised-before answers sealed under the
 * casebook key (concerns.answers), once, from its body; called by import
 * for every concern this reviewer can read. */
int rp_answers_store(struct casebook *, const char *concern_id);
/* The same from pt, the body of concern_id the caller holds in plaintext
 * (import, which has just opened it): the body is not opened again. */
int rp_answers_store_body(
    struct casebook *, const char *concern_id, const uint8_t *pt, size_t len);
/* Seals the two answers (enum rp_answer) into concerns.answers, keeping
 * any voice answer stored there. */
int rp_answers_seal(struct casebook *, const char *concern_id, int risk, int raised);

/* ---- the reporter's voice (report_voice.c) -----------------------------
 * concerns.answers also holds the latest answer to each follow-up
 * question (util/voice.c) and the seq of the follow-up that gave it. */
#define RP_ANSWERS_V5 2	 /* risk, raised (casebooks before the voice) */
#define RP_ANSWERS_LEN 20 /* + detriment, again, 2 x u64le seq */
struct rp_answers {
	uint8_t risk, raised;		      /* enum rp_answer */
	uint8_t voice[VOICE_QUESTIONS];	      /* VOICE_NONE .. VOICE_OTHER */
	uint64_t voice_seq[VOICE_QUESTIONS]; /* follow-up that gave it; 0 none */
};
/* Opens a sealed answers value (ct NULL: none stored, all zero). -1 when
 * it does not open or has another length (an edited file). */
int rp_answers_open(struct casebook *, const char *concern_id, const uint8_t *ct, size_t ctlen,
    struct rp_answers *);
/* Seals a into concerns.answers (the whole value, as it is). */
int rp_answers_put(struct casebook *, const char *concern_id, const struct rp_answers *a);
/* The stored answers of a concern (all zero when none). */
int rp_answers_get(struct casebook *, const char *concern_id, struct rp_answers *);
/* The voice answers of a FIELDS_MESSAGE plaintext: 0, or 1 when an answer
 * was there but not valid (repeated, or outside its values: then it counts
 * as not answered); -1 when pt does not parse. */
int rp_voice_parse(const uint8_t *pt, size_t len, uint8_t voice[VOICE_QUESTIONS]);
/* Stores the voice answers of follow-up seq of concern_id, when it is a
 * readable follow-up carrying any and no later follow-up's answer is
 * stored; called by import for every record made readable. */
int rp_voice_store(struct casebook *, const char *concern_id, uint64_t seq);

int cmd_report(int argc, char **argv);

/* ---- one report, for the CLI and the desk (report_make.c) ---------------
 * why (whylen bytes) says what went wrong in the CLI's words ("" when
 * there is nothing to say beyond failing). */
#define RP_WHY_MAX 1024
struct rp_web {
	struct catalogue *cat; /* locale/LANG.txt */
	char *css;	       /* static/report.css */
	char *cats[WEB_CATEGORIES_MAX];
	size_t ncats;
};
int rp_web_load(struct rp_web *, const char *dir, const char *lang, char *why, size_t whylen);
void rp_web_free(struct rp_web *);
struct rp_make {
	/* in */
	const struct rp_period *per;
	const char *web, *lang, *format, *outname; /* outname: for the verify line */
	const char *asof, *head, *date;		  /* NULL: today, no intake head */
	uint64_t count;				  /* with head */
	unsigned th;
	uint8_t alone;	/* rp_input.alone */
	FILE *progress; /* NULL: quiet */
	/* out */
	struct tbuf out; /* the report (tbuf_free it) */
	struct rp_account acc;
	char produced[21]; /* YYYY-MM-DD */
	char pk[RP_MINISIGN_PK_B64 + 1];
	int fail; /* enum rp_fail: why rp_make returned -1, for the desk's page */
	uint8_t section; /* with RP_FAIL_PINS_CUT, _CUT_NEW or _TABLE: the section refused */
	struct rp_pin *rec; /* the cells this report publishes or withholds, */
	size_t nrec;	    /* recorded by rp_write_made (malloc'd) */
	char *state;	    /* the state it was made from (rp_state_text), */
	size_t nstate;	    /* recorded with them, sealed (malloc'd) */
};
/* The catalogue's line for a refusal of one table (fail RP_FAIL_PINS_CUT,
 * _CUT_NEW or _TABLE), {1} the period and {2} the section: the report's
 * and the desk's (each in its language). */
const char *rp_refused_key(int fail);
/* Why rp_make gave no report: the CLI says rp_fail_text's English line
 * (why), the desk the catalogue's line for the same code
 * (desk_pages_report.c), so both give the one reason. */
enum rp_fail {
	RP_FAIL_OTHER,	   /* nothing more to say (a clock or key failure) */
	RP_FAIL_NOT_BEGUN, /* the period begins after the --as-of day */
	RP_FAIL_HEAD,	   /* the intake's head matches no state of the chain */
	RP_FAIL_TOO_EARLY, /* more than a year before the first record */
	RP_FAIL_READ,	   /* the casebook could not be read */
	RP_FAIL_ASOF,	   /* --as-of not a day */
	RP_FAIL_DAMAGED,   /* a concern's facts damaged or changed in the file */
	RP_FAIL_REFS,	   /* the referral links or the register unreadable */
	RP_FAIL_SDC,	   /* the disclosure control cannot protect a table */
	RP_FAIL_BUILD,	   /* the tables could not be built (memory) */
	RP_FAIL_RENDER,	   /* a template or catalogue string missing */
	RP_FAIL_THRESHOLD, /* earlier reports of this casebook used another */
	RP_FAIL_PINS,	   /* cannot be kept consistent with earlier reports */
	RP_FAIL_PINS_FIT,  /* earlier reports recorded cells this one has not */
	RP_FAIL_PINS_MANY, /* more than RP_PINS_MAX recorded cells */
	RP_FAIL_PINS_CUT,  /* RP_FAIL_PINS for a cell of the period an earlier
			      statement bounds (rp_result.refused_cut), a
			      report of the period made before */
	RP_FAIL_PINS_CUT_NEW, /* the same, no report of the period made before */
	RP_FAIL_PINS_TABLE, /* RP_FAIL_PINS for one table, every period */
	/* rp_write_made: the report could not be recorded (SQLite's code) */
	RP_FAIL_RECORD_BUSY, /* another connection holds the casebook */
	RP_FAIL_RECORD_FULL, /* the disk is full */
	RP_FAIL_RECORD_RO,   /* the file or its disk is read-only */
	RP_FAIL_RECORD,	     /* any other */
	RP_FAIL_N
};
int rp_make(struct casebook *, const struct rp_web *, struct rp_make *, char *why, size_t whylen);
/* rp_write_signed of m->out, and m's cells recorded in the casebook in
 * the same transaction (rp_pins_store): a report not recorded is not
 * written, and one not written is not recorded. When it could not be
 * recorded, m->fail says why (RP_FAIL_RECORD*, for the desk). */
int rp_write_made(const char *path, struct rp_make *m, struct casebook *cb, char *why,
    size_t whylen);
/* Frees what rp_make gave m (the report, the cells to record). */
void rp_make_free(struct rp_make *m);

/* ---- earlier reports (report_pins.c) ------------------------------------
 * Every report written is recorded in the casebook (table report_cells,
 * append-only: triggers refuse UPDATE and DELETE): its threshold and each
 * cell of its tables, published (with its value) or withheld. */
/* The threshold the recorded reports used: 0, or 1 with *th set; -1 error. */
int rp_pins_threshold(struct casebook *, unsigned *th);
/* The recorded cells a report reads at most, counted before they are
 * allocated (about 38 MB of struct rp_pin). A report records at most
 * RP_ITEMS_MAX cells, about 80 with web/categories.txt's rows (a quarter
 * of a 300-concern casebook: 78, its 3 derived figures with them), and a
 * report made again from the same state adds none: reports of every
 * month, quarter, year and FY for a century, each revised a few times,
 * stay far below it. */
#define RP_PINS_MAX 262144
/* Every recorded cell, one row each (malloc'd; *n may be 0); -2 when the
 * casebook records more than RP_PINS_MAX, -1 on error. */
int rp_pins_load(struct casebook *, struct rp_pin **out, size_t *n);
/* Records the cells of r (INSERT OR IGNORE: a cell recorded already with
 * the same state adds nothing). The caller holds a transaction. */
int rp_pins_store(struct casebook *, const struct rp_pin *p, size_t n, unsigned th,
    const char *period);
/* The cube cells r publishes or withholds, as pins, and its derived
 * figures that depend on more than its cells: the two medians (n twice
 * the days; row "days", the period's months) and the stock of cases open
 * longer than 3 months (row "at-period-end", first = last = the period's
 * last month: every period ending that day has the same). malloc'd. */
int rp_pins_of(const struct rp_result *r, struct rp_pin **out, size_t *n);
/* 1 when pin p is a derived figure of rp_pins_of, not a cube cell. */
int rp_pin_derived(const struct rp_pin *p);
/* Puts p's cube cells first and its derived figures after them (in no
 * particular order); returns how many cube cells. */
size_t rp_pins_split(struct rp_pin *p, size_t n);
/* Keeps r's derived figures to what earlier reports published (d, n):
 * one any of them withheld is withheld; one published with another value
 * (or none) is withheld. rp_build calls it with in->derived. */
void rp_derived_keep(struct rp_result *r, const struct rp_pin *d, size_t n);
/* The states reports were made from (report_state.c). A table of a
 * cube as the state's text sees it. */
struct rp_cube_view {
	const char *measure;
	uint32_t nrows;
	const char *const *row;
	const uint64_t *count; /* [nrows][nmonths] */
};
/* Every base cell of the cubes (nmonths from m0), and the months the
 * report covers (from, upto), as text (malloc'd). */
int rp_state_text(const struct rp_cube_view *v, size_t nt, int32_t m0, uint32_t nmonths,
    int32_t from, int32_t upto, char **out, size_t *len);
/* A stored state's base cells over these cubes' months: old[i][r * nmonths
 * + m] (zeroed by the caller), rowin[i][r] 1 where the state has table i's
 * row r, monin[m] 0 where its cubes had no month m, 2 where it is in
 * from..upto (the months the reports of the casebook's states cover:
 * where a reader may learn which cells changed), 1 else; lost 1 when it
 * has a count above 0 these cubes have no cell for. -1 when malformed. */
int rp_state_parse(const char *s, int32_t from, int32_t upto, const struct rp_cube_view *v,
    size_t nt, int32_t m0, uint32_t nmonths, uint64_t *const *old, uint8_t *const *rowin,
    uint8_t *monin, int *lost);
/* A stored state's report period (from, upto), and its cells' text
 * (after the cube's line):
 * reports made from one state have the same cells. -1 when malformed. */
int rp_state_upto(const char *s, int32_t *from, int32_t *upto, const char **cells);
/* 1 when one of the n states s is that of a report of p itself: the first
 * report of a period adds the cells of its own column, so records a state
 * with the period's months (one made again from that state adds nothing),
 * and no two periods cover the same months. A state of a longer period
 * holding p's months is not one (that report is not p's). 0 else, a state
 * whose months cannot be read counting as none. */
int rp_states_made(char *const *s, size_t n, const struct rp_period *p);
/* The largest rowid of report_cells, before rp_pins_store. */
int rp_state_top(struct casebook *, int64_t *top);
/* Records the state (text) of a report whose rp_pins_store added the
 * report_cells rows after before, sealed under the casebook key; nothing
 * when it added none. The caller holds the transaction. */
int rp_state_store(struct casebook *, int64_t before, const char *text, size_t len);
/* Every state recorded (unsealed, malloc'd), and covered 1 when every
 * report_cells row was added by one of them (0: a report made before
 * states were recorded; its state is not known). */
int rp_states_load(struct casebook *, char ***out, size_t *n, int *covered);
void rp_states_free(char **s, size_t n);
/* The SQL of schema version 8 (casebook.c). */
extern const char rp_pins_schema[];

/* The options `report` takes and the desk's form sends (report_opts.c):
 * NULL for one not given; format and lang get their defaults (html, en). */
struct rp_opts {
	const char *period, *format, *lang, *threshold, *head, *count, *date, *asof;
};
enum rp_opt_err {
	RP_OPT_OK,
	RP_OPT_PERIOD,	   /* missing or not a whole period */
	RP_OPT_FORMAT,	   /* not html, csv or json */
	RP_OPT_LANG,	   /* not en or cy */
	RP_OPT_THRESHOLD,  /* not SDC_THRESHOLD_MIN..SDC_THRESHOLD_MAX */
	RP_OPT_HEAD_PAIR,  /* intake head without count, or count without head */
	RP_OPT_DATE,	   /* intake date not YYYY-MM-DD, or without a head */
	RP_OPT_COUNT,	   /* intake count not a whole number above 0 */
	RP_OPT_HEAD,	   /* intake head not 2 * CC_HASH_BYTES hex digits */
	RP_OPT_DATE_NEEDED, /* intake head without the day it was published */
	RP_OPT_ASOF,	    /* --as-of not YYYY-MM-DD */
	RP_OPT_ASOF_FUTURE, /* --as-of after today (UTC) */
};
/* Checks o and fills the period, the threshold and the intake count. */
int rp_opts_check(struct rp_opts *o, struct rp_period *p, unsigned *th, uint64_t *count);
/* Writes path and path.minisig (0600, as `report` does), signed by this
 * reviewer's key; an unsigned report is removed. */
int rp_write_signed(const char *path, const struct tbuf *b, struct casebook *cb,
    const char *period, const char *produced, char *why, size_t whylen);

#endif
