/* Tests for intake/kdf_arena.c: the KDF worker's resident Argon2 memory.
 * A receipt derived with the arena armed gives exactly the tag and key it
 * gives without (at the production limits and at a memlimit Argon2 rounds
 * down), and the arena was really used; the arena is wiped when libsodium
 * lets go of it and when a derivation is abandoned; every other mapping
 * (not armed, another size, shared, file-backed, fixed, not read-write, a
 * second one while lent) passes through to libc; each thread has its own. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <sodium/core.h>
#include <sodium/randombytes.h>
#include <sodium/utils.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "intake/http.h"

#define MIB ((uint64_t)1 << 20)

struct want {
	char canon[CC_RCPT_CHARS + 1];
	struct cc_rcpt_params p;
	uint8_t tag[CC_HASH_BYTES];
	struct cc_boxkey key;
};

/* The plain derivation (no arena armed) that the arena's must equal. */
static void
want_init(struct want *w, uint64_t ops, uint64_t mem)
{
	memset(w, 0, sizeof(*w));
	assert_int_equal(cc_rcpt_generate(w->canon), CC_OK);
	randombytes_buf(w->p.salt, sizeof(w->p.salt));
	w->p.opslimit = ops;
	w->p.memlimit = mem;
	uint64_t hits = kdf_arena_hits();
	assert_int_equal(cc_rcpt_derive(w->canon, &w->p, w->tag, &w->key), CC_OK);
	assert_true(kdf_arena_hits() == hits);
}

