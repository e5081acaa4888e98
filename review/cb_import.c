/*
 * import: verifies an intake export against the pinned key, checks that it
 * continues the casebook's chain exactly, and stores every record
 * (import_rec.c) in one transaction; then opens any records kept for a
 * reviewer of this casebook who can read them (a shared casebook).
 * `import` and the desk's bundles page call cb_import.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "review/cb_internal.h"
#include "review/ref.h"
#include "util/util.h"

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

/* What to do about bundle_why(st): every import refusal ends with it. */
#define TODO_TAMPER                                                                                \
	"keep this file (it may have been tampered with), export again from the intake and"      \
	" import that bundle"
#define TODO_FORK                                                                                  \
	"keep this bundle and ask the intake's administrator whether the intake was restored"    \
	" from a backup or replaced: its history is not the one this casebook holds"
static const char *
bundle_todo(int st)
{
	switch (st) {
	case BUNDLE_ESIG:
		return "import only exports of the intake this casebook is pinned to; if it is"
		       " one, " TODO_TAMPER;
	case BUNDLE_ECHAIN:
	case BUNDLE_EENV:
		return TODO_TAMPER;
	case BUNDLE_EKIND:
		return "a reply bundle goes to `candour-intake import-replies`; import an export"
		       " of the intake here";
	case BUNDLE_ELIMIT:
	case BUNDLE_EFORMAT:
		return "copy the bundle again (a copy may be cut short) or " IMP_TODO_EXPORT;
	default:
		return "check that the file can be read, or " IMP_TODO_EXPORT;
	}
}

/* bundle_why(st) for a page that says it from the catalogues */
static int
bundle_refusal(int st)
{
	switch (st) {
	case BUNDLE_ESIG:
		return CB_IMP_SIG;
	case BUNDLE_ECHAIN:
	case BUNDLE_EENV:
		return CB_IMP_TAMPER;
	case BUNDLE_EKIND:
		return CB_IMP_KIND;
	case BUNDLE_ELIMIT:
	case BUNDLE_EFORMAT:
		return CB_IMP_FORMAT;
	default:
		return CB_IMP_READ;
	}
}

static void
refuse(struct cb_import_res *res, int why, uint64_t at, uint64_t head)
{
	res->refused = why;
	res->refused_at = at;
	res->refused_head = head;
}

/* What the reviewer is told to do about a record's refusal; a failure
 * with no phrase of its own is the store's. */
static int
record_todo(const struct imp *im)
{
	if (im->bundle_err != 0)
		return IMP_DO_EXPORT;
	return im->err != NULL ? im->todo : IMP_DO_DISK;
}

static const char *
todo_text(int todo)
{
	switch (todo) {
	case IMP_DO_EXPORT:
		return IMP_TODO_EXPORT;
	case IMP_DO_NEWER:
		return IMP_TODO_NEWER;
	default:
		return IMP_TODO_DISK;
	}
}

/* A record's refusal, for a page that says it from the catalogues. */
static int
record_refusal(const struct imp *im)
{
	switch (record_todo(im)) {
	case IMP_DO_EXPORT:
		return CB_IMP_RECORD;
	case IMP_DO_NEWER:
		return CB_IMP_NEWER;
	default:
		return CB_IMP_DISK;
	}
}

/* Why the store pass could not use what it read from the bundle (the
 * reads after verify: bundle_r_verify leaves each envelope's hash to
 * them, and they re-check each record against verify's digest). */
static const char *
store_why(int st)
{
	if (st == BUNDLE_EENV)
		return "an envelope in the bundle does not match the hash its record gives (the"
		       " file changed after its signature was checked, or the intake wrote a"
		       " faulty bundle)";
	return "the bundle changed on disk after its signature was checked";
}

/* The link the casebook holds for record seq (seq 0: the genesis).
 * 0 found, -1 not held or unreadable. */
