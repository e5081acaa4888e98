/* Tests for crypto/pool.c and the blocks crypto/ keeps with it (issue
 * 14): a block given back is wiped whole (every byte of its size) before
 * anyone gets it again, the kept one is the next one handed out, at most
 * the pool's max (and never more than CC_POOL_CAP) are kept, a new one
 * (sodium_malloc's fill, not zeros) is made past them, and a child of
 * fork() is never handed the parent's kept blocks (its copies are not
 * locked). The same for an envelope writer, a reader (its key included)
 * and a receipt's derived bytes, each still working when reused. */
#include "tests/crypto/helpers.h"
#include "crypto/cc_internal.h"

#include <sys/wait.h>
#include <unistd.h>

static size_t
nonzero(const void *b, size_t len)
{
	const uint8_t *p = b;
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += p[i] != 0;
	return n;
}

/* The kept block comes back first, wiped: a pool that kept it unwiped
 * (or gave another) fails here. */
static void
pool_wiped_on_return(void **state)
{
	static struct cc_pool p = CC_POOL_INIT(5000, 2);
	(void)state;

	uint8_t *b = cc_pool_get(&p);
	assert_non_null(b);
	memset(b, 0xa5, 5000);
	cc_pool_put(&p, b);
	assert_int_equal(p.n, 1);
	assert_int_equal(nonzero(p.kept[0], 5000), 0); /* wiped as it went back */
	uint8_t *c = cc_pool_get(&p);
	assert_ptr_equal(c, b);
	assert_int_equal(nonzero(c, 5000), 0);
	assert_int_equal(p.n, 0);
	cc_pool_put(&p, c);
}

/* Its own size and max: three given back, two kept and wiped, the third
 * taken is new (sodium_malloc's fill); a max past CC_POOL_CAP keeps
 * CC_POOL_CAP; NULL is ignored. */
static void
pool_bounded(void **state)
{
	static struct cc_pool two = CC_POOL_INIT(5000, 2), big = CC_POOL_INIT(64, CC_POOL_CAP + 5);
	unsigned char *b[CC_POOL_CAP + 1];
	size_t zero = 0;
	(void)state;

	for (size_t i = 0; i < 3; i++) {
		assert_non_null(b[i] = cc_pool_get(&two));
		memset(b[i], 0x5a, 5000);
	}
	for (size_t i = 0; i < 3; i++)
		cc_pool_put(&two, b[i]);
	assert_int_equal(two.n, 2);
	for (size_t i = 0; i < 3; i++) {
		assert_non_null(b[i] = cc_pool_get(&two));
		zero += nonzero(b[i], 5000) == 0;
	}
	assert_int_equal(zero, 2);
	assert_int_not_equal(nonzero(b[2], 5000), 0); /* a new one */
	for (size_t i = 0; i < 3; i++)
		cc_pool_put(&two, b[i]);
	for (size_t i = 0; i < CC_POOL_CAP + 1; i++)
		assert_non_null(b[i] = cc_pool_get(&big));
	for (size_t i = 0; i < CC_POOL_CAP + 1; i++)
		cc_pool_put(&big, b[i]);
	assert_int_equal(big.n, CC_POOL_CAP);
	cc_pool_put(&big, NULL); /* ignored */
	assert_int_equal(big.n, CC_POOL_CAP);
}

/* A child of fork() finds the pool empty (its copies of the kept blocks
 * freed, not handed out unlocked); the parent's are untouched. */
