/*
 * import: verifies an intake export against the pinned key, checks that it
 * continues the casebook's chain exactly, and stores every record
 * (import_rec.c) in one transaction; then opens any records kept for a
 * reviewer of this casebook who can read them (a shared casebook).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "review/cb_internal.h"
#include "util/util.h"

/* ---- the command -------------------------------------------------------- */

static int
import_help(FILE *f)
{
	fprintf(f, "usage: candour-review import --casebook FILE --key NAME.sec [BUNDLE]\n"
		   "Verifies an intake export (signature of the pinned intake key, hash chain\n"
		   "continuing exactly from the casebook's head) and stores its records in one\n"
		   "transaction. Records not sealed to you are kept as present but unreadable;\n"
		   "each import (also without a BUNDLE) opens the kept records you can read.\n");
	return f == stdout ? 0 : 2;
}

static const char *
bundle_why(int st)
{
	switch (st) {
	case BUNDLE_ESIG:
		return "the bundle's signature does not verify with this casebook's pinned intake"
		       " key: it comes from another intake, or it was changed";
	case BUNDLE_ECHAIN:
		return "the bundle's hash chain is broken (tampered)";
	case BUNDLE_EENV:
		return "an envelope in the bundle was changed (tampered)";
	case BUNDLE_EKIND:
		return "this is a reply bundle, not an intake export";
	case BUNDLE_ELIMIT:
		return "the bundle is over a size limit";
	case BUNDLE_EFORMAT:
		return "not a Candour bundle, or it is corrupt or truncated";
	default:
		return "cannot read the bundle";
	}
}

