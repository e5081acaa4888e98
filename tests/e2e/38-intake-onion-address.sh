#!/usr/bin/env bash
# The intake's own .onion address (issue 15): serve --onion-address ADDR
# (or --onion-hostname-file, Tor's HiddenServiceDir/hostname) shows it on
# the home page in both languages, and the poster prints it under the URL
# (or makes it the URL). Only a version 3 address is taken: 56 base32
# characters, ".onion", version byte 3; everything else is refused with one
# line before serve creates anything (exit 2 for a bad option, 1 for a file
# that cannot be read or holds no address; a serve that wrongly starts is
# stopped by timeout, exit 124). Addresses are made here as Tor
# makes them (key, SHA3-256 checksum, version), not copied from anywhere.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
IN="$BIN/candour-intake"

# onions VERSION...: a fresh address of each version, one a line (all by
# one python: a python3 start is ~45 ms of CPU, this was five)
onions() {
	python3 - "$@" <<'PY'
import base64, hashlib, os, sys
for a in sys.argv[1:]:
    v = int(a); pk = os.urandom(32)
    ck = hashlib.sha3_256(b".onion checksum" + pk + bytes([v])).digest()[:2]
    print(base64.b32encode(pk + ck + bytes([v])).decode().lower() + ".onion")
PY
}
mapfile -t ONIONS < <(onions 3 3 2 4 2)
[ "${#ONIONS[@]}" = 5 ] || fail "the generator made ${#ONIONS[@]} addresses"
GOOD=${ONIONS[0]} GOOD2=${ONIONS[1]}
[ ${#GOOD} = 62 ] || fail "the generator made '$GOOD'"
# empty DIR: DIR holds no file, dot files too (ls -A's test, by bash's
# glob: no process); one_line FILE: FILE is one line (wc -l's count)
empty() {
	local f
	shopt -s nullglob dotglob
	f=("$1"/*)
	shopt -u nullglob dotglob
	[ "${#f[@]}" = 0 ]
}
one_line() { local n; nlines "$1" n; [ "$n" = 1 ]; }

make_keys "$T/keys" alice
echo "out_of_hours = 0306 999 0123" > "$T/contacts.txt"
user=(); [ "$EUID" -eq 0 ] && user=(--user nobody)
W=$T/w; data_dir "$W"
port=$(free_port)

# Refused addresses: serve exits 2 with one line and creates nothing.
bad_addrs=(
	"${GOOD%.onion}"                               # no .onion
	"${GOOD:1}"                                    # 55 characters
	"a$GOOD"                                       # 57 characters
	"${GOOD^^}"                                    # upper case
	"${GOOD:0:10}1${GOOD:11}"                      # 1 is not base32
	"${GOOD:0:10}8${GOOD:11}"                      # nor is 8
	"${GOOD%.onion}.onion."                        # trailing dot
	"${GOOD%.onion}.onio"                          # short suffix
	"http://$GOOD"                                 # a URL, not an address
	"${ONIONS[2]}"                                 # version byte 2
	"${ONIONS[3]}"                                 # version byte 4
	"expyuzz4wqqyqhjn.onion"                       # a version 2 address (16 characters)
	""                                             # empty
	"${GOOD:0:30} ${GOOD:31}"                      # a space
	"${GOOD%.onion}.onion
HiddenServiceDir /tmp"                                 # a second line
)
for a in "${bad_addrs[@]}"; do
	set +e
	(cd "$W" && exec timeout 30 "$IN" serve --db intake.db --keys "$T/keys" --contacts "$T/contacts.txt" \
		--listen "127.0.0.1:$port" --onion-address "$a" "${user[@]}") >/dev/null 2>"$T/err"
	rc=$?
	set -e
	[ "$rc" = 2 ] || fail "serve --onion-address '$a' exited $rc: $(cat "$T/err")"
	one_line "$T/err" || fail "serve --onion-address '$a': $(cat "$T/err")"
	has "$T/err" "onion address" || fail "message for '$a': $(cat "$T/err")"
	empty "$W" || fail "a refused onion address left files: $(ls -A "$W")"
	set +e
	"$IN" poster --demo --url https://example.org/ --onion-address "$a" --out "$T/bad.svg" 2>"$T/err"
	rc=$?
	set -e
	[ "$rc" = 2 ] && [ ! -e "$T/bad.svg" ] || fail "poster --onion-address '$a' exited $rc"
	one_line "$T/err" || fail "poster --onion-address '$a': $(cat "$T/err")"
done
# both options at once, and hostname files that hold no address: refused
echo "$GOOD" > "$T/hostname"
set +e
(cd "$W" && exec timeout 30 "$IN" serve --db intake.db --keys "$T/keys" --contacts "$T/contacts.txt" \
	--listen "127.0.0.1:$port" --onion-address "$GOOD" --onion-hostname-file "$T/hostname" \
	"${user[@]}") >/dev/null 2>"$T/err"
[ $? = 2 ] && grep -q "not both" "$T/err" || fail "both options: $(cat "$T/err")"
"$IN" poster --demo --onion-address "$GOOD" --onion-hostname-file "$T/hostname" --out "$T/bad.svg" 2>"$T/err"
[ $? = 2 ] && grep -q "not both" "$T/err" || fail "poster, both options: $(cat "$T/err")"
set -e
printf '%s\n%s\n' "$GOOD" "$GOOD2" > "$T/h-two"
printf '%s\n\n' "$GOOD" > "$T/h-blank"
printf '%s' "${ONIONS[4]}" > "$T/h-v2"
printf '%s\0\n' "$GOOD" > "$T/h-nul"
: > "$T/h-empty"
for f in "$T/h-two" "$T/h-blank" "$T/h-v2" "$T/h-nul" "$T/h-empty" "$T/h-missing" "$T"; do
	set +e
	(cd "$W" && exec timeout 30 "$IN" serve --db intake.db --keys "$T/keys" --contacts "$T/contacts.txt" \
		--listen "127.0.0.1:$port" --onion-hostname-file "$f" "${user[@]}") >/dev/null 2>"$T/err"
	rc=$?
	set -e
	[ "$rc" = 1 ] || fail "serve --onion-hostname-file $f exited $rc: $(cat "$T/err")"
	one_line "$T/err" && has "$T/err" "$f" || fail "hostname file $f: $(cat "$T/err")"
	empty "$W" || fail "a refused hostname file left files: $(ls -A "$W")"
	if "$IN" poster --demo --onion-hostname-file "$f" --out "$T/bad.svg" 2>/dev/null; then
		fail "poster took the hostname file $f"
	fi
done

# The home page shows the address (read from a hostname file as Tor writes
# it), in English and in Welsh, escaped as text, and nowhere else.
start_intake --onion-hostname-file "$T/hostname"
curl -s "$URL/" > "$T/home.html"
grep -q "<strong class=\"address\">$GOOD</strong>" "$T/home.html" || fail "no onion address on /"
grep -q "In Tor Browser this site is at its onion address" "$T/home.html" || fail "no English label"
curl -s "$URL/cy/" > "$T/home-cy.html"
grep -q "$GOOD" "$T/home-cy.html" || fail "no onion address on /cy/"
grep -q "Yn Tor Browser mae&#39;r safle hwn" "$T/home-cy.html" || fail "no Welsh label"
curl -s "$URL/report" > "$T/report.html"
if grep -q "$GOOD" "$T/report.html"; then fail "the address leaked onto /report"; fi
stop_intake
# ... and without one, no onion block at all
rm -rf "$T/data"
start_intake
curl -s "$URL/" > "$T/home.html"
if grep -q 'class="onion"' "$T/home.html"; then fail "an onion block without an address"; fi
stop_intake

# The poster: the onion address under the clearnet URL, or as the URL.
"$IN" poster --demo --url https://concerns.example.org/ --onion-hostname-file "$T/hostname" \
	--out "$T/both.svg" >/dev/null || fail "poster with an onion address"
"$IN" poster --demo --onion-address "$GOOD" --out "$T/only.svg" >/dev/null || fail "onion-only poster"
python3 - "$T/both.svg" "$T/only.svg" "$GOOD" <<'PY' || fail "the poster does not show the onion address"
import sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
def texts(p): return ["".join(t.itertext()) for t in ET.parse(p).getroot().iter(ns + "text")]
both, only, addr = texts(sys.argv[1]), texts(sys.argv[2]), sys.argv[3]
assert "https://concerns.example.org/" in both and addr in both, both
assert any(t.startswith("In Tor Browser") for t in both), both
assert "http://" + addr in only and addr not in only, only
assert not any(t.startswith("In Tor Browser") for t in only), only
PY
REPO=$(cd "$(dirname "$0")/../.." && pwd)
python3 "$REPO/tests/e2e/poster_ink.py" "$T/both.svg" 15 "$GOOD" >/dev/null ||
	fail "the onion poster's ink: $(python3 "$REPO/tests/e2e/poster_ink.py" "$T/both.svg" 15 "$GOOD" 2>&1 | tail -n 1)"
echo "onion address: ok"
