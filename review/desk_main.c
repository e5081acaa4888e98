/*
 * candour-review-desk: `candour-review desk`, a program of its own so that
 * libmicrohttpd (and GnuTLS's chain with it: ten libraries) is mapped only
 * when a reviewer asks for the desk. candour-review execs it for `desk`
 * from its own directory (review/main.c); argv[1..] are desk's options.
 * The same start as candour-review's, less the CLI's no-network filter:
 * the desk binds its loopback socket first, then installs its own
 * (cmd_desk.c).
 */
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "review/desk.h"
#include "review/review.h"

int
main(int argc, char **argv)
{
	umask(077);
	/* no core dumps: memory holds decrypted concerns (exec made us dumpable again) */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	/* the random source before sodium_init (rand_pool.c says why) */
	if (rv_rand_install() != 0 || cc_init() != 0 || rv_rand_start() != 0) {
		fputs("candour-review: ", stderr); /* lint-cli: the program's name */
		CLI_PUT(stderr, "cli.rv.main.no_sodium");
		return 1;
	}
	return cmd_desk(argc, argv);
}
