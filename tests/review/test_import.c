/* import: chain continuity, signatures, readable/unreadable, bad bundles. */
#include "tests/review/rvtest.h"
#include "bundle/bundle_fmt.h"
#include "review/cb_internal.h"

/* The actions import refusals end with (review/cb_import.c). */
#define EXPORT_AGAIN "export again from the intake and import that bundle"
#define ASK_ADMIN                                                                                  \
	"nothing imported; keep this bundle and ask the intake's administrator whether the"      \
	" intake was restored from a backup or replaced: its history is not the one this"        \
	" casebook holds"

/* Two concerns (one to both, one to bob only) and a follow-up. */
static void
first_bundle(struct rvt *t, const char *path)
{
	struct rvt_rec r[3];
	static const uint8_t pdf[] = "%PDF-1.4 minutes of the strategy meeting";

	rvt_concern(&r[0], 3, "referral not actioned", "Police referral REF/2026/00423 was binned.",
	    "REF/2026/00423", NULL);
	rvt_attach(&r[0], "minutes.pdf", "application/pdf", pdf, sizeof(pdf) - 1);
	rvt_concern(&r[1], 2, "recording", "Only bob may read this.", NULL, NULL);
	rvt_message(&r[2], 3, 1, "More: the manager said to close it.");
	rvt_bundle(t, path, r, 3);
	for (int i = 0; i < 3; i++)
		rvt_rec_free(&r[i]);
}

/* The next bundle of the chain: one concern to alice. */
static void
next_bundle(struct rvt *t, const char *path, const char *what)
{
	struct rvt_rec r;

	rvt_concern(&r, 1, "other", what, NULL, NULL);
	rvt_bundle(t, path, &r, 1);
	rvt_rec_free(&r);
}

static void
test_import_counts(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH];

	rvt_path(t, b1, "b1");
	first_bundle(t, b1);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b1, NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records"), 3);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concerns"), 2);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concerns WHERE readable=1"), 1);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concerns WHERE readable=0"), 1);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM messages WHERE readable=1"), 1);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM attachments"), 1);
	/* the unreadable concern is kept as the intake sealed it */
	assert_true(rvt_count(t->cbpath, "SELECT count(*) FROM sealed_envs WHERE seq=2") >= 1);
	/* ids are random, not the sequence number */
	char id[CB_ID_CHARS + 1];
	rvt_id_of(t, 1, id);
	assert_int_equal(strlen(id), CB_ID_CHARS);
	assert_string_not_equal(id, "00000001");
}

/* Bob's own casebook, same bundle: the other concern is readable there
 * and the counts reconcile between the two casebooks. */
static void
test_two_reviewers_reconcile(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH], alice_cb[RVT_PATH];

	rvt_path(t, b1, "b1");
	first_bundle(t, b1);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b1, NULL), 0);
	snprintf(alice_cb, sizeof(alice_cb), "%s", t->cbpath);
	rvt_path(t, t->cbpath, "bob.db");
	assert_int_equal(rvt_run(t, 1, cmd_init, "init", "--intake-key", t->ipub, NULL), 0);
	assert_int_equal(rvt_run(t, 1, cmd_import, "import", b1, NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concerns WHERE readable=1"), 2);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records"),
	    rvt_count(alice_cb, "SELECT count(*) FROM records"));
	assert_int_equal(rvt_count(alice_cb, "SELECT count(*) FROM records WHERE readable=1") +
			     rvt_count(alice_cb, "SELECT count(*) FROM records WHERE readable=0"),
	    3);
	assert_int_equal(rvt_count(alice_cb, "SELECT count(*) FROM records WHERE readable=0"), 1);
}

static void
test_next_bundle_continues(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH], b2[RVT_PATH];

	rvt_path(t, b1, "b1");
	rvt_path(t, b2, "b2");
	first_bundle(t, b1);
	next_bundle(t, b2, "Second bundle.");
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b1, NULL), 0);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b2, NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records"), 4);
}

static void
test_gap_refused(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH], b2[RVT_PATH], b3[RVT_PATH];

	rvt_path(t, b1, "b1");
	rvt_path(t, b2, "b2");
	rvt_path(t, b3, "b3");
	first_bundle(t, b1);
	next_bundle(t, b2, "skipped");
	next_bundle(t, b3, "after the gap");
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b1, NULL), 0);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", b3, NULL)); /* 4 missing */
	RVT_ERR_ENDS(t, "nothing imported; export again with `candour-intake export --since 3`"
			" and import that bundle");
}

static void
test_gap_first_bundle_refused(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH], b2[RVT_PATH];

	rvt_path(t, b1, "b1");
	rvt_path(t, b2, "b2");
	first_bundle(t, b1);
	next_bundle(t, b2, "later");
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", b2, NULL));
	RVT_ERR_ENDS(t, "--since 0` and import that bundle");
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records"), 0);
}

/* The same export again ("export everything" with nothing new): nothing
 * is imported twice, and it says so instead of failing. */
