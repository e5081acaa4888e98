/*
 * Known-answer vectors: files written once by tests/crypto/make_vectors.c
 * and committed in tests/vectors/. Today's code must still open them and
 * reproduce every value, so no format can change without a version bump.
 * Run from the repository root.
 */
#include <stdio.h>

#include "tests/crypto/helpers.h"

#define VDIR "tests/vectors/"

static char vectors[4096];

static int
setup(void **state)
{
	if (setup_sodium(state) != 0)
		return -1;
	FILE *f = fopen(VDIR "vectors.txt", "r");
	if (f == NULL)
		return -1;
	size_t n = fread(vectors, 1, sizeof vectors - 1, f);
	fclose(f);
	vectors[n] = '\0';
	return n > 0 ? 0 : -1;
}

/* The value of "key value\n" in vectors.txt, into out (NUL-ended). */
static void
value(const char *key, char *out, size_t outlen)
{
	size_t kl = strlen(key);
	for (const char *p = vectors; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, key, kl) == 0 && p[kl] == ' ') {
			const char *v = p + kl + 1, *e = strchr(v, '\n');
			size_t n = e ? (size_t)(e - v) : strlen(v);
			assert_true(n < outlen);
			memcpy(out, v, n);
			out[n] = '\0';
			return;
		}
	}
	fail_msg("no vector %s", key);
}

static void
hexval(const char *key, uint8_t *out, size_t len)
{
	char h[300];
	size_t got;
	value(key, h, sizeof h);
	assert_int_equal(sodium_hex2bin(out, len, h, strlen(h), NULL, &got, NULL), 0);
	assert_int_equal(got, len);
}

