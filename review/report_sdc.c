/* review/report_sdc.c - secondary cell suppression for the governance report.
 *
 * The cube's free variables are its base cells x[r][m] (breakdown row r,
 * month m). Every other cell is a sum of base cells: a Total cell sums a
 * column over the rows, a span cell sums a row over the span's months. An
 * attacker who knows every published cell and that all cells are >= 0
 * knows that the true table lies in a polytope; a withheld cell is safe
 * when that polytope lets it move over an interval at least threshold wide.
 *
 * We certify that with a direction: an integer vector d over the base
 * cells that changes no published cell. x + t*d is then consistent with
 * everything published for every t that keeps the base cells >= 0 (sums
 * of cells >= 0 stay >= 0), so each withheld cell with coefficient +-1 in
 * d can take every value in an interval of width
 *   min(x over cells where d = +1) + min(x over cells where d = -1),
 * a side with no cell being unbounded. The directions tried are small:
 *   single     +x[r][m]                      (moves Totals and spans too)
 *   pair       +x[r][m] -x[r2][m2]           (r2 == r keeps the row's spans
 *                                             holding both months; m2 == m
 *                                             keeps the month's Total)
 *   rectangle  +x[r][m] -x[r][m2] -x[r2][m] +x[r2][m2]  (keeps both Totals
 *                                             and spans holding both months)
 * Every cell a chosen direction changes is withheld, so the direction stays
 * valid whatever is withheld later: certificates never expire. For each
 * withheld cell not yet certified, in row-major order, we take the
 * direction through it that withholds the fewest new cells (Total cells
 * count double: committees read them), then the least withheld value,
 * then the first in enumeration order; passes repeat until every
 * withheld cell is certified (the column rule and combined certificates,
 * below, withhold cells they do not certify).
 * This is our own method, in the spirit of Statistics Norway's
 * GaussSuppression (which works on the same linear relations) but
 * checking intervals, as sdcTable's attacker problem does, not only
 * exact disclosure.
 *
 * Complexity: with N = (rows+1)(months+spans) cells, L the longest span
 * and k the most spans holding one month, each of at most N searches
 * tries at most L*rows*(1 + 2*rows*months) directions of O(k) work:
 * O(N * L * rows^2 * months * k) in the worst case (a combined
 * certificate repeats a search at most SDC_MAX_COMBO times), and far less
 * in practice because a direction certifies every cell it moves and a
 * search stops at the first direction that withholds nothing new.
 * Measured (bench/bench_sdc.c, CPU): 12 rows x 36 months <= 5.3 ms; the
 * limits, 32 x 360 with every count 1..5, 4.6 s. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "review/report_sdc.h"

#define SDC_INF UINT64_MAX
#define SDC_MAX_COMBO 64 /* directions in one combined certificate */

struct sdc_term {
	uint32_t r, m;
	int sign;
};

struct sdc_dir {
	struct sdc_term t[4];
	unsigned n;
};

struct sdc_ctx {
	uint32_t R, M, S, ncols;
	size_t ncells;
	unsigned thr;
	uint64_t need;	 /* the width a certificate must give: thr, or the
			    known Total over all months when smaller */
	uint64_t visits; /* directions weighed so far (SDC_MAX_VISITS) */
	int over;	 /* the search stopped at SDC_MAX_VISITS */
	const struct sdc_span *spans;
	const uint64_t *slack; /* the caller's, or NULL */
	uint64_t *rmin;	       /* [M][M]: min of slack[a..b] at a * M + b, b >= a */
	uint64_t *val;	       /* [ncells] every cell's true value */
	uint8_t *hide;	       /* the caller's output */
	uint8_t *cert;	       /* [ncells] 1 = withheld and certified */
	uint8_t *pinned;       /* [ncells] 1 = must stay published (total_from) */
	uint32_t *moff;	       /* [M+1] CSR offsets into mspan */
	uint32_t *mspan;       /* spans holding each month */
	int32_t *coef;	       /* [ncells] scratch, all zero between uses */
	uint32_t *touched;     /* [ncells] scratch list of cells with coef set */
	uint8_t *listed;       /* [ncells] scratch: 1 = in touched */
	size_t ntouched;
	uint8_t *used; /* [ncells] scratch for combine, zero between uses */
	uint32_t *nz;  /* base cells (r * M + m) with a count above 0, in order */
	size_t nnz;
	struct sdc_dir combo[SDC_MAX_COMBO];
	unsigned ncombo;
};

