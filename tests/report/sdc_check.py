#!/usr/bin/python3
"""Independent checker for the governance report's disclosure control.

Reads the cases tests/report/sdc_gen (random cubes) or rp_gen (random
casebooks through rp_build) writes (one JSON line per case: the reports
of one year range as published, "c" for withheld; optionally "scalars",
[label, value] counts published outside any table) and, like an
attacker who holds every report of the range at once, asks what each
withheld cell could be. It knows only what a reader of the reports knows:
the columns, the months each column covers, which row is the Total, the
published values, and that counts are >= 0. It does not know the C code's
relations, directions or true values.

For every case it fails when
  - a published cell is in 1..threshold (primary suppression),
  - the same cell is published with two values in two reports, or the
    published values contradict each other (no table fits them),
  - a withheld cell's lowest and highest values consistent with everything
    published (scipy.optimize.linprog, HiGHS) hold fewer than threshold + 1
    whole numbers: counts are whole, so the interval the attacker gets is
    the whole numbers inside the linear program's (ROUND_TOL); --integer
    solves the integer programs themselves (HiGHS's MIP, where the linear
    optimum is not whole), a stronger attacker, for sweeps.
Tables of one case that share a Total row (two measures with the same
Total, e.g. concerns by category and by "child at immediate risk"; a
table's "group" names its population, all one without it) are solved
together, as an attacker holding both would (--separate checks each on
its own, for diagnosis). A case from rp_gen also carries the report's
shares, medians, counts outside tables and accountability totals: they
and the relations between tables become constraints too
(sdc_relations.py). A withheld cell of a population whose exact total,
published by the accountability statement, is below the threshold must
span all of [0, total] instead.

Every solution linprog returns is a table consistent with what is
published, so the range of a withheld cell over all solutions seen so far
is inside its true interval: once that range is threshold wide the cell is
safe without solving its own two problems. (A solution is taken so only
where it holds every constraint to FEAS_TOL: HiGHS's tolerances are its
own, and the point must be a table.) Only the cells that are not yet
shown wide are solved, which keeps 1,000 cases to seconds.

Usage: sdc_check.py CASES.jsonl [--expect-fail] [--separate] [--no-accountability]
       [--truth] [--integer]
Exit 0 when every case passes (or, with --expect-fail, when at least one
case fails and the failures are printed); 1 otherwise.
sdc_check.py --serve runs such checks one after another in one process
(e2e 63: see serve()).
"""
import hashlib
import json
import multiprocessing
import os
import sys

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csc_matrix, csr_matrix, vstack

# linprog's own checks and conversions of its arguments cost as much CPU
# as HiGHS's solve of these small problems (~2,000 a 30 casebooks): the
# problem is put in HiGHS's form once a case (highs_model) and handed to
# the HiGHS wrapper linprog calls, with linprog's options. Where this
# scipy has no such wrapper (it is private: 1.10's path), linprog does it.
try:
    from scipy.optimize._highs._highs_wrapper import _highs_wrapper
    from scipy.optimize._highs import _highs_constants as HC
    HIGHS_OPTIONS = {
        "presolve": False,
        "sense": HC.HIGHS_OBJECTIVE_SENSE_MINIMIZE,
        "highs_debug_level": HC.MESSAGE_LEVEL_NONE,
        "log_to_console": False,
        "output_flag": False,
        "simplex_strategy": HC.HIGHS_SIMPLEX_STRATEGY_DUAL,
        "simplex_crash_strategy": HC.HIGHS_SIMPLEX_CRASH_STRATEGY_OFF,
        "mip_rel_gap": 0.0,
    }
except ImportError:
    _highs_wrapper = None

from sdc_relations import Relations

EPS = 1e-6
# A solution shows cells wide (bound's seen) only where it holds every
# constraint to this: the point must be a table consistent with what is
# published (HiGHS's own tolerance is 1e-7).
FEAS_TOL = 1e-6
# Counts are whole numbers, and the attacker knows it: a cell whose
# linear-programming interval is [2.2, 4.9] can only be 3 or 4. Every
# width is taken between the whole numbers inside an interval (floor of
# the top less ceiling of the bottom), each end first moved ROUND_TOL
# outwards so that HiGHS's tolerances never round a true whole number
# away (a bound of 2.9999999 is 3).
ROUND_TOL = 1e-5


