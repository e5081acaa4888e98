/*
 * Candour intake storage benchmark, each figure next to the limit it is
 * built on, measured in the same run (the machines are noisy: read the
 * ratios, not the absolute figures).
 *
 *   make bench      (or: make B=build build/bench/bench_store && build/bench/bench_store [N] [MiB])
 *
 * 1. a submission's storage path through the store process (UPLOAD_BEGIN,
 *    DATA 4.5 KiB, END, COMMIT: staging write + durable record commit)
 *    vs the floor: one 4.5 KiB row per transaction, WAL, synchronous=FULL,
 *    in a plain SQLite file in the same directory;
 * 2. one large attachment streamed into the store, with the store's peak
 *    RSS, then exported to a bundle and the bundle verified, vs BLAKE2b
 *    over the same number of bytes in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "intake/store_int.h"

#define BODY 4608
#define PIECE 65536

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static long
vm_hwm_kib(pid_t pid)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			v = atol(line + 6);
	fclose(f);
	return v;
}

static double
floor_rate(const char *path, int n, const uint8_t *body)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	double t0;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db,
		"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		"CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)",
		NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO t(b) VALUES (?)", -1, &st, NULL) != SQLITE_OK)
		return 0;
	t0 = now();
	for (int i = 0; i < n; i++) {
		sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		sqlite3_bind_blob(st, 1, body, BODY, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_reset(st);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	t0 = now() - t0;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n / t0;
}

/* The staging floor: 64 KiB rows, one per autocommit, WAL, NORMAL. */
static double
floor_big_s(const char *path, size_t big, const uint8_t *piece)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	double t0;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db,
		"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
		"CREATE TABLE c(u INTEGER, i INTEGER, d BLOB, PRIMARY KEY (u, i))",
		NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO c VALUES (1, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return 0;
	t0 = now();
	for (size_t i = 0; i < big / PIECE; i++) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
		sqlite3_bind_blob(st, 2, piece, PIECE, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	t0 = now() - t0;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return t0;
}

/* Concern bodies must start with a well-formed envelope header (the store
 * reads its recipients at commit): a real one, sealed once, over the
 * random bytes. */
static void
with_header(uint8_t *buf, size_t len)
{
	static uint8_t *hdr;
	static size_t hlen;
	if (hdr == NULL) {
		struct cc_recipient r;
		randombytes_buf(&r, sizeof(r));
		if (cc_env_seal(CC_KIND_CONCERN, &r, 1, (const uint8_t *)"", 0, &hdr, &hlen) != 0)
			abort();
		hlen = 12 + 88 + 24; /* one recipient's header */
	}
	memcpy(buf, hdr, hlen < len ? hlen : len);
}

static int
commit_one(struct store_conn *c, const struct cc_rcpt_params *p, const uint8_t *buf, size_t len,
    size_t piece)
{
	struct store_commit sc;
	uint64_t h, got, seq;
	uint8_t hash[CC_HASH_BYTES], link[CC_HASH_BYTES];

	memset(&sc, 0, sizeof(sc));
	randombytes_buf(sc.reporter_pk, CC_BOX_PK);
	randombytes_buf(sc.lookup, CC_HASH_BYTES);
	sc.rcpt_ops = p->opslimit, sc.rcpt_mem = p->memlimit;
	if (storec_upload_begin(c, &h) != 0)
		return -1;
	for (size_t off = 0; off < len; off += piece)
		if (storec_upload_data(c, h, buf, piece < len - off ? piece : len - off) != 0)
			return -1;
	if (storec_upload_end(c, h, &got, hash) != 0)
		return -1;
	sc.nhandles = 1;
	sc.handles[0] = h;
	return storec_commit(c, &sc, &seq, link);
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	size_t big = (size_t)(argc > 2 ? atoi(argv[2]) : 200) << 20;
	char dir[] = "/tmp/candour-bench-store.XXXXXX", db[128], fl[128], out[128], cmd[160];
	uint8_t body[BODY], *piece = malloc(PIECE), *sk = NULL, pk[CC_SIGN_PK];
	double *lat = malloc((size_t)n * sizeof(double)), t0, floor, rate;
	struct store_conn *c;
	struct cc_rcpt_params p;
	int sv[2], st;
	pid_t pid;

	if (cc_init() != 0 || mkdtemp(dir) == NULL || piece == NULL || lat == NULL)
		return 1;
	setenv(STORE_KDF_ENV, "min", 1);
	setenv(STORE_KDF_TEST_ENV, "1", 1);
	snprintf(db, sizeof(db), "%s/intake.db", dir);
	snprintf(fl, sizeof(fl), "%s/floor.db", dir);
	snprintf(out, sizeof(out), "%s/export.bundle", dir);
	randombytes_buf(body, sizeof(body));
	with_header(body, sizeof(body));
	randombytes_buf(piece, PIECE);
	sk = sodium_malloc(CC_SIGN_SK);
	if (intake_signkey_load(db, pk, sk, 1) != 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0)
		return 1;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		close(sv[0]);
		_exit(store_serve(sv[1], db, 0) == 0 ? 0 : 1);
	}
	close(sv[1]);
	if (storec_open(sv[0], &c) != 0 || storec_params(c, &p) != 0)
		return 1;

	floor = floor_rate(fl, n, body);
	t0 = now();
	for (int i = 0; i < n; i++) {
		double a = now();
		if (commit_one(c, &p, body, BODY, BODY) != 0)
			return 1;
		lat[i] = now() - a;
	}
	rate = n / (now() - t0);
	qsort(lat, (size_t)n, sizeof(double), cmp);
	printf("submission storage (4.5 KiB, begin/data/end/commit): %.0f/s, p50 %.2f ms, "
	       "p99 %.2f ms\n",
	    rate, lat[n / 2] * 1e3, lat[n * 99 / 100] * 1e3);
	printf("floor (one 4.5 KiB row per txn, WAL, FULL): %.0f/s; ratio %.2f\n", floor,
	    rate / floor);

	t0 = now();
	uint8_t *bigbuf = malloc(big);
	for (size_t off = 0; off < big; off += PIECE)
		memcpy(bigbuf + off, piece, big - off < PIECE ? big - off : PIECE);
	with_header(bigbuf, big);
	if (commit_one(c, &p, bigbuf, big, PIECE) != 0)
		return 1;
	double up = now() - t0;
	long hwm = vm_hwm_kib(pid);
	snprintf(fl, sizeof(fl), "%s/floor-big.db", dir);
	double fb = floor_big_s(fl, big, piece);
	printf("%zu MiB attachment into the store: %.2f s, store peak RSS %ld KiB\n", big >> 20, up,
	    hwm);
	printf("floor (64 KiB rows, autocommit, WAL, NORMAL): %.2f s; ratio %.2f\n", fb, fb / up);
	storec_close(c);
	waitpid(pid, &st, 0);
	uint8_t h[CC_HASH_BYTES];
	t0 = now();
	cc_hash(bigbuf, big, h);
	double hh = now() - t0;
	free(bigbuf); /* before forking the export, so its RSS is its own */
	fflush(stdout);

	if ((pid = fork()) == 0) {
		char *av[] = {"export", "--db", db, "--out", out, NULL};
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(1);
		_exit(cmd_export(5, av));
	}
	t0 = now();
	waitpid(pid, &st, 0);
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("export of %d records + %zu MiB: %.2f s (exit %d), peak RSS %ld KiB\n", n + 1,
	    big >> 20, now() - t0, WEXITSTATUS(st), ru.ru_maxrss);

	struct bundle_r *r;
	t0 = now();
	if (bundle_r_open(out, &r) != 0 || bundle_r_verify(r, pk) != 0)
		return 1;
	double v = now() - t0;
	bundle_r_close(r);
	printf("bundle open+verify: %.2f s; BLAKE2b of the attachment in memory: %.2f s; ratio "
	       "%.2f\n",
	    v, hh, v / hh);
	sodium_free(sk);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : 1;
}
