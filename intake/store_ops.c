/*
 * intake.db operations. Every statement is below, prepared once and
 * always bound. None updates or deletes a record, an envelope row or a
 * link; the only deletes remove staging chunks of uploads that no record
 * references (and a trigger refuses anything else).
 *
 * Durability: the store process runs staging writes (chunks as they
 * arrive) at synchronous=NORMAL, and every record commit at FULL. In WAL
 * mode the FULL commit fsyncs the log, which holds the earlier staging
 * frames too, so a record is never durable without its envelopes; a crash
 * before it loses only staging data that start-up deletes anyway.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "intake/store_int.h"
#include "util/util.h"

enum {
	S_CHUNK_PUT,
	S_CHUNKS_DROP,
	S_ORPHANS,
	S_REC_PUT,
	S_ENV_PUT,
	S_FIND,
	S_REC_DATE,
	S_STATUS_LAST,
	S_NREPLIES,
	S_NMSG,
	S_REPLY,
	S_RECORD,
	S_ENV_UPLOAD,
	S_CHUNKS,
	S_DATES,
	S_ITEM_REPLY,
	S_ITEM_STATUS,
	S_IS_CONCERN,
	S_RCPT_PUT,
	S_RCPT_GET,
	S_CHUNKS_HEAD,
	S_PUBLISHED,
	S_UPLOAD_USED,
	S_HISTORY,
	S_SYNC_NORMAL,
	S_SYNC_FULL,
	S_BEGIN,
	S_COMMIT,
	S_ROLLBACK,
	S_COUNT
};

static const char *const sql[S_COUNT] = {
    [S_CHUNK_PUT] = "INSERT INTO chunks(upload, idx, data) VALUES (?, ?, ?)",
    [S_CHUNKS_DROP] = "DELETE FROM chunks WHERE upload = ?"
		      " AND NOT EXISTS (SELECT 1 FROM envelopes e WHERE e.upload = chunks.upload)",
    [S_ORPHANS] = "DELETE FROM chunks"
		  " WHERE NOT EXISTS (SELECT 1 FROM envelopes e WHERE e.upload = chunks.upload)",
    [S_REC_PUT] = "INSERT INTO records(seq, kind, date, parent_seq, reporter_pk, lookup,"
		  " rcpt_ops, rcpt_mem, body, link) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [S_ENV_PUT] = "INSERT INTO envelopes(seq, idx, upload, len) VALUES (?, ?, ?, ?)",
    [S_FIND] = "SELECT seq FROM records WHERE lookup = ? AND kind = 1",
    [S_REC_DATE] = "SELECT date FROM records WHERE seq = ?",
    /* States only move forward (the review tool refuses going back), so
     * the furthest one wins, whatever order reply bundles were imported in. */
    [S_STATUS_LAST] = "SELECT state, outcome FROM status WHERE target_seq = ?"
		      " ORDER BY state DESC, rowid DESC LIMIT 1",
    [S_NREPLIES] = "SELECT count(*) FROM replies WHERE target_seq = ?",
    [S_NMSG] = "SELECT count(*) FROM records WHERE parent_seq = ? AND kind = 2",
    [S_REPLY] = "SELECT length(env), substr(env, ? + 1, ?) FROM replies WHERE target_seq = ?"
		" ORDER BY rowid LIMIT 1 OFFSET ?",
    [S_RECORD] = "SELECT body, link FROM records WHERE seq = ?",
    [S_ENV_UPLOAD] = "SELECT upload, len FROM envelopes WHERE seq = ? AND idx = ?",
    [S_CHUNKS] = "SELECT data FROM chunks WHERE upload = ? ORDER BY idx",
    [S_DATES] = "SELECT coalesce(min(date), ''), coalesce(max(date), '') FROM records",
    [S_ITEM_REPLY] = "INSERT OR IGNORE INTO replies(id, target_seq, date, env) VALUES (?, ?, ?, ?)",
    [S_ITEM_STATUS] = "INSERT OR IGNORE INTO status(id, target_seq, state, outcome, date)"
		      " VALUES (?, ?, ?, ?, ?)",
    [S_IS_CONCERN] = "SELECT 1 FROM records WHERE seq = ? AND kind = 1",
    [S_RCPT_PUT] = "INSERT INTO recipients(seq, keyids) VALUES (?, ?)",
    [S_RCPT_GET] = "SELECT keyids FROM recipients WHERE seq = ?",
    [S_CHUNKS_HEAD] = "SELECT substr(data, 1, ?) FROM chunks WHERE upload = ? ORDER BY idx",
    [S_PUBLISHED] = "SELECT seq, link FROM records WHERE date < ? ORDER BY seq DESC LIMIT 1",
    [S_UPLOAD_USED] = "SELECT 1 FROM chunks WHERE upload = ?1"
		      " UNION ALL SELECT 1 FROM envelopes WHERE upload = ?1 LIMIT 1",
    /* Oldest first; on one day the concern, status changes, replies, then
     * messages. A reply's index is its place in S_REPLY's rowid order. */
    [S_HISTORY] =
	"SELECT 0, 0, 0, date, (SELECT count(*) FROM envelopes e WHERE e.seq = ?1 AND e.idx > 0),"
	" 0, 0 FROM records WHERE seq = ?1 AND kind = 1"
	" UNION ALL SELECT 1, state, outcome, date, 0, 0, rowid FROM status WHERE target_seq = ?1"
	" UNION ALL SELECT 2, 0, 0, date, 0, (SELECT count(*) FROM replies p"
	" WHERE p.target_seq = ?1 AND p.rowid < replies.rowid), rowid"
	" FROM replies WHERE target_seq = ?1"
	" UNION ALL SELECT 3, 0, 0, date, (SELECT count(*) FROM envelopes e"
	" WHERE e.seq = records.seq AND e.idx > 0), 0, seq"
	" FROM records WHERE parent_seq = ?1 AND kind = 2"
	" ORDER BY 4, 1, 7 LIMIT ?2",
    [S_SYNC_NORMAL] = "PRAGMA synchronous = NORMAL",
    [S_SYNC_FULL] = "PRAGMA synchronous = FULL",
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
};

