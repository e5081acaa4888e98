#!/usr/bin/env bash
# Wrong receipts are slowed globally: after HTTP_RCPT_BURST (20) well-formed
# receipts that match nothing, every receipt entry (a right one too, from
# anyone) gets 503 with Retry-After until the bucket refills (here one an
# hour, so nothing refills while the test runs). Mistyped
# receipts (check characters wrong) cost no KDF and are not counted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
start_intake --wrong-receipts 1 # one refill an hour: the test cannot race the refill

code=$(submit_concern "$T/c" -F "what=limits")
[ "$code" = 200 ] || fail "submission gave $code"
R=$(receipt_of "$T/c")
curl -s -o "$T/e" "$URL/followup"; tok=$(csrf_of "$T/e")
try() { curl -s -D "$T/h" -o "$T/b" -w '%{http_code}' --data-urlencode "csrf=$tok" --data-urlencode "receipt=$1" "$URL/followup"; }

# well-formed receipts that exist nowhere, made with the crypto library
cat > "$T/gen.c" <<'C'
#include <stdio.h>
#include "crypto/candour_crypto.h"
int main(int c, char **v) { char r[CC_RCPT_CHARS + 1], g[CC_RCPT_GROUPED + 1]; int n = c > 1 ? atoi(v[1]) : 1;
	if (cc_init() != CC_OK) return 1; for (int i = 0; i < n; i++) { cc_rcpt_generate(r); cc_rcpt_group(r, g); puts(g); } return 0; }
C
sed -i '1i #include <stdlib.h>' "$T/gen.c"
build_with_crypto "$T/gen" "$T/gen.c"
"$T/gen" 21 > "$T/wrong"

# typos are free: many of them do not trip the limit
c0=${R:0:1}; [ "$c0" = 7 ] && sub=8 || sub=7
for i in $(seq 1 30); do
	[ "$(try "$sub${R:1}")" = 400 ] || fail "typo $i not 400"
done
n=0
while read -r w; do
	n=$((n + 1))
	code=$(try "$w")
	if [ "$n" -le 20 ]; then
		[ "$code" = 404 ] || fail "wrong receipt $n gave $code"
		grep -q 'No concern has this receipt' "$T/b" || fail "not-found message missing"
	else
		[ "$code" = 503 ] || fail "wrong receipt $n gave $code, not 503"
	fi
done < "$T/wrong"
check_headers "$T/h"
grep -qi '^Retry-After:' "$T/h" || fail "no Retry-After"
# global: the right receipt waits too
[ "$(try "$R")" = 503 ] || fail "the limit is not global"
stop_intake
echo "receipt limits OK"
