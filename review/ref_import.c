/*
 * Register import: one CSV file into the casebook, inside the caller's
 * transaction. Each row is mapped, validated and sealed; a row whose
 * reference was already imported from an earlier file replaces it (and
 * records when); the same reference twice in one file is an error. Any
 * error stops the import with file, line and column: the caller rolls
 * back and nothing changes.
 *
 * Two stages on two threads, so that a 2-core machine uses both: a reader
 * (CSV, mapping, validation, index hash, sealing; no SQLite) hands
 * batches of sealed rows through a small bounded queue to the caller's
 * thread, which alone touches the database. Memory stays bounded by the
 * queue whatever the file size.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "review/ref.h"
#include "review/review.h"
#include "tmpl/tmpl.h"
#include "util/util.h"

static const char sql_batch[] = "SELECT coalesce(max(batch), 0) + 1 FROM ref_imports";
static const char sql_upsert[] =
    "INSERT INTO ref_register(idx, facts, batch, created_batch, line)"
    " VALUES(?1, ?2, ?3, ?3, ?4)"
    " ON CONFLICT(idx) DO UPDATE SET facts=excluded.facts, batch=excluded.batch,"
    " line=excluded.line WHERE ref_register.batch <> excluded.batch";
/* First import into an empty register: plain appends, the index built
 * once at the end (a sort), duplicates caught by the in-memory set. */
static const char sql_insert[] = "INSERT INTO ref_register(idx, facts, batch, created_batch, line)"
				 " VALUES(?1, ?2, ?3, ?3, ?4)";
static const char sql_empty[] = "SELECT NOT EXISTS (SELECT 1 FROM ref_register)";
static const char sql_drop_index[] = "DROP INDEX ref_register_by_idx";
static const char sql_make_index[] = "CREATE UNIQUE INDEX ref_register_by_idx ON ref_register(idx)";
static const char sql_line_of[] = "SELECT line FROM ref_register WHERE idx=?";
static const char sql_import_row[] =
    "INSERT INTO ref_imports(batch, date, rows, added, updated) VALUES(?,?,?,?,?)";

static FILE *
open_csv(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat sb;
	FILE *f;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	if ((f = fdopen(fd, "r")) == NULL)
		close(fd);
	return f;
}

