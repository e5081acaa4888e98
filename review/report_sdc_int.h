/* review/report_sdc_int.h - what report_sdc.c (the suppression) and
 * report_sdc_cert.c (the certificate search) share; nothing else includes
 * it. */
#ifndef CANDOUR_REPORT_SDC_INT_H
#define CANDOUR_REPORT_SDC_INT_H

#include <stddef.h>
#include <stdint.h>

#include "review/report_sdc.h"

#define SDC_INF UINT64_MAX
#define SDC_MAX_COMBO 64 /* directions in one combined certificate */
/* Directions the free combinations (report_sdc_cert.c, protect1) may
 * weigh for one cube, apart from SDC_MAX_VISITS: past it no cell is
 * offered one again and the search goes on as without them, so a cube
 * never falls back for their sake. */
#define SDC_FREE_VISITS 1000000

struct sdc_term {
	uint32_t r, m;
	int sign;
};

struct sdc_dir {
	struct sdc_term t[4];
	unsigned n;
};

/* Sets over base cells turned round (report_sdc.c, sets_setup): the sets
 * holding each base cell, with the search's scratch. */
struct sdc_sets {
	uint32_t n;	      /* sets */
	uint32_t *off;	      /* [R * M + 1] CSR offsets into set: the */
	uint32_t *set;	      /* sets holding each base cell */
	int32_t *acc;	      /* [n] scratch, all zero between uses */
	uint32_t *hit;	      /* [n] scratch list of sets with acc set */
	uint8_t *in;	      /* [n] scratch: 1 = in hit */
	const uint64_t *up;   /* the caller's fix_up, fix_down, or NULL */
	const uint64_t *down;
	uint64_t *ttaken; /* [n] with up: what a combined certificate's */
	uint64_t *btaken; /* directions took of each sum's rise, fall */
};

