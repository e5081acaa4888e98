/*
 * forge_reply for tests/e2e/26-intake-forged-replies.sh (built by make tests).
 * forge_reply SIGNER.sec EXPORT INTAKE.pub OUT: a replies bundle with status
 * closed/NFA and a reply for record 1, signed by SIGNER (passphrase in the
 * file $PASSFILE), made with the project's own bundle writer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bundle/bundle.h"
#include "review/cb_internal.h"
#include "util/util.h"
int
main(int argc, char **argv)
{
	uint8_t *sec, *pass, *line, ipk[CC_SIGN_PK], link[CC_HASH_BYTES], *env = NULL;
	size_t seclen, passlen, linelen, envlen = 0;
	struct cc_seckey *sk;
	struct bundle_r *r;
	struct bundle_w *w;
	struct brec rec;
	struct bitem it[2];
	static const char text[] = "Forged-reply: no further action; this concern is closed.";

	if (argc != 5 || cc_init() != 0 || util_read_file(argv[1], 1 << 20, &sec, &seclen) != 0 ||
	    util_read_file(getenv("PASSFILE"), 1024, &pass, &passlen) != 0 ||
	    util_read_file(argv[3], CC_PUBLINE_MAX, &line, &linelen) != 0)
		return 2;
	while (passlen > 0 && pass[passlen - 1] == '\n')
		passlen--;
	/* the keys are test keys (keygen --kdf test, lib.sh's switch) */
	cc_seckey_test_floor(getenv("CANDOUR_TEST_WEAK_KDF") != NULL &&
			     strcmp(getenv("CANDOUR_TEST_WEAK_KDF"), "1") == 0);
	if (cc_seckey_open(sec, seclen, (const char *)pass, passlen, &sk) != CC_OK ||
	    cc_signpub_parse((const char *)line, linelen, ipk) != CC_OK)
		return 3;
	/* the reporter's key, from the export every reviewer imports */
	if (bundle_r_open(argv[2], &r) != 0 || bundle_r_verify(r, ipk) != 0 ||
	    bundle_r_record(r, 1, &rec, link) != 0)
		return 4;
	bundle_r_close(r);
	memset(it, 0, sizeof(it));
	for (int i = 0; i < 2; i++) {
		randombytes_buf(it[i].id, sizeof(it[i].id));
		it[i].target_seq = 1;
		memcpy(it[i].date, "2026-12-01", 11);
	}
	it[0].type = BITEM_STATUS, it[0].state = BSTATE_CLOSED, it[0].outcome = BOUT_NFA;
	it[1].type = BITEM_REPLY;
	if (rv_seal_to_reporter(rec.reporter_pk, "reply", text, strlen(text), &env, &envlen) != 0)
		return 5;
	it[1].has_env = 1, it[1].env.len = envlen;
	cc_hash(env, envlen, it[1].env.hash);
	if (bundle_w_create(argv[4], BUNDLE_REPLIES, 0, NULL, ipk, &w) != 0 ||
	    bundle_w_item(w, &it[0], NULL, 0) != 0 || bundle_w_item(w, &it[1], env, envlen) != 0 ||
	    bundle_w_commit(w, sk->sign_sk, sk->pub.sign_pk) != 0)
		return 6;
	free(env);
	cc_seckey_free(sk);
	return 0;
}
