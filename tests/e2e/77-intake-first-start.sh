#!/usr/bin/env bash
# A first start of serve that is stopped early (issue 10): the new signing
# key is staged (DB.sign.key.new) and put in place only once the store has
# made the database, so a start stopped at any moment leaves a directory
# the next start can use, never one it refuses for good. An interrupted
# first start is recognised and said plainly; the typo guard still holds
# (a staged key of another name marks an intake); an old key without its
# database is never replaced. "serving" is said only once both processes
# are ready.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"

make_keys "$T/keys" alice
user=(); [ "$(id -u)" -eq 0 ] && user=(--user nobody)
echo "out_of_hours = 0306 999 0123" > "$T/contacts.txt"
port=$(free_port)
W=$T/w
fresh() { rm -rf "$W"; data_dir "$W"; }
serve() { # serve DB-NAME: in the background from $W, stderr to $T/err
	(cd "$W" && exec "$BIN/candour-intake" serve --db "$1" --keys "$T/keys" \
		--contacts "$T/contacts.txt" --listen "127.0.0.1:$port" "${user[@]}") 2>"$T/err" &
	PARENT=$!; track_pid "$PARENT"
}
# starts CASE: a plain start of intake.db now serves
starts() {
	serve intake.db
	wait_http "http://127.0.0.1:$port/"
	kill -0 "$PARENT" 2>/dev/null || fail "$1: the next start failed: $(cat "$T/err")"
	kill_pid "$PARENT"
	[ -f "$W/intake.db.sign.key" ] && [ -f "$W/intake.db.sign.pub" ] && [ -f "$W/intake.db" ] ||
		fail "$1: no database and key after the next start: $(ls -A "$W")"
	[ ! -e "$W/intake.db.sign.key.new" ] || fail "$1: the staged key stayed"
}

# Stopped at any moment of a first start: the directory holds either no
# key at all or a database with its key (staged or in place), and the next
# start serves.
for delay in 0 0.02 0.05 0.1 0.2 0.4; do
	fresh
	serve intake.db
	sleep "$delay"
	kill -TERM "$PARENT" 2>/dev/null || true
	wait "$PARENT" 2>/dev/null || true
	if [ -e "$W/intake.db.sign.key" ] && [ ! -e "$W/intake.db" ]; then
		fail "stopped after ${delay}s: a signing key without its database"
	fi
	if grep -q "serving" "$T/err" && ! grep -q "new intake" "$T/err"; then
		fail "stopped after ${delay}s: said serving but not the new intake: $(cat "$T/err")"
	fi
	starts "stopped after ${delay}s"
done

# A first start whose store fails before it makes the database (here
# --db is a dangling link it cannot create through): the failure alone is
# said, and no signing key is left to block the next start.
fresh
ln -s /nonexistent/intake.db "$W/intake.db"
[ "$(id -u)" -ne 0 ] || chown -h nobody "$W/intake.db" # the store's, as serve checks
serve intake.db
wait "$PARENT" 2>/dev/null && fail "a store that cannot make the database: serve went on"
grep -q "store" "$T/err" || fail "the store's failure was not said: $(cat "$T/err")"
if grep -q "serving\|new intake" "$T/err"; then fail "a failed first start said it serves: $(cat "$T/err")"; fi
[ "$(ls -A "$W")" = intake.db ] || fail "a failed first start left files: $(ls -A "$W")"
rm "$W/intake.db"
starts "after a store that failed before the database"

# A key staged by a first start stopped before the database: it was never
# shown to anyone, so it is replaced, and the start says so.
fresh
printf 'left by a stopped first start\n' > "$W/intake.db.sign.key.new"
chmod 600 "$W/intake.db.sign.key.new"
starts "staged key without database"
grep -q "left a signing key that was never given out (intake.db.sign.key.new): replaced" "$T/err" ||
	fail "the replaced staged key was not said: $(cat "$T/err")"
grep -q "new intake: created intake.db" "$T/err" || fail "no new-intake line: $(cat "$T/err")"

# A database with its staged key (stopped between the two): the staged key
# is the intake's; the next start puts it in place and says so.
pub=$(cat "$W/intake.db.sign.pub")
mv "$W/intake.db.sign.key" "$W/intake.db.sign.key.new"; rm "$W/intake.db.sign.pub"
before=$(ls -A "$W" | sort)
# the typo guard: a staged key of another name is an intake
if (cd "$W" && "$BIN/candour-intake" serve --db intkae.db --keys "$T/keys" \
	--contacts "$T/contacts.txt" --listen "127.0.0.1:$port" "${user[@]}") 2>"$T/err"; then
	fail "a typo in --db beside a staged intake started a new one"
fi
grep -q "holds the intake of intake.db" "$T/err" || fail "typo beside a staged key: $(cat "$T/err")"
[ "$(ls -A "$W" | sort)" = "$before" ] || fail "the refused typo created files"
starts "database with its staged key"
grep -q "finished the first start of intake.db" "$T/err" || fail "the finish was not said: $(cat "$T/err")"
if grep -q "new intake" "$T/err"; then fail "a finished first start announced a new intake"; fi
[ "$(cat "$W/intake.db.sign.pub")" = "$pub" ] || fail "the finished start's key is not the staged one"

# A signing key in place without its database (an intake moved, or left by
# an older version's stopped start): never replaced; the refusal says what
# to do; nothing is created.
rm "$W"/intake.db
before=$(ls -A "$W" | sort)
if (cd "$W" && "$BIN/candour-intake" serve --db intake.db --keys "$T/keys" \
	--contacts "$T/contacts.txt" --listen "127.0.0.1:$port" "${user[@]}") 2>"$T/err"; then
	fail "a key without its database: serve started"
fi
grep -q "does not exist, but its signing key intake.db.sign.key does: give the path" "$T/err" ||
	fail "key without database: $(cat "$T/err")"
if grep -q "serving" "$T/err"; then fail "a refused start said serving"; fi
[ "$(ls -A "$W" | sort)" = "$before" ] || fail "the refused start created files"
[ "$(cat "$W/intake.db.sign.pub")" = "$pub" ] || fail "the key was replaced"
echo "77-intake-first-start: ok"
