/* scenario.c: the key table and the JSON scenario reader. */
#define _DEFAULT_SOURCE
#include "scenario_cjson.h"

#include "choices.h"
#include "jsontext.h"
#include "numtext.h"
#include "readfile.h"

#include <cJSON.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef enum key_type {
    KEY_INT,
    KEY_SEED, /* uint64_t, given as a non-negative integer */
    KEY_DOUBLE,
    KEY_FLOAT, /* float field, range-checked as a double */
    KEY_BOOL,
    KEY_STRING, /* char[ET_SCENARIO_STRING_MAX] */
    KEY_PATH,   /* char[ET_PATH_MAX], resolved against the scenario's directory */
    KEY_ENUM,   /* int (or C enum), value = index in choices */
} key_type;

typedef struct key_def {
    const char *name; /* dotted path: section.key */
    key_type type;
    size_t offset;       /* into et_scenario */
    double min, max;     /* inclusive range for numbers */
    const char *def;     /* default, as JSON-ish text; RADIO_DEFAULT: the radio layer's */
    const char *choices; /* KEY_ENUM: '|'-separated names, in enum order */
    const char *help;    /* one line; units and source */
} key_def;

#define OFF(field) offsetof(et_scenario, field)
#define BIG 1e300
/* The default of a channel.* or mobility.* key whose field is in et_channel_params or
 * et_mobility_params is written once, in C, with its source: et_channel_params_default
 * (src/radio/channel.c) and et_mobility_params_default (src/radio/mobility.c) fill those
 * fields, and `edgetune keys` prints the value they set. */
#define RADIO_DEFAULT NULL

