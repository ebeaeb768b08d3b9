/* paje.c: edgetune's Paje types over SimGrid's tracing (see paje.h). */
#define _DEFAULT_SOURCE
#include "paje.h"

#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <simgrid/host.h>
#include <simgrid/instr.h>
#include <simgrid/link.h>
#include <xbt/config.h>

#include "readfile.h"
#include "sgx_shim.h"
#include "xml_scan_internal.h"

const char *const et_paje_phase_names[ET_PHASE_COUNT] = {
    "idle",   "query",         "download", "local_tuning", "upload",
    "queued", "server_tuning", "result",   "handover",
};

/* Paje colours ("r g b" in [0, 1]), Okabe-Ito's colour-blind-safe palette. */
static const char *const PHASE_COLORS[ET_PHASE_COUNT] = {
    "0.9 0.9 0.9", "0.35 0.7 0.9", "0.0 0.45 0.7", "0.0 0.6 0.5", "0.94 0.89 0.26",
    "0.9 0.6 0.0", "0.8 0.4 0.0",  "0.8 0.6 0.7",  "0.0 0.0 0.0",
};

#define NAME_MAX_LEN 64

struct et_paje {
    const et_topology *topo;
    char (*device_class)[NAME_MAX_LEN]; /* (n_ue) its device class, Paje-safe (for marks) */
    char (*ue_name)[NAME_MAX_LEN];  /* (n_ue) its host name, Paje-safe (for marks) */
    double (*rate)[2];              /* (n_ue) the last rates traced; NAN: none yet */
    int *phase;                     /* (n_ue) its phase now */
    char *held;                     /* (n_ue) 1 while its state is `handover` */
    int *class_of;                  /* (n_ue) its device class: index of the class's first UE */
    int *jobs;                      /* (n_servers x n_ue x 2) per server and class (by its first
                                       UE): jobs queued [0] and tuning [1] */
    int *queue;                     /* (n_servers) last queue length traced; -1: none */
    double *memory;                 /* (n_servers) last memory traced; NAN: none */
};

int et_paje_tracing(void)
{
    return sg_cfg_get_boolean("tracing") != 0;
}

/* SimGrid writes names into the file unquoted, one event a line with blank-separated fields:
 * anything but letters, digits and "_-.:" becomes '_'. */
