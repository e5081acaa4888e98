/*
 * A concern's answers as the report counts them (concerns.answers, sealed
 * under the casebook key): the two the concern itself gave (risk, raised
 * before) and the reporter's voice, the latest answer to each of the two
 * follow-up questions (util/voice.c). Format (SECURITY.md, casebook):
 *   v5 rows: risk | raised                                   (2 bytes)
 *   since :  risk | raised | detriment | again |
 *            u64le seq of the follow-up that gave detriment |
 *            u64le seq of the follow-up that gave again       (20 bytes)
 * The seq makes the latest answer win whatever order follow-ups are
 * opened in (a kept record opened by a later reviewer's import).
 */
#include <sodium/utils.h>
#include <stdlib.h>
#include <string.h>

#include "review/cb_internal.h"
#include "review/report.h"
#include "util/util.h"

static void
put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t
get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void
answers_ad(const char *id, char ad[64])
{
	snprintf(ad, 64, "concern:%s:answers", id);
}

int
rp_answers_open(struct casebook *cb, const char *cid, const uint8_t *ct, size_t ctlen,
    struct rp_answers *a)
{
	uint8_t *pt = NULL;
	size_t len = 0;
	char ad[64];

	memset(a, 0, sizeof(*a));
	if (ct == NULL)
		return 0;
	answers_ad(cid, ad);
	if (cb_unseal(cb, ad, ct, ctlen, &pt, &len) != 0)
		return -1; /* changed in the file: refuse, do not guess */
	if (len != RP_ANSWERS_V5 && len != RP_ANSWERS_LEN) {
		cb_free(pt, len);
		return -1;
	}
	a->risk = pt[0] <= RP_ANS_NO ? pt[0] : RP_ANS_UNKNOWN;
	a->raised = pt[1] <= RP_ANS_NO ? pt[1] : RP_ANS_UNKNOWN;
	for (int q = 0; len == RP_ANSWERS_LEN && q < VOICE_QUESTIONS; q++) {
		a->voice[q] = pt[2 + q] <= VOICE_ANSWERS ? pt[2 + q] : VOICE_NONE;
		a->voice_seq[q] = get64(pt + 2 + VOICE_QUESTIONS + 8 * q);
	}
	cb_free(pt, len);
	return 0;
}

