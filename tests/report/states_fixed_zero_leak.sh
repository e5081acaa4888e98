#!/usr/bin/env bash
# e2e 68 runs it (seed 1, K 6): it failed on the product of 2026-12-07
# before known_zeros stopped taking zeros from fixed sums whose value no
# reader knows (issue 11; SECURITY.md, "A fixed sum of 0 says its cells
# are 0 only where every reader knows its value"); it fails again with
# report_agg.c's sum_known taking every sum as known. Run:
#   CANDOUR_BIN=$PWD/build bash tests/report/states_fixed_zero_leak.sh [SEED [K]]
# Exit 1 (and sdc_states.py's failure printed) when the leak is there;
# 0 when every report B makes passes the check, or B makes none.
#
# A casebook (gen_casebook n=240, default seed 1) held to 2025-03-25,
# its categories edited by hand (SQL on the clear column): no concern of
# "other" in January or February, K (default 6) of March's concerns to
# 2025-03-25 "other". State A, as of 2025-04-05: 2025-03 (withholds
# March's "other", K > threshold: a secondary cell) and 2025-Q1
# (publishes Q1's "other", K). Then the rest imported (one late-March
# concern "other": March's cell changes, January's and February's do
# not) and, as of 2026-04-05, B's 2025-01, 2025-02, 2025-03, 2025-Q1 and
# 2025. fixed_sums takes A's Q1 "other" as fixing the sum of January's
# and February's (unchanged) "other", whose value is 0 now;
# report_sdc.c known_zeros takes "a fixed sum of 0 over the cells no pin
# publishes says each is 0" and publishes B's January and February
# "other" as 0. A reader who knows those cells did not change (the
# product's own reader: fixed_sums' U) has A's withheld March "other" =
# A's Q1 "other" - 0 - 0 = K exactly: sdc_states.py prints
# "state 1 2025-03 received_by_category cat.other withheld but in [K, K]".
# The sum is fixed, but its value is no reader's: it is A's Q1 less A's
# March, which A withheld. Seeds 1, 16, 24, 26, 34, 39 (K 6 and 8) leaked
# so; the others refused B's reports or withheld those cells. Now B's
# reports are refused in all of these (fails closed: B's January and
# February "other", 0 in a sum of 0 kept exactly, have no certificate),
# and e68's seeds 104 and 108, whose sums every reader knows, are made.
set -u
. "$(dirname "$0")/states_lib.sh"
seed=${1:-1} K=${2:-6} n=240 day1=2025-03-25
states_setup fz || exit 2
G=(--key "$d/alice.sec" --concerns $n --seed "$seed" --from 2025-01 --months 11)
"$GEN" --casebook "$d/fresh.db" "${G[@]}" > /dev/null || exit 2
k=$(upto "$d/fresh.db" "$day1")
"$GEN" --casebook "$d/s.db" "${G[@]}" --hold "$k" > /dev/null || exit 2
"$PY" - "$d/s.db" "$K" <<'PY' || exit 2
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE concerns SET category='recording' WHERE category='other'"
          " AND substr(received,1,7) IN ('2025-01','2025-02','2025-03')")
ids = [r[0] for r in c.execute("SELECT id FROM concerns WHERE readable=1 AND"
       " substr(received,1,7)='2025-03' ORDER BY received LIMIT ?", (int(sys.argv[2]),))]
c.executemany("UPDATE concerns SET category='other' WHERE id=?", [(i,) for i in ids])
c.commit()
PY
ra=""
for p in 2025-03 2025-Q1; do
	"$RV" report --casebook "$d/s.db" "${W[@]}" --as-of 2025-04-05 --period $p --out "$d/a-$p.json" \
		> /dev/null 2> "$d/err" && ra=$ra,$d/a-$p.json || echo "A $p refused: $(cat "$d/err")"
done
cp "$d/s.db" "$d/a.db"
"$GEN" --casebook "$d/s.db" "${G[@]}" --after "$k" > /dev/null || exit 2
"$PY" - "$d/s.db" <<'PY' || exit 2
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE concerns SET category='recording' WHERE category='other' AND"
          " substr(received,1,10) > '2025-03-25' AND substr(received,1,7)='2025-03'")
i = c.execute("SELECT id FROM concerns WHERE readable=1 AND substr(received,1,10) > '2025-03-25'"
              " AND substr(received,1,7)='2025-03' LIMIT 1").fetchone()
c.execute("UPDATE concerns SET category='other' WHERE id=?", i)
c.commit()
PY
rb=""
for p in 2025-01 2025-02 2025-03 2025-Q1 2025; do
	"$RV" report --casebook "$d/s.db" "${W[@]}" --as-of 2026-04-05 --period $p --out "$d/b-$p.json" \
		> /dev/null 2> "$d/err" && rb=$rb,$d/b-$p.json || echo "B $p refused (fails closed)"
done
cp "$d/s.db" "$d/b.db"
[ -n "$ra" ] && [ -n "$rb" ] || { echo "seed $seed K $K: no two states' reports (nothing to check)"; exit 0; }
"$PY" "$R/tests/report/sdc_states.py" --tables=category,closed 5 "$d/a.db@2025-04-05" "${ra#,}" \
	"$d/b.db@2026-04-05" "${rb#,}"