struct sdc_best {
	struct sdc_dir d;
	uint64_t cost, lost;
	int found;
};

static size_t
cell(const struct sdc_ctx *x, uint32_t r, uint32_t col)
{
	return (size_t)r * x->ncols + col;
}

/* Lists each cell once however its coefficient comes and goes (a
 * rectangle's +1 -1 -1 +1 on a Total span cell), so touched never holds
 * more than ncells entries. */
static void
bump(struct sdc_ctx *x, size_t i, int s)
{
	if (!x->listed[i]) {
		x->listed[i] = 1;
		x->touched[x->ntouched++] = (uint32_t)i;
	}
	x->coef[i] += s;
}

/* Spreads d over every cell it changes: the base cells, the month's Total,
 * the row's spans and the Total row's spans. A cell may be listed in
 * touched with coefficient 0 (its changes cancelled). The caller must
 * unspread before the next spread. */
static void
spread(struct sdc_ctx *x, const struct sdc_dir *d)
{
	unsigned i;
	uint32_t j;

	x->ntouched = 0;
	for (i = 0; i < d->n; i++) {
		const struct sdc_term *t = &d->t[i];

		bump(x, cell(x, t->r, t->m), t->sign);
		bump(x, cell(x, x->R, t->m), t->sign);
		for (j = x->moff[t->m]; j < x->moff[t->m + 1]; j++) {
			bump(x, cell(x, t->r, x->M + x->mspan[j]), t->sign);
			bump(x, cell(x, x->R, x->M + x->mspan[j]), t->sign);
		}
	}
}

static void
unspread(struct sdc_ctx *x)
{
	size_t i;

	for (i = 0; i < x->ntouched; i++) {
		x->coef[x->touched[i]] = 0;
		x->listed[x->touched[i]] = 0;
	}
	x->ntouched = 0;
}

/* With a slack (cube counted by closing month): how far d, taken with
 * t > 0 (side 1) or t < 0 (side -1), may go before the counts up to some
 * month exceed what the slack allows; SDC_INF when d moves no count to
 * an earlier month on that side. A single's count stays added in every
 * later month; a pair's between its two months. */
static uint64_t
slack_room(const struct sdc_ctx *x, const struct sdc_dir *d, int side)
{
	uint32_t lo = d->t[0].m, hi = x->M - 1;
	int early = d->t[0].sign;

	/* A rectangle, or a pair within one month, leaves every count up to
	 * a month as it was. */
	if (x->slack == NULL || d->n == 4 || (d->n == 2 && d->t[1].m == lo))
		return SDC_INF;
	if (d->n == 2) {
		if (d->t[1].m < lo) {
			lo = d->t[1].m;
			early = d->t[1].sign;
		}
		hi = (d->t[0].m > d->t[1].m ? d->t[0].m : d->t[1].m) - 1;
	}
	/* the counts up to months lo..hi rise by 1 when the earlier term does */
	return early * side > 0 ? x->rmin[(size_t)lo * x->M + hi] : SDC_INF;
}

/* Width of the interval d certifies (SDC_INF when one side is open). */
static uint64_t
width(const struct sdc_ctx *x, const struct sdc_dir *d)
{
	uint64_t up = SDC_INF, down = SDC_INF, s;
	unsigned i;

	for (i = 0; i < d->n; i++) {
		uint64_t v = x->val[cell(x, d->t[i].r, d->t[i].m)];

		if (d->t[i].sign > 0 && v < down)
			down = v;
		if (d->t[i].sign < 0 && v < up)
			up = v;
	}
	if ((s = slack_room(x, d, 1)) < up)
		up = s;
	if ((s = slack_room(x, d, -1)) < down)
		down = s;
	if (up == SDC_INF || down == SDC_INF)
		return SDC_INF;
	return up + down; /* each <= SDC_MAX_COUNT * rows * months */
}

