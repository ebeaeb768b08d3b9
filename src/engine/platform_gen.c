/* platform_gen.c: the platform generator (et_platform_write and its helpers).
 *
 * Layouts written by et_platform_write (docs/platforms.md has the pictures;
 * the single-cell ones are byte for byte what they were before cells):
 *   OFDMA: one routing="Cluster" zone (a star: O(N) routing memory, where a
 *          Full zone would hold an N x N table). The server's host_link is a
 *          SPLITDUPLEX backhaul, each UE's host_link a SPLITDUPLEX wireless
 *          link, so ue -> server = <wl>_UP + backhaul_DOWN and
 *          server -> ue = backhaul_UP + <wl>_DOWN: up and down never share a
 *          resource, like separate OFDMA resource blocks.
 *   Wi-Fi: a routing="Full" world zone holding a routing="Wifi" cell (UE hosts,
 *          the AP router, one WIFI link) and an edge zone with the server,
 *          joined by zoneRoutes over an air-latency link and the backhaul.
 *   Metro: a routing="Full" zone of K routing="Cluster" cell zones (a star
 *          each, so memory stays O(N)), each holding its AP host (role=ap,
 *          the cell's position) and its UEs. One server per cell sits in the
 *          cell's zone behind the cell's backhaul (its host_link), as in the
 *          single cell; a shared server sits in its own zone, reached from
 *          every cell through zoneRoutes whose gateway is the AP host (its
 *          host_link is the cell's backhaul) and the core link.
 * Pure C: it writes XML text and calls no SimGrid function. */

/* M_PI is not strict C11; glibc exposes it under _DEFAULT_SOURCE. */
#define _DEFAULT_SOURCE

#include "platform.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

/* ------------------------------------------------------------------------- */
/* Device classes and defaults                                                */

#define GIB 1073741824.0

/* Effective training throughput and memory available to tuning per device
 * class: vendor peak figures derated for training (thermal limits, mixed
 * precision efficiency); sources in docs/platforms.md. */
typedef struct device_class {
    const char *name;
    double speed_flops;
    double memory_bytes;
    double share; /* fraction of UEs in large populations */
} device_class;

enum { CLASS_PHONE, CLASS_TABLET, CLASS_LAPTOP, CLASS_JETSON, N_CLASSES };

static const device_class device_classes[N_CLASSES] = {
    [CLASS_PHONE] = {"phone", 1e12, 6.0 * GIB, 0.50},
    [CLASS_TABLET] = {"tablet", 3e12, 8.0 * GIB, 0.20},
    [CLASS_LAPTOP] = {"laptop", 10e12, 16.0 * GIB, 0.15},
    [CLASS_JETSON] = {"jetson", 8e12, 16.0 * GIB, 0.15},
};

/* Small populations (the 6-9 UE study) cycle through this order so that every
 * class appears from 4 UEs on and 8 UEs hold the 50/25/12.5/12.5 mix. */
static const int small_cycle[8] = {CLASS_PHONE, CLASS_TABLET, CLASS_LAPTOP, CLASS_JETSON,
                                   CLASS_PHONE, CLASS_PHONE,  CLASS_TABLET, CLASS_PHONE};
#define SMALL_N_MAX 8

/* Owner of the class-shuffle stream: above any UE index, so it never meets a
 * per-UE position stream (owner = UE index). */
#define CLASS_STREAM_OWNER (UINT64_C(1) << 39)

/* UEs are never closer than this to the AP: the path-loss law is for the far
 * field, and 3GPP evaluation layouts keep a minimum UE-cell distance
 * (TR 36.814: 35 m macro, 10 m pico). */
#define MIN_DISTANCE_M 10.0

/* Placeholder wireless rate written to the XML; the channel actor replaces it
 * with the computed rate at t = 0, before any comm starts. */
#define INITIAL_WIRELESS_BPS 50e6

#define N_UE_MAX 1000000

void et_platform_spec_default(et_platform_spec *spec, int n_ue, et_access_model access)
{
    memset(spec, 0, sizeof *spec);
    spec->n_ue = n_ue;
    spec->access = access;
    spec->seed = 1;
    /* A 250 m small/macro cell for OFDMA; an 802.11ac cell is a room or a
     * floor: 40 m, the radius examples/wifi.json moves UEs in. */
    spec->cell_radius_m = access == ET_ACCESS_WIFI ? 40.0 : 250.0;
    /* One L4/A10-class accelerator, 3e13 FLOP/s effective in training (docs/platforms.md);
     * version 1's 4 x A100 server (1.25e14 each) is --server-flops 1.25e14 --server-cores 4. */
    spec->server_core_flops = 3e13;
    spec->server_cores = 1;
    /* MEC backhaul: 1-10 Gb/s, 1-5 ms (docs/platforms.md). */
    spec->backhaul_bps = 10e9;
    spec->backhaul_latency_s = 0.002;
    spec->wireless_latency_s = 0.005;
    /* One 20 MHz 3GPP carrier's worth of resource blocks each way per UE. */
    spec->bandwidth_up_hz = 20e6;
    spec->bandwidth_down_hz = 20e6;
    /* 80 MHz is the usual 802.11ac channel in the 5 GHz band. */
    spec->wifi_channel_hz = 80e6;
    /* Metro platforms (n_cells >= 1). 3GPP's urban macro layout: hexagonal
     * sites 500 m apart (TR 38.901 Table 7.2-1); cell_radius_m = 250 m is
     * ISD / 2, the largest disc that does not overlap a neighbour's. */
    spec->n_cells = 0;
    spec->layout = ET_LAYOUT_HEX;
    spec->isd_m = ET_ISD_UMA_M;
    spec->shared_server = 0;
    /* A metro aggregation link to a central MEC site: 100 GbE, and 5 ms for
     * a few aggregation hops and tens of km of fibre (5 us/km), a modelling
     * choice (docs/platforms.md). */
    spec->core_bps = 100e9;
    spec->core_latency_s = 0.005;
    /* No radio properties: the scenario keys decide (single-cell files keep their bytes). */
    spec->scenario = -1;
    spec->frequency_hz = spec->h_bs_m = spec->h_ut_m = 0.0;
    spec->min_distance_m = MIN_DISTANCE_M;
}

