#!/usr/bin/env bash
# Every bad-input class gets its status code and a readable page with the
# security headers, and stores nothing (record count unchanged).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
start_intake --max-upload 65536 --budget 3

# expect CODE NAME curl-args...: status, headers, a page, and nothing stored
expect() {
	local want=$1 name=$2; shift 2
	local code
	code=$(curl -s -D "$T/h" -o "$T/b" -w '%{http_code}' "$@" || true)
	[ "$code" = "$want" ] || fail "$name: got $code, want $want"
	check_headers "$T/h"
	[ "$(count_records)" = 0 ] || fail "$name: something was stored"
}
curl -s -o "$T/form" "$URL/report"; tok=$(csrf_of "$T/form")
head -c 200000 /dev/urandom > "$T/big"
head -c 1000 /dev/urandom > "$T/small"

# 404 / 405 (with Allow)
expect 404 "unknown path" "$URL/admin"
expect 404 "path traversal" --path-as-is "$URL/static/../../etc/passwd"
expect 405 "DELETE" -X DELETE "$URL/report"
has -i "$T/h" '^Allow: GET, HEAD, POST' || fail "405 without Allow"
expect 405 "POST to a GET page" --data "a=b" "$URL/transparency"
grep -qi '^Allow: GET, HEAD'$'\r'"\$" "$T/h" || fail "405 Allow wrong for a GET page"
expect 405 "GET on a POST-only path" "$URL/followup/message"
expect 405 "PUT" -X PUT --data "a=b" "$URL/report"

# 415
expect 415 "text/plain" -H 'Content-Type: text/plain' --data 'x' "$URL/report"
expect 415 "json" -H 'Content-Type: application/json' --data '{}' "$URL/followup"
expect 415 "no content type" -H 'Content-Type:' --data 'x' "$URL/report"

# 413: a report declared or streamed too large gets its form back naming
# the file (e2e 42); a receipt form too large, the plain 413 page
expect 413 "declared over --max-upload" -F "csrf=$tok" -F "file=@$T/big" "$URL/report"
has "$T/b" '“big” is too large' || fail "413 form does not name the file"
expect 413 "chunked over --max-upload" -H 'Transfer-Encoding: chunked' -F "csrf=$tok" -F "file=@$T/big" "$URL/report"
has "$T/b" '“big” is too large' || fail "chunked 413 form does not name the file"
expect 413 "receipt form over --max-upload" -F "csrf=$tok" -F "receipt=<$T/big" "$URL/followup"
has "$T/b" 'Too large' || fail "413 page not readable"

# 400: malformed bodies
expect 400 "broken multipart" -H 'Content-Type: multipart/form-data; boundary=XX' \
	--data-binary $'--XX\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nabc\r\n--XX\r\nGarbage' "$URL/report"
expect 400 "multipart without boundary" -H 'Content-Type: multipart/form-data' --data-binary 'x' "$URL/report"
expect 400 "unknown field" --data "csrf=$tok&evil=1" "$URL/report"
expect 400 "field twice" --data "csrf=$tok&what=a&what=b" "$URL/report"
expect 400 "file in the receipt form" -F "csrf=$tok" -F "file=@$T/small" "$URL/followup"
expect 400 "text field sent as a file" -F "csrf=$tok" -F "what=@$T/small" "$URL/report"
expect 400 "reviewer choice after a file" -F "csrf=$tok" -F "file=@$T/small" -F "reviewer=" "$URL/report"
has "$T/b" 'not right' || fail "400 page not readable"

# 403: a file before a valid anti-forgery token (nothing is sealed)
expect 403 "file without token" -F "file=@$T/small" "$URL/report"
expect 403 "file with forged token" -F "csrf=0000000000000000.00000000000000000000000000000000" -F "file=@$T/small" "$URL/report"
bad=$(echo "$tok" | sed 's/.$/0/'); [ "$bad" = "$tok" ] && bad=$(echo "$tok" | sed 's/.$/1/')
expect 403 "text form with a changed token" --data "csrf=$bad&category=recording&what=x&risk=no&raised_before=no" "$URL/report"
has "$T/b" 'expired or did not come from this site' || fail "no csrf message"
has "$T/b" '>x</textarea>' || fail "input not kept after a token failure"
has "$T/b" '<title>Error: ' || fail "token failure page title does not start with Error:"

# 400: validation re-renders the form with messages; input kept and escaped
expect 400 "missing fields" --data-urlencode "csrf=$tok" --data-urlencode 'team=<script>alert(1)</script>' \
	--data-urlencode 'when=2024-13' "$URL/report"
