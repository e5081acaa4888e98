#!/usr/bin/env bash
# docs/ADMIN.md, run (issue 15): every command of every ```sh block is taken
# from the guide itself and run on this machine, as the README's walk-through
# is (70). A block says how with <!-- admin-test: run --> and
# <!-- admin-test: skip "PREFIX" -- REASON --> lines before it: a command
# that neither runs nor is skipped fails the test, so a new command in the
# guide must be tested or explicitly skipped. Skipped commands (systemd,
# apt, installing the package) print their reason, and the local
# equivalent runs instead: systemd-analyze verify on the unit, serve started
# and stopped as the unit runs it, tor with DisableNetwork 1 and no ports.
# The guide's paths live under $ROOT: /var/lib/candour, /etc/candour,
# /etc/tor, /var/lib/tor/candour; `sudo -u candour` is dropped (the store
# runs as nobody under root, as the other tests do); ~ is a temp home.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
ADMIN=$REPO/docs/ADMIN.md
ROOT=$T/root
export HOME=$T/home PATH="$BIN:$PATH"
export CANDOUR_PASSPHRASE_FILE=$T/pass
export CANDOUR_RCPT_KDF=min CANDOUR_TEST_WEAK_KDF=1 # receipts are not under test here
printf 'maple orbit candle ferry quartz\n' > "$T/pass"
mkdir -p "$HOME/candour-keys" "$ROOT/etc/candour/keys" "$ROOT/etc/tor" "$ROOT/var/lib/tor" "$T/work"
data_dir "$ROOT/var/lib/candour"
chmod 700 "$ROOT/var/lib/tor"
SVC_USER=$(id -un); user=()
[ "$(id -u)" -eq 0 ] && { SVC_USER=nobody; user=(--user nobody); }
cat > "$ROOT/etc/tor/torrc" <<TORRC
DataDirectory $ROOT/var/lib/tor
DisableNetwork 1
SocksPort 0
ControlPort 0
Log notice file $T/tor.log
TORRC

python3 - "$ADMIN" "$T" > "$T/admin.sh" <<'PY' || fail "cannot extract the guide's commands"
import re, sys
text, T = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
subst = [("sudo -u candour ", ""), ("/var/lib/tor/candour", "$ROOT/var/lib/tor/candour"),
         ("/var/lib/candour", "$ROOT/var/lib/candour"), ("/etc/candour", "$ROOT/etc/candour"),
         ("/etc/tor", "$ROOT/etc/tor"), ("~/", "$HOME/"), ("candour:candour", "$SVC_USER"),
         ("backup-2026-12-05.db", "backup-$(date -u +%F).db")]
out, ran, skipped, plain = [], 0, 0, 0
lines = text.split("\n")
i = 0
while i < len(lines):
    m = re.match(r"\s*```(\w*)\s*$", lines[i])
    if not m:
        i += 1
        continue
    lang, start = m.group(1), i
    j = i + 1
    while not re.match(r"\s*```\s*$", lines[j]):
        j += 1
    body = lines[i + 1:j]
    # the directives just above the block
    k, run, skips = start - 1, False, []
    while k >= 0 and lines[k].strip().startswith("<!-- admin-test:"):
        d = lines[k].strip()[len("<!-- admin-test:"):-len("-->")].strip()
        if d == "run":
            run = True
        else:
            sm = re.match(r'skip "([^"]+)" -- (.+)$', d)
            if not sm:
                sys.exit("bad directive at line %d: %s" % (k + 1, d))
            skips.append((sm.group(1), sm.group(2)))
        k -= 1
    if lang != "sh":
        plain += 1  # shown text (unit lines, torrc lines): kept for the checks below
        open("%s/plain-%d.txt" % (T, plain), "w").write("\n".join(l.strip() for l in body) + "\n")
        i = j + 1
        continue
    if not run and not skips:
        sys.exit("the sh block at line %d has no admin-test directive" % (start + 1))
    cmd = ""
    for line in body:
        line = line.strip()
        if cmd:
            line = cmd + " " + line
            cmd = ""
        if line.endswith("\\"):
            cmd = line[:-1].strip()
            continue
        c = re.search(r"(\s+#\s|^#)", line)  # a comment (no command quotes a #)
        code = (line[: c.start()] if c else line).strip()
        if not code:
            continue
        sk = [s for s in skips if code.startswith(s[0])]
        if sk:
            skipped += 1
            out.append("admin_skip %s %s" % (repr(code), repr(sk[0][1])))
            continue
        if not run:
            sys.exit("line %d: '%s' is neither run nor skipped" % (start + 1, code))
        for a, b in subst:
            code = code.replace(a, b)
        ran += 1
        out.append("admin_run %s" % repr(code))
    i = j + 1
