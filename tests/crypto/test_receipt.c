/*
 * Receipts: format, parsing, typo detection (every single substitution
 * and every adjacent transposition of a sample, plus the algebra behind
 * it for all receipts), the entropy claim, and key derivation.
 */
#include "tests/crypto/helpers.h"
#include "crypto/cc_internal.h"
#include "tests/test_seed.h"

#define SAMPLE 300
#define MANY 100000

static int
setup(void **state)
{
	return setup_sodium(state);
}

/* Cheap parameters for tests that do not measure the KDF itself. */
static void
light_params(struct cc_rcpt_params *p, uint8_t salt_byte)
{
	memset(p->salt, salt_byte, CC_RCPT_SALT_BYTES);
	p->opslimit = 1;
	p->memlimit = 8 << 20;
}

static void
generate_and_parse(void **state)
{
	(void)state;
	char r[CC_RCPT_CHARS + 1], g[CC_RCPT_GROUPED + 1], back[CC_RCPT_CHARS + 1];
	for (int n = 0; n < SAMPLE; n++) {
		assert_int_equal(cc_rcpt_generate(r), CC_OK);
		assert_int_equal(strlen(r), CC_RCPT_CHARS);
		for (int i = 0; i < CC_RCPT_CHARS; i++)
			assert_non_null(memchr(b32_alphabet, r[i], 32));
		cc_rcpt_group(r, g);
		assert_int_equal(strlen(g), 24);
		for (int i = 0; i < CC_RCPT_GROUPED; i++)
			assert_true(i % 5 == 4 ? g[i] == '-' : g[i] == r[i - i / 5]);
		assert_int_equal(cc_rcpt_parse(r, strlen(r), back), CC_OK);
		assert_string_equal(back, r);
		assert_int_equal(cc_rcpt_parse(g, strlen(g), back), CC_OK);
		assert_string_equal(back, r);
	}
}

static void
parse_is_forgiving_where_promised(void **state)
{
	(void)state;
	char r[CC_RCPT_CHARS + 1], in[3 * CC_RCPT_CHARS], back[CC_RCPT_CHARS + 1];
	assert_int_equal(cc_rcpt_generate(r), CC_OK);
	/* lower case, spaces and dashes anywhere */
	size_t o = 0;
	for (int i = 0; i < CC_RCPT_CHARS; i++) {
		in[o++] = (r[i] >= 'A' && r[i] <= 'Z') ? (char)(r[i] + 32) : r[i];
		in[o++] = i % 2 ? ' ' : '-';
	}
	assert_int_equal(cc_rcpt_parse(in, o, back), CC_OK);
	assert_string_equal(back, r);
}

static void
aliases_read_as_digits(void **state)
{
	(void)state;
	/* a receipt whose first two characters are 1 and 0 */
	char r[CC_RCPT_CHARS + 1], in[CC_RCPT_CHARS + 1], back[CC_RCPT_CHARS + 1];
	int v[CC_RCPT_DATA_CHARS] = {1, 0};
	for (int i = 2; i < CC_RCPT_DATA_CHARS; i++)
		v[i] = (int)randombytes_uniform(32);
	unsigned sum = 0;
	for (int i = 0; i < CC_RCPT_DATA_CHARS; i++) {
		sum += (unsigned)(i + 1) * (unsigned)v[i];
		r[i] = b32_alphabet[v[i]];
	}
	r[18] = b32_alphabet[sum % 1021 / 32];
	r[19] = b32_alphabet[sum % 1021 % 32];
	r[20] = '\0';
	assert_int_equal(cc_rcpt_parse(r, CC_RCPT_CHARS, back), CC_OK);
	static const char ones[] = "IiLl", zeros[] = "Oo";
	for (int a = 0; a < 4; a++) {
		for (int b = 0; b < 2; b++) {
			memcpy(in, r, sizeof r);
			in[0] = ones[a];
			in[1] = zeros[b];
			assert_int_equal(cc_rcpt_parse(in, CC_RCPT_CHARS, back), CC_OK);
			assert_string_equal(back, r);
		}
	}
}

