/* The report's first stage (review/report_facts.c) over a real casebook:
 * each concern's facts as the tables count them (feedback is the closing
 * when it came before the first reply; an acknowledgement on the --as-of
 * day has happened; a rejected referral link names nothing; a voice
 * answer given by the chain's last record counts), the accountability
 * statement's missing records (a chain with records 3 and 4 gone from the
 * file), and the intake head check (match, the casebook beyond it, behind
 * it, a head of no state of the chain). The tables themselves are
 * test_report's; e2e 60 runs the same over the CLI. */
#include "tests/review/rvtest.h"
#include "review/ref.h"
#include "review/report.h"

static char *cats[] = {"referral not actioned"};

static int32_t
day(const char *s)
{
	int32_t d = -1;
	assert_int_equal(ref_date_parse(s, strlen(s), &d), 0);
	return d;
}

/* Concerns 1-5 received 2020-01-01 .. 05, then follow-up 6 to concern 2
 * (2020-01-06) saying the reporter was treated badly. */
static void
import_six(struct rvt *t)
{
	struct rvt_rec r[6];
	char b[RVT_PATH];
	static const char *const dates[] = {
	    "2020-01-01", "2020-01-02", "2020-01-03", "2020-01-04", "2020-01-05", "2020-01-06"};
	static const char *const voice[] = {"text", "Moved to nights.", "detriment", "yes"};

	for (int i = 0; i < 5; i++)
		rvt_concern(
		    &r[i], 1, "referral not actioned", "The meeting never happened.", NULL, NULL);
	memset(&r[5], 0, sizeof(r[5]));
	r[5].kind = BREC_FOLLOWUP;
	r[5].mask = 1;
	r[5].parent_seq = 2;
	rvt_fields(FIELDS_MESSAGE, voice, 2, NULL, 0, &r[5].body, &r[5].bodylen);
	for (int i = 0; i < 6; i++)
		r[i].date = dates[i];
	rvt_path(t, b, "b1");
	rvt_bundle(t, b, r, 6);
	for (int i = 0; i < 6; i++)
		rvt_rec_free(&r[i]);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b, NULL), 0);
}

