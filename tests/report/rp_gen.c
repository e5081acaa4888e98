/* tests/report/rp_gen.c - random casebooks through the real report
 * pipeline (review/report_agg.c: rp_build), written as what every report
 * of one year publishes, for the independent checker sdc_check.py.
 *
 * Usage: rp_gen [--all-years] N SEED OUT.jsonl
 *
 * Each casebook is a random struct rp_input: a few to a hundred-odd
 * concerns over 1-3 calendar years (categories, risk and raised-before
 * answers, acknowledgement, feedback and closing dates, outcomes, named
 * referrals) and the referral references they name, sparse so that
 * suppression really happens. One year Y of it is reported: its twelve
 * months, four quarters, the calendar year and the two financial years
 * (April-March) that overlap it, each by rp_build as the report command
 * does; with --all-years, every year the casebook's cube holds (each
 * calendar year's months, quarters, the year and the FYs straddling it).
 * References are made from the concerns that name them (make_refs), so
 * section 5's relations (tests/report/sdc_refs.py) hold. Months are
 * absolute month indexes.
 *
 * A casebook is written as one line: its tables, each with "group", the
 * population whose Total it shares (the checker ties those Totals):
 *   g0  concerns by received month: category, risk, raised-before,
 *       the reporter's voice (treated badly, would speak up again),
 *       acknowledged, feedback, naming referrals (and received_by_month,
 *       the category Total per month, in multi-month reports);
 *   g1  closed concerns by closing month: outcome;
 *   g2  references by first-named month: state, each flag, corroborated;
 * "derived": every share, median and count outside the tables (open
 * longer than 3 months, closed led to action) as published, with its
 * period; "accountability": the whole casebook's concerns, closed
 * concerns and concerns sealed to others, exact as the statement gives
 * them. The checker's
 * sdc_relations.py turns these into constraints; the counts outside
 * tables are also in "scalars", checked for 1..threshold.
 *
 * RP_GEN_SEALED=1 draws concerns sealed to others in a third of the
 * casebooks (see seal()); RP_GEN_FLAGGED=1 flags every recorded reference
 * "assessment late" (make_refs), the same casebooks otherwise;
 * RP_GEN_CATEGORISED=1 gives every readable concern a category (the
 * intake requires one), so "not known" is exactly the sealed concerns;
 * RP_GEN_UNCORROBORATED=1 names no reference twice (while 40 last).
 * RP_GEN_FROM=K writes casebooks K..N-1 only: those before are drawn (the
 * next ones follow from the generator's state after them) but neither
 * reported nor written, so one casebook of a seed costs its own reports
 * only (e2e 63 picks single casebooks: the suppression's search is ~85% of
 * rp_gen's time). RP_GEN_LEAK=account suppresses as before
 * 2026-12, the accountability statement's totals left out
 * (rp_input.sdc_unpinned); RP_GEN_LEAK=model as before its lag and zero
 * cells (rp_input.sdc_unmodelled: closed <= received and section 5's
 * definitions not seen by the suppression); RP_GEN_LEAK=cap as before its
 * caps between tables (rp_input.sdc_uncapped: feedback <= acknowledged,
 * flagged <= recorded); RP_GEN_LEAK=unknown as before category "not
 * known" = sealed (rp_input.sdc_uncategorised); RP_GEN_LEAK=follow as
 * before "named" kept what its month's references need when it follows
 * "not known" (rp_input.sdc_unfollowed); RP_GEN_LEAK=floor as before an
 * answer table's "not known" kept at least its month's sealed concerns
 * (rp_input.sdc_unfloored); RP_GEN_LEAK=lag as before category "not
 * known" rose only as far as the readable concerns the closures up to
 * later months leave (rp_input.sdc_unlagged).
 * RP_GEN_LEAK=1 in the environment undoes the secondary suppression of
 * the category table (every withheld cell of 0 or above the threshold is
 * published with its true value): the negative case the checker must
 * reject. RP_GEN_LEAK=primary publishes one withheld category cell of
 * 1..threshold per casebook instead (primary suppression undone); =share
 * and =median the derived figures' old rules; =named, =refs and
 * =corroborated publish section 5's withheld zeros of one row.
 * RP_GEN_TRUTH=1 publishes every figure with its true value (truth():
 * the checker's own soundness test, sdc_check.py --truth). */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/bundle.h"
#include "review/ref.h"
#include "review/report.h"
#include "review/review.h"

#define GEN_MAX_CASES 160
#define GEN_MAX_REFS 40
#define GEN_MAX_CATS 8
#define GEN_MAX_REPORTS 144
#define GEN_GROUPS 3

#include "tests/report/gen_rng.h"

/* The tables of each group, by measure; the first is the group's Total. */
static const char *const g0[] = {"received_by_category", "received_by_risk_answer",
    "received_by_raised_before", "reporters_treated_badly", "reporters_would_speak_again",
    "acknowledged", "feedback", "concerns_naming_referrals", NULL};
static const char *const g1[] = {"closed_by_outcome", NULL};
static const char *const g2[] = {"references_named", "references_decision_late",
    "references_strategy_late", "references_s47_not_started", "references_icpc_late",
    "references_nfa_quick", "references_closed_no_decision", "references_assessment_late",
    "references_corroborated", NULL};
static const char *const *const groups[GEN_GROUPS] = {g0, g1, g2};
static const char *const scalars[] = {"open_longer_than_3_months", "closed_led_to_action", NULL};

static char catname[GEN_MAX_CATS][16];
static char *cats[GEN_MAX_CATS];

struct casebook {
	struct rp_case c[GEN_MAX_CASES];
	struct rp_ref r[GEN_MAX_REFS];
	struct rp_input in;
	int32_t year;
	unsigned thr;
	size_t nrep;
	struct rp_result rep[GEN_MAX_REPORTS];
};

