#!/usr/bin/env bash
# HTTPS with --tls-cert/--tls-key (a throwaway self-signed certificate):
# pages are served over TLS with the same headers, the session cookie is
# Secure, plain HTTP on the port gets nothing, and a missing or mismatched
# key is refused at start.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
command -v openssl >/dev/null || { skip "TLS test: openssl not installed"; exit 0; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
	-keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null || fail "openssl could not make a certificate"
chmod 600 "$T/key.pem"

# --tls-cert without --tls-key is refused
make_keys "$T/keys" alice bob
user=(); [ "$(id -u)" -eq 0 ] && user=(--user nobody)
if "$BIN/candour-intake" serve --db "$T/x.db" --keys "$T/keys" --tls-cert "$T/cert.pem" --demo "${user[@]}" 2>"$T/err"; then
	fail "cert without key started"
fi
grep -q 'go together' "$T/err" || fail "no message for a lone --tls-cert"

DATA=$T/data; DB=$DATA/intake.db; data_dir "$DATA"
port=$(free_port)
(cd "$REPO" && exec "$BIN/candour-intake" serve --db "$DB" --keys "$T/keys" --listen "127.0.0.1:$port" \
	--tls-cert "$T/cert.pem" --tls-key "$T/key.pem" --demo "${user[@]}") 2>"$T/serve.err" &
PARENT=$!; track_pid "$PARENT"
URL=https://127.0.0.1:$port
for _ in $(seq 1 100); do curl -sk -o /dev/null --max-time 1 "$URL/" && break; nap 0.1; done
code=$(curl -s --cacert "$T/cert.pem" -D "$T/h" -o "$T/b" -w '%{http_code}' "$URL/")
[ "$code" = 200 ] || fail "HTTPS home gave $code"
check_headers "$T/h"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$port/" || true)
[ "$code" = 000 ] || fail "plain HTTP answered $code on the TLS port"

# full submission and receipt entry over TLS; the cookie is Secure
C=(--cacert "$T/cert.pem")
curl -s "${C[@]}" -o "$T/form" "$URL/report"; tok=$(csrf_of "$T/form")
code=$(curl -s "${C[@]}" -o "$T/c" -w '%{http_code}' -F "csrf=$tok" -F category=other -F "what=tls" \
	-F risk=no -F raised_before=no "$URL/report")
[ "$code" = 200 ] || fail "HTTPS submission gave $code"
R=$(receipt_of "$T/c")
curl -s "${C[@]}" -o "$T/e" "$URL/followup"; tok=$(csrf_of "$T/e")
curl -s "${C[@]}" -D "$T/h" -o /dev/null --data-urlencode "csrf=$tok" --data-urlencode "receipt=$R" "$URL/followup"
grep -qi '^Set-Cookie: candour_s=.*HttpOnly; SameSite=Strict; Secure' "$T/h" || fail "cookie not Secure under TLS"
kill -TERM "$PARENT"; wait "$PARENT" || true
echo "TLS OK"
