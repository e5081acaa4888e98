/*
 * 1 GiB through cc_env_seal_fd -> pipe -> cc_env_open_fd, each in its own
 * process, with the peak RSS of the sealing and opening processes under
 * 32 MiB (ru_maxrss from wait4). Under AddressSanitizer RSS means nothing
 * and everything is slower: a 64 MiB stream is checked for the round trip
 * only. A control child that touches 64 MiB shows the measurement can
 * fail.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/crypto/helpers.h"
#include "util/asan.h"

#if CANDOUR_ASAN
#define STREAM_BYTES ((uint64_t)64 << 20)
#define CHECK_RSS 0
#else
#define STREAM_BYTES ((uint64_t)1 << 30)
#define CHECK_RSS 1
#endif
#define RSS_LIMIT_KIB (32 * 1024)

#include "tests/test_valgrind.h"

/* Under valgrind (tests/valgrind/run.sh, memory only) the stream is cut to
 * 64 MiB (1 GiB through three emulated processes takes hours) and the RSS
 * ceiling is not checked: valgrind's own shadow memory and translation
 * cache are in each process's peak RSS, so it measures valgrind, not us.
 * The bytes are still checked end to end. */
static uint64_t
stream_bytes(void)
{
	return RUNNING_ON_VALGRIND ? (uint64_t)64 << 20 : STREAM_BYTES;
}
#define BUF 65536

static int
setup(void **state)
{
	signal(SIGPIPE, SIG_IGN);
	return setup_alice(state);
}

/* Cheap deterministic data: one mixed 64-bit word per 8 bytes. */
static void
fill_words(uint64_t *w, size_t n, uint64_t first)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t x = (first + i) * 0x9E3779B97F4A7C15ull;
		w[i] = x ^ (x >> 29);
	}
}

static int
write_all(int fd, const void *p, size_t len)
{
	const uint8_t *b = p;
	while (len > 0) {
		ssize_t n = write(fd, b, len);
		if (n <= 0)
			return -1;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

static pid_t
spawn_generator(int out)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	static uint64_t w[BUF / 8];
	for (uint64_t off = 0; off < stream_bytes(); off += BUF) {
		fill_words(w, BUF / 8, off / 8);
		if (write_all(out, w, BUF) != 0)
			_exit(1);
	}
	_exit(0);
}

static pid_t
spawn_sealer(int in, int out)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	struct cc_recipient r;
	cc_recipient_of(&alice->pub, &r);
	_exit(-cc_env_seal_fd(CC_KIND_ATTACHMENT, &r, 1, in, out));
}

static pid_t
spawn_opener(int in, int out)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	int kind;
	int rc = cc_env_open_fd(&alice->box, in, out, &kind);
	_exit(rc == CC_OK && kind == CC_KIND_ATTACHMENT ? 0 : 100 - rc);
}

/* Each pipe holds up to 1 MiB (the kernel's default limit for a pipe,
 * /proc/sys/fs/pipe-max-size) instead of 64 KiB: a writer then blocks
 * and waits far less often: the same ~270,000 reads and writes, ~31,000
 * waits for a pipe where there were ~81,000 (the rest of the ~105,000
 * context switches are preemptions), and the waits and wake-ups were
 * most of the test's system time on the 2-core VM. What is checked is
 * unchanged: a pipe's buffer is kernel memory, in no process's RSS
 * (ru_maxrss), and every byte still crosses each pipe. Best effort: where
 * the limit is lower the pipe keeps its default. */
#define PIPE_BYTES (1 << 20)
static void
big_pipe(int p[2])
{
	assert_int_equal(pipe(p), 0);
	(void)fcntl(p[1], F_SETPIPE_SZ, PIPE_BYTES);
}

/* Waits for pid; returns its exit status, peak RSS in *kib. */
static int
reap(pid_t pid, long *kib)
{
	int st;
	struct rusage ru;
	assert_int_equal(wait4(pid, &st, 0, &ru), pid);
	*kib = ru.ru_maxrss;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
rss_control_can_fail(void **state)
{
	(void)state;
	pid_t pid = fork();
	if (pid == 0) {
		size_t n = (size_t)64 << 20;
		volatile uint8_t *p = malloc(n);
		for (size_t i = 0; p && i < n; i += 4096)
			p[i] = 1;
		_exit(p ? 0 : 1);
	}
	long kib;
	assert_int_equal(reap(pid, &kib), 0);
	assert_true(kib > RSS_LIMIT_KIB);
}

static void
one_gib_through_pipes(void **state)
{
	(void)state;
	int p1[2], p2[2], p3[2];
	big_pipe(p1);
	big_pipe(p2);
	big_pipe(p3);

	pid_t gen = spawn_generator(p1[1]);
	close(p1[1]);
	pid_t seal = spawn_sealer(p1[0], p2[1]);
	close(p1[0]);
	close(p2[1]);
	pid_t open = spawn_opener(p2[0], p3[1]);
	close(p2[0]);
	close(p3[1]);

	static uint64_t got[BUF / 8], want[BUF / 8];
	uint64_t total = 0;
	size_t have = 0;
	int mismatch = 0;
	for (;;) {
		ssize_t n = read(p3[0], (uint8_t *)got + have, BUF - have);
		if (n <= 0)
			break;
		have += (size_t)n;
		if (have < BUF && total + have < stream_bytes())
			continue;
		fill_words(want, BUF / 8, total / 8);
		if (memcmp(got, want, have) != 0)
			mismatch = 1;
		total += have;
		have = 0;
	}
	close(p3[0]);
	long gen_kib, seal_kib, open_kib;
	assert_int_equal(reap(gen, &gen_kib), 0);
	assert_int_equal(reap(seal, &seal_kib), 0);
	assert_int_equal(reap(open, &open_kib), 0);
	assert_false(mismatch);
	assert_int_equal(have, 0);
	assert_int_equal(total, stream_bytes());
	print_message("stream %llu MiB: peak RSS seal %ld KiB, open %ld KiB\n",
	    (unsigned long long)(stream_bytes() >> 20), seal_kib, open_kib);
	if (CHECK_RSS && !RUNNING_ON_VALGRIND) {
		assert_true(seal_kib < RSS_LIMIT_KIB);
		assert_true(open_kib < RSS_LIMIT_KIB);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rss_control_can_fail),
	    cmocka_unit_test(one_gib_through_pipes),
	};
	return cmocka_run_group_tests(tests, setup, teardown_alice);
}
