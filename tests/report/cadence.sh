#!/usr/bin/env bash
# What a committee gets from a casebook used through a year (issue 11):
# gen_casebook's N concerns over 2025 (seed SEED), imported in steps, and
# the governance report made at each step as a council would make it.
#   CANDOUR_BIN=$PWD/build bash tests/report/cadence.sh N SEED [quarterly|yearly] [--check]
# quarterly: each quarter's report 5 days after the quarter ends, from the
# records imported by its last day (four casebook states), 2025 with Q4
# and FY2025 after March 2026; yearly: every month, quarter, 2025 and
# FY2025 in one run after March 2026 (one state: the README's advice).
# One line a report: the cells published of all, and the concerns
# received in the period (c: withheld), or the refusal's section; then a
# summary line. A measurement, not a test: it exits 0 whatever is
# refused (2 when a tool fails). With --check, every state's reports go to
# the independent checker together (tests/report/sdc_states.py, every
# table: an attacker holding every report the committee got), which
# exits 1 when a withheld cell is narrowed below the threshold.
set -u
N=${1:?N} SEED=${2:?SEED} MODE=${3:-quarterly} CHECK=${4:-}
. "$(dirname "$0")/states_lib.sh"
states_setup cadence || exit 2
B=$CANDOUR_BIN
# CADENCE_MONTHS=15: the concerns over January 2025 to March 2026 (N of
# them over the 15 months), so that FY2025 holds concerns the calendar
# year does not (default 12: none after 2025)
G=(--key "$d/alice.sec" --concerns "$N" --seed "$SEED" --from 2025-01 --months "${CADENCE_MONTHS:-12}")
# CADENCE_ANSWERED=1: every readable concern answers raised-before too, as
# the intake's form requires (gen_casebook --answered 1; risk always is)
[ "${CADENCE_ANSWERED:-0}" = 1 ] && G+=(--answered 1)
# CADENCE_SEALED=0: none sealed to other reviewers (gen_casebook --sealed 0)
[ "${CADENCE_SEALED:-1}" = 0 ] && G+=(--sealed 0)
"$B/bench/gen_casebook" --casebook "$d/fresh.db" "${G[@]}" > /dev/null || exit 2
made=0 all=0 pub=0 cells=0 prev=0 nstate=0 args=() mine=""
: > "$d/facts"
# import DAY: the records to DAY (the last held by the casebook)
import() {
	local k
	k=$(upto "$d/fresh.db" "$1")
	[ "$k" = "$prev" ] && return 0
	if [ "$prev" = 0 ]; then
		"$B/bench/gen_casebook" --casebook "$d/s.db" "${G[@]}" --hold "$k" --facts "$d/f" \
			> /dev/null || exit 2
	else
		"$B/bench/gen_casebook" --casebook "$d/s.db" "${G[@]}" --after "$prev" --hold "$k" \
			--facts "$d/f" > /dev/null || exit 2
	fi
	cat "$d/f" >> "$d/facts"
	prev=$k
}
# report ASOF PERIOD..: and, with --check, this state for the checker
report() {
	local asof=$1 p line
	mine=""
	shift
	for p in "$@"; do
		all=$((all + 1))
		if "$B/candour-review" report --casebook "$d/s.db" "${W[@]}" --as-of "$asof" --period "$p" \
			--out "$d/r.json" > /dev/null 2> "$d/err"; then
			line=$("$PY" -c 'import json, sys
cells = json.load(open(sys.argv[1]))["cells"]
pub = sum(not c["withheld"] for c in cells)
t = [c for c in cells if c["measure"] == "received_by_category" and c["breakdown"] == "total"][0]
print(pub, len(cells), "c" if t["withheld"] else t["value"])' "$d/r.json") || exit 2
			set -- $line "$@"
			printf '%-8s as of %s: %3d of %3d cells published, received %s\n' "$p" "$asof" "$1" "$2" "$3"
			made=$((made + 1)) pub=$((pub + $1)) cells=$((cells + $2))
			shift 3
			cp "$d/r.json" "$d/r$all.json"
			mine=$mine,$d/r$all.json
		else
			printf '%-8s as of %s: refused (%s)\n' "$p" "$asof" \
				"$(sed -n 's/.*was not made: in "\([^"]*\)".*/\1/p; s/.*cannot publish.*/cannot publish/p' "$d/err" | head -1)"
		fi
	done
	[ -n "$mine" ] || return 0
	nstate=$((nstate + 1))
	cp "$d/s.db" "$d/st$nstate.db"
	cp "$d/facts" "$d/st$nstate.db.facts"
	args+=("$d/st$nstate.db@$asof" "${mine#,}")
}
case $MODE in
quarterly)
	import 2025-03-31; report 2025-04-05 2025-Q1
	import 2025-06-30; report 2025-07-05 2025-Q2
	import 2025-09-30; report 2025-10-05 2025-Q3
	import 2025-12-31; report 2026-01-05 2025-Q4 2025
	import 2026-12-31; report 2026-04-05 FY2025 ;;
yearly)
	import 2026-12-31
	report 2026-04-05 2025-01 2025-02 2025-03 2025-04 2025-05 2025-06 2025-07 2025-08 \
		2025-09 2025-10 2025-11 2025-12 2025-Q1 2025-Q2 2025-Q3 2025-Q4 2025 FY2025 ;;
*) echo "cadence.sh: quarterly or yearly" >&2; exit 2 ;;
esac
echo "n=$N seed $SEED $MODE: $made of $all reports made, $pub of $cells cells published in them"
[ "$CHECK" = --check ] && [ "$nstate" -gt 0 ] || exit 0
rc=0
for tables in category,outcome,closed refs,shared; do
	"$PY" "$R/tests/report/sdc_states.py" --tables=$tables 5 "${args[@]}" || rc=1
done
exit $rc
