#!/usr/bin/env bash
# The reporter's voice (issue 12), the real way: reporters answer the two
# optional follow-up questions at the intake (English and Welsh pages), a
# value outside the offered ones is refused with nothing stored, the
# answers travel sealed in the follow-up (export -> import), `show` prints
# them, and the governance report counts the latest answer per concern
# with disclosure control: the small counts (1 "not treated badly", 1
# "would not speak up again", 5 not answered) are never shown, in any period.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
REPO=$(cd "$(dirname "$0")/../.." && pwd)
RV=$BIN/candour-review
export CANDOUR_RCPT_KDF=min CANDOUR_TEST_WEAK_KDF=1 # receipts are not under test here
start_intake
for i in $(seq 0 12); do
	code=$(submit_concern "$T/c$i" -F "what=Voice-sentence-$i: nobody saw the child.")
	[ "$code" = 200 ] || fail "submission $i gave $code"
	receipt_of "$T/c$i" > "$T/r$i"
	[ -s "$T/r$i" ] || fail "no receipt on page $i"
done

# the questions are on the follow-up page, in both languages
followup_page "$(cat "$T/r0")" "$T/fp0"
has "$T/fp0" 'Have you been treated badly because you raised this?' || fail "question 1 missing"
has "$T/fp0" 'Given your experience, would you speak up again?' || fail "question 2 missing"
has "$T/fp0" 'name="detriment" value="unsaid"' || fail "prefer-not-to-say missing"
has "$T/fp0" 'name="again" value="unsure"' || fail "not-sure missing"
curl -s -b "$T/jar" -o "$T/fp0cy" "$URL/cy/followup"
has "$T/fp0cy" 'Ydych chi wedi cael eich trin yn wael am i chi godi hyn?' || fail "Welsh question 1 missing"
has "$T/fp0cy" 'O ystyried eich profiad, a fyddech chi' || fail "Welsh question 2 missing"
has "$T/fp0cy" '> Nac ydw</label>' || fail "Welsh answer missing"

# refused: a value not offered, the other question's value, a repeat;
# nothing stored, the page says why beside the questions and keeps the text
tok=$(csrf_of "$T/fp0")
n0=$(count_records)
for bad in "detriment=maybe" "detriment=unsure" "again=unsaid" "again=YES"; do
	code=$(curl -s -b "$T/jar" -o "$T/s" -w '%{http_code}' -F "csrf=$tok" \
		-F "text=Kept-text" -F "$bad" "$URL/followup/message")
	[ "$code" = 400 ] || fail "$bad gave $code"
	has "$T/s" 'id="voice-error"' || fail "$bad: no error beside the questions"
	has "$T/s" 'Please choose one of the answers offered' || fail "$bad: error text"
	has "$T/s" '>Kept-text</textarea>' || fail "$bad: the message was lost"
done
code=$(curl -s -b "$T/jar" -o /dev/null -w '%{http_code}' -F "csrf=$tok" -F "detriment=yes" \
	-F "detriment=no" "$URL/followup/message")
[ "$code" = 400 ] || fail "a repeated answer gave $code"
[ "$(count_records)" = "$n0" ] || fail "a refused answer was stored"

# answers: 0-6 treated badly yes / would speak again yes (0 first says
# "no", then changes its mind: the latest counts); 7 no / no; 8-12 do not
# answer (8 writes a message without answers). 1 "no" and 5 silent are
# withheld together, so the one "no" cannot be worked out from the total.
answer() { # receipt-file answers...
	followup_page "$(cat "$1")" "$T/fp"
	local tok; tok=$(csrf_of "$T/fp"); shift
	local args=() a
	for a in "$@"; do args+=(-F "$a"); done
	code=$(curl -s -b "$T/jar" -o "$T/s" -w '%{http_code}' -F "csrf=$tok" "${args[@]}" \
		"$URL/followup/message")
	[ "$code" = 200 ] || fail "follow-up $* gave $code: $(grep -o 'class="error"[^<]*<[^<]*<[^<]*' "$T/s")"
}
answer "$T/r0" "text=Voice-message-0" "detriment=no" "again=unsure"
answer "$T/r0" "detriment=yes" "again=yes"   # answers alone are a message
for i in 1 2 3 4 5 6; do answer "$T/r$i" "text=Voice-message-$i" "detriment=yes" "again=yes"; done
answer "$T/r7" "text=Voice-message-7" "detriment=no" "again=no"
answer "$T/r8" "text=Voice-message-8"
[ "$(count_records)" = 23 ] || fail "records $(count_records), want 23"
stop_intake