print("\n".join(out))
print("ADMIN_RAN=%d ADMIN_SKIPPED=%d ADMIN_PLAIN=%d" % (ran, skipped, plain))
PY

# serve as the unit runs it (paths under $ROOT, a free port); stop it again
SERVE_PID=""
service_start() {
	service_stop # one intake at a time on the database
	local port; port=$(free_port)
	SVC_URL=http://127.0.0.1:$port
	(cd "$ROOT/var/lib/candour" && exec candour-intake serve --db "$ROOT/var/lib/candour/intake.db" \
		--keys "$ROOT/etc/candour/keys" --web "$REPO/web" --listen "127.0.0.1:$port" "${user[@]}") \
		2>> "$T/serve.err" &
	SERVE_PID=$!
	echo "$SERVE_PID" > "$T/svc.pid" # the guide runs in a subshell: stopped from outside too
	wait_http "$SVC_URL/"
}
service_stop() {
	[ -z "$SERVE_PID" ] || { kill -TERM "$SERVE_PID"; wait "$SERVE_PID" || true; SERVE_PID=""; }
	: > "$T/svc.pid"
}

# what must be in place before a command, as the guide's prose says
admin_before() {
	case "$1" in
	"candour-intake keys --db "*"--keys "*) # the .pub files copied in, the service started once
		cp "$HOME/candour-keys/alice.pub" "$ROOT/etc/candour/keys/"
		[ -f "$ROOT/var/lib/candour/contacts.txt" ] ||
			echo "out_of_hours = 0306 999 0123" > "$ROOT/var/lib/candour/contacts.txt"
		service_start; service_stop ;;
	"candour-intake backup "*) # while it serves and concerns arrive
		service_start; URL=$SVC_URL
		[ "$(submit_concern "$T/c1" -F "what=Before the backup.")" = 200 ] || fail "submission failed" ;;
	"cp backup-"*) cd "$ROOT/var/lib/candour" ;;
	"candour-intake keys --db "*) # without --keys: what the running serve holds
		[ -n "$SERVE_PID" ] || service_start ;;
	esac
}
admin_after() {
	case "$1" in
	"candour-intake onion "*) # the guide's HiddenServiceDir, moved under $ROOT
		sed -i "s|^HiddenServiceDir /var/lib/tor/candour/|HiddenServiceDir $ROOT/var/lib/tor/candour/|" \
			"$ROOT/etc/tor/candour.conf" ;;
	esac
}
admin_run() {
	admin_before "$1"
	echo "+ $1"
	eval "$1" || fail "ADMIN.md: '$1' failed"
	admin_after "$1"
}
# a skipped command: its reason, then the local equivalent
admin_skip() {
	echo "admin guide: SKIP '$1': $2"
	case "$1" in
	"systemctl edit"*)
		if command -v systemd-analyze > /dev/null; then
			mkdir -p "$T/unit"
			sed -e "s|/usr/bin/candour-intake|$BIN/candour-intake|" -e '/^Documentation=/d' \
				"$REPO/debian/candour.candour-intake.service" > "$T/unit/candour-intake.service"
			systemd-analyze verify "$T/unit/candour-intake.service" > "$T/verify" 2>&1 ||
				fail "systemd-analyze verify: $(cat "$T/verify")"
		else
			echo "admin guide: no systemd-analyze here (package systemd)"
		fi ;;
	"systemctl enable"*|"systemctl start"*) service_start ;;
	"systemctl stop"*) service_stop ;;
	"sudo systemctl reload"*) # a reviewer added, SIGHUP to the running serve
		[ -n "$SERVE_PID" ] || service_start
		mkdir -p "$T/bob"; CANDOUR_PASSPHRASE_FILE=$T/pass candour-review keygen --name bob --out "$T/bob" \
			--kdf interactive > /dev/null || fail "keygen bob"
		cp "$T/bob/bob.pub" "$ROOT/etc/candour/keys/"
		kill -HUP "$SERVE_PID"
		for _ in $(seq 1 100); do has "$T/serve.err" 'reloaded --keys' && break; nap 0.1; done
		grep -q 'reloaded --keys: 2 reviewer key' "$T/serve.err" || fail "SIGHUP did not reload: $(tail -n 2 "$T/serve.err")" ;;
	"sudo journalctl"*) tail -n 1 "$T/serve.err" ;;
	"systemctl restart tor"*)
		command -v tor > /dev/null || fail "tor is not installed (scripts/deps.sh check installs it)"
		tor --defaults-torrc /dev/null -f "$ROOT/etc/tor/torrc" > /dev/null 2>&1 &
		local tor=$!
		track_pid "$tor"
		for _ in $(seq 1 100); do [ -s "$ROOT/var/lib/tor/candour/hostname" ] && break; nap 0.1; done
		kill_pid "$tor"
		grep -q 'DisableNetwork is set' "$T/tor.log" || fail "tor did not run with its network off" ;;
	esac
}

