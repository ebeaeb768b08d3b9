/* platform_check.c: a platform file checked before SimGrid sees it (et_platform_check in
 * platform.h): every value SimGrid 3.32 would abort on or accept without physical meaning, with
 * file, line, element and attribute named. No engine needed (tests/fuzz/fuzz_platform.c). */
#define _DEFAULT_SOURCE

#include "platform.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "numtext.h"
#include "platform_internal.h"
#include "readfile.h"
#include "xml_scan_internal.h"

typedef struct link_ref {
    const char *host, *link;
    int line;
} link_ref;

typedef struct precheck {
    const char *path;
    char *dir;    /* directory of path, where SimGrid also looks for profiles; owned */
    char **links; /* link names as SimGrid registers them (SPLITDUPLEX: _UP, _DOWN) */
    size_t n_links, cap_links;
    link_ref *refs; /* host_link up/down references */
    size_t n_refs, cap_refs;
    int generated_links; /* cluster/cabinet/peer elements make links we cannot name */
    link_ref *routes;    /* every route's "zone src dst" key (and its reverse when symmetrical) */
    size_t n_routes, cap_routes;
    int zones[64], depth, next_zone; /* the open zones (the innermost last), numbered */
    const char *host;                /* the open host's id (its properties are being read) */
    int host_frame;                  /* n_frames inside that host: its own props come there */
    long n_ue;                       /* hosts with a role=ue prop (et_platform_census) */
    et_status status;
    et_error *err;
    /* The <prop> ids of each open element, innermost last: SimGrid keeps the last of two
     * props of one id, so a second one is refused rather than silently winning. */
    struct prop_frame {
        const char **ids;
        int n, cap;
    } frames[64];
    int n_frames;
} precheck;

int et_platform_grow(void **array, size_t *cap, size_t need, size_t elem)
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
    if (et_platform_grow((void **)&pc->links, &pc->cap_links, pc->n_links + 1, sizeof *pc->links))
        return -1;
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
    size_t len = strlen(pc->dir) + strlen(file) + 2;
    char *joined = malloc(len);
    if (!joined) return 0;
    snprintf(joined, len, "%s/%s", pc->dir, file);
    int found = access(joined, R_OK) == 0;
    free(joined);
    return found;
}

/* ------------------------------------------------------------------------- */
/* Values: what SimGrid 3.32 aborts on, or accepts without physical meaning.  */

/* SimGrid 3.32's units (xbt/parse_units): a base unit, each with either the
 * abbreviated decimal prefixes k M G T P E Z Y, the long ones (kilo, mega,
 * ...), or the binary ones Ki Mi ... Yi. A unit-less number is SimGrid's
 * deprecated default unit (a warning SimGrid prints only when logging): refused
 * here unless it is 0, so that "1e12" is never read as bytes when bits were
 * meant. */
typedef enum unit_kind { UNIT_SPEED, UNIT_BANDWIDTH, UNIT_TIME } unit_kind;

static const char *const PREFIX_SHORT[] = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
static const char *const PREFIX_LONG[] = {"kilo", "mega", "giga", "tera",
                                          "peta", "exa",  "zeta", "yotta"};
static const char *const PREFIX_BINARY[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};

/* Scale of unit if it is base with one of the 8 prefixes (or none), else 0. */
static double prefixed_unit(const char *unit, const char *base, double base_scale,
                            const char *const prefixes[8], double step)
{
    double scale = base_scale;
    if (strcmp(unit, base) == 0) return scale;
    for (int i = 0; i < 8; i++) {
        scale *= step;
        size_t n = strlen(prefixes[i]);
        if (strncmp(unit, prefixes[i], n) == 0 && strcmp(unit + n, base) == 0) return scale;
    }
    return 0;
}

/* SimGrid's scale of unit for kind (speeds in flop/s, bandwidths in bytes/s,
 * times in seconds); 0 for a unit SimGrid does not know. */
static double unit_scale(unit_kind kind, const char *unit)
{
    double s = 0;
    switch (kind) {
    case UNIT_SPEED:
        s = prefixed_unit(unit, "f", 1, PREFIX_SHORT, 1e3);
        if (!s) s = prefixed_unit(unit, "flops", 1, PREFIX_LONG, 1e3);
        return s;
    case UNIT_BANDWIDTH:
        for (int bytes = 0; bytes < 2 && !s; bytes++) {
            const char *base = bytes ? "Bps" : "bps";
            double b = bytes ? 1.0 : 0.125;
            s = prefixed_unit(unit, base, b, PREFIX_SHORT, 1e3);
            if (!s) s = prefixed_unit(unit, base, b, PREFIX_BINARY, 1024.0);
        }
        return s;
    case UNIT_TIME: {
        static const struct {
            const char *unit;
            double s;
        } times[] = {{"w", 604800}, {"d", 86400}, {"h", 3600},  {"m", 60},    {"s", 1},
                     {"ms", 1e-3},  {"us", 1e-6}, {"ns", 1e-9}, {"ps", 1e-12}};
        for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
            if (strcmp(unit, times[i].unit) == 0) return times[i].s;
        return 0;
    }
    }
    return 0;
}

