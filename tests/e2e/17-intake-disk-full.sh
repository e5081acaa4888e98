#!/usr/bin/env bash
# Disk full while storing: 503, no receipt, nothing half-written (the
# record count is unchanged and the intake still works for what fits).
# Needs root to mount a small tmpfs; skipped otherwise.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
if [ "$(id -u)" -ne 0 ]; then skip "not root: disk-full test"; exit 0; fi
mkdir -p "$T/data"
if ! mount -t tmpfs -o size=4m,mode=0700 tmpfs "$T/data" 2>/dev/null; then
	skip "cannot mount a tmpfs here: disk-full test"; exit 0
fi
cleanup_mount() { kill "${PARENT:-}" 2>/dev/null || true; wait "${PARENT:-}" 2>/dev/null || true; umount "$T/data" || true; _candour_cleanup; }
trap cleanup_mount EXIT
start_intake --min-free 0 # the disk itself fills here, not the floor

code=$(submit_concern "$T/c1" -F "what=fits")
[ "$code" = 200 ] || fail "small submission gave $code"
[ "$(count_records)" = 1 ] || fail "count not 1"

head -c $((6 * 1024 * 1024)) /dev/urandom > "$T/big"
code=$(submit_concern "$T/c2" -F "what=does not fit" -F "file=@$T/big")
[ "$code" = 503 ] || fail "disk full gave $code"
check_headers "$T/c2.h"
if grep -q 'class="receipt"' "$T/c2"; then fail "a receipt although nothing was stored"; fi
grep -q 'no receipt was made' "$T/c2" || fail "503 page does not say so"
[ "$(count_records)" = 1 ] || fail "a record appeared after a failed store"

# the store survives and serves again
code=$(submit_concern "$T/c3" -F "what=fits again")
[ "$code" = 200 ] || fail "after disk full, a small submission gave $code"
[ "$(count_records)" = 2 ] || fail "count not 2"
stop_intake
echo "disk full OK"