/* A direction of n terms through (r, m): single (n = 1), a pair
 * +x[r][m] -x[r2][m2] (n = 2) or a rectangle (n = 4). */
static struct sdc_dir
dir_make(uint32_t r, uint32_t m, uint32_t r2, uint32_t m2, unsigned n)
{
	struct sdc_dir d = {.n = n};

	d.t[0] = (struct sdc_term){r, m, 1};
	if (n == 2)
		d.t[1] = (struct sdc_term){r2, m2, -1};
	if (n == 4) {
		d.t[1] = (struct sdc_term){r, m2, -1};
		d.t[2] = (struct sdc_term){r2, m, -1};
		d.t[3] = (struct sdc_term){r2, m2, 1};
	}
	return d;
}

typedef int (*sdc_visit)(struct sdc_ctx *, const struct sdc_dir *, size_t, void *);

/* Visits d, or stops the search (returns 1) once SDC_MAX_VISITS
 * directions have been weighed: the caller then falls back. */
static int
step(struct sdc_ctx *x, const struct sdc_dir *d, size_t tgt, sdc_visit visit, void *arg)
{
	if (++x->visits > SDC_MAX_VISITS) {
		x->over = 1;
		return 1;
	}
	return visit(x, d, tgt, arg);
}

/* Spreads d and says whether it may be used for target tgt: it moves tgt
 * and no pinned cell. Returns tgt's coefficient (+-1), or 0 when unusable;
 * d stays spread for the caller, who must unspread. */
static int
usable(struct sdc_ctx *x, const struct sdc_dir *d, size_t tgt)
{
	size_t i;

	spread(x, d);
	for (i = 0; i < x->ntouched; i++)
		if (x->coef[x->touched[i]] != 0 && x->pinned[x->touched[i]])
			return 0;
	return x->coef[tgt];
}

/* Visitor: weighs d as a certificate for cell tgt on its own and keeps it
 * if it is the best so far. Returns 1 once a direction that withholds
 * nothing new is held, so the search can stop. */
static int
visit_single(struct sdc_ctx *x, const struct sdc_dir *d, size_t tgt, void *arg)
{
	struct sdc_best *b = arg;
	uint64_t cost = 0, lost = 0;
	size_t i;
	int ok;

	if (width(x, d) < x->need)
		return 0;
	ok = usable(x, d, tgt) != 0;
	for (i = 0; ok && i < x->ntouched; i++) {
		uint32_t c = x->touched[i];

		if (x->coef[c] != 0 && !x->hide[c]) {
			cost += c / x->ncols == x->R ? 2 : 1;
			lost += x->val[c];
		}
	}
	unspread(x);
	if (ok && (!b->found || cost < b->cost || (cost == b->cost && lost < b->lost))) {
		b->d = *d;
		b->cost = cost;
		b->lost = lost;
		b->found = 1;
	}
	return b->found && b->cost == 0;
}

/* One side of a combined certificate (see combine). */
struct sdc_side {
	int side;	     /* +1 room to move the target up, -1 down */
	struct sdc_dir best; /* normalised: the target rises with t > 0 */
	uint64_t room;
	uint64_t want; /* room that would be enough: stop there */
	int found;
};

/* Visitor: the direction giving the most room on one side whose falling
 * base cells are not already falling in a chosen direction. */