static void paje_safe(char *out, const char *in)
{
    size_t i = 0;
    for (; in[i] && i + 1 < NAME_MAX_LEN; i++) {
        char c = in[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-' || c == '.' || c == ':';
        out[i] = ok ? c : '_';
    }
    out[i] = '\0';
}

/* ------------------------------------------------------- the platform's one-way form */

typedef struct copy_ctx {
    FILE *out;
    const char *dir; /* the original's folder, for relative profile files */
    char **split;    /* names of the SPLITDUPLEX links seen so far */
    int n_split, cap_split;
    xml_tag held; /* inside a SPLITDUPLEX <link>...</link>: its start tag and children */
    char *held_children;
    size_t held_size;
    FILE *held_out;
    int pass;         /* 1: collect the links of nested zones; 2: write the copy */
    int depth;        /* zones open */
    int in_link;      /* inside <link>...</link> */
    int link_nested;  /* ... of a nested zone */
    FILE *moved;      /* pass 1: the nested zones' links */
    char *moved_text; /* pass 2: what pass 1 collected, written where the first one was */
    size_t moved_size;
    int moved_done;
    int failed;
    /* Pass 1's census for the tracer's limit with Wi-Fi (et_paje_platform_copy). */
    int top_zones;       /* zones opened directly inside the root zone so far */
    int wifi_zone;       /* the one (1 = first) holding the first nested WIFI link; 0 none */
    int n_wifi;          /* nested WIFI links */
    const char *wifi_id; /* the first one's id (in pass 1's text) */
    int moved_links;     /* nested links other than WIFI ones */
    int links_zone;      /* the top zone holding the first of them */
} copy_ctx;

static int is_split(const copy_ctx *c, const char *id)
{
    for (int i = 0; i < c->n_split; i++)
        if (!strcmp(c->split[i], id)) return 1;
    return 0;
}

static void put_value(FILE *out, const char *v)
{
    for (; *v; v++)
        if (*v == '"')
            fputs("&quot;", out);
        else
            fputc(*v, out);
}

/* A profile file (speed_file, bandwidth_file, ..., include's file) relative to the original:
 * SimGrid looks in ./ then in the platform's folder; the copy lives elsewhere. */
static void put_attr(const copy_ctx *c, FILE *out, const xml_attr *a)
{
    fprintf(out, " %s=\"", a->name);
    size_t n = strlen(a->name);
    int is_file = !strcmp(a->name, "file") || (n > 5 && !strcmp(a->name + n - 5, "_file"));
    if (is_file && a->value[0] != '/' && access(a->value, F_OK) != 0) {
        put_value(out, c->dir);
        fputc('/', out);
    }
    put_value(out, a->value);
    fputc('"', out);
}

static void put_tag(const copy_ctx *c, FILE *out, const xml_tag *t, const char *id_suffix)
{
    if (t->end) {
        fprintf(out, "</%s>\n", t->name);
        return;
    }
    fprintf(out, "<%s", t->name);
    for (int i = 0; i < t->n_attrs; i++) {
        const xml_attr *a = &t->attrs[i];
        if (id_suffix && !strcmp(a->name, "sharing_policy")) continue;
        if (id_suffix && !strcmp(a->name, "id")) {
            fprintf(out, " id=\"");
            put_value(out, a->value);
            fprintf(out, "%s\"", id_suffix);
            continue;
        }
        put_attr(c, out, a);
    }
    fputs(t->self_closing ? "/>\n" : ">\n", out);
}

static int emit_tag(copy_ctx *c, FILE *sink, const xml_tag *t)
{
    if (c->held_out) { /* inside a SPLITDUPLEX link: hold its children until it ends */
        if (t->end && !strcmp(t->name, "link")) {
            fclose(c->held_out);
            c->held_out = NULL;
            static const char *const half[2] = {"_UP", "_DOWN"};
            for (int h = 0; h < 2; h++) {
                put_tag(c, sink, &c->held, half[h]);
                fprintf(sink, "%s</link>\n", c->held_children);
            }
            free(c->held_children);
            c->held_children = NULL;
            return 0;
        }
        put_tag(c, c->held_out, t, NULL);
        return 0;
    }
    const char *policy = et_xml_attr(t, "sharing_policy");
    const char *id = et_xml_attr(t, "id");
    if (!t->end && !strcmp(t->name, "link") && id && policy && et_xml_value_is(policy, "SPLITDUPLEX")) {
        if (c->n_split == c->cap_split) {
            int cap = c->cap_split ? 2 * c->cap_split : 64;
            char **grown = realloc(c->split, (size_t)cap * sizeof *grown);
            if (!grown) return c->failed = ENOMEM;
            c->split = grown;
            c->cap_split = cap;
        }
        if (!(c->split[c->n_split] = strdup(id))) return c->failed = ENOMEM;
        c->n_split++;
        if (t->self_closing) {
            put_tag(c, sink, t, "_UP");
            put_tag(c, sink, t, "_DOWN");
            return 0;
        }
        /* Its strings live in the scanned text until the scan ends. */
        c->held = *t;
        c->held_out = open_memstream(&c->held_children, &c->held_size);
        if (!c->held_out) return c->failed = ENOMEM;
        return 0;
    }
    const char *dir = et_xml_attr(t, "direction");
    if (!t->end && !strcmp(t->name, "link_ctn") && id && dir && is_split(c, id)) {
        fprintf(sink, "<link_ctn id=\"");
        put_value(sink, id);
        fprintf(sink, "%s\"/>\n", et_xml_value_is(dir, "UP") ? "_UP" : "_DOWN");
        return 0;
    }
    put_tag(c, sink, t, NULL);
    return 0;
}

/* SimGrid 3.32's tracer nests each zone's container in the previous sibling's and seals the
 * links of a second nested zone again when the run starts: it aborts ("container wl1 already
 * present in all_containers_") or crashes. The links of every nested zone (a zone inside the
 * root zone) are therefore declared together where the first of them was: links are named
 * globally, so host_link, route and zoneRoute find them all the same. A Wifi zone's WIFI link
 * stays where it is (a WIFI link exists only in its Wifi zone). */
static int copy_tag(const xml_tag *t, void *ctx)
{
    copy_ctx *c = ctx;
    int is_zone = !strcmp(t->name, "zone"), is_link = !strcmp(t->name, "link");
    if (is_zone) c->depth += t->end ? -1 : (t->self_closing ? 0 : 1);
    if (is_zone && !t->end && c->depth == 2) c->top_zones++;
    /* A WIFI link stays in its Wifi zone: SimGrid makes a link WIFI only there. */
    const char *policy = is_link && !t->end ? et_xml_attr(t, "sharing_policy") : NULL;
    int wifi = policy && et_xml_value_is(policy, "WIFI");
    int nested = c->in_link ? c->link_nested : (is_link && !t->end && c->depth >= 2 && !wifi);
    if (c->pass == 1 && is_link && !t->end && c->depth >= 2) {
        if (wifi && !c->n_wifi++) c->wifi_zone = c->top_zones, c->wifi_id = et_xml_attr(t, "id");
        if (!wifi && !c->moved_links++) c->links_zone = c->top_zones;
    }
    if (is_link && !t->end && !t->self_closing) {
        c->in_link = 1;
        c->link_nested = nested;
    }
    if (is_link && t->end) c->in_link = 0;
    FILE *sink = NULL;
    if (c->pass == 1) {
        sink = nested ? c->moved : NULL;
    } else if (!nested) {
        sink = c->out;
    } else if (!c->moved_done) {
        fputs(c->moved_text ? c->moved_text : "", c->out);
        c->moved_done = 1;
    }
    return sink ? emit_tag(c, sink, t) : 0;
}

et_status et_paje_platform_copy(const char *path, char **copy, et_error *err)
{
    *copy = NULL;
    char *text = NULL;
    et_status st = et_read_input(path, "the platform", ET_MAX_PLATFORM_BYTES, &text, NULL, err);
    if (st != ET_OK) return st;
    char path_copy[ET_PATH_MAX];
    snprintf(path_copy, sizeof path_copy, "%s", path);
    const char *dir = dirname(path_copy); /* "." for a bare file name */
    const char *tmpdir = getenv("TMPDIR");
    if (!tmpdir || !*tmpdir) tmpdir = "/tmp";
    size_t name_size = strlen(tmpdir) + 48;
    char *name = malloc(name_size);
    if (name) snprintf(name, name_size, "%s/edgetune-paje-platform-XXXXXX.xml", tmpdir);
    if (!name) {
        free(text);
        return et_error_set(err, ET_ERR_NOMEM, "out of memory");
    }
    int fd = mkstemps(name, 4);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!out) {
        st = et_error_set(err, ET_ERR_IO, "%s: cannot write the platform's copy for --paje: %s",
                          name, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(name);
        }
        free(name);
        free(text);
        return st;
    }
    fputs("<?xml version=\"1.0\"?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n",
          out);
    copy_ctx c = {.out = out, .dir = dir};
    /* The scan writes into the text: pass 1 reads a copy of it. */
    char *again = strdup(text);
    c.moved = open_memstream(&c.moved_text, &c.moved_size);
    int rc = !again || !c.moved ? (c.failed = ENOMEM) : 0;
    if (!rc) {
        c.pass = 1;
        rc = et_xml_scan(again, copy_tag, &c);
    }
    if (c.moved) fclose(c.moved);
    c.moved = NULL;
    /* SimGrid 3.32's tracer registers a nested zone's links a second time when the run starts
     * (the moves above avoid it for the other links), and a WIFI link cannot move out of its
     * Wifi zone. Measured: one Wi-Fi cell traces when its zone lies in the root zone's first
     * zone and the moved links land there too (the single-cell Wi-Fi layout; a mixed platform
     * whose first zone holds the Wifi zone, then links: docs/platforms.md section 8); a Wifi
     * zone elsewhere aborts ("container <link> already present in all_containers_"), and two
     * Wi-Fi cells or the other links in another zone crash the tracer. */
    if (!rc && !c.failed && c.n_wifi &&
        (c.n_wifi > 1 || c.wifi_zone != 1 || (c.moved_links > 0 && c.links_zone != 1))) {
        st = et_error_set(err, ET_ERR_INPUT,
                          "%s: --paje: SimGrid 3.32's tracer cannot trace this platform: WIFI "
                          "link '%s': %s (it traces one Wi-Fi cell whose Wifi zone sits in the "
                          "root zone's first zone, the other zones' links declared after it "
                          "there: docs/platforms.md section 8); run without --paje",
                          path, c.wifi_id ? c.wifi_id : "?",
                          c.n_wifi > 1       ? "another Wi-Fi cell's WIFI link beside it"
                          : c.wifi_zone != 1 ? "its zone is not in the root zone's first zone"
                                             : "the first nested link lies outside its zone");
        rc = -1;
    }
    if (!rc && !c.failed) {
        /* Pass 2 keeps the SPLITDUPLEX names pass 1 saw: routes name nested links. */
        c.pass = 2;
        c.depth = c.in_link = 0;
        rc = et_xml_scan(text, copy_tag, &c);
    }
    free(again);
    free(c.moved_text);
    if (c.held_out) fclose(c.held_out);
    free(c.held_children);
    for (int i = 0; i < c.n_split; i++)
        free(c.split[i]);
    free(c.split);
    free(text);
    int write_failed = ferror(out) != 0;
    write_failed |= fclose(out) != 0;
    if (st != ET_OK || rc != 0 || c.failed || write_failed) {
        unlink(name);
        free(name);
        if (st != ET_OK) return st;
        /* The pre-check read the same text: a scan failure here is memory or the disk. */
        return et_error_set(err, c.failed == ENOMEM ? ET_ERR_NOMEM : ET_ERR_IO,
                            "%s: cannot write its one-way copy for --paje", path);
    }
    *copy = name;
    return ET_OK;
}

