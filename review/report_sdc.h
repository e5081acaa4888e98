/* review/report_sdc.h - disclosure control for the governance report
 *
 * One measure of the report is a cube: breakdown rows x consecutive months,
 * plus aggregate columns (quarters, calendar years, financial years) and a
 * Total row. Suppression is decided once over the whole cube; every report
 * (a month, a quarter, a year, an FY) publishes a projection of the same
 * pattern, so reports of different periods cannot be combined to reveal a
 * value that either withholds. The method is in SECURITY.md, "Governance
 * report: disclosure control". */
#ifndef CANDOUR_REPORT_SDC_H
#define CANDOUR_REPORT_SDC_H

#include <stdint.h>

#define SDC_THRESHOLD_MIN 3	/* never below */
#define SDC_THRESHOLD_DEFAULT 5 /* counts 1..5 are withheld ("c") */
#define SDC_THRESHOLD_MAX 1000	/* a larger threshold is a mistake */

/* Limits checked before anything is allocated: far above the report's
 * cubes (rows <= ~12, months <= a few hundred) and low enough that the
 * worst case stays within seconds (see sdc_suppress). */
#define SDC_MAX_ROWS 32
#define SDC_MAX_MONTHS 360 /* 30 years */
#define SDC_MAX_SPANS 512
#define SDC_MAX_COUNT ((uint64_t)1 << 40) /* per cell; sums cannot overflow */
/* Directions the certificate search may weigh for one cube. Past it the
 * search stops and the cube gets the fallback pattern (every cell that
 * is not published by force or known to be 0 withheld): more withheld,
 * never less, and bounded time whatever the counts (see sdc_suppress). */
#define SDC_MAX_VISITS 4000000

struct sdc_span {
	uint32_t first, last; /* month indexes, inclusive */
};

