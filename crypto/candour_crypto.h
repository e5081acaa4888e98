/*
 * Candour cryptographic core: keys, envelopes, padding, receipts, hash
 * chain and signatures. libsodium only; knows nothing of HTTP or SQL.
 * Byte formats are specified in SECURITY.md; this header is the contract.
 *
 * Every function fails closed: on any error the output is wiped or left
 * untouched, and the return value is one of enum cc_status (0 on success,
 * a negative value naming the failure).
 *
 * cc_init() must be called once (it calls sodium_init) before anything else.
 */
#ifndef CANDOUR_CRYPTO_H
#define CANDOUR_CRYPTO_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* libsodium's sub-headers, not <sodium.h>: this header needs the hasher's
 * state, and its users sodium_init, the memory and comparison functions
 * and randombytes; <sodium.h> is ~3,300 lines more in each of the ~170
 * files that include this one (~0.03 s of CPU a compile, each of make
 * check's three builds: tests/README.md, "make check's builds"). A file
 * that calls libsodium's other primitives includes <sodium.h> itself. */
#include <sodium/core.h>
#include <sodium/crypto_generichash.h>
#include <sodium/randombytes.h>
#include <sodium/utils.h>

enum cc_status {
	CC_OK = 0,
	CC_ERR = -1,           /* I/O, allocation or internal failure */
	CC_EFORMAT = -2,       /* not this object, wrong version, bad length */
	CC_EPASSPHRASE = -3,   /* secret key file: passphrase does not open it */
	CC_ENOTRECIPIENT = -4, /* envelope not sealed to this key */
	CC_ETAMPERED = -5,     /* authentication failed: bytes were changed */
	CC_ETRUNCATED = -6,    /* stream ended before its final chunk */
	CC_ELIMIT = -7,        /* over a named limit below */
	CC_ETYPO = -8,         /* receipt well-formed but its check fails */
	CC_EBADSIG = -9,       /* signature does not verify with this key */
};

/* Short English phrase for a status, for CLI error lines. Never NULL. */
const char *cc_strerror(int status);

/* Calls sodium_init(); returns CC_OK or CC_ERR. Safe to call twice. */
int cc_init(void);

/* ---- kept sodium_malloc'd blocks (pool.c) ------------------------------
 * One pool per kind of block (crypto/'s envelope writers and readers and
 * a receipt's derived bytes; the intake's forms, cleaners and KDF jobs).
 * cc_pool_get: a kept block of p->size bytes, wiped to zeros, or a new one
 * (sodium_malloc's fill); NULL when none can be had. cc_pool_put wipes the
 * block whole (sodium_memzero of p->size bytes) and keeps it, guard pages
 * and lock with it, up to p->max (at most CC_POOL_CAP), or sodium_frees
 * it; NULL is ignored. Thread-safe. In a child of fork() the kept blocks
 * are freed, never handed out (the child's copies are not locked).
 * sodium_init must have been called. */
#define CC_POOL_CAP 16
struct cc_pool {
	pthread_mutex_t mu;
	size_t size; /* of each block */
	size_t max;  /* kept at most; more than CC_POOL_CAP keeps CC_POOL_CAP */
	size_t n;
	void *kept[CC_POOL_CAP];
	struct cc_pool *next; /* pool.c's list of pools to empty in a child */
	_Atomic int listed;
};
#define CC_POOL_INIT(sz, mx) {PTHREAD_MUTEX_INITIALIZER, (sz), (mx), 0, {NULL}, NULL, 0}
void *cc_pool_get(struct cc_pool *);
void cc_pool_put(struct cc_pool *, void *);

/* ---- limits ---------------------------------------------------------- */

#define CC_NAME_MAX        64     /* reviewer name: [A-Za-z0-9._-]{1,64} */
#define CC_KEYID_BYTES     8      /* BLAKE2b-64 of the X25519 public key */
#define CC_HASH_BYTES      32     /* BLAKE2b-256 everywhere */
#define CC_SIG_BYTES       64     /* Ed25519 */
#define CC_BOX_PK          32
#define CC_BOX_SK          32
#define CC_SIGN_PK         32
#define CC_SIGN_SK         64
#define CC_MAX_RECIPIENTS  16
#define CC_CHUNK_BYTES     16384  /* envelope plaintext chunk, framing included */
#define CC_CHUNK_DATA      (CC_CHUNK_BYTES - 4)
#define CC_ENV_MAX_HEADER  (12 + CC_MAX_RECIPIENTS * 88 + 24)
#define CC_ENV_MAX_BYTES   ((uint64_t)4 << 30) /* 4 GiB of ciphertext */
#define CC_PUBLINE_MAX     256    /* one public key line, '\n' included */
#define CC_ROLE_MAX        120    /* role text, UTF-8 bytes (SECURITY.md) */
#define CC_ROLELINE_MAX    (16 + CC_ROLE_MAX + 2) /* "candour-role-v1 " TEXT "\r\n" */
#define CC_PUBFILE_MAX     (CC_PUBLINE_MAX + CC_ROLELINE_MAX) /* a whole NAME.pub */
#define CC_FPR_CHARS       19     /* "XXXX-XXXX-XXXX-XXXX" */
#define CC_SECFILE_MAX     512
/* Argon2id bounds, checked before any derivation so that a hostile file or
 * record cannot make us allocate or spin without limit. Key files are never
 * sealed or opened below crypto_pwhash INTERACTIVE (2, 64 MiB) outside tests
 * (cc_kdf_test); receipt
 * derivation accepts down to CC_KDF_OPS_MIN / CC_KDF_MEM_MIN. */
#define CC_KDF_OPS_MIN     1
#define CC_KDF_OPS_MAX     16
#define CC_KDF_MEM_MIN     ((uint64_t)8 << 20)  /* 8 MiB */
/* The test key-file floor (cc_kdf_test): a key file may hold it only while
 * cc_seckey_test_floor(1) is in force (tests), so production refuses it like
 * anything under INTERACTIVE. 64 KiB, not 8 MiB: the test suites open key
 * files about two thousand times, and at 8 MiB each opening cost ~21 ms of
 * this machine's CPU (most of a test like test_case's). */
#define CC_KDF_MEM_TEST    ((uint64_t)64 << 10) /* 64 KiB */
#define CC_KDF_MEM_MAX     ((uint64_t)1 << 30)  /* 1 GiB = SENSITIVE */

/* ---- reviewer keys ---------------------------------------------------- */

/* An X25519 key pair with its key id. Holders of the secret half live in
 * sodium_malloc'd memory (struct cc_seckey); a public-only copy is a
 * struct cc_recipient. */
struct cc_boxkey {
	uint8_t keyid[CC_KEYID_BYTES];
	uint8_t pk[CC_BOX_PK];
	uint8_t sk[CC_BOX_SK];
};

struct cc_recipient {
	uint8_t keyid[CC_KEYID_BYTES];
	uint8_t pk[CC_BOX_PK];
};

struct cc_pubkey {
	char name[CC_NAME_MAX + 1];
	char role[CC_ROLE_MAX + 1]; /* "" when the file has no role line */
	uint8_t box_pk[CC_BOX_PK];
	uint8_t sign_pk[CC_SIGN_PK];
	uint8_t keyid[CC_KEYID_BYTES];
};

/* Always allocated by this module with sodium_malloc; free with
 * cc_seckey_free(), which wipes it. */
struct cc_seckey {
	struct cc_pubkey pub;
	struct cc_boxkey box;
	uint8_t sign_sk[CC_SIGN_SK];
};

/* Argon2id limits for a secret key file. Default is crypto_pwhash MODERATE;
 * tests may pass INTERACTIVE. */
struct cc_kdf {
	uint64_t opslimit;
	uint64_t memlimit;
};
void cc_kdf_moderate(struct cc_kdf *);
void cc_kdf_interactive(struct cc_kdf *);
/* TEST ONLY: Argon2id t=1, 64 KiB (CC_KDF_OPS_MIN, CC_KDF_MEM_TEST), so that a
 * test suite opening a key file hundreds of times does not spend minutes in
 * Argon2id. Such a file is sealed or opened only while
 * cc_seckey_test_floor(1) is in force; otherwise seal returns CC_ELIMIT and
 * open returns CC_ELIMIT before any derivation. The review tool turns it on
 * only when CANDOUR_TEST_WEAK_KDF=1 (SECURITY.md, "The test KDF"), which
 * production never sets. */
void cc_kdf_test(struct cc_kdf *);
/* on != 0 lowers the key-file floor from INTERACTIVE to cc_kdf_test's
 * limits for this process; 0 restores it. Process-wide: set it before any
 * thread opens a key. */
void cc_seckey_test_floor(int on);

/* Valid name: 1..CC_NAME_MAX of [A-Za-z0-9._-]. Returns 1 or 0. */
int cc_name_valid(const char *name);

int cc_keypair_generate(const char *name, struct cc_seckey **out);
void cc_seckey_free(struct cc_seckey *);

/* Key id of an X25519 public key: BLAKE2b-64("candour-keyid-v1" || pk). */
void cc_keyid(const uint8_t pk[CC_BOX_PK], uint8_t out[CC_KEYID_BYTES]);
void cc_recipient_of(const struct cc_pubkey *, struct cc_recipient *);

/* Secret key file: *out is malloc'd (the bytes are ciphertext), caller frees.
 * passphrase may hold any bytes; it must not be empty. */
int cc_seckey_seal(const struct cc_seckey *, const char *pass, size_t passlen,
    const struct cc_kdf *, uint8_t **out, size_t *outlen);
/* Returns CC_EFORMAT for a file that is not a Candour secret key,
 * CC_EPASSPHRASE when the passphrase (or a changed byte) stops it opening,
 * CC_ELIMIT for a key file made with test-only limits (below INTERACTIVE)
 * while cc_seckey_test_floor is off. */
int cc_seckey_open(const uint8_t *in, size_t inlen, const char *pass,
    size_t passlen, struct cc_seckey **out);

/* Public key file text into buf (NUL-ended): the line
 * "candour-pub-v1 NAME KEYS FPR\n", then "candour-role-v1 ROLE\n" when the
 * key has a role. buflen CC_PUBFILE_MAX always suffices. */
int cc_pubkey_format(const struct cc_pubkey *, char *buf, size_t buflen);
/* Parses a public key file: the key line (trailing newline optional; the
 * fingerprint is checked), optionally followed by one role line. A file
 * without a role line (made before roles existed) gives role "". */
int cc_pubkey_parse(const char *line, size_t len, struct cc_pubkey *out);
/* Role text: 1..CC_ROLE_MAX bytes of strict UTF-8, no control, bidi,
 * zero-width or separator character, single spaces between words, none at
 * either end. Returns 1 or 0. */
int cc_role_valid(const char *s, size_t len);
/* Sets p->role (NULL or "" clears it); CC_EFORMAT when not cc_role_valid. */
int cc_pubkey_set_role(struct cc_pubkey *p, const char *role);
/* Readable fingerprint, CC_FPR_CHARS + NUL: 80 bits of BLAKE2b over the
 * name and both public keys, Crockford base32 in four groups of four. */
void cc_fingerprint(const struct cc_pubkey *, char out[CC_FPR_CHARS + 1]);

/* ---- signing-only keys (the intake's own key) ------------------------ */

/* sk is CC_SIGN_SK bytes the caller sodium_malloc'd. */
int cc_signkey_generate(uint8_t pk[CC_SIGN_PK], uint8_t *sk);
/* "candour-intake-pub-v1 KEY FPR\n" and its parser. */
int cc_signpub_format(const uint8_t pk[CC_SIGN_PK], char *buf, size_t buflen);
int cc_signpub_parse(const char *line, size_t len, uint8_t pk[CC_SIGN_PK]);
void cc_signpub_fingerprint(const uint8_t pk[CC_SIGN_PK], char out[CC_FPR_CHARS + 1]);
/* Intake secret key file (unencrypted: it can only sign, never read). */
int cc_signsec_encode(const uint8_t *sk, uint8_t *out, size_t outlen, size_t *len);
int cc_signsec_decode(const uint8_t *in, size_t inlen, uint8_t pk[CC_SIGN_PK], uint8_t *sk);

/* ---- hashing, chain, signatures -------------------------------------- */

void cc_hash(const uint8_t *in, size_t len, uint8_t out[CC_HASH_BYTES]);

/* Incremental BLAKE2b-256 for streams. */
struct cc_hasher {
	crypto_generichash_state st;
};
void cc_hasher_init(struct cc_hasher *);
void cc_hasher_update(struct cc_hasher *, const uint8_t *in, size_t len);
void cc_hasher_final(struct cc_hasher *, uint8_t out[CC_HASH_BYTES]);

/* h[0] is 32 zero bytes; records are numbered from 1.
 * h[n] = BLAKE2b-256(h[n-1] || u64le(n) || BLAKE2b-256(record)). */
void cc_chain_genesis(uint8_t out[CC_HASH_BYTES]);
void cc_chain_next(const uint8_t prev[CC_HASH_BYTES], uint64_t n,
    const uint8_t record_hash[CC_HASH_BYTES], uint8_t out[CC_HASH_BYTES]);

/* Ed25519 over "candour-sig-v1" || context(1 byte) || hash. The context
 * keeps an intake export signature from verifying as a reply bundle. */
enum cc_sig_context { CC_SIG_EXPORT = 1, CC_SIG_REPLIES = 2 };
int cc_sign_hash(const uint8_t *sk, int context, const uint8_t hash[CC_HASH_BYTES],
    uint8_t sig[CC_SIG_BYTES]);
int cc_verify_hash(const uint8_t pk[CC_SIGN_PK], int context,
    const uint8_t hash[CC_HASH_BYTES], const uint8_t sig[CC_SIG_BYTES]);

/* ---- padding ----------------------------------------------------------- */

/* Number of chunks an envelope of n data chunks is padded to (Padmé over
 * the chunk count, never below 1). */
uint64_t cc_pad_chunks(uint64_t n);

/* ---- envelopes ---------------------------------------------------------- */

enum cc_env_kind {
	CC_KIND_CONCERN = 1,
	CC_KIND_MESSAGE = 2,    /* reporter's follow-up */
	CC_KIND_ATTACHMENT = 3,
	CC_KIND_REPLY = 4,      /* reviewer to reporter */
	CC_KIND_CASEBOOK = 5,   /* review-side data at rest */
};

/* Output sink for streaming: return 0 or -1 (which aborts the stream). */
typedef int (*cc_sink_fn)(void *ctx, const uint8_t *buf, size_t len);

/* A sink into a buffer the caller sized in advance (ctx is a struct
 * cc_membuf): it never grows the buffer, and refuses (-1) what would go
 * past cap. The caller owns and frees p. */
struct cc_membuf {
	uint8_t *p;
	size_t len, cap;
};
int cc_mem_sink(void *ctx, const uint8_t *buf, size_t len);

struct cc_env_writer;
/* Writes the header to sink at once. 1..CC_MAX_RECIPIENTS recipients. */
int cc_env_writer_new(int kind, const struct cc_recipient *r, size_t nr,
    cc_sink_fn sink, void *ctx, struct cc_env_writer **out);
int cc_env_writer_update(struct cc_env_writer *, const uint8_t *buf, size_t len);
/* Pads, writes the final chunk and frees the writer (also on error). */
int cc_env_writer_finish(struct cc_env_writer *);
/* Frees and wipes without finishing: what was written is not an envelope. */
void cc_env_writer_abort(struct cc_env_writer *);

struct cc_env_reader;
/* Plaintext goes to sink as soon as each chunk authenticates; the caller
 * must discard it all unless cc_env_reader_finish() returns CC_OK (a cut
 * stream shows only there). key is copied: it may be freed after this. */
int cc_env_reader_new(const struct cc_boxkey *key, cc_sink_fn sink, void *ctx,
    struct cc_env_reader **out);
/* Feed ciphertext in pieces of any size. CC_ENOTRECIPIENT once the header
 * is complete and names no matching key id; CC_ETAMPERED on a bad chunk,
 * a chunk after the final one, or a bad frame. */
int cc_env_reader_update(struct cc_env_reader *, const uint8_t *buf, size_t len);
/* CC_ETRUNCATED if the final chunk never came. Frees the reader. */
int cc_env_reader_finish(struct cc_env_reader *, int *kind);
/* Frees (and wipes) without a result; NULL is fine. */
void cc_env_reader_abort(struct cc_env_reader *);
/* One reader for many envelopes with one key (an import opens one per
 * record; a sodium_malloc and its munmap each was a third of the time):
 * cc_env_reader_end() is cc_env_reader_finish() without the free, and
 * wipes everything the reader held of that envelope (stream state,
 * header, chunks, flags), keeping only the key; cc_env_reader_reset()
 * wipes likewise and starts a new envelope for sink. Every check is the
 * same as with a new reader. Free with cc_env_reader_abort(). */
int cc_env_reader_end(struct cc_env_reader *, int *kind);
void cc_env_reader_reset(struct cc_env_reader *, cc_sink_fn sink, void *ctx);

/* File descriptor wrappers: read in until EOF, write out. Memory does not
 * grow with the input. */
int cc_env_seal_fd(int kind, const struct cc_recipient *r, size_t nr, int in, int out);
int cc_env_open_fd(const struct cc_boxkey *key, int in, int out, int *kind);

/* Buffer API for small bodies. *out / *pt are malloc'd; the caller frees
 * (plaintext with cc_free_wipe). */
int cc_env_seal(int kind, const struct cc_recipient *r, size_t nr,
    const uint8_t *pt, size_t ptlen, uint8_t **out, size_t *outlen);
int cc_env_open(const struct cc_boxkey *key, const uint8_t *in, size_t inlen,
    uint8_t **pt, size_t *ptlen, int *kind);
/* cc_env_open with a reader from cc_env_reader_new (its sink is
 * replaced): reset before, ended (wiped) after, whatever the result. */
int cc_env_open_with(struct cc_env_reader *, const uint8_t *in, size_t inlen,
    uint8_t **pt, size_t *ptlen, int *kind);

/* Reads the recipient key ids from an envelope header without a key.
 * ids must hold CC_MAX_RECIPIENTS entries. */
int cc_env_recipients(const uint8_t *in, size_t inlen,
    uint8_t ids[][CC_KEYID_BYTES], size_t *n, int *kind);

/* memset-wipes then frees a malloc'd buffer; NULL is fine. */
void cc_free_wipe(void *p, size_t len);

/* ---- receipts ----------------------------------------------------------- */

#define CC_RCPT_DATA_CHARS 18   /* 90 random bits, Crockford base32 */
#define CC_RCPT_CHECK_CHARS 2   /* weighted sum mod 1021 */
#define CC_RCPT_CHARS (CC_RCPT_DATA_CHARS + CC_RCPT_CHECK_CHARS)
#define CC_RCPT_GROUPED (CC_RCPT_CHARS + CC_RCPT_CHARS / 4 - 1) /* XXXX-...-XXXX */
#define CC_RCPT_BITS 90
#define CC_RCPT_SALT_BYTES 16
#define CC_RCPT_INPUT_MAX 128   /* longest user input accepted for parsing */

/* Generates a receipt: out gets the canonical CC_RCPT_CHARS form + NUL. */
int cc_rcpt_generate(char out[CC_RCPT_CHARS + 1]);
/* Grouped display form "XXXX-XXXX-XXXX-XXXX-XXXX" + NUL. */
void cc_rcpt_group(const char canon[CC_RCPT_CHARS + 1], char out[CC_RCPT_GROUPED + 1]);
/* Parses what a person typed: case-insensitive, spaces and dashes ignored,
 * I/L read as 1 and O as 0. CC_EFORMAT for wrong length or a character
 * outside the alphabet; CC_ETYPO when the check characters do not match. */
int cc_rcpt_parse(const char *in, size_t len, char out[CC_RCPT_CHARS + 1]);
/* 1 when in fails its check but one changed character, or two neighbours
 * swapped, would make it a receipt (a slip in copying); 0 otherwise,
 * also for a valid receipt and for anything CC_EFORMAT. */
int cc_rcpt_near(const char *in, size_t len);

struct cc_rcpt_params {
	uint8_t salt[CC_RCPT_SALT_BYTES];  /* per install */
	uint64_t opslimit;
	uint64_t memlimit;
};
/* Argon2id(receipt, salt) -> 64 bytes: the first 32 are the lookup tag, the
 * last 32 seed the reporter's X25519 pair. tag is what the intake hashes
 * (cc_rcpt_lookup) before storing; key is sodium_malloc'd by the caller. */
int cc_rcpt_derive(const char canon[CC_RCPT_CHARS + 1], const struct cc_rcpt_params *,
    uint8_t tag[CC_HASH_BYTES], struct cc_boxkey *key);
/* Stored form of a lookup tag: BLAKE2b-256("candour-lookup-v1" || tag). */
void cc_rcpt_lookup(const uint8_t tag[CC_HASH_BYTES], uint8_t out[CC_HASH_BYTES]);

/* ---- small encoders shared by the formats ------------------------------- */

/* Crockford base32 (0-9 A-Z without I L O U), no padding. */
int cc_b32_encode(const uint8_t *in, size_t len, char *out, size_t outlen);

#endif
