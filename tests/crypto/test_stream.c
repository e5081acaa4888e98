/* Streaming writer and reader fed in pieces of every size, the fd
 * wrappers, sink failures, sticky errors and the size limit. */
#include <fcntl.h>
#include <unistd.h>

#include "tests/crypto/helpers.h"
#include "crypto/cc_internal.h"
#include "tests/test_seed.h"

static struct cc_seckey *bob;

struct grow {
	uint8_t *p;
	size_t len, cap;
	int fail_after; /* sink fails on this call (0: never) */
	int calls;
};

static int
grow_sink(void *ctx, const uint8_t *buf, size_t len)
{
	struct grow *g = ctx;
	if (g->fail_after && ++g->calls >= g->fail_after)
		return -1;
	if (g->len + len > g->cap) {
		size_t cap = (g->cap + len) * 2;
		uint8_t *p = realloc(g->p, cap);
		if (p == NULL)
			return -1;
		g->p = p;
		g->cap = cap;
	}
	memcpy(g->p + g->len, buf, len);
	g->len += len;
	return 0;
}

static int
setup(void **state)
{
	if (setup_alice(state) != 0)
		return -1;
	return cc_keypair_generate("bob", &bob) == CC_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	cc_seckey_free(bob);
	return teardown_alice(state);
}

/* Seals len pattern bytes, fed in pieces of step bytes (0: random). */
static void
seal_pieces(size_t len, size_t step, struct grow *out)
{
	struct cc_recipient r;
	struct cc_env_writer *w;
	uint8_t *pt = malloc(len + 1);
	test_pattern(pt, len, 7);
	test_recipient(alice, &r);
	memset(out, 0, sizeof *out);
	assert_int_equal(cc_env_writer_new(CC_KIND_ATTACHMENT, &r, 1, grow_sink, out, &w), CC_OK);
	for (size_t off = 0; off < len;) {
		size_t n = step ? step : 1 + randombytes_uniform(40000);
		if (n > len - off)
			n = len - off;
		assert_int_equal(cc_env_writer_update(w, pt + off, n), CC_OK);
		off += n;
	}
	assert_int_equal(cc_env_writer_finish(w), CC_OK);
	free(pt);
}

static void
open_pieces(const struct grow *env, size_t step, size_t want)
{
	struct cc_env_reader *r;
	struct grow out = {0};
	int kind;
	assert_int_equal(cc_env_reader_new(&alice->box, grow_sink, &out, &r), CC_OK);
	for (size_t off = 0; off < env->len;) {
		size_t n = step ? step : 1 + randombytes_uniform(40000);
		if (n > env->len - off)
			n = env->len - off;
		assert_int_equal(cc_env_reader_update(r, env->p + off, n), CC_OK);
		off += n;
	}
	assert_int_equal(cc_env_reader_finish(r, &kind), CC_OK);
	assert_int_equal(kind, CC_KIND_ATTACHMENT);
	assert_int_equal(out.len, want);
	uint8_t *pt = malloc(want + 1);
	test_pattern(pt, want, 7);
	assert_memory_equal(out.p, pt, want);
	free(pt);
	free(out.p);
}

static void
pieces_of_every_size(void **state)
{
	(void)state;
	static const size_t steps[] = {
	    1, 3, CC_CHUNK_DATA - 1, CC_CHUNK_DATA, CC_CHUNK_DATA + 1, CC_ENV_CT_CHUNK, 0, 0, 0};
	size_t len = 4 * CC_CHUNK_DATA + 1234;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		struct grow env;
		size_t s = steps[i] == 1 ? 7 : steps[i]; /* 1-byte sealing is slow-ish */
		seal_pieces(len, s, &env);
		assert_int_equal(env.len, env_sealed_size(1, len));
		open_pieces(&env, steps[i], len);
		free(env.p);
	}
}

