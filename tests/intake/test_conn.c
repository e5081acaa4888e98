/* Tests for intake/conn.c: the deadlines of slow clients. Time is
 * injected; sockets are socketpairs, and a shut-down socket reads as the
 * end of the stream on the other side. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "intake/http.h"

static const struct conn_rules rules = {.header_ms = 10000,
    .window_ms = 5000,
    .min_rate = 512,
    .grace_ms = 5000}; /* sweeps far apart in time: no stall (test_stall) */

/* 1 when the peer of sv[1] was shut down (reads EOF at once). */
static int
cut(int fd)
{
	char b;
	ssize_t n = recv(fd, &b, 1, MSG_DONTWAIT);
	return n == 0;
}

static void
pair(int sv[2])
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
}

static void
test_headers_deadline(void **s)
{
	struct conns *t;
	int sv[2];
	(void)s;
	pair(sv);
	assert_int_equal(conns_new(&t, 4, &rules), 0);
	struct conn_slot *c = conns_open(t, sv[0], 1000);
	assert_non_null(c);
	/* bytes trickling in do not move a headers deadline */
	assert_int_equal(conns_sweep(t, 1000 + 9999), 0);
	assert_false(cut(sv[1]));
	assert_int_equal(conns_sweep(t, 1000 + 10000), 1);
	assert_true(cut(sv[1]));
	/* cut once; the slot stays until MHD says the connection closed */
	assert_int_equal(conns_sweep(t, 1000 + 20000), 0);
	assert_int_equal(conns_count(t), 1);
	conns_close(t, c);
	assert_int_equal(conns_count(t), 0);
	conns_free(t);
	close(sv[0]);
	close(sv[1]);
}

static void
test_body_rate(void **s)
{
	struct conns *t;
	int a[2], b[2];
	(void)s;
	pair(a);
	pair(b);
	assert_int_equal(conns_new(&t, 4, &rules), 0);
	struct conn_slot *fast = conns_open(t, a[0], 0), *slow = conns_open(t, b[0], 0);
	conns_phase(t, fast, CP_BODY, 100);
	conns_phase(t, slow, CP_BODY, 100);
	/* the grace: nothing is judged inside the first window */
	assert_int_equal(conns_sweep(t, 100 + 4999), 0);
	conns_bytes(t, fast, 512 * 5);
	conns_bytes(t, slow, 512 * 5 - 1); /* one byte short over 5 s */
	assert_int_equal(conns_sweep(t, 100 + 5000), 1);
	assert_false(cut(a[1]));
	assert_true(cut(b[1]));
	/* every window is judged on its own: credit does not carry over */
	conns_bytes(t, fast, 100000);
	assert_int_equal(conns_sweep(t, 100 + 10000), 0);
	assert_int_equal(conns_sweep(t, 100 + 15000), 1); /* nothing in this window */
	assert_true(cut(a[1]));
	conns_free(t);
	close(a[0]), close(a[1]), close(b[0]), close(b[1]);
}

/* A table of two slots whose sweeps count a stall past 1 s, and one
 * slot opened at at on a fresh socket pair sv. */
static struct conn_slot *
stalling(struct conns **t, int sv[2], uint64_t at)
{
	struct conn_rules r = rules;

	r.stall_ms = 1000;
	pair(sv);
	assert_int_equal(conns_new(t, 2, &r), 0);
	return conns_open(*t, sv[0], at);
}

/* A body's window runs on the server's time: a stop of the process (a
 * sweep 12 s late) is not the client's, which sent at the rate before and
 * after it; the next window, empty, is cut. Fails on the conn.c before
 * 2026-12-07 (cut at the first sweep after the stop). */
