#!/usr/bin/env bash
# Bad input to candour-review: each case gets one line on stderr, a
# non-zero exit, and leaves the casebook exactly as it was (a full sqlite3
# dump compared before and after). Also: --help on every command, the
# audit log catching a row edited with the sqlite3 CLI, and the stolen
# casebook (no concern text, note, reply or reference in its files).
# e2e: first
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
RV=$BIN/candour-review
command -v sqlite3 > /dev/null || fail "sqlite3 CLI missing (scripts/deps.sh installs it)"
printf 'bad input kettle orbit velvet canyon\n' > "$T/pass"
printf 'not the kettle orbit velvet canyon\n' > "$T/wrongpass"
export CANDOUR_PASSPHRASE_FILE=$T/pass
mkdir -p "$T/keys" "$T/rv"
for n in alice bob; do
	"$RV" keygen --name "$n" --out "$T/rv" --kdf test > /dev/null || fail "keygen $n"
	cp "$T/rv/$n.pub" "$T/keys/"
done

# keygen on a terminal: asked twice with echo off; two different answers refused
if command -v script > /dev/null; then
	mkdir -p "$T/tty"
	(sleep 1; printf 'tty secret kettle orbit velvet\n'; sleep 0.5; printf 'tty secret kettle orbit velvet\n') | env -u CANDOUR_PASSPHRASE_FILE \
		timeout 30 script -qec "$RV keygen --name tty --out $T/tty --kdf test" /dev/null \
		> "$T/tty.out" || fail "keygen on a terminal"
	has "$T/tty.out" 'Again:' || fail "keygen did not ask twice"
	if has "$T/tty.out" 'tty secret kettle orbit velvet'; then fail "passphrase echoed"; fi
	(sleep 1; printf 'tty secret kettle orbit velvet\n'; sleep 0.5; printf 'tty secret kettle orbit violin\n') | env -u CANDOUR_PASSPHRASE_FILE \
		timeout 30 script -qec "$RV keygen --name tty2 --out $T/tty --kdf test" /dev/null \
		> "$T/tty2.out" && fail "different passphrases accepted"
	has "$T/tty2.out" 'differ' || fail "mismatch message missing"
	[ ! -e "$T/tty/tty2.sec" ] || fail "a refused keygen left a key file"
	# a weak one is refused after its first entry and asked again (not
	# typed twice first); three weak ones in a row end it with no key
	(sleep 1; printf 'abc\n'; sleep 0.5; printf 'tty secret kettle orbit velvet\n'; sleep 0.5
	 printf 'tty secret kettle orbit velvet\n') | env -u CANDOUR_PASSPHRASE_FILE \
		timeout 30 script -qec "$RV keygen --name tty3 --out $T/tty --kdf test" /dev/null \
		> "$T/tty3.out" || fail "keygen on a terminal after one weak passphrase: $(cat "$T/tty3.out")"
	has "$T/tty3.out" 'passphrase too weak' || fail "a weak first entry not said at once"
	[ "$(grep -o 'Passphrase:' "$T/tty3.out" | wc -l)" = 2 ] && [ "$(grep -o 'Again:' "$T/tty3.out" | wc -l)" = 1 ] \
		|| fail "weak, then strong: not asked Passphrase twice and Again once: $(cat "$T/tty3.out")"
	[ -s "$T/tty/tty3.sec" ] || fail "keygen after one weak entry made no key"
	(sleep 1; printf 'abc\n'; sleep 0.5; printf 'password1\n'; sleep 0.5; printf 'kettle\n'; sleep 0.5
	 printf 'tty secret kettle orbit velvet\n') | env -u CANDOUR_PASSPHRASE_FILE \
		timeout 30 script -qec "$RV keygen --name tty4 --out $T/tty --kdf test" /dev/null \
		> "$T/tty4.out" && fail "three weak passphrases accepted"
	[ "$(grep -o 'passphrase too weak' "$T/tty4.out" | wc -l)" = 3 ] && ! has "$T/tty4.out" 'Again:' \
		|| fail "three weak entries: not three refusals before any Again: $(cat "$T/tty4.out")"
	[ ! -e "$T/tty/tty4.sec" ] && [ ! -e "$T/tty/tty4.pub" ] || fail "three weak entries left a key file"
	printf 'tty secret kettle orbit velvet\n' > "$T/ttypass"
	"$RV" reviewer list --casebook "$T/none.db" --key "$T/tty/tty.sec" --passphrase-file "$T/ttypass" \
		2> "$T/err" && fail "no casebook yet"
	has "$T/err" 'no such casebook' || fail "the terminal passphrase does not open the key: $(cat "$T/err")"