static void
sink_failure_aborts_writer(void **state)
{
	(void)state;
	struct cc_recipient r;
	struct cc_env_writer *w = NULL;
	uint8_t buf[CC_CHUNK_DATA] = {0};
	test_recipient(alice, &r);

	struct grow g = {.fail_after = 1};
	assert_int_equal(cc_env_writer_new(CC_KIND_CONCERN, &r, 1, grow_sink, &g, &w), CC_ERR);
	assert_null(w);

	struct grow h = {.fail_after = 2};
	assert_int_equal(cc_env_writer_new(CC_KIND_CONCERN, &r, 1, grow_sink, &h, &w), CC_OK);
	assert_int_equal(cc_env_writer_update(w, buf, sizeof buf), CC_OK); /* chunk held back */
	assert_int_equal(cc_env_writer_update(w, buf, sizeof buf), CC_ERR);
	assert_int_equal(cc_env_writer_update(w, buf, 1), CC_ERR); /* sticky */
	assert_int_equal(cc_env_writer_finish(w), CC_ERR);
	free(h.p);
}

static void
sink_failure_aborts_reader(void **state)
{
	(void)state;
	struct grow env, g = {.fail_after = 1};
	struct cc_env_reader *r;
	seal_pieces(100, 100, &env);
	assert_int_equal(cc_env_reader_new(&alice->box, grow_sink, &g, &r), CC_OK);
	assert_int_equal(cc_env_reader_update(r, env.p, env.len), CC_ERR);
	assert_int_equal(cc_env_reader_finish(r, NULL), CC_ERR);
	free(env.p);
}

static void
reader_errors_are_sticky(void **state)
{
	(void)state;
	struct grow env, g = {0};
	struct cc_env_reader *r;
	seal_pieces(100, 100, &env);
	assert_int_equal(cc_env_reader_new(&bob->box, grow_sink, &g, &r), CC_OK);
	assert_int_equal(cc_env_reader_update(r, env.p, env.len), CC_ENOTRECIPIENT);
	assert_int_equal(cc_env_reader_update(r, env.p, 1), CC_ENOTRECIPIENT);
	int kind = 5;
	assert_int_equal(cc_env_reader_finish(r, &kind), CC_ENOTRECIPIENT);
	assert_int_equal(kind, 0);
	assert_int_equal(g.len, 0);
	free(env.p);
}

static void
abort_frees_without_output(void **state)
{
	(void)state;
	struct cc_recipient rc;
	struct cc_env_writer *w;
	struct cc_env_reader *r;
	struct grow g = {0};
	test_recipient(alice, &rc);
	assert_int_equal(cc_env_writer_new(CC_KIND_CONCERN, &rc, 1, grow_sink, &g, &w), CC_OK);
	assert_int_equal(cc_env_writer_update(w, (const uint8_t *)"abc", 3), CC_OK);
	size_t hdr_only = g.len;
	cc_env_writer_abort(w);
	assert_int_equal(hdr_only, CC_ENV_HEADER_LEN(1)); /* no chunk ever left */
	assert_int_equal(cc_env_reader_new(&alice->box, grow_sink, &g, &r), CC_OK);
	cc_env_reader_abort(r);
	cc_env_writer_abort(NULL);
	cc_env_reader_abort(NULL);
	free(g.p);
}

