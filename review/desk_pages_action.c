/*
 * The concern page's forms: status, outcome, assign, note, reply (after a
 * preview of exactly what the reporter will read). Each is one
 * transaction calling the cb_act_* function the CLI calls; the result is
 * said once on the concern page.
 */
#include <stdlib.h>
#include <string.h>

#include "review/desk.h"
#include "review/ref.h"
#include "util/util.h"

#define DESK_REF_ARG_MAX 256 /* a reference sent back by a form, before normalising */

static const char *const act_key[] = {
    [CB_ACT_OK] = "desk_done",
    [CB_ACT_UNREADABLE] = "desk_sealed",
    [CB_ACT_ILLEGAL] = "desk_act_illegal",
    [CB_ACT_CLOSED] = "desk_act_closed",
    [CB_ACT_PURGED] = "desk_act_purged",
    [CB_ACT_BAD_TEXT] = "desk_act_bad_text",
    [CB_ACT_NOT_REVIEWER] = "desk_act_not_reviewer",
    [CB_ACT_NOT_CHOSEN] = "desk_act_not_chosen",
    [CB_ACT_NO_KEY] = "desk_act_no_key",
    [CB_ACT_SAME] = "desk_act_same",
};

/* Why a status change is refused: cb_transition_rule's reason, from the
 * catalogue, with the case and both states as the CLI names them. */
static const char *const tr_key[] = {
    [CB_TR_OK] = "desk_act_illegal",
    [CB_TR_UNKNOWN] = "desk_act_illegal",
    [CB_TR_CLOSED] = "desk_tr_closed",
    [CB_TR_SAME] = "desk_tr_same",
    [CB_TR_BACKWARDS] = "desk_tr_backwards",
    [CB_TR_NEEDS_OUTCOME] = "desk_tr_needs_outcome",
};

/* Why an assignment is refused, as `assign` says it: {1} the reviewer,
 * {2} the case. 0 when rc is not one of assign's refusals. */
static const char *
assign_key(int rc)
{
	switch (rc) {
	case CB_ACT_NOT_REVIEWER:
		return "desk_assign_not_reviewer";
	case CB_ACT_CLOSED:
		return "desk_assign_closed";
	case CB_ACT_NOT_CHOSEN:
		return "desk_assign_not_chosen";
	case CB_ACT_NO_KEY:
		return "desk_assign_no_key";
	case CB_ACT_SAME:
		return "desk_assign_same";
	default:
		return NULL;
	}
}

/* The reply as the reporter will read it, with the form that sends it. */
static void
preview(struct desk *d, struct desk_resp *o, const struct cb_concern *c, const char *text)
{
	struct tvars v = {0};
	size_t len = cb_act_reply_trim(text, strlen(text));
	char *t = malloc(len + 1);

	if (t == NULL) {
		desk_fail(d, o, 500, "desk_error");
		return;
	}
	memcpy(t, text, len);
	t[len] = '\0';
	tv_text(&v, "id", c->id);
	tv_text(&v, "text", t);
	tv_text(&v, "empty", len == 0 || !util_text_valid(t, len, 1) ? "1" : "");
	desk_render(d, o, "preview", "desk_preview_title", &v);
	cc_free_wipe(t, len + 1);
}

/* The result of ref_link_act (what `link` / `unlink` say), as a flash. */
static const char *const link_key[] = {
    [REF_ACT_LINKED] = "desk_link_done_confirm",
    [REF_ACT_REJECTED] = "desk_link_done_reject",
    [REF_ACT_REMOVED] = "desk_link_done_removed",
    [REF_ACT_NOT_REF] = "desk_link_not_ref",
    [REF_ACT_NO_CONCERN] = "desk_no_concern",
    [REF_ACT_SEALED] = "desk_sealed",
    [REF_ACT_NO_REGISTER] = "desk_link_no_register",
    [REF_ACT_NOT_IN_REGISTER] = "desk_link_not_in_register",
    [REF_ACT_NO_LINK] = "desk_link_no_link",
    [REF_ACT_ERR_CONFIG] = "desk_error",
    [REF_ACT_ERR_CASEBOOK] = "desk_error",
    [REF_ACT_ERR_REGISTER] = "desk_error",
    [REF_ACT_ERR_BEGIN] = "desk_error",
    [REF_ACT_ERR_STORE] = "desk_error",
};

/* Confirm (link) or reject (unlink) one link: the casebook function the
 * CLI's link / unlink call, in its own transaction, audited as they are. */
static void
link_action(struct desk *d, struct desk_req *r, struct desk_resp *o, int confirm)
{
	const char *ref = desk_arg(r, "ref");
	char norm[REF_REF_MAX + 1], near[REF_REF_MAX + 1], back[64];
	struct cb_concern c;
	enum ref_act a;

	if (desk_concern_arg(d, r, o, &c) != 0)
		return;
	if (ref == NULL || strlen(ref) > DESK_REF_ARG_MAX) {
		desk_fail(d, o, 400, "desk_bad_form");
		return;
	}
	a = ref_link_act(d->cb, c.id, ref, confirm, 0, norm, near);
	desk_flash(d, a > REF_ACT_REMOVED, link_key[a], norm);
	snprintf(back, sizeof(back), "/concern?id=%s", c.id);
	desk_redirect(o, back);
}

