#!/usr/bin/env python3
"""A flood on 127.0.0.1: C connections at once, for S seconds, each a
reporter that loops over page loads (home, form, follow-up, transparency,
style sheet), new concerns (a third with a 20 KB attachment) and
follow-ups (receipt entry with one of 12 receipts, the page, sometimes a
message), one request a
connection, against a serve with its production limits (budget, disk
budget, connections) and the test receipt KDF.

Passes when every request gets an answer (none refused, reset or timed
out): a 2xx or 303, or a 503 to a submission or message that gives the
reporter's text back, or the "busy, enter your receipt again" 503 of the
receipt KDF's share per receipt and lane (a session that another entry
of the same receipt replaced gets the receipt form, and its message a
403 "session ended" page that gives the text back, counted: one session
per receipt), or the busy
page (503 with Retry-After and Connection: close) to a request the server
itself was too starved to read before its header deadline, counted; never
a connection closed unanswered; every page in the
language its request asked for; when the summed resident memory of serve's three
processes (sampled every 0.2 s) stays under --max-rss-mib; and when a
normal reporter submits right after the flood, within --after seconds
(the global submission budget may still be spent for a moment: each 503
in that time must give the text back), and the receipt opens.

--stall S starves the server on purpose: S seconds into the flood the
http process is stopped (SIGSTOP, by its PID) for S seconds, longer than
the header deadline, and continued; every request must still be answered.

Usage: flood.py [--connections C] [--seconds S] [--max-rss-mib M] [--stall S]
CANDOUR_BIN names the build; CANDOUR_TEST_SEED replays the mix.
"""
import argparse
import asyncio
import os
import random
import re
import signal
import sys
import tempfile
import time
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "crash"))
from intake_client import CSRF_RE, COOKIE_RE, Reporter, multipart  # noqa: E402
from intake_crash import Fail, Intake  # noqa: E402

ENDED = b"Your follow-up session has ended. Please enter your receipt again."
KEPT = b"Your message was not sent and nothing was stored."
BUSY = b"The site is busy just now. Please wait a minute and enter your receipt again."
# A request the server was too starved to read in time (its headers past
# the deadline): 503 busy, never a silent close (conn.c)
LATE = (b"The site is too busy to answer just now.", b"rhy brysur i ateb")


def late_busy(code, head, page):
    """The deliberate busy answer to a request that came in late."""
    h = head.lower()
    return (code == 503 and "\r\nretry-after: " in h and "\r\nconnection: close" in h
            and any(t in page for t in LATE + (BUSY,)))
PAGES = ("/", "/report", "/followup", "/transparency", "/static/style.css", "/cy/")


class Tally:
    def __init__(self):
        self.codes = {}
        self.kinds = {}
        self.failures = []
        self.ended = 0  # messages refused because their session ended
        self.late = 0  # requests answered 503 busy: the server read them late
        self.lat = {}

    def add(self, kind, code, t):
        self.codes[code] = self.codes.get(code, 0) + 1
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        self.lat.setdefault(kind, []).append(t)

    def latency(self):
        out = []
        for k, v in sorted(self.lat.items()):
            v.sort()
            out.append(f"{k} p50 {v[len(v) // 2] * 1000:.0f} ms p99 "
                       f"{v[len(v) * 99 // 100] * 1000:.0f} ms max {v[-1] * 1000:.0f} ms")
        return "; ".join(out)


async def request(port, method, path, body=b"", ctype=None, cookie=None, timeout=60):
    """(status, headers text, body); raises on no answer."""
    t0 = time.monotonic()
    r, w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    t1 = time.monotonic()
    try:
        h = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
        if ctype:
            h.append(f"Content-Type: {ctype}")
        if body or method == "POST":
            h.append(f"Content-Length: {len(body)}")
        if cookie:
            h.append(f"Cookie: candour_s={cookie}")
        w.write(("\r\n".join(h) + "\r\n\r\n").encode() + body)
        await w.drain()
        t2 = time.monotonic()
        data = await asyncio.wait_for(r.read(), timeout)
    finally:
        w.close()
    head, _, rest = data.partition(b"\r\n\r\n")
    m = re.match(rb"HTTP/1\.[01] (\d{3})", head)
    if not m:
        raise ConnectionError(f"no HTTP answer ({len(data)} bytes; connect {t1 - t0:.1f} s, "
                              f"sent {t2 - t1:.1f} s later, closed {time.monotonic() - t2:.1f} s "
                              "after that)")
    if b"chunked" in head.lower():
        rest = unchunk(rest)
    lang = re.search(rb'<html lang="([a-z]+)"', rest)
    want = b"cy" if path.startswith("/cy/") else b"en"
    if lang and lang.group(1) != want:
        raise WrongLanguage(f"{method} {path} came back in {lang.group(1).decode()}")
    return int(m.group(1)), head.decode(errors="replace"), rest