/* Every scenario key, declared once. Ranges are inclusive. */
static const key_def KEYS[] = {
    {"platform", KEY_PATH, OFF(sim.platform), 0, 0, "platforms/edge-6ue.xml", NULL,
     "SimGrid platform XML (roles from host properties; see docs/platforms.md)"},
    {"model", KEY_PATH, OFF(sim.model), 0, 0, "models/opt-2.7b.json", NULL,
     "foundation-model profile (docs/models.md; OPT-2.7B's quality curve is OPT-6.7B's "
     "published layer-drop row scaled to its anchor)"},
    {"ues", KEY_INT, OFF(sim.ues), 0, 1000000, "0", NULL,
     "number of UEs to simulate, the first N UE hosts by name; 0 = all UE hosts of the platform"},
    {"seed", KEY_SEED, OFF(sim.seed), 0, (double)ET_SEED_MAX, "1", NULL,
     "root seed; every random stream derives from it and a stream id"},
    {"policy", KEY_STRING, OFF(policy), 0, 0, "greedy", NULL,
     "decision policy (edgetune policies lists them)"},
    {"out", KEY_PATH, OFF(out_dir), 0, 0, "out", NULL,
     "output directory for traces and the summary (relative to the working directory when given "
     "on the command line)"},

    {"tasks.per_ue", KEY_INT, OFF(sim.tasks_per_ue), 1, 100000, "50", NULL,
     "tasks in each UE's queue (paper: 50)"},
    {"tasks.tokens_min", KEY_DOUBLE, OFF(sim.tokens_min), 1, 1e12, "1e4", NULL,
     "smallest task data set, tokens (log-uniform draw; Offsite-Tuning WikiText-2 scale)"},
    {"tasks.tokens_max", KEY_DOUBLE, OFF(sim.tokens_max), 1, 1e12, "2e5", NULL,
     "largest task data set, tokens (a user's own text on the device: 1e4-2e5 tokens, tens of KB "
     "to about 1 MB; inside the 1e4-1e6 of Offsite-Tuning-scale runs)"},
    {"tasks.epochs_min", KEY_INT, OFF(sim.epochs_min), 1, 1000, "1", NULL,
     "fewest epochs per task (uniform integer draw)"},
    {"tasks.epochs_max", KEY_INT, OFF(sim.epochs_max), 1, 1000, "3", NULL, "most epochs per task"},
    {"tasks.difficulty_sigma", KEY_DOUBLE, OFF(sim.difficulty_sigma), 0, 2, "0.1", NULL,
     "log-normal spread of the per-task perplexity multiplier (mean 1)"},
    {"tasks.gap_mean_s", KEY_DOUBLE, OFF(sim.gap_mean_s), 0, 1e9, "0", NULL,
     "mean idle time before each task, s (exponential); 0 = tasks back to back"},
    {"tasks.burst_on_s", KEY_DOUBLE, OFF(sim.burst_on_s), 0, 1e9, "0", NULL,
     "bursty arrivals: mean ON period, s, of an on/off process shared by every UE (exponential "
     "ON and OFF periods, an MMPP-style source; the episode starts ON); a UE starts a task "
     "only while it is ON, after its gap; 0 (with burst_off_s 0) = no bursts, else at least "
     "0.01 (docs/simulation.md, \"Arrivals\")"},
    {"tasks.burst_off_s", KEY_DOUBLE, OFF(sim.burst_off_s), 0, 1e9, "0", NULL,
     "bursty arrivals: mean OFF period, s: a task due while OFF waits for the next ON, and "
     "the UEs that waited start together; 0 (with burst_on_s 0) = no bursts, else at least "
     "0.01"},
    {"tasks.bytes_per_token", KEY_DOUBLE, OFF(sim.bytes_per_token), 0, 1e6, "4", NULL,
     "bytes of data set per token uploaded when offloading (int32 token ids)"},
    {"tasks.seq_tokens", KEY_DOUBLE, OFF(sim.seq_tokens), 1, 1e7, "512", NULL,
     "training context length, tokens, for the activation memory model (Offsite-Tuning: 512)"},
    {"tasks.deadline_s", KEY_DOUBLE, OFF(sim.deadline_s), 0, 1e12, "0", NULL,
     "absolute task deadline, s after the task starts; a task not done by then fails "
     "(docs/simulation.md, \"Deadlines\"); 0 = none (with deadline_factor, the earlier wins)"},
    {"tasks.deadline_factor", KEY_DOUBLE, OFF(sim.deadline_factor), 0, 1e6, "4", NULL,
     "deadline as a multiple of the task's best-case duration (the fastest option alone on "
     "an idle system at peak rates; a slack factor, as in deadline-aware scheduling); 0 = none "
     "(version 2)"},

    {"tuning.result", KEY_ENUM, OFF(sim.result_mode), 0, 0, "lora", "full|lora",
     "what a task tunes and returns: LoRA deltas on the adapter (default: a few MB instead of "
     "hundreds, less memory and FLOPs), or the full adapter blocks"},
    {"tuning.k_min", KEY_DOUBLE, OFF(sim.k_min), 0.01, 1, "0.1", NULL,
     "smallest emulator keep fraction k = b / M a policy may choose"},
    {"tuning.k_max", KEY_DOUBLE, OFF(sim.k_max), 0.01, 1, "0.5", NULL,
     "largest keep fraction: the model owner never ships more than this share of the middle "
     "blocks (Offsite-Tuning's emulators drop at least half); 1 = version 1"},
    {"tuning.lora_savings", KEY_BOOL, OFF(sim.lora_savings), 0, 0, "true", NULL,
     "with tuning.result lora, LoRA also lowers trainable parameters, optimizer state and "
     "weight-gradient FLOPs (Offsite-Tuning: 9.3 vs 6.2 GB, 1.6x throughput); false = only "
     "the result shrinks (version 1)"},
    {"tuning.data_quality", KEY_BOOL, OFF(sim.data_quality), 0, 0, "true", NULL,
     "quality depends on the tuning data (tokens x epochs, diminishing returns) as well as on "
     "the emulator (docs/models.md section 9); false = version 2 (emulator size only)"},
    {"server.tunes_on", KEY_ENUM, OFF(sim.tunes_on), 0, 0, "full", ET_FM_TUNES_ON_CHOICES,
     "what a SERVER task's adapter is tuned against: the full middle block (the server owns "
     "the model) or the UE's emulator (version 1)"},
    {"server.returns_result", KEY_BOOL, OFF(sim.server_returns_result), 0, 0, "true", NULL,
     "a SERVER task sends its tuned result back to the UE; false: the owner keeps it and "
     "serves the tuned model"},
    {"server.admission", KEY_ENUM, OFF(sim.server_admission), 0, 0, "memory", "memory|none",
     "memory: an accelerator holds the offloaded jobs that fit in its memory (footprint from "
     "the same cost model as a LOCAL task), the others wait in a queue; none: every job runs "
     "at once and they share the accelerators (version 2)"},
    {"server.memory_bytes", KEY_DOUBLE, OFF(sim.server_memory_bytes), 1e6, 1e15, "24e9", NULL,
     "memory of one accelerator, bytes, when the server host has no memory_bytes property "
     "(NVIDIA L4 and A10 datasheets: 24 GB)"},
    {"server.queue", KEY_ENUM, OFF(sim.server_queue), 0, 0, "fifo", "fifo|sjf",
     "order of the jobs waiting for memory: first come first served, or shortest job (fewest "
     "FLOPs) first; neither overtakes a job that fits"},
    {"server.load_info", KEY_ENUM, OFF(sim.server_load_info), 0, 0, "query", "query|reply",
     "how a UE learns the server's load: query = a control message up and the state down "
     "before each decision, paying its round trip; reply = as carried by the last reply to "
     "this UE (version 2: stale for a UE that stays local)"},

    {"channel.enabled", KEY_BOOL, OFF(sim.channel_enabled), 0, 0, "true", NULL,
     "false: links keep the bandwidths written in the platform XML and UEs stay put (static "
     "links, for calibration and tests)"},
    {"channel.update_interval_s", KEY_DOUBLE, OFF(sim.update_interval_s), 0.01, 3600, "1", NULL,
     "channel and mobility update period, s (the rates of links that carry a transfer are "
     "updated on this grid; idle UEs are advanced lazily)"},
    {"channel.sharing", KEY_ENUM, OFF(sim.radio_sharing), 0, 0, "carrier", "carrier|dedicated",
     "carrier: each cell's carrier is shared by the UEs with traffic in that direction, equal "
     "resource-block shares (OFDMA); dedicated: each UE has the bandwidth_*_hz of its platform "
     "host to itself (version 1)"},
    {"channel.duplex", KEY_ENUM, OFF(sim.duplex), 0, 0, "tdd", ET_DUPLEX_MODES,
     "a cell's carrier: tdd = one channel.carrier_hz carrier whose slots (channel.tdd_pattern) "
     "give each direction its share of the time, the UE's power over the whole carrier in its "
     "uplink slots; fdd = a channel.carrier_down_hz and a channel.carrier_up_hz carrier, both "
     "transmitting all the time (version 2: 80 + 20 MHz)"},
    {"channel.carrier_hz", KEY_DOUBLE, OFF(sim.carrier_hz), 1e5, 1e10, "100e6", NULL,
     "TDD carrier bandwidth, Hz (100 MHz: the widest NR channel of band n78 at 30 kHz "
     "subcarrier spacing, TS 38.104 Table 5.3.5-1)"},
    {"channel.tdd_pattern", KEY_STRING, OFF(sim.tdd_pattern), 0, 0, ET_TDD_PATTERN_DEFAULT, NULL,
     "TDD slot pattern, repeated: D downlink, U uplink, S special slot (DDDSU: 2.5 ms at 30 kHz, "
     "the pattern of 3GPP TR 37.910's IMT-2020 TDD evaluations and of many n78 networks)"},
    {"channel.tdd_special_slot", KEY_STRING, OFF(sim.tdd_special_slot), 0, 0,
     ET_TDD_SPECIAL_SLOT_DEFAULT, NULL,
     "OFDM symbols of a special slot, downlink:guard:uplink, adding up to 14 (DDDSU with 10:2:2: "
     "downlink 52/70 = 0.743 of the time, uplink 16/70 = 0.229, guard 2/70)"},
    {"channel.carrier_down_hz", KEY_DOUBLE, OFF(sim.carrier_down_hz), 1e5, 1e10, "80e6", NULL,
     "FDD downlink carrier, Hz (channel.duplex fdd; version 2 took 80 MHz, the downlink share "
     "of a 100 MHz 4:1 TDD carrier, as if both directions transmitted all the time)"},
    {"channel.carrier_up_hz", KEY_DOUBLE, OFF(sim.carrier_up_hz), 1e5, 1e10, "20e6", NULL,
     "FDD uplink carrier, Hz (channel.duplex fdd)"},
    {"channel.scenario", KEY_ENUM, OFF(sim.channel.propagation.scenario), 0, 0, RADIO_DEFAULT,
     ET_PROPAGATION_SCENARIOS,
     "propagation of every cell whose platform host declares no scenario: 3GPP TR 38.901 Table "
     "7.4.1-1 urban macro, urban micro street canyon, rural macro, indoor office (mixed), with "
     "LOS/NLOS; or tr36814 = pathloss_a_db + pathloss_b_db log10(d_km) with shadowing_std_db "
     "and shadowing_decorr_m (TR 36.814, version 2)"},
    {"channel.frequency_hz", KEY_DOUBLE, OFF(sim.channel.propagation.frequency_hz), 0.5e9, 100e9,
     RADIO_DEFAULT, NULL,
     "carrier centre frequency, Hz, of cells whose host declares no frequency_hz (3.5 GHz: the "
     "centre of NR band n78; TR 38.901 covers 0.5 to 100 GHz)"},
    {"channel.h_bs_m", KEY_DOUBLE, OFF(sim.channel.propagation.h_bs_m), 0, 150, RADIO_DEFAULT, NULL,
     "AP antenna height, m, of cells whose host declares no h_bs_m; 0 = the scenario's TR "
     "38.901 Table 7.2-1 height (UMa 25, UMi 10, RMa 35, InH 3)"},
    {"channel.h_ut_m", KEY_DOUBLE, OFF(sim.channel.propagation.h_ut_m), 0, 22.5, RADIO_DEFAULT,
     NULL,
     "UE antenna height, m, in cells whose host declares no h_ut_m; 0 = the scenario's (1.5, "
     "InH 1)"},
    {"channel.los", KEY_ENUM, OFF(sim.channel.los), 0, 0, RADIO_DEFAULT, ET_LOS_MODES,
     "LOS/NLOS state of a UE's serving link (TR 38.901 scenarios): stochastic = LOS while a "
     "spatially consistent uniform (correlation distance of Table 7.6.3.1-2, so it changes as "
     "the UE walks) is below Table 7.4.2-1's LOS probability; los, nlos = forced; mean = the "
     "path gain averaged over the state, without shadowing (deterministic)"},
    {"channel.shadowing", KEY_BOOL, OFF(sim.channel.shadowing), 0, 0, RADIO_DEFAULT, NULL,
     "log-normal shadowing (TR 38.901: sigma and decorrelation distance per scenario and "
     "condition; tr36814: shadowing_std_db); false = the median path loss"},
    {"channel.indoor_fraction", KEY_DOUBLE, OFF(sim.channel.indoor_fraction), 0, 1, RADIO_DEFAULT,
     NULL,
     "share of UEs indoors in UMa, UMi and RMa cells, behind TR 38.901's low-loss O2I "
     "penetration (section 7.4.3: PL_tw + 0.5 d_2D-in dB, sigma_P 4.4 dB); TR 38.901's "
     "evaluations take 0.8"},
    {"channel.wifi_rate_control", KEY_ENUM, OFF(sim.wifi_rate_control), 0, 0, "per-direction",
     "per-direction|worse",
     "Wi-Fi MCS: per-direction = the AP's from the downlink SNR for transfers to a station, the "
     "station's from its uplink SNR for its own; worse = one level for both, from the worse "
     "direction (version 2)"},
    {"channel.wifi_mac_efficiency", KEY_DOUBLE, OFF(sim.wifi_mac_efficiency), 0.05, 1, "0.85", NULL,
     "share of a Wi-Fi PHY rate a transfer gets (802.11 timing, headers, acknowledgements): "
     "0.85 for 64-MPDU A-MPDUs of 1460-byte TCP segments at MCS 9, 80 MHz (docs/channel.md "
     "section 3); 1 = the PHY rate (version 2)"},
    {"channel.handover", KEY_BOOL, OFF(sim.handover), 0, 0, "false", NULL,
     "true: a UE's serving cell changes by 3GPP's A3 rule (a neighbour's RSRP better than the "
     "serving cell's by channel.handover_hysteresis_db for channel.handover_ttt_s, checked on "
     "the channel's update grid) with an interruption; false: a UE stays in its platform cell "
     "(version 2; no effect on a single cell)"},
    {"channel.handover_hysteresis_db", KEY_DOUBLE, OFF(sim.handover_hysteresis_db), 0, 30, "3",
     NULL,
     "A3 margin, dB: TS 38.331's hysteresis (0-15 dB) plus a3-Offset (-15 to 15 dB), 0.5 dB steps; "
     "3 dB "
     "with a 480 ms time to trigger is the slowest handover parameter set of 3GPP TR 36.839"},
    {"channel.handover_ttt_s", KEY_DOUBLE, OFF(sim.handover_ttt_s), 0, 5.12, "0.48", NULL,
     "A3 time to trigger, s (TS 38.331 timeToTrigger: 0 to 5.12 s; 0.48 with the 3 dB "
     "margin, TR 36.839); rounded up to whole channel.update_interval_s steps"},
    {"channel.handover_interruption_s", KEY_DOUBLE, OFF(sim.handover_interruption_s), 0, 1, "0.05",
     NULL,
     "time after a handover during which the UE cannot transmit, s: a break-before-make NR "
     "handover's interruption is tens of ms (TS 38.133 section 6.1.1.2.2 adds search, "
     "PRACH-occasion, processing and margin terms); 0.05, a rounded figure of that order; 0 = "
     "ITU-R M.2410's IMT-2020 requirement, met by make-before-break (DAPS)"},
    {"channel.push_tolerance", KEY_DOUBLE, OFF(sim.push_tolerance), 0, 1, "0.01", NULL,
     "a busy link's new rate is applied to the engine only when it differs from the applied "
     "one by more than this fraction (bounds the rate error; 0 applies every change)"},
    {"channel.share_interval_s", KEY_DOUBLE, OFF(sim.share_interval_s), 0, 1, "0", NULL,
     "scheduling interval, s, at which a cell's carrier is re-divided among its UEs with a "
     "transfer in flight: 0 = at once at every transfer start and end (exact); a positive "
     "value re-divides the other UEs' shares at the next multiple of it in engine time (the "
     "starting UE gets its own share at once). An NR slot is 1 ms / 2^mu: 0.5 ms at 30 kHz "
     "subcarrier spacing (3GPP TS 38.211 section 4.3.2); docs/simulation.md, \"The cell's "
     "carrier\""},
    {"channel.ue_tx_power_dbm", KEY_DOUBLE, OFF(sim.ue_tx_power_dbm), -30, 40, "23", NULL,
     "UE transmit power, dBm (3GPP power class 3)"},
    {"channel.ap_tx_power_dbm", KEY_DOUBLE, OFF(sim.channel.ap_tx_power_dbm), -30, 60,
     RADIO_DEFAULT, NULL, "access point transmit power, dBm (3GPP TR 36.814 macro: 46)"},
    {"channel.noise_density_dbm_hz", KEY_DOUBLE, OFF(sim.channel.noise_density_dbm_hz), -200, -100,
     RADIO_DEFAULT, NULL, "thermal noise density, dBm/Hz"},
    {"channel.ue_noise_figure_db", KEY_DOUBLE, OFF(sim.channel.ue_noise_figure_db), 0, 30,
     RADIO_DEFAULT, NULL, "UE receiver noise figure, dB (TR 36.814)"},
    {"channel.ap_noise_figure_db", KEY_DOUBLE, OFF(sim.channel.ap_noise_figure_db), 0, 30,
     RADIO_DEFAULT, NULL, "AP receiver noise figure, dB (TR 36.814)"},
    {"channel.pathloss_a_db", KEY_DOUBLE, OFF(sim.channel.pathloss_a_db), 0, 300, RADIO_DEFAULT,
     NULL,
     "scenario tr36814: path loss PL = a + b log10(d_km): intercept a, dB (TR 36.814 macro, "
     "2 GHz)"},
    {"channel.pathloss_b_db", KEY_DOUBLE, OFF(sim.channel.pathloss_b_db), 0, 100, RADIO_DEFAULT,
     NULL, "scenario tr36814: path loss slope b, dB per decade"},
    {"channel.shadowing_std_db", KEY_DOUBLE, OFF(sim.channel.shadowing_std_db), 0, 30,
     RADIO_DEFAULT, NULL,
     "scenario tr36814: log-normal shadowing standard deviation, dB (TR 36.814)"},
    {"channel.shadowing_decorr_m", KEY_DOUBLE, OFF(sim.channel.shadowing_decorr_m), 0.1, 1e5,
     RADIO_DEFAULT, NULL,
     "scenario tr36814: shadowing decorrelation distance, m (Gudmundson 1991)"},
    {"channel.fading", KEY_ENUM, OFF(sim.channel.fading), 0, 0, RADIO_DEFAULT,
     "none|rayleigh|rician", "small-scale fading, averaged over each interval (ergodic rate)"},
    {"channel.rician_k_db", KEY_DOUBLE, OFF(sim.channel.rician_k_db), -30, 40, RADIO_DEFAULT, NULL,
     "Rician K factor, dB"},
    {"channel.fading_samples", KEY_INT, OFF(sim.channel.fading_samples), 1, 100000, RADIO_DEFAULT,
     NULL,
     "fading samples per update of the Monte Carlo reference path (tests); runs use the exact "
     "ergodic expectation from a precomputed table"},
    {"channel.interference", KEY_BOOL, OFF(sim.channel.interference), 0, 0, RADIO_DEFAULT, NULL,
     "neighbouring cells on the same carrier interfere (SINR); false: SNR only"},
    {"channel.max_interferers", KEY_INT, OFF(sim.max_interferers), 0, 100000, "18", NULL,
     "cells whose interference a UE hears: the nearest this many to its own (18 = two rings of "
     "a hexagonal layout; farther ones add a few percent); 0 = none"},
    {"channel.dl_load_factor", KEY_DOUBLE, OFF(sim.channel.dl_load_factor), 0, 1, RADIO_DEFAULT,
     NULL,
     "share of the time another cell's AP transmits on a UE's resource blocks (1 = 3GPP full "
     "buffer)"},
    {"channel.ul_load_factor", KEY_DOUBLE, OFF(sim.channel.ul_load_factor), 0, 1, RADIO_DEFAULT,
     NULL, "the same for another cell's UEs as seen at the serving AP"},
    {"channel.max_spectral_eff_bps_hz", KEY_DOUBLE, OFF(sim.channel.max_spectral_eff_bps_hz), 0.1,
     30, RADIO_DEFAULT, NULL, "spectral efficiency cap, b/s/Hz (256-QAM LTE/NR peak)"},
    {"channel.min_rate_bps", KEY_DOUBLE, OFF(sim.channel.min_rate_bps), 1, 1e12, RADIO_DEFAULT,
     NULL,
     "rate floor, b/s (SimGrid links need a positive bandwidth; models an outage-level rate)"},

    {"mobility.model", KEY_ENUM, OFF(sim.mobility.model), 0, 0, RADIO_DEFAULT,
     "static|random-waypoint|gauss-markov|trace", "UE mobility model"},
    {"mobility.cell_radius_m", KEY_DOUBLE, OFF(sim.mobility.cell_radius_m), 1, 1e5, RADIO_DEFAULT,
     NULL, "cell radius, m: UEs stay within this distance of the AP"},
    {"mobility.min_distance_m", KEY_DOUBLE, OFF(sim.mobility.min_distance_m), 0, 1e5, RADIO_DEFAULT,
     NULL, "closest approach to the AP, m"},
    {"mobility.speed_min_mps", KEY_DOUBLE, OFF(sim.mobility.speed_min_mps), 0, 100, RADIO_DEFAULT,
     NULL, "random waypoint: slowest leg speed, m/s (pedestrian)"},
    {"mobility.speed_max_mps", KEY_DOUBLE, OFF(sim.mobility.speed_max_mps), 0, 100, RADIO_DEFAULT,
     NULL, "random waypoint: fastest leg speed, m/s"},
    {"mobility.vehicle_speed_min_mps", KEY_DOUBLE, OFF(sim.mobility.vehicle_speed_min_mps), 0, 100,
     RADIO_DEFAULT, NULL,
     "random waypoint: slowest leg speed of vehicles (device class car, vehicle, bus, truck), "
     "m/s (3GPP TR 38.901 urban vehicles)"},
    {"mobility.vehicle_speed_max_mps", KEY_DOUBLE, OFF(sim.mobility.vehicle_speed_max_mps), 0, 100,
     RADIO_DEFAULT, NULL, "random waypoint: fastest leg speed of vehicles, m/s"},
    {"mobility.pause_s", KEY_DOUBLE, OFF(sim.mobility.pause_s), 0, 1e6, RADIO_DEFAULT, NULL,
     "random waypoint: pause at each waypoint, s"},
    {"mobility.gm_alpha", KEY_DOUBLE, OFF(sim.mobility.gm_alpha), 0, 1, RADIO_DEFAULT, NULL,
     "Gauss-Markov memory (0 = random walk, 1 = straight line)"},
    {"mobility.gm_mean_speed_mps", KEY_DOUBLE, OFF(sim.mobility.gm_mean_speed_mps), 0, 100,
     RADIO_DEFAULT, NULL, "Gauss-Markov mean speed, m/s"},
    {"mobility.gm_speed_std_mps", KEY_DOUBLE, OFF(sim.mobility.gm_speed_std_mps), 0, 100,
     RADIO_DEFAULT, NULL, "Gauss-Markov speed standard deviation, m/s"},
    {"mobility.gm_direction_std_rad", KEY_DOUBLE, OFF(sim.mobility.gm_direction_std_rad), 0, 10,
     RADIO_DEFAULT, NULL, "Gauss-Markov direction standard deviation, rad"},
    {"mobility.trace", KEY_PATH, OFF(sim.mobility_trace), 0, 0, "", NULL,
     "mobility trace CSV (time_s,ue,x_m,y_m) when mobility.model is trace"},

    {"transfer.control_bytes", KEY_DOUBLE, OFF(sim.control_bytes), 1, 1e9, "1024", NULL,
     "size of a request message UE -> server, bytes"},

    {"reward.w_delay", KEY_DOUBLE, OFF(sim.w_delay), 0, 1e6, "1", NULL,
     "weight of normalised delay"},
    {"reward.w_ppl", KEY_DOUBLE, OFF(sim.w_ppl), 0, 1e6, "2", NULL,
     "weight of normalised perplexity (2: one perplexity point of OPT-2.7B, 9% of its anchor, "
     "weighs as much as 18 s of delay)"},
    {"reward.w_privacy", KEY_DOUBLE, OFF(sim.w_privacy), 0, 1e6, "1", NULL,
     "weight of the privacy cost of offloading: w_privacy * sensitivity * data bytes / "
     "reward.bytes_ref (a modelling choice, docs/simulation.md)"},
    {"reward.bytes_ref", KEY_DOUBLE, OFF(sim.bytes_ref), 1, 1e15, "8e5", NULL,
     "data-exposure normalisation, bytes (the largest default data set: 2e5 tokens x 4 B)"},
    {"reward.credit", KEY_ENUM, OFF(sim.credit), 0, 0, "individual", "individual|cooperative|team",
     "what a learner is told for its task: team = the sum of the rewards of every task of any UE "
     "that completed since this UE's previous feedback, its last task's feedback held to the "
     "episode's end (cooperative MAPPO: each UE's returns add up to the team's); individual = its "
     "own reward (the default: it learns best, docs/hmppo.md section 7); cooperative = the mean "
     "reward of the tasks that completed while it ran (version 2); the episodic reward is the "
     "same"},
    {"reward.delay_ref_s", KEY_DOUBLE, OFF(sim.delay_ref_s), 1e-6, 1e12, "100", NULL,
     "delay normalisation, s"},
    {"reward.ppl_ref", KEY_DOUBLE, OFF(sim.ppl_ref), 0, 1e6, "0", NULL,
     "perplexity normalisation; 0 = the model's anchor PPL_plug(M) (docs/models.md)"},
    {"reward.fail_penalty", KEY_DOUBLE, OFF(sim.fail_penalty), 0, 1e6, "5", NULL,
     "extra cost of a failed task (memory or deadline), on top of what its worst option within "
     "the deadline would have cost (docs/simulation.md, \"Deadlines\")"},

    {"baselines.keep", KEY_DOUBLE, OFF(sim.default_keep), 0.01, 1, "0.4", NULL,
     "keep fraction used by all-local, all-server and greedy (0.4 = Offsite-Tuning's 2-8-2 for "
     "OPT-1.3B)"},

    {"baselines.static_rule", KEY_STRING, OFF(static_rule), 0, 0, "k=0.5", NULL,
     "tuned-static: \"local=CLASS[,CLASS...];k=K\": these device classes tune LOCAL with keep K, "
     "the others offload; edgetune compare tunes it on validation episodes"},
    {"baselines.dynamic_rule", KEY_STRING, OFF(dynamic_rule), 0, 0, "k=0.5", NULL,
     "tuned-dynamic: \"CLASS:q=Q,k=K[;CLASS:...]\": a UE of CLASS offloads while the server's "
     "reported load (jobs running and waiting) is below Q, else tunes LOCAL with keep K; "
     "classes not listed offload; edgetune compare and regime tune it on validation episodes"},

    {"output.channel_trace", KEY_BOOL, OFF(write_channel_trace), 0, 0, "true", NULL,
     "write channel.csv (one row per traced UE per traced update)"},
    {"output.decisions", KEY_BOOL, OFF(write_decisions), 0, 0, "false", NULL,
     "write decisions.csv when run or eval uses a learned policy (--checkpoint): each decision's "
     "episode, observation, action, location probability, log-probabilities and critic value"},
    {"output.activity_log", KEY_BOOL, OFF(write_activity_log), 0, 0, "false", NULL,
     "write activities.csv: every engine activity edgetune starts (comms, executions, link "
     "rate changes), for replay by bench/bare_twin"},
    {"output.channel_every", KEY_INT, OFF(sim.channel_trace_every), 1, 1000000, "1", NULL,
     "channel.csv samples every this many channel updates"},
    {"output.channel_ues", KEY_INT, OFF(sim.channel_trace_ues), 0, 1000000, "0", NULL,
     "channel.csv traces this many UEs, evenly spaced by index; 0 = every UE"},
    {"output.channel_sampling", KEY_ENUM, OFF(sim.channel_sampling), 0, 0, "auto", "auto|all",
     "auto: a run of more than 64 UEs that leaves output.channel_ues and output.channel_every at "
     "0 and 1 traces 64 UEs evenly spaced by index, every k-th update, k the smallest that keeps "
     "the likely estimate under 1e6 channel.csv rows (86 MB; 64 UEs is ten times the default "
     "cell, 1e6 rows a tenth of limits.output_bytes), said on stderr and in summary.json; all: "
     "what output.channel_ues and output.channel_every say, at any size"},

    {"limits.sim_time_s", KEY_DOUBLE, OFF(sim.limit_sim_time_s), 0, 1e15, "1e7", NULL,
     "simulated seconds one episode may last; reaching it stops the run (exit status 3, no "
     "outputs), and a scenario expected to last longer is refused before it starts. 1e7 s "
     "(116 days) is 2,000 times the default episode (5e3 s) and bounds the channel actor to "
     "1e7 updates; 0 = no limit"},
    {"limits.output_bytes", KEY_DOUBLE, OFF(sim.limit_output_bytes), 0, 1e18, "1e9", NULL,
     "bytes one run may write to its output files (tasks.csv, channel.csv, ...); reaching it "
     "stops the run (exit status 3, no outputs), and a scenario expected to write more is "
     "refused before it starts. 1 GB is 300 times the default run (3 MB) and fits any "
     "workstation's free disk; 0 = no limit"},

/* Learner: one row per hyperparameter in learn.h. */
#define LEARN_KEY(name, type, c_type, lo, hi, def, choices, help)                                  \
    {"hmppo." #name, KEY_##type, OFF(learn.name), lo, hi, def, choices, help},
    ET_LEARN_KEYS(LEARN_KEY)
#undef LEARN_KEY

        {"train.episodes", KEY_INT, OFF(train_episodes), 1, 10000000, "3000", NULL,
         "training episodes (edgetune train --episodes overrides)"},
    {"train.episodes_per_update", KEY_INT, OFF(episodes_per_update), 1, 10000, "1", NULL,
     "episodes collected between PPO updates"},
    {"train.checkpoint_every", KEY_INT, OFF(checkpoint_every), 1, 10000000, "100", NULL,
     "write a checkpoint every this many episodes (and at the end)"},
    {"train.eval_episodes", KEY_INT, OFF(eval_episodes), 1, 100000, "20", NULL,
     "evaluation episodes for eval and compare"},
    {"train.validation_offset", KEY_INT, OFF(validation_offset), 0, 2000000000, "500000000", NULL,
     "validation episodes (regime, tuning the baselines) use indices from here: neither "
     "training nor evaluation episodes"},
    {"train.eval_offset", KEY_INT, OFF(eval_offset), 0, 2000000000, "1000000000", NULL,
     "evaluation episodes use episode indices from here, so their seeds are never used in "
     "training"},
};
#define N_KEYS (sizeof KEYS / sizeof KEYS[0])

static const key_def *key_find(const char *name)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (strcmp(KEYS[i].name, name) == 0) return &KEYS[i];
    return NULL;
}

