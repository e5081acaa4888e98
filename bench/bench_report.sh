#!/bin/sh
# The governance report over big casebooks built directly by gen_casebook:
# 10k and 100k concerns (1M too with BENCH_REPORT_1M=1). Goals: under 2 s
# at 100k, under 20 s at 1M on the project's 2-core machine. Each figure
# is wall time and CPU time (user + sys): on a shared machine the CPU time
# is the one to compare. The fixed cost (opening the reviewer's key,
# Argon2id --kdf interactive here; loading the catalogue) is measured on a
# 10-concern casebook first. BENCH_REPORT_SIZES="N ..." picks the sizes.
: "${CANDOUR_BIN:?set CANDOUR_BIN to the build directory}"
set -e
T=$(mktemp -d /tmp/candour-bench-report.XXXXXX)
trap 'rm -rf "$T"' EXIT
export CANDOUR_PASSPHRASE_FILE="$T/pass"
echo "bench kettle orbit velvet canyon" > "$T/pass"
RV=$CANDOUR_BIN/candour-review
"$RV" keygen --name bench --out "$T" --kdf interactive > /dev/null
sizes=${BENCH_REPORT_SIZES:-"10 10000 100000"}
[ "${BENCH_REPORT_1M:-0}" = 1 ] && sizes="$sizes 1000000"
run() { # label command...
	label=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$T/t" "$@" > /dev/null
	awk -v l="$label" '{ printf "  %-22s %6.2f s wall, %6.2f s CPU, %4d MiB\n", l, $1, $2 + $3, $4 / 1024 }' "$T/t"
}
for n in $sizes; do
	rm -f "$T/cb.db"*
	echo "report over $n concerns (36 months, a fifth of them with follow-ups):"
	run "generate" "$CANDOUR_BIN/bench/gen_casebook" --casebook "$T/cb.db" --key "$T/bench.sec" \
		--concerns "$n" --seed 1 --from 2024-01 --months 36
	for fmt in csv json html; do
		run "FY2025 $fmt" "$RV" report --casebook "$T/cb.db" --key "$T/bench.sec" \
			--period FY2025 --format $fmt --out "$T/r.$fmt" --as-of 2026-12-01
	done
	run "2025-06 csv" "$RV" report --casebook "$T/cb.db" --key "$T/bench.sec" --period 2025-06 \
		--format csv --out "$T/m.csv" --as-of 2026-12-01
done
