#!/bin/sh
# `candour-review import` of big signed intake bundles written by
# gen_bundle (seeded; concerns only, each with 1-3 references, sealed to
# one reviewer): 10k and 100k concerns (BENCH_IMPORT_SIZES="N ..."; 1M
# with BENCH_IMPORT_1M=1; the bundle of 1M is about 16 GiB). Goal: 100k
# under 30 s. For each size: the generator (bench input, not Candour's
# work), then the bundle imported BENCH_IMPORT_RUNS times (1), each into a
# fresh casebook (BENCH_IMPORT_PAR=1: side by side): with no register, or
# with BENCH_IMPORT_REG=ROWS (0) into one that holds bench_ref's register
# of ROWS rows first, where every concern's references are linked as they
# come (the linking of the issue, through the real command). Wall time,
# CPU time (user + sys: the figure to compare on a shared machine) and
# peak RSS from /usr/bin/time; the bundle's and the casebook's sizes.
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
REG=${BENCH_IMPORT_REG:-0}
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
	# each import into its own casebook; BENCH_IMPORT_PAR=1 runs them side by
	# side (CPU time is the figure; it gets them a fair share of a busy machine)
	one() { # i
		c="$T/cb$1.db"
		"$RV" init --casebook "$c" --key "$T/bench.sec" --intake-key "$T/intake.pub" > /dev/null
		if [ "$REG" -gt 0 ]; then
			"$RV" referrals import --casebook "$c" --key "$T/bench.sec" "$T/register.csv" > /dev/null
			w=import+register
		else
			w=import
		fi
		/usr/bin/time -f "%e %U %S %M" -o "$T/t$1" "$RV" import --casebook "$c" \
			--key "$T/bench.sec" "$T/b" > "$T/out$1" 2> "$T/err$1" || return 1
		grep -q "imported records 1-$n: $n readable, 0 unreadable" "$T/out$1" || return 1
		awk -v l="$w" '{ printf "  %-22s %8.2f s wall, %8.2f s CPU, %5d MiB\n", l, $1, $2 + $3, $4 / 1024 }' "$T/t$1" > "$T/line$1"
		[ "$1" = 1 ] && echo "  sizes: bundle $(($(stat -c %s "$T/b") / 1048576)) MiB, casebook $(($(stat -c %s "$c") / 1048576)) MiB" >> "$T/line$1"
		rm -f "$c"*
	}
	pids=""
	for i in $(seq 1 "$RUNS"); do
		if [ "${BENCH_IMPORT_PAR:-0}" = 1 ]; then
			one "$i" &
			pids="$pids $!"
		else
			one "$i" || { echo "bench_import: import $i failed: $(tail -n 1 "$T/err$i")" >&2; exit 1; }
		fi
	done
	for p in $pids; do
		wait "$p" || { echo "bench_import: an import failed: $(cat "$T"/err* | tail -n 1)" >&2; exit 1; }
	done
	for i in $(seq 1 "$RUNS"); do cat "$T/line$i"; done
done
