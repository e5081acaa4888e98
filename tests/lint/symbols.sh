#!/bin/sh
# No global name is defined by two of the project's libraries (build/'s
# libcandour_*.a). A program that links two archives defining one name gets
# whichever comes first on its command line without a word: the fuzz
# targets and benches link intake's and review's both, and intake's
# `status` command and review's were both cmd_status until 2026-12-06. The
# check plants such a pair first and must report it.
# Usage: sh tests/lint/symbols.sh [BUILD] (after make all)
B=${1:-build}
# clashes ARCHIVE...: each name defined globally by two of them, one a line
clashes() {
	for a in "$@"; do
		nm -g --defined-only "$a" 2>/dev/null | awk 'NF == 3 && $2 ~ /[TDBRVW]/ {print $3}' | sort -u
	done | sort | uniq -d
}
t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
printf 'int lint_twice(void) { return 1; }\nint lint_once_a(void) { return 2; }\n' > "$t/a.c"
printf 'int lint_twice(void) { return 3; }\nint lint_once_b(void) { return 4; }\n' > "$t/b.c"
for x in a b; do
	if ! ${CC:-cc} -c -o "$t/$x.o" "$t/$x.c" || ! ar rcs "$t/lib$x.a" "$t/$x.o"; then
		echo "lint: symbols: cannot build the planted pair"; exit 1
	fi
done
[ "$(clashes "$t/liba.a" "$t/libb.a")" = lint_twice ] || {
	echo "lint: symbols: self-test: the planted clash (lint_twice) was not reported alone"; exit 1; }
set -- "$B"/libcandour_*.a
[ -e "$1" ] || { echo "lint: symbols: no $B/libcandour_*.a: run make all first"; exit 1; }
c=$(clashes "$@")
if [ -n "$c" ]; then
	echo "lint: symbols: defined by two of the project's libraries (give each its module's prefix):"
	echo "$c" | sed 's/^/  /'
	exit 1
fi
echo "lint: symbols: no global name defined twice in $# libraries (planted clash reported)"
