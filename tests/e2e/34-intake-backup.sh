#!/usr/bin/env bash
# candour-intake backup: a consistent copy taken while serve runs and
# concerns arrive; a restore verifies and continues the chain the reviewers
# already hold; a restore from an older backup is refused by the casebook
# as a fork; an existing --out is never replaced and a failed backup leaves
# no file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
IN="$BIN/candour-intake"
RV="$BIN/candour-review"
export CANDOUR_PASSPHRASE_FILE=$T/secret/pass
export CANDOUR_RCPT_KDF=min CANDOUR_TEST_WEAK_KDF=1 # receipts are not under test here
start_intake
KEY=$T/secret/alice.sec

rec_of() { sed -n 's/^records: //p' "$1"; }

code=$(submit_concern "$T/c1" -F "what=The first concern, before any backup.")
[ "$code" = 200 ] || fail "submission 1 gave $code"
"$IN" backup --db "$DB" --out "$T/old.bak" > "$T/b.out" || fail "backup failed: $(cat "$T/b.out")"
[ "$(rec_of "$T/b.out")" = 1 ] || fail "old backup count: $(cat "$T/b.out")"
grep -q '^not included: .*sign.key' "$T/b.out" || fail "the signing-key reminder is missing"
for f in "$T"/old.bak.tmp-* "$T/old.bak-wal" "$T/old.bak-journal"; do
	[ ! -e "$f" ] || fail "backup left $f"
done
[ "$(stat -c %a "$T/old.bak")" = 600 ] || fail "backup mode is $(stat -c %a "$T/old.bak")"

# a backup while four concerns are being submitted: one consistent snapshot
( for i in 2 3 4 5; do submit_concern "$T/c$i" -F "what=Concern number $i, during a backup." \
	> "$T/code$i"; done ) &
SUBS=$!
"$IN" backup --db "$DB" --out "$T/live.bak" > "$T/l.out" || fail "live backup failed"
wait "$SUBS"
for i in 2 3 4 5; do [ "$(cat "$T/code$i")" = 200 ] || fail "submission $i failed"; done
k=$(rec_of "$T/l.out")
[ "$k" -ge 1 ] && [ "$k" -le 5 ] || fail "live backup holds $k records"
mkdir "$T/lv" && cp "$T/live.bak" "$T/lv/intake.db"
"$IN" status --db "$T/lv/intake.db" > "$T/lv.st" || fail "the live backup does not verify"
grep -qx 'chain: verified' "$T/lv.st" || fail "live backup chain: $(cat "$T/lv.st")"
grep -qx "records: $k" "$T/lv.st" || fail "live backup count differs from what backup printed"

# the reviewers import everything (records 1..5)
[ "$(count_records)" = 5 ] || fail "the intake holds $(count_records) records"
"$IN" export --db "$DB" --out "$T/all" > /dev/null || fail "export failed"
"$RV" init --casebook "$T/cb.db" --key "$KEY" --intake-key "$DB.sign.pub" >/dev/null || fail "review init"
"$RV" import --casebook "$T/cb.db" --key "$KEY" "$T/all" > /dev/null || fail "import of 1..5 failed"

