#!/usr/bin/env python3
"""Mutation testing for Candour (tests/mutants/README.md says how to read it).

Each mutant in tests/mutants/MODULE.txt is one plausible mistake: a piece of
text in one source file and what it becomes. For each, a copy of the tree
(never the working tree) gets the change, make rebuilds only what it touches
(the copy starts from a built build/ directory, so one object is recompiled),
and the tests that should notice run: the mutant's own `kill:` list first,
then the rest of its module's unit tests, then its `e2e:` scripts. The mutant
is killed when any of them fails or runs out of time, and survives when all
pass. An e2e script that passes but skipped a part (lib.sh's `skip`: a tool
or a right this machine lacks) did not run what the mutant names: unless
another test kills the mutant, it is "notrun", neither killed nor survived,
reported, and it fails the run. Equivalent mutants (`equivalent: REASON`) are run too, and reported if
a test kills one (then it was not equivalent), but left out of the score.

Usage: mutate.py lint
       mutate.py run [--keep] [--listed] [MODULE|ID]...
         --listed runs only each mutant's kill/e2e tests, not the rest of
         its module's: quicker, and its score is a lower bound
       mutate.py selftest   (the lint, a planted bad record, and three
                             mutants: one killed, one inert, one that
                             does not build; needs a built build/)
Environment: MUTATE_TIMEOUT (seconds per test program, default 300),
MUTATE_OUT (the results file, default build/mutate/results.tsv).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

MODULES = ("crypto", "intake", "review", "bundle", "util", "report")
# A module's sources and unit tests: its folder (tests/<folder>/test_*),
# but "report", the governance report, is the review/report*.c files with
# their own unit tests (test_report*, test_voice); its e2e scripts (60-64)
# run only where a mutant names them, as e2e 61 and 63 cost minutes.
SOURCES = {"report": ("review/report", ("test_report", "test_voice"))}
KEYS = ("file", "from", "to", "kill", "e2e", "equivalent", "why")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Mutant:
    def __init__(self, mid, module, where):
        self.id, self.module, self.where = mid, module, where
        self.file = self.frm = self.to = None
        self.kill, self.e2e = [], []
        self.equivalent = self.why = None


def parse(path, module):
    """Records are `[id]` followed by `key: value` lines; `#` starts a
    comment line. `from` and `to` are literal text (no escapes); a line
    that starts with a tab continues the `from` or `to` above it on a new
    line (C code lines start with tabs), as does a second `from:`/`to:`."""
    out, cur, last = [], None, None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            where = "%s:%d" % (os.path.relpath(path, ROOT), n)
            if line.startswith("\t") and cur is not None and last in ("from", "to"):
                attr = "frm" if last == "from" else "to"
                setattr(cur, attr, getattr(cur, attr) + "\n" + line)
                continue
            last = None
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = re.fullmatch(r"\[([a-z0-9][a-z0-9-]*)\]", line)
            if m:
                cur = Mutant(m.group(1), module, where)
                out.append(cur)
                continue
            m = re.fullmatch(r"([a-z0-9]+):(?: (.*))?", line)
            if not m or cur is None or m.group(1) not in KEYS:
                raise SystemExit("%s: not a mutant line: %r" % (where, line))
            k, v = m.group(1), m.group(2) or ""
            last = k
            if k in ("from", "to"):
                old = getattr(cur, "frm" if k == "from" else k)
                setattr(cur, "frm" if k == "from" else k, v if old is None else old + "\n" + v)
            elif k in ("kill", "e2e"):
                getattr(cur, k).extend(v.split())
            elif getattr(cur, k) is not None:
                raise SystemExit("%s: %s given twice" % (where, k))
            else:
                setattr(cur, k, v)
    return out


def load():
    muts = []
    for mod in MODULES:
        p = os.path.join(ROOT, "tests", "mutants", mod + ".txt")
        if os.path.exists(p):
            muts += parse(p, mod)
    return muts


def lint(muts):
    """Each mutant names an existing file of its module, text found there
    exactly once, a change, and tests that exist."""
    errs, seen = [], set()
    for m in muts:
        e = lambda s: errs.append("%s: [%s] %s" % (m.where, m.id, s))
        if m.id in seen:
            e("id used twice")
        seen.add(m.id)
        if not m.id.startswith(m.module + "-"):
            e("id does not start with its module's name")
        if m.file is None or m.frm is None or m.to is None:
            e("needs file, from and to")
            continue
        prefix = SOURCES.get(m.module, (m.module + "/",))[0]
        if not m.file.startswith(prefix) or not m.file.endswith(".c"):
            e("file is not a .c file of " + prefix)
        if m.frm == m.to or m.frm == "":
            e("from is empty or equal to to")
        if not m.kill:
            e("names no test that must fail (kill:)")
        for t in m.kill:
            if not re.fullmatch(r"tests/[a-z]+/test_[a-z0-9_]+", t) or not os.path.exists(
                    os.path.join(ROOT, t + ".c")):
                e("kill: no such unit test " + t)
        for s in m.e2e:
            if not os.path.exists(os.path.join(ROOT, "tests", "e2e", s)):
                e("e2e: no such script " + s)
        if m.equivalent == "":
            e("equivalent: needs the reason")
        try:
            with open(os.path.join(ROOT, m.file), encoding="utf-8") as f:
                n = f.read().count(m.frm)
        except OSError:
            n = -1
        if n != 1:
            e("text occurs %d times in %s (must be once)" % (n, m.file))
    return errs


def sh(cmd, cwd, timeout=None, log=None):
    """Runs cmd niced (CANDOUR_NICE, default 10) in its own process group;
    returns (exit code or 'timeout', seconds). On timeout the whole group
    (a test's servers too) is killed."""
    t0 = time.time()
    p = subprocess.Popen(["nice", "-n", os.environ.get("CANDOUR_NICE", "10")] + cmd, cwd=cwd, stdout=log or subprocess.DEVNULL,
                         stderr=subprocess.STDOUT, start_new_session=True)
    try:
        rc = p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        rc = "timeout"
    try:
        os.killpg(p.pid, 9)  # anything the test left running
    except OSError:
        pass
    p.wait()
    return rc, time.time() - t0


def module_tests(root, module):
    folder, names = module, ("test_",)
    if module in SOURCES:
        folder, names = SOURCES[module][0].split("/")[0], SOURCES[module][1]
    d = os.path.join(root, "tests", folder)
    return sorted("tests/%s/%s" % (folder, f[:-2]) for f in os.listdir(d)
                  if f.startswith(names) and f.endswith(".c"))


# Left out of the copies: the fuzz targets' corpora (3,812 of the tree's
# 4,289 files, 2026-12-07), which no mutant's build, unit test or e2e
# script reads (kill: names tests/MODULE/test_*, e2e: tests/e2e/*.sh; make
# all and tests build no fuzz target). Copied, they were most of the
# self-test's CPU: each mutant's fresh copy of the base ~2.5 s of it, 11.9 s
# of CPU for the four (7.9 s of it in the kernel) against ~2.5 s of makes.
NOT_COPIED = ("tests/fuzz/corpus/",)


def make_base(tmp):
    """A copy of the tree (tracked and new files, as they are now, but
    NOT_COPIED) with a built build/: the working tree's own build/ when
    there is one."""
    base = os.path.join(tmp, "base")
    os.mkdir(base)
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, check=True, stdout=subprocess.PIPE).stdout
    files = b"\0".join(f for f in files.split(b"\0") if f and not f.decode().startswith(NOT_COPIED)
                       and os.path.exists(os.path.join(ROOT, f.decode())))
    tar = subprocess.run(["tar", "-C", ROOT, "--null", "-T", "-", "-cf", "-"], input=files,
                         stdout=subprocess.PIPE, check=True).stdout
    subprocess.run(["tar", "-C", base, "-xf", "-"], input=tar, check=True)
    if os.path.isdir(os.path.join(ROOT, "build")):
        shutil.copytree(os.path.join(ROOT, "build"), os.path.join(base, "build"), symlinks=True)
    rc, secs = sh(["make", "-s", "-j2", "all", "tests"], base, log=open(os.path.join(tmp, "base.log"), "w"))
    if rc != 0:
        raise SystemExit("mutate: the unmutated tree does not build (%s/base.log)" % tmp)
    return base