static void
test_replay_is_nothing_new(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH], *out;
	int rc;

	rvt_path(t, b1, "b1");
	first_bundle(t, b1);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b1, NULL), 0);
	out = rvt_capture(t, 0, &rc, cmd_import, "import", b1, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "records 1-3 were already held"));
	assert_non_null(strstr(out, "nothing new"));
	free(out);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records"), 3);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concerns"), 2);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM messages"), 1);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM attachments"), 1);
}

/* Five records whose first three the casebook holds already. */
static void
five_records(struct rvt_rec r[5])
{
	rvt_concern(&r[0], 1, "referral not actioned", "One.", "REF/2026/00423", NULL);
	rvt_concern(&r[1], 3, "recording", "Two.", NULL, NULL);
	rvt_message(&r[2], 1, 1, "Three: a follow-up.");
	rvt_concern(&r[3], 1, "other", "Four.", NULL, NULL);
	rvt_message(&r[4], 1, 2, "Five: a follow-up.");
}

/* Records 1-5 into a casebook holding 1-3, the same records: 4 and 5 are
 * imported, 1-3 counted as held. */
static void
test_overlap_imports_the_new(void **state)
{
	struct rvt *t = *state;
	struct rvt_rec r[5];
	uint8_t genesis[CC_HASH_BYTES];
	char a[RVT_PATH], b[RVT_PATH], *out;
	int rc;

	cc_chain_genesis(genesis);
	five_records(r);
	rvt_path(t, a, "a");
	rvt_path(t, b, "b");
	rvt_bundle_ex(t, a, 1, genesis, r, 3, NULL, NULL, 0);
	rvt_bundle_ex(t, b, 1, genesis, r, 5, NULL, NULL, 1);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", a, NULL), 0);
	out = rvt_capture(t, 0, &rc, cmd_import, "import", b, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "records 1-3 were already held"));
	assert_non_null(strstr(out, "imported records 4-5"));
	assert_non_null(strstr(out, "casebook holds 5 records"));
	free(out);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records"), 5);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concerns"), 3);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM messages"), 2);
	out = rvt_capture(t, 0, &rc, cmd_audit, "audit", NULL, NULL);
	assert_non_null(strstr(out, "records 4-5"));
	assert_non_null(strstr(out, "3 already held"));
	free(out);
	/* and the next export continues from 5 */
	next_bundle(t, a, "Six.");
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", a, NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records"), 6);
	for (int i = 0; i < 5; i++)
		rvt_rec_free(&r[i]);
}

/* An overlap whose held part differs is refused whole, naming the record:
 * a changed record 2 (same chain start), and a changed record 3 (the last
 * overlapping one, whose link alone differs). */
static void
test_overlap_changed_record_refused(void **state)
{
	struct rvt *t = *state;
	struct rvt_rec r[5], other;
	uint8_t genesis[CC_HASH_BYTES];
	char a[RVT_PATH], b[RVT_PATH];

	cc_chain_genesis(genesis);
	five_records(r);
	rvt_path(t, a, "a");
	rvt_path(t, b, "b");
	rvt_bundle_ex(t, a, 1, genesis, r, 3, NULL, NULL, 0);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", a, NULL), 0);
	other = r[1];
	rvt_concern(&r[1], 3, "recording", "Two, rewritten.", NULL, NULL);
	rvt_bundle_ex(t, b, 1, genesis, r, 5, NULL, NULL, 0);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", b, NULL));
	RVT_ERR_HAS(t, "record 2 of the bundle differs");
	RVT_ERR_ENDS(t, ASK_ADMIN);
	rvt_rec_free(&r[1]);
	r[1] = other;
	other = r[2];
	rvt_message(&r[2], 1, 1, "Three, rewritten.");
	rvt_bundle_ex(t, b, 1, genesis, r, 5, NULL, NULL, 0);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", b, NULL));
	RVT_ERR_HAS(t, "record 3 of the bundle differs");
	RVT_ERR_ENDS(t, ASK_ADMIN);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records"), 3);
	rvt_rec_free(&other);
	for (int i = 0; i < 5; i++)
		rvt_rec_free(&r[i]);
}

/* A second history from the same point: same seq numbers, other records. */
static void
test_fork_refused(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH], b2[RVT_PATH], fork[RVT_PATH];
	uint8_t genesis[CC_HASH_BYTES], mid[CC_HASH_BYTES];
	uint64_t midseq;
	struct rvt_rec r;

	rvt_path(t, b1, "b1");
	rvt_path(t, b2, "b2");
	rvt_path(t, fork, "fork");
	cc_chain_genesis(genesis);
	first_bundle(t, b1);
	midseq = t->seq;
	memcpy(mid, t->link, CC_HASH_BYTES);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b1, NULL), 0);
	/* fork at record 1: a rewritten history */
	rvt_concern(&r, 1, "other", "rewritten history", NULL, NULL);
	rvt_bundle_ex(t, fork, 1, genesis, &r, 1, NULL, NULL, 0);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", fork, NULL));
	RVT_ERR_ENDS(t, ASK_ADMIN);
	/* fork after the head: seq 4 but chained from a different link */
	unlink(fork);
	uint8_t other[CC_HASH_BYTES];
	memset(other, 0x5a, sizeof(other));
	rvt_bundle_ex(t, fork, midseq + 1, other, &r, 1, NULL, NULL, 0);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", fork, NULL));
	RVT_ERR_ENDS(t, ASK_ADMIN);
	/* the true continuation still imports */
	rvt_bundle_ex(t, b2, midseq + 1, mid, &r, 1, NULL, NULL, 1);
	rvt_rec_free(&r);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b2, NULL), 0);
}