static int
all_zero(void)
{
	size_t len;
	const uint8_t *m = kdf_arena_memory(&len);
	uint8_t acc = 0;
	if (m == NULL || len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		acc |= m[i];
	return acc == 0;
}

/* Derives with the arena armed; checks it matched w and used the arena. */
static void
derive_armed(const struct want *w)
{
	uint8_t tag[CC_HASH_BYTES];
	struct cc_boxkey key;
	uint64_t hits = kdf_arena_hits();

	assert_int_equal(kdf_arena_arm(w->p.memlimit), 0);
	assert_int_equal(cc_rcpt_derive(w->canon, &w->p, tag, &key), CC_OK);
	kdf_arena_disarm();
	assert_true(kdf_arena_hits() == hits + 1);
	assert_memory_equal(tag, w->tag, sizeof(tag));
	assert_memory_equal(&key, &w->key, sizeof(key));
	assert_true(all_zero());
}

static void
test_production_limits_unchanged(void **state)
{
	struct want w;
	(void)state;
	want_init(&w, 3, 32 * MIB); /* STORE_KDF_DEFAULT_OPS/_MEM */
	derive_armed(&w);
	derive_armed(&w); /* the kept arena, a second time */
	kdf_arena_release();
}

static void
test_rounded_memlimit_unchanged(void **state)
{
	struct want w;
	(void)state;
	want_init(&w, 1, 8 * MIB + 6 * 1024); /* Argon2 uses 8 MiB + 4 KiB */
	derive_armed(&w);
	kdf_arena_release();
}

static void
test_another_params_remaps(void **state)
{
	struct want a, b;
	(void)state;
	want_init(&a, 1, 8 * MIB);
	want_init(&b, 1, 12 * MIB);
	derive_armed(&a);
	derive_armed(&b);
	derive_armed(&a);
	kdf_arena_release();
}

static void
test_arm_refuses_tiny(void **state)
{
	(void)state;
	assert_int_equal(kdf_arena_arm(0), -1);
	assert_int_equal(kdf_arena_arm(3 * 1024), -1);
}

/* A mapping of the arena's size with these arguments must not be the arena. */
static void
passes(int prot, int flags, int fd, size_t len)
{
	size_t alen;
	uint64_t hits = kdf_arena_hits();
	const void *base;

	assert_int_equal(kdf_arena_arm(8 * MIB), 0);
	base = kdf_arena_memory(&alen);
	void *p = mmap(NULL, len ? len : alen, prot, flags, fd, 0);
	assert_true(p != MAP_FAILED);
	assert_ptr_not_equal(p, base);
	assert_int_equal(munmap(p, len ? len : alen), 0);
	assert_true(kdf_arena_hits() == hits);
	kdf_arena_release();
}

static void
test_other_mappings_pass_through(void **state)
{
	const int anon = MAP_PRIVATE | MAP_ANONYMOUS;
	char path[] = "/tmp/candour-test-arena.XXXXXX";
	int fd = mkstemp(path);
	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)(8 * MIB)), 0);
	passes(PROT_READ | PROT_WRITE, anon, -1, 8 * MIB + 4096);
	passes(PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	passes(PROT_READ, anon, -1, 0);
	passes(PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	unlink(path);
}

static void
test_not_armed_passes_through(void **state)
{
	size_t len;
	const void *base;
	uint64_t hits;
	(void)state;
	assert_int_equal(kdf_arena_arm(8 * MIB), 0);
	kdf_arena_disarm(); /* mapped, not armed */
	base = kdf_arena_memory(&len);
	hits = kdf_arena_hits();
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	assert_ptr_not_equal(p, base);
	assert_int_equal(munmap(p, len), 0);
	assert_true(kdf_arena_hits() == hits);
	kdf_arena_release();
}

static void
test_lent_once_and_wiped(void **state)
{
	size_t len;
	const void *base;
	uint8_t *a, *b;
	(void)state;
	assert_int_equal(kdf_arena_arm(8 * MIB), 0);
	base = kdf_arena_memory(&len);
	a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_ptr_equal(a, base);
	b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(b != MAP_FAILED);
	assert_ptr_not_equal(b, base); /* a second one while lent is libc's */
	memset(a, 0xa5, len);
	memset(b, 0x5a, len);
	assert_int_equal(munmap(b, len), 0);
	assert_false(all_zero());
	assert_int_equal(munmap(a, len), 0);
	assert_true(all_zero()); /* wiped, and still mapped: readable */
	a[len - 1] = 1; /* still writable */
	a[len - 1] = 0;
	/* lent again after the munmap */
	assert_ptr_equal(mmap(NULL, len, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0),
	    base);
	memset(a, 0x11, 64);
	kdf_arena_disarm(); /* abandoned while lent: wiped too */
	assert_true(all_zero());
	kdf_arena_release();
	assert_null(kdf_arena_memory(&len));
}

static void
test_fixed_address_passes_through(void **state)
{
	size_t len;
	uint8_t *p;
	(void)state;
	assert_int_equal(kdf_arena_arm(8 * MIB), 0);
	const void *base = kdf_arena_memory(&len);
	p = mmap(NULL, len * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	void *q = mmap(p, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
	    -1, 0);
	assert_ptr_equal(q, p);
	assert_ptr_not_equal(q, base);
	assert_int_equal(munmap(p, len * 2), 0);
	kdf_arena_release();
}

struct th {
	struct want w;
	const void *base;
	uint64_t hits;
	pthread_barrier_t *both; /* each holds its arena until both have one */
};

static void *
thread_derive(void *arg)
{
	struct th *t = arg;
	size_t len;
	uint8_t tag[CC_HASH_BYTES];
	struct cc_boxkey key;
	int ok = kdf_arena_arm(t->w.p.memlimit) == 0 &&
		 cc_rcpt_derive(t->w.canon, &t->w.p, tag, &key) == CC_OK;
	kdf_arena_disarm();
	t->hits = ok ? kdf_arena_hits() : 0;
	t->base = kdf_arena_memory(&len);
	if (!ok || sodium_memcmp(tag, t->w.tag, sizeof(tag)) != 0 ||
	    sodium_memcmp(&key, &t->w.key, sizeof(key)) != 0)
		t->hits = 0;
	/* Released only when both threads hold theirs: on a loaded machine
	 * the threads may run one after the other, and an arena released
	 * first can be mapped again at the same address for the second. */
	pthread_barrier_wait(t->both);
	kdf_arena_release();
	return NULL;
}

static void
test_each_thread_its_own(void **state)
{
	struct th t[2];
	pthread_t id[2];
	pthread_barrier_t both;
	(void)state;
	assert_int_equal(pthread_barrier_init(&both, NULL, 2), 0);
	for (int i = 0; i < 2; i++) {
		want_init(&t[i].w, 1, 8 * MIB);
		t[i].both = &both;
	}
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&id[i], NULL, thread_derive, &t[i]), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(id[i], NULL), 0);
	pthread_barrier_destroy(&both);
	assert_true(t[0].hits == 1 && t[1].hits == 1);
	assert_ptr_not_equal(t[0].base, t[1].base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_production_limits_unchanged),
	    cmocka_unit_test(test_rounded_memlimit_unchanged),
	    cmocka_unit_test(test_another_params_remaps),
	    cmocka_unit_test(test_arm_refuses_tiny),
	    cmocka_unit_test(test_other_mappings_pass_through),
	    cmocka_unit_test(test_not_armed_passes_through),
	    cmocka_unit_test(test_lent_once_and_wiped),
	    cmocka_unit_test(test_fixed_address_passes_through),
	    cmocka_unit_test(test_each_thread_its_own),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