static void
pool_fork_child_empty(void **state)
{
	static struct cc_pool p = CC_POOL_INIT(100, 4);
	uint8_t *b[2];
	int st;
	(void)state;

	for (size_t i = 0; i < 2; i++)
		assert_non_null(b[i] = cc_pool_get(&p));
	for (size_t i = 0; i < 2; i++)
		cc_pool_put(&p, b[i]);
	assert_int_equal(p.n, 2);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		uint8_t *c = cc_pool_get(&p); /* a new one: sodium_malloc's fill */
		_exit(p.n == 0 && c != NULL && nonzero(c, 100) != 0 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(p.n, 2);
	assert_ptr_equal(cc_pool_get(&p), b[1]);
	cc_pool_put(&p, b[1]);
}

static uint8_t sunk[4 * CC_CHUNK_BYTES];
static size_t nsunk;

static int
sink(void *ctx, const uint8_t *buf, size_t len)
{
	(void)ctx;
	if (len > sizeof(sunk) - nsunk)
		return -1;
	memcpy(sunk + nsunk, buf, len);
	nsunk += len;
	return 0;
}

static const char secret[] = "the reporter's words, held in the writer's chunk";

/* A writer given back (aborted with plaintext buffered, or finished) is
 * kept wiped; the next writer is that block and seals an envelope that
 * opens to what was written. */
static void
writer_kept_wiped(void **state)
{
	struct cc_recipient r;
	struct cc_env_writer *w = NULL, *w2 = NULL;
	uint8_t *pt = NULL;
	size_t ptlen = 0;
	int kind = 0;
	(void)state;

	test_recipient(alice, &r);
	nsunk = 0;
	assert_int_equal(cc_env_writer_new(CC_KIND_CONCERN, &r, 1, sink, NULL, &w), CC_OK);
	assert_int_equal(cc_env_writer_update(w, (const uint8_t *)secret, sizeof(secret)), CC_OK);
	size_t n0 = env_writers.n;
	cc_env_writer_abort(w);
	assert_int_equal(env_writers.n, n0 + 1);
	assert_ptr_equal(env_writers.kept[n0], w);
	assert_int_equal(nonzero(w, env_writers.size), 0);

	nsunk = 0;
	assert_int_equal(cc_env_writer_new(CC_KIND_CONCERN, &r, 1, sink, NULL, &w2), CC_OK);
	assert_ptr_equal(w2, w); /* the kept one, reused */
	assert_int_equal(env_writers.n, n0);
	assert_int_equal(cc_env_writer_update(w2, (const uint8_t *)secret, sizeof(secret)), CC_OK);
	assert_int_equal(cc_env_writer_finish(w2), CC_OK);
	assert_int_equal(env_writers.n, n0 + 1);
	assert_int_equal(nonzero(w, env_writers.size), 0);
	assert_int_equal(cc_env_open(&alice->box, sunk, nsunk, &pt, &ptlen, &kind), CC_OK);
	assert_int_equal(kind, CC_KIND_CONCERN);
	assert_int_equal(ptlen, sizeof(secret));
	assert_memory_equal(pt, secret, ptlen);
	cc_free_wipe(pt, ptlen);
}

/* CC_ENV_WRITERS_KEPT + 1 writers open at once and given back: the pool
 * keeps CC_ENV_WRITERS_KEPT, the last one is freed. */
static void
writers_bounded(void **state)
{
	struct cc_recipient r;
	struct cc_env_writer *w[CC_ENV_WRITERS_KEPT + 1];
	(void)state;

	test_recipient(alice, &r);
	for (size_t i = 0; i < CC_ENV_WRITERS_KEPT + 1; i++) {
		nsunk = 0;
		assert_int_equal(
		    cc_env_writer_new(CC_KIND_CONCERN, &r, 1, sink, NULL, &w[i]), CC_OK);
	}
	assert_int_equal(env_writers.n, 0);
	for (size_t i = 0; i < CC_ENV_WRITERS_KEPT + 1; i++)
		cc_env_writer_abort(w[i]);
	assert_int_equal(env_writers.n, CC_ENV_WRITERS_KEPT);
	assert_true(CC_ENV_WRITERS_KEPT <= CC_POOL_CAP);
}

/* A reader given back is kept wiped, the reviewer's key with it; reused,
 * it opens an envelope as a new one would. */
static void
reader_kept_wiped(void **state)
{
	struct cc_recipient r;
	struct cc_env_reader *rd = NULL, *rd2 = NULL;
	uint8_t *env = NULL;
	size_t envlen = 0;
	int kind = 0;
	(void)state;

	test_recipient(alice, &r);
	assert_int_equal(cc_env_seal(CC_KIND_REPLY, &r, 1, (const uint8_t *)secret, sizeof(secret),
			     &env, &envlen),
	    CC_OK);
	for (int round = 0; round < 2; round++) {
		size_t n0 = env_readers.n;
		nsunk = 0;
		assert_int_equal(cc_env_reader_new(&alice->box, sink, NULL, &rd), CC_OK);
		if (round == 1)
			assert_ptr_equal(rd, rd2); /* the kept one, reused */
		assert_int_equal(cc_env_reader_update(rd, env, envlen), CC_OK);
		assert_int_equal(cc_env_reader_finish(rd, &kind), CC_OK);
		assert_int_equal(kind, CC_KIND_REPLY);
		assert_int_equal(nsunk, sizeof(secret));
		assert_memory_equal(sunk, secret, nsunk);
		assert_int_equal(env_readers.n, n0 + (n0 == 0));
		assert_ptr_equal(env_readers.kept[env_readers.n - 1], rd);
		assert_int_equal(nonzero(rd, env_readers.size), 0); /* key included */
		rd2 = rd;
	}
	free(env);
}

/* The receipt's 64 derived bytes (lookup tag and key seed) are kept
 * wiped; a second derivation through the kept block gives the same tag
 * and key. */
static void
okm_kept_wiped(void **state)
{
	struct cc_rcpt_params p;
	char rc[CC_RCPT_CHARS + 1];
	uint8_t t1[CC_HASH_BYTES], t2[CC_HASH_BYTES];
	struct cc_boxkey *k1 = sodium_malloc(sizeof *k1), *k2 = sodium_malloc(sizeof *k2);
	(void)state;

	assert_non_null(k1);
	assert_non_null(k2);
	memset(&p, 0, sizeof p);
	memset(p.salt, 9, sizeof p.salt);
	p.opslimit = CC_KDF_OPS_MIN;
	p.memlimit = CC_KDF_MEM_MIN;
	assert_int_equal(cc_rcpt_generate(rc), CC_OK);
	size_t n0 = rcpt_okms.n;
	assert_int_equal(cc_rcpt_derive(rc, &p, t1, k1), CC_OK);
	assert_int_equal(rcpt_okms.n, n0 + (n0 == 0));
	uint8_t *okm = rcpt_okms.kept[rcpt_okms.n - 1];
	assert_int_equal(rcpt_okms.size, CC_RCPT_OKM_BYTES);
	assert_int_equal(nonzero(okm, CC_RCPT_OKM_BYTES), 0);
	assert_int_equal(cc_rcpt_derive(rc, &p, t2, k2), CC_OK);
	assert_ptr_equal(rcpt_okms.kept[rcpt_okms.n - 1], okm); /* reused, kept again */
	assert_int_equal(nonzero(okm, CC_RCPT_OKM_BYTES), 0);
	assert_memory_equal(t1, t2, sizeof t1);
	assert_memory_equal(k1, k2, sizeof *k1);
	sodium_free(k1);
	sodium_free(k2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(pool_wiped_on_return),
	    cmocka_unit_test(pool_bounded),
	    cmocka_unit_test(pool_fork_child_empty),
	    cmocka_unit_test(writer_kept_wiped),
	    cmocka_unit_test(writers_bounded),
	    cmocka_unit_test(reader_kept_wiped),
	    cmocka_unit_test(okm_kept_wiped),
	};
	return cmocka_run_group_tests(tests, setup_alice, teardown_alice);
}
