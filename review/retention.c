/*
 * The retention rule (issue 13): how long the text of a closed case is
 * kept, e.g. "12m". Stored in meta "retention", sealed under the casebook
 * key (AD "meta:retention") so that someone who can write the file but is
 * not a reviewer cannot shorten it under a scripted `purge --due --yes`.
 * `purge --due` (cmd_audit.c) removes the text of the cases the rule makes
 * due; `list` marks them PAST-RETENTION.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review/cb_internal.h"
#include "util/util.h"

#define RET_AD "meta:retention"

int
cb_retention_parse(const char *s, char norm[CB_RETENTION_MAX + 1])
{
	char *end;
	long n;

	/* digits then one unit letter: nothing before, nothing after */
	if (s == NULL || s[0] < '1' || s[0] > '9')
		return -1;
	n = strtol(s, &end, 10);
	if (end[0] == '\0' || end[1] != '\0')
		return -1;
	switch (*end) {
	case 'y': /* kept as months: one unit for the cut-off */
		if (n < 1 || n > CB_RETENTION_YEARS_MAX)
			return -1;
		snprintf(norm, CB_RETENTION_MAX + 1, "%ldm", n * 12);
		return 0;
	case 'm':
		if (n < 1 || n > CB_RETENTION_YEARS_MAX * 12)
			return -1;
		snprintf(norm, CB_RETENTION_MAX + 1, "%ldm", n);
		return 0;
	case 'd':
		if (n < 1 || n > CB_RETENTION_YEARS_MAX * 366)
			return -1;
		snprintf(norm, CB_RETENTION_MAX + 1, "%ldd", n);
		return 0;
	default:
		return -1;
	}
}

int
cb_retention_cutoff(const char *rule, const char *today, char out[11])
{
	char norm[CB_RETENTION_MAX + 1];
	long n = strtol(rule, NULL, 10);

	if (cb_retention_parse(rule, norm) != 0 || strcmp(norm, rule) != 0)
		return -1;
	return rule[strlen(rule) - 1] == 'm' ? rv_date_add_months(today, -(int)n, out)
					     : rv_date_add_days(today, -(int)n, out);
}

int
cb_retention_get(struct casebook *cb, char rule[CB_RETENTION_MAX + 1])
{
	sqlite3_stmt *st = NULL;
	uint8_t *pt = NULL;
	size_t len = 0;
	char norm[CB_RETENTION_MAX + 1];
	int rc = -1;

	rule[0] = '\0';
	if (sqlite3_prepare_v2(cb_db(cb), "SELECT v FROM meta WHERE k='retention'", -1, &st,
		NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = 0; /* no rule */
		goto out;
	}
	if (cb_unseal(cb, RET_AD, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
		&pt, &len) != 0)
		goto out;
	/* what was sealed is exactly a normalised rule */
	if (len == 0 || len > CB_RETENTION_MAX || memchr(pt, '\0', len) != NULL ||
	    cb_retention_parse((const char *)pt, norm) != 0 || strcmp(norm, (const char *)pt) != 0)
		goto out;
	memcpy(rule, pt, len + 1);
	rc = 1;
out:
	if (pt != NULL)
		cb_free(pt, len);
	sqlite3_finalize(st);
	return rc;
}

static int
retention_put(struct casebook *cb, const char *rule)
{
	uint8_t *ct = NULL;
	size_t ctlen = 0;
	int rc;

	if (rule == NULL)
		return sqlite3_exec(cb_db(cb), "DELETE FROM meta WHERE k='retention'", NULL, NULL,
			   NULL) == SQLITE_OK
			   ? 0
			   : -1;
	if (cb_seal(cb, RET_AD, (const uint8_t *)rule, strlen(rule), &ct, &ctlen) != 0)
		return -1;
	rc = cb_meta_set(cb, "retention", ct, ctlen);
	free(ct);
	return rc;
}

/* "12m" as people say it. */
static void
rule_words(const char *rule, char *out, size_t cap)
{
	long n = strtol(rule, NULL, 10);
	int months = rule[strlen(rule) - 1] == 'm';
	if (months && n % 12 == 0)
		CLI_FILL(out, cap, n == 12 ? "cli.rv.retention.year1" : "cli.rv.retention.years",
		    CLI_NUM(n / 12));
	else if (months)
		CLI_FILL(out, cap, n == 1 ? "cli.rv.retention.month1" : "cli.rv.retention.months",
		    CLI_NUM(n));
	else
		CLI_FILL(out, cap, n == 1 ? "cli.rv.retention.day1" : "cli.rv.retention.days",
		    CLI_NUM(n));
}

int
cmd_retention(int argc, char **argv)
{
	const char *cmd = "retention", *given = NULL, *pos[1];
	struct rv_argspec sp = {"cli.rv.retention.usage",
	    1, "cli.rv.retention.pos", {"--closed-for"}, {&given}, {NULL}, {NULL}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	char rule[CB_RETENTION_MAX + 1], old[CB_RETENTION_MAX + 1], words[48], detail[64];
	int r, rc = 1, set;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	set = strcmp(pos[0], "set") == 0;
	if (!set && strcmp(pos[0], "show") != 0 && strcmp(pos[0], "clear") != 0) {
		RV_ERR(cmd, "cli.rv.retention.say", cli_head(pos[0], 20));
		return 2;
	}
	if (set != (given != NULL)) {
		RV_ERR(cmd, set ? "cli.rv.retention.needs_for" : "cli.rv.retention.for_set");
		return 2;
	}
	if (set && cb_retention_parse(given, rule) != 0) {
		RV_ERR(cmd, "cli.rv.retention.bad_for", cli_head(given, 20));
		return 2;
	}
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0)
		return r;
	if ((r = cb_retention_get(cb, old)) < 0) {
		RV_ERR(cmd, "cli.rv.retention.shut");
		goto out;
	}
	if (strcmp(pos[0], "show") == 0) {
		if (r == 0)
			CLI_PUT(stdout, "cli.rv.retention.none");
		else {
			rule_words(old, words, sizeof(words));
			CLI_PUT(stdout, "cli.rv.retention.show", words, old);
		}
		rc = 0;
		goto out;
	}
	snprintf(detail, sizeof(detail), "%s -> %s", r ? old : "none", set ? rule : "none");
	if (cb_begin(cb) != 0 || retention_put(cb, set ? rule : NULL) != 0 ||
	    cb_audit(cb, "retention", NULL, detail) != 0 || cb_commit(cb) != 0) {
		RV_ERR(cmd, "cli.rv.retention.write_failed");
		goto out;
	}
	if (set) {
		rule_words(rule, words, sizeof(words));
		CLI_PUT(stdout, "cli.rv.retention.set", words);
	} else
		CLI_PUT(stdout, "cli.rv.retention.cleared");
	rc = 0;
out:
	cb_close(cb);
	return rc;
}
