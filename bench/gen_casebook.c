/*
 * Builds a casebook directly (no intake, no import): N concerns with
 * categories, answers, statuses, outcomes, replies, follow-up records and
 * referral links, spread over months, deterministic for a seed. For the
 * report's benchmark and for the report's e2e tests (a fixed casebook
 * with known figures). Not a tool for real data.
 *
 *   gen_casebook --casebook FILE --key NAME.sec --concerns N [--seed S]
 *       [--from YYYY-MM] [--months M] [--followups-every K] [--hold H]
 *       [--ids FILE] [--link SEQ] [--facts FILE] [--answered 1] [--sealed 0]
 *       [--sealed-acted 0]
 * --after H adds records H+1.. to FILE, a casebook made by the same
 * command with --hold H (the same options and seed): the casebook those
 * records were imported into later, with what it recorded meanwhile (the
 * reports made from it, e2e 68); the records are those of a run without
 * --hold. With --hold H2 too it adds H+1..H2 alone: a third state
 * (e2e 68's states(); --hold 40, then --after 40 --hold 100, gives the
 * concerns, records, replies, heads and links of --hold 100, n=120
 * seed 11, but for each casebook's own index hash).
 * --hold H keeps only records 1..H of the chain (the rest were "never
 * imported"); --link SEQ prints the chain link of record SEQ of the whole
 * generated chain (what the intake would publish); --ids FILE writes every
 * concern id and reference made, for the identity scan; --facts FILE
 * writes, in plain CSV, each referral link made (link,REF,state,the
 * concern's received day) and each register row (reg,REF,received,
 * decision,decision day,strategy,s47,icpc,status,closed,closure reason,
 * assessment), so a test can work section 5's figures out apart from the
 * C code (e2e 60), and each concern's answers as sealed (ans,id,risk,
 * raised,detriment,again: 0 none, then util.h's VOICE_* and rp_answer
 * values; 0,0,0,0 for one sealed to others), which the casebook holds
 * only sealed (e2e 68: sdc_states.py --tables=answers).
 * --sealed 0: no concern sealed to other reviewers (every concern to every
 * reviewer, the usual set-up; one in ten is sealed to others without it),
 * the same draws otherwise.
 * --sealed-acted 0: a concern sealed to others stays received, as the
 * product has it (cb_act.c refuses to act on one: the other reviewers
 * acknowledge, answer and close it in their casebook); without it, drawn
 * as every other (acknowledged, answered, closed), as before 2026-12-07
 * and in every test made before. The same draws either way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bundle/bundle.h"
#include "review/cb_internal.h"
#include "review/ref.h"
#include "review/report.h"
#include "util/util.h"

static uint64_t rng;
static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static const char *const cats[] = {"referral-not-actioned", "closed-without-child-seen",
    "strategy-meeting-delayed", "recording", "caseload-capacity", "other"};

static void
date_of(int32_t day, char out[11])
{
	ref_date_format(day, out);
}

/* --after: what the records already held were, drawn but not written. */
static int
step_dry(sqlite3_stmt *st)
{
	(void)st;
	return SQLITE_DONE;
}

static int
seal_dry(struct casebook *cb, const char *cid, int risk, int raised)
{
	(void)cb;
	(void)cid;
	(void)risk;
	(void)raised;
	return 0;
}

/* --answered 1: raised before answered for every readable concern, as the
 * intake's form requires (risk always is); the same draws, so the
 * casebook is otherwise the one without it. */
static int
seal_answered(struct casebook *cb, const char *cid, int risk, int raised)
{
	return rp_answers_seal(cb, cid, risk, raised == 0 ? 1 : raised);
}

/* One line saying what failed (SQLite's reason where it is SQLite's),
 * and the exit status: until 2026-12-07 these failures exited 1 with no
 * word (a 1M casebook written beside another run stopped so). */
