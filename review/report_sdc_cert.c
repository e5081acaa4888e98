/* review/report_sdc_cert.c - the certificate search of the governance
 * report's secondary cell suppression (report_sdc.c).
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
 *   L          +x[r][m] -x[r][m2] +x[r2][m2] (the Totals move as the single
 *              +x[r][m] -x[r2][m] +x[r2][m2]  at the month whose Total moves,
 *                                             and the row's spans holding both
 *                                             months keep; only in the last
 *                                             pass, report_sdc.c: a row's span
 *                                             and the other month's Total both
 *                                             published, as an earlier report
 *                                             of another state leaves them)
 *   Z          +x[r][m] -x[r2][m] +x[r2][m2] -x[r3][m2]  (keeps both Totals
 *                                             and row r2's spans holding both
 *                                             months; only in a free
 *                                             combination, below)
 * Every cell a chosen direction changes is withheld, so the direction stays
 * valid whatever is withheld later: certificates never expire. For each
 * withheld cell not yet certified, in row-major order, we take the
 * direction through it that withholds the fewest new cells (Total cells
 * count double: committees read them), then the least withheld value,
 * then the first in enumeration order; passes repeat until every
 * withheld cell is certified (the column rule and combined certificates,
 * below, withhold cells they do not certify). Where that direction
 * withholds anything new, a combination of directions that withhold
 * nothing new (Z among them) is sought first and taken when it is wide
 * enough: in a small table of counts 0..5 no one direction is, and the
 * best single one withheld the months' Totals and with them whole
 * columns (n=160 seed 1's first quarter: 3 of its 81 cells published).
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
#include <string.h>

#include "review/report_sdc_int.h"

struct sdc_best {
	struct sdc_dir d;
	uint64_t cost, lost;
	int found;
	int total; /* 1: d withholds a span's Total not withheld yet */
	int span;  /* 1: d withholds a span's cell not withheld yet */
};

