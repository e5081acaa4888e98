#!/usr/bin/env bash
# Privilege separation and sandbox of the http process: it holds no
# database file and no writable file, cannot dump core, has no new
# privileges, runs under seccomp and (when started as root) not as root.
# serve refuses a secret key or any other file in --keys, and an empty
# --keys. SIGTERM stops all three processes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"

# --- refusals before anything starts ---
make_keys "$T/keys" alice bob
user=(); [ "$(id -u)" -eq 0 ] && user=(--user nobody)
port=$(free_port)
refuse() { # refuse NAME KEYDIR WANT-IN-MESSAGE
	if (cd "$REPO" && "$BIN/candour-intake" serve --db "$T/r.db" --keys "$2" --listen "127.0.0.1:$port" \
		--demo "${user[@]}") 2>"$T/err"; then fail "$1: serve started"; fi
	[ "$(wc -l < "$T/err")" = 1 ] || fail "$1: not one line: $(cat "$T/err")"
	grep -q "$3" "$T/err" || fail "$1: message '$(cat "$T/err")' lacks '$3'"
}
mkdir -p "$T/k-secret" "$T/k-other" "$T/k-empty" "$T/k-dup"
cp "$T/keys/alice.pub" "$T/k-secret/"; cp "$T/secret/bob.sec" "$T/k-secret/"
refuse "secret key in --keys" "$T/k-secret" "SECRET key"
cp "$T/secret/bob.sec" "$T/k-other/bob.pub"
refuse "secret key named .pub" "$T/k-other" "SECRET key"
rm "$T/k-other/bob.pub"; echo "hello" > "$T/k-other/notes.pub"
refuse "not a key" "$T/k-other" "not a reviewer public key"
refuse "empty --keys" "$T/k-empty" "no reviewer public key"
refuse "missing --keys" "$T/nope" "nope: no such directory; give --keys the directory holding"
cp "$T/keys/alice.pub" "$T/k-dup/a.pub"; cp "$T/keys/alice.pub" "$T/k-dup/b.pub"
refuse "same key twice" "$T/k-dup" "twice"
[ ! -e "$T/r.db" ] || fail "a refused start created the database"
if [ "$(id -u)" -eq 0 ]; then
	if (cd "$REPO" && "$BIN/candour-intake" serve --db "$T/r.db" --keys "$T/keys" \
		--listen "127.0.0.1:$port" --demo) 2>"$T/err"; then fail "root without --user started"; fi
	grep -q -- "--user" "$T/err" || fail "root without --user: $(cat "$T/err")"
fi
"$BIN/candour-intake" serve --help | grep -q -- '--max-upload' || fail "serve --help"
# the test receipt KDF without the explicit test flag (issue 9)
if (cd "$REPO" && CANDOUR_RCPT_KDF=min env -u CANDOUR_TEST_WEAK_KDF "$BIN/candour-intake" serve --db "$T/r.db" --keys "$T/keys" \
	--listen "127.0.0.1:$port" --demo "${user[@]}") 2>"$T/err"; then fail "CANDOUR_RCPT_KDF=min started"; fi
[ "$(wc -l < "$T/err")" = 1 ] && grep -q 'tests only' "$T/err" || fail "weak KDF: $(cat "$T/err")"
# started as root, the store runs as --user and must own the data directory
if [ "$(id -u)" -eq 0 ]; then
	mkdir -p "$T/rootdir"
	if (cd "$REPO" && "$BIN/candour-intake" serve --db "$T/rootdir/i.db" --keys "$T/keys" \
		--listen "127.0.0.1:$port" --demo --user nobody) 2>"$T/err"; then fail "a root-owned data directory was used"; fi
	[ "$(wc -l < "$T/err")" = 1 ] || fail "owner: not one line: $(cat "$T/err")"
	grep -q "chown nobody $T/rootdir" "$T/err" || fail "owner: the message does not say what to chown: $(cat "$T/err")"
	[ ! -e "$T/rootdir/i.db" ] && [ ! -e "$T/rootdir/i.db.sign.key" ] || fail "owner: files were made"
fi
[ ! -e "$T/r.db" ] || fail "a refused start created the database"