class WrongLanguage(Exception):
    """A page in another language than its request asked for: the
    request's language must not leak from another request being served
    at the same time on another thread."""


def unchunk(b):
    out, i = [], 0
    while True:
        j = b.find(b"\r\n", i)
        if j < 0:
            break
        n = int(b[i:j].split(b";")[0] or b"0", 16)
        if n == 0:
            break
        out.append(b[j + 2:j + 2 + n])
        i = j + 2 + n + 2
    return b"".join(out)


async def reporter(port, r, end, tally, receipts, attach):
    n = 0
    while time.monotonic() < end:
        n += 1
        x = r.random()
        t = time.monotonic()
        page = b""
        try:
            if x < 0.45:
                kind = "page"
                code, head, page = await request(port, "GET", r.choice(PAGES))
                ok = code == 200 or late_busy(code, head, page)
            elif x < 0.8:
                kind = "submit"
                code, head, form = await request(port, "GET", "/report")
                tally.add("page", code, time.monotonic() - t)
                if late_busy(code, head, form):
                    tally.late += 1
                    continue
                m = CSRF_RE.search(form)
                if code != 200 or not m:
                    raise ConnectionError(f"form gave {code}")
                what = f"flood concern {id(r)}-{n} about a closed referral"
                files = [("file", "a.bin", attach)] if r.random() < 0.33 else []
                ct, body = multipart([("csrf", m.group(1).decode()), ("category", "recording"),
                                      ("risk", "no"), ("raised_before", "no"), ("what", what)],
                                     files)
                t = time.monotonic()
                code, _, page = await request(port, "POST", "/report", body, ct)
                ok = (code == 200 and b'class="receipt"' in page) or \
                     (code == 503 and what.encode() in page)
            else:
                kind = "followup"
                code, head, form = await request(port, "GET", "/followup")
                tally.add("page", code, time.monotonic() - t)
                if late_busy(code, head, form):
                    tally.late += 1
                    continue
                m, c = CSRF_RE.search(form), COOKIE_RE.search(head)
                if code != 200 or not m:
                    raise ConnectionError(f"follow-up form gave {code}")
                cookie = c.group(1) if c else None
                body = f"csrf={m.group(1).decode()}&receipt={r.choice(receipts)}".encode()
                t = time.monotonic()
                code, head, page = await request(port, "POST", "/followup", body,
                                                 "application/x-www-form-urlencoded", cookie)
                c = COOKIE_RE.search(head)
                # a 503 here is the KDF's deliberate share per receipt or
                # lane ("busy, enter your receipt again")
                ok = (code == 303 and c) or (code == 503 and BUSY in page)
                if code == 303 and c:
                    tally.add(kind, code, time.monotonic() - t)
                    cookie, t = c.group(1), time.monotonic()
                    code, head, page = await request(port, "GET", "/followup", cookie=cookie)
                    # one session per receipt: another reporter's entry of the
                    # same receipt ends this one (the receipt form again)
                    mine = code == 200 and b'name="text"' in page
                    ok = mine or (code == 200 and b'name="receipt"' in page) or \
                        late_busy(code, head, page)
                    if mine and r.random() < 0.3:
                        tally.add(kind, code, time.monotonic() - t)
                        m = CSRF_RE.search(page)
                        text = f"flood message {id(r)}-{n}"
                        ct, body = multipart([("csrf", m.group(1).decode()), ("text", text)], [])
                        t = time.monotonic()
                        code, _, page = await request(port, "POST", "/followup/message", body, ct,
                                                      cookie)
                        # 403: another entry of the receipt replaced the
                        # session meanwhile; the page says so and, like the
                        # 503, gives the text back (counted)
                        kept = text.encode() in page
                        ended = code == 403 and ENDED in page and KEPT in page and kept
                        ok = code == 200 or (code == 503 and kept) or ended
                        tally.ended += ended
            tally.add(kind, code, time.monotonic() - t)
            if ok and kind == "page" and code == 503:
                tally.late += 1
            if not ok:
                m = re.search(rb"<title>([^<]*)</title>", page or b"")
                tally.failures.append(f"{kind}: {code} {m.group(1).decode() if m else ''}")
        except WrongLanguage as e:
            tally.failures.append(f"wrong language ({kind}): {e}")
        except (OSError, asyncio.TimeoutError, ConnectionError) as e:
            tally.failures.append(f"no answer ({kind}): {type(e).__name__} {e}"[:200])


