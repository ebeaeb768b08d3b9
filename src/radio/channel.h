/* channel.h: per-UE wireless link quality (pure C, no SimGrid).
 *
 * For each UE: distance to its AP -> path loss of the cell's scenario (3GPP TR 38.901 UMa,
 * UMi, RMa or InH with a LOS/NLOS state drawn with spatial consistency, propagation.h; or
 * the TR 36.814 law 128.1 + 37.6 log10(d_km) dB) + log-normal shadowing (correlated over
 * the distance moved) + O2I penetration for indoor UEs -> mean SNR per direction -> ergodic
 * rate over the update interval, E[B min(log2(1 + SNR |h|^2), max_se)] times the
 * direction's share of the time (TDD), under small-scale fading (Rayleigh, or Rician with
 * K). The expectation is read from a table precomputed once per parameter set by quadrature
 * (et_channel_table); a Monte Carlo average of fading_samples draws is kept as its
 * reference twin.
 * The channel actor in sim.c calls et_channel_update() (one cell, AP at the
 * origin) or et_channel_update_cell() (several cells: distance from the UE's
 * own AP, SINR with the other cells' interference) every interval and
 * applies the rates to SimGrid links. */
#ifndef ET_CHANNEL_H
#define ET_CHANNEL_H

#include "edgetune_export.h"
#include "propagation.h"
#include "rng.h"
#include "status.h"

ET_API_BEGIN

typedef enum et_fading_model {
    ET_FADING_NONE = 0,
    ET_FADING_RAYLEIGH = 1,
    ET_FADING_RICIAN = 2,
} et_fading_model;

/* How the serving link's LOS/NLOS condition is chosen (TR 38.901 scenarios only). */
typedef enum et_los_mode {
    ET_LOS_STOCHASTIC = 0, /* drawn: LOS while a spatially consistent uniform variable is
                              below the LOS probability (TR 38.901 section 7.6.3.3) */
    ET_LOS_ALWAYS = 1,     /* always LOS */
    ET_LOS_NEVER = 2,      /* always NLOS */
    ET_LOS_MEAN = 3,       /* deterministic: the path gain averaged over the LOS state,
                              Pr_LOS g_LOS + (1 - Pr_LOS) g_NLOS, without shadowing (what
                              interferers get) */
} et_los_mode;

#define ET_LOS_MODES "stochastic|los|nlos|mean" /* names in enum order */

/* How a cell's carrier divides the two directions. */
typedef enum et_duplex {
    ET_DUPLEX_TDD = 0, /* one carrier; each direction transmits in its slots (a time share) */
    ET_DUPLEX_FDD = 1, /* a downlink and an uplink carrier, both transmitting all the time */
} et_duplex;

#define ET_DUPLEX_MODES "tdd|fdd" /* names in enum order */

typedef struct et_channel_params {
    /* The propagation of every cell whose platform host does not declare its own
     * (docs/platforms.md): scenario, carrier frequency, antenna heights. */
    et_propagation propagation;
    et_los_mode los;
    int shadowing;          /* 1: log-normal shadowing (and the O2I spread) on; 0: median */
    double indoor_fraction; /* [0, 1]: share of UEs indoors, behind the low-loss O2I
                               penetration (UMa, UMi, RMa cells) */
    /* The TR 36.814 law (scenario tr36814 only). */
    double pathloss_a_db;      /* 128.1: PL(d) = a + b log10(d_km) */
    double pathloss_b_db;      /* 37.6 */
    double shadowing_std_db;   /* 8 */
    double shadowing_decorr_m; /* 50: Gudmundson decorrelation distance */
    et_fading_model fading;
    double rician_k_db;             /* K factor for Rician fading */
    int fading_samples;             /* draws averaged per update, Monte Carlo reference path only */
    double noise_density_dbm_hz;    /* -174 */
    double ue_noise_figure_db;      /* 9: receiver noise figure at the UE (downlink) */
    double ap_noise_figure_db;      /* 5: receiver noise figure at the AP (uplink) */
    double ap_tx_power_dbm;         /* 46 */
    double max_spectral_eff_bps_hz; /* 7.4 */
    double min_rate_bps;            /* floor so a link never reaches zero (SimGrid needs > 0) */
    /* Inter-cell interference (et_channel_update_cell only; docs/channel.md
     * section 1.2). Every cell uses the same carrier (reuse 1). A zero-filled
     * struct means interference off, and is valid. */
    int interference;      /* 1: other cells interfere (SINR); 0: ignored (SNR) */
    double dl_load_factor; /* [0, 1]: fraction of the time / resource blocks another cell's AP
                              transmits on the UE's resources; 1 = 3GPP full buffer */
    double ul_load_factor; /* [0, 1]: the same for another cell's UEs, as seen at the UE's AP */
} et_channel_params;