"$BIN/candour-intake" export --db "$DB" --out "$T/b1" > /dev/null || fail "export"
export CANDOUR_PASSPHRASE_FILE=$T/secret/pass
A=(--casebook "$T/a.db" --key "$T/secret/alice.sec")
"$RV" init "${A[@]}" --intake-key "$DB.sign.pub" > /dev/null || fail "init"
"$RV" import "${A[@]}" "$T/b1" > /dev/null || fail "import"
"$RV" list "${A[@]}" --format csv > "$T/list" || fail "list"
sed -n '2,$p' "$T/list" | cut -d, -f1 | tr -d '"' > "$T/ids"
[ "$(wc -l < "$T/ids")" = 13 ] || fail "list gave $(wc -l < "$T/ids") concerns"
FIRST=$(head -n1 "$T/ids")
"$RV" show "${A[@]}" "$FIRST" > "$T/show" || fail "show"
has "$T/show" 'Treated badly because they raised this: no' || fail "show: first answer"
has "$T/show" 'Would speak up again: not sure' || fail "show: first answer (2)"
sed -n "/The reporter's latest answers/,/^$/p" "$T/show" > "$T/latest"
has "$T/latest" 'Treated badly because they raised this: yes' || fail "show: latest answer"
has "$T/latest" 'Would speak up again: yes' || fail "show: latest answer (2)"

# a period is reported once it has ended, never as of a day to come: the
# casebook aged a year (366 days) holds last year's month, quarter and
# year, all ended (until 2026-12-06 they were reported "as of" next 1
# January)
age_casebook "$T/a.db" 366
AGED=$(date -u -d '-366 days' +%Y-%m-%d)
Y=${AGED:0:4}; M=${AGED:0:7}; Q=$Y-Q$(( (10#${AGED:5:2} + 2) / 3 ))
for p in "$M" "$Q" "$Y"; do
	"$RV" report "${A[@]}" --web "$REPO/web" --period "$p" --format json --out "$T/r-$p.json" \
		> /dev/null || fail "report $p"
	python3 - "$T/r-$p.json" <<'PY' || fail "report $p: the answers are not counted as they should be"
import json, sys
d = json.load(open(sys.argv[1]))
cell = {(c["measure"], c["breakdown"]): c for c in d["cells"]}
for c in d["cells"]:
    if c["kind"] == "count" and not c["withheld"]:
        assert c["value"] == 0 or c["value"] > 5, c
for m in ("reporters_treated_badly", "reporters_would_speak_again"):
    assert cell[(m, "yes")]["value"] == 7 and not cell[(m, "yes")]["withheld"], cell[(m, "yes")]
    assert cell[(m, "no")]["withheld"] and cell[(m, "no")]["value"] is None, cell[(m, "no")]
    assert cell[(m, "not-known")]["withheld"], cell[(m, "not-known")]
    assert cell[(m, "not-known")]["value"] is None
    assert cell[(m, "total")]["value"] == 13
PY
done
"$RV" report "${A[@]}" --web "$REPO/web" --period "$Y" --format csv --out "$T/r.csv" > /dev/null \
	|| fail "csv"
has "$T/r.csv" '"reporters_treated_badly","no","","1"' || fail "CSV does not withhold the small count"
# nothing a reporter wrote or an id in any output byte
for i in $(seq 0 12); do printf 'Voice-sentence-%s\nVoice-message-%s\n' "$i" "$i" >> "$T/ids"; done
for f in "$T"/r*.json "$T"/r.csv; do
	if grep -aF -f "$T/ids" "$f" > "$T/hit"; then fail "$f holds an id or text: $(head -c 200 "$T/hit")"; fi
done
echo "reporter's voice OK"
