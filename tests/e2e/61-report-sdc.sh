#!/usr/bin/env bash
# Property test of the governance report's disclosure control
# (review/report_sdc.c): 1,000 random cubes shaped like the report's,
# suppressed by the C code and written as every month, quarter, year and FY
# report of their range; the independent checker tests/report/sdc_check.py
# (scipy's linprog) must find no published 1..threshold and every withheld
# cell's interval, given everything published in all of them, at least
# threshold wide. Then two deliberately weak suppressions it must reject.
# e2e: first
. "$(dirname "$0")/lib.sh"
sdc_setup sdc_gen
# The three checks are jobs of one checker process (sdc_check.py --serve,
# as e2e 63's: scipy imported once, not three times at ~0.5-1 s of CPU
# each). chk OUT ARGS...: sdc_check.py ARGS >OUT, its exit status.
coproc CHK { exec "$PY" "$CHECK" --serve; }
track_pid "$CHK_PID"
chk() {
	local out=$1 rc IFS=$'\t'
	shift
	printf '0\t%s\t%s\n' "$out" "$*" >&"${CHK[1]}"
	read -r rc <&"${CHK[0]}" || fail "the checker (sdc_check.py --serve) stopped"
	return "$rc"
}

# 800 cases = 1,000 cubes: every fourth case is two cubes sharing a Total,
# checked together.
SECONDS=0
"$GEN" 800 20261205 "$T/cases.jsonl" 2>"$T/gen.err" || { cat "$T/gen.err"; fail "sdc_gen failed"; }
cat "$T/gen.err"
grep -q '^sdc_gen: 800 cases, 1000 cubes suppressed' "$T/gen.err" || fail "expected 1000 cubes"
chk "$T/check.out" "$T/cases.jsonl" || { cat "$T/check.out"; fail "disclosure check failed"; }
cat "$T/check.out"
grep -q '^sdc_check: 800 cases, 1000 tables, [0-9]* withheld cells, 0 cases failed$' "$T/check.out" ||
	fail "checker summary unexpected"
echo "property test: ${SECONDS}s"

# The checker must catch weak suppression: primary only, and the real
# suppression with one secondary cell per cube published again.
"$GEN" --primary-only 20 7 "$T/weak.jsonl" 2>/dev/null || fail "sdc_gen --primary-only failed"
chk "$T/weak.out" --expect-fail "$T/weak.jsonl" || { cat "$T/weak.out"; fail "checker accepted primary-only suppression"; }
grep -q 'narrower than' "$T/weak.out" || fail "primary-only: no narrow interval reported"
"$GEN" --weaken 20 11 "$T/weaken.jsonl" 2>/dev/null || fail "sdc_gen --weaken failed"
chk "$T/weaken.out" --expect-fail "$T/weaken.jsonl" || { cat "$T/weaken.out"; fail "checker accepted a suppression with a secondary cell undone"; }
grep -q 'narrower than' "$T/weaken.out" || fail "weaken: no narrow interval reported"
sdc_serve_end
echo "PASS: disclosure control property test"
