#!/usr/bin/env bash
# The governance report over a fixed casebook built by bench/gen_casebook
# (concerns, follow-ups, statuses, outcomes, replies, referral links and
# register rows with assessment, s47, NFA and closure dates): golden CSV
# and JSON, section 5 worked out apart (tests/report/refs_check.py);
# reconciliation (records 18-20 missing are named with the export to
# run; a head the chain does not reach; an unknown head refused; the casebook beyond the intake's published head, worded in en
# and cy); --as-of gives the report the casebook held on that day made (the
# same bytes); section 5's headings state the register's timescales;
# minisign verifies the signature and fails a one-byte edit, and the
# committee is told to use the key the reviewer gave them; bad input
# (a period not yet ended, a --format the --out extension contradicts, a
# head without its date, an --out where no file can be made: /proc, a
# device) refused with one line and nothing written or recorded; the
# format from the --out extension; no concern id or reference in any
# output byte; HTML in headless Chromium (JS off) in English and Welsh:
# no console error, no request, axe-core zero violations, screenshot + PDF
# saved under build/test-output/report/.
# e2e: first
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$(dirname "$0")/../.." && pwd)
RV=$BIN/candour-review
GEN=$BIN/bench/gen_casebook
[ -x "$GEN" ] || fail "missing $GEN (make tests builds it)"
export CANDOUR_PASSPHRASE_FILE=$T/pass
echo "report test kettle orbit velvet canyon" > "$T/pass"
"$RV" keygen --name alice --out "$T" --kdf test > /dev/null || fail keygen
K=(--casebook "$T/cb.db" --key "$T/alice.sec")
ASOF=(--as-of 2025-11-30 --web "$REPO/web")
# a period is reported after it has ended: the year and the FY as made on
# the day after they end (the fixture's records run to 2025-10)
ASOF_Y=(--as-of 2026-01-01 --web "$REPO/web")
ASOF_FY=(--as-of 2026-04-01 --web "$REPO/web")
"$GEN" --casebook "$T/cb.db" --key "$T/alice.sec" --concerns 1500 --seed 11 --from 2025-01 \
	--months 10 --ids "$T/ids" --facts "$T/facts" || fail "generator"
# Every report written is recorded in the casebook and kept by later ones
# (SECURITY.md, "Reports from different casebook states"; e2e 68): the
# reports made as of another day, each checked here as made alone, are
# made from copies of the casebook as generated.
for c in fy y whole; do cp "$T/cb.db" "$T/$c.db"; done

# ---- golden CSV and JSON -------------------------------------------------
"$RV" report "${K[@]}" "${ASOF[@]}" --period 2025-Q2 --format csv --out "$T/q2.csv" > "$T/out" \
	|| fail "report csv"
# a month: small cells, withheld ones among them
"$RV" report "${K[@]}" "${ASOF[@]}" --period 2025-10 --format csv --out "$T/m10.csv" > /dev/null \
	|| fail "report csv (month)"
# The CSV states the day it was made (today, UTC; since 2026-12-06) in a
# row of its one table: checked here, then written PRODUCED so that the
# golden holds on any day. The day its data stand on is in the golden.
TODAY=$(date -u +%Y-%m-%d)
for f in q2 m10; do
	has "$T/$f.csv" "\",\"1\",\"report_produced\",\"date\",\"$TODAY\",\"0\"" \
		|| fail "$f.csv does not state the day it was produced: $(sed -n 2p "$T/$f.csv")"
	sed "s/\"report_produced\",\"date\",\"$TODAY\"/\"report_produced\",\"date\",\"PRODUCED\"/" \
		"$T/$f.csv" > "$T/$f.golden.csv"
done
diff -u "$REPO/tests/e2e/golden/report-2025-Q2.csv" "$T/q2.golden.csv" || fail "CSV differs from golden"
diff -u "$REPO/tests/e2e/golden/report-2025-10.csv" "$T/m10.golden.csv" || fail "month CSV differs from golden"
has "$T/m10.csv" ',"","1"' || fail "the month's golden withholds nothing: the fixture no longer tests it"
"$RV" report --casebook "$T/fy.db" --key "$T/alice.sec" "${ASOF_FY[@]}" --period FY2025 --format json --out "$T/fy.json" > /dev/null \
	|| fail "report json"
# produced (today) and the signing key (made by this run) vary: drop them
python3 - "$T/fy.json" "$T/fy.norm.json" <<'PY' || fail "JSON does not parse"
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("produced", "signing_key_minisign"):
    del d[k]
