/*
 * Referrals against a real casebook (review/ref_store.c, ref_import.c,
 * ref_cmd.c, ref_view.c): register import, exact / near / missing links
 * from imported concerns, corroboration, manual link / unlink, relinking
 * after a later register, and every refusal leaving the casebook as it was.
 */
#include "tests/review/rvtest.h"

#include "review/cb_internal.h"
#include "review/ref.h"

struct out {
	int rc;
	char *out, *err;
};

/* Runs fn with the given arguments plus --casebook/--key of alice,
 * capturing stdout and stderr. */
static struct out
run(struct rvt *t, int (*fn)(int, char **), ...)
{
	char po[RVT_PATH], pe[RVT_PATH];
	char *argv[32];
	int argc = 0, so, se, fo, fe;
	struct out r;
	uint8_t *b = NULL;
	size_t len = 0;
	const char *a;
	va_list ap;

	va_start(ap, fn);
	while ((a = va_arg(ap, const char *)) != NULL && argc < 26)
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc++] = "--casebook";
	argv[argc++] = t->cbpath;
	argv[argc++] = "--key";
	argv[argc++] = t->sec[0];
	argv[argc] = NULL;
	rvt_path(t, po, "run.out");
	rvt_path(t, pe, "run.err");
	fflush(NULL);
	so = dup(1), se = dup(2);
	fo = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	fe = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fo >= 0 && fe >= 0);
	dup2(fo, 1), dup2(fe, 2);
	close(fo), close(fe);
	r.rc = fn(argc, argv);
	fflush(NULL);
	dup2(so, 1), dup2(se, 2);
	close(so), close(se);
	assert_int_equal(util_read_file(po, UTIL_FILE_MAX, &b, &len), 0);
	r.out = (char *)b;
	assert_int_equal(util_read_file(pe, UTIL_FILE_MAX, &b, &len), 0);
	r.err = (char *)b;
	return r;
}

static void
out_free(struct out *o)
{
	free(o->out);
	free(o->err);
}

static void
contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("'%s' not found in:\n%s", needle, hay);
}

static const char register_csv[] =
    "Reference,Date Received,Source,Team,Decision,Decision Date,Strategy Discussion Date,"
    "S47 Start Date,ICPC Date,Status,Date Closed,Closure Reason\r\n"
    "REF/2026/00423,05/06/2026,Police,North,NFA,2026-06-05,,,,Closed,2026-06-08,"
    "No further action\r\n"
    "REF/2026/00500,2026-06-01,Health,South,s47,2026-06-03,2026-06-10,,,Open,,\r\n"
    "PPN-123456,2026-06-01,Police,\"East, duty\",s17,2026-06-02,,,,Open,,\r\n";

static void
write_file(struct rvt *t, const char *name, const char *text, char *path)
{
	rvt_path(t, path, name);
	rvt_write(path, text, strlen(text), 0600);
}

/* Three concerns: all name REF/2026/00423 (in three different ways); the
 * second names a near miss of REF/2026/00500; the third a police
 * reference that was never recorded. */
static void
import_concerns(struct rvt *t)
{
	struct rvt_rec r[3];
	char b[RVT_PATH];

	rvt_concern(&r[0], 1, "referral not actioned", "Police referral REF/2026/00423 was binned.",
	    "PPN 123456", NULL);
	rvt_concern(&r[1], 1, "referral not actioned",
	    "Same as ref 2026/423; and REF/2026/00501 had no strategy meeting.", NULL, NULL);
	rvt_concern(&r[2], 1, "recording", "Also PPN-999999 was never put on the system.",
	    "REF-2026-00423", NULL);
	rvt_path(t, b, "bundle");
	rvt_bundle(t, b, r, 3);
	for (int i = 0; i < 3; i++)
		rvt_rec_free(&r[i]);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b, NULL), 0);
}

static void
import_register(struct rvt *t)
{
	char p[RVT_PATH];
	struct out o;

	write_file(t, "register.csv", register_csv, p);
	o = run(t, cmd_referrals, "referrals", "import", p, NULL);
	if (o.rc != 0)
		fail_msg("import failed: %s", o.err);
	contains(o.out, "imported 3 register rows");
	out_free(&o);
}

static int
setup(void **st)
{
	struct rvt *t = rvt_new();

	rvt_init(t);
	*st = t;
	return 0;
}

static int
teardown(void **st)
{
	rvt_free(*st);
	return 0;
}

