#!/usr/bin/env bash
# Issue 9 item 1 with the real binaries: bob, whom the reporter left out,
# forges a reply bundle from what every reviewer holds (the export, the
# intake's public key, his own .sec) with the project's own bundle writer:
# it closes the concern with "no further action" and writes to the
# reporter. import-replies refuses each item with one line naming bob and
# the concern, exits 1, stores nothing, and the reporter's follow-up page
# is unchanged. The same items signed by alice, a reader, are accepted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"

# forge SIGNER.sec EXPORT INTAKE.pub OUT: status closed/NFA and a reply for
# record 1, signed by SIGNER (passphrase in $T/secret/pass).
cat > "$T/forge.c" <<'EOF'
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
EOF
LIBS="$BIN/libcandour_review.a $BIN/libcandour_tmpl.a $BIN/libcandour_common.a $BIN/libcandour_crypto.a"
PKGS=$(pkg-config --libs libsodium sqlite3 libmicrohttpd libqrencode libseccomp libpng libkeyutils)
# shellcheck disable=SC2086
cc -std=c17 -D_GNU_SOURCE -I"$REPO" -o "$T/forge" "$T/forge.c" $LIBS $PKGS 2>/dev/null ||
	cc -std=c17 -D_GNU_SOURCE -fsanitize=address,undefined -I"$REPO" -o "$T/forge" \
		"$T/forge.c" $LIBS $PKGS || fail "cannot build the forging tool"

start_intake
IN="$BIN/candour-intake"
curl -s -o "$T/form.html" "$URL/report"
alice_kid=$(kid_of alice)
[ -n "$alice_kid" ] || fail "no choice of alice"
code=$(submit_concern "$T/c1" -F "what=Only alice may read this." -F "reviewer=$alice_kid")
[ "$code" = 200 ] || fail "submission gave $code"
R=$(receipt_of "$T/c1")
"$IN" export --db "$DB" --out "$T/b1" > /dev/null || fail "export failed"

followup() { followup_page "$R" "$1"; }
# the page without its one-time token, for comparing before and after
page_body() { sed 's/name="csrf" value="[^"]*"//' "$1"; }
followup "$T/f0"
grep -q '<dd>Received</dd>' "$T/f0" || fail "a new concern is not 'Received'"

PASSFILE=$T/secret/pass "$T/forge" "$T/secret/bob.sec" "$T/b1" "$DB.sign.pub" "$T/forged" ||
	fail "the forging tool failed ($?)"
before=$(sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM status; SELECT count(*) FROM replies;" | tr '\n' ' ')
if "$IN" import-replies --db "$DB" --keys "$T/keys" --in "$T/forged" > "$T/out" 2> "$T/err"; then
	fail "a left-out reviewer's bundle was imported"
fi
[ "$(wc -l < "$T/err")" = 2 ] || fail "not one line per refused item: $(cat "$T/err")"
[ "$(grep -c 'bob is not a reader of concern 1' "$T/err")" = 2 ] ||
	fail "the refusal does not name bob and the concern: $(cat "$T/err")"
grep -q '2 refused' "$T/out" || fail "summary: $(cat "$T/out")"
after=$(sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM status; SELECT count(*) FROM replies;" | tr '\n' ' ')
[ "$before" = "$after" ] || fail "something was stored for refused items ($before -> $after)"
followup "$T/f1"
[ "$(page_body "$T/f0")" = "$(page_body "$T/f1")" ] || fail "the reporter's page changed"
if grep -q 'Forged-reply' "$T/f1"; then fail "the forged reply is shown"; fi

# the same forge by alice, a reader: accepted (the check is the reader
# list, not the tool)
PASSFILE=$T/secret/pass "$T/forge" "$T/secret/alice.sec" "$T/b1" "$DB.sign.pub" "$T/byalice" ||
	fail "the forging tool failed for alice"
"$IN" import-replies --db "$DB" --keys "$T/keys" --in "$T/byalice" > "$T/out" ||
	fail "a reader's bundle was refused"
followup "$T/f2"
grep -q '<dd>Closed</dd>' "$T/f2" || fail "alice's status not shown"
grep -q 'Forged-reply' "$T/f2" || fail "alice's reply not shown"
echo "forged replies: ok"
