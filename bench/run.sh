#!/bin/sh
# make bench: measures Candour beside a limit measured in the same run and
# writes bench/RESULTS.md (a table of measure, Candour, limit, ratio; each
# figure the median of RUNS runs with min-max; the machine, the date and
# the load average). QUICK=1 is a short run that checks everything works
# (2 runs, small sizes) and writes to bench/RESULTS-quick.md instead.
#   intake:  bench/bench_intake.sh (submissions, pages, upload)
#   review:  bench/bench_report.sh (governance report, 10k/100k concerns;
#            BENCH_1M=1 adds 1M) and bench_ref (register import of 1M rows
#            vs plain SQLite bulk insert; linking 100k concerns)
# Runs niced. Environment: RUNS (5), REVIEW_RUNS (RUNS), BENCH_1M (0),
# BENCH_OTHERS (0; 1 appends the raw output of bench_crypto, bench_store and
# bench_sdc),
# BENCH_NOTE (a line about the machine's other load, put in the file),
# BENCH_PARTS ("intake review": the parts to run).
: "${CANDOUR_BIN:?set CANDOUR_BIN to the build directory}"
export CANDOUR_BIN
set -eu
if [ "${QUICK:-0}" = 1 ]; then
	OUT=${BENCH_OUT:-bench/RESULTS-quick.md}
	export RUNS=${RUNS:-2} SECS=${SECS:-4} PAGE_SECS=${PAGE_SECS:-1} UPLOAD_MIB=${UPLOAD_MIB:-64}
	REF_ROWS=20000 REF_CONCERNS=2000 REPORT_SIZES="10000"
else
	OUT=${BENCH_OUT:-bench/RESULTS.md}
	export RUNS=${RUNS:-5} SECS=${SECS:-10} PAGE_SECS=${PAGE_SECS:-3} UPLOAD_MIB=${UPLOAD_MIB:-1024}
	REF_ROWS=1000000 REF_CONCERNS=100000 REPORT_SIZES="10000 100000"
	[ "${BENCH_1M:-0}" = 1 ] && REPORT_SIZES="$REPORT_SIZES 1000000"
fi
REVIEW_RUNS=${REVIEW_RUNS:-$RUNS}
tmp=$(mktemp -d /tmp/candour-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
load0=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date -u '+%Y-%m-%d %H:%M UTC')
t0=$(date +%s)
stat3() {
	sort -g | awk -v f="$1" '{ a[NR] = $1 } END {
		if (NR == 0) { print "n/a"; exit }
		printf(f " (" f "-" f ")", a[int((NR + 1) / 2)], a[1], a[NR]) }'
}
med() { sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print 0 }'; }

PARTS=${BENCH_PARTS:-intake review}
: > "$tmp/intake.rows"
: > "$tmp/rep.all"
: > "$tmp/ref.all"
if echo "$PARTS" | grep -q intake; then
	echo "bench: intake ($RUNS runs each)" >&2
	nice bash bench/bench_intake.sh > "$tmp/intake.rows"
fi
if echo "$PARTS" | grep -q review; then

echo "bench: governance report ($REVIEW_RUNS runs)" >&2
for i in $(seq 1 "$REVIEW_RUNS"); do
	for n in $REPORT_SIZES; do
		BENCH_REPORT_SIZES="$n" nice sh bench/bench_report.sh > "$tmp/rep.out"
		# "  FY2025 csv   0.40 s wall, 0.35 s CPU, 12 MiB"
		awk -v n="$n" '/^  [A-Za-z0-9-]+ [a-z]+ / && / s CPU/ {
			gsub(",", ""); print n, $1, $2, $3, $6, $9 }
			/^  generate / { gsub(",", ""); print n, "generate", "-", $2, $5, $8 }' \
			"$tmp/rep.out" >> "$tmp/rep.all"
	done
done
echo "bench: referrals register import and linking ($REVIEW_RUNS runs)" >&2
for i in $(seq 1 "$REVIEW_RUNS"); do
	nice "$CANDOUR_BIN/bench/bench_ref" --rows "$REF_ROWS" --concerns "$REF_CONCERNS" > "$tmp/ref.out" 2>&1 ||
		echo "bench: bench_ref exited $?" >&2
	# "  import  14.79 s wall  12.75 s cpu  peak RSS  388.6 MiB"
	awk '$3 == "s" && $4 == "wall" { print $1, $2, $5, $10 }' "$tmp/ref.out" >> "$tmp/ref.all"
done
fi

