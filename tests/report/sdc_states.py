#!/usr/bin/python3
"""Independent checker for reports made from two casebook states.

A committee may hold reports a casebook gave at two times: a quarter's
made in April from the records imported by then, and the year's made
after it ended from every record (SECURITY.md, "Reports from different
casebook states"). This asks, like an attacker holding every report of
both states at once, what each withheld cell of the category table
(received_by_category, received_by_month) could be. It knows what a
reader knows (the published cells, the months each period covers, the
accountability statement's exact counts of concerns and of those sealed to
others, counts >= 0) and, more than a reader, which month cells (row x
month, up to the last month the first state's reports cover) did not
change between the states: those are one variable for both. That comes
from the generator's truth (the casebooks' concerns table: month received,
category, readable), never from the C code.

For every report it fails when a published count is 1..threshold, and for
every withheld cell when its lowest and highest values consistent with
everything published in both states (scipy.optimize.linprog, HiGHS) are
less than the threshold apart (or, when the statement's total, or for "not known" its
count sealed to others, is below the threshold, than that).

Usage: sdc_states.py THRESHOLD DB1 REPORTS1 DB2 REPORTS2 [--expect-fail]
       sdc_states.py --cases FILE (lines: LABEL THRESHOLD DB1 REPORTS1 DB2 REPORTS2)
REPORTS is a comma-separated list of JSON reports made from DB's state.
Exit 0 when every cell passes (with --expect-fail: when some cell fails,
the failures printed); 1 otherwise (--cases: when any case fails).
"""
import json
import sqlite3
import sys

import numpy as np
from scipy.optimize import linprog

EPS = 1e-6


def period_months(label):
    """The month indexes (year * 12 + month - 1) a period covers."""
    if label.startswith("FY"):
        y = int(label[2:])
        return y * 12 + 3, y * 12 + 14
    if "-Q" in label:
        y, q = label.split("-Q")
        a = int(y) * 12 + (int(q) - 1) * 3
        return a, a + 2
    if "-" in label:
        y, m = label.split("-")
        a = int(y) * 12 + int(m) - 1
        return a, a
    return int(label) * 12, int(label) * 12 + 11


def month_of(text):
    return int(text[:4]) * 12 + int(text[5:7]) - 1


def truth(db, asof):
    """Concerns received by day asof, per (row, month): the generator's
    truth. A concern sealed to others is in "not-known"."""
    t = {}
    q = "SELECT received, category, readable FROM concerns WHERE substr(received, 1, 10) <= ?"
    for received, category, readable in sqlite3.connect(db).execute(q, (asof,)):
        row = "cat." + category if readable else "not-known"
        k = (row, month_of(received))
        t[k] = t.get(k, 0) + 1
    return t


