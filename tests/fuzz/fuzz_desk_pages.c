/*
 * The reviewer's desk's pages (review/desk_*.c), past the gate that
 * fuzz_desk.c covers: up to four requests through desk_serve.c's answer()
 * (what access_cb does once a request's form is in: the gate, then the
 * route) with fuzzed methods, paths, query arguments and form fields,
 * against a real casebook made once per process in a temporary directory:
 * two export bundles signed by a fixed intake key (the first imported: a
 * concern to both reviewers with an attachment and a follow-up, one sealed
 * to the other reviewer only, one to this reviewer only; the second left
 * for the bundles form to import), a reply and a note, a referral
 * register (imported once, so the concerns' references are exact, near or
 * missing, and the referrals page, its flags and the link actions meet a
 * register), and the key file sealed with the test KDF for /unlock.
 * Every route: the inbox and its
 * filters, a concern, an attachment, the actions (status, outcome, assign,
 * note, reply and its preview, link and unlink), referrals, bundles
 * (import, export-replies), the report (preview, save), unlock, the static
 * files, unknown paths and methods; the desk starts unlocked or locked.
 * Each request carries the session's cookie and, on a POST, the form's
 * csrf, or (chosen by the input) a csrf one digit off or no cookie.
 *
 * desk_serve.c is included for its static functions (as fuzz_desk.c and
 * tests/review/test_desk_refs_csv.c do), with libmicrohttpd's
 * MHD_lookup_connection_value replaced by a lookup in a fake connection
 * (the Host, Sec-Fetch-Site, cookie and query arguments the input chose);
 * form fields go through the desk's own collector (post_field).
 * A path typed in a form is kept inside the temporary directory ("in" and
 * "in2" name the two bundles, anything else a file under out/, emptied
 * after each input): the desk writes where it is told. After every input
 * that changed the casebook it is put back as it was made (SQLite's
 * backup API from a copy in memory), and the desk's own state (flash line,
 * kept report form, unlock error) is cleared: each input runs alone, and a
 * crash reproduces from its file.
 *
 * Properties: no crash, leak or sanitizer report; no answer is a 500 (a
 * failure no page names); a request the gate refuses is a 403 and changes
 * nothing in the casebook; no page leaves a transaction open or a
 * statement running (the put-back would fail); a redirect is to a local
 * path; no answer holds the text of the concern sealed to the other
 * reviewer only (a marker, fixed so that a crash reproduces from its file)
 * unless the input itself typed it (a page may echo what was typed: the
 * fuzzer learns the marker from the comparison that looks for it); every
 * HTML page is the layout's whole (ends "</html>"), strict UTF-8 text
 * with no control character but newline and tab, and holds no "<fz" (in
 * no template or catalogue: what a request typed, gone out unescaped).
 *
 * fuzz_desk_import.c includes this file (FDP_SHARED_ONLY: without the
 * entry points and seeds) for its casebook, requests and checks.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

/* The fake connection: what libmicrohttpd would have parsed from the
 * request (desk_serve.c asks it for nothing else). */
static const char *fz_lookup(struct MHD_Connection *, enum MHD_ValueKind, const char *);
#define MHD_lookup_connection_value fz_lookup
#include "review/desk_serve.c"
#undef MHD_lookup_connection_value
#include "bundle/bundle.h"
#include "review/ref.h"
#include "tests/fuzz/fuzz.h"
#include "util/util.h"

#define PORT 8421
#define STR_MAX 128
#define PASS "correct horse battery staple anvil" /* the key file's */

#define ARGS_MAX 8
#define VAL_MAX 8192   /* a reply's text fits (CB_TEXT_MAX is larger: cut here) */
#define IDS_MAX 12     /* the casebook's, the one of none's, an input's imported */
#define FDP_MARK "<fz" /* text from outside: never raw in a page (html_ok) */

struct fconn {
	const char *host, *origin, *site, *cookie;
	size_t n;
	const char *name[ARGS_MAX], *val[ARGS_MAX];
};

