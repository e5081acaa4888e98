#!/bin/sh
# The mutation runner's self-check (tests/mutants/mutate.py selftest): the
# mutant data files pass their lint (each text found exactly once in its
# file, each named test exists), a planted bad record is caught, and on a
# copy of the tree one mutant is killed by test_chain, an inert one
# survives, one that does not compile is reported, and an inert one whose
# only e2e script (planted in the copy) skips its part is "notrun", not a
# survivor (the old runner counted it one: the self-check then fails).
# Needs build/. Niced by CANDOUR_NICE (default 10; make check's lint lane
# gives 0: tests/run-all.sh).
exec nice -n "${CANDOUR_NICE:-10}" python3 tests/mutants/mutate.py selftest
