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
	printf("the intake confirmed %u repl%s", cf->conf_replies,
	    cf->conf_replies == 1 ? "y" : "ies");
	for (unsigned i = 0; i < cf->nconf && i < CB_CLOSED_NAMED; i++) {
		printf("%s", i == 0 ? " (" : ", ");
		/* a clear column of a file that may have been edited */
		rv_print_safe(stdout, cf->conf_id[i], strlen(cf->conf_id[i]), 0);
		if (cf->conf_n[i] > 1)
			printf(": %u", cf->conf_n[i]);
	}
	printf("%s and %u status change%s: the reporter can read them now\n",
	    cf->nconf > 0 ? ")" : "", cf->conf_statuses, cf->conf_statuses == 1 ? "" : "s");
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

	if (total < IMPORT_PROGRESS_MIN || (stage == s->stage && pc == s->percent))
		return;
	if (stage != s->stage && s->open)
		fputc('\n', stderr);
	s->stage = stage, s->percent = pc;
	fprintf(stderr, "\rimport: %s: %3d%% (%llu of %llu records)",
	    stage == CB_IMPORT_VERIFY ? "checking the bundle's signature and chain"
				      : "storing the new records",
	    pc, (unsigned long long)done, (unsigned long long)total);
	s->open = done < total;
	if (!s->open)
		fputc('\n', stderr);
	fflush(stderr);
}

/* ---- the command -------------------------------------------------------- */

static int
import_help(FILE *f)
{
	fprintf(f, "usage: candour-review import --casebook FILE --key NAME.sec [BUNDLE]\n"
		   "Verifies an intake export (signature of the pinned intake key, hash chain\n"
		   "continuing from the casebook's head) and stores its new records in one\n"
		   "transaction. An export that repeats records already held (export\n"
		   "everything each time) is fine when they are the same records; a changed\n"
		   "record or another history is refused. Records not sealed to you are kept as "
		   "present but unreadable;\n"
		   "each import (also without a BUNDLE) opens the kept records you can "
		   "read.\n" RV_EXIT_HELP);
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
		if (argv[i][0] == '-' || path != NULL) {
			rv_err(cmd, "unknown argument '%s'; see --help", argv[i]);
			return 2;
		}
		path = argv[i];
	}
	if (path != NULL && rv_cli_in_file(cmd, path,
				"give the path of a bundle written by `candour-intake export`") != 0)
		return 2;
	if ((r = rv_cli_open(cmd, &o, &cb)) != 0)
		return r;
	/* progress only where a person watches: scripts read stderr's one line */
	r = cb_import_shown(cb, path, &res, why, sizeof(why), isatty(2) ? &pg : NULL);
	if (shown.open)
		fputc('\n', stderr);
	if (r != 0) {
		rv_err(cmd, "%s", why);
		goto out;
	}
	util_hex(res.headlink, CC_HASH_BYTES, hex);
	if (res.held > 0)
		printf("records %llu-%llu were already held (the same records); ",
		    (unsigned long long)res.from, (unsigned long long)(res.from + res.held - 1));
	if (res.has_bundle && res.to >= res.first)
		printf("imported records %llu-%llu: %u readable, %u unreadable here; ",
		    (unsigned long long)res.first, (unsigned long long)res.to, res.readable,
		    res.unreadable);
	else if (res.has_bundle && res.held > 0)
		printf("nothing new; ");
	else if (res.has_bundle)
		printf("the bundle holds no records; ");
	if (res.att_kept > 0)
		printf("%u attachment%s did not open as an attachment and %s kept sealed; ",
		    res.att_kept, res.att_kept == 1 ? "" : "s", res.att_kept == 1 ? "is" : "are");
	if (res.unlocked > 0)
		printf("opened %u record%s kept for you; ", res.unlocked,
		    res.unlocked == 1 ? "" : "s");
	printf("casebook holds %llu records, chain head %s\n", (unsigned long long)res.head, hex);
	/* what is new, by name (after the commit: a failure here loses nothing) */
	if (res.has_bundle && res.to >= res.first &&
	    cb_news_print(cb, res.first, res.to, stdout) != 0)
		rv_err(cmd, "imported, but cannot list what is new; see list");
	confirmed_print(&res);
	/* a reporter writing to a closed case must not go unseen */
	for (unsigned i = 0; i < res.nclosed && i < CB_CLOSED_NAMED; i++)
		printf("%s: new message on a closed case\n", res.closed[i]);
	if (res.nclosed > CB_CLOSED_NAMED)
		printf("and %u more closed cases with a new message: see `list`\n",
		    res.nclosed - CB_CLOSED_NAMED);
	rc = 0;
out:
	cb_close(cb);
	return rc;
}