json.dump(d, open(sys.argv[2], "w"), indent=1, sort_keys=True)
PY
diff -u "$REPO/tests/e2e/golden/report-FY2025.json" "$T/fy.norm.json" || fail "JSON differs from golden"
# Section 5 worked out apart from the C code, from the generator's plain
# facts (links, register rows with decision, strategy, s47, ICPC,
# assessment, NFA and closure dates): every published cell of the
# reference tables, and in the quarter and the FY each timescale flagged
# more than 0 times (until 2026-12-06 the fixture's register had no
# assessment, NFA or closure and those rows were all 0)
FLAGGED=(--nonzero decision_late icpc_late assessment_late nfa_quick s47_not_started)
python3 "$REPO/tests/report/refs_check.py" "$T/facts" 2025-11-30 "$T/q2.csv" "${FLAGGED[@]}" \
	|| fail "the quarter's section 5 is not what the fixture holds"
python3 "$REPO/tests/report/refs_check.py" "$T/facts" 2025-11-30 "$T/m10.csv" \
	|| fail "the month's section 5 is not what the fixture holds"
python3 "$REPO/tests/report/refs_check.py" "$T/facts" 2026-04-01 "$T/fy.json" "${FLAGGED[@]}" \
	|| fail "the FY's section 5 is not what the fixture holds"
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
# What the committee acts on: over 1,500 concerns (285 closed by the FY's end), the year's
# outcomes, each and in total, "led to action", the median days to close
# and the cases open longer than 3 months are published. Until 2026-12-06
# one small month (January, 2 closed) withheld all of them: the column rule
# withheld its zeros, whose certificates crossed into the FY, and the
# stock and median needed every monthly Total before them published.
year_needs() {
	python3 - "$1" <<'PY'
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
}
year_needs "$T/fy.json" || fail "the year report withholds what a committee needs"
# The same casebook with its concerns sealed to others never acted on here,
# as the product has them (gen_casebook --sealed-acted 0: 232 closed in
# FY2025, the same draws otherwise): its first months close fewer (January
# 2, February 10, March 13), and February's one "substantiated" was
# certified by the pair with May, which withheld FY2025's outcomes, their
# Total, "led to action" and the median days to close, until the outcome
# cube took combinations inside a span first (report_sdc_cert.c, protect1:
# C_SPAN_CELLS, C_SPAN_TOTALS)
"$GEN" --casebook "$T/real.db" --key "$T/alice.sec" --concerns 1500 --seed 11 --from 2025-01 \
	--months 10 --sealed-acted 0 > /dev/null || fail "generator (--sealed-acted 0)"
"$RV" report --casebook "$T/real.db" --key "$T/alice.sec" "${ASOF_FY[@]}" --period FY2025 --format json \
	--out "$T/real-fy.json" > /dev/null || fail "report (FY2025, sealed concerns never acted on)"
year_needs "$T/real-fy.json" || fail "the year report withholds what a committee needs (sealed concerns never acted on)"

# ---- signature -------------------------------------------------------------
PK=$(sed -n 's/^verify: minisign -Vm .* -P //p' "$T/out")
[ -n "$PK" ] || fail "the report printed no minisign key"
# the key is in the file it signs: the committee must verify with the key
# the reviewer gave them apart from it (said on the terminal and in the HTML)
grep -q '^key: give the committee this public key yourself' "$T/out" || fail "no advice to give the key apart"
minisign -Vm "$T/q2.csv" -P "$PK" > /dev/null || fail "minisign does not verify the CSV"
cp "$T/q2.csv" "$T/edit.csv"
cp "$T/q2.csv.minisig" "$T/edit.csv.minisig"
printf '9' | dd of="$T/edit.csv" bs=1 seek=80 conv=notrunc 2> /dev/null
cmp -s "$T/q2.csv" "$T/edit.csv" && fail "the edit did not change a byte"
minisign -Vm "$T/edit.csv" -P "$PK" > /dev/null 2>&1 && fail "minisign accepted an edited CSV"

# ---- reconciliation ------------------------------------------------------
# 20 records at the intake, the casebook holds 1..17.
"$GEN" --casebook "$T/part.db" --key "$T/alice.sec" --concerns 20 --followups-every 0 --seed 5 \
	--from 2025-03 --months 6 --hold 17 --link 20 > "$T/head20" || fail "generator (part)"
