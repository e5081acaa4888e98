/*
 * The reviewer's desk rendering what came from outside: each input
 * describes an export bundle that continues fuzz_desk_pages' casebook
 * (records from seq 5 on, after its first bundle): concerns and follow-ups
 * whose plaintexts are fields of the input's (names the intake writes or
 * any, values any bytes) or raw bytes, sealed to this reviewer, to both
 * reviewers or to the other only, with up to two attachments whose names,
 * types and contents are the input's; follow-ups of the casebook's
 * concerns, of its follow-up or of the bundle's own records. The bundle is
 * signed with the casebook's intake key and imported by cb_import (what
 * `import` and the desk's bundles form call), so the readers after
 * verification are reached and the references a concern names are linked
 * against the referral register. Then the desk renders the inbox, the
 * referrals, each concern the bundle brought and each concern a follow-up
 * names, and what is left of the input is one of fuzz_desk_pages' inputs
 * (up to four requests of any kind, locked or not) against the casebook
 * with the import in it.
 *
 * All of fuzz_desk_pages.c is included (its casebook, requests and
 * checks; FDP_SHARED_ONLY leaves out its entry points and seeds). After
 * each input the casebook is put back as it was made (its reset): each
 * input meets the same casebook and a crash reproduces from its file
 * (the imported concerns' ids are random, so their order in the inbox
 * may differ; nothing checked depends on it).
 *
 * Properties, beside fuzz_desk_pages' for every answer (no 500, a refused
 * request changes nothing, no transaction left open, local redirects, the
 * other reviewer's concern never opened, every HTML page whole, strict
 * text and without "<fz" raw): no crash, leak or sanitizer report; the
 * inbox and the referrals are 200s; a concern the bundle brought is a 200
 * when this reviewer can read it and a 403 when it was sealed to the other
 * reviewer only.
 */
#define FDP_SHARED_ONLY
#include "tests/fuzz/fuzz_desk_pages.c"

#define FDI_RECS 4    /* records a bundle carries at most */
#define FDI_FIELDS 16 /* fields a plaintext carries at most */

static char ipath[300]; /* the input's bundle */

static const char *const fnames[] = {"category", "team", "what", "when", "ref", "refs", "risk",
    "text", "detriment", "raised_before", "raised_with", "reviewer", "name", "type"};

/* "NAME LEN\nVALUE\n" onto b (the fields codec's form, util/fields.c). */
static void
put_field(struct tbuf *b, const char *name, const uint8_t *v, size_t len)
{
	char h[STR_MAX + 32];

	snprintf(h, sizeof(h), "%s %zu\n", name, len);
	tbuf_put(b, h, strlen(h));
	tbuf_put(b, (const char *)v, len);
	tbuf_put(b, "\n", 1);
}

/* A body: byte bit 7 raw (the next piece as it is), else up to 16 fields,
 * each a name (byte < 0xf0: a name the intake writes, else a piece) and a
 * value (a piece, cut at VAL_MAX), after magic and before "--". */
static void
body(struct fz *z, const char *magic, struct tbuf *b)
{
	uint8_t h = fz_u8(z);
	size_t len;
	const uint8_t *p;

	if (h & 0x80) {
		p = fz_bytes(z, &len);
		tbuf_put(b, (const char *)p, len);
		return;
	}
	tbuf_put(b, magic, strlen(magic));
	tbuf_put(b, "\n", 1);
	for (unsigned k = h % (FDI_FIELDS + 1); k > 0 && z->n > 0; k--) {
		uint8_t nb = fz_u8(z);
		char nbuf[STR_MAX];
		const char *name = nb < 0xf0 ? fnames[nb % (sizeof(fnames) / sizeof(fnames[0]))]
					     : fz_cstr(z, nbuf, STR_MAX);
		p = fz_bytes(z, &len);
		put_field(b, name, p, len < VAL_MAX ? len : VAL_MAX);
	}
	tbuf_put(b, "--\n", 3);
}

/* An attachment: its header (name and type pieces) and contents (a piece). */
static void
attachment(struct fz *z, struct tbuf *b)
{
	size_t len;
	const uint8_t *p;

	tbuf_put(b, FIELDS_ATTACHMENT "\n", strlen(FIELDS_ATTACHMENT) + 1);
	p = fz_bytes(z, &len);
	put_field(b, "name", p, len);
	p = fz_bytes(z, &len);
	put_field(b, "type", p, len);
	p = fz_bytes(z, &len);
	tbuf_put(b, "--\n", 3);
	tbuf_put(b, (const char *)p, len);
}

/* A GET of path (with ?id=id when not NULL) as the reviewer's browser
 * sends it; its status after fuzz_desk_pages' checks. */
