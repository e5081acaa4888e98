#!/usr/bin/env bash
# report --alone (issue 11; SECURITY.md, "What a committee gets"): a
# committee that gets the year's report alone. By default a report is
# decided with every period the casebook could report that day protected,
# and a small casebook's year then withholds its categories (n=160 seed 1:
# all six, 23 of 86 counts published); --alone protects this report's
# figures only (report_agg.c, unasked first) and publishes them. What it
# costs, said in --help: a report of a period inside it made later from the
# same records must keep to it, and may be refused (fails closed). Every
# report made, the year's and the later ones, goes to the independent
# checker together (tests/report/sdc_states.py, every table): nothing
# narrowed. The desk offers it too: its preview with "alone" ticked is the
# CLI's --alone report. Cost: ~4 s of CPU.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
. "$(dirname "$0")/desk_lib.bash"
REPO=$(cd "$(dirname "$0")/../.." && pwd)
PY=${PY:-/usr/bin/python3}
"$PY" -c 'import scipy.optimize' 2>/dev/null || fail "python3-scipy missing (scripts/deps.sh check)"
RV=$BIN/candour-review
GEN=$BIN/bench/gen_casebook
export CANDOUR_TEST_WEAK_KDF=1 CANDOUR_PASSPHRASE_FILE=$T/pass
echo "alone kettle orbit velvet canyon river" > "$T/pass"
"$RV" keygen --name alice --out "$T" --kdf test > /dev/null || fail keygen
W=(--key "$T/alice.sec" --web "$REPO/web" --format json --as-of 2026-04-05)
for k in plain alone desk; do
	"$GEN" --casebook "$T/$k.db" --key "$T/alice.sec" --concerns 160 --seed 1 --from 2025-01 \
		--months 12 --facts "$T/$k.db.facts" > /dev/null || fail "generator ($k)"
done
# published counts of a report, and its category rows published
counts() { "$PY" -c 'import json, sys
c = [x for x in json.load(open(sys.argv[1]))["cells"] if x.get("kind") == "count"]
cat = [x for x in c if x["measure"] == "received_by_category" and x["breakdown"] != "total"]
print(sum(not x["withheld"] for x in c), sum(not x["withheld"] for x in cat), len(cat))' "$1"; }
"$RV" report --casebook "$T/plain.db" "${W[@]}" --period 2025 --out "$T/plain.json" > /dev/null ||
	fail "the year, by default"
"$RV" report --casebook "$T/alone.db" "${W[@]}" --period 2025 --alone --out "$T/alone.json" > /dev/null ||
	fail "the year, --alone"
read -r pn pc pt <<< "$(counts "$T/plain.json")"
read -r an ac at <<< "$(counts "$T/alone.json")"
echo "n=160 seed 1, 2025: $pn counts published by default ($pc of $pt category rows), $an with --alone ($ac of $at)"
[ "$ac" = "$at" ] || fail "--alone: the year's categories not all published ($ac of $at)"
[ "$an" -gt $((pn + 20)) ] || fail "--alone published $an counts, by default $pn: not the gain it is for"
# later reports of periods inside it, from the same records: made or
# refused in one line, and all of them checked together with the year
made=$T/alone.json
for p in 2025-Q1 2025-Q2 2025-Q3 2025-Q4 2025-03 FY2025; do
	if "$RV" report --casebook "$T/alone.db" "${W[@]}" --period $p --out "$T/a-$p.json" > /dev/null 2> "$T/err"; then
		made=$made,$T/a-$p.json
	else
		has "$T/err" "The report for $p was not made" && [ "$(wc -l < "$T/err")" = 1 ] &&
			[ ! -e "$T/a-$p.json" ] || fail "--alone, then $p: $(cat "$T/err")"
		echo "--alone, then $p: refused (fails closed)"
	fi
done
"$PY" "$REPO/tests/report/sdc_states.py" --tables=category,outcome,closed,refs,shared 5 \
	"$T/alone.db@2026-04-05" "$made" > "$T/check.out" || { cat "$T/check.out"; fail "--alone: a withheld cell narrowed"; }
cat "$T/check.out"
[ "$(grep -c ' 0 failures' "$T/check.out")" = 5 ] || fail "not every table checked"
# a flag: a value after it is no option of report's
expect_says 2 "unknown argument 'yes'" "$RV" report --casebook "$T/alone.db" "${W[@]}" --period 2025 \
	--alone yes --out "$T/x.json"
"$RV" report --help | grep -q -- '--alone protects this report' || fail "--help does not say --alone"

# The desk offers it too (the same rp_make): its preview of the year with
# "alone" ticked is the CLI's --alone report of the same records, and
# without it the default's (previews record nothing; the CLI's run on
# copies of the casebook as it was)
cp "$T/desk.db" "$T/cli-a.db"
cp "$T/desk.db" "$T/cli-p.db"
A=(--casebook "$T/desk.db" --key "$T/alice.sec")
start_desk --web "$REPO/web"
c=$(curl -s -o /dev/null -c "$T/jar" -w '%{http_code}' "$DESK_URL")
[ "$c" = 303 ] || fail "desk token exchange gave $c"
J=(-b "$T/jar")
curl -s "${J[@]}" -o "$T/unlock.html" "$DESK_BASE/unlock"
CSRF=$(csrf_of "$T/unlock.html") || fail "no form token on the desk's passphrase page"
c=$(curl -s "${J[@]}" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$CSRF" \
	--data-urlencode "passphrase=$(<"$T/pass")" "$DESK_BASE/unlock")
[ "$c" = 303 ] || fail "desk unlock gave $c"
curl -s "${J[@]}" -o "$T/form.html" "$DESK_BASE/report"
has "$T/form.html" 'name="alone" value="1"' || fail "the desk's report form has no alone"
for k in a p; do
	extra=()
	[ "$k" = a ] && extra=(-d alone=1)
	c=$(curl -s "${J[@]}" -o "$T/desk-$k.html" -w '%{http_code}' --data-urlencode "csrf=$CSRF" -d kind=preview \
		-d period=2025 -d as_of=2026-04-05 "${extra[@]}" "$DESK_BASE/report")
	[ "$c" = 200 ] || fail "desk preview ($k) gave $c"
	cliopt=()
	[ "$k" = a ] && cliopt=(--alone)
	"$RV" report --casebook "$T/cli-$k.db" --key "$T/alice.sec" --web "$REPO/web" --as-of 2026-04-05 \
		--period 2025 "${cliopt[@]}" --out "$T/cli-$k.html" > /dev/null || fail "CLI report ($k)"
	sed "s/report\.html/cli-$k.html/g" "$T/desk-$k.html" > "$T/desk-$k.cmp"
	cmp -s "$T/desk-$k.cmp" "$T/cli-$k.html" ||
		fail "the desk's preview ($k) differs from the CLI's: $(diff "$T/desk-$k.cmp" "$T/cli-$k.html" | head -5)"
done
cmp -s "$T/cli-a.html" "$T/cli-p.html" && fail "the desk's alone changed nothing"
stop_desk
echo "report --alone OK"