# in a subshell: a failing command's message lands in admin.out, shown here
# shellcheck disable=SC1090
(cd "$T/work" && . "$T/admin.sh" && service_stop) > "$T/admin.out" 2>&1 || {
	p=$(cat "$T/svc.pid" 2>/dev/null || true); [ -z "$p" ] || kill_pid "$p"
	fail "the guide failed: $(tail -n 20 "$T/admin.out")"
}
eval "$(tail -n 1 "$T/admin.sh")" # ADMIN_RAN, ADMIN_SKIPPED, ADMIN_PLAIN
grep '^admin guide: SKIP' "$T/admin.out" || true
[ "$ADMIN_RAN" -ge 10 ] && [ "$ADMIN_SKIPPED" -ge 5 ] || fail "only $ADMIN_RAN commands run, $ADMIN_SKIPPED skipped"

# what the commands printed is what the guide says they print
grep -q '^fingerprint: ' "$T/admin.out" || fail "keygen printed no fingerprint"
fpr=$(sed -n 's/^fingerprint: \([A-Z0-9-]*\).*/\1/p' "$T/admin.out" | head -n 1)
grep -Eq "^reviewer: $fpr +alice|^reviewer: .*$fpr.*alice" "$T/admin.out" || fail "keys did not list alice's fingerprint $fpr: $(grep reviewer "$T/admin.out")"
grep -q '^intake signing key: ' "$T/admin.out" || fail "keys did not print the intake's fingerprint"
grep -Eqx '[a-z2-7]{56}\.onion' "$T/admin.out" || fail "cat hostname printed no onion address"
grep -q "$(cat "$ROOT/var/lib/tor/candour/hostname")" "$T/work/poster.svg" || fail "the poster lacks the onion address"
grep -q '0306.999.0123' "$T/work/poster.svg" || fail "the poster lacks the contacts file's number"
grep -qx 'chain: verified' "$T/admin.out" || fail "the restored intake's status is not verified"
ls "$ROOT/var/lib/candour/"backup-*.db > /dev/null || fail "no backup file"
# the shown blocks: the unit's ExecStart, and torrc lines the command writes
unit_exec=$(sed -n 's/^ExecStart=\/usr\/bin\///p' "$REPO/debian/candour.candour-intake.service")
doc_exec=$(grep -h '^candour-intake serve' "$T"/plain-*.txt | sed 's/ *\\$//' | head -n 1)
doc_exec="$doc_exec $(grep -h -A1 '^candour-intake serve' "$T"/plain-*.txt | tail -n 1)"
[ "$(echo $doc_exec)" = "$(echo $unit_exec)" ] || fail "the guide's ExecStart differs from the unit's: '$doc_exec' vs '$unit_exec'"
torrc=$(grep -l '^HiddenServicePort' "$T"/plain-*.txt) || fail "no torrc block in the guide"
sed "s|$ROOT/var/lib/tor/candour/|/var/lib/tor/candour/|" "$ROOT/etc/tor/candour.conf" > "$T/gen.conf"
while read -r l; do
	case "$l" in ''|'#'*) continue ;; esac
	if [ "$l" = "HiddenServicePoWDefensesEnabled 1" ] && ! tor --list-torrc-options | grep -qx HiddenServicePoWDefensesEnabled; then
		continue # this tor has no proof-of-work: the command writes it commented out
	fi
	grep -qxF "$l" "$T/gen.conf" || fail "the guide shows '$l', the command did not write it"
done < "$torrc"
echo "admin guide: ok ($ADMIN_RAN commands run, $ADMIN_SKIPPED skipped with their reasons)"