/* Which directions a combined certificate may take (combined). */
enum sdc_combo {
	C_ANY,	       /* any */
	C_FREE,	       /* only those that withhold nothing new */
	C_SPAN_TOTALS, /* only those that withhold no span's Total not withheld yet */
	C_SPAN_CELLS,  /* only those that withhold no span's cell not withheld yet */
};

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

		bump(x, sdc_cell(x, t->r, t->m), t->sign);
		bump(x, sdc_cell(x, x->R, t->m), t->sign);
		for (j = x->moff[t->m]; j < x->moff[t->m + 1]; j++) {
			bump(x, sdc_cell(x, t->r, x->M + x->mspan[j]), t->sign);
			bump(x, sdc_cell(x, x->R, x->M + x->mspan[j]), t->sign);
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

/* The term of an L (three terms) whose month no other term has: the
 * Totals move as they would for that term alone (the other two cancel in
 * their month), so the slack and the lag treat the L as that single. */
static unsigned
ell_lone(const struct sdc_dir *d)
{
	return d->t[1].m == d->t[2].m ? 0 : 2;
}

/* With a slack (cube counted by closing month): how far d, taken with
 * t > 0 (side 1) or t < 0 (side -1), may go before the counts up to some
 * month exceed what the slack allows; SDC_INF when d moves no count to
 * an earlier month on that side. A single's count stays added in every
 * later month; a pair's between its two months. With a lag (cube counted
 * by the month received) the same, for counts taken away up to a month:
 * moved to a later month, or a single falling. */
/* 1 when d, on that side, uses up the slack (or lag) over months
 * *lo..*hi; 0 when it leaves it alone. */
static int
slack_span(const struct sdc_ctx *x, const struct sdc_dir *d, int side, uint32_t *lo, uint32_t *hi)
{
	const struct sdc_term *one = &d->t[d->n == 3 ? ell_lone(d) : 0];
	int early = one->sign;

	*lo = one->m;
	*hi = x->M - 1;
	/* A rectangle, or a pair within one month, leaves every count up to
	 * a month as it was. */
	if (x->slack == NULL || d->n == 4 || (d->n == 2 && d->t[1].m == *lo))
		return 0;
	if (d->n == 2) {
		if (d->t[1].m < *lo) {
			*lo = d->t[1].m;
			early = d->t[1].sign;
		}
		*hi = (d->t[0].m > d->t[1].m ? d->t[0].m : d->t[1].m) - 1;
	}
	/* the counts up to months lo..hi rise by 1 when the earlier term does */
	if (x->late)
		early = -early;
	return early * side > 0;
}

static uint64_t
slack_room(const struct sdc_ctx *x, const struct sdc_dir *d, int side)
{
	uint32_t lo, hi;

	return slack_span(x, d, side, &lo, &hi) ? x->rmin[(size_t)lo * x->M + hi] : SDC_INF;
}

/* The slack left over months lo..hi once the directions already chosen
 * for a combined certificate (x->taken) have used theirs. */
/* What a combined certificate's directions took, by month j, of cap_upto
 * (report_sdc.h): the capped rises up to j (ctaken, when given) and,
 * where cap_upto is the lag itself (the category cube: readable received
 * less closed up to each month, report_agg.c sealed_cap), the lag taken
 * at j too. The two are one budget: a concern moved later and "not
 * known" risen earlier both lower the readable received up to j. */
static uint64_t
budget_taken(const struct sdc_ctx *x, uint32_t j, const uint64_t *ctaken)
{
	uint64_t used = 0;

	for (uint32_t i = 0; ctaken != NULL && i <= j; i++)
		used += ctaken[i];
	if (x->taken != NULL && x->late && x->slack != NULL && x->slack == x->cap_upto)
		used += x->taken[j];
	return used;
}

static uint64_t
slack_left(const struct sdc_ctx *x, uint32_t lo, uint32_t hi)
{
	uint64_t left = SDC_INF;
	uint32_t m;

	for (m = lo; m <= hi; m++) {
		uint64_t used = x->taken[m];

		/* cap_upto's rises, where it is this lag (budget_taken) */
		for (uint32_t i = 0; x->late && x->slack == x->cap_upto && x->ctaken != NULL && i <= m;
		     i++)
			used += x->ctaken[i];
		if ((x->slack[m] > used ? x->slack[m] - used : 0) < left)
			left = x->slack[m] > used ? x->slack[m] - used : 0;
	}
	return left;
}

/* With a cap (report_sdc.h): how much the capped rows' sum of month m
 * changes when d, taken on that side, moves by 1, counted the way the cap
 * bounds (above 0: it uses the cap). */
static int
cap_use(const struct sdc_ctx *x, const struct sdc_dir *d, int side, uint32_t m)
{
	int c = 0;
	unsigned i;

	/* (no cap, no capped rows: said for clang's analyzer, which cannot
	 * follow check()'s rule that they come together) */
	for (i = 0; x->cap_rows != NULL && i < d->n; i++)
		if (d->t[i].m == m && x->cap_rows[d->t[i].r])
			c += d->t[i].sign;
	return c * side * (x->cap_up ? 1 : -1);
}

/* 1 when every term of d is in a capped row, or none is: d moves each
 * month's capped sum only with its Total (a single, a pair over two
 * months), which the other table follows with its own rows of the same
 * kind, in columns it withholds whole (the column rule), or not at all;
 * each month's bound stays as it was. */
static int
cap_free(const struct sdc_ctx *x, const struct sdc_dir *d)
{
	unsigned i;

	for (i = 1; i < d->n; i++)
		if (x->cap_rows[d->t[i].r] != x->cap_rows[d->t[0].r])
			return 0;
	return 1;
}

/* A pair into the capped rows of one month from the others of another:
 * the bounding table may move its own the same way, as far as cap_lead
 * (less what taken, when not NULL, holds) allows (report_sdc.h); 0 for
 * any other direction. */
static uint64_t
lead_room(const struct sdc_ctx *x, const struct sdc_dir *d, int side, const uint64_t *taken)
{
	const struct sdc_term *n;

	if (x->cap_lead == NULL || d->n != 2 || d->t[0].m == d->t[1].m)
		return 0;
	n = x->cap_rows[d->t[0].r] ? &d->t[1] : &d->t[0];
	return n->sign * side < 0 ? x->cap_lead[n->m] - (taken ? taken[n->m] : 0) : 0;
}

/* How far d may go on that side before the capped rows' sum of some month
 * passes its cap (less what taken, when not NULL, holds); SDC_INF when d
 * leaves every such sum alone or moves it the free way. */
static uint64_t
cap_room(const struct sdc_ctx *x, const struct sdc_dir *d, int side, const uint64_t *taken)
{
	uint64_t room = SDC_INF, lead;
	unsigned i;
	int c;

	/* (in the pass without the cap, x->cap is cap_hard, maybe NULL:
	 * cap_upto still holds there) */
	if (x->cap_rows == NULL || cap_free(x, d))
		return SDC_INF;
	for (i = 0; x->cap != NULL && i < d->n; i++) {
		uint32_t m = d->t[i].m;

		if ((c = cap_use(x, d, side, m)) > 0 &&
		    (x->cap[m] - (taken ? taken[m] : 0)) / (uint64_t)c < room)
			room = (x->cap[m] - (taken ? taken[m] : 0)) / (uint64_t)c;
	}
	if (x->cap != NULL &&
	    (lead = lead_room(x, d, side, taken == NULL ? NULL : x->ltaken)) > room)
		room = lead;
	/* cap_upto after the leader's room, which does not widen it */
	for (i = 0; x->cap_upto != NULL && i < d->n; i++) {
		uint32_t m = d->t[i].m;

		if ((c = cap_use(x, d, side, m)) <= 0)
			continue;
		for (uint32_t j = m; j < x->M; j++) {
			uint64_t used = budget_taken(x, j, taken);
			uint64_t left = x->cap_upto[j] > used ? x->cap_upto[j] - used : 0;

			if (left / (uint64_t)c < room)
				room = left / (uint64_t)c;
		}
	}
	return room;
}

/* 1 when every term of d is in a floor row, or none is: d moves each
 * month's floored sum only with its Total, which the table holding the
 * floor's count follows (report_sdc.h, floor). */
static int
floor_free(const struct sdc_ctx *x, const struct sdc_dir *d)
{
	for (unsigned i = 1; i < d->n; i++)
		if (x->floor_rows[d->t[i].r] != x->floor_rows[d->t[0].r])
			return 0;
	return 1;
}

/* How far d may go on that side before the floor rows' sum of some month
 * falls past its floor (less what taken, when not NULL, holds); SDC_INF
 * when d leaves every such sum alone, raises it, or is floor_free. */
static uint64_t
floor_room(const struct sdc_ctx *x, const struct sdc_dir *d, int side, const uint64_t *taken)
{
	uint64_t room = SDC_INF;

	if (x->floor == NULL || floor_free(x, d))
		return SDC_INF;
	for (unsigned i = 0; i < d->n; i++) {
		uint32_t m = d->t[i].m;
		int c = 0;

		for (unsigned j = 0; j < d->n; j++)
			if (d->t[j].m == m && x->floor_rows[d->t[j].r])
				c += d->t[j].sign;
		c *= -side; /* above 0: the sum falls */
		if (c > 0 && (x->floor[m] - (taken ? taken[m] : 0)) / (uint64_t)c < room)
			room = (x->floor[m] - (taken ? taken[m] : 0)) / (uint64_t)c;
	}
	return room;
}

/* Adds d's at most four terms into each fixed sum holding them
 * (report_sdc.h, fix_off): x->fs.acc[fhit[0..n-1]] are then the sums'
 * coefficients in d. Returns n; fixed_done clears them. */
static uint32_t
fixed_add(struct sdc_ctx *x, const struct sdc_dir *d)
{
	uint32_t n = 0, j, k;

	for (unsigned i = 0; x->fs.n > 0 && i < d->n; i++) {
		uint32_t b = d->t[i].r * x->M + d->t[i].m;

		for (k = x->fs.off[b]; k < x->fs.off[b + 1]; k++) {
			j = x->fs.set[k];
			if (!x->fs.in[j]) {
				x->fs.in[j] = 1;
				x->fs.hit[n++] = j;
			}
			x->fs.acc[j] += d->t[i].sign;
		}
	}
	return n;
}

static void
fixed_done(struct sdc_ctx *x, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++) {
		x->fs.acc[x->fs.hit[k]] = 0;
		x->fs.in[x->fs.hit[k]] = 0;
	}
}

