/* Library-level round trip through the real commands: concerns stored by
 * the store process -> cmd_export -> verify and decrypt with a reviewer
 * key -> replies bundle -> cmd_import_replies -> the reporter reads the
 * reply with the receipt. Plus every refusal on the way. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "tests/intake/store_helpers.h"
#include "util/util.h"

static char dir[] = "/tmp/candour-test-export.XXXXXX";
static char dbpath[300], keysdir[300];
static struct cc_seckey *alice, *bob, *mallory;
static uint8_t intake_pk[CC_SIGN_PK];
static struct cc_boxkey *reporter;
static uint8_t lookup[CC_HASH_BYTES];
static uint8_t attachment[300000];
static const char concern_text[] = "Police referral 2019/0423 was closed without the child seen.\n"
				   "Nobody held a strategy meeting.";
static const char message_text[] = "I forgot to say: it happened again in March.";

static void
pathf(char *buf, size_t len, const char *name)
{
	assert_true(snprintf(buf, len, "%s/%s", dir, name) < (int)len);
}

static int
run(int (*cmd)(int, char **), const char *a0, ...)
{
	char *argv[16];
	int argc = 0;
	va_list ap;

	argv[argc++] = (char *)a0;
	va_start(ap, a0);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	fflush(stdout);
	return cmd(argc, argv);
}

/* run() with what the command writes to stderr caught in err. */
static int
run_err(char *err, size_t errlen, int (*cmd)(int, char **), const char *a0, ...)
{
	char *argv[16];
	int argc = 0, saved, rc;
	FILE *tmp = tmpfile();
	va_list ap;

	assert_non_null(tmp);
	argv[argc++] = (char *)a0;
	va_start(ap, a0);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	fflush(stdout);
	fflush(stderr);
	saved = dup(2);
	assert_true(saved >= 0 && dup2(fileno(tmp), 2) == 2);
	rc = cmd(argc, argv);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	rewind(tmp);
	size_t n = fread(err, 1, errlen - 1, tmp);
	err[n] = '\0';
	fclose(tmp);
	return rc;
}

static void
recipient_of(const struct cc_seckey *k, struct cc_recipient *r)
{
	cc_recipient_of(&k->pub, r);
}

/* Fields sealed to alice, or to alice and bob when both. */
static uint64_t
upload_fields_to(struct tstore *t, const char *magic, const char *text, int kind, int both)
{
	struct field f;
	struct cc_recipient r[2];
	uint8_t *pt, *env;
	size_t ptlen, envlen;

	memset(&f, 0, sizeof(f));
	snprintf(f.name, sizeof(f.name), "text");
	f.val = (const uint8_t *)text;
	f.len = strlen(text);
	assert_int_equal(fields_encode(magic, &f, 1, &pt, &ptlen), 0);
	recipient_of(alice, &r[0]);
	recipient_of(bob, &r[1]);
	assert_int_equal(cc_env_seal(kind, r, both ? 2 : 1, pt, ptlen, &env, &envlen), 0);
	uint64_t h = tstore_upload(t, env, envlen);
	free(pt);
	free(env);
	return h;
}

static uint64_t
upload_fields(struct tstore *t, const char *magic, const char *text, int kind)
{
	return upload_fields_to(t, magic, text, kind, 0);
}

struct up_sink {
	struct tstore *t;
	uint64_t h;
};

static int
up_sink(void *ctx, const uint8_t *buf, size_t len)
{
	struct up_sink *u = ctx;
	return storec_upload_data(u->t->c, u->h, buf, len) == 0 ? 0 : -1;
}

/* Streams the attachment through an envelope writer into the store. */
static uint64_t
upload_attachment(struct tstore *t)
{
	struct cc_recipient r[2];
	struct cc_env_writer *w;
	struct up_sink u = {t, 0};
	uint64_t len;
	uint8_t hash[CC_HASH_BYTES];

	recipient_of(alice, &r[0]);
	recipient_of(bob, &r[1]);
	assert_int_equal(storec_upload_begin(t->c, &u.h), 0);
	assert_int_equal(cc_env_writer_new(CC_KIND_ATTACHMENT, r, 2, up_sink, &u, &w), 0);
	for (size_t off = 0; off < sizeof(attachment); off += 7000) {
		size_t n = sizeof(attachment) - off < 7000 ? sizeof(attachment) - off : 7000;
		assert_int_equal(cc_env_writer_update(w, attachment + off, n), 0);
	}
	assert_int_equal(cc_env_writer_finish(w), 0);
	assert_int_equal(storec_upload_end(t->c, u.h, &len, hash), 0);
	return u.h;
}

