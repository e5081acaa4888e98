"""What a reader of the governance report knows beyond its tables.

The attacker of sdc_check.py holds every report of a year. Besides the
published cells and the Totals that tables of one population share, the
reports publish shares, medians and counts outside the tables, and the
accountability statement's exact totals; and the report's definitions
(SECURITY.md, "Governance report") tie tables of different populations
together. Each such fact is a linear equality or inequality over the
cells, added here to the attacker's problem. Everything is derived from
the published figures and the documented definitions, never from the C
code's choices. A fact this file cannot state exactly is left out or
weakened (a weaker attacker is still a sound one), never guessed.

The relations, by the measure names of rp_gen's lines (cubes without
measure names, from sdc_gen, get none):
  accountability  the Totals over every month (PRE and POST included) are
                  the casebook's concerns and its closed concerns
  acknowledged    feedback within 3 months or later needs an
    >= feedback   acknowledgement: per month, those two feedback rows sum
                  to at most acknowledged within 7 days + later
  recorded        a reference flagged against a timescale is one in the
    >= flagged    register: per month, flagged <= recorded, for each flag
  section 5       references against the concerns naming them,
                  corroboration, exclusive flags: sdc_refs.py
  received        a concern is closed after it is received: for every
    >= closed     month, the closed up to it <= the received up to it
  shares          a share published to 0.1 (x%) puts the numerator between
                  (x - 0.05)% and (x + 0.05)% of the base; "none": base 0
  medians         published: at least threshold+1 cases make it; "none":
                  no case does; half of them lie on each side of it, so
                  days to acknowledge <= 7.5 means within 7 days >= later
                  (>= 7.5: later >= within), and half the concerns closed
                  in the period were received on or before its last day
                  minus the median, half on or after its first day minus it
  led to action   substantiated + partly + referred elsewhere
  open longer     at the stock's month E: <= the concerns received up to
    than 3 months E - 3, and <= those received up to E less those closed
                  before E; >= those received up to E - 4 (more than 3
                  months old at any day of E) less those closed up to E;
                  "c" is at least 1 there (primary rule).
  sealed          the statement's concerns sealed to others: s[m] of month
                  m's concerns (unknowns, summing to it) are in every row a
                  sealed concern falls in (category, risk, raised-before and
                  both voice rows "not known"; acknowledged and feedback
                  "not yet"; naming referrals "none": this casebook cannot
                  read or act on them), and are never closed: closed up to
                  any month <= received up to it less sealed up to it.
  not known =     the intake requires a category, so a readable concern's
    sealed        category is "not known" only when the categories changed
                  since; a reader who knows they never did knows, month by
                  month, category "not known" = the sealed concerns (0 in
                  every month when none is sealed). rp_gen says so
                  ("categorised" in its accountability block) when it is
                  true of the casebook; then it is an equality here.
"""
import datetime
import math
import sys

import numpy as np

import sdc_refs

SLACK = 1e-9  # rounding of a printed share: the interval is closed