/* After fixed_add's n sums: 1 when d changes one that is exact (a
 * bounded one it may change within its room: fixed_room, fixed_left). */
static int
exact_changed(const struct sdc_ctx *x, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++) {
		uint32_t j = x->fs.hit[k];

		if (x->fs.acc[j] != 0 && (x->fs.up == NULL || (x->fs.up[j] == 0 && x->fs.down[j] == 0)))
			return 1;
	}
	return 0;
}

/* With the ghosts (x->ghosting; report_sdc.h, gh_cell), after
 * fixed_add's n sums: the ghost that makes whole every sum d leaves
 * changed, each changed by *c (the ghost moving by -c as d moves by
 * +1), or -1 when none can. Its relations must be exactly those sums,
 * all changed alike: one it is in that d leaves as it was would change. */
static int64_t
ghost_of(const struct sdc_ctx *x, uint32_t n, int32_t *c)
{
	uint32_t j0 = 0, left = 0;

	*c = 0;
	for (uint32_t k = 0; k < n; k++)
		if (x->fs.acc[x->fs.hit[k]] != 0 && left++ == 0)
			j0 = x->fs.hit[k];
	if (left == 0)
		return -1;
	for (uint32_t q = x->gc->gh_off[j0]; q < x->gc->gh_off[j0 + 1]; q++) {
		uint32_t g = x->gc->gh_in[q], k;

		if (x->gz.off[g + 1] - x->gz.off[g] != left)
			continue;
		for (k = x->gz.off[g]; k < x->gz.off[g + 1]; k++)
			if (!x->fs.in[x->gz.set[k]] || x->fs.acc[x->gz.set[k]] != x->fs.acc[j0])
				break;
		if (k == x->gz.off[g + 1]) {
			*c = x->fs.acc[j0];
			return g;
		}
	}
	return -1;
}

/* How d's terms and ghost g (moving by -c) change, in g's state, month
 * m's Total (*net) and its cap rows' sum (*capped): the cells unchanged
 * there move with this state's (gh_same), the changed ones do not. */
static void
ghost_month(const struct sdc_ctx *x, const struct sdc_dir *d, uint32_t g, int32_t c, uint32_t m,
    int *net, int *capped)
{
	const struct sdc_cube *q = x->gc;
	uint32_t gr = q->gh_cell[g] / x->M, gm = q->gh_cell[g] % x->M;
	const uint8_t *same = q->gh_same + (size_t)q->gh_state[g] * x->R * x->M;

	*net = m == gm ? -c : 0;
	*capped = m == gm && x->cap_rows != NULL && x->cap_rows[gr] ? -c : 0;
	for (unsigned j = 0; j < d->n; j++)
		if (d->t[j].m == m && same[(size_t)d->t[j].r * x->M + m]) {
			*net += d->t[j].sign;
			*capped += x->cap_rows != NULL && x->cap_rows[d->t[j].r] ? d->t[j].sign : 0;
		}
}

/* How far d may go on that side with ghost g moving by -c (ghost_of):
 * 0 when it changes a month Total of g's state; the ghost falling at most
 * to 0, and its state's cap rows' sum past its gap (gh_gap) in no month,
 * less what a combined certificate's directions took (taken). */
static uint64_t
ghost_room(const struct sdc_ctx *x, const struct sdc_dir *d, int side, uint32_t g, int32_t c,
    int taken)
{
	const struct sdc_cube *q = x->gc;
	uint32_t s = q->gh_state[g];
	uint64_t room = SDC_INF, v, u;
	int net, capped;

	for (unsigned i = 0; i <= d->n; i++) {
		uint32_t m = i < d->n ? d->t[i].m : q->gh_cell[g] % x->M;

		ghost_month(x, d, g, c, m, &net, &capped);
		if (net != 0)
			return 0;
		capped *= side;
		if (x->cap_rows == NULL || (x->cap_up ? capped <= 0 : capped >= 0))
			continue;
		if (q->gh_gap == NULL)
			return 0;
		v = q->gh_gap[(size_t)s * x->M + m];
		u = taken ? x->gctaken[(size_t)s * x->M + m] : 0;
		v = (v > u ? v - u : 0) / (uint64_t)(capped > 0 ? capped : -capped);
		room = v < room ? v : room;
	}
	if (c * side > 0) { /* the ghost falls */
		v = q->gh_val[g] - (taken ? x->gtaken[g] : 0);
		v /= (uint64_t)(c > 0 ? c : -c);
		room = v < room ? v : room;
	}
	return room;
}

/* Records that d (t > 0, ghost g moving by -c) went room far in a
 * combined certificate: the ghost's fall and its state's cap taken, each
 * month once. */
static void
ghost_take(struct sdc_ctx *x, const struct sdc_dir *d, uint32_t g, int32_t c, uint64_t room)
{
	const struct sdc_cube *q = x->gc;
	uint32_t s = q->gh_state[g];
	int net, capped;

	if (c > 0)
		x->gtaken[g] += room * (uint64_t)c; /* finite: its value bounds it */
	for (unsigned i = 0; x->cap_rows != NULL && q->gh_gap != NULL && i <= d->n; i++) {
		uint32_t m = i < d->n ? d->t[i].m : q->gh_cell[g] % x->M;
		unsigned k;

		for (k = 0; k < i && d->t[k].m != m; k++)
			;
		if (k < i)
			continue; /* (its month taken already) */
		ghost_month(x, d, g, c, m, &net, &capped);
		if (x->cap_up ? capped > 0 : capped < 0)
			x->gctaken[(size_t)s * x->M + m] +=
			    room * (uint64_t)(capped > 0 ? capped : -capped);
	}
}

/* With the ghosts, after fixed_add's n sums, d changing an exact one:
 * how far d may go on that side with the ghost that makes every sum
 * whole (ghost_of; 0 with none), less what a combined certificate's
 * directions took (taken); with add, records instead that d went that
 * far (ghost_take). Clears the sums (fixed_done). */
