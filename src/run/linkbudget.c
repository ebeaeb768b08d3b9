/* linkbudget.c: `edgetune linkbudget`, the link budget of one UE, computed by the channel's own
 * functions: et_channel_link for path loss, condition, SNR and SINR (with the same nearest-
 * interferer list the simulator builds), et_channel_share_rate_bps for the rate a transfer
 * gets. Defaults are the scenario keys' (et_scenario_defaults, or a scenario file's), so the
 * calculator and a run agree on every number not given as an option. */
#define _DEFAULT_SOURCE
#include "linkbudget.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "choices.h"
#include "platform.h"
#include "scenario.h"

#define MAX_CELLS_LB 1000

et_status et_linkbudget_compute(const et_linkbudget_input *in, et_linkbudget_result *out,
                                et_error *err)
{
    memset(out, 0, sizeof *out);
    et_channel_params p = in->channel;
    /* The median link of an outdoor UE: no shadowing draw, no O2I. */
    p.shadowing = 0;
    p.indoor_fraction = 0.0;
    if (p.los == ET_LOS_STOCHASTIC) p.los = ET_LOS_MEAN;
    if (!(in->distance_m > 0.0))
        return et_error_set(err, ET_ERR_INPUT, "linkbudget: distance: expected > 0 m, got %g",
                            in->distance_m);
    if (in->n_cells < 1 || in->n_cells > MAX_CELLS_LB || !(in->isd_m > 0.0))
        return et_error_set(err, ET_ERR_INPUT,
                            "linkbudget: cells: expected 1 to %d on an ISD > 0, got %d, %g m",
                            MAX_CELLS_LB, in->n_cells, in->isd_m);
    et_channel_table *table = NULL;
    et_status st = et_channel_table_create(&p, &table, err);
    if (st != ET_OK) return st;

    int tdd = in->duplex == ET_DUPLEX_TDD;
    et_ue_radio radio = {
        .tx_power_dbm = in->ue_tx_power_dbm,
        .bandwidth_up_hz = tdd ? in->carrier_hz : in->carrier_up_hz,
        .bandwidth_down_hz = tdd ? in->carrier_hz : in->carrier_down_hz,
        .duty_up = tdd ? in->tdd_uplink_share : 1.0,
        .duty_down = tdd ? in->tdd_downlink_share : 1.0,
    };
    /* The cells of a hexagonal layout (platform_gen.c's), the serving one at the origin; the
     * UE on the x axis, towards the first neighbour (the ring starts at angle 0). */
    et_channel_ap aps[MAX_CELLS_LB];
    int interferers[MAX_CELLS_LB];
    for (int c = 0; c < in->n_cells; c++) {
        double x_m, y_m;
        et_platform_site_position(ET_LAYOUT_HEX, in->n_cells, in->isd_m, c, &x_m, &y_m);
        aps[c] = (et_channel_ap){.x_m = x_m, .y_m = y_m};
    }
    int k = in->max_interferers > 0 ? in->max_interferers : 0;
    if (k > MAX_CELLS_LB) k = MAX_CELLS_LB;
    int n_interferers = et_channel_nearest_interferers(aps, in->n_cells, 0, k, interferers);
    et_channel_state ch;
    et_channel_init(&ch, 0, 1);
    et_channel_move(&ch, &p, in->distance_m, 0.0);
    et_channel_link(&ch, &p, table, &radio, in->distance_m, 0.0, aps, in->n_cells, 0, interferers,
                    n_interferers);

    const et_propagation *cell = &p.propagation;
    int legacy = cell->scenario == ET_PROPAGATION_TR36814;
    out->d_3d_m = legacy ? in->distance_m : et_propagation_d3d_m(cell, in->distance_m);
    out->breakpoint_m = et_propagation_breakpoint_m(cell);
    out->path_loss_db = ch.pathloss_db;
    out->path_loss_los_db = et_channel_cell_pathloss_db(&p, cell, 1, in->distance_m);
    out->path_loss_nlos_db = et_channel_cell_pathloss_db(&p, cell, 0, in->distance_m);
    out->los_probability = ch.los_probability;
    int los = p.los == ET_LOS_ALWAYS;
    if (legacy) {
        out->shadowing_std_db = p.shadowing_std_db;
        out->shadowing_decorr_m = p.shadowing_decorr_m;
    } else if (p.los == ET_LOS_MEAN) {
        out->shadowing_std_db = out->shadowing_decorr_m = NAN;
    } else {
        out->shadowing_std_db = et_propagation_shadowing_std_db(cell, los, in->distance_m);
        out->shadowing_decorr_m = et_propagation_shadowing_decorr_m(cell, los);
    }
    double loss_db = ch.pathloss_db + ch.shadowing_db + ch.o2i_loss_db;
    double tx[2] = {radio.tx_power_dbm, p.ap_tx_power_dbm};
    double snr[2] = {ch.snr_up_db, ch.snr_down_db};
    double sinr[2] = {ch.sinr_up_db, ch.sinr_down_db};
    double bw[2] = {radio.bandwidth_up_hz, radio.bandwidth_down_hz};
    double duty[2] = {radio.duty_up, radio.duty_down};
    int n = in->sharing_ues > 1 ? in->sharing_ues : 1;
    for (int d = 0; d < 2; d++) {
        out->tx_power_dbm[d] = tx[d];
        out->bandwidth_hz[d] = bw[d];
        out->time_share[d] = duty[d];
        out->noise_dbm[d] = tx[d] - loss_db - snr[d];
        out->snr_db[d] = snr[d];
        out->sinr_db[d] = sinr[d];
        /* The uplink of one UE among n puts its power into its 1/n share. */
        double sinr_share = d == 0 ? sinr[d] + 10.0 * log10((double)n) : sinr[d];
        out->se_bps_hz[d] = et_channel_table_se_bps_hz(table, sinr_share);
        out->rate_bps[d] = et_channel_share_rate_bps(&p, table, bw[d], duty[d], sinr[d], n, d == 0);
    }
    et_channel_table_destroy(table);
    return ET_OK;
}

