/*
 * The referral commands: `referrals import|list|config`, `link`, `unlink`,
 * and the referral part of `show`. Each command is one transaction and
 * leaves one audit entry; every reference and register value printed goes
 * through the terminal-safe path.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "review/cb_internal.h"
#include "review/ref.h"
#include "review/review.h"
#include "util/util.h"

#define REF_CMD_MAPS REF_MAPS_MAX

struct ref_args {
	struct rv_opts o;
	const char *maps[REF_CMD_MAPS];
	size_t nmaps;
	const char *config, *flag, *format;
	int confirm, not_in_register;
	const char *pos[3];
	int npos;
};

static int
referrals_help(FILE *f)
{
	CLI_PUT(f, "cli.rv.ref.usage");
	CLI_PUT(f, "cli.rv.exit_help");
	return f == stdout ? 0 : 2;
}

/* 0 parsed, 1 --help printed, 2 error printed. */
static int
parse_args(const char *cmd, int argc, char **argv, int first, struct ref_args *a)
{
	int r;

	memset(a, 0, sizeof(*a));
	rv_opts_init(&a->o);
	for (int i = first; i < argc; i++) {
		const char *v;

		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return referrals_help(stdout), 1;
		if ((r = rv_opt_common(cmd, argc, argv, &i, &a->o)) != 0) {
			if (r < 0)
				return 2;
			continue;
		}
		if ((r = rv_opt_value(cmd, argc, argv, &i, "--map", &v)) != 0) {
			if (r < 0)
				return 2;
			if (a->nmaps == REF_CMD_MAPS) {
				RV_ERR(cmd, "cli.rv.ref.too_many_maps", CLI_NUM(REF_CMD_MAPS));
				return 2;
			}
			a->maps[a->nmaps++] = v;
			continue;
		}
		if ((r = rv_opt_value(cmd, argc, argv, &i, "--config", &a->config)) != 0 ||
		    (r = rv_opt_value(cmd, argc, argv, &i, "--flag", &a->flag)) != 0 ||
		    (r = rv_opt_value(cmd, argc, argv, &i, "--format", &a->format)) != 0) {
			if (r < 0)
				return 2;
			continue;
		}
		if (strcmp(argv[i], "--confirm") == 0) {
			a->confirm = 1;
			continue;
		}
		if (strcmp(argv[i], "--not-in-register") == 0) {
			a->not_in_register = 1;
			continue;
		}
		if ((argv[i][0] == '-' && argv[i][1] != '\0') || a->npos == 3) {
			RV_ERR(cmd, "cli.rv.unknown_arg", cli_head(argv[i], 40));
			return 2;
		}
		a->pos[a->npos++] = argv[i];
	}
	return 0;
}

/* ---- referrals import ------------------------------------------------------ */

/* A million-row register takes seconds: say how far it has got, on one
 * rewritten stderr line, only when stderr is a terminal (scripts and logs
 * see nothing new). */
static void
import_progress(void *ctx, const char *stage, unsigned percent, size_t rows)
{
	(void)ctx;
	char pct[8];

	snprintf(pct, sizeof(pct), "%3u", percent); /* the line is rewritten in place */
	fputc('\r', stderr);
	if (strcmp(stage, "rows") == 0)
		CLI_PUT(stderr, "cli.rv.ref.progress_rows", pct, CLI_NUM(rows));
	else
		CLI_PUT(stderr, "cli.rv.ref.progress_index", CLI_NUM(rows));
	fputs("   ", stderr); /* wipes what a longer line left */
	fflush(stderr);
}

