/* RFC 4180 reader (review/ref_csv.c): edge cases and malformed input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review/ref.h"
#include "tmpl/tmpl.h"

struct parsed {
	FILE *fp;
	struct ref_csv *csv;
	struct ref_csv_row row;
};

static void
open_str(struct parsed *p, const char *s, size_t len)
{
	p->fp = fmemopen((void *)s, len, "r");
	assert_non_null(p->fp);
	assert_int_equal(ref_csv_new(p->fp, &p->csv), 0);
}

static void
close_str(struct parsed *p)
{
	ref_csv_free(p->csv);
	fclose(p->fp);
}

/* Reads every record; returns the count, or -1 on the first error. */
static int
count_rows(const char *s, size_t len, char *err, size_t errlen)
{
	struct parsed p;
	int n = 0, r;

	open_str(&p, s, len);
	while ((r = ref_csv_next(p.csv, &p.row)) == 1)
		n++;
	if (r < 0) {
		snprintf(err, errlen, "%s", ref_csv_error(p.csv));
		n = -1;
	}
	close_str(&p);
	return n;
}

static void
test_simple_lf_and_crlf(void **st)
{
	(void)st;
	const char *lf = "a,b,c\n1,2,3\n";
	const char *crlf = "a,b,c\r\n1,2,3\r\n";
	const char *noeol = "a,b,c\n1,2,3";
	char err[200];

	assert_int_equal(count_rows(lf, strlen(lf), err, sizeof(err)), 2);
	assert_int_equal(count_rows(crlf, strlen(crlf), err, sizeof(err)), 2);
	assert_int_equal(count_rows(noeol, strlen(noeol), err, sizeof(err)), 2);
}

static void
test_quotes_commas_newlines(void **st)
{
	(void)st;
	const char *s =
	    "ref,note\r\n\"REF/2019/00423\",\"said \"\"binned\"\", then, \r\nleft\"\r\n";
	struct parsed p;

	open_str(&p, s, strlen(s));
	assert_int_equal(ref_csv_next(p.csv, &p.row), 1);
	assert_int_equal(p.row.line, 1);
	assert_int_equal(ref_csv_next(p.csv, &p.row), 1);
	assert_int_equal(p.row.n, 2);
	assert_string_equal(p.row.f[0], "REF/2019/00423");
	assert_string_equal(p.row.f[1], "said \"binned\", then, \nleft");
	assert_int_equal(p.row.line, 2);
	assert_int_equal(ref_csv_next(p.csv, &p.row), 0);
	close_str(&p);
}

static void
test_line_numbers_after_embedded_newline(void **st)
{
	(void)st;
	const char *s = "a,b\n\"x\ny\nz\",1\nq,2\n";
	struct parsed p;

	open_str(&p, s, strlen(s));
	assert_int_equal(ref_csv_next(p.csv, &p.row), 1);
	assert_int_equal(ref_csv_next(p.csv, &p.row), 1);
	assert_int_equal(p.row.line, 2);
	assert_int_equal(ref_csv_next(p.csv, &p.row), 1);
	assert_int_equal(p.row.line, 5); /* physical line, not record number */
	assert_string_equal(p.row.f[0], "q");
	close_str(&p);
}

static void
test_bom_skipped(void **st)
{
	(void)st;
	const char *s = "\xef\xbb\xbfreference,team\nREF/2020/00001,North\n";
	struct parsed p;

	open_str(&p, s, strlen(s));
	assert_int_equal(ref_csv_next(p.csv, &p.row), 1);
	assert_string_equal(p.row.f[0], "reference");
	assert_int_equal(p.row.len[0], 9);
	close_str(&p);
}

static void
test_bom_only_at_start(void **st)
{
	(void)st;
	/* A BOM later in the file is U+FEFF text, kept as such. */
	const char *s = "a\n\xef\xbb\xbfx\n";
	struct parsed p;

	open_str(&p, s, strlen(s));
	assert_int_equal(ref_csv_next(p.csv, &p.row), 1);
	assert_int_equal(ref_csv_next(p.csv, &p.row), 1);
	assert_int_equal(p.row.len[0], 4);
	close_str(&p);
}

