/* Working a case: transitions, outcome, notes, assign, replies and the
 * reply bundle, show/search/attachment, purge, and the stolen casebook. */
#include "review/cb_internal.h"
#include "tests/review/rvtest.h"
#include "review/ref.h"

#include <dirent.h>

#define SECRET_WHAT "Zebra-unique-sentence: the duty manager binned it on Friday."
#define SECRET_REF "REF/2026/77123"
#define SECRET_NOTE "Quokka-note: interview the duty manager first."
#define SECRET_REPLY "Kestrel-reply: thank you, we are looking into it."
#define SECRET_SUM "Heron-summary: the referral was found and actioned."
#define SECRET_MSG "Lynx-followup: it happened again."
#define SECRET_FILE "Ibex-attachment-content"
#define SECRET_NAME "ibex-secret-filename.txt"

struct fx {
	struct rvt *t;
	char id[CB_ID_CHARS + 1];    /* readable concern */
	char other[CB_ID_CHARS + 1]; /* unreadable (bob only) */
	struct cc_boxkey *reporter;  /* the readable concern's reporter */
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct rvt_rec r[3];
	char b1[RVT_PATH];

	f->t = rvt_new();
	rvt_init(f->t);
	rvt_concern(&r[0], 1, "referral not actioned", SECRET_WHAT, SECRET_REF, NULL);
	rvt_attach(
	    &r[0], SECRET_NAME, "text/plain", (const uint8_t *)SECRET_FILE, strlen(SECRET_FILE));
	rvt_concern(&r[1], 2, "recording", "bob only", NULL, NULL);
	rvt_message(&r[2], 1, 1, SECRET_MSG);
	rvt_path(f->t, b1, "b1");
	rvt_bundle(f->t, b1, r, 3);
	f->reporter = r[0].reporter;
	r[0].reporter = NULL;
	for (int i = 0; i < 3; i++)
		rvt_rec_free(&r[i]);
	assert_int_equal(rvt_run(f->t, 0, cmd_import, "import", b1, NULL), 0);
	rvt_id_of(f->t, 1, f->id);
	rvt_id_of(f->t, 2, f->other);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	sodium_free(f->reporter);
	rvt_free(f->t);
	free(f);
	return 0;
}

static long long
status_of(struct fx *f)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT status FROM concerns WHERE id='%s'", f->id);
	return rvt_count(f->t->cbpath, sql);
}

static void
test_forward_path(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;

	assert_int_equal(rvt_run(t, 0, cmd_case_status, "status", f->id, "acknowledged", NULL), 0);
	assert_int_equal(status_of(f), CB_ACKNOWLEDGED);
	assert_int_equal(rvt_run(t, 0, cmd_case_status, "status", f->id, "investigating", NULL), 0);
	assert_int_equal(rvt_run(t, 0, cmd_outcome, "outcome", f->id, "substantiated", "--summary",
			     SECRET_SUM, "--share-with-reporter", NULL),
	    0);
	assert_int_equal(rvt_run(t, 0, cmd_case_status, "status", f->id, "closed", NULL), 0);
	assert_int_equal(status_of(f), CB_CLOSED);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM outbox WHERE exported=0"), 3);
}

static void
test_close_without_outcome_refused(void **state)
{
	struct fx *f = *state;
	RVT_REFUSED(f->t, rvt_run(f->t, 0, cmd_case_status, "status", f->id, "closed", NULL));
}

static void
test_backwards_refused(void **state)
{
	struct fx *f = *state;
	assert_int_equal(rvt_run(f->t, 0, cmd_case_status, "status", f->id, "investigating", NULL), 0);
	RVT_REFUSED(f->t, rvt_run(f->t, 0, cmd_case_status, "status", f->id, "acknowledged", NULL));
	RVT_REFUSED(f->t, rvt_run(f->t, 0, cmd_case_status, "status", f->id, "received", NULL));
	RVT_REFUSED(f->t, rvt_run(f->t, 0, cmd_case_status, "status", f->id, "investigating", NULL));
}

static void
test_closed_is_final(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;

	assert_int_equal(
	    rvt_run(t, 0, cmd_outcome, "outcome", f->id, "withdrawn", "--summary", "w", NULL), 0);
	assert_int_equal(rvt_run(t, 0, cmd_case_status, "status", f->id, "closed", NULL), 0);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_case_status, "status", f->id, "investigating", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_outcome, "outcome", f->id, "substantiated", "--summary",
			   "changed my mind", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_assign, "assign", f->id, "alice", NULL));
}

static void
test_bad_arguments_refused(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;

	RVT_REFUSED(t, rvt_run(t, 0, cmd_case_status, "status", f->id, "reopened", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_case_status, "status", "ZZZZZZZZ", "acknowledged", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_case_status, "status", "not-an-id", "acknowledged", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_case_status, "status", f->id, NULL));
	RVT_REFUSED(
	    t, rvt_run(t, 0, cmd_outcome, "outcome", f->id, "guilty", "--summary", "x", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_outcome, "outcome", f->id, "withdrawn", NULL));
	RVT_REFUSED(
	    t, rvt_run(t, 0, cmd_outcome, "outcome", f->id, "withdrawn", "--summary", "", NULL));
	RVT_REFUSED(t,
	    rvt_run(t, 0, cmd_outcome, "outcome", f->id, "withdrawn", "--summary", "bell\a", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_note, "note", "ZZZZZZZZ", "text", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_note, "note", f->id, "", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_note, "note", f->id, "esc\x1b[2J", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_assign, "assign", f->id, "mallory", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_assign, "assign", f->id, "bad name!", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_reply, "reply", "ZZZZZZZZ", "hello", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_reply, "reply", f->other, "hello", NULL)); /* unreadable */
	RVT_REFUSED(t, rvt_run(t, 0, cmd_case_status, "status", f->other, "acknowledged", NULL));
	RVT_REFUSED(t,
	    rvt_run(t, 0, cmd_outcome, "outcome", f->other, "withdrawn", "--summary", "x", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_note, "note", f->other, "a note", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_assign, "assign", f->other, "alice", NULL));
	RVT_REFUSED(
	    t, rvt_run(t, 0, cmd_reply, "reply", f->id, "hi", "--file", "/etc/hostname", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_reply, "reply", f->id, "--file", "/nonexistent", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_show, "show", "ZZZZZZZZ", NULL));
	RVT_REFUSED(
	    t, rvt_run(t, 0, cmd_attachment, "attachment", f->id, "2", "--out", "/tmp/x", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_attachment, "attachment", f->id, "1", NULL));
	RVT_REFUSED(
	    t, rvt_run(t, 0, cmd_attachment, "attachment", f->other, "1", "--out", "/tmp/x", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_purge, "purge", "--closed-before", "2026-13-01", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_list, "list", "--status", "open", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_list, "list", "--format", "xml", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_export_replies, "export-replies", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_audit, "audit", "fix", NULL));
}

