#!/usr/bin/env bash
# The real candour-review draws its random bytes through the pool of
# review/rand_pool.c, installed by main: an import asks for about 8 small
# draws a concern, which without the pool are one getrandom system call
# each (libsodium's sysrandom). So counting getrandom calls (strace) over an
# import of N concerns tells the two apart: with the pool about 0.05 N (a
# 4 KiB refill per ~146 draws, one getrandom call of 4 KiB; 14 at N = 200:
# 10 refills and 4 small draws before the pool starts), without it about
# 8 N (1,622). The test fails if main stopped installing the pool (or
# started it after the first draws of an import), or if a refill went back
# to libsodium's 256 bytes a call (16 calls a refill: 164 at N = 200), with
# no code of the product's own for the test to call.
. "$(dirname "$0")/lib.sh"
command -v strace > /dev/null || fail "strace missing (scripts/deps.sh check installs it)"
gen_setup "rand pool kettle orbit velvet canyon" alice
N=200
"$GEN" --out "$T/b" --intake-pub "$T/i.pub" --pub "$T/alice.pub" --concerns $N --seed 11 \
	> /dev/null || fail "gen_bundle"
"$RV" init --casebook "$T/cb.db" "${A[@]}" --intake-key "$T/i.pub" > /dev/null || fail "init"
strace -f -qq -e trace=getrandom -o "$T/trace" \
	"$RV" import --casebook "$T/cb.db" "${A[@]}" "$T/b" > "$T/imp" || fail "import under strace"
has "$T/imp" "imported records 1-$N: $N readable" || fail "import: $(cat "$T/imp")"
n=0 refills=0
while IFS= read -r line; do
	[[ $line == *getrandom\(* ]] || continue
	n=$((n + 1))
	# a refill asks the whole pool and gets it (strace: `..., 4096, 0) = 4096`)
	[[ $line =~ ,\ ([0-9]+),\ [A-Z_0-9|]+\)\ =\ (-?[0-9]+) ]] || continue
	[ "${BASH_REMATCH[1]}" -gt 256 ] || continue
	[ "${BASH_REMATCH[1]}" = 4096 ] || fail "a getrandom call asked ${BASH_REMATCH[1]} bytes: $line"
	refills=$((refills + 1))
done < "$T/trace"
# strace saw the calls at all (the key's unlock and the casebook's setup
# draw before any concern): a count of 0 would prove nothing
[ "$n" -gt 0 ] || fail "strace counted no getrandom call: $(head -c 300 "$T/trace")"
[ "$refills" -gt 0 ] || fail "no refill of 4096 bytes in one call: $(grep -c getrandom "$T/trace") calls"
[ "$n" -le $((N / 8)) ] ||
	fail "$n getrandom calls for $N concerns: the random pool is not in use, or refills in pieces"
echo "ok: an import of $N concerns made $n getrandom calls, $refills of them 4 KiB refills (the random pool is installed)"
