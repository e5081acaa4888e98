/*
 * candour-intake import-replies --db FILE --keys DIR --in BUNDLE
 *
 * Applies a reviewer's REPLIES bundle: it must be signed by one of the
 * reviewer keys in DIR (*.pub, the same directory serve reads) and name
 * this intake's signing key as its target. Every item is checked before
 * any is applied - its concern exists here, a reply is a sealed reply
 * envelope small enough for the follow-up page - and all are applied in
 * one transaction. Item ids are unique in the database, so importing the
 * same bundle again changes nothing (and says so).
 *
 * Only a reader may speak for a concern: an item for a concern whose
 * reporter left the signer out is refused on its own (one line naming
 * the signer and the concern's seq, nothing stored for it, exit 1), and
 * the rest of the bundle is still checked and applied. Every reviewer
 * holds what it takes to sign a well-formed bundle for any concern (the
 * export, the intake's public key, their own key), so without this a
 * left-out reviewer could close a concern and write to its reporter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intake/store_int.h"
#include "util/util.h"

#define CMD "import-replies"
/* What each refusal ends with: the person reading it should know what to do. */
#define TODO_COPY "ask the reviewer for a fresh copy of the file export-replies wrote"
#define TODO_DISK "make room on the disk (or stop what holds the database) and import again"

static void
usage(FILE *f)
{
	fprintf(f, "usage: candour-intake import-replies --db FILE --keys DIR --in BUNDLE\n\n"
		   "  --db FILE    intake.db\n"
		   "  --keys DIR   the reviewers' public keys (NAME.pub): the bundle must be "
		   "signed by one\n"
		   "  --in BUNDLE  the reply bundle from candour-review export-replies\n\n"
		   "A --in that is missing or not a file, or a --keys that is not a\n"
		   "directory, is a usage error (exit 2), said before anything is opened.\n");
}

static int
this_intake(const char *dbpath, uint8_t pk[CC_SIGN_PK])
{
	char path[4096];
	uint8_t *buf;
	size_t len;
	int rc;

	if (intake_signkey_path(dbpath, 1, path, sizeof(path)) != 0 ||
	    util_read_file(path, CC_PUBLINE_MAX, &buf, &len) != 0)
		return -1;
	rc = cc_signpub_parse((const char *)buf, len, pk) == CC_OK ? 0 : -1;
	free(buf);
	return rc;
}

/* Checks one item against this database; NULL or why it is refused. */
static const char *
item_problem(struct store_db *db, const struct bitem *it, const uint8_t *env, size_t envlen)
{
	uint8_t ids[CC_MAX_RECIPIENTS][CC_KEYID_BYTES], want[CC_KEYID_BYTES];
	uint8_t link[CC_HASH_BYTES];
	struct brec rec;
	size_t n;
	int kind;

	if (store_db_is_concern(db, it->target_seq) != 1)
		return "names a concern this intake does not hold";
	if (!it->has_env)
		return NULL;
	if (envlen > STORE_REPLY_ENV_MAX)
		return "carries a reply over 2 MiB sealed, too long for the follow-up page";
	if (cc_env_recipients(env, envlen, ids, &n, &kind) != CC_OK || kind != CC_KIND_REPLY ||
	    n != 1)
		return "carries something that is not a reply sealed to the reporter";
	if (store_db_record(db, it->target_seq, &rec, link) != 0)
		return "names a concern this intake cannot read";
	cc_keyid(rec.reporter_pk, want);
	if (sodium_memcmp(ids[0], want, CC_KEYID_BYTES) != 0)
		return "carries a reply sealed to someone other than that concern's reporter";
	return NULL;
}

/* 1 if signer is one of the readers of concern seq, 0 if not, -1 when
 * the list cannot be read. */
