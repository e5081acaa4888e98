#!/usr/bin/env bash
# The governance report's progress on a terminal (issue 11: "Progress on a
# terminal for long casebooks"): `report` run under a pseudo-terminal
# (util-linux `script`) over 60,000 concerns prints "report: 50000 of 60000
# concerns read" and "report: 60000 concerns read" on the terminal, and
# none of it reaches the report (the CSV is the bytes made without a
# terminal); without a terminal (stderr a file) no progress line is
# printed at all. Until 2026-12-06 nothing ran report on a terminal.
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$(dirname "$0")/../.." && pwd)
RV=$BIN/candour-review
GEN=$BIN/bench/gen_casebook
[ -x "$GEN" ] || fail "missing $GEN (make tests builds it)"
command -v script > /dev/null || fail "script (util-linux) missing"
export CANDOUR_PASSPHRASE_FILE=$T/pass
echo "progress kettle orbit velvet canyon" > "$T/pass"
"$RV" keygen --name alice --out "$T" --kdf test > /dev/null || fail keygen
# report_facts.c rewrites its line every 50,000 concerns read
"$GEN" --casebook "$T/cb.db" --key "$T/alice.sec" --concerns 60000 --seed 3 --from 2025-01 \
	--months 12 > /dev/null || fail "generator"
R=("$RV" report --casebook "$T/cb.db" --key "$T/alice.sec" --web "$REPO/web" --period 2025-Q1)

# on a terminal: stdin, stdout and stderr the pty script made
printf -v cmd '%q ' "${R[@]}" --out "$T/tty.csv"
script -qec "$cmd" /dev/null < /dev/null > "$T/terminal" || fail "report on a terminal: $(cat "$T/terminal")"
has "$T/terminal" $'\rreport: 50000 of 60000 concerns read' || fail "no progress on the terminal: $(od -c "$T/terminal" | head)"
has "$T/terminal" $'\rreport: 60000 concerns read' || fail "no last progress line on the terminal"
has "$T/terminal" "report: $T/tty.csv written for 2025-Q1" || fail "the terminal did not see the report written"
# in Welsh, every line (until 2026-12-07 the count read said "report:",
# the lines after it "adroddiad:")
printf -v cmd '%q ' "${R[@]}" --lang cy --out "$T/tty-cy.csv"
script -qec "$cmd" /dev/null < /dev/null > "$T/terminal" || fail "report in Welsh on a terminal: $(cat "$T/terminal")"
has "$T/terminal" $'\radroddiad: darllenwyd 60000 pryder' && ! grep -aq 'report: ' "$T/terminal" ||
	fail "the Welsh progress: $(od -c "$T/terminal" | head)"

# without one: stderr a file, nothing of the progress anywhere
"${R[@]}" --out "$T/file.csv" > "$T/out" 2> "$T/err" || fail "report without a terminal: $(cat "$T/err")"
[ ! -s "$T/err" ] || fail "without a terminal report wrote to stderr: $(od -c "$T/err" | head)"
for f in "$T/out" "$T/tty.csv" "$T/file.csv" "$T/tty.csv.minisig"; do
	if grep -aq 'concerns read' "$f"; then fail "progress reached $f"; fi
done
# the report made on a terminal is the one made without (made the same day)
cmp "$T/tty.csv" "$T/file.csv" || fail "the report made on a terminal differs"
# the generator says what failed (until 2026-12-07 a failed write exited
# 1 without a word: a 1M casebook written beside another run)
set +e
"$GEN" --casebook "$T/g.db" --key "$T/alice.sec" --concerns 10 --seed 1 --from 2025-13 --months 3 \
	> /dev/null 2> "$T/gerr"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q -- '--from 2025-13: not a month' "$T/gerr" || fail "gen_casebook --from 2025-13: rc $rc, $(cat "$T/gerr")"
"$GEN" --casebook "$T/g.db" --key "$T/alice.sec" --concerns 10 --seed 1 --from 2025-01 --months 3 \
	> /dev/null || fail "gen_casebook: a small casebook"
set +e
"$GEN" --casebook "$T/g.db" --key "$T/alice.sec" --concerns 10 --seed 2 --from 2025-01 --months 3 \
	--after 5 > /dev/null 2> "$T/gerr"
rc=$?
set -e
[ "$rc" = 1 ] && grep -q 'gen_casebook: writing a record failed: UNIQUE' "$T/gerr" ||
	fail "gen_casebook over another seed's records: rc $rc, $(cat "$T/gerr")"
echo "report progress OK"
