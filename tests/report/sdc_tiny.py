#!/usr/bin/python3
"""Copies the casebooks (rp_gen lines) of at most threshold concerns from
stdin to stdout: the accountability statement's exact total is then itself
1..threshold, the case section 5's fix in review/report_agg.c is for (e2e
63, tests/report/sdc_years_soak.sh)."""
import json
import sys

for line in sys.stdin:
    d = json.loads(line)
    if d["accountability"]["concerns"] <= d["threshold"]:
        sys.stdout.write(line)