static int
is_reader(struct store_db *db, uint64_t seq, const struct cc_pubkey *signer)
{
	uint8_t ids[CC_MAX_RECIPIENTS][CC_KEYID_BYTES];
	size_t n;
	int yes = 0;

	if (store_db_readers(db, seq, ids, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		yes |= sodium_memcmp(ids[i], signer->keyid, CC_KEYID_BYTES) == 0;
	return yes;
}

static int
apply(struct store_db *db, struct bundle_r *r, const struct cc_pubkey *signer, uint64_t nitems,
    uint64_t *fresh, uint64_t *refused)
{
	struct bitem it;
	uint8_t *env;
	size_t envlen;
	const char *why;
	int rc;

	*fresh = 0, *refused = 0;
	if (store_db_exec(db, "BEGIN IMMEDIATE") != 0)
		return scli_fail(CMD, "the database is busy or read-only; try again");
	for (uint64_t i = 0; i < nitems; i++) {
		if ((rc = bundle_r_item(r, i, &it, &env, &envlen)) != 0) {
			scli_fail(CMD, "item %llu: %s; nothing was applied; " TODO_COPY,
			    (unsigned long long)i + 1, bundle_strerror(rc));
			goto fail;
		}
		if ((why = item_problem(db, &it, env, envlen)) != NULL) {
			scli_fail(CMD,
			    "item %llu (concern %llu) %s; nothing was applied; ask the reviewer to"
			    " check that concern and send a new bundle",
			    (unsigned long long)i + 1, (unsigned long long)it.target_seq, why);
			free(env);
			goto fail;
		}
		if ((rc = is_reader(db, it.target_seq, signer)) != 1) {
			free(env);
			if (rc < 0) {
				scli_fail(CMD,
				    "cannot read the readers of concern %llu; nothing was"
				    " applied; " TODO_DISK,
				    (unsigned long long)it.target_seq);
				goto fail;
			}
			scli_fail(CMD,
			    "item %llu refused: %s is not a reader of concern %llu (the reporter"
			    " left them out); nothing stored for it: a reviewer the reporter chose"
			    " sends it",
			    (unsigned long long)i + 1, signer->name,
			    (unsigned long long)it.target_seq);
			(*refused)++;
			continue;
		}
		rc = store_db_item_add(db, &it, env, envlen);
		free(env);
		if (rc < 0) {
			scli_fail(CMD,
			    "cannot store item %llu (disk full?); nothing was applied; " TODO_DISK,
			    (unsigned long long)i + 1);
			goto fail;
		}
		*fresh += (uint64_t)rc;
	}
	if (store_db_exec(db, "COMMIT") != 0) {
		scli_fail(CMD, "cannot commit (disk full?); nothing was applied; " TODO_DISK);
		goto fail;
	}
	return 0;
fail:
	(void)store_db_exec(db, "ROLLBACK");
	return 1;
}

int
cmd_import_replies(int argc, char **argv)
{
	const char *dbpath, *keys, *in;
	const struct scli_opt opts[] = {
	    {"db", &dbpath, 1},
	    {"keys", &keys, 1},
	    {"in", &in, 1},
	};
	struct cc_pubkey *pubs = NULL;
	struct bundle_r *r = NULL;
	struct store_db *db = NULL;
	const struct bundle_info *info;
	const struct cc_pubkey *signer = NULL;
	uint8_t me[CC_SIGN_PK];
	char why[512];
	size_t npub;
	uint64_t fresh, refused;
	int rc, ret = 1;

	if ((rc = scli_opts(CMD, argc, argv, opts, 3, usage,
		 "cli.in.need.import_replies")) >= 0)
		return rc;
	const char *inwhy = util_in_problem(in);
	if (inwhy != NULL)
		return scli_usage(CMD,
		    "%s: %s; give the path of a bundle written by `candour-review export-replies`",
		    in, inwhy);
	/* a --keys that names no directory is a usage error too */
	if ((rc = scli_keys_dir(CMD, keys)) != 0)
		return rc;
	if ((pubs = calloc(SCLI_MAX_KEYS, sizeof(*pubs))) == NULL)
		return 1;
	if (scli_load_keys(keys, pubs, SCLI_MAX_KEYS, &npub, why, sizeof(why)) != 0) {
		scli_fail(CMD, "%s", why);
		goto out;
	}
	if (this_intake(dbpath, me) != 0) {
		scli_fail(CMD, "cannot read this intake's public key %s.sign.pub; run serve once",
		    dbpath);
		goto out;
	}
	if ((rc = bundle_r_open(in, &r)) != 0) {
		scli_fail(CMD, "%s: %s; nothing was applied; " TODO_COPY, in, bundle_strerror(rc));
		goto out;
	}
	info = bundle_r_info(r);
	if (info->kind != BUNDLE_REPLIES) {
		scli_fail(CMD,
		    "%s is an intake export, not a reply bundle; nothing was applied: an export"
		    " goes to `candour-review import`; ask the reviewer for the bundle"
		    " export-replies wrote",
		    in);
		goto out;
	}
	for (size_t i = 0; i < npub && signer == NULL; i++)
		if (sodium_memcmp(pubs[i].sign_pk, info->signer_pk, CC_SIGN_PK) == 0)
			signer = &pubs[i];
	if (signer == NULL) {
		scli_fail(CMD,
		    "%s is signed by a key that is not in %s; nothing was applied: if its signer"
		    " is a reviewer, put their NAME.pub in %s (check the fingerprint with"
		    " them, `candour-intake keys`) and import again",
		    in, keys, keys);
		goto out;
	}
	if ((rc = bundle_r_verify(r, signer->sign_pk)) != 0) {
		scli_fail(CMD, "%s: %s; nothing was applied; " TODO_COPY, in, bundle_strerror(rc));
		goto out;
	}
	if (sodium_memcmp(info->intake_pk, me, CC_SIGN_PK) != 0) {
		scli_fail(CMD,
		    "%s is for another intake (its target key is not %s.sign.pub); nothing was"
		    " applied: import it where it belongs, or ask the reviewer to export from"
		    " this intake's casebook",
		    in, dbpath);
		goto out;
	}
	if ((rc = scli_open_db(CMD, dbpath, 0, &db)) != 0) {
		ret = rc;
		goto out;
	}
	if (apply(db, r, signer, info->nitems, &fresh, &refused) != 0)
		goto out;
	if (refused > 0)
		printf("imported %llu of %llu items from %s; %llu refused\n",
		    (unsigned long long)fresh, (unsigned long long)info->nitems, signer->name,
		    (unsigned long long)refused);
	else if (fresh == 0)
		printf("nothing new: all %llu items from %s were imported before\n",
		    (unsigned long long)info->nitems, signer->name);
	else
		printf("imported %llu of %llu items from %s\n", (unsigned long long)fresh,
		    (unsigned long long)info->nitems, signer->name);
	ret = refused > 0 ? 1 : 0;
out:
	store_db_close(db);
	bundle_r_close(r);
	free(pubs);
	return ret;
}
