/*
 * Tests for intake/sandbox.c: the seccomp allow-list of the http process.
 * Each case forks a child that installs the filter and makes one system
 * call; the parent reads how the child ended. A call aimed at another
 * process (a signal, a resource limit) must never succeed: the http
 * process runs as the same user as the store and the parent, and must not
 * be able to stop them or change their limits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "intake/http.h"

enum { CHILD_OK = 0, CHILD_DENIED = 3, CHILD_ALLOWED = 4, CHILD_SETUP = 5 };

/* Runs fn in a sandboxed child; returns its exit code, or 128 + signal. */
static int
in_sandbox(int (*fn)(pid_t other), pid_t other)
{
	int st;

	/* under valgrind the filter is left out by design (sandbox.c): none
	 * to test (tests/valgrind/run.sh runs this program for memory only) */
	if (sandbox_valgrind())
		skip();
	pid_t p = fork();
	assert_true(p >= 0);
	if (p == 0) {
		if (sandbox_seccomp() != 0)
			syscall(SYS_exit_group, CHILD_SETUP);
		/* exit_group directly: no atexit work (ASan's included) runs
		 * under the filter. */
		syscall(SYS_exit_group, fn(other));
	}
	assert_int_equal(waitpid(p, &st, 0), p);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

static int
signal_other(pid_t other)
{
	/* signal 0 only checks that the target could be signalled */
	return syscall(SYS_tgkill, other, other, 0) == 0 ? CHILD_ALLOWED : CHILD_DENIED;
}

static int
signal_self(pid_t other)
{
	(void)other;
	pid_t me = (pid_t)syscall(SYS_getpid);
	return syscall(SYS_tgkill, me, (pid_t)syscall(SYS_gettid), 0) == 0 ? CHILD_OK
									   : CHILD_DENIED;
}

static int
limit_other(pid_t other)
{
	struct rlimit r;
	return syscall(SYS_prlimit64, other, RLIMIT_NOFILE, NULL, &r) == 0 ? CHILD_ALLOWED
									   : CHILD_DENIED;
}

static int
limit_self(pid_t other)
{
	struct rlimit r;
	(void)other;
	return syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &r) == 0 ? CHILD_OK : CHILD_DENIED;
}

static int
open_file(pid_t other)
{
	(void)other;
	return syscall(SYS_openat, AT_FDCWD, "/etc/hostname", 0) < 0 && errno == EACCES
		   ? CHILD_DENIED
		   : CHILD_ALLOWED;
}

static int
make_socket(pid_t other)
{
	(void)other;
	syscall(SYS_socket, 2 /* AF_INET */, 1 /* SOCK_STREAM */, 0);
	return CHILD_ALLOWED; /* not reached: the filter kills first */
}

static int
map_exec(pid_t other)
{
	(void)other;
	void *p = (void *)syscall(SYS_mmap, NULL, 4096, PROT_READ | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? CHILD_DENIED : CHILD_ALLOWED;
}

static int
protect_exec(pid_t other)
{
	(void)other;
	void *p = (void *)syscall(SYS_mmap, NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return CHILD_SETUP;
	return syscall(SYS_mprotect, p, 4096, PROT_READ | PROT_EXEC) == 0 ? CHILD_ALLOWED
									: CHILD_DENIED;
}

static int
map_data(pid_t other)
{
	(void)other;
	void *p = (void *)syscall(SYS_mmap, NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return CHILD_DENIED;
	return syscall(SYS_mprotect, p, 4096, PROT_READ) == 0 ? CHILD_OK : CHILD_DENIED;
}

static void
test_signal_to_another_process_refused(void **s)
{
	(void)s;
	int r = in_sandbox(signal_other, getpid());
	assert_int_not_equal(r, CHILD_SETUP);
	assert_int_not_equal(r, CHILD_ALLOWED);
}

static void
test_signal_to_itself_allowed(void **s)
{
	(void)s;
	assert_int_equal(in_sandbox(signal_self, 0), CHILD_OK);
}

static void
test_limits_of_another_process_refused(void **s)
{
	(void)s;
	int r = in_sandbox(limit_other, getpid());
	assert_int_not_equal(r, CHILD_SETUP);
	assert_int_not_equal(r, CHILD_ALLOWED);
}

static void
test_own_limits_allowed(void **s)
{
	(void)s;
	assert_int_equal(in_sandbox(limit_self, 0), CHILD_OK);
}

static void
test_open_refused(void **s)
{
	(void)s;
	assert_int_equal(in_sandbox(open_file, 0), CHILD_DENIED);
}

static void
test_socket_kills(void **s)
{
	(void)s;
	assert_int_equal(in_sandbox(make_socket, 0), 128 + SIGSYS);
}

/* W^X: nothing the http process does after start needs new executable
 * memory, so injected code can never be made runnable. */
static void
test_exec_memory_refused(void **s)
{
	(void)s;
	int r = in_sandbox(map_exec, 0);
	assert_int_not_equal(r, CHILD_SETUP);
	assert_int_not_equal(r, CHILD_ALLOWED);
	r = in_sandbox(protect_exec, 0);
	assert_int_not_equal(r, CHILD_SETUP);
	assert_int_not_equal(r, CHILD_ALLOWED);
}

static void
test_data_memory_allowed(void **s)
{
	(void)s;
	assert_int_equal(in_sandbox(map_data, 0), CHILD_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_signal_to_another_process_refused),
	    cmocka_unit_test(test_signal_to_itself_allowed),
	    cmocka_unit_test(test_limits_of_another_process_refused),
	    cmocka_unit_test(test_own_limits_allowed),
	    cmocka_unit_test(test_open_refused),
	    cmocka_unit_test(test_socket_kills),
	    cmocka_unit_test(test_exec_memory_refused),
	    cmocka_unit_test(test_data_memory_allowed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
