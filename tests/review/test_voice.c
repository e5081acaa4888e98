/* The reporter's voice (issue 12): the two optional follow-up answers
 * (util/voice.c) are checked as the review tool opens a follow-up
 * (report_voice.c), the latest valid answer of each question is stored
 * sealed in concerns.answers whatever order follow-ups are opened in, a
 * v5 answers value still opens, and `show` prints what was said. */
#include "tests/review/rvtest.h"
#include "review/report.h"

/* A follow-up to parent with text and the given extra fields (kv pairs). */
static void
voice_message(struct rvt_rec *r, uint64_t parent, const char *text, const char *const *kv,
    size_t nkv)
{
	const char *all[16] = {"text", text};
	for (size_t i = 0; i < 2 * nkv && i + 2 < 16; i++)
		all[2 + i] = kv[i];
	memset(r, 0, sizeof(*r));
	r->kind = BREC_FOLLOWUP;
	r->mask = 1;
	r->parent_seq = parent;
	rvt_fields(FIELDS_MESSAGE, all, 1 + nkv, NULL, 0, &r->body, &r->bodylen);
}

static void
plaintext(const char *const *kv, size_t nkv, uint8_t **pt, size_t *len)
{
	rvt_fields(FIELDS_MESSAGE, kv, nkv, NULL, 0, pt, len);
}

/* Anything but exactly one valid value per question counts as no answer. */
static void
test_voice_parse(void **s)
{
	(void)s;
	static const struct {
		const char *kv[6];
		size_t n;
		int rc;
		uint8_t det, again;
	} cases[] = {
	    {{"text", "x", "detriment", "yes", "again", "unsure"}, 3, 0, VOICE_YES, VOICE_OTHER},
	    {{"text", "x", "detriment", "unsaid"}, 2, 0, VOICE_OTHER, VOICE_NONE},
	    {{"again", "no"}, 1, 0, VOICE_NONE, VOICE_NO},
	    {{"text", "x"}, 1, 0, VOICE_NONE, VOICE_NONE},
	    /* refused values: not counted, and said */
	    {{"text", "x", "detriment", "maybe"}, 2, 1, VOICE_NONE, VOICE_NONE},
	    {{"text", "x", "detriment", "unsure"}, 2, 1, VOICE_NONE, VOICE_NONE},
	    {{"text", "x", "again", "unsaid"}, 2, 1, VOICE_NONE, VOICE_NONE},
	    {{"text", "x", "again", "Yes"}, 2, 1, VOICE_NONE, VOICE_NONE},
	    {{"text", "x", "again", ""}, 2, 1, VOICE_NONE, VOICE_NONE},
	    {{"detriment", "yes", "detriment", "yes"}, 2, 1, VOICE_NONE, VOICE_NONE},
	    {{"again", "no", "again", "yes", "detriment", "no"}, 3, 1, VOICE_NO, VOICE_NONE},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t *pt = NULL, v[VOICE_QUESTIONS];
		size_t len = 0;
		plaintext(cases[i].kv, cases[i].n, &pt, &len);
		assert_int_equal(rp_voice_parse(pt, len, v), cases[i].rc);
		assert_int_equal(v[VOICE_DETRIMENT], cases[i].det);
		assert_int_equal(v[VOICE_AGAIN], cases[i].again);
		free(pt);
	}
	/* not a message plaintext at all */
	uint8_t v[VOICE_QUESTIONS];
	assert_int_equal(rp_voice_parse((const uint8_t *)"candour-concern-v1\n--\n", 22, v), -1);
	/* a value with a NUL inside is not "yes" */
	assert_int_equal(voice_parse(VOICE_DETRIMENT, (const uint8_t *)"yes\0", 4), -1);
	assert_int_equal(voice_parse(VOICE_AGAIN, (const uint8_t *)"no", 1), -1);
	assert_int_equal(voice_parse(2, (const uint8_t *)"yes", 3), -1);
	assert_null(voice_value(VOICE_AGAIN, 0));
	assert_null(voice_value(VOICE_AGAIN, 4));
	assert_string_equal(voice_value(VOICE_AGAIN, VOICE_OTHER), "unsure");
}

