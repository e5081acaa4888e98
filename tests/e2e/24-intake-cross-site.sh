#!/usr/bin/env bash
# A form posted from another site is refused (403, nothing stored, no
# session). The anti-forgery token needs no per-person state, so it is the
# same for everyone in its window and any site can fetch a fresh one: it
# cannot tell a reporter's own post from a forged one. What the browser
# says about the request's origin (Sec-Fetch-Site, else Origin) can.
# Without it, another site could log a visitor into the attacker's concern
# (a session for the attacker's receipt) or post in their name.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
start_intake
submit_concern "$T/c" -F "what=the attacker's own concern" >/dev/null
receipt=$(receipt_of "$T/c")
[ -n "$receipt" ] || fail "no receipt"
n0=$(count_records)
curl -s -o "$T/form" "$URL/report"; tok=$(csrf_of "$T/form")

# expect CODE NAME curl-args...
expect() {
	local want=$1 name=$2; shift 2
	local code
	code=$(curl -s -D "$T/h" -o "$T/b" -w '%{http_code}' "$@" || true)
	[ "$code" = "$want" ] || fail "$name: got $code, want $want"
	check_headers "$T/h"
	if grep -qi '^Set-Cookie: candour_s=[0-9a-f]' "$T/h"; then fail "$name: a session was made"; fi
	[ "$(count_records)" = "$n0" ] || fail "$name: something was stored"
}
for h in "Sec-Fetch-Site: cross-site" "Origin: https://attacker.example" "Origin: null"; do
	expect 403 "receipt from another site ($h)" -H "$h" --data "csrf=$tok&receipt=$receipt" "$URL/followup"
	expect 403 "report from another site ($h)" -H "$h" \
		--data "csrf=$tok&category=recording&what=forged&risk=no&raised_before=no" "$URL/report"
done
grep -q 'did not come from this site' "$T/b" || fail "403 page does not say why"

# the reporter's own posts still work: same-origin, or an old browser that
# sends neither header
port=${URL##*:}
code=$(curl -s -D "$T/h" -o /dev/null -w '%{http_code}' -H "Sec-Fetch-Site: same-origin" \
	-H "Origin: http://127.0.0.1:$port" --data "csrf=$tok&receipt=$receipt" "$URL/followup")
[ "$code" = 303 ] || fail "same-origin receipt entry gave $code"
grep -qi '^Set-Cookie: candour_s=[0-9a-f]' "$T/h" || fail "same-origin receipt entry made no session"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: https://127.0.0.1:$port" \
	--data "csrf=$tok&receipt=$receipt" "$URL/followup")
[ "$code" = 303 ] || fail "this host's origin behind a TLS proxy gave $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: http://127.0.0.1:$port.attacker.example" \
	--data "csrf=$tok&receipt=$receipt" "$URL/followup")
[ "$code" = 403 ] || fail "a look-alike origin gave $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Sec-Fetch-Site: none" --data "csrf=$tok&receipt=$receipt" "$URL/followup")
[ "$code" = 303 ] || fail "a typed-in post (Sec-Fetch-Site: none) gave $code"
code=$(curl -s -o /dev/null -w '%{http_code}' --data "csrf=$tok&receipt=$receipt" "$URL/followup")
[ "$code" = 303 ] || fail "a post without origin headers gave $code"
stop_intake
echo "ok: cross-site posts refused"