static const char *unit_help(unit_kind kind)
{
    switch (kind) {
    case UNIT_SPEED:
        return "f, kf, Mf, Gf, Tf, Pf, Ef, Zf, Yf, or flops with kilo..yotta";
    case UNIT_BANDWIDTH:
        return "bps or Bps, with k..Y or Ki..Yi";
    case UNIT_TIME:
        return "ps, ns, us, ms, s, m, h, d or w";
    }
    return "?";
}

/* Parses one value with a unit as SimGrid 3.32 would, into SimGrid's base
 * unit. Returns NULL, or what is wrong with it (why is scratch space). */
static const char *parse_unit_value(const char *s, unit_kind kind, double *out, char *why,
                                    size_t why_size)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *s == '\0') return "not a number";
    if (errno == ERANGE && fabs(v) > 1.0) return "out of the range of a double";
    if (!isfinite(v)) return "not a finite number";
    if (*end == '\0') {
        if (v != 0) {
            snprintf(why, why_size, "no unit; append one of %s", unit_help(kind));
            return why;
        }
        *out = 0;
        return NULL;
    }
    double scale = unit_scale(kind, end);
    if (scale == 0) {
        snprintf(why, why_size, "unknown unit '%.40s'; expected %s", end, unit_help(kind));
        return why;
    }
    v *= scale;
    if (!isfinite(v)) return "out of the range of a double";
    *out = v;
    return NULL;
}

typedef enum value_rule {
    RULE_POSITIVE,    /* > 0 */
    RULE_NONNEGATIVE, /* >= 0 */
} value_rule;

/* Reports a bad attribute value: "<path>:<line>: <element> '<id>': attribute
 * '<name>'[ (<item>)]: expected <what>, got '<value>'[ (<why>)]". */
static int value_error(precheck *pc, const xml_tag *t, const char *attr, const char *item,
                       const char *what, const char *value, const char *why)
{
    const char *id = et_xml_attr(t, "id");
    pc->status = et_error_set(
        pc->err, ET_ERR_INPUT,
        "%s:%d: %s '%.100s': attribute '%s'%s%s: expected %s, got '%.80s'%s%s%s", pc->path, t->line,
        t->name, id ? id : "?", attr, item ? " " : "", item ? item : "", what, value,
        why ? " (" : "", why ? why : "", why ? ")" : "");
    return 1;
}

/* Checks one unit value (or, with separators, a list of them) of attribute
 * attr of t; the number of values goes to *count (may be NULL). */
static int check_unit_attr(precheck *pc, const xml_tag *t, const char *attr, unit_kind kind,
                           value_rule rule, const char *separators, int *count)
{
    const char *value = et_xml_attr(t, attr);
    if (count) *count = 1;
    if (!value) return 0; /* SimGrid reports required attributes itself */
    const char *what = kind == UNIT_SPEED       ? "a speed > 0 (flop/s) with a unit"
                       : kind == UNIT_BANDWIDTH ? "a bandwidth > 0 with a unit"
                       : rule == RULE_POSITIVE  ? "a time > 0 with a unit"
                                                : "a time >= 0 with a unit";
    int n = 0;
    for (const char *p = value;; n++) {
        const char *seg_end = separators ? p + strcspn(p, separators) : p + strlen(p);
        const char *a = p, *b = seg_end;
        if (kind == UNIT_SPEED && separators) { /* SimGrid trims the speeds of a pstate list */
            while (a < b && *a == ' ')
                a++;
            while (b > a && b[-1] == ' ')
                b--;
        }
        char item[128], why[160], label[32];
        const char *bad = NULL;
        if ((size_t)(b - a) >= sizeof item) {
            bad = "too long";
        } else {
            memcpy(item, a, (size_t)(b - a));
            item[b - a] = '\0';
            double v = 0;
            bad = parse_unit_value(item, kind, &v, why, sizeof why);
            if (!bad && (rule == RULE_POSITIVE ? !(v > 0) : !(v >= 0)))
                bad = v < 0 ? "negative" : "zero";
        }
        int last = *seg_end == '\0';
        if (bad) {
            snprintf(label, sizeof label, "(value %d)", n + 1);
            return value_error(pc, t, attr, last && n == 0 ? NULL : label, what, value, bad);
        }
        if (last) break;
        p = seg_end + 1;
    }
    if (count) *count = n + 1;
    return 0;
}

