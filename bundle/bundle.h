/*
 * Bundles: the single files that carry sealed records from the intake to
 * the review machine (kind EXPORT, signed by the intake key) and status
 * changes and replies back (kind REPLIES, signed by a reviewer key).
 *
 * A bundle is one flat binary file (SECURITY.md, "Bundle"): a header, the
 * records or items with their envelopes, and a trailer holding an Ed25519
 * signature over the BLAKE2b-256 of every byte before it, so any changed,
 * added or removed byte is detected. Both programs use this module; it uses
 * crypto/ and libc, nothing else. Opening treats the file as hostile:
 * every length is checked against the named limits before use, and every
 * hash is recomputed; an envelope is hashed as it is read after
 * verification, so a file changed underneath is still caught.
 *
 * Returns 0 or a negative enum bundle_status.
 */
#ifndef CANDOUR_BUNDLE_H
#define CANDOUR_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/candour_crypto.h"

#define BUNDLE_FORMAT        "candour-bundle-v1"
#define BUNDLE_MAX_ENV       33       /* per record: body + 32 attachments */
#define BUNDLE_MAX_RECORDS   10000000
#define BUNDLE_MAX_ITEMS     100000
#define BUNDLE_ITEM_ID_BYTES 16
#define BUNDLE_DATE_LEN      10       /* YYYY-MM-DD */
#define BUNDLE_SMALL_ENV_MAX (16u << 20) /* bundle_r_env_read refuses more */
#define BREC_MAX_BYTES       (4 + 1 + 10 + 8 + 8 + 8 + 32 + 32 + 2 + BUNDLE_MAX_ENV * 40)
#define BITEM_MAX_BYTES      (4 + 16 + 8 + 1 + 1 + 1 + 10 + 1 + 40)

enum bundle_status {
	BUNDLE_OK = 0,
	BUNDLE_ERR = -1,       /* I/O, SQLite or allocation */
	BUNDLE_EFORMAT = -2,   /* not a bundle, corrupt, truncated, wrong schema */
	BUNDLE_EKIND = -3,     /* an export where replies were expected, or back */
	BUNDLE_ESIG = -4,      /* signature does not verify with the given key */
	BUNDLE_ECHAIN = -5,    /* records do not chain from prev_link to head */
	BUNDLE_EENV = -6,      /* an envelope's length or hash differs from its record */
	BUNDLE_ELIMIT = -7,
	BUNDLE_ENOTFOUND = -8,
};
const char *bundle_strerror(int status);

enum bundle_kind { BUNDLE_EXPORT = 1, BUNDLE_REPLIES = 2 };

/* ---- records (what the intake accepts; chained) ---------------------- */

enum brec_kind { BREC_CONCERN = 1, BREC_FOLLOWUP = 2 };

struct brec_env {
	uint8_t hash[CC_HASH_BYTES]; /* BLAKE2b-256 of the envelope bytes */
	uint64_t len;
};

struct brec {
	uint64_t seq;                /* not encoded: the chain carries it */
	uint8_t kind;                /* enum brec_kind */
	char date[BUNDLE_DATE_LEN + 1]; /* UTC date the intake accepted it */
	uint64_t parent_seq;         /* follow-up: the concern's seq; else 0 */
	uint64_t rcpt_ops;           /* receipt KDF parameters used */
	uint64_t rcpt_mem;
	uint8_t reporter_pk[CC_BOX_PK]; /* zero for a follow-up */
	uint8_t lookup[CC_HASH_BYTES];  /* cc_rcpt_lookup(tag); zero for a follow-up */
	uint16_t nenv;               /* env[0] body (concern or message), then attachments */
	struct brec_env env[BUNDLE_MAX_ENV];
};

/* Canonical bytes (SECURITY.md): returns length written, 0 if cap too small
 * or the record invalid (bad kind, date, nenv). */
size_t brec_encode(const struct brec *, uint8_t *buf, size_t cap);
int brec_decode(const uint8_t *buf, size_t len, struct brec *out);
/* BLAKE2b-256 of the canonical bytes: the record hash of the chain. */
int brec_hash(const struct brec *, uint8_t out[CC_HASH_BYTES]);

/* ---- reply items (what reviewers send back; signed, not chained) ------ */

enum bitem_type { BITEM_STATUS = 1, BITEM_REPLY = 2 };
enum bitem_state {
	BSTATE_RECEIVED = 1, BSTATE_ACKNOWLEDGED = 2,
	BSTATE_INVESTIGATING = 3, BSTATE_CLOSED = 4,
};
enum bitem_outcome {
	BOUT_NONE = 0, BOUT_SUBSTANTIATED = 1, BOUT_PARTLY = 2,
	BOUT_NOT_SUBSTANTIATED = 3, BOUT_REFERRED = 4, BOUT_WITHDRAWN = 5,
	BOUT_NFA = 6,
};

struct bitem {
	uint8_t id[BUNDLE_ITEM_ID_BYTES]; /* random; makes a second import a no-op */
	uint64_t target_seq;         /* the concern's seq at the intake */
	uint8_t type;                /* enum bitem_type */
	uint8_t state;               /* status item: enum bitem_state; reply: 0 */
	uint8_t outcome;             /* status item when closed; else BOUT_NONE */
	char date[BUNDLE_DATE_LEN + 1];
	uint8_t has_env;             /* reply text or shared outcome summary, */
	struct brec_env env;         /* sealed (CC_KIND_REPLY) to the reporter */
};
size_t bitem_encode(const struct bitem *, uint8_t *buf, size_t cap);
int bitem_decode(const uint8_t *buf, size_t len, struct bitem *out);

