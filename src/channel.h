/* channel.h: per-UE wireless link quality (pure C, no SimGrid).
 *
 * For each UE: distance to the AP -> path loss (default 128.1 + 37.6 log10(d_km) dB)
 * + log-normal shadowing (Gudmundson model, correlated over distance moved)
 * -> mean SNR per direction -> small-scale fading (Rayleigh, or Rician with K)
 * averaged over the update interval as an ergodic rate
 * E[B log2(1 + SNR |h|^2)], capped at a maximum spectral efficiency.
 * The channel actor in sim.c calls et_channel_update() every interval and
 * applies the rates to SimGrid links. */
#ifndef ET_CHANNEL_H
#define ET_CHANNEL_H

#include "rng.h"
#include "status.h"

typedef enum et_fading_model {
    ET_FADING_NONE = 0,
    ET_FADING_RAYLEIGH = 1,
    ET_FADING_RICIAN = 2,
} et_fading_model;

typedef struct et_channel_params {
    double pathloss_a_db;      /* 128.1: PL(d) = a + b log10(d_km) */
    double pathloss_b_db;      /* 37.6 */
    double shadowing_std_db;   /* 8 */
    double shadowing_decorr_m; /* 50: Gudmundson decorrelation distance */
    et_fading_model fading;
    double rician_k_db;             /* K factor for Rician fading */
    int fading_samples;             /* samples averaged per update for the ergodic rate */
    double noise_density_dbm_hz;    /* -174 */
    double ue_noise_figure_db;      /* 9: receiver noise figure at the UE (downlink) */
    double ap_noise_figure_db;      /* 5: receiver noise figure at the AP (uplink) */
    double ap_tx_power_dbm;         /* 46 */
    double max_spectral_eff_bps_hz; /* 7.4 */
    double min_rate_bps;            /* floor so a link never reaches zero (SimGrid needs > 0) */
} et_channel_params;

/* Fills p with the documented defaults (docs/channel.md): 3GPP-style macro
 * cell path loss 128.1 + 37.6 log10(d_km), 8 dB shadowing decorrelating over
 * 50 m, Rayleigh fading (K = 6 dB if switched to Rician), 16 samples,
 * -174 dBm/Hz noise, NF 9 dB (UE) / 5 dB (AP), AP 46 dBm, 7.4 b/s/Hz cap,
 * 1e5 b/s floor. */
void et_channel_params_default(et_channel_params *p);

/* Checks every field of p against its documented range. Returns ET_OK, or
 * ET_ERR_INPUT with a message naming the field, the accepted range and the
 * value, e.g. "channel key 'shadowing_std_db': expected a number in [0, 30], got -1". */
et_status et_channel_params_validate(const et_channel_params *p, et_error *err);

/* Radio parameters of one UE (from its platform host properties). */
typedef struct et_ue_radio {
    double tx_power_dbm;    /* UE transmit power (uplink), e.g. 23 */
    double bandwidth_up_hz; /* uplink bandwidth allotted to the UE */
    double bandwidth_down_hz;
} et_ue_radio;

/* Channel state of one UE after an update. */
typedef struct et_channel_state {
    double distance_m;
    double pathloss_db;
    double shadowing_db;
    double snr_up_db;   /* mean SNR (before fading) at the AP */
    double snr_down_db; /* mean SNR at the UE */
    double rate_up_bps; /* ergodic rate, bits/s */
    double rate_down_bps;
    et_rng rng;        /* shadowing stream of this UE (ET_RNG_SHADOWING, ue) */
    et_rng fading_rng; /* small-scale fading stream of this UE (ET_RNG_FADING, ue), kept
                          apart so that changing fading_samples does not move the shadowing */
    double last_x_m, last_y_m;
    int initialised;
} et_channel_state;

/* Initialises one UE's state: rng from (seed, et_rng_stream_id(ET_RNG_SHADOWING, ue)),
 * fading_rng from (seed, et_rng_stream_id(ET_RNG_FADING, ue)). The first update
 * draws the shadowing value from N(0, sigma^2). */
void et_channel_init(et_channel_state *st, int ue, uint64_t seed);

/* Updates st for a UE now at (x_m, y_m) (AP at the origin): distance, path
 * loss, shadowing (Gudmundson: rho = exp(-moved / decorr) over the distance
 * moved since the previous update), mean SNR per direction and the ergodic
 * rate per direction (mean over fading_samples draws of
 * B min(log2(1 + snr |h|^2), max_se), up and down drawn independently),
 * floored at min_rate_bps. Allocation-free; p is assumed valid. */
void et_channel_update(et_channel_state *st, const et_channel_params *p, const et_ue_radio *radio,
                       double x_m, double y_m);

/* Path loss in dB at distance_m (distance clamped to >= 1 m). */
double et_channel_pathloss_db(const et_channel_params *p, double distance_m);

/* Shannon rate B log2(1 + snr) capped at max spectral efficiency (no fading), bits/s. */
double et_channel_shannon_bps(const et_channel_params *p, double bandwidth_hz, double snr_db);

/* Wi-Fi: index of the highest MCS level whose minimum SNR is met, given a
 * table of n_levels thresholds sorted from fastest (index 0) to slowest;
 * returns n_levels - 1 when none is met, and -1 when n_levels < 1 or the
 * table is NULL. */
int et_channel_wifi_level(const double *min_snr_db, int n_levels, double snr_db);

/* IEEE 802.11ac (VHT) rate levels for one spatial stream and the 800 ns
 * guard interval, fastest first: MCS 9..0 (MCS 9 is not defined at 20 MHz,
 * so 20 MHz has 9 levels). bandwidth_mhz is 20, 40, 80 or 160. Fills
 * rates_bps (PHY data rate, bits/s) and min_snr_db (minimum SNR in dB, noise
 * figure included, derived from the standard's receiver minimum input
 * sensitivity; see docs/channel.md). Returns the number of levels written, or
 * -1 when the width is not one of those or max_levels is too small. */
int et_channel_wifi_default_table(double bandwidth_mhz, double *rates_bps, double *min_snr_db,
                                  int max_levels);

#endif
