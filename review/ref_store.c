/*
 * The referral tables in the casebook: the register (one sealed row per
 * reference, found by the casebook's keyed index hash of the normalised
 * reference), the links between concerns and references, and the stored
 * referral config. Nothing a person wrote and no reference is stored in
 * clear: see SECURITY.md, "Referral register".
 */
#include <stdlib.h>
#include <string.h>

#include <sodium/utils.h>

#include "review/ref.h"
#include "review/review.h"
#include "tmpl/tmpl.h"
#include "util/util.h"

#define REF_LINKS_INDEX "CREATE INDEX ref_links_by_idx ON ref_links(idx)"

static const char schema_sql[] =
    /* Rows are appended in rowid order; only the small idx index takes
     * random inserts, which keeps a million-row import in the page cache. */
    "CREATE TABLE ref_register(id INTEGER PRIMARY KEY, idx BLOB NOT NULL,"
    " facts BLOB NOT NULL, batch INTEGER NOT NULL, created_batch INTEGER NOT NULL,"
    " line INTEGER NOT NULL);" /* when: ref_imports.date of batch / created_batch */
    /* A named index (not a column constraint): the first import into an
     * empty register drops it and builds it once at the end (ref_import.c). */
    "CREATE UNIQUE INDEX ref_register_by_idx ON ref_register(idx);"
    "CREATE TABLE ref_reflist(n INTEGER PRIMARY KEY, list BLOB NOT NULL);"
    "CREATE TABLE ref_imports(batch INTEGER PRIMARY KEY, date TEXT NOT NULL,"
    " rows INTEGER NOT NULL, added INTEGER NOT NULL, updated INTEGER NOT NULL);"
    "CREATE TABLE ref_links(concern_id TEXT NOT NULL, idx BLOB NOT NULL,"
    " state TEXT NOT NULL CHECK (state IN ('exact','near','missing','manual','rejected')),"
    " ref BLOB NOT NULL, named BLOB, date TEXT NOT NULL,"
    " PRIMARY KEY(concern_id, idx)) WITHOUT ROWID;" REF_LINKS_INDEX ";"
    "CREATE TABLE ref_config(id INTEGER PRIMARY KEY CHECK (id = 1), text BLOB NOT NULL);";

static const char sql_config_get[] = "SELECT text FROM ref_config WHERE id=1";
static const char sql_config_put[] = "INSERT INTO ref_config(id, text) VALUES(1, ?) ON "
				     "CONFLICT(id) DO UPDATE SET text=excluded.text";
static const char sql_reflist[] = "SELECT n, list FROM ref_reflist ORDER BY n";
static const char sql_reflist_del[] = "DELETE FROM ref_reflist";
static const char sql_reflist_put[] = "INSERT INTO ref_reflist(n, list) VALUES(?, ?)";
static const char sql_reg_get[] = "SELECT facts FROM ref_register WHERE idx=?";
/* Casebook version 7: ref_links again with the state CHECK spelt as
 * comparisons. The same five states are allowed, but SQLite 3.40 codes
 * `state IN (five constants)` by filling an ephemeral table on every row
 * inserted (OpenEphemeral in EXPLAIN), a measurable share of a 100k import;
 * comparisons need none. SQLite cannot alter a CHECK, so the table is
 * rebuilt (its recommended copy, drop, rename) with every row and its index;
 * no trigger or view refers to it. cb_migrate runs this inside the
 * migration's transaction, so a failure leaves version 6 as it was. */
static const char links_v7_sql[] =
    "CREATE TABLE ref_links_v7(concern_id TEXT NOT NULL, idx BLOB NOT NULL,"
    " state TEXT NOT NULL CHECK (state = 'exact' OR state = 'near' OR state = 'missing'"
    " OR state = 'manual' OR state = 'rejected'),"
    " ref BLOB NOT NULL, named BLOB, date TEXT NOT NULL,"
    " PRIMARY KEY(concern_id, idx)) WITHOUT ROWID;"
    "INSERT INTO ref_links_v7(concern_id, idx, state, ref, named, date)"
    " SELECT concern_id, idx, state, ref, named, date FROM ref_links;"
    "DROP TABLE ref_links;"
    "ALTER TABLE ref_links_v7 RENAME TO ref_links;" REF_LINKS_INDEX ";";