/* Fills p with the documented defaults (docs/channel.md): TR 38.901 UMa at 3.5 GHz, BS 25 m,
 * UT 1.5 m, stochastic LOS state, shadowing on, every UE outdoors; for scenario tr36814 the
 * macro cell path loss 128.1 + 37.6 log10(d_km), 8 dB shadowing decorrelating over
 * 50 m; Rayleigh fading (K = 6 dB if switched to Rician), 16 samples,
 * -174 dBm/Hz noise, NF 9 dB (UE) / 5 dB (AP), AP 46 dBm, 7.4 b/s/Hz cap,
 * 1e5 b/s floor; inter-cell interference on, both load factors 1 (full
 * buffer, the 3GPP calibration assumption). */
void et_channel_params_default(et_channel_params *p);

/* Checks every field of p against its documented range. Returns ET_OK, or
 * ET_ERR_INPUT with a message naming the field, the accepted range and the
 * value, e.g. "channel key 'shadowing_std_db': expected a number in [0, 30], got -1". */
et_status et_channel_params_validate(const et_channel_params *p, et_error *err);

/* Radio parameters of one UE (from its platform host properties). */
typedef struct et_ue_radio {
    double tx_power_dbm;    /* UE transmit power (uplink), e.g. 23 */
    double bandwidth_up_hz; /* uplink bandwidth allotted to the UE (its SNR's noise bandwidth) */
    double bandwidth_down_hz;
    /* Share of the time each direction may transmit, in (0, 1]: a TDD carrier's uplink and
     * downlink shares (et_channel_tdd_shares); 0 means 1 (FDD: all the time). The rate is
     * bandwidth x duty x spectral efficiency; the SNR is over the whole bandwidth. */
    double duty_up, duty_down;
} et_ue_radio;

/* Channel state of one UE after an update. */
typedef struct et_channel_state {
    double pathloss_db;      /* of the serving link's condition (or the LOS-state mean) */
    double shadowing_db;     /* in force: sigma of the condition times its unit process */
    double o2i_loss_db;      /* building penetration of an indoor UE, its spread included; 0 */
    double distance_m;       /* 2D, to the UE's own (serving) AP */
    int los;                 /* serving link: 1 LOS, 0 NLOS, -1 none (tr36814, or los = mean) */
    double los_probability;  /* Pr_LOS at its outdoor distance (NAN for tr36814) */
    double shadowing_std_db; /* sigma in force (0 with shadowing off or los = mean) */
    int indoor;              /* 1: behind the O2I penetration loss */
    double snr_up_db;        /* mean SNR (before fading) at the AP: noise only */
    double snr_down_db;      /* mean SNR at the UE */
    double sinr_up_db;       /* mean SINR at the AP: noise plus other cells' interference; the
                                rate follows it. Equals snr_up_db in a single cell or with
                                interference off */
    double sinr_down_db;
    double rate_up_bps; /* ergodic rate, bits/s */
    double rate_down_bps;
    /* Three processes in the distance walked, each AR(1) with correlation exp(-d / d_corr):
     * sf_a the LOS shadowing (unit variance; for a tr36814 cell the shadowing itself, in
     * dB, as it always was), sf_nlos the NLOS shadowing, los_z the LOS state (unit
     * variance; LOS while Phi(los_z) < Pr_LOS). TR 38.901 draws the two conditions' large
     * scale parameters independently (section 7.6.3.3), so they have streams of their own. */
    double sf_a, sf_nlos, los_z;
    int sf_a_in_db;     /* sf_a holds dB (a tr36814 cell) rather than a unit variable */
    double travelled_m; /* distance moved since sf_a was last drawn */
    double travelled_nlos_m, travelled_los_m;
    /* Per-UE draws at init: indoor while indoor_u < indoor_fraction; its indoor distance is
     * d_in_u times the scenario's depth; o2i_normal scales the O2I spread. */
    double indoor_u, d_in_u, o2i_normal;
    et_propagation cell; /* the serving cell at the last link: its decorrelation distances
                            drive the walk (p->propagation before the first link) */
    int has_cell;
    et_rng rng;        /* sf_a stream of this UE (ET_RNG_SHADOWING, ue) */
    et_rng nlos_rng;   /* sf_nlos (ET_RNG_SHADOWING, ue | ET_CHANNEL_NLOS_OWNER) */
    et_rng los_rng;    /* los_z (ET_RNG_SHADOWING, ue | ET_CHANNEL_LOS_OWNER) */
    et_rng fading_rng; /* small-scale fading stream of this UE (ET_RNG_FADING, ue), used by the
                          Monte Carlo path only; kept apart so that neither the path nor
                          fading_samples moves the shadowing */
    double last_x_m, last_y_m;
    int initialised;
} et_channel_state;

