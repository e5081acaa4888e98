/*
 * Confining the store process (issue 9): the one process that parses
 * frames from the network-facing one. After serve forks it, it drops to
 * an unprivileged user (sandbox_drop: no core, not dumpable, no new
 * privileges), restricts the file system to the data directory with
 * Landlock (kernel 5.13+; raw syscalls, as glibc has no wrappers; the
 * ABI is probed and only what the kernel knows is asked for), and
 * installs a seccomp allow-list of what SQLite, libsodium and the store
 * protocol use. Anything else kills the process.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/landlock.h>
#include <seccomp.h>

#include "intake/store_int.h"

/* Rights of later ABIs, for older headers (values from the kernel's). */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif

/* Every file-system right of ABI 1: all handled, so all denied unless a
 * rule grants them. */
#define LL_FS_V1                                                                                   \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |                              \
	    LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR |                           \
	    LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |                       \
	    LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |                           \
	    LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |                           \
	    LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |                         \
	    LANDLOCK_ACCESS_FS_MAKE_SYM)
/* What SQLite needs in the data directory: the database, its -wal and
 * -shm (created, read, written, truncated, removed at the last close)
 * and the directory itself (opened to fsync it). */
#define LL_DATA_V1                                                                                 \
	(LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |                            \
	    LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |                         \
	    LANDLOCK_ACCESS_FS_MAKE_REG)

int
store_data_dir(const char *dbpath, char *out, size_t cap)
{
	const char *slash = strrchr(dbpath, '/');
	size_t n;

	if (slash == NULL)
		return snprintf(out, cap, ".") < (int)cap ? 0 : -1;
	n = slash == dbpath ? 1 : (size_t)(slash - dbpath);
	if (n >= cap)
		return -1;
	memcpy(out, dbpath, n);
	out[n] = '\0';
	return 0;
}

int
store_landlock(const char *dir)
{
	struct landlock_ruleset_attr ra;
	struct landlock_path_beneath_attr pb;
	long abi;
	int rfd = -1, dfd = -1, rc = -1;

	abi = syscall(__NR_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0)
		return errno == ENOSYS || errno == EOPNOTSUPP ? 1 : -1;
	memset(&ra, 0, sizeof(ra));
	memset(&pb, 0, sizeof(pb));
	ra.handled_access_fs = LL_FS_V1;
	pb.allowed_access = LL_DATA_V1;
	if (abi >= 2)
		ra.handled_access_fs |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3) {
		ra.handled_access_fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
		pb.allowed_access |= LANDLOCK_ACCESS_FS_TRUNCATE;
	}
	if (abi >= 5)
		ra.handled_access_fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	/* the struct's size as the header knows it: later fields (network,
	 * scopes) stay unasked for, which a newer kernel accepts */
	rfd = (int)syscall(__NR_landlock_create_ruleset, &ra, sizeof(ra.handled_access_fs), 0);
	if (rfd < 0)
		goto out;
	if ((dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		goto out;
	pb.parent_fd = dfd;
	if (syscall(__NR_landlock_add_rule, rfd, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) != 0)
		goto out;
	/* no_new_privs is set (sandbox_drop): required by restrict_self */
	if (syscall(__NR_landlock_restrict_self, rfd, 0) != 0)
		goto out;
	rc = 0;
out:
	if (dfd >= 0)
		close(dfd);
	if (rfd >= 0)
		close(rfd);
	return rc;
}

static const int store_allowed[] = {
    SCMP_SYS(read),
    SCMP_SYS(write),
    SCMP_SYS(readv),
    SCMP_SYS(writev),
    SCMP_SYS(pread64),
    SCMP_SYS(pwrite64),
    SCMP_SYS(close),
    SCMP_SYS(openat),
    SCMP_SYS(open),
    SCMP_SYS(fstat),
    SCMP_SYS(statfs),
    SCMP_SYS(fstatfs),
    SCMP_SYS(newfstatat),
    SCMP_SYS(stat),
    SCMP_SYS(lstat),
    SCMP_SYS(access),
    SCMP_SYS(faccessat),
    SCMP_SYS(faccessat2),
    SCMP_SYS(lseek),
    SCMP_SYS(fcntl),
    SCMP_SYS(ftruncate),
    SCMP_SYS(fsync),
    SCMP_SYS(fdatasync),
    SCMP_SYS(unlink),
    SCMP_SYS(unlinkat),
    SCMP_SYS(fchmod),
    SCMP_SYS(fchown),
    SCMP_SYS(getcwd),
    SCMP_SYS(readlink),
    SCMP_SYS(readlinkat),
    SCMP_SYS(umask),
    SCMP_SYS(recvmsg),
    SCMP_SYS(sendmsg),
    SCMP_SYS(recvfrom),
    SCMP_SYS(sendto),
    SCMP_SYS(poll),
    SCMP_SYS(ppoll),
    SCMP_SYS(munmap),
    SCMP_SYS(mremap),
    SCMP_SYS(brk),
    SCMP_SYS(madvise),
    SCMP_SYS(mlock),
    SCMP_SYS(munlock),
    SCMP_SYS(futex),
    SCMP_SYS(getrandom),
    SCMP_SYS(clock_gettime),
    SCMP_SYS(gettimeofday),
    SCMP_SYS(time),
    SCMP_SYS(nanosleep),
    SCMP_SYS(clock_nanosleep),
    SCMP_SYS(getpid),
    SCMP_SYS(gettid),
    SCMP_SYS(getuid),
    SCMP_SYS(geteuid),
    SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(rt_sigaction),
    SCMP_SYS(rt_sigreturn),
    SCMP_SYS(sigaltstack), /* a sanitizer build's exit path */
    SCMP_SYS(restart_syscall),
    SCMP_SYS(exit),
    SCMP_SYS(exit_group),
};

int
store_seccomp(void)
{
	scmp_filter_ctx ctx;
	int r = 0;

	if (sandbox_valgrind()) /* sandbox.c */
		return 0;
	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		return -1;
	/* the list; its own signals only, no executable memory (as http) */
	r |= sandbox_rules_common(
	    ctx, store_allowed, sizeof(store_allowed) / sizeof(store_allowed[0]));
	r |= seccomp_rule_add(
	    ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1, SCMP_A0(SCMP_CMP_EQ, PR_SET_DUMPABLE, 0));
	return sandbox_load(ctx, r);
}
