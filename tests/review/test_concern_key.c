/* Per-concern keys (audit finding #11): a reviewer the reporter left out
 * of a concern cannot open any of it, even holding their own secret key,
 * their passphrase and the casebook key of a casebook they share. */
#include "tests/review/rvtest.h"

#include "review/cb_internal.h"
#include "review/ref.h"

#define X_WHAT "Okapi-unique-sentence: alice only, conflict with bob."
#define X_REF "REF/2026/55501"
#define X_MSG "Okapi-followup: still happening."
#define X_FILE "Okapi-attachment-content"
#define X_NAME "okapi-secret-name.txt"
#define X_NOTE "Okapi-note by alice."
#define X_REPLY "Okapi-reply to the reporter."
#define X_SUM "Okapi-summary shared."
#define Y_WHAT "Tapir-sentence: for alice and bob."

struct fx {
	struct rvt *t;
	char x[CB_ID_CHARS + 1]; /* alice only */
	char y[CB_ID_CHARS + 1]; /* alice and bob */
};

/* Alice imports X (sealed by the intake to her only) and Y (to both),
 * works X, and only then adds bob as a reviewer of the casebook. */
static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct rvt_rec r[3];
	char b1[RVT_PATH];
	struct rvt *t;

	f->t = t = rvt_new();
	rvt_init(t);
	rvt_concern(&r[0], 1, "referral not actioned", X_WHAT, X_REF, NULL);
	rvt_attach(&r[0], X_NAME, "text/plain", (const uint8_t *)X_FILE, strlen(X_FILE));
	rvt_concern(&r[1], 3, "recording", Y_WHAT, NULL, NULL);
	rvt_message(&r[2], 1, 1, X_MSG);
	rvt_path(t, b1, "b1");
	rvt_bundle(t, b1, r, 3);
	for (int i = 0; i < 3; i++)
		rvt_rec_free(&r[i]);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b1, NULL), 0);
	rvt_id_of(t, 1, f->x);
	rvt_id_of(t, 2, f->y);
	assert_int_equal(rvt_run(t, 0, cmd_note, "note", f->x, X_NOTE, NULL), 0);
	assert_int_equal(rvt_run(t, 0, cmd_reply, "reply", f->x, X_REPLY, NULL), 0);
	assert_int_equal(rvt_run(t, 0, cmd_outcome, "outcome", f->x, "substantiated", "--summary",
			     X_SUM, "--share-with-reporter", NULL),
	    0);
	assert_int_equal(rvt_run(t, 0, cmd_link, "link", f->x, "REF/2026/55777",
			     "--not-in-register", NULL),
	    0);
	assert_int_equal(rvt_run(t, 0, cmd_reviewer, "reviewer", "add", t->pub[1], NULL), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	rvt_free(f->t);
	free(f);
	return 0;
}

/* Every sealed field of concern cid, with the AD it was sealed under. */
static const char *const fields_sql[] = {
    "SELECT 'concern:'||id||':body', body FROM concerns WHERE id=?1",
    "SELECT 'concern:'||id||':summary:'||CASE share_summary WHEN 0 THEN 'private'"
    " ELSE 'shared' END, summary FROM concerns WHERE id=?1",
    "SELECT 'message:'||seq||':'||concern_id||':body', body FROM messages WHERE concern_id=?1",
    "SELECT 'attachment:'||id||':'||concern_id||':meta', meta FROM attachments"
    " WHERE concern_id=?1",
    "SELECT 'note:'||id||':'||concern_id||':body', body FROM notes WHERE concern_id=?1",
    "SELECT 'reply:'||id||':'||concern_id||':body', body FROM replies WHERE concern_id=?1",
    "SELECT 'reflink:'||concern_id||':'||lower(hex(idx))||':ref', ref FROM ref_links"
    " WHERE concern_id=?1",
    /* the audit detail of a row about the concern (outcome, link) */
    "SELECT 'audit:'||n||':detail', detail FROM audit WHERE concern_id=?1",
};

/* Tries every sealed field of cid with cb: *opened counts those that open
 * with the concern API, *by_cbkey those that open with the casebook key;
 * returns how many fields there were. */