struct sdc_cube {	  /* one measure: breakdown rows x months */
	uint32_t nrows;	  /* breakdown rows; a Total row is row nrows */
	uint32_t nmonths; /* consecutive months from month index 0 */
	uint32_t nspans;  /* aggregate columns (quarters, years, FYs, ...) */
	const struct sdc_span *spans;
	const uint64_t *count;	   /* [nrows][nmonths] row-major, true counts */
	const uint8_t *total_from; /* NULL, or a forced pattern for the Total row,
				      [nmonths+nspans]: 1 = withheld elsewhere (must stay
				      withheld), 0 = published elsewhere (must be published) */
	uint8_t *hide;		   /* out: [(nrows+1)][(nmonths+nspans)], 1 = withheld */
	uint8_t total_known;	   /* 1: the Total over all months (a span holding
				      every month must exist) is published elsewhere,
				      exactly, whatever its value (the accountability
				      statement): it stays published and is treated
				      as known to every reader */
	const uint64_t *slack;	   /* NULL, or [nmonths] for a cube counted by
				      the month a case ended (closed concerns):
				      how many more could have ended by each month
				      (received by then, less those that cannot
				      end here, less those ended by then). A reader
				      knows ended-by <= received-by, so no certificate
				      may move counts earlier past the slack */
	const uint64_t *lag;	   /* NULL, or [nmonths] for a cube counted by
				      the month a case began (received concerns):
				      how many fewer could have been received by
				      each month (readable received by then less
				      closed by then). A reader knows closed-by <=
				      received-by, so no certificate may move
				      counts later past the lag. Not with slack */
	const uint8_t *zero;	   /* NULL, or [nrows][nmonths]: 1 = a base cell
				      (count 0) that a reader can know is 0 from
				      other tables and the report's definitions;
				      it is published and no certificate moves it */
	uint8_t *lag_moved;	   /* NULL, or [nmonths] with lag, out (ORed in,
				      never cleared): 1 for every month over which
				      a certificate had to move received counts
				      later past the lag (one certified without it,
				      or the fallback: every month). Such a
				      certificate is consistent only when closures
				      may follow: the caller must withhold, in the
				      cube counted by closing month, every column
				      that holds some but not all of each run of
				      such months (report_agg.c) */
	const uint8_t *force;	   /* NULL, or [(nrows+1)][(nmonths+nspans)]:
				      1 = withhold (and certify) this cell too */
	uint8_t total_alone;	   /* 1: no other measure shares this cube's
				      Total (no total_from, and no cube takes
				      its pattern): the column rule, which only
				      makes cubes sharing a Total safe together,
				      is not applied, so a withheld Total (a
				      small month) does not withhold the zeros
				      and the rows beside it */
	uint8_t whole_rows_free;   /* 1, with total_known: the span over all
				      months is a period no report has, so its
				      breakdown cells are published nowhere (only
				      its Total is, exactly): they start withheld
				      and need no certificate, so certificates
				      may move counts between rows across the
				      whole range */
	const uint8_t *cap_rows;   /* NULL, or [nrows]: 1 = a row of a sum that
				      another table bounds month by month (a
				      reader knows feedback given <= acknowledged,
				      flagged <= recorded) */
	const uint64_t *cap;	   /* with cap_rows, [nmonths]: how far that sum
				      may rise (cap_up) or fall (cap_up 0) in each
				      month: the other table's cells at their true
				      values less this one's. No certificate moves
				      the sum further, so it holds whatever the
				      other table withholds */
	uint8_t cap_up;
	const uint64_t *cap_lead;  /* NULL, or with cap_up, [nmonths]: how far
				      the bounding table's sum may fall in each
				      month (its own cap). A pair moving counts
				      from this table's other rows in one month
				      into its capped rows in another may go that
				      far too: the bounding table then moves its
				      bounded counts between the same months
				      (the Totals move, so it withholds those
				      columns whole: the column rule) */
	uint8_t *cap_moved;	   /* NULL, or [nmonths] with a cap, out (ORed in,
				      never cleared): 1 for every month whose capped
				      sum a certificate moved without the cap (a
				      cell with none inside it, or the fallback:
				      every month). Consistent only when the other
				      table may follow: the caller must withhold
				      that table's rows in every column holding such
				      a month (report_agg.c). Without it, a cell the
				      cap leaves no certificate fails (ERANGE) */
	const uint8_t *row_known;  /* NULL, or [nrows] with total_known: 1 = the
				      row's cell over all months is known to every
				      reader, exactly (category "not known" is the
				      statement's count sealed to others when every
				      readable concern has a category): it stays
				      published and no certificate moves it, and
				      the row's withheld cells need only
				      min(threshold, that value) */
	uint8_t *slack_moved;	   /* NULL, or [nmonths] with slack, out (ORed
				      in, never cleared): 1 for every month over
				      which a certificate moved counts without the
				      slack (a cell with none inside it, or the
				      fallback: every month). Consistent only when
				      the received counts may follow: the caller
				      must withhold, in the cubes counted by the
				      month received or bounded by them, every cell
				      that moving the received counts of each run
				      of such months earlier changes (report_agg.c,
				      slack_force; see slack_cut) */
	const uint64_t *slack_cut; /* NULL, or [nmonths] with slack_moved: the
				      bound a certificate taken without the slack
				      must still keep, per month (SDC_MAX_COUNT or
				      more: none). Months where it binds are cuts:
				      the received counts cannot follow closures
				      moved earlier across them (report_agg.c:
				      slack_cuts), so the caller splits the runs of
				      slack_moved there. With it, no certificate
				      is taken without any slack, and the fallback
				      (which could move closures anywhere) is
				      refused: ERANGE */
	const uint64_t *cap_hard;  /* NULL, or [nmonths] with cap and cap_moved:
				      how far the capped sum may rise in each
				      month even where the other table follows
				      (the rows it then takes from keep what other
				      relations need: report_agg.c, sealed_cap).
				      A certificate without the cap keeps it; the
				      fallback (every cell withheld) ignores it */
	const uint8_t *known;	   /* NULL, or [(nrows+1)][(nmonths+nspans)]:
				      1 = published exactly, with the value it
				      has now, by an earlier report (report_agg.c,
				      pins): it stays published and no certificate
				      moves it, as the known Total. One that is
				      1..threshold, or that total_from or force
				      would withhold, cannot be kept: ERANGE (one
				      the cube pins itself stays published, as
				      before). With a known cell above 0 the cube
				      does not pin, the fallback, whose argument
				      knows only cells of 0 and the cube's own
				      pins, is refused: ERANGE */
	/* NULL, or sums over base cells every reader knows exactly (an
	 * earlier report of another casebook state published a cell over
	 * them, or its statement did, and they have not changed since:
	 * report_agg.c, fixed_sums): set j holds the base cells (r *
	 * nmonths + m) fix_cell[fix_off[j]..fix_off[j + 1] - 1]. No
	 * certificate changes such a sum; the fallback, whose argument
	 * does not know them, is refused: ERANGE */
	const uint32_t *fix_off; /* [nfix + 1] */
	const uint32_t *fix_cell;
	uint32_t nfix;
	/* NULL (every fixed sum exact), or [nfix]: how far a certificate
	 * may raise (fix_up) or lower (fix_down) sum j, UINT64_MAX for no
	 * bound. A sum an earlier state's statement fixes with cells of
	 * its own that no report of it covers (report_agg.c, statements)
	 * may fall, those cells rising, and rise only as far as they held;
	 * so may a month Total's over its cells unchanged since, made up
	 * for by its changed cells no report published (month_rooms).
	 * Such a sum is kept by single certificates, within its room; a
	 * combined certificate keeps it exactly. 0 and 0: exact. */
	const uint64_t *fix_up;
	const uint64_t *fix_down;
	/* NULL, or [nfix]: a bound every reader has on sum j (the earlier
	 * statement's count, which it is part of), UINT64_MAX for none: a
	 * cell over base cells of one such sum cannot move beyond it, so it
	 * needs min(threshold, it), as a row whose whole is known */
	const uint64_t *fix_whole;
	/* NULL, or [nfix]: 1 = every reader knows sum j's value (the
	 * earlier state published the cell it comes from and every cell it
	 * leaves out: report_agg.c, sum_known). Only such a sum, being 0,
	 * says its cells are 0 (known_zeros); the others are kept as sums
	 * only: one fixed by a cell less another that report withheld has a
	 * value no reader has, and publishing its cells as 0 would give it */
	const uint8_t *fix_known;
	uint8_t *need_cut; /* NULL, or [(nrows+1)][(nmonths+nspans)], out: 1
			      = the cell needs less than the threshold by
			      fix_whole alone (the caller refuses to publish
			      it withheld: a reader of the later state's
			      statement alone would want more) */
	/* NULL, or [nmonths + nspans]: 1 = a column no report made from
	 * these figures shows (its period had not ended at --as-of, and a
	 * report of a period not ended is refused: rp_period_ended). A
	 * cell withheld there needs no certificate: no report publishes it
	 * withheld, so there is no reader's interval to keep wide (as
	 * whole_rows_free's). One published there stays fixed, as before. */
	const uint8_t *unshown;
	/* NULL, or [nrows][nmonths]: 1 = a base cell (count 0) every reader
	 * of the earlier reports knows is 0 from several of their sums
	 * (report_agg.c, state_zeros). Taken only in the last pass, where
	 * the cube would otherwise be refused (every cube certified without
	 * it stays as it was): published and pinned there as the pinned
	 * zeros, or, where force withholds it, left withheld needing no
	 * certificate */
	const uint8_t *known0;
	/* NULL, or [(nrows+1)][(nmonths+nspans)]: 1 = a cell no report of
	 * this run shows and no earlier report published or withheld
	 * (report_agg.c, shown): withheld from the start, it needs no
	 * certificate and any direction may move it, as a base cell is
	 * moved (no reader has it). One pinned for another reason (a zero
	 * cell, total_from's published Total) stays as it is */
	const uint8_t *unasked;
	/* NULL, or [nrows]: 1 = a row of a sum every reader knows is, month
	 * by month, at least a count this cube does not hold (the concerns
	 * sealed to others, in an answer's "not known", acknowledged and
	 * feedback "not yet", naming a referral's "none": report_agg.c,
	 * sealed_floor), whatever cap the cube has too */
	const uint8_t *floor_rows;
	/* with floor_rows, [nmonths]: how far that sum may fall in each
	 * month (its true value less that count). A direction over those
	 * rows only, or none of them, moves the sum only with its Total,
	 * which the table holding the count follows (the category's "not
	 * known"): no bound then. Nothing follows a fall past it: a cell it
	 * leaves no certificate fails (ERANGE), the fallback too */
	const uint64_t *floor;
	/* NULL, or [nmonths] with cap_up: how far the capped sum may rise up
	 * to each month, all months to it together (category "not known"
	 * rising takes readable concerns the closures up to later months
	 * bound: report_agg.c, sealed_cap). A certificate rising in month m
	 * keeps it in every month from m; the directions of a combined one
	 * together. Kept with cap_hard too, where the other table follows */
	const uint64_t *cap_upto;
	/* 1: no free combinations (report_sdc_cert.c, protect1) nor Z
	 * directions: the search as before 2026-12-07, for the tables whose
	 * later revisions the cross-state model gives no room for
	 * (report_agg.c, free_table: section 5). Until session 20 a decision
	 * that failed with them was tried again without them (e2e 68's
	 * n=240 seed 118); with the rooms for last rows and span Totals no
	 * casebook tried (make soak's 90, e2e 63's 1,000, e2e 68 under
	 * CANDOUR_SDC_FULL) needed it, and it went */
	int unfree;
	/* Out: on a refusal (ERANGE) after a cell found no certificate, 1
	 * and the last such cell (row, column: nrows for the Total), which
	 * the caller may try published instead (report_agg.c, suppress) */
	int failed;
	uint32_t fail_row, fail_col;
	/* NULL, or [(nrows+1)][(nmonths+nspans)]: 1 = a cell no report of
	 * this run shows whose earlier value only earlier reports published
	 * (report_agg.c, unneeded): withheld (force), it needs no certificate
	 * of its own, and moves as any withheld cell (what the earlier
	 * states fix still bounds it). A report that shows it later
	 * certifies it then */
	const uint8_t *unneeded;
	/* NULL, or the other way of keeping what earlier states published
	 * (report_agg.c, moving_sums; SECURITY.md, "A changed cell's earlier
	 * value moving with it"): sets over base cells as fix_off's, each
	 * kept exactly, over every base cell of a cell an earlier state's
	 * reports published, changed since or not, and of its statement's
	 * count. A cell the fixed sums leave no certificate may take one
	 * direction that keeps these instead: the earlier value of each
	 * changed cell it moves moving with the value now, every earlier
	 * figure holds. Only for a cube with no slack, lag, cap or floor
	 * (relations between tables each state has with its own values);
	 * each base cell falls at most to mv_low (its least value in this
	 * state and every earlier one), and none of a month outside
	 * [mv_first, mv_last] moves (a month an earlier state did not hold:
	 * its values there are known) */
	const uint32_t *mv_off; /* [nmv + 1] */
	const uint32_t *mv_cell;
	uint32_t nmv;
	const uint64_t *mv_low; /* [nrows][nmonths] */
	uint32_t mv_first, mv_last;
	/* NULL, or [(nrows+1)][(nmonths+nspans)], in and out: 1 = a cell
	 * earlier reports published only with another value than it has now
	 * (revised), which only that withholds (force). Where every reader
	 * has its value now (known_sums: a sum of cells they have), it is
	 * published instead, and set to 2: withheld, it would hide nothing
	 * and claim a protection it has not (e2e 68's three states with none
	 * sealed: C's 2025 Total, revised since B's 2025, withheld though its
	 * four quarters were published, and the statement's count beside it) */
	uint8_t *revised;
	/* NULL, or the earlier values of changed cells, each its own
	 * unknown (report_agg.c, ghosts; SECURITY.md, "A changed cell's
	 * earlier value on its own"): ghost g is base cell gh_cell[g] as
	 * earlier state gh_state[g] held it, gh_val[g]. The fixed sums take
	 * it as a constant; the relation it came from is that sum plus its
	 * ghosts: fixed sum j's are gh_in[gh_off[j]..gh_off[j + 1] - 1]. A
	 * cell no other way certifies may take, last, directions that leave
	 * some fixed sums changed by the same amount where one ghost, moving
	 * the other way, makes every one of them whole: the ghost falls at
	 * most to 0, its state's month Totals stay as they were (the cells
	 * unchanged in it, gh_same [states][nrows * nmonths], move with this
	 * state's), and with a cap its capped sum falls (cap_up 0) at most
	 * by gh_gap [states][nmonths] in that state. Only where a ghost's
	 * every relation is such a sum (report_agg.c leaves out the others) */
	uint32_t ngh;
	const uint32_t *gh_cell; /* [ngh] r * nmonths + m */
	const uint64_t *gh_val;	 /* [ngh] */
	const uint32_t *gh_state;
	const uint32_t *gh_off;	 /* [nfix + 1] */
	const uint32_t *gh_in;
	const uint8_t *gh_same;
	const uint64_t *gh_gap; /* NULL without a cap */
	uint32_t gh_nstates;
};

