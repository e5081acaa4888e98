/*
 * The limits the intake is measured against in make bench (not a test):
 *
 *   mini_server page PORT FILE    a minimal libmicrohttpd server answering
 *                                 every request with FILE's bytes (the
 *                                 intake's page, fetched in the same run)
 *   mini_server submit PORT DB RECIPIENT.pub
 *                                 reads a POSTed form (urlencoded or
 *                                 multipart) with MHD's post processor, seals
 *                                 all its field and file bytes once
 *                                 (crypto_box_seal to the reviewer's key) and
 *                                 makes one durable insert (SQLite, WAL,
 *                                 synchronous=FULL), then answers 200
 *   mini_server kdf SECONDS THREADS fresh|kept
 *                                 the production receipt KDF (Argon2id t=3,
 *                                 32 MiB) alone in THREADS threads: "fresh"
 *                                 as libsodium does it (memory mapped per
 *                                 call), "kept" with the worker's memory kept
 *                                 resident as the intake does (kdf_arena.c);
 *                                 prints derivations a second and CPU each
 *
 * Both servers use MHD's internal thread pool with epoll (the intake's set-
 * up), listen on 127.0.0.1 only, and run until SIGTERM. The page server
 * answers on the handler's second call (PERFORMANCE-NOTES.md, 1).
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "intake/http.h"

#define MS_BODY_MAX ((size_t)4 << 20)
#define MS_THREADS 4

static struct MHD_Response *page, *done_page;
static sqlite3 *db;
static sqlite3_stmt *ins;
static pthread_mutex_t db_mu = PTHREAD_MUTEX_INITIALIZER;
static uint8_t rpk[crypto_box_PUBLICKEYBYTES];
static int marker;

struct post {
	struct MHD_PostProcessor *pp;
	uint8_t *buf;
	size_t len, cap;
	int bad;
};

static enum MHD_Result
page_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *data, size_t *size, void **cc)
{
	(void)cls, (void)url, (void)method, (void)version, (void)data;
	if (*cc == NULL) {
		*cc = &marker;
		return MHD_YES;
	}
	*size = 0;
	return MHD_queue_response(c, MHD_HTTP_OK, page);
}

static enum MHD_Result
field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
    const char *ctype, const char *enc, const char *data, uint64_t off, size_t size)
{
	struct post *p = cls;
	(void)kind, (void)key, (void)filename, (void)ctype, (void)enc, (void)off;
	if (size > MS_BODY_MAX - p->len) {
		p->bad = 1;
		return MHD_NO;
	}
	if (p->len + size > p->cap) {
		size_t ncap = p->cap ? p->cap : 65536;
		while (ncap < p->len + size)
			ncap *= 2;
		uint8_t *nb = realloc(p->buf, ncap);
		if (nb == NULL) {
			p->bad = 1;
			return MHD_NO;
		}
		p->buf = nb;
		p->cap = ncap;
	}
	memcpy(p->buf + p->len, data, size);
	p->len += size;
	return MHD_YES;
}

/* Seal once, insert durably: what a submission costs without the KDF. */
static int
store(const struct post *p)
{
	size_t clen = p->len + crypto_box_SEALBYTES;
	uint8_t *ct = malloc(clen);
	int rc = -1;

	if (ct == NULL || crypto_box_seal(ct, p->buf, p->len, rpk) != 0)
		goto out;
	pthread_mutex_lock(&db_mu);
	sqlite3_reset(ins);
	if (sqlite3_bind_blob(ins, 1, ct, (int)clen, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_step(ins) == SQLITE_DONE)
		rc = 0;
	sqlite3_clear_bindings(ins);
	pthread_mutex_unlock(&db_mu);
out:
	free(ct);
	return rc;
}

static enum MHD_Result
submit_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *data, size_t *size, void **cc)
{
	struct post *p = *cc;
	(void)cls, (void)url, (void)version;
	if (strcmp(method, "POST") != 0) {
		if (p == NULL) {
			*cc = &marker;
			return MHD_YES;
		}
		return MHD_queue_response(c, MHD_HTTP_OK, done_page);
	}
	if (p == NULL) {
		if ((p = calloc(1, sizeof(*p))) == NULL ||
		    (p->pp = MHD_create_post_processor(c, 65536, field, p)) == NULL) {
			free(p);
			return MHD_NO;
		}
		*cc = p;
		return MHD_YES;
	}
	if (*size > 0) {
		if (MHD_post_process(p->pp, data, *size) != MHD_YES)
			p->bad = 1;
		*size = 0;
		return MHD_YES;
	}
	int ok = !p->bad && store(p) == 0;
	return MHD_queue_response(c, ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, done_page);
}

