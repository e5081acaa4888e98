/*
 * Referrals benchmark (not a test): generates a register of ROWS rows and
 * CONCERNS concern texts deterministically, then times, each phase in its
 * own child process so that its peak RSS is its own:
 *
 *   parse     read and parse the CSV only (ref_csv + ref_map)    limit
 *   sqlite    insert the rows unencrypted into a plain table     limit
 *   import    `referrals import` work: map, seal, index, insert  Candour
 *   plainlink look up each extracted reference in the plain table limit
 *   link      extract + classify (exact/near/missing) + store    Candour
 *
 * and prints the Candour figures beside the same-run limits.
 *
 *   bench_ref [--rows N] [--concerns N] [--dir DIR] [--gen-only]
 *   bench_ref --dir DIR --phase import|link|...   (one phase in-process, for perf)
 *
 * Defaults: 1,000,000 rows, 100,000 concerns, a temporary directory that
 * is removed afterwards. The generator is a fixed-seed splitmix64: the same
 * arguments always give byte-identical files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "review/cb_internal.h"
#include "review/ref.h"
#include "review/review.h"
#include "util/util.h"

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static uint64_t
next(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static unsigned
pick(unsigned n)
{
	return (unsigned)(next() % n);
}

static void
date_out(FILE *f, int32_t d, int slash)
{
	char iso[11];

	ref_date_format(d, iso);
	if (slash)
		fprintf(f, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	else
		fputs(iso, f);
}

static void
ref_of(unsigned long i, char *out, size_t len)
{
	snprintf(out, len, "REF/%04lu/%05lu", 2015 + i / 100000, i % 100000);
}

static int
gen_register(const char *path, unsigned long rows)
{
	static const char *const teams[] = {
	    "North", "South", "\"East, duty\"", "West", "Disabled children"};
	static const char *const agencies[] = {"Police", "Health", "School", "Family", "Anonymous"};
	FILE *f = fopen(path, "w");
	int32_t base;
	char ref[32];

	if (f == NULL || ref_date_parse("2015-01-01", 10, &base) != 0)
		return -1;
	fputs("\xef\xbb\xbfReferral Ref,Date Received,Source Agency,Team,Decision,Decision Date,"
	      "Strategy Discussion Date,S47 Start Date,ICPC Date,Status,Date Closed,Closure "
	      "Reason\r\n",
	    f);
	for (unsigned long i = 0; i < rows; i++) {
		int32_t rec = base + (int32_t)pick(4300), dd = rec + (int32_t)pick(3);
		unsigned kind = pick(10), slash = pick(2);
		int closed = pick(3) != 0;

		ref_of(i, ref, sizeof(ref));
		fprintf(f, "%s,", ref);
		date_out(f, rec, slash);
		fprintf(f, ",%s,%s,", agencies[pick(5)], teams[pick(5)]);
		if (kind < 5) {
			fputs("NFA,", f);
			date_out(f, dd, slash);
			fputs(",,,,", f);
		} else if (kind < 8) {
			fputs("s17 assessment,", f);
			date_out(f, dd, slash);
			fputs(",,,,", f);
		} else {
			int32_t sd = dd + (int32_t)pick(6);
			fputs("Strategy discussion / s47,", f);
			date_out(f, dd, slash);
			fputc(',', f);
			date_out(f, sd, slash);
			fputc(',', f);
			date_out(f, sd, slash);
			fputc(',', f);
			if (pick(2))
				date_out(f, sd + 10 + (int32_t)pick(15), slash);
			fputc(',', f);
		}
		if (closed) {
			fputs("Closed,", f);
			date_out(f, rec + 1 + (int32_t)pick(120), slash);
			fputs(
			    kind < 5 ? ",No further action\r\n" : ",\"Plan ended, child safe\"\r\n",
			    f);
		} else {
			fputs("Open,,\r\n", f);
		}
	}
	return fclose(f);
}

/* One concern per line: 1-3 references, 70% in the register, 15% one edit
 * away, 15% never recorded, written in the ways people write them. */