static void
format_errors(void **state)
{
	(void)state;
	char r[CC_RCPT_CHARS + 1], in[256], back[CC_RCPT_CHARS + 1];
	assert_int_equal(cc_rcpt_generate(r), CC_OK);
	assert_int_equal(cc_rcpt_parse(r, CC_RCPT_CHARS - 1, back), CC_EFORMAT);
	assert_string_equal(back, "");
	assert_int_equal(cc_rcpt_parse("", 0, back), CC_EFORMAT);
	snprintf(in, sizeof in, "%sA", r);
	assert_int_equal(cc_rcpt_parse(in, strlen(in), back), CC_EFORMAT);
	static const char bad[] = {
	    'U', 'u', '.', '_', '\t', '\n', '\0', '+', '/', '=', '*', (char)0xc3};
	for (size_t b = 0; b < sizeof bad; b++) {
		for (int i = 0; i < CC_RCPT_CHARS; i += 7) {
			memcpy(in, r, sizeof r);
			in[i] = bad[b];
			assert_int_equal(cc_rcpt_parse(in, CC_RCPT_CHARS, back), CC_EFORMAT);
			assert_string_equal(back, "");
		}
	}
	/* spaces beyond the input limit, even around a valid receipt */
	memset(in, ' ', sizeof in);
	memcpy(in, r, CC_RCPT_CHARS);
	assert_int_equal(cc_rcpt_parse(in, CC_RCPT_INPUT_MAX, back), CC_OK);
	assert_int_equal(cc_rcpt_parse(in, CC_RCPT_INPUT_MAX + 1, back), CC_EFORMAT);
	/* more than 20 receipt characters within the input limit: a valid
	 * receipt with characters after it, up to the whole limit of them,
	 * and the near-miss check refuses them the same way (a value past
	 * the 20th must not be stored anywhere) */
	for (size_t extra = 1; CC_RCPT_CHARS + extra <= CC_RCPT_INPUT_MAX; extra += extra) {
		memset(in, 'A', sizeof in);
		memcpy(in, r, CC_RCPT_CHARS);
		assert_int_equal(cc_rcpt_parse(in, CC_RCPT_CHARS + extra, back), CC_EFORMAT);
		assert_string_equal(back, "");
		assert_int_equal(cc_rcpt_near(in, CC_RCPT_CHARS + extra), 0);
	}
	memset(in, '7', sizeof in);
	assert_int_equal(cc_rcpt_parse(in, CC_RCPT_INPUT_MAX, back), CC_EFORMAT);
	/* check characters that encode 1021..1023 can never match */
	memcpy(in, r, sizeof r);
	in[18] = 'Z';
	in[19] = 'Z';
	assert_int_equal(cc_rcpt_parse(in, CC_RCPT_CHARS, back), CC_ETYPO);
}

static void
every_substitution_detected(void **state)
{
	(void)state;
	char r[CC_RCPT_CHARS + 1], in[CC_RCPT_CHARS + 1], back[CC_RCPT_CHARS + 1];
	long tried = 0;
	for (int n = 0; n < SAMPLE; n++) {
		assert_int_equal(cc_rcpt_generate(r), CC_OK);
		for (int i = 0; i < CC_RCPT_CHARS; i++) {
			for (int v = 0; v < 32; v++) {
				if (b32_alphabet[v] == r[i])
					continue;
				memcpy(in, r, sizeof r);
				in[i] = b32_alphabet[v];
				int rc = cc_rcpt_parse(in, CC_RCPT_CHARS, back);
				if (rc != CC_ETYPO)
					fail_msg("%s: %c at %d gave %d", r, in[i], i, rc);
				tried++;
			}
		}
	}
	assert_int_equal(tried, (long)SAMPLE * CC_RCPT_CHARS * 31);
}

