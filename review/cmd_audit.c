/* audit [verify] and purge --closed-before DATE. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "review/cb_internal.h"
#include "review/ref.h"
#include "util/util.h"

static int
print_entry(void *ctx, const struct cb_audit_row *e)
{
	(void)ctx;
	/* clear columns of a file that may have been edited */
	printf("%5lld  ", (long long)e->n);
	rv_print_safe(stdout, e->when, strlen(e->when), 0);
	fputs("  ", stdout);
	rv_print_safe(stdout, e->who, strlen(e->who), 0);
	putchar(' ');
	rv_print_safe(stdout, e->action, strlen(e->action), 0);
	if (e->cid != NULL) {
		putchar(' ');
		rv_print_safe(stdout, e->cid, strlen(e->cid), 0);
	}
	if (e->detail_state == CB_ROW_OPEN) {
		fputs("  ", stdout);
		rv_print_safe(stdout, (const char *)e->detail, e->dlen, 0);
	} else if (e->detail_state == CB_ROW_DAMAGED) {
		fputs("  ", stdout);
		CLI_PUT(stdout, "cli.rv.audit.detail_shut");
	}
	putchar('\n');
	return 0;
}

static int
audit_list(struct casebook *cb)
{
	return cb_audit_each(cb, NULL, print_entry, NULL);
}

int
cmd_audit(int argc, char **argv)
{
	const char *cmd = "audit", *pos[1] = {NULL};
	struct rv_argspec sp = {"cli.rv.audit.usage",
	    0, "", {NULL}, {NULL}, {NULL}, {NULL}, 1};
	struct rv_opts o;
	struct casebook *cb = NULL;
	int64_t bad = 0, n = 0;
	int r, rc = 1;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (pos[0] != NULL && strcmp(pos[0], "verify") != 0) {
		RV_ERR(cmd, "cli.rv.audit.bad_arg", cli_head(pos[0], 20));
		return 2;
	}
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0)
		return r;
	if (pos[0] == NULL) {
		if (audit_list(cb) != 0)
			RV_ERR(cmd, "cli.rv.audit.unreadable");
		else
			rc = 0;
	} else if ((r = cb_audit_verify(cb, &bad, &n)) == 0) {
		CLI_PUT(stdout, "cli.rv.audit.intact", CLI_NUM(n));
		rc = 0;
	} else if (r == 1)
		RV_ERR(cmd, "cli.rv.audit.broken", CLI_NUM(bad));
	else
		RV_ERR(cmd, "cli.rv.audit.unreadable");
	cb_close(cb);
	return rc;
}

