/* Tests for bundle/: round trips, tampering, truncation, keys, chain,
 * envelope lengths and limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bundle/bundle.h"
#include "util/util.h"
#include "tests/test_seed.h"

static char dir[] = "/tmp/candour-test-bundle.XXXXXX";
static uint8_t pk[CC_SIGN_PK], pk2[CC_SIGN_PK], *sk, *sk2;

#define HDR 174
#define TRAILER 72
#define OFF_KIND 8
#define OFF_CREATED 76
#define OFF_COUNT 94
#define OFF_HEAD 134
#define OFF_NITEMS 166

static void
path_of(char *buf, size_t len, const char *name)
{
	assert_true(snprintf(buf, len, "%s/%s", dir, name) < (int)len);
}

static void
mkrec(struct brec *r, uint64_t seq, unsigned nenv, uint8_t **envs, const size_t *lens)
{
	memset(r, 0, sizeof(*r));
	r->seq = seq;
	r->kind = seq == 2 ? BREC_FOLLOWUP : BREC_CONCERN;
	memcpy(r->date, "2026-11-23", 11);
	if (r->kind == BREC_FOLLOWUP) {
		r->parent_seq = 1;
	} else {
		r->rcpt_ops = 2;
		r->rcpt_mem = 65536;
		randombytes_buf(r->reporter_pk, sizeof(r->reporter_pk));
		randombytes_buf(r->lookup, sizeof(r->lookup));
	}
	r->nenv = (uint16_t)nenv;
	for (unsigned i = 0; i < nenv; i++) {
		r->env[i].len = lens[i];
		cc_hash(envs[i], lens[i], r->env[i].hash);
	}
}

/* Writes an export of n records (seq from..from+n-1) chained from prev;
 * envelope i of record k is lens[i] bytes of value k*16+i. Returns head. */
static void
write_export(const char *path, uint64_t from, const uint8_t prev[CC_HASH_BYTES], unsigned n,
    unsigned nenv, const size_t *lens, uint8_t head[CC_HASH_BYTES])
{
	struct bundle_w *w;
	uint8_t running[CC_HASH_BYTES], h[CC_HASH_BYTES], link[CC_HASH_BYTES];
	uint8_t *envs[BUNDLE_MAX_ENV];

	memcpy(running, prev, CC_HASH_BYTES);
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, from, prev, NULL, &w), 0);
	for (unsigned k = 0; k < n; k++) {
		struct brec r;
		for (unsigned i = 0; i < nenv; i++) {
			envs[i] = malloc(lens[i]);
			memset(envs[i], (int)(k * 16 + i), lens[i]);
		}
		mkrec(&r, from + k, nenv, envs, lens);
		assert_int_equal(brec_hash(&r, h), 0);
		cc_chain_next(running, from + k, h, link);
		assert_int_equal(bundle_w_record(w, &r, link), 0);
		for (unsigned i = 0; i < nenv; i++) {
			assert_int_equal(bundle_w_env_begin(w, from + k, i, lens[i]), 0);
			/* in two pieces, to exercise streaming */
			assert_int_equal(bundle_w_env_write(w, envs[i], lens[i] / 2), 0);
			assert_int_equal(
			    bundle_w_env_write(w, envs[i] + lens[i] / 2, lens[i] - lens[i] / 2), 0);
			assert_int_equal(bundle_w_env_end(w), 0);
			free(envs[i]);
		}
		memcpy(running, link, CC_HASH_BYTES);
	}
	assert_int_equal(bundle_w_commit(w, sk, pk), 0);
	if (head != NULL)
		memcpy(head, running, CC_HASH_BYTES);
}

static void
small_export(const char *path)
{
	static const size_t lens[2] = {5, 3};
	uint8_t g[CC_HASH_BYTES];

	cc_chain_genesis(g);
	write_export(path, 1, g, 2, 2, lens, NULL);
}

static void
mkitem(struct bitem *it, int type, uint8_t tag, const uint8_t *env, size_t envlen)
{
	memset(it, 0, sizeof(*it));
	memset(it->id, tag, sizeof(it->id));
	it->target_seq = 1;
	it->type = (uint8_t)type;
	memcpy(it->date, "2026-11-24", 11);
	if (type == BITEM_STATUS) {
		it->state = env != NULL ? BSTATE_CLOSED : BSTATE_ACKNOWLEDGED;
		it->outcome = env != NULL ? BOUT_PARTLY : BOUT_NONE;
	}
	if (env != NULL) {
		it->has_env = 1;
		it->env.len = envlen;
		cc_hash(env, envlen, it->env.hash);
	}
}

static const uint8_t reply_env[] = "sealed reply bytes";
static const uint8_t summary_env[] = "sealed outcome summary";

static void
small_replies(const char *path, const uint8_t *signsk, const uint8_t *signpk)
{
	struct bundle_w *w;
	struct bitem it;

	assert_int_equal(bundle_w_create(path, BUNDLE_REPLIES, 0, NULL, pk2, &w), 0);
	mkitem(&it, BITEM_STATUS, 3, NULL, 0);
	assert_int_equal(bundle_w_item(w, &it, NULL, 0), 0);
	mkitem(&it, BITEM_REPLY, 1, reply_env, sizeof(reply_env));
	assert_int_equal(bundle_w_item(w, &it, reply_env, sizeof(reply_env)), 0);
	mkitem(&it, BITEM_STATUS, 2, summary_env, sizeof(summary_env));
	assert_int_equal(bundle_w_item(w, &it, summary_env, sizeof(summary_env)), 0);
	assert_int_equal(bundle_w_commit(w, signsk, signpk), 0);
}

/* Opens and verifies; returns the first failure or 0. */
static int
check(const char *path, const uint8_t *key)
{
	struct bundle_r *r;
	int rc = bundle_r_open(path, &r);

	if (rc != 0)
		return rc;
	rc = bundle_r_verify(r, key);
	bundle_r_close(r);
	return rc;
}

static void
slurp(const char *path, uint8_t **buf, size_t *len)
{
	assert_int_equal(util_read_file(path, UTIL_FILE_MAX, buf, len), 0);
}

/* A fresh inode each time: rewriting through truncation makes ext4 start
 * writeback on every close (auto_da_alloc), which slows the loops ten-fold. */