/* Owner bits of a UE's extra shadowing streams: above any UE index (< 2^38), so they never
 * meet another UE's ET_RNG_SHADOWING stream; O2I draws use both bits. */
#define ET_CHANNEL_NLOS_OWNER (UINT64_C(1) << 39)
#define ET_CHANNEL_LOS_OWNER (UINT64_C(1) << 38)

/* Initialises one UE's state: rng from (seed, et_rng_stream_id(ET_RNG_SHADOWING, ue)),
 * nlos_rng, los_rng and the O2I draws from the owners above, fading_rng from (seed,
 * et_rng_stream_id(ET_RNG_FADING, ue)). The first update draws the processes from their
 * stationary laws (the tr36814 shadowing from N(0, sigma^2), as always). */
void et_channel_init(et_channel_state *st, int ue, uint64_t seed);

/* Ergodic spectral efficiency table of one parameter set (opaque; see
 * docs/channel.md section 1.1). Holds f(snr_db) = E[min(log2(1 + snr |h|^2), max_se)]
 * for the fading model, K factor and max_se it was created from, on a grid
 * from ET_CHANNEL_TABLE_MIN_SNR_DB in steps of ET_CHANNEL_TABLE_STEP_DB up to
 * 40 dB above the SNR where log2(1 + snr) reaches max_se. Read-only after
 * create, so one table may serve every UE (and threads). */
typedef struct et_channel_table et_channel_table;

#define ET_CHANNEL_TABLE_MIN_SNR_DB (-40.0) /* first grid point, dB */
#define ET_CHANNEL_TABLE_STEP_DB 0.05       /* grid spacing, dB */

/* Builds the table for p's fading, rician_k_db and max_spectral_eff_bps_hz
 * (about 2000 quadratures: about 10 ms for Rayleigh, 30 ms for Rician).
 * On ET_OK *out is a new table the caller frees with
 * et_channel_table_destroy(). Returns ET_ERR_INPUT (message from
 * et_channel_params_validate) when p is invalid, ET_ERR_NOMEM when the
 * allocation fails; *out is then NULL. */
et_status et_channel_table_create(const et_channel_params *p, et_channel_table **out,
                                  et_error *err);

/* Frees a table (NULL-safe). */
void et_channel_table_destroy(et_channel_table *table);

/* Ergodic spectral efficiency at mean SNR snr_db, b/s/Hz, from the table:
 * linear interpolation between grid points (relative error below 2e-5);
 * below the grid the low-SNR expansion snr (1 - snr E[g^2] / 2) / ln 2
 * scaled to meet the first point; above it max_se - c / snr, the exact
 * high-SNR decay, scaled to meet the last point. Exact capped Shannon for
 * ET_FADING_NONE. Non-decreasing in snr_db, in [0, max_se]; no allocation. */
double et_channel_table_se_bps_hz(const et_channel_table *table, double snr_db);

/* The same f(snr_db), b/s/Hz, computed directly by adaptive Gauss-Kronrod
 * quadrature over the fading distribution (relative error about 1e-12):
 * the reference for the table. Slow (hundreds of evaluations); no
 * allocation; p is assumed valid. */
double et_channel_ergodic_se_bps_hz(const et_channel_params *p, double snr_db);

