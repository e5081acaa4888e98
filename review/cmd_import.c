/*
 * import: the command (cb_import.c does the work) and what it says.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "review/cb_internal.h"
#include "util/util.h"

/* "the intake confirmed 2 replies (7K2M9QXD: 2) and 1 status change" */
static void
confirmed_print(const struct cb_import_res *cf)
{
	if (cf->conf_replies + cf->conf_statuses == 0)
		return;
	CLI_PUT(stdout, cf->conf_replies == 1 ? "cli.rv.import.confirmed1" : "cli.rv.import.confirmed",
	    CLI_NUM(cf->conf_replies));
	for (unsigned i = 0; i < cf->nconf && i < CB_CLOSED_NAMED; i++) {
		printf("%s", i == 0 ? " (" : ", ");
		/* a clear column of a file that may have been edited */
		rv_print_safe(stdout, cf->conf_id[i], strlen(cf->conf_id[i]), 0);
		if (cf->conf_n[i] > 1)
			printf(": %u", cf->conf_n[i]);
	}
	fputs(cf->nconf > 0 ? ") " : " ", stdout);
	CLI_PUT(stdout, cf->conf_statuses == 1 ? "cli.rv.import.statuses1" : "cli.rv.import.statuses",
	    CLI_NUM(cf->conf_statuses));
}

/* ---- progress on a terminal -------------------------------------------- */

/* Below this many records an import is over before a line could help. */
#define IMPORT_PROGRESS_MIN 1000

struct shown {
	int stage, percent; /* last printed; stage -1: none */
	int open;	    /* a line without its newline yet */
};

/* One line a stage, rewritten when the whole percentage moves; ended at
 * 100% (the summary that follows starts on a line of its own). */
static void
import_progress(void *ctx, int stage, uint64_t done, uint64_t total)
{
	struct shown *s = ctx;
	int pc = (int)(done * 100 / total);
	char pcs[8];

	if (total < IMPORT_PROGRESS_MIN || (stage == s->stage && pc == s->percent))
		return;
	if (stage != s->stage && s->open)
		fputc('\n', stderr);
	s->stage = stage, s->percent = pc;
	snprintf(pcs, sizeof(pcs), "%3d", pc);
	fputc('\r', stderr);
	CLI_PUT(stderr, "cli.rv.import.progress",
	    CLI_T(stage == CB_IMPORT_VERIFY ? "cli.rv.import.verifying" : "cli.rv.import.storing"),
	    pcs, CLI_NUM(done), CLI_NUM(total));
	s->open = done < total;
	if (!s->open)
		fputc('\n', stderr);
	fflush(stderr);
}

/* ---- the command -------------------------------------------------------- */

static int
import_help(FILE *f)
{
	CLI_PUT(f, "cli.rv.import.usage");
	CLI_PUT(f, "cli.rv.exit_help");
	return f == stdout ? 0 : 2;
}

int
cmd_import(int argc, char **argv)
{
	const char *cmd = "import", *path = NULL;
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct cb_import_res res;
	struct shown shown = {-1, -1, 0};
	struct cb_import_progress pg = {import_progress, &shown};
	char why[4608], hex[2 * CC_HASH_BYTES + 1];
	int r, rc = 1;

	rv_opts_init(&o);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return import_help(stdout);
		if ((r = rv_opt_common(cmd, argc, argv, &i, &o)) != 0) {
			if (r < 0)
				return 2;
			continue;
		}
		if (argv[i][0] != '-' && path != NULL) {
			/* each import is one transaction checked against the
			 * chain's head: several bundles are imported in turn */
			RV_ERR(cmd, "cli.rv.import.one_bundle", path, argv[i]);
			return 2;
		}
		if (argv[i][0] == '-') {
			RV_ERR(cmd, "cli.rv.unknown_arg", argv[i]);
			return 2;
		}
		path = argv[i];
	}
	if (path != NULL && rv_cli_in_file(cmd, path,
				"cli.rv.todo.bundle") != 0)
		return 2;
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0)
		return r;
	/* progress only where a person watches: scripts read stderr's one line */
	r = cb_import_shown(cb, path, &res, why, sizeof(why), isatty(2) ? &pg : NULL);
	if (shown.open)
		fputc('\n', stderr);
	if (r != 0) {
		RV_ERR(cmd, "cli.rv.said", cli_phrase(why));
		goto out;
	}
	util_hex(res.headlink, CC_HASH_BYTES, hex);
	if (res.held > 0) {
		CLI_PUT(stdout, "cli.rv.import.held", CLI_NUM(res.from), CLI_NUM(res.from + res.held - 1));
		fputs("; ", stdout);
	}
	if (res.has_bundle && res.to >= res.first) {
		CLI_PUT(stdout, "cli.rv.import.imported", CLI_NUM(res.first), CLI_NUM(res.to),
		    CLI_NUM(res.readable), CLI_NUM(res.unreadable));
		fputs("; ", stdout);
	} else if (res.has_bundle && res.held > 0) {
		CLI_PUT(stdout, "cli.rv.import.nothing_new");
		fputs("; ", stdout);
	} else if (res.has_bundle) {
		CLI_PUT(stdout, "cli.rv.import.empty");
		fputs("; ", stdout);
	}
	if (res.att_kept > 0) {
		CLI_PUT(stdout, res.att_kept == 1 ? "cli.rv.import.att_kept1" : "cli.rv.import.att_kept",
		    CLI_NUM(res.att_kept));
		fputs("; ", stdout);
	}
	if (res.unlocked > 0) {
		CLI_PUT(stdout, res.unlocked == 1 ? "cli.rv.import.opened1" : "cli.rv.import.opened",
		    CLI_NUM(res.unlocked));
		fputs("; ", stdout);
	}
	CLI_PUT(stdout, "cli.rv.import.head", CLI_NUM(res.head), hex);
	/* what is new, by name (after the commit: a failure here loses nothing) */
	if (res.has_bundle && res.to >= res.first &&
	    cb_news_print(cb, res.first, res.to, stdout) != 0)
		RV_ERR(cmd, "cli.rv.import.no_news");
	confirmed_print(&res);
	/* a reporter writing to a closed case must not go unseen */
	for (unsigned i = 0; i < res.nclosed && i < CB_CLOSED_NAMED; i++)
		CLI_PUT(stdout, "cli.rv.import.closed_msg", res.closed[i]);
	if (res.nclosed > CB_CLOSED_NAMED)
		CLI_PUT(stdout, "cli.rv.import.closed_more", CLI_NUM(res.nclosed - CB_CLOSED_NAMED));
	rc = 0;
out:
	cb_close(cb);
	return rc;
}
