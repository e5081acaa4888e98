/*
 * The review tool never opens a network socket: a seccomp filter, set
 * before any command runs, makes every socket-creating or -using system
 * call fail with EACCES. It is inherited by anything the tool starts
 * ($EDITOR), which is what the end-to-end test checks. Other
 * architectures' system calls (the 32-bit int 0x80 socketcall on x86-64)
 * are killed: libseccomp's default bad-architecture action. libseccomp
 * also sets no-new-privs, so a set-id $EDITOR cannot shed the filter.
 * add_key, keyctl and request_key stay allowed (the filter allows what it
 * does not list): `unlock` keeps the opened key in the session keyring,
 * which reaches no network (tests/e2e/34-review-unlock.sh runs under it).
 */
#include <errno.h>
#include <seccomp.h>

#include "review/review.h"

int
rv_sandbox(void)
{
	static const char *deny[] = {
	    "socket",
	    "socketpair",
	    "connect",
	    "bind",
	    "listen",
	    "accept",
	    "accept4",
	    "sendto",
	    "sendmsg",
	    "sendmmsg",
	    "recvfrom",
	    "recvmsg",
	    "recvmmsg",
	    "socketcall",
	    /* io_uring makes and connects sockets without the calls above
	     * (IORING_OP_SOCKET, IORING_OP_CONNECT, IORING_OP_SEND). */
	    "io_uring_setup",
	    "io_uring_enter",
	    "io_uring_register",
	    /* taking a socket from another process of the same user, or
	     * steering one that holds a socket. */
	    "pidfd_getfd",
	    "process_vm_readv",
	    "process_vm_writev",
#ifndef __SANITIZE_ADDRESS__
	    /* A tracer could steer another process of the same user into
	     * using its sockets. Only the sanitizer build, whose leak check
	     * stops the world with ptrace, leaves it allowed. */
	    "ptrace",
#endif
	};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc = -1;

	if (ctx == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(deny) / sizeof(deny[0]); i++) {
		int nr = seccomp_syscall_resolve_name(deny[i]);
		if (nr == __NR_SCMP_ERROR)
			continue; /* not on this architecture */
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), nr, 0) != 0)
			goto out;
	}
	rc = seccomp_load(ctx) == 0 ? 0 : -1;
out:
	seccomp_release(ctx);
	return rc;
}
