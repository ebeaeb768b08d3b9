/* platform.c: safe loading of platform XML and role discovery (the generator is
 * platform_gen.c).
 *
 * Layouts (written by et_platform_write; docs/platforms.md has the pictures;
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
 * Loading first checks what SimGrid 3.32 would abort on (platform_check.c: it
 * throws for most parse errors, but xbt_asserts for missing profile files,
 * undeclared host_link links and more), then hands the file over through the
 * exception-catching shim. */

/* M_PI is not strict C11; glibc exposes it under _DEFAULT_SOURCE. */
#define _DEFAULT_SOURCE

#include "platform.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <simgrid/host.h>
#include <simgrid/link.h>
#include <xbt/dynar.h>
#include <xbt/sysdep.h>

#include "numtext.h"
#include "paje.h"
#include "platform_internal.h"
#include "readfile.h"
#include "rng.h"
#include "sgx_shim.h"
#include "xml_scan_internal.h"

/* ------------------------------------------------------------------------- */
/* Loading                                                                    */

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
    et_status st = et_platform_check(path, err);
    if (st != ET_OK) return st;

    /* SimGrid's message holds the path: room for all of it. */
    size_t what_size = strlen(path) + 1024;
    char *what = malloc(what_size);
    if (!what) return et_error_set(err, ET_ERR_NOMEM, "%s: out of memory", path);
    /* Paje: SPLITDUPLEX links in their one-way form (paje.h says why). */
    char *copy = NULL;
    st = et_paje_tracing() ? et_paje_platform_copy(path, &copy, err) : ET_OK;
    if (st != ET_OK) {
        free(what);
        return st;
    }
    if (sgx_load_platform(copy ? copy : path, what, what_size) != 0) {
        describe_load_failure(err, path, what);
        st = ET_ERR_INPUT;
    }
    /* SimGrid 3.32 loads a platform without hosts, then aborts on the first host lookup
     * ("There is no host!"). */
    if (st == ET_OK && sg_host_count() == 0)
        st = et_error_set(err, ET_ERR_INPUT,
                          "%s: no host (expected a server and UEs: host, cluster or peer "
                          "elements)",
                          path);
    free(what);
    if (copy) unlink(copy);
    free(copy);
    return st;
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
    /* Plain decimals only (numtext.h): " 6e9" or "0x10" is not a memory size. */
    return s && et_numtext_double(s, out) == 0;
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
    const char *id = et_xml_attr(t, "id");
    if (strcmp(t->name, "link") != 0 || !id || strcmp(id, w->id) != 0) return 0;
    w->found = 1;
    const char *policy = et_xml_attr(t, "sharing_policy");
    snprintf(w->policy, sizeof w->policy, "%s", policy ? policy : "SHARED");
    const char *bw = et_xml_attr(t, "bandwidth");
    w->n_rates = 0;
    char item[64];
    for (const char *p = bw; p && w->n_rates <= ET_WIFI_MAX_LEVELS;) {
        size_t len = strcspn(p, ",;"); /* SimGrid's separators */
        snprintf(item, sizeof item, "%.*s", (int)len, p);
        w->rates_bps[w->n_rates++] = et_platform_bandwidth_bps(item);
        p = p[len] ? p + len + 1 : NULL;
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
    char *key = et_platform_grow((void **)&z->keys, &z->cap, z->n + 1, sizeof *z->keys)
                    ? NULL
                    : malloc(len);
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
            const char *id = et_xml_attr(t, "id"), *routing = et_xml_attr(t, "routing");
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
    size_t len = strlen(zone) + 3;
    char *key = malloc(len);
    if (!key) return 0;
    snprintf(key, len, "%c|%s", kind, zone);
    const char *k = key;
    int found = z->n && bsearch(&k, z->keys, z->n, sizeof *z->keys, et_platform_cmp_str) != NULL;
    free(key);
    return found;
}

/* sgx_zone_route_askable_fn over a zone_routes. A file that cannot be
 * re-read (it was read at load) counts as askable everywhere. */