static int32_t
day_of(int32_t year, uint32_t within)
{
	return rp_month_first_day(year * 12) + (int32_t)within;
}

/* Concerns sealed to other reviewers: this casebook counts them but
 * cannot read or act on them (review/cb_act.c refuses), so each is a
 * concern of category, answers and voice not known, never acknowledged,
 * answered or closed here, naming no referral. Drawn from a second
 * stream (seeded from the first without advancing it) so the casebooks
 * of a seed stay what they were before sealed concerns were drawn. */
static int flag_all; /* RP_GEN_FLAGGED=1 (make_refs) */
/* RP_GEN_CATEGORISED=1: every readable concern has a category, as the
 * intake requires one and the categories never changed: category "not
 * known" is then exactly the concerns sealed to others (put_casebook
 * says so, and the checker's attacker knows it) */
static int categorised;
/* RP_GEN_ANSWERED=1: every readable concern has the risk and raised-before
 * answers, as the intake's form requires: their "not known" is then the
 * concerns sealed to others too (put_casebook says "answered") */
static int answered;
static int uncorroborated; /* RP_GEN_UNCORROBORATED=1 (make_refs) */
static uint64_t seal_state;
static int seal_on; /* RP_GEN_SEALED=1 */
static int fast_close; /* RP_GEN_FASTCLOSE=1 (make_casebook) */

static uint32_t
seal_below(uint32_t n)
{
	uint64_t z = (seal_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)((z ^ (z >> 31)) % n);
}

static void
seal(struct rp_case *k, uint32_t ncategories)
{
	k->readable = 0;
	k->category = (uint8_t)ncategories;
	k->risk = k->raised = RP_ANS_UNKNOWN;
	memset(k->voice, 0, sizeof(k->voice));
	k->ack = k->feedback = k->closed = -1;
	k->outcome = BOUT_NONE;
	k->named = 0;
}

/* Random register facts of one recorded reference, flagged by the real
 * rules (ref_flags_eval, default config): which flags can come together
 * is the register's definition, which a reader may know (a reference
 * closed without a decision is never "decision late"). */
static uint32_t
ref_flags_random(int32_t named)
{
	static const char *const decisions[] = {"", "strategy discussion", "nfa", "advice given"};
	static struct ref_config cfg;
	static int ready;
	struct ref_facts f;

	if (!ready) {
		ref_config_default(&cfg);
		ready = 1;
	}
	memset(&f, 0, sizeof(f));
	f.received = named + (int32_t)below(20);
	f.decision = decisions[below(4)];
	f.status = below(3) == 0 ? "closed" : "open";
	f.closure_reason = below(3) == 0 ? "nfa" : "";
	f.decision_date = below(3) ? f.received + (int32_t)below(4) : -1;
	f.strategy = f.decision_date >= 0 && below(2) ? f.decision_date + (int32_t)below(8) : -1;
	f.s47 = f.strategy >= 0 && below(2) ? f.strategy + (int32_t)below(5) : -1;
	f.icpc = f.strategy >= 0 && below(2) ? f.strategy + (int32_t)below(30) : -1;
	f.closed = below(3) == 0 ? f.received + (int32_t)below(30) : -1;
	f.assessment = below(2) ? f.received + (int32_t)below(90) : -1;
	return ref_flags_eval(&cfg, &f, named + 60 + (int32_t)below(60));
}

/* The references the concerns name, as the casebook holds them
 * (report_facts.c, read_refs): a concern that named a referral links 1-3
 * references out of a pool of nr, so some are named by more than one
 * concern (corroborated); a reference is first named on the received day
 * of its earliest concern, and one no concern picked does not exist. */
static void
make_refs(struct casebook *b, uint32_t nr)
{
	uint32_t pool = uncorroborated ? GEN_MAX_REFS : nr ? nr : 1, k = 0, fresh = 0;
	int32_t first[GEN_MAX_REFS];
	uint32_t count[GEN_MAX_REFS] = {0};

	for (size_t i = 0; i < b->in.ncases; i++) {
		struct rp_case *c = &b->c[i];
		uint32_t pick[3], npick = 0;

		if (!c->named)
			continue;
		for (uint32_t j = 1 + below(3); j > 0; j--) {
			uint32_t r = below(pool), dup = 0;

			/* RP_GEN_UNCORROBORATED=1: each pick a reference no other
			 * concern names (while the pool lasts, then as drawn), so
			 * that named <= the month's references named by one
			 * concern binds */
			if (uncorroborated && fresh < pool)
				r = fresh++;

			for (uint32_t q = 0; q < npick; q++)
				dup |= pick[q] == r;
			if (!dup)
				pick[npick++] = r;
		}
		for (uint32_t q = 0; q < npick; q++) {
			uint32_t r = pick[q];

			first[r] = count[r] == 0 || c->received < first[r] ? c->received : first[r];
			count[r]++;
		}
	}
	for (uint32_t r = 0; r < pool; r++) {
		struct rp_ref *x = &b->r[k];

		if (count[r] == 0)
			continue;
		x->first_named = first[r];
		x->nconcerns = count[r];
		x->state = (uint8_t)below(3);
		x->flags = x->state == RP_REF_RECORDED ? ref_flags_random(first[r]) : 0;
		/* RP_GEN_FLAGGED=1: a register where no assessment is on time,
		 * so that a month's flagged references are its recorded ones and
		 * flagged <= recorded bounds what the tables leave open (seed 7's
		 * casebook 111 of an earlier generator was narrowed so) */
		if (flag_all && x->state == RP_REF_RECORDED)
			x->flags |= REF_FLAG_ASSESSMENT_LATE;
		k++;
	}
	b->in.refs = b->r;
	b->in.nrefs = k;
}

