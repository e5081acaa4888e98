/*
 * Copies of a live SQLite database, by SQLite's online backup API in one
 * step (one snapshot, whatever the journal mode), made self-contained (no
 * -wal beside it). One loop for every copy Candour takes: the copy kept
 * before a schema upgrade (intake.db by the store, casebook.db by
 * candour-review) and `candour-intake backup`.
 *
 * Another connection holding a lock that keeps the snapshot from being
 * read (SQLITE_BUSY/SQLITE_LOCKED) is waited for a bounded time, sleeping
 * between tries, never spun on: a writer that never lets go makes the copy
 * fail with EBUSY instead of hanging the command or burning a core.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "util/util.h"

int
util_db_copy(struct sqlite3 *src, int busy_ms, const char *dst)
{
	sqlite3 *out = NULL;
	sqlite3_backup *b;
	int rc = -1, r = SQLITE_ERROR, tries = 0, busy = 0;

	/* src's own busy handler would block each step for up to its timeout
	 * (5 s for the store and the casebook) before the loop below counts
	 * it: the copy waits here only, so the bound is the bound */
	sqlite3_busy_timeout(src, 0);
	if (sqlite3_open_v2(dst, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) !=
	    SQLITE_OK)
		goto out;
	if ((b = sqlite3_backup_init(out, "main", src, "main")) == NULL)
		goto out;
	/* -1: every page in one step, so one read transaction, one snapshot */
	while ((r = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || r == SQLITE_LOCKED) {
		if (++tries >= UTIL_DB_COPY_TRIES) {
			busy = 1;
			break;
		}
		sqlite3_sleep(UTIL_DB_COPY_SLEEP_MS);
	}
	if (sqlite3_backup_finish(b) != SQLITE_OK && r == SQLITE_DONE)
		r = SQLITE_ERROR;
	if (r != SQLITE_DONE)
		goto out;
	if (sqlite3_exec(out, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	rc = 0;
out:
	if (sqlite3_close(out) != SQLITE_OK)
		rc = -1;
	sqlite3_busy_timeout(src, busy_ms);
	if (rc != 0)
		errno = busy ? EBUSY : EIO;
	return rc;
}

int
util_db_keep_copy(
    struct sqlite3 *db, int busy_ms, const char *path, int to_version, char *out, size_t outlen)
{
	char j[4096];
	int fd, saved;

	if (snprintf(out, outlen, "%s.pre-v%d.bak", path, to_version) >= (int)outlen ||
	    snprintf(j, sizeof(j), "%s-journal", out) >= (int)sizeof(j)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1; /* EEXIST: an earlier copy is kept as it is */
	close(fd);
	if (util_db_copy(db, busy_ms, out) != 0)
		goto fail;
	if ((fd = open(out, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		goto fail;
	if (fsync(fd) != 0) {
		close(fd);
		goto fail;
	}
	close(fd);
	if (util_fsync_dir(out) != 0)
		goto fail;
	return 0;
fail:
	saved = errno != 0 ? errno : EIO;
	unlink(out);
	unlink(j);
	errno = saved;
	return -1;
}