static void
every_adjacent_transposition_detected(void **state)
{
	(void)state;
	char r[CC_RCPT_CHARS + 1], in[CC_RCPT_CHARS + 1], back[CC_RCPT_CHARS + 1];
	long tried = 0;
	for (int n = 0; n < 20 * SAMPLE; n++) {
		assert_int_equal(cc_rcpt_generate(r), CC_OK);
		for (int i = 0; i + 1 < CC_RCPT_CHARS; i++) {
			if (r[i] == r[i + 1])
				continue;
			memcpy(in, r, sizeof r);
			in[i] = r[i + 1];
			in[i + 1] = r[i];
			assert_int_equal(cc_rcpt_parse(in, CC_RCPT_CHARS, back), CC_ETYPO);
			tried++;
		}
	}
	assert_true(tried > 20L * SAMPLE * 17);
}

/* The argument for all receipts, not just a sample: a substitution at
 * data position i (weight i+1) by a difference d changes the sum by
 * (i+1)*d; a transposition of data positions i, i+1 by v_i - v_(i+1);
 * neither is 0 mod 1021 when the change is real. For the check
 * characters the encoding c -> (c/32, c%32) is one-to-one, and a swap
 * across the data/check boundary needs 50*(c1 - v17) = 0 mod 1021. */
static void
algebra_for_all_receipts(void **state)
{
	(void)state;
	for (int w = 1; w <= CC_RCPT_DATA_CHARS; w++)
		for (int d = -31; d <= 31; d++)
			if (d != 0)
				assert_int_not_equal(((w * d) % 1021 + 1021) % 1021, 0);
	for (int d = -31; d <= 31; d++)
		if (d != 0)
			assert_int_not_equal(((50 * d) % 1021 + 1021) % 1021, 0);
	for (int c = 0; c < 1021; c++)
		for (int e = c + 1; e < 1021; e++)
			assert_false(c / 32 == e / 32 && c % 32 == e % 32);
}

static int
cmp20(const void *a, const void *b)
{
	return memcmp(a, b, CC_RCPT_DATA_CHARS);
}

/* 90 bits = 18 characters x 5 bits, each from randombytes_uniform(32).
 * Checked: 100k receipts all differ; every character value appears at
 * every position with a plausible frequency (chi-square, 31 degrees of
 * freedom, bound 90: a true uniform source fails with p < 1e-6 per
 * position). A source with 16 values per position (80 bits) fails. */
static void
entropy_claim(void **state)
{
	(void)state;
	char *all = malloc((size_t)MANY * CC_RCPT_DATA_CHARS);
	static long count[CC_RCPT_DATA_CHARS][32];
	char r[CC_RCPT_CHARS + 1];
	assert_int_equal(CC_RCPT_BITS, CC_RCPT_DATA_CHARS * 5);
	for (int n = 0; n < MANY; n++) {
		assert_int_equal(cc_rcpt_generate(r), CC_OK);
		memcpy(all + (size_t)n * CC_RCPT_DATA_CHARS, r, CC_RCPT_DATA_CHARS);
		for (int i = 0; i < CC_RCPT_DATA_CHARS; i++)
			count[i][b32_value(r[i])]++;
	}
	qsort(all, MANY, CC_RCPT_DATA_CHARS, cmp20);
	for (int n = 1; n < MANY; n++)
		assert_int_not_equal(cmp20(all + (size_t)(n - 1) * CC_RCPT_DATA_CHARS,
					 all + (size_t)n * CC_RCPT_DATA_CHARS),
		    0);
	double expect = MANY / 32.0;
	for (int i = 0; i < CC_RCPT_DATA_CHARS; i++) {
		double chi = 0;
		for (int v = 0; v < 32; v++)
			chi += (count[i][v] - expect) * (count[i][v] - expect) / expect;
		if (chi >= 90.0)
			fail_msg("position %d: chi-square %.1f", i, chi);
	}
	/* the same statistic on a 16-value source must fail: the test can fail */
	double chi = 0;
	for (int v = 0; v < 32; v++) {
		double c = v < 16 ? MANY / 16.0 : 0;
		chi += (c - expect) * (c - expect) / expect;
	}
	assert_true(chi >= 90.0);
	free(all);
}