static unsigned
get(const char *path, const char *id)
{
	struct fconn fc = {0};
	struct desk_req r;
	char host[DESK_HOST_MAX];

	memset(&r, 0, sizeof(r));
	r.method = "GET";
	r.path = path;
	r.conn = &fc;
	snprintf(host, sizeof(host), "127.0.0.1:%u", PORT);
	fc.host = host;
	fc.site = "same-origin";
	fc.cookie = sess;
	if (id != NULL) {
		fc.name[0] = "id";
		fc.val[0] = id;
		fc.n = 1;
	}
	return ask(&r, 1, sqlite3_total_changes(cb_db(desk.cb)));
}

/* The concern id and readability of record seq, or 0 when no concern. */
static int
concern_of(uint64_t seq, char id[CB_ID_CHARS + 1], int *readable)
{
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(cb_db(desk.cb), "SELECT id, readable FROM concerns WHERE seq = ?",
		-1, &st, NULL) != SQLITE_OK)
		abort();
	sqlite3_bind_int64(st, 1, (int64_t)seq);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(id, CB_ID_CHARS + 1, "%s", sqlite3_column_text(st, 0));
		*readable = sqlite3_column_int(st, 1);
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

/* One input: byte 0 (bit 0 Welsh), the number of records, then each: a
 * byte (bit 0 a follow-up, bits 1-2 sealed to me, both, the other, me,
 * bits 4-5 mod 3 its attachments), a follow-up's parent (a byte: seq 1 + b %
 * (4 + its index): the casebook's records or the bundle's before it), its
 * body and attachments; the rest is fuzz_desk_pages' input. */
static void
one(const uint8_t *data, size_t size)
{
	static const int masks[4] = {1, 3, 2, 1};
	struct fz z = {data + 1, size - 1};
	struct rec rs[FDI_RECS];
	struct tbuf pt[FDI_RECS][REC_ENV];
	uint8_t link[CC_HASH_BYTES];
	size_t n = 1 + fz_u8(&z) % FDI_RECS, base = nids;
	struct cb_import_res res;
	char why[512], id[CB_ID_CHARS + 1];
	int readable;

	typed = holds(data, size, marker);
	memset(pt, 0, sizeof(pt));
	memset(rs, 0, sizeof(rs));
	for (size_t i = 0; i < n; i++) {
		uint8_t f = fz_u8(&z);
		rs[i].kind = f & 1 ? BREC_FOLLOWUP : BREC_CONCERN;
		rs[i].mask = masks[(f >> 1) & 3];
		if (rs[i].kind == BREC_FOLLOWUP)
			rs[i].parent = 1 + fz_u8(&z) % (4 + i);
		rs[i].nenv = 1 + ((f >> 4) & 3) % REC_ENV;
		body(&z, rs[i].kind == BREC_CONCERN ? FIELDS_CONCERN : FIELDS_MESSAGE, &pt[i][0]);
		for (size_t e = 1; e < rs[i].nenv; e++)
			attachment(&z, &pt[i][e]);
		for (size_t e = 0; e < rs[i].nenv; e++) {
			if (pt[i][e].err)
				abort();
			/* "" for an empty one: export takes a length of 0 as a
			 * string's */
			rs[i].pt[e] = pt[i][e].len ? pt[i][e].p : "";
			rs[i].len[e] = pt[i][e].len;
		}
	}
	memcpy(link, link_a, CC_HASH_BYTES);
	(void)unlink(ipath);
	export(ipath, 5, link, rs, n);
	for (size_t i = 0; i < n; i++)
		for (size_t e = 0; e < REC_ENV; e++)
			tbuf_free(&pt[i][e]);
	desk.web = webs[data[0] & 1];
	if (cb_import(desk.cb, ipath, &res, why, sizeof(why)) != 0 && trace)
		fprintf(stderr, "fuzz_desk_import: import: %s\n", why);
	if (get("/", NULL) != 200 || get("/referrals", NULL) != 200)
		abort();
	for (size_t i = 0; i < n; i++) {
		uint64_t seq = rs[i].kind == BREC_CONCERN ? 5 + i : rs[i].parent;
		if (!concern_of(seq, id, &readable))
			continue;
		if (get("/concern", id) != (readable ? 200u : 403u))
			abort(); /* a concern of this reviewer's not shown, or the other's */
		if (rs[i].kind == BREC_CONCERN && nids < IDS_MAX)
			memcpy(ids[nids++], id, sizeof(ids[0])); /* for the requests */
	}
	pages(&z);
	nids = base;
}

/* ---- seeds ---------------------------------------------------------------- */

static void
put_fields(struct fzw *w, uint8_t n, const uint8_t *names, const char *const *vals)
{
	fz_put8(w, n);
	for (uint8_t i = 0; i < n; i++) {
		fz_put8(w, names[i]);
		fz_put_str(w, vals[i]);
	}
}

