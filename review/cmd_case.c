/* status, outcome, note, assign: working a case, each one transaction. */
#include <stdlib.h>
#include <string.h>

#include "review/cb_internal.h"
#include "util/util.h"

/* A concern this reviewer may work on: known, and sealed to them (a
 * reviewer who cannot read a concern does not decide its state). */
static int
rv_cli_workable(const char *cmd, struct casebook *cb, const char *id, struct cb_concern *c)
{
	if (rv_cli_concern(cmd, cb, id, c) != 0)
		return -1;
	if (!c->readable) {
		rv_err(cmd, "%s is %s: you cannot work on it", c->id, cb_unreadable_why(c));
		return -1;
	}
	return 0;
}

/* Seals a FIELDS_REPLY plaintext (kind, text) to the reporter's key. */
int
rv_seal_to_reporter(const uint8_t reporter_pk[CC_BOX_PK], const char *kind, const char *text,
    size_t len, uint8_t **env, size_t *envlen)
{
	struct field f[2];
	struct cc_recipient r;
	uint8_t *pt = NULL;
	size_t ptlen = 0;
	int rc;

	memset(f, 0, sizeof(f));
	snprintf(f[0].name, sizeof(f[0].name), "kind");
	f[0].val = (const uint8_t *)kind;
	f[0].len = strlen(kind);
	snprintf(f[1].name, sizeof(f[1].name), "text");
	f[1].val = (const uint8_t *)text;
	f[1].len = len;
	if (fields_encode(FIELDS_REPLY, f, 2, &pt, &ptlen) != 0)
		return -1;
	cc_keyid(reporter_pk, r.keyid);
	memcpy(r.pk, reporter_pk, CC_BOX_PK);
	rc = cc_env_seal(CC_KIND_REPLY, &r, 1, pt, ptlen, env, envlen);
	cc_free_wipe(pt, ptlen);
	return rc == CC_OK ? 0 : -1;
}

static int
exec_bound(
    struct casebook *cb, const char *sql, const char *a, const char *b, int64_t n, const char *id)
{
	sqlite3_stmt *st = NULL;
	int rc, k = 1;

