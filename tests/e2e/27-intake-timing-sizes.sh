#!/usr/bin/env bash
# Issue 9 item 3 with the real server: nothing in timing or sizes says who
# or when. /transparency does not move when a record commits (it shows the
# chain as of the end of yesterday, UTC) while status prints both; the
# receipt page has one length whatever the risk answer and the receipt;
# a field holding a NUL or a control character gets 400 and the form back
# with what the reporter typed, and nothing is stored.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
start_intake
IN="$BIN/candour-intake"
yesterday=$(date -u -d yesterday +%F)
genesis=$("$IN" status --db "$DB" | sed -n 's/^chain head: //p')

# refusals first: NUL in the category, an escape in the team, a NUL in
# the risk answer; each 400, the form back with the text, nothing stored
curl -s -o "$T/form.html" "$URL/report"
tok=$(csrf_of "$T/form.html")
n=0
for bad in 'category=other%00%3Cscript%3E' 'team=A%1B%5B2J' 'risk=yes%00'; do
	n=$((n + 1))
	data="csrf=$tok&what=Kept-text-$n&${bad}"
	for d in category=recording risk=no raised_before=no; do
		[ "${d%%=*}" = "${bad%%=*}" ] || data="$data&$d"
	done
	code=$(curl -s -o "$T/r$n" -w '%{http_code}' --data-binary "$data" \
		-H 'Content-Type: application/x-www-form-urlencoded' "$URL/report")
	[ "$code" = 400 ] || fail "$bad gave $code"
	grep -q "Kept-text-$n" "$T/r$n" || fail "$bad: the form did not come back with the text"
	grep -q 'name="csrf"' "$T/r$n" || fail "$bad: no form in the answer"
	if grep -q '<script' "$T/r$n"; then fail "$bad: markup came back unescaped"; fi
done
[ "$(count_records)" = 0 ] || fail "a refused form was stored"

# two concerns, one per risk answer: one length, and no transparency move
for r in yes no; do
	code=$(submit_concern "$T/c-$r" -F "risk=$r" -F "what=Risk answer $r.")
	[ "$code" = 200 ] || fail "risk=$r gave $code"
	grep -qi "^Content-Length: $(wc -c < "$T/c-$r")"$'\r' "$T/c-$r.h" || fail "length header"
done
grep -q 'role="alert"' "$T/c-yes" || fail "the risk box is missing"
if grep -q 'role="alert"' "$T/c-no"; then fail "a risk box without the risk answer"; fi
[ "$(wc -c < "$T/c-yes")" = "$(wc -c < "$T/c-no")" ] ||
	fail "the receipt page's length depends on the risk answer ($(wc -c < "$T/c-yes") vs $(wc -c < "$T/c-no"))"
[ "$(count_records)" = 2 ] || fail "live count is not 2"
curl -s -o "$T/tp" "$URL/transparency"
grep -q 'class="count">0<' "$T/tp" || fail "/transparency moved when records committed"
grep -q "<code class=\"head\">$genesis</code>" "$T/tp" || fail "/transparency head is not yesterday's"
grep -q "datetime=\"$yesterday\"" "$T/tp" || fail "/transparency does not say the day it closes"
"$IN" status --db "$DB" > "$T/st"
grep -q '^records: 2$' "$T/st" || fail "status live count: $(cat "$T/st")"
live=$(sed -n 's/^chain head: //p' "$T/st")
[ "$live" != "$genesis" ] || fail "live head did not move"
grep -q "^published as of end of: $yesterday (UTC)$" "$T/st" || fail "status published date: $(cat "$T/st")"
grep -q '^published records: 0$' "$T/st" || fail "status published count"
grep -q "^published head: $genesis$" "$T/st" || fail "status published head"
echo "timing and sizes: ok"