static int
visit_side(struct sdc_ctx *x, const struct sdc_dir *d, size_t tgt, void *arg)
{
	struct sdc_side *sd = arg;
	struct sdc_dir e = *d;
	uint64_t room = SDC_INF;
	unsigned i;
	int k;

	/* The room before spreading (the start's coefficient is +1 in every
	 * direction enumerate makes): most directions give none. */
	for (i = 0; i < e.n; i++) {
		uint64_t v = x->val[cell(x, e.t[i].r, e.t[i].m)];

		if (e.t[i].sign * sd->side < 0 && v < room)
			room = v;
	}
	if (room == 0 || (sd->found && room <= sd->room))
		return 0;
	/* Directions of a combined certificate each take their own room;
	 * a slack they share is not split between them: left out. */
	if (slack_room(x, d, 1) != SDC_INF || slack_room(x, d, -1) != SDC_INF)
		return 0;
	room = SDC_INF;
	k = usable(x, d, tgt);

	unspread(x);
	if (k == 0)
		return 0;
	for (i = 0; i < e.n; i++) {
		size_t c = cell(x, e.t[i].r, e.t[i].m);

		e.t[i].sign *= k * sd->side;
		if (e.t[i].sign > 0)
			continue;
		if (x->used[c])
			return 0;
		if (x->val[c] < room)
			room = x->val[c];
	}
	if (room > 0 && (!sd->found || room > sd->room)) {
		sd->best = e;
		sd->room = room;
		sd->found = 1;
	}
	return sd->found && sd->room >= sd->want;
}

/* Which partners are worth weighing, given the start cell's value v:
 * P_WIDTH (a certificate on its own) those that make the width reach
 * need; P_FALL (the target rises) those with something to give; P_RISE
 * (the target falls) any, from a start with something to give. Skipping
 * the others changes no result: they are refused by the visitor anyway. */
enum sdc_partners { P_WIDTH, P_FALL, P_RISE };

/* Calls visit on pair directions through start (r, m), partner over the
 * nonzero base cells only when the rule needs partners above 0. Returns 1
 * when visit stopped the search. */
static int
pairs(struct sdc_ctx *x, size_t tgt, uint32_t r, uint32_t m, uint32_t mlo, uint32_t mhi, int total,
    enum sdc_partners rule, sdc_visit visit, void *arg)
{
	uint64_t v = x->val[cell(x, r, m)];
	int nzonly = rule == P_FALL || (rule == P_WIDTH && v < x->need);
	size_t i, n = nzonly ? x->nnz : (size_t)x->R * x->M;
	struct sdc_dir d;

	for (i = 0; i < n; i++) {
		uint32_t r2 = nzonly ? x->nz[i] / x->M : (uint32_t)(i / x->M);
		uint32_t m2 = nzonly ? x->nz[i] % x->M : (uint32_t)(i % x->M);
		int in = m2 >= mlo && m2 <= mhi;

		if ((r2 == r && m2 == m) || (in && (total || r2 == r)))
			continue;
		d = dir_make(r, m, r2, m2, 2);
		if (step(x, &d, tgt, visit, arg))
			return 1;
	}
	return 0;
}

/* Calls visit on every direction through cell (tr, tc) that the rule
 * leaves, in a fixed order, until it returns 1. Directions that cannot
 * move the target are skipped early: a pair with both months inside the
 * target's months (its month, or its span's) on the same row, or on any
 * rows for a Total target; rectangles for a Total target, or with both
 * months inside. */
static void
enumerate(
    struct sdc_ctx *x, uint32_t tr, uint32_t tc, enum sdc_partners rule, sdc_visit visit, void *arg)
{
	size_t tgt = cell(x, tr, tc);
	uint32_t r, r2, m, m2, rlo = tr, rhi = tr, mlo = tc, mhi = tc;
	int total = tr == x->R;
	struct sdc_dir d;

	if (total) {
		rlo = 0;
		rhi = x->R - 1;
	}
	if (tc >= x->M) {
		mlo = x->spans[tc - x->M].first;
		mhi = x->spans[tc - x->M].last;
	}
	for (r = rlo; r <= rhi; r++) {
		for (m = mlo; m <= mhi; m++) {
			uint64_t v = x->val[cell(x, r, m)];

			if (rule == P_RISE && v == 0)
				continue;
			d = dir_make(r, m, r, m, 1);
			if (step(x, &d, tgt, visit, arg))
				return;
			if (pairs(x, tgt, r, m, mlo, mhi, total, rule, visit, arg))
				return;
			/* rectangle: +x[r][m] -x[r][m2] -x[r2][m] +x[r2][m2] */
			for (r2 = 0; r2 < x->R && !total; r2++) {
				if (r2 == r || (rule == P_FALL && x->val[cell(x, r2, m)] == 0))
					continue;
				for (m2 = 0; m2 < x->M; m2++) {
					if (m2 >= mlo && m2 <= mhi)
						continue;
					if (rule == P_FALL && x->val[cell(x, r, m2)] == 0)
						continue;
					if (rule == P_RISE && x->val[cell(x, r2, m2)] == 0)
						continue;
					d = dir_make(r, m, r2, m2, 4);
					if (step(x, &d, tgt, visit, arg))
						return;
				}
			}
		}
	}
}