void
desk_page_action(struct desk *d, struct desk_req *r, struct desk_resp *o)
{
	const char *kind = desk_arg(r, "kind"), *why = NULL, *arg = "", *key = NULL;
	const char *args[3] = {NULL, NULL, NULL};
	struct cb_concern c;
	char back[64];
	int rc = -1;

	if (kind == NULL) {
		desk_fail(d, o, 400, "desk_bad_form");
		return;
	}
	if (strcmp(kind, "link_confirm") == 0 || strcmp(kind, "link_reject") == 0) {
		link_action(d, r, o, kind[5] == 'c');
		return;
	}
	if (cb_begin(d->cb) != 0) {
		desk_fail(d, o, 500, "desk_error");
		return;
	}
	if (desk_concern_arg(d, r, o, &c) != 0) {
		cb_rollback(d->cb);
		return;
	}
	if (strcmp(kind, "status") == 0) {
		const char *s = desk_arg(r, "state");
		if (s == NULL || s[0] == '\0') {
			/* the menu's first choice is none: a careless submit
			 * must not move the case on to the next state */
			cb_rollback(d->cb);
			desk_flash(d, 1, "desk_status_choose", NULL);
			goto done;
		}
		int to = cb_state_parse(s);
		rc = to == 0 ? CB_ACT_BAD_TEXT : cb_act_status(d->cb, &c, to, &why);
		arg = to ? desk_state(d, to) : "";
		if (rc == CB_ACT_ILLEGAL) {
			key = tr_key[cb_transition_rule(c.status, to, c.outcome != BOUT_NONE)];
			args[0] = c.id, args[1] = desk_state(d, c.status), args[2] = arg;
		}
	} else if (strcmp(kind, "outcome") == 0) {
		const char *oc = desk_arg(r, "outcome"), *sum = desk_arg(r, "summary");
		const char *share = desk_arg(r, "share");
		if (oc == NULL || oc[0] == '\0') {
			/* the menu's first choice is none: a careless submit */
			cb_rollback(d->cb);
			desk_flash(d, 1, "desk_outcome_choose", NULL);
			goto done;
		}
		int v = oc ? cb_outcome_parse(oc) : -1;
		rc = v <= 0 || sum == NULL ? CB_ACT_BAD_TEXT
					   : cb_act_outcome(d->cb, &c, v, sum,
						 share != NULL && strcmp(share, "yes") == 0);
		arg = v > 0 ? desk_outcome(d, v) : "";
	} else if (strcmp(kind, "assign") == 0) {
		const char *who = desk_arg(r, "reviewer");
		if (who == NULL || who[0] == '\0') {
			/* the menu's first choice is no one: a careless submit */
			cb_rollback(d->cb);
			desk_flash(d, 1, "desk_assign_choose", NULL);
			goto done;
		}
		rc = cb_act_assign(d->cb, &c, who);
		/* a name is echoed only when it is one (cc_name_valid) */
		if ((key = assign_key(rc)) != NULL && !cc_name_valid(who))
			key = "desk_assign_bad_name";
		args[0] = who, args[1] = c.id;
	} else if (strcmp(kind, "note") == 0) {
		const char *t = desk_arg(r, "text");
		rc = t == NULL ? CB_ACT_BAD_TEXT : cb_act_note(d->cb, &c, t);
	} else if (strcmp(kind, "reply_preview") == 0) {
		const char *t = desk_arg(r, "text");
		cb_rollback(d->cb);
		preview(d, o, &c, t ? t : "");
		return;
	} else if (strcmp(kind, "reply") == 0) {
		const char *t = desk_arg(r, "text");
		rc = t == NULL ? CB_ACT_BAD_TEXT
			       : cb_act_reply(d->cb, &c, t, cb_act_reply_trim(t, strlen(t)));
	} else {
		cb_rollback(d->cb);
		desk_fail(d, o, 400, "desk_bad_form");
		return;
	}
	if (rc == CB_ACT_OK && cb_commit(d->cb) != 0)
		rc = -1;
	if (rc != CB_ACT_OK)
		cb_rollback(d->cb);
	if (rc < 0 || (size_t)rc >= sizeof(act_key) / sizeof(act_key[0]))
		desk_flash(d, 1, "desk_error", NULL);
	else if (rc != CB_ACT_OK && key != NULL)
		desk_flash_fmt(d, 1, key, args, 3);
	else
		desk_flash(d, rc != CB_ACT_OK, rc == CB_ACT_OK ? "desk_done" : act_key[rc],
		    rc == CB_ACT_ILLEGAL ? "" : arg);
done:
	snprintf(back, sizeof(back), "/concern?id=%s", c.id);
	desk_redirect(o, back);
}
