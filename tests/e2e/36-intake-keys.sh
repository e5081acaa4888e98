#!/usr/bin/env bash
# candour-intake keys: the fingerprints it prints are the ones each
# reviewer's keygen printed and the one candour-review init pins for the
# intake; a damaged or foreign file, a mismatched or exposed signing key,
# and an empty or missing directory are refused with one line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
IN="$BIN/candour-intake"
RV="$BIN/candour-review"
export CANDOUR_PASSPHRASE_FILE=$T/secret/pass
mkdir -p "$T/keys" "$T/secret"
printf 'e2e kettle orbit velvet canyon\n' > "$T/secret/pass"
for n in carol alice bob; do
	"$RV" keygen --name "$n" --out "$T/secret" --kdf test > "$T/kg.$n" || fail "keygen $n"
	mv "$T/secret/$n.pub" "$T/keys/"
done
start_intake # makes the signing key beside the database
stop_intake

"$IN" keys --db "$DB" --keys "$T/keys" > "$T/out" || fail "keys failed: $(cat "$T/out")"
grep -qx 'reviewer keys: 3' "$T/out" || fail "count: $(cat "$T/out")"
for n in alice bob carol; do
	f=$(sed -n 's/^fingerprint: //p' "$T/kg.$n")
	grep -qx "reviewer: $f $n" "$T/out" || fail "$n's fingerprint differs from keygen's: $(cat "$T/out")"
done
[ "$(grep '^reviewer:' "$T/out" | awk '{print $NF}' | tr '\n' ' ')" = "alice bob carol " ] ||
	fail "not sorted by name: $(cat "$T/out")"
"$RV" init --casebook "$T/cb.db" --key "$T/secret/alice.sec" --intake-key "$DB.sign.pub" > "$T/init" \
	|| fail "review init"
ifpr=$(sed -n 's/^intake signing key: //p' "$T/out")
grep -q "pinned to intake key $ifpr" "$T/init" || fail "intake fingerprint $ifpr differs from init's: $(cat "$T/init")"

# refusals: exit 1 (2 for usage), one line, nothing on stdout
refuse() {
	local what=$1; shift
	if "$IN" keys "$@" > "$T/o" 2>"$T/err"; then fail "keys accepted $what"; fi
	[ "$(wc -l < "$T/err")" = 1 ] || fail "$what: $(cat "$T/err")"
	[ ! -s "$T/o" ] || fail "$what printed: $(cat "$T/o")"
}
cp -r "$T/keys" "$T/k2" && printf 'candour-pub-v1 mallory AAAA BBBB\n' > "$T/k2/mallory.pub"
refuse "a damaged public key" --db "$DB" --keys "$T/k2"
grep -q 'mallory.pub' "$T/err" || fail "the bad file is not named: $(cat "$T/err")"
rm -f "$T/k2/mallory.pub" && cp "$DB.sign.pub" "$T/k2/intake.pub"
refuse "the intake's own key as a reviewer" --db "$DB" --keys "$T/k2"
mkdir "$T/empty"
refuse "an empty directory" --db "$DB" --keys "$T/empty"
refuse "a missing directory" --db "$DB" --keys "$T/nodir"
refuse "a missing database key" --db "$T/none.db" --keys "$T/keys"
cp "$DB.sign.pub" "$T/pub.saved"
# always a different character: 's/.$/X/' left the file as it was when the key's
# last character was already X (one run in 64), and the refusal then failed
sed 's/X$/Y/; t; s/.$/X/' "$T/pub.saved" > "$DB.sign.pub"
! cmp -s "$T/pub.saved" "$DB.sign.pub" || fail "the damaged .pub is the original"
refuse "a signing .pub that does not match" --db "$DB" --keys "$T/keys"
cp "$T/pub.saved" "$DB.sign.pub"
chmod 0644 "$DB.sign.key"
refuse "a signing key others can read" --db "$DB" --keys "$T/keys"
grep -q 'readable by others' "$T/err" || fail "exposure not named: $(cat "$T/err")"
chmod 0600 "$DB.sign.key"
"$IN" keys --db "$DB" --keys "$T/keys" > /dev/null || fail "keys after restoring the files"
# without --keys: the keys serve held (DB.keys, written at its start), the same list
"$IN" keys --db "$DB" > "$T/held" || fail "keys --db alone"
grep -qx 'reviewer keys: 3 (held by serve: its start or last reload)' "$T/held" || fail "held: $(cat "$T/held")"
[ "$(grep '^reviewer:' "$T/held")" = "$(grep '^reviewer:' "$T/out")" ] || fail "held keys differ from --keys"
cp "$DB.keys" "$T/held.saved"
sed -i '2s/^X/Y/; t; 2s/./X/' "$DB.keys"
! cmp -s "$T/held.saved" "$DB.keys" || fail "the damaged DB.keys is the original"
refuse "a damaged DB.keys" --db "$DB"
grep -q 'damaged' "$T/err" || fail "damage not named: $(cat "$T/err")"
rm "$DB.keys"
refuse "no DB.keys" --db "$DB"
grep -q 'serve writes it' "$T/err" || fail "no DB.keys said: $(cat "$T/err")"
cp "$T/held.saved" "$DB.keys"
set +e
"$IN" keys --bogus 2>/dev/null; [ $? = 2 ] || fail "unknown option must exit 2"
set -e
"$IN" keys --help | grep -q 'read aloud' || fail "keys --help"
echo "keys: ok"
