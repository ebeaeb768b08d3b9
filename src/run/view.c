/* view.c: `edgetune view OUT`, one self-contained HTML page that plays a run back (see view.h).
 *
 * The page is src/view.html, embedded into the program at build time (CMake writes it into
 * view_html.c as et_view_html); the run's files go into it as one JSON object at the
 * placeholder. The CSV files travel as text and are parsed by the page, so a column added to
 * them later reaches the page without a change here. */
#include "view.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "readfile.h"
#include "status.h"
#include "xml_scan_internal.h"

extern const char et_view_html[]; /* view_html.c, generated from src/view.html */

#define VIEW_PLACEHOLDER "/*ET_DATA*/null"

static const char USAGE[] =
    "usage: edgetune view OUT [-o FILE]\n"
    "\n"
    "Writes one self-contained HTML page that plays back the run in folder OUT (what\n"
    "edgetune run --out OUT wrote: tasks.csv, summary.json and, if traced, channel.csv):\n"
    "a map of the cells, servers and UEs moving, coloured by their task phase, with\n"
    "handovers; per-UE link rates and per-server queue over time; a Gantt chart of the\n"
    "tasks; a time slider with play and pause. No server and no network: open the file in\n"
    "a browser. The platform named in summary.json gives the cells' positions when it\n"
    "can still be read. docs/viewer.md describes the page.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE  write the page to FILE (default OUT/view.html)\n"
    "  -h, --help         show this help\n";

const char *et_view_usage(void)
{
    return USAGE;
}

/* ------------------------------------------------------------ the platform's sites */

typedef struct site_scan {
    cJSON *cells, *servers, *ues;
    cJSON *host;  /* the host whose props are being read, or NULL */
    cJSON *which; /* the list its role puts it in, or NULL */
} site_scan;

/* A host ends: into its role's list, or dropped. */
static void host_done(site_scan *s)
{
    if (s->host && s->which)
        cJSON_AddItemToArray(s->which, s->host);
    else
        cJSON_Delete(s->host);
    s->host = s->which = NULL;
}

static int site_tag(const xml_tag *t, void *ctx)
{
    site_scan *s = ctx;
    if (!strcmp(t->name, "host")) {
        host_done(s);
        if (t->end || t->self_closing) return 0;
        const char *id = et_xml_attr(t, "id");
        s->host = cJSON_CreateObject();
        if (!s->host || !cJSON_AddStringToObject(s->host, "name", id ? id : "")) return ENOMEM;
        return 0;
    }
    if (!s->host || t->end || strcmp(t->name, "prop") != 0) return 0;
    const char *id = et_xml_attr(t, "id"), *value = et_xml_attr(t, "value");
    if (!id || !value) return 0;
    static const char *const kept[] = {"x_m", "y_m", "radius_m", "server", "cell", "class"};
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
        if (!strcmp(id, kept[i]) && !cJSON_AddStringToObject(s->host, id, value)) return ENOMEM;
    if (!strcmp(id, "role"))
        s->which = !strcmp(value, "ap")       ? s->cells
                   : !strcmp(value, "server") ? s->servers
                   : !strcmp(value, "ue")     ? s->ues
                                              : NULL;
    return 0;
}

/* The cells (role=ap hosts: name, position, radius, server), servers and UEs (their cell and
 * initial position) of the platform the run used, from its XML; NULL with *why set when it
 * cannot be read (the page then places cells where their UEs are). */
static cJSON *platform_sites(const char *path, const char **why)
{
    char *text = NULL;
    et_error err;
    if (!path) {
        *why = "summary.json names no platform";
        return NULL;
    }
    if (et_read_input(path, "the platform", ET_MAX_PLATFORM_BYTES, &text, NULL, &err) != ET_OK) {
        *why = "the platform named in summary.json cannot be read";
        return NULL;
    }
    cJSON *root = cJSON_CreateObject();
    site_scan s = {0};
    if (root) {
        s.cells = cJSON_AddArrayToObject(root, "cells");
        s.servers = cJSON_AddArrayToObject(root, "servers");
        s.ues = cJSON_AddArrayToObject(root, "ues");
    }
    int rc = root && s.cells && s.servers && s.ues ? 0 : ENOMEM;
    if (!rc) rc = et_xml_scan(text, site_tag, &s);
    if (!rc) host_done(&s);
    free(text);
    cJSON_Delete(s.host);
    if (rc) {
        cJSON_Delete(root);
        *why = rc == ENOMEM ? "out of memory reading the platform"
                            : "the platform named in summary.json is not XML the viewer can read";
        return NULL;
    }
    cJSON_AddStringToObject(root, "source", path);
    return root;
}

