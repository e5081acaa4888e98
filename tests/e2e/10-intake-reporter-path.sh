#!/usr/bin/env bash
# The reporter's whole path with curl: form -> receipt -> follow-up -> add a
# message; wrong and mistyped receipts get different messages; leave ends
# the session; every response carries the security headers.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
start_intake

# pages (by one curl, lib.sh's req; each checked as its own curl's was,
# the page read by bash: the greps' patterns, a line at a time, as bash
# regular expressions that cross no newline)
pages=(/ /report /followup /transparency /static/style.css)
for p in "${pages[@]}"; do req "$URL$p"; done
reqs_run
nl=$'\n'
ext="(src|<link[^>$nl]*href)=\"https?://"
off="<a [^>$nl]*href=\"https?://[^\"$nl]*\"[^>$nl]*>"
for i in "${!pages[@]}"; do
	p=${pages[i]}
	[ "${RQ_CODE[i]}" = 200 ] || fail "GET $p gave ${RQ_CODE[i]}"
	check_headers "$T/rq.$i.h"
	if has -i "$T/rq.$i" '<script'; then fail "script tag on $p"; fi
	IFS= read -r -d '' b < "$T/rq.$i" || true
	shopt -s nocasematch
	if [[ $b =~ $ext ]]; then fail "external resource on $p"; fi
	shopt -u nocasematch
	# the one link off the site: "Leave this site", never leaking this address
	bad=
	while [[ $b =~ $off ]]; do
		m=${BASH_REMATCH[0]}
		b=${b#*"$m"}
		[[ $m =~ class=\"leave\"\ .*rel=\"noreferrer\" ]] || { echo "$m"; bad=1; }
	done
	[ -z "$bad" ] || fail "a link off the site on $p"
done
has "$T/rq.4.h" 'Content-Type: text/css' || fail "CSS served with the wrong type"
[ "$(count_records)" = 0 ] || fail "fresh intake not empty"

# submit a concern with two references and an attachment
printf 'attachment bytes\n' > "$T/a.txt"
code=$(submit_concern "$T/c" -F team="Team A" -F "what=The referral was closed." -F when=2024-03 \
	-F $'refs=REF/2024/00001\nPPN-123456' -F risk=yes -F raised_with=manager -F "file=@$T/a.txt")
[ "$code" = 200 ] || fail "submission gave $code: $(head -c 400 "$T/c")"
check_headers "$T/c.h" receipt
R=$(receipt_of "$T/c")
[[ "$R" =~ ^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$ ]] || fail "no grouped receipt on the confirmation: '$R'"
# the QR code is a PNG inside the page (Tor Browser "Safest" blocks SVG)
# and decodes to the receipt; nothing else on the page is an image
if has "$T/c" '<svg'; then fail "SVG on the receipt page"; fi
grep -o 'src="data:image/png;base64,[A-Za-z0-9+/=]*"' "$T/c" | sed 's/^src="data:image\/png;base64,//; s/"$//' \
	| base64 -d > "$T/qr.png" || fail "no PNG QR on the receipt page"
[ "$(grep -c '<img' "$T/c")" = 1 ] || fail "more than the QR image on the receipt page"
if command -v zbarimg > /dev/null; then
	[ "$(zbarimg -q --raw "$T/qr.png")" = "$R" ] || fail "the QR PNG does not decode to the receipt"
fi
has "$T/c" '999' || fail "risk=yes but no emergency numbers"
[ "$(count_records)" = 1 ] || fail "count is not 1 after a submission"

# follow-up: receipt in lower case with spaces is the same receipt
curl -s -c "$T/jar" -o "$T/e" "$URL/followup"
tok=$(csrf_of "$T/e")
messy=$(echo "$R" | tr 'A-Z-' 'a-z ')
code=$(curl -s -c "$T/jar" -b "$T/jar" -D "$T/h" -o /dev/null -w '%{http_code}' \
	--data-urlencode "csrf=$tok" --data-urlencode "receipt=$messy" "$URL/followup")
[ "$code" = 303 ] || fail "receipt entry gave $code"
check_headers "$T/h"
grep -qi '^Set-Cookie: candour_s=[0-9a-f]\{64\}; Path=/; Max-Age=900; HttpOnly; SameSite=Strict' "$T/h" \
	|| fail "session cookie attributes wrong: $(grep -i set-cookie "$T/h")"
curl -s -b "$T/jar" -o "$T/f" "$URL/followup"
has "$T/f" '<dd>Received</dd>' || fail "status not shown"
has "$T/f" 'No replies yet' || fail "replies section missing"
if has "$T/f" 'This concern is closed'; then fail "an open concern is said to be closed"; fi

# add a message with a file
tok=$(csrf_of "$T/f")
code=$(curl -s -b "$T/jar" -D "$T/h" -o "$T/s" -w '%{http_code}' -F "csrf=$tok" \
	-F "text=More detail." -F "file=@$T/a.txt" "$URL/followup/message")
[ "$code" = 200 ] || fail "message gave $code"
has "$T/s" 'message has been received' || fail "no sent page"
[ "$(count_records)" = 2 ] || fail "follow-up not counted"
curl -s -b "$T/jar" "$URL/followup" | grep -q '<dt>Messages you added</dt><dd>1</dd>' || fail "message count"

# a message without any text or file is refused and the form comes back
tok=$(csrf_of "$T/f")
code=$(curl -s -b "$T/jar" -o "$T/s" -w '%{http_code}' -F "csrf=$tok" -F "text=  " "$URL/followup/message")
[ "$code" = 400 ] || fail "empty message gave $code"
has "$T/s" 'aria-describedby="text-error" aria-invalid="true"' || fail "message error not tied to its field"
has "$T/s" 'id="text-error"' || fail "message error missing"
has "$T/s" '<title>Error: ' || fail "message form with a problem does not say Error: in its title"
[ "$(count_records)" = 2 ] || fail "empty message stored"

# mistyped receipt (one character changed) vs well-formed unknown receipt
c0=${R:0:1}; [ "$c0" = 7 ] && sub=8 || sub=7
typo="$sub${R:1}"
curl -s -o "$T/e" "$URL/followup"; tok=$(csrf_of "$T/e")
# the five entries below by one curl (lib.sh's req), then checked in turn
fars=(ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ ABCD-EFGH-JKMN-PQRS-TVWX)
for r in "$typo" "${fars[@]}" "not a receipt" '"><b>x'; do
	req --data-urlencode "csrf=$tok" --data-urlencode "receipt=$r" "$URL/followup"
done
reqs_run
[ "${RQ_CODE[0]}" = 400 ] || fail "typo gave ${RQ_CODE[0]}"
has "$T/rq.0" 'one character seems to be wrong' || fail "typo message missing"
has "$T/rq.0" "value=\"$typo\"" || fail "the mistyped receipt is not kept in the field"
# well-formed but no single slip away: not "one character", and kept too
for i in 1 2; do
	far=${fars[i - 1]}
	[ "${RQ_CODE[i]}" = 400 ] || fail "$far gave ${RQ_CODE[i]}"
	has "$T/rq.$i" 'This is not a receipt from this site' || fail "$far: not-from-this-site message missing"
	if has "$T/rq.$i" 'one character seems to be wrong'; then fail "$far: said one character is wrong"; fi
	has "$T/rq.$i" "value=\"$far\"" || fail "$far is not kept in the field"
done
[ "${RQ_CODE[3]}" = 400 ] || fail "garbage receipt gave ${RQ_CODE[3]}"
has "$T/rq.3" 'That is not a receipt' || fail "format message missing"
has "$T/rq.3" 'value="not a receipt"' || fail "the garbage is not kept in the field"
has "$T/rq.4" 'value="&quot;&gt;&lt;b&gt;x"' || fail "what was typed is not escaped in the field"

# leave: cookie cleared, session gone (the old cookie no longer works)
code=$(curl -s -b "$T/jar" -D "$T/h" -o /dev/null -w '%{http_code}' "$URL/leave")
[ "$code" = 303 ] || fail "leave gave $code"
has -i "$T/h" '^Set-Cookie: candour_s=; Path=/; Max-Age=0' || fail "leave did not clear the cookie"
curl -s -b "$T/jar" "$URL/followup" | grep -q 'Enter the receipt' || fail "session survived leave"

# a forged cookie gets the receipt form, not someone's concern
curl -s -b "candour_s=$(printf '%064d' 0)" "$URL/followup" | grep -q 'Enter the receipt' || fail "forged cookie accepted"

stop_intake
echo "reporter path OK"
