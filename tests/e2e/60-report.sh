#!/usr/bin/env bash
# The governance report over a fixed casebook built by bench/gen_casebook
# (concerns, follow-ups, statuses, outcomes, replies, referral links):
# golden CSV and JSON; reconciliation (records 18-20 missing are named with
# the export to run; a head the chain does not reach; an unknown head
# refused); minisign verifies the signature and fails a one-byte edit; bad
# input refused with nothing written; no concern id or reference in any
# output byte; HTML in headless Chromium (JS off) in English and Welsh:
# no console error, no request, axe-core zero violations, screenshot + PDF
# saved under build/test-output/report/.
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$(dirname "$0")/../.." && pwd)
RV=$BIN/candour-review
GEN=$BIN/bench/gen_casebook
[ -x "$GEN" ] || fail "missing $GEN (make tests builds it)"
export CANDOUR_PASSPHRASE_FILE=$T/pass
echo "report test kettle orbit velvet canyon" > "$T/pass"
"$RV" keygen --name alice --out "$T" --kdf test > /dev/null || fail keygen
K=(--casebook "$T/cb.db" --key "$T/alice.sec")
ASOF=(--as-of 2026-11-30 --web "$REPO/web")
"$GEN" --casebook "$T/cb.db" --key "$T/alice.sec" --concerns 1500 --seed 11 --from 2026-01 \
	--months 10 --ids "$T/ids" || fail "generator"

# ---- golden CSV and JSON -------------------------------------------------
"$RV" report "${K[@]}" "${ASOF[@]}" --period 2026-Q2 --format csv --out "$T/q2.csv" > "$T/out" \
	|| fail "report csv"
diff -u "$REPO/tests/e2e/golden/report-2026-Q2.csv" "$T/q2.csv" || fail "CSV differs from golden"
# a month: small cells, withheld ones among them
"$RV" report "${K[@]}" "${ASOF[@]}" --period 2026-10 --format csv --out "$T/m10.csv" > /dev/null \
	|| fail "report csv (month)"
diff -u "$REPO/tests/e2e/golden/report-2026-10.csv" "$T/m10.csv" || fail "month CSV differs from golden"
has "$T/m10.csv" ',"","1"' || fail "the month's golden withholds nothing: the fixture no longer tests it"
"$RV" report "${K[@]}" "${ASOF[@]}" --period FY2026 --format json --out "$T/fy.json" > /dev/null \
	|| fail "report json"
# produced (today) and the signing key (made by this run) vary: drop them
python3 - "$T/fy.json" "$T/fy.norm.json" <<'PY' || fail "JSON does not parse"
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("produced", "signing_key_minisign"):
    del d[k]
json.dump(d, open(sys.argv[2], "w"), indent=1, sort_keys=True)
PY
diff -u "$REPO/tests/e2e/golden/report-FY2026.json" "$T/fy.norm.json" || fail "JSON differs from golden"
# Independent of the golden: no published count is 1..5; published rows add
# up to their total when none is withheld; the accountability reconciles.
python3 - "$T/fy.json" <<'PY' || fail "report figures do not hold together"
import json, sys, collections
d = json.load(open(sys.argv[1]))
a = d["accountability"]
assert a["concerns"] + a["follow_ups"] == a["records_held"] == a["chain_records"]
assert a["readable_here"] + a["sealed_to_others"] == a["concerns"]
assert a["open"] + a["closed"] == a["concerns"] and a["missing"] == 0
by = collections.defaultdict(list)
for c in d["cells"]:
    if c["kind"] == "count" and not c["withheld"]:
        assert c["value"] == 0 or c["value"] > 5, c
    if c["withheld"]:
        assert c["value"] is None, c
    by[c["measure"]].append(c)
for m, cells in by.items():
    tot = [c for c in cells if c["breakdown"] == "total"]
    rows = [c for c in cells if c["breakdown"] != "total"]
    if m in ("received_by_month",) or not tot or not rows or cells[0]["kind"] != "count":
        continue
    if not tot[0]["withheld"] and all(not c["withheld"] for c in rows):
        assert sum(c["value"] for c in rows) == tot[0]["value"], m
    assert sum(1 for c in rows + tot if c["withheld"]) != 1, "one lone withheld cell in " + m