static void
sql(struct rvt *t, const char *fmt, ...)
{
	char q[512];
	va_list ap;
	sqlite3 *db = NULL;

	va_start(ap, fmt);
	assert_true(vsnprintf(q, sizeof(q), fmt, ap) < (int)sizeof(q));
	va_end(ap);
	assert_int_equal(sqlite3_open(t->cbpath, &db), SQLITE_OK);
	if (sqlite3_exec(db, q, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", q, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static void
link_hex(struct rvt *t, uint64_t seq, char hex[2 * CC_HASH_BYTES + 1])
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	assert_int_equal(sqlite3_open_v2(t->cbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "SELECT link FROM records WHERE seq=?", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, (int64_t)seq);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_bytes(st, 0), CC_HASH_BYTES);
	util_hex(sqlite3_column_blob(st, 0), CC_HASH_BYTES, hex);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The case received on day d (one a day in the fixture). */
static const struct rp_case *
received_on(const struct rp_input *in, const char *d)
{
	for (size_t i = 0; i < in->ncases; i++)
		if (in->cases[i].received == day(d))
			return &in->cases[i];
	fail_msg("no case received on %s", d);
	return NULL;
}

static void
facts(struct rvt *t, const char *asof, struct rp_input *in, struct rp_account *a)
{
	struct casebook *cb = NULL;
	const char *why = NULL;
	int fail = 0;

	assert_int_equal(cb_open(t->cbpath, t->who[0], &cb, &why), 0);
	if (rp_facts_read(cb, cats, 1, in, a, asof, NULL, &fail) != 0)
		fail_msg("rp_facts_read: refused (enum rp_fail %d)", fail);
	cb_close(cb);
}

static void
test_case_facts(void **state)
{
	struct rvt *t = *state;
	struct rp_input in;
	struct rp_account a;
	char c1[CB_ID_CHARS + 1];

	import_six(t);
	rvt_id_of(t, 1, c1);
	/* 1: closed on the 10th, its first reply (a purge kept the date)
	 * months later: the closing is its feedback */
	sql(t,
	    "UPDATE concerns SET status=%d, outcome=%d, ack_date='2020-01-02',"
	    " closed_date='2020-01-10', feedback_date='2020-06-01' WHERE seq=1",
	    CB_CLOSED, BOUT_SUBSTANTIATED);
	/* 2: acknowledged on the --as-of day below */
	sql(t, "UPDATE concerns SET ack_date='2020-02-01' WHERE seq=2");
	/* 1's only referral link was rejected by the reviewer */
	sql(t,
	    "INSERT INTO ref_links(concern_id, idx, state, ref, named, date)"
	    " VALUES('%s', zeroblob(32), 'rejected', x'00', NULL, '2020-01-01')",
	    c1);
	facts(t, "2020-02-01", &in, &a);
	assert_int_equal(in.ncases, 5);
	const struct rp_case *k1 = received_on(&in, "2020-01-01");
	assert_int_equal(k1->closed, day("2020-01-10"));
	assert_int_equal(k1->feedback, day("2020-01-10"));
	assert_int_equal(k1->named, 0);
	assert_int_equal(in.nrefs, 0);
	const struct rp_case *k2 = received_on(&in, "2020-01-02");
	assert_int_equal(k2->ack, day("2020-02-01"));
	/* the voice answer came with record 6, the chain's last */
	assert_int_equal(a.head_seq, 6);
	assert_int_equal(k2->voice[VOICE_DETRIMENT], VOICE_YES);
	assert_int_equal(received_on(&in, "2020-01-03")->voice[VOICE_DETRIMENT], VOICE_NONE);
	assert_int_equal(a.concerns, 5);
	assert_int_equal(a.closed, 1);
	assert_int_equal(a.open, 4);
	assert_int_equal(a.missing, 0);
	rp_input_free(&in);
	/* the day before: not yet acknowledged */
	facts(t, "2020-01-31", &in, &a);
	assert_int_equal(received_on(&in, "2020-01-02")->ack, -1);
	rp_input_free(&in);
}

/* The intake's published head against the chain: count 6 is the head
 * (match), 5 is inside it (the casebook is beyond), 8 is past it (behind:
 * 7 and 8 missing), and a link of another record matches nothing. */
static void
test_head_check(void **state)
{
	struct rvt *t = *state;
	struct casebook *cb = NULL;
	const char *why = NULL;
	struct rp_input in;
	struct rp_account a, b;
	char h5[2 * CC_HASH_BYTES + 1], h6[2 * CC_HASH_BYTES + 1];

	import_six(t);
	link_hex(t, 5, h5);
	link_hex(t, 6, h6);
	facts(t, "2020-02-01", &in, &a);
	rp_input_free(&in);
	assert_int_equal(cb_open(t->cbpath, t->who[0], &cb, &why), 0);
	b = a;
	assert_int_equal(rp_head_check(cb, &b, 6, h6), 0);
	assert_int_equal(b.head_check, RP_HEAD_MATCH);
	assert_int_equal(b.missing, 0);
	b = a;
	assert_int_equal(rp_head_check(cb, &b, 5, h5), 0);
	assert_int_equal(b.head_check, RP_HEAD_BEYOND);
	assert_int_equal(b.missing, 0);
	b = a;
	assert_int_equal(rp_head_check(cb, &b, 8, h6), 0);
	assert_int_equal(b.head_check, RP_HEAD_BEHIND);
	assert_int_equal(b.missing, 2);
	assert_int_equal(b.nmissing_ranges, 1);
	assert_int_equal(b.missing_first[0], 7);
	assert_int_equal(b.missing_last[0], 8);
	b = a;
	assert_int_equal(rp_head_check(cb, &b, 6, h5), 1);
	assert_int_equal(rp_head_check(cb, &b, 5, h6), 1);
	cb_close(cb);
}

/* Records 3 and 4 gone from the file: the statement names exactly them. */
static void
test_missing_inside(void **state)
{
	struct rvt *t = *state;
	struct rp_input in;
	struct rp_account a;

	import_six(t);
	sql(t, "DELETE FROM records WHERE seq IN (3, 4)");
	facts(t, "2020-02-01", &in, &a);
	rp_input_free(&in);
	assert_int_equal(a.head_seq, 6);
	assert_int_equal(a.held, 4);
	assert_int_equal(a.missing, 2);
	assert_int_equal(a.nmissing_ranges, 1);
	assert_int_equal(a.missing_first[0], 3);
	assert_int_equal(a.missing_last[0], 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_case_facts, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_head_check, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_missing_inside, rvt_setup, rvt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