H20=$(<"$T/head20")
P=(--casebook "$T/part.db" --key "$T/alice.sec" "${ASOF_Y[@]}")
"$RV" report "${P[@]}" --period 2025 --format json --out "$T/part.json" --intake-head "$H20" \
	--intake-count 20 --intake-date 2025-12-29 > /dev/null || fail "report (missing records)"
python3 - "$T/part.json" <<'PY' || fail "missing records 18-20 not named"
import json, sys
a = json.load(open(sys.argv[1]))["accountability"]
assert a["missing"] == 3 and a["missing_ranges"] == [[18, 20]], a
assert a["intake_head_check"] == "behind" and a["chain_records"] == 17, a
PY
"$RV" report "${P[@]}" --period 2025 --out "$T/part.html" --intake-head "$H20" \
	--intake-count 20 --intake-date 2025-12-29 > /dev/null || fail "report html (missing records)"
has "$T/part.html" '3 records accepted by the intake are missing' || fail "no missing headline"
has "$T/part.html" 'Records 18 to 20' || fail "missing range not named"
has "$T/part.html" 'candour-intake export --db intake.db --since 17 --out bundle' \
	|| fail "export command not given"
# the head the casebook does hold: a match
H17=$("$GEN" --casebook "$T/x.db" --key "$T/alice.sec" --concerns 20 --followups-every 0 \
	--seed 5 --from 2025-03 --months 6 --link 17)
"$RV" report "${P[@]}" --period 2025 --format json --out "$T/m.json" --intake-head "$H17" \
	--intake-count 17 --intake-date 2025-12-29 > /dev/null || fail "report (matching head)"
has "$T/m.json" '"intake_head_check": "match"' || fail "matching head not recognised"
has "$T/m.json" '"missing": 0' || fail "matching head still missing records"
# The normal case: the intake published yesterday's head (15 records by
# 2025-12-29) and the casebook was imported later (17): it holds that head
# and 2 records since. Until 2026-12-06 this said "holds all 17 records the
# intake accepted ... The intake accepted 15 records".
H15=$("$GEN" --casebook "$T/x15.db" --key "$T/alice.sec" --concerns 20 --followups-every 0 \
	--seed 5 --from 2025-03 --months 6 --link 15)
for l in en cy; do
	"$RV" report "${P[@]}" --period 2025 --lang $l --out "$T/beyond-$l.html" --intake-head "$H15" \
		--intake-count 15 --intake-date 2025-12-29 > /dev/null || fail "report (casebook beyond the head, $l)"
done
"$RV" report "${P[@]}" --period 2025 --format json --out "$T/beyond.json" --intake-head "$H15" \
	--intake-count 15 --intake-date 2025-12-29 > /dev/null || fail "report json (casebook beyond the head)"
python3 - "$T/beyond.json" <<'PY' || fail "casebook beyond the head: wrong accountability"
import json, sys
a = json.load(open(sys.argv[1]))["accountability"]
assert a["intake_head_check"] == "casebook-beyond" and a["missing"] == 0 and a["chain_records"] == 17, a
PY
has "$T/beyond-en.html" 'This casebook holds the 15 records the intake had accepted by 2025-12-29, and 2 accepted since: none is missing.' \
	|| fail "casebook beyond the head: no headline"
has "$T/beyond-en.html" 'The intake had accepted 15 records (concerns and follow-up messages), sequence 1 to 15, chain head '"$H15"', as published on 2025-12-29.' \
	|| fail "casebook beyond the head: the intake's figures not said"
has "$T/beyond-cy.html" "yn dal y 15 cofnod a dderbyniodd y system erbyn 2025-12-29, a 2 a dderbyniwyd ers hynny" \
	|| fail "casebook beyond the head: no Welsh headline"
for f in "$T"/beyond-*.html "$T/part.html"; do
	grep -q "holds all\|yn dal pob un o'r" "$f" && fail "$f says the casebook holds all the intake's records"
	grep -q 'published on -\|cyhoeddwyd ar -' "$f" && fail "$f has no published date"
done
# Section 5's headings state the register's timescales (--config), not the
# defaults: until 2026-12-06 they said 1, 15 and 45 working days whatever
# they were, and the NFA heading had no number.
cp "$T/part.db" "$T/days.db"
printf 'decision_days 2\nicpc_days 20\nassessment_days 50\nnfa_days 7\n' > "$T/days.conf"
printf 'reference,received\nREF/2026/00001,2025-01-02\n' > "$T/days-register.txt"
"$RV" referrals import --casebook "$T/days.db" --key "$T/alice.sec" "$T/days-register.txt" --config "$T/days.conf" \
	> /dev/null || fail "referrals import --config"