def whole_width(lo, hi):
    """The width of the whole numbers within [lo, hi] (arrays or numbers)."""
    return np.floor(hi + ROUND_TOL) - np.ceil(lo - ROUND_TOL)
PROBES = 4
# The problems printed: the first SHOWN of each of the first SHOWN_CASES
# cases that fail. A case's verdict is its first problem, so the search
# of a case stops at SHOWN problems: what is printed, and every exit
# status, is what the whole search gives (the cells are searched in the
# same order), and a case with many narrow cells (every planted leak of
# e2e 63) costs 2 linear programs a problem less.
SHOWN = 3
SHOWN_CASES = 5
# The capped problems (bound): at most CAPPED_ROUNDS, while each shows at
# least CAPPED_GAIN of the cells left wide; each cell is pushed
# CAPPED_MARGIN past what it needs (HiGHS's tolerances).
CAPPED_ROUNDS = 10
CAPPED_GAIN = 0.03
CAPPED_MARGIN = 1e-3


class Lin:
    """A linear expression over the unknowns: terms (coefficient, index
    array), an index in several terms has their sum. The relations
    (sdc_relations.py) add, subtract and scale cells; as dense vectors of
    every unknown each (~1,000) that was ~20% of a case's time outside
    HiGHS. The matrix they give (dense_rows) is the dense rows' exactly:
    where terms share an index their coefficients are whole or halves
    (exact in any order) or two (a share's 100 and its ratio: x + (-y)
    is x - y)."""
    __slots__ = ("terms",)

    def __init__(self, terms):
        self.terms = terms

    @staticmethod
    def of(idx):
        return Lin([(1.0, np.asarray(idx, dtype=np.int64))])

    def __add__(self, o):
        if isinstance(o, Lin):
            return Lin(self.terms + o.terms)
        if o == 0:  # sum()'s start
            return self
        return NotImplemented

    __radd__ = __add__

    def __neg__(self):
        return Lin([(-k, i) for k, i in self.terms])

    def __sub__(self, o):
        return self + (-o)

    def __mul__(self, a):
        return Lin([(k * a, i) for k, i in self.terms])

    __rmul__ = __mul__