static int
do_import(const char *cmd, struct ref_args *a)
{
	struct ref_config *c = NULL;
	struct ref_import_stats st;
	struct ref_progress pg = {0};
	struct casebook *cb = NULL;
	struct ref_ctx *ctx;
	uint8_t *text = NULL;
	size_t tlen = 0, relinked = 0;
	char why[512], detail[256];
	int r, rc = 1;

	if (a->npos != 2) {
		RV_ERR(cmd, "cli.rv.ref.import_one");
		return 2;
	}
	if (rv_cli_in_file(cmd, a->pos[1], "cli.rv.todo.ref_csv") != 0 ||
	    (a->config != NULL &&
		rv_cli_in_file(cmd, a->config, "cli.rv.todo.ref_config") != 0))
		return 2;
	if ((c = malloc(sizeof(*c))) == NULL)
		return 1;
	if (a->config != NULL && util_read_file(a->config, REF_CONFIG_MAX, &text, &tlen) != 0) {
		RV_ERR(cmd, "cli.rv.ref.config_unreadable", a->config, CLI_NUM(REF_CONFIG_MAX));
		goto out;
	}
	if ((r = rv_cli_open(cmd, &a->o, &cb)) != 0) {
		rc = r;
		goto out;
	}
	if ((ctx = ref_ctx_get(cb)) == NULL) {
		RV_ERR(cmd, "cli.rv.ref.stored_config_bad");
		goto out;
	}
	*c = ctx->cfg;
	if (cb_begin(cb) != 0) {
		RV_ERR(cmd, "cli.rv.ref.begin");
		goto out;
	}
	if (text != NULL) {
		if (ref_config_store(cb, (const char *)text, tlen, why, sizeof(why)) != 0) {
			RV_ERR(cmd, "cli.rv.ref.config_not_imported", a->config, why);
			goto rollback;
		}
		ref_config_default(c);
		(void)ref_config_parse(c, (const char *)text, tlen, why, sizeof(why));
	}
	for (size_t i = 0; i < a->nmaps; i++) {
		if (ref_config_map(c, a->maps[i], why, sizeof(why)) != 0) {
			RV_ERR(cmd, "cli.rv.ref.map_bad", cli_head(a->maps[i], 60), why);
			goto rollback;
		}
	}
	pg.fn = import_progress;
	if (ref_import_csv(cb, c, a->pos[1], isatty(STDERR_FILENO) ? &pg : NULL, &st, why,
		sizeof(why)) != 0) {
		if (isatty(STDERR_FILENO))
			fputc('\n', stderr);
		RV_ERR(cmd, "cli.rv.ref.not_imported", why);
		goto rollback;
	}
	if (ref_relink(cb, &relinked) != 0) {
		RV_ERR(cmd, "cli.rv.ref.relink_failed");
		goto rollback;
	}
	snprintf(detail, sizeof(detail),
	    "register %zu rows (%zu new, %zu updated); %zu links "
	    "resolved",
	    st.rows, st.added, st.updated, relinked);
	if (cb_audit(cb, "referrals-import", NULL, detail) != 0 || cb_commit(cb) != 0) {
		RV_ERR(cmd, "cli.rv.ref.import_commit");
		goto rollback;
	}
	if (isatty(STDERR_FILENO))
		fputc('\n', stderr);
	CLI_PUT(stdout, "cli.rv.ref.imported", CLI_NUM(st.rows), CLI_NUM(st.added),
	    CLI_NUM(st.updated), CLI_NUM(relinked));
	rc = 0;
	goto out;
rollback:
	ref_ctx_drop(cb);
	(void)cb_rollback(cb);
out:
	cb_close(cb);
	if (text != NULL)
		cc_free_wipe(text, tlen + 1);
	free(c);
	return rc;
}

/* ---- referrals config ------------------------------------------------------ */

