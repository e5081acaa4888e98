#!/usr/bin/env bash
# The reviewer's desk in headless Chromium with JavaScript off
# (tests/browser/desk.js): unlock, import an export from a path, open the
# new concern, change its status, reply after the preview, confirm the
# near match it names, export the replies, the referrals page, the
# governance report's preview (last month; this month's refused, not
# ended); axe-core finds no violation on any page;
# the used one-time address is refused. The intake accepts the reply
# bundle the browser made. Screenshots are taken and kept in $DESK_SHOTS
# when it is set.
# Skipped, saying so, when chromium, node or playwright-core is missing.
# e2e: first
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
. "$(dirname "$0")/desk_lib.bash"
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null; then
	skip "no chromium"
	exit 0
fi
if [ ! -d "$REPO/tests/browser/node_modules/playwright-core" ]; then
	skip "playwright-core not installed (run: sh scripts/deps.sh check)"
	exit 0
fi
desk_casebook
start_desk
DESK_URL=$DESK_URL PASSFILE=$T/pass IMPORT=$T/b2 EXPORT=$T/replies HOME=$T \
	timeout 300 node "$REPO/tests/browser/desk.js" "${DESK_SHOTS:-}" || fail "browser walk failed"
"$BIN/candour-intake" import-replies --db "$DB" --keys "$T/keys" --in "$T/replies" > /dev/null 2>&1 \
	|| fail "the intake refused the reply bundle the browser exported"
CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" audit "${A[@]}" > "$T/audit"
for a in "import " "status " "reply " "export-replies "; do
	grep -q "alice $a" "$T/audit" || fail "the audit log lacks $a"
done
stop_desk
echo "browser desk ok"
