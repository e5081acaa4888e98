#!/usr/bin/env bash
# e2e: alone
# Connection limit: HTTP_CONN_LIMIT (64) idle connections (slow clients that
# send nothing) use up the server; one more is turned away at once, and as
# soon as the idle ones go, the server answers again. Slow clients cannot
# make it hold more than the limit (one thread each), nor keep one for
# longer than --timeout seconds of silence (slowloris).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
start_intake --timeout 2
LIMIT=$(sed -n 's/^#define HTTP_CONN_LIMIT *\([0-9]*\).*/\1/p' "$REPO/intake/http.h")
[ -n "$LIMIT" ] || fail "cannot read HTTP_CONN_LIMIT"
python3 - "$URL" "$LIMIT" <<'PY' || fail "connection limit not kept"
import socket, sys, time, urllib.request
url, limit = sys.argv[1], int(sys.argv[2])
host, port = url.split("//")[1].split(":")
idle = [socket.create_connection((host, int(port))) for _ in range(limit)]
time.sleep(0.5)
# one more request: refused or closed without a page
try:
    urllib.request.urlopen(url + "/", timeout=3).read()
    print("served beyond the limit"); sys.exit(1)
except Exception:
    pass
for s in idle:
    s.close()
time.sleep(0.5)
for _ in range(50):
    try:
        if urllib.request.urlopen(url + "/", timeout=3).status == 200:
            sys.exit(0)
    except Exception:
        time.sleep(0.1)
print("not served after the idle connections closed"); sys.exit(1)
PY
# a client that sends half a request and then nothing is cut off after
# the idle timeout (2 s here), and one that trickles a body stalls only itself
python3 - "$URL" <<'PY' || fail "idle connection not closed"
import socket, sys, time
host, port = sys.argv[1].split("//")[1].split(":")
s = socket.create_connection((host, int(port)))
s.sendall(b"POST /report HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ncsrf=")
s.settimeout(10)
t = time.time()
try:
    data = s.recv(100)
except socket.timeout:
    print("still open after 10 s"); sys.exit(1)
if data != b"" and b"HTTP/1.1" not in data:
    print("unexpected reply", data[:60]); sys.exit(1)
# closed: after the timeout, not at once
sys.exit(0 if time.time() - t >= 1.0 else 1)
PY

# still healthy: a full submission goes through
code=$(submit_concern "$T/c" -F "what=after the flood")
[ "$code" = 200 ] || fail "submission after the flood gave $code"
stop_intake
echo "connections OK"