class Case:
    def __init__(self, doc, truth=False, integer=False):
        self.truth = truth
        self.integer = integer and _highs_wrapper is not None
        self.id = doc["case"]
        self.thr = doc["threshold"]
        self.problems = []
        self.tables = doc["tables"]
        self.scalars = doc.get("scalars", [])
        self.derived = doc.get("derived", [])
        self.account = doc.get("accountability")
        # Tables of one group share their Total (no group: all one).
        self.group = [t.get("group", 0) for t in self.tables]
        # Months are the union of what columns cover; rows per table.
        months = set()
        for t in self.tables:
            for rep in t["reports"]:
                for col in rep["columns"]:
                    months.update(col["months"])
        self.months = sorted(months)
        self.real = (self.months[0], self.months[-1]) if self.months else (0, -1)
        # With the accountability statement (totals over the whole
        # casebook) the months before and after those the reports cover
        # are two more columns, PRE and POST: each sums every such month.
        if self.account is not None and self.months:
            self.months = [self.real[0] - 1] + self.months + [self.real[1] + 1]
        self.mi = {m: i for i, m in enumerate(self.months)}
        self.mcols = {}  # months (a tuple) -> their indices in months
        # Variables: one per (table, breakdown row, month).
        self.base = []
        # breakdown rows (the Total's index) and the first table of each
        # table's group (canon), once a case
        self.nrows = [len(t["rows"]) - 1 for t in self.tables]
        self.first = [self.group.index(g) for g in self.group]
        off = 0
        for t in self.tables:
            nrows = len(t["rows"]) - 1
            if t["rows"][-1] != "Total":
                raise ValueError("case %s: last row is not Total" % self.id)
            self.base.append(off)
            off += nrows * len(self.months)
        # Concerns sealed to others (the statement's exact count): one
        # unknown per month, how many of that month's concerns are sealed
        # (sdc_relations.py, "sealed").
        self.sealed = None
        if self.account is not None and self.account.get("sealed") \
                and self.months:
            self.sealed = off
            off += len(self.months)
        self.nvar = off
        self.exprs = {}
        self.idxs = {}

    def expr(self, ti, row, months):
        """Coefficients of a cell: a breakdown row's months, or the Total
        (a Lin: sdc_relations.py sums and scales them)."""
        key = (ti, row, tuple(months))
        if key not in self.exprs:
            self.exprs[key] = Lin.of(self.expr_idx(ti, row, months))
        return self.exprs[key]

    @staticmethod
    def vec(idx):
        """Unknowns idx summed (each with coefficient 1), as expr's."""
        return Lin.of(idx)

    def expr_idx(self, ti, row, months):
        """The unknowns a cell sums (each with coefficient 1)."""
        key = (ti, row, tuple(months))
        if key not in self.idxs:
            # row by row, each row's months in order (cell_idx)
            idx = []
            self.cell_idx(ti, row, key[2], idx)
            self.idxs[key] = np.array(idx, dtype=np.int64)
        return self.idxs[key]

    def cell_idx(self, ti, row, months, out):
        """Appends to the list out the unknowns a cell sums, in expr_idx's
        order: plain ints, where expr_idx's arrays cost ~5 us of numpy
        each for ~2,000 cells a case (sparse's)."""
        cols = self.mcols.get(months)
        if cols is None:
            cols = self.mcols[months] = [self.mi[m] for m in months]
        nrows, nm, b = self.nrows[ti], len(self.months), self.base[ti]
        if row != nrows:
            b += row * nm
            out.extend([b + c for c in cols])
            return
        for r in range(nrows):
            out.extend([b + r * nm + c for c in cols])

    def sparse(self, cells, minus=()):
        """The coefficients of cells as the rows of a sparse matrix (a
        cell of minus, when given, subtracted from its row): the same rows
        expr gives, built without a dense row each (a case's published
        cells as dense rows were ~60% of its time outside the solver)."""
        idx, data, ptr = [], [], [0]
        for i, k in enumerate(cells):
            n0 = len(idx)
            self.cell_idx(*k, idx)
            if minus:
                n1 = len(idx)
                self.cell_idx(*minus[i], idx)
                data += [1.0] * (n1 - n0) + [-1.0] * (len(idx) - n1)
            ptr.append(len(idx))
        return csr_matrix((np.array(data) if minus else np.ones(len(idx)),
                           np.array(idx, dtype=np.int64),
                           np.array(ptr, dtype=np.int64)),
                          shape=(len(cells), self.nvar))

    @staticmethod
    def dense_rows(rows, n):
        """The rows (Lin) as a sparse matrix: each unknown's terms summed,
        zeros left out, as csr_matrix of the dense rows gave."""
        if not rows:
            return csr_matrix((0, n))
        terms = [t for v in rows for t in v.terms]
        lens = np.array([len(i) for _, i in terms], dtype=np.int64)
        ptr = np.zeros(len(rows) + 1, dtype=np.int64)
        ptr[1:] = np.cumsum([sum(len(i) for _, i in v.terms) for v in rows])
        m = csr_matrix((np.repeat(np.array([k for k, _ in terms], dtype=float),
                                  lens),
                        np.concatenate([i for _, i in terms]), ptr),
                       shape=(len(rows), n))
        m.sum_duplicates()
        m.eliminate_zeros()
        return m

    def collect(self):
        published = {}  # key -> value
        withheld = {}   # key -> coefficient vector
        for ti, t in enumerate(self.tables):
            for rep in t["reports"]:
                cols = rep["columns"]
                cms = [tuple(sorted(col["months"])) for col in cols]
                for ri, cells in enumerate(rep["cells"]):
                    for ci, val in enumerate(cells):
                        if val is None:
                            continue  # not in this report (rp_gen)
                        key = (ti, ri, cms[ci])
                        # (a label is made where it is kept or printed)
                        if val == "c":
                            if key not in withheld:
                                withheld[key] = ("%s/%s/%s" % (
                                    rep["period"], t["rows"][ri],
                                    cols[ci]["label"]), None)
                            continue
                        if 1 <= val <= self.thr or \
                                published.get(key, val) != val:
                            label = "%s/%s/%s" % (
                                rep["period"], t["rows"][ri], cols[ci]["label"])
                        if 1 <= val <= self.thr:
                            self.problems.append(
                                "published %s = %d is within 1..%d"
                                % (label, val, self.thr))
                        if key in published and published[key] != val:
                            self.problems.append(
                                "%s published as %d and %d"
                                % (label, published[key], val))
                        published[key] = val
        # Counts published outside any table (tests/report/rp_gen.c:
        # stocks and sums of published cells): primary suppression only.
        for label, val in self.scalars:
            if 1 <= val <= self.thr:
                self.problems.append("published %s = %d is within 1..%d"
                                     % (label, val, self.thr))
        self.published = published
        # A cell withheld in one report and published in another is
        # published: the attacker has the other report.
        self.withheld = {k: lab for k, (lab, _) in withheld.items()
                         if k not in published}
        vals = [float(v) for v in published.values()]
        # Tables sharing a Total: the Totals of each month are equal.
        same, other = [], []
        for ti in range(1, len(self.tables)):
            t0 = self.group.index(self.group[ti])
            if t0 == ti:
                continue
            n0 = len(self.tables[t0]["rows"]) - 1
            n1 = len(self.tables[ti]["rows"]) - 1
            for m in self.months:
                same.append((t0, n0, (m,)))
                other.append((ti, n1, (m,)))
                vals.append(0.0)
        # What a reader knows of the report's definitions beyond the
        # tables (tests/report/sdc_relations.py): equalities, and
        # inequalities G x <= h.
        rel = self.rel = Relations(self)
        vals += rel.eq_vals
        self.problems += rel.problems
        A = vstack([self.sparse(list(published)), self.sparse(same, other),
                    self.dense_rows(rel.eq_rows, self.nvar)], format="csr")
        b = np.array(vals)
        G = self.dense_rows(rel.ub_rows, self.nvar)
        h = np.array(rel.ub_vals)
        # A published cell of one breakdown row and one month fixes its
        # variable: substitute those, so each linear program holds only
        # the unknowns (the same problem, smaller; HiGHS is then quick).
        # (Every matrix is sparse: no row holds an explicit zero.)
        fixed = np.full(self.nvar, np.nan)
        single = np.diff(A.indptr) == 1
        fixed[A.indices[A.indptr[:-1][single]]] = b[single]
        known = ~np.isnan(fixed)
        self.free = np.flatnonzero(~known)
        self.fixed = np.where(known, fixed, 0.0)
        b = b - A @ self.fixed
        A = A[:, self.free]
        keep = A.getnnz(axis=1) > 0
        if np.any(np.abs(b[~keep]) > EPS):
            self.problems.append("published values contradict each other")
        self.A, self.b = A[keep], b[keep]
        self.As = self.A
        h = h - G @ self.fixed
        G = G[:, self.free]
        keep = G.getnnz(axis=1) > 0
        if np.any(h[~keep] < -EPS):
            self.problems.append("published values contradict the report's "
                                 "definitions")
            if self.truth:
                bad = np.flatnonzero(~keep & (h < -EPS))
                self.problems.append("broken: %s" % sorted(
                    {rel.ub_from[i] for i in bad}))
        self.G, self.h = G[keep], h[keep]
        self.Gs = self.G
        self.highs_model()

    def highs_model(self):
        """The constraints as HiGHS takes them: lhs <= M x <= rhs, M
        column-compressed (the inequalities G x <= h, then A x = b)."""
        if _highs_wrapper is None:
            return
        nfree = len(self.free)
        M = vstack([csr_matrix(self.G, shape=(len(self.h), nfree)),
                    csr_matrix(self.A, shape=(len(self.b), nfree))])
        self.M = csc_matrix(M)
        self.M.sort_indices()
        inf = HC.CONST_INF
        self.lhs = np.concatenate((np.full(len(self.h), -inf),
                                   self.b)).astype(float)
        self.rhs = np.concatenate((np.minimum(self.h, inf),
                                   self.b)).astype(float)
        # holds()'s bounds, once a case
        self.lhs_tol, self.rhs_tol = self.lhs - FEAS_TOL, self.rhs + FEAS_TOL
        self.lb = np.zeros(nfree)
        self.no_int = np.empty(0, dtype=np.uint8)
        # --integer: every unknown a whole number (HiGHS's MIP), so every
        # point seen is a whole table and every interval the integer one
        if self.integer:
            self.no_int = np.ones(nfree, dtype=np.uint8)

    def holds(self, x):
        """Whether x (the unknowns) holds every constraint to FEAS_TOL."""
        if (x < -FEAS_TOL).any():
            return False
        if _highs_wrapper is not None:
            v = self.M @ x
            return bool((v >= self.lhs_tol).all()
                        and (v <= self.rhs_tol).all())
        return bool((not len(self.b)
                     or np.all(np.abs(self.As @ x - self.b) <= FEAS_TOL))
                    and (not len(self.h)
                         or np.all(self.Gs @ x <= self.h + FEAS_TOL)))

    def canon(self, key):
        ti, row, months = key
        if row != self.nrows[ti]:
            return key
        t0 = self.first[ti]
        return (t0, self.nrows[t0], months)

    def highs(self, c, M, lhs, rhs, lb, ub, integrality, exact=True):
        """HiGHS on min c.x, lhs <= M x <= rhs, lb <= x <= ub. With
        --integer (integrality not empty) the linear program first: where
        its optimum is whole in every integer unknown it is the integer
        program's too (most are: the tables' vertices), so only the others
        are solved as integer programs (exact), or given up (a probe's:
        status None)."""
        r = _highs_wrapper(c, M.indptr, M.indices, M.data, lhs, rhs, lb, ub,
                           self.no_int[:0], HIGHS_OPTIONS)
        if not len(integrality) or \
                r.get("status") != HC.MODEL_STATUS_OPTIMAL:
            return r
        x = np.array(r["x"])[:len(integrality)]
        if np.all(np.abs(x - np.round(x)) <= 1e-7):
            return r
        if not exact:  # a probe needs a whole point, not the best one
            return {"status": None}
        return _highs_wrapper(c, M.indptr, M.indices, M.data, lhs, rhs, lb,
                              ub, integrality, HIGHS_OPTIONS)

    def solve(self, c, sense, box=None):
        """min (sense=1) or max (sense=-1) of c.x; (value or None, x).
        box bounds every unknown too (for probes only: a point of a
        smaller set is still consistent with what is published)."""
        if _highs_wrapper is not None:
            ub = np.full(len(self.lb), HC.CONST_INF if box is None
                         else min(box, HC.CONST_INF), dtype=float)
            r = self.highs(sense * np.asarray(c, dtype=float), self.M,
                           self.lhs, self.rhs, self.lb, ub, self.no_int,
                           box is None)
            status = r.get("status")
            if status == HC.MODEL_STATUS_UNBOUNDED:
                return None, None
            if status != HC.MODEL_STATUS_OPTIMAL:
                if box is not None:
                    return None, None
                raise RuntimeError("HiGHS status %s: %s"
                                   % (status, r.get("message")))
            return sense * r["fun"], np.array(r["x"])
        r = linprog(sense * c, A_eq=self.As if len(self.b) else None,
                    b_eq=self.b if len(self.b) else None,
                    A_ub=self.Gs if len(self.h) else None,
                    b_ub=self.h if len(self.h) else None,
                    bounds=(0, box), method="highs",
                    options={"presolve": False})
        if r.status == 3:
            return None, None  # unbounded
        if box is not None and r.status != 0:
            return None, None  # a probe's box may cut every table off
        if r.status != 0:
            raise RuntimeError(r.message)
        return sense * r.fun, r.x

    def capped_matrix(self, Wl):
        """[[M, 0], [-Wl, I]] column-compressed with sorted indices: what
        vstack of the hstacks gives, put together in place (scipy's
        stacking was a tenth of HiGHS's time over the capped problems).
        Column j < n holds M's column j, then -Wl's below it; column n + i
        a 1 in row m + i."""
        M = self.M
        m, n = M.shape
        k = Wl.shape[0]
        Wc = csc_matrix(Wl)
        Wc.sort_indices()
        cm, cw = np.diff(M.indptr), np.diff(Wc.indptr)
        nnz = M.nnz + Wc.nnz
        ptr = np.concatenate((M.indptr + Wc.indptr, nnz + 1 + np.arange(k)))
        pos_m = np.arange(M.nnz) + np.repeat(Wc.indptr[:-1], cm)
        pos_w = np.arange(Wc.nnz) + np.repeat(M.indptr[1:], cw)
        idx = np.empty(nnz + k, dtype=np.int32)
        data = np.empty(nnz + k)
        idx[pos_m], data[pos_m] = M.indices, M.data
        idx[pos_w], data[pos_w] = Wc.indices + m, -Wc.data
        idx[nnz:], data[nnz:] = m + np.arange(k), 1.0
        return csc_matrix((data, idx, ptr), shape=(m + k, n + k))

    def solve_capped(self, Wl, base, cap, w):
        """A point maximising sum_i w_i min(1, t_i / cap_i) over the
        tables consistent with what is published, t_i how far Wl[i] x
        (cell i less its fixed part) lies above base_i: the unknowns plus
        one t_i each, t_i <= Wl[i] x - base_i, t_i <= cap_i. Only a
        heuristic's point: every constraint of the case holds at it.
        Returns the tables' unknowns, or None."""
        n, k = len(self.free), len(cap)
        inf = HC.CONST_INF
        M = self.capped_matrix(Wl)
        r = self.highs(np.concatenate((np.zeros(n), -w / cap)), M,
                       np.concatenate((self.lhs, np.full(k, -inf))),
                       np.concatenate((self.rhs, -base)),
                       np.concatenate((self.lb, np.full(k, -inf))),
                       np.concatenate((np.full(n, inf), cap)),
                       np.concatenate((self.no_int, np.zeros(
                           k if self.integer else 0, dtype=np.uint8))),
                       False)
        if r.get("status") != HC.MODEL_STATUS_OPTIMAL:
            return None
        return np.array(r["x"])[:n]

    def check(self):
        self.collect()
        if self.truth:
            return self.check_truth()
        # A Total withheld in several tables of one population is one
        # value (the Totals are equal): check it once, in the first table.
        keys = sorted(k for k in self.withheld if self.canon(k) == k
                      or self.canon(k) not in self.withheld)
        if not keys:
            return self.problems
        W0 = self.sparse(keys)
        offset = W0 @ self.fixed
        W = W0[:, self.free]
        # The width each cell needs: the threshold, or, in a population
        # whose exact total the accountability statement publishes and
        # which is smaller than the threshold (3 closed concerns), that
        # total: the whole of [0, total], so that a reader learns nothing
        # of the cell beyond the total every report states by design.
        pop = {}
        for k in keys:
            if k[:2] not in pop:
                pop[k[:2]] = min(self.thr, self.rel.population(k[0], k[1]))
        need = np.array([pop[k[:2]] for k in keys], dtype=float) - EPS
        try:
            reach = W.getnnz(axis=1) > 0
            self.bound([k for k, r in zip(keys, reach) if r], W[reach],
                       offset[reach], need[reach])
        except RuntimeError as e:
            self.problems.append("published values inconsistent: %s" % e)
        # cells no unknown reaches are fixed by what is published
        for i in np.flatnonzero(W.getnnz(axis=1) == 0):
            self.problems.append("withheld %s is fixed by the published "
                                 "cells" % self.withheld[keys[i]])
        return self.problems

    def check_truth(self):
        """--truth (rp_gen's RP_GEN_TRUTH=1: every figure published with
        its true value): the relations must hold of the true figures, the
        unknowns left (the months outside the reports, the sealed concerns
        of each month) taking some values. A published 1..threshold is
        expected here."""
        problems = [p for p in self.problems if " is within 1.." not in p]
        if self.withheld:
            problems.append("--truth: %d cells withheld" % len(self.withheld))
        try:
            if len(self.free):
                self.solve(np.zeros(len(self.free)), 1)
        except RuntimeError as e:
            problems.append("the true figures contradict the relations: %s" % e)
        return problems

    def bound(self, keys, W, offset, need):
        """Shows each cell of keys (coefficients W over this part's
        unknowns) at least need wide, or records the problem."""
        lo = np.full(len(keys), np.inf)
        hi = np.full(len(keys), -np.inf)

        # W is sparse (each cell covers a few unknowns): dense, seen's
        # product cost a third as much as the solves.
        def seen(x):
            if not self.holds(x):
                return
            v = W @ x
            v = v + offset
            np.minimum(lo, v, out=lo)
            np.maximum(hi, v, out=hi)

        if len(keys):
            # A few tables pushed in random directions first: each is
            # consistent with what is published and moves many withheld
            # cells at once, so most cells are shown wide without their
            # own problems. The seed is fixed: the run is reproducible.
            rng = np.random.default_rng(self.id)
            box = 2 * (max(np.abs(self.b), default=0)
                       + max(np.abs(self.h), default=0) + self.thr)
            for _ in range(PROBES):
                _, x = self.solve(W.T @ rng.uniform(-1, 1, len(keys)), 1, box)
                if x is not None:
                    seen(x)
                if np.all(whole_width(lo, hi) >= need):
                    break
            # Then the cells still narrow, each pushed up to what it needs
            # and no further (capped: max sum of w_i min(1, rise_i /
            # need_i), rise_i how far cell i lies above the lowest value
            # seen, random weights w so that cells competing for one
            # total do not share it out evenly but fill one after another):
            # one such problem shows many cells wide at once, where a
            # plain sum spends the totals on a few cells. Repeated while
            # it shows at least CAPPED_GAIN of the cells left wide.
            for _ in range(CAPPED_ROUNDS if _highs_wrapper else 0):
                left = np.flatnonzero(whole_width(lo, hi) < need)
                if len(left) < 2:
                    break
                # from the lowest whole number seen (a count is whole)
                x = self.solve_capped(W[left],
                                      np.ceil(lo[left] - ROUND_TOL) - offset[left],
                                      need[left] + CAPPED_MARGIN,
                                      rng.uniform(1, 2, len(left)))
                if x is not None:
                    seen(x)
                if np.sum(whole_width(lo[left], hi[left]) >= need[left]) \
                        < CAPPED_GAIN * len(left):
                    break
            # Then cells of the same months, one per table, pushed together:
            # tables of one population move with their shared Total, so
            # such cells can all rise (or fall) at once, where cells of one
            # table compete for it (the accountability statement fixes
            # every Total's sum).
            for sense in (-1, 1):
                left = whole_width(lo, hi) < need
                batches = {}
                for i in np.flatnonzero(left):
                    ti, _, months = keys[i]
                    by = batches.setdefault(months, {})
                    by.setdefault(ti, []).append(i)
                for by in batches.values():
                    while any(by.values()):
                        pick = np.array([c.pop() for c in by.values() if c])
                        pick = pick[whole_width(lo[pick], hi[pick])
                                    < need[pick]]
                        if len(pick) < 2:
                            continue
                        _, x = self.solve(
                            rows_sum(W, pick), sense, box)
                        if x is not None:
                            seen(x)
            # (a cell shown wide stays so: lo only falls, hi only rises)
            for i in np.flatnonzero(whole_width(lo, hi) < need):
                k = keys[i]
                if whole_width(lo[i], hi[i]) >= need[i]:
                    continue
                if len(self.problems) >= SHOWN:
                    return
                wi = rows_sum(W, [i])
                top, x = self.solve(wi, -1)
                if top is None:
                    hi[i] = np.inf
                    continue
                seen(x)
                if whole_width(lo[i], hi[i]) >= need[i]:
                    continue
                bottom, x = self.solve(wi, 1)
                seen(x)
                top, bottom = top + offset[i], bottom + offset[i]
                if whole_width(bottom, top) < need[i]:
                    self.problems.append(
                        "withheld %s lies in [%g, %g]%s, narrower than %g"
                        % (self.withheld[k], bottom, top,
                           "" if top - bottom < need[i] else
                           " (whole numbers %d..%d)"
                           % (np.ceil(bottom - ROUND_TOL),
                              np.floor(top + ROUND_TOL)),
                           need[i] + EPS))



