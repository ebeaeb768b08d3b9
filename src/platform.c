/* platform.c: platform XML generation, safe loading and role discovery.
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
 * Loading checks what SimGrid 3.32 would abort on (it throws for most parse
 * errors, but xbt_asserts for missing profile files and undeclared host_link
 * links), then hands the file over through the exception-catching shim. */

/* M_PI is not strict C11; glibc exposes it under _DEFAULT_SOURCE. */
#define _DEFAULT_SOURCE

#include "platform.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <simgrid/host.h>
#include <simgrid/link.h>
#include <xbt/dynar.h>
#include <xbt/sysdep.h>

#include "rng.h"
#include "sgx_shim.h"

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
    /* NVIDIA A100: 312 TFLOP/s bf16 dense tensor peak, ~40% sustained in
     * transformer training -> 1.25e14 FLOP/s per accelerator, 4 per server. */
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
    REQUIRE(isfinite(s->cell_radius_m) && s->cell_radius_m > MIN_DISTANCE_M, "cell_radius_m",
            "a number > 10", s->cell_radius_m);
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

/* Initial position of UE i: uniform in the annulus [10 m, R] around its AP
 * at (ap_x_m, ap_y_m), from the UE's own stream (adding UEs never moves the
 * others), rounded to the millimetre so the XML stays short and exact. */
static void draw_position(const et_platform_spec *s, int i, double ap_x_m, double ap_y_m,
                          double *x_m, double *y_m)
{
    et_rng rng;
    et_rng_seed(&rng, s->seed, et_rng_stream_id(ET_RNG_PLATFORM, (uint64_t)i));
    double r0 = MIN_DISTANCE_M, r1 = s->cell_radius_m;
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
    fprintf(out, " -->\n");
}

static void write_prop(FILE *out, const char *indent, const char *id, const char *value)
{
    fprintf(out, "%s<prop id=\"%s\" value=\"%s\"/>\n", indent, id, value);
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

/* Same topology as write_ofdma in a Full zone with explicit routes, for
 * Paje tracing: SimGrid 3.32 creates no trace containers for links of a
 * Cluster zone and aborts when one of them changes bandwidth. One-way SHARED
 * links carry the names SimGrid gives SPLITDUPLEX halves, so discovery is
 * the same for both layouts. */
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

/* ------------------------------------------------------------------------- */
/* A small XML tag scanner, enough to pre-check what SimGrid aborts on.       */

typedef struct xml_attr {
    const char *name, *value; /* NUL-terminated copies inside the scan buffer */
} xml_attr;

#define XML_MAX_ATTRS 32

typedef struct xml_tag {
    const char *name;
    int line;
    int end;          /* 1: an end tag </name> (no attributes) */
    int self_closing; /* 1: <name ... /> */
    int n_attrs;
    xml_attr attrs[XML_MAX_ATTRS];
} xml_tag;

static const char *tag_attr(const xml_tag *t, const char *name)
{
    for (int i = 0; i < t->n_attrs; i++)
        if (strcmp(t->attrs[i].name, name) == 0) return t->attrs[i].value;
    return NULL;
}

/* Returns 0 to go on, anything else stops the scan and is returned. */
typedef int (*xml_tag_fn)(const xml_tag *tag, void *ctx);

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == ':' || c == '.';
}

/* Returns the position just past the first occurrence of close at or after
 * p (NULL if none), counting the newlines passed. A plain loop rather than
 * strstr: sanitizer interceptors measure the whole remaining buffer on every
 * call, which made a 10,000-UE scan quadratic (14 s instead of 0.05 s). */
static char *skip_past(char *p, const char *close, int *line)
{
    size_t n = strlen(close);
    for (; *p; p++) {
        if (*p == close[0] && strncmp(p, close, n) == 0) return p + n;
        if (*p == '\n') (*line)++;
    }
    return NULL;
}

/* Skips XML white space at *q, counting newlines. */
static void skip_space(char **q, int *line)
{
    while (**q == ' ' || **q == '\t' || **q == '\r' || **q == '\n')
        *line += *(*q)++ == '\n';
}

/* Calls fn on every start and end tag of text (modified in place: names and
 * values are NUL-terminated where they lie). Comments and the prolog are
 * skipped. Malformed input just ends the scan: reporting it is SimGrid's
 * job, with its own line numbers. Entities in values are left as written. */
