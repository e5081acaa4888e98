#!/usr/bin/env bash
# SIGHUP reloads the reviewers' keys from --keys in a running serve (issue
# 15): a reviewer added or removed takes effect for new concerns at once,
# concerns already stored keep the recipients they were sealed to, and a
# keys directory that fails a check is refused with a log line while the
# old set goes on serving. Who can read each concern is checked twice: in
# the store's recipients table, and by importing into a casebook where a
# left-out reviewer is already a member and still cannot open it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
RV=$BIN/candour-review
export CANDOUR_PASSPHRASE_FILE=$T/secret/pass
ROLE='independent safeguarding reviewer (Wales & "Borders") <b>x</b>'

make_keys "$T/keys" alice bob
"$RV" keygen --name carol --role "$ROLE" --out "$T/secret" --kdf test > "$T/kg.carol" ||
	fail "keygen carol with a role"
grep -qxF "role: $ROLE" "$T/kg.carol" || fail "keygen does not show the role: $(cat "$T/kg.carol")"
[ "$(sed -n 2p "$T/secret/carol.pub")" = "candour-role-v1 $ROLE" ] || fail "no role line in carol.pub"
# keygen refuses a role that would not parse, before asking anything
long=$(printf 'r%.0s' $(seq 1 121))
for bad in $'evil\033[2J' $'two\nlines' ' lead' 'double  space' "$long" $'bidi \xe2\x80\xae x'; do
	set +e; "$RV" keygen --name dave --role "$bad" --out "$T/secret" --kdf test > /dev/null 2> "$T/kg.err"
	rc=$?; set -e
	[ "$rc" = 2 ] || fail "keygen --role '$bad' gave exit $rc"
	[ "$(wc -l < "$T/kg.err")" = 1 ] || fail "keygen --role: $(cat "$T/kg.err")"
	[ ! -e "$T/secret/dave.sec" ] && [ ! -e "$T/secret/dave.pub" ] || fail "keygen --role '$bad' wrote a file"
done
start_intake

# reloads: RELOADS = the lines of serve's log holding "serve: reload"
# (grep -c's count, read by bash: each round of the poll below was a
# $(...), a grep and a sleep)
reloads() {
	local l n=0
	while IFS= read -r l || [ -n "$l" ]; do [[ $l != *'serve: reload'* ]] || n=$((n + 1)); done < "$T/serve.err"
	RELOADS=$n
}
# hup WHAT: sends SIGHUP, waits for the (n+1)th reload line of serve's log
nhup=0
hup() {
	nhup=$((nhup + 1))
	kill -HUP "$PARENT"
	local _i
	for ((_i = 0; _i < 100; _i++)); do
		reloads
		[ "$RELOADS" -ge "$nhup" ] && break
		nap 0.1
	done
	reloads
	[ "$RELOADS" -ge "$nhup" ] || fail "no reload line after $1"
	tail -n1 "$T/serve.err" > "$T/last"
	kill -0 "$PARENT" 2>/dev/null || fail "serve stopped after $1"
}
# offered: the names the report form offers, sorted
offered() {
	curl -s -o "$T/form.html" "$URL/report"
	grep -o 'name="reviewer" value="[0-9a-f]*"[^>]*> <span>[a-z]*' "$T/form.html" |
		sed 's/.*<span>//' | sort | tr '\n' ' '
}
home_count() { curl -s "$URL/" | grep -o '<strong>[0-9]*</strong>' | head -n1 | tr -dc 0-9; }
# rcpt SEQ: the key ids concern SEQ was sealed to, as the store keeps them
# (sorted); ids K...: the same form of the ids given
rcpt() { sqlite3 "$DB" "SELECT lower(hex(keyids)) FROM recipients WHERE seq = $1" | fold -w16 | sort | tr -d '\n'; }
ids() { printf '%s\n' "$@" | sort | tr -d '\n'; }
concern() { # concern OUT TEXT [curl args]: submits, checks it was accepted
	local out=$1 text=$2; shift 2
	code=$(submit_concern "$out" -F "what=${text%% *} sighup-test ${text#* }" "$@")
	[ "$code" = 200 ] || fail "concern '$text' gave $code"
}