fi

# --help everywhere, exit 0, usage on stdout
for c in keygen init reviewer import list show attachment search status outcome note assign \
	reply export-replies audit purge; do
	"$RV" "$c" --help > "$T/help" 2>&1 || fail "$c --help failed"
	has "$T/help" 'usage: candour-review' || fail "$c --help prints no usage"
done
"$RV" --help > /dev/null || fail "--help"
if "$RV" frobnicate 2> "$T/err"; then fail "unknown command accepted"; fi

start_intake
SECRET="Stolen-test-sentence: the strategy meeting was never held."
code=$(submit_concern "$T/c1" -F "what=$SECRET" -F $'refs=REF/2026/99887' -F team="Zanzibar team")
[ "$code" = 200 ] || fail "submission gave $code"
stop_intake
"$BIN/candour-intake" export --db "$DB" --out "$T/b1" > /dev/null || fail "export"

A=(--casebook "$T/cb.db" --key "$T/rv/alice.sec")
"$RV" init "${A[@]}" --intake-key "$DB.sign.pub" > /dev/null || fail "init"

# (the dump itself is compared, not its sha256sum: one process fewer a
# call, and a comparison at least as strict)
dump() { sqlite3 "$T/cb.db" .dump; }
# refused CMD...: non-zero, exactly one line on stderr, casebook unchanged
refused() {
	local before after nl
	before=$(dump)
	if "$@" > /dev/null 2> "$T/err"; then fail "accepted: $*"; fi
	nlines "$T/err" nl
	[ "$nl" = 1 ] || fail "not one stderr line for: $* -> $(cat "$T/err")"
	has "$T/err" '^candour-review: ' || fail "error line not prefixed: $(cat "$T/err")"
	[ -z "${V:-}" ] || cat "$T/err" >&2
	after=$(dump)
	[ "$before" = "$after" ] || fail "casebook changed by: $*"
}

# damaged bundles
size=$(stat -c %s "$T/b1")
head -c $((size / 2)) "$T/b1" > "$T/trunc"
refused "$RV" import "${A[@]}" "$T/trunc"
head -c $((size - 1)) "$T/b1" > "$T/trunc1"
refused "$RV" import "${A[@]}" "$T/trunc1"
cp "$T/b1" "$T/flip"
printf '\x55' | dd of="$T/flip" bs=1 seek=$((size / 2)) conv=notrunc status=none
cmp -s "$T/b1" "$T/flip" && { printf '\xaa' | dd of="$T/flip" bs=1 seek=$((size / 2)) conv=notrunc status=none; }
refused "$RV" import "${A[@]}" "$T/flip"
: > "$T/empty"
refused "$RV" import "${A[@]}" "$T/empty"
refused "$RV" import "${A[@]}" "$T/missing-bundle"

# a bundle from another intake (same kind of file, other signing key)
mv "$T/data" "$T/data1"
start_intake
code=$(submit_concern "$T/c9" -F "what=From the other intake.")
[ "$code" = 200 ] || fail "other intake submission gave $code"
stop_intake
"$BIN/candour-intake" export --db "$DB" --out "$T/other" > /dev/null || fail "export (other)"
refused "$RV" import "${A[@]}" "$T/other"
has "$T/err" 'pinned intake key' || fail "other-intake message unclear: $(cat "$T/err")"

# wrong passphrase, wrong key (bob is not a reviewer here), garbage key file
CANDOUR_PASSPHRASE_FILE=$T/wrongpass refused "$RV" import "${A[@]}" "$T/b1"
has "$T/err" 'wrong passphrase' || fail "wrong-passphrase message unclear: $(cat "$T/err")"
refused "$RV" import --casebook "$T/cb.db" --key "$T/rv/bob.sec" "$T/b1"
has "$T/err" 'not a reviewer' || fail "wrong-key message unclear: $(cat "$T/err")"
refused "$RV" import --casebook "$T/cb.db" --key "$T/rv/alice.pub" "$T/b1"
refused "$RV" list --casebook "$T/cb.db"