static const char *
fz_lookup(struct MHD_Connection *conn, enum MHD_ValueKind kind, const char *key)
{
	const struct fconn *c = (const void *)conn;

	if (kind == MHD_HEADER_KIND)
		return strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0 ? c->host
		       : strcasecmp(key, "Origin") == 0		  ? c->origin
		       : strcasecmp(key, "Sec-Fetch-Site") == 0	  ? c->site
								  : NULL;
	if (kind == MHD_COOKIE_KIND)
		return strcmp(key, DESK_COOKIE_NAME) == 0 ? c->cookie : NULL;
	if (kind == MHD_GET_ARGUMENT_KIND)
		for (size_t i = 0; i < c->n; i++) /* the first of a repeated name, as MHD */
			if (strcmp(c->name[i], key) == 0)
				return c->val[i];
	return NULL;
}

static char dir[256], outdir[300], cbpath[300], secpath[300], bpath[2][300];
static struct desk desk;
static struct desk_web webs[2]; /* en, cy */
static char sess[DESK_HEX_CHARS + 1], csrf[DESK_HEX_CHARS + 1];
static char ids[IDS_MAX][CB_ID_CHARS + 1];
static size_t nids;
static char marker[2 * 16 + 1]; /* in the concern sealed to bob only */
static int typed;		/* the input holds the marker itself */
static sqlite3 *pristine;
static struct casebook *held_cb; /* the desk's, while an input starts locked */
static struct cc_seckey *held_sk;
static int trace;   /* CANDOUR_FUZZ_TRACE set: each request and its answer on stderr */
static int changes; /* sqlite3_total_changes of the desk's casebook as made */
static uint8_t spk[CC_SIGN_PK], *ssk;
static struct cc_recipient r_me, r_other;
static struct cc_boxkey reporter;
static uint8_t link_a[CC_HASH_BYTES]; /* the chain after the imported bundle (seq 4) */

static const char *const paths[] = {"/unlock", "/", "/concern", "/attachment", "/action",
    "/referrals", "/bundles", "/report", "/static/style.css", "/static/desk.css", "/quit", "/nope"};
static const char *const names[] = {"id", "n", "q", "status", "flag", "kind", "state", "outcome",
    "summary", "share", "reviewer", "text", "ref", "path", "period", "format", "lang",
    "intake_head", "intake_count", "intake_date", "as_of", "passphrase", "token", "csrf"};
static const char *const words[] = {"status", "outcome", "assign", "note", "reply_preview", "reply",
    "link_confirm", "link_reject", "import", "export", "preview", "save", "new", "acknowledged",
    "investigating", "closed", "substantiated", "not_substantiated", "yes", "alice", "bob", "en",
    "cy", "html", "csv", "json", "2025", "FY2025", "2025-Q2", "2026-11", "2026-12-31", "1", "2",
    "0", "REF/2024/00012", "in", "in2", PASS, "PPN-123457", "REF/2023/00077", "REF/2024/00500",
    "REF/2024/00013", "decision-late", "nfa-quick", "closed-no-decision", "missing", "PPN-123456"};

/* A NUL-ended copy of a piece of the input (cut at a NUL), malloc'd. */
static char *
fz_strdup(struct fz *z)
{
	size_t n;
	const uint8_t *p = fz_bytes(z, &n);
	size_t k = 0;
	char *s;

	while (k < n && k < VAL_MAX && p[k] != 0)
		k++;
	if ((s = malloc(k + 1)) == NULL)
		abort();
	memcpy(s, p, k);
	s[k] = '\0';
	return s;
}

static char *
dup_of(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 1);
	if (s == NULL)
		abort();
	memcpy(s, a, la);
	memcpy(s + la, b, lb + 1);
	return s;
}

/* A value: any bytes, a concern id (the last is well-formed but no
 * concern's), an id with bytes after it, or a word the pages know. */
static char *
value(struct fz *z)
{
	uint8_t v = fz_u8(z);
	switch (v & 3) {
	case 0:
		return fz_strdup(z);
	case 1:
		return dup_of(ids[(v >> 2) % nids], "");
	case 2: {
		char *t = fz_strdup(z), *s = dup_of(ids[(v >> 2) % nids], t);
		free(t);
		return s;
	}
	default:
		return dup_of(words[(v >> 2) % (sizeof(words) / sizeof(words[0]))], "");
	}
}

/* A path typed in a form, kept inside dir: "in" and "in2" are the bundles,
 * anything else (not empty: the page refuses that itself) a file in out/
 * named by it with '/' made '_' (control characters kept: refused). */