static int zone_route_askable(void *ctx, const char *zone, const char *src, const char *dst,
                              char *why, size_t why_size)
{
    zone_routes *z = ctx;
    if (!z->scanned) {
        z->scanned = 1;
        char *text = et_read_file(z->path, NULL);
        if (!text) return 1;
        et_xml_scan(text, scan_zone_routes, z);
        free(text);
        if (z->n) qsort(z->keys, z->n, sizeof *z->keys, et_platform_cmp_str);
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

/* The Wi-Fi air of the cell that host h stands for (an AP host, or the server of a platform
 * without AP hosts): its wifi_link, wifi_rates_bps and wifi_min_snr_db. */
static et_status discover_wifi(const char *path, sg_host_t h, et_wifi_cell *wifi, et_error *err)
{
    const char *sname = sg_host_get_name(h);
    const char *link_name = sg_host_get_property_value(h, "wifi_link");
    wifi->link = sgx_link_by_name_or_null(link_name);
    if (!wifi->link)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'wifi_link': link '%s' not "
                            "found",
                            path, sname, link_name);
    const char *rates = sg_host_get_property_value(h, "wifi_rates_bps");
    int n = parse_list(rates, wifi->rate_bps, ET_WIFI_MAX_LEVELS);
    int ok = n >= 1;
    for (int i = 0; ok && i < n; i++)
        ok = wifi->rate_bps[i] > 0 && (i == 0 || wifi->rate_bps[i] < wifi->rate_bps[i - 1]);
    if (!ok)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'wifi_rates_bps': expected 1 to %d "
                            "comma-separated rates > 0, fastest first, got '%s'",
                            path, sname, ET_WIFI_MAX_LEVELS, rates ? rates : "(missing)");
    const char *snrs = sg_host_get_property_value(h, "wifi_min_snr_db");
    int m = parse_list(snrs, wifi->min_snr_db, ET_WIFI_MAX_LEVELS);
    /* A faster level needs a higher SNR; otherwise a slower one is never picked. */
    for (int i = 1; m == n && i < n; i++)
        if (!(wifi->min_snr_db[i] < wifi->min_snr_db[i - 1])) m = -1;
    if (m != n)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'wifi_min_snr_db': expected %d "
                            "comma-separated numbers (one per rate level), decreasing (a faster "
                            "level needs a higher SNR), got '%s'",
                            path, sname, n, snrs ? snrs : "(missing)");
    wifi->n_levels = n;

    /* SimGrid's C API cannot tell a WIFI link (set_host_wifi_rate xbt_asserts
     * on any other) nor list its levels, so read them back from the XML. */
    char *text = et_read_file(path, NULL);
    if (!text)
        return et_error_set(err, ET_ERR_INPUT, "%s: cannot read platform file: %s", path,
                            strerror(errno));
    wifi_link_scan w = {.id = link_name};
    et_xml_scan(text, find_wifi_link, &w);
    free(text);
    if (!w.found || strcmp(w.policy, "WIFI") != 0)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'wifi_link': link '%s' must be declared with "
                            "sharing_policy=\"WIFI\"%s%s",
                            path, sname, link_name, w.found ? ", got " : "",
                            w.found ? w.policy : "");
    int same = w.n_rates == n;
    for (int i = 0; same && i < n; i++)
        same = fabs(w.rates_bps[i] - wifi->rate_bps[i]) <= 1e-9 * wifi->rate_bps[i];
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

static const char *const cell_radio_props[] = {
    ET_CELL_PROP_SCENARIO,    ET_CELL_PROP_FREQUENCY,        ET_CELL_PROP_H_BS,
    ET_CELL_PROP_H_UT,        ET_CELL_PROP_DUPLEX,           ET_CELL_PROP_CARRIER,
    ET_CELL_PROP_TDD_PATTERN, ET_CELL_PROP_TDD_SPECIAL_SLOT, ET_CELL_PROP_CARRIER_DOWN,
    ET_CELL_PROP_CARRIER_UP,  ET_CELL_PROP_AP_TX_POWER,      ET_CELL_PROP_UE_TX_POWER};

/* A cell's radio properties from host h (platform_check.c has already refused
 * bad values; they are checked again here, by the same rules, so that
 * discovery stands alone). A TDD pattern and special slot given together must
 * leave both directions time. */
