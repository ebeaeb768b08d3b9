/* channel.c: per-UE wireless link quality: path loss of the cell's scenario
 * (TR 38.901 through propagation.c, or the TR 36.814 law), the LOS state and
 * the log-normal shadowing as processes in the distance walked, the ergodic
 * rate under small-scale fading (a quadrature table, with a Monte Carlo
 * reference twin), TDD time shares, and the Wi-Fi MCS helpers. Pure C; the
 * model and every default are described, with sources, in docs/channel.md. */
#include "channel.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void et_channel_params_default(et_channel_params *p)
{
    /* 3GPP TR 38.901 urban macro (Table 7.4.1-1) at 3.5 GHz, the centre of NR band n78
     * (3.3-3.8 GHz, TS 38.104 Table 5.2-1) where the default 100 MHz TDD carrier sits;
     * heights 0 = the scenario's Table 7.2-1 evaluation heights (UMa: BS 25 m, UT 1.5 m). */
    p->propagation = (et_propagation){
        .scenario = ET_PROPAGATION_UMA, .frequency_hz = 3.5e9, .h_bs_m = 0.0, .h_ut_m = 0.0};
    p->los = ET_LOS_STOCHASTIC;
    p->shadowing = 1;
    /* TR 38.901 Table 7.2-1 puts 80% of UMa and UMi UEs indoors; edgetune's UEs are
     * outdoors unless the scenario says otherwise. */
    p->indoor_fraction = 0.0;
    /* Macro cell evaluation assumptions of 3GPP TR 36.814 Annex A.2.1.1
     * (2 GHz, d in km): the tr36814 scenario, the law edgetune used before
     * TR 38.901. */
    p->pathloss_a_db = 128.1;
    p->pathloss_b_db = 37.6;
    p->shadowing_std_db = 8.0;
    /* TR 38.901 Table 7.5-6 (UMa NLOS) gives 50 m; Gudmundson (1991)
     * measured 20-100 m in suburban and urban macro cells. */
    p->shadowing_decorr_m = 50.0;
    p->fading = ET_FADING_RAYLEIGH;
    p->rician_k_db = 6.0;
    /* Monte Carlo reference path only. A pedestrian at 1 m/s and 2 GHz sees
     * a Doppler of about 7 Hz, a coherence time of about 60 ms (0.423 / f_D):
     * a 1 s interval spans about 16 independent fades, so 16 samples give the
     * interval average about the spread it really has (12% per update at
     * 9 dB, measured). */
    p->fading_samples = 16;
    p->noise_density_dbm_hz = -174.0; /* kT at 290 K */
    p->ue_noise_figure_db = 9.0;
    p->ap_noise_figure_db = 5.0;
    p->ap_tx_power_dbm = 46.0; /* macro base station over 10 MHz */
    /* CQI 15 of the 256-QAM CQI table, TS 36.213 Table 7.2.3-2:
     * 8 bits x 948/1024 = 7.41 b/s/Hz (the 64-QAM table stops at 5.55). */
    p->max_spectral_eff_bps_hz = 7.4;
    p->min_rate_bps = 1e5;
    /* Neighbouring cells on the same carrier interfere (reuse 1, as in the
     * 3GPP NR evaluation layouts). Load 1 is the full-buffer traffic of the
     * 3GPP system-level calibrations (TR 36.814 Annex A.2.1): the worst
     * case; lower it for lightly loaded neighbours. */
    p->interference = 1;
    p->dl_load_factor = 1.0;
    p->ul_load_factor = 1.0;
}

et_status et_channel_params_validate(const et_channel_params *p, et_error *err)
{
    /* Ranges are wide enough for any published evaluation assumption and
     * narrow enough to catch a unit mistake (dB vs linear, Hz vs MHz). */
    struct range {
        const char *key;
        double value, lo, hi;
    } checks[] = {
        {"pathloss_a_db", p->pathloss_a_db, 0.0, 300.0},
        {"pathloss_b_db", p->pathloss_b_db, 0.0, 100.0},
        {"shadowing_std_db", p->shadowing_std_db, 0.0, 30.0},
        {"shadowing_decorr_m", p->shadowing_decorr_m, 0.1, 1e5},
        {"rician_k_db", p->rician_k_db, -30.0, 40.0},
        {"noise_density_dbm_hz", p->noise_density_dbm_hz, -200.0, -100.0},
        {"ue_noise_figure_db", p->ue_noise_figure_db, 0.0, 30.0},
        {"ap_noise_figure_db", p->ap_noise_figure_db, 0.0, 30.0},
        {"ap_tx_power_dbm", p->ap_tx_power_dbm, -30.0, 60.0},
        {"max_spectral_eff_bps_hz", p->max_spectral_eff_bps_hz, 0.1, 30.0},
        {"min_rate_bps", p->min_rate_bps, 1.0, 1e12},
        {"dl_load_factor", p->dl_load_factor, 0.0, 1.0},
        {"ul_load_factor", p->ul_load_factor, 0.0, 1.0},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        const struct range *c = &checks[i];
        /* Written so that NaN fails too. */
        if (!(c->value >= c->lo && c->value <= c->hi))
            return et_error_set(err, ET_ERR_INPUT,
                                "channel key '%s': expected a number in [%g, %g], got %g", c->key,
                                c->lo, c->hi, c->value);
    }
    et_status st = et_propagation_validate(&p->propagation, "channel key", err);
    if (st != ET_OK) return st;
    if (!(p->indoor_fraction >= 0.0 && p->indoor_fraction <= 1.0))
        return et_error_set(err, ET_ERR_INPUT,
                            "channel key 'indoor_fraction': expected a number in [0, 1], got %g",
                            p->indoor_fraction);
    if ((int)p->los < ET_LOS_STOCHASTIC || (int)p->los > ET_LOS_MEAN)
        return et_error_set(err, ET_ERR_INPUT, "channel key 'los': expected one of %s, got %d",
                            ET_LOS_MODES, (int)p->los);
    if (p->shadowing != 0 && p->shadowing != 1)
        return et_error_set(err, ET_ERR_INPUT,
                            "channel key 'shadowing': expected 0 (off) or 1 (on), got %d",
                            p->shadowing);
    if (p->fading != ET_FADING_NONE && p->fading != ET_FADING_RAYLEIGH &&
        p->fading != ET_FADING_RICIAN)
        return et_error_set(err, ET_ERR_INPUT,
                            "channel key 'fading': expected none, rayleigh or rician, got %d",
                            (int)p->fading);
    if (p->interference != 0 && p->interference != 1)
        return et_error_set(err, ET_ERR_INPUT,
                            "channel key 'interference': expected 0 (off) or 1 (on), got %d",
                            p->interference);
    if (p->fading_samples < 1 || p->fading_samples > 100000)
        return et_error_set(err, ET_ERR_INPUT,
                            "channel key 'fading_samples': expected an integer in [1, 100000], "
                            "got %d",
                            p->fading_samples);
    return ET_OK;
}

