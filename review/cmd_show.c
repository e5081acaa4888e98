/* show, attachment, search: reading concerns back (decrypted in memory). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "review/cb_internal.h"
#include "review/ref.h"
#include "review/report.h"
#include "util/util.h"

static const struct {
	const char *name, *label;
	int multiline;
} labels[] = {
    {"category", "Category", 0},
    {"team", "Team or area", 0},
    {"when", "Roughly when", 0},
    {"ref", "Reference named", 0},
    {"risk", "Child at immediate risk", 0},
    {"raised_before", "Raised before", 0},
    {"raised_with", "Raised with", 1},
    {"what", "What happened", 1},
    {"text", "Message", 1},
};

/* Columns to wrap text at: the terminal's width when stdout is one (or
 * $COLUMNS when set, for scripts and tests); 0 = do not wrap. */
static size_t
wrap_width(void)
{
	struct winsize ws;
	const char *e = getenv("COLUMNS");
	size_t w = 0;

	if (e != NULL && *e != '\0') {
		char *end;
		long v = strtol(e, &end, 10);
		if (*end == '\0' && v >= 20 && v <= 1000)
			w = (size_t)v;
	} else if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
		   ws.ws_col >= 20)
		w = ws.ws_col;
	return w;
}

/* Characters (not bytes) in t[0..len). */
static size_t
chars(const uint8_t *t, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += (t[i] & 0xc0) != 0x80;
	return n;
}

/* One line of untrusted text, wrapped at spaces to fit width after the
 * indent (a word longer than the line is cut), each piece terminal-safe. */
static void
print_wrapped(const uint8_t *t, size_t len, const char *indent)
{
	size_t w = wrap_width(), room = w > strlen(indent) + 10 ? w - strlen(indent) : 0;

	do {
		size_t cut = len, brk = 0, n = 0;
		if (room > 0 && chars(t, len) > room) {
			for (size_t i = 0; i < len; i++) {
				if ((t[i] & 0xc0) == 0x80)
					continue;
				if (n == room) {
					cut = i;
					break;
				}
				if (t[i] == ' ')
					brk = i;
				n++;
			}
			if (brk > 0 && cut < len)
				cut = brk;
		}
		fputs(indent, stdout);
		rv_print_safe(stdout, (const char *)t, cut, 1);
		putchar('\n');
		while (cut < len && t[cut] == ' ')
			cut++;
		t += cut;
		len -= cut;
	} while (len > 0);
}

/* Untrusted text, one indented (wrapped) line per line, terminal-safe. */
static void
print_block(const uint8_t *t, size_t len, const char *indent)
{
	size_t i = 0;

	do {
		size_t s = i;
		while (i < len && t[i] != '\n')
			i++;
		print_wrapped(t + s, i - s, indent);
	} while (i++ < len);
}

/* The follow-up questions (util/voice.c), as a reviewer reads them. */
static const char *const voice_labels[VOICE_QUESTIONS] = {
    "Treated badly because they raised this", "Would speak up again"};
static const char *const voice_words[VOICE_QUESTIONS][VOICE_ANSWERS] = {
    {"yes", "no", "would rather not say"}, {"yes", "no", "not sure"}};

/* 1 when field f is a voice answer (printed here), else 0. */
static int
print_voice(const struct field *f)
{
	for (int q = 0; q < VOICE_QUESTIONS; q++) {
		if (strcmp(f->name, voice_field(q)) != 0)
			continue;
		int a = voice_parse(q, f->val, f->len);
		printf("  %s: %s\n", voice_labels[q],
		    a > 0 ? voice_words[q][a - 1] : "(not one of the answers offered: not counted)");
		return 1;
	}
	return 0;
}

/* The latest answers the casebook counts for the report, if any. */
static int
print_voice_stored(struct casebook *cb, const char *id)
{
	struct rp_answers a;

	if (rp_answers_get(cb, id, &a) != 0)
		return -1;
	if (a.voice[0] == VOICE_NONE && a.voice[1] == VOICE_NONE)
		return 0;
	printf("\nThe reporter's latest answers (counted in the governance report)\n");
	for (int q = 0; q < VOICE_QUESTIONS; q++)
		printf("  %s: %s\n", voice_labels[q],
		    a.voice[q] >= VOICE_YES && a.voice[q] <= VOICE_OTHER
			? voice_words[q][a.voice[q] - 1]
			: "not answered");
	return 0;
}

