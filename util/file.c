/* Atomic file writes and bounded, symlink-refusing reads. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium/randombytes.h>

#include "util/util.h"

int
util_fsync_dir(const char *path)
{
	char copy[PATH_MAX];
	int fd, rc;

	if (snprintf(copy, sizeof(copy), "%s", path) >= (int)sizeof(copy)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int
write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
util_write_file(const char *path, const void *buf, size_t len, int mode, int excl)
{
	char tmp[PATH_MAX];
	unsigned char rnd[8];
	char hex[sizeof(rnd) * 2 + 1];
	int fd = -1, saved;
	struct stat st;

	if (excl && lstat(path, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	randombytes_buf(rnd, sizeof(rnd));
	util_hex(rnd, sizeof(rnd), hex);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-%s", path, hex) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	if (write_all(fd, buf, len) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	/* With excl, link() refuses to replace a file that appeared meanwhile. */
	if (excl) {
		if (link(tmp, path) != 0)
			goto fail;
		unlink(tmp);
	} else if (rename(tmp, path) != 0)
		goto fail;
	return util_fsync_dir(path);
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = saved;
	return -1;
}

int
util_read_file(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	struct stat st;
	uint8_t *p = NULL;
	size_t got = 0;
	int fd, saved;

	*buf = NULL;
	*len = 0;
	if (max > UTIL_FILE_MAX)
		max = UTIL_FILE_MAX;
	/* O_NONBLOCK: a FIFO must not block the open; it is refused below. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if ((uint64_t)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	if ((p = malloc((size_t)st.st_size + 1)) == NULL)
		goto fail;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, p + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break; /* shrank while reading: take what is there */
		got += (size_t)n;
	}
	p[got] = '\0';
	close(fd);
	*buf = p;
	*len = got;
	return 0;
fail:
	saved = errno;
	free(p);
	close(fd);
	errno = saved;
	return -1;
}

/* errno after a failed open or access, in words. */
static const char *
errno_words(int e)
{
	switch (e) {
	case ENOENT:
		return "no such file";
	case ENOTDIR:
		return "no such file (a part of the path is not a directory)";
	case EACCES:
	case EPERM:
		return "permission denied";
	case ELOOP:
		return "is a symbolic link (give the file it points to)";
	default:
		return strerror(e);
	}
}

/* What path is, as an open of it sees it (read-only, with flags; O_NONBLOCK:
 * a FIFO named by mistake must not block): 0 with *st filled, the open's
 * errno, or -1 when the open file cannot be stat'ed. */
static int
open_stat(const char *path, int flags, struct stat *st)
{
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | flags)) < 0) {
		int e = errno; /* read once */

		return e > 0 ? e : -1; /* never 0: *st is unset */
	}
	rc = fstat(fd, st) == 0 ? 0 : -1;
	close(fd);
	return rc;
}

const char *
util_in_problem(const char *path)
{
	struct stat st;
	int e;

	/* opened as util_read_file and bundle_r_open open */
	if ((e = open_stat(path, O_NOFOLLOW, &st)) != 0)
		return e > 0 ? errno_words(e) : "cannot be read";
	if (S_ISDIR(st.st_mode))
		return "is a directory, not a file";
	return S_ISREG(st.st_mode) ? NULL : "is not a regular file";
}

const char *
util_dir_problem(const char *path)
{
	struct stat st;
	int e;

	if ((e = open_stat(path, 0, &st)) < 0)
		return "cannot be read";
	if (e == ENOENT)
		return "no such directory";
	if (e == ENOTDIR)
		return "no such directory (a part of the path is not a directory)";
	if (e != 0)
		return errno_words(e);
	if (S_ISDIR(st.st_mode))
		return NULL;
	return S_ISREG(st.st_mode) ? "is a file, not a directory" : "is not a directory";
}

/* NULL when a new file can be made beside path, else why not. */
static const char *
probe(const char *path)
{
	char tmp[PATH_MAX], hex[2 * 8 + 1];
	unsigned char rnd[8];
	int fd;

	randombytes_buf(rnd, sizeof(rnd));
	util_hex(rnd, sizeof(rnd), hex);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-%s", path, hex) >= (int)sizeof(tmp))
		return "the path is too long";
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
		switch (errno) {
		case ENOSPC:
		case EDQUOT:
			return "its disk is full";
		case EROFS:
			return "its directory is on a read-only disk";
		case ENAMETOOLONG:
			return "the name is too long";
		default:
			/* /proc (ENOENT), /sys (EACCES) */
			return "its directory takes no new files";
		}
	close(fd);
	unlink(tmp);
	return NULL;
}

const char *
util_out_problem(const char *path, int excl)
{
	char copy[PATH_MAX];
	struct stat st;
	const char *dir;

	if (snprintf(copy, sizeof(copy), "%s", path) >= (int)sizeof(copy))
		return "the path is too long";
	if (lstat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return "is a directory, not a file";
		/* the write renames a new file over it: /dev/null replaced */
		if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
			return "is a device or other special file, not a file";
		if (excl)
			return "exists already";
	}
	dir = dirname(copy);
	if (stat(dir, &st) != 0)
		return errno == ENOENT ? "its directory does not exist"
				       : "its directory cannot be reached";
	if (!S_ISDIR(st.st_mode))
		return "its directory is not a directory";
	if (access(dir, W_OK | X_OK) != 0)
		return errno == EROFS ? "its directory is on a read-only disk"
				      : "its directory cannot be written (permission denied)";
	/* access() says yes to root in any directory, and to a file system
	 * that takes no new files (/proc, /sys): until 2026-12-06 `report
	 * --out /proc/r.csv` failed only after the whole report was built.
	 * A file made and removed at once meets what the write will meet;
	 * its name is the write's own temporary pattern (util_write_file),
	 * made O_EXCL, so it is nobody else's file. */
	return probe(path);
}
