/*
 * Bundles and what reads them after verification (bundle/, the review
 * import in review/import_rec.c and import_att.c, intake import-replies).
 * The first input byte picks the mode:
 *   0 raw file: the input is a bundle; it is re-signed here (signer key in
 *     the header and the trailer's signature replaced) so that parsing goes
 *     past the signature to the chain, envelope and item checks and, when
 *     those hold, to the readers
 *   1 export: records described by the input (kind, parent, date, and per
 *     envelope: its kind, to whom it is sealed, its plaintext, or raw
 *     envelope bytes) written by bundle_w, then verified, read back and
 *     imported into a casebook (rolled back after each input): every record
 *     kind's envelope plaintext reaches the import's field readers
 *   2 replies: items (status or reply, state, outcome, target, reply text
 *     sealed to the reporter or not) written, verified, read back and given
 *     to `candour-intake import-replies` against an intake.db holding one
 *     concern
 * Properties: what bundle_w writes verifies and reads back unchanged; no
 * crash, leak or sanitizer report anywhere after verification.
 */
#include "bundle/bundle.h"
#include "bundle/bundle_fmt.h"
#include "intake/store_int.h"
#include "review/cb_internal.h"
#include "tests/fuzz/fuzz.h"
#include "util/util.h"

static char dir[256]; /* in CANDOUR_FUZZ_TMP (run.sh) or /dev/shm */
static char bpath[300], dbpath[300], keysdir[300];
static uint8_t spk[CC_SIGN_PK], *ssk;
static struct cc_seckey *me;	       /* the casebook's reviewer */
static struct cc_recipient r_me, r_other, r_reporter;
static struct cc_boxkey reporter;
static struct casebook *cb;

static void
cleanup(void)
{
	char p[400];
	static const char *const f[] = {"b.bundle", "intake.db", "intake.db-wal", "intake.db-shm",
	    "intake.db.sign.pub", "casebook.db", "casebook.db-wal", "casebook.db-shm",
	    "keys/rev.pub", "keys", ""};

	cb_close(cb);
	cb = NULL;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, f[i]);
		(void)(f[i][0] && strcmp(f[i], "keys") == 0 ? rmdir(p) : unlink(p));
	}
	(void)rmdir(dir);
}

/* ---- mode 0 ------------------------------------------------------------- */

static void
read_all(struct bundle_r *r)
{
	const struct bundle_info *bi = bundle_r_info(r);
	struct brec rec;
	struct bitem it;
	uint8_t link[CC_HASH_BYTES], *env;
	size_t len;

	if (bi->kind == BUNDLE_EXPORT) {
		for (uint64_t s = bi->from_seq; s <= bi->to_seq && s - bi->from_seq < 64; s++) {
			if (bundle_r_record(r, s, &rec, link) != 0)
				abort(); /* verified, yet unreadable */
			/* an envelope not the one its record hashes passes verify
			 * (the signature covers it) and is refused here, where it
			 * is read: BUNDLE_EENV, nothing handed out */
			for (uint32_t e = 0; e < rec.nenv; e++) {
				int rc = bundle_r_env_read(r, s, e, &env, &len);
				if (rc == BUNDLE_EENV && env == NULL)
					continue;
				if (rc != 0 || len != rec.env[e].len)
					abort();
				free(env);
			}
		}
	} else {
		for (uint64_t i = 0; i < bi->nitems && i < 64; i++) {
			if (bundle_r_item(r, i, &it, &env, &len) != 0)
				abort();
			free(env);
		}
	}
}

static void
raw(const uint8_t *data, size_t size)
{
	uint8_t *b = malloc(size ? size : 1), h[CC_HASH_BYTES];
	struct bundle_r *r;

	if (b == NULL)
		abort();
	memcpy(b, data, size);
	if (size >= BFMT_HDR_BYTES + BFMT_TRAILER_BYTES) {
		size_t body = size - BFMT_TRAILER_BYTES;
		memcpy(b + BFMT_OFF_SIGNER, spk, CC_SIGN_PK);
		memcpy(b + body, BFMT_TRAILER, BFMT_MAGIC_LEN);
		cc_hash(b, body, h);
		if (cc_sign_hash(ssk, b[BFMT_OFF_KIND] == BUNDLE_EXPORT ? CC_SIG_EXPORT : CC_SIG_REPLIES,
			h, b + body + BFMT_MAGIC_LEN) != CC_OK)
			abort();
	}
	if (util_write_file(bpath, b, size, 0600, 0) != 0)
		abort();
	free(b);
	if (bundle_r_open(bpath, &r) != 0)
		return;
	if (bundle_r_verify(r, spk) == 0)
		read_all(r);
	bundle_r_close(r);
}

/* ---- modes 1 and 2: bundles written here -------------------------------- */

