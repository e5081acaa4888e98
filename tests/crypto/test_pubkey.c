/* Public key lines (reviewer and intake), fingerprints, Crockford base32
 * and the intake's signing secret file. */
#include "tests/crypto/helpers.h"
#include "crypto/cc_internal.h"

static void
b32_encoding(void **state)
{
	(void)state;
	char out[40];
	assert_int_equal(cc_b32_encode((const uint8_t *)"", 0, out, 1), CC_OK);
	assert_string_equal(out, "");
	assert_int_equal(cc_b32_encode((const uint8_t *)"\xff", 1, out, sizeof out), CC_OK);
	assert_string_equal(out, "ZW");
	assert_int_equal(cc_b32_encode((const uint8_t *)"\x00\x44\x32\x14\xc7", 5, out, 9), CC_OK);
	assert_string_equal(out, "01234567");
	assert_int_equal(
	    cc_b32_encode((const uint8_t *)"\x42\x1d\x2d\x54\xf7\x9d\xfb\xdf", 8, out, sizeof out),
	    CC_OK);
	assert_string_equal(out, "88EJTN7QKQXXY");
	assert_int_equal(
	    cc_b32_encode((const uint8_t *)"\x00\x44\x32\x14\xc7", 5, out, 8), CC_ELIMIT);
	for (int v = 0; v < 32; v++) {
		assert_int_equal(b32_value(b32_alphabet[v]), v);
		if (b32_alphabet[v] >= 'A')
			assert_int_equal(b32_value((char)(b32_alphabet[v] + 32)), v);
	}
	assert_int_equal(b32_value('i'), 1);
	assert_int_equal(b32_value('L'), 1);
	assert_int_equal(b32_value('o'), 0);
	assert_int_equal(b32_value('U'), -1);
	assert_int_equal(b32_value('u'), -1);
	assert_int_equal(b32_value('\0'), -1);
	assert_int_equal(b32_value('-'), -1);
	assert_int_equal(b32_value((char)0xc3), -1);
}

static void
line_round_trip(void **state)
{
	(void)state;
	char line[CC_PUBLINE_MAX], fpr[CC_FPR_CHARS + 1];
	struct cc_pubkey p;
	assert_int_equal(cc_pubkey_format(&alice->pub, line, sizeof line), CC_OK);
	assert_int_equal(strncmp(line, "candour-pub-v1 alice ", 21), 0);
	assert_int_equal(line[strlen(line) - 1], '\n');
	cc_fingerprint(&alice->pub, fpr);
	assert_int_equal(strlen(fpr), CC_FPR_CHARS);
	for (int i = 0; i < CC_FPR_CHARS; i++)
		assert_true(i % 5 == 4 ? fpr[i] == '-' : b32_value(fpr[i]) >= 0);
	assert_non_null(strstr(line, fpr));
	assert_int_equal(cc_pubkey_parse(line, strlen(line), &p), CC_OK);
	assert_string_equal(p.name, "alice");
	assert_memory_equal(p.box_pk, alice->box.pk, CC_BOX_PK);
	assert_memory_equal(p.sign_pk, alice->pub.sign_pk, CC_SIGN_PK);
	assert_memory_equal(p.keyid, alice->box.keyid, CC_KEYID_BYTES);
	/* without the newline, and with CRLF */
	assert_int_equal(cc_pubkey_parse(line, strlen(line) - 1, &p), CC_OK);
	char crlf[CC_PUBLINE_MAX + 1];
	snprintf(crlf, sizeof crlf, "%.*s\r\n", (int)strlen(line) - 1, line);
	assert_int_equal(cc_pubkey_parse(crlf, strlen(crlf), &p), CC_OK);
}

static void
fingerprint_depends_on_everything(void **state)
{
	(void)state;
	struct cc_pubkey p = alice->pub;
	char a[CC_FPR_CHARS + 1], b[CC_FPR_CHARS + 1];
	cc_fingerprint(&p, a);
	memcpy(p.name, "alicf", 6);
	cc_fingerprint(&p, b);
	assert_string_not_equal(a, b);
	p = alice->pub;
	p.box_pk[31] ^= 1;
	cc_fingerprint(&p, b);
	assert_string_not_equal(a, b);
	p = alice->pub;
	p.sign_pk[0] ^= 1;
	cc_fingerprint(&p, b);
	assert_string_not_equal(a, b);
}

static void
format_needs_room_and_a_name(void **state)
{
	(void)state;
	char line[CC_PUBLINE_MAX];
	assert_int_equal(cc_pubkey_format(&alice->pub, line, 50), CC_ELIMIT);
	assert_string_equal(line, "");
	struct cc_pubkey p = alice->pub;
	p.name[0] = '\0';
	assert_int_equal(cc_pubkey_format(&p, line, sizeof line), CC_EFORMAT);
	assert_string_equal(line, "");
}

