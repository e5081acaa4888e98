#!/usr/bin/env bash
# A message posted with a session that has ended (another entry of the same
# receipt replaced it, or no session at all) is refused with 403 and nothing
# stored, but the page gives the reporter's text back, escaped (a hostile
# text comes back inert), with the line saying what to do, in English and
# Welsh: a refusal never loses what was written (issue 14; flood.py
# requires it of every refusal under load).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
start_intake

code=$(submit_concern "$T/c" -F "what=Something happened.")
[ "$code" = 200 ] || fail "submission gave $code"
R=$(receipt_of "$T/c")
before=$(count_records)
TEXT='<script>alert(1)</script> & "the second week" <b>'
ESC='&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;the second week&quot; &lt;b&gt;'

# ended LANG LINE: a session for R (jar $T/old), then a second entry of R
# ends it; the message posted with the old one is refused, text given back.
ended() {
	local pre=$1 line=$2
	followup_page "$R" "$T/f"
	cp "$T/jar" "$T/old"
	local tok; tok=$(csrf_of "$T/f") || fail "$pre: no follow-up form"
	followup_page "$R" "$T/f2"
	code=$(curl -s -D "$T/h" -o "$T/p" -w '%{http_code}' -b "$T/old" -F "csrf=$tok" \
		--form-string "text=$TEXT" "$URL$pre/followup/message")
	[ "$code" = 403 ] || fail "$pre: message with an ended session gave $code"
	check_headers "$T/h"
	has "$T/p" "<textarea id=\"kept\" rows=\"8\" readonly aria-describedby=\"kept-hint\">$ESC</textarea>" ||
		fail "$pre: the text is not given back, escaped: $(grep -A1 'id="kept"' "$T/p")"
	if has "$T/p" '<script>' || has "$T/p" '<b>'; then fail "$pre: the text came back unescaped"; fi
	has "$T/p" "$line" || fail "$pre: no line saying what to do"
	has "$T/p" 'name="receipt"' || fail "$pre: not the receipt form"
}
ended "" "Your message was not sent and nothing was stored."
ended /cy "Ni anfonwyd eich neges ac ni chadwyd dim."
has "$T/p" '<html lang="cy">' || fail "the Welsh refusal is not in Welsh"

# no session at all: the same
curl -s -o "$T/e" "$URL/followup"; tok=$(csrf_of "$T/e")
code=$(curl -s -o "$T/p" -w '%{http_code}' -F "csrf=$tok" --form-string "text=$TEXT" "$URL/followup/message")
[ "$code" = 403 ] || fail "message without a session gave $code"
has "$T/p" ">$ESC</textarea>" || fail "the text is not given back without a session"
# the receipt form alone shows no empty box
if has "$T/e" 'id="kept"'; then fail "the receipt form shows the kept-text box unasked"; fi

[ "$(count_records)" = "$before" ] || fail "a refused message was stored"
echo "session ended: text given back, escaped, en and cy; nothing stored"
