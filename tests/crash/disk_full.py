#!/usr/bin/env python3
"""The disk fills during a submission and during an import. The data
directory of the intake and the casebook's directory are each a small
tmpfs (mount -t tmpfs -o size=...: needs root; without it this test says
so and is skipped, since a file-size limit would not fill the disk for
SQLite's journal and WAL the way a full disk does), filled with a file
until a few hundred KiB are left or nothing at all.

Intake: a concern with an attachment larger than the space left gets a
503 that keeps the reporter's text and shows no receipt, as does a
follow-up message; the store stays up; the database passes every check
of intake_crash.py (integrity, chain, no half-stored record, no staging
chunk left once the stream is idle); once the filler goes, the same
concern is accepted and its receipt opens it, with the message count as
told. Casebook: `import` and `referrals import` on a full disk fail with
one line on stderr naming the problem and exit 1, the casebook's dump is
byte-identical to before; once space returns each import succeeds and
gives the casebook a finished import on a roomy disk gives.
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intake_client import Reporter  # noqa: E402
from intake_crash import Book, Fail, Intake, check_db, pwdnam, run  # noqa: E402
from review_crash import canon, copy_db, exact, join_session_keyring, register  # noqa: E402


def mount(path, size):
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", path],
                          capture_output=True).returncode == 0


def fill(path, leave):
    """A filler file in path until at most `leave` bytes are free."""
    f = os.path.join(path, "filler")
    with open(f, "ab") as out:
        try:
            while True:
                st = os.statvfs(path)
                free = st.f_bavail * st.f_frsize
                if free <= leave:
                    break
                out.write(b"\0" * min(free - leave, 1 << 20))
                out.flush()
        except OSError:
            pass
    return f


def free_of(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def intake_part(it, r):
    it.start()
    rep = Reporter(it.port)
    res = rep.submit("disk-full: the first concern fits.", [r.randbytes(2000)])
    if res[0] != "ok":
        raise Fail(f"a small concern on an empty disk: {res[:2]}")
    r1 = res[1]
    book = Book()
    book.shown[r1] = [0, 0]
    n0 = check_db(it, book)[0]
    filler = fill(it.data, 300_000)
    big = r.randbytes(1_200_000)
    what = "disk-full: the attachment of this concern does not fit on the disk."
    res = rep.submit(what, [big])
    if res[0] != "refused" or res[1] != 503:
        raise Fail(f"a concern larger than the free space gave {res[:2]} (free {free_of(it.data)})")
    if what.encode() not in res[2] or b'class="receipt"' in res[2]:
        raise Fail("the disk-full 503 lost the reporter's text or shows a receipt: "
                   + res[2].decode(errors="replace")[:3000])
    if rep.open_receipt(r1)[0] != "ok":
        raise Fail("the receipt does not open while the disk is full")
    res = rep.message("disk-full: a message with a file that does not fit", [big])
    if res[0] != "refused" or res[1] != 503:
        raise Fail(f"a message larger than the free space gave {res[:2]}")
    if it.proc.poll() is not None:
        raise Fail("serve stopped when the disk filled")
    if check_db(it, book, started=False)[0] != n0:
        raise Fail("a record appeared although the disk was full")
    # wholly full: whatever the answer, nothing half-written
    fill(it.data, 0)
    res = Reporter(it.port).submit("disk-full: no space at all.", [])
    if res[0] == "ok":
        book.shown[res[1]] = [0, 0]
    elif res[1] != 503 or b"disk-full: no space at all." not in res[2]:
        raise Fail(f"a concern on a wholly full disk gave {res[:2]}")
    # a restart with the disk still full (after a crash, say): serve starts,
    # the receipt opens, new concerns get their 503
    it.stop()
    it.start()
    rep = Reporter(it.port)
    if rep.open_receipt(r1)[0] != "ok":
        raise Fail("restarted on a full disk, the receipt does not open")
    res = rep.submit(what, [big])
    if res[0] != "refused" or res[1] != 503 or what.encode() not in res[2]:
        raise Fail(f"restarted on a full disk, a concern gave {res[:2]}")
    it.stop()
    os.unlink(filler)
    it.start()
    check_db(it, book)
    rep = Reporter(it.port)
    res = rep.submit(what, [big])
    if res[0] != "ok":
        raise Fail(f"once space returned, the concern gave {res[:2]}")
    for rc in list(book.shown) + [res[1]]:
        got = rep.open_receipt(rc)
        if got != ("ok", 0):
            raise Fail(f"receipt {rc} after the disk was full: {got[:2]}")
    n = check_db(it, book)[0]
    out = run([it.bin + "/candour-intake", "status", "--db", it.db], it.env)
    if f"records: {n}\n" not in out:
        raise Fail(f"status after the disk was full: {out[:200]}")
    it.stop()
    return n


def one_line_error(err, verb):
    lines = err.decode(errors="replace").strip().split("\n")
    if len(lines) != 1 or not lines[0].startswith(f"candour-review: {verb}"):
        raise Fail(f"{verb} on a full disk said: {lines[:4]}")
    return lines[0]


def casebook_part(it, r, tmp):
    rv = it.bin + "/candour-review"
    key = os.path.join(it.secret, "alice.sec")
    b2 = os.path.join(tmp, "all.bundle")  # every record, the 1.2 MB attachment too
    run([it.bin + "/candour-intake", "export", "--db", it.db, "--out", b2], it.env)
    mnt = os.path.join(tmp, "cbdir")
    os.makedirs(mnt)
    if not mount(mnt, "6m"):
        raise Fail("cannot mount the casebook's tmpfs")
    try:
        cb = os.path.join(mnt, "cb.db")
        K = ["--casebook", cb, "--key", key]
        run([rv, "init"] + K + ["--intake-key", it.db + ".sign.pub"], it.env)
        run([rv, "unlock", "--key", key, "--for", "10m"], it.env)
        reg = os.path.join(tmp, "reg.csv")
        with open(reg, "wb") as f:
            f.write(register(r, 6000, False))
        results = []
        for verb, args in ((["import"], [b2]), (["referrals", "import"], [reg])):
            # what a finished import on a roomy disk gives
            ref = os.path.join(tmp, "ref.db")
            copy_db(cb, ref)
            run([rv] + verb + ["--casebook", ref, "--key", key] + args, it.env)
            want = canon(ref)
            before = exact(cb)
            filler = fill(mnt, 150_000)
            p = subprocess.run([rv] + verb + K + args, env=it.env, capture_output=True)
            if p.returncode != 1:
                raise Fail(f"{' '.join(verb)} on a full disk exited {p.returncode}")
            line = one_line_error(p.stderr, verb[0])
            os.unlink(filler)
            if exact(cb) != before:
                raise Fail(f"{' '.join(verb)} on a full disk changed the casebook")
            run([rv] + verb + K + args, it.env)
            if canon(cb) != want:
                raise Fail(f"{' '.join(verb)} once space returned differs from a finished one")
            run([rv, "audit", "--casebook", cb, "--key", key, "verify"], it.env)
            results.append(line)
        run([rv, "lock", "--key", key], it.env)
        return results
    finally:
        subprocess.run(["umount", mnt])


def main():
    if os.geteuid() != 0:
        print("disk-full: SKIP: not root, cannot mount a small tmpfs")
        return
    seed = int(os.environ.get("CANDOUR_TEST_SEED") or random.SystemRandom().randrange(1 << 31))
    print(f"disk-full: seed {seed} (CANDOUR_TEST_SEED={seed} replays)", flush=True)
    r = random.Random(seed)
    bindir = os.environ.get("CANDOUR_BIN") or "build"
    tmp = tempfile.mkdtemp(prefix="candour-full.")
    it = None
    mounted = False
    try:
        join_session_keyring()
        it = Intake(bindir, tmp)
        if not mount(it.data, "4m"):
            print("disk-full: SKIP: mount -t tmpfs is not permitted here")
            return
        mounted = True
        os.chown(it.data, pwdnam("nobody"), -1)
        n = intake_part(it, r)
        lines = casebook_part(it, r, tmp)
    except Fail as e:
        print(f"FAIL: disk-full (seed {seed}): {e}")
        sys.exit(1)
    finally:
        if it is not None:
            it.stop()
        if mounted:
            subprocess.run(["umount", it.data])
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"disk-full: ok: the intake refused with 503 and its text kept, {n} records whole "
          f"after space returned; the casebook said {lines!r} and was unchanged, then imported")


if __name__ == "__main__":
    main()
