/*
 * libFuzzer target for every crypto/ parser and the envelope reader. Not
 * part of make check (it runs until stopped). The first input byte picks
 * the target; the rest is the input. Build and run with the commands
 * below this comment.
 *
 * Properties: no crash or sanitizer report; nothing parses unless it is
 * well-formed; an envelope only opens for the fixed key below, which
 * random input cannot reach (libFuzzer finds crashes, not forgeries).
 */
// clang -std=c17 -g -O1 -D_DEFAULT_SOURCE -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined
//     -I. -o /tmp/fuzz_crypto tests/crypto/fuzz_crypto.c crypto/*.c -lsodium   (one line)
// mkdir -p /tmp/corpus   # seed it with tests/vectors/ files, each
//                        # prefixed by one target byte 0..5
// /tmp/fuzz_crypto -max_total_time=300 /tmp/corpus
#include <stdlib.h>
#include <string.h>

#include "crypto/candour_crypto.h"

static struct cc_seckey *key;

static int
null_sink(void *ctx, const uint8_t *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (key == NULL && (cc_init() != CC_OK || cc_keypair_generate("fuzz", &key) != CC_OK))
		abort();
	if (size < 1)
		return 0;
	uint8_t which = data[0] % 6;
	data++;
	size--;
	switch (which) {
	case 0: {
		struct cc_env_reader *r;
		if (cc_env_reader_new(&key->box, null_sink, NULL, &r) != CC_OK)
			abort();
		size_t half = size / 2; /* two pieces: exercises the buffering */
		if (cc_env_reader_update(r, data, half) != CC_OK ||
		    cc_env_reader_update(r, data + half, size - half) != CC_OK) {
			cc_env_reader_abort(r);
			break;
		}
		(void)cc_env_reader_finish(r, NULL);
		break;
	}
	case 1: {
		struct cc_pubkey p;
		uint8_t pk[CC_SIGN_PK];
		(void)cc_pubkey_parse((const char *)data, size, &p);
		(void)cc_signpub_parse((const char *)data, size, pk);
		break;
	}
	case 2: {
		struct cc_seckey *k;
		/* bounds are checked before Argon2id; in-bounds inputs cost a KDF */
		if (cc_seckey_open(data, size, "x", 1, &k) == CC_OK)
			abort(); /* a random file opening with "x" would be a forgery */
		break;
	}
	case 3: {
		uint8_t pk[CC_SIGN_PK], sk[CC_SIGN_SK];
		(void)cc_signsec_decode(data, size, pk, sk);
		break;
	}
	case 4: {
		char out[CC_RCPT_CHARS + 1];
		(void)cc_rcpt_parse((const char *)data, size, out);
		break;
	}
	default: {
		uint8_t ids[CC_MAX_RECIPIENTS][CC_KEYID_BYTES];
		size_t n;
		int kind;
		(void)cc_env_recipients(data, size, ids, &n, &kind);
		if (n > CC_MAX_RECIPIENTS)
			abort();
		break;
	}
	}
	return 0;
}
