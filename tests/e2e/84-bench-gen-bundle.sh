#!/usr/bin/env bash
# bench/gen_bundle (the import benchmark's input) writes bundles that the
# real `candour-review import` verifies and reads: 20 concerns and their
# follow-ups import whole, each concern readable with its fields and its
# references linked; one seed is one intake key. And what a real export
# gets refused for, its bundles are too: another intake's casebook, one
# changed byte, a cut end; a reviewer it did not seal to reads nothing; the
# generator itself refuses an existing file, a file that is not a public
# key and a count of 0. Seconds; the big runs are make bench's.
. "$(dirname "$0")/lib.sh"
gen_setup "gen bundle kettle orbit velvet canyon" alice bob

# 20 concerns, a follow-up after every 5th: 23 records
"$GEN" --out "$T/b" --intake-pub "$T/i.pub" --pub "$T/alice.pub" --concerns 20 --seed 7 \
	--followups-every 5 > "$T/gen" || fail "gen_bundle: $(cat "$T/gen")"
grep -q "23 records (20 concerns)" "$T/gen" || fail "generator summary: $(cat "$T/gen")"
head=$(sed -n 's/.*chain head \([0-9a-f]\{64\}\)$/\1/p' "$T/gen")
[ -n "$head" ] || fail "no chain head in: $(cat "$T/gen")"
"$RV" init --casebook "$T/cb.db" "${A[@]}" --intake-key "$T/i.pub" > /dev/null || fail "init"
"$RV" import --casebook "$T/cb.db" "${A[@]}" "$T/b" > "$T/imp" || fail "import failed"
grep -q "imported records 1-23: 23 readable, 0 unreadable here" "$T/imp" ||
	fail "import summary: $(head -n 1 "$T/imp")"
grep -q "chain head $head" "$T/imp" || fail "the casebook's head is not the generator's"
"$RV" list --casebook "$T/cb.db" "${A[@]}" --format csv > "$T/list" || fail "list"
[ "$(($(wc -l < "$T/list") - 1))" = 20 ] || fail "list shows $(($(wc -l < "$T/list") - 1)) concerns, not 20"
# every concern has a category of the form and its fields, and names a referral
id=$(sed -n '2s/^"\([0-9A-Z]*\)".*/\1/p' "$T/list")
"$RV" show --casebook "$T/cb.db" "${A[@]}" "$id" > "$T/show" || fail "show $id"
grep -q "^  Category: [a-z-]*$" "$T/show" || fail "no category: $(cat "$T/show")"
grep -q "^  Team or area: " "$T/show" || fail "no team: $(cat "$T/show")"
grep -Eq "REF/20[0-9]{2}/[0-9]{5}" "$T/show" || fail "no reference named: $(cat "$T/show")"
if grep -q "unreadable\|malformed" "$T/list"; then fail "a concern did not parse"; fi

# one seed is one intake: the same key line again, another seed another
"$GEN" --out "$T/b7" --intake-pub "$T/i7.pub" --pub "$T/alice.pub" --concerns 2 --seed 7 \
	> /dev/null || fail "second bundle"
cmp -s "$T/i.pub" "$T/i7.pub" || fail "seed 7 gave two intake keys"
"$GEN" --out "$T/b8" --intake-pub "$T/i8.pub" --pub "$T/alice.pub" --concerns 2 --seed 8 \
	> /dev/null || fail "third bundle"
if cmp -s "$T/i.pub" "$T/i8.pub"; then fail "seeds 7 and 8 gave one intake key"; fi

# a casebook pinned to another intake refuses it
"$RV" init --casebook "$T/cb8.db" "${A[@]}" --intake-key "$T/i8.pub" > /dev/null || fail "init 8"
if "$RV" import --casebook "$T/cb8.db" "${A[@]}" "$T/b" > /dev/null 2> "$T/err"; then
	fail "another intake's bundle was imported"
fi
grep -qi "signature" "$T/err" || fail "refusal does not name the signature: $(cat "$T/err")"
# one changed byte and a cut end are refused
"$RV" init --casebook "$T/cb2.db" "${A[@]}" --intake-key "$T/i.pub" > /dev/null || fail "init 2"
cp "$T/b" "$T/bad"
size=$(stat -c %s "$T/bad")
flip_byte "$T/bad" $((size / 2))
if "$RV" import --casebook "$T/cb2.db" "${A[@]}" "$T/bad" > /dev/null 2>&1; then
	fail "a changed bundle was imported"
fi
head -c $((size - 1)) "$T/b" > "$T/short"
if "$RV" import --casebook "$T/cb2.db" "${A[@]}" "$T/short" > /dev/null 2>&1; then
	fail "a cut bundle was imported"
fi
# a reviewer it was not sealed to holds the records and reads none
"$RV" init --casebook "$T/cbb.db" --key "$T/bob.sec" --intake-key "$T/i.pub" > /dev/null ||
	fail "init bob"
"$RV" import --casebook "$T/cbb.db" --key "$T/bob.sec" "$T/b" > "$T/impb" || fail "import bob"
grep -q "imported records 1-23: 0 readable, 23 unreadable here" "$T/impb" ||
	fail "bob's import: $(head -n 1 "$T/impb")"

# the generator's own refusals: nothing overwritten, nothing half-written
sum=$(sha256sum < "$T/b")
if "$GEN" --out "$T/b" --intake-pub "$T/i9.pub" --pub "$T/alice.pub" --concerns 2 \
	> /dev/null 2>&1; then fail "gen_bundle overwrote a bundle"; fi
[ "$(sha256sum < "$T/b")" = "$sum" ] || fail "a refused run changed the bundle"
if "$GEN" --out "$T/c" --intake-pub "$T/i10.pub" --pub "$T/alice.sec" --concerns 2 \
	> /dev/null 2>&1; then fail "gen_bundle took a secret key file as a public key"; fi
[ ! -e "$T/c" ] || fail "a refused run left a bundle"
set +e
"$GEN" --out "$T/d" --intake-pub "$T/i11.pub" --pub "$T/alice.pub" --concerns 0 > /dev/null 2>&1
rc=$?
set -e
[ "$rc" = 2 ] || fail "--concerns 0 exited $rc, not 2"
[ ! -e "$T/d" ] || fail "a refused run left a bundle"
echo "ok: gen_bundle's bundles import whole and are refused where an export would be"