static int
do_config(const char *cmd, struct ref_args *a)
{
	struct casebook *cb = NULL;
	uint8_t *text = NULL;
	size_t tlen = 0;
	char why[512];
	int r, rc = 1;

	if (a->npos > 2) {
		RV_ERR(cmd, "cli.rv.ref.config_one");
		return 2;
	}
	if (a->npos == 2 &&
	    rv_cli_in_file(cmd, a->pos[1], "cli.rv.todo.ref_config_file") != 0)
		return 2;
	if (a->npos == 2 && util_read_file(a->pos[1], REF_CONFIG_MAX, &text, &tlen) != 0) {
		RV_ERR(cmd, "cli.rv.ref.file_unreadable", a->pos[1]);
		return 1;
	}
	if ((r = rv_cli_open(cmd, &a->o, &cb)) != 0) {
		rc = r;
		goto out;
	}
	if (text == NULL) {
		struct ref_ctx *ctx = ref_ctx_get(cb);
		if (ctx == NULL) {
			RV_ERR(cmd, "cli.rv.ref.stored_config_bad");
			goto out;
		}
		for (size_t i = 0; i < ctx->cfg.npat; i++)
			CLI_PUT(stdout, "cli.rv.ref.config_pattern", ctx->cfg.pat[i].text);
		CLI_PUT(stdout, "cli.rv.ref.config_show", CLI_NUM(ctx->cfg.decision_days),
		    CLI_NUM(ctx->cfg.strategy_days), CLI_NUM(ctx->cfg.icpc_days),
		    CLI_NUM(ctx->cfg.assessment_days), CLI_NUM(ctx->cfg.nfa_days),
		    CLI_NUM(ctx->cfg.days.n));
		rc = 0;
		goto out;
	}
	if (cb_begin(cb) != 0 ||
	    ref_config_store(cb, (const char *)text, tlen, why, sizeof(why)) != 0) {
		RV_ERR(cmd, "cli.rv.ref.config_unchanged", a->pos[1], why);
		(void)cb_rollback(cb);
		goto out;
	}
	if (cb_audit(cb, "referrals-config", NULL, NULL) != 0 || cb_commit(cb) != 0) {
		RV_ERR(cmd, "cli.rv.ref.config_commit");
		(void)cb_rollback(cb);
		goto out;
	}
	CLI_PUT(stdout, "cli.rv.ref.config_done");
	rc = 0;
out:
	cb_close(cb);
	free(text);
	return rc;
}

/* ---- link / unlink ----------------------------------------------------------- */

static int
link_cmd(const char *cmd, int argc, char **argv, int manual)
{
	struct ref_args a;
	struct casebook *cb = NULL;
	char ref[REF_REF_MAX + 1], near[REF_REF_MAX + 1], cid[CB_ID_CHARS + 1], why[160];
	int rc = 1, r;

	if ((r = parse_args(cmd, argc, argv, 1, &a)) != 0)
		return r == 1 ? 0 : 2;
	if (a.npos != 2 || a.config || a.flag || a.format || a.nmaps ||
	    (!manual && (a.confirm || a.not_in_register))) {
		RV_ERR(cmd, manual ? "cli.rv.ref.link_usage" : "cli.rv.ref.unlink_usage", cmd);
		return 2;
	}
	/* said from the catalogue (cli.id.*); the parse then only cases it */
	if (rv_cli_id_arg(cmd, a.pos[0]) != 0 || cb_id_parse(a.pos[0], cid, why, sizeof(why)) != 0)
		return 2;
	if ((r = rv_cli_open(cmd, &a.o, &cb)) != 0)
		return r;
	switch (ref_link_act(cb, cid, a.pos[1], manual, a.not_in_register, ref, near)) {
	case REF_ACT_ERR_CONFIG:
		RV_ERR(cmd, "cli.rv.ref.stored_config_bad");
		break;
	case REF_ACT_NOT_REF:
		RV_ERR(cmd, "cli.rv.ref.not_ref", cli_head(a.pos[1], 40));
		break;
	case REF_ACT_NO_CONCERN:
		RV_ERR(cmd, "cli.rv.ref.no_concern");
		break;
	case REF_ACT_SEALED:
		RV_ERR(cmd, "cli.rv.ref.sealed", cid);
		break;
	case REF_ACT_ERR_CASEBOOK:
		RV_ERR(cmd, "cli.rv.casebook_unreadable");
		break;
	case REF_ACT_NO_REGISTER:
		RV_ERR(cmd, "cli.rv.ref.no_register", ref);
		break;
	case REF_ACT_NOT_IN_REGISTER:
		if (near[0])
			RV_ERR(cmd, "cli.rv.ref.not_in_register_near", ref, near);
		else
			RV_ERR(cmd, "cli.rv.ref.not_in_register", ref);
		break;
	case REF_ACT_ERR_REGISTER:
		RV_ERR(cmd, "cli.rv.ref.register_unreadable");
		break;
	case REF_ACT_ERR_BEGIN:
		RV_ERR(cmd, "cli.rv.ref.begin");
		break;
	case REF_ACT_NO_LINK:
		RV_ERR(cmd, "cli.rv.ref.no_link", cid, ref);
		break;
	case REF_ACT_ERR_STORE:
		RV_ERR(cmd, "cli.rv.ref.store_failed");
		break;
	case REF_ACT_LINKED:
		CLI_PUT(stdout, "cli.rv.ref.linked", cid, ref);
		rc = 0;
		break;
	case REF_ACT_REMOVED:
		CLI_PUT(stdout, "cli.rv.ref.removed", cid, ref);
		rc = 0;
		break;
	case REF_ACT_REJECTED:
		CLI_PUT(stdout, "cli.rv.ref.rejected", cid, ref);
		rc = 0;
		break;
	}
	cb_close(cb);
	return rc;
}

