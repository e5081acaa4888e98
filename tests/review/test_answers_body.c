/* The report's answers of a new concern come from the body import has just
 * opened (rp_answers_store_body, issue 14) instead of the body opened again
 * from the casebook (rp_answers_store): each concern gets its own body's
 * answers, never a neighbour's (readable, unreadable and follow-up records
 * mixed in one bundle), the stored value is the one the casebook path
 * stores, and a concern that is not readable or already has answers is
 * left as it is. */
#include "tests/review/rvtest.h"
#include "review/cb_internal.h"
#include "review/report.h"

/* A concern with the given answers (NULL: the field left out). */
static void
answered(struct rvt_rec *r, int mask, const char *risk, const char *raised)
{
	const char *kv[12];
	size_t n = 0;

	rvt_concern(r, mask, "fraud", "The invoices were paid twice.", NULL, NULL);
	free(r->body);
	kv[2 * n] = "category", kv[2 * n + 1] = "fraud", n++;
	kv[2 * n] = "what", kv[2 * n + 1] = "The invoices were paid twice.", n++;
	if (risk != NULL)
		kv[2 * n] = "risk", kv[2 * n + 1] = risk, n++;
	if (raised != NULL)
		kv[2 * n] = "raised_before", kv[2 * n + 1] = raised, n++;
	rvt_fields(FIELDS_CONCERN, kv, n, NULL, 0, &r->body, &r->bodylen);
}

/* Seq 1..6 of the bundle and the answers each must have after import. */
static const struct {
	int readable;
	uint8_t risk, raised;
} want[] = {
    {1, RP_ANS_YES, RP_ANS_NO},		  /* 1 */
    {0, 0, 0},				  /* 2: sealed to bob only */
    {1, RP_ANS_UNKNOWN, RP_ANS_UNKNOWN}, /* 3: risk left out, raised "maybe" */
    {1, RP_ANS_NO, RP_ANS_YES},		  /* 5 (4 is a follow-up to 1) */
    {1, RP_ANS_YES, RP_ANS_YES},	  /* 6 */
};
static const uint64_t want_seq[] = {1, 2, 3, 5, 6};
#define NWANT (sizeof(want) / sizeof(want[0]))

static void
import_mixed(struct rvt *t, char ids[NWANT][CB_ID_CHARS + 1])
{
	struct rvt_rec r[6];
	char b[RVT_PATH];

	answered(&r[0], 1, "yes", "no");
	answered(&r[1], 2, "no", "yes");
	answered(&r[2], 1, NULL, "maybe");
	rvt_message(&r[3], 1, 1, "And again last week.");
	answered(&r[4], 1, "no", "yes");
	answered(&r[5], 3, "yes", "yes");
	rvt_path(t, b, "b1");
	rvt_bundle(t, b, r, 6);
	for (int i = 0; i < 6; i++)
		rvt_rec_free(&r[i]);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b, NULL), 0);
	for (size_t i = 0; i < NWANT; i++)
		rvt_id_of(t, want_seq[i], ids[i]);
}

