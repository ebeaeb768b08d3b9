/* sweep.c: parameter sweeps over processes and MPI ranks (see sweep.h). */
#define _DEFAULT_SOURCE
#include "sweep.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bootstrap.h"
#include "interrupt.h"
#include "jsontext.h"
#include "readfile.h"
#include "registry.h"
#include "scenario_cjson.h"
#include "stats.h"
#include "trace.h"

extern char **environ;

#define MAX_METRICS 32
#define MAX_POLICIES 64
#define MAX_SEEDS 1000
#define MAX_RUNS 1000000
#define MAX_ARGS 96

/* Numbers a run's summary.json "result" holds (stats.h's tables, docs/traces.md), which a SPEC
 * may collect. */
#define SWEEP_METRIC(name, kind, value, unit, meaning) #name,
#define SWEEP_SERVER_LOAD(name, kind, value, unit, meaning) "server_load." #name,
#define SWEEP_ENGINE(name, kind, value, unit, meaning) "engine." #name,
static const char *const METRICS[] = {ET_RESULT_METRICS(SWEEP_METRIC)
                                          ET_RESULT_SERVER_LOAD(SWEEP_SERVER_LOAD)
                                              ET_RESULT_ENGINE(SWEEP_ENGINE)};
#define N_KNOWN_METRICS (sizeof METRICS / sizeof METRICS[0])

/* Scenario keys holding file paths: relative values in a SPEC are relative to the SPEC. */
static const char *const PATH_KEYS[] = {"platform", "model", "mobility.trace"};

/* ---- the SPEC ------------------------------------------------------------------------------ */

typedef struct pair {
    char *key;      /* dotted scenario key, or gen.OPTION */
    const cJSON *v; /* a scalar (set, points) or an array of scalars (grid) */
} pair;

typedef struct pair_list {
    pair *p;
    int n, cap;
} pair_list;

typedef struct sw_policy {
    char name[64];
    char label[32];
    char checkpoint[ET_PATH_MAX]; /* absolute; "" for baselines */
} sw_policy;

typedef struct sw_spec {
    const char *path;
    char dir[ET_PATH_MAX]; /* the SPEC's directory, absolute */
    cJSON *root;
    cJSON *base; /* the base scenario, resolved, every key, absolute paths */
    pair_list set, grid;
    pair_list *entries; /* "points" */
    int n_entries;
    char **cols; /* swept keys, in the order first met (points, then grid) */
    int n_cols;
    long n_combos, n_points, n_runs;
    uint64_t seeds[MAX_SEEDS];
    int n_seeds;
    sw_policy pol[MAX_POLICIES];
    int n_pol;
    int metric[MAX_METRICS]; /* indices into METRICS */
    int n_metrics;
    int channel_trace;
} sw_spec;

static et_status nomem(et_error *err)
{
    return et_error_set(err, ET_ERR_NOMEM, "sweep: out of memory");
}

static et_status list_add(pair_list *l, const char *key, const cJSON *v, et_error *err)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        pair *p = realloc(l->p, (size_t)cap * sizeof *p);
        if (!p) return nomem(err);
        l->p = p;
        l->cap = cap;
    }
    l->p[l->n].key = strdup(key);
    if (!l->p[l->n].key) return nomem(err);
    l->p[l->n++].v = v;
    return ET_OK;
}

static void list_free(pair_list *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->p[i].key);
    free(l->p);
    memset(l, 0, sizeof *l);
}

static const cJSON *list_get(const pair_list *l, const char *key)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->p[i].key, key)) return l->p[i].v;
    return NULL;
}

static int is_scalar(const cJSON *v)
{
    return cJSON_IsNumber(v) || cJSON_IsString(v) || cJSON_IsBool(v);
}

/* edgetune platform's options a SPEC may set as gen.* keys: those taking a value, and the
 * flags (true or false). -o/--output is the sweep's own (each run's platform.xml), --help is
 * not a platform. */
static const char *const GEN_VALUE_KEYS[] = {
    "ues",      "seed",           "cells",        "layout",       "isd",
    "core_bps", "core_latency_s", "server_flops", "server_cores", "cell_radius"};
static const char *const GEN_FLAG_KEYS[] = {"wifi", "full_routing", "shared_server"};

/* A gen.* key: a known option of edgetune platform, with a value of its kind (v, or each
 * element of v when it is a grid's array). */
static et_status check_gen_key(const sw_spec *s, const char *where, const char *key, const cJSON *v,
                               et_error *err)
{
    const char *opt = key + 4;
    int flag = -1;
    for (size_t i = 0; i < sizeof GEN_VALUE_KEYS / sizeof GEN_VALUE_KEYS[0]; i++)
        if (!strcmp(opt, GEN_VALUE_KEYS[i])) flag = 0;
    for (size_t i = 0; i < sizeof GEN_FLAG_KEYS / sizeof GEN_FLAG_KEYS[0]; i++)
        if (!strcmp(opt, GEN_FLAG_KEYS[i])) flag = 1;
    if (flag < 0)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: unknown key '%s.%s' (gen.* keys are edgetune platform's options: "
                            "ues, seed, cells, layout, isd, core_bps, core_latency_s, "
                            "server_flops, server_cores, cell_radius, wifi, full_routing, "
                            "shared_server; the sweep writes each run's platform itself)",
                            s->path, where, key);
    const cJSON *first = cJSON_IsArray(v) ? v->child : v;
    for (const cJSON *e = first; e; e = cJSON_IsArray(v) ? e->next : NULL) {
        if (flag && !cJSON_IsBool(e))
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key '%s.%s': expected true or false (edgetune platform "
                                "--%s is a flag)",
                                s->path, where, key, opt);
        if (!flag && cJSON_IsBool(e))
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key '%s.%s': expected a number or a string (the value of "
                                "edgetune platform's option), got %s",
                                s->path, where, key, cJSON_IsTrue(e) ? "true" : "false");
    }
    return ET_OK;
}

/* Flattens {"a": {"b": 1}} into a.b = 1. Leaves must be scalars (arrays: non-empty arrays of
 * scalars). where names the object in messages ("set", "points[2]"). */
static et_status flatten(const sw_spec *s, const cJSON *obj, const char *prefix, const char *where,
                         int arrays, pair_list *out, et_error *err)
{
    for (const cJSON *it = obj->child; it; it = it->next) {
        char key[256];
        snprintf(key, sizeof key, "%s%s%s", prefix, prefix[0] ? "." : "", it->string);
        if (cJSON_IsObject(it)) {
            et_status st = flatten(s, it, key, where, arrays, out, err);
            if (st != ET_OK) return st;
            continue;
        }
        int good = arrays ? cJSON_IsArray(it) && cJSON_GetArraySize(it) > 0 : is_scalar(it);
        for (const cJSON *e = arrays && good ? it->child : NULL; e && good; e = e->next)
            good = is_scalar(e);
        if (!good)
            return et_error_set(err, ET_ERR_INPUT, "%s: key '%s.%s': expected %s", s->path, where,
                                key,
                                arrays ? "a non-empty array of numbers, strings or booleans"
                                       : "a number, string or boolean");
        if (list_get(out, key))
            return et_error_set(err, ET_ERR_INPUT, "%s: key '%s.%s' appears twice", s->path, where,
                                key);
        if (!strncmp(key, "gen.", 4)) {
            et_status st = check_gen_key(s, where, key, it, err);
            if (st != ET_OK) return st;
        }
        if (!strcmp(key, "seed") || !strcmp(key, "policy") || !strcmp(key, "out"))
            return et_error_set(err, ET_ERR_INPUT, "%s: key '%s.%s': the sweep sets it (use %s)",
                                s->path, where, key,
                                !strcmp(key, "seed")     ? "\"seeds\""
                                : !strcmp(key, "policy") ? "\"policies\""
                                                         : "edgetune sweep --out DIR");
        et_status st = list_add(out, key, it, err);
        if (st != ET_OK) return st;
    }
    return ET_OK;
}