static void
test_note_assign(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;

	assert_int_equal(rvt_run(t, 0, cmd_note, "note", f->id, SECRET_NOTE, NULL), 0);
	assert_int_equal(rvt_run(t, 0, cmd_reviewer, "reviewer", "add", t->pub[1], NULL), 0);
	assert_int_equal(rvt_run(t, 0, cmd_assign, "assign", f->id, "alice", NULL), 0);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_assign, "assign", f->id, "alice", NULL)); /* already */
	RVT_REFUSED(t, rvt_run(t, 0, cmd_reviewer, "reviewer", "add", t->pub[1], NULL)); /* twice */
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM notes"), 1);
}

/* assign gives a case only to a reviewer who can read it: bob, whom the
 * reporter of f->id did not choose, is refused with the reason; a concern
 * sealed to both can go to him. */
static void
test_assign_needs_reader(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	struct rvt_rec r;
	char b2[RVT_PATH], both[CB_ID_CHARS + 1], sql[160];

	assert_int_equal(rvt_run(t, 0, cmd_reviewer, "reviewer", "add", t->pub[1], NULL), 0);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_assign, "assign", f->id, "bob", NULL));
	RVT_ERR_HAS(t, "bob cannot read");
	RVT_ERR_HAS(t, "did not choose bob");
	rvt_concern(&r, 3, "recording", "sealed to both", NULL, NULL);
	rvt_path(t, b2, "b2");
	rvt_bundle(t, b2, &r, 1);
	rvt_rec_free(&r);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b2, NULL), 0);
	rvt_id_of(t, 4, both);
	assert_int_equal(rvt_run(t, 0, cmd_assign, "assign", both, "bob", NULL), 0);
	snprintf(sql, sizeof(sql), "SELECT assignee = 'bob' FROM concerns WHERE id='%s'", both);
	assert_int_equal(rvt_count(t->cbpath, sql), 1);
}

/* Concern ids as a tired person types them: lower case works; a wrong
 * character is named; a wrong length says how long an id is. */
