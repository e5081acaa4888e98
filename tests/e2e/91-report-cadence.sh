#!/usr/bin/env bash
# A casebook reported quarterly, as a council does (issue 11; SECURITY.md,
# "What a committee gets"): tests/report/cadence.sh makes gen_casebook's
# concerns over 2025, imported in four steps, each quarter's report five
# days after the quarter ends from the records of that day, 2025 with Q4
# and FY2025 after March 2026, and hands every state's reports to the
# independent checker at once (tests/report/sdc_states.py, every table):
# no withheld cell narrowed below the threshold, and the reports made.
# Until 2026-12-07 each report's cube was decided for every period it held
# as if each would be reported from that state, and these casebooks got
# their first quarter and then mostly refusals: n=1000 seed 1 made 1 of 6,
# n=320 seed 2 1 of 6, n=160 seed 1 1 of 6 (report_agg.c, unasked: where
# the whole cube leaves a table no protection, the cells no report of the
# run shows are set free). Checked to fail with the earlier reports' cells
# ignored (a scratch build: the checker finds category, closed and refs
# cells narrowed). n=320 seed 14 is a casebook whose reports leak without
# the answer tables' floor (report_agg.c, sealed_floor): Q2's risk "no"
# withheld but in [35, 35] (a mutant: this script fails there). Seed 8,
# the leak's first casebook, stopped leaking without the floor once the
# whole range was left unasked (2026-12-07); seeds 14, 19 and 27 of 11-30
# were found then. n=1000 seed 2 gets all six since 2026-12-07: its
# calendar year was refused while Q1's row cells, their March changed
# since, kept their January and February's sums exact (report_agg.c,
# row_rooms), and its FY2025 while nothing said January to March 2026,
# none received, were 0 (report_sdc.c, whole_less_known); each a mutant
# this script kills. Since the free combinations (session 20) no quarterly
# casebook of make soak's 90 leaks without the floor; n=160 seed 1 made
# at once after March 2026 (the year's 18 reports: cadence.sh yearly)
# does: November's risk "no" withheld but in [5, 5]. n=320 seed 2's
# reports publish 208 cells since then, 197 where the whole range's cells
# no report shows are kept asked (report_agg.c, unshown; a mutant): a
# change that publishes fewer fails here, and says so. n=320 seed 15's
# FY2025 was refused in section 4 (one outcome's closures over the FY,
# 15, withheld for a certificate and then held within 5 by the year and
# the quarters published before, which the search could not certify and
# never went back on): since session 20 such a cell is published instead
# where nothing else protects the table (report_agg.c, publish_instead; a
# mutant). Cost: ~3 s of CPU a casebook.
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$(dirname "$0")/../.." && pwd)
"${PY:-/usr/bin/python3}" -c 'import scipy.optimize' 2>/dev/null ||
	fail "python3-scipy missing (scripts/deps.sh check)"
# cadence N SEED LEAST [yearly|quarterly [CELLS]]: at least LEAST of the
# 6 reports made (of 18 yearly), none narrowed, and at least CELLS cells
# published in them
cadence() {
	local out=$T/c-$1-$2.out made how=${4:-quarterly} all=6 cells
	[ "$how" = yearly ] && all=18
	CANDOUR_BIN=$BIN bash "$REPO/tests/report/cadence.sh" "$1" "$2" "$how" --check > "$out" 2>&1 ||
		{ cat "$out"; fail "n=$1 seed $2 $how: a withheld cell narrowed (or a tool failed)"; }
	made=$(sed -n "s/.* $how: \([0-9]*\) of $all reports made.*/\1/p" "$out")
	[ -n "$made" ] && [ "$made" -ge "$3" ] ||
		{ cat "$out"; fail "n=$1 seed $2 $how: ${made:-no} reports of $all made, $3 at least"; }
	[ "$(grep -c ' 0 failures' "$out")" = 5 ] || { cat "$out"; fail "n=$1 seed $2: not every table checked"; }
	cells=$(sed -n "s/.* reports made, \([0-9]*\) of .*/\1/p" "$out")
	[ "${cells:-0}" -ge "${5:-0}" ] || { cat "$out"; fail "n=$1 seed $2 $how: ${cells:-no} cells published, $5 at least"; }
	grep 'reports made' "$out"
}
cadence 1000 1 5
cadence 320 2 6 quarterly 209
cadence 160 1 6
cadence 320 14 6
cadence 1000 2 6
cadence 160 1 18 yearly
cadence 320 15 6
# answered as the intake's form requires (raised before too: gen_casebook
# --answered 1), so the checker holds both answer tables' "not known" to
# the sealed concerns; n=1,000 seed 5's FY2025 risk "not known" was
# withheld at the category's published 72 before report_agg.c's
# same_unknown (387 cells with --answered 1, 386 without)
CADENCE_ANSWERED=1 cadence 1000 5 6
# n=1,000 seed 6's FY2025 was refused after the calendar year (section 2)
# from 2026-12-07's e4b8473 until report_sdc.c's known_pin published a
# revised cell only its revision withheld where every reader has it now:
# its risk "not known", revised since an earlier report and the same as
# the category's, which the FY published (a mutant). 416 cells since.
CADENCE_ANSWERED=1 cadence 1000 6 6 quarterly 416
# none sealed to other reviewers (gen_casebook --sealed 0: every concern
# to every reviewer, the usual set-up): n=160 seed 6 made Q1 and nothing
# after it, each later report refused in section 3: Q1's acknowledged
# "later", published as 12, revised to 13 by an acknowledgement after
# Q1's report and at most Q1's "not yet" (4) above 12, was withheld and
# certified as if this run showed it, with less room than the threshold
# (report_agg.c, unneeded; a mutant). 214 cells since.
CADENCE_SEALED=0 CADENCE_ANSWERED=1 cadence 160 6 6 quarterly 214
# The checker's reader knows the last import (the statement prints it),
# and so that the months after it are empty (sdc_states.py, tail()):
# n=320 seed 2 above withheld FY2025's January 2026 Total, 0 for that
# reader, until report_agg.c's tail_publish (a mutant); the same run
# with SDC_DEAD_TAIL=0 (the reader before) passes too.
SDC_DEAD_TAIL=0 cadence 320 2 6 quarterly 209
echo "report cadence OK"
