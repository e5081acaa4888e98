#!/usr/bin/env bash
# A 200 MiB attachment is accepted while the peak RSS (VmHWM) of the http
# and store processes stays under 64 MiB: attachments are sealed as they
# stream in and sent to the store in 64 KiB pieces.
#
# A new concern with the 200 MiB file includes one receipt derivation
# (Argon2id at the install's default, 32 MiB); a follow-up with the same
# file derives nothing. Both are held to the bound, in both processes.
# (Where VmHWM cannot be reset, the first check still holds: the server
# is fresh.)
# e2e: first
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
LIMIT_KB=$((64 * 1024))
start_intake --max-upload $((256 * 1024 * 1024))

head -c $((200 * 1024 * 1024)) /dev/urandom > "$T/big.bin"
hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
reset_hwm() { echo 5 > "/proc/$1/clear_refs" 2>/dev/null; }

# 1. a concern with the 200 MiB file, receipt derivation included
reset_hwm "$STORE" || true
reset_hwm "$HTTP" || true
code=$(submit_concern "$T/c" -F "what=Large attachment." -F "file=@$T/big.bin")
[ "$code" = 200 ] || fail "200 MiB concern gave $code"
R=$(receipt_of "$T/c")
s=$(hwm "$STORE")
echo "concern: store VmHWM ${s} kB, http VmHWM $(hwm "$HTTP") kB (includes one Argon2id derivation)"
[ "$s" -lt "$LIMIT_KB" ] || fail "store peak RSS ${s} kB >= 64 MiB"
h=$(hwm "$HTTP")
[ "$h" -lt "$LIMIT_KB" ] || fail "http peak RSS ${h} kB >= 64 MiB with a receipt derivation"

# 2. follow-up with the 200 MiB file, peaks reset after the receipt KDF
curl -s -c "$T/jar" -o "$T/e" "$URL/followup"
tok=$(csrf_of "$T/e")
curl -s -c "$T/jar" -b "$T/jar" -o /dev/null --data-urlencode "csrf=$tok" --data-urlencode "receipt=$R" "$URL/followup"
curl -s -b "$T/jar" -o "$T/f" "$URL/followup"
tok=$(csrf_of "$T/f")
if ! reset_hwm "$HTTP" || ! reset_hwm "$STORE"; then
	skip "the strict memory bound: cannot reset VmHWM here (needs root or ptrace rights)"
	exit 0
fi
before=$(hwm "$HTTP")
code=$(curl -s -b "$T/jar" -o "$T/s" -w '%{http_code}' -F "csrf=$tok" -F "text=Here is the file." \
	-F "file=@$T/big.bin" "$URL/followup/message")
[ "$code" = 200 ] || fail "200 MiB follow-up gave $code"
h=$(hwm "$HTTP"); s=$(hwm "$STORE")
echo "follow-up 200 MiB: http VmHWM ${h} kB (was ${before} kB before), store VmHWM ${s} kB"
[ "$h" -lt "$LIMIT_KB" ] || fail "http peak RSS ${h} kB >= 64 MiB"
[ "$s" -lt "$LIMIT_KB" ] || fail "store peak RSS ${s} kB >= 64 MiB"
[ "$(count_records)" = 2 ] || fail "records missing"
db=$(stat -c %s "$DB")
[ "$db" -gt $((400 * 1024 * 1024)) ] || fail "database only $db bytes: were both attachments kept?"
stop_intake
echo "200 MiB upload OK"
