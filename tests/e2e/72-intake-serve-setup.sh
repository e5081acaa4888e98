#!/usr/bin/env bash
# A newcomer's first start of serve (issue 10). A serve that fails (empty
# --keys, busy port, unknown --user, no contacts file, the placeholder
# number) creates nothing: no database, no signing key. A typo in --db
# beside an intake is refused. A new intake says so with its fingerprint.
# The binary finds the web/ of its tree from any directory; when none is
# found the error names every path tried. The numbers a reporter at risk
# sees are the deployment's, from the contacts file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"

make_keys "$T/keys" alice
user=(); [ "$(id -u)" -eq 0 ] && user=(--user nobody)
W=$T/walk; mkdir -p "$T/empty"; data_dir "$W" # the store (as nobody) must own it
echo "out_of_hours = 0306 999 0123" > "$W/contacts.txt"
port=$(free_port)

nothing_created() { # $1 = case
	local left; left=$(cd "$W" && ls -A | grep -v '^contacts.txt$' || true)
	[ -z "$left" ] || fail "$1: a failed serve left files behind: $left"
}
# refuse CASE WANT-IN-MESSAGE serve-args...: run from $W (not the tree)
refuse() {
	local name=$1 want=$2; shift 2
	if (cd "$W" && "$BIN/candour-intake" serve "$@") >"$T/out" 2>"$T/err"; then
		fail "$name: serve started"
	fi
	grep -q -- "$want" "$T/err" || fail "$name: message '$(cat "$T/err")' lacks '$want'"
	if grep -q "serving" "$T/err"; then fail "$name: announced that it serves: $(cat "$T/err")"; fi
	nothing_created "$name"
}

refuse "empty --keys" "no reviewer public key" --db intake.db --keys "$T/empty" \
	--listen "127.0.0.1:$port" "${user[@]}"
refuse "unknown --user" "no such user" --db intake.db --keys "$T/keys" \
	--listen "127.0.0.1:$port" --user nobdy
refuse "root as --user" "not root" --db intake.db --keys "$T/keys" \
	--listen "127.0.0.1:$port" --user root
# a busy port: a listener of our own holds it
python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); print("ready", flush=True); time.sleep(60)' \
	"$port" > "$T/holder" &
holder=$!; track_pid "$holder"
for _ in $(seq 1 100); do has "$T/holder" ready && break; nap 0.1; done
refuse "busy port" "cannot listen" --db intake.db --keys "$T/keys" --listen "127.0.0.1:$port" "${user[@]}"
kill_pid "$holder"

# a typo in --db's directory: said as such (the contacts file is looked for
# there, and was what serve complained of), nothing created
refuse "--db in a missing directory" "the directory of --db intaek/intake.db does not exist" \
	--db intaek/intake.db --keys "$T/keys" --listen "127.0.0.1:$port" "${user[@]}"
[ ! -e "$W/intaek" ] || fail "the missing --db directory was made"

# the numbers for a reporter at risk: no file, the placeholder, garbage
mv "$W/contacts.txt" "$T/contacts.good"
refuse "no contacts file" "no contacts file" --db intake.db --keys "$T/keys" \
	--listen "127.0.0.1:$port" "${user[@]}"
echo "out_of_hours = 0300 000 0000" > "$W/contacts.txt"
refuse "placeholder number" "placeholder number 0300 000 0000" --db intake.db --keys "$T/keys" \
	--listen "127.0.0.1:$port" "${user[@]}"
echo "out_of_hours = call the office" > "$W/contacts.txt"
refuse "not a number" "not digits" --db intake.db --keys "$T/keys" --listen "127.0.0.1:$port" "${user[@]}"
echo "out_of_hour = 0306 999 0123" > "$W/contacts.txt"
refuse "unknown key" "a key other than" --db intake.db --keys "$T/keys" --listen "127.0.0.1:$port" "${user[@]}"
rm "$W/contacts.txt"
refuse "--contacts missing file" "no contacts file" --db intake.db --keys "$T/keys" \
	--contacts "$T/nope.txt" --listen "127.0.0.1:$port" "${user[@]}"

# web/: found from a directory outside the tree; a copy of the binary with
# no web/ anywhere near it names every path it tried
mkdir -p "$T/lonely/bin"
cp "$BIN/candour-intake" "$T/lonely/bin/"
if (cd "$W" && "$T/lonely/bin/candour-intake" serve --db intake.db --keys "$T/keys" \
	--listen "127.0.0.1:$port" "${user[@]}") 2>"$T/err"; then fail "no web/ anywhere: started"; fi