static void
test_empty_trailing_fields(void **st)
{
	(void)st;
	const char *s = "a,b,c\nx,,\n,,\n";
	struct parsed p;

	open_str(&p, s, strlen(s));
	assert_int_equal(ref_csv_next(p.csv, &p.row), 1);
	assert_int_equal(ref_csv_next(p.csv, &p.row), 1);
	assert_int_equal(p.row.n, 3);
	assert_string_equal(p.row.f[0], "x");
	assert_int_equal(p.row.len[1], 0);
	assert_int_equal(p.row.len[2], 0);
	assert_int_equal(ref_csv_next(p.csv, &p.row), 1);
	assert_int_equal(p.row.n, 3);
	close_str(&p);
}

static void
test_blank_lines_skipped_quoted_empty_kept(void **st)
{
	(void)st;
	const char *s = "a\n\n\r\n\"\"\n";
	char err[200];

	/* Blank lines are not records; a quoted empty field is. */
	assert_int_equal(count_rows(s, strlen(s), err, sizeof(err)), 2);
}

static void
test_utf8_text_kept(void **st)
{
	(void)st;
	const char *s = "team\nGwasanaethau Plant – Caerdydd\n";
	char err[200];

	assert_int_equal(count_rows(s, strlen(s), err, sizeof(err)), 2);
}

/* ---- negative ---- */

static void
expect_error(const char *s, size_t len, const char *want)
{
	char err[200] = "";

	assert_int_equal(count_rows(s, len, err, sizeof(err)), -1);
	if (strstr(err, want) == NULL)
		fail_msg("error '%s' does not contain '%s'", err, want);
}

static void
test_unclosed_quote(void **st)
{
	(void)st;
	const char *s = "a,b\n1,\"never closed\n2,3\n";
	expect_error(s, strlen(s), "line 2, column 3: quoted field is never closed");
}

static void
test_quote_in_unquoted_field(void **st)
{
	(void)st;
	const char *s = "a,b\nab\"c,d\n";
	expect_error(s, strlen(s), "line 2, column 3: quote inside an unquoted field");
}

static void
test_text_after_closing_quote(void **st)
{
	(void)st;
	const char *s = "a,b\n\"x\"y,z\n";
	expect_error(s, strlen(s), "line 2, column 4: unexpected character after a closing quote");
}

static void
test_bare_cr(void **st)
{
	(void)st;
	const char *s = "a,b\rc,d\n";
	expect_error(s, strlen(s), "carriage return without line feed");
}

static void
test_bare_cr_in_quotes(void **st)
{
	(void)st;
	const char *s = "a,\"b\rc\"\n";
	expect_error(s, strlen(s), "line 1, column 5: carriage return without line feed");
}

/* Two of the BOM's three bytes are not a BOM: nothing is skipped, and the
 * bytes are refused as text (a reader skipping them would lose the
 * first character of the register). */
static void
test_partial_bom_not_skipped(void **st)
{
	(void)st;
	const char *s = "\xef\xbb" "a,b\n";
	expect_error(s, strlen(s), "line 1, column 1: not valid UTF-8");
}

static void
test_invalid_utf8(void **st)
{
	(void)st;
	const char *s = "a,b\nok,\xc3\x28\n";
	expect_error(s, strlen(s), "line 2, column 4: not valid UTF-8");
}

static void
test_overlong_utf8(void **st)
{
	(void)st;
	const char *s = "a\n\xc0\xaf\n";
	expect_error(s, strlen(s), "line 2, column 1: not valid UTF-8");
}

static void
test_control_character(void **st)
{
	(void)st;
	const char s[] = "a,b\nx,y\x1bz\n";
	expect_error(s, sizeof(s) - 1, "not valid UTF-8");
}