def run_one(m, base, tmp, timeout, only_listed=False):
    work = os.path.join(tmp, "work")
    if os.path.exists(work):
        shutil.rmtree(work)
    shutil.copytree(base, work, symlinks=True)
    src = os.path.join(work, m.file)
    with open(src, encoding="utf-8") as f:
        text = f.read()
    if text.count(m.frm) != 1:
        return "error", "text occurs %d times" % text.count(m.frm), 0
    with open(src, "w", encoding="utf-8") as f:
        f.write(text.replace(m.frm, m.to))
    later = time.time() + 1
    os.utime(src, (later, later))
    t0 = time.time()
    tests = list(m.kill)
    if not only_listed:
        tests += [t for t in module_tests(work, m.module) if t not in m.kill]
    # an e2e script runs the e2e helpers too (rp_gen, gen_casebook: make
    # tests), which link the mutated library: built with "all" alone, the
    # copy's were the unmutated ones (report-agg-cap-upto-none survived
    # e2e 63 so, its rp_gen stale, 2026-12-07)
    targets = ["build/" + t for t in tests] + (["all", "tests"] if m.e2e else [])
    log = open(os.path.join(tmp, m.id + ".log"), "w")
    rc, _ = sh(["make", "-s", "-j2"] + targets, work, timeout=900, log=log)
    if rc != 0:
        return "stillborn", "does not build", time.time() - t0
    for t in tests:
        log.write("== %s\n" % t)
        log.flush()
        rc, _ = sh(["build/" + t], work, timeout=timeout, log=log)
        if rc != 0:
            how = " (timeout)" if rc == "timeout" else ""
            note = "" if t in m.kill else " [not a listed test]"
            return "killed", t + how + note, time.time() - t0
    skipped = []
    for s in m.e2e:
        log.write("== e2e %s\n" % s)
        log.flush()
        at = log.tell()
        env_cmd = ["env", "CANDOUR_BIN=" + os.path.join(work, "build"), "bash", "tests/e2e/" + s]
        rc, _ = sh(env_cmd, work, timeout=timeout, log=log)
        if rc != 0:
            return "killed", "e2e " + s + (" (timeout)" if rc == "timeout" else ""), time.time() - t0
        # a pass with a part skipped (run-e2e.sh reads the same line): that
        # part did not run, so its pass says nothing of the mutant
        with open(log.name, encoding="utf-8", errors="replace") as f:
            f.seek(at)
            skipped += ["e2e %s skipped: %s" % (s, line[len("e2e: skipped: "):].strip())
                        for line in f if line.startswith("e2e: skipped: ")]
    if skipped:
        return "notrun", "; ".join(skipped), time.time() - t0
    return "survived", "", time.time() - t0


