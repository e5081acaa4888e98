/*
 * Frame checks of the envelope reader. These envelopes are built here by
 * hand with libsodium, authenticated with the real content key, so only
 * the reader's frame rules (not the AEAD) can refuse them. A canonical
 * hand-built envelope must open: that proves the builder is right and the
 * refusals below are the frame rules at work.
 */
#include "tests/crypto/helpers.h"
#include "crypto/cc_internal.h"

#define TAG_MSG crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
#define TAG_FIN crypto_secretstream_xchacha20poly1305_TAG_FINAL
#define TAG_PUSH crypto_secretstream_xchacha20poly1305_TAG_PUSH

struct chunk {
	uint32_t dlen; /* written into the frame */
	uint8_t fill;  /* byte used after the data */
	uint8_t tag;
	int no_ad; /* first chunk without the header as AD */
};

static uint8_t *
build(const struct chunk *c, size_t n, size_t *outlen)
{
	size_t hdr = CC_ENV_HEADER_LEN(1);
	uint8_t *out = malloc(hdr + n * CC_ENV_CT_CHUNK);
	uint8_t key[32], pt[CC_CHUNK_BYTES];
	crypto_secretstream_xchacha20poly1305_state st;

	memcpy(out, "CDEN", 4);
	out[4] = 1;
	out[5] = CC_KIND_CONCERN;
	out[6] = 1;
	out[7] = 0;
	le32_store(out + 8, CC_CHUNK_BYTES);
	memcpy(out + 12, alice->box.keyid, CC_KEYID_BYTES);
	crypto_secretstream_xchacha20poly1305_keygen(key);
	assert_int_equal(crypto_box_seal(out + 12 + CC_KEYID_BYTES, key, 32, alice->box.pk), 0);
	crypto_secretstream_xchacha20poly1305_init_push(&st, out + hdr - 24, key);
	for (size_t i = 0; i < n; i++) {
		uint32_t d = c[i].dlen > CC_CHUNK_DATA ? CC_CHUNK_DATA : c[i].dlen;
		le32_store(pt, c[i].dlen);
		memset(pt + 4, 'd', d);
		memset(pt + 4 + d, c[i].fill, CC_CHUNK_DATA - d);
		int ad = i == 0 && !c[i].no_ad;
		crypto_secretstream_xchacha20poly1305_push(&st, out + hdr + i * CC_ENV_CT_CHUNK,
		    NULL, pt, CC_CHUNK_BYTES, ad ? out : NULL, ad ? hdr : 0, c[i].tag);
	}
	*outlen = hdr + n * CC_ENV_CT_CHUNK;
	return out;
}

static int
try_open(const struct chunk *c, size_t n, size_t *ptlen_out)
{
	size_t len, ptlen = 0;
	uint8_t *env = build(c, n, &len), *pt = NULL;
	int rc = cc_env_open(&alice->box, env, len, &pt, &ptlen, NULL);
	if (rc != CC_OK)
		assert_null(pt);
	if (ptlen_out)
		*ptlen_out = ptlen;
	cc_free_wipe(pt, ptlen);
	free(env);
	return rc;
}

static void
canonical_hand_built_opens(void **state)
{
	(void)state;
	const struct chunk one[] = {{5, 0, TAG_FIN, 0}};
	const struct chunk pad[] = {{0, 0, TAG_FIN, 0}};
	const struct chunk nine[] = {{CC_CHUNK_DATA, 0, TAG_MSG, 0}, {CC_CHUNK_DATA, 0, TAG_MSG, 0},
	    {CC_CHUNK_DATA, 0, TAG_MSG, 0}, {CC_CHUNK_DATA, 0, TAG_MSG, 0},
	    {CC_CHUNK_DATA, 0, TAG_MSG, 0}, {CC_CHUNK_DATA, 0, TAG_MSG, 0},
	    {CC_CHUNK_DATA, 0, TAG_MSG, 0}, {CC_CHUNK_DATA, 0, TAG_MSG, 0}, {3, 0, TAG_MSG, 0},
	    {0, 0, TAG_FIN, 0}};
	size_t len;
	assert_int_equal(try_open(one, 1, &len), CC_OK);
	assert_int_equal(len, 5);
	assert_int_equal(try_open(pad, 1, &len), CC_OK);
	assert_int_equal(len, 0);
	assert_int_equal(try_open(nine, 10, &len), CC_OK);
	assert_int_equal(len, 8 * CC_CHUNK_DATA + 3);
}

