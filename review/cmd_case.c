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
		RV_ERR(cmd, "cli.rv.case.unworkable", c->id, cli_phrase(cb_unreadable_why(c)));
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

int
cmd_case_status(int argc, char **argv)
{
	const char *cmd = "status", *pos[2], *why;
	struct rv_argspec sp = {"cli.rv.status.usage",
	    2, "cli.rv.status.pos", {NULL}, {NULL}, {NULL}, {NULL}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cb_concern c;
	char detail[64];
	int r, to, rc = 1;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (rv_cli_id_arg(cmd, pos[0]) != 0)
		return 2;
	if ((to = cb_state_parse(pos[1])) == 0) {
		RV_ERR(cmd, "cli.rv.status.unknown", cli_head(pos[1], 20));
		return 2;
	}
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0)
		return r;
	if (cb_begin(cb) != 0 || rv_cli_workable(cmd, cb, pos[0], &c) != 0)
		goto out;
	snprintf(detail, sizeof(detail), "%s -> %s", cb_state_name(c.status), cb_state_name(to));
	if ((r = cb_act_status(cb, &c, to, &why)) == CB_ACT_ILLEGAL) {
		RV_ERR(cmd, "cli.rv.status.illegal", c.id, cb_state_name(c.status), cb_state_name(to),
		    cli_phrase(why));
		goto out;
	}
	if (r != CB_ACT_OK || cb_commit(cb) != 0) {
		RV_ERR(cmd, "cli.rv.write_failed");
		goto out;
	}
	CLI_PUT(stdout, "cli.rv.status.done", c.id, detail);
	rc = 0;
out:
	cb_close(cb);
	return rc;
}

/* Reads a text argument: valid UTF-8, newlines allowed, under CB_TEXT_MAX. */
static int
text_ok(const char *cmd, const char *what, const char *s)
{
	if (!cb_act_text_ok(s, strlen(s))) {
		RV_ERR(cmd, "cli.rv.case.text_bad", CLI_T(what), CLI_NUM(CB_TEXT_MAX));
		return -1;
	}
	return 0;
}

int
cmd_outcome(int argc, char **argv)
{
	const char *cmd = "outcome", *pos[2], *summary = NULL;
	int share = 0;
	struct rv_argspec sp = {"cli.rv.outcome.usage",
	    2, "cli.rv.outcome.pos", {"--summary"}, {&summary}, {"--share-with-reporter"}, {&share}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cb_concern c;
	int r, oc, rc = 1;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (rv_cli_id_arg(cmd, pos[0]) != 0)
		return 2;
	if ((oc = cb_outcome_parse(pos[1])) < 0) {
		RV_ERR(cmd, "cli.rv.outcome.unknown", cli_head(pos[1], 30));
		return 2;
	}
	if (summary == NULL) {
		RV_ERR(cmd, "cli.rv.outcome.no_summary");
		return 2;
	}
	if (text_ok(cmd, "cli.rv.what.summary", summary) != 0)
		return 2;
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0)
		return r;
	if (cb_begin(cb) != 0 || rv_cli_workable(cmd, cb, pos[0], &c) != 0)
		goto out;
	if ((r = cb_act_outcome(cb, &c, oc, summary, share)) == CB_ACT_CLOSED) {
		RV_ERR(cmd, "cli.rv.outcome.closed", c.id);
		goto out;
	}
	if (r != CB_ACT_OK || cb_commit(cb) != 0)
		goto fail;
	CLI_PUT(stdout, share ? "cli.rv.outcome.done_shared" : "cli.rv.outcome.done", c.id,
	    cb_outcome_name(oc));
	rc = 0;
	goto out;
fail:
	RV_ERR(cmd, "cli.rv.write_failed");
out:
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
	struct rv_argspec sp = {"cli.rv.note.usage",
	    2, "cli.rv.note.pos", {NULL}, {NULL}, {NULL}, {NULL}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cb_concern c;
	int r, rc = 1;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (rv_cli_id_arg(cmd, pos[0]) != 0)
		return 2;
	if (text_ok(cmd, "cli.rv.what.note", pos[1]) != 0)
		return 2;
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0)
		return r;
	if (cb_begin(cb) != 0 || rv_cli_workable(cmd, cb, pos[0], &c) != 0)
		goto out;
	if ((r = cb_act_note(cb, &c, pos[1])) == CB_ACT_PURGED) {
		RV_ERR(cmd, "cli.rv.note.purged", c.id);
		goto out;
	}
	if (r != CB_ACT_OK || cb_commit(cb) != 0) {
		RV_ERR(cmd, "cli.rv.write_failed");
		goto out;
	}
	CLI_PUT(stdout, "cli.rv.note.done", c.id);
	rc = 0;
out:
	cb_close(cb);
	return rc;
}

int
cmd_assign(int argc, char **argv)
{
	const char *cmd = "assign", *pos[2];
	struct rv_argspec sp = {"cli.rv.assign.usage",
	    2, "cli.rv.assign.pos", {NULL}, {NULL}, {NULL}, {NULL}, 0};
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cb_concern c;
	int r, rc = 1;

	if ((r = rv_cli_args(cmd, argc, argv, &o, &sp, pos)) != 0)
		return r == 1 ? 0 : 2;
	if (rv_cli_id_arg(cmd, pos[0]) != 0)
		return 2;
	if (!cc_name_valid(pos[1])) {
		RV_ERR(cmd, "cli.rv.assign.bad_name", cli_head(pos[1], 70));
		return 2;
	}
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0)
		return r;
	if (cb_begin(cb) != 0 || rv_cli_workable(cmd, cb, pos[0], &c) != 0)
		goto out;
	if ((r = cb_act_assign(cb, &c, pos[1])) == CB_ACT_NOT_REVIEWER)
		RV_ERR(cmd, "cli.rv.assign.not_reviewer", pos[1]);
	else if (r == CB_ACT_CLOSED)
		RV_ERR(cmd, "cli.rv.assign.closed", c.id);
	else if (r == CB_ACT_NOT_CHOSEN)
		RV_ERR(cmd, "cli.rv.assign.not_chosen", pos[1], c.id);
	else if (r == CB_ACT_NO_KEY)
		RV_ERR(cmd, "cli.rv.assign.no_key", pos[1], c.id);
	else if (r == CB_ACT_SAME)
		RV_ERR(cmd, "cli.rv.assign.same", c.id, pos[1]);
	else if (r != CB_ACT_OK || (r = cb_commit(cb)) != 0)
		RV_ERR(cmd, "cli.rv.write_failed");
	if (r != CB_ACT_OK)
		goto out;
	CLI_PUT(stdout, "cli.rv.assign.done", c.id, pos[1]);
	rc = 0;
out:
	cb_close(cb);
	return rc;
}