static void
test_nul_byte(void **st)
{
	(void)st;
	const char s[] = "a,b\nx,y\0z\n";
	expect_error(s, sizeof(s) - 1, "line 2, column 3: not valid UTF-8");
}

static void
test_bidi_override(void **st)
{
	(void)st;
	const char *s = "a\nx\xe2\x80\xaey\n";
	expect_error(s, strlen(s), "not valid UTF-8");
}

static void
test_column_counts_characters(void **st)
{
	(void)st;
	/* "é" is two bytes but one column. */
	const char *s = "\xc3\xa9\xc3\xa9,x\"y\n";
	expect_error(s, strlen(s), "line 1, column 5: quote inside");
}

static void
test_field_too_long(void **st)
{
	(void)st;
	size_t n = REF_CSV_FIELD_MAX + 10;
	char *s = malloc(n + 3);

	assert_non_null(s);
	memset(s, 'x', n);
	memcpy(s + n, "\n", 2);
	expect_error(s, n + 1, "too long");
	free(s);
}

static void
test_too_many_fields(void **st)
{
	(void)st;
	char s[REF_CSV_COLS_MAX * 2 + 10];
	size_t o = 0;

	for (int i = 0; i <= REF_CSV_COLS_MAX; i++) {
		s[o++] = 'x';
		s[o++] = ',';
	}
	s[o++] = '\n';
	expect_error(s, o, "more than 64 fields");
}

static void
test_record_too_long(void **st)
{
	(void)st;
	/* Each field is under the field limit, the record is over its limit. */
	size_t per = REF_CSV_FIELD_MAX - 1, nf = REF_CSV_ROW_MAX / per + 2, o = 0;
	char *s = malloc(nf * (per + 1) + 2);

	assert_non_null(s);
	for (size_t i = 0; i < nf; i++) {
		memset(s + o, 'y', per);
		o += per;
		s[o++] = ',';
	}
	s[o - 1] = '\n';
	expect_error(s, o, "too long");
	free(s);
}

/*
 * A field that ends exactly at the record limit, followed by another
 * field: the next field starts past the limit and must be refused, not
 * written beyond the record buffer (heap overflow before the fix).
 */
static void
test_record_limit_exact_then_more(void **st)
{
	(void)st;
	size_t per = REF_CSV_FIELD_MAX - 1, full = REF_CSV_ROW_MAX / REF_CSV_FIELD_MAX - 1;
	size_t o = 0, cap = REF_CSV_ROW_MAX + 2 * REF_CSV_FIELD_MAX;
	char *s = malloc(cap);

	assert_non_null(s);
	for (size_t i = 0; i < full; i++) {
		memset(s + o, 'y', per);
		o += per;
		s[o++] = ',';
	}
	/* Fill the record to exactly REF_CSV_ROW_MAX bytes of field data + NULs. */
	memset(s + o, 'z', REF_CSV_ROW_MAX - o);
	o = REF_CSV_ROW_MAX;
	s[o++] = ',';
	memset(s + o, 'w', REF_CSV_FIELD_MAX - 1);
	o += REF_CSV_FIELD_MAX - 1;
	s[o++] = '\n';
	assert_true(o <= cap);
	expect_error(s, o, "too long");
	free(s);
}

/* A quoted field has the same 4,096-byte limit as a bare one: exactly the
 * limit is read whole, one byte more is refused. */