/* ---------------------------------------------------------------- types and events */

et_status et_paje_create(const et_topology *topo, et_paje **out, et_error *err)
{
    *out = NULL;
    if (!et_paje_tracing()) return ET_OK;
    et_paje *p = calloc(1, sizeof *p);
    int n = topo->n_ue;
    if (p) {
        p->topo = topo;
        p->device_class = calloc((size_t)n, sizeof *p->device_class);
        p->ue_name = calloc((size_t)n, sizeof *p->ue_name);
        p->rate = calloc((size_t)n, sizeof *p->rate);
        p->phase = calloc((size_t)n, sizeof *p->phase);
        p->held = calloc((size_t)n, sizeof *p->held);
        p->class_of = calloc((size_t)n, sizeof *p->class_of);
        p->jobs = calloc((size_t)topo->n_servers * (size_t)n * 2, sizeof *p->jobs);
        p->queue = calloc((size_t)topo->n_servers, sizeof *p->queue);
        p->memory = calloc((size_t)topo->n_servers, sizeof *p->memory);
    }
    if (!p || !p->device_class || !p->ue_name || !p->rate || !p->phase || !p->held ||
        !p->class_of || !p->jobs || !p->queue || !p->memory) {
        et_paje_destroy(p);
        return et_error_set(err, ET_ERR_NOMEM, "out of memory for the Paje trace's types");
    }
    TRACE_host_state_declare("phase");
    for (int k = 0; k < ET_PHASE_COUNT; k++)
        TRACE_host_state_declare_value("phase", et_paje_phase_names[k], PHASE_COLORS[k]);
    sgx_trace_declare_variable(0, "rate_up_bps", "0 0.45 0.7");
    sgx_trace_declare_variable(0, "rate_down_bps", "0.9 0.6 0");
    sgx_trace_declare_variable(0, "queue", "0.8 0.4 0");
    sgx_trace_declare_variable(0, "memory_used_bytes", "0 0.6 0.5");
    sgx_trace_declare_variable(1, "rate_bps", "0 0.45 0.7");
    sgx_trace_declare_mark("decision");
    for (int i = 0; i < n; i++) {
        paje_safe(p->device_class[i], topo->ues[i].device_class);
        paje_safe(p->ue_name[i], topo->ues[i].name);
        p->rate[i][0] = p->rate[i][1] = NAN;
        p->class_of[i] = i;
        for (int j = 0; j < i && p->class_of[i] == i; j++)
            if (!strcmp(p->device_class[j], p->device_class[i])) p->class_of[i] = j;
        if (p->class_of[i] == i)
            for (int kind = 0; kind < 2; kind++) {
                char name[NAME_MAX_LEN + 16];
                snprintf(name, sizeof name, "%s_%s", kind ? "tuning" : "queued",
                         p->device_class[i]);
                sgx_trace_declare_variable(0, name, kind ? "0.8 0.4 0" : "0.9 0.6 0");
            }
    }
    for (int k = 0; k < topo->n_servers; k++) {
        p->queue[k] = -1;
        p->memory[k] = NAN;
        et_paje_server(p, k, 0, 0.0); /* empty from the start */
        for (int i = 0; i < n; i++)
            if (p->class_of[i] == i) {
                char name[NAME_MAX_LEN + 16];
                for (int kind = 0; kind < 2; kind++) {
                    snprintf(name, sizeof name, "%s_%s", kind ? "tuning" : "queued",
                             p->device_class[i]);
                    sgx_trace_set_variable(0, topo->servers[k].name, name, 0);
                }
            }
    }
    *out = p;
    return ET_OK;
}