# the real import, then the same export again: nothing new, nothing doubled
"$RV" import "${A[@]}" "$T/b1" > /dev/null || fail "import"
"$RV" import "${A[@]}" "$T/b1" > "$T/out" || fail "the same export again refused"
grep -q 'records 1-1 were already held.*nothing new' "$T/out" || fail "replay message unclear: $(cat "$T/out")"
[ "$(sqlite3 "$T/cb.db" 'SELECT count(*) FROM concerns')" = 1 ] || fail "a replay doubled a concern"
ID=$("$RV" list "${A[@]}" --format csv | sed -n '2s/^"\([0-9A-Z]*\)".*/\1/p')

# unknown ids and illegal transitions
refused "$RV" show "${A[@]}" ZZZZZZZZ
refused "$RV" show "${A[@]}" "'; DROP TABLE concerns; --"
refused "$RV" status "${A[@]}" ZZZZZZZZ acknowledged
refused "$RV" status "${A[@]}" "$ID" closed
has "$T/err" 'outcome' || fail "closing without outcome: unclear message"
refused "$RV" status "${A[@]}" "$ID" received
refused "$RV" status "${A[@]}" "$ID" reopened
refused "$RV" outcome "${A[@]}" "$ID" guilty --summary x
refused "$RV" outcome "${A[@]}" "$ID" withdrawn
refused "$RV" note "${A[@]}" ZZZZZZZZ "a note"
refused "$RV" assign "${A[@]}" "$ID" mallory
refused "$RV" reply "${A[@]}" ZZZZZZZZ "hello"
refused "$RV" attachment "${A[@]}" "$ID" 7 --out "$T/nope"
refused "$RV" purge "${A[@]}" --closed-before yesterday
refused "$RV" reviewer add "$T/rv/alice.sec" "${A[@]}"
refused "$RV" init "${A[@]}" --intake-key "$DB.sign.pub"      # exists
[ ! -e "$T/nope" ] || fail "a refused attachment left a file"

# exit status: 2 for a usage error, 1 for a failure, as --help says
rc_of() { set +e; "$@" > /dev/null 2> "$T/err"; echo $?; set -e; }
"$RV" --help | grep -q '2 usage error' || fail "--help does not document the exit status"
"$RV" status --help | grep -q '2 usage error' || fail "status --help lacks the exit status"
"$RV" --version | grep -q '^candour-review [0-9]' || fail "--version"
[ "$(rc_of "$RV" frobnicate)" = 2 ] || fail "unknown command: not 2"
[ "$(rc_of "$RV" list "${A[@]}" --frobnicate)" = 2 ] || fail "unknown option: not 2"
[ "$(rc_of "$RV" status "${A[@]}" "$ID" reopened)" = 2 ] || fail "bad state: not 2"
[ "$(rc_of "$RV" show "${A[@]}" ZZZZZZZZ)" = 1 ] || fail "unknown concern: not 1"
# ids: a wrong character is named (a usage error, before the passphrase)
bad=$(printf '%s' "$ID" | sed 's/^\(..\)./\1U/')
[ "$(rc_of "$RV" show "${A[@]}" "$bad")" = 2 ] || fail "bad id: not 2"
has "$T/err" "character 3 ('U') is not in the id alphabet" || fail "bad id: $(cat "$T/err")"
refused "$RV" show "${A[@]}" "${ID}X"
has "$T/err" 'it has 9 characters; an id has 8' || fail "long id: $(cat "$T/err")"
# an id with a letter in it: an all-digit id (about 1 in 11,000) is its own
# lower case and would prove nothing
LID=$("$RV" list "${A[@]}" --format csv | sed -n '2,$s/^"\([0-9A-Z]*\)".*/\1/p' | grep -m1 '[A-Z]' || true)
if [ -n "$LID" ]; then
	lower=$(printf '%s' "$LID" | tr 'A-Z' 'a-z')
	[ "$lower" != "$LID" ] || fail "lower case of $LID is itself"
	"$RV" show "${A[@]}" "$lower" | grep -q "Concern $LID" || fail "a lower-case id is not accepted"
else
	echo "lower-case id not tried: every id is digits only"
