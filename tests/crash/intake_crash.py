#!/usr/bin/env python3
"""Crash consistency of the intake: a stream of submissions (with
attachments) and follow-up messages while serve's processes are killed
with SIGKILL at random moments, the parent, the store and the http
process in turn. After every kill serve is started again on the same
data directory and, before the stream resumes:

- PRAGMA integrity_check is ok and `candour-intake status` verifies the
  whole hash chain and counts what the database holds;
- records are numbered 1..N with no gap, every concern has its
  recipients row, every message's parent is a concern, every envelope
  belongs to a record and has all its bytes (the chunks add up to its
  length, numbered with no gap), and no staging chunk is left over;
- every receipt the reporter was shown opens its concern, and shows
  exactly the messages the reporter was told were received, plus at most
  those whose answer was lost in the crash (once serve is back these are
  settled either way and from then on must stay settled);
- concerns stored without a receipt shown (the answer lost in the crash)
  are at most the submissions that got no answer or a 503, and each is
  whole (the structural checks above cover it);
- after a kill of the parent, the http and store processes are gone
  within 3 s (before, they served on, unsupervised, holding the port);
- a 503 to a submission keeps the reporter's text, and one whose page
  says "Nothing was stored" is counted as not stored (so a record stored
  after it fails the count).

At the end the whole intake is exported and imported into a casebook
(`candour-review import` verifies the signature, every link and every
envelope's hash) and the casebook holds every record.

Usage: intake_crash.py [--kills N] [--seed S]   (CANDOUR_BIN names the
build directory; CANDOUR_TEST_SEED replays a run). Loopback only. Exit 0
passes; the seed is printed first.
"""
import argparse
import collections
import os
import random
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intake_client import Reporter  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PASS = "crash kettle orbit velvet canyon\n"
TARGETS = ("parent", "store", "http")
READY = b"candour-intake: serving "


class Fail(Exception):
    pass


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return {int(x) for x in f.read().split()}
    except OSError:
        return set()


