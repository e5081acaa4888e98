#!/usr/bin/env bash
# candour-intake backup against a database another program holds locked
# (an admin's sqlite3 shell left in a write transaction, say): it gives up
# within a bounded time with one clear line, writes nothing, and does not
# spin while it waits (its CPU time stays a small part of the wait); a lock
# let go in time is waited out and the backup succeeds. The copy loop's
# own bound is tested in tests/util/test_db_copy.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
IN="$BIN/candour-intake"
export CANDOUR_RCPT_KDF=min CANDOUR_TEST_WEAK_KDF=1 # receipts are not under test here
start_intake
code=$(submit_concern "$T/c1" -F "what=A concern to back up while the file is locked.")
[ "$code" = 200 ] || fail "submission gave $code"
stop_intake

# hold SECONDS: an exclusive lock on the intake, held for SECONDS, then let
# go; prints "locked" once it holds it
hold() {
	python3 -u -c 'import sqlite3,sys,time
c=sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA locking_mode=EXCLUSIVE"); c.execute("BEGIN EXCLUSIVE")
c.execute("INSERT INTO meta VALUES (?, ?)", ("e2e_lock", b"0"))
print("locked"); time.sleep(float(sys.argv[2])); c.execute("ROLLBACK"); c.close()' "$DB" "$1" > "$T/hold.out" &
	HOLDER=$!
	track_pid "$HOLDER"
	for _ in $(seq 1 100); do has "$T/hold.out" locked && return 0; nap 0.05; done
	fail "the test could not lock the database"
}

# held past any bound: one line, a non-zero exit, nothing left, and soon
hold 60
TIMEFORMAT='%R %U %S'
{ time "$IN" backup --db "$DB" --out "$T/locked.bak" > /dev/null 2> "$T/err"; echo "rc=$?" > "$T/rc"; } 2> "$T/time" || true
read -r wall user sys < "$T/time"
grep -qx 'rc=1' "$T/rc" || fail "a backup of a locked database: $(cat "$T/rc") $(cat "$T/err")"
[ "$(wc -l < "$T/err")" = 1 ] || fail "not one line: $(cat "$T/err")"
grep -q 'locked by another program' "$T/err" || fail "the reason is not given: $(cat "$T/err")"
[ -z "$(ls "$T" | grep '^locked.bak')" ] || fail "a failed backup left $(ls "$T" | grep '^locked.bak')"
echo "locked: gave up after ${wall}s (cpu ${user}s user, ${sys}s sys): $(cat "$T/err")"
# the open waits STORE_BUSY_MS (5 s), the copy at most 2 s more
awk -v w="$wall" 'BEGIN { exit !(w >= 4 && w < 12) }' || fail "gave up after ${wall}s"
awk -v u="$user" -v s="$sys" 'BEGIN { exit !(u + s < 1.5) }' || fail "it spun: cpu ${user}s + ${sys}s"
kill_pid "$HOLDER"
# a file that is not a database is not called locked
printf 'not a database at all, not even close, no, really not at all' > "$T/junk.db"
if "$IN" backup --db "$T/junk.db" --out "$T/j.bak" 2> "$T/err"; then fail "backup of junk"; fi
if grep -q 'locked by another' "$T/err"; then fail "junk called locked: $(cat "$T/err")"; fi

# let go after a second: waited out, a whole copy
hold 1
"$IN" backup --db "$DB" --out "$T/ok.bak" > "$T/ok.out" 2> "$T/err" || fail "backup after the lock went: $(cat "$T/err")"
grep -qx 'records: 1' "$T/ok.out" || fail "the copy: $(cat "$T/ok.out")"
wait "$HOLDER" || true
echo "backup-locked: ok"
