/* Tests for tmpl/cli_text.c: the command-line programs' words. The language
 * as gettext chooses it from the environment; {1}..{9} filled with values
 * (never read as a format), \n a newline; the built-in English when no
 * web/ has the catalogue; a key no catalogue has said as itself. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/tmpl.h"

static void
test_lang_from_environment(void **s)
{
	(void)s;
	assert_string_equal(cli_lang_from(NULL, NULL, NULL, NULL), "en");
	assert_string_equal(cli_lang_from(NULL, NULL, NULL, "cy_GB.UTF-8"), "cy");
	assert_string_equal(cli_lang_from(NULL, NULL, NULL, "cy"), "cy");
	assert_string_equal(cli_lang_from(NULL, NULL, NULL, "cym"), "en"); /* not cy */
	assert_string_equal(cli_lang_from(NULL, NULL, NULL, "en_GB.UTF-8"), "en");
	assert_string_equal(cli_lang_from(NULL, "", "", "cy_GB.UTF-8"), "cy"); /* empty: unset */
	/* LC_ALL over LC_MESSAGES over LANG */
	assert_string_equal(cli_lang_from(NULL, "en_GB.UTF-8", "cy_GB", "cy_GB"), "en");
	assert_string_equal(cli_lang_from(NULL, "cy_GB.UTF-8", "en_GB", "C"), "cy");
	assert_string_equal(cli_lang_from(NULL, NULL, "cy_GB@euro", "en_GB"), "cy");
	/* LANGUAGE: its first language we have, unless the locale is C */
	assert_string_equal(cli_lang_from("fr:cy:en", NULL, NULL, "en_GB.UTF-8"), "cy");
	assert_string_equal(cli_lang_from("fr:en_GB:cy", NULL, NULL, "cy_GB.UTF-8"), "en");
	assert_string_equal(cli_lang_from("fr", NULL, NULL, "cy_GB.UTF-8"), "cy");
	assert_string_equal(cli_lang_from("cy", "C", NULL, NULL), "en");
	assert_string_equal(cli_lang_from("cy", NULL, NULL, "POSIX"), "en");
	assert_string_equal(cli_lang_from("cy", NULL, NULL, NULL), "en"); /* no locale: C */
	assert_string_equal(cli_lang_from("cym:cy_GB", NULL, NULL, "en_US.UTF-8"), "cy");
}

static void
test_lang_set(void **s)
{
	(void)s;
	assert_int_equal(cli_lang_set("fr"), -1);
	assert_int_equal(cli_lang_set(NULL), -1);
	assert_int_equal(cli_lang_set("cy"), 0);
	assert_string_equal(cli_lang(), "cy");
	assert_int_equal(cli_lang_set("en"), 0);
	assert_string_equal(cli_lang(), "en");
}

static void
test_fill_values(void **s)
{
	char b[256];
	(void)s;
	cli_web_set("web");
	assert_int_equal(cli_lang_set("en"), 0);
	assert_string_equal(CLI_FILL(b, sizeof(b), "cli.rv.unlock.done", "a.sec", CLI_NUM(2), CLI_NUM(5)),
	    "unlocked a.sec for 2 min 5 s in this session; `candour-review lock` ends it\n");
	/* a value is never read: its { } % and \n stay as they are */
	assert_string_equal(CLI_FILL(b, sizeof(b), "cli.rv.cannot_read", "{2}%s%n\\n", "x"),
	    "cannot read {2}%s%n\\n: x");
	/* a value given once, said twice */
	assert_string_equal(CLI_FILL(b, sizeof(b), "cli.rv.assign.same", "ABCD2345", "bob"),
	    "ABCD2345 is already assigned to bob");
	/* too few values: the {N} shows (cli-words.sh fails such a call) */
	assert_string_equal(CLI_FILL(b, sizeof(b), "cli.rv.assign.same", "ABCD2345"),
	    "ABCD2345 is already assigned to {2}");
	/* cut to the buffer, NUL-ended */
	assert_string_equal(CLI_FILL(b, 8, "cli.rv.assign.same", "ABCD2345", "bob"), "ABCD234");
	assert_string_equal(CLI_FILL(b, sizeof(b), "cli.no.such.key"), "cli.no.such.key");
	assert_string_equal(cli_head("abcdefgh", 3), "abc");
	assert_string_equal(CLI_NUM(-12), "-12");
	cli_text_free();
}