/* Joins the SPEC's directory and a relative path (absolute ones are kept). */
static void spec_path(const sw_spec *s, const char *path, char *out, size_t size)
{
    if (path[0] == '/' || !path[0])
        snprintf(out, size, "%s", path);
    else
        snprintf(out, size, "%s/%s", s->dir, path);
}

/* An absolute form of path (from the working directory), without touching the file. */
static void absolute(const char *path, char *out, size_t size)
{
    char cwd[ET_PATH_MAX];
    if (path[0] == '/' || !path[0] || !getcwd(cwd, sizeof cwd))
        snprintf(out, size, "%s", path);
    else
        snprintf(out, size, "%s/%s", cwd, path);
}

static int is_path_key(const char *key)
{
    for (size_t i = 0; i < sizeof PATH_KEYS / sizeof PATH_KEYS[0]; i++)
        if (!strcmp(key, PATH_KEYS[i])) return 1;
    return 0;
}

static int col_index(const sw_spec *s, const char *key)
{
    for (int i = 0; i < s->n_cols; i++)
        if (!strcmp(s->cols[i], key)) return i;
    return -1;
}

static et_status add_col(sw_spec *s, const char *key, et_error *err)
{
    if (col_index(s, key) >= 0) return ET_OK;
    char **c = realloc(s->cols, (size_t)(s->n_cols + 1) * sizeof *c);
    if (!c) return nomem(err);
    s->cols = c;
    if (!(s->cols[s->n_cols] = strdup(key))) return nomem(err);
    s->n_cols++;
    return ET_OK;
}

/* The value point p gives swept key col, or NULL when that point leaves it at the base's. */
static const cJSON *point_value(const sw_spec *s, long p, const char *key)
{
    long entry = p / s->n_combos, combo = p % s->n_combos;
    /* The grid's first key varies slowest. */
    long stride = s->n_combos;
    for (int g = 0; g < s->grid.n; g++) {
        long len = cJSON_GetArraySize(s->grid.p[g].v);
        stride /= len;
        if (!strcmp(s->grid.p[g].key, key))
            return cJSON_GetArrayItem(s->grid.p[g].v, (int)(combo / stride % len));
    }
    return s->n_entries ? list_get(&s->entries[entry], key) : NULL;
}

static et_status parse_seeds(sw_spec *s, const cJSON *v, et_error *err)
{
    if (!v) {
        /* The resolved scenario writes its seed as exact digits (a raw number). */
        cJSON *seed = cJSON_GetObjectItemCaseSensitive(s->base, "seed");
        s->seeds[0] = !seed               ? 1
                      : cJSON_IsRaw(seed) ? strtoull(seed->valuestring, NULL, 10)
                                          : (uint64_t)seed->valuedouble;
        s->n_seeds = 1;
        return ET_OK;
    }
    if (cJSON_IsNumber(v)) {
        double n = v->valuedouble;
        if (n != floor(n) || n < 1 || n > MAX_SEEDS)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key 'seeds': expected an integer in [1, %d] or an array of "
                                "seeds, got %.17g",
                                s->path, MAX_SEEDS, n);
        s->n_seeds = (int)n;
        for (int i = 0; i < s->n_seeds; i++)
            s->seeds[i] = (uint64_t)i + 1;
        return ET_OK;
    }
    int n = cJSON_IsArray(v) ? cJSON_GetArraySize(v) : 0;
    if (n < 1 || n > MAX_SEEDS)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'seeds': expected an integer in [1, %d] or a non-empty array "
                            "of at most %d seeds",
                            s->path, MAX_SEEDS, MAX_SEEDS);
    int i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        double x = cJSON_IsNumber(e) ? e->valuedouble : -1;
        if (x != floor(x) || x < 0 || x > 9007199254740991.0)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key 'seeds[%d]': expected a non-negative integer", s->path, i);
        s->seeds[i] = (uint64_t)x;
        for (int j = 0; j < i; j++)
            if (s->seeds[j] == s->seeds[i])
                return et_error_set(err, ET_ERR_INPUT, "%s: key 'seeds[%d]': seed %.0f twice",
                                    s->path, i, x);
    }
    s->n_seeds = n;
    return ET_OK;
}

static et_status parse_policy(sw_spec *s, int i, const cJSON *e, et_error *err)
{
    sw_policy *p = &s->pol[i];
    const cJSON *name = e, *ckpt = NULL, *label = NULL;
    if (cJSON_IsObject(e)) {
        for (const cJSON *it = e->child; it; it = it->next)
            if (strcmp(it->string, "policy") && strcmp(it->string, "checkpoint") &&
                strcmp(it->string, "label"))
                return et_error_set(err, ET_ERR_INPUT,
                                    "%s: unknown key 'policies[%d].%s' (expected policy, "
                                    "checkpoint, label)",
                                    s->path, i, it->string);
        name = cJSON_GetObjectItemCaseSensitive(e, "policy");
        ckpt = cJSON_GetObjectItemCaseSensitive(e, "checkpoint");
        label = cJSON_GetObjectItemCaseSensitive(e, "label");
    }
    char names[512];
    et_policy_names_text(-1, names, sizeof names);
    const et_policy_info *info = cJSON_IsString(name) ? et_policy_find(name->valuestring) : NULL;
    if (!info)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'policies[%d]%s': expected a policy (%s) or an object "
                            "{\"policy\", \"checkpoint\", \"label\"}",
                            s->path, i, cJSON_IsObject(e) ? ".policy" : "", names);
    snprintf(p->name, sizeof p->name, "%s", info->name);
    if (ckpt && (!cJSON_IsString(ckpt) || !ckpt->valuestring[0] ||
                 strlen(ckpt->valuestring) >= ET_PATH_MAX / 2))
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'policies[%d].checkpoint': expected a "
                            "file path",
                            s->path, i);
    if (info->learned && !ckpt)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'policies[%d]': policy '%s' is learned: give "
                            "{\"policy\": \"%s\", \"checkpoint\": FILE} (edgetune train writes "
                            "one)",
                            s->path, i, info->name, info->name);
    if (!info->learned && ckpt)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'policies[%d].checkpoint': policy '%s' is a baseline and "
                            "takes no checkpoint",
                            s->path, i, info->name);
    if (ckpt) {
        char rel[ET_PATH_MAX];
        spec_path(s, ckpt->valuestring, rel, sizeof rel);
        absolute(rel, p->checkpoint, sizeof p->checkpoint);
        if (access(p->checkpoint, R_OK) != 0)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key 'policies[%d].checkpoint': cannot read %s: %s (train "
                                "it first: edgetune train --out DIR)",
                                s->path, i, rel, strerror(errno));
    }
    const char *lab = info->name;
    if (label) {
        int good = cJSON_IsString(label) && label->valuestring[0] &&
                   strlen(label->valuestring) < sizeof p->label;
        for (const char *c = good ? label->valuestring : ""; *c && good; c++)
            good = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                   (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.';
        if (!good)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key 'policies[%d].label': expected 1 to %zu letters, digits, "
                                "'-', '_' or '.'",
                                s->path, i, sizeof p->label - 1);
        lab = label->valuestring;
    }
    snprintf(p->label, sizeof p->label, "%s", lab);
    for (int j = 0; j < i; j++)
        if (!strcmp(s->pol[j].label, p->label))
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key 'policies[%d]': label '%s' twice (give each a \"label\")",
                                s->path, i, p->label);
    return ET_OK;
}

