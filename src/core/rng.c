/* M_PI is not part of strict C11; glibc exposes it under _DEFAULT_SOURCE. */
#define _DEFAULT_SOURCE

#include "rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void et_rng_seed(et_rng *rng, uint64_t seed, uint64_t stream)
{
    /* Mix the stream id through splitmix64 before combining so that nearby
     * (seed, stream) pairs land far apart. */
    uint64_t mix = stream;
    uint64_t x = seed ^ splitmix64(&mix);
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&x);
    rng->has_spare_normal = 0;
    rng->spare_normal = 0.0;
}

uint64_t et_rng_u64(et_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double et_rng_uniform(et_rng *rng)
{
    /* 53 random bits, shifted by half a step so 0 and 1 never occur. */
    return ((double)(et_rng_u64(rng) >> 11) + 0.5) * 0x1.0p-53;
}

double et_rng_range(et_rng *rng, double lo, double hi)
{
    return lo + (hi - lo) * (et_rng_uniform(rng) - 0x1.0p-54);
}

uint32_t et_rng_below(et_rng *rng, uint32_t n)
{
    uint64_t m = (uint64_t)(uint32_t)(et_rng_u64(rng) >> 32) * n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t threshold = (uint32_t)(-n) % n;
        while (low < threshold) {
            m = (uint64_t)(uint32_t)(et_rng_u64(rng) >> 32) * n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

double et_rng_normal(et_rng *rng)
{
    if (rng->has_spare_normal) {
        rng->has_spare_normal = 0;
        return rng->spare_normal;
    }
    double u1 = et_rng_uniform(rng), u2 = et_rng_uniform(rng);
    double r = sqrt(-2.0 * log(u1));
    double theta = 2.0 * M_PI * u2;
    rng->spare_normal = r * sin(theta);
    rng->has_spare_normal = 1;
    return r * cos(theta);
}

double et_rng_exponential(et_rng *rng, double mean)
{
    return -mean * log(et_rng_uniform(rng));
}

double et_rng_gamma(et_rng *rng, double shape)
{
    if (shape < 1.0) {
        /* Boost: Gamma(a) = Gamma(a + 1) * U^(1/a). */
        double u = et_rng_uniform(rng);
        return et_rng_gamma(rng, shape + 1.0) * pow(u, 1.0 / shape);
    }
    double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x = et_rng_normal(rng), v = 1.0 + c * x;
        if (v <= 0.0) continue;
        v = v * v * v;
        double u = et_rng_uniform(rng);
        if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
        if (log(u) < 0.5 * x * x + d * (1.0 - v + log(v))) return d * v;
    }
}

double et_rng_beta(et_rng *rng, double a, double b)
{
    double x = et_rng_gamma(rng, a), y = et_rng_gamma(rng, b);
    return x / (x + y);
}
