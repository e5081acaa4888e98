#!/usr/bin/env bash
# What `import` names of what it brought: one line per new concern up to
# 50, then one line of counts ("and N more new concerns (R RISK ...; S
# sealed to other reviewers) ..."), so a bundle of 100k concerns does not
# print 100k lines. A concern at risk past the cut is counted, not lost:
# named RISK lines plus the counted ones equal the RISK rows of `list`.
# At exactly 50 there is no count line; concerns sealed to another
# reviewer are counted as such. Bundles from bench/gen_bundle: seconds.
. "$(dirname "$0")/lib.sh"
gen_setup "news cut kettle orbit velvet canyon" alice bob
imp() { # n seed pub out: a fresh casebook of alice's importing n concerns sealed to pub
	rm -f "$T/b" "$T/i.pub" "$T/cb.db"*
	"$GEN" --out "$T/b" --intake-pub "$T/i.pub" --pub "$3" --concerns "$1" --seed "$2" \
		> /dev/null || fail "gen_bundle $1"
	"$RV" init --casebook "$T/cb.db" "${A[@]}" --intake-key "$T/i.pub" > /dev/null || fail "init"
	"$RV" import --casebook "$T/cb.db" "${A[@]}" "$T/b" > "$4" || fail "import $1"
}

# 60 concerns: 50 named, 10 counted
imp 60 3 "$T/alice.pub" "$T/i60"
[ "$(grep -c '^  new concern ' "$T/i60")" = 50 ] || fail "not 50 named: $(cat "$T/i60")"
line=$(grep '^  and ' "$T/i60")
[ "$(grep -c '^  and ' "$T/i60")" = 1 ] || fail "no single count line: $(cat "$T/i60")"
risk=$(echo "$line" | sed -n 's/^  and 10 more new concerns (\([0-9]*\) RISK: the reporter says a child is at immediate risk; 0 sealed to other reviewers) and 0 more new messages: see `list`$/\1/p')
[ -n "$risk" ] || fail "count line: $line"
named=$(grep -c '^  new concern .*  RISK: ' "$T/i60")
"$RV" list --casebook "$T/cb.db" "${A[@]}" --format csv | tr -d '\r' > "$T/l60" || fail "list"
all=$(grep -c '"RISK"' "$T/l60")
[ "$all" -gt 0 ] || fail "the seed gives no concern at risk: the check below proves nothing"
[ $((named + risk)) = "$all" ] || fail "RISK: $named named + $risk counted, list has $all"

# the same bundle into a second casebook says the same, ids aside (they
# are drawn at import): the same concerns named, in the same order with the
# same marks, and the same counts of the rest. Named by id, each casebook
# named another 50 and the RISK count moved (657, 662, 664 seen at 100k).
mask() { sed 's/ [0-9A-Z]\{8\}  / ID  /; s/^\(  new [a-z ]*\) [0-9A-Z]\{8\}$/\1 ID/' "$1"; }
rm -f "$T/cb.db"*
"$RV" init --casebook "$T/cb.db" "${A[@]}" --intake-key "$T/i.pub" > /dev/null || fail "init again"
"$RV" import --casebook "$T/cb.db" "${A[@]}" "$T/b" > "$T/i60b" || fail "import again"
[ "$(grep -c ' ID  RISK: ' <(mask "$T/i60"))" = "$named" ] || fail "mask: $(mask "$T/i60")"
diff <(mask "$T/i60") <(mask "$T/i60b") > "$T/d60" ||
	fail "one bundle, two casebooks, two summaries: $(cat "$T/d60")"

# exactly 50: all named, no count line
imp 50 4 "$T/alice.pub" "$T/i50"
[ "$(grep -c '^  new concern ' "$T/i50")" = 50 ] || fail "50: not all named: $(cat "$T/i50")"
if grep -q '^  and ' "$T/i50"; then fail "50: a count line: $(cat "$T/i50")"; fi

# 52 sealed to bob only: alice reads none, the 2 past the cut are counted sealed
imp 52 5 "$T/bob.pub" "$T/i52"
grep -q "52 readable\|0 readable, 52 unreadable" "$T/i52" || fail "52: $(head -n 1 "$T/i52")"
[ "$(grep -c '^  new concern .*  (sealed to other reviewers)$' "$T/i52")" = 50 ] ||
	fail "52: not 50 named sealed: $(cat "$T/i52")"
grep -q '^  and 2 more new concerns (0 RISK: .*; 2 sealed to other reviewers) and 0 more new messages' \
	"$T/i52" || fail "52: count line: $(cat "$T/i52")"
echo "ok: import names 50 new concerns, then counts the rest (RISK and sealed too)"
