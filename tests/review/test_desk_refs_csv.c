/* Tests for the CSV splitter of review/desk_pages_refs.c (static there, so
 * the file is included). clang's analyzer (tests/static/scan-build.sh)
 * found that an empty cell ("") read its buffer's first byte before it was
 * written. The result did not change (the length test after it was false),
 * and at -O2 the compiler tests the length first, so no run of the built
 * test can see it: the analyzer does, and valgrind on this test built at
 * -O0 ("conditional jump depends on uninitialised value", checked by hand
 * on the old code). The empty cells below are what it needs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "review/desk_pages_refs.c"

static size_t
split(struct desk_arena *ar, const char *line, const char *cells[REFS_COLS])
{
	return csv_split(ar, line, strlen(line), cells);
}

static void
test_empty_cells(void **s)
{
	struct desk_arena ar = {0};
	const char *c[REFS_COLS];
	(void)s;
	/* every kind of empty: quoted, bare, last */
	assert_int_equal(split(&ar, "\"\",,\"x\",\"\"", c), 4);
	assert_string_equal(c[0], "");
	assert_string_equal(c[1], "");
	assert_string_equal(c[2], "x");
	assert_string_equal(c[3], "");
	assert_int_equal(ar.err, 0);
	desk_arena_free(&ar);
}

/* A cell defused against spreadsheet formulas ('=...) shows as typed; a
 * lone quote character is a cell of its own, not an empty one. */
static void
test_defused_and_quotes(void **s)
{
	struct desk_arena ar = {0};
	const char *c[REFS_COLS];
	(void)s;
	assert_int_equal(split(&ar, "\"'=SUM(A1)\",\"'\",\"say \"\"hi\"\"\"", c), 3);
	assert_string_equal(c[0], "=SUM(A1)");
	assert_string_equal(c[1], "'");
	assert_string_equal(c[2], "say \"hi\"");
	desk_arena_free(&ar);
}

/* More cells than the page shows: the rest are not kept. */
static void
test_too_many_cells(void **s)
{
	struct desk_arena ar = {0};
	const char *c[REFS_COLS];
	(void)s;
	assert_int_equal(split(&ar, "a,b,c,d,e,f,g,h,i,j,k", c), REFS_COLS);
	assert_string_equal(c[REFS_COLS - 1], "i");
	assert_int_equal(split(&ar, "", c), 0);
	desk_arena_free(&ar);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty_cells),
	    cmocka_unit_test(test_defused_and_quotes),
	    cmocka_unit_test(test_too_many_cells),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