for l in en cy; do
	"$RV" report --casebook "$T/days.db" --key "$T/alice.sec" "${ASOF_Y[@]}" --period 2025 --lang $l \
		--out "$T/days-$l.html" > /dev/null || fail "report with the register's timescales ($l)"
done
while IFS='|' read -r l want; do
	has "$T/days-$l.html" "$want" || fail "no heading '$want' ($l)"
done <<'HEADINGS'
en|References whose decision came later than 2 working days<
en|conference came later than 20 working days after the strategy discussion<
en|assessment ended later than 50 working days after the referral<
en|References closed as no further action within 7 days of the referral<
cy|penderfyniad y tu hwnt i 2 diwrnod gwaith<
cy|gychwynnol fwy na 20 diwrnod gwaith ar ôl y drafodaeth strategaeth<
cy|i ben fwy na 50 diwrnod gwaith ar ôl yr atgyfeiriad<
cy|heb gamau pellach o fewn 7 diwrnod i&#39;r atgyfeiriad<
HEADINGS
grep -q '15 working days\|45 working days\|within days' "$T/days-en.html" && fail "a default timescale is still stated"
# a head that matches no state of the chain is refused, nothing written
BAD=$(printf '%064d' 7)
for args in "--intake-count 17 --intake-head $BAD" "--intake-count 9 --intake-head $H17"; do
	# shellcheck disable=SC2086
	if "$RV" report "${P[@]}" --period 2025 --out "$T/bad.html" $args --intake-date 2025-12-29 2> "$T/err"; then
		fail "unknown head accepted ($args)"
	fi
	has "$T/err" 'does not match record' || fail "no clear error for an unknown head"
	[ ! -e "$T/bad.html" ] && [ ! -e "$T/bad.html.minisig" ] || fail "a file was written"
done

# ---- --as-of: the report as it stood on that day ---------------------------
# The casebook on 2025-04-30 held records 1..K, K the last before the first
# record dated after that day; gen_casebook --hold K (same seed) is that
# casebook. Q1 made from the whole casebook --as-of 2025-04-30 must be the
# report made from it: the same CSV byte for byte and the same
# accountability (concerns and follow-ups received later, and the
# references they named first, left out). Until 2026-12-06 only acks,
# feedback and closures after the day were undone.
DAY=2025-04-30
KHOLD=$(python3 - "$T/cb.db" "$DAY" <<'PY'
import sqlite3, sys
k = 0
for seq, date in sqlite3.connect(sys.argv[1]).execute("SELECT seq, date FROM records ORDER BY seq"):
    if date[:10] > sys.argv[2]:
        break
    k = seq
print(k)
PY
) || fail "cannot read the fixture's records"
"$GEN" --casebook "$T/then.db" --key "$T/alice.sec" --concerns 1500 --seed 11 --from 2025-01 \
	--months 10 --hold "$KHOLD" > /dev/null || fail "generator (held)"
for db in whole then; do
	for f in csv json; do
		"$RV" report --casebook "$T/$db.db" --key "$T/alice.sec" --as-of "$DAY" --web "$REPO/web" \
			--period 2025-Q1 --format $f --out "$T/asof-$db.$f" > /dev/null || fail "report as of $DAY ($db)"
	done
done
cmp -s "$T/asof-whole.csv" "$T/asof-then.csv" \
	|| fail "--as-of $DAY differs from the casebook as it stood then: $(diff "$T/asof-then.csv" "$T/asof-whole.csv" | head -5)"
python3 - "$T/asof-whole.json" "$T/asof-then.json" "$KHOLD" <<'PY' || fail "--as-of accountability differs from the casebook as it stood then"
import json, sys
a, b = (json.load(open(f))["accountability"] for f in sys.argv[1:3])
assert a == b, (a, b)
assert a["chain_records"] == a["records_held"] == int(sys.argv[3]) < 1500, a
assert a["concerns"] < 1500 and a["missing"] == 0, a
PY
rm -f "$T/then.db"

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
bad 2 "bad period 'FY1999': a month 2026-09, a quarter 2026-Q3, a year 2026 or a financial year FY2026, of a year from 2000 to 2199" \
	--period FY1999 --out "$T/n.csv"
bad 2 "of a year from 2000 to 2199" --period 9999 --out "$T/n.csv"
# the intake's head comes with the day it was published (never "-")
bad 2 "--intake-head comes with --intake-date" --period 2026 --intake-head "$H17" --intake-count 17 \
	--out "$T/n.csv"