static void
make_casebook(struct casebook *b)
{
	static const unsigned thr[] = {5, 5, 5, 3, 4, 6};
	int32_t y0 = 2024 + (int32_t)below(3), ny = 1 + (int32_t)below(3);
	int32_t last = day_of(y0, 0);
	uint32_t n = 3 + below(GEN_MAX_CASES - 3), nr = below(GEN_MAX_REFS);
	unsigned closed_pct = below(100), ack_pct = 50 + below(50), sealed_pct;

	memset(b->c, 0, sizeof(b->c));
	memset(b->r, 0, sizeof(b->r));
	b->in.ncategories = 2 + below(GEN_MAX_CATS - 1);
	/* a third of the casebooks hold concerns sealed to others (up to half) */
	seal_state = rng_state ^ 0x5ea1ed5ea1ed5ea1ULL;
	sealed_pct = seal_on && seal_below(3) == 0 ? 1 + seal_below(50) : 0;
	b->thr = thr[below(6)];
	/* Most casebooks small (a quiet channel: a few referrals named), some
	 * a little busier. */
	if (below(3) != 0) {
		n = 3 + below(40);
		nr = below(12);
	}
	/* the fast-closing casebooks: a year or two, every third concern
	 * or so sealed to others */
	if (fast_close) {
		sealed_pct = 15 + seal_below(30);
		n = n < 60 ? n + 60 : n;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct rp_case *k = &b->c[i];

		k->received = day_of(y0, below((uint32_t)(365 * ny)));
		k->ack = below(100) < ack_pct ? k->received + (int32_t)below(15) : -1;
		k->feedback = k->ack >= 0 && below(2) ? k->ack + (int32_t)below(150) : -1;
		k->closed = -1;
		k->outcome = BOUT_NONE;
		if (below(100) < closed_pct) {
			k->closed = k->received + (int32_t)below(200);
			k->outcome = (uint8_t)(BOUT_SUBSTANTIATED + below(6));
		}
		/* every concern closed within days: the closures leave no
		 * readable concern open up to a month, which bounds the sealed
		 * ones (closed + sealed <= received: report_agg.c, sealed_cap) */
		if (fast_close) {
			k->closed = k->received + (int32_t)below(3);
			k->outcome = (uint8_t)(BOUT_SUBSTANTIATED + below(6));
		}
		k->category = (uint8_t)below((uint32_t)b->in.ncategories + 1);
		if (categorised && k->category == b->in.ncategories)
			k->category = (uint8_t)(i % b->in.ncategories);
		k->risk = (uint8_t)below(3);
		k->raised = (uint8_t)below(3);
		if (answered) { /* (the same draws: a seed's casebooks otherwise stay) */
			k->risk = k->risk == RP_ANS_UNKNOWN ? RP_ANS_YES : k->risk;
			k->raised = k->raised == RP_ANS_UNKNOWN ? RP_ANS_NO : k->raised;
		}
		/* most reporters never answer the follow-up questions */
		for (int q = 0; q < VOICE_QUESTIONS; q++)
			k->voice[q] = below(3) == 0 ? (uint8_t)(1 + below(VOICE_ANSWERS)) : 0;
		k->named = (uint8_t)below(2);
		k->readable = 1;
		if (seal_below(100) < sealed_pct)
			seal(k, (uint32_t)b->in.ncategories);
		last = k->received > last ? k->received : last;
		last = k->closed > last ? k->closed : last;
		last = k->feedback > last ? k->feedback : last;
	}
	b->in.cases = b->c;
	b->in.ncases = n;
	make_refs(b, nr);
	b->in.categories = cats;
	b->in.asof = last + (int32_t)below(30);
	/* A year holding a concern: reports of it all exist (rp_build's months
	 * start in April of the year before the first concern). */
	b->year = rp_month_of_day(b->c[below(n)].received) / 12;
}

static void
period(struct rp_period *p, int kind, int32_t first, int32_t last)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->first = first;
	p->last = last;
	if (kind == RP_MONTH) {
		char l[8];
		rp_month_label(first, l);
		snprintf(p->label, sizeof(p->label), "%s", l);
	} else if (kind == RP_QUARTER)
		snprintf(p->label, sizeof(p->label), "%d-Q%d", first / 12, first % 12 / 3 + 1);
	else if (kind == RP_YEAR)
		snprintf(p->label, sizeof(p->label), "%d", first / 12);
	else
		snprintf(p->label, sizeof(p->label), "FY%d", first / 12);
}

/* 1 when the checker is given this count: a table of a group, the
 * monthly Totals, or a scalar. A count the report gains later must be
 * added here, not silently left unchecked. */
static int
known_count(const char *measure)
{
	if (strcmp(measure, "received_by_month") == 0)
		return 1;
	for (int g = 0; g < GEN_GROUPS; g++)
		for (int t = 0; groups[g][t] != NULL; t++)
			if (strcmp(measure, groups[g][t]) == 0)
				return 1;
	for (int i = 0; scalars[i] != NULL; i++)
		if (strcmp(measure, scalars[i]) == 0)
			return 1;
	return 0;
}

/* Every report of year Y: -1 on a failure, else how many rp_build refused
 * with -3 (a table it cannot protect: the command then refuses too). */
static int all_years; /* --all-years: every year's reports, not year Y's only */

/* The periods of calendar year y: its months, quarters, the year, and
 * the FY starting in its April (the one starting the April before comes
 * with year y - 1, or with year y when it is the only year). */
static size_t
year_periods(struct rp_period *per, int32_t year, int fy_before)
{
	int32_t y = year * 12;
	size_t np = 0;

	for (int32_t m = y; m < y + 12; m++)
		period(&per[np++], RP_MONTH, m, m);
	for (int32_t m = y; m < y + 12; m += 3)
		period(&per[np++], RP_QUARTER, m, m + 2);
	period(&per[np++], RP_YEAR, y, y + 11);
	if (fy_before)
		period(&per[np++], RP_FY, y - 9, y + 2);
	period(&per[np++], RP_FY, y + 3, y + 14);
	return np;
}