static void
test_concern_id_forms(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	char lower[CB_ID_CHARS + 1], bad[CB_ID_CHARS + 1];

	for (int i = 0; i <= CB_ID_CHARS; i++)
		lower[i] = (char)(f->id[i] >= 'A' && f->id[i] <= 'Z' ? f->id[i] + 32 : f->id[i]);
	assert_int_equal(rvt_run(t, 0, cmd_note, "note", lower, "typed in lower case", NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM notes"), 1);
	memcpy(bad, f->id, sizeof(bad));
	bad[2] = 'U'; /* not in Crockford's alphabet */
	RVT_REFUSED(t, rvt_run(t, 0, cmd_note, "note", bad, "x", NULL));
	RVT_ERR_HAS(t, "character 3 ('U') is not in the id alphabet");
	bad[2] = 'o';
	RVT_REFUSED(t, rvt_run(t, 0, cmd_show, "show", bad, NULL));
	RVT_ERR_HAS(t, "character 3 ('o')");
	RVT_ERR_HAS(t, "the letter O is the digit 0");
	/* a usage error: refused before the passphrase is asked (exit 2) */
	assert_int_equal(rvt_run(t, 0, cmd_case_status, "status", bad, "acknowledged", NULL), 2);
	assert_int_equal(rvt_run(t, 0, cmd_show, "show", "ABC", NULL), 2);
	RVT_ERR_HAS(t, "it has 3 characters; an id has 8");
	assert_int_equal(rvt_run(t, 0, cmd_link, "link", bad, "REF/2026/1", NULL), 2);
	RVT_ERR_HAS(t, "character 3");
}

/* export-replies: signed by alice, items decrypt with the reporter key. */
static void
test_export_replies(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	char out[RVT_PATH];
	struct bundle_r *r = NULL;
	const struct bundle_info *bi;
	int replies = 0, summaries = 0;

	rvt_path(t, out, "replies.bundle");
	assert_int_equal(rvt_run(t, 0, cmd_reply, "reply", f->id, SECRET_REPLY, NULL), 0);
	assert_int_equal(rvt_run(t, 0, cmd_case_status, "status", f->id, "acknowledged", NULL), 0);
	assert_int_equal(rvt_run(t, 0, cmd_outcome, "outcome", f->id, "partly-substantiated",
			     "--summary", SECRET_SUM, "--share-with-reporter", NULL),
	    0);
	assert_int_equal(rvt_run(t, 0, cmd_case_status, "status", f->id, "closed", NULL), 0);
	assert_int_equal(
	    rvt_run(t, 0, cmd_export_replies, "export-replies", "--out", out, NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM outbox WHERE exported=0"), 0);
	/* an existing file is never overwritten */
	RVT_REFUSED(t, rvt_run(t, 0, cmd_export_replies, "export-replies", "--out", out, NULL));
	assert_int_equal(bundle_r_open(out, &r), 0);
	bi = bundle_r_info(r);
	assert_int_equal(bi->kind, BUNDLE_REPLIES);
	assert_memory_equal(bi->intake_pk, t->ipk, CC_SIGN_PK);
	assert_int_not_equal(bundle_r_verify(r, t->ipk), 0); /* not the intake's signature */
	assert_int_equal(bundle_r_verify(r, t->who[0]->pub.sign_pk), 0);
	assert_int_equal(bi->nitems, 3);
	for (uint64_t i = 0; i < bi->nitems; i++) {
		struct bitem it;
		uint8_t *env = NULL, *pt = NULL;
		size_t envlen = 0, ptlen = 0, n = 0, off = 0;
		struct field fl[FIELDS_MAX];
		int kind = 0;

		assert_int_equal(bundle_r_item(r, i, &it, &env, &envlen), 0);
		assert_int_equal(it.target_seq, 1);
		if (it.type == BITEM_STATUS && it.state == BSTATE_CLOSED)
			assert_int_equal(it.outcome, BOUT_PARTLY);
		if (!it.has_env) {
			free(env);
			continue;
		}
		assert_int_equal(cc_env_open(f->reporter, env, envlen, &pt, &ptlen, &kind), CC_OK);
		assert_int_equal(kind, CC_KIND_REPLY);
		assert_int_equal(
		    fields_decode(pt, ptlen, FIELDS_REPLY, fl, FIELDS_MAX, &n, &off), 0);
		const struct field *k = fields_get(fl, n, "kind"), *x = fields_get(fl, n, "text");
		assert_non_null(k);
		assert_non_null(x);
		if (k->len == 5 && memcmp(k->val, "reply", 5) == 0) {
			assert_int_equal(x->len, strlen(SECRET_REPLY));
			assert_memory_equal(x->val, SECRET_REPLY, x->len);
			replies++;
		} else {
			assert_memory_equal(k->val, "outcome", 7);
			assert_memory_equal(x->val, SECRET_SUM, strlen(SECRET_SUM));
			summaries++;
		}
		cc_free_wipe(pt, ptlen);
		free(env);
	}
	assert_int_equal(replies, 1);
	assert_int_equal(summaries, 1);
	bundle_r_close(r);
	/* nothing pending: no bundle */
	rvt_path(t, out, "replies2.bundle");
	assert_int_equal(
	    rvt_run(t, 0, cmd_export_replies, "export-replies", "--out", out, NULL), 0);
	assert_int_equal(access(out, F_OK), -1);
}

static void
test_show_and_search(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	char *out;
	int rc;

	assert_int_equal(rvt_run(t, 0, cmd_note, "note", f->id, SECRET_NOTE, NULL), 0);
	out = rvt_capture(t, 0, &rc, cmd_show, "show", f->id, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, SECRET_WHAT));
	assert_non_null(strstr(out, SECRET_REF));
	assert_non_null(strstr(out, SECRET_MSG));
	assert_non_null(strstr(out, SECRET_NOTE));
	assert_non_null(strstr(out, SECRET_NAME));
	free(out);
	out = rvt_capture(t, 0, &rc, cmd_show, "show", f->other, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "sealed to other reviewers"));
	free(out);
	out = rvt_capture(t, 0, &rc, cmd_search, "search", "duty MANAGER", NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, f->id));
	assert_non_null(strstr(out, "concern"));
	assert_non_null(strstr(out, "note"));
	free(out);
	out = rvt_capture(t, 0, &rc, cmd_search, "search", "again", NULL);
	assert_non_null(strstr(out, "message"));
	free(out);
	/* field names and the format tag are not text anyone wrote */
	out = rvt_capture(t, 0, &rc, cmd_search, "search", "raised_before", NULL);
	assert_int_equal(rc, 0);
	assert_null(strstr(out, f->id));
	free(out);
	out = rvt_capture(t, 0, &rc, cmd_search, "search", "candour-concern-v1", NULL);
	assert_null(strstr(out, f->id));
	free(out);
	/* words may come from different answers of the same concern */
	out = rvt_capture(t, 0, &rc, cmd_search, "search", "zebra north", NULL);
	assert_non_null(strstr(out, f->id));
	free(out);
	out = rvt_capture(t, 0, &rc, cmd_search, "search", "platypus", NULL);
	assert_int_equal(rc, 0);
	assert_null(strstr(out, f->id));
	free(out);
}

static void
test_attachment(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	char out[RVT_PATH];
	uint8_t *buf = NULL;
	size_t len = 0;
	struct stat sb;

	rvt_path(t, out, "att.out");
	assert_int_equal(
	    rvt_run(t, 0, cmd_attachment, "attachment", f->id, "1", "--out", out, NULL), 0);
	assert_int_equal(util_read_file(out, 1 << 20, &buf, &len), 0);
	assert_int_equal(len, strlen(SECRET_FILE));
	assert_memory_equal(buf, SECRET_FILE, len);
	free(buf);
	assert_int_equal(stat(out, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* O_EXCL: never overwrites */
	RVT_REFUSED(t, rvt_run(t, 0, cmd_attachment, "attachment", f->id, "1", "--out", out, NULL));
}

static void
test_list_formats(void **state)
{
	struct fx *f = *state;
	char *out;
	int rc;

	out = rvt_capture(f->t, 0, &rc, cmd_list, "list", "--format", "json");
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, f->id));
	assert_non_null(strstr(out, "\"ack_due\":\"2020-01-08\""));
	assert_non_null(strstr(out, "\"feedback_due\":\"2020-04-01\""));
	assert_non_null(strstr(out, "unreadable"));
	free(out);
	out = rvt_capture(f->t, 0, &rc, cmd_list, "list", "--format", "csv");
	assert_non_null(strstr(out, "id,received,category,status"));
	assert_non_null(strstr(out, "\"referral not actioned\""));
	free(out);
	/* received in 2020: overdue by any clock this runs under */
	out = rvt_capture(f->t, 0, &rc, cmd_list, "list", "--overdue", NULL);
	assert_non_null(strstr(out, "OVERDUE-ACK"));
	free(out);
	out = rvt_capture(f->t, 0, &rc, cmd_list, "list", "--status", "closed");
	assert_null(strstr(out, f->id));
	free(out);
}

/* A concern received today is not overdue; one from 2020 is. */
static void
test_overdue_marks(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	struct rvt_rec r;
	char b2[RVT_PATH], today[11], fresh[CB_ID_CHARS + 1], *out;
	int rc;

	assert_int_equal(util_today(today), 0);
	rvt_concern(&r, 1, "other", "arrived today", NULL, NULL);
	r.date = today;
	rvt_path(t, b2, "b2");
	rvt_bundle(t, b2, &r, 1);
	rvt_rec_free(&r);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b2, NULL), 0);
	rvt_id_of(t, 4, fresh);
	out = rvt_capture(t, 0, &rc, cmd_list, "list", "--overdue", NULL);
	assert_int_equal(rc, 0);
	assert_null(strstr(out, fresh));
	assert_non_null(strstr(out, f->id));
	free(out);
	/* acknowledged: the ACK mark goes, the feedback one stays */
	assert_int_equal(rvt_run(t, 0, cmd_case_status, "status", f->id, "acknowledged", NULL), 0);
	out = rvt_capture(t, 0, &rc, cmd_list, "list", "--format", "csv");
	const char *at = strstr(out, f->id);
	assert_non_null(at);
	char *line = strndup(at, strcspn(at, "\n"));
	assert_null(strstr(line, "OVERDUE-ACK"));
	assert_non_null(strstr(line, "OVERDUE-FEEDBACK"));
	free(line);
	free(out);
}

