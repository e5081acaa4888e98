#!/bin/sh
# make check's static checks on the source (each a script in tests/lint/,
# and cppcheck from tests/static/, that exits non-zero on a finding). Ends
# with "lint: N passed, N failed".
pass=0; fail=0
for s in tests/lint/memcmp-selftest.sh tests/lint/memcmp.sh tests/lint/locale-selftest.sh \
    tests/lint/mutants-selftest.sh tests/lint/make-rules.sh \
    tests/lint/locale.sh tests/lint/cli-words-selftest.sh tests/lint/cli-words.sh \
    tests/lint/loop-random-selftest.sh tests/lint/desk-start-selftest.sh \
    tests/lint/symbols.sh \
    tests/static/cppcheck-selftest.sh \
    tests/static/cppcheck.sh; do
	if sh "$s"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "lint: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
