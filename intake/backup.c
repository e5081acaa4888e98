/*
 * candour-intake backup --db FILE --out FILE
 *
 * A consistent copy of intake.db taken while serve runs: util_db_copy
 * reads one snapshot (WAL lets the store keep committing), into
 * a temp file beside --out that is checked, fsynced and renamed into place
 * without replacing an existing file. The copy holds only what the
 * database holds: sealed envelopes and the chain, nothing that opens a
 * concern. The signing key beside the database (DB.sign.key) is not
 * copied: it never changes, so the admin keeps one copy of it offline.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "intake/store_int.h"
#include "util/util.h"

#define CMD "backup"
#define BACKUP_PATH_MAX 4096

static void
usage(FILE *f)
{
	CLI_PUT(f, "cli.in.backup.usage");
}

/* The copy must open as an intake database whose integrity SQLite vouches for. */
static int
check_copy(const char *path, uint64_t *count, uint8_t head[CC_HASH_BYTES])
{
	struct store_db *db;
	sqlite3_stmt *st = NULL;
	char err[160];
	int rc = -1;

	if (store_db_open(path, 0, 1, &db, err, sizeof(err)) != 0)
		return -1;
	if (sqlite3_prepare_v2(db->db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
		goto out;
	*count = db->count;
	memcpy(head, db->head, CC_HASH_BYTES);
	rc = 0;
out:
	sqlite3_finalize(st);
	store_db_close(db);
	return rc;
}

static int
fsync_path(const char *path)
{
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* The temp file and whatever SQLite left beside it. */
static void
drop_tmp(const char *tmp)
{
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
	char p[BACKUP_PATH_MAX + 16];

	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
		if (snprintf(p, sizeof(p), "%s%s", tmp, sfx[i]) < (int)sizeof(p))
			unlink(p);
}

int
cmd_backup(int argc, char **argv)
{
	const char *dbpath, *outpath;
	const struct scli_opt opts[] = {{"db", &dbpath, 1}, {"out", &outpath, 1}};
	struct store_db *db = NULL;
	char tmp[BACKUP_PATH_MAX], hex[2 * CC_HASH_BYTES + 1];
	uint8_t head[CC_HASH_BYTES];
	uint64_t count;
	struct stat sb;
	int fd, rc, made = 0;

	if ((rc = scli_opts(CMD, argc, argv, opts, 2, usage,
		 "cli.in.need.backup")) >= 0)
		return rc;
	umask(077);
	if (lstat(outpath, &sb) == 0)
		return SCLI_FAIL(CMD, "cli.in.backup.exists", outpath);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", outpath) >= (int)sizeof(tmp))
		return SCLI_FAIL(CMD, "cli.in.backup.out_long");
	if ((rc = scli_open_db(CMD, dbpath, 1, &db)) != 0)
		return rc;
	rc = 1;
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		SCLI_FAIL(CMD, "cli.in.backup.create", outpath, cli_phrase(strerror(errno)));
		goto out;
	}
	close(fd);
	made = 1;
	if (util_db_copy(db->db, STORE_BUSY_MS, tmp) != 0) {
		if (errno == EBUSY)
			SCLI_FAIL(CMD, "cli.in.backup.locked", dbpath,
			    CLI_NUM(UTIL_DB_COPY_TRIES * UTIL_DB_COPY_SLEEP_MS));
		else
			SCLI_FAIL(CMD, "cli.in.backup.failed", sqlite3_errmsg(db->db));
		goto out;
	}
	if (check_copy(tmp, &count, head) != 0) {
		SCLI_FAIL(CMD, "cli.in.backup.check");
		goto out;
	}
	if (fsync_path(tmp) != 0 || renameat2(AT_FDCWD, tmp, AT_FDCWD, outpath,
					RENAME_NOREPLACE) != 0) {
		SCLI_FAIL(CMD, "cli.in.cannot_write", outpath,
		    errno == EEXIST ? CLI_T("cli.in.export.exists") : cli_phrase(strerror(errno)));
		goto out;
	}
	made = 0;
	if (util_fsync_dir(outpath) != 0) {
		SCLI_FAIL(CMD, "cli.in.backup.sync", outpath);
		goto out;
	}
	util_hex(head, CC_HASH_BYTES, hex);
	CLI_PUT(stdout, "cli.in.backup.done", outpath, CLI_UNUM(count), hex, dbpath);
	rc = 0;
out:
	if (made)
		drop_tmp(tmp);
	store_db_close(db);
	return rc;
}