_Static_assert(S_COUNT <= sizeof(((struct store_db *)0)->st) / sizeof(sqlite3_stmt *),
    "room for every statement");
/* The recipients table's CHECK (migration 2 -> 3) spells these out. */
_Static_assert(
    CC_MAX_RECIPIENTS *CC_KEYID_BYTES == 128 && CC_KEYID_BYTES == 8, "recipients.keyids bounds");

/* The statement, reset and unbound, or NULL. */
static sqlite3_stmt *
stmt(struct store_db *s, int id)
{
	if (s->st[id] == NULL && sqlite3_prepare_v3(s->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT,
				     &s->st[id], NULL) != SQLITE_OK)
		return NULL;
	sqlite3_reset(s->st[id]);
	sqlite3_clear_bindings(s->st[id]);
	return s->st[id];
}

/* Steps a statement with no rows to SQLITE_DONE. */
static int
run(sqlite3_stmt *st)
{
	int r = st != NULL && sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (st != NULL)
		sqlite3_reset(st);
	return r;
}

static int
run_id(struct store_db *s, int id)
{
	return run(stmt(s, id));
}

static int
step_u64(sqlite3_stmt *st, uint64_t *out)
{
	int r = -1;

	if (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
		*out = (uint64_t)sqlite3_column_int64(st, 0);
		r = 0;
	}
	if (st != NULL)
		sqlite3_reset(st);
	return r;
}

int
store_db_chunk_put(
    struct store_db *s, uint64_t upload, uint32_t idx, const uint8_t *buf, size_t len)
{
	sqlite3_stmt *st = stmt(s, S_CHUNK_PUT);

	if (st == NULL)
		return STORE_FAIL_STORAGE;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)upload);
	sqlite3_bind_int64(st, 2, idx);
	sqlite3_bind_blob(st, 3, buf, (int)len, SQLITE_STATIC);
	return run(st) == 0 ? 0 : STORE_FAIL_STORAGE;
}

int
store_db_chunks_drop(struct store_db *s, uint64_t upload)
{
	sqlite3_stmt *st = stmt(s, S_CHUNKS_DROP);

	if (st == NULL)
		return STORE_FAIL_STORAGE;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)upload);
	return run(st) == 0 ? 0 : STORE_FAIL_STORAGE;
}

int
store_db_orphans_drop(struct store_db *s)
{
	return run_id(s, S_ORPHANS) == 0 ? 0 : STORE_FAIL_STORAGE;
}