static void
test_body_stall(void **s)
{
	struct conns *t;
	int a[2];
	(void)s;
	struct conn_slot *c = stalling(&t, a, 0);
	uint64_t now;
	conns_phase(t, c, CP_BODY, 0);
	for (now = 250; now <= 2000; now += 250) /* sweeps in time */
		assert_int_equal(conns_sweep(t, now), 0);
	conns_bytes(t, c, 512 * 2);
	assert_int_equal(conns_sweep(t, 14000), 0); /* stopped 12 s, 11 not the client's */
	assert_false(cut(a[1]));
	conns_bytes(t, c, 512 * 3);
	for (now = 14250; now <= 16000; now += 250) /* 16,000: 5 s of its time, 5 x 512 */
		assert_int_equal(conns_sweep(t, now), 0);
	assert_false(cut(a[1]));
	for (; now <= 30000 && conns_sweep(t, now) == 0; now += 250)
		;
	assert_int_equal(now, 21000); /* nothing in the next window */
	assert_true(cut(a[1]));
	conns_free(t);
	close(a[0]), close(a[1]);
}

static void
test_busy_and_keepalive(void **s)
{
	struct conns *t;
	int sv[2];
	(void)s;
	pair(sv);
	assert_int_equal(conns_new(&t, 2, &rules), 0);
	struct conn_slot *c = conns_open(t, sv[0], 0);
	conns_phase(t, c, CP_BUSY, 5000); /* being answered: no deadline */
	assert_int_equal(conns_sweep(t, 500000), 0);
	assert_false(cut(sv[1]));
	/* request done, kept alive: the next headers have their deadline */
	conns_phase(t, c, CP_HEADERS, 500000);
	assert_int_equal(conns_sweep(t, 500000 + 9000), 0);
	assert_int_equal(conns_sweep(t, 500000 + 10000), 1);
	assert_true(cut(sv[1]));
	/* a cut connection stays cut whatever MHD reports after */
	conns_phase(t, c, CP_HEADERS, 600000);
	assert_int_equal(conns_sweep(t, 700000), 0);
	conns_free(t);
	close(sv[0]);
	close(sv[1]);
}

