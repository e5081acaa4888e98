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

# a concern the reviewers have answered and closed: the follow-up page with
# its history, replies, the outcome summary and the closed notice
export CANDOUR_PASSPHRASE_FILE=$T/secret/pass
CB=(--casebook "$T/cb.db" --key "$T/secret/alice.sec")
code=$(submit_concern "$T/c1" -F "what=Referral PPN-445566 was closed the same day." -F "file=@$REPO/README.md")
[ "$code" = 200 ] || fail "submission gave $code"
CLOSED=$(receipt_of "$T/c1")
"$BIN/candour-intake" export --db "$DB" --out "$T/b1" > /dev/null || fail "export"
"$BIN/candour-review" init "${CB[@]}" --intake-key "$DB.sign.pub" > /dev/null || fail "review init"
"$BIN/candour-review" import "${CB[@]}" "$T/b1" > /dev/null || fail "review import"
id=$("$BIN/candour-review" list "${CB[@]}" --format csv | sed -n '2p' | cut -d, -f1 | tr -d '"')
"$BIN/candour-review" status "${CB[@]}" "$id" acknowledged > /dev/null || fail "review status"
"$BIN/candour-review" reply "${CB[@]}" "$id" "Thank you. We have found the referral and opened an investigation." > /dev/null || fail "reply"
"$BIN/candour-review" outcome "${CB[@]}" "$id" substantiated --summary "The referral was reopened." \
	--share-with-reporter > /dev/null || fail "outcome"
"$BIN/candour-review" status "${CB[@]}" "$id" closed > /dev/null || fail "close"
"$BIN/candour-review" export-replies "${CB[@]}" --out "$T/r1" > /dev/null || fail "export-replies"
"$BIN/candour-intake" import-replies --db "$DB" --keys "$T/keys" --in "$T/r1" > /dev/null || fail "import-replies"

CLOSED=$CLOSED URL=$URL URL_FULL=$URL_FULL OUT=$SHOTS HOME=$T A11Y_DEBUG=${A11Y_DEBUG:-} timeout 600 node "$REPO/tests/browser/a11y.js" ||
	fail "accessibility check failed (screenshots in $SHOTS)"
n=$(find "$SHOTS" -name '*.jpg' | wc -l)
[ "$n" -ge 84 ] || fail "only $n screenshots in $SHOTS"
echo "ok: $n screenshots in $SHOTS"