static et_status read_cell_radio(const char *path, sg_host_t h, et_cell *cell, et_error *err)
{
    cell->scenario = -1;
    cell->frequency_hz = cell->h_bs_m = cell->h_ut_m = 0.0;
    cell->duplex = -1;
    cell->carrier_hz = cell->carrier_down_hz = cell->carrier_up_hz = 0.0;
    cell->tdd_pattern = cell->tdd_special_slot = NULL;
    cell->ap_tx_power_dbm = cell->ue_tx_power_dbm = NAN;
    for (size_t i = 0; i < sizeof cell_radio_props / sizeof cell_radio_props[0]; i++) {
        const char *prop = cell_radio_props[i];
        const char *value = sg_host_get_property_value(h, prop);
        char expected[200];
        if (!value) continue;
        if (et_cell_prop_check(prop, value, expected, sizeof expected) != 0)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: host '%s': property '%s': expected %s, got '%s'", path,
                                sg_host_get_name(h), prop, expected, value);
        double v = 0.0;
        parse_double(value, &v);
        if (!strcmp(prop, ET_CELL_PROP_SCENARIO))
            cell->scenario = et_propagation_scenario_parse(value);
        else if (!strcmp(prop, ET_CELL_PROP_FREQUENCY))
            cell->frequency_hz = v;
        else if (!strcmp(prop, ET_CELL_PROP_H_BS))
            cell->h_bs_m = v;
        else if (!strcmp(prop, ET_CELL_PROP_H_UT))
            cell->h_ut_m = v;
        else if (!strcmp(prop, ET_CELL_PROP_DUPLEX))
            cell->duplex = strcmp(value, "fdd") == 0 ? ET_DUPLEX_FDD : ET_DUPLEX_TDD;
        else if (!strcmp(prop, ET_CELL_PROP_CARRIER))
            cell->carrier_hz = v;
        else if (!strcmp(prop, ET_CELL_PROP_TDD_PATTERN))
            cell->tdd_pattern = value;
        else if (!strcmp(prop, ET_CELL_PROP_TDD_SPECIAL_SLOT))
            cell->tdd_special_slot = value;
        else if (!strcmp(prop, ET_CELL_PROP_CARRIER_DOWN))
            cell->carrier_down_hz = v;
        else if (!strcmp(prop, ET_CELL_PROP_CARRIER_UP))
            cell->carrier_up_hz = v;
        else if (!strcmp(prop, ET_CELL_PROP_AP_TX_POWER))
            cell->ap_tx_power_dbm = v;
        else if (!strcmp(prop, ET_CELL_PROP_UE_TX_POWER))
            cell->ue_tx_power_dbm = v;
    }
    double dl, ul;
    if (cell->tdd_pattern && cell->tdd_special_slot &&
        et_channel_tdd_shares(cell->tdd_pattern, cell->tdd_special_slot, &dl, &ul, NULL) != ET_OK)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property '%s': expected a pattern with time in both "
                            "directions, got '%s' with %s '%s'",
                            path, sg_host_get_name(h), ET_CELL_PROP_TDD_PATTERN, cell->tdd_pattern,
                            ET_CELL_PROP_TDD_SPECIAL_SLOT, cell->tdd_special_slot);
    return ET_OK;
}

/* Cell's site as the channel takes it: its position and the powers it declares (0 and not
 * set when it declares none: the scenario keys then apply). */
static et_channel_ap cell_site(const et_cell *cell)
{
    int has_ap = !isnan(cell->ap_tx_power_dbm), has_ue = !isnan(cell->ue_tx_power_dbm);
    return (et_channel_ap){.x_m = cell->x_m,
                           .y_m = cell->y_m,
                           .has_tx_power = has_ap,
                           .tx_power_dbm = has_ap ? cell->ap_tx_power_dbm : 0.0,
                           .has_ue_tx_power = has_ue,
                           .ue_tx_power_dbm = has_ue ? cell->ue_tx_power_dbm : 0.0};
}

/* Cell radio properties belong to the host that stands for a cell. */
static et_status refuse_cell_radio(const char *path, sg_host_t h, const char *why, et_error *err)
{
    for (size_t i = 0; i < sizeof cell_radio_props / sizeof cell_radio_props[0]; i++)
        if (sg_host_get_property_value(h, cell_radio_props[i]))
            return et_error_set(err, ET_ERR_INPUT, "%s: host '%s': property '%s': %s", path,
                                sg_host_get_name(h), cell_radio_props[i], why);
    return ET_OK;
}