static et_status parse_policies(sw_spec *s, const cJSON *v, et_error *err)
{
    if (!v) {
        cJSON *pol = cJSON_GetObjectItemCaseSensitive(s->base, "policy");
        cJSON *one = cJSON_CreateString(cJSON_GetStringValue(pol));
        if (!one) return nomem(err);
        s->n_pol = 1;
        et_status st = parse_policy(s, 0, one, err);
        cJSON_Delete(one);
        return st;
    }
    int n = cJSON_IsArray(v) ? cJSON_GetArraySize(v) : 0;
    if (n < 1 || n > MAX_POLICIES)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'policies': expected a non-empty array of at most %d policies",
                            s->path, MAX_POLICIES);
    s->n_pol = n;
    int i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        et_status st = parse_policy(s, i, e, err);
        if (st != ET_OK) return st;
    }
    return ET_OK;
}

static et_status parse_metrics(sw_spec *s, const cJSON *v, et_error *err)
{
    static const char *const dflt[] = {"mean_delay_s", "mean_ppl", "episodic_reward"};
    if (cJSON_IsString(v) && !strcmp(v->valuestring, "all")) {
        for (size_t i = 0; i < N_KNOWN_METRICS; i++)
            s->metric[s->n_metrics++] = (int)i;
        return ET_OK;
    }
    int n = v ? (cJSON_IsArray(v) ? cJSON_GetArraySize(v) : 0) : 3;
    if (n < 1 || n > MAX_METRICS)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'metrics': expected \"all\" or a non-empty array of names "
                            "from a run's summary.json result (docs/sweeps.md)",
                            s->path);
    for (int i = 0; i < n; i++) {
        const cJSON *e = v ? cJSON_GetArrayItem(v, i) : NULL;
        const char *name = v ? cJSON_GetStringValue(e) : dflt[i];
        int k = -1;
        for (size_t j = 0; name && j < N_KNOWN_METRICS && k < 0; j++)
            if (!strcmp(name, METRICS[j])) k = (int)j;
        if (k < 0)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key 'metrics[%d]': expected a number of summary.json's "
                                "result (mean_delay_s, mean_ppl, episodic_reward, ...; "
                                "docs/sweeps.md lists them)",
                                s->path, i);
        for (int j = 0; j < s->n_metrics; j++)
            if (s->metric[j] == k)
                return et_error_set(err, ET_ERR_INPUT, "%s: key 'metrics[%d]': '%s' twice", s->path,
                                    i, name);
        s->metric[s->n_metrics++] = k;
    }
    return ET_OK;
}

/* Reads a whole text file; NULL on failure (errno set; EIO for a NUL byte in it). */
static char *read_text(const char *path)
{
    size_t len = 0;
    char *text = et_read_file(path, &len);
    if (text && strlen(text) != len) {
        free(text);
        errno = EIO;
        return NULL;
    }
    return text;
}

static void spec_free(sw_spec *s)
{
    cJSON_Delete(s->root);
    cJSON_Delete(s->base);
    list_free(&s->set);
    list_free(&s->grid);
    for (int i = 0; i < s->n_entries; i++)
        list_free(&s->entries[i]);
    free(s->entries);
    for (int i = 0; i < s->n_cols; i++)
        free(s->cols[i]);
    free(s->cols);
}

static et_status load_base(sw_spec *s, const cJSON *v, const char *data_dir, et_error *err)
{
    char path[ET_PATH_MAX];
    if (v &&
        (!cJSON_IsString(v) || !v->valuestring[0] || strlen(v->valuestring) >= ET_PATH_MAX / 2))
        return et_error_set(err, ET_ERR_INPUT, "%s: key 'base': expected a scenario file path",
                            s->path);
    if (v)
        spec_path(s, v->valuestring, path, sizeof path);
    else
        snprintf(path, sizeof path, "%s/examples/default.json", data_dir);
    if (v && access(path, R_OK) != 0)
        return et_error_set(err, ET_ERR_INPUT, "%s: key 'base': cannot read %s: %s", s->path, path,
                            strerror(errno));
    et_scenario *sc = malloc(sizeof *sc);
    if (!sc) return nomem(err);
    et_status st = et_scenario_load(path, data_dir, sc, err);
    if (st != ET_OK && v) {
        /* Name the SPEC and its key before the base's own message. */
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        et_error_set(err, st, "%s: key 'base': %s", s->path, msg);
    }
    if (st == ET_OK && !(s->base = et_scenario_to_cjson(sc))) st = nomem(err);
    free(sc);
    /* Paths become absolute: the runs' scenarios live in other directories. */
    for (size_t i = 0; st == ET_OK && i < sizeof PATH_KEYS / sizeof PATH_KEYS[0]; i++) {
        cJSON *item = cJSON_GetObjectItemCaseSensitive(s->base, PATH_KEYS[i]);
        char abs[ET_PATH_MAX];
        if (!cJSON_IsString(item)) continue;
        absolute(item->valuestring, abs, sizeof abs);
        cJSON_SetValuestring(item, abs);
    }
    return st;
}

