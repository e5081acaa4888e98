/*
 * The referral commands: `referrals import|list|config`, `link`, `unlink`,
 * and the referral part of `show`. Each command is one transaction and
 * leaves one audit entry; every reference and register value printed goes
 * through the terminal-safe path.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	fprintf(f,
	    "usage: candour-review referrals import --casebook FILE --key NAME.sec REGISTER.csv\n"
	    "                                [--map COLUMN=FIELD ...] [--config FILE]\n"
	    "       candour-review referrals list [--flag FLAG] [--format table|csv]\n"
	    "       candour-review referrals config [FILE]\n"
	    "       candour-review link ID REF [--confirm] [--not-in-register]\n"
	    "                                  (add, or confirm a possible link)\n"
	    "       candour-review unlink ID REF   (remove your own link, or reject one the\n"
	    "                                  reporter named or a possible link)\n"
	    "\n"
	    "import reads the case-management register (RFC 4180 CSV, UTF-8, BOM optional) in\n"
	    "one transaction: a malformed row stops it with file, line and column, and nothing\n"
	    "changes. Rows are stored encrypted under the casebook key; a later import updates\n"
	    "rows by reference. Fields: reference (required), received, source, team, decision,\n"
	    "decision_date, strategy_date, s47_date, icpc_date, status, closed_date,\n"
	    "closure_reason, assessment_date. Dates: YYYY-MM-DD or dd/mm/yyyy.\n"
	    "\n"
	    "Config file lines (# comments): pattern REF/YYYY/NNNNN (Y year digit, N digit,\n"
	    "other letters literal, separators flexible; the first pattern line replaces the\n"
	    "defaults REF/YYYY/NNNNN and PPN-NNNNNN); map COLUMN=FIELD; holiday YYYY-MM-DD;\n"
	    "holidays none|england-and-wales; decision_days N (1); strategy_days N (3);\n"
	    "icpc_days N (15); assessment_days N (45); nfa_days N (10, calendar days);\n"
	    "cp_decision WORD;\n"
	    "nfa_word WORD; closed_status WORD (WORD none clears a list).\n"
	    "\n"
	    "Links: exact (in the register), near (one edit from a register reference:\n"
	    "possible, confirm), missing (named but not in the register). Flags: decision-late,\n"
	    "strategy-late, s47-not-started, icpc-late, nfa-quick, closed-no-decision,\n"
	    "assessment-late; list\n"
	    "--flag also takes missing, near and manual.\n"
	    "\n"
	    "link checks REF against the register: a reference it does not hold (a typo?)\n"
	    "is linked only with --not-in-register. unlink removes a link a reviewer made to\n"
	    "a reference the reporter never named; one the reporter named stays, marked\n"
	    "\"rejected by a reviewer\".\n"
	    "\n" RV_EXIT_HELP);
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
				rv_err(cmd, "more than %d --map options", REF_CMD_MAPS);
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
			rv_err(cmd, "unknown argument '%.40s'; see --help", argv[i]);
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
	if (strcmp(stage, "rows") == 0)
		fprintf(stderr, "\rreading the register: %3u%% (%zu rows)   ", percent, rows);
	else
		fprintf(stderr, "\rbuilding the index and committing (%zu rows)   ", rows);
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
		rv_err(cmd, "import needs one REGISTER.csv; see --help");
		return 2;
	}
	if (rv_cli_in_file(cmd, a->pos[1], "cli.rv.todo.ref_csv") != 0 ||
	    (a->config != NULL &&
		rv_cli_in_file(cmd, a->config, "cli.rv.todo.ref_config") != 0))
		return 2;
	if ((c = malloc(sizeof(*c))) == NULL)
		return 1;
	if (a->config != NULL && util_read_file(a->config, REF_CONFIG_MAX, &text, &tlen) != 0) {
		rv_err(cmd, "cannot read %s; check the path (at most %zu bytes)", a->config,
		    REF_CONFIG_MAX);
		goto out;
	}
	if ((r = rv_cli_open(cmd, &a->o, &cb)) != 0) {
		rc = r;
		goto out;
	}
	if ((ctx = ref_ctx_get(cb)) == NULL) {
		rv_err(cmd, "cannot read the stored referral config");
		goto out;
	}
	*c = ctx->cfg;
	if (cb_begin(cb) != 0) {
		rv_err(cmd, "cannot start a transaction; is the casebook in use?");
		goto out;
	}
	if (text != NULL) {
		if (ref_config_store(cb, (const char *)text, tlen, why, sizeof(why)) != 0) {
			rv_err(cmd, "%s: %s; nothing was imported", a->config, why);
			goto rollback;
		}
		ref_config_default(c);
		(void)ref_config_parse(c, (const char *)text, tlen, why, sizeof(why));
	}
	for (size_t i = 0; i < a->nmaps; i++) {
		if (ref_config_map(c, a->maps[i], why, sizeof(why)) != 0) {
			rv_err(cmd, "--map %.60s: %s", a->maps[i], why);
			goto rollback;
		}
	}
	pg.fn = import_progress;
	if (ref_import_csv(cb, c, a->pos[1], isatty(STDERR_FILENO) ? &pg : NULL, &st, why,
		sizeof(why)) != 0) {
		if (isatty(STDERR_FILENO))
			fputc('\n', stderr);
		rv_err(cmd, "%s; nothing was imported", why);
		goto rollback;
	}
	if (ref_relink(cb, &relinked) != 0) {
		rv_err(cmd, "relinking concerns failed; nothing was imported");
		goto rollback;
	}
	snprintf(detail, sizeof(detail),
	    "register %zu rows (%zu new, %zu updated); %zu links "
	    "resolved",
	    st.rows, st.added, st.updated, relinked);
	if (cb_audit(cb, "referrals-import", NULL, detail) != 0 || cb_commit(cb) != 0) {
		rv_err(cmd, "cannot commit the import; nothing was imported");
		goto rollback;
	}
	if (isatty(STDERR_FILENO))
		fputc('\n', stderr);
	printf("imported %zu register rows (%zu new, %zu updated); %zu missing or possible "
	       "links resolved\n",
	    st.rows, st.added, st.updated, relinked);
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
	char why[300];
	int r, rc = 1;

	if (a->npos > 2) {
		rv_err(cmd, "config takes at most one FILE; see --help");
		return 2;
	}
	if (a->npos == 2 &&
	    rv_cli_in_file(cmd, a->pos[1], "cli.rv.todo.ref_config_file") != 0)
		return 2;
	if (a->npos == 2 && util_read_file(a->pos[1], REF_CONFIG_MAX, &text, &tlen) != 0) {
		rv_err(cmd, "cannot read %s; check the path", a->pos[1]);
		return 1;
	}
	if ((r = rv_cli_open(cmd, &a->o, &cb)) != 0) {
		rc = r;
		goto out;
	}
	if (text == NULL) {
		struct ref_ctx *ctx = ref_ctx_get(cb);
		if (ctx == NULL) {
			rv_err(cmd, "cannot read the stored referral config");
			goto out;
		}
		for (size_t i = 0; i < ctx->cfg.npat; i++)
			printf("pattern %s\n", ctx->cfg.pat[i].text);
		printf("decision_days %d\nstrategy_days %d\nicpc_days %d\nassessment_days %d\n"
		       "nfa_days %d\nholidays: %zu dates\n",
		    ctx->cfg.decision_days, ctx->cfg.strategy_days, ctx->cfg.icpc_days,
		    ctx->cfg.assessment_days, ctx->cfg.nfa_days, ctx->cfg.days.n);
		rc = 0;
		goto out;
	}
	if (cb_begin(cb) != 0 ||
	    ref_config_store(cb, (const char *)text, tlen, why, sizeof(why)) != 0) {
		rv_err(cmd, "%s: %s; the config was not changed", a->pos[1], why);
		(void)cb_rollback(cb);
		goto out;
	}
	if (cb_audit(cb, "referrals-config", NULL, NULL) != 0 || cb_commit(cb) != 0) {
		rv_err(cmd, "cannot commit; the config was not changed");
		(void)cb_rollback(cb);
		goto out;
	}
	printf("referral config stored\n");
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
		rv_err(cmd, "usage: %s ID REF%s; see --help", cmd,
		    manual ? " [--confirm] [--not-in-register]" : "");
		return 2;
	}
	if (cb_id_parse(a.pos[0], cid, why, sizeof(why)) != 0) {
		rv_err(cmd, "'%.20s' is not a concern id: %s", a.pos[0], why);
		return 2;
	}
	if ((r = rv_cli_open(cmd, &a.o, &cb)) != 0)
		return r;
	switch (ref_link_act(cb, cid, a.pos[1], manual, a.not_in_register, ref, near)) {
	case REF_ACT_ERR_CONFIG:
		rv_err(cmd, "cannot read the stored referral config");
		break;
	case REF_ACT_NOT_REF:
		rv_err(cmd,
		    "'%.40s' is not a reference (letters, digits and separators, with a "
		    "digit)",
		    a.pos[1]);
		break;
	case REF_ACT_NO_CONCERN:
		rv_err(cmd, "no concern with that id; see `candour-review list`");
		break;
	case REF_ACT_SEALED:
		rv_err(cmd, "%s is sealed to other reviewers: only they can link it", cid);
		break;
	case REF_ACT_ERR_CASEBOOK:
		rv_err(cmd, "cannot read the casebook");
		break;
	case REF_ACT_NO_REGISTER:
		rv_err(cmd,
		    "no register imported yet, so %s cannot be checked; import it"
		    " (referrals import) or say --not-in-register to link it anyway",
		    ref);
		break;
	case REF_ACT_NOT_IN_REGISTER:
		rv_err(cmd,
		    "%s is not in the register%s%s%s; check it for a typo, or say"
		    " --not-in-register to link it anyway",
		    ref, near[0] ? " (it holds " : "", near, near[0] ? ")" : "");
		break;
	case REF_ACT_ERR_REGISTER:
		rv_err(cmd, "cannot read the register");
		break;
	case REF_ACT_ERR_BEGIN:
		rv_err(cmd, "cannot start a transaction; is the casebook in use?");
		break;
	case REF_ACT_NO_LINK:
		rv_err(cmd, "concern %s has no link to %s; see `candour-review show %s`", cid,
		    ref, cid);
		break;
	case REF_ACT_ERR_STORE:
		rv_err(cmd, "cannot store the change; nothing changed");
		break;
	case REF_ACT_LINKED:
		printf("linked %s %s\n", cid, ref);
		rc = 0;
		break;
	case REF_ACT_REMOVED:
		printf("unlinked %s %s: removed (the reporter never named it)\n", cid, ref);
		rc = 0;
		break;
	case REF_ACT_REJECTED:
		printf("unlinked %s %s: kept as rejected by a reviewer (the reporter named it)\n",
		    cid, ref);
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
		rv_err(cmd, "list takes no arguments; see --help");
		return 2;
	}
	if (a->format != NULL) {
		if (strcmp(a->format, "csv") == 0)
			csv = 1;
		else if (strcmp(a->format, "table") != 0) {
			rv_err(cmd, "--format is table or csv");
			return 2;
		}
	}
	if (a->flag != NULL && !ref_filter_ok(a->flag)) {
		rv_err(cmd, "unknown flag '%.40s'; see --help for the list", a->flag);
		return 2;
	}
	if ((r = rv_cli_open(cmd, &a->o, &cb)) != 0)
		return r;
	/* the list decrypts the references concerns name: logged, like show,
	 * before anything is printed */
	if (cb_begin(cb) != 0 || cb_audit(cb, "referrals-list", NULL, a->flag) != 0 ||
	    cb_commit(cb) != 0) {
		rv_err(cmd, "cannot write the audit log; nothing listed");
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
	rv_err(cmd, "unknown subcommand '%.20s'; try import, list or config", a.pos[0]);
	return 2;
}
