#!/usr/bin/env bash
# An import killed half-way (SIGKILL while it streams a 48 MiB attachment
# into the casebook) leaves the casebook exactly as it was; the next
# import of the same bundle succeeds and the attachment reads back whole.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
RV=$BIN/candour-review
printf 'interrupted kettle orbit velvet canyon\n' > "$T/pass"
export CANDOUR_PASSPHRASE_FILE=$T/pass
mkdir -p "$T/keys" "$T/rv"
"$RV" keygen --name alice --out "$T/rv" --kdf test > /dev/null || fail keygen
cp "$T/rv/alice.pub" "$T/keys/"
start_intake
head -c $((48 << 20)) /dev/urandom > "$T/big.bin"
code=$(submit_concern "$T/c1" -F "what=A large attachment follows." -F "file=@$T/big.bin")
[ "$code" = 200 ] || fail "submission gave $code"
stop_intake
"$BIN/candour-intake" export --db "$DB" --out "$T/b1" > /dev/null || fail export

A=(--casebook "$T/cb.db" --key "$T/rv/alice.sec")
"$RV" init "${A[@]}" --intake-key "$DB.sign.pub" > /dev/null || fail init
before=$(sqlite3 "$T/cb.db" .dump | sha256sum)

"$RV" import "${A[@]}" "$T/b1" > /dev/null 2>&1 &
pid=$!
track_pid $pid
# wait until it is writing the attachment (uncommitted pages in the WAL)
killed=0
for _ in $(seq 1 400); do
	sz=$(stat -c %s "$T/cb.db-wal" 2>/dev/null || echo 0)
	if [ "$sz" -gt $((8 << 20)) ]; then kill -KILL $pid; killed=1; break; fi
	kill -0 $pid 2>/dev/null || break
	sleep 0.02
done
wait $pid 2>/dev/null || true
[ "$killed" = 1 ] || fail "the import ended before it could be interrupted: the test proves nothing"
[ "$(sqlite3 "$T/cb.db" .dump | sha256sum)" = "$before" ] || fail "an interrupted import changed the casebook"
[ "$(sqlite3 "$T/cb.db" 'SELECT count(*) FROM records')" = 0 ] || fail "records left behind"

"$RV" import "${A[@]}" "$T/b1" > /dev/null || fail "import after the interruption"
"$RV" audit "${A[@]}" verify > /dev/null || fail "audit log broken after the interruption"
ID=$("$RV" list "${A[@]}" --format csv | sed -n '2s/^"\([0-9A-Z]*\)".*/\1/p')
"$RV" attachment "${A[@]}" "$ID" 1 --out "$T/big.out" 2> /dev/null || fail attachment
cmp -s "$T/big.bin" "$T/big.out" || fail "attachment differs after the interrupted import"
echo "interrupted ok"
