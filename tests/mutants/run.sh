#!/bin/sh
# make mutate: every mutant of tests/mutants/*.txt applied to a copy of the
# tree, its module's tests run, a score per module and the survivors
# printed (tests/mutants/mutate.py). Arguments select modules or mutant
# ids: sh tests/mutants/run.sh crypto bundle-read-len-max
# MUTATE_TIMEOUT=N bounds each test program (seconds, default 300).
# sh tests/mutants/run.sh lint checks the data files only.
cd "$(dirname "$0")/../.." || exit 2
if [ "$1" = lint ]; then
	exec python3 tests/mutants/mutate.py lint
fi
exec nice -n 10 python3 tests/mutants/mutate.py run "$@"