/* An integer attribute in [min, max] (absent: SimGrid's default applies). */
static int check_int_attr(precheck *pc, const xml_tag *t, const char *attr, long min, long max)
{
    const char *value = et_xml_attr(t, attr);
    if (!value) return 0;
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (end == value || *end != '\0' || errno == ERANGE || v < min || v > max) {
        char what[96];
        snprintf(what, sizeof what, "an integer in [%ld, %ld]", min, max);
        return value_error(pc, t, attr, NULL, what, value, NULL);
    }
    return 0;
}

#define ET_MAX_CORES 1000000L

/* Every number of an element that SimGrid 3.32 would abort on, or accept
 * without physical meaning: speeds, cores and pstates of hosts, bandwidths
 * and latencies of links (and of cluster, cabinet and peer elements, which
 * generate them), disk bandwidths. */
static int check_values(precheck *pc, const xml_tag *t)
{
    const char *name = t->name;
    if (strcmp(name, "host") == 0) {
        int n_speeds = 1;
        if (check_unit_attr(pc, t, "speed", UNIT_SPEED, RULE_POSITIVE, ",", &n_speeds) ||
            check_int_attr(pc, t, "core", 1, ET_MAX_CORES) ||
            check_int_attr(pc, t, "pstate", 0, n_speeds - 1))
            return 1;
    } else if (strcmp(name, "link") == 0 || strcmp(name, "backbone") == 0) {
        const char *policy = et_xml_attr(t, "sharing_policy");
        int wifi = policy && strcmp(policy, "WIFI") == 0;
        int n_bw = 1;
        if (check_unit_attr(pc, t, "bandwidth", UNIT_BANDWIDTH, RULE_POSITIVE, ",;", &n_bw) ||
            check_unit_attr(pc, t, "latency", UNIT_TIME, RULE_NONNEGATIVE, NULL, NULL))
            return 1;
        if (n_bw > 1 && !wifi)
            return value_error(pc, t, "bandwidth", NULL,
                               "one bandwidth (a list is for sharing_policy=\"WIFI\" links)",
                               et_xml_attr(t, "bandwidth"), NULL);
        double lat = 0;
        char why[160];
        const char *latency = et_xml_attr(t, "latency");
        if (wifi && latency && !parse_unit_value(latency, UNIT_TIME, &lat, why, sizeof why) &&
            lat != 0)
            return value_error(pc, t, "latency", NULL,
                               "0 (SimGrid gives WIFI links no latency: put it on a link of the "
                               "route)",
                               latency, NULL);
    } else if (strcmp(name, "cluster") == 0 || strcmp(name, "cabinet") == 0 ||
               strcmp(name, "peer") == 0) {
        static const struct {
            const char *attr;
            unit_kind kind;
            value_rule rule;
        } attrs[] = {{"bw", UNIT_BANDWIDTH, RULE_POSITIVE},
                     {"bb_bw", UNIT_BANDWIDTH, RULE_POSITIVE},
                     {"loopback_bw", UNIT_BANDWIDTH, RULE_POSITIVE},
                     {"limiter_link", UNIT_BANDWIDTH, RULE_POSITIVE},
                     {"bw_in", UNIT_BANDWIDTH, RULE_POSITIVE},
                     {"bw_out", UNIT_BANDWIDTH, RULE_POSITIVE},
                     {"lat", UNIT_TIME, RULE_NONNEGATIVE},
                     {"bb_lat", UNIT_TIME, RULE_NONNEGATIVE},
                     {"loopback_lat", UNIT_TIME, RULE_NONNEGATIVE}};
        if (check_unit_attr(pc, t, "speed", UNIT_SPEED, RULE_POSITIVE, ",", NULL) ||
            check_int_attr(pc, t, "core", 1, ET_MAX_CORES))
            return 1;
        for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
            if (check_unit_attr(pc, t, attrs[i].attr, attrs[i].kind, attrs[i].rule, NULL, NULL))
                return 1;
    } else if (strcmp(name, "disk") == 0) {
        if (check_unit_attr(pc, t, "read_bw", UNIT_BANDWIDTH, RULE_POSITIVE, NULL, NULL) ||
            check_unit_attr(pc, t, "write_bw", UNIT_BANDWIDTH, RULE_POSITIVE, NULL, NULL))
            return 1;
    }
    return 0;
}

/* Records a route's key, "zone src dst", and the reverse's when the route is symmetrical
 * (SimGrid's default): SimGrid aborts ("The route between a and b already exists") on a
 * second route between the same ends in one zone. Found by tests/fuzz/fuzz_platform.c. */
