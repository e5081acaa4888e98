/*
 * intake_key, for tests/e2e/41-referrals-bad-register.sh (built by make
 * tests, not by the script at its start): prints a fresh intake signing
 * public key line, made with the crypto library (a casebook needs one).
 */
#include <sodium.h>
#include <stdio.h>

#include "crypto/candour_crypto.h"

int
main(void)
{
	uint8_t pk[CC_SIGN_PK], *sk;
	char line[CC_PUBLINE_MAX];

	if (cc_init() != 0 || (sk = sodium_malloc(CC_SIGN_SK)) == NULL)
		return 1;
	if (cc_signkey_generate(pk, sk) != 0 || cc_signpub_format(pk, line, sizeof(line)) != 0)
		return 1;
	fputs(line, stdout);
	return 0;
}