/* With total_known and a Total V over all months below the threshold, no
 * cell can move more than V: withheld cells are then protected over
 * min(threshold, V), the whole of what the published V allows.
 *
 * total_from must be the Total row pattern sdc_suppress gave a cube with
 * the same months, spans and Total values (another measure of the same
 * population); the column rule in report_sdc.c is what makes the two
 * safe together.
 *
 * Fills c->hide so that every cell with a value 1..threshold is withheld
 * and no withheld cell can be narrowed, by linear reasoning over all
 * published cells of the cube, to an interval narrower than threshold.
 * Deterministic. Returns 0, or -1 with errno EINVAL (bad input, including
 * a total_from that publishes a Total cell of 1..threshold other than the
 * known Total over all months), ENOMEM, or
 * ERANGE (total_from forces so much to be published that some cell cannot
 * be protected, or a cap without cap_moved leaves it no room, or a known
 * cell cannot be kept or leaves some cell no certificate), or EINVAL for a zero cell whose count is not 0 or both
 * slack and lag given. On -1 after the sizes were checked, every cell of c->hide
 * is set to 1: failing closed. */
int sdc_suppress(struct sdc_cube *c, unsigned threshold);

/* Sums of sets of cells (each a count >= 0) a reader knows exactly, and
 * the cells they make 0 together (report_sdc_zero.c). sdc_sums_new:
 * cells 0..ncells-1, NULL on ENOMEM; sdc_sums_add: one more (n cells
 * in[], their sum), 0 or -1 (ENOMEM); sdc_sums_zeros: sets zero[k] for
 * every cell k some combination makes 0, 0 or -1 (ENOMEM). */
#define SDC_SUMS_MAX 1024 /* sets weighed, those given and those found */
struct sdc_sums;
struct sdc_sums *sdc_sums_new(uint32_t ncells);
int sdc_sums_add(struct sdc_sums *z, const uint32_t *cells, uint32_t n, uint64_t sum);
int sdc_sums_zeros(struct sdc_sums *z, uint8_t *zero);
void sdc_sums_free(struct sdc_sums *z);

#endif