void et_channel_init(et_channel_state *st, int ue, uint64_t seed)
{
    memset(st, 0, sizeof *st);
    st->los = -1;
    st->los_probability = NAN;
    et_rng_seed(&st->rng, seed, et_rng_stream_id(ET_RNG_SHADOWING, (uint64_t)ue));
    et_rng_seed(&st->nlos_rng, seed,
                et_rng_stream_id(ET_RNG_SHADOWING, (uint64_t)ue | ET_CHANNEL_NLOS_OWNER));
    et_rng_seed(&st->los_rng, seed,
                et_rng_stream_id(ET_RNG_SHADOWING, (uint64_t)ue | ET_CHANNEL_LOS_OWNER));
    et_rng_seed(&st->fading_rng, seed, et_rng_stream_id(ET_RNG_FADING, (uint64_t)ue));
    /* The UE's O2I draws, made once: whether it is indoors (against indoor_fraction), its
     * indoor distance d_2D-in = min of two uniforms (TR 38.901 Table 7.4.3-2), and the
     * normal that scales the penetration's spread sigma_P. A stream of their own, so that
     * turning indoor UEs on moves no other draw. */
    et_rng o2i;
    et_rng_seed(&o2i, seed,
                et_rng_stream_id(ET_RNG_SHADOWING,
                                 (uint64_t)ue | ET_CHANNEL_NLOS_OWNER | ET_CHANNEL_LOS_OWNER));
    st->indoor_u = et_rng_uniform(&o2i);
    st->d_in_u = fmin(et_rng_uniform(&o2i), et_rng_uniform(&o2i));
    st->o2i_normal = et_rng_normal(&o2i);
}

double et_channel_pathloss_db(const et_channel_params *p, double distance_m)
{
    /* The log-distance law diverges at d -> 0; below 1 m the far-field
     * assumption behind it does not hold anyway. */
    double d_m = distance_m < 1.0 ? 1.0 : distance_m;
    return p->pathloss_a_db + p->pathloss_b_db * log10(d_m / 1000.0);
}

double et_channel_cell_pathloss_db(const et_channel_params *p, const et_propagation *cell, int los,
                                   double d_2d_m)
{
    if (!cell) cell = &p->propagation;
    if (cell->scenario == ET_PROPAGATION_TR36814) return et_channel_pathloss_db(p, d_2d_m);
    return et_propagation_pathloss_db(cell, los, d_2d_m);
}

/* Linear path gain averaged over the LOS state at 2D distance d_2d_m of a TR 38.901 cell. */
static double mean_path_gain(const et_propagation *cell, double d_2d_m)
{
    return et_propagation_mean_path_gain(cell, d_2d_m);
}

double et_channel_mean_pathloss_db(const et_channel_params *p, const et_propagation *cell,
                                   double d_2d_m)
{
    if (!cell) cell = &p->propagation;
    if (cell->scenario == ET_PROPAGATION_TR36814) return et_channel_pathloss_db(p, d_2d_m);
    return -10.0 * log10(mean_path_gain(cell, d_2d_m));
}

et_status et_channel_tdd_shares(const char *pattern, const char *special_slot, double *dl_share,
                                double *ul_share, et_error *err)
{
    size_t n = pattern ? strlen(pattern) : 0;
    int n_d = 0, n_u = 0, n_s = 0;
    int ok = n >= 1 && n <= 80;
    for (size_t i = 0; ok && i < n; i++) {
        n_d += pattern[i] == 'D';
        n_u += pattern[i] == 'U';
        n_s += pattern[i] == 'S';
        ok = pattern[i] == 'D' || pattern[i] == 'U' || pattern[i] == 'S';
    }
    if (!ok)
        return et_error_set(err, ET_ERR_INPUT,
                            "key 'channel.tdd_pattern': expected 1 to 80 slots, each D "
                            "(downlink), U (uplink) or S (special), such as DDDSU, got \"%.100s\"",
                            pattern ? pattern : "");
    /* A slot holds 14 OFDM symbols with the normal cyclic prefix (TS 38.211 section 4.3.2);
     * the special slot's are split downlink : guard : uplink. */
    int d = -1, g = -1, u = -1, used = 0;
    if (!special_slot || sscanf(special_slot, "%d:%d:%d%n", &d, &g, &u, &used) != 3 ||
        special_slot[used] != '\0' || d < 0 || g < 0 || u < 0 || d + g + u != 14)
        return et_error_set(err, ET_ERR_INPUT,
                            "key 'channel.tdd_special_slot': expected \"d:g:u\", the special "
                            "slot's downlink, guard and uplink OFDM symbols, three integers >= 0 "
                            "adding up to 14 (such as 10:2:2), got \"%.100s\"",
                            special_slot ? special_slot : "");
    double symbols = 14.0 * (double)n;
    double dl = (14.0 * n_d + (double)d * n_s) / symbols;
    double ul = (14.0 * n_u + (double)u * n_s) / symbols;
    if (!(dl > 0.0) || !(ul > 0.0))
        return et_error_set(err, ET_ERR_INPUT,
                            "key 'channel.tdd_pattern': expected a pattern with time in both "
                            "directions, got \"%.100s\" with special slot %s (downlink share %g, "
                            "uplink share %g)",
                            pattern, special_slot, dl, ul);
    *dl_share = dl;
    *ul_share = ul;
    return ET_OK;
}

/* Spectral efficiency log2(1 + snr) capped at the modulation and coding
 * limit, in b/s/Hz; snr is linear. */
static double capped_se(const et_channel_params *p, double snr_linear)
{
    double se = log2(1.0 + snr_linear);
    return se < p->max_spectral_eff_bps_hz ? se : p->max_spectral_eff_bps_hz;
}

double et_channel_shannon_bps(const et_channel_params *p, double bandwidth_hz, double snr_db)
{
    if (!(bandwidth_hz > 0.0)) return 0.0;
    return bandwidth_hz * capped_se(p, pow(10.0, snr_db / 10.0));
}

/* ---- Monte Carlo reference path ---- */

/* One draw of the power gain |h|^2 with E|h|^2 = 1. */
static double fading_gain(const et_channel_params *p, et_rng *rng)
{
    switch (p->fading) {
    case ET_FADING_RAYLEIGH:
        /* |h| Rayleigh <=> |h|^2 exponential with unit mean. */
        return et_rng_exponential(rng, 1.0);
    case ET_FADING_RICIAN: {
        /* h = sqrt(K/(K+1)) + sqrt(1/(K+1)) CN(0, 1): a line-of-sight part
         * carrying K/(K+1) of the power plus a diffuse part; |h|^2 is a
         * scaled non-central chi-square with 2 degrees of freedom and unit
         * mean. */
        double k = pow(10.0, p->rician_k_db / 10.0);
        double los = sqrt(k / (k + 1.0));
        double sigma = sqrt(0.5 / (k + 1.0)); /* per real dimension */
        double re = los + sigma * et_rng_normal(rng);
        double im = sigma * et_rng_normal(rng);
        return re * re + im * im;
    }
    case ET_FADING_NONE:
    default:
        return 1.0;
    }
}