/* Withholds every cell d changes, and certifies them when d alone moves
 * them over an interval threshold wide. */
static void
apply(struct sdc_ctx *x, const struct sdc_dir *d)
{
	int certify = width(x, d) >= x->need;
	size_t i;

	spread(x, d);
	for (i = 0; i < x->ntouched; i++) {
		uint32_t c = x->touched[i];

		if (x->coef[c] != 0) {
			x->hide[c] = 1;
			x->cert[c] |= certify;
		}
	}
	unspread(x);
}

/* Room on one side of target (tr, tc) from several directions at once:
 * their falling base cells are disjoint, so each can be taken to its own
 * room together and the target moves by the sum. Appends the directions
 * to x->combo. Used only when no single direction is wide enough, which
 * happens when total_from pins Total cells. */
static uint64_t
combine(struct sdc_ctx *x, uint32_t tr, uint32_t tc, int side, uint64_t need)
{
	struct sdc_side sd;
	uint64_t total = 0;
	unsigned first = x->ncombo, i, j;

	while (total < need && x->ncombo < SDC_MAX_COMBO) {
		memset(&sd, 0, sizeof(sd));
		sd.side = side;
		sd.want = need - total;
		enumerate(x, tr, tc, side > 0 ? P_FALL : P_RISE, visit_side, &sd);
		if (!sd.found || x->over)
			break;
		x->combo[x->ncombo++] = sd.best;
		for (j = 0; j < sd.best.n; j++)
			if (sd.best.t[j].sign < 0)
				x->used[cell(x, sd.best.t[j].r, sd.best.t[j].m)] = 1;
		total = sd.room == SDC_INF || total + sd.room < total ? SDC_INF : total + sd.room;
	}
	for (i = first; i < x->ncombo; i++)
		for (j = 0; j < x->combo[i].n; j++)
			x->used[cell(x, x->combo[i].t[j].r, x->combo[i].t[j].m)] = 0;
	return total;
}

/* Certifies withheld cell (tr, tc), withholding what that takes. */
static int
protect1(struct sdc_ctx *x, uint32_t tr, uint32_t tc)
{
	struct sdc_best b;
	uint64_t up, down;
	unsigned i;

	memset(&b, 0, sizeof(b));
	enumerate(x, tr, tc, P_WIDTH, visit_single, &b);
	if (x->over)
		return -1;
	if (b.found) {
		apply(x, &b.d);
		return 0;
	}
	x->ncombo = 0;
	up = combine(x, tr, tc, 1, x->need);
	down = combine(x, tr, tc, -1, up >= x->need ? 0 : x->need - up);
	if (x->over)
		return -1;
	if (up >= x->need || down >= x->need - up) {
		for (i = 0; i < x->ncombo; i++)
			apply(x, &x->combo[i]);
		x->cert[cell(x, tr, tc)] = 1;
		return 0;
	}
	return -1;
}

/* protect1, and when the slack leaves no certificate, protect1 without
 * it: the slack is the closed-by <= received-by bound at its tightest
 * (as if every received Total were published), so it may refuse
 * certificates a reader could not rule out; without it the cell is
 * protected as before the slack was known (SECURITY.md). */
static int
protect(struct sdc_ctx *x, uint32_t tr, uint32_t tc)
{
	const uint64_t *slack = x->slack;
	int rc;

	if ((rc = protect1(x, tr, tc)) == 0 || x->over || slack == NULL)
		return rc;
	x->slack = NULL;
	rc = protect1(x, tr, tc);
	x->slack = slack;
	return rc;
}

