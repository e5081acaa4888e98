#!/usr/bin/env bash
# Disk use is bounded without tracking anyone (issue 9):
# - a global upload byte budget a minute (--disk-budget): past it, a
#   submission or a follow-up message gets 503 with its form back, holding
#   what the reporter wrote, and nothing is stored (no receipt, no record);
# - a floor of free disk space (--min-free): below it the intake is full,
#   new concerns get 503 with their form and text back, and the
#   transparency page says the intake is full.
# Also: a bad --disk-budget or --min-free is refused with one line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"

mkdir -p "$T/keys0"
rc=0; "$BIN/candour-intake" serve --db "$T/x.db" --keys "$T/keys0" --disk-budget 10 \
	2> "$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q -- '--disk-budget takes' "$T/err" || fail "bad --disk-budget: rc $rc $(cat "$T/err")"
rc=0; "$BIN/candour-intake" serve --db "$T/x.db" --keys "$T/keys0" --min-free -1 \
	2> "$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q -- '--min-free takes' "$T/err" || fail "bad --min-free: rc $rc"
rc=0; "$BIN/candour-intake" serve --db "$T/x.db" --keys "$T/keys0" --max-upload 1000000 \
	--disk-budget 65536 --user nobody 2> "$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q -- 'at least --max-upload' "$T/err" || fail "budget below max-upload: rc $rc"
"$BIN/candour-intake" serve --help | grep -q -- '--disk-budget BYTES' || fail "--help lacks --disk-budget"
"$BIN/candour-intake" serve --help | grep -q -- '--min-free BYTES' || fail "--help lacks --min-free"

# ---- the byte budget: 64 KiB a minute, files of 40 KB
start_intake --max-upload 65536 --disk-budget 65536
head -c 40000 /dev/urandom > "$T/f"
code=$(submit_concern "$T/c1" -F "what=the first fits" -F "file=@$T/f")
[ "$code" = 200 ] || fail "first submission gave $code"
R=$(receipt_of "$T/c1")
code=$(submit_concern "$T/c2" -F "what=Second <concern> text, kept" -F "team=Night shift" -F "file=@$T/f")
[ "$code" = 503 ] || fail "over the byte budget gave $code"
check_headers "$T/c2.h"
grep -qi '^Retry-After:' "$T/c2.h" || fail "no Retry-After"
if grep -q 'class="receipt"' "$T/c2"; then fail "a receipt although nothing was stored"; fi
grep -q 'no receipt was made' "$T/c2" || fail "the 503 page does not say no receipt was made"
grep -q 'Second &lt;concern&gt; text, kept</textarea>' "$T/c2" || fail "the text was not given back"
grep -q 'value="Night shift"' "$T/c2" || fail "the team was not given back"
grep -q 'choose them again' "$T/c2" || fail "the page does not ask for the files again"
grep -q 'name="csrf"' "$T/c2" || fail "the form given back cannot be sent again"
[ "$(count_records)" = 1 ] || fail "a record appeared over the budget"
# a follow-up message with a file over the budget: 503, the message back
rm -f "$T/jar"
curl -s -c "$T/jar" -o "$T/e" "$URL/followup"
curl -s -c "$T/jar" -b "$T/jar" -o /dev/null --data-urlencode "csrf=$(csrf_of "$T/e")" \
	--data-urlencode "receipt=$R" "$URL/followup"
curl -s -b "$T/jar" -o "$T/fp" "$URL/followup"
code=$(curl -s -b "$T/jar" -D "$T/m.h" -o "$T/m" -w '%{http_code}' -F "csrf=$(csrf_of "$T/fp")" \
	-F "text=More detail & dates" -F "file=@$T/f" "$URL/followup/message")
[ "$code" = 503 ] || fail "a message over the byte budget gave $code"
grep -q 'More detail &amp; dates</textarea>' "$T/m" || fail "the message text was not given back"
grep -q 'Nothing was stored' "$T/m" || fail "the message page does not say nothing was stored"
[ "$(count_records)" = 1 ] || fail "a follow-up was stored over the budget"
stop_intake

# ---- the free-space floor: a floor above any disk, so the intake is full
start_intake --min-free 1125899906842624
curl -s -o "$T/tp" "$URL/transparency"
grep -q 'class="notice full"' "$T/tp" || fail "transparency does not say the intake is full"
code=$(submit_concern "$T/c3" -F "what=While full, my words stay")
[ "$code" = 503 ] || fail "a submission while full gave $code"
grep -q 'While full, my words stay</textarea>' "$T/c3" || fail "the text was not given back while full"
grep -q 'site is full' "$T/c3" || fail "the page does not say the site is full"
if grep -q 'choose them again' "$T/c3"; then fail "files asked for again though none was chosen"; fi
code=$(submit_concern "$T/c3f" -F "what=While full, with a file" -F "file=@$T/f")
[ "$code" = 503 ] || fail "a submission with a file while full gave $code"
grep -q 'choose them again' "$T/c3f" || fail "full: the page does not ask for the chosen file again"
if grep -q 'class="receipt"' "$T/c3"; then fail "a receipt while full"; fi
[ "$(count_records)" = 1 ] || fail "a record appeared while full"
stop_intake

# ---- the submission budget spent: the form comes back with the text too
start_intake --budget 1
code=$(submit_concern "$T/c5" -F "what=uses the one token")
[ "$code" = 200 ] || fail "the budget's one submission gave $code"
code=$(submit_concern "$T/c6" -F "what=Over budget, still mine")
[ "$code" = 503 ] || fail "over the submission budget gave $code"
grep -q 'Over budget, still mine</textarea>' "$T/c6" || fail "the text was not given back over the budget"
grep -q 'site is busy' "$T/c6" || fail "the page does not say the site is busy"
if grep -q 'choose them again' "$T/c6"; then fail "busy: files asked for again though none was chosen"; fi
stop_intake

# ---- and with the default floor (this disk has room), not full
start_intake
curl -s -o "$T/tp" "$URL/transparency"
if grep -q 'class="notice full"' "$T/tp"; then fail "transparency says full with room"; fi
code=$(submit_concern "$T/c4" -F "what=room again")
[ "$code" = 200 ] || fail "a submission with room gave $code"
stop_intake
echo "disk budget OK"
