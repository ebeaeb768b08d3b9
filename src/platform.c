/* platform.c: platform XML generation, safe loading and role discovery.
 *
 * Layouts written by et_platform_write (docs/platforms.md has the pictures):
 *   OFDMA: one routing="Cluster" zone (a star: O(N) routing memory, where a
 *          Full zone would hold an N x N table). The server's host_link is a
 *          SPLITDUPLEX backhaul, each UE's host_link a SPLITDUPLEX wireless
 *          link, so ue -> server = <wl>_UP + backhaul_DOWN and
 *          server -> ue = backhaul_UP + <wl>_DOWN: up and down never share a
 *          resource, like separate OFDMA resource blocks.
 *   Wi-Fi: a routing="Full" world zone holding a routing="Wifi" cell (UE hosts,
 *          the AP router, one WIFI link) and an edge zone with the server,
 *          joined by zoneRoutes over an air-latency link and the backhaul.
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
    spec->server_core_flops = 1.25e14;
    spec->server_cores = 4;
    /* MEC backhaul: 1-10 Gb/s, 1-5 ms (docs/platforms.md). */
    spec->backhaul_bps = 10e9;
    spec->backhaul_latency_s = 0.002;
    spec->wireless_latency_s = 0.005;
    /* One 20 MHz 3GPP carrier's worth of resource blocks each way per UE. */
    spec->bandwidth_up_hz = 20e6;
    spec->bandwidth_down_hz = 20e6;
    /* 80 MHz is the usual 802.11ac channel in the 5 GHz band. */
    spec->wifi_channel_hz = 80e6;
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

/* Initial position of UE i: uniform in the annulus [10 m, R] around the AP,
 * from the UE's own stream (adding UEs never moves the others), rounded to
 * the millimetre so the XML stays short and exact. */
static void draw_position(const et_platform_spec *s, int i, double *x_m, double *y_m)
{
    et_rng rng;
    et_rng_seed(&rng, s->seed, et_rng_stream_id(ET_RNG_PLATFORM, (uint64_t)i));
    double r0 = MIN_DISTANCE_M, r1 = s->cell_radius_m;
    /* Area-uniform: the radius CDF in an annulus is (r^2 - r0^2) / (r1^2 - r0^2). */
    double r = sqrt(r0 * r0 + et_rng_uniform(&rng) * (r1 * r1 - r0 * r0));
    double theta = 2.0 * M_PI * et_rng_uniform(&rng);
    *x_m = round(r * cos(theta) * 1000.0) / 1000.0;
    *y_m = round(r * sin(theta) * 1000.0) / 1000.0;
}

static void write_header(FILE *out, const et_platform_spec *s)
{
    char a[40], b[40], c[40], d[40], e[40], f[40];
    const char *access = s->access == ET_ACCESS_WIFI ? "wifi" : "ofdma";
    fprintf(out, "<?xml version=\"1.0\"?>\n");
    /* SimGrid 3.32's parser rejects a file without this DOCTYPE; it never
     * fetches the URL (the DTD is compiled in). */
    fprintf(out, "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n");
    /* No double hyphen may appear inside an XML comment, so the command line
     * is spelled out in words. */
    fprintf(out,
            "<!-- Generated by edgetune's platform generator (et_platform_write, "
            "src/platform.c); do not edit by hand.\n"
            "     Regenerate: edgetune platform, options ues %d, seed %llu%s, output FILE\n"
            "     (see platforms/README.md). Defaults and their sources: docs/platforms.md.\n"
            "     access=%s n_ue=%d seed=%llu cell_radius_m=%s server_cores=%d "
            "server_core_flops=%s\n",
            s->n_ue, (unsigned long long)s->seed, s->access == ET_ACCESS_WIFI ? ", wifi" : "",
            access, s->n_ue, (unsigned long long)s->seed, fmt_num(a, s->cell_radius_m),
            s->server_cores, fmt_num(b, s->server_core_flops));
    fprintf(out, "     backhaul_bps=%s backhaul_latency_s=%s wireless_latency_s=%s ",
            fmt_num(c, s->backhaul_bps), fmt_num(d, s->backhaul_latency_s),
            fmt_num(e, s->wireless_latency_s));
    if (s->access == ET_ACCESS_WIFI)
        fprintf(out, "wifi_channel_hz=%s -->\n", fmt_num(f, s->wifi_channel_hz));
    else
        fprintf(out, "bandwidth_up_hz=%s bandwidth_down_hz=%s -->\n",
                fmt_num(e, s->bandwidth_up_hz), fmt_num(f, s->bandwidth_down_hz));
}

static void write_prop(FILE *out, const char *indent, const char *id, const char *value)
{
    fprintf(out, "%s<prop id=\"%s\" value=\"%s\"/>\n", indent, id, value);
}