static int
setup(void **state)
{
	char path[512], line[CC_PUBLINE_MAX];
	struct tstore t;
	struct cc_rcpt_params p;
	struct store_commit sc;
	char rc[CC_RCPT_CHARS + 1];
	uint8_t tag[CC_HASH_BYTES], link[CC_HASH_BYTES], *sk;
	uint64_t seq;
	(void)state;

	setenv(STORE_KDF_ENV, "min", 1);
	setenv(STORE_KDF_TEST_ENV, "1", 1);
	if (cc_init() != 0 || mkdtemp(dir) == NULL)
		return -1;
	pathf(dbpath, sizeof(dbpath), "intake.db");
	pathf(keysdir, sizeof(keysdir), "keys");
	mkdir(keysdir, 0700);
	if (cc_keypair_generate("alice", &alice) != 0 || cc_keypair_generate("bob", &bob) != 0 ||
	    cc_keypair_generate("mallory", &mallory) != 0)
		return -1;
	const struct cc_seckey *pubs[2] = {alice, bob};
	for (int i = 0; i < 2; i++) {
		if (snprintf(path, sizeof(path), "%s/%s.pub", keysdir, pubs[i]->pub.name) >=
			(int)sizeof(path) ||
		    cc_pubkey_format(&pubs[i]->pub, line, sizeof(line)) != 0 ||
		    util_write_file(path, line, strlen(line), 0644, 1) != 0)
			return -1;
	}
	/* what serve does first: the signing key, then the store */
	sk = sodium_malloc(CC_SIGN_SK);
	if (intake_signkey_load(dbpath, intake_pk, sk, 1) != 0)
		return -1;
	sodium_free(sk);
	tstore_start(&t, dbpath, 0, 0);
	if (storec_params(t.c, &p) != 0 || cc_rcpt_generate(rc) != 0)
		return -1;
	reporter = sodium_malloc(sizeof(*reporter));
	if (cc_rcpt_derive(rc, &p, tag, reporter) != 0)
		return -1;
	cc_rcpt_lookup(tag, lookup);
	randombytes_buf(attachment, sizeof(attachment));

	memset(&sc, 0, sizeof(sc));
	memcpy(sc.reporter_pk, reporter->pk, CC_BOX_PK);
	memcpy(sc.lookup, lookup, CC_HASH_BYTES);
	sc.rcpt_ops = p.opslimit, sc.rcpt_mem = p.memlimit;
	sc.nhandles = 2;
	sc.handles[0] = upload_fields(&t, FIELDS_CONCERN, concern_text, CC_KIND_CONCERN);
	sc.handles[1] = upload_attachment(&t);
	if (storec_commit(t.c, &sc, &seq, link) != 0 || seq != 1)
		return -1;
	memset(&sc, 0, sizeof(sc));
	sc.parent_lookup = lookup;
	sc.nhandles = 1;
	sc.handles[0] = upload_fields(&t, FIELDS_MESSAGE, message_text, CC_KIND_MESSAGE);
	if (storec_commit(t.c, &sc, &seq, link) != 0 || seq != 2)
		return -1;
	tstore_stop(&t);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[400];
	(void)state;
	cc_seckey_free(alice);
	cc_seckey_free(bob);
	cc_seckey_free(mallory);
	sodium_free(reporter);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

struct cmp_sink {
	const uint8_t *want;
	size_t len, off;
};

static int
cmp_sink(void *ctx, const uint8_t *buf, size_t len)
{
	struct cmp_sink *c = ctx;
	if (len > c->len - c->off || memcmp(c->want + c->off, buf, len) != 0)
		return -1;
	c->off += len;
	return 0;
}

static int
feed(void *ctx, const uint8_t *buf, size_t len)
{
	return cc_env_reader_update(ctx, buf, len) == 0 ? 0 : -1;
}

static void
read_text(struct bundle_r *r, uint64_t seq, const char *magic, const char *want)
{
	uint8_t *env, *pt;
	size_t envlen, ptlen, n, off;
	struct field f[4];
	int kind;

	assert_int_equal(bundle_r_env_read(r, seq, 0, &env, &envlen), 0);
	assert_int_equal(cc_env_open(&alice->box, env, envlen, &pt, &ptlen, &kind), 0);
	assert_int_equal(fields_decode(pt, ptlen, magic, f, 4, &n, &off), 0);
	const struct field *t = fields_get(f, n, "text");
	assert_non_null(t);
	assert_int_equal(t->len, strlen(want));
	assert_memory_equal(t->val, want, t->len);
	cc_free_wipe(pt, ptlen);
	free(env);
}

static void
test_export_decrypt(void **state)
{
	char out[320];
	struct bundle_r *r;
	struct brec rec;
	uint8_t link[CC_HASH_BYTES];
	(void)state;

	pathf(out, sizeof(out), "all.bundle");
	assert_int_equal(run(cmd_export, "export", "--db", dbpath, "--out", out, NULL), 0);
	/* never overwritten */
	assert_int_equal(run(cmd_export, "export", "--db", dbpath, "--out", out, NULL), 1);
	assert_int_equal(bundle_r_open(out, &r), 0);
	assert_int_equal(bundle_r_info(r)->kind, BUNDLE_EXPORT);
	assert_int_equal(bundle_r_info(r)->from_seq, 1);
	assert_int_equal(bundle_r_info(r)->to_seq, 2);
	assert_int_equal(bundle_r_verify(r, alice->pub.sign_pk), BUNDLE_ESIG);
	assert_int_equal(bundle_r_verify(r, intake_pk), 0);
	assert_int_equal(bundle_r_record(r, 1, &rec, link), 0);
	assert_int_equal(rec.kind, BREC_CONCERN);
	assert_memory_equal(rec.lookup, lookup, CC_HASH_BYTES);
	assert_memory_equal(rec.reporter_pk, reporter->pk, CC_BOX_PK);
	assert_int_equal(rec.nenv, 2);
	read_text(r, 1, FIELDS_CONCERN, concern_text);
	read_text(r, 2, FIELDS_MESSAGE, message_text);
	/* the attachment, streamed and decrypted by the second reviewer */
	struct cmp_sink cs = {attachment, sizeof(attachment), 0};
	struct cc_env_reader *er;
	int kind;
	assert_int_equal(cc_env_reader_new(&bob->box, cmp_sink, &cs, &er), 0);
	assert_int_equal(bundle_r_env_stream(r, 1, 1, feed, er), 0);
	assert_int_equal(cc_env_reader_finish(er, &kind), 0);
	assert_int_equal(kind, CC_KIND_ATTACHMENT);
	assert_int_equal(cs.off, sizeof(attachment));
	/* alice cannot read the message as bob's, and bob not alice's text */
	uint8_t *env, *pt;
	size_t envlen, ptlen;
	assert_int_equal(bundle_r_env_read(r, 2, 0, &env, &envlen), 0);
	assert_int_equal(cc_env_open(&bob->box, env, envlen, &pt, &ptlen, &kind), CC_ENOTRECIPIENT);
	free(env);
	bundle_r_close(r);

	/* --since: only what follows, chained from the casebook's head */
	pathf(out, sizeof(out), "since1.bundle");
	assert_int_equal(
	    run(cmd_export, "export", "--db", dbpath, "--since", "1", "--out", out, NULL), 0);
	assert_int_equal(bundle_r_open(out, &r), 0);
	assert_int_equal(bundle_r_info(r)->from_seq, 2);
	assert_memory_equal(bundle_r_info(r)->prev_link, link, CC_HASH_BYTES);
	assert_int_equal(bundle_r_verify(r, intake_pk), 0);
	bundle_r_close(r);
	pathf(out, sizeof(out), "since2.bundle");
	assert_int_equal(
	    run(cmd_export, "export", "--db", dbpath, "--since", "2", "--out", out, NULL), 0);
	pathf(out, sizeof(out), "since3.bundle");
	char err3[600];
	assert_int_equal(run_err(err3, sizeof(err3), cmd_export, "export", "--db", dbpath,
			     "--since", "3", "--out", out, NULL),
	    1);
	if (strstr(err3, "--since 3 is past the last record (2)") == NULL)
		fail_msg("since 3: %s", err3);
	assert_int_equal(access(out, F_OK), -1);
	assert_int_equal(
	    run(cmd_export, "export", "--db", dbpath, "--since", "-1", "--out", out, NULL), 2);
	assert_int_equal(
	    run(cmd_export, "export", "--db", dbpath, "--since", "1x", "--out", out, NULL), 2);
	assert_int_equal(run(cmd_export, "export", "--db", dbpath, NULL), 2);
	assert_int_equal(run(cmd_export, "export", "--out", out, NULL), 2);
	/* a --db that names no file is a usage error; one there that is not
	 * an intake database fails (1) */
	assert_int_equal(
	    run(cmd_export, "export", "--db", "/nonexistent/x.db", "--out", out, NULL), 2);
	char notdb[320];
	pathf(notdb, sizeof(notdb), "all.bundle");
	pathf(out, sizeof(out), "notdb.bundle");
	assert_int_equal(run(cmd_export, "export", "--db", notdb, "--out", out, NULL), 1);
	assert_int_equal(access(out, F_OK), -1);
	assert_int_equal(run(cmd_export, "export", "--help", NULL), 0);
}

static void
test_export_tampered(void **state)
{
	char out[320], bad[320];
	uint8_t *buf;
	size_t len;
	struct bundle_r *r;
	(void)state;

	pathf(out, sizeof(out), "t.bundle");
	assert_int_equal(run(cmd_export, "export", "--db", dbpath, "--out", out, NULL), 0);
	assert_int_equal(util_read_file(out, UTIL_FILE_MAX, &buf, &len), 0);
	/* one byte inside the concern's envelope, one in the attachment, one
	 * in a record, one in the signature */
	size_t where[4] = {400, len / 2, 180, len - 10};
	for (int i = 0; i < 4; i++) {
		buf[where[i]] ^= 0x20;
		pathf(bad, sizeof(bad), "t-bad.bundle");
		unlink(bad);
		assert_int_equal(util_write_file(bad, buf, len, 0600, 1), 0);
		int rc = bundle_r_open(bad, &r);
		if (rc == 0) {
			rc = bundle_r_verify(r, intake_pk);
			bundle_r_close(r);
		}
		assert_int_not_equal(rc, 0);
		buf[where[i]] ^= 0x20;
	}
	free(buf);
}

/* A replies bundle from signer, for intake target, with the given items. */
static void
write_replies(const char *path, const struct cc_seckey *signer, const uint8_t target[CC_SIGN_PK],
    const struct bitem *items, uint8_t *const *envs, const size_t *lens, int n)
{
	struct bundle_w *w;

	unlink(path);
	assert_int_equal(bundle_w_create(path, BUNDLE_REPLIES, 0, NULL, target, &w), 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(bundle_w_item(w, &items[i], envs[i], lens[i]), 0);
	assert_int_equal(bundle_w_commit(w, signer->sign_sk, signer->pub.sign_pk), 0);
}

static void
mk_reply(struct bitem *it, uint8_t **env, size_t *len, const uint8_t *to_pk, const char *text,
    uint64_t target)
{
	struct cc_recipient r;

	memset(it, 0, sizeof(*it));
	randombytes_buf(it->id, sizeof(it->id));
	it->target_seq = target;
	it->type = BITEM_REPLY;
	memcpy(it->date, "2026-11-25", 11);
	cc_keyid(to_pk, r.keyid);
	memcpy(r.pk, to_pk, CC_BOX_PK);
	assert_int_equal(
	    cc_env_seal(CC_KIND_REPLY, &r, 1, (const uint8_t *)text, strlen(text), env, len), 0);
	it->has_env = 1;
	it->env.len = *len;
	cc_hash(*env, *len, it->env.hash);
}

static void
mk_status(struct bitem *it, int state, uint64_t target)
{
	memset(it, 0, sizeof(*it));
	randombytes_buf(it->id, sizeof(it->id));
	it->target_seq = target;
	it->type = BITEM_STATUS;
	it->state = (uint8_t)state;
	memcpy(it->date, "2026-11-25", 11);
}

/* What a store view says about a concern, with a fresh store. */
static void
view_of(const uint8_t look[CC_HASH_BYTES], struct store_view *v)
{
	struct tstore t;

	tstore_start(&t, dbpath, 0, 0);
	assert_int_equal(storec_fetch(t.c, look, v), 0);
	tstore_stop(&t);
}

static void
view(struct store_view *v)
{
	view_of(lookup, v);
}

static void
test_import_replies(void **state)
{
	char in[320];
	struct bitem it[2];
	uint8_t *envs[2] = {NULL, NULL}, other[CC_SIGN_PK];
	size_t lens[2] = {0, 0};
	struct store_view v;
	static const char reply[] = "Thank you. We have opened an investigation.";
	(void)state;

	mk_status(&it[0], BSTATE_INVESTIGATING, 1);
	mk_reply(&it[1], &envs[1], &lens[1], reporter->pk, reply, 1);
	pathf(in, sizeof(in), "replies.bundle");
	write_replies(in, alice, intake_pk, it, envs, lens, 2);

	/* refusals first: nothing may change */
	assert_int_equal(
	    run(cmd_import_replies, "import-replies", "--db", dbpath, "--in", in, NULL), 2);
	char badkeys[320];
	pathf(badkeys, sizeof(badkeys), "nokeys");
	mkdir(badkeys, 0700);
	assert_int_equal(run(cmd_import_replies, "import-replies", "--db", dbpath, "--keys",
			     badkeys, "--in", in, NULL),
	    1);
	char mal[320];
	pathf(mal, sizeof(mal), "mallory.bundle");
	write_replies(mal, mallory, intake_pk, it, envs, lens, 2);
	assert_int_equal(run(cmd_import_replies, "import-replies", "--db", dbpath, "--keys",
			     keysdir, "--in", mal, NULL),
	    1);
	randombytes_buf(other, sizeof(other));
	write_replies(mal, alice, other, it, envs, lens, 2);
	assert_int_equal(run(cmd_import_replies, "import-replies", "--db", dbpath, "--keys",
			     keysdir, "--in", mal, NULL),
	    1);
	/* a reply sealed to someone else, next to a good item: all refused */
	struct bitem wrong[2];
	uint8_t *wenv[2] = {NULL, NULL};
	size_t wlen[2] = {0, 0};
	mk_status(&wrong[0], BSTATE_ACKNOWLEDGED, 1);
	mk_reply(&wrong[1], &wenv[1], &wlen[1], bob->box.pk, reply, 1);
	write_replies(mal, alice, intake_pk, wrong, wenv, wlen, 2);
	assert_int_equal(run(cmd_import_replies, "import-replies", "--db", dbpath, "--keys",
			     keysdir, "--in", mal, NULL),
	    1);
	free(wenv[1]);
	/* a reply sealed to the reporter AND another key: the reporter could
	 * read it, but so could whoever holds the other key */
	{
		struct cc_recipient two[2];
		cc_keyid(reporter->pk, two[0].keyid);
		memcpy(two[0].pk, reporter->pk, CC_BOX_PK);
		cc_recipient_of(&bob->pub, &two[1]);
		mk_status(&wrong[0], BSTATE_ACKNOWLEDGED, 1);
		memset(&wrong[1], 0, sizeof(wrong[1]));
		randombytes_buf(wrong[1].id, sizeof(wrong[1].id));
		wrong[1].target_seq = 1;
		wrong[1].type = BITEM_REPLY;
		memcpy(wrong[1].date, "2026-11-25", 11);
		assert_int_equal(cc_env_seal(CC_KIND_REPLY, two, 2, (const uint8_t *)reply,
				     strlen(reply), &wenv[1], &wlen[1]),
		    0);
		wrong[1].has_env = 1;
		wrong[1].env.len = wlen[1];
		cc_hash(wenv[1], wlen[1], wrong[1].env.hash);
		write_replies(mal, alice, intake_pk, wrong, wenv, wlen, 2);
		assert_int_equal(run(cmd_import_replies, "import-replies", "--db", dbpath, "--keys",
				     keysdir, "--in", mal, NULL),
		    1);
		free(wenv[1]);
		/* sealed to the reporter alone but of another kind (a message) */
		assert_int_equal(cc_env_seal(CC_KIND_MESSAGE, two, 1, (const uint8_t *)reply,
				     strlen(reply), &wenv[1], &wlen[1]),
		    0);
		wrong[1].env.len = wlen[1];
		cc_hash(wenv[1], wlen[1], wrong[1].env.hash);
		write_replies(mal, alice, intake_pk, wrong, wenv, wlen, 2);
		assert_int_equal(run(cmd_import_replies, "import-replies", "--db", dbpath, "--keys",
				     keysdir, "--in", mal, NULL),
		    1);
		free(wenv[1]);
		/* a good reply whose envelope bytes were changed after writing
		 * and the bundle signed again with the reviewer's own key */
		mk_reply(&wrong[1], &wenv[1], &wlen[1], reporter->pk, reply, 1);
		write_replies(mal, alice, intake_pk, wrong, wenv, wlen, 2);
		uint8_t *b, h[CC_HASH_BYTES];
		size_t blen;
		assert_int_equal(util_read_file(mal, UTIL_FILE_MAX, &b, &blen), 0);
		uint8_t *at = memmem(b, blen, wenv[1], wlen[1]);
		assert_non_null(at);
		at[wlen[1] - 1] ^= 1;
		cc_hash(b, blen - 72, h); /* the trailer: 8 bytes of magic, 64 of signature */
		assert_int_equal(cc_sign_hash(alice->sign_sk, CC_SIG_REPLIES, h, b + blen - 64), 0);
		unlink(mal);
		assert_int_equal(util_write_file(mal, b, blen, 0600, 1), 0);
		free(b);
		free(wenv[1]);
		wenv[1] = NULL, wlen[1] = 0;
		assert_int_equal(run(cmd_import_replies, "import-replies", "--db", dbpath, "--keys",
				     keysdir, "--in", mal, NULL),
		    1);
		/* control: the same bundle before the change is accepted, shown by
		 * the real import below; here nothing may have been stored */
		view(&v);
		assert_int_equal(v.state, BSTATE_RECEIVED);
		assert_int_equal(v.nreplies, 0);
	}
	/* a reply to a follow-up's seq, and to a seq that does not exist */
	/* refused with the reason (the readers check behind would refuse them
	 * too, but as "cannot read the readers", which sounds like damage) */
	static const uint64_t not_concern[] = {2, 99};
	for (int i = 0; i < 2; i++) {
		char err[600];
		mk_status(&wrong[0], BSTATE_ACKNOWLEDGED, not_concern[i]);
		write_replies(mal, alice, intake_pk, wrong, wenv, wlen, 1);
		assert_int_equal(run_err(err, sizeof(err), cmd_import_replies, "import-replies",
				     "--db", dbpath, "--keys", keysdir, "--in", mal, NULL),
		    1);
		if (strstr(err, "names a concern this intake does not hold") == NULL)
			fail_msg("seq %llu: %s", (unsigned long long)not_concern[i], err);
	}
	/* a reply too long for the follow-up page */
	char *huge = malloc(STORE_REPLY_ENV_MAX + 1);
	memset(huge, 'a', STORE_REPLY_ENV_MAX);
	huge[STORE_REPLY_ENV_MAX] = '\0';
	mk_reply(&wrong[0], &wenv[0], &wlen[0], reporter->pk, huge, 1);
	free(huge);
	write_replies(mal, alice, intake_pk, wrong, wenv, wlen, 1);
	free(wenv[0]);
	wenv[0] = NULL, wlen[0] = 0;
	assert_int_equal(run(cmd_import_replies, "import-replies", "--db", dbpath, "--keys",
			     keysdir, "--in", mal, NULL),
	    1);
	/* an export is not a reply bundle, and is refused as that (its
	 * signer is not a reviewer either, which would also refuse it) */
	char exp[320], experr[600];
	pathf(exp, sizeof(exp), "since2.bundle");
	assert_int_equal(run_err(experr, sizeof(experr), cmd_import_replies, "import-replies",
			     "--db", dbpath, "--keys", keysdir, "--in", exp, NULL),
	    1);
	if (strstr(experr, "is an intake export, not a reply bundle") == NULL)
		fail_msg("export: %s", experr);
	/* tampered */
	uint8_t *buf;
	size_t len;
	assert_int_equal(util_read_file(in, UTIL_FILE_MAX, &buf, &len), 0);
	buf[len / 2] ^= 1;
	pathf(mal, sizeof(mal), "tampered.bundle");
	assert_int_equal(util_write_file(mal, buf, len, 0600, 1), 0);
	free(buf);
	assert_int_equal(run(cmd_import_replies, "import-replies", "--db", dbpath, "--keys",
			     keysdir, "--in", mal, NULL),
	    1);
	view(&v);
	assert_int_equal(v.state, BSTATE_RECEIVED);
	assert_int_equal(v.nreplies, 0);

	/* the real import, then the same again */
	assert_int_equal(run(cmd_import_replies, "import-replies", "--db", dbpath, "--keys",
			     keysdir, "--in", in, NULL),
	    0);
	view(&v);
	assert_int_equal(v.state, BSTATE_INVESTIGATING);
	assert_int_equal(v.nreplies, 1);
	assert_int_equal(v.nmessages, 1);
	assert_int_equal(run(cmd_import_replies, "import-replies", "--db", dbpath, "--keys",
			     keysdir, "--in", in, NULL),
	    0);
	view(&v);
	assert_int_equal(v.nreplies, 1);

	/* the reporter opens the reply with the key the receipt derives */
	struct tstore t;
	uint8_t *env, *pt;
	size_t elen, ptlen;
	int kind;
	tstore_start(&t, dbpath, 0, 0);
	assert_int_equal(storec_fetch_reply(t.c, v.seq, 0, &env, &elen), 0);
	tstore_stop(&t);
	assert_int_equal(cc_env_open(reporter, env, elen, &pt, &ptlen, &kind), 0);
	assert_int_equal(kind, CC_KIND_REPLY);
	assert_int_equal(ptlen, strlen(reply));
	assert_memory_equal(pt, reply, ptlen);
	cc_free_wipe(pt, ptlen);
	free(env);
	free(envs[1]);
	assert_int_equal(run(cmd_import_replies, "import-replies", "--help", NULL), 0);
}

static void
test_status_and_broken_chain(void **state)
{
	char copy[320], cmd[2048], out[320];
	sqlite3 *db;
	(void)state;

	assert_int_equal(run(cmd_status, "status", "--db", dbpath, NULL), 0);
	assert_int_equal(run(cmd_status, "status", NULL), 2); /* a usage error */
	assert_int_equal(run(cmd_status, "status", "--help", NULL), 0);
	/* someone with the file drops the guard and rewrites a record */
	pathf(copy, sizeof(copy), "copy.db");
	assert_true(snprintf(cmd, sizeof(cmd),
			"cp '%s' '%s' && cp '%s.sign.key' '%s.sign.key' && "
			"cp '%s.sign.pub' '%s.sign.pub'",
			dbpath, copy, dbpath, copy, dbpath, copy) < (int)sizeof(cmd));
	assert_int_equal(system(cmd), 0);
	assert_int_equal(sqlite3_open(copy, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db,
		"DROP TRIGGER records_no_update;"
		"UPDATE records SET body = (SELECT body FROM records WHERE seq = 2) WHERE seq = 1",
		NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(run(cmd_status, "status", "--db", copy, NULL), 1);
	pathf(out, sizeof(out), "broken.bundle");
	assert_int_equal(run(cmd_export, "export", "--db", copy, "--out", out, NULL), 1);
	assert_int_equal(access(out, F_OK), -1);
}

static void
test_signkey(void **state)
{
	char path[320], db2[320];
	uint8_t pk[CC_SIGN_PK], pk2[CC_SIGN_PK], *sk = sodium_malloc(CC_SIGN_SK);
	struct stat st;
	(void)state;

	assert_int_equal(intake_signkey_load(dbpath, pk, sk, 0), 0);
	assert_memory_equal(pk, intake_pk, CC_SIGN_PK);
	assert_int_equal(intake_signkey_path(dbpath, 0, path, sizeof(path)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char small[10];
	assert_int_equal(intake_signkey_path(dbpath, 0, small, sizeof(small)), -1);
	/* a key others can read is refused */
	chmod(path, 0644);
	assert_int_equal(intake_signkey_load(dbpath, pk2, sk, 0), -1);
	chmod(path, 0600);
	/* missing, not created unless asked */
	pathf(db2, sizeof(db2), "other.db");
	assert_int_equal(intake_signkey_load(db2, pk2, sk, 0), -1);
	assert_int_equal(intake_signkey_load(db2, pk2, sk, 1), 0);
	assert_int_equal(intake_signkey_load(db2, pk, sk, 1), 0);
	assert_memory_equal(pk, pk2, CC_SIGN_PK);
	/* a public file that does not match the secret one is refused */
	assert_int_equal(intake_signkey_path(db2, 1, path, sizeof(path)), 0);
	char line[CC_PUBLINE_MAX];
	assert_int_equal(cc_signpub_format(intake_pk, line, sizeof(line)), 0);
	unlink(path);
	assert_int_equal(util_write_file(path, line, strlen(line), 0644, 1), 0);
	assert_int_equal(intake_signkey_load(db2, pk, sk, 0), -1);
	/* the secret lost, its public line kept: no silent new identity */
	assert_int_equal(intake_signkey_path(db2, 0, path, sizeof(path)), 0);
	assert_int_equal(unlink(path), 0);
	errno = 0;
	assert_int_equal(intake_signkey_load(db2, pk, sk, 1), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(access(path, F_OK), -1);
	/* the public line lost: written again from the secret */
	char db3[320];
	pathf(db3, sizeof(db3), "third.db");
	assert_int_equal(intake_signkey_load(db3, pk, sk, 1), 0);
	assert_int_equal(intake_signkey_path(db3, 1, path, sizeof(path)), 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(intake_signkey_load(db3, pk2, sk, 0), -1);
	assert_int_equal(intake_signkey_load(db3, pk2, sk, 1), 0);
	assert_memory_equal(pk, pk2, CC_SIGN_PK);
	assert_int_equal(access(path, F_OK), 0);
	sodium_free(sk);
}

/* Runs import-replies on in with stderr into a file; returns the exit
 * status and the number of stderr lines holding every one of want[]. */
static int
import_capturing(const char *in, const char *const *want, size_t nwant, int *lines, int *hits)
{
	char errpath[320], line[1024];
	FILE *f;
	int saved, rc;

	pathf(errpath, sizeof(errpath), "import.err");
	fflush(stderr);
	saved = dup(2);
	assert_non_null(f = fopen(errpath, "w"));
	dup2(fileno(f), 2);
	fclose(f);
	rc = run(cmd_import_replies, "import-replies", "--db", dbpath, "--keys", keysdir, "--in",
	    in, NULL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	*lines = *hits = 0;
	assert_non_null(f = fopen(errpath, "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t k = 0;
		(*lines)++;
		while (k < nwant && strstr(line, want[k]) != NULL)
			k++;
		*hits += k == nwant;
	}
	fclose(f);
	return rc;
}

/* Issue 9 item 1: bob, whom the reporter left out of concern 1, holds
 * all it takes to sign a well-formed reply bundle for it (the export, the
 * intake's public key, his own key). import-replies must refuse each of
 * his items for it, say so naming him and the concern, and still apply
 * his items for a concern he was given. Runs after test_import_replies
 * (concern 1 investigating, one reply). */
static void
test_import_replies_left_out(void **state)
{
	char exp[320], in[320];
	struct bundle_r *r;
	struct brec rec;
	struct bitem it[3];
	uint8_t *envs[3] = {NULL, NULL, NULL}, link[CC_HASH_BYTES], look3[CC_HASH_BYTES];
	size_t lens[3] = {0, 0, 0};
	struct store_view v;
	struct store_commit sc;
	struct tstore t;
	uint64_t seq;
	int lines, hits;
	static const char forged[] = "No further action. This concern is closed.";
	const char *const want[] = {"bob", "concern 1", "refused"};
	(void)state;

	/* what bob has: the reporter's key from the export bundle */
	pathf(exp, sizeof(exp), "all.bundle");
	assert_int_equal(bundle_r_open(exp, &r), 0);
	assert_int_equal(bundle_r_verify(r, intake_pk), 0);
	assert_int_equal(bundle_r_record(r, 1, &rec, link), 0);
	bundle_r_close(r);
	mk_status(&it[0], BSTATE_CLOSED, 1);
	it[0].outcome = BOUT_NFA;
	mk_reply(&it[1], &envs[1], &lens[1], rec.reporter_pk, forged, 1);
	pathf(in, sizeof(in), "forged.bundle");
	write_replies(in, bob, intake_pk, it, envs, lens, 2);
	assert_int_equal(import_capturing(in, want, 3, &lines, &hits), 1);
	assert_int_equal(lines, 2); /* one line per refused item */
	assert_int_equal(hits, 2);
	view(&v);
	assert_int_equal(v.state, BSTATE_INVESTIGATING);
	assert_int_equal(v.outcome, BOUT_NONE);
	assert_int_equal(v.nreplies, 1);

	/* a concern sealed to alice and bob: his items for it are applied,
	 * those for concern 1 in the same bundle still refused */
	tstore_start(&t, dbpath, 0, 0);
	memset(&sc, 0, sizeof(sc));
	randombytes_buf(sc.reporter_pk, CC_BOX_PK);
	randombytes_buf(look3, CC_HASH_BYTES);
	memcpy(sc.lookup, look3, CC_HASH_BYTES);
	struct cc_rcpt_params p;
	assert_int_equal(storec_params(t.c, &p), 0);
	sc.rcpt_ops = p.opslimit, sc.rcpt_mem = p.memlimit;
	sc.nhandles = 1;
	sc.handles[0] = upload_fields_to(&t, FIELDS_CONCERN, "sealed to both", CC_KIND_CONCERN, 1);
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), 0);
	tstore_stop(&t);
	mk_status(&it[2], BSTATE_ACKNOWLEDGED, seq);
	envs[2] = NULL;
	struct bitem mixed[3] = {it[0], it[2], it[1]};
	uint8_t *menvs[3] = {NULL, NULL, envs[1]};
	size_t mlens[3] = {0, 0, lens[1]};
	randombytes_buf(mixed[0].id, sizeof(mixed[0].id));
	randombytes_buf(mixed[2].id, sizeof(mixed[2].id));
	pathf(in, sizeof(in), "mixed.bundle");
	write_replies(in, bob, intake_pk, mixed, menvs, mlens, 3);
	assert_int_equal(import_capturing(in, want, 3, &lines, &hits), 1);
	assert_int_equal(lines, 2);
	assert_int_equal(hits, 2);
	view_of(look3, &v);
	assert_int_equal(v.seq, seq);
	assert_int_equal(v.state, BSTATE_ACKNOWLEDGED);
	view(&v);
	assert_int_equal(v.state, BSTATE_INVESTIGATING);
	assert_int_equal(v.nreplies, 1);

	/* a concern from before the store kept lists (schema 2): the readers
	 * come from its body envelope's header, so bob is still refused and
	 * alice, a reader, still accepted */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
			     "DROP TRIGGER recipients_no_delete;"
			     "DELETE FROM recipients WHERE seq = 1",
			     NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	randombytes_buf(it[0].id, sizeof(it[0].id));
	randombytes_buf(it[1].id, sizeof(it[1].id));
	pathf(in, sizeof(in), "forged-legacy.bundle");
	write_replies(in, bob, intake_pk, it, envs, lens, 2);
	assert_int_equal(import_capturing(in, want, 3, &lines, &hits), 1);
	assert_int_equal(hits, 2);
	view(&v);
	assert_int_equal(v.state, BSTATE_INVESTIGATING);
	assert_int_equal(v.nreplies, 1);
	const char *const none[] = {""};
	pathf(in, sizeof(in), "alice-legacy.bundle");
	write_replies(in, alice, intake_pk, it, envs, lens, 2);
	assert_int_equal(import_capturing(in, none, 1, &lines, &hits), 0);
	assert_int_equal(lines, 0);
	view(&v);
	assert_int_equal(v.state, BSTATE_CLOSED);
	assert_int_equal(v.nreplies, 2);
	free(envs[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_export_decrypt),
	    cmocka_unit_test(test_export_tampered),
	    cmocka_unit_test(test_import_replies),
	    cmocka_unit_test(test_status_and_broken_chain),
	    cmocka_unit_test(test_signkey),
	    cmocka_unit_test(test_import_replies_left_out),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
