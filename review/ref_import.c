/*
 * Register import: one CSV file into the casebook, inside the caller's
 * transaction. Each row is mapped, validated and sealed; a row whose
 * reference was already imported from an earlier file replaces it (and
 * records when); the same reference twice in one file is an error. Any
 * error stops the import with file, line and column: the caller rolls
 * back and nothing changes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "review/ref.h"
#include "review/review.h"
#include "util/util.h"

static const char sql_batch[] = "SELECT coalesce(max(batch), 0) + 1 FROM ref_imports";
static const char sql_upsert[] =
    "INSERT INTO ref_register(idx, facts, batch, created_batch, line, first_imported, updated)"
    " VALUES(?1, ?2, ?3, ?3, ?4, ?5, ?5)"
    " ON CONFLICT(idx) DO UPDATE SET facts=excluded.facts, batch=excluded.batch,"
    " line=excluded.line, updated=excluded.updated WHERE ref_register.batch <> excluded.batch";
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

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
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

int
ref_import_csv(struct casebook *cb, const struct ref_config *c, const char *path,
    struct ref_import_stats *stats, char *why, size_t whylen)
{
	sqlite3 *db = cb_db(cb);
	sqlite3_stmt *up = NULL, *imp = NULL;
	struct ref_csv *csv = NULL;
	struct ref_csv_row *row = NULL;
	struct ref_record *rec = NULL;
	struct ref_index *seen = NULL;
	struct ref_map map;
	char today[11], inner[300];
	int64_t batch;
	FILE *f = NULL;
	int rc = -1, r;

	memset(stats, 0, sizeof(*stats));
	if (util_today(today) != 0 || (batch = scalar(db, sql_batch)) < 1) {
		ref_why(why, whylen, "%s: cannot read the casebook", path);
		return -1;
	}
	if ((f = open_csv(path)) == NULL) {
		ref_why(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	row = malloc(sizeof(*row));
	rec = malloc(sizeof(*rec));
	if (row == NULL || rec == NULL || ref_csv_new(f, &csv) != 0 ||
	    (seen = ref_index_new(1 << 16)) == NULL) {
		ref_why(why, whylen, "out of memory");
		goto out;
	}
	r = ref_csv_next(csv, row);
	if (r <= 0) {
		ref_why(why, whylen, "%s: %s", path, r == 0 ? "empty file (no header row)" :
		    ref_csv_error(csv));
		goto out;
	}
	if (ref_map_header(c, row, &map, inner, sizeof(inner)) != 0) {
		ref_why(why, whylen, "%s: %s", path, inner);
		goto out;
	}
	if (sqlite3_prepare_v2(db, sql_upsert, -1, &up, NULL) != SQLITE_OK) {
		ref_why(why, whylen, "cannot prepare the register table");
		goto out;
	}
	/* The register is big and its keys are random: a larger page cache
	 * keeps the B-tree in memory for the length of the import. */
	(void)sqlite3_exec(db, "PRAGMA cache_size=-262144", NULL, NULL, NULL);
	while ((r = ref_csv_next(csv, row)) == 1) {
		uint8_t idx[32], *ct = NULL;
		size_t ctlen;
		int64_t last;
		int s;

		if (stats->rows == REF_REGISTER_ROWS_MAX) {
			ref_why(why, whylen, "%s: line %lu: more than %d rows", path, row->line,
			    REF_REGISTER_ROWS_MAX);
			goto out;
		}
		if (ref_map_record(c, &map, row, rec, inner, sizeof(inner)) != 0) {
			ref_why(why, whylen, "%s: %s", path, inner);
			goto out;
		}
		if (cb_index_hash(cb, rec->ref, idx) != 0 ||
		    ref_reg_seal(cb, idx, rec, &ct, &ctlen) != 0) {
			ref_why(why, whylen, "%s: line %lu: cannot seal the row", path, row->line);
			goto out;
		}
		sqlite3_reset(up);
		sqlite3_bind_blob(up, 1, idx, 32, SQLITE_STATIC);
		sqlite3_bind_blob(up, 2, ct, (int)ctlen, SQLITE_STATIC);
		sqlite3_bind_int64(up, 3, batch);
		sqlite3_bind_int64(up, 4, (int64_t)row->line);
		sqlite3_bind_text(up, 5, today, -1, SQLITE_STATIC);
		/* An insert moves the last rowid (new rows are appended); the
		 * update half of the upsert does not. */
		last = sqlite3_last_insert_rowid(db);
		s = sqlite3_step(up);
		if (s == SQLITE_DONE && sqlite3_changes(db) > 0) {
			if (sqlite3_last_insert_rowid(db) != last)
				stats->added++;
			else
				stats->updated++;
		} else if (s == SQLITE_DONE) {
			/* The WHERE of the upsert refused: this file named it before. */
			int col = map.col[RF_REFERENCE];
			sqlite3_reset(up);
			free(ct);
			ref_why(why, whylen, "%s: line %lu, column %d (reference): duplicate "
			    "reference %s (also on line %ld)", path, row->fline[col], col + 1,
			    rec->ref, earlier_line(db, idx));
			goto out;
		}
		free(ct);
		if (s == SQLITE_DONE && ref_index_add(seen, rec->ref) < 0)
			s = SQLITE_NOMEM;
		if (s != SQLITE_DONE) {
			ref_why(why, whylen, "%s: line %lu: cannot store the row: %s", path,
			    row->line, sqlite3_errmsg(db));
			goto out;
		}
		stats->rows++;
	}
	if (r < 0) {
		ref_why(why, whylen, "%s: %s", path, ref_csv_error(csv));
		goto out;
	}
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
	ref_why(why, whylen, "cannot record the import: %s", sqlite3_errmsg(db));
out:
	sqlite3_finalize(up);
	sqlite3_finalize(imp);
	ref_csv_free(csv);
	ref_index_free(seen);
	if (rec != NULL) {
		explicit_bzero(rec, sizeof(*rec));
		free(rec);
	}
	free(row);
	if (f != NULL)
		fclose(f);
	return rc;
}