void et_paje_destroy(et_paje *p)
{
    if (!p) return;
    free(p->device_class);
    free(p->ue_name);
    free(p->rate);
    free(p->phase);
    free(p->held);
    free(p->class_of);
    free(p->jobs);
    free(p->queue);
    free(p->memory);
    free(p);
}

/* Server k's jobs of UE ue's class queued (kind 0) or tuning (kind 1) change by delta. */
static void class_jobs(et_paje *p, int ue, int kind, int delta)
{
    int k = p->topo->ues[ue].server, c = p->class_of[ue];
    int *count = &p->jobs[((size_t)k * (size_t)p->topo->n_ue + (size_t)c) * 2 + (size_t)kind];
    *count += delta;
    char name[NAME_MAX_LEN + 16];
    snprintf(name, sizeof name, "%s_%s", kind ? "tuning" : "queued", p->device_class[c]);
    sgx_trace_set_variable(0, p->topo->servers[k].name, name, *count);
}

void et_paje_phase_set(et_paje *p, int ue, et_paje_phase phase)
{
    if (!p) return;
    TRACE_host_set_state(p->topo->ues[ue].name, "phase", et_paje_phase_names[phase]);
    /* Per device class, the server's jobs queued and tuning (SimGrid's categories, paje.h). */
    int was = p->phase[ue];
    p->phase[ue] = (int)phase;
    p->held[ue] = 0;
    if (was == ET_PHASE_QUEUED || was == ET_PHASE_SERVER) class_jobs(p, ue, was == ET_PHASE_SERVER, -1);
    if (phase == ET_PHASE_QUEUED || phase == ET_PHASE_SERVER)
        class_jobs(p, ue, phase == ET_PHASE_SERVER, 1);
}

