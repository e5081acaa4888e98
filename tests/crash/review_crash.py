#!/usr/bin/env python3
"""Crash consistency of the casebook: `candour-review import` (a bundle of
concerns, messages and attachments) and `candour-review referrals import`
(a register of a few thousand rows, new and updated) killed with SIGKILL
after a random delay, many times, each time on a fresh copy of the same
casebook. After each kill the casebook is exactly as before (its SQL dump
is byte-identical) or fully imported: its canonical dump (every table,
rows sorted, sealed blobs by length, the volatile columns named in
VOLATILE left out) equals that of an import that was let finish, and its
audit log verifies. Both outcomes must occur in the run, or the delays
missed the import and the run proves nothing.

The key is unlocked once into a session keyring of this process (as a
reviewer would with `candour-review unlock`), so the delays fall on the
import and not on the passphrase's Argon2id.

Usage: review_crash.py [--kills N] [--seed S]  (N kills of each command;
CANDOUR_BIN names the build; CANDOUR_TEST_SEED replays). Loopback only.
"""
import argparse
import ctypes
import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intake_client import Reporter  # noqa: E402
from intake_crash import Fail, Intake, run  # noqa: E402

# Columns whose value differs between two complete imports of the same
# input: times and dates of the import, and the audit chain over them
# (concern ids, drawn at random, are replaced by their seq in canon).
VOLATILE = {("audit", "time"), ("audit", "prev"), ("audit", "hash"),
            ("records", "imported"), ("ref_imports", "date")}
SUFFIXES = ("", "-wal", "-shm", "-journal")


