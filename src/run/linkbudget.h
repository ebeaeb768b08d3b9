/* linkbudget.h: `edgetune linkbudget`, the link budget of one UE at a distance from its AP,
 * computed by the very functions the simulator's channel uses (channel.h, propagation.h):
 * path loss and its condition, LOS probability, shadowing sigma, SNR and SINR per direction,
 * the ergodic spectral efficiency and the rate on the configured carrier. */
#ifndef ET_LINKBUDGET_H
#define ET_LINKBUDGET_H

#include "channel.h"
#include "status.h"

/* What the link budget is computed for. */
typedef struct et_linkbudget_input {
    et_channel_params channel; /* propagation, powers, noise figures, fading, cap, loads;
                                  its los mode is the condition (los, nlos or mean; the
                                  calculator never draws), its shadowing is ignored (the
                                  median path loss is used) */
    double distance_m;         /* 2D distance from the UE to its AP, > 0 */
    double ue_tx_power_dbm;
    et_duplex duplex;
    double carrier_hz;                           /* TDD bandwidth */
    double tdd_downlink_share, tdd_uplink_share; /* TDD time shares, (0, 1] */
    double carrier_down_hz, carrier_up_hz;       /* FDD bandwidths */
    int n_cells;         /* interference: the serving cell and n_cells - 1 neighbours on a
                            hexagonal layout (1: none, SINR = SNR) */
    double isd_m;        /* their inter-site distance, m */
    int max_interferers; /* the nearest cells that interfere (channel.max_interferers) */
    int sharing_ues;     /* UEs sharing the carrier in each direction, >= 1 */
} et_linkbudget_input;

/* The link budget (dB, dBm, Hz, bits/s). */
typedef struct et_linkbudget_result {
    double d_3d_m;       /* from the antenna heights (tr36814: the 2D distance) */
    double breakpoint_m; /* INFINITY when the scenario has none */
    double path_loss_db; /* of the condition (mean: averaged over the LOS state) */
    double path_loss_los_db, path_loss_nlos_db;
    double los_probability;    /* NAN for tr36814 */
    double shadowing_std_db;   /* of the condition; NAN for mean */
    double shadowing_decorr_m; /* of the condition; NAN for mean */
    double tx_power_dbm[2];    /* [0] uplink (the UE), [1] downlink (the AP) */
    double bandwidth_hz[2], time_share[2], noise_dbm[2];
    double snr_db[2], sinr_db[2];
    double se_bps_hz[2]; /* ergodic spectral efficiency at the SINR (uplink: at its share) */
    double rate_bps[2];  /* what a transfer gets: bandwidth / n x time share x se, floored */
} et_linkbudget_result;

/* Computes the link budget of in into *out. ET_ERR_INPUT (message naming the field) for an
 * invalid channel, ET_ERR_NOMEM when the rate table cannot be allocated. */
et_status et_linkbudget_compute(const et_linkbudget_input *in, et_linkbudget_result *out,
                                et_error *err);

/* The command's help text. */
const char *et_linkbudget_usage(void);

/* `edgetune linkbudget [SCENARIO] [options]` (argv[1] is "linkbudget"): prints the link
 * budget, as text or (--json) one JSON object, on stdout. Returns the process exit code: 0,
 * 2 for a bad option (one line on stderr naming it and its accepted range) or scenario. */
int et_linkbudget_main(int argc, char **argv);

#endif
