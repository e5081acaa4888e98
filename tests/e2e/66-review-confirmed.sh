#!/usr/bin/env bash
# `import` names the replies the intake has confirmed (issue 13): the
# intake's export carries the ids of the reply and status items it holds
# (bundle header nitems, SECURITY.md); candour-review import marks those
# outbox items confirmed and says which concerns' replies the reporter can
# now read. Before import-replies nothing is confirmed; a second export
# confirms nothing new; an export bundle edited to confirm more is refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
export CANDOUR_RCPT_KDF=min CANDOUR_TEST_WEAK_KDF=1 # receipts are not under test here
start_intake
IN="$BIN/candour-intake"
RV="$BIN/candour-review"
export CANDOUR_PASSPHRASE_FILE=$T/secret/pass
CB=(--casebook "$T/cb.db" --key "$T/secret/alice.sec")
for i in 1 2; do
	code=$(submit_concern "$T/c$i" -F "what=Confirmed-test concern $i.")
	[ "$code" = 200 ] || fail "submission gave $code"
done
"$IN" export --db "$DB" --out "$T/b1" > "$T/out" || fail "export"
if grep -q 'confirms' "$T/out"; then fail "an intake with no replies confirms some"; fi
"$RV" init "${CB[@]}" --intake-key "$DB.sign.pub" > /dev/null || fail "init"
"$RV" import "${CB[@]}" "$T/b1" > /dev/null || fail "import"
"$RV" list "${CB[@]}" --format csv | sed -n '2,$p' | cut -d, -f1 | tr -d '"' > "$T/ids"
A=$(sed -n 1p "$T/ids"); B=$(sed -n 2p "$T/ids")
"$RV" reply "${CB[@]}" "$A" "First reply." > /dev/null || fail "reply 1"
"$RV" reply "${CB[@]}" "$A" "Second reply." > /dev/null || fail "reply 2"
"$RV" status "${CB[@]}" "$B" acknowledged > /dev/null || fail "status"
"$RV" export-replies "${CB[@]}" --out "$T/r1" > /dev/null || fail "export-replies"
[ "$(sqlite3 "$T/cb.db" 'SELECT count(*) FROM outbox WHERE exported=1')" = 3 ] || fail "outbox not sent"

# the intake has not received them yet: an export confirms nothing
"$IN" export --db "$DB" --since 2 --out "$T/b2" > /dev/null || fail "export 2"
"$RV" import "${CB[@]}" "$T/b2" > "$T/out" || fail "import 2"
if grep -q 'confirmed' "$T/out"; then fail "confirmed before the intake had them: $(cat "$T/out")"; fi

"$IN" import-replies --db "$DB" --keys "$T/keys" --in "$T/r1" > /dev/null || fail "import-replies"
"$IN" export --db "$DB" --since 2 --out "$T/b3" > "$T/out" || fail "export 3"
grep -q 'confirms the 3 reply and status items' "$T/out" || fail "export does not say what it confirms: $(cat "$T/out")"
# an edit to the confirmed ids (the last 16 bytes before the trailer) breaks the signature
cp "$T/b3" "$T/bad"
size=$(stat -c %s "$T/bad")
flip_byte "$T/bad" $((size - 72 - 3))
D0=$(sqlite3 "$T/cb.db" .dump | sha256sum)
if "$RV" import "${CB[@]}" "$T/bad" > /dev/null 2>&1; then fail "an edited export was imported"; fi
[ "$(sqlite3 "$T/cb.db" .dump | sha256sum)" = "$D0" ] || fail "a refused import changed the casebook"
"$RV" import "${CB[@]}" "$T/b3" > "$T/out" || fail "import 3"
grep -q "the intake confirmed 2 replies ($A: 2) and 1 status change" "$T/out" || fail "import does not name the confirmed replies: $(cat "$T/out")"
[ "$(sqlite3 "$T/cb.db" 'SELECT count(*) FROM outbox WHERE exported=2')" = 3 ] || fail "outbox not marked confirmed"
"$RV" audit "${CB[@]}" | grep -q '2 replies, 1 status changes confirmed' || fail "confirmation not audited"

# the next export confirms the same ids again: nothing new is said
"$IN" export --db "$DB" --since 2 --out "$T/b4" > /dev/null || fail "export 4"
"$RV" import "${CB[@]}" "$T/b4" > "$T/out" || fail "import 4"
if grep -q 'confirmed' "$T/out"; then fail "confirmed twice: $(cat "$T/out")"; fi
# export-replies does not send confirmed items again
"$RV" export-replies "${CB[@]}" --out "$T/r2" > "$T/out" 2>&1 || true
[ "$(sqlite3 "$T/cb.db" 'SELECT count(*) FROM outbox WHERE exported=0')" = 0 ] || fail "items pending again"
stop_intake
echo "confirmed replies OK"
