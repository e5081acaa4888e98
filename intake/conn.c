/*
 * Deadlines for slow clients, with no per-person state: each connection
 * has a slot saying what it waits for and since when. conns_sweep (run
 * every HTTP_SWEEP_MS by http_run's own thread) shuts down the socket of a
 * connection whose request headers have not all come within the header
 * deadline, or whose body carried fewer than the minimum bytes a second
 * over a window (the first window is the grace), unless what the client
 * sent waits unread (conns_unread). Time the server spends on a body's
 * bytes (conns_hold: sealing, the store) is not counted in the window:
 * under a flood or a slow disk that time is the server's, and a request
 * sent in time was cut with no answer at all. libmicrohttpd then reads
 * the end of the stream and closes the connection itself, calling the
 * request-completed callback as for any client that went away.
 *
 * Unread bytes are only seen while they wait: once libmicrohttpd has read
 * a request (on a starved machine, seconds after it came) its thread may
 * be preempted before it runs the handler, and a sweep then saw a request
 * past its deadline with nothing unread and cut it unanswered (tests/flood
 * at 500 connections: 71 of 1,537). So a request whose headers the
 * server was seen behind on (bytes unread at a sweep, or a deadline that
 * passed while the whole process was starved: a sweep itself late by
 * stall_ms) is spared for grace_ms of the server's time after it was
 * last seen so (a stall does not count; a body keeps the rule above: the grace let
 * a body trickler on a loaded machine live a window longer); one whose
 * headers come in past their deadline is answered 503 busy by the
 * handler (conns_start), which costs the starved server
 * nothing more. A client that is slow by itself is never seen behind once
 * the server has read what it sent, and is cut as before. Past the
 * deadline only bytes that came by it count as unread (conns_unread_due):
 * a trickler caught with a newer byte unread gains nothing, so it lives
 * at most grace_ms after the server last was behind on what it sent in
 * time.
 *
 * A slot is freed (conns_close) from libmicrohttpd's connection-closed
 * notification, which comes before it closes the socket, and the sweep
 * shuts sockets down under the same mutex: a socket number is never shut
 * down after it was closed and reused.
 */
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <sodium.h>

#include <linux/tcp.h> /* tcpi_bytes_received: glibc's tcp_info lacks it */

#include "intake/http.h"

struct conn_slot {
	int fd; /* -1: free */
	int phase;
	uint64_t since_ms; /* phase start; for CP_BODY the current window's */
	uint64_t bytes;	   /* body bytes so far */
	uint64_t win_bytes; /* bytes at the window's start */
	uint64_t held_ms;   /* 0, or since when the server works on its bytes */
	uint64_t behind_ms; /* 0, or when the server was last seen behind on it */
	uint64_t rx0;	    /* bytes the kernel had received when the phase began */
	uint64_t rx_due;    /* ... at the first sweep past the header deadline */
	int due_seen;	    /* rx_due is set */
	int late;	    /* past its header deadline, spared: the server's fault */
};

struct conns {
	pthread_mutex_t mu;
	struct conn_rules r;
	uint64_t swept_ms; /* the last sweep, 0 before the first */
	size_t cap, used;
	char peek[HTTP_CONN_MEMORY]; /* conns_unread_due's, under mu */
	struct conn_slot s[];
};

int
conns_new(struct conns **out, size_t cap, const struct conn_rules *r)
{
	struct conns *t;

	*out = NULL;
	if (cap == 0 || cap > INTAKE_MAX_CONNECTIONS * 2)
		return -1;
	if ((t = calloc(1, sizeof(*t) + cap * sizeof(t->s[0]))) == NULL)
		return -1;
	if (pthread_mutex_init(&t->mu, NULL) != 0) {
		free(t);
		return -1;
	}
	t->r = *r;
	t->cap = cap;
	for (size_t i = 0; i < cap; i++)
		t->s[i].fd = -1;
	*out = t;
	return 0;
}

void
conns_free(struct conns *t)
{
	if (t == NULL)
		return;
	pthread_mutex_destroy(&t->mu);
	free(t);
}

struct conn_slot *
conns_open(struct conns *t, int fd, uint64_t now_ms)
{
	struct conn_slot *s = NULL;

	pthread_mutex_lock(&t->mu);
	for (size_t i = 0; i < t->cap; i++)
		if (t->s[i].fd < 0) {
			s = &t->s[i];
			s->fd = fd;
			s->phase = CP_HEADERS;
			s->since_ms = now_ms;
			s->bytes = s->win_bytes = 0;
			s->held_ms = 0;
			s->behind_ms = 0;
			s->rx0 = 0; /* what came before accept counts as sent */
			s->due_seen = 0;
			s->late = 0;
			t->used++;
			break;
		}
	pthread_mutex_unlock(&t->mu);
	return s;
}

