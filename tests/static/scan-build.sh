#!/bin/sh
# clang's static analyzer (scan-build, Debian's clang-tools) over a fresh
# build of every product folder in build-scan/ (make static; make soak).
# The default checkers (core: null dereference, division by zero,
# uninitialised values, dead stores; unix: malloc/free misuse, leaks on a
# path, API misuse) plus security.insecureAPI.strcpy: any report fails
# the run (--status-bugs), with the HTML report left in build-scan/report.
# About 4 minutes of CPU on the 2-core machine (a full analysed build).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.."
rm -rf build-scan
mkdir -p build-scan
exec nice scan-build -o build-scan/report --status-bugs --use-cc=clang \
	-enable-checker security.insecureAPI.strcpy \
	make -s B=build-scan -j"${JOBS:-2}" all