static void
print_fields(const uint8_t *pt, size_t len, const char *magic)
{
	struct field f[FIELDS_MAX];
	size_t n = 0, off;

	if (fields_decode(pt, len, magic, f, FIELDS_MAX, &n, &off) != 0) {
		printf("  (malformed text)\n");
		return;
	}
	const struct field *risk = fields_get(f, n, "risk");
	if (risk != NULL && risk->len == 3 && memcmp(risk->val, "yes", 3) == 0)
		printf("  !! The reporter says a child is at IMMEDIATE RISK.\n");
	for (size_t i = 0; i < n; i++) {
		const char *label = NULL;
		int ml = 1;
		size_t blank = 0;

		/* an answer left empty says nothing: leave it out */
		while (blank < f[i].len && (f[i].val[blank] == ' ' || f[i].val[blank] == '\n' ||
					       f[i].val[blank] == '\t' || f[i].val[blank] == '\r'))
			blank++;
		if (blank == f[i].len)
			continue;
		if (strcmp(magic, FIELDS_MESSAGE) == 0 && print_voice(&f[i]))
			continue;
		for (size_t k = 0; k < sizeof(labels) / sizeof(labels[0]); k++)
			if (strcmp(f[i].name, labels[k].name) == 0)
				label = labels[k].label, ml = labels[k].multiline;
		if (label == NULL)
			label = f[i].name; /* from the plaintext: printed safe below */
		if (ml) {
			fputs("  ", stdout);
			rv_print_safe(stdout, label, strlen(label), 0);
			fputs(":\n", stdout);
			print_block(f[i].val, f[i].len, "    ");
		} else {
			/* "Label: value" as one line, wrapped under the label */
			char *l = rv_safe_dup(label, strlen(label));
			char *v = rv_safe_dup((const char *)f[i].val, f[i].len);
			char *one = NULL;
			size_t n = (l ? strlen(l) : 0) + (v ? strlen(v) : 0) + 3;
			if (l != NULL && v != NULL && (one = malloc(n)) != NULL) {
				snprintf(one, n, "%s: %s", l, v);
				print_wrapped((const uint8_t *)one, strlen(one), "  ");
				cc_free_wipe(one, n);
			}
			free(l);
			if (v != NULL)
				cc_free_wipe(v, strlen(v) + 1);
		}
	}
}

/* Prints every sealed row of sql (id, date, author?, body) with AD
 * "<what>:<row>:<concern id>:body" (cb_row_ad). */
