#!/bin/sh
# cppcheck over every product source folder (make static; make check runs it
# too: ~10 s of CPU). Checks: warning (undefined behaviour, null pointers,
# bounds, leaks, uninitialised use), portability and performance. Not
# style: its findings here are the house style itself (declarations at the
# top of a block, as OpenBSD writes them). Findings shown wrong by hand are
# in tests/static/cppcheck-suppressions.txt, each with its reason; a new
# finding fails the run (exit 1) and is fixed in the code.
# Usage: cppcheck.sh [DIR...] (default: the product folders; the self-test
# names its own).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.."
dirs="$*"
if [ -z "$dirs" ]; then
	for d in crypto util bundle tmpl intake review; do
		[ -d "$d" ] && dirs="$dirs $d"
	done
fi
# shellcheck disable=SC2086
exec nice -n "${CANDOUR_NICE:-10}" cppcheck -q -j"${JOBS:-2}" --std=c11 --language=c \
	--enable=warning,portability,performance --inconclusive \
	--library=posix --inline-suppr -I. -D_GNU_SOURCE -D__GNUC__ -D__linux__ \
	--suppressions-list="$HERE/cppcheck-suppressions.txt" \
	--error-exitcode=1 $dirs