static void
spit(const char *path, const uint8_t *buf, size_t len)
{
	(void)unlink(path);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Re-signs a changed file the way a forger holding the key would, so the
 * checks behind the signature are what is tested. */
static void
resign(uint8_t *buf, size_t len, const uint8_t *key, int ctx)
{
	uint8_t h[CC_HASH_BYTES];

	cc_hash(buf, len - TRAILER, h);
	assert_int_equal(cc_sign_hash(key, ctx, h, buf + len - 64), 0);
}

static void
test_export_round_trip(void **state)
{
	static const size_t lens[3] = {100000, 1, 70000};
	char path[256];
	uint8_t g[CC_HASH_BYTES], head[CC_HASH_BYTES], link[CC_HASH_BYTES], *env;
	struct bundle_r *r;
	struct brec rec;
	size_t len;
	(void)state;

	path_of(path, sizeof(path), "rt.bundle");
	cc_chain_genesis(g);
	write_export(path, 1, g, 4, 3, lens, head);
	assert_int_equal(bundle_r_open(path, &r), 0);
	const struct bundle_info *in = bundle_r_info(r);
	assert_int_equal(in->kind, BUNDLE_EXPORT);
	assert_int_equal(in->from_seq, 1);
	assert_int_equal(in->to_seq, 4);
	assert_memory_equal(in->head, head, CC_HASH_BYTES);
	assert_memory_equal(in->signer_pk, pk, CC_SIGN_PK);
	/* nothing may be read before verification */
	assert_int_equal(bundle_r_record(r, 1, &rec, link), BUNDLE_ERR);
	assert_int_equal(bundle_r_verify(r, pk), 0);
	for (uint64_t s = 1; s <= 4; s++) {
		assert_int_equal(bundle_r_record(r, s, &rec, link), 0);
		assert_int_equal(rec.seq, s);
		assert_int_equal(rec.nenv, 3);
		for (uint32_t i = 0; i < 3; i++) {
			assert_int_equal(bundle_r_env_read(r, s, i, &env, &len), 0);
			assert_int_equal(len, lens[i]);
			for (size_t k = 0; k < len; k++)
				if (env[k] != (uint8_t)((s - 1) * 16 + i))
					fail_msg("envelope byte differs");
			free(env);
		}
	}
	assert_int_equal(bundle_r_record(r, 5, &rec, link), BUNDLE_ENOTFOUND);
	assert_int_equal(bundle_r_record(r, 0, &rec, link), BUNDLE_ENOTFOUND);
	assert_int_equal(bundle_r_env_read(r, 1, 3, &env, &len), BUNDLE_ENOTFOUND);
	bundle_r_close(r);

	/* a continuation bundle chains from the first one's head */
	path_of(path, sizeof(path), "rt2.bundle");
	write_export(path, 5, head, 2, 1, lens, NULL);
	assert_int_equal(bundle_r_open(path, &r), 0);
	assert_memory_equal(bundle_r_info(r)->prev_link, head, CC_HASH_BYTES);
	assert_int_equal(bundle_r_verify(r, pk), 0);
	bundle_r_close(r);

	/* an empty export is valid and carries the head it starts from */
	path_of(path, sizeof(path), "empty.bundle");
	write_export(path, 7, head, 0, 0, lens, NULL);
	assert_int_equal(bundle_r_open(path, &r), 0);
	assert_int_equal(bundle_r_verify(r, pk), 0);
	assert_true(bundle_r_info(r)->to_seq < bundle_r_info(r)->from_seq);
	assert_memory_equal(bundle_r_info(r)->head, head, CC_HASH_BYTES);
	bundle_r_close(r);
}

static void
test_replies_round_trip(void **state)
{
	char path[256];
	struct bundle_r *r;
	struct bitem it;
	uint8_t *env;
	size_t len;
	(void)state;

	path_of(path, sizeof(path), "rep.bundle");
	small_replies(path, sk, pk);
	assert_int_equal(bundle_r_open(path, &r), 0);
	assert_int_equal(bundle_r_info(r)->kind, BUNDLE_REPLIES);
	assert_int_equal(bundle_r_info(r)->nitems, 3);
	assert_memory_equal(bundle_r_info(r)->intake_pk, pk2, CC_SIGN_PK);
	assert_int_equal(bundle_r_item(r, 0, &it, &env, &len), BUNDLE_ERR);
	assert_int_equal(bundle_r_verify(r, pk), 0);
	/* file order */
	assert_int_equal(bundle_r_item(r, 0, &it, &env, &len), 0);
	assert_int_equal(it.type, BITEM_STATUS);
	assert_int_equal(it.state, BSTATE_ACKNOWLEDGED);
	assert_null(env);
	assert_int_equal(bundle_r_item(r, 1, &it, &env, &len), 0);
	assert_int_equal(it.type, BITEM_REPLY);
	assert_int_equal(len, sizeof(reply_env));
	assert_memory_equal(env, reply_env, len);
	free(env);
	assert_int_equal(bundle_r_item(r, 2, &it, &env, &len), 0);
	assert_int_equal(it.outcome, BOUT_PARTLY);
	assert_memory_equal(env, summary_env, len);
	free(env);
	assert_int_equal(bundle_r_item(r, 3, &it, &env, &len), BUNDLE_ENOTFOUND);
	/* records API refuses a replies bundle */
	struct brec rec;
	assert_int_equal(bundle_r_record(r, 1, &rec, NULL), BUNDLE_ERR);
	bundle_r_close(r);
}

static void
flip_every_byte(const char *path, const uint8_t *key)
{
	uint8_t *buf;
	size_t len;
	char tmp[300];

	slurp(path, &buf, &len);
	assert_int_equal(check(path, key), 0);
	assert_true(snprintf(tmp, sizeof(tmp), "%s.flip", path) < (int)sizeof(tmp));
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit += 7) {
			buf[i] ^= (uint8_t)(1u << bit);
			spit(tmp, buf, len);
			if (check(tmp, key) == 0)
				fail_msg("flip of bit %d at byte %zu not detected", bit, i);
			buf[i] ^= (uint8_t)(1u << bit);
		}
	}
	/* appending a byte is detected too */
	uint8_t *more = malloc(len + 1);
	memcpy(more, buf, len);
	more[len] = 0;
	spit(tmp, more, len + 1);
	assert_int_not_equal(check(tmp, key), 0);
	free(more);
	unlink(tmp);
	free(buf);
}

static void
test_flip_every_byte(void **state)
{
	char path[256];
	(void)state;

	path_of(path, sizeof(path), "flip-exp.bundle");
	small_export(path);
	flip_every_byte(path, pk);
	path_of(path, sizeof(path), "flip-rep.bundle");
	small_replies(path, sk, pk);
	flip_every_byte(path, pk);
}

/* Random multi-byte damage (overwrites, insertions, deletions): the reader
 * never crashes and never accepts. Runs under ASan in make check. */
static void
test_random_damage(void **state)
{
	char path[256], tmp[300];
	uint8_t *buf, *bad;
	size_t len;
	(void)state;

	path_of(path, sizeof(path), "rand.bundle");
	small_export(path);
	slurp(path, &buf, &len);
	path_of(tmp, sizeof(tmp), "rand.bad");
	bad = malloc(len + 64);
	for (int round = 0; round < 600; round++) {
		size_t n = len, at = randombytes_uniform((uint32_t)len);
		size_t k = 1 + randombytes_uniform(16);
		memcpy(bad, buf, len);
		switch (round % 3) {
		case 0: /* overwrite k bytes */
			for (size_t i = at; i < at + k && i < len; i++)
				bad[i] = (uint8_t)randombytes_uniform(256);
			if (memcmp(bad, buf, len) == 0)
				continue;
			break;
		case 1: /* insert k random bytes */
			memmove(bad + at + k, bad + at, len - at);
			randombytes_buf(bad + at, k);
			n = len + k;
			break;
		default: /* delete k bytes */
			if (at + k > len)
				k = len - at;
			memmove(bad + at, bad + at + k, len - at - k);
			n = len - k;
		}
		spit(tmp, bad, n);
		if (check(tmp, pk) == 0)
			fail_msg("damage round %d at %zu not detected", round, at);
	}
	free(bad);
	free(buf);
}

static void
test_truncation(void **state)
{
	char path[256], tmp[300];
	uint8_t *buf;
	size_t len;
	(void)state;

	path_of(path, sizeof(path), "trunc.bundle");
	small_export(path);
	slurp(path, &buf, &len);
	path_of(tmp, sizeof(tmp), "trunc.cut");
	for (size_t n = 0; n < len; n++) {
		spit(tmp, buf, n);
		if (check(tmp, pk) == 0)
			fail_msg("truncation to %zu bytes not detected", n);
	}
	free(buf);
	path_of(path, sizeof(path), "trunc-rep.bundle");
	small_replies(path, sk, pk);
	slurp(path, &buf, &len);
	for (size_t n = 0; n < len; n++) {
		spit(tmp, buf, n);
		if (check(tmp, pk) == 0)
			fail_msg("truncation to %zu bytes not detected", n);
	}
	free(buf);
}