static int xml_scan(char *text, xml_tag_fn fn, void *ctx)
{
    int line = 1;
    char *p = text;
    while (*p) {
        if (*p == '\n') line++;
        if (*p != '<') {
            p++;
            continue;
        }
        const char *close = NULL;
        if (strncmp(p, "<!--", 4) == 0)
            close = "-->";
        else if (p[1] == '?')
            close = "?>";
        else if (p[1] == '!')
            close = ">";
        if (close) {
            p = skip_past(p, close, &line);
            if (!p) return 0;
            continue;
        }
        if (p[1] == '/') {
            xml_tag end_tag = {.line = line, .end = 1};
            char *name_end = p + 2;
            while (is_name_char(*name_end))
                name_end++;
            end_tag.name = p + 2;
            p = skip_past(p, ">", &line);
            if (!p) return 0;
            *name_end = '\0'; /* at or before the '>' just passed */
            int rc = fn(&end_tag, ctx);
            if (rc) return rc;
            continue;
        }
        xml_tag tag = {.line = line, .n_attrs = 0};
        char *q = p + 1;
        tag.name = q;
        while (is_name_char(*q))
            q++;
        if (q == tag.name) return 0;
        for (;;) {
            char sep = *q;
            *q = '\0'; /* terminates the tag name or the previous value */
            if (sep == '\n') line++;
            q++;
            if (sep == '>' || (sep == '/' && *q == '>')) {
                tag.self_closing = sep == '/';
                break;
            }
            if (sep == ' ' || sep == '\t' || sep == '\r' || sep == '\n' || sep == '"' ||
                sep == '\'') {
                skip_space(&q, &line);
                if (*q == '>' || *q == '/') continue;
                char *name = q;
                while (is_name_char(*q))
                    q++;
                if (q == name) return 0;
                char *name_end = q;
                skip_space(&q, &line);
                if (*q != '=') return 0;
                q++;
                skip_space(&q, &line);
                char quote = *q;
                if (quote != '"' && quote != '\'') return 0;
                *name_end = '\0';
                char *value = ++q;
                while (*q && *q != quote)
                    line += *q++ == '\n';
                if (!*q) return 0;
                if (tag.n_attrs < XML_MAX_ATTRS) tag.attrs[tag.n_attrs++] = (xml_attr){name, value};
                continue; /* the closing quote is the next separator */
            }
            return 0;
        }
        /* The loop above stopped past '>' (or on '>' after '/'). */
        int rc = fn(&tag, ctx);
        if (rc) return rc;
        p = q;
    }
    return 0;
}

/* Reads path into a NUL-terminated heap buffer; NULL on failure (errno set). */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1) break;
        char *grown = realloc(buf, cap * 2);
        if (!grown) {
            free(buf);
            buf = NULL;
            errno = ENOMEM;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (buf && failed) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    if (buf) buf[len] = '\0';
    return buf;
}

/* ------------------------------------------------------------------------- */
/* Safe loading                                                               */

typedef struct link_ref {
    const char *host, *link;
    int line;
} link_ref;

typedef struct precheck {
    const char *path;
    char dir[4096]; /* directory of path, where SimGrid also looks for profiles */
    char **links;   /* link names as SimGrid registers them (SPLITDUPLEX: _UP, _DOWN) */
    size_t n_links, cap_links;
    link_ref *refs; /* host_link up/down references */
    size_t n_refs, cap_refs;
    int generated_links; /* cluster/cabinet/peer elements make links we cannot name */
    et_status status;
    et_error *err;
} precheck;

static int grow(void **array, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return 0;
    size_t n = *cap ? *cap * 2 : 256;
    while (n < need)
        n *= 2;
    void *p = realloc(*array, n * elem);
    if (!p) return -1;
    *array = p;
    *cap = n;
    return 0;
}

static int add_link_name(precheck *pc, const char *id, const char *suffix)
{
    if (grow((void **)&pc->links, &pc->cap_links, pc->n_links + 1, sizeof *pc->links)) return -1;
    size_t len = strlen(id) + strlen(suffix) + 1;
    char *name = malloc(len);
    if (!name) return -1;
    snprintf(name, len, "%s%s", id, suffix);
    pc->links[pc->n_links++] = name;
    return 0;
}

static int profile_exists(const precheck *pc, const char *file)
{
    /* SimGrid opens absolute names as given, relative ones from "./" and
     * then from the platform file's directory. */
    if (file[0] == '/') return access(file, R_OK) == 0;
    if (access(file, R_OK) == 0) return 1;
    char joined[8192];
    snprintf(joined, sizeof joined, "%s/%s", pc->dir, file);
    return access(joined, R_OK) == 0;
}