static uint64_t
ghost_fixed(struct sdc_ctx *x, const struct sdc_dir *d, uint32_t n, int side, int taken,
    uint64_t add)
{
	int32_t c;
	int64_t g = ghost_of(x, n, &c);
	uint64_t room = SDC_INF;

	if (g < 0)
		room = 0;
	else if (add != 0)
		ghost_take(x, d, (uint32_t)g, c, add);
	else
		room = ghost_room(x, d, side, (uint32_t)g, c, taken);
	fixed_done(x, n);
	return room;
}

/* How far d may go on that side before a fixed sum passes its room
 * (report_sdc.h, fix_up): SDC_INF when it changes none. */
static uint64_t
fixed_room(struct sdc_ctx *x, const struct sdc_dir *d, int side)
{
	uint32_t n = fixed_add(x, d);
	uint64_t room = SDC_INF, r;

	/* (with the ghosts, one that makes every sum whole, or none) */
	if (x->ghosting && exact_changed(x, n))
		return ghost_fixed(x, d, n, side, 0, 0);
	for (uint32_t k = 0; k < n; k++) {
		int32_t a = x->fs.acc[x->fs.hit[k]] * side;
		uint32_t j = x->fs.hit[k];

		if (a == 0)
			continue;
		r = x->fs.up == NULL ? 0 : a > 0 ? x->fs.up[j] : x->fs.down[j];
		if (r != SDC_INF)
			r /= (uint64_t)(a > 0 ? a : -a);
		if (r < room)
			room = r;
	}
	fixed_done(x, n);
	return room;
}

/* With the moving sums (x->moving; report_sdc.h, mv_off), 1 when d
 * keeps every month's Total (the lag or slack, a relation each earlier
 * state held with its own Totals, stays as it was) and moves no month
 * outside [mv_first, mv_last] (one an earlier state did not hold). */
static int
moving_fits(const struct sdc_ctx *x, const struct sdc_dir *d)
{
	for (unsigned i = 0; i < d->n; i++) {
		int net = 0;

		if (d->t[i].m < x->mvfirst || d->t[i].m > x->mvlast)
			return 0;
		for (unsigned j = 0; j < d->n; j++)
			net += d->t[j].m == d->t[i].m ? d->t[j].sign : 0;
		if (net != 0)
			return 0;
	}
	return 1;
}

/* How far base cell (r, m) may fall: its value, or with the moving sums
 * the least of its values in every state (sdc_cube.mv_low: each stays
 * >= 0). */
static uint64_t
fall_room(const struct sdc_ctx *x, uint32_t r, uint32_t m)
{
	uint64_t v = x->val[sdc_cell(x, r, m)];

	if (x->moving && x->mvlow[(size_t)r * x->M + m] < v)
		v = x->mvlow[(size_t)r * x->M + m];
	return v;
}

/* Width of the interval d certifies (SDC_INF when one side is open). */
static uint64_t
width(struct sdc_ctx *x, const struct sdc_dir *d)
{
	uint64_t up = SDC_INF, down = SDC_INF, s;
	unsigned i;

	if (x->moving && !moving_fits(x, d))
		return 0;
	for (i = 0; i < d->n; i++) {
		uint64_t v = fall_room(x, d->t[i].r, d->t[i].m);

		if (d->t[i].sign > 0 && v < down)
			down = v;
		if (d->t[i].sign < 0 && v < up)
			up = v;
	}
	if ((s = slack_room(x, d, 1)) < up)
		up = s;
	if ((s = slack_room(x, d, -1)) < down)
		down = s;
	if ((s = cap_room(x, d, 1, NULL)) < up)
		up = s;
	if ((s = cap_room(x, d, -1, NULL)) < down)
		down = s;
	if ((s = floor_room(x, d, 1, NULL)) < up)
		up = s;
	if ((s = floor_room(x, d, -1, NULL)) < down)
		down = s;
	if ((s = fixed_room(x, d, 1)) < up)
		up = s;
	if ((s = fixed_room(x, d, -1)) < down)
		down = s;
	if (up == SDC_INF || down == SDC_INF)
		return SDC_INF;
	return up + down; /* each <= SDC_MAX_COUNT * rows * months */
}

/* A direction of n terms through (r, m): single (n = 1), a pair
 * +x[r][m] -x[r2][m2] (n = 2), a rectangle (n = 4), or an L (n = 3):
 * +x[r][m] -x[r][m2] +x[r2][m2]; with n = 5 the other L, +x[r][m]
 * -x[r2][m] +x[r2][m2] (made with n = 3). */
static struct sdc_dir
dir_make(uint32_t r, uint32_t m, uint32_t r2, uint32_t m2, unsigned n)
{
	struct sdc_dir d = {.n = n == 5 ? 3 : n};

	d.t[0] = (struct sdc_term){r, m, 1};
	if (n == 2)
		d.t[1] = (struct sdc_term){r2, m2, -1};
	if (n == 3 || n == 5) {
		d.t[1] = n == 3 ? (struct sdc_term){r, m2, -1} : (struct sdc_term){r2, m, -1};
		d.t[2] = (struct sdc_term){r2, m2, 1};
	}
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
	if (x->zed) { /* a free combination: its own budget, no fallback */
		if (++x->zvisits > SDC_FREE_VISITS) {
			x->zover = 1;
			return 1;
		}
		return visit(x, d, tgt, arg);
	}
	if (++x->visits > SDC_MAX_VISITS) {
		x->over = 1;
		return 1;
	}
	return visit(x, d, tgt, arg);
}

/* With taken (a combined certificate): how far d, with t > 0, may go
 * before a fixed sum passes its room less what the directions already
 * chosen took of it; with add, records that d went room that far. */