static void
derive_is_deterministic_and_separated(void **state)
{
	(void)state;
	struct cc_rcpt_params p, q;
	char r[CC_RCPT_CHARS + 1], s[CC_RCPT_CHARS + 1];
	uint8_t t1[32], t2[32], t3[32], t4[32], look[32], want[32], pk[32];
	struct cc_boxkey *k1 = sodium_malloc(sizeof *k1), *k2 = sodium_malloc(sizeof *k2);
	light_params(&p, 7);
	light_params(&q, 8);
	assert_int_equal(cc_rcpt_generate(r), CC_OK);
	assert_int_equal(cc_rcpt_generate(s), CC_OK);
	assert_int_equal(cc_rcpt_derive(r, &p, t1, k1), CC_OK);
	assert_int_equal(cc_rcpt_derive(r, &p, t2, k2), CC_OK);
	assert_memory_equal(t1, t2, 32);
	assert_memory_equal(k1, k2, sizeof *k1);
	assert_memory_not_equal(t1, k1->sk, 32);
	assert_int_equal(crypto_scalarmult_base(pk, k1->sk), 0);
	assert_memory_equal(pk, k1->pk, 32);
	uint8_t id[CC_KEYID_BYTES];
	cc_keyid(k1->pk, id);
	assert_memory_equal(id, k1->keyid, CC_KEYID_BYTES);
	assert_int_equal(cc_rcpt_derive(s, &p, t3, k2), CC_OK); /* other receipt */
	assert_memory_not_equal(t1, t3, 32);
	assert_memory_not_equal(k1->pk, k2->pk, 32);
	assert_int_equal(cc_rcpt_derive(r, &q, t4, k2), CC_OK); /* other salt */
	assert_memory_not_equal(t1, t4, 32);
	assert_memory_not_equal(k1->pk, k2->pk, 32);
	/* the stored lookup is BLAKE2b-256("candour-lookup-v1" || tag) */
	cc_rcpt_lookup(t1, look);
	uint8_t buf[17 + 32];
	memcpy(buf, "candour-lookup-v1", 17);
	memcpy(buf + 17, t1, 32);
	cc_hash(buf, sizeof buf, want);
	assert_memory_equal(look, want, 32);
	assert_memory_not_equal(look, t1, 32);
	sodium_free(k1);
	sodium_free(k2);
}

