#!/usr/bin/env bash
# e2e: quiet
# A server too starved to read requests in time answers them 503 busy; it
# never closes them unanswered (issue 14: 71 of 1,537 requests of the
# 500-connection flood were cut by the header deadline while the machine
# was CPU-starved). The starvation is made by stopping the http process
# (SIGSTOP, by its PID) for longer than the header deadline while a page
# load, a concern and a receipt entry wait in the kernel, whole, and an
# idle client sends nothing. Once it runs again: the page load gets the
# busy page (503, Retry-After, Connection: close), the concern gets its
# form back with the text (nothing stored), the receipt entry gets "enter
# your receipt again", and the idle client, seen behind no more, is cut
# within the grace (HTTP_LATE_GRACE_MS) with no answer. A request sent
# after is served. And the kernel may queue as many connections as serve
# may serve (its listen backlog, as ss shows it): at 128 a starved server's
# queue overflowed under the 500-connection flood, the kernel dropped the
# handshake's last ACK with the request in it, and the client resent it
# only seconds later: the connection looked idle and was cut unanswered.
# Bounded: ~20 s, loopback only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/intake_lib.bash"
start_intake
HDR_MS=$(sed -n 's/^#define HTTP_HEADER_MS *\([0-9]*\).*/\1/p' "$REPO/intake/http.h")
GRACE_MS=$(sed -n 's/^#define HTTP_LATE_GRACE_MS *\([0-9]*\).*/\1/p' "$REPO/intake/http.h")
[ -n "$HDR_MS" ] && [ -n "$GRACE_MS" ] || fail "cannot read the deadlines from http.h"
MAXC=$(sed -n 's/^#define INTAKE_MAX_CONNECTIONS *\([0-9]*\).*/\1/p' "$REPO/intake/intake.h")
somax=$(cat /proc/sys/net/core/somaxconn)
want=$(( MAXC < somax ? MAXC : somax ))
backlog=$(ss -ltnH "sport = :${URL##*:}" | awk '{print $3}')
[ -n "$backlog" ] && [ "$backlog" -ge "$want" ] ||
	fail "serve's listen backlog is ${backlog:-unknown}, under the $want connections it may serve"
curl -s -o "$T/form.html" "$URL/report"
tok=$(csrf_of "$T/form.html")
[ -n "$tok" ] || fail "no form token"
before=$(count_records)

python3 - "$URL" "$tok" "$HTTP" "$HDR_MS" "$GRACE_MS" > "$T/late.out" 2>&1 <<'PY' || { cat "$T/late.out"; fail "late requests"; }
import os, signal, socket, sys, time
url, tok, http, hdr_ms, grace_ms = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
host, port = url.split("//")[1].split(":")
port = int(port)
text = "a late concern about a referral closed unseen"
form = "&".join(["csrf=" + tok, "category=recording", "risk=no", "raised_before=no",
                 "what=" + text.replace(" ", "+")]).encode()
rcpt = ("csrf=" + tok + "&receipt=AAAA-AAAA-AAAA-AAAA").encode()
def post(path, body):
    return (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: "
            f"application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
reqs = {"page": f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode(),
        "concern": post("/report", form), "receipt": post("/followup", rcpt)}
socks = {k: socket.create_connection((host, port), timeout=60) for k in list(reqs) + ["idle"]}
# accepted (the listener's queue, ss's Recv-Q, empty): each has its slot
# and its clock; on a loaded machine that can take seconds
import subprocess
for _ in range(300):
    q = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True).stdout.split()
    if q and q[1] == "0":
        break
    time.sleep(0.1)
else:
    print("the connections were not accepted within 30 s"); sys.exit(1)
# and the thread that accepted them has opened their slots: every thread
# of the http process asleep (on a loaded machine one can be preempted
# between accept and the slot), twice in a row
def states(ok):
    for t in os.listdir(f"/proc/{http}/task"):
        with open(f"/proc/{http}/task/{t}/stat") as f:
            if f.read().rsplit(")", 1)[1].split()[0] not in ok:
                return False
    return True
def idle():
    return states(("S", "D"))
for _ in range(300):
    if idle():
        time.sleep(0.1)
        if idle():
            break
    time.sleep(0.1)
else:
    print("the http process did not settle within 60 s"); sys.exit(1)
os.kill(http, signal.SIGSTOP)
try:
    while not states(("T",)):  # every thread stopped before a byte is sent
        time.sleep(0.01)
    for k, b in reqs.items():
        socks[k].sendall(b)  # whole, in time: waiting in the kernel
    time.sleep(hdr_ms / 1000 + 1.5)
finally:
    os.kill(http, signal.SIGCONT)
resumed = time.time()
def answer(s):
    data = b""
    while True:
        try:
            b = s.recv(65536)
        except ConnectionResetError:
            break
        if not b:
            break
        data += b
    return data
ok = True
for k in reqs:
    d = answer(socks[k])
    head, _, body = d.partition(b"\r\n\r\n")
    h = head.decode(errors="replace").lower()
    want = {"page": b"too busy to answer", "concern": text.encode(),
            "receipt": b"enter your receipt again"}[k]
    if not h.startswith("http/1.1 503"):
        print(f"{k}: not a 503 but {h.splitlines()[0] if h else 'closed unanswered'}"); ok = False
    elif "\r\nretry-after: " not in h or "\r\nconnection: close" not in h:
        print(f"{k}: 503 without Retry-After or Connection: close: {h}"); ok = False
    elif want not in body:
        print(f"{k}: 503 without {want!r}"); ok = False
    else:
        print(f"{k}: 503 busy, as it should")
d = answer(socks["idle"])
took = time.time() - resumed
if d:
    print(f"idle: answered ({d[:40]!r}): an idle client must be cut"); ok = False
elif took > (grace_ms + 3000) / 1000:
    print(f"idle: cut only {took:.1f} s after the server ran again"); ok = False
else:
    print(f"idle: cut {took:.1f} s after the server ran again")
sys.exit(0 if ok else 1)
PY
cat "$T/late.out"
[ "$(count_records)" = "$before" ] || fail "a late concern was stored"
# not starved any more: served
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/")
[ "$code" = 200 ] || fail "a page after the stall gave $code"
code=$(submit_concern "$T/c" -F "what=after the stall")
[ "$code" = 200 ] && grep -q 'class="receipt"' "$T/c" || fail "a concern after the stall gave $code"
stop_intake
echo "late requests OK"
