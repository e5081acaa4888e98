#!/usr/bin/env bash
# The reporter's side of issue 12, in both languages:
# - "a child in danger now: call 999" and the deployment's out-of-hours
#   number (contacts file) on the home page and at the top of the form;
# - the form states the largest upload (--max-upload, --max-upload's own
#   figure, not a constant); a report or a follow-up message over it comes
#   back with its text and the name of the file that was too large, and
#   nothing is stored; a receipt form over it is a plain 413;
# - "Leave this site" goes off the site (--leave-url, default BBC weather)
#   with rel=noreferrer; with a session, through /leave, which ends it;
#   serve refuses a --leave-url that is not a plain https:// address;
# - the receipt advice (paper or a password manager, no screenshot) and no
#   language link on the receipt page (it would lose the receipt).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"

# ---- --leave-url refused unless a plain https:// address (exit 2) -------
mkdir -p "$T/k0"
for bad in 'http://example.org/' '/leave' 'javascript:alert(1)' 'https://' 'https:///x' \
	'https://a.example/"x' 'https://a.example/<x>' 'https://a.example/ x' \
	"https://a.example/$(printf 'x%.0s' $(seq 1 200))" 'https://a.example/'$'\r\n''Set-Cookie: x=1'; do
	set +e
	"$BIN/candour-intake" serve --db "$T/k0/i.db" --keys "$T/k0" --leave-url "$bad" 2>"$T/err" >/dev/null
	rc=$?
	set -e
	[ "$rc" = 2 ] || fail "--leave-url '$bad' exited $rc, want 2"
	[ "$(wc -l < "$T/err")" = 1 ] && grep -q -- '--leave-url' "$T/err" || fail "--leave-url '$bad': $(cat "$T/err")"
done
[ ! -e "$T/k0/i.db" ] || fail "a refused serve made a database"
"$BIN/candour-intake" serve --help | grep -q -- '--leave-url URL' || fail "--help does not list --leave-url"

start_intake --max-upload 2000000 --leave-url 'https://weather.example/today?x=1&y=2'

# ---- danger block: home and form, both languages ------------------------
for lang in en cy; do
	for p in / /report; do
		curl -s -o "$T/p" "$URL/$lang$p"
		[ "$lang" = en ] && want='If a child is in danger now, call' || want='Os yw plentyn mewn perygl nawr, ffoniwch'
		grep -q "$want <a href=\"tel:999\">999</a>" "$T/p" || fail "/$lang$p: no 999 line"
		has "$T/p" 'href="tel:03069990123"' || fail "/$lang$p: no out-of-hours link"
		grep -q $'0306\xc2\xa0999\xc2\xa00123' "$T/p" || fail "/$lang$p: out-of-hours number not shown"
		grep -q $'0300\xc2\xa0000' "$T/p" && fail "/$lang$p: the placeholder number shows"
		# at the top: before the form's first field, before the home page's steps
		awk '/danger-title/{d=NR} /<form|<ol>/{if(!f)f=NR} END{exit !(d && (!f || d < f))}' "$T/p" ||
			fail "/$lang$p: the danger block is not at the top"
	done
	# not on the other pages (it belongs where someone is about to write)
	curl -s "$URL/$lang/transparency" | grep -q 'danger-title' && fail "/$lang/transparency has the danger block"
done

# ---- the form states the largest upload, from --max-upload ---------------
curl -s -o "$T/p" "$URL/en/report"
has "$T/p" 'You can send at most 2 MB in all (your text and files together), and at most 32 files.' ||
	fail "the form does not state the limit: $(grep -o 'id="file-max">[^<]*' "$T/p")"
has "$T/p" 'aria-describedby="file-hint file-max"' || fail "the file input is not described by the limit"
curl -s "$URL/cy/report" | grep -q 'Gallwch anfon hyd at 2 MB i gyd' || fail "the Welsh form does not state the limit"

