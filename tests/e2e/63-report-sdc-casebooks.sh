#!/usr/bin/env bash
# Property test of the governance report's disclosure control through the
# real pipeline: 1,000 random casebooks (300 held to the checker in make
# check, all 1,000 under make soak) (struct rp_input: concerns over 1-3
# years, answers, dates, outcomes, referral references), each reported by
# rp_build for every month, quarter, calendar year and FY report of one
# year (tests/report/rp_gen.c). The independent checker
# tests/report/sdc_check.py (scipy's linprog) must find no published
# 1..threshold and every withheld cell's interval, given everything all
# those reports publish, at least threshold wide; tables sharing a Total
# are solved together. Then the category table's secondary suppression
# undone (RP_GEN_LEAK=1), the suppression without its lag and zero cells
# (RP_GEN_LEAK=model: two leaks, one through the accountability statement's
# totals, one through section 5's relations), one count of 1..threshold published
# (RP_GEN_LEAK=primary), the withheld shares published (=share) and the
# median's old rule (=median): the checker must reject each. In make check
# each attack is on the first casebooks of its fixed seed (rp_gen's are a
# prefix of a longer run's): 5 (all 5 fail the check) and 8 for the median
# (cases 1, 4, 5, 6 and 7 fail); make soak runs them on 30, 20, 20 and 20
# (CANDOUR_SDC_FULL=1), ~0.5-1 s of CPU a casebook. Section 5's relations
# (sdc_refs.py): the smallest casebooks checked with the exact totals, and
# their references' withheld zeros published (=refs) must be caught
# through them. Every year's reports of 20 casebooks held together
# (--all-years; make soak: 1,000, tests/report/sdc_years_soak.sh).
# Before all of it, the checker's relations are checked against the true
# figures (RP_GEN_TRUTH=1, sdc_check.py --truth).
# Cost in make check: 102-110 s of CPU, 4-5 s of it system (120-123 s,
# 13-14 s system, before the checker's one pool of workers for every check;
# 177-196 s before one checker process served every check, a failing case's
# search stopped at the problems printed, RP_GEN_FROM and the checker's
# capped problems; tests/README.md). Of it: the checker's linear programs
# (HiGHS) ~60%, its Python ~35% of the checker's; rp_gen's 1,000
# casebooks ~20 s, ~80% the product's suppression search.
# The checker's relations as sparse rows (and its capped problems' matrix
# put together in place): ~10 s less, 104-106 s where the same tree took
# 114.5 s side by side at load ~40 (116.5 against 127.6 s at load ~60;
# tests/README.md).
# A case's cells' unknowns as plain int lists (sdc_check.py cell_idx):
# ~3 s less, 96.6 s (87.5-97.5) where the same tree took 99.9 s (90.1-100.4),
# four pairs side by side at load 7-18 (tests/README.md, 2026-12-07).
# e2e: long
. "$(dirname "$0")/lib.sh"
sdc_setup rp_gen
# Every check below is one job of one checker process (sdc_check.py
# --serve: scipy imported once, not ~20 times at ~0.5-1 s of CPU each).
# chk OUT ARGS...: sdc_check.py ARGS >OUT, its exit status
# (SDC_CHECK_NO_REFS=1 in chk's environment is the job's).
coproc CHK { exec "$PY" "$CHECK" --serve; }
track_pid "$CHK_PID"
chk() {
	local out=$1 rc IFS=$'\t'
	shift
	printf '%s\t%s\t%s\n' "${SDC_CHECK_NO_REFS:-0}" "$out" "$*" >&"${CHK[1]}"
	read -r rc <&"${CHK[0]}" || fail "the checker (sdc_check.py --serve) stopped"
	return "$rc"
}

SECONDS=0
"$GEN" 1000 20261205 "$T/books.jsonl" 2>"$T/gen.err" || { cat "$T/gen.err"; fail "rp_gen failed"; }
cat "$T/gen.err"
grep -q '^rp_gen: 1000 casebooks, [0-9]* reports, [1-9][0-9]* withheld items, 0 refused$' "$T/gen.err" ||
	fail "rp_gen summary unexpected"
