/* list: the cases with their due dates, as a table, CSV or JSON. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "review/cb_internal.h"
#include "util/util.h"

#define LIST_COLS 12

/* new: never opened (show) by this reviewer; message: a message came after
 * they last opened it; risk: the reporter said a child is at immediate risk;
 * overdue: an acknowledgement or feedback date has passed. */
static const char *heads[LIST_COLS] = {"id", "received", "category", "status", "outcome",
    "ack_due", "feedback_due", "marks", "new", "message", "risk", "overdue"};

struct row {
	char *col[LIST_COLS];
};

static int
list_help(FILE *f)
{
	fprintf(f,
	    "usage: candour-review list --casebook FILE --key NAME.sec [--status S]\n"
	    "                           [--overdue] [--format table|csv|json]\n"
	    "Acknowledgement is due %d days and feedback %d months after receipt; marks:\n"
	    "OVERDUE-ACK, OVERDUE-FEEDBACK, NEW-MESSAGE-CLOSED (the reporter wrote after the\n"
	    "case was closed: see `show`), unreadable (sealed to other reviewers),\n"
	    "PAST-RETENTION (closed longer than the retention rule: see `purge --due`).\n"
	    "Columns for you alone: new (NEW: you never opened it with show), message\n"
	    "(MESSAGE: a message came after you last opened it), risk (RISK: the reporter\n"
	    "says a child is at immediate risk), overdue (OVERDUE: a due date has passed).\n%s",
	    CB_ACK_DAYS, CB_FEEDBACK_MONTHS, RV_EXIT_HELP);
	return f == stdout ? 0 : 2;
}