class Problem:
    def __init__(self):
        self.nvar = 0
        self.rows = []  # (dict var -> coef, value)

    def var(self):
        self.nvar += 1
        return self.nvar - 1

    def eq(self, coefs, value):
        self.rows.append((coefs, value))

    def bounds(self, obj):
        a = np.zeros((len(self.rows), self.nvar))
        b = np.zeros(len(self.rows))
        for i, (coefs, v) in enumerate(self.rows):
            for j, c in coefs.items():
                a[i, j] += c
            b[i] = v
        c = np.zeros(self.nvar)
        for j, k in obj.items():
            c[j] += k
        out = []
        for sign in (1, -1):
            r = linprog(sign * c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
            if r.status != 0:
                return None
            out.append(sign * r.fun)
        return out


def check(thr, db1, reps1, db2, reps2):
    """The failures of one pair of states (a list of lines)."""
    states = []
    for db, reps in ((db1, reps1), (db2, reps2)):
        docs = [json.load(open(f)) for f in reps.split(",")]
        states.append((db, docs))
    # the rows and months every report's category table covers
    rowset, lo, hi = set(), None, None
    for _, docs in states:
        for d in docs:
            a, b = period_months(d["period"])
            lo = a if lo is None else min(lo, a)
            hi = b if hi is None else max(hi, b)
            for c in d["cells"]:
                if c["measure"] == "received_by_category" and c["breakdown"] != "total":
                    rowset.add(c["breakdown"])
    rows = sorted(rowset)
    p = Problem()
    x = []  # per state: {(row, month) -> var}, {row -> var outside lo..hi}
    tr = []
    for db, docs in states:
        # the state's truth: every concern the state's reports account for
        t = truth(db, "9999-12-31")
        tr.append(t)
        x.append(({(r, m): p.var() for r in rows for m in range(lo, hi + 1)},
                  {r: p.var() for r in rows}))
    # Unchanged month cells are one variable for both states, up to the
    # last month the first state's reports cover: a later month the first
    # state had not reached is 0 there by definition, and saying it is
    # "unchanged" would hand the attacker its true value (0) in the second.
    upto = max(period_months(d["period"])[1] for d in states[0][1])
    for r in rows:
        for m in range(lo, upto + 1):
            if tr[0].get((r, m), 0) == tr[1].get((r, m), 0):
                p.eq({x[0][0][(r, m)]: 1, x[1][0][(r, m)]: -1}, 0)
    cells = []  # (state, report period, breakdown, coefs)
    bad = []
    public = {}
    for s, (db, docs) in enumerate(states):
        base, outside = x[s]
        acc = docs[0]["accountability"]
        every = {v: 1 for v in list(base.values()) + list(outside.values())}
        p.eq(every, acc["concerns"])
        nk = [v for (r, m), v in base.items() if r == "not-known"] + [outside["not-known"]]
        p.eq({v: 1 for v in nk}, acc["sealed_to_others"])
        for d in docs:
            a, b = period_months(d["period"])
            for c in d["cells"]:
                if c["measure"] == "received_by_category":
                    rs = rows if c["breakdown"] == "total" else [c["breakdown"]]
                    ms = range(a, b + 1)
                elif c["measure"] == "received_by_month":
                    rs, ms = rows, [month_of(c["breakdown"])]
                else:
                    continue
                coefs = {base[(r, m)]: 1 for r in rs for m in ms}
                name = "state %d %s %s %s" % (s + 1, d["period"], c["measure"], c["breakdown"])
                key = (tuple(rs), ms[0], ms[-1])
                value = sum(tr[s].get((r, m), 0) for r in rs for m in ms)
                if c["withheld"]:
                    # a "not known" cell can be no more than the sealed
                    # count (the statement's): need at most that
                    whole = acc["sealed_to_others"] if rs == ["not-known"] else acc["concerns"]
                    cells.append((s, name, coefs, key, value, whole))
                else:
                    public[(s, key)] = c["value"]
                    if 1 <= c["value"] <= thr:
                        bad.append("%s published as %d" % (name, c["value"]))
                    p.eq(coefs, c["value"])
    checked = 0
    for s, name, coefs, key, value, whole in cells:
        # the same cell published by the other state with the value it has
        # here: no secret (the pins publish it again)
        if public.get((1 - s, key)) == value:
            continue
        bd = p.bounds(coefs)
        if bd is None:
            bad.append("%s: the published cells contradict each other" % name)
            continue
        checked += 1
        need = min(thr, whole)
        if bd[1] - bd[0] < need - EPS:
            bad.append("%s withheld but in [%g, %g]" % (name, bd[0], bd[1]))
    return checked, bad


def main(argv):
    if len(argv) == 3 and argv[1] == "--cases":
        # one line a case: LABEL THRESHOLD DB1 REPORTS1 DB2 REPORTS2 (scipy
        # imported once for all of them); every case's verdict printed
        rc = 0
        for line in open(argv[2]):
            label, *args = line.split()
            checked, bad = check(int(args[0]), *args[1:])
            print("%s: %d withheld cells checked, %d failures" % (label, checked, len(bad)))
            for b in bad[:10]:
                print("%s:   %s" % (label, b))
            rc |= bool(bad)
        return rc
    expect_fail = "--expect-fail" in argv
    argv = [a for a in argv if a != "--expect-fail"]
    checked, bad = check(int(argv[1]), *argv[2:6])
    print("sdc_states: %d withheld cells checked, %d failures" % (checked, len(bad)))
    for b in bad[:10]:
        print("  " + b)
    if expect_fail:
        return 0 if bad else 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
