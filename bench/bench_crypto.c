/*
 * Candour crypto benchmark: each Candour operation next to the libsodium
 * primitive it is built on, measured in the same run (the machines are
 * noisy: read the ratios, not the absolute figures).
 *
 *   make bench                      (builds and runs every bench/ program)
 *   or alone:
 *   make B=build build/libcandour_crypto.a
 *   cc -std=c17 -O2 -I. -o /tmp/bench_crypto bench/bench_crypto.c \
 *       build/libcandour_crypto.a -lsodium && /tmp/bench_crypto [MiB]
 *
 * 1. envelope streaming (writer/reader, 16 KiB framed chunks, padding)
 *    vs raw crypto_secretstream_xchacha20poly1305 push/pull of the same
 *    chunk size, over 256 MiB by default;
 * 2. small envelope seal/open (one recipient) vs crypto_box_seal/open;
 * 3. receipt derivation (Argon2id INTERACTIVE) vs crypto_pwhash alone.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "crypto/candour_crypto.h"

#define PIECE 65536
#define SS_CHUNK 16384
#define SMALL_N 2000

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Ciphertext kept in memory so that only the crypto is timed. */
struct mem {
	uint8_t *p;
	uint64_t len, cap;
};

static int
mem_sink(void *ctx, const uint8_t *buf, size_t len)
{
	struct mem *m = ctx;
	if (m->len + len > m->cap)
		return -1;
	memcpy(m->p + m->len, buf, len);
	m->len += len;
	return 0;
}

static int
null_sink(void *ctx, const uint8_t *buf, size_t len)
{
	(void)buf;
	*(uint64_t *)ctx += len;
	return 0;
}

static void
ratio(const char *what, double mib, double cand, double raw)
{
	printf("%-6s %5.0f MiB: candour %6.0f MiB/s, raw secretstream %6.0f MiB/s, "
	       "time ratio %.2f\n",
	    what, mib, mib / cand, mib / raw, cand / raw);
}

static void
bench_stream(uint64_t bytes, const struct cc_seckey *k)
{
	struct cc_recipient r;
	struct cc_env_writer *w;
	struct cc_env_reader *rd;
	struct mem env = {0}, raw = {0};
	uint8_t *pt = malloc(PIECE), *back = malloc(SS_CHUNK), key[32], hdr[24];
	uint64_t got = 0, n = bytes / SS_CHUNK;
	unsigned char tag;
	crypto_secretstream_xchacha20poly1305_state st;
	double t0, seal, open, push, pull;

	memset(pt, 'x', PIECE);
	cc_recipient_of(&k->pub, &r);
	env.cap = bytes + bytes / 8 + (4 << 20);
	raw.cap = n * (SS_CHUNK + 17);
	env.p = malloc(env.cap);
	raw.p = malloc(raw.cap);
	memset(env.p, 1, env.cap); /* fault the pages in before timing (not 0: *
				    * malloc+memset 0 may become calloc) */
	memset(raw.p, 1, raw.cap);

	t0 = now();
	if (cc_env_writer_new(CC_KIND_ATTACHMENT, &r, 1, mem_sink, &env, &w) != CC_OK)
		exit(1);
	for (uint64_t off = 0; off < bytes; off += PIECE)
		cc_env_writer_update(w, pt, PIECE);
	if (cc_env_writer_finish(w) != CC_OK)
		exit(1);
	seal = now() - t0;

	crypto_secretstream_xchacha20poly1305_keygen(key);
	t0 = now();
	crypto_secretstream_xchacha20poly1305_init_push(&st, hdr, key);
	for (uint64_t i = 0; i < n; i++)
		crypto_secretstream_xchacha20poly1305_push(&st, raw.p + i * (SS_CHUNK + 17), NULL,
		    pt, SS_CHUNK, NULL, 0, i + 1 == n ? 3 : 0);
	push = now() - t0;

	t0 = now();
	cc_env_reader_new(&k->box, null_sink, &got, &rd);
	for (uint64_t off = 0; off < env.len; off += PIECE)
		cc_env_reader_update(
		    rd, env.p + off, env.len - off < PIECE ? env.len - off : PIECE);
	if (cc_env_reader_finish(rd, NULL) != CC_OK || got != bytes)
		exit(2);
	open = now() - t0;

	t0 = now();
	crypto_secretstream_xchacha20poly1305_init_pull(&st, hdr, key);
	for (uint64_t i = 0; i < n; i++)
		if (crypto_secretstream_xchacha20poly1305_pull(&st, back, NULL, &tag,
			raw.p + i * (SS_CHUNK + 17), SS_CHUNK + 17, NULL, 0) != 0)
			exit(3);
	pull = now() - t0;

	ratio("seal", (double)(bytes >> 20), seal, push);
	ratio("open", (double)(bytes >> 20), open, pull);
	printf("padding: %llu plaintext bytes -> %llu envelope bytes (+%.2f%%)\n",
	    (unsigned long long)bytes, (unsigned long long)env.len,
	    100.0 * (double)(env.len - bytes) / (double)bytes);
	free(env.p);
	free(raw.p);
	free(pt);
	free(back);
}

