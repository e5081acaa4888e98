#!/usr/bin/env bash
# Import opens every record of a bundle with one envelope reader, wiped
# between records (crypto/envelope_read.c). A record whose envelope was
# damaged before the intake chained and signed it (a compromised intake:
# the signature, the chain and the envelope hashes all verify) is refused
# wherever it sits, first, in the middle after good records, last, a concern
# or a follow-up, flipped or cut short, and nothing of the bundle is
# imported; the same bundle undamaged then imports whole into that
# casebook. bench/gen_bundle --damage writes them; seconds.
. "$(dirname "$0")/lib.sh"
RV=$BIN/candour-review
GEN=$BIN/bench/gen_bundle
[ -x "$GEN" ] || fail "missing $GEN (make tests builds it)"
export CANDOUR_PASSPHRASE_FILE=$T/pass
echo "damaged envelope kettle orbit velvet canyon" > "$T/pass"
"$RV" keygen --name alice --out "$T" --kdf test > /dev/null || fail "keygen alice"
A=(--key "$T/alice.sec")
# 30 concerns, a follow-up before every 7th: 34 records; 16 is a follow-up
# (to concern 15), 17 a concern
gen() { # name [--damage SEQ:HOW]
	n=$1
	shift
	"$GEN" --out "$T/$n" --intake-pub "$T/$n.pub" --pub "$T/alice.pub" --concerns 30 --seed 5 \
		--followups-every 7 "$@" > "$T/$n.gen" || fail "gen_bundle $n: $(cat "$T/$n.gen")"
}
gen good
grep -q "34 records (30 concerns)" "$T/good.gen" || fail "generator: $(cat "$T/good.gen")"
"$RV" init --casebook "$T/cb.db" "${A[@]}" --intake-key "$T/good.pub" > /dev/null || fail "init"
empty_list=$("$RV" list --casebook "$T/cb.db" "${A[@]}" --format csv)

for d in 17:flip 17:cut 16:flip 16:cut 1:flip 34:cut; do
	seq=${d%:*}
	gen "bad$seq${d#*:}" --damage "$d"
	cmp -s "$T/good.pub" "$T/bad$seq${d#*:}.pub" || fail "$d: another intake key"
	set +e
	"$RV" import --casebook "$T/cb.db" "${A[@]}" "$T/bad$seq${d#*:}" > "$T/out" 2> "$T/err"
	rc=$?
	set -e
	[ "$rc" != 0 ] || fail "a bundle with record $d damaged was imported: $(head -n 1 "$T/out")"
	[ "$(wc -l < "$T/err")" = 1 ] || fail "$d: not one stderr line: $(cat "$T/err")"
	grep -q "record $seq: a record's envelope fails authentication" "$T/err" ||
		fail "$d: refusal does not name record $seq's envelope: $(cat "$T/err")"
	grep -q "nothing imported" "$T/err" || fail "$d: refusal does not say nothing was imported"
	[ "$("$RV" list --casebook "$T/cb.db" "${A[@]}" --format csv)" = "$empty_list" ] ||
		fail "$d: the refused import left concerns in the casebook"
done

# the same records undamaged: all of them, readable, into the same casebook
"$RV" import --casebook "$T/cb.db" "${A[@]}" "$T/good" > "$T/out" || fail "good bundle refused"
grep -q "imported records 1-34: 34 readable, 0 unreadable here" "$T/out" ||
	fail "good import: $(head -n 1 "$T/out")"
"$RV" list --casebook "$T/cb.db" "${A[@]}" --format csv > "$T/list" || fail "list"
[ "$(($(wc -l < "$T/list") - 1))" = 30 ] || fail "list shows $(($(wc -l < "$T/list") - 1)) concerns"
if grep -q "unreadable\|malformed" "$T/list"; then fail "a concern did not open"; fi
# the generator refuses a damage it cannot name
set +e
"$GEN" --out "$T/x" --intake-pub "$T/x.pub" --pub "$T/alice.pub" --concerns 2 --damage 1:bend \
	> /dev/null 2>&1
rc=$?
set -e
[ "$rc" = 2 ] || fail "--damage 1:bend exited $rc, not 2"
[ ! -e "$T/x" ] || fail "a refused run left a bundle"
echo "ok: a damaged envelope anywhere in a bundle is refused whole; undamaged it imports"