static int
held_link(struct casebook *cb, uint64_t seq, uint8_t at[CC_HASH_BYTES])
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (seq == 0) {
		cc_chain_genesis(at);
		return 0;
	}
	if (sqlite3_prepare_v2(cb_db(cb), "SELECT link FROM records WHERE seq=?", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)seq);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == CC_HASH_BYTES) {
		memcpy(at, sqlite3_column_blob(st, 0), CC_HASH_BYTES);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Checks that the verified bundle continues the casebook's chain. An
 * export that overlaps what is held ("always export everything") is
 * accepted when every overlapping record is the one held: its chain link,
 * which hashes the record and all before it, is the link the casebook
 * stored. *first is the first record to import (head + 1 on an overlap).
 * A changed record or another history is refused. */
static int
chain_check(char *why, size_t wl, struct cb_import_res *res, struct casebook *cb,
    struct bundle_r *r, const struct bundle_info *bi, uint64_t head,
    const uint8_t headlink[CC_HASH_BYTES], uint64_t *first)
{
	uint8_t at[CC_HASH_BYTES], link[CC_HASH_BYTES];
	struct brec rec;

	*first = bi->from_seq;
	if (bi->from_seq > head + 1) {
		CLI_FILL(why, wl, "cli.why.imp.gap", CLI_UNUM(bi->from_seq), CLI_UNUM(head));
		refuse(res, CB_IMP_GAP, bi->from_seq, head);
		return -1;
	}
	if (bi->from_seq == head + 1) {
		if (sodium_memcmp(headlink, bi->prev_link, CC_HASH_BYTES) != 0) {
			CLI_FILL(why, wl, "cli.why.imp.fork_after", CLI_UNUM(head),
			    cli_phrase(TODO_FORK));
			refuse(res, CB_IMP_FORK, bi->from_seq, head);
			return -1;
		}
		return 0;
	}
	if (held_link(cb, bi->from_seq - 1, at) != 0) {
		CLI_FILL(why, wl, "cli.why.imp.lacks", CLI_UNUM(bi->from_seq - 1));
		refuse(res, CB_IMP_LACKS, bi->from_seq - 1, head);
		return -1;
	}
	if (sodium_memcmp(at, bi->prev_link, CC_HASH_BYTES) != 0) {
		CLI_FILL(why, wl, "cli.why.imp.fork_before", CLI_UNUM(bi->from_seq),
		    cli_phrase(TODO_FORK));
		refuse(res, CB_IMP_FORK, bi->from_seq, head);
		return -1;
	}
	for (uint64_t seq = bi->from_seq; seq <= bi->to_seq && seq <= head; seq++) {
		if (held_link(cb, seq, at) != 0) {
			CLI_FILL(why, wl, "cli.why.imp.lacks", CLI_UNUM(seq));
			refuse(res, CB_IMP_LACKS, seq, head);
			return -1;
		}
		if (bundle_r_record(r, seq, &rec, link) != 0) {
			CLI_FILL(why, wl, "cli.why.imp.reread", CLI_UNUM(seq),
			    cli_phrase(IMP_TODO_EXPORT));
			refuse(res, CB_IMP_RECORD, seq, head);
			return -1;
		}
		if (sodium_memcmp(at, link, CC_HASH_BYTES) != 0) {
			CLI_FILL(why, wl, "cli.why.imp.fork_record", CLI_UNUM(seq),
			    cli_phrase(TODO_FORK));
			refuse(res, CB_IMP_FORK, seq, head);
			return -1;
		}
	}
	*first = head + 1;
	return 0;
}

/* Opens an export bundle and verifies it whole against the pinned key
 * before anything in it is decrypted or parsed: the plaintext readers only
 * ever see what the intake signed (one pass that reads as it verifies was
 * measured, 2026-12-05, and not taken: SECURITY.md, Import). Each
 * envelope's hash against its record is checked as the store pass reads
 * it (bundle_r_verify leaves that to the reads; imp_env_stream). */
static void
verify_progress(void *ctx, uint64_t done, uint64_t total)
{
	const struct cb_import_progress *pg = ctx;

	pg->fn(pg->ctx, CB_IMPORT_VERIFY, done, total);
}

static int
open_bundle(char *why, size_t wl, struct cb_import_res *res, struct casebook *cb, const char *path,
    struct bundle_r **out, const struct cb_import_progress *pg)
{
	int r;

	*out = NULL;
	if (access(path, R_OK) != 0) {
		CLI_FILL(why, wl, "cli.why.imp.cannot_read", path, cli_phrase(strerror(errno)));
		refuse(res, CB_IMP_READ, 0, 0);
		return -1;
	}
	if ((r = bundle_r_open(path, out)) != 0) {
		CLI_FILL(why, wl, "cli.why.imp.bundle", path, cli_phrase(bundle_why(r)),
		    cli_phrase(bundle_todo(r)));
		refuse(res, bundle_refusal(r), 0, 0);
		return -1;
	}
	if (pg != NULL)
		bundle_r_on_progress(*out, verify_progress, (void *)pg);
	if (bundle_r_info(*out)->kind != BUNDLE_EXPORT)
		r = BUNDLE_EKIND;
	else
		r = bundle_r_verify(*out, cb_intake_pk(cb));
	if (r != 0) {
		CLI_FILL(why, wl, "cli.why.imp.bundle", path, cli_phrase(bundle_why(r)),
		    cli_phrase(bundle_todo(r)));
		refuse(res, bundle_refusal(r), 0, 0);
		bundle_r_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* The replies and status changes the intake confirms it holds (the ids
 * an export carries since bundle nitems): outbox rows not yet confirmed
 * are marked exported=2, and counted per concern for the summary. */
static int
confirm_items(struct casebook *cb, struct bundle_r *r, struct cb_import_res *cf)
{
	sqlite3_stmt *sel = NULL, *upd = NULL;
	const uint8_t *ids;
	size_t n;
	int rc = -1;

	if (bundle_r_confirmed(r, &ids, &n) != 0)
		return -1;
	if (n == 0)
		return 0;
	if (sqlite3_prepare_v2(cb_db(cb),
		"SELECT concern_id, type FROM outbox WHERE item_id=? AND exported IN (0, 1)", -1,
		&sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(cb_db(cb), "UPDATE outbox SET exported=2 WHERE item_id=?", -1, &upd,
		NULL) != SQLITE_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *id = ids + i * BUNDLE_ITEM_ID_BYTES;
		sqlite3_bind_blob(sel, 1, id, BUNDLE_ITEM_ID_BYTES, SQLITE_STATIC);
		int s = sqlite3_step(sel);
		if (s == SQLITE_ROW) {
			const char *cid = (const char *)sqlite3_column_text(sel, 0);
			int type = sqlite3_column_int(sel, 1);
			unsigned k = 0;
			cf->conf_replies += type == BITEM_REPLY;
			cf->conf_statuses += type != BITEM_REPLY;
			while (type == BITEM_REPLY && cid != NULL && k < cf->nconf &&
			       k < CB_CLOSED_NAMED && strcmp(cf->conf_id[k], cid) != 0)
				k++;
			if (type == BITEM_REPLY && cid != NULL && k < CB_CLOSED_NAMED) {
				if (k == cf->nconf)
					snprintf(cf->conf_id[cf->nconf++], CB_ID_CHARS + 1, "%s", cid);
				cf->conf_n[k]++;
			}
			sqlite3_bind_blob(upd, 1, id, BUNDLE_ITEM_ID_BYTES, SQLITE_STATIC);
			if (sqlite3_step(upd) != SQLITE_DONE)
				goto out;
			sqlite3_reset(upd);
		} else if (s != SQLITE_DONE)
			goto out;
		sqlite3_reset(sel);
	}
	rc = 0;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return rc;
}

int
cb_import(struct casebook *cb, const char *path, struct cb_import_res *res, char *why, size_t wl)
{
	return cb_import_shown(cb, path, res, why, wl, NULL);
}

int
cb_import_shown(struct casebook *cb, const char *path, struct cb_import_res *res, char *why,
    size_t wl, const struct cb_import_progress *pg)
{
	struct imp im = {0};
	const struct bundle_info *bi = NULL;
	struct bundle_info info;
	uint8_t headlink[CC_HASH_BYTES], seqb[8];
	uint64_t head, first = 0, held = 0;
	char detail[200];
	int rc = -1, rebuild;

	memset(res, 0, sizeof(*res));
	why[0] = '\0';
	im.cb = cb;
	if (cc_env_reader_new(&cb_seckey(cb)->box, NULL, NULL, &im.rd) != CC_OK) {
		CLI_FILL(why, wl, "cli.why.imp.memory");
		refuse(res, CB_IMP_MEMORY, 0, 0);
		goto out;
	}
	if (path != NULL && open_bundle(why, wl, res, cb, path, &im.r, pg) != 0)
		goto out;
	if (cb_begin(cb) != 0 || cb_head(cb, &head, headlink) != 0) {
		CLI_FILL(why, wl, "cli.why.imp.busy");
		refuse(res, CB_IMP_BUSY, 0, 0);
		goto out;
	}
	if (im.r != NULL) {
		info = *bundle_r_info(im.r); /* outlives the reader, closed below */
		bi = &info;
		first = bi->from_seq; /* an empty bundle imports nothing */
	}
	if (bi != NULL && bi->to_seq >= bi->from_seq) {
		if (chain_check(why, wl, res, cb, im.r, bi, head, headlink, &first) != 0)
			goto out;
		/* records from_seq .. first - 1 (at most to_seq) were held */
		held = (first - 1 < bi->to_seq ? first - 1 : bi->to_seq) + 1 - bi->from_seq;
	}
	/* more new records than held: the links' index once, at the end */
	rebuild = bi != NULL && bi->to_seq >= first && bi->to_seq - first + 1 >= head;
	if ((rebuild && ref_links_index(cb, 0) != 0) || ref_links_stage(cb) != 0)
		goto fail;
	if (bi != NULL && bi->to_seq >= first) {
		for (im.seq = first; im.seq <= bi->to_seq; im.seq++) {
			if (imp_record(&im) != 0) {
				CLI_FILL(why, wl, "cli.why.imp.record", CLI_UNUM(im.seq),
				    cli_phrase(im.bundle_err != 0 ? store_why(im.bundle_err)
					       : im.err != NULL   ? im.err
								  : "cannot store it in the casebook"),
				    cli_phrase(todo_text(record_todo(&im))));
				refuse(res, record_refusal(&im), im.seq, head);
				goto out;
			}
			if (pg != NULL)
				pg->fn(pg->ctx, CB_IMPORT_STORE, im.seq - first + 1,
				    bi->to_seq - first + 1);
		}
	}
	if (bi != NULL && bi->to_seq >= first) {
		head = bi->to_seq;
		for (int i = 0; i < 8; i++)
			seqb[i] = (uint8_t)(head >> (8 * i));
		memcpy(headlink, bi->head, CC_HASH_BYTES);
		if (cb_meta_set(cb, "head_seq", seqb, 8) != 0 ||
		    cb_meta_set(cb, "head_link", headlink, CC_HASH_BYTES) != 0 ||
		    cb_anchor_set(cb) != 0)
			goto fail;
	}
	if (im.r != NULL && confirm_items(cb, im.r, res) != 0)
		goto fail;
	/* kept records of earlier imports that this reviewer can open */
	if (im.r != NULL)
		bundle_r_close(im.r);
	im.r = NULL;
	if (imp_unlock(&im) != 0) {
		CLI_FILL(why, wl, "cli.why.imp.record", CLI_UNUM(im.seq),
		    cli_phrase(im.err != NULL ? im.err : "cannot open a kept record"),
		    cli_phrase(todo_text(record_todo(&im))));
		refuse(res, record_refusal(&im), im.seq, head);
		goto out;
	}
	/* the links of every record stored and opened, sorted by key, then
	 * the index by reference once if it was dropped */
	if (ref_links_unstage(cb, 1) != 0 || (rebuild && ref_links_index(cb, 1) != 0))
		goto fail;
	snprintf(detail, sizeof(detail),
	    "records %llu-%llu: %u readable, %u unreadable; %u kept"
	    " opened; %llu already held; %u replies, %u status changes confirmed",
	    bi ? (unsigned long long)first : 0ULL, bi ? (unsigned long long)bi->to_seq : 0ULL,
	    im.readable - im.unlocked, im.unreadable, im.unlocked, (unsigned long long)held,
	    res->conf_replies, res->conf_statuses);
	if (cb_audit(cb, "import", NULL, detail) != 0 || cb_commit(cb) != 0)
		goto fail;
	res->has_bundle = bi != NULL;
	res->first = first;
	res->to = bi ? bi->to_seq : 0;
	res->from = bi ? bi->from_seq : 0;
	res->held = held;
	res->readable = im.readable - im.unlocked;
	res->unreadable = im.unreadable;
	res->unlocked = im.unlocked;
	res->att_kept = im.att_kept;
	res->head = head;
	memcpy(res->headlink, headlink, CC_HASH_BYTES);
	res->nclosed = im.nclosed;
	memcpy(res->closed, im.closed, sizeof(res->closed));
	rc = 0;
	goto out;
fail:
	CLI_FILL(why, wl, "cli.why.imp.disk", cli_phrase(IMP_TODO_DISK));
	refuse(res, CB_IMP_DISK, 0, 0);
out:
	if (im.r != NULL)
		bundle_r_close(im.r);
	cc_env_reader_abort(im.rd);
	(void)ref_links_unstage(cb, 0); /* nothing when committed */
	cb_rollback(cb);		/* nothing when committed */
	return rc;
}