/* 1 when cid has an answers value stored. */
static int
has_answers(struct casebook *cb, const char *cid)
{
	sqlite3_stmt *st = NULL;
	int r;

	assert_int_equal(sqlite3_prepare_v2(cb_db(cb),
			     "SELECT answers IS NOT NULL FROM concerns WHERE id=?", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	r = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return r;
}

static void
forget_answers(struct casebook *cb, const char *cid)
{
	sqlite3_stmt *st = NULL;

	assert_int_equal(sqlite3_prepare_v2(cb_db(cb),
			     "UPDATE concerns SET answers=NULL WHERE id=?", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static void
assert_same(const struct rp_answers *a, const struct rp_answers *b)
{
	assert_int_equal(a->risk, b->risk);
	assert_int_equal(a->raised, b->raised);
	for (int q = 0; q < VOICE_QUESTIONS; q++) {
		assert_int_equal(a->voice[q], b->voice[q]);
		assert_int_equal(a->voice_seq[q], b->voice_seq[q]);
	}
}

/* Each concern's answers are its own body's, whatever came before it. */
static void
test_answers_own_concern(void **state)
{
	struct rvt *t = *state;
	struct casebook *cb = NULL;
	const char *why = NULL;
	char ids[NWANT][CB_ID_CHARS + 1];
	struct rp_answers a;

	import_mixed(t, ids);
	assert_int_equal(cb_open(t->cbpath, t->who[0], &cb, &why), 0);
	for (size_t i = 0; i < NWANT; i++) {
		assert_int_equal(has_answers(cb, ids[i]), want[i].readable);
		if (!want[i].readable)
			continue;
		assert_int_equal(rp_answers_get(cb, ids[i], &a), 0);
		assert_int_equal(a.risk, want[i].risk);
		assert_int_equal(a.raised, want[i].raised);
		assert_int_equal(a.voice[VOICE_DETRIMENT], VOICE_NONE);
		assert_int_equal(a.voice[VOICE_AGAIN], VOICE_NONE);
	}
	cb_close(cb);
}

/* The value import stored is the one the casebook path stores from the
 * body opened again, and the one the old sealing (rp_answers_seal) gives. */
static void
test_answers_same_as_casebook_path(void **state)
{
	struct rvt *t = *state;
	struct casebook *cb = NULL;
	const char *why = NULL;
	char ids[NWANT][CB_ID_CHARS + 1];
	struct rp_answers imp, again;

	import_mixed(t, ids);
	assert_int_equal(cb_open(t->cbpath, t->who[0], &cb, &why), 0);
	for (size_t i = 0; i < NWANT; i++) {
		if (!want[i].readable)
			continue;
		assert_int_equal(rp_answers_get(cb, ids[i], &imp), 0);
		assert_int_equal(cb_begin(cb), 0);
		forget_answers(cb, ids[i]);
		assert_int_equal(rp_answers_store(cb, ids[i]), 0);
		assert_int_equal(rp_answers_get(cb, ids[i], &again), 0);
		assert_same(&imp, &again);
		forget_answers(cb, ids[i]);
		assert_int_equal(rp_answers_seal(cb, ids[i], want[i].risk, want[i].raised), 0);
		assert_int_equal(rp_answers_get(cb, ids[i], &again), 0);
		assert_same(&imp, &again);
		assert_int_equal(cb_commit(cb), 0);
	}
	cb_close(cb);
}

/* Nothing stored for a concern this reviewer cannot read, and answers
 * already stored are not replaced, whatever body is passed. */
static void
test_answers_body_refused(void **state)
{
	struct rvt *t = *state;
	struct casebook *cb = NULL;
	const char *why = NULL;
	char ids[NWANT][CB_ID_CHARS + 1];
	struct rp_answers a;
	uint8_t *pt = NULL;
	size_t len = 0;

	import_mixed(t, ids);
	assert_int_equal(cb_open(t->cbpath, t->who[0], &cb, &why), 0);
	assert_int_equal(cb_concern_body(cb, ids[3], &pt, &len), 0); /* no / yes */
	assert_int_equal(cb_begin(cb), 0);
	assert_int_equal(rp_answers_store_body(cb, ids[1], pt, len), 0);
	assert_int_equal(has_answers(cb, ids[1]), 0);
	assert_int_equal(rp_answers_store_body(cb, ids[0], pt, len), 0);
	assert_int_equal(rp_answers_get(cb, ids[0], &a), 0);
	assert_int_equal(a.risk, RP_ANS_YES);
	assert_int_equal(a.raised, RP_ANS_NO);
	/* an id not in the casebook: nothing to do, nothing made */
	assert_int_equal(rp_answers_store_body(cb, "AAAAAAAA", pt, len), 0);
	/* a body that does not parse as a concern counts as no answers */
	forget_answers(cb, ids[0]);
	assert_int_equal(rp_answers_store_body(cb, ids[0], (const uint8_t *)"junk", 4), 0);
	assert_int_equal(rp_answers_get(cb, ids[0], &a), 0);
	assert_int_equal(a.risk, RP_ANS_UNKNOWN);
	assert_int_equal(a.raised, RP_ANS_UNKNOWN);
	assert_int_equal(cb_commit(cb), 0);
	cb_free(pt, len);
	cb_close(cb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_answers_own_concern, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_answers_same_as_casebook_path, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_answers_body_refused, rvt_setup, rvt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