static int precheck_tag(const xml_tag *t, void *ctx)
{
    precheck *pc = ctx;
    if (t->end) return 0;
    const char *id = tag_attr(t, "id");
    for (int i = 0; i < t->n_attrs; i++) {
        const char *name = t->attrs[i].name;
        size_t len = strlen(name);
        int is_file =
            strcmp(name, "file") == 0 || (len > 5 && strcmp(name + len - 5, "_file") == 0);
        if (is_file && !profile_exists(pc, t->attrs[i].value)) {
            pc->status = et_error_set(
                pc->err, ET_ERR_INPUT, "%s:%d: %s '%s': %s '%s' not found (looked in ./ and %s/)",
                pc->path, t->line, t->name, id ? id : "?", name, t->attrs[i].value, pc->dir);
            return 1;
        }
    }
    if ((strcmp(t->name, "link") == 0 || strcmp(t->name, "backbone") == 0) && id) {
        const char *policy = tag_attr(t, "sharing_policy");
        int rc = policy && strcmp(policy, "SPLITDUPLEX") == 0
                     ? add_link_name(pc, id, "_UP") || add_link_name(pc, id, "_DOWN")
                     : add_link_name(pc, id, "");
        if (rc) {
            pc->status =
                et_error_set(pc->err, ET_ERR_NOMEM, "%s: no memory for the link list", pc->path);
            return 1;
        }
    } else if (strcmp(t->name, "host_link") == 0) {
        const char *which[2] = {tag_attr(t, "up"), tag_attr(t, "down")};
        for (int k = 0; k < 2; k++) {
            if (!which[k]) continue; /* SimGrid reports missing attributes itself */
            if (grow((void **)&pc->refs, &pc->cap_refs, pc->n_refs + 1, sizeof *pc->refs)) {
                pc->status = et_error_set(pc->err, ET_ERR_NOMEM, "%s: no memory for the link list",
                                          pc->path);
                return 1;
            }
            pc->refs[pc->n_refs++] = (link_ref){id ? id : "?", which[k], t->line};
        }
    } else if (strcmp(t->name, "cluster") == 0 || strcmp(t->name, "cabinet") == 0 ||
               strcmp(t->name, "peer") == 0) {
        pc->generated_links = 1;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* SimGrid's host_link resolves its links when the zone is sealed, with an
 * xbt_assert ("Link 'x' not found!") that aborts the process. */
static et_status check_host_links(precheck *pc)
{
    if (pc->generated_links) return ET_OK;
    if (pc->n_links) qsort(pc->links, pc->n_links, sizeof *pc->links, cmp_str);
    for (size_t i = 0; i < pc->n_refs; i++) {
        const char *key = pc->refs[i].link;
        if (pc->n_links && bsearch(&key, pc->links, pc->n_links, sizeof *pc->links, cmp_str))
            continue;
        return et_error_set(pc->err, ET_ERR_INPUT,
                            "%s:%d: host_link '%s': link '%s' is not declared (a SPLITDUPLEX "
                            "link <id> is named <id>_UP and <id>_DOWN)",
                            pc->path, pc->refs[i].line, pc->refs[i].host, key);
    }
    return ET_OK;
}

static void precheck_free(precheck *pc)
{
    for (size_t i = 0; i < pc->n_links; i++)
        free(pc->links[i]);
    free(pc->links);
    free(pc->refs);
}

/* Turns SimGrid's exception text into "<path>:<line>: <reason>" on one line.
 * Parse errors read "Parse error at <file>:<line>: [Invalid XML (XML input
 * line <n>, state <s>): ]<reason>"; others carry no line. */
static void describe_load_failure(et_error *err, const char *path, char *what)
{
    for (char *c = what; *c; c++)
        if (*c == '\n' || *c == '\r') *c = ' ';
    const char *prefix = "Parse error at ";
    size_t plen = strlen(prefix);
    if (strncmp(what, prefix, plen) == 0) {
        /* The file name may contain ':'; the line is the first ":<digits>: "
         * after it. */
        const char *rest = what + plen;
        if (strncmp(rest, path, strlen(path)) == 0) rest += strlen(path);
        for (const char *c = strchr(rest, ':'); c; c = strchr(c + 1, ':')) {
            char *end;
            long line = strtol(c + 1, &end, 10);
            if (end == c + 1 || strncmp(end, ": ", 2) != 0) continue;
            const char *reason = end + 2;
            int skip = 0;
            int xml_line, state;
            if (sscanf(reason, "Invalid XML (XML input line %d, state %d): %n", &xml_line, &state,
                       &skip) == 2 &&
                skip > 0)
                reason += skip;
            et_error_set(err, ET_ERR_INPUT, "%s:%ld: %s", path, line, reason);
            return;
        }
    }
    et_error_set(err, ET_ERR_INPUT, "%s: %s", path, what);
}

et_status et_platform_load(const char *path, et_error *err)
{
    et_error_clear(err);
    if (!path) return et_error_set(err, ET_ERR_INTERNAL, "et_platform_load: NULL path");
    if (sg_host_count() > 0)
        return et_error_set(err, ET_ERR_INTERNAL,
                            "%s: a platform is already loaded (SimGrid loads one per process)",
                            path);
    char *text = read_file(path);
    if (!text)
        return et_error_set(err, ET_ERR_INPUT, "%s: cannot read platform file: %s", path,
                            strerror(errno));

    precheck pc = {.path = path, .err = err};
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(pc.dir, sizeof pc.dir, "%.*s", (int)(slash - path == 0 ? 1 : slash - path), path);
    else
        snprintf(pc.dir, sizeof pc.dir, ".");
    et_status st = xml_scan(text, precheck_tag, &pc) ? pc.status : check_host_links(&pc);
    precheck_free(&pc);
    free(text);
    if (st != ET_OK) return st;

    char what[1024];
    if (sgx_load_platform(path, what, sizeof what) != 0) {
        describe_load_failure(err, path, what);
        return ET_ERR_INPUT;
    }
    return ET_OK;
}

/* ------------------------------------------------------------------------- */
/* Discovery                                                                  */

static int cmp_host_name(const void *a, const void *b)
{
    return strcmp(sg_host_get_name(*(const sg_host_t *)a), sg_host_get_name(*(const sg_host_t *)b));
}

/* Parses a whole string as a finite double. */
static int parse_double(const char *s, double *out)
{
    if (!s || !*s) return 0;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(v)) return 0;
    *out = v;
    return 1;
}

/* Reads a numeric host property that must be > min (or >= min when
 * min_inclusive); without bounds when min is -INFINITY. */
static et_status host_number(const char *path, sg_host_t host, const char *prop, double min,
                             int min_inclusive, double *out, et_error *err)
{
    const char *value = sg_host_get_property_value(host, prop);
    const char *expect = isinf(min) ? "a number" : min_inclusive ? "a number >=" : "a number >";
    char bound[40] = "";
    if (!isinf(min)) snprintf(bound, sizeof bound, " %g", min);
    if (!value)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property '%s' is missing (expected %s%s)", path,
                            sg_host_get_name(host), prop, expect, bound);
    double v;
    if (!parse_double(value, &v) || (!isinf(min) && (min_inclusive ? v < min : v <= min)))
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property '%s': expected %s%s, got '%s'", path,
                            sg_host_get_name(host), prop, expect, bound, value);
    *out = v;
    return ET_OK;
}

