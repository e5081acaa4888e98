#!/usr/bin/env bash
# Schema upgrades on start (issue 15): an intake.db of the previous schema
# (version 3: replies and status could be deleted) and a casebook.db of the previous schema
# (version 5: no after-close mark) are each copied first (DB.pre-vN.bak,
# SQLite's backup API, said on stderr), then upgraded; the copies hold the
# old version and the old records; the chain continues across the upgrade
# (a concern after it is exported and imported into the upgraded casebook).
# A copy in the way stops the upgrade and changes nothing.
#
# The old files are made by the previous schema's SQL: a current file with
# what the last migration added taken out again (the migrations are
# append-only steps, so version N-1 is exactly version N without step N).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
IN="$BIN/candour-intake"
RV="$BIN/candour-review"
export CANDOUR_PASSPHRASE_FILE=$T/secret/pass
export CANDOUR_RCPT_KDF=min CANDOUR_TEST_WEAK_KDF=1 # receipts are not under test here
KEY=$T/secret/alice.sec
CB=$T/cb/casebook.db
mkdir -p "$T/cb"

# One python3 answers every query below (a python3 start is ~45 ms of
# CPU; this script started ~30): py FUNCTION ARGS... runs FUNCTION, each
# as its own python3 -c was (its own connection, closed after), prints
# what it printed and returns its status (1 and the traceback on stderr
# on an exception). The request is NUL-separated words; the answer the
# output, a NUL, the status.
coproc PYQ { exec python3 -u -c '
import sqlite3, sys, traceback
def sql(f, s):
    c = sqlite3.connect(f); c.executescript(s); c.close()
def version(f):
    c = sqlite3.connect(f)
    try: return "%s\n" % c.execute("PRAGMA user_version").fetchone()[0]
    finally: c.close()
def rows(f, t):
    c = sqlite3.connect(f)
    try: return "%s\n" % c.execute("SELECT count(*) FROM " + t).fetchone()[0]
    finally: c.close()
def try_delete(f, t):
    c = sqlite3.connect(f)
    try:
        c.execute("DELETE FROM " + t + " WHERE target_seq = 999"); c.commit(); return "deleted\n"
    except sqlite3.DatabaseError as e: return "%s\n" % e
    finally: c.close()
def links_sql(f):
    c = sqlite3.connect(f)
    try: return "%s\n" % c.execute("SELECT sql FROM sqlite_master WHERE name=?", ("ref_links",)).fetchone()[0]
    finally: c.close()
def bad_state(f, st):
    c = sqlite3.connect(f)
    try:
        c.execute("INSERT INTO ref_links VALUES (?, ?, ?, ?, NULL, ?)", ("X", b"1", st, b"2", "2026-12-06")); c.commit(); return "inserted\n"
    except sqlite3.DatabaseError as e: return "%s\n" % e
    finally: c.close()
buf = b""
def word():
    global buf
    while b"\0" not in buf:
        d = sys.stdin.buffer.read1(65536)
        if not d: sys.exit(0)
        buf += d
    w, buf = buf.split(b"\0", 1)
    return w.decode()
while True:
    fn = word(); args = [word() for _ in range(int(word()))]
    try: out, st = globals()[fn](*args) or "", 0
    except Exception:
        traceback.print_exc(); sys.stderr.flush(); out, st = "", 1
    sys.stdout.write(out + "\0%d\n" % st); sys.stdout.flush()
'; }
track_pid "$PYQ_PID"
py() {
	local out st
	printf '%s\0' "$1" "$(($# - 1))" "${@:2}" >&"${PYQ[1]}"
	IFS= read -r -d '' out <&"${PYQ[0]}" || fail "py $1: no answer"
	read -r st <&"${PYQ[0]}"
	printf '%s' "$out"
	return "$st"
}
# sql FILE STATEMENTS: run with Python's sqlite3 (the file keeps its owner)
sql() { py sql "$1" "$2"; }
version() { py version "$1"; }
rows() { py rows "$1" "$2"; }
to_intake_v3() {
	sql "$1" "DROP TRIGGER replies_no_delete; DROP TRIGGER status_no_delete;
		PRAGMA user_version = 3;"
	[ "$(version "$1")" = 3 ] || fail "the fixture intake is not version 3"
}
# refused DELETE: prints the error, or 'deleted' when the row went
try_delete() { py try_delete "$1" "$2"; }
# version 7 rebuilt ref_links with its state CHECK spelt as comparisons:
# the older table (state IN (...)) is put back, every row kept
to_casebook_v5() {
	sql "$1" "ALTER TABLE messages DROP COLUMN after_close; DROP TABLE report_cells;
		CREATE TABLE ref_links_v6(concern_id TEXT NOT NULL, idx BLOB NOT NULL,
		 state TEXT NOT NULL CHECK (state IN ('exact','near','missing','manual','rejected')),
		 ref BLOB NOT NULL, named BLOB, date TEXT NOT NULL,
		 PRIMARY KEY(concern_id, idx)) WITHOUT ROWID;
		INSERT INTO ref_links_v6 SELECT concern_id, idx, state, ref, named, date FROM ref_links;
		DROP TABLE ref_links; ALTER TABLE ref_links_v6 RENAME TO ref_links;
		CREATE INDEX ref_links_by_idx ON ref_links(idx);
		PRAGMA user_version = 5;"
	[ "$(version "$1")" = 5 ] || fail "the fixture casebook is not version 5"
}

# one concern, exported and imported, under the current schemas
start_intake
code=$(submit_concern "$T/c1" -F "what=A concern from before the upgrade.")
[ "$code" = 200 ] || fail "submission 1 gave $code"
stop_intake
[ "$(version "$DB")" = 4 ] || fail "this test knows intake schema 4, not $(version "$DB"): add the new step"
"$IN" export --db "$DB" --out "$T/b1" > /dev/null || fail "export 1"
"$RV" init --casebook "$CB" --key "$KEY" --intake-key "$DB.sign.pub" > /dev/null || fail "review init"
"$RV" import --casebook "$CB" --key "$KEY" "$T/b1" > /dev/null || fail "import 1"
[ "$(version "$CB")" = 8 ] || fail "this test knows casebook schema 8, not $(version "$CB"): add the new step"
head1=$("$IN" status --db "$DB" | sed -n 's/^chain head: //p')

# the previous schemas; a reply and a status change to a concern that
# does not exist (seq 999: never shown) that version 3 would let go
to_intake_v3 "$DB"
sql "$DB" "INSERT INTO replies VALUES (x'99', 999, '2026-12-05', x'00');
	INSERT INTO status VALUES (x'99', 999, 2, 0, '2026-12-05');"
to_casebook_v5 "$CB"

# serve upgrades the intake, keeping a copy first
start_intake
grep -q "intake.db was schema version 3: kept a copy as intake.db.pre-v4.bak, then upgraded it to version 4" \
	"$T/serve.err" || fail "serve did not say it kept a copy: $(cat "$T/serve.err")"
BAK=$DB.pre-v4.bak
[ -f "$BAK" ] || fail "no copy beside the database: $(ls "$DATA")"
[ "$(version "$BAK")" = 3 ] && [ "$(rows "$BAK" records)" = 1 ] || fail "the copy is not the old database"
[ "$(stat -c %a "$BAK")" = 600 ] || fail "the copy's mode is $(stat -c %a "$BAK")"
[ ! -e "$BAK-wal" ] && [ ! -e "$BAK-journal" ] || fail "the copy is not self-contained"
[ "$(version "$DB")" = 4 ] || fail "the intake was not upgraded"
code=$(submit_concern "$T/c2" -F "what=A concern after the upgrade.")
[ "$code" = 200 ] || fail "submission 2 gave $code"
stop_intake
"$IN" status --db "$DB" > "$T/st" || fail "status after the upgrade"
grep -qx 'chain: verified' "$T/st" && grep -qx 'records: 2' "$T/st" || fail "status: $(cat "$T/st")"
[ "$(rows "$DB" recipients)" = 2 ] || fail "the new concern's readers were not kept"
# what the reviewers sent back can no longer be taken away
for t in replies status; do
	r=$(try_delete "$DB" $t)
	[[ "$r" == *"append-only"* ]] || fail "a $t row could be deleted after the upgrade: $r"
	[ "$(rows "$DB" $t)" = 1 ] || fail "the upgraded $t table lost its row"
	# the version-3 copy could (so the check above can tell them apart)
	cp "$BAK" "$T/v3.db"
	[ "$(try_delete "$T/v3.db" $t)" = deleted ] || fail "the version-3 copy refused a delete"
	rm -f "$T/v3.db"
done
# the copy restores to the old head: it is a real backup
mkdir "$T/r" && cp "$BAK" "$T/r/intake.db"
sql "$T/r/intake.db" "SELECT 1" # opened by the test only to read
[ "$(rows "$T/r/intake.db" records)" = 1 ] || fail "the copy lost its record"

# the review tool upgrades the casebook on its next open, keeping a copy
"$IN" export --db "$DB" --since 1 --out "$T/b2" > /dev/null || fail "export 2"
"$RV" import --casebook "$CB" --key "$KEY" "$T/b2" > "$T/imp" 2> "$T/imp.err" ||
	fail "the chain did not continue into the upgraded casebook: $(cat "$T/imp.err")"
grep -q "casebook.db was schema version 5: kept a copy as $CB.pre-v8.bak, then upgraded it to version 8" \
	"$T/imp.err" || fail "import did not say it kept a copy: $(cat "$T/imp.err")"
[ "$(version "$CB.pre-v8.bak")" = 5 ] || fail "the casebook copy is not version 5"
[ "$(version "$CB")" = 8 ] || fail "the casebook was not upgraded"
# version 8: the table of earlier reports' cells (report_pins.c)
[ "$(rows "$CB" report_cells)" = 0 ] || fail "the upgrade did not add report_cells"
# version 7: the referral links were rebuilt, every row kept, and a state
# outside the five is still refused (the copy holds the old table)
links_sql() { py links_sql "$1"; }
[[ "$(links_sql "$CB")" == *"state = 'rejected'"* ]] || fail "ref_links was not rebuilt: $(links_sql "$CB")"
[[ "$(links_sql "$CB.pre-v8.bak")" == *"IN ('exact'"* ]] || fail "the copy's ref_links is not the old one"
[ "$(rows "$CB" ref_links)" -ge "$(rows "$CB.pre-v8.bak" ref_links)" ] || fail "the upgrade lost referral links"
r=$(py bad_state "$CB" exactly)
[[ "$r" == *"CHECK constraint failed"* ]] || fail "the upgraded ref_links took a bad state: $r"
"$RV" list --casebook "$CB" --key "$KEY" > "$T/list" 2> "$T/list.err" || fail "list: $(cat "$T/list.err")"
[ ! -s "$T/list.err" ] || fail "a second open spoke of an upgrade again: $(cat "$T/list.err")"
[ "$(rows "$CB" concerns)" = 2 ] || fail "the casebook holds $(rows "$CB" concerns) concerns"
[ "$(rows "$CB.pre-v8.bak" concerns)" = 1 ] || fail "the casebook copy changed"
[ -n "$head1" ] || fail "no chain head"

# A copy in the way: the upgrade is refused, the old file left as it was.
to_intake_v3 "$DB"
echo "an earlier copy" > "$DB.pre-v4.bak.new"; mv "$DB.pre-v4.bak" "$T/kept.bak"
mv "$DB.pre-v4.bak.new" "$DB.pre-v4.bak"
[ "$(id -u)" -ne 0 ] || chown nobody "$DB.pre-v4.bak"
user=(); [ "$(id -u)" -eq 0 ] && user=(--user nobody)
set +e
timeout 30 "$IN" serve --db "$DB" --keys "$T/keys" --contacts "$T/contacts.txt" \
	--listen "127.0.0.1:$(free_port)" "${user[@]}" > /dev/null 2> "$T/way.err"
rc=$?
set -e
[ "$rc" != 0 ] && [ "$rc" != 124 ] || fail "serve upgraded past a copy in the way (exit $rc)"
grep -q "in the way" "$T/way.err" || fail "no reason given: $(cat "$T/way.err")"
# a failed start says only why: never that it serves
if grep -q "serving" "$T/way.err"; then fail "a failed start said serving: $(cat "$T/way.err")"; fi
[ "$(version "$DB")" = 3 ] || fail "the refused upgrade changed the database"
[ "$(cat "$DB.pre-v4.bak")" = "an earlier copy" ] || fail "the copy in the way was replaced"
to_casebook_v5 "$CB"
echo "an earlier copy" > "$CB.pre-v8.bak"
if "$RV" list --casebook "$CB" --key "$KEY" > /dev/null 2> "$T/way.err"; then
	fail "the review tool upgraded past a copy in the way"
fi
grep -q "in the way" "$T/way.err" || fail "no reason given: $(cat "$T/way.err")"
[ "$(version "$CB")" = 5 ] || fail "the refused upgrade changed the casebook"
[ "$(cat "$CB.pre-v8.bak")" = "an earlier copy" ] || fail "the casebook's copy in the way was replaced"
echo "upgrade: ok"
