#!/usr/bin/env bash
# Every bad-input class gets its status code and a readable page with the
# security headers, and stores nothing (record count unchanged).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
start_intake --max-upload 65536 --budget 3

# expect CODE NAME curl-args...: queues a request (lib.sh's req) that must
# get status CODE; its body will be in $B, its headers in $H. expects_run
# sends the queue by one curl (a curl and a status each cost ~25 and ~18 ms
# of CPU; this was 43 of each) and checks every answer in order: status,
# headers, a page; and nothing stored. The record count only grows (the
# records are a chain: nothing is removed), so none after the last request
# means none after each.
names=() wants=()
expect() {
	names+=("$2") wants+=("$1")
	shift 2
	req "$@"
	B=$T/rq.$RQ_I H=$T/rq.$RQ_I.h
}
expects_run() {
	local i
	reqs_run
	for i in "${!names[@]}"; do
		[ "${RQ_CODE[i]}" = "${wants[i]}" ] || fail "${names[i]}: got ${RQ_CODE[i]}, want ${wants[i]}"
		check_headers "$T/rq.$i.h"
	done
	printf -v i '%s; ' "${names[@]}"
	[ "$(count_records)" = 0 ] || fail "one of these stored something: ${i%; }"
	names=() wants=()
}
curl -s -o "$T/form" "$URL/report"; tok=$(csrf_of "$T/form")
head -c 200000 /dev/urandom > "$T/big"
head -c 1000 /dev/urandom > "$T/small"

# Every request below is queued, sent by one curl (expects_run, after the
# last), then each answer checked, in the order of the requests, by the
# checks each had: $B and $H name a request's body and headers, kept in a
# variable of its own where a check reads them.

# 404 / 405 (with Allow)
expect 404 "unknown path" "$URL/admin"
expect 404 "path traversal" --path-as-is "$URL/static/../../etc/passwd"
expect 405 "DELETE" -X DELETE "$URL/report"; h_delete=$H
expect 405 "POST to a GET page" --data "a=b" "$URL/transparency"; h_getpage=$H
expect 405 "GET on a POST-only path" "$URL/followup/message"
expect 405 "PUT" -X PUT --data "a=b" "$URL/report"

# 415
expect 415 "text/plain" -H 'Content-Type: text/plain' --data 'x' "$URL/report"
expect 415 "json" -H 'Content-Type: application/json' --data '{}' "$URL/followup"
expect 415 "no content type" -H 'Content-Type:' --data 'x' "$URL/report"

# 413: a report declared or streamed too large gets its form back naming
# the file (e2e 42); a receipt form too large, the plain 413 page
expect 413 "declared over --max-upload" -F "csrf=$tok" -F "file=@$T/big" "$URL/report"; b_declared=$B
expect 413 "chunked over --max-upload" -H 'Transfer-Encoding: chunked' -F "csrf=$tok" -F "file=@$T/big" "$URL/report"; b_chunked=$B
expect 413 "receipt form over --max-upload" -F "csrf=$tok" -F "receipt=<$T/big" "$URL/followup"; b_receipt=$B

# 400: malformed bodies
expect 400 "broken multipart" -H 'Content-Type: multipart/form-data; boundary=XX' \
	--data-binary $'--XX\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nabc\r\n--XX\r\nGarbage' "$URL/report"
expect 400 "multipart without boundary" -H 'Content-Type: multipart/form-data' --data-binary 'x' "$URL/report"
expect 400 "unknown field" --data "csrf=$tok&evil=1" "$URL/report"
expect 400 "field twice" --data "csrf=$tok&what=a&what=b" "$URL/report"
expect 400 "file in the receipt form" -F "csrf=$tok" -F "file=@$T/small" "$URL/followup"
expect 400 "text field sent as a file" -F "csrf=$tok" -F "what=@$T/small" "$URL/report"
expect 400 "reviewer choice after a file" -F "csrf=$tok" -F "file=@$T/small" -F "reviewer=" "$URL/report"; b_after=$B

# 403: a file before a valid anti-forgery token (nothing is sealed)
expect 403 "file without token" -F "file=@$T/small" "$URL/report"
expect 403 "file with forged token" -F "csrf=0000000000000000.00000000000000000000000000000000" -F "file=@$T/small" "$URL/report"
# the token with its last character changed (bash's, as sed's was)
bad=${tok%?}0; [ "$bad" = "$tok" ] && bad=${tok%?}1
expect 403 "text form with a changed token" --data "csrf=$bad&category=recording&what=x&risk=no&raised_before=no" "$URL/report"; b_token=$B

# 400: validation re-renders the form with messages; input kept and escaped
expect 400 "missing fields" --data-urlencode "csrf=$tok" --data-urlencode 'team=<script>alert(1)</script>' \
	--data-urlencode 'when=2024-13' "$URL/report"; b_missing=$B
expect 400 "control character" --data-urlencode "csrf=$tok" --data-urlencode 'category=recording' \
	--data-urlencode $'what=bad\x01byte' --data-urlencode risk=no --data-urlencode raised_before=no "$URL/report"; b_control=$B
expect 400 "invalid UTF-8" --data "csrf=$tok&category=recording&what=%C3%28&risk=no&raised_before=no" "$URL/report"
# 1..60, a line each (as seq wrote them)
printf -v refs '%s\n' {1..60}
expect 400 "too many references" --data-urlencode "csrf=$tok" --data-urlencode category=recording \
	--data-urlencode what=x --data-urlencode risk=no --data-urlencode raised_before=no \
	--data-urlencode "refs=${refs%$'\n'}" "$URL/report"; b_refs=$B