# --format is FILE's extension when not given; one that contradicts it is refused
bad 2 "--format csv but $T/n.html names a html file: give a FILE ending in .csv, or leave --format out" \
	--period 2026 --format csv --out "$T/n.html"
bad 2 "--format html but $T/n.json names a json file" --period 2026 --format html --out "$T/n.json"
[ ! -e "$T/n.html" ] && [ ! -e "$T/n.json" ] || fail "a refused format wrote a file"
bad 2 "threshold" --period 2026 --threshold 2 --out "$T/n.csv"
bad 2 "format" --period 2026 --format xlsx --out "$T/n.csv"
bad 2 "lang" --period 2026 --lang fr --out "$T/n.csv"
bad 2 "go together" --period 2026 --intake-count 3 --out "$T/n.csv"
bad 2 "required" --period 2026
# A period is reported once it has ended (at --as-of, or today), before
# the passphrase: not begun, begun, and on its last day (not yet over).
bad 2 "the period 2026-01 ends on 2026-01-31: report it after that (from 2026-02-01)" \
	"${ASOF[@]}" --period 2026-01 --out "$T/n.csv"
bad 2 "the period FY2025 ends on 2026-03-31: report it after that (from 2026-04-01)" \
	"${ASOF[@]}" --period FY2025 --out "$T/n.csv"
bad 2 "the period 2025-Q4 ends on 2025-12-31" "${ASOF[@]}" --period 2025-Q4 --out "$T/n.csv"
bad 2 "the period 2025-11 ends on 2025-11-30" "${ASOF[@]}" --period 2025-11 --out "$T/n.csv"
bad 2 "the period 2025 ends on 2025-12-31" --as-of 2025-12-31 --period 2025 --out "$T/n.csv"
bad 2 "as-of must be a day" --as-of 2026-02-30 --period 2026-01 --out "$T/n.csv"
# a day not yet come is refused, with one line, before the passphrase:
# until 2026-12-06 it was taken, and this test reported 2026 and FY2026
# "as of" days after their end that had not come
TOMORROW=$(date -u -d tomorrow +%Y-%m-%d)
bad 2 "--as-of $TOMORROW has not come yet: give today (UTC) or a day before it" \
	--as-of "$TOMORROW" --period 2025-01 --out "$T/n.csv"
# without --as-of, today: the year after this one has not ended today
bad 2 "the period $(( $(date -u +%Y) + 1 )) ends on $(( $(date -u +%Y) + 1 ))-12-31" \
	--web "$REPO/web" --period $(( $(date -u +%Y) + 1 )) --out "$T/n.csv"
bad 1 "more than a year before" "${ASOF_Y[@]}" --period 2023 --out "$T/n.csv"
# (a usage error, said before the passphrase: e2e 87)
bad 2 "r.csv: its directory does not exist" "${ASOF[@]}" --period 2025 --out "$T/no/such/dir/r.csv"
# Until 2026-12-06 --out was asked of access() alone: /proc (a file system
# that takes no new files) passed, and the report failed after the
# passphrase and the whole build; /dev/null passed too, a device the
# write's rename would replace. Refused before it now, nothing recorded.
cells() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM report_cells").fetchone()[0])' "$T/cb.db"; }
before=$(cells)
bad 2 "/proc/r.csv: its directory takes no new files; give --out a file in a directory you can write" \
	"${ASOF[@]}" --period 2025-Q2 --out /proc/r.csv
bad 2 "/dev/null: is a device or other special file, not a file; give --out a file" \
	"${ASOF[@]}" --period 2025-Q2 --out /dev/null
bad 2 "$T: is a directory, not a file; give --out a file in a directory you can write" "${ASOF[@]}" --period 2025-Q2 --out "$T"
[ "$(cells)" = "$before" ] || fail "a refused --out recorded cells in the casebook"
[ -c /dev/null ] || fail "/dev/null is no longer a device"
[ ! -e "$T/n.csv" ] || fail "a refused report left a file"
# Until 2026-12-06 r.csv without --format was HTML in a .csv file.
"$RV" report "${K[@]}" "${ASOF[@]}" --period 2025-10 --out "$T/ext.csv" > /dev/null || fail "report ext.csv"
cmp -s "$T/ext.csv" "$T/m10.csv" || fail "--out ext.csv without --format is not the CSV"
"$RV" report "${K[@]}" "${ASOF[@]}" --period 2025-10 --out "$T/ext.JSON" > /dev/null || fail "report ext.JSON"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/ext.JSON" || fail "--out ext.JSON is not JSON"
"$RV" report "${K[@]}" "${ASOF[@]}" --period 2025-10 --out "$T/ext.htm" > /dev/null || fail "report ext.htm"
has "$T/ext.htm" '<!DOCTYPE html>' || fail "--out ext.htm is not HTML"
# Until 2026-12-07 r.pdf was HTML under that name, written after the
# passphrase and recorded in the casebook; refused before it now (a name
# without an extension, or with --format, is taken as asked)
before=$(cells)
bad 2 "r.pdf: a report is written as HTML, CSV or JSON, not .pdf: name the file .html, .csv or .json" \
	"${ASOF[@]}" --period 2025-10 --out "$T/r.pdf"