def rows_sum(W, rows):
    """The sum of rows of W (csr) as a dense vector: W[rows].sum(axis=0)
    without scipy's indexing (~0.1 ms a call, ~25 calls a case). A cell's
    coefficients are 1 (sparse()), so the sums are whole and exact in any
    order."""
    at = np.concatenate([np.arange(W.indptr[r], W.indptr[r + 1]) for r in rows])
    return np.bincount(W.indices[at], weights=W.data[at],
                       minlength=W.shape[1])


def check_line(job):
    line, joint, account, truth, integer, norefs = job
    # sdc_refs.py reads it: the job's, also in a worker of a pool that
    # --serve started for an earlier job
    os.environ.pop("SDC_CHECK_NO_REFS", None)
    if norefs:
        os.environ["SDC_CHECK_NO_REFS"] = "1"
    doc = json.loads(line)
    if not account:
        doc.pop("accountability", None)
    docs = [doc]
    if not joint:
        docs = [dict(doc, tables=[t]) for t in doc["tables"]]
    problems, ncells = [], 0
    for d in docs:
        case = Case(d, truth, integer)
        problems += case.check()
        ncells += len(case.withheld)
    return doc["case"], len(doc["tables"]), ncells, problems


OPTIONS = ("--expect-fail", "--separate", "--no-accountability", "--truth",
           "--integer")