/* Parses "v0,v1,..." into out (at most max values); returns the count or -1. */
static int parse_list(const char *s, double *out, int max)
{
    if (!s || !*s) return -1;
    int n = 0;
    char item[64];
    for (const char *p = s;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == 0 || len >= sizeof item || n == max) return -1;
        memcpy(item, p, len);
        item[len] = '\0';
        if (!parse_double(item, &out[n++])) return -1;
        if (!comma) return n;
        p = comma + 1;
    }
}

/* Parses one SimGrid bandwidth ("390000000bps", "54Mbps", "1GBps") into
 * bits/s; 0 when the unit is not one of the usual ones. */
static double parse_bandwidth_bps(const char *s)
{
    static const struct {
        const char *unit;
        double bps;
    } units[] = {{"bps", 1},
                 {"kbps", 1e3},
                 {"Mbps", 1e6},
                 {"Gbps", 1e9},
                 {"Tbps", 1e12},
                 {"Bps", 8},
                 {"kBps", 8e3},
                 {"MBps", 8e6},
                 {"GBps", 8e9},
                 {"TBps", 8e12},
                 {"Kibps", 1024.0},
                 {"Mibps", 1048576.0},
                 {"Gibps", 1073741824.0},
                 {"KiBps", 8192.0},
                 {"MiBps", 8388608.0},
                 {"GiBps", 8589934592.0}};
    char *end;
    double v = strtod(s, &end);
    if (end == s) return 0;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(end, units[i].unit) == 0) return v * units[i].bps;
    return 0;
}

typedef struct wifi_link_scan {
    const char *id;
    int found;
    char policy[32];
    int n_rates;
    double rates_bps[ET_WIFI_MAX_LEVELS + 1];
} wifi_link_scan;

static int find_wifi_link(const xml_tag *t, void *ctx)
{
    wifi_link_scan *w = ctx;
    if (t->end) return 0;
    const char *id = tag_attr(t, "id");
    if (strcmp(t->name, "link") != 0 || !id || strcmp(id, w->id) != 0) return 0;
    w->found = 1;
    const char *policy = tag_attr(t, "sharing_policy");
    snprintf(w->policy, sizeof w->policy, "%s", policy ? policy : "SHARED");
    const char *bw = tag_attr(t, "bandwidth");
    w->n_rates = 0;
    char item[64];
    for (const char *p = bw; p && w->n_rates <= ET_WIFI_MAX_LEVELS;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        snprintf(item, sizeof item, "%.*s", (int)len, p);
        w->rates_bps[w->n_rates++] = parse_bandwidth_bps(item);
        p = comma ? comma + 1 : NULL;
    }
    return 1;
}

/* What SimGrid 3.32 cannot be asked about a platform's zones of zones,
 * read from the XML on first use (the C API cannot list a zone's routes),
 * as sorted keys:
 *   "E|<zone>"  a Full, Floyd or Dijkstra zone that declares no route at
 *               all: it has no routing table, and reading it segfaults;
 *   "D|<zone>"  a Dijkstra zone: asking it for a route between two of its
 *               sub-zones aborts (xbt_die "dynar is not that long", measured
 *               with a direct zoneRoute between the two). */
typedef struct zone_routes {
    const char *path;
    int scanned;
    char **keys; /* sorted, owned */
    size_t n, cap;
    struct {
        const char *id;
        int routed, has_routes;
    } open[64]; /* the zones enclosing the tag being scanned */
    int depth;
    int nomem;
} zone_routes;

/* Adds "<kind>|<zone>" to z->keys; 0, or -1 out of memory. */
static int add_zone_key(zone_routes *z, char kind, const char *zone)
{
    size_t len = strlen(zone) + 3;
    char *key = grow((void **)&z->keys, &z->cap, z->n + 1, sizeof *z->keys) ? NULL : malloc(len);
    if (!key) return z->nomem = -1;
    snprintf(key, len, "%c|%s", kind, zone);
    z->keys[z->n++] = key;
    return 0;
}

static int scan_zone_routes(const xml_tag *t, void *ctx)
{
    zone_routes *z = ctx;
    int is_zone = strcmp(t->name, "zone") == 0 || strcmp(t->name, "AS") == 0;
    if (is_zone && t->end) {
        if (z->depth <= 0) return 0;
        z->depth--;
        if (z->depth < 64 && z->open[z->depth].routed && !z->open[z->depth].has_routes)
            return add_zone_key(z, 'E', z->open[z->depth].id) ? 1 : 0;
    } else if (is_zone && !t->self_closing) {
        if (z->depth < 64) {
            const char *id = tag_attr(t, "id"), *routing = tag_attr(t, "routing");
            int dijkstra = routing && strncmp(routing, "Dijkstra", 8) == 0;
            z->open[z->depth].id = id ? id : "";
            z->open[z->depth].routed =
                dijkstra ||
                (routing && (strcmp(routing, "Full") == 0 || strcmp(routing, "Floyd") == 0));
            z->open[z->depth].has_routes = 0;
            if (dijkstra && add_zone_key(z, 'D', z->open[z->depth].id)) return 1;
        }
        z->depth++;
    } else if (!t->end && z->depth > 0 && z->depth <= 64 &&
               (strcmp(t->name, "route") == 0 || strcmp(t->name, "zoneRoute") == 0 ||
                strcmp(t->name, "ASroute") == 0)) {
        z->open[z->depth - 1].has_routes = 1;
    }
    return 0;
}