void et_platform_spec_set_scenario(et_platform_spec *spec, et_propagation_scenario s)
{
    et_propagation eval;
    double isd_m;
    et_propagation_evaluation(s, &eval, &isd_m);
    spec->scenario = (int)eval.scenario;
    spec->frequency_hz = eval.frequency_hz;
    spec->h_bs_m = eval.h_bs_m;
    spec->h_ut_m = eval.h_ut_m;
    spec->isd_m = isd_m;
    /* ISD / 2: the largest disc that does not overlap a neighbour's, also for one cell. */
    spec->cell_radius_m = 0.5 * isd_m;
    /* TR 38.901's InH path loss holds from d_3D = 1 m; the outdoor ones from d_2D = 10 m. */
    spec->min_distance_m = s == ET_PROPAGATION_INH ? 1.0 : MIN_DISTANCE_M;
}

void et_platform_site_position(et_cell_layout layout, int n_cells, double isd_m, int index,
                               double *x_m, double *y_m)
{
    *x_m = *y_m = 0.0;
    if (n_cells <= 0 || index < 0) return;
    if (layout == ET_LAYOUT_GRID) {
        int cols = (int)ceil(sqrt((double)n_cells));
        while (cols * cols < n_cells) /* guard sqrt rounding */
            cols++;
        int rows = (n_cells + cols - 1) / cols;
        *x_m = (index % cols - 0.5 * (cols - 1)) * isd_m;
        *y_m = (index / cols - 0.5 * (rows - 1)) * isd_m;
        return;
    }
    if (index == 0) return; /* the central site */
    /* Ring k >= 1 holds 6k sites: from each corner k e_j (e_j the unit
     * vector at j 60 degrees) walk k - 1 more steps along e_(j+2), which
     * leads to the next corner (e_j + e_(j+2) = e_(j+1)). */
    int k = 1, first = 1; /* ring and index of its first site */
    while (index >= first + 6 * k) {
        first += 6 * k;
        k++;
    }
    int offset = index - first, side = offset / k, step = offset % k;
    double a = side * M_PI / 3.0, b = (side + 2) * M_PI / 3.0;
    *x_m = isd_m * (k * cos(a) + step * cos(b));
    *y_m = isd_m * (k * sin(a) + step * sin(b));
}

/* ------------------------------------------------------------------------- */
/* Number formatting                                                          */

/* Writes v with the fewest of 15, 16 or 17 significant digits that read back
 * to exactly v (integers without exponent), so the XML holds the generator's
 * values bit for bit. */