static void
test_other_intake_refused(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH];
	uint8_t pk[CC_SIGN_PK], *sk = sodium_malloc(CC_SIGN_SK);
	struct rvt_rec r;

	assert_int_equal(cc_signkey_generate(pk, sk), CC_OK);
	rvt_path(t, b1, "b1");
	rvt_concern(&r, 1, "other", "from an impostor", NULL, NULL);
	rvt_bundle_ex(t, b1, 1, t->link, &r, 1, sk, pk, 0);
	rvt_rec_free(&r);
	sodium_free(sk);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", b1, NULL));
	RVT_ERR_HAS(t, "nothing imported; import only exports of the intake this casebook is"
		       " pinned to; if it is one, keep this file");
	RVT_ERR_ENDS(t, EXPORT_AGAIN);
}

/* Every kind of damage to the file: flipped bytes across the file, and
 * truncations. */
static void
test_corrupt_and_truncated_refused(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH], bad[RVT_PATH];
	uint8_t *buf = NULL, *copy;
	size_t len = 0;

	rvt_path(t, b1, "b1");
	rvt_path(t, bad, "bad");
	first_bundle(t, b1);
	assert_int_equal(util_read_file(b1, UTIL_FILE_MAX, &buf, &len), 0);
	copy = malloc(len);
	assert_non_null(copy);
	for (size_t off = 0; off < len; off += len / 13 + 1) {
		memcpy(copy, buf, len);
		copy[off] ^= 0x01;
		rvt_write(bad, copy, len, 0600);
		RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", bad, NULL));
		RVT_ERR_ENDS(t, EXPORT_AGAIN);
	}
	size_t cuts[] = {0, 1, 16, len / 2, len - 1};
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		rvt_write(bad, buf, cuts[i], 0600);
		RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", bad, NULL));
		RVT_ERR_ENDS(t, "nothing imported; copy the bundle again (a copy may be cut short)"
				" or " EXPORT_AGAIN);
	}
	free(copy);
	free(buf);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b1, NULL), 0);
}

static void
test_wrong_passphrase_refused(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH];

	rvt_path(t, b1, "b1");
	first_bundle(t, b1);
	setenv("CANDOUR_PASSPHRASE_FILE", t->badpass, 1);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", b1, NULL));
	setenv("CANDOUR_PASSPHRASE_FILE", t->pass, 1);
}

/* bob is not a reviewer of alice's casebook */
static void
test_wrong_key_refused(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH];

	rvt_path(t, b1, "b1");
	first_bundle(t, b1);
	RVT_REFUSED(t, rvt_run(t, 1, cmd_import, "import", b1, NULL));
}

static void
test_not_a_bundle_refused(void **state)
{
	struct rvt *t = *state;
	char p[RVT_PATH];

	rvt_path(t, p, "junk");
	rvt_write(p, "not a bundle at all\n", 20, 0600);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", p, NULL));
	RVT_ERR_ENDS(t, "or " EXPORT_AGAIN);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", "/nonexistent/bundle", NULL));
	RVT_ERR_ENDS(t, "/nonexistent/bundle: no such file; give the path of a bundle written by"
			" `candour-intake export`");
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", t->cbpath, NULL)); /* an SQLite file */
	RVT_ERR_ENDS(t, "or " EXPORT_AGAIN);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", p, p, NULL));
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", "--bogus", p, NULL));
}

/* An envelope the intake sealed badly (plaintext not a concern) is kept
 * as unreadable ("malformed") rather than blocking the chain. */
static void
test_malformed_plaintext_kept_unreadable(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH];
	struct rvt_rec r;

	rvt_path(t, b1, "b1");
	rvt_concern(&r, 1, "other", "x", NULL, NULL);
	free(r.body);
	r.body = (uint8_t *)strdup("candour-concern-v1\nwhat 99\nshort\n--\n");
	r.bodylen = strlen((char *)r.body);
	rvt_bundle(t, b1, &r, 1);
	rvt_rec_free(&r);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b1, NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concerns WHERE readable=0 AND"
					      " category='malformed'"),
	    1);
	/* show says what is wrong: it was sealed to alice, not to others */
	char id[CB_ID_CHARS + 1], *out;
	int rc;
	rvt_id_of(t, 1, id);
	out = rvt_capture(t, 0, &rc, cmd_show, "show", id, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "malformed"));
	assert_null(strstr(out, "sealed to other reviewers"));
	free(out);
}

