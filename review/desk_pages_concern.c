/*
 * A concern: what `show` shows (cb_view.c pieces), the case history from
 * the audit log, and the action forms. Opening it is audited and marks it
 * seen for this reviewer, as `show` does. Attachments download through
 * cb_att_export (audited as `attachment`).
 */
#include <stdlib.h>
#include <string.h>

#include "review/desk.h"
#include "review/ref.h"
#include "util/util.h"

#define DESK_DOWNLOAD_MAX ((size_t)64 << 20) /* larger: `candour-review attachment` */

struct page {
	struct desk *d;
	struct desk_arena ar;
	struct desk_vlist fields, msgs, atts, notes, replies, hist, links;
	const char *cid;
};

/* "desk_field_<name>" when the catalogue has it, else the name itself. */
static const char *
field_label(struct page *p, const char *name)
{
	char k[64];
	const char *s;

	snprintf(k, sizeof(k), "desk_field_%s", name);
	s = catalogue_get(p->d->web.cat, k);
	return s != NULL ? s : desk_keep(&p->ar, name, strlen(name));
}

struct fctx {
	struct page *p;
	struct desk_vlist *into;
};

static int
add_field(void *ctx, const char *name, const uint8_t *val, size_t len)
{
	struct fctx *f = ctx;
	struct tvars *v = desk_vl_add(&f->p->ar, f->into);
	const char *shown = NULL;

	if (v == NULL)
		return -1;
	/* a yes / no answer in the reader's language */
	if (len == 3 && memcmp(val, "yes", 3) == 0)
		shown = desk_t(f->p->d, "yes");
	else if (len == 2 && memcmp(val, "no", 2) == 0)
		shown = desk_t(f->p->d, "no");
	else if (strcmp(name, "category") == 0) {
		const char *slug = desk_keep(&f->p->ar, (const char *)val, len);
		shown = desk_category(f->p->d, slug);
	}
	tv_text(v, "label", field_label(f->p, name));
	tv_text(v, "value", shown ? shown : desk_keep(&f->p->ar, (const char *)val, len));
	return v->err || f->p->ar.err ? -1 : 0;
}

static int
add_row(void *ctx, const struct cb_row *r)
{
	struct page *p = ctx;
	struct desk_vlist *l = r->kind == CB_ROW_MESSAGE ? &p->msgs
			       : r->kind == CB_ROW_NOTE	 ? &p->notes
							 : &p->replies;
	struct tvars *v = desk_vl_add(&p->ar, l);

	if (v == NULL)
		return -1;
	tv_text(v, "date", desk_keep(&p->ar, r->date, strlen(r->date)));
	tv_text(v, "author", r->author ? desk_keep(&p->ar, r->author, strlen(r->author)) : "");
	tv_text(v, "after_close", r->after_close ? "1" : "");
	tv_text(v, "sealed", r->state == CB_ROW_SEALED ? "1" : "");
	tv_text(v, "damaged", r->state == CB_ROW_DAMAGED ? "1" : "");
	if (r->state == CB_ROW_OPEN && r->kind == CB_ROW_MESSAGE) {
		/* a message's own answers, in a list of its own */
		struct desk_vlist *fl = desk_alloc(&p->ar, sizeof(*fl));
		struct fctx f = {p, fl};
		if (fl == NULL)
			return -1;
		tv_text(v, "malformed",
		    cb_fields_each(r->text, r->len, FIELDS_MESSAGE, add_field, &f) != 0 ? "1" : "");
		tv_list(v, "fields", fl->v, fl->n);
		tv_text(v, "text", "");
	} else {
		tv_text(v, "malformed", "");
		tv_list(v, "fields", NULL, 0);
		tv_text(v, "text",
		    r->state == CB_ROW_OPEN ? desk_keep(&p->ar, (const char *)r->text, r->len)
					    : "");
	}
	return v->err || p->ar.err ? -1 : 0;
}

static int
add_att(void *ctx, const struct cb_att_info *a)
{
	struct page *p = ctx;
	struct tvars *v = desk_vl_add(&p->ar, &p->atts);
	char n[24], size[32];

	if (v == NULL)
		return -1;
	snprintf(n, sizeof(n), "%d", a->n);
	snprintf(size, sizeof(size), "%lld", a->size);
	tv_text(v, "n", desk_keep(&p->ar, n, strlen(n)));
	tv_text(v, "size", desk_keep(&p->ar, size, strlen(size)));
	tv_text(v, "name", a->name ? desk_keep(&p->ar, (const char *)a->name, a->namelen) : "?");
	tv_text(v, "type", a->type ? desk_keep(&p->ar, (const char *)a->type, a->typelen) : "?");
	return v->err || p->ar.err ? -1 : 0;
}

