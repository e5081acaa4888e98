#!/usr/bin/env bash
# Issue 9 item 1 with the real binaries: bob, whom the reporter left out,
# forges a reply bundle from what every reviewer holds (the export, the
# intake's public key, his own .sec) with the project's own bundle writer:
# it closes the concern with "no further action" and writes to the
# reporter. import-replies refuses each item with one line naming bob and
# the concern, exits 1, stores nothing, and the reporter's follow-up page
# is unchanged. The same items signed by alice, a reader, are accepted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"

# forge SIGNER.sec EXPORT INTAKE.pub OUT: status closed/NFA and a reply for
# record 1, signed by SIGNER (passphrase in $T/secret/pass), written by the
# project's own bundle writer (tests/e2e/forge_reply.c, built by make tests).
tool forge_reply
FORGE=$BIN/tests/e2e/forge_reply

start_intake
IN="$BIN/candour-intake"
curl -s -o "$T/form.html" "$URL/report"
alice_kid=$(kid_of alice)
[ -n "$alice_kid" ] || fail "no choice of alice"
code=$(submit_concern "$T/c1" -F "what=Only alice may read this." -F "reviewer=$alice_kid")
[ "$code" = 200 ] || fail "submission gave $code"
R=$(receipt_of "$T/c1")
"$IN" export --db "$DB" --out "$T/b1" > /dev/null || fail "export failed"

followup() { followup_page "$R" "$1"; }
# the page without its one-time token, for comparing before and after
page_body() { sed 's/name="csrf" value="[^"]*"//' "$1"; }
followup "$T/f0"
grep -q '<dd>Received</dd>' "$T/f0" || fail "a new concern is not 'Received'"

PASSFILE=$T/secret/pass "$FORGE" "$T/secret/bob.sec" "$T/b1" "$DB.sign.pub" "$T/forged" ||
	fail "the forging tool failed ($?)"
before=$(sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM status; SELECT count(*) FROM replies;" | tr '\n' ' ')
if "$IN" import-replies --db "$DB" --keys "$T/keys" --in "$T/forged" > "$T/out" 2> "$T/err"; then
	fail "a left-out reviewer's bundle was imported"
fi
[ "$(wc -l < "$T/err")" = 2 ] || fail "not one line per refused item: $(cat "$T/err")"
[ "$(grep -c 'bob is not a reader of concern 1' "$T/err")" = 2 ] ||
	fail "the refusal does not name bob and the concern: $(cat "$T/err")"
grep -q '2 refused' "$T/out" || fail "summary: $(cat "$T/out")"
after=$(sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM status; SELECT count(*) FROM replies;" | tr '\n' ' ')
[ "$before" = "$after" ] || fail "something was stored for refused items ($before -> $after)"
followup "$T/f1"
[ "$(page_body "$T/f0")" = "$(page_body "$T/f1")" ] || fail "the reporter's page changed"
if grep -q 'Forged-reply' "$T/f1"; then fail "the forged reply is shown"; fi

# the same forge by alice, a reader: accepted (the check is the reader
# list, not the tool)
PASSFILE=$T/secret/pass "$FORGE" "$T/secret/alice.sec" "$T/b1" "$DB.sign.pub" "$T/byalice" ||
	fail "the forging tool failed for alice"
"$IN" import-replies --db "$DB" --keys "$T/keys" --in "$T/byalice" > "$T/out" ||
	fail "a reader's bundle was refused"
followup "$T/f2"
grep -q '<dd>Closed</dd>' "$T/f2" || fail "alice's status not shown"
grep -q 'Forged-reply' "$T/f2" || fail "alice's reply not shown"
echo "forged replies: ok"