static void
test_slots_full_and_null(void **s)
{
	struct conns *t;
	(void)s;
	assert_int_equal(conns_new(&t, 2, &rules), 0);
	struct conn_slot *a = conns_open(t, 100, 0), *b = conns_open(t, 101, 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_null(conns_open(t, 102, 0));
	conns_close(t, a);
	assert_non_null(conns_open(t, 102, 0));
	/* a connection without a slot is accepted by every call */
	conns_phase(t, NULL, CP_BODY, 0);
	conns_bytes(t, NULL, 1);
	conns_close(t, NULL);
	assert_int_equal(conns_count(t), 2);
	conns_free(t);
	assert_int_equal(conns_new(&t, 0, &rules), -1);
	assert_int_equal(conns_new(&t, 2 * INTAKE_MAX_CONNECTIONS + 1, &rules), -1);
}

/* A server behind (its threads busy: a flood, a slow disk) has not read
 * what the client sent in time: that is not the client's deadline to
 * miss. Cutting it dropped whole requests with no answer (tests/flood/
 * at 500 connections). Once read, a client still short is cut. */
static void
test_server_behind(void **s)
{
	struct conns *t;
	int sv[2];
	char b[64];
	(void)s;
	pair(sv);
	assert_int_equal(conns_new(&t, 2, &rules), 0);
	struct conn_slot *c = conns_open(t, sv[0], 1000);
	assert_int_equal(write(sv[1], "GET / HTTP/1.1\r\n", 16), 16);
	assert_int_equal(conns_sweep(t, 1000 + 10000), 0);
	assert_int_equal(conns_sweep(t, 1000 + 30000), 0);
	assert_false(cut(sv[1]));
	assert_int_equal(read(sv[0], b, sizeof(b)), 16); /* the server catches up */
	/* read, handler not yet run: the grace; then a client still short */
	assert_int_equal(conns_sweep(t, 1000 + 30250), 0);
	assert_int_equal(conns_sweep(t, 1000 + 30000 + 4999), 0);
	assert_int_equal(conns_sweep(t, 1000 + 30000 + 5000), 1);
	assert_true(cut(sv[1]));
	conns_close(t, c);
	/* the body's rate the same: a window of unread bytes is not cut */
	int sw[2];
	pair(sw);
	c = conns_open(t, sw[0], 0);
	conns_phase(t, c, CP_BODY, 0);
	assert_int_equal(write(sw[1], "x", 1), 1);
	assert_int_equal(conns_sweep(t, 5000), 0);
	assert_false(cut(sw[1]));
	assert_int_equal(read(sw[0], b, sizeof(b)), 1);
	assert_int_equal(conns_sweep(t, 10000), 1); /* seen behind 5 s ago: over */
	assert_true(cut(sw[1]));
	conns_close(t, c);
	conns_free(t);
	close(sv[0]);
	close(sv[1]);
	close(sw[0]);
	close(sw[1]);
}

/* The silent close of tests/flood at 500 connections (71 of 1,537): a
 * request waits unread past its header deadline (the server starved),
 * libmicrohttpd reads it, and before its thread runs the handler a sweep
 * finds it late with nothing unread. It must be spared and, once the
 * handler runs, answered 503 busy (conns_start says late), not cut. */
static void
test_read_not_handled(void **s)
{
	struct conns *t;
	int sv[2];
	char b[64];
	(void)s;
	pair(sv);
	assert_int_equal(conns_new(&t, 2, &rules), 0);
	struct conn_slot *c = conns_open(t, sv[0], 0);
	assert_int_equal(write(sv[1], "GET / HTTP/1.1\r\n\r\n", 18), 18);
	for (uint64_t now = 250; now <= 12000; now += 250)
		assert_int_equal(conns_sweep(t, now), 0); /* unread: the server's */
	assert_int_equal(read(sv[0], b, sizeof(b)), 18);
	/* the handler is late: sweeps go on with nothing unread */
	for (uint64_t now = 12250; now <= 16750; now += 250)
		assert_int_equal(conns_sweep(t, now), 0);
	assert_false(cut(sv[1]));
	assert_int_equal(conns_start(t, c, CP_BUSY, 16800), 1);
	assert_int_equal(conns_sweep(t, 60000), 0); /* being answered */
	assert_false(cut(sv[1]));
	/* kept alive: the next request starts with a clean slate */
	conns_phase(t, c, CP_HEADERS, 60000);
	assert_int_equal(conns_start(t, c, CP_BUSY, 60100), 0);
	conns_phase(t, c, CP_HEADERS, 61000);
	assert_int_equal(conns_sweep(t, 71000), 1); /* idle, never behind: cut */
	assert_true(cut(sv[1]));
	conns_close(t, c);
	conns_free(t);
	close(sv[0]);
	close(sv[1]);
}

/* Headers in past their deadline before any sweep judged them (the sweep
 * thread starved too): late, answered busy. In time: not late. A slot
 * already cut is not late either (its answer cannot be sent). */
static void
test_start_late(void **s)
{
	struct conns *t;
	(void)s;
	assert_int_equal(conns_new(&t, 4, &rules), 0);
	struct conn_slot *a = conns_open(t, 100, 0), *b = conns_open(t, 101, 0);
	assert_int_equal(conns_start(t, a, CP_BODY, 9999), 0);
	assert_int_equal(conns_start(t, b, CP_BODY, 10000), 1);
	/* asked again in the body: not the start of a request any more */
	assert_int_equal(conns_start(t, b, CP_BUSY, 30000), 0);
	assert_int_equal(conns_start(t, NULL, CP_BUSY, 30000), 0);
	conns_free(t);
}

/* A sweep that comes stall_ms late ran on a starved machine: whatever
 * went past a deadline meanwhile is the server's, and is spared for the
 * grace (the server gets to read it); a client that stays silent after
 * is cut. */
static void
test_stall(void **s)
{
	struct conns *t;
	int sv[2];
	(void)s;
	struct conn_slot *c = stalling(&t, sv, 0);
	assert_int_equal(conns_sweep(t, 9000), 0);
	assert_int_equal(conns_sweep(t, 9000 + 999), 0); /* in time: no stall */
	assert_int_equal(conns_sweep(t, 10249), 1);	 /* late, never behind */
	assert_true(cut(sv[1]));
	conns_close(t, c);
	int sw[2];
	pair(sw);
	c = conns_open(t, sw[0], 20000);
	assert_int_equal(conns_sweep(t, 21000), 0);
	assert_int_equal(conns_sweep(t, 33000), 0); /* 12 s without a sweep */
	assert_false(cut(sw[1]));
	for (uint64_t now = 33250; now < 33000 + 5000; now += 250)
		assert_int_equal(conns_sweep(t, now), 0);
	assert_int_equal(conns_sweep(t, 33000 + 5000), 1);
	assert_true(cut(sw[1]));
	conns_close(t, c);
	conns_free(t);
	close(sv[0]);
	close(sv[1]);
	close(sw[0]);
	close(sw[1]);
}

/* Stalls one after another (a machine starved for a while) excuse a
 * header deadline that passed during one of them, and the grace runs on
 * the server's time (each stall beyond stall_ms not counted): a silent
 * client past its deadline is cut once it has had grace_ms of it, though
 * every sweep since came late (here 1.5 s apart, 0.5 s of each not the
 * server's: the grace's 5 s take five sweeps). Fails on the conn.c before
 * 2026-12-07, where each stalled sweep renewed the grace (never cut). */
static void
test_stall_repeated(void **s)
{
	struct conns *t;
	int sv[2];
	uint64_t now;
	(void)s;
	struct conn_slot *c = stalling(&t, sv, 20000);
	assert_int_equal(conns_sweep(t, 21000), 0);
	assert_int_equal(conns_sweep(t, 33000), 0); /* the deadline passed in this stall */
	for (now = 34500; now < 33000 + 5000; now += 1500) /* each sweep stalled */
		assert_int_equal(conns_sweep(t, now), 0);
	assert_false(cut(sv[1]));
	for (; now <= 60000 && conns_sweep(t, now) == 0; now += 1500)
		;
	assert_int_equal(now, 33000 + 5 * 1500); /* 5 s of the server's time */
	assert_true(cut(sv[1]));
	conns_close(t, c);
	conns_free(t);
	close(sv[0]);
	close(sv[1]);
}

/* A TCP connection on 127.0.0.1: c[0] the server's end, c[1] the client's. */
static void
tcp_pair(int c[2])
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(l >= 0);
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 4), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)&a, &len), 0);
	c[1] = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(c[1], (struct sockaddr *)&a, sizeof(a)), 0);
	c[0] = accept(l, NULL, NULL);
	assert_true(c[0] >= 0);
	close(l);
}

