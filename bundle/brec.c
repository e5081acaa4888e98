/*
 * Canonical encodings of the two things a bundle carries: records (brec,
 * chained by the intake) and reply items (bitem, signed by a reviewer).
 * Fixed layouts, little-endian, no optional parts, so one value has
 * exactly one encoding and decode(encode(x)) == x; the layouts are in
 * SECURITY.md ("Bundles").
 */
#include <string.h>

#include "bundle/bundle_fmt.h"
#include "util/util.h"

const char *
bundle_strerror(int status)
{
	switch (status) {
	case BUNDLE_OK:
		return "ok";
	case BUNDLE_ERR:
		return "input/output or allocation failure";
	case BUNDLE_EFORMAT:
		return "not a Candour bundle, or corrupt or truncated";
	case BUNDLE_EKIND:
		return "wrong kind of bundle";
	case BUNDLE_ESIG:
		return "signature does not verify with the expected key";
	case BUNDLE_ECHAIN:
		return "records do not form an unbroken hash chain";
	case BUNDLE_EENV:
		return "an envelope differs from its record";
	case BUNDLE_ELIMIT:
		return "over a size limit";
	case BUNDLE_ENOTFOUND:
		return "no such record or item";
	default:
		return "unknown bundle error";
	}
}

static int
date_ok(const char *d)
{
	return strnlen(d, BUNDLE_DATE_LEN + 1) == BUNDLE_DATE_LEN && util_date_valid(d);
}

/* Shape rules shared by encode and decode. */
static int
brec_valid(const struct brec *r)
{
	if (r->nenv < 1 || r->nenv > BUNDLE_MAX_ENV || !date_ok(r->date))
		return 0;
	for (unsigned i = 0; i < r->nenv; i++)
		if (r->env[i].len == 0 || r->env[i].len > CC_ENV_MAX_BYTES)
			return 0;
	if (r->kind == BREC_CONCERN)
		return r->parent_seq == 0 && r->rcpt_ops != 0 && r->rcpt_mem != 0;
	if (r->kind == BREC_FOLLOWUP)
		return r->parent_seq != 0 && r->rcpt_ops == 0 && r->rcpt_mem == 0 &&
		       bfmt_allzero(r->reporter_pk, CC_BOX_PK) &&
		       bfmt_allzero(r->lookup, CC_HASH_BYTES);
	return 0;
}

size_t
brec_encode(const struct brec *r, uint8_t *buf, size_t cap)
{
	if (!brec_valid(r))
		return 0;
	size_t n = bfmt_brec_len(r->nenv);
	if (cap < n)
		return 0;
	uint8_t *p = buf;
	memcpy(p, BREC_MAGIC, 4), p += 4;
	*p++ = r->kind;
	memcpy(p, r->date, BUNDLE_DATE_LEN), p += BUNDLE_DATE_LEN;
	bfmt_st64(p, r->parent_seq), p += 8;
	bfmt_st64(p, r->rcpt_ops), p += 8;
	bfmt_st64(p, r->rcpt_mem), p += 8;
	memcpy(p, r->reporter_pk, CC_BOX_PK), p += CC_BOX_PK;
	memcpy(p, r->lookup, CC_HASH_BYTES), p += CC_HASH_BYTES;
	bfmt_st16(p, r->nenv), p += 2;
	for (unsigned i = 0; i < r->nenv; i++) {
		bfmt_st64(p, r->env[i].len), p += 8;
		memcpy(p, r->env[i].hash, CC_HASH_BYTES), p += CC_HASH_BYTES;
	}
	return n;
}

