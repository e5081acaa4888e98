#!/usr/bin/env bash
# The follow-up page tells the reporter what happened and when (issue 12):
# each status change and each reply with its day (never a time), the
# messages and files the reporter added (how many: their names are sealed
# to the reviewers), in order, in English and Welsh; a closed case says so
# at the top, with whom to call, before it offers "add information" (issue
# 10). The whole loop runs with the real binaries: submit with two files ->
# a message with one file -> export -> review: acknowledged, a
# reply, an outcome shared with the reporter, closed -> export-replies ->
# import-replies.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
start_intake
IN="$BIN/candour-intake"
RV="$BIN/candour-review"
export CANDOUR_PASSPHRASE_FILE=$T/secret/pass
CB=(--casebook "$T/cb.db" --key "$T/secret/alice.sec")
today=$(date -u +%F)

printf 'one' > "$T/a.txt"; printf 'two' > "$T/b.txt"; printf 'three' > "$T/c.txt"
code=$(submit_concern "$T/c1" -F "what=Referral PPN-445566 was closed the same day." \
	-F "file=@$T/a.txt" -F "file=@$T/b.txt")
[ "$code" = 200 ] || fail "submission gave $code"
R=$(receipt_of "$T/c1")

# history before anything from the reviewers: the concern and its files only
followup_page "$R" "$T/f0"
# items of the history list, one per line
items() { sed -n '/<ol class="history">/,/<\/ol>/p' "$1" | grep '<li>' || true; }
[ "$(items "$T/f0" | wc -l)" = 1 ] || fail "a new concern's history is not one item: $(items "$T/f0")"
items "$T/f0" | grep -q "<time datetime=\"$today\">$today</time>" || fail "the concern has no day"
items "$T/f0" | grep -q 'You raised this concern.' || fail "the concern item does not say what it is"
items "$T/f0" | grep -q 'Files added: 2' || fail "the concern's two files are not counted"
grep -q 'No replies yet.' "$T/f0" || fail "no 'No replies yet.' before any reply"
grep -q 'This concern is closed' "$T/f0" && fail "an open concern says it is closed"

# the reporter adds a message with one file
tok=$(csrf_of "$T/f0")
code=$(curl -s -b "$T/jar" -o /dev/null -w '%{http_code}' -F "csrf=$tok" -F "text=It happened again." \
	-F "file=@$T/c.txt" "$URL/followup/message")
[ "$code" = 200 ] || fail "message gave $code"
curl -s -b "$T/jar" -o "$T/f1" "$URL/followup"
[ "$(items "$T/f1" | wc -l)" = 2 ] || fail "the message is not in the history"
items "$T/f1" | sed -n 2p | grep -q 'You added a message.' || fail "the message item does not say so"
items "$T/f1" | sed -n 2p | grep -q 'Files added: 1' || fail "the message's file is not counted"
grep -q 'are locked with the rest of what you sent' "$T/f1" || fail "the page does not say why file names are not shown"
grep -q 'c.txt' "$T/f1" && fail "a file name reached the page (it is sealed to the reviewers)"

# the reviewers: acknowledge, reply, outcome shared, close
"$IN" export --db "$DB" --out "$T/b1" > /dev/null || fail "export failed"
"$RV" init "${CB[@]}" --intake-key "$DB.sign.pub" > /dev/null || fail "review init"
"$RV" import "${CB[@]}" "$T/b1" > /dev/null || fail "review import"
id=$("$RV" list "${CB[@]}" --format csv | sed -n '2p' | cut -d, -f1 | tr -d '"')
[ -n "$id" ] || fail "no case listed"
REPLY="Thank you. We have found the referral & opened an investigation."
SUMMARY="The referral was reopened and the child was seen."
"$RV" status "${CB[@]}" "$id" acknowledged > /dev/null || fail "review status"
"$RV" reply "${CB[@]}" "$id" "$REPLY" > /dev/null || fail "review reply"
"$RV" outcome "${CB[@]}" "$id" substantiated --summary "$SUMMARY" --share-with-reporter > /dev/null || fail "review outcome"
"$RV" status "${CB[@]}" "$id" closed > /dev/null || fail "review close"
"$RV" export-replies "${CB[@]}" --out "$T/r1" > /dev/null || fail "export-replies"
"$IN" import-replies --db "$DB" --keys "$T/keys" --in "$T/r1" > /dev/null || fail "import-replies"