static const char USAGE[] =
    "usage: edgetune linkbudget [SCENARIO] --distance M [--los | --nlos | --mean] [options]\n"
    "\n"
    "The link budget of one UE --distance metres from its AP, computed by the functions\n"
    "the simulator's channel uses: path loss (3GPP TR 38.901 Table 7.4.1-1, or TR 36.814),\n"
    "LOS probability at that distance, shadowing sigma, SNR and SINR up and down, the\n"
    "ergodic spectral efficiency and the rate a transfer gets on the carrier. Defaults are\n"
    "the scenario keys' (edgetune keys), or SCENARIO's; the median path loss is used (no\n"
    "shadowing draw), for an outdoor UE.\n"
    "\n"
    "options:\n"
    "  --distance M         2D distance UE-AP, m, in [1, 100000] (required)\n"
    "  --los | --nlos       the condition; --mean (default): the path gain averaged over\n"
    "                       the LOS state, weighted by the LOS probability\n"
    "  --scenario S         uma, umi, rma, inh or tr36814 (channel.scenario)\n"
    "  --frequency HZ       carrier frequency in [5e8, 1e11] (channel.frequency_hz)\n"
    "  --h-bs M, --h-ut M   antenna heights, m, in [1, 150] and [1, 22.5] (default: the\n"
    "                       scenario's TR 38.901 Table 7.2-1 heights)\n"
    "  --duplex D           tdd or fdd (channel.duplex)\n"
    "  --carrier HZ         TDD bandwidth in [1e5, 1e10] (channel.carrier_hz)\n"
    "  --tdd-pattern P      TDD slots, such as DDDSU (channel.tdd_pattern)\n"
    "  --tdd-special-slot S the special slot's d:g:u OFDM symbols (channel.tdd_special_slot)\n"
    "  --carrier-down HZ, --carrier-up HZ  FDD bandwidths in [1e5, 1e10]\n"
    "  --tx-power DBM       UE transmit power in [-30, 40] (channel.ue_tx_power_dbm)\n"
    "  --ap-tx-power DBM    AP transmit power in [-30, 60] (channel.ap_tx_power_dbm)\n"
    "  --ue-noise-figure DB, --ap-noise-figure DB  receiver noise figures in [0, 30]\n"
    "  --fading F           none, rayleigh or rician (channel.fading)\n"
    "  --rician-k DB        Rician K factor in [-30, 40]\n"
    "  --max-se B           spectral efficiency cap, b/s/Hz, in [0.1, 30]\n"
    "  --pathloss-a DB, --pathloss-b DB  tr36814's law, in [0, 300] and [0, 100]\n"
    "  --cells K            interference from a hexagonal layout of K cells in [1, 1000],\n"
    "                       the UE towards the first neighbour (default 1: none, SINR = SNR)\n"
    "  --isd M              their inter-site distance in [20, 100000] (default: the\n"
    "                       scenario's TR 38.901 Table 7.2-1 ISD)\n"
    "  --dl-load F, --ul-load F  the neighbours' load factors in [0, 1]\n"
    "  --ues N              UEs sharing the carrier, in [1, 1000000] (default 1)\n"
    "  --json               print one JSON object instead of text\n"
    "  -h, --help           show this help\n"
    "\n"
    "Example: edgetune linkbudget --scenario uma --los --distance 100 --frequency 5e9\n"
    "         --h-bs 25 --h-ut 1.5\n"
    "The model and its sources: docs/channel.md.\n";