class Intake:
    """One data directory, served again and again."""

    def __init__(self, bindir, tmp):
        self.bin = bindir
        self.t = tmp
        self.root = os.geteuid() == 0
        self.data = os.path.join(tmp, "data")
        self.db = os.path.join(self.data, "intake.db")
        self.keys = os.path.join(tmp, "keys")
        self.secret = os.path.join(tmp, "secret")
        self.err = open(os.path.join(tmp, "serve.err"), "ab", buffering=0)
        self.proc = None
        self.pidfd = {}
        os.makedirs(self.data)
        os.makedirs(self.keys)
        os.makedirs(self.secret)
        if self.root:  # the store runs as nobody and must own its directory
            os.chmod(tmp, 0o711)
            os.chown(self.data, pwdnam("nobody"), -1)
        with open(os.path.join(tmp, "contacts.txt"), "w") as f:
            f.write("out_of_hours = 0306 999 0123\n")
        self.passfile = os.path.join(self.secret, "pass")
        with open(self.passfile, "w") as f:
            f.write(PASS)
        self.env = dict(os.environ, CANDOUR_RCPT_KDF="min", CANDOUR_TEST_WEAK_KDF="1",
                        CANDOUR_PASSPHRASE_FILE=self.passfile)
        for n in ("alice", "bob"):
            run([self.bin + "/candour-review", "keygen", "--name", n, "--out", self.secret,
                 "--kdf", "test"], self.env)
            os.rename(os.path.join(self.secret, n + ".pub"), os.path.join(self.keys, n + ".pub"))

    def start(self, limits=True):
        """limits=False keeps serve's production budgets (the flood)."""
        self.port = free_port()
        pidfile = os.path.join(self.t, "pids")
        if os.path.exists(pidfile):
            os.unlink(pidfile)
        cmd = [self.bin + "/candour-intake", "serve", "--db", self.db, "--keys", self.keys,
               "--listen", f"127.0.0.1:{self.port}", "--pidfile", pidfile,
               "--contacts", os.path.join(self.t, "contacts.txt")]
        if limits:
            cmd += ["--budget", "100000", "--min-free", "0"]
        if self.root:
            cmd += ["--user", "nobody"]
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        self.pidfd = {"parent": os.pidfd_open(self.proc.pid)}
        deadline = time.monotonic() + 30
        # serve's "serving" line comes once the pidfile is written and the
        # http process has the store's answer and listens: wait for it, not
        # for a poll (each a request) to find it up.
        self.await_line(READY, deadline)
        threading.Thread(target=self.pump, args=(self.proc.stderr,), daemon=True).start()
        while True:  # and it answers, with all three named
            try:
                st, _, _ = Reporter(self.port, 2).request("GET", "/")
                if st == 200 and os.path.exists(pidfile):
                    with open(pidfile) as f:
                        pids = [int(x) for x in f.read().split()]
                    if len(pids) == 3:
                        break
            except (OSError, ValueError):
                pass
            if self.proc.poll() is not None:
                raise Fail(f"serve exited with {self.proc.returncode} on restart: "
                           + tail(self.err.name))
            if time.monotonic() > deadline:
                raise Fail("serve did not answer within 30 s: " + tail(self.err.name))
            time.sleep(0.02)
        self.pids = dict(zip(("parent", "http", "store"), pids))
        if self.pids["parent"] != self.proc.pid:
            raise Fail("the pidfile names another parent")
        for k in ("http", "store"):  # before the check below: these are the children seen
            try:
                self.pidfd[k] = os.pidfd_open(self.pids[k])
            except ProcessLookupError:
                raise Fail(f"serve's {k} process is gone right after start-up")
        kids = children(self.proc.pid)
        if kids != {self.pids["http"], self.pids["store"]}:
            raise Fail(f"/proc children {kids} are not the pidfile's {self.pids}")

    def await_line(self, line, deadline):
        """Reads serve's stderr into serve.err until a line begins with
        `line`; Fail if serve exits or the deadline passes first."""
        fd, buf = self.proc.stderr.fileno(), b""
        sel = select.poll()
        sel.register(fd, select.POLLIN)
        sel.register(self.pidfd["parent"], select.POLLIN)
        while not any(x.startswith(line) for x in buf.split(b"\n")):
            left = deadline - time.monotonic()
            ready = dict(sel.poll(max(0, left) * 1000)) if left > 0 else {}
            if fd in ready:
                d = os.read(fd, 4096)
                self.err.write(d)
                buf += d
                if d:
                    continue
            if ready:  # serve exited, or closed its stderr: what it said, then why
                while fd in dict(sel.poll(0)) and (d := os.read(fd, 4096)):
                    self.err.write(d)
                self.proc.wait(timeout=30)
                raise Fail(f"serve exited with {self.proc.returncode} on restart: "
                           + tail(self.err.name))
            if left <= 0:
                raise Fail("serve did not answer within 30 s: " + tail(self.err.name))

    def pump(self, f):
        """The rest of serve's stderr into serve.err, until all its
        processes have closed it."""
        while d := os.read(f.fileno(), 1 << 16):
            self.err.write(d)
        f.close()

    def kill(self, target):
        """SIGKILL one process, then wait for all three to be gone."""
        os.kill(self.pids[target], signal.SIGKILL)
        if running([self.pidfd["parent"]], 30):
            raise Fail(f"serve did not stop within 30 s after its {target} was killed")
        self.proc.wait()
        left = running([self.pidfd[k] for k in ("http", "store")], 3)
        if left:
            left = [k for k in ("http", "store") if self.pidfd[k] in left]
            for k in left:
                os.kill(self.pids[k], signal.SIGKILL)
            raise Fail(f"the {' and '.join(left)} process(es) outlived serve killed by "
                       f"SIGKILL ({target}) by 3 s, serving on unsupervised")
        self.close_pidfds()

    def close_pidfds(self):
        for fd in self.pidfd.values():
            os.close(fd)
        self.pidfd = {}

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        self.close_pidfds()


