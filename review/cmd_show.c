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

/* yesno: the form offers yes or no (intake/form_check.c), said in the
 * reviewer's language; any other value is the plaintext's, shown as it is. */
static const struct {
	const char *name, *label;
	int multiline, yesno;
} labels[] = {
    {"category", "cli.rv.show.f.category", 0, 0},
    {"team", "cli.rv.show.f.team", 0, 0},
    {"when", "cli.rv.show.f.when", 0, 0},
    {"ref", "cli.rv.show.f.ref", 0, 0},
    {"risk", "cli.rv.show.f.risk", 0, 1},
    {"raised_before", "cli.rv.show.f.raised_before", 0, 1},
    {"raised_with", "cli.rv.show.f.raised_with", 1, 0},
    {"what", "cli.rv.show.f.what", 1, 0},
    {"text", "cli.rv.show.f.text", 1, 0},
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
    "cli.rv.show.voice.treated", "cli.rv.show.voice.again"};
static const char *const voice_words[VOICE_QUESTIONS][VOICE_ANSWERS] = {
    {"cli.rv.show.voice.yes", "cli.rv.show.voice.no", "cli.rv.show.voice.rather_not"},
    {"cli.rv.show.voice.yes", "cli.rv.show.voice.no", "cli.rv.show.voice.not_sure"}};

/* 1 when fname is a voice answer (printed here), else 0. A value not
 * offered is not echoed: it is not counted either. */