def selftest():
    """The runner checks itself: the data files pass the lint, a planted
    bad record does not, a mutant the tests must catch is killed, an inert
    one (a comment) survives, one that does not compile is reported as
    such, and an inert one whose e2e script skipped its part is not run
    (not a survivor). Only the named tests run (test_chain, a fraction of
    a second; the planted e2e script, which only skips)."""
    errs = lint(load())
    for e in errs:
        print("mutate: " + e, file=sys.stderr)
    ok = not errs
    bad = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
    bad.write("[crypto-planted]\nfile: crypto/hash.c\nfrom: no such text\nto: x\n"
              "kill: tests/crypto/test_nonesuch\n")
    bad.close()
    planted = lint(parse(bad.name, "crypto"))
    os.unlink(bad.name)
    if len(planted) != 2:
        print("mutate: selftest: the lint missed a planted bad record: %r" % planted, file=sys.stderr)
        ok = False
    if not os.path.exists(os.path.join(ROOT, "build", "tests", "crypto", "test_chain")):
        print("mutate: selftest: needs a built tree (make all tests)", file=sys.stderr)
        return 1

    def mk(mid, frm, to):
        m = Mutant(mid, "crypto", "selftest")
        m.file, m.frm, m.to, m.kill = "crypto/hash.c", frm, to, ["tests/crypto/test_chain"]
        return m
    cases = [
        (mk("crypto-self-killed", "le64_store(buf + CC_HASH_BYTES, n);",
            "le64_store(buf + CC_HASH_BYTES, n - n);"), "killed"),
        (mk("crypto-self-inert", "/* BLAKE2b-256 hashing,", "/* BLAKE2b-256 (inert) hashing,"),
         "survived"),
        (mk("crypto-self-stillborn", "cc_hash(buf, sizeof buf, out);", "cc_hash(buf, sizeof buf out);"),
         "stillborn"),
    ]
    # an inert mutant whose e2e script passes having skipped its part: not
    # run, not survived (it was counted a survivor, its test never run)
    skip = mk("crypto-self-skipped", "/* BLAKE2b-256 hashing,", "/* BLAKE2b-256 (inert) hashing,")
    skip.e2e = ["99-mutate-selftest-skip.sh"]
    cases.append((skip, "notrun"))
    tmp = tempfile.mkdtemp(prefix="candour-mutate-self.")
    try:
        base = make_base(tmp)
        with open(os.path.join(base, "tests", "e2e", skip.e2e[0]), "w") as f:
            f.write('#!/bin/bash\n. "$(dirname "$0")/lib.sh"\n'
                    'skip "mutate selftest: a tool this machine lacks"\nexit 0\n')
        for m, want in cases:
            st, why, secs = run_one(m, base, tmp, 120, only_listed=True)
            print("mutate: selftest: %s %s (want %s) %s" % (m.id, st, want, why))
            ok = ok and st == want
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("mutate: selftest " + ("passed" if ok else "FAILED"))
    return 0 if ok else 1