/* Mean over fading_samples draws of min(log2(1 + snr |h|^2), max_se), b/s/Hz. */
static double monte_carlo_se(const et_channel_params *p, et_rng *rng, double snr_db)
{
    double snr = pow(10.0, snr_db / 10.0);
    if (p->fading == ET_FADING_NONE) return capped_se(p, snr);
    int n = p->fading_samples > 0 ? p->fading_samples : 1;
    double sum_se = 0.0;
    for (int i = 0; i < n; i++)
        sum_se += capped_se(p, snr * fading_gain(p, rng));
    return sum_se / n;
}

/* ---- Ergodic spectral efficiency by quadrature ----
 *
 * f(snr) = E[min(log2(1 + snr g), max_se)] over the power gain g = |h|^2.
 * The integral is taken over the amplitude u = sqrt((K + 1) g) (K = 0 for
 * Rayleigh). With the unit-mean non-central chi-square density of g,
 * p(g) = (K+1) exp(-K - (K+1) g) I0(2 sqrt(K (K+1) g)), u has the Rice density
 *   q(u) = 2u exp(-(u - sqrt K)^2) [exp(-x) I0(x)],   x = 2 sqrt(K) u,
 * a smooth bump of width about 1 around sqrt(K) whatever K is, so one
 * integration range, sqrt(K) -/+ 9 (mass left out below exp(-80)), fits every
 * K. The integrand has a kink where the cap starts to bind, at
 * u_cap = sqrt((K+1) (2^max_se - 1) / snr); the range is split there so that
 * each piece is smooth and Gauss-Kronrod converges fast. */

static const double ln2 = 0.69314718055994530942;
/* M_PI is not in strict C11. */
static const double pi = 3.14159265358979323846;

/* exp(-x) I0(x) for x >= 0, to about 1e-15 relative. */
static double bessel_i0_scaled(double x)
{
    if (x < 30.0) {
        /* Power series, sum (x^2/4)^k / (k!)^2: every term is positive, so
         * there is no cancellation; at x = 30 it takes about 50 terms. */
        double quarter_x2 = 0.25 * x * x, term = 1.0, sum = 1.0;
        for (int k = 1; term > 1e-17 * sum; k++) {
            term *= quarter_x2 / ((double)k * k);
            sum += term;
        }
        return sum * exp(-x);
    }
    /* Asymptotic series (Abramowitz & Stegun 9.7.1):
     * exp(-x) I0(x) ~ (2 pi x)^(-1/2) sum_k ((2k-1)!!)^2 / (k! (8x)^k). Its
     * terms shrink until k ~ 2x, so from x = 30 on they reach 1e-17 well
     * before they would start to grow. */
    double term = 1.0, sum = 1.0;
    for (int k = 1; k <= 40 && term > 1e-17 * sum; k++) {
        term *= (2.0 * k - 1.0) * (2.0 * k - 1.0) / (8.0 * k * x);
        sum += term;
    }
    return sum / sqrt(2.0 * pi * x);
}

typedef struct fading_quad {
    double snr;    /* linear mean SNR */
    double k;      /* Rician K, linear; 0 for Rayleigh */
    double sqrt_k; /* centre of the amplitude density */
    double cap;    /* max spectral efficiency, b/s/Hz */
    double u_cap;  /* amplitude above which the cap binds */
} fading_quad;

/* min(log2(1 + snr g), cap) q(u) at amplitude u. */
static double fading_integrand(const fading_quad *fq, double u)
{
    double du = u - fq->sqrt_k;
    double density = 2.0 * u * exp(-du * du);
    if (fq->k > 0.0) density *= bessel_i0_scaled(2.0 * fq->sqrt_k * u);
    /* log1p keeps full relative accuracy at low SNR, where snr g << 1. */
    double se = u < fq->u_cap ? log1p(fq->snr * u * u / (fq->k + 1.0)) / ln2 : fq->cap;
    return se * density;
}

/* 15-point Kronrod rule and its embedded 7-point Gauss rule on [-1, 1]
 * (QUADPACK qk15): nodes +-gk15_x[j], gk15_x[7] = 0 the centre; the Gauss
 * nodes are those with odd j and the centre. */
static const double gk15_x[8] = {
    0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
    0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
    0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
    0.207784955007898467600689403773245, 0.000000000000000000000000000000000,
};
static const double gk15_wk[8] = {
    0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
    0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
    0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
    0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
};
static const double gk15_wg[4] = {
    0.129484966168869693270611432679082,
    0.279705391489276667901467771423780,
    0.381830050505118944950369775488975,
    0.417959183673469387755102040816327,
};

/* Kronrod estimate of the integral over [a, b]; *err_est = |Kronrod - Gauss|,
 * a (pessimistic) bound on the Kronrod estimate's error. */
static double gk15(const fading_quad *fq, double a, double b, double *err_est)
{
    double centre = 0.5 * (a + b), half = 0.5 * (b - a);
    double f_centre = fading_integrand(fq, centre);
    double kronrod = gk15_wk[7] * f_centre, gauss = gk15_wg[3] * f_centre;
    for (int j = 0; j < 7; j++) {
        double pair = fading_integrand(fq, centre - half * gk15_x[j]) +
                      fading_integrand(fq, centre + half * gk15_x[j]);
        kronrod += gk15_wk[j] * pair;
        if (j % 2 == 1) gauss += gk15_wg[j / 2] * pair;
    }
    *err_est = fabs((kronrod - gauss) * half);
    return kronrod * half;
}

/* Ample: over the whole valid parameter range at most 21 are used (measured). */
enum { QUAD_MAX_INTERVALS = 200 };

/* Globally adaptive quadrature (the QUADPACK qag scheme) over the pieces
 * between consecutive breaks: bisect the interval with the largest error
 * estimate until the estimates sum to at most tol_abs. Bounded work and
 * stack, no allocation. */
