/*
 * Working a case: status, outcome, note, assign, reply. Each runs inside
 * the caller's transaction on a concern the caller loaded, checks the
 * rule, writes, and audits exactly as the CLI always has; the CLI
 * (cmd_case.c, cmd_reply.c) and the desk (desk_pages_action.c) call these
 * and differ only in how they say the result. Returns CB_ACT_OK, a
 * refusal (enum cb_act, nothing written), or -1 (write error: the caller
 * rolls back).
 */
#include <stdlib.h>
#include <string.h>

#include "review/cb_internal.h"
#include "util/util.h"

/* The shared summary, sealed to the reporter, when the outcome is shared. */
static int
shared_summary(struct casebook *cb, const struct cb_concern *c, uint8_t **env, size_t *envlen)
{
	sqlite3_stmt *st = NULL;
	uint8_t *pt = NULL;
	size_t len = 0;
	char ad[64];
	int rc = -1;

	*env = NULL;
	*envlen = 0;
	if (!c->share_summary)
		return 0;
	cb_summary_ad(c->id, c->share_summary, ad);
	if (sqlite3_prepare_v2(
		cb_db(cb), "SELECT summary FROM concerns WHERE id=?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_BLOB &&
	    cb_unseal_concern(cb, c->id, ad, sqlite3_column_blob(st, 0),
		(size_t)sqlite3_column_bytes(st, 0), &pt, &len) == 0)
		rc = rv_seal_to_reporter(
		    c->reporter_pk, "outcome", (const char *)pt, len, env, envlen);
	cb_free(pt, len);
	sqlite3_finalize(st);
	return rc;
}

/* New state; the acknowledgement date is set on the first step past
 * received, the closing date on closing. */
static int
set_status(struct casebook *cb, const char *id, int to, const char *today)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(cb_db(cb),
		"UPDATE concerns SET status=?1, ack_date=CASE WHEN ?1 >= 2 THEN coalesce(ack_date, "
		"?2)"
		" ELSE ack_date END, closed_date=CASE WHEN ?1 = 4 THEN ?2 ELSE closed_date END"
		" WHERE id=?3",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int(st, 1, to);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(cb_db(cb)) == 1 ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

int
cb_act_status(struct casebook *cb, const struct cb_concern *c, int to, const char **why)
{
	uint8_t *env = NULL;
	size_t envlen = 0;
	char today[11], detail[64];
	int rc = -1;

	*why = NULL;
	if (!c->readable)
		return CB_ACT_UNREADABLE;
	if ((*why = cb_transition_check(c->status, to, c->outcome != BOUT_NONE)) != NULL)
		return CB_ACT_ILLEGAL;
	snprintf(detail, sizeof(detail), "%s -> %s", cb_state_name(c->status), cb_state_name(to));
	if (util_today(today) != 0 || set_status(cb, c->id, to, today) != 0 ||
	    (to == CB_CLOSED && shared_summary(cb, c, &env, &envlen) != 0) ||
	    cb_outbox_add(cb, c->id, c->seq, BITEM_STATUS, to,
		to == CB_CLOSED ? c->outcome : BOUT_NONE, env, envlen) != 0 ||
	    cb_audit(cb, "status", c->id, detail) != 0)
		goto out;
	rc = CB_ACT_OK;
out:
	free(env);
	return rc;
}

int
cb_act_text_ok(const char *s, size_t n)
{
	return n > 0 && n <= CB_TEXT_MAX && util_text_valid(s, n, 1);
}

int
cb_act_outcome(
    struct casebook *cb, const struct cb_concern *c, int oc, const char *summary, int share)
{
	sqlite3_stmt *st = NULL;
	uint8_t *ct = NULL;
	size_t ctlen = 0;
	char ad[64];
	int rc = -1;

	if (!c->readable)
		return CB_ACT_UNREADABLE;
	if (c->status == CB_CLOSED)
		return CB_ACT_CLOSED;
	if (oc <= BOUT_NONE || !cb_act_text_ok(summary, strlen(summary)))
		return CB_ACT_BAD_TEXT;
	cb_summary_ad(c->id, share, ad);
	if (cb_seal_concern(
		cb, c->id, ad, (const uint8_t *)summary, strlen(summary), &ct, &ctlen) != 0 ||
	    sqlite3_prepare_v2(cb_db(cb),
		"UPDATE concerns SET outcome=?, summary=?, share_summary=?"
		" WHERE id=?",
		-1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int(st, 1, oc);
	sqlite3_bind_blob(st, 2, ct, (int)ctlen, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, share);
	sqlite3_bind_text(st, 4, c->id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE ||
	    cb_audit(cb, "outcome", c->id, cb_outcome_name(oc)) != 0)
		goto out;
	rc = CB_ACT_OK;
out:
	sqlite3_finalize(st);
	free(ct);
	return rc;
}

int
cb_act_note(struct casebook *cb, const struct cb_concern *c, const char *text)
{
	if (!c->readable)
		return CB_ACT_UNREADABLE;
	if (c->purged)
		return CB_ACT_PURGED;
	if (!cb_act_text_ok(text, strlen(text)))
		return CB_ACT_BAD_TEXT;
	if (rv_add_text_row(cb, "notes", "note", c->id, text, strlen(text)) != 0 ||
	    cb_audit(cb, "note", c->id, NULL) != 0)
		return -1;
	return CB_ACT_OK;
}

/* 1 if reviewer name holds the key of concern cid; 0 if the reporter did
 * not choose them; 2 if chosen but no key is sealed to them yet; -1. */
static int
assignee_can_read(struct casebook *cb, const char *cid, const char *name)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(cb_db(cb),
		"SELECT EXISTS(SELECT 1 FROM concern_keys k WHERE k.concern_id=?1 AND"
		" k.keyid=r.keyid), r.keyid, c.recipients FROM reviewers r, concerns c"
		" WHERE r.name=?2 AND c.id=?1",
		-1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const uint8_t *kid = sqlite3_column_blob(st, 1), *rc_ = sqlite3_column_blob(st, 2);
		size_t n = (size_t)sqlite3_column_bytes(st, 2);

		if (sqlite3_column_int(st, 0))
			rc = 1;
		else if (kid == NULL || sqlite3_column_bytes(st, 1) != CC_KEYID_BYTES)
			rc = -1;
		else {
			rc = 0;
			for (size_t i = 0; rc_ != NULL && i + CC_KEYID_BYTES <= n;
			     i += CC_KEYID_BYTES)
				if (sodium_memcmp(rc_ + i, kid, CC_KEYID_BYTES) == 0)
					rc = 2;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

int
cb_act_assign(struct casebook *cb, const struct cb_concern *c, const char *name)
{
	sqlite3_stmt *st = NULL;
	int known, r;

	if (!c->readable)
		return CB_ACT_UNREADABLE;
	if (!cc_name_valid(name))
		return CB_ACT_NOT_REVIEWER;
	if (sqlite3_prepare_v2(cb_db(cb), "SELECT 1 FROM reviewers WHERE name=?", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	known = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (!known)
		return CB_ACT_NOT_REVIEWER;
	if (c->status == CB_CLOSED)
		return CB_ACT_CLOSED;
	if ((r = assignee_can_read(cb, c->id, name)) != 1)
		return r == 0 ? CB_ACT_NOT_CHOSEN : r == 2 ? CB_ACT_NO_KEY : -1;
	if (strcmp(c->assignee, name) == 0)
		return CB_ACT_SAME;
	if (sqlite3_prepare_v2(
		cb_db(cb), "UPDATE concerns SET assignee=? WHERE id=?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->id, -1, SQLITE_STATIC);
	r = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(cb_db(cb)) == 1 ? 0 : -1;
	sqlite3_finalize(st);
	if (r != 0 || cb_audit(cb, "assign", c->id, name) != 0)
		return -1;
	return CB_ACT_OK;
}

size_t
cb_act_reply_trim(const char *text, size_t len)
{
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	return len;
}

int
cb_act_reply(struct casebook *cb, const struct cb_concern *c, const char *text, size_t len)
{
	uint8_t *env = NULL;
	size_t envlen = 0;
	int rc = -1;

	if (c->purged)
		return CB_ACT_PURGED;
	if (!c->readable)
		return CB_ACT_UNREADABLE;
	if (len == 0 || !util_text_valid(text, len, 1))
		return CB_ACT_BAD_TEXT;
	if (rv_seal_to_reporter(c->reporter_pk, "reply", text, len, &env, &envlen) != 0 ||
	    rv_add_text_row(cb, "replies", "reply", c->id, text, len) != 0 ||
	    cb_outbox_add(cb, c->id, c->seq, BITEM_REPLY, 0, BOUT_NONE, env, envlen) != 0 ||
	    cb_audit(cb, "reply", c->id, NULL) != 0)
		goto out;
	rc = CB_ACT_OK;
out:
	free(env);
	return rc;
}
