/* Exact / near / missing classification (review/ref_match.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "review/ref.h"

static struct ref_index *ix;

static int
setup(void **st)
{
	static const char *const reg[] = {"REF/2019/00423", "REF/2019/00424", "PPN-123456",
	    "REF/2020/10000", "2021/0042", "AB/12"};

	(void)st;
	if ((ix = ref_index_new(4)) == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(reg) / sizeof(reg[0]); i++)
		if (ref_index_add(ix, reg[i]) != 1)
			return -1;
	return 0;
}

static int
teardown(void **st)
{
	(void)st;
	ref_index_free(ix);
	return 0;
}

static int
classify(const char *ref, char near[][REF_REF_MAX + 1], size_t *n)
{
	return ref_classify(ix, ref, near, n);
}

static void
test_exact(void **st)
{
	(void)st;
	char near[REF_NEAR_MAX][REF_REF_MAX + 1];
	size_t n;

	assert_int_equal(classify("REF/2019/00423", near, &n), REF_EXACT);
	assert_int_equal(n, 0);
	assert_int_equal(classify("PPN-123456", near, &n), REF_EXACT);
	assert_int_equal(ref_index_count(ix), 6);
	assert_int_equal(ref_index_add(ix, "PPN-123456"), 0); /* already there */
}

static void
test_near_each_edit(void **st)
{
	(void)st;
	char near[REF_NEAR_MAX][REF_REF_MAX + 1];
	size_t n;

	/* substitution */
	assert_int_equal(classify("PPN-123457", near, &n), REF_NEAR);
	assert_int_equal(n, 1);
	assert_string_equal(near[0], "PPN-123456");
	/* adjacent transposition */
	assert_int_equal(classify("PPN-124356", near, &n), REF_NEAR);
	assert_string_equal(near[0], "PPN-123456");
	/* deletion */
	assert_int_equal(classify("PPN-12346", near, &n), REF_NEAR);
	assert_string_equal(near[0], "PPN-123456");
	/* insertion */
	assert_int_equal(classify("PPN-1234556", near, &n), REF_NEAR);
	assert_string_equal(near[0], "PPN-123456");
	/* one edit from two register entries: both offered, sorted */
	assert_int_equal(classify("REF/2019/00425", near, &n), REF_NEAR);
	assert_int_equal(n, 2);
	assert_string_equal(near[0], "REF/2019/00423");
	assert_string_equal(near[1], "REF/2019/00424");
}

static void
test_missing(void **st)
{
	(void)st;
	char near[REF_NEAR_MAX][REF_REF_MAX + 1];
	size_t n;

	/* two substitutions */
	assert_int_equal(classify("PPN-123478", near, &n), REF_MISSING);
	assert_int_equal(n, 0);
	/* a non-adjacent swap is two edits */
	assert_int_equal(classify("PPN-623451", near, &n), REF_MISSING);
	/* deletion plus insertion */
	assert_int_equal(classify("PPN-234561", near, &n), REF_MISSING);
	assert_int_equal(classify("REF/2018/00001", near, &n), REF_MISSING);
	assert_int_equal(classify("", near, &n), REF_MISSING);
	/* a character the register never uses, plus another edit */
	assert_int_equal(classify("PPN-12345Z7", near, &n), REF_MISSING);
}

/* A register whose references all have one length (as most do): edits
 * are looked up only at the lengths it holds, and a near match by an
 * insertion (the reference one shorter) or a deletion (one longer) is
 * still found; one two lengths away is missing. */
static void
test_near_one_length_register(void **st)
{
	(void)st;
	char near[REF_NEAR_MAX][REF_REF_MAX + 1];
	struct ref_index *one = ref_index_new(2);
	size_t n;

	assert_non_null(one);
	assert_int_equal(ref_index_add(one, "AB/12"), 1);
	assert_int_equal(ref_index_add(one, "CD/34"), 1);
	assert_int_equal(ref_classify(one, "AB/1", near, &n), REF_NEAR);
	assert_int_equal(n, 1);
	assert_string_equal(near[0], "AB/12");
	assert_int_equal(ref_classify(one, "AB/123", near, &n), REF_NEAR);
	assert_string_equal(near[0], "AB/12");
	assert_int_equal(ref_classify(one, "CD/43", near, &n), REF_NEAR);
	assert_string_equal(near[0], "CD/34");
	assert_int_equal(ref_classify(one, "CD/3", near, &n), REF_NEAR);
	assert_string_equal(near[0], "CD/34");
	assert_int_equal(ref_classify(one, "AB/", near, &n), REF_MISSING);
	assert_int_equal(ref_classify(one, "AB/1234", near, &n), REF_MISSING);
	assert_int_equal(ref_classify(one, "XY/12", near, &n), REF_MISSING);
	assert_int_equal(n, 0);
	ref_index_free(one);
}