for lang in en cy; do
	curl -s -b "$T/jar" -o "$T/f2" "$URL/$lang/followup"
	n=$(items "$T/f2" | wc -l)
	[ "$n" -ge 6 ] || fail "$lang: history has $n items, want the concern, message, 2 status changes, reply, summary"
	# every item has its day, and only a day
	[ "$(items "$T/f2" | grep -c "<time datetime=\"$today\">$today</time>")" = "$n" ] || fail "$lang: an item without its day"
	grep -Eq '[0-9]{2}:[0-9]{2}' "$T/f2" && fail "$lang: a time of day on the page"
	if [ $lang = en ]; then
		items "$T/f2" | grep -q 'New status: <strong>Acknowledged</strong>' || fail "en: no acknowledged item"
		items "$T/f2" | grep -q 'New status: <strong>Closed</strong>. Outcome: <strong>Substantiated</strong>' ||
			fail "en: the closing item does not give the outcome"
		items "$T/f2" | grep -q 'Reply from the reviewers</p><p class="text">Thank you. We have found the referral &amp; opened' ||
			fail "en: the reply is not in the history"
		items "$T/f2" | grep -q "Outcome summary</p><p class=\"text\">$SUMMARY" || fail "en: the summary is not in the history"
		grep -q 'No replies yet.' "$T/f2" && fail "en: 'No replies yet.' after a reply"
		closed='This concern is closed'
	else
		items "$T/f2" | grep -q 'Statws newydd: <strong>Wedi cau</strong>' || fail "cy: no closed item"
		items "$T/f2" | grep -q 'Ateb gan yr adolygwyr' || fail "cy: no reply item"
		items "$T/f2" | grep -q 'Fe ychwanegoch chi neges.' || fail "cy: no message item"
		closed=$(grep '^followup.closed_title' "$REPO/web/locale/cy.txt" | sed 's/^[^=]*= //; s/'"'"'/\&#39;/g')
	fi
	# closed, said plainly at the top: before the status list and the history
	awk -v c="$closed" 'index($0, c) && !a {a = NR} /<dl class="status">/ && !b {b = NR} END {exit !(a && b && a < b)}' "$T/f2" ||
		fail "$lang: the page does not say the case is closed above everything else"
	# issue 10: before it offers "add information", the page says the case
	# is closed and whom to call (out of hours, police), then the form
	python3 - "$T/f2" "$REPO/web/locale/$lang.txt" <<'PY' || fail "$lang: the closed notice and its contacts do not come before the form"
import html, sys
page = open(sys.argv[1], encoding="utf-8").read()
cat = dict(l.split(" = ", 1) for l in open(sys.argv[2], encoding="utf-8").read().splitlines() if " = " in l and not l.startswith("#"))
def text(s):  # a catalogue value as the page escapes it
    return html.escape(s, quote=True).replace("&#x27;", "&#39;")
def at(s, what):
    i = page.find(s)
    assert i >= 0, "missing: " + what
    return i
order = [at(text(cat["followup.closed_title"]), "closed notice"), at(text(cat["followup.closed_text"]), "closed text"),
         at('href="tel:03069990123"', "out-of-hours number"), at(text(cat["contacts.out_of_hours"]), "out-of-hours label"),
         at('href="tel:999"', "police number"), at(text(cat["contacts.police"]), "police label"),
         at("<h2>" + text(cat["followup.add"]) + "</h2>", "add information"), at("<form", "form"), at('name="text"', "message box")]
assert order == sorted(order), "out of order: %r" % order
assert page.count('class="notice"') == 1, "the closed notice is not said once"
PY
	# the order: concern first, then the message (same day: concern,
	# status changes, replies, messages)
	first=$(grep '^followup.ev_concern' "$REPO/web/locale/$lang.txt" | sed 's/^[^=]*= //; s/'"'"'/\&#39;/g')
	items "$T/f2" | head -n1 | grep -qF "$first" || fail "$lang: the concern is not first"
	items "$T/f2" | tail -n +2 | grep -qF "$first" && fail "$lang: the concern is in the history twice"
done
echo "ok: follow-up history"
