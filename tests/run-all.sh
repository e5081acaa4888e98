#!/bin/sh
# make check's test phase: unit tests plain and under ASan+UBSan, static
# checks, the fuzz targets (short), then the end-to-end tests with the plain
# binaries. Ends with one summary line.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
total_p=0; total_f=0
tally() { # $1 = log file
	l=$(grep -E '^[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1)
	p=$(echo "$l" | sed 's/.*: \([0-9]*\) passed.*/\1/'); f=$(echo "$l" | sed 's/.* \([0-9]*\) failed/\1/')
	[ -n "$l" ] || { p=0; f=1; }
	total_p=$((total_p + p)); total_f=$((total_f + f))
}
log=$(mktemp); trap 'rm -f "$log"' EXIT
echo "== unit tests (plain build)"
sh tests/run-unit.sh $(find build/tests -type f -perm -u+x -name 'test_*' | sort) | tee "$log"; tally "$log"
echo "== unit tests (AddressSanitizer + UndefinedBehaviorSanitizer)"
sh tests/run-unit.sh $(find build-asan/tests -type f -perm -u+x -name 'test_*' | sort) | tee "$log"; tally "$log"
echo "== static checks (tests/lint/)"
sh tests/lint/run.sh | tee "$log"; tally "$log"
echo "== fuzz targets: corpus and a bounded run each (tests/fuzz/)"
sh tests/fuzz/run.sh check | tee "$log"; tally "$log"
echo "== end-to-end tests"
CANDOUR_BIN=$(pwd)/build sh tests/run-e2e.sh | tee "$log"; tally "$log"
echo "all: $total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