static const char *fmt_num(char buf[40], double v)
{
    if (v == floor(v) && fabs(v) < 1e17) {
        snprintf(buf, 40, "%.0f", v);
        return buf;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 40, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    return buf;
}

/* ------------------------------------------------------------------------- */
/* Generator                                                                  */

static int ue_name_width(int n_ue)
{
    int width = 1;
    for (int last = n_ue - 1; last >= 10; last /= 10)
        width++;
    return width;
}

/* "<prefix><i zero-padded to width>"; width <= 7 since n_ue <= 1e6 (the mask
 * tells the compiler so). */
static const char *indexed_name(char buf[24], const char *prefix, int width, int i)
{
    snprintf(buf, 24, "%s%0*d", prefix, (int)((unsigned)width & 7u), i);
    return buf;
}

static et_status spec_check(const et_platform_spec *s, et_error *err)
{
#define REQUIRE(cond, field, expect, value)                                                        \
    do {                                                                                           \
        if (!(cond))                                                                               \
            return et_error_set(err, ET_ERR_INPUT, "platform spec: %s: expected %s, got %.17g",    \
                                field, expect, (double)(value));                                   \
    } while (0)
    REQUIRE(s->n_ue >= 1 && s->n_ue <= N_UE_MAX, "n_ue", "an integer in [1, 1000000]", s->n_ue);
    REQUIRE(s->access == ET_ACCESS_OFDMA || s->access == ET_ACCESS_WIFI, "access",
            "0 (OFDMA) or 1 (Wi-Fi)", s->access);
    REQUIRE(isfinite(s->min_distance_m) && s->min_distance_m >= 1.0 &&
                s->min_distance_m <= MIN_DISTANCE_M,
            "min_distance_m", "a number in [1, 10]", s->min_distance_m);
    REQUIRE(isfinite(s->cell_radius_m) && s->cell_radius_m > s->min_distance_m, "cell_radius_m",
            "a number > min_distance_m", s->cell_radius_m);
    REQUIRE(s->scenario >= -1 && s->scenario <= ET_PROPAGATION_TR36814, "scenario",
            "-1 (none) or an et_propagation_scenario", s->scenario);
    if (s->scenario >= 0) {
        REQUIRE(s->frequency_hz >= 0.5e9 && s->frequency_hz <= 100e9, "frequency_hz",
                "a number in [5e8, 1e11]", s->frequency_hz);
        REQUIRE(s->h_bs_m >= 1.0 && s->h_bs_m <= 150.0, "h_bs_m", "a number in [1, 150]",
                s->h_bs_m);
        REQUIRE(s->h_ut_m >= 1.0 && s->h_ut_m <= 22.5, "h_ut_m", "a number in [1, 22.5]",
                s->h_ut_m);
    }
    REQUIRE(s->n_cells >= 0 && s->n_cells <= ET_MAX_CELLS, "n_cells",
            "an integer in [0, 1000] (0: the single-cell layout)", s->n_cells);
    if (s->n_cells > 0) {
        REQUIRE(s->access == ET_ACCESS_OFDMA, "access", "0 (OFDMA): metro platforms are OFDMA",
                s->access);
        REQUIRE(!s->full_routing, "full_routing", "0: metro platforms use Cluster cell zones",
                s->full_routing);
        REQUIRE(s->layout == ET_LAYOUT_HEX || s->layout == ET_LAYOUT_GRID, "layout",
                "0 (hex) or 1 (grid)", s->layout);
        REQUIRE(isfinite(s->isd_m) && s->isd_m >= 2 * MIN_DISTANCE_M && s->isd_m <= 1e5, "isd_m",
                "a number in [20, 100000]", s->isd_m);
        /* A disc wider than the distance to the next site would hold UEs
         * nearer to a neighbour's AP than to most of their own cell. */
        if (s->n_cells > 1)
            REQUIRE(s->cell_radius_m <= s->isd_m, "cell_radius_m", "a number <= isd_m",
                    s->cell_radius_m);
        if (s->shared_server) {
            REQUIRE(isfinite(s->core_bps) && s->core_bps > 0, "core_bps", "a number > 0",
                    s->core_bps);
            REQUIRE(isfinite(s->core_latency_s) && s->core_latency_s >= 0, "core_latency_s",
                    "a number >= 0", s->core_latency_s);
        }
    }
    REQUIRE(isfinite(s->server_core_flops) && s->server_core_flops > 0, "server_core_flops",
            "a number > 0", s->server_core_flops);
    REQUIRE(s->server_cores >= 1, "server_cores", "an integer >= 1", s->server_cores);
    REQUIRE(isfinite(s->backhaul_bps) && s->backhaul_bps > 0, "backhaul_bps", "a number > 0",
            s->backhaul_bps);
    REQUIRE(isfinite(s->backhaul_latency_s) && s->backhaul_latency_s >= 0, "backhaul_latency_s",
            "a number >= 0", s->backhaul_latency_s);
    REQUIRE(isfinite(s->wireless_latency_s) && s->wireless_latency_s >= 0, "wireless_latency_s",
            "a number >= 0", s->wireless_latency_s);
    if (s->access == ET_ACCESS_OFDMA) {
        REQUIRE(isfinite(s->bandwidth_up_hz) && s->bandwidth_up_hz > 0, "bandwidth_up_hz",
                "a number > 0", s->bandwidth_up_hz);
        REQUIRE(isfinite(s->bandwidth_down_hz) && s->bandwidth_down_hz > 0, "bandwidth_down_hz",
                "a number > 0", s->bandwidth_down_hz);
    } else {
        /* The widths the 802.11ac rate table (channel.c) knows. */
        double w = s->wifi_channel_hz, rates_bps[ET_WIFI_MAX_LEVELS], snr_db[ET_WIFI_MAX_LEVELS];
        REQUIRE(et_channel_wifi_default_table(w / 1e6, rates_bps, snr_db, ET_WIFI_MAX_LEVELS) > 0,
                "wifi_channel_hz", "20e6, 40e6, 80e6 or 160e6", w);
    }
#undef REQUIRE
    return ET_OK;
}

/* Class of every UE: the fixed cycle for small N; otherwise exact quotas
 * (largest remainder) in an order shuffled with the seed, so a population
 * holds the documented mix exactly and only who-gets-what is random. */
static void assign_classes(int *cls, int n_ue, uint64_t seed)
{
    if (n_ue <= SMALL_N_MAX) {
        for (int i = 0; i < n_ue; i++)
            cls[i] = small_cycle[i];
        return;
    }
    int count[N_CLASSES], assigned = 0;
    double remainder[N_CLASSES];
    for (int c = 0; c < N_CLASSES; c++) {
        double quota = device_classes[c].share * n_ue;
        count[c] = (int)floor(quota);
        remainder[c] = quota - count[c];
        assigned += count[c];
    }
    while (assigned < n_ue) { /* first largest remainder wins ties: deterministic */
        int best = 0;
        for (int c = 1; c < N_CLASSES; c++)
            if (remainder[c] > remainder[best]) best = c;
        count[best]++;
        remainder[best] = -1.0;
        assigned++;
    }
    int k = 0;
    for (int c = 0; c < N_CLASSES; c++)
        for (int j = 0; j < count[c]; j++)
            cls[k++] = c;
    et_rng rng;
    et_rng_seed(&rng, seed, et_rng_stream_id(ET_RNG_PLATFORM, CLASS_STREAM_OWNER));
    for (int i = n_ue - 1; i > 0; i--) { /* Fisher-Yates */
        int j = (int)et_rng_below(&rng, (uint32_t)i + 1);
        int t = cls[i];
        cls[i] = cls[j];
        cls[j] = t;
    }
}

/* Initial position of UE i: uniform in the annulus [min_distance_m, R] around its AP
 * at (ap_x_m, ap_y_m), from the UE's own stream (adding UEs never moves the
 * others), rounded to the millimetre so the XML stays short and exact. */
static void draw_position(const et_platform_spec *s, int i, double ap_x_m, double ap_y_m,
                          double *x_m, double *y_m)
{
    et_rng rng;
    et_rng_seed(&rng, s->seed, et_rng_stream_id(ET_RNG_PLATFORM, (uint64_t)i));
    double r0 = s->min_distance_m, r1 = s->cell_radius_m;
    /* Area-uniform: the radius CDF in an annulus is (r^2 - r0^2) / (r1^2 - r0^2). */
    double r = sqrt(r0 * r0 + et_rng_uniform(&rng) * (r1 * r1 - r0 * r0));
    double theta = 2.0 * M_PI * et_rng_uniform(&rng);
    *x_m = round((ap_x_m + r * cos(theta)) * 1000.0) / 1000.0;
    *y_m = round((ap_y_m + r * sin(theta)) * 1000.0) / 1000.0;
}

/* Site c of a metro spec, rounded to the millimetre like the UEs. */
static void site_position(const et_platform_spec *s, int c, double *x_m, double *y_m)
{
    et_platform_site_position(s->layout, s->n_cells, s->isd_m, c, x_m, y_m);
    *x_m = round(*x_m * 1000.0) / 1000.0;
    *y_m = round(*y_m * 1000.0) / 1000.0;
}

/* Appends ", <option> <value>" words for every generator option that differs
 * from its default, so the header's regenerate line is complete. Nothing
 * for a default single-cell spec: those files keep their bytes. */
static void regenerate_extras(char *buf, size_t size, const et_platform_spec *s)
{
    et_platform_spec d;
    et_platform_spec_default(&d, s->n_ue, s->access);
    char a[40], b[40];
    size_t len = 0;
    buf[0] = '\0';
#define APPEND(...)                                                                                \
    do {                                                                                           \
        if (len < size) len += (size_t)snprintf(buf + len, size - len, __VA_ARGS__);               \
    } while (0)
    if (s->scenario >= 0) {
        APPEND(", scenario %s", et_propagation_scenario_name((et_propagation_scenario)s->scenario));
        et_platform_spec_set_scenario(&d, (et_propagation_scenario)s->scenario);
    }
    if (s->n_cells > 0) {
        APPEND(", cells %d, layout %s, isd %s", s->n_cells,
               s->layout == ET_LAYOUT_GRID ? "grid" : "hex", fmt_num(a, s->isd_m));
        if (s->shared_server)
            APPEND(", shared-server, core-bps %s, core-latency-s %s", fmt_num(a, s->core_bps),
                   fmt_num(b, s->core_latency_s));
        d.cell_radius_m = 0.5 * s->isd_m; /* the command line's metro default */
    }
    if (s->cell_radius_m != d.cell_radius_m)
        APPEND(", cell-radius %s", fmt_num(a, s->cell_radius_m));
    if (s->server_core_flops != d.server_core_flops)
        APPEND(", server-flops %s", fmt_num(a, s->server_core_flops));
    if (s->server_cores != d.server_cores) APPEND(", server-cores %d", s->server_cores);
#undef APPEND
}

static void write_header(FILE *out, const et_platform_spec *s)
{
    char a[40], b[40], c[40], d[40], e[40], f[40], extras[512];
    const char *access = s->access == ET_ACCESS_WIFI ? "wifi" : "ofdma";
    regenerate_extras(extras, sizeof extras, s);
    fprintf(out, "<?xml version=\"1.0\"?>\n");
    /* SimGrid 3.32's parser rejects a file without this DOCTYPE; it never
     * fetches the URL (the DTD is compiled in). */
    fprintf(out, "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n");
    /* No double hyphen may appear inside an XML comment, so the command line
     * is spelled out in words. */
    fprintf(out,
            "<!-- Generated by edgetune's platform generator (et_platform_write, "
            "src/platform.c); do not edit by hand.\n"
            "     Regenerate: edgetune platform, options ues %d, seed %llu%s%s, output FILE\n"
            "     (see platforms/README.md). Defaults and their sources: docs/platforms.md.\n"
            "     access=%s n_ue=%d seed=%llu cell_radius_m=%s server_cores=%d "
            "server_core_flops=%s\n",
            s->n_ue, (unsigned long long)s->seed, s->access == ET_ACCESS_WIFI ? ", wifi" : "",
            extras, access, s->n_ue, (unsigned long long)s->seed, fmt_num(a, s->cell_radius_m),
            s->server_cores, fmt_num(b, s->server_core_flops));
    fprintf(out, "     backhaul_bps=%s backhaul_latency_s=%s wireless_latency_s=%s ",
            fmt_num(c, s->backhaul_bps), fmt_num(d, s->backhaul_latency_s),
            fmt_num(e, s->wireless_latency_s));
    if (s->access == ET_ACCESS_WIFI)
        fprintf(out, "wifi_channel_hz=%s", fmt_num(f, s->wifi_channel_hz));
    else
        fprintf(out, "bandwidth_up_hz=%s bandwidth_down_hz=%s", fmt_num(e, s->bandwidth_up_hz),
                fmt_num(f, s->bandwidth_down_hz));
    if (s->n_cells > 0)
        fprintf(out,
                "\n     n_cells=%d layout=%s isd_m=%s shared_server=%d core_bps=%s "
                "core_latency_s=%s",
                s->n_cells, s->layout == ET_LAYOUT_GRID ? "grid" : "hex", fmt_num(a, s->isd_m),
                s->shared_server, fmt_num(b, s->core_bps), fmt_num(c, s->core_latency_s));
    if (s->scenario >= 0)
        fprintf(out, "\n     scenario=%s frequency_hz=%s h_bs_m=%s h_ut_m=%s min_distance_m=%s",
                et_propagation_scenario_name((et_propagation_scenario)s->scenario),
                fmt_num(a, s->frequency_hz), fmt_num(b, s->h_bs_m), fmt_num(c, s->h_ut_m),
                fmt_num(d, s->min_distance_m));
    fprintf(out, " -->\n");
}

static void write_prop(FILE *out, const char *indent, const char *id, const char *value)
{
    fprintf(out, "%s<prop id=\"%s\" value=\"%s\"/>\n", indent, id, value);
}

/* The cell radio properties of spec (none when spec->scenario is -1), on the
 * host standing for the cell: an AP host, or a single-cell platform's server. */
static void write_cell_radio(FILE *out, const char *indent, const et_platform_spec *s)
{
    char a[40];
    if (s->scenario < 0) return;
    write_prop(out, indent, ET_CELL_PROP_SCENARIO,
               et_propagation_scenario_name((et_propagation_scenario)s->scenario));
    write_prop(out, indent, ET_CELL_PROP_FREQUENCY, fmt_num(a, s->frequency_hz));
    write_prop(out, indent, ET_CELL_PROP_H_BS, fmt_num(a, s->h_bs_m));
    write_prop(out, indent, ET_CELL_PROP_H_UT, fmt_num(a, s->h_ut_m));
}

/* UE i's host. cell: the name of its AP host (metro), NULL for the
 * single-cell layouts, whose UEs carry no cell property; (ap_x_m, ap_y_m) is
 * that AP's position (the origin for a single cell). */
static void write_ue_host(FILE *out, const et_platform_spec *s, int i, int width, int cls,
                          const char *indent, const char *cell, double ap_x_m, double ap_y_m)
{
    char a[40], b[40];
    const device_class *dc = &device_classes[cls];
    double x_m, y_m;
    draw_position(s, i, ap_x_m, ap_y_m, &x_m, &y_m);
    char name[24];
    fprintf(out, "%s<host id=\"%s\" speed=\"%sf\" core=\"1\">\n", indent,
            indexed_name(name, "ue", width, i), fmt_num(a, dc->speed_flops));
    char in[32];
    snprintf(in, sizeof in, "%s  ", indent);
    write_prop(out, in, "role", "ue");
    write_prop(out, in, "class", dc->name);
    write_prop(out, in, "memory_bytes", fmt_num(a, dc->memory_bytes));
    write_prop(out, in, "x_m", fmt_num(a, x_m));
    write_prop(out, in, "y_m", fmt_num(a, y_m));
    if (s->access == ET_ACCESS_OFDMA) {
        write_prop(out, in, "link", indexed_name(b, "wl_ue", width, i));
        write_prop(out, in, "bandwidth_up_hz", fmt_num(a, s->bandwidth_up_hz));
        write_prop(out, in, "bandwidth_down_hz", fmt_num(a, s->bandwidth_down_hz));
    } else {
        write_prop(out, in, "bandwidth_up_hz", fmt_num(a, s->wifi_channel_hz));
        write_prop(out, in, "bandwidth_down_hz", fmt_num(a, s->wifi_channel_hz));
    }
    if (cell) write_prop(out, in, "cell", cell);
    fprintf(out, "%s</host>\n", indent);
}

/* The edge server of the OFDMA layouts. */
static void write_server_host(FILE *out, const et_platform_spec *s)
{
    char a[40];
    fprintf(out, "    <host id=\"server\" speed=\"%sf\" core=\"%d\">\n",
            fmt_num(a, s->server_core_flops), s->server_cores);
    write_prop(out, "      ", "role", "server");
    write_cell_radio(out, "      ", s);
    /* The implicit cell's disc, with its scenario (the files without one keep their bytes). */
    if (s->scenario >= 0) write_prop(out, "      ", "radius_m", fmt_num(a, s->cell_radius_m));
    fprintf(out, "    </host>\n");
}

static void write_ofdma(FILE *out, const et_platform_spec *s, const int *cls)
{
    char a[40], b[40], c[24], name[24];
    int width = ue_name_width(s->n_ue);
    fprintf(out, "<platform version=\"4.1\">\n");
    fprintf(out, "  <zone id=\"edge\" routing=\"Cluster\">\n");
    write_server_host(out, s);
    fprintf(out,
            "    <link id=\"backhaul\" bandwidth=\"%sbps\" latency=\"%ss\" "
            "sharing_policy=\"SPLITDUPLEX\"/>\n",
            fmt_num(a, s->backhaul_bps), fmt_num(b, s->backhaul_latency_s));
    fprintf(out, "    <host_link id=\"server\" up=\"backhaul_UP\" down=\"backhaul_DOWN\"/>\n");
    fmt_num(a, INITIAL_WIRELESS_BPS);
    fmt_num(b, s->wireless_latency_s);
    for (int i = 0; i < s->n_ue; i++) {
        write_ue_host(out, s, i, width, cls[i], "    ", NULL, 0.0, 0.0);
        indexed_name(c, "wl_ue", width, i);
        fprintf(out,
                "    <link id=\"%s\" bandwidth=\"%sbps\" latency=\"%ss\" "
                "sharing_policy=\"SPLITDUPLEX\"/>\n",
                c, a, b);
        fprintf(out, "    <host_link id=\"%s\" up=\"%s_UP\" down=\"%s_DOWN\"/>\n",
                indexed_name(name, "ue", width, i), c, c);
    }
    fprintf(out, "  </zone>\n</platform>\n");
}

/* Same topology as write_ofdma in a Full zone with explicit routes (the same
 * results; --paje traces either layout, paje.h). One-way SHARED links carry
 * the names SimGrid gives SPLITDUPLEX halves, so discovery is the same for
 * both layouts. */
static void write_ofdma_full(FILE *out, const et_platform_spec *s, const int *cls)
{
    char a[40], b[40], c[24], name[24];
    int width = ue_name_width(s->n_ue);
    fprintf(out, "<platform version=\"4.1\">\n");
    fprintf(out, "  <zone id=\"edge\" routing=\"Full\">\n");
    write_server_host(out, s);
    fmt_num(a, s->backhaul_bps);
    fmt_num(b, s->backhaul_latency_s);
    fprintf(out, "    <link id=\"backhaul_UP\" bandwidth=\"%sbps\" latency=\"%ss\"/>\n", a, b);
    fprintf(out, "    <link id=\"backhaul_DOWN\" bandwidth=\"%sbps\" latency=\"%ss\"/>\n", a, b);
    fmt_num(a, INITIAL_WIRELESS_BPS);
    fmt_num(b, s->wireless_latency_s);
    for (int i = 0; i < s->n_ue; i++) {
        write_ue_host(out, s, i, width, cls[i], "    ", NULL, 0.0, 0.0);
        indexed_name(c, "wl_ue", width, i);
        fprintf(out, "    <link id=\"%s_UP\" bandwidth=\"%sbps\" latency=\"%ss\"/>\n", c, a, b);
        fprintf(out, "    <link id=\"%s_DOWN\" bandwidth=\"%sbps\" latency=\"%ss\"/>\n", c, a, b);
    }
    for (int i = 0; i < s->n_ue; i++) {
        indexed_name(c, "wl_ue", width, i);
        indexed_name(name, "ue", width, i);
        fprintf(out,
                "    <route src=\"%s\" dst=\"server\" symmetrical=\"NO\"><link_ctn id=\"%s_UP\"/>"
                "<link_ctn id=\"backhaul_DOWN\"/></route>\n",
                name, c);
        fprintf(out,
                "    <route src=\"server\" dst=\"%s\" symmetrical=\"NO\"><link_ctn "
                "id=\"backhaul_UP\"/><link_ctn id=\"%s_DOWN\"/></route>\n",
                name, c);
    }
    fprintf(out, "  </zone>\n</platform>\n");
}

/* Writes the hosts and links of metro cell k (its AP host, its own server
 * unless shared, its backhaul, its UEs) at indent. The backhaul is the
 * host_link of the node at the far end of the cell's star: the cell's own
 * server, or, with a shared server, the AP host that is the zone's gateway
 * towards it. Either way ue -> server = <wl>_UP, <cell>_backhaul_DOWN (then
 * core_DOWN), as in the single cell. */
static void write_metro_cell(FILE *out, const et_platform_spec *s, const int *cls, int k,
                             const char *indent)
{
    char a[40], b[40], c[24], name[24], cell[24], server[24], in[32];
    int width = ue_name_width(s->n_ue), cell_width = ue_name_width(s->n_cells);
    double ap_x_m, ap_y_m;
    site_position(s, k, &ap_x_m, &ap_y_m);
    indexed_name(cell, "cell", cell_width, k);
    if (s->shared_server)
        snprintf(server, sizeof server, "server");
    else
        indexed_name(server, "server", cell_width, k);
    snprintf(in, sizeof in, "%s  ", indent);
    /* The AP host carries the cell's properties (and, with a shared server,
     * is the cell zone's gateway); it computes nothing, so its speed does
     * not matter. */
    fprintf(out, "%s<host id=\"%s\" speed=\"1f\">\n", indent, cell);
    write_prop(out, in, "role", "ap");
    write_prop(out, in, "x_m", fmt_num(a, ap_x_m));
    write_prop(out, in, "y_m", fmt_num(a, ap_y_m));
    write_prop(out, in, "radius_m", fmt_num(a, s->cell_radius_m));
    write_prop(out, in, "server", server);
    write_cell_radio(out, in, s);
    fprintf(out, "%s</host>\n", indent);
    if (!s->shared_server) {
        fprintf(out, "%s<host id=\"%s\" speed=\"%sf\" core=\"%d\">\n", indent, server,
                fmt_num(a, s->server_core_flops), s->server_cores);
        write_prop(out, in, "role", "server");
        fprintf(out, "%s</host>\n", indent);
    }
    fprintf(out,
            "%s<link id=\"%s_backhaul\" bandwidth=\"%sbps\" latency=\"%ss\" "
            "sharing_policy=\"SPLITDUPLEX\"/>\n",
            indent, cell, fmt_num(a, s->backhaul_bps), fmt_num(b, s->backhaul_latency_s));
    fprintf(out, "%s<host_link id=\"%s\" up=\"%s_backhaul_UP\" down=\"%s_backhaul_DOWN\"/>\n",
            indent, s->shared_server ? cell : server, cell, cell);
    fmt_num(a, INITIAL_WIRELESS_BPS);
    fmt_num(b, s->wireless_latency_s);
    for (int i = k; i < s->n_ue; i += s->n_cells) {
        write_ue_host(out, s, i, width, cls[i], indent, cell, ap_x_m, ap_y_m);
        indexed_name(c, "wl_ue", width, i);
        fprintf(out,
                "%s<link id=\"%s\" bandwidth=\"%sbps\" latency=\"%ss\" "
                "sharing_policy=\"SPLITDUPLEX\"/>\n",
                indent, c, a, b);
        fprintf(out, "%s<host_link id=\"%s\" up=\"%s_UP\" down=\"%s_DOWN\"/>\n", indent,
                indexed_name(name, "ue", width, i), c, c);
    }
}

/* The metro layouts (docs/platforms.md section 4.1). Cells are written in
 * index order; UE i lives in cell i mod K.
 *
 * One server per cell: a single Cluster zone (a star) holding every cell,
 * exactly the single cell's structure repeated: routing memory O(N), and
 * ue -> its server = <wl>_UP + <cell>_backhaul_DOWN. (Routes to another
 * cell's server exist in the star too; they mean nothing, and discovery
 * gives each UE its own server.)
 *
 * A shared server: the cell's backhaul must sit on the route between a UE's
 * wireless link and the core, which a star cannot express per cell, so each
 * cell is a Cluster zone of its own inside a Full zone (table (K + 1)^2,
 * which ET_MAX_CELLS keeps at a few MB), joined to the server's zone by
 * zoneRoutes through the core link. Loading then grows as N K: SimGrid 3.32
 * looks host and link names up depth first from the root zone, one map per
 * zone, for every host_link (measured: 10,000 UEs in 100 cells 0.7 s,
 * 20,000 in 400 cells 6.4 s). */
static void write_metro(FILE *out, const et_platform_spec *s, const int *cls)
{
    char a[40], b[40], cell[24];
    int cell_width = ue_name_width(s->n_cells);
    fprintf(out, "<platform version=\"4.1\">\n");
    if (!s->shared_server) {
        fprintf(out, "  <zone id=\"metro\" routing=\"Cluster\">\n");
        for (int k = 0; k < s->n_cells; k++)
            write_metro_cell(out, s, cls, k, "    ");
        fprintf(out, "  </zone>\n</platform>\n");
        return;
    }
    fprintf(out, "  <zone id=\"metro\" routing=\"Full\">\n");
    for (int k = 0; k < s->n_cells; k++) {
        /* Zone ids share SimGrid's name space with hosts, hence the suffix. */
        fprintf(out, "    <zone id=\"%s_zone\" routing=\"Cluster\">\n",
                indexed_name(cell, "cell", cell_width, k));
        write_metro_cell(out, s, cls, k, "      ");
        fprintf(out, "    </zone>\n");
    }
    /* A leaf zone of its own (a zone holds either zones or hosts), Full so
     * that the gateway is the server itself (a star would route the server
     * to itself through its own host_link). */
    fprintf(out, "    <zone id=\"edge\" routing=\"Full\">\n");
    fprintf(out, "      <host id=\"server\" speed=\"%sf\" core=\"%d\">\n",
            fmt_num(a, s->server_core_flops), s->server_cores);
    write_prop(out, "        ", "role", "server");
    fprintf(out, "      </host>\n");
    fprintf(out, "    </zone>\n");
    fprintf(out,
            "    <link id=\"core\" bandwidth=\"%sbps\" latency=\"%ss\" "
            "sharing_policy=\"SPLITDUPLEX\"/>\n",
            fmt_num(a, s->core_bps), fmt_num(b, s->core_latency_s));
    for (int k = 0; k < s->n_cells; k++) {
        indexed_name(cell, "cell", cell_width, k);
        fprintf(out,
                "    <zoneRoute src=\"%s_zone\" dst=\"edge\" gw_src=\"%s\" gw_dst=\"server\" "
                "symmetrical=\"NO\"><link_ctn id=\"core\" direction=\"DOWN\"/></zoneRoute>\n",
                cell, cell);
        fprintf(out,
                "    <zoneRoute src=\"edge\" dst=\"%s_zone\" gw_src=\"server\" gw_dst=\"%s\" "
                "symmetrical=\"NO\"><link_ctn id=\"core\" direction=\"UP\"/></zoneRoute>\n",
                cell, cell);
    }
    fprintf(out, "  </zone>\n</platform>\n");
}

/* Appends "v0,v1,..." to buf, each number at full precision. */
static void join_numbers(char *buf, size_t size, const double *v, int n, const char *unit)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && len < size; i++) {
        char num[40];
        len += (size_t)snprintf(buf + len, size - len, "%s%s%s", i ? "," : "", fmt_num(num, v[i]),
                                unit);
    }
}