load1=$(cut -d' ' -f1-3 /proc/loadavg)
mem=$(awk '/^MemTotal:/ { printf("%.1f GiB", $2 / 1048576) }' /proc/meminfo)
{
	echo "# Candour benchmarks (make bench)"
	echo
	echo "Written by \`make bench\` ($( [ "${QUICK:-0}" = 1 ] && echo "QUICK=1, a short check run" || echo "full run")) on $start;"
	echo "took $(( ($(date +%s) - t0) / 60 )) min. Machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), $mem,"
	echo "kernel $(uname -r); libsodium $(pkg-config --modversion libsodium), libmicrohttpd $(pkg-config --modversion libmicrohttpd), SQLite $(pkg-config --modversion sqlite3)."
	echo "Load average at the start: $load0; at the end: $load1."
	[ -n "${BENCH_NOTE:-}" ] && echo "$BENCH_NOTE"
	echo
	echo "Each figure is the median of $RUNS runs (review: $REVIEW_RUNS) with (min-max). The machine is"
	echo "shared and noisy: only the ratios to a limit measured in the same run mean anything;"
	echo "the absolute figures move with the other load."
	echo
	echo "## Intake"
	echo
	echo "| measure | Candour | limit (same run) | ratio |"
	echo "|---|---|---|---|"
	cat "$tmp/intake.rows"
	echo
	echo "## Review"
	echo
	echo "Time in seconds (CPU = user + system, the figure to compare on a shared machine) and"
	echo "peak RSS. Growth: CPU per concern at each size over CPU per concern at the smallest."
	echo
	echo "| measure | Candour CPU s | wall s | peak MiB | limit / growth |"
	echo "|---|---|---|---|---|"
	first=$(echo "$REPORT_SIZES" | awk '{ print $1 }')
	for n in $REPORT_SIZES; do
		for w in "generate -" "FY2025 csv" "FY2025 json" "FY2025 html" "2025-06 csv"; do
			set -- $w
			awk -v n="$n" -v a="$1" -v b="$2" '$1 == n && $2 == a && $3 == b { print $5 }' "$tmp/rep.all" > "$tmp/c"
			awk -v n="$n" -v a="$1" -v b="$2" '$1 == n && $2 == a && $3 == b { print $4 }' "$tmp/rep.all" > "$tmp/w"
			awk -v n="$n" -v a="$1" -v b="$2" '$1 == n && $2 == a && $3 == b { print $6 }' "$tmp/rep.all" > "$tmp/m"
			[ -s "$tmp/c" ] || continue
			c1=$(awk -v n="$first" -v a="$1" -v b="$2" '$1 == n && $2 == a && $3 == b { print $5 }' "$tmp/rep.all" | med)
			g=$(awk -v c="$(med < "$tmp/c")" -v c1="$c1" -v n="$n" -v n1="$first" \
				'BEGIN { if (c1 > 0) printf("%.2f per concern vs %d", (c / n) / (c1 / n1), n1); else print "-" }')
			label="governance report $1 $2, $n concerns"
			[ "$1" = generate ] && label="generate a casebook of $n concerns (bench input, not Candour's work)"
			echo "| $label | $(stat3 %.2f < "$tmp/c") | $(stat3 %.1f < "$tmp/w") | $(stat3 %.0f < "$tmp/m") | $g |"
		done
	done
	for ph in import sqlite link plainlink parse; do
		awk -v p="$ph" '$1 == p { print $3 }' "$tmp/ref.all" > "$tmp/$ph.c"
		awk -v p="$ph" '$1 == p { print $2 }' "$tmp/ref.all" > "$tmp/$ph.w"
		awk -v p="$ph" '$1 == p { print $4 }' "$tmp/ref.all" > "$tmp/$ph.m"
	done
	r() { awk -v a="$(med < "$tmp/$1.c")" -v b="$(med < "$tmp/$2.c")" 'BEGIN { if (b > 0) printf("%.2f", a / b); else print "n/a" }'; }
	echo "| referrals import, $REF_ROWS register rows | $(stat3 %.2f < "$tmp/import.c") | $(stat3 %.1f < "$tmp/import.w") | $(stat3 %.0f < "$tmp/import.m") | plain SQLite bulk insert of the same rows: $(stat3 %.2f < "$tmp/sqlite.c") s CPU; ratio $(r import sqlite) |"
	echo "| linking $REF_CONCERNS concerns to the register | $(stat3 %.2f < "$tmp/link.c") | $(stat3 %.1f < "$tmp/link.w") | $(stat3 %.0f < "$tmp/link.m") | plain lookups of the same references: $(stat3 %.2f < "$tmp/plainlink.c") s CPU; ratio $(r link plainlink) |"
	echo
	echo "Not measured by make bench yet: import of 10k/100k/1M concerns (no generator writes"
	echo "signed intake bundles of that size; gen_casebook writes the casebook directly)."
	if [ "${BENCH_OTHERS:-0}" = 1 ]; then
		echo
		echo "## Other benchmark programs (raw output; BENCH_OTHERS=1)"
		echo
		echo '```'
		for b in bench_crypto bench_store bench_sdc; do
			[ -x "$CANDOUR_BIN/bench/$b" ] || continue
			echo "== $b"
			nice "$CANDOUR_BIN/bench/$b" 2>&1 || echo "bench: $b exited $?"
		done
		echo '```'
	fi
} > "$OUT"
echo "bench: wrote $OUT" >&2