static char *
confine(char *v)
{
	char *s;
	if (v[0] == '\0')
		return v;
	if (strcmp(v, "in") == 0 || strcmp(v, "in2") == 0)
		s = dup_of(bpath[v[2] == '2'], "");
	else {
		for (char *p = v; *p; p++)
			if (*p == '/')
				*p = '_';
		if (strlen(v) > 200)
			v[200] = '\0';
		char pre[320];
		snprintf(pre, sizeof(pre), "%s/%s", outdir, v[0] == '.' ? "_" : "");
		s = dup_of(pre, v);
	}
	free(v);
	return s;
}

static void
empty_out(void)
{
	DIR *dp = opendir(outdir);
	struct dirent *e;
	char p[600];

	if (dp == NULL)
		abort();
	while ((e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", outdir, e->d_name);
		if (unlink(p) != 0)
			abort();
	}
	closedir(dp);
}

static int
holds(const uint8_t *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; p != NULL && i + k <= n; i++)
		if (memcmp(p + i, needle, k) == 0)
			return 1;
	return 0;
}

/* A page: the layout's whole (it ends with </html>), strict UTF-8 with no
 * control character but newline and tab (so no NUL), and no "<fz" (in
 * no template or catalogue: text from outside, a bundle's or a request's,
 * gone out unescaped). */
static void
html_ok(const struct desk_req *r, const char *p, size_t n)
{
	static const char end[] = "</html>\n";
	size_t k = sizeof(end) - 1;

	if (p == NULL || n < k || memcmp(p + n - k, end, k) != 0 || !util_text_valid(p, n, 1) ||
	    holds((const uint8_t *)p, n, FDP_MARK)) {
		fprintf(stderr,
		    "fuzz_desk_pages: %s %s: a page not whole, not text or with \"" FDP_MARK
		    "\" raw\n",
		    r->method, r->path);
		abort();
	}
}

/* The casebook as made, and the desk's own state as it starts. */
static void
reset(void)
{
	sqlite3_backup *b;
	struct casebook *cb = desk.cb;

	if (sqlite3_total_changes(cb_db(cb)) != changes) {
		if ((b = sqlite3_backup_init(cb_db(cb), "main", pristine, "main")) == NULL ||
		    sqlite3_backup_step(b, -1) != SQLITE_DONE ||
		    sqlite3_backup_finish(b) != SQLITE_OK)
			abort();      /* a statement left running holds the casebook */
		cb->ck_cid[0] = '\0'; /* the concern key cached may be one undone */
		cb->ck_box_ready = 0;
		changes = sqlite3_total_changes(cb_db(cb));
	}
	desk.unlock_err[0] = desk.flash[0] = desk.flash_arg[0] = desk.flash_text[0] = '\0';
	desk.flash_bad = 0;
	memset(&desk.report_kept, 0, sizeof(desk.report_kept));
}

/* A request answered as access_cb would, and every answer's properties
 * checked; its status. */
static unsigned
ask(struct desk_req *r, int form_ok, int before)
{
	struct desk_resp o;
	char cookie[DESK_HEX_CHARS + 1];
	int v = answer(&desk, r, form_ok, &o, cookie);
	const uint8_t *body = o.bin ? o.bin : (const uint8_t *)o.body.p;
	size_t blen = o.bin ? o.binlen : o.body.len;
	unsigned status = o.status;

	if (trace)
		fprintf(stderr, "fuzz_desk_pages: %s %s -> %d %u %s %s\n", r->method, r->path, v,
		    o.status, o.location, desk.flash);
	if (o.status == 500 || o.status < 200)
		abort(); /* a failure no page names */
	if (v != DESK_PASS && (v == DESK_ISSUE || o.status != 403 ||
				  (desk.cb && sqlite3_total_changes(cb_db(desk.cb)) != before)))
		abort(); /* refused, yet served or changed */
	if (desk.cb != NULL && desk.cb->in_txn)
		abort(); /* a transaction left open */
	if (o.location[0] != '\0' && (o.location[0] != '/' || o.location[1] == '/'))
		abort();
	if (!typed && holds(body, blen, marker))
		abort(); /* the other reviewer's concern, opened */
	if (o.bin == NULL && o.ctype != NULL && strncmp(o.ctype, "text/html", 9) == 0)
		html_ok(r, o.body.p, o.body.len);
	tbuf_free(&o.body);
	if (o.bin != NULL)
		free(o.bin);
	return status;
}

