#!/usr/bin/env bash
# Follow-ups are sealed to exactly the reviewers the concern was sealed to:
# a concern that leaves bob out gets a follow-up (message and file) that
# bob's key cannot open and alice's can; the message form offers no
# reviewer choice and says who will read it; a reviewer removed since is
# left out (and with none left the message is refused, nothing stored);
# an intake.db from before the store kept recipient lists still works and
# seals follow-ups of its old concerns to all current reviewers.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"

# envtool open DB SEQ IDX NAME OUT: opens envelope IDX of record SEQ straight
# from intake.db with reviewer NAME's secret key; prints the kind, writes
# the plaintext to OUT; exit 3 when the key is not a recipient.
# envtool downgrade DB: makes DB what schema 2 was (no recipient lists).
# (tests/e2e/envtool.c, built by make tests)
tool envtool
ENVTOOL=$BIN/tests/e2e/envtool
export SECRETS=$T/secret

# opens SEQ IDX NAME KIND: NAME's key opens it, of that kind
opens() {
	local k
	k=$("$ENVTOOL" open "$DB" "$1" "$2" "$3" "$T/pt") || fail "$3 cannot open record $1 envelope $2"
	[ "$k" = "$4" ] || fail "record $1 envelope $2 is of kind $k, not $4"
}
# shut SEQ IDX NAME: NAME's key is not among the recipients
shut() {
	local rc=0
	"$ENVTOOL" open "$DB" "$1" "$2" "$3" "$T/pt" > /dev/null || rc=$?
	[ "$rc" = 3 ] || fail "record $1 envelope $2: $3's key gave $rc, want 'not a recipient'"
}
# session RECEIPT: a follow-up session in $T/jar, the page in $T/f
session() {
	rm -f "$T/jar"
	curl -s -c "$T/jar" -o "$T/e" "$URL/followup"
	local tok; tok=$(csrf_of "$T/e")
	curl -s -c "$T/jar" -b "$T/jar" -o /dev/null --data-urlencode "csrf=$tok" \
		--data-urlencode "receipt=$1" "$URL/followup"
	curl -s -b "$T/jar" -o "$T/f" "$URL/followup"
	grep -q 'Add information' "$T/f" || fail "no follow-up page for the receipt"
}
# message OUT [curl -F args]: posts a follow-up message; prints the status
message() {
	local out=$1; shift
	curl -s -b "$T/jar" -o "$out" -w '%{http_code}' -F "csrf=$(csrf_of "$T/f")" "$@" \
		"$URL/followup/message"
}
readers() { sed -n '/class="readers"/p' "$T/f"; }

make_keys "$T/keys" alice bob
mkdir -p "$T/off"
start_intake

# concern 1: bob left out; concern 2: both
curl -s -o "$T/form.html" "$URL/report"
alice_kid=$(kid_of alice)
[ -n "$alice_kid" ] || fail "no choice of alice"
code=$(submit_concern "$T/c1" -F "what=Only alice may read this." -F "reviewer=$alice_kid")
[ "$code" = 200 ] || fail "concern 1 gave $code"
R1=$(receipt_of "$T/c1")
code=$(submit_concern "$T/c2" -F "what=Both may read this.")
[ "$code" = 200 ] || fail "concern 2 gave $code"
R2=$(receipt_of "$T/c2")
opens 1 0 alice 1
shut 1 0 bob

# the page names alice as the reader and offers no choice
session "$R1"
readers | grep -q '<li>alice (' || fail "the page does not name alice: $(readers)"
if readers | grep -q 'bob'; then fail "the page names bob, whom the concern left out"; fi
if grep -q 'name="reviewer"' "$T/f"; then fail "the message form still offers a reviewer choice"; fi
grep -q 'same reviewers as your concern' "$T/f" || fail "the page does not say who reads it"
# a reviewer choice sent anyway is a malformed form: nothing stored
code=$(message "$T/s" -F "reviewer=$alice_kid" -F "text=x")
[ "$code" = 400 ] || fail "a reviewer choice on a message gave $code"
[ "$(count_records)" = 2 ] || fail "a refused message was stored"

