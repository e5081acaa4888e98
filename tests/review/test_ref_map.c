/* Column mapping, dates and the config file (review/ref_map.c,
 * review/ref_config.c, the date half of review/ref_days.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "review/ref.h"
#include "tmpl/tmpl.h"

/* Parses a header and one record from s into m and r; returns what
 * ref_map_header / ref_map_record returned, why holds the error. */
struct fixture {
	struct ref_config c;
	struct ref_map m;
	struct ref_record r;
	char why[300];
	FILE *fp;
	struct ref_csv *csv;
	struct ref_csv_row hdr, row;
};

static int
map_one(struct fixture *x, const char *s)
{
	int rc;

	x->fp = fmemopen((void *)s, strlen(s), "r");
	assert_non_null(x->fp);
	assert_int_equal(ref_csv_new(x->fp, &x->csv), 0);
	assert_int_equal(ref_csv_next(x->csv, &x->hdr), 1);
	rc = ref_map_header(&x->c, &x->hdr, &x->m, x->why, sizeof(x->why));
	if (rc == 0) {
		/* The header row's storage is reused by the next record. */
		assert_int_equal(ref_csv_next(x->csv, &x->row), 1);
		rc = ref_map_record(&x->c, &x->m, &x->row, &x->r, x->why, sizeof(x->why));
	}
	return rc;
}

static int
setup(void **st)
{
	static struct fixture x;

	memset(&x, 0, sizeof(x));
	ref_config_default(&x.c);
	*st = &x;
	return 0;
}

static int
teardown(void **st)
{
	struct fixture *x = *st;

	if (x->csv != NULL)
		ref_csv_free(x->csv);
	if (x->fp != NULL)
		fclose(x->fp);
	return 0;
}

static void
want(struct fixture *x, const char *s, const char *msg)
{
	assert_int_equal(map_one(x, s), -1);
	if (strstr(x->why, msg) == NULL)
		fail_msg("'%s' does not contain '%s'", x->why, msg);
}

/* ---- dates ---- */

static void
test_dates_valid(void **st)
{
	(void)st;
	int32_t a, b;
	char out[11];

	assert_int_equal(ref_date_parse("2024-02-29", 10, &a), 0);
	assert_int_equal(ref_date_parse("29/02/2024", 10, &b), 0);
	assert_int_equal(a, b);
	assert_int_equal(ref_date_parse("1/3/2024", 8, &b), 0);
	assert_int_equal(b, a + 1);
	ref_date_format(a, out);
	assert_string_equal(out, "2024-02-29");
	assert_int_equal(ref_date_parse("1970-01-01", 10, &a), 0);
	assert_int_equal(a, 0);
	assert_int_equal(ref_weekday(a), 3); /* a Thursday */
}

static void
test_dates_invalid(void **st)
{
	(void)st;
	static const char *const bad[] = {"2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31",
	    "31/04/2024", "29/02/2023", "2024/03/12", "12-03-2024", "12/03/24", "2024-3-1",
	    " 2024-03-01", "2024-03-01x", "", "tomorrow", "32/01/2024", "1899-12-31", "00/01/2024",
	    "1//2024", "1/1/20245", "1900-02-29"};
	int32_t d;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ref_date_parse(bad[i], strlen(bad[i]), &d) == 0)
			fail_msg("'%s' parsed as a date", bad[i]);
}

/* ---- header mapping ---- */

static void
test_default_names(void **st)
{
	struct fixture *x = *st;

	assert_int_equal(
	    map_one(x, "Referral Ref,Date Received,Source Agency,Team,"
		       "Decision,Decision Date,Strategy Discussion Date,S47 Start Date,ICPC Date,"
		       "Status,Date Closed,Closure Reason,Assessment Date,Unrelated\n"
		       "ref 2019 423,03/06/2019,Police,North,s47,04/06/2019,,,,open,,,10/07/2019,zzz\n"),
	    0);
	assert_string_equal(x->r.ref, "REF/2019/00423");
	for (int f = 0; f < RF_COUNT; f++)
		assert_int_equal(x->m.col[f], f);
	assert_int_equal(x->r.len[RF_SOURCE], 6);
	assert_true(x->r.day[RF_RECEIVED] >= 0);
	assert_int_equal(x->r.day[RF_RECEIVED] + 1, x->r.day[RF_DECISION_DATE]);
	assert_int_equal(x->r.day[RF_STRATEGY_DATE], -1);
	assert_int_equal(x->r.day[RF_ASSESSMENT_DATE], x->r.day[RF_RECEIVED] + 37);
}