USAGE = ("usage: sdc_check.py CASES.jsonl [--expect-fail] [--separate] "
         "[--no-accountability] [--truth] [--integer]\n"
         "       sdc_check.py --serve (jobs on stdin: NOREFS<TAB>OUT<TAB>ARGS...)")
# Every case checked in this process, by its line and options: the check
# is deterministic (fixed seeds, the same HiGHS), so a casebook checked
# twice the same way (e2e 63's smallest casebooks are partly among its
# first 300) gives the same problems; it is solved once.
DONE = {}
# --serve's workers, started once for every check of the run (a pool
# started for each check cost e2e 63 ~0.6 s of system time a check:
# forking the server, scipy loaded, and its workers' exits); None: a pool
# for each check, closed after it
POOL = None


def run(args, out):
    """One check of a file: prints to out what main prints, returns its
    exit status."""
    expect_fail = "--expect-fail" in args
    joint = "--separate" not in args
    # --no-accountability: the attacker does not hold the accountability
    # statement's exact totals (diagnosis: e2e 63 shows that the old
    # suppression's leak, RP_GEN_LEAK=account, needs them).
    account = "--no-accountability" not in args
    # --truth: the cases are rp_gen's RP_GEN_TRUTH=1 (every figure true and
    # published): fails where the relations do not hold of them
    truth = "--truth" in args
    # --integer: the attacker solves integer programs (every count whole),
    # not their linear relaxation: slower, for sweeps
    integer = "--integer" in args
    args = [a for a in args if a not in OPTIONS]
    if len(args) != 1:
        print(USAGE, file=sys.stderr)
        return 2
    norefs = os.environ.get("SDC_CHECK_NO_REFS") == "1"
    with open(args[0]) as f:
        lines = list(f)
    keys = [hashlib.sha256(("%d%d%d%d%d" % (joint, account, norefs, truth,
                                           integer)).encode()
                           + line.encode()).digest() for line in lines]
    todo = {}
    for k, line in zip(keys, lines):
        if k not in DONE:
            todo.setdefault(k, (line, joint, account, truth, integer,
                                norefs))
    jobs = list(todo.values())
    if len(jobs) > 1 and POOL is not None:
        DONE.update(zip(todo, POOL.imap(check_line, jobs, 16)))
    elif len(jobs) > 1:
        with new_pool() as pool:
            DONE.update(zip(todo, pool.imap(check_line, jobs, 16)))
    else:
        DONE.update(zip(todo, map(check_line, jobs)))
    ncases = ntables = nfailed = ncells = 0
    for k in keys:
        cid, nt, nc, problems = DONE[k]
        ncases += 1
        ntables += nt
        ncells += nc
        if problems:
            nfailed += 1
            if nfailed <= SHOWN_CASES:
                for p in problems[:SHOWN]:
                    print("case %s: %s" % (cid, p), file=out)
    print("sdc_check: %d cases, %d tables, %d withheld cells, %d cases failed"
          % (ncases, ntables, ncells, nfailed), file=out)
    if ncases == 0:
        print("sdc_check: no cases", file=sys.stderr)
        return 1
    if expect_fail:
        return 0 if nfailed > 0 else 1
    return 0 if nfailed == 0 else 1


def new_pool():
    # Two workers: the machine that runs make check has two cores.
    return multiprocessing.Pool(min(2, os.cpu_count() or 1))


def serve():
    """Runs the checks e2e 63 asks for on stdin, one a line (whether
    SDC_CHECK_NO_REFS=1, the output file, the arguments, tab-separated),
    answering each with its exit status: one process, scipy imported once,
    for the ~20 checks of one run (each of its own cost ~0.5-1 s of CPU
    to start)."""
    global POOL
    POOL = new_pool()
    for req in sys.stdin:
        norefs, out, *args = req.rstrip("\n").split("\t")
        os.environ.pop("SDC_CHECK_NO_REFS", None)
        if norefs == "1":
            os.environ["SDC_CHECK_NO_REFS"] = "1"
        with open(out, "w") as f:
            try:
                rc = run(args, f)
            except Exception as e:  # the job fails, the server goes on
                print("sdc_check: %s" % e, file=f)
                rc = 1
        print(rc, flush=True)
    POOL.close()
    POOL.join()
    return 0


def main():
    args = sys.argv[1:]
    if args == ["--serve"]:
        return serve()
    return run(args, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