static double integrate(const fading_quad *fq, const double *breaks, int n_breaks, double tol_abs)
{
    double lo[QUAD_MAX_INTERVALS], hi[QUAD_MAX_INTERVALS];
    double value[QUAD_MAX_INTERVALS], error[QUAD_MAX_INTERVALS];
    int n = 0;
    for (int i = 0; i + 1 < n_breaks && n < QUAD_MAX_INTERVALS; i++) {
        if (!(breaks[i + 1] > breaks[i])) continue;
        lo[n] = breaks[i];
        hi[n] = breaks[i + 1];
        value[n] = gk15(fq, lo[n], hi[n], &error[n]);
        n++;
    }
    while (n < QUAD_MAX_INTERVALS) {
        int worst = 0;
        double total_error = 0.0;
        for (int i = 0; i < n; i++) {
            total_error += error[i];
            if (error[i] > error[worst]) worst = i;
        }
        if (n == 0 || total_error <= tol_abs) break;
        double mid = 0.5 * (lo[worst] + hi[worst]);
        lo[n] = mid;
        hi[n] = hi[worst];
        value[n] = gk15(fq, mid, hi[worst], &error[n]);
        hi[worst] = mid;
        value[worst] = gk15(fq, lo[worst], mid, &error[worst]);
        n++;
    }
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += value[i];
    return sum;
}

/* Rician K (linear) of p; 0 for Rayleigh. */
static double rician_k(const et_channel_params *p)
{
    return p->fading == ET_FADING_RICIAN ? pow(10.0, p->rician_k_db / 10.0) : 0.0;
}

double et_channel_ergodic_se_bps_hz(const et_channel_params *p, double snr_db)
{
    double snr = pow(10.0, snr_db / 10.0);
    if (p->fading == ET_FADING_NONE) return capped_se(p, snr);
    if (isnan(snr)) return snr;
    /* Below this, f = snr / ln 2 to 1e-20 relative, and the tolerance below
     * would underflow. */
    if (snr < 1e-20) return snr / ln2;
    fading_quad fq;
    fq.snr = snr;
    fq.k = rician_k(p);
    fq.sqrt_k = sqrt(fq.k);
    fq.cap = p->max_spectral_eff_bps_hz;
    fq.u_cap = sqrt((fq.k + 1.0) * expm1(fq.cap * ln2) / snr);
    double u_lo = fq.sqrt_k > 9.0 ? fq.sqrt_k - 9.0 : 0.0, u_hi = fq.sqrt_k + 9.0;

    /* Breaks: the range ends and the kink, then pieces of at most 2 units
     * of amplitude so that the first rules cannot step over the bump. */
    double ends[3];
    int n_ends = 0;
    ends[n_ends++] = u_lo;
    if (fq.u_cap > u_lo && fq.u_cap < u_hi) ends[n_ends++] = fq.u_cap;
    ends[n_ends++] = u_hi;
    double breaks[16]; /* at most 18 / 2 + 2 pieces */
    int n_breaks = 0;
    for (int e = 0; e + 1 < n_ends; e++) {
        double width = ends[e + 1] - ends[e];
        int parts = (int)ceil(width / 2.0);
        for (int j = 0; j < parts; j++)
            breaks[n_breaks++] = ends[e] + width * j / parts;
    }
    breaks[n_breaks++] = u_hi;

    /* f lies within a factor of 2 below min(max_se, log2(1 + snr)) (Jensen
     * bounds it above; the Rayleigh loss tends to Euler's constant / ln 2 =
     * 0.83 b/s/Hz at high SNR), so this tolerance is relative to f. */
    double scale = log1p(snr) / ln2;
    if (scale > fq.cap) scale = fq.cap;
    return integrate(&fq, breaks, n_breaks, 1e-12 * scale);
}

/* ---- Ergodic spectral efficiency table ---- */

struct et_channel_table {
    et_fading_model fading;
    double cap;          /* max spectral efficiency, b/s/Hz */
    double half_mean_g2; /* E[g^2] / 2, second term of the low-SNR expansion */
    double min_snr;      /* linear SNR of the first grid point */
    double max_snr_db;   /* last grid point */
    double inv_step_db;  /* 1 / ET_CHANNEL_TABLE_STEP_DB */
    int n;               /* grid points */
    double se_bps_hz[];  /* (n) f at ET_CHANNEL_TABLE_MIN_SNR_DB + i step */
};

et_status et_channel_table_create(const et_channel_params *p, et_channel_table **out, et_error *err)
{
    *out = NULL;
    et_status status = et_channel_params_validate(p, err);
    if (status != ET_OK) return status;

    /* The grid ends 40 dB above the SNR where log2(1 + snr) reaches the cap.
     * From there on g_cap = (2^max_se - 1) / snr <= 1e-4, the density of g is
     * nearly flat over [0, g_cap], so max_se - f = p(0) int_0^g_cap (max_se -
     * log2(1 + snr g)) dg decays as 1/snr to within about 1e-4 of itself; it is
     * at most 1.5e-4 b/s/Hz (Rayleigh, where p(0) = 1 is largest), so the
     * extrapolation is good to about 1e-8 b/s/Hz. */
    double cap = p->max_spectral_eff_bps_hz;
    double cap_snr_db = 10.0 * log10(expm1(cap * ln2));
    int n = p->fading == ET_FADING_NONE
                ? 0
                : (int)ceil((cap_snr_db + 40.0 - ET_CHANNEL_TABLE_MIN_SNR_DB) /
                            ET_CHANNEL_TABLE_STEP_DB) +
                      1;
    et_channel_table *t = malloc(sizeof *t + (size_t)n * sizeof t->se_bps_hz[0]);
    if (!t)
        return et_error_set(err, ET_ERR_NOMEM,
                            "channel: cannot allocate the ergodic rate table (%d points)", n);
    t->fading = p->fading;
    t->cap = cap;
    /* E[g^2] of the unit-mean non-central chi-square: (K^2 + 4K + 2) / (K+1)^2
     * (2 for Rayleigh). */
    double k = rician_k(p);
    t->half_mean_g2 = 0.5 * (k * k + 4.0 * k + 2.0) / ((k + 1.0) * (k + 1.0));
    t->min_snr = pow(10.0, ET_CHANNEL_TABLE_MIN_SNR_DB / 10.0);
    t->max_snr_db = ET_CHANNEL_TABLE_MIN_SNR_DB + (n - 1) * ET_CHANNEL_TABLE_STEP_DB;
    t->inv_step_db = 1.0 / ET_CHANNEL_TABLE_STEP_DB;
    t->n = n;
    for (int i = 0; i < n; i++) {
        double se = et_channel_ergodic_se_bps_hz(p, ET_CHANNEL_TABLE_MIN_SNR_DB +
                                                        i * ET_CHANNEL_TABLE_STEP_DB);
        /* f is non-decreasing and at most the cap; where it is flat (large K,
         * high SNR) quadrature rounding (1e-13) could break that, so it is
         * ironed out here. */
        if (se > cap) se = cap;
        if (i > 0 && se < t->se_bps_hz[i - 1]) se = t->se_bps_hz[i - 1];
        t->se_bps_hz[i] = se;
    }
    *out = t;
    return ET_OK;
}

void et_channel_table_destroy(et_channel_table *table)
{
    free(table);
}

