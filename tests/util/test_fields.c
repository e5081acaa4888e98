/* util/fields.c: the envelope plaintext format. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static size_t
decode_str(const char *s, struct field *f, size_t max, size_t *payload)
{
	size_t n = 99;
	int rc = fields_decode((const uint8_t *)s, strlen(s), FIELDS_CONCERN, f, max, &n, payload);
	return rc == 0 ? n : (size_t)-1;
}

static void
round_trip(void **state)
{
	struct field in[3] = {
		{ "what", (const uint8_t *)"line one\nline two", 17 },
		{ "ref", (const uint8_t *)"REF/2019/0423", 13 },
		{ "team", NULL, 0 },
	};
	struct field out[FIELDS_MAX];
	uint8_t *buf, *whole;
	size_t len, n, off;
	(void)state;

	assert_int_equal(fields_encode(FIELDS_CONCERN, in, 3, &buf, &len), 0);
	/* A payload after the header must come back untouched. */
	whole = malloc(len + 4);
	memcpy(whole, buf, len);
	memcpy(whole + len, "\0\1--", 4);
	assert_int_equal(fields_decode(whole, len + 4, FIELDS_CONCERN, out, FIELDS_MAX, &n, &off), 0);
	assert_int_equal(n, 3);
	assert_int_equal(off, len);
	assert_memory_equal(whole + off, "\0\1--", 4);
	assert_string_equal(out[0].name, "what");
	assert_int_equal(out[0].len, 17);
	assert_memory_equal(out[0].val, "line one\nline two", 17);
	assert_int_equal(out[2].len, 0);
	assert_ptr_equal(fields_get(out, n, "ref"), &out[1]);
	assert_null(fields_get(out, n, "nope"));
	free(buf);
	free(whole);
}

static void
repeated_names_kept_in_order(void **state)
{
	struct field f[FIELDS_MAX];
	size_t off;
	(void)state;
	assert_int_equal(decode_str("candour-concern-v1\nref 1\na\nref 1\nb\n--\n", f, FIELDS_MAX, &off), 2);
	assert_memory_equal(f[0].val, "a", 1);
	assert_memory_equal(f[1].val, "b", 1);
}

static void
rejects_malformed(void **state)
{
	static const char *bad[] = {
		"",                                          /* empty */
		"candour-message-v1\n--\n",                  /* other magic */
		"candour-concern-v1",                        /* no newline */
		"candour-concern-v1\n",                      /* no terminator */
		"candour-concern-v1\nwhat 5\nabc\n--\n",     /* value shorter than said */
		"candour-concern-v1\nwhat 2\nabc\n--\n",     /* value longer than said */
		"candour-concern-v1\nWhat 1\na\n--\n",       /* upper case name */
		"candour-concern-v1\nwh-at 1\na\n--\n",      /* bad name character */
		"candour-concern-v1\nwhat\na\n--\n",         /* no length */
		"candour-concern-v1\nwhat -1\na\n--\n",      /* negative */
		"candour-concern-v1\nwhat 01\na\n--\n",      /* leading zero */
		"candour-concern-v1\nwhat 1x\na\n--\n",      /* junk in length */
		"candour-concern-v1\nwhat 99999999\na\n--\n",/* over FIELD_VALUE_MAX */
		"candour-concern-v1\n 1\na\n--\n",           /* empty name */
		"candour-concern-v1\nwhat 1\na",             /* value not ended */
		"candour-concern-v1\n-\n",                   /* half terminator */
	};
	struct field f[FIELDS_MAX];
	size_t off;
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(decode_str(bad[i], f, FIELDS_MAX, &off), (size_t)-1);
}

static void
rejects_too_many_fields(void **state)
{
	struct field f[2];
	size_t off;
	(void)state;
	assert_int_equal(decode_str("candour-concern-v1\na 0\n\nb 0\n\nc 0\n\n--\n", f, 2, &off), (size_t)-1);
}

static void
encode_refuses_bad_input(void **state)
{
	struct field badname = { "Bad", (const uint8_t *)"x", 1 };
	struct field nullval = { "what", NULL, 3 };
	uint8_t *out = (uint8_t *)"sentinel";
	size_t len = 7;
	(void)state;
	assert_int_equal(fields_encode(FIELDS_CONCERN, &badname, 1, &out, &len), -1);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_int_equal(fields_encode(FIELDS_CONCERN, &nullval, 1, &out, &len), -1);
	assert_int_equal(fields_encode("has space", NULL, 0, &out, &len), -1);
	assert_int_equal(fields_encode(FIELDS_CONCERN, &badname, FIELDS_MAX + 1, &out, &len), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(repeated_names_kept_in_order),
		cmocka_unit_test(rejects_malformed),
		cmocka_unit_test(rejects_too_many_fields),
		cmocka_unit_test(encode_refuses_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