[ ! -e "$T/r.pdf" ] && [ "$(cells)" = "$before" ] || fail "a refused r.pdf was written or recorded"
"$RV" report "${K[@]}" "${ASOF[@]}" --period 2025-10 --out "$T/noext" > /dev/null || fail "report noext"
has "$T/noext" '<!DOCTYPE html>' || fail "--out noext is not HTML"
"$RV" report "${K[@]}" "${ASOF[@]}" --period 2025-10 --format csv --out "$T/r.txt" > /dev/null ||
	fail "report r.txt with --format csv"
cmp -s "$T/r.txt" "$T/m10.csv" || fail "--format csv --out r.txt is not the CSV"
"$RV" report --help | grep -q 'usage: candour-review report' || fail "no --help"

# ---- HTML in both languages ----------------------------------------------
"$RV" report --casebook "$T/y.db" --key "$T/alice.sec" "${ASOF_Y[@]}" --period 2025 --out "$T/en.html" > /dev/null || fail "html en"
"$RV" report --casebook "$T/y.db" --key "$T/alice.sec" "${ASOF_Y[@]}" --period 2025 --lang cy --out "$T/cy.html" > /dev/null \
	|| fail "html cy"
has "$T/cy.html" '<html lang="cy">' || fail "Welsh report not marked cy"
has "$T/cy.html" 'Adroddiad llywodraethu' || fail "Welsh report not in Welsh"
has "$T/en.html" 'Use the public key the reviewer gave the committee directly' || fail "no key advice (en)"
has "$T/cy.html" "Defnyddiwch yr allwedd gyhoeddus a roddodd yr adolygydd" || fail "no key advice (cy)"
# the promise of one decision is bounded to one casebook state (an audit
# combined a Q1 made in April with the year made in November and pinned
# withheld cells); reports made later keep to the earlier ones (e2e 68)
has "$T/en.html" 'made from the same casebook on the same day at the same threshold' || fail "footnote (en)"
has "$T/en.html" "a figure revised since an earlier report (records imported later, or acknowledgements and closures since) is withheld here" \
	|| fail "footnote on revised figures (en)"
has "$T/en.html" "ask for all of a year&#39;s reports in one run, after the year has ended" \
	|| fail "footnote advice (en)"
has "$T/cy.html" "a wnaed o&#39;r un llyfr achosion ar yr un diwrnod gyda&#39;r un trothwy" || fail "footnote (cy)"
has "$T/cy.html" "atelir yma ffigur a ddiwygiwyd ers adroddiad cynharach" || fail "footnote on revised figures (cy)"
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
cp "$T/en.html" "$T/cy.html" "$T/q2.csv" "$T/fy.json" "$T/part.html" "$T/beyond-en.html" "$OUT/"
if [ -x /usr/bin/chromium ] && command -v node > /dev/null &&
	[ -d "$REPO/tests/browser/node_modules/axe-core" ]; then
	# (none left from an earlier run to pass the checks below)
	rm -f "$OUT"/*.html.png "$OUT"/*.html.pdf
	# (a bound on a hang, not on speed: at load 20 the two reports passed 120 s)
	HOME=$T timeout 300 node "$REPO/tests/browser/report-page.js" "$OUT" "$OUT/en.html" "$OUT/beyond-en.html" \
		"$OUT/cy.html" || fail "browser check of the reports"
	for f in en cy; do
		[ -s "$OUT/$f.html.pdf" ] || fail "no PDF ($f)"
		# the screenshots are for people, taken only when kept (CANDOUR_SHOTS)
		[ -z "${CANDOUR_SHOTS:-}" ] || [ -s "$OUT/$f.html.png" ] || fail "no screenshot ($f)"
	done
else
	skip "browser part: chromium, node or axe-core missing (sh scripts/deps.sh check)"
fi
echo "report OK"
