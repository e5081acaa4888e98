/*
 * Restricting the http process once it holds only its listening socket
 * and its end of the store socketpair: no core dumps, no new privileges,
 * not root, and a seccomp allow-list. The list is what libmicrohttpd (epoll
 * and a thread pool, suspend/resume over an eventfd), the KDF workers, glibc threads and malloc, libsodium and
 * GnuTLS need to serve; there is no open, no socket, no exec, no fork
 * (clone only with CLONE_THREAD), so a compromised http process cannot
 * reach the database, the file system or the network beyond its sockets.
 * Anything outside the list kills the whole process.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <seccomp.h>
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

#include "intake/http.h"

int
sandbox_user(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;

	if (user == NULL || (pw = getpwnam(user)) == NULL || pw->pw_uid == 0)
		return -1;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

int
sandbox_drop_ids(uid_t uid, gid_t gid)
{
	struct rlimit no = {0, 0};

	if (setrlimit(RLIMIT_CORE, &no) != 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return -1;
	if (geteuid() == 0) {
		if (uid == 0 || setgroups(1, &gid) != 0 || setresgid(gid, gid, gid) != 0 ||
		    setresuid(uid, uid, uid) != 0)
			return -1;
		if (setuid(0) == 0 || geteuid() == 0)
			return -1; /* the drop must not be undoable */
		/* setuid clears the dumpable flag's effect; set it again */
		if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
			return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -1;
	return 0;
}

int
sandbox_drop(const char *user)
{
	uid_t uid = 0;
	gid_t gid = 0;

	if (geteuid() == 0 && sandbox_user(user, &uid, &gid) != 0)
		return -1;
	return sandbox_drop_ids(uid, gid);
}

static const int allowed[] = {
    SCMP_SYS(read),
    SCMP_SYS(write),
    SCMP_SYS(readv),
    SCMP_SYS(writev),
    SCMP_SYS(close),
    SCMP_SYS(poll),
    SCMP_SYS(ppoll),
    SCMP_SYS(epoll_create1),
    SCMP_SYS(epoll_ctl),
    SCMP_SYS(epoll_wait),
    SCMP_SYS(epoll_pwait),
    SCMP_SYS(select),
    SCMP_SYS(pselect6),
    SCMP_SYS(accept),
    SCMP_SYS(accept4),
    SCMP_SYS(recvfrom),
    SCMP_SYS(sendto),
    SCMP_SYS(recvmsg),
    SCMP_SYS(sendmsg),
    SCMP_SYS(shutdown),
    SCMP_SYS(setsockopt),
    SCMP_SYS(getsockopt),
    SCMP_SYS(getsockname),
    SCMP_SYS(getpeername),
    SCMP_SYS(fcntl),
    SCMP_SYS(futex),
    SCMP_SYS(set_robust_list),
    SCMP_SYS(get_robust_list),
    SCMP_SYS(rseq),
    SCMP_SYS(munmap),
    SCMP_SYS(mremap),
    SCMP_SYS(brk),
    SCMP_SYS(madvise),
    SCMP_SYS(mlock),
    SCMP_SYS(munlock),
    SCMP_SYS(getrandom),
    SCMP_SYS(clock_gettime),
    SCMP_SYS(clock_nanosleep),
    SCMP_SYS(nanosleep),
    SCMP_SYS(gettimeofday),
    SCMP_SYS(gettid),
    SCMP_SYS(getpid),
    SCMP_SYS(exit),
    SCMP_SYS(exit_group),
    SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(rt_sigtimedwait),
    SCMP_SYS(rt_sigreturn),
    SCMP_SYS(sched_yield),
    SCMP_SYS(sched_getaffinity),
    SCMP_SYS(eventfd2),
    SCMP_SYS(pipe2),
    SCMP_SYS(fstat),
    SCMP_SYS(newfstatat),
    SCMP_SYS(lseek),
    SCMP_SYS(restart_syscall),
    SCMP_SYS(getuid),
    SCMP_SYS(geteuid),
    SCMP_SYS(rt_sigaction),
    SCMP_SYS(sigaltstack),
};

int
sandbox_rules_common(void *c, const int *allow, size_t n)
{
	scmp_filter_ctx ctx = c;
	int r = 0;

	for (size_t i = 0; i < n; i++)
		if (allow[i] >= 0)
			r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allow[i], 0);
	r |= seccomp_rule_add(
	    ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid(), 0));
	/* W^X: memory may be mapped or re-protected, never made executable
	 * (thread stacks and heaps are data; nothing loads code after start),
	 * so code injected into the process can never be run. */
	r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	return r;
}

/* valgrind cannot run a seccomp filter (it answers ENOSYS to seccomp(2),
 * and libseccomp then refuses to build one), so under valgrind alone
 * (make valgrind) the filters are left out. RUNNING_ON_VALGRIND is
 * valgrind's client request: an instruction sequence that a real CPU runs
 * as a no-op giving 0, so nothing outside valgrind can make it true. */
int
sandbox_valgrind(void)
{
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
	return RUNNING_ON_VALGRIND != 0;
#endif
#endif
	return 0;
}

int
sandbox_load(void *c, int r)
{
	scmp_filter_ctx ctx = c;

	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	return r == 0 ? 0 : -1;
}

int
sandbox_seccomp(void)
{
	scmp_filter_ctx ctx;
	int r = 0;

	if (sandbox_valgrind())
		return 0;
	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		return -1;
	/* the list, and tgkill and W^X as below */
	r |= sandbox_rules_common(ctx, allowed, sizeof(allowed) / sizeof(allowed[0]));
	/* Threads only: a new process (fork) would escape nothing, but is
	 * never needed. clone3 hides its flags in memory seccomp cannot read,
	 * so it answers ENOSYS and glibc falls back to clone. */
	r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	r |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	/* No file may be opened. glibc probes a few /proc files (malloc reads
	 * overcommit_memory when it trims a thread arena): those calls fail
	 * with EACCES instead of killing the process. */
	r |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 0);
	r |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), 0);
	/* SCMP_CMP_EQ ignores datum_b; it is given (0) because clang's
	 * -Wmissing-field-initializers refuses the two-argument form.
	 * Signals and resource limits of this process only: the store and
	 * the parent run as the same user, and a compromised http process
	 * must not stop them or change their limits. glibc's raise, abort
	 * and pthread_kill use tgkill(getpid(), ...); getrlimit and setrlimit
	 * use prlimit64(0, ...). */
	r |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1, SCMP_A0(SCMP_CMP_EQ, 0, 0));
	/* libmicrohttpd names its threads; no other prctl. */
	r |= seccomp_rule_add(
	    ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1, SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME, 0));
	return sandbox_load(ctx, r);
}
