#!/usr/bin/env bash
# The reporter's pages in headless Chromium with JavaScript off: bad
# submission -> error summary linked to fields; good one -> receipt read from
# the page -> mistyped, then right, on the follow-up page; every page holds
# basic accessibility facts at 320 px (tests/browser/reporter-path.js).
# Skipped when chromium or node is not installed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null; then
	echo "skipped: no chromium"
	exit 0
fi
if [ ! -d "$REPO/tests/browser/node_modules/playwright-core" ]; then
	npm ci --prefix "$REPO/tests/browser" --ignore-scripts --no-audit --no-fund >"$T/npm.log" 2>&1 ||
		{ echo "skipped: playwright-core could not be installed (npm ci failed)"; exit 0; }
fi

start_intake

URL=$URL HOME=$T timeout 60 node "$REPO/tests/browser/reporter-path.js" || fail "browser walk failed"
[ "$(count_records)" = 1 ] || fail "the browser's concern was not counted once"
