#!/bin/sh
# Repeats the randomised cases of the seeded unit programs (tests/test_seed.h)
# RUNS times each, a fresh seed every run, JOBS runs at a time; stops at the
# first failure and prints its output, its seed and the command that replays
# it. Not part of make check (issue 10's 1,000 runs: tests/README.md,
# "Randomised unit tests"); tests/loop-random-selftest.sh checks it.
# Only the cases whose own choices are random run (CANDOUR_TEST_ONLY, the
# pattern below): repeating a deterministic case proves nothing. Every run
# must run exactly the number of cases listed, so a case renamed out of the
# pattern, or a new one, fails the loop until this table says so.
# Usage: loop-random.sh [-n RUNS] [-j JOBS] BUILD [PROGRAM...]
#   (PROGRAM as in the table, e.g. crypto/test_hostile; default: all five)
# Ends with "loop: PROGRAM: N runs, N failed, CPU" per program and
# "loop: N passed, N failed"; exit 0 only if every run passed. Stopped by
# hand, it says how many runs of the program had passed and their CPU.
runs=1000
jobs=1
while getopts n:j: o; do
	case $o in
	n) runs=$OPTARG ;;
	j) jobs=$OPTARG ;;
	*) echo "usage: loop-random.sh [-n RUNS] [-j JOBS] BUILD [PROGRAM...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: loop-random.sh [-n RUNS] [-j JOBS] BUILD [PROGRAM...]" >&2; exit 2; }
build=$1; shift
here=$(dirname "$0")

# program, the pattern of its randomised cases, how many cases it matches
table='crypto/test_hostile *random* 4
bundle/test_bundle *random* 1
intake/test_store *random* 2
crypto/test_stream pieces_of_every_size 1
crypto/test_receipt * 13'
# shellcheck disable=SC2046 # the programs' names, one word each
[ $# -gt 0 ] || set -- $(echo "$table" | cut -d' ' -f1)

out=$(mktemp -d "${TMPDIR:-/tmp}/candour-loop.XXXXXX")
trap 'rm -rf "$out"' EXIT
# Stopped by hand (a deadline: Ctrl-C, or TERM to the process group; a TERM
# to this shell alone waits for xargs to finish): say how far it got.
trap 'times > "$out/t1"; echo "loop: $prog: interrupted after $(cat "$out/passed" 2>/dev/null | wc -c) passed runs, cpu $(awk -v since="$out/t0" -f "$here/cpu.awk" "$out/t1")"; exit 130' INT TERM HUP
pass=0; fail=0
for prog in "$@"; do
	line=$(echo "$table" | grep "^$prog ")
	[ -n "$line" ] || { echo "loop-random.sh: $prog is not in the table" >&2; exit 2; }
	pattern=$(echo "$line" | cut -d' ' -f2); want=$(echo "$line" | cut -d' ' -f3)
	rm -f "$out"/*.log; : > "$out/passed"; : > "$out/failed"; times > "$out/t0"
	# One run per sh (sh -c OUT PROGRAM CASES RUN), read with the shell's
	# builtins only (an exec per run costs as much as test_bundle's case);
	# a failing run names itself in OUT/failed and exits 255, which stops
	# xargs from starting more (the runs already started finish).
	# shellcheck disable=SC2016
	seq 1 "$runs" | CANDOUR_TEST_ONLY=$pattern xargs -P "$jobs" -n 1 sh -c '
		"$1" > "$0/$3.log" 2>&1; rc=$?; n=; f=
		while IFS= read -r l; do
			case $l in
			"[  PASSED  ] "*) n=${l#"[  PASSED  ] "}; n=${n%% *} ;;
			"[  FAILED  ]"*) f=1 ;;
			esac
		done < "$0/$3.log"
		if [ "$rc" -eq 0 ] && [ "${n:-0}" -eq "$2" ] && [ -z "$f" ]; then
			printf . >> "$0/passed"; exit 0
		fi
		[ "$rc" -ne 0 ] || echo "ran ${n:-no} cases where $2 are listed" >> "$0/$3.log"
		echo "$3" >> "$0/failed"
		exit 255' "$out" "$build/tests/$prog" "$want" 2>/dev/null
	times > "$out/t1"
	cpu=$(awk -v since="$out/t0" -f "$here/cpu.awk" "$out/t1")
	failed=$(wc -l < "$out/failed")
	if [ "$failed" -eq 0 ]; then
		echo "loop: $prog: $runs runs, 0 failed, cpu $cpu"
		pass=$((pass + 1))
		continue
	fi
	while read -r k; do
		l=$out/$k.log
		echo "loop: FAIL $prog (run $k of $runs):"
		sed 's/^/    /' "$l"
		r=$(sed -n 's/^seed [0-9]* (replay: \(.*\))$/\1/p' "$l" | head -n 1)
		echo "loop: replay: ${r:-(the run printed no seed line)}"
	done < "$out/failed"
	echo "loop: $prog: stopped, $failed failed, cpu $cpu"
	fail=$((fail + 1))
	break
done
echo "loop: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