static et_status spec_load(sw_spec *s, const char *path, const char *data_dir, et_error *err)
{
    memset(s, 0, sizeof *s);
    s->path = path;
    /* A regular file of at most ET_MAX_JSON_BYTES, strict JSON (jsontext.h). */
    et_status st =
        et_jsontext_load(path, "the sweep spec", "a sweep spec: an object, docs/sweeps.md",
                         ET_MAX_JSON_BYTES, &s->root, err);
    if (st != ET_OK) return st;
    if (!cJSON_IsObject(s->root))
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: expected a sweep spec: an object (docs/sweeps.md)", path);
    char rel[ET_PATH_MAX];
    snprintf(rel, sizeof rel, "%s", path);
    char *slash = strrchr(rel, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(rel, sizeof rel, ".");
    if (slash || !getcwd(s->dir, sizeof s->dir)) absolute(rel, s->dir, sizeof s->dir);

    static const char *const known[] = {"base",     "set",     "grid",          "points", "seeds",
                                        "policies", "metrics", "channel_trace", NULL};
    for (const cJSON *it = s->root->child; it; it = it->next) {
        int k = 0;
        while (known[k] && strcmp(known[k], it->string))
            k++;
        if (!known[k])
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: unknown key '%s' (expected base, set, grid, points, seeds, "
                                "policies, metrics, channel_trace; docs/sweeps.md)",
                                path, it->string);
        for (const cJSON *later = it->next; later; later = later->next)
            if (!strcmp(later->string, it->string))
                return et_error_set(err, ET_ERR_INPUT, "%s: key '%s' appears twice", path,
                                    it->string);
    }
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(s->root, "set");
    const cJSON *grid = cJSON_GetObjectItemCaseSensitive(s->root, "grid");
    const cJSON *points = cJSON_GetObjectItemCaseSensitive(s->root, "points");
    const cJSON *trace = cJSON_GetObjectItemCaseSensitive(s->root, "channel_trace");
    st = load_base(s, cJSON_GetObjectItemCaseSensitive(s->root, "base"), data_dir, err);
    if (st != ET_OK) return st;
    if (set && !cJSON_IsObject(set))
        return et_error_set(err, ET_ERR_INPUT, "%s: key 'set': expected an object of keys", path);
    if (grid && !cJSON_IsObject(grid))
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'grid': expected an object of keys, each with an array of "
                            "values",
                            path);
    if (set && (st = flatten(s, set, "", "set", 0, &s->set, err)) != ET_OK) return st;
    if (grid && (st = flatten(s, grid, "", "grid", 1, &s->grid, err)) != ET_OK) return st;
    if (points) {
        int n = cJSON_IsArray(points) ? cJSON_GetArraySize(points) : 0;
        if (n < 1)
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: key 'points': expected a non-empty array of objects of keys",
                                path);
        if (!(s->entries = calloc((size_t)n, sizeof *s->entries))) return nomem(err);
        s->n_entries = n;
        for (int i = 0; i < n; i++) {
            const cJSON *e = cJSON_GetArrayItem(points, i);
            char where[32];
            snprintf(where, sizeof where, "points[%d]", i);
            if (!cJSON_IsObject(e))
                return et_error_set(err, ET_ERR_INPUT, "%s: key '%s': expected an object of keys",
                                    path, where);
            if ((st = flatten(s, e, "", where, 0, &s->entries[i], err)) != ET_OK) return st;
            for (int k = 0; k < s->entries[i].n; k++)
                if ((st = add_col(s, s->entries[i].p[k].key, err)) != ET_OK) return st;
        }
    }
    for (int g = 0; g < s->grid.n; g++) {
        const char *key = s->grid.p[g].key;
        if (col_index(s, key) >= 0)
            return et_error_set(err, ET_ERR_INPUT, "%s: key 'grid.%s': also in 'points'", path,
                                key);
        if ((st = add_col(s, key, err)) != ET_OK) return st;
    }
    for (int i = 0; i < s->set.n; i++)
        if (col_index(s, s->set.p[i].key) >= 0)
            return et_error_set(err, ET_ERR_INPUT, "%s: key 'set.%s': also swept", path,
                                s->set.p[i].key);
    if (trace && !cJSON_IsBool(trace))
        return et_error_set(err, ET_ERR_INPUT, "%s: key 'channel_trace': expected true or false",
                            path);
    s->channel_trace = cJSON_IsTrue(trace);
    if ((st = parse_seeds(s, cJSON_GetObjectItemCaseSensitive(s->root, "seeds"), err)) != ET_OK)
        return st;
    if ((st = parse_policies(s, cJSON_GetObjectItemCaseSensitive(s->root, "policies"), err)) !=
        ET_OK)
        return st;
    if ((st = parse_metrics(s, cJSON_GetObjectItemCaseSensitive(s->root, "metrics"), err)) != ET_OK)
        return st;
    s->n_combos = 1;
    for (int g = 0; g < s->grid.n; g++) {
        s->n_combos *= cJSON_GetArraySize(s->grid.p[g].v);
        if (s->n_combos > MAX_RUNS) break;
    }
    s->n_points = s->n_combos * (s->n_entries ? s->n_entries : 1);
    s->n_runs = s->n_points * s->n_pol * s->n_seeds;
    if (s->n_combos > MAX_RUNS || s->n_runs > MAX_RUNS)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: key 'grid': expected at most %d runs (points x policies x "
                            "seeds)",
                            path, MAX_RUNS);
    return ET_OK;
}

/* ---- one run ------------------------------------------------------------------------------- */

/* A JSON scalar as CSV text or a command-line argument: the shortest decimal that reads back. */
static void scalar_text(const cJSON *v, char *out, size_t size)
{
    if (cJSON_IsNumber(v)) {
        snprintf(out, size, "%.15g", v->valuedouble);
        if (strtod(out, NULL) != v->valuedouble) snprintf(out, size, "%.17g", v->valuedouble);
    } else if (cJSON_IsString(v)) {
        snprintf(out, size, "%s", v->valuestring);
    } else if (cJSON_IsBool(v)) {
        snprintf(out, size, "%s", cJSON_IsTrue(v) ? "true" : "false");
    } else {
        out[0] = '\0';
    }
}

typedef struct run_plan {
    long run, point;
    int policy, seed;
    char dir[ET_PATH_MAX];         /* absolute */
    char *scenario;                /* the run's scenario.json text */
    char *platform_argv[MAX_ARGS]; /* NULL[0] when the platform is not generated */
    char *run_argv[MAX_ARGS];
    char argbuf[MAX_ARGS][ET_PATH_MAX + 32]; /* storage of generated arguments */
    int n_buf;
} run_plan;

static char *plan_arg(run_plan *r, const char *fmt, const char *a, const char *b)
{
    if (r->n_buf >= MAX_ARGS) return NULL;
    char *buf = r->argbuf[r->n_buf++];
    snprintf(buf, sizeof r->argbuf[0], fmt, a, b ? b : "");
    return buf;
}

/* Sets one key of the run's scenario; gen.* keys become arguments of the platform generator. */
static et_status apply(const sw_spec *s, run_plan *r, cJSON *scen, const char *key, const cJSON *v,
                       int *n_gen, et_error *err)
{
    if (!strncmp(key, "gen.", 4)) {
        if (cJSON_IsFalse(v)) return ET_OK;
        if (*n_gen + 3 >= MAX_ARGS)
            return et_error_set(err, ET_ERR_INPUT, "%s: too many gen.* keys", s->path);
        char opt[128];
        snprintf(opt, sizeof opt, "--%s", key + 4);
        for (char *c = opt + 2; *c; c++)
            if (*c == '_') *c = '-';
        r->platform_argv[(*n_gen)++] = plan_arg(r, "%s%s", opt, NULL);
        if (!cJSON_IsTrue(v)) {
            char text[256];
            scalar_text(v, text, sizeof text);
            r->platform_argv[(*n_gen)++] = plan_arg(r, "%s%s", text, NULL);
        }
        return ET_OK;
    }
    cJSON *copy = cJSON_Duplicate(v, 0);
    if (!copy) return nomem(err);
    if (cJSON_IsString(copy) && is_path_key(key)) {
        char rel[ET_PATH_MAX], abs[ET_PATH_MAX];
        spec_path(s, copy->valuestring, rel, sizeof rel);
        absolute(rel, abs, sizeof abs);
        cJSON_SetValuestring(copy, abs);
    }
    if (cJSON_GetObjectItemCaseSensitive(scen, key))
        cJSON_ReplaceItemInObjectCaseSensitive(scen, key, copy);
    else
        cJSON_AddItemToObject(scen, key, copy);
    return ET_OK;
}

static void plan_free(run_plan *r)
{
    free(r->scenario);
    r->scenario = NULL;
}