/* One envelope from the input (fz_envelope): recipients me, other, both,
 * reporter. */
static int
envelope(struct fz *z, int want_kind, uint8_t **env, size_t *len)
{
	const struct cc_recipient *const who[4][2] = {
	    {&r_me, NULL}, {&r_other, NULL}, {&r_other, &r_me}, {&r_reporter, NULL}};

	return fz_envelope(z, want_kind, who, env, len);
}

static void
export(struct fz *z)
{
	struct bundle_w *w = NULL;
	struct bundle_r *r = NULL;
	struct brec recs[4];
	uint8_t link[CC_HASH_BYTES], links[4][CC_HASH_BYTES], h[CC_HASH_BYTES];
	size_t n = 1 + fz_u8(z) % 4;
	struct imp im = {0};

	(void)unlink(bpath);
	cc_chain_genesis(link);
	if (bundle_w_create(bpath, BUNDLE_EXPORT, 1, link, NULL, &w) != 0)
		abort();
	for (size_t i = 0; i < n; i++) {
		struct brec *b = &recs[i];
		uint8_t flags = fz_u8(z), *env[BUNDLE_MAX_ENV];
		size_t envlen[BUNDLE_MAX_ENV], dl;
		const uint8_t *d = fz_bytes(z, &dl);

		memset(b, 0, sizeof(*b));
		b->seq = 1 + i;
		b->kind = (flags & 1) && i > 0 ? BREC_FOLLOWUP : BREC_CONCERN;
		snprintf(b->date, sizeof(b->date), "2026-12-0%zu", 1 + i);
		if (flags & 2 && dl == BUNDLE_DATE_LEN)
			memcpy(b->date, d, BUNDLE_DATE_LEN);
		if (b->kind == BREC_FOLLOWUP)
			b->parent_seq = 1 + (flags >> 4) % (flags & 4 ? 8 : i);
		else {
			b->rcpt_ops = 2;
			b->rcpt_mem = 67108864;
			memcpy(b->reporter_pk, reporter.pk, CC_BOX_PK);
			memset(b->lookup, (int)(1 + i), CC_HASH_BYTES);
		}
		b->nenv = (uint16_t)(1 + fz_u8(z) % 3);
		for (uint16_t e = 0; e < b->nenv; e++) {
			int want = e > 0 ? CC_KIND_ATTACHMENT
					 : b->kind == BREC_CONCERN ? CC_KIND_CONCERN : CC_KIND_MESSAGE;
			if (envelope(z, want, &env[e], &envlen[e]) != 0)
				abort();
			cc_hash(env[e], envlen[e], b->env[e].hash);
			b->env[e].len = envlen[e];
		}
		int ok = brec_hash(b, h) == 0;
		if (ok) {
			cc_chain_next(link, b->seq, h, link);
			memcpy(links[i], link, CC_HASH_BYTES);
			ok = bundle_w_record(w, b, link) == 0;
		}
		for (uint16_t e = 0; e < b->nenv; e++) {
			if (ok && (bundle_w_env_begin(w, b->seq, e, envlen[e]) != 0 ||
				      bundle_w_env_write(w, env[e], envlen[e]) != 0 ||
				      bundle_w_env_end(w) != 0))
				abort();
			free(env[e]);
		}
		if (!ok) { /* an invalid record (a fuzzed date): nothing to read */
			bundle_w_abort(w);
			return;
		}
	}
	if (bundle_w_commit(w, ssk, spk) != 0)
		abort();
	if (bundle_r_open(bpath, &r) != 0 || bundle_r_verify(r, spk) != 0)
		abort(); /* what we wrote must verify */
	for (size_t i = 0; i < n; i++) {
		struct brec got;
		uint8_t l[CC_HASH_BYTES];
		if (bundle_r_record(r, 1 + i, &got, l) != 0 || got.kind != recs[i].kind ||
		    got.nenv != recs[i].nenv || memcmp(l, links[i], CC_HASH_BYTES) != 0 ||
		    memcmp(got.env, recs[i].env, sizeof(got.env[0]) * got.nenv) != 0)
			abort();
	}
	/* the import, as cmd_import runs it, on an empty casebook */
	im.cb = cb;
	im.r = r;
	/* one reader for the whole import, as cb_import makes it */
	if (cc_env_reader_new(&cb_seckey(cb)->box, NULL, NULL, &im.rd) != CC_OK)
		abort();
	if (cb_begin(cb) != 0)
		abort();
	for (im.seq = 1; im.seq <= n; im.seq++)
		if (imp_record(&im) != 0)
			break;
	im.r = NULL;
	if (im.seq > n)
		(void)imp_unlock(&im);
	if (cb_rollback(cb) != 0)
		abort();
	cc_env_reader_abort(im.rd);
	bundle_r_close(r);
}