et_propagation et_cell_propagation(const et_cell *cell, const et_propagation *defaults)
{
    et_propagation p = *defaults;
    if (cell->scenario >= 0) p.scenario = (et_propagation_scenario)cell->scenario;
    if (cell->frequency_hz > 0) p.frequency_hz = cell->frequency_hz;
    if (cell->h_bs_m > 0) p.h_bs_m = cell->h_bs_m;
    if (cell->h_ut_m > 0) p.h_ut_m = cell->h_ut_m;
    return p;
}

/* One role=ap host: position, optional radius, its server and its radio. */
static et_status discover_cell(et_topology *topo, et_cell *cell, const char *path, et_error *err)
{
    sg_host_t h = cell->ap;
    et_status st;
    if ((st = read_cell_radio(path, h, cell, err))) return st;
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
    cell->access = sg_host_get_property_value(h, "wifi_link") ? ET_ACCESS_WIFI : ET_ACCESS_OFDMA;
    if (cell->access == ET_ACCESS_OFDMA) return ET_OK;
    if ((st = discover_wifi(path, h, &cell->wifi, err))) return st;
    /* Two cells on one WIFI link would be one cell's air at two positions. */
    for (const et_cell *other = topo->cells; other < cell; other++)
        if (other->access == ET_ACCESS_WIFI && other->wifi.link == cell->wifi.link)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: host '%s': property 'wifi_link': link '%s' is already the "
                                "WIFI link of cell '%s' (expected one WIFI link per Wi-Fi cell)",
                                path, cell->name, sg_link_get_name(cell->wifi.link), other->name);
    return ET_OK;
}