/* concern 1; follow-ups 2 (yes, unsure), 3 (again: no), 4 (a bad value) */
static void
import_four(struct rvt *t, char cid[CB_ID_CHARS + 1])
{
	struct rvt_rec r[4];
	char b[RVT_PATH];
	static const char *const m2[] = {"detriment", "yes", "again", "unsure"};
	static const char *const m3[] = {"again", "no"};
	static const char *const m4[] = {"detriment", "maybe"};

	rvt_concern(&r[0], 1, "recording", "The strategy meeting never happened.", NULL, NULL);
	voice_message(&r[1], 1, "I was moved to nights after I raised it.", m2, 2);
	voice_message(&r[2], 1, "", m3, 1);
	voice_message(&r[3], 1, "One more thing.", m4, 1);
	rvt_path(t, b, "b1");
	rvt_bundle(t, b, r, 4);
	for (int i = 0; i < 4; i++)
		rvt_rec_free(&r[i]);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b, NULL), 0);
	rvt_id_of(t, 1, cid);
}

static void
test_voice_latest_stored(void **state)
{
	struct rvt *t = *state;
	struct casebook *cb = NULL;
	const char *why = NULL;
	struct rp_answers a;
	char cid[CB_ID_CHARS + 1];

	import_four(t, cid);
	assert_int_equal(cb_open(t->cbpath, t->who[0], &cb, &why), 0);
	assert_int_equal(rp_answers_get(cb, cid, &a), 0);
	assert_int_equal(a.risk, RP_ANS_NO);	 /* the concern's own answers kept */
	assert_int_equal(a.raised, RP_ANS_YES);
	assert_int_equal(a.voice[VOICE_DETRIMENT], VOICE_YES); /* 4's "maybe" not counted */
	assert_int_equal(a.voice_seq[VOICE_DETRIMENT], 2);
	assert_int_equal(a.voice[VOICE_AGAIN], VOICE_NO); /* 3 is later than 2 */
	assert_int_equal(a.voice_seq[VOICE_AGAIN], 3);
	/* opened again out of order (a kept record opened by a later
	 * import): an earlier follow-up never overrides a later one */
	assert_int_equal(cb_begin(cb), 0);
	assert_int_equal(rp_voice_store(cb, cid, 2), 0);
	assert_int_equal(cb_commit(cb), 0);
	assert_int_equal(rp_answers_get(cb, cid, &a), 0);
	assert_int_equal(a.voice[VOICE_AGAIN], VOICE_NO);
	assert_int_equal(a.voice_seq[VOICE_AGAIN], 3);
	/* the concern's answers sealed again (as import does) keep the voice */
	assert_int_equal(cb_begin(cb), 0);
	assert_int_equal(rp_answers_seal(cb, cid, RP_ANS_YES, RP_ANS_NO), 0);
	assert_int_equal(cb_commit(cb), 0);
	assert_int_equal(rp_answers_get(cb, cid, &a), 0);
	assert_int_equal(a.risk, RP_ANS_YES);
	assert_int_equal(a.voice[VOICE_DETRIMENT], VOICE_YES);
	assert_int_equal(a.voice[VOICE_AGAIN], VOICE_NO);
	cb_close(cb);
}

/* The answers value as version 5 wrote it (2 bytes) still opens, with no
 * voice; any other length, or a value moved to another concern, does not. */
