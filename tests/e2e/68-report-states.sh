#!/usr/bin/env bash
# Reports from two casebook states (issue 11; SECURITY.md, "Reports from
# different casebook states"). Every report written is recorded in the
# casebook (report_cells) and kept by every later one. Here, the real way
# through `candour-review report`:
# - the threshold is the first report's: another is refused with one line
#   naming it, nothing written; a report made again from the same state
#   records nothing new and is the same file;
# - the audit's finding (b): bench/gen_casebook --hold K is the casebook
#   before the records dated after DAY1 were imported; 2025-01..03, 2025-Q1
#   and FY2024 are made from it as of 2025-04-05, then the records are
#   imported into it (bench/gen_casebook --after K) and
#   2025-04..12, every quarter, 2025 and FY2025 are made as of 2026-04-05.
#   tests/report/sdc_states.py (scipy's linprog, written from the reports
#   and the generator's truth alone) must find every withheld cell of the
#   category table at least threshold wide given all of them, treating
#   the month cells whose true count did not change as one variable.
#   Without the held state's cells (the reports as before 2026-12-06) it
#   must find the audit's leak: n=120 seeds 11 and 14, FY2025's Total and
#   "not known" pinned exactly.
# make check: n=120 seeds 11 and 14 (with and without), n=90 seed 23,
# n=120 seed 11 held to 2025-03-20 (late March imported after Q1's reports:
# revised cells), and n=240 seed 118 held to 2025-03-15, which refused
# every later report until the L directions (SECURITY.md, "The L
# directions"): all 15 must be made; n=60 seed 105, whose later 2025-Q1
# is refused in one line naming the section and what to do (English and
# Welsh), and with only 2025-Q1 made before, its later 2025-01, never
# reported, refused without sending the reviewer after "the report of
# 2025-01 made before" (rpt.refused.cut_new; every cut refusal's advice is
# checked against what was made: cut_said); n=180 seed 109's B (three
# states: as of 2025-10-05), where A's FY2024 and B's statement leave
# April..September's "not known" 4 in all: its 2025-04 made (refused
# until the whole range's unpublished cells were left unasked), checked; n=240 seed 104 at three states (the year made
# at B), whose last state was refused whole until a closure after the
# earlier state's reports was no longer taken as fixed: C's FY2025 must be
# made; n=150 seed 108 at three states (the year made at B), whose last
# state was refused whole until the zeros several earlier sums make were
# found and the outcome table's published sums were no longer kept
# exactly: C's FY2025 must be made, and its 2026-Q1 publish those zeros;
# n=210 seed 117 at three states, whose last state was refused whole until
# a month Total's sum over its unchanged cells was kept one way where its
# changed cells no report published make up for it: C's quarters but Q1,
# 2025 and FY2025 must be made;
# CANDOUR_SDC_FULL=1: the other 18 of the sweep's 20 casebooks, and the
# none-sealed draws (split month; three states held to 30 June, 20 May
# and 15 August).
# Section 5's tables (the concerns naming a referral, the references by
# register state, the seven flags, corroborated: sdc_states.py
# --tables=refs, the truth from each state's gen_casebook --facts), and
# the other tables sharing the category table's Total (at risk, raised
# before, the reporter's voice, acknowledged, feedback: --tables=shared,
# the answers from the same facts): n=240 seed 118 and n=120 seed 23's
# three states in make check, every case with CANDOUR_SDC_FULL.
# A readable concern without a category: n=180 seed 102 with one of June
# 2025 (tests/report/states_uncategorised.sh; category and closed tables).
# Cost: ~14-17 s of CPU (tests/README.md; ~20-25 s before sdc_states.py's
# shortcut covered the category and outcome tables); seed 108's case ~3 s
# more (2026-12-07: 23.8 s new, 20.5 s old at load ~15, two runs each);
# seed 117's ~3 s more (26.3 s against 23.2, medians of three).
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$(dirname "$0")/../.." && pwd)
RV=$BIN/candour-review
GEN=$BIN/bench/gen_casebook
STATES=$REPO/tests/report/sdc_states.py
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
[ -x "$GEN" ] || fail "missing $GEN (make tests builds it)"
"$PY" -c 'import scipy.optimize' 2>/dev/null || fail "python3-scipy missing (scripts/deps.sh check)"
export CANDOUR_PASSPHRASE_FILE=$T/pass
echo "report test kettle orbit velvet canyon" > "$T/pass"
"$RV" keygen --name alice --out "$T" --kdf test > /dev/null || fail keygen
W=(--key "$T/alice.sec" --web "$REPO/web" --format json)
cells() { "$PY" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM report_cells").fetchone()[0])' "$1"; }

# ---- the threshold, and the same report again --------------------------------
"$GEN" --casebook "$T/t.db" --key "$T/alice.sec" --concerns 60 --seed 5 --from 2025-01 --months 6 > /dev/null \
	|| fail generator
[ "$(cells "$T/t.db")" = 0 ] || fail "a new casebook holds report cells"
"$RV" report --casebook "$T/t.db" "${W[@]}" --as-of 2025-07-05 --period 2025-Q1 --threshold 6 \
	--out "$T/t1.json" > /dev/null || fail "first report"
n=$(cells "$T/t.db")
[ "$n" -gt 20 ] || fail "the report recorded $n cells"
"$RV" report --casebook "$T/t.db" "${W[@]}" --as-of 2025-07-05 --period 2025-Q2 --out "$T/t2.json" \
	2> "$T/err" > /dev/null && fail "a report at another threshold was made"
has "$T/err" "this casebook's reports use threshold 6: its earlier reports were made at it, and a report at another threshold, set beside them, could reveal what they withhold; make it with --threshold 6" \
	|| fail "threshold refusal: $(cat "$T/err")"
[ "$(wc -l < "$T/err")" = 1 ] || fail "the refusal is not one line"
[ ! -e "$T/t2.json" ] || fail "a refused report left a file"
[ "$(cells "$T/t.db")" = "$n" ] || fail "a refused report recorded cells"
"$RV" report --casebook "$T/t.db" "${W[@]}" --as-of 2025-07-05 --period 2025-Q1 --threshold 6 \
	--out "$T/t3.json" > /dev/null || fail "the same report again"
[ "$(cells "$T/t.db")" = "$n" ] || fail "the same report again recorded new cells"
cmp -s "$T/t1.json" "$T/t3.json" || fail "the same report again differs: $(diff "$T/t1.json" "$T/t3.json" | head -5)"
"$RV" report --casebook "$T/t.db" "${W[@]}" --as-of 2025-07-05 --period 2025-Q2 --threshold 6 \
	--out "$T/t2.json" > /dev/null || fail "another period at the casebook's threshold"
# append-only: no row of report_cells changes or goes
r=$("$PY" -c 'import sqlite3,sys
c=sqlite3.connect(sys.argv[1])
for q in ("UPDATE report_cells SET n = n + 1", "DELETE FROM report_cells"):
    try:
        c.execute(q); c.commit(); print("changed")
    except sqlite3.DatabaseError as e:
        print(e)' "$T/t.db")
[ "$(grep -c 'report_cells is append-only' <<< "$r")" = 2 ] || fail "report_cells changed: $r"

# upto DB DAY: the last record of DB's chain dated DAY or before
. "$REPO/tests/report/states_lib.sh"

# made_at DIR STATES: the periods of the reports made in DIR by each state
# S of STATES (a letter each; the files S-PERIOD.json)
made_at() {
	local f
	for f in "$1"/[$2]-*.json; do
		[ -e "$f" ] && f=${f##*/} && f=${f#?-} && echo "${f%.json}"
	done
	return 0
}
# cut_said ERR P MADE: ERR is the cut's refusal of P (rpt.refused.cut), its
# advice true to what was made before: the report of P given before (P one
# of MADE, the periods reported earlier), or none of P made before, no
# report of it possible (rpt.refused.cut_new; until 2026-12-07 it sent the
# reviewer after "the report of P made before" that never was, and until
# 2026-12-07 (session 18) its first sentence said an earlier report had
# withheld a count for P, which no report of P had)
cut_said() {
	if grep -qx -- "$2" <<< "$3"; then
		has "$1" "a count for $2 that an earlier report from this casebook withheld would have to be withheld again" &&
			has "$1" "Give the committee the report of $2 made before (its figures stand)" &&
			! has "$1" "No report of $2 was made before"
	else
		has "$1" "a count for $2 would have to be withheld, and the figures of earlier reports from this casebook would let a reader work it out to less than the threshold." &&
			! has "$1" "withheld again" &&
			has "$1" "No report of $2 was made before, and none can be made from the casebook as it is now" &&
			! has "$1" "made before (its figures stand)"
	fi
}

# ---- two states --------------------------------------------------------------
# state N SEED DAY1 [nopins]: the held casebook (DAY1: the last record date
# it holds) and its reports, then the full casebook's with the held one's
# cells (case "N-SEED-DAY1") and, with nopins, from a copy without them
# (the reports as before 2026-12-06: case "N-SEED-DAY1-nopins"): one line
# each in $T/cases for the checker.
state() {
	local n=$1 seed=$2 day1=$3 d=$T/s$1-$2-$3${GENX:+-g} k p r1="" r2="" r0=""
	mkdir -p "$d"
	# shellcheck disable=SC2086 # GENX: more generator options, or none
	"$GEN" --casebook "$d/fresh.db" --key "$T/alice.sec" --concerns "$n" --seed "$seed" \
		--from 2025-01 --months 11 --facts "$d/fresh.db.facts" ${GENX:-} > /dev/null || fail "generator ($n, $seed)"
	k=$(upto "$d/fresh.db" "$day1")
	# shellcheck disable=SC2086
	"$GEN" --casebook "$d/then.db" --key "$T/alice.sec" --concerns "$n" --seed "$seed" \
		--from 2025-01 --months 11 --hold "$k" --facts "$d/then.db.facts" ${GENX:-} > /dev/null \
		|| fail "generator (held, $n, $seed)"
	for p in 2025-01 2025-02 2025-03 2025-Q1 FY2024; do
		"$RV" report --casebook "$d/then.db" "${W[@]}" --as-of 2025-04-05 --period $p \
			--out "$d/a-$p.json" > /dev/null 2> "$d/err" || fail "held state, $p: $(cat "$d/err")"
		r1=$r1,$d/a-$p.json
	done
	[ "${4:-}" = nopins ] && cp "$d/fresh.db" "$d/nopins.db" && cp "$d/fresh.db.facts" "$d/nopins.db.facts"
	# the later records imported into the held casebook itself, with
	# what it recorded of its reports (report_cells, and the states they
	# were made from, sealed under its key)
	cp "$d/then.db" "$d/full.db"
	# shellcheck disable=SC2086
	"$GEN" --casebook "$d/full.db" --key "$T/alice.sec" --concerns "$n" --seed "$seed" \
		--from 2025-01 --months 11 --after "$k" --facts "$d/after.facts" ${GENX:-} > /dev/null \
		|| fail "generator (after $k, $n, $seed)"
	# each state's section 5 truth for the checker (DB.facts: every
	# generator run that made the casebook)
	cat "$d/then.db.facts" "$d/after.facts" > "$d/full.db.facts"
	for p in 2025-04 2025-05 2025-06 2025-07 2025-08 2025-09 2025-10 2025-11 2025-12 \
		2025-Q1 2025-Q2 2025-Q3 2025-Q4 2025 FY2025; do
		# a refusal (an earlier statement bounds a cell of the period
		# below the threshold: need_cut) is the method failing closed:
		# said in one line with what to do, and the rest checked
		if "$RV" report --casebook "$d/full.db" "${W[@]}" --as-of 2026-04-05 --period $p \
			--out "$d/b-$p.json" > /dev/null 2> "$d/err"; then
			r2=$r2,$d/b-$p.json
		else
			# one line, either form: a cut (with its advice), or a
			# whole table (the sweep's n=180 seed 102 refuses its
			# later FY2025 in "4. Outcomes" so: rpt.refused.table)
			has "$d/err" "The report for $p was not made: in \"" &&
				{ cut_said "$d/err" $p "$(made_at "$d" ab)" ||
					has "$d/err" "so this report cannot be made from the casebook as it is now"; } &&
				[ "$(wc -l < "$d/err")" = 1 ] || fail "full state, $p: $(cat "$d/err")"
			echo "n=$n seed $seed: $p refused (fails closed)"
		fi
		[ "${4:-}" = nopins ] || continue
		"$RV" report --casebook "$d/nopins.db" "${W[@]}" --as-of 2026-04-05 --period $p \
			--out "$d/c-$p.json" > /dev/null 2> "$d/err" || fail "full state without pins, $p: $(cat "$d/err")"
		r0=$r0,$d/c-$p.json
	done
	# (ANY=1, the none-sealed sweep: a casebook whose later reports are all
	# refused, failing closed, has nothing to check across states)
	[ -n "$r2" ] || [ "${ANY:-}" = 1 ] || fail "n=$n seed $seed (held to $day1): every later report refused"
	[ -n "$r2" ] || return 0
	echo "$n-$seed-$day1${GENX:+-g} 5 $d/then.db@2025-04-05 ${r1#,} $d/full.db@2026-04-05 ${r2#,}" >> "$T/$CASES"
	[ "${4:-}" = nopins ] &&
		echo "$n-$seed-$day1-nopins 5 $d/then.db@2025-04-05 ${r1#,} $d/nopins.db@2026-04-05 ${r0#,}" >> "$T/nopins"
	return 0
}

# states N SEED DAY1 DAY2 [year]: three casebook states (issue 11, the
# second note): A held to DAY1, its 2025-01..03, 2025-Q1 and FY2024 made as
# of 2025-04-05; B, the records to DAY2 imported into it (gen_casebook
# --after K1 --hold K2), then 2025-04..09 and 2025-Q1..Q3 as of 2025-10-05
# (with "year": 2025-Q1, 2025 and FY2025 as of 2026-04-05); C, the rest
# imported, then every month from April, every quarter, 2025 and FY2025
# as of 2026-04-05. Every report of every state goes to the checker at
# once (case "N-SEED-DAY1-DAY2[-year]"); a state whose reports were all
# refused (failing closed) is left out, and two states at least must
# remain.
states() {
	local n=$1 seed=$2 day1=$3 day2=$4 tag=${5:+-$5}${GENX:+-g} d=$T/t$1-$2-$3-$4${5:+-$5}${GENX:+-g} k1 k2 line="" nst=0
	# shellcheck disable=SC2206 # GENX: more generator options, or none
	local G=(--key "$T/alice.sec" --concerns "$n" --seed "$seed" --from 2025-01 --months 11 ${GENX:-})
	mkdir -p "$d"
	"$GEN" --casebook "$d/fresh.db" "${G[@]}" > /dev/null || fail "generator ($n, $seed)"
	k1=$(upto "$d/fresh.db" "$day1")
	k2=$(upto "$d/fresh.db" "$day2")
	"$GEN" --casebook "$d/s.db" "${G[@]}" --hold "$k1" --facts "$d/s.facts" > /dev/null \
		|| fail "generator (held, $n, $seed)"
	# made S ASOF PERIOD..: the reports of state S, a copy of its casebook
	# for the checker, and its part of the case's line
	made() {
		local s=$1 asof=$2 r="" p
		shift 2
		for p in "$@"; do
			if "$RV" report --casebook "$d/s.db" "${W[@]}" --as-of "$asof" --period $p \
				--out "$d/$s-$p.json" > /dev/null 2> "$d/err"; then
				r=$r,$d/$s-$p.json
			else
				# one line, either form (a cut, or a whole table
				# refused: rpt.refused.cut or _cut_new, as the
				# earlier states made P or not, rpt.refused.table)
				has "$d/err" "The report for $p was not made: in \"" &&
					{ ! has "$d/err" "would have to be withheld" ||
						cut_said "$d/err" $p "$(made_at "$d" a-"$s")"; } &&
					[ "$(wc -l < "$d/err")" = 1 ] || fail "state $s, $p: $(cat "$d/err")"
				echo "n=$n seed $seed ($day1, $day2$tag): state $s $p refused (fails closed)"
			fi
		done
		cp "$d/s.db" "$d/$s.db"
		cp "$d/s.facts" "$d/$s.db.facts"
		[ -n "$r" ] || return 0
		line="$line $d/$s.db@$asof ${r#,}"
		nst=$((nst + 1))
	}
	made a 2025-04-05 2025-01 2025-02 2025-03 2025-Q1 FY2024
	"$GEN" --casebook "$d/s.db" "${G[@]}" --after "$k1" --hold "$k2" --facts "$d/f" > /dev/null \
		|| fail "generator (after $k1, held to $k2, $n, $seed)"
	cat "$d/f" >> "$d/s.facts"
	if [ "${5:-}" = year ]; then
		made b 2026-04-05 2025-Q1 2025 FY2025
	else
		made b 2025-10-05 2025-04 2025-05 2025-06 2025-07 2025-08 2025-09 2025-Q1 2025-Q2 2025-Q3
	fi
	"$GEN" --casebook "$d/s.db" "${G[@]}" --after "$k2" --facts "$d/f" > /dev/null \
		|| fail "generator (after $k2, $n, $seed)"
	cat "$d/f" >> "$d/s.facts"
	made c 2026-04-05 $MONTHS 2025-Q1 2025-Q2 2025-Q3 2025-Q4 2025 FY2025
	[ "$nst" -ge 2 ] || [ "${ANY:-}" = 1 ] || fail "n=$n seed $seed ($day1, $day2): the reports of two states at least"
	[ "$nst" -ge 2 ] || return 0
	echo "$n-$seed-$day1-$day2$tag 5$line" >> "$T/$CASES"
}

# the audit's failure without the held state's cells, and gone with them;
# n=90 seed 23; and Q1's late March records imported after Q1's reports
# (revised cells withheld); three states
# (make check: the outcome table of two cases, and C's quarters and years
# alone, to keep its cost; CANDOUR_SDC_FULL: every case, every month)
FULL=${CANDOUR_SDC_FULL:-0}
CASES=cases-o
[ "$FULL" = 1 ] || CASES=cases
MONTHS=""
[ "$FULL" = 1 ] && MONTHS="2025-04 2025-05 2025-06 2025-07 2025-08 2025-09 2025-10 2025-11 2025-12"
state 120 14 2025-03-31 nopins
state 90 23 2025-03-31
state 120 11 2025-03-20
CASES=cases-o
state 120 11 2025-03-31 nopins
states 120 23 2025-03-31 2025-06-30 year
# Drawn with none sealed, n=120 seed 6's C withheld its 2025 and FY2025
# Totals (revised since B's) though its quarters' Totals, published, add
# up to them (and the statement's count beside them): the checker found
# them "in [120, 120]" and "[87, 87]". Such a cell every reader has is
# published since 2026-12-07's session 24 (report_sdc.c, known_sums:
# sdc_cube.revised); the case's name ends "-g"
GENX="--sealed 0 --answered 1" states 120 6 2025-03-31 2025-06-30 year
n=$(ls "$T"/t120-6-2025-03-31-2025-06-30-year-g/c-*.json | wc -l)
[ "$n" -ge 5 ] || fail "n=120 seed 6 none sealed, three states: $n reports of C made"
# made again from the same state, C's 2025 publishes what it did: the
# Total published once (its earlier value another's) is known, not a
# revised cell to withhold again (report_agg.c, pins)
g=$T/t120-6-2025-03-31-2025-06-30-year-g
cp "$g/c.db" "$T/again.db"
"$RV" report --casebook "$T/again.db" "${W[@]}" --as-of 2026-04-05 --period 2025 \
	--out "$T/again.json" > /dev/null 2> "$T/err" || fail "C's 2025 made again: $(cat "$T/err")"
"$PY" -c 'import json, sys
a, b = (json.load(open(f))["cells"] for f in sys.argv[1:])
sys.exit(a != b)' "$g/c-2025.json" "$T/again.json" || fail "C's 2025 made again publishes other figures"
# and n=120 seed 27: B, imported to June, withheld its FY2025 "closed
# without the child seen" (8), which is B's April-June, and C published
# its Q2 unchanged (8): the checker found B's FY2025 and 2025 cells "in
# [8, 8]" and "[19, 19]". Since session 24 a withheld pin of the concerns
# received keeps its months up to its state's last withheld too (report_agg.c,
# tail_pins): C withholds that Q2 cell
GENX="--sealed 0 --answered 1" states 120 27 2025-03-31 2025-06-30 year
n=$(ls "$T"/t120-27-2025-03-31-2025-06-30-year-g/c-*.json | wc -l)
[ "$n" -ge 4 ] || fail "n=120 seed 27 none sealed, three states: $n reports of C made"
# and B imported to 20 May (its last month received May): its FY2025 is
# its April-May and its 2025 its January-May, which no period is; C's
# reports gave B's withheld FY2025 "caseload" away ("in [0, 0]") until
# session 25's tail spans (report_agg.c, tail_spans: those months a
# column of C's decision no report shows, withheld and certified)
GENX="--sealed 0 --answered 1" states 120 12 2025-03-31 2025-05-20 year
# and B imported to 15 August: B's 2025 withheld August's Total (5, the
# month part imported) beside the year's (published), and C's Q2, over
# months unchanged since, told B's January-July, so August: "in [5, 5]",
# until session 25's parts (report_agg.c, part_pins: that January-July
# forced withheld in C, a tail span); C's Q2 is refused since
GENX="--sealed 0 --answered 1" states 120 25 2025-03-31 2025-08-15 year
# and seed 21 held to 20 May: B's FY2025 "named" (8, its April and May to
# the 20th) published, C's Q2 (11) too, and C's June "named" withheld was
# "in [0, 3]": C's April and May hold at least B's 8, since a concern
# keeps its links, but a certificate took C's May below it. Since
# session 26 a changed cell of "named" falls at most to its earlier value
# (report_agg.c, grow_floor; sdc_cube.grow_low). C's June is made (with
# its months only under CANDOUR_SDC_FULL: here June alone) and checked
# with section 5's tables below
MONTHS=${MONTHS:-2025-06} GENX="--sealed 0 --answered 1" states 120 21 2025-03-31 2025-05-20 year
[ -e "$T/t120-21-2025-03-31-2025-05-20-year-g/c-2025-06.json" ] \
	|| fail "n=120 seed 21 none sealed, B to 20 May: C's June refused"
# and drawn with none sealed, which until 2026-12-07's session 24 refused
# every report of B and C in section 3 (March's acknowledged "within 7
# days" held exactly by a fixed sum, then feedback unable to follow over
# a cell published before): with the ghosts and feedback's known cells
# (report_agg.c, ghost_table, follow_room) B makes 2025 and FY2025, C all
# but the later Q1s (the cut), checked ("-g" in the case's name)
GENX="--sealed 0 --answered 1" states 120 23 2025-03-31 2025-06-30 year
n=$(ls "$T"/t120-23-2025-03-31-2025-06-30-year-g/[bc]-*.json | wc -l)
[ "$n" -ge 7 ] || fail "n=120 seed 23 none sealed, three states: $n reports of B and C made (the ghosts, feedback following)"
# (the outcome table of these two under CANDOUR_SDC_FULL only)
[ "$FULL" = 1 ] || CASES=cases
state 240 118 2025-03-15
# None sealed to other reviewers (the usual set-up) and March split across
# the two states: n=120 seed 2 held to 2025-03-20 refused every later
# report in section 2 (the category table's January cells held exactly by
# sums over their unchanged neighbours) until the category table took the
# moving sums (report_agg.c, moving_table: a changed cell's earlier value
# moving with it); 14 of 15 since (its 2025-Q1 is the cut), checked
GENX="--sealed 0 --answered 1" state 120 2 2025-03-20
n=$(ls "$T"/s120-2-2025-03-20-g/b-*.json | wc -l)
[ "$n" -ge 14 ] || fail "n=120 seed 2 none sealed, held to 2025-03-20: $n of 15 later reports made (the moving sums)"
# and n=120 seed 5 held to 2025-03-20, which refused every later report in
# section 3: March's acknowledged "within 7 days" held exactly by a fixed
# sum (March's Total then less its changed "later" and "not yet" taken at
# their earlier values, which no report published) until a changed cell's
# earlier value could move on its own (report_agg.c, ghost_table: the
# ghosts); 14 of 15 since (its 2025-Q1 is the cut), checked
GENX="--sealed 0 --answered 1" state 120 5 2025-03-20
n=$(ls "$T"/s120-5-2025-03-20-g/b-*.json | wc -l)
[ "$n" -ge 14 ] || fail "n=120 seed 5 none sealed, held to 2025-03-20: $n of 15 later reports made (the ghosts)"
# and seed 17, refused in section 3 as well: acknowledged certified only
# with feedback following, which had a cell an earlier report published
# (known) in those months and was refused; since, feedback's other rows
# follow, as far as they hold (report_agg.c, follow_room): 14 of 15
GENX="--sealed 0 --answered 1" state 120 17 2025-03-20
n=$(ls "$T"/s120-17-2025-03-20-g/b-*.json | wc -l)
[ "$n" -ge 14 ] || fail "n=120 seed 17 none sealed, held to 2025-03-20: $n of 15 later reports made (feedback following)"
# n=210 seed 12 held to 2025-03-31: the held state's 2025-02, 2025-03,
# 2025-Q1 and FY2024 each decided again around the reports before it
# published what left every later report refused; since 2026-12-07 every
# report of one state is a projection of one decision (report_agg.c,
# build: same_pins, agrees) and 14 of the 15 are made (its 2025-Q1 is the
# cut), checked with the rest
state 210 12 2025-03-31
n=$(ls "$T"/s210-12-2025-03-31/b-*.json | wc -l)
[ "$n" -ge 14 ] || fail "n=210 seed 12: $n of 15 later reports made (one decision per casebook state)"
# Since 2026-12-07 (session 20) the held state's reports publish more
# (the free combinations: report_sdc_cert.c), which trapped these three
# in sums a reader keeps exactly until rooms were given to: "not known"
# and "none" rows and a span's Total (n=210 seed 12 above: "raised
# before"'s and "treated badly"'s Q1 after late March imports, then a Z
# direction for February's "yes"); the category table's Q1 Total (n=180
# seed 116); acknowledged's "not yet" (n=60 seed 119: March's
# acknowledgements published with no feedback given yet). Each made
# every later report but its 2025-Q1 (the cut) with them, none without.
state 180 116 2025-03-15
state 60 119 2025-03-31
for c in 180-116-2025-03-15 60-119-2025-03-31; do
	n=$(ls "$T"/s$c/b-*.json | wc -l)
	[ "$n" -ge 14 ] || fail "${c%%-2025*}: $n of 15 later reports made (rooms: SECURITY.md)"
done
# n=240 seed 104 at three states, the year made at B (the sweep's): C's
# every report was refused in section 4 while statements() took A's
# closure of April (after A's reports, so tied to no later cell) as fixed
# for B's 2025 Total, which covers it (SECURITY.md, "The earlier
# statements, one way"): C's FY2025 must be made, and every state's
# category and outcome tables checked
# C's FY2025 is made through known_zeros' zeros from a fixed sum of 0
# (B's October and November Totals of 0 less the cells changed since),
# which every reader knows (report_agg.c, sum_known: B published those
# Totals, and a cell of 0 says each of its cells was 0); a fixed sum whose
# value no reader has gives no zeros (the leak below)
CASES=cases-o
# C's months first as under CANDOUR_SDC_FULL: since the free combinations
# (session 20) its FY2025 after them is made only as a projection of the
# decision its first report took (report_agg.c, same_pins: one decision
# per casebook state; decided again around each earlier report of C, it
# is refused)
MONTHS="2025-04 2025-05 2025-06 2025-07 2025-08 2025-09 2025-10 2025-11 2025-12" \
	states 240 104 2025-03-15 2025-09-30 year
[ -e "$T/t240-104-2025-03-15-2025-09-30-year/c-FY2025.json" ] \
	|| fail "n=240 seed 104: C's FY2025 refused (the zeros of a fixed sum every reader knows; one decision per state)"
# A fixed sum of 0 published as zeros gave a reader an earlier state's
# withheld cell exactly (tests/report/states_fixed_zero_leak.sh: A's
# withheld March "other" = A's Q1 "other" less B's January and February
# published as 0): whatever B's reports make must pass the cross-state
# check (on the old binary: "state 1 2025-03 ... withheld but in [6, 6]")
bash "$REPO/tests/report/states_fixed_zero_leak.sh" 1 6 > "$T/fz.out" 2>&1 ||
	{ cat "$T/fz.out"; fail "a fixed sum of 0 published as zeros: an earlier withheld cell narrowed"; }
# A readable concern without a category (the categories changed since it
# was sent) is "not known" (report_agg.c categorised_in() lets such a
# casebook report): B's reports made with one of June 2025 must pass the
# cross-state check as they are ("not known" at least the sealed count in
# B; the checker before took it as the sealed and its true tables broke
# its problem: "the true tables break a row of the problem")
bash "$REPO/tests/report/states_uncategorised.sh" 180 102 2025-03-15 2025-06 1 category,closed \
	> "$T/uc.out" 2>&1 || { cat "$T/uc.out"; fail "uncategorised: a withheld cell narrowed"; }
grep -q "^n=180 seed 102 held to 2025-03-15: 1 readable concern(s) of 2025-06 without a category$" "$T/uc.out" &&
	grep -q "^sdc_states closed: [0-9]* withheld cells checked, 0 failures$" "$T/uc.out" ||
	{ cat "$T/uc.out"; fail "uncategorised: B's reports not checked"; }
# n=150 seed 108 at three states, the year made at B (the sweep's): C's
# every report was refused in section 4. A's Q1 closed Total 8, B's 2025
# Total 31 and FY2025 Total 23 give B's January..March 2026 closures
# 23 - (31 - 8) = 0, and C's are B's, so every reader has them at 0
# though no one report says it (report_agg.c, state_zeros); and the
# outcome table's sums over the cells unchanged since were kept exactly
# for B's revised Totals, leaving C's changed November cell no
# certificate (SECURITY.md, "The earlier statements, one way"). C's
# FY2025 must be made, and C's 2026-Q1 too, publishing those closures as
# 0 (checked with the rest: the checker found them withheld "in [0, 0]")
states 150 108 2025-03-15 2025-09-15 year
d=$T/t150-108-2025-03-15-2025-09-15-year
# (C's FY2025 leans on known_zeros' zeros from fixed sums every reader
# knows, as seed 104's above)
[ -e "$d/c-FY2025.json" ] || fail "n=150 seed 108: C's FY2025 refused"
"$RV" report --casebook "$d/s.db" "${W[@]}" --as-of 2026-04-05 --period 2026-Q1 --out "$d/c-2026-Q1.json" \
	> /dev/null 2> "$d/err" || fail "n=150 seed 108: C's 2026-Q1 refused: $(cat "$d/err")"
r=$("$PY" -c 'import json, sys
print(sorted({(c["withheld"], c["value"]) for c in json.load(open(sys.argv[1]))["cells"]
              if c["measure"] == "closed_by_outcome"}))' "$d/c-2026-Q1.json")
[ "$r" = "[(False, 0)]" ] || fail "n=150 seed 108: C's 2026-Q1 closures not all published as 0: $r"
sed -i '$ s|$|,'"$d/c-2026-Q1.json"'|' "$T/cases-o"
[ "$FULL" = 1 ] || CASES=cases
# n=210 seed 117 at three states (the sweep's, B to mid-September): C's
# every report was refused in section 2. B's September "no" raised before
# (3, unchanged since) was held by the exact sum B's September Total (10)
# fixed over the month's unchanged cells, though B's changed September
# cells, which no report of B published, make up for it one way for any
# reader (report_agg.c, month_rooms): C's 2025-Q2..Q4, 2025 and FY2025
# must be made (its 2025-Q1 is the cut), and are checked with the rest
states 210 117 2025-03-31 2025-09-15
for p in 2025-Q2 2025-Q3 2025-Q4 2025 FY2025; do
	[ -e "$T/t210-117-2025-03-31-2025-09-15/c-$p.json" ] \
		|| fail "n=210 seed 117: C's $p refused (B's September Totals kept one way)"
done
# section 5's tables and the other tables of concerns across states
# (sdc_states.py --tables=refs,shared): this case and the three states of
# n=120 seed 23 in make check, every case under CANDOUR_SDC_FULL (below)
touch "$T/cases" "$T/cases-o"
grep -h '^\(240-118-2025-03-15\|120-23-2025-03-31-2025-06-30-year\|120-2-2025-03-20\|120-21-2025-03-31-2025-05-20-year-g\) ' "$T/cases" "$T/cases-o" > "$T/cases-r"
n=$(ls "$T"/s240-118-2025-03-15/b-*.json | wc -l)
[ "$n" = 15 ] || fail "n=240 seed 118: $n of 15 later reports made (the L directions: SECURITY.md)"
# n=60 seed 105: its later 2025-Q1 is refused (the earlier state sealed 1..4
# concerns, so Q1's unchanged "not known" is in [0, that count] for any
# reader): the line names the section and says what to do, English and
# Welsh (rpt.refused.cut); 2025, which holds Q1 and no earlier report
# covered, is made
state 60 105 2025-03-31
d=$T/s60-105-2025-03-31
[ ! -e "$d/b-2025-Q1.json" ] && [ -e "$d/b-2025.json" ] || fail "n=60 seed 105: 2025-Q1 made, or 2025 not"
for l in en cy; do
	"$RV" report --casebook "$d/full.db" "${W[@]}" --lang $l --as-of 2026-04-05 --period 2025-Q1 \
		--out "$d/q.json" > /dev/null 2> "$T/err" && fail "n=60 seed 105: 2025-Q1 made ($l)"
	[ "$(wc -l < "$T/err")" = 1 ] || fail "the refusal is not one line: $(cat "$T/err")"
	[ ! -e "$d/q.json" ] || fail "a refused report left a file"
done
has "$T/err" 'Ni wnaed yr adroddiad ar gyfer 2025-Q1: yn "2. Pryderon a ddaeth i law yn y cyfnod"' ||
	fail "the Welsh refusal: $(cat "$T/err")"
"$RV" report --casebook "$d/full.db" "${W[@]}" --as-of 2026-04-05 --period 2025-Q1 \
	--out "$d/q.json" > /dev/null 2> "$T/err" || :
has "$T/err" 'The report for 2025-Q1 was not made: in "2. Concerns received in the period", a count for 2025-Q1 that an earlier report from this casebook withheld would have to be withheld again' ||
	fail "the refusal: $(cat "$T/err")"
has "$T/err" 'Give the committee the report of 2025-Q1 made before (its figures stand); for a month or a quarter, a longer period that holds it and was not reported before, such as its calendar year, may be made.' ||
	fail "the refusal's advice: $(cat "$T/err")"
# The same casebook with only 2025-Q1 made from the held state: the later
# 2025-01, never reported, is refused as the cut too (January's "not
# known" is in Q1's), and must not send the reviewer after "the report of
# 2025-01 made before" (rpt.refused.cut_new; the old line said so), English
# and Welsh; the later 2025-Q1 keeps the line above; 2025 is made, as the
# new line advises
d=$T/q60-105
mkdir -p "$d"
G=(--key "$T/alice.sec" --concerns 60 --seed 105 --from 2025-01 --months 11)
"$GEN" --casebook "$d/fresh.db" "${G[@]}" > /dev/null || fail "generator (60, 105)"
k1=$(upto "$d/fresh.db" 2025-03-31)
"$GEN" --casebook "$d/s.db" "${G[@]}" --hold "$k1" > /dev/null || fail "generator (held, 60, 105)"
"$RV" report --casebook "$d/s.db" "${W[@]}" --as-of 2025-04-05 --period 2025-Q1 --out "$d/a-2025-Q1.json" \
	> /dev/null 2> "$d/err" || fail "n=60 seed 105, the held 2025-Q1 alone: $(cat "$d/err")"
"$GEN" --casebook "$d/s.db" "${G[@]}" --after "$k1" > /dev/null || fail "generator (after $k1, 60, 105)"
for p in 2025-01 2025-Q1; do
	for l in en cy; do
		"$RV" report --casebook "$d/s.db" "${W[@]}" --lang $l --as-of 2026-04-05 --period $p \
			--out "$d/b.json" > /dev/null 2> "$d/err-$p-$l" && fail "n=60 seed 105, Q1 alone: $p made ($l)"
		[ "$(wc -l < "$d/err-$p-$l")" = 1 ] && [ ! -e "$d/b.json" ] ||
			fail "n=60 seed 105, Q1 alone, $p ($l): not one line, or a file left: $(cat "$d/err-$p-$l")"
	done
	cut_said "$d/err-$p-en" $p 2025-Q1 || fail "n=60 seed 105, Q1 alone, $p: $(cat "$d/err-$p-en")"
done
has "$d/err-2025-01-en" 'No report of 2025-01 was made before, and none can be made from the casebook as it is now; the reports already given stand. For a month or a quarter, report a longer period that holds it and was not reported before, such as its calendar year.' ||
	fail "n=60 seed 105, the never-made 2025-01's advice: $(cat "$d/err-2025-01-en")"
has "$d/err-2025-01-cy" "Ni wnaed adroddiad ar gyfer 2025-01 o'r blaen, ac ni ellir gwneud un o'r llyfr achosion fel y mae nawr" &&
	! has "$d/err-2025-01-cy" "a wnaed o'r blaen (mae ei ffigurau'n sefyll)" ||
	fail "n=60 seed 105, the never-made 2025-01 in Welsh: $(cat "$d/err-2025-01-cy")"
has "$d/err-2025-Q1-cy" "Rhowch i'r pwyllgor yr adroddiad ar gyfer 2025-Q1 a wnaed o'r blaen (mae ei ffigurau'n sefyll)" ||
	fail "n=60 seed 105, 2025-Q1 made before, in Welsh: $(cat "$d/err-2025-Q1-cy")"
"$RV" report --casebook "$d/s.db" "${W[@]}" --as-of 2026-04-05 --period 2025 --out "$d/b-2025.json" \
	> /dev/null 2> "$d/err" || fail "n=60 seed 105, Q1 alone: 2025 refused: $(cat "$d/err")"
# n=180 seed 109 at three states (the sweep's): B, the records to
# 2025-09-30 as of 2025-10-05. A's FY2024 published "not known" 6 (its
# statement sealed 6), B's statement seals 10, so every reader has
# April..September's "not known" at 10 - 6 = 4 in all (counts only grow)
# and each month's and quarter's in [0, 4] whatever any report withholds
# (SECURITY.md, "Reports from different casebook states";
# test_known_row_rest_short): such a cell cannot be withheld. Until
# 2026-12-07 B's 2025-04 was refused whole (the run kept asked every cell
# of the whole range, which no report shows: report_agg.c, unasked);
# now it is made, April's "not known" published as its 0, and the
# checker over A's and B's reports (every table) finds nothing narrowed.
d=$T/r180-109
mkdir -p "$d"
G=(--key "$T/alice.sec" --concerns 180 --seed 109 --from 2025-01 --months 11)
"$GEN" --casebook "$d/fresh.db" "${G[@]}" > /dev/null || fail "generator (180, 109)"
k1=$(upto "$d/fresh.db" 2025-03-31)
k2=$(upto "$d/fresh.db" 2025-09-30)
"$GEN" --casebook "$d/s.db" "${G[@]}" --hold "$k1" --facts "$d/a.facts" > /dev/null ||
	fail "generator (held, 180, 109)"
"$RV" report --casebook "$d/s.db" "${W[@]}" --as-of 2025-04-05 --period FY2024 --out "$d/a.json" \
	> /dev/null 2> "$d/err" || fail "n=180 seed 109, A's FY2024: $(cat "$d/err")"
cp "$d/s.db" "$d/a.db"
cp "$d/a.facts" "$d/a.db.facts"
"$GEN" --casebook "$d/s.db" "${G[@]}" --after "$k1" --hold "$k2" --facts "$d/b.facts" > /dev/null \
	|| fail "generator (after $k1, held to $k2, 180, 109)"
cat "$d/a.facts" "$d/b.facts" > "$d/s.db.facts"
"$RV" report --casebook "$d/s.db" "${W[@]}" --as-of 2025-10-05 --period 2025-04 --out "$d/b.json" \
	> /dev/null 2> "$d/err" || fail "n=180 seed 109: B's 2025-04 refused: $(cat "$d/err")"
"$PY" "$STATES" --tables=category,outcome,closed,refs,shared 5 "$d/a.db@2025-04-05" "$d/a.json" \
	"$d/s.db@2025-10-05" "$d/b.json" > "$d/check.out" ||
	{ cat "$d/check.out"; fail "n=180 seed 109: B's 2025-04 narrowed a withheld cell"; }
r=$("$PY" -c 'import json, sqlite3, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
nk = [c["value"] for c in a["cells"] if c["measure"] == "received_by_category"
      and c["breakdown"] == "not-known" and not c["withheld"]]
bnk = [c["value"] for c in b["cells"] if c["measure"] == "received_by_category"
       and c["breakdown"] == "not-known" and not c["withheld"]]
s = sqlite3.connect(sys.argv[3]).execute("SELECT count(*) FROM concerns WHERE readable = 0").fetchone()[0]
print(a["accountability"]["sealed_to_others"], nk, s, bnk)' "$d/a.json" "$d/b.json" "$d/s.db")
[ "$r" = "6 [6] 10 [0]" ] ||
	fail "n=180 seed 109: A's sealed, A's FY2024 \"not known\", B's sealed, B's April's: $r (not 6 [6] 10 [0])"
CASES=cases-o
if [ "$FULL" = 1 ]; then
	# the sweep: 20 casebooks, n 60..240, held to mid- or end-March; and
	# the same at three states (B to mid- or end-September, half of
	# them with the year made at B)
	for seed in $(seq 101 120); do
		# (118, 105, 116 and 119's two states are made above)
		[ "$seed" = 118 ] || [ "$seed" = 105 ] || [ "$seed" = 116 ] || [ "$seed" = 119 ] ||
			state $((60 + (seed % 7) * 30)) "$seed" 2025-03-$((seed % 2 ? 31 : 15))
		# (104's, 108's and 117's three states are made above)
		[ "$seed" = 104 ] || [ "$seed" = 108 ] || [ "$seed" = 117 ] ||
			states $((60 + (seed % 7) * 30)) "$seed" 2025-03-$((seed % 2 ? 31 : 15)) \
				2025-09-$((seed % 3 ? 30 : 15)) $([ $((seed % 4)) = 0 ] && echo year)
	done
	# none sealed (the usual set-up), the draws that found session 24's
	# findings (SECURITY.md, "None sealed, three states"): n=120 seeds
	# 1-30 held to 2025-03-20 (the split month) and at three states
	# ("year"), every report made checked; one refused fails closed
	# (ANY=1). (Seeds 2, 5, 17 and 6, 23, 27 are made above.)
	for seed in $(seq 1 30); do
		case " 2 5 17 " in *" $seed "*) ;; *)
			ANY=1 GENX="--sealed 0 --answered 1" state 120 "$seed" 2025-03-20 ;;
		esac
		case " 6 23 27 " in *" $seed "*) ;; *)
			ANY=1 GENX="--sealed 0 --answered 1" states 120 "$seed" 2025-03-31 2025-06-30 year ;;
		esac
		# B imported to part of a month: the draws that found session
		# 25's two (SECURITY.md, the tail spans and the parts; seeds
		# 12, 21 and 25 are made above)
		[ "$seed" = 12 ] || [ "$seed" = 21 ] ||
			ANY=1 GENX="--sealed 0 --answered 1" states 120 "$seed" 2025-03-31 2025-05-20 year
		[ "$seed" = 25 ] ||
			ANY=1 GENX="--sealed 0 --answered 1" states 120 "$seed" 2025-03-31 2025-08-15 year
		# and to 10 July and 25 September (session 25's scans, every
		# table: nothing found; kept so)
		ANY=1 GENX="--sealed 0 --answered 1" states 120 "$seed" 2025-03-31 2025-07-10 year
		ANY=1 GENX="--sealed 0 --answered 1" states 120 "$seed" 2025-03-31 2025-09-25 year
	done
fi
# the category table of every case with the earlier reports' cells, and
# the outcome table too of those in cases-o, and both in one problem with
# each state's closed by a month's end at most received by then (a
# reader of an earlier state knows it; sdc_states.py --tables=closed,
# which first checks it of the truth): 0 failures
touch "$T/cases"
"$PY" "$STATES" --cases "$T/cases" > "$T/check.out" || :
"$PY" "$STATES" --tables=category,outcome,closed --cases "$T/cases-o" >> "$T/check.out" || :
[ "$FULL" = 1 ] && cat "$T/cases" "$T/cases-o" > "$T/cases-r"
"$PY" "$STATES" --tables=refs,shared --cases "$T/cases-r" >> "$T/check.out" || :
cat "$T/check.out"
n=$(grep -c ': [0-9]* withheld cells checked, 0 failures$' "$T/check.out")
[ "$n" = $(($(wc -l < "$T/cases") + 3 * $(wc -l < "$T/cases-o") + 2 * $(wc -l < "$T/cases-r"))) ] \
	|| fail "a withheld cell narrowed with the earlier reports' cells kept"
# The stronger reader (SDC_KNOWN_START=1: nothing came before the first
# month any report covers, the cube's own reader) finds the statements'
# own figures in n=210 seed 12's reports, which the default reader finds
# wide (2026-12-08, session 26; SECURITY.md, "What the checker still
# finds"): the switch has teeth, and the default stays as it is
grep '^210-12-2025-03-31 ' "$T/cases" > "$T/cases-ks"
! SDC_KNOWN_START=1 "$PY" "$STATES" --cases "$T/cases-ks" > "$T/ks.out" \
	|| fail "SDC_KNOWN_START=1: n=210 seed 12 found nothing"
grep -q '^210-12-2025-03-31:   state 2 2025 received_by_category not-known withheld but in \[22, 22\]$' \
	"$T/ks.out" || fail "SDC_KNOWN_START=1: n=210 seed 12's 2025 'not known' not found ($(cat "$T/ks.out"))"
# (it exits 1: the cases without the earlier reports' cells fail, as they
# must; in the other tables of concerns too, beyond the category table's
# Total they share: FY2025's "yes" at risk pinned, 40 and 45)
"$PY" "$STATES" --tables=category,shared --cases "$T/nopins" > "$T/check.out" || :
cat "$T/check.out"
for c in 120-11-2025-03-31 120-14-2025-03-31; do
	grep -q "^$c-nopins:   state 2 FY2025 received_by_category total withheld but in" "$T/check.out" \
		|| fail "$c: the checker did not find the audit's leak without the earlier reports' cells"
	grep -q "^$c-nopins/shared:   state 2 FY2025 received_by_risk_answer yes withheld but in" "$T/check.out" \
		|| fail "$c: --tables=shared did not find the audit's leak without the earlier reports' cells"
done
# Q1 with late records: its revised cells withheld (March's Total in the
# year's report), and the later Q1 withholds some or is refused (its
# outcome cells the earlier statement bounds below the threshold)
grep -q '"breakdown": "2025-03", "kind": "count", "value": null, "withheld": true' \
	"$T/s120-11-2025-03-20/b-2025.json" || fail "the year with late March records publishes March"
[ ! -e "$T/s120-11-2025-03-20/b-2025-Q1.json" ] || grep -q '"withheld": true' "$T/s120-11-2025-03-20/b-2025-Q1.json" \
	|| fail "Q1 with late records withholds nothing"
# One concern (issue 11, found driving the product): received 2025-03-01,
# acknowledged 03-04, closed 03-12 (gen_casebook seed 14). 2025-02 made as
# of 2025-03-05 (every cell 0), then as of 2025-03-20 2025-02 again and
# 2025-01: until the wide suppression kept an earlier report's zeros before
# the first concern (report_agg.c, wide_known_zero) both were refused ("no
# report of any period can be made"). 2025-02 again publishes exactly what
# it did; the checker finds every withheld cell of every table wide enough
# given all three. 2025-01 withheld every cell (the wide suppression) until
# a run's unasked cells were set free (2026-12-07: report_agg.c, unasked):
# now it publishes its zeros, January's truth, so the check's teeth are a
# Total planted published as 1 (the check can fail).
O=$T/one
mkdir -p "$O"
"$GEN" --casebook "$O/c.db" --key "$T/alice.sec" --concerns 1 --seed 14 --from 2025-03 --months 1 \
	--facts "$O/c.db.facts" > /dev/null || fail "one concern: generator"
"$RV" report --casebook "$O/c.db" "${W[@]}" --as-of 2025-03-05 --period 2025-02 --out "$O/a.json" \
	> /dev/null || fail "one concern: 2025-02 before the closing"
for p in 2025-02 2025-01; do
	"$RV" report --casebook "$O/c.db" "${W[@]}" --as-of 2025-03-20 --period $p --out "$O/b-$p.json" \
		> /dev/null 2> "$O/err" || fail "one concern: $p after the closing refused: $(cat "$O/err")"
done
body() { "$PY" -c 'import json,sys; print(json.dumps([c for c in json.load(open(sys.argv[1]))["cells"] if c["measure"] not in ("report_produced", "data_as_of")]))' "$1"; }
[ "$(body "$O/a.json")" = "$(body "$O/b-2025-02.json")" ] || fail "one concern: 2025-02 again is not what it was"
"$PY" "$STATES" --tables=category,outcome,refs,shared 5 "$O/c.db@2025-03-05" "$O/a.json" \
	"$O/c.db@2025-03-20" "$O/b-2025-02.json,$O/b-2025-01.json" > "$O/check.out" \
	|| { cat "$O/check.out"; fail "one concern: a withheld cell narrowed"; }
cat "$O/check.out"
"$PY" -c 'import json,sys
r = json.load(open(sys.argv[1]))
for c in r["cells"]:
    if c["measure"] == "received_by_category" and c["breakdown"] == "total":
        c["value"], c["withheld"] = 1, False
json.dump(r, open(sys.argv[2], "w"))' "$O/b-2025-01.json" "$O/plant.json"
"$PY" "$STATES" --tables=category 5 "$O/c.db@2025-03-05" "$O/a.json" \
	"$O/c.db@2025-03-20" "$O/b-2025-02.json,$O/plant.json" --expect-fail > "$O/check.out" \
	|| fail "one concern: the checker missed a planted Total"
grep -q "state 2 2025-01 received_by_category total published as 1" "$O/check.out" \
	|| { cat "$O/check.out"; fail "one concern: the planted Total was not found"; }
echo "report states OK"
