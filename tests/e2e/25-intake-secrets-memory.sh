#!/usr/bin/env bash
# Secrets stay where they are needed: the TLS private key lives in the
# http process only (the store and the waiting parent never hold it), the
# intake's signing key is in none of the three running processes (it
# signs exports, which are offline commands), and once a concern or a
# follow-up is sent, neither its text nor the receipt is left in the http
# process's memory. Reads each process's memory
# through /proc/PID/mem, so it needs root; otherwise it is skipped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
[ "$(id -u)" -eq 0 ] || { skip "not root: process memory is closed to us"; exit 0; }
command -v openssl >/dev/null || { skip "openssl not installed"; exit 0; }
command -v python3 >/dev/null || { skip "python3 not installed"; exit 0; }
# A sanitizer build maps terabytes of shadow memory and keeps freed blocks
# in quarantine: scanning it is neither feasible nor meaningful.
if grep -qa __asan_init "$BIN/candour-intake"; then skip "sanitizer build"; exit 0; fi
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
	-keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null || fail "openssl could not make a certificate"
chmod 600 "$T/key.pem"

# holds PID NEEDLE-FILE: true when the process's memory contains the bytes
cat > "$T/scan.py" <<'EOF'
import re, sys
pid, needle = sys.argv[1], open(sys.argv[2], 'rb').read()
assert len(needle) >= 16
found = False
with open(f'/proc/{pid}/maps') as maps, open(f'/proc/{pid}/mem', 'rb', 0) as mem:
    for line in maps:
        m = re.match(r'([0-9a-f]+)-([0-9a-f]+) r', line)
        if not m or '[vvar]' in line or '[vsyscall]' in line:
            continue
        a, b = int(m.group(1), 16), int(m.group(2), 16)
        if b - a > 1 << 30:
            continue
        try:
            mem.seek(a)
            if needle in mem.read(b - a):
                found = True
                break
        except OSError:
            pass
sys.exit(0 if found else 1)
EOF
holds() { python3 "$T/scan.py" "$1" "$2"; }

# the key's longest base64 line (64 characters of the PEM body)
grep -v -- '-----' "$T/key.pem" | head -n1 | tr -d '\n' > "$T/tls-needle"
[ "$(wc -c < "$T/tls-needle")" -ge 32 ] || fail "cannot take a line of the key"

make_keys "$T/keys" alice bob
port=$(free_port)
DATA=$T/data; DB=$DATA/intake.db; data_dir "$DATA"
(cd "$REPO" && exec "$BIN/candour-intake" serve --db "$DB" --keys "$T/keys" --listen "127.0.0.1:$port" \
	--tls-cert "$T/cert.pem" --tls-key "$T/key.pem" --demo --pidfile "$T/pids" --user nobody) 2>"$T/serve.err" &
PARENT=$!; track_pid "$PARENT"
URL=https://127.0.0.1:$port
for _ in $(seq 1 100); do curl -sk -o /dev/null --max-time 1 "$URL/" && break; nap 0.1; done
read -r _ HTTP STORE < "$T/pids"
code=$(curl -s --cacert "$T/cert.pem" -o /dev/null -w '%{http_code}' "$URL/")
[ "$code" = 200 ] || fail "HTTPS home gave $code"

# the test can see: the http process does hold the key it serves with
holds "$HTTP" "$T/tls-needle" || fail "the TLS key is not found in the http process (test is blind)"
if holds "$STORE" "$T/tls-needle"; then fail "the store process holds the TLS private key"; fi
if holds "$PARENT" "$T/tls-needle"; then fail "the parent process holds the TLS private key"; fi

# the signing key's secret bytes (the 32-byte seed after the 8-byte header)
tail -c +9 "$DB.sign.key" | head -c 32 > "$T/sign-needle"
for p in "$PARENT" "$HTTP" "$STORE"; do
	if holds "$p" "$T/sign-needle"; then fail "process $p holds the intake signing key"; fi
done

# leaves_nothing CURL-OPTIONS...: a concern as a browser sends it (CRLF
# line ends, which the intake folds to LF in place), then back with the
# receipt for a follow-up message and leave; afterwards neither the texts
# nor the receipt (as shown or as typed) is in the http process's memory.
leaves_nothing() {
	local tls=("$@") tok code receipt typed
	curl -s "${tls[@]}" -o "$T/form.html" "$URL/report"
	tok=$(csrf_of "$T/form.html")
	for i in $(seq 1 60); do printf 'line %d of the concern\r\n' "$i"; done > "$T/what.txt"
	printf 'Final sentence of the concern that must not stay' >> "$T/what.txt"
	code=$(curl -s "${tls[@]}" -o "$T/c" -w '%{http_code}' -F "csrf=$tok" -F category=recording \
		-F risk=no -F raised_before=no -F "what=<$T/what.txt" "$URL/report")
	[ "$code" = 200 ] || fail "the concern gave $code"
	receipt=$(receipt_of "$T/c")
	[ -n "$receipt" ] || fail "no receipt shown"
	sleep 1
	printf 'concern that must not stay' > "$T/text-needle"
	if holds "$HTTP" "$T/text-needle"; then fail "the concern's text stays in the http process"; fi
	printf '%s' "$receipt" > "$T/rcpt-needle"
	if holds "$HTTP" "$T/rcpt-needle"; then fail "the receipt stays in the http process"; fi
	printf '%s' "$receipt" | tr -d -- '-' > "$T/rcpt-needle"
	if holds "$HTTP" "$T/rcpt-needle"; then fail "the receipt stays in the http process"; fi

	# back with the receipt: a follow-up message, then leave; neither the
	# receipt as typed nor the message may stay behind
	curl -s "${tls[@]}" -o "$T/e" "$URL/followup"
	tok=$(csrf_of "$T/e")
	typed=$(printf '%s' "$receipt" | tr 'A-Z' 'a-z')
	code=$(curl -s "${tls[@]}" -c "$T/jar" -o /dev/null -w '%{http_code}' \
		--data "csrf=$tok&receipt=$typed" "$URL/followup")
	[ "$code" = 303 ] || fail "receipt entry gave $code"
	code=$(curl -s "${tls[@]}" -b "$T/jar" -o /dev/null -w '%{http_code}' -F "csrf=$tok" \
		-F "text=A follow-up message that must not stay" "$URL/followup/message")
	[ "$code" = 200 ] || fail "the message gave $code"
	curl -s "${tls[@]}" -b "$T/jar" -o /dev/null "$URL/leave"
	sleep 1
	printf 'follow-up message that must not stay' > "$T/text-needle"
	if holds "$HTTP" "$T/text-needle"; then fail "the follow-up message stays in the http process"; fi
	printf '%s' "$typed" > "$T/rcpt-needle"
	if holds "$HTTP" "$T/rcpt-needle"; then fail "the receipt as typed stays in the http process"; fi
}

leaves_nothing --cacert "$T/cert.pem"
kill -TERM "$PARENT"; wait "$PARENT" || true
# and without TLS (the request bytes then sit in libmicrohttpd's buffers)
start_intake
leaves_nothing
stop_intake
echo "ok: TLS key in the http process only; signing key in none; no text or receipt left"