static void
every_byte_flip_detected(void **state)
{
	(void)state;
	char line[CC_PUBLINE_MAX];
	struct cc_pubkey p;
	assert_int_equal(cc_pubkey_format(&alice->pub, line, sizeof line), CC_OK);
	size_t len = strlen(line) - 1; /* the newline is optional: not counted */
	for (size_t i = 0; i < len; i++) {
		for (int m = 0; m < 8; m++) {
			line[i] ^= (char)(1 << m);
			int rc = cc_pubkey_parse(line, len, &p);
			line[i] ^= (char)(1 << m);
			if (rc == CC_OK)
				fail_msg("flip of bit %d in byte %zu not detected", m, i);
			assert_true(rc == CC_EFORMAT || rc == CC_ETAMPERED);
			assert_int_equal(p.name[0], '\0');
		}
	}
}

static void
malformed_lines_refused(void **state)
{
	(void)state;
	char line[CC_PUBLINE_MAX], bad[2 * CC_PUBLINE_MAX];
	struct cc_pubkey p;
	assert_int_equal(cc_pubkey_format(&alice->pub, line, sizeof line), CC_OK);
	line[strlen(line) - 1] = '\0';
	const char *sp1 = strchr(line, ' '), *sp3 = strrchr(line, ' ');
	static const char *const fixed[] = {"", "\n", "candour-pub-v1", "candour-pub-v1 alice",
	    "candour-pub-v2 alice AAAA AAAA-AAAA-AAAA-AAAA"};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		assert_int_equal(cc_pubkey_parse(fixed[i], strlen(fixed[i]), &p), CC_EFORMAT);
	snprintf(bad, sizeof bad, "%s extra", line); /* five fields */
	assert_int_equal(cc_pubkey_parse(bad, strlen(bad), &p), CC_EFORMAT);
	snprintf(bad, sizeof bad, " %s", line); /* leading space */
	assert_int_equal(cc_pubkey_parse(bad, strlen(bad), &p), CC_EFORMAT);
	snprintf(bad, sizeof bad, "%s ", line); /* trailing space */
	assert_int_equal(cc_pubkey_parse(bad, strlen(bad), &p), CC_EFORMAT);
	snprintf(bad, sizeof bad, "%.*s %s", (int)(sp1 - line), line, sp1); /* double space */
	assert_int_equal(cc_pubkey_parse(bad, strlen(bad), &p), CC_EFORMAT);
	snprintf(bad, sizeof bad, "%s\n\n", line); /* two newlines */
	assert_int_equal(cc_pubkey_parse(bad, strlen(bad), &p), CC_EFORMAT);
	snprintf(bad, sizeof bad, "%.*s\t%s", (int)(sp3 - line), line, sp3 + 1); /* tab */
	assert_int_equal(cc_pubkey_parse(bad, strlen(bad), &p), CC_EFORMAT);
	memcpy(bad, line, strlen(line) + 1);
	bad[20] = '\0'; /* a NUL inside the given length */
	assert_int_equal(cc_pubkey_parse(bad, strlen(line), &p), CC_EFORMAT);
	/* base64 padded, or standard alphabet, or one character short */
	snprintf(bad, sizeof bad, "%.*s== %s", (int)(sp3 - line), line, sp3 + 1);
	assert_int_equal(cc_pubkey_parse(bad, strlen(bad), &p), CC_EFORMAT);
	snprintf(bad, sizeof bad, "%.*s %s", (int)(sp3 - line - 1), line, sp3 + 1);
	assert_int_equal(cc_pubkey_parse(bad, strlen(bad), &p), CC_EFORMAT);
	/* a lower-case fingerprint is not what we wrote */
	memcpy(bad, line, strlen(line) + 1);
	for (char *c = bad + (sp3 - line) + 1; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c + 32);
	assert_int_not_equal(cc_pubkey_parse(bad, strlen(bad), &p), CC_OK);
	/* an over-long line */
	memset(bad, 'a', sizeof bad - 1);
	bad[sizeof bad - 1] = '\0';
	assert_int_equal(cc_pubkey_parse(bad, strlen(bad), &p), CC_EFORMAT);
	/* the intake's line is not a reviewer's */
	char sline[CC_PUBLINE_MAX];
	assert_int_equal(cc_signpub_format(alice->pub.sign_pk, sline, sizeof sline), CC_OK);
	assert_int_equal(cc_pubkey_parse(sline, strlen(sline), &p), CC_EFORMAT);
	uint8_t pk[CC_SIGN_PK];
	assert_int_equal(cc_signpub_parse(line, strlen(line), pk), CC_EFORMAT);
}