/* A reply bundle is not an export. */
static void
test_reply_bundle_refused(void **state)
{
	struct rvt *t = *state;
	char p[RVT_PATH];
	struct bundle_w *w = NULL;

	rvt_path(t, p, "replies");
	assert_int_equal(bundle_w_create(p, BUNDLE_REPLIES, 0, NULL, t->ipk, &w), 0);
	assert_int_equal(bundle_w_commit(w, t->isk, t->ipk), 0);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", p, NULL));
	RVT_ERR_ENDS(t, "this is a reply bundle, not an intake export; nothing imported; a reply"
			" bundle goes to `candour-intake import-replies`; import an export of the"
			" intake here");
}

/* A shared casebook: alice imports a concern sealed to bob only (kept
 * unreadable); once bob is a reviewer of the casebook, his import opens
 * it, its follow-up and attachment; alice still cannot read it. */
static void
test_kept_records_opened_for_their_reviewer(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH], id[CB_ID_CHARS + 1], *out;
	struct rvt_rec r[2];
	int rc;

	rvt_path(t, b1, "b1");
	rvt_concern(&r[0], 2, "recording", "Bob-only-sentence about the duty team.", NULL, NULL);
	rvt_attach(&r[0], "bob.txt", "text/plain", (const uint8_t *)"bob file", 8);
	rvt_message(&r[1], 2, 1, "Bob-only-followup.");
	rvt_bundle(t, b1, r, 2);
	rvt_rec_free(&r[0]);
	rvt_rec_free(&r[1]);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b1, NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records WHERE readable=0"), 2);
	/* alice's own import pass opens nothing: not sealed to her */
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records WHERE readable=0"), 2);
	assert_int_equal(rvt_run(t, 0, cmd_reviewer, "reviewer", "add", t->pub[1], NULL), 0);
	assert_int_equal(rvt_run(t, 1, cmd_import, "import", NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records WHERE readable=0"), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM sealed_envs"), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM attachments"), 1);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concerns WHERE"
					      " category='recording'"),
	    1);
	rvt_id_of(t, 1, id);
	out = rvt_capture(t, 1, &rc, cmd_show, "show", id, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "Bob-only-sentence"));
	assert_non_null(strstr(out, "Bob-only-followup."));
	assert_non_null(strstr(out, "bob.txt"));
	free(out);
	out = rvt_capture(t, 0, &rc, cmd_show, "show", id, NULL);
	assert_int_equal(rc, 0);
	assert_null(strstr(out, "Bob-only"));
	free(out);
	/* a second pass has nothing left to open and changes nothing but the audit log */
	assert_int_equal(rvt_run(t, 1, cmd_import, "import", NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM attachments"), 1);
}

/* The third record is bad (a concern whose envelope is of another kind):
 * the import stops there and the first two, already written in the same
 * transaction, are rolled back with it. */
static void
test_failure_midway_rolls_back(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH], why[512];
	struct rvt_rec r[3];
	struct cb_import_res res;
	struct casebook *cb = NULL;
	const char *w = NULL;

	rvt_path(t, b1, "b1");
	rvt_concern(&r[0], 1, "other", "first", NULL, NULL);
	rvt_concern(&r[1], 1, "other", "second", NULL, NULL);
	rvt_concern(&r[2], 1, "other", "third", NULL, NULL);
	r[2].env_kind = CC_KIND_ATTACHMENT;
	rvt_bundle(t, b1, r, 3);
	for (int i = 0; i < 3; i++)
		rvt_rec_free(&r[i]);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", b1, NULL));
	RVT_ERR_HAS(t, "record 3: ");
	RVT_ERR_HAS(t, "nothing imported; " EXPORT_AGAIN);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records"), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concerns"), 0);
	/* the desk's path: the same refusal, as the record's (its page says
	 * "export again"), not the disk's */
	assert_int_equal(cb_open(t->cbpath, t->who[0], &cb, &w), 0);
	memset(&res, 0, sizeof(res));
	assert_int_not_equal(cb_import(cb, b1, &res, why, sizeof(why)), 0);
	assert_int_equal(res.refused, CB_IMP_RECORD);
	assert_int_equal(res.refused_at, 3);
	assert_non_null(strstr(why, EXPORT_AGAIN));
	cb_close(cb);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records"), 0);
}

/* A bundle whose every record would store, with its attachment, follow-up
 * and references, but whose signature is bad (its last byte), or whose
 * last envelope was changed after signing (the signature, over every
 * byte, is what fails), leaves the casebook exactly as it was, and the
 * signature is the reason given. The intact bundle then imports. */
/* b1 from first_bundle, and bad: b1 with the last byte of its signature
 * flipped (*buf holds bad's bytes, for more damage). */
