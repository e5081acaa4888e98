#!/usr/bin/env bash
# make run (scripts/demo-run.sh): when its port is busy it takes the next
# free one, it starts as a demo (no contacts file needed), and the reviewer
# commands it prints, run as printed, read the concern a reporter sent.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"

busy=$(free_port)
python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); print("ready", flush=True); time.sleep(120)' \
	"$busy" > "$T/holder" &
holder=$!; track_pid "$holder"
for _ in $(seq 1 100); do has "$T/holder" ready && break; nap 0.1; done

mkdir -p "$T/run"
ln -s "$BIN" "$T/run/build"
(cd "$T/run" && CANDOUR_DEMO_PORT=$busy exec sh "$REPO/scripts/demo-run.sh" build) >"$T/out" 2>&1 &
demo=$!; track_pid "$demo"
for _ in $(seq 1 200); do has "$T/out" "Open http" && break; nap 0.1; done
port=$(sed -n 's|.*Open http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$T/out")
[ -n "$port" ] || fail "no address announced: $(cat "$T/out")"
[ "$port" != "$busy" ] || fail "announced the busy port $busy"
grep -q "port $busy is busy" "$T/out" || fail "did not say the port was busy"
URL=http://127.0.0.1:$port
wait_http "$URL/"
code=$(submit_concern "$T/c.html" -F "what=the demo concern" -F risk=yes)
[ "$code" = 200 ] || fail "submit gave $code"
grep -q 'href="tel:03000000000"' "$T/c.html" || fail "the demo does not show its placeholder number"
# every page says it is a demo, at its top, in both languages
grep -q '<p class="demo"><strong>DEMONSTRATION ONLY' "$T/c.html" || fail "the receipt page does not say it is a demo"
curl -s -o "$T/home.html" "$URL/"
grep -q '<p class="demo"><strong>DEMONSTRATION ONLY: do not send a real concern here' "$T/home.html" ||
	fail "the home page does not say it is a demo"
curl -s -o "$T/home-cy.html" "$URL/cy/"
grep -q '<p class="demo"><strong>ARDDANGOSIAD YN UNIG' "$T/home-cy.html" ||
	fail "the Welsh home page does not say it is a demo"

# the printed reviewer steps, run as printed (joined continuation lines)
sed -n '/To read the demo concerns/,/candour-review list/p' "$T/out" | tail -n +2 |
	sed 's/#.*$//' | sed -e :a -e '/\\$/N; s/\\\n//; ta' > "$T/steps.sh"
[ "$(grep -c candour- "$T/steps.sh")" -ge 3 ] || fail "fewer than three commands: $(cat "$T/steps.sh")"
(cd "$T/run" && bash -e "$T/steps.sh") > "$T/list" 2>"$T/steps.err" || fail "the printed steps failed: $(cat "$T/steps.err")"
[ "$(grep -cE '^[0-9A-Z]{8} ' "$T/list")" = 1 ] || fail "list after the printed steps: $(cat "$T/list")"

# Ctrl-C stops serve; the script then says the steps again
kill -INT "$(pgrep -P "$demo" -f 'candour-intake serve')" 2>/dev/null || true
for _ in $(seq 1 100); do kill -0 "$demo" 2>/dev/null || break; nap 0.1; done
[ "$(grep -c "To read the demo concerns" "$T/out")" = 2 ] || fail "steps not repeated after stopping"
echo "74-demo-run: ok"
