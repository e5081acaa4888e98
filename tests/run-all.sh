#!/bin/sh
# make check's build and test phases (after deps-check): the plain build,
# then the unit tests plain and under ASan+UBSan, static checks, the fuzz
# targets (short), and the end-to-end tests with the plain binaries. Ends
# with each phase's CPU time and the second (since the plain build began)
# at which it ended, the failed tests, one a line ("failed: PHASE: ..."),
# and one summary line.
# The two cores are kept busy: nothing but the plain build waits for a
# build. Once the plain binaries exist, three things run side by side: the
# e2e scripts marked long (two at a time), the other shared e2e scripts
# (three at a time), and the rest in turn (the ASan+UBSan and fuzz builds
# beside the plain unit tests and lint, then the ASan unit tests and the
# fuzz targets). The e2e scripts mostly wait (servers, sleeps) and the
# builds are CPU-bound, so each fills the other's gaps: run after the fuzz
# phase, the shared scripts kept ~1.6 of the 2 cores busy for 135 s.
# A model of 2 cores from the quiet runs' figures (each script's CPU and
# wall, Chromium's uncounted CPU added; 2026-12-06): 454 s as it was
# (453-468 s measured), 430 s so; ~80 core-seconds idle then, ~33 now,
# all in the quiet end. Only the scripts marked quiet or alone (they time
# themselves) wait for everything else. The e2e output is shown when its
# part ends, after the phases run beside it.
# Usage (make check): JOBS=N MAKE=make sh tests/run-all.sh
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
MAKE=${MAKE:-make}
# make check's own flags (-s, a jobserver it did not pass on) are not the
# builds' here: each has -j$JOBS of its own
unset MAKEFLAGS MFLAGS MAKELEVEL
start=$(date +%s)
total_p=0; total_f=0
tally() { # $1 = log file
	l=$(grep -E '^[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1)
	p=$(echo "$l" | sed 's/.*: \([0-9]*\) passed.*/\1/'); f=$(echo "$l" | sed 's/.* \([0-9]*\) failed/\1/')
	[ -n "$l" ] || { p=0; f=1; echo "failed: $2: the runner ended without a summary" >> "$failed"; }
	total_p=$((total_p + p)); total_f=$((total_f + f))
	grep -E '^(unit|e2e): failed: ' "$1" | sed "s/^[a-z0-9]*: failed: /failed: $2: /" >> "$failed"
	grep '^e2e: skipped: ' "$1" | sed "s/^e2e: skipped: /skipped: $2: /" >> "$skipped"
}
log=$(mktemp); failed=$(mktemp); skipped=$(mktemp); longlog=$(mktemp); t1=$(mktemp); cpu=$(mktemp)
buildlog=$(mktemp); bt=$(mktemp); lt=$(mktemp); e2elog=$(mktemp); et=$(mktemp)
at=$(mktemp); ft=$(mktemp); fzt=$(mktemp); lintt=$(mktemp); asanlog=$(mktemp); fuzzlog=$(mktemp); lintlog=$(mktemp)
# The CPU time (user+system) of each phase, printed at the end with the
# second it ended at: each phase and each background job runs in a subshell
# that writes its own `times` (the second line: the CPU of what it waited
# for) to a file. The shell's own `times` would give a background job's CPU
# to whichever phase it was reaped in (dash reaps any child it waits for:
# the ASan build's counted in lint, the long lane's in the ASan unit tests).
# A third line holds the second the command ended (a background job's end,
# not the later moment it was waited for).
# Usage: timed FILE COMMAND... (the command's exit status)
timed() {
	_f=$1; shift
	"$@"; _rc=$?; times > "$_f"; date +%s >> "$_f"; return $_rc
}
cpu_line() { # $1 = phase name, $2 = times file
	_end=$(sed -n 3p "$2"); _end=${_end:-$(date +%s)}
	echo "cpu: $1: $(awk -f tests/cpu.awk "$2"), ended at $((_end - start)) s" >> "$cpu"
}
# Usage: phase NAME COMMAND...: output shown and kept in $log, then tallied
phase() {
	_n=$1; shift
	(timed "$t1" "$@") | tee "$log"; tally "$log" "$_n"; cpu_line "$_n" "$t1"
}
build_failed() { # $1 = what
	cat "$buildlog"; echo "failed: build: $1" >> "$failed"; total_f=$((total_f + 1))
}
longpid=; e2epid=; asanpid=; fuzzpid=; lintpid=
trap 'kill $longpid $e2epid $asanpid $fuzzpid $lintpid 2>/dev/null; rm -f "$log" "$failed" "$skipped" "$longlog" "$t1" "$cpu" "$buildlog" "$bt" "$lt" "$e2elog" "$et" "$at" "$ft" "$fzt" "$lintt" "$asanlog" "$fuzzlog" "$lintlog" "$buildlog.asan" "$buildlog.fuzz"' EXIT
echo "== building (plain, $JOBS jobs)"
if ! (timed "$t1" $MAKE -s -j"$JOBS" all tests > "$buildlog" 2>&1); then
	build_failed "plain"; echo "== failed"; cat "$failed"; echo "all: $total_p passed, $total_f failed"; exit 1
fi
cpu_line "build (plain)" "$t1"
# The e2e scripts marked long (crash kills, 1,000 casebooks, the a11y walk:
# minutes each, much of it waiting) are the run's critical path: they start
# now, two at a time, beside the builds, unit, static and fuzz phases. Those
# marked quiet or alone still run after everything else.
(CANDOUR_BIN=$(pwd)/build CANDOUR_E2E_PART=long CANDOUR_E2E_LONG_JOBS=${CANDOUR_E2E_LONG_JOBS:-2} \
	timed "$lt" sh tests/run-e2e.sh > "$longlog" 2>&1) &
longpid=$!
echo "== end-to-end tests marked long: started, beside what follows"
# The other shared e2e scripts need only the plain binaries too: they start
# now, three at a time (those marked first first), where they waited for
# the ASan build, its unit tests and the fuzz targets (~265 s). They fill
# what the builds leave, and the builds what they leave.
(timed "$et" env CANDOUR_BIN="$(pwd)/build" CANDOUR_E2E_PART=shared \
	CANDOUR_E2E_JOBS="${CANDOUR_E2E_JOBS:-3}" sh tests/run-e2e.sh > "$e2elog" 2>&1) &
e2epid=$!
echo "== end-to-end tests: started, beside what follows"
# The unit programs, named from their sources as the Makefile names them
# (tests/MODULE/test_*.c): one missing or not executable is a failure, where
# a search of build/ for executables skipped it without a word (an empty
# file left by an interrupted link, 2026-12-06: 612 passed, 15 not run).
units() { # $1 = build folder
	for c in tests/crypto/test_*.c tests/util/test_*.c tests/bundle/test_*.c \
	    tests/intake/test_*.c tests/review/test_*.c; do
		echo "$1/${c%.c}"
	done
}
# Two lanes more, beside the e2e ones: the ASan+UBSan build then its unit
# tests, and the fuzz build then the fuzz targets; each runs its tests as
# soon as its own build ends, and lint runs beside them all. Until
# 2026-12-07 these ran in turn after the plain unit tests: lint (28 s of
# CPU, niced, and waiting in its self-tests) ended ~25 s after the builds,
# the ASan units and fuzz after it, and from ~370 s of a clean clone's run
# half the two cores were idle (perf over the whole run: 95 core-seconds
# idle, all of it in the last 100 s).
# Usage: lane BUILDTIMES BUILDLOG TESTTIMES TESTLOG MAKETARGET TESTCOMMAND...
# (exit 3 when the build failed)
lane() {
	_bt=$1 _bl=$2 _tt=$3 _tl=$4 _target=$5; shift 5
	(timed "$_bt" $MAKE -s -j"$JOBS" "$_target" > "$_bl" 2>&1) || return 3
	(timed "$_tt" "$@") > "$_tl" 2>&1
}
(lane "$bt" "$buildlog.asan" "$at" "$asanlog" asan-unit sh tests/run-unit.sh $(units build-asan)) &
asanpid=$!
(lane "$ft" "$buildlog.fuzz" "$fzt" "$fuzzlog" fuzz-build sh tests/fuzz/run.sh check) &
fuzzpid=$!
echo "== ASan+UBSan build and unit tests, fuzz build and targets: started, beside what follows"
# Not niced (CANDOUR_NICE=0: the mutants self-test and cppcheck nice
# themselves by default): a lane whose end the quiet scripts wait for, it
# waited at nice 10 (the self-test's builds at 19) until the e2e lanes
# ended, then ran alone.
(export CANDOUR_NICE=0; timed "$lintt" sh tests/lint/run.sh > "$lintlog" 2>&1) &
lintpid=$!
echo "== static checks (tests/lint/): started, beside what follows"
echo "== unit tests (plain build)"
phase "unit (plain)" sh tests/run-unit.sh $(units build)
# Usage: lane_end PID NAME BUILDNAME BUILDTIMES BUILDLOG TESTTIMES TESTLOG
lane_end() {
	wait "$1"; _rc=$?
	if [ "$_rc" -eq 3 ]; then
		cp "$5" "$buildlog"; build_failed "$3"
		return
	fi
	cpu_line "build ($3; beside the e2e lanes and the plain unit tests)" "$4"
	echo "== $2 (since its build ended)"
	cp "$7" "$log"; cat "$log"; tally "$log" "$2"; cpu_line "$2" "$6"
}
lane_end "$asanpid" "unit (ASan+UBSan)" "ASan+UBSan" "$bt" "$buildlog.asan" "$at" "$asanlog"
lane_end "$fuzzpid" fuzz "fuzz" "$ft" "$buildlog.fuzz" "$fzt" "$fuzzlog"
asanpid=; fuzzpid=
wait "$lintpid"; lintpid=
echo "== static checks (tests/lint/, run beside the phases above)"
cp "$lintlog" "$log"; cat "$log"; tally "$log" lint; cpu_line lint "$lintt"
wait "$e2epid"; e2epid=; cpu_line "e2e (since the plain build, beside the phases above)" "$et"
echo "== end-to-end tests (run since the plain build)"
cp "$e2elog" "$log"; cat "$log"; tally "$log" e2e
wait "$longpid"; longpid=; cpu_line "e2e (long; since the plain build, beside the phases above)" "$lt"
echo "== end-to-end tests marked long (run since the plain build)"
cp "$longlog" "$log"; cat "$log"; tally "$log" "e2e (long)"
echo "== end-to-end tests marked quiet or alone (after all the others)"
phase "e2e (quiet, alone)" env CANDOUR_BIN="$(pwd)/build" CANDOUR_E2E_PART=alone sh tests/run-e2e.sh
times > "$t1"; cpu_line "all (this script's children)" "$t1"
echo "== CPU time per phase"; cat "$cpu"
# parts this machine lacks what they need for: passed, but not unseen
if [ -s "$skipped" ]; then echo "== skipped (this machine lacks what they need)"; cat "$skipped"; fi
if [ -s "$failed" ]; then echo "== failed"; cat "$failed"; fi
echo "wall: $(($(date +%s) - start)) s since the plain build began"
# the last line keeps its form (what reads the run looks for it); the
# skipped parts are counted on the line before
echo "skipped: $(wc -l < "$skipped") parts"
echo "all: $total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
