/*
 * Classifying a named reference against the register: exact, near (one
 * insertion, deletion, substitution or adjacent swap away: "possible,
 * confirm") or missing. The register is held in memory as an open
 * addressing set of normalised references keyed with SipHash under a
 * random key (the references come from reporters, so the table must not
 * be floodable). A near search generates every one-edit variant of the
 * query over the alphabet the register actually uses (digits, a few
 * letters, '/', '-'): about 40 * length lookups, each O(1).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "review/ref.h"

struct slot {
	uint64_t h; /* the key's hash: probes compare it before the string */
	char *s;    /* NULL or a reference in the arena */
};

struct ref_index {
	struct slot *slot;
	uint8_t *tag;	   /* per slot: 0 empty, else 0x80 | 7 bits of the hash;
			    * probes walk this small array, not the slots */
	size_t cap, count; /* cap is a power of two */
	char *arena;	   /* NUL-separated strings, grown in blocks */
	size_t arena_used, arena_cap;
	char **blocks; /* previous arenas, freed at the end */
	size_t nblocks;
	uint8_t key[crypto_shorthash_KEYBYTES];
	uint8_t alpha[128]; /* characters seen in the register */
	char alphabet[128];
	size_t nalpha;
	/* lengths of the references held: a near match of a reference of
	 * length L has length L - 1, L or L + 1, and the ~1,000 edits of a
	 * missing reference are looked up only at lengths the register has
	 * (all of a register's references often have one length) */
	uint8_t haslen[REF_REF_MAX + 2];
};

/* Arena blocks grow from 4 KiB to 4 MiB (block i is ARENA_FIRST << i up
 * to ARENA_BLOCK): a small index (one concern's references, a small
 * register) costs a page, not 4 MiB allocated and wiped, and a register of
 * millions still takes few blocks. */
#define ARENA_FIRST ((size_t)4 << 10)
#define ARENA_BLOCK ((size_t)4 << 20)

static size_t
arena_block_size(size_t i)
{
	return i >= 10 ? ARENA_BLOCK : ARENA_FIRST << i;
}

static uint64_t
ix_hash(const struct ref_index *x, const char *s, size_t len)
{
	uint8_t h[crypto_shorthash_BYTES];
	uint64_t v;

	crypto_shorthash(h, (const unsigned char *)s, len, x->key);
	memcpy(&v, h, sizeof(v));
	return v;
}

struct ref_index *
ref_index_new(size_t expect)
{
	struct ref_index *x;
	size_t cap = 1024;

	if (sodium_init() < 0)
		return NULL;
	if (expect > REF_REGISTER_ROWS_MAX * 2)
		return NULL;
	while (cap < expect * 2)
		cap <<= 1;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	if ((x->slot = calloc(cap, sizeof(struct slot))) == NULL ||
	    (x->tag = calloc(cap, 1)) == NULL) {
		free(x->slot);
		free(x);
		return NULL;
	}
	x->cap = cap;
	randombytes_buf(x->key, sizeof(x->key));
	return x;
}

void
ref_index_free(struct ref_index *x)
{
	if (x == NULL)
		return;
	for (size_t i = 0; i < x->nblocks; i++) {
		explicit_bzero(x->blocks[i], arena_block_size(i));
		free(x->blocks[i]);
	}
	if (x->arena != NULL) {
		explicit_bzero(x->arena, x->arena_cap);
		free(x->arena);
	}
	free(x->blocks);
	free(x->slot);
	free(x->tag);
	explicit_bzero(x, sizeof(*x));
	free(x);
}

size_t
ref_index_count(const struct ref_index *x)
{
	return x->count;
}

int
ref_index_foreach(const struct ref_index *x, int (*fn)(void *, const char *), void *ctx)
{
	for (size_t i = 0; i < x->cap; i++)
		if (x->tag[i] != 0 && fn(ctx, x->slot[i].s) != 0)
			return -1;
	return 0;
}

static uint8_t
tag_of(uint64_t h)
{
	return (uint8_t)(0x80 | (h >> 57));
}

/* The slot holding s, or the empty slot where it would go. */
static size_t
ix_find_h(const struct ref_index *x, uint64_t h, const char *s, size_t len)
{
	size_t i = (size_t)h & (x->cap - 1);
	uint8_t t = tag_of(h);

	for (;;) {
		if (x->tag[i] == 0)
			return i;
		if (x->tag[i] == t && x->slot[i].h == h && strncmp(x->slot[i].s, s, len) == 0 &&
		    x->slot[i].s[len] == '\0')
			return i;
		i = (i + 1) & (x->cap - 1);
	}
}

static size_t
ix_find(const struct ref_index *x, const char *s, size_t len)
{
	return ix_find_h(x, ix_hash(x, s, len), s, len);
}

static int
ix_grow(struct ref_index *x)
{
	size_t ncap = x->cap * 2, ocap = x->cap;
	struct slot *old = x->slot, *ns = calloc(ncap, sizeof(struct slot));
	uint8_t *otag = x->tag, *nt = calloc(ncap, 1);

	if (ns == NULL || nt == NULL) {
		free(ns);
		free(nt);
		return -1;
	}
	x->slot = ns;
	x->tag = nt;
	x->cap = ncap;
	for (size_t i = 0; i < ocap; i++) {
		if (otag[i] == 0)
			continue;
		size_t j = ix_find_h(x, old[i].h, old[i].s, strlen(old[i].s));
		x->slot[j] = old[i];
		x->tag[j] = otag[i];
	}
	free(old);
	free(otag);
	return 0;
}

