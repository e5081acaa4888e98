#!/usr/bin/env bash
# What is new, per reviewer: `list` marks NEW (never opened by this
# reviewer), MESSAGE (a message came after they last opened it), RISK (the
# reporter said a child is at immediate risk) and OVERDUE in their own
# columns of the table, CSV and JSON; `show` by one reviewer does not change
# what another sees as new.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
RV=$BIN/candour-review
printf 'new kettle orbit velvet canyon\n' > "$T/pass"
export CANDOUR_PASSPHRASE_FILE=$T/pass
mkdir -p "$T/keys" "$T/rv"
for n in alice bob; do
	"$RV" keygen --name "$n" --out "$T/rv" --kdf test > /dev/null || fail "keygen $n"
	cp "$T/rv/$n.pub" "$T/keys/"
done
start_intake
code=$(submit_concern "$T/c1" -F "what=New-test one: the duty manager binned it.")
[ "$code" = 200 ] || fail "submission 1 gave $code"
R1=$(receipt_of "$T/c1")
code=$(submit_concern "$T/c2" -F "what=New-test two: a child is in danger tonight." -F risk=yes)
[ "$code" = 200 ] || fail "submission 2 gave $code"
stop_intake
"$BIN/candour-intake" export --db "$DB" --out "$T/b1" > /dev/null || fail "export 1"

A=(--casebook "$T/cb.db" --key "$T/rv/alice.sec")
B=(--casebook "$T/cb.db" --key "$T/rv/bob.sec")
"$RV" init "${A[@]}" --intake-key "$DB.sign.pub" > /dev/null || fail "init"
"$RV" import "${A[@]}" "$T/b1" > "$T/i1" || fail "import 1"
"$RV" reviewer add "$T/rv/bob.pub" "${A[@]}" > /dev/null || fail "reviewer add bob"

"$RV" list "${A[@]}" --format csv | tr -d "\r" > "$T/l0"
head -1 "$T/l0" | grep -q 'marks,new,message,risk,overdue' || fail "csv header: $(head -1 "$T/l0")"
[ "$(grep -c '"NEW","","","' "$T/l0")" = 1 ] || fail "one NEW without risk: $(cat "$T/l0")"
[ "$(grep -c '"NEW","","RISK","' "$T/l0")" = 1 ] || fail "one NEW with RISK: $(cat "$T/l0")"
ID1=$(grep '"NEW","","","' "$T/l0" | cut -d'"' -f2)
ID2=$(grep '"RISK"' "$T/l0" | cut -d'"' -f2)
[ -n "$ID1" ] && [ -n "$ID2" ] && [ "$ID1" != "$ID2" ] || fail "ids: '$ID1' '$ID2'"
# import named what it brought, with the risk mark on the right one only
grep -q "^  new concern $ID1\$" "$T/i1" || fail "import 1 did not name $ID1: $(cat "$T/i1")"
grep -q "^  new concern $ID2  RISK: the reporter says a child is at immediate risk\$" "$T/i1" \
	|| fail "import 1 did not mark $ID2: $(cat "$T/i1")"
[ "$(grep -c 'new ' "$T/i1")" = 2 ] || fail "import 1 named more: $(cat "$T/i1")"

# alice opens concern 1: no longer new for her, still new for bob
"$RV" show "${A[@]}" "$ID1" > /dev/null || fail "show 1"
"$RV" list "${A[@]}" --format csv | tr -d "\r" > "$T/l1"
grep -q "^\"$ID1\".*,\"\",\"\",\"\",\"[A-Z]*\"$" "$T/l1" || fail "after show, still marked: $(cat "$T/l1")"
grep -q "^\"$ID2\".*,\"NEW\",\"\",\"RISK\"," "$T/l1" || fail "concern 2 lost its marks: $(cat "$T/l1")"
"$RV" list "${B[@]}" --format csv | tr -d "\r" > "$T/lb1"
grep -q "^\"$ID1\".*,\"NEW\"," "$T/lb1" || fail "alice's show changed bob's NEW: $(cat "$T/lb1")"

# a follow-up message on concern 1 arrives
start_intake
followup_page "$R1" "$T/f"
tok=$(csrf_of "$T/f")
code=$(curl -s -b "$T/jar" -o /dev/null -w '%{http_code}' -F "csrf=$tok" \
	-F "text=New-test: it happened again." "$URL/followup/message")
[ "$code" = 200 ] || fail "follow-up gave $code"
stop_intake
"$BIN/candour-intake" export --db "$DB" --since 2 --out "$T/b2" > /dev/null || fail "export 2"
"$RV" import "${A[@]}" "$T/b2" > "$T/i2" || fail "import 2"
grep -q "^  new message for concern $ID1\$" "$T/i2" || fail "import 2 did not name the message: $(cat "$T/i2")"
if grep -q "new concern" "$T/i2"; then fail "import 2 named an old concern as new: $(cat "$T/i2")"; fi

"$RV" list "${A[@]}" --format csv | tr -d "\r" > "$T/l2"
grep -q "^\"$ID1\".*,\"\",\"MESSAGE\",\"\"," "$T/l2" || fail "no MESSAGE for alice: $(cat "$T/l2")"
"$RV" list "${B[@]}" --format csv | tr -d "\r" > "$T/lb2"
grep -q "^\"$ID1\".*,\"NEW\",\"\",\"\"," "$T/lb2" || fail "bob (never opened) should see NEW, not MESSAGE: $(cat "$T/lb2")"
"$RV" list "${A[@]}" --format json > "$T/j2"
python3 - "$T/j2" "$ID1" "$ID2" <<'PY' || fail "json: $(cat "$T/j2")"
import json, sys
rows = {r["id"]: r for r in json.load(open(sys.argv[1]))}
a, b = rows[sys.argv[2]], rows[sys.argv[3]]
assert (a["new"], a["message"], a["risk"]) == ("", "MESSAGE", ""), a
assert (b["new"], b["message"], b["risk"]) == ("NEW", "", "RISK"), b
assert all(r["overdue"] in ("", "OVERDUE") for r in rows.values())
PY
"$RV" list "${A[@]}" > "$T/t2"
head -1 "$T/t2" | grep -q 'new *message *risk *overdue' || fail "table header: $(head -1 "$T/t2")"
grep "^$ID1" "$T/t2" | grep -q 'MESSAGE' || fail "table lacks MESSAGE"
if grep "^$ID1" "$T/t2" | grep -q 'NEW'; then fail "table marks an opened concern NEW"; fi
# opening it again clears MESSAGE
"$RV" show "${A[@]}" "$ID1" > /dev/null || fail "show 1 again"
"$RV" list "${A[@]}" --format csv | tr -d "\r" > "$T/l3"
if grep "^\"$ID1\"" "$T/l3" | grep -q 'MESSAGE'; then fail "MESSAGE stayed after show: $(cat "$T/l3")"; fi
# a case past its acknowledgement date is OVERDUE in its column too
sqlite3 "$T/cb.db" "UPDATE concerns SET received='2020-01-01' WHERE id='$ID2'"
"$RV" list "${A[@]}" --format csv | tr -d "\r" > "$T/l4"
grep -q "^\"$ID2\".*,\"OVERDUE\"$" "$T/l4" || fail "no OVERDUE column: $(cat "$T/l4")"
echo "what is new ok"