static int
try_fields(struct casebook *cb, const char *cid, int *opened, int *by_cbkey)
{
	int n = 0;

	*opened = *by_cbkey = 0;
	for (size_t i = 0; i < sizeof(fields_sql) / sizeof(fields_sql[0]); i++) {
		sqlite3_stmt *st = NULL;
		assert_int_equal(sqlite3_prepare_v2(cb->db, fields_sql[i], -1, &st, NULL), SQLITE_OK);
		sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *ad = (const char *)sqlite3_column_text(st, 0);
			const void *ct = sqlite3_column_blob(st, 1);
			size_t ctlen = (size_t)sqlite3_column_bytes(st, 1);
			uint8_t *pt = NULL;
			size_t len = 0;

			if (ct == NULL)
				continue;
			n++;
			if (cb_unseal_concern(cb, cid, ad, ct, ctlen, &pt, &len) == 0) {
				(*opened)++;
				cb_free(pt, len);
			}
			if (cb_unseal(cb, ad, ct, ctlen, &pt, &len) == 0) {
				(*by_cbkey)++;
				cb_free(pt, len);
			}
		}
		sqlite3_finalize(st);
	}
	return n;
}

static int
count_sink(void *ctx, const uint8_t *buf, size_t len)
{
	(void)buf;
	*(size_t *)ctx += len;
	return 0;
}

/* The attachment's chunks opened with the casebook's own X25519 key (the
 * key attachments were sealed to before concern keys). */