static void
size_limit_enforced(void **state)
{
	(void)state;
	struct cc_recipient rc;
	struct cc_env_writer *w;
	struct cc_env_reader *r;
	struct grow g = {0};
	uint8_t byte = 0;
	test_recipient(alice, &rc);
	/* the lengths are checked before the buffer is touched */
	assert_int_equal(cc_env_writer_new(CC_KIND_CONCERN, &rc, 1, grow_sink, &g, &w), CC_OK);
	assert_int_equal(cc_env_writer_update(w, &byte, CC_ENV_MAX_BYTES), CC_ELIMIT);
	assert_int_equal(cc_env_writer_finish(w), CC_ELIMIT);
	assert_int_equal(cc_env_reader_new(&alice->box, grow_sink, &g, &r), CC_OK);
	assert_int_equal(cc_env_reader_update(r, &byte, CC_ENV_MAX_BYTES + 1), CC_ELIMIT);
	assert_int_equal(cc_env_reader_finish(r, NULL), CC_ELIMIT);
	/* the total over several calls: one byte, then a call that alone is
	 * within the limit but brings the total over it */
	byte = 'C';
	assert_int_equal(cc_env_reader_new(&alice->box, grow_sink, &g, &r), CC_OK);
	assert_int_equal(cc_env_reader_update(r, &byte, 1), CC_OK);
	assert_int_equal(cc_env_reader_update(r, &byte, CC_ENV_MAX_BYTES), CC_ELIMIT);
	assert_int_equal(cc_env_reader_finish(r, NULL), CC_ELIMIT);
	byte = 0;
	uint8_t *out = NULL;
	size_t outlen;
	assert_int_equal(
	    cc_env_seal(CC_KIND_CONCERN, &rc, 1, &byte, CC_ENV_MAX_BYTES, &out, &outlen),
	    CC_ELIMIT);
	assert_null(out);
	free(g.p);
}

static int
tmpfile_fd(void)
{
	char path[] = "/tmp/cc-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	return fd;
}

static void
fd_round_trip_and_cut(void **state)
{
	(void)state;
	struct cc_recipient rc;
	size_t len = 3 * CC_CHUNK_DATA + 5;
	uint8_t *pt = malloc(len), *back = malloc(len + 1);
	int in = tmpfile_fd(), env = tmpfile_fd(), out = tmpfile_fd(), kind;
	test_pattern(pt, len, 1);
	assert_int_equal(write(in, pt, len), (ssize_t)len);
	lseek(in, 0, SEEK_SET);
	test_recipient(alice, &rc);
	assert_int_equal(cc_env_seal_fd(CC_KIND_ATTACHMENT, &rc, 1, in, env), CC_OK);
	off_t envlen = lseek(env, 0, SEEK_CUR);
	assert_int_equal(envlen, env_sealed_size(1, len));

	lseek(env, 0, SEEK_SET);
	assert_int_equal(cc_env_open_fd(&alice->box, env, out, &kind), CC_OK);
	assert_int_equal(kind, CC_KIND_ATTACHMENT);
	assert_int_equal(pread(out, back, len + 1, 0), (ssize_t)len);
	assert_memory_equal(back, pt, len);

	lseek(env, 0, SEEK_SET);
	assert_int_equal(cc_env_open_fd(&bob->box, env, out, &kind), CC_ENOTRECIPIENT);
	assert_int_equal(kind, 0);

	assert_int_equal(ftruncate(env, envlen - CC_ENV_CT_CHUNK), 0);
	lseek(env, 0, SEEK_SET);
	assert_int_equal(cc_env_open_fd(&alice->box, env, out, &kind), CC_ETRUNCATED);

	assert_int_equal(cc_env_seal_fd(CC_KIND_ATTACHMENT, &rc, 1, -1, env), CC_ERR);
	lseek(in, 0, SEEK_SET);
	assert_int_equal(cc_env_seal_fd(CC_KIND_ATTACHMENT, &rc, 1, in, -1), CC_ERR);
	lseek(env, 0, SEEK_SET);
	assert_int_equal(cc_env_open_fd(&alice->box, env, -1, &kind), CC_ERR);
	assert_int_equal(cc_env_open_fd(&alice->box, -1, out, &kind), CC_ERR);
	close(in);
	close(env);
	close(out);
	free(pt);
	free(back);
}

int
main(int argc, char **argv)
{
	(void)argc;
	test_seed_init(argv[0]);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(pieces_of_every_size),
	    cmocka_unit_test(sink_failure_aborts_writer),
	    cmocka_unit_test(sink_failure_aborts_reader),
	    cmocka_unit_test(reader_errors_are_sticky),
	    cmocka_unit_test(abort_frees_without_output),
	    cmocka_unit_test(size_limit_enforced),
	    cmocka_unit_test(fd_round_trip_and_cut),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