# the follow-up: message and file, alice only
printf 'follow-up file for alice\n' > "$T/att.txt"
code=$(message "$T/s" -F "text=Fu-text: it happened again." -F "file=@$T/att.txt")
[ "$code" = 200 ] || fail "follow-up gave $code"
[ "$(count_records)" = 3 ] || fail "follow-up not counted"
opens 3 0 alice 2
grep -q 'Fu-text: it happened again.' "$T/pt" || fail "alice's message text differs"
opens 3 1 alice 3
grep -q 'follow-up file for alice' "$T/pt" || fail "alice's attachment differs"
shut 3 0 bob
shut 3 1 bob
"$BIN/candour-intake" export --db "$DB" --out "$T/b1" > /dev/null || fail "export"

# bob's key removed: concern 2's follow-up goes to alice only, and says so
stop_intake
mv "$T/keys/bob.pub" "$T/off/"
start_intake
session "$R2"
readers | grep -q '<li>alice (' || fail "concern 2: alice not named"
if readers | grep -q 'bob'; then fail "concern 2: a removed reviewer is named"; fi
grep -q 'no longer hold a key here' "$T/f" || fail "the page does not say a reader was removed"
code=$(message "$T/s" -F "text=Fu-two." -F "file=@$T/att.txt")
[ "$code" = 200 ] || fail "follow-up to concern 2 gave $code"
opens 4 0 alice 2
opens 4 1 alice 3

# only bob held: nobody who may read concern 1 is left; refused, nothing stored
stop_intake
mv "$T/keys/alice.pub" "$T/off/"; mv "$T/off/bob.pub" "$T/keys/"
start_intake
session "$R1"
grep -q 'None of the reviewers your concern went to' "$T/f" || fail "no 'no readers' notice"
if grep -q 'name="text"' "$T/f"; then fail "a message form although nobody could read it"; fi
tok=$(grep -o 'name="csrf" value="[^"]*"' "$T/e" | head -n1 | sed 's/.*value="//; s/"$//')
code=$(curl -s -b "$T/jar" -o "$T/s" -w '%{http_code}' -F "csrf=$tok" -F "text=For bob?" \
	-F "file=@$T/att.txt" "$URL/followup/message")
[ "$code" = 409 ] || fail "message with no reader left gave $code"
grep -q 'Your message was not sent' "$T/s" || fail "the refusal does not say nothing was sent"
[ "$(count_records)" = 4 ] || fail "a message nobody may read was stored"

# an intake.db from before recipient lists (schema 2): serve migrates it;
# its concerns' follow-ups go to every current reviewer, and the page says so
stop_intake
mv "$T/off/alice.pub" "$T/keys/"
"$ENVTOOL" downgrade "$DB" || fail "downgrade"
if "$BIN/candour-intake" status --db "$DB" > /dev/null 2>&1; then
	fail "status read a schema-2 file without serve migrating it"
fi
start_intake
"$BIN/candour-intake" status --db "$DB" > "$T/st" || fail "status after the migration"
session "$R1"
readers | grep -q '<li>alice (' || fail "old concern: alice not named"
readers | grep -q '<li>bob (' || fail "old concern: bob not named"
grep -q 'before this site recorded' "$T/f" || fail "old concern: no note on why all reviewers"
code=$(message "$T/s" -F "text=Fu-old." -F "file=@$T/att.txt")
[ "$code" = 200 ] || fail "follow-up to an old concern gave $code"
opens 5 0 alice 2
opens 5 1 bob 3
# a concern made after the migration keeps its list again
code=$(submit_concern "$T/c3" -F "what=After the upgrade, alice only." -F "reviewer=$alice_kid")
[ "$code" = 200 ] || fail "concern after the migration gave $code"
session "$(receipt_of "$T/c3")"
if readers | grep -q 'bob'; then fail "new concern after the migration names bob"; fi
code=$(message "$T/s" -F "text=Fu-new.")
[ "$code" = 200 ] || fail "follow-up to the new concern gave $code"
opens 7 0 alice 2
shut 7 0 bob
"$BIN/candour-intake" export --db "$DB" --since 3 --out "$T/b2" > /dev/null || fail "export after migration"
stop_intake
echo "follow-up recipients OK"