static uint64_t
fixed_left(struct sdc_ctx *x, const struct sdc_dir *d, uint64_t add)
{
	uint32_t n = fixed_add(x, d);
	uint64_t room = SDC_INF, r;

	if (x->ghosting && exact_changed(x, n))
		return ghost_fixed(x, d, n, 1, 1, add);
	for (uint32_t k = 0; x->fs.up != NULL && k < n; k++) {
		uint32_t j = x->fs.hit[k];
		int32_t a = x->fs.acc[j];
		const uint64_t *lim = a > 0 ? x->fs.up : x->fs.down;
		uint64_t *tk = a > 0 ? x->fs.ttaken : x->fs.btaken;
		uint64_t ua = (uint64_t)(a > 0 ? a : -a);

		if (a == 0 || lim[j] == SDC_INF)
			continue;
		if (add != 0)
			tk[j] += add * ua; /* finite: lim bounds it */
		else if ((r = (lim[j] - tk[j]) / ua) < room)
			room = r;
	}
	fixed_done(x, n);
	return room;
}

/* 1 when d changes none of the fixed sums that are exact (a bounded one
 * it may change within its room: width, fixed_left). */
static int
fixed_kept(struct sdc_ctx *x, const struct sdc_dir *d)
{
	uint32_t n = fixed_add(x, d);
	int32_t c;
	int ok = !exact_changed(x, n) || (x->ghosting && ghost_of(x, n, &c) >= 0);

	fixed_done(x, n);
	return ok;
}

/* Spreads d and says whether it may be used for target tgt: it moves tgt
 * and no pinned cell nor exact fixed sum. Returns tgt's coefficient
 * (+-1), or 0 when unusable; d stays spread for the caller, who must
 * unspread. */
