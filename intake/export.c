/*
 * candour-intake export --db FILE [--since SEQ] --out BUNDLE
 *
 * Writes the records with seq > SEQ (default 0: all), their envelopes and
 * their chain links to a new signed bundle (bundle/, kind EXPORT), signed
 * with the intake key beside the database. Records are append-only, so the
 * records 1..count seen at open cannot change while this runs beside a
 * live serve (WAL). The bundle writer re-checks every link, so a database
 * whose chain was tampered with cannot be exported as if it were whole.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/store_int.h"
#include "util/util.h"

#define CMD "export"

static void
usage(FILE *f)
{
	CLI_PUT(f, "cli.in.export.usage");
}

static int
env_sink(void *ctx, const uint8_t *buf, size_t len)
{
	return bundle_w_env_write(ctx, buf, len) == 0 ? 0 : -1;
}

/* Streams records from+1..to into w. */
static int
copy_records(struct store_db *db, struct bundle_w *w, uint64_t since, uint64_t to)
{
	struct brec rec;
	uint8_t link[CC_HASH_BYTES];
	int rc;

	for (uint64_t seq = since + 1; seq <= to; seq++) {
		if (store_db_record(db, seq, &rec, link) != 0)
			return SCLI_FAIL(CMD, "cli.in.record_unread", CLI_UNUM(seq));
		if ((rc = bundle_w_record(w, &rec, link)) == BUNDLE_ELIMIT)
			return SCLI_FAIL(CMD, "cli.in.export.too_many", CLI_NUM(BUNDLE_MAX_RECORDS));
		if (rc != 0)
			return SCLI_FAIL(CMD, "cli.in.export.chain", CLI_UNUM(seq),
			    cli_phrase(bundle_strerror(rc)));
		for (uint32_t i = 0; i < rec.nenv; i++) {
			if (bundle_w_env_begin(w, seq, i, rec.env[i].len) != 0 ||
			    store_db_env_stream(db, seq, i, env_sink, w) != 0 ||
			    bundle_w_env_end(w) != 0)
				return SCLI_FAIL(
				    CMD, "cli.in.export.env", CLI_UNUM(seq), CLI_UNUM(i));
		}
	}
	return 0;
}

/* The ids of the reply and status items this intake holds, newest first
 * when there are more than a bundle carries (older ones went out with
 * earlier exports), so the reviewers learn which of theirs arrived. */
static const char sql_item_ids[] =
    "SELECT id FROM (SELECT id, date FROM replies UNION ALL SELECT id, date FROM status)"
    " WHERE length(id) = 16 ORDER BY date DESC, id LIMIT ?";

static int
id_cmp(const void *a, const void *b)
{
	return memcmp(a, b, BUNDLE_ITEM_ID_BYTES);
}