# a backup of the quiet intake, then the disk is lost and the backup restored
"$IN" backup --db "$DB" --out "$T/full.bak" > "$T/f.out" || fail "full backup failed"
[ "$(rec_of "$T/f.out")" = 5 ] || fail "full backup count: $(cat "$T/f.out")"
head5=$(sed -n 's/^chain head: //p' "$T/f.out")
stop_intake
cp "$DB.sign.key" "$DB.sign.pub" "$T/"
rm -rf "$DATA"
mkdir -p "$DATA" && cp "$T/full.bak" "$DB" && cp "$T/intake.db.sign.key" "$T/intake.db.sign.pub" "$DATA/"
# the store (as nobody when run as root) must own what it opens
[ "$(id -u)" -ne 0 ] || chown nobody "$DATA" "$DB"
"$IN" status --db "$DB" > "$T/r.st" || fail "restored status failed"
grep -qx 'chain: verified' "$T/r.st" || fail "restored chain: $(cat "$T/r.st")"
grep -qx "chain head: $head5" "$T/r.st" || fail "restored head differs"
start_intake
code=$(submit_concern "$T/c6" -F "what=The first concern after the restore.")
[ "$code" = 200 ] || fail "submission after restore gave $code"
[ "$(count_records)" = 6 ] || fail "after restore the intake holds $(count_records)"
"$IN" export --db "$DB" --since 5 --out "$T/cont" > /dev/null || fail "export after restore"
"$RV" import --casebook "$T/cb.db" --key "$KEY" "$T/cont" > /dev/null \
	|| fail "the casebook refused the restored intake's continuation"
stop_intake

# restoring the old backup (1 record) forks the chain the casebook holds
cp "$T/old.bak" "$DB" && rm -f "$DB-wal" "$DB-shm"
[ "$(id -u)" -ne 0 ] || chown nobody "$DB"
start_intake
code=$(submit_concern "$T/c7" -F "what=A concern on the forked chain.")
[ "$code" = 200 ] || fail "submission on the old restore gave $code"
"$IN" status --db "$DB" | grep -qx 'chain: verified' || fail "old restore does not verify"
"$IN" export --db "$DB" --out "$T/fork" > /dev/null || fail "export of the fork"
if "$RV" import --casebook "$T/cb.db" --key "$KEY" "$T/fork" 2>"$T/err"; then
	fail "the casebook imported a forked chain"
fi
grep -q 'chain fork' "$T/err" || fail "fork not named: $(cat "$T/err")"
"$IN" export --db "$DB" --since 1 --out "$T/fork2" > /dev/null || fail "export --since of the fork"
if "$RV" import --casebook "$T/cb.db" --key "$KEY" "$T/fork2" 2>"$T/err"; then
	fail "the casebook imported a forked continuation"
fi
grep -q 'chain fork' "$T/err" || fail "fork (since 1) not named: $(cat "$T/err")"

# errors: one line, non-zero, nothing left behind
if "$IN" backup --db "$DB" --out "$T/old.bak" 2>"$T/err"; then fail "backup replaced a file"; fi
[ "$(wc -l < "$T/err")" = 1 ] && grep -q 'already exists' "$T/err" || fail "overwrite: $(cat "$T/err")"
if "$IN" backup --db "$T/none.db" --out "$T/x.bak" 2>"$T/err"; then fail "backup of a missing db"; fi
[ "$(wc -l < "$T/err")" = 1 ] || fail "missing db: $(cat "$T/err")"
[ ! -e "$T/x.bak" ] || fail "a failed backup left a file"
printf 'not a database at all' > "$T/junk.db"
if "$IN" backup --db "$T/junk.db" --out "$T/y.bak" 2>/dev/null; then fail "backup of junk"; fi
[ -z "$(ls "$T" | grep '^y.bak')" ] || fail "a failed backup left $(ls "$T" | grep '^y.bak')"
if "$IN" backup --db "$DB" --out "$T/nodir/z.bak" 2>"$T/err"; then fail "backup into a missing dir"; fi
[ "$(wc -l < "$T/err")" = 1 ] || fail "missing dir: $(cat "$T/err")"
set +e
"$IN" backup --db "$DB" 2>/dev/null; [ $? -ne 0 ] || fail "backup without --out"
"$IN" backup --db "$DB" --out "$T/a" extra 2>/dev/null; [ $? -ne 0 ] || fail "stray argument"
"$IN" backup --bogus 2>/dev/null; [ $? = 2 ] || fail "unknown option must exit 2"
set -e
"$IN" backup --help | grep -q 'online backup' || fail "backup --help"
echo "backup: ok"