/* Everything about run number run: its directory, scenario text and commands. */
static et_status plan_run(const sw_spec *s, const et_sweep_options *opt, const char *runs_dir,
                          long run, run_plan *r, et_error *err)
{
    memset(r, 0, sizeof *r);
    r->run = run;
    r->seed = (int)(run % s->n_seeds);
    r->policy = (int)(run / s->n_seeds % s->n_pol);
    r->point = run / s->n_seeds / s->n_pol;
    const sw_policy *pol = &s->pol[r->policy];
    int width = 1;
    for (long n = s->n_points - 1; n >= 10; n /= 10)
        width++;
    snprintf(r->dir, sizeof r->dir, "%s/p%0*ld-%s-s%llu", runs_dir, width, r->point, pol->label,
             (unsigned long long)s->seeds[r->seed]);
    cJSON *scen = cJSON_Duplicate(s->base, 1);
    if (!scen) return nomem(err);
    et_status st = ET_OK;
    int n_gen = 0;
    r->platform_argv[n_gen++] = (char *)opt->exe;
    r->platform_argv[n_gen++] = "platform";
    for (int i = 0; st == ET_OK && i < s->set.n; i++)
        st = apply(s, r, scen, s->set.p[i].key, s->set.p[i].v, &n_gen, err);
    for (int c = 0; st == ET_OK && c < s->n_cols; c++) {
        const cJSON *v = point_value(s, r->point, s->cols[c]);
        if (v) st = apply(s, r, scen, s->cols[c], v, &n_gen, err);
    }
    if (n_gen > 2) {
        char xml[ET_PATH_MAX];
        snprintf(xml, sizeof xml, "%s/platform.xml", r->dir);
        r->platform_argv[n_gen++] = "-o";
        r->platform_argv[n_gen++] = plan_arg(r, "%s%s", xml, NULL);
        cJSON_ReplaceItemInObjectCaseSensitive(scen, "platform", cJSON_CreateString(xml));
    } else {
        n_gen = 0;
    }
    r->platform_argv[n_gen] = NULL;
    cJSON_ReplaceItemInObjectCaseSensitive(scen, "seed",
                                           cJSON_CreateNumber((double)s->seeds[r->seed]));
    cJSON_ReplaceItemInObjectCaseSensitive(scen, "policy", cJSON_CreateString(pol->name));
    cJSON_ReplaceItemInObjectCaseSensitive(scen, "out", cJSON_CreateString(r->dir));
    if (opt->tasks > 0)
        cJSON_ReplaceItemInObjectCaseSensitive(scen, "tasks.per_ue",
                                               cJSON_CreateNumber(opt->tasks));
    if (st == ET_OK) {
        char *text = cJSON_Print(scen);
        size_t n = text ? strlen(text) : 0;
        r->scenario = text ? malloc(n + 2) : NULL;
        if (r->scenario) {
            memcpy(r->scenario, text, n);
            memcpy(r->scenario + n, "\n", 2);
        }
        free(text);
        if (!r->scenario) st = nomem(err);
    }
    cJSON_Delete(scen);
    int a = 0;
    r->run_argv[a++] = (char *)opt->exe;
    r->run_argv[a++] = "run";
    r->run_argv[a++] = "-q";
    if (!s->channel_trace) r->run_argv[a++] = "--no-channel-trace";
    if (pol->checkpoint[0]) {
        r->run_argv[a++] = "--checkpoint";
        r->run_argv[a++] = (char *)pol->checkpoint;
    }
    for (int i = 0; i < opt->n_run_args && a < MAX_ARGS - 2; i++)
        r->run_argv[a++] = opt->run_args[i];
    /* The scenario last: run's getopt_long moves operands after the options, and summary.json
     * records the command as it stands then (a re-run compares it). */
    r->run_argv[a++] = plan_arg(r, "%s/scenario.json%s", r->dir, NULL);
    r->run_argv[a] = NULL;
    if (st != ET_OK) plan_free(r);
    return st;
}

/* "k=v, k=v": a point's swept values, for messages. */
static void point_text(const sw_spec *s, long p, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (int c = 0; c < s->n_cols && n + 1 < size; c++) {
        char v[128];
        scalar_text(point_value(s, p, s->cols[c]), v, sizeof v);
        n += (size_t)snprintf(out + n, size - n, "%s%s=%s", c ? ", " : "", s->cols[c], v);
    }
}

/* The environment without the MPI launcher's variables: a run is a plain process, not a rank
 * (it would otherwise believe it was started by mpirun). NULL when out of memory. */
static char **child_environ(void)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = malloc((n + 1) * sizeof *env);
    if (!env) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "OMPI_", 5) != 0 && strncmp(environ[i], "PMI_", 4) != 0 &&
            strncmp(environ[i], "PMIX_", 5) != 0)
            env[k++] = environ[i];
    env[k] = NULL;
    return env;
}

/* Spawns argv with stderr appended to log and stdout too (or to /dev/null when quiet); the
 * child's id in *pid. */
static int spawn(char *const *argv, const char *log, int quiet, pid_t *pid)
{
    char **env = child_environ();
    if (!env) return ENOMEM;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (quiet)
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    else
        posix_spawn_file_actions_adddup2(&fa, 2, 1);
    /* The children start with default signal handling, whatever this process set. */
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t def;
    sigemptyset(&def);
    sigaddset(&def, SIGINT);
    sigaddset(&def, SIGTERM);
    sigaddset(&def, SIGHUP);
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
    int rc = posix_spawn(pid, argv[0], &fa, &attr, argv, env);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    free(env);
    return rc;
}

static int wait_status(int ws)
{
    if (WIFEXITED(ws)) return WEXITSTATUS(ws);
    if (WIFSIGNALED(ws)) return 128 + WTERMSIG(ws);
    return 1;
}

/* The last non-empty line of a log, without edgetune's "edgetune: error: " prefix. */
static void last_line(const char *path, char *out, size_t size)
{
    out[0] = '\0';
    char *text = read_text(path);
    if (!text) return;
    char *end = text + strlen(text);
    while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
        *--end = '\0';
    char *line = strrchr(text, '\n');
    line = line ? line + 1 : text;
    const char *prefix = "edgetune: error: ";
    if (!strncmp(line, prefix, strlen(prefix))) line += strlen(prefix);
    snprintf(out, size, "%s", line);
    free(text);
}