/* Updates st for a UE now at (x_m, y_m) (AP at the origin, one cell of
 * propagation p->propagation, so SINR = SNR): distance, LOS state, path loss
 * of that condition, shadowing (Gudmundson: rho = exp(-moved / decorr) over
 * the distance moved since the previous update, sigma and decorrelation of
 * the condition), O2I penetration of an indoor UE, mean SNR per direction and
 * the ergodic rate per direction, B duty f(snr), floored at min_rate_bps.
 * table non-NULL (the default path): f is the exact expectation from the
 * table, which must have been created from parameters with p's fading,
 * rician_k_db and max_spectral_eff_bps_hz; no fading randomness is drawn.
 * table NULL (Monte Carlo reference): f is the mean over fading_samples
 * draws of min(log2(1 + snr |h|^2), max_se), up and down drawn independently
 * from fading_rng. Both paths draw the same shadowing sequence.
 * Allocation-free; p is assumed valid. */
void et_channel_update(et_channel_state *st, const et_channel_params *p,
                       const et_channel_table *table, const et_ue_radio *radio, double x_m,
                       double y_m);

/* Position of one access point (cell site), metres, in the platform's frame, its cell's
 * propagation (NULL: the parameters' default, p->propagation), its transmit power
 * (has_tx_power 0: the parameters' ap_tx_power_dbm; 1: tx_power_dbm, dBm, the cell's own)
 * and the transmit power of the UEs it serves (has_ue_tx_power 0: the UE's own,
 * radio->tx_power_dbm; 1: ue_tx_power_dbm, dBm, the cell's). A zero-filled tail
 * ({x, y, NULL} written with designators) means the defaults. */
typedef struct et_channel_ap {
    double x_m, y_m;
    const et_propagation *prop;
    int has_tx_power;
    double tx_power_dbm;
    int has_ue_tx_power;
    double ue_tx_power_dbm;
} et_channel_ap;

/* The same update as et_channel_update for a UE at (x_m, y_m) served by
 * aps[serving] in a network of n_aps cells on one carrier (aps lists every
 * cell, the serving one included; et_topology.aps is laid out for this):
 * distance, path loss and SNR from the UE's own AP (the downlink at that AP's
 * transmit power, the uplink at that cell's UE power), then the SINR with
 * the other n_aps - 1 cells' interference when p->interference is 1:
 *   downlink: each other AP at its own transmit power (aps[j].tx_power_dbm, or
 *     ap_tx_power_dbm), path loss over its distance to the UE, times dl_load_factor;
 *   uplink: each other cell's active UE at its cell's UE power
 *     (aps[j].ue_tx_power_dbm, or radio->tx_power_dbm), represented
 *     at that cell's AP, path loss over the AP-to-AP distance to the serving
 *     AP, times ul_load_factor.
 * Interferers carry mean path loss only (no shadowing, no fading; in a
 * TR 38.901 cell averaged over the LOS state, et_channel_mean_pathloss_db,
 * each AP with its own cell's propagation, the uplink with the serving
 * cell's) and add to the receiver's noise (docs/channel.md section 1.2). The rates follow the
 * SINR. Shadowing is drawn exactly as in et_channel_update, so a UE's
 * shadowing sequence does not depend on the cells. With n_aps == 1 (or
 * aps[serving] at the origin and interference off) the numbers equal
 * et_channel_update's bit for bit. aps NULL, n_aps < 1 or serving outside
 * [0, n_aps) falls back to one AP at the origin. Cost O(n_aps);
 * allocation-free; p is assumed valid. */
void et_channel_update_cell(et_channel_state *st, const et_channel_params *p,
                            const et_channel_table *table, const et_ue_radio *radio, double x_m,
                            double y_m, const et_channel_ap *aps, int n_aps, int serving);

/* The two halves of et_channel_update_cell, for callers that advance a UE
 * over several intervals and need its rates only at the last one: an idle
 * UE is walked forward with et_channel_move at every interval (its
 * shadowing is a process in the distance moved, so every step counts), and
 * et_channel_link computes distance, path loss, SINR and rates at the
 * current position with the current shadowing. et_channel_move then
 * et_channel_link equals et_channel_update_cell when interferers is NULL
 * (every other AP interferes); otherwise only aps[interferers[k]] do
 * (et_channel_nearest_interferers). The Monte Carlo path draws its fading
 * in et_channel_link. The walk advances the processes on the decorrelation
 * distances of the cell the UE was last linked to (p->propagation before the
 * first link), and et_channel_link records the serving cell, so a UE that
 * changes cell (handover) walks on its new cell's distances from then on.
 * Allocation-free; p is assumed valid. */
