/* Tests for intake/session.c: in-memory follow-up sessions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "intake/http.h"

static struct session_data d;

static void
test_create_get_drop(void **s)
{
	(void)s;
	struct sessions *t;
	struct session_data out;
	char id[SESSION_ID_HEX + 1];
	assert_int_equal(sessions_new(&t), 0);
	assert_int_equal(session_create(t, &d, 100, id), 0);
	assert_int_equal(strlen(id), SESSION_ID_HEX);
	assert_int_equal(session_get(t, id, strlen(id), 100, &out), 0);
	assert_memory_equal(out.lookup, d.lookup, sizeof(d.lookup));
	assert_memory_equal(out.key.sk, d.key.sk, sizeof(d.key.sk));
	session_drop(t, id, strlen(id));
	assert_int_equal(session_get(t, id, strlen(id), 100, &out), -1);
	sessions_free(t);
}

static void
test_expires_after_ttl(void **s)
{
	(void)s;
	struct sessions *t;
	struct session_data out;
	char id[SESSION_ID_HEX + 1];
	assert_int_equal(sessions_new(&t), 0);
	assert_int_equal(session_create(t, &d, 100, id), 0);
	assert_int_equal(session_get(t, id, strlen(id), 100 + HTTP_SESSION_TTL - 1, &out), 0);
	assert_int_equal(session_get(t, id, strlen(id), 100 + HTTP_SESSION_TTL, &out), -1);
	assert_int_equal(session_count(t, 100 + HTTP_SESSION_TTL), 0);
	sessions_free(t);
}

static void
test_wrong_ids(void **s)
{
	(void)s;
	struct sessions *t;
	struct session_data out;
	char id[SESSION_ID_HEX + 1], bad[SESSION_ID_HEX + 2];
	assert_int_equal(sessions_new(&t), 0);
	assert_int_equal(session_create(t, &d, 1, id), 0);
	memcpy(bad, id, sizeof(id));
	bad[0] = bad[0] == 'a' ? 'b' : 'a';
	assert_int_equal(session_get(t, bad, SESSION_ID_HEX, 1, &out), -1);
	assert_int_equal(session_get(t, id, SESSION_ID_HEX - 1, 1, &out), -1);
	assert_int_equal(session_get(t, NULL, 0, 1, &out), -1);
	assert_int_equal(session_get(t, "", 0, 1, &out), -1);
	memset(bad, 'g', SESSION_ID_HEX); /* not hex */
	bad[SESSION_ID_HEX] = '\0';
	assert_int_equal(session_get(t, bad, SESSION_ID_HEX, 1, &out), -1);
	memcpy(bad, id, SESSION_ID_HEX);
	bad[SESSION_ID_HEX] = '0';
	bad[SESSION_ID_HEX + 1] = '\0';
	assert_int_equal(session_get(t, bad, SESSION_ID_HEX + 1, 1, &out), -1);
	/* dropping a wrong id leaves the real one */
	session_drop(t, "00", 2);
	assert_int_equal(session_get(t, id, SESSION_ID_HEX, 1, &out), 0);
	sessions_free(t);
}

/* A full table evicts the oldest session, never refuses the newest: a
 * stockpile of receipts entered one after another cannot lock a reporter
 * out of the follow-up page. */
