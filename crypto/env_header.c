/*
 * Envelope header (SECURITY.md, "Envelope"):
 *   0 "CDEN" | 4 u8 version 1 | 5 u8 kind | 6 u8 nrecip 1..16 | 7 u8 0 |
 *   8 u32le chunk size 16384 | 12 nrecip x (keyid[8] | sealed key[80]) |
 *   secretstream header[24]
 */
#include <string.h>

#include "crypto/cc_internal.h"

int
env_fixed_parse(const uint8_t *in, size_t *nr, int *kind)
{
	if (memcmp(in, CC_ENV_MAGIC, 4) != 0 || in[4] != CC_ENV_VERSION)
		return CC_EFORMAT;
	if (in[5] < CC_KIND_CONCERN || in[5] > CC_KIND_CASEBOOK)
		return CC_EFORMAT;
	if (in[6] < 1 || in[6] > CC_MAX_RECIPIENTS || in[7] != 0)
		return CC_EFORMAT;
	if (le32_load(in + 8) != CC_CHUNK_BYTES)
		return CC_EFORMAT;
	*nr = in[6];
	*kind = in[5];
	return CC_OK;
}

uint64_t
env_sealed_size(size_t nr, uint64_t ptlen)
{
	uint64_t n = ptlen / CC_CHUNK_DATA + (ptlen % CC_CHUNK_DATA != 0);
	return CC_ENV_HEADER_LEN(nr) + cc_pad_chunks(n) * (uint64_t)CC_ENV_CT_CHUNK;
}

int
cc_env_recipients(
    const uint8_t *in, size_t inlen, uint8_t ids[][CC_KEYID_BYTES], size_t *n, int *kind)
{
	size_t nr;
	int k, rc;

	*n = 0;
	*kind = 0;
	if (inlen < CC_ENV_FIXED)
		return CC_EFORMAT;
	if ((rc = env_fixed_parse(in, &nr, &k)) != CC_OK)
		return rc;
	if (inlen < CC_ENV_HEADER_LEN(nr))
		return CC_ETRUNCATED;
	for (size_t i = 0; i < nr; i++)
		memcpy(ids[i], in + CC_ENV_FIXED + i * CC_ENV_ENTRY, CC_KEYID_BYTES);
	*n = nr;
	*kind = k;
	return CC_OK;
}