# ---- a report over the limit: the text comes back, the file is named -----
head -c 2500000 /dev/urandom > "$T/holiday video.mp4"
head -c 1000 /dev/urandom > "$T/small.pdf"
curl -s -o "$T/form" "$URL/en/report"; tok=$(csrf_of "$T/form")
what='The strategy meeting for the Ashby family was never held & <nobody> asked why.'
for mode in declared chunked; do
	te=(); [ $mode = chunked ] && te=(-H 'Transfer-Encoding: chunked')
	code=$(curl -s "${te[@]}" -o "$T/p" -w '%{http_code}' -F "csrf=$tok" -F category=recording \
		-F "team=Duty & assessment" -F "what=$what" -F when=2026-11 -F "refs=CP-20931" \
		-F risk=no -F raised_before=yes -F "raised_with=My manager" \
		-F "file=@$T/small.pdf" -F "file=@$T/holiday video.mp4" "$URL/en/report")
	[ "$code" = 413 ] || fail "$mode: a report over the limit got $code, want 413"
	has "$T/p" '<title>Error: ' || fail "$mode: the title does not say Error"
	has "$T/p" 'The file “holiday video.mp4” is too large: this site accepts at most 2 MB in all.' ||
		fail "$mode: the file that was too large is not named"
	has "$T/p" 'The strategy meeting for the Ashby family was never held &amp; &lt;nobody&gt; asked why.' ||
		fail "$mode: the text did not come back (escaped)"
	has "$T/p" 'value="Duty &amp; assessment"' || fail "$mode: the team did not come back"
	has "$T/p" 'value="2026-11"' || fail "$mode: the month did not come back"
	has "$T/p" '>CP-20931</textarea>' || fail "$mode: the references did not come back"
	has "$T/p" 'id="raised_yes" name="raised_before" value="yes" checked' || fail "$mode: the answer did not come back"
	has "$T/p" 'value="My manager"' || fail "$mode: raised_with did not come back"
	has "$T/p" 'class="receipt"' && fail "$mode: a receipt was shown"
	[ "$(count_records)" = 0 ] || fail "$mode: something was stored"
done
# in Welsh, the message is Welsh and names the file
curl -s -o "$T/form" "$URL/cy/report"; tok=$(csrf_of "$T/form")
code=$(curl -s -o "$T/p" -w '%{http_code}' -F "csrf=$tok" -F "what=$what" -F "file=@$T/holiday video.mp4" "$URL/cy/report")
[ "$code" = 413 ] && has "$T/p" 'Mae&#39;r ffeil “holiday video.mp4” yn rhy fawr' ||
	fail "Welsh over-limit page: $code"
# the same report under the limit is taken (the limit is not off by a mile)
code=$(submit_concern "$T/ok" -F "what=$what" -F "file=@$T/small.pdf")
[ "$code" = 200 ] && [ "$(count_records)" = 1 ] || fail "a report under the limit got $code"
R=$(receipt_of "$T/ok")
# a receipt form over the limit is still a plain 413 page (no text to keep)
{ printf 'csrf=%s&receipt=' "$tok"; head -c 2100000 /dev/zero | tr '\0' A; } > "$T/rbody"
code=$(curl -s -o "$T/p" -w '%{http_code}' --data-binary "@$T/rbody" "$URL/en/followup")
[ "$code" = 413 ] && has "$T/p" 'Too large' || fail "receipt form over the limit: $code"
# a body declared far past what is read for its text: 413 at once, unread
python3 - "$URL" <<'PY' || fail "a huge declared body was not refused at once"
import socket, sys, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
s = socket.create_connection((u.hostname, u.port), timeout=5)
s.sendall(b"POST /report HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
          b"Content-Length: 99999999999\r\n\r\n")
head = s.recv(4096).decode("latin-1")
sys.exit(0 if head.startswith("HTTP/1.1 413") else 1)
PY