static int add_route(precheck *pc, const xml_tag *t)
{
    const char *src = et_xml_attr(t, "src"), *dst = et_xml_attr(t, "dst");
    if (!src || !dst) return 0; /* SimGrid reports missing attributes itself */
    const char *sym = et_xml_attr(t, "symmetrical");
    int both = !sym || strcmp(sym, "NO") != 0;
    for (int k = 0; k <= both; k++) {
        size_t len = strlen(src) + strlen(dst) + 16;
        char *key = NULL;
        if (et_platform_grow((void **)&pc->routes, &pc->cap_routes, pc->n_routes + 1,
                             sizeof *pc->routes) ||
            !(key = malloc(len))) {
            pc->status =
                et_error_set(pc->err, ET_ERR_NOMEM, "%s: no memory for the route list", pc->path);
            return 1;
        }
        snprintf(key, len, "%d\x1f%s\x1f%s", pc->depth ? pc->zones[pc->depth - 1] : 0,
                 k ? dst : src, k ? src : dst);
        pc->routes[pc->n_routes++] = (link_ref){key, key, t->line};
    }
    return 0;
}

/* SimGrid 3.32 dies ("Not a valid model!") on a zone routing it does not know (compared
 * ignoring case). Found by tests/fuzz/fuzz_platform.c. A missing one SimGrid reports. */
static int known_routing(const char *routing)
{
    /* "None" is refused too: SimGrid 3.32 aborts ("There can't be route in an Empty zone")
     * as soon as a route through such a zone is asked for, and a UE needs one. */
    static const char *const known[] = {
        "Full", "Floyd",   "Dijkstra",     "DijkstraCache",  "Vivaldi",
        "Wifi", "Cluster", "ClusterTorus", "ClusterFatTree", "ClusterDragonfly"};
    if (!routing) return 1;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcasecmp(routing, known[i]) == 0) return 1;
    return 0;
}