# One line per casebook: 18 tables in three populations sharing a Total (15,
# the two reporter's-voice tables and the late-assessment flag), the shares,
# medians and counts outside the tables, and the accountability totals,
# solved together with the relations between them (sdc_relations.py).
# The accountability statement's exact totals (concerns, closed) are held
# by the attacker too: the suppression keeps them published (report_sdc.c,
# total_known).
# make check holds the first 300 to the checker (about 0.18 s of CPU each with
# the statement's totals, 53 s for the 300 where sdc_check.py's search
# without its capped problems took 73 s: 1,000 would cost make check ~2
# CPU-minutes more); make soak (CANDOUR_SDC_FULL=1) checks all 1,000. All
# 1,000 are generated either way: the steps below pick casebooks from them
# (rp_gen's 1,000: ~15 s of CPU, ~85% of it the product's suppression
# search, review/report_sdc*.c).
NCHECK=$(if [ -n "${CANDOUR_SDC_FULL:-}" ]; then echo 1000; else echo 300; fi)
head -n "$NCHECK" "$T/books.jsonl" >"$T/check.jsonl"
chk "$T/check.out" "$T/check.jsonl" || { cat "$T/check.out"; fail "disclosure check failed"; }
cat "$T/check.out"
grep -q "^sdc_check: $NCHECK cases, $((NCHECK * 18)) tables, [1-9][0-9]* withheld cells, 0 cases failed\$" "$T/check.out" ||
	fail "checker summary unexpected"
echo "casebook property test: ${SECONDS}s"