expect 400 "unknown category" --data "csrf=$tok&category=nope&what=x&risk=no&raised_before=no" "$URL/report"
# the reviewers: any non-empty set of those offered, each once (issue 12)
ok="category=recording&what=kept%20text&risk=no&raised_before=no"
a=$(kid_of alice "$T/form"); b=$(kid_of bob "$T/form")
[ -n "$a" ] && [ -n "$b" ] || fail "the form offers no choice of alice and bob"
has "$T/form" 'name="choice" value="1"' || fail "the form does not mark that it offered a choice"
grep -q "id=\"reviewer-$a\"[^>]* checked" "$T/form" || fail "alice not ticked at first"
revs=("reviewer=0011223344556677" "choice=1" "choice=1&reviewer=$a&reviewer=$a"
	"reviewer=$a&reviewer=" "reviewer=${a}00" "reviewer=${a^^}"
	"choice=2&reviewer=$a" "reviewer=$a&reviewer=$b&reviewer=$a")
b_revs=()
for bad in "${revs[@]}"; do
	expect 400 "reviewers $bad" --data "csrf=$tok&$bad&$ok" "$URL/report"; b_revs+=("$B")
done
# an empty set comes back with nobody ticked, as the reporter left it
expect 400 "no reviewer ticked" --data "csrf=$tok&choice=1&$ok" "$URL/report"; b_none=$B
expect 400 "one ticked, one unknown" --data "csrf=$tok&choice=1&reviewer=$b&reviewer=0011223344556677&$ok" "$URL/report"; b_one=$B
expect 400 "risk not yes/no" --data "csrf=$tok&category=recording&what=x&risk=maybe&raised_before=no" "$URL/report"

# a message without a session is refused
expect 403 "message without session" -F "csrf=$tok" -F "text=hi" "$URL/followup/message"
expects_run

# what each page says
has -i "$h_delete" '^Allow: GET, HEAD, POST' || fail "405 without Allow"
grep -qi '^Allow: GET, HEAD'$'\r'"\$" "$h_getpage" || fail "405 Allow wrong for a GET page"
has "$b_declared" '“big” is too large' || fail "413 form does not name the file"
has "$b_chunked" '“big” is too large' || fail "chunked 413 form does not name the file"
has "$b_receipt" 'Too large' || fail "413 page not readable"
has "$b_after" 'not right' || fail "400 page not readable"
has "$b_token" 'expired or did not come from this site' || fail "no csrf message"
has "$b_token" '>x</textarea>' || fail "input not kept after a token failure"
has "$b_token" '<title>Error: ' || fail "token failure page title does not start with Error:"
has "$b_missing" 'Please choose what your concern is about' || fail "no category message"
has "$b_missing" 'Please say what happened' || fail "no what message"
has "$b_missing" 'Please give the month as YYYY-MM' || fail "no month message"
has "$b_missing" 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' || fail "team not kept or not escaped"
if has "$b_missing" '<script>'; then fail "unescaped input"; fi
has "$b_missing" '<title>Error: ' || fail "a form sent back with problems does not say so in its title"
has "$b_control" 'Please say what happened' || fail "control character accepted"
has "$b_refs" 'at most 50 references' || fail "refs limit message"
for i in "${!revs[@]}"; do
	bad=${revs[i]}
	has "${b_revs[i]}" 'Please tick at least one reviewer from the list' || fail "no reviewer message for $bad"
	has "${b_revs[i]}" '>kept text</textarea>' || fail "text not kept after reviewers $bad"
	has "${b_revs[i]}" 'href="#readers"' || fail "the error summary does not lead to the choice ($bad)"
done
if grep -q 'name="reviewer"[^>]* checked' "$b_none"; then fail "an empty choice came back ticked"; fi
grep -q "id=\"reviewer-$b\"[^>]* checked" "$b_one" || fail "bob's tick not kept"
if grep -q "id=\"reviewer-$a\"[^>]* checked" "$b_one"; then fail "alice came back ticked"; fi

# the store agrees: nothing at all was accepted
"$BIN/candour-intake" status --db "$DB" > "$T/status" || fail "status failed"
grep -qx 'records: 0' "$T/status" || fail "status after bad input: $(cat "$T/status")"

# 503: the global budget (3 a minute) is spent; a kind page with Retry-After
# (a valid concern each, as submit_concern sends, by one curl; the form's
# token is good for an hour or two)
valid=(-F "csrf=$tok" -F category=recording -F risk=no -F raised_before=no)
for i in 1 2 3; do req "${valid[@]}" -F "what=budget $i" "$URL/report"; done
reqs_run
for i in 1 2 3; do
	[ "${RQ_CODE[i - 1]}" = 200 ] || fail "budget submission $i gave ${RQ_CODE[i - 1]}"
done
n=$(count_records)
[ "$n" = 3 ] || fail "expected 3 records, have $n"
req "${valid[@]}" -F "what=over budget" "$URL/report"; reqs_run
[ "${RQ_CODE[0]}" = 503 ] || fail "over budget gave ${RQ_CODE[0]}"
check_headers "$T/rq.0.h"
has -i "$T/rq.0.h" '^Retry-After: ' || fail "503 without Retry-After"
has "$T/rq.0" 'Nothing was stored and no receipt' || fail "503 page not kind"
if has "$T/rq.0" 'class="receipt"'; then fail "a receipt on a 503"; fi
[ "$(count_records)" = 3 ] || fail "over-budget submission stored"

"$BIN/candour-intake" status --db "$DB" > "$T/status" || fail "status failed"
grep -qx 'records: 3' "$T/status" || fail "status does not say 3: $(cat "$T/status")"
stop_intake
echo "bad input OK"