static void
test_welsh_and_phrases(void **s)
{
	char b[256];
	(void)s;
	cli_web_set("web");
	assert_int_equal(cli_lang_set("cy"), 0);
	assert_string_equal(CLI_FILL(b, sizeof(b), "cli.rv.lock.done", "a.sec"), "clowyd a.sec\n");
	/* a lower layer's fixed English phrase, said in Welsh */
	assert_string_equal(cli_phrase("no such file"), "nid oes ffeil o'r fath");
	assert_string_equal(cli_phrase("an unknown phrase"), "an unknown phrase");
	/* the C library's English (glibc's strerror), said in Welsh */
	assert_string_equal(cli_phrase(strerror(ENOENT)), "Dim ffeil na chyfeiriadur o'r fath");
	assert_string_equal(cli_phrase(NULL), "");
	assert_int_equal(cli_lang_set("en"), 0); /* switched back: reloaded */
	assert_string_equal(CLI_FILL(b, sizeof(b), "cli.rv.lock.done", "a.sec"), "locked a.sec\n");
	assert_string_equal(cli_phrase("no such file"), "no such file");
	cli_text_free();
}

static void
test_builtin_english(void **s)
{
	char b[256];
	(void)s;
	/* no catalogue where it is looked for: English, built in at build time */
	cli_web_set("/nonexistent-candour-web");
	assert_int_equal(cli_lang_set("cy"), 0);
	assert_string_equal(CLI_FILL(b, sizeof(b), "cli.rv.lock.done", "a.sec"), "locked a.sec\n");
	assert_string_equal(cli_phrase("no such file"), "no such file");
	assert_string_equal(CLI_T("cli.rv.oom"), "out of memory");
	cli_text_free();
	cli_web_set(NULL);
}

/* The programs' shared usage: head, a line a command, the tail keys; exit
 * 0 for --help (stdout), 2 for a usage error. */
static void
test_commands(void **s)
{
	static const struct cli_cmd cmds[] = {
	    {"onion", NULL, "cli.in.cmd.onion"}, {"import-replies", NULL, "cli.rv.oom"}};
	char *out = NULL;
	size_t n = 0;
	FILE *f;
	(void)s;
	cli_web_set("web");
	assert_int_equal(cli_lang_set("en"), 0);
	assert_non_null(f = open_memstream(&out, &n));
	assert_int_equal(cli_commands(f, "cli.rv.lock.done", cmds, 2,
			     (const char *const[]){"cli.rv.oom", "cli.in.onion.stdout", NULL}),
	    2);
	fclose(f);
	assert_string_equal(out, "locked {1}\n"
				 "  onion           torrc lines for an onion service in front of serve\n"
				 "  import-replies  out of memory\n"
				 "out of memory"
				 "cannot write standard output");
	free(out);
	assert_int_equal(cli_lang_set("cy"), 0);
	assert_int_equal(cli_commands(stdout, "cli.rv.oom", cmds, 0,
			     (const char *const[]){NULL}), 0);
	cli_text_free();
	cli_web_set(NULL);
}

int
main(void)
{
	const struct CMUnitTest t[] = {
	    cmocka_unit_test(test_lang_from_environment),
	    cmocka_unit_test(test_lang_set),
	    cmocka_unit_test(test_fill_values),
	    cmocka_unit_test(test_welsh_and_phrases),
	    cmocka_unit_test(test_builtin_english),
	    cmocka_unit_test(test_commands),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
