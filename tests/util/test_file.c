/* util/file.c: atomic writes and bounded reads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/util.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/candour-test-file-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int
entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void
write_then_read(void **state)
{
	char path[128];
	uint8_t *buf;
	size_t len;
	struct stat st;
	(void)state;
	snprintf(path, sizeof(path), "%s/a", dir);
	assert_int_equal(util_write_file(path, "hello", 5, 0600, 1), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(util_read_file(path, 100, &buf, &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(buf, "hello", 6); /* NUL-ended */
	free(buf);
	/* excl refuses to replace; no temp file is left behind. */
	assert_int_equal(util_write_file(path, "x", 1, 0600, 1), -1);
	assert_int_equal(errno, EEXIST);
	/* without excl it replaces atomically */
	assert_int_equal(util_write_file(path, "bye", 3, 0600, 0), 0);
	assert_int_equal(util_read_file(path, 100, &buf, &len), 0);
	assert_int_equal(len, 3);
	free(buf);
	assert_int_equal(entries(), 1);
	unlink(path);
}

static void
read_refuses(void **state)
{
	char path[128], link[128];
	uint8_t *buf = (uint8_t *)"x";
	size_t len = 9;
	(void)state;
	snprintf(path, sizeof(path), "%s/big", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	assert_int_equal(util_write_file(path, "0123456789", 10, 0600, 1), 0);
	assert_int_equal(util_read_file(path, 9, &buf, &len), -1);
	assert_int_equal(errno, EFBIG);
	assert_null(buf);
	assert_int_equal(len, 0);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(util_read_file(link, 100, &buf, &len), -1); /* O_NOFOLLOW */
	assert_int_equal(util_read_file(dir, 100, &buf, &len), -1);  /* not a file */
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(util_read_file(path, 100, &buf, &len), -1);
	assert_int_equal(errno, ENOENT);
}

/* A FIFO (or a device) where a file is expected is refused at once: an
 * open that waited for a writer would hang the command for good. The read
 * runs in a child under alarm(2) so a hang fails the test instead of it. */
static void
read_refuses_fifo(void **state)
{
	char path[128];
	int st;
	(void)state;
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	pid_t p = fork();
	assert_true(p >= 0);
	if (p == 0) {
		uint8_t *buf;
		size_t len;
		alarm(2);
		_exit(util_read_file(path, 100, &buf, &len) == -1 && errno == EINVAL ? 0 : 1);
	}
	assert_int_equal(waitpid(p, &st, 0), p);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	unlink(path);
}

static void
write_refuses_missing_dir(void **state)
{
	char path[128];
	(void)state;
	snprintf(path, sizeof(path), "%s/no/such/file", dir);
	assert_int_equal(util_write_file(path, "x", 1, 0600, 0), -1);
}

/* util_out_problem, which `report --out` and the other commands ask
 * before the passphrase. Until 2026-12-06 it asked access() alone, which
 * let /proc (a file system that takes no new files) and /dev/null (a
 * device the write's rename would replace) through: `report` failed only
 * after building the whole report. The probe it makes leaves nothing. */
static void
out_problem(void **state)
{
	char sub[96], path[128];
	DIR *d;
	struct dirent *e;
	int n = 0;

	(void)state;
	snprintf(sub, sizeof(sub), "%s/out", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(path, sizeof(path), "%s/r.csv", sub);
	assert_null(util_out_problem(path, 0));
	assert_null(util_out_problem(path, 1));
	assert_non_null(d = opendir(sub));
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	assert_int_equal(n, 0); /* the probe is gone */
	assert_string_equal(util_out_problem("/proc/r.csv", 0), "its directory takes no new files");
	assert_string_equal(
	    util_out_problem("/dev/null", 0), "is a device or other special file, not a file");
	assert_string_equal(util_out_problem(sub, 0), "is a directory, not a file");
	snprintf(path, sizeof(path), "%s/no/r.csv", sub);
	assert_string_equal(util_out_problem(path, 0), "its directory does not exist");
	assert_int_equal(rmdir(sub), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(write_then_read),
		cmocka_unit_test(read_refuses),
		cmocka_unit_test(read_refuses_fifo),
		cmocka_unit_test(write_refuses_missing_dir),
		cmocka_unit_test(out_problem),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