static int has_zone_key(const zone_routes *z, char kind, const char *zone)
{
    char key[1024];
    snprintf(key, sizeof key, "%c|%s", kind, zone);
    const char *k = key;
    return z->n && bsearch(&k, z->keys, z->n, sizeof *z->keys, cmp_str) != NULL;
}

/* sgx_zone_route_askable_fn over a zone_routes. A file that cannot be
 * re-read (it was read at load) counts as askable everywhere. */
static int zone_route_askable(void *ctx, const char *zone, const char *src, const char *dst,
                              char *why, size_t why_size)
{
    zone_routes *z = ctx;
    if (!z->scanned) {
        z->scanned = 1;
        char *text = read_file(z->path);
        if (!text) return 1;
        xml_scan(text, scan_zone_routes, z);
        free(text);
        if (z->n) qsort(z->keys, z->n, sizeof *z->keys, cmp_str);
    }
    if (z->nomem) return 1;
    if (has_zone_key(z, 'E', zone)) {
        snprintf(why, why_size,
                 "zone '%s' declares no route at all, so none from zone '%s' to '%s'", zone, src,
                 dst);
        return 0;
    }
    if (has_zone_key(z, 'D', zone)) {
        snprintf(why, why_size,
                 "zone '%s' is a Dijkstra zone, whose routes between its zones ('%s' to '%s') "
                 "SimGrid 3.32 cannot compute; use routing=\"Full\"",
                 zone, src, dst);
        return 0;
    }
    return 1;
}

static void zone_routes_free(zone_routes *z)
{
    for (size_t i = 0; i < z->n; i++)
        free(z->keys[i]);
    free(z->keys);
}

/* First and last link of the route from -> to (NULL when empty); ue is
 * whichever end is the UE, named first in errors. A missing route is
 * ET_ERR_INPUT naming the platform file, the UE and its server: SimGrid
 * throws for it, which would abort a C caller. */
static et_status route_ends(const char *path, zone_routes *zones, xbt_dynar_t links, sg_host_t from,
                            sg_host_t to, sg_host_t ue, sg_link_t *first, sg_link_t *last,
                            et_error *err)
{
    char why[512];
    xbt_dynar_reset(links);
    if (sgx_host_get_route(from, to, links, zone_route_askable, zones, why, sizeof why) != 0) {
        for (char *c = why; *c; c++)
            if (*c == '\n' || *c == '\r') *c = ' ';
        return et_error_set(err, ET_ERR_INPUT, "%s: host '%s': no route %s its server '%s' (%s)",
                            path, sg_host_get_name(ue), from == ue ? "to" : "from",
                            sg_host_get_name(from == ue ? to : from), why);
    }
    unsigned long n = xbt_dynar_length(links);
    *first = n ? xbt_dynar_get_as(links, 0, sg_link_t) : NULL;
    *last = n ? xbt_dynar_get_as(links, n - 1, sg_link_t) : NULL;
    return ET_OK;
}

static et_status discover_server_wifi(et_topology *topo, const char *path, et_error *err)
{
    sg_host_t server = topo->server;
    const char *sname = topo->server_name;
    const char *link_name = sg_host_get_property_value(server, "wifi_link");
    topo->wifi_link = sgx_link_by_name_or_null(link_name);
    if (!topo->wifi_link)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'wifi_link': link '%s' not "
                            "found",
                            path, sname, link_name);
    const char *rates = sg_host_get_property_value(server, "wifi_rates_bps");
    int n = parse_list(rates, topo->wifi_rate_bps, ET_WIFI_MAX_LEVELS);
    int ok = n >= 1;
    for (int i = 0; ok && i < n; i++)
        ok = topo->wifi_rate_bps[i] > 0 &&
             (i == 0 || topo->wifi_rate_bps[i] < topo->wifi_rate_bps[i - 1]);
    if (!ok)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'wifi_rates_bps': expected 1 to %d "
                            "comma-separated rates > 0, fastest first, got '%s'",
                            path, sname, ET_WIFI_MAX_LEVELS, rates ? rates : "(missing)");
    const char *snrs = sg_host_get_property_value(server, "wifi_min_snr_db");
    int m = parse_list(snrs, topo->wifi_min_snr_db, ET_WIFI_MAX_LEVELS);
    if (m != n)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'wifi_min_snr_db': expected %d "
                            "comma-separated numbers (one per rate level), got '%s'",
                            path, sname, n, snrs ? snrs : "(missing)");
    topo->n_wifi_levels = n;

    /* SimGrid's C API cannot tell a WIFI link (set_host_wifi_rate xbt_asserts
     * on any other) nor list its levels, so read them back from the XML. */
    char *text = read_file(path);
    if (!text)
        return et_error_set(err, ET_ERR_INPUT, "%s: cannot read platform file: %s", path,
                            strerror(errno));
    wifi_link_scan w = {.id = link_name};
    xml_scan(text, find_wifi_link, &w);
    free(text);
    if (!w.found || strcmp(w.policy, "WIFI") != 0)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'wifi_link': link '%s' must be declared with "
                            "sharing_policy=\"WIFI\"%s%s",
                            path, sname, link_name, w.found ? ", got " : "",
                            w.found ? w.policy : "");
    int same = w.n_rates == n;
    for (int i = 0; same && i < n; i++)
        same = w.rates_bps[i] == 0 || /* unit we do not parse: count only */
               fabs(w.rates_bps[i] - topo->wifi_rate_bps[i]) <= 1e-9 * topo->wifi_rate_bps[i];
    if (!same)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'wifi_rates_bps': '%s' does not match the "
                            "bandwidth list of link '%s' (%d levels)",
                            path, sname, rates, link_name, w.n_rates);
    return ET_OK;
}