static long long
links(struct rvt *t, const char *state)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM ref_links WHERE state='%s'", state);
	return rvt_count(t->cbpath, sql);
}

static void
test_exact_near_missing(void **st)
{
	struct rvt *t = *st;
	char id[CB_ID_CHARS + 1];
	struct out o;

	import_register(t);
	import_concerns(t);
	/* 1: 00423 + PPN-123456; 2: 00423 + near 00500; 3: 00423 + PPN-999999 */
	assert_int_equal(links(t, "exact"), 4);
	assert_int_equal(links(t, "near"), 1);
	assert_int_equal(links(t, "missing"), 1);
	rvt_id_of(t, 2, id);
	o = run(t, cmd_show, "show", id, NULL);
	if (o.rc != 0)
		fail_msg("show: %s", o.err);
	contains(o.out, "REF/2026/00500  POSSIBLE, CONFIRM: the concern names REF/2026/00501");
	contains(o.out, "REF/2026/00423  in the register; named by 2 other concerns");
	contains(o.out, "decision NFA");
	contains(o.out, "flags: nfa-quick");
	out_free(&o);
	rvt_id_of(t, 3, id);
	o = run(t, cmd_show, "show", id, NULL);
	contains(o.out, "PPN-999999  NOT IN THE REGISTER: named but never recorded");
	out_free(&o);
}

static void
test_corroboration_across_three(void **st)
{
	struct rvt *t = *st;
	struct out o;

	import_register(t);
	import_concerns(t);
	o = run(t, cmd_referrals, "referrals", "list", "--format", "csv", NULL);
	assert_int_equal(o.rc, 0);
	contains(o.out, "\"REF/2026/00423\",\"3\",\"0\",\"exact\",\"yes\",\"2026-06-05\",\"NFA\","
			"\"Closed\",\"nfa-quick\"");
	contains(o.out, "\"PPN-999999\",\"1\",\"0\",\"missing\",\"no\"");
	contains(o.out, "\"REF/2026/00500\",\"0\",\"1\",\"near\",\"yes\"");
	out_free(&o);
	/* listing decrypts the references concerns name: it is audited */
	assert_int_equal(
	    rvt_count(t->cbpath, "SELECT count(*) FROM audit WHERE action='referrals-list'"), 1);
	o = run(t, cmd_referrals, "referrals", "list", "--flag", "missing", NULL);
	assert_int_equal(o.rc, 0);
	contains(o.out, "PPN-999999");
	assert_null(strstr(o.out, "REF/2026/00423"));
	out_free(&o);
	o = run(t, cmd_referrals, "referrals", "list", "--flag", "nfa-quick", NULL);
	contains(o.out, "REF/2026/00423");
	assert_null(strstr(o.out, "PPN-999999"));
	out_free(&o);
}

static void
test_manual_link_and_unlink(void **st)
{
	struct rvt *t = *st;
	char id1[CB_ID_CHARS + 1], id2[CB_ID_CHARS + 1];
	struct out o;

	import_register(t);
	import_concerns(t);
	rvt_id_of(t, 1, id1);
	rvt_id_of(t, 2, id2);
	o = run(t, cmd_link, "link", id1, "ref 2026 500", NULL);
	assert_int_equal(o.rc, 0);
	contains(o.out, "linked");
	out_free(&o);
	assert_int_equal(links(t, "manual"), 1);
	/* confirm the near link of concern 2 */
	o = run(t, cmd_link, "link", id2, "REF/2026/00500", "--confirm", NULL);
	assert_int_equal(o.rc, 0);
	out_free(&o);
	assert_int_equal(links(t, "near"), 0);
	assert_int_equal(links(t, "manual"), 2);
	/* remove concern 1's exact link: kept as rejected so relinking does not
	 * bring it back */
	o = run(t, cmd_unlink, "unlink", id1, "PPN-123456", NULL);
	assert_int_equal(o.rc, 0);
	out_free(&o);
	assert_int_equal(links(t, "rejected"), 1);
	import_register(t); /* relinks */
	assert_int_equal(links(t, "rejected"), 1);
	assert_int_equal(
	    rvt_count(t->cbpath, "SELECT count(*) FROM audit WHERE action IN ('link','unlink')"),
	    3);
	o = run(t, cmd_referrals, "referrals", "list", "--format", "csv", NULL);
	contains(o.out, "\"REF/2026/00500\",\"2\",\"0\",\"manual\"");
	assert_null(strstr(o.out, "PPN-123456"));
	out_free(&o);
}