static void
signpub_round_trip_and_flips(void **state)
{
	(void)state;
	uint8_t pk[CC_SIGN_PK], got[CC_SIGN_PK];
	uint8_t *sk = sodium_malloc(CC_SIGN_SK);
	char line[CC_PUBLINE_MAX], fpr[CC_FPR_CHARS + 1];
	assert_int_equal(cc_signkey_generate(pk, sk), CC_OK);
	assert_int_equal(cc_signpub_format(pk, line, sizeof line), CC_OK);
	assert_int_equal(strncmp(line, "candour-intake-pub-v1 ", 22), 0);
	cc_signpub_fingerprint(pk, fpr);
	assert_non_null(strstr(line, fpr));
	assert_int_equal(cc_signpub_parse(line, strlen(line), got), CC_OK);
	assert_memory_equal(got, pk, CC_SIGN_PK);
	assert_int_equal(cc_signpub_format(pk, line, 30), CC_ELIMIT);
	assert_int_equal(cc_signpub_format(pk, line, sizeof line), CC_OK);
	size_t len = strlen(line) - 1;
	for (size_t i = 0; i < len; i++) {
		for (int m = 0; m < 8; m++) {
			line[i] ^= (char)(1 << m);
			int rc = cc_signpub_parse(line, len, got);
			line[i] ^= (char)(1 << m);
			if (rc == CC_OK)
				fail_msg("flip of bit %d in byte %zu not detected", m, i);
			uint8_t zero[CC_SIGN_PK] = {0};
			assert_memory_equal(got, zero, CC_SIGN_PK);
		}
	}
	/* reviewer and intake fingerprints of the same key differ */
	struct cc_pubkey p = alice->pub;
	char a[CC_FPR_CHARS + 1], b[CC_FPR_CHARS + 1];
	cc_fingerprint(&p, a);
	cc_signpub_fingerprint(p.sign_pk, b);
	assert_string_not_equal(a, b);
	sodium_free(sk);
}

static void
signsec_round_trip_and_flips(void **state)
{
	(void)state;
	uint8_t pk[CC_SIGN_PK], gpk[CC_SIGN_PK], file[CC_SS_FILE + 8];
	uint8_t *sk = sodium_malloc(CC_SIGN_SK), *gsk = sodium_malloc(CC_SIGN_SK);
	size_t len;
	assert_int_equal(cc_signkey_generate(pk, sk), CC_OK);
	assert_int_equal(cc_signsec_encode(sk, file, CC_SS_FILE - 1, &len), CC_ELIMIT);
	assert_int_equal(len, 0);
	assert_int_equal(cc_signsec_encode(sk, file, sizeof file, &len), CC_OK);
	assert_int_equal(len, CC_SS_FILE);
	assert_memory_equal(file, "CDIS\x01\x00\x00\x00", 8);
	assert_int_equal(cc_signsec_decode(file, len, gpk, gsk), CC_OK);
	assert_memory_equal(gpk, pk, CC_SIGN_PK);
	assert_memory_equal(gsk, sk, CC_SIGN_SK);
	for (size_t i = 0; i < len; i++) {
		file[i] ^= 0x04;
		int rc = cc_signsec_decode(file, len, gpk, gsk);
		file[i] ^= 0x04;
		if (rc == CC_OK)
			fail_msg("flip of byte %zu not detected", i);
		assert_true(rc == CC_EFORMAT || rc == CC_ETAMPERED);
		assert_true(sodium_is_zero(gsk, CC_SIGN_SK));
		assert_true(sodium_is_zero(gpk, CC_SIGN_PK));
	}
	assert_int_equal(cc_signsec_decode(file, len - 1, gpk, gsk), CC_EFORMAT);
	assert_int_equal(cc_signsec_decode(file, len + 1, gpk, gsk), CC_EFORMAT);
	sodium_free(sk);
	sodium_free(gsk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(b32_encoding),
	    cmocka_unit_test(line_round_trip),
	    cmocka_unit_test(fingerprint_depends_on_everything),
	    cmocka_unit_test(format_needs_room_and_a_name),
	    cmocka_unit_test(every_byte_flip_detected),
	    cmocka_unit_test(malformed_lines_refused),
	    cmocka_unit_test(signpub_round_trip_and_flips),
	    cmocka_unit_test(signsec_round_trip_and_flips),
	};
	return cmocka_run_group_tests(tests, setup_alice, teardown_alice);
}