static void
bench_small(const struct cc_seckey *k)
{
	struct cc_recipient r;
	uint8_t msg[1024], *env = NULL, *pt, sealed[32 + crypto_box_SEALBYTES], key[32];
	size_t envlen, ptlen;
	double t0, seal, open, bseal, bopen;

	memset(msg, 'm', sizeof msg);
	cc_recipient_of(&k->pub, &r);
	t0 = now();
	for (int i = 0; i < SMALL_N; i++) {
		free(env);
		cc_env_seal(CC_KIND_MESSAGE, &r, 1, msg, sizeof msg, &env, &envlen);
	}
	seal = (now() - t0) / SMALL_N;
	t0 = now();
	for (int i = 0; i < SMALL_N; i++) {
		if (cc_env_open(&k->box, env, envlen, &pt, &ptlen, NULL) != CC_OK)
			exit(4);
		cc_free_wipe(pt, ptlen);
	}
	open = (now() - t0) / SMALL_N;
	t0 = now();
	for (int i = 0; i < SMALL_N; i++)
		crypto_box_seal(sealed, key, 32, k->box.pk);
	bseal = (now() - t0) / SMALL_N;
	t0 = now();
	for (int i = 0; i < SMALL_N; i++)
		if (crypto_box_seal_open(key, sealed, sizeof sealed, k->box.pk, k->box.sk) != 0)
			exit(5);
	bopen = (now() - t0) / SMALL_N;
	printf("small 1 KiB envelope: seal %.0f us (crypto_box_seal %.0f us, ratio %.2f), "
	       "open %.0f us (crypto_box_seal_open %.0f us, ratio %.2f), %zu bytes\n",
	    seal * 1e6, bseal * 1e6, seal / bseal, open * 1e6, bopen * 1e6, open / bopen, envlen);
	free(env);
}

static void
bench_receipt(void)
{
	struct cc_rcpt_params p = {.opslimit = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
	    .memlimit = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
	char rc[CC_RCPT_CHARS + 1];
	uint8_t tag[32], out[64];
	struct cc_boxkey *k = sodium_malloc(sizeof *k);
	double t0, d, raw;

	randombytes_buf(p.salt, sizeof p.salt);
	cc_rcpt_generate(rc);
	t0 = now();
	for (int i = 0; i < 5; i++)
		cc_rcpt_derive(rc, &p, tag, k);
	d = (now() - t0) / 5;
	t0 = now();
	for (int i = 0; i < 5; i++)
		if (crypto_pwhash(out, 64, rc, CC_RCPT_CHARS, p.salt, p.opslimit, p.memlimit,
			crypto_pwhash_ALG_ARGON2ID13) != 0)
			exit(6);
	raw = (now() - t0) / 5;
	printf("receipt derive (INTERACTIVE): %.1f ms, crypto_pwhash alone %.1f ms, ratio %.2f\n",
	    d * 1e3, raw * 1e3, d / raw);
	sodium_free(k);
}

int
main(int argc, char **argv)
{
	uint64_t mib = argc > 1 ? strtoull(argv[1], NULL, 10) : 256;
	struct cc_seckey *k;
	if (mib == 0 || mib > 4096 || cc_init() != CC_OK ||
	    cc_keypair_generate("bench", &k) != CC_OK)
		return 1;
	bench_stream(mib << 20, k);
	bench_small(k);
	bench_receipt();
	cc_seckey_free(k);
	return 0;
}