has "$T/b" 'Please choose what your concern is about' || fail "no category message"
has "$T/b" 'Please say what happened' || fail "no what message"
has "$T/b" 'Please give the month as YYYY-MM' || fail "no month message"
has "$T/b" 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' || fail "team not kept or not escaped"
if has "$T/b" '<script>'; then fail "unescaped input"; fi
has "$T/b" '<title>Error: ' || fail "a form sent back with problems does not say so in its title"
expect 400 "control character" --data-urlencode "csrf=$tok" --data-urlencode 'category=recording' \
	--data-urlencode $'what=bad\x01byte' --data-urlencode risk=no --data-urlencode raised_before=no "$URL/report"
has "$T/b" 'Please say what happened' || fail "control character accepted"
expect 400 "invalid UTF-8" --data "csrf=$tok&category=recording&what=%C3%28&risk=no&raised_before=no" "$URL/report"
expect 400 "too many references" --data-urlencode "csrf=$tok" --data-urlencode category=recording \
	--data-urlencode what=x --data-urlencode risk=no --data-urlencode raised_before=no \
	--data-urlencode "refs=$(seq 1 60)" "$URL/report"
has "$T/b" 'at most 50 references' || fail "refs limit message"
expect 400 "unknown category" --data "csrf=$tok&category=nope&what=x&risk=no&raised_before=no" "$URL/report"
# the reviewers: any non-empty set of those offered, each once (issue 12)
ok="category=recording&what=kept%20text&risk=no&raised_before=no"
a=$(kid_of alice "$T/form"); b=$(kid_of bob "$T/form")
[ -n "$a" ] && [ -n "$b" ] || fail "the form offers no choice of alice and bob"
has "$T/form" 'name="choice" value="1"' || fail "the form does not mark that it offered a choice"
grep -q "id=\"reviewer-$a\"[^>]* checked" "$T/form" || fail "alice not ticked at first"
for bad in "reviewer=0011223344556677" "choice=1" "choice=1&reviewer=$a&reviewer=$a" \
	"reviewer=$a&reviewer=" "reviewer=${a}00" "reviewer=$(echo "$a" | tr a-f A-F)" \
	"choice=2&reviewer=$a" "reviewer=$a&reviewer=$b&reviewer=$a"; do
	expect 400 "reviewers $bad" --data "csrf=$tok&$bad&$ok" "$URL/report"
	has "$T/b" 'Please tick at least one reviewer from the list' || fail "no reviewer message for $bad"
	has "$T/b" '>kept text</textarea>' || fail "text not kept after reviewers $bad"
	has "$T/b" 'href="#readers"' || fail "the error summary does not lead to the choice ($bad)"
done
# an empty set comes back with nobody ticked, as the reporter left it
expect 400 "no reviewer ticked" --data "csrf=$tok&choice=1&$ok" "$URL/report"
if grep -q 'name="reviewer"[^>]* checked' "$T/b"; then fail "an empty choice came back ticked"; fi
expect 400 "one ticked, one unknown" --data "csrf=$tok&choice=1&reviewer=$b&reviewer=0011223344556677&$ok" "$URL/report"
grep -q "id=\"reviewer-$b\"[^>]* checked" "$T/b" || fail "bob's tick not kept"
if grep -q "id=\"reviewer-$a\"[^>]* checked" "$T/b"; then fail "alice came back ticked"; fi
expect 400 "risk not yes/no" --data "csrf=$tok&category=recording&what=x&risk=maybe&raised_before=no" "$URL/report"

# a message without a session is refused
expect 403 "message without session" -F "csrf=$tok" -F "text=hi" "$URL/followup/message"

# the store agrees: nothing at all was accepted
"$BIN/candour-intake" status --db "$DB" > "$T/status" || fail "status failed"
grep -qx 'records: 0' "$T/status" || fail "status after bad input: $(cat "$T/status")"

# 503: the global budget (3 a minute) is spent; a kind page with Retry-After
for i in 1 2 3; do
	code=$(submit_concern "$T/ok" -F "what=budget $i")
	[ "$code" = 200 ] || fail "budget submission $i gave $code"
done
n=$(count_records)
[ "$n" = 3 ] || fail "expected 3 records, have $n"
code=$(submit_concern "$T/b" -F "what=over budget")
[ "$code" = 503 ] || fail "over budget gave $code"
check_headers "$T/b.h"
has -i "$T/b.h" '^Retry-After: ' || fail "503 without Retry-After"
has "$T/b" 'Nothing was stored and no receipt' || fail "503 page not kind"
if has "$T/b" 'class="receipt"'; then fail "a receipt on a 503"; fi
[ "$(count_records)" = 3 ] || fail "over-budget submission stored"

"$BIN/candour-intake" status --db "$DB" > "$T/status" || fail "status failed"
grep -qx 'records: 3' "$T/status" || fail "status does not say 3: $(cat "$T/status")"
stop_intake
echo "bad input OK"