static void
replies(struct fz *z)
{
	struct bundle_w *w = NULL;
	struct bundle_r *r = NULL;
	struct bitem items[4];
	size_t n = 1 + fz_u8(z) % 4;
	uint8_t ipk[CC_SIGN_PK];

	memcpy(ipk, spk, CC_SIGN_PK);
	(void)unlink(bpath);
	if (bundle_w_create(bpath, BUNDLE_REPLIES, 0, NULL, ipk, &w) != 0)
		abort();
	for (size_t i = 0; i < n; i++) {
		struct bitem *it = &items[i];
		uint8_t f = fz_u8(z), *env = NULL;
		size_t envlen = 0;

		memset(it, 0, sizeof(*it));
		randombytes_buf(it->id, sizeof(it->id));
		it->target_seq = f & 1 ? 1 : fz_u8(z);
		it->type = f & 2 ? BITEM_REPLY : BITEM_STATUS;
		it->state = (uint8_t)(it->type == BITEM_STATUS ? 1 + (f >> 2) % 4 : 0);
		it->outcome = (uint8_t)(it->state == BSTATE_CLOSED ? (f >> 4) % 7 : 0);
		snprintf(it->date, sizeof(it->date), "2026-12-05");
		it->has_env = (f & 0x80) != 0;
		if (it->has_env) {
			if (envelope(z, CC_KIND_REPLY, &env, &envlen) != 0)
				abort();
			cc_hash(env, envlen, it->env.hash);
			it->env.len = envlen;
		}
		int rc = bundle_w_item(w, it, env, envlen);
		free(env);
		if (rc != 0) {
			bundle_w_abort(w);
			return;
		}
	}
	if (bundle_w_commit(w, ssk, spk) != 0)
		abort();
	if (bundle_r_open(bpath, &r) != 0 || bundle_r_verify(r, spk) != 0)
		abort();
	for (size_t i = 0; i < n; i++) {
		struct bitem got;
		uint8_t *env;
		size_t len;
		if (bundle_r_item(r, i, &got, &env, &len) != 0 ||
		    memcmp(got.id, items[i].id, sizeof(got.id)) != 0 ||
		    got.target_seq != items[i].target_seq || got.has_env != items[i].has_env)
			abort();
		free(env);
	}
	bundle_r_close(r);
	/* import-replies, as the intake's operator runs it */
	char *argv[] = {"import-replies", "--db", dbpath, "--keys", keysdir, "--in", bpath, NULL};
	(void)fz_quiet(cmd_import_replies, 7, argv);
}

/* ---- set-up --------------------------------------------------------------- */

static void
intake_db(void)
{
	struct store_db *db;
	struct sp_commit c;
	struct store_env_in env;
	uint8_t *e, link[CC_HASH_BYTES], ids[1][CC_KEYID_BYTES];
	size_t elen;
	uint64_t seq;
	char line[CC_PUBLINE_MAX], path[400], err[256];
	struct cc_pubkey rev;

	setenv(STORE_KDF_ENV, "min", 1);
	setenv(STORE_KDF_TEST_ENV, "1", 1); /* min is refused without it */
	if (store_db_open(dbpath, 1, 0, &db, err, sizeof(err)) != 0)
		abort();
	if (cc_env_seal(CC_KIND_CONCERN, &r_me, 1, (const uint8_t *)"x", 1, &e, &elen) != CC_OK ||
	    store_db_chunk_put(db, 1, 0, e, elen) != 0)
		abort();
	memset(&c, 0, sizeof(c));
	c.kind = BREC_CONCERN;
	memcpy(c.reporter_pk, reporter.pk, CC_BOX_PK);
	memset(c.lookup, 1, CC_HASH_BYTES);
	c.rcpt_ops = db->params.opslimit;
	c.rcpt_mem = db->params.memlimit;
	c.nhandles = 1;
	c.handles[0] = 1;
	env.upload = 1;
	env.len = elen;
	cc_hash(e, elen, env.hash);
	memcpy(ids[0], r_me.keyid, CC_KEYID_BYTES);
	if (store_db_append(db, &c, 0, &env, ids, 1, &seq, link) != 0 || seq != 1)
		abort();
	free(e);
	store_db_close(db);
	/* this intake's key and the reviewers' keys, as import-replies reads them */
	if (intake_signkey_path(dbpath, 1, path, sizeof(path)) != 0 ||
	    cc_signpub_format(spk, line, sizeof(line)) != CC_OK ||
	    util_write_file(path, line, strlen(line), 0644, 0) != 0)
		abort();
	rev = me->pub;
	memcpy(rev.sign_pk, spk, CC_SIGN_PK); /* the reply bundles' signer */
	snprintf(path, sizeof(path), "%s/rev.pub", keysdir);
	if (mkdir(keysdir, 0700) != 0 || cc_pubkey_format(&rev, line, sizeof(line)) != CC_OK ||
	    util_write_file(path, line, strlen(line), 0644, 0) != 0)
		abort();
}