static void
test_wrong_key(void **state)
{
	char path[256];
	uint8_t *buf;
	size_t len;
	(void)state;

	path_of(path, sizeof(path), "key.bundle");
	small_export(path);
	assert_int_equal(check(path, pk2), BUNDLE_ESIG);
	/* another key that claims to be the signer in the header */
	slurp(path, &buf, &len);
	memcpy(buf + 12, pk2, CC_SIGN_PK);
	spit(path, buf, len);
	assert_int_equal(check(path, pk2), BUNDLE_ESIG);
	assert_int_equal(check(path, pk), BUNDLE_ESIG);
	/* re-signed by the other key: verifies only with that key */
	resign(buf, len, sk2, CC_SIG_EXPORT);
	spit(path, buf, len);
	assert_int_equal(check(path, pk2), 0);
	assert_int_equal(check(path, pk), BUNDLE_ESIG);
	free(buf);
}

static void
test_kind_confusion(void **state)
{
	char path[256];
	uint8_t *buf;
	size_t len;
	(void)state;

	path_of(path, sizeof(path), "kind.bundle");
	small_export(path);
	slurp(path, &buf, &len);
	/* relabelled as replies: the header rules refuse it */
	buf[OFF_KIND] = BUNDLE_REPLIES;
	spit(path, buf, len);
	assert_int_not_equal(check(path, pk), 0);
	/* an export signature never verifies with the replies context */
	buf[OFF_KIND] = BUNDLE_EXPORT;
	resign(buf, len, sk, CC_SIG_REPLIES);
	spit(path, buf, len);
	assert_int_equal(check(path, pk), BUNDLE_ESIG);
	/* unknown kind */
	buf[OFF_KIND] = 3;
	resign(buf, len, sk, CC_SIG_EXPORT);
	spit(path, buf, len);
	assert_int_equal(check(path, pk), BUNDLE_EFORMAT);
	free(buf);
	/* the reverse: replies signed under the export context */
	path_of(path, sizeof(path), "kind2.bundle");
	small_replies(path, sk, pk);
	slurp(path, &buf, &len);
	resign(buf, len, sk, CC_SIG_EXPORT);
	spit(path, buf, len);
	assert_int_equal(check(path, pk), BUNDLE_ESIG);
	free(buf);
}

static void
test_chain_break(void **state)
{
	char path[256];
	uint8_t *buf, g[CC_HASH_BYTES], bad[CC_HASH_BYTES];
	size_t len;
	struct bundle_w *w;
	struct brec r;
	uint8_t e[4] = {1, 2, 3, 4}, *envs[1] = {e};
	size_t lens[1] = {4};
	(void)state;

	/* a link inside the bundle changed and re-signed */
	path_of(path, sizeof(path), "chain.bundle");
	small_export(path);
	slurp(path, &buf, &len);
	/* record 1's link: HDR | u32 len | body | link */
	uint32_t blen = buf[HDR] | buf[HDR + 1] << 8;
	buf[HDR + 4 + blen + 7] ^= 1;
	resign(buf, len, sk, CC_SIG_EXPORT);
	spit(path, buf, len);
	assert_int_equal(check(path, pk), BUNDLE_ECHAIN);
	free(buf);

	/* the head in the header does not match the last link */
	path_of(path, sizeof(path), "chain2.bundle");
	small_export(path);
	slurp(path, &buf, &len);
	buf[134] ^= 1;
	resign(buf, len, sk, CC_SIG_EXPORT);
	spit(path, buf, len);
	assert_int_equal(check(path, pk), BUNDLE_ECHAIN);
	/* from_seq shifted: every link is then wrong */
	buf[134] ^= 1;
	buf[86] = 2;
	resign(buf, len, sk, CC_SIG_EXPORT);
	spit(path, buf, len);
	assert_int_equal(check(path, pk), BUNDLE_ECHAIN);
	free(buf);

	/* the writer refuses a wrong link and an out-of-order seq */
	cc_chain_genesis(g);
	path_of(path, sizeof(path), "chain3.bundle");
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, 1, g, NULL, &w), 0);
	mkrec(&r, 1, 1, envs, lens);
	memset(bad, 7, sizeof(bad));
	assert_int_equal(bundle_w_record(w, &r, bad), BUNDLE_ECHAIN);
	assert_int_equal(bundle_w_commit(w, sk, pk), BUNDLE_ERR);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, 1, g, NULL, &w), 0);
	mkrec(&r, 2, 1, envs, lens);
	assert_int_equal(bundle_w_record(w, &r, bad), BUNDLE_EFORMAT);
	bundle_w_abort(w);
	assert_int_equal(access(path, F_OK), -1);
}

static void
test_env_mismatch(void **state)
{
	char path[256];
	uint8_t *buf, g[CC_HASH_BYTES], h[CC_HASH_BYTES], link[CC_HASH_BYTES], *env;
	size_t len, elen;
	struct bundle_w *w;
	struct bundle_r *rd;
	struct cc_membuf m;
	struct brec r;
	uint8_t e[4] = {1, 2, 3, 4}, *envs[1] = {e};
	size_t lens[1] = {4};
	(void)state;

	/* envelope byte changed and re-signed: the signature, the structure
	 * and the chain verify (bundle_r_verify leaves an EXPORT's envelope
	 * hashes to the reads), and every read of that envelope, before or
	 * after its record was read, streamed or whole, refuses it; record
	 * 1's other envelope and record 2's read */
	path_of(path, sizeof(path), "env.bundle");
	small_export(path);
	slurp(path, &buf, &len);
	uint32_t blen = buf[HDR] | buf[HDR + 1] << 8;
	size_t env0 = HDR + 4 + blen + 32; /* first envelope's length word */
	buf[env0 + 8] ^= 1;
	resign(buf, len, sk, CC_SIG_EXPORT);
	spit(path, buf, len);
	assert_int_equal(bundle_r_open(path, &rd), 0);
	assert_int_equal(bundle_r_verify(rd, pk), 0);
	assert_int_equal(bundle_r_env_read(rd, 1, 0, &env, &elen), BUNDLE_EENV);
	assert_null(env);
	assert_int_equal(bundle_r_record(rd, 1, &r, g), 0);
	assert_int_equal(bundle_r_env_read(rd, 1, 0, &env, &elen), BUNDLE_EENV);
	m.p = malloc(m.cap = 5), m.len = 0;
	assert_int_equal(bundle_r_env_stream(rd, 1, 0, cc_mem_sink, &m), BUNDLE_EENV);
	assert_int_equal(m.len, 5); /* what it streamed was disowned at the end */
	free(m.p);
	assert_int_equal(bundle_r_env_read(rd, 1, 1, &env, &elen), 0);
	assert_int_equal(elen, 3);
	free(env);
	assert_int_equal(bundle_r_env_read(rd, 2, 0, &env, &elen), 0);
	free(env);
	bundle_r_close(rd);
	buf[env0 + 8] ^= 1;
	/* envelope length word differs from the record */
	buf[env0] ^= 1;
	resign(buf, len, sk, CC_SIG_EXPORT);
	spit(path, buf, len);
	assert_int_not_equal(check(path, pk), 0);
	free(buf);

	/* writer: wrong declared length, short and long envelopes, wrong bytes */
	cc_chain_genesis(g);
	mkrec(&r, 1, 1, envs, lens);
	assert_int_equal(brec_hash(&r, h), 0);
	cc_chain_next(g, 1, h, link);
	path_of(path, sizeof(path), "env2.bundle");
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, 1, g, NULL, &w), 0);
	assert_int_equal(bundle_w_record(w, &r, link), 0);
	assert_int_equal(bundle_w_env_begin(w, 1, 0, 5), BUNDLE_ERR);
	bundle_w_abort(w);
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, 1, g, NULL, &w), 0);
	assert_int_equal(bundle_w_record(w, &r, link), 0);
	assert_int_equal(bundle_w_env_begin(w, 1, 0, 4), 0);
	assert_int_equal(bundle_w_env_write(w, e, 3), 0);
	assert_int_equal(bundle_w_env_end(w), BUNDLE_EENV);
	bundle_w_abort(w);
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, 1, g, NULL, &w), 0);
	assert_int_equal(bundle_w_record(w, &r, link), 0);
	assert_int_equal(bundle_w_env_begin(w, 1, 0, 4), 0);
	assert_int_equal(bundle_w_env_write(w, (const uint8_t *)"12345", 5), BUNDLE_EENV);
	bundle_w_abort(w);
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, 1, g, NULL, &w), 0);
	assert_int_equal(bundle_w_record(w, &r, link), 0);
	assert_int_equal(bundle_w_env_begin(w, 1, 0, 4), 0);
	assert_int_equal(bundle_w_env_write(w, (const uint8_t *)"abcd", 4), 0);
	assert_int_equal(bundle_w_env_end(w), BUNDLE_EENV);
	bundle_w_abort(w);
	/* committing before the envelopes are written */
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, 1, g, NULL, &w), 0);
	assert_int_equal(bundle_w_record(w, &r, link), 0);
	assert_int_equal(bundle_w_commit(w, sk, pk), BUNDLE_ERR);
	assert_int_equal(access(path, F_OK), -1);

	/* item whose envelope does not match its hash */
	struct bitem it;
	mkitem(&it, BITEM_REPLY, 1, reply_env, sizeof(reply_env));
	assert_int_equal(bundle_w_create(path, BUNDLE_REPLIES, 0, NULL, pk2, &w), 0);
	assert_int_equal(bundle_w_item(w, &it, summary_env, sizeof(reply_env)), BUNDLE_EENV);
	bundle_w_abort(w);
}