double et_channel_table_se_bps_hz(const et_channel_table *t, double snr_db)
{
    if (t->fading == ET_FADING_NONE) {
        double se = log2(1.0 + pow(10.0, snr_db / 10.0));
        return se < t->cap ? se : t->cap;
    }
    double pos = (snr_db - ET_CHANNEL_TABLE_MIN_SNR_DB) * t->inv_step_db;
    if (pos >= t->n - 1) {
        /* max_se - f = c / snr, c fitted to the last point. */
        double deficit = t->cap - t->se_bps_hz[t->n - 1];
        return t->cap - deficit * pow(10.0, (t->max_snr_db - snr_db) / 10.0);
    }
    if (!(pos >= 0.0)) {
        /* f = (snr - snr^2 E[g^2] / 2) / ln 2 + O(snr^3) (the cap is out of
         * reach): scaled to meet the first point, it is continuous there and
         * off by about 2e-8 relative. NaN lands here and stays NaN. */
        double snr = pow(10.0, snr_db / 10.0);
        return t->se_bps_hz[0] * (snr * (1.0 - t->half_mean_g2 * snr)) /
               (t->min_snr * (1.0 - t->half_mean_g2 * t->min_snr));
    }
    int i = (int)pos;
    if (i > t->n - 2) i = t->n - 2;
    double w = pos - i;
    return t->se_bps_hz[i] + w * (t->se_bps_hz[i + 1] - t->se_bps_hz[i]);
}

/* Noise power in dBm over bandwidth_hz behind a receiver with the given
 * noise figure. Bandwidths below 1 Hz are treated as 1 Hz so that a zero
 * bandwidth gives a finite SNR (its rate is the floor anyway). */
static double noise_dbm(double density_dbm_hz, double bandwidth_hz, double noise_figure_db)
{
    double b_hz = bandwidth_hz > 1.0 ? bandwidth_hz : 1.0;
    return density_dbm_hz + 10.0 * log10(b_hz) + noise_figure_db;
}

/* Direction's share of the time: duty in (0, 1], 0 (unset) meaning always. */
static double duty_of(double duty)
{
    return duty > 0.0 && duty < 1.0 ? duty : 1.0;
}

/* Rate of one direction, bits/s, floored at min_rate_bps: B duty f(snr) from
 * the table, or from the Monte Carlo reference when table is NULL. */
static double link_rate_bps(const et_channel_params *p, const et_channel_table *table,
                            et_rng *fading_rng, double bandwidth_hz, double duty, double snr_db)
{
    double rate_bps = 0.0;
    if (bandwidth_hz > 0.0)
        rate_bps = bandwidth_hz * duty_of(duty) *
                   (table ? et_channel_table_se_bps_hz(table, snr_db)
                          : monte_carlo_se(p, fading_rng, snr_db));
    /* Written so that a NaN rate becomes the floor too. */
    return rate_bps > p->min_rate_bps ? rate_bps : p->min_rate_bps;
}

double et_channel_share_rate_bps(const et_channel_params *p, const et_channel_table *table,
                                 double bandwidth_hz, double duty, double sinr_db, int n,
                                 int uplink)
{
    if (n < 1) n = 1;
    double bw_hz = bandwidth_hz / n;
    double snr_db = uplink ? sinr_db + 10.0 * log10((double)n) : sinr_db;
    double rate = bw_hz * duty_of(duty) * et_channel_table_se_bps_hz(table, snr_db);
    return fmax(rate, p->min_rate_bps);
}

/* The propagation a walk or a link uses: the serving cell's when known. */
static const et_propagation *walk_cell(const et_channel_state *st, const et_channel_params *p)
{
    return st->has_cell ? &st->cell : &p->propagation;
}

/* Advances one AR(1) process *value along walked_m: Gudmundson (1991), a
 * first-order autoregressive process in the distance walked with correlation
 * exp(-walked / d_decorr) between two points, drawn at every tenth of the
 * decorrelation distance along the path, each draw with rho = exp(-0.1), and
 * held in between. The marginal stays N(0, sigma^2), the process depends only
 * on the path walked (not on how often or in how many steps it is advanced),
 * and a UE that stands or strolls costs few draws. */
static void ar1_walk(double *value, double *travelled_m, double walked_m, double decorr_m,
                     double sigma, et_rng *rng)
{
    double grid_m = 0.1 * decorr_m;
    const double rho = exp(-0.1), innovation = sqrt(1.0 - exp(-0.2));
    *travelled_m += walked_m;
    for (; *travelled_m >= grid_m; *travelled_m -= grid_m)
        *value = rho * *value + innovation * sigma * et_rng_normal(rng);
}

/* Moves the UE's processes by walked_m to (x_m, y_m). The LOS shadowing sf_a
 * keeps the stream, grid and, for a tr36814 cell, the dB units it always had,
 * so a tr36814 run draws exactly the shadowing it drew before TR 38.901. The
 * NLOS shadowing and the LOS state walk on their own decorrelation distances
 * (TR 38.901 Tables 7.5-6 and 7.6.3.1-2); a tr36814 cell has neither. */
static void shadowing_walk(et_channel_state *st, const et_channel_params *p, double x_m, double y_m,
                           double walked_m)
{
    const et_propagation *cell = walk_cell(st, p);
    int legacy = cell->scenario == ET_PROPAGATION_TR36814;
    double sigma_a = legacy ? p->shadowing_std_db : 1.0;
    if (!st->initialised) {
        st->sf_a = sigma_a * et_rng_normal(&st->rng);
        st->sf_a_in_db = legacy;
        st->sf_nlos = et_rng_normal(&st->nlos_rng);
        st->los_z = et_rng_normal(&st->los_rng);
        st->initialised = 1;
        st->travelled_m = st->travelled_nlos_m = st->travelled_los_m = 0.0;
    } else if (walked_m > 0.0) {
        double decorr_a =
            legacy ? p->shadowing_decorr_m : et_propagation_shadowing_decorr_m(cell, 1);
        ar1_walk(&st->sf_a, &st->travelled_m, walked_m, decorr_a, sigma_a, &st->rng);
        if (!legacy) {
            ar1_walk(&st->sf_nlos, &st->travelled_nlos_m, walked_m,
                     et_propagation_shadowing_decorr_m(cell, 0), 1.0, &st->nlos_rng);
            ar1_walk(&st->los_z, &st->travelled_los_m, walked_m, et_propagation_los_decorr_m(cell),
                     1.0, &st->los_rng);
        }
    }
    st->last_x_m = x_m;
    st->last_y_m = y_m;
}

/* The distance walked since the last update, taken as the straight line
 * between the two positions (callers that know the path use
 * et_channel_walk). */
