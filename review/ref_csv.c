/*
 * A streaming RFC 4180 reader for the referral register. Memory is one
 * read buffer and one record, whatever the file size. Every field is
 * checked as strict UTF-8 text before the caller sees it; errors name the
 * physical line and the character column where the problem is.
 */
#include <stdlib.h>
#include <string.h>

#include "review/ref.h"
#include "tmpl/tmpl.h"
#include "util/util.h"

/* A reason with its line and column, and the reason alone, in either
 * language (Welsh runs longer than English). */
#define CSV_ERR_MAX 256
#define CSV_WHAT_MAX 160

struct ref_csv {
	FILE *in;
	unsigned char buf[REF_CSV_BUF];
	size_t pos, end;
	int eof, started;
	unsigned long line, col; /* position of the next byte to read */
	/* Field bytes stop at REF_CSV_ROW_MAX (checked with >=: a field may end
	 * exactly there and the next one start past it); each of at most
	 * REF_CSV_COLS_MAX fields adds one NUL. */
	char row[REF_CSV_ROW_MAX + REF_CSV_COLS_MAX];
	char err[CSV_ERR_MAX];
};

int
ref_csv_new(FILE *in, struct ref_csv **out)
{
	struct ref_csv *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return -1;
	c->in = in;
	c->line = 1;
	c->col = 1;
	*out = c;
	return 0;
}

void
ref_csv_free(struct ref_csv *c)
{
	if (c == NULL)
		return;
	/* The record may hold register data about children. */
	explicit_bzero(c, sizeof(*c));
	free(c);
}

const char *
ref_csv_error(const struct ref_csv *c)
{
	return c->err[0] ? c->err : CLI_T("cli.why.ref.csv_none");
}

/* what: the reason, already said in the reader's language. */
static void
csv_fail(struct ref_csv *c, unsigned long line, unsigned long col, const char *what)
{
	CLI_FILL(c->err, sizeof(c->err), "cli.why.ref.csv_at", CLI_UNUM(line), CLI_UNUM(col), what);
}

static int
csv_fill(struct ref_csv *c)
{
	size_t n;

	if (c->eof)
		return 0;
	n = fread(c->buf, 1, sizeof(c->buf), c->in);
	if (n == 0) {
		c->eof = 1;
		return ferror(c->in) ? -1 : 0;
	}
	c->pos = 0;
	c->end = n;
	if (!c->started) {
		c->started = 1;
		if (n >= 3 && c->buf[0] == 0xef && c->buf[1] == 0xbb && c->buf[2] == 0xbf)
			c->pos = 3;
	}
	return 1;
}

/* Next byte, or -1 at end of input, -2 on a read error. */
static int
csv_peek(struct ref_csv *c)
{
	int r;

	while (c->pos >= c->end) {
		r = csv_fill(c);
		if (r <= 0)
			return r == 0 ? -1 : -2;
	}
	return c->buf[c->pos];
}

static int
csv_get(struct ref_csv *c)
{
	int ch = csv_peek(c);

	if (ch < 0)
		return ch;
	c->pos++;
	if (ch == '\n') {
		c->line++;
		c->col = 1;
	} else if ((ch & 0xc0) != 0x80) {
		c->col++; /* count characters, not continuation bytes */
	}
	return ch;
}

int
ref_csv_next(struct ref_csv *c, struct ref_csv_row *row)
{
	size_t used = 0, n = 0, flen;
	unsigned long fline, fcol;
	int ch, quoted;
	char what[CSV_WHAT_MAX];

next_record:
	used = 0;
	n = 0;
	row->line = c->line;
	ch = csv_peek(c);
	if (ch == -2)
		goto readerr;
	if (ch == -1)
		return 0;
	for (;;) {
		char *f = c->row + used;

		if (n == REF_CSV_COLS_MAX) {
			csv_fail(c, c->line, c->col,
			    CLI_FILL(what, sizeof(what), "cli.why.ref.csv_fields",
				CLI_NUM(REF_CSV_COLS_MAX)));
			return -1;
		}
		fline = c->line;
		fcol = c->col;
		flen = 0;
		quoted = 0;
		ch = csv_peek(c);
		if (ch == '"') {
			quoted = 1;
			csv_get(c);
			for (;;) {
				ch = csv_get(c);
				if (ch == -2)
					goto readerr;
				if (ch == -1) {
					csv_fail(c, fline, fcol, CLI_T("cli.why.ref.csv_quote_open"));
					return -1;
				}
				if (ch == '"') {
					if (csv_peek(c) != '"')
						break;
					csv_get(c);
				} else if (ch == '\r') {
					if (csv_peek(c) != '\n') {
						csv_fail(c, c->line, c->col - 1,
						    CLI_T("cli.why.ref.csv_cr"));
						return -1;
					}
					continue; /* CRLF inside a field is stored as LF */
				}
				if (flen == REF_CSV_FIELD_MAX || used + flen >= REF_CSV_ROW_MAX)
					goto toolong;
				f[flen++] = (char)ch;
			}
			ch = csv_peek(c);
			if (ch == -2)
				goto readerr;
			if (ch != ',' && ch != '\n' && ch != '\r' && ch != -1) {
				csv_fail(c, c->line, c->col,
				    CLI_T("cli.why.ref.csv_after_quote"));
				return -1;
			}
		} else {
			for (;;) {
				ch = csv_peek(c);
				if (ch == -2)
					goto readerr;
				if (ch == -1 || ch == ',' || ch == '\n' || ch == '\r')
					break;
				if (ch == '"') {
					csv_fail(c, c->line, c->col,
					    CLI_T("cli.why.ref.csv_quote_inside"));
					return -1;
				}
				if (flen == REF_CSV_FIELD_MAX || used + flen >= REF_CSV_ROW_MAX)
					goto toolong;
				f[flen++] = (char)csv_get(c);
			}
		}
		f[flen] = '\0';
		if (!util_text_valid(f, flen, 1)) {
			csv_fail(c, fline, fcol, CLI_T("cli.why.ref.csv_utf8"));
			return -1;
		}
		row->f[n] = f;
		row->len[n] = flen;
		row->fline[n] = fline;
		n++;
		used += flen + 1;
		/* The delimiter after the field. */
		ch = csv_get(c);
		if (ch == ',')
			continue;
		if (ch == '\r') {
			if (csv_get(c) != '\n') {
				csv_fail(c, fline, c->col - 1, CLI_T("cli.why.ref.csv_cr"));
				return -1;
			}
		}
		/* ch is '\n', '\r' (CRLF) or end of input: the record ends. */
		if (n == 1 && flen == 0 && !quoted)
			goto next_record; /* a blank line */
		row->n = n;
		return 1;
	}
toolong:
	csv_fail(c, fline, fcol,
	    CLI_FILL(what, sizeof(what), "cli.why.ref.csv_long", CLI_NUM(REF_CSV_FIELD_MAX),
		CLI_NUM(REF_CSV_ROW_MAX)));
	return -1;
readerr:
	csv_fail(c, c->line, c->col, CLI_T("cli.why.ref.csv_read"));
	return -1;
}