/* link checks the register: a reference it lacks (a typo) needs
 * --not-in-register, and the error names the close one it holds; before
 * any register is imported, nothing can be checked, so the same. */
static void
test_link_not_in_register_needs_flag(void **st)
{
	struct rvt *t = *st;
	char id[CB_ID_CHARS + 1];
	struct out o;

	import_concerns(t);
	rvt_id_of(t, 1, id);
	RVT_REFUSED(t, (o = run(t, cmd_link, "link", id, "REF/2026/00777", NULL)).rc);
	contains(o.err, "no register imported yet");
	contains(o.err, "--not-in-register");
	out_free(&o);
	import_register(t);
	RVT_REFUSED(t, (o = run(t, cmd_link, "link", id, "REF/2026/00502", NULL)).rc);
	contains(o.err, "REF/2026/00502 is not in the register (it holds REF/2026/00500)");
	contains(o.err, "--not-in-register");
	out_free(&o);
	RVT_REFUSED(
	    t, (o = run(t, cmd_unlink, "unlink", id, "REF/2026/00423", "--not-in-register", NULL)).rc);
	out_free(&o);
	o = run(t, cmd_link, "link", id, "REF/2026/00502", "--not-in-register", NULL);
	assert_int_equal(o.rc, 0);
	out_free(&o);
	assert_int_equal(links(t, "manual"), 1);
	o = run(t, cmd_show, "show", id, NULL);
	contains(o.out, "REF/2026/00502  NOT IN THE REGISTER: named but never recorded (linked by a"
			" reviewer)");
	out_free(&o);
}

/* Before a register is imported, a named reference is not evidence of a
 * binned referral: show says no register was imported. */
static void
test_show_without_register(void **st)
{
	struct rvt *t = *st;
	char id[CB_ID_CHARS + 1];
	struct out o;

	import_concerns(t);
	rvt_id_of(t, 3, id);
	o = run(t, cmd_show, "show", id, NULL);
	assert_int_equal(o.rc, 0);
	contains(o.out, "PPN-999999  not checked: no register imported yet");
	assert_null(strstr(o.out, "NOT IN THE REGISTER"));
	out_free(&o);
	o = run(t, cmd_referrals, "referrals", "list", NULL);
	assert_int_equal(o.rc, 0);
	/* the header style of `list`: its CSV column names */
	contains(o.out, "reference ");
	contains(o.out, "concerns  possible  link     in_register  received");
	contains(o.out, "unchecked");
	assert_null(strstr(o.out, "MISSING"));
	out_free(&o);
	o = run(t, cmd_referrals, "referrals", "list", "--format", "csv", NULL);
	contains(o.out, "\"PPN-999999\",\"1\",\"0\",\"missing\",\"unchecked\"");
	out_free(&o);
	import_register(t);
	o = run(t, cmd_show, "show", id, NULL);
	contains(o.out, "PPN-999999  NOT IN THE REGISTER: named but never recorded");
	assert_null(strstr(o.out, "no register imported yet"));
	out_free(&o);
}

/* unlink of a reviewer's own link to a reference the reporter never named
 * removes it; one the reporter named (even if a reviewer also linked it
 * by hand) stays as "rejected by a reviewer". */