static void
first_and_unsigned(struct rvt *t, char *b1, char *bad, uint8_t **buf, size_t *len)
{
	rvt_path(t, b1, "b1");
	rvt_path(t, bad, "bad");
	first_bundle(t, b1);
	assert_int_equal(util_read_file(b1, UTIL_FILE_MAX, buf, len), 0);
	(*buf)[*len - 1] ^= 0x20;
	rvt_write(bad, *buf, *len, 0600);
}

static void
test_bad_signature_at_end_rolls_back(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH], bad[RVT_PATH];
	uint8_t *buf = NULL;
	size_t len = 0;

	first_and_unsigned(t, b1, bad, &buf, &len);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", bad, NULL));
	RVT_ERR_HAS(t, "signature does not verify");
	RVT_ERR_HAS(t, "nothing imported");
	buf[len - 1] ^= 0x20;
	/* the last envelope's last byte (before the trailer: no confirmed ids) */
	buf[len - BFMT_TRAILER_BYTES - 1] ^= 0x01;
	rvt_write(bad, buf, len, 0600);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", bad, NULL));
	RVT_ERR_HAS(t, "signature does not verify");
	free(buf);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concerns"), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM ref_links"), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concern_keys"), 0);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b1, NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records"), 3);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM ref_links"), 1);
	/* the links' index the import dropped and built again is there */
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM sqlite_master WHERE type="
					      "'index' AND name='ref_links_by_idx'"),
	    1);
}

/* What cb_import_shown told its progress function: every record of the
 * bundle once, in order, while verifying; then every new record once
 * while storing, never before verifying ended. */
struct told {
	uint64_t done[2], total[2];
	int calls[2], out_of_order;
};

static void
told_progress(void *ctx, int stage, uint64_t done, uint64_t total)
{
	struct told *k = ctx;

	assert_true(stage == CB_IMPORT_VERIFY || stage == CB_IMPORT_STORE);
	if (stage == CB_IMPORT_VERIFY && k->calls[CB_IMPORT_STORE] > 0)
		k->out_of_order = 1;
	if (done != k->done[stage] + 1 || done > total ||
	    (k->calls[stage] > 0 && total != k->total[stage]))
		k->out_of_order = 1;
	k->done[stage] = done, k->total[stage] = total;
	k->calls[stage]++;
}

static void
test_import_progress_told(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH], bad[RVT_PATH], why[512];
	struct told k = {0};
	struct cb_import_progress pg = {told_progress, &k};
	struct cb_import_res res;
	struct casebook *cb = NULL;
	const char *w = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;

	/* a bad signature: verifying told of every record, storing of none */
	first_and_unsigned(t, b1, bad, &buf, &len);
	free(buf);
	assert_int_equal(cb_open(t->cbpath, t->who[0], &cb, &w), 0);
	assert_int_not_equal(cb_import_shown(cb, bad, &res, why, sizeof(why), &pg), 0);
	assert_non_null(strstr(why, "signature does not verify"));
	assert_int_equal(k.calls[CB_IMPORT_VERIFY], 3);
	assert_int_equal(k.total[CB_IMPORT_VERIFY], 3);
	assert_int_equal(k.calls[CB_IMPORT_STORE], 0);
	assert_int_equal(k.out_of_order, 0);
	/* the good bundle: 3 checked, then 3 stored, each once and in order */
	memset(&k, 0, sizeof(k));
	assert_int_equal(cb_import_shown(cb, b1, &res, why, sizeof(why), &pg), 0);
	assert_int_equal(k.calls[CB_IMPORT_VERIFY], 3);
	assert_int_equal(k.done[CB_IMPORT_VERIFY], 3);
	assert_int_equal(k.calls[CB_IMPORT_STORE], 3);
	assert_int_equal(k.done[CB_IMPORT_STORE], 3);
	assert_int_equal(k.total[CB_IMPORT_STORE], 3);
	assert_int_equal(k.out_of_order, 0);
	/* the same bundle again: checked, nothing new to store */
	memset(&k, 0, sizeof(k));
	assert_int_equal(cb_import_shown(cb, b1, &res, why, sizeof(why), &pg), 0);
	assert_int_equal(k.calls[CB_IMPORT_VERIFY], 3);
	assert_int_equal(k.calls[CB_IMPORT_STORE], 0);
	/* and none asked for: none told (cb_import, the desk's path) */
	assert_int_equal(cb_import(cb, b1, &res, why, sizeof(why)), 0);
	cb_close(cb);
}

/* A body envelope whose entry for this reviewer is damaged (the key id is
 * hers, the sealed content key does not open): not "sealed to others" but
 * an envelope that fails authentication, so the import is refused and
 * nothing is stored. A second record sealed to bob only is the control
 * for "sealed to others", which imports. */
