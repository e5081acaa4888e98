/* The inbox: every concern as `list` sees it (cb_inbox_each), filtered by
 * state and, when words are given, by `search` (cb_search, audited). */
#include <stdlib.h>
#include <string.h>

#include "review/desk.h"
#include "util/util.h"

#define INBOX_HITS_MAX 4096 /* concern ids a search can select */

struct inbox {
	struct desk *d;
	struct desk_arena ar;
	struct tvars *rows;
	size_t n, cap;
	char (*hits)[CB_ID_CHARS + 1]; /* NULL: no search */
	size_t nhits;
};

static int
add_hit(void *ctx, const char *cid, const char *where)
{
	struct inbox *b = ctx;

	(void)where;
	for (size_t i = 0; i < b->nhits; i++)
		if (strcmp(b->hits[i], cid) == 0)
			return 0;
	if (b->nhits == INBOX_HITS_MAX || strlen(cid) > CB_ID_CHARS)
		return 0;
	memcpy(b->hits[b->nhits++], cid, strlen(cid) + 1);
	return 0;
}

/* "cat.<slug>" from the catalogue, else the slug as it came. */
const char *
desk_category(const struct desk *d, const char *slug)
{
	char k[CB_CATEGORY_MAX + 8];
	const char *s;

	snprintf(k, sizeof(k), "cat.%s", slug);
	return (s = catalogue_get(d->web.cat, k)) != NULL ? s : slug;
}

const char *
desk_state(const struct desk *d, int state)
{
	char k[48];

	snprintf(k, sizeof(k), "desk_state_%s", cb_state_name(state));
	return desk_t(d, k);
}

const char *
desk_outcome(const struct desk *d, int outcome)
{
	char k[64];
	const char *n = cb_outcome_name(outcome);

	if (n[0] == '\0')
		return "";
	snprintf(k, sizeof(k), "desk_outcome_%s", n);
	for (char *p = k; *p; p++)
		if (*p == '-')
			*p = '_';
	return desk_t(d, k);
}

static int
add_row(void *ctx, const struct cb_inbox_row *r)
{
	struct inbox *b = ctx;
	struct tvars *v;
	int hit = b->hits == NULL;

	for (size_t i = 0; !hit && i < b->nhits; i++)
		hit = strcmp(b->hits[i], r->id) == 0;
	if (!hit)
		return 0;
	if (b->n == b->cap) {
		size_t nc = b->cap ? 2 * b->cap : 32;
		struct tvars *nr = realloc(b->rows, nc * sizeof(*nr));
		if (nr == NULL)
			return -1;
		b->rows = nr;
		b->cap = nc;
	}
	v = &b->rows[b->n++];
	memset(v, 0, sizeof(*v));
	const char *cat = desk_category(b->d, r->category);
	tv_text(v, "id", desk_keep(&b->ar, r->id, strlen(r->id)));
	tv_text(v, "received", desk_keep(&b->ar, r->received, strlen(r->received)));
	tv_text(v, "category", desk_keep(&b->ar, cat, strlen(cat)));
	tv_text(v, "status", desk_state(b->d, r->status));
	tv_text(v, "outcome", desk_outcome(b->d, r->outcome));
	tv_text(v, "assignee", desk_keep(&b->ar, r->assignee, strlen(r->assignee)));
	tv_text(v, "ack_due",
	    r->status == CB_RECEIVED ? desk_keep(&b->ar, r->ack_due, strlen(r->ack_due)) : "");
	tv_text(v, "fb_due",
	    r->status == CB_CLOSED ? "" : desk_keep(&b->ar, r->fb_due, strlen(r->fb_due)));
	tv_text(v, "readable", r->readable ? "1" : "");
	tv_text(v, "is_new", r->is_new ? "1" : "");
	tv_text(v, "new_msg", !r->is_new && r->new_msg ? "1" : "");
	tv_text(v, "risk", r->risk ? "1" : "");
	tv_text(v, "overdue", r->ack_late || r->fb_late ? "1" : "");
	tv_text(v, "late_msg", r->late_msg ? "1" : "");
	return v->err || b->ar.err ? -1 : 0;
}

void
desk_page_inbox(struct desk *d, struct desk_req *r, struct desk_resp *o)
{
	static const char *const states[] = {"received", "acknowledged", "investigating", "closed"};
	const char *st = desk_arg(r, "status"), *q = desk_arg(r, "q");
	struct inbox b;
	struct tvars v = {0}, opts[4];
	char today[11], count[24];
	int want = 0;

	memset(opts, 0, sizeof(opts));
	memset(&b, 0, sizeof(b));
	b.d = d;
	if (st != NULL && st[0] != '\0' && (want = cb_state_parse(st)) == 0) {
		desk_fail(d, o, 400, "desk_bad_filter");
		return;
	}
	if (q != NULL && q[0] != '\0') {
		if (cb_search_check(q) != 0) {
			desk_fail(d, o, 400, "desk_bad_search");
			return;
		}
		if ((b.hits = calloc(INBOX_HITS_MAX, sizeof(*b.hits))) == NULL ||
		    cb_search(d->cb, q, add_hit, &b) < 0)
			goto fail;
	}
	if (util_today(today) != 0 || cb_inbox_each(d->cb, today, want, 0, add_row, &b) != 0)
		goto fail;
	for (size_t i = 0; i < 4; i++) {
		tv_text(&opts[i], "value", states[i]);
		tv_text(&opts[i], "label", desk_state(d, (int)i + 1));
		tv_text(&opts[i], "selected", want == (int)i + 1 ? "1" : "");
	}
	snprintf(count, sizeof(count), "%zu", b.n);
	tv_list(&v, "rows", b.rows, b.n);
	tv_list(&v, "states", opts, 4);
	tv_text(&v, "q", q ? q : "");
	tv_text(&v, "count", count);
	tv_text(&v, "filtered", want != 0 || (q != NULL && q[0] != '\0') ? "1" : "");
	desk_render(d, o, "inbox", "desk_inbox_title", &v);
	goto out;
fail:
	desk_fail(d, o, 500, "desk_error");
out:
	desk_arena_free(&b.ar);
	free(b.rows);
	free(b.hits);
}