static void
test_unlink_reviewer_link_removed(void **st)
{
	struct rvt *t = *st;
	char id[CB_ID_CHARS + 1];
	struct out o;

	import_register(t);
	import_concerns(t);
	rvt_id_of(t, 1, id); /* names REF/2026/00423 and PPN-123456 */
	o = run(t, cmd_link, "link", id, "REF/2026/00500", NULL);
	assert_int_equal(o.rc, 0);
	out_free(&o);
	o = run(t, cmd_unlink, "unlink", id, "REF/2026/00500", NULL);
	assert_int_equal(o.rc, 0);
	contains(o.out, "removed (the reporter never named it)");
	out_free(&o);
	assert_int_equal(links(t, "manual"), 0);
	assert_int_equal(links(t, "rejected"), 0);
	o = run(t, cmd_show, "show", id, NULL);
	assert_null(strstr(o.out, "REF/2026/00500"));
	out_free(&o);
	/* gone: a second unlink finds nothing */
	RVT_REFUSED(t, (o = run(t, cmd_unlink, "unlink", id, "REF/2026/00500", NULL)).rc);
	contains(o.err, "has no link to REF/2026/00500");
	out_free(&o);
	/* the reporter named 00423: linked again by hand, then unlinked, it
	 * stays as rejected */
	o = run(t, cmd_link, "link", id, "REF/2026/00423", NULL);
	assert_int_equal(o.rc, 0);
	out_free(&o);
	o = run(t, cmd_unlink, "unlink", id, "REF/2026/00423", NULL);
	assert_int_equal(o.rc, 0);
	contains(o.out, "kept as rejected by a reviewer");
	out_free(&o);
	assert_int_equal(links(t, "rejected"), 1);
	o = run(t, cmd_show, "show", id, NULL);
	contains(o.out, "REF/2026/00423  rejected by a reviewer");
	out_free(&o);
	/* a near link confirmed and then unlinked is the reporter's: kept */
	rvt_id_of(t, 2, id);
	o = run(t, cmd_link, "link", id, "REF/2026/00500", "--confirm", NULL);
	assert_int_equal(o.rc, 0);
	out_free(&o);
	o = run(t, cmd_unlink, "unlink", id, "REF/2026/00500", NULL);
	assert_int_equal(o.rc, 0);
	contains(o.out, "kept as rejected");
	out_free(&o);
	assert_int_equal(links(t, "rejected"), 2);
}

static void
test_register_after_concerns_relinks(void **st)
{
	struct rvt *t = *st;

	import_concerns(t);
	assert_int_equal(links(t, "exact"), 0);
	assert_int_equal(links(t, "missing"), 6); /* 00423 x3, PPN-123456, 00501, PPN-999999 */
	import_register(t);
	assert_int_equal(links(t, "exact"), 4);
	assert_int_equal(links(t, "near"), 1);
	assert_int_equal(links(t, "missing"), 1);
}

static void
test_followup_links_its_concern(void **st)
{
	struct rvt *t = *st;
	char b[RVT_PATH], id[CB_ID_CHARS + 1];
	struct rvt_rec m;
	struct out o;

	import_register(t);
	import_concerns(t);
	rvt_message(&m, 1, 3, "Also the referral PPN-123456 from the same night.");
	rvt_path(t, b, "bundle2");
	rvt_bundle(t, b, &m, 1);
	rvt_rec_free(&m);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b, NULL), 0);
	rvt_id_of(t, 3, id);
	o = run(t, cmd_show, "show", id, NULL);
	contains(o.out, "PPN-123456  in the register; named by 1 other concern");
	out_free(&o);
	/* the concern's earlier links are untouched */
	assert_int_equal(links(t, "exact"), 5);
	assert_int_equal(links(t, "missing"), 1);
}

/* An import stages its links and puts them into ref_links once, sorted,
 * before it commits (review/ref_store.c): a concern and its follow-up in
 * one bundle are linked as if each went straight in. The follow-up names a
 * second near miss of the same register entry (one key with the concern's
 * own near link): the first link made is kept. Two imports through one
 * open casebook (the desk's way) leave no stage behind and each adds its
 * links. */