int
brec_decode(const uint8_t *buf, size_t len, struct brec *out)
{
	struct brec r;

	memset(&r, 0, sizeof(r));
	if (len < BREC_FIXED || memcmp(buf, BREC_MAGIC, 4) != 0)
		return BUNDLE_EFORMAT;
	const uint8_t *p = buf + 4;
	r.kind = *p++;
	memcpy(r.date, p, BUNDLE_DATE_LEN), p += BUNDLE_DATE_LEN;
	r.parent_seq = bfmt_ld64(p), p += 8;
	r.rcpt_ops = bfmt_ld64(p), p += 8;
	r.rcpt_mem = bfmt_ld64(p), p += 8;
	memcpy(r.reporter_pk, p, CC_BOX_PK), p += CC_BOX_PK;
	memcpy(r.lookup, p, CC_HASH_BYTES), p += CC_HASH_BYTES;
	r.nenv = bfmt_ld16(p), p += 2;
	if (r.nenv < 1 || r.nenv > BUNDLE_MAX_ENV || len != bfmt_brec_len(r.nenv))
		return BUNDLE_EFORMAT;
	for (unsigned i = 0; i < r.nenv; i++) {
		r.env[i].len = bfmt_ld64(p), p += 8;
		memcpy(r.env[i].hash, p, CC_HASH_BYTES), p += CC_HASH_BYTES;
	}
	if (!brec_valid(&r))
		return BUNDLE_EFORMAT;
	r.seq = 0; /* not encoded: the caller sets it from the chain position */
	*out = r;
	return BUNDLE_OK;
}

int
brec_hash(const struct brec *r, uint8_t out[CC_HASH_BYTES])
{
	uint8_t buf[BREC_MAX_BYTES];
	size_t n = brec_encode(r, buf, sizeof(buf));

	if (n == 0)
		return BUNDLE_EFORMAT;
	cc_hash(buf, n, out);
	return BUNDLE_OK;
}

static int
bitem_valid(const struct bitem *it)
{
	if (it->target_seq == 0 || !date_ok(it->date) || it->has_env > 1)
		return 0;
	if (it->has_env && (it->env.len == 0 || it->env.len > BUNDLE_SMALL_ENV_MAX))
		return 0;
	if (!it->has_env && (it->env.len != 0 || !bfmt_allzero(it->env.hash, CC_HASH_BYTES)))
		return 0;
	if (it->type == BITEM_REPLY)
		return it->state == 0 && it->outcome == BOUT_NONE && it->has_env;
	if (it->type == BITEM_STATUS) {
		if (it->state < BSTATE_RECEIVED || it->state > BSTATE_CLOSED ||
		    it->outcome > BOUT_NFA)
			return 0;
		/* An outcome exists only for a closed concern, and a shared
		 * summary only with an outcome. */
		if (it->state == BSTATE_CLOSED)
			return it->outcome != BOUT_NONE;
		return it->outcome == BOUT_NONE && !it->has_env;
	}
	return 0;
}

size_t
bitem_encode(const struct bitem *it, uint8_t *buf, size_t cap)
{
	if (!bitem_valid(it) || cap < BITEM_BYTES)
		return 0;
	uint8_t *p = buf;
	memcpy(p, BITEM_MAGIC, 4), p += 4;
	memcpy(p, it->id, BUNDLE_ITEM_ID_BYTES), p += BUNDLE_ITEM_ID_BYTES;
	bfmt_st64(p, it->target_seq), p += 8;
	*p++ = it->type;
	*p++ = it->state;
	*p++ = it->outcome;
	memcpy(p, it->date, BUNDLE_DATE_LEN), p += BUNDLE_DATE_LEN;
	*p++ = it->has_env;
	bfmt_st64(p, it->env.len), p += 8;
	memcpy(p, it->env.hash, CC_HASH_BYTES);
	return BITEM_BYTES;
}

int
bitem_decode(const uint8_t *buf, size_t len, struct bitem *out)
{
	struct bitem it;

	memset(&it, 0, sizeof(it));
	if (len != BITEM_BYTES || memcmp(buf, BITEM_MAGIC, 4) != 0)
		return BUNDLE_EFORMAT;
	const uint8_t *p = buf + 4;
	memcpy(it.id, p, BUNDLE_ITEM_ID_BYTES), p += BUNDLE_ITEM_ID_BYTES;
	it.target_seq = bfmt_ld64(p), p += 8;
	it.type = *p++;
	it.state = *p++;
	it.outcome = *p++;
	memcpy(it.date, p, BUNDLE_DATE_LEN), p += BUNDLE_DATE_LEN;
	it.has_env = *p++;
	it.env.len = bfmt_ld64(p), p += 8;
	memcpy(it.env.hash, p, CC_HASH_BYTES);
	if (!bitem_valid(&it))
		return BUNDLE_EFORMAT;
	*out = it;
	return BUNDLE_OK;
}