static void rewrite_in_place(const char *path, const uint8_t *buf, size_t len);

static int
sink_none(void *ctx, const uint8_t *buf, size_t len)
{
	(void)ctx, (void)buf, (void)len;
	return 0;
}

static void
test_changed_after_verify(void **state)
{
	char path[256];
	uint8_t *buf, *env;
	size_t len, elen;
	struct bundle_r *r;
	uint8_t link[CC_HASH_BYTES];
	struct brec rec;
	(void)state;

	path_of(path, sizeof(path), "race.bundle");
	small_export(path);
	slurp(path, &buf, &len);
	assert_int_equal(bundle_r_open(path, &r), 0);
	assert_int_equal(bundle_r_verify(r, pk), 0);
	/* rewrite in place (same inode) after verification */
	uint32_t blen = buf[HDR] | buf[HDR + 1] << 8;
	size_t env0 = HDR + 4 + blen + 32;
	buf[env0 + 9] ^= 0xff;
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
	assert_int_equal(bundle_r_env_read(r, 1, 0, &env, &elen), BUNDLE_EENV);
	buf[env0 + 9] ^= 0xff;
	/* the first envelope's length word changed: read with its record
	 * (bundle_r_record keeps it for the envelope's one-pread read), it is
	 * still checked against the record, streamed or whole; the second
	 * envelope's word is read on its own and is intact */
	buf[env0] ^= 1;
	rewrite_in_place(path, buf, len);
	assert_int_equal(bundle_r_record(r, 1, &rec, link), 0);
	assert_int_equal(bundle_r_env_read(r, 1, 0, &env, &elen), BUNDLE_EENV);
	assert_null(env);
	assert_int_equal(bundle_r_env_stream(r, 1, 0, sink_none, NULL), BUNDLE_EENV);
	assert_int_equal(bundle_r_env_read(r, 1, 1, &env, &elen), 0);
	free(env);
	buf[env0] ^= 1;
	rewrite_in_place(path, buf, len);
	assert_int_equal(bundle_r_record(r, 1, &rec, link), 0); /* control: intact again */
	assert_int_equal(bundle_r_env_read(r, 1, 0, &env, &elen), 0);
	free(env);
	buf[HDR + 4 + 20] ^= 1; /* inside record 1's body */
	f = fopen(path, "r+b");
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
	assert_int_not_equal(bundle_r_record(r, 1, &rec, link), 0);
	/* a change that leaves the record well formed (a byte of the
	 * reporter's key): only the digest verify took can see it */
	buf[HDR + 4 + 20] ^= 1;
	rewrite_in_place(path, buf, len);
	assert_int_equal(bundle_r_record(r, 1, &rec, link), 0); /* control: intact */
	buf[HDR + 4 + 39] ^= 1;
	rewrite_in_place(path, buf, len);
	assert_int_equal(bundle_r_record(r, 1, &rec, link), BUNDLE_EFORMAT);
	assert_int_equal(bundle_r_env_read(r, 1, 0, &env, &elen), BUNDLE_EFORMAT);
	bundle_r_close(r);
	free(buf);

	/* the same for a reply item: its date changed to another valid one */
	struct bitem it;
	path_of(path, sizeof(path), "race-rep.bundle");
	small_replies(path, sk, pk);
	slurp(path, &buf, &len);
	assert_int_equal(bundle_r_open(path, &r), 0);
	assert_int_equal(bundle_r_verify(r, pk), 0);
	assert_int_equal(bundle_r_item(r, 0, &it, &env, &elen), 0); /* control */
	free(env);
	assert_memory_equal(buf + HDR + 4 + 31, "2026-11-24", 10);
	buf[HDR + 4 + 31 + 9] = '5';
	rewrite_in_place(path, buf, len);
	assert_int_equal(bundle_r_item(r, 0, &it, &env, &elen), BUNDLE_EFORMAT);
	assert_null(env);
	bundle_r_close(r);
	free(buf);
}

static void
test_limits(void **state)
{
	char path[256];
	uint8_t *buf;
	size_t len;
	struct bundle_r *r;
	(void)state;

	path_of(path, sizeof(path), "lim.bundle");
	small_export(path);
	slurp(path, &buf, &len);
	/* a count over the limit: refused before any allocation */
	buf[OFF_COUNT + 3] = 0xff;
	resign(buf, len, sk, CC_SIG_EXPORT);
	spit(path, buf, len);
	assert_int_equal(bundle_r_open(path, &r), BUNDLE_ELIMIT);
	/* within the limit but more than the file can hold */
	memset(buf + OFF_COUNT, 0, 8);
	buf[OFF_COUNT + 2] = 0x10; /* 1M records */
	resign(buf, len, sk, CC_SIG_EXPORT);
	spit(path, buf, len);
	assert_int_equal(bundle_r_open(path, &r), BUNDLE_EFORMAT);
	/* 2^64-1 */
	memset(buf + OFF_COUNT, 0xff, 8);
	spit(path, buf, len);
	assert_int_equal(bundle_r_open(path, &r), BUNDLE_ELIMIT);
	/* first record's length word huge */
	memset(buf + OFF_COUNT, 0, 8);
	buf[OFF_COUNT] = 2;
	memset(buf + HDR, 0xff, 4);
	spit(path, buf, len);
	assert_int_equal(bundle_r_open(path, &r), BUNDLE_EFORMAT);
	free(buf);

	path_of(path, sizeof(path), "lim-rep.bundle");
	small_replies(path, sk, pk);
	slurp(path, &buf, &len);
	buf[OFF_NITEMS + 4] = 1;
	spit(path, buf, len);
	assert_int_equal(bundle_r_open(path, &r), BUNDLE_ELIMIT);
	free(buf);

	/* a non-regular file and a missing file */
	assert_int_not_equal(bundle_r_open("/dev/null", &r), 0);
	path_of(path, sizeof(path), "missing.bundle");
	assert_int_equal(bundle_r_open(path, &r), BUNDLE_ERR);
}

