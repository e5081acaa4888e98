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
		rv_err("desk", "cannot find this program's directory (/proc/self/exe)");
		return 1;
	}
	memcpy(slash + 1, RV_DESK_PROG, sizeof(RV_DESK_PROG));
	argv[0] = (char *)RV_DESK_PROG;
	execv(path, argv);
	rv_err("desk", "cannot run %s: %s; the desk is a program of its own: put " RV_DESK_PROG
	    " beside candour-review (make install and the package do)", path, strerror(errno));
	return 1;
}

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *what;
} cmds[] = {
    {"keygen", cmd_keygen, "create a reviewer key pair"},
    {"unlock", cmd_unlock, "ask the passphrase once for this session"},
    {"lock", cmd_lock, "forget the key unlocked for this session"},
    {"init", cmd_init, "create a casebook pinned to the intake's key"},
    {"reviewer", cmd_reviewer, "add or list the reviewers of a casebook"},
    {"import", cmd_import, "verify and import an intake export bundle"},
    {"list", cmd_list, "cases with status and due dates"},
    {"show", cmd_show, "one concern: answers, text, messages, attachments"},
    {"attachment", cmd_attachment, "write one decrypted attachment to a file"},
    {"search", cmd_search, "find concerns, messages and notes by words"},
    {"status", cmd_case_status, "move a case to a new state"},
    {"outcome", cmd_outcome, "record a case's outcome"},
    {"note", cmd_note, "add a private note to a case"},
    {"assign", cmd_assign, "assign a case to a reviewer"},
    {"reply", cmd_reply, "write a reply to the reporter"},
    {"export-replies", cmd_export_replies, "write pending status changes and replies to a bundle"},
    {"audit", cmd_audit, "show or verify the audit log"},
    {"purge", cmd_purge, "remove the text of cases closed before a date"},
    {"retention", cmd_retention, "set, show or clear the casebook's retention rule"},
    {"referrals", cmd_referrals, "the referral register: import, list"},
    {"link", cmd_link, "link a concern to a referral by hand"},
    {"unlink", cmd_unlink, "remove a concern's link to a referral"},
    {"report", cmd_report, "the governance report of a period, signed"},
    {"desk", desk_exec, "the same work as pages in a browser, on this machine only"},
};

static int
usage(FILE *f)
{
	fprintf(f, "usage: candour-review COMMAND [OPTIONS]   (COMMAND --help for more)\n\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-15s %s\n", cmds[i].name, cmds[i].what);
	fprintf(f, "\nCommon options: --casebook FILE --key NAME.sec --passphrase-file FILE\n"
		   "(or CANDOUR_CASEBOOK, CANDOUR_KEY, CANDOUR_PASSPHRASE_FILE).\n"
		   "candour-review --version prints the version.\n\n" RV_EXIT_HELP);
	return f == stdout ? 0 : 2;
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
		fprintf(
		    stderr, "candour-review: cannot install the no-network sandbox (seccomp)\n");
		return 1;
	}
	if (argc < 2)
		return usage(stderr);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0)
		return usage(stdout);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf(
		    "candour-review %s (casebook schema %d)\n", CANDOUR_VERSION, CB_SCHEMA_VERSION);
		return 0;
	}
	/* the random source before sodium_init (rand_pool.c says why) */
	if (rv_rand_install() != 0 || cc_init() != 0 || rv_rand_start() != 0) {
		fprintf(stderr, "candour-review: libsodium failed to initialise\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(
	    stderr, "candour-review: unknown command '%s'; try candour-review --help\n", argv[1]);
	return 2;
}