static void
test_one_bundle_links_staged(void **st)
{
	struct rvt *t = *st;
	char b[RVT_PATH], id[CB_ID_CHARS + 1], why[512];
	struct rvt_rec r[3];
	struct casebook *cb = NULL;
	struct cb_import_res res;
	const char *w = NULL;
	sqlite3_stmt *q = NULL;
	struct out o;

	import_register(t);
	rvt_concern(&r[0], 1, "referral not actioned",
	    "REF/2026/00501 had no strategy meeting; PPN-999999 was never recorded.", NULL, NULL);
	rvt_message(&r[1], 1, 1, "And REF/2026/00502 too, and PPN-777777.");
	rvt_concern(&r[2], 1, "recording", "Police referral REF/2026/00423 was binned.", NULL, NULL);
	rvt_path(t, b, "bundle");
	rvt_bundle(t, b, r, 2);
	assert_int_equal(cb_open(t->cbpath, t->who[0], &cb, &w), 0);
	assert_int_equal(cb_import(cb, b, &res, why, sizeof(why)), 0);
	/* 00500 once (near, from 00501 and 00502), PPN-999999, PPN-777777 */
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM ref_links"), 3);
	assert_int_equal(links(t, "near"), 1);
	assert_int_equal(links(t, "missing"), 2);
	rvt_bundle(t, b, &r[2], 1);
	assert_int_equal(cb_import(cb, b, &res, why, sizeof(why)), 0);
	assert_int_equal(links(t, "exact"), 1);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM ref_links"), 4);
	assert_int_equal(sqlite3_prepare_v2(cb_db(cb),
			     "SELECT count(*) FROM temp.sqlite_master WHERE name='ref_links_new'",
			     -1, &q, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 0);
	sqlite3_finalize(q);
	cb_close(cb);
	for (int i = 0; i < 3; i++)
		rvt_rec_free(&r[i]);
	rvt_id_of(t, 1, id);
	o = run(t, cmd_show, "show", id, NULL);
	if (o.rc != 0)
		fail_msg("show: %s", o.err);
	contains(o.out, "REF/2026/00500  POSSIBLE, CONFIRM: the concern names REF/2026/00501");
	contains(o.out, "PPN-777777  NOT IN THE REGISTER");
	contains(o.out, "PPN-999999  NOT IN THE REGISTER");
	out_free(&o);
}

static void
test_reimport_updates_by_reference(void **st)
{
	struct rvt *t = *st;
	static const char update[] = "reference,status,closed_date\n"
				     "REF/2026/00500,Closed,2026-07-01\nREF/2026/00777,Open,\n";
	char p[RVT_PATH];
	struct out o;

	import_register(t);
	write_file(t, "update.csv", update, p);
	o = run(t, cmd_referrals, "referrals", "import", p, NULL);
	assert_int_equal(o.rc, 0);
	contains(o.out, "imported 2 register rows (1 new, 1 updated)");
	out_free(&o);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM ref_register"), 4);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM ref_imports"), 2);
	assert_int_equal(rvt_count(t->cbpath,
			     "SELECT count(*) FROM ref_register WHERE batch=2 AND created_batch=1"),
	    1);
	o = run(t, cmd_referrals, "referrals", "import", p, NULL);
	contains(o.out, "imported 2 register rows (0 new, 2 updated)");
	out_free(&o);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM ref_register"), 4);
}

/* The organisation's own patterns, stored with `referrals config`, are
 * what the import of concerns extracts with. */
static void
test_configured_patterns_used_for_concerns(void **st)
{
	struct rvt *t = *st;
	char c[RVT_PATH], b[RVT_PATH];
	struct rvt_rec r;
	struct out o;

	write_file(t, "org.conf", "# our systems\npattern CP/YYYY/NNNN\npattern NNNNNNNN\n", c);
	o = run(t, cmd_referrals, "referrals", "config", c, NULL);
	assert_int_equal(o.rc, 0);
	out_free(&o);
	rvt_concern(&r, 1, "recording",
	    "Case 12345678 and cp 2025 77 were closed; REF/2026/00423 is not our format now.", NULL,
	    NULL);
	rvt_path(t, b, "bundle-cfg");
	rvt_bundle(t, b, &r, 1);
	rvt_rec_free(&r);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b, NULL), 0);
	o = run(t, cmd_referrals, "referrals", "list", "--format", "csv", NULL);
	contains(o.out, "\"12345678\",\"1\"");
	contains(o.out, "\"CP/2025/0077\",\"1\"");
	assert_null(strstr(o.out, "REF/2026/00423"));
	out_free(&o);
	assert_int_equal(
	    rvt_count(t->cbpath, "SELECT count(*) FROM audit WHERE action='referrals-config'"), 1);
}

/* Register values are untrusted: a spreadsheet formula in the register
 * must not reach a CSV export as a formula. */
static void
test_list_csv_defuses_formulas(void **st)
{
	struct rvt *t = *st;
	static const char reg[] = "reference,decision,status\n"
				  "REF/2026/00423,\"=HYPERLINK(\"\"http://x\"\")\",@SUM(A1)\n";
	char p[RVT_PATH];
	struct out o;

	write_file(t, "formula.csv", reg, p);
	o = run(t, cmd_referrals, "referrals", "import", p, NULL);
	assert_int_equal(o.rc, 0);
	out_free(&o);
	import_concerns(t);
	o = run(t, cmd_referrals, "referrals", "list", "--format", "csv", NULL);
	contains(o.out, "\"'=HYPERLINK(\"\"http://x\"\")\",\"'@SUM(A1)\"");
	assert_null(strstr(o.out, ",\"=HYPERLINK"));
	out_free(&o);
	o = run(t, cmd_referrals, "referrals", "list", NULL);
	contains(o.out, "REF/2026/00423");
	contains(o.out, "MISSING"); /* PPN-999999, in the table form */
	out_free(&o);
}