/* ------------------------------------------------------------ the run's files */

/* 1 when the CSV text's header (its first line) has every column in cols (NULL-terminated). */
static const char *missing_column(const char *text, const char *const *cols)
{
    size_t n = strcspn(text, "\r\n");
    for (; *cols; cols++) {
        size_t len = strlen(*cols);
        int found = 0;
        for (const char *p = text; p < text + n && !found; p = strchr(p, ',') ? strchr(p, ',') + 1 : text + n) {
            size_t field = strcspn(p, ",\r\n");
            found = field == len && !strncmp(p, *cols, len);
        }
        if (!found) return *cols;
    }
    return NULL;
}

/* Reads OUT/name, a CSV file of the run that must have cols; *text NULL when optional and
 * absent. */
static et_status read_csv(const char *out, const char *name, const char *what,
                          const char *const *cols, int optional, char **text, et_error *err)
{
    char path[ET_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", out, name);
    *text = NULL;
    if (optional && access(path, F_OK) != 0 && errno == ENOENT) return ET_OK;
    size_t size = 0;
    et_status st = et_read_input(path, what, ET_MAX_TRACE_BYTES, text, &size, err);
    if (st != ET_OK) return st;
    const char *col = strlen(*text) == size ? missing_column(*text, cols) : "(text without NUL bytes)";
    if (!col) return ET_OK;
    size_t n = strcspn(*text, "\r\n");
    st = et_error_set(err, ET_ERR_INPUT,
                      "%s: expected %s with a header naming column '%s' (written by edgetune "
                      "run), got '%.*s%s'",
                      path, what, col, n > 60 ? 60 : (int)n, *text, n > 60 ? "..." : "");
    free(*text);
    *text = NULL;
    return st;
}

static et_status read_summary(const char *out, cJSON **summary, et_error *err)
{
    char path[ET_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/summary.json", out);
    char *text = NULL;
    size_t size = 0;
    et_status st = et_read_input(path, "the run's summary", ET_MAX_JSON_BYTES, &text, &size, err);
    if (st != ET_OK) return st;
    const char *end = NULL;
    *summary = cJSON_ParseWithLengthOpts(text, size, &end, 0);
    if (!*summary || !cJSON_IsObject(*summary) ||
        !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(*summary, "result")))
        st = et_error_set(err, ET_ERR_INPUT,
                          "%s: expected the JSON object edgetune run writes (with 'result'), %s",
                          path,
                          !*summary ? "got text that is not JSON" : "got another JSON value");
    if (st == ET_OK && end && (size_t)(end - text) < size && strspn(end, " \t\r\n") != strlen(end))
        st = et_error_set(err, ET_ERR_INPUT, "%s: expected one JSON object, got more after it",
                          path);
    free(text);
    if (st != ET_OK) {
        cJSON_Delete(*summary);
        *summary = NULL;
    }
    return st;
}

/* The data object the page reads: {"tasks": CSV text, "channel": CSV text or null,
 * "summary": summary.json, "platform": sites or null, "platform_note": why not}. */
static et_status build_data(const char *out, char **json, et_error *err)
{
    static const char *const task_cols[] = {
        "ue",     "ue_name", "task",   "start_s",   "end_s",  "location", "keep", "query_s",
        "download_s", "upload_s", "wait_s", "compute_s", "result_s", NULL};
    static const char *const channel_cols[] = {"time_s", "ue", "x_m", "y_m", "rate_up_bps",
                                               "rate_down_bps", NULL};
    char *tasks = NULL, *channel = NULL;
    cJSON *summary = NULL;
    et_status st = read_csv(out, "tasks.csv", "the run's tasks", task_cols, 0, &tasks, err);
    if (st == ET_OK) st = read_summary(out, &summary, err);
    if (st == ET_OK)
        st = read_csv(out, "channel.csv", "the run's channel trace", channel_cols, 1, &channel,
                      err);
    cJSON *data = st == ET_OK ? cJSON_CreateObject() : NULL;
    if (st == ET_OK) {
        const cJSON *scenario = cJSON_GetObjectItemCaseSensitive(summary, "scenario");
        const cJSON *platform = cJSON_GetObjectItemCaseSensitive(scenario, "platform");
        const char *why = NULL;
        cJSON *sites = platform_sites(cJSON_IsString(platform) ? platform->valuestring : NULL, &why);
        int ok = data && cJSON_AddStringToObject(data, "tasks", tasks) &&
                 (channel ? cJSON_AddStringToObject(data, "channel", channel) != NULL
                          : cJSON_AddNullToObject(data, "channel") != NULL);
        if (ok) {
            cJSON_AddItemToObject(data, "summary", summary);
            summary = NULL;
            if (sites)
                cJSON_AddItemToObject(data, "platform", sites);
            else
                ok = cJSON_AddNullToObject(data, "platform") &&
                     cJSON_AddStringToObject(data, "platform_note", why);
            sites = NULL;
        }
        cJSON_Delete(sites);
        *json = ok ? cJSON_PrintUnformatted(data) : NULL;
        if (!*json) st = et_error_set(err, ET_ERR_NOMEM, "out of memory for the page's data");
    }
    cJSON_Delete(data);
    cJSON_Delete(summary);
    free(tasks);
    free(channel);
    return st;
}

/* Writes the page: the template with the data at its placeholder, every '<' of the data (only
 * ever inside its JSON strings) written \u003c so that no text in it ends or escapes the script
 * it sits in. Into a temporary, renamed into place. */
static et_status write_page(const char *path, const char *json, et_error *err)
{
    const char *at = strstr(et_view_html, VIEW_PLACEHOLDER);
    if (!at) return et_error_set(err, ET_ERR_INTERNAL, "view.html has no data placeholder");
    char tmp[ET_PATH_MAX + 48];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f)
        return et_error_set(err, ET_ERR_INPUT, "option -o: cannot write '%s': %s", path,
                            strerror(errno));
    fwrite(et_view_html, 1, (size_t)(at - et_view_html), f);
    for (const char *p = json; *p; p++)
        if (*p == '<')
            fputs("\\u003c", f);
        else
            fputc(*p, f);
    fputs(at + strlen(VIEW_PLACEHOLDER), f);
    int failed = ferror(f) != 0;
    failed |= fclose(f) != 0;
    if (failed || rename(tmp, path) != 0) {
        et_status st = et_error_set(err, ET_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        return st;
    }
    return ET_OK;
}

int et_view_main(int argc, char **argv)
{
    const char *out = NULL, *page = NULL;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            fputs(USAGE, stdout);
            return 0;
        }
        if (!strcmp(s, "-o") || !strcmp(s, "--output")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "edgetune: error: option %s: expected a FILE to write\n", s);
                return 2;
            }
            page = argv[++i];
        } else if (!strncmp(s, "--output=", 9)) {
            page = s + 9;
        } else if (s[0] == '-' && s[1]) {
            fprintf(stderr, "edgetune: error: view: unknown option '%s' (see edgetune view --help)\n", s);
            return 2;
        } else if (out) {
            fprintf(stderr, "edgetune: error: view: unexpected argument '%s' (one OUT folder)\n", s);
            return 2;
        } else {
            out = s;
        }
    }
    if (!out || !*out) {
        fputs("edgetune: error: view: expected the OUT folder of a run (edgetune view OUT)\n",
              stderr);
        return 2;
    }
    if (strlen(out) >= ET_PATH_MAX || (page && strlen(page) >= ET_PATH_MAX)) {
        fprintf(stderr, "edgetune: error: view: paths of at most %d characters\n", ET_PATH_MAX - 1);
        return 2;
    }
    char def[ET_PATH_MAX + 16];
    snprintf(def, sizeof def, "%s/view.html", out);
    if (!page || !*page) page = def;
    et_error err;
    et_error_clear(&err);
    char *json = NULL;
    et_status st = build_data(out, &json, &err);
    if (st == ET_OK) st = write_page(page, json, &err);
    cJSON_free(json);
    if (st != ET_OK) {
        fprintf(stderr, "edgetune: error: %s\n", err.msg);
        return et_status_exit_code(err.code);
    }
    printf("edgetune: %s: open it in a browser\n", page);
    return 0;
}