static void
test_edit1(void **st)
{
	(void)st;
	static const struct {
		const char *a, *b;
		int want;
	} t[] = {
	    {"abc", "abc", 0},
	    {"abc", "abd", 1},
	    {"abc", "acb", 1},
	    {"abc", "ab", 1},
	    {"abc", "xabc", 1},
	    {"abc", "bca", 0},
	    {"abc", "cba", 0},
	    {"abc", "a", 0},
	    {"", "a", 1},
	    {"", "", 0},
	    {"abcd", "badc", 0},
	    {"abcd", "abdd", 1},
	    {"12/34", "12/43", 1},
	    {"12/34", "21/43", 0},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (ref_edit1(t[i].a, strlen(t[i].a), t[i].b, strlen(t[i].b)) != t[i].want)
			fail_msg("edit1(%s, %s) != %d", t[i].a, t[i].b, t[i].want);
		if (ref_edit1(t[i].b, strlen(t[i].b), t[i].a, strlen(t[i].a)) != t[i].want)
			fail_msg("edit1(%s, %s) != %d", t[i].b, t[i].a, t[i].want);
	}
}

/* Every near answer must be one edit away, and a brute force over the
 * register must find no candidate the index missed. */
static void
test_near_agrees_with_brute_force(void **st)
{
	(void)st;
	static const char *const reg[] = {"REF/2019/00423", "REF/2019/00424", "PPN-123456",
	    "REF/2020/10000", "2021/0042", "AB/12"};
	static const char *const q[] = {"REF/2019/0423", "REF/2019/004234", "RFE/2019/00423",
	    "REF/2020/1000", "2021/0024", "2021/00042", "AB/1", "AB12", "A/B12", "PPN-12356",
	    "REF/2019/00432", "2012/0042"};
	char near[REF_NEAR_MAX][REF_REF_MAX + 1];
	size_t n;

	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		size_t want = 0;
		for (size_t r = 0; r < sizeof(reg) / sizeof(reg[0]); r++)
			want += (size_t)ref_edit1(q[i], strlen(q[i]), reg[r], strlen(reg[r]));
		(void)classify(q[i], near, &n);
		if (n != want)
			fail_msg("%s: %zu near, brute force %zu", q[i], n, want);
		for (size_t k = 0; k < n; k++)
			assert_true(ref_edit1(q[i], strlen(q[i]), near[k], strlen(near[k])));
	}
}

static void
test_index_rejects(void **st)
{
	(void)st;
	char big[REF_REF_MAX + 2];

	memset(big, '7', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(ref_index_add(ix, ""), -1);
	assert_int_equal(ref_index_add(ix, big), -1);
	assert_false(ref_index_has(ix, big));
	assert_false(ref_index_has(ix, ""));
	assert_null(ref_index_new((size_t)REF_REGISTER_ROWS_MAX * 3));
}

static void
test_index_grows(void **st)
{
	(void)st;
	struct ref_index *x = ref_index_new(1);
	char ref[32];

	assert_non_null(x);
	for (int i = 0; i < 20000; i++) {
		snprintf(ref, sizeof(ref), "REF/2024/%05d", i);
		assert_int_equal(ref_index_add(x, ref), 1);
	}
	assert_int_equal(ref_index_count(x), 20000);
	/* 300 KB of strings: arena blocks of 4 KiB up to 256 KiB, all kept
	 * (under ASan, a block wiped with the wrong size fails at the free) */
	for (int i = 0; i < 20000; i++) {
		snprintf(ref, sizeof(ref), "REF/2024/%05d", i);
		assert_true(ref_index_has(x, ref));
	}
	assert_false(ref_index_has(x, "REF/2024/20000"));
	ref_index_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exact),
	    cmocka_unit_test(test_near_each_edit),
	    cmocka_unit_test(test_missing),
	    cmocka_unit_test(test_near_one_length_register),
	    cmocka_unit_test(test_edit1),
	    cmocka_unit_test(test_near_agrees_with_brute_force),
	    cmocka_unit_test(test_index_rejects),
	    cmocka_unit_test(test_index_grows),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
