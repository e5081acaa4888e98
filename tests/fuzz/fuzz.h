/*
 * Shared by the libFuzzer targets in tests/fuzz/ (built by `make fuzz-build`
 * with clang -fsanitize=fuzzer,address,undefined; run by tests/fuzz/run.sh).
 *
 * Properties every target checks: no crash, no sanitizer report, no leak,
 * and the target's own invariants (abort() when one breaks). Keys are
 * derived from fixed labels so that the committed seeds, written by the
 * target itself when CANDOUR_FUZZ_SEEDS names a directory, stay valid.
 */
#ifndef CANDOUR_FUZZ_H
#define CANDOUR_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/candour_crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The reader of a structured input: every read past the end gives zeros,
 * so any byte string is a valid input. */
struct fz {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t
fz_u8(struct fz *z)
{
	uint8_t v = 0;
	if (z->n > 0) {
		v = z->p[0];
		z->p++;
		z->n--;
	}
	return v;
}

static inline uint16_t
fz_u16(struct fz *z)
{
	uint16_t lo = fz_u8(z);
	return (uint16_t)(lo | (uint16_t)fz_u8(z) << 8);
}

/* A piece of the input: u16le length (cut to what is left), then bytes. */
static inline const uint8_t *
fz_bytes(struct fz *z, size_t *len)
{
	size_t n = fz_u16(z);
	const uint8_t *p = z->p;
	if (n > z->n)
		n = z->n;
	z->p += n;
	z->n -= n;
	*len = n;
	return p;
}

/* A NUL-ended string of a piece's bytes in buf (cut at a NUL or cap - 1). */
static inline const char *
fz_cstr(struct fz *z, char *buf, size_t cap)
{
	size_t n, i = 0;
	const uint8_t *p = fz_bytes(z, &n);

	while (i < n && i + 1 < cap && p[i] != 0) {
		buf[i] = (char)p[i];
		i++;
	}
	buf[i] = '\0';
	return buf;
}

/* Deterministic keys from a label: seeds sealed to them keep opening. */
static inline void
fz_boxkey(const char *label, struct cc_boxkey *k)
{
	uint8_t seed[crypto_box_SEEDBYTES];
	crypto_generichash(seed, sizeof(seed), (const uint8_t *)label, strlen(label), NULL, 0);
	crypto_box_seed_keypair(k->pk, k->sk, seed);
	cc_keyid(k->pk, k->keyid);
}

static inline void
fz_signkey(const char *label, uint8_t pk[CC_SIGN_PK], uint8_t sk[CC_SIGN_SK])
{
	uint8_t seed[crypto_sign_SEEDBYTES];
	crypto_generichash(seed, sizeof(seed), (const uint8_t *)label, strlen(label), NULL, 0);
	crypto_sign_seed_keypair(pk, sk, seed);
}

/* The recipient of fz_boxkey(label)'s pair, the pair itself into k when
 * not NULL (a target that also opens what is sealed to it). */
static inline void
fz_recipient(const char *label, struct cc_recipient *r, struct cc_boxkey *k)
{
	struct cc_boxkey kk;

	fz_boxkey(label, &kk);
	memcpy(r->keyid, kk.keyid, CC_KEYID_BYTES);
	memcpy(r->pk, kk.pk, CC_BOX_PK);
	if (k != NULL)
		*k = kk;
	sodium_memzero(&kk, sizeof(kk));
}

/* A reviewer's public key file as the intake holds it, named label, its
 * box key fz_boxkey(label)'s. */
static inline void
fz_pubkey(const char *label, struct cc_pubkey *p)
{
	struct cc_boxkey k;

	memset(p, 0, sizeof(*p));
	fz_boxkey(label, &k);
	snprintf(p->name, sizeof(p->name), "%s", label);
	memcpy(p->box_pk, k.pk, CC_BOX_PK);
	memcpy(p->keyid, k.keyid, CC_KEYID_BYTES);
	sodium_memzero(&k, sizeof(k));
}

/* n reviewers' public keys, "reviewer-0" onwards (their key ids are in
 * committed seeds: the labels stay). */
static inline void
fz_reviewers(struct cc_pubkey *k, size_t n)
{
	char label[32];

	for (size_t i = 0; i < n; i++) {
		snprintf(label, sizeof(label), "reviewer-%zu", i);
		fz_pubkey(label, &k[i]);
	}
}

static inline void
fz_init(void)
{
	if (cc_init() != CC_OK)
		abort();
}

/* A temporary directory NAME-XXXXXX for a target's files, in
 * CANDOUR_FUZZ_TMP (run.sh makes it on tmpfs and removes it after) or
 * /dev/shm; cleanup (which removes it) runs at exit. */
static inline void
fz_tmpdir(char *dir, size_t cap, const char *name, void (*cleanup)(void))
{
	const char *base = getenv("CANDOUR_FUZZ_TMP");

	umask(077);
	if (snprintf(dir, cap, "%s/%s-XXXXXX", base ? base : "/dev/shm", name) >= (int)cap ||
	    mkdtemp(dir) == NULL)
		abort();
	atexit(cleanup);
}

/* Writes one seed file when CANDOUR_FUZZ_SEEDS is set (seed making only). */
static inline void
fz_seed(const char *name, const void *p, size_t len)
{
	const char *dir = getenv("CANDOUR_FUZZ_SEEDS");
	char path[4096];
	FILE *f;

	if (dir == NULL || snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return;
	if ((f = fopen(path, "wb")) == NULL || fwrite(p, 1, len, f) != len || fclose(f) != 0)
		abort();
}

/* One envelope from the input: byte (bit 7 raw bytes, the piece itself;
 * bits 0-1 which of who's four recipient sets, one or two recipients, the
 * second NULL for one; bits 2-4 the kind, want_kind when not one), then a
 * piece, the plaintext sealed. */
static inline int
fz_envelope(struct fz *z, int want_kind, const struct cc_recipient *const who[4][2],
    uint8_t **env, size_t *len)
{
	uint8_t how = fz_u8(z);
	size_t plen, nr = 0;
	const uint8_t *p = fz_bytes(z, &plen);
	struct cc_recipient r[2];
	int kind = (how >> 2) & 7;

	if (how & 0x80) {
		if ((*env = malloc(plen ? plen : 1)) == NULL)
			abort();
		memcpy(*env, p, plen);
		*len = plen;
		return 0;
	}
	if (kind < CC_KIND_CONCERN || kind > CC_KIND_REPLY)
		kind = want_kind;
	for (int i = 0; i < 2; i++)
		if (who[how & 3][i] != NULL)
			r[nr++] = *who[how & 3][i];
	return cc_env_seal(kind, r, nr, p, plen, env, len) == CC_OK ? 0 : -1;
}

/* Runs a command's entry point (cmd_*) with its stdout and stderr on
 * /dev/null (a refusal's line for each of thousands of inputs); its exit
 * status. */
static inline int
fz_quiet(int (*cmd)(int, char **), int argc, char **argv)
{
	int out = dup(1), err = dup(2), devnull = open("/dev/null", O_WRONLY), rc;

	if (out < 0 || err < 0 || devnull < 0)
		abort();
	fflush(stdout);
	dup2(devnull, 1);
	dup2(devnull, 2);
	rc = cmd(argc, argv);
	fflush(stdout);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	close(devnull);
	return rc;
}

/* A seed made of pieces: fz_put8 / fz_put_bytes build what fz_* read. */
struct fzw {
	uint8_t b[1 << 16];
	size_t n;
};
static inline void
fz_put8(struct fzw *w, uint8_t v)
{
	if (w->n < sizeof(w->b))
		w->b[w->n++] = v;
}
static inline void
fz_put_bytes(struct fzw *w, const void *p, size_t len)
{
	fz_put8(w, (uint8_t)(len & 0xff));
	fz_put8(w, (uint8_t)(len >> 8));
	for (size_t i = 0; i < len; i++)
		fz_put8(w, ((const uint8_t *)p)[i]);
}
static inline void
fz_put_str(struct fzw *w, const char *s)
{
	fz_put_bytes(w, s, strlen(s));
}

#endif
