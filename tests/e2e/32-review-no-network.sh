#!/usr/bin/env bash
# candour-review opens no network socket: a seccomp filter installed at
# start-up makes socket() fail. Shown two ways, each able to fail:
#  1. the running candour-review reports "Seccomp: 2" (filter mode) in
#     /proc/PID/status, read by the $EDITOR it starts (its parent);
#  2. the filter is inherited by $EDITOR: the same script that connects to
#     a listening loopback port when run directly cannot connect when
#     candour-review starts it.
# And it has no network library mapped: libmicrohttpd and GnuTLS are the
# desk's program's alone (candour-review-desk, 38), absent from the
# running candour-review's /proc/PID/maps (read by the same $EDITOR, which
# finds libsodium there: the maps it read are candour-review's).
. "$(dirname "$0")/lib.sh"
RV=$BIN/candour-review
printf 'net kettle orbit velvet canyon\n' > "$T/pass"
mkdir -p "$T/keys" "$T/rv"
"$RV" keygen --name alice --out "$T/rv" --kdf test --passphrase-file "$T/pass" > /dev/null \
	|| fail keygen
# a plain shell for comparison must show no filter (else the check proves nothing)
grep -q '^Seccomp:[[:space:]]*0' /proc/self/status || fail "the test shell is already filtered"

# the probe: an editor script that connects and reads its own and its parent's filter
port=$(free_port)
python3 -c '
import socket,sys
s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(8)
while True:
    c,_=s.accept(); c.close()' "$port" &
lpid=$!
track_pid $lpid
cat > "$T/editor.sh" <<ED
#!/usr/bin/env bash
if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo CONNECTED > "$T/marker"
else echo BLOCKED > "$T/marker"; fi
grep '^Seccomp:' /proc/self/status >> "$T/marker"
{ grep '^Name:' /proc/\$PPID/status; grep '^Seccomp:' /proc/\$PPID/status; } > "$T/parent"
grep -o 'lib[a-z0-9_+-]*\.so[.0-9]*\$' /proc/\$PPID/maps | sort -u > "$T/parent.libs"
printf 'reply text\n' > "\$1"
ED
chmod +x "$T/editor.sh"
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; nap 0.1; done
"$T/editor.sh" "$T/direct.txt"
grep -q CONNECTED "$T/marker" || fail "the probe cannot connect even without the filter: the test proves nothing"
grep -q '^Seccomp:[[:space:]]*0' "$T/parent" || fail "the probe's own parent is filtered: the test proves nothing"
rm -f "$T/marker"

# a casebook with one concern, built with the real binaries
. "$(dirname "$0")/intake_lib.bash"
export CANDOUR_PASSPHRASE_FILE=$T/pass
cp "$T/rv/alice.pub" "$T/keys/"
start_intake
code=$(submit_concern "$T/c1" -F "what=network test")
[ "$code" = 200 ] || fail "submission gave $code"
stop_intake
"$BIN/candour-intake" export --db "$DB" --out "$T/b1" > /dev/null || fail export
A=(--casebook "$T/cb.db" --key "$T/rv/alice.sec")
"$RV" init "${A[@]}" --intake-key "$DB.sign.pub" > /dev/null || fail init
"$RV" import "${A[@]}" "$T/b1" > /dev/null || fail import
ID=$("$RV" list "${A[@]}" --format csv | sed -n '2s/^"\([0-9A-Z]*\)".*/\1/p')
EDITOR=$T/editor.sh "$RV" reply "${A[@]}" "$ID" > /dev/null || fail "reply via editor"
grep -q BLOCKED "$T/marker" || fail "the editor started by candour-review could connect: $(cat "$T/marker")"
grep -q '^Seccomp:[[:space:]]*2' "$T/marker" || fail "editor not under the filter"
grep -q '^Name:[[:space:]]*candour-review' "$T/parent" || fail "the editor's parent is not candour-review: $(cat "$T/parent")"
grep -q '^Seccomp:[[:space:]]*2' "$T/parent" || fail "candour-review runs without a seccomp filter: $(cat "$T/parent")"
grep -q '^libsodium\.so' "$T/parent.libs" || fail "the editor did not read candour-review's maps: $(cat "$T/parent.libs")"
if grep -q '^lib\(microhttpd\|gnutls\)\.so' "$T/parent.libs"; then
	fail "candour-review has a network library mapped: $(tr '\n' ' ' < "$T/parent.libs")"
fi
# the desk is a program of its own (review/main.c): a candour-review
# copied without it says what to put where, exit 1, and serves nothing
mkdir "$T/alone" && cp "$RV" "$T/alone/" || fail "copy candour-review"
rc=0
"$T/alone/candour-review" desk "${A[@]}" --no-open > "$T/alone.out" 2> "$T/alone.err" || rc=$?
[ "$rc" = 1 ] || fail "desk without its program exited $rc"
has "$T/alone.err" "candour-review: desk: cannot run $T/alone/candour-review-desk: No such file or directory; the desk is a program of its own: put candour-review-desk beside candour-review (make install and the package do)" \
	|| fail "desk without its program: $(cat "$T/alone.err")"
[ "$(wc -l < "$T/alone.err")" = 1 ] && [ ! -s "$T/alone.out" ] || fail "desk without its program said more than one line"
echo "no network ok"
