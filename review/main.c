/* candour-review: the offline casebook. Dispatches git-style subcommands. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/prctl.h>

#include "review/ref.h"
#include "review/report.h"
#include "review/desk.h"
#include "review/review.h"
#include "review/cb_internal.h"

/* The release; packaging may pass its own with -DCANDOUR_VERSION=... */
#ifndef CANDOUR_VERSION
#define CANDOUR_VERSION "0.1.0"
#endif

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
    {"status", cmd_status, "move a case to a new state"},
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
    {"desk", cmd_desk, "the same work as pages in a browser, on this machine only"},
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
	/* desk binds its loopback socket first, then installs its own filter */
	int desk = argc >= 2 && strcmp(argv[1], "desk") == 0;
	if (!desk && rv_sandbox() != 0) {
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
