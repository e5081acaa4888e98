/*
 * Reviewers' replies from the bundle to the reporter's page: each input
 * describes a REPLIES bundle (its signer and up to four items: status
 * changes and replies, their targets, dates and envelopes, each envelope
 * sealed to the reporter, to a reviewer, to both, or raw bytes, around a
 * plaintext of the input's), which is written by bundle_w, signed with a
 * fixed reviewer key (so that what follows verification is reached), and
 * imported by the real `candour-intake import-replies` into the intake.db
 * of a running intake (fuzz_intake.h: the real http handler and store
 * loop); then the reporter's follow-up page (GET /followup, or /cy/) is
 * asked for with the session of the concern made at start-up, and renders
 * what was imported: the store's history, the replies opened with the
 * receipt's key, their fields decoded, checked and escaped into the page.
 *
 * The signer is reviewer-0, a reader of the concern (its keys dir holds
 * both reviewers' public keys, their signing keys fixed), or reviewer-1,
 * whom the concern left out. After each input the replies and status
 * changes are deleted (through a connection of this harness's own, on
 * which the append-only triggers were dropped: nothing in the product
 * deletes them), so each input meets the same intake and a crash
 * reproduces from its file.
 *
 * Properties, beside fuzz_intake.h's for every answer: no crash, leak or
 * sanitizer report; what bundle_w writes verifies; an item signed by a
 * reviewer who is not a reader of its concern stores nothing; an import
 * that succeeds stores every item (a status row per status item, a reply
 * row per envelope); the follow-up page is a 200 (a session that holds,
 * a store that answers); no reply text reaches the page unescaped (the
 * text "<fz", which no template holds, never appears raw).
 */
#include <sqlite3.h>

#include "bundle/bundle.h"
#include "tests/fuzz/fuzz_intake.h"
#include "util/util.h"

#define FR_ITEMS 4    /* items a bundle carries at most */
#define FR_MARK "<fz" /* in a reply's text: must come out escaped */

static char bpath[300], dbpath[300], keysdir[300];
static uint8_t ipk[CC_SIGN_PK];	      /* the intake's signing key (its .sign.pub) */
static uint8_t rpk[NREV][CC_SIGN_PK]; /* the reviewers' signing keys */
static uint8_t *rsk[NREV];
static struct cc_recipient r_reporter, r_rev;
static sqlite3 *reset; /* deletes what an input imported */

/* One envelope from the input (fz_envelope): recipients the reporter,
 * reviewer-0, both, the reporter; kind REPLY unless the input names one. */
static int
envelope(struct fz *z, uint8_t **env, size_t *len)
{
	const struct cc_recipient *const who[4][2] = {
	    {&r_reporter, NULL}, {&r_rev, NULL}, {&r_reporter, &r_rev}, {&r_reporter, NULL}};

	return fz_envelope(z, CC_KIND_REPLY, who, env, len);
}

