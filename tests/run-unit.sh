#!/bin/sh
# Runs cmocka programs, CANDOUR_JOBS at a time (default: the number of
# CPUs), and adds up their own summaries. Quiet: one line per program; the
# output of a failing program (its seed line first, for a replay) is shown
# in full. Ends with "unit: failed: PROGRAM (TEST, ...)" for each failing
# program and "unit: N passed, N failed".
# Usage: run-unit.sh PROGRAM...
jobs=${CANDOUR_JOBS:-$(nproc 2>/dev/null || echo 2)}
out=$(mktemp -d "${TMPDIR:-/tmp}/candour-unit.XXXXXX")
trap 'rm -rf "$out"' EXIT
i=0
for t in "$@"; do
	i=$((i + 1))
	printf '%s\t%s\n' "$i" "$t"
done > "$out/list"
# One program per sh: its output and exit code land in $out/N.{log,rc}.
# shellcheck disable=SC2016
cut -f1,2 "$out/list" | tr '\t' '\n' | xargs -r -d '\n' -n 2 -P "$jobs" sh -c '
	start=$(date +%s)
	"$2" >"$0/$1.log" 2>&1; rc=$?; times >"$0/$1.t"
	echo "$rc $(( $(date +%s) - start ))" >"$0/$1.rc"' "$out"
pass=0; fail=0; failed=""
while IFS="$(printf '\t')" read -r n t; do
	read -r rc secs < "$out/$n.rc"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out/$n.log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out/$n.log" | tail -n 1)
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	if [ "$rc" -eq 0 ] && [ -z "$f" ]; then
		echo "[ unit OK   ] $t (${p:-0} tests, ${secs}s, cpu $(awk -f tests/cpu.awk "$out/$n.t"))"
		continue
	fi
	if [ -z "$f" ]; then
		fail=$((fail + 1))
		names="exited $rc without a cmocka summary"
	else
		names=$(sed -n 's/^\[  FAILED  \] \([A-Za-z0-9_]*\)$/\1/p' "$out/$n.log" |
			sort -u | paste -sd, - | sed 's/,/, /g')
	fi
	echo "[ unit FAIL ] $t"
	sed 's/^/    /' "$out/$n.log"
	failed="$failed
unit: failed: $t ($names)"
done < "$out/list"
[ -z "$failed" ] || printf '%s\n' "$failed" | sed '/^$/d'
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
