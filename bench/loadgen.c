/*
 * HTTP load generator for make bench (not a test): C clients, each on its
 * own keep-alive connection to 127.0.0.1:PORT, send the same raw request
 * (a file holding request line, headers and body) for S seconds and time
 * every answer. Prints one line:
 *   ok N other N errors N seconds S rate R p50_ms X p99_ms Y
 * where ok counts answers with the expected status (default: any 2xx or
 * 3xx), rate is ok per second, and the percentiles are over the ok answers.
 * A connection the server closes is reopened (and counted once in errors
 * if that fails). Loopback only: the address is fixed.
 *
 *   loadgen --port P --clients C --seconds S --request FILE [--expect CODE]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LG_MAX_CLIENTS 1024
#define LG_MAX_SAMPLES (1u << 20) /* per client */
#define LG_HDR_MAX 65536

static int port, expect, nclients;
static double seconds;
static char *req;
static size_t reqlen;
static volatile int stop;

struct client {
	pthread_t th;
	uint32_t *lat_us; /* ok answers' latencies */
	size_t n, other, errors;
};

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
dial(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads one response; returns its status, -1 on error. *close_after set
 * when the server says it closes. Bodies: Content-Length or chunked. */
static int
read_response(int fd, char *buf, int *close_after)
{
	size_t have = 0, hdr_end = 0;
	long long clen = -1;
	int status = -1, chunked = 0;

	*close_after = 0;
	while (hdr_end == 0) {
		ssize_t r = recv(fd, buf + have, LG_HDR_MAX - 1 - have, 0);
		if (r <= 0)
			return -1;
		have += (size_t)r;
		buf[have] = '\0';
		char *e = strstr(buf, "\r\n\r\n");
		if (e != NULL)
			hdr_end = (size_t)(e - buf) + 4;
		else if (have >= LG_HDR_MAX - 1)
			return -1;
	}
	if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	for (char *l = strstr(buf, "\r\n"); l != NULL && (size_t)(l - buf) < hdr_end;
	     l = strstr(l + 2, "\r\n")) {
		if (strncasecmp(l + 2, "Content-Length:", 15) == 0)
			clen = atoll(l + 17);
		else if (strncasecmp(l + 2, "Transfer-Encoding: chunked", 26) == 0)
			chunked = 1;
		else if (strncasecmp(l + 2, "Connection: close", 17) == 0)
			*close_after = 1;
	}
	size_t body = have - hdr_end;
	if (!chunked) {
		if (clen < 0) { /* until close */
			*close_after = 1;
			for (;;) {
				ssize_t r = recv(fd, buf, LG_HDR_MAX, 0);
				if (r <= 0)
					return status;
			}
		}
		while ((long long)body < clen) {
			ssize_t r = recv(fd, buf, LG_HDR_MAX, 0);
			if (r <= 0)
				return -1;
			body += (size_t)r;
		}
		return status;
	}
	/* chunked: keep the tail in buf and look for the last chunk */
	memmove(buf, buf + hdr_end, body);
	have = body;
	buf[have] = '\0';
	for (;;) {
		if (have >= 5 && memcmp(buf + have - 5, "0\r\n\r\n", 5) == 0)
			return status;
		if (have > 8) {
			memmove(buf, buf + have - 8, 8);
			have = 8;
		}
		ssize_t r = recv(fd, buf + have, LG_HDR_MAX - 1 - have, 0);
		if (r <= 0)
			return -1;
		have += (size_t)r;
	}
}

static void *
run(void *arg)
{
	struct client *c = arg;
	char *buf = malloc(LG_HDR_MAX);
	int fd = -1, cl;

	if (buf == NULL)
		return NULL;
	while (!stop) {
		if (fd < 0 && (fd = dial()) < 0) {
			c->errors++;
			usleep(10000);
			continue;
		}
		double t0 = now_s();
		int s = send_all(fd, req, reqlen) == 0 ? read_response(fd, buf, &cl) : -1;
		double t1 = now_s();
		if (s < 0) {
			if (!stop)
				c->errors++;
			close(fd);
			fd = -1;
			continue;
		}
		if ((expect ? s == expect : s >= 200 && s < 400) && c->n < LG_MAX_SAMPLES)
			c->lat_us[c->n++] = (uint32_t)((t1 - t0) * 1e6);
		else
			c->other++;
		if (cl) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (p = malloc((size_t)n)) == NULL ||
	    fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	if (f != NULL)
		fclose(f);
	*len = p ? (size_t)n : 0;
	return p;
}

int
main(int argc, char **argv)
{
	const char *file = NULL;
	struct client *cs;
	size_t total = 0, other = 0, errors = 0, k = 0;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--port") == 0)
			port = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--clients") == 0)
			nclients = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = atof(argv[i + 1]);
		else if (strcmp(argv[i], "--request") == 0)
			file = argv[i + 1];
		else if (strcmp(argv[i], "--expect") == 0)
			expect = atoi(argv[i + 1]);
	}
	if (port <= 0 || port > 65535 || nclients <= 0 || nclients > LG_MAX_CLIENTS ||
	    seconds <= 0 || file == NULL) {
		fprintf(stderr, "usage: loadgen --port P --clients C --seconds S --request FILE "
				"[--expect CODE]\n");
		return 2;
	}
	if ((req = slurp(file, &reqlen)) == NULL) {
		fprintf(stderr, "loadgen: cannot read %s\n", file);
		return 1;
	}
	if ((cs = calloc((size_t)nclients, sizeof(*cs))) == NULL)
		return 1;
	double t0 = now_s();
	for (int i = 0; i < nclients; i++) {
		if ((cs[i].lat_us = malloc(LG_MAX_SAMPLES * sizeof(uint32_t))) == NULL ||
		    pthread_create(&cs[i].th, NULL, run, &cs[i]) != 0)
			return 1;
	}
	while (now_s() - t0 < seconds)
		usleep(20000);
	stop = 1;
	/* Requests in flight finish (a KDF answer can take a while). */
	for (int i = 0; i < nclients; i++)
		pthread_join(cs[i].th, NULL);
	double el = now_s() - t0;
	for (int i = 0; i < nclients; i++) {
		total += cs[i].n;
		other += cs[i].other;
		errors += cs[i].errors;
	}
	uint32_t *all = malloc((total ? total : 1) * sizeof(uint32_t));
	if (all == NULL)
		return 1;
	for (int i = 0; i < nclients; i++) {
		memcpy(all + k, cs[i].lat_us, cs[i].n * sizeof(uint32_t));
		k += cs[i].n;
		free(cs[i].lat_us);
	}
	qsort(all, total, sizeof(uint32_t), cmp_u32);
	printf("ok %zu other %zu errors %zu seconds %.2f rate %.1f p50_ms %.2f p99_ms %.2f\n", total,
	    other, errors, el, (double)total / el, total ? all[total / 2] / 1e3 : 0.0,
	    total ? all[(total * 99) / 100] / 1e3 : 0.0);
	free(all);
	free(cs);
	free(req);
	return 0;
}