static et_status discover_ue(et_topology *topo, et_ue_host *ue, int has_aps, const char *path,
                             zone_routes *zones, xbt_dynar_t route, et_error *err)
{
    sg_host_t h = ue->host;
    const char *name = ue->name;
    et_status st = refuse_cell_radio(path, h,
                                     "a cell's radio property belongs on its AP host (role=ap), "
                                     "or on the server host of a platform without AP hosts",
                                     err);
    if (st) return st;
    const char *cls = sg_host_get_property_value(h, "class");
    if (!cls || !*cls || strlen(cls) >= sizeof ue->device_class)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'class': expected a name of 1 to %zu "
                            "characters (phone, tablet, laptop, jetson, ...), got '%s'",
                            path, name, sizeof ue->device_class - 1, cls ? cls : "(missing)");
    snprintf(ue->device_class, sizeof ue->device_class, "%s", cls);
    ue->speed_flops = sg_host_get_speed(h);
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
    if (c->access == ET_ACCESS_WIFI) {
        if ((st = route_ends(path, zones, route, h, server->host, h, &first, &last, err)))
            return st;
        if (first != c->wifi.link)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: host '%s': route to '%s' does not start with WIFI link '%s' "
                                "(is the host inside the Wi-Fi zone%s%s?)",
                                path, name, server->name, sg_link_get_name(c->wifi.link),
                                has_aps ? " of cell " : "", has_aps ? c->name : "");
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
    size_t name_size = strlen(link) + sizeof "_DOWN";
    char *up = malloc(name_size), *down = malloc(name_size);
    if (!up || !down) {
        free(up);
        free(down);
        return et_error_set(err, ET_ERR_NOMEM, "%s: out of memory", path);
    }
    snprintf(up, name_size, "%s_UP", link);
    snprintf(down, name_size, "%s_DOWN", link);
    st = route_ends(path, zones, route, h, server->host, h, &first, &last, err);
    ue->link_up = st == ET_OK && first && strcmp(sg_link_get_name(first), up) == 0 ? first : NULL;
    if (st == ET_OK) st = route_ends(path, zones, route, server->host, h, h, &first, &last, err);
    ue->link_down = st == ET_OK && last && strcmp(sg_link_get_name(last), down) == 0 ? last : NULL;
    if (st != ET_OK || (ue->link_up && ue->link_down)) {
        free(up);
        free(down);
        return st;
    }
    /* Off the route: say whether the link exists at all. */
    const char *missing = !sgx_link_by_name_or_null(up)     ? up
                          : !sgx_link_by_name_or_null(down) ? down
                                                            : NULL;
    if (missing)
        st = et_error_set(err, ET_ERR_INPUT,
                          "%s: host '%s': link '%s' not found (property 'link' = '%s' must name "
                          "a SPLITDUPLEX link)",
                          path, name, missing, link);
    else if (!ue->link_up)
        st = et_error_set(err, ET_ERR_INPUT,
                          "%s: host '%s': route to '%s' does not start with link '%s' "
                          "(property 'link' must name the host_link)",
                          path, name, server->name, up);
    else
        st = et_error_set(err, ET_ERR_INPUT,
                          "%s: host '%s': route from '%s' does not end with link '%s' "
                          "(property 'link' must name the host_link)",
                          path, name, server->name, down);
    free(up);
    free(down);
    return st;
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
    }
    /* With AP hosts, a Wi-Fi cell's air is declared on its AP host. */
    for (size_t k = 0; st == ET_OK && r.n_aps > 0 && k < r.n_servers; k++)
        if (sg_host_get_property_value(r.servers[k], "wifi_link"))
            st = et_error_set(err, ET_ERR_INPUT,
                              "%s: host '%s': property 'wifi_link': a platform with AP hosts "
                              "(role=ap) declares each Wi-Fi cell's WIFI link on its AP host, not "
                              "on a server",
                              path, sg_host_get_name(r.servers[k]));

    /* Cells: one per AP host, or the implicit one at the origin. */
    if (st == ET_OK) {
        topo->n_cells = r.n_aps ? (int)r.n_aps : 1;
        topo->cells = calloc((size_t)topo->n_cells, sizeof *topo->cells);
        topo->aps = calloc((size_t)topo->n_cells, sizeof *topo->aps);
        if (!topo->cells || !topo->aps) st = et_error_set(err, ET_ERR_NOMEM, "%s: no memory", path);
    }
    if (st == ET_OK && r.n_aps == 0) {
        /* The implicit cell's radio properties, and its radius, sit on the one server. */
        topo->cells[0] = (et_cell){.name = "cell"};
        st = read_cell_radio(path, topo->server, &topo->cells[0], err);
        if (st == ET_OK && sg_host_get_property_value(topo->server, "wifi_link")) {
            topo->cells[0].access = ET_ACCESS_WIFI;
            st = discover_wifi(path, topo->server, &topo->cells[0].wifi, err);
        }
        if (st == ET_OK) topo->aps[0] = cell_site(&topo->cells[0]);
        if (st == ET_OK && sg_host_get_property_value(topo->server, "radius_m"))
            st = host_number(path, topo->server, "radius_m", 0, 0, &topo->cells[0].radius_m, err);
    }
    for (int k = 0; st == ET_OK && r.n_aps > 0 && k < topo->n_servers; k++)
        st = refuse_cell_radio(path, topo->servers[k].host,
                               "a platform with AP hosts (role=ap) takes each cell's radio "
                               "properties on its AP host, not on a server",
                               err);
    for (int c = 0; st == ET_OK && c < (int)r.n_aps; c++) {
        topo->cells[c].ap = r.aps[c];
        topo->cells[c].name = sg_host_get_name(r.aps[c]);
        st = discover_cell(topo, &topo->cells[c], path, err);
        /* The propagation pointer is the simulator's to set (it merges the
         * cells' properties with the scenario keys). */
        topo->aps[c] = cell_site(&topo->cells[c]);
    }

    /* The platform's access: its cells', or mixed. */
    for (int c = 0; st == ET_OK && c < topo->n_cells; c++)
        topo->access = c == 0 || topo->cells[c].access == topo->access ? topo->cells[c].access
                                                                       : ET_ACCESS_MIXED;

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
        et_topology_clear(topo);
        return st;
    }
    /* SimGrid aborts a comm from a station that was never given a rate. */
    for (int i = 0; i < topo->n_ue; i++)
        et_platform_set_wifi_level(topo, i, 0);
    return ET_OK;
}

void et_topology_clear(et_topology *topo)
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
    if (!topo || ue < 0 || ue >= topo->n_ue) return;
    const et_cell *c = &topo->cells[topo->ues[ue].cell];
    if (c->access != ET_ACCESS_WIFI || !c->wifi.link) return;
    if (level < 0) level = 0;
    if (level > c->wifi.n_levels - 1) level = c->wifi.n_levels - 1;
    sgx_link_set_host_wifi_rate(c->wifi.link, topo->ues[ue].host, level);
}