static void
request(struct fz *z)
{
	static const char *const methods[] = {"GET", "POST", "HEAD"};
	uint8_t m = fz_u8(z), p = fz_u8(z);
	char mbuf[STR_MAX], pbuf[STR_MAX], host[DESK_HOST_MAX], fl[DESK_HEX_CHARS + 1];
	struct fconn fc = {0};
	struct desk_req r;
	char *gv[ARGS_MAX] = {0};
	int before = desk.cb ? sqlite3_total_changes(cb_db(desk.cb)) : 0, form_ok = 1;

	memset(&r, 0, sizeof(r));
	r.method = (m & 3) < 3 ? methods[m & 3] : fz_cstr(z, mbuf, STR_MAX);
	r.path =
	    p % 16 < sizeof(paths) / sizeof(paths[0]) ? paths[p % 16] : fz_cstr(z, pbuf, STR_MAX);
	r.conn = &fc;
	snprintf(host, sizeof(host), "127.0.0.1:%u", PORT);
	fc.host = host;
	fc.site = m & 0x10 ? "same-origin" : NULL;
	/* bits 2-3: 0 and 1 the session's cookie and csrf, 2 a csrf one digit
	 * off, 3 no cookie */
	fc.cookie = ((m >> 2) & 3) == 3 ? NULL : sess;
	int post = strcmp(r.method, "POST") == 0;
	memcpy(fl, csrf, sizeof(fl));
	if (((m >> 2) & 3) == 2)
		fl[7] = fl[7] == '0' ? '1' : '0';
	if (post && post_field(&r, MHD_POSTDATA_KIND, "csrf", NULL, NULL, NULL, fl, 0,
			DESK_HEX_CHARS) != MHD_YES)
		abort();
	for (unsigned k = fz_u8(z) % (ARGS_MAX + 1); k > 0 && z->n > 0; k--) {
		uint8_t nb = fz_u8(z);
		char nbuf[STR_MAX];
		const char *name = nb < 0xe0 ? names[nb % (sizeof(names) / sizeof(names[0]))]
					     : fz_cstr(z, nbuf, STR_MAX);
		char *v = value(z);
		if (strcmp(name, "path") == 0)
			v = confine(v);
		if (post) {
			/* refused (a repeated name, too many): as MHD's processor
			 * would, nothing more of the form is read */
			if (!r.bad_field &&
			    post_field(&r, MHD_POSTDATA_KIND, name, NULL, NULL, NULL, v, 0,
				strlen(v)) != MHD_YES &&
			    !r.bad_field)
				abort();
			free(v);
		} else if (fc.n < ARGS_MAX) {
			fc.name[fc.n] = dup_of(name, "");
			fc.val[fc.n] = gv[fc.n] = v;
			fc.n++;
		} else
			free(v);
	}
	if (m & 0x20)
		form_ok = !post; /* a POST without a body MHD could read */

	(void)ask(&r, form_ok, before);
	for (size_t i = 0; i < r.nf; i++)
		free(r.f[i].val);
	for (size_t i = 0; i < fc.n; i++) {
		free((char *)fc.name[i]);
		free(gv[i]);
	}
}

static void
pages(struct fz *z)
{
	uint8_t f = fz_u8(z);

	desk.web = webs[f & 1];
	/* the desk as it starts: locked, the /unlock page first. The open
	 * casebook is held aside, not closed: opening it again each time
	 * would cost an Argon2id run (8 MiB, the test KDF) per input */
	if (f & 2) {
		held_cb = desk.cb, held_sk = desk.sk;
		desk.cb = NULL, desk.sk = NULL;
	}
	for (unsigned n = fz_u8(z) % 4 + 1; n > 0 && z->n > 0; n--)
		request(z);
	if (held_cb != NULL) {
		if (desk.cb != NULL) {
			/* unlocked by the input: what its connection wrote is
			 * in the file, not in the held one's change count */
			desk_lock(&desk);
			changes = -1;
		}
		desk.cb = held_cb, desk.sk = held_sk;
		held_cb = NULL, held_sk = NULL;
	}
	reset();
	empty_out();
}

/* ---- the casebook --------------------------------------------------------- */

/* An export bundle at path: records from seq from on, after link (updated),
 * each a concern or a follow-up of parent, its envelopes (the body, then
 * attachments) sealed to mask (1 me, 2 the other reviewer) around the
 * plaintexts pt (len[e] bytes; 0: a NUL-ended string's). */