PY
# What the committee acts on: over 1,500 concerns (284 closed), the year's
# outcomes, each and in total, "led to action", the median days to close
# and the cases open longer than 3 months are published. Until 2026-12-06
# one small month (January, 2 closed) withheld all of them: the column rule
# withheld its zeros, whose certificates crossed into the FY, and the
# stock and median needed every monthly Total before them published.
python3 - "$T/fy.json" <<'PY' || fail "the year report withholds what a committee needs"
import json, sys
d = json.load(open(sys.argv[1]))
need = {(c["measure"], c["breakdown"]): c for c in d["cells"] if c["measure"] in (
    "closed_by_outcome", "closed_led_to_action", "median_days_to_close",
    "open_longer_than_3_months")}
assert len(need) == 10, sorted(need)
hidden = sorted(k for k, c in need.items() if c["withheld"])
assert not hidden, "withheld: %s" % hidden
o = [c["value"] for (m, b), c in need.items() if m == "closed_by_outcome" and b != "total"]
assert sum(o) == need[("closed_by_outcome", "total")]["value"]
PY

# ---- signature -------------------------------------------------------------
PK=$(sed -n 's/^verify: minisign -Vm .* -P //p' "$T/out")
[ -n "$PK" ] || fail "the report printed no minisign key"
minisign -Vm "$T/q2.csv" -P "$PK" > /dev/null || fail "minisign does not verify the CSV"
cp "$T/q2.csv" "$T/edit.csv"
cp "$T/q2.csv.minisig" "$T/edit.csv.minisig"
printf '9' | dd of="$T/edit.csv" bs=1 seek=80 conv=notrunc 2> /dev/null
cmp -s "$T/q2.csv" "$T/edit.csv" && fail "the edit did not change a byte"
minisign -Vm "$T/edit.csv" -P "$PK" > /dev/null 2>&1 && fail "minisign accepted an edited CSV"

# ---- reconciliation ------------------------------------------------------
# 20 records at the intake, the casebook holds 1..17.
"$GEN" --casebook "$T/part.db" --key "$T/alice.sec" --concerns 20 --followups-every 0 --seed 5 \
	--from 2026-03 --months 6 --hold 17 --link 20 > "$T/head20" || fail "generator (part)"
H20=$(<"$T/head20")
P=(--casebook "$T/part.db" --key "$T/alice.sec" "${ASOF[@]}")
"$RV" report "${P[@]}" --period 2026 --format json --out "$T/part.json" --intake-head "$H20" \
	--intake-count 20 --intake-date 2026-11-29 > /dev/null || fail "report (missing records)"
python3 - "$T/part.json" <<'PY' || fail "missing records 18-20 not named"
import json, sys
a = json.load(open(sys.argv[1]))["accountability"]
assert a["missing"] == 3 and a["missing_ranges"] == [[18, 20]], a
assert a["intake_head_check"] == "behind" and a["chain_records"] == 17, a
PY
"$RV" report "${P[@]}" --period 2026 --out "$T/part.html" --intake-head "$H20" \
	--intake-count 20 > /dev/null || fail "report html (missing records)"
has "$T/part.html" '3 records accepted by the intake are missing' || fail "no missing headline"
has "$T/part.html" 'Records 18 to 20' || fail "missing range not named"
has "$T/part.html" 'candour-intake export --db intake.db --since 17 --out bundle' \
	|| fail "export command not given"
# the head the casebook does hold: a match
H17=$("$GEN" --casebook "$T/x.db" --key "$T/alice.sec" --concerns 20 --followups-every 0 \
	--seed 5 --from 2026-03 --months 6 --link 17)
"$RV" report "${P[@]}" --period 2026 --format json --out "$T/m.json" --intake-head "$H17" \
	--intake-count 17 > /dev/null || fail "report (matching head)"
has "$T/m.json" '"intake_head_check": "match"' || fail "matching head not recognised"
has "$T/m.json" '"missing": 0' || fail "matching head still missing records"
# a head that matches no state of the chain is refused, nothing written
BAD=$(printf '%064d' 7)
for args in "--intake-count 17 --intake-head $BAD" "--intake-count 9 --intake-head $H17"; do
	# shellcheck disable=SC2086
	if "$RV" report "${P[@]}" --period 2026 --out "$T/bad.html" $args 2> "$T/err"; then
		fail "unknown head accepted ($args)"
	fi
	has "$T/err" 'does not match record' || fail "no clear error for an unknown head"
	[ ! -e "$T/bad.html" ] && [ ! -e "$T/bad.html.minisig" ] || fail "a file was written"
