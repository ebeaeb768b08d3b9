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
#include <strings.h>
#include <unistd.h>

#include <simgrid/host.h>
#include <simgrid/link.h>
#include <xbt/dynar.h>
#include <xbt/sysdep.h>

#include "rng.h"
#include "sgx_shim.h"

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

/* Reads path into a NUL-terminated heap buffer, its length in *size (may be NULL); NULL on
 * failure (errno set). */
static char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    errno = 0;
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
    int failed = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (buf && failed) {
        free(buf);
        errno = failed;
        return NULL;
    }
    if (buf) buf[len] = '\0';
    if (size) *size = len;
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
    char *dir;    /* directory of path, where SimGrid also looks for profiles; owned */
    char **links; /* link names as SimGrid registers them (SPLITDUPLEX: _UP, _DOWN) */
    size_t n_links, cap_links;
    link_ref *refs; /* host_link up/down references */
    size_t n_refs, cap_refs;
    int generated_links; /* cluster/cabinet/peer elements make links we cannot name */
    link_ref *routes;    /* every route's "zone src dst" key (and its reverse when symmetrical) */
    size_t n_routes, cap_routes;
    int zones[64], depth, next_zone; /* the open zones (the innermost last), numbered */
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
    const char *id = tag_attr(t, "id");
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
    const char *value = tag_attr(t, attr);
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
    const char *value = tag_attr(t, attr);
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
        const char *policy = tag_attr(t, "sharing_policy");
        int wifi = policy && strcmp(policy, "WIFI") == 0;
        int n_bw = 1;
        if (check_unit_attr(pc, t, "bandwidth", UNIT_BANDWIDTH, RULE_POSITIVE, ",;", &n_bw) ||
            check_unit_attr(pc, t, "latency", UNIT_TIME, RULE_NONNEGATIVE, NULL, NULL))
            return 1;
        if (n_bw > 1 && !wifi)
            return value_error(pc, t, "bandwidth", NULL,
                               "one bandwidth (a list is for sharing_policy=\"WIFI\" links)",
                               tag_attr(t, "bandwidth"), NULL);
        double lat = 0;
        char why[160];
        const char *latency = tag_attr(t, "latency");
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
    const char *src = tag_attr(t, "src"), *dst = tag_attr(t, "dst");
    if (!src || !dst) return 0; /* SimGrid reports missing attributes itself */
    const char *sym = tag_attr(t, "symmetrical");
    int both = !sym || strcmp(sym, "NO") != 0;
    for (int k = 0; k <= both; k++) {
        size_t len = strlen(src) + strlen(dst) + 16;
        char *key = NULL;
        if (grow((void **)&pc->routes, &pc->cap_routes, pc->n_routes + 1, sizeof *pc->routes) ||
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
    static const char *const known[] = {
        "Full",    "Floyd",        "Dijkstra",       "DijkstraCache",   "None", "Vivaldi", "Wifi",
        "Cluster", "ClusterTorus", "ClusterFatTree", "ClusterDragonfly"};
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

/* Zones open and close around routes (end tags reach here). */
static int precheck_zone(const xml_tag *t, precheck *pc)
{
    int is_zone = strcmp(t->name, "zone") == 0 || strcmp(t->name, "AS") == 0;
    if (!is_zone) return 0;
    if (t->end) {
        if (pc->depth > 0) pc->depth--;
        return 0;
    }
    if (!known_routing(tag_attr(t, "routing"))) {
        const char *id = tag_attr(t, "id");
        pc->status = et_error_set(pc->err, ET_ERR_INPUT,
                                  "%s:%d: zone '%s': routing '%.64s' is not one of SimGrid's "
                                  "(Full, Floyd, Dijkstra, DijkstraCache, None, Vivaldi, Wifi, "
                                  "Cluster, ClusterTorus, ClusterFatTree, ClusterDragonfly)",
                                  pc->path, t->line, id ? id : "?", tag_attr(t, "routing"));
        return 1;
    }
    if (!t->self_closing && pc->depth < 64) pc->zones[pc->depth++] = ++pc->next_zone;
    return 0;
}

static int precheck_tag(const xml_tag *t, void *ctx)
{
    precheck *pc = ctx;
    if (precheck_zone(t, pc)) return 1;
    if (t->end) return 0;
    if (check_values(pc, t)) return 1;
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
    } else if (strcmp(t->name, "route") == 0 || strcmp(t->name, "zoneRoute") == 0 ||
               strcmp(t->name, "ASroute") == 0) {
        if (add_route(pc, t)) return 1;
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
    if (pc->n_links) qsort(pc->links, pc->n_links, sizeof *pc->links, cmp_str);
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
    for (size_t i = 0; i < pc->n_routes; i++)
        free((char *)pc->routes[i].link);
    free(pc->routes);
    free(pc->dir);
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

/* The pre-check of a platform's text: what SimGrid would abort on, or accept
 * without physical meaning. Modifies text. */
static et_status precheck_text(const char *path, char *text, et_error *err)
{
    precheck pc = {.path = path, .err = err};
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (slash == path ? 1 : (size_t)(slash - path)) : 1;
    pc.dir = malloc(dir_len + 1);
    if (!pc.dir) return et_error_set(err, ET_ERR_NOMEM, "%s: out of memory", path);
    memcpy(pc.dir, slash ? path : ".", dir_len);
    pc.dir[dir_len] = '\0';
    et_status st = xml_scan(text, precheck_tag, &pc) ? pc.status : check_host_links(&pc);
    if (st == ET_OK) st = check_routes(&pc);
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
    char *text = read_file(path, &size);
    if (!text)
        et_error_set(err, ET_ERR_INPUT, "%s: cannot read platform file: %s", path, strerror(errno));
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

et_status et_platform_check(const char *path, et_error *err)
{
    et_error_clear(err);
    if (!path) return et_error_set(err, ET_ERR_INTERNAL, "et_platform_check: NULL path");
    char *text = read_platform(path, err);
    if (!text) return err ? err->code : ET_ERR_INPUT;
    et_status st = precheck_text(path, text, err);
    free(text);
    return st;
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
    st = ET_OK;
    if (sgx_load_platform(path, what, what_size) != 0) {
        describe_load_failure(err, path, what);
        st = ET_ERR_INPUT;
    }
    free(what);
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
 * bits/s (the load's pre-check has refused anything else). */
static double parse_bandwidth_bps(const char *s)
{
    double bytes_per_s = 0;
    char why[160];
    return parse_unit_value(s, UNIT_BANDWIDTH, &bytes_per_s, why, sizeof why) ? 0 : 8 * bytes_per_s;
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
        size_t len = strcspn(p, ",;"); /* SimGrid's separators */
        snprintf(item, sizeof item, "%.*s", (int)len, p);
        w->rates_bps[w->n_rates++] = parse_bandwidth_bps(item);
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
    size_t len = strlen(zone) + 3;
    char *key = malloc(len);
    if (!key) return 0;
    snprintf(key, len, "%c|%s", kind, zone);
    const char *k = key;
    int found = z->n && bsearch(&k, z->keys, z->n, sizeof *z->keys, cmp_str) != NULL;
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
        char *text = read_file(z->path, NULL);
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
    /* A faster level needs a higher SNR; otherwise a slower one is never picked. */
    for (int i = 1; m == n && i < n; i++)
        if (!(topo->wifi_min_snr_db[i] < topo->wifi_min_snr_db[i - 1])) m = -1;
    if (m != n)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'wifi_min_snr_db': expected %d "
                            "comma-separated numbers (one per rate level), decreasing (a faster "
                            "level needs a higher SNR), got '%s'",
                            path, sname, n, snrs ? snrs : "(missing)");
    topo->n_wifi_levels = n;

    /* SimGrid's C API cannot tell a WIFI link (set_host_wifi_rate xbt_asserts
     * on any other) nor list its levels, so read them back from the XML. */
    char *text = read_file(path, NULL);
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
        same = fabs(w.rates_bps[i] - topo->wifi_rate_bps[i]) <= 1e-9 * topo->wifi_rate_bps[i];
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