static int64_t
scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Says where the same reference appeared before, for the duplicate error. */
static long
earlier_line(sqlite3 *db, const uint8_t idx[32])
{
	sqlite3_stmt *st = NULL;
	long line = 0;

	if (sqlite3_prepare_v2(db, sql_line_of, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_blob(st, 1, idx, 32, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			line = (long)sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return line;
}

static int
add_to(void *ix, const char *ref)
{
	return ref_index_add(ix, ref) < 0 ? -1 : 0;
}

#define IMP_BATCH 512 /* rows per hand-over */
#define IMP_QUEUE 4   /* batches in flight */

struct imp_item {
	uint8_t idx[32];
	uint8_t *ct;
	size_t ctlen;
	unsigned long line, fline;
	char ref[REF_REF_MAX + 1];
};

struct imp_batch {
	size_t n;
	long long offset; /* bytes of the file read when the batch was full */
	struct imp_item it[IMP_BATCH];
};

struct imp_pipe {
	/* reader's inputs, read-only once started */
	struct casebook *cb;
	const struct ref_config *c;
	const char *path;
	FILE *f;
	struct ref_csv *csv;
	struct ref_map map;
	/* shared, under mu */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct imp_batch *q[IMP_QUEUE];
	size_t head, count;
	int done, stop, failed;
	char why[512];
};

static void
batch_free(struct imp_batch *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->it[i].ct);
	explicit_bzero(b, sizeof(*b));
	free(b);
}

/* Reader side: 0 queued, -1 told to stop. */
static int
pipe_push(struct imp_pipe *p, struct imp_batch *b)
{
	int rc = 0;

	pthread_mutex_lock(&p->mu);
	while (p->count == IMP_QUEUE && !p->stop)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->stop) {
		rc = -1;
	} else {
		p->q[(p->head + p->count) % IMP_QUEUE] = b;
		p->count++;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

/* Database side: the next batch, or NULL at the end (or a reader error). */
static struct imp_batch *
pipe_pop(struct imp_pipe *p)
{
	struct imp_batch *b = NULL;

	pthread_mutex_lock(&p->mu);
	while (p->count == 0 && !p->done)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->count > 0) {
		b = p->q[p->head];
		p->head = (p->head + 1) % IMP_QUEUE;
		p->count--;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return b;
}

static void
pipe_finish(struct imp_pipe *p, const char *why)
{
	pthread_mutex_lock(&p->mu);
	if (why != NULL && !p->failed) {
		p->failed = 1;
		snprintf(p->why, sizeof(p->why), "%s", why);
	}
	p->done = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static void *
reader(void *arg)
{
	struct imp_pipe *p = arg;
	struct ref_csv_row *row = malloc(sizeof(*row));
	struct ref_record *rec = malloc(sizeof(*rec));
	struct imp_batch *b = NULL;
	/* The nonces of a batch come from one fresh random seed through
	 * ChaCha20 (randombytes_buf_deterministic): one getrandom call per
	 * batch instead of one per row, which was a tenth of the import's
	 * system time. */
	uint8_t nonces[IMP_BATCH][CB_NONCE_BYTES], seed[randombytes_SEEDBYTES];
	char inner[300], why[512];
	size_t rows = 0;
	int r;

	if (row == NULL || rec == NULL) {
		pipe_finish(p, CLI_T("cli.why.ref.memory"));
		goto out;
	}
	for (;;) {
		struct imp_item *it;

		r = ref_csv_next(p->csv, row);
		if (r < 0) {
			CLI_FILL(why, sizeof(why), "cli.why.ref.file", p->path, ref_csv_error(p->csv));
			pipe_finish(p, why);
			goto out;
		}
		if (r == 0)
			break;
		if (++rows > REF_REGISTER_ROWS_MAX) {
			CLI_FILL(why, sizeof(why), "cli.why.ref.rows_many", p->path,
			    CLI_UNUM(row->line), CLI_NUM(REF_REGISTER_ROWS_MAX));
			pipe_finish(p, why);
			goto out;
		}
		if (ref_map_record(p->c, &p->map, row, rec, inner, sizeof(inner)) != 0) {
			CLI_FILL(why, sizeof(why), "cli.why.ref.file", p->path, inner);
			pipe_finish(p, why);
			goto out;
		}
		if (b == NULL) {
			if ((b = calloc(1, sizeof(*b))) == NULL) {
				pipe_finish(p, CLI_T("cli.why.ref.memory"));
				goto out;
			}
			randombytes_buf(seed, sizeof(seed));
			randombytes_buf_deterministic(nonces, sizeof(nonces), seed);
		}
		it = &b->it[b->n];
		if (cb_index_hash(p->cb, rec->ref, it->idx) != 0 ||
		    ref_reg_seal(p->cb, it->idx, rec, nonces[b->n], &it->ct, &it->ctlen) != 0) {
			CLI_FILL(why, sizeof(why), "cli.why.ref.seal", p->path, CLI_UNUM(row->line));
			pipe_finish(p, why);
			goto out;
		}
		it->line = row->line;
		it->fline = row->fline[p->map.col[RF_REFERENCE]];
		memcpy(it->ref, rec->ref, strlen(rec->ref) + 1);
		if (++b->n == IMP_BATCH) {
			b->offset = (long long)ftello(p->f);
			if (pipe_push(p, b) != 0)
				goto out;
			b = NULL;
		}
	}
	if (b != NULL && b->n > 0) {
		b->offset = (long long)ftello(p->f);
		if (pipe_push(p, b) != 0)
			goto out;
		b = NULL;
	}
	pipe_finish(p, NULL);
out:
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(nonces, sizeof(nonces));
	batch_free(b);
	if (rec != NULL) {
		explicit_bzero(rec, sizeof(*rec));
		free(rec);
	}
	free(row);
	return NULL;
}

/* The duplicate reference error: where it is and where it was before. */
static void
duplicate(sqlite3 *db, const struct imp_item *it, int refcol, const char *path, char *why,
    size_t whylen)
{
	CLI_FILL(why, whylen, "cli.why.ref.duplicate", path, CLI_UNUM(it->fline),
	    CLI_NUM(refcol + 1), it->ref, CLI_NUM(earlier_line(db, it->idx)));
}

/* Stores one sealed row; -1 with why (a duplicate or a database error). */
static int
store_item(sqlite3 *db, sqlite3_stmt *up, int bulk, const struct imp_item *it, int64_t batch,
    int refcol, struct ref_import_stats *stats, struct ref_index *seen, const char *path, char *why,
    size_t whylen)
{
	int64_t last;
	int s;

	if (bulk && (s = ref_index_add(seen, it->ref)) <= 0) {
		if (s == 0)
			duplicate(db, it, refcol, path, why, whylen);
		else
			CLI_FILL(why, whylen, "cli.why.ref.memory");
		return -1;
	}
	sqlite3_reset(up);
	sqlite3_bind_blob(up, 1, it->idx, 32, SQLITE_STATIC);
	sqlite3_bind_blob(up, 2, it->ct, (int)it->ctlen, SQLITE_STATIC);
	sqlite3_bind_int64(up, 3, batch);
	sqlite3_bind_int64(up, 4, (int64_t)it->line);
	/* An insert moves the last rowid (new rows are appended); the update
	 * half of the upsert does not. */
	last = sqlite3_last_insert_rowid(db);
	s = sqlite3_step(up);
	sqlite3_reset(up);
	if (s == SQLITE_DONE && sqlite3_changes(db) == 0) {
		/* The WHERE of the upsert refused: this file named it before. */
		duplicate(db, it, refcol, path, why, whylen);
		return -1;
	}
	if (s != SQLITE_DONE || (!bulk && ref_index_add(seen, it->ref) < 0)) {
		CLI_FILL(why, whylen, "cli.why.ref.store", path, CLI_UNUM(it->line),
		    sqlite3_errmsg(db));
		return -1;
	}
	if (sqlite3_last_insert_rowid(db) != last)
		stats->added++;
	else
		stats->updated++;
	stats->rows++;
	return 0;
}

/* Calls the progress function when the percentage moved. */
static void
progress(const struct ref_progress *pg, const char *stage, long long done, long long size,
    size_t rows, int *last)
{
	unsigned pc;

	if (pg == NULL || pg->fn == NULL)
		return;
	pc = size > 0 && done > 0 ? (unsigned)(done >= size ? 100 : done * 100 / size) : 0;
	if ((int)pc == *last)
		return;
	*last = (int)pc;
	pg->fn(pg->ctx, stage, pc, rows);
}

int
ref_import_csv(struct casebook *cb, const struct ref_config *c, const char *path,
    const struct ref_progress *pg, struct ref_import_stats *stats, char *why, size_t whylen)
{
	sqlite3 *db = cb_db(cb);
	sqlite3_stmt *up = NULL, *imp = NULL;
	struct imp_pipe *p = NULL;
	struct ref_csv_row *hdr = NULL;
	struct ref_index *seen = NULL;
	struct imp_batch *b;
	pthread_t th;
	int inited = 0, rc = -1, r, failed = 0, bulk = 0, last = -1;
	long long size = 0;
	struct stat sb;
	char today[11], inner[300];
	int64_t batch;
	FILE *f = NULL;

	memset(stats, 0, sizeof(*stats));
	if (util_today(today) != 0 || (batch = scalar(db, sql_batch)) < 1) {
		CLI_FILL(why, whylen, "cli.why.ref.casebook", path);
		return -1;
	}
	if ((f = open_csv(path)) == NULL) {
		CLI_FILL(why, whylen, "cli.why.ref.file", path, cli_phrase(strerror(errno)));
		return -1;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL || (hdr = malloc(sizeof(*hdr))) == NULL ||
	    ref_csv_new(f, &p->csv) != 0 || (seen = ref_index_new(1 << 16)) == NULL) {
		CLI_FILL(why, whylen, "cli.why.ref.memory");
		goto out;
	}
	p->cb = cb;
	p->c = c;
	p->path = path;
	p->f = f;
	if (fstat(fileno(f), &sb) == 0)
		size = (long long)sb.st_size;
	r = ref_csv_next(p->csv, hdr);
	if (r <= 0) {
		CLI_FILL(why, whylen, "cli.why.ref.file", path,
		    r == 0 ? CLI_T("cli.why.ref.csv_empty") : ref_csv_error(p->csv));
		goto out;
	}
	if (ref_map_header(c, hdr, &p->map, inner, sizeof(inner)) != 0) {
		CLI_FILL(why, whylen, "cli.why.ref.file", path, inner);
		goto out;
	}
	if ((bulk = (int)scalar(db, sql_empty)) < 0 ||
	    (bulk && sqlite3_exec(db, sql_drop_index, NULL, NULL, NULL) != SQLITE_OK) ||
	    sqlite3_prepare_v2(db, bulk ? sql_insert : sql_upsert, -1, &up, NULL) != SQLITE_OK) {
		CLI_FILL(why, whylen, "cli.why.ref.prepare");
		goto out;
	}
	/* The register is big and its index keys are random: a larger page
	 * cache keeps the index in memory for the length of the import. */
	(void)sqlite3_exec(db, "PRAGMA cache_size=-262144", NULL, NULL, NULL);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	inited = 1;
	if (pthread_create(&th, NULL, reader, p) != 0) {
		CLI_FILL(why, whylen, "cli.why.ref.thread");
		goto out;
	}
	while ((b = pipe_pop(p)) != NULL) {
		for (size_t i = 0; i < b->n && !failed; i++)
			if (store_item(db, up, bulk, &b->it[i], batch, p->map.col[RF_REFERENCE],
				stats, seen, path, why, whylen) != 0)
				failed = 1;
		if (!failed)
			progress(pg, "rows", b->offset, size, stats->rows, &last);
		batch_free(b);
		if (failed)
			break;
	}
	/* Stop the reader (it may be waiting on a full queue) and drain. */
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(th, NULL); /* every path past pthread_create comes here */
	while (p->count > 0) {
		batch_free(p->q[p->head]);
		p->head = (p->head + 1) % IMP_QUEUE;
		p->count--;
	}
	if (failed)
		goto out;
	if (p->failed) {
		snprintf(why, whylen, "%s", p->why);
		goto out;
	}
	last = -1;
	progress(pg, "index", 1, 1, stats->rows, &last);
	if (bulk && sqlite3_exec(db, sql_make_index, NULL, NULL, NULL) != SQLITE_OK)
		goto dberr;
	if (sqlite3_prepare_v2(db, sql_import_row, -1, &imp, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_int64(imp, 1, batch);
	sqlite3_bind_text(imp, 2, today, -1, SQLITE_STATIC);
	sqlite3_bind_int64(imp, 3, (int64_t)stats->rows);
	sqlite3_bind_int64(imp, 4, (int64_t)stats->added);
	sqlite3_bind_int64(imp, 5, (int64_t)stats->updated);
	if (sqlite3_step(imp) != SQLITE_DONE)
		goto dberr;
	/* The reference list is this file's references plus every earlier
	 * one; the cache keeps it as the index for relinking. */
	{
		struct ref_ctx *ctx = ref_ctx_get(cb);
		if (ctx == NULL || ref_ctx_index(cb, ctx) != 0 ||
		    ref_index_foreach(ctx->ix, add_to, seen) != 0 ||
		    ref_reflist_store(cb, seen) != 0)
			goto dberr;
		ref_ctx_set_index(cb, seen);
		seen = NULL;
	}
	rc = 0;
	goto out;
dberr:
	CLI_FILL(why, whylen, "cli.why.ref.record", sqlite3_errmsg(db));
out:
	sqlite3_finalize(up);
	sqlite3_finalize(imp);
	if (p != NULL) {
		if (inited) {
			pthread_cond_destroy(&p->cv);
			pthread_mutex_destroy(&p->mu);
		}
		ref_csv_free(p->csv);
		free(p);
	}
	ref_index_free(seen);
	free(hdr);
	if (f != NULL)
		fclose(f);
	return rc;
}