/* The rows of table (replies or status). */
static long
rows(const char *table)
{
	char sql[64];
	sqlite3_stmt *st;
	long n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	if (sqlite3_prepare_v2(reset, sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (n < 0)
		abort();
	return n;
}

/* The bundle the input describes, written to bpath; its item counts
 * (status items, envelopes) into *nstatus and *nenv. -1 when the writer
 * refused an item (a fuzzed date): nothing to import. */
static int
bundle(struct fz *z, int signer, long *nstatus, long *nenv)
{
	struct bundle_w *w = NULL;
	size_t n = 1 + fz_u8(z) % FR_ITEMS;

	*nstatus = *nenv = 0;
	(void)unlink(bpath);
	if (bundle_w_create(bpath, BUNDLE_REPLIES, 0, NULL, ipk, &w) != 0)
		abort();
	for (size_t i = 0; i < n; i++) {
		struct bitem it;
		uint8_t f = fz_u8(z), *env = NULL;
		size_t envlen = 0, dl;
		const uint8_t *d = fz_bytes(z, &dl);

		memset(&it, 0, sizeof(it));
		randombytes_buf(it.id, sizeof(it.id));
		/* the concern (1), or a seq of the input's: its message (2),
		 * none (0), one the intake does not hold */
		it.target_seq = f & 1 ? 1 : fz_u8(z);
		it.type = f & 2 ? BITEM_REPLY : BITEM_STATUS;
		it.state = (uint8_t)(it.type == BITEM_STATUS ? 1 + (f >> 2) % 4 : 0);
		it.outcome = (uint8_t)(it.state == BSTATE_CLOSED ? (f >> 4) % 7 : 0);
		snprintf(it.date, sizeof(it.date), "2026-12-05");
		if ((f & 0x40) && dl == BUNDLE_DATE_LEN)
			memcpy(it.date, d, BUNDLE_DATE_LEN);
		it.has_env = (f & 0x80) != 0;
		if (it.has_env) {
			if (envelope(z, &env, &envlen) != 0)
				abort();
			cc_hash(env, envlen, it.env.hash);
			it.env.len = envlen;
		}
		int rc = bundle_w_item(w, &it, env, envlen);
		free(env);
		if (rc != 0) {
			bundle_w_abort(w);
			return -1;
		}
		*nstatus += it.type == BITEM_STATUS;
		*nenv += it.has_env;
	}
	if (bundle_w_commit(w, rsk[signer], rpk[signer]) != 0)
		abort();
	return 0;
}

/* The follow-up page after the import: a 200, no mark unescaped. */
static void
page(int welsh)
{
	static const char get[] =
	    "GET /followup HTTP/1.1\r\nHost: intake\r\nCookie: " HTTP_COOKIE "=@S@\r\n\r\n";
	static const char get_cy[] =
	    "GET /cy/followup HTTP/1.1\r\nHost: intake\r\nCookie: " HTTP_COOKIE "=@S@\r\n\r\n";
	struct tbuf out = {0};

	if (welsh)
		run((const uint8_t *)get_cy, sizeof(get_cy) - 1, &out);
	else
		run((const uint8_t *)get, sizeof(get) - 1, &out);
	if (out.len < 12 || memcmp(out.p, "HTTP/1.1 200", 12) != 0) {
		fprintf(stderr, "fuzz_replies: the follow-up page: %.*s\n",
		    (int)(out.len < 200 ? out.len : 200), out.p ? out.p : "");
		abort();
	}
	if (memmem(out.p, out.len, FR_MARK, strlen(FR_MARK)) != NULL)
		abort(); /* a reply's text on the page unescaped */
	tbuf_free(&out);
}

/* One input: byte 0 (bit 0 the signer, bit 1 the Welsh page), then the
 * bundle (bundle()). */
static void
one(const uint8_t *data, size_t size)
{
	struct fz z = {data + 1, size - 1};
	int signer = data[0] & 1, rc;
	long nstatus, nenv;

	if (bundle(&z, signer, &nstatus, &nenv) == 0) {
		char *argv[] = {
		    "import-replies", "--db", dbpath, "--keys", keysdir, "--in", bpath, NULL};
		rc = fz_quiet(cmd_import_replies, 7, argv);
		long ns = rows("status"), nr = rows("replies");
		if (signer == 1 && (ns != 0 || nr != 0))
			abort(); /* stored for a reviewer the reporter left out */
		if (rc == 0 && (ns != nstatus || nr != nenv))
			abort(); /* imported, yet not all of it stored */
	}
	page(data[0] & 2);
	if (sqlite3_exec(reset, "DELETE FROM replies; DELETE FROM status", NULL, NULL, NULL) !=
	    SQLITE_OK)
		abort();
}

/* ---- set-up --------------------------------------------------------------- */

/* Both reviewers' public keys in keysdir, their signing keys fixed; this
 * intake's signing key beside intake.db. */
static void
keys(void)
{
	char line[CC_PUBLINE_MAX], path[400], label[32];
	uint8_t isk[CC_SIGN_SK];

	fz_signkey("intake", ipk, isk);
	sodium_memzero(isk, sizeof(isk));
	if (intake_signkey_path(dbpath, 1, path, sizeof(path)) != 0 ||
	    cc_signpub_format(ipk, line, sizeof(line)) != CC_OK ||
	    util_write_file(path, line, strlen(line), 0644, 0) != 0 || mkdir(keysdir, 0700) != 0)
		abort();
	for (size_t i = 0; i < NREV; i++) {
		struct cc_pubkey k = app.revs.k[i];
		snprintf(label, sizeof(label), "reviewer-%zu-sign", i);
		if ((rsk[i] = sodium_malloc(CC_SIGN_SK)) == NULL)
			abort();
		fz_signkey(label, rpk[i], rsk[i]);
		memcpy(k.sign_pk, rpk[i], CC_SIGN_PK);
		snprintf(path, sizeof(path), "%s/reviewer-%zu.pub", keysdir, i);
		if (cc_pubkey_format(&k, line, sizeof(line)) != CC_OK ||
		    util_write_file(path, line, strlen(line), 0644, 0) != 0)
			abort();
	}
}

/* An input of byte 0 b and items made by put (a writer of pieces). */
static void
seed_of(const char *name, uint8_t b, void (*put)(struct fzw *))
{
	struct fzw *w = calloc(1, sizeof(*w));

	if (w == NULL)
		abort();
	fz_put8(w, b);
	put(w);
	fz_seed(name, w->b, w->n);
	free(w);
}

/* A reply's plaintext (review/ writes it so: util/fields.c). */
static void
put_reply(struct fzw *w, const char *kind, const char *text)
{
	char pt[512];

	snprintf(pt, sizeof(pt), "candour-reply-v1\nkind %zu\n%s\ntext %zu\n%s\n--\n", strlen(kind),
	    kind, strlen(text), text);
	fz_put_str(w, pt);
}

static const char reply_text[] = "Thanks " FR_MARK "> & \"you\"; it's\nread";

/* A reply sealed to the reporter (how 3: the reporter, kind REPLY) and a
 * closing status with an outcome. */
static void
put_reply_closed(struct fzw *w)
{
	fz_put8(w, 1); /* two items */
	fz_put8(w, 0x80 | 2 | 1);
	fz_put_str(w, "");
	fz_put8(w, 3 | CC_KIND_REPLY << 2);
	put_reply(w, "reply", reply_text);
	fz_put8(w, 0x80 | 1 | (3 << 2) | (2 << 4)); /* closed, outcome 2, its summary */
	fz_put_str(w, "");
	fz_put8(w, 0 | CC_KIND_REPLY << 2);
	put_reply(w, "outcome", "We changed the rota.");
}

/* A reply sealed to a reviewer (refused), one to the concern's message
 * (refused), raw envelope bytes, a reply whose text is not UTF-8. */
static void
put_refused(struct fzw *w)
{
	fz_put8(w, 3);
	fz_put8(w, 0x80 | 2 | 1);
	fz_put_str(w, "");
	fz_put8(w, 1 | CC_KIND_REPLY << 2);
	put_reply(w, "reply", reply_text);
	fz_put8(w, 0x80 | 2);
	fz_put_str(w, "");
	fz_put8(w, 2); /* the message's seq */
	fz_put8(w, 3 | CC_KIND_REPLY << 2);
	put_reply(w, "reply", reply_text);
	fz_put8(w, 0x80 | 2 | 1);
	fz_put_str(w, "");
	fz_put8(w, 0x80);
	fz_put_str(w, "candour-envelope");
	fz_put8(w, 0x80 | 2 | 1);
	fz_put_str(w, "");
	fz_put8(w, 3 | CC_KIND_REPLY << 2);
	put_reply(w, "reply", "\xff\xfe\x01");
}

/* Status changes only, one of them dated by the input. */
static void
put_status(struct fzw *w)
{
	fz_put8(w, 1);
	fz_put8(w, 1 | (1 << 2));
	fz_put_str(w, "");
	fz_put8(w, 0x40 | 1 | (3 << 2) | (6 << 4));
	fz_put_str(w, "2026-12-31");
}

static void
make_seeds(void)
{
	seed_of("reply-closed", 0, put_reply_closed);
	seed_of("reply-closed-cy", 2, put_reply_closed);
	seed_of("not-a-reader", 1, put_reply_closed);
	seed_of("refused", 0, put_refused);
	seed_of("status", 2, put_status);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct cc_boxkey rev;

	(void)argc, (void)argv;
	fi_start("fuzz_replies");
	snprintf(bpath, sizeof(bpath), "%s/b.bundle", dir);
	snprintf(dbpath, sizeof(dbpath), "%s/intake.db", dir);
	snprintf(keysdir, sizeof(keysdir), "%s/keys", dir);
	keys();
	/* the reporter of the start-up concern: the key its receipt gave */
	memcpy(r_reporter.pk, sd->key.pk, CC_BOX_PK);
	cc_keyid(sd->key.pk, r_reporter.keyid);
	fz_recipient("reviewer-0", &r_rev, &rev);
	sodium_memzero(&rev, sizeof(rev));
	/* this harness's own connection, to delete what each input imported */
	if (sqlite3_open_v2(dbpath, &reset, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(reset, 10000) != SQLITE_OK ||
	    sqlite3_exec(reset, "DROP TRIGGER replies_no_delete; DROP TRIGGER status_no_delete",
		NULL, NULL, NULL) != SQLITE_OK)
		abort();
	if (getenv("CANDOUR_FUZZ_SEEDS") != NULL)
		make_seeds();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 1)
		one(data, size);
	return 0;
}