/* ---- refusals: one line, non-zero, nothing changed ---- */

static void
refused_import(struct rvt *t, const char *csv, const char *msg)
{
	char p[RVT_PATH];
	uint8_t before[CC_HASH_BYTES], after[CC_HASH_BYTES];
	struct out o;

	write_file(t, "bad.csv", csv, p);
	rvt_dump_hash(t->cbpath, before);
	o = run(t, cmd_referrals, "referrals", "import", p, NULL);
	assert_int_not_equal(o.rc, 0);
	contains(o.err, msg);
	contains(o.err, "nothing was imported");
	assert_non_null(strstr(o.err, "bad.csv"));
	assert_int_equal(strchr(o.err, '\n') - o.err + 1, (long)strlen(o.err)); /* one line */
	out_free(&o);
	rvt_dump_hash(t->cbpath, after);
	assert_memory_equal(before, after, CC_HASH_BYTES);
}

static void
test_import_bad_date_changes_nothing(void **st)
{
	struct rvt *t = *st;

	import_register(t);
	refused_import(t,
	    "reference,received\nREF/2026/00001,2026-01-01\n"
	    "REF/2026/00002,\"30/02/2026\"\n",
	    "line 3, column 2 (received): '30/02/2026' is not a date");
}

static void
test_import_duplicate_in_one_file(void **st)
{
	struct rvt *t = *st;

	/* an empty register takes the bulk path: index dropped, rebuilt at
	 * the end; refused, the rollback must bring the index back */
	refused_import(t, "reference,team\nREF/2026/00001,North\nref 2026/1,South\n",
	    "line 3, column 1 (reference): duplicate reference REF/2026/00001 (also on line 2)");
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM sqlite_master WHERE "
					      "name='ref_register_by_idx'"),
	    1);
}

static void
test_import_malformed_csv(void **st)
{
	refused_import(
	    *st, "reference,team\nREF/2026/00001,\"North\n", "quoted field is never closed");
}

static void
test_import_no_reference_column(void **st)
{
	refused_import(*st, "team,received\nNorth,2026-01-01\n", "no reference column");
}

static void
test_import_empty_file(void **st)
{
	refused_import(*st, "", "empty file");
}

static void
test_import_bad_map(void **st)
{
	struct rvt *t = *st;
	char p[RVT_PATH];
	struct out o;

	write_file(t, "r.csv", "Case,team\nREF/2026/00001,North\n", p);
	RVT_REFUSED(t,
	    (o = run(t, cmd_referrals, "referrals", "import", p, "--map", "Case=colour", NULL)).rc);
	contains(o.err, "unknown field 'colour'");
	out_free(&o);
	o = run(t, cmd_referrals, "referrals", "import", p, "--map", "Case=reference", NULL);
	assert_int_equal(o.rc, 0);
	out_free(&o);
}

static void
test_import_bad_config(void **st)
{
	struct rvt *t = *st;
	char p[RVT_PATH], c[RVT_PATH];
	struct out o;

	write_file(t, "r.csv", "reference\nREF/2026/00001\n", p);
	write_file(t, "ref.conf", "pattern REF/YYYY/NNNNN\nicpc_days lots\n", c);
	RVT_REFUSED(
	    t, (o = run(t, cmd_referrals, "referrals", "import", p, "--config", c, NULL)).rc);
	contains(o.err, "line 2: icpc_days");
	out_free(&o);
}

static void
test_import_missing_file(void **st)
{
	struct rvt *t = *st;
	struct out o;

	RVT_REFUSED(
	    t, (o = run(t, cmd_referrals, "referrals", "import", "/nonexistent.csv", NULL)).rc);
	contains(o.err, "/nonexistent.csv");
	out_free(&o);
}

static void
test_unlink_without_link_refused(void **st)
{
	struct rvt *t = *st;
	char id[CB_ID_CHARS + 1];
	struct out o;

	import_concerns(t);
	rvt_id_of(t, 1, id);
	RVT_REFUSED(t, (o = run(t, cmd_unlink, "unlink", id, "REF/2020/00001", NULL)).rc);
	contains(o.err, "has no link to REF/2020/00001");
	out_free(&o);
}