def running(pidfds, secs):
    """The pidfds of the processes still running after secs, an empty set
    as soon as every one has ended (a zombie or reaped): waits on the
    event (a pidfd is readable once its process has ended), no polling."""
    p = select.poll()
    for fd in pidfds:
        p.register(fd, select.POLLIN)
    left, deadline = set(pidfds), time.monotonic() + secs
    while left:
        wait = deadline - time.monotonic()
        if wait <= 0:
            break
        for fd, _ in p.poll(wait * 1000):
            left.discard(fd)
            p.unregister(fd)
    return left


def pwdnam(name):
    import pwd
    return pwd.getpwnam(name).pw_uid


def run(cmd, env, ok=(0,)):
    p = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True)
    if p.returncode not in ok:
        raise Fail(f"{' '.join(cmd[:2])} exited {p.returncode}: {p.stderr.decode()[-400:]}")
    return p.stdout.decode()


def tail(path, n=600):
    with open(path, "rb") as f:
        return f.read()[-n:].decode(errors="replace")


class Book:
    """What the reporters were told, and what may have happened unseen."""

    def __init__(self):
        self.lock = threading.Lock()
        self.shown = {}     # receipt -> [confirmed messages, unsure messages]
        self.fresh = []     # receipts shown since the last check
        self.unsure = 0     # submissions without an answer, or with a 503
        self.extra = 0      # concerns stored although no receipt was shown
        self.busy = set()   # receipts a client is using now
        self.answers = {"submit": 0, "message": 0, "none": 0, "503": 0}
        self.ops, self.op_secs = 0, 0.0  # operations answered, and their time

    def floor(self):
        return len(self.shown) + self.extra

    def cycle(self):
        """The mean time of one client's operation so far (a submission,
        or a receipt entered and a message), FIRST_CYCLE before any."""
        with self.lock:
            return self.op_secs / self.ops if self.ops else FIRST_CYCLE

    def timed(self, t0):
        with self.lock:
            self.ops += 1
            self.op_secs += time.monotonic() - t0


# A 503 page that says this promises the reporter that nothing was kept:
# a record stored all the same (the store committed, then died before it
# answered) makes check() fail. A page that cannot know says "may have".
NOTHING_STORED = b"Nothing was stored"
CHECK_OPENERS = 3  # receipts opened at once after a restart, as many as the clients
# The stream runs for a random time before each kill, uniform over
# CYCLES operations of a client (Book.cycle: their mean time so far), not
# over a set time: a kill still lands anywhere in an operation (the
# upload, the store's commit, the answer, the receipt's KDF; the run's
# last line tallies the requests it cut), but the work between kills no
# longer grows as the load falls. A set 0-0.4 s was 8-10 operations a
# kill at load 20-24, and 11 submissions a kill alone in CI (2,243
# receipts in 200 kills); each adds a receipt to open after the restart
# and bytes for every later integrity_check to read, and no moment a kill
# could not hit with fewer. Two cycles cut the kills in a follow-up
# message by half (the longest operation: its message comes after the
# receipt's KDF); four keep them.
CYCLES = 4.0
FIRST_CYCLE = 0.1  # s, the first window's guess


class Tracked(Reporter):
    """A reporter that notes in `doing` the request it has under way, for
    the tally of what the kills cut (the run's last line)."""

    def __init__(self, port, timeout, doing):
        super().__init__(port, timeout)
        self.doing = doing

    def request(self, method, path, body=None, ctype=None):
        self.doing[id(self)] = f"{method} {path}"
        try:
            return super().request(method, path, body, ctype)
        finally:
            self.doing[id(self)] = "between requests"