/* bsearch comparators: a name against a sorted array of servers / cells. */
static int cmp_server_name(const void *key, const void *elem)
{
    return strcmp(key, ((const et_server_host *)elem)->name);
}

static int cmp_cell_name(const void *key, const void *elem)
{
    return strcmp(key, ((const et_cell *)elem)->name);
}

/* What a name that should be a host with role=want is instead. */
static const char *what_host_is(const char *name, char *buf, size_t size)
{
    sg_host_t h = name ? sg_host_by_name(name) : NULL;
    const char *role = h ? sg_host_get_property_value(h, "role") : NULL;
    if (!h)
        snprintf(buf, size, "no host has that name");
    else
        snprintf(buf, size, "host '%s' has role=%s", name, role ? role : "(none)");
    return buf;
}

/* One role=ap host: position, optional radius, and its server. */
static et_status discover_cell(et_topology *topo, et_cell *cell, const char *path, et_error *err)
{
    sg_host_t h = cell->ap;
    et_status st;
    if ((st = host_number(path, h, "x_m", -INFINITY, 0, &cell->x_m, err)) ||
        (st = host_number(path, h, "y_m", -INFINITY, 0, &cell->y_m, err)))
        return st;
    cell->radius_m = 0.0;
    if (sg_host_get_property_value(h, "radius_m") &&
        (st = host_number(path, h, "radius_m", 0, 0, &cell->radius_m, err)))
        return st;
    const char *server = sg_host_get_property_value(h, "server");
    if (!server || !*server)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'server' is missing (expected the name of "
                            "the cell's edge server, a host with role=server)",
                            path, cell->name);
    const et_server_host *found = bsearch(server, topo->servers, (size_t)topo->n_servers,
                                          sizeof *topo->servers, cmp_server_name);
    if (!found) {
        char why[256];
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'server': expected the name of a host with "
                            "role=server, got '%s' (%s)",
                            path, cell->name, server, what_host_is(server, why, sizeof why));
    }
    cell->server = (int)(found - topo->servers);
    return ET_OK;
}

static et_status discover_ue(et_topology *topo, et_ue_host *ue, int has_aps, const char *path,
                             zone_routes *zones, xbt_dynar_t route, et_error *err)
{
    sg_host_t h = ue->host;
    const char *name = ue->name;
    const char *cls = sg_host_get_property_value(h, "class");
    if (!cls || !*cls || strlen(cls) >= sizeof ue->device_class)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'class': expected a name of 1 to %zu "
                            "characters (phone, tablet, laptop, jetson, ...), got '%s'",
                            path, name, sizeof ue->device_class - 1, cls ? cls : "(missing)");
    snprintf(ue->device_class, sizeof ue->device_class, "%s", cls);
    ue->speed_flops = sg_host_get_speed(h);
    et_status st;
    if ((st = host_number(path, h, "memory_bytes", 0, 0, &ue->memory_bytes, err)) ||
        (st = host_number(path, h, "x_m", -INFINITY, 0, &ue->x0_m, err)) ||
        (st = host_number(path, h, "y_m", -INFINITY, 0, &ue->y0_m, err)) ||
        (st = host_number(path, h, "bandwidth_up_hz", 0, 0, &ue->radio.bandwidth_up_hz, err)) ||
        (st = host_number(path, h, "bandwidth_down_hz", 0, 0, &ue->radio.bandwidth_down_hz, err)))
        return st;
    ue->radio.tx_power_dbm = 0.0; /* set by the caller from the scenario */

    /* The UE's cell, then its server. */
    const char *cell = sg_host_get_property_value(h, "cell");
    ue->cell = 0;
    if (has_aps) {
        if (!cell || !*cell)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: host '%s': property 'cell' is missing (expected the name of "
                                "the UE's access point, a host with role=ap)",
                                path, name);
        const et_cell *found =
            bsearch(cell, topo->cells, (size_t)topo->n_cells, sizeof *topo->cells, cmp_cell_name);
        if (!found) {
            char why[256];
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: host '%s': property 'cell': expected the name of a host with "
                                "role=ap, got '%s' (%s)",
                                path, name, cell, what_host_is(cell, why, sizeof why));
        }
        ue->cell = (int)(found - topo->cells);
    } else if (cell) {
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'cell' = '%s', but no host has role=ap (a "
                            "single-cell platform has no cell property; a multi-cell one declares "
                            "its access points)",
                            path, name, cell);
    }
    const et_cell *c = &topo->cells[ue->cell];
    ue->server = c->server;
    /* A UE outside its cell's disc is most likely a position written
     * relative to its AP instead of in the platform's frame. */
    double d_m = hypot(ue->x0_m - c->x_m, ue->y0_m - c->y_m);
    if (c->radius_m > 0.0 && d_m > c->radius_m * (1.0 + 1e-9) + 1e-6)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': position (%g, %g) is %g m from its access point '%s' "
                            "at (%g, %g), beyond the cell's radius_m %g (x_m, y_m are in the "
                            "platform's frame, not relative to the AP)",
                            path, name, ue->x0_m, ue->y0_m, d_m, c->name, c->x_m, c->y_m,
                            c->radius_m);

    const et_server_host *server = &topo->servers[ue->server];
    sg_link_t first, last;
    if (topo->access == ET_ACCESS_WIFI) {
        if ((st = route_ends(path, zones, route, h, server->host, h, &first, &last, err)))
            return st;
        if (first != topo->wifi_link)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: host '%s': route to '%s' does not start with WIFI link '%s' "
                                "(is the host inside the Wi-Fi zone?)",
                                path, name, server->name, sg_link_get_name(topo->wifi_link));
        return ET_OK;
    }

    const char *link = sg_host_get_property_value(h, "link");
    if (!link || !*link)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'link' is missing (expected the id of the "
                            "UE's SPLITDUPLEX wireless link)",
                            path, name);
    /* The channel rewrites <link>_UP and <link>_DOWN: they must be the
     * links on the UE's routes, or the UE would keep its XML rate forever.
     * They are taken from the routes and checked by name: a lookup by name
     * searches every zone in SimGrid 3.32, which made discovering a
     * multi-zone platform grow as N K. */
    char up[512], down[512];
    snprintf(up, sizeof up, "%s_UP", link);
    snprintf(down, sizeof down, "%s_DOWN", link);
    if ((st = route_ends(path, zones, route, h, server->host, h, &first, &last, err))) return st;
    ue->link_up = first && strcmp(sg_link_get_name(first), up) == 0 ? first : NULL;
    if ((st = route_ends(path, zones, route, server->host, h, h, &first, &last, err))) return st;
    ue->link_down = last && strcmp(sg_link_get_name(last), down) == 0 ? last : NULL;
    if (ue->link_up && ue->link_down) return ET_OK;
    /* Off the route: say whether the link exists at all. */
    const char *missing = !sgx_link_by_name_or_null(up)     ? up
                          : !sgx_link_by_name_or_null(down) ? down
                                                            : NULL;
    if (missing)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': link '%s' not found (property 'link' = '%s' must name "
                            "a SPLITDUPLEX link)",
                            path, name, missing, link);
    if (!ue->link_up)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': route to '%s' does not start with link '%s' "
                            "(property 'link' must name the host_link)",
                            path, name, server->name, up);
    return et_error_set(err, ET_ERR_INPUT,
                        "%s: host '%s': route from '%s' does not end with link '%s' "
                        "(property 'link' must name the host_link)",
                        path, name, server->name, down);
}