const char *et_scenario_key_at(size_t offset)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (KEYS[i].offset == offset) return KEYS[i].name;
    return NULL;
}

/* Joins dir and a relative path; absolute paths and "" are kept as they are.
 * Returns the length of the result, which fits only when < ET_PATH_MAX. */
static size_t resolve_path(char *out, const char *dir, const char *path)
{
    int n;
    if (path[0] == '/' || path[0] == '\0' || !dir || !dir[0])
        n = snprintf(out, ET_PATH_MAX, "%s", path);
    else
        n = snprintf(out, ET_PATH_MAX, "%s/%s", dir, path);
    return n < 0 ? ET_PATH_MAX : (size_t)n;
}

static const char *type_word(const key_def *k)
{
    switch (k->type) {
    case KEY_INT:
        return "an integer";
    case KEY_SEED:
        return "a non-negative integer";
    case KEY_DOUBLE:
    case KEY_FLOAT:
        return "a number";
    case KEY_BOOL:
        return "true or false";
    case KEY_STRING:
        return "a string";
    case KEY_PATH:
        return "a file path";
    case KEY_ENUM:
        return "one of";
    }
    return "?";
}

/* Describes what a JSON value is, for "got ..." in messages. */
static void describe_json(const cJSON *v, char *out, size_t out_size)
{
    if (cJSON_IsNumber(v))
        snprintf(out, out_size, "%.17g", v->valuedouble);
    else if (cJSON_IsString(v))
        snprintf(out, out_size, "\"%.200s\"", v->valuestring);
    else if (cJSON_IsBool(v))
        snprintf(out, out_size, "%s", cJSON_IsTrue(v) ? "true" : "false");
    else if (cJSON_IsNull(v))
        snprintf(out, out_size, "null");
    else if (cJSON_IsArray(v))
        snprintf(out, out_size, "an array");
    else if (cJSON_IsObject(v))
        snprintf(out, out_size, "an object");
    else
        snprintf(out, out_size, "an invalid value");
}