def main(argv):
    if argv and argv[0] == "selftest":
        return selftest()
    if not argv or argv[0] not in ("lint", "run"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    muts = load()
    errs = lint(muts)
    for e in errs:
        print("mutate: " + e, file=sys.stderr)
    if argv[0] == "lint":
        sys.stderr.flush()
        print("mutate: lint: %d mutants, %d problems" % (len(muts), len(errs)))
        return 1 if errs else 0
    if errs:
        return 1
    keep = "--keep" in argv
    listed = "--listed" in argv
    sel = [a for a in argv[1:] if a not in ("--keep", "--listed")]
    if sel:
        muts = [m for m in muts if m.module in sel or m.id in sel]
    if not muts:
        print("mutate: nothing selected", file=sys.stderr)
        return 2
    timeout = int(os.environ.get("MUTATE_TIMEOUT", "300"))
    outp = os.environ.get("MUTATE_OUT", os.path.join(ROOT, "build", "mutate", "results.tsv"))
    os.makedirs(os.path.dirname(outp), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="candour-mutate.")
    res = {}
    try:
        base = make_base(tmp)
        with open(outp, "w") as out:
            for i, m in enumerate(muts, 1):
                st, why, secs = run_one(m, base, tmp, timeout, only_listed=listed)
                res[m.id] = (m, st, why)
                eq = " (marked equivalent)" if m.equivalent else ""
                print("[%3d/%d] %-9s %s%s %s (%.0fs)" % (i, len(muts), st, m.id, eq, why, secs),
                      flush=True)
                out.write("%s\t%s\t%s\t%s\t%.0f\n" % (m.id, m.module, st, why, secs))
                out.flush()
    finally:
        if keep:
            print("mutate: kept " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    bad = 0
    print("== score (killed / non-equivalent mutants)%s" % (
        ": the listed tests only, a lower bound" if listed else ""))
    for mod in MODULES:
        ms = [r for r in res.values() if r[0].module == mod]
        if not ms:
            continue
        live = [r for r in ms if not r[0].equivalent and r[1] in ("killed", "survived")]
        k = sum(1 for r in live if r[1] == "killed")
        pct = 100.0 * k / len(live) if live else 100.0
        print("mutate: %-7s %3d/%-3d killed (%.0f%%), %d equivalent, %d not run (stillborn/error),"
              " %d not run (an e2e part skipped)" % (
                  mod, k, len(live), pct, sum(1 for r in ms if r[0].equivalent),
                  sum(1 for r in ms if r[1] in ("stillborn", "error")),
                  sum(1 for r in ms if r[1] == "notrun")))
    for m, st, why in res.values():
        if st == "survived" and not m.equivalent:
            print("mutate: survived: %s %s: %s -> %s" % (m.id, m.file, m.frm, m.to))
            bad += 1
        elif st == "killed" and m.equivalent:
            print("mutate: marked equivalent but killed: %s (%s)" % (m.id, why))
            bad += 1
        elif st in ("stillborn", "error"):
            print("mutate: %s: %s (%s)" % (st, m.id, why))
            bad += 1
        elif st == "notrun":
            print("mutate: not run: %s (%s)" % (m.id, why))
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