static char *
arena_copy(struct ref_index *x, const char *s, size_t len)
{
	char *p;

	if (x->arena == NULL || x->arena_used + len + 1 > x->arena_cap) {
		if (x->arena != NULL) {
			char **nb = realloc(x->blocks, (x->nblocks + 1) * sizeof(char *));
			if (nb == NULL)
				return NULL;
			x->blocks = nb;
			x->blocks[x->nblocks++] = x->arena;
		}
		size_t cap = arena_block_size(x->nblocks);
		if ((x->arena = malloc(cap)) == NULL)
			return NULL;
		x->arena_cap = cap;
		x->arena_used = 0;
	}
	p = x->arena + x->arena_used;
	memcpy(p, s, len);
	p[len] = '\0';
	x->arena_used += len + 1;
	return p;
}

int
ref_index_add(struct ref_index *x, const char *ref)
{
	size_t len = strlen(ref), i;
	uint64_t h;

	if (len == 0 || len > REF_REF_MAX)
		return -1;
	if (x->count + 1 > x->cap / 2 && ix_grow(x) < 0)
		return -1;
	h = ix_hash(x, ref, len);
	i = ix_find_h(x, h, ref, len);
	if (x->tag[i] != 0)
		return 0;
	if ((x->slot[i].s = arena_copy(x, ref, len)) == NULL)
		return -1;
	x->slot[i].h = h;
	x->tag[i] = tag_of(h);
	x->count++;
	x->haslen[len] = 1;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)ref[i];
		if (ch < 128 && !x->alpha[ch]) {
			x->alpha[ch] = 1;
			x->alphabet[x->nalpha++] = (char)ch;
		}
	}
	return 1;
}

int
ref_index_has(const struct ref_index *x, const char *ref)
{
	size_t len = strlen(ref);

	return len > 0 && len <= REF_REF_MAX && x->tag[ix_find(x, ref, len)] != 0;
}

int
ref_edit1(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0;

	if (alen < blen) {
		const char *t = a;
		size_t tl = alen;
		a = b, alen = blen, b = t, blen = tl;
	}
	if (alen - blen > 1)
		return 0;
	while (i < blen && a[i] == b[i])
		i++;
	if (alen == blen) {
		if (i == alen)
			return 0; /* equal */
		if (memcmp(a + i + 1, b + i + 1, alen - i - 1) == 0)
			return 1; /* substitution */
		return i + 1 < alen && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		       memcmp(a + i + 2, b + i + 2, alen - i - 2) == 0;
	}
	/* a is one longer: skipping a[i] must give b. */
	return memcmp(a + i + 1, b + i, blen - i) == 0;
}

struct near_set {
	char (*near)[REF_REF_MAX + 1];
	size_t n;
};

static void
near_try(const struct ref_index *x, const char *v, size_t len, struct near_set *ns)
{
	size_t k;

	if (len == 0 || len > REF_REF_MAX || !x->haslen[len])
		return;
	k = ix_find(x, v, len);
	if (x->tag[k] == 0)
		return;
	for (size_t i = 0; i < ns->n; i++)
		if (strcmp(ns->near[i], x->slot[k].s) == 0)
			return;
	if (ns->n < REF_NEAR_MAX)
		memcpy(ns->near[ns->n++], x->slot[k].s, len + 1);
}

static int
cmp_ref(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

int
ref_classify(
    const struct ref_index *x, const char *ref, char near[][REF_REF_MAX + 1], size_t *nnear)
{
	size_t len = strlen(ref);
	char v[REF_REF_MAX + 2];
	struct near_set ns = {near, 0};

	*nnear = 0;
	if (len == 0 || len > REF_REF_MAX)
		return REF_MISSING;
	if (x->tag[ix_find(x, ref, len)] != 0)
		return REF_EXACT;
	for (size_t i = 0; i < len; i++) {
		/* deletion */
		memcpy(v, ref, i);
		memcpy(v + i, ref + i + 1, len - i - 1);
		near_try(x, v, len - 1, &ns);
		if (!x->haslen[len])
			continue; /* no swap or substitution can be held */
		/* adjacent swap */
		if (i + 1 < len && ref[i] != ref[i + 1]) {
			memcpy(v, ref, len);
			v[i] = ref[i + 1];
			v[i + 1] = ref[i];
			near_try(x, v, len, &ns);
		}
		/* substitution */
		memcpy(v, ref, len);
		for (size_t a = 0; a < x->nalpha; a++) {
			if (x->alphabet[a] == ref[i])
				continue;
			v[i] = x->alphabet[a];
			near_try(x, v, len, &ns);
		}
	}
	/* insertion */
	for (size_t i = 0; i <= len && len + 1 <= REF_REF_MAX && x->haslen[len + 1]; i++) {
		memcpy(v, ref, i);
		memcpy(v + i + 1, ref + i, len - i);
		for (size_t a = 0; a < x->nalpha; a++) {
			v[i] = x->alphabet[a];
			near_try(x, v, len + 1, &ns);
		}
	}
	*nnear = ns.n;
	if (ns.n == 0)
		return REF_MISSING;
	qsort(near, ns.n, sizeof(near[0]), cmp_ref);
	return REF_NEAR;
}
