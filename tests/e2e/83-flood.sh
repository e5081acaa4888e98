#!/usr/bin/env bash
# e2e: alone
# A short flood (tests/flood/flood.py): 64 connections of page loads,
# submissions and follow-ups for 5 s against serve's production limits;
# every request answered (2xx/303, or a 503 that keeps the reporter's text),
# serve's memory under 256 MiB, and a reporter submits right after. make
# soak runs 64 and 500 connections for 30 s.
. "$(dirname "$0")/lib.sh"
python3 "$(dirname "$0")/../flood/flood.py" --connections 64 --seconds 5 --max-rss-mib 256 \
	|| fail "flood"
