/*
 * Internal to bundle/: the fixed byte layout of a bundle file (SECURITY.md,
 * "Bundles") and explicit little-endian load/store helpers.
 */
#ifndef CANDOUR_BUNDLE_FMT_H
#define CANDOUR_BUNDLE_FMT_H

#include <stdint.h>

#include "bundle/bundle.h"

#define BFMT_MAGIC "CDBUNDL1"
#define BFMT_TRAILER "CDBSIG01"
#define BFMT_MAGIC_LEN 8
/* magic | kind | 3 zero | signer_pk | intake_pk | created | from_seq |
 * count | prev_link | head | nitems */
#define BFMT_OFF_KIND 8
#define BFMT_OFF_SIGNER 12
#define BFMT_OFF_INTAKE 44
#define BFMT_OFF_CREATED 76
#define BFMT_OFF_FROM 86
#define BFMT_OFF_COUNT 94
#define BFMT_OFF_PREV 102
#define BFMT_OFF_HEAD 134
#define BFMT_OFF_NITEMS 166
#define BFMT_HDR_BYTES 174
#define BFMT_TRAILER_BYTES (BFMT_MAGIC_LEN + CC_SIG_BYTES)

#define BREC_MAGIC "CDR1"
#define BITEM_MAGIC "CDI1"
#define BREC_FIXED (4 + 1 + 10 + 8 + 8 + 8 + 32 + 32 + 2)
#define BREC_ENV_BYTES 40
#define BITEM_BYTES BITEM_MAX_BYTES

/* Smallest record on disk: length word, one-envelope body, link, one
 * envelope length word and at least one envelope byte. Used to bound the
 * record count by the file size before allocating an index. */
#define BFMT_MIN_RECORD (4 + BREC_FIXED + BREC_ENV_BYTES + CC_HASH_BYTES + 8 + 1)
#define BFMT_MIN_ITEM (4 + BITEM_BYTES)

#define BFMT_IO_CHUNK (64 * 1024)

static inline void
bfmt_st16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
bfmt_st32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void
bfmt_st64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint16_t
bfmt_ld16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t
bfmt_ld32(const uint8_t *p)
{
	uint32_t v = 0;
	for (int i = 3; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static inline uint64_t
bfmt_ld64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static inline int
bfmt_allzero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* Canonical length of a record body with nenv envelopes. */
static inline size_t
bfmt_brec_len(unsigned nenv)
{
	return BREC_FIXED + (size_t)nenv * BREC_ENV_BYTES;
}

/* Full pread/pwrite: -1 on error or short read (EOF). */
int bfmt_pread(int fd, void *buf, size_t len, uint64_t off);
int bfmt_pwrite(int fd, const void *buf, size_t len, uint64_t off);
/* BLAKE2b-256 of the file's bytes [0, end). */
int bfmt_hash_prefix(int fd, uint64_t end, uint8_t out[CC_HASH_BYTES]);

#endif