/* The casebook's link at seq into out; 0, or -1 when it has none. */
static int
cb_link_at(struct casebook *cb, uint64_t seq, uint8_t out[CC_HASH_BYTES])
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (seq == 0) {
		cc_chain_genesis(out);
		return 0;
	}
	if (sqlite3_prepare_v2(cb_db(cb), "SELECT link FROM records WHERE seq=?", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)seq);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == CC_HASH_BYTES) {
		memcpy(out, sqlite3_column_blob(st, 0), CC_HASH_BYTES);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/* A bundle overlapping what the casebook holds is a replay only when its
 * links agree at both ends of the overlap: the link before its first
 * record and the link at its last record the casebook also holds (a
 * restored older intake backup shares the first and differs after). */
static int
overlap_same(struct casebook *cb, struct bundle_r *r, const struct bundle_info *bi, uint64_t head)
{
	uint8_t at[CC_HASH_BYTES], theirs[CC_HASH_BYTES];
	uint64_t last = bi->to_seq < head ? bi->to_seq : head;
	struct brec rec;

	if (cb_link_at(cb, bi->from_seq - 1, at) != 0 ||
	    sodium_memcmp(at, bi->prev_link, CC_HASH_BYTES) != 0)
		return 0;
	if (last == bi->to_seq)
		memcpy(theirs, bi->head, CC_HASH_BYTES);
	else if (r == NULL || bundle_r_record(r, last, &rec, theirs) != 0)
		return 0;
	return cb_link_at(cb, last, at) == 0 && sodium_memcmp(at, theirs, CC_HASH_BYTES) == 0;
}

static int
chain_check(const char *cmd, struct casebook *cb, struct bundle_r *r,
    const struct bundle_info *bi, uint64_t head, const uint8_t headlink[CC_HASH_BYTES])
{

	if (bi->from_seq > head + 1) {
		rv_err(cmd,
		    "chain gap: the bundle starts at record %llu but the casebook ends at"
		    " record %llu; export again with `candour-intake export --since %llu`",
		    (unsigned long long)bi->from_seq, (unsigned long long)head,
		    (unsigned long long)head);
		return -1;
	}
	if (bi->from_seq <= head) {
		if (overlap_same(cb, r, bi, head))
			rv_err(cmd,
			    "replay: records %llu-%llu are already in the casebook (it holds up"
			    " to %llu); nothing imported; new records come with `export --since "
			    "%llu`",
			    (unsigned long long)bi->from_seq, (unsigned long long)bi->to_seq,
			    (unsigned long long)head, (unsigned long long)head);
		else
			rv_err(cmd,
			    "chain fork: the bundle's history (records %llu-%llu) differs from"
			    " the casebook's; refusing it",
			    (unsigned long long)bi->from_seq, (unsigned long long)bi->to_seq);
		return -1;
	}
	if (sodium_memcmp(headlink, bi->prev_link, CC_HASH_BYTES) != 0) {
		rv_err(cmd,
		    "chain fork: the bundle does not continue the casebook's chain after"
		    " record %llu; refusing it",
		    (unsigned long long)head);
		return -1;
	}
	return 0;
}

/* Opens and fully verifies an export bundle against the pinned key. */
static int
open_bundle(const char *cmd, struct casebook *cb, const char *path, struct bundle_r **out)
{
	const struct bundle_info *bi;
	int r;

	*out = NULL;
	if (access(path, R_OK) != 0) {
		rv_err(cmd, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	if ((r = bundle_r_open(path, out)) != 0) {
		rv_err(cmd, "%s: %s", path, bundle_why(r));
		return -1;
	}
	bi = bundle_r_info(*out);
	if (bi->kind != BUNDLE_EXPORT)
		r = BUNDLE_EKIND;
	else
		r = bundle_r_verify(*out, cb_intake_pk(cb));
	if (r != 0) {
		rv_err(cmd, "%s: %s", path, bundle_why(r));
		bundle_r_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int
cmd_import(int argc, char **argv)
{
	const char *cmd = "import", *path = NULL;
	struct rv_opts o;
	struct casebook *cb = NULL;
	struct imp im = {0};
	const struct bundle_info *bi = NULL;
	struct bundle_info info;
	uint8_t headlink[CC_HASH_BYTES], seqb[8];
	uint64_t head;
	char detail[160], hex[2 * CC_HASH_BYTES + 1];
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
	im.cb = cb;
	if (path != NULL && open_bundle(cmd, cb, path, &im.r) != 0)
		goto out;
	if (cb_begin(cb) != 0 || cb_head(cb, &head, headlink) != 0) {
		rv_err(cmd, "casebook is busy or damaged; nothing imported");
		goto out;
	}
	if (im.r != NULL) {
		info = *bundle_r_info(im.r); /* outlives the reader, closed below */
		bi = &info;
	}
	if (bi != NULL && bi->to_seq >= bi->from_seq) {
		if (chain_check(cmd, cb, im.r, bi, head, headlink) != 0)
			goto out;
		for (im.seq = bi->from_seq; im.seq <= bi->to_seq; im.seq++)
			if (imp_record(&im) != 0) {
				rv_err(cmd, "record %llu: %s; nothing imported",
				    (unsigned long long)im.seq,
				    im.err != NULL ? im.err : "cannot store it in the casebook");
				goto out;
			}
		head = bi->to_seq;
		for (int i = 0; i < 8; i++)
			seqb[i] = (uint8_t)(head >> (8 * i));
		memcpy(headlink, bi->head, CC_HASH_BYTES);
		if (cb_meta_set(cb, "head_seq", seqb, 8) != 0 ||
		    cb_meta_set(cb, "head_link", headlink, CC_HASH_BYTES) != 0 ||
		    cb_anchor_set(cb) != 0)
			goto fail;
	}
	/* kept records of earlier imports that this reviewer can open */
	if (im.r != NULL)
		bundle_r_close(im.r);
	im.r = NULL;
	if (imp_unlock(&im) != 0) {
		rv_err(cmd, "record %llu: %s; nothing imported", (unsigned long long)im.seq,
		    im.err != NULL ? im.err : "cannot open a kept record");
		goto out;
	}
	snprintf(detail, sizeof(detail),
	    "records %llu-%llu: %u readable, %u unreadable; %u kept"
	    " opened",
	    bi ? (unsigned long long)bi->from_seq : 0ULL,
	    bi ? (unsigned long long)bi->to_seq : 0ULL, im.readable - im.unlocked, im.unreadable,
	    im.unlocked);
	if (cb_audit(cb, "import", NULL, detail) != 0 || cb_commit(cb) != 0)
		goto fail;
	util_hex(headlink, CC_HASH_BYTES, hex);
	if (bi != NULL && bi->to_seq >= bi->from_seq)
		printf("imported records %llu-%llu: %u readable, %u unreadable here; ",
		    (unsigned long long)bi->from_seq, (unsigned long long)bi->to_seq,
		    im.readable - im.unlocked, im.unreadable);
	else if (bi != NULL)
		printf("the bundle holds no records; ");
	if (im.att_kept > 0)
		printf("%u attachment%s did not open as an attachment and %s kept sealed; ",
		    im.att_kept, im.att_kept == 1 ? "" : "s", im.att_kept == 1 ? "is" : "are");
	if (im.unlocked > 0)
		printf(
		    "opened %u record%s kept for you; ", im.unlocked, im.unlocked == 1 ? "" : "s");
	printf("casebook holds %llu records, chain head %s\n", (unsigned long long)head, hex);
	/* what is new, by name (after the commit: a failure here loses nothing) */
	if (bi != NULL && bi->to_seq >= bi->from_seq &&
	    cb_news_print(cb, bi->from_seq, bi->to_seq, stdout) != 0)
		rv_err(cmd, "imported, but cannot list what is new; see list");
	rc = 0;
	goto out;
fail:
	rv_err(cmd, "cannot write the casebook; nothing imported");
out:
	if (im.r != NULL)
		bundle_r_close(im.r);
	cb_close(cb);
	return rc;
}