static void
put_att(struct fzw *w, const char *name, const char *type, const char *data)
{
	fz_put_str(w, name);
	fz_put_str(w, type);
	fz_put_str(w, data);
}

/* A concern (every field the intake writes, each holding the marker and
 * markup, references in the register, near one and in none) with two
 * attachments, to this reviewer; a follow-up of it with an attachment; a
 * follow-up of the casebook's first concern; then tail (a fuzz_desk_pages
 * input, or nothing). */
static void
put_all(struct fzw *w, uint8_t lang)
{
	static const uint8_t cn[] = {0, 1, 2, 3, 4, 4, 6, 8, 9, 10};
	static const char *const cv[] = {"safety<fz", "<fz>Ops & \"night\"</fz>",
	    "It <fz onload=x>happened</fz>\nagain 'twice'", "2025-01-30<fz", "REF/2024/00500",
	    "PPN-123457 <fz>", "yes", "unsaid<fz", "no", "<fz>my manager</fz>"};
	static const uint8_t mn[] = {7, 8};
	static const char *const mv[] = {"More <fz>info</fz> & \"quotes\"", "yes"};

	fz_put8(w, lang);
	fz_put8(w, 2);	    /* three records */
	fz_put8(w, 2 << 4); /* a concern to me, two attachments */
	put_fields(w, sizeof(cn), cn, cv);
	put_att(w, "<fz>.txt", "text/<fz", "<fz>contents</fz>");
	put_att(w, "a \"b\" 'c'.pdf", "application/pdf", "%PDF-1.4");
	fz_put8(w, 1 | 1 << 4); /* a follow-up of it, with an attachment */
	fz_put8(w, 4);		/* seq 5 */
	put_fields(w, sizeof(mn), mn, mv);
	put_att(w, "<fz", "image/<fz>", "");
	fz_put8(w, 1 | 1 << 1); /* a follow-up of seq 1, to both */
	fz_put8(w, 0);
	put_fields(w, 1, mn, mv);
}

static void
make_seeds(void)
{
	struct fzw *w = calloc(1, sizeof(*w));
	static const uint8_t n1[] = {0, 2};
	static const char *const v1[] = {"other", "For the other <fz>"};

	if (w == NULL)
		abort();
	put_all(w, 0);
	fz_seed("all", w->b, w->n);
	w->n = 0;
	put_all(w, 1);
	fz_seed("all-cy", w->b, w->n);
	/* and the concern page of the first, with the pages' requests: a
	 * search for the marker and a note holding it */
	w->n = 0;
	put_all(w, 0);
	fz_put8(w, 0); /* fuzz_desk_pages: English, unlocked */
	fz_put8(w, 1); /* two requests */
	fz_put8(w, 0); /* GET / ?q= */
	fz_put8(w, 1);
	fz_put8(w, 1);
	fz_put8(w, 2); /* q */
	fz_put8(w, 0);
	fz_put_str(w, "<fz>");
	fz_put8(w, 1); /* POST /action id=the first imported, note */
	fz_put8(w, 4);
	fz_put8(w, 3);
	fz_put8(w, 0);
	fz_put8(w, 1 | 4 << 2); /* ids[4] */
	fz_put8(w, 5);
	fz_put8(w, 3 | 3 << 2); /* note */
	fz_put8(w, 11);
	fz_put8(w, 0);
	fz_put_str(w, "<fz> a note");
	fz_seed("all-then-pages", w->b, w->n);
	/* a concern sealed to the other reviewer only (a 403), a raw body, a
	 * follow-up of the other's concern */
	w->n = 0;
	fz_put8(w, 0);
	fz_put8(w, 2);
	fz_put8(w, 2 << 1);
	put_fields(w, 2, n1, v1);
	fz_put8(w, 0);
	fz_put8(w, 0x80);
	fz_put_str(w, FIELDS_CONCERN "\nwhat 3\n<fz\n");
	fz_put8(w, 1 | 1 << 1);
	fz_put8(w, 2); /* seq 3, the other's */
	put_fields(w, 1, n1 + 1, v1 + 1);
	fz_seed("sealed-raw", w->b, w->n);
	/* a follow-up of the casebook's follow-up: the bundle refused */
	w->n = 0;
	fz_put8(w, 0);
	fz_put8(w, 0);
	fz_put8(w, 1);
	fz_put8(w, 1); /* seq 2 */
	put_fields(w, 1, n1 + 1, v1 + 1);
	fz_seed("followup-of-followup", w->b, w->n);
	free(w);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fdp_init();
	snprintf(ipath, sizeof(ipath), "%s/in3.bundle", dir);
	if (getenv("CANDOUR_FUZZ_SEEDS") != NULL)
		make_seeds();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 2)
		one(data, size);
	return 0;
}