static int
build_reports(struct casebook *b, size_t *refused)
{
	struct rp_period per[GEN_MAX_REPORTS];
	size_t np = 0;

	if (!all_years)
		np = year_periods(per, b->year, 1);
	else {
		/* Every year the casebook's cube can hold (rp_build answers -2
		 * for the periods beyond it): from the year before the first
		 * concern to the year after the last day with data. */
		int32_t lo = b->in.asof, hi = b->in.asof;

		for (size_t i = 0; i < b->in.ncases; i++) {
			lo = b->c[i].received < lo ? b->c[i].received : lo;
			hi = b->c[i].closed > hi ? b->c[i].closed : hi;
		}
		for (int32_t y = rp_month_of_day(lo) / 12 - 1; y <= rp_month_of_day(hi) / 12 + 1;
		     y++) {
			if (np + 18 > GEN_MAX_REPORTS) {
				fprintf(stderr, "rp_gen: too many years\n");
				return -1;
			}
			np += year_periods(per + np, y, np == 0);
		}
	}
	static struct rp_result out[GEN_MAX_REPORTS];
	int rc[GEN_MAX_REPORTS];

	/* one suppression for all periods, as rp_build would decide it for each */
	rp_build_many(&b->in, per, np, b->thr, out, rc);
	b->nrep = 0;
	for (size_t i = 0; i < np; i++) {
		if (rc[i] == -2) /* beyond the casebook's months: no such report */
			continue;
		if (rc[i] == -3) {
			(*refused)++;
			continue;
		}
		if (rc[i] != 0) {
			fprintf(stderr, "rp_gen: rp_build %s failed\n", per[i].label);
			return -1;
		}
		b->rep[b->nrep] = out[i];
		for (size_t j = 0; j < b->rep[b->nrep].nitems; j++) {
			const struct rp_item *it = &b->rep[b->nrep].items[j];
			if (it->kind == RP_COUNT && !known_count(it->measure)) {
				fprintf(stderr, "rp_gen: count %s not known to the checker\n",
				    it->measure);
				rp_result_free(&b->rep[b->nrep]);
				return -1;
			}
		}
		b->nrep++;
	}
	return 0;
}

/* RP_GEN_TRUTH=1: every figure of every report published with its true
 * value (counts, shares, medians, the stock, "led to action"), withheld or
 * not: not a report, the checker's test of itself (sdc_check.py --truth
 * fails when a relation it gives its attacker does not hold of the true
 * figures, which would make it unsound). The values are worked out here
 * from the casebook's facts as report_agg.c's fill() and emit_*() count
 * them, independently of the suppression. */
static int
gen_within_months(int32_t a, int32_t b, int n)
{
	int32_t ma = rp_month_of_day(a), day = a - rp_month_first_day(ma);
	int32_t mt = ma + n, len = rp_month_first_day(mt + 1) - rp_month_first_day(mt);
	int32_t due = rp_month_first_day(mt) + (day < len ? day : len - 1);
	return b <= due;
}

/* The row concern k falls in of table measure, -1 when it falls in none
 * (the outcome table: not closed). *day is the day that places it. */
static int
case_row(const struct casebook *b, const struct rp_case *k, const char *measure, int32_t *day)
{
	*day = k->received;
	if (strcmp(measure, "received_by_category") == 0 ||
	    strcmp(measure, "received_by_month") == 0)
		return k->category < b->in.ncategories ? k->category : (int)b->in.ncategories;
	if (strcmp(measure, "received_by_risk_answer") == 0)
		return k->risk == RP_ANS_YES ? 0 : k->risk == RP_ANS_NO ? 1 : 2;
	if (strcmp(measure, "received_by_raised_before") == 0)
		return k->raised == RP_ANS_YES ? 0 : k->raised == RP_ANS_NO ? 1 : 2;
	if (strcmp(measure, "reporters_treated_badly") == 0 ||
	    strcmp(measure, "reporters_would_speak_again") == 0) {
		uint8_t v = k->voice[measure[10] == 't' ? VOICE_DETRIMENT : VOICE_AGAIN];
		return v >= VOICE_YES && v <= VOICE_OTHER ? v - 1 : 3;
	}
	if (strcmp(measure, "acknowledged") == 0)
		return k->ack < 0 ? 2 : k->ack - k->received <= CB_ACK_DAYS ? 0 : 1;
	if (strcmp(measure, "feedback") == 0)
		return k->feedback < 0 || k->ack < 0 ? 2
		       : gen_within_months(k->ack, k->feedback, CB_FEEDBACK_MONTHS) ? 0
										    : 1;
	if (strcmp(measure, "concerns_naming_referrals") == 0)
		return k->named ? 0 : 1;
	if (strcmp(measure, "closed_by_outcome") == 0) {
		*day = k->closed;
		return k->closed >= 0 && k->outcome >= BOUT_SUBSTANTIATED && k->outcome <= BOUT_NFA
			   ? k->outcome - BOUT_SUBSTANTIATED
			   : -1;
	}
	return -2; /* not a table of concerns */
}

static const char *const flag_measure[REF_FLAG_COUNT] = {"references_decision_late",
    "references_strategy_late", "references_s47_not_started", "references_icpc_late",
    "references_nfa_quick", "references_closed_no_decision", "references_assessment_late"};

static int
ref_row(const struct rp_ref *r, const char *measure)
{
	if (strcmp(measure, "references_named") == 0)
		return r->state <= RP_REF_MISSING ? r->state : RP_REF_MISSING;
	if (strcmp(measure, "references_corroborated") == 0)
		return r->nconcerns > 1;
	for (int f = 0; f < REF_FLAG_COUNT; f++)
		if (strcmp(measure, flag_measure[f]) == 0)
			return (r->flags >> f) & 1 ? 0 : 1;
	return -2;
}

/* The true count of row `row` (-1: every row, the Total) of measure over
 * months a..z. */