/* Checks every point's scenario and generated platform before anything is written. */
static et_status validate(const sw_spec *s, const et_sweep_options *opt, et_error *err)
{
    /* In $TMPDIR when set, as mkdtemp(1) and the shell's tools do. */
    const char *tmp_root = getenv("TMPDIR");
    if (!tmp_root || !*tmp_root) tmp_root = "/tmp";
    char tmp[ET_PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s/edgetune-sweep-XXXXXX", tmp_root) >= (int)sizeof tmp)
        return et_error_set(err, ET_ERR_IO, "sweep: TMPDIR is longer than %d characters",
                            ET_PATH_MAX - 32);
    if (!mkdtemp(tmp))
        return et_error_set(err, ET_ERR_IO, "sweep: cannot create a temporary directory: %s",
                            strerror(errno));
    char scen_path[sizeof tmp + 32], log[sizeof tmp + 32];
    snprintf(scen_path, sizeof scen_path, "%s/scenario.json", tmp);
    snprintf(log, sizeof log, "%s/platform.log", tmp);
    et_scenario *sc = malloc(sizeof *sc);
    run_plan *r = malloc(sizeof *r);
    char *last_gen = NULL;
    et_status st = sc && r ? ET_OK : nomem(err);
    for (long p = 0; st == ET_OK && p < s->n_points; p++) {
        /* A large grid takes minutes to check: a signal stops it here (interrupt.h). */
        if (et_interrupted()) {
            st = et_error_set(err, ET_ERR_INTERRUPTED,
                              "interrupted by %s while checking point %ld of %ld of the SPEC",
                              et_interrupt_name(et_interrupted()), p, s->n_points);
            break;
        }
        st = plan_run(s, opt, tmp, p * s->n_pol * s->n_seeds, r, err);
        if (st != ET_OK) break;
        char where[512] = "";
        if (s->n_cols) {
            char pt[480];
            point_text(s, p, pt, sizeof pt);
            snprintf(where, sizeof where, " (point %ld: %s)", p, pt);
        }
        et_error e;
        et_error_clear(&e);
        st = et_write_file_atomic(scen_path, r->scenario, err);
        if (st == ET_OK && et_scenario_load(scen_path, opt->data_dir, sc, &e) != ET_OK) {
            /* Name the SPEC, not the temporary file. */
            const char *msg = e.msg;
            if (!strncmp(msg, scen_path, strlen(scen_path))) msg += strlen(scen_path);
            if (*msg == ':') msg++;
            while (*msg == ' ')
                msg++;
            st = et_error_set(err, e.code, "%s: %s%s", s->path, msg, where);
        }
        /* The generator's options: run it once per distinct set, to nowhere. */
        if (st == ET_OK && r->platform_argv[0]) {
            char *args[MAX_ARGS];
            size_t len = 0;
            int n = 0;
            while (r->platform_argv[n] && strcmp(r->platform_argv[n], "-o"))
                args[n] = r->platform_argv[n], n++;
            args[n] = NULL;
            char joined[4096] = "";
            for (int i = 2; i < n; i++)
                len += (size_t)snprintf(joined + len, len < sizeof joined ? sizeof joined - len : 0,
                                        "%s ", args[i]);
            if (!last_gen || strcmp(last_gen, joined)) {
                free(last_gen);
                last_gen = strdup(joined);
                pid_t pid;
                int ws = 0;
                unlink(log);
                if (spawn(args, log, 1, &pid) != 0) {
                    st = et_error_set(err, ET_ERR_INTERNAL, "sweep: cannot start %s", args[0]);
                } else {
                    int stopped = 0;
                    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
                        if (et_interrupted() && !stopped) {
                            kill(pid, SIGTERM);
                            stopped = 1;
                        }
                    if (stopped) {
                        st = et_error_set(err, ET_ERR_INTERRUPTED,
                                          "interrupted by %s while checking point %ld of %ld of "
                                          "the SPEC",
                                          et_interrupt_name(et_interrupted()), p, s->n_points);
                        plan_free(r);
                        break;
                    }
                    if (wait_status(ws) != 0) {
                        char line[512], key[64] = "*";
                        last_line(log, line, sizeof line);
                        /* The option the generator names is the gen.* key at fault. */
                        const char *o = strstr(line, "--");
                        for (size_t k = 0; o && k + 1 < sizeof key && o[2 + k] &&
                                           strchr("abcdefghijklmnopqrstuvwxyz-", o[2 + k]);
                             k++)
                            key[k] = o[2 + k] == '-' ? '_' : o[2 + k], key[k + 1] = '\0';
                        if (joined[0]) joined[strlen(joined) - 1] = '\0';
                        st = et_error_set(err, ET_ERR_INPUT,
                                          "%s: key 'gen.%s' (edgetune platform %s): %s%s", s->path,
                                          key, joined, line, where);
                    }
                }
            }
        }
        plan_free(r);
    }
    free(last_gen);
    free(sc);
    free(r);
    unlink(scen_path);
    unlink(log);
    rmdir(tmp);
    return st;
}

/* ---- rows ---------------------------------------------------------------------------------- */

typedef struct sw_row {
    int32_t run;    /* the run's index; -1: a rank's last record */
    int32_t status; /* exit status (128 + signal when killed); -1: not run */
    int32_t skipped;
    int32_t interrupted; /* end record: the rank was stopped by a signal */
    double metric[MAX_METRICS];
    char error[256];
} sw_row;

/* A completed run's row from its directory: 1 when summary.json is there for this very run. */
static int read_done(const sw_spec *s, const run_plan *r, sw_row *row)
{
    char path[ET_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/scenario.json", r->dir);
    char *scen = read_text(path);
    int same = scen && !strcmp(scen, r->scenario);
    free(scen);
    if (!same) return 0;
    snprintf(path, sizeof path, "%s/summary.json", r->dir);
    char *text = read_text(path);
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    free(text);
    const cJSON *cmd =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "run"), "command");
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
    /* The command that made it, but for the program's own path. */
    int i = 0;
    for (const cJSON *c = cmd ? cmd->child : NULL; same && c; c = c->next, i++)
        same = i == 0 ||
               (r->run_argv[i] && cJSON_IsString(c) && !strcmp(c->valuestring, r->run_argv[i]));
    same = same && cmd && r->run_argv[i] == NULL && cJSON_IsObject(result);
    if (same) {
        memset(row, 0, sizeof *row);
        row->run = (int32_t)r->run;
        for (int m = 0; m < s->n_metrics; m++) {
            const char *name = METRICS[s->metric[m]];
            const char *dot = strchr(name, '.');
            const cJSON *v = result;
            if (dot) {
                char sect[64];
                snprintf(sect, sizeof sect, "%.*s", (int)(dot - name), name);
                v = cJSON_GetObjectItemCaseSensitive(v, sect);
                name = dot + 1;
            }
            v = cJSON_GetObjectItemCaseSensitive(v, name);
            row->metric[m] = cJSON_IsNumber(v) ? v->valuedouble : NAN;
        }
    }
    cJSON_Delete(root);
    return same;
}

static void csv_text(FILE *f, const char *text)
{
    et_csv_field(f, text, ',');
}

static void csv_number(FILE *f, double x)
{
    if (isnan(x))
        fputs("nan,", f);
    else
        fprintf(f, "%.9g,", x);
}

/* The swept value of column c at point p as CSV text (the base's value when the point leaves
 * it; empty for a gen.* option it does not give). */
static void col_value(const sw_spec *s, long p, int c, char *out, size_t size)
{
    const cJSON *v = point_value(s, p, s->cols[c]);
    if (!v) v = cJSON_GetObjectItemCaseSensitive(s->base, s->cols[c]);
    scalar_text(v, out, size);
}

static void point_fields(FILE *f, const sw_spec *s, long p)
{
    fprintf(f, "%ld,", p);
    for (int c = 0; c < s->n_cols; c++) {
        char v[256];
        col_value(s, p, c, v, sizeof v);
        csv_text(f, v);
    }
}

static void header_keys(FILE *f, const sw_spec *s)
{
    fputs("point,", f);
    for (int c = 0; c < s->n_cols; c++)
        csv_text(f, s->cols[c]);
}

/* End a CSV line: replace the last separator by a newline. */
static void end_line(FILE *f)
{
    fseek(f, -1, SEEK_CUR);
    fputc('\n', f);
}

static et_status write_csv(const char *path, FILE *mem, char **buf, et_error *err)
{
    if (fclose(mem) != 0 || !*buf) return nomem(err);
    et_status st = et_write_file_atomic(path, *buf, err);
    free(*buf);
    *buf = NULL;
    return st;
}

