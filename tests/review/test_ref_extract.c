/* Reference extraction and normalisation (review/ref_extract.c) on a
 * table of realistic sentences, false positives included. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review/ref.h"

static struct ref_config cfg;

static int
setup(void **st)
{
	const char *text = "pattern REF/YYYY/NNNNN\npattern PPN-NNNNNN\n"
			   "pattern YYYY/NNNN\npattern NNNNNNNN\n";
	char why[200];

	(void)st;
	ref_config_default(&cfg);
	return ref_config_parse(&cfg, text, strlen(text), why, sizeof(why));
}

/* Extracts from s and joins the results with " " for comparison. */
static void
check(const char *s, const char *want)
{
	char out[REF_EXTRACT_MAX][REF_REF_MAX + 1], got[1024] = "";
	size_t n = ref_extract(&cfg, s, strlen(s), out, REF_EXTRACT_MAX);

	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			strcat(got, " "); /* test code: bounded by the table */
		strcat(got, out[i]);
	}
	if (strcmp(got, want) != 0)
		fail_msg("in \"%s\": got \"%s\", want \"%s\"", s, got, want);
}

static void
test_positive_sentences(void **st)
{
	(void)st;
	check("Police referral REF/2019/00423 was binned.", "REF/2019/00423");
	check("ref 2019/423 never got a strategy meeting", "REF/2019/00423");
	check("see REF-2019-00423 on the system", "REF/2019/00423");
	check("Ref: 2019 / 00423 (the boy in the flat)", "REF/2019/00423");
	check("ref2019 00423", "REF/2019/00423");
	check("REF201900423", "REF/2019/00423");
	check("it was REF/2019/\n00423, split over two lines", "REF/2019/00423");
	check("PPN 123456 and ppn-012345 both came from the police", "PPN-123456 PPN-012345");
	check("PPN-0123456 (extra leading zero)", "PPN-123456");
	check("PPN-12345 (a zero dropped)", "PPN-012345");
	check("police referral 2021/0042 was closed the same day", "2021/0042");
	/* Patterns are tried in order: "ref" is REF/YYYY/NNNNN's literal. */
	check("police ref 2021/0042", "REF/2021/00042");
	check("police no. 2021-0042.", "2021/0042");
	check("case 12345678 closed NFA", "12345678");
	check("Two refs: REF/2020/1 and REF/2020/00001", "REF/2020/00001");
	check("REF.2020.55, PPN:777777", "REF/2020/00055 PPN-777777");
	check("(REF/2018/00007)", "REF/2018/00007");
	/* pasted from a word processor: an en dash and a no-break space */
	check("ref REF\xe2\x80\x93"
	      "2019\xc2\xa0"
	      "00423 again",
	    "REF/2019/00423");
	check("police no. 2021\xe2\x80\x94"
	      "0042",
	    "2021/0042");
}

static void
test_false_positives(void **st)
{
	(void)st;
	check("Call me on 07700 900123 or 020 7946 0958", "");
	check("Phone 0161 496 0000 after 6", "");
	check("+44 12345678", "");
	check("mobile 01234567890 (eleven digits)", "");
	check("It happened on 12/03/2024 and again on 2024-03-12", "");
	check("meeting 2024/03/12 at 10:30", "");
	check("postcodes SW1A 1AA and CF10 3NQ", "");
	check("in 2019 1234 referrals were made", "");
	check("REFERRAL 2019-00423-1 pending", "");
	check("REF/1850/00001 is not a year we hold", "");
	check("REF/2019/12345678 has too many digits", "");
	check("XREF/2019/00423 is a different system", "");
	check("PPN-1234567 has one digit too many", "");
	check("number 123456789 is nine digits", "");
	check("1234-5678 is two groups", "");
	check("phone 0161\xc2\xa0"
	      "49600000 or 0161\xe2\x80\x93"
	      "49600000",
	    "");
	check("dates 2024\xe2\x80\x93"
	      "03\xe2\x80\x93"
	      "12",
	    "");
	check("20/03/2024 20-03-2024 2024.03.20", "");
	check("", "");
	check("no references at all, just words", "");
}

