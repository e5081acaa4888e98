#!/bin/sh
# make soak: the long versions of the crash and flood tests (tests/crash/,
# tests/flood/; tests/README.md says what each proves), of e2e 63's
# attacks on the disclosure control (all their casebooks), of e2e 68's
# casebook states (its sweep, and n=120 seeds 1-30 with none sealed at
# two and three states) and of e2e 91's quarterly cadence (30 casebooks). Each prints its
# seed; CANDOUR_TEST_SEED replays one. Ends with "soak: N passed, N failed".
: "${CANDOUR_BIN:?set CANDOUR_BIN to the build directory}"
export CANDOUR_BIN
pass=0; fail=0
run() { # NAME COMMAND...
	name=$1; shift
	start=$(date +%s)
	if "$@"; then pass=$((pass + 1)); echo "[ soak OK   ] $name ($(( $(date +%s) - start ))s)"
	else fail=$((fail + 1)); echo "[ soak FAIL ] $name ($(( $(date +%s) - start ))s)"; fi
}
# In braces, ending in exit: sh reads a script as it runs it, and a line
# added to this file during the hour of a soak would be read and run
# (tests/valgrind/selftest.sh shows it on valgrind's run.sh).
{
run intake-crash python3 tests/crash/intake_crash.py --kills "${SOAK_KILLS:-1000}"
run review-crash python3 tests/crash/review_crash.py --kills "${SOAK_REVIEW_KILLS:-300}"
run disk-full python3 tests/crash/disk_full.py
run flood-64 python3 tests/flood/flood.py --connections 64 --seconds 30 --max-rss-mib 256
run flood-500 python3 tests/flood/flood.py --connections 500 --seconds 30 --max-rss-mib 256
run flood-500-stall python3 tests/flood/flood.py --connections 500 --seconds 30 --max-rss-mib 256 --stall 12
run report-sdc-years sh tests/report/sdc_years_soak.sh
run sdc-casebooks env CANDOUR_SDC_FULL=1 bash tests/e2e/63-report-sdc-casebooks.sh
run report-states env CANDOUR_SDC_FULL=1 bash tests/e2e/68-report-states.sh
run report-cadence sh tests/report/cadence_soak.sh
echo "soak: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
exit
}
