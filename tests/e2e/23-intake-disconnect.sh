#!/usr/bin/env bash
# A client that goes away mid-upload leaves nothing at the store: the
# staged chunks of the file being sent, and of files already sent in the
# same request, are dropped when libmicrohttpd ends the request.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
command -v sqlite3 >/dev/null || { skip "sqlite3 not installed"; exit 0; }
start_intake
staged() {
	sqlite3 "file:$DB?mode=ro" \
		"SELECT count(*) FROM chunks WHERE upload NOT IN (SELECT upload FROM envelopes)"
}
head -c $((20 << 20)) /dev/urandom > "$T/big"
head -c $((1 << 20)) /dev/urandom > "$T/small"
curl -s -o "$T/form.html" "$URL/report"
tok=$(csrf_of "$T/form.html")
# send (a small file and then) a big one slowly; cut the connection midway
cut_off() {
	curl -s --limit-rate 2M -o /dev/null -F "csrf=$tok" -F category=recording -F risk=no \
		-F raised_before=no -F what=x "$@" -F "file=@$T/big" "$URL/report" &
	local c=$! n=0
	for _ in $(seq 1 50); do n=$(staged); [ "$n" -gt 20 ] && break; nap 0.1; done
	[ "$n" -gt 20 ] || fail "the upload never reached the store (test is blind)"
	kill "$c"; wait "$c" || true
	# (libmicrohttpd ends the request when it next reads the closed
	# socket: under a loaded machine that took more than the 5 s this
	# waited until 2026-12-07, twice in a clean-clone CI run beside other
	# work; the chunks must still go, so a store that kept them fails)
	for _ in $(seq 1 200); do [ "$(staged)" = 0 ] && return 0; nap 0.1; done
	fail "chunks of an abandoned upload stay at the store: $(staged)"
}
cut_off
cut_off -F "file=@$T/small"
[ "$(sqlite3 "file:$DB?mode=ro" "SELECT count(*) FROM records")" = 0 ] || fail "a record was stored"
stop_intake
echo "ok: abandoned uploads are dropped"