static et_status write_runs(const sw_spec *s, const char *out_dir, const sw_row *rows,
                            const char *have, et_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return nomem(err);
    fputs("run,", f);
    header_keys(f, s);
    fputs("seed,policy,status,", f);
    for (int m = 0; m < s->n_metrics; m++)
        csv_text(f, METRICS[s->metric[m]]);
    fputs("error\n", f);
    for (long i = 0; i < s->n_runs; i++) {
        if (!have[i]) continue;
        const sw_row *row = &rows[i];
        long p = i / s->n_seeds / s->n_pol;
        fprintf(f, "%ld,", i);
        point_fields(f, s, p);
        fprintf(f, "%llu,", (unsigned long long)s->seeds[i % s->n_seeds]);
        csv_text(f, s->pol[i / s->n_seeds % s->n_pol].label);
        fprintf(f, "%d,", row->status);
        for (int m = 0; m < s->n_metrics; m++) {
            if (row->status == 0)
                csv_number(f, row->metric[m]);
            else
                fputc(',', f);
        }
        et_csv_field(f, row->error, '\n');
    }
    char path[ET_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/runs.csv", out_dir);
    return write_csv(path, f, &buf, err);
}

static et_status write_points(const sw_spec *s, const char *out_dir, const sw_row *rows,
                              const char *have, et_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    double *x = malloc((size_t)s->n_seeds * sizeof *x);
    if (!f || !x) {
        if (f) fclose(f);
        free(buf);
        free(x);
        return nomem(err);
    }
    header_keys(f, s);
    fputs("policy,runs,failed,", f);
    for (int m = 0; m < s->n_metrics; m++) {
        const char *name = METRICS[s->metric[m]];
        fprintf(f, "%s_n,%s_mean,%s_lo,%s_hi,", name, name, name, name);
    }
    end_line(f);
    for (long p = 0; p < s->n_points; p++) {
        for (int k = 0; k < s->n_pol; k++) {
            long first = (p * s->n_pol + k) * s->n_seeds;
            int runs = 0, failed = 0;
            for (int j = 0; j < s->n_seeds; j++) {
                runs += have[first + j] != 0;
                failed += have[first + j] && rows[first + j].status != 0;
            }
            if (!runs) continue;
            point_fields(f, s, p);
            csv_text(f, s->pol[k].label);
            fprintf(f, "%d,%d,", runs, failed);
            for (int m = 0; m < s->n_metrics; m++) {
                int n = 0;
                for (int j = 0; j < s->n_seeds; j++)
                    if (have[first + j] && rows[first + j].status == 0 &&
                        isfinite(rows[first + j].metric[m]))
                        x[n++] = rows[first + j].metric[m];
                double mean = NAN, half = NAN, sum = 0, ss = 0;
                for (int j = 0; j < n; j++)
                    sum += x[j];
                if (n) mean = sum / n;
                for (int j = 0; j < n; j++)
                    ss += (x[j] - mean) * (x[j] - mean);
                if (n > 1) half = et_student_t95(n - 1) * sqrt(ss / (n - 1) / n);
                fprintf(f, "%d,", n);
                csv_number(f, mean);
                csv_number(f, mean - half);
                csv_number(f, mean + half);
            }
            end_line(f);
        }
    }
    free(x);
    char path[ET_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/points.csv", out_dir);
    return write_csv(path, f, &buf, err);
}

/* ---- the run loop -------------------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct progress {
    double start;
    et_sweep_progress p;
} progress;

static void show_progress(const et_sweep_options *opt, progress *pg, int final)
{
    if (!opt->progress) return;
    pg->p.elapsed_s = now_s() - pg->start;
    pg->p.final = final;
    opt->progress(opt->progress_ctx, &pg->p);
}

typedef struct slot {
    pid_t pid;
    int step; /* 0: the platform generator, 1: the run */
    run_plan plan;
} slot;

/* Starts a run's next step; 0 when started, else the status of a run that could not start. */
static int start_step(slot *sl)
{
    char log[ET_PATH_MAX + 16];
    snprintf(log, sizeof log, "%s/run.log", sl->plan.dir);
    char *const *argv = sl->step == 0 ? sl->plan.platform_argv : sl->plan.run_argv;
    return spawn(argv, log, 0, &sl->pid) == 0 ? 0 : 127;
}

/* Prepares a run's directory and starts it; a finished one gives its row at once (1). */
static int begin_run(const sw_spec *s, slot *sl, sw_row *row, et_error *err, et_status *st)
{
    if (read_done(s, &sl->plan, row)) {
        row->skipped = 1;
        return 1;
    }
    char path[ET_PATH_MAX + 32];
    *st = et_mkdirs(sl->plan.dir, err);
    snprintf(path, sizeof path, "%s/summary.json", sl->plan.dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/run.log", sl->plan.dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/scenario.json", sl->plan.dir);
    if (*st == ET_OK) *st = et_write_file_atomic(path, sl->plan.scenario, err);
    if (*st != ET_OK) return 0;
    sl->step = sl->plan.platform_argv[0] ? 0 : 1;
    int rc = start_step(sl);
    if (rc) {
        memset(row, 0, sizeof *row);
        row->run = (int32_t)sl->plan.run;
        row->status = rc;
        snprintf(row->error, sizeof row->error, "cannot start %s", sl->plan.run_argv[0]);
        return 1;
    }
    return 0;
}

/* A child ended with status ws: the next step, or the run's row (1). */
static int end_step(const sw_spec *s, slot *sl, int ws, sw_row *row)
{
    int status = wait_status(ws);
    if (status == 0 && sl->step == 0) {
        sl->step = 1;
        status = start_step(sl);
        if (!status) return 0;
    }
    memset(row, 0, sizeof *row);
    row->run = (int32_t)sl->plan.run;
    row->status = status;
    if (status == 0 && !read_done(s, &sl->plan, row)) {
        row->status = 1;
        snprintf(row->error, sizeof row->error, "no summary.json after the run");
    } else if (status != 0) {
        char log[ET_PATH_MAX + 16];
        snprintf(log, sizeof log, "%s/run.log", sl->plan.dir);
        last_line(log, row->error, sizeof row->error);
    }
    return 1;
}

typedef struct sweep_state {
    const sw_spec *s;
    const et_sweep_options *opt;
    sw_row *rows; /* rank 0: every run's row */
    char *have;
    progress pg;
} sweep_state;

/* A row is ready on this rank: rank 0 keeps it, the others send it. */
static et_status deliver(sweep_state *w, const sw_row *row, et_error *err)
{
    const et_sweep_net *net = w->opt->net;
    if (net && net->rank > 0) return net->send(net->ctx, row, sizeof *row, err);
    if (row->run < 0 || row->run >= w->s->n_runs) return ET_OK;
    w->rows[row->run] = *row;
    w->have[row->run] = 1;
    w->pg.p.done++;
    w->pg.p.skipped += row->skipped != 0;
    w->pg.p.failed += row->status != 0;
    if (!w->opt->net || w->opt->net->rank == 0) show_progress(w->opt, &w->pg, 0);
    return ET_OK;
}

/* Runs this rank's share: runs rank, rank + size, ... , jobs at a time. */
static et_status run_share(sweep_state *w, const char *runs_dir, int *remote_open, et_error *err)
{
    const sw_spec *s = w->s;
    const et_sweep_net *net = w->opt->net;
    int rank = net ? net->rank : 0, size = net ? net->size : 1;
    int jobs = w->opt->jobs > 0 ? w->opt->jobs : 1;
    slot *slots = calloc((size_t)jobs, sizeof *slots);
    if (!slots) return nomem(err);
    int running = 0;
    long next = rank;
    et_status st = ET_OK;
    sw_row row;
    int killed = 0;
    for (;;) {
        int stop_requested = et_interrupted();
        if (stop_requested && !killed) { /* stop the children once; their runs are not rows */
            for (int k = 0; k < jobs; k++)
                if (slots[k].pid) kill(slots[k].pid, SIGTERM);
            killed = 1;
        }
        while (st == ET_OK && !stop_requested && running < jobs && next < s->n_runs) {
            int k = 0;
            while (slots[k].pid) /* a free slot */
                k++;
            st = plan_run(s, w->opt, runs_dir, next, &slots[k].plan, err);
            next += size;
            if (st != ET_OK) break;
            if (begin_run(s, &slots[k], &row, err, &st)) {
                plan_free(&slots[k].plan);
                if (st == ET_OK) st = deliver(w, &row, err);
                continue;
            }
            if (st != ET_OK) {
                plan_free(&slots[k].plan);
                break;
            }
            running++;
        }
        int polled = 0;
        if (remote_open && *remote_open > 0) {
            while (net->poll(net->ctx, &row, sizeof row)) {
                polled = 1;
                if (row.run < 0)
                    (*remote_open)--;
                else
                    deliver(w, &row, err);
            }
        }
        int remote = remote_open && *remote_open > 0;
        if (running == 0 && (next >= s->n_runs || st != ET_OK || stop_requested) && !remote) break;
        if (running == 0 && (st != ET_OK || stop_requested) && remote) {
            /* Waiting for the other ranks' last records. */
            if (!polled) usleep(2000);
            continue;
        }
        int ws = 0;
        pid_t pid = waitpid(-1, &ws, remote ? WNOHANG : 0);
        if (pid == 0 || (pid < 0 && errno == ECHILD)) {
            if (!polled) usleep(1000);
            continue;
        }
        if (pid < 0) continue; /* EINTR: a signal; et_interrupted says which */
        int k = 0;
        while (k < jobs && slots[k].pid != pid)
            k++;
        if (k == jobs) continue;
        slots[k].pid = 0;
        if (et_interrupted()) { /* killed or not, a run ended by the stop is not a row */
            running--;
            plan_free(&slots[k].plan);
            continue;
        }
        if (end_step(s, &slots[k], ws, &row)) {
            running--;
            plan_free(&slots[k].plan);
            et_status ds = deliver(w, &row, err);
            if (st == ET_OK) st = ds;
        }
    }
    free(slots);
    return st;
}

/* The output folder and its runs/ exist and take files: a folder that cannot is bad input
 * (exit 2), as for the other commands' --out. */
static et_status out_dir_ready(const char *out_dir, const char *runs_dir, et_error *err)
{
    et_error why;
    if (et_mkdirs(runs_dir, &why) != ET_OK)
        return et_error_set(err, ET_ERR_INPUT,
                            "option --out: expected a directory to write into, "
                            "got '%s' (%s)",
                            out_dir, why.msg);
    /* mkdir says yes to root on a read-only folder's existing runs/: make something there. */
    char probe[ET_PATH_MAX + 40];
    snprintf(probe, sizeof probe, "%s/.edgetune-probe-XXXXXX", out_dir);
    if (!mkdtemp(probe))
        return et_error_set(err, ET_ERR_INPUT,
                            "option --out: expected a directory to write into, got '%s' (%s)",
                            out_dir, strerror(errno));
    rmdir(probe);
    return ET_OK;
}

et_status et_sweep_run(const et_sweep_options *opt, et_sweep_report *rep, et_error *err)
{
    memset(rep, 0, sizeof *rep);
    const et_sweep_net *net = opt->net;
    int rank = net ? net->rank : 0;
    sw_spec *s = calloc(1, sizeof *s);
    if (!s) return nomem(err);
    et_status st = spec_load(s, opt->spec, opt->data_dir, err);
    if (st == ET_OK && opt->seeds > 0 && opt->seeds < s->n_seeds) {
        s->n_seeds = opt->seeds;
        s->n_runs = s->n_points * s->n_pol * s->n_seeds;
    }
    if (st == ET_OK) st = validate(s, opt, err);
    char out_dir[ET_PATH_MAX], runs_dir[ET_PATH_MAX + 8];
    if (opt->out_dir) {
        absolute(opt->out_dir, out_dir, sizeof out_dir);
    } else {
        const char *base = strrchr(opt->spec, '/');
        base = base ? base + 1 : opt->spec;
        char name[256];
        snprintf(name, sizeof name, "out/%s", base);
        size_t n = strlen(name);
        if (n > 5 && !strcmp(name + n - 5, ".json")) name[n - 5] = '\0';
        absolute(name, out_dir, sizeof out_dir);
    }
    snprintf(rep->out_dir, sizeof rep->out_dir, "%s", out_dir);
    snprintf(runs_dir, sizeof runs_dir, "%s/runs", out_dir);
    if (st == ET_OK) st = out_dir_ready(out_dir, runs_dir, err);
    /* One sweep per folder at a time (rank 0 writes the tables; the runs lock their own). */
    int lock = 0;
    if (st == ET_OK && rank == 0) st = et_outputs_lock_dir(out_dir, &lock, err);
    sweep_state w = {.s = s, .opt = opt};
    w.pg = (progress){.start = now_s(), .p.total = (int)s->n_runs};
    if (st == ET_OK && rank == 0) {
        w.rows = calloc((size_t)s->n_runs, sizeof *w.rows);
        w.have = calloc((size_t)s->n_runs, 1);
        if (!w.rows || !w.have) st = nomem(err);
    }
    /* SIGINT, SIGTERM and SIGHUP: src/core/interrupt.c's handler (installed by main, without
     * SA_RESTART so that waitpid returns) records them; the loops below poll it. */
    int remote_open = net && rank == 0 ? net->size - 1 : 0;
    /* A rank whose setup failed still runs nothing and says it is done. */
    if (st == ET_OK) st = run_share(&w, runs_dir, rank == 0 ? &remote_open : NULL, err);
    int stopped = et_interrupted() != 0;
    if (net && rank > 0) {
        sw_row end;
        memset(&end, 0, sizeof end);
        end.run = -1;
        end.interrupted = stopped;
        et_error e2;
        net->send(net->ctx, &end, sizeof end, &e2);
    } else if (net && remote_open > 0) {
        /* Setup failed here: the other ranks failed the same way or end soon. */
        double until = now_s() + (stopped ? 5.0 : 1e9);
        sw_row row;
        while (remote_open > 0 && now_s() < until) {
            if (!net->poll(net->ctx, &row, sizeof row))
                usleep(2000);
            else if (row.run < 0)
                remote_open--;
            else if (w.rows)
                deliver(&w, &row, err);
        }
    }
    if (rank == 0 && w.rows && (st == ET_OK || stopped)) {
        et_error e2;
        et_status ws = write_runs(s, out_dir, w.rows, w.have, &e2);
        if (ws == ET_OK) ws = write_points(s, out_dir, w.rows, w.have, &e2);
        if (ws != ET_OK && st == ET_OK) {
            st = ws;
            *err = e2;
        }
        show_progress(opt, &w.pg, 1);
    }
    rep->runs = (int)s->n_runs;
    rep->done = w.pg.p.done;
    rep->skipped = w.pg.p.skipped;
    rep->failed = w.pg.p.failed;
    rep->interrupted = stopped || remote_open > 0;
    et_outputs_unlock_dir(&lock);
    free(w.rows);
    free(w.have);
    spec_free(s);
    free(s);
    return st;
}