/* Writes buf over path in place (the same inode an open reader holds). */
static void
rewrite_in_place(const char *path, const uint8_t *buf, size_t len)
{
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* A record's length word over BREC_MAX_BYTES but well within the file
 * size is refused by open and by verify (the file rewritten between the
 * two) before anything is read into the record buffer: without the upper
 * bound the body is read past the end of a stack buffer before any
 * signature check (0xffffffff, tried above, is already over the file
 * size). The smallest excess shows under ASan, the largest smashes the
 * stack canary in a plain build. */
static void
test_record_length_over_limit(void **state)
{
	char path[256];
	uint8_t *buf, g[CC_HASH_BYTES];
	size_t len;
	struct bundle_r *r;
	static const size_t lens[1] = {40000};
	const uint32_t over[] = {BREC_MAX_BYTES + 1, BREC_MAX_BYTES + 40, 30000};
	(void)state;

	cc_chain_genesis(g);
	path_of(path, sizeof(path), "reclen.bundle");
	write_export(path, 1, g, 1, 1, lens, NULL);
	slurp(path, &buf, &len);
	assert_int_equal(check(path, pk), 0); /* control */
	for (size_t i = 0; i < sizeof(over) / sizeof(over[0]); i++) {
		uint8_t keep[4];
		assert_true(over[i] + 4 + CC_HASH_BYTES < len - HDR - TRAILER);
		memcpy(keep, buf + HDR, 4);
		for (int b = 0; b < 4; b++)
			buf[HDR + b] = (uint8_t)(over[i] >> (8 * b));
		resign(buf, len, sk, CC_SIG_EXPORT);
		spit(path, buf, len);
		assert_int_equal(bundle_r_open(path, &r), BUNDLE_EFORMAT);
		/* the same length word written between open and verify */
		memcpy(buf + HDR, keep, 4);
		resign(buf, len, sk, CC_SIG_EXPORT);
		spit(path, buf, len);
		assert_int_equal(bundle_r_open(path, &r), 0);
		for (int b = 0; b < 4; b++)
			buf[HDR + b] = (uint8_t)(over[i] >> (8 * b));
		resign(buf, len, sk, CC_SIG_EXPORT);
		rewrite_in_place(path, buf, len);
		assert_int_equal(bundle_r_verify(r, pk), BUNDLE_EFORMAT);
		bundle_r_close(r);
		memcpy(buf + HDR, keep, 4);
	}
	free(buf);
}

/* A header changed between open and verify, and re-signed as a forger
 * holding the key would: verify hashes the new bytes, but the parsed
 * header is the old one, so verify refuses the mismatch. */
static void
test_header_changed_before_verify(void **state)
{
	char path[256];
	uint8_t *buf;
	size_t len;
	struct bundle_r *r;
	(void)state;

	path_of(path, sizeof(path), "hdrrace.bundle");
	small_export(path);
	slurp(path, &buf, &len);
	assert_int_equal(bundle_r_open(path, &r), 0);
	memcpy(buf + OFF_CREATED, "2020-01-01", 10);
	resign(buf, len, sk, CC_SIG_EXPORT);
	rewrite_in_place(path, buf, len);
	assert_int_equal(check(path, pk), 0); /* the new file is itself valid */
	assert_int_equal(bundle_r_verify(r, pk), BUNDLE_EFORMAT);
	bundle_r_close(r);
	free(buf);
}

/* A reply bundle whose envelope bytes do not match the hash in its item,
 * signed again: refused at verify as an envelope mismatch. */
static void
test_reply_env_mismatch(void **state)
{
	char path[256];
	uint8_t *buf;
	size_t len;
	/* item 1 (no envelope), item 2's body, then its envelope length word */
	const size_t env1 = HDR + 2 * (4 + BITEM_MAX_BYTES) + 8;
	(void)state;

	path_of(path, sizeof(path), "repenv.bundle");
	small_replies(path, sk, pk);
	slurp(path, &buf, &len);
	assert_int_equal(check(path, pk), 0); /* control */
	assert_memory_equal(buf + env1, reply_env, sizeof(reply_env));
	buf[env1 + 3] ^= 1;
	resign(buf, len, sk, CC_SIG_REPLIES);
	spit(path, buf, len);
	assert_int_equal(check(path, pk), BUNDLE_EENV);
	free(buf);
}

/* Writes buf (re-signed for ctx) to path and returns what open says. */
static int
open_resigned(const char *path, uint8_t *buf, size_t len, int ctx)
{
	struct bundle_r *r = NULL;
	resign(buf, len, sk, ctx);
	spit(path, buf, len);
	int rc = bundle_r_open(path, &r);
	bundle_r_close(r);
	return rc;
}

static void
put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* What open alone refuses, each file signed again as a forger with the
 * key would (so the signature check behind it cannot be what catches it),
 * with the exact status: reserved header bytes, the trailer's magic, the
 * named limits at one over, an empty export whose head is not its
 * prev_link, and bytes between the last record and the trailer. */
static void
test_open_refuses_exactly(void **state)
{
	char path[256];
	uint8_t *buf, *big, g[CC_HASH_BYTES];
	size_t len;
	(void)state;

	path_of(path, sizeof(path), "exact.bundle");
	small_export(path);
	slurp(path, &buf, &len);
	assert_int_equal(open_resigned(path, buf, len, CC_SIG_EXPORT), 0); /* control */
	for (int b = 1; b <= 3; b++) {
		buf[OFF_KIND + b] = 1;
		assert_int_equal(open_resigned(path, buf, len, CC_SIG_EXPORT), BUNDLE_EFORMAT);
		buf[OFF_KIND + b] = 0;
	}
	buf[len - TRAILER] ^= 1; /* the trailer's magic */
	assert_int_equal(open_resigned(path, buf, len, CC_SIG_EXPORT), BUNDLE_EFORMAT);
	buf[len - TRAILER] ^= 1;
	put64(buf + OFF_COUNT, BUNDLE_MAX_RECORDS + 1);
	assert_int_equal(open_resigned(path, buf, len, CC_SIG_EXPORT), BUNDLE_ELIMIT);
	put64(buf + OFF_COUNT, 2);
	/* eight bytes between the last record and the trailer */
	big = malloc(len + 8);
	assert_non_null(big);
	memcpy(big, buf, len - TRAILER);
	memset(big + len - TRAILER, 0, 8);
	memcpy(big + len - TRAILER + 8, buf + len - TRAILER, TRAILER);
	assert_int_equal(open_resigned(path, big, len + 8, CC_SIG_EXPORT), BUNDLE_EFORMAT);
	free(big);
	free(buf);

	/* an empty export: its head must be its prev_link */
	cc_chain_genesis(g);
	path_of(path, sizeof(path), "exact-empty.bundle");
	write_export(path, 1, g, 0, 0, NULL, NULL);
	slurp(path, &buf, &len);
	assert_int_equal(open_resigned(path, buf, len, CC_SIG_EXPORT), 0); /* control */
	buf[OFF_HEAD] ^= 1;
	assert_int_equal(open_resigned(path, buf, len, CC_SIG_EXPORT), BUNDLE_EFORMAT);
	free(buf);

	/* replies: one item over the limit */
	path_of(path, sizeof(path), "exact-rep.bundle");
	small_replies(path, sk, pk);
	slurp(path, &buf, &len);
	assert_int_equal(open_resigned(path, buf, len, CC_SIG_REPLIES), 0); /* control */
	put64(buf + OFF_NITEMS, BUNDLE_MAX_ITEMS + 1);
	assert_int_equal(open_resigned(path, buf, len, CC_SIG_REPLIES), BUNDLE_ELIMIT);
	put64(buf + OFF_NITEMS, BUNDLE_MAX_ITEMS);
	assert_int_equal(open_resigned(path, buf, len, CC_SIG_REPLIES), BUNDLE_EFORMAT);
	free(buf);
}

/* An item's id rewritten between open and verify (to the id of another
 * item: open's check for duplicates ran on the old ids) and the file
 * signed again: verify refuses it. */
static void
test_item_id_changed_before_verify(void **state)
{
	char path[256];
	uint8_t *buf;
	size_t len;
	struct bundle_r *r;
	const size_t id0 = HDR + 4 + 4, id1 = HDR + 4 + BITEM_MAX_BYTES + 4 + 4;
	(void)state;

	path_of(path, sizeof(path), "idrace.bundle");
	small_replies(path, sk, pk);
	slurp(path, &buf, &len);
	assert_int_equal(bundle_r_open(path, &r), 0);
	assert_memory_not_equal(buf + id0, buf + id1, BUNDLE_ITEM_ID_BYTES);
	memcpy(buf + id0, buf + id1, BUNDLE_ITEM_ID_BYTES);
	resign(buf, len, sk, CC_SIG_REPLIES);
	rewrite_in_place(path, buf, len);
	assert_int_equal(bundle_r_verify(r, pk), BUNDLE_EFORMAT);
	bundle_r_close(r);
	free(buf);
}

static void
test_duplicate_item(void **state)
{
	char path[256];
	struct bundle_w *w;
	struct bitem it;
	struct bundle_r *r;
	(void)state;

	path_of(path, sizeof(path), "dup.bundle");
	assert_int_equal(bundle_w_create(path, BUNDLE_REPLIES, 0, NULL, pk2, &w), 0);
	mkitem(&it, BITEM_STATUS, 9, NULL, 0);
	assert_int_equal(bundle_w_item(w, &it, NULL, 0), 0);
	assert_int_equal(bundle_w_item(w, &it, NULL, 0), 0);
	assert_int_equal(bundle_w_commit(w, sk, pk), 0);
	assert_int_equal(bundle_r_open(path, &r), BUNDLE_EFORMAT);
}

/* A FIFO named as a bundle (a USB stick can carry one) is refused at once
 * instead of blocking the import for good; alarm(2) turns a hang into a
 * failure. */
static void
test_fifo_refused(void **state)
{
	char path[256];
	int st;
	(void)state;

	path_of(path, sizeof(path), "fifo.bundle");
	assert_int_equal(mkfifo(path, 0600), 0);
	pid_t p = fork();
	assert_true(p >= 0);
	if (p == 0) {
		struct bundle_r *r;
		alarm(2);
		_exit(bundle_r_open(path, &r) == BUNDLE_EFORMAT && r == NULL ? 0 : 1);
	}
	assert_int_equal(waitpid(p, &st, 0), p);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	unlink(path);
}

static void
test_existing_path(void **state)
{
	char path[256];
	struct bundle_w *w;
	uint8_t g[CC_HASH_BYTES];
	(void)state;

	path_of(path, sizeof(path), "exists.bundle");
	spit(path, (const uint8_t *)"x", 1);
	cc_chain_genesis(g);
	errno = 0;
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, 1, g, NULL, &w), BUNDLE_ERR);
	assert_int_equal(errno, EEXIST);
	/* bad arguments */
	path_of(path, sizeof(path), "args.bundle");
	assert_int_not_equal(bundle_w_create(path, BUNDLE_EXPORT, 0, g, NULL, &w), 0);
	assert_int_not_equal(bundle_w_create(path, BUNDLE_EXPORT, 1, NULL, NULL, &w), 0);
	assert_int_not_equal(bundle_w_create(path, BUNDLE_REPLIES, 0, NULL, NULL, &w), 0);
	assert_int_not_equal(bundle_w_create(path, 7, 1, g, NULL, &w), 0);
	/* a replies writer takes no records and an export no items */
	struct bitem it;
	mkitem(&it, BITEM_STATUS, 1, NULL, 0);
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, 1, g, NULL, &w), 0);
	assert_int_equal(bundle_w_item(w, &it, NULL, 0), BUNDLE_ERR);
	bundle_w_abort(w);
}