static int
put_record(struct store_db *s, const struct brec *r, const uint8_t *body, size_t blen,
    const uint8_t link[CC_HASH_BYTES])
{
	sqlite3_stmt *st = stmt(s, S_REC_PUT);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)r->seq);
	sqlite3_bind_int(st, 2, r->kind);
	sqlite3_bind_text(st, 3, r->date, BUNDLE_DATE_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)r->parent_seq);
	if (r->kind == BREC_CONCERN) {
		sqlite3_bind_blob(st, 5, r->reporter_pk, CC_BOX_PK, SQLITE_STATIC);
		sqlite3_bind_blob(st, 6, r->lookup, CC_HASH_BYTES, SQLITE_STATIC);
	}
	sqlite3_bind_int64(st, 7, (sqlite3_int64)r->rcpt_ops);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)r->rcpt_mem);
	sqlite3_bind_blob(st, 9, body, (int)blen, SQLITE_STATIC);
	sqlite3_bind_blob(st, 10, link, CC_HASH_BYTES, SQLITE_STATIC);
	return run(st);
}

int
store_db_env_head(struct store_db *s, uint64_t upload, uint8_t *out, size_t cap, size_t *n)
{
	sqlite3_stmt *st = stmt(s, S_CHUNKS_HEAD);
	int step = SQLITE_DONE;

	*n = 0;
	if (st == NULL || cap > STORE_CHUNK_MAX)
		return STORE_FAIL_STORAGE;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)cap);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)upload);
	while (*n < cap && (step = sqlite3_step(st)) == SQLITE_ROW) {
		size_t got = (size_t)sqlite3_column_bytes(st, 0), take = cap - *n;
		const void *p = sqlite3_column_blob(st, 0);
		if (got == 0 || p == NULL) {
			step = SQLITE_ERROR; /* chunk rows are never empty */
			break;
		}
		if (take > got)
			take = got;
		memcpy(out + *n, p, take);
		*n += take;
	}
	sqlite3_reset(st);
	return *n == cap || step == SQLITE_DONE ? 0 : STORE_FAIL_STORAGE;
}

static int
put_recipients(
    struct store_db *s, uint64_t seq, const uint8_t (*rcpt)[CC_KEYID_BYTES], size_t nrcpt)
{
	sqlite3_stmt *st = stmt(s, S_RCPT_PUT);

	if (st == NULL || nrcpt < 1 || nrcpt > CC_MAX_RECIPIENTS)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	sqlite3_bind_blob(st, 2, rcpt, (int)(nrcpt * CC_KEYID_BYTES), SQLITE_STATIC);
	return run(st);
}

int
store_db_append(struct store_db *s, const struct sp_commit *c, uint64_t parent,
    const struct store_env_in *env, const uint8_t (*rcpt)[CC_KEYID_BYTES], size_t nrcpt,
    uint64_t *seq, uint8_t link[CC_HASH_BYTES])
{
	struct brec r;
	uint8_t body[BREC_MAX_BYTES], h[CC_HASH_BYTES], l[CC_HASH_BYTES];
	size_t blen;
	int rc = STORE_FAIL_STORAGE;

	memset(&r, 0, sizeof(r));
	r.seq = s->count + 1;
	r.kind = c->kind;
	if (util_today(r.date) != 0)
		return STORE_FAIL_STORAGE;
	r.parent_seq = parent;
	if (c->kind == BREC_CONCERN) {
		r.rcpt_ops = c->rcpt_ops;
		r.rcpt_mem = c->rcpt_mem;
		memcpy(r.reporter_pk, c->reporter_pk, CC_BOX_PK);
		memcpy(r.lookup, c->lookup, CC_HASH_BYTES);
	}
	r.nenv = (uint16_t)c->nhandles;
	for (uint32_t i = 0; i < c->nhandles; i++) {
		r.env[i].len = env[i].len;
		memcpy(r.env[i].hash, env[i].hash, CC_HASH_BYTES);
	}
	if ((blen = brec_encode(&r, body, sizeof(body))) == 0)
		return STORE_FAIL_BADMSG;
	cc_hash(body, blen, h);
	cc_chain_next(s->head, r.seq, h, l);

	if (run_id(s, S_SYNC_FULL) != 0 || run_id(s, S_BEGIN) != 0)
		goto out;
	if (put_record(s, &r, body, blen, l) != 0)
		goto rollback;
	if (nrcpt > 0 && put_recipients(s, r.seq, rcpt, nrcpt) != 0)
		goto rollback;
	for (uint32_t i = 0; i < c->nhandles; i++) {
		sqlite3_stmt *st = stmt(s, S_ENV_PUT);
		if (st == NULL)
			goto rollback;
		sqlite3_bind_int64(st, 1, (sqlite3_int64)r.seq);
		sqlite3_bind_int64(st, 2, i);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)env[i].upload);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)env[i].len);
		if (run(st) != 0)
			goto rollback;
	}
	if (run_id(s, S_COMMIT) != 0)
		goto rollback;
	s->count = r.seq;
	memcpy(s->head, l, CC_HASH_BYTES);
	*seq = r.seq;
	memcpy(link, l, CC_HASH_BYTES);
	rc = 0;
	goto out;
