/*
 * Keeps each KDF worker's Argon2id memory resident between derivations.
 *
 * Debian 12's libsodium (1.0.18) maps a fresh MAP_POPULATE region for
 * every crypto_pwhash and unmaps it afterwards: for the production receipt
 * KDF (32 MiB) that is ~8,200 page faults, the kernel clearing 32 MiB and
 * a TLB shootdown per submission, which doubled the server CPU of a
 * submission (measured on the 2-core VM: 100-120 ms a derivation against
 * 45 ms with the memory kept). libsodium has no allocator hook, and
 * vendoring Argon2 is not an option, so this file defines mmap and
 * munmap: a definition in the executable takes precedence over libc's for
 * the calls libsodium makes through its PLT. Both pass every call through
 * to libc, except in a thread that armed its arena (kdf_arena_arm, the
 * KDF workers around one derivation):
 *   - an anonymous private read-write mapping of exactly the arena's size
 *     at no fixed address (the Argon2 memory) gets the arena, once;
 *   - munmap of the lent arena wipes it (libsodium does not clear its
 *     Argon2 memory: it relied on munmap) and keeps it mapped.
 * Anything else, or a libsodium that allocates another way, is untouched
 * and derivations work as before, only slower (kdf_arena_hits says which).
 * The arena is MADV_DONTDUMP (no core dump holds it) and MADV_HUGEPAGE
 * where the kernel offers it (fewer TLB misses in Argon2's random reads).
 * The memory bound is unchanged: workers x memlimit, as before; a worker
 * keeps its arena only while derivations follow each other and releases
 * it when its queue is empty (kdf.c), so an idle intake holds none.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <sys/mman.h>

#include "intake/http.h"

typedef void *(*mmap_fn)(void *, size_t, int, int, int, off_t);
typedef int (*munmap_fn)(void *, size_t);

static pthread_once_t real_once = PTHREAD_ONCE_INIT;
static _Atomic int resident;	/* arenas mapped now, all threads */
static _Atomic uint64_t maps; /* arenas ever mapped, all threads */
static mmap_fn real_mmap;
static munmap_fn real_munmap;

static _Thread_local struct {
	uint8_t *base;
	size_t len;
	int armed, lent;
	uint64_t hits;
} arena;

static void
real_resolve(void)
{
	/* RTLD_NEXT: the definition after this executable's (libc's, or a
	 * sanitizer's interceptor in front of it). */
	real_mmap = (mmap_fn)dlsym(RTLD_NEXT, "mmap");
	real_munmap = (munmap_fn)dlsym(RTLD_NEXT, "munmap");
}

static int
real_ready(void)
{
	return pthread_once(&real_once, real_resolve) == 0 && real_mmap != NULL &&
	       real_munmap != NULL;
}

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	const int kind = MAP_PRIVATE | MAP_ANONYMOUS | MAP_SHARED | MAP_FIXED;

	if (arena.armed && !arena.lent && addr == NULL && len == arena.len &&
	    prot == (PROT_READ | PROT_WRITE) && (flags & kind) == (MAP_PRIVATE | MAP_ANONYMOUS) &&
	    fd == -1) {
		arena.lent = 1;
		arena.hits++;
		return arena.base;
	}
	if (!real_ready()) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	return real_mmap(addr, len, prot, flags, fd, off);
}

int
munmap(void *addr, size_t len)
{
	if (arena.lent && addr == arena.base && len == arena.len) {
		sodium_memzero(arena.base, arena.len);
		arena.lent = 0;
		return 0;
	}
	if (!real_ready()) {
		errno = EINVAL;
		return -1;
	}
	return real_munmap(addr, len);
}

/* libsodium's Argon2 memory for a memlimit: whole 1 KiB blocks, a multiple
 * of 4 (one lane, four sync points), as argon2-core.c rounds it. */
static size_t
argon2_bytes(uint64_t memlimit)
{
	uint64_t blocks = (memlimit / 1024) & ~(uint64_t)3;
	return blocks > SIZE_MAX / 1024 ? 0 : (size_t)(blocks * 1024);
}

int
kdf_arena_arm(uint64_t memlimit)
{
	size_t len = argon2_bytes(memlimit);

	if (len == 0 || arena.lent)
		return -1;
	if (arena.base != NULL && arena.len != len)
		kdf_arena_release();
	if (arena.base == NULL) {
		void *p;
		if (!real_ready())
			return -1;
		p = real_mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -1;
		(void)madvise(p, len, MADV_DONTDUMP); /* best effort, as below */
		(void)madvise(p, len, MADV_HUGEPAGE);
		arena.base = p;
		arena.len = len;
		resident++;
		maps++;
	}
	arena.armed = 1;
	return 0;
}

void
kdf_arena_disarm(void)
{
	arena.armed = 0;
	if (arena.lent) { /* a derivation that failed before its munmap */
		sodium_memzero(arena.base, arena.len);
		arena.lent = 0;
	}
}

void
kdf_arena_release(void)
{
	kdf_arena_disarm();
	if (arena.base != NULL && real_ready()) {
		(void)real_munmap(arena.base, arena.len);
		resident--;
	}
	arena.base = NULL;
	arena.len = 0;
}

uint64_t
kdf_arena_hits(void)
{
	return arena.hits;
}

int
kdf_arena_resident(void)
{
	return resident;
}

uint64_t
kdf_arena_maps(void)
{
	return maps;
}

const void *
kdf_arena_memory(size_t *len)
{
	*len = arena.len;
	return arena.base;
}