/* An export of two records that confirms ids tagged a..a+n-1 (ascending). */
static void
confirmed_export(const char *path, uint8_t first_tag, size_t n)
{
	static const size_t lens[1] = {4};
	uint8_t g[CC_HASH_BYTES], h[CC_HASH_BYTES], link[CC_HASH_BYTES], env[4] = "abcd";
	uint8_t *envs[1] = {env}, ids[8 * BUNDLE_ITEM_ID_BYTES];
	struct bundle_w *w;
	struct brec r;

	assert_true(n <= 8);
	for (size_t i = 0; i < n; i++)
		memset(ids + i * BUNDLE_ITEM_ID_BYTES, first_tag + (int)i, BUNDLE_ITEM_ID_BYTES);
	cc_chain_genesis(g);
	(void)unlink(path);
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, 1, g, NULL, &w), 0);
	mkrec(&r, 1, 1, envs, lens);
	assert_int_equal(brec_hash(&r, h), 0);
	cc_chain_next(g, 1, h, link);
	assert_int_equal(bundle_w_record(w, &r, link), 0);
	assert_int_equal(bundle_w_env_begin(w, 1, 0, 4), 0);
	assert_int_equal(bundle_w_env_write(w, env, 4), 0);
	assert_int_equal(bundle_w_env_end(w), 0);
	if (n > 0)
		assert_int_equal(bundle_w_confirmed(w, ids, n), 0);
	assert_int_equal(bundle_w_commit(w, sk, pk), 0);
}

/* The reply ids an export confirms (issue 13): a round trip; an export
 * without them (as before) reads as none; every flipped byte, a wrong
 * count, an unsorted or repeated id, a record after them and a count over
 * the limit are refused; nothing is readable before verify. */