const char *et_linkbudget_usage(void)
{
    return USAGE;
}

/* One line on stderr for a bad option, as main.c words them; returns exit code 2. */
static int bad_option(const char *fmt, const char *arg)
{
    char shown[400];
    size_t n = et_escape(shown, sizeof shown, arg ? arg : "");
    fprintf(stderr, "edgetune linkbudget: ");
    fprintf(stderr, fmt, shown);
    fprintf(stderr, "%s (see edgetune linkbudget --help)\n", arg && strlen(arg) > n ? "..." : "");
    return 2;
}

/* A number option in [lo, hi]. */
typedef struct number_option {
    const char *name;
    double lo, hi;
    const char *unit; /* for the message: "metres", "Hz", ... */
    double *out;
} number_option;

static int parse_number(const char *text, double lo, double hi, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || !end || *end || end == text || !isfinite(v) || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

/* Prints a number for JSON: null when it is not finite. */
static void json_number(cJSON *o, const char *key, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static const char *condition_name(et_los_mode m)
{
    return m == ET_LOS_ALWAYS ? "los" : m == ET_LOS_NEVER ? "nlos" : "mean";
}

static void print_json(const et_linkbudget_input *in, const et_linkbudget_result *r,
                       const char *interference)
{
    const et_propagation *c = &in->channel.propagation;
    int legacy = c->scenario == ET_PROPAGATION_TR36814;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "scenario", et_propagation_scenario_name(c->scenario));
    cJSON_AddStringToObject(o, "condition", legacy ? "none" : condition_name(in->channel.los));
    cJSON_AddNumberToObject(o, "distance_m", in->distance_m);
    cJSON_AddNumberToObject(o, "d_3d_m", r->d_3d_m);
    json_number(o, "frequency_hz", legacy ? NAN : c->frequency_hz);
    json_number(o, "h_bs_m", legacy ? NAN : et_propagation_h_bs_m(c));
    json_number(o, "h_ut_m", legacy ? NAN : et_propagation_h_ut_m(c));
    json_number(o, "breakpoint_m", r->breakpoint_m);
    cJSON_AddNumberToObject(o, "path_loss_db", r->path_loss_db);
    cJSON_AddNumberToObject(o, "path_loss_los_db", r->path_loss_los_db);
    cJSON_AddNumberToObject(o, "path_loss_nlos_db", r->path_loss_nlos_db);
    json_number(o, "los_probability", r->los_probability);
    json_number(o, "shadowing_std_db", r->shadowing_std_db);
    json_number(o, "shadowing_decorr_m", r->shadowing_decorr_m);
    cJSON_AddStringToObject(o, "interference", interference);
    cJSON_AddStringToObject(o, "duplex", in->duplex == ET_DUPLEX_TDD ? "tdd" : "fdd");
    cJSON_AddNumberToObject(o, "sharing_ues", in->sharing_ues);
    static const char *const dirs[2] = {"up", "down"};
    for (int d = 0; d < 2; d++) {
        char key[64];
#define FIELD(name, value)                                                                         \
    do {                                                                                           \
        snprintf(key, sizeof key, name, dirs[d]);                                                  \
        json_number(o, key, value);                                                                \
    } while (0)
        FIELD("tx_power_%s_dbm", r->tx_power_dbm[d]);
        FIELD("bandwidth_%s_hz", r->bandwidth_hz[d]);
        FIELD("time_share_%s", r->time_share[d]);
        FIELD("noise_%s_dbm", r->noise_dbm[d]);
        FIELD("snr_%s_db", r->snr_db[d]);
        FIELD("sinr_%s_db", r->sinr_db[d]);
        FIELD("se_%s_bps_hz", r->se_bps_hz[d]);
        FIELD("rate_%s_bps", r->rate_bps[d]);
#undef FIELD
    }
    char *text = cJSON_PrintUnformatted(o);
    if (text) printf("%s\n", text);
    cJSON_free(text);
    cJSON_Delete(o);
}

static void print_text(const et_linkbudget_input *in, const et_linkbudget_result *r,
                       const char *interference)
{
    const et_propagation *c = &in->channel.propagation;
    int legacy = c->scenario == ET_PROPAGATION_TR36814;
    if (legacy) {
        printf("link budget: tr36814, PL = %g + %g log10(d_km), d %g m\n",
               in->channel.pathloss_a_db, in->channel.pathloss_b_db, in->distance_m);
    } else {
        printf("link budget: %s %s, d_2D %g m (d_3D %.2f m), f_c %g GHz, BS %g m, UT %g m\n",
               et_propagation_scenario_name(c->scenario), condition_name(in->channel.los),
               in->distance_m, r->d_3d_m, c->frequency_hz / 1e9, et_propagation_h_bs_m(c),
               et_propagation_h_ut_m(c));
        if (isfinite(r->breakpoint_m)) printf("  breakpoint distance    %.1f m\n", r->breakpoint_m);
    }
    printf("  path loss              %.2f dB (LOS %.2f, NLOS %.2f)\n", r->path_loss_db,
           r->path_loss_los_db, r->path_loss_nlos_db);
    if (isfinite(r->los_probability)) printf("  LOS probability        %.4f\n", r->los_probability);
    if (isfinite(r->shadowing_std_db))
        printf("  shadowing sigma        %.2f dB, decorrelation %g m (median used here)\n",
               r->shadowing_std_db, r->shadowing_decorr_m);
    else
        printf("  shadowing sigma        - (the LOS-state mean has none)\n");
    printf("  interference           %s\n", interference);
    printf("  duplex                 %s, %d UE%s sharing the carrier\n",
           in->duplex == ET_DUPLEX_TDD ? "TDD" : "FDD", in->sharing_ues,
           in->sharing_ues == 1 ? "" : "s");
    printf("                         %12s %12s\n", "uplink", "downlink");
    printf("  transmit power         %8.1f dBm %8.1f dBm\n", r->tx_power_dbm[0],
           r->tx_power_dbm[1]);
    printf("  bandwidth              %8.2f MHz %8.2f MHz\n", r->bandwidth_hz[0] / 1e6,
           r->bandwidth_hz[1] / 1e6);
    printf("  time share             %12.4f %12.4f\n", r->time_share[0], r->time_share[1]);
    printf("  noise (with NF)        %8.2f dBm %8.2f dBm\n", r->noise_dbm[0], r->noise_dbm[1]);
    printf("  SNR                    %9.2f dB %9.2f dB\n", r->snr_db[0], r->snr_db[1]);
    printf("  SINR                   %9.2f dB %9.2f dB\n", r->sinr_db[0], r->sinr_db[1]);
    printf("  spectral efficiency    %6.3f b/s/Hz %6.3f b/s/Hz (ergodic, %s fading)\n",
           r->se_bps_hz[0], r->se_bps_hz[1],
           in->channel.fading == ET_FADING_NONE     ? "no"
           : in->channel.fading == ET_FADING_RICIAN ? "Rician"
                                                    : "Rayleigh");
    printf("  rate                   %7.2f Mb/s %7.2f Mb/s\n", r->rate_bps[0] / 1e6,
           r->rate_bps[1] / 1e6);
}

/* Options that take a value. */
static int takes_value(const char *s)
{
    static const char *const opts[] = {"--distance",
                                       "--scenario",
                                       "--frequency",
                                       "--h-bs",
                                       "--h-ut",
                                       "--duplex",
                                       "--carrier",
                                       "--tdd-pattern",
                                       "--tdd-special-slot",
                                       "--carrier-down",
                                       "--carrier-up",
                                       "--tx-power",
                                       "--ap-tx-power",
                                       "--ue-noise-figure",
                                       "--ap-noise-figure",
                                       "--fading",
                                       "--rician-k",
                                       "--max-se",
                                       "--pathloss-a",
                                       "--pathloss-b",
                                       "--cells",
                                       "--isd",
                                       "--dl-load",
                                       "--ul-load",
                                       "--ues",
                                       NULL};
    for (const char *const *o = opts; *o; o++)
        if (!strcmp(s, *o)) return 1;
    return 0;
}

int et_linkbudget_main(int argc, char **argv)
{
    const char *scenario_file = NULL;
    int json = 0, condition = -1; /* -1: not given */
    char seen[32][64];            /* value options given so far */
    int n_seen = 0;
    /* First pass: help, the scenario file (its keys are the defaults), flags. */
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            fputs(USAGE, stdout);
            return 0;
        }
        const char *eq = strchr(s, '=');
        char name[64];
        snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - s) : (int)strlen(s), s);
        if (takes_value(name)) {
            if (!eq) i++;
            continue;
        }
        if (!strcmp(s, "--json"))
            json = 1;
        else if (!strcmp(s, "--los") || !strcmp(s, "--nlos") || !strcmp(s, "--mean")) {
            int c = !strcmp(s, "--los")    ? ET_LOS_ALWAYS
                    : !strcmp(s, "--nlos") ? ET_LOS_NEVER
                                           : ET_LOS_MEAN;
            if (condition >= 0 && condition != c)
                return bad_option("%s: give one of --los, --nlos and --mean", s);
            condition = c;
        } else if (s[0] == '-' && s[1])
            return bad_option("unknown option '%s'", s);
        else if (scenario_file)
            return bad_option("unexpected argument '%s' (one SCENARIO file at most)", s);
        else
            scenario_file = s;
    }
    et_scenario sc;
    et_error err;
    et_error_clear(&err);
    if (scenario_file) {
        if (et_scenario_load(scenario_file, ET_SOURCE_DIR, &sc, &err) != ET_OK) {
            fprintf(stderr, "edgetune: error: %s\n", err.msg);
            return et_status_exit_code(err.code);
        }
    } else {
        et_scenario_defaults(&sc, ET_SOURCE_DIR);
    }
    et_linkbudget_input in = {
        .channel = sc.sim.channel,
        .distance_m = -1,
        .ue_tx_power_dbm = sc.sim.ue_tx_power_dbm,
        .duplex = sc.sim.duplex,
        .carrier_hz = sc.sim.carrier_hz,
        .carrier_down_hz = sc.sim.carrier_down_hz,
        .carrier_up_hz = sc.sim.carrier_up_hz,
        .n_cells = 1,
        .isd_m = -1,
        .max_interferers = sc.sim.max_interferers,
        .sharing_ues = 1,
    };
    in.channel.los = condition >= 0 ? (et_los_mode)condition : ET_LOS_MEAN;
    char pattern[ET_SCENARIO_STRING_MAX], special[ET_SCENARIO_STRING_MAX];
    snprintf(pattern, sizeof pattern, "%s", sc.sim.tdd_pattern);
    snprintf(special, sizeof special, "%s", sc.sim.tdd_special_slot);
    double cells = 1, ues = 1, h_bs = -1, h_ut = -1;
    int carrier_given = 0, fdd_given = 0;
    et_channel_params *ch = &in.channel;
    const number_option numbers[] = {
        {"--distance", 1, 1e5, "metres", &in.distance_m},
        {"--frequency", 0.5e9, 100e9, "Hz", &ch->propagation.frequency_hz},
        {"--h-bs", 1, 150, "metres", &h_bs},
        {"--h-ut", 1, 22.5, "metres", &h_ut},
        {"--carrier", 1e5, 1e10, "Hz", &in.carrier_hz},
        {"--carrier-down", 1e5, 1e10, "Hz", &in.carrier_down_hz},
        {"--carrier-up", 1e5, 1e10, "Hz", &in.carrier_up_hz},
        {"--tx-power", -30, 40, "dBm", &in.ue_tx_power_dbm},
        {"--ap-tx-power", -30, 60, "dBm", &ch->ap_tx_power_dbm},
        {"--ue-noise-figure", 0, 30, "dB", &ch->ue_noise_figure_db},
        {"--ap-noise-figure", 0, 30, "dB", &ch->ap_noise_figure_db},
        {"--rician-k", -30, 40, "dB", &ch->rician_k_db},
        {"--max-se", 0.1, 30, "b/s/Hz", &ch->max_spectral_eff_bps_hz},
        {"--pathloss-a", 0, 300, "dB", &ch->pathloss_a_db},
        {"--pathloss-b", 0, 100, "dB per decade", &ch->pathloss_b_db},
        {"--cells", 1, MAX_CELLS_LB, "an integer", &cells},
        {"--isd", 20, 1e5, "metres", &in.isd_m},
        {"--dl-load", 0, 1, "a fraction", &ch->dl_load_factor},
        {"--ul-load", 0, 1, "a fraction", &ch->ul_load_factor},
        {"--ues", 1, 1e6, "an integer", &ues},
    };
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        const char *eq = strchr(s, '=');
        char name[64];
        snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - s) : (int)strlen(s), s);
        if (!takes_value(name)) continue;
        const char *value = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
        if (!value) return bad_option("option %s needs a value", name);
        for (int j = 0; j < n_seen; j++)
            if (!strcmp(seen[j], name)) return bad_option("option %s is given twice", name);
        if (n_seen < 32) snprintf(seen[n_seen++], sizeof seen[0], "%s", name);
        int done = 0;
        for (size_t k = 0; k < sizeof numbers / sizeof numbers[0]; k++) {
            if (strcmp(name, numbers[k].name) != 0) continue;
            done = 1;
            double v;
            int integer = !strcmp(numbers[k].unit, "an integer");
            if (parse_number(value, numbers[k].lo, numbers[k].hi, &v) ||
                (integer && v != floor(v))) {
                char fmt[256];
                snprintf(fmt, sizeof fmt, "%s: expected %s%s in [%g, %g], got '%%s'", name,
                         integer ? "" : numbers[k].unit, integer ? "an integer" : "", numbers[k].lo,
                         numbers[k].hi);
                return bad_option(fmt, value);
            }
            *numbers[k].out = v;
        }
        if (!strcmp(name, "--carrier")) carrier_given = 1;
        if (!strcmp(name, "--carrier-down") || !strcmp(name, "--carrier-up")) fdd_given = 1;
        if (done) continue;
        if (!strcmp(name, "--scenario")) {
            int k = et_propagation_scenario_parse(value);
            if (k < 0)
                return bad_option("--scenario: expected one of uma, umi, rma, inh, tr36814, got "
                                  "'%s'",
                                  value);
            ch->propagation.scenario = (et_propagation_scenario)k;
        } else if (!strcmp(name, "--duplex")) {
            int k = et_choice_index(ET_DUPLEX_MODES, value);
            if (k < 0) return bad_option("--duplex: expected tdd or fdd, got '%s'", value);
            in.duplex = (et_duplex)k;
        } else if (!strcmp(name, "--fading")) {
            int k = et_choice_index("none|rayleigh|rician", value);
            if (k < 0)
                return bad_option("--fading: expected none, rayleigh or rician, got '%s'", value);
            ch->fading = (et_fading_model)k;
        } else if (!strcmp(name, "--tdd-pattern")) {
            snprintf(pattern, sizeof pattern, "%s", value);
        } else if (!strcmp(name, "--tdd-special-slot")) {
            snprintf(special, sizeof special, "%s", value);
        }
    }
    if (!(in.distance_m > 0)) return bad_option("%s", "--distance M is required");
    if (carrier_given && in.duplex == ET_DUPLEX_FDD)
        return bad_option("%s", "--carrier is the TDD bandwidth; with --duplex fdd give "
                                "--carrier-down and --carrier-up");
    if (fdd_given && in.duplex == ET_DUPLEX_TDD)
        return bad_option("%s", "--carrier-down and --carrier-up are FDD bandwidths; add "
                                "--duplex fdd, or give the TDD bandwidth as --carrier");
    if (et_channel_tdd_shares(pattern, special, &in.tdd_downlink_share, &in.tdd_uplink_share,
                              &err) != ET_OK) {
        const char *opt =
            strstr(err.msg, "tdd_special_slot") ? "--tdd-special-slot" : "--tdd-pattern";
        const char *expected = strstr(err.msg, "expected");
        char fmt[600];
        snprintf(fmt, sizeof fmt, "%s: %s", opt, expected ? expected : err.msg);
        /* The message already holds the value. */
        for (char *c = fmt; *c; c++)
            if (*c == '%') *c = ' ';
        return bad_option(fmt, NULL);
    }
    if (h_bs > 0) ch->propagation.h_bs_m = h_bs;
    if (h_ut > 0) ch->propagation.h_ut_m = h_ut;
    in.n_cells = (int)cells;
    in.sharing_ues = (int)ues;
    if (in.isd_m < 0) et_propagation_evaluation(ch->propagation.scenario, NULL, &in.isd_m);
    if (ch->propagation.scenario == ET_PROPAGATION_TR36814 && condition >= 0)
        return bad_option("%s: scenario tr36814 has no LOS state",
                          condition == ET_LOS_ALWAYS  ? "--los"
                          : condition == ET_LOS_NEVER ? "--nlos"
                                                      : "--mean");
    et_linkbudget_result r;
    if (et_linkbudget_compute(&in, &r, &err) != ET_OK) {
        fprintf(stderr, "edgetune: error: %s\n", err.msg);
        return et_status_exit_code(err.code);
    }
    char interference[200];
    if (in.n_cells == 1 || !ch->interference)
        snprintf(interference, sizeof interference, "none (one cell: SINR = SNR)");
    else
        snprintf(interference, sizeof interference,
                 "%d cells on a hexagonal layout, ISD %g m, the nearest %d interfering, "
                 "downlink load %g, uplink load %g (mean path gain over the LOS state)",
                 in.n_cells, in.isd_m,
                 in.n_cells - 1 < in.max_interferers ? in.n_cells - 1 : in.max_interferers,
                 ch->dl_load_factor, ch->ul_load_factor);
    if (json)
        print_json(&in, &r, interference);
    else
        print_text(&in, &r, interference);
    return 0;
}
