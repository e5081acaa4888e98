/*
 * Writes the known-answer vectors in tests/vectors/ ONCE. They are
 * committed; tests/crypto/test_vectors.c opens them on every run, so a
 * change to any format without a version bump fails the tests. Do not
 * re-run this to make a failing test pass: bump the version instead.
 *
 *   make B=build build/libcandour_crypto.a
 *   cc -std=c17 -I. -o /tmp/make_vectors tests/crypto/make_vectors.c \
 *       build/libcandour_crypto.a -lsodium
 *   /tmp/make_vectors tests/vectors
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/candour_crypto.h"

#define PASS "candour vector passphrase"
#define ATT_LEN 40000

static const char *dir;
static FILE *vec;

static void
die(const char *what)
{
	fprintf(stderr, "make_vectors: %s\n", what);
	exit(1);
}

static void
put(const char *name, const void *p, size_t len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(p, 1, len, f) != len || fclose(f) != 0)
		die(path);
}

static void
hex(const char *key, const uint8_t *p, size_t len)
{
	char h[2 * 128 + 1];
	sodium_bin2hex(h, sizeof h, p, len);
	fprintf(vec, "%s %s\n", key, h);
}

static void
attachment(uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + (i >> 8));
}

int
main(int argc, char **argv)
{
	struct cc_seckey *alice, *bob;
	struct cc_kdf kdf;
	struct cc_recipient r[2];
	uint8_t *buf, *env, h[32], sig[64];
	size_t len, envlen;
	char line[CC_PUBLINE_MAX], fpr[CC_FPR_CHARS + 1], path[512];

	if (argc != 2 || cc_init() != CC_OK)
		die("usage: make_vectors DIR");
	dir = argv[1];
	snprintf(path, sizeof path, "%s/vectors.txt", dir);
	if ((vec = fopen(path, "w")) == NULL)
		die(path);
	fprintf(vec, "# Known-answer vectors written once by tests/crypto/make_vectors.c\n");

	if (cc_keypair_generate("alice", &alice) || cc_keypair_generate("bob", &bob))
		die("keygen");
	cc_kdf_interactive(&kdf);
	if (cc_seckey_seal(alice, PASS, strlen(PASS), &kdf, &buf, &len))
		die("seal key");
	put("alice.sec", buf, len);
	free(buf);
	fprintf(vec, "passphrase %s\n", PASS);
	cc_pubkey_format(&alice->pub, line, sizeof line);
	put("alice.pub", line, strlen(line));
	cc_pubkey_format(&bob->pub, line, sizeof line);
	put("bob.pub", line, strlen(line));
	cc_fingerprint(&alice->pub, fpr);
	fprintf(vec, "alice_fpr %s\n", fpr);
	hex("alice_keyid", alice->pub.keyid, CC_KEYID_BYTES);
	hex("bob_keyid", bob->pub.keyid, CC_KEYID_BYTES);

	cc_recipient_of(&alice->pub, &r[0]);
	cc_recipient_of(&bob->pub, &r[1]);
	const char *text = "The referral of 3 May was closed without the child being seen.\n";
	if (cc_env_seal(CC_KIND_CONCERN, r, 2, (const uint8_t *)text, strlen(text), &env, &envlen))
		die("seal concern");
	put("concern.cden", env, envlen);
	free(env);
	fprintf(vec, "concern_text %s", text);
	buf = malloc(ATT_LEN);
	attachment(buf, ATT_LEN);
	cc_hash(buf, ATT_LEN, h);
	if (cc_env_seal(CC_KIND_ATTACHMENT, r, 1, buf, ATT_LEN, &env, &envlen))
		die("seal attachment");
	put("attachment.cden", env, envlen);
	free(env);
	free(buf);
	fprintf(vec, "attachment_len %d\n", ATT_LEN);
	hex("attachment_hash", h, 32);

	uint8_t link[32], rec[32];
	cc_chain_genesis(link);
	for (int n = 1; n <= 4; n++) {
		char name[32], key[16];
		snprintf(name, sizeof name, "record %d", n);
		cc_hash((const uint8_t *)name, strlen(name), rec);
		cc_chain_next(link, (uint64_t)n, rec, link);
		snprintf(key, sizeof key, "link_%d", n);
		hex(key, link, 32);
	}

	uint8_t spk[32], *ssk = sodium_malloc(64), sfile[128];
	cc_signkey_generate(spk, ssk);
	cc_signsec_encode(ssk, sfile, sizeof sfile, &len);
	put("intake.sec", sfile, len);
	cc_signpub_format(spk, line, sizeof line);
	put("intake.pub", line, strlen(line));
	cc_hash((const uint8_t *)"candour vector bundle", 21, h);
	cc_sign_hash(ssk, CC_SIG_EXPORT, h, sig);
	hex("sig_export", sig, 64);
	cc_sign_hash(ssk, CC_SIG_REPLIES, h, sig);
	hex("sig_replies", sig, 64);

	struct cc_rcpt_params p;
	char rc[CC_RCPT_CHARS + 1], g[CC_RCPT_GROUPED + 1];
	struct cc_boxkey *k = sodium_malloc(sizeof *k);
	for (int i = 0; i < 16; i++)
		p.salt[i] = (uint8_t)i;
	p.opslimit = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
	p.memlimit = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
	cc_rcpt_generate(rc);
	cc_rcpt_group(rc, g);
	if (cc_rcpt_derive(rc, &p, h, k))
		die("derive");
	fprintf(vec, "receipt %s\n", g);
	hex("rcpt_salt", p.salt, 16);
	fprintf(vec, "rcpt_ops %llu\nrcpt_mem %llu\n", (unsigned long long)p.opslimit,
	    (unsigned long long)p.memlimit);
	hex("rcpt_tag", h, 32);
	hex("rcpt_pk", k->pk, 32);
	hex("rcpt_keyid", k->keyid, 8);
	uint8_t look[32];
	cc_rcpt_lookup(h, look);
	hex("rcpt_lookup", look, 32);
	struct cc_recipient rr;
	memcpy(rr.keyid, k->keyid, 8);
	memcpy(rr.pk, k->pk, 32);
	if (cc_env_seal(CC_KIND_REPLY, &rr, 1, (const uint8_t *)"We have opened an investigation.",
		32, &env, &envlen))
		die("seal reply");
	put("reply.cden", env, envlen);
	free(env);
	if (fclose(vec) != 0)
		die("vectors.txt");
	return 0;
}
