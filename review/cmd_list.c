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
static const char *heads[LIST_COLS] = {"id", "received", "category", "status", "outcome", "ack_due",
    "feedback_due", "marks", "new", "message", "risk", "overdue"};

struct row {
	char *col[LIST_COLS];
};

static int
list_help(FILE *f)
{
	CLI_PUT(f, "cli.rv.list.usage", CLI_NUM(CB_ACK_DAYS), CLI_NUM(CB_FEEDBACK_MONTHS));
	CLI_PUT(f, "cli.rv.exit_help");
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

struct table {
	struct row **rows;
	size_t *n;
	size_t *w;
};

/* One inbox row as the table's cells (untrusted text made terminal-safe). */
static int
add_row(void *ctx, const struct cb_inbox_row *r)
{
	struct table *t = ctx;
	struct row *nr, *row;
	char marks[96] = "";
	int late_msg = r->late_msg, ack_late = r->ack_late, fb_late = r->fb_late;

	int past = r->past_retention;
	snprintf(marks, sizeof(marks), "%s%s%s%s%s%s%s%s%s", late_msg ? "NEW-MESSAGE-CLOSED" : "",
	    late_msg && ack_late ? " " : "", ack_late ? "OVERDUE-ACK" : "",
	    (late_msg || ack_late) && fb_late ? " " : "", fb_late ? "OVERDUE-FEEDBACK" : "",
	    !r->readable && (late_msg || ack_late || fb_late) ? " " : "",
	    r->readable ? "" : "unreadable",
	    past && (late_msg || ack_late || fb_late || !r->readable) ? " " : "",
	    past ? "PAST-RETENTION" : "");
	if ((nr = realloc(*t->rows, (*t->n + 1) * sizeof(**t->rows))) == NULL)
		return -1;
	*t->rows = nr;
	row = &nr[(*t->n)++];
	memset(row, 0, sizeof(*row));
	row->col[0] = rv_safe_dup(r->id, strlen(r->id));
	row->col[1] = strdup(r->received);
	row->col[2] = rv_safe_dup(r->category, strlen(r->category));
	row->col[3] = strdup(cb_state_name(r->status));
	row->col[4] = strdup(cb_outcome_name(r->outcome));
	row->col[5] = strdup(r->status == CB_RECEIVED ? r->ack_due : "-");
	row->col[6] = strdup(r->status == CB_CLOSED ? "-" : r->fb_due);
	row->col[7] = strdup(marks);
	row->col[8] = strdup(r->is_new ? "NEW" : "");
	row->col[9] = strdup(!r->is_new && r->new_msg ? "MESSAGE" : "");
	row->col[10] = strdup(r->risk ? "RISK" : "");
	row->col[11] = strdup(ack_late || fb_late ? "OVERDUE" : "");
	for (int k = 0; k < LIST_COLS; k++) {
		if (row->col[k] == NULL)
			return -1;
		if (width(row->col[k]) > t->w[k])
			t->w[k] = width(row->col[k]);
	}
	return 0;
}

int
cmd_list(int argc, char **argv)
{
	const char *cmd = "list", *status = NULL, *format = NULL;
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct row *rows = NULL;
	size_t nrows = 0, w[LIST_COLS];
	int overdue = 0, want = 0, r, rc = 1;
	char today[11];

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
		RV_ERR(cmd, "cli.rv.unknown_arg", argv[i]);
		return 2;
	}
	if (status != NULL && (want = cb_state_parse(status)) == 0) {
		RV_ERR(cmd, "cli.rv.list.bad_status", status);
		return 2;
	}
	if (format == NULL)
		format = "table";
	if (strcmp(format, "table") != 0 && strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0) {
		RV_ERR(cmd, "cli.rv.list.bad_format");
		return 2;
	}
	if (util_today(today) != 0)
		return 1;
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0)
		return r;
	for (int k = 0; k < LIST_COLS; k++)
		w[k] = strlen(heads[k]);
	struct table t = {&rows, &nrows, w};
	if (cb_inbox_each(cb, today, want, overdue, add_row, &t) != 0)
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
			CLI_PUT(stdout, nrows == 1 ? "cli.rv.list.count1" : "cli.rv.list.count", CLI_NUM(nrows));
	}
	rc = 0;
	goto out;
fail:
	RV_ERR(cmd, "cli.rv.casebook_unreadable");
out:
	for (size_t i = 0; i < nrows; i++)
		for (int k = 0; k < LIST_COLS; k++)
			free(rows[i].col[k]);
	free(rows);
	cb_close(cb);
	return rc;
}
