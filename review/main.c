/* candour-review: the offline casebook. Dispatches git-style subcommands. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "review/ref.h"
#include "review/report.h"
#include "review/review.h"
#include "review/cb_internal.h"

/* The release; packaging may pass its own with -DCANDOUR_VERSION=... */
#ifndef CANDOUR_VERSION
#define CANDOUR_VERSION "0.1.0"
#endif

/* The desk's program, beside this one (installed with it: make install). */
#define RV_DESK_PROG "candour-review-desk"

/*
 * desk: exec RV_DESK_PROG from this program's own directory with desk's
 * options (argv: "desk" and the options; argv[0] becomes the program's
 * name). The desk is a program of its own so that this one links no
 * libmicrohttpd: the offline commands never have a network library mapped,
 * and each start costs ~8 ms of CPU less (libmicrohttpd and GnuTLS's chain,
 * ten libraries, not loaded; issue 10). /proc/self/exe, not PATH: the desk
 * run is the one installed with this candour-review. Returns only on
 * failure (1, one line said why).
 */
static int
desk_exec(int argc, char **argv)
{
	char path[PATH_MAX], *slash = NULL;
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	(void)argc;
	if (n > 0) {
		path[n] = '\0';
		slash = strrchr(path, '/');
	}
	if (slash == NULL || (size_t)(slash + 1 - path) + sizeof(RV_DESK_PROG) > sizeof(path)) {
		RV_ERR("desk", "cli.rv.desk.no_exe");
		return 1;
	}
	memcpy(slash + 1, RV_DESK_PROG, sizeof(RV_DESK_PROG));
	argv[0] = (char *)RV_DESK_PROG;
	execv(path, argv);
	RV_ERR("desk", "cli.rv.desk.no_exec", path, cli_phrase(strerror(errno)), RV_DESK_PROG);
	return 1;
}

static const struct cli_cmd cmds[] = {
    {"keygen", cmd_keygen, "cli.rv.cmd.keygen"},
    {"unlock", cmd_unlock, "cli.rv.cmd.unlock"},
    {"lock", cmd_lock, "cli.rv.cmd.lock"},
    {"init", cmd_init, "cli.rv.cmd.init"},
    {"reviewer", cmd_reviewer, "cli.rv.cmd.reviewer"},
    {"import", cmd_import, "cli.rv.cmd.import"},
    {"list", cmd_list, "cli.rv.cmd.list"},
    {"show", cmd_show, "cli.rv.cmd.show"},
    {"attachment", cmd_attachment, "cli.rv.cmd.attachment"},
    {"search", cmd_search, "cli.rv.cmd.search"},
    {"status", cmd_case_status, "cli.rv.cmd.status"},
    {"outcome", cmd_outcome, "cli.rv.cmd.outcome"},
    {"note", cmd_note, "cli.rv.cmd.note"},
    {"assign", cmd_assign, "cli.rv.cmd.assign"},
    {"reply", cmd_reply, "cli.rv.cmd.reply"},
    {"export-replies", cmd_export_replies, "cli.rv.cmd.export_replies"},
    {"audit", cmd_audit, "cli.rv.cmd.audit"},
    {"purge", cmd_purge, "cli.rv.cmd.purge"},
    {"retention", cmd_retention, "cli.rv.cmd.retention"},
    {"referrals", cmd_referrals, "cli.rv.cmd.referrals"},
    {"link", cmd_link, "cli.rv.cmd.link"},
    {"unlink", cmd_unlink, "cli.rv.cmd.unlink"},
    {"report", cmd_report, "cli.rv.cmd.report"},
    {"desk", desk_exec, "cli.rv.cmd.desk"},
};

static int
usage(FILE *f)
{
	return cli_commands(f, "cli.rv.main.usage", cmds, sizeof(cmds) / sizeof(cmds[0]),
	    (const char *const[]){"cli.rv.main.common", "cli.rv.exit_help", NULL});
}

int
main(int argc, char **argv)
{
	umask(077);
	/* no core dumps: memory holds decrypted concerns */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	/* desk binds its loopback socket first, then installs its own filter:
	 * its program is started before this one's filter (inherited on exec) */
	if (argc >= 2 && strcmp(argv[1], "desk") == 0)
		return desk_exec(argc - 1, argv + 1);
	if (rv_sandbox() != 0) {
		fputs("candour-review: ", stderr); /* lint-cli: the program's name */
		CLI_PUT(stderr, "cli.rv.main.no_sandbox");
		return 1;
	}
	if (argc < 2)
		return usage(stderr);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0)
		return usage(stdout);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		CLI_PUT(stdout, "cli.rv.main.version", CANDOUR_VERSION, CLI_NUM(CB_SCHEMA_VERSION));
		return 0;
	}
	/* the random source before sodium_init (rand_pool.c says why) */
	if (rv_rand_install() != 0 || cc_init() != 0 || rv_rand_start() != 0) {
		fputs("candour-review: ", stderr); /* lint-cli: the program's name */
		CLI_PUT(stderr, "cli.rv.main.no_sodium");
		return 1;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fputs("candour-review: ", stderr); /* lint-cli: the program's name */
	CLI_PUT(stderr, "cli.rv.main.unknown", argv[1]);
	return 2;
}