static void
test_link_bad_arguments_refused(void **st)
{
	struct rvt *t = *st;
	char id[CB_ID_CHARS + 1];
	struct out o;

	import_concerns(t);
	rvt_id_of(t, 1, id);
	RVT_REFUSED(t, (o = run(t, cmd_link, "link", "ZZZZZZZZ", "REF/2026/00001", NULL)).rc);
	contains(o.err, "no concern with that id");
	out_free(&o);
	RVT_REFUSED(t, (o = run(t, cmd_link, "link", "x';--", "REF/2026/00001", NULL)).rc);
	contains(o.err, "is not a concern id");
	out_free(&o);
	RVT_REFUSED(t, (o = run(t, cmd_link, "link", id, "no digits", NULL)).rc);
	contains(o.err, "is not a reference");
	out_free(&o);
	RVT_REFUSED(t, (o = run(t, cmd_link, "link", id, NULL)).rc);
	out_free(&o);
}

/* A listing with no rows: a casebook with no reference at all, and a flag
 * no row has. Both answer with an empty list. Under UBSan (make asan) this
 * caught qsort handed the NULL row array of an empty list (the pointer
 * must be valid even for zero rows). */
static void
test_list_empty(void **st)
{
	struct rvt *t = *st;
	struct out o;

	o = run(t, cmd_referrals, "referrals", "list", NULL);
	assert_int_equal(o.rc, 0);
	out_free(&o);
	o = run(t, cmd_referrals, "referrals", "list", "--format", "csv", NULL);
	assert_int_equal(o.rc, 0);
	assert_null(strstr(o.out, "REF"));
	out_free(&o);
	import_register(t);
	o = run(t, cmd_referrals, "referrals", "list", "--flag", "missing", NULL);
	assert_int_equal(o.rc, 0);
	assert_null(strstr(o.out, "REF/2026"));
	out_free(&o);
}

static void
test_list_bad_arguments_refused(void **st)
{
	struct rvt *t = *st;
	struct out o;

	RVT_REFUSED(t, (o = run(t, cmd_referrals, "referrals", "list", "--flag", "late", NULL)).rc);
	contains(o.err, "unknown flag 'late'");
	out_free(&o);
	RVT_REFUSED(
	    t, (o = run(t, cmd_referrals, "referrals", "list", "--format", "xml", NULL)).rc);
	out_free(&o);
	RVT_REFUSED(t, (o = run(t, cmd_referrals, "referrals", "frobnicate", NULL)).rc);
	contains(o.err, "unknown subcommand");
	out_free(&o);
}

/* A stolen casebook: no reference, register value or text in any byte. */
static void
test_no_plaintext_at_rest(void **st)
{
	struct rvt *t = *st;
	static const char *const secrets[] = {"REF/2026/00423", "2026/00423", "PPN-123456",
	    "PPN-999999", "No further action", "East, duty", "Health"};
	char wal[RVT_PATH + 8];

	import_register(t);
	import_concerns(t);
	snprintf(wal, sizeof(wal), "%s-wal", t->cbpath);
	const char *files[2] = {t->cbpath, wal};
	for (int f = 0; f < 2; f++) {
		uint8_t *b = NULL;
		size_t len = 0;
		if (util_read_file(files[f], UTIL_FILE_MAX, &b, &len) != 0)
			continue; /* no WAL left after a checkpoint */
		for (size_t s = 0; s < sizeof(secrets) / sizeof(secrets[0]); s++)
			if (memmem(b, len, secrets[s], strlen(secrets[s])) != NULL)
				fail_msg("'%s' in clear in %s", secrets[s], files[f]);
		free(b);
	}
}

int
main(void)
{
	/* the lines compared are English whatever LANG the run has */
	if (cli_lang_set("en") != 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_exact_near_missing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_corroboration_across_three, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_manual_link_and_unlink, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_link_not_in_register_needs_flag, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_show_without_register, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unlink_reviewer_link_removed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_register_after_concerns_relinks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_followup_links_its_concern, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reimport_updates_by_reference, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_configured_patterns_used_for_concerns, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_csv_defuses_formulas, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_bad_date_changes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_duplicate_in_one_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_malformed_csv, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_no_reference_column, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_empty_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_bad_map, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_bad_config, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_missing_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unlink_without_link_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_link_bad_arguments_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_bad_arguments_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_empty, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_plaintext_at_rest, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_bundle_links_staged, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