static int
add_hist(void *ctx, const struct cb_audit_row *e)
{
	struct page *p = ctx;
	struct tvars *v = desk_vl_add(&p->ar, &p->hist);

	if (v == NULL)
		return -1;
	tv_text(v, "when", desk_keep(&p->ar, e->when, strlen(e->when)));
	tv_text(v, "who", desk_keep(&p->ar, e->who, strlen(e->who)));
	tv_text(v, "action", desk_keep(&p->ar, e->action, strlen(e->action)));
	tv_text(v, "detail",
	    e->detail_state == CB_ROW_OPEN ? desk_keep(&p->ar, (const char *)e->detail, e->dlen)
					   : "");
	return v->err || p->ar.err ? -1 : 0;
}

/* One linked referral (ref_links_each: what `show` prints), with its
 * register facts and flags; a near link gets confirm / reject forms. */
static int
add_link(void *ctx, const struct ref_link_view *l)
{
	struct page *p = ctx;
	struct tvars *v = desk_vl_add(&p->ar, &p->links);
	struct desk_vlist facts = {0};
	char fl[160];
	const char *how;

	if (v == NULL)
		return -1;
	how = l->rejected	       ? "desk_link_rejected"
	      : l->near		       ? "desk_link_near"
	      : !l->in && !l->have_reg ? "desk_link_unchecked"
	      : !l->in		       ? "desk_link_missing"
	      : l->manual	       ? "desk_link_manual"
				       : "desk_link_exact";
	tv_text(v, "ref", desk_keep(&p->ar, l->ref, strlen(l->ref)));
	tv_text(v, "named", desk_keep(&p->ar, l->named, strlen(l->named)));
	tv_text(v, "how", desk_t(p->d, how));
	tv_text(v, "near", l->near ? "1" : "");
	tv_text(v, "by_reviewer", l->manual && !l->in ? "1" : "");
	fl[0] = '\0';
	if (!l->rejected) {
		char n[24];
		snprintf(n, sizeof(n), "%ld", l->others);
		tv_text(v, "others", desk_keep(&p->ar, n, strlen(n)));
	}
	if (l->in) {
		for (size_t i = 0; i < REF_FACTS_SHOWN; i++) {
			const char *val = l->reg->v[ref_fact_order[i]];
			struct tvars *f;
			if (val == NULL || *val == '\0')
				continue;
			if ((f = desk_vl_add(&p->ar, &facts)) == NULL)
				return -1;
			tv_text(f, "label", ref_field_name(ref_fact_order[i]));
			tv_text(f, "value", desk_keep(&p->ar, val, strlen(val)));
		}
		ref_flags_text(l->flags, fl, sizeof(fl));
		tv_text(v, "flags", fl[0] ? desk_keep(&p->ar, fl, strlen(fl)) : desk_t(p->d, "desk_link_no_flags"));
	}
	tv_list(v, "facts", facts.v, facts.n);
	return v->err || p->ar.err ? -1 : 0;
}

