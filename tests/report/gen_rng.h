/*
 * The seeded generator both property-test drivers (sdc_gen, rp_gen) draw
 * from: splitmix64, so a failing case replays from its seed alone. Not for
 * anything secret.
 */
#ifndef CANDOUR_TESTS_REPORT_GEN_RNG_H
#define CANDOUR_TESTS_REPORT_GEN_RNG_H

#include <stdint.h>

static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A draw in 0 .. n-1 (n > 0). */
static uint32_t
below(uint32_t n)
{
	return (uint32_t)(rng() % n);
}

#endif