static et_status range_error(const char *file, const key_def *k, const char *got, et_error *err)
{
    if (k->type == KEY_ENUM)
        return et_error_set(err, ET_ERR_INPUT, "%s: key '%s': expected one of %s, got %s", file,
                            k->name, k->choices, got);
    if (k->type == KEY_INT || k->type == KEY_SEED || k->type == KEY_DOUBLE || k->type == KEY_FLOAT)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key '%s': expected %s in [%.17g, %.17g], got %s", file, k->name,
                            type_word(k), k->min, k->max, got);
    return et_error_set(err, ET_ERR_INPUT, "%s: key '%s': expected %s, got %s", file, k->name,
                        type_word(k), got);
}

/* Stores a JSON value into the scenario field of k after checking it. */
static et_status key_set(et_scenario *sc, const key_def *k, const cJSON *v, const char *file,
                         const char *dir, et_error *err)
{
    char got[256];
    describe_json(v, got, sizeof got);
    char *field = (char *)sc + k->offset;
    switch (k->type) {
    case KEY_INT:
    case KEY_SEED:
    case KEY_FLOAT:
    case KEY_DOUBLE: {
        if (!cJSON_IsNumber(v)) return range_error(file, k, got, err);
        double x = v->valuedouble;
        if (!isfinite(x) || x < k->min || x > k->max) return range_error(file, k, got, err);
        if ((k->type == KEY_INT || k->type == KEY_SEED) && x != floor(x))
            return range_error(file, k, got, err);
        if (k->type == KEY_INT)
            *(int *)field = (int)x;
        else if (k->type == KEY_SEED)
            *(uint64_t *)field = (uint64_t)x;
        else if (k->type == KEY_FLOAT)
            *(float *)field = (float)x;
        else
            *(double *)field = x;
        return ET_OK;
    }
    case KEY_BOOL:
        if (!cJSON_IsBool(v)) return range_error(file, k, got, err);
        *(int *)field = cJSON_IsTrue(v) ? 1 : 0;
        return ET_OK;
    case KEY_STRING:
        if (!cJSON_IsString(v) || strlen(v->valuestring) >= ET_SCENARIO_STRING_MAX ||
            !v->valuestring[0])
            return range_error(file, k, got, err);
        snprintf(field, ET_SCENARIO_STRING_MAX, "%s", v->valuestring);
        return ET_OK;
    case KEY_PATH: {
        if (!cJSON_IsString(v)) return range_error(file, k, got, err);
        char resolved[ET_PATH_MAX];
        size_t len = resolve_path(resolved, dir, v->valuestring);
        if (len >= ET_PATH_MAX)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key '%s': expected a path of at most %d characters, got one "
                                "of %zu (resolved against the scenario's directory)",
                                file, k->name, ET_PATH_MAX - 1, len);
        memcpy(field, resolved, len + 1);
        return ET_OK;
    }
    case KEY_ENUM: {
        int idx = cJSON_IsString(v) ? et_choice_index(k->choices, v->valuestring) : -1;
        if (idx < 0) return range_error(file, k, got, err);
        *(int *)field = idx;
        return ET_OK;
    }
    }
    return et_error_set(err, ET_ERR_INTERNAL, "%s: key '%s': unhandled type", file, k->name);
}

