#!/bin/sh
# Runs every tests/e2e/*.sh against the binaries in $CANDOUR_BIN, each one
# test (exit 0 passes). They run CANDOUR_E2E_JOBS at a time (default 2):
# each takes its own temp dir and free ports. A script holding the line
# "# e2e: alone" (it measures time or memory, or loads the machine) runs
# after the others, by itself. One holding "# e2e: quiet" (it measures time
# but costs little CPU itself) runs after the others too, beside the other
# quiet ones only (CANDOUR_E2E_QUIET_JOBS at a time, default 3), before the
# alone ones. One holding "# e2e: long" (a minute or more)
# runs in a lane of its own, CANDOUR_E2E_LONG_JOBS at a time (default 1;
# make check: 2), beside the CANDOUR_E2E_JOBS others from the start, the
# highest-numbered first (80's kills and 63's casebooks are the longest):
# the longest are then never the tail of the run (80's kills and restarts
# mostly wait, so the lane costs the others little). One holding
# "# e2e: first" (a shared one of the longest, in CPU or in waiting)
# starts before the other shared ones: started last, one of them was the
# tail of the lane, the other jobs done and the cores idle.
# Quiet: one line per script, with its wall time and the CPU time
# (user+system) of everything it ran and waited for; the log of a
# failing one is shown at the end. A script that skipped a part (lib.sh
# skip) shows as SKIP, with an "e2e: skipped: SCRIPT: WHY" line each. Ends
# with "e2e: failed: SCRIPT" lines, "e2e: N parts skipped" (if any) and
# "e2e: N passed, N failed".
# CANDOUR_E2E_PART=long, shared or alone (the quiet and the alone ones)
# runs only that group (make check starts the long ones beside the unit
# tests; tests/run-all.sh); all is the default.
# Usage: run-e2e.sh [SCRIPT...]   (default: all of tests/e2e/*.sh)
: "${CANDOUR_BIN:?set CANDOUR_BIN to the build directory}"
export CANDOUR_BIN
jobs=${CANDOUR_E2E_JOBS:-2}
out=$(mktemp -d "${TMPDIR:-/tmp}/candour-e2e-run.XXXXXX")
trap 'rm -rf "$out"' EXIT
# The scripts' python3 is Debian's, which scripts/deps.sh gives the tests'
# packages (scipy): a python3 earlier on PATH may lack them, and a version
# manager's shim (pyenv's: a chain of shell scripts) costs ~0.7 s of CPU a
# call, paid by every python3 a script runs.
if [ -x /usr/bin/python3 ] && [ "$(command -v python3)" != /usr/bin/python3 ]; then
	mkdir "$out/bin" && ln -s /usr/bin/python3 "$out/bin/python3" && PATH=$out/bin:$PATH && export PATH
fi
[ $# -gt 0 ] || set -- tests/e2e/*.sh
: > "$out/shared"; : > "$out/alone"; : > "$out/long"; : > "$out/quiet"; : > "$out/first"
# The marks of every script, by one grep (one a script and mark was up to
# four greps a script, ~280 processes a run): "\nSCRIPT:MARK\n" in $marks.
nl='
'
marks=$nl$(grep -H -F -x -e '# e2e: alone' -e '# e2e: quiet' -e '# e2e: long' -e '# e2e: first' "$@" 2>/dev/null)$nl
for t in "$@"; do
	[ -f "$t" ] || continue
	case "$t" in */lib.sh) continue ;; esac
	case $marks in
	*"$nl$t:# e2e: alone$nl"*) echo "$t" >> "$out/alone" ;;
	*"$nl$t:# e2e: quiet$nl"*) echo "$t" >> "$out/quiet" ;;
	*"$nl$t:# e2e: long$nl"*) echo "$t" >> "$out/long" ;;
	*"$nl$t:# e2e: first$nl"*) echo "$t" >> "$out/first" ;;
	*) echo "$t" >> "$out/shared" ;;
	esac
done
cat "$out/shared" >> "$out/first" && mv "$out/first" "$out/shared"
case ${CANDOUR_E2E_PART:-all} in
all) ;;
long) : > "$out/shared"; : > "$out/alone"; : > "$out/quiet" ;;
shared) : > "$out/long"; : > "$out/alone"; : > "$out/quiet" ;;
alone) : > "$out/long"; : > "$out/shared" ;;
*) echo "run-e2e.sh: CANDOUR_E2E_PART is all, long, shared or alone" >&2; exit 2 ;;
esac
# shellcheck disable=SC2016
one='log="$0/$(basename "$1").log"; start=$(date +%s)
	bash "$1" >"$log" 2>&1; rc=$?; times > "$log.t"
	took="$(( $(date +%s) - start ))s, cpu $(awk -f tests/cpu.awk "$log.t")"
	if [ "$rc" -eq 0 ] && grep -q "^e2e: skipped: " "$log"; then
		echo "[ e2e SKIP ] $1 ($took)"; sed -n "s|^e2e: skipped: |e2e: skipped: $1: |p" "$log" | tee -a "$0/skipped"
	elif [ "$rc" -eq 0 ]; then echo "[ e2e OK   ] $1 ($took)"
	else echo "$1" >> "$0/failed"; echo "[ e2e FAIL ] $1 ($took)"; fi'
sort -r "$out/long" | xargs -r -d '\n' -n 1 -P "${CANDOUR_E2E_LONG_JOBS:-1}" sh -c "$one" "$out" &
lane=$!
xargs -r -d '\n' -n 1 -P "$jobs" sh -c "$one" "$out" < "$out/shared"
wait "$lane"
xargs -r -d '\n' -n 1 -P "${CANDOUR_E2E_QUIET_JOBS:-3}" sh -c "$one" "$out" < "$out/quiet"
xargs -r -d '\n' -n 1 -P 1 sh -c "$one" "$out" < "$out/alone"
total=$(cat "$out/long" "$out/shared" "$out/quiet" "$out/alone" | wc -l)
fail=0
if [ -f "$out/failed" ]; then
	fail=$(wc -l < "$out/failed")
	while read -r t; do
		echo "---- log of $t (last 60 lines)"
		tail -n 60 "$out/$(basename "$t").log" | sed 's/^/    /'
	done < "$out/failed"
	sed 's/^/e2e: failed: /' "$out/failed"
fi
# a part this machine could not run (lib.sh skip) passed, but is counted
[ ! -f "$out/skipped" ] || echo "e2e: $(wc -l < "$out/skipped") parts skipped"
echo "e2e: $((total - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
