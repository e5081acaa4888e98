/*
 * One attachment of an imported record, streamed: envelope bytes (bundle
 * or kept) -> opened with the reviewer's key -> its fields header (name,
 * type) parsed and sealed as the attachment's meta -> the payload sealed
 * again to the casebook key in att_chunks. Memory stays flat whatever the
 * size of the file.
 */
#include <stdlib.h>
#include <string.h>

#include "review/cb_internal.h"
#include "util/util.h"

/* ---- attachments: bundle -> reviewer key -> casebook key ------------- */

/* Where the fields header of an attachment plaintext ends: the payload
 * offset, 0 if more bytes are needed, -1 if malformed. */
static long
hdr_end(const uint8_t *b, size_t len)
{
	size_t i = 0;

	while (i < len && b[i] != '\n')
		i++;
	if (i == len)
		return 0;
	i++;
	for (;;) {
		size_t vl = 0, j;
		if (len - i < 3)
			return 0;
		if (memcmp(b + i, "--\n", 3) == 0)
			return (long)(i + 3);
		for (j = i; j < len && b[j] != ' ' && b[j] != '\n'; j++)
			if (j - i > FIELD_NAME_MAX)
				return -1;
		if (j == len)
			return 0;
		if (b[j] != ' ')
			return -1;
		for (j++; j < len && b[j] >= '0' && b[j] <= '9'; j++) {
			vl = vl * 10 + (size_t)(b[j] - '0');
			if (vl > CB_ATT_HDR_MAX)
				return -1;
		}
		if (j == len)
			return 0;
		if (b[j] != '\n')
			return -1;
		i = j + 1 + vl + 1;
		if (i > len)
			return 0;
	}
}

struct att {
	struct cc_env_reader *rd;
	struct cb_att_writer *aw;
	uint8_t *hdr;
	size_t hlen;
	long hoff; /* > 0 once the header is complete */
	uint64_t size;
	int sinkfail; /* the plaintext side refused: bad content or dberr */
	int dberr;    /* writing to the casebook failed */
};

static int
put(struct att *a, const uint8_t *buf, size_t len)
{
	if (cb_att_write(a->aw, buf, len) != 0) {
		a->dberr = 1;
		return -1;
	}
	return 0;
}

static int
att_plain(void *ctx, const uint8_t *buf, size_t len)
{
	struct att *a = ctx;

	if (a->hoff > 0) {
		a->size += len;
		return put(a, buf, len);
	}
	if (a->hlen + len > CB_ATT_HDR_MAX) {
		size_t take = CB_ATT_HDR_MAX - a->hlen;
		memcpy(a->hdr + a->hlen, buf, take);
		a->hlen += take;
		if ((a->hoff = hdr_end(a->hdr, a->hlen)) <= 0)
			return -1;
		/* header complete inside what fitted: pass the rest on */
		size_t rest = a->hlen - (size_t)a->hoff;
		a->size += rest + (len - take);
		if (put(a, a->hdr + a->hoff, rest) != 0)
			return -1;
		return put(a, buf + take, len - take);
	}
	memcpy(a->hdr + a->hlen, buf, len);
	a->hlen += len;
	if ((a->hoff = hdr_end(a->hdr, a->hlen)) < 0)
		return -1;
	if (a->hoff > 0 && (size_t)a->hoff < a->hlen) {
		a->size += a->hlen - (size_t)a->hoff;
		return put(a, a->hdr + a->hoff, a->hlen - (size_t)a->hoff);
	}
	return 0;
}

static int
att_cipher(void *ctx, const uint8_t *buf, size_t len)
{
	struct att *a = ctx;

	if (cc_env_reader_update(a->rd, buf, len) != CC_OK) {
		a->sinkfail = 1;
		return -1;
	}
	return 0;
}

/* Valid attachment header: magic, name and type printable single lines. */
static int
att_meta_ok(const uint8_t *h, size_t len)
{
	struct field f[FIELDS_MAX];
	size_t n, off;

	if (fields_decode(h, len, FIELDS_ATTACHMENT, f, FIELDS_MAX, &n, &off) != 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!util_text_valid((const char *)f[i].val, f[i].len, 0))
			return 0;
	return 1;
}

static int
next_att_number(struct casebook *cb, const char *cid, int64_t *n)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(cb_db(cb),
		"SELECT coalesce(max(n), 0) + 1 FROM attachments"
		" WHERE concern_id=?",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
	*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

int
imp_attachment(struct imp *im, const char *cid, uint32_t idx)
{
	struct casebook *cb = im->cb;
	sqlite3_stmt *st = NULL;
	struct att a = {0};
	uint8_t *meta = NULL;
	size_t mlen = 0;
	int64_t n, rowid;
	int kind = 0, rc = -1, r;
	char ad[80];

	if (next_att_number(cb, cid, &n) != 0 ||
	    sqlite3_prepare_v2(cb_db(cb),
		"INSERT INTO attachments(concern_id, seq, idx, n, size, meta)"
		" VALUES(?, ?, ?, ?, 0, x'')",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)im->seq);
	sqlite3_bind_int64(st, 3, idx);
	sqlite3_bind_int64(st, 4, n);
	r = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (r != SQLITE_DONE)
		return -1;
	rowid = sqlite3_last_insert_rowid(cb_db(cb));
	if ((a.hdr = malloc(CB_ATT_HDR_MAX)) == NULL ||
	    cc_env_reader_new(&cb_seckey(cb)->box, att_plain, &a, &a.rd) != CC_OK ||
	    cb_att_begin(cb, cid, rowid, &a.aw) != 0)
		goto out;
	r = imp_env_stream(im, idx, att_cipher, &a);
	if (r != 0) {
		cc_env_reader_abort(a.rd);
		a.rd = NULL;
		/* the intake sealed something that does not open or parse, as
		 * opposed to the bundle or the casebook failing */
		im->bad_content = a.sinkfail && !a.dberr;
		im->err = "an attachment does not open with this key or is damaged";
		im->todo = IMP_DO_EXPORT;
		goto out;
	}
	r = cc_env_reader_finish(a.rd, &kind);
	a.rd = NULL;
	if (r != CC_OK || kind != CC_KIND_ATTACHMENT || a.hoff <= 0 ||
	    !att_meta_ok(a.hdr, (size_t)a.hoff)) {
		im->bad_content = 1;
		im->err = "an attachment is damaged or not an attachment";
		im->todo = IMP_DO_EXPORT;
		goto out;
	}
	r = cb_att_finish(a.aw);
	a.aw = NULL;
	cb_row_ad("attachment", (long long)rowid, cid, "meta", ad);
	if (r != 0 || cb_seal_concern(cb, cid, ad, a.hdr, (size_t)a.hoff, &meta, &mlen) != 0 ||
	    sqlite3_prepare_v2(cb_db(cb), "UPDATE attachments SET size=?, meta=? WHERE id=?", -1,
		&st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, (int64_t)a.size);
	sqlite3_bind_blob(st, 2, meta, (int)mlen, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, rowid);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(st);
	if (a.rd != NULL)
		cc_env_reader_abort(a.rd);
	cb_att_abort(a.aw);
	if (a.hdr != NULL)
		cc_free_wipe(a.hdr, CB_ATT_HDR_MAX);
	free(meta);
	return rc;
}