# attack_cases FULL CHECK: FULL casebooks under make soak, CHECK in make check
attack_cases() { if [ -n "${CANDOUR_SDC_FULL:-}" ]; then echo "$1"; else echo "$2"; fi; }
# The checker's own soundness: every relation it gives its attacker must
# hold of the true figures (RP_GEN_TRUTH=1: every figure of every report
# published with its true value, worked out from the casebook's facts and
# checked against every figure the reports publish; sdc_check.py --truth
# fails where the relations leave no table for them). Casebooks with
# concerns sealed to others, all categorised, too: 20 each (make soak:
# 1,000, 150 and 150; ~1 s of CPU a casebook there).
for v in "RP_GEN_TRUTH=1 1000" "RP_GEN_SEALED=1 150" "RP_GEN_CATEGORISED=1 RP_GEN_SEALED=1 150"; do
	# shellcheck disable=SC2086 # v is assignments, then the soak's count
	env RP_GEN_TRUTH=1 ${v% *} "$GEN" "$(attack_cases "${v##* }" 20)" 20261207 "$T/truth.jsonl" \
		2>"$T/truth.err" || { cat "$T/truth.err"; fail "rp_gen (truth, $v) failed"; }
	chk "$T/truth.out" --truth "$T/truth.jsonl" || { cat "$T/truth.out"; fail "the checker's relations do not hold of the true figures ($v)"; }
	cat "$T/truth.out"
done

# Section 5 (tests/report/sdc_refs.py) with the accountability statement's
# exact totals, on the casebooks of at most threshold concerns (their exact
# total is 1..threshold, so a withheld cell must span all of it): before
# report_agg.c withheld the references' tables wherever "named a referral"
# is, 38 of these 46 had a "named" cell narrowed by a month's references
# published as 0 (an earlier concern must have named the reference).
tiny() { "$PY" "$(dirname "$CHECK")/sdc_tiny.py"; }
tiny <"$T/books.jsonl" >"$T/tiny.jsonl"
chk "$T/tiny.out" "$T/tiny.jsonl" || { cat "$T/tiny.out"; fail "section 5 check of the smallest casebooks failed"; }
cat "$T/tiny.out"
grep -q '^sdc_check: [1-9][0-9] cases, .* 0 cases failed$' "$T/tiny.out" || fail "tiny casebooks: summary unexpected"

# Every year's reports of one casebook held together (rp_gen --all-years:
# calendar years, FYs straddling two of them, their quarters and months;
# stocks at every period's end). 20 casebooks here; make soak runs 1,000.
SECONDS=0
"$GEN" --all-years 20 20261205 "$T/years.jsonl" 2>"$T/years.err" || { cat "$T/years.err"; fail "rp_gen --all-years failed"; }
chk "$T/years.out" --no-accountability "$T/years.jsonl" || { cat "$T/years.out"; fail "disclosure check over every year failed"; }
cat "$T/years.out"
grep -q '^sdc_check: 20 cases, 360 tables, [1-9][0-9]* withheld cells, 0 cases failed$' "$T/years.out" ||
	fail "all-years summary unexpected"
echo "every-year property test: ${SECONDS}s"

# Concerns sealed to others (RP_GEN_SEALED=1: a third of the casebooks hold
# some): the statement's exact "sealed to others" count, and the rows such a
# concern falls in, are constraints of the attacker (sdc_relations.py).
RP_GEN_SEALED=1 "$GEN" "$(attack_cases 150 40)" 20261206 "$T/sealed.jsonl" 2>"$T/sealed.err" || { cat "$T/sealed.err"; fail "rp_gen (sealed) failed"; }
grep -q '"sealed":[1-9]' "$T/sealed.jsonl" || fail "RP_GEN_SEALED drew no sealed concern"
chk "$T/sealed.out" "$T/sealed.jsonl" || { cat "$T/sealed.out"; fail "disclosure check (sealed) failed"; }
cat "$T/sealed.out"

# The suppression before its lag and zero cells (RP_GEN_LEAK=model,
# rp_input.sdc_unmodelled; report_sdc.h): casebook 105 of the seed above (7
# concerns, threshold 3) has category cells of October and November the
# statement's totals narrow to [0, 2] (the closed Totals published say 5
# closed by July, so 5 received by then), caught only with the statement;
# casebook 154 a January "named a referral" cell fixed at [0, 0] by section
# 5's relations (no reference named by then), caught only with them. The
# current suppression passes both (above). (RP_GEN_LEAK=account, the
# suppression before it kept the statement's totals, narrowed casebook 383
# of the generator before it drew referral links; none of this generator's
# first 700 fails so: the model leak is the statement's one here.)
# (RP_GEN_FROM=K: casebook K of the seed alone, the ones before it drawn
# but not reported.)
RP_GEN_FROM=105 RP_GEN_LEAK=model "$GEN" 106 20261205 "$T/m105.jsonl" 2>"$T/model.err" || { cat "$T/model.err"; fail "rp_gen (model leak) failed"; }
grep -q 'suppression without the lag and zero cells' "$T/model.err" || fail "RP_GEN_LEAK=model not taken"
RP_GEN_FROM=154 RP_GEN_LEAK=model "$GEN" 155 20261205 "$T/m154.jsonl" 2>"$T/model.err" || { cat "$T/model.err"; fail "rp_gen (model leak) failed"; }
chk "$T/m105.out" --expect-fail "$T/m105.jsonl" || { cat "$T/m105.out"; fail "checker accepted the suppression without the lag"; }
grep -q '^case 105: withheld 2026-1[01]/cat\.kind0/.* narrower than' "$T/m105.out" || { cat "$T/m105.out"; fail "model leak: no narrow category cell reported"; }
chk "$T/m105b.out" --no-accountability "$T/m105.jsonl" || { cat "$T/m105b.out"; fail "model leak: narrow without the statement too"; }
chk "$T/m154.out" --expect-fail "$T/m154.jsonl" || { cat "$T/m154.out"; fail "checker accepted the suppression without zero cells"; }
grep -q '^case 154: withheld [0-9-]*/named/.* narrower than' "$T/m154.out" || { cat "$T/m154.out"; fail "model leak: no narrow 'named' cell reported"; }
SDC_CHECK_NO_REFS=1 chk "$T/m154b.out" "$T/m154.jsonl" || { cat "$T/m154b.out"; fail "model leak: 'named' narrow without section 5's relations too"; }

# A sealed concern is never closed here: up to each month, closed + sealed
# <= received, so category "not known" rising in a month (the Total kept)
# takes readable concerns the closures up to later months bound
# (report_agg.c, sealed_cap: cap and cap_upto). RP_GEN_FASTCLOSE=1 (every
# concern closed within days, more of them sealed), seed 20261207: without
# the bound (RP_GEN_LEAK=lag, the suppression until 2026-12-07) casebook
# 94's December 2025 "not known" lies in [2, 4], narrower than 3 (found by
# 100 such casebooks: 16 decided otherwise, this one narrowed); with it,
# casebooks 90-99 pass (make soak: 0-99).
env RP_GEN_SEALED=1 RP_GEN_CATEGORISED=1 RP_GEN_FASTCLOSE=1 RP_GEN_FROM="$(attack_cases 0 90)" \
	"$GEN" 100 20261207 "$T/lag.jsonl" 2>"$T/lag.err" || { cat "$T/lag.err"; fail "rp_gen (fast closing) failed"; }
chk "$T/lag.out" "$T/lag.jsonl" || { cat "$T/lag.out"; fail "disclosure check (fast closing) failed"; }
env RP_GEN_SEALED=1 RP_GEN_CATEGORISED=1 RP_GEN_FASTCLOSE=1 RP_GEN_LEAK=lag RP_GEN_FROM=94 \
	"$GEN" 95 20261207 "$T/lag94.jsonl" 2>"$T/lag.err" || { cat "$T/lag.err"; fail "rp_gen (lag leak) failed"; }
grep -q 'rises past the readable concerns closures leave' "$T/lag.err" || fail "RP_GEN_LEAK=lag not taken"
chk "$T/lag94.out" --expect-fail "$T/lag94.jsonl" || { cat "$T/lag94.out"; fail "checker accepted the suppression without the closures' bound"; }
grep -q '^case 94: withheld 2025-12/not-known/.* narrower than' "$T/lag94.out" ||
	{ cat "$T/lag94.out"; fail "lag leak: no narrow 'not known' cell reported"; }

# Relations between tables the suppression keeps as caps (report_agg.c,
# caps): feedback <= acknowledged (seed 99 with sealed concerns drawn,
# casebook 51: February 2024's acknowledged "within 7 days" narrowed to
# [0, 2] by a published feedback "not yet") and flagged <= recorded
# (RP_GEN_FLAGGED=1, seed 7, casebook 58: a month's recorded references
# fixed at 4 by its published flagged ones). Each passes now, and the
# suppression without the caps (RP_GEN_LEAK=cap) is caught on it.
for c in "99 51 RP_GEN_SEALED within-7-days" "7 58 RP_GEN_FLAGGED recorded"; do
	set -- $c
	for leak in none cap; do
		env "$3=1" RP_GEN_LEAK=$leak RP_GEN_FROM="$2" "$GEN" $(($2 + 1)) "$1" "$T/cap1.jsonl" 2>"$T/cap.err" || { cat "$T/cap.err"; fail "rp_gen (caps, seed $1) failed"; }
		if [ "$leak" = none ]; then
			chk "$T/cap.out" "$T/cap1.jsonl" || { cat "$T/cap.out"; fail "caps: seed $1 casebook $2 narrowed"; }
			continue
		fi
		grep -q 'without the caps between tables' "$T/cap.err" || fail "RP_GEN_LEAK=cap not taken"
		chk "$T/cap.out" --expect-fail "$T/cap1.jsonl" || { cat "$T/cap.out"; fail "checker accepted the suppression without caps (seed $1)"; }
		grep -q "^case $2: withheld [0-9-]*/$4/.* narrower than" "$T/cap.out" || { cat "$T/cap.out"; fail "caps: no narrow $4 cell reported (seed $1)"; }
	done
done

# Category "not known" = the sealed concerns (report_agg.c, unknown_zero
# and row_known): where every readable concern has a category (the intake
# requires one; RP_GEN_CATEGORISED=1 draws such casebooks, rp_gen says
# "categorised") a reader knows it, month by month (sdc_relations.py).
# Without it 98 of the first 100 casebooks of seed 20261205 had a "not
# known" cell fixed at [0, 0]; with concerns sealed to others too, seed
# 20261206's casebook 131 a month Total narrowed (the row's whole is the
# sealed count: row_known) and casebook 78 "not known" of FY2025 narrowed
# to [9, 10] (it is at most acknowledged "not yet": sealed_cap). These
# pass now, and the suppression without it (RP_GEN_LEAK=unknown) is caught
# on the first two.
RP_GEN_CATEGORISED=1 "$GEN" "$(attack_cases 100 10)" 20261205 "$T/cat.jsonl" 2>"$T/cat.err" || { cat "$T/cat.err"; fail "rp_gen (categorised) failed"; }
RP_GEN_CATEGORISED=1 RP_GEN_SEALED=1 "$GEN" "$(attack_cases 150 10)" 20261206 "$T/catseal.jsonl" 2>"$T/catseal.err" || { cat "$T/catseal.err"; fail "rp_gen (categorised, sealed) failed"; }
# The intake's form requires the risk and raised-before answers too: where
# every readable concern has them (RP_GEN_ANSWERED=1, rp_gen says
# "answered") their "not known" is the sealed concerns as well, month by
# month, and a reader who knows the form knows it (sdc_relations.py,
# same_nk). Seed 20261207's casebooks 87 and 133 (8 concerns, none sealed)
# withheld risk "not known" beside the category's published zeros (the
# wide suppression) until report_agg.c's answer_zero.
RP_GEN_CATEGORISED=1 RP_GEN_ANSWERED=1 RP_GEN_SEALED=1 "$GEN" "$(attack_cases 150 10)" 20261207 "$T/ans.jsonl" 2>"$T/ans.err" || { cat "$T/ans.err"; fail "rp_gen (answered) failed"; }
RP_GEN_FROM=87 RP_GEN_CATEGORISED=1 RP_GEN_ANSWERED=1 RP_GEN_SEALED=1 "$GEN" 88 20261207 "$T/ans87.jsonl" 2>"$T/ans87.err" || { cat "$T/ans87.err"; fail "rp_gen (answered, 87) failed"; }
grep -q '"answered":1' "$T/ans.jsonl" || fail "RP_GEN_ANSWERED drew no answered casebook"
for b in cat catseal ans ans87; do
	grep -q '"categorised":1' "$T/$b.jsonl" || fail "RP_GEN_CATEGORISED drew no categorised casebook"
	chk "$T/$b.out" "$T/$b.jsonl" || { cat "$T/$b.out"; fail "disclosure check ($b) failed"; }
	cat "$T/$b.out"
done
# A sealed concern's floor ("none" >= the sealed ones) with section 5:
# RP_GEN_SEALED=1 seed 7's casebook 87 (3 readable of 7 concerns) had
# January 2026's "named" narrowed to [0, 2.998] beside references published
# as 0 (report_agg.c, refs_follow_named, now by the readable concerns).
RP_GEN_FROM=87 RP_GEN_SEALED=1 "$GEN" 88 7 "$T/s87one.jsonl" 2>"$T/s87.err" || { cat "$T/s87.err"; fail "rp_gen (seed 7, sealed) failed"; }
chk "$T/s87.out" "$T/s87one.jsonl" || { cat "$T/s87.out"; fail "sealed: seed 7 casebook 87 narrowed"; }
RP_GEN_CATEGORISED=1 RP_GEN_LEAK=unknown "$GEN" 2 20261205 "$T/unk.jsonl" 2>"$T/unk.err" || { cat "$T/unk.err"; fail "rp_gen (unknown leak) failed"; }
grep -q 'without "not known" = sealed' "$T/unk.err" || fail "RP_GEN_LEAK=unknown not taken"
chk "$T/unk.out" --expect-fail "$T/unk.jsonl" || { cat "$T/unk.out"; fail "checker accepted the suppression without \"not known\" = sealed"; }
grep -q '^sdc_check: 2 cases, .* 2 cases failed$' "$T/unk.out" || { cat "$T/unk.out"; fail "unknown leak: not both casebooks caught"; }
grep -q '^case 1: withheld [0-9-]*/not-known/.* fixed by' "$T/unk.out" || { cat "$T/unk.out"; fail "unknown leak: no fixed \"not known\" cell reported"; }

RP_GEN_LEAK=1 "$GEN" "$(attack_cases 30 5)" 11 "$T/leak.jsonl" 2>"$T/leak.err" || { cat "$T/leak.err"; fail "rp_gen (leak) failed"; }
grep -q '^rp_gen: [1-9][0-9]* cells republished' "$T/leak.err" || fail "RP_GEN_LEAK republished nothing"
chk "$T/leak.out" --expect-fail "$T/leak.jsonl" || { cat "$T/leak.out"; fail "checker accepted the category table without secondary suppression"; }
grep -q 'withheld [0-9-]*/cat\.[a-z0-9]*/.* narrower than' "$T/leak.out" || { cat "$T/leak.out"; fail "leak: no narrow category cell reported"; }
RP_GEN_LEAK=primary "$GEN" "$(attack_cases 20 5)" 13 "$T/prim.jsonl" 2>"$T/prim.err" || { cat "$T/prim.err"; fail "rp_gen (primary leak) failed"; }
grep -q '^rp_gen: [1-9][0-9]* cells republished' "$T/prim.err" || fail "RP_GEN_LEAK=primary republished nothing"
chk "$T/prim.out" --expect-fail "$T/prim.jsonl" || { cat "$T/prim.out"; fail "checker accepted a published count of 1..threshold"; }
grep -q 'published [0-9-]*/cat\.[a-z0-9]*/.* is within 1\.\.' "$T/prim.out" || { cat "$T/prim.out"; fail "primary leak: not reported"; }
# The derived figures are attacked too: every withheld share published
# (RP_GEN_LEAK=share), and the median's old rule, withheld only when 1..threshold
# cases make it and "none" when none do (RP_GEN_LEAK=median): each narrows a
# withheld count.
for mode in share median; do
	n=5; [ "$mode" = median ] && n=8
	RP_GEN_LEAK=$mode "$GEN" "$(attack_cases 20 "$n")" 17 "$T/$mode.jsonl" 2>"$T/$mode.err" || { cat "$T/$mode.err"; fail "rp_gen ($mode leak) failed"; }
	grep -q '^rp_gen: [1-9][0-9]* cells republished' "$T/$mode.err" || fail "RP_GEN_LEAK=$mode changed nothing"
	chk "$T/$mode.out" --expect-fail "$T/$mode.jsonl" || { cat "$T/$mode.out"; fail "checker accepted the $mode leak"; }
	grep -q 'narrower than' "$T/$mode.out" || { cat "$T/$mode.out"; fail "$mode leak: no narrow interval reported"; }
done
# Section 5's relations catch what they guard: the withheld Totals of
# references named that are 0 published (RP_GEN_LEAK=refs) in the smallest
# casebooks narrow a "named a referral" cell of the concerns' tables, which
# only those relations tie to the references (without them,
# SDC_CHECK_NO_REFS=1, no "named" cell is reported).
RP_GEN_LEAK=refs "$GEN" 100 11 "$T/refs.jsonl" 2>"$T/refs.err" || { cat "$T/refs.err"; fail "rp_gen (refs leak) failed"; }
grep -q '^rp_gen: [1-9][0-9]* cells republished' "$T/refs.err" || fail "RP_GEN_LEAK=refs changed nothing"
tiny <"$T/refs.jsonl" >"$T/refs-tiny.jsonl"
chk "$T/refs.out" --expect-fail "$T/refs-tiny.jsonl" || { cat "$T/refs.out"; fail "checker accepted the references' zeros"; }
grep -q 'withheld [0-9Q-]*/named/.* narrower than' "$T/refs.out" || { cat "$T/refs.out"; fail "refs leak: no narrow 'named' cell reported"; }
SDC_CHECK_NO_REFS=1 chk "$T/refs0.out" --expect-fail "$T/refs-tiny.jsonl" || true
if grep -q '/named/' "$T/refs0.out"; then cat "$T/refs0.out"; fail "a 'named' cell narrowed without section 5's relations: the negative test proves nothing"; fi
sdc_serve_end
echo "PASS: disclosure control over random casebooks"