static void
completed(void *cls, struct MHD_Connection *c, void **cc, enum MHD_RequestTerminationCode t)
{
	struct post *p = *cc;
	(void)cls, (void)c, (void)t;
	if (p != NULL && p != (void *)&marker) {
		MHD_destroy_post_processor(p->pp);
		free(p->buf);
		free(p);
	}
	*cc = NULL;
}

static int
open_db(const char *path)
{
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db,
		"PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
		"CREATE TABLE IF NOT EXISTS s(id INTEGER PRIMARY KEY, b BLOB NOT NULL);",
		NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO s(b) VALUES (?)", -1, &ins, NULL) != SQLITE_OK)
		return -1;
	return 0;
}

static int
read_pub(const char *path)
{
	/* The reviewer's key file is a text line; the limit needs only a key of
	 * the same kind, so a hash of the file stands in for it. */
	uint8_t seed[crypto_box_SEEDBYTES], sk[crypto_box_SECRETKEYBYTES], buf[4096];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	crypto_generichash(seed, sizeof(seed), buf, n, NULL, 0);
	return crypto_box_seed_keypair(rpk, sk, seed);
}

static double
cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile int kdf_stop;
static int kdf_kept;
static uint64_t kdf_count[HTTP_KDF_CONCURRENCY * 8];

static void *
kdf_worker(void *arg)
{
	uint64_t *count = arg;
	uint8_t out[64], salt[crypto_pwhash_SALTBYTES] = {1};
	char pass[] = "ABCD-EFGH-JKMN-PQRS-TVWX";

	while (!kdf_stop) {
		int armed = kdf_kept && kdf_arena_arm((uint64_t)32 << 20) == 0;
		if (crypto_pwhash(out, sizeof(out), pass, sizeof(pass) - 1, salt, 3,
			(size_t)32 << 20, crypto_pwhash_ALG_ARGON2ID13) != 0)
			break;
		if (armed)
			kdf_arena_disarm();
		(*count)++;
	}
	kdf_arena_release();
	return NULL;
}

static int
kdf_main(double secs, int threads, const char *mode)
{
	pthread_t th[HTTP_KDF_CONCURRENCY * 8];
	uint64_t total = 0;

	if (threads <= 0 || threads > HTTP_KDF_CONCURRENCY * 8 || secs <= 0)
		return 2;
	kdf_kept = strcmp(mode, "kept") == 0;
	double c0 = cpu_s(), t0 = now_s();
	for (int i = 0; i < threads; i++)
		if (pthread_create(&th[i], NULL, kdf_worker, &kdf_count[i]) != 0)
			return 1;
	while (now_s() - t0 < secs)
		usleep(20000);
	kdf_stop = 1;
	for (int i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		total += kdf_count[i];
	}
	double el = now_s() - t0, cpu = cpu_s() - c0;
	printf("derivations %llu seconds %.2f rate %.2f cpu_ms_per %.1f\n", (unsigned long long)total,
	    el, (double)total / el, total ? cpu * 1e3 / (double)total : 0.0);
	return 0;
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	struct sockaddr_in a = {.sin_family = AF_INET};
	sigset_t ss;
	int sig;

	if (sodium_init() < 0)
		return 1;
	if (argc == 5 && strcmp(argv[1], "kdf") == 0)
		return kdf_main(atof(argv[2]), atoi(argv[3]), argv[4]);
	if (argc < 4 || (strcmp(argv[1], "page") != 0 && strcmp(argv[1], "submit") != 0)) {
		fprintf(stderr, "usage: mini_server page PORT FILE | submit PORT DB RECIPIENT.pub | "
				"kdf SECONDS THREADS fresh|kept\n");
		return 2;
	}
	a.sin_port = htons((uint16_t)atoi(argv[2]));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (strcmp(argv[1], "page") == 0) {
		FILE *f = fopen(argv[3], "rb");
		static char body[1 << 20];
		size_t n = f ? fread(body, 1, sizeof(body), f) : 0;
		if (f)
			fclose(f);
		if (n == 0)
			return 1;
		page = MHD_create_response_from_buffer(n, body, MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(page, "Content-Type", "text/html; charset=utf-8");
	} else {
		static char ok[] = "<!doctype html><title>ok</title><p>received</p>\n";
		if (argc != 5 || open_db(argv[3]) != 0 || read_pub(argv[4]) != 0)
			return 1;
		done_page = MHD_create_response_from_buffer(sizeof(ok) - 1, ok, MHD_RESPMEM_PERSISTENT);
	}
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	pthread_sigmask(SIG_BLOCK, &ss, NULL);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL,
	    page ? page_handler : submit_handler, NULL, MHD_OPTION_SOCK_ADDR, &a,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)MS_THREADS, MHD_OPTION_NOTIFY_COMPLETED,
	    completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
	if (d == NULL)
		return 1;
	sigwait(&ss, &sig);
	MHD_stop_daemon(d);
	if (ins)
		sqlite3_finalize(ins);
	if (db)
		sqlite3_close(db);
	return 0;
}