done

# ---- bad input -------------------------------------------------------------
bad() { # expected-exit message-fragment args...
	local want=$1 msg=$2
	shift 2
	set +e
	"$RV" report "${K[@]}" "$@" 2> "$T/err" > /dev/null
	local rc=$?
	set -e
	[ "$rc" = "$want" ] || fail "exit $rc (want $want) for: $*"
	local nl
	has "$T/err" "$msg" || fail "no '$msg' for: $* ($(cat "$T/err"))"
	nlines "$T/err" nl
	[ "$nl" = 1 ] || fail "more than one error line for: $*"
}
bad 2 "bad period" --period 2026-13 --out "$T/n.csv"
bad 2 "bad period" --period 2026-Q5 --out "$T/n.csv"
bad 2 "bad period" --period FY26 --out "$T/n.csv"
bad 2 "bad period" --period "2026-09-01" --out "$T/n.csv"
bad 2 "threshold" --period 2026 --threshold 2 --out "$T/n.csv"
bad 2 "format" --period 2026 --format xlsx --out "$T/n.csv"
bad 2 "lang" --period 2026 --lang fr --out "$T/n.csv"
bad 2 "go together" --period 2026 --intake-count 3 --out "$T/n.csv"
bad 2 "required" --period 2026
bad 1 "has not begun" "${ASOF[@]}" --period 2027-01 --out "$T/n.csv"
bad 1 "more than a year before" "${ASOF[@]}" --period 2023 --out "$T/n.csv"
# (a usage error, said before the passphrase: e2e 87)
bad 2 "r.csv: its directory does not exist" "${ASOF[@]}" --period 2026 --out "$T/no/such/dir/r.csv"
[ ! -e "$T/n.csv" ] || fail "a refused report left a file"
"$RV" report --help | grep -q 'usage: candour-review report' || fail "no --help"

# ---- HTML in both languages ----------------------------------------------
"$RV" report "${K[@]}" "${ASOF[@]}" --period 2026 --out "$T/en.html" > /dev/null || fail "html en"
"$RV" report "${K[@]}" "${ASOF[@]}" --period 2026 --lang cy --out "$T/cy.html" > /dev/null \
	|| fail "html cy"
has "$T/cy.html" '<html lang="cy">' || fail "Welsh report not marked cy"
has "$T/cy.html" 'Adroddiad llywodraethu' || fail "Welsh report not in Welsh"
grep -qi '<script\|src=\|href=\|url(' "$T/en.html" && fail "HTML refers to something outside itself"

# ---- nothing identifying in any output byte ------------------------------
# every id and reference the generator made, as fixed strings, in every byte
for f in "$T"/*.csv "$T"/*.json "$T"/*.html "$T"/*.minisig; do
	if grep -aF -f "$T/ids" "$f" > "$T/hit"; then
		fail "$f holds fixture ids or references: $(head -c 200 "$T/hit")"
	fi
done
[ "$(wc -l < "$T/ids")" -gt 100 ] || fail "the scan had too few ids and references to look for"

OUT=$REPO/build/test-output/report
mkdir -p "$OUT"
cp "$T/en.html" "$T/cy.html" "$T/q2.csv" "$T/fy.json" "$T/part.html" "$OUT/"
if [ -x /usr/bin/chromium ] && command -v node > /dev/null &&
	[ -d "$REPO/tests/browser/node_modules/axe-core" ]; then
	HOME=$T timeout 120 node "$REPO/tests/browser/report-page.js" "$OUT" "$OUT/en.html" \
		"$OUT/cy.html" || fail "browser check of the reports"
	for f in en cy; do
		[ -s "$OUT/$f.html.png" ] && [ -s "$OUT/$f.html.pdf" ] || fail "no screenshot or PDF ($f)"
	done
else
	skip "browser part: chromium, node or axe-core missing (sh scripts/deps.sh check)"
fi
echo "report OK"
