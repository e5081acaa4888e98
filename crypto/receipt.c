/*
 * Receipts: 18 Crockford base32 characters from randombytes_buf (90 bits) and
 * two check characters encoding c = sum((i+1) * v_i) mod 1021 as
 * c / 32, c % 32. 1021 is prime and larger than every (i+1) * d with
 * 1 <= i+1 <= 18 and 0 < |d| <= 31, so every single substitution changes c;
 * an adjacent transposition changes c by v_i - v_(i+1), never 0 mod 1021
 * unless the two characters are equal. SECURITY.md has the full argument,
 * tests/crypto/test_receipt.c checks it exhaustively.
 */
#include <string.h>

#include "crypto/cc_internal.h"

#define CHECK_MOD 1021

static unsigned
check_value(const int v[CC_RCPT_DATA_CHARS])
{
	unsigned sum = 0;
	for (unsigned i = 0; i < CC_RCPT_DATA_CHARS; i++)
		sum += (i + 1) * (unsigned)v[i];
	return sum % CHECK_MOD;
}

int
cc_rcpt_generate(char out[CC_RCPT_CHARS + 1])
{
	int v[CC_RCPT_DATA_CHARS];
	uint8_t rnd[12]; /* 96 random bits; the first 90 are used, 5 per character */

	randombytes_buf(rnd, sizeof rnd);
	for (size_t i = 0; i < CC_RCPT_DATA_CHARS; i++) {
		size_t bit = i * 5;
		unsigned w = (unsigned)rnd[bit / 8] << 8 | rnd[bit / 8 + 1];
		v[i] = (int)(w >> (11 - bit % 8)) & 31;
		out[i] = b32_alphabet[v[i]];
	}
	sodium_memzero(rnd, sizeof rnd);
	unsigned c = check_value(v);
	out[CC_RCPT_DATA_CHARS] = b32_alphabet[c / 32];
	out[CC_RCPT_DATA_CHARS + 1] = b32_alphabet[c % 32];
	out[CC_RCPT_CHARS] = '\0';
	sodium_memzero(v, sizeof v);
	return CC_OK;
}

void
cc_rcpt_group(const char canon[CC_RCPT_CHARS + 1], char out[CC_RCPT_GROUPED + 1])
{
	size_t o = 0;
	for (size_t i = 0; i < CC_RCPT_CHARS; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = canon[i];
	}
	out[o] = '\0';
}

/* The 20 values of what a person typed (spaces and dashes skipped), or -1
 * for a wrong length or a character outside the alphabet. */
static int
rcpt_values(const char *in, size_t len, int v[CC_RCPT_CHARS])
{
	size_t n = 0;

	if (len > CC_RCPT_INPUT_MAX)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (in[i] == ' ' || in[i] == '-')
			continue;
		int x = b32_value(in[i]);
		if (x < 0 || n == CC_RCPT_CHARS)
			return -1;
		v[n++] = x;
	}
	return n == CC_RCPT_CHARS ? 0 : -1;
}

static int
rcpt_checks(const int v[CC_RCPT_CHARS])
{
	return check_value(v) ==
	       (unsigned)v[CC_RCPT_DATA_CHARS] * 32 + (unsigned)v[CC_RCPT_DATA_CHARS + 1];
}

int
cc_rcpt_parse(const char *in, size_t len, char out[CC_RCPT_CHARS + 1])
{
	int v[CC_RCPT_CHARS];
	int rc = CC_EFORMAT;

	memset(out, 0, CC_RCPT_CHARS + 1);
	if (rcpt_values(in, len, v) != 0)
		goto out;
	if (!rcpt_checks(v)) {
		rc = CC_ETYPO;
		goto out;
	}
	for (size_t i = 0; i < CC_RCPT_CHARS; i++)
		out[i] = b32_alphabet[v[i]];
	out[CC_RCPT_CHARS] = '\0';
	rc = CC_OK;
out:
	sodium_memzero(v, sizeof v);
	return rc;
}

/* 20 x 31 substitutions and 19 swaps: about 640 sums, microseconds. A
 * random string passes this about 3 times in 10 (the check is 10 bits),
 * so it tells a slip from garbage, not a receipt from a forgery. */
int
cc_rcpt_near(const char *in, size_t len)
{
	int v[CC_RCPT_CHARS];
	int near = 0;

	if (rcpt_values(in, len, v) != 0 || rcpt_checks(v))
		goto out;
	for (size_t i = 0; i < CC_RCPT_CHARS && !near; i++) {
		int keep = v[i];
		for (int x = 0; x < 32 && !near; x++) {
			v[i] = x;
			near = x != keep && rcpt_checks(v);
		}
		v[i] = keep;
	}
	for (size_t i = 0; i + 1 < CC_RCPT_CHARS && !near; i++) {
		int a = v[i];
		v[i] = v[i + 1];
		v[i + 1] = a;
		near = rcpt_checks(v);
		v[i + 1] = v[i];
		v[i] = a;
	}
out:
	sodium_memzero(v, sizeof v);
	return near;
}

struct cc_pool rcpt_okms = CC_POOL_INIT(CC_RCPT_OKM_BYTES, CC_RCPT_OKMS_KEPT);

int
cc_rcpt_derive(const char canon[CC_RCPT_CHARS + 1], const struct cc_rcpt_params *p,
    uint8_t tag[CC_HASH_BYTES], struct cc_boxkey *key)
{
	uint8_t *okm = NULL;
	int rc = CC_ELIMIT;

	sodium_memzero(tag, CC_HASH_BYTES);
	sodium_memzero(key, sizeof *key);
	if (!kdf_bounds_ok(p->opslimit, p->memlimit, CC_KDF_OPS_MIN, CC_KDF_MEM_MIN))
		return CC_ELIMIT;
	/* Only the canonical form derives: anything else would give a key
	 * the reporter can never derive again. */
	char again[CC_RCPT_CHARS + 1];
	int canonical = strnlen(canon, CC_RCPT_CHARS + 1) == CC_RCPT_CHARS &&
			cc_rcpt_parse(canon, CC_RCPT_CHARS, again) == CC_OK &&
			memcmp(again, canon, CC_RCPT_CHARS) == 0;
	sodium_memzero(again, sizeof again);
	if (!canonical)
		return CC_EFORMAT;
	if ((okm = cc_pool_get(&rcpt_okms)) == NULL)
		return CC_ERR;
	rc = CC_ERR;
	if (crypto_pwhash(okm, CC_RCPT_OKM_BYTES, canon, CC_RCPT_CHARS, p->salt, p->opslimit,
		(size_t)p->memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
		goto out;
	if (crypto_box_seed_keypair(key->pk, key->sk, okm + 32) != 0)
		goto out;
	cc_keyid(key->pk, key->keyid);
	memcpy(tag, okm, CC_HASH_BYTES);
	rc = CC_OK;
out:
	cc_pool_put(&rcpt_okms, okm); /* wipes the tag and the seed */
	if (rc != CC_OK)
		sodium_memzero(key, sizeof *key);
	return rc;
}

void
cc_rcpt_lookup(const uint8_t tag[CC_HASH_BYTES], uint8_t out[CC_HASH_BYTES])
{
	cc_hash_prefixed("candour-lookup-v1", tag, CC_HASH_BYTES, NULL, 0, out, CC_HASH_BYTES);
}
