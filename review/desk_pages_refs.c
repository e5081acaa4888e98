/*
 * The referral register as `referrals list` gives it: ref_list writes its
 * CSV (the same rows, flags and corroboration counts) into memory, and
 * this page shows the cells as a table. No referral rule is computed here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review/desk.h"
#include "review/ref.h"

#define REFS_COLS 9

/* Splits one CSV line of ref_list (every cell quoted, "" for a quote) into
 * at most REFS_COLS cells kept in the arena. Returns the cell count. */
static size_t
csv_split(struct desk_arena *ar, const char *line, size_t len, const char *cells[REFS_COLS])
{
	size_t n = 0, i = 0;
	char *buf = malloc(len + 1);

	if (buf == NULL)
		return 0;
	while (i < len && n < REFS_COLS) {
		size_t o = 0;
		if (line[i] == '"') {
			for (i++; i < len; i++) {
				if (line[i] == '"' && i + 1 < len && line[i + 1] == '"')
					buf[o++] = line[i++];
				else if (line[i] == '"') {
					i++;
					break;
				} else
					buf[o++] = line[i];
			}
		} else
			while (i < len && line[i] != ',')
				buf[o++] = line[i++];
		/* a cell defused against spreadsheet formulas shows as typed */
		/* (an empty cell leaves buf[0] unwritten: its length first) */
		cells[n++] = desk_keep(ar, o > 1 && buf[0] == '\'' ? buf + 1 : buf,
		    o > 1 && buf[0] == '\'' ? o - 1 : o);
		if (i < len && line[i] == ',')
			i++;
	}
	free(buf);
	return n;
}

void
desk_page_referrals(struct desk *d, struct desk_req *r, struct desk_resp *o)
{
	static const char *const names[REFS_COLS] = {"ref", "concerns", "possible", "link",
	    "in_register", "received", "decision", "status", "flags"};
	const char *flag = desk_arg(r, "flag");
	struct desk_arena ar = {0};
	struct desk_vlist rows = {0};
	struct tvars v = {0};
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	if (flag != NULL && flag[0] != '\0' && !ref_filter_ok(flag)) {
		desk_fail(d, o, 400, "desk_bad_filter");
		return;
	}
	if ((mem = open_memstream(&text, &len)) == NULL)
		goto fail;
	if (ref_list("desk", d->cb, flag && flag[0] ? flag : NULL, 1, mem) != 0) {
		fclose(mem);
		goto fail;
	}
	fclose(mem);
	/* the first line is the header */
	for (char *p = strchr(text, '\n'); p != NULL && p[1] != '\0';) {
		char *line = p + 1, *end = strchr(line, '\n');
		size_t ll = end ? (size_t)(end - line) : strlen(line);
		const char *cells[REFS_COLS];
		struct tvars *row;
		if (ll > 0 && line[ll - 1] == '\r')
			ll--;
		if (csv_split(&ar, line, ll, cells) == REFS_COLS && (row = desk_vl_add(&ar, &rows)))
			for (size_t k = 0; k < REFS_COLS; k++)
				tv_text(row, names[k], cells[k]);
		p = end;
	}
	tv_list(&v, "refs", rows.v, rows.n);
	tv_text(&v, "flag", flag ? flag : "");
	if (ar.err || desk_render(d, o, "referrals", "desk_refs_title", &v) != 0)
		goto fail;
	goto out;
fail:
	tbuf_free(&o->body);
	memset(&o->body, 0, sizeof(o->body));
	desk_fail(d, o, 500, "desk_error");
out:
	if (text != NULL) {
		sodium_memzero(text, len);
		free(text);
	}
	desk_arena_free(&ar);
}