/* ---- writing ---------------------------------------------------------- */

struct bundle_w;

/* Creates a temporary file beside path; nothing appears at path until
 * bundle_w_commit renames it there (after fsync). An existing path is
 * refused (BUNDLE_ERR, errno EEXIST). For an EXPORT, prev_link is h[from-1]
 * and from_seq the first seq that will be added; records must then be added
 * in order. For REPLIES, pass from_seq 0 and prev_link NULL; intake_pk names
 * the intake the replies are for (NULL for an export). */
int bundle_w_create(const char *path, int kind, uint64_t from_seq,
    const uint8_t prev_link[CC_HASH_BYTES], const uint8_t intake_pk[CC_SIGN_PK],
    struct bundle_w **out);
/* Adds a record; link must equal cc_chain_next(previous, seq, brec_hash). */
int bundle_w_record(struct bundle_w *, const struct brec *, const uint8_t link[CC_HASH_BYTES]);
/* Streams one envelope's bytes; len must be known (it is, from the record). */
int bundle_w_env_begin(struct bundle_w *, uint64_t seq, uint32_t idx, uint64_t len);
int bundle_w_env_write(struct bundle_w *, const uint8_t *buf, size_t len);
int bundle_w_env_end(struct bundle_w *);
/* REPLIES only: an item and its envelope (env NULL when !has_env). */
int bundle_w_item(struct bundle_w *, const struct bitem *, const uint8_t *env, size_t envlen);
/* EXPORT only, after the last record and its envelopes, at most once: the
 * ids of the reply and status items the intake holds (n of them, 1 ..
 * BUNDLE_MAX_ITEMS, strictly ascending), so the reviewers learn which of
 * their replies arrived. No record may follow. */
int bundle_w_confirmed(struct bundle_w *, const uint8_t *ids, size_t n);
/* Checks every envelope was written with the declared length and hash,
 * signs, fsyncs, renames into place and fsyncs the directory. Frees w. */
int bundle_w_commit(struct bundle_w *, const uint8_t *signer_sk, const uint8_t signer_pk[CC_SIGN_PK]);
/* Removes the temporary file and frees w. */
void bundle_w_abort(struct bundle_w *);

/* ---- reading ---------------------------------------------------------- */

struct bundle_r;

struct bundle_info {
	int kind;
	uint8_t signer_pk[CC_SIGN_PK];
	uint8_t intake_pk[CC_SIGN_PK];   /* REPLIES: the intake they are for */
	uint64_t from_seq, to_seq;       /* EXPORT: inclusive; empty if to < from */
	uint8_t prev_link[CC_HASH_BYTES];
	uint8_t head[CC_HASH_BYTES];
	uint64_t nitems;                 /* REPLIES items; EXPORT confirmed ids */
	char created[BUNDLE_DATE_LEN + 1];
};

/* Opens read-only, checks the header and every length against the limits
 * and the file size, and indexes the records or items (no hash checked). */
int bundle_r_open(const char *path, struct bundle_r **out);
const struct bundle_info *bundle_r_info(const struct bundle_r *);
/* Verification against the signer key the caller trusts: the signature
 * over every byte, the structure, every envelope's length, the chain from
 * prev_link to head (EXPORT) and, for REPLIES, every item's envelope hash.
 * Nothing read from a bundle may be used before this returns 0.
 * An EXPORT's envelope hashes are NOT checked here but by every read of
 * an envelope (bundle_r_env_stream, bundle_r_env_read), which returns
 * BUNDLE_EENV on a mismatch: a caller that needs the whole bundle
 * consistent must read every envelope and refuse it all on an error (the
 * import does, in its transaction). bundle_r_env_stream hands bytes to
 * its sink before it knows their hash: signed bytes (or, for a file
 * changed on disk since verify, bytes that the return value disowns). */
int bundle_r_verify(struct bundle_r *, const uint8_t signer_pk[CC_SIGN_PK]);
/* Called by bundle_r_verify after each record (or item) it checked: done
 * of total. Verifying a large bundle takes a while (about 10 s for 100k
 * concerns); the caller shows it. fn NULL: none (the default). */
typedef void (*bundle_progress_fn)(void *ctx, uint64_t done, uint64_t total);
void bundle_r_on_progress(struct bundle_r *, bundle_progress_fn fn, void *ctx);
int bundle_r_record(struct bundle_r *, uint64_t seq, struct brec *out,
    uint8_t link[CC_HASH_BYTES]);
/* Streams an envelope to sink in pieces of at most 64 KiB. */
int bundle_r_env_stream(struct bundle_r *, uint64_t seq, uint32_t idx,
    cc_sink_fn sink, void *ctx);
/* Whole envelope into a malloc'd buffer; refuses over BUNDLE_SMALL_ENV_MAX. */
int bundle_r_env_read(struct bundle_r *, uint64_t seq, uint32_t idx,
    uint8_t **buf, size_t *len);
/* REPLIES: item i (0-based, in the order bundle_w_item wrote them; ids are
 * unique, a bundle repeating one is refused at open) and its envelope
 * (malloc'd or NULL). */
int bundle_r_item(struct bundle_r *, uint64_t i, struct bitem *out,
    uint8_t **env, size_t *envlen);
/* EXPORT, after verify: the confirmed item ids (n x BUNDLE_ITEM_ID_BYTES,
 * strictly ascending; owned by r, NULL when n is 0). */
int bundle_r_confirmed(const struct bundle_r *, const uint8_t **ids, size_t *n);
void bundle_r_close(struct bundle_r *);

#endif
