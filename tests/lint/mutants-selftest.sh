#!/bin/sh
# The mutation runner's self-check (tests/mutants/mutate.py selftest): the
# mutant data files pass their lint (each text found exactly once in its
# file, each named test exists), a planted bad record is caught, and on a
# copy of the tree one mutant is killed by test_chain, an inert one
# survives, and one that does not compile is reported. Needs build/.
exec nice -n 10 python3 tests/mutants/mutate.py selftest
