#!/usr/bin/env bash
# e2e: quiet
# Connection limit: --connections N (here the least, HTTP_CONN_MIN) idle
# connections (slow clients that send nothing) are all the server holds:
# of twice as many it keeps at most N, and as soon as the idle ones go, the
# server answers again. Slow clients cannot make it hold more than the limit, nor keep one
# for longer than --timeout seconds of silence (28-intake-slow-clients.sh
# covers clients that trickle).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
LIMIT=$(sed -n 's/^#define HTTP_CONN_MIN *\([0-9]*\).*/\1/p' "$REPO/intake/http.h")
[ -n "$LIMIT" ] || fail "cannot read HTTP_CONN_MIN"
start_intake --timeout 2 --connections "$LIMIT"
socks() { find "/proc/$HTTP/fd" -lname 'socket:*' 2>/dev/null | wc -l; }
base=$(socks)
python3 - "$URL" "$LIMIT" "$HTTP" "$base" <<'PY' || fail "connection limit not kept"
import os, socket, sys, time, urllib.request
url, limit, pid, base = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
host, port = url.split("//")[1].split(":")
def held():
    n = 0
    for f in os.listdir("/proc/%s/fd" % pid):
        try:
            n += os.readlink("/proc/%s/fd/%s" % (pid, f)).startswith("socket:")
        except OSError:
            pass
    return n - base
# twice the limit: the http process accepts at most the limit (the rest
# wait in the kernel's backlog or are closed)
idle = [socket.create_connection((host, int(port))) for _ in range(2 * limit)]
time.sleep(1.0)
n = held()
if n > limit or n < limit // 2:
    print("the http process holds %d connections, limit %d" % (n, limit)); sys.exit(1)
print("holds %d of %d idle connections (limit %d)" % (n, 2 * limit, limit))
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
