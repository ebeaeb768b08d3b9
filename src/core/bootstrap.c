/* bootstrap.c: a study's statistics: stratified bootstrap intervals and Student t intervals
 * (see bootstrap.h). */
#include "bootstrap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

struct et_boot {
    int reps, max_runs, max_episodes;
    uint64_t seed;
    double *rep;   /* (reps) one resampled statistic per resample */
    double *pool;  /* (max_runs x max_episodes) a resampled table, pooled (IQM) */
    int *runs_x;   /* (max_runs) drawn runs of the first table */
    int *runs_y;   /* (max_runs) drawn runs of the second table */
    int *episodes; /* (max_episodes) drawn episodes */
};

et_status et_boot_create(int reps, int max_runs, int max_episodes, uint64_t seed, et_boot **out,
                         et_error *err)
{
    *out = NULL;
    if (reps < 10 || reps > 10000000 || max_runs < 1 || max_episodes < 1 ||
        (double)max_runs * max_episodes > 1e8)
        return et_error_set(err, ET_ERR_INPUT,
                            "bootstrap: expected reps in [10, 1e7] and 1 <= runs x episodes <= "
                            "1e8, got %d resamples of %d x %d",
                            reps, max_runs, max_episodes);
    et_boot *b = calloc(1, sizeof *b);
    if (b) {
        b->reps = reps;
        b->max_runs = max_runs;
        b->max_episodes = max_episodes;
        b->seed = seed;
        b->rep = malloc((size_t)reps * sizeof *b->rep);
        b->pool = malloc((size_t)max_runs * (size_t)max_episodes * sizeof *b->pool);
        b->runs_x = malloc((size_t)max_runs * sizeof *b->runs_x);
        b->runs_y = malloc((size_t)max_runs * sizeof *b->runs_y);
        b->episodes = malloc((size_t)max_episodes * sizeof *b->episodes);
    }
    if (!b || !b->rep || !b->pool || !b->runs_x || !b->runs_y || !b->episodes) {
        et_boot_destroy(b);
        return et_error_set(err, ET_ERR_NOMEM, "bootstrap: out of memory for %d resamples", reps);
    }
    *out = b;
    return ET_OK;
}

void et_boot_destroy(et_boot *b)
{
    if (!b) return;
    free(b->rep);
    free(b->pool);
    free(b->runs_x);
    free(b->runs_y);
    free(b->episodes);
    free(b);
}

/* Ascending, NaNs last (a total order, so qsort is well defined on any data). */
static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    if (isnan(a) || isnan(b)) return isnan(a) - isnan(b);
    return (a > b) - (a < b);
}

