#!/bin/sh
# Runs the libFuzzer targets built by `make fuzz-build` (build-fuzz/), two
# at a time (the build machine has two cores; JOBS=N), the slowest first.
#   run.sh check         each target over its committed corpus, then a
#                        bounded run of RUNS mutations (see runs_of); new
#                        inputs go to a temporary directory
#   run.sh long SECONDS  each target for SECONDS; new inputs that add
#                        coverage are merged (-merge=1) into
#                        tests/fuzz/corpus/NAME at the end (commit them)
# Crashes are written to tests/fuzz/crashes/ (reproduce: the target with
# the file as its argument); each becomes a cmocka regression test.
# Ends with "fuzz: N passed, N failed" (one per target).
mode=${1:-check}
secs=${2:-60}
B=${B:-build-fuzz}
JOBS=${JOBS:-2}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Mutations in make check: sized so each target takes one to five seconds
# on one idle core (targets differ a thousandfold in speed). The count is
# run whatever the load: a target that executes fewer units than asked
# fails (a time cap once cut them under load and still passed);
# CHECK_CAP only stops a hung target.
runs_of() {
	case $1 in
	fuzz_bundle) echo 300 ;;
	# a reply bundle written, imported by import-replies and the
	# follow-up page rendered through the http handler: ~10 ms of CPU
	# an input
	fuzz_replies) echo 300 ;;
	# every input renders pages from a real casebook (~1.4 ms of CPU
	# each): with its corpus replay (544 inputs) 4.5-5.0 s of CPU
	fuzz_desk_pages) echo 1000 ;;
	# a bundle of the input's written, signed, imported into the
	# casebook and its concerns' pages rendered, then the casebook put
	# back: ~20 ms of CPU an input; the count includes the replay of
	# its corpus (95 files), as every target's does
	fuzz_desk_import) echo 200 ;;
	fuzz_store) echo 1000 ;;
	# a connection through libmicrohttpd per input, pages rendered,
	# reports sealed and committed (~1.3 ms of CPU each, the KDF
	# workers' included)
	fuzz_http) echo 1000 ;;
	fuzz_crypto | fuzz_register) echo 2000 ;;
	fuzz_session | fuzz_desk) echo 5000 ;;
	fuzz_form | fuzz_refs | fuzz_tmpl | fuzz_config) echo 10000 ;;
	*) echo 20000 ;;
	esac
}

# One target; its result line goes to $out/NAME.res, its log to NAME.log.
run_one() {
	t=$1
	name=$(basename "$t")
	corpus=tests/fuzz/corpus/$name
	log=$out/$name.log
	# databases of the targets that need them: tmpfs, removed after
	CANDOUR_FUZZ_TMP=$(mktemp -d /dev/shm/candour-fuzz.XXXXXX 2>/dev/null || mktemp -d)
	export CANDOUR_FUZZ_TMP
	mkdir -p "$corpus"
	start=$(date +%s)
	if [ "$mode" = long ]; then
		# new inputs go to a scratch directory; at the end only those
		# that add coverage are merged into the committed corpus (it
		# once took hundreds of unminimised files from five seconds)
		new=$(mktemp -d)
		"$t" -max_total_time="$secs" -print_final_stats=1 \
		    -artifact_prefix=tests/fuzz/crashes/"$name"- "$new" "$corpus" >"$log" 2>&1
		rc=$?
		"$t" -merge=1 "$corpus" "$new" >"$log.merge" 2>&1 || rc=$?
		rm -rf "$new"
	else
		tmp=$(mktemp -d)
		"$t" -runs="$(runs_of "$name")" -max_total_time="${CHECK_CAP:-600}" -print_final_stats=1 \
		    -artifact_prefix=tests/fuzz/crashes/"$name"- "$tmp" "$corpus" >"$log" 2>&1
		rc=$?
		rm -rf "$tmp"
	fi
	rm -rf "$CANDOUR_FUZZ_TMP"
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	took=$(($(date +%s) - start))
	if [ "$rc" -eq 0 ] && [ "$mode" != long ] && [ "${execs:-0}" -lt "$(runs_of "$name")" ]; then
		echo "fuzz: $name FAILED: ${execs:-no} executions of $(runs_of "$name") asked" >"$out/$name.res"
	elif [ "$rc" -eq 0 ]; then
		echo "fuzz: $name ok, ${execs:-?} executions in ${took}s" >"$out/$name.res"
	else
		{
			echo "fuzz: $name FAILED (exit $rc), log:"
			tail -n 40 "$log"
		} >"$out/$name.res"
	fi
}

# One target, run by the pool below: run.sh --one MODE SECONDS OUT TARGET
if [ "$mode" = --one ]; then
	mode=$2 secs=$3 out=$4
	run_one "$5"
	exit 0
fi

mkdir -p tests/fuzz/crashes
if ! ls "$B"/tests/fuzz/fuzz_* >/dev/null 2>&1; then
	echo "fuzz: no targets in $B/tests/fuzz (run make fuzz-build)"
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
# JOBS at a time, the next target starting as soon as one ends, the slowest
# first (fewest mutations, runs_of). Run in pairs, each pair waiting for its
# slower half, a core sat idle: 53-59 s wall against the pool's 36-37 s,
# the same CPU (2026-12-06 at load 12-17; bundle, store and form ~12 s
# each, the others 1-9 s).
for t in "$B"/tests/fuzz/fuzz_*; do
	case $t in *.o | *.d) continue ;; esac
	echo "$(runs_of "$(basename "$t")") $t"
done | sort -n | cut -d' ' -f2 | xargs -r -n 1 -P "$JOBS" sh "$0" --one "$mode" "$secs" "$out"
pass=0; fail=0
for r in "$out"/*.res; do
	cat "$r"
	if grep -q '^fuzz: [a-z_]* ok' "$r"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