static void shadowing_step(et_channel_state *st, const et_channel_params *p, double x_m, double y_m)
{
    double dx = x_m - st->last_x_m, dy = y_m - st->last_y_m;
    shadowing_walk(st, p, x_m, y_m, st->initialised ? sqrt(dx * dx + dy * dy) : 0.0);
}

/* Linear path gain 10^(-PL(d) / 10) of the tr36814 law at squared distance
 * d2_m2, given gain_1km = 10^(-a / 10): (d / 1 km)^(-b / 10) = (d^2 / 1
 * km^2)^(-b / 20), one pow and no square root per interferer (the sum over
 * cells is the multi-cell update's only O(n_aps) part). Distances below 1 m
 * are 1 m, as in et_channel_pathloss_db. */
static double path_gain(const et_channel_params *p, double gain_1km, double d2_m2)
{
    if (!(d2_m2 >= 1.0)) d2_m2 = 1.0;
    return gain_1km * pow(d2_m2 * 1e-6, -p->pathloss_b_db / 20.0);
}

/* Mean linear path gain of an interfering link at squared 2D distance d2_m2
 * in the cell g was prepared for: the tr36814 law as it always was, a TR
 * 38.901 cell's averaged over the LOS state. */
static double interferer_gain(const et_channel_params *p, const et_propagation_gain *g,
                              double gain_1km, double d2_m2)
{
    if (g->prop.scenario == ET_PROPAGATION_TR36814) return path_gain(p, gain_1km, d2_m2);
    return et_propagation_gain_mean(g, sqrt(d2_m2));
}

/* Prepares *g for cell unless it already holds it (the cells of a network
 * are mostly alike, so the constants are taken once per link update). */
static void prepare_gain(et_propagation_gain *g, int *ready, const et_propagation *cell)
{
    if (*ready && g->prop.scenario == cell->scenario &&
        g->prop.frequency_hz == cell->frequency_hz && g->prop.h_bs_m == cell->h_bs_m &&
        g->prop.h_ut_m == cell->h_ut_m)
        return;
    et_propagation_gain_prepare(cell, g);
    *ready = 1;
}

/* SINR in dB of a signal at signal_dbm over noise at noise_dbm plus
 * interference_mw. Without interference it is exactly signal - noise, the
 * single-cell expression, so single-cell numbers do not move. */
static double sinr_db(double signal_dbm, double noise_dbm_value, double interference_mw)
{
    if (!(interference_mw > 0.0)) return signal_dbm - noise_dbm_value;
    return signal_dbm - 10.0 * log10(pow(10.0, noise_dbm_value / 10.0) + interference_mw);
}

