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
#include <sys/socket.h>

#include "review/review.h"
#include "util/asan.h"

/* What the CLI and the desk both refuse: creating, binding, connecting
 * sockets, and the ways round that. The desk's own socket calls are added
 * by rv_sandbox_desk. */
static const char *const deny_always[] = {
    "socket",
    "socketpair",
    "connect",
    "bind",
    "listen",
    "sendmmsg",
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
#if !CANDOUR_ASAN
    /* A tracer could steer another process of the same user into
     * using its sockets. Only the sanitizer build, whose leak check
     * stops the world with ptrace, leaves it allowed. */
    "ptrace",
#endif
};
/* The CLI holds no socket at all: using one is refused too. */
static const char *const deny_cli[] = {
    "accept", "accept4", "sendto", "sendmsg", "recvfrom", "recvmsg"};

static int
deny_list(scmp_filter_ctx ctx, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);
		if (nr == __NR_SCMP_ERROR)
			continue; /* not on this architecture */
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), nr, 0) != 0)
			return -1;
	}
	return 0;
}

int
rv_sandbox(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc = -1;

	if (ctx == NULL)
		return -1;
	if (deny_list(ctx, deny_always, sizeof(deny_always) / sizeof(deny_always[0])) != 0 ||
	    deny_list(ctx, deny_cli, sizeof(deny_cli) / sizeof(deny_cli[0])) != 0)
		goto out;
	rc = seccomp_load(ctx) == 0 ? 0 : -1;
out:
	seccomp_release(ctx);
	return rc;
}

/*
 * The desk: the same list, except that it may accept on its one listening
 * socket (lfd, bound to 127.0.0.1 before this is called) and talk on the
 * connections accepted from it. accept/accept4 on any other descriptor is
 * refused; sendto with a destination address is refused; sendmsg (which
 * libmicrohttpd uses to send a header and body together, and whose address
 * a filter cannot read) stays allowed, because the only sockets the
 * process can hold are lfd and connected TCP streams from it, on which an
 * address is ignored or refused by the kernel; MSG_FASTOPEN (a connect
 * inside a send) is refused on both. recv* read from those streams. The
 * filter covers every thread of the process (TSYNC), including any a
 * library started before it.
 */
int
rv_sandbox_desk(int lfd)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	const uint32_t no = SCMP_ACT_ERRNO(EACCES);
	int rc = -1;

	if (ctx == NULL || lfd < 0)
		goto out;
	/* argument tests spelt out: SCMP_A0() leaves datum_b to the compiler,
	 * which clang's -Wmissing-field-initializers refuses */
	const struct scmp_arg_cmp not_lfd = {0, SCMP_CMP_NE, (uint64_t)lfd, 0};
	const struct scmp_arg_cmp addr = {4, SCMP_CMP_NE, 0, 0};
	const struct scmp_arg_cmp fo_to = {3, SCMP_CMP_MASKED_EQ, MSG_FASTOPEN, MSG_FASTOPEN};
	const struct scmp_arg_cmp fo_msg = {2, SCMP_CMP_MASKED_EQ, MSG_FASTOPEN, MSG_FASTOPEN};
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) != 0 ||
	    deny_list(ctx, deny_always, sizeof(deny_always) / sizeof(deny_always[0])) != 0 ||
	    seccomp_rule_add(ctx, no, SCMP_SYS(accept4), 1, not_lfd) != 0 ||
	    seccomp_rule_add(ctx, no, SCMP_SYS(accept), 1, not_lfd) != 0 ||
	    seccomp_rule_add(ctx, no, SCMP_SYS(sendto), 1, addr) != 0 ||
	    seccomp_rule_add(ctx, no, SCMP_SYS(sendto), 1, fo_to) != 0 ||
	    seccomp_rule_add(ctx, no, SCMP_SYS(sendmsg), 1, fo_msg) != 0)
		goto out;
	rc = seccomp_load(ctx) == 0 ? 0 : -1;
out:
	if (ctx != NULL)
		seccomp_release(ctx);
	return rc;
}