/* The forms' choices: states after the current one, outcomes, reviewers. */
static int
add_choices(struct page *p, struct tvars *v, const struct cb_concern *c)
{
	struct desk_vlist st = {0}, oc = {0}, rv = {0};
	sqlite3_stmt *q = NULL;
	struct tvars *x;

	for (int s = CB_RECEIVED; s <= CB_CLOSED; s++) {
		if (cb_transition_check(c->status, s, c->outcome != BOUT_NONE) != NULL)
			continue;
		if ((x = desk_vl_add(&p->ar, &st)) == NULL)
			return -1;
		tv_text(x, "value", cb_state_name(s));
		tv_text(x, "label", desk_state(p->d, s));
	}
	for (int o = BOUT_SUBSTANTIATED; o <= BOUT_NFA; o++) {
		if ((x = desk_vl_add(&p->ar, &oc)) == NULL)
			return -1;
		tv_text(x, "value", cb_outcome_name(o));
		tv_text(x, "label", desk_outcome(p->d, o));
		tv_text(x, "selected", c->outcome == o ? "1" : "");
	}
	if (sqlite3_prepare_v2(cb_db(p->d->cb), "SELECT name FROM reviewers ORDER BY name", -1, &q,
		NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *n = (const char *)sqlite3_column_text(q, 0);
		if (n == NULL || !cc_name_valid(n) || (x = desk_vl_add(&p->ar, &rv)) == NULL)
			continue;
		/* none preselected: the menu starts at "choose a reviewer" */
		tv_text(x, "name", desk_keep(&p->ar, n, strlen(n)));
	}
	sqlite3_finalize(q);
	tv_list(v, "next_states", st.v, st.n);
	tv_list(v, "outcomes", oc.v, oc.n);
	tv_list(v, "reviewers", rv.v, rv.n);
	/* no outcome is preselected until one is recorded: a careless submit
	 * must not record "substantiated" (the menu's first real choice) */
	tv_text(v, "has_outcome", c->outcome != BOUT_NONE ? "1" : "");
	tv_text(v, "can_close_note", c->outcome == BOUT_NONE ? "1" : "");
	return p->ar.err ? -1 : 0;
}

/* Loads ?id= for a page: 0, or -1 after answering (400 / 404 / 403). */
int
desk_concern_arg(struct desk *d, struct desk_req *r, struct desk_resp *o, struct cb_concern *c)
{
	const char *id = desk_arg(r, "id");
	char cid[CB_ID_CHARS + 1], why[160];
	int rc;

	if (id == NULL || cb_id_parse(id, cid, why, sizeof(why)) != 0) {
		desk_fail(d, o, 400, "desk_bad_id");
		return -1;
	}
	if ((rc = cb_concern_load(d->cb, cid, c)) != 0) {
		desk_fail(d, o, rc == 1 ? 404 : 500, rc == 1 ? "desk_no_concern" : "desk_error");
		return -1;
	}
	if (!c->readable) {
		/* listed as sealed, never opened */
		desk_fail(d, o, 403, "desk_sealed");
		return -1;
	}
	return 0;
}

void
desk_page_concern(struct desk *d, struct desk_req *r, struct desk_resp *o)
{
	struct page p;
	struct cb_concern c;
	struct tvars v = {0};
	uint8_t *pt = NULL;
	size_t len = 0;
	char ack[11], fb[11], late[16], kept[16];
	int nlate, nkept;

	memset(&p, 0, sizeof(p));
	p.d = d;
	if (desk_concern_arg(d, r, o, &c) != 0)
		return;
	if (cb_show_audit(d->cb, c.id) != 0)
		goto fail;
	rv_date_add_days(c.received, CB_ACK_DAYS, ack);
	rv_date_add_months(c.received, CB_FEEDBACK_MONTHS, fb);
	if ((nlate = cb_after_close_count(d->cb, c.id)) < 0 ||
	    (nkept = cb_atts_kept(d->cb, c.id)) < 0)
		goto fail;
	snprintf(late, sizeof(late), "%d", nlate);
	snprintf(kept, sizeof(kept), "%d", nkept);
	tv_text(&v, "id", c.id);
	tv_text(&v, "received", c.received);
	tv_text(&v, "status", desk_state(d, c.status));
	tv_text(&v, "outcome", desk_outcome(d, c.outcome));
	tv_text(&v, "assignee", c.assignee);
	tv_text(&v, "ack_due", ack);
	tv_text(&v, "ack_date", c.ack_date);
	tv_text(&v, "fb_due", c.status == CB_CLOSED ? "" : fb);
	tv_text(&v, "late", nlate > 0 ? late : "");
	tv_text(&v, "kept", nkept > 0 ? kept : "");
	tv_text(&v, "purged", c.purged ? "1" : "");
	tv_text(&v, "open", c.status != CB_CLOSED ? "1" : "");
	tv_text(&v, "risk", "");
	tv_text(&v, "malformed", "");
	if (!c.purged) {
		if (cb_concern_body(d->cb, c.id, &pt, &len) != 0)
			goto fail;
		struct fctx f = {&p, &p.fields};
		int risk = cb_fields_risk(pt, len, FIELDS_CONCERN);
		tv_text(&v, "risk", risk == 1 ? "1" : "");
		tv_text(&v, "malformed", risk < 0 ? "1" : "");
		if (risk >= 0 && cb_fields_each(pt, len, FIELDS_CONCERN, add_field, &f) != 0)
			goto fail;
		cb_free(pt, len);
		pt = NULL;
	}
	if (cb_rows_each(d->cb, c.id, CB_ROW_MESSAGE, c.purged, add_row, &p) != 0 ||
	    (!c.purged && (cb_atts_each(d->cb, c.id, add_att, &p) != 0 ||
			      cb_rows_each(d->cb, c.id, CB_ROW_NOTE, 0, add_row, &p) != 0 ||
			      cb_rows_each(d->cb, c.id, CB_ROW_REPLY, 0, add_row, &p) != 0)) ||
	    ref_links_each(d->cb, c.id, add_link, &p) != 0 ||
	    cb_audit_each(d->cb, c.id, add_hist, &p) != 0 || add_choices(&p, &v, &c) != 0)
		goto fail;
	tv_text(&v, "summary", "");
	tv_text(&v, "summary_shared", "");
	if (!c.purged && cb_summary_open(d->cb, &c, &pt, &len) == 0) {
		tv_text(&v, "summary", desk_keep(&p.ar, (const char *)pt, len));
		tv_text(&v, "summary_shared", c.share_summary ? "1" : "");
		cb_free(pt, len);
		pt = NULL;
	}
	tv_list(&v, "fields", p.fields.v, p.fields.n);
	tv_list(&v, "messages", p.msgs.v, p.msgs.n);
	tv_list(&v, "attachments", p.atts.v, p.atts.n);
	tv_text(&v, "has_atts", p.atts.n > 0 ? "1" : "");
	tv_list(&v, "notes", p.notes.v, p.notes.n);
	tv_list(&v, "replies", p.replies.v, p.replies.n);
	tv_list(&v, "history", p.hist.v, p.hist.n);
	tv_list(&v, "links", p.links.v, p.links.n);
	if (p.ar.err || desk_render(d, o, "concern", "desk_concern_title", &v) != 0)
		goto fail;
	/* the inbox's "new" marks are this reviewer's: they have opened it now */
	cb_seen_mark(d->cb, c.id);
	goto out;
fail:
	if (pt != NULL)
		cb_free(pt, len);
	tbuf_free(&o->body);
	memset(&o->body, 0, sizeof(o->body));
	desk_fail(d, o, 500, "desk_error");
out:
	desk_arena_free(&p.ar);
}

static int
mem_sink(void *ctx, const uint8_t *buf, size_t len)
{
	struct desk_resp *o = ctx;
	uint8_t *nb;

	if (len > DESK_DOWNLOAD_MAX - o->binlen || (nb = malloc(o->binlen + len)) == NULL)
		return -1;
	if (o->bin != NULL) {
		memcpy(nb, o->bin, o->binlen);
		sodium_memzero(o->bin, o->binlen);
		free(o->bin);
	}
	memcpy(nb + o->binlen, buf, len);
	o->bin = nb;
	o->binlen += len;
	return 0;
}

void
desk_page_attachment(struct desk *d, struct desk_req *r, struct desk_resp *o)
{
	const char *ns = desk_arg(r, "n");
	struct cb_concern c;
	char *end;
	long n;
	int rc;

	if (desk_concern_arg(d, r, o, &c) != 0)
		return;
	if (ns == NULL || (n = strtol(ns, &end, 10)) < 1 || *end != '\0' || n > 1000000) {
		desk_fail(d, o, 400, "desk_bad_form");
		return;
	}
	rc = cb_att_export(d->cb, &c, n, mem_sink, o);
	if (rc == CB_ACT_OK && cb_commit(d->cb) == 0) {
		/* the name the reporter gave is not used: it may identify them,
		 * and it is untrusted text in a header */
		snprintf(o->disposition, sizeof(o->disposition),
		    "attachment; filename=\"candour-%s-%ld.bin\"", c.id, n);
		o->ctype = "application/octet-stream";
		return;
	}
	cb_rollback(d->cb);
	if (o->bin != NULL) {
		sodium_memzero(o->bin, o->binlen);
		free(o->bin);
		o->bin = NULL;
		o->binlen = 0;
	}
	desk_fail(d, o, rc == CB_ATT_NONE ? 404 : 500,
	    rc == CB_ATT_NONE ? "desk_no_attachment" : "desk_att_damaged");
}