static void
test_confirmed_ids(void **state)
{
	char path[256];
	struct bundle_r *r;
	const uint8_t *ids;
	size_t n;
	uint8_t *buf, two[2 * BUNDLE_ITEM_ID_BYTES];
	size_t len;
	(void)state;

	path_of(path, sizeof(path), "conf.bundle");
	confirmed_export(path, 0x20, 3);
	assert_int_equal(bundle_r_open(path, &r), 0);
	assert_int_equal(bundle_r_info(r)->nitems, 3);
	assert_int_equal(bundle_r_confirmed(r, &ids, &n), BUNDLE_ERR); /* not verified */
	assert_int_equal(bundle_r_verify(r, pk), 0);
	assert_int_equal(bundle_r_confirmed(r, &ids, &n), 0);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < 3; i++)
		for (size_t k = 0; k < BUNDLE_ITEM_ID_BYTES; k++)
			assert_int_equal(ids[i * BUNDLE_ITEM_ID_BYTES + k], 0x20 + i);
	bundle_r_close(r);
	flip_every_byte(path, pk);

	/* a wrong count, re-signed: the section no longer ends at the trailer */
	slurp(path, &buf, &len);
	for (int d = -1; d <= 1; d += 2) {
		buf[OFF_NITEMS] = (uint8_t)(3 + d);
		resign(buf, len, sk, CC_SIG_EXPORT);
		spit(path, buf, len);
		assert_int_equal(bundle_r_open(path, &r), BUNDLE_EFORMAT);
	}
	buf[OFF_NITEMS] = 0xa1; /* 100001 */
	buf[OFF_NITEMS + 1] = 0x86;
	buf[OFF_NITEMS + 2] = 0x01;
	resign(buf, len, sk, CC_SIG_EXPORT);
	spit(path, buf, len);
	assert_int_equal(bundle_r_open(path, &r), BUNDLE_ELIMIT);
	/* two ids swapped, or one repeated, re-signed: one encoding only */
	memset(buf + OFF_NITEMS, 0, 8);
	buf[OFF_NITEMS] = 3;
	size_t s = len - TRAILER - 3 * BUNDLE_ITEM_ID_BYTES;
	memcpy(two, buf + s, sizeof(two));
	memcpy(buf + s, two + BUNDLE_ITEM_ID_BYTES, BUNDLE_ITEM_ID_BYTES);
	memcpy(buf + s + BUNDLE_ITEM_ID_BYTES, two, BUNDLE_ITEM_ID_BYTES);
	resign(buf, len, sk, CC_SIG_EXPORT);
	spit(path, buf, len);
	assert_int_equal(check(path, pk), BUNDLE_EFORMAT);
	memcpy(buf + s + BUNDLE_ITEM_ID_BYTES, buf + s, BUNDLE_ITEM_ID_BYTES);
	resign(buf, len, sk, CC_SIG_EXPORT);
	spit(path, buf, len);
	assert_int_equal(check(path, pk), BUNDLE_EFORMAT);
	free(buf);

	/* as before: no ids */
	confirmed_export(path, 0, 0);
	assert_int_equal(bundle_r_open(path, &r), 0);
	assert_int_equal(bundle_r_verify(r, pk), 0);
	assert_int_equal(bundle_r_confirmed(r, &ids, &n), 0);
	assert_int_equal(n, 0);
	assert_null(ids);
	bundle_r_close(r);

	/* the writer's refusals */
	struct bundle_w *w;
	uint8_t g[CC_HASH_BYTES], ids2[2 * BUNDLE_ITEM_ID_BYTES];
	cc_chain_genesis(g);
	memset(ids2, 9, BUNDLE_ITEM_ID_BYTES);
	memset(ids2 + BUNDLE_ITEM_ID_BYTES, 8, BUNDLE_ITEM_ID_BYTES);
	path_of(path, sizeof(path), "conf-w.bundle");
	(void)unlink(path);
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, 1, g, NULL, &w), 0);
	assert_int_equal(bundle_w_confirmed(w, ids2, 2), BUNDLE_EFORMAT); /* descending */
	bundle_w_abort(w);
	memset(ids2 + BUNDLE_ITEM_ID_BYTES, 9, BUNDLE_ITEM_ID_BYTES);
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, 1, g, NULL, &w), 0);
	assert_int_equal(bundle_w_confirmed(w, ids2, 2), BUNDLE_EFORMAT); /* repeated */
	bundle_w_abort(w);
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, 1, g, NULL, &w), 0);
	assert_int_equal(bundle_w_confirmed(w, ids2, 1), 0);
	assert_int_equal(bundle_w_confirmed(w, ids2, 1), BUNDLE_ERR); /* twice */
	bundle_w_abort(w);
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, 1, g, NULL, &w), 0);
	assert_int_equal(bundle_w_confirmed(w, ids2, 1), 0);
	struct brec rec;
	uint8_t env[1] = {1}, *envs[1] = {env}, h[CC_HASH_BYTES], link[CC_HASH_BYTES];
	static const size_t l1[1] = {1};
	mkrec(&rec, 1, 1, envs, l1);
	assert_int_equal(brec_hash(&rec, h), 0);
	cc_chain_next(g, 1, h, link);
	assert_int_equal(bundle_w_record(w, &rec, link), BUNDLE_ERR); /* after the ids */
	bundle_w_abort(w);
	uint8_t *many = calloc(BUNDLE_MAX_ITEMS + 1, BUNDLE_ITEM_ID_BYTES);
	assert_non_null(many);
	for (size_t i = 0; i <= BUNDLE_MAX_ITEMS; i++) {
		many[i * BUNDLE_ITEM_ID_BYTES] = (uint8_t)(i >> 16);
		many[i * BUNDLE_ITEM_ID_BYTES + 1] = (uint8_t)(i >> 8);
		many[i * BUNDLE_ITEM_ID_BYTES + 2] = (uint8_t)i;
	}
	assert_int_equal(bundle_w_create(path, BUNDLE_EXPORT, 1, g, NULL, &w), 0);
	assert_int_equal(bundle_w_confirmed(w, many, BUNDLE_MAX_ITEMS + 1), BUNDLE_ELIMIT);
	bundle_w_abort(w);
	free(many);
	assert_int_equal(bundle_w_create(path, BUNDLE_REPLIES, 0, NULL, pk, &w), 0);
	assert_int_equal(bundle_w_confirmed(w, ids2, 1), BUNDLE_ERR); /* replies bundle */
	bundle_w_abort(w);
}

static void
test_brec_codec(void **state)
{
	struct brec r, d;
	uint8_t buf[BREC_MAX_BYTES + 1], e[3] = {1, 2, 3}, *envs[1] = {e};
	size_t lens[1] = {3}, n;
	(void)state;

	mkrec(&r, 1, 1, envs, lens);
	n = brec_encode(&r, buf, sizeof(buf));
	assert_int_equal(n, 105 + 40); /* fixed part + one envelope */
	assert_int_equal(brec_decode(buf, n, &d), 0);
	d.seq = 1;
	assert_memory_equal(&d.env[0], &r.env[0], sizeof(r.env[0]));
	assert_memory_equal(d.lookup, r.lookup, sizeof(r.lookup));
	assert_string_equal(d.date, r.date);
	/* trailing byte, missing byte */
	assert_int_equal(brec_decode(buf, n + 1, &d), BUNDLE_EFORMAT);
	assert_int_equal(brec_decode(buf, n - 1, &d), BUNDLE_EFORMAT);
	assert_int_equal(brec_decode(buf, 3, &d), BUNDLE_EFORMAT);
	/* bad magic, kind, date */
	buf[0] ^= 1;
	assert_int_equal(brec_decode(buf, n, &d), BUNDLE_EFORMAT);
	buf[0] ^= 1;
	buf[4] = 3;
	assert_int_equal(brec_decode(buf, n, &d), BUNDLE_EFORMAT);
	buf[4] = BREC_CONCERN;
	memcpy(buf + 5, "2026-02-30", 10);
	assert_int_equal(brec_decode(buf, n, &d), BUNDLE_EFORMAT);
	memcpy(buf + 5, "2026-11-23", 10);
	assert_int_equal(brec_decode(buf, n, &d), 0);
	/* a date without its terminator is refused, not read past */
	struct brec u = r;
	memset(u.date, '2', sizeof(u.date));
	assert_int_equal(brec_encode(&u, buf, sizeof(buf)), 0);
	/* nenv 0 and over the limit */
	r.nenv = 0;
	assert_int_equal(brec_encode(&r, buf, sizeof(buf)), 0);
	r.nenv = BUNDLE_MAX_ENV + 1;
	assert_int_equal(brec_encode(&r, buf, sizeof(buf)), 0);
	r.nenv = 1;
	n = brec_encode(&r, buf, sizeof(buf));
	buf[103] = 0, buf[104] = 0; /* nenv */
	assert_int_equal(brec_decode(buf, 105, &d), BUNDLE_EFORMAT);
	buf[103] = BUNDLE_MAX_ENV + 1;
	assert_int_equal(brec_decode(buf, n, &d), BUNDLE_EFORMAT);
	/* envelope of length 0, concern with a parent, follow-up with a key */
	r.env[0].len = 0;
	assert_int_equal(brec_encode(&r, buf, sizeof(buf)), 0);
	r.env[0].len = 3;
	r.parent_seq = 1;
	assert_int_equal(brec_encode(&r, buf, sizeof(buf)), 0);
	r.kind = BREC_FOLLOWUP;
	assert_int_equal(brec_encode(&r, buf, sizeof(buf)), 0);
	memset(r.reporter_pk, 0, sizeof(r.reporter_pk));
	memset(r.lookup, 0, sizeof(r.lookup));
	r.rcpt_ops = r.rcpt_mem = 0;
	assert_int_not_equal(brec_encode(&r, buf, sizeof(buf)), 0);
	/* each concern-only field alone makes a follow-up invalid, encoded
	 * or decoded */
	n = brec_encode(&r, buf, sizeof(buf));
	for (int field = 0; field < 4; field++) {
		struct brec v = r;
		if (field == 0)
			v.reporter_pk[CC_BOX_PK - 1] = 1;
		if (field == 1)
			v.lookup[CC_HASH_BYTES - 1] = 1;
		if (field == 2)
			v.rcpt_ops = 1;
		if (field == 3)
			v.rcpt_mem = 1;
		assert_int_equal(brec_encode(&v, buf, sizeof(buf)), 0);
	}
	/* the last byte of the reporter key (39..70) and of the lookup (71..102) */
	static const size_t last_of[2] = {70, 102};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(brec_encode(&r, buf, sizeof(buf)), n);
		assert_int_equal(brec_decode(buf, n, &d), 0); /* control */
		buf[last_of[i]] = 1;
		assert_int_equal(brec_decode(buf, n, &d), BUNDLE_EFORMAT);
	}
	/* too small a buffer */
	assert_int_equal(brec_encode(&r, buf, 100), 0);
}

