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
/* What each refusal ends with (a {N} of its line): the person reading it
 * should know what to do. */
#define TODO_COPY CLI_T("cli.in.imp.todo_copy")
#define TODO_DISK CLI_T("cli.in.imp.todo_disk")

static void
usage(FILE *f)
{
	CLI_PUT(f, "cli.in.imp.usage");
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

/* Checks one item against this database; NULL or the cli.* key of why it
 * is refused. */
static const char *
item_problem(struct store_db *db, const struct bitem *it, const uint8_t *env, size_t envlen)
{
	uint8_t ids[CC_MAX_RECIPIENTS][CC_KEYID_BYTES], want[CC_KEYID_BYTES];
	uint8_t link[CC_HASH_BYTES];
	struct brec rec;
	size_t n;
	int kind;

	if (store_db_is_concern(db, it->target_seq) != 1)
		return "cli.in.imp.why.no_concern";
	if (!it->has_env)
		return NULL;
	if (envlen > STORE_REPLY_ENV_MAX)
		return "cli.in.imp.why.too_long";
	if (cc_env_recipients(env, envlen, ids, &n, &kind) != CC_OK || kind != CC_KIND_REPLY ||
	    n != 1)
		return "cli.in.imp.why.not_reply";
	if (store_db_record(db, it->target_seq, &rec, link) != 0)
		return "cli.in.imp.why.unreadable";
	cc_keyid(rec.reporter_pk, want);
	if (sodium_memcmp(ids[0], want, CC_KEYID_BYTES) != 0)
		return "cli.in.imp.why.other";
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
		return SCLI_FAIL(CMD, "cli.in.imp.busy");
	for (uint64_t i = 0; i < nitems; i++) {
		if ((rc = bundle_r_item(r, i, &it, &env, &envlen)) != 0) {
			SCLI_FAIL(CMD, "cli.in.imp.item_bad", CLI_UNUM(i + 1),
			    cli_phrase(bundle_strerror(rc)), TODO_COPY);
			goto fail;
		}
		if ((why = item_problem(db, &it, env, envlen)) != NULL) {
			SCLI_FAIL(CMD, "cli.in.imp.item_refused", CLI_UNUM(i + 1),
			    CLI_UNUM(it.target_seq), CLI_T(why));
			free(env);
			goto fail;
		}
		if ((rc = is_reader(db, it.target_seq, signer)) != 1) {
			free(env);
			if (rc < 0) {
				SCLI_FAIL(CMD, "cli.in.imp.readers", CLI_UNUM(it.target_seq),
				    TODO_DISK);
				goto fail;
			}
			SCLI_FAIL(CMD, "cli.in.imp.not_reader", CLI_UNUM(i + 1), signer->name,
			    CLI_UNUM(it.target_seq));
			(*refused)++;
			continue;
		}
		rc = store_db_item_add(db, &it, env, envlen);
		free(env);
		if (rc < 0) {
			SCLI_FAIL(CMD, "cli.in.imp.store", CLI_UNUM(i + 1), TODO_DISK);
			goto fail;
		}
		*fresh += (uint64_t)rc;
	}
	if (store_db_exec(db, "COMMIT") != 0) {
		SCLI_FAIL(CMD, "cli.in.imp.commit", TODO_DISK);
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
		return SCLI_USAGE(CMD, "cli.in.imp.in_problem", in, cli_phrase(inwhy));
	/* a --keys that names no directory is a usage error too */
	if ((rc = scli_keys_dir(CMD, keys)) != 0)
		return rc;
	if ((pubs = calloc(SCLI_MAX_KEYS, sizeof(*pubs))) == NULL)
		return 1;
	if (scli_load_keys(keys, pubs, SCLI_MAX_KEYS, &npub, why, sizeof(why)) != 0) {
		SCLI_FAIL(CMD, "cli.rv.said", why);
		goto out;
	}
	if (this_intake(dbpath, me) != 0) {
		SCLI_FAIL(CMD, "cli.in.imp.no_pub", dbpath);
		goto out;
	}
	if ((rc = bundle_r_open(in, &r)) != 0) {
		SCLI_FAIL(CMD, "cli.in.imp.bundle_bad", in, cli_phrase(bundle_strerror(rc)), TODO_COPY);
		goto out;
	}
	info = bundle_r_info(r);
	if (info->kind != BUNDLE_REPLIES) {
		SCLI_FAIL(CMD, "cli.in.imp.is_export", in);
		goto out;
	}
	for (size_t i = 0; i < npub && signer == NULL; i++)
		if (sodium_memcmp(pubs[i].sign_pk, info->signer_pk, CC_SIGN_PK) == 0)
			signer = &pubs[i];
	if (signer == NULL) {
		SCLI_FAIL(CMD, "cli.in.imp.signer", in, keys);
		goto out;
	}
	if ((rc = bundle_r_verify(r, signer->sign_pk)) != 0) {
		SCLI_FAIL(CMD, "cli.in.imp.bundle_bad", in, cli_phrase(bundle_strerror(rc)), TODO_COPY);
		goto out;
	}
	if (sodium_memcmp(info->intake_pk, me, CC_SIGN_PK) != 0) {
		SCLI_FAIL(CMD, "cli.in.imp.other_intake", in, dbpath);
		goto out;
	}
	if ((rc = scli_open_db(CMD, dbpath, 0, &db)) != 0) {
		ret = rc;
		goto out;
	}
	if (apply(db, r, signer, info->nitems, &fresh, &refused) != 0)
		goto out;
	if (refused > 0)
		CLI_PUT(stdout, "cli.in.imp.done_refused", CLI_UNUM(fresh), CLI_UNUM(info->nitems),
		    signer->name, CLI_UNUM(refused));
	else if (fresh == 0)
		CLI_PUT(stdout, "cli.in.imp.nothing_new", CLI_UNUM(info->nitems), signer->name);
	else
		CLI_PUT(stdout, "cli.in.imp.done", CLI_UNUM(fresh), CLI_UNUM(info->nitems),
		    signer->name);
	ret = refused > 0 ? 1 : 0;
out:
	store_db_close(db);
	bundle_r_close(r);
	free(pubs);
	return ret;
}
