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
    double pathloss_a_db;          /* 128.1: PL(d) = a + b log10(d_km) */
    double pathloss_b_db;          /* 37.6 */
    double shadowing_std_db;       /* 8 */
    double shadowing_decorr_m;     /* 50: Gudmundson decorrelation distance */
    et_fading_model fading;
    double rician_k_db;            /* K factor for Rician fading */
    int fading_samples;            /* samples averaged per update for the ergodic rate */
    double noise_density_dbm_hz;   /* -174 */
    double ue_noise_figure_db;     /* 9: receiver noise figure at the UE (downlink) */
    double ap_noise_figure_db;     /* 5: receiver noise figure at the AP (uplink) */
    double ap_tx_power_dbm;        /* 46 */
    double max_spectral_eff_bps_hz;/* 7.4 */
    double min_rate_bps;           /* floor so a link never reaches zero (SimGrid needs > 0) */
} et_channel_params;

/* Radio parameters of one UE (from its platform host properties). */
typedef struct et_ue_radio {
    double tx_power_dbm;     /* UE transmit power (uplink), e.g. 23 */
    double bandwidth_up_hz;  /* uplink bandwidth allotted to the UE */
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
    et_rng rng;         /* shadowing + fading stream of this UE */
    double last_x_m, last_y_m;
    int initialised;
} et_channel_state;

/* Initialises one UE's state; rng from (seed, et_rng_stream_id(ET_RNG_SHADOWING, ue)). */
void et_channel_init(et_channel_state *st, int ue, uint64_t seed);

/* Updates st for a UE now at (x_m, y_m) (AP at the origin). */
void et_channel_update(et_channel_state *st, const et_channel_params *p, const et_ue_radio *radio,
                       double x_m, double y_m);

/* Path loss in dB at distance_m (distance clamped to >= 1 m). */
double et_channel_pathloss_db(const et_channel_params *p, double distance_m);

/* Shannon rate B log2(1 + snr) capped at max spectral efficiency (no fading), bits/s. */
double et_channel_shannon_bps(const et_channel_params *p, double bandwidth_hz, double snr_db);

/* Wi-Fi: index of the highest MCS level whose minimum SNR is met, given a
 * table of n_levels thresholds sorted from fastest (index 0) to slowest;
 * returns n_levels - 1 when none is met. */
int et_channel_wifi_level(const double *min_snr_db, int n_levels, double snr_db);

#endif