/* No byte of any concern text, note, reply, summary, reference or
 * attachment (content or name) is in the casebook file or its WAL. */
static void
assert_no_secret_bytes(struct rvt *t)
{
	static const char *secrets[] = {SECRET_WHAT, SECRET_REF, SECRET_NOTE, SECRET_REPLY,
	    SECRET_SUM, SECRET_MSG, SECRET_FILE, SECRET_NAME, "Zebra-unique", "77123", "Quokka",
	    "Kestrel", "Heron", "Lynx", "Ibex", "North duty team", "my team manager"};
	const char *sfx[] = {"", "-wal", "-journal"};

	for (size_t s = 0; s < 3; s++) {
		char p[RVT_PATH + 16];
		uint8_t *buf = NULL;
		size_t len = 0;

		snprintf(p, sizeof(p), "%s%s", t->cbpath, sfx[s]);
		if (util_read_file(p, UTIL_FILE_MAX, &buf, &len) != 0)
			continue;
		for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
			if (memmem(buf, len, secrets[i], strlen(secrets[i])) != NULL)
				fail_msg("'%s' found in %s", secrets[i], p);
		free(buf);
	}
}

static void
test_stolen_casebook(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	char out[RVT_PATH];

	assert_no_secret_bytes(t);
	assert_int_equal(rvt_run(t, 0, cmd_note, "note", f->id, SECRET_NOTE, NULL), 0);
	assert_int_equal(rvt_run(t, 0, cmd_reply, "reply", f->id, SECRET_REPLY, NULL), 0);
	assert_int_equal(rvt_run(t, 0, cmd_search, "search", "Zebra-unique", NULL), 0);
	assert_int_equal(rvt_run(t, 0, cmd_outcome, "outcome", f->id, "substantiated", "--summary",
			     SECRET_SUM, NULL),
	    0);
	assert_no_secret_bytes(t);
	rvt_path(t, out, "r.bundle");
	assert_int_equal(
	    rvt_run(t, 0, cmd_export_replies, "export-replies", "--out", out, NULL), 0);
	assert_no_secret_bytes(t);
	/* the sanity check can fail: the same scan finds plaintext in a file */
	{
		uint8_t *buf = NULL;
		size_t len = 0;
		char p[RVT_PATH];
		rvt_path(t, p, "plain");
		rvt_write(p, SECRET_NOTE, strlen(SECRET_NOTE), 0600);
		assert_int_equal(util_read_file(p, 1024, &buf, &len), 0);
		assert_non_null(memmem(buf, len, "Quokka", 6));
		free(buf);
	}
}

static void
test_purge(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	char *out;
	int rc;

	assert_int_equal(rvt_run(t, 0, cmd_note, "note", f->id, SECRET_NOTE, NULL), 0);
	assert_int_equal(rvt_run(t, 0, cmd_outcome, "outcome", f->id, "no-further-action",
			     "--summary", SECRET_SUM, NULL),
	    0);
	assert_int_equal(rvt_run(t, 0, cmd_case_status, "status", f->id, "closed", NULL), 0);
	/* closed today: a cut-off of 2000 purges nothing */
	assert_int_equal(
	    rvt_run(t, 0, cmd_purge, "purge", "--closed-before", "2000-01-01", "--yes", NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concerns WHERE purged=1"), 0);
	assert_int_equal(
	    rvt_run(t, 0, cmd_purge, "purge", "--closed-before", "9999-12-31", "--yes", NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concerns WHERE purged=1"), 1);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM notes"), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM attachments"), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM att_chunks"), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concerns WHERE body IS NOT NULL"
					      " AND purged=1"),
	    0);
	/* counted still: the record, the concern row with its outcome */
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records"), 3);
	assert_int_equal(
	    rvt_count(t->cbpath, "SELECT outcome FROM concerns WHERE purged=1"), BOUT_NFA);
	out = rvt_capture(t, 0, &rc, cmd_show, "show", f->id, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "purged"));
	assert_null(strstr(out, "Zebra"));
	free(out);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_note, "note", f->id, "more", NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_reply, "reply", f->id, "more", NULL));
}

/* purge: the register's date forms; anything else "not a date"; no
 * terminal and no --yes refused; --dry-run lists and changes nothing; the
 * audit entry counts "1 case". */
