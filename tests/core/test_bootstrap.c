/* test_bootstrap.c: a study's statistics and their stratified-bootstrap intervals
 * (src/core/bootstrap.h).
 *
 * Pins: the quantile, the interquartile mean and the probability of improvement against hand
 * values and a brute-force twin written here; the stratified interval of a mean against the
 * exact bootstrap distribution of a 2 x 2 table, enumerated by hand; that an interval covers
 * the variation between runs (seeds) and not only between episodes; that a one-run table's
 * interval is the episodes' (close to normal theory); that a statistic depends on its data
 * alone (fixed seed, reseeded per call); and that bad sizes are errors. */
#include "bootstrap.h"
#include "et_test.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static et_boot *make_boot(int reps, int runs, int episodes, uint64_t seed)
{
    et_boot *b = NULL;
    et_error err;
    et_status st = et_boot_create(reps, runs, episodes, seed, &b, &err);
    if (st != ET_OK) fprintf(stderr, "create: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(st, ET_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    return b;
}

static void quantile_interpolates_between_order_statistics(void)
{
    const double v[4] = {1, 2, 3, 4};
    CU_ASSERT_DOUBLE_EQUAL(et_boot_quantile(v, 4, 0.0), 1.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(et_boot_quantile(v, 4, 1.0), 4.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(et_boot_quantile(v, 4, 0.5), 2.5, 1e-12);
    /* Position 0.025 x 3 = 0.075 and 0.975 x 3 = 2.925 (NumPy's default, type 7). */
    CU_ASSERT_DOUBLE_EQUAL(et_boot_quantile(v, 4, 0.025), 1.075, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(et_boot_quantile(v, 4, 0.975), 3.925, 1e-12);
    const double one[1] = {7};
    CU_ASSERT_DOUBLE_EQUAL(et_boot_quantile(one, 1, 0.3), 7.0, 1e-12);
}

static void iqm_cuts_a_quarter_from_each_end(void)
{
    /* n = 8: 2 cut from each end, the mean of 3, 4, 5, 6. */
    double a[8] = {8, 1, 7, 2, 6, 3, 5, 4};
    CU_ASSERT_DOUBLE_EQUAL(et_boot_iqm_of(a, 8), 4.5, 1e-12);
    /* An outlier does not move it. */
    double b[8] = {1000, 1, 7, 2, 6, 3, 5, 4};
    CU_ASSERT_DOUBLE_EQUAL(et_boot_iqm_of(b, 8), 4.5, 1e-12);
    /* n = 10: floor(2.5) = 2 cut, the mean of 3 .. 8. */
    double c[10] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    CU_ASSERT_DOUBLE_EQUAL(et_boot_iqm_of(c, 10), 5.5, 1e-12);
    /* n = 5: one cut from each end; n = 3: none, the plain mean. */
    double d[5] = {-100, 1, 2, 3, 100};
    CU_ASSERT_DOUBLE_EQUAL(et_boot_iqm_of(d, 5), 2.0, 1e-12);
    double e[3] = {1, 2, 6};
    CU_ASSERT_DOUBLE_EQUAL(et_boot_iqm_of(e, 3), 3.0, 1e-12);
}

/* P(X > Y) written the slow way, straight from its definition, for the twin check. */
static double improvement_twin(const double *x, int nx, const double *y, int ny, int E)
{
    double total = 0.0;
    for (int e = 0; e < E; e++) {
        double wins = 0.0;
        for (int i = 0; i < nx; i++)
            for (int j = 0; j < ny; j++) {
                double a = x[i * E + e], b = y[j * E + e];
                if (a > b) wins += 1.0;
                if (a == b) wins += 0.5;
            }
        total += wins / (nx * ny);
    }
    return total / E;
}

static void probability_of_improvement_counts_pairs_and_ties(void)
{
    /* x: 2 runs x 2 episodes; y: one run. Episode 0: 3 < 4, 5 > 4: 1/2. Episode 1: 1 < 2,
     * 2 = 2 (a tie, one half): 1/4. The mean: 3/8. */
    const double x[4] = {3, 1, 5, 2}, y[2] = {4, 2};
    CU_ASSERT_DOUBLE_EQUAL(et_boot_improvement_of(x, 2, y, 1, 2), 0.375, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(et_boot_improvement_of(y, 1, x, 2, 2), 0.625, 1e-12);
    /* Random tables against the twin. */
    et_rng rng;
    et_rng_seed(&rng, 5, 0);
    double xa[4 * 7], ya[3 * 7];
    for (int trial = 0; trial < 20; trial++) {
        for (int k = 0; k < 4 * 7; k++)
            xa[k] = (double)et_rng_below(&rng, 5); /* small integers: ties happen */
        for (int k = 0; k < 3 * 7; k++)
            ya[k] = (double)et_rng_below(&rng, 5);
        CU_ASSERT_DOUBLE_EQUAL(et_boot_improvement_of(xa, 4, ya, 3, 7),
                               improvement_twin(xa, 4, ya, 3, 7), 1e-12);
    }
}

static void mean_interval_matches_the_exact_bootstrap_distribution(void)
{
    /* Runs {0, 1} and {10, 13}. A stratified resample draws a run and two of its episodes,
     * twice: 2^6 = 64 equally likely outcomes. The smallest mean, 0 (run 0 twice, episode 0
     * four times), has probability 1/64 < 2.5%; the next, 1/4 (one episode 1 among the
     * four), brings the total to 1/64 + 4/64 > 2.5%: the 2.5% quantile is 0.25. Likewise
     * the largest, 13, has 1/64, and (3 x 13 + 10) / 4 = 12.25 takes it past 2.5%. */
    const double x[4] = {0, 1, 10, 13};
    et_boot *b = make_boot(ET_BOOT_REPS, 2, 2, ET_BOOT_SEED);
    et_boot_ci ci;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_boot_mean(b, x, 2, 2, &ci, &err), ET_OK);
    CU_ASSERT_DOUBLE_EQUAL(ci.value, 6.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(ci.lo, 0.25, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(ci.hi, 12.25, 1e-12);
    et_boot_destroy(b);
}

static void interval_covers_the_seeds_not_only_the_episodes(void)
{
    /* Two runs (seeds) whose 20 episodes agree within each run: one scores 0 everywhere, the
     * other 10. Resampling the runs gives a mean of 0, 5 or 10 with probability 1/4, 1/2,
     * 1/4: the interval is [0, 10]. Pooling the 40 values as if they were one run's episodes
     * would give about 5 +- 1.6. */
    enum { E = 20 };
    double x[2 * E];
    for (int e = 0; e < E; e++) {
        x[e] = 0.0;
        x[E + e] = 10.0;
    }
    et_boot *b = make_boot(ET_BOOT_REPS, 2, 2 * E, ET_BOOT_SEED);
    et_boot_ci seeds, pooled;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_boot_mean(b, x, 2, E, &seeds, &err), ET_OK);
    CU_ASSERT_DOUBLE_EQUAL(seeds.value, 5.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(seeds.lo, 0.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(seeds.hi, 10.0, 1e-12);
    CU_ASSERT_EQUAL_FATAL(et_boot_mean(b, x, 1, 2 * E, &pooled, &err), ET_OK);
    CU_ASSERT(pooled.hi - pooled.lo < 4.0);
    CU_ASSERT(pooled.lo > 2.5 && pooled.hi < 7.5);
    et_boot_destroy(b);
}

static void one_run_interval_is_the_episodes_and_close_to_normal_theory(void)
{
    /* 400 episodes of a uniform variable on [0, 12): sd about sqrt(12), so the mean's 95%
     * interval is about +- 1.96 x 3.46 / 20 = +- 0.34. */
    enum { E = 400 };
    double x[E], s = 0.0, s2 = 0.0;
    et_rng rng;
    et_rng_seed(&rng, 11, 0);
    for (int e = 0; e < E; e++) {
        x[e] = 12.0 * et_rng_uniform(&rng);
        s += x[e];
    }
    double mean = s / E;
    for (int e = 0; e < E; e++)
        s2 += (x[e] - mean) * (x[e] - mean);
    double half = 1.96 * sqrt(s2 / (E - 1)) / sqrt((double)E);
    et_boot *b = make_boot(ET_BOOT_REPS, 1, E, ET_BOOT_SEED);
    et_boot_ci ci;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_boot_mean(b, x, 1, E, &ci, &err), ET_OK);
    CU_ASSERT_DOUBLE_EQUAL(ci.value, mean, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL((ci.hi - ci.lo) / 2.0, half, 0.1 * half);
    CU_ASSERT_DOUBLE_EQUAL((ci.hi + ci.lo) / 2.0, mean, 0.1 * half);
    et_boot_destroy(b);
}

static void constant_and_dominating_tables_give_degenerate_intervals(void)
{
    double c[3 * 4], lo[3 * 4], hi[2 * 4];
    for (int k = 0; k < 12; k++) {
        c[k] = -7.5;
        lo[k] = (double)k;
    }
    for (int k = 0; k < 8; k++)
        hi[k] = 100.0 + k;
    et_boot *b = make_boot(500, 3, 4, 3);
    et_boot_ci ci;
    et_error err;
    CU_ASSERT_EQUAL(et_boot_mean(b, c, 3, 4, &ci, &err), ET_OK);
    CU_ASSERT(ci.value == -7.5 && ci.lo == -7.5 && ci.hi == -7.5);
    CU_ASSERT_EQUAL(et_boot_iqm(b, c, 3, 4, &ci, &err), ET_OK);
    CU_ASSERT(ci.value == -7.5 && ci.lo == -7.5 && ci.hi == -7.5);
    /* Better on every pair of every episode: 1, whatever is resampled; against itself: 1/2. */
    CU_ASSERT_EQUAL(et_boot_improvement(b, hi, 2, lo, 3, 4, &ci, &err), ET_OK);
    CU_ASSERT(ci.value == 1.0 && ci.lo == 1.0 && ci.hi == 1.0);
    CU_ASSERT_EQUAL(et_boot_improvement(b, lo, 3, lo, 3, 4, &ci, &err), ET_OK);
    CU_ASSERT_DOUBLE_EQUAL(ci.value, 0.5, 1e-12);
    CU_ASSERT(ci.lo < 0.5 && ci.hi > 0.5);
    et_boot_destroy(b);
}

static void iqm_interval_brackets_its_value_and_ignores_an_outlier_run(void)
{
    /* Five runs of 8 episodes around 0, one of them far off: the mean moves, the IQM hardly. */
    enum { R = 5, E = 8 };
    double x[R * E];
    et_rng rng;
    et_rng_seed(&rng, 2, 0);
    for (int k = 0; k < R * E; k++)
        x[k] = et_rng_range(&rng, -1.0, 1.0) + (k >= 4 * E ? 50.0 : 0.0);
    et_boot *b = make_boot(ET_BOOT_REPS, R, E, ET_BOOT_SEED);
    et_boot_ci mean, iqm;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_boot_mean(b, x, R, E, &mean, &err), ET_OK);
    CU_ASSERT_EQUAL_FATAL(et_boot_iqm(b, x, R, E, &iqm, &err), ET_OK);
    CU_ASSERT(mean.value > 9.0);
    CU_ASSERT(fabs(iqm.value) < 1.0);
    CU_ASSERT(iqm.lo <= iqm.value && iqm.value <= iqm.hi);
    CU_ASSERT(mean.lo <= mean.value && mean.value <= mean.hi);
    et_boot_destroy(b);
}

static void a_statistic_depends_on_its_data_alone(void)
{
    double x[3 * 5], y[2 * 5];
    et_rng rng;
    et_rng_seed(&rng, 9, 0);
    for (int k = 0; k < 15; k++)
        x[k] = et_rng_normal(&rng);
    for (int k = 0; k < 10; k++)
        y[k] = et_rng_normal(&rng);
    et_boot *b = make_boot(ET_BOOT_REPS, 3, 5, ET_BOOT_SEED);
    et_boot_ci first, again, between;
    et_error err;
    CU_ASSERT_EQUAL(et_boot_mean(b, x, 3, 5, &first, &err), ET_OK);
    CU_ASSERT_EQUAL(et_boot_improvement(b, x, 3, y, 2, 5, &between, &err), ET_OK);
    CU_ASSERT_EQUAL(et_boot_iqm(b, y, 2, 5, &between, &err), ET_OK);
    CU_ASSERT_EQUAL(et_boot_mean(b, x, 3, 5, &again, &err), ET_OK);
    CU_ASSERT(memcmp(&first, &again, sizeof first) == 0);
    /* Another bootstrap seed: the same value, another (close) interval. */
    et_boot *other = make_boot(ET_BOOT_REPS, 3, 5, ET_BOOT_SEED + 1);
    CU_ASSERT_EQUAL(et_boot_mean(other, x, 3, 5, &again, &err), ET_OK);
    CU_ASSERT(again.value == first.value);
    CU_ASSERT(again.lo != first.lo || again.hi != first.hi);
    CU_ASSERT_DOUBLE_EQUAL(again.lo, first.lo, 0.3);
    et_boot_destroy(other);
    et_boot_destroy(b);
}

static void bad_sizes_are_errors(void)
{
    et_boot *b = NULL;
    et_error err;
    CU_ASSERT_EQUAL(et_boot_create(5, 3, 4, 1, &b, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NULL(b);
    CU_ASSERT_EQUAL(et_boot_create(100, 0, 4, 1, &b, &err), ET_ERR_INPUT);
    b = make_boot(100, 3, 4, 1);
    double x[5 * 5] = {0};
    et_boot_ci ci;
    CU_ASSERT_EQUAL(et_boot_mean(b, x, 0, 4, &ci, &err), ET_ERR_INPUT);
    CU_ASSERT_EQUAL(et_boot_mean(b, x, 4, 4, &ci, &err), ET_ERR_INPUT);
    CU_ASSERT(strstr(err.msg, "4 runs x 4 episodes") != NULL);
    CU_ASSERT_EQUAL(et_boot_iqm(b, x, 3, 5, &ci, &err), ET_ERR_INPUT);
    CU_ASSERT_EQUAL(et_boot_improvement(b, x, 3, x, 5, 4, &ci, &err), ET_ERR_INPUT);
    et_boot_destroy(b);
    et_boot_destroy(NULL);
}

/* The Student t interval: the table's quantiles, 1.96 beyond it, and a mean's half-width of
 * t(n - 1) s / sqrt(n) worked by hand; NaN where it is undefined. */
static void student_interval_is_t_times_the_standard_error(void)
{
    CU_ASSERT_DOUBLE_EQUAL(et_student_t95(1), 12.706, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(et_student_t95(4), 2.776, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(et_student_t95(30), 2.042, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(et_student_t95(31), 1.96, 1e-12);
    CU_ASSERT(isnan(et_student_t95(0)));
    /* 2, 4, 4, 4, 5: mean 3.8, sample variance 4.8 / 4 = 1.2 */
    const double x[5] = {2, 4, 4, 4, 5};
    double mean, half;
    et_student_mean_ci(x, 5, &mean, &half);
    CU_ASSERT_DOUBLE_EQUAL(mean, 3.8, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(half, 2.776 * sqrt(1.2 / 5.0), 1e-12);
    et_student_mean_ci(x, 1, &mean, &half);
    CU_ASSERT_DOUBLE_EQUAL(mean, 2.0, 1e-12);
    CU_ASSERT(isnan(half));
    et_student_mean_ci(x, 0, &mean, &half);
    CU_ASSERT(isnan(mean) && isnan(half));
}

int main(void)
{
    static const et_test_case cases[] = {
        {"quantile_interpolates_between_order_statistics",
         quantile_interpolates_between_order_statistics},
        {"iqm_cuts_a_quarter_from_each_end", iqm_cuts_a_quarter_from_each_end},
        {"probability_of_improvement_counts_pairs_and_ties",
         probability_of_improvement_counts_pairs_and_ties},
        {"mean_interval_matches_the_exact_bootstrap_distribution",
         mean_interval_matches_the_exact_bootstrap_distribution},
        {"interval_covers_the_seeds_not_only_the_episodes",
         interval_covers_the_seeds_not_only_the_episodes},
        {"one_run_interval_is_the_episodes_and_close_to_normal_theory",
         one_run_interval_is_the_episodes_and_close_to_normal_theory},
        {"constant_and_dominating_tables_give_degenerate_intervals",
         constant_and_dominating_tables_give_degenerate_intervals},
        {"iqm_interval_brackets_its_value_and_ignores_an_outlier_run",
         iqm_interval_brackets_its_value_and_ignores_an_outlier_run},
        {"a_statistic_depends_on_its_data_alone", a_statistic_depends_on_its_data_alone},
        {"bad_sizes_are_errors", bad_sizes_are_errors},
        {"student_interval_is_t_times_the_standard_error",
         student_interval_is_t_times_the_standard_error},
        {NULL, NULL},
    };
    return et_test_main("bootstrap", cases);
}