def client(intake, book, stop, seed, files_of, doing):
    r = random.Random(seed)
    rep = Tracked(intake.port, 15, doing)
    n = 0
    while not stop.is_set():
        n += 1
        with book.lock:
            free = [k for k in book.shown if k not in book.busy]
            pick = r.choice(free) if free and r.random() < 0.35 else None
            if pick:
                book.busy.add(pick)
        t0 = time.monotonic()
        if pick is None:
            what = f"crash-test concern {seed}-{n}: the referral was closed unseen."
            with book.lock:
                book.unsure += 1
            res = rep.submit(what, files_of(r))
            if res[0] != "none":
                book.timed(t0)
            with book.lock:
                if res[0] == "ok":
                    book.unsure -= 1
                    book.shown[res[1]] = [0, 0]
                    book.fresh.append(res[1])
                    book.answers["submit"] += 1
                elif res[0] == "none":
                    book.answers["none"] += 1
                    return  # the server is gone: wait for the restart
                elif res[1] == 503:
                    book.answers["503"] += 1
                    if what.encode() not in res[2]:
                        raise Fail("a 503 to a submission lost the reporter's text")
                    if NOTHING_STORED in res[2]:
                        book.unsure -= 1  # a promise: check() holds the page to it
                else:
                    raise Fail(f"a submission got {res[1]}: {res[2][:300]!r}")
            continue
        try:
            lo, hi = book.shown[pick][0], sum(book.shown[pick])
            res = rep.open_receipt(pick)
            if res[0] == "ok":
                if not lo <= res[1] <= hi:
                    raise Fail(f"receipt {pick} shows {res[1]} messages, told {lo}..{hi}")
                with book.lock:
                    book.shown[pick][1] += 1
                res = rep.message(f"crash-test message {seed}-{n}", files_of(r))
                if res[0] != "none":
                    book.timed(t0)
                with book.lock:
                    if res[0] == "ok":
                        book.shown[pick][1] -= 1
                        book.shown[pick][0] += 1
                        book.answers["message"] += 1
                    elif res[0] == "none":
                        book.answers["none"] += 1
                        return
                    elif res[1] == 503:
                        book.answers["503"] += 1
                        if NOTHING_STORED in res[2]:
                            book.shown[pick][1] -= 1  # a promise, as for a concern
                    else:
                        raise Fail(f"a message got {res[1]}: {res[2][:300]!r}")
            elif res[0] == "none":
                return
            elif res[1] != 503:
                raise Fail(f"receipt {pick} shown earlier gave {res[1]}")
        finally:
            with book.lock:
                book.busy.discard(pick)


def check_db(intake, book, started=True):
    """The structural checks on the database, read-only; returns counts.
    started: serve has just started and nothing is being uploaded, so no
    staging chunk may be left (start-up deletes them)."""
    c = sqlite3.connect(f"file:{intake.db}?mode=ro", uri=True, timeout=10)
    try:
        # the same pages read through a mapping, not a read() call each:
        # integrity_check walks the whole file (~70 MB after 200 kills),
        # -25% of its CPU
        c.execute("PRAGMA mmap_size = 1073741824")
        q = lambda sql: c.execute(sql).fetchall()  # noqa: E731
        ic = q("PRAGMA integrity_check")
        if ic != [("ok",)]:
            raise Fail(f"integrity_check: {ic[:5]}")
        n, top = q("SELECT count(*), coalesce(max(seq), 0) FROM records")[0]
        if n != top:
            raise Fail(f"{n} records but the last is {top}: a gap in the sequence")
        bad = q("SELECT seq FROM records WHERE kind = 1 AND seq NOT IN (SELECT seq FROM recipients)")
        if bad:
            raise Fail(f"concerns without their recipients row: {bad[:5]}")
        bad = q("SELECT r.seq FROM records r LEFT JOIN records p ON p.seq = r.parent_seq"
                " WHERE r.kind = 2 AND (p.kind IS NULL OR p.kind != 1)")
        if bad:
            raise Fail(f"messages whose parent is no concern: {bad[:5]}")
        bad = q("SELECT e.seq, e.idx FROM envelopes e LEFT JOIN records r ON r.seq = e.seq"
                " WHERE r.seq IS NULL")
        if bad:
            raise Fail(f"envelopes of no record: {bad[:5]}")
        bad = q("SELECT e.seq, e.idx, e.len, coalesce(sum(length(c.data)), 0), count(c.idx),"
                " coalesce(max(c.idx), -1) FROM envelopes e LEFT JOIN chunks c"
                " ON c.upload = e.upload GROUP BY e.seq, e.idx"
                " HAVING e.len != coalesce(sum(length(c.data)), 0) OR count(c.idx) != max(c.idx) + 1")
        if bad:
            raise Fail(f"envelopes missing bytes (seq, idx, len, have, chunks, last): {bad[:5]}")
        bad = q("SELECT count(*) FROM chunks WHERE upload NOT IN (SELECT upload FROM envelopes)")
        if started and bad[0][0]:
            raise Fail(f"{bad[0][0]} staging chunks left after start-up")
        k1 = q("SELECT count(*) FROM records WHERE kind = 1")[0][0]
        msgs = dict(q("SELECT parent_seq, count(*) FROM records WHERE kind = 2 GROUP BY parent_seq"))
        return n, k1, sum(msgs.values())
    finally:
        c.close()