static void
test_purge_confirm_and_dates(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	char *out;
	int rc;

	assert_int_equal(rvt_run(t, 0, cmd_outcome, "outcome", f->id, "withdrawn", "--summary",
			     "w", NULL),
	    0);
	assert_int_equal(rvt_run(t, 0, cmd_case_status, "status", f->id, "closed", NULL), 0);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_purge, "purge", "--closed-before", "31/13/2026", "--yes",
			   NULL));
	RVT_ERR_HAS(t, "not a date: use YYYY-MM-DD");
	RVT_REFUSED(t, rvt_run(t, 0, cmd_purge, "purge", "--closed-before", "tomorrow", "--yes",
			   NULL));
	RVT_ERR_HAS(t, "not a date: use YYYY-MM-DD");
	RVT_REFUSED(t, rvt_run(t, 0, cmd_purge, "purge", "--yes", NULL));
	RVT_ERR_HAS(t, "say --closed-before DATE or --due");
	/* stdin is not a terminal here: no silent purge without --yes */
	RVT_REFUSED(t, rvt_run(t, 0, cmd_purge, "purge", "--closed-before", "1/1/2199", NULL));
	RVT_ERR_HAS(t, "--yes");
	RVT_REFUSED(t, rvt_run(t, 0, cmd_purge, "purge", "--closed-before", "1/1/2199", "--yes",
			   "--dry-run", NULL));
	/* --dry-run: listed, nothing changed (not even the audit log) */
	{
		uint8_t before[CC_HASH_BYTES], after[CC_HASH_BYTES];
		rvt_dump_hash(t->cbpath, before);
		out = rvt_capture(t, 0, &rc, cmd_purge, "purge", "--closed-before=1/1/2199",
		    "--dry-run");
		assert_int_equal(rc, 0);
		assert_non_null(strstr(out, f->id));
		assert_non_null(strstr(out, "1 case would be purged"));
		free(out);
		rvt_dump_hash(t->cbpath, after);
		assert_memory_equal(before, after, CC_HASH_BYTES);
	}
	/* dd/mm/yyyy, as the register import reads it */
	out = rvt_capture(t, 0, &rc, cmd_purge, "purge", "--closed-before=1/1/2199", "--yes");
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, f->id));
	assert_non_null(strstr(out, "purged 1 case closed before 2199-01-01"));
	free(out);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concerns WHERE purged=1"), 1);
	out = rvt_capture(t, 0, &rc, cmd_audit, "audit", NULL, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "1 case closed before 2199-01-01"));
	assert_null(strstr(out, "1 cases"));
	free(out);
	/* again: nothing left to purge, said so, exit 0 */
	out = rvt_capture(t, 0, &rc, cmd_purge, "purge", "--closed-before=2199-01-01", "--yes");
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "nothing to purge"));
	free(out);
}

/* Imports one follow-up to record 1 (f->id) and returns import's stdout. */
static char *
followup(struct fx *f, const char *name, const char *text)
{
	struct rvt_rec r;
	char b[RVT_PATH], *out;
	int rc;

	rvt_message(&r, 1, 1, text);
	rvt_path(f->t, b, name);
	rvt_bundle(f->t, b, &r, 1);
	rvt_rec_free(&r);
	out = rvt_capture(f->t, 0, &rc, cmd_import, "import", b, NULL);
	assert_int_equal(rc, 0);
	return out;
}

/* A message on an open case is not marked; on a closed case import names
 * it, list marks it (table, csv, json) and show shows it; after a purge
 * too. */
static void
test_new_message_on_closed_case(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	char line[64], *out;
	int rc;

	snprintf(line, sizeof(line), "%s: new message on a closed case", f->id);
	out = followup(f, "b2", "Open-case-followup.");
	assert_null(strstr(out, "new message on a closed case"));
	free(out);
	out = rvt_capture(t, 0, &rc, cmd_list, "list", NULL, NULL);
	assert_null(strstr(out, "NEW-MESSAGE-CLOSED"));
	free(out);
	assert_int_equal(rvt_run(t, 0, cmd_outcome, "outcome", f->id, "withdrawn", "--summary",
			     "w", NULL),
	    0);
	assert_int_equal(rvt_run(t, 0, cmd_case_status, "status", f->id, "closed", NULL), 0);
	out = followup(f, "b3", "Wombat-after-close: it is happening again.");
	assert_non_null(strstr(out, line));
	free(out);
	out = rvt_capture(t, 0, &rc, cmd_list, "list", NULL, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "NEW-MESSAGE-CLOSED"));
	free(out);
	out = rvt_capture(t, 0, &rc, cmd_list, "list", "--format", "csv");
	assert_non_null(strstr(out, "\"NEW-MESSAGE-CLOSED"));
	free(out);
	out = rvt_capture(t, 0, &rc, cmd_list, "list", "--format", "json");
	assert_non_null(strstr(out, "\"marks\":\"NEW-MESSAGE-CLOSED"));
	free(out);
	out = rvt_capture(t, 0, &rc, cmd_show, "show", f->id, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "!! 1 NEW MESSAGE from the reporter after the case was closed"));
	assert_non_null(strstr(out, "Wombat-after-close"));
	assert_non_null(strstr(out, "(NEW: after the case was closed)"));
	/* the message before closing is not marked new */
	assert_int_equal(
	    rvt_count(t->cbpath, "SELECT count(*) FROM messages WHERE after_close=1"), 1);
	free(out);
	/* purged, then another message: still named and shown */
	assert_int_equal(
	    rvt_run(t, 0, cmd_purge, "purge", "--closed-before", "2199-01-01", "--yes", NULL), 0);
	out = followup(f, "b4", "Numbat-after-purge: please reopen.");
	assert_non_null(strstr(out, line));
	free(out);
	out = rvt_capture(t, 0, &rc, cmd_show, "show", f->id, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "purged"));
	assert_non_null(strstr(out, "Numbat-after-purge"));
	assert_null(strstr(out, "Wombat-after-close")); /* purged with the case */
	free(out);
}

/* show leaves out empty answers and wraps long lines to the width
 * ($COLUMNS here: no terminal in a test). */
static void
test_show_wraps_and_skips_empty(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	/* Its own variable: clang's -Wstring-concatenation reads two adjacent
	 * literals inside an array initialiser as a missing comma. */
	static const char what[] =
	    "Word word word word word word word word word word word word word word word word"
	    " word word word word word word word word word word word word word word end.";
	const char *kv[] = {"category", "recording", "team", "", "what", what,
	    "when", "  ", "risk", "no"};
	struct rvt_rec r;
	char b[RVT_PATH], id[CB_ID_CHARS + 1], *out, *p;
	int rc;

	memset(&r, 0, sizeof(r));
	r.kind = BREC_CONCERN;
	r.mask = 1;
	rvt_fields(FIELDS_CONCERN, kv, 5, NULL, 0, &r.body, &r.bodylen);
	r.reporter = sodium_malloc(sizeof(struct cc_boxkey));
	assert_non_null(r.reporter);
	crypto_box_keypair(r.reporter->pk, r.reporter->sk);
	rvt_path(t, b, "b2");
	rvt_bundle(t, b, &r, 1);
	rvt_rec_free(&r);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b, NULL), 0);
	rvt_id_of(t, 4, id);
	setenv("COLUMNS", "40", 1);
	out = rvt_capture(t, 0, &rc, cmd_show, "show", id, NULL);
	unsetenv("COLUMNS");
	assert_int_equal(rc, 0);
	assert_null(strstr(out, "Team or area"));
	assert_null(strstr(out, "Roughly when"));
	assert_non_null(strstr(out, "Category: recording"));
	assert_non_null(strstr(out, "end."));
	/* every line of the text fits in 40 columns */
	for (p = strstr(out, "What happened"); p != NULL && *p != '\0';) {
		size_t n = strcspn(p, "\n");
		if (n > 40)
			fail_msg("line over 40 columns: %.*s", (int)n, p);
		p += n + (p[n] == '\n');
	}
	free(out);
	/* without a width, not wrapped */
	out = rvt_capture(t, 0, &rc, cmd_show, "show", id, NULL);
	assert_non_null(strstr(out, "word word word word word word word word word word word"));
	free(out);
}