static void
test_tampered_envelope_refused(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH], b2[RVT_PATH];
	struct rvt_rec r;
	uint8_t g[CC_HASH_BYTES];

	rvt_path(t, b1, "b1");
	rvt_concern(&r, 1, "other", "Pangolin-tampered", NULL, NULL);
	rvt_seal(t, 1, CC_KIND_CONCERN, r.body, r.bodylen, &r.env[0], &r.envlen[0]);
	assert_memory_equal(r.env[0] + 12, t->who[0]->pub.keyid, CC_KEYID_BYTES);
	r.env[0][12 + CC_KEYID_BYTES + 40] ^= 1; /* inside alice's sealed key */
	randombytes_buf(r.lookup, sizeof(r.lookup));
	r.sealed = 1;
	cc_chain_genesis(g);
	rvt_bundle_ex(t, b1, 1, g, &r, 1, NULL, NULL, 0);
	RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", b1, NULL));
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concerns"), 0);
	rvt_rec_free(&r);
	/* control: the same record sealed to bob only is imported as his */
	rvt_path(t, b2, "b2");
	rvt_concern(&r, 2, "other", "Pangolin-for-bob", NULL, NULL);
	rvt_bundle(t, b2, &r, 1);
	rvt_rec_free(&r);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b2, NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM concerns"), 1);
}

/* An attachment that opens to something that is not an attachment is kept
 * sealed; the record, its good attachment and the chain still import. */
static void
test_bad_attachment_kept(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH], id[CB_ID_CHARS + 1], *out;
	struct rvt_rec r;
	int rc;

	rvt_path(t, b1, "b1");
	rvt_concern(&r, 3, "other", "Two files attached.", NULL, NULL);
	rvt_attach(&r, "good.txt", "text/plain", (const uint8_t *)"good", 4);
	rvt_attach(&r, "bad.txt", "text/plain", (const uint8_t *)"x", 1);
	free(r.att[1]);
	r.att[1] = (uint8_t *)strdup("not a fields header at all");
	r.attlen[1] = strlen((char *)r.att[1]);
	rvt_bundle(t, b1, &r, 1);
	rvt_rec_free(&r);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b1, NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records WHERE readable=1"), 1);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM attachments"), 1);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(DISTINCT idx) FROM sealed_envs"), 1);
	rvt_id_of(t, 1, id);
	out = rvt_capture(t, 0, &rc, cmd_show, "show", id, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "good.txt"));
	assert_non_null(strstr(out, "could not be opened as an attachment"));
	free(out);
	/* the same for a reviewer who opens it later from the kept copy */
	rvt_path(t, t->cbpath, "shared.db");
	assert_int_equal(rvt_run(t, 0, cmd_init, "init", "--intake-key", t->ipub, NULL), 0);
	assert_int_equal(rvt_run(t, 0, cmd_reviewer, "reviewer", "add", t->pub[1], NULL), 0);
	rvt_path(t, b1, "b2");
	rvt_concern(&r, 2, "other", "Bob only, two files.", NULL, NULL);
	rvt_attach(&r, "good.txt", "text/plain", (const uint8_t *)"good", 4);
	rvt_attach(&r, "bad.txt", "text/plain", (const uint8_t *)"x", 1);
	free(r.att[1]);
	r.att[1] = (uint8_t *)strdup("garbage");
	r.attlen[1] = 7;
	rvt_bundle_ex(t, b1, 1, (const uint8_t[CC_HASH_BYTES]){0}, &r, 1, NULL, NULL, 0);
	rvt_rec_free(&r);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b1, NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(DISTINCT idx) FROM sealed_envs"), 3);
	assert_int_equal(rvt_run(t, 1, cmd_import, "import", NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records WHERE readable=1"), 1);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM attachments"), 1);
	assert_int_equal(
	    rvt_count(t->cbpath, "SELECT group_concat(DISTINCT idx) FROM sealed_envs"), 2);
}

/* ---- envelope hashes checked as the import reads them ----------------- */

/* first_bundle's records, kept (with their envelopes) for the damage. */
static void
first_records(struct rvt *t, const char *path, struct rvt_rec r[3])
{
	static const uint8_t pdf[] = "%PDF-1.4 minutes of the strategy meeting";

	rvt_concern(&r[0], 3, "referral not actioned", "Police referral REF/2026/00423 was binned.",
	    "REF/2026/00423", NULL);
	rvt_attach(&r[0], "minutes.pdf", "application/pdf", pdf, sizeof(pdf) - 1);
	rvt_concern(&r[1], 2, "recording", "Only bob may read this.", NULL, NULL);
	rvt_message(&r[2], 3, 1, "More: the manager said to close it.");
	rvt_bundle(t, path, r, 3);
}

/* Offset in an export's bytes of record k's (0-based) length word, or with
 * env >= 0 of its envelope env's first byte (after the length word). */
static size_t
bundle_off(const uint8_t *buf, unsigned k, int env)
{
	size_t off = BFMT_HDR_BYTES;

	for (unsigned i = 0;; i++) {
		uint32_t blen = bfmt_ld32(buf + off);
		unsigned nenv = bfmt_ld16(buf + off + 4 + BREC_FIXED - 2);
		if (i == k && env < 0)
			return off;
		off += 4 + blen + CC_HASH_BYTES;
		for (unsigned j = 0; j < nenv; j++) {
			if (i == k && (int)j == env)
				return off + 8;
			off += 8 + bfmt_ld64(buf + off);
		}
	}
}