static void
norm_ok(const char *in, const char *want)
{
	char out[REF_REF_MAX + 1];

	if (ref_normalise(&cfg, in, strlen(in), out) != 0)
		fail_msg("'%s' did not normalise", in);
	if (strcmp(out, want) != 0)
		fail_msg("'%s' -> '%s', want '%s'", in, out, want);
}

static void
test_normalise(void **st)
{
	(void)st;
	norm_ok("  ref 2019/423 ", "REF/2019/00423");
	norm_ok("REF/2019/00423", "REF/2019/00423");
	norm_ok("ppn 0012345", "PPN-012345");
	norm_ok("2021/0042", "2021/0042");
	norm_ok("ab-12 cd", "AB/12/CD");
	norm_ok("x--7", "X/7");
	norm_ok("12345", "12345");
	norm_ok("ab\xe2\x80\x93"
		"12",
	    "AB/12");
}

static void
test_normalise_rejects(void **st)
{
	(void)st;
	static const char *const bad[] = {"", "   ", "abc", "2024#1", "REF/2019/00423!",
	    "caf\xc3\xa9 1", "-/-",
	    "1234567890123456789012345678901234567890123456789012345678901234567890"};
	char out[REF_REF_MAX + 1];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* refused, out is "" (it was left holding what was written so
		 * far, the overlong one 64 letters and no NUL: the desk read on
		 * past it into the page) */
		memset(out, 'Z', sizeof(out));
		if (ref_normalise(&cfg, bad[i], strlen(bad[i]), out) == 0)
			fail_msg("'%s' normalised to '%.*s'", bad[i], REF_REF_MAX, out);
		if (out[0] != '\0')
			fail_msg("'%s' refused, out left as '%.*s'", bad[i], REF_REF_MAX, out);
	}
}

static void
test_extract_limit(void **st)
{
	(void)st;
	char text[4096], out[3][REF_REF_MAX + 1];
	size_t o = 0;

	for (int i = 1; i <= 10; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "REF/2020/%05d ", i);
	assert_int_equal(ref_extract(&cfg, text, o, out, 3), 3);
	assert_string_equal(out[2], "REF/2020/00003");
}

static void
test_default_patterns_only(void **st)
{
	(void)st;
	struct ref_config d;
	char out[4][REF_REF_MAX + 1];
	const char *s = "police 2021/0042 and case 12345678 and REF/2021/7";

	ref_config_default(&d);
	assert_int_equal(ref_extract(&d, s, strlen(s), out, 4), 1);
	assert_string_equal(out[0], "REF/2021/00007");
}

/*
 * The text need not be NUL-terminated: a reference at the very end of an
 * exactly-sized buffer must not make the matcher read s[len] (ASan sees
 * the one-byte over-read the unanchored end check did before the fix).
 */
static void
test_reference_at_end_of_unterminated_buffer(void **st)
{
	(void)st;
	static const char *texts[] = {"2021/0042", "12345678", "REF/2019/423"};
	char out[4][REF_REF_MAX + 1];

	for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
		size_t len = strlen(texts[t]);
		char *s = malloc(len);
		assert_non_null(s);
		memcpy(s, texts[t], len); /* no NUL */
		assert_int_equal(ref_extract(&cfg, s, len, out, 4), 1);
		/* the whole buffer is the reference: normalising it agrees */
		assert_int_equal(ref_normalise(&cfg, s, len, out[1]), 0);
		assert_string_equal(out[0], out[1]);
		free(s);
	}
	/* and after other words */
	char *s = malloc(16);
	assert_non_null(s);
	memcpy(s, "binned 2021/0042", 16);
	assert_int_equal(ref_extract(&cfg, s, 16, out, 4), 1);
	assert_string_equal(out[0], "2021/0042");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reference_at_end_of_unterminated_buffer),
	    cmocka_unit_test(test_positive_sentences),
	    cmocka_unit_test(test_false_positives),
	    cmocka_unit_test(test_normalise),
	    cmocka_unit_test(test_normalise_rejects),
	    cmocka_unit_test(test_extract_limit),
	    cmocka_unit_test(test_default_patterns_only),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