void
conns_close(struct conns *t, struct conn_slot *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&t->mu);
	if (s->fd >= 0)
		t->used--;
	s->fd = -1;
	pthread_mutex_unlock(&t->mu);
}

/* What the kernel knows of the client's sending, whether or not the
 * server has read it: bytes received on the connection and ms since the
 * last of them. -1 when it cannot say (not TCP: the tests' socketpairs). */
static int
conns_tcp(int fd, uint64_t *rx, uint64_t *quiet_ms)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
	    len < offsetof(struct tcp_info, tcpi_bytes_received) + sizeof(ti.tcpi_bytes_received))
		return -1;
	*rx = ti.tcpi_bytes_received;
	*quiet_ms = ti.tcpi_last_data_recv;
	return 0;
}

void
conns_phase(struct conns *t, struct conn_slot *s, int phase, uint64_t now_ms)
{
	uint64_t rx = 0, quiet;

	if (s == NULL)
		return;
	/* a kept-alive connection's next request: what it sends from now */
	if (phase == CP_HEADERS && s->fd >= 0 && conns_tcp(s->fd, &rx, &quiet) != 0)
		rx = 0;
	pthread_mutex_lock(&t->mu);
	s->rx0 = rx;
	if (s->phase != CP_CUT) {
		s->phase = phase;
		s->since_ms = now_ms;
		s->bytes = s->win_bytes = 0;
		s->behind_ms = 0;
		s->due_seen = 0;
		s->late = 0;
	}
	pthread_mutex_unlock(&t->mu);
}

int
conns_start(struct conns *t, struct conn_slot *s, int phase, uint64_t now_ms)
{
	int late = 0;

	if (s == NULL)
		return 0;
	pthread_mutex_lock(&t->mu);
	if (s->phase == CP_HEADERS)
		late = s->late || (now_ms >= s->since_ms && now_ms - s->since_ms >= t->r.header_ms);
	pthread_mutex_unlock(&t->mu);
	conns_phase(t, s, phase, now_ms);
	return late;
}

void
conns_bytes(struct conns *t, struct conn_slot *s, uint64_t n)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&t->mu);
	s->bytes += n;
	pthread_mutex_unlock(&t->mu);
}

void
conns_hold(struct conns *t, struct conn_slot *s, int on, uint64_t now_ms)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&t->mu);
	if (on)
		s->held_ms = now_ms > 0 ? now_ms : 1;
	else if (s->held_ms != 0) {
		if (now_ms > s->held_ms)
			s->since_ms += now_ms - s->held_ms; /* the server's time, not the client's */
		s->held_ms = 0;
	}
	pthread_mutex_unlock(&t->mu);
}

size_t
conns_count(struct conns *t)
{
	pthread_mutex_lock(&t->mu);
	size_t n = t->used;
	pthread_mutex_unlock(&t->mu);
	return n;
}

/* 1 when bytes the client sent still wait in the kernel, unread: then the
 * server is behind (its thread busy with another request, under a flood
 * or a slow disk), not the client, and cutting would drop a request that
 * came in time with no answer at all. Once the server has read what
 * came, a client that is really slow misses the deadline at the next
 * sweep. */