static int
att_opens_with_casebook_box(struct casebook *cb, const char *cid)
{
	sqlite3_stmt *st = NULL;
	struct cc_env_reader *r = NULL;
	size_t got = 0;
	int kind = 0, ok = 1;

	assert_int_equal(sqlite3_prepare_v2(cb->db,
			     "SELECT data FROM att_chunks WHERE att=(SELECT id FROM attachments"
			     " WHERE concern_id=?) ORDER BY n",
			     -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	assert_int_equal(cc_env_reader_new(&cb->box, count_sink, &got, &r), CC_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (cc_env_reader_update(r, sqlite3_column_blob(st, 0),
			(size_t)sqlite3_column_bytes(st, 0)) != CC_OK) {
			ok = 0;
			break;
		}
	sqlite3_finalize(st);
	if (ok)
		return cc_env_reader_finish(r, &kind) == CC_OK;
	cc_env_reader_abort(r);
	return 0;
}

static int64_t
att_row(struct casebook *cb, const char *cid)
{
	sqlite3_stmt *st = NULL;
	int64_t id = -1;

	assert_int_equal(sqlite3_prepare_v2(cb->db, "SELECT id FROM attachments WHERE concern_id=?",
			     -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

/* Bob's secret key (opened with his passphrase) and the casebook key he
 * shares: no field of X opens, the concern key cannot be obtained. */
static void
test_stolen_key_opens_nothing_of_excluded_concern(void **state)
{
	struct fx *f = *state;
	struct casebook *a = NULL, *b = NULL;
	const char *why = NULL;
	sqlite3_stmt *st = NULL;
	struct cb_concern c;
	uint8_t *pt = NULL, key[CB_KEY_BYTES];
	size_t len = 0, got = 0;
	int n, opened, by_cbkey, rows = 0;

	assert_int_equal(cb_open(f->t->cbpath, f->t->who[0], &a, &why), 0);
	assert_int_equal(cb_open(f->t->cbpath, f->t->who[1], &b, &why), 0);

	/* control: alice opens every field of X, under its concern key only */
	n = try_fields(a, f->x, &opened, &by_cbkey);
	assert_true(n >= 10); /* body, summary, message, attachment, note, reply, 2 refs,
			      audit of outcome and link */
	assert_int_equal(opened, n);
	assert_int_equal(by_cbkey, 0);
	got = 0;
	assert_int_equal(cb_att_read(a, f->x, att_row(a, f->x), count_sink, &got), 0);
	assert_true(got >= strlen(X_FILE));

	/* bob: nothing of X, neither through the API nor with the casebook key */
	n = try_fields(b, f->x, &opened, &by_cbkey);
	assert_true(n >= 10);
	assert_int_equal(opened, 0);
	assert_int_equal(by_cbkey, 0);
	assert_int_not_equal(cb_concern_body(b, f->x, &pt, &len), 0);
	assert_null(pt);
	assert_int_equal(cb_concern_load(b, f->x, &c), 0);
	assert_false(c.readable);
	assert_int_equal(cb_ck_load(b, f->x), 1);
	got = 0;
	assert_int_not_equal(cb_att_read(b, f->x, att_row(b, f->x), count_sink, &got), 0);
	assert_false(att_opens_with_casebook_box(b, f->x));

	/* every sealed copy of X's key: none opens with bob's key or with
	 * anything derived from the casebook key he holds */
	assert_int_equal(sqlite3_prepare_v2(b->db,
			     "SELECT keyid, sealed FROM concern_keys WHERE concern_id=?", -1, &st,
			     NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, f->x, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const uint8_t *sealed = sqlite3_column_blob(st, 1);
		rows++;
		assert_int_equal(sqlite3_column_bytes(st, 1), CB_KEY_BYTES + crypto_box_SEALBYTES);
		assert_memory_not_equal(
		    sqlite3_column_blob(st, 0), f->t->who[1]->pub.keyid, CC_KEYID_BYTES);
		assert_int_not_equal(crypto_box_seal_open(key, sealed,
					 CB_KEY_BYTES + crypto_box_SEALBYTES,
					 f->t->who[1]->box.pk, f->t->who[1]->box.sk),
		    0);
		assert_int_not_equal(crypto_box_seal_open(key, sealed,
					 CB_KEY_BYTES + crypto_box_SEALBYTES, b->box.pk,
					 b->box.sk),
		    0);
		/* control: alice's copy opens with her key */
		assert_int_equal(crypto_box_seal_open(key, sealed,
				     CB_KEY_BYTES + crypto_box_SEALBYTES, f->t->who[0]->box.pk,
				     f->t->who[0]->box.sk),
		    0);
	}
	sqlite3_finalize(st);
	assert_int_equal(rows, 1); /* alice only */
	sodium_memzero(key, sizeof(key));

	/* Y was sealed by the reporter to both: bob, added later, reads it */
	n = try_fields(b, f->y, &opened, &by_cbkey);
	assert_true(n >= 1);
	assert_int_equal(opened, n);
	assert_int_equal(cb_concern_load(b, f->y, &c), 0);
	assert_true(c.readable);
	cb_close(a);
	cb_close(b);
}

/* The commands: bob's show, search, attachment, note, reply refuse or
 * say "sealed to other reviewers", and print nothing of X. */
static void
test_excluded_reviewer_commands(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	char out_path[RVT_PATH], *out;
	int rc;

	out = rvt_capture(t, 1, &rc, cmd_show, "show", f->x, NULL);
	assert_null(strstr(out, X_WHAT));
	assert_null(strstr(out, X_NOTE));
	assert_non_null(strstr(out, "sealed to other reviewers"));
	free(out);
	out = rvt_capture(t, 1, &rc, cmd_search, "search", "Okapi", NULL);
	assert_null(strstr(out, f->x));
	free(out);
	out = rvt_capture(t, 1, &rc, cmd_search, "search", "Tapir", NULL);
	assert_non_null(strstr(out, f->y)); /* control: his own concern is found */
	free(out);
	rvt_path(t, out_path, "att.out");
	RVT_REFUSED(
	    t, rvt_run(t, 1, cmd_attachment, "attachment", f->x, "1", "--out", out_path, NULL));
	RVT_REFUSED(t, rvt_run(t, 1, cmd_note, "note", f->x, "bob's note", NULL));
	RVT_REFUSED(t, rvt_run(t, 1, cmd_reply, "reply", f->x, "bob's reply", NULL));
	RVT_REFUSED(t, rvt_run(t, 1, cmd_link, "link", f->x, "REF/2026/55888", NULL));
	out = rvt_capture(t, 1, &rc, cmd_audit, "audit", NULL, NULL);
	assert_int_equal(rc, 0);
	assert_null(strstr(out, "55777"));
	free(out);
	out = rvt_capture(t, 0, &rc, cmd_audit, "audit", NULL, NULL);
	assert_non_null(strstr(out, "REF/2026/55777")); /* control */
	free(out);
	out = rvt_capture(t, 0, &rc, cmd_show, "show", f->x, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, X_WHAT)); /* control */
	assert_non_null(strstr(out, X_MSG));
	assert_non_null(strstr(out, X_NOTE));
	free(out);
}

/* A concern key row edited in the file to seal X's key to bob (without
 * knowing it: a fresh random key) opens nothing of X for him. */
static void
test_planted_key_row_opens_nothing(void **state)
{
	struct fx *f = *state;
	struct casebook *b = NULL;
	const char *why = NULL;
	uint8_t fake[CB_KEY_BYTES], sealed[CB_KEY_BYTES + crypto_box_SEALBYTES];
	sqlite3_stmt *st = NULL;
	int opened, by_cbkey;

	randombytes_buf(fake, sizeof(fake));
	assert_int_equal(crypto_box_seal(sealed, fake, sizeof(fake), f->t->who[1]->box.pk), 0);
	assert_int_equal(cb_open(f->t->cbpath, f->t->who[1], &b, &why), 0);
	assert_int_equal(sqlite3_prepare_v2(b->db,
			     "INSERT INTO concern_keys(concern_id, keyid, sealed) VALUES(?, ?, ?)",
			     -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, f->x, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, f->t->who[1]->pub.keyid, CC_KEYID_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, sealed, sizeof(sealed), SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	assert_int_equal(cb_ck_load(b, f->x), 0); /* a key loads: the wrong one */
	assert_true(try_fields(b, f->x, &opened, &by_cbkey) >= 10);
	assert_int_equal(opened, 0);
	assert_int_equal(by_cbkey, 0);
	cb_close(b);
}

/* reviewer add gives the new reviewer the keys of the concerns whose
 * reporter chose them, and no other. */
static void
test_reviewer_add_grants_only_chosen(void **state)
{
	struct fx *f = *state;

	assert_int_equal(rvt_count(f->t->cbpath, "SELECT count(*) FROM concern_keys"), 3);
	/* X: alice; Y: alice and bob (granted at reviewer add) */
	assert_int_equal(
	    rvt_count(f->t->cbpath, "SELECT count(DISTINCT concern_id) FROM concern_keys"), 2);
}

/* Bob is a reviewer of the casebook BEFORE alice imports: X (sealed by
 * the intake to alice only) still gets no key row for him, Y (to both)
 * gets one for each. The fixtures above add bob after the import, which
 * cannot tell "sealed to the chosen reviewers" from "sealed to every
 * reviewer of the casebook". */
static int
setup_bob_first(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct rvt_rec r[2];
	char b1[RVT_PATH];
	struct rvt *t;

	f->t = t = rvt_new();
	rvt_init(t);
	assert_int_equal(rvt_run(t, 0, cmd_reviewer, "reviewer", "add", t->pub[1], NULL), 0);
	rvt_concern(&r[0], 1, "referral not actioned", X_WHAT, X_REF, NULL);
	rvt_concern(&r[1], 3, "recording", Y_WHAT, NULL, NULL);
	rvt_path(t, b1, "b1");
	rvt_bundle(t, b1, r, 2);
	for (int i = 0; i < 2; i++)
		rvt_rec_free(&r[i]);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b1, NULL), 0);
	rvt_id_of(t, 1, f->x);
	rvt_id_of(t, 2, f->y);
	*state = f;
	return 0;
}

static int
key_rows(struct casebook *cb, const char *cid, const uint8_t keyid[CC_KEYID_BYTES])
{
	sqlite3_stmt *st = NULL;
	int n = -1;

	assert_int_equal(sqlite3_prepare_v2(cb->db,
			     "SELECT count(*) FROM concern_keys WHERE concern_id=?1"
			     " AND (?2 IS NULL OR keyid=?2)",
			     -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	if (keyid != NULL)
		sqlite3_bind_blob(st, 2, keyid, CC_KEYID_BYTES, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
test_import_seals_only_to_chosen(void **state)
{
	struct fx *f = *state;
	struct casebook *a = NULL, *b = NULL;
	const char *why = NULL;
	int opened, by_cbkey;

	assert_int_equal(cb_open(f->t->cbpath, f->t->who[0], &a, &why), 0);
	assert_int_equal(cb_open(f->t->cbpath, f->t->who[1], &b, &why), 0);
	assert_int_equal(key_rows(a, f->x, NULL), 1);
	assert_int_equal(key_rows(a, f->x, f->t->who[0]->pub.keyid), 1);
	assert_int_equal(key_rows(a, f->x, f->t->who[1]->pub.keyid), 0);
	assert_int_equal(key_rows(a, f->y, NULL), 2); /* control: both chosen */
	assert_int_equal(cb_ck_load(b, f->x), 1);
	assert_true(try_fields(b, f->x, &opened, &by_cbkey) >= 1);
	assert_int_equal(opened, 0);
	assert_int_equal(cb_ck_load(b, f->y), 0);
	assert_int_equal(cb_ck_load(a, f->x), 0);
	cb_close(a);
	cb_close(b);
}

/* Alice's sealed copy of X's key rewritten to a wrong length: cut short
 * (read past its end without the length check) or with bytes after a
 * valid copy (accepted without it). Both are refused as damage (-1),
 * neither as "no key" (1) nor as a key (0). */
static void
test_sealed_key_wrong_length(void **state)
{
	struct fx *f = *state;
	struct casebook *a = NULL;
	const char *why = NULL;
	sqlite3_stmt *st = NULL;
	uint8_t good[CB_KEY_BYTES + crypto_box_SEALBYTES + 16];
	const size_t glen = CB_KEY_BYTES + crypto_box_SEALBYTES;
	static const size_t lens[] = {0, 1, CB_KEY_BYTES, CB_KEY_BYTES + crypto_box_SEALBYTES - 1,
	    CB_KEY_BYTES + crypto_box_SEALBYTES + 1, CB_KEY_BYTES + crypto_box_SEALBYTES + 16};

	assert_int_equal(cb_open(f->t->cbpath, f->t->who[0], &a, &why), 0);
	assert_int_equal(sqlite3_prepare_v2(a->db,
			     "SELECT sealed FROM concern_keys WHERE concern_id=? AND keyid=?", -1,
			     &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, f->x, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, f->t->who[0]->pub.keyid, CC_KEYID_BYTES, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_bytes(st, 0), glen);
	memcpy(good, sqlite3_column_blob(st, 0), glen);
	sqlite3_finalize(st);
	randombytes_buf(good + glen, sizeof(good) - glen);
	cb_close(a);
	for (size_t i = 0; i <= sizeof(lens) / sizeof(lens[0]); i++) {
		/* the last round puts the intact copy back: the control */
		size_t len = i < sizeof(lens) / sizeof(lens[0]) ? lens[i] : glen;
		assert_int_equal(cb_open(f->t->cbpath, f->t->who[0], &a, &why), 0);
		assert_int_equal(sqlite3_prepare_v2(a->db,
				     "UPDATE concern_keys SET sealed=? WHERE concern_id=? AND keyid=?",
				     -1, &st, NULL),
		    SQLITE_OK);
		/* a zero-length blob must stay a blob, not NULL */
		sqlite3_bind_blob(st, 1, len > 0 ? good : (const void *)"", (int)len,
		    SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, f->x, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 3, f->t->who[0]->pub.keyid, CC_KEYID_BYTES, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
		if (len == glen)
			assert_int_equal(cb_ck_load(a, f->x), 0);
		else if (cb_ck_load(a, f->x) != -1)
			fail_msg("a sealed key of %zu bytes was not refused", len);
		cb_close(a);
	}
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_stolen_key_opens_nothing_of_excluded_concern),
	    T(test_excluded_reviewer_commands),
	    T(test_planted_key_row_opens_nothing),
	    T(test_reviewer_add_grants_only_chosen),
	    cmocka_unit_test_setup_teardown(test_import_seals_only_to_chosen, setup_bob_first,
		teardown),
	    cmocka_unit_test_setup_teardown(test_sealed_key_wrong_length, setup_bob_first,
		teardown),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