/* Standard normal CDF. */
static double normal_cdf(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

/* The serving link's loss, dB, for a UE d_2d_m from its AP in cell: path
 * loss of its condition, shadowing, O2I penetration; fills the state's
 * condition fields. */
static double serving_loss_db(et_channel_state *st, const et_channel_params *p,
                              const et_propagation *cell, double d_2d_m)
{
    st->indoor = 0;
    st->o2i_loss_db = 0.0;
    if (cell->scenario == ET_PROPAGATION_TR36814) {
        /* A cell that left TR 38.901 (a handover): sf_a back to dB. */
        if (!st->sf_a_in_db) st->sf_a *= p->shadowing_std_db;
        st->sf_a_in_db = 1;
        st->los = -1;
        st->los_probability = NAN;
        st->shadowing_std_db = p->shadowing ? p->shadowing_std_db : 0.0;
        st->pathloss_db = et_channel_pathloss_db(p, d_2d_m);
        st->shadowing_db = p->shadowing ? st->sf_a : 0.0;
        return st->pathloss_db + st->shadowing_db;
    }
    if (st->sf_a_in_db) {
        /* From a tr36814 cell: sf_a back to unit variance (a fresh draw if it had none). */
        st->sf_a =
            p->shadowing_std_db > 0.0 ? st->sf_a / p->shadowing_std_db : et_rng_normal(&st->rng);
        st->sf_a_in_db = 0;
    }
    /* Outdoor-to-indoor (TR 38.901 section 7.4.3): an indoor UE is d_2D-in inside its
     * building; the path loss takes the whole distance, the LOS state the outdoor part
     * (Table 7.4.2-1 is a function of d_2D-out), and the wall and the indoor distance add
     * the low-loss penetration PL_tw + 0.5 d_2D-in + N(0, sigma_P^2). */
    double depth_m = et_propagation_indoor_depth_m(cell);
    double d_in_m = 0.0;
    if (depth_m > 0.0 && st->indoor_u < p->indoor_fraction) {
        st->indoor = 1;
        d_in_m = fmin(st->d_in_u * depth_m, d_2d_m);
        st->o2i_loss_db = et_propagation_o2i_loss_db(cell->frequency_hz, d_in_m) +
                          (p->shadowing ? ET_O2I_STD_DB * st->o2i_normal : 0.0);
    }
    st->los_probability = et_propagation_los_probability(cell, d_2d_m - d_in_m);
    if (p->los == ET_LOS_MEAN) {
        st->los = -1;
        st->shadowing_std_db = 0.0;
        st->shadowing_db = 0.0;
        st->pathloss_db = -10.0 * log10(mean_path_gain(cell, d_2d_m));
        return st->pathloss_db + st->o2i_loss_db;
    }
    /* Spatially consistent LOS state (TR 38.901 section 7.6.3.3): LOS while a uniform
     * variable correlated over the LOS state's correlation distance (Table 7.6.3.1-2) is
     * below the LOS probability; the uniform is Phi of the unit Gaussian process los_z, so
     * the state changes only as the UE walks or its distance changes. */
    int los = p->los == ET_LOS_ALWAYS  ? 1
              : p->los == ET_LOS_NEVER ? 0
                                       : normal_cdf(st->los_z) < st->los_probability;
    st->los = los;
    st->pathloss_db = et_propagation_pathloss_db(cell, los, d_2d_m);
    double sigma = et_propagation_shadowing_std_db(cell, los, d_2d_m);
    st->shadowing_std_db = p->shadowing ? sigma : 0.0;
    st->shadowing_db = p->shadowing ? sigma * (los ? st->sf_a : st->sf_nlos) : 0.0;
    return st->pathloss_db + st->shadowing_db + st->o2i_loss_db;
}

/* The transmit power, dBm, of the serving AP aps[serving]: its own when its cell declares
 * one, else the parameters' (also for a single AP at the origin, aps NULL). */
static double ap_power_dbm(const et_channel_params *p, const et_channel_ap *aps, int n_aps,
                           int serving)
{
    if (aps && serving >= 0 && serving < n_aps && aps[serving].has_tx_power)
        return aps[serving].tx_power_dbm;
    return p->ap_tx_power_dbm;
}

/* The transmit power, dBm, of a UE served by aps[serving]: the cell's UE power when it
 * declares one (a cell's ue_tx_power_dbm property), else the UE's own. */
static double ue_power_dbm(const et_ue_radio *radio, const et_channel_ap *aps, int n_aps,
                           int serving)
{
    if (aps && serving >= 0 && serving < n_aps && aps[serving].has_ue_tx_power)
        return aps[serving].ue_tx_power_dbm;
    return radio->tx_power_dbm;
}

/* Link budget of a UE at (x_m, y_m) served by the AP at (ap_x_m, ap_y_m) of
 * cell (NULL: p->propagation), with its current shadowing; interferers[k]
 * index aps (NULL: every AP but the serving one). */
static void link_from_ap(et_channel_state *st, const et_channel_params *p,
                         const et_channel_table *table, const et_ue_radio *radio, double x_m,
                         double y_m, double ap_x_m, double ap_y_m, const et_propagation *cell,
                         const et_channel_ap *aps, int n_aps, int serving, const int *interferers,
                         int n_interferers)
{
    if (!cell) cell = &p->propagation;
    st->cell = *cell;
    st->has_cell = 1;
    st->distance_m = hypot(x_m - ap_x_m, y_m - ap_y_m);
    /* Positive shadowing is extra loss; the sign is a convention since the
     * process is zero-mean. Path loss and shadowing are reciprocal, so up and
     * down differ only in power, bandwidth and receiver noise figure. */
    double loss_db = serving_loss_db(st, p, cell, st->distance_m);
    double signal_up_dbm = ue_power_dbm(radio, aps, n_aps, serving) - loss_db;
    double signal_down_dbm = ap_power_dbm(p, aps, n_aps, serving) - loss_db;
    double noise_up_dbm =
        noise_dbm(p->noise_density_dbm_hz, radio->bandwidth_up_hz, p->ap_noise_figure_db);
    double noise_down_dbm =
        noise_dbm(p->noise_density_dbm_hz, radio->bandwidth_down_hz, p->ue_noise_figure_db);
    st->snr_up_db = signal_up_dbm - noise_up_dbm;
    st->snr_down_db = signal_down_dbm - noise_down_dbm;

    /* Other cells on the same carrier. Every transmitter is assumed to
     * spread its power over the serving carrier's bandwidth (the same power
     * spectral density as the serving one at the same power; each AP at its
     * own power when its cell declares one), so the interference in the UE's
     * band is the interferer's transmit power times its path gain, whatever
     * the bandwidths are. A TDD network is synchronised (every cell on the
     * same slot pattern), so downlink meets downlink and uplink uplink; a
     * cell of another duplex or pattern is counted the same way. */
    double interference_up_mw = 0.0, interference_down_mw = 0.0;
    int n = interferers ? n_interferers : n_aps;
    if (p->interference && aps && n_aps > 1) {
        double gain_1km = pow(10.0, -p->pathloss_a_db / 10.0);
        /* gain_down and gain_up sum the interferers at the default power; own_power_mw and
         * own_up_mw the received power of those with a power of their own (a cell's
         * ap_tx_power_dbm and ue_tx_power_dbm properties), so a network without them
         * computes exactly what it always did. */
        double gain_down = 0.0, gain_up = 0.0, own_power_mw = 0.0, own_up_mw = 0.0;
        et_propagation_gain g_serving, g_j;
        int serving_ready = 0, j_ready = 0;
        prepare_gain(&g_serving, &serving_ready, cell);
        for (int k = 0; k < n; k++) {
            int j = interferers ? interferers[k] : k;
            if (j == serving || j < 0 || j >= n_aps) continue;
            prepare_gain(&g_j, &j_ready, aps[j].prop ? aps[j].prop : &p->propagation);
            /* Downlink: AP j transmits towards its own UEs; the UE hears it
             * over AP j's cell's propagation. */
            double dx = x_m - aps[j].x_m, dy = y_m - aps[j].y_m;
            double g_down = interferer_gain(p, &g_j, gain_1km, dx * dx + dy * dy);
            if (aps[j].has_tx_power)
                own_power_mw += pow(10.0, aps[j].tx_power_dbm / 10.0) * g_down;
            else
                gain_down += g_down;
            /* Uplink: one active UE of cell j, represented at its own AP, as
             * heard by the serving AP (the serving cell's propagation). The
             * disc average of its path gain is higher (d^-b is subharmonic),
             * but real interferers run uplink power control, which this
             * ignores; docs/channel.md 1.2. */
            dx = ap_x_m - aps[j].x_m;
            dy = ap_y_m - aps[j].y_m;
            double g_up = interferer_gain(p, &g_serving, gain_1km, dx * dx + dy * dy);
            if (aps[j].has_ue_tx_power)
                own_up_mw += pow(10.0, aps[j].ue_tx_power_dbm / 10.0) * g_up;
            else
                gain_up += g_up;
        }
        interference_down_mw =
            p->dl_load_factor * pow(10.0, p->ap_tx_power_dbm / 10.0) * gain_down +
            p->dl_load_factor * own_power_mw;
        interference_up_mw = p->ul_load_factor * pow(10.0, radio->tx_power_dbm / 10.0) * gain_up +
                             p->ul_load_factor * own_up_mw;
    }
    st->sinr_up_db = sinr_db(signal_up_dbm, noise_up_dbm, interference_up_mw);
    st->sinr_down_db = sinr_db(signal_down_dbm, noise_down_dbm, interference_down_mw);

    /* Interference is treated as Gaussian noise; only the serving link
     * fades. On the Monte Carlo path up and down are drawn independently
     * (separate bands, or TDD slots further apart than the coherence time),
     * from the UE's own fading stream. */
    st->rate_up_bps = link_rate_bps(p, table, &st->fading_rng, radio->bandwidth_up_hz,
                                    radio->duty_up, st->sinr_up_db);
    st->rate_down_bps = link_rate_bps(p, table, &st->fading_rng, radio->bandwidth_down_hz,
                                      radio->duty_down, st->sinr_down_db);
}

static void update_from_ap(et_channel_state *st, const et_channel_params *p,
                           const et_channel_table *table, const et_ue_radio *radio, double x_m,
                           double y_m, double ap_x_m, double ap_y_m, const et_propagation *cell,
                           const et_channel_ap *aps, int n_aps, int serving)
{
    /* The walk to here already runs on the serving cell's distances. */
    st->cell = cell ? *cell : p->propagation;
    st->has_cell = 1;
    shadowing_step(st, p, x_m, y_m);
    link_from_ap(st, p, table, radio, x_m, y_m, ap_x_m, ap_y_m, cell, aps, n_aps, serving, NULL, 0);
}

void et_channel_move(et_channel_state *st, const et_channel_params *p, double x_m, double y_m)
{
    shadowing_step(st, p, x_m, y_m);
}

void et_channel_walk(et_channel_state *st, const et_channel_params *p, double x_m, double y_m,
                     double walked_m)
{
    shadowing_walk(st, p, x_m, y_m, walked_m);
}

void et_channel_link(et_channel_state *st, const et_channel_params *p,
                     const et_channel_table *table, const et_ue_radio *radio, double x_m,
                     double y_m, const et_channel_ap *aps, int n_aps, int serving,
                     const int *interferers, int n_interferers)
{
    if (!aps || n_aps < 1 || serving < 0 || serving >= n_aps) {
        link_from_ap(st, p, table, radio, x_m, y_m, 0.0, 0.0, NULL, NULL, 0, 0, NULL, 0);
        return;
    }
    link_from_ap(st, p, table, radio, x_m, y_m, aps[serving].x_m, aps[serving].y_m,
                 aps[serving].prop, aps, n_aps, serving, interferers, n_interferers);
}

int et_channel_nearest_interferers(const et_channel_ap *aps, int n_aps, int serving, int max_n,
                                   int *out)
{
    int n = 0;
    if (!aps || serving < 0 || serving >= n_aps || max_n < 1) return 0;
    /* Insertion into a list kept sorted by distance (then index, so ties are
     * deterministic): n_aps is at most a few thousand, and this runs once per
     * cell. */
    for (int j = 0; j < n_aps; j++) {
        if (j == serving) continue;
        double dj = hypot(aps[j].x_m - aps[serving].x_m, aps[j].y_m - aps[serving].y_m);
        int pos = n < max_n ? n : max_n;
        while (pos > 0) {
            int k = out[pos - 1];
            double dk = hypot(aps[k].x_m - aps[serving].x_m, aps[k].y_m - aps[serving].y_m);
            if (dk < dj || (dk == dj && k < j)) break;
            pos--;
        }
        if (pos >= max_n) continue;
        int last = n < max_n ? n : max_n - 1;
        for (int m = last; m > pos; m--)
            out[m] = out[m - 1];
        out[pos] = j;
        if (n < max_n) n++;
    }
    return n;
}

void et_channel_update(et_channel_state *st, const et_channel_params *p,
                       const et_channel_table *table, const et_ue_radio *radio, double x_m,
                       double y_m)
{
    update_from_ap(st, p, table, radio, x_m, y_m, 0.0, 0.0, NULL, NULL, 0, 0);
}

void et_channel_update_cell(et_channel_state *st, const et_channel_params *p,
                            const et_channel_table *table, const et_ue_radio *radio, double x_m,
                            double y_m, const et_channel_ap *aps, int n_aps, int serving)
{
    if (!aps || n_aps < 1 || serving < 0 || serving >= n_aps) {
        update_from_ap(st, p, table, radio, x_m, y_m, 0.0, 0.0, NULL, NULL, 0, 0);
        return;
    }
    update_from_ap(st, p, table, radio, x_m, y_m, aps[serving].x_m, aps[serving].y_m,
                   aps[serving].prop, aps, n_aps, serving);
}

int et_channel_wifi_level(const double *min_snr_db, int n_levels, double snr_db)
{
    if (!min_snr_db || n_levels < 1) return -1;
    for (int i = 0; i < n_levels; i++)
        if (snr_db >= min_snr_db[i]) return i;
    /* Nothing decodes reliably: stay on the most robust rate, as a real
     * station would before it disassociates. */
    return n_levels - 1;
}

/* IEEE 802.11ac (IEEE Std 802.11-2016, clause 21) VHT MCS 0..9 for one
 * spatial stream: coded bits per subcarrier and code rate. */
static const struct vht_mcs {
    int bits_per_subcarrier;
    double code_rate;
    double sensitivity_20mhz_dbm; /* receiver minimum input sensitivity, Table 21-25 */
} vht_mcs[10] = {
    {1, 1.0 / 2.0, -82.0}, /* MCS 0: BPSK 1/2 */
    {2, 1.0 / 2.0, -79.0}, /* MCS 1: QPSK 1/2 */
    {2, 3.0 / 4.0, -77.0}, /* MCS 2: QPSK 3/4 */
    {4, 1.0 / 2.0, -74.0}, /* MCS 3: 16-QAM 1/2 */
    {4, 3.0 / 4.0, -70.0}, /* MCS 4: 16-QAM 3/4 */
    {6, 2.0 / 3.0, -66.0}, /* MCS 5: 64-QAM 2/3 */
    {6, 3.0 / 4.0, -65.0}, /* MCS 6: 64-QAM 3/4 */
    {6, 5.0 / 6.0, -64.0}, /* MCS 7: 64-QAM 5/6 */
    {8, 3.0 / 4.0, -59.0}, /* MCS 8: 256-QAM 3/4 */
    {8, 5.0 / 6.0, -57.0}, /* MCS 9: 256-QAM 5/6 */
};

int et_channel_wifi_default_table(double bandwidth_mhz, double *rates_bps, double *min_snr_db,
                                  int max_levels)
{
    /* Data subcarriers per width and the number of width doublings above
     * 20 MHz (each doubling raises the sensitivity requirement by 3 dB). */
    int data_subcarriers, doublings;
    if (bandwidth_mhz == 20.0) {
        data_subcarriers = 52;
        doublings = 0;
    } else if (bandwidth_mhz == 40.0) {
        data_subcarriers = 108;
        doublings = 1;
    } else if (bandwidth_mhz == 80.0) {
        data_subcarriers = 234;
        doublings = 2;
    } else if (bandwidth_mhz == 160.0) {
        data_subcarriers = 468;
        doublings = 3;
    } else {
        return -1;
    }
    /* MCS 9 with one stream at 20 MHz gives a non-integer number of data bits
     * per symbol and is excluded by the standard. */
    int top_mcs = bandwidth_mhz == 20.0 ? 8 : 9;
    int n_levels = top_mcs + 1;
    if (!rates_bps || !min_snr_db || max_levels < n_levels) return -1;

    /* 800 ns guard interval: one OFDM symbol lasts 3.2 + 0.8 = 4 us. */
    const double symbol_s = 4e-6;
    /* The standard's sensitivities assume a 10 dB receiver noise figure
     * (and 5 dB implementation margin); subtracting that noise floor turns
     * them into an SNR with the noise figure included, the quantity
     * et_channel_update reports. The result is the same for every width. */
    const double ref_noise_figure_db = 10.0;
    double noise_floor_dbm = -174.0 + 10.0 * log10(bandwidth_mhz * 1e6) + ref_noise_figure_db;
    for (int level = 0; level < n_levels; level++) {
        const struct vht_mcs *m = &vht_mcs[top_mcs - level];
        rates_bps[level] = data_subcarriers * m->bits_per_subcarrier * m->code_rate / symbol_s;
        min_snr_db[level] = m->sensitivity_20mhz_dbm + 3.0 * doublings - noise_floor_dbm;
    }
    return n_levels;
}