et_status et_scenario_set(et_scenario *sc, const char *key, const char *text, const char *source,
                          et_error *err)
{
    const key_def *k = key ? key_find(key) : NULL;
    if (!k)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: unknown key '%s' (edgetune keys lists every key)", source,
                            key ? key : "(null)");
    if (!text) return et_error_set(err, ET_ERR_INPUT, "%s: key '%s': no value", source, k->name);
    char got[300], shown[256];
    et_escape(shown, sizeof shown, text);
    snprintf(got, sizeof got, "'%s'", shown);
    cJSON *v = NULL;
    double x = 0;
    switch (k->type) {
    case KEY_INT:
    case KEY_SEED:
    case KEY_DOUBLE:
    case KEY_FLOAT:
        /* Plain decimals only (numtext.h); an integer key takes digits, not 1e3 or 2.0. */
        if (et_numtext_double(text, &x) != 0 ||
            ((k->type == KEY_INT || k->type == KEY_SEED) && strpbrk(text, ".eE")))
            return range_error(source, k, got, err);
        v = cJSON_CreateNumber(x);
        break;
    case KEY_BOOL:
        if (strcmp(text, "true") && strcmp(text, "false")) return range_error(source, k, got, err);
        v = cJSON_CreateBool(!strcmp(text, "true"));
        break;
    case KEY_STRING:
    case KEY_PATH:
    case KEY_ENUM:
        v = cJSON_CreateString(text);
        break;
    }
    if (!v) return et_error_set(err, ET_ERR_NOMEM, "out of memory");
    /* The message names the source the way range_error names a file: "SOURCE: key 'K': ...". */
    et_status st = key_set(sc, k, v, source, NULL, err);
    if (st == ET_ERR_INPUT && (k->type != KEY_PATH && k->type != KEY_STRING))
        range_error(source, k, got, err);
    cJSON_Delete(v);
    return st;
}

