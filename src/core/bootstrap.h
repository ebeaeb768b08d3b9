/* bootstrap.h: a study's statistics: intervals by stratified bootstrap (rliable-style), and
 * the Student t interval of a mean (et_student_mean_ci).
 *
 * A policy's results are a table x of runs x episodes, row-major (x[r * episodes + e]): one
 * row per training seed (one row for a baseline), one column per evaluation episode, the same
 * episodes for every policy. The statistics are those of Agarwal et al. 2021 ("Deep
 * reinforcement learning at the edge of the statistical precipice") and their library
 * rliable, with the evaluation episodes in the place of its tasks:
 *
 *   mean      the mean over every run and episode;
 *   IQM       the interquartile mean of the pooled runs x episodes values: the mean of what is
 *             left once floor(n / 4) values are cut from each end of the n sorted values
 *             (scipy's trim_mean(x, 0.25), which rliable uses);
 *   P(X > Y)  the probability of improvement: on each episode, the share of (run of X, run
 *             of Y) pairs in which X scores higher, ties counting one half, averaged over the
 *             episodes (rliable's Mann-Whitney form).
 *
 * Intervals are 95% percentile intervals (the 2.5% and 97.5% quantiles, linearly
 * interpolated, of reps resampled statistics), stratified: the runs are resampled with
 * replacement, then the episodes within each drawn run (a one-run table resamples its
 * episodes alone). P(X > Y) resamples each policy's runs, then one draw of the episodes that
 * both share, since it compares the two on the same episode. A paired difference is the mean
 * of a difference table (the caller pairs the runs), so its interval includes the variation
 * between seeds as well as between episodes.
 *
 * Every call reseeds its random stream from the seed given at create: a statistic is a
 * function of its data alone, whatever was computed before it, and a table is reproducible.
 * Pure C; no engine. */
#ifndef ET_BOOTSTRAP_H
#define ET_BOOTSTRAP_H

#include <stdint.h>

#include "status.h"

/* The resamples and the seed `edgetune compare` uses. */
#define ET_BOOT_REPS 2000
#define ET_BOOT_SEED 20211207u

/* A statistic and its 95% interval [lo, hi]; NaN when the data hold a NaN. */
typedef struct et_boot_ci {
    double value, lo, hi;
} et_boot_ci;

/* Workspace for tables of at most max_runs x max_episodes values (allocated here, once). */
typedef struct et_boot et_boot;

/* Creates a workspace: reps >= 10 resamples, max_runs, max_episodes >= 1. ET_ERR_INPUT beyond
 * those ranges, ET_ERR_NOMEM. Destroy with et_boot_destroy. */
et_status et_boot_create(int reps, int max_runs, int max_episodes, uint64_t seed, et_boot **out,
                         et_error *err);

/* NULL-safe. */
void et_boot_destroy(et_boot *b);

/* Mean of x (runs x episodes) and its stratified interval. ET_ERR_INPUT when runs or episodes
 * is < 1 or beyond the workspace's maxima. */
et_status et_boot_mean(et_boot *b, const double *x, int runs, int episodes, et_boot_ci *out,
                       et_error *err);

/* Interquartile mean of x's pooled values and its stratified interval. Errors as et_boot_mean. */
et_status et_boot_iqm(et_boot *b, const double *x, int runs, int episodes, et_boot_ci *out,
                      et_error *err);

/* P(X > Y) of x (x_runs x episodes) against y (y_runs x the same episodes) and its interval.
 * Errors as et_boot_mean. */
et_status et_boot_improvement(et_boot *b, const double *x, int x_runs, const double *y, int y_runs,
                              int episodes, et_boot_ci *out, et_error *err);

/* ---- The statistics without resampling (the point values above), for tests and tools ------ */

/* Interquartile mean of v[0 .. n) (n >= 1); sorts v in place (NaNs last, and then a NaN
 * result when one is kept). */
double et_boot_iqm_of(double *v, int n);

/* P(X > Y) as above, of the full tables. */
double et_boot_improvement_of(const double *x, int x_runs, const double *y, int y_runs,
                              int episodes);

/* The q-quantile (0 <= q <= 1) of sorted[0 .. n), n >= 1, interpolated linearly between order
 * statistics at position q (n - 1) (Hyndman and Fan's type 7, NumPy's default). */
double et_boot_quantile(const double *sorted, int n, double q);

/* ---- Student t intervals (no resampling) ---------------------------------------------------- */

/* Two-sided 95% Student t quantile for df degrees of freedom (df >= 1; 1.96 beyond the table
 * of 30; NaN for df < 1). */
double et_student_t95(int df);

/* Mean of x[0 .. n-1] and the half-width of its 95% interval (Student t); NaN half-width for
 * n < 2, NaN mean for n = 0. */
void et_student_mean_ci(const double *x, int n, double *mean, double *half);

#endif
