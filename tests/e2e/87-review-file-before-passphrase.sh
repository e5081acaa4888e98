#!/usr/bin/env bash
# A file named on the command line is checked before any passphrase is
# asked: a missing, unreadable or wrong-kind input (a bundle, a register,
# a key line) or an output that cannot be written (report --out,
# export-replies and attachment --out, keygen's NAME.sec and NAME.pub,
# init's casebook) fails at once with one line naming the file and what to
# do, exit 2 (a usage error, as --help says). No passphrase is given
# (none in the environment, no terminal: setsid), so a command that asked
# would say "no terminal to ask the passphrase on" instead; the control
# case shows it does when the file is fine. Also candour-intake
# import-replies --in, the desk's key and casebook, and a missing casebook
# or key file for every command that opens the casebook.
. "$(dirname "$0")/lib.sh"
RV=$BIN/candour-review
IN=$BIN/candour-intake
printf 'file check kettle orbit velvet canyon\n' > "$T/pass"
mkdir -p "$T/rv" "$T/adir"
CANDOUR_PASSPHRASE_FILE=$T/pass "$RV" keygen --name alice --out "$T/rv" --kdf test > /dev/null ||
	fail "keygen"
: > "$T/cb.db" # a casebook's place: each check below comes before it is opened
: > "$T/empty"
ln -s "$T/empty" "$T/link"
A=(--casebook "$T/cb.db" --key "$T/rv/alice.sec")

# unasked WANT_RC FILE_NAMED WORDS -- CMD...: fails with exit WANT_RC and
# exactly one line naming FILE_NAMED, holding WORDS, never the passphrase
unasked() {
	local want=$1 named=$2 words=$3 rc=0 nl
	shift 4
	setsid -w env -u CANDOUR_PASSPHRASE_FILE "$@" < /dev/null > "$T/out" 2> "$T/err" || rc=$?
	[ "$rc" = "$want" ] || fail "exit $rc (want $want) for: $* -> $(cat "$T/err")"
	nlines "$T/err" nl
	[ "$nl" = 1 ] || fail "not one stderr line for: $* -> $(cat "$T/err")"
	has "$T/err" "$named" "$words" || fail "unclear for: $* -> $(cat "$T/err")"
	if has -i "$T/err" passphrase; then fail "the passphrase came first: $* -> $(cat "$T/err")"; fi
}

# the control: a file that passes the check, and the passphrase is asked
setsid -w env -u CANDOUR_PASSPHRASE_FILE "$RV" import "${A[@]}" "$T/empty" < /dev/null \
	> /dev/null 2> "$T/err" && fail "imported with no passphrase"
has "$T/err" 'no terminal to ask the passphrase on' || fail "control not asked: $(cat "$T/err")"

# import's bundle
unasked 2 "$T/none": 'no such file; give the path of a bundle written by `candour-intake export`' \
	-- "$RV" import "${A[@]}" "$T/none"
unasked 2 "$T/adir:" 'is a directory' -- "$RV" import "${A[@]}" "$T/adir"
unasked 2 "$T/link:" 'symbolic link' -- "$RV" import "${A[@]}" "$T/link"
unasked 2 "$T/empty/x:" 'not a directory' -- "$RV" import "${A[@]}" "$T/empty/x"
mkfifo "$T/fifo"
unasked 2 "$T/fifo:" 'not a regular file' -- "$RV" import "${A[@]}" "$T/fifo"
if [ "$EUID" != 0 ]; then # root reads any file
	cp "$T/empty" "$T/locked" && chmod 000 "$T/locked"
	unasked 2 "$T/locked:" 'permission denied' -- "$RV" import "${A[@]}" "$T/locked"
fi

# referrals import: the register and --config
unasked 2 "$T/reg.csv:" "no such file; give the path of the register's CSV export" \
	-- "$RV" referrals import "${A[@]}" "$T/reg.csv"
unasked 2 "$T/adir:" 'is a directory' -- "$RV" referrals import "${A[@]}" "$T/adir"
unasked 2 "$T/cfg:" 'no such file; give the path of the --config file' \
	-- "$RV" referrals import "${A[@]}" --config "$T/cfg" "$T/empty"

unasked 2 "$T/cfg:" 'no such file; give the path of the referral config file' \
	-- "$RV" referrals config "${A[@]}" "$T/cfg"
# reply --file
unasked 2 "$T/reply.txt:" 'no such file; give the path of the file that holds the reply' \
	-- "$RV" reply "${A[@]}" ABCDEFGH --file "$T/reply.txt"

