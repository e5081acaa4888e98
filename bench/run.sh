#!/bin/sh
# make bench: measures Candour beside a limit measured in the same run and
# writes bench/RESULTS.md (a table of measure, Candour, limit, ratio; each
# figure the median of RUNS runs with min-max; the machine, the date and
# the load average). QUICK=1 is a short run that checks everything works
# (2 runs, small sizes) and writes to bench/RESULTS-quick.md instead.
#   intake:  bench/bench_intake.sh (submissions, pages, upload)
#   review:  bench/bench_report.sh (governance report, 10k/100k concerns;
#            BENCH_1M=1 adds 1M), bench_ref (register import of 1M rows
#            vs plain SQLite bulk insert; linking 100k concerns) and
#            bench/bench_import.sh (import of 10k/100k concerns from signed
#            bundles gen_bundle writes; BENCH_1M=1 adds 1M). The three
#            review benches run side by side (CPU time is the figure).
# Runs niced. Environment: RUNS (5), REVIEW_RUNS (RUNS), BENCH_1M (0),
# BENCH_1M_RUNS (1: runs at 1M), IMPORT_1M (0; 1 adds the import of 1M
# concerns: a 16 GiB bundle, about 25 min of CPU), IMPORT_RUNS (REVIEW_RUNS;
# imports of one generated bundle per size, each size side by side), IMPORT_REG (0:
# rows of a register imported before the concerns, so each is linked as it
# comes), REVIEW_PAR (0; 1: the runs of bench_ref, and the imports of one
# size, side by side),
# BENCH_NICE (10: the review part's nice level; 0 gives it a fair share of
# a machine other sessions load at nice 0),
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
	REF_ROWS=20000 REF_CONCERNS=2000 REPORT_SIZES="10000" IMPORT_SIZES="1000"
else
	OUT=${BENCH_OUT:-bench/RESULTS.md}
	export RUNS=${RUNS:-5} SECS=${SECS:-10} PAGE_SECS=${PAGE_SECS:-3} UPLOAD_MIB=${UPLOAD_MIB:-1024}
	REF_ROWS=1000000 REF_CONCERNS=100000 REPORT_SIZES="10000 100000" IMPORT_SIZES="10000 100000"
	[ "${BENCH_1M:-0}" = 1 ] && REPORT_SIZES="$REPORT_SIZES 1000000"
	[ "${IMPORT_1M:-0}" = 1 ] && IMPORT_SIZES="$IMPORT_SIZES 1000000"
fi
REVIEW_RUNS=${REVIEW_RUNS:-$RUNS}
IMPORT_RUNS=${IMPORT_RUNS:-$REVIEW_RUNS}
NICE=${BENCH_NICE:-10}
PAR=${REVIEW_PAR:-0}
RUNS_1M=${BENCH_1M_RUNS:-1}
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
: > "$tmp/imp.all"
if echo "$PARTS" | grep -q intake; then
	echo "bench: intake ($RUNS runs each)" >&2
	nice bash bench/bench_intake.sh > "$tmp/intake.rows"
fi
if echo "$PARTS" | grep -q review; then

# The three review benches are independent: side by side, each in its own
# temporary directory, so that they fit the time a session has.
report_part() { # sizes runs
	for i in $(seq 1 "$2"); do
		for n in $1; do
			BENCH_REPORT_SIZES="$n" nice -n "$NICE" sh bench/bench_report.sh > "$tmp/rep.$n.out"
			# "  FY2025 csv   0.40 s wall, 0.35 s CPU, 12 MiB"
			awk -v n="$n" '/^  [A-Za-z0-9-]+ [a-z]+ / && / s CPU/ {
				gsub(",", ""); print n, $1, $2, $3, $6, $9 }
				/^  generate / { gsub(",", ""); print n, "generate", "-", $2, $5, $8 }' \
				"$tmp/rep.$n.out" >> "$tmp/rep.$n.all"
		done
	done
}
ref_one() { # i
	nice -n "$NICE" "$CANDOUR_BIN/bench/bench_ref" --rows "$REF_ROWS" --concerns "$REF_CONCERNS" > "$tmp/ref.$1.out" 2>&1 ||
		echo "bench: bench_ref exited $?: $(tail -n 1 "$tmp/ref.$1.out")" >&2
}
ref_part() {
	rp=""
	for i in $(seq 1 "$REVIEW_RUNS"); do
		if [ "$PAR" = 1 ]; then
			ref_one "$i" &
			rp="$rp $!"
		else
			ref_one "$i"
		fi
	done
	[ -z "$rp" ] || wait $rp
	# "  import  14.79 s wall  12.75 s cpu  peak RSS  388.6 MiB"
	for i in $(seq 1 "$REVIEW_RUNS"); do
		awk '$3 == "s" && $4 == "wall" { print $1, $2, $5, $10 }' "$tmp/ref.$i.out" >> "$tmp/ref.all"
	done
}
import_part() { # size runs
	BENCH_IMPORT_SIZES="$1" BENCH_IMPORT_RUNS="$2" BENCH_IMPORT_REG="${IMPORT_REG:-0}" \
		BENCH_IMPORT_PAR="$PAR" nice -n "$NICE" sh bench/bench_import.sh > "$tmp/imp.$1.out" ||
		echo "bench: bench_import failed at $1: $(tail -n 1 "$tmp/imp.$1.out")" >&2
	# "  import   12.40 s wall,  4.10 s CPU,  69 MiB"; "  sizes: bundle B MiB, casebook C MiB"
	awk -v n="$1" '/ s CPU/ { gsub(",", ""); print n, $1, $2, $5, $8 }
		/^  sizes:/ { gsub(",", ""); print n, "size", $3, $6, 0 }' \
		"$tmp/imp.$1.out" > "$tmp/imp.$1.all"
}
# the load average beside the figures: sampled every 20 s while they run
( while :; do cut -d' ' -f1 /proc/loadavg >> "$tmp/load"; sleep 20; done ) &
sampler=$!
echo "bench: review: report, referrals, import side by side ($REVIEW_RUNS runs; import $IMPORT_RUNS; 1M $RUNS_1M)" >&2
p1=""
for n in $REPORT_SIZES; do
	if [ "$n" -ge 1000000 ]; then
		report_part "$n" "$RUNS_1M" &
		p1="$p1 $!"
	fi