def month_days(m):
    """First and last day of month index m (year * 12 + month - 1)."""
    first = datetime.date(m // 12, m % 12 + 1, 1)
    n = m + 1
    after = datetime.date(n // 12, n % 12 + 1, 1)
    return first, after - datetime.timedelta(days=1)


def month_of(day):
    return day.year * 12 + day.month - 1


class Relations:
    def __init__(self, case):
        self.c = case
        self.eq_rows, self.eq_vals = [], []
        self.ub_rows, self.ub_vals = [], []
        # --truth: where each relation comes from (function:line), to name
        # the one the true figures break
        self.eq_from, self.ub_from = [], []
        self.problems = []
        self.ti = {t.get("measure"): i for i, t in enumerate(case.tables)
                   if "measure" in t}
        if not self.ti or not case.months:
            return
        self.accountability()
        self.per_month()
        self.sealed()
        sdc_refs.add(self)  # section 5: references and the concerns naming them
        for d in case.derived:
            self.derived(d)

    def population(self, ti, row=None):
        """The exact total of table ti's population over the whole
        casebook, as the accountability statement publishes it (concerns,
        closed concerns), or infinity when it publishes none. With
        concerns sealed to others, a row they never fall in (row index
        row of a table of concerns, not its Total) holds at most the
        readable ones: concerns less sealed."""
        a = self.c.account
        if a is None or ti >= len(self.c.tables):
            return np.inf
        group = self.c.group[ti]
        for measure, key in (("received_by_category", "concerns"),
                             ("closed_by_outcome", "closed")):
            t0 = self.ti.get(measure)
            if t0 is not None and self.c.group[t0] == group:
                rows = self.c.tables[ti]["rows"]
                sealed_row = dict(self.SEALED_ROWS).get(
                    self.c.tables[ti].get("measure"))
                # "not known" = sealed (below): that row's whole is the
                # statement's sealed count
                if key == "concerns" and a.get("categorised") and \
                        row is not None and row < len(rows) - 1 and \
                        self.c.tables[ti].get("measure") in self.same_nk() and \
                        rows[row] == "not-known":
                    return a.get("sealed", 0)
                if key == "concerns" and a.get("sealed") and \
                        row is not None and row < len(rows) - 1 and \
                        sealed_row is not None and rows[row] != sealed_row:
                    return a[key] - a["sealed"]
                return a[key]
        return np.inf

    # ---- cells -------------------------------------------------------
    def cell(self, measure, row, months):
        """A row ("Total" for the Total) of a table over months, or None."""
        ti = self.ti.get(measure)
        if ti is None:
            return None
        rows = self.c.tables[ti]["rows"]
        if row not in rows:
            return None
        months = [m for m in months if m in self.c.mi]
        return self.c.expr(ti, rows.index(row), months)

    def some(self, measure, rows, months):
        v = [self.cell(measure, r, months) for r in rows]
        return None if any(x is None for x in v) else sum(v)

    def upto(self, m):
        """Every month <= m, PRE included: None when m is before the
        months the reports cover (the sum would be part of PRE only)."""
        if m < self.c.real[0] or self.c.account is None:
            return None  # without PRE, months before the reports' are missing
        return [x for x in self.c.months if x <= m]

    def after(self, m):
        """Every month >= m, POST included (with the statement)."""
        return [x for x in self.c.months if x >= m]

    def eq(self, v, val):
        if v is not None:
            self.eq_rows.append(v)
            self.eq_vals.append(float(val))
            if self.c.truth:
                self.eq_from.append(self.where())

    def le(self, v, val):
        """v . x <= val"""
        if v is not None:
            self.ub_rows.append(v)
            self.ub_vals.append(float(val))
            if self.c.truth:
                self.ub_from.append(self.where())

    @staticmethod
    def where():
        f = sys._getframe(2)
        return "%s:%d" % (f.f_code.co_name, f.f_lineno)

    # ---- the accountability statement and the definitions -------------
    def accountability(self):
        a = self.c.account
        if a is None:
            return
        self.eq(self.cell("received_by_category", "Total", self.c.months),
                a["concerns"])
        self.eq(self.cell("closed_by_outcome", "Total", self.c.months),
                a["closed"])

    SEALED_ROWS = (("received_by_category", "not-known"),
                   ("received_by_risk_answer", "not-known"),
                   ("received_by_raised_before", "not-known"),
                   ("reporters_treated_badly", "not-known"),
                   ("reporters_would_speak_again", "not-known"),
                   ("acknowledged", "not-yet"), ("feedback", "not-yet"),
                   ("concerns_naming_referrals", "none"))

    def sealed_in(self, months):
        """The sealed concerns received in months (a sum of unknowns)."""
        idx = [self.c.sealed + self.c.mi[m] for m in months if m in self.c.mi]
        # a case of sdc_check.py: its cells' form (Lin); else dense
        if hasattr(self.c, "vec"):
            return self.c.vec(idx)
        v = np.zeros(self.c.nvar)
        v[idx] = 1.0
        return v

    def same_nk(self):
        """The tables whose "not known" is exactly the sealed concerns:
        the category table's where every readable concern has a category
        ("categorised"); at risk and raised before too where every one has
        both answers, as the intake's form requires ("answered")."""
        a = self.c.account or {}
        if not a.get("categorised"):
            return ()
        if a.get("answered"):
            return ("received_by_category", "received_by_risk_answer",
                    "received_by_raised_before")
        return ("received_by_category",)

    def sealed(self):
        for measure in self.same_nk():
            for m in self.c.months:
                nk = self.cell(measure, "not-known", [m])
                if nk is None:
                    continue
                if self.c.sealed is None:
                    self.eq(nk, 0)
                else:
                    self.eq(nk - self.sealed_in([m]), 0)
        if self.c.sealed is None:
            return
        self.eq(self.sealed_in(self.c.months), self.c.account["sealed"])
        for m in self.c.months:
            s = self.sealed_in([m])
            for measure, row in self.SEALED_ROWS:
                cell = self.cell(measure, row, [m])
                if cell is not None:
                    self.le(s - cell, 0)
            pre = self.upto(m)
            got = self.cell("received_by_category", "Total", pre or [])
            shut = self.cell("closed_by_outcome", "Total", pre or [])
            if pre is not None and got is not None and shut is not None:
                self.le(shut + self.sealed_in(pre) - got, 0)

    def per_month(self):
        for m in self.c.months:
            fb = self.some("feedback", ["within-3-months", "later"], [m])
            ack = self.some("acknowledged", ["within-7-days", "later"], [m])
            if fb is not None and ack is not None:
                self.le(fb - ack, 0)
            rec = self.cell("references_named", "recorded", [m])
            for measure in self.ti:
                if measure.startswith("references_") and \
                        "flagged" in self.c.tables[self.ti[measure]]["rows"]:
                    f = self.cell(measure, "flagged", [m])
                    if f is not None and rec is not None:
                        self.le(f - rec, 0)
            pre = self.upto(m)
            got = self.cell("received_by_category", "Total", pre or [])
            shut = self.cell("closed_by_outcome", "Total", pre or [])
            if pre is not None and got is not None and shut is not None:
                self.le(shut - got, 0)

    # ---- shares, medians, counts outside the tables --------------------
    def derived(self, d):
        measure, v = d["measure"], d["value"]
        months = list(range(d["first"], d["last"] + 1))
        if measure.endswith("_share"):
            table, row = {
                "acknowledged_within_7_days_share": ("acknowledged", "within-7-days"),
                "feedback_within_3_months_share": ("feedback", "within-3-months"),
            }.get(measure, (None, None))
            num = self.cell(table, row, months)
            base = self.cell(table, "Total", months)
            if num is None or base is None:
                self.problems.append("share %s not known to the checker" % measure)
            elif v == "none":
                self.eq(base, 0)
            elif v != "c":
                self.le(100 * num - (v + 0.05 + SLACK) * base, 0)
                self.le((v - 0.05 - SLACK) * base - 100 * num, 0)
        elif measure == "median_days_to_acknowledge":
            w = self.cell("acknowledged", "within-7-days", months)
            late = self.cell("acknowledged", "later", months)
            if w is None or late is None:
                return
            self.median_base(w + late, v)
            if v not in ("c", "none"):
                if v <= 7.5:
                    self.le(late - w, 0)
                if v >= 7.5:
                    self.le(w - late, 0)
        elif measure == "median_days_to_close":
            n = self.cell("closed_by_outcome", "Total", months)
            if n is None:
                return
            self.median_base(n, v)
            if v in ("c", "none"):
                return
            first, _ = month_days(d["first"])
            _, last = month_days(d["last"])
            early = month_of(last - datetime.timedelta(days=math.ceil(v)))
            pre = self.upto(early)
            if early < d["first"] and pre is not None:
                got = self.cell("received_by_category", "Total", pre)
                shut = self.cell("closed_by_outcome", "Total", pre)
                self.le(shut - got + 0.5 * n, 0)
            late = month_of(first - datetime.timedelta(days=math.floor(v)))
            if late < self.c.real[0] and self.c.account is None:
                return
            span = [m for m in self.c.months if late <= m <= d["last"]]
            self.le(0.5 * n - self.cell("received_by_category", "Total", span), 0)
        elif measure == "closed_led_to_action":
            if v not in ("c", "none"):
                self.eq(self.some("closed_by_outcome", ["substantiated",
                        "partly-substantiated", "referred-elsewhere"], months), v)
        elif measure == "open_longer_than_3_months":
            if v not in ("c", "none"):
                self.open_long(d["end"], v)
        else:
            self.problems.append("figure %s not known to the checker" % measure)

    def median_base(self, n, v):
        if v == "none":
            self.eq(n, 0)
        elif v != "c":
            self.le(-n, -(self.c.thr + 1))

    def open_long(self, end, v):
        # A concern received in month e - 4 or before is more than 3
        # months old at E (in month e) and counted unless closed by E, so
        # by the end of month e: received(up to e - 4) - closed(up to e)
        # <= the stock (a stock of 0 too).
        old4, pre = self.upto(end - 4), self.upto(end)
        if old4 is not None and pre is not None:
            got = self.cell("received_by_category", "Total", old4)
            shut = self.cell("closed_by_outcome", "Total", pre)
            if got is not None and shut is not None:
                self.le(got - shut, v)
        if v == 0:
            return
        old = self.upto(end - 3)
        if old is None:
            old = [self.c.months[0]] if self.c.account is not None else None
        got = self.cell("received_by_category", "Total", old or [])
        if old is not None and got is not None:
            self.le(-got, -v)
        pre, before = self.upto(end), self.upto(end - 1)
        got = self.cell("received_by_category", "Total", pre or [])
        shut = self.cell("closed_by_outcome", "Total", before or [])
        if pre is not None and before is not None and got is not None \
                and shut is not None:
            self.le(shut - got, -v)