/* The 500 flood on a starved machine, seen again after the grace: the
 * thread that read a whole request waited over 10 s for the CPU before
 * running the handler, and no sweep ever saw the bytes unread. The
 * kernel says the client sent and then went quiet: not cut, answered
 * late. An idle client (sent nothing) and a trickler (still sending past
 * the deadline) are cut as before. */
static void
test_sent_then_quiet(void **s)
{
	struct conns *t;
	struct conn_rules r = rules;
	int quiet[2], idle[2], trickle[2];
	char b[64];
	(void)s;
	r.quiet_ms = 300;
	tcp_pair(quiet);
	tcp_pair(idle);
	tcp_pair(trickle);
	assert_int_equal(conns_new(&t, 4, &r), 0);
	struct conn_slot *q = conns_open(t, quiet[0], 0);
	(void)conns_open(t, idle[0], 0);
	(void)conns_open(t, trickle[0], 0);
	assert_int_equal(write(quiet[1], "GET / HTTP/1.1\r\n\r\n", 18), 18);
	assert_int_equal(write(trickle[1], "G", 1), 1);
	/* read at once (no sweep sees it unread), the handler not run */
	assert_int_equal(read(quiet[0], b, sizeof(b)), 18);
	assert_int_equal(read(trickle[0], b, sizeof(b)), 1);
	nanosleep(&(struct timespec){0, 400 * 1000000L}, NULL);
	assert_int_equal(write(trickle[1], "E", 1), 1); /* still at it */
	assert_int_equal(read(trickle[0], b, sizeof(b)), 1);
	assert_int_equal(conns_sweep(t, 10000), 2);
	assert_false(cut(quiet[1]));
	assert_true(cut(idle[1]));
	assert_true(cut(trickle[1]));
	assert_int_equal(conns_sweep(t, 19999), 0);
	assert_int_equal(conns_start(t, q, CP_BUSY, 19999), 1);
	/* kept alive: the next request's quiet counts from its own bytes */
	conns_phase(t, q, CP_HEADERS, 30000);
	assert_int_equal(conns_sweep(t, 40000), 1);
	assert_true(cut(quiet[1]));
	conns_close(t, q);
	/* sent part, then quiet: held one more header deadline at most */
	int half[2];
	tcp_pair(half);
	(void)conns_open(t, half[0], 50000);
	assert_int_equal(write(half[1], "GET / HT", 8), 8);
	assert_int_equal(read(half[0], b, sizeof(b)), 8);
	nanosleep(&(struct timespec){0, 400 * 1000000L}, NULL);
	assert_int_equal(conns_sweep(t, 69999), 0);
	assert_false(cut(half[1]));
	assert_int_equal(conns_sweep(t, 70000), 1);
	assert_true(cut(half[1]));
	close(half[0]);
	close(half[1]);
	conns_free(t);
	for (int i = 0; i < 2; i++)
		close(quiet[i]), close(idle[i]), close(trickle[i]);
}

