#!/bin/sh
# make soak's part of issue 11's quarterly cadence: tests/report/cadence.sh
# quarterly --check (every state's reports to the independent checker at
# once) for N in 160, 320, 1000 and seeds 1..SOAK_CADENCE_SEEDS (default
# 30: n=320 seeds 14, 19 and 27 leak without the answer tables' floor):
# exit 1 when any run finds a withheld cell narrowed (or a tool fails),
# with a line a run (reports made, cells published) either way. e2e 91
# runs four of these in make check. ~3 s of CPU a run.
: "${CANDOUR_BIN:?set CANDOUR_BIN to the build directory}"
R=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
rc=0
for n in 160 320 1000; do
	s=1
	while [ "$s" -le "${SOAK_CADENCE_SEEDS:-30}" ]; do
		if bash "$R/tests/report/cadence.sh" "$n" "$s" quarterly --check > "$out" 2>&1; then
			grep 'reports made' "$out"
		else
			cat "$out"
			echo "cadence: n=$n seed $s: a withheld cell narrowed (or a tool failed)"
			rc=1
		fi
		s=$((s + 1))
	done
done
exit $rc
