/* test_channel.c: path loss, SNR, capped Shannon rate, ergodic rate under
 * fading (quadrature, its table and the Monte Carlo reference twin),
 * correlated shadowing, seeding and the Wi-Fi MCS helpers. */
#include "channel.h"
#include "et_test.h"

#include <math.h>
#include <string.h>

/* The default 3GPP-style parameters with shadowing and fading switched off,
 * so that rates are deterministic functions of distance. */
static et_channel_params deterministic_params(void)
{
    et_channel_params p;
    et_channel_params_default(&p);
    p.shadowing_std_db = 0.0;
    p.fading = ET_FADING_NONE;
    return p;
}

/* A 23 dBm UE with 10 MHz each way (LTE-like evaluation assumption). */
static const et_ue_radio radio_10mhz = {23.0, 10e6, 10e6};

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
    et_ue_radio silent = {23.0, 0.0, 10e6};
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
    et_channel_params_default(&p);
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
    et_channel_params_default(&p);
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
    et_channel_params_default(&p);
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
    et_channel_params_default(&p);
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
    et_channel_params_default(&p);
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
    et_channel_params_default(&p); /* 8 dB shadowing, Rayleigh */
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
    et_channel_params_default(&p);
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
static const et_channel_ap two_sites[2] = {{0.0, 0.0}, {500.0, 0.0}};

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

static void interference_lowers_sinr_and_rate_when_on_and_not_when_off(void)
{
    /* A UE at the edge between two sites, with shadowing and fading on. */
    et_channel_params on;
    et_channel_params_default(&on);
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
    et_channel_params_default(&p);
    et_channel_table *table = table_for(&p);
    const et_channel_ap origin = {0.0, 0.0};
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
    et_channel_params_default(&p);
    et_channel_table *table = NULL;
    et_error err;
    CU_ASSERT_FATAL(et_channel_table_create(&p, &table, &err) == ET_OK);
    et_channel_ap aps[3] = {{0, 0}, {500, 0}, {250, 434}};
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
    et_channel_ap aps[5] = {{0, 0}, {300, 0}, {-100, 0}, {0, 200}, {0, -100}};
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
        {"interference_lowers_sinr_and_rate_when_on_and_not_when_off",
         interference_lowers_sinr_and_rate_when_on_and_not_when_off},
        {"one_cell_or_a_bad_serving_index_falls_back_to_the_single_cell_update",
         one_cell_or_a_bad_serving_index_falls_back_to_the_single_cell_update},
        {"default_params_are_valid_and_bad_values_name_their_key",
         default_params_are_valid_and_bad_values_name_their_key},
        {NULL, NULL},
    };
    return et_test_main("channel", cases);
}