/* The stored answers of cid; *found 0 when none are stored yet. */
static int
answers_get(struct casebook *cb, const char *cid, struct rp_answers *a, int *found)
{
	sqlite3_stmt *st;
	int rc = -1;

	memset(a, 0, sizeof(*a));
	*found = 0;
	/* kept: import asks for every follow-up it opens */
	if ((st = cb_stmt(cb, "SELECT answers FROM concerns WHERE id=?")) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto out;
	if (sqlite3_column_type(st, 0) == SQLITE_BLOB) {
		*found = 1;
		if (rp_answers_open(cb, cid, sqlite3_column_blob(st, 0),
			(size_t)sqlite3_column_bytes(st, 0), a) != 0)
			goto out;
	}
	rc = 0;
out:
	cb_stmt_done(st);
	return rc;
}

int
rp_answers_get(struct casebook *cb, const char *cid, struct rp_answers *a)
{
	int found;
	return answers_get(cb, cid, a, &found);
}

int
rp_answers_put(struct casebook *cb, const char *cid, const struct rp_answers *a)
{
	sqlite3_stmt *st = NULL;
	uint8_t pt[RP_ANSWERS_LEN], *ct = NULL;
	size_t ctlen = 0;
	char ad[64];
	int rc = -1;

	pt[0] = a->risk;
	pt[1] = a->raised;
	for (int q = 0; q < VOICE_QUESTIONS; q++) {
		pt[2 + q] = a->voice[q];
		put64(pt + 2 + VOICE_QUESTIONS + 8 * q, a->voice_seq[q]);
	}
	answers_ad(cid, ad);
	/* a kept statement: import stores every readable concern's answers */
	if (cb_seal(cb, ad, pt, sizeof(pt), &ct, &ctlen) != 0 ||
	    (st = cb_stmt(cb, "UPDATE concerns SET answers=? WHERE id=?")) == NULL)
		goto out;
	sqlite3_bind_blob(st, 1, ct, (int)ctlen, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cid, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(cb_db(cb)) == 1 ? 0 : -1;
out:
	/* sealed plaintext is wiped like every other (STYLE.md): the voice
	 * answers are the reporter's own words about the service */
	sodium_memzero(pt, sizeof(pt));
	cb_stmt_done(st);
	free(ct);
	return rc;
}

int
rp_answers_seal(struct casebook *cb, const char *cid, int risk, int raised)
{
	struct rp_answers a;
	int found;

	/* keeps any voice answer a follow-up already gave */
	if (answers_get(cb, cid, &a, &found) != 0)
		return -1;
	a.risk = (uint8_t)risk;
	a.raised = (uint8_t)raised;
	return rp_answers_put(cb, cid, &a);
}

int
rp_voice_parse(const uint8_t *pt, size_t len, uint8_t voice[VOICE_QUESTIONS])
{
	struct field f[FIELDS_MAX];
	size_t n = 0, off = 0;
	int bad = 0;

	memset(voice, 0, VOICE_QUESTIONS);
	if (fields_decode(pt, len, FIELDS_MESSAGE, f, FIELDS_MAX, &n, &off) != 0)
		return -1;
	for (int q = 0; q < VOICE_QUESTIONS; q++) {
		const char *name = voice_field(q);
		size_t seen = 0;
		for (size_t i = 0; i < n; i++)
			if (strcmp(f[i].name, name) == 0) {
				int v = voice_parse(q, f[i].val, f[i].len);
				/* a repeat or a value outside the set counts as no
				 * answer: never guessed */
				if (++seen > 1 || v < 0)
					bad = 1, voice[q] = VOICE_NONE;
				else
					voice[q] = (uint8_t)v;
			}
		if (seen > 1)
			voice[q] = VOICE_NONE;
	}
	return bad ? 1 : 0;
}

int
rp_voice_store(struct casebook *cb, const char *cid, uint64_t seq)
{
	sqlite3_stmt *st = NULL;
	uint8_t *pt = NULL, voice[VOICE_QUESTIONS];
	size_t len = 0;
	struct rp_answers a;
	char ad[80];
	int found, change = 0, rc = -1, r;

	if ((st = cb_stmt(cb, "SELECT body FROM messages WHERE seq=? AND concern_id=?"
			      " AND readable=1")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)seq);
	sqlite3_bind_text(st, 2, cid, -1, SQLITE_STATIC);
	if ((r = sqlite3_step(st)) != SQLITE_ROW) {
		rc = r == SQLITE_DONE ? 0 : -1; /* not a readable follow-up: nothing to do */
		goto out;
	}
	if (sqlite3_column_type(st, 0) != SQLITE_BLOB) {
		rc = 0;
		goto out;
	}
	cb_row_ad("message", (long long)seq, cid, "body", ad);
	if (cb_unseal_concern(cb, cid, ad, sqlite3_column_blob(st, 0),
		(size_t)sqlite3_column_bytes(st, 0), &pt, &len) != 0)
		goto out;
	cb_stmt_done(st);
	st = NULL;
	if (rp_voice_parse(pt, len, voice) < 0 || answers_get(cb, cid, &a, &found) != 0)
		goto out;
	for (int q = 0; q < VOICE_QUESTIONS; q++)
		if (voice[q] != VOICE_NONE && seq >= a.voice_seq[q]) {
			a.voice[q] = voice[q];
			a.voice_seq[q] = seq;
			change = 1;
		}
	rc = change ? rp_answers_put(cb, cid, &a) : 0;
out:
	cb_stmt_done(st);
	if (pt != NULL)
		cb_free(pt, len);
	return rc;
}