/* e2e 28 under load: one libmicrohttpd thread's tricklers, read a moment
 * after each burst, were caught with a byte unread at a sweep every few
 * seconds and spared grace_ms again each time: never cut. Past the
 * deadline only bytes that came by it make the server the slow one: a
 * trickler whose newest byte waits unread at every sweep is cut
 * grace_ms after the server was last behind on its older ones. A request
 * that came whole in time and waits unread is still spared. */
static void
test_trickler_unread_late(void **s)
{
	struct conns *t;
	struct conn_rules r = rules;
	int tr[2], whole[2];
	char b[64];
	(void)s;
	r.quiet_ms = 2000; /* the trickler is never quiet that long */
	tcp_pair(tr);
	tcp_pair(whole);
	assert_int_equal(conns_new(&t, 4, &r), 0);
	(void)conns_open(t, tr[0], 0);
	(void)conns_open(t, whole[0], 0);
	assert_int_equal(write(whole[1], "GET / HTTP/1.1\r\n\r\n", 18), 18); /* never read */
	assert_int_equal(write(tr[1], "G", 1), 1);
	assert_int_equal(conns_sweep(t, 9900), 0); /* unread in time: behind */
	assert_int_equal(conns_sweep(t, 10000), 0);
	uint64_t now = 10250;
	for (; now <= 30000; now += 250) {
		assert_int_equal(read(tr[0], b, sizeof(b)), 1); /* the server reads */
		assert_int_equal(write(tr[1], "E", 1), 1);	 /* the next byte */
		nanosleep(&(struct timespec){0, 2 * 1000000L}, NULL);
		if (conns_sweep(t, now) != 0)
			break;
	}
	assert_int_equal(now, 10000 + r.grace_ms);
	assert_true(cut(tr[1]));
	assert_false(cut(whole[1]));
	assert_int_equal(conns_sweep(t, 40000), 0); /* still unread: the server's */
	assert_false(cut(whole[1]));
	conns_free(t);
	for (int i = 0; i < 2; i++)
		close(tr[i]), close(whole[i]);
}

/* A slot in its grace when the server stopped keeps what it had left
 * (less stall_ms): the stop is not the client's. Headers sent in time
 * and read (nothing unread, never quiet long enough for the quiet rule)
 * are spared 5 s from 10,000; a 12 s stop comes at 10,250: cut at
 * 10,000 + 5,000 + 11,000 of the stop not the client's. Fails with the
 * grace renewed by the stop (cut at 27,250) or not kept (cut at once). */