static void
test_explicit_map(void **st)
{
	struct fixture *x = *st;
	char why[200];

	assert_int_equal(ref_config_map(&x->c, "Case No=reference", why, sizeof(why)), 0);
	assert_int_equal(ref_config_map(&x->c, "When In = received", why, sizeof(why)), 0);
	assert_int_equal(map_one(x, "Case No,When In\nPPN 12345,2024-01-05\n"), 0);
	assert_string_equal(x->r.ref, "PPN-012345");
	assert_int_equal(x->m.col[RF_RECEIVED], 1);
}

static void
test_config_file_map(void **st)
{
	struct fixture *x = *st;
	const char *cfg = "# register export of 2024\nmap  Our Ref = reference\n\n";

	assert_int_equal(ref_config_parse(&x->c, cfg, strlen(cfg), x->why, sizeof(x->why)), 0);
	assert_int_equal(map_one(x, "id,Our Ref\n1,REF/2024/1\n"), 0);
	assert_string_equal(x->r.ref, "REF/2024/00001");
}

static void
test_bad_date_names_line_and_column(void **st)
{
	want(*st, "reference,received,team\nREF/2024/00001,31/02/2024,North\n",
	    "line 2, column 2 (received): '31/02/2024' is not a date");
}

/* The error quotes the bad value: it is register text and goes to the
 * terminal in one line, so an embedded newline or a cut multi-byte
 * character is escaped, not printed. */
static void
test_bad_date_quoted_safely(void **st)
{
	struct fixture *x = *st;

	want(x,
	    "reference,received,team\nREF/2024/00001,\"2024-01-01\ncandour-review: ok\",North\n",
	    "'2024-01-01\\ncandour-revie' is not a date");
	assert_null(strchr(x->why, '\n'));
}

static void
test_bad_date_cut_utf8_escaped(void **st)
{
	struct fixture *x = *st;

	/* 23 ASCII bytes then a 2-byte character: the quote keeps 24 bytes */
	want(x, "reference,received,team\nREF/2024/00001,2024-01-01-xxxxxxxxxxxx\xc3\xa9,North\n",
	    "'2024-01-01-xxxxxxxxxxxx\\xC3' is not a date");
}

static void
test_bad_date_after_embedded_newline(void **st)
{
	want(*st, "reference,team,closed_date\nREF/2024/00001,\"North\nEast\",2024-1-1\n",
	    "line 3, column 3 (closed_date)");
}

static void
test_no_reference_column(void **st)
{
	want(*st, "team,received\nNorth,2024-01-01\n", "no reference column");
}

static void
test_ambiguous_columns(void **st)
{
	want(*st, "Reference,Ref\nREF/2024/1,REF/2024/2\n",
	    "columns 1 and 2 could both be the reference");
}

static void
test_map_unknown_column(void **st)
{
	struct fixture *x = *st;
	char why[200];

	assert_int_equal(ref_config_map(&x->c, "Nope=reference", why, sizeof(why)), 0);
	want(x, "reference\nREF/2024/1\n", "no column called 'Nope'");
}

static void
test_config_map_absent_column_skipped(void **st)
{
	struct fixture *x = *st;
	const char *cfg = "map Case No = reference\n";

	/* A stored config meets exports with other headers: its map is used
	 * where the column exists and skipped where it does not. */
	assert_int_equal(ref_config_parse(&x->c, cfg, strlen(cfg), x->why, sizeof(x->why)), 0);
	assert_int_equal(map_one(x, "reference\nREF/2024/1\n"), 0);
	assert_int_equal(x->m.col[RF_REFERENCE], 0);
}

static void
test_map_bad_specs(void **st)
{
	struct fixture *x = *st;
	char why[200];

	assert_int_equal(ref_config_map(&x->c, "Ref", why, sizeof(why)), -1);
	assert_non_null(strstr(why, "COLUMN=FIELD"));
	assert_int_equal(ref_config_map(&x->c, "Ref=colour", why, sizeof(why)), -1);
	assert_non_null(strstr(why, "unknown field 'colour'"));
	assert_int_equal(ref_config_map(&x->c, "=reference", why, sizeof(why)), -1);
}

static void
test_wrong_field_count(void **st)
{
	want(*st, "reference,team\nREF/2024/00001,North,extra\n",
	    "line 2: 3 fields but the header has 2");
}

static void
test_empty_reference(void **st)
{
	want(*st, "team,reference\nNorth,  \n", "line 2, column 2 (reference): empty reference");
}

static void
test_reference_without_digit(void **st)
{
	want(*st, "reference\nunknown\n", "line 2, column 1 (reference): not a reference");
}

static void
test_reference_odd_characters(void **st)
{
	want(*st, "reference\n2024#77\n", "not a reference");
}

/* ---- config file ---- */

