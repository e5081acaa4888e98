#!/bin/sh
# `candour-review import` of big signed intake bundles written by
# gen_bundle (seeded; concerns only, each with 1-3 references, sealed to
# one reviewer): 10k and 100k concerns (BENCH_IMPORT_SIZES="N ..."; 1M
# with BENCH_IMPORT_1M=1; the bundle of 1M is about 16 GiB). Goal: 100k under 30 s. For each size: the
# generator (bench input, not Candour's work), `import` into a fresh
# casebook with no register, and `import` into a casebook that already
# holds bench_ref's register of BENCH_IMPORT_REG rows (default 1,000,000;
# 0 skips it), where every concern's references are linked as they come
# (the "linking" of the issue, through the real command). The bundle is
# written once per size and imported BENCH_IMPORT_RUNS times (1), each
# into a fresh casebook. Wall time, CPU
# time (user + sys: the figure to compare on a shared machine) and peak
# RSS from /usr/bin/time; the bundle's and the casebook's sizes.
: "${CANDOUR_BIN:?set CANDOUR_BIN to the build directory}"
set -e
T=$(mktemp -d "${BENCH_TMP:-/tmp}/candour-bench-import.XXXXXX")
trap 'rm -rf "$T"' EXIT
export CANDOUR_PASSPHRASE_FILE="$T/pass"
echo "bench kettle orbit velvet canyon" > "$T/pass"
RV=$CANDOUR_BIN/candour-review
"$RV" keygen --name bench --out "$T" --kdf interactive > /dev/null
sizes=${BENCH_IMPORT_SIZES:-"10000 100000"}
[ "${BENCH_IMPORT_1M:-0}" = 1 ] && sizes="$sizes 1000000"
REG=${BENCH_IMPORT_REG:-1000000}
RANGE=$REG
[ "$REG" -gt 0 ] || RANGE=1000000
run() { # label command...
	label=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$T/t" "$@" > "$T/out" 2> "$T/err" ||
		{ echo "bench_import: $label failed: $(tail -n 1 "$T/err")" >&2; exit 1; }
	awk -v l="$label" '{ printf "  %-22s %8.2f s wall, %8.2f s CPU, %5d MiB\n", l, $1, $2 + $3, $4 / 1024 }' "$T/t"
}
if [ "$REG" -gt 0 ]; then
	# the register once (a casebook is per intake key: it is copied below)
	"$CANDOUR_BIN/bench/bench_ref" --rows "$REG" --concerns 1 --dir "$T" --gen-only > /dev/null
fi
RUNS=${BENCH_IMPORT_RUNS:-1}
for n in $sizes; do
	rm -f "$T/b" "$T/intake.pub"
	echo "import of $n concerns (36 months, 1-3 references each; $RUNS imports of one bundle):"
	run "generate" "$CANDOUR_BIN/bench/gen_bundle" --out "$T/b" --intake-pub "$T/intake.pub" \
		--pub "$T/bench.pub" --concerns "$n" --seed 1 --refs-range "$RANGE"
	for i in $(seq 1 "$RUNS"); do
		rm -f "$T/cb.db"*
		"$RV" init --casebook "$T/cb.db" --key "$T/bench.sec" --intake-key "$T/intake.pub" > /dev/null
		run "import" "$RV" import --casebook "$T/cb.db" --key "$T/bench.sec" "$T/b"
		grep -q "imported records 1-$n: $n readable, 0 unreadable" "$T/out" ||
			{ echo "bench_import: import said: $(head -n 1 "$T/out")" >&2; exit 1; }
		[ "$i" = 1 ] && echo "  sizes: bundle $(($(stat -c %s "$T/b") / 1048576)) MiB, casebook $(($(stat -c %s "$T/cb.db") / 1048576)) MiB"
		rm -f "$T/cb.db"*
		[ "$REG" -gt 0 ] || continue
		"$RV" init --casebook "$T/cb.db" --key "$T/bench.sec" --intake-key "$T/intake.pub" > /dev/null
		"$RV" referrals import --casebook "$T/cb.db" --key "$T/bench.sec" "$T/register.csv" > /dev/null
		run "import+register" "$RV" import --casebook "$T/cb.db" --key "$T/bench.sec" "$T/b"
		grep -q "imported records 1-$n: $n readable" "$T/out" ||
			{ echo "bench_import: import said: $(head -n 1 "$T/out")" >&2; exit 1; }
		rm -f "$T/cb.db"*
	done
done
