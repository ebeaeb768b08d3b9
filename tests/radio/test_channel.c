/* test_channel.c: path loss (TR 36.814 and TR 38.901), LOS probability and
 * state, SNR, capped Shannon rate, ergodic rate under fading (quadrature, its
 * table and the Monte Carlo reference twin), correlated shadowing, O2I, TDD
 * and FDD carriers, the link-budget calculator, seeding and the Wi-Fi MCS
 * helpers. */
#include "channel.h"
#include "et_test.h"
#include "linkbudget.h"
#include "propagation.h"

#include <math.h>
#include <string.h>

/* The default parameters on the TR 36.814 law (scenario tr36814), the model
 * edgetune had before TR 38.901 and the one the hand values of the tests
 * written for it use; TR 38.901 has tests of its own further down. */
static void tr36814_params(et_channel_params *p)
{
    et_channel_params_default(p);
    p->propagation.scenario = ET_PROPAGATION_TR36814;
}

/* The TR 36.814 parameters with shadowing and fading switched off,
 * so that rates are deterministic functions of distance. */
static et_channel_params deterministic_params(void)
{
    et_channel_params p;
    tr36814_params(&p);
    p.shadowing_std_db = 0.0;
    p.fading = ET_FADING_NONE;
    return p;
}

/* A 23 dBm UE with 10 MHz each way (LTE-like evaluation assumption). */
static const et_ue_radio radio_10mhz = {
    .tx_power_dbm = 23.0, .bandwidth_up_hz = 10e6, .bandwidth_down_hz = 10e6};

/* Reference twin of the Monte Carlo ergodic rate for Rayleigh fading:
 * E[min(log2(1 + snr g), cap)] with g ~ Exp(1), by the midpoint rule after
 * the substitution u = 1 - exp(-g), which maps [0, inf) to [0, 1) with unit
 * density. The integrand is bounded by the cap, so 2e5 points are plenty. */
static double rayleigh_se_by_integration(double snr_db, double cap)
{
    double snr = pow(10.0, snr_db / 10.0);
    const int n = 200000;
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        double u = (i + 0.5) / n;
        double g = -log1p(-u);
        double se = log2(1.0 + snr * g);
        sum += se < cap ? se : cap;
    }
    return sum / n;
}

/* M_PI is not in strict C11. */
static const double pi = 3.14159265358979323846;

/* Independent reference for Rician fading: E[min(log2(1 + snr g), cap)] with
 * g = |sqrt(K) + w|^2 / (K+1), w ~ CN(0, 1) written as r exp(i theta)
 * (r^2 ~ Exp(1), theta uniform), by the midpoint rule over v = 1 - exp(-r^2)
 * and theta in (0, pi) (the integrand is even in theta). It shares nothing
 * with the Bessel-function density the library integrates; against it the
 * error is below 6e-6 at these resolutions (measured). */
static double rician_se_by_integration(double snr_db, double k_db, double cap)
{
    const int n_v = 10000, n_theta = 64;
    double snr = pow(10.0, snr_db / 10.0), k = pow(10.0, k_db / 10.0);
    double sum = 0.0;
    for (int j = 0; j < n_theta; j++) {
        double cos_theta = cos(pi * (j + 0.5) / n_theta);
        for (int i = 0; i < n_v; i++) {
            double r2 = -log1p(-(i + 0.5) / n_v);
            double g = (k + r2 + 2.0 * sqrt(k * r2) * cos_theta) / (k + 1.0);
            double se = log2(1.0 + snr * g);
            sum += se < cap ? se : cap;
        }
    }
    return sum / ((double)n_v * n_theta);
}

/* Deterministic parameters (no shadowing) with the given fading. */
static et_channel_params fading_params(et_fading_model fading, double rician_k_db)
{
    et_channel_params p = deterministic_params();
    p.fading = fading;
    p.rician_k_db = rician_k_db;
    return p;
}