for p in "$T/lonely/web" "$T/lonely/share/candour/web" "/share/candour/web" "$W/web;"; do
	grep -qF -- "$p" "$T/err" || fail "no web/: '$p' not among the paths tried: $(cat "$T/err")"
done
nothing_created "no web/ anywhere"
if (cd "$W" && "$T/lonely/bin/candour-intake" serve --db intake.db --keys "$T/keys" \
	--listen "127.0.0.1:$port" --web "$T/nowhere" "${user[@]}") 2>"$T/err"; then
	fail "a missing --web started"
fi
grep -q "from $T/nowhere" "$T/err" || fail "--web missing: $(cat "$T/err")"
nothing_created "missing --web"

# laid out as make install lays it out (PREFIX/bin, PREFIX/share/candour/web),
# a copy finds its web/ from anywhere, with no tree near it
mkdir -p "$T/prefix/bin" "$T/prefix/share/candour/web"
cp "$BIN/candour-intake" "$T/prefix/bin/"
cp -R "$REPO/web/." "$T/prefix/share/candour/web/"
(cd "$W" && exec "$T/prefix/bin/candour-intake" serve --db intake.db --keys "$T/keys" \
	--listen "127.0.0.1:$port" --demo "${user[@]}") 2>"$T/inst.err" &
pid=$!; track_pid "$pid"
wait_http "http://127.0.0.1:$port/"
kill_pid "$pid"
rm -f "$W"/intake.db*

# a demo starts without a contacts file, and says it is one
(cd "$W" && exec "$BIN/candour-intake" serve --db intake.db --keys "$T/keys" \
	--listen "127.0.0.1:$port" --demo "${user[@]}") 2>"$T/demo.err" &
pid=$!; track_pid "$pid"
wait_http "http://127.0.0.1:$port/"
kill_pid "$pid"
grep -q "DEMO" "$T/demo.err" || fail "--demo does not say so: $(cat "$T/demo.err")"
rm -f "$W"/intake.db*

# the first real start: a new intake, said once, with its fingerprint
cp "$T/contacts.good" "$W/contacts.txt"
URL=http://127.0.0.1:$port
(cd "$W" && exec "$BIN/candour-intake" serve --db intake.db --keys "$T/keys" \
	--listen "127.0.0.1:$port" "${user[@]}") 2>"$T/serve.err" &
PARENT=$!; track_pid "$PARENT"
wait_http "$URL/"
grep -Eq "^candour-intake: serve: new intake: created intake.db and its signing key, fingerprint [0-9A-Z]{4}(-[0-9A-Z]{4}){3}" \
	"$T/serve.err" || fail "no new-intake line: $(cat "$T/serve.err")"
[ -f "$W/intake.db.sign.key" ] && [ -f "$W/intake.db.sign.pub" ] || fail "no signing key beside the db"
[ "$(grep -c "new intake" "$T/serve.err")" = 1 ] || fail "new intake said twice"
if grep -q DEMO "$T/serve.err"; then fail "a real start says DEMO"; fi

# the reporter at risk sees the deployment's number, dialled as digits
submit_concern "$T/c.html" -F risk=yes -F "what=a concern" >/dev/null
grep -q 'href="tel:03069990123"' "$T/c.html" || fail "the tel: link is not the deployment's number"
grep -q "Children's services out of hours: 0306.999.0123" "$T/c.html" ||
	grep -q "out of hours: 0306" "$T/c.html" || fail "the number is not shown"
if grep -q "0300" "$T/c.html"; then fail "the placeholder number reached a reporter"; fi
grep -q 'href="tel:999"' "$T/c.html" || fail "police 999 missing"
grep -q 'href="tel:101"' "$T/c.html" || fail "police 101 missing"
stop_intake

# the second start of the same intake: not new
(cd "$W" && exec "$BIN/candour-intake" serve --db intake.db --keys "$T/keys" \
	--listen "127.0.0.1:$port" "${user[@]}") 2>"$T/serve2.err" &
PARENT=$!; track_pid "$PARENT"
wait_http "$URL/"
stop_intake
if grep -q "new intake" "$T/serve2.err"; then fail "an existing intake announced as new"; fi

# a typo in --db beside an intake: refused, nothing created
before=$(cd "$W" && ls -A)
if (cd "$W" && "$BIN/candour-intake" serve --db intkae.db --keys "$T/keys" \
	--listen "127.0.0.1:$port" "${user[@]}") 2>"$T/err"; then fail "a typo in --db started a new intake"; fi
grep -q "does not exist, but .* holds the intake of intake.db" "$T/err" || fail "typo: $(cat "$T/err")"
[ "$(cd "$W" && ls -A)" = "$before" ] || fail "the refused typo created files"
echo "72-intake-serve-setup: ok"