# ---- a follow-up message over the limit: its text comes back -------------
followup_page "$R" "$T/fp"
tok=$(csrf_of "$T/fp")
has "$T/fp" 'id="file-max">You can send at most 2 MB' || fail "the follow-up form does not state the limit"
code=$(curl -s -b "$T/jar" -o "$T/p" -w '%{http_code}' -F "csrf=$tok" -F "text=Also the $what" \
	-F "file=@$T/holiday video.mp4" "$URL/en/followup/message")
[ "$code" = 413 ] || fail "a message over the limit got $code"
has "$T/p" '“holiday video.mp4” is too large' || fail "the message page does not name the file"
has "$T/p" 'Also the The strategy meeting' || fail "the message text did not come back"
[ "$(count_records)" = 1 ] || fail "the message over the limit was stored"

# ---- leave: off the site, rel=noreferrer; with a session via /leave ------
curl -s -o "$T/p" "$URL/en/"
has "$T/p" '<a class="leave" href="https://weather.example/today?x=1&amp;y=2" rel="noreferrer">Leave this site</a>' ||
	fail "without a session the leave link does not go straight off the site"
has "$T/fp" 'href="https://weather.example/today?x=1&amp;y=2" rel="noreferrer"' && fail "with a session the leave link skips /leave"
has "$T/p" '<a class="leave" href="/en/leave" rel="noreferrer">' && fail "no session, yet the link goes through /leave"
curl -s -b "$T/jar" "$URL/en/followup" | grep -q '<a class="leave" href="/en/leave" rel="noreferrer">' ||
	fail "with a session the leave link does not go through /leave"
code=$(curl -s -b "$T/jar" -D "$T/h" -o /dev/null -w '%{http_code}' "$URL/en/leave")
[ "$code" = 303 ] || fail "/leave gave $code"
grep -qi '^Location: https://weather.example/today?x=1&y=2'$'\r'"\$" "$T/h" || fail "/leave does not send the browser off the site"
has -i "$T/h" '^Referrer-Policy: no-referrer' || fail "/leave without Referrer-Policy"
has -i "$T/h" '^Set-Cookie: candour_s=; Path=/; Max-Age=0' || fail "/leave did not clear the cookie"
curl -s -b "$T/jar" "$URL/en/followup" | grep -q 'name="receipt"' || fail "the session survived /leave"
stop_intake

# the default: a neutral page off the site
rm -rf "$T/data"
start_intake
curl -s -D "$T/h" -o /dev/null "$URL/leave"
grep -qi '^Location: https://www.bbc.co.uk/weather'$'\r'"\$" "$T/h" || fail "the default leave page is not BBC weather"

# ---- the receipt page: advice for a phone, no language link --------------
for lang in en cy; do
	curl -s -o "$T/form" "$URL/$lang/report"; tok=$(csrf_of "$T/form")
	curl -s -o "$T/p" -F "csrf=$tok" -F category=recording -F "what=$what" -F risk=no \
		-F raised_before=no "$URL/$lang/report"
	[ -n "$(receipt_of "$T/p")" ] || fail "$lang: no receipt"
	has "$T/p" 'hreflang=' && fail "$lang: the receipt page links to the other language (it would lose the receipt)"
	if [ $lang = en ]; then
		has "$T/p" 'password manager' && has "$T/p" 'Do not take a screenshot' &&
			has "$T/p" 'no link to the Welsh version' || fail "en: receipt advice"
		has "$T/p" 'photograph the code' && fail "en: the old advice to photograph the receipt"
	else
		has "$T/p" 'rheolwr cyfrineiriau' && has "$T/p" 'llun sgrin' &&
			has "$T/p" 'fersiwn Saesneg' || fail "cy: receipt advice"
	fi
	# every other page keeps its language link
	curl -s "$URL/$lang/report" | grep -q 'hreflang=' || fail "$lang: the form lost its language link"
done
echo "ok"