static void
test_bitem_codec(void **state)
{
	struct bitem it, d;
	uint8_t buf[BITEM_MAX_BYTES + 1];
	size_t n;
	(void)state;

	mkitem(&it, BITEM_REPLY, 5, reply_env, sizeof(reply_env));
	n = bitem_encode(&it, buf, sizeof(buf));
	assert_int_equal(n, BITEM_MAX_BYTES);
	assert_int_equal(bitem_decode(buf, n, &d), 0);
	assert_memory_equal(&d, &it, sizeof(it));
	assert_int_equal(bitem_decode(buf, n + 1, &d), BUNDLE_EFORMAT);
	assert_int_equal(bitem_decode(buf, n - 1, &d), BUNDLE_EFORMAT);
	buf[28] = 3; /* type */
	assert_int_equal(bitem_decode(buf, n, &d), BUNDLE_EFORMAT);
	/* a reply without an envelope (and so without its length and hash:
	 * only the reply rule refuses it), with a state */
	it.has_env = 0;
	it.env.len = 0;
	memset(it.env.hash, 0, sizeof(it.env.hash));
	assert_int_equal(bitem_encode(&it, buf, sizeof(buf)), 0);
	/* an envelope of exactly the small limit, and one byte over */
	mkitem(&it, BITEM_REPLY, 5, reply_env, sizeof(reply_env));
	it.env.len = BUNDLE_SMALL_ENV_MAX;
	assert_int_equal(bitem_encode(&it, buf, sizeof(buf)), BITEM_MAX_BYTES);
	it.env.len = BUNDLE_SMALL_ENV_MAX + 1;
	assert_int_equal(bitem_encode(&it, buf, sizeof(buf)), 0);
	mkitem(&it, BITEM_REPLY, 5, reply_env, sizeof(reply_env));
	it.state = BSTATE_CLOSED;
	assert_int_equal(bitem_encode(&it, buf, sizeof(buf)), 0);
	/* status: bad state, outcome without closing, closing without outcome */
	mkitem(&it, BITEM_STATUS, 5, NULL, 0);
	it.state = 5;
	assert_int_equal(bitem_encode(&it, buf, sizeof(buf)), 0);
	it.state = BSTATE_INVESTIGATING;
	it.outcome = BOUT_NFA;
	assert_int_equal(bitem_encode(&it, buf, sizeof(buf)), 0);
	it.state = BSTATE_CLOSED;
	it.outcome = BOUT_NONE;
	assert_int_equal(bitem_encode(&it, buf, sizeof(buf)), 0);
	it.outcome = BOUT_NFA + 1;
	assert_int_equal(bitem_encode(&it, buf, sizeof(buf)), 0);
	it.outcome = BOUT_NFA;
	assert_int_not_equal(bitem_encode(&it, buf, sizeof(buf)), 0);
	/* target 0, bad date, stray envelope hash without has_env */
	it.target_seq = 0;
	assert_int_equal(bitem_encode(&it, buf, sizeof(buf)), 0);
	it.target_seq = 1;
	memcpy(it.date, "2026-13-01", 11);
	assert_int_equal(bitem_encode(&it, buf, sizeof(buf)), 0);
	memcpy(it.date, "2026-12-01", 11);
	it.env.hash[0] = 1;
	assert_int_equal(bitem_encode(&it, buf, sizeof(buf)), 0);
	it.env.hash[0] = 0;
	n = bitem_encode(&it, buf, sizeof(buf));
	assert_int_not_equal(n, 0);
	buf[BITEM_MAX_BYTES - 1] = 1; /* hash byte set while has_env is 0 */
	assert_int_equal(bitem_decode(buf, n, &d), BUNDLE_EFORMAT);
	assert_string_equal(
	    bundle_strerror(BUNDLE_ESIG), "signature does not verify with the expected key");
}

static int
setup(void **state)
{
	(void)state;
	if (cc_init() != 0 || mkdtemp(dir) == NULL)
		return -1;
	sk = sodium_malloc(CC_SIGN_SK);
	sk2 = sodium_malloc(CC_SIGN_SK);
	if (cc_signkey_generate(pk, sk) != 0 || cc_signkey_generate(pk2, sk2) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];
	(void)state;
	sodium_free(sk);
	sodium_free(sk2);
	if (snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir) < (int)sizeof(cmd))
		return system(cmd) == 0 ? 0 : -1;
	return -1;
}

int
main(int argc, char **argv)
{
	(void)argc;
	test_seed_init(argv[0]);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_export_round_trip),
	    cmocka_unit_test(test_replies_round_trip),
	    cmocka_unit_test(test_flip_every_byte),
	    cmocka_unit_test(test_random_damage),
	    cmocka_unit_test(test_truncation),
	    cmocka_unit_test(test_wrong_key),
	    cmocka_unit_test(test_kind_confusion),
	    cmocka_unit_test(test_chain_break),
	    cmocka_unit_test(test_env_mismatch),
	    cmocka_unit_test(test_changed_after_verify),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_record_length_over_limit),
	    cmocka_unit_test(test_header_changed_before_verify),
	    cmocka_unit_test(test_reply_env_mismatch),
	    cmocka_unit_test(test_open_refuses_exactly),
	    cmocka_unit_test(test_item_id_changed_before_verify),
	    cmocka_unit_test(test_duplicate_item),
	    cmocka_unit_test(test_existing_path),
	    cmocka_unit_test(test_fifo_refused),
	    cmocka_unit_test(test_confirmed_ids),
	    cmocka_unit_test(test_brec_codec),
	    cmocka_unit_test(test_bitem_codec),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
