#!/usr/bin/env bash
# The reporter's pages in headless Chromium with JavaScript off: bad
# submission -> error summary linked to fields; good one -> receipt read from
# the page -> mistyped, then right, on the follow-up page; every page holds
# basic accessibility facts at 320 px (tests/browser/reporter-path.js).
# Skipped, saying so, when chromium, node or playwright-core is not installed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null; then
	skip "no chromium"
	exit 0
fi
# Installed by `make check` (scripts/deps.sh check); a test never downloads.
if [ ! -d "$REPO/tests/browser/node_modules/playwright-core" ]; then
	skip "playwright-core not installed (run: sh scripts/deps.sh check)"
	exit 0
fi

start_intake

# (timeout: a bound on a hang, not on speed: with seven other runs on
# the two cores, load 20, the walk passed 60 s and was killed mid-page)
URL=$URL HOME=$T timeout 180 node "$REPO/tests/browser/reporter-path.js" || fail "browser walk failed"
[ "$(count_records)" = 1 ] || fail "the browser's concern was not counted once"