static int64_t
true_count(const struct casebook *b, const char *measure, int row, int32_t a, int32_t z)
{
	int64_t v = 0;
	int32_t day;

	for (size_t i = 0; i < b->in.ncases; i++) {
		int r = case_row(b, &b->c[i], measure, &day);
		int32_t m = rp_month_of_day(day);

		if (r == -2)
			break;
		v += r >= 0 && (row < 0 || r == row) && m >= a && m <= z;
	}
	for (size_t i = 0; i < b->in.nrefs; i++) {
		int r = ref_row(&b->r[i], measure);
		int32_t m = rp_month_of_day(b->r[i].first_named);

		if (r == -2)
			break;
		v += (row < 0 || r == row) && m >= a && m <= z;
	}
	return v;
}

/* Undoes the secondary suppression of the category table: every withheld
 * cell of it (Total too) whose true value is 0 or above the threshold is
 * published in every report, leaving the primary cells protected by each
 * other only. With primary, publishes the first withheld cell of 1..
 * threshold instead. Returns the cells republished. */
static size_t
leak(struct casebook *b, int primary)
{
	size_t n = 0;

	for (size_t i = 0; i < b->nrep; i++) {
		struct rp_result *r = &b->rep[i];
		uint32_t row = 0;

		for (size_t j = 0; j < r->nitems; j++) {
			struct rp_item *it = &r->items[j];
			uint64_t v = 0;

			if (it->kind != RP_COUNT || strcmp(it->measure, g0[0]) != 0)
				continue;
			if (strcmp(it->breakdown, "total") == 0)
				for (uint32_t k = 0; k < row; k++)
					v += (uint64_t)true_count(b, g0[0], (int)k, r->period.first, r->period.last);
			else
				v = (uint64_t)true_count(b, g0[0], (int)row, r->period.first, r->period.last);
			if (primary && it->withheld && v >= 1 && v <= b->thr) {
				it->withheld = 0;
				it->n = v;
				return 1;
			}
			if (!primary && it->withheld && (v == 0 || v > b->thr)) {
				it->withheld = 0;
				it->n = v;
				n++;
			}
			row++;
		}
	}
	return n;
}

static int
cmp_i32(const void *x, const void *y)
{
	int32_t a = *(const int32_t *)x, c = *(const int32_t *)y;
	return (a > c) - (a < c);
}

/* The negative cases for the derived figures: with share, every withheld
 * acknowledged-within-7-days share is published with its true value;
 * with median, the median days to acknowledge follows the rule the report
 * had before (withheld only when 1..threshold cases make it, "none" when
 * none do, whatever its cells show). Returns the figures changed. */
static size_t
leak_derived(struct casebook *b, int share)
{
	static int32_t days[GEN_MAX_CASES];
	size_t changed = 0;

	for (size_t i = 0; i < b->nrep; i++) {
		struct rp_result *r = &b->rep[i];
		size_t n = 0, within = 0;

		for (size_t k = 0; k < b->in.ncases; k++) {
			const struct rp_case *c = &b->c[k];
			int32_t m = rp_month_of_day(c->received);

			if (m < r->period.first || m > r->period.last || c->ack < 0)
				continue;
			days[n++] = c->ack - c->received;
			within += c->ack - c->received <= CB_ACK_DAYS;
		}
		uint64_t base = (uint64_t)true_count(b, g0[0], -1, r->period.first, r->period.last);
		for (size_t j = 0; j < r->nitems; j++) {
			struct rp_item *it = &r->items[j];
			int was = it->withheld, none = it->none;

			if (share && strcmp(it->measure, "acknowledged_within_7_days_share") == 0 &&
			    it->withheld && base > 0) {
				it->withheld = 0;
				it->x = 100.0 * (double)within / (double)base;
			}
			if (!share && strcmp(it->measure, "median_days_to_acknowledge") == 0) {
				it->none = n == 0;
				it->withheld = n >= 1 && n <= b->thr;
				if (n > b->thr) {
					qsort(days, n, sizeof(days[0]), cmp_i32);
					it->x = n % 2 ? days[n / 2]
						      : (days[n / 2 - 1] + days[n / 2]) / 2.0;
				}
			}
			changed += was != it->withheld || none != it->none;
		}
	}
	return changed;
}

/* Section 5's rows: concerns that named a referral (S5_NAMED), references
 * first named (S5_REFS), or those of them named by more than one concern
 * (S5_CORROB). */
enum s5 { S5_NONE, S5_NAMED, S5_REFS, S5_CORROB };

/* The negative cases for section 5's relations (tests/report/sdc_refs.py):
 * every withheld cell of one row whose true value is 0 is published as 0
 * (named: "concerns that named a referral"; refs: the Total of references
 * named; corroborated: references named by more than one concern). A 0
 * is never primary, and within its own table the suppression allowed for
 * it, but a reader who knows how references and the concerns naming them
 * are tied learns other tables' cells from it. Returns the cells
 * republished. */
static size_t
leak_section5(struct casebook *b, enum s5 what)
{
	static const char *const measure[] = {NULL, "concerns_naming_referrals",
	    "references_named", "references_corroborated"};
	static const char *const row[] = {NULL, "named", "total", "more-than-one"};
	size_t n = 0;

	for (size_t i = 0; i < b->nrep; i++) {
		struct rp_result *r = &b->rep[i];

		for (size_t j = 0; j < r->nitems; j++) {
			struct rp_item *it = &r->items[j];

			if (it->kind != RP_COUNT || !it->withheld ||
			    strcmp(it->measure, measure[what]) != 0 ||
			    strcmp(it->breakdown, row[what]) != 0 ||
			    true_count(b, measure[what], what == S5_REFS ? -1 : what == S5_CORROB,
				       r->period.first, r->period.last) != 0)
				continue;
			it->withheld = 0;
			it->n = 0;
			n++;
		}
	}
	return n;
}