	if (sqlite3_prepare_v2(cb_db(cb), sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (a != NULL)
		sqlite3_bind_text(st, k++, a, -1, SQLITE_STATIC);
	if (b != NULL)
		sqlite3_bind_text(st, k++, b, -1, SQLITE_STATIC);
	if (n >= 0)
		sqlite3_bind_int64(st, k++, n);
	sqlite3_bind_text(st, k, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(cb_db(cb)) == 1 ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

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
cmd_status(int argc, char **argv)
{
	const char *cmd = "status", *pos[2], *why;
	struct rv_argspec sp = {
	    "candour-review status --casebook FILE --key NAME.sec ID"
	    " received|acknowledged|investigating|closed\nStates move forward only; closing"
	    " needs an outcome first. The new state is\nshared with the reporter by the next"
	    " export-replies.",
	    2, "ID and STATE", {NULL}, {NULL}, {NULL}, {NULL}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cb_concern c;
	uint8_t *env = NULL;
	size_t envlen = 0;
	char today[11], detail[64];
	int r, to, rc = 1;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (rv_cli_id_arg(cmd, pos[0]) != 0)
		return 2;
	if ((to = cb_state_parse(pos[1])) == 0) {
		rv_err(cmd,
		    "unknown state '%.20s'; use received, acknowledged, investigating or closed",
		    pos[1]);
		return 2;
	}
	if (util_today(today) != 0 || rv_cli_open(cmd, &o, &cb) != 0)
		return 1;
	if (cb_begin(cb) != 0 || rv_cli_workable(cmd, cb, pos[0], &c) != 0)
		goto out;
	if ((why = cb_transition_check(c.status, to, c.outcome != BOUT_NONE)) != NULL) {
		rv_err(cmd, "%s cannot go from %s to %s: %s", c.id, cb_state_name(c.status),
		    cb_state_name(to), why);
		goto out;
	}
	snprintf(detail, sizeof(detail), "%s -> %s", cb_state_name(c.status), cb_state_name(to));
	r = set_status(cb, c.id, to, today);
	if (r != 0 || (to == CB_CLOSED && shared_summary(cb, &c, &env, &envlen) != 0) ||
	    cb_outbox_add(cb, c.id, c.seq, BITEM_STATUS, to,
		to == CB_CLOSED ? c.outcome : BOUT_NONE, env, envlen) != 0 ||
	    cb_audit(cb, "status", c.id, detail) != 0 || cb_commit(cb) != 0) {
		rv_err(cmd, "cannot write the casebook; nothing changed");
		goto out;
	}
	printf("%s: %s (shared with the reporter at the next export-replies)\n", c.id, detail);
	rc = 0;
out:
	free(env);
	cb_close(cb);
	return rc;
}

/* Reads a text argument: valid UTF-8, newlines allowed, under CB_TEXT_MAX. */
static int
text_ok(const char *cmd, const char *what, const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CB_TEXT_MAX || !util_text_valid(s, n, 1)) {
		rv_err(cmd,
		    "%s must be non-empty UTF-8 text under %zu bytes without control"
		    " characters",
		    what, CB_TEXT_MAX);
		return -1;
	}
	return 0;
}

int
cmd_outcome(int argc, char **argv)
{
	const char *cmd = "outcome", *pos[2], *summary = NULL;
	int share = 0;
	struct rv_argspec sp = {
	    "candour-review outcome --casebook FILE --key NAME.sec ID OUTCOME"
	    " --summary TEXT\n                      [--share-with-reporter]\nOUTCOME:"
	    " substantiated, partly-substantiated, not-substantiated,\nreferred-elsewhere,"
	    " withdrawn, no-further-action. The summary is sealed; with\n"
	    "--share-with-reporter it is sent to the reporter when the case is closed.",
	    2, "ID and OUTCOME", {"--summary"}, {&summary}, {"--share-with-reporter"}, {&share}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cb_concern c;
	sqlite3_stmt *st = NULL;
	uint8_t *ct = NULL;
	size_t ctlen = 0;
	char ad[64];
	int r, oc, rc = 1;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (rv_cli_id_arg(cmd, pos[0]) != 0)
		return 2;
	if ((oc = cb_outcome_parse(pos[1])) < 0) {
		rv_err(cmd, "unknown outcome '%.30s'; see --help", pos[1]);
		return 2;
	}
	if (summary == NULL) {
		rv_err(cmd, "--summary TEXT is required");
		return 2;
	}
	if (text_ok(cmd, "the summary", summary) != 0)
		return 2;
	if (rv_cli_open(cmd, &o, &cb) != 0)
		return 1;
	if (cb_begin(cb) != 0 || rv_cli_workable(cmd, cb, pos[0], &c) != 0)
		goto out;
	if (c.status == CB_CLOSED) {
		rv_err(cmd, "%s is closed; its outcome cannot change", c.id);
		goto out;
	}
	cb_summary_ad(c.id, share, ad);
	if (cb_seal_concern(cb, c.id, ad, (const uint8_t *)summary, strlen(summary), &ct, &ctlen) !=
		0 ||
	    sqlite3_prepare_v2(cb_db(cb),
		"UPDATE concerns SET outcome=?, summary=?, share_summary=?"
		" WHERE id=?",
		-1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int(st, 1, oc);
	sqlite3_bind_blob(st, 2, ct, (int)ctlen, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, share);
	sqlite3_bind_text(st, 4, c.id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE ||
	    cb_audit(cb, "outcome", c.id, cb_outcome_name(oc)) != 0 || cb_commit(cb) != 0)
		goto fail;
	printf("%s: outcome %s recorded%s; close it with `status %s closed`\n", c.id,
	    cb_outcome_name(oc), share ? " (summary shared with the reporter on closing)" : "",
	    c.id);
	rc = 0;
	goto out;
fail:
	rv_err(cmd, "cannot write the casebook; nothing changed");
out:
	sqlite3_finalize(st);
	free(ct);
	cb_close(cb);
	return rc;
}

/* Inserts a row with author and date into table (notes/replies), then
 * seals text with AD "<what>:<rowid>:<cid>:body" (cb_row_ad). */
int
rv_add_text_row(struct casebook *cb, const char *table, const char *what, const char *cid,
    const char *text, size_t len)
{
	sqlite3_stmt *st = NULL;
	uint8_t *ct = NULL;
	size_t ctlen = 0;
	char sql[128], ad[80], today[11];
	int64_t id;
	int rc = -1;

	if (util_today(today) != 0 ||
	    snprintf(sql, sizeof(sql), "INSERT INTO %s(concern_id, date, author) VALUES(?, ?, ?)",
		table) >= (int)sizeof(sql) ||
	    sqlite3_prepare_v2(cb_db(cb), sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, cb_reviewer(cb), -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	id = sqlite3_last_insert_rowid(cb_db(cb));
	cb_row_ad(what, (long long)id, cid, "body", ad);
	snprintf(sql, sizeof(sql), "UPDATE %s SET body=? WHERE id=?", table);
	if (cb_seal_concern(cb, cid, ad, (const uint8_t *)text, len, &ct, &ctlen) != 0 ||
	    sqlite3_prepare_v2(cb_db(cb), sql, -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_blob(st, 1, ct, (int)ctlen, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(st);
	free(ct);
	return rc;
}

int
cmd_note(int argc, char **argv)
{
	const char *cmd = "note", *pos[2];
	struct rv_argspec sp = {"candour-review note --casebook FILE --key NAME.sec ID TEXT\n"
				"Adds a private note (sealed; never sent to the reporter).",
	    2, "ID and TEXT", {NULL}, {NULL}, {NULL}, {NULL}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cb_concern c;
	int r, rc = 1;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (rv_cli_id_arg(cmd, pos[0]) != 0)
		return 2;
	if (text_ok(cmd, "the note", pos[1]) != 0)
		return 2;
	if (rv_cli_open(cmd, &o, &cb) != 0)
		return 1;
	if (cb_begin(cb) != 0 || rv_cli_workable(cmd, cb, pos[0], &c) != 0)
		goto out;
	if (c.purged) {
		rv_err(cmd, "%s was purged; nothing can be added", c.id);
		goto out;
	}
	if (rv_add_text_row(cb, "notes", "note", c.id, pos[1], strlen(pos[1])) != 0 ||
	    cb_audit(cb, "note", c.id, NULL) != 0 || cb_commit(cb) != 0) {
		rv_err(cmd, "cannot write the casebook; nothing changed");
		goto out;
	}
	printf("%s: note added\n", c.id);
	rc = 0;
out:
	cb_close(cb);
	return rc;
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
cmd_assign(int argc, char **argv)
{
	const char *cmd = "assign", *pos[2];
	struct rv_argspec sp = {
	    "candour-review assign --casebook FILE --key NAME.sec ID REVIEWER\n"
	    "Assigns the case to a reviewer of this casebook (see `reviewer list`) who can\n"
	    "read it: one the reporter chose as a reader.",
	    2, "ID and REVIEWER", {NULL}, {NULL}, {NULL}, {NULL}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cb_concern c;
	sqlite3_stmt *st = NULL;
	int r, rc = 1, known;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (rv_cli_id_arg(cmd, pos[0]) != 0)
		return 2;
	if (!cc_name_valid(pos[1])) {
		rv_err(cmd, "'%.70s' is not a reviewer name", pos[1]);
		return 2;
	}
	if (rv_cli_open(cmd, &o, &cb) != 0)
		return 1;
	if (cb_begin(cb) != 0 || rv_cli_workable(cmd, cb, pos[0], &c) != 0)
		goto out;
	if (sqlite3_prepare_v2(cb_db(cb), "SELECT 1 FROM reviewers WHERE name=?", -1, &st, NULL) !=
	    SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, pos[1], -1, SQLITE_STATIC);
	known = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (!known) {
		rv_err(cmd, "%s is not a reviewer of this casebook; see `reviewer list`", pos[1]);
		goto out;
	}
	if (c.status == CB_CLOSED) {
		rv_err(cmd, "%s is closed; it cannot be assigned", c.id);
		goto out;
	}
	if ((r = assignee_can_read(cb, c.id, pos[1])) != 1) {
		if (r == 0)
			rv_err(cmd,
			    "%s cannot read %s: the reporter did not choose %s as a reader,"
			    " so the concern is not sealed to their key; assign it to a"
			    " reviewer who can read it",
			    pos[1], c.id, pos[1]);
		else if (r == 2)
			rv_err(cmd,
			    "%s cannot read %s: the reporter chose them, but no key of it is"
			    " sealed to them in this casebook",
			    pos[1], c.id);
		else
			rv_err(cmd, "cannot read the casebook");
		goto out;
	}
	if (strcmp(c.assignee, pos[1]) == 0) {
		rv_err(cmd, "%s is already assigned to %s", c.id, pos[1]);
		goto out;
	}
	if (exec_bound(cb, "UPDATE concerns SET assignee=? WHERE id=?", pos[1], NULL, -1, c.id) !=
		0 ||
	    cb_audit(cb, "assign", c.id, pos[1]) != 0 || cb_commit(cb) != 0) {
		rv_err(cmd, "cannot write the casebook; nothing changed");
		goto out;
	}
	printf("%s: assigned to %s\n", c.id, pos[1]);
	rc = 0;
out:
	cb_close(cb);
	return rc;
}
