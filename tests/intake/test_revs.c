/* Tests for intake/revs.c: the key set serve's parent sends the http
 * process on SIGHUP is taken whole or not at all. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <sys/socket.h>
#include <unistd.h>

#include "intake/http.h"

static struct cc_seckey *sk[3];
static struct cc_pubkey k[3];
static uint8_t buf[REVS_WIRE_MAX + 64];

static void
round_trip(void **s)
{
	(void)s;
	struct revset rs;
	int n = revs_encode(k, 3, buf, sizeof(buf));
	assert_true(n > 5);
	assert_int_equal(revs_decode(buf, (size_t)n, &rs), 0);
	assert_int_equal(rs.n, 3);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(rs.k[i].name, k[i].name);
		assert_string_equal(rs.k[i].role, k[i].role);
		assert_memory_equal(rs.k[i].keyid, k[i].keyid, CC_KEYID_BYTES);
		assert_memory_equal(rs.k[i].box_pk, k[i].box_pk, CC_BOX_PK);
	}
	/* the largest set fits the named bound */
	struct cc_pubkey many[INTAKE_MAX_REVIEWERS];
	for (int i = 0; i < INTAKE_MAX_REVIEWERS; i++) {
		struct cc_seckey *t;
		char name[CC_NAME_MAX + 1];
		memset(name, 'n', CC_NAME_MAX);
		name[CC_NAME_MAX] = '\0';
		name[0] = (char)('a' + i);
		assert_int_equal(cc_keypair_generate(name, &t), CC_OK);
		many[i] = t->pub;
		cc_seckey_free(t);
		char role[CC_ROLE_MAX + 1];
		memset(role, 'r', CC_ROLE_MAX);
		role[CC_ROLE_MAX] = '\0';
		assert_int_equal(cc_pubkey_set_role(&many[i], role), CC_OK);
	}
	n = revs_encode(many, INTAKE_MAX_REVIEWERS, buf, REVS_WIRE_MAX);
	assert_true(n > 0);
	assert_int_equal(revs_decode(buf, (size_t)n, &rs), 0);
	assert_int_equal(rs.n, INTAKE_MAX_REVIEWERS);
	assert_int_equal(revs_encode(many, INTAKE_MAX_REVIEWERS + 1, buf, sizeof(buf)), -1);
	assert_int_equal(revs_encode(many, 0, buf, sizeof(buf)), -1);
	assert_int_equal(revs_encode(many, 2, buf, 100), -1); /* no room */
}

/* Every damaged message is refused and leaves the output as it was. */
static void
damaged_refused(void **s)
{
	(void)s;
	struct revset rs, keep;
	int n = revs_encode(k, 2, buf, sizeof(buf));
	size_t first = 2 + (size_t)buf[5] + ((size_t)buf[6] << 8);
	uint8_t copy[REVS_WIRE_MAX + 64];
	assert_true(n > 0);
	memset(&keep, 0x5a, sizeof(keep));
	rs = keep;
#define REFUSED(len)                                                                               \
	do {                                                                                       \
		assert_int_equal(revs_decode(copy, (len), &rs), -1);                               \
		assert_memory_equal(&rs, &keep, sizeof(rs));                                       \
	} while (0)
	memcpy(copy, buf, (size_t)n);
	copy[0] = 'X'; /* magic */
	REFUSED((size_t)n);
	memcpy(copy, buf, (size_t)n);
	copy[4] = 0; /* no keys */
	REFUSED((size_t)n);
	copy[4] = INTAKE_MAX_REVIEWERS + 1;
	REFUSED((size_t)n);
	copy[4] = 3; /* says three, holds two */
	REFUSED((size_t)n);
	copy[4] = 1; /* says one, holds two: bytes left over */
	REFUSED((size_t)n);
	memcpy(copy, buf, (size_t)n);
	REFUSED((size_t)n - 1); /* cut */
	REFUSED(4);
	REFUSED(0);
	copy[n] = '\n';
	REFUSED((size_t)n + 1); /* one byte more */
	memcpy(copy, buf, (size_t)n);
	copy[6] = 0xff; /* a length past the end */
	REFUSED((size_t)n);
	memcpy(copy, buf, (size_t)n);
	copy[5] = copy[6] = 0; /* a zero length */
	REFUSED((size_t)n);
	memcpy(copy, buf, (size_t)n);
	copy[5 + 2 + 40] ^= 1; /* a changed key byte: its fingerprint fails */
	REFUSED((size_t)n);
	/* the same key twice */
	struct cc_pubkey twice[2] = {k[0], k[0]};
	int m = revs_encode(twice, 2, copy, sizeof(copy));
	assert_true(m > 0);
	REFUSED((size_t)m);
	/* a hostile role in the second key */
	memcpy(copy, buf, (size_t)n);
	uint8_t *role = memmem(copy + 5 + first, (size_t)n - 5 - first, "safeguarding", 12);
	assert_non_null(role);
	role[0] = 0x1b;
	REFUSED((size_t)n);
	/* too long for any message */
	memset(copy, 'A', sizeof(copy));
	memcpy(copy, "CDRV\x01", 5);
	REFUSED(REVS_WIRE_MAX + 1);
	/* and the good one still reads */
	assert_int_equal(revs_decode(buf, (size_t)n, &rs), 0);
	assert_int_equal(rs.n, 2);
}