static uint8_t *
slurp(const char *name, size_t *len)
{
	char path[256];
	snprintf(path, sizeof path, VDIR "%s", name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	uint8_t *buf = malloc(1 << 17);
	*len = fread(buf, 1, 1 << 17, f);
	fclose(f);
	return buf;
}

static struct cc_seckey *
open_alice(void)
{
	char pass[128];
	size_t len;
	struct cc_seckey *k = NULL;
	uint8_t *f = slurp("alice.sec", &len);
	value("passphrase", pass, sizeof pass);
	assert_int_equal(cc_seckey_open(f, len, pass, strlen(pass), &k), CC_OK);
	free(f);
	return k;
}

static void
secret_key_file_and_public_line(void **state)
{
	(void)state;
	struct cc_seckey *k = open_alice();
	struct cc_pubkey p;
	char fpr[CC_FPR_CHARS + 1], want[64], line[CC_PUBLINE_MAX];
	uint8_t id[CC_KEYID_BYTES];
	size_t len;
	char *pub = (char *)slurp("alice.pub", &len);
	assert_int_equal(cc_pubkey_parse(pub, len, &p), CC_OK);
	assert_string_equal(p.name, "alice");
	assert_memory_equal(p.box_pk, k->box.pk, CC_BOX_PK);
	assert_memory_equal(p.sign_pk, k->pub.sign_pk, CC_SIGN_PK);
	cc_fingerprint(&p, fpr);
	value("alice_fpr", want, sizeof want);
	assert_string_equal(fpr, want);
	hexval("alice_keyid", id, sizeof id);
	assert_memory_equal(p.keyid, id, sizeof id);
	/* formatting today gives the same bytes */
	assert_int_equal(cc_pubkey_format(&k->pub, line, sizeof line), CC_OK);
	assert_int_equal(strlen(line), len);
	assert_memory_equal(line, pub, len);
	free(pub);
	cc_seckey_free(k);
}

static void
wrong_passphrase_on_vector(void **state)
{
	(void)state;
	size_t len;
	struct cc_seckey *k = NULL;
	uint8_t *f = slurp("alice.sec", &len);
	assert_int_equal(
	    cc_seckey_open(f, len, "candour vector passphrasE", 25, &k), CC_EPASSPHRASE);
	assert_null(k);
	free(f);
}

static void
envelopes(void **state)
{
	(void)state;
	struct cc_seckey *k = open_alice();
	char text[256];
	uint8_t *env, *pt, h[32], want[32], ids[CC_MAX_RECIPIENTS][CC_KEYID_BYTES], bob[8];
	size_t envlen, ptlen, n;
	int kind;

	env = slurp("concern.cden", &envlen);
	assert_int_equal(cc_env_recipients(env, envlen, ids, &n, &kind), CC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(kind, CC_KIND_CONCERN);
	hexval("bob_keyid", bob, 8);
	assert_memory_equal(ids[0], k->box.keyid, 8);
	assert_memory_equal(ids[1], bob, 8);
	assert_int_equal(cc_env_open(&k->box, env, envlen, &pt, &ptlen, &kind), CC_OK);
	value("concern_text", text, sizeof text - 1);
	size_t tl = strlen(text);
	text[tl] = '\n'; /* the line's newline is part of the text */
	text[tl + 1] = '\0';
	assert_int_equal(ptlen, strlen(text));
	assert_memory_equal(pt, text, ptlen);
	cc_free_wipe(pt, ptlen);
	env[envlen - 1] ^= 1;
	assert_int_equal(cc_env_open(&k->box, env, envlen, &pt, &ptlen, &kind), CC_ETAMPERED);
	free(env);

	env = slurp("attachment.cden", &envlen);
	assert_int_equal(cc_env_open(&k->box, env, envlen, &pt, &ptlen, &kind), CC_OK);
	assert_int_equal(kind, CC_KIND_ATTACHMENT);
	value("attachment_len", text, sizeof text);
	assert_int_equal(ptlen, (size_t)atoi(text));
	cc_hash(pt, ptlen, h);
	hexval("attachment_hash", want, 32);
	assert_memory_equal(h, want, 32);
	cc_free_wipe(pt, ptlen);
	free(env);
	cc_seckey_free(k);
}

static void
chain_links(void **state)
{
	(void)state;
	uint8_t link[32], rec[32], want[32];
	cc_chain_genesis(link);
	for (int n = 1; n <= 4; n++) {
		char name[32], key[24]; /* "link_" and any int: the -O1 build checks */
		snprintf(name, sizeof name, "record %d", n);
		cc_hash((const uint8_t *)name, strlen(name), rec);
		cc_chain_next(link, (uint64_t)n, rec, link);
		snprintf(key, sizeof key, "link_%d", n);
		hexval(key, want, 32);
		assert_memory_equal(link, want, 32);
	}
}

static void
intake_key_and_signatures(void **state)
{
	(void)state;
	size_t len, llen;
	uint8_t pk[32], pk2[32], h[32], sig[64], want[64];
	uint8_t *sk = sodium_malloc(64);
	uint8_t *f = slurp("intake.sec", &len);
	char *line = (char *)slurp("intake.pub", &llen);
	assert_int_equal(cc_signsec_decode(f, len, pk, sk), CC_OK);
	assert_int_equal(cc_signpub_parse(line, llen, pk2), CC_OK);
	assert_memory_equal(pk, pk2, 32);
	cc_hash((const uint8_t *)"candour vector bundle", 21, h);
	hexval("sig_export", want, 64);
	assert_int_equal(cc_verify_hash(pk, CC_SIG_EXPORT, h, want), CC_OK);
	assert_int_equal(cc_verify_hash(pk, CC_SIG_REPLIES, h, want), CC_EBADSIG);
	assert_int_equal(
	    cc_sign_hash(sk, CC_SIG_EXPORT, h, sig), CC_OK); /* Ed25519 is deterministic */
	assert_memory_equal(sig, want, 64);
	hexval("sig_replies", want, 64);
	assert_int_equal(cc_verify_hash(pk, CC_SIG_REPLIES, h, want), CC_OK);
	assert_int_equal(cc_sign_hash(sk, CC_SIG_REPLIES, h, sig), CC_OK);
	assert_memory_equal(sig, want, 64);
	sodium_free(sk);
	free(f);
	free(line);
}

static void
receipt_derivation(void **state)
{
	(void)state;
	char typed[64], canon[CC_RCPT_CHARS + 1], num[32];
	struct cc_rcpt_params p;
	uint8_t tag[32], want[32], look[32], id[8];
	struct cc_boxkey *k = sodium_malloc(sizeof *k);
	value("receipt", typed, sizeof typed);
	assert_int_equal(cc_rcpt_parse(typed, strlen(typed), canon), CC_OK);
	hexval("rcpt_salt", p.salt, 16);
	value("rcpt_ops", num, sizeof num);
	p.opslimit = strtoull(num, NULL, 10);
	value("rcpt_mem", num, sizeof num);
	p.memlimit = strtoull(num, NULL, 10);
	assert_int_equal(cc_rcpt_derive(canon, &p, tag, k), CC_OK);
	hexval("rcpt_tag", want, 32);
	assert_memory_equal(tag, want, 32);
	hexval("rcpt_pk", want, 32);
	assert_memory_equal(k->pk, want, 32);
	hexval("rcpt_keyid", id, 8);
	assert_memory_equal(k->keyid, id, 8);
	cc_rcpt_lookup(tag, look);
	hexval("rcpt_lookup", want, 32);
	assert_memory_equal(look, want, 32);
	size_t envlen, ptlen;
	uint8_t *env = slurp("reply.cden", &envlen), *pt;
	int kind;
	assert_int_equal(cc_env_open(k, env, envlen, &pt, &ptlen, &kind), CC_OK);
	assert_int_equal(kind, CC_KIND_REPLY);
	assert_int_equal(ptlen, 32);
	assert_memory_equal(pt, "We have opened an investigation.", 32);
	cc_free_wipe(pt, ptlen);
	free(env);
	sodium_free(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(secret_key_file_and_public_line),
	    cmocka_unit_test(wrong_passphrase_on_vector),
	    cmocka_unit_test(envelopes),
	    cmocka_unit_test(chain_links),
	    cmocka_unit_test(intake_key_and_signatures),
	    cmocka_unit_test(receipt_derivation),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
