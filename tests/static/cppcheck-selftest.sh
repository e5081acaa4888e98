#!/bin/sh
# Proves tests/static/cppcheck.sh can fail: it plants a NULL dereference,
# an out-of-bounds write, a leak on an error path, a double free and a read
# of an uninitialised variable in a scratch folder and checks the run exits
# 1 naming each one.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
d=$(mktemp -d "${TMPDIR:-/tmp}/candour-cppcheck.XXXXXX")
trap 'rm -rf "$d"' EXIT
cat > "$d/planted.c" <<'C'
#include <stdlib.h>
#include <string.h>
int null_deref(void) { int *p = NULL; return *p; }
void oob(void) { char b[8]; memset(b, 0, 9); }
int leak(int x) { char *p = malloc(16); if (x) return -1; p[0] = 1; free(p); return 0; }
void dfree(void) { char *p = malloc(4); free(p); free(p); }
int uninit(void) { int x; return x + 1; }
C
out=$(sh "$HERE/cppcheck.sh" "$d" 2>&1)
rc=$?
ok=1
[ "$rc" -eq 1 ] || { echo "cppcheck-selftest: exit $rc, not 1"; ok=0; }
for id in nullPointer bufferAccessOutOfBounds memleak doubleFree uninitvar; do
	echo "$out" | grep -q "\[$id\]" || { echo "cppcheck-selftest: $id not reported"; ok=0; }
done
[ "$ok" -eq 1 ] || { echo "$out"; exit 1; }
echo "cppcheck-selftest: the five planted faults are reported"