static int
print_rows(struct casebook *cb, const char *sql, const char *id, const char *what,
    const char *magic, const char *title)
{
	sqlite3_stmt *st = NULL;
	int rc, first = 1;

	if (sqlite3_prepare_v2(cb_db(cb), sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint8_t *pt = NULL;
		size_t len = 0;
		char ad[80];
		const char *author = (const char *)sqlite3_column_text(st, 2);

		if (first)
			printf("\n%s\n", title);
		first = 0;
		/* date and author are clear columns of a file that may have
		 * been edited: printed through the safe path like the rest */
		const char *date = (const char *)sqlite3_column_text(st, 1);
		putchar(' ');
		rv_print_safe(stdout, date ? date : "", date ? strlen(date) : 0, 0);
		if (author != NULL) {
			fputs(" by ", stdout);
			rv_print_safe(stdout, author, strlen(author), 0);
		}
		/* an optional fifth column is this tool's own remark */
		if (sqlite3_column_count(st) > 4 && sqlite3_column_type(st, 4) == SQLITE_TEXT)
			printf("  (%s)", (const char *)sqlite3_column_text(st, 4));
		putchar('\n');
		if (sqlite3_column_type(st, 3) != SQLITE_BLOB) {
			printf("  (not readable with your key)\n");
			continue;
		}
		cb_row_ad(what, (long long)sqlite3_column_int64(st, 0), id, "body", ad);
		if (cb_unseal_concern(cb, id, ad, sqlite3_column_blob(st, 3),
			(size_t)sqlite3_column_bytes(st, 3), &pt, &len) != 0) {
			printf("  (damaged: does not open with the concern key)\n");
			continue;
		}
		if (magic != NULL)
			print_fields(pt, len, magic);
		else {
			print_block(pt, len, "  ");
		}
		cb_free(pt, len);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
print_attachments(struct casebook *cb, const char *id)
{
	sqlite3_stmt *st = NULL;
	int rc, first = 1;

	if (sqlite3_prepare_v2(cb_db(cb),
		"SELECT id, n, size, meta FROM attachments"
		" WHERE concern_id=? ORDER BY n",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint8_t *pt = NULL;
		size_t len = 0, n = 0, off;
		struct field f[FIELDS_MAX];
		const struct field *name = NULL, *type = NULL;
		char ad[80];

		if (first)
			printf("\nAttachments (candour-review attachment %s N --out FILE)\n", id);
		first = 0;
		cb_row_ad("attachment", (long long)sqlite3_column_int64(st, 0), id, "meta", ad);
		if (cb_unseal_concern(cb, id, ad, sqlite3_column_blob(st, 3),
			(size_t)sqlite3_column_bytes(st, 3), &pt, &len) == 0 &&
		    fields_decode(pt, len, FIELDS_ATTACHMENT, f, FIELDS_MAX, &n, &off) == 0) {
			name = fields_get(f, n, "name");
			type = fields_get(f, n, "type");
		}
		printf(" %d  %lld bytes  ", sqlite3_column_int(st, 1),
		    (long long)sqlite3_column_int64(st, 2));
		if (type != NULL)
			rv_print_safe(stdout, (const char *)type->val, type->len, 0);
		else
			fputs("?", stdout);
		fputs("  ", stdout);
		if (name != NULL)
			rv_print_safe(stdout, (const char *)name->val, name->len, 0);
		putchar('\n');
		cb_free(pt, len);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	/* envelopes of readable records kept sealed: they opened to something
	 * that is not an attachment */
	if (sqlite3_prepare_v2(cb_db(cb),
		"SELECT count(DISTINCT s.seq || '.' || s.idx) FROM sealed_envs s JOIN records r"
		" ON r.seq=s.seq WHERE r.concern_id=? AND r.readable=1",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0)
		printf(
		    "\n%d attached file%s could not be opened as an attachment and %s kept sealed"
		    " as it came.\n",
		    sqlite3_column_int(st, 0), sqlite3_column_int(st, 0) == 1 ? "" : "s",
		    sqlite3_column_int(st, 0) == 1 ? "is" : "are");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static const char sql_msgs[] =
    "SELECT seq, date, NULL, body, CASE WHEN after_close THEN 'NEW: after the case was"
    " closed' END FROM messages WHERE concern_id=? ORDER BY seq";
static const char sql_late_msgs[] =
    "SELECT seq, date, NULL, body, 'NEW: after the case was closed' FROM messages"
    " WHERE concern_id=? AND after_close=1 ORDER BY seq";

/* Follow-ups that arrived when the case was closed or purged; -1 error. */
static int
after_close_count(struct casebook *cb, const char *id)
{
	sqlite3_stmt *st = NULL;
	int n = -1;

	if (sqlite3_prepare_v2(cb_db(cb),
		"SELECT count(*) FROM messages WHERE concern_id=? AND after_close=1", -1, &st,
		NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
cmd_show(int argc, char **argv)
{
	const char *cmd = "show", *pos[1];
	struct rv_argspec sp = {
	    "candour-review show --casebook FILE --key NAME.sec ID\n"
	    "Shows a concern's answers and text, follow-up messages, attachments, notes,\n"
	    "replies and linked referrals. Untrusted text is printed terminal-safe.",
	    1, "ID", {NULL}, {NULL}, {NULL}, {NULL}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cb_concern c;
	uint8_t *pt = NULL;
	size_t len = 0;
	char ack[11], fb[11], ad[64];
	int r, rc = 1, late;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (rv_cli_id_arg(cmd, pos[0]) != 0)
		return 2;
	if (rv_cli_open(cmd, &o, &cb) != 0)
		return 1;
	if (rv_cli_concern(cmd, cb, pos[0], &c) != 0)
		goto out;
	if (cb_begin(cb) != 0 || cb_audit(cb, "show", c.id, NULL) != 0 || cb_commit(cb) != 0) {
		rv_err(cmd, "cannot write the audit log; nothing shown");
		goto out;
	}
	rv_date_add_days(c.received, CB_ACK_DAYS, ack);
	rv_date_add_months(c.received, CB_FEEDBACK_MONTHS, fb);
	printf(
	    "Concern %s (record %llu), received %s\n", c.id, (unsigned long long)c.seq, c.received);
	printf("  Status: %s%s%s", cb_state_name(c.status), c.outcome ? ", outcome " : "",
	    cb_outcome_name(c.outcome));
	if (c.assignee[0])
		printf(", assigned to %s", c.assignee);
	printf("\n  Acknowledgement due %s%s%s; feedback due %s\n", ack,
	    c.ack_date[0] ? ", acknowledged " : "", c.ack_date, fb);
	if ((late = after_close_count(cb, c.id)) < 0) {
		rv_err(cmd, "cannot read the casebook");
		goto out;
	}
	if (late > 0)
		printf("  !! %d NEW MESSAGE%s from the reporter after the case was closed: read"
		       " %s below\n",
		    late, late == 1 ? "" : "S", late == 1 ? "it" : "them");
	if (c.purged) {
		printf("  The text of this closed case was purged (retention).\n");
		if (late > 0 && c.readable &&
		    print_rows(cb, sql_late_msgs, c.id, "message", FIELDS_MESSAGE,
			"Follow-up messages from the reporter") != 0) {
			rv_err(cmd, "cannot read the casebook");
			goto out;
		}
		rc = 0;
		goto out;
	}
	if (!c.readable) {
		printf("  This concern is %s: it cannot be read with your key.\n",
		    cb_unreadable_why(&c));
		rc = 0;
		goto out;
	}
	if (cb_concern_body(cb, c.id, &pt, &len) != 0) {
		rv_err(cmd, "concern %s does not open with the casebook key (damaged)", c.id);
		goto out;
	}
	printf("\n");
	print_fields(pt, len, FIELDS_CONCERN);
	cb_free(pt, len);
	pt = NULL;
	cb_summary_ad(c.id, c.share_summary, ad);
	if (print_rows(cb, sql_msgs, c.id, "message", FIELDS_MESSAGE,
		"Follow-up messages from the reporter") != 0 ||
	    print_attachments(cb, c.id) != 0 ||
	    print_rows(cb,
		"SELECT id, date, author, body FROM notes WHERE concern_id=? ORDER BY id", c.id,
		"note", NULL, "Notes (private to reviewers)") != 0 ||
	    print_voice_stored(cb, c.id) != 0 ||
	    print_rows(cb,
		"SELECT id, date, author, body FROM replies WHERE concern_id=? ORDER BY id", c.id,
		"reply", NULL, "Replies to the reporter") != 0) {
		rv_err(cmd, "cannot read the casebook");
		goto out;
	}
	{
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(cb_db(cb), "SELECT summary FROM concerns WHERE id=?", -1,
			&st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, c.id, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW &&
			    sqlite3_column_type(st, 0) == SQLITE_BLOB &&
			    cb_unseal_concern(cb, c.id, ad, sqlite3_column_blob(st, 0),
				(size_t)sqlite3_column_bytes(st, 0), &pt, &len) == 0) {
				printf("\nOutcome summary (%s with the reporter)\n",
				    c.share_summary ? "shared" : "not shared");
				print_block(pt, len, "  ");
				cb_free(pt, len);
			}
			sqlite3_finalize(st);
		}
	}
	printf("\n");
	if (ref_show(cb, c.id, stdout) != 0) {
		rv_err(cmd, "cannot show the linked referrals");
		goto out;
	}
	/* list's "new" marks are per reviewer: this one has now opened it */
	if (cb_seen_mark(cb, c.id) != 0)
		rv_err(cmd, "shown, but could not record that you opened it (casebook busy?)");
	rc = 0;
out:
	cb_close(cb);
	return rc;
}

/* ---- attachment ---------------------------------------------------------- */

struct fdsink {
	int fd;
};

static int
fd_sink(void *ctx, const uint8_t *buf, size_t len)
{
	struct fdsink *s = ctx;

	while (len > 0) {
		ssize_t w = write(s->fd, buf, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

int
cmd_attachment(int argc, char **argv)
{
	const char *cmd = "attachment", *pos[2], *out = NULL;
	struct rv_argspec sp = {
	    "candour-review attachment --casebook FILE --key NAME.sec ID N"
	    " --out FILE\nWrites attachment N of concern ID, decrypted, to a new file (never"
	    " overwrites).",
	    2, "ID and N", {"--out"}, {&out}, {NULL}, {NULL}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cb_concern c;
	sqlite3_stmt *st = NULL;
	struct fdsink s = {-1};
	int64_t rowid = 0;
	char *end;
	long n;
	int r, rc = 1;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (rv_cli_id_arg(cmd, pos[0]) != 0)
		return 2;
	errno = 0;
	n = strtol(pos[1], &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > BUNDLE_MAX_ENV * 1000L) {
		rv_err(cmd, "N is an attachment number as `show` lists it");
		return 2;
	}
	if (out == NULL) {
		rv_err(cmd, "--out FILE is required");
		return 2;
	}
	if (rv_cli_open(cmd, &o, &cb) != 0)
		return 1;
	if (rv_cli_concern(cmd, cb, pos[0], &c) != 0)
		goto done;
	if (!c.readable || c.purged) {
		rv_err(cmd, "concern %s is %s", c.id, c.purged ? "purged" : cb_unreadable_why(&c));
		goto done;
	}
	if (sqlite3_prepare_v2(cb_db(cb), "SELECT id FROM attachments WHERE concern_id=? AND n=?",
		-1, &st, NULL) != SQLITE_OK)
		goto done;
	sqlite3_bind_text(st, 1, c.id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	if (sqlite3_step(st) == SQLITE_ROW)
		rowid = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rowid == 0) {
		rv_err(cmd, "concern %s has no attachment %ld; see `show %s`", c.id, n, c.id);
		goto done;
	}
	if (cb_begin(cb) != 0 || cb_audit(cb, "attachment", c.id, pos[1]) != 0) {
		rv_err(cmd, "cannot write the audit log; nothing written");
		goto done;
	}
	s.fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (s.fd < 0) {
		rv_err(cmd, "cannot create %s: %s", out,
		    errno == EEXIST ? "it exists; choose a new name" : strerror(errno));
		goto done;
	}
	if (cb_att_read(cb, c.id, rowid, fd_sink, &s) != 0 || fsync(s.fd) != 0) {
		rv_err(cmd, "attachment %ld of %s does not open (damaged) or %s cannot be written",
		    n, c.id, out);
		close(s.fd);
		unlink(out);
		goto done;
	}
	close(s.fd);
	if (cb_commit(cb) != 0) {
		unlink(out);
		rv_err(cmd, "cannot write the audit log; nothing written");
		goto done;
	}
	fprintf(stderr,
	    "candour-review: wrote %s. Files can carry metadata (author, device,"
	    " location, tracked changes) that may point at the reporter: inspect it on this"
	    " offline machine only, and strip it before sharing.\n",
	    out);
	rc = 0;
done:
	cb_close(cb);
	return rc;
}

/* ---- search -------------------------------------------------------------- */

struct words {
	char *w[RV_SEARCH_WORDS_MAX];
	size_t n;
};

/* 1 if needle occurs in hay[0..hl) (ASCII case-insensitive). */
static int
ci_find(const uint8_t *hay, size_t hl, const char *needle)
{
	size_t nl = strlen(needle);

	for (size_t i = 0; nl <= hl && i <= hl - nl; i++)
		if (strncasecmp((const char *)hay + i, needle, nl) == 0)
			return 1;
	return 0;
}

/* 1 if every word occurs in the text: in some answer of a fields
 * plaintext (magic; never in the field names), or anywhere in plain text. */
static int
has_all(const struct words *ws, const uint8_t *s, size_t len, const char *magic)
{
	struct field f[FIELDS_MAX];
	size_t n = 0, off;

	if (magic != NULL && fields_decode(s, len, magic, f, FIELDS_MAX, &n, &off) != 0)
		return 0;
	for (size_t i = 0; i < ws->n; i++) {
		int found = magic == NULL && ci_find(s, len, ws->w[i]);
		for (size_t k = 0; k < n && !found; k++)
			found = ci_find(f[k].val, f[k].len, ws->w[i]);
		if (!found)
			return 0;
	}
	return 1;
}

static int
search_table(struct casebook *cb, const char *sql, const char *magic, const struct words *ws,
    const char *where, int *hits)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(cb_db(cb), sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cid = (const char *)sqlite3_column_text(st, 1);
		const uint8_t *rk = sqlite3_column_blob(st, 3);
		uint8_t *pt = NULL;
		size_t len = 0;
		char ad[80];

		/* concern_id is a clear column (a note or message is sealed to
		 * its own row): an id without the shape of one is not printed */
		if (cid == NULL || !cb_id_valid(cid) || sqlite3_column_type(st, 2) != SQLITE_BLOB ||
		    !cb_may_read(cb, rk, (size_t)sqlite3_column_bytes(st, 3)))
			continue;
		if (strcmp(where, "concern") == 0)
			snprintf(ad, sizeof(ad), "concern:%s:body", cid);
		else
			cb_row_ad(where, (long long)sqlite3_column_int64(st, 0), cid, "body", ad);
		if (cb_unseal_concern(cb, cid, ad, sqlite3_column_blob(st, 2),
			(size_t)sqlite3_column_bytes(st, 2), &pt, &len) != 0)
			continue;
		if (has_all(ws, pt, len, magic)) {
			printf("%s  %s\n", cid, where);
			(*hits)++;
		}
		cb_free(pt, len);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
cmd_search(int argc, char **argv)
{
	const char *cmd = "search", *pos[1];
	struct rv_argspec sp = {
	    "candour-review search --casebook FILE --key NAME.sec \"WORDS\"\n"
	    "Lists concerns whose text, follow-up messages or notes contain every word\n"
	    "(case-insensitive). Decrypts in memory; no index is written.",
	    1, "the words", {NULL}, {NULL}, {NULL}, {NULL}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct words ws = {{NULL}, 0};
	char *copy = NULL, *save = NULL;
	int r, rc = 1, hits = 0;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (strlen(pos[0]) > RV_SEARCH_MAX || !util_text_valid(pos[0], strlen(pos[0]), 0) ||
	    (copy = strdup(pos[0])) == NULL) {
		rv_err(cmd, "search words must be one line of text under 1 KiB");
		return 2;
	}
	for (char *t = strtok_r(copy, " \t", &save); t != NULL; t = strtok_r(NULL, " \t", &save))
		if (ws.n < RV_SEARCH_WORDS_MAX)
			ws.w[ws.n++] = t;
	if (ws.n == 0) {
		rv_err(cmd, "give at least one word");
		free(copy);
		return 2;
	}
	if (rv_cli_open(cmd, &o, &cb) != 0)
		goto out;
	if (cb_begin(cb) != 0 || cb_audit(cb, "search", NULL, pos[0]) != 0) {
		rv_err(cmd, "cannot write the audit log");
		goto out;
	}
	if (search_table(cb,
		"SELECT seq, id, body, recipients FROM concerns WHERE readable=1"
		" ORDER BY received, seq",
		FIELDS_CONCERN, &ws, "concern", &hits) != 0 ||
	    search_table(cb,
		"SELECT m.seq, m.concern_id, m.body, c.recipients FROM messages m"
		" JOIN concerns c ON c.id=m.concern_id WHERE m.readable=1 ORDER BY m.seq",
		FIELDS_MESSAGE, &ws, "message", &hits) != 0 ||
	    search_table(cb,
		"SELECT n.id, n.concern_id, n.body, c.recipients FROM notes n"
		" JOIN concerns c ON c.id=n.concern_id ORDER BY n.id",
		NULL, &ws, "note", &hits) != 0 ||
	    cb_commit(cb) != 0) {
		rv_err(cmd, "cannot read the casebook");
		goto out;
	}
	if (hits == 0)
		fprintf(stderr, "candour-review: search: no match\n");
	rc = 0;
out:
	if (copy != NULL)
		cc_free_wipe(copy, strlen(pos[0]) + 1);
	cb_close(cb);
	return rc;
}
