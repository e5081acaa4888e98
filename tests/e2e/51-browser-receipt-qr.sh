#!/usr/bin/env bash
# The receipt's QR code works where SVG is blocked (Tor Browser "Safest"):
# headless Chromium, JavaScript off, a page with no SVG; the screenshot of
# the QR as the browser drew it must decode with zbarimg to the receipt
# shown as text (tests/browser/receipt-qr.js). CANDOUR_SHOTS=DIR keeps the
# screenshots. Skipped, saying so, without chromium, node,
# playwright-core or zbarimg.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null || ! command -v zbarimg >/dev/null; then
	skip "no chromium, node or zbarimg"
	exit 0
fi
if [ ! -d "$REPO/tests/browser/node_modules/playwright-core" ]; then
	skip "playwright-core not installed (run: sh scripts/deps.sh check)"
	exit 0
fi

start_intake
# (timeout: a bound on a hang, not on speed: with seven other runs on
# the two cores, load 20, this script took 62 s and 50's walk was killed)
URL=$URL OUT=$T HOME=$T timeout 180 node "$REPO/tests/browser/receipt-qr.js" || fail "browser receipt walk failed"
R=$(cat "$T/receipt.txt")
[[ "$R" =~ ^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$ ]] || fail "no receipt text: '$R'"
got=$(zbarimg -q --raw "$T/qr.png") || fail "zbarimg found no QR code in the screenshot"
[ "$got" = "$R" ] || fail "the QR decodes to '$got', not the receipt"
# the check can fail: a screenshot of something else decodes to nothing
convert "$T/qr.png" -fill white -draw 'rectangle 0,0 400,60' "$T/qr-cut.png"
if zbarimg -q --raw "$T/qr-cut.png" > /dev/null 2>&1; then fail "zbarimg read a QR with its finders covered"; fi
if [ -n "${CANDOUR_SHOTS:-}" ]; then mkdir -p "$CANDOUR_SHOTS" && cp "$T/qr.png" "$T/receipt-page.png" "$CANDOUR_SHOTS/"; fi
echo "ok: the QR as shown decodes to the receipt"