#define REC_ENV 3
struct rec {
	int kind;
	uint64_t parent;
	int mask;
	size_t nenv;
	const char *pt[REC_ENV];
	size_t len[REC_ENV];
};
static void export(
    const char *path, uint64_t from, uint8_t link[CC_HASH_BYTES], const struct rec *rs, size_t n)
{
	struct bundle_w *w;

	if (bundle_w_create(path, BUNDLE_EXPORT, from, link, NULL, &w) != 0)
		abort();
	for (size_t i = 0; i < n; i++) {
		struct brec b;
		struct cc_recipient to[2];
		uint8_t *env[REC_ENV], h[CC_HASH_BYTES];
		size_t envlen[REC_ENV], nt = 0;

		memset(&b, 0, sizeof(b));
		b.seq = from + i;
		b.kind = (uint8_t)rs[i].kind;
		snprintf(b.date, sizeof(b.date), "2025-0%zu-1%zu", 1 + i % 9, i % 10);
		if (b.kind == BREC_FOLLOWUP)
			b.parent_seq = rs[i].parent;
		else {
			b.rcpt_ops = 2;
			b.rcpt_mem = 67108864;
			memcpy(b.reporter_pk, reporter.pk, CC_BOX_PK);
			memset(b.lookup, (int)b.seq, CC_HASH_BYTES);
		}
		if (rs[i].mask & 1)
			to[nt++] = r_me;
		if (rs[i].mask & 2)
			to[nt++] = r_other;
		b.nenv = (uint16_t)rs[i].nenv;
		for (uint16_t e = 0; e < b.nenv; e++) {
			int kind = e			    ? CC_KIND_ATTACHMENT
				   : b.kind == BREC_CONCERN ? CC_KIND_CONCERN
							    : CC_KIND_MESSAGE;
			const char *pt = rs[i].pt[e];
			if (cc_env_seal(kind, to, nt, (const uint8_t *)pt,
				rs[i].len[e] ? rs[i].len[e] : strlen(pt), &env[e],
				&envlen[e]) != CC_OK)
				abort();
			cc_hash(env[e], envlen[e], b.env[e].hash);
			b.env[e].len = envlen[e];
		}
		if (brec_hash(&b, h) != 0)
			abort();
		cc_chain_next(link, b.seq, h, link);
		if (bundle_w_record(w, &b, link) != 0)
			abort();
		for (uint16_t e = 0; e < b.nenv; e++) {
			if (bundle_w_env_begin(w, b.seq, e, envlen[e]) != 0 ||
			    bundle_w_env_write(w, env[e], envlen[e]) != 0 ||
			    bundle_w_env_end(w) != 0)
				abort();
			free(env[e]);
		}
	}
	if (bundle_w_commit(w, ssk, spk) != 0)
		abort();
}

/* A concern's plaintext naming the references ref1 and ref2 (NULL: none),
 * one "ref" field each, as the intake's form encodes them. */
static char *
concern_text(const char *cat, const char *what, const char *ref1, const char *ref2)
{
	static char buf[4][512];
	static int k;
	char *b = buf[k++ % 4], refs[2][64] = {"", ""};
	const char *r[2] = {ref1, ref2};

	for (int i = 0; i < 2; i++)
		if (r[i] != NULL)
			snprintf(refs[i], sizeof(refs[i]), "ref %zu\n%s\n", strlen(r[i]), r[i]);
	snprintf(b, sizeof(buf[0]),
	    "candour-concern-v1\ncategory %zu\n%s\nteam 3\nOps\nwhat %zu\n%s\nwhen 10\n"
	    "2025-01-30\n%s%srisk 3\nyes\n--\n",
	    strlen(cat), cat, strlen(what), what, refs[0], refs[1]);
	return b;
}

/* The referral register, imported as `candour-review referrals import`
 * does (in one transaction, then the concerns relinked): REF/2024/00012
 * (named by the first two concerns: exact) late for a decision,
 * PPN-123456 (the third names PPN-123457: near) closed after a quick NFA,
 * and REF/2024/00500, named by the concern the second bundle brings. The
 * third's REF/2023/00077 is in no register (missing). */
