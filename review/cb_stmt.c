/*
 * Prepared statements kept for the life of the casebook, for the ones run
 * once per record of an import (a sqlite3_prepare per statement per concern
 * was ~13% of a large import's user time). Keyed by the SQL text's address:
 * callers pass a string literal. Each use ends with cb_stmt_done, which
 * resets the statement (releasing its read) and clears its bindings (no
 * pointer to a caller's buffer outlives the call). All SQL stays prepared
 * and bound; this only stops preparing the same text again.
 */
#include "review/cb_internal.h"

sqlite3_stmt *
cb_stmt(struct casebook *cb, const char *sql)
{
	size_t i;

	for (i = 0; i < CB_STMT_CACHE && cb->stmt[i].sql != NULL; i++)
		if (cb->stmt[i].sql == sql)
			return cb->stmt[i].st;
	if (i == CB_STMT_CACHE) /* a new caller past the limit: raise CB_STMT_CACHE */
		return NULL;
	if (sqlite3_prepare_v3(cb->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &cb->stmt[i].st,
		NULL) != SQLITE_OK) {
		sqlite3_finalize(cb->stmt[i].st);
		cb->stmt[i].st = NULL;
		return NULL;
	}
	cb->stmt[i].sql = sql;
	return cb->stmt[i].st;
}

void
cb_stmt_done(sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

void
cb_stmt_free_all(struct casebook *cb)
{
	for (size_t i = 0; i < CB_STMT_CACHE; i++) {
		sqlite3_finalize(cb->stmt[i].st);
		cb->stmt[i].st = NULL;
		cb->stmt[i].sql = NULL;
	}
}
