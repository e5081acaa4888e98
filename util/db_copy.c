/*
 * The copy of a database kept before its schema is upgraded (intake.db by
 * the store, casebook.db by candour-review): PATH.pre-vN.bak beside it,
 * taken with SQLite's online backup API in one step (one snapshot, whatever
 * the journal mode), made self-contained (no -wal beside it), fsynced with
 * its directory. An existing file is never replaced: a copy left by an
 * upgrade that did not finish is the administrator's to look at.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "util/util.h"

#define DB_COPY_BUSY_TRIES 200 /* 10 ms apart: 2 s for another reader */

static int
copy_into(sqlite3 *src, const char *dst)
{
	sqlite3 *out = NULL;
	sqlite3_backup *b;
	int rc = -1, r = SQLITE_ERROR, tries = 0;

	if (sqlite3_open_v2(dst, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) !=
	    SQLITE_OK)
		goto out;
	if ((b = sqlite3_backup_init(out, "main", src, "main")) == NULL)
		goto out;
	while ((r = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || r == SQLITE_LOCKED) {
		if (++tries > DB_COPY_BUSY_TRIES)
			break;
		sqlite3_sleep(10);
	}
	if (sqlite3_backup_finish(b) != SQLITE_OK || r != SQLITE_DONE)
		goto out;
	if (sqlite3_exec(out, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	rc = 0;
out:
	if (sqlite3_close(out) != SQLITE_OK)
		rc = -1;
	return rc;
}

int
util_db_keep_copy(struct sqlite3 *db, const char *path, int to_version, char *out, size_t outlen)
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
	if (copy_into(db, out) != 0)
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