static double
median_of(int32_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_i32);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static size_t
truth(struct casebook *b)
{
	static int32_t days[GEN_MAX_CASES];
	size_t changed = 0;

	for (size_t i = 0; i < b->nrep; i++) {
		struct rp_result *r = &b->rep[i];
		int32_t a = r->period.first, z = r->period.last;
		int32_t plast = rp_month_first_day(z + 1) - 1, end = plast < b->in.asof ? plast : b->in.asof;
		const char *prev = "";
		int row = 0;

		for (size_t j = 0; j < r->nitems; j++) {
			struct rp_item *it = &r->items[j];
			const char *ms = it->measure;
			int was = it->withheld, none = it->none;
			uint64_t n0 = it->n;
			double x0 = it->x;

			row = strcmp(ms, prev) == 0 ? row + 1 : 0;
			prev = ms;
			it->withheld = 0;
			it->none = 0;
			if (strcmp(ms, "received_by_month") == 0)
				it->n = (uint64_t)true_count(b, ms, -1, a + row, a + row);
			else if (it->kind == RP_COUNT && strcmp(ms, "closed_led_to_action") == 0)
				it->n = (uint64_t)(true_count(b, "closed_by_outcome", 0, a, z) +
						   true_count(b, "closed_by_outcome", 1, a, z) +
						   true_count(b, "closed_by_outcome", 3, a, z));
			else if (it->kind == RP_COUNT && strcmp(ms, "open_longer_than_3_months") == 0) {
				it->n = 0;
				for (size_t k = 0; k < b->in.ncases; k++) {
					const struct rp_case *c = &b->c[k];
					it->n += c->received <= end && (c->closed < 0 || c->closed > end) &&
						 !gen_within_months(c->received, end, RP_OPEN_LONG_MONTHS);
				}
			} else if (it->kind == RP_COUNT)
				it->n = (uint64_t)true_count(
				    b, ms, strcmp(it->breakdown, "total") == 0 ? -1 : row, a, z);
			else if (it->kind == RP_SHARE) {
				const char *t = ms[0] == 'a' ? "acknowledged" : "feedback";
				int64_t base = true_count(b, t, -1, a, z);

				it->none = base == 0;
				it->x = base ? 100.0 * (double)true_count(b, t, 0, a, z) / (double)base : 0;
			} else { /* a median */
				size_t n = 0;
				int ack = strcmp(ms, "median_days_to_acknowledge") == 0;

				for (size_t k = 0; k < b->in.ncases; k++) {
					const struct rp_case *c = &b->c[k];
					int32_t m = rp_month_of_day(ack ? c->received : c->closed);

					if (ack && c->ack >= 0 && m >= a && m <= z)
						days[n++] = c->ack - c->received;
					if (!ack && c->closed >= 0 && m >= a && m <= z)
						days[n++] = c->closed - c->received;
				}
				it->none = n == 0;
				it->x = n ? median_of(days, n) : 0;
				/* the rule, not the data: a median of 1..threshold
				 * cases is never published (the checker knows it) */
				it->withheld = n >= 1 && n <= b->thr;
			}
			/* a figure published must be the true one */
			if (!was && !none && (it->n != n0 || (it->kind != RP_COUNT && it->x != x0))) {
				fprintf(stderr, "rp_gen: truth of %s/%s/%s is not what the report says\n",
				    r->period.label, ms, it->breakdown);
				exit(1);
			}
			changed += was != it->withheld || none != it->none;
		}
	}
	return changed;
}

static void
put_months(FILE *f, int32_t a, int32_t z)
{
	for (int32_t m = a; m <= z; m++)
		fprintf(f, "%s%d", m > a ? "," : "", m);
}

static void
put_cell(FILE *f, const struct rp_item *it, int first)
{
	if (it == NULL)
		fprintf(f, "%snull", first ? "" : ",");
	else if (it->withheld)
		fprintf(f, "%s\"c\"", first ? "" : ",");
	else
		fprintf(f, "%s%llu", first ? "" : ",", (unsigned long long)it->n);
}

/* One table of one report: its rows, and the period's column (plus, for
 * the category table of a multi-month report, received_by_month: the
 * Total of each month; the breakdown rows of those columns, which this
 * report does not publish, null). Returns the rows written, or 0 when the report
 * does not hold the table. */
static size_t
put_table_report(FILE *f, const struct rp_result *r, const char *measure, int first, int names)
{
	const struct rp_item *rows[RP_ROWS_MAX + 1], *bymonth[RP_MONTHS_MAX];
	size_t n = 0, nm = 0;
	int cat = strcmp(measure, g0[0]) == 0;

	for (size_t j = 0; j < r->nitems; j++) {
		const struct rp_item *it = &r->items[j];

		if (it->kind == RP_COUNT && strcmp(it->measure, measure) == 0 && n <= RP_ROWS_MAX)
			rows[n++] = it;
		if (cat && strcmp(it->measure, "received_by_month") == 0 && nm < RP_MONTHS_MAX)
			bymonth[nm++] = it;
	}
	if (n == 0)
		return 0;
	if (names) {
		fputs("\"rows\":[", f);
		for (size_t i = 0; i + 1 < n; i++)
			fprintf(f, "\"%s\",", rows[i]->breakdown);
		fputs("\"Total\"],\"reports\":[", f);
		return n;
	}
	fprintf(f, "%s{\"period\":\"%s\",\"columns\":[{\"label\":\"%s\",\"months\":[",
	    first ? "" : ",", r->period.label, r->period.label);
	put_months(f, r->period.first, r->period.last);
	fputs("]}", f);
	for (size_t m = 0; m < nm; m++) {
		fprintf(f, ",{\"label\":\"%s\",\"months\":[%d]}", bymonth[m]->breakdown,
		    r->period.first + (int32_t)m);
	}
	fputs("],\"cells\":[", f);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",[" : "[", f);
		put_cell(f, rows[i], 1);
		for (size_t m = 0; m < nm; m++)
			put_cell(f, i + 1 == n ? bymonth[m] : NULL, 0);
		fputs("]", f);
	}
	fputs("]}", f);
	return n;
}

