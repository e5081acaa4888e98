#!/bin/sh
# make check's test phase: unit tests plain and under ASan+UBSan, static
# checks, the fuzz targets (short), then the end-to-end tests with the plain
# binaries. Ends with the failed tests, one a line ("failed: PHASE: ..."),
# and one summary line.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
total_p=0; total_f=0
tally() { # $1 = log file
	l=$(grep -E '^[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1)
	p=$(echo "$l" | sed 's/.*: \([0-9]*\) passed.*/\1/'); f=$(echo "$l" | sed 's/.* \([0-9]*\) failed/\1/')
	[ -n "$l" ] || { p=0; f=1; echo "failed: $2: the runner ended without a summary" >> "$failed"; }
	total_p=$((total_p + p)); total_f=$((total_f + f))
	grep -E '^(unit|e2e): failed: ' "$1" | sed "s/^[a-z0-9]*: failed: /failed: $2: /" >> "$failed"
}
log=$(mktemp); failed=$(mktemp); longlog=$(mktemp); t0=$(mktemp); t1=$(mktemp); cpu=$(mktemp)
# The CPU time (user+system) of each phase, from the shell's own `times`
# (its waited-for children), printed at the end. The long lane's counts in
# the phase during which it ended (the shell reaps it then); its scripts'
# own lines give its share.
phase_cpu() { # $1 = phase name
	times > "$t1"; echo "cpu: $1: $(awk -v since="$t0" -f tests/cpu.awk "$t1")" >> "$cpu"; cp "$t1" "$t0"
}
times > "$t0"
# The e2e scripts marked long (crash kills, 1,000 casebooks, the a11y walk:
# minutes each, much of it waiting) are the run's critical path: they start
# now, one at a time, beside the unit, static and fuzz phases, which left a
# core idle much of the time. Those marked alone still run by themselves,
# after them.
CANDOUR_BIN=$(pwd)/build CANDOUR_E2E_PART=long sh tests/run-e2e.sh > "$longlog" 2>&1 &
longpid=$!
trap 'kill "$longpid" 2>/dev/null; rm -f "$log" "$failed" "$longlog" "$t0" "$t1" "$cpu"' EXIT
echo "== end-to-end tests marked long: started, beside what follows"
echo "== unit tests (plain build)"
sh tests/run-unit.sh $(find build/tests -type f -perm -u+x -name 'test_*' | sort) | tee "$log"; tally "$log" "unit (plain)"; phase_cpu "unit (plain)"
echo "== unit tests (AddressSanitizer + UndefinedBehaviorSanitizer)"
sh tests/run-unit.sh $(find build-asan/tests -type f -perm -u+x -name 'test_*' | sort) | tee "$log"; tally "$log" "unit (ASan+UBSan)"; phase_cpu "unit (ASan+UBSan)"
echo "== static checks (tests/lint/)"
sh tests/lint/run.sh | tee "$log"; tally "$log" "lint"; phase_cpu lint
echo "== fuzz targets: corpus and a bounded run each (tests/fuzz/)"
sh tests/fuzz/run.sh check | tee "$log"; tally "$log" "fuzz"; phase_cpu fuzz
echo "== end-to-end tests"
CANDOUR_BIN=$(pwd)/build CANDOUR_E2E_PART=shared sh tests/run-e2e.sh | tee "$log"; tally "$log" "e2e"; phase_cpu e2e
wait "$longpid"; phase_cpu "e2e (long lane, if it ended after e2e)"
echo "== end-to-end tests marked long (run since the unit tests)"
cp "$longlog" "$log"; cat "$log"; tally "$log" "e2e (long)"
echo "== end-to-end tests marked alone (by themselves)"
CANDOUR_BIN=$(pwd)/build CANDOUR_E2E_PART=alone sh tests/run-e2e.sh | tee "$log"; tally "$log" "e2e (alone)"; phase_cpu "e2e (alone)"
echo "== CPU time per phase"; cat "$cpu"
if [ -s "$failed" ]; then echo "== failed"; cat "$failed"; fi
echo "all: $total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