int
ref_schema(sqlite3 *db)
{
	return sqlite3_exec(db, schema_sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int
ref_links_v7(sqlite3 *db)
{
	return sqlite3_exec(db, links_v7_sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int
ref_links_index(struct casebook *cb, int on)
{
	return sqlite3_exec(cb_db(cb), on ? REF_LINKS_INDEX : "DROP INDEX ref_links_by_idx", NULL,
		   NULL, NULL) == SQLITE_OK
		   ? 0
		   : -1;
}

/* An import's new links are staged in a temporary table in the order they
 * come and go into ref_links once, sorted by its key, at the end of the
 * import's transaction. Straight in, each link lands on a random leaf
 * (concern ids are random): at 1M concerns ref_links is about 800 MiB, over
 * ten times the page cache, and nearly every insert read and spilled a page
 * (bench/RESULTS.md, 2026-12-06). The temporary table holds what ref_links
 * would (ids, keyed hashes, sealed references) in SQLite's deleted-on-open
 * temporary file, and goes with the transaction: a killed or refused
 * import leaves neither it nor any link. */
static const char sql_stage[] =
    "CREATE TEMP TABLE ref_links_new(concern_id TEXT NOT NULL, idx BLOB NOT NULL,"
    " state TEXT NOT NULL, ref BLOB NOT NULL, named BLOB, date TEXT NOT NULL)";
/* rowid last: of two links with one key the first staged is kept, as
 * ref_link.c's ON CONFLICT DO NOTHING kept the first inserted; WHERE true
 * parses the upsert apart from the SELECT. */
static const char sql_unstage[] =
    "INSERT INTO main.ref_links(concern_id, idx, state, ref, named, date)"
    " SELECT concern_id, idx, state, ref, named, date FROM temp.ref_links_new WHERE true"
    " ORDER BY concern_id, idx, rowid ON CONFLICT(concern_id, idx) DO NOTHING";
static sqlite3 *staged; /* the connection whose new links are staged */

int
ref_links_stage(struct casebook *cb)
{
	if (sqlite3_exec(cb_db(cb), sql_stage, NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	staged = cb_db(cb);
	return 0;
}

int
ref_links_staged(struct casebook *cb)
{
	return staged != NULL && staged == cb_db(cb);
}

int
ref_links_unstage(struct casebook *cb, int keep)
{
	int rc = 0;

	if (!ref_links_staged(cb))
		return 0;
	staged = NULL;
	if (keep && sqlite3_exec(cb_db(cb), sql_unstage, NULL, NULL, NULL) != SQLITE_OK)
		rc = -1;
	if (sqlite3_exec(cb_db(cb), "DROP TABLE IF EXISTS temp.ref_links_new", NULL, NULL,
		NULL) != SQLITE_OK)
		rc = -1;
	return rc;
}

void
ref_idx_hex(const uint8_t idx[32], char hex[65])
{
	util_hex(idx, 32, hex);
}

void
ref_reg_ad(const uint8_t idx[32], char ad[REF_REG_AD])
{
	memcpy(ad, "referral:", 9);
	util_hex(idx, 32, ad + 9);
	memcpy(ad + 9 + 64, ":facts", 7);
}

/* ---- per-connection cache ---------------------------------------------- */

/* The cache lives until SQLite really closes the connection: a do-nothing
 * SQL function owns it and its destructor frees it, so a new connection
 * at the same address can never see a stale register. */
static struct ref_ctx *cache;

static void
ctx_destroy(void *p)
{
	struct ref_ctx *c = p;

	if (c == NULL)
		return;
	ref_index_free(c->ix);
	if (cache == c)
		cache = NULL;
	sodium_memzero(c, sizeof(*c));
	free(c);
}

static void
ctx_fn(sqlite3_context *x, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_null(x);
}

static int
config_load(struct casebook *cb, struct ref_config *c)
{
	sqlite3_stmt *st = NULL;
	uint8_t *pt = NULL;
	size_t len = 0;
	char why[200];
	int rc = -1, r;

	ref_config_default(c);
	if (sqlite3_prepare_v2(cb_db(cb), sql_config_get, -1, &st, NULL) != SQLITE_OK)
		return -1;
	r = sqlite3_step(st);
	if (r == SQLITE_DONE) {
		rc = 0;
		goto out;
	}
	if (r != SQLITE_ROW || cb_unseal(cb, "refconfig:1:text", sqlite3_column_blob(st, 0),
				   (size_t)sqlite3_column_bytes(st, 0), &pt, &len) != 0)
		goto out;
	rc = ref_config_parse(c, (const char *)pt, len, why, sizeof(why));
	cb_free(pt, len);
out:
	sqlite3_finalize(st);
	return rc;
}

struct ref_ctx *
ref_ctx_get(struct casebook *cb)
{
	sqlite3 *db = cb_db(cb);
	struct ref_ctx *c;

	if (cache != NULL && cache->db == db)
		return cache;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->db = db;
	/* Register imports and linking touch many pages of a big table: a
	 * 64 MiB page cache for this connection keeps them in memory. */
	(void)sqlite3_exec(db, "PRAGMA cache_size=-65536", NULL, NULL, NULL);
	if (config_load(cb, &c->cfg) != 0) {
		free(c);
		return NULL;
	}
	/* Replacing the function runs the old destructor first. */
	if (sqlite3_create_function_v2(db, "candour_ref_cache", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY,
		c, ctx_fn, NULL, NULL, ctx_destroy) != SQLITE_OK)
		return NULL; /* SQLite called ctx_destroy(c) */
	cache = c;
	return c;
}

void
ref_ctx_drop(struct casebook *cb)
{
	if (cache != NULL && cache->db == cb_db(cb))
		(void)sqlite3_create_function_v2(cb_db(cb), "candour_ref_cache", 0,
		    SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, NULL, NULL, NULL, NULL);
}

int
ref_config_store(struct casebook *cb, const char *text, size_t len, char *why, size_t whylen)
{
	struct ref_config *c = malloc(sizeof(*c));
	sqlite3_stmt *st = NULL;
	uint8_t *ct = NULL;
	size_t ctlen;
	int rc = -1;

	if (c == NULL)
		return -1;
	ref_config_default(c);
	if (ref_config_parse(c, text, len, why, whylen) != 0)
		goto out;
	CLI_FILL(why, whylen, "cli.why.ref.config_store");
	if (cb_seal(cb, "refconfig:1:text", (const uint8_t *)text, len, &ct, &ctlen) != 0 ||
	    sqlite3_prepare_v2(cb_db(cb), sql_config_put, -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_blob(st, 1, ct, (int)ctlen, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto out;
	ref_ctx_drop(cb);
	rc = 0;
out:
	sqlite3_finalize(st);
	free(ct);
	free(c);
	return rc;
}

/* ---- register rows ------------------------------------------------------- */

/* Field names inside a sealed register row: short, because a row that
 * fits in one 256-byte padding block halves a big register on disk
 * (SECURITY.md lists them). Index: enum ref_field. */
static const char *const short_names[RF_COUNT] = {
    "ref",
    "rcv",
    "src",
    "team",
    "dec",
    "decd",
    "strd",
    "s47d",
    "icpd",
    "stat",
    "clsd",
    "clsr",
    "asmd", /* absent from rows sealed before it: no date */
};

static int
short_parse(const char *name)
{
	for (int k = 1; k < RF_COUNT; k++)
		if (strcmp(name, short_names[k]) == 0)
			return k;
	return -1;
}

/* The fields format of util/ (fields_encode), written without snprintf:
 * this runs once per row of a million-row register. fields_decode reads
 * it back (tests/review/test_ref_link.c). */
static int
reg_encode(const struct field *f, size_t n, uint8_t **out, size_t *outlen)
{
	static const char magic[] = FIELDS_REFERRAL "\n";
	size_t total = sizeof(magic) - 1 + 3, o;
	uint8_t *p;

	for (size_t i = 0; i < n; i++) {
		if (f[i].len > FIELD_VALUE_MAX)
			return -1;
		total += strlen(f[i].name) + 1 + 20 + 1 + f[i].len + 1;
	}
	if ((p = malloc(total)) == NULL)
		return -1;
	memcpy(p, magic, sizeof(magic) - 1);
	o = sizeof(magic) - 1;
	for (size_t i = 0; i < n; i++) {
		char digits[24];
		size_t nd = 0, v = f[i].len, nl = strlen(f[i].name);

		do {
			digits[nd++] = (char)('0' + v % 10);
			v /= 10;
		} while (v > 0);
		memcpy(p + o, f[i].name, nl);
		o += nl;
		p[o++] = ' ';
		while (nd > 0)
			p[o++] = (uint8_t)digits[--nd];
		p[o++] = '\n';
		memcpy(p + o, f[i].val, f[i].len);
		o += f[i].len;
		p[o++] = '\n';
	}
	memcpy(p + o, "--\n", 3);
	*out = p;
	*outlen = o + 3;
	return 0;
}

int
ref_reg_seal(struct casebook *cb, const uint8_t idx[32], const struct ref_record *r,
    const uint8_t *nonce, uint8_t **ct, size_t *ctlen)
{
	struct field f[RF_COUNT + 1];
	char dates[RF_COUNT][11], ad[REF_REG_AD];
	uint8_t *pt = NULL;
	size_t n = 0, ptlen = 0;
	int rc;

	memcpy(f[n].name, "ref", 4);
	f[n].val = (const uint8_t *)r->ref;
	f[n++].len = strlen(r->ref);
	for (int k = 0; k < RF_COUNT; k++) {
		if (k == RF_REFERENCE || r->len[k] == 0)
			continue;
		memcpy(f[n].name, short_names[k], strlen(short_names[k]) + 1);
		if (ref_field_is_date(k)) {
			ref_date_format(r->day[k], dates[k]);
			f[n].val = (const uint8_t *)dates[k];
			f[n].len = 10;
		} else {
			f[n].val = (const uint8_t *)r->v[k];
			f[n].len = r->len[k];
		}
		n++;
	}
	/* The reference as written, when it differs from the normalised one. */
	if (r->len[RF_REFERENCE] != strlen(r->ref) ||
	    memcmp(r->v[RF_REFERENCE], r->ref, r->len[RF_REFERENCE]) != 0) {
		memcpy(f[n].name, "as", 3);
		f[n].val = (const uint8_t *)r->v[RF_REFERENCE];
		f[n++].len = r->len[RF_REFERENCE];
	}
	if (reg_encode(f, n, &pt, &ptlen) != 0)
		return -1;
	ref_reg_ad(idx, ad);
	rc = cb_seal_nonce(cb, nonce, ad, pt, ptlen, ct, ctlen);
	cc_free_wipe(pt, ptlen);
	return rc;
}

/* Fills r from an unsealed row; the values are NUL-terminated in place. */
static int
reg_decode(struct ref_reg *r)
{
	struct field f[FIELDS_MAX];
	size_t n, off;

	for (int k = 0; k < RF_COUNT; k++) {
		r->v[k] = "";
		r->day[k] = -1;
	}
	r->ref[0] = '\0';
	if (fields_decode(r->pt, r->ptlen, FIELDS_REFERRAL, f, FIELDS_MAX, &n, &off) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char *v = (char *)f[i].val; /* points into r->pt, which we own */
		int k;

		v[f[i].len] = '\0'; /* overwrites the "\n" after the value */
		if (strcmp(f[i].name, "ref") == 0) {
			if (f[i].len > REF_REF_MAX)
				return -1;
			memcpy(r->ref, v, f[i].len + 1);
		} else if (strcmp(f[i].name, "as") == 0) {
			r->v[RF_REFERENCE] = v;
		} else if ((k = short_parse(f[i].name)) >= 0) {
			r->v[k] = v;
			if (ref_field_is_date(k) && ref_date_parse(v, f[i].len, &r->day[k]) != 0)
				return -1;
		}
	}
	if (r->v[RF_REFERENCE][0] == '\0')
		r->v[RF_REFERENCE] = r->ref;
	return r->ref[0] != '\0' ? 0 : -1;
}

static int
reg_unseal(
    struct casebook *cb, const uint8_t idx[32], const void *ct, size_t ctlen, struct ref_reg *r)
{
	char ad[REF_REG_AD];

	ref_reg_ad(idx, ad);
	r->pt = NULL;
	if (cb_unseal(cb, ad, ct, ctlen, &r->pt, &r->ptlen) != 0)
		return -1;
	if (reg_decode(r) != 0) {
		ref_reg_free(r);
		return -1;
	}
	return 0;
}

void
ref_reg_free(struct ref_reg *r)
{
	if (r->pt != NULL)
		cb_free(r->pt, r->ptlen);
	r->pt = NULL;
}

int
ref_reg_load(struct casebook *cb, const uint8_t idx[32], struct ref_reg *r)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, s;

	r->pt = NULL;
	if (sqlite3_prepare_v2(cb_db(cb), sql_reg_get, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_blob(st, 1, idx, 32, SQLITE_STATIC);
	s = sqlite3_step(st);
	if (s == SQLITE_DONE)
		rc = 0;
	else if (s == SQLITE_ROW && reg_unseal(cb, idx, sqlite3_column_blob(st, 0),
					(size_t)sqlite3_column_bytes(st, 0), r) == 0)
		rc = 1;
	sqlite3_finalize(st);
	return rc;
}

unsigned
ref_reg_flags(const struct ref_config *c, const struct ref_reg *r, int32_t today)
{
	struct ref_facts f = {
	    .decision = r->v[RF_DECISION],
	    .status = r->v[RF_STATUS],
	    .closure_reason = r->v[RF_CLOSURE_REASON],
	    .received = r->day[RF_RECEIVED],
	    .decision_date = r->day[RF_DECISION_DATE],
	    .strategy = r->day[RF_STRATEGY_DATE],
	    .s47 = r->day[RF_S47_DATE],
	    .icpc = r->day[RF_ICPC_DATE],
	    .closed = r->day[RF_CLOSED_DATE],
	    .assessment = r->day[RF_ASSESSMENT_DATE],
	};

	return ref_flags_eval(c, &f, today);
}

/* The register's normalised references, newline-separated, sealed in
 * chunks of at most REF_REFLIST_CHUNK bytes: loading them is one unseal
 * per chunk instead of one per register row. */
int
ref_ctx_index(struct casebook *cb, struct ref_ctx *ctx)
{
	sqlite3_stmt *st = NULL;
	struct ref_index *ix;
	int s;

	if (ctx->ix != NULL)
		return 0;
	if ((ix = ref_index_new(1024)) == NULL)
		return -1;
	if (sqlite3_prepare_v2(cb_db(cb), sql_reflist, -1, &st, NULL) != SQLITE_OK)
		goto fail;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		char ad[64];
		uint8_t *pt;
		size_t len, i = 0;

		snprintf(
		    ad, sizeof(ad), "refindex:%lld:list", (long long)sqlite3_column_int64(st, 0));
		if (cb_unseal(cb, ad, sqlite3_column_blob(st, 1),
			(size_t)sqlite3_column_bytes(st, 1), &pt, &len) != 0)
			goto fail;
		while (i < len) {
			char *nl = memchr(pt + i, '\n', len - i);
			if (nl == NULL)
				break;
			*nl = '\0';
			if (ref_index_add(ix, (const char *)pt + i) < 0) {
				cb_free(pt, len);
				goto fail;
			}
			i = (size_t)((uint8_t *)nl - pt) + 1;
		}
		cb_free(pt, len);
	}
	if (s != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	ctx->ix = ix;
	return 0;
fail:
	sqlite3_finalize(st);
	ref_index_free(ix);
	return -1;
}

struct chunker {
	struct casebook *cb;
	sqlite3_stmt *put;
	uint8_t *buf;
	size_t len;
	int64_t n;
};

static int
chunk_flush(struct chunker *c)
{
	uint8_t *ct = NULL;
	size_t ctlen;
	char ad[64];
	int rc;

	if (c->len == 0)
		return 0;
	snprintf(ad, sizeof(ad), "refindex:%lld:list", (long long)c->n);
	if (cb_seal(c->cb, ad, c->buf, c->len, &ct, &ctlen) != 0)
		return -1;
	sqlite3_reset(c->put);
	sqlite3_bind_int64(c->put, 1, c->n);
	sqlite3_bind_blob(c->put, 2, ct, (int)ctlen, SQLITE_STATIC);
	rc = sqlite3_step(c->put) == SQLITE_DONE ? 0 : -1;
	free(ct);
	sodium_memzero(c->buf, c->len);
	c->len = 0;
	c->n++;
	return rc;
}

static int
chunk_add(void *p, const char *ref)
{
	struct chunker *c = p;
	size_t l = strlen(ref);

	if (c->len + l + 1 > REF_REFLIST_CHUNK && chunk_flush(c) != 0)
		return -1;
	memcpy(c->buf + c->len, ref, l);
	c->buf[c->len + l] = '\n';
	c->len += l + 1;
	return 0;
}

int
ref_reflist_store(struct casebook *cb, struct ref_index *ix)
{
	struct chunker c = {.cb = cb, .n = 1};
	int rc = -1;

	if ((c.buf = malloc(REF_REFLIST_CHUNK)) == NULL)
		return -1;
	if (sqlite3_exec(cb_db(cb), sql_reflist_del, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(cb_db(cb), sql_reflist_put, -1, &c.put, NULL) != SQLITE_OK)
		goto out;
	if (ref_index_foreach(ix, chunk_add, &c) != 0 || chunk_flush(&c) != 0)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(c.put);
	sodium_memzero(c.buf, REF_REFLIST_CHUNK);
	free(c.buf);
	return rc;
}

void
ref_ctx_set_index(struct casebook *cb, struct ref_index *ix)
{
	struct ref_ctx *ctx;

	ref_ctx_drop(cb);
	if ((ctx = ref_ctx_get(cb)) == NULL) {
		ref_index_free(ix);
		return;
	}
	ctx->ix = ix;
}
