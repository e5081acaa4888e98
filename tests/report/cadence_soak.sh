#!/bin/sh
# make soak's part of issue 11's quarterly cadence: tests/report/cadence.sh
# quarterly --check (every state's reports to the independent checker at
# once) for N in 160, 320, 1000 and seeds 1..SOAK_CADENCE_SEEDS (default
# 30: n=320 seeds 14, 19 and 27 leak without the answer tables' floor):
# exit 1 when any run finds a withheld cell narrowed (or a tool fails),
# with a line a run (reports made, cells published) either way. e2e 91
# runs four of these in make check. ~3 s of CPU a run. Three kinds of
# casebook each (SOAK_CADENCE_KINDS, default all three): "drawn" (the
# generator's answers as drawn: raised before unanswered for a third of
# the readable concerns), "answered" (every readable concern answers both,
# as the intake's form requires: CADENCE_ANSWERED=1) and "open" (answered,
# and none sealed to other reviewers, every concern to every reviewer:
# CADENCE_SEALED=0); the last two found what the first could not (session
# 22: SECURITY.md, "What a committee gets").
: "${CANDOUR_BIN:?set CANDOUR_BIN to the build directory}"
R=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
rc=0
for kind in ${SOAK_CADENCE_KINDS:-drawn answered open}; do
	case $kind in
	drawn) env= ;;
	answered) env=CADENCE_ANSWERED=1 ;;
	open) env="CADENCE_ANSWERED=1 CADENCE_SEALED=0" ;;
	*) echo "cadence_soak: unknown kind $kind (drawn, answered, open)"; exit 2 ;;
	esac
	for n in 160 320 1000; do
		s=1
		while [ "$s" -le "${SOAK_CADENCE_SEEDS:-30}" ]; do
			if env $env bash "$R/tests/report/cadence.sh" "$n" "$s" quarterly --check \
				> "$out" 2>&1; then
				echo "$kind: $(grep 'reports made' "$out")"
			else
				cat "$out"
				echo "cadence ($kind): n=$n seed $s: a withheld cell narrowed (or a tool failed)"
				rc=1
			fi
			s=$((s + 1))
		done
	done
done
exit $rc