void et_scenario_defaults(et_scenario *sc, const char *source_dir)
{
    memset(sc, 0, sizeof *sc);
    snprintf(sc->sim.source, sizeof sc->sim.source, "(defaults)");
    et_channel_params_default(&sc->sim.channel);
    et_mobility_params_default(&sc->sim.mobility);
    for (size_t i = 0; i < N_KEYS; i++) {
        const key_def *k = &KEYS[i];
        if (k->def == RADIO_DEFAULT) continue; /* set above */
        /* Defaults are JSON literals; strings need quotes to parse as JSON. */
        char text[512];
        if (k->type == KEY_STRING || k->type == KEY_PATH || k->type == KEY_ENUM)
            snprintf(text, sizeof text, "\"%s\"", k->def);
        else
            snprintf(text, sizeof text, "%s", k->def);
        cJSON *v = cJSON_Parse(text);
        /* The table is ours: a default that does not parse is a bug caught by test_scenario. */
        const char *dir = (k->type == KEY_PATH && strcmp(k->name, "out") != 0) ? source_dir : NULL;
        if (v) key_set(sc, k, v, "(defaults)", dir, NULL);
        cJSON_Delete(v);
    }
}

/* Walks a JSON object, descending into sections; every leaf must be a key. */
static et_status walk(et_scenario *sc, const cJSON *obj, const char *prefix, const char *file,
                      const char *dir, unsigned char *seen, et_error *err)
{
    for (const cJSON *item = obj->child; item; item = item->next) {
        char name[256];
        int n = prefix[0] ? snprintf(name, sizeof name, "%s.%s", prefix, item->string)
                          : snprintf(name, sizeof name, "%s", item->string);
        if (n < 0 || (size_t)n >= sizeof name)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: unknown key '%.200s...' (edgetune keys lists every key)", file,
                                name);
        for (const cJSON *later = item->next; later; later = later->next)
            if (strcmp(later->string, item->string) == 0)
                return et_error_set(err, ET_ERR_INPUT, "%s: key '%s' appears twice", file, name);
        const key_def *k = key_find(name);
        if (!k && cJSON_IsObject(item)) {
            /* A section: accept only if some key starts with "name." */
            size_t n = strlen(name);
            int known = 0;
            for (size_t i = 0; i < N_KEYS && !known; i++)
                known = strncmp(KEYS[i].name, name, n) == 0 && KEYS[i].name[n] == '.';
            if (!known)
                return et_error_set(err, ET_ERR_INPUT,
                                    "%s: unknown section '%s' (edgetune keys lists every key)",
                                    file, name);
            et_status st = walk(sc, item, name, file, dir, seen, err);
            if (st != ET_OK) return st;
            continue;
        }
        if (!k)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: unknown key '%s' (edgetune keys lists every key)", file, name);
        /* "a.b": 1 and "a": {"b": 2} name one key. */
        if (seen[k - KEYS])
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key '%s' is given twice (its dotted and nested forms name "
                                "the same key)",
                                file, k->name);
        seen[k - KEYS] = 1;
        /* "out" is relative to the scenario too when it comes from the file. */
        et_status st = key_set(sc, k, item, file, dir, err);
        if (st != ET_OK) return st;
    }
    return ET_OK;
}

