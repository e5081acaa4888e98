"""What the governance report publishes over rp_gen's casebooks: a measure,
not a test (the lead's figures for SECURITY.md; issue 11's "figures a
committee can act on").

Usage: sdc_stats.py BOOKS.jsonl

Counts, over every report's own period column (a month, a quarter, a year
or an FY), the cells published and withheld per table; then the same for
the year and FY reports only, their "period totals" (every Total cell,
and every outcome row, of a year or FY report) and their headline figures
(the shares, medians, the stock and "led to action").
"""
import collections
import json
import sys


def main():
    per = collections.defaultdict(lambda: [0, 0])  # measure: [published, withheld]
    year = collections.defaultdict(lambda: [0, 0])
    tot = collections.defaultdict(lambda: [0, 0])
    head = collections.defaultdict(lambda: [0, 0])
    n = 0
    with open(sys.argv[1]) as f:
        for line in f:
            case = json.loads(line)
            n += 1
            for t in case["tables"]:
                rows = t["rows"]
                for rep in t["reports"]:
                    long = len(rep["columns"][0]["months"]) == 12
                    for r, cells in enumerate(rep["cells"]):
                        w = cells[0] == "c"
                        per[t["measure"]][w] += 1
                        if not long:
                            continue
                        year[t["measure"]][w] += 1
                        if rows[r] == "Total":
                            tot["Total of " + t["measure"]][w] += 1
                        elif t["measure"] == "closed_by_outcome":
                            tot["outcome " + rows[r]][w] += 1
            for d in case["derived"]:
                if d["last"] - d["first"] == 11:
                    head[d["measure"]][d["value"] == "c"] += 1

    def show(title, tab):
        print(title)
        a = b = 0
        for k in sorted(tab):
            p, w = tab[k]
            a, b = a + p, b + w
            print("  %-44s %7d published %7d withheld" % (k, p, w))
        print("  %-44s %7d published %7d withheld" % ("all", a, b))

    print("sdc_stats: %d casebooks" % n)
    show("every report's period column, by table:", per)
    show("year and FY reports, by table:", year)
    show("year and FY reports, period totals:", tot)
    show("year and FY reports, headline figures:", head)


if __name__ == "__main__":
    main()
