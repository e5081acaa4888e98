#!/usr/bin/env bash
# Crash consistency of the intake: tests/crash/intake_crash.py kills serve's
# parent, store and http process in turn with SIGKILL at random moments of a
# stream of submissions (with attachments) and follow-up messages (for a
# random 0-4 times a client's mean operation, not a set time), 200 times
# (CANDOUR_CRASH_KILLS; make soak: 1,000), and after each restart
# checks integrity, the chain, every receipt shown, no half-stored record
# and no orphaned child. The seed is printed; CANDOUR_TEST_SEED replays.
# e2e: long
. "$(dirname "$0")/lib.sh"
python3 "$(dirname "$0")/../crash/intake_crash.py" --kills "${CANDOUR_CRASH_KILLS:-200}" \
	|| fail "intake crash consistency"