static void
referral_register(struct casebook *cb)
{
	static const char csv[] =
	    "reference,received,source,team,decision,decision_date,status,closed_date\r\n"
	    "REF/2024/00012,2024-03-01,school,North,,,open,\r\n"
	    "PPN-123456,2024-02-01,\"police, \"\"night\"\"\",South,NFA,2024-02-02,closed,"
	    "2024-02-09\r\n"
	    "REF/2024/00500,2024-05-01,health,North,Section 47,2024-05-02,closed,2024-06-01\r\n";
	char path[320], why[512];
	struct ref_ctx *ctx;
	struct ref_config cfg;
	struct ref_import_stats st;
	size_t relinked;

	snprintf(path, sizeof(path), "%s/register.csv", dir);
	if (util_write_file(path, csv, sizeof(csv) - 1, 0600, 0) != 0 ||
	    (ctx = ref_ctx_get(cb)) == NULL)
		abort();
	cfg = ctx->cfg;
	if (cb_begin(cb) != 0 || ref_import_csv(cb, &cfg, path, NULL, &st, why, sizeof(why)) != 0 ||
	    ref_relink(cb, &relinked) != 0 || cb_commit(cb) != 0 || st.added != 3) {
		fprintf(stderr, "fuzz_desk_pages: register: %s\n", why);
		abort();
	}
	(void)unlink(path);
}

