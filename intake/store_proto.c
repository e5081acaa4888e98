/*
 * Store protocol body layouts shared by the store and its client
 * (SECURITY.md, "Store protocol"). Little-endian, fixed offsets; a decoder
 * accepts exactly one length per layout and nothing else.
 */
#include <string.h>

#include "intake/store_int.h"
#include "util/util.h"

void
sp_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void
sp_put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t
sp_get32(const uint8_t *p)
{
	uint32_t v = 0;
	for (int i = 3; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

uint64_t
sp_get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static int
zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* u8 kind | parent_lookup[32] | reporter_pk[32] | lookup[32] | u64 ops |
 * u64 mem | u32 n | n x u64 handle */
size_t
sp_commit_encode(const struct store_commit *c, uint8_t *buf, size_t cap)
{
	size_t len = SP_COMMIT_FIXED + 8 * (size_t)c->nhandles;
	int followup = c->parent_lookup != NULL;
	uint8_t *p = buf;

	if (c->nhandles < 1 || c->nhandles > BUNDLE_MAX_ENV || cap < len)
		return 0;
	memset(buf, 0, SP_COMMIT_FIXED);
	*p++ = followup ? BREC_FOLLOWUP : BREC_CONCERN;
	if (followup)
		memcpy(p, c->parent_lookup, CC_HASH_BYTES);
	p += CC_HASH_BYTES;
	if (!followup) {
		memcpy(p, c->reporter_pk, CC_BOX_PK);
		memcpy(p + CC_BOX_PK, c->lookup, CC_HASH_BYTES);
		sp_put64(p + 64, c->rcpt_ops);
		sp_put64(p + 72, c->rcpt_mem);
	}
	p += 80;
	sp_put32(p, c->nhandles), p += 4;
	for (uint32_t i = 0; i < c->nhandles; i++, p += 8)
		sp_put64(p, c->handles[i]);
	return len;
}

int
sp_commit_decode(const uint8_t *buf, size_t len, struct sp_commit *c)
{
	const uint8_t *p = buf;

	memset(c, 0, sizeof(*c));
	if (len < SP_COMMIT_FIXED)
		return -1;
	c->kind = *p++;
	memcpy(c->parent_lookup, p, CC_HASH_BYTES), p += CC_HASH_BYTES;
	memcpy(c->reporter_pk, p, CC_BOX_PK), p += CC_BOX_PK;
	memcpy(c->lookup, p, CC_HASH_BYTES), p += CC_HASH_BYTES;
	c->rcpt_ops = sp_get64(p), p += 8;
	c->rcpt_mem = sp_get64(p), p += 8;
	c->nhandles = sp_get32(p), p += 4;
	if (c->nhandles < 1 || c->nhandles > BUNDLE_MAX_ENV ||
	    len != SP_COMMIT_FIXED + 8 * (size_t)c->nhandles)
		return -1;
	for (uint32_t i = 0; i < c->nhandles; i++, p += 8) {
		c->handles[i] = sp_get64(p);
		if (c->handles[i] == 0)
			return -1;
		for (uint32_t j = 0; j < i; j++)
			if (c->handles[j] == c->handles[i])
				return -1;
	}
	if (c->kind == BREC_CONCERN)
		return zero(c->parent_lookup, CC_HASH_BYTES) && !zero(c->lookup, CC_HASH_BYTES) &&
			       !zero(c->reporter_pk, CC_BOX_PK) && c->rcpt_ops != 0 &&
			       c->rcpt_mem != 0
			   ? 0
			   : -1;
	if (c->kind == BREC_FOLLOWUP)
		return !zero(c->parent_lookup, CC_HASH_BYTES) && zero(c->lookup, CC_HASH_BYTES) &&
			       zero(c->reporter_pk, CC_BOX_PK) && c->rcpt_ops == 0 &&
			       c->rcpt_mem == 0
			   ? 0
			   : -1;
	return -1;
}

/* u64 seq | date[10] | u8 state | u8 outcome | u32 nreplies | u32 nmessages
 * | u8 nrecipients | CC_MAX_RECIPIENTS x keyid[8] (unused ones zero) */
#define SP_VIEW_RCPT 28

void
sp_view_encode(const struct store_view *v, uint8_t out[SP_VIEW_BYTES])
{
	size_t n = v->nrecipients <= CC_MAX_RECIPIENTS ? v->nrecipients : 0;

	memset(out, 0, SP_VIEW_BYTES);
	sp_put64(out, v->seq);
	memcpy(out + 8, v->date, 10);
	out[18] = v->state;
	out[19] = v->outcome;
	sp_put32(out + 20, v->nreplies);
	sp_put32(out + 24, v->nmessages);
	out[SP_VIEW_RCPT] = (uint8_t)n;
	memcpy(out + SP_VIEW_RCPT + 1, v->recipients, n * CC_KEYID_BYTES);
}

int
sp_view_decode(const uint8_t *buf, size_t len, struct store_view *v)
{
	const uint8_t *ids = buf + SP_VIEW_RCPT + 1;
	size_t n;

	memset(v, 0, sizeof(*v));
	if (len != SP_VIEW_BYTES)
		return -1;
	v->seq = sp_get64(buf);
	memcpy(v->date, buf + 8, 10);
	v->date[10] = '\0';
	v->state = buf[18];
	v->outcome = buf[19];
	v->nreplies = sp_get32(buf + 20);
	v->nmessages = sp_get32(buf + 24);
	n = buf[SP_VIEW_RCPT];
	if (v->seq == 0 || !util_date_valid(v->date) || v->state < BSTATE_RECEIVED ||
	    v->state > BSTATE_CLOSED || v->outcome > BOUT_NFA || n > CC_MAX_RECIPIENTS ||
	    !zero(ids + n * CC_KEYID_BYTES, (CC_MAX_RECIPIENTS - n) * CC_KEYID_BYTES))
		goto fail;
	v->nrecipients = (uint8_t)n;
	memcpy(v->recipients, ids, n * CC_KEYID_BYTES);
	return 0;
fail:
	memset(v, 0, sizeof(*v));
	return -1;
}