static void
make_seeds(void)
{
	struct fzw *w = calloc(1, sizeof(*w));
	static const char concern[] = "candour-concern-v1\ncategory 6\nsafety\nteam 3\nOps\n"
				      "what 11\nIt happened\nwhen 10\n2026-11-30\nrefs 14\n"
				      "REF/2024/00012\nrisk 3\nyes\n--\n";
	static const char message[] = "candour-message-v1\ntext 9\nMore info\n--\n";
	static const char att[] = "candour-attachment-v1\nname 5\na.txt\ntype 10\ntext/plain\n--\n"
				  "file contents";
	static const char reply[] = "candour-reply-v1\nkind 5\nreply\ntext 6\nThanks\n--\n";
	uint8_t *b;
	size_t len;

	if (w == NULL)
		abort();
	fz_put8(w, 1);
	fz_put8(w, 2); /* three records */
	fz_put8(w, 0); /* concern */
	fz_put_str(w, "");
	fz_put8(w, 1); /* body and an attachment */
	fz_put8(w, 0);
	fz_put_str(w, concern);
	fz_put8(w, 3 << 2);
	fz_put_str(w, att);
	fz_put8(w, 1); /* follow-up of 1 */
	fz_put_str(w, "");
	fz_put8(w, 0);
	fz_put8(w, 0);
	fz_put_str(w, message);
	fz_put8(w, 0); /* a concern for someone else */
	fz_put_str(w, "");
	fz_put8(w, 0);
	fz_put8(w, 1);
	fz_put_str(w, concern);
	fz_seed("export", w->b, w->n);
	/* mode 0: the file a one-record export writes, as raw input */
	w->n = 0;
	fz_put8(w, 0);
	fz_put8(w, 0);
	fz_put_str(w, "");
	fz_put8(w, 0);
	fz_put8(w, 0);
	fz_put_str(w, message);
	struct fz z = {w->b, w->n};
	export(&z);
	if (util_read_file(bpath, sizeof(w->b) - 1, &b, &len) != 0)
		abort();
	w->b[0] = 0;
	memcpy(w->b + 1, b, len);
	fz_seed("raw", w->b, len + 1);
	free(b);
	w->n = 0;
	fz_put8(w, 2);
	fz_put8(w, 2);
	fz_put8(w, 0x80 | 2 | 1); /* a reply to concern 1, sealed to its reporter */
	fz_put8(w, 3);
	fz_put_str(w, reply);
	fz_put8(w, 1 | (3 << 2)); /* closed */
	fz_put8(w, 1 | (2 << 2) | (1 << 4));
	fz_seed("replies", w->b, w->n);
	free(w);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *why;
	char cbpath[300];
	struct cc_seckey *other;

	(void)argc;
	(void)argv;
	fz_init();
	fz_tmpdir(dir, sizeof(dir), "candour-fuzz-bundle", cleanup);
	snprintf(bpath, sizeof(bpath), "%s/b.bundle", dir);
	snprintf(dbpath, sizeof(dbpath), "%s/intake.db", dir);
	snprintf(keysdir, sizeof(keysdir), "%s/keys", dir);
	snprintf(cbpath, sizeof(cbpath), "%s/casebook.db", dir);
	if ((ssk = sodium_malloc(CC_SIGN_SK)) == NULL)
		abort();
	fz_signkey("intake", spk, ssk);
	fz_recipient("reporter", &r_reporter, &reporter);
	if (cc_keypair_generate("alice", &me) != CC_OK ||
	    cc_keypair_generate("bob", &other) != CC_OK)
		abort();
	cc_recipient_of(&me->pub, &r_me);
	cc_recipient_of(&other->pub, &r_other);
	cc_seckey_free(other);
	if (cb_create(cbpath, me, spk, &cb, &why) != 0) {
		fprintf(stderr, "fuzz_bundle: casebook: %s\n", why);
		abort();
	}
	/* every import is rolled back: the WAL need not reach the disk */
	if (sqlite3_exec(cb_db(cb), "PRAGMA synchronous = OFF", NULL, NULL, NULL) != SQLITE_OK)
		abort();
	intake_db();
	if (getenv("CANDOUR_FUZZ_SEEDS") != NULL)
		make_seeds();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz z = {data + 1, size ? size - 1 : 0};

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		raw(data + 1, size - 1);
		break;
	case 1:
		export(&z);
		break;
	default:
		replies(&z);
		break;
	}
	return 0;
}