static int
print_voice(const char *fname, const uint8_t *val, size_t vlen)
{
	for (int q = 0; q < VOICE_QUESTIONS; q++) {
		if (strcmp(fname, voice_field(q)) != 0)
			continue;
		int a = voice_parse(q, val, vlen);
		fputs("  ", stdout);
		CLI_PUT(stdout, "cli.rv.show.voice.line", CLI_T(voice_labels[q]),
		    CLI_T(a > 0 ? voice_words[q][a - 1] : "cli.rv.show.voice.not_offered"));
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
	putchar('\n');
	CLI_PUT(stdout, "cli.rv.show.voice.latest");
	for (int q = 0; q < VOICE_QUESTIONS; q++) {
		fputs("  ", stdout);
		CLI_PUT(stdout, "cli.rv.show.voice.line", CLI_T(voice_labels[q]),
		    CLI_T(a.voice[q] >= VOICE_YES && a.voice[q] <= VOICE_OTHER
			      ? voice_words[q][a.voice[q] - 1]
			      : "cli.rv.show.voice.not_answered"));
	}
	return 0;
}

/* One answer: "Label:" then the text as a block, or "Label: value" as one
 * line wrapped under the label. */
static int
print_field(void *ctx, const char *fname, const uint8_t *val, size_t vlen)
{
	const char *label = NULL;
	int ml = 1, yesno = 0;

	(void)ctx;
	if (print_voice(fname, val, vlen))
		return 0;
	for (size_t k = 0; k < sizeof(labels) / sizeof(labels[0]); k++)
		if (strcmp(fname, labels[k].name) == 0)
			label = CLI_T(labels[k].label), ml = labels[k].multiline,
			yesno = labels[k].yesno;
	if (yesno && vlen == 3 && memcmp(val, "yes", 3) == 0)
		val = (const uint8_t *)CLI_T("cli.rv.show.voice.yes"), vlen = strlen((const char *)val);
	else if (yesno && vlen == 2 && memcmp(val, "no", 2) == 0)
		val = (const uint8_t *)CLI_T("cli.rv.show.voice.no"), vlen = strlen((const char *)val);
	if (label == NULL)
		label = fname; /* from the plaintext: printed safe below */
	if (ml) {
		fputs("  ", stdout);
		rv_print_safe(stdout, label, strlen(label), 0);
		fputs(":\n", stdout);
		print_block(val, vlen, "    ");
	} else {
		char *l = rv_safe_dup(label, strlen(label));
		char *v = rv_safe_dup((const char *)val, vlen);
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
	return 0;
}

static void
print_fields(const uint8_t *pt, size_t len, const char *magic)
{
	if (cb_fields_risk(pt, len, magic) < 0) {
		fputs("  ", stdout);
		CLI_PUT(stdout, "cli.rv.show.malformed");
		return;
	}
	if (cb_fields_risk(pt, len, magic) == 1)
		fputs("  ", stdout), CLI_PUT(stdout, "cli.rv.show.risk");
	cb_fields_each(pt, len, magic, print_field, NULL);
}

struct rows_ctx {
	const char *title, *magic;
	int first;
};

/* A message, note or reply: date, author, remark, then its text. */
static int
print_row(void *ctx, const struct cb_row *r)
{
	struct rows_ctx *x = ctx;

	if (x->first)
		putchar('\n'), CLI_PUT(stdout, x->title), putchar('\n');
	x->first = 0;
	/* date and author are clear columns of a file that may have
	 * been edited: printed through the safe path like the rest */
	putchar(' ');
	rv_print_safe(stdout, r->date, strlen(r->date), 0);
	if (r->author != NULL) {
		putchar(' '), CLI_PUT(stdout, "cli.rv.show.by"), putchar(' ');
		rv_print_safe(stdout, r->author, strlen(r->author), 0);
	}
	if (r->after_close)
		fputs("  ", stdout), CLI_PUT(stdout, "cli.rv.show.after_close");
	putchar('\n');
	if (r->state == CB_ROW_SEALED)
		fputs("  ", stdout), CLI_PUT(stdout, "cli.rv.show.row_sealed");
	else if (r->state == CB_ROW_DAMAGED)
		fputs("  ", stdout), CLI_PUT(stdout, "cli.rv.show.row_damaged");
	else if (x->magic != NULL)
		print_fields(r->text, r->len, x->magic);
	else
		print_block(r->text, r->len, "  ");
	return 0;
}

static int
print_rows(struct casebook *cb, const char *id, int kind, int late_only, const char *title)
{
	struct rows_ctx x = {title, kind == CB_ROW_MESSAGE ? FIELDS_MESSAGE : NULL, 1};
	return cb_rows_each(cb, id, kind, late_only, print_row, &x);
}

struct att_ctx {
	const char *id;
	int first;
};

static int
print_att(void *ctx, const struct cb_att_info *a)
{
	struct att_ctx *x = ctx;

	if (x->first)
		putchar('\n'), CLI_PUT(stdout, "cli.rv.show.atts", x->id);
	x->first = 0;
	printf(" %d  ", a->n);
	CLI_PUT(stdout, "cli.rv.show.bytes", CLI_NUM(a->size));
	fputs("  ", stdout);
	if (a->type != NULL)
		rv_print_safe(stdout, (const char *)a->type, a->typelen, 0);
	else
		fputs("?", stdout);
	fputs("  ", stdout);
	if (a->name != NULL)
		rv_print_safe(stdout, (const char *)a->name, a->namelen, 0);
	putchar('\n');
	return 0;
}

static int
print_attachments(struct casebook *cb, const char *id)
{
	struct att_ctx x = {id, 1};
	int kept;

	if (cb_atts_each(cb, id, print_att, &x) != 0 || (kept = cb_atts_kept(cb, id)) < 0)
		return -1;
	if (kept > 0)
		putchar('\n'), CLI_PUT(stdout, kept == 1 ? "cli.rv.show.kept1" : "cli.rv.show.kept",
				    CLI_NUM(kept));
	return 0;
}

int
cmd_show(int argc, char **argv)
{
	const char *cmd = "show", *pos[1];
	struct rv_argspec sp = {"cli.rv.show.usage",
	    1, "cli.rv.show.pos", {NULL}, {NULL}, {NULL}, {NULL}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cb_concern c;
	uint8_t *pt = NULL;
	size_t len = 0;
	char ack[11], fb[11];
	int r, rc = 1, late;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (rv_cli_id_arg(cmd, pos[0]) != 0)
		return 2;
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0)
		return r;
	if (rv_cli_concern(cmd, cb, pos[0], &c) != 0)
		goto out;
	if (cb_show_audit(cb, c.id) != 0) {
		RV_ERR(cmd, "cli.rv.show.no_audit");
		goto out;
	}
	rv_date_add_days(c.received, CB_ACK_DAYS, ack);
	rv_date_add_months(c.received, CB_FEEDBACK_MONTHS, fb);
	CLI_PUT(stdout, "cli.rv.show.head", c.id, CLI_NUM(c.seq), c.received);
	fputs("  ", stdout);
	if (c.outcome)
		CLI_PUT(stdout, "cli.rv.show.status_outcome", cb_state_name(c.status),
		    cb_outcome_name(c.outcome));
	else
		CLI_PUT(stdout, "cli.rv.show.status", cb_state_name(c.status));
	if (c.assignee[0])
		CLI_PUT(stdout, "cli.rv.show.assigned", c.assignee);
	fputs("\n  ", stdout);
	if (c.ack_date[0])
		CLI_PUT(stdout, "cli.rv.show.due_acked", ack, fb, c.ack_date);
	else
		CLI_PUT(stdout, "cli.rv.show.due", ack, fb);
	if ((late = cb_after_close_count(cb, c.id)) < 0) {
		RV_ERR(cmd, "cli.rv.casebook_unreadable");
		goto out;
	}
	if (late > 0)
		fputs("  ", stdout), CLI_PUT(stdout, late == 1 ? "cli.rv.show.late1" : "cli.rv.show.late",
					CLI_NUM(late));
	if (c.purged) {
		fputs("  ", stdout), CLI_PUT(stdout, "cli.rv.show.purged");
		if (late > 0 && c.readable &&
		    print_rows(
			cb, c.id, CB_ROW_MESSAGE, 1, "cli.rv.show.messages") != 0) {
			RV_ERR(cmd, "cli.rv.casebook_unreadable");
			goto out;
		}
		rc = 0;
		goto out;
	}
	if (!c.readable) {
		fputs("  ", stdout);
		CLI_PUT(stdout, "cli.rv.show.unreadable", cli_phrase(cb_unreadable_why(&c)));
		rc = 0;
		goto out;
	}
	if (cb_concern_body(cb, c.id, &pt, &len) != 0) {
		RV_ERR(cmd, "cli.rv.show.damaged", c.id);
		goto out;
	}
	printf("\n");
	print_fields(pt, len, FIELDS_CONCERN);
	cb_free(pt, len);
	pt = NULL;
	if (print_rows(cb, c.id, CB_ROW_MESSAGE, 0, "cli.rv.show.messages") != 0 ||
	    print_attachments(cb, c.id) != 0 ||
	    print_rows(cb, c.id, CB_ROW_NOTE, 0, "cli.rv.show.notes") != 0 ||
	    print_voice_stored(cb, c.id) != 0 ||
	    print_rows(cb, c.id, CB_ROW_REPLY, 0, "cli.rv.show.replies") != 0) {
		RV_ERR(cmd, "cli.rv.casebook_unreadable");
		goto out;
	}
	if (cb_summary_open(cb, &c, &pt, &len) == 0) {
		putchar('\n');
		CLI_PUT(stdout, c.share_summary ? "cli.rv.show.summary_shared" : "cli.rv.show.summary");
		print_block(pt, len, "  ");
		cb_free(pt, len);
		pt = NULL;
	}
	printf("\n");
	if (ref_show(cb, c.id, stdout) != 0) {
		RV_ERR(cmd, "cli.rv.show.no_refs");
		goto out;
	}
	/* list's "new" marks are per reviewer: this one has now opened it */
	if (cb_seen_mark(cb, c.id) != 0)
		RV_ERR(cmd, "cli.rv.show.no_seen");
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
	struct rv_argspec sp = {"cli.rv.attachment.usage",
	    2, "cli.rv.attachment.pos", {"--out"}, {&out}, {NULL}, {NULL}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cb_concern c;
	struct fdsink s = {-1};
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
		RV_ERR(cmd, "cli.rv.attachment.bad_n");
		return 2;
	}
	if (out == NULL) {
		RV_ERR(cmd, "cli.rv.attachment.no_out");
		return 2;
	}
	if (rv_cli_out_file(cmd, out, 1, "cli.rv.todo.out_new") !=
	    0)
		return 2;
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0)
		return r;
	if (rv_cli_concern(cmd, cb, pos[0], &c) != 0)
		goto done;
	if (!c.readable || c.purged) {
		RV_ERR(cmd, "cli.rv.attachment.unreadable", c.id,
		    cli_phrase(c.purged ? "purged" : cb_unreadable_why(&c)));
		goto done;
	}
	if (cb_att_rowid(cb, c.id, n) == 0) {
		RV_ERR(cmd, "cli.rv.attachment.none", c.id, CLI_NUM(n));
		goto done;
	}
	s.fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (s.fd < 0) {
		RV_ERR(cmd, "cli.rv.cannot_create", out,
		    errno == EEXIST ? CLI_T("cli.rv.exists_new_name") : cli_phrase(strerror(errno)));
		goto done;
	}
	if ((r = cb_att_export(cb, &c, n, fd_sink, &s)) != CB_ACT_OK || fsync(s.fd) != 0 ||
	    cb_commit(cb) != 0) {
		if (r == CB_ATT_NONE)
			RV_ERR(cmd, "cli.rv.attachment.none", c.id, CLI_NUM(n));
		else if (r == CB_ACT_OK || r == CB_ATT_DAMAGED)
			RV_ERR(cmd, "cli.rv.attachment.damaged", CLI_NUM(n), c.id, out);
		else
			RV_ERR(cmd, "cli.rv.attachment.no_audit");
		close(s.fd);
		unlink(out);
		goto done;
	}
	close(s.fd);
	fputs("candour-review: ", stderr); /* lint-cli: the program's name */
	CLI_PUT(stderr, "cli.rv.attachment.wrote", out);
	rc = 0;
done:
	cb_close(cb);
	return rc;
}

static int
print_hit(void *ctx, const char *cid, const char *where)
{
	(void)ctx;
	printf("%s  %s\n", cid, where);
	return 0;
}

int
cmd_search(int argc, char **argv)
{
	const char *cmd = "search", *pos[1];
	struct rv_argspec sp = {"cli.rv.search.usage",
	    1, "cli.rv.search.pos", {NULL}, {NULL}, {NULL}, {NULL}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	int r, rc = 1, hits = 0;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if ((r = cb_search_check(pos[0])) != 0) {
		RV_ERR(cmd, r == -2 ? "cli.rv.search.no_words" : "cli.rv.search.bad_words");
		return 2;
	}
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0) {
		rc = r;
		goto out;
	}
	if ((hits = cb_search(cb, pos[0], print_hit, NULL)) < 0) {
		RV_ERR(cmd, "cli.rv.casebook_unreadable");
		goto out;
	}
	if (hits == 0)
		RV_ERR(cmd, "cli.rv.search.none");
	rc = 0;
out:
	cb_close(cb);
	return rc;
}