void et_channel_move(et_channel_state *st, const et_channel_params *p, double x_m, double y_m);

/* et_channel_move for a caller that knows the length of the path walked
 * since the last update (a random-waypoint UE advanced over many intervals
 * at once): the shadowing advances by walked_m along the path and the UE is
 * now at (x_m, y_m). Advancing a path in one call or in pieces draws the
 * same shadowing. */
void et_channel_walk(et_channel_state *st, const et_channel_params *p, double x_m, double y_m,
                     double walked_m);
void et_channel_link(et_channel_state *st, const et_channel_params *p,
                     const et_channel_table *table, const et_ue_radio *radio, double x_m,
                     double y_m, const et_channel_ap *aps, int n_aps, int serving,
                     const int *interferers, int n_interferers);

/* Writes to out the indices of the (at most max_n) APs nearest to
 * aps[serving], nearest first (ties by index), and returns how many. The
 * interferers that matter: path gain falls as d^-3.76, so beyond the second
 * ring of a hexagonal layout (18 cells) the rest adds a few percent. */
int et_channel_nearest_interferers(const et_channel_ap *aps, int n_aps, int serving, int max_n,
                                   int *out);

/* The TR 36.814 law of p: a + b log10(d_km), dB, at distance_m (clamped to >= 1 m). */
double et_channel_pathloss_db(const et_channel_params *p, double distance_m);

/* Path loss, dB, of condition los (1 LOS, 0 NLOS) at 2D distance d_2d_m from an AP of a
 * cell with propagation cell (NULL: p->propagation): TR 38.901 for uma, umi, rma and inh
 * (et_propagation_pathloss_db), the law of p for tr36814 (either condition). The serving
 * link's path loss in et_channel_link. */
double et_channel_cell_pathloss_db(const et_channel_params *p, const et_propagation *cell, int los,
                                   double d_2d_m);

/* Path loss, dB, averaged over the LOS state in the linear domain,
 * -10 log10(Pr_LOS 10^(-PL_LOS / 10) + (1 - Pr_LOS) 10^(-PL_NLOS / 10)), at 2D distance
 * d_2d_m (the law of p for tr36814): what an interfering link carries, and the serving
 * link with los = mean. */
double et_channel_mean_pathloss_db(const et_channel_params *p, const et_propagation *cell,
                                   double d_2d_m);

/* The default TDD pattern and special slot (channel.tdd_pattern, channel.tdd_special_slot; the
 * key table gives their sources). */
#define ET_TDD_PATTERN_DEFAULT "DDDSU"
#define ET_TDD_SPECIAL_SLOT_DEFAULT "10:2:2"

/* A TDD carrier's time shares from its slot pattern: pattern a string of 'D' (downlink),
 * 'U' (uplink) and 'S' (special) slots, 1 to 80 of them, repeated; special_slot "d:g:u",
 * the special slot's downlink, guard and uplink OFDM symbols, adding up to 14 (normal cyclic
 * prefix). *dl_share = (14 n_D + d n_S) / (14 n), *ul_share = (14 n_U + u n_S) / (14 n);
 * both must be > 0. DDDSU with 10:2:2 gives 52/70 and 16/70. ET_ERR_INPUT naming the key
 * (channel.tdd_pattern or channel.tdd_special_slot), its accepted form and the value. */
et_status et_channel_tdd_shares(const char *pattern, const char *special_slot, double *dl_share,
                                double *ul_share, et_error *err);

/* The rate, bits/s, of one of n UEs that share a carrier of bandwidth_hz equally in one
 * direction (round robin, or long-run proportional fair), given its SINR sinr_db over the
 * whole carrier: bandwidth_hz / n x duty x f(SINR'), floored at min_rate_bps, with f the
 * table's ergodic spectral efficiency and duty the direction's share of the time (0 is 1).
 * Downlink: the base station's power is spread over the whole carrier, so SINR' = SINR.
 * Uplink: the UE puts its whole power into its 1/n share, so SINR' = SINR + 10 log10(n).
 * With n = 1 it is the rate et_channel_link gives. */
double et_channel_share_rate_bps(const et_channel_params *p, const et_channel_table *table,
                                 double bandwidth_hz, double duty, double sinr_db, int n,
                                 int uplink);

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

ET_API_END

#endif
