/*
 * Internal helpers shared by the files of crypto/. Not part of the API:
 * intake/ and review/ include candour_crypto.h only.
 */
#ifndef CC_INTERNAL_H
#define CC_INTERNAL_H

#include <sodium.h>

#include "crypto/candour_crypto.h"

/* Secret key file layout (SECURITY.md, "Secret key file"). */
#define CC_SK_MAGIC "CDSK"
#define CC_SK_VERSION 1
#define CC_SK_KDF_ARGON2ID13 1
#define CC_SK_SALT 16
#define CC_SK_NONCE 24
#define CC_SK_HEADER (4 + 1 + 1 + 2 + 8 + 8 + CC_SK_SALT + CC_SK_NONCE) /* 64 */
#define CC_SK_PLAIN (1 + CC_NAME_MAX + CC_BOX_SK + CC_BOX_PK + CC_SIGN_SK + CC_SIGN_PK)
#define CC_SK_FILE (CC_SK_HEADER + CC_SK_PLAIN + 16) /* 305 */

/* Second half of cc_seckey_open, after the header checks and Argon2id:
 * in is CC_SK_FILE bytes, key the derived 32-byte key. Tests use it to
 * flip every ciphertext byte without paying for Argon2id each time. */
int keyfile_decrypt(const uint8_t *in, const uint8_t *key, struct cc_seckey **out);

/* Intake signing secret key file. */
#define CC_SS_MAGIC "CDIS"
#define CC_SS_VERSION 1
#define CC_SS_FILE (4 + 1 + 3 + CC_SIGN_SK) /* 72 */

/* Envelope layout (SECURITY.md, "Envelope"). */
#define CC_ENV_MAGIC "CDEN"
#define CC_ENV_VERSION 1
#define CC_ENV_FIXED 12
#define CC_ENV_SEALED (32 + crypto_box_SEALBYTES)     /* 80 */
#define CC_ENV_ENTRY (CC_KEYID_BYTES + CC_ENV_SEALED) /* 88 */
#define CC_ENV_SSHDR crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define CC_ENV_CT_CHUNK (CC_CHUNK_BYTES + crypto_secretstream_xchacha20poly1305_ABYTES)
#define CC_ENV_HEADER_LEN(nr) (CC_ENV_FIXED + (size_t)(nr)*CC_ENV_ENTRY + CC_ENV_SSHDR)

/* Everything one envelope leaves in a reader: wiped whole (one
 * sodium_memzero) when the envelope ends and before the next begins, so
 * nothing of envelope N (its content key's stream state, a final chunk
 * seen, a half-read header, plaintext) can reach envelope N + 1. */
struct env_rstate {
	crypto_secretstream_xchacha20poly1305_state st;
	uint8_t ckey[crypto_secretstream_xchacha20poly1305_KEYBYTES]; /* content key */
	uint8_t hdr[CC_ENV_MAX_HEADER];
	uint8_t ct[CC_ENV_CT_CHUNK];
	uint8_t pt[CC_CHUNK_BYTES];
	size_t hdrhave, hdrneed; /* hdrneed 0 until the fixed part is read */
	size_t cthave;
	uint64_t chunks, datachunks, total;
	int kind;
	int short_seen; /* a chunk with less than CC_CHUNK_DATA data was read */
	int final_seen;
	int err;
};

/* Defined here for envelope_read.c and for the unit test that checks the
 * wipe between envelopes (tests/crypto/test_envelope_reuse.c). */
struct cc_env_reader {
	struct cc_boxkey key; /* kept for the reader's life, wiped when it goes back */
	cc_sink_fn sink;
	void *ctx;
	struct env_rstate s;
};

/* Blocks kept between uses (pool.c): each is 36 KiB (a writer, a reader)
 * or one page (the receipt's derived bytes) of locked memory once kept.
 * Writers: one open per reporter sending at once, 16 the load issue 14
 * measures (the intake seals a form's files and then its body, one after
 * the other); readers: a reply opened on a follow-up page, an import or
 * a seal check, a few at once; derived bytes: one per receipt derivation
 * running (the intake's HTTP_KDF_CONCURRENCY, 2). Defined in
 * envelope_write.c, envelope_read.c and receipt.c; named here for the
 * unit tests that check the wipe and the bound. */
#define CC_ENV_WRITERS_KEPT 16
#define CC_ENV_READERS_KEPT 4
#define CC_RCPT_OKMS_KEPT 4
#define CC_RCPT_OKM_BYTES 64 /* Argon2id output: lookup tag | key seed */
extern struct cc_pool env_writers, env_readers, rcpt_okms;

/* Size of a sealed envelope carrying ptlen plaintext bytes to nr recipients. */
uint64_t env_sealed_size(size_t nr, uint64_t ptlen);

/* Checks the fixed 12 bytes of an envelope header (len >= CC_ENV_FIXED).
 * Sets *nr and *kind. CC_OK or CC_EFORMAT. */
int env_fixed_parse(const uint8_t *in, size_t *nr, int *kind);

/* Secret key files are never sealed or opened below INTERACTIVE, except
 * with the test-only floor (cc_seckey_test_floor) on. */
#define CC_SK_OPS_MIN crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE
#define CC_SK_MEM_MIN ((uint64_t)crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE)
int kdf_bounds_ok(uint64_t ops, uint64_t mem, uint64_t ops_min, uint64_t mem_min);

/* BLAKE2b with outlen bytes over a text prefix (without its NUL) and data. */
void cc_hash_prefixed(const char *prefix, const uint8_t *a, size_t alen, const uint8_t *b,
    size_t blen, uint8_t *out, size_t outlen);

/* Crockford base32 value of c (case-insensitive, I/L -> 1, O -> 0), or -1. */
int b32_value(char c);
extern const char b32_alphabet[33];

/* Fingerprint text "XXXX-XXXX-XXXX-XXXX" of 10 hash bytes. */
void fpr_format(const uint8_t h[10], char out[CC_FPR_CHARS + 1]);
/* Splits one text line (optional "\n" or "\r\n" at the end) into exactly
 * nf fields separated by single spaces; printable ASCII only. */
int line_fields(const char *line, size_t len, const char **f, size_t *flen, size_t nf);
/* Checks an snprintf result n for buf; on overflow empties buf, CC_ELIMIT. */
int line_done(char *buf, size_t buflen, int n);
/* "candour-role-v1 TEXT" (newline optional) into out; CC_EFORMAT otherwise. */
#define CC_ROLE_TAG "candour-role-v1"
int role_line_parse(const char *line, size_t len, char out[CC_ROLE_MAX + 1]);
/* Decodes base64url without padding into exactly outlen bytes. */
int b64_exact(const char *s, size_t slen, uint8_t *out, size_t outlen);

static inline void
le32_store(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline uint32_t
le32_load(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void
le64_store(uint8_t *p, uint64_t v)
{
	le32_store(p, (uint32_t)v);
	le32_store(p + 4, (uint32_t)(v >> 32));
}

static inline uint64_t
le64_load(const uint8_t *p)
{
	return (uint64_t)le32_load(p) | (uint64_t)le32_load(p + 4) << 32;
}

#endif
