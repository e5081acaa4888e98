/*
 * Attachment metadata cleaners (clean*.c): JPEG, PNG and WebP streamed
 * through a state machine that drops the segments or chunks carrying
 * hidden information (GPS, device, author, comments, thumbnails) and copies
 * every byte of the picture as it came, so pixels are never re-encoded.
 *
 * Memory is flat: struct clean is fixed-size whatever the file. The first
 * CLEAN_HOLD_MAX bytes are held (the input as sent and the cleaned output
 * side by side) before anything is emitted, so an image found malformed in
 * that stretch is emitted exactly as sent. Past it the cleaner streams; an
 * image found malformed there is passed on from the byte that failed. In
 * both cases the result is CLEAN_FAILED and the reporter is told.
 *
 * Kept on its own (not in http.h) so that fuzz targets and tests link it
 * with nothing else.
 */
#ifndef CANDOUR_INTAKE_CLEAN_H
#define CANDOUR_INTAKE_CLEAN_H

#include <stddef.h>
#include <stdint.h>

/* ---- limits ------------------------------------------------------------ */
#define CLEAN_HOLD_MAX (256 * 1024)	/* input held before the first byte out */
#define CLEAN_SLACK 64			/* output bytes a cleaner may add (one EXIF) */
#define CLEAN_HEAD_MAX 32		/* bytes of a segment read before deciding */
#define CLEAN_SNIFF 12			/* bytes that tell the format */
#define CLEAN_EXIF_ENTRIES_MAX 1024	/* IFD0 entries looked at for orientation */
#define CLEAN_PNG_CHUNK_MAX 0x7fffffffu /* PNG's own limit on a chunk length */

enum clean_kind { CLEAN_OTHER = 0, CLEAN_JPEG, CLEAN_PNG, CLEAN_WEBP };

enum clean_result {
	CLEAN_NOT_IMAGE = 0, /* not JPEG, PNG or WebP: passed on as sent */
	CLEAN_CLEANED = 1,   /* well formed; every metadata segment removed */
	CLEAN_FAILED = 2,    /* looked like an image but did not parse: as sent */
};

/* Receives the output; returns 0, or -1 to stop (sticky, clean_* fail). */
typedef int (*clean_emit_fn)(void *ctx, const uint8_t *buf, size_t len);

/* What a body's bytes are for (struct clean .mode). */
enum clean_mode { CM_COPY = 1, CM_SKIP, CM_ZERO, CM_EXIF };

struct clean {
	clean_emit_fn emit;
	void *ctx;
	int kind;   /* enum clean_kind, once sniffed */
	int state;  /* the format's own state */
	int pass;   /* passing input through untouched */
	int failed; /* the image did not parse */
	int committed;
	int err;	  /* emit failed */
	uint64_t removed; /* input bytes dropped */
	/* a header being collected: bytes consumed, not yet out or dropped
	 * (hlen is 0 in every state that is not collecting one) */
	uint8_t hdr[CLEAN_HEAD_MAX];
	size_t hlen, hwant;
	/* a body being copied, skipped or zeroed */
	uint64_t left;
	int mode;
	/* JPEG */
	uint8_t marker;
	uint8_t orient; /* EXIF orientation 1..8 once read, else 0 */
	int orient_out;
	struct clean_exif {
		uint32_t pos, ifd, n, i;
		int le, bad;
		uint8_t b[14];
	} exif;
	/* PNG */
	int first;
	/* WebP */
	uint64_t riff_size, riff_left;
	uint64_t riff_drop; /* chunk bytes removed before the RIFF size went out */
	int sniffed;
	/* the hold: input as sent and output as cleaned, until committed */
	size_t rawlen, outlen;
	uint8_t raw[CLEAN_HOLD_MAX];
	uint8_t out[CLEAN_HOLD_MAX + CLEAN_SLACK];
};

/* c is caller memory (large: heap it, and wipe it: it holds the file). */
void clean_init(struct clean *c, clean_emit_fn emit, void *ctx);
/* Feeds bytes. -1 only when emit failed; a bad image is not an error. */
int clean_write(struct clean *c, const uint8_t *buf, size_t len);
/* Ends the file and emits what is held. -1 only when emit failed. */
int clean_finish(struct clean *c);
/* After clean_finish: enum clean_result. */
int clean_result(const struct clean *c);

/* A whole buffer at once (tests, fuzz targets): *out malloc'd, caller
 * frees. The cleaner is cpool_get's and given back to cpool_put (wiped
 * whole). Returns enum clean_result, or -1 when out of memory. */
int clean_buffer(const uint8_t *in, size_t len, uint8_t **out, size_t *outlen);

/* A file's cleaner (struct clean, sodium_malloc'd): a kept one, wiped,
 * or a new one; NULL when none can be had. cpool_put wipes it whole and
 * keeps it (up to CPOOL_MAX) or frees it; NULL is ignored (clean_pool.c).
 * sodium_init must have been called. */
#define CPOOL_MAX 8
struct clean *cpool_get(void);
void cpool_put(struct clean *);

/* ---- shared by clean_jpeg.c, clean_png.c, clean_webp.c ----------------
 * A format's feed consumes bytes of n and returns how many, or stops
 * early with c->failed set (the image does not parse) or c->err set. */
size_t clean_jpeg_feed(struct clean *c, const uint8_t *p, size_t n);
int clean_jpeg_done(struct clean *c); /* 1 when the file ended where it may */
size_t clean_png_feed(struct clean *c, const uint8_t *p, size_t n);
int clean_png_done(struct clean *c);
size_t clean_webp_feed(struct clean *c, const uint8_t *p, size_t n);
int clean_webp_done(struct clean *c);
void clean_webp_commit(struct clean *c); /* fixes the RIFF size held in out */

/* Output helpers for the formats. */
void clean_out(struct clean *c, const uint8_t *buf, size_t len);
/* Collects into c->hdr until c->hwant bytes; 1 when complete. */
int clean_collect(struct clean *c, const uint8_t **p, size_t *n);
void clean_want(struct clean *c, size_t want);
/* Copies, skips or zeroes the body (c->left, c->mode); 1 when done. */
int clean_body(struct clean *c, const uint8_t **p, size_t *n);
/* CM_EXIF: one byte of an EXIF APP1 body to the orientation reader. */
void clean_exif_byte(struct clean *c, uint8_t b);

#endif