static void
test_quoted_field_limit(void **st)
{
	(void)st;
	size_t n = REF_CSV_FIELD_MAX;
	char *s = malloc(n + 8);
	struct parsed p;

	assert_non_null(s);
	s[0] = '"';
	memset(s + 1, 'q', n);
	memcpy(s + 1 + n, "\",b\n", 4);
	open_str(&p, s, n + 4);
	assert_int_equal(ref_csv_next(p.csv, &p.row), 1);
	assert_int_equal(p.row.n, 2);
	assert_int_equal(p.row.len[0], REF_CSV_FIELD_MAX);
	assert_string_equal(p.row.f[1], "b");
	close_str(&p);
	/* the same without quotes: exactly the limit, then one byte more */
	memset(s, 'u', n);
	memcpy(s + n, ",b\n", 3);
	open_str(&p, s, n + 3);
	assert_int_equal(ref_csv_next(p.csv, &p.row), 1);
	assert_int_equal(p.row.len[0], REF_CSV_FIELD_MAX);
	close_str(&p);
	memset(s, 'u', n + 1);
	memcpy(s + n + 1, ",b\n", 3);
	expect_error(s, n + 4, "too long");
	/* one more byte inside the quotes */
	s[0] = '"';
	memset(s + 1, 'q', n + 1);
	memcpy(s + 2 + n, "\"\n", 3);
	expect_error(s, n + 4, "too long");
	free(s);
}

/* A record whose field bytes reach exactly the record limit is accepted
 * whole (the last field ends at the limit; test_record_limit_exact_then_more
 * refuses one more field after it). */
static void
test_record_limit_exact_accepted(void **st)
{
	(void)st;
	size_t per = REF_CSV_FIELD_MAX - 1, full = REF_CSV_ROW_MAX / REF_CSV_FIELD_MAX - 1;
	size_t o = 0, last;
	char *s = malloc(REF_CSV_ROW_MAX + 2);
	struct parsed p;

	assert_non_null(s);
	for (size_t i = 0; i < full; i++) {
		memset(s + o, 'y', per);
		o += per;
		s[o++] = ',';
	}
	last = REF_CSV_ROW_MAX - o;
	assert_true(last <= REF_CSV_FIELD_MAX);
	memset(s + o, 'z', last);
	o = REF_CSV_ROW_MAX;
	s[o++] = '\n';
	open_str(&p, s, o);
	assert_int_equal(ref_csv_next(p.csv, &p.row), 1);
	assert_int_equal(p.row.n, full + 1);
	assert_int_equal(p.row.len[0], per);
	assert_int_equal(p.row.len[full], last);
	assert_int_equal(p.row.f[full][last - 1], 'z');
	assert_int_equal(ref_csv_next(p.csv, &p.row), 0);
	close_str(&p);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_simple_lf_and_crlf),
	    cmocka_unit_test(test_quotes_commas_newlines),
	    cmocka_unit_test(test_line_numbers_after_embedded_newline),
	    cmocka_unit_test(test_bom_skipped),
	    cmocka_unit_test(test_bom_only_at_start),
	    cmocka_unit_test(test_partial_bom_not_skipped),
	    cmocka_unit_test(test_empty_trailing_fields),
	    cmocka_unit_test(test_blank_lines_skipped_quoted_empty_kept),
	    cmocka_unit_test(test_utf8_text_kept),
	    cmocka_unit_test(test_unclosed_quote),
	    cmocka_unit_test(test_quote_in_unquoted_field),
	    cmocka_unit_test(test_text_after_closing_quote),
	    cmocka_unit_test(test_bare_cr),
	    cmocka_unit_test(test_bare_cr_in_quotes),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_overlong_utf8),
	    cmocka_unit_test(test_control_character),
	    cmocka_unit_test(test_nul_byte),
	    cmocka_unit_test(test_bidi_override),
	    cmocka_unit_test(test_column_counts_characters),
	    cmocka_unit_test(test_field_too_long),
	    cmocka_unit_test(test_too_many_fields),
	    cmocka_unit_test(test_record_too_long),
	    cmocka_unit_test(test_record_limit_exact_then_more),
	    cmocka_unit_test(test_quoted_field_limit),
	    cmocka_unit_test(test_record_limit_exact_accepted),
	};
	/* the reasons are compared in English, whatever LANG the run has */
	cli_lang_set("en");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
