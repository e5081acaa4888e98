/*
 * candour-intake keys --db FILE [--keys DIR]
 *
 * What an administrator reads aloud at the key ceremony: the fingerprint
 * of every reviewer public key serve loads from --keys (the same loader,
 * so a key it would refuse is refused here) and of the intake's own
 * signing key, taken from the secret key file that signs exports and
 * checked against DB.sign.pub, the file reviewers pin. A key's role line
 * (what reporters are shown) is printed under it: the fingerprint does not
 * cover it, so it is read aloud too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/intake.h"
#include "intake/store_int.h"
#include "util/util.h"

#define CMD "keys"

static void
usage(FILE *f)
{
	CLI_PUT(f, "cli.in.keys.usage");
}

/* The keys the running serve holds, from DB.keys: public key files one
 * after another, each a key line and perhaps a role line. */
static int
load_loaded(const char *db, struct cc_pubkey *out, size_t max, size_t *n, char *why, size_t wl)
{
	char path[4096];
	uint8_t *buf = NULL;
	size_t len, off = 0;
	int rc = -1;

	*n = 0;
	if (snprintf(path, sizeof(path), "%s%s", db, INTAKE_LOADED_SUFFIX) >= (int)sizeof(path) ||
	    util_read_file(path, INTAKE_LOADED_MAX, &buf, &len) != 0) {
		CLI_FILL(why, wl, "cli.in.keys.loaded_unread", db, INTAKE_LOADED_SUFFIX,
		    cli_phrase(strerror(errno)));
		return -1;
	}
	while (off < len) {
		const char *s = (const char *)buf + off, *nl = memchr(s, '\n', len - off);
		size_t l = nl ? (size_t)(nl - s) + 1 : len - off;
		/* a role line belongs to the key line before it */
		const char *r = s + l;
		if (off + l < len && len - off - l > 16 && memcmp(r, "candour-role-v1 ", 16) == 0) {
			const char *nl2 = memchr(r, '\n', len - off - l);
			l += nl2 ? (size_t)(nl2 - r) + 1 : len - off - l;
		}
		if (*n == max || cc_pubkey_parse(s, l, &out[*n]) != CC_OK) {
			CLI_FILL(why, wl, "cli.in.keys.loaded_damaged", db, INTAKE_LOADED_SUFFIX,
			    CLI_NUM(*n + 1));
			goto out;
		}
		(*n)++;
		off += l;
	}
	if (*n == 0) {
		CLI_FILL(why, wl, "cli.in.keys.loaded_empty", db, INTAKE_LOADED_SUFFIX);
		goto out;
	}
	rc = 0;
out:
	free(buf);
	return rc;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct cc_pubkey *)a)->name, ((const struct cc_pubkey *)b)->name);
}

int
cmd_keys(int argc, char **argv)
{
	const char *dbpath, *dir;
	const struct scli_opt opts[] = {{"db", &dbpath, 1}, {"keys", &dir, 0}};
	struct cc_pubkey *pubs = NULL;
	char why[512], fpr[CC_FPR_CHARS + 1];
	uint8_t pk[CC_SIGN_PK], *sk = NULL;
	size_t n;
	int rc;

	if ((rc = scli_opts(CMD, argc, argv, opts, 2, usage,
		 "cli.in.need.keys")) >= 0)
		return rc;
	if (dir != NULL && (rc = scli_keys_dir(CMD, dir)) != 0)
		return rc;
	rc = 1;
	if ((sk = sodium_malloc(CC_SIGN_SK)) == NULL ||
	    (pubs = calloc(SCLI_MAX_KEYS, sizeof(*pubs))) == NULL) {
		SCLI_FAIL(CMD, "cli.rv.oom");
		goto out;
	}
	if (intake_signkey_load(dbpath, pk, sk, 0) != 0) {
		SCLI_FAIL(CMD, "cli.in.keys.signkey", dbpath,
		    CLI_T(errno == EINVAL  ? "cli.in.keys.signkey_mismatch"
			  : errno == EPERM ? "cli.in.keys.signkey_open"
					   : "cli.in.keys.signkey_file"),
		    cli_phrase(strerror(errno)));
		goto out;
	}
	if ((dir != NULL ? scli_load_keys(dir, pubs, SCLI_MAX_KEYS, &n, why, sizeof(why))
			 : load_loaded(dbpath, pubs, SCLI_MAX_KEYS, &n, why, sizeof(why))) != 0) {
		SCLI_FAIL(CMD, "cli.rv.said", why);
		goto out;
	}
	qsort(pubs, n, sizeof(*pubs), by_name);
	cc_signpub_fingerprint(pk, fpr);
	CLI_PUT(stdout, "cli.in.keys.sign_fpr", fpr);
	CLI_PUT(stdout, dir ? "cli.in.keys.count_dir" : "cli.in.keys.count_held", CLI_NUM(n));
	for (size_t i = 0; i < n; i++) {
		cc_fingerprint(&pubs[i], fpr);
		/* cc_pubkey_parse let through no control or direction-changing
		 * character: the role prints as it was written (one key with
		 * the reviewer line: a value's leading spaces are not kept) */
		if (pubs[i].role[0] != '\0')
			CLI_PUT(stdout, "cli.in.keys.reviewer_role", fpr, pubs[i].name, pubs[i].role);
		else
			CLI_PUT(stdout, "cli.in.keys.reviewer", fpr, pubs[i].name);
	}
	rc = 0;
out:
	sodium_free(sk);
	free(pubs);
	return rc;
}
