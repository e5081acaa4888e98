#!/usr/bin/env bash
# WCAG 2.2 AA with axe-core on every intake page and error page, English and
# Welsh, at 320 and 1280 px, JavaScript off, nothing fetched off 127.0.0.1
# (tests/browser/a11y.js). A full-page screenshot of each page and width is
# taken only when CANDOUR_SHOTS is set, into $CANDOUR_SHOTS/a11y: they are
# for people, no check reads them, and they were about half of the test's
# CPU. Skipped, saying so, without chromium, node, playwright-core or
# axe-core.
# Besides the main intake, three more make the pages a main one cannot
# show on demand: one below its free-space floor (503 full), one taking one
# submission a minute (--budget 1: the busy 503 of a report and of a
# message) and one whose reviewer left after a concern was sealed to him
# alone (SIGHUP: the no-readers follow-up page and its 409). The 403 of an
# expired session is the message form sent after the cookie is gone.
# e2e: long
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null; then
	skip "no chromium"
	exit 0
fi
for m in playwright-core axe-core; do
	if [ ! -d "$REPO/tests/browser/node_modules/$m" ]; then
		skip "$m not installed (run: sh scripts/deps.sh check)"
		exit 0
	fi
done
SHOTS=
if [ -n "${CANDOUR_SHOTS:-}" ]; then
	SHOTS=$CANDOUR_SHOTS/a11y
	rm -rf "$SHOTS"; mkdir -p "$SHOTS"
fi

# Receipts are not under test here: with the weak KDF the walk's own
# submissions and receipt entries cost the intake nothing.
export CANDOUR_RCPT_KDF=min CANDOUR_TEST_WEAK_KDF=1
T0=$T
make_keys "$T/keys" alice bob
# another_intake NAME [serve options]: an intake of its own in $T0/NAME with
# the same reviewers; its URL in URL (start_intake's globals, then $T back)
another_intake() {
	T=$T0/$1; shift
	mkdir -p "$T"; cp -r "$T0/keys" "$T/"
	start_intake "$@"
	T=$T0
}

# below its free-space floor: the "full" pages
another_intake full --min-free 1125899906842624
URL_FULL=$URL

# one submission a minute (--budget 1), spent here: the "busy" 503 pages
# of the report and of a follow-up message (the walk spends what a minute
# gave back)
another_intake busy --budget 1
URL_BUSY=$URL
code=$(submit_concern "$T/cb" -F "what=Spends the submission of this minute.")
[ "$code" = 200 ] || fail "busy intake: the submission gave $code"
BUSY=$(receipt_of "$T/cb")

# Each language's visit has receipts of its own: entering a receipt ends
# any other session of it.
# concerns sealed to bob alone, then bob's key removed (SIGHUP reloads
# --keys): nobody left who may read a message, the 409 page
another_intake gone
GONE_DIR=$T0/gone GONE_PARENT=$PARENT
curl -s -o "$T/form.html" "$URL/report"
bob=$(kid_of bob "$T/form.html")
[ -n "$bob" ] || fail "gone intake: no key id for bob"
GONE=
for lang in en cy; do
	code=$(submit_concern "$T/cg" -F choice=1 -F "reviewer=$bob" -F "what=For bob only.")
	[ "$code" = 200 ] || fail "gone intake: the submission gave $code"
	GONE="$GONE $(receipt_of "$T/cg")"
done
mv "$GONE_DIR/keys/bob.pub" "$T/"
kill -HUP "$GONE_PARENT"
for _ in $(seq 1 100); do
	has "$GONE_DIR/serve.err" 'serve: reload' && break
	nap 0.1
done
grep -q 'serve: reload' "$GONE_DIR/serve.err" || fail "gone intake: no reload after SIGHUP"
URL_GONE=$URL

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
# open concerns for the follow-up walk (and a receipt the full intake
# never issued)
OPEN=
for lang in en cy; do
	code=$(submit_concern "$T/c2" -F "what=The strategy meeting was never held.")
	[ "$code" = 200 ] || fail "submission gave $code"
	OPEN="$OPEN $(receipt_of "$T/c2")"
done

CLOSED=$CLOSED OPEN="$OPEN" BUSY=$BUSY GONE="$GONE" URL=$URL URL_FULL=$URL_FULL URL_BUSY=$URL_BUSY \
	URL_GONE=$URL_GONE OUT=$SHOTS HOME=$T A11Y_DEBUG=${A11Y_DEBUG:-} A11Y_TABS=${A11Y_TABS:-} \
	timeout 600 node "$REPO/tests/browser/a11y.js" | tee "$T/a11y.out" ||
	fail "accessibility check failed${SHOTS:+ (screenshots in $SHOTS)}"
# every page view audited: 52 pages and languages, each at both widths
n=$(sed -n 's/^a11y: \([0-9]*\) page views.*/\1/p' "$T/a11y.out")
[ "${n:-0}" -ge 104 ] || fail "only ${n:-0} page views audited"
if [ -n "$SHOTS" ]; then
	n=$(find "$SHOTS" -name '*.jpg' | wc -l)
	[ "$n" -ge 104 ] || fail "only $n screenshots in $SHOTS"
	echo "ok: $n screenshots in $SHOTS"
fi