struct sdc_ctx {
	uint32_t R, M, S, ncols;
	size_t ncells;
	unsigned thr;
	uint64_t need;	 /* the width a certificate must give: thr, or the
			    known Total over all months when smaller */
	uint64_t rneed[SDC_MAX_ROWS + 1]; /* per row: need, or less where the
					     row's whole is known (row_known) */
	int rowneed;			  /* 1: rneed is not need everywhere */
	uint64_t visits; /* directions weighed so far (SDC_MAX_VISITS) */
	int over;	 /* the search stopped at SDC_MAX_VISITS */
	const struct sdc_span *spans;
	const uint64_t *slack; /* the caller's slack or lag, or NULL */
	int late;	       /* 1: it is a lag (report_sdc.h) */
	uint8_t *lag_moved;    /* the caller's, or NULL */
	uint8_t *slack_moved;  /* the caller's, or NULL */
	uint64_t *rmin;	       /* [M][M]: min of slack[a..b] at a * M + b, b >= a */
	const uint64_t *cut;   /* the caller's slack_cut, or NULL */
	uint64_t *rmin_cut;    /* [M][M] with cut: as rmin, of cut */
	int cutting;	       /* 1: the search runs with cut as its slack */
	int ell;	       /* 1: the search weighs L directions too (three
				  terms: report_sdc_cert.c), the last pass
				  before a refusal (report_sdc.c) */
	uint64_t *taken;       /* [M] with a slack: what a combined certificate's
				  directions took of it, zero between uses */
	const uint8_t *cap_rows; /* the caller's cap (report_sdc.h), or NULL */
	const uint64_t *cap;
	int cap_up;
	const uint64_t *cap_lead;
	uint64_t *ctaken; /* [M] with a cap: as taken, of the cap */
	uint64_t *ltaken; /* [M] with a cap: as taken, of cap_lead */
	uint8_t *cap_moved; /* the caller's, or NULL */
	const uint64_t *cap_hard; /* the caller's, or NULL */
	const uint8_t *floor_rows; /* the caller's floor (report_sdc.h), or NULL */
	const uint64_t *floor;
	uint64_t *ftaken; /* [M] with a floor: as taken, of it */
	const uint64_t *cap_upto; /* the caller's, or NULL */
	int uncapped;	    /* 1: the search runs without the cap (cap_hard,
			       if any, in its place): cap_mark marks */
	uint64_t *val;	       /* [ncells] every cell's true value */
	uint8_t *hide;	       /* the caller's output */
	uint8_t *cert;	       /* [ncells] 1 = withheld and certified */
	uint8_t *pinned;       /* [ncells] 1 = must stay published (total_from) */
	int columns;	       /* 1: the column rule applies (report_sdc.c) */
	size_t kheld;	       /* known cells above 0 the cube does not pin
				  itself (report_sdc.c, known_pin) */
	const uint8_t *unshown; /* sdc_cube.unshown */
	const uint8_t *unasked; /* sdc_cube.unasked */
	const uint8_t *unneeded; /* sdc_cube.unneeded */
	uint8_t *kzero;	       /* NULL, or [ncells] with known: 1 = known to be 0
				  from a known cell of 0 (report_sdc.c,
				  known_zeros): needs no certificate */
	uint8_t *follow;       /* [ncells] 1 = the column's Total for any reader
				  (report_sdc.c, zero_follow): certified by it */
	uint32_t *moff;	       /* [M+1] CSR offsets into mspan */
	uint32_t *mspan;       /* spans holding each month */
	int32_t *coef;	       /* [ncells] scratch, all zero between uses */
	uint32_t *touched;     /* [ncells] scratch list of cells with coef set */
	uint8_t *listed;       /* [ncells] scratch: 1 = in touched */
	size_t ntouched;
	uint8_t *used; /* [ncells] scratch for combine, zero between uses */
	struct sdc_sets fs;  /* the caller's fixed sums (report_sdc.h, fix_off) */
	uint64_t *cneed;     /* NULL, or [ncells]: need per cell (fix_whole) */
	/* the moving sums (report_sdc.h, mv_off), held as the fixed sums
	 * (up, down and their taken NULL: every one exact), and put in
	 * their place by sdc_protect's last try */
	struct sdc_sets ms;
	const uint64_t *mvlow;
	uint32_t mvfirst, mvlast;
	int moving; /* 1: that try runs (width, protect1) */
	/* the ghosts (report_sdc.h, gh_cell), the fixed sums holding each
	 * (gz: ghost g in place of a base cell), what a combined
	 * certificate's directions took of each one's fall (gtaken) and of
	 * each state's cap (gctaken [states][M]), and 1 in ghosting while
	 * sdc_protect's last try runs with them */
	const struct sdc_cube *gc;
	struct sdc_sets gz;
	uint64_t *gtaken, *gctaken;
	int ghost_ok; /* 1: sdc_suppress's run with the ghosts */
	int ghosting;
	uint32_t *nz;  /* base cells (r * M + m) with a count above 0, in order */
	size_t nnz;
	struct sdc_dir combo[SDC_MAX_COMBO];
	unsigned ncombo;
	int zed;	  /* 1: a free combination is sought (Z directions too) */
	uint64_t zvisits; /* directions the free combinations weighed */
	int zover;	  /* SDC_FREE_VISITS reached: no more of them */
	int certfail;	  /* certify_all found a cell without a certificate */
	uint32_t frow, fcol; /* the last such cell */
};

static inline size_t
sdc_cell(const struct sdc_ctx *x, uint32_t r, uint32_t col)
{
	return (size_t)r * x->ncols + col;
}

/* The width cell c's certificate must give (row_known, report_sdc.h). */
static inline uint64_t
sdc_need(const struct sdc_ctx *x, size_t c)
{
	if (x->cneed != NULL)
		return x->cneed[c];
	return x->rowneed ? x->rneed[c / x->ncols] : x->need; /* no division in the search */
}

/* Certifies withheld cell (tr, tc), withholding what that takes (every
 * cell the chosen directions move). Returns 0, or -1 when no certificate
 * was found (x->over set when the search stopped at SDC_MAX_VISITS). */
int sdc_protect(struct sdc_ctx *x, uint32_t tr, uint32_t tc);

#endif
