#!/usr/bin/env bash
# The full loop with the real binaries: reviewer keys (candour-review
# keygen) -> intake serve -> curl submissions -> export -> import (two
# reviewers, one concern left out for alice) -> list/show/attachment ->
# status/outcome/reply -> export-replies -> intake import-replies -> the
# reporter reads the reply and the outcome with the receipt.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
RV=$BIN/candour-review
printf 'loop kettle orbit velvet canyon\n' > "$T/pass"
export CANDOUR_PASSPHRASE_FILE=$T/pass
mkdir -p "$T/keys" "$T/rv"
for n in alice bob; do
	"$RV" keygen --name "$n" --out "$T/rv" --kdf test > "$T/keygen-$n.out" || fail "keygen $n"
	cp "$T/rv/$n.pub" "$T/keys/"
done
grep -q '^fingerprint: [0-9A-Z]\{4\}-[0-9A-Z]\{4\}-[0-9A-Z]\{4\}-[0-9A-Z]\{4\}$' "$T/keygen-alice.out" \
	|| fail "keygen printed no fingerprint"
grep -q $'\xe2\x96\x88' "$T/keygen-alice.out" || fail "keygen printed no QR code"
[ "$(stat -c %a "$T/rv/alice.sec")" = 600 ] || fail "secret key file not 0600"

start_intake

# concern 1: to both reviewers, two references, an attachment
printf 'minutes of the strategy meeting\n' > "$T/minutes.txt"
WHAT="Loop-test: police referral REF/2026/00423 was binned by the duty manager."
code=$(submit_concern "$T/c1" -F team="North" -F "what=$WHAT" -F when=2026-10 \
	-F $'refs=REF/2026/00423\nPPN-123456' -F raised_with=manager -F risk=yes -F "file=@$T/minutes.txt")
[ "$code" = 200 ] || fail "submission 1 gave $code"
R1=$(receipt_of "$T/c1")
[ -n "$R1" ] || fail "no receipt"

# concern 2: alice left out
curl -s -o "$T/form.html" "$URL/report"
bob_kid=$(kid_of bob)
[ -n "$bob_kid" ] || fail "no choice of bob"
code=$(submit_concern "$T/c2" -F "what=Only bob should read this one." -F "reviewer=$bob_kid")
[ "$code" = 200 ] || fail "submission 2 gave $code"

# a follow-up message on concern 1
curl -s -c "$T/jar" -o "$T/e" "$URL/followup"
tok=$(csrf_of "$T/e")
curl -s -c "$T/jar" -b "$T/jar" -o /dev/null --data-urlencode "csrf=$tok" \
	--data-urlencode "receipt=$R1" "$URL/followup"
curl -s -b "$T/jar" -o "$T/f" "$URL/followup"
tok=$(csrf_of "$T/f")
code=$(curl -s -b "$T/jar" -o /dev/null -w '%{http_code}' -F "csrf=$tok" \
	-F "text=Loop-followup: it happened again." "$URL/followup/message")
[ "$code" = 200 ] || fail "follow-up gave $code"
stop_intake

"$BIN/candour-intake" export --db "$DB" --out "$T/b1" > /dev/null || fail "export"

# alice's casebook
A=(--casebook "$T/alice.db" --key "$T/rv/alice.sec")
"$RV" init "${A[@]}" --intake-key "$DB.sign.pub" > /dev/null || fail "init"
"$RV" import "${A[@]}" "$T/b1" > "$T/imp-a" || fail "import (alice)"
grep -q 'records 1-3: 2 readable, 1 unreadable' "$T/imp-a" || fail "alice's counts: $(cat "$T/imp-a")"
# bob's casebook: all three readable; both hold the same chain head
B=(--casebook "$T/bob.db" --key "$T/rv/bob.sec")
"$RV" init "${B[@]}" --intake-key "$DB.sign.pub" > /dev/null || fail "init (bob)"
"$RV" import "${B[@]}" "$T/b1" > "$T/imp-b" || fail "import (bob)"
grep -q 'records 1-3: 3 readable, 0 unreadable' "$T/imp-b" || fail "bob's counts: $(cat "$T/imp-b")"
head_a=$(grep -o 'chain head [0-9a-f]*' "$T/imp-a"); head_b=$(grep -o 'chain head [0-9a-f]*' "$T/imp-b")
[ "$head_a" = "$head_b" ] || fail "chain heads differ"
"$BIN/candour-intake" status --db "$DB" > "$T/istatus"
grep -q '3' "$T/istatus" || fail "intake status does not count 3: $(cat "$T/istatus")"
grep -q "${head_a#chain head }" "$T/istatus" || fail "intake head differs from the casebook's"