static void
data_length_over_chunk_refused(void **state)
{
	(void)state;
	const struct chunk c[] = {{CC_CHUNK_DATA + 1, 0, TAG_FIN, 0}};
	const struct chunk d[] = {{UINT32_MAX, 0, TAG_FIN, 0}};
	assert_int_equal(try_open(c, 1, NULL), CC_ETAMPERED);
	assert_int_equal(try_open(d, 1, NULL), CC_ETAMPERED);
}

static void
nonzero_fill_refused(void **state)
{
	(void)state;
	const struct chunk c[] = {{5, 1, TAG_FIN, 0}};
	const struct chunk d[] = {{0, 0x80, TAG_FIN, 0}};
	assert_int_equal(try_open(c, 1, NULL), CC_ETAMPERED);
	assert_int_equal(try_open(d, 1, NULL), CC_ETAMPERED);
}

static void
data_after_short_chunk_refused(void **state)
{
	(void)state;
	const struct chunk c[] = {{5, 0, TAG_MSG, 0}, {5, 0, TAG_FIN, 0}};
	const struct chunk d[] = {{0, 0, TAG_MSG, 0}, {CC_CHUNK_DATA, 0, TAG_FIN, 0}};
	assert_int_equal(try_open(c, 2, NULL), CC_ETAMPERED);
	assert_int_equal(try_open(d, 2, NULL), CC_ETAMPERED);
}

static void
wrong_padding_count_refused(void **state)
{
	(void)state;
	/* one data chunk pads to one chunk: an extra padding chunk is not ours */
	const struct chunk c[] = {{5, 0, TAG_MSG, 0}, {0, 0, TAG_FIN, 0}};
	/* nine data chunks pad to ten: ending at nine is short */
	struct chunk d[9];
	for (int i = 0; i < 9; i++)
		d[i] = (struct chunk){CC_CHUNK_DATA, 0, i == 8 ? TAG_FIN : TAG_MSG, 0};
	assert_int_equal(try_open(c, 2, NULL), CC_ETAMPERED);
	assert_int_equal(try_open(d, 9, NULL), CC_ETAMPERED);
}

static void
other_tags_refused(void **state)
{
	(void)state;
	const struct chunk c[] = {{5, 0, TAG_PUSH, 0}};
	assert_int_equal(try_open(c, 1, NULL), CC_ETAMPERED);
}

static void
first_chunk_without_header_ad_refused(void **state)
{
	(void)state;
	const struct chunk c[] = {{5, 0, TAG_FIN, 1}};
	assert_int_equal(try_open(c, 1, NULL), CC_ETAMPERED);
}

static void
missing_final_tag_is_truncation(void **state)
{
	(void)state;
	const struct chunk c[] = {{5, 0, TAG_MSG, 0}};
	assert_int_equal(try_open(c, 1, NULL), CC_ETRUNCATED);
}

static void
chunk_after_final_refused(void **state)
{
	(void)state;
	const struct chunk c[] = {{5, 0, TAG_FIN, 0}, {0, 0, TAG_FIN, 0}};
	assert_int_equal(try_open(c, 2, NULL), CC_ETAMPERED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(canonical_hand_built_opens),
	    cmocka_unit_test(data_length_over_chunk_refused),
	    cmocka_unit_test(nonzero_fill_refused),
	    cmocka_unit_test(data_after_short_chunk_refused),
	    cmocka_unit_test(wrong_padding_count_refused),
	    cmocka_unit_test(other_tags_refused),
	    cmocka_unit_test(first_chunk_without_header_ad_refused),
	    cmocka_unit_test(missing_final_tag_is_truncation),
	    cmocka_unit_test(chunk_after_final_refused),
	};
	return cmocka_run_group_tests(tests, setup_alice, teardown_alice);
}