static int
usable(struct sdc_ctx *x, const struct sdc_dir *d, size_t tgt)
{
	size_t i;

	spread(x, d);
	for (i = 0; i < x->ntouched; i++)
		if (x->coef[x->touched[i]] != 0 && x->pinned[x->touched[i]])
			return 0;
	return fixed_kept(x, d) ? x->coef[tgt] : 0;
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
	int ok, total = 0, span = 0;

	if (width(x, d) < sdc_need(x, tgt))
		return 0;
	ok = usable(x, d, tgt) != 0;
	for (i = 0; ok && i < x->ntouched; i++) {
		uint32_t c = x->touched[i];

		if (x->coef[c] != 0 && !x->hide[c]) {
			cost += c / x->ncols == x->R ? 2 : 1;
			total |= c / x->ncols == x->R && c % x->ncols >= x->M;
			span |= c % x->ncols >= x->M;
			lost += x->val[c];
		}
	}
	unspread(x);
	if (ok && (!b->found || cost < b->cost || (cost == b->cost && lost < b->lost))) {
		b->d = *d;
		b->cost = cost;
		b->lost = lost;
		b->found = 1;
		b->total = total;
		b->span = span;
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
	enum sdc_combo kind; /* the directions it may take */
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
		uint64_t v = fall_room(x, e.t[i].r, e.t[i].m);

		if (e.t[i].sign * sd->side < 0 && v < room)
			room = v;
	}
	if (room == 0 || (sd->found && room <= sd->room) || (x->moving && !moving_fits(x, &e)))
		return 0;
	room = SDC_INF;
	k = usable(x, d, tgt);
	for (i = 0; k != 0 && sd->kind != C_ANY && i < x->ntouched; i++)
		if (x->coef[x->touched[i]] != 0 && !x->hide[x->touched[i]] &&
		    (sd->kind == C_FREE ||
			(x->touched[i] % x->ncols >= x->M &&
			    (sd->kind == C_SPAN_CELLS || x->touched[i] / x->ncols == x->R))))
			k = 0;
	unspread(x);
	if (k == 0)
		return 0;
	for (i = 0; i < e.n; i++) {
		size_t c = sdc_cell(x, e.t[i].r, e.t[i].m);
		uint64_t v = fall_room(x, e.t[i].r, e.t[i].m);

		e.t[i].sign *= k * sd->side;
		if (e.t[i].sign > 0)
			continue;
		if (x->used[c])
			return 0;
		if (v < room)
			room = v;
	}
	/* Directions of a combined certificate move together: each takes
	 * the slack (or lag) it needs from what the others left. */
	{
		uint32_t lo, hi;
		uint64_t left;

		if (slack_span(x, &e, 1, &lo, &hi) && (left = slack_left(x, lo, hi)) < room)
			room = left;
		if ((left = cap_room(x, &e, 1, x->ctaken)) < room)
			room = left;
		if ((left = floor_room(x, &e, 1, x->ftaken)) < room)
			room = left;
		if ((left = fixed_left(x, &e, 0)) < room)
			room = left;
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
	uint64_t v = x->val[sdc_cell(x, r, m)];
	int nzonly = rule == P_FALL || (rule == P_WIDTH && v < sdc_need(x, tgt));
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

/* Calls visit on the L directions through start (r, m), the other month
 * outside the target's months: for a Total target only the first L (the
 * other moves no Total of the target's months). Returns 1 when visit
 * stopped the search. Every L is weighed (no rule skips any): the pass
 * that weighs them runs only where the cube would otherwise be refused. */
static int
ells(struct sdc_ctx *x, size_t tgt, uint32_t r, uint32_t m, uint32_t mlo, uint32_t mhi, int total,
    sdc_visit visit, void *arg)
{
	struct sdc_dir d;

	for (uint32_t r2 = 0; r2 < x->R; r2++) {
		for (uint32_t m2 = 0; r2 != r && m2 < x->M; m2++) {
			if (m2 >= mlo && m2 <= mhi)
				continue;
			d = dir_make(r, m, r2, m2, 3);
			if (step(x, &d, tgt, visit, arg))
				return 1;
			if (total)
				continue;
			d = dir_make(r, m, r2, m2, 5);
			if (step(x, &d, tgt, visit, arg))
				return 1;
		}
	}
	return 0;
}

/* Calls visit on the Z directions from start (r, m), a path of four base
 * cells each month of which holds two (so its Total keeps) with the start
 * at one end: +x[r][m] -x[r2][m] +x[r2][m2] -x[r3][m2] (row r2's spans
 * holding both months keep; rows r's and r3's move). Partners are skipped
 * as the rectangles skip them (a falling cell at 0 gives no room). Not
 * with the start second in such a path: measured over make soak's
 * casebooks it published no more, and refused three reports at 1,000 a
 * year that the greedy search made without it. Returns 1 when visit
 * stopped the search. */
static int
zeds(struct sdc_ctx *x, size_t tgt, uint32_t r, uint32_t m, enum sdc_partners rule, sdc_visit visit,
    void *arg)
{
	struct sdc_dir d = {.n = 4};

	for (uint32_t r2 = 0; r2 < x->R; r2++) {
		if (r2 == r || (rule == P_FALL && x->val[sdc_cell(x, r2, m)] == 0))
			continue;
		for (uint32_t m2 = 0; m2 < x->M; m2++) {
			if (m2 == m || (rule == P_RISE && x->val[sdc_cell(x, r2, m2)] == 0))
				continue;
			for (uint32_t r3 = 0; r3 < x->R; r3++) {
				if (r3 == r || r3 == r2 ||
				    (rule == P_FALL && x->val[sdc_cell(x, r3, m2)] == 0))
					continue;
				d.t[0] = (struct sdc_term){r, m, 1};
				d.t[1] = (struct sdc_term){r2, m, -1};
				d.t[2] = (struct sdc_term){r2, m2, 1};
				d.t[3] = (struct sdc_term){r3, m2, -1};
				if (step(x, &d, tgt, visit, arg))
					return 1;
			}
		}
	}
	return 0;
}

/* Calls visit on the skew rectangles from start (r, m), the other month
 * outside the target's months: +x[r][m] -x[r2][m] -x[r][m2] +x[r3][m2],
 * each month's Total and row r's spans kept, rows r2 and r3 (r2 != r3)
 * moving. Only with the ghosts (x->ghosting): March's "within 7 days"
 * rising against its "later" now, its January falling against its "not
 * yet", the earlier "not yet" of March falling (e2e 68's n=120 seed 23).
 * Returns 1 when visit stopped the search. */
static int
skews(struct sdc_ctx *x, size_t tgt, uint32_t r, uint32_t m, uint32_t mlo, uint32_t mhi,
    enum sdc_partners rule, sdc_visit visit, void *arg)
{
	struct sdc_dir d = {.n = 4};

	for (uint32_t m2 = 0; m2 < x->M; m2++) {
		if ((m2 >= mlo && m2 <= mhi) || (rule == P_FALL && x->val[sdc_cell(x, r, m2)] == 0))
			continue;
		for (uint32_t r2 = 0; r2 < x->R; r2++) {
			if (r2 == r || (rule == P_FALL && x->val[sdc_cell(x, r2, m)] == 0))
				continue;
			for (uint32_t r3 = 0; r3 < x->R; r3++) {
				if (r3 == r || r3 == r2 ||
				    (rule == P_RISE && x->val[sdc_cell(x, r3, m2)] == 0))
					continue;
				d.t[0] = (struct sdc_term){r, m, 1};
				d.t[1] = (struct sdc_term){r2, m, -1};
				d.t[2] = (struct sdc_term){r, m2, -1};
				d.t[3] = (struct sdc_term){r3, m2, 1};
				if (step(x, &d, tgt, visit, arg))
					return 1;
			}
		}
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
	size_t tgt = sdc_cell(x, tr, tc);
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
			uint64_t v = x->val[sdc_cell(x, r, m)];

			if (rule == P_RISE && v == 0)
				continue;
			d = dir_make(r, m, r, m, 1);
			if (step(x, &d, tgt, visit, arg))
				return;
			if (pairs(x, tgt, r, m, mlo, mhi, total, rule, visit, arg))
				return;
			/* rectangle: +x[r][m] -x[r][m2] -x[r2][m] +x[r2][m2] */
			for (r2 = 0; r2 < x->R && !total; r2++) {
				if (r2 == r || (rule == P_FALL && x->val[sdc_cell(x, r2, m)] == 0))
					continue;
				for (m2 = 0; m2 < x->M; m2++) {
					if (m2 >= mlo && m2 <= mhi)
						continue;
					if (rule == P_FALL && x->val[sdc_cell(x, r, m2)] == 0)
						continue;
					if (rule == P_RISE && x->val[sdc_cell(x, r2, m2)] == 0)
						continue;
					d = dir_make(r, m, r2, m2, 4);
					if (step(x, &d, tgt, visit, arg))
						return;
				}
			}
			if (x->ell && ells(x, tgt, r, m, mlo, mhi, total, visit, arg))
				return;
			if (x->ghosting && !total && skews(x, tgt, r, m, mlo, mhi, rule, visit, arg))
				return;
			/* (a Z moves no Total: none for a Total target) */
			if (x->zed && !total && zeds(x, tgt, r, m, rule, visit, arg))
				return;
		}
	}
}

/* Marks the months over which d moves counts from one month to another
 * (report_sdc.h, lag_moved and slack_moved): applied without the lag, it
 * may take them later past it; without the slack, earlier. */
static void
lag_mark(struct sdc_ctx *x, const struct sdc_dir *d)
{
	uint32_t lo = d->t[d->n == 3 ? ell_lone(d) : 0].m, hi = x->M - 1, m;
	uint8_t *moved = x->late ? x->lag_moved : x->slack_moved;

	if ((x->slack != NULL && !x->cutting) || moved == NULL || d->n == 4 ||
	    (d->n == 2 && d->t[1].m == lo))
		return;
	if (d->n == 2) {
		lo = d->t[1].m < lo ? d->t[1].m : lo;
		hi = d->t[1].m > d->t[0].m ? d->t[1].m : d->t[0].m;
	}
	for (m = lo; m <= hi; m++)
		moved[m] = 1;
}

/* Marks the months whose capped sum d changes (report_sdc.h, cap_moved)
 * when it is applied without the cap. */
static void
cap_mark(struct sdc_ctx *x, const struct sdc_dir *d)
{
	unsigned i;

	if (x->cap_rows != NULL && cap_free(x, d))
		return; /* the cap leaves it alone (cap_room) */
	for (i = 0; (x->cap == NULL || x->uncapped) && x->cap_moved != NULL && i < d->n; i++)
		if (cap_use(x, d, 1, d->t[i].m) != 0)
			x->cap_moved[d->t[i].m] = 1;
}

/* Withholds every cell d changes, and certifies them when d alone moves
 * them over an interval threshold wide. */
static void
apply(struct sdc_ctx *x, const struct sdc_dir *d)
{
	uint64_t w = width(x, d);
	size_t i;

	lag_mark(x, d);
	cap_mark(x, d);
	spread(x, d);
	for (i = 0; i < x->ntouched; i++) {
		uint32_t c = x->touched[i];

		if (x->coef[c] != 0) {
			x->hide[c] = 1;
			x->cert[c] |= w >= sdc_need(x, c);
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
combine(struct sdc_ctx *x, uint32_t tr, uint32_t tc, int side, uint64_t need, enum sdc_combo kind)
{
	struct sdc_side sd;
	uint64_t total = 0;
	unsigned first = x->ncombo, i, j;
	int bylead;
	uint32_t lo, hi, m;

	while (total < need && x->ncombo < SDC_MAX_COMBO) {
		memset(&sd, 0, sizeof(sd));
		sd.side = side;
		sd.want = need - total;
		sd.kind = kind;
		enumerate(x, tr, tc, side > 0 ? P_FALL : P_RISE, visit_side, &sd);
		if (!sd.found || x->over)
			break;
		x->combo[x->ncombo++] = sd.best;
		for (j = 0; j < sd.best.n; j++)
			if (sd.best.t[j].sign < 0)
				x->used[sdc_cell(x, sd.best.t[j].r, sd.best.t[j].m)] = 1;
		if (slack_span(x, &sd.best, 1, &lo, &hi))
			for (m = lo; m <= hi; m++)
				x->taken[m] += sd.room; /* finite: a slack bounds it */
		if (sd.room != SDC_INF)
			(void)fixed_left(x, &sd.best, sd.room);
		bylead = x->cap != NULL && !cap_free(x, &sd.best) &&
			 lead_room(x, &sd.best, 1, x->ltaken) >= sd.room;
		if (bylead) {
			const struct sdc_term *n = x->cap_rows[sd.best.t[0].r] ? &sd.best.t[1]
									  : &sd.best.t[0];
			x->ltaken[n->m] += sd.room; /* finite: cap_lead bounds it */
		}
		for (j = 0; x->cap_rows != NULL && !bylead && !cap_free(x, &sd.best) && j < sd.best.n;
		     j++) {
			int c = cap_use(x, &sd.best, 1, sd.best.t[j].m);

			/* finite where c > 0 and a cap or cap_upto bounds it
			 * (the pass without the cap and no cap_hard: neither,
			 * nothing to keep); a month of several terms is taken
			 * once, at its first term */
			for (i = 0; i < j && sd.best.t[i].m != sd.best.t[j].m; i++)
				;
			if (c > 0 && i == j && sd.room != SDC_INF)
				x->ctaken[sd.best.t[j].m] += sd.room * (uint64_t)c;
		}
		for (j = 0; x->floor != NULL && !floor_free(x, &sd.best) && j < sd.best.n; j++) {
			int c = 0;

			/* a month of several terms is taken once, at its first */
			for (i = 0; i < j && sd.best.t[i].m != sd.best.t[j].m; i++)
				;
			for (unsigned k = 0; i == j && k < sd.best.n; k++)
				if (sd.best.t[k].m == sd.best.t[j].m && x->floor_rows[sd.best.t[k].r])
					c -= sd.best.t[k].sign;
			if (c > 0) /* finite: the floor bounds it */
				x->ftaken[sd.best.t[j].m] += sd.room * (uint64_t)c;
		}
		total = sd.room == SDC_INF || total + sd.room < total ? SDC_INF : total + sd.room;
	}
	for (i = first; i < x->ncombo; i++)
		for (j = 0; j < x->combo[i].n; j++)
			x->used[sdc_cell(x, x->combo[i].t[j].r, x->combo[i].t[j].m)] = 0;
	if (x->taken != NULL)
		memset(x->taken, 0, (size_t)x->M * sizeof(*x->taken));
	if (x->fs.ttaken != NULL) {
		memset(x->fs.ttaken, 0, x->fs.n * sizeof(*x->fs.ttaken));
		memset(x->fs.btaken, 0, x->fs.n * sizeof(*x->fs.btaken));
	}
	if (x->ctaken != NULL) {
		memset(x->ctaken, 0, (size_t)x->M * sizeof(*x->ctaken));
		memset(x->ltaken, 0, (size_t)x->M * sizeof(*x->ltaken));
	}
	if (x->ftaken != NULL)
		memset(x->ftaken, 0, (size_t)x->M * sizeof(*x->ftaken));
	if (x->gtaken != NULL) {
		memset(x->gtaken, 0, x->gc->ngh * sizeof(*x->gtaken));
		memset(x->gctaken, 0, (size_t)x->gc->gh_nstates * x->M * sizeof(*x->gctaken));
	}
	return total;
}

/* A combined certificate for (tr, tc) (combine, both sides; with Z
 * directions when zed, within their own budget; of the directions kind
 * allows), applied where it is wide
 * enough. Returns 0 when taken, 1 when not (too narrow, or a budget
 * spent: x->over says which). */
static int
combined(struct sdc_ctx *x, uint32_t tr, uint32_t tc, uint64_t need, enum sdc_combo kind, int zed)
{
	uint64_t up, down;

	x->ncombo = 0;
	x->zed = zed;
	up = combine(x, tr, tc, 1, need, kind);
	down = combine(x, tr, tc, -1, up >= need ? 0 : need - up, kind);
	x->zed = 0;
	if (x->over || (zed && x->zover) || (up < need && down < need - up))
		return 1;
	for (unsigned i = 0; i < x->ncombo; i++)
		apply(x, &x->combo[i]);
	x->cert[sdc_cell(x, tr, tc)] = 1;
	return 0;
}

/* Certifies withheld cell (tr, tc), withholding what that takes. */
static int
protect1(struct sdc_ctx *x, uint32_t tr, uint32_t tc)
{
	struct sdc_best b;
	uint64_t need;

	memset(&b, 0, sizeof(b));
	enumerate(x, tr, tc, P_WIDTH, visit_single, &b);
	if (x->over)
		return -1;
	need = sdc_need(x, sdc_cell(x, tr, tc));
	/* The best single direction withholds more: a combination of
	 * directions that withhold nothing, Z among them, where one is wide
	 * enough (the method, above). Sound as any combined certificate. */
	if (b.found && b.cost > 0 && !x->zover && combined(x, tr, tc, need, C_FREE, 1) == 0)
		return 0;
	/* In a cube whose Total no other shares (the outcome cube: how many
	 * were closed, in a year the figure a committee acts on), a
	 * combination that withholds no span's cell not withheld yet, then
	 * one that withholds no span's Total, before a single direction that
	 * does. e2e 60's casebook with its sealed concerns never acted on (as
	 * the product has them): February 2025's one "substantiated" (10
	 * closed that month, 2 in January) was certified by the pair with
	 * May, which withheld FY2025's outcomes, their Total, the median days
	 * to close and the stock; pairs inside the first quarter together
	 * are wide enough. Only there: over every table (span Totals) it
	 * publishes more (make soak's n=160 1,590 -> 2,705 cells) but lost
	 * n=160 seed 7 four of its six quarterly reports (SECURITY.md). */
	if (!x->columns && b.found && b.span &&
	    (combined(x, tr, tc, need, C_SPAN_CELLS, 0) == 0 ||
		(b.total && combined(x, tr, tc, need, C_SPAN_TOTALS, 0) == 0)))
		return 0;
	if (b.found) {
		apply(x, &b.d);
		return 0;
	}
	if (combined(x, tr, tc, need, C_ANY, 0) == 0)
		return 0;
	if (x->over)
		return -1;
	/* Z directions too, within their own budget, where the others fall
	 * short: a cell whose row's other cells of the span are small and
	 * whose month's other cells are held by their rows' spans moves
	 * only against a third row in another month (e2e 68's n=210 seed
	 * 12: "treated badly"'s February "yes", its Total and "not known"
	 * published, Q1's "no" and "prefer not" too) */
	if (!x->zover && combined(x, tr, tc, need, C_ANY, 1) == 0)
		return 0;
	return -1;
}

/* protect1 with the moving sums in the fixed sums' place (report_sdc.h,
 * mv_off): the earlier value of every changed cell a direction moves
 * moving with it, each published sum over all its base cells kept. */
static int
protect_moving(struct sdc_ctx *x, uint32_t tr, uint32_t tc)
{
	struct sdc_sets fs = x->fs;
	int rc;

	x->fs = x->ms;
	x->moving = 1;
	rc = protect1(x, tr, tc);
	x->moving = 0;
	x->ms = x->fs; /* (its scratch, zero again) */
	x->fs = fs;
	return rc;
}

/* protect1, and when the slack leaves no certificate, protect1 without
 * it (and then without the cap too, where cap_moved is given): the slack is the closed-by <= received-by bound at its tightest
 * (as if every received Total were published), so it may refuse
 * certificates a reader could not rule out. A slack or lag dropped so
 * is reported to the caller (slack_moved, lag_moved), which then
 * withholds what bounds it: a certificate without the lag is valid only
 * when closures may follow the received counts it moves later, one
 * without the slack when received counts may follow the closures it
 * moves earlier. */
static int
protect_all(struct sdc_ctx *x, uint32_t tr, uint32_t tc)
{
	const uint64_t *slack = x->slack, *cap = x->cap;
	int rc;

	if ((rc = protect1(x, tr, tc)) == 0 || x->over)
		return rc;
	/* (a cube with no cap or floor, relations to another table's values
	 * each earlier state held with its own, which the moving sums do not
	 * carry; the lag or slack only with every month's Total kept: width) */
	if (x->ms.n > 0 && cap == NULL && x->cap_rows == NULL && x->floor_rows == NULL &&
	    x->cap_upto == NULL && !x->ghosting && (rc = protect_moving(x, tr, tc)) == 0)
		return 0;
	if (x->over)
		return -1;
	if (slack != NULL && x->cut != NULL) {
		/* only the cuts' bound kept (report_sdc.h, slack_cut): the
		 * months moved are marked, and there is no pass without it */
		uint64_t *rmin = x->rmin;

		x->slack = x->cut;
		x->rmin = x->rmin_cut;
		x->cutting = 1;
		rc = protect1(x, tr, tc);
		x->slack = slack;
		x->rmin = rmin;
		x->cutting = 0;
		return rc;
	}
	if (slack != NULL) {
		x->slack = NULL;
		rc = protect1(x, tr, tc);
		x->slack = slack;
		if (rc == 0 || x->over)
			return rc;
	}
	/* The cap likewise, only where the other table follows (cap_moved:
	 * the caller withholds what it needs), and as far as it can
	 * (cap_hard). */
	if (cap != NULL && x->cap_moved != NULL) {
		x->slack = NULL;
		x->cap = x->cap_hard;
		x->uncapped = 1;
		rc = protect1(x, tr, tc);
		x->slack = slack;
		x->cap = cap;
		x->uncapped = 0;
	}
	return rc;
}

int
sdc_protect(struct sdc_ctx *x, uint32_t tr, uint32_t tc)
{
	int rc = protect_all(x, tr, tc);

	/* Last, the ghosts (report_sdc.h, gh_cell): every try again with
	 * directions a changed cell's earlier value, on its own, makes
	 * whole. Only in sdc_suppress's second run (x->ghost_ok), where the
	 * cube would otherwise be refused */
	if (rc != 0 && !x->over && x->ghost_ok && x->gc != NULL && x->gc->ngh > 0) {
		uint64_t visits = x->visits;

		x->ghosting = 1;
		rc = protect_all(x, tr, tc);
		x->ghosting = 0;
		/* (a try that ran out of directions leaves the search as it
		 * was without it: the passes after, the L directions, still
		 * run) */
		if (rc != 0 && x->over) {
			x->over = 0;
			x->visits = visits;
		}
	}
	return rc;
}