[ "$(offered)" = "alice bob " ] || fail "at start: $(offered)"
A=$(kid_of alice); B=$(kid_of bob)
concern "$T/c1" "C1 both at start"
[ "$(rcpt 1)" = "$(ids $A $B)" ] || fail "concern 1 recipients: $(rcpt 1)"

# a reviewer added: offered at once, with the role escaped; nothing restarted
cp "$T/secret/carol.pub" "$T/keys/"
hup "adding carol"
grep -q 'reloaded --keys: 3 reviewer key(s) (.*carol.*) for new concerns' "$T/last" ||
	fail "reload line: $(cat "$T/last")"
[ "$(offered)" = "alice bob carol " ] || fail "after adding carol: $(offered)"
C=$(kid_of carol)
grep -qF 'carol, independent safeguarding reviewer (Wales &amp; ' "$T/form.html" ||
	fail "carol's role is not shown: $(grep -o '<span>carol[^/]*' "$T/form.html")"
grep -qF '&lt;b&gt;x&lt;/b&gt;' "$T/form.html" || fail "the role is not escaped"
if grep -qF '<b>x</b>' "$T/form.html"; then fail "the role went out as HTML"; fi
[ "$(home_count)" = 3 ] || fail "the home page does not count 3 reviewers: $(home_count)"
read -r _ h2 s2 < "$T/pids"
[ "$h2" = "$HTTP" ] && kill -0 "$HTTP" && kill -0 "$STORE" || fail "the http or store process changed"
concern "$T/c2" "C2 alice and carol" -F "reviewer=$C" -F "reviewer=$A"
[ "$(rcpt 2)" = "$(ids $C $A)" ] || fail "concern 2 recipients: $(rcpt 2)"
concern "$T/c3" "C3 all three"
[ "$(rcpt 3)" = "$(ids $A $B $C)" ] || fail "concern 3 recipients: $(rcpt 3)"
[ "$(rcpt 1)" = "$(ids $A $B)" ] || fail "concern 1 changed its recipients: $(rcpt 1)"

# a reviewer removed: gone from the form; a form shown before still naming
# bob comes back with the choice to make again, and stores nothing
cp "$T/form.html" "$T/form-with-bob.html"
mv "$T/keys/bob.pub" "$T/bob.pub.removed"
hup "removing bob"
grep -q 'reloaded --keys: 2 reviewer key(s)' "$T/last" || fail "reload line: $(cat "$T/last")"
[ "$(offered)" = "alice carol " ] || fail "after removing bob: $(offered)"
[ "$(home_count)" = 2 ] || fail "the home page does not count 2 reviewers"
code=$(submit_concern "$T/stale" -F "what=C-stale for bob" -F "choice=1" -F "reviewer=$B")
[ "$code" = 400 ] || fail "a choice of the removed bob gave $code"
grep -q 'Please tick at least one reviewer' "$T/stale" || fail "no reviewer message for a removed key"
[ "$(count_records)" = 3 ] || fail "a concern for a removed reviewer was stored"
concern "$T/c4" "C4 after bob left"
[ "$(rcpt 4)" = "$(ids $A $C)" ] || fail "concern 4 recipients: $(rcpt 4)"
# concern 1's follow-up still goes to alice only of its readers, and says bob is gone
followup_page "$(receipt_of "$T/c1")" "$T/f1"
grep -q 'no longer hold a key here' "$T/f1" || fail "the follow-up page does not say a reader left"