static int
conns_unread(int fd)
{
	char b;
	return recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

/* Past the header deadline, unread bytes make the server the slow one
 * only if they came by the deadline: a trickler's byte sent since then
 * cannot make its headers timely, and a trickler caught with one unread
 * at every few sweeps renewed grace_ms for ever (e2e 28 under load: one
 * libmicrohttpd thread's 256 tricklers, read late at each burst, never
 * cut). The kernel's count of bytes received at the first late sweep
 * marks the deadline; 1 while more than those since are unread (a peek).
 * unread: any byte unread; when the kernel cannot say (not TCP), or the
 * bytes since are more than libmicrohttpd holds for headers (it refuses
 * such a request itself), that. */
static int
conns_unread_due(struct conns *t, struct conn_slot *s, int unread)
{
	uint64_t rx, quiet;

	if (conns_tcp(s->fd, &rx, &quiet) != 0)
		return unread;
	if (!s->due_seen) {
		s->rx_due = rx;
		s->due_seen = 1;
	}
	uint64_t since = rx - s->rx_due;
	if (!unread || since >= sizeof(t->peek))
		return unread;
	ssize_t n = recv(s->fd, t->peek, (size_t)since + 1, MSG_PEEK | MSG_DONTWAIT);
	if (n > 0) /* a late request's headers may carry a session cookie */
		sodium_memzero(t->peek, (size_t)n);
	return n > (ssize_t)since;
}

static uint64_t
min_ms(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* 1 when a request's headers are past their deadline with nothing unread
 * and the client did send in this phase and has then been quiet for
 * quiet_ms: its whole request may sit read in libmicrohttpd's buffer
 * while the thread that read it waits for the CPU (a recv's return is
 * where a starved thread is preempted; seen at 500 connections, the
 * thread then waited over 10 s). A client that sent nothing (idle) or is
 * still sending (a trickler) is the slow one. One that sent part of its
 * headers and went quiet cannot be told from it: it is held at most one
 * more header deadline (or libmicrohttpd's idle timeout, serve --timeout,
 * if shorter). */
static int
conns_sent_quiet(const struct conns *t, const struct conn_slot *s, uint64_t now_ms)
{
	uint64_t rx, quiet;

	if (now_ms - s->since_ms >= 2 * t->r.header_ms || conns_tcp(s->fd, &rx, &quiet) != 0)
		return 0;
	return rx > s->rx0 && quiet >= t->r.quiet_ms;
}

size_t
conns_sweep(struct conns *t, uint64_t now_ms)
{
	size_t cut = 0;

	pthread_mutex_lock(&t->mu);
	/* this thread did not run for stall_ms: neither did the server's */
	int stalled = t->r.stall_ms != 0 && t->swept_ms != 0 && now_ms > t->swept_ms &&
		      now_ms - t->swept_ms >= t->r.stall_ms;
	/* and how much of the time since the sweep before was not the
	 * server's (a stall beyond stall_ms): deadlines and windows run on
	 * the server's time */
	uint64_t prev_ms = t->swept_ms, gone = stalled ? now_ms - t->swept_ms - t->r.stall_ms : 0;
	t->swept_ms = now_ms;
	for (size_t i = 0; i < t->cap; i++) {
		struct conn_slot *s = &t->s[i];
		int late = 0;
		if (s->fd < 0 || s->held_ms != 0 || now_ms < s->since_ms ||
		    (s->phase != CP_HEADERS && s->phase != CP_BODY))
			continue;
		int unread = conns_unread(s->fd);
		if (s->phase == CP_HEADERS) {
			late = now_ms - s->since_ms >= t->r.header_ms;
			if (late)
				unread = conns_unread_due(t, s, unread);
			/* A stall excuses a deadline that passed while the
			 * server did not run (after the sweep before), and
			 * the grace runs on the server's time: a slot already
			 * in its grace keeps what it had left, less stall_ms.
			 * Renewing every header slot's grace at each stalled
			 * sweep kept a silent client past its deadline for as
			 * long as the machine stayed starved (2026-12-07);
			 * renewing none cut requests whose grace ran out
			 * while the server was stopped (flood --stall). */
			if (unread || (stalled && s->since_ms + t->r.header_ms > prev_ms))
				s->behind_ms = now_ms;
			else if (stalled && s->behind_ms != 0 && s->behind_ms < now_ms)
				s->behind_ms += min_ms(gone, now_ms - s->behind_ms);
		} else if (s->phase == CP_BODY && gone > 0) {
			/* a body's window too: one sent in time, then the
			 * process stopped, was cut at the first sweep after
			 * (flood --stall: 2 runs in 10 lost a submission) */
			s->since_ms += min_ms(gone, now_ms - s->since_ms);
		}
		if (s->phase == CP_BODY && now_ms - s->since_ms >= t->r.window_ms) {
			uint64_t want = t->r.min_rate * (now_ms - s->since_ms) / 1000;
			late = s->bytes - s->win_bytes < want;
			s->since_ms = now_ms; /* the next window */
			s->win_bytes = s->bytes;
		}
		if (!late)
			continue;
		/* A body's bytes go to the handler as they are read (its rate
		 * counts those): only unread ones are the server's. */
		if (unread) {
			s->late = s->phase == CP_HEADERS; /* answered 503 once in */
		} else if (s->phase == CP_HEADERS &&
			   ((s->behind_ms != 0 && now_ms - s->behind_ms < t->r.grace_ms) ||
			       conns_sent_quiet(t, s, now_ms))) {
			s->late = 1;
		} else {
			(void)shutdown(s->fd, SHUT_RDWR);
			s->phase = CP_CUT;
			cut++;
		}
	}
	pthread_mutex_unlock(&t->mu);
	return cut;
}