double et_boot_quantile(const double *sorted, int n, double q)
{
    double h = q * (n - 1);
    int lo = (int)floor(h);
    if (lo >= n - 1) return sorted[n - 1];
    if (lo < 0) return sorted[0];
    return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

double et_boot_iqm_of(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    int cut = n / 4; /* floor(0.25 n) from each end, as scipy's trim_mean */
    double s = 0.0;
    for (int i = cut; i < n - cut; i++)
        s += v[i];
    return s / (n - 2 * cut);
}

/* 1 if a > b, 1/2 if equal, 0 if smaller (NaN when either is). */
static double beats(double a, double b)
{
    if (isnan(a) || isnan(b)) return NAN;
    return a > b ? 1.0 : a == b ? 0.5 : 0.0;
}

double et_boot_improvement_of(const double *x, int x_runs, const double *y, int y_runs,
                              int episodes)
{
    double s = 0.0;
    for (int e = 0; e < episodes; e++)
        for (int i = 0; i < x_runs; i++)
            for (int j = 0; j < y_runs; j++)
                s += beats(x[(size_t)i * episodes + e], y[(size_t)j * episodes + e]);
    return s / ((double)episodes * x_runs * y_runs);
}

static et_status check_table(const et_boot *b, int runs, int episodes, et_error *err)
{
    if (runs < 1 || episodes < 1 || runs > b->max_runs || episodes > b->max_episodes)
        return et_error_set(err, ET_ERR_INPUT,
                            "bootstrap: a table of %d runs x %d episodes; expected 1 to %d runs "
                            "and 1 to %d episodes",
                            runs, episodes, b->max_runs, b->max_episodes);
    return ET_OK;
}

/* The percentile interval of the reps resampled statistics (sorted here). */
static void interval(et_boot *b, double value, et_boot_ci *out)
{
    qsort(b->rep, (size_t)b->reps, sizeof *b->rep, cmp_double);
    out->value = value;
    out->lo = et_boot_quantile(b->rep, b->reps, 0.025);
    out->hi = et_boot_quantile(b->rep, b->reps, 0.975);
    if (isnan(value)) out->lo = out->hi = NAN;
}

/* Draws one stratified resample of x into b->pool: runs with replacement, then, for each drawn
 * run, its episodes with replacement. Draw order: run, then its episodes, run after run. */
static void resample_table(et_boot *b, et_rng *rng, const double *x, int runs, int episodes)
{
    for (int r = 0; r < runs; r++) {
        int run = (int)et_rng_below(rng, (uint32_t)runs);
        for (int e = 0; e < episodes; e++) {
            int ep = (int)et_rng_below(rng, (uint32_t)episodes);
            b->pool[(size_t)r * episodes + e] = x[(size_t)run * episodes + ep];
        }
    }
}

static double mean_of(const double *v, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return s / (double)n;
}

et_status et_boot_mean(et_boot *b, const double *x, int runs, int episodes, et_boot_ci *out,
                       et_error *err)
{
    et_status st = check_table(b, runs, episodes, err);
    if (st != ET_OK) return st;
    size_t n = (size_t)runs * (size_t)episodes;
    et_rng rng;
    et_rng_seed(&rng, b->seed, 0);
    for (int k = 0; k < b->reps; k++) {
        resample_table(b, &rng, x, runs, episodes);
        b->rep[k] = mean_of(b->pool, n);
    }
    interval(b, mean_of(x, n), out);
    return ET_OK;
}

et_status et_boot_iqm(et_boot *b, const double *x, int runs, int episodes, et_boot_ci *out,
                      et_error *err)
{
    et_status st = check_table(b, runs, episodes, err);
    if (st != ET_OK) return st;
    int n = runs * episodes;
    et_rng rng;
    et_rng_seed(&rng, b->seed, 0);
    for (int k = 0; k < b->reps; k++) {
        resample_table(b, &rng, x, runs, episodes);
        b->rep[k] = et_boot_iqm_of(b->pool, n);
    }
    memcpy(b->pool, x, (size_t)n * sizeof *x);
    interval(b, et_boot_iqm_of(b->pool, n), out);
    return ET_OK;
}

et_status et_boot_improvement(et_boot *b, const double *x, int x_runs, const double *y, int y_runs,
                              int episodes, et_boot_ci *out, et_error *err)
{
    et_status st = check_table(b, x_runs, episodes, err);
    if (st == ET_OK) st = check_table(b, y_runs, episodes, err);
    if (st != ET_OK) return st;
    et_rng rng;
    et_rng_seed(&rng, b->seed, 0);
    double pairs = (double)episodes * x_runs * y_runs;
    for (int k = 0; k < b->reps; k++) {
        for (int i = 0; i < x_runs; i++)
            b->runs_x[i] = (int)et_rng_below(&rng, (uint32_t)x_runs);
        for (int j = 0; j < y_runs; j++)
            b->runs_y[j] = (int)et_rng_below(&rng, (uint32_t)y_runs);
        for (int e = 0; e < episodes; e++)
            b->episodes[e] = (int)et_rng_below(&rng, (uint32_t)episodes);
        double s = 0.0;
        for (int e = 0; e < episodes; e++) {
            int ep = b->episodes[e];
            for (int i = 0; i < x_runs; i++)
                for (int j = 0; j < y_runs; j++)
                    s += beats(x[(size_t)b->runs_x[i] * episodes + ep],
                               y[(size_t)b->runs_y[j] * episodes + ep]);
        }
        b->rep[k] = s / pairs;
    }
    interval(b, et_boot_improvement_of(x, x_runs, y, y_runs, episodes), out);
    return ET_OK;
}

double et_student_t95(int df)
{
    static const double t[30] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                                 2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                                 2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                                 2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
    if (df < 1) return NAN;
    return df <= 30 ? t[df - 1] : 1.96;
}

void et_student_mean_ci(const double *x, int n, double *mean, double *half)
{
    double s = 0, s2 = 0;
    for (int i = 0; i < n; i++)
        s += x[i];
    *mean = n > 0 ? s / n : NAN;
    for (int i = 0; i < n; i++)
        s2 += (x[i] - *mean) * (x[i] - *mean);
    *half = n > 1 ? et_student_t95(n - 1) * sqrt(s2 / (n - 1)) / sqrt((double)n) : NAN;
}