static void
casebook(void)
{
	static const char message[] = "candour-message-v1\ntext 9\nMore info\n--\n";
	static const char att[] = "candour-attachment-v1\nname 5\na.txt\ntype 10\ntext/plain\n--\n"
				  "file contents";
	struct cc_seckey *me, *other;
	struct casebook *cb;
	struct cb_import_res res;
	struct cb_concern c;
	struct cc_kdf kdf;
	uint8_t link[CC_HASH_BYTES], sec_marker[16];
	char why[512], bob_what[64];
	const char *w;
	sqlite3_stmt *st;
	sqlite3_backup *b;

	if ((ssk = sodium_malloc(CC_SIGN_SK)) == NULL)
		abort();
	fz_signkey("intake", spk, ssk);
	fz_boxkey("reporter", &reporter);
	if (cc_keypair_generate("alice", &me) != CC_OK ||
	    cc_keypair_generate("bob", &other) != CC_OK)
		abort();
	cc_recipient_of(&me->pub, &r_me);
	cc_recipient_of(&other->pub, &r_other);
	cc_seckey_free(other);
	crypto_generichash(sec_marker, sizeof(sec_marker), (const uint8_t *)"bob", 3, NULL, 0);
	sodium_bin2hex(marker, sizeof(marker), sec_marker, sizeof(sec_marker));
	snprintf(bob_what, sizeof(bob_what), "For bob %s", marker);
	/* the key file /unlock opens, sealed with the test KDF */
	setenv(RV_WEAK_KDF_ENV, "1", 1);
	cc_seckey_test_floor(1);
	cc_kdf_test(&kdf);
	if (cc_seckey_seal(me, PASS, strlen(PASS), &kdf, &desk.keyfile, &desk.keyfile_len) !=
		CC_OK ||
	    util_write_file(secpath, desk.keyfile, desk.keyfile_len, 0600, 0) != 0)
		abort();
	if (cb_create(cbpath, me, spk, &cb, &w) != 0) {
		fprintf(stderr, "fuzz_desk_pages: casebook: %s\n", w);
		abort();
	}
	/* reset puts it back after every input that changed it */
	if (sqlite3_exec(cb_db(cb), "PRAGMA synchronous = OFF", NULL, NULL, NULL) != SQLITE_OK)
		abort();
	const struct rec a[] = {
	    {BREC_CONCERN, 0, 3, 2,
		{concern_text("safety", "It happened", "REF/2024/00012", NULL), att}, {0}},
	    {BREC_FOLLOWUP, 1, 3, 1, {message}, {0}},
	    {BREC_CONCERN, 0, 2, 1, {concern_text("fraud", bob_what, "REF/2024/00012", NULL)}, {0}},
	    {BREC_CONCERN, 0, 1, 1,
		{concern_text("other", "Second one", "PPN-123457", "REF/2023/00077")}, {0}},
	};
	const struct rec b2[] = {
	    {BREC_FOLLOWUP, 4, 1, 2, {message, att}, {0}},
	    {BREC_CONCERN, 0, 1, 1, {concern_text("safety", "Third one", "REF/2024/00500", NULL)},
		{0}},
	};
	cc_chain_genesis(link);
	export(bpath[0], 1, link, a, 4);
	memcpy(link_a, link, CC_HASH_BYTES); /* where a bundle of fuzz_desk_import's follows */
	export(bpath[1], 5, link, b2, 2);
	if (cb_import(cb, bpath[0], &res, why, sizeof(why)) != 0) {
		fprintf(stderr, "fuzz_desk_pages: import: %s\n", why);
		abort();
	}
	if (sqlite3_prepare_v2(
		cb_db(cb), "SELECT id FROM concerns ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(st) == SQLITE_ROW && nids < IDS_MAX - 1)
		snprintf(ids[nids++], sizeof(ids[0]), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (nids != 3)
		abort();
	memset(ids[nids], '0', CB_ID_CHARS); /* well-formed, no concern's */
	nids++;
	referral_register(cb);
	/* a reply waiting for export-replies, and a note */
	if (cb_begin(cb) != 0 || cb_concern_load(cb, ids[0], &c) != 0 ||
	    cb_act_reply(cb, &c, "Thank you", 9) != CB_ACT_OK ||
	    cb_act_note(cb, &c, "called back") != CB_ACT_OK || cb_commit(cb) != 0)
		abort();
	if (sqlite3_open(":memory:", &pristine) != SQLITE_OK ||
	    (b = sqlite3_backup_init(pristine, "main", cb_db(cb), "main")) == NULL ||
	    sqlite3_backup_step(b, -1) != SQLITE_DONE || sqlite3_backup_finish(b) != SQLITE_OK)
		abort();
	desk.cb = cb;
	desk.sk = me;
	changes = sqlite3_total_changes(cb_db(cb));
}

static void
cleanup(void)
{
	char p[400];
	static const char *const f[] = {"casebook.db", "casebook.db-wal", "casebook.db-shm",
	    "alice.sec", "in.bundle", "in2.bundle", "in3.bundle"};

	desk_lock(&desk);
	if (outdir[0] != '\0') {
		empty_out();
		rmdir(outdir);
	}
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, f[i]);
		(void)unlink(p);
	}
	(void)rmdir(dir);
}

/* The set-up both targets share (fuzz_desk_import.c includes this file):
 * the web files, the casebook, the desk unlocked with a session. */
static void
fdp_init(void)
{
	const char *web = getenv("CANDOUR_WEB_DIR");

	fz_init();
	trace = getenv("CANDOUR_FUZZ_TRACE") != NULL;
	/* before the temporary directory, which an abort would leave */
	if (desk_web_load(&webs[0], web ? web : "web", "en") != 0 ||
	    desk_web_load(&webs[1], web ? web : "web", "cy") != 0) {
		fprintf(stderr, "fuzz_desk_pages: cannot load web/ (run from the tree's top)\n");
		abort();
	}
	fz_tmpdir(dir, sizeof(dir), "candour-fuzz-desk", cleanup);
	snprintf(outdir, sizeof(outdir), "%s/out", dir);
	snprintf(cbpath, sizeof(cbpath), "%s/casebook.db", dir);
	snprintf(secpath, sizeof(secpath), "%s/alice.sec", dir);
	snprintf(bpath[0], sizeof(bpath[0]), "%s/in.bundle", dir);
	snprintf(bpath[1], sizeof(bpath[1]), "%s/in2.bundle", dir);
	if (mkdir(outdir, 0700) != 0)
		abort();
	rv_opts_init(&desk.o);
	desk.o.casebook = cbpath;
	desk.o.key = secpath;
	desk.web = webs[0];
	casebook();
	/* the session a browser holds once the token is spent */
	struct desk_req_hdrs h = {"GET", NULL, NULL, NULL, NULL, NULL, NULL};
	char host[DESK_HOST_MAX], tok[DESK_HEX_CHARS + 1];
	if (desk_auth_init(&desk.auth, PORT) != 0)
		abort();
	desk_auth_token_hex(&desk.auth, tok);
	desk_auth_csrf_hex(&desk.auth, csrf);
	snprintf(host, sizeof(host), "127.0.0.1:%u", PORT);
	h.host = host;
	h.token = tok;
	if (desk_gate(&desk.auth, &h, sess) != DESK_ISSUE)
		abort();
}

#ifndef FDP_SHARED_ONLY
/* The seeds: each route with arguments that reach past its checks. */
static void
make_seeds(void)
{
	struct fzw *w = calloc(1, sizeof(*w));
	/* method (0 GET, 1 POST), path index, then name index / value pairs:
	 * value 1 | k << 2 is concern id k, 3 | k << 2 word k */
	static const struct {
		const char *name;
		uint8_t m, p, n, a[8];
	} s[] = {
	    {"inbox", 0, 1, 0, {0}},
	    {"inbox-filter", 0, 1, 1, {3, 3 | 15 << 2}},
	    {"concern", 0, 2, 1, {0, 1}},
	    {"concern-bob", 0, 2, 1, {0, 1 | 1 << 2}},
	    {"attachment", 0, 3, 2, {0, 1, 1, 3 | 31 << 2}},
	    {"status", 1, 4, 3, {0, 1, 5, 3, 6, 3 | 13 << 2}},
	    {"outcome", 1, 4, 4, {0, 1, 5, 3 | 1 << 2, 7, 3 | 16 << 2, 8, 3 | 19 << 2}},
	    {"note", 1, 4, 3, {0, 1, 5, 3 | 3 << 2, 11, 3 | 19 << 2}},
	    {"reply", 1, 4, 3, {0, 1, 5, 3 | 5 << 2, 11, 3 | 20 << 2}},
	    {"reply-preview", 1, 4, 3, {0, 1, 5, 3 | 4 << 2, 11, 3 | 20 << 2}},
	    {"link", 1, 4, 3, {0, 1, 5, 3 | 6 << 2, 12, 3 | 34 << 2}},
	    {"import", 1, 6, 2, {5, 3 | 8 << 2, 13, 3 | 36 << 2}},
	    {"export", 1, 6, 2, {5, 3 | 9 << 2, 13, 3 | 19 << 2}},
	    {"report", 0, 7, 0, {0}},
	    {"report-preview", 1, 7, 2, {5, 3 | 10 << 2, 14, 3 | 27 << 2}},
	    {"report-save", 1, 7, 4,
		{5, 3 | 11 << 2, 14, 3 | 27 << 2, 13, 3 | 24 << 2, 15, 3 | 24 << 2}},
	    {"referrals", 0, 5, 0, {0}},
	    /* the register's: a flag, the references in none, a concern
	     * naming a near and a missing reference, links confirmed near,
	     * in the register, not in it (one edit from one that is), and
	     * unlinked */
	    {"referrals-flag", 0, 5, 1, {4, 3 | 42 << 2}},
	    {"referrals-missing", 0, 5, 1, {4, 3 | 45 << 2}},
	    {"concern-near", 0, 2, 1, {0, 1 | 2 << 2}},
	    {"link-near", 1, 4, 3, {0, 1 | 2 << 2, 5, 3 | 6 << 2, 12, 3 | 46 << 2}},
	    {"link-in-register", 1, 4, 3, {0, 1, 5, 3 | 6 << 2, 12, 3 | 40 << 2}},
	    {"link-not-in-register", 1, 4, 3, {0, 1, 5, 3 | 6 << 2, 12, 3 | 41 << 2}},
	    {"unlink", 1, 4, 3, {0, 1, 5, 3 | 7 << 2, 12, 3 | 34 << 2}},
	    {"unlink-missing", 1, 4, 3, {0, 1 | 2 << 2, 5, 3 | 7 << 2, 12, 3 | 39 << 2}},
	    {"unlock", 1, 0, 1, {21, 3 | 37 << 2}},
	};

	if (w == NULL)
		abort();
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		w->n = 0;
		fz_put8(w, strcmp(s[i].name, "unlock") == 0 ? 2 : 0);
		fz_put8(w, strcmp(s[i].name, "unlock") == 0 ? 1 : 0); /* requests - 1 */
		if (strcmp(s[i].name, "unlock") == 0) {
			fz_put8(w, 0); /* GET /unlock first */
			fz_put8(w, 0);
			fz_put8(w, 0);
		}
		fz_put8(w, s[i].m);
		fz_put8(w, s[i].p);
		fz_put8(w, s[i].n);
		for (uint8_t k = 0; k < 2 * s[i].n; k++)
			fz_put8(w, s[i].a[k]);
		fz_seed(s[i].name, w->b, w->n);
	}
	free(w);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fdp_init();
	if (getenv("CANDOUR_FUZZ_SEEDS") != NULL)
		make_seeds();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz z = {data, size};

	typed = holds(data, size, marker);
	pages(&z);
	return 0;
}
#endif