# --- the running processes ---
start_intake
for p in "$PARENT" "$HTTP" "$STORE"; do [ -d "/proc/$p" ] || fail "process $p missing"; done
[ "$(awk '{print $4}' "/proc/$HTTP/stat")" = "$PARENT" ] || fail "http is not a child of serve"
[ "$(awk '{print $4}' "/proc/$STORE/stat")" = "$PARENT" ] || fail "store is not a child of serve"
# a request that makes the http process talk to the store, then look
submit_concern "$T/c" -F "what=privsep check" >/dev/null
if ! ls "/proc/$HTTP/fd/" >/dev/null 2>&1; then
	# not dumpable: only root may look inside the http process
	[ "$(id -u)" -ne 0 ] || fail "root cannot read /proc/$HTTP/fd"
	skip "fd checks: not root, /proc/$HTTP/fd is closed to us (the process is not dumpable)"
	stop_intake
	exit 0
fi
fds=$(ls -l "/proc/$HTTP/fd/" | awk 'NR > 1 { print $NF }')
echo "$fds" | grep -q 'intake.db' && fail "http holds the database: $fds"
for fd in /proc/$HTTP/fd/*; do
	t=$(readlink "$fd")
	case "$t" in socket:*|anon_inode:*|pipe:*|/dev/null) ;; *) fail "http holds $t" ;; esac
done
ls -l "/proc/$STORE/fd/" | grep -q 'intake.db' || fail "the store does not hold the database (test is blind)"
grep -q '^Seccomp:[[:space:]]*2' "/proc/$HTTP/status" || fail "http not under a seccomp filter"
# the store too (issue 9): seccomp, no new privileges, no core, not root
grep -q '^Seccomp:[[:space:]]*2' "/proc/$STORE/status" || fail "store not under a seccomp filter"
grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$STORE/status" || fail "store may gain privileges"
grep -q '^Max core file size *0 *0' "/proc/$STORE/limits" || fail "store may write a core file"
if [ "$(id -u)" -eq 0 ]; then
	[ "$(awk '/^Uid:/ { print $2 }' "/proc/$STORE/status")" = "$(id -u nobody)" ] ||
		fail "the store does not run as --user"
	[ "$(stat -c %u "$DB")" = "$(id -u nobody)" ] || fail "the database is not the store user's"
	[ "$(stat -c %u "$DB.sign.key")" = 0 ] || fail "the signing key left root"
fi
grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$HTTP/status" || fail "http may gain privileges"
[ "$(grep -c . "/proc/$HTTP/limits")" -gt 0 ] && grep -q '^Max core file size *0 *0' "/proc/$HTTP/limits" \
	|| fail "http may write a core file"
if [ "$(id -u)" -eq 0 ]; then
	uid=$(awk '/^Uid:/ { print $2 }' "/proc/$HTTP/status")
	[ "$uid" != 0 ] || fail "http still runs as root"
	# not dumpable: /proc/PID files belong to root, not to the process's user
	[ "$(stat -c %u "/proc/$HTTP/environ")" = 0 ] || fail "http is dumpable"
fi

# SIGTERM: all three end
stop_intake
sleep 0.2
for p in "$HTTP" "$STORE"; do
	if [ -d "/proc/$p" ] && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null; then
		fail "process $p still running after SIGTERM"
	fi
done

# SIGINT too, and the data survives a restart
start_intake
[ "$(count_records)" = 1 ] || fail "record lost across restart"
kill -INT "$PARENT"; wait "$PARENT" || true
sleep 0.2
[ ! -d "/proc/$HTTP" ] || grep -q '^State:.*Z' "/proc/$HTTP/status" || fail "http survived SIGINT"

# a store killed by a signal prints nothing itself: serve names the signal
# (it said "see its message above", with no message above)
start_intake
kill -KILL "$STORE"
if wait "$PARENT"; then fail "serve exited 0 after its store was killed"; fi
grep -q '^candour-intake: serve: the store process was killed by signal 9; stopping$' "$T/serve.err" ||
	fail "store killed: serve said: $(cat "$T/serve.err")"
! grep -q 'see its message above' "$T/serve.err" || fail "store killed: serve points at a message that is not there"
sleep 0.2
[ ! -d "/proc/$HTTP" ] || grep -q '^State:.*Z' "/proc/$HTTP/status" || fail "http survived its store"
echo "processes OK"
