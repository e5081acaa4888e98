/*
 * import: the command (cb_import.c does the work) and what it says.
 */
#include <stdlib.h>
#include <string.h>

#include "review/cb_internal.h"
#include "util/util.h"

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
	if (rv_cli_open(cmd, &o, &cb) != 0)
		return 1;
	if (cb_import(cb, path, &res, why, sizeof(why)) != 0) {
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