/* A second reviewer added with `reviewer add` opens the same casebook. */
static void
test_reviewer_add_opens(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;

	RVT_REFUSED(t, rvt_run(t, 1, cmd_list, "list", NULL));
	assert_int_equal(rvt_run(t, 0, cmd_reviewer, "reviewer", "add", t->pub[1], NULL), 0);
	assert_int_equal(rvt_run(t, 1, cmd_list, "list", NULL), 0);
	/* bob is not among the concern's recipients: he cannot show its text
	 * or work on it */
	char *out;
	int rc;
	out = rvt_capture(t, 1, &rc, cmd_show, "show", f->id, NULL);
	assert_int_equal(rc, 0);
	assert_null(strstr(out, "Zebra"));
	free(out);
	RVT_REFUSED(t, rvt_run(t, 1, cmd_note, "note", f->id, "from bob", NULL));
	/* the concern sealed to bob only opens for him and he can work on it */
	RVT_REFUSED(t, rvt_run(t, 1, cmd_note, "note", f->other, "from bob", NULL));
	assert_int_equal(rvt_run(t, 1, cmd_import, "import", NULL), 0);
	assert_int_equal(rvt_run(t, 1, cmd_note, "note", f->other, "from bob", NULL), 0);
	assert_int_equal(rvt_run(t, 1, cmd_case_status, "status", f->other, "acknowledged", NULL), 0);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_note, "note", f->other, "from alice", NULL));
}

/* The targets of the items of a reply bundle, as a bit mask (1 << seq). */
static unsigned
bundle_targets(struct rvt *t, const char *path, int signer)
{
	struct bundle_r *r = NULL;
	unsigned mask = 0;

	assert_int_equal(bundle_r_open(path, &r), 0);
	assert_int_equal(bundle_r_verify(r, t->who[signer]->pub.sign_pk), 0);
	for (uint64_t i = 0; i < bundle_r_info(r)->nitems; i++) {
		struct bitem it;
		uint8_t *env = NULL;
		size_t envlen = 0;
		assert_int_equal(bundle_r_item(r, i, &it, &env, &envlen), 0);
		assert_true(it.target_seq < 32);
		mask |= 1u << it.target_seq;
		free(env);
	}
	bundle_r_close(r);
	return mask;
}

/* Issue 9 item 1, review side: export-replies signs only items for
 * concerns the signing reviewer can read. bob, who holds the casebook key
 * but was left out of concern 1 (alice's), plants a well-tagged row that
 * closes it: his own export leaves it out and never marks it sent. bob's
 * pending work on his own concern is likewise left out of alice's export,
 * for him to send. */
static void
test_export_replies_unreadable_left_out(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	struct casebook *cb = NULL;
	const char *why = NULL;
	char out[RVT_PATH];

	assert_int_equal(rvt_run(t, 0, cmd_reviewer, "reviewer", "add", t->pub[1], NULL), 0);
	assert_int_equal(rvt_run(t, 1, cmd_import, "import", NULL), 0);
	assert_int_equal(rvt_run(t, 1, cmd_case_status, "status", f->other, "acknowledged", NULL), 0);
	/* the planted row: tagged under the casebook key, as the tool would */
	assert_int_equal(cb_open(t->cbpath, t->who[1], &cb, &why), 0);
	assert_int_equal(cb_begin(cb), 0);
	assert_int_equal(
	    cb_outbox_add(cb, f->id, 1, BITEM_STATUS, BSTATE_CLOSED, BOUT_NFA, NULL, 0), 0);
	assert_int_equal(cb_commit(cb), 0);
	cb_close(cb);

	/* bob signs only his own concern's item */
	rvt_path(t, out, "bob.bundle");
	assert_int_equal(
	    rvt_run(t, 1, cmd_export_replies, "export-replies", "--out", out, NULL), 0);
	assert_int_equal(bundle_targets(t, out, 1), 1u << 2);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM outbox WHERE exported=0"), 1);
	/* again: nothing he can sign is pending, so no bundle */
	rvt_path(t, out, "bob2.bundle");
	assert_int_equal(
	    rvt_run(t, 1, cmd_export_replies, "export-replies", "--out", out, NULL), 0);
	assert_int_equal(access(out, F_OK), -1);

	/* alice can read concern 1 and signs for it; her reply goes with it */
	assert_int_equal(rvt_run(t, 0, cmd_reply, "reply", f->id, SECRET_REPLY, NULL), 0);
	assert_int_equal(rvt_run(t, 1, cmd_reply, "reply", f->other, "from bob", NULL), 0);
	rvt_path(t, out, "alice.bundle");
	assert_int_equal(
	    rvt_run(t, 0, cmd_export_replies, "export-replies", "--out", out, NULL), 0);
	assert_int_equal(bundle_targets(t, out, 0), 1u << 1);
	/* bob's reply to his concern waits for him */
	assert_int_equal(
	    rvt_count(t->cbpath, "SELECT count(*) FROM outbox WHERE exported=0 AND target_seq=2"),
	    1);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM outbox WHERE exported=0"), 1);
}

/* Changes the casebook file behind the tool's back, as someone holding
 * the file (but no key) could. */
