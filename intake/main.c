/* candour-intake: dispatches git-style subcommands. */
#include <stdio.h>
#include <string.h>

#include "intake/intake.h"
#include "tmpl/tmpl.h"

#ifndef CANDOUR_VERSION
#define CANDOUR_VERSION "0.1.0"
#endif

static const struct cli_cmd cmds[] = {
	{ "serve", cmd_serve, "cli.in.cmd.serve" },
	{ "export", cmd_export, "cli.in.cmd.export" },
	{ "import-replies", cmd_import_replies, "cli.in.cmd.import_replies" },
	{ "status", cmd_status, "cli.in.cmd.status" },
	{ "poster", cmd_poster, "cli.in.cmd.poster" },
	{ "backup", cmd_backup, "cli.in.cmd.backup" },
	{ "onion", cmd_onion, "cli.in.cmd.onion" },
	{ "keys", cmd_keys, "cli.in.cmd.keys" },
};

static int
usage(FILE *f)
{
	return cli_commands(f, "cli.in.main.usage", cmds, sizeof(cmds) / sizeof(cmds[0]),
	    (const char *const[]){"cli.in.main.tail", NULL});
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
		printf("candour-intake %s\n", CANDOUR_VERSION); /* lint-cli: the program's name */
		return 0;
	}
	if (cc_init() != 0) {
		fputs("candour-intake: ", stderr); /* lint-cli: the program's name */
		CLI_PUT(stderr, "cli.rv.main.no_sodium");
		return 1;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fputs("candour-intake: ", stderr); /* lint-cli: the program's name */
	CLI_PUT(stderr, "cli.in.main.unknown", argv[1]);
	return 2;
}
