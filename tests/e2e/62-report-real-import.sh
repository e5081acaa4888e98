#!/usr/bin/env bash
# The report over concerns that went the real way (intake -> export ->
# import): the risk and raised-before answers sealed at import are counted;
# the intake's head from `candour-intake status` matches the casebook; no
# concern id, reference, team name or sentence the reporters wrote is in
# any output byte; a casebook whose sealed answers were moved to another
# concern is refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
REPO=$(cd "$(dirname "$0")/../.." && pwd)
RV=$BIN/candour-review
start_intake
TEAMS=(Northgate-Duty-Team Riverside-Assessment Eastfield-MASH Westbrook-CIN Hilltop-LAC Kingsway-Edge)
for i in 0 1 2 3 4 5; do
	code=$(submit_concern "$T/c$i" -F "team=${TEAMS[$i]}" -F risk=yes -F raised_before=yes \
		-F "what=Sentence-$i: the referral REF/2026/0042$i was closed without the child seen." \
		-F "refs=REF/2026/0042$i" -F "raised_with=Manager-$i")
	[ "$code" = 200 ] || fail "submission $i gave $code"
done
stop_intake
"$BIN/candour-intake" status --db "$DB" > "$T/status" || fail "status"
COUNT=$(sed -n 's/^records: //p' "$T/status")
HEAD=$(sed -n 's/^chain head: //p' "$T/status")
[ "$COUNT" = 6 ] || fail "intake status count $COUNT"
"$BIN/candour-intake" export --db "$DB" --out "$T/b1" > /dev/null || fail "export"
export CANDOUR_PASSPHRASE_FILE=$T/secret/pass
A=(--casebook "$T/a.db" --key "$T/secret/alice.sec")
"$RV" init "${A[@]}" --intake-key "$DB.sign.pub" > /dev/null || fail "init"
"$RV" import "${A[@]}" "$T/b1" > /dev/null || fail "import"
"$RV" list "${A[@]}" --format csv > "$T/list" || fail "list"
# a period is reported once it has ended, never as of a day to come: the
# casebook aged a year (366 days) holds last year's, ended (until
# 2026-12-06 this year was reported "as of" next 1 January)
age_casebook "$T/a.db" 366
Y=$(date -u -d '-366 days' +%Y)
"$RV" report "${A[@]}" --web "$REPO/web" --period "$Y" --format json --out "$T/r.json" \
	--intake-head "$HEAD" --intake-count "$COUNT" --intake-date "$(date -u +%Y-%m-%d)" > /dev/null \
	|| fail "report"
python3 - "$T/r.json" <<'PY' || fail "the answers given at the intake are not counted"
import json, sys
d = json.load(open(sys.argv[1]))
a = d["accountability"]
assert a["intake_head_check"] == "match" and a["missing"] == 0 and a["concerns"] == 6, a
cell = {(c["measure"], c["breakdown"]): c for c in d["cells"]}
assert cell[("received_by_risk_answer", "yes")]["value"] == 6, cell[("received_by_risk_answer", "yes")]
assert cell[("received_by_raised_before", "yes")]["value"] == 6
assert cell[("received_by_risk_answer", "not-known")]["value"] == 0
PY
"$RV" report "${A[@]}" --web "$REPO/web" --period "$Y" --out "$T/r.html" > /dev/null || fail "html"
"$RV" report "${A[@]}" --web "$REPO/web" --period "$Y" --format csv --out "$T/r.csv" \
	> /dev/null || fail "csv"
# every id the casebook gave, every team, sentence, reference and role
sed -n '2,$p' "$T/list" | cut -d, -f1 | tr -d '"' > "$T/needles"
[ "$(wc -l < "$T/needles")" = 6 ] || fail "list gave no ids"
for i in 0 1 2 3 4 5; do
	printf '%s\nSentence-%s\nREF/2026/0042%s\n0042%s\nManager-%s\n' "${TEAMS[$i]}" "$i" "$i" "$i" \
		"$i" >> "$T/needles"
done
for f in "$T"/r.json "$T"/r.html "$T"/r.csv "$T"/r.*.minisig; do
	if grep -aF -f "$T/needles" "$f" > "$T/hit"; then
		fail "$f holds what a reporter wrote or an id: $(head -c 200 "$T/hit")"
	fi
done
# answers moved from one concern to another no longer open: refused
sqlite3 "$T/a.db" "UPDATE concerns SET answers=(SELECT answers FROM concerns ORDER BY seq LIMIT 1)
	WHERE seq=(SELECT max(seq) FROM concerns)"
if "$RV" report "${A[@]}" --web "$REPO/web" --period "$Y" --out "$T/x.csv" 2> "$T/err"; then
	fail "a casebook with moved answers gave a report"
fi
grep -q 'damaged or changed' "$T/err" || fail "no clear error: $(cat "$T/err")"
[ ! -e "$T/x.csv" ] || fail "a refused report left a file"
echo "report over a real import OK"