fi
# purge: the register's date forms, else "not a date"; no silent purge
refused "$RV" purge "${A[@]}" --closed-before 31/02/2026 --yes
has "$T/err" 'not a date: use YYYY-MM-DD' || fail "purge bad date: $(cat "$T/err")"
refused "$RV" purge "${A[@]}" --closed-before 05/12/2026 < /dev/null
has "$T/err" '--yes' || fail "purge without a terminal: $(cat "$T/err")"
"$RV" purge "${A[@]}" --closed-before 05/12/2026 --dry-run | grep -q 'nothing to purge' \
	|| fail "purge --dry-run with dd/mm/yyyy"
# link: a reference outside the register needs --not-in-register
refused "$RV" link "${A[@]}" "$ID" REF/2026/99888
has "$T/err" '--not-in-register' || fail "link typo guard: $(cat "$T/err")"
# keygen: NAME.sec taken is said before any passphrase; weak ones refused
[ "$(rc_of env -u CANDOUR_PASSPHRASE_FILE "$RV" keygen --name alice --out "$T/rv" < /dev/null)" = 2 ] \
	|| fail "keygen over an existing key"
has "$T/err" 'alice.sec: exists already; choose another --name' || fail "keygen exists: $(cat "$T/err")"
for weak in abc 'bad input passphrase' password1234 aaaaaaaaaaaaaaaaaaaaaaaa; do
	printf '%s\n' "$weak" > "$T/weak"
	[ "$(rc_of "$RV" keygen --name weak --out "$T/rv" --kdf test --passphrase-file "$T/weak")" = 1 ] \
		|| fail "weak passphrase '$weak' accepted"
	has "$T/err" 'five random words' || fail "weak passphrase advice: $(cat "$T/err")"
	[ ! -e "$T/rv/weak.sec" ] || fail "a refused keygen left weak.sec"
done
# the test-only KDF without the switch: a usage error and nothing written;
# a test key file is refused outside tests, naming why (SECURITY.md)
[ "$(rc_of env -u CANDOUR_TEST_WEAK_KDF "$RV" keygen --name weak --out "$T/rv" --kdf test)" = 2 ] \
	|| fail "keygen --kdf test without CANDOUR_TEST_WEAK_KDF=1"
has "$T/err" 'for tests only' || fail "keygen --kdf test: $(cat "$T/err")"
[ ! -e "$T/rv/weak.sec" ] && [ ! -e "$T/rv/weak.pub" ] || fail "a refused keygen --kdf test wrote a key"
[ "$(rc_of env -u CANDOUR_TEST_WEAK_KDF "$RV" list "${A[@]}")" = 1 ] || fail "a test key opened without the switch"
has "$T/err" 'test-only KDF' || fail "test key without the switch: $(cat "$T/err")"

# work it a little, with secrets in every kind of field
"$RV" note "${A[@]}" "$ID" "Stolen-test-note: ask the duty manager." > /dev/null || fail note
"$RV" reply "${A[@]}" "$ID" "Stolen-test-reply: we are on it." > /dev/null || fail reply
"$RV" outcome "${A[@]}" "$ID" substantiated --summary "Stolen-test-summary: confirmed." > /dev/null \
	|| fail outcome
"$RV" search "${A[@]}" "strategy meeting" | grep -q "$ID" || fail "search misses the concern"

# stolen casebook: no secret in the file or its WAL, with the keys elsewhere
for f in "$T/cb.db" "$T/cb.db-wal"; do
	[ -f "$f" ] || continue
	for s in "Stolen-test-sentence" "strategy meeting" "REF/2026/99887" "99887" "Zanzibar" \
		"Stolen-test-note" "Stolen-test-reply" "Stolen-test-summary"; do
		if grep -aqF "$s" "$f"; then fail "'$s' readable in $f"; fi
	done
done
# the scan can fail: the same text is found in plaintext
grep -aqF "Stolen-test-sentence" <(printf '%s' "$SECRET") || fail "scan self-check"

# the audit log detects a row edited with the sqlite3 CLI
"$RV" audit "${A[@]}" verify > /dev/null || fail "audit verify on an intact log"
"$RV" audit "${A[@]}" | grep -q ' import' || fail "audit list lacks the import"
sqlite3 "$T/cb.db" "UPDATE audit SET action='show' WHERE n=3"
if "$RV" audit "${A[@]}" verify 2> "$T/err"; then fail "edited audit row not detected"; fi
has "$T/err" 'entry 3' || fail "verify does not name entry 3: $(cat "$T/err")"
echo "bad input ok"
