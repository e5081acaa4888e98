/*
 * The intake's own Ed25519 signing key: its public line
 * "candour-intake-pub-v1 KEY FPR\n" (KEY = base64url of the 32-byte key)
 * and its unencrypted secret file (it can sign exports, never read them):
 *   0 "CDIS" | 4 u8 version 1 | 5 three zero bytes | 8 Ed25519 sk (64)
 */
#include <stdio.h>
#include <string.h>

#include "crypto/cc_internal.h"

#define SIGNPUB_TAG "candour-intake-pub-v1"
#define B64V sodium_base64_VARIANT_URLSAFE_NO_PADDING

int
cc_signkey_generate(uint8_t pk[CC_SIGN_PK], uint8_t *sk)
{
	return crypto_sign_keypair(pk, sk) == 0 ? CC_OK : CC_ERR;
}

void
cc_signpub_fingerprint(const uint8_t pk[CC_SIGN_PK], char out[CC_FPR_CHARS + 1])
{
	uint8_t h[10];
	cc_hash_prefixed("candour-intake-fpr-v1", pk, CC_SIGN_PK, NULL, 0, h, sizeof h);
	fpr_format(h, out);
}

int
cc_signpub_format(const uint8_t pk[CC_SIGN_PK], char *buf, size_t buflen)
{
	char b64[sodium_base64_ENCODED_LEN(CC_SIGN_PK, B64V)];
	char fpr[CC_FPR_CHARS + 1];

	sodium_bin2base64(b64, sizeof b64, pk, CC_SIGN_PK, B64V);
	cc_signpub_fingerprint(pk, fpr);
	return line_done(buf, buflen, snprintf(buf, buflen, "%s %s %s\n", SIGNPUB_TAG, b64, fpr));
}

int
cc_signpub_parse(const char *line, size_t len, uint8_t pk[CC_SIGN_PK])
{
	const char *f[3];
	size_t fl[3];
	uint8_t k[CC_SIGN_PK];
	char fpr[CC_FPR_CHARS + 1];
	int rc;

	memset(pk, 0, CC_SIGN_PK);
	if ((rc = line_fields(line, len, f, fl, 3)) != CC_OK)
		return rc;
	if (fl[0] != strlen(SIGNPUB_TAG) || memcmp(f[0], SIGNPUB_TAG, fl[0]) != 0)
		return CC_EFORMAT;
	if (b64_exact(f[1], fl[1], k, sizeof k) != CC_OK)
		return CC_EFORMAT;
	cc_signpub_fingerprint(k, fpr);
	if (fl[2] != CC_FPR_CHARS || memcmp(f[2], fpr, CC_FPR_CHARS) != 0)
		return CC_ETAMPERED;
	memcpy(pk, k, CC_SIGN_PK);
	return CC_OK;
}

int
cc_signsec_encode(const uint8_t *sk, uint8_t *out, size_t outlen, size_t *len)
{
	*len = 0;
	if (outlen < CC_SS_FILE)
		return CC_ELIMIT;
	memcpy(out, CC_SS_MAGIC, 4);
	out[4] = CC_SS_VERSION;
	out[5] = out[6] = out[7] = 0;
	memcpy(out + 8, sk, CC_SIGN_SK);
	*len = CC_SS_FILE;
	return CC_OK;
}

/* The file has no MAC: it is checked for consistency instead (the seed
 * must regenerate both halves), which catches any damaged byte. */
int
cc_signsec_decode(const uint8_t *in, size_t inlen, uint8_t pk[CC_SIGN_PK], uint8_t *sk)
{
	uint8_t *ssk = NULL;
	uint8_t spk[CC_SIGN_PK];
	int rc = CC_EFORMAT;

	memset(pk, 0, CC_SIGN_PK);
	sodium_memzero(sk, CC_SIGN_SK);
	if (inlen != CC_SS_FILE || memcmp(in, CC_SS_MAGIC, 4) != 0 || in[4] != CC_SS_VERSION ||
	    in[5] != 0 || in[6] != 0 || in[7] != 0)
		return CC_EFORMAT;
	if ((ssk = sodium_malloc(CC_SIGN_SK)) == NULL)
		return CC_ERR;
	if (crypto_sign_seed_keypair(spk, ssk, in + 8) != 0)
		goto out;
	if (sodium_memcmp(ssk, in + 8, CC_SIGN_SK) != 0) {
		rc = CC_ETAMPERED;
		goto out;
	}
	memcpy(pk, spk, CC_SIGN_PK);
	memcpy(sk, ssk, CC_SIGN_SK);
	rc = CC_OK;
out:
	sodium_free(ssk);
	return rc;
}
