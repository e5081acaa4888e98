/* Library start-up, error strings and the wiping free. */
#include <stdlib.h>

#include "crypto/cc_internal.h"

int
cc_init(void)
{
	/* sodium_init returns 1 when already initialised. */
	return sodium_init() < 0 ? CC_ERR : CC_OK;
}

const char *
cc_strerror(int status)
{
	switch (status) {
	case CC_OK:
		return "success";
	case CC_ERR:
		return "input/output, memory or internal error";
	case CC_EFORMAT:
		return "not a Candour object of this kind, or an unknown version";
	case CC_EPASSPHRASE:
		return "the passphrase does not open this key file";
	case CC_ENOTRECIPIENT:
		return "this key is not one of the envelope's recipients";
	case CC_ETAMPERED:
		return "authentication failed: the data was changed or damaged";
	case CC_ETRUNCATED:
		return "the data ends early: it was cut short";
	case CC_ELIMIT:
		return "over a size or cost limit";
	case CC_ETYPO:
		return "check the receipt: one character is wrong";
	case CC_EBADSIG:
		return "the signature does not verify with this key";
	default:
		return "unknown error";
	}
}

void
cc_free_wipe(void *p, size_t len)
{
	if (p == NULL)
		return;
	sodium_memzero(p, len);
	free(p);
}