static void
test_stall_keeps_grace(void **s)
{
	struct conns *t;
	struct conn_rules r = rules;
	int c[2];
	char b;
	uint64_t now;
	(void)s;
	r.stall_ms = 1000;
	r.quiet_ms = 600000;
	tcp_pair(c);
	assert_int_equal(conns_new(&t, 2, &r), 0);
	(void)conns_open(t, c[0], 0);
	assert_int_equal(write(c[1], "G", 1), 1);
	nanosleep(&(struct timespec){0, 2 * 1000000L}, NULL);
	assert_int_equal(conns_sweep(t, 9000), 0);
	assert_int_equal(conns_sweep(t, 10000), 0); /* late, unread: behind */
	assert_int_equal(read(c[0], &b, 1), 1);	    /* read, handler not yet run */
	assert_int_equal(conns_sweep(t, 10250), 0);
	assert_int_equal(conns_sweep(t, 22250), 0); /* stopped 12 s */
	assert_false(cut(c[1]));
	for (now = 22500; now <= 40000 && conns_sweep(t, now) == 0; now += 250)
		;
	assert_int_equal(now, 10000 + 5000 + 11000);
	assert_true(cut(c[1]));
	conns_free(t);
	close(c[0]);
	close(c[1]);
}

/* Time the server holds a body's bytes (sealing, the store) is not the
 * client's: no cut while held, and the window moves on by the time held;
 * a client still short after it is cut. */
static void
test_hold(void **s)
{
	struct conns *t;
	int sv[2];
	(void)s;
	pair(sv);
	assert_int_equal(conns_new(&t, 2, &rules), 0);
	struct conn_slot *c = conns_open(t, sv[0], 0);
	conns_phase(t, c, CP_BODY, 0);
	conns_bytes(t, c, 100);
	conns_hold(t, c, 1, 1000);
	assert_int_equal(conns_sweep(t, 20000), 0); /* held 19 s: the server's */
	assert_false(cut(sv[1]));
	conns_hold(t, c, 0, 20000); /* the window: 1 s of the client's so far */
	assert_int_equal(conns_sweep(t, 23999), 0);
	assert_false(cut(sv[1]));
	assert_int_equal(conns_sweep(t, 24000), 1); /* 5 s of the client's, 100 B */
	assert_true(cut(sv[1]));
	conns_close(t, c);
	/* a hold never released on a closed slot does not stick to the next */
	c = conns_open(t, sv[0], 30000);
	assert_int_equal(conns_sweep(t, 40000), 1);
	conns_close(t, c);
	conns_hold(t, NULL, 1, 0);
	conns_free(t);
	close(sv[0]);
	close(sv[1]);
}

static void
test_clock_backwards(void **s)
{
	struct conns *t;
	int sv[2];
	(void)s;
	pair(sv);
	assert_int_equal(conns_new(&t, 2, &rules), 0);
	(void)conns_open(t, sv[0], 50000);
	assert_int_equal(conns_sweep(t, 1000), 0);
	assert_false(cut(sv[1]));
	conns_free(t);
	close(sv[0]);
	close(sv[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_headers_deadline),
	    cmocka_unit_test(test_body_rate),
	    cmocka_unit_test(test_busy_and_keepalive),
	    cmocka_unit_test(test_slots_full_and_null),
	    cmocka_unit_test(test_server_behind),
	    cmocka_unit_test(test_read_not_handled),
	    cmocka_unit_test(test_start_late),
	    cmocka_unit_test(test_stall),
	    cmocka_unit_test(test_stall_repeated),
	    cmocka_unit_test(test_body_stall),
	    cmocka_unit_test(test_stall_keeps_grace),
	    cmocka_unit_test(test_sent_then_quiet),
	    cmocka_unit_test(test_trickler_unread_late),
	    cmocka_unit_test(test_hold),
	    cmocka_unit_test(test_clock_backwards),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