et_status et_scenario_load(const char *path, const char *source_dir, et_scenario *sc, et_error *err)
{
    et_scenario_defaults(sc, source_dir);
    if (strlen(path) >= sizeof sc->sim.source)
        return et_error_set(err, ET_ERR_INPUT,
                            "%.200s...: scenario path of %zu characters (expected at most %d)",
                            path, strlen(path), ET_PATH_MAX - 1);
    snprintf(sc->sim.source, sizeof sc->sim.source, "%s", path);
    /* A comma-decimal locale of the calling program changes nothing (numtext.h). */
    void *saved = et_numtext_enter();
    cJSON *root = NULL;
    et_status st = et_jsontext_load(path, "the scenario", "a JSON object of scenario keys",
                                    ET_MAX_JSON_BYTES, &root, err);
    if (st != ET_OK) {
        et_numtext_leave(saved);
        return st;
    }
    if (!cJSON_IsObject(root)) {
        st = et_error_set(err, ET_ERR_INPUT, "%s: expected a JSON object of scenario keys", path);
    } else {
        /* Relative paths in the file are relative to the file's directory. */
        char dir[ET_PATH_MAX];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(dir, sizeof dir, ".");
        unsigned char seen[N_KEYS] = {0};
        st = walk(sc, root, "", path, dir, seen, err);
    }
    cJSON_Delete(root);
    if (st == ET_OK) st = et_scenario_validate(sc, err);
    et_numtext_leave(saved);
    return st;
}

et_status et_scenario_validate(const et_scenario *sc, et_error *err)
{
    const char *f = sc->sim.source;
    const struct {
        const char *key, *value;
    } paths[] = {{"platform", sc->sim.platform}, {"model", sc->sim.model}, {"out", sc->out_dir}};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (!paths[i].value[0])
            return et_error_set(err, ET_ERR_INPUT, "%s: key '%s': expected a file path, got \"\"",
                                f, paths[i].key);
    if (sc->sim.tokens_min > sc->sim.tokens_max)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'tasks.tokens_min': expected <= tasks.tokens_max (%.17g), got "
                            "%.17g",
                            f, sc->sim.tokens_max, sc->sim.tokens_min);
    if (sc->sim.epochs_min > sc->sim.epochs_max)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'tasks.epochs_min': expected <= tasks.epochs_max (%d), got %d",
                            f, sc->sim.epochs_max, sc->sim.epochs_min);
    /* Bursts: both means 0, or both at least 0.01 s. */
    const struct {
        const char *key, *other;
        double value, other_value;
    } bursts[] = {
        {"tasks.burst_on_s", "tasks.burst_off_s", sc->sim.burst_on_s, sc->sim.burst_off_s},
        {"tasks.burst_off_s", "tasks.burst_on_s", sc->sim.burst_off_s, sc->sim.burst_on_s}};
    for (size_t i = 0; i < sizeof bursts / sizeof bursts[0]; i++) {
        if (bursts[i].value == 0 && bursts[i].other_value > 0)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key '%s': expected a mean period in [0.01, 1e9] s when %s "
                                "is set (%.17g), got 0 (both 0 = no bursts)",
                                f, bursts[i].key, bursts[i].other, bursts[i].other_value);
        if (bursts[i].value > 0 && bursts[i].value < 0.01)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key '%s': expected 0 (no bursts) or a mean period in "
                                "[0.01, 1e9] s, got %.17g",
                                f, bursts[i].key, bursts[i].value);
    }
    if (sc->sim.k_min > sc->sim.k_max)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'tuning.k_min': expected <= tuning.k_max (%.17g), got %.17g",
                            f, sc->sim.k_max, sc->sim.k_min);
    if (sc->sim.mobility.speed_min_mps > sc->sim.mobility.speed_max_mps)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'mobility.speed_min_mps': expected <= mobility.speed_max_mps "
                            "(%.17g), got %.17g",
                            f, sc->sim.mobility.speed_max_mps, sc->sim.mobility.speed_min_mps);
    if (sc->sim.mobility.vehicle_speed_min_mps > sc->sim.mobility.vehicle_speed_max_mps)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'mobility.vehicle_speed_min_mps': expected <= "
                            "mobility.vehicle_speed_max_mps (%.17g), got %.17g",
                            f, sc->sim.mobility.vehicle_speed_max_mps,
                            sc->sim.mobility.vehicle_speed_min_mps);
    if (sc->sim.mobility.min_distance_m >= sc->sim.mobility.cell_radius_m)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'mobility.min_distance_m': expected < mobility.cell_radius_m "
                            "(%.17g), got %.17g",
                            f, sc->sim.mobility.cell_radius_m, sc->sim.mobility.min_distance_m);
    /* Heights between 0 (the scenario's) and 1 m have no meaning in TR 38.901. */
    if (sc->sim.channel.propagation.h_bs_m > 0 && sc->sim.channel.propagation.h_bs_m < 1)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'channel.h_bs_m': expected 0 (the scenario's height) or a "
                            "number in [1, 150], got %.17g",
                            f, sc->sim.channel.propagation.h_bs_m);
    if (sc->sim.channel.propagation.h_ut_m > 0 && sc->sim.channel.propagation.h_ut_m < 1)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'channel.h_ut_m': expected 0 (the scenario's height) or a "
                            "number in [1, 22.5], got %.17g",
                            f, sc->sim.channel.propagation.h_ut_m);
    double dl_share, ul_share;
    et_error tdd_err;
    if (et_channel_tdd_shares(sc->sim.tdd_pattern, sc->sim.tdd_special_slot, &dl_share, &ul_share,
                              &tdd_err) != ET_OK)
        return et_error_set(err, ET_ERR_INPUT, "%s: %s", f, tdd_err.msg);
    if (sc->sim.mobility.model == ET_MOBILITY_TRACE && !sc->sim.mobility_trace[0])
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'mobility.trace': expected a trace file when mobility.model "
                            "is trace",
                            f);
    return ET_OK;
}

