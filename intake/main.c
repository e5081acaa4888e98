/* candour-intake: dispatches git-style subcommands. */
#include <stdio.h>
#include <string.h>

#include "intake/intake.h"

#ifndef CANDOUR_VERSION
#define CANDOUR_VERSION "0.1.0"
#endif

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *what;
} cmds[] = {
	{ "serve", cmd_serve, "run the anonymous web intake" },
	{ "export", cmd_export, "write accepted records since SEQ to a signed bundle" },
	{ "import-replies", cmd_import_replies, "apply a reviewer's signed reply bundle" },
	{ "status", cmd_status, "number of accepted records and the chain head" },
	{ "poster", cmd_poster, "printable A4 poster with the intake's QR code" },
	{ "backup", cmd_backup, "consistent copy of the database while serving" },
	{ "onion", cmd_onion, "torrc lines for an onion service in front of serve" },
	{ "keys", cmd_keys, "fingerprints of the reviewers' keys and the signing key" },
};

static int
usage(FILE *f)
{
	fprintf(f, "usage: candour-intake COMMAND [OPTIONS]   (COMMAND --help for more)\n\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-15s %s\n", cmds[i].name, cmds[i].what);
	fprintf(f, "\n  --version       print the version\n\n"
		   "Exit status: 0 done, 1 failed, 2 usage error (an unknown command or\n"
		   "option, a missing option, a value of the wrong form, a --db or --in\n"
		   "that names no file, a --keys that names no directory).\n");
	return f == stdout ? 0 : 2;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0)
		return usage(stdout);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("candour-intake %s\n", CANDOUR_VERSION);
		return 0;
	}
	if (cc_init() != 0) {
		fprintf(stderr, "candour-intake: libsodium failed to initialise\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "candour-intake: unknown command '%s'; try candour-intake --help\n", argv[1]);
	return 2;
}
