/*
 * Stage 4 of the report: a detached signature in minisign's format, so a
 * committee clerk can check the figures with Debian's minisign alone
 * (`minisign -Vm FILE -P KEY`). Written from minisign's documented format:
 *   public key  = base64("Ed" || key id[8] || Ed25519 pk[32])
 *   signature   = "untrusted comment: ..." LF
 *                 base64("ED" || key id[8] || Ed25519(BLAKE2b-512(file))) LF
 *                 "trusted comment: " TEXT LF
 *                 base64(Ed25519(signature[64] || TEXT)) LF
 * The key is the reviewer's own Ed25519 signing key; its key id is the
 * first 8 bytes of BLAKE2b-256 of the public key.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "review/report.h"
#include "util/util.h"

#define MS_ALG 2
#define MS_KEYID 8
#define MS_PK_BYTES (MS_ALG + MS_KEYID + CC_SIGN_PK)
#define MS_SIG_BYTES (MS_ALG + MS_KEYID + crypto_sign_BYTES)
#define MS_COMMENT_MAX 1024

static void
keyid(const uint8_t pk[CC_SIGN_PK], uint8_t id[MS_KEYID])
{
	uint8_t h[32];
	crypto_generichash(h, sizeof(h), pk, CC_SIGN_PK, NULL, 0);
	memcpy(id, h, MS_KEYID);
}

int
rp_minisign_pubkey(const uint8_t pk[CC_SIGN_PK], char out[RP_MINISIGN_PK_B64 + 1])
{
	uint8_t b[MS_PK_BYTES];

	memcpy(b, "Ed", MS_ALG);
	keyid(pk, b + MS_ALG);
	memcpy(b + MS_ALG + MS_KEYID, pk, CC_SIGN_PK);
	return sodium_bin2base64(out, RP_MINISIGN_PK_B64 + 1, b, sizeof(b),
		   sodium_base64_VARIANT_ORIGINAL) != NULL
		   ? 0
		   : -1;
}

int
rp_minisign(const uint8_t *sk, const uint8_t pk[CC_SIGN_PK], const uint8_t *buf, size_t len,
    const char *trusted, char **sig, size_t *siglen)
{
	uint8_t hash[crypto_generichash_BYTES_MAX], s[MS_SIG_BYTES];
	uint8_t global[crypto_sign_BYTES], *gm = NULL;
	char s64[sodium_base64_ENCODED_LEN(MS_SIG_BYTES, sodium_base64_VARIANT_ORIGINAL)];
	char g64[sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_ORIGINAL)];
	size_t tlen = strlen(trusted);
	int rc = -1;

	*sig = NULL;
	if (tlen > MS_COMMENT_MAX || !util_text_valid(trusted, tlen, 0))
		return -1;
	if ((gm = malloc(crypto_sign_BYTES + tlen)) == NULL)
		return -1;
	memcpy(s, "ED", MS_ALG);
	keyid(pk, s + MS_ALG);
	if (crypto_generichash(hash, sizeof(hash), buf, len, NULL, 0) != 0 ||
	    crypto_sign_detached(s + MS_ALG + MS_KEYID, NULL, hash, sizeof(hash), sk) != 0)
		goto out;
	memcpy(gm, s + MS_ALG + MS_KEYID, crypto_sign_BYTES);
	memcpy(gm + crypto_sign_BYTES, trusted, tlen);
	if (crypto_sign_detached(global, NULL, gm, crypto_sign_BYTES + tlen, sk) != 0)
		goto out;
	sodium_bin2base64(s64, sizeof(s64), s, sizeof(s), sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2base64(g64, sizeof(g64), global, sizeof(global), sodium_base64_VARIANT_ORIGINAL);
	size_t cap = 128 + sizeof(s64) + tlen + sizeof(g64);
	if ((*sig = malloc(cap)) == NULL)
		goto out;
	int n = snprintf(*sig, cap,
	    "untrusted comment: candour governance report, signed by the reviewer's key\n"
	    "%s\ntrusted comment: %s\n%s\n",
	    s64, trusted, g64);
	if (n < 0 || (size_t)n >= cap) {
		free(*sig);
		*sig = NULL;
		goto out;
	}
	*siglen = (size_t)n;
	rc = 0;
out:
	free(gm);
	return rc;
}