/* Adds the confirmed item ids to w; *n how many. */
static int
copy_confirmed(struct store_db *db, struct bundle_w *w, size_t *n)
{
	sqlite3_stmt *st = NULL;
	uint8_t *ids = NULL;
	size_t k = 0;
	int r, rc = -1;

	*n = 0;
	if ((ids = malloc((size_t)BUNDLE_MAX_ITEMS * BUNDLE_ITEM_ID_BYTES)) == NULL ||
	    sqlite3_prepare_v2(db->db, sql_item_ids, -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, BUNDLE_MAX_ITEMS);
	while ((r = sqlite3_step(st)) == SQLITE_ROW && k < BUNDLE_MAX_ITEMS)
		memcpy(ids + BUNDLE_ITEM_ID_BYTES * k++, sqlite3_column_blob(st, 0),
		    BUNDLE_ITEM_ID_BYTES);
	if (r != SQLITE_DONE && r != SQLITE_ROW)
		goto out;
	qsort(ids, k, BUNDLE_ITEM_ID_BYTES, id_cmp);
	/* ids are primary keys of their tables; one in both is kept once */
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (u == 0 || memcmp(ids + BUNDLE_ITEM_ID_BYTES * (u - 1),
				  ids + BUNDLE_ITEM_ID_BYTES * i, BUNDLE_ITEM_ID_BYTES) != 0)
			memmove(ids + BUNDLE_ITEM_ID_BYTES * u++, ids + BUNDLE_ITEM_ID_BYTES * i,
			    BUNDLE_ITEM_ID_BYTES);
	rc = u == 0 || bundle_w_confirmed(w, ids, u) == 0 ? 0 : -1;
	*n = u;
out:
	sqlite3_finalize(st);
	free(ids);
	return rc;
}

int
cmd_export(int argc, char **argv)
{
	const char *dbpath, *out, *since_s;
	const struct scli_opt opts[] = {
	    {"db", &dbpath, 1},
	    {"since", &since_s, 0},
	    {"out", &out, 1},
	};
	struct store_db *db = NULL;
	struct bundle_w *w = NULL;
	uint8_t pk[CC_SIGN_PK], prev[CC_HASH_BYTES];
	uint8_t *sk = NULL;
	uint64_t since = 0, count;
	struct brec rec;
	char hex[2 * CC_HASH_BYTES + 1];
	int rc, ret = 1;

	if ((rc = scli_opts(CMD, argc, argv, opts, 3, usage,
		 "cli.in.need.export")) >= 0)
		return rc;
	if (since_s != NULL && scli_u64(since_s, &since) != 0)
		return SCLI_USAGE(CMD, "cli.in.export.since_form");
	if ((rc = scli_open_db(CMD, dbpath, 1, &db)) != 0)
		return rc;
	count = db->count;
	if (since > count) {
		SCLI_FAIL(CMD, "cli.in.export.since_past", CLI_UNUM(since), CLI_UNUM(count));
		goto out;
	}
	if ((sk = sodium_malloc(CC_SIGN_SK)) == NULL)
		goto out;
	if (intake_signkey_load(dbpath, pk, sk, 0) != 0) {
		SCLI_FAIL(CMD, "cli.in.export.signkey", dbpath, cli_phrase(strerror(errno)));
		goto out;
	}
	if (since == 0)
		cc_chain_genesis(prev);
	else if (store_db_record(db, since, &rec, prev) != 0) {
		SCLI_FAIL(CMD, "cli.in.record_unread", CLI_UNUM(since));
		goto out;
	}
	if (bundle_w_create(out, BUNDLE_EXPORT, since + 1, prev, NULL, &w) != 0) {
		SCLI_FAIL(CMD, "cli.in.export.create", out,
		    errno == EEXIST ? CLI_T("cli.in.export.exists") : cli_phrase(strerror(errno)));
		goto out;
	}
	size_t nconf = 0;
	if (copy_records(db, w, since, count) != 0)
		goto out;
	if (copy_confirmed(db, w, &nconf) != 0) {
		SCLI_FAIL(CMD, "cli.in.export.replies");
		goto out;
	}
	rc = bundle_w_commit(w, sk, pk);
	w = NULL;
	if (rc != 0) {
		SCLI_FAIL(CMD, "cli.in.cannot_write", out, cli_phrase(bundle_strerror(rc)));
		goto out;
	}
	util_hex(db->head, CC_HASH_BYTES, hex);
	if (count > since)
		CLI_PUT(stdout, "cli.in.export.done", CLI_UNUM(since + 1), CLI_UNUM(count),
		    CLI_UNUM(count - since), out, hex);
	else
		CLI_PUT(stdout, "cli.in.export.empty", CLI_UNUM(since), out, hex);
	if (nconf > 0)
		CLI_PUT(stdout, nconf == 1 ? "cli.in.export.confirms1" : "cli.in.export.confirms",
		    CLI_UNUM(nconf));
	ret = 0;
out:
	bundle_w_abort(w);
	sodium_free(sk);
	store_db_close(db);
	return ret;
}