static int
gen_fail(sqlite3 *db, const char *what)
{
	if (db != NULL)
		fprintf(stderr, "gen_casebook: %s failed: %s\n", what, sqlite3_errmsg(db));
	else
		fprintf(stderr, "gen_casebook: %s failed\n", what);
	return 1;
}

static int
exec1(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct rv_opts o;
	const char *from = "2026-01", *idsf = NULL, *factsf = NULL;
	unsigned long long n = 100, seed = 1, months = 12, every = 4, hold = 0, linkseq = 0, after = 0;
	int answered = 0, sealed = 1, acted = 1;
	struct cc_seckey *sk = NULL;
	struct casebook *cb = NULL;
	const char *why;
	uint8_t ipk[CC_SIGN_PK] = {0};

	rv_opts_init(&o);
	if (argc == 1) { /* bench/run.sh runs every program: this one is a tool */
		printf("gen_casebook: a casebook generator, used by bench/bench_report.sh\n");
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		int r;
		if ((r = rv_opt_common("gen", argc, argv, &i, &o)) > 0)
			continue;
		if (r < 0 || i + 1 >= argc)
			return 2;
		v = argv[++i];
		if (strcmp(argv[i - 1], "--concerns") == 0)
			n = strtoull(v, NULL, 10);
		else if (strcmp(argv[i - 1], "--seed") == 0)
			seed = strtoull(v, NULL, 10);
		else if (strcmp(argv[i - 1], "--from") == 0)
			from = v;
		else if (strcmp(argv[i - 1], "--months") == 0)
			months = strtoull(v, NULL, 10);
		else if (strcmp(argv[i - 1], "--followups-every") == 0)
			every = strtoull(v, NULL, 10);
		else if (strcmp(argv[i - 1], "--hold") == 0)
			hold = strtoull(v, NULL, 10);
		else if (strcmp(argv[i - 1], "--after") == 0)
			after = strtoull(v, NULL, 10);
		else if (strcmp(argv[i - 1], "--link") == 0)
			linkseq = strtoull(v, NULL, 10);
		else if (strcmp(argv[i - 1], "--ids") == 0)
			idsf = v;
		else if (strcmp(argv[i - 1], "--facts") == 0)
			factsf = v;
		else if (strcmp(argv[i - 1], "--answered") == 0) {
			if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
				fprintf(stderr, "gen_casebook: --answered takes 0 or 1\n");
				return 2;
			}
			answered = v[0] == '1';
		}
		else if (strcmp(argv[i - 1], "--sealed") == 0) {
			if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
				fprintf(stderr, "gen_casebook: --sealed takes 0 or 1\n");
				return 2;
			}
			sealed = v[0] == '1';
		}
		else if (strcmp(argv[i - 1], "--sealed-acted") == 0) {
			if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
				fprintf(stderr, "gen_casebook: --sealed-acted takes 0 or 1\n");
				return 2;
			}
			acted = v[0] == '1';
		}
		else {
			fprintf(stderr, "gen_casebook: unknown option %s\n", argv[i - 1]);
			return 2;
		}
	}
	/* (before the casebook is made: a bad --from leaves no file) */
	char fromd[16];
	int32_t day0;
	snprintf(fromd, sizeof(fromd), "%s-01", from);
	if (ref_date_parse(fromd, 10, &day0) != 0) {
		fprintf(stderr, "gen_casebook: --from %s: not a month (YYYY-MM)\n", from);
		return 2;
	}
	rng = seed * 0x9E3779B97F4A7C15ull + 1;
	if (cc_init() != 0 || months == 0 || o.casebook == NULL ||
	    rv_cli_seckey("gen", &o, &sk) != 0)
		return 1;
	if ((after ? cb_open(o.casebook, sk, &cb, &why) : cb_create(o.casebook, sk, ipk, &cb, &why)) !=
	    0) {
		fprintf(stderr, "gen_casebook: %s\n", why);
		return 1;
	}
	FILE *ids = idsf ? fopen(idsf, "w") : NULL;
	FILE *facts = factsf ? fopen(factsf, "w") : NULL;
	sqlite3 *db = cb_db(cb);
	int32_t span = rp_month_first_day(rp_month_of_day(day0) + (int32_t)months) - day0;
	exec1(db, "PRAGMA synchronous=OFF");
	if (cb_begin(cb) != 0)
		return gen_fail(db, "starting the casebook's transaction");
	sqlite3_stmt *rec, *con, *rep, *lnk, *reg, *had;
	if (sqlite3_prepare_v2(db,
		"INSERT INTO records(seq, kind, date, parent_seq, link, concern_id, readable,"
		" imported) VALUES(?,?,?,?,?,?,1,?)",
		-1, &rec, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
		"INSERT INTO concerns(id, seq, received, readable, recipients, category, status,"
		" outcome, ack_date, closed_date, reporter_pk) VALUES(?,?,?,?,x'00',?,?,?,?,?,"
		"zeroblob(32))",
		-1, &con, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
		"INSERT INTO replies(concern_id, date, author, body) VALUES(?,?,'gen',NULL)", -1,
		&rep, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
		"INSERT OR IGNORE INTO ref_links(concern_id, idx, state, ref, named, date)"
		" VALUES(?,?,?,x'00',NULL,?)",
		-1, &lnk, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
		"INSERT OR IGNORE INTO ref_register(idx, facts, batch, created_batch, line)"
		" VALUES(?,?,1,1,?)",
		-1, &reg, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT id FROM concerns WHERE seq=?", -1, &had, NULL) !=
		SQLITE_OK) {
		fprintf(stderr, "gen_casebook: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	uint8_t link[CC_HASH_BYTES], rh[CC_HASH_BYTES], headlink[CC_HASH_BYTES];
	uint64_t seq = 0, head = 0;
	char last_cid[CB_ID_CHARS + 1] = "";
	int32_t last_recv = day0;
	cc_chain_genesis(link);
	memcpy(headlink, link, sizeof(link));
	for (unsigned long long c = 0; c < n; c++) {
		int32_t recv = day0 + (int32_t)((uint64_t)c * (uint64_t)span / n);
		int follow = every > 0 && c > 0 && c % every == 0;
		for (int k = follow ? 0 : 1; k < 2; k++) {
			char cid[CB_ID_CHARS + 1], d[11], imp[11];
			seq++;
			uint8_t sb[8];
			for (int b = 0; b < 8; b++)
				sb[b] = (uint8_t)(seq >> (8 * b));
			cc_hash(sb, 8, rh);
			cc_chain_next(link, seq, rh, link);
			if (seq == linkseq) {
				char hex[65];
				util_hex(link, 32, hex);
				printf("%s\n", hex);
			}
			if (hold && seq > hold)
				continue;
			/* --after: records 1..H are in the casebook already; the
			 * stream is drawn as without it, nothing written */
			int dry = seq <= after;
			int (*step)(sqlite3_stmt *) = dry ? step_dry : sqlite3_step;
			int (*seal)(struct casebook *, const char *, int, int) =
			    dry ? seal_dry : answered ? seal_answered : rp_answers_seal;
			memcpy(headlink, link, sizeof(link));
			head = seq;
			if (k == 0 && dry)
				continue;
			if (k == 0) { /* a follow-up to the previous concern */
				date_of(last_recv + 3, d);
				date_of(last_recv + 4, imp);
				sqlite3_bind_int64(rec, 1, (int64_t)seq);
				sqlite3_bind_int(rec, 2, BREC_FOLLOWUP);
				sqlite3_bind_text(rec, 3, d, -1, SQLITE_TRANSIENT);
				sqlite3_bind_int64(rec, 4, 0);
				sqlite3_bind_blob(rec, 5, link, 32, SQLITE_TRANSIENT);
				sqlite3_bind_text(rec, 6, last_cid, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(rec, 7, imp, -1, SQLITE_TRANSIENT);
				if (sqlite3_step(rec) != SQLITE_DONE)
					return gen_fail(db, "writing a record");
				sqlite3_reset(rec);
				continue;
			}
			cb_new_id(cid);
			if (dry) { /* the id it was given then */
				sqlite3_bind_int64(had, 1, (int64_t)seq);
				if (sqlite3_step(had) != SQLITE_ROW ||
				    snprintf(cid, sizeof(cid), "%s", sqlite3_column_text(had, 0)) !=
					CB_ID_CHARS)
					return gen_fail(db, "reading a record held (--after)");
				sqlite3_reset(had);
			}
			if (ids && !dry)
				fprintf(ids, "%s\n", cid);
			date_of(recv, d);
			date_of(recv + 1, imp);
			int readable = rnd(10) != 0 || !sealed; /* (drawn either way) */
			int status = 1 + (int)rnd(4);
			int32_t ack = status >= 2 ? recv + 1 + (int32_t)rnd(12) : -1;
			int32_t closed = status == 4 ? recv + 5 + (int32_t)rnd(150) : -1;
			if (closed > day0 + span + 30) { /* nothing happens after "now" */
				closed = -1;
				status = 3;
			}
			char ackd[11], closedd[11];
			sqlite3_bind_int64(rec, 1, (int64_t)seq);
			sqlite3_bind_int(rec, 2, BREC_CONCERN);
			sqlite3_bind_text(rec, 3, d, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(rec, 4, 0);
			sqlite3_bind_blob(rec, 5, link, 32, SQLITE_TRANSIENT);
			sqlite3_bind_text(rec, 6, cid, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(rec, 7, imp, -1, SQLITE_TRANSIENT);
			if (step(rec) != SQLITE_DONE)
				return gen_fail(db, "writing a record");
			sqlite3_reset(rec);
			sqlite3_bind_text(con, 1, cid, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(con, 2, (int64_t)seq);
			sqlite3_bind_text(con, 3, d, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(con, 4, readable);
			/* skewed: the first categories are the common ones */
			uint32_t ci = rnd(6);
			ci = rnd(2) ? ci / 2 : ci;
			sqlite3_bind_text(
			    con, 5, readable ? cats[ci] : "unreadable", -1, SQLITE_STATIC);
			int outcome = status == 4 ? 1 + (int)rnd(6) : 0;
			/* (--sealed-acted 0: received only, every draw kept) */
			int32_t ack_drawn = ack;
			if (!readable && !acted) {
				status = BSTATE_RECEIVED;
				outcome = BOUT_NONE;
				ack = closed = -1;
			}
			sqlite3_bind_int(con, 6, status);
			sqlite3_bind_int(con, 7, outcome);
			if (ack >= 0) {
				date_of(ack, ackd);
				sqlite3_bind_text(con, 8, ackd, -1, SQLITE_TRANSIENT);
			} else
				sqlite3_bind_null(con, 8);
			if (closed >= 0) {
				date_of(closed, closedd);
				sqlite3_bind_text(con, 9, closedd, -1, SQLITE_TRANSIENT);
			} else
				sqlite3_bind_null(con, 9);
			if (step(con) != SQLITE_DONE)
				return gen_fail(db, "writing a concern");
			sqlite3_reset(con);
			if (readable && seal(cb, cid, 1 + (int)rnd(2), (int)rnd(3)) != 0)
				return gen_fail(NULL, "sealing a concern's answers");
			/* the reporter's voice from its own stream, so that every
			 * other figure of a seed stays as it was */
			uint64_t vh = (c + 1) * 0xD6E8FEB86659FD93ull ^ seed;
			vh ^= vh >> 29;
			vh *= 0xBF58476D1CE4E5B9ull;
			vh ^= vh >> 32;
			if (readable && vh % 3 == 0 && !dry) {
				struct rp_answers va;
				if (rp_answers_get(cb, cid, &va) != 0)
					return gen_fail(NULL, "reading or writing a concern's answers");
				va.voice[VOICE_DETRIMENT] = (uint8_t)((vh >> 8) % 4);
				va.voice[VOICE_AGAIN] = (uint8_t)((vh >> 16) % 4);
				va.voice_seq[VOICE_DETRIMENT] = va.voice_seq[VOICE_AGAIN] = 1;
				if (rp_answers_put(cb, cid, &va) != 0)
					return gen_fail(NULL, "reading or writing a concern's answers");
			}
			/* read back, not drawn again: the stream stays as it was */
			if (facts && !dry) {
				struct rp_answers fa;

				memset(&fa, 0, sizeof(fa));
				if (readable && rp_answers_get(cb, cid, &fa) != 0)
					return gen_fail(NULL, "reading or writing a concern's answers");
				fprintf(facts, "ans,%s,%u,%u,%u,%u\n", cid, fa.risk, fa.raised,
				    fa.voice[VOICE_DETRIMENT], fa.voice[VOICE_AGAIN]);
			}
			if (ack_drawn >= 0 && rnd(3) != 0) {
				char rd[11];
				int32_t rday = ack_drawn + (int32_t)rnd(120);
				date_of(rday < day0 + span + 30 ? rday : day0 + span + 30, rd);
				sqlite3_bind_text(rep, 1, cid, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(rep, 2, rd, -1, SQLITE_TRANSIENT);
				if ((readable || acted) && step(rep) != SQLITE_DONE)
					return gen_fail(db, "writing a reply");
				sqlite3_reset(rep);
			}
			if (readable && rnd(3) == 0) { /* names one or two referrals */
				for (int r = 0, nr = 1 + (int)rnd(2); r < nr; r++) {
					static const char *const st[] = {"exact", "exact", "near",
					    "missing", "manual", "rejected"};
					char ref[32];
					uint8_t idx[32];
					snprintf(ref, sizeof(ref), "REF/2026/%05u",
					    rnd((uint32_t)(n / 2 + 10)));
					if (ids && !dry)
						fprintf(ids, "%s\n", ref);
					cb_index_hash(cb, ref, idx);
					sqlite3_bind_text(lnk, 1, cid, -1, SQLITE_TRANSIENT);
					sqlite3_bind_blob(lnk, 2, idx, 32, SQLITE_TRANSIENT);
					const char *state = st[rnd(6)];
					if (strcmp(state, "exact") == 0 ||
					    strcmp(state, "manual") == 0) {
						/* its register row: dates that are sometimes late */
						struct ref_record rr;
						uint8_t *ct = NULL;
						size_t ctlen = 0;
						static const int fields[] = {RF_RECEIVED,
						    RF_DECISION_DATE, RF_STRATEGY_DATE, RF_S47_DATE,
						    RF_ICPC_DATE, RF_ASSESSMENT_DATE, RF_CLOSED_DATE};
						int32_t rd0 = recv - 20 - (int32_t)rnd(60);
						int32_t days[] = {rd0, rd0 + (int32_t)rnd(4),
						    rd0 + 2 + (int32_t)rnd(6),
						    rd0 + 3 + (int32_t)rnd(8),
						    rd0 + 12 + (int32_t)rnd(25), -1, -1};
						/* the assessment, NFA and closure from a stream
						 * of their own, so that every other figure of a
						 * seed stays as it was: an assessment ended 20
						 * to 79 days after the referral (late past 45
						 * working days); one in four closed as no
						 * further action within 0-13 days, one in four
						 * closed later; one in eight with no s47 date
						 * (an ICPC without one is flagged) */
						uint64_t fh = (seq * 0x2545F4914F6CDD1Dull + (uint64_t)r) ^ seed;
						fh ^= fh >> 31;
						fh *= 0xBF58476D1CE4E5B9ull;
						fh ^= fh >> 29;
						const char *decision = "Strategy discussion", *status = "Open",
							   *reason = "";
						days[5] = rd0 + 20 + (int32_t)(fh % 60);
						if ((fh >> 8) % 4 == 0) {
							decision = "No further action";
							status = "Closed";
							reason = "NFA";
							days[6] = rd0 + (int32_t)((fh >> 12) % 14);
						} else if ((fh >> 8) % 4 == 1) {
							status = "Closed";
							reason = "Plan ended";
							days[6] = rd0 + 60 + (int32_t)((fh >> 12) % 90);
						}
						if ((fh >> 20) % 8 == 0)
							days[3] = -1;
						memset(&rr, 0, sizeof(rr));
						snprintf(rr.ref, sizeof(rr.ref), "%s", ref);
						rr.v[RF_REFERENCE] = rr.ref;
						rr.len[RF_REFERENCE] = strlen(rr.ref);
						for (int f = 0; f < RF_COUNT; f++)
							rr.day[f] = -1;
						for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
							if (days[f] < 0)
								continue;
							rr.v[fields[f]] = "d";
							rr.len[fields[f]] = 1;
							rr.day[fields[f]] = days[f];
						}
						const struct {
							int f;
							const char *v;
						} text[] = {{RF_DECISION, decision}, {RF_STATUS, status},
						    {RF_CLOSURE_REASON, reason}};
						for (size_t f = 0; f < 3; f++) {
							rr.v[text[f].f] = text[f].v;
							rr.len[text[f].f] = strlen(text[f].v);
						}
						uint8_t nonce[CB_NONCE_BYTES];
						randombytes_buf(nonce, sizeof(nonce));
						if (ref_reg_seal(cb, idx, &rr, nonce, &ct, &ctlen) != 0)
							return gen_fail(NULL, "sealing a register row");
						sqlite3_bind_blob(
						    reg, 1, idx, 32, SQLITE_TRANSIENT);
						sqlite3_bind_blob(
						    reg, 2, ct, (int)ctlen, SQLITE_TRANSIENT);
						sqlite3_bind_int64(reg, 3, (int64_t)seq);
						if (step(reg) != SQLITE_DONE)
							return gen_fail(db, "writing a register row");
						if (facts && !dry && sqlite3_changes(db) == 1) {
							char dd[7][11];
							for (size_t f = 0; f < 7; f++) {
								dd[f][0] = '\0';
								if (days[f] >= 0)
									date_of(days[f], dd[f]);
							}
							fprintf(facts, "reg,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n",
							    ref, dd[0], decision, dd[1], dd[2], dd[3], dd[4],
							    status, dd[6], reason, dd[5]);
						}
						sqlite3_reset(reg);
						free(ct);
					}
					sqlite3_bind_text(lnk, 3, state, -1, SQLITE_STATIC);
					sqlite3_bind_text(lnk, 4, d, -1, SQLITE_TRANSIENT);
					if (step(lnk) != SQLITE_DONE)
						return gen_fail(db, "writing a referral link");
					if (facts && !dry && sqlite3_changes(db) == 1)
						fprintf(facts, "link,%s,%s,%s\n", ref, state, d);
					sqlite3_reset(lnk);
				}
			}
			memcpy(last_cid, cid, sizeof(cid));
			last_recv = recv;
		}
	}
	uint8_t hs[8];
	for (int b = 0; b < 8; b++)
		hs[b] = (uint8_t)(head >> (8 * b));
	sqlite3_finalize(rec);
	sqlite3_finalize(con);
	sqlite3_finalize(rep);
	sqlite3_finalize(lnk);
	sqlite3_finalize(reg);
	sqlite3_finalize(had);
	if (cb_meta_set(cb, "head_seq", hs, 8) != 0 ||
	    cb_meta_set(cb, "head_link", headlink, 32) != 0 || cb_anchor_set(cb) != 0 ||
	    cb_commit(cb) != 0) {
		fprintf(stderr, "gen_casebook: cannot finish the casebook\n");
		return 1;
	}
	if (ids)
		fclose(ids);
	if (facts)
		fclose(facts);
	cb_close(cb);
	return 0;
}
