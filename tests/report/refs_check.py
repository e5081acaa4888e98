#!/usr/bin/env python3
"""Section 5 of a governance report worked out apart from the C code (e2e 60).

Usage: refs_check.py FACTS ASOF REPORT [--nonzero MEASURE...]

FACTS is bench/gen_casebook's --facts file: each referral link made
(link,REF,state,received day of the concern) and each register row
(reg,REF,received,decision,decision day,strategy,s47,icpc,status,closed,
closure reason,assessment). REPORT is the report's CSV or JSON. For each
reference named (links not rejected): the month it was first named, its
state (recorded, near, missing: the best of its links) and, recorded, the
timescale flags of its register row as of ASOF, with the register's
defaults (decision 1 working day, strategy 3, ICPC 15 after the strategy
discussion, assessment 45, NFA within 10 days) and the England and Wales
bank holidays of 2024-2026 written out here from gov.uk, not read from the
C source. Every published cell of section 5's reference tables must be the
count worked out here; --nonzero names measures whose "flagged" count must
be above 0 (the fixture holds such references). Prints what it checked.
"""
import csv
import datetime as dt
import json
import sys

HOLIDAYS = {dt.date.fromisoformat(d) for d in (
    "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26",
    "2024-12-25", "2024-12-26", "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05",
    "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26", "2026-01-01", "2026-04-03",
    "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28")}
CP = ("strategy", "s47", "section 47", "child protection")
NFA = ("nfa", "no further action")
FLAGS = ("decision_late", "strategy_late", "s47_not_started", "icpc_late", "nfa_quick",
         "closed_no_decision", "assessment_late")


def day(s):
    return dt.date.fromisoformat(s) if s else None


def after(d, n):
    """The day n working days after d."""
    assert dt.date(2024, 1, 1) <= d <= dt.date(2026, 10, 1), d  # the holidays written above
    while n > 0:
        d += dt.timedelta(days=1)
        if d.weekday() < 5 and d not in HOLIDAYS:
            n -= 1
    return d


def has(words, s):
    return any(w in s.lower() for w in words)


def flags(r, today):
    rec, dec, ddate, strat, s47, icpc, status, closed, reason, assess = r
    is_closed = closed is not None or "closed" in status.lower()
    decided = bool(dec) or ddate is not None
    cp, nfa = has(CP, dec), has(NFA, dec) or has(NFA, reason)
    f = set()
    if rec:
        due = after(rec, 1)
        if (ddate > due) if ddate else (not decided and not is_closed and today > due):
            f.add("decision_late")
    if ddate and (cp or strat):
        due = after(ddate, 3)
        if (strat > due) if strat else (is_closed or today > due):
            f.add("strategy_late")
    if (cp or icpc) and s47 is None:
        f.add("s47_not_started")
    if strat and icpc and icpc > after(strat, 15):
        f.add("icpc_late")
    if is_closed and nfa and rec and closed and (closed - rec).days <= 10:
        f.add("nfa_quick")
    if is_closed and not decided:
        f.add("closed_no_decision")
    if rec:
        due = after(rec, 45)
        if (assess > due) if assess else (cp and not is_closed and today > due):
            f.add("assessment_late")
    return f


def months_of(p):
    """The months (YYYY-MM) of a period label: 2025-06, 2025-Q2, 2025, FY2025."""
    if p.startswith("FY"):
        y = int(p[2:])
        return {"%d-%02d" % (y + (m > 12), (m - 1) % 12 + 1) for m in range(4, 16)}
    if "-Q" in p:
        q = int(p[-1])
        return {"%s-%02d" % (p[:4], m) for m in range(3 * q - 2, 3 * q + 1)}
    if "-" in p:
        return {p}
    return {"%s-%02d" % (p, m) for m in range(1, 13)}


def references(facts, asof):
    """Each reference named by asof (links not rejected, dated by then):
    (the month first named, YYYY-MM; the cells it counts in, as
    (measure, breakdown) pairs, Totals included). Also used by
    sdc_states.py (its section 5 truth, per casebook state)."""
    refs, reg = {}, {}
    rank = {"exact": 0, "manual": 0, "near": 1, "missing": 2}
    for row in csv.reader(open(facts)):
        if row[0] == "link" and row[2] != "rejected" and day(row[3]) <= asof:
            r = refs.setdefault(row[1], {"first": day(row[3]), "n": 0, "state": 2})
            r["first"] = min(r["first"], day(row[3]))
            r["n"] += 1
            r["state"] = min(r["state"], rank[row[2]])
        elif row[0] == "reg":
            assert row[1] not in reg, row
            reg[row[1]] = (day(row[2]), row[3], day(row[4]), day(row[5]), day(row[6]),
                           day(row[7]), row[8], day(row[9]), row[10], day(row[11]))
    out = []
    for ref, r in refs.items():
        fl = flags(reg[ref], asof) if r["state"] == 0 and ref in reg else set()
        state = ("recorded", "awaiting-confirmation", "missing-from-register")[r["state"]]
        ks = [("references_named", state), ("references_named", "total"),
              ("references_corroborated", "more-than-one" if r["n"] > 1 else "one-concern"),
              ("references_corroborated", "total")]
        for f in FLAGS:
            ks.append(("references_" + f, "flagged" if f in fl else "not-flagged"))
            ks.append(("references_" + f, "total"))
        out.append((r["first"].strftime("%Y-%m"), ks))
    return out


def main():
    facts, asof, report = sys.argv[1], day(sys.argv[2]), sys.argv[3]
    nonzero = sys.argv[5:] if len(sys.argv) > 4 and sys.argv[4] == "--nonzero" else []
    if report.endswith(".json"):
        d = json.load(open(report))
        period = d["period"]
        cells = [(c["measure"], c["breakdown"], c["value"], c["withheld"]) for c in d["cells"]]
    else:
        rows = list(csv.DictReader(open(report, newline="")))
        period = rows[0]["period"]
        cells = [(r["measure"], r["breakdown"], int(r["value"]) if r["value"] else None,
                  r["withheld"] == "1") for r in rows if r["section"] == "5"]
    months = months_of(period)
    want = {}
    for first, ks in references(facts, asof):
        if first not in months:
            continue
        for k in ks:
            want[k] = want.get(k, 0) + 1
    checked = 0
    for m, b, v, w in cells:
        if not (m.startswith("references_")):
            continue
        if w:
            continue
        assert v == want.get((m, b), 0), (period, m, b, v, want.get((m, b), 0))
        checked += 1
    for m in nonzero:
        k = ("references_" + m, "flagged")
        got = [v for (cm, cb, v, w) in cells if (cm, cb) == k and not w]
        assert got and got[0] > 0, (period, k, got, want.get(k, 0))
    print("%s: %d section 5 cells as worked out from the facts (%d references named)"
          % (period, checked, want.get(("references_named", "total"), 0)))


if __name__ == "__main__":
    main()
