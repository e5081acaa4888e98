#!/usr/bin/env bash
# Receipt limits slow guessers without refusing a right receipt (issue 9):
# - mistyped receipts (check characters wrong) cost no KDF and are free;
# - well-formed wrong receipts are all answered "not found" (404), never
#   503: past the burst of HTTP_RCPT_BURST (20) each one pauses the
#   follow-up lane for HTTP_RCPT_SLOW_MS (1 s), so guessing slows for all;
# - the right receipt after 22 guesses is accepted (it used to be refused
#   with 503 for everyone: 22 guesses locked every reporter out);
# - one receipt re-posted many times gets 503 past its own burst, while
#   another receipt and a new concern still go through;
# - a new concern is answered while queued guesses still wait (its KDF
#   worker is reserved).
# Quiet: one receipt's own bucket refills 2 a minute (HTTP_RCPT_ONE_PER_MIN),
# so the hammered receipt is held back only if the seconds from its first
# entry to the last check stay short of the next token; beside make check's
# builds at load ~30 they took 136 s (63 s without the builds) and it was
# let through (2026-12-06). After the others, beside the quiet ones only.
# e2e: quiet
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
start_intake --wrong-receipts 1 # one refill an hour: the test cannot race the refill

code=$(submit_concern "$T/c" -F "what=limits")
[ "$code" = 200 ] || fail "submission gave $code"
R=$(receipt_of "$T/c")
code=$(submit_concern "$T/c2" -F "what=another")
[ "$code" = 200 ] || fail "second submission gave $code"
R2=$(receipt_of "$T/c2")
curl -s -o "$T/e" "$URL/followup"; tok=$(csrf_of "$T/e")
try() { curl -s -D "$T/h" -o "$T/b" -w '%{http_code}' --data-urlencode "csrf=$tok" --data-urlencode "receipt=$1" "$URL/followup"; }

# well-formed receipts that exist nowhere, made with the crypto library
# (tests/e2e/rcpt_gen.c)
tool rcpt_gen
"$BIN/tests/e2e/rcpt_gen" 25 > "$T/wrong"

# typos are free: many of them do not trip the limit
c0=${R:0:1}; [ "$c0" = 7 ] && sub=8 || sub=7
# (the typos, then the wrong receipts, each sent by one curl, in order:
# lib.sh's req; each answer checked as its own curl's was)
try_q() { req --data-urlencode "csrf=$tok" --data-urlencode "receipt=$1" "$URL/followup"; }
for i in $(seq 1 10); do try_q "$sub${R:1}"; done
reqs_run
for i in $(seq 1 10); do
	[ "${RQ_CODE[i - 1]}" = 400 ] || fail "typo $i not 400"
done
n=0
while read -r w; do
	n=$((n + 1))
	[ "$n" -le 22 ] || break
	try_q "$w"
done < "$T/wrong"
reqs_run
for n in $(seq 1 22); do
	code=${RQ_CODE[n - 1]}
	[ "$code" = 404 ] || fail "wrong receipt $n gave $code, not 404"
	has "$T/rq.$((n - 1))" 'No concern has this receipt' || fail "not-found message missing"
done
check_headers "$T/rq.21.h"
# the right receipt is not refused after the guesses
[ "$(try "$R")" = 303 ] || fail "the right receipt was refused after 22 wrong ones"
has -i "$T/h" '^Set-Cookie: candour_s=' || fail "no session after the right receipt"

# guessing is slowed: three more wrong receipts take at least 2 pauses
t0=$(date +%s%N)
for w in $(sed -n '23,25p' "$T/wrong"); do
	[ "$(try "$w")" = 404 ] || fail "a slowed wrong receipt was not 404"
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -ge 1800 ] || fail "3 wrong receipts past the burst took ${ms} ms: not slowed"

# one receipt hammered from many places: past its own burst it gets 503
pids=()
for i in $(seq 1 12); do
	curl -s -o /dev/null -w '%{http_code}\n' --data-urlencode "csrf=$tok" \
		--data-urlencode "receipt=$R" "$URL/followup" >> "$T/codes" &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
busy=$(grep -c '^503$' "$T/codes" || true)
ok=$(grep -c '^303$' "$T/codes" || true)
[ "$busy" -ge 5 ] || fail "one receipt re-posted 12 times: only $busy refused"
[ "$ok" -ge 1 ] || fail "one receipt re-posted 12 times: none accepted"
[ "$((busy + ok))" = 12 ] || fail "unexpected answers: $(sort "$T/codes" | uniq -c | tr '\n' ' ')"
[ "$(try "$R")" = 503 ] || fail "the hammered receipt not held back"
has -i "$T/h" '^Retry-After:' || fail "no Retry-After on 503"
has "$T/b" 'busy' || fail "the 503 page does not say the site is busy"
# ... which costs nobody else anything
[ "$(try "$R2")" = 303 ] || fail "another receipt refused while one was hammered"
code=$(submit_concern "$T/c3" -F "what=still open")
[ "$code" = 200 ] || fail "a new concern gave $code while a receipt was hammered"

# follow-ups can never starve a new concern: with the wrong-receipt burst
# spent, 6 guesses queued at once take the follow-up lane for ~6 s (one
# pause each); a concern sent meanwhile is derived on its reserved worker
# and answered while most of the guesses still wait
pids=()
for w in $(sed -n '1,6p' "$T/wrong"); do
	curl -s -o /dev/null -w '%{http_code}\n' --data-urlencode "csrf=$tok" \
		--data-urlencode "receipt=$w" "$URL/followup" >> "$T/flood" &
	pids+=($!)
done
sleep 0.5
code=$(submit_concern "$T/c4" -F "what=while follow-ups flood")
answered=$(wc -l < "$T/flood")
[ "$code" = 200 ] || fail "a new concern gave $code while follow-ups flooded"
[ "$answered" -le 3 ] || fail "the concern waited behind the follow-ups ($answered of 6 answered first)"
for p in "${pids[@]}"; do wait "$p"; done
# each guess is "not found", or "busy" if it waited past the KDF deadline
if grep -qvE '^(404|503)$' "$T/flood"; then fail "a guess got: $(sort "$T/flood" | uniq -c | tr '\n' ' ')"; fi
stop_intake
echo "receipt limits OK"
