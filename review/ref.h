/*
 * Referrals: the register import, reference extraction and linking, and
 * timescale flags (review/ref_*.c). The casebook calls the hooks below;
 * the CLI dispatch calls the commands. Returns 0 / -1 unless said otherwise.
 */
#ifndef CANDOUR_REVIEW_REF_H
#define CANDOUR_REVIEW_REF_H

#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

struct casebook;

/* Creates the referral tables; called by the casebook's migration step
 * inside its transaction. */
int ref_schema(sqlite3 *db);

/* Extracts references from a concern (its reference fields and free text)
 * or a follow-up and links them; called inside the import transaction for
 * every record this reviewer can read. concern_id is the casebook's id. */
int ref_after_import(struct casebook *cb, const char *concern_id);

/* Prints the linked referrals of a concern, with register facts and flags,
 * for `show` (terminal-safe). */
int ref_show(struct casebook *cb, const char *concern_id, FILE *out);

/* Commands: referrals import|list|config, link ID REF, unlink ID REF. */
int cmd_referrals(int argc, char **argv);
int cmd_link(int argc, char **argv);
int cmd_unlink(int argc, char **argv);

#endif