int
cmd_link(int argc, char **argv)
{
	return link_cmd("link", argc, argv, 1);
}

int
cmd_unlink(int argc, char **argv)
{
	return link_cmd("unlink", argc, argv, 0);
}

/* ---- dispatch ------------------------------------------------------------------ */

static int
do_list(const char *cmd, struct ref_args *a)
{
	struct casebook *cb = NULL;
	int csv = 0, r, rc;

	if (a->npos != 1) {
		RV_ERR(cmd, "cli.rv.ref.list_no_args");
		return 2;
	}
	if (a->format != NULL) {
		if (strcmp(a->format, "csv") == 0)
			csv = 1;
		else if (strcmp(a->format, "table") != 0) {
			RV_ERR(cmd, "cli.rv.ref.bad_format");
			return 2;
		}
	}
	if (a->flag != NULL && !ref_filter_ok(a->flag)) {
		RV_ERR(cmd, "cli.rv.ref.bad_flag", cli_head(a->flag, 40));
		return 2;
	}
	if ((r = rv_cli_open(cmd, &a->o, &cb)) != 0)
		return r;
	/* the list decrypts the references concerns name: logged, like show,
	 * before anything is printed */
	if (cb_begin(cb) != 0 || cb_audit(cb, "referrals-list", NULL, a->flag) != 0 ||
	    cb_commit(cb) != 0) {
		RV_ERR(cmd, "cli.rv.ref.audit_failed");
		cb_close(cb);
		return 1;
	}
	rc = ref_list(cmd, cb, a->flag, csv, stdout);
	cb_close(cb);
	return rc == 0 ? 0 : 1;
}

int
cmd_referrals(int argc, char **argv)
{
	const char *cmd = "referrals";
	struct ref_args a;
	int r;

	if (argc < 2)
		return referrals_help(stderr);
	if ((r = parse_args(cmd, argc, argv, 1, &a)) != 0)
		return r == 1 ? 0 : 2;
	if (a.npos == 0)
		return referrals_help(stderr);
	if (strcmp(a.pos[0], "import") == 0)
		return do_import(cmd, &a);
	if (strcmp(a.pos[0], "list") == 0)
		return do_list(cmd, &a);
	if (strcmp(a.pos[0], "config") == 0)
		return do_config(cmd, &a);
	RV_ERR(cmd, "cli.rv.ref.bad_sub", cli_head(a.pos[0], 20));
	return 2;
}
