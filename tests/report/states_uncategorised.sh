#!/usr/bin/env bash
# Reports from two casebook states where readable concerns have no
# category (the categories changed since they were sent: report_facts.c
# counts them in "not known"), checked by sdc_states.py as they are
# (issue 11: report_agg.c categorised_in() lets such casebooks report;
# sdc_states.py then takes "not known" as at least the sealed count, not
# that count, in each state that has one). Run:
#   CANDOUR_BIN=$PWD/build bash tests/report/states_uncategorised.sh [N SEED DAY1 MONTH K [TABLES]]
# gen_casebook n=N (default 120) seed SEED (11) held to DAY1 (2025-03-20):
# state A, as of 2025-04-05, 2025-01..03, 2025-Q1 and FY2024; the rest
# imported, then K (default 2) readable concerns of month MONTH (default
# 2025-06; one after DAY1, or of DAY1's month: imported after A) given a
# category no longer offered (SQL on the clear column), and B, as of
# 2026-04-05, every month from 2025-01, every quarter, 2025 and FY2025
# (those refused said and left out). sdc_states.py --tables=TABLES
# (default category,closed,shared,refs) over both states' reports.
# Exit 1 when a withheld cell narrows (the failures printed), 0 otherwise;
# prints the reports refused.
set -u
. "$(dirname "$0")/states_lib.sh"
n=${1:-120} seed=${2:-11} day1=${3:-2025-03-20} month=${4:-2025-06} K=${5:-2}
tables=${6:-category,closed,shared,refs}
states_setup uc || exit 2
G=(--key "$d/alice.sec" --concerns "$n" --seed "$seed" --from 2025-01 --months 11)
"$GEN" --casebook "$d/fresh.db" "${G[@]}" > /dev/null || exit 2
k=$(upto "$d/fresh.db" "$day1")
"$GEN" --casebook "$d/s.db" "${G[@]}" --hold "$k" --facts "$d/s.facts" > /dev/null || exit 2
ra=""
for p in 2025-01 2025-02 2025-03 2025-Q1 FY2024; do
	"$RV" report --casebook "$d/s.db" "${W[@]}" --as-of 2025-04-05 --period $p --out "$d/a-$p.json" \
		> /dev/null 2> "$d/err" && ra=$ra,$d/a-$p.json || echo "A $p refused: $(cat "$d/err")"
done
cp "$d/s.db" "$d/a.db"
cp "$d/s.facts" "$d/a.db.facts"
"$GEN" --casebook "$d/s.db" "${G[@]}" --after "$k" --facts "$d/f" > /dev/null || exit 2
cat "$d/s.facts" "$d/f" > "$d/b.db.facts"
got=$("$PY" - "$d/s.db" "$month" "$day1" "$K" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
ids = [r[0] for r in c.execute(
    "SELECT id FROM concerns WHERE readable=1 AND substr(received,1,7)=? AND"
    " substr(received,1,10) > ? ORDER BY received LIMIT ?", (sys.argv[2], sys.argv[3], int(sys.argv[4])))]
c.executemany("UPDATE concerns SET category='retired-category' WHERE id=?", [(i,) for i in ids])
c.commit()
print(len(ids))
PY
) || exit 2
echo "n=$n seed $seed held to $day1: $got readable concern(s) of $month without a category"
rb=""
for p in 2025-01 2025-02 2025-03 2025-04 2025-05 2025-06 2025-07 2025-08 2025-09 2025-10 2025-11 \
	2025-12 2025-Q1 2025-Q2 2025-Q3 2025-Q4 2025 FY2025; do
	"$RV" report --casebook "$d/s.db" "${W[@]}" --as-of 2026-04-05 --period $p --out "$d/b-$p.json" \
		> /dev/null 2> "$d/err" && rb=$rb,$d/b-$p.json || echo "B $p refused (fails closed)"
done
cp "$d/s.db" "$d/b.db"
[ -n "$ra" ] && [ -n "$rb" ] || { echo "no two states' reports (nothing to check)"; exit 0; }
"$PY" "$R/tests/report/sdc_states.py" --tables="$tables" 5 "$d/a.db@2025-04-05" "${ra#,}" \
	"$d/b.db@2026-04-05" "${rb#,}"