/* The column rule: where a Total cell is withheld, every cell of its
 * column is withheld. Two measures sharing a Total (total_from) are then
 * safe together: any move of withheld Totals that one cube's certificate
 * makes, another cube can follow by moving mass within its own rows, in
 * columns it withholds whole, by at least as much (a column's cells sum
 * to its Total); so each certificate stays valid for an attacker holding
 * both. See SECURITY.md. */
static void
close_columns(struct sdc_ctx *x)
{
	uint32_t r, col;

	for (col = 0; col < x->ncols; col++)
		if (x->hide[cell(x, x->R, col)])
			for (r = 0; r < x->R; r++)
				x->hide[cell(x, r, col)] = 1;
}

/* Certifies every withheld cell, in row-major order, until none is left
 * uncertified: a combined certificate or the column rule withholds cells
 * it does not certify, and they get their own search on the next pass. */
static int
certify_all(struct sdc_ctx *x)
{
	uint32_t r, col;
	int changed;

	close_columns(x);
	do {
		changed = 0;
		for (r = 0; r <= x->R; r++) {
			for (col = 0; col < x->ncols; col++) {
				size_t i = cell(x, r, col);

				if (!x->hide[i] || x->cert[i])
					continue;
				if (protect(x, r, col) != 0)
					return -1;
				close_columns(x);
				changed = 1;
			}
		}
	} while (changed);
	return 0;
}

/* The span holding every month, or nspans when there is none. */
static uint32_t
whole_span(const struct sdc_cube *c)
{
	uint32_t s;

	for (s = 0; s < c->nspans; s++)
		if (c->spans[s].first == 0 && c->spans[s].last == c->nmonths - 1)
			break;
	return s;
}

/* The fallback when the search stops at SDC_MAX_VISITS: every cell
 * withheld but those published by force (pinned) and those every reader
 * knows are 0 (all their months inside a published Total of 0). Safe
 * without a search. In a cube without total_from the only published cell
 * is at most the known Total V over all months, so any withheld cell can
 * take every value in [0, V] (the rest of V spread over other withheld
 * cells): need wide. Under total_from, a cell whose column Total is
 * published as T (0 or above the threshold) can take every value in
 * [0, T] by moving counts between the column's withheld rows, and one
 * under a withheld Total follows that Total over the interval the first
 * cube's certificates give it (the column rule's argument). With one row
 * there is nothing to move between: refused. Returns 0 or -1 (ENOMEM,
 * ERANGE). */
