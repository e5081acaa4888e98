#!/usr/bin/env bash
# Crash consistency of the casebook: tests/crash/review_crash.py kills
# `candour-review import` and `referrals import` with SIGKILL after a random
# delay, 30 times each (CANDOUR_CRASH_KILLS_REVIEW; make soak: 300): the
# casebook is exactly as before or as a finished import leaves it.
# e2e: first
. "$(dirname "$0")/lib.sh"
python3 "$(dirname "$0")/../crash/review_crash.py" --kills "${CANDOUR_CRASH_KILLS_REVIEW:-30}" \
	|| fail "casebook crash consistency"