static void
edit_casebook(struct rvt *t, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(t->cbpath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* Someone with the file edits the clear columns to attack the reviewer's
 * terminal: nothing raw reaches the output. */
static void
test_edited_clear_columns_not_printed_raw(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	char *out;
	int rc;

	edit_casebook(t, "UPDATE concerns SET category=char(27)||'[2J evil';"
			 " UPDATE reviewers SET added_by=char(27)||']0;title'||char(7);");
	out = rvt_capture(t, 0, &rc, cmd_list, "list", NULL, NULL);
	assert_int_equal(rc, 0);
	assert_null(strchr(out, 0x1b));
	assert_non_null(strstr(out, "\\u{001B}[2J evil"));
	free(out);
	out = rvt_capture(t, 0, &rc, cmd_reviewer, "reviewer", "list", NULL);
	assert_int_equal(rc, 0);
	assert_null(strchr(out, 0x1b));
	assert_null(strchr(out, 0x07));
	free(out);
	/* show refuses a concern whose clear columns are not what was written */
	out = rvt_capture(t, 0, &rc, cmd_show, "show", f->id, NULL);
	assert_int_not_equal(rc, 0);
	assert_null(strchr(out, 0x1b));
	free(out);
}

/* The same for the clear columns of notes, messages, replies and the
 * audit log: show and audit print them, so an edited one must not reach
 * the terminal raw either. */
static void
test_edited_note_and_audit_columns_not_printed_raw(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	char *out;
	int rc;

	assert_int_equal(rvt_run(t, 0, cmd_note, "note", f->id, SECRET_NOTE, NULL), 0);
	edit_casebook(t, "UPDATE notes SET author=char(27)||']0;pwned'||char(7),"
			 " date=char(27)||'[2J';"
			 " UPDATE messages SET date=char(27)||'[31m';"
			 " UPDATE audit SET time=char(27)||'[1;1H' WHERE n=1;");
	out = rvt_capture(t, 0, &rc, cmd_show, "show", f->id, NULL);
	assert_null(strchr(out, 0x1b));
	assert_null(strchr(out, 0x07));
	free(out);
	out = rvt_capture(t, 0, &rc, cmd_audit, "audit", NULL, NULL);
	assert_null(strchr(out, 0x1b));
	free(out);
}

/* search prints the concern id of a matching note; notes are sealed to
 * their row, not to their concern, so an edited id must not come out raw. */
static void
test_edited_concern_id_not_printed_raw_by_search(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	char sql[512], *out;
	int rc;

	assert_int_equal(rvt_run(t, 0, cmd_note, "note", f->id, SECRET_NOTE, NULL), 0);
	snprintf(sql, sizeof(sql),
	    "PRAGMA foreign_keys=OFF;"
	    " UPDATE concerns SET id=char(27)||']0;pwned'||char(7) WHERE id='%s';"
	    " UPDATE notes SET concern_id=char(27)||']0;pwned'||char(7);",
	    f->id);
	edit_casebook(t, sql);
	out = rvt_capture(t, 0, &rc, cmd_search, "search", "Quokka-note", NULL);
	assert_null(strchr(out, 0x1b));
	assert_null(strchr(out, 0x07));
	free(out);
}

/* An editor that leaves a backup or swap file next to the reply (vi's
 * reply.txt~, .reply.txt.swp) must not leave the reply's plaintext on
 * disk: the private directory is emptied and removed. */
static void
test_editor_leftovers_removed(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	char tmp[RVT_PATH], ed[RVT_PATH];
	static const char script[] = "#!/bin/sh\n"
				     "printf 'Editor-reply text\\n' > \"$1\"\n"
				     "cp \"$1\" \"$1~\"\n"
				     "cp \"$1\" \"$(dirname \"$1\")/.reply.txt.swp\"\n";
	DIR *d;
	struct dirent *e;
	int left = 0;

	rvt_path(t, tmp, "edtmp");
	rvt_path(t, ed, "editor.sh");
	assert_int_equal(mkdir(tmp, 0700), 0);
	rvt_write(ed, script, strlen(script), 0700);
	setenv("TMPDIR", tmp, 1);
	setenv("EDITOR", ed, 1);
	assert_int_equal(rvt_run(t, 0, cmd_reply, "reply", f->id, NULL), 0);
	unsetenv("EDITOR");
	unsetenv("TMPDIR");
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM replies"), 1);
	assert_non_null(d = opendir(tmp));
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			left++;
	closedir(d);
	assert_int_equal(left, 0);
}

/* export-replies signs what the outbox holds: a row someone added or
 * changed in the file (a forged "reply" sealed to the reporter's public
 * key, a changed state) must be refused, not signed and sent. */
static void
test_edited_outbox_refused(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	static const char *const edits[] = {
	    "INSERT INTO outbox(item_id, concern_id, target_seq, type, state, outcome, date, env)"
	    " SELECT randomblob(16), concern_id, target_seq, type, state, outcome, date, env"
	    " FROM outbox LIMIT 1",
	    "UPDATE outbox SET state=4",
	    /* two replies: the first is given the second's envelope */
	    ("UPDATE outbox SET env=(SELECT env FROM outbox WHERE env IS NOT NULL"
	     " ORDER BY rowid DESC LIMIT 1)"), /* () : one element, for clang */
	};

	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		char out[RVT_PATH], name[32];

		assert_int_equal(rvt_run(t, 0, cmd_reply, "reply", f->id, SECRET_REPLY, NULL), 0);
		if (i == 2)
			assert_int_equal(
			    rvt_run(t, 0, cmd_reply, "reply", f->id, "another reply", NULL), 0);
		assert_int_equal(rvt_run(t, 0, cmd_case_status, "status", f->id,
				     i == 0   ? "acknowledged"
				     : i == 1 ? "investigating"
					      : "received",
				     NULL),
		    i == 2 ? 1 : 0);
		edit_casebook(t, edits[i]);
		snprintf(name, sizeof(name), "edited-%zu", i);
		rvt_path(t, out, name);
		RVT_REFUSED(
		    t, rvt_run(t, 0, cmd_export_replies, "export-replies", "--out", out, NULL));
		assert_int_equal(access(out, F_OK), -1);
		/* the next round starts from a clean outbox */
		edit_casebook(t, "DELETE FROM outbox");
	}
}

/* The reviewers' outcome summary goes to the reporter only when they
 * chose --share-with-reporter: the flag is a clear column, so flipping it
 * in the file must not make closing send the private summary. */
static void
test_edited_share_flag_refused(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;

	assert_int_equal(rvt_run(t, 0, cmd_case_status, "status", f->id, "investigating", NULL), 0);
	assert_int_equal(rvt_run(t, 0, cmd_outcome, "outcome", f->id, "substantiated", "--summary",
			     SECRET_SUM, NULL),
	    0);
	edit_casebook(t, "UPDATE concerns SET share_summary=1");
	RVT_REFUSED(t, rvt_run(t, 0, cmd_case_status, "status", f->id, "closed", NULL));
	assert_int_equal(
	    rvt_count(t->cbpath, "SELECT count(*) FROM outbox WHERE env IS NOT NULL AND type=1"),
	    0);
}

/* Replies are sealed to the reporter key held in the concern row, a
 * clear column: replaced in the file, it must not receive the reply. */
static void
test_edited_reporter_key_refused(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;

	edit_casebook(t, "UPDATE concerns SET reporter_pk=randomblob(32)");
	RVT_REFUSED(t, rvt_run(t, 0, cmd_reply, "reply", f->id, SECRET_REPLY, NULL));
}

/* A note (or message, reply, attachment) is sealed to its row and its
 * concern: moved to another concern in the file, it does not open there. */
static void
test_note_moved_to_other_concern_does_not_open(void **state)
{
	struct fx *f = *state;
	struct rvt *t = f->t;
	char sql[256], *out;
	int rc;

	assert_int_equal(rvt_run(t, 0, cmd_reviewer, "reviewer", "add", t->pub[1], NULL), 0);
	assert_int_equal(rvt_run(t, 1, cmd_import, "import", NULL), 0); /* bob opens his */
	assert_int_equal(rvt_run(t, 0, cmd_note, "note", f->id, SECRET_NOTE, NULL), 0);
	out = rvt_capture(t, 1, &rc, cmd_show, "show", f->other, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "bob only"));
	free(out);
	snprintf(sql, sizeof(sql),
	    "UPDATE notes SET concern_id='%s'; UPDATE messages SET concern_id='%s';"
	    " UPDATE attachments SET concern_id='%s';",
	    f->other, f->other, f->other);
	edit_casebook(t, sql);
	out = rvt_capture(t, 1, &rc, cmd_show, "show", f->other, NULL);
	assert_non_null(strstr(out, "bob only"));
	assert_null(strstr(out, SECRET_NOTE));
	assert_null(strstr(out, SECRET_MSG));
	assert_null(strstr(out, SECRET_NAME));
	free(out);
}

