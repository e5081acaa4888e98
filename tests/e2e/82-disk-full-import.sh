#!/usr/bin/env bash
# The disk fills (a small tmpfs: needs root, skipped otherwise) under a
# submission, a follow-up message, a restart of serve, an import and a
# register import: tests/crash/disk_full.py. Clear refusals, nothing
# half-written, and all of it works once space returns.
. "$(dirname "$0")/lib.sh"
python3 "$(dirname "$0")/../crash/disk_full.py" | tee "$T/out" || fail "disk full"
# disk_full.py says SKIP (not root, no tmpfs) and exits 0
if has "$T/out" "^disk-full: SKIP: "; then skip "$(sed -n 's/^disk-full: SKIP: //p' "$T/out")"; fi