/* The figures of one report that are not table cells: shares, medians
 * and the counts outside tables, with the period's months and the month
 * its stocks are taken at (the period's end, or the day the report was
 * made when that is earlier). value: a number, "c" or "none". */
static void
put_derived(FILE *f, const struct casebook *b, const struct rp_result *r, int *first)
{
	int32_t end = rp_month_of_day(b->in.asof);

	end = r->period.last < end ? r->period.last : end;
	for (size_t j = 0; j < r->nitems; j++) {
		const struct rp_item *it = &r->items[j];
		int scalar = 0;

		for (int s = 0; scalars[s] != NULL; s++)
			scalar |= strcmp(it->measure, scalars[s]) == 0;
		if (it->kind == RP_COUNT && !scalar)
			continue;
		fprintf(f, "%s{\"period\":\"%s\",\"first\":%d,\"last\":%d,\"end\":%d,"
			   "\"measure\":\"%s\",\"value\":",
		    *first ? "" : ",", r->period.label, r->period.first, r->period.last, end,
		    it->measure);
		*first = 0;
		if (it->withheld)
			fputs("\"c\"}", f);
		else if (it->none)
			fputs("\"none\"}", f);
		else if (it->kind == RP_COUNT)
			fprintf(f, "%llu}", (unsigned long long)it->n);
		else /* as the renderers print it (report_html.c, report_out.c) */
			fprintf(f, "%.1f}", it->x);
	}
}

/* One casebook as one line: every table, "group" naming the tables that
 * share a Total; the derived figures; the accountability statement's
 * exact counts (whole casebook: concerns, closed). */
static void
put_casebook(FILE *f, const struct casebook *b, unsigned id)
{
	uint64_t closed = 0, sealed = 0;
	int first = 1, uncategorised = 0, unanswered = 0;

	fprintf(f, "{\"case\":%u,\"threshold\":%u,\"tables\":[", id, b->thr);
	for (int g = 0; g < GEN_GROUPS; g++)
		for (int t = 0; groups[g][t] != NULL; t++) {
			fprintf(f, "%s{\"measure\":\"%s\",\"group\":%d,", first ? "" : ",",
			    groups[g][t], g);
			first = 0;
			put_table_report(f, &b->rep[0], groups[g][t], 1, 1);
			for (size_t i = 0; i < b->nrep; i++)
				put_table_report(f, &b->rep[i], groups[g][t], i == 0, 0);
			fputs("]}", f);
		}
	fputs("],\"scalars\":[", f);
	first = 1;
	for (size_t i = 0; i < b->nrep; i++)
		for (size_t j = 0; j < b->rep[i].nitems; j++) {
			const struct rp_item *it = &b->rep[i].items[j];

			for (int s = 0; scalars[s] != NULL; s++)
				if (strcmp(it->measure, scalars[s]) == 0 && !it->withheld) {
					fprintf(f, "%s[\"%s/%s\",%llu]", first ? "" : ",",
					    b->rep[i].period.label, it->measure,
					    (unsigned long long)it->n);
					first = 0;
				}
		}
	fputs("],\"derived\":[", f);
	first = 1;
	for (size_t i = 0; i < b->nrep; i++)
		put_derived(f, b, &b->rep[i], &first);
	for (size_t i = 0; i < b->in.ncases; i++) {
		closed += b->c[i].closed >= 0;
		sealed += !b->c[i].readable;
		uncategorised |= b->c[i].readable && b->c[i].category >= b->in.ncategories;
		unanswered |= b->c[i].readable &&
			      (b->c[i].risk == RP_ANS_UNKNOWN || b->c[i].raised == RP_ANS_UNKNOWN);
	}
	/* "categorised": every readable concern has a category (the intake
	 * requires one): a reader who knows the categories never changed
	 * knows category "not known" is the sealed concerns, month by month */
	fprintf(f,
	    "],\"accountability\":{\"concerns\":%zu,\"closed\":%llu,\"sealed\":%llu,"
	    "\"categorised\":%d,\"answered\":%d}}\n",
	    b->in.ncases, (unsigned long long)closed, (unsigned long long)sealed, !uncategorised,
	    !unanswered);
}

