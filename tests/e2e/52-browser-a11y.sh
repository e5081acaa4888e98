#!/usr/bin/env bash
# WCAG 2.2 AA with axe-core on every intake page and error page, English and
# Welsh, at 320 and 1280 px, JavaScript off, nothing fetched off 127.0.0.1
# (tests/browser/a11y.js). The screenshots are kept in $CANDOUR_SHOTS/a11y,
# default $CANDOUR_BIN/shots/a11y. Skipped, saying so, without chromium,
# node, playwright-core or axe-core.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null; then
	echo "skipped: no chromium"
	exit 0
fi
for m in playwright-core axe-core; do
	if [ ! -d "$REPO/tests/browser/node_modules/$m" ]; then
		echo "skipped: $m not installed (run: sh scripts/deps.sh check)"
		exit 0
	fi
done
SHOTS=${CANDOUR_SHOTS:-$BIN/shots}/a11y
rm -rf "$SHOTS"; mkdir -p "$SHOTS"

# a second intake below its free-space floor: the "full" pages
T0=$T
make_keys "$T/keys" alice bob
T=$T0/full; mkdir -p "$T"; cp -r "$T0/keys" "$T/"
start_intake --min-free 1125899906842624
URL_FULL=$URL
T=$T0
start_intake --max-upload 100000

URL=$URL URL_FULL=$URL_FULL OUT=$SHOTS HOME=$T A11Y_DEBUG=${A11Y_DEBUG:-} timeout 600 node "$REPO/tests/browser/a11y.js" ||
	fail "accessibility check failed (screenshots in $SHOTS)"
n=$(find "$SHOTS" -name '*.png' | wc -l)
[ "$n" -ge 80 ] || fail "only $n screenshots in $SHOTS"
echo "ok: $n screenshots in $SHOTS"