static void write_ue_host(FILE *out, const et_platform_spec *s, int i, int width, int cls,
                          const char *indent)
{
    char a[40], b[40];
    const device_class *dc = &device_classes[cls];
    double x_m, y_m;
    draw_position(s, i, &x_m, &y_m);
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
        write_ue_host(out, s, i, width, cls[i], "    ");
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
        write_ue_host(out, s, i, width, cls[i], "    ");
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
        write_ue_host(out, s, i, width, cls[i], "      ");
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

/* Calls fn on every start tag of text (modified in place: names and values
 * are NUL-terminated where they lie). Comments, the prolog and end tags are
 * skipped. Malformed input just ends the scan: reporting it is SimGrid's job,
 * with its own line numbers. Entities in values are left as written. */
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
        else if (p[1] == '!' || p[1] == '/')
            close = ">";
        if (close) {
            p = skip_past(p, close, &line);
            if (!p) return 0;
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
            if (sep == '>' || (sep == '/' && *q == '>')) break;
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

/* First and last link of the route from -> to (NULL when empty). */
static void route_ends(xbt_dynar_t links, sg_host_t from, sg_host_t to, sg_link_t *first,
                       sg_link_t *last)
{
    xbt_dynar_reset(links);
    sg_host_get_route(from, to, links);
    unsigned long n = xbt_dynar_length(links);
    *first = n ? xbt_dynar_get_as(links, 0, sg_link_t) : NULL;
    *last = n ? xbt_dynar_get_as(links, n - 1, sg_link_t) : NULL;
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

static et_status discover_ue(et_topology *topo, et_ue_host *ue, const char *path, xbt_dynar_t route,
                             et_error *err)
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

    sg_link_t first, last;
    if (topo->access == ET_ACCESS_WIFI) {
        route_ends(route, h, topo->server, &first, &last);
        if (first != topo->wifi_link)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: host '%s': route to '%s' does not start with WIFI link '%s' "
                                "(is the host inside the Wi-Fi zone?)",
                                path, name, topo->server_name, sg_link_get_name(topo->wifi_link));
        return ET_OK;
    }

    const char *link = sg_host_get_property_value(h, "link");
    if (!link || !*link)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'link' is missing (expected the id of the "
                            "UE's SPLITDUPLEX wireless link)",
                            path, name);
    char half[512];
    snprintf(half, sizeof half, "%s_UP", link);
    ue->link_up = sgx_link_by_name_or_null(half);
    if (ue->link_up) {
        snprintf(half, sizeof half, "%s_DOWN", link);
        ue->link_down = sgx_link_by_name_or_null(half);
    }
    if (!ue->link_up || !ue->link_down)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': link '%s' not found (property 'link' = '%s' must name "
                            "a SPLITDUPLEX link)",
                            path, name, half, link);
    /* The channel rewrites these links: they must be the ones on the UE's
     * routes, or the UE would keep its XML rate forever. */
    route_ends(route, h, topo->server, &first, &last);
    if (first != ue->link_up)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': route to '%s' does not start with link '%s_UP' "
                            "(property 'link' must name the host_link)",
                            path, name, topo->server_name, link);
    route_ends(route, topo->server, h, &first, &last);
    if (last != ue->link_down)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': route from '%s' does not end with link '%s_DOWN' "
                            "(property 'link' must name the host_link)",
                            path, name, topo->server_name, link);
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

    et_status st = ET_OK;
    size_t n_ue_hosts = 0;
    for (size_t i = 0; i < n_hosts && st == ET_OK; i++) {
        const char *role = sg_host_get_property_value(hosts[i], "role");
        if (!role) continue;
        if (strcmp(role, "server") == 0) {
            if (topo->server)
                st = et_error_set(err, ET_ERR_INPUT,
                                  "%s: hosts '%s' and '%s' both have role=server (expected "
                                  "exactly one)",
                                  path, topo->server_name, sg_host_get_name(hosts[i]));
            topo->server = hosts[i];
            topo->server_name = sg_host_get_name(hosts[i]);
        } else if (strcmp(role, "ue") == 0) {
            hosts[n_ue_hosts++] = hosts[i]; /* compacts UE hosts in name order, in place */
        } else {
            st = et_error_set(err, ET_ERR_INPUT,
                              "%s: host '%s': property 'role': expected 'server' or 'ue', got "
                              "'%s'",
                              path, sg_host_get_name(hosts[i]), role);
        }
    }
    if (st == ET_OK && !topo->server)
        st = et_error_set(err, ET_ERR_INPUT,
                          "%s: no host has property role=server (expected exactly one)", path);
    if (st == ET_OK && n_ue_hosts == 0)
        st = et_error_set(err, ET_ERR_INPUT, "%s: no host has property role=ue", path);
    if (st == ET_OK && n_ue_wanted > 0 && (size_t)n_ue_wanted > n_ue_hosts)
        st = et_error_set(err, ET_ERR_INPUT,
                          "%s: %d UEs requested, but the platform has only %zu hosts with role=ue",
                          path, n_ue_wanted, n_ue_hosts);
    if (st != ET_OK) {
        xbt_free(hosts);
        memset(topo, 0, sizeof *topo);
        return st;
    }

    topo->server_cores = sg_host_core_count(topo->server);
    topo->server_core_flops = sg_host_get_speed(topo->server);
    topo->access =
        sg_host_get_property_value(topo->server, "wifi_link") ? ET_ACCESS_WIFI : ET_ACCESS_OFDMA;
    if (topo->access == ET_ACCESS_WIFI) st = discover_server_wifi(topo, path, err);

    topo->n_ue = n_ue_wanted > 0 ? n_ue_wanted : (int)n_ue_hosts;
    if (st == ET_OK) {
        topo->ues = calloc((size_t)topo->n_ue, sizeof *topo->ues);
        if (!topo->ues)
            st = et_error_set(err, ET_ERR_NOMEM, "%s: no memory for %d UEs", path, topo->n_ue);
    }
    xbt_dynar_t route = xbt_dynar_new(sizeof(sg_link_t), NULL);
    for (int i = 0; st == ET_OK && i < topo->n_ue; i++) {
        et_ue_host *ue = &topo->ues[i];
        ue->host = hosts[i];
        ue->name = sg_host_get_name(hosts[i]);
        st = discover_ue(topo, ue, path, route, err);
    }
    xbt_dynar_free(&route);
    xbt_free(hosts);
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