int
main(int argc, char **argv)
{
	static struct casebook b;
	size_t refused = 0, reports = 0, withheld = 0, leaks = 0;
	const char *lk = getenv("RP_GEN_LEAK");
	int leaky = lk != NULL && strcmp(lk, "1") == 0, primary = lk != NULL && strcmp(lk, "primary") == 0;
	int lshare = lk != NULL && strcmp(lk, "share") == 0;
	int lmedian = lk != NULL && strcmp(lk, "median") == 0;
	int laccount = lk != NULL && strcmp(lk, "account") == 0;
	int lmodel = lk != NULL && strcmp(lk, "model") == 0;
	int lcap = lk != NULL && strcmp(lk, "cap") == 0;
	int lunknown = lk != NULL && strcmp(lk, "unknown") == 0;
	int lfollow = lk != NULL && strcmp(lk, "follow") == 0;
	int lfloor = lk != NULL && strcmp(lk, "floor") == 0;
	int llag = lk != NULL && strcmp(lk, "lag") == 0;
	int ltruth = getenv("RP_GEN_TRUTH") != NULL && strcmp(getenv("RP_GEN_TRUTH"), "1") == 0;
	const char *sl = getenv("RP_GEN_SEALED");
	enum s5 l5 = lk == NULL			     ? S5_NONE
		     : strcmp(lk, "named") == 0	     ? S5_NAMED
		     : strcmp(lk, "refs") == 0	     ? S5_REFS
		     : strcmp(lk, "corroborated") == 0 ? S5_CORROB
						     : S5_NONE;
	unsigned n, from = 0;
	FILE *f;

	if (argc > 1 && strcmp(argv[1], "--all-years") == 0) {
		all_years = 1;
		argc--;
		argv++;
	}
	if (argc != 4 || strcmp(argv[1], "--help") == 0) {
		fprintf(stderr, "usage: rp_gen [--all-years] N SEED OUT.jsonl (RP_GEN_LEAK=1: undo the "
				"category table's secondary suppression; =primary: publish "
				"one primary cell; =share: publish the withheld shares; =median: the "
				"median's old rule; =account: the suppression before it kept the "
				"accountability totals; =model: the suppression before its lag "
				"and zero cells; =cap: without the caps between tables; =unknown: without "
				"\"not known\" = sealed; =follow: \"named\" following \"not known\" "
				"below its references; RP_GEN_SEALED=1: draw concerns sealed to "
				"others; RP_GEN_FLAGGED=1: every recorded reference flagged; RP_GEN_CATEGORISED=1: "
				"every readable concern categorised; RP_GEN_ANSWERED=1: every readable concern has "
				"the risk and raised-before answers; RP_GEN_UNCORROBORATED=1: no reference named "
				"twice); =named, =refs, =corroborated: publish "
				"section 5's withheld zeros)\n");
		return 2;
	}
	/* rp_build callocs and frees its items (RP_ITEMS_MAX) every call: keep
	 * that memory instead of mapping and unmapping it each time (a third
	 * of the run otherwise). */
	mallopt(M_MMAP_THRESHOLD, 8 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	n = (unsigned)strtoul(argv[1], NULL, 10);
	if (getenv("RP_GEN_FROM") != NULL)
		from = (unsigned)strtoul(getenv("RP_GEN_FROM"), NULL, 10);
	seal_on = sl != NULL && strcmp(sl, "1") == 0;
	fast_close = getenv("RP_GEN_FASTCLOSE") != NULL && strcmp(getenv("RP_GEN_FASTCLOSE"), "1") == 0;
	flag_all = getenv("RP_GEN_FLAGGED") != NULL && strcmp(getenv("RP_GEN_FLAGGED"), "1") == 0;
	uncorroborated = getenv("RP_GEN_UNCORROBORATED") != NULL &&
			 strcmp(getenv("RP_GEN_UNCORROBORATED"), "1") == 0;
	categorised = getenv("RP_GEN_CATEGORISED") != NULL &&
		      strcmp(getenv("RP_GEN_CATEGORISED"), "1") == 0;
	answered = getenv("RP_GEN_ANSWERED") != NULL && strcmp(getenv("RP_GEN_ANSWERED"), "1") == 0;
	rng_state = strtoull(argv[2], NULL, 10);
	for (int i = 0; i < GEN_MAX_CATS; i++) {
		snprintf(catname[i], sizeof(catname[i]), "kind%d", i);
		cats[i] = catname[i];
	}
	if ((f = fopen(argv[3], "w")) == NULL) {
		perror("rp_gen: open");
		return 1;
	}
	for (unsigned i = 0; i < n; i++) {
		make_casebook(&b);
		if (i < from)
			continue; /* drawn (the rest follow from it), not reported */
		b.in.sdc_unpinned = (uint8_t)laccount;
		b.in.sdc_unmodelled = (uint8_t)lmodel;
		b.in.sdc_uncapped = (uint8_t)lcap;
		b.in.sdc_uncategorised = (uint8_t)lunknown;
		b.in.sdc_unfollowed = (uint8_t)lfollow;
		b.in.sdc_unfloored = (uint8_t)lfloor;
		b.in.sdc_unlagged = (uint8_t)llag;
		if (build_reports(&b, &refused) != 0)
			return 1;
		if (b.nrep < 17) {
			fprintf(stderr, "rp_gen: casebook %u: only %zu reports\n", i, b.nrep);
			return 1;
		}
		if (leaky || primary)
			leaks += leak(&b, primary);
		if (lshare || lmedian)
			leaks += leak_derived(&b, lshare);
		if (l5 != S5_NONE)
			leaks += leak_section5(&b, l5);
		if (ltruth)
			leaks += truth(&b);
		reports += b.nrep;
		for (size_t r = 0; r < b.nrep; r++)
			for (size_t j = 0; j < b.rep[r].nitems; j++)
				withheld += b.rep[r].items[j].withheld;
		put_casebook(f, &b, i);
		for (size_t r = 0; r < b.nrep; r++)
			rp_result_free(&b.rep[r]);
	}
	if (fclose(f) != 0) {
		perror("rp_gen: write");
		return 1;
	}
	fprintf(stderr, "rp_gen: %u casebooks, %zu reports, %zu withheld items, %zu refused\n",
	    n > from ? n - from : 0, reports, withheld, refused);
	/* what each older suppression taken says (e2e 63 greps these) */
	const struct {
		int on;
		const char *what;
	} taken[] = {
	    {laccount, "suppression without the accountability totals"},
	    {lmodel, "suppression without the lag and zero cells"},
	    {lcap, "suppression without the caps between tables"},
	    {lunknown, "suppression without \"not known\" = sealed"},
	    {lfollow, "\"named\" follows \"not known\" below its references"},
	    {lfloor, "an answer's \"not known\" falls below the sealed concerns"},
	    {llag, "\"not known\" rises past the readable concerns closures leave"},
	};
	for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
		if (taken[i].on)
			fprintf(stderr, "rp_gen: %s (RP_GEN_LEAK)\n", taken[i].what);
	if (leaky || primary || lshare || lmedian || l5 != S5_NONE || ltruth)
		fprintf(stderr, "rp_gen: %zu cells republished (RP_GEN_LEAK)\n", leaks);
	return 0;
}