rollback:
	(void)run_id(s, S_ROLLBACK);
out:
	if (s->relaxed)
		(void)run_id(s, S_SYNC_NORMAL);
	return rc;
}

int
store_db_find(struct store_db *s, const uint8_t lookup[CC_HASH_BYTES], uint64_t *seq)
{
	sqlite3_stmt *st = stmt(s, S_FIND);
	int step;

	if (st == NULL)
		return STORE_FAIL_STORAGE;
	sqlite3_bind_blob(st, 1, lookup, CC_HASH_BYTES, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*seq = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return step == SQLITE_ROW    ? 0
	       : step == SQLITE_DONE ? STORE_FAIL_NOTFOUND
				     : STORE_FAIL_STORAGE;
}

static int
count_of(struct store_db *s, int id, uint64_t seq, uint32_t *out)
{
	sqlite3_stmt *st = stmt(s, id);
	uint64_t v;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	if (step_u64(st, &v) != 0 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int
store_db_recipients(struct store_db *s, uint64_t seq, uint8_t ids[][CC_KEYID_BYTES], size_t *n)
{
	sqlite3_stmt *st = stmt(s, S_RCPT_GET);
	int step, rc = STORE_FAIL_STORAGE;

	*n = 0;
	if (st == NULL)
		return STORE_FAIL_STORAGE;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = 0;
	} else if (step == SQLITE_ROW) {
		/* a stored list of an impossible length is a storage fault */
		size_t len = (size_t)sqlite3_column_bytes(st, 0);
		const void *p = sqlite3_column_blob(st, 0);
		if (p != NULL && len >= CC_KEYID_BYTES && len % CC_KEYID_BYTES == 0 &&
		    len <= CC_MAX_RECIPIENTS * CC_KEYID_BYTES) {
			memcpy(ids, p, len);
			*n = len / CC_KEYID_BYTES;
			rc = 0;
		}
	}
	sqlite3_reset(st);
	return rc;
}

int
store_db_upload_used(struct store_db *s, uint64_t h)
{
	sqlite3_stmt *st = stmt(s, S_UPLOAD_USED);
	int step;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)h);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	return step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : -1;
}

int
store_published_days(char today[11], char before[11])
{
	time_t now = time(NULL), yday = now - 86400; /* a UTC day is 86,400 s */
	struct tm tm;

	if (now == (time_t)-1 || gmtime_r(&now, &tm) == NULL ||
	    strftime(today, 11, "%Y-%m-%d", &tm) != 10 || gmtime_r(&yday, &tm) == NULL ||
	    strftime(before, 11, "%Y-%m-%d", &tm) != 10)
		return -1;
	return 0;
}

int
store_db_published(
    struct store_db *s, const char today[11], uint64_t *count, uint8_t head[CC_HASH_BYTES])
{
	sqlite3_stmt *st = stmt(s, S_PUBLISHED);
	int step, rc = STORE_FAIL_STORAGE;