def rss_kib(pids):
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


async def stall(pid, at, secs):
    """The server starved: stopped for secs, at seconds in."""
    await asyncio.sleep(at)
    os.kill(pid, signal.SIGSTOP)
    try:
        await asyncio.sleep(secs)
    finally:
        os.kill(pid, signal.SIGCONT)


async def flood(it, conns, seconds, seed, receipts, stall_s=0):
    tally = Tally()
    end = time.monotonic() + seconds
    attach = random.Random(seed).randbytes(20_000)
    pids = list(it.pids.values())
    peak = rss_kib(pids)
    tasks = [asyncio.create_task(reporter(it.port, random.Random(seed * 1000 + i), end, tally,
                                          receipts, attach)) for i in range(conns)]
    if stall_s > 0:
        tasks.append(asyncio.create_task(stall(it.pids["http"], stall_s, stall_s)))
    while not all(t.done() for t in tasks):
        peak = max(peak, rss_kib(pids))
        await asyncio.sleep(0.2)
    for t in tasks:
        t.result()
    return tally, peak


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--max-rss-mib", type=int, default=256)
    ap.add_argument("--stall", type=float, default=0,
                    help="stop the http process this long, this far into the flood")
    ap.add_argument("--after", type=float, default=5,
                    help="seconds a normal reporter may need after the flood")
    a = ap.parse_args()
    seed = int(os.environ.get("CANDOUR_TEST_SEED") or random.SystemRandom().randrange(1 << 31))
    print(f"flood: seed {seed} (CANDOUR_TEST_SEED={seed} replays), {a.connections} connections "
          f"for {a.seconds:g} s", flush=True)
    bindir = os.environ.get("CANDOUR_BIN") or os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                                           "build")
    tmp = tempfile.mkdtemp(prefix="candour-flood.")
    it = Intake(bindir, tmp)
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
        it.start(limits=False)
        rep = Reporter(it.port)
        receipts = []
        for i in range(12):
            res = rep.submit(f"flood: a concern to follow up, {i}")
            if res[0] != "ok":
                raise Fail(f"setup submission: {res[:2]}")
            receipts.append(res[1])
        base = rss_kib(it.pids.values())
        t0 = time.monotonic()
        tally, peak = asyncio.run(flood(it, a.connections, a.seconds, seed, receipts,
                                                a.stall))
        took = time.monotonic() - t0
        if it.proc.poll() is not None:
            raise Fail("serve stopped under the flood")
        # a normal reporter, right after
        t1 = time.monotonic()
        while True:
            res = Reporter(it.port).submit("flood: after the flood, a reporter")
            if res[0] == "ok":
                break
            if res[0] != "refused" or res[1] != 503 or b"after the flood, a reporter" not in res[2]:
                raise Fail(f"the reporter after the flood got {res[:2]}")
            if time.monotonic() - t1 > a.after:
                raise Fail(f"the reporter after the flood got 503 for {a.after:g} s")
            time.sleep(0.5)
        after = time.monotonic() - t1
        if Reporter(it.port).open_receipt(res[1])[0] != "ok":
            raise Fail("the receipt given after the flood does not open")
        it.stop()
        n = sum(tally.codes.values())
        print(f"flood: {n} requests answered in {took:.1f} s ({n / took:.0f}/s): codes "
              f"{dict(sorted(tally.codes.items()))}, by kind {tally.kinds}; latency: "
              f"{tally.latency()}; messages whose session another entry ended (403, text "
              f"given back): {tally.ended}; page loads answered 503 busy (read late): {tally.late}; serve RSS {base // 1024} MiB before, peak "
              f"{peak // 1024} MiB (bound {a.max_rss_mib}); reporter after: {after:.1f} s",
              flush=True)
        if tally.failures:
            raise Fail(f"{len(tally.failures)} requests without an acceptable answer, e.g. "
                       f"{sorted(set(tally.failures))[:5]}")
        if peak > a.max_rss_mib * 1024:
            raise Fail(f"serve's memory peaked at {peak // 1024} MiB, over {a.max_rss_mib}")
        if n < a.connections:
            raise Fail(f"only {n} requests in the flood: it proves nothing")
    except Fail as e:
        print(f"FAIL: flood (seed {seed}): {e}")
        sys.exit(1)
    finally:
        it.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("flood: ok")


if __name__ == "__main__":
    main()
