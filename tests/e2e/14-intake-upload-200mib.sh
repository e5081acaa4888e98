#!/usr/bin/env bash
# A 200 MiB attachment is accepted while the peak RSS (VmHWM) of the http
# and store processes stays under 64 MiB: attachments are sealed as they
# stream in and sent to the store in 64 KiB pieces.
#
# The receipt KDF (Argon2id, 64 MiB at INTERACTIVE, at most
# HTTP_KDF_CONCURRENCY at once) is a separate, bounded cost: the peak is
# reset (clear_refs 5) after the receipt is derived, and the 200 MiB file
# goes in as a follow-up attachment, whose request derives nothing. A
# concern with a 200 MiB attachment is also sent and its store peak checked.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
LIMIT_KB=$((64 * 1024))
start_intake --max-upload $((256 * 1024 * 1024))

head -c $((200 * 1024 * 1024)) /dev/urandom > "$T/big.bin"
hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
reset_hwm() { echo 5 > "/proc/$1/clear_refs" 2>/dev/null; }

# 1. a concern with the 200 MiB file: the store's peak stays low
reset_hwm "$STORE" || true
code=$(submit_concern "$T/c" -F "what=Large attachment." -F "file=@$T/big.bin")
[ "$code" = 200 ] || fail "200 MiB concern gave $code"
R=$(receipt_of "$T/c")
s=$(hwm "$STORE")
echo "concern: store VmHWM ${s} kB, http VmHWM $(hwm "$HTTP") kB (includes one Argon2id derivation)"
[ "$s" -lt "$LIMIT_KB" ] || fail "store peak RSS ${s} kB >= 64 MiB"

# 2. follow-up with the 200 MiB file, peaks reset after the receipt KDF
curl -s -c "$T/jar" -o "$T/e" "$URL/followup"
tok=$(csrf_of "$T/e")
curl -s -c "$T/jar" -b "$T/jar" -o /dev/null --data-urlencode "csrf=$tok" --data-urlencode "receipt=$R" "$URL/followup"
curl -s -b "$T/jar" -o "$T/f" "$URL/followup"
tok=$(csrf_of "$T/f")
if ! reset_hwm "$HTTP" || ! reset_hwm "$STORE"; then
	echo "cannot reset VmHWM here (needs root or ptrace rights); skipping the strict bound"
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
