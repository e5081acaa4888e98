#!/usr/bin/env bash
# The disk fills (a small tmpfs: needs root, skipped otherwise) under a
# submission, a follow-up message, a restart of serve, an import and a
# register import: tests/crash/disk_full.py. Clear refusals, nothing
# half-written, and all of it works once space returns.
. "$(dirname "$0")/lib.sh"
python3 "$(dirname "$0")/../crash/disk_full.py" || fail "disk full"