static void
test_table_full_evicts_oldest(void **s)
{
	(void)s;
	struct sessions *t;
	char id[SESSION_ID_HEX + 1], oldest[SESSION_ID_HEX + 1], second[SESSION_ID_HEX + 1];
	char last[SESSION_ID_HEX + 1];
	struct session_data e = d, out;
	assert_int_equal(sessions_new(&t), 0);
	/* as many receipts as there are slots, the first two the oldest */
	for (int i = 0; i < HTTP_SESSION_MAX; i++) {
		memcpy(e.lookup, &i, sizeof(i));
		assert_int_equal(session_create(t, &e, i < 2 ? 10 + (uint64_t)i : 20, id), 0);
		if (i == 0)
			memcpy(oldest, id, sizeof(id));
		if (i == 1)
			memcpy(second, id, sizeof(id));
		if (i == HTTP_SESSION_MAX - 1)
			memcpy(last, id, sizeof(id));
	}
	assert_int_equal(session_count(t, 30), HTTP_SESSION_MAX);
	e.lookup[CC_HASH_BYTES - 1] ^= 1;
	assert_int_equal(session_create(t, &e, 30, id), 0);
	assert_int_equal(session_count(t, 30), HTTP_SESSION_MAX);
	/* the newest works; only the oldest went */
	assert_int_equal(session_get(t, id, SESSION_ID_HEX, 30, &out), 0);
	assert_memory_equal(out.lookup, e.lookup, CC_HASH_BYTES);
	assert_int_equal(session_get(t, oldest, SESSION_ID_HEX, 30, &out), -1);
	assert_int_equal(session_get(t, second, SESSION_ID_HEX, 30, &out), 0);
	assert_int_equal(session_get(t, last, SESSION_ID_HEX, 30, &out), 0);
	/* the next newcomer takes the next oldest */
	e.lookup[CC_HASH_BYTES - 2] ^= 1;
	assert_int_equal(session_create(t, &e, 31, id), 0);
	assert_int_equal(session_get(t, second, SESSION_ID_HEX, 31, &out), -1);
	assert_int_equal(session_get(t, last, SESSION_ID_HEX, 31, &out), 0);
	/* expiry frees the slots */
	assert_int_equal(session_count(t, 20 + HTTP_SESSION_TTL), 2);
	sessions_free(t);
}

/* One session per receipt: entering the same receipt again replaces its
 * session, so one reporter (or one person holding one receipt) cannot
 * fill the table and lock everyone else out of the follow-up page. */
static void
test_one_session_per_receipt(void **s)
{
	(void)s;
	struct sessions *t;
	struct session_data out, e = d;
	char first[SESSION_ID_HEX + 1], id[SESSION_ID_HEX + 1];
	assert_int_equal(sessions_new(&t), 0);
	assert_int_equal(session_create(t, &d, 10, first), 0);
	for (int i = 0; i < HTTP_SESSION_MAX + 5; i++)
		assert_int_equal(session_create(t, &d, 10, id), 0);
	assert_int_equal(session_count(t, 10), 1);
	assert_int_equal(session_get(t, first, SESSION_ID_HEX, 10, &out), -1);
	assert_int_equal(session_get(t, id, SESSION_ID_HEX, 10, &out), 0);
	/* another receipt still gets a session, and both live side by side */
	e.lookup[0] ^= 1;
	assert_int_equal(session_create(t, &e, 10, first), 0);
	assert_int_equal(session_count(t, 10), 2);
	assert_int_equal(session_get(t, id, SESSION_ID_HEX, 10, &out), 0);
	assert_memory_equal(out.lookup, d.lookup, CC_HASH_BYTES);
	assert_int_equal(session_get(t, first, SESSION_ID_HEX, 10, &out), 0);
	assert_memory_equal(out.lookup, e.lookup, CC_HASH_BYTES);
	sessions_free(t);
}

static void
test_ids_differ(void **s)
{
	(void)s;
	struct sessions *t;
	char a[SESSION_ID_HEX + 1], b[SESSION_ID_HEX + 1];
	assert_int_equal(sessions_new(&t), 0);
	struct session_data e = d;
	e.lookup[0] ^= 1;
	assert_int_equal(session_create(t, &d, 1, a), 0);
	assert_int_equal(session_create(t, &e, 1, b), 0);
	assert_string_not_equal(a, b);
	sessions_free(t);
}

int
main(void)
{
	if (cc_init() != CC_OK)
		return 1;
	memset(&d, 0x5a, sizeof(d));
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_get_drop),
	    cmocka_unit_test(test_expires_after_ttl),
	    cmocka_unit_test(test_wrong_ids),
	    cmocka_unit_test(test_table_full_evicts_oldest),
	    cmocka_unit_test(test_one_session_per_receipt),
	    cmocka_unit_test(test_ids_differ),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