/* Signs changed bytes again with the test intake's key, as an intake that
 * wrote them would have. */
static void
resign_export(struct rvt *t, uint8_t *buf, size_t len)
{
	uint8_t h[CC_HASH_BYTES];

	cc_hash(buf, len - BFMT_TRAILER_BYTES, h);
	assert_int_equal(cc_sign_hash(t->isk, CC_SIG_EXPORT, h, buf + len - CC_SIG_BYTES), CC_OK);
}

/* A bundle the intake signed whose envelope is not the one its record
 * hashes (a faulty or compromised intake): the signature, the structure
 * and the chain verify, so only the import's own check of each envelope
 * as it reads it can see it (bundle_r_verify leaves that to the reads).
 * Record 1's body flipped and swapped for another valid envelope of the
 * same length (which opens: only the hash tells), its attachment swapped
 * likewise (it streams, opens and parses before its hash is known), bob's
 * record 2 (kept unread) and the follow-up flipped: each is refused, the
 * reason named, the casebook left as it was; the intact bundle imports. */
static void
test_signed_envelope_mismatch_refused(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH], bad[RVT_PATH], rec[32];
	struct rvt_rec r[3];
	struct bundle_r *rd;
	uint8_t *buf = NULL, *copy, *alt[2];
	size_t len = 0, altlen[2];
	static const struct {
		unsigned rec;
		int env, swap;
	} v[] = {{0, 0, 0}, {0, 0, 1}, {0, 1, 1}, {0, 1, 0}, {1, 0, 0}, {2, 0, 0}};

	rvt_path(t, b1, "b1");
	rvt_path(t, bad, "bad");
	first_records(t, b1, r);
	rvt_seal(t, 3, CC_KIND_CONCERN, r[0].body, r[0].bodylen, &alt[0], &altlen[0]);
	rvt_seal(t, 3, CC_KIND_ATTACHMENT, r[0].att[0], r[0].attlen[0], &alt[1], &altlen[1]);
	assert_int_equal(util_read_file(b1, UTIL_FILE_MAX, &buf, &len), 0);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t off = bundle_off(buf, v[i].rec, v[i].env);
		size_t elen = r[v[i].rec].envlen[v[i].env];
		assert_memory_equal(buf + off, r[v[i].rec].env[v[i].env], elen);
		copy = malloc(len);
		assert_non_null(copy);
		memcpy(copy, buf, len);
		if (v[i].swap) {
			assert_int_equal(altlen[v[i].env], elen);
			memcpy(copy + off, alt[v[i].env], elen);
		} else
			copy[off + elen / 2] ^= 0x10;
		resign_export(t, copy, len);
		rvt_write(bad, copy, len, 0600);
		free(copy);
		assert_int_equal(bundle_r_open(bad, &rd), 0);
		assert_int_equal(bundle_r_verify(rd, t->ipk), 0);
		bundle_r_close(rd);
		RVT_REFUSED(t, rvt_run(t, 0, cmd_import, "import", bad, NULL));
		snprintf(rec, sizeof(rec), "record %u: ", v[i].rec + 1);
		RVT_ERR_HAS(t, rec);
		RVT_ERR_HAS(t, "does not match the hash its record gives");
		RVT_ERR_ENDS(t, "nothing imported; " EXPORT_AGAIN);
	}
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records"), 0);
	assert_int_equal(rvt_run(t, 0, cmd_import, "import", b1, NULL), 0);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records"), 3);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM attachments"), 1);
	free(alt[0]);
	free(alt[1]);
	free(buf);
	for (int i = 0; i < 3; i++)
		rvt_rec_free(&r[i]);
}

/* What to change in the bundle on disk, and when: at the progress call of
 * stage with done == at (after verify has checked the signature over the
 * bytes, or after records were stored); bytes at off xored with x, or set
 * to put (n of them) when put is not NULL. */
struct change {
	const char *path;
	int stage;
	uint64_t at;
	size_t off, n;
	uint8_t x;
	const uint8_t *put;
	int done;
};

static void
change_on_disk(void *ctx, int stage, uint64_t done, uint64_t total)
{
	struct change *c = ctx;
	uint8_t *b;
	int fd;

	(void)total;
	if (c->done || stage != c->stage || done != c->at)
		return;
	b = malloc(c->n);
	assert_non_null(b);
	fd = open(c->path, O_RDWR | O_CLOEXEC);
	assert_true(fd >= 0);
	if (c->put != NULL)
		memcpy(b, c->put, c->n);
	else {
		assert_int_equal(pread(fd, b, c->n, (off_t)c->off), (ssize_t)c->n);
		for (size_t i = 0; i < c->n; i++)
			b[i] ^= c->x;
	}
	/* in place: the same inode the import has open */
	assert_int_equal(pwrite(fd, b, c->n, (off_t)c->off), (ssize_t)c->n);
	assert_int_equal(close(fd), 0);
	free(b);
	c->done = 1;
}

