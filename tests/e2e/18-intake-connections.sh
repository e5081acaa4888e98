#!/usr/bin/env bash
# Connection limit: HTTP_CONN_LIMIT (64) idle connections (slow clients that
# send nothing) use up the server; one more is turned away at once, and as
# soon as the idle ones go, the server answers again. Slow clients cannot
# make it hold more than the limit (one thread each).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
start_intake
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
# still healthy: a full submission goes through
code=$(submit_concern "$T/c" -F "what=after the flood")
[ "$code" = 200 ] || fail "submission after the flood gave $code"
stop_intake
echo "connections OK"