static int
gen_concerns(const char *path, unsigned long n, unsigned long rows)
{
	FILE *f = fopen(path, "w");
	char ref[32];

	if (f == NULL)
		return -1;
	for (unsigned long c = 0; c < n; c++) {
		unsigned k = 1 + pick(3);
		fprintf(f, "Concern %lu: call me on 07700 900123 after 12/03/2024.", c);
		for (unsigned j = 0; j < k; j++) {
			unsigned long i = next() % rows, kind = pick(100);
			ref_of(i, ref, sizeof(ref));
			if (kind >= 70 && kind < 85) {
				ref[13] = ref[13] == '9' ? '0' : (char)(ref[13] + 1); /* one edit */
				if (pick(2)) { /* or a swap */
					ref_of(i, ref, sizeof(ref));
					char t = ref[12];
					ref[12] = ref[13];
					ref[13] = t;
				}
			} else if (kind >= 85) {
				snprintf(ref, sizeof(ref), "REF/%04u/%05u", 2030 + pick(5),
				    pick(100000));
			}
			switch (pick(3)) {
			case 0:
				fprintf(f, " The referral %s was binned.", ref);
				break;
			case 1:
				fprintf(f, " Police said ref %.4s/%s, nothing happened.", ref + 4,
				    ref + 9);
				break;
			default:
				fprintf(f, " See REF-%.4s-%s again", ref + 4, ref + 9);
			}
		}
		fputc('\n', f);
	}
	return fclose(f);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- phases (each runs in a child) ------------------------------------ */

static const char *dir;
static char regpath[600], conpath[600], plainpath[600], cbpath[600];

/* The register opened and its header mapped, for the two CSV phases. */
struct reg_reader {
	struct ref_config c;
	struct ref_csv_row row;
	struct ref_record rec;
	struct ref_csv *csv;
	struct ref_map m;
	char why[300];
};

static struct reg_reader *
reg_open(void)
{
	struct reg_reader *r = malloc(sizeof(*r));
	FILE *f = fopen(regpath, "r");

	if (r == NULL || f == NULL)
		return NULL;
	ref_config_default(&r->c);
	if (ref_csv_new(f, &r->csv) != 0 || ref_csv_next(r->csv, &r->row) != 1 ||
	    ref_map_header(&r->c, &r->row, &r->m, r->why, sizeof(r->why)) != 0)
		return NULL;
	return r;
}

static int
phase_parse(void)
{
	struct reg_reader *r = reg_open();
	unsigned long n = 0;

	if (r == NULL)
		return 1;
	while (ref_csv_next(r->csv, &r->row) == 1)
		if (ref_map_record(&r->c, &r->m, &r->row, &r->rec, r->why, sizeof(r->why)) == 0)
			n++;
	fprintf(stderr, "    parsed %lu rows\n", n);
	return 0;
}

static int
phase_sqlite(void)
{
	struct reg_reader *r = reg_open();
	sqlite3 *db;
	sqlite3_stmt *st;

	unlink(plainpath);
	if (r == NULL || sqlite3_open(plainpath, &db) != SQLITE_OK ||
	    sqlite3_exec(db,
		"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		"PRAGMA cache_size=-262144;"
		"CREATE TABLE reg(ref TEXT PRIMARY KEY, facts TEXT) WITHOUT ROWID; BEGIN",
		NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO reg VALUES(?,?)", -1, &st, NULL) != SQLITE_OK)
		return 1;
	while (ref_csv_next(r->csv, &r->row) == 1) {
		struct ref_csv_row *row = &r->row;
		if (ref_map_record(&r->c, &r->m, row, &r->rec, r->why, sizeof(r->why)) != 0)
			return 1;
		/* The facts as one text: the row as read, unencrypted. */
		size_t total = 0;
		char facts[4096];
		for (size_t i = 0; i < row->n && total + row->len[i] + 2 < sizeof(facts); i++) {
			memcpy(facts + total, row->f[i], row->len[i]);
			total += row->len[i];
			facts[total++] = '\n';
		}
		sqlite3_bind_text(st, 1, r->rec.ref, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, facts, (int)total, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			return 1;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK &&
		       sqlite3_close(db) == SQLITE_OK
		   ? 0
		   : 1;
}

static struct cc_seckey *bench_key;

static int
phase_import(void)
{
	struct ref_import_stats s;
	struct ref_config *c = malloc(sizeof(*c));
	struct casebook *cb;
	const char *why;
	char w[300];

	if (cb_open(cbpath, bench_key, &cb, &why) != 0 || cb_begin(cb) != 0)
		return 1;
	ref_config_default(c);
	double t0 = now(), t1, t2;
	if (ref_import_csv(cb, c, regpath, NULL, &s, w, sizeof(w)) != 0) {
		fprintf(stderr, "    %s\n", w);
		return 1;
	}
	t1 = now();
	if (cb_commit(cb) != 0)
		return 1;
	t2 = now();
	cb_close(cb);
	fprintf(stderr, "    imported %zu rows (rows %.2f s, commit %.2f s, close %.2f s)\n",
	    s.rows, t1 - t0, t2 - t1, now() - t2);
	return 0;
}

/* Concern n's id: valid (8 Crockford base32 characters), distinct for
 * every n below 2^40, the same in every phase. */
static void
cid_of(unsigned long n, char cid[CB_ID_CHARS + 1])
{
	static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

	for (int i = CB_ID_CHARS - 1; i >= 0; i--, n >>= 5)
		cid[i] = b32[n & 31];
	cid[CB_ID_CHARS] = '\0';
}

/* Reads the concern file line by line; calls fn for each. */
static int
each_concern(int (*fn)(void *, unsigned long, const char *, size_t), void *ctx)
{
	FILE *f = fopen(conpath, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long n = 0;

	if (f == NULL)
		return -1;
	while ((len = getline(&line, &cap, f)) > 0)
		if (fn(ctx, n++, line, (size_t)len - 1) != 0)
			return -1;
	free(line);
	fclose(f);
	return 0;
}

struct plainctx {
	struct ref_config c;
	sqlite3_stmt *get, *put;
	unsigned long found, refs;
};

static int
plain_one(void *p, unsigned long n, const char *text, size_t len)
{
	struct plainctx *x = p;
	char refs[REF_EXTRACT_MAX][REF_REF_MAX + 1], cid[CB_ID_CHARS + 1];
	size_t k = ref_extract(&x->c, text, len, refs, REF_EXTRACT_MAX);

	cid_of(n, cid);
	for (size_t i = 0; i < k; i++) {
		sqlite3_bind_text(x->get, 1, refs[i], -1, SQLITE_STATIC);
		x->found += sqlite3_step(x->get) == SQLITE_ROW;
		sqlite3_reset(x->get);
		sqlite3_bind_text(x->put, 1, cid, -1, SQLITE_STATIC);
		sqlite3_bind_text(x->put, 2, refs[i], -1, SQLITE_STATIC);
		if (sqlite3_step(x->put) != SQLITE_DONE)
			return -1;
		sqlite3_reset(x->put);
		x->refs++;
	}
	return 0;
}

static int
phase_plainlink(void)
{
	struct plainctx *x = calloc(1, sizeof(*x));
	sqlite3 *db;

	ref_config_default(&x->c);
	if (sqlite3_open(plainpath, &db) != SQLITE_OK ||
	    sqlite3_exec(db,
		"PRAGMA synchronous=FULL; PRAGMA cache_size=-262144;"
		"CREATE TABLE links(cid TEXT, ref TEXT, PRIMARY KEY(cid, ref)) WITHOUT ROWID;"
		"BEGIN",
		NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT 1 FROM reg WHERE ref=?", -1, &x->get, NULL) !=
		SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO links VALUES(?,?)", -1, &x->put, NULL) !=
		SQLITE_OK ||
	    each_concern(plain_one, x) != 0)
		return 1;
	sqlite3_finalize(x->get);
	sqlite3_finalize(x->put);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return 1;
	sqlite3_close(db);
	fprintf(
	    stderr, "    %lu references, %lu in the register (plain lookups)\n", x->refs, x->found);
	return 0;
}

struct linkctx {
	struct casebook *cb;
	struct ref_ctx *ctx;
	unsigned long refs;
};

static int
link_one_concern(void *p, unsigned long n, const char *text, size_t len)
{
	struct linkctx *x = p;
	char refs[REF_EXTRACT_MAX][REF_REF_MAX + 1], cid[CB_ID_CHARS + 1];
	size_t k = ref_extract(&x->ctx->cfg, text, len, refs, REF_EXTRACT_MAX);

	cid_of(n, cid);
	x->refs += k;
	return ref_link_refs(x->cb, cid, refs, k);
}

static int
phase_link(void)
{
	struct linkctx x = {0};
	const char *why;

	if (cb_open(cbpath, bench_key, &x.cb, &why) != 0 || cb_begin(x.cb) != 0 ||
	    (x.ctx = ref_ctx_get(x.cb)) == NULL)
		return 1;
	if (each_concern(link_one_concern, &x) != 0 || cb_commit(x.cb) != 0)
		return 1;
	fprintf(stderr, "    %lu references linked\n", x.refs);
	cb_close(x.cb);
	return 0;
}

/* Links are sealed under each concern's own key (concern_keys, schema
 * v4), which import makes: give every synthetic concern one, sealed to the
 * bench reviewer, before the link phase (not timed: it is import's work). */
static int
key_one(void *p, unsigned long n, const char *text, size_t len)
{
	struct casebook *cb = p;
	char cid[CB_ID_CHARS + 1];

	(void)text;
	(void)len;
	cid_of(n, cid);
	return cb_ck_create(cb, cid, bench_key->pub.keyid, CC_KEYID_BYTES);
}

static int
concern_keys(void)
{
	struct casebook *cb;
	const char *why;
	int rc = -1;

	if (cb_open(cbpath, bench_key, &cb, &why) != 0)
		return -1;
	if (cb_begin(cb) == 0 && each_concern(key_one, cb) == 0 && cb_commit(cb) == 0)
		rc = 0;
	cb_close(cb);
	if (rc != 0)
		fprintf(stderr, "bench_ref: cannot give the concerns their keys\n");
	return rc;
}

static int
timed(const char *name, int (*fn)(void), double *secs, long *rss_kib)
{
	double t0 = now();
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn());
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench_ref: phase %s failed\n", name);
		return -1;
	}
	*secs = now() - t0;
	*rss_kib = ru.ru_maxrss;
	printf("  %-10s %8.2f s wall  %6.2f s cpu   peak RSS %6.1f MiB\n", name, *secs,
	    (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
	    (double)*rss_kib / 1024);
	fflush(stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned long rows = 1000000, concerns = 100000;
	char tmpl[] = "/tmp/bench_ref.XXXXXX";
	double t[5];
	long rss[5];
	int gen_only = 0, own_dir = 0;
	const char *only = NULL;
	const char *why;
	struct casebook *cb;
	uint8_t ipk[CC_SIGN_PK] = {1};

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc)
			rows = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--concerns") == 0 && i + 1 < argc)
			concerns = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--gen-only") == 0)
			gen_only = 1;
		else if (strcmp(argv[i], "--phase") == 0 && i + 1 < argc)
			only = argv[++i]; /* in-process, for a profiler; needs --dir */
		else {
			fprintf(stderr, "usage: bench_ref [--rows N] [--concerns N] [--dir DIR] "
					"[--gen-only]\n");
			return 2;
		}
	}
	if (rows == 0 || rows > 9900000 || concerns == 0) {
		fprintf(stderr, "bench_ref: rows 1..9900000, concerns >= 1\n");
		return 2;
	}
	if (dir == NULL) {
		if ((dir = mkdtemp(tmpl)) == NULL)
			return 1;
		own_dir = 1;
	}
	snprintf(regpath, sizeof(regpath), "%s/register.csv", dir);
	snprintf(conpath, sizeof(conpath), "%s/concerns.txt", dir);
	snprintf(plainpath, sizeof(plainpath), "%s/plain.db", dir);
	snprintf(cbpath, sizeof(cbpath), "%s/casebook.db", dir);
	if (only != NULL) {
		static const struct {
			const char *n;
			int (*fn)(void);
		} ph[] = {{"parse", phase_parse}, {"sqlite", phase_sqlite},
		    {"import", phase_import}, {"plainlink", phase_plainlink}, {"link", phase_link}};
		if (cc_init() != 0 || cc_keypair_generate("bench", &bench_key) != 0)
			return 1;
		if (strcmp(only, "import") == 0 || strcmp(only, "link") == 0) {
			unlink(cbpath);
			if (cb_create(cbpath, bench_key, ipk, &cb, &why) != 0)
				return 1;
			cb_close(cb);
		}
		if (strcmp(only, "link") == 0 && (phase_import() != 0 || concern_keys() != 0))
			return 1; /* the casebook is per key */
		for (size_t i = 0; i < sizeof(ph) / sizeof(ph[0]); i++)
			if (strcmp(only, ph[i].n) == 0)
				return ph[i].fn();
		return 2;
	}
	double g0 = now();
	if (gen_register(regpath, rows) != 0 || gen_concerns(conpath, concerns, rows) != 0) {
		fprintf(stderr, "bench_ref: cannot write into %s\n", dir);
		return 1;
	}
	printf("bench_ref: %lu register rows, %lu concerns (generated in %.1f s, %s)\n", rows,
	    concerns, now() - g0, dir);
	if (gen_only)
		return 0;
	if (cc_init() != 0 || cc_keypair_generate("bench", &bench_key) != 0)
		return 1;
	unlink(cbpath);
	if (cb_create(cbpath, bench_key, ipk, &cb, &why) != 0) {
		fprintf(stderr, "bench_ref: cb_create: %s\n", why);
		return 1;
	}
	cb_close(cb);
	if (timed("parse", phase_parse, &t[0], &rss[0]) ||
	    timed("sqlite", phase_sqlite, &t[1], &rss[1]) ||
	    timed("import", phase_import, &t[2], &rss[2]) ||
	    timed("plainlink", phase_plainlink, &t[3], &rss[3]) || concern_keys() != 0 ||
	    timed("link", phase_link, &t[4], &rss[4]))
		return 1;
	printf("  import: %.2f s = %.1fx parse-only, %.1fx unencrypted sqlite insert "
	       "(target < 20 s, < 1 GiB: %s)\n",
	    t[2], t[2] / t[0], t[2] / t[1], t[2] < 20 && rss[2] < 1048576 ? "met" : "NOT met");
	printf("  link:   %.2f s = %.1fx plain lookups (target < 20 s, < 1 GiB: %s)\n", t[4],
	    t[4] / t[3], t[4] < 20 && rss[4] < 1048576 ? "met" : "NOT met");
	if (own_dir) {
		char cmd[700];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			return 1;
	}
	cc_seckey_free(bench_key);
	return 0;
}