# outputs: report, export-replies, attachment
unasked 2 "$T/nodir/r.html:" 'its directory does not exist; give --out a file in a directory' \
	-- "$RV" report "${A[@]}" --period 2026 --out "$T/nodir/r.html"
unasked 2 "$T/adir:" 'is a directory, not a file;' \
	-- "$RV" report "${A[@]}" --period 2026 --out "$T/adir"
unasked 2 "$T/empty:" 'exists already; give --out a new file name' \
	-- "$RV" export-replies "${A[@]}" --out "$T/empty"
unasked 2 "$T/nodir/a.bin:" 'its directory does not exist' \
	-- "$RV" attachment "${A[@]}" ABCDEFGH 1 --out "$T/nodir/a.bin"

# keygen: a missing --out directory, a NAME.sec or a NAME.pub in the way
unasked 2 "$T/nodir/bob.sec:" 'its directory does not exist; choose another --name' \
	-- "$RV" keygen --name bob --out "$T/nodir" --kdf test
unasked 2 "$T/rv/alice.sec:" 'exists already' -- "$RV" keygen --name alice --out "$T/rv" --kdf test
: > "$T/rv/carol.pub"
unasked 2 "$T/rv/carol.pub:" 'exists already' -- "$RV" keygen --name carol --out "$T/rv" --kdf test
[ ! -e "$T/rv/carol.sec" ] || fail "keygen left carol.sec beside the refused carol.pub"

# init: a casebook in the way, a missing intake key; reviewer add's key
unasked 2 "$T/cb.db:" 'exists already; a casebook is never replaced' \
	-- "$RV" init "${A[@]}" --intake-key "$T/empty"
unasked 2 "$T/intake.pub:" 'no such file; give the DB.sign.pub' \
	-- "$RV" init --casebook "$T/new.db" --key "$T/rv/alice.sec" --intake-key "$T/intake.pub"
unasked 2 "$T/rv/gone.sec:" 'no such file; give --key the NAME.sec' \
	-- "$RV" init --casebook "$T/new.db" --key "$T/rv/gone.sec" --intake-key "$T/empty"
unasked 2 "$T/rv/gone.sec:" 'no such file; give --key (or CANDOUR_KEY)' -- "$RV" unlock --key "$T/rv/gone.sec"
unasked 2 "$T/bob.pub:" "no such file; give the NAME.pub" -- "$RV" reviewer add "$T/bob.pub" "${A[@]}"

# a missing casebook or key file: the same, for every command that opens
# the casebook (rv_cli_open)
unasked 2 "$T/gone.db:" 'no such casebook' -- "$RV" list --casebook "$T/gone.db" --key "$T/rv/alice.sec"
unasked 2 "$T/gone.db:" 'no such casebook' -- "$RV" status --casebook "$T/gone.db" --key "$T/rv/alice.sec" ABCDEFGH closed
unasked 2 "$T/rv/gone.sec:" 'no such file; give --key (or CANDOUR_KEY) the NAME.sec' \
	-- "$RV" show --casebook "$T/cb.db" --key "$T/rv/gone.sec" ABCDEFGH
unasked 2 "$T/rv/gone.sec:" 'no such file' -- "$RV" audit --casebook "$T/cb.db" --key "$T/rv/gone.sec"

# the desk asks the passphrase in a browser: nothing is opened or served
# for a missing key or casebook (--no-open: no browser in a test either way)
unasked 2 "$T/gone.db:" 'no such file; give --casebook a casebook made by' \
	-- "$RV" desk --no-open --casebook "$T/gone.db" --key "$T/rv/alice.sec"
unasked 2 "$T/rv/gone.sec:" 'no such file; give --key the NAME.sec' \
	-- "$RV" desk --no-open --casebook "$T/cb.db" --key "$T/rv/gone.sec"
has "$T/out" 'desk:' && fail "the desk served for a missing key: $(cat "$T/out")"

# the intake: import-replies' --in, checked before the database or the keys
unasked 2 "$T/replies:" 'no such file; give the path of a bundle written by `candour-review export-replies`' \
	-- "$IN" import-replies --db "$T/no.db" --keys "$T/nokeys" --in "$T/replies"
"$RV" import --help | grep -q 'file named that is missing' || fail "import --help lacks the file check's exit code"
"$IN" import-replies --help | grep -q 'usage error (exit 2)' || fail "import-replies --help lacks it"
echo "PASS: 87-review-file-before-passphrase"