done
report_part "$(echo "$REPORT_SIZES" | tr ' ' '\n' | awk '$1 < 1000000' | tr '\n' ' ')" "$REVIEW_RUNS" &
p1="$p1 $!"
ref_part &
p2=$!
ips=""
for n in $IMPORT_SIZES; do
	r=$IMPORT_RUNS
	[ "$n" -ge 1000000 ] && r=$RUNS_1M
	import_part "$n" "$r" &
	ips="$ips $!"
done
wait $p1 $p2 $ips
kill $sampler
for n in $IMPORT_SIZES; do cat "$tmp/imp.$n.all" >> "$tmp/imp.all"; done
for n in $REPORT_SIZES; do cat "$tmp/rep.$n.all" >> "$tmp/rep.all" 2> /dev/null || true; done
fi

load1=$(cut -d' ' -f1-3 /proc/loadavg)
[ -f "$OUT" ] && cp "$OUT" "$OUT.prev"
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
	if [ ! -s "$tmp/intake.rows" ] && [ -f "$OUT.prev" ]; then
		# the intake part was not run: its table stays as the last run left it
		echo "Not run this time (BENCH_PARTS=\"$PARTS\"): the rows below are those of the run the"
		echo "previous file describes ($(sed -n 's/^Written by .* on \(.*\);$/\1/p' "$OUT.prev"), load $(sed -n 's/^Load average at the start: \([^;]*\);.*/\1/p' "$OUT.prev") at its start)."
		echo
	fi
	echo "| measure | Candour | limit (same run) | ratio |"
	echo "|---|---|---|---|"
	if [ ! -s "$tmp/intake.rows" ] && [ -f "$OUT.prev" ]; then
		awk '/^## Intake/ { on = 1; next } /^## / { on = 0 } on && /^\| / && !/^\| measure / && !/^\|---/' "$OUT.prev"
	else
		cat "$tmp/intake.rows"
	fi
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
	ifirst=$(echo "$IMPORT_SIZES" | awk '{ print $1 }')
	for n in $IMPORT_SIZES; do
		for w in generate import import+register; do
			awk -v n="$n" -v w="$w" '$1 == n && $2 == w { print $4 }' "$tmp/imp.all" > "$tmp/c"
			[ -s "$tmp/c" ] || continue
			awk -v n="$n" -v w="$w" '$1 == n && $2 == w { print $3 }' "$tmp/imp.all" > "$tmp/w"
			awk -v n="$n" -v w="$w" '$1 == n && $2 == w { print $5 }' "$tmp/imp.all" > "$tmp/m"
			c1=$(awk -v n="$ifirst" -v w="$w" '$1 == n && $2 == w { print $4 }' "$tmp/imp.all" | med)
			g=$(awk -v c="$(med < "$tmp/c")" -v c1="$c1" -v n="$n" -v n1="$ifirst" \
				'BEGIN { if (c1 > 0) printf("%.2f per concern vs %d", (c / n) / (c1 / n1), n1); else print "-" }')
			sz=$(awk -v n="$n" '$1 == n && $2 == "size" { printf("; bundle %d MiB, casebook %d MiB", $3, $4); exit }' "$tmp/imp.all")
			case $w in
			generate) label="write a signed bundle of $n concerns (gen_bundle: bench input, not Candour's work)"; sz="" ;;
			import) label="import of $n concerns (signed bundle, fresh casebook, no register)" ;;
			*) label="import of $n concerns into a casebook holding a register of ${IMPORT_REG:-0} rows (each linked as it comes)"; sz="" ;;
			esac
			[ "$w" = import ] && [ "$n" = 100000 ] && sz="$sz; goal < 30 s"
			echo "| $label | $(stat3 %.2f < "$tmp/c") | $(stat3 %.1f < "$tmp/w") | $(stat3 %.0f < "$tmp/m") | $g$sz |"
		done
	done
	echo
	[ -s "$tmp/load" ] && echo "Load average (1 min) while the review part ran: median $(med < "$tmp/load") ($(sort -g "$tmp/load" | head -n 1)-$(sort -g "$tmp/load" | tail -n 1)), sampled every 20 s."
	echo "Runs: report and referrals $REVIEW_RUNS, import $IMPORT_RUNS, sizes of 1M $RUNS_1M (min = max when 1)."
	echo "$IMPORT_SIZES" | grep -q 1000000 || echo "Import of 1M concerns: not run (IMPORT_1M=1 adds it; see README.md for the projection)."
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
rm -f "$OUT.prev"
echo "bench: wrote $OUT" >&2