/* What the http process does between sweeps: take a good set, drop a bad
 * one keeping the old, and tell a closed or broken socket apart (so its
 * loop stops rather than spins). */
static void
reload_from_socket(void **s)
{
	(void)s;
	struct http_app app;
	struct revset rs = {.n = 0}, got;
	int sp[2];

	memset(&app, 0, sizeof(app));
	assert_int_equal(pthread_mutex_init(&app.revs_mu, NULL), 0);
	rs.k[0] = k[0];
	rs.n = 1;
	http_revs_set(&app, &rs);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp), 0);
	assert_int_equal(http_revs_reload(&app, sp[1]), 0); /* nothing waiting */
	assert_int_equal(send(sp[0], "CDRV\x01junk", 9, 0), 9);
	assert_int_equal(http_revs_reload(&app, sp[1]), -1);
	http_revs_get(&app, &got);
	assert_int_equal(got.n, 1); /* the old set stays */
	int n = revs_encode(k, 3, buf, sizeof(buf));
	assert_int_equal(send(sp[0], buf, (size_t)n, 0), n);
	assert_int_equal(http_revs_reload(&app, sp[1]), 1);
	http_revs_get(&app, &got);
	assert_int_equal(got.n, 3);
	assert_string_equal(got.k[1].role, "independent safeguarding reviewer");
	assert_int_equal(http_revs_reload(&app, sp[1]), 0);
	/* a message longer than any key set is refused whole, not cut */
	static uint8_t big[REVS_WIRE_MAX + 100];
	memcpy(big, buf, (size_t)n);
	assert_int_equal(send(sp[0], big, sizeof(big), 0), (ssize_t)sizeof(big));
	assert_int_equal(http_revs_reload(&app, sp[1]), -1);
	http_revs_get(&app, &got);
	assert_int_equal(got.n, 3);
	close(sp[0]);
	assert_int_equal(http_revs_reload(&app, sp[1]), -2); /* serve's end closed */
	close(sp[1]);
	int pp[2];
	assert_int_equal(pipe(pp), 0);
	assert_int_equal(http_revs_reload(&app, pp[0]), -2); /* not a socket */
	close(pp[0]);
	close(pp[1]);
	pthread_mutex_destroy(&app.revs_mu);
}

int
main(void)
{
	static const char *names[] = {"alice", "bob", "carol"};
	if (cc_init() != CC_OK)
		return 1;
	for (int i = 0; i < 3; i++) {
		if (cc_keypair_generate(names[i], &sk[i]) != CC_OK)
			return 1;
		k[i] = sk[i]->pub;
	}
	if (cc_pubkey_set_role(&k[1], "independent safeguarding reviewer") != CC_OK)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),
	    cmocka_unit_test(damaged_refused),
	    cmocka_unit_test(reload_from_socket),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	for (int i = 0; i < 3; i++)
		cc_seckey_free(sk[i]);
	return r;
}