void et_paje_handover(et_paje *p, int ue, int on)
{
    if (!p || p->held[ue] == (on != 0)) return;
    p->held[ue] = on != 0;
    TRACE_host_set_state(p->topo->ues[ue].name, "phase",
                         et_paje_phase_names[on ? ET_PHASE_HANDOVER : p->phase[ue]]);
}

void et_paje_decision(et_paje *p, int ue, int local, double keep)
{
    if (!p) return;
    char value[2 * NAME_MAX_LEN + 32];
    snprintf(value, sizeof value, "%s|%s|%s|k=%.3f", p->ue_name[ue], p->device_class[ue],
             local ? "LOCAL" : "SERVER", keep);
    sgx_trace_mark("decision", value);
}

void et_paje_rates(et_paje *p, int ue, double up_bps, double down_bps)
{
    if (!p) return;
    const et_ue_host *h = &p->topo->ues[ue];
    double rate[2] = {up_bps, down_bps};
    static const char *const host_var[2] = {"rate_up_bps", "rate_down_bps"};
    sg_link_t link[2] = {h->link_up, h->link_down};
    for (int d = 0; d < 2; d++) {
        if (p->rate[ue][d] == rate[d]) continue;
        p->rate[ue][d] = rate[d];
        sgx_trace_set_variable(0, h->name, host_var[d], rate[d]);
        if (link[d]) sgx_trace_set_variable(1, sg_link_get_name(link[d]), "rate_bps", rate[d]);
    }
}

void et_paje_server(et_paje *p, int k, int queue, double memory_bytes)
{
    if (!p) return;
    const char *name = p->topo->servers[k].name;
    if (p->queue[k] != queue) {
        p->queue[k] = queue;
        sgx_trace_set_variable(0, name, "queue", queue);
    }
    if (!(p->memory[k] == memory_bytes)) {
        p->memory[k] = memory_bytes;
        sgx_trace_set_variable(0, name, "memory_used_bytes", memory_bytes);
    }
}