/* Sorts the name-ordered hosts into servers, APs and UEs (each keeps name
 * order) and checks the role counts. */
typedef struct role_lists {
    sg_host_t *servers, *aps, *ues;
    size_t n_servers, n_aps, n_ues;
} role_lists;

static et_status sort_roles(const char *path, sg_host_t *hosts, size_t n_hosts, role_lists *r,
                            et_error *err)
{
    for (size_t i = 0; i < n_hosts; i++) {
        const char *role = sg_host_get_property_value(hosts[i], "role");
        if (!role) continue;
        if (strcmp(role, "server") == 0)
            r->servers[r->n_servers++] = hosts[i];
        else if (strcmp(role, "ue") == 0)
            r->ues[r->n_ues++] = hosts[i];
        else if (strcmp(role, "ap") == 0)
            r->aps[r->n_aps++] = hosts[i];
        else
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: host '%s': property 'role': expected 'server', 'ue' or 'ap', "
                                "got '%s'",
                                path, sg_host_get_name(hosts[i]), role);
    }
    if (r->n_servers == 0)
        return et_error_set(err, ET_ERR_INPUT, "%s: no host has property role=server (expected %s)",
                            path, r->n_aps ? "at least one" : "exactly one");
    /* Several servers only make sense when cells say which one serves whom. */
    if (r->n_servers > 1 && r->n_aps == 0)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: hosts '%s' and '%s' both have role=server (expected exactly one, "
                            "or one per cell named by role=ap hosts)",
                            path, sg_host_get_name(r->servers[0]), sg_host_get_name(r->servers[1]));
    if (r->n_ues == 0)
        return et_error_set(err, ET_ERR_INPUT, "%s: no host has property role=ue", path);
    return ET_OK;
}