static void write_wifi(FILE *out, const et_platform_spec *s, const int *cls)
{
    char a[40], b[40], c[40];
    double rates_bps[ET_WIFI_MAX_LEVELS], min_snr_db[ET_WIFI_MAX_LEVELS];
    int n_levels = et_channel_wifi_default_table(s->wifi_channel_hz / 1e6, rates_bps, min_snr_db,
                                                 ET_WIFI_MAX_LEVELS);
    /* 802.11ac rates at the 800 ns guard interval are whole bits/s
     * (6.5 Mb/s ... 390 Mb/s); rounding removes the floating-point residue
     * of subcarriers x bits x code rate / 4 us. */
    for (int i = 0; i < n_levels; i++)
        rates_bps[i] = round(rates_bps[i]);
    char rates[ET_WIFI_MAX_LEVELS * 40], rates_attr[ET_WIFI_MAX_LEVELS * 44];
    char snrs[ET_WIFI_MAX_LEVELS * 40];
    join_numbers(rates, sizeof rates, rates_bps, n_levels, "");
    join_numbers(rates_attr, sizeof rates_attr, rates_bps, n_levels, "bps");
    join_numbers(snrs, sizeof snrs, min_snr_db, n_levels, "");
    int width = ue_name_width(s->n_ue);

    fprintf(out, "<platform version=\"4.1\">\n");
    fprintf(out, "  <zone id=\"world\" routing=\"Full\">\n");
    fprintf(out, "    <zone id=\"cell\" routing=\"Wifi\">\n");
    write_prop(out, "      ", "access_point", "ap");
    for (int i = 0; i < s->n_ue; i++)
        write_ue_host(out, s, i, width, cls[i], "      ", NULL, 0.0, 0.0);
    /* SimGrid's Wifi zone takes exactly one WIFI link; its bandwidth list is
     * the rate per level (fastest first) and its latency must be 0. */
    fprintf(out,
            "      <link id=\"cell_air\" sharing_policy=\"WIFI\" bandwidth=\"%s\" "
            "latency=\"0s\"/>\n",
            rates_attr);
    fprintf(out, "      <router id=\"ap\"/>\n");
    fprintf(out, "    </zone>\n");
    fprintf(out, "    <zone id=\"mec\" routing=\"Full\">\n");
    fprintf(out, "      <host id=\"server\" speed=\"%sf\" core=\"%d\">\n",
            fmt_num(a, s->server_core_flops), s->server_cores);
    write_prop(out, "        ", "role", "server");
    write_prop(out, "        ", "wifi_link", "cell_air");
    write_prop(out, "        ", "wifi_rates_bps", rates);
    write_prop(out, "        ", "wifi_min_snr_db", snrs);
    write_cell_radio(out, "        ", s);
    if (s->scenario >= 0) write_prop(out, "        ", "radius_m", fmt_num(a, s->cell_radius_m));
    fprintf(out, "      </host>\n");
    fprintf(out, "    </zone>\n");
    /* The WIFI link must have zero latency, so the air-interface latency sits
     * on a FATPIPE link (no sharing) as fast as the backhaul, which therefore
     * never becomes the bottleneck. */
    fprintf(out,
            "    <link id=\"air_latency\" bandwidth=\"%sbps\" latency=\"%ss\" "
            "sharing_policy=\"FATPIPE\"/>\n",
            fmt_num(a, s->backhaul_bps), fmt_num(b, s->wireless_latency_s));
    fprintf(out,
            "    <link id=\"backhaul\" bandwidth=\"%sbps\" latency=\"%ss\" "
            "sharing_policy=\"SPLITDUPLEX\"/>\n",
            a, fmt_num(c, s->backhaul_latency_s));
    /* Same directions as the OFDMA layout: towards the server is
     * backhaul_DOWN, from it backhaul_UP. */
    fprintf(out, "    <zoneRoute src=\"cell\" dst=\"mec\" gw_src=\"ap\" gw_dst=\"server\" "
                 "symmetrical=\"NO\">\n"
                 "      <link_ctn id=\"air_latency\"/><link_ctn id=\"backhaul\" "
                 "direction=\"DOWN\"/>\n"
                 "    </zoneRoute>\n");
    fprintf(out, "    <zoneRoute src=\"mec\" dst=\"cell\" gw_src=\"server\" gw_dst=\"ap\" "
                 "symmetrical=\"NO\">\n"
                 "      <link_ctn id=\"backhaul\" direction=\"UP\"/><link_ctn "
                 "id=\"air_latency\"/>\n"
                 "    </zoneRoute>\n");
    fprintf(out, "  </zone>\n</platform>\n");
}

et_status et_platform_write(FILE *out, const et_platform_spec *spec, et_error *err)
{
    et_error_clear(err);
    if (!out || !spec)
        return et_error_set(err, ET_ERR_INTERNAL, "et_platform_write: NULL argument");
    et_status st = spec_check(spec, err);
    if (st != ET_OK) return st;
    int *cls = malloc((size_t)spec->n_ue * sizeof *cls);
    if (!cls)
        return et_error_set(err, ET_ERR_NOMEM, "platform spec: no memory for %d UEs", spec->n_ue);
    assign_classes(cls, spec->n_ue, spec->seed);
    write_header(out, spec);
    if (spec->access == ET_ACCESS_WIFI)
        write_wifi(out, spec, cls);
    else if (spec->n_cells > 0)
        write_metro(out, spec, cls);
    else if (spec->full_routing)
        write_ofdma_full(out, spec, cls);
    else
        write_ofdma(out, spec, cls);
    free(cls);
    if (fflush(out) != 0 || ferror(out))
        return et_error_set(err, ET_ERR_IO, "platform output: write failed: %s", strerror(errno));
    return ET_OK;
}
