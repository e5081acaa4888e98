#!/bin/sh
# Runs every tests/e2e/*.sh against the binaries in $CANDOUR_BIN.
# Each script is one test: exit 0 passes. Prints "e2e: N passed, N failed".
: "${CANDOUR_BIN:?set CANDOUR_BIN to the build directory}"
export CANDOUR_BIN
pass=0; fail=0; failed=""
for t in tests/e2e/*.sh; do
	[ -f "$t" ] || continue
	case "$t" in */lib.sh) continue ;; esac
	start=$(date +%s)
	if bash "$t" >"${TMPDIR:-/tmp}/candour-e2e.log" 2>&1; then
		pass=$((pass + 1)); echo "[ e2e OK   ] $t ($(( $(date +%s) - start ))s)"
	else
		fail=$((fail + 1)); failed="$failed $t"
		echo "[ e2e FAIL ] $t"; sed 's/^/    /' "${TMPDIR:-/tmp}/candour-e2e.log" | tail -n 40
	fi
done
[ -z "$failed" ] || echo "e2e: failed:$failed"
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
