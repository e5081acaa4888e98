/*
 * Tests for intake/store_sandbox.c (issue 9 item 4): the store confined
 * as serve confines it - unprivileged user, no new privileges, Landlock to
 * the data directory, seccomp - still serves every message, while an open
 * outside the data directory fails and a socket kills it. Each case runs in
 * a forked child that confines itself exactly as store_main in serve.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/landlock.h>

#include "intake/http.h"
#include "tests/intake/store_helpers.h"

enum { CHILD_OK = 0, CHILD_DENIED = 3, CHILD_ALLOWED = 4, CHILD_SETUP = 5 };

static char dir[] = "/tmp/candour-test-storesb.XXXXXX";
static char dbpath[300];
static const char *user; /* "nobody" as root, else NULL (no change) */

/* What serve's store child does before store_serve. */
static int
confine(void)
{
	if (sandbox_drop(user) != 0 || store_landlock(dir) < 0 || store_seccomp() != 0)
		return -1;
	return 0;
}

/* Runs fn in a confined child: its exit code, or 128 + signal. */
static int
in_store_sandbox(int (*fn)(void))
{
	int st;

	/* under valgrind the filter is left out by design (sandbox.c) */
	if (sandbox_valgrind())
		skip();
	pid_t p = fork();
	assert_true(p >= 0);
	if (p == 0) {
		if (confine() != 0)
			syscall(SYS_exit_group, CHILD_SETUP);
		syscall(SYS_exit_group, fn());
	}
	assert_int_equal(waitpid(p, &st, 0), p);
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

static int
open_outside(void)
{
	int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return CHILD_ALLOWED;
	return errno == EACCES ? CHILD_DENIED : CHILD_SETUP;
}

static int
create_outside(void)
{
	int fd = open("/tmp/candour-store-escape", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		unlink("/tmp/candour-store-escape");
		return CHILD_ALLOWED;
	}
	return errno == EACCES ? CHILD_DENIED : CHILD_SETUP;
}

static int
open_inside(void)
{
	char p[400];
	snprintf(p, sizeof(p), "%s/inside", dir);
	int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, "x", 1) != 1)
		return CHILD_DENIED;
	close(fd);
	return unlink(p) == 0 ? CHILD_ALLOWED : CHILD_DENIED;
}

static int
make_socket(void)
{
	int fd = (int)syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	return fd >= 0 ? CHILD_ALLOWED : CHILD_DENIED;
}

/* The value of "Key:" in /proc/pid/status, or -1. */
static long
proc_status(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t k = strlen(key);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, k) == 0 && line[k] == ':')
			v = strtol(line + k + 1, NULL, 10);
	fclose(f);
	return v;
}

static void
test_open_outside_refused(void **s)
{
	(void)s;
	/* Landlock is best-effort: a kernel without it cannot show this */
	if (syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION) < 0)
		skip();
	/* /etc/hostname is world-readable: only Landlock refuses it */
	assert_int_equal(in_store_sandbox(open_outside), CHILD_DENIED);
	assert_int_equal(in_store_sandbox(create_outside), CHILD_DENIED);
	assert_int_equal(in_store_sandbox(open_inside), CHILD_ALLOWED);
}

static void
test_socket_kills(void **s)
{
	(void)s;
	assert_int_equal(in_store_sandbox(make_socket), 128 + SIGSYS);
}

/* What /proc shows of a confined store: Uid (not root when started as
 * root), NoNewPrivs 1, Seccomp 2 (e2e 13 reads the same of the live one). */
static void
test_status(void **s)
{
	int pfd[2], st;
	char c;
	pid_t p;
	(void)s;

	if (sandbox_valgrind()) /* no filter under valgrind: Seccomp 0 */
		skip();
	assert_int_equal(pipe(pfd), 0);
	p = fork();
	assert_true(p >= 0);
	if (p == 0) {
		close(pfd[1]);
		if (confine() != 0)
			syscall(SYS_exit_group, CHILD_SETUP);
		/* waits for the parent to look, then ends */
		syscall(SYS_exit_group, read(pfd[0], &c, 1) == 0 ? CHILD_OK : CHILD_SETUP);
	}
	close(pfd[0]);
	for (int i = 0; i < 200 && proc_status(p, "Seccomp") != 2; i++)
		usleep(10000);
	assert_int_equal(proc_status(p, "Seccomp"), 2);
	assert_int_equal(proc_status(p, "NoNewPrivs"), 1);
	if (user != NULL)
		assert_int_equal(proc_status(p, "Uid"), (long)getpwnam(user)->pw_uid);
	close(pfd[1]);
	assert_int_equal(waitpid(p, &st, 0), p);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), CHILD_OK);
}

/* The confined store serves everything the http process asks of it,
 * from creating the database to the published figures. */
static void
test_confined_store_serves(void **s)
{
	struct tstore t;
	struct cc_rcpt_params p;
	struct store_commit sc;
	struct store_view v;
	uint8_t body[3000], link[CC_HASH_BYTES], head[CC_HASH_BYTES], *env;
	uint64_t seq, count;
	size_t envlen;
	char date[11];
	int sv[2], st;
	(void)s;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	t.pid = fork();
	assert_true(t.pid >= 0);
	if (t.pid == 0) {
		close(sv[0]);
		if (confine() != 0)
			_exit(CHILD_SETUP);
		_exit(store_serve(sv[1], dbpath, 1) == 0 ? 0 : 1);
	}
	close(sv[1]);
	t.fd = sv[0];
	assert_int_equal(storec_open(sv[0], &t.c), 0);
	assert_int_equal(storec_params(t.c, &p), 0);
	randombytes_buf(body, sizeof(body));
	tstore_concern_commit(&sc, &p, 3);
	sc.nhandles = 1;
	sc.handles[0] = tstore_body(&t, body, sizeof(body));
	assert_int_equal(storec_commit(t.c, &sc, &seq, link), 0);
	assert_int_equal(seq, 1);
	assert_int_equal(storec_fetch(t.c, sc.lookup, &v), 0);
	assert_int_equal(v.seq, 1);
	assert_int_equal(storec_fetch_reply(t.c, 1, 0, &env, &envlen), STORE_FAIL_NOTFOUND);
	assert_int_equal(storec_stats(t.c, &count, head), 0);
	assert_int_equal(count, 1);
	assert_int_equal(storec_published(t.c, &count, head, date), 0);
	/* a dropped upload, then a clean stop: not killed on the way */
	uint64_t h;
	assert_int_equal(storec_upload_begin(t.c, &h), 0);
	assert_int_equal(storec_upload_data(t.c, h, body, 100), 0);
	assert_int_equal(storec_upload_drop(t.c, h), 0);
	storec_close(t.c);
	assert_int_equal(waitpid(t.pid, &st, 0), t.pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static int
setup(void **s)
{
	(void)s;
	setenv(STORE_KDF_ENV, "min", 1);
	setenv(STORE_KDF_TEST_ENV, "1", 1);
	if (cc_init() != 0 || mkdtemp(dir) == NULL)
		return -1;
	snprintf(dbpath, sizeof(dbpath), "%s/intake.db", dir);
	if (geteuid() == 0) {
		struct passwd *pw = getpwnam("nobody");
		if (pw == NULL || chown(dir, pw->pw_uid, pw->pw_gid) != 0)
			return -1;
		user = "nobody";
	}
	return 0;
}

static int
teardown(void **s)
{
	char cmd[300];
	(void)s;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_status),
	    cmocka_unit_test(test_open_outside_refused),
	    cmocka_unit_test(test_socket_kills),
	    cmocka_unit_test(test_confined_store_serves),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
