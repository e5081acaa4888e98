/* BLAKE2b-256 hashing, the record hash chain and bundle signatures. */
#include <string.h>

#include "crypto/cc_internal.h"

#define SIG_PREFIX "candour-sig-v1"
#define SIG_MSG (sizeof SIG_PREFIX - 1 + 1 + CC_HASH_BYTES) /* 47 */

void
cc_hash(const uint8_t *in, size_t len, uint8_t out[CC_HASH_BYTES])
{
	crypto_generichash(out, CC_HASH_BYTES, in, len, NULL, 0);
}

void
cc_hasher_init(struct cc_hasher *h)
{
	crypto_generichash_init(&h->st, NULL, 0, CC_HASH_BYTES);
}

void
cc_hasher_update(struct cc_hasher *h, const uint8_t *in, size_t len)
{
	crypto_generichash_update(&h->st, in, len);
}

void
cc_hasher_final(struct cc_hasher *h, uint8_t out[CC_HASH_BYTES])
{
	crypto_generichash_final(&h->st, out, CC_HASH_BYTES);
	sodium_memzero(&h->st, sizeof h->st);
}

void
cc_chain_genesis(uint8_t out[CC_HASH_BYTES])
{
	memset(out, 0, CC_HASH_BYTES);
}

void
cc_chain_next(const uint8_t prev[CC_HASH_BYTES], uint64_t n,
    const uint8_t record_hash[CC_HASH_BYTES], uint8_t out[CC_HASH_BYTES])
{
	uint8_t buf[CC_HASH_BYTES + 8 + CC_HASH_BYTES];
	memcpy(buf, prev, CC_HASH_BYTES);
	le64_store(buf + CC_HASH_BYTES, n);
	memcpy(buf + CC_HASH_BYTES + 8, record_hash, CC_HASH_BYTES);
	cc_hash(buf, sizeof buf, out);
}

static int
sig_msg(int context, const uint8_t hash[CC_HASH_BYTES], uint8_t m[SIG_MSG])
{
	if (context != CC_SIG_EXPORT && context != CC_SIG_REPLIES)
		return CC_EFORMAT;
	memcpy(m, SIG_PREFIX, sizeof SIG_PREFIX - 1);
	m[sizeof SIG_PREFIX - 1] = (uint8_t)context;
	memcpy(m + sizeof SIG_PREFIX, hash, CC_HASH_BYTES);
	return CC_OK;
}

int
cc_sign_hash(
    const uint8_t *sk, int context, const uint8_t hash[CC_HASH_BYTES], uint8_t sig[CC_SIG_BYTES])
{
	uint8_t m[SIG_MSG];
	int rc;

	memset(sig, 0, CC_SIG_BYTES);
	if ((rc = sig_msg(context, hash, m)) != CC_OK)
		return rc;
	return crypto_sign_detached(sig, NULL, m, sizeof m, sk) == 0 ? CC_OK : CC_ERR;
}

int
cc_verify_hash(const uint8_t pk[CC_SIGN_PK], int context, const uint8_t hash[CC_HASH_BYTES],
    const uint8_t sig[CC_SIG_BYTES])
{
	uint8_t m[SIG_MSG];
	int rc;

	if ((rc = sig_msg(context, hash, m)) != CC_OK)
		return rc;
	return crypto_sign_verify_detached(sig, m, sizeof m, pk) == 0 ? CC_OK : CC_EBADSIG;
}