et_status et_topology_discover(et_topology *topo, const char *path, int n_ue_wanted, et_error *err)
{
    et_error_clear(err);
    if (!topo) return et_error_set(err, ET_ERR_INTERNAL, "et_topology_discover: NULL topology");
    memset(topo, 0, sizeof *topo);
    if (!path) path = "(platform)";
    if (n_ue_wanted < 0)
        return et_error_set(err, ET_ERR_INPUT, "%s: number of UEs: expected >= 0, got %d", path,
                            n_ue_wanted);

    /* SimGrid lists hosts in hash order; sort by name for determinism. */
    size_t n_hosts = sg_host_count();
    sg_host_t *hosts = sg_host_list();
    if (!hosts && n_hosts) return et_error_set(err, ET_ERR_NOMEM, "%s: no memory", path);
    qsort(hosts, n_hosts, sizeof *hosts, cmp_host_name);
    role_lists r = {0};
    size_t list_size = (n_hosts ? n_hosts : 1) * sizeof *hosts;
    r.servers = malloc(list_size);
    r.aps = malloc(list_size);
    r.ues = malloc(list_size);
    et_status st = r.servers && r.aps && r.ues
                       ? sort_roles(path, hosts, n_hosts, &r, err)
                       : et_error_set(err, ET_ERR_NOMEM, "%s: no memory", path);
    xbt_free(hosts);
    if (st == ET_OK && n_ue_wanted > 0 && (size_t)n_ue_wanted > r.n_ues)
        st = et_error_set(err, ET_ERR_INPUT,
                          "%s: %d UEs requested, but the platform has only %zu hosts with role=ue",
                          path, n_ue_wanted, r.n_ues);

    /* Servers, in name order; servers[0] is also the single-server view. */
    if (st == ET_OK) {
        topo->n_servers = (int)r.n_servers;
        topo->servers = calloc(r.n_servers, sizeof *topo->servers);
        if (!topo->servers) st = et_error_set(err, ET_ERR_NOMEM, "%s: no memory", path);
    }
    for (int i = 0; st == ET_OK && i < topo->n_servers; i++) {
        et_server_host *sv = &topo->servers[i];
        sv->host = r.servers[i];
        sv->name = sg_host_get_name(sv->host);
        sv->cores = sg_host_core_count(sv->host);
        sv->core_flops = sg_host_get_speed(sv->host);
    }
    if (st == ET_OK) {
        topo->server = topo->servers[0].host;
        topo->server_name = topo->servers[0].name;
        topo->server_cores = topo->servers[0].cores;
        topo->server_core_flops = topo->servers[0].core_flops;
        topo->access = sg_host_get_property_value(topo->server, "wifi_link") ? ET_ACCESS_WIFI
                                                                             : ET_ACCESS_OFDMA;
        if (topo->access == ET_ACCESS_WIFI && r.n_aps > 0)
            st = et_error_set(err, ET_ERR_INPUT,
                              "%s: host '%s': role=ap (cells) is not supported with the Wi-Fi "
                              "access model (host '%s' has property 'wifi_link')",
                              path, sg_host_get_name(r.aps[0]), topo->server_name);
    }
    if (st == ET_OK && topo->access == ET_ACCESS_WIFI) st = discover_server_wifi(topo, path, err);

    /* Cells: one per AP host, or the implicit one at the origin. */
    if (st == ET_OK) {
        topo->n_cells = r.n_aps ? (int)r.n_aps : 1;
        topo->cells = calloc((size_t)topo->n_cells, sizeof *topo->cells);
        topo->aps = calloc((size_t)topo->n_cells, sizeof *topo->aps);
        if (!topo->cells || !topo->aps) st = et_error_set(err, ET_ERR_NOMEM, "%s: no memory", path);
    }
    if (st == ET_OK && r.n_aps == 0) topo->cells[0] = (et_cell){.name = "cell"};
    for (int c = 0; st == ET_OK && c < (int)r.n_aps; c++) {
        topo->cells[c].ap = r.aps[c];
        topo->cells[c].name = sg_host_get_name(r.aps[c]);
        st = discover_cell(topo, &topo->cells[c], path, err);
        topo->aps[c] = (et_channel_ap){topo->cells[c].x_m, topo->cells[c].y_m};
    }

    topo->n_ue = n_ue_wanted > 0 ? n_ue_wanted : (int)r.n_ues;
    if (st == ET_OK) {
        topo->ues = calloc((size_t)topo->n_ue, sizeof *topo->ues);
        if (!topo->ues)
            st = et_error_set(err, ET_ERR_NOMEM, "%s: no memory for %d UEs", path, topo->n_ue);
    }
    xbt_dynar_t route = xbt_dynar_new(sizeof(sg_link_t), NULL);
    zone_routes zones = {.path = path};
    for (int i = 0; st == ET_OK && i < topo->n_ue; i++) {
        et_ue_host *ue = &topo->ues[i];
        ue->host = r.ues[i];
        ue->name = sg_host_get_name(r.ues[i]);
        st = discover_ue(topo, ue, r.n_aps > 0, path, &zones, route, err);
        if (st == ET_OK) {
            topo->cells[ue->cell].n_ue++;
            topo->servers[ue->server].n_ue++;
        }
    }
    xbt_dynar_free(&route);
    zone_routes_free(&zones);
    free(r.servers);
    free(r.aps);
    free(r.ues);
    if (st != ET_OK) {
        et_topology_destroy(topo);
        return st;
    }
    /* SimGrid aborts a comm from a station that was never given a rate. */
    if (topo->access == ET_ACCESS_WIFI)
        for (int i = 0; i < topo->n_ue; i++)
            sgx_link_set_host_wifi_rate(topo->wifi_link, topo->ues[i].host, 0);
    return ET_OK;
}

void et_topology_destroy(et_topology *topo)
{
    if (!topo) return;
    free(topo->ues);
    free(topo->servers);
    free(topo->cells);
    free(topo->aps);
    memset(topo, 0, sizeof *topo);
}

void et_platform_set_wifi_level(const et_topology *topo, int ue, int level)
{
    if (!topo || topo->access != ET_ACCESS_WIFI || !topo->wifi_link || ue < 0 || ue >= topo->n_ue)
        return;
    if (level < 0) level = 0;
    if (level > topo->n_wifi_levels - 1) level = topo->n_wifi_levels - 1;
    sgx_link_set_host_wifi_rate(topo->wifi_link, topo->ues[ue].host, level);
}