	if (st == NULL)
		return STORE_FAIL_STORAGE;
	sqlite3_bind_text(st, 1, today, 10, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		*count = 0;
		cc_chain_genesis(head);
		rc = 0;
	} else if (step == SQLITE_ROW && sqlite3_column_bytes(st, 1) == CC_HASH_BYTES) {
		*count = (uint64_t)sqlite3_column_int64(st, 0);
		memcpy(head, sqlite3_column_blob(st, 1), CC_HASH_BYTES);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

int
store_db_readers(struct store_db *s, uint64_t seq, uint8_t ids[][CC_KEYID_BYTES], size_t *n)
{
	uint8_t hdr[CC_ENV_MAX_HEADER];
	sqlite3_stmt *st;
	uint64_t upload;
	size_t len;
	int kind, step;

	if (store_db_recipients(s, seq, ids, n) != 0)
		return STORE_FAIL_STORAGE;
	if (*n > 0)
		return 0;
	/* a concern from before schema 3: the public header of its body
	 * envelope names the same readers the list would have held */
	if ((st = stmt(s, S_ENV_UPLOAD)) == NULL)
		return STORE_FAIL_STORAGE;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	sqlite3_bind_int64(st, 2, 0);
	upload =
	    (step = sqlite3_step(st)) == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (step == SQLITE_DONE)
		return STORE_FAIL_NOTFOUND;
	if (step != SQLITE_ROW || store_db_env_head(s, upload, hdr, sizeof(hdr), &len) != 0)
		return STORE_FAIL_STORAGE;
	if (cc_env_recipients(hdr, len, ids, n, &kind) != CC_OK || kind != CC_KIND_CONCERN ||
	    *n == 0) {
		*n = 0;
		return STORE_FAIL_STORAGE;
	}
	return 0;
}

int
store_db_view(struct store_db *s, const uint8_t lookup[CC_HASH_BYTES], struct store_view *v)
{
	sqlite3_stmt *st;
	int rc, step;

	memset(v, 0, sizeof(*v));
	if ((rc = store_db_find(s, lookup, &v->seq)) != 0)
		return rc;
	if ((st = stmt(s, S_REC_DATE)) == NULL)
		return STORE_FAIL_STORAGE;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)v->seq);
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_bytes(st, 0) != BUNDLE_DATE_LEN) {
		sqlite3_reset(st);
		return STORE_FAIL_STORAGE;
	}
	memcpy(v->date, sqlite3_column_text(st, 0), BUNDLE_DATE_LEN);
	sqlite3_reset(st);
	v->state = BSTATE_RECEIVED;
	v->outcome = BOUT_NONE;
	if ((st = stmt(s, S_STATUS_LAST)) == NULL)
		return STORE_FAIL_STORAGE;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)v->seq);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		v->state = (uint8_t)sqlite3_column_int(st, 0);
		v->outcome = (uint8_t)sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return STORE_FAIL_STORAGE;
	if (count_of(s, S_NREPLIES, v->seq, &v->nreplies) != 0 ||
	    count_of(s, S_NMSG, v->seq, &v->nmessages) != 0)
		return STORE_FAIL_STORAGE;
	size_t nr;
	if (store_db_recipients(s, v->seq, v->recipients, &nr) != 0)
		return STORE_FAIL_STORAGE;
	v->nrecipients = (uint8_t)nr;
	return 0;
}

int
store_db_history(
    struct store_db *s, uint64_t seq, struct store_event_row *out, size_t cap, size_t *n)
{
	sqlite3_stmt *st = stmt(s, S_HISTORY);
	int step;

	*n = 0;
	if (st == NULL)
		return STORE_FAIL_STORAGE;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)cap);
	while ((step = sqlite3_step(st)) == SQLITE_ROW && *n < cap) {
		struct store_event_row *r = &out[*n];
		sqlite3_int64 kind = sqlite3_column_int64(st, 0), nf = sqlite3_column_int64(st, 4);
		sqlite3_int64 idx = sqlite3_column_int64(st, 5);
		if (kind < SEV_CONCERN || kind > SEV_MESSAGE || nf < 0 || nf > UINT16_MAX ||
		    idx < 0 || idx > UINT32_MAX || sqlite3_column_bytes(st, 3) != BUNDLE_DATE_LEN)
			break;
		memset(r, 0, sizeof(*r));
		r->kind = (uint8_t)kind;
		r->state = (uint8_t)sqlite3_column_int(st, 1);
		r->outcome = (uint8_t)sqlite3_column_int(st, 2);
		memcpy(r->date, sqlite3_column_text(st, 3), BUNDLE_DATE_LEN);
		r->nfiles = (uint32_t)nf;
		r->reply = (uint32_t)idx;
		(*n)++;
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		return STORE_FAIL_STORAGE;
	if (step == SQLITE_ROW && *n < cap) /* a row of the wrong shape */
		return STORE_FAIL_STORAGE;
	return 0;
}