/* A table for p; fails the calling test when creation fails. */
static et_channel_table *table_for(const et_channel_params *p)
{
    et_channel_table *table = NULL;
    et_error err;
    et_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(et_channel_table_create(p, &table, &err), ET_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(table);
    return table;
}

/* Mean uplink rate at a fixed position over n_updates updates of the Monte
 * Carlo reference path. */
static double mean_rate_up(const et_channel_params *p, double x_m, int n_updates, uint64_t seed,
                           double *snr_db)
{
    et_channel_state st;
    et_channel_init(&st, 0, seed);
    double sum = 0.0;
    for (int i = 0; i < n_updates; i++) {
        et_channel_update(&st, p, NULL, &radio_10mhz, x_m, 0.0);
        sum += st.rate_up_bps;
    }
    if (snr_db) *snr_db = st.snr_up_db;
    return sum / n_updates;
}

static void pathloss_at_100_m_and_1_km_matches_hand_values(void)
{
    et_channel_params p = deterministic_params();
    /* 128.1 + 37.6 log10(1) = 128.1; log10(0.1) = -1 gives 128.1 - 37.6. */
    CU_ASSERT_DOUBLE_EQUAL(et_channel_pathloss_db(&p, 1000.0), 128.1, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(et_channel_pathloss_db(&p, 100.0), 90.5, 1e-9);
    /* 250 m: 128.1 + 37.6 log10(0.25) = 105.463 dB. */
    CU_ASSERT_DOUBLE_EQUAL(et_channel_pathloss_db(&p, 250.0), 105.4630, 1e-3);
}

static void pathloss_clamps_distance_below_one_metre(void)
{
    et_channel_params p = deterministic_params();
    double at_1m = 128.1 - 3.0 * 37.6;
    CU_ASSERT_DOUBLE_EQUAL(et_channel_pathloss_db(&p, 1.0), at_1m, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(et_channel_pathloss_db(&p, 0.2), at_1m, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(et_channel_pathloss_db(&p, 0.0), at_1m, 1e-9);
}

static void shannon_rate_is_capped_at_max_spectral_efficiency(void)
{
    et_channel_params p = deterministic_params();
    /* 0 dB: log2(2) = 1 b/s/Hz. */
    CU_ASSERT_DOUBLE_EQUAL(et_channel_shannon_bps(&p, 10e6, 0.0), 10e6, 1e-3);
    /* 20 dB: log2(101) = 6.658 b/s/Hz, below the 7.4 cap. */
    CU_ASSERT_DOUBLE_EQUAL(et_channel_shannon_bps(&p, 10e6, 20.0), 10e6 * log2(101.0), 1e-3);
    /* 30 and 60 dB would give 9.97 and 19.9 b/s/Hz: both capped. */
    CU_ASSERT_DOUBLE_EQUAL(et_channel_shannon_bps(&p, 10e6, 30.0), 7.4e7, 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(et_channel_shannon_bps(&p, 20e6, 60.0), 1.48e8, 1e-3);
}

static void snr_matches_the_link_budget_at_the_cell_edge(void)
{
    et_channel_params p = deterministic_params();
    et_channel_state st;
    et_channel_init(&st, 0, 1);
    et_channel_update(&st, &p, NULL, &radio_10mhz, 150.0, 200.0); /* 250 m */
    double pl = 128.1 + 37.6 * log10(0.25);
    /* Up: 23 dBm - PL - (-174 + 70 + 5) dBm; down: 46 dBm - PL - (-174 + 70 + 9). */
    CU_ASSERT_DOUBLE_EQUAL(st.distance_m, 250.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(st.snr_up_db, 23.0 - pl + 99.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(st.snr_down_db, 46.0 - pl + 95.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(st.rate_up_bps, 10e6 * log2(1.0 + pow(10.0, st.snr_up_db / 10.0)), 1e-3);
    /* 35.5 dB down is far above the 7.4 b/s/Hz cap (22.3 dB). */
    CU_ASSERT_DOUBLE_EQUAL(st.rate_down_bps, 7.4e7, 1e-3);
}

static void snr_and_rate_fall_with_distance_without_shadowing_or_fading(void)
{
    et_channel_params p = deterministic_params();
    const double distances_m[] = {20, 50, 100, 200, 250, 400, 700, 1000};
    /* Below this SNR log2(1 + snr) < 7.4 and the rate is not capped. */
    double cap_snr_db = 10.0 * log10(pow(2.0, p.max_spectral_eff_bps_hz) - 1.0);
    double last_snr = INFINITY, last_rate = INFINITY;
    int uncapped = 0;
    for (size_t i = 0; i < sizeof distances_m / sizeof distances_m[0]; i++) {
        et_channel_state st;
        et_channel_init(&st, 0, 1);
        et_channel_update(&st, &p, NULL, &radio_10mhz, 0.0, distances_m[i]);
        CU_ASSERT(st.snr_up_db < last_snr);
        CU_ASSERT(st.rate_up_bps <= last_rate);
        if (st.snr_up_db < cap_snr_db) {
            CU_ASSERT(st.rate_up_bps < last_rate);
            uncapped++;
        }
        last_snr = st.snr_up_db;
        last_rate = st.rate_up_bps;
    }
    /* Up to 100 m the uplink sits at the cap (31.5 dB at 100 m); from 200 m
     * (20.2 dB) on, every step loses rate. */
    CU_ASSERT_EQUAL(uncapped, 5);
}

static void rate_is_floored_at_min_rate_far_from_the_ap(void)
{
    et_channel_params p = deterministic_params();
    et_channel_state st;
    et_channel_init(&st, 0, 1);
    et_channel_update(&st, &p, NULL, &radio_10mhz, 20000.0, 0.0); /* 20 km: SNR about -30 dB */
    CU_ASSERT(st.snr_up_db < -20.0);
    CU_ASSERT_DOUBLE_EQUAL(st.rate_up_bps, p.min_rate_bps, 1e-9);
    /* A zero bandwidth cannot make a zero-rate link either. */
    et_ue_radio silent = {.tx_power_dbm = 23.0, .bandwidth_up_hz = 0.0, .bandwidth_down_hz = 10e6};
    et_channel_update(&st, &p, NULL, &silent, 100.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(st.rate_up_bps, p.min_rate_bps, 1e-9);
    CU_ASSERT(isfinite(st.snr_up_db));
}

static void rayleigh_ergodic_rate_is_below_the_no_fading_rate(void)
{
    /* Jensen: log2(1 + snr g) and its capped version are concave in g. */
    et_channel_params flat = deterministic_params();
    et_channel_params rayleigh = flat;
    rayleigh.fading = ET_FADING_RAYLEIGH;
    const double positions_m[] = {150.0, 400.0, 800.0};
    for (int i = 0; i < 3; i++) {
        double r_flat = mean_rate_up(&flat, positions_m[i], 1, 1, NULL);
        double r_fading = mean_rate_up(&rayleigh, positions_m[i], 200, 1, NULL);
        CU_ASSERT(r_fading < r_flat);
    }
}

static void rayleigh_ergodic_rate_matches_numerical_integration(void)
{
    et_channel_params p = deterministic_params();
    p.fading = ET_FADING_RAYLEIGH;
    /* About 25 dB (the cap binds for 1 in 5 draws) and 9 dB (it rarely does). */
    const double positions_m[] = {150.0, 400.0};
    for (int i = 0; i < 2; i++) {
        double snr_db;
        double mean_bps = mean_rate_up(&p, positions_m[i], 2000, 7, &snr_db); /* 32000 draws */
        double ref_bps = 10e6 * rayleigh_se_by_integration(snr_db, p.max_spectral_eff_bps_hz);
        CU_ASSERT_DOUBLE_EQUAL(mean_bps / ref_bps, 1.0, 0.02);
    }
}

static void rician_with_large_k_approaches_no_fading(void)
{
    et_channel_params flat = deterministic_params();
    et_channel_params rician = flat;
    rician.fading = ET_FADING_RICIAN;
    rician.rician_k_db = 30.0;
    double r_flat = mean_rate_up(&flat, 400.0, 1, 3, NULL);
    double r_rician = mean_rate_up(&rician, 400.0, 500, 3, NULL);
    CU_ASSERT_DOUBLE_EQUAL(r_rician / r_flat, 1.0, 0.005);
    CU_ASSERT(r_rician < r_flat);
}

static void rician_lies_between_rayleigh_and_no_fading(void)
{
    et_channel_params flat = deterministic_params();
    et_channel_params rayleigh = flat, rician = flat, rician_tiny_k = flat;
    rayleigh.fading = ET_FADING_RAYLEIGH;
    rician.fading = ET_FADING_RICIAN;
    rician.rician_k_db = 6.0;
    rician_tiny_k.fading = ET_FADING_RICIAN;
    rician_tiny_k.rician_k_db = -30.0; /* no line of sight left: Rayleigh */
    double r_flat = mean_rate_up(&flat, 600.0, 1, 5, NULL);
    double r_rayleigh = mean_rate_up(&rayleigh, 600.0, 2000, 5, NULL);
    double r_rician = mean_rate_up(&rician, 600.0, 2000, 5, NULL);
    double r_tiny_k = mean_rate_up(&rician_tiny_k, 600.0, 2000, 5, NULL);
    CU_ASSERT(r_rayleigh < r_rician);
    CU_ASSERT(r_rician < r_flat);
    CU_ASSERT_DOUBLE_EQUAL(r_tiny_k / r_rayleigh, 1.0, 0.02);
}

static void shadowing_has_the_configured_std(void)
{
    et_channel_params p;
    tr36814_params(&p);
    p.fading = ET_FADING_NONE;
    et_channel_state st;
    et_channel_init(&st, 0, 11);
    /* Alternate between points 1 km apart: rho = exp(-20), independent draws. */
    const int n = 20000;
    double sum = 0.0, sum2 = 0.0;
    for (int i = 0; i < n; i++) {
        et_channel_update(&st, &p, NULL, &radio_10mhz, (i % 2) ? 600.0 : -400.0, 0.0);
        sum += st.shadowing_db;
        sum2 += st.shadowing_db * st.shadowing_db;
    }
    double mean = sum / n, std = sqrt(sum2 / n - mean * mean);
    /* Standard errors are 0.06 dB (mean) and 0.04 dB (std). */
    CU_ASSERT_DOUBLE_EQUAL(mean, 0.0, 0.3);
    CU_ASSERT_DOUBLE_EQUAL(std, 8.0, 0.3);
}

static void shadowing_correlation_follows_gudmundson_over_distance_moved(void)
{
    et_channel_params p;
    tr36814_params(&p);
    p.fading = ET_FADING_NONE;
    et_channel_state st;
    et_channel_init(&st, 0, 12);
    /* Step 25 m back and forth: correlation exp(-25 / 50) = 0.607 per step. */
    const int n = 20000;
    double prev = 0.0, sum_xy = 0.0, sum_xx = 0.0, sum = 0.0;
    for (int i = 0; i < n; i++) {
        et_channel_update(&st, &p, NULL, &radio_10mhz, (i % 2) ? 125.0 : 100.0, 0.0);
        if (i > 0) {
            sum_xy += prev * st.shadowing_db;
            sum_xx += prev * prev;
        }
        sum += st.shadowing_db;
        prev = st.shadowing_db;
    }
    CU_ASSERT_DOUBLE_EQUAL(sum / n, 0.0, 0.6);
    /* Standard error about (1 - rho^2) / sqrt(n) = 0.005. */
    CU_ASSERT_DOUBLE_EQUAL(sum_xy / sum_xx, exp(-0.5), 0.05);
}

static void shadowing_stays_put_while_the_ue_stands_still(void)
{
    et_channel_params p;
    tr36814_params(&p);
    et_channel_state st;
    et_channel_init(&st, 0, 13);
    et_channel_update(&st, &p, NULL, &radio_10mhz, 80.0, 60.0);
    double first = st.shadowing_db;
    CU_ASSERT(first != 0.0);
    for (int i = 0; i < 100; i++) {
        et_channel_update(&st, &p, NULL, &radio_10mhz, 80.0, 60.0);
        CU_ASSERT_EQUAL(st.shadowing_db, first);
    }
}

/* Uplink and downlink rates of 50 updates along a line, for seeding tests. */
static void rate_sequence(int ue, uint64_t seed, double *out /* (100) */)
{
    et_channel_params p;
    tr36814_params(&p);
    et_channel_state st;
    et_channel_init(&st, ue, seed);
    for (int i = 0; i < 50; i++) {
        et_channel_update(&st, &p, NULL, &radio_10mhz, 50.0 + 5.0 * i, 20.0);
        out[2 * i] = st.rate_up_bps;
        out[2 * i + 1] = st.rate_down_bps;
    }
}

static void same_seed_gives_the_identical_sequence_and_another_seed_differs(void)
{
    double a[100], b[100], c[100], d[100];
    rate_sequence(0, 42, a);
    rate_sequence(0, 42, b);
    rate_sequence(0, 43, c);
    rate_sequence(1, 42, d);
    CU_ASSERT(memcmp(a, b, sizeof a) == 0);
    int differ_seed = 0, differ_ue = 0;
    for (int i = 0; i < 100; i++) {
        differ_seed += a[i] != c[i];
        differ_ue += a[i] != d[i];
    }
    /* Only draws that hit the 7.4 b/s/Hz cap in both can coincide. */
    CU_ASSERT(differ_seed > 50);
    CU_ASSERT(differ_ue > 50);
}

static void fading_sample_count_does_not_move_the_shadowing(void)
{
    et_channel_params p;
    tr36814_params(&p);
    et_channel_params q = p;
    q.fading_samples = 64;
    et_channel_state a, b;
    et_channel_init(&a, 3, 9);
    et_channel_init(&b, 3, 9);
    for (int i = 0; i < 20; i++) {
        et_channel_update(&a, &p, NULL, &radio_10mhz, 30.0 * i, 40.0);
        et_channel_update(&b, &q, NULL, &radio_10mhz, 30.0 * i, 40.0);
        CU_ASSERT_EQUAL(a.shadowing_db, b.shadowing_db);
    }
}

static void quadrature_matches_a_closed_form_and_independent_integrations(void)
{
    et_channel_params rayleigh = fading_params(ET_FADING_RAYLEIGH, 0.0);
    /* Rayleigh without the cap: f = exp(1/snr) E1(1/snr) / ln 2; at 0 dB the
     * cap (g > 168) carries exp(-168) of the mass. E1(1) = 0.219383934395520. */
    CU_ASSERT_DOUBLE_EQUAL(et_channel_ergodic_se_bps_hz(&rayleigh, 0.0),
                           exp(1.0) * 0.219383934395520 / log(2.0), 1e-11);
    /* With the cap, against the midpoint rule over u = 1 - exp(-g) (within
     * 2e-6 relative at 2e5 points, measured). */
    const double rayleigh_db[] = {-20.0, 0.0, 10.0, 25.0, 40.0};
    for (int i = 0; i < 5; i++) {
        double ref = rayleigh_se_by_integration(rayleigh_db[i], 7.4);
        CU_ASSERT_DOUBLE_EQUAL(et_channel_ergodic_se_bps_hz(&rayleigh, rayleigh_db[i]) / ref, 1.0,
                               3e-6);
    }
    et_channel_params rician = fading_params(ET_FADING_RICIAN, 6.0);
    const double rician_db[] = {-10.0, 10.0, 30.0};
    for (int i = 0; i < 3; i++) {
        double ref = rician_se_by_integration(rician_db[i], 6.0, 7.4);
        CU_ASSERT_DOUBLE_EQUAL(et_channel_ergodic_se_bps_hz(&rician, rician_db[i]) / ref, 1.0,
                               1e-5);
    }
}

static void rician_quadrature_spans_rayleigh_to_no_fading_as_k_grows(void)
{
    et_channel_params none = fading_params(ET_FADING_NONE, 0.0);
    et_channel_params rayleigh = fading_params(ET_FADING_RAYLEIGH, 0.0);
    et_channel_params tiny_k = fading_params(ET_FADING_RICIAN, -30.0);
    et_channel_params k6 = fading_params(ET_FADING_RICIAN, 6.0);
    et_channel_params huge_k = fading_params(ET_FADING_RICIAN, 40.0);
    for (double snr_db = -10.0; snr_db <= 30.0; snr_db += 10.0) {
        double f_none = et_channel_ergodic_se_bps_hz(&none, snr_db);
        double f_rayleigh = et_channel_ergodic_se_bps_hz(&rayleigh, snr_db);
        double f_k6 = et_channel_ergodic_se_bps_hz(&k6, snr_db);
        CU_ASSERT(f_rayleigh < f_k6);
        CU_ASSERT(f_k6 < f_none);
        /* K = 0.001 differs from Rayleigh, and K = 1e4 from no fading, by O(1/1000). */
        CU_ASSERT_DOUBLE_EQUAL(et_channel_ergodic_se_bps_hz(&tiny_k, snr_db) / f_rayleigh, 1.0,
                               1e-3);
        CU_ASSERT_DOUBLE_EQUAL(et_channel_ergodic_se_bps_hz(&huge_k, snr_db) / f_none, 1.0, 1e-3);
    }
}

static void table_matches_the_quadrature_at_grid_points(void)
{
    const et_channel_params params[] = {fading_params(ET_FADING_RAYLEIGH, 0.0),
                                        fading_params(ET_FADING_RICIAN, 6.0)};
    for (int m = 0; m < 2; m++) {
        et_channel_table *table = table_for(&params[m]);
        int mismatches = 0;
        for (int i = 0;; i++) {
            double snr_db = ET_CHANNEL_TABLE_MIN_SNR_DB + i * ET_CHANNEL_TABLE_STEP_DB;
            if (snr_db > 40.0) break;
            double exact = et_channel_ergodic_se_bps_hz(&params[m], snr_db);
            mismatches +=
                !(fabs(et_channel_table_se_bps_hz(table, snr_db) - exact) <= 1e-9 * exact);
        }
        CU_ASSERT_EQUAL(mismatches, 0);
        et_channel_table_destroy(table);
    }
}

static void table_interpolates_within_2e_5_between_grid_points(void)
{
    /* Linear interpolation errs by at most step^2 / 8 |f''| / f; the worst is
     * at low SNR, where f ~ snr: (0.05 ln 10 / 10)^2 / 8 = 1.66e-5. */
    const et_channel_params params[] = {fading_params(ET_FADING_RAYLEIGH, 0.0),
                                        fading_params(ET_FADING_RICIAN, 6.0)};
    for (int m = 0; m < 2; m++) {
        et_channel_table *table = table_for(&params[m]);
        double worst = 0.0;
        for (int i = 0; i < 2000; i++) {
            double snr_db = ET_CHANNEL_TABLE_MIN_SNR_DB + (i + 0.5) * ET_CHANNEL_TABLE_STEP_DB;
            double exact = et_channel_ergodic_se_bps_hz(&params[m], snr_db);
            double rel = fabs(et_channel_table_se_bps_hz(table, snr_db) / exact - 1.0);
            if (rel > worst) worst = rel;
        }
        CU_ASSERT(worst < 2e-5);
        CU_ASSERT(worst > 1e-6); /* the bound is not vacuous: interpolation does err */
        et_channel_table_destroy(table);
    }
}

static void table_extrapolates_beyond_its_grid_within_1e_7(void)
{
    et_channel_params params[] = {fading_params(ET_FADING_RAYLEIGH, 0.0),
                                  fading_params(ET_FADING_RICIAN, 6.0),
                                  fading_params(ET_FADING_RAYLEIGH, 0.0)};
    params[2].max_spectral_eff_bps_hz = 30.0; /* grid up to 130 dB */
    for (int m = 0; m < 3; m++) {
        et_channel_table *table = table_for(&params[m]);
        double worst = 0.0;
        /* Below the grid (from -90 dB) and above it (up to 200 dB). */
        for (double snr_db = -90.0; snr_db < 200.0; snr_db += 0.7) {
            if (snr_db > -40.0 && snr_db < 60.0) continue;
            double exact = et_channel_ergodic_se_bps_hz(&params[m], snr_db);
            double rel = fabs(et_channel_table_se_bps_hz(table, snr_db) / exact - 1.0);
            if (rel > worst) worst = rel;
        }
        CU_ASSERT(worst < 1e-7);
        et_channel_table_destroy(table);
    }
}

/* Distance at which the uplink mean SNR of radio_10mhz is snr_db under p
 * (no shadowing): 23 dBm - PL(d) - noise, noise = N0 + 70 dB + NF_ap. */
static double distance_for_uplink_snr_m(const et_channel_params *p, double snr_db)
{
    double noise_dbm = p->noise_density_dbm_hz + 70.0 + p->ap_noise_figure_db;
    double pathloss_db = radio_10mhz.tx_power_dbm - noise_dbm - snr_db;
    return 1000.0 * pow(10.0, (pathloss_db - p->pathloss_a_db) / p->pathloss_b_db);
}

static void table_rate_matches_the_monte_carlo_reference_within_one_percent(void)
{
    const et_channel_params params[] = {fading_params(ET_FADING_RAYLEIGH, 0.0),
                                        fading_params(ET_FADING_RICIAN, 6.0)};
    for (int m = 0; m < 2; m++) {
        et_channel_params mc = params[m];
        /* Standard error at most 0.23% (at -10 dB, Rayleigh), so 1% is 4 sigma. */
        mc.fading_samples = 200000;
        et_channel_table *table = table_for(&params[m]);
        /* Uplink -10 to 40 dB; the downlink is 19 dB higher (9 to 59 dB). */
        for (double snr_db = -10.0; snr_db <= 40.0; snr_db += 10.0) {
            double d_m = distance_for_uplink_snr_m(&mc, snr_db);
            et_channel_state a, b;
            et_channel_init(&a, 0, 21);
            et_channel_init(&b, 0, 21);
            et_channel_update(&a, &params[m], table, &radio_10mhz, d_m, 0.0);
            et_channel_update(&b, &mc, NULL, &radio_10mhz, d_m, 0.0);
            CU_ASSERT_DOUBLE_EQUAL(a.snr_up_db, snr_db, 1e-9);
            CU_ASSERT_DOUBLE_EQUAL(a.rate_up_bps / b.rate_up_bps, 1.0, 0.01);
            CU_ASSERT_DOUBLE_EQUAL(a.rate_down_bps / b.rate_down_bps, 1.0, 0.01);
            /* The table path is B f(snr), nothing random. */
            CU_ASSERT_DOUBLE_EQUAL(a.rate_up_bps,
                                   10e6 * et_channel_table_se_bps_hz(table, a.snr_up_db), 1e-6);
        }
        et_channel_table_destroy(table);
    }
}

static void no_fading_table_equals_the_capped_shannon_rate(void)
{
    et_channel_params p = fading_params(ET_FADING_NONE, 0.0);
    et_channel_table *table = table_for(&p);
    int mismatches = 0;
    for (double snr_db = -60.0; snr_db < 120.0; snr_db += 0.37) {
        double shannon = et_channel_shannon_bps(&p, 1.0, snr_db);
        mismatches += et_channel_table_se_bps_hz(table, snr_db) != shannon;
        mismatches += et_channel_ergodic_se_bps_hz(&p, snr_db) != shannon;
    }
    CU_ASSERT_EQUAL(mismatches, 0);
    et_channel_table_destroy(table);
}

static void table_rate_is_non_decreasing_in_snr_and_within_the_cap(void)
{
    const et_channel_params params[] = {
        fading_params(ET_FADING_RAYLEIGH, 0.0), fading_params(ET_FADING_RICIAN, -30.0),
        fading_params(ET_FADING_RICIAN, 6.0), fading_params(ET_FADING_RICIAN, 40.0)};
    for (int m = 0; m < 4; m++) {
        et_channel_table *table = table_for(&params[m]);
        double last = 0.0;
        int decreases = 0, flat_below_20_db = 0, out_of_range = 0;
        /* A step that is not a divisor of the grid step, from below the grid
         * to above it. */
        for (double snr_db = -70.0; snr_db < 150.0; snr_db += 0.0071) {
            double se = et_channel_table_se_bps_hz(table, snr_db);
            decreases += se < last;
            flat_below_20_db += snr_db < 20.0 && !(se > last);
            out_of_range += !(se > 0.0 && se <= params[m].max_spectral_eff_bps_hz);
            last = se;
        }
        CU_ASSERT_EQUAL(decreases, 0);
        CU_ASSERT_EQUAL(flat_below_20_db, 0);
        CU_ASSERT_EQUAL(out_of_range, 0);
        et_channel_table_destroy(table);
    }
}

static void table_and_monte_carlo_paths_draw_the_same_shadowing(void)
{
    et_channel_params p;
    tr36814_params(&p); /* 8 dB shadowing, Rayleigh */
    et_channel_table *table = table_for(&p);
    et_channel_state a, b;
    et_channel_init(&a, 3, 9);
    et_channel_init(&b, 3, 9);
    int rates_differ = 0;
    for (int i = 0; i < 50; i++) {
        et_channel_update(&a, &p, table, &radio_10mhz, 20.0 * i, 40.0);
        et_channel_update(&b, &p, NULL, &radio_10mhz, 20.0 * i, 40.0);
        CU_ASSERT_EQUAL(a.shadowing_db, b.shadowing_db);
        CU_ASSERT_EQUAL(a.snr_up_db, b.snr_up_db);
        rates_differ += a.rate_up_bps != b.rate_up_bps;
    }
    /* The shadowing is the same although the rates are not: the paths differ. */
    CU_ASSERT(rates_differ > 25);
    et_channel_table_destroy(table);
}

static void table_create_rejects_invalid_params_and_destroy_accepts_null(void)
{
    et_channel_params p;
    tr36814_params(&p);
    p.rician_k_db = 50.0;
    et_channel_table *table = (et_channel_table *)&p; /* must be overwritten */
    et_error err;
    et_error_clear(&err);
    CU_ASSERT_EQUAL(et_channel_table_create(&p, &table, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NULL(table);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'rician_k_db'"));
    et_channel_table_destroy(NULL);
}

static void wifi_level_picks_the_fastest_level_whose_threshold_is_met(void)
{
    const double min_snr_db[] = {30.0, 20.0, 10.0, 5.0};
    CU_ASSERT_EQUAL(et_channel_wifi_level(min_snr_db, 4, 35.0), 0);
    CU_ASSERT_EQUAL(et_channel_wifi_level(min_snr_db, 4, 30.0), 0);
    CU_ASSERT_EQUAL(et_channel_wifi_level(min_snr_db, 4, 29.9), 1);
    CU_ASSERT_EQUAL(et_channel_wifi_level(min_snr_db, 4, 20.0), 1);
    CU_ASSERT_EQUAL(et_channel_wifi_level(min_snr_db, 4, 7.0), 3);
    CU_ASSERT_EQUAL(et_channel_wifi_level(min_snr_db, 4, -10.0), 3); /* none met: slowest */
    CU_ASSERT_EQUAL(et_channel_wifi_level(min_snr_db, 0, 35.0), -1);
    CU_ASSERT_EQUAL(et_channel_wifi_level(NULL, 4, 35.0), -1);
}

static void wifi_default_table_matches_the_802_11ac_mcs_rates(void)
{
    double rates[10], snr[10];
    /* 20 MHz: MCS 8 (78 Mb/s) down to MCS 0 (6.5 Mb/s); MCS 9 undefined. */
    CU_ASSERT_EQUAL(et_channel_wifi_default_table(20.0, rates, snr, 10), 9);
    CU_ASSERT_DOUBLE_EQUAL(rates[0], 78e6, 1.0);
    CU_ASSERT_DOUBLE_EQUAL(rates[8], 6.5e6, 1.0);
    /* MCS 0 at 20 MHz: -82 dBm sensitivity over a -174 + 73.0 + 10 dBm floor. */
    CU_ASSERT_DOUBLE_EQUAL(snr[8], -82.0 + 174.0 - 10.0 * log10(20e6) - 10.0, 1e-9);
    CU_ASSERT_EQUAL(et_channel_wifi_default_table(40.0, rates, snr, 10), 10);
    CU_ASSERT_DOUBLE_EQUAL(rates[0], 180e6, 1.0);
    CU_ASSERT_DOUBLE_EQUAL(rates[9], 13.5e6, 1.0);
    CU_ASSERT_EQUAL(et_channel_wifi_default_table(80.0, rates, snr, 10), 10);
    CU_ASSERT_DOUBLE_EQUAL(rates[0], 390e6, 1.0);
    CU_ASSERT_DOUBLE_EQUAL(rates[2], 292.5e6, 1.0); /* MCS 7 */
    CU_ASSERT_DOUBLE_EQUAL(rates[9], 29.25e6, 1.0);
    for (int i = 1; i < 10; i++) {
        CU_ASSERT(rates[i] < rates[i - 1]);
        CU_ASSERT(snr[i] < snr[i - 1]);
    }
    /* A 3 dB sensitivity step per doubling tracks the noise floor: the
     * thresholds hardly depend on the width. */
    double snr20[10];
    et_channel_wifi_default_table(20.0, rates, snr20, 10);
    CU_ASSERT_DOUBLE_EQUAL(snr[9], snr20[8], 0.1);
    CU_ASSERT_EQUAL(et_channel_wifi_default_table(30.0, rates, snr, 10), -1);
    CU_ASSERT_EQUAL(et_channel_wifi_default_table(80.0, rates, snr, 9), -1);
}

static void default_params_are_valid_and_bad_values_name_their_key(void)
{
    et_channel_params p;
    et_channel_params_default(&p);
    et_error err;
    et_error_clear(&err);
    CU_ASSERT_EQUAL(et_channel_params_validate(&p, &err), ET_OK);
    CU_ASSERT_DOUBLE_EQUAL(p.pathloss_a_db, 128.1, 0.0);
    CU_ASSERT_EQUAL(p.fading, ET_FADING_RAYLEIGH);
    CU_ASSERT_EQUAL(p.fading_samples, 16);

    et_channel_params bad = p;
    bad.shadowing_std_db = -1.0;
    CU_ASSERT_EQUAL(et_channel_params_validate(&bad, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'shadowing_std_db'"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "got -1"));
    bad = p;
    bad.max_spectral_eff_bps_hz = NAN;
    CU_ASSERT_EQUAL(et_channel_params_validate(&bad, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'max_spectral_eff_bps_hz'"));
    bad = p;
    bad.fading_samples = 0;
    CU_ASSERT_EQUAL(et_channel_params_validate(&bad, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'fading_samples'"));
    /* Interference is on by default at full (3GPP full-buffer) load. */
    CU_ASSERT_EQUAL(p.interference, 1);
    CU_ASSERT_DOUBLE_EQUAL(p.dl_load_factor, 1.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(p.ul_load_factor, 1.0, 0.0);
    bad = p;
    bad.interference = 2;
    CU_ASSERT_EQUAL(et_channel_params_validate(&bad, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'interference'"));
    bad = p;
    bad.dl_load_factor = 1.5;
    CU_ASSERT_EQUAL(et_channel_params_validate(&bad, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'dl_load_factor'"));
    bad = p;
    bad.ul_load_factor = -0.1;
    CU_ASSERT_EQUAL(et_channel_params_validate(&bad, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'ul_load_factor'"));
    /* A zero-filled interference block (interference off) is valid: a
     * scenario that does not set these keys keeps the single-cell model. */
    bad = p;
    bad.interference = 0;
    bad.dl_load_factor = bad.ul_load_factor = 0.0;
    CU_ASSERT_EQUAL(et_channel_params_validate(&bad, &err), ET_OK);
}

/* ---- several cells ---- */

/* Two sites 500 m apart (3GPP UMa inter-site distance) on one carrier. */
static const et_channel_ap two_sites[2] = {{.x_m = 0.0, .y_m = 0.0}, {.x_m = 500.0, .y_m = 0.0}};

static void distance_and_snr_come_from_the_ues_own_cell(void)
{
    et_channel_params p = deterministic_params();
    p.interference = 0;
    et_channel_state st;
    et_channel_init(&st, 0, 1);
    /* Served by the site at (500, 0): 100 m away, 600 m from the other. */
    et_channel_update_cell(&st, &p, NULL, &radio_10mhz, 600.0, 0.0, two_sites, 2, 1);
    CU_ASSERT_DOUBLE_EQUAL(st.distance_m, 100.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(st.pathloss_db, 90.5, 1e-9);
    /* Up: 23 dBm - 90.5 dB - (-174 + 70 + 5) dBm; down: 46 - 90.5 - (-174 + 70 + 9). */
    CU_ASSERT_DOUBLE_EQUAL(st.snr_up_db, 31.5, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(st.snr_down_db, 50.5, 1e-9);
    /* Interference off: the SINR is the SNR and the rate follows it. */
    CU_ASSERT_DOUBLE_EQUAL(st.sinr_up_db, st.snr_up_db, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(st.sinr_down_db, st.snr_down_db, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(st.rate_up_bps, 7.4e7, 1e-3);
    /* The same UE as seen from the other site: 600 m. */
    et_channel_init(&st, 0, 1);
    et_channel_update_cell(&st, &p, NULL, &radio_10mhz, 600.0, 0.0, two_sites, 2, 0);
    CU_ASSERT_DOUBLE_EQUAL(st.distance_m, 600.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(st.pathloss_db, 128.1 + 37.6 * log10(0.6), 1e-9);
}

static void interference_from_the_other_cell_matches_hand_values(void)
{
    et_channel_params p = deterministic_params(); /* interference on, full load */
    et_channel_state st;
    et_channel_init(&st, 0, 1);
    et_channel_update_cell(&st, &p, NULL, &radio_10mhz, 600.0, 0.0, two_sites, 2, 1);
    /* Down: the other AP at 46 dBm over 600 m, PL = 119.7585 dB, arrives at
     * -73.7585 dBm against -95 dBm of noise:
     * 46 - 90.5 - 10 log10(10^-9.5 + 10^-7.37585) = 29.2260 dB. */
    CU_ASSERT_DOUBLE_EQUAL(st.sinr_down_db, 29.225977795, 1e-8);
    /* Up: the other cell's UE at 23 dBm, represented at its AP 500 m from
     * the serving AP, PL = 116.7813 dB: -93.7813 dBm against -99 dBm:
     * 23 - 90.5 - 10 log10(10^-9.9 + 10^-9.37813) = 25.1395 dB. */
    CU_ASSERT_DOUBLE_EQUAL(st.sinr_up_db, 25.139515121, 1e-8);
    /* The SNR is still the noise-only figure. */
    CU_ASSERT_DOUBLE_EQUAL(st.snr_up_db, 31.5, 1e-9);
    /* 25.1 dB is above the 22.3 dB where the 7.4 b/s/Hz cap starts. */
    CU_ASSERT_DOUBLE_EQUAL(st.rate_up_bps, 7.4e7, 1e-3);
    /* Nearer the other site (UE at 350 m from its AP, 150 m from the
     * other) the downlink SINR is negative and the rate follows it. */
    et_channel_init(&st, 0, 1);
    et_channel_update_cell(&st, &p, NULL, &radio_10mhz, 150.0, 0.0, two_sites, 2, 1);
    CU_ASSERT(st.sinr_down_db < 0.0);
    CU_ASSERT_DOUBLE_EQUAL(st.rate_down_bps, 10e6 * log2(1.0 + pow(10.0, st.sinr_down_db / 10.0)),
                           1e-3);
    /* The load factors scale the interferers' power. */
    p.dl_load_factor = 0.5;
    p.ul_load_factor = 0.25;
    et_channel_init(&st, 0, 1);
    et_channel_update_cell(&st, &p, NULL, &radio_10mhz, 600.0, 0.0, two_sites, 2, 1);
    CU_ASSERT_DOUBLE_EQUAL(st.sinr_down_db, 32.204010074, 1e-8);
    CU_ASSERT_DOUBLE_EQUAL(st.sinr_up_db, 28.872155317, 1e-8);
}

/* A cell's own AP power (its ap_tx_power_dbm platform property): the serving AP's power
 * sets the downlink signal, each other AP's its interference; the uplink does not move. */
static void each_ap_transmits_at_its_cells_own_power(void)
{
    et_channel_params p = deterministic_params(); /* interference on, full load, AP key 46 dBm */
    et_channel_ap sites[2] = {{.x_m = 0.0, .y_m = 0.0, .has_tx_power = 1, .tx_power_dbm = 40.0},
                              {.x_m = 500.0, .y_m = 0.0, .has_tx_power = 1, .tx_power_dbm = 30.0}};
    et_channel_state st;
    et_channel_init(&st, 0, 1);
    et_channel_update_cell(&st, &p, NULL, &radio_10mhz, 600.0, 0.0, sites, 2, 1);
    /* Down: 30 dBm - 90.5 dB over 100 m against -95 dBm of noise, 34.5 dB; the other AP at
     * 40 dBm over 600 m (PL = 128.1 + 37.6 log10(0.6) = 119.7585 dB) arrives at -79.7585 dBm:
     * 30 - 90.5 - 10 log10(10^-9.5 + 10^-7.97585) = 34.5 - 10 log10(1 + 10^1.52415)
     * = 34.5 - 15.3695 = 19.1305 dB. */
    double pl_other = 128.1 + 37.6 * log10(0.6);
    double sinr_down =
        30.0 - 90.5 - 10.0 * log10(pow(10.0, -9.5) + pow(10.0, (40.0 - pl_other) / 10.0));
    CU_ASSERT_DOUBLE_EQUAL(st.snr_down_db, 34.5, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(st.sinr_down_db, sinr_down, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(st.sinr_down_db, 19.1305, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(st.rate_down_bps, 10e6 * log2(1.0 + pow(10.0, sinr_down / 10.0)), 1e-3);
    /* Up: the UE's power, whatever the APs': the figure of the default cells. */
    CU_ASSERT_DOUBLE_EQUAL(st.snr_up_db, 31.5, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(st.sinr_up_db, 25.139515121, 1e-8);
    /* A cell whose power is the key's gives the default's numbers; one without a power of its
     * own (has_tx_power 0) takes the key's. */
    et_channel_ap same[2] = {{.x_m = 0.0, .y_m = 0.0},
                             {.x_m = 500.0, .y_m = 0.0, .has_tx_power = 1, .tx_power_dbm = 46.0}};
    et_channel_init(&st, 0, 1);
    et_channel_update_cell(&st, &p, NULL, &radio_10mhz, 600.0, 0.0, same, 2, 1);
    CU_ASSERT_DOUBLE_EQUAL(st.snr_down_db, 50.5, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(st.sinr_down_db, 29.225977795, 1e-8);
    /* Served by the 40 dBm site, interfered by the 30 dBm one. */
    et_channel_init(&st, 0, 1);
    et_channel_update_cell(&st, &p, NULL, &radio_10mhz, 100.0, 0.0, sites, 2, 0);
    double pl_400 = 128.1 + 37.6 * log10(0.4);
    CU_ASSERT_DOUBLE_EQUAL(st.snr_down_db, 40.0 - 90.5 + 95.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(
        st.sinr_down_db,
        40.0 - 90.5 - 10.0 * log10(pow(10.0, -9.5) + pow(10.0, (30.0 - pl_400) / 10.0)), 1e-9);
}

static void interference_lowers_sinr_and_rate_when_on_and_not_when_off(void)
{
    /* A UE at the edge between two sites, with shadowing and fading on. */
    et_channel_params on;
    tr36814_params(&on);
    et_channel_params off = on;
    off.interference = 0;
    et_channel_table *table = table_for(&on);
    et_channel_state a, b, alone;
    et_channel_init(&a, 3, 9);
    et_channel_init(&b, 3, 9);
    et_channel_init(&alone, 3, 9);
    int lower = 0;
    for (int k = 0; k < 50; k++) {
        double x = 200.0 + k, y = 10.0;
        et_channel_update_cell(&a, &on, table, &radio_10mhz, x, y, two_sites, 2, 0);
        et_channel_update_cell(&b, &off, table, &radio_10mhz, x, y, two_sites, 2, 0);
        et_channel_update(&alone, &off, table, &radio_10mhz, x, y);
        /* Same shadowing whatever the cells: only the interference differs. */
        CU_ASSERT_DOUBLE_EQUAL(a.shadowing_db, b.shadowing_db, 0.0);
        CU_ASSERT_DOUBLE_EQUAL(a.snr_down_db, b.snr_down_db, 0.0);
        lower += a.sinr_down_db < b.sinr_down_db - 3.0 && a.sinr_up_db < b.sinr_up_db &&
                 a.rate_down_bps < b.rate_down_bps;
        /* Off, the serving cell at the origin is exactly the single-cell update. */
        CU_ASSERT_DOUBLE_EQUAL(b.sinr_down_db, alone.snr_down_db, 0.0);
        CU_ASSERT_DOUBLE_EQUAL(b.rate_up_bps, alone.rate_up_bps, 0.0);
        CU_ASSERT_DOUBLE_EQUAL(b.rate_down_bps, alone.rate_down_bps, 0.0);
    }
    /* 200-250 m from its AP and 250-300 m from the other: the neighbour is
     * within a few dB of the serving signal on the downlink. */
    CU_ASSERT_EQUAL(lower, 50);
    /* Load 0 is interference off. */
    on.dl_load_factor = on.ul_load_factor = 0.0;
    et_channel_init(&a, 3, 9);
    et_channel_update_cell(&a, &on, table, &radio_10mhz, 220.0, 0.0, two_sites, 2, 0);
    CU_ASSERT_DOUBLE_EQUAL(a.sinr_down_db, a.snr_down_db, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(a.sinr_up_db, a.snr_up_db, 0.0);
    et_channel_table_destroy(table);
}

static void one_cell_or_a_bad_serving_index_falls_back_to_the_single_cell_update(void)
{
    et_channel_params p;
    tr36814_params(&p);
    et_channel_table *table = table_for(&p);
    const et_channel_ap origin = {.x_m = 0.0, .y_m = 0.0};
    et_channel_state a, b, c;
    et_channel_init(&a, 1, 5);
    et_channel_init(&b, 1, 5);
    et_channel_init(&c, 1, 5);
    for (int k = 0; k < 20; k++) {
        double x = 30.0 + 7.0 * k, y = -40.0 + 3.0 * k;
        et_channel_update(&a, &p, table, &radio_10mhz, x, y);
        et_channel_update_cell(&b, &p, table, &radio_10mhz, x, y, &origin, 1, 0);
        et_channel_update_cell(&c, &p, table, &radio_10mhz, x, y, two_sites, 2, 7);
        const et_channel_state *other[2] = {&b, &c};
        for (int o = 0; o < 2; o++) {
            CU_ASSERT_DOUBLE_EQUAL(other[o]->distance_m, a.distance_m, 0.0);
            CU_ASSERT_DOUBLE_EQUAL(other[o]->shadowing_db, a.shadowing_db, 0.0);
            CU_ASSERT_DOUBLE_EQUAL(other[o]->sinr_up_db, a.snr_up_db, 0.0);
            CU_ASSERT_DOUBLE_EQUAL(other[o]->sinr_down_db, a.snr_down_db, 0.0);
            CU_ASSERT_DOUBLE_EQUAL(other[o]->rate_up_bps, a.rate_up_bps, 0.0);
            CU_ASSERT_DOUBLE_EQUAL(other[o]->rate_down_bps, a.rate_down_bps, 0.0);
        }
        CU_ASSERT_DOUBLE_EQUAL(a.sinr_up_db, a.snr_up_db, 0.0);
    }
    et_channel_table_destroy(table);
}

/* Walking a UE with et_channel_move and computing its link only at the end
 * gives the same state as updating it at every step: what the simulator's
 * lazy channel relies on. */
static void moving_then_linking_equals_updating_every_step(void)
{
    et_channel_params p;
    tr36814_params(&p);
    et_channel_table *table = NULL;
    et_error err;
    CU_ASSERT_FATAL(et_channel_table_create(&p, &table, &err) == ET_OK);
    et_channel_ap aps[3] = {{.x_m = 0, .y_m = 0}, {.x_m = 500, .y_m = 0}, {.x_m = 250, .y_m = 434}};
    et_ue_radio radio = {.tx_power_dbm = 23, .bandwidth_up_hz = 20e6, .bandwidth_down_hz = 80e6};
    et_channel_state a, b;
    et_channel_init(&a, 3, 42);
    et_channel_init(&b, 3, 42);
    for (int step = 0; step < 50; step++) {
        double x = 100 + 3.0 * step, y = 20 - 1.5 * step;
        et_channel_update_cell(&a, &p, table, &radio, x, y, aps, 3, 0);
        et_channel_move(&b, &p, x, y);
    }
    et_channel_link(&b, &p, table, &radio, 100 + 3.0 * 49, 20 - 1.5 * 49, aps, 3, 0, NULL, 0);
    CU_ASSERT_DOUBLE_EQUAL(a.shadowing_db, b.shadowing_db, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(a.sinr_down_db, b.sinr_down_db, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(a.rate_up_bps, b.rate_up_bps, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(a.rate_down_bps, b.rate_down_bps, 0.0);
    /* Only the nearest interferer: less interference, a higher SINR. */
    int near[1];
    CU_ASSERT_EQUAL(et_channel_nearest_interferers(aps, 3, 0, 1, near), 1);
    CU_ASSERT_EQUAL(near[0], 1); /* 500 m, against 500.6 m for site 2 */
    et_channel_link(&b, &p, table, &radio, 100 + 3.0 * 49, 20 - 1.5 * 49, aps, 3, 0, near, 1);
    CU_ASSERT(b.sinr_down_db > a.sinr_down_db);
    et_channel_table_destroy(table);
}

/* Interferers come nearest first, ties broken by index, at most max_n. */
static void nearest_interferers_are_sorted_by_distance(void)
{
    et_channel_ap aps[5] = {{.x_m = 0, .y_m = 0},
                            {.x_m = 300, .y_m = 0},
                            {.x_m = -100, .y_m = 0},
                            {.x_m = 0, .y_m = 200},
                            {.x_m = 0, .y_m = -100}};
    int out[4];
    CU_ASSERT_EQUAL(et_channel_nearest_interferers(aps, 5, 0, 4, out), 4);
    CU_ASSERT_EQUAL(out[0], 2);
    CU_ASSERT_EQUAL(out[1], 4);
    CU_ASSERT_EQUAL(out[2], 3);
    CU_ASSERT_EQUAL(out[3], 1);
    CU_ASSERT_EQUAL(et_channel_nearest_interferers(aps, 5, 0, 2, out), 2);
    CU_ASSERT_EQUAL(out[0], 2);
    CU_ASSERT_EQUAL(out[1], 4);
    CU_ASSERT_EQUAL(et_channel_nearest_interferers(aps, 5, 7, 2, out), 0);
}

/* ---- TR 38.901 propagation ---- */

/* A TR 38.901 cell at 3.5 GHz with the scenario's Table 7.2-1 heights. */
static et_propagation cell_of(et_propagation_scenario s)
{
    return (et_propagation){.scenario = s, .frequency_hz = 3.5e9, .h_bs_m = 0.0, .h_ut_m = 0.0};
}

/* Table 7.4.1-1 at 10, 100 and 1000 m, written out with the standard's
 * formulas; the literals are the same sums evaluated separately (Python, to
 * 1e-4 dB). f_c = 3.5 GHz: 20 log10(3.5) = 10.8814 dB. */
static void tr38901_path_loss_matches_the_table_by_hand(void)
{
    et_propagation uma = cell_of(ET_PROPAGATION_UMA), umi = cell_of(ET_PROPAGATION_UMI);
    et_propagation rma = cell_of(ET_PROPAGATION_RMA), inh = cell_of(ET_PROPAGATION_INH);
    double lf = 20.0 * log10(3.5);
    /* UMa, h_BS 25, h_UT 1.5: d'_BP = 4 (25 - 1)(1.5 - 1) 3.5e9 / 3e8 = 560 m. */
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_breakpoint_m(&uma), 560.0, 1e-9);
    double d3 = sqrt(100.0 * 100.0 + 23.5 * 23.5); /* 102.724 m */
    double uma_los_100 = 28.0 + 22.0 * log10(d3) + lf;
    double uma_nlos_100 = 13.54 + 39.08 * log10(d3) + lf - 0.6 * (1.5 - 1.5);
    CU_ASSERT_DOUBLE_EQUAL(uma_los_100, 83.1382, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(uma_nlos_100, 103.0375, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&uma, 1, 100.0), uma_los_100, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&uma, 0, 100.0), uma_nlos_100, 1e-9);
    /* 1000 m is beyond d'_BP: PL2 = 28 + 40 log10(d_3D) + 20 log10(f_c) - 9 log10(560^2 + 23.5^2).
     */
    d3 = sqrt(1000.0 * 1000.0 + 23.5 * 23.5);
    double uma_los_1k = 28.0 + 40.0 * log10(d3) + lf - 9.0 * log10(560.0 * 560.0 + 23.5 * 23.5);
    CU_ASSERT_DOUBLE_EQUAL(uma_los_1k, 109.4119, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&uma, 1, 1000.0), uma_los_1k, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&uma, 0, 1000.0), 141.6660, 1e-4);
    /* UMi, h_BS 10: d'_BP = 4 9 0.5 3.5e9 / 3e8 = 210 m; at 10 m, d_3D = sqrt(100 + 72.25). */
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_breakpoint_m(&umi), 210.0, 1e-9);
    d3 = sqrt(10.0 * 10.0 + 8.5 * 8.5);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&umi, 1, 10.0), 32.4 + 21.0 * log10(d3) + lf,
                           1e-9);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&umi, 0, 10.0),
                           35.3 * log10(d3) + 22.4 + 21.3 * log10(3.5), 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&umi, 1, 10.0), 66.7610, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&umi, 0, 100.0), 104.6438, 1e-4);
    d3 = sqrt(1000.0 * 1000.0 + 8.5 * 8.5);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&umi, 1, 1000.0),
                           32.4 + 40.0 * log10(d3) + lf - 9.5 * log10(210.0 * 210.0 + 8.5 * 8.5),
                           1e-9);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&umi, 0, 1000.0), 139.8892, 1e-4);
    /* RMa, h_BS 35, h_UT 1.5, h 5 m, W 20 m: d_BP = 2 pi 35 1.5 3.5e9 / 3e8 = 3848 m. */
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_breakpoint_m(&rma), 2.0 * pi * 35 * 1.5 * 3.5e9 / 3e8,
                           1e-6);
    d3 = sqrt(100.0 * 100.0 + 33.5 * 33.5);
    double h172 = pow(5.0, 1.72); /* 15.9 */
    double rma_los_100 = 20.0 * log10(40.0 * pi * d3 * 3.5 / 3.0) +
                         fmin(0.03 * h172, 10.0) * log10(d3) - fmin(0.044 * h172, 14.77) +
                         0.002 * log10(5.0) * d3;
    CU_ASSERT_DOUBLE_EQUAL(rma_los_100, 84.1984, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&rma, 1, 100.0), rma_los_100, 1e-9);
    double rma_nlos_100 = 161.04 - 7.1 * log10(20.0) + 7.5 * log10(5.0) -
                          (24.37 - 3.7 * (5.0 / 35.0) * (5.0 / 35.0)) * log10(35.0) +
                          (43.42 - 3.1 * log10(35.0)) * (log10(d3) - 3.0) + lf -
                          (3.2 * pow(log10(11.75 * 1.5), 2.0) - 4.97);
    CU_ASSERT_DOUBLE_EQUAL(rma_nlos_100, 92.6738, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&rma, 0, 100.0), rma_nlos_100, 1e-9);
    /* At 10 m the NLOS formula lies below LOS: the max gives LOS. */
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&rma, 0, 10.0),
                           et_propagation_pathloss_db(&rma, 1, 10.0), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&rma, 0, 1000.0), 130.4243, 1e-4);
    /* InH office, h_BS 3, h_UT 1: d_3D = sqrt(d^2 + 4). */
    d3 = sqrt(100.0 * 100.0 + 4.0);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&inh, 1, 100.0), 32.4 + 17.3 * log10(d3) + lf,
                           1e-9);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&inh, 0, 100.0),
                           38.3 * log10(d3) + 17.30 + 24.9 * log10(3.5), 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&inh, 1, 10.0), 60.7287, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&inh, 0, 100.0), 107.4506, 1e-4);
    /* Below the outdoor formulas' 10 m the loss holds; tr36814 is not TR 38.901's. */
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_pathloss_db(&uma, 1, 3.0),
                           et_propagation_pathloss_db(&uma, 1, 10.0), 0.0);
    et_propagation old = cell_of(ET_PROPAGATION_TR36814);
    CU_ASSERT(isnan(et_propagation_pathloss_db(&old, 1, 100.0)));
    /* The channel's dispatch: TR 38.901 by the cell, the TR 36.814 law by tr36814. */
    et_channel_params p;
    et_channel_params_default(&p);
    CU_ASSERT_DOUBLE_EQUAL(et_channel_cell_pathloss_db(&p, NULL, 1, 100.0), uma_los_100, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(et_channel_cell_pathloss_db(&p, &old, 0, 100.0), 90.5, 1e-9);
}

/* Table 7.4.2-1 by hand at 100 m: UMa 18/100 + exp(-100/63)(1 - 18/100),
 * UMi 18/100 + exp(-100/36)(1 - 18/100), RMa exp(-(100 - 10)/1000), InH
 * mixed office exp(-(100 - 6.5)/32.6) 0.32; UMa's C'(h_UT) for a 20 m UT. */
static void los_probability_matches_table_7_4_2_1(void)
{
    et_propagation uma = cell_of(ET_PROPAGATION_UMA), umi = cell_of(ET_PROPAGATION_UMI);
    et_propagation rma = cell_of(ET_PROPAGATION_RMA), inh = cell_of(ET_PROPAGATION_INH);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_los_probability(&uma, 100.0),
                           0.18 + exp(-100.0 / 63.0) * 0.82, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_los_probability(&uma, 100.0), 0.347671, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_los_probability(&umi, 100.0),
                           0.18 + exp(-100.0 / 36.0) * 0.82, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_los_probability(&rma, 100.0), exp(-0.09), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_los_probability(&inh, 100.0), exp(-93.5 / 32.6) * 0.32,
                           1e-12);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_los_probability(&inh, 3.0), exp(-1.8 / 4.7), 1e-12);
    /* Within 18 m (RMa 10 m, InH 1.2 m) the line of sight is certain. */
    CU_ASSERT_EQUAL(et_propagation_los_probability(&uma, 18.0), 1.0);
    CU_ASSERT_EQUAL(et_propagation_los_probability(&umi, 15.0), 1.0);
    CU_ASSERT_EQUAL(et_propagation_los_probability(&rma, 10.0), 1.0);
    CU_ASSERT_EQUAL(et_propagation_los_probability(&inh, 1.0), 1.0);
    /* A 20 m UT: C' = ((20 - 13) / 10)^1.5 = 0.5857, times 5/4 (1)^3 exp(-100/150). */
    uma.h_ut_m = 20.0;
    double c = pow(0.7, 1.5);
    CU_ASSERT_DOUBLE_EQUAL(
        et_propagation_los_probability(&uma, 100.0),
        (0.18 + exp(-100.0 / 63.0) * 0.82) * (1.0 + c * 1.25 * exp(-100.0 / 150.0)), 1e-12);
}

/* Standard deviations (Table 7.4.1-1) and decorrelation distances (Table
 * 7.5-6, 7.6.3.1-2) per scenario and condition, and the shadowing a UE sees
 * in each forced condition: sigma 4 and 6 dB in UMa, correlated over the
 * condition's distance (37 and 50 m). */
static void shadowing_sigma_and_decorrelation_follow_the_scenario_and_condition(void)
{
    et_propagation uma = cell_of(ET_PROPAGATION_UMA), umi = cell_of(ET_PROPAGATION_UMI);
    et_propagation rma = cell_of(ET_PROPAGATION_RMA), inh = cell_of(ET_PROPAGATION_INH);
    CU_ASSERT_EQUAL(et_propagation_shadowing_std_db(&uma, 1, 100), 4.0);
    CU_ASSERT_EQUAL(et_propagation_shadowing_std_db(&uma, 0, 100), 6.0);
    CU_ASSERT_EQUAL(et_propagation_shadowing_std_db(&umi, 0, 100), 7.82);
    CU_ASSERT_EQUAL(et_propagation_shadowing_std_db(&rma, 1, 100), 4.0);
    CU_ASSERT_EQUAL(et_propagation_shadowing_std_db(&rma, 1, 5000), 6.0); /* beyond d_BP */
    CU_ASSERT_EQUAL(et_propagation_shadowing_std_db(&rma, 0, 100), 8.0);
    CU_ASSERT_EQUAL(et_propagation_shadowing_std_db(&inh, 0, 10), 8.03);
    CU_ASSERT_EQUAL(et_propagation_shadowing_decorr_m(&uma, 1), 37.0);
    CU_ASSERT_EQUAL(et_propagation_shadowing_decorr_m(&uma, 0), 50.0);
    CU_ASSERT_EQUAL(et_propagation_shadowing_decorr_m(&umi, 1), 10.0);
    CU_ASSERT_EQUAL(et_propagation_shadowing_decorr_m(&umi, 0), 13.0);
    CU_ASSERT_EQUAL(et_propagation_shadowing_decorr_m(&rma, 0), 120.0);
    CU_ASSERT_EQUAL(et_propagation_shadowing_decorr_m(&inh, 0), 6.0);
    CU_ASSERT_EQUAL(et_propagation_los_decorr_m(&uma), 50.0);
    CU_ASSERT_EQUAL(et_propagation_los_decorr_m(&rma), 60.0);
    CU_ASSERT_EQUAL(et_propagation_los_decorr_m(&inh), 10.0);

    const et_los_mode modes[2] = {ET_LOS_ALWAYS, ET_LOS_NEVER};
    const double sigma[2] = {4.0, 6.0}, decorr[2] = {37.0, 50.0};
    for (int m = 0; m < 2; m++) {
        et_channel_params p;
        et_channel_params_default(&p);
        p.fading = ET_FADING_NONE;
        p.los = modes[m];
        et_channel_state st;
        et_channel_init(&st, 0, 21);
        /* Points 1 km apart: independent draws. */
        const int n = 20000;
        double sum = 0.0, sum2 = 0.0;
        for (int i = 0; i < n; i++) {
            et_channel_update(&st, &p, NULL, &radio_10mhz, (i % 2) ? 600.0 : -400.0, 0.0);
            CU_ASSERT_EQUAL(st.los, m == 0 ? 1 : 0);
            sum += st.shadowing_db;
            sum2 += st.shadowing_db * st.shadowing_db;
        }
        double mean = sum / n, std = sqrt(sum2 / n - mean * mean);
        CU_ASSERT_DOUBLE_EQUAL(mean, 0.0, 0.2);
        CU_ASSERT_DOUBLE_EQUAL(std, sigma[m], 0.2);
        /* 25 m steps back and forth: correlation exp(-25 / d_corr). */
        et_channel_init(&st, 0, 22);
        double prev = 0.0, sum_xy = 0.0, sum_xx = 0.0;
        for (int i = 0; i < n; i++) {
            et_channel_update(&st, &p, NULL, &radio_10mhz, (i % 2) ? 125.0 : 100.0, 0.0);
            if (i > 0) {
                sum_xy += prev * st.shadowing_db;
                sum_xx += prev * prev;
            }
            prev = st.shadowing_db;
        }
        CU_ASSERT_DOUBLE_EQUAL(sum_xy / sum_xx, exp(-25.0 / decorr[m]), 0.05);
    }
}

/* The stochastic LOS state: over many UEs at 100 m from a UMa AP the LOS
 * share is Table 7.4.2-1's 0.3477 (standard error 0.0075 with 4000 UEs); one
 * UE walking a 100 m circle around its AP (constant probability) changes
 * state only as a process correlated over 50 m would, not at every metre;
 * standing still it never changes. */
static void los_state_is_drawn_with_spatial_consistency(void)
{
    et_channel_params p;
    et_channel_params_default(&p);
    p.fading = ET_FADING_NONE;
    int los = 0;
    const int n_ue = 4000;
    for (int ue = 0; ue < n_ue; ue++) {
        et_channel_state st;
        et_channel_init(&st, ue, 5);
        et_channel_update(&st, &p, NULL, &radio_10mhz, 100.0, 0.0);
        CU_ASSERT(st.los == 0 || st.los == 1);
        los += st.los;
    }
    CU_ASSERT_DOUBLE_EQUAL((double)los / n_ue, 0.347671, 0.03);

    et_channel_state st;
    et_channel_init(&st, 7, 5);
    int flips = 0, last = -1, los_steps = 0;
    const int steps = 2000; /* 1 m steps: 2000 m, three times around */
    for (int i = 0; i < steps; i++) {
        double a = i / 100.0; /* 1 m of arc per step at r = 100 m */
        et_channel_update(&st, &p, NULL, &radio_10mhz, 100.0 * cos(a), 100.0 * sin(a));
        CU_ASSERT_DOUBLE_EQUAL(st.los_probability, 0.347671, 1e-5);
        if (last >= 0 && st.los != last) flips++;
        last = st.los;
        los_steps += st.los;
    }
    /* Independent draws every metre would flip about 2 p (1 - p) 2000 = 907
     * times; a state correlated over 50 m flips tens of times. */
    CU_ASSERT(flips > 0);
    CU_ASSERT(flips < 150);
    CU_ASSERT(los_steps > 0 && los_steps < steps);
    int before = st.los;
    for (int i = 0; i < 100; i++) {
        et_channel_update(&st, &p, NULL, &radio_10mhz, 100.0 * cos(19.99), 100.0 * sin(19.99));
        CU_ASSERT_EQUAL(st.los, before);
    }
}

/* los = mean: the path gain averaged over the state, no shadowing:
 * -10 log10(0.347671 10^(-83.1382/10) + 0.652329 10^(-103.0375/10)) at 100 m. */
static void mean_condition_averages_the_path_gain_over_the_los_state(void)
{
    et_channel_params p;
    et_channel_params_default(&p);
    p.los = ET_LOS_MEAN;
    p.fading = ET_FADING_NONE;
    et_channel_state st;
    et_channel_init(&st, 0, 1);
    et_channel_update(&st, &p, NULL, &radio_10mhz, 0.0, 100.0);
    double pr = 0.18 + exp(-100.0 / 63.0) * 0.82;
    double want = -10.0 * log10(pr * pow(10.0, -8.31382) + (1.0 - pr) * pow(10.0, -10.30375));
    CU_ASSERT_DOUBLE_EQUAL(st.pathloss_db, want, 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(st.pathloss_db, 87.6439, 1e-3);
    CU_ASSERT_EQUAL(st.shadowing_db, 0.0);
    CU_ASSERT_EQUAL(st.los, -1);
    CU_ASSERT_DOUBLE_EQUAL(et_channel_mean_pathloss_db(&p, NULL, 100.0), st.pathloss_db, 1e-12);
    /* The interferers' fast form (constants prepared once per cell) is the
     * definition, in every scenario, on both sides of the breakpoints. */
    for (int sc = ET_PROPAGATION_UMA; sc <= ET_PROPAGATION_INH; sc++) {
        et_propagation cell = cell_of((et_propagation_scenario)sc);
        et_propagation_gain g;
        et_propagation_gain_prepare(&cell, &g);
        const double ds[] = {3, 10, 50, 150, 300, 700, 2000, 6000};
        for (size_t i = 0; i < sizeof ds / sizeof ds[0]; i++) {
            double pr = et_propagation_los_probability(&cell, ds[i]);
            double def =
                pr * pow(10.0, -et_propagation_pathloss_db(&cell, 1, ds[i]) / 10.0) +
                (1.0 - pr) * pow(10.0, -et_propagation_pathloss_db(&cell, 0, ds[i]) / 10.0);
            CU_ASSERT_DOUBLE_EQUAL(et_propagation_gain_mean(&g, ds[i]) / def, 1.0, 1e-12);
        }
    }
}

/* Indoor UEs (indoor_fraction 1) in UMa at 3.5 GHz pay the low-loss O2I
 * penetration: PL_tw = 5 - 10 log10(0.3 10^(-(2 + 0.7)/10) + 0.7 10^(-(5 +
 * 14)/10)) = 12.6975 dB, plus 0.5 dB per metre inside (d_2D-in at most 25 m);
 * with shadowing off, no sigma_P. Outdoor UEs (the default) pay nothing. */
static void indoor_ues_pay_the_low_loss_o2i_penetration(void)
{
    double pl_tw = 5.0 - 10.0 * log10(0.3 * pow(10.0, -0.27) + 0.7 * pow(10.0, -1.9));
    CU_ASSERT_DOUBLE_EQUAL(pl_tw, 12.6975, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(et_propagation_o2i_loss_db(3.5e9, 10.0), pl_tw + 5.0, 1e-9);
    et_channel_params p;
    et_channel_params_default(&p);
    p.fading = ET_FADING_NONE;
    p.shadowing = 0;
    p.los = ET_LOS_ALWAYS;
    et_channel_state out, in;
    et_channel_init(&out, 3, 1);
    et_channel_update(&out, &p, NULL, &radio_10mhz, 0.0, 200.0);
    CU_ASSERT_EQUAL(out.indoor, 0);
    CU_ASSERT_EQUAL(out.o2i_loss_db, 0.0);
    p.indoor_fraction = 1.0;
    et_channel_init(&in, 3, 1);
    et_channel_update(&in, &p, NULL, &radio_10mhz, 0.0, 200.0);
    CU_ASSERT_EQUAL(in.indoor, 1);
    CU_ASSERT(in.o2i_loss_db >= pl_tw && in.o2i_loss_db <= pl_tw + 12.5);
    /* The same path loss (the whole distance), the penetration on top. */
    CU_ASSERT_DOUBLE_EQUAL(in.pathloss_db, out.pathloss_db, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(out.snr_up_db - in.snr_up_db, in.o2i_loss_db, 1e-9);
}

/* ---- TDD and FDD carriers ---- */

/* DDDSU with a 10:2:2 special slot: downlink (3 x 14 + 10) / 70, uplink
 * (14 + 2) / 70; malformed patterns name their key. */
static void tdd_shares_follow_the_slot_pattern(void)
{
    double dl, ul;
    et_error err;
    CU_ASSERT_EQUAL(et_channel_tdd_shares("DDDSU", "10:2:2", &dl, &ul, &err), ET_OK);
    CU_ASSERT_DOUBLE_EQUAL(dl, 52.0 / 70.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(ul, 16.0 / 70.0, 1e-15);
    /* DDDDDDDSUU (5 ms) with 6:4:4: (7 14 + 6) / 140 and (2 14 + 4) / 140. */
    CU_ASSERT_EQUAL(et_channel_tdd_shares("DDDDDDDSUU", "6:4:4", &dl, &ul, &err), ET_OK);
    CU_ASSERT_DOUBLE_EQUAL(dl, 104.0 / 140.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(ul, 32.0 / 140.0, 1e-15);
    CU_ASSERT_EQUAL(et_channel_tdd_shares("DDDXU", "10:2:2", &dl, &ul, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "channel.tdd_pattern"));
    CU_ASSERT_EQUAL(et_channel_tdd_shares("DDDD", "10:2:2", &dl, &ul, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "both directions"));
    CU_ASSERT_EQUAL(et_channel_tdd_shares("DDDSU", "10:2:3", &dl, &ul, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "channel.tdd_special_slot"));
    CU_ASSERT_EQUAL(et_channel_tdd_shares("", "10:2:2", &dl, &ul, &err), ET_ERR_INPUT);
}

/* A UE 400 m from a TR 36.814 AP (PL = 128.1 + 37.6 log10(0.4) = 113.137
 * dB), no shadowing, no fading, 23 dBm, AP 46 dBm.
 * FDD 80/20 MHz (version 2): uplink noise -174 + 10 log10(20e6) + 5 = -95.99
 * dBm, SNR 5.853 dB, rate 20e6 log2(1 + 3.848) = 45.5 Mb/s.
 * TDD 100 MHz DDDSU: the UE's power over 100 MHz, noise -174 + 80 + 5 = -89
 * dBm, SNR -1.137 dB, in 16/70 of the time: 100e6 (16/70) log2(1 + 0.7698) =
 * 18.8 Mb/s. Downlink: 46 - 113.137 - (-174 + 80 + 9) = 17.863 dB, 100e6
 * (52/70) log2(1 + 61.13) = 442.5 Mb/s, against 80e6 log2(1 + 10^(1.8832)) =
 * 80e6 x 6.2745 = 502.0 Mb/s under FDD (18.83 dB over 80 MHz). */
static void tdd_rate_is_bandwidth_times_time_share_times_efficiency(void)
{
    et_channel_params p = deterministic_params();
    double pl = 128.1 + 37.6 * log10(0.4);
    CU_ASSERT_DOUBLE_EQUAL(pl, 113.137, 1e-3);
    et_ue_radio fdd = {.tx_power_dbm = 23, .bandwidth_up_hz = 20e6, .bandwidth_down_hz = 80e6};
    et_ue_radio tdd = {.tx_power_dbm = 23,
                       .bandwidth_up_hz = 100e6,
                       .bandwidth_down_hz = 100e6,
                       .duty_up = 16.0 / 70.0,
                       .duty_down = 52.0 / 70.0};
    et_channel_state a, b;
    et_channel_init(&a, 0, 1);
    et_channel_init(&b, 0, 1);
    et_channel_update(&a, &p, NULL, &fdd, 400.0, 0.0);
    et_channel_update(&b, &p, NULL, &tdd, 400.0, 0.0);
    double snr_fdd_up = 23.0 - pl - (-174.0 + 10.0 * log10(20e6) + 5.0);
    double snr_tdd_up = 23.0 - pl - (-174.0 + 80.0 + 5.0);
    CU_ASSERT_DOUBLE_EQUAL(a.snr_up_db, snr_fdd_up, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(a.snr_up_db, 5.853, 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(b.snr_up_db, snr_tdd_up, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(b.snr_up_db, -1.137, 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(a.rate_up_bps, 20e6 * log2(1.0 + pow(10.0, snr_fdd_up / 10.0)), 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(a.rate_up_bps, 45.5e6, 0.05e6);
    CU_ASSERT_DOUBLE_EQUAL(b.rate_up_bps,
                           100e6 * (16.0 / 70.0) * log2(1.0 + pow(10.0, snr_tdd_up / 10.0)), 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(b.rate_up_bps, 18.82e6, 0.01e6);
    double snr_down = 46.0 - pl - (-174.0 + 80.0 + 9.0);
    CU_ASSERT_DOUBLE_EQUAL(b.snr_down_db, snr_down, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(b.rate_down_bps,
                           100e6 * (52.0 / 70.0) * log2(1.0 + pow(10.0, snr_down / 10.0)), 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(b.rate_down_bps, 442.5e6, 0.1e6);
    CU_ASSERT_DOUBLE_EQUAL(a.rate_down_bps, 502.0e6, 0.1e6);
    /* Sharing with a second UE: half the band each, the uplink +3 dB:
     * 50e6 (16/70) log2(1 + 2 x 0.7698). */
    et_channel_table *table = table_for(&p);
    double shared = et_channel_share_rate_bps(&p, table, 100e6, 16.0 / 70.0, b.sinr_up_db, 2, 1);
    CU_ASSERT_DOUBLE_EQUAL(shared, 50e6 * (16.0 / 70.0) * log2(1.0 + 2.0 * pow(10.0, -0.1137)),
                           2e3);
    double alone = et_channel_share_rate_bps(&p, table, 100e6, 16.0 / 70.0, b.sinr_up_db, 1, 1);
    CU_ASSERT_DOUBLE_EQUAL(alone, b.rate_up_bps, 1e-3);
    /* FDD keeps its full time: a duty of 0 (unset) is 1. */
    double fdd_rate = et_channel_share_rate_bps(&p, table, 20e6, 0.0, a.sinr_up_db, 1, 1);
    CU_ASSERT_DOUBLE_EQUAL(fdd_rate, a.rate_up_bps, 1e-3);
    et_channel_table_destroy(table);
}

/* The calculator's numbers are the channel's: UMa LOS at 100 m, 5 GHz, BS
 * 25 m, UT 1.5 m (the example): d'_BP = 4 24 0.5 5e9 / 3e8 = 800 m,
 * PL = 28 + 22 log10(102.724) + 20 log10(5) = 86.2362 dB; uplink SNR on the
 * 100 MHz TDD carrier 23 - 86.2362 + 89 = 25.7638 dB, above the 7.4 b/s/Hz
 * cap without fading: 100e6 (16/70) 7.4 = 169.14 Mb/s. NLOS at 400 m:
 * max(PL_LOS, 13.54 + 39.08 log10(400.69) + 20 log10(5)), rate 100e6 (16/70)
 * log2(1 + SNR). With 7 cells 500 m apart, the SINR is below the SNR. */
static void linkbudget_gives_the_channels_numbers(void)
{
    et_linkbudget_input in = {
        .distance_m = 100.0,
        .ue_tx_power_dbm = 23.0,
        .duplex = ET_DUPLEX_TDD,
        .carrier_hz = 100e6,
        .tdd_downlink_share = 52.0 / 70.0,
        .tdd_uplink_share = 16.0 / 70.0,
        .carrier_down_hz = 80e6,
        .carrier_up_hz = 20e6,
        .n_cells = 1,
        .isd_m = 500.0,
        .max_interferers = 18,
        .sharing_ues = 1,
    };
    et_channel_params_default(&in.channel);
    in.channel.propagation.frequency_hz = 5e9;
    in.channel.propagation.h_bs_m = 25.0;
    in.channel.propagation.h_ut_m = 1.5;
    in.channel.fading = ET_FADING_NONE;
    in.channel.los = ET_LOS_ALWAYS;
    et_linkbudget_result r;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_linkbudget_compute(&in, &r, &err), ET_OK);
    double d3 = sqrt(100.0 * 100.0 + 23.5 * 23.5);
    CU_ASSERT_DOUBLE_EQUAL(r.d_3d_m, d3, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.breakpoint_m, 800.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.path_loss_db, 28.0 + 22.0 * log10(d3) + 20.0 * log10(5.0), 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.path_loss_db, 86.2362, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(r.los_probability, 0.18 + exp(-100.0 / 63.0) * 0.82, 1e-12);
    CU_ASSERT_EQUAL(r.shadowing_std_db, 4.0);
    CU_ASSERT_DOUBLE_EQUAL(r.noise_dbm[0], -89.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.snr_db[0], 23.0 - r.path_loss_db + 89.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.rate_bps[0], 100e6 * (16.0 / 70.0) * 7.4, 1e-3);
    in.distance_m = 400.0;
    in.channel.los = ET_LOS_NEVER;
    CU_ASSERT_EQUAL_FATAL(et_linkbudget_compute(&in, &r, &err), ET_OK);
    d3 = sqrt(400.0 * 400.0 + 23.5 * 23.5);
    double nlos = 13.54 + 39.08 * log10(d3) + 20.0 * log10(5.0);
    CU_ASSERT_DOUBLE_EQUAL(r.path_loss_db, nlos, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.shadowing_std_db, 6.0, 0.0);
    double snr_up = 23.0 - nlos + 89.0;
    CU_ASSERT_DOUBLE_EQUAL(r.rate_bps[0],
                           100e6 * (16.0 / 70.0) * log2(1.0 + pow(10.0, snr_up / 10.0)), 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(r.sinr_db[1], r.snr_db[1], 0.0);
    in.n_cells = 7;
    CU_ASSERT_EQUAL_FATAL(et_linkbudget_compute(&in, &r, &err), ET_OK);
    CU_ASSERT(r.sinr_db[1] < r.snr_db[1] - 3.0);
    CU_ASSERT(r.sinr_db[0] < r.snr_db[0]);
}

int main(void)
{
    static const et_test_case cases[] = {
        {"moving_then_linking_equals_updating_every_step",
         moving_then_linking_equals_updating_every_step},
        {"nearest_interferers_are_sorted_by_distance", nearest_interferers_are_sorted_by_distance},
        {"pathloss_at_100_m_and_1_km_matches_hand_values",
         pathloss_at_100_m_and_1_km_matches_hand_values},
        {"pathloss_clamps_distance_below_one_metre", pathloss_clamps_distance_below_one_metre},
        {"shannon_rate_is_capped_at_max_spectral_efficiency",
         shannon_rate_is_capped_at_max_spectral_efficiency},
        {"snr_matches_the_link_budget_at_the_cell_edge",
         snr_matches_the_link_budget_at_the_cell_edge},
        {"snr_and_rate_fall_with_distance_without_shadowing_or_fading",
         snr_and_rate_fall_with_distance_without_shadowing_or_fading},
        {"rate_is_floored_at_min_rate_far_from_the_ap",
         rate_is_floored_at_min_rate_far_from_the_ap},
        {"rayleigh_ergodic_rate_is_below_the_no_fading_rate",
         rayleigh_ergodic_rate_is_below_the_no_fading_rate},
        {"rayleigh_ergodic_rate_matches_numerical_integration",
         rayleigh_ergodic_rate_matches_numerical_integration},
        {"rician_with_large_k_approaches_no_fading", rician_with_large_k_approaches_no_fading},
        {"rician_lies_between_rayleigh_and_no_fading", rician_lies_between_rayleigh_and_no_fading},
        {"shadowing_has_the_configured_std", shadowing_has_the_configured_std},
        {"shadowing_correlation_follows_gudmundson_over_distance_moved",
         shadowing_correlation_follows_gudmundson_over_distance_moved},
        {"shadowing_stays_put_while_the_ue_stands_still",
         shadowing_stays_put_while_the_ue_stands_still},
        {"same_seed_gives_the_identical_sequence_and_another_seed_differs",
         same_seed_gives_the_identical_sequence_and_another_seed_differs},
        {"fading_sample_count_does_not_move_the_shadowing",
         fading_sample_count_does_not_move_the_shadowing},
        {"quadrature_matches_a_closed_form_and_independent_integrations",
         quadrature_matches_a_closed_form_and_independent_integrations},
        {"rician_quadrature_spans_rayleigh_to_no_fading_as_k_grows",
         rician_quadrature_spans_rayleigh_to_no_fading_as_k_grows},
        {"table_matches_the_quadrature_at_grid_points",
         table_matches_the_quadrature_at_grid_points},
        {"table_interpolates_within_2e_5_between_grid_points",
         table_interpolates_within_2e_5_between_grid_points},
        {"table_extrapolates_beyond_its_grid_within_1e_7",
         table_extrapolates_beyond_its_grid_within_1e_7},
        {"table_rate_matches_the_monte_carlo_reference_within_one_percent",
         table_rate_matches_the_monte_carlo_reference_within_one_percent},
        {"no_fading_table_equals_the_capped_shannon_rate",
         no_fading_table_equals_the_capped_shannon_rate},
        {"table_rate_is_non_decreasing_in_snr_and_within_the_cap",
         table_rate_is_non_decreasing_in_snr_and_within_the_cap},
        {"table_and_monte_carlo_paths_draw_the_same_shadowing",
         table_and_monte_carlo_paths_draw_the_same_shadowing},
        {"table_create_rejects_invalid_params_and_destroy_accepts_null",
         table_create_rejects_invalid_params_and_destroy_accepts_null},
        {"wifi_level_picks_the_fastest_level_whose_threshold_is_met",
         wifi_level_picks_the_fastest_level_whose_threshold_is_met},
        {"wifi_default_table_matches_the_802_11ac_mcs_rates",
         wifi_default_table_matches_the_802_11ac_mcs_rates},
        {"distance_and_snr_come_from_the_ues_own_cell",
         distance_and_snr_come_from_the_ues_own_cell},
        {"interference_from_the_other_cell_matches_hand_values",
         interference_from_the_other_cell_matches_hand_values},
        {"each_ap_transmits_at_its_cells_own_power", each_ap_transmits_at_its_cells_own_power},
        {"interference_lowers_sinr_and_rate_when_on_and_not_when_off",
         interference_lowers_sinr_and_rate_when_on_and_not_when_off},
        {"one_cell_or_a_bad_serving_index_falls_back_to_the_single_cell_update",
         one_cell_or_a_bad_serving_index_falls_back_to_the_single_cell_update},
        {"default_params_are_valid_and_bad_values_name_their_key",
         default_params_are_valid_and_bad_values_name_their_key},
        {"tr38901_path_loss_matches_the_table_by_hand",
         tr38901_path_loss_matches_the_table_by_hand},
        {"los_probability_matches_table_7_4_2_1", los_probability_matches_table_7_4_2_1},
        {"shadowing_sigma_and_decorrelation_follow_the_scenario_and_condition",
         shadowing_sigma_and_decorrelation_follow_the_scenario_and_condition},
        {"los_state_is_drawn_with_spatial_consistency",
         los_state_is_drawn_with_spatial_consistency},
        {"mean_condition_averages_the_path_gain_over_the_los_state",
         mean_condition_averages_the_path_gain_over_the_los_state},
        {"indoor_ues_pay_the_low_loss_o2i_penetration",
         indoor_ues_pay_the_low_loss_o2i_penetration},
        {"tdd_shares_follow_the_slot_pattern", tdd_shares_follow_the_slot_pattern},
        {"tdd_rate_is_bandwidth_times_time_share_times_efficiency",
         tdd_rate_is_bandwidth_times_time_share_times_efficiency},
        {"linkbudget_gives_the_channels_numbers", linkbudget_gives_the_channels_numbers},
        {NULL, NULL},
    };
    return et_test_main("channel", cases);
}