static void
csv_cell(const char *s)
{
	/* a leading = + - @ would be a formula in a spreadsheet */
	int formula = (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') && s[1] != '\0';

	putchar('"');
	if (formula)
		putchar('\'');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static void
json_str(const char *s)
{
	putchar('"');
	for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
		if (*u == '"' || *u == '\\')
			printf("\\%c", *u);
		else if (*u < 0x20 || *u == 0x7f)
			printf("\\u%04x", *u);
		else
			putchar(*u);
	}
	putchar('"');
}

/* Display width of a UTF-8 string (code points; good enough for tables). */
static size_t
width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

int
cmd_list(int argc, char **argv)
{
	const char *cmd = "list", *status = NULL, *format = NULL;
	struct rv_opts o;
	struct casebook *cb = NULL;
	sqlite3_stmt *st = NULL;
	struct row *rows = NULL;
	size_t nrows = 0, w[LIST_COLS];
	int overdue = 0, want = 0, r, rc = 1;
	char today[11], rule[CB_RETENTION_MAX + 1], cut[11];

	rv_opts_init(&o);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return list_help(stdout);
		if (strcmp(argv[i], "--overdue") == 0) {
			overdue = 1;
			continue;
		}
		if ((r = rv_opt_common(cmd, argc, argv, &i, &o)) != 0 ||
		    (r = rv_opt_value(cmd, argc, argv, &i, "--status", &status)) != 0 ||
		    (r = rv_opt_value(cmd, argc, argv, &i, "--format", &format)) != 0) {
			if (r < 0)
				return 2;
			continue;
		}
		rv_err(cmd, "unknown argument '%s'; see --help", argv[i]);
		return 2;
	}
	if (status != NULL && (want = cb_state_parse(status)) == 0) {
		rv_err(cmd,
		    "unknown status '%s'; use received, acknowledged, investigating or closed",
		    status);
		return 2;
	}
	if (format == NULL)
		format = "table";
	if (strcmp(format, "table") != 0 && strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0) {
		rv_err(cmd, "--format is table, csv or json");
		return 2;
	}
	if (util_today(today) != 0 || rv_cli_open(cmd, &o, &cb) != 0)
		return 1;
	/* the retention rule's cut-off: a closed, not yet purged case closed on
	 * or before it is marked PAST-RETENTION */
	int ret = cb_retention_get(cb, rule);
	if (ret < 0 || (ret == 1 && cb_retention_cutoff(rule, today, cut) != 0)) {
		rv_err(cmd, "the retention rule does not open (damaged or changed)");
		cb_close(cb);
		return 1;
	}
	if (sqlite3_prepare_v2(cb_db(cb),
		"SELECT id, received, category, status, outcome, readable, recipients,"
		" EXISTS(SELECT 1 FROM messages m WHERE m.concern_id=concerns.id AND"
		" m.after_close=1), closed_date, purged FROM concerns ORDER BY received, seq",
		-1, &st, NULL) != SQLITE_OK)
		goto fail;
	for (int k = 0; k < LIST_COLS; k++)
		w[k] = strlen(heads[k]);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *recv = (const char *)sqlite3_column_text(st, 1);
		const char *cat = (const char *)sqlite3_column_text(st, 2);
		int s = sqlite3_column_int(st, 3), readable;
		char ack[11], fb[11], marks[96] = "";
		struct row *nr;

		readable = sqlite3_column_int(st, 5) && cb_may_read(cb, sqlite3_column_blob(st, 6),
							    (size_t)sqlite3_column_bytes(st, 6));
		/* a recipient who holds no key of it (yet) cannot read it either */
		if (readable &&
		    cb_concern_key_held(cb, (const char *)sqlite3_column_text(st, 0)) != 1)
			readable = 0;
		if (recv == NULL || cat == NULL || rv_date_add_days(recv, CB_ACK_DAYS, ack) != 0 ||
		    rv_date_add_months(recv, CB_FEEDBACK_MONTHS, fb) != 0)
			goto fail;
		int ack_late = s == CB_RECEIVED && strcmp(today, ack) > 0;
		int fb_late = s != CB_CLOSED && strcmp(today, fb) > 0;
		int late_msg = sqlite3_column_int(st, 7);
		const char *closed = (const char *)sqlite3_column_text(st, 8);
		int past = ret == 1 && s == CB_CLOSED && closed != NULL &&
			   !sqlite3_column_int(st, 9) && strcmp(closed, cut) <= 0;
		snprintf(marks, sizeof(marks), "%s%s%s%s%s%s%s%s%s",
		    late_msg ? "NEW-MESSAGE-CLOSED" : "", late_msg && ack_late ? " " : "",
		    ack_late ? "OVERDUE-ACK" : "",
		    (late_msg || ack_late) && fb_late ? " " : "", fb_late ? "OVERDUE-FEEDBACK" : "",
		    !readable && (late_msg || ack_late || fb_late) ? " " : "",
		    readable ? "" : "unreadable",
		    past && (late_msg || ack_late || fb_late || !readable) ? " " : "",
		    past ? "PAST-RETENTION" : "");
		if ((want != 0 && s != want) || (overdue && !ack_late && !fb_late))
			continue;
		if ((nr = realloc(rows, (nrows + 1) * sizeof(*rows))) == NULL)
			goto fail;
		rows = nr;
		memset(&rows[nrows], 0, sizeof(rows[nrows]));
		const char *id = (const char *)sqlite3_column_text(st, 0);
		int is_new = 0, new_msg = 0, risk = 0;
		if (id == NULL || cb_seen_state(cb, id, &is_new, &new_msg) != 0)
			goto fail;
		/* a body that does not parse is marked malformed by show, not here */
		if (readable && (risk = cb_concern_risk(cb, id)) < 0)
			risk = 0;
		rows[nrows].col[0] = rv_safe_dup(id ? id : "", id ? strlen(id) : 0);
		rows[nrows].col[1] = strdup(recv);
		rows[nrows].col[2] = rv_safe_dup(cat, strlen(cat));
		rows[nrows].col[3] = strdup(cb_state_name(s));
		rows[nrows].col[4] = strdup(cb_outcome_name(sqlite3_column_int(st, 4)));
		rows[nrows].col[5] = strdup(s == CB_RECEIVED ? ack : "-");
		rows[nrows].col[6] = strdup(s == CB_CLOSED ? "-" : fb);
		rows[nrows].col[7] = strdup(marks);
		rows[nrows].col[8] = strdup(is_new ? "NEW" : "");
		rows[nrows].col[9] = strdup(!is_new && new_msg ? "MESSAGE" : "");
		rows[nrows].col[10] = strdup(risk ? "RISK" : "");
		rows[nrows].col[11] = strdup(ack_late || fb_late ? "OVERDUE" : "");
		nrows++;
		for (int k = 0; k < LIST_COLS; k++) {
			if (rows[nrows - 1].col[k] == NULL)
				goto fail;
			if (width(rows[nrows - 1].col[k]) > w[k])
				w[k] = width(rows[nrows - 1].col[k]);
		}
	}
	if (r != SQLITE_DONE)
		goto fail;
	if (strcmp(format, "csv") == 0) {
		for (int k = 0; k < LIST_COLS; k++)
			printf("%s%s", heads[k], k + 1 < LIST_COLS ? "," : "\r\n");
		for (size_t i = 0; i < nrows; i++)
			for (int k = 0; k < LIST_COLS; k++) {
				csv_cell(rows[i].col[k]);
				fputs(k + 1 < LIST_COLS ? "," : "\r\n", stdout);
			}
	} else if (strcmp(format, "json") == 0) {
		putchar('[');
		for (size_t i = 0; i < nrows; i++) {
			printf("%s{", i ? ",\n " : "");
			for (int k = 0; k < LIST_COLS; k++) {
				printf("%s\"%s\":", k ? "," : "", heads[k]);
				json_str(rows[i].col[k]);
			}
			putchar('}');
		}
		printf("]\n");
	} else {
		for (int k = 0; k < LIST_COLS; k++)
			printf("%-*s%s", k + 1 < LIST_COLS ? (int)w[k] : 0, heads[k],
			    k + 1 < LIST_COLS ? "  " : "\n");
		for (size_t i = 0; i < nrows; i++)
			for (int k = 0; k < LIST_COLS; k++) {
				fputs(rows[i].col[k], stdout);
				if (k + 1 < LIST_COLS)
					for (size_t p = width(rows[i].col[k]); p < w[k] + 2; p++)
						putchar(' ');
				else
					putchar('\n');
			}
		if (isatty(STDOUT_FILENO))
			printf("%zu case%s\n", nrows, nrows == 1 ? "" : "s");
	}
	rc = 0;
	goto out;
fail:
	rv_err(cmd, "cannot read the casebook");
out:
	for (size_t i = 0; i < nrows; i++)
		for (int k = 0; k < LIST_COLS; k++)
			free(rows[i].col[k]);
	free(rows);
	sqlite3_finalize(st);
	cb_close(cb);
	return rc;
}
