/* rng.h: explicitly seeded random streams.
 *
 * Every random quantity in edgetune is drawn from an et_rng seeded from the
 * scenario seed and a stream id that names its purpose and owner (see
 * et_rng_stream_id). Streams never share state, so adding draws to one
 * purpose does not shift another, and runs are reproducible bit for bit.
 * Generator: xoshiro256** (Blackman & Vigna 2018), state expanded from the
 * (seed, stream) pair by splitmix64. */
#ifndef ET_RNG_H
#define ET_RNG_H

#include <stdint.h>

#include "edgetune_export.h"

ET_API_BEGIN

typedef struct et_rng {
    uint64_t s[4];
    int has_spare_normal; /* Box-Muller produces normals in pairs */
    double spare_normal;
} et_rng;

/* Purposes of random streams; combined with an owner index (UE id). */
typedef enum et_rng_purpose {
    ET_RNG_TASKS = 1,     /* task sizes, epochs, difficulty, gaps */
    ET_RNG_MOBILITY = 2,  /* waypoints, speeds, Gauss-Markov noise */
    ET_RNG_SHADOWING = 3, /* log-normal shadowing process */
    ET_RNG_FADING = 4,    /* small-scale fading samples */
    ET_RNG_POLICY = 5,    /* stochastic policies (random baseline, sampling) */
    ET_RNG_PLATFORM = 6,  /* platform generator: device classes and positions */
    ET_RNG_TRAINING = 7,  /* network initialisation, minibatch shuffling */
} et_rng_purpose;

/* Stream id for (purpose, owner); owner is a UE index or 0. */
static inline uint64_t et_rng_stream_id(et_rng_purpose purpose, uint64_t owner)
{
    return ((uint64_t)purpose << 40) ^ owner;
}

/* Seeds rng from (seed, stream). Distinct pairs give independent streams. */
void et_rng_seed(et_rng *rng, uint64_t seed, uint64_t stream);

/* Next raw 64-bit value. */
uint64_t et_rng_u64(et_rng *rng);

/* Uniform double in the open interval (0, 1). */
double et_rng_uniform(et_rng *rng);

/* Uniform double in [lo, hi). */
double et_rng_range(et_rng *rng, double lo, double hi);

/* Uniform integer in [0, n); n >= 1. Unbiased (Lemire's method). */
uint32_t et_rng_below(et_rng *rng, uint32_t n);

/* Standard normal N(0, 1) (Box-Muller). */
double et_rng_normal(et_rng *rng);

/* Exponential with the given mean (mean > 0). */
double et_rng_exponential(et_rng *rng, double mean);

/* Gamma(shape, 1), shape > 0 (Marsaglia & Tsang 2000). */
double et_rng_gamma(et_rng *rng, double shape);

/* Beta(a, b), a > 0, b > 0, as a ratio of gammas. */
double et_rng_beta(et_rng *rng, double a, double b);

ET_API_END

#endif