/* A bundle changed on disk after the import verified it (the file on a
 * shared or removable disk; the offline machine's own TOCTOU): the store
 * pass uses only bytes it has checked against the record verify chained
 * (each record against verify's digest of its body and link, each
 * envelope against its record's hash), so the import is refused and
 * nothing of it stays, also when records were already stored in the
 * transaction. Changes once verify has read everything: record 1's
 * attachment swapped for another valid one, a byte of record 1's
 * reporter key (the record stays well formed); once record 1 is stored:
 * the follow-up's envelope, record 2's chain link and its date. The
 * bundle put back imports. */
static void
test_changed_after_verify_refused(void **state)
{
	struct rvt *t = *state;
	char b1[RVT_PATH], why[512];
	struct rvt_rec r[3];
	struct cb_import_res res;
	struct casebook *cb = NULL;
	const char *w = NULL;
	uint8_t *buf = NULL, *alt, before[CC_HASH_BYTES], after[CC_HASH_BYTES];
	size_t len = 0, altlen;

	rvt_path(t, b1, "b1");
	first_records(t, b1, r);
	rvt_seal(t, 3, CC_KIND_ATTACHMENT, r[0].att[0], r[0].attlen[0], &alt, &altlen);
	assert_int_equal(altlen, r[0].envlen[1]);
	assert_int_equal(util_read_file(b1, UTIL_FILE_MAX, &buf, &len), 0);
	size_t r2 = bundle_off(buf, 1, -1), r2len = bfmt_ld32(buf + r2);
	struct change v[] = {
	    {b1, CB_IMPORT_VERIFY, 3, bundle_off(buf, 0, 1), altlen, 0, alt, 0},
	    {b1, CB_IMPORT_VERIFY, 3, bundle_off(buf, 0, -1) + 4 + 39 + 5, 1, 0x01, NULL, 0},
	    {b1, CB_IMPORT_STORE, 1, bundle_off(buf, 2, 0) + 100, 1, 0x04, NULL, 0},
	    {b1, CB_IMPORT_STORE, 1, r2 + 4 + r2len + 7, 1, 0x80, NULL, 0},
	    {b1, CB_IMPORT_STORE, 1, r2 + 4 + 4 + 1 + 9, 1, 0x01, NULL, 0}, /* 2020-01-02 */
	};
	const char *reason[] = {"does not match the hash its record gives",
	    "changed on disk after its signature was checked",
	    "does not match the hash its record gives",
	    "changed on disk after its signature was checked",
	    "changed on disk after its signature was checked"};
	const char *recno[] = {
	    "record 1: ", "record 1: ", "record 3: ", "record 2: ", "record 2: "};

	assert_int_equal(cb_open(t->cbpath, t->who[0], &cb, &w), 0);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct cb_import_progress pg = {change_on_disk, &v[i]};
		rvt_write(b1, buf, len, 0600);
		rvt_dump_hash(t->cbpath, before);
		assert_int_not_equal(cb_import_shown(cb, b1, &res, why, sizeof(why), &pg), 0);
		assert_true(v[i].done);
		rvt_dump_hash(t->cbpath, after);
		assert_memory_equal(before, after, CC_HASH_BYTES);
		assert_non_null(strstr(why, recno[i]));
		assert_non_null(strstr(why, reason[i]));
		assert_non_null(strstr(why, "nothing imported"));
		assert_true(strlen(why) > strlen(EXPORT_AGAIN));
		assert_string_equal(why + strlen(why) - strlen(EXPORT_AGAIN), EXPORT_AGAIN);
	}
	/* the same bundle, left alone, imports whole */
	rvt_write(b1, buf, len, 0600);
	assert_int_equal(cb_import(cb, b1, &res, why, sizeof(why)), 0);
	cb_close(cb);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM records"), 3);
	assert_int_equal(rvt_count(t->cbpath, "SELECT count(*) FROM attachments"), 1);
	free(alt);
	free(buf);
	for (int i = 0; i < 3; i++)
		rvt_rec_free(&r[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_import_counts, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_signature_at_end_rolls_back, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_import_progress_told, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_signed_envelope_mismatch_refused, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_changed_after_verify_refused, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_two_reviewers_reconcile, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_next_bundle_continues, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_gap_refused, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_gap_first_bundle_refused, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_replay_is_nothing_new, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_overlap_imports_the_new, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_overlap_changed_record_refused, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_fork_refused, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_other_intake_refused, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_corrupt_and_truncated_refused, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_passphrase_refused, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_key_refused, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_not_a_bundle_refused, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(
		test_malformed_plaintext_kept_unreadable, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_reply_bundle_refused, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_failure_midway_rolls_back, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_tampered_envelope_refused, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_attachment_kept, rvt_setup, rvt_teardown),
	    cmocka_unit_test_setup_teardown(
		test_kept_records_opened_for_their_reviewer, rvt_setup, rvt_teardown),
	};
	/* the refusals are compared in English, whatever LANG the run has */
	cli_lang_set("en");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