static void
test_config_settings(void **st)
{
	struct fixture *x = *st;
	const char *cfg = "pattern CP-YYYY-NNNN\npattern NNNNNNNN\ndecision_days 2\n"
			  "nfa_days 5\nholidays none\nholiday 2024-03-04\ncp_decision none\n"
			  "cp_decision escalate\n";

	assert_int_equal(ref_config_parse(&x->c, cfg, strlen(cfg), x->why, sizeof(x->why)), 0);
	assert_int_equal(x->c.npat, 2); /* a config's patterns replace the defaults */
	assert_int_equal(x->c.decision_days, 2);
	assert_int_equal(x->c.nfa_days, 5);
	assert_int_equal(x->c.days.n, 1);
	assert_int_equal(x->c.ncp, 1);
	assert_string_equal(x->c.cp_words[0], "escalate");
}

static void
config_fails(const char *cfg, const char *msg)
{
	struct ref_config c;
	char why[300];

	ref_config_default(&c);
	assert_int_equal(ref_config_parse(&c, cfg, strlen(cfg), why, sizeof(why)), -1);
	if (strstr(why, msg) == NULL)
		fail_msg("'%s' does not contain '%s'", why, msg);
}

static void
test_config_errors(void **st)
{
	(void)st;
	config_fails("\n\ncolour blue\n", "line 3: unknown setting 'colour'");
	config_fails("decision_days\n", "line 1: 'decision_days' needs a value");
	config_fails("decision_days -1\n", "a whole number of days");
	config_fails("icpc_days 15x\n", "a whole number of days");
	config_fails("holiday 2024-02-30\n", "holiday: not a date");
	config_fails("holidays scotland\n", "none or england-and-wales");
	config_fails("pattern REF\n", "needs at least one digit part");
	config_fails("pattern NNNN\n", "without letters needs at least 6 digits");
	config_fails("pattern /REF/NNNN\n", "cannot start with a separator");
	config_fails("pattern REF/YYY/NNNN\n", "a year is YY or YYYY");
	config_fails("pattern REF/N#N\n", "not a letter or digit");
	config_fails("map reference\n", "COLUMN=FIELD");
}

/* The reasons are said in the reader's language (cli.why.ref.* keys of
 * web/locale/LANG.txt): Welsh from cy.txt, the numbers filled in, the
 * config's keywords kept as typed. */
static void
test_config_errors_welsh(void **st)
{
	struct fixture *x = *st;

	cli_web_set("web");
	assert_int_equal(cli_lang_set("cy"), 0);
	config_fails("\n\ncolour blue\n", "llinell 3: gosodiad anhysbys 'colour'");
	config_fails("pattern NNNN\n", "llinell 1: pattern: mae angen o leiaf 6 digid ar batrwm heb lythrennau");
	config_fails("holidays scotland\n", "llinell 1: holidays: none neu england-and-wales");
	want(x, "reference,received\nREF/2026/00001,31/02/2024\n",
	    "llinell 2, colofn 2 (received): nid yw '31/02/2024' yn ddyddiad (YYYY-MM-DD neu dd/mm/yyyy)");
	assert_int_equal(cli_lang_set("en"), 0);
	cli_web_set(NULL);
}

static void
test_pattern_tokens(void **st)
{
	(void)st;
	struct ref_pattern p;
	const char *why;

	assert_int_equal(ref_pattern_compile("PPN-NNNNNN", &p, &why), 0);
	assert_int_equal(p.ntok, 2);
	assert_int_equal(p.tok[0].kind, REF_TOK_LIT);
	assert_string_equal(p.tok[0].lit, "PPN");
	assert_int_equal(p.tok[0].sep, '-');
	assert_int_equal(p.tok[1].kind, REF_TOK_NUM);
	assert_int_equal(p.tok[1].n, 6);
	assert_int_equal(ref_pattern_compile("'NY'/YYNNNN", &p, &why), 0);
	assert_int_equal(p.ntok, 3);
	assert_string_equal(p.tok[0].lit, "NY");
	assert_int_equal(p.tok[1].kind, REF_TOK_YEAR);
	assert_int_equal(p.tok[2].kind, REF_TOK_NUM);
	assert_true(p.anchored);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_bad_date_quoted_safely, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_date_cut_utf8_escaped, setup, teardown),
	    cmocka_unit_test(test_dates_valid),
	    cmocka_unit_test(test_dates_invalid),
	    cmocka_unit_test_setup_teardown(test_default_names, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_explicit_map, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_config_file_map, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_date_names_line_and_column, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_date_after_embedded_newline, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_reference_column, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ambiguous_columns, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_map_unknown_column, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_config_map_absent_column_skipped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_map_bad_specs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_field_count, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty_reference, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reference_without_digit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reference_odd_characters, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_config_settings, setup, teardown),
	    cmocka_unit_test(test_config_errors),
	    cmocka_unit_test(test_pattern_tokens),
	    cmocka_unit_test_setup_teardown(test_config_errors_welsh, setup, teardown),
	};
	/* the reasons are compared in English, whatever LANG the run has */
	cli_lang_set("en");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