/* A number as the shortest decimal that reads back to it, whole numbers below 1e5 in full
 * ("250", "-174", "0.85", "3.5e9", "1e5"). */
static void number_text(double x, int is_float, char *out, size_t n)
{
    char buf[48];
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, x);
        double back = strtod(buf, NULL);
        if (is_float ? (float)back == (float)x : back == x) break;
    }
    if (strchr(buf, 'e') && x == floor(x) && fabs(x) < 1e5) snprintf(buf, sizeof buf, "%.0f", x);
    /* 3.5e+09 -> 3.5e9, 1e-05 -> 1e-5 */
    char *e = strchr(buf, 'e');
    if (e) {
        char *d = e + 1, *from = e + 1;
        if (*from == '+') from++;
        if (*from == '-') *d++ = *from++;
        while (*from == '0' && from[1])
            from++;
        memmove(d, from, strlen(from) + 1);
    }
    snprintf(out, n, "%s", buf);
}

/* The value of k's field in sc, as a default is written in the table. */
static void field_text(const key_def *k, const et_scenario *sc, char *out, size_t n)
{
    const char *field = (const char *)sc + k->offset;
    switch (k->type) {
    case KEY_INT:
        snprintf(out, n, "%d", *(const int *)field);
        return;
    case KEY_SEED:
        snprintf(out, n, "%llu", (unsigned long long)*(const uint64_t *)field);
        return;
    case KEY_DOUBLE:
        number_text(*(const double *)field, 0, out, n);
        return;
    case KEY_FLOAT:
        number_text(*(const float *)field, 1, out, n);
        return;
    case KEY_BOOL:
        snprintf(out, n, "%s", *(const int *)field ? "true" : "false");
        return;
    case KEY_STRING:
    case KEY_PATH:
        snprintf(out, n, "%s", field);
        return;
    case KEY_ENUM:
        et_choice_name(k->choices, *(const int *)field, out, n);
        return;
    }
}

/* k's default as `edgetune keys` shows it; defaults is a scenario at its defaults, for the
 * rows whose default is the radio layer's. */
static void default_text(const key_def *k, const et_scenario *defaults, char *out, size_t n)
{
    char value[256] = "?";
    if (k->def == RADIO_DEFAULT && defaults)
        field_text(k, defaults, value, sizeof value);
    else if (k->def == RADIO_DEFAULT)
        snprintf(value, sizeof value, "(out of memory)");
    else
        snprintf(value, sizeof value, "%s", k->def);
    if (k->type == KEY_STRING || k->type == KEY_PATH || k->type == KEY_ENUM)
        snprintf(out, n, "\"%s\"", value);
    else
        snprintf(out, n, "%s", value);
}

static void range_text(const key_def *k, char *out, size_t n)
{
    if (k->type == KEY_ENUM)
        snprintf(out, n, "%s", k->choices);
    else if (k->type == KEY_INT || k->type == KEY_SEED || k->type == KEY_DOUBLE ||
             k->type == KEY_FLOAT)
        snprintf(out, n, "[%g, %g]", k->min, k->max);
    else if (k->type == KEY_BOOL)
        snprintf(out, n, "true|false");
    else
        snprintf(out, n, "%s", k->type == KEY_PATH ? "path" : "string");
}

void et_scenario_print_keys(FILE *out, int markdown)
{
    et_scenario *defaults = malloc(sizeof *defaults); /* large: not on the stack */
    if (defaults) et_scenario_defaults(defaults, NULL);
    if (markdown) {
        fprintf(out, "| key | type | default | range | meaning |\n|---|---|---|---|---|\n");
    }
    for (size_t i = 0; i < N_KEYS; i++) {
        const key_def *k = &KEYS[i];
        char def[300], range[256];
        default_text(k, defaults, def, sizeof def);
        range_text(k, range, sizeof range);
        const char *type = k->type == KEY_ENUM ? "enum" : type_word(k);
        if (!strncmp(type, "an ", 3))
            type += 3;
        else if (!strncmp(type, "a ", 2))
            type += 2;
        if (markdown) {
            /* '|' inside a table cell must be escaped. */
            char esc[512];
            size_t j = 0;
            for (const char *p = range; *p && j < sizeof esc - 3; p++) {
                if (*p == '|') esc[j++] = '\\';
                esc[j++] = *p;
            }
            esc[j] = '\0';
            fprintf(out, "| `%s` | %s | `%s` | %s | %s |\n", k->name, type, def, esc, k->help);
        } else {
            fprintf(out, "  %-34s %-10s default %-26s range %s\n      %s\n", k->name, type, def,
                    range, k->help);
        }
    }
    free(defaults);
}

cJSON *et_scenario_to_cjson(const et_scenario *sc)
{
    cJSON *root = cJSON_CreateObject();
    if (!root) return NULL;
    for (size_t i = 0; i < N_KEYS; i++) {
        const key_def *k = &KEYS[i];
        const char *field = (const char *)sc + k->offset;
        cJSON *v = NULL;
        char name[64];
        switch (k->type) {
        case KEY_INT:
            v = cJSON_CreateNumber(*(const int *)field);
            break;
        case KEY_SEED: {
            /* Exact digits: cJSON prints 2^53 - 1 as 9.00719925474099e+15. */
            char num[32];
            snprintf(num, sizeof num, "%llu", (unsigned long long)*(const uint64_t *)field);
            v = cJSON_CreateRaw(num);
            break;
        }
        case KEY_DOUBLE:
            v = cJSON_CreateNumber(*(const double *)field);
            break;
        case KEY_FLOAT: {
            /* The short decimal the float was written as (5e-4, not 0.000500000024). */
            char num[32];
            snprintf(num, sizeof num, "%.7g", (double)*(const float *)field);
            v = cJSON_CreateNumber(strtod(num, NULL));
            break;
        }
        case KEY_BOOL:
            v = cJSON_CreateBool(*(const int *)field);
            break;
        case KEY_STRING:
        case KEY_PATH:
            v = cJSON_CreateString(field);
            break;
        case KEY_ENUM:
            et_choice_name(k->choices, *(const int *)field, name, sizeof name);
            v = cJSON_CreateString(name);
            break;
        }
        if (v) cJSON_AddItemToObject(root, k->name, v);
    }
    return root;
}

char *et_scenario_to_json(const et_scenario *sc)
{
    cJSON *root = et_scenario_to_cjson(sc);
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    return text;
}
