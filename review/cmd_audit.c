/* audit [verify] and purge --closed-before DATE. */
#include <stdlib.h>
#include <string.h>

#include "review/cb_internal.h"
#include "util/util.h"

static int
audit_list(struct casebook *cb)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(cb_db(cb),
		"SELECT n, time, who, action, concern_id, detail FROM audit"
		" ORDER BY n",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cid = (const char *)sqlite3_column_text(st, 4);
		const char *who = (const char *)sqlite3_column_text(st, 2);
		const char *act = (const char *)sqlite3_column_text(st, 3);
		const char *when = (const char *)sqlite3_column_text(st, 1);
		uint8_t *pt = NULL;
		size_t len = 0;
		char ad[64];

		/* a clear column of a file that may have been edited */
		printf("%5lld  ", (long long)sqlite3_column_int64(st, 0));
		rv_print_safe(stdout, when ? when : "", when ? strlen(when) : 0, 0);
		fputs("  ", stdout);
		rv_print_safe(stdout, who ? who : "", who ? strlen(who) : 0, 0);
		putchar(' ');
		rv_print_safe(stdout, act ? act : "", act ? strlen(act) : 0, 0);
		if (cid != NULL) {
			putchar(' ');
			rv_print_safe(stdout, cid, strlen(cid), 0);
		}
		if (sqlite3_column_type(st, 5) == SQLITE_BLOB) {
			snprintf(ad, sizeof(ad), "audit:%lld:detail",
			    (long long)sqlite3_column_int64(st, 0));
			if ((cid != NULL && cb_unseal_concern(cb, cid, ad,
						sqlite3_column_blob(st, 5),
						(size_t)sqlite3_column_bytes(st, 5), &pt, &len) == 0) ||
			    cb_unseal(cb, ad, sqlite3_column_blob(st, 5),
				(size_t)sqlite3_column_bytes(st, 5), &pt, &len) == 0) {
				fputs("  ", stdout);
				rv_print_safe(stdout, (const char *)pt, len, 0);
				cb_free(pt, len);
			} else
				fputs("  (detail does not open)", stdout);
		}
		putchar('\n');
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
cmd_audit(int argc, char **argv)
{
	const char *cmd = "audit", *pos[1] = {NULL};
	struct rv_argspec sp = {
	    "candour-review audit --casebook FILE --key NAME.sec [verify]\n"
	    "Lists the hash-chained audit log (who, what, when); `verify` recomputes the\n"
	    "chain and names the first broken entry.",
	    0, "", {NULL}, {NULL}, {NULL}, {NULL}, 1};
	struct rv_opts o;
	struct casebook *cb = NULL;
	int64_t bad = 0, n = 0;
	int r, rc = 1;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (pos[0] != NULL && strcmp(pos[0], "verify") != 0) {
		rv_err(cmd, "unknown argument '%.20s'; say `audit` or `audit verify`", pos[0]);
		return 2;
	}
	if (rv_cli_open(cmd, &o, &cb) != 0)
		return 1;
	if (pos[0] == NULL) {
		if (audit_list(cb) != 0)
			rv_err(cmd, "cannot read the audit log");
		else
			rc = 0;
	} else if ((r = cb_audit_verify(cb, &bad, &n)) == 0) {
		printf("audit log intact: %lld entries\n", (long long)n);
		rc = 0;
	} else if (r == 1)
		rv_err(cmd, "audit log broken at entry %lld: it was edited, removed or reordered",
		    (long long)bad);
	else
		rv_err(cmd, "cannot read the audit log");
	cb_close(cb);
	return rc;
}

int
cmd_purge(int argc, char **argv)
{
	const char *cmd = "purge", *before = NULL, *pos[1];
	struct rv_argspec sp = {
	    "candour-review purge --casebook FILE --key NAME.sec"
	    " --closed-before YYYY-MM-DD\nRemoves the text, messages, notes, replies,"
	    " attachments and summaries of cases\nclosed before DATE. Dates, category, status,"
	    " outcome and the chain stay for the\ngovernance report.",
	    0, "", {"--closed-before"}, {&before}, {NULL}, {NULL}, 0};
	/* Each statement names the cases to purge the same way. */
	static const char *const purge_sql[] = {
	    "DELETE FROM att_chunks WHERE att IN (SELECT a.id FROM attachments a JOIN concerns c"
	    " ON c.id=a.concern_id WHERE c.status=4 AND c.closed_date < ?1 AND c.purged=0)",
	    "DELETE FROM attachments WHERE concern_id IN (SELECT id FROM concerns WHERE status=4"
	    " AND closed_date < ?1 AND purged=0)",
	    "DELETE FROM notes WHERE concern_id IN (SELECT id FROM concerns WHERE status=4"
	    " AND closed_date < ?1 AND purged=0)",
	    "DELETE FROM replies WHERE concern_id IN (SELECT id FROM concerns WHERE status=4"
	    " AND closed_date < ?1 AND purged=0)",
	    "DELETE FROM outbox WHERE exported=1 AND concern_id IN (SELECT id FROM concerns"
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
	char detail[64];
	int r, rc = 1, npurged = 0;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (before == NULL || !util_date_valid(before)) {
		rv_err(cmd, "--closed-before YYYY-MM-DD is required");
		return 2;
	}
	if (rv_cli_open(cmd, &o, &cb) != 0)
		return 1;
	if (cb_begin(cb) != 0)
		goto fail;
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
	snprintf(detail, sizeof(detail), "%d cases closed before %s", npurged, before);
	if (cb_audit(cb, "purge", NULL, detail) != 0 || cb_commit(cb) != 0)
		goto fail;
	/* secure_delete zeroed the freed pages; fold the WAL back so no old
	 * page copy stays in it. */
	sqlite3_wal_checkpoint_v2(cb_db(cb), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	printf("purged %d case%s closed before %s\n", npurged, npurged == 1 ? "" : "s", before);
	rc = 0;
	goto out;
fail:
	rv_err(cmd, "cannot write the casebook; nothing purged");
out:
	sqlite3_finalize(st);
	cb_close(cb);
	return rc;
}