static void
test_voice_v5_value(void **state)
{
	struct rvt *t = *state;
	struct casebook *cb = NULL;
	const char *why = NULL;
	struct rp_answers a;
	char cid[CB_ID_CHARS + 1], ad[64];
	uint8_t *ct = NULL, v5[2] = {RP_ANS_YES, RP_ANS_NO}, v3[3] = {1, 1, 1};
	size_t ctlen = 0;

	import_four(t, cid);
	assert_int_equal(cb_open(t->cbpath, t->who[0], &cb, &why), 0);
	snprintf(ad, sizeof(ad), "concern:%s:answers", cid);
	assert_int_equal(cb_seal(cb, ad, v5, sizeof(v5), &ct, &ctlen), 0);
	assert_int_equal(rp_answers_open(cb, cid, ct, ctlen, &a), 0);
	assert_int_equal(a.risk, RP_ANS_YES);
	assert_int_equal(a.raised, RP_ANS_NO);
	assert_int_equal(a.voice[0] | a.voice[1], VOICE_NONE);
	/* sealed for another concern: does not open */
	assert_int_equal(rp_answers_open(cb, "AAAAAAAA", ct, ctlen, &a), -1);
	free(ct);
	assert_int_equal(cb_seal(cb, ad, v3, sizeof(v3), &ct, &ctlen), 0);
	assert_int_equal(rp_answers_open(cb, cid, ct, ctlen, &a), -1);
	ct[ctlen - 1] ^= 1;
	assert_int_equal(rp_answers_open(cb, cid, ct, ctlen, &a), -1);
	free(ct);
	cb_close(cb);
}

static void
test_voice_show(void **state)
{
	struct rvt *t = *state;
	char cid[CB_ID_CHARS + 1];
	int rc = -1;

	import_four(t, cid);
	char *out = rvt_capture(t, 0, &rc, cmd_show, "show", cid, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "Treated badly because they raised this: yes\n"));
	assert_non_null(strstr(out, "Would speak up again: not sure\n"));
	assert_non_null(
	    strstr(out, "Treated badly because they raised this: (not one of the answers offered"));
	const char *latest = strstr(out, "The reporter's latest answers");
	assert_non_null(latest);
	assert_non_null(strstr(latest, "Would speak up again: no\n"));
	assert_null(strstr(out, "maybe")); /* a refused value is not echoed */
	free(out);
}

/* list's RISK mark comes from the stored answers (no concern key, no
 * body opened), and from the body only when none are stored (a casebook
 * imported before v5). The fixture's body says risk "no": a stored "yes"
 * shows RISK, proving which one list reads. */
static void
test_list_risk_from_answers(void **state)
{
	struct rvt *t = *state;
	struct casebook *cb = NULL;
	const char *why = NULL;
	char cid[CB_ID_CHARS + 1], sql[96];
	int rc = -1;

	import_four(t, cid);
	char *out = rvt_capture(t, 0, &rc, cmd_list, "list", "--format", "csv");
	assert_int_equal(rc, 0);
	assert_null(strstr(out, "\"RISK\""));
	free(out);
	assert_int_equal(cb_open(t->cbpath, t->who[0], &cb, &why), 0);
	assert_int_equal(cb_begin(cb), 0);
	assert_int_equal(rp_answers_seal(cb, cid, RP_ANS_YES, RP_ANS_NO), 0);
	assert_int_equal(cb_commit(cb), 0);
	cb_close(cb);
	out = rvt_capture(t, 0, &rc, cmd_list, "list", "--format", "csv");
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "\"RISK\""));
	free(out);
	/* none stored: the body is read (it says no) */
	snprintf(sql, sizeof(sql), "UPDATE concerns SET answers=NULL WHERE id='%s'", cid);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(t->cbpath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	out = rvt_capture(t, 0, &rc, cmd_list, "list", "--format", "csv");
	assert_int_equal(rc, 0);
	assert_null(strstr(out, "\"RISK\""));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_voice_parse),
	    cmocka_unit_test_setup_teardown(test_voice_latest_stored, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_voice_v5_value, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_voice_show, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_list_risk_from_answers, rvt_setup, rvt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