static void
derive_refuses_bad_params(void **state)
{
	(void)state;
	struct cc_rcpt_params p;
	char r[CC_RCPT_CHARS + 1];
	uint8_t tag[32];
	struct cc_boxkey *k = sodium_malloc(sizeof *k);
	assert_int_equal(cc_rcpt_generate(r), CC_OK);
	static const uint64_t ops[] = {0, 17, 1, 1, 1};
	static const uint64_t mem[] = {8 << 20, 8 << 20, (uint64_t)64 << 30, 1 << 20, UINT64_MAX};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		light_params(&p, 1);
		p.opslimit = ops[i];
		p.memlimit = mem[i];
		memset(tag, 0xaa, sizeof tag);
		memset(k, 0xaa, sizeof *k);
		assert_int_equal(cc_rcpt_derive(r, &p, tag, k), CC_ELIMIT);
		assert_true(sodium_is_zero(tag, sizeof tag));
		assert_true(sodium_is_zero((uint8_t *)k, sizeof *k));
	}
	light_params(&p, 1);
	/* only the canonical form derives: lower case, a bad check, a dash */
	char v[CC_RCPT_CHARS + 1];
	memcpy(v, r, sizeof v);
	v[0] = 'a';
	v[1] = 'b';
	assert_int_equal(cc_rcpt_derive(v, &p, tag, k), CC_EFORMAT);
	memcpy(v, r, sizeof v);
	v[19] = v[19] == 'A' ? 'B' : 'A';
	assert_int_equal(cc_rcpt_derive(v, &p, tag, k), CC_EFORMAT);
	memcpy(v, r, sizeof v);
	v[4] = '-';
	assert_int_equal(cc_rcpt_derive(v, &p, tag, k), CC_EFORMAT);
	/* The same values written another way (lower case; O for 0, L for
	 * 1): the check characters still pass, so only the canonical-form
	 * test can refuse them. A receipt with a letter and a 0 or 1 in its
	 * data is found within a few draws. */
	char back[CC_RCPT_CHARS + 1];
	int tries = 0, at = -1;
	do {
		assert_true(++tries < 1000);
		assert_int_equal(cc_rcpt_generate(r), CC_OK);
		at = -1;
		for (int i = 0; i < CC_RCPT_DATA_CHARS && at < 0; i++)
			if (r[i] == '0' || r[i] == '1')
				at = i;
	} while (at < 0 || strspn(r, "0123456789") == CC_RCPT_CHARS);
	memcpy(v, r, sizeof v);
	for (int i = 0; i < CC_RCPT_CHARS; i++)
		if (v[i] >= 'A' && v[i] <= 'Z')
			v[i] = (char)(v[i] - 'A' + 'a');
	assert_int_equal(cc_rcpt_parse(v, CC_RCPT_CHARS, back), CC_OK); /* control */
	assert_string_equal(back, r);
	assert_int_equal(cc_rcpt_derive(v, &p, tag, k), CC_EFORMAT);
	memcpy(v, r, sizeof v);
	v[at] = v[at] == '0' ? 'O' : 'L';
	assert_int_equal(cc_rcpt_parse(v, CC_RCPT_CHARS, back), CC_OK); /* control */
	assert_string_equal(back, r);
	assert_int_equal(cc_rcpt_derive(v, &p, tag, k), CC_EFORMAT);
	r[5] = '\0';
	assert_int_equal(cc_rcpt_derive(r, &p, tag, k), CC_EFORMAT);
	assert_true(sodium_is_zero(tag, sizeof tag));
	sodium_free(k);
}

/* A reply sealed to the derived public key opens with the key derived
 * again from the receipt as the reporter types it back. */
static void
reply_round_trip_through_receipt(void **state)
{
	(void)state;
	struct cc_rcpt_params p;
	char r[CC_RCPT_CHARS + 1], g[CC_RCPT_GROUPED + 1], back[CC_RCPT_CHARS + 1];
	uint8_t tag[32], tag2[32], *env, *pt;
	size_t envlen, ptlen;
	struct cc_boxkey *k = sodium_malloc(sizeof *k), *k2 = sodium_malloc(sizeof *k2);
	struct cc_recipient rc;
	light_params(&p, 3);
	assert_int_equal(cc_rcpt_generate(r), CC_OK);
	assert_int_equal(cc_rcpt_derive(r, &p, tag, k), CC_OK);
	memcpy(rc.keyid, k->keyid, CC_KEYID_BYTES);
	memcpy(rc.pk, k->pk, CC_BOX_PK);
	assert_int_equal(
	    cc_env_seal(CC_KIND_REPLY, &rc, 1, (const uint8_t *)"thank you", 9, &env, &envlen),
	    CC_OK);
	cc_rcpt_group(r, g);
	assert_int_equal(cc_rcpt_parse(g, strlen(g), back), CC_OK);
	assert_int_equal(cc_rcpt_derive(back, &p, tag2, k2), CC_OK);
	assert_memory_equal(tag, tag2, 32);
	assert_int_equal(cc_env_open(k2, env, envlen, &pt, &ptlen, NULL), CC_OK);
	assert_memory_equal(pt, "thank you", 9);
	cc_free_wipe(pt, ptlen);
	free(env);
	sodium_free(k);
	sodium_free(k2);
}

