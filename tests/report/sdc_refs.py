"""What a reader knows of section 5 (referrals) beyond its tables.

Added to the attacker of sdc_check.py by sdc_relations.Relations. Section
5 publishes, per month first named (references) or received (concerns):
concerns that named at least one referral ("named" of
concerns_naming_referrals, a table of the concerns' population),
references named by register state (recorded, awaiting confirmation,
missing), each timescale flag (flagged / not), and references named by
one concern / by more than one (corroborated): tables of the references'
population. Facts of the definitions (SECURITY.md, "Referral register";
review/report_facts.c, review/ref_flags.c) tie the two populations and
the flags together:

  first named     a reference is first named on the received day of the
    needs a       earliest concern naming it, which named a referral, and
    concern       a concern links at most REF_CONCERN_REFS_MAX (256)
                  references: references(m) <= 256 x named(m), per month
                  (so a published "named" of 0 makes the month's
                  references 0)
  a concern       a concern that named a referral names a reference first
    needs a       named in its month or before: named(m) <= C x
    reference     references(up to m), C the casebook's concerns (the
                  accountability statement; a bound on named(m))
  single refs     when no reference first named up to m is corroborated,
                  each concern of month m that named one names its own
                  references, first named in m and named by it alone:
                  named(m) <= one-concern(m) + C x more-than-one(up to m)
  corroborated    a reference named by more than one concern has two
                  concerns naming it, received in its first month or later:
                  a published "more than one" above 0 over months a..b
                  makes "named" over a..POST >= 2
  exclusive       "closed without a decision" needs no decision, "decision
    flags         late" and "strategy late" need one (or an open
                  referral): per month, closed-no-decision + each of those
                  two <= recorded

  integers      a count is whole: a published cell of the references'
                  tables above 0 over months M means a reference first
                  named in M, whose earliest concern named one there:
                  named(M) >= 1 (the ">= 1" that "references <= 256 x
                  named" gives an integer reader, as a linear fact); a
                  published "named" above 0 over months a..b means a
                  reference first named by b: references(up to b) >= 1

Each implication is stated as a linear inequality with a bound that makes
it hold whatever the other side is (big-M): a linear-programming attacker
then learns from it only when the other side is pinned at 0, which is
where the exact disclosure lies (an integer attacker learns a little more
near 1: SECURITY.md says so). The sums up to m need the months before the
reports' (the accountability statement's PRE column): without it they
are left out, like the other such sums.

SDC_CHECK_NO_REFS=1 in the environment leaves all of this out: the
negative tests of e2e 63 show a leak caught with these relations and
missed without them (so they are what catches it).
"""
import os

REFS_PER_CONCERN = 256  # REF_CONCERN_REFS_MAX, review/ref.h

NAMED = "concerns_naming_referrals"
REFS = "references_named"
CORROB = "references_corroborated"
EXCLUSIVE = (("references_closed_no_decision", "references_decision_late"),
             ("references_closed_no_decision", "references_strategy_late"))


def add(rel):
    """Adds section 5's relations to rel (an sdc_relations.Relations)."""
    c = rel.c
    if os.environ.get("SDC_CHECK_NO_REFS") == "1":
        return
    if rel.ti.get(NAMED) is None or rel.ti.get(REFS) is None:
        return
    account = c.account
    big = account["concerns"] if account is not None else None
    refs_tables = {i for i, t in enumerate(c.tables)
                   if t.get("measure", "").startswith("references_")}
    ni = rel.ti[NAMED]
    ci = rel.ti.get(CORROB)
    for (ti, ri, months), v in c.published.items():
        if v <= 0:
            continue
        if ti in refs_tables:
            rel.le(-rel.cell(NAMED, "named", list(months)), -1)
        elif ti == ni and c.tables[ni]["rows"][ri] == "named":
            pre = rel.upto(max(months))
            if pre is not None:
                rel.le(-rel.cell(REFS, "Total", pre), -1)
        # a reference named by more than one concern first named in
        # months M: two concerns named it, received in M's first month or
        # later (the months after the reports' are POST)
        if ti == ci and c.tables[ci]["rows"][ri] == "more-than-one" and \
                account is not None:
            rel.le(-rel.cell(NAMED, "named", rel.after(min(months))), -2)
    # (Counting links gives references(a..) + more-than-one(a..) <= 256 x
    # named(a..) too: left out, as the monthly references <= 256 x named
    # summed gives all of it but the more-than-one term, which never bound,
    # and its rows over every later month cost e2e 63 ~13% of the check.)
    for m in c.months:
        named = rel.cell(NAMED, "named", [m])
        refs = rel.cell(REFS, "Total", [m])
        # PRE and POST are sums of months: the bound sums with them.
        rel.le(refs - REFS_PER_CONCERN * named, 0)
        rec = rel.cell(REFS, "recorded", [m])
        for a, b in EXCLUSIVE:
            fa, fb = rel.cell(a, "flagged", [m]), rel.cell(b, "flagged", [m])
            if fa is not None and fb is not None:
                rel.le(fa + fb - rec, 0)
        pre = rel.upto(m)
        if pre is None or big is None or not c.real[0] <= m <= c.real[1]:
            continue
        rel.le(named - big * rel.cell(REFS, "Total", pre), 0)
        one = rel.cell(CORROB, "one-concern", [m])
        more = rel.cell(CORROB, "more-than-one", pre)
        if one is not None and more is not None:
            rel.le(named - one - big * more, 0)