struct pieces {
	int n[5];
	int saw_ref, saw_what, saw_msg;
};

static int
piece(void *ctx, int kind, const char *text, size_t len)
{
	struct pieces *p = ctx;

	assert_true(kind >= CB_TEXT_REF && kind <= CB_TEXT_MESSAGE);
	assert_int_equal(strlen(text), len);
	p->n[kind]++;
	if (kind == CB_TEXT_REF && strcmp(text, SECRET_REF) == 0)
		p->saw_ref = 1;
	if (kind == CB_TEXT_WHAT && strcmp(text, SECRET_WHAT) == 0)
		p->saw_what = 1;
	if (kind == CB_TEXT_MESSAGE && strcmp(text, SECRET_MSG) == 0)
		p->saw_msg = 1;
	return 0;
}

static int
stop_at_first(void *ctx, int kind, const char *text, size_t len)
{
	(void)kind, (void)text, (void)len;
	(*(int *)ctx)++;
	return -1;
}

/* The text the referral module extracts from: every piece, with kinds. */
static void
test_concern_text_for_referrals(void **state)
{
	struct fx *f = *state;
	struct casebook *cb = NULL;
	struct pieces p;
	const char *why;
	int calls = 0;

	assert_int_equal(cb_open(f->t->cbpath, f->t->who[0], &cb, &why), 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(cb_concern_text(cb, f->id, piece, &p), 0);
	assert_true(p.saw_ref && p.saw_what && p.saw_msg);
	assert_int_equal(p.n[CB_TEXT_REF], 1);
	assert_int_equal(p.n[CB_TEXT_WHAT], 1);
	assert_int_equal(p.n[CB_TEXT_RAISED], 1);
	assert_int_equal(p.n[CB_TEXT_MESSAGE], 1);
	/* unreadable here: nothing, and no error */
	memset(&p, 0, sizeof(p));
	assert_int_equal(cb_concern_text(cb, f->other, piece, &p), 0);
	assert_int_equal(p.n[1] + p.n[2] + p.n[3] + p.n[4], 0);
	/* unknown id, malformed id, callback stopping */
	assert_int_equal(cb_concern_text(cb, "ZZZZZZZZ", piece, &p), -1);
	assert_int_equal(cb_concern_text(cb, "nope", piece, &p), -1);
	assert_int_equal(cb_concern_text(cb, f->id, stop_at_first, &calls), -1);
	assert_int_equal(calls, 1);
	assert_int_equal(cb_concern_exists(cb, f->id), 1);
	assert_int_equal(cb_concern_exists(cb, "ZZZZZZZZ"), 0);
	cb_close(cb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_forward_path, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_close_without_outcome_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_backwards_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_closed_is_final, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_arguments_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_note_assign, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_assign_needs_reader, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_concern_id_forms, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_purge_confirm_and_dates, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_new_message_on_closed_case, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_show_wraps_and_skips_empty, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_export_replies, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_export_replies_unreadable_left_out, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_show_and_search, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_attachment, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_formats, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_overdue_marks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stolen_casebook, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_purge, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reviewer_add_opens, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_concern_text_for_referrals, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_edited_clear_columns_not_printed_raw, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_edited_note_and_audit_columns_not_printed_raw, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_edited_concern_id_not_printed_raw_by_search, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_editor_leftovers_removed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_edited_outbox_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_edited_share_flag_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_edited_reporter_key_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_note_moved_to_other_concern_does_not_open, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