static int
fallback(struct sdc_ctx *x, int forced)
{
	uint8_t *zero;
	uint32_t r, m, col, s;

	if (forced && x->R < 2) {
		errno = ERANGE;
		return -1;
	}
	if ((zero = calloc(x->M, 1)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (col = 0; col < x->ncols; col++) {
		size_t t = cell(x, x->R, col);

		if (!x->pinned[t] || x->val[t] != 0)
			continue;
		if (col < x->M)
			zero[col] = 1;
		else
			for (m = x->spans[col - x->M].first; m <= x->spans[col - x->M].last; m++)
				zero[m] = 1;
	}
	for (col = 0; col < x->ncols; col++) {
		uint32_t lo = col < x->M ? col : x->spans[col - x->M].first;
		uint32_t hi = col < x->M ? col : x->spans[col - x->M].last;
		int known0 = 1;

		for (m = lo; m <= hi && known0; m++)
			known0 = zero[m];
		for (r = 0; r <= x->R; r++) {
			s = (uint32_t)cell(x, r, col);
			x->hide[s] = !x->pinned[s] && !known0;
		}
	}
	free(zero);
	return 0;
}

static int
check(const struct sdc_cube *c, unsigned threshold)
{
	uint32_t s;
	size_t i;

	if (c == NULL || c->count == NULL || c->hide == NULL)
		return -1;
	if (c->nrows == 0 || c->nrows > SDC_MAX_ROWS || c->nmonths == 0 ||
	    c->nmonths > SDC_MAX_MONTHS || c->nspans > SDC_MAX_SPANS)
		return -1;
	if (c->nspans > 0 && c->spans == NULL)
		return -1;
	if (threshold < SDC_THRESHOLD_MIN || threshold > SDC_THRESHOLD_MAX)
		return -1;
	for (s = 0; s < c->nspans; s++)
		if (c->spans[s].first > c->spans[s].last || c->spans[s].last >= c->nmonths)
			return -1;
	for (i = 0; i < (size_t)c->nrows * c->nmonths; i++)
		if (c->count[i] > SDC_MAX_COUNT)
			return -1;
	if (c->total_from != NULL)
		for (i = 0; i < (size_t)c->nmonths + c->nspans; i++)
			if (c->total_from[i] > 1)
				return -1;
	if (c->total_known > 1 || (c->total_known && whole_span(c) == c->nspans))
		return -1;
	return 0;
}

static int
setup(struct sdc_ctx *x, const struct sdc_cube *c, unsigned threshold)
{
	uint32_t r, m, s, n = 0;

	/* check() has refused an empty cube; said again here, where the
	 * arrays below are sized by it, for clang's analyzer (a zero-sized
	 * calloc then written: make static) */
	if (c->nrows == 0 || c->nmonths == 0) {
		errno = EINVAL;
		return -1;
	}
	x->R = c->nrows;
	x->M = c->nmonths;
	x->S = c->nspans;
	x->ncols = x->M + x->S;
	x->ncells = (size_t)(x->R + 1) * x->ncols;
	x->thr = threshold;
	x->spans = c->spans;
	x->slack = c->slack;
	x->hide = c->hide;
	x->val = calloc(x->ncells, sizeof(*x->val));
	x->cert = calloc(x->ncells, 1);
	x->pinned = calloc(x->ncells, 1);
	x->coef = calloc(x->ncells, sizeof(*x->coef));
	x->used = calloc(x->ncells, 1);
	x->listed = calloc(x->ncells, 1);
	x->touched = calloc(x->ncells, sizeof(*x->touched));
	x->moff = calloc((size_t)x->M + 1, sizeof(*x->moff));
	for (s = 0; s < x->S; s++)
		n += c->spans[s].last - c->spans[s].first + 1;
	x->mspan = calloc(n ? n : 1, sizeof(*x->mspan));
	if (!x->val || !x->cert || !x->pinned || !x->coef || !x->used || !x->listed ||
	    !x->touched || !x->moff || !x->mspan) {
		errno = ENOMEM;
		return -1;
	}
	/* Spans holding each month, in span order (deterministic). */
	for (s = 0; s < x->S; s++)
		for (m = c->spans[s].first; m <= c->spans[s].last; m++)
			x->moff[m + 1]++;
	for (m = 0; m < x->M; m++)
		x->moff[m + 1] += x->moff[m];
	{
		uint32_t *cur = calloc(x->M, sizeof(*cur));

		if (cur == NULL) {
			errno = ENOMEM;
			return -1;
		}
		for (s = 0; s < x->S; s++)
			for (m = c->spans[s].first; m <= c->spans[s].last; m++)
				x->mspan[x->moff[m] + cur[m]++] = s;
		free(cur);
	}
	/* (R * M > 0 as above; the analyzer cannot follow a product) */
	n = x->R * x->M; /* <= SDC_MAX_ROWS * SDC_MAX_MONTHS */
	if ((x->nz = calloc(n ? n : 1, sizeof(*x->nz))) == NULL ||
	    (c->slack != NULL &&
		(x->rmin = calloc((size_t)x->M * x->M, sizeof(*x->rmin))) == NULL)) {
		errno = ENOMEM;
		return -1;
	}
	for (m = 0; c->slack != NULL && m < x->M; m++) {
		uint32_t b;

		x->rmin[(size_t)m * x->M + m] = c->slack[m];
		for (b = m + 1; b < x->M; b++) {
			uint64_t p = x->rmin[(size_t)m * x->M + b - 1];
			x->rmin[(size_t)m * x->M + b] = c->slack[b] < p ? c->slack[b] : p;
		}
	}
	for (r = 0; r < x->R; r++) {
		for (m = 0; m < x->M; m++) {
			uint64_t v = c->count[(size_t)r * x->M + m];
			uint32_t j;

			if (v > 0)
				x->nz[x->nnz++] = r * x->M + m;
			x->val[cell(x, r, m)] += v;
			x->val[cell(x, x->R, m)] += v;
			for (j = x->moff[m]; j < x->moff[m + 1]; j++) {
				x->val[cell(x, r, x->M + x->mspan[j])] += v;
				x->val[cell(x, x->R, x->M + x->mspan[j])] += v;
			}
		}
	}
	return 0;
}

static void
teardown(struct sdc_ctx *x)
{
	free(x->val);
	free(x->cert);
	free(x->pinned);
	free(x->coef);
	free(x->used);
	free(x->listed);
	free(x->touched);
	free(x->moff);
	free(x->mspan);
	free(x->nz);
	free(x->rmin);
}

int
sdc_suppress(struct sdc_cube *c, unsigned threshold)
{
	struct sdc_ctx x;
	uint32_t col, dead;
	size_t i, known = SIZE_MAX;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	if (check(c, threshold) != 0) {
		errno = EINVAL;
		return -1;
	}
	if (setup(&x, c, threshold) != 0)
		goto fail;
	memset(c->hide, 0, x.ncells);
	x.need = threshold;
	if (c->total_known) {
		known = cell(&x, x.R, x.M + whole_span(c));
		x.need = x.val[known] < threshold ? x.val[known] : threshold;
	}
	/* Primary: 1..threshold, anywhere; then the forced Total pattern;
	 * then the known Total, published whatever its value. */
	for (i = 0; i < x.ncells; i++)
		c->hide[i] = x.val[i] >= 1 && x.val[i] <= threshold;
	if (c->total_from != NULL) {
		for (col = 0; col < x.ncols; col++) {
			i = cell(&x, x.R, col);
			if (c->total_from[col] == 0 && c->hide[i] && i != known) {
				errno = EINVAL;
				goto fail;
			}
			c->hide[i] = c->total_from[col];
			x.pinned[i] = !c->total_from[col];
		}
	}
	/* With a slack, the months before any case could end (nothing
	 * received yet) hold 0 in every row, which any reader of the received
	 * counts knows: published, and no certificate may move them. */
	dead = 0;
	while (c->slack != NULL && dead < x.M && c->slack[dead] == 0 &&
	       x.val[cell(&x, x.R, dead)] == 0)
		dead++;
	for (col = 0; dead > 0 && col < x.ncols; col++) {
		uint32_t r, last = col < x.M ? col : x.spans[col - x.M].last;

		for (r = 0; last < dead && r <= x.R; r++) {
			c->hide[cell(&x, r, col)] = 0;
			x.pinned[cell(&x, r, col)] = 1;
		}
	}
	if (known != SIZE_MAX) {
		if (c->hide[known] && c->total_from != NULL) {
			errno = EINVAL; /* forced withheld, but published elsewhere */
			goto fail;
		}
		c->hide[known] = 0;
		x.pinned[known] = 1;
	}
	/* Secondary. If a cell cannot be certified, which only pinned Total
	 * cells cause, withhold every cell that is not pinned and start
	 * again: the most room there is. A search that reaches
	 * SDC_MAX_VISITS ends in the fallback pattern instead. */
	if (certify_all(&x) != 0 && !x.over) {
		for (i = 0; i < x.ncells; i++) {
			c->hide[i] = !x.pinned[i];
			x.cert[i] = 0;
		}
		if (certify_all(&x) != 0 && !x.over) {
			/* Only a forced Total pattern can leave a cell with no
			 * room at all; without one, the fallback's argument holds
			 * (the pinned cells are the known Total and months known
			 * to be 0). */
			if (c->total_from != NULL) {
				errno = ERANGE;
				goto fail;
			}
			x.over = 1;
		}
	}
	if (x.over && fallback(&x, c->total_from != NULL) != 0)
		goto fail;
	rc = 0;
fail:
	if (rc != 0 && x.ncells > 0)
		memset(c->hide, 1, x.ncells);
	teardown(&x);
	return rc;
}