# bad directories are refused with a log line; the old set keeps serving
refused() {
	hup "$1"
	grep -q 'reload refused: .*; still serving with the 2 reviewer key(s) loaded before' "$T/last" ||
		fail "$1: $(cat "$T/last")"
	[ "$(offered)" = "alice carol " ] || fail "after $1 the form offers: $(offered)"
}
printf 'candour-pub-v1 mallory AAAA BBBB\n' > "$T/keys/mallory.pub"
refused "a broken key file"
rm "$T/keys/mallory.pub"
cp "$T/secret/bob.sec" "$T/keys/bob.sec"
refused "a secret key in --keys"
grep -q 'SECRET key' "$T/last" || fail "the secret key is not named: $(cat "$T/last")"
rm "$T/keys/bob.sec"
{ head -n1 "$T/secret/carol.pub"; printf 'candour-role-v1 evil\033[2J\n'; } > "$T/keys/carol.pub"
refused "a role with a control character"
cp "$T/secret/carol.pub" "$T/keys/carol.pub"
cp "$T/keys/alice.pub" "$T/keys/alice-again.pub"
refused "the same key twice"
rm "$T/keys/alice-again.pub"
mkdir "$T/keys-empty" && mv "$T/keys" "$T/keys-away"
refused "a missing directory"
mv "$T/keys-away" "$T/keys"
concern "$T/c5" "C5 after the refusals"
[ "$(rcpt 5)" = "$(ids $A $C)" ] || fail "concern 5 recipients: $(rcpt 5)"
# and a good directory is taken again after the refusals
mv "$T/bob.pub.removed" "$T/keys/bob.pub"
hup "bob back"
grep -q 'reloaded --keys: 3 reviewer key(s)' "$T/last" || fail "reload line: $(cat "$T/last")"
[ "$(offered)" = "alice bob carol " ] || fail "after bob came back: $(offered)"
if grep -q 'stopping' "$T/serve.err"; then fail "serve stopped: $(cat "$T/serve.err")"; fi
# candour-intake keys --db: what serve holds now, roles included
"$BIN/candour-intake" keys --db "$DB" > "$T/held" || fail "keys --db"
[ "$(grep '^reviewer:' "$T/held" | awk '{print $NF}' | tr '\n' ' ')" = "alice bob carol " ] ||
	fail "keys --db after the reloads: $(cat "$T/held")"
grep -qxF "  role: $ROLE" "$T/held" || fail "keys --db does not show carol's role: $(cat "$T/held")"
stop_intake

# The casebook: alice imports, with bob and carol already its reviewers.
# Each opens exactly the concerns sealed to them.
"$BIN/candour-intake" export --db "$DB" --out "$T/b1" > /dev/null || fail "export"
CB=(--casebook "$T/cb.db")
"$RV" init "${CB[@]}" --key "$T/secret/alice.sec" --intake-key "$DB.sign.pub" > /dev/null || fail "init"
for n in bob carol; do
	"$RV" reviewer add "$T/keys/$n.pub" "${CB[@]}" --key "$T/secret/alice.sec" > "$T/add.$n" ||
		fail "reviewer add $n"
done
grep -qxF "role: $ROLE" "$T/add.carol" || fail "reviewer add does not show carol's role"
"$RV" import "${CB[@]}" --key "$T/secret/alice.sec" "$T/b1" > "$T/imp" || fail "import"
grep -q 'records 1-5: 5 readable' "$T/imp" || fail "alice's import: $(cat "$T/imp")"
# the casebook's clear seq column is the intake's record number: concern N
cnum() { sqlite3 "$T/cb.db" "SELECT 'C' || seq FROM concerns WHERE id = '$1'"; }
declare -A want=([bob]="C1 C3" [carol]="C2 C3 C4 C5")
for n in bob carol; do
	"$RV" search "${CB[@]}" --key "$T/secret/$n.sec" "sighup-test" > "$T/found.$n" 2>&1 ||
		fail "search as $n: $(cat "$T/found.$n")"
	got=$(for id in $(awk '$2 == "concern" {print $1}' "$T/found.$n"); do cnum "$id"; done |
		sort -u | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "${want[$n]}" ] || fail "$n opens [$got], want [${want[$n]}]: $(cat "$T/found.$n")"
done
# and bob, a member of the casebook since before the import, cannot show C2
c2=$(sqlite3 "$T/cb.db" "SELECT id FROM concerns WHERE seq = 2")
"$RV" show "${CB[@]}" --key "$T/secret/bob.sec" "$c2" > "$T/show.bob" 2>&1 || true
if grep -q 'C2 sighup-test' "$T/show.bob"; then fail "bob read concern 2, which he was left out of"; fi
echo "sighup: ok"