int
store_db_reply_at(struct store_db *s, uint64_t seq, uint32_t i, uint64_t off, uint8_t *out,
    size_t cap, size_t *n, uint64_t *total)
{
	sqlite3_stmt *st = stmt(s, S_REPLY);
	int step, got, rc = STORE_FAIL_STORAGE;

	*n = 0, *total = 0;
	if (off > STORE_REPLY_ENV_MAX)
		return STORE_FAIL_BADMSG;
	if (st == NULL || cap > STORE_REPLY_ENV_MAX)
		return STORE_FAIL_STORAGE;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)off);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)cap);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)seq);
	sqlite3_bind_int64(st, 4, i);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = STORE_FAIL_NOTFOUND;
	} else if (step == SQLITE_ROW) {
		sqlite3_int64 len = sqlite3_column_int64(st, 0);
		got = sqlite3_column_bytes(st, 1);
		if (len <= 0 || (uint64_t)len > STORE_REPLY_ENV_MAX) {
			rc = STORE_FAIL_LIMIT;
		} else if (off >= (uint64_t)len || got <= 0 || (size_t)got > cap) {
			rc = STORE_FAIL_BADMSG;
		} else {
			memcpy(out, sqlite3_column_blob(st, 1), (size_t)got);
			*n = (size_t)got;
			*total = (uint64_t)len;
			rc = 0;
		}
	}
	sqlite3_reset(st);
	return rc;
}

int
store_db_record(struct store_db *s, uint64_t seq, struct brec *rec, uint8_t link[CC_HASH_BYTES])
{
	sqlite3_stmt *st = stmt(s, S_RECORD);
	int rc = -1;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 1) == CC_HASH_BYTES &&
	    brec_decode(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), rec) ==
		0) {
		rec->seq = seq;
		memcpy(link, sqlite3_column_blob(st, 1), CC_HASH_BYTES);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

int
store_db_env_stream(struct store_db *s, uint64_t seq, uint32_t idx, cc_sink_fn sink, void *ctx)
{
	sqlite3_stmt *st = stmt(s, S_ENV_UPLOAD);
	uint64_t upload, len, got = 0;
	int step, rc = -1;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	sqlite3_bind_int64(st, 2, idx);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -1;
	}
	upload = (uint64_t)sqlite3_column_int64(st, 0);
	len = (uint64_t)sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	if ((st = stmt(s, S_CHUNKS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)upload);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int n = sqlite3_column_bytes(st, 0);
		const uint8_t *p = sqlite3_column_blob(st, 0);
		if (n <= 0 || p == NULL || (uint64_t)n > len - got || sink(ctx, p, (size_t)n) != 0)
			goto out;
		got += (uint64_t)n;
	}
	if (step == SQLITE_DONE && got == len)
		rc = 0;
out:
	sqlite3_reset(st);
	return rc;
}

int
store_db_dates(struct store_db *s, char first[11], char last[11])
{
	sqlite3_stmt *st = stmt(s, S_DATES);
	int rc = -1;

	first[0] = last[0] = '\0';
	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) <= 10 &&
	    sqlite3_column_bytes(st, 1) <= 10) {
		memcpy(first, sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0) + 1);
		memcpy(last, sqlite3_column_text(st, 1), (size_t)sqlite3_column_bytes(st, 1) + 1);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

int
store_db_is_concern(struct store_db *s, uint64_t seq)
{
	sqlite3_stmt *st = stmt(s, S_IS_CONCERN);
	uint64_t one;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	return step_u64(st, &one) == 0 ? 1 : 0;
}

int
store_db_item_add(struct store_db *s, const struct bitem *it, const uint8_t *env, size_t envlen)
{
	sqlite3_stmt *st;
	int fresh = 0;

	if (it->type == BITEM_STATUS) {
		if ((st = stmt(s, S_ITEM_STATUS)) == NULL)
			return -1;
		sqlite3_bind_blob(st, 1, it->id, BUNDLE_ITEM_ID_BYTES, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)it->target_seq);
		sqlite3_bind_int(st, 3, it->state);
		sqlite3_bind_int(st, 4, it->outcome);
		sqlite3_bind_text(st, 5, it->date, BUNDLE_DATE_LEN, SQLITE_STATIC);
		if (run(st) != 0)
			return -1;
		fresh = sqlite3_changes(s->db) > 0;
	}
	if (it->has_env) {
		if ((st = stmt(s, S_ITEM_REPLY)) == NULL)
			return -1;
		sqlite3_bind_blob(st, 1, it->id, BUNDLE_ITEM_ID_BYTES, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)it->target_seq);
		sqlite3_bind_text(st, 3, it->date, BUNDLE_DATE_LEN, SQLITE_STATIC);
		sqlite3_bind_blob(st, 4, env, (int)envlen, SQLITE_STATIC);
		if (run(st) != 0)
			return -1;
		fresh |= sqlite3_changes(s->db) > 0;
	}
	return fresh;
}
