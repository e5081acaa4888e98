/* Small pieces the offline commands (export, import-replies, status,
 * poster) share: error lines, number parsing, reviewer keys, opening. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/store_int.h"
#include "util/util.h"

/* "candour-intake: CMD: MESSAGE" on stderr; returns code. */
static int
report(int code, const char *cmd, const char *fmt, va_list ap)
{
	fprintf(stderr, "candour-intake: %s: ", cmd); /* lint-cli: program and command names */
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	return code;
}

int
scli_say(int code, const char *cmd, const char *const *kv)
{
	fprintf(stderr, "candour-intake: %s: ", cmd); /* lint-cli: program and command names */
	cli_puta(stderr, kv);
	fputc('\n', stderr);
	return code;
}

int
scli_fail(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = report(1, cmd, fmt, ap);
	va_end(ap);
	return r;
}

int
scli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = report(2, cmd, fmt, ap);
	va_end(ap);
	return r;
}

int
scli_opts(const char *cmd, int argc, char **argv, const struct scli_opt *o, size_t n,
    void (*usage)(FILE *), const char *need)
{
	struct option lo[SCLI_OPTS_MAX + 2];
	int c;

	if (n > SCLI_OPTS_MAX)
		return SCLI_FAIL(cmd, "cli.in.too_many_opts");
	for (size_t i = 0; i < n; i++) {
		lo[i] = (struct option){
		    o[i].name, o[i].required == SCLI_FLAG ? no_argument : required_argument, NULL, 256 + (int)i};
		*o[i].val = NULL;
	}
	lo[n] = (struct option){"help", no_argument, NULL, 'h'};
	lo[n + 1] = (struct option){NULL, 0, NULL, 0};
	optind = 0;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			CLI_PUT(stdout, "cli.in.exit_help");
			return 0;
		}
		if (c < 256 || (size_t)(c - 256) >= n) {
			usage(stderr);
			return 2;
		}
		*o[c - 256].val = o[c - 256].required == SCLI_FLAG ? "" : optarg;
	}
	if (optind != argc)
		return SCLI_USAGE(cmd, need);
	for (size_t i = 0; i < n; i++)
		if (o[i].required == 1 && *o[i].val == NULL)
			return SCLI_USAGE(cmd, need);
	return -1;
}

int
scli_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 20)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

static int
is_pub(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcmp(name + n - 4, ".pub") == 0 && name[0] != '.';
}

int
scli_keys_dir(const char *cmd, const char *dir)
{
	const char *why = util_dir_problem(dir);

	if (why == NULL)
		return 0;
	return SCLI_USAGE(cmd, "cli.in.keys_dir", dir, cli_phrase(why));
}

int
scli_load_keys(
    const char *dir, struct cc_pubkey *out, size_t max, size_t *n, char *why, size_t whylen)
{
	DIR *d;
	struct dirent *e;
	char path[4096];
	uint8_t *buf;
	size_t len;
	int rc = -1;

	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		CLI_FILL(why, whylen, "cli.in.keys.dir_unread", dir, cli_phrase(strerror(errno)));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (!is_pub(e->d_name))
			continue;
		if (*n == max) {
			CLI_FILL(why, whylen, "cli.in.keys.too_many", CLI_UNUM(max), dir);
			goto out;
		}
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path) ||
		    util_read_file(path, CC_PUBFILE_MAX, &buf, &len) != 0) {
			CLI_FILL(why, whylen, "cli.in.keys.pub_unread", dir, e->d_name);
			goto out;
		}
		int p = cc_pubkey_parse((const char *)buf, len, &out[*n]);
		free(buf);
		if (p != CC_OK) {
			CLI_FILL(why, whylen, "cli.in.keys.not_pub", dir, e->d_name,
			    cli_phrase(cc_strerror(p)));
			goto out;
		}
		(*n)++;
	}
	if (*n == 0) {
		CLI_FILL(why, whylen, "cli.in.keys.none", dir);
		goto out;
	}
	rc = 0;
out:
	closedir(d);
	return rc;
}

/* Returns the exit status: 0 opened, 2 when --db names no database file
 * (a usage error, as candour-review treats a missing casebook), 1 when the
 * file is there but does not open. */
int
scli_open_db(const char *cmd, const char *path, int readonly, struct store_db **out)
{
	char err[160];
	const char *why;

	*out = NULL;
	if ((why = util_in_problem(path)) != NULL)
		return SCLI_USAGE(cmd, "cli.in.db_missing", path, cli_phrase(why));
	if (store_db_open(path, 0, readonly, out, err, sizeof(err)) != 0)
		return SCLI_FAIL(cmd, "cli.in.db_open", path, cli_phrase(err));
	return 0;
}
