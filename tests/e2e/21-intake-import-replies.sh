#!/usr/bin/env bash
# import-replies with the real binaries: curl submission -> export ->
# candour-review import, status, reply, export-replies -> candour-intake
# import-replies -> the reporter sees the status and reads the reply with
# the receipt. Importing the same bundle again changes nothing and says
# so; a bundle signed by a key not in --keys, an export, or a tampered
# bundle is refused and changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
start_intake
IN="$BIN/candour-intake"
RV="$BIN/candour-review"
export CANDOUR_PASSPHRASE_FILE=$T/secret/pass
CB=(--casebook "$T/cb.db" --key "$T/secret/alice.sec")

code=$(submit_concern "$T/c1" -F "what=Referral PPN-445566 was closed the same day.")
[ "$code" = 200 ] || fail "submission gave $code"
R=$(receipt_of "$T/c1")
"$IN" export --db "$DB" --out "$T/b1" > /dev/null || fail "export failed"
"$RV" init "${CB[@]}" --intake-key "$DB.sign.pub" > /dev/null || fail "review init"
"$RV" import "${CB[@]}" "$T/b1" > /dev/null || fail "review import"
id=$("$RV" list "${CB[@]}" --format csv | sed -n '2p' | cut -d, -f1 | tr -d '"')
[ -n "$id" ] || fail "no case listed"
REPLY="Thank you. We have found the referral and opened an investigation."
"$RV" status "${CB[@]}" "$id" acknowledged > /dev/null || fail "review status"
"$RV" reply "${CB[@]}" "$id" "$REPLY" > /dev/null || fail "review reply"
"$RV" export-replies "${CB[@]}" --out "$T/r1" > /dev/null || fail "export-replies"

# refusals first; each is one line and changes nothing
mkdir -p "$T/bobonly"; cp "$T/keys/bob.pub" "$T/bobonly/"
if "$IN" import-replies --db "$DB" --keys "$T/bobonly" --in "$T/r1" 2>"$T/err"; then
	fail "a bundle signed by an unknown key was imported"
fi
grep -q 'not in' "$T/err" || fail "unknown-key message: $(cat "$T/err")"
[ "$(wc -l < "$T/err")" = 1 ] || fail "error is not one line"
# each refusal ends with what to do
grep -q "nothing was applied: if its signer is a reviewer, put their NAME.pub in $T/bobonly (check the fingerprint with them, \`candour-intake keys\`) and import again\$" "$T/err" ||
	fail "unknown-key message says not what to do: $(cat "$T/err")"
if "$IN" import-replies --db "$DB" --keys "$T/keys" --in "$T/b1" 2>"$T/err"; then
	fail "an export was imported as replies"
fi
grep -q 'an export goes to `candour-review import`; ask the reviewer for the bundle export-replies wrote$' "$T/err" ||
	fail "export-as-replies message says not what to do: $(cat "$T/err")"
cp "$T/r1" "$T/bad"
size=$(stat -c %s "$T/bad")
flip_byte "$T/bad" $((size - 100))
if "$IN" import-replies --db "$DB" --keys "$T/keys" --in "$T/bad" 2>"$T/err"; then
	fail "a tampered reply bundle was imported"
fi
grep -q 'nothing was applied; ask the reviewer for a fresh copy of the file export-replies wrote$' "$T/err" ||
	fail "tampered-bundle message says not what to do: $(cat "$T/err")"

# the reporter sees nothing new yet
followup() { followup_page "$R" "$1"; }
followup "$T/f0"
grep -q '<dd>Received</dd>' "$T/f0" || fail "status changed before import"
if grep -qF "$REPLY" "$T/f0"; then fail "reply visible before import"; fi

# the real import, while serve runs
"$IN" import-replies --db "$DB" --keys "$T/keys" --in "$T/r1" > "$T/out" || fail "import-replies failed"
grep -q 'imported 2 of 2' "$T/out" || fail "import summary: $(cat "$T/out")"
followup "$T/f1"
grep -q '<dd>Acknowledged</dd>' "$T/f1" || fail "status not shown after import"
grep -qF "$REPLY" "$T/f1" || fail "the reporter cannot read the reply"

# the same bundle again: nothing changes, and it says so
"$IN" import-replies --db "$DB" --keys "$T/keys" --in "$T/r1" > "$T/out" || fail "second import failed"
grep -q 'nothing new' "$T/out" || fail "second import did not say nothing new: $(cat "$T/out")"
followup "$T/f2"
[ "$(grep -cF "$REPLY" "$T/f2")" = "$(grep -cF "$REPLY" "$T/f1")" ] || fail "the reply was added twice"
echo "import-replies: ok"
