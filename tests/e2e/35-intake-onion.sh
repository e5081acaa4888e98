#!/usr/bin/env bash
# candour-intake onion: the torrc lines it prints are accepted by Debian's
# tor, which (with the network disabled, no SOCKS port, its own temp data
# directory) creates the onion service's keys and hostname from them;
# proof-of-work is turned on only when the tor lists the option; bad
# addresses and directories that could inject torrc lines are refused.
# Nothing leaves the machine: DisableNetwork 1 and no listener.
. "$(dirname "$0")/lib.sh"
IN="$BIN/candour-intake"

# the probe: a tor that does not list the option gets it commented out
mkdir -p "$T/fake"
printf '#!/bin/sh\nprintf "HiddenServiceDir\\nHiddenServicePort\\nHiddenServicePoWDefensesEnabledX\\n"\n' \
	> "$T/fake/tor"
chmod +x "$T/fake/tor"
"$IN" onion --listen 127.0.0.1:8080 --tor "$T/fake/tor" > "$T/old.conf" || fail "onion (old tor)"
if grep -q '^HiddenServicePoWDefensesEnabled' "$T/old.conf"; then fail "PoW emitted for a tor without it"; fi
grep -q '^# HiddenServicePoWDefensesEnabled 1$' "$T/old.conf" || fail "PoW not offered commented"
grep -q 'does not list' "$T/old.conf" || fail "the reason is missing: $(cat "$T/old.conf")"
"$IN" onion --listen 127.0.0.1:8080 --tor "$T/fake/none" > "$T/none.conf" || fail "onion (no tor)"
grep -q '^# HiddenServicePoWDefensesEnabled 1$' "$T/none.conf" || fail "PoW with no tor"
grep -q 'not found' "$T/none.conf" || fail "no-tor reason missing"
printf '#!/bin/sh\necho HiddenServicePoWDefensesEnabled; exit 1\n' > "$T/fake/tor"
"$IN" onion --listen 127.0.0.1:8080 --tor "$T/fake/tor" > "$T/bad.conf" || fail "onion (failing tor)"
if grep -q '^HiddenServicePoWDefensesEnabled' "$T/bad.conf"; then fail "trusted a tor that failed"; fi

# refusals: one line, non-zero, no file
for l in 8080 localhost:8080 127.0.0.1:0 127.0.0.1:65536 127.0.0.1: '127.0.0.1:80 x' \
	'[::1:80' 300.1.1.1:80 $'127.0.0.1:80\nHiddenServiceDir /tmp'; do
	if "$IN" onion --listen "$l" 2>"$T/err" >/dev/null; then fail "accepted --listen '$l'"; fi
	[ "$(wc -l < "$T/err")" = 1 ] || fail "--listen '$l': $(cat "$T/err")"
done
for d in relative/dir /var/lib/tor/../../etc $'/tmp/x\nSocksPort 9050' '/tmp/a b' /; do
	if "$IN" onion --listen 127.0.0.1:80 --dir "$d" 2>"$T/err" >/dev/null; then fail "accepted --dir '$d'"; fi
	[ "$(wc -l < "$T/err")" = 1 ] || fail "--dir '$d': $(cat "$T/err")"
done
"$IN" onion --listen '[::1]:8080' > /dev/null 2>"$T/err" || fail "IPv6 loopback refused"
[ ! -s "$T/err" ] || fail "a note for a loopback address: $(cat "$T/err")"
"$IN" onion --listen 192.0.2.1:80 > /dev/null 2>"$T/err" || fail "a public address refused"
grep -q 'not a loopback' "$T/err" || fail "no note for a public address"
set +e
"$IN" onion 2>/dev/null; [ $? -ne 0 ] || fail "onion without --listen"
"$IN" onion --bogus 2>/dev/null; [ $? = 2 ] || fail "unknown option must exit 2"
set -e
"$IN" onion --help | grep -q 'HiddenServicePoWDefensesEnabled' || fail "onion --help"

if ! command -v tor > /dev/null; then
	echo "onion: SKIP the tor part: tor is not installed (scripts/deps.sh check installs it)"
	echo "onion: ok (without tor)"
	exit 0
fi
tor --list-torrc-options | grep -qx HiddenServicePoWDefensesEnabled ||
	echo "onion: note: $(tor --version | head -n1) has no proof-of-work"

"$IN" onion --listen 127.0.0.1:8080 --dir "$T/hs" --out "$T/hs.conf" || fail "onion --out"
[ "$(grep -c '^HiddenServicePort 80 127.0.0.1:8080$' "$T/hs.conf")" = 1 ] || fail "port line"
if tor --list-torrc-options | grep -qx HiddenServicePoWDefensesEnabled; then
	grep -qx 'HiddenServicePoWDefensesEnabled 1' "$T/hs.conf" || fail "PoW missing for this tor"
fi
if "$IN" onion --listen 127.0.0.1:8080 --out "$T/hs.conf" 2>"$T/err"; then fail "--out replaced a file"; fi
grep -q 'already exists' "$T/err" || fail "overwrite message: $(cat "$T/err")"

cat > "$T/torrc" <<TORRC
DataDirectory $T/tordata
DisableNetwork 1
SocksPort 0
ControlPort 0
Log notice file $T/tor.log
%include $T/hs.conf
TORRC
tor --defaults-torrc /dev/null --verify-config -f "$T/torrc" > "$T/verify" 2>&1 ||
	fail "tor refused the generated lines: $(tail -n3 "$T/verify")"
# the check can fail: an option tor does not know is refused
sed 's/^HiddenServicePort/HiddenServicePortX/' "$T/hs.conf" > "$T/broken.conf"
sed "s|$T/hs.conf|$T/broken.conf|" "$T/torrc" > "$T/torrc.broken"
if tor --defaults-torrc /dev/null --verify-config -f "$T/torrc.broken" > /dev/null 2>&1; then
	fail "tor --verify-config accepted an unknown option"
fi

tor --defaults-torrc /dev/null -f "$T/torrc" > /dev/null 2>&1 &
TOR=$!
track_pid "$TOR"
for _ in $(seq 1 100); do [ -s "$T/hs/hostname" ] && break; nap 0.1; done
kill_pid "$TOR"
[ -s "$T/hs/hostname" ] || fail "tor made no hostname: $(tail -n3 "$T/tor.log")"
grep -Eqx '[a-z2-7]{56}\.onion' "$T/hs/hostname" || fail "hostname: $(cat "$T/hs/hostname")"
[ -s "$T/hs/hs_ed25519_secret_key" ] && [ -s "$T/hs/hs_ed25519_public_key" ] || fail "no keys"
[ "$(stat -c %a "$T/hs")" = 700 ] || fail "the service directory is $(stat -c %a "$T/hs")"
grep -q 'DisableNetwork is set' "$T/tor.log" || fail "tor did not say the network was off"
echo "onion: ok ($(tor --version | head -n1 | sed 's/\.$//'))"
