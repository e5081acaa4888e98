#!/usr/bin/env bash
# e2e: quiet
# Slow clients cannot keep reporters out (issue 9). 500 connections on
# 127.0.0.1 trickle request headers a byte at a time (slowloris) while a
# reporter loads the form and submits a concern: it must take under 2 s
# (or, on a loaded machine, under 3x the same steps timed just before
# without the flood). The tricklers are cut at the header deadline
# (HTTP_HEADER_MS, 10 s) although each sends a byte more often than the
# idle timeout, and a body trickled at 13 bytes/s is cut within two body
# windows. Bounded: 500 sockets, at most ~20 s, loopback only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
start_intake --timeout 30
HDR_MS=$(sed -n 's/^#define HTTP_HEADER_MS *\([0-9]*\).*/\1/p' "$REPO/intake/http.h")
WIN_MS=$(sed -n 's/^#define HTTP_BODY_WINDOW_MS *\([0-9]*\).*/\1/p' "$REPO/intake/http.h")
[ -n "$HDR_MS" ] && [ -n "$WIN_MS" ] || fail "cannot read the deadlines from http.h"

report() { # form + submission; prints milliseconds
	local t0 code
	t0=$(date +%s%N)
	code=$(submit_concern "$T/c" -F "what=$1")
	[ "$code" = 200 ] || fail "submission ($1) gave $code"
	grep -q 'class="receipt"' "$T/c" || fail "no receipt ($1)"
	echo $(( ($(date +%s%N) - t0) / 1000000 ))
}
base=$(report "before the flood")

python3 - "$URL" "$HDR_MS" "$WIN_MS" "$T/ready" > "$T/flood.out" 2>&1 <<'PY' &
import os, socket, sys, time
url, hdr_ms, win_ms, ready = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
host, port = url.split("//")[1].split(":")
N = 500
req = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4000
socks = []
for _ in range(N):
    s = socket.create_connection((host, int(port)), timeout=5)
    s.setblocking(False)
    socks.append([s, 0, False])
# one body trickler: headers whole, then 13 bytes a second
body = socket.create_connection((host, int(port)), timeout=5)
body.sendall(b"POST /report HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
             b"application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n")
body.setblocking(False)
body_cut = None
start = time.time()
open(ready, "w").close()
cut_at = []
while time.time() - start < (hdr_ms + 2 * win_ms) / 1000 + 4:
    now = time.time() - start
    for e in socks:
        if e[2]:
            continue
        try:
            if e[0].recv(1) == b"":
                e[2] = True; cut_at.append(now); continue
        except BlockingIOError:
            pass
        except OSError:
            e[2] = True; cut_at.append(now); continue
        try:  # a byte every ~0.5 s: far more often than the idle timeout
            e[0].send(req[e[1]:e[1] + 1]); e[1] += 1
        except OSError:
            e[2] = True; cut_at.append(now)
    if body_cut is None:
        try:
            if body.recv(1) == b"":
                body_cut = now
        except BlockingIOError:
            try:
                body.send(b"x" * 6)
            except OSError:
                body_cut = now
        except OSError:
            body_cut = now
    if len(cut_at) == N and body_cut is not None:
        break
    time.sleep(0.5)
ok = True
if len(cut_at) != N:
    print("%d of %d header tricklers still connected after %.1f s" % (N - len(cut_at), N, time.time() - start)); ok = False
elif min(cut_at) < hdr_ms / 1000 - 1.5:
    print("a header trickler was cut early, at %.1f s" % min(cut_at)); ok = False
else:
    print("header tricklers cut between %.1f and %.1f s" % (min(cut_at), max(cut_at)))
if body_cut is None or body_cut > 2 * win_ms / 1000 + 2:
    print("the body trickler was not cut within two windows (%s)" % body_cut); ok = False
else:
    print("body trickler cut at %.1f s" % body_cut)
sys.exit(0 if ok else 1)
PY
FLOOD=$!
for _ in $(seq 1 100); do [ -e "$T/ready" ] && break; sleep 0.1; done
[ -e "$T/ready" ] || fail "the slow clients did not connect: $(cat "$T/flood.out")"
sleep 1
during=$(report "during the flood")
echo "reporter: ${base} ms before, ${during} ms with 500 slow connections"
[ "$during" -le 2000 ] || [ "$during" -le $((3 * base)) ] ||
	fail "the reporter took ${during} ms with 500 slow connections (${base} ms without)"
wait "$FLOOD" || fail "deadlines: $(cat "$T/flood.out")"
cat "$T/flood.out"
# still healthy afterwards
report "after the flood" > /dev/null
stop_intake
echo "slow clients OK"