def join_session_keyring():
    """keyctl(KEYCTL_JOIN_SESSION_KEYRING, NULL): a keyring of our own
    that the commands started from here share."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    nr = {"x86_64": 250, "aarch64": 219}.get(os.uname().machine)
    if nr is None or libc.syscall(nr, 1, None) < 0:
        raise Fail("cannot make a session keyring (keyctl)")


def killed_at(p, delay):
    """SIGKILL to p `delay` seconds from now, unless it has ended by then
    (the kill would find nothing to kill): waits on the process, not
    the whole delay."""
    fd = os.pidfd_open(p.pid)
    try:
        if not select.select([fd], [], [], delay)[0]:
            p.send_signal(signal.SIGKILL)
    finally:
        os.close(fd)
    p.wait()


def copy_db(src, dst):
    for s in SUFFIXES:
        if os.path.exists(dst + s):
            os.unlink(dst + s)
        if os.path.exists(src + s):
            shutil.copyfile(src + s, dst + s)


def exact(db):
    """The SQL dump, after SQLite's own recovery (what the next command
    would see)."""
    c = sqlite3.connect(db)
    try:
        return "\n".join(c.iterdump())
    finally:
        c.close()


def canon(db):
    c = sqlite3.connect(db)
    try:
        # a concern's id is drawn at random on import: name it by its seq
        ids = {i: f"concern@{q}" for i, q in c.execute("SELECT id, seq FROM concerns")}
        out = []
        for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
            cols = [r[1] for r in c.execute(f'PRAGMA table_info("{t}")')]
            keep = [i for i, n in enumerate(cols) if (t, n) not in VOLATILE]
            named = {i for i, n in enumerate(cols) if n == "concern_id" or
                     (t == "concerns" and n == "id")}
            rows = []
            for row in c.execute(f'SELECT * FROM "{t}"'):
                rows.append(tuple(("blob", len(row[i])) if isinstance(row[i], bytes)
                                  else ids.get(row[i], row[i]) if i in named
                                  else row[i] for i in keep))
            out.append((t, [cols[i] for i in keep], sorted(rows, key=repr)))
        return out
    finally:
        c.close()


def differ(got, want):
    """The first table and row where two canonical dumps part."""
    for (t, cols, rows), (_, _, wrows) in zip(got, want):
        if rows != wrows:
            extra = [x for x in rows if x not in wrows][:2]
            gone = [x for x in wrows if x not in rows][:2]
            return f"table {t} {cols}: {len(rows)} rows, want {len(wrows)}; " \
                   f"unexpected {extra}, missing {gone}"
    return "the tables differ"


def register(r, n, first):
    """A register CSV of n rows; the second one updates every row of the
    first and adds more."""
    lines = ["Referral Ref,Date Received,Source,Team,Decision,Decision Date,Status"]
    for i in range(n):
        dec = "NFA" if first else r.choice(("NFA", "s47", "s17"))
        lines.append(f"REF/2026/{i:05d},2026-0{1 + i % 9}-1{i % 10},Police,"
                     f"\"Team {i % 7}, north\",{dec},2026-0{1 + i % 9}-1{i % 9},Open")
    return ("\r\n".join(lines) + "\r\n").encode()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int(os.environ.get("CANDOUR_TEST_SEED") or
                                                   random.SystemRandom().randrange(1 << 31))
    print(f"review-crash: seed {seed} (CANDOUR_TEST_SEED={seed} replays), {a.kills} kills "
          "of each import", flush=True)
    r = random.Random(seed)
    bindir = os.environ.get("CANDOUR_BIN") or os.path.join(
        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "build")
    tmp = tempfile.mkdtemp(prefix="candour-rcrash.")
    rv = bindir + "/candour-review"
    try:
        join_session_keyring()
        it = Intake(bindir, tmp)
        key = os.path.join(it.secret, "alice.sec")
        cb0 = os.path.join(tmp, "cb0.db")
        b1, b2 = os.path.join(tmp, "b1"), os.path.join(tmp, "b2")
        # the intake: concerns with attachments and messages, two exports
        it.start()
        rep = Reporter(it.port)
        for phase, bundle in ((0, b1), (1, b2)):
            for i in range(12):
                files = [r.randbytes(r.choice((100, 30_000, 400_000))) for _ in range(r.randrange(3))]
                res = rep.submit(f"review-crash concern {phase}-{i}: REF/2026/{i:05d} closed.", files)
                if res[0] != "ok":
                    raise Fail(f"setup submission: {res[:2]}")
                if i % 3 == 0 and rep.open_receipt(res[1])[0] == "ok":
                    rep.message(f"more on {phase}-{i}", [r.randbytes(5000)])
            since = [] if phase == 0 else ["--since", str(n1)]
            run([bindir + "/candour-intake", "export", "--db", it.db, "--out", bundle] + since,
                it.env)
            n1 = int(run([bindir + "/candour-intake", "status", "--db", it.db], it.env)
                     .split("records: ")[1].split()[0])
        it.stop()
        K = ["--casebook", cb0, "--key", key]
        run([rv, "init"] + K + ["--intake-key", it.db + ".sign.pub"], it.env)
        run([rv, "unlock", "--key", key, "--for", "1h"], it.env)
        run([rv, "import"] + K + [b1], it.env)
        reg1, reg2 = os.path.join(tmp, "reg1.csv"), os.path.join(tmp, "reg2.csv")
        with open(reg1, "wb") as f:
            f.write(register(r, 1500, True))
        with open(reg2, "wb") as f:
            f.write(register(r, 4000, False))
        run([rv, "referrals", "import"] + K + [reg1], it.env)
        before_exact, before = exact(cb0), canon(cb0)

        ops = {"import": [b2], "referrals import": [reg2]}
        tally = {}
        for op, args in ops.items():
            verb = op.split()
            cb = os.path.join(tmp, "cb.db")
            # an import let finish: what "fully imported" looks like, and how long it takes
            copy_db(cb0, cb)
            t = time.monotonic()
            run([rv] + verb + ["--casebook", cb, "--key", key] + args, it.env)
            full = time.monotonic() - t
            after = canon(cb)
            if after == before:
                raise Fail(f"{op} changes nothing: the test would prove nothing")
            res = {"before": 0, "after": 0}
            # The random kills, then (only when they all fell on one side:
            # the run's time measured once, under a load that changed) up
            # to EXTRA more aimed at the side not reached, the later ones
            # further out, each checked the same way
            EXTRA = 8
            for k in range(a.kills + EXTRA):
                if k >= a.kills:
                    if a.kills < 10 or (res["before"] > 0 and res["after"] > 0):
                        break
                    j = k - a.kills + 1
                    delay = (r.uniform(0, full * 0.5 / j) if res["before"] == 0
                             else r.uniform(full, full * (1 + j)))
                else:
                    delay = r.uniform(0, full * 1.1)
                copy_db(cb0, cb)
                p = subprocess.Popen([rv] + verb + ["--casebook", cb, "--key", key] + args,
                                     env=it.env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
                killed_at(p, delay)
                if exact(cb) == before_exact:
                    res["before"] += 1
                    continue
                got = canon(cb)
                if got != after:
                    raise Fail(f"{op} killed after a random delay left the casebook neither as "
                               f"before nor fully imported: {differ(got, after)}")
                run([rv, "audit", "--casebook", cb, "--key", key, "verify"], it.env)
                res["after"] += 1
            if a.kills >= 10 and (res["before"] == 0 or res["after"] == 0):
                raise Fail(f"{op}: {res}: the kills never fell on both sides of the commit")
            tally[op] = (res, full)
        run([rv, "lock", "--key", key], it.env)
    except Fail as e:
        print(f"FAIL: review-crash (seed {seed}): {e}")
        sys.exit(1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("review-crash: ok: " + "; ".join(
        f"{op}: {v[0]['before']} kills left it as before, {v[0]['after']} fully imported "
        f"(a whole run takes {v[1]:.2f} s)" for op, v in tally.items()))


if __name__ == "__main__":
    main()