/* A slip in copying (one character changed, two neighbours swapped) is
 * "near": the page then says one character seems wrong. Checked for
 * every slip of a sample, typed as people type (grouped, lower case). */
static void
near_for_every_slip(void **state)
{
	(void)state;
	char r[CC_RCPT_CHARS + 1], in[CC_RCPT_CHARS + 1], g[CC_RCPT_GROUPED + 1];
	for (int n = 0; n < SAMPLE; n++) {
		assert_int_equal(cc_rcpt_generate(r), CC_OK);
		assert_int_equal(cc_rcpt_near(r, CC_RCPT_CHARS), 0); /* nothing to fix */
		for (int i = 0; i < CC_RCPT_CHARS; i++) {
			for (int v = 0; v < 32; v++) {
				if (b32_alphabet[v] == r[i])
					continue;
				memcpy(in, r, sizeof r);
				in[i] = b32_alphabet[v];
				if (cc_rcpt_near(in, CC_RCPT_CHARS) != 1)
					fail_msg("%s: %c at %d is not near", r, in[i], i);
			}
			if (i + 1 < CC_RCPT_CHARS && r[i] != r[i + 1]) {
				memcpy(in, r, sizeof r);
				in[i] = r[i + 1];
				in[i + 1] = r[i];
				cc_rcpt_group(in, g);
				for (char *p = g; *p; p++)
					*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
				if (cc_rcpt_near(g, strlen(g)) != 1)
					fail_msg("%s: swap at %d is not near", g, i);
			}
		}
	}
}

/* What no single slip explains is "not a receipt from this site": the
 * page's own example, all Z, anything malformed; and random strings are
 * near only about 3 times in 10 (a 10-bit check), never always. */
static void
near_refuses_what_no_slip_explains(void **state)
{
	(void)state;
	static const char *const far[] = {
	    "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ", "ABCD-EFGH-JKMN-PQRS-TVWX", "abcd efgh jkmn pqrs tvwx",
	    "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZ", "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZ", "UUUU-ZZZZ-ZZZZ-ZZZZ-ZZZZ", "",
	};
	for (size_t i = 0; i < sizeof(far) / sizeof(far[0]); i++)
		if (cc_rcpt_near(far[i], strlen(far[i])) != 0)
			fail_msg("'%s' is said to be near", far[i]);
	char in[CC_RCPT_CHARS + 1], back[CC_RCPT_CHARS + 1];
	int near = 0, bad = 0;
	for (int n = 0; n < 4000; n++) {
		for (int i = 0; i < CC_RCPT_CHARS; i++)
			in[i] = b32_alphabet[randombytes_uniform(32)];
		if (cc_rcpt_parse(in, CC_RCPT_CHARS, back) != CC_ETYPO)
			continue;
		bad++;
		near += cc_rcpt_near(in, CC_RCPT_CHARS);
	}
	assert_true(bad > 3900);
	/* about 0.29 of them; the bounds are many standard deviations away */
	assert_true(near > bad / 5 && near < bad * 2 / 5);
}

int
main(int argc, char **argv)
{
	(void)argc;
	test_seed_init(argv[0]);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(generate_and_parse),
	    cmocka_unit_test(parse_is_forgiving_where_promised),
	    cmocka_unit_test(aliases_read_as_digits),
	    cmocka_unit_test(format_errors),
	    cmocka_unit_test(every_substitution_detected),
	    cmocka_unit_test(every_adjacent_transposition_detected),
	    cmocka_unit_test(near_for_every_slip),
	    cmocka_unit_test(near_refuses_what_no_slip_explains),
	    cmocka_unit_test(algebra_for_all_receipts),
	    cmocka_unit_test(entropy_claim),
	    cmocka_unit_test(derive_is_deterministic_and_separated),
	    cmocka_unit_test(derive_refuses_bad_params),
	    cmocka_unit_test(reply_round_trip_through_receipt),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