def check(intake, book, r, older):
    """The checks after a restart. status, the database's structure and
    the receipts are all read-only, so they run side by side (serve's
    http process, a status process and this one's SQLite), each as it did
    one after the other; a failure is reported as the first of them in
    that order would have been."""
    status = subprocess.Popen([intake.bin + "/candour-intake", "status", "--db", intake.db],
                              env=intake.env, cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    # what the reporters were told before this check (the receipts settle some)
    lo, unsure, shown, extra = book.floor(), book.unsure, len(book.shown), book.extra
    conf = sum(v[0] for v in book.shown.values())
    maybe = sum(v[1] for v in book.shown.values())
    todo = book.fresh + r.sample(sorted(book.shown), min(older, len(book.shown)))
    opener = Receipts(intake, book, todo)
    try:
        n, k1, k2 = check_db(intake, book)
        out, err = status.communicate()
    finally:
        if status.poll() is None:
            status.kill()
            status.wait()
        late = opener.join()
    if status.returncode != 0:
        raise Fail(f"candour-intake status exited {status.returncode}: {err.decode()[-400:]}")
    if f"records: {n}\n" not in out.decode():
        raise Fail(f"status does not count {n} records: {out.decode()[:300]}")
    if not lo <= k1 <= lo + unsure:
        raise Fail(f"{k1} concerns stored; {shown} receipts shown, {extra} "
                   f"earlier without one, {unsure} unanswered since")
    book.extra = k1 - shown  # settled now, either way
    book.unsure = 0
    if not conf <= k2 <= conf + maybe:
        raise Fail(f"{k2} messages stored, {conf} confirmed")
    if late:
        raise late
    book.fresh = []
    return n


class Receipts:
    """Opens every receipt of todo, CHECK_OPENERS at a time (each a
    reporter of its own; one receipt's entries stay in one opener, in
    order: a second entry ends the first's session), and checks each
    shows its concern with the messages it was told of, as it did one by
    one: the KDF of each entry is serve's, and the waits overlap."""

    def __init__(self, intake, book, todo):
        self.intake, self.book, self.errs = intake, book, []
        share = [[] for _ in range(CHECK_OPENERS)]
        slot = {}
        for i, rc in enumerate(todo):
            share[slot.setdefault(rc, len(slot) % CHECK_OPENERS)].append((i, rc))
        self.th = [threading.Thread(target=self.run, args=(s,)) for s in share if s]
        for t in self.th:
            t.start()

    def run(self, mine):
        rep = Reporter(self.intake.port, 15)
        for i, rc in mine:
            res = rep.open_receipt(rc)
            if res[0] != "ok":
                self.errs.append((i, Fail(f"receipt {rc}, shown to the reporter, does not open "
                                          f"its concern after the restart: {res[:2]}")))
                return
            got, (c0, c1) = res[1], self.book.shown[rc]
            if not c0 <= got <= c0 + c1:
                self.errs.append((i, Fail(f"receipt {rc} shows {got} messages; {c0} confirmed, "
                                          f"{c1} unsure")))
                return
            self.book.shown[rc] = [got, 0]  # settled: a lost answer is stored or never will be

    def join(self):
        """The first failure, in todo's order, or None."""
        for t in self.th:
            t.join()
        return min(self.errs, key=lambda e: e[0])[1] if self.errs else None


def final_import(intake, n):
    bundle = os.path.join(intake.t, "all.bundle")
    cb = os.path.join(intake.t, "alice.casebook")
    key = os.path.join(intake.secret, "alice.sec")
    run([intake.bin + "/candour-intake", "export", "--db", intake.db, "--out", bundle], intake.env)
    run([intake.bin + "/candour-review", "init", "--casebook", cb, "--key", key,
         "--intake-key", intake.db + ".sign.pub"], intake.env)
    out = run([intake.bin + "/candour-review", "import", "--casebook", cb, "--key", key, bundle],
              intake.env)
    if n and f"records 1-{n}:" not in out:
        raise Fail(f"the import of all {n} records says: {out[:300]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--clients", type=int, default=3)
    ap.add_argument("--cycles", type=float, default=CYCLES,
                    help="longest time the stream runs before a kill, in a client's "
                    "operations (their mean time so far)")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int(os.environ.get("CANDOUR_TEST_SEED") or
                                                   random.SystemRandom().randrange(1 << 31))
    print(f"intake-crash: seed {seed} (CANDOUR_TEST_SEED={seed} replays), {a.kills} kills",
          flush=True)
    bindir = os.environ.get("CANDOUR_BIN") or os.path.join(REPO, "build")
    r = random.Random(seed)
    # empty, one byte, one seal frame (CC_CHUNK_BYTES, 16 KiB), two frames
    # in one 64 KiB store chunk (STORE_CHUNK_MAX), two chunks, and three
    # (stored padded: 16,613, 33,014, 82,217 and 164,222 bytes): three is
    # the fewest with a chunk between two others, which the no-gap check
    # needs. Was 300,000 (twice the bytes): every later integrity_check
    # reads each byte stored, and a fourth or fifth chunk is a case the
    # third already is.
    sizes = (0, 0, 1, 700, 20_000, 70_000, 140_000)

    def files_of(rr):
        return [rr.randbytes(rr.choice(sizes)) for _ in range(rr.choice((0, 0, 1, 2)))]

    tmp = tempfile.mkdtemp(prefix="candour-crash.")
    intake = Intake(bindir, tmp)
    book = Book()
    t0 = time.monotonic()
    kills = {k: 0 for k in TARGETS}
    hits = collections.Counter()  # the requests under way at the kills
    spent = {"stop": 0.0, "start": 0.0, "check": 0.0}
    try:
        intake.start()
        for i in range(a.kills):
            stop = threading.Event()
            errs = []
            doing = {}

            def body(s):
                try:
                    client(intake, book, stop, s, files_of, doing)
                except Fail as e:
                    errs.append(e)
            th = [threading.Thread(target=body, args=(r.randrange(1 << 30),))
                  for _ in range(a.clients)]
            for t in th:
                t.start()
            time.sleep(r.uniform(0, a.cycles) * book.cycle())
            target = TARGETS[i % 3]
            stop.set()  # requests under way go on into the kill
            t1 = time.monotonic()
            hits.update(list(doing.values()))  # list(): one C call, the clients write on
            intake.kill(target)
            kills[target] += 1
            for t in th:
                t.join()
            if errs:
                raise errs[0]
            t2 = time.monotonic()
            intake.start()
            t3 = time.monotonic()
            n = check(intake, book, r, 1)
            spent["stop"] += t2 - t1
            spent["start"] += t3 - t2
            spent["check"] += time.monotonic() - t3
        intake.stop()
        dbsize = os.path.getsize(intake.db)
        final_import(intake, n if a.kills else 0)
    except Fail as e:
        print(f"FAIL: intake-crash (seed {seed}, after {sum(kills.values())} kills): {e}")
        intake.stop()
        sys.exit(1)
    finally:
        if intake.proc and intake.proc.poll() is None:
            intake.proc.kill()
        subprocess.run(["rm", "-rf", tmp])
    print(f"intake-crash: ok: {sum(kills.values())} kills (parent {kills['parent']}, store "
          f"{kills['store']}, http {kills['http']}) in {time.monotonic() - t0:.0f} s; "
          f"intake.db {dbsize / 1e6:.0f} MB, {len(book.shown)} receipts shown and all open, {book.extra} concerns stored "
          f"without one (answer lost in a crash, whole), answers: {book.answers}; under way at "
          f"the kills: {dict(hits.most_common())}; seconds "
          f"spent: " + ", ".join(f"{k} {v:.1f}" for k, v in spent.items()))


if __name__ == "__main__":
    main()
