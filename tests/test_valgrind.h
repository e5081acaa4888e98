/* RUNNING_ON_VALGRIND for the unit tests: valgrind's client request, an
 * instruction sequence a real CPU runs as a no-op giving 0, so a check
 * left out under valgrind (tests/valgrind/run.sh, memory only) still runs
 * everywhere else. 0 where valgrind's header is not installed. */
#ifndef CANDOUR_TEST_VALGRIND_H
#define CANDOUR_TEST_VALGRIND_H

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#endif
