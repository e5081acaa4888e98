/*
 * The inbox: every concern with its dates, state and marks, as `list`
 * prints them and the desk shows them (one rule for what is new, overdue
 * or unreadable). Rows come in received order.
 */
#include <string.h>

#include "review/cb_internal.h"

static const char sql_rows[] =
    "SELECT id, received, category, status, outcome, readable, recipients,"
    " EXISTS(SELECT 1 FROM messages m WHERE m.concern_id=concerns.id AND"
    " m.after_close=1), coalesce(assignee, '') FROM concerns ORDER BY received, seq";

int
cb_inbox_each(
    struct casebook *cb, const char *today, int want, int overdue_only, cb_inbox_fn fn, void *ctx)
{
	sqlite3_stmt *st = NULL;
	int r, rc = -1;

	if (sqlite3_prepare_v2(cb->db, sql_rows, -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct cb_inbox_row row;
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *recv = (const char *)sqlite3_column_text(st, 1);
		const char *asg = (const char *)sqlite3_column_text(st, 8);

		memset(&row, 0, sizeof(row));
		row.category = (const char *)sqlite3_column_text(st, 2);
		row.status = sqlite3_column_int(st, 3);
		row.outcome = sqlite3_column_int(st, 4);
		row.readable =
		    sqlite3_column_int(st, 5) && cb_may_read(cb, sqlite3_column_blob(st, 6),
						     (size_t)sqlite3_column_bytes(st, 6));
		if (id == NULL || recv == NULL || row.category == NULL ||
		    strlen(id) > CB_ID_CHARS || strlen(recv) > 10 ||
		    rv_date_add_days(recv, CB_ACK_DAYS, row.ack_due) != 0 ||
		    rv_date_add_months(recv, CB_FEEDBACK_MONTHS, row.fb_due) != 0)
			goto out;
		memcpy(row.id, id, strlen(id) + 1);
		memcpy(row.received, recv, strlen(recv) + 1);
		row.assignee = asg != NULL ? asg : "";
		/* a recipient who holds no key of it (yet) cannot read it either */
		if (row.readable && cb_concern_key_held(cb, row.id) != 1)
			row.readable = 0;
		row.ack_late = row.status == CB_RECEIVED && strcmp(today, row.ack_due) > 0;
		row.fb_late = row.status != CB_CLOSED && strcmp(today, row.fb_due) > 0;
		row.late_msg = sqlite3_column_int(st, 7);
		if ((want != 0 && row.status != want) ||
		    (overdue_only && !row.ack_late && !row.fb_late))
			continue;
		if (cb_seen_state(cb, row.id, &row.is_new, &row.new_msg) != 0)
			goto out;
		/* a body that does not parse is marked malformed by show, not here */
		if (row.readable && (row.risk = cb_concern_risk(cb, row.id)) < 0)
			row.risk = 0;
		if (fn(ctx, &row) != 0)
			goto out;
	}
	rc = r == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(st);
	return rc;
}
