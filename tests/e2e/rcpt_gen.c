/*
 * rcpt_gen N, for tests/e2e/16-intake-receipt-limits.sh (built by make
 * tests, not by the script at its start): prints N well-formed receipts
 * (grouped, one a line) that exist nowhere, made with the crypto library.
 */
#include <stdio.h>
#include <stdlib.h>

#include "crypto/candour_crypto.h"

int
main(int argc, char **argv)
{
	char r[CC_RCPT_CHARS + 1], g[CC_RCPT_GROUPED + 1];
	int n = argc > 1 ? atoi(argv[1]) : 1;

	if (cc_init() != CC_OK)
		return 1;
	for (int i = 0; i < n; i++) {
		cc_rcpt_generate(r);
		cc_rcpt_group(r, g);
		puts(g);
	}
	return 0;
}