static int cmp_route(const void *a, const void *b)
{
    const link_ref *x = a, *y = b;
    int c = strcmp(x->link, y->link);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static et_status check_routes(precheck *pc)
{
    if (pc->n_routes) qsort(pc->routes, pc->n_routes, sizeof *pc->routes, cmp_route);
    for (size_t i = 1; i < pc->n_routes; i++) {
        if (strcmp(pc->routes[i].link, pc->routes[i - 1].link) != 0) continue;
        const char *src = strchr(pc->routes[i].link, '\x1f') + 1;
        const char *sep = strchr(src, '\x1f');
        return et_error_set(pc->err, ET_ERR_INPUT,
                            "%s:%d: a second route from '%.*s' to '%s' in the same zone (a "
                            "symmetrical route, the default, also declares its reverse)",
                            pc->path, pc->routes[i].line, (int)(sep - src), src, sep + 1);
    }
    return ET_OK;
}

/* The file a profile attribute names, where SimGrid 3.32 finds it (profile_exists): a
 * malloc'd path, or NULL when it is not there (profile_exists reports that). */
static char *profile_path(const precheck *pc, const char *file)
{
    size_t len = strlen(pc->dir) + strlen(file) + 2;
    char *joined = malloc(len);
    if (!joined) return NULL;
    if (file[0] == '/' || access(file, F_OK) == 0)
        snprintf(joined, len, "%s", file);
    else
        snprintf(joined, len, "%s/%s", pc->dir, file);
    if (access(joined, F_OK) != 0) {
        free(joined);
        return NULL;
    }
    return joined;
}

/* A profile (speed_file, bandwidth_file, latency_file) as SimGrid 3.32 reads it: a regular
 * file (a FIFO would block it, /dev/zero never end), lines "TIME VALUE" with TIME >= 0 not
 * going back, "LOOPAFTER S" or "PERIODICITY S", blank lines and comments ('#', '%'). SimGrid
 * aborts on anything else ("Invalid profile line"); a speed or bandwidth of 0 stalls every
 * activity on the resource. */
static int check_profile(precheck *pc, const xml_tag *t, const char *attr, const char *file)
{
    char *path = profile_path(pc, file);
    if (!path) return 0;
    const char *id = et_xml_attr(t, "id");
    char *text = NULL;
    size_t size = 0;
    et_error e;
    et_status st = et_read_input(path, "a profile", ET_MAX_PROFILE_BYTES, &text, &size, &e);
    char why[200] = "";
    int bad_line = 0;
    if (st != ET_OK)
        snprintf(why, sizeof why, "%s", e.msg);
    else if (strlen(text) != size)
        snprintf(why, sizeof why, "a NUL byte at offset %zu", strlen(text));
    int positive = strcmp(attr, "latency_file") != 0; /* speeds, bandwidths: > 0 */
    double last_t = 0;
    int line = 0;
    for (char *p = st == ET_OK && !why[0] ? text : NULL; p && *p && !why[0];) {
        char *eol = strchr(p, '\n');
        if (eol) *eol = '\0';
        line++;
        char *a = p;
        p = eol ? eol + 1 : NULL;
        while (*a == ' ' || *a == '\t')
            a++;
        char *end = a + strlen(a);
        while (end > a && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
            *--end = '\0';
        if (!*a || *a == '#' || *a == '%') continue;
        char *field[3] = {NULL, NULL, NULL};
        int n = 0;
        for (char *tok = strtok(a, " \t"); tok; tok = strtok(NULL, " \t"))
            if (n < 3)
                field[n++] = tok;
            else
                n = 4;
        double x = 0, v = 0;
        if (n == 2 && (!strcmp(field[0], "LOOPAFTER") || !strcmp(field[0], "PERIODICITY"))) {
            if (et_numtext_double(field[1], &x) != 0 || x < 0)
                snprintf(why, sizeof why, "%s: expected seconds >= 0, got '%.40s'", field[0],
                         field[1]);
        } else if (n != 2 || et_numtext_double(field[0], &x) != 0 ||
                   et_numtext_double(field[1], &v) != 0) {
            snprintf(why, sizeof why,
                     "expected TIME VALUE (two numbers), LOOPAFTER or "
                     "PERIODICITY");
        } else if (x < last_t) {
            snprintf(why, sizeof why, "time %.9g goes back (after %.9g)", x, last_t);
        } else if (positive ? !(v > 0) : !(v >= 0)) {
            snprintf(why, sizeof why, "expected a value %s, got %.9g%s", positive ? "> 0" : ">= 0",
                     v, positive ? " (it would stall every activity there)" : "");
        } else {
            last_t = x;
        }
        if (why[0]) bad_line = line;
    }
    free(text);
    free(path);
    if (!why[0]) return 0;
    char where[32] = "";
    if (bad_line) snprintf(where, sizeof where, ":%d", bad_line);
    pc->status = et_error_set(pc->err, ET_ERR_INPUT, "%s:%d: %s '%.100s': %s '%s'%s: %s", pc->path,
                              t->line, t->name, id ? id : "?", attr, file, where, why);
    return 1;
}

/* Elements and attributes edgetune does not run, and duplicate <prop> ids. */
static int precheck_element(const xml_tag *t, precheck *pc)
{
    int is_prop = strcmp(t->name, "prop") == 0;
    if (t->end) {
        if (!is_prop && pc->n_frames > 0 && --pc->n_frames < 64) pc->frames[pc->n_frames].n = 0;
        return 0;
    }
    const char *id = et_xml_attr(t, "id");
    const char *refusal = NULL;
    if (strcmp(t->name, "config") == 0)
        refusal = "SimGrid's configuration is edgetune's to set: give the options it passes as "
                  "--cfg=NAME:VALUE (docs/simulation.md)";
    else if (strcmp(t->name, "trace") == 0 || strcmp(t->name, "trace_connect") == 0)
        refusal = "inline profiles are not supported: give a host a speed_file, a link a "
                  "bandwidth_file or latency_file";
    if (refusal) {
        pc->status = et_error_set(pc->err, ET_ERR_INPUT, "%s:%d: <%s>: %s", pc->path, t->line,
                                  t->name, refusal);
        return 1;
    }
    for (int i = 0; i < t->n_attrs; i++) {
        const char *name = t->attrs[i].name;
        if (strcmp(name, "state_file") == 0) {
            pc->status = et_error_set(
                pc->err, ET_ERR_INPUT,
                "%s:%d: %s '%.100s': attribute 'state_file': hosts and links switched off are "
                "not modelled (a task waiting on one would never end: SimGrid reports a "
                "deadlock or aborts)",
                pc->path, t->line, t->name, id ? id : "?");
            return 1;
        }
        size_t len = strlen(name);
        if ((len > 5 && strcmp(name + len - 5, "_file") == 0) &&
            check_profile(pc, t, name, t->attrs[i].value))
            return 1;
    }
    if (is_prop && pc->n_frames > 0 && pc->n_frames <= 64 && id) {
        struct prop_frame *f = &pc->frames[pc->n_frames - 1];
        for (int i = 0; i < f->n; i++)
            if (strcmp(f->ids[i], id) == 0) {
                pc->status = et_error_set(pc->err, ET_ERR_INPUT,
                                          "%s:%d: prop '%.100s' is given twice in one element "
                                          "(SimGrid would keep the last one)",
                                          pc->path, t->line, id);
                return 1;
            }
        if (f->n == f->cap) {
            int cap = f->cap ? 2 * f->cap : 8;
            const char **grown = realloc(f->ids, (size_t)cap * sizeof *grown);
            if (!grown) {
                pc->status = et_error_set(pc->err, ET_ERR_NOMEM, "%s: no memory for the prop list",
                                          pc->path);
                return 1;
            }
            f->ids = grown;
            f->cap = cap;
        }
        f->ids[f->n++] = id;
    }
    if (!is_prop && !t->self_closing) {
        if (pc->n_frames < 64) pc->frames[pc->n_frames].n = 0;
        pc->n_frames++;
    }
    return 0;
}

/* Zones open and close around routes (end tags reach here). */
static int precheck_zone(const xml_tag *t, precheck *pc)
{
    int is_zone = strcmp(t->name, "zone") == 0 || strcmp(t->name, "AS") == 0;
    if (!is_zone) return 0;
    if (t->end) {
        if (pc->depth > 0) pc->depth--;
        return 0;
    }
    if (!known_routing(et_xml_attr(t, "routing"))) {
        const char *id = et_xml_attr(t, "id");
        pc->status = et_error_set(pc->err, ET_ERR_INPUT,
                                  "%s:%d: zone '%s': routing '%.64s' is not one edgetune can "
                                  "route through (Full, Floyd, Dijkstra, DijkstraCache, Vivaldi, "
                                  "Wifi, Cluster, ClusterTorus, ClusterFatTree, "
                                  "ClusterDragonfly)",
                                  pc->path, t->line, id ? id : "?", et_xml_attr(t, "routing"));
        return 1;
    }
    if (!t->self_closing && pc->depth < 64) pc->zones[pc->depth++] = ++pc->next_zone;
    return 0;
}

int et_cell_prop_check(const char *name, const char *value, char *expected, size_t size)
{
    static const struct {
        const char *prop;
        double lo, hi;
        const char *why;
    } numbers[] = {
        {ET_CELL_PROP_FREQUENCY, 0.5e9, 100e9, "Hz: 0.5 to 100 GHz, the range of TR 38.901"},
        {ET_CELL_PROP_H_BS, 1.0, 150.0, "m: the BS antenna height"},
        {ET_CELL_PROP_H_UT, 1.0, 22.5, "m: the UT antenna height, TR 38.901's upper end"},
        {ET_CELL_PROP_CARRIER, 1e5, 1e10, "Hz: the TDD carrier's bandwidth in this cell"},
        {ET_CELL_PROP_CARRIER_DOWN, 1e5, 1e10,
         "Hz: the FDD downlink carrier's bandwidth in this cell"},
        {ET_CELL_PROP_CARRIER_UP, 1e5, 1e10,
         "Hz: the FDD uplink carrier's bandwidth in this cell"},
        {ET_CELL_PROP_AP_TX_POWER, -30.0, 60.0,
         "dBm: this cell's AP transmit power"},
        {ET_CELL_PROP_UE_TX_POWER, -30.0, 40.0, "dBm: the transmit power of this cell's UEs"},
    };
    if (!name || !value) return -1;
    double dl, ul;
    if (strcmp(name, ET_CELL_PROP_SCENARIO) == 0) {
        if (et_propagation_scenario_parse(value) >= 0) return 0;
        snprintf(expected, size, "one of %s", ET_PROPAGATION_SCENARIOS);
        return 1;
    }
    if (strcmp(name, ET_CELL_PROP_DUPLEX) == 0) {
        if (strcmp(value, "tdd") == 0 || strcmp(value, "fdd") == 0) return 0;
        snprintf(expected, size, "one of %s", ET_DUPLEX_MODES);
        return 1;
    }
    /* A pattern alone: its slots, and time in both directions with some special slot (a
     * 7:0:7 one gives both); the special slot alone: "d:g:u" adding up to 14 (after D and
     * U slots, any gives both directions time). The pair is checked where both are known. */
    if (strcmp(name, ET_CELL_PROP_TDD_PATTERN) == 0) {
        if (et_channel_tdd_shares(value, "7:0:7", &dl, &ul, NULL) == ET_OK) return 0;
        snprintf(expected, size,
                 "1 to 80 slots, each D (downlink), U (uplink) or S (special), with time in both "
                 "directions, such as DDDSU");
        return 1;
    }
    if (strcmp(name, ET_CELL_PROP_TDD_SPECIAL_SLOT) == 0) {
        if (et_channel_tdd_shares("DSU", value, &dl, &ul, NULL) == ET_OK) return 0;
        snprintf(expected, size,
                 "\"d:g:u\", the special slot's downlink, guard and uplink OFDM symbols, three "
                 "integers >= 0 adding up to 14 (such as 10:2:2)");
        return 1;
    }
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        if (strcmp(name, numbers[i].prop) != 0) continue;
        double v;
        if (et_numtext_double(value, &v) == 0 && v >= numbers[i].lo && v <= numbers[i].hi) return 0;
        snprintf(expected, size, "a number in [%g, %g] (%s)", numbers[i].lo, numbers[i].hi,
                 numbers[i].why);
        return 1;
    }
    return -1;
}

/* A cell's radio property (docs/platforms.md section 3), et_cell_prop_check. Refused with
 * "<path>:<line>: host '<id>': property '<name>': expected ..., got '<value>'". */
static int check_cell_radio_prop(precheck *pc, const xml_tag *t)
{
    const char *name = et_xml_attr(t, "id"), *value = et_xml_attr(t, "value");
    if (!pc->host || !name || !value) return 0;
    char expected[200];
    if (et_cell_prop_check(name, value, expected, sizeof expected) != 1) return 0;
    pc->status = et_error_set(pc->err, ET_ERR_INPUT,
                              "%s:%d: host '%.100s': property '%s': expected %s, got '%.80s'",
                              pc->path, t->line, pc->host, name, expected, value);
    return 1;
}

static int precheck_tag(const xml_tag *t, void *ctx)
{
    precheck *pc = ctx;
    if (precheck_zone(t, pc) || precheck_element(t, pc)) return 1;
    if (strcmp(t->name, "host") == 0) {
        /* Properties follow their host's start tag until its end tag. */
        pc->host = !t->end && !t->self_closing ? et_xml_attr(t, "id") : NULL;
        if (pc->host == NULL && !t->end && !t->self_closing) pc->host = "?";
        pc->host_frame = pc->n_frames;
    }
    if (t->end) return 0;
    int is_prop = strcmp(t->name, "prop") == 0;
    if (is_prop) {
        if (check_cell_radio_prop(pc, t)) return 1;
        /* A UE as discovery finds it: the host's own role property (not a prop of a disk
         * inside the host), read as SimGrid reads it, entities replaced. A second role prop
         * is refused above, so each host counts once. */
        const char *prop = et_xml_attr(t, "id"), *value = et_xml_attr(t, "value");
        if (pc->host && pc->n_frames == pc->host_frame && prop && value &&
            strcmp(prop, "role") == 0 && et_xml_value_is(value, "ue"))
            pc->n_ue++;
    }
    /* A prop (most tags of a large platform) has no value, link or route to check. */
    if (!is_prop && check_values(pc, t)) return 1;
    const char *id = et_xml_attr(t, "id");
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
    if (is_prop) return 0;
    if ((strcmp(t->name, "link") == 0 || strcmp(t->name, "backbone") == 0) && id) {
        const char *policy = et_xml_attr(t, "sharing_policy");
        int rc = policy && strcmp(policy, "SPLITDUPLEX") == 0
                     ? add_link_name(pc, id, "_UP") || add_link_name(pc, id, "_DOWN")
                     : add_link_name(pc, id, "");
        if (rc) {
            pc->status =
                et_error_set(pc->err, ET_ERR_NOMEM, "%s: no memory for the link list", pc->path);
            return 1;
        }
    } else if (strcmp(t->name, "host_link") == 0) {
        const char *which[2] = {et_xml_attr(t, "up"), et_xml_attr(t, "down")};
        for (int k = 0; k < 2; k++) {
            if (!which[k]) continue; /* SimGrid reports missing attributes itself */
            if (et_platform_grow((void **)&pc->refs, &pc->cap_refs, pc->n_refs + 1,
                                 sizeof *pc->refs)) {
                pc->status = et_error_set(pc->err, ET_ERR_NOMEM, "%s: no memory for the link list",
                                          pc->path);
                return 1;
            }
            pc->refs[pc->n_refs++] = (link_ref){id ? id : "?", which[k], t->line};
        }
    } else if (strcmp(t->name, "cluster") == 0 || strcmp(t->name, "cabinet") == 0 ||
               strcmp(t->name, "peer") == 0) {
        pc->generated_links = 1;
    } else if (strcmp(t->name, "route") == 0 || strcmp(t->name, "zoneRoute") == 0 ||
               strcmp(t->name, "ASroute") == 0) {
        if (add_route(pc, t)) return 1;
    }
    return 0;
}

int et_platform_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* SimGrid's host_link resolves its links when the zone is sealed, with an
 * xbt_assert ("Link 'x' not found!") that aborts the process. */
static et_status check_host_links(precheck *pc)
{
    if (pc->n_links) qsort(pc->links, pc->n_links, sizeof *pc->links, et_platform_cmp_str);
    /* SimGrid aborts ("Link 'x' declared several times in the platform") on a second link
     * of the same name (a SPLITDUPLEX link x is x_UP and x_DOWN). Found by fuzz_platform. */
    for (size_t i = 1; i < pc->n_links; i++)
        if (strcmp(pc->links[i], pc->links[i - 1]) == 0)
            return et_error_set(pc->err, ET_ERR_INPUT,
                                "%s: link '%s' is declared twice (a SPLITDUPLEX link <id> is "
                                "named <id>_UP and <id>_DOWN)",
                                pc->path, pc->links[i]);
    if (pc->generated_links) return ET_OK;
    for (size_t i = 0; i < pc->n_refs; i++) {
        const char *key = pc->refs[i].link;
        if (pc->n_links &&
            bsearch(&key, pc->links, pc->n_links, sizeof *pc->links, et_platform_cmp_str))
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
    for (int i = 0; i < 64; i++) /* popped frames keep their arrays for reuse */
        free(pc->frames[i].ids);
    for (size_t i = 0; i < pc->n_links; i++)
        free(pc->links[i]);
    free(pc->links);
    free(pc->refs);
    for (size_t i = 0; i < pc->n_routes; i++)
        free((char *)pc->routes[i].link);
    free(pc->routes);
    free(pc->dir);
}

/* The pre-check of a platform's text: what SimGrid would abort on, or accept
 * without physical meaning. Modifies text. Counts the UE hosts into *n_ue. */
static et_status precheck_text(const char *path, char *text, long *n_ue, et_error *err)
{
    precheck pc = {.path = path, .err = err};
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (slash == path ? 1 : (size_t)(slash - path)) : 1;
    pc.dir = malloc(dir_len + 1);
    if (!pc.dir) return et_error_set(err, ET_ERR_NOMEM, "%s: out of memory", path);
    memcpy(pc.dir, slash ? path : ".", dir_len);
    pc.dir[dir_len] = '\0';
    int stop_line = 0;
    int rc = et_xml_scan_at(text, precheck_tag, &pc, &stop_line);
    et_status st = rc > 0 ? pc.status : ET_OK;
    /* Past a point the scanner cannot follow, SimGrid's parser may still read on: what it
     * would read there is unchecked, so the file is refused at that point. */
    if (rc < 0)
        st = et_error_set(err, ET_ERR_INPUT,
                          "%s:%d: expected well-formed XML (a tag, attribute or section that "
                          "does not close, or more than 32 attributes)",
                          path, stop_line);
    if (st == ET_OK) st = check_host_links(&pc);
    if (st == ET_OK) st = check_routes(&pc);
    *n_ue = pc.n_ue;
    precheck_free(&pc);
    return st;
}

/* Reads path for loading; a message naming it when it cannot be read. */
static char *read_platform(const char *path, et_error *err)
{
    if (!path[0]) {
        et_error_set(err, ET_ERR_INPUT, "platform file: empty path (expected a SimGrid XML file)");
        return NULL;
    }
    size_t size = 0;
    char *text = NULL;
    /* A regular file of at most ET_MAX_PLATFORM_BYTES: a FIFO would block, /dev/zero never
     * end (readfile.h). */
    if (et_read_input(path, "platform file", ET_MAX_PLATFORM_BYTES, &text, &size, err) != ET_OK)
        text = NULL;
    /* The scan stops at a NUL byte, SimGrid's parser does not (found by fuzz_platform:
     * whatever followed one went unchecked). XML holds no NUL. */
    if (text && strlen(text) != size) {
        et_error_set(err, ET_ERR_INPUT, "%s: expected an XML text, found a NUL byte at offset %zu",
                     path, strlen(text));
        free(text);
        text = NULL;
    }
    return text;
}

et_status et_platform_precheck(const char *path, et_platform_census *census, et_error *err)
{
    et_error_clear(err);
    if (census) *census = (et_platform_census){0};
    if (!path) return et_error_set(err, ET_ERR_INTERNAL, "et_platform_check: NULL path");
    char *text = read_platform(path, err);
    if (!text) return err ? err->code : ET_ERR_INPUT;
    long n_ue = 0;
    et_status st = precheck_text(path, text, &n_ue, err);
    free(text);
    /* A file of at most ET_MAX_PLATFORM_BYTES holds far fewer than INT_MAX hosts. */
    if (st == ET_OK && census) census->n_ue = n_ue < INT_MAX ? (int)n_ue : INT_MAX;
    return st;
}

et_status et_platform_check(const char *path, et_error *err)
{
    return et_platform_precheck(path, NULL, err);
}

double et_platform_bandwidth_bps(const char *s)
{
    double bytes_per_s = 0;
    char why[160];
    return parse_unit_value(s, UNIT_BANDWIDTH, &bytes_per_s, why, sizeof why) ? 0 : 8 * bytes_per_s;
}
