/*
 * envtool for tests/e2e/19-intake-followup-recipients.sh (built by make tests,
 * not by the script at its start).
 * envtool open DB SEQ IDX NAME OUT: opens envelope IDX of record SEQ straight
 * from intake.db with reviewer NAME's secret key ($SECRETS/NAME.sec, the
 * passphrase in $SECRETS/pass); prints the kind, writes the plaintext to OUT;
 * exit 3 when the key is not a recipient.
 * envtool downgrade DB: makes DB what schema 2 was (no recipient lists).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "crypto/candour_crypto.h"

static size_t
slurp(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, cap, f) : 0;
	if (f)
		fclose(f);
	return n;
}

int
main(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	uint8_t *env = NULL, *pt = NULL, sec[CC_SECFILE_MAX], pass[256];
	size_t len = 0, ptlen = 0, slen, plen;
	struct cc_seckey *k;
	char path[4096];
	int kind, rc;

	if (cc_init() != CC_OK || argc < 3 || sqlite3_open(argv[2], &db) != SQLITE_OK)
		return 1;
	if (strcmp(argv[1], "downgrade") == 0) {
		/* version 2: without what steps 3 (recipients) and 4 added */
		rc = sqlite3_exec(db,
		    "DROP TRIGGER replies_no_delete; DROP TRIGGER status_no_delete;"
		    " DROP TABLE recipients; PRAGMA user_version = 2",
		    NULL, NULL, NULL);
		sqlite3_close(db);
		return rc == SQLITE_OK ? 0 : 1;
	}
	if (argc != 7 || sqlite3_prepare_v2(db,
			     "SELECT c.data FROM envelopes e JOIN chunks c ON c.upload = e.upload"
			     " WHERE e.seq = ? AND e.idx = ? ORDER BY c.idx",
			     -1, &st, NULL) != SQLITE_OK)
		return 1;
	sqlite3_bind_int(st, 1, atoi(argv[3]));
	sqlite3_bind_int(st, 2, atoi(argv[4]));
	while (sqlite3_step(st) == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		env = realloc(env, len + n);
		memcpy(env + len, sqlite3_column_blob(st, 0), n);
		len += n;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (len == 0)
		return 1;
	snprintf(path, sizeof(path), "%s/%s.sec", getenv("SECRETS"), argv[5]);
	slen = slurp(path, sec, sizeof(sec));
	snprintf(path, sizeof(path), "%s/pass", getenv("SECRETS"));
	plen = slurp(path, pass, sizeof(pass));
	while (plen > 0 && pass[plen - 1] == '\n')
		plen--;
	/* the keys are test keys (keygen --kdf test, lib.sh's switch) */
	cc_seckey_test_floor(getenv("CANDOUR_TEST_WEAK_KDF") != NULL &&
			     strcmp(getenv("CANDOUR_TEST_WEAK_KDF"), "1") == 0);
	if (cc_seckey_open(sec, slen, (const char *)pass, plen, &k) != CC_OK)
		return 1;
	rc = cc_env_open(&k->box, env, len, &pt, &ptlen, &kind);
	cc_seckey_free(k);
	free(env);
	if (rc == CC_OK) {
		FILE *o = fopen(argv[6], "wb");
		fwrite(pt, 1, ptlen, o);
		fclose(o);
		printf("%d\n", kind);
		cc_free_wipe(pt, ptlen);
	}
	return rc == CC_OK ? 0 : rc == CC_ENOTRECIPIENT ? 3 : 1;
}