# list and show; on a terminal the table is aligned and counted
if command -v script > /dev/null; then
	COLUMNS=200 script -qec "$RV list --casebook $T/alice.db --key $T/rv/alice.sec" /dev/null \
		| tr -d '\r' > "$T/list.tty"
	grep -q '^id  *received  *category  *status' "$T/list.tty" || fail "no table header: $(cat "$T/list.tty")"
	grep -q '^2 cases$' "$T/list.tty" || fail "no case count on a terminal"
	# every row's second column starts where the header's does
	col=$(head -n1 "$T/list.tty" | grep -bo 'received' | cut -d: -f1)
	awk -v c="$col" 'NR>1 && NF>3 && substr($0, c+1, 4) !~ /^20[0-9][0-9]$/ {bad=1} END {exit bad}' \
		"$T/list.tty" || fail "table not aligned"
fi
"$RV" list "${A[@]}" --format csv > "$T/list.csv"
[ "$(grep -c '^"' "$T/list.csv")" = 2 ] || fail "list should show 2 concerns: $(cat "$T/list.csv")"
grep -q 'unreadable' "$T/list.csv" || fail "the left-out concern is not marked unreadable"
ID=$("$RV" list "${A[@]}" --format csv | grep -v unreadable | sed -n '2s/^"\([0-9A-Z]*\)".*/\1/p')
[ -n "$ID" ] || fail "no readable concern id"
"$RV" show "${A[@]}" "$ID" > "$T/show"
grep -qF "$WHAT" "$T/show" || fail "show lacks the concern text"
grep -q 'REF/2026/00423' "$T/show" || fail "show lacks the reference"
grep -q 'Loop-followup: it happened again.' "$T/show" || fail "show lacks the follow-up"
grep -q 'minutes.txt' "$T/show" || fail "show lacks the attachment"
grep -q 'IMMEDIATE RISK' "$T/show" || fail "show does not flag the immediate risk"
"$RV" attachment "${A[@]}" "$ID" 1 --out "$T/att.out" 2> "$T/att.err" || fail "attachment"
cmp -s "$T/att.out" "$T/minutes.txt" || fail "attachment differs"
grep -q 'metadata' "$T/att.err" || fail "no metadata reminder"

# work the case; the reply goes through $EDITOR
cat > "$T/editor.sh" <<'ED'
#!/bin/sh
printf 'Loop-reply: thank you, we are looking into it.\n' > "$1"
ED
chmod +x "$T/editor.sh"
"$RV" status "${A[@]}" "$ID" acknowledged > /dev/null || fail "acknowledge"
EDITOR=$T/editor.sh "$RV" reply "${A[@]}" "$ID" > /dev/null || fail "reply"
"$RV" status "${A[@]}" "$ID" investigating > /dev/null || fail "investigate"
"$RV" outcome "${A[@]}" "$ID" substantiated --summary "Loop-summary: the referral was found and actioned." \
	--share-with-reporter > /dev/null || fail "outcome"
"$RV" status "${A[@]}" "$ID" closed > /dev/null || fail "close"
"$RV" export-replies "${A[@]}" --out "$T/r1" > "$T/exp" || fail "export-replies"
grep -q '4 items' "$T/exp" || fail "expected 4 items (3 status, 1 reply): $(cat "$T/exp")"
"$BIN/candour-intake" import-replies --db "$DB" --keys "$T/keys" --in "$T/r1" > /dev/null \
	|| fail "import-replies"
# the same bundle again changes nothing at the intake
before=$(sqlite3 "$DB" .dump | sha256sum)
"$BIN/candour-intake" import-replies --db "$DB" --keys "$T/keys" --in "$T/r1" > /dev/null 2>&1 || true
[ "$(sqlite3 "$DB" .dump | sha256sum)" = "$before" ] || fail "a second import-replies changed the intake"
"$RV" audit "${A[@]}" verify > /dev/null || fail "audit verify"

# the reporter comes back with the receipt
start_intake
curl -s -c "$T/jar2" -o "$T/e" "$URL/followup"
tok=$(csrf_of "$T/e")
curl -s -c "$T/jar2" -b "$T/jar2" -o /dev/null --data-urlencode "csrf=$tok" \
	--data-urlencode "receipt=$R1" "$URL/followup"
curl -s -b "$T/jar2" -o "$T/view" "$URL/followup"
grep -q 'Loop-reply: thank you, we are looking into it.' "$T/view" || fail "reporter does not see the reply"
grep -q 'Loop-summary: the referral was found and actioned.' "$T/view" || fail "reporter does not see the outcome"
grep -qi 'closed' "$T/view" || fail "reporter does not see the closed status"
echo "loop ok"