/* Lists the cases a purge before `before` would remove; *n how many. */
static int
purge_list(struct casebook *cb, const char *before, int *n)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*n = 0;
	if (sqlite3_prepare_v2(cb_db(cb),
		"SELECT id, closed_date, category FROM concerns WHERE status=4 AND"
		" closed_date < ?1 AND purged=0 ORDER BY closed_date, seq",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, before, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == 0)
			CLI_PUT(stdout, "cli.rv.purge.head");
		for (int k = 0; k < 3; k++) {
			const char *v = (const char *)sqlite3_column_text(st, k);
			/* clear columns of a file that may have been edited */
			rv_print_safe(stdout, v ? v : "", v ? strlen(v) : 0, 0);
			fputs(k < 2 ? "  " : "\n", stdout);
		}
		(*n)++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Asks on the terminal; 1 only for "yes" (or "y"). */
static int
purge_confirm(int n)
{
	char line[16];

	CLI_PUT(stdout, n == 1 ? "cli.rv.purge.confirm1" : "cli.rv.purge.confirm");
	putchar(' '); /* the answer after a space (a catalogue line's end is trimmed) */
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return 0;
	line[strcspn(line, "\r\n")] = '\0';
	return strcmp(line, "yes") == 0 || strcmp(line, "y") == 0;
}

int
cmd_purge(int argc, char **argv)
{
	const char *cmd = "purge", *given = NULL, *asof = NULL, *pos[1];
	int yes = 0, dry = 0, due = 0;
	struct rv_argspec sp = {"cli.rv.purge.usage",
	    0, "", {"--closed-before", "--as-of"}, {&given, &asof}, {"--yes", "--dry-run", "--due"},
	    {&yes, &dry, &due}, 0};
	/* Each statement names the cases to purge the same way. The first
	 * keeps the date of the first reply (feedback, for the report's
	 * timeliness) before the replies go. */
	static const char *const purge_sql[] = {
	    "UPDATE concerns SET feedback_date=COALESCE(feedback_date, (SELECT min(date) FROM"
	    " replies r WHERE r.concern_id=concerns.id)) WHERE status=4 AND closed_date < ?1 AND"
	    " purged=0",
	    "DELETE FROM att_chunks WHERE att IN (SELECT a.id FROM attachments a JOIN concerns c"
	    " ON c.id=a.concern_id WHERE c.status=4 AND c.closed_date < ?1 AND c.purged=0)",
	    "DELETE FROM attachments WHERE concern_id IN (SELECT id FROM concerns WHERE status=4"
	    " AND closed_date < ?1 AND purged=0)",
	    "DELETE FROM notes WHERE concern_id IN (SELECT id FROM concerns WHERE status=4"
	    " AND closed_date < ?1 AND purged=0)",
	    "DELETE FROM replies WHERE concern_id IN (SELECT id FROM concerns WHERE status=4"
	    " AND closed_date < ?1 AND purged=0)",
	    "DELETE FROM outbox WHERE exported>=1 AND concern_id IN (SELECT id FROM concerns"
	    " WHERE status=4 AND closed_date < ?1 AND purged=0)",
	    "UPDATE messages SET body=NULL WHERE concern_id IN (SELECT id FROM concerns WHERE"
	    " status=4 AND closed_date < ?1 AND purged=0)",
	    "DELETE FROM sealed_envs WHERE seq IN (SELECT r.seq FROM records r JOIN concerns c ON"
	    " c.id=r.concern_id WHERE c.status=4 AND c.closed_date < ?1 AND c.purged=0)",
	    "UPDATE concerns SET body=NULL, summary=NULL, purged=1 WHERE status=4 AND"
	    " closed_date < ?1 AND purged=0",
	};
	struct rv_opts o;
	struct casebook *cb = NULL;
	sqlite3_stmt *st = NULL;
	char detail[96], before[11], rule[CB_RETENTION_MAX + 1] = "", today[11], cut[11];
	int32_t day;
	int r, rc = 1, npurged = 0, nlisted = 0;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if ((given == NULL) == !due) {
		RV_ERR(cmd, "cli.rv.purge.say");
		return 2;
	}
	if (asof != NULL && !due) {
		RV_ERR(cmd, "cli.rv.purge.asof_due");
		return 2;
	}
	if (asof != NULL && !util_date_valid(asof)) {
		RV_ERR(cmd, "cli.rv.purge.not_date", "--as-of", cli_head(asof, 40));
		return 2;
	}
	/* the same forms as the register import; far dates (9999-12-31 for
	 * "every closed case") in the ISO form */
	if (due)
		before[0] = '\0'; /* from the casebook's rule, once it is open */
	else if (util_date_valid(given))
		snprintf(before, sizeof(before), "%s", given);
	else if (ref_date_parse(given, strlen(given), &day) == 0)
		ref_date_format(day, before);
	else {
		RV_ERR(cmd, "cli.rv.purge.not_date", "--closed-before", cli_head(given, 40));
		return 2;
	}
	if (yes && dry) {
		RV_ERR(cmd, "cli.rv.purge.yes_dry");
		return 2;
	}
	if (!yes && !dry && !isatty(STDIN_FILENO)) {
		RV_ERR(cmd, "cli.rv.purge.no_tty");
		return 2;
	}
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0)
		return r;
	if (due) {
		int g = cb_retention_get(cb, rule);
		if (g <= 0) {
			RV_ERR(cmd, g == 0 ? "cli.rv.purge.no_rule" : "cli.rv.purge.rule_shut");
			goto out;
		}
		/* closed on or before the cut-off: closed before the day after */
		if ((asof ? snprintf(today, sizeof(today), "%s", asof) != 10
			  : util_today(today) != 0) ||
		    cb_retention_cutoff(rule, today, cut) != 0 ||
		    rv_date_add_days(cut, 1, before) != 0)
			goto fail;
		CLI_PUT(stdout, "cli.rv.purge.due", rule, today, cut);
	}
	if (cb_begin(cb) != 0 || purge_list(cb, before, &nlisted) != 0)
		goto fail;
	if (nlisted == 0) {
		CLI_PUT(stdout, "cli.rv.purge.none", before);
		rc = 0;
		goto out;
	}
	if (dry) {
		CLI_PUT(stdout, nlisted == 1 ? "cli.rv.purge.dry1" : "cli.rv.purge.dry",
		    CLI_NUM(nlisted));
		rc = 0;
		goto out;
	}
	if (!yes && !purge_confirm(nlisted)) {
		CLI_PUT(stdout, "cli.rv.purge.nothing");
		rc = 0;
		goto out;
	}
	for (size_t i = 0; i < sizeof(purge_sql) / sizeof(purge_sql[0]); i++) {
		if (sqlite3_prepare_v2(cb_db(cb), purge_sql[i], -1, &st, NULL) != SQLITE_OK)
			goto fail;
		sqlite3_bind_text(st, 1, before, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
		npurged = sqlite3_changes(cb_db(cb)); /* the last statement counts cases */
		sqlite3_finalize(st);
		st = NULL;
	}
	if (npurged != nlisted)
		goto fail; /* cannot happen inside one transaction */
	snprintf(detail, sizeof(detail), "%d case%s closed before %s%s%s", npurged,
	    npurged == 1 ? "" : "s", before, due ? ", retention " : "", rule);
	if (cb_audit(cb, "purge", NULL, detail) != 0 || cb_commit(cb) != 0)
		goto fail;
	/* secure_delete zeroed the freed pages; fold the WAL back so no old
	 * page copy stays in it. */
	sqlite3_wal_checkpoint_v2(cb_db(cb), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	CLI_PUT(stdout, npurged == 1 ? "cli.rv.purge.done1" : "cli.rv.purge.done", CLI_NUM(npurged),
	    before);
	rc = 0;
	goto out;
fail:
	RV_ERR(cmd, "cli.rv.purge.write_failed");
out:
	sqlite3_finalize(st);
	cb_close(cb);
	return rc;
}
