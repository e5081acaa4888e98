/*
 * candour-intake status --db FILE
 *
 * The number of accepted records, the chain head, the first and last
 * dates, and a re-computation of the whole chain from the stored records
 * (the same figures the public /transparency page shows). Lines are
 * "name: value" so scripts can read them.
 */
#include <stdio.h>
#include <string.h>

#include "intake/store_int.h"
#include "util/util.h"

#define CMD "status"

static void
usage(FILE *f)
{
	CLI_PUT(f, "cli.in.status.usage");
}

/* Recomputes h[1..count]; returns the first seq whose link is wrong, or 0. */
static uint64_t
chain_check(struct store_db *db)
{
	uint8_t running[CC_HASH_BYTES], link[CC_HASH_BYTES], h[CC_HASH_BYTES], want[CC_HASH_BYTES];
	struct brec rec;

	cc_chain_genesis(running);
	for (uint64_t seq = 1; seq <= db->count; seq++) {
		if (store_db_record(db, seq, &rec, link) != 0 || brec_hash(&rec, h) != 0)
			return seq;
		cc_chain_next(running, seq, h, want);
		if (sodium_memcmp(want, link, CC_HASH_BYTES) != 0)
			return seq;
		memcpy(running, link, CC_HASH_BYTES);
	}
	return 0;
}

int
cmd_status(int argc, char **argv)
{
	const char *dbpath;
	const struct scli_opt opts[] = {{"db", &dbpath, 1}};
	struct store_db *db;
	char hex[2 * CC_HASH_BYTES + 1], phex[2 * CC_HASH_BYTES + 1], first[11], last[11];
	char today[11], before[11];
	uint8_t phead[CC_HASH_BYTES];
	uint64_t bad, pcount;
	int rc;

	if ((rc = scli_opts(CMD, argc, argv, opts, 1, usage,
		 "cli.in.need.status")) >= 0)
		return rc;
	if ((rc = scli_open_db(CMD, dbpath, 1, &db)) != 0)
		return rc;
	if (store_db_dates(db, first, last) != 0) {
		store_db_close(db);
		return SCLI_FAIL(CMD, "cli.in.cannot_read", dbpath);
	}
	if ((bad = chain_check(db)) != 0) {
		store_db_close(db);
		return SCLI_FAIL(CMD, "cli.in.status.broken", CLI_NUM(bad));
	}
	if (store_published_days(today, before) != 0 ||
	    store_db_published(db, today, &pcount, phead) != 0) {
		store_db_close(db);
		return SCLI_FAIL(CMD, "cli.in.cannot_read", dbpath);
	}
	util_hex(db->head, CC_HASH_BYTES, hex);
	util_hex(phead, CC_HASH_BYTES, phex);
	/* "name: value" fields, read by scripts as they are: kept in English */
	printf("records: %llu\nchain head: %s\nfirst: %s\nlast: %s\nchain: verified\n",
	    (unsigned long long)db->count, hex, first[0] ? first : "-", last[0] ? last : "-"); /* lint-cli: fields */
	/* what /transparency shows today: the chain as of the end of yesterday */
	printf("published as of end of: %s (UTC)\npublished records: %llu\npublished head: %s\n",
	    before, (unsigned long long)pcount, phex); /* lint-cli: fields */
	store_db_close(db);
	return 0;
}
