/* bare_twin.c: the bare SimGrid twin of an edgetune run.
 *
 * usage: bare_twin [--minimal] PLATFORM ACTIVITIES_CSV [--cfg=...] [--log=...]
 *
 * Replays the activities.csv that `edgetune run` writes with
 * output.activity_log (docs/traces.md) on the same platform with nothing but
 * SimGrid: every comm and execution starts at the instant the log says, and
 * every rate change of a busy link is applied at its instant. No policy, no
 * channel model, no task bookkeeping: what is left is what the activity
 * pattern alone costs the engine, the baseline bench/scale.sh divides
 * edgetune's cost by.
 *
 * Engine settings, platform discovery and the comm start (peak trick) copy
 * edgetune's (src/engine/sim.c et_engine_init and start_comm, src/engine/platform.c); this
 * program deliberately does not link edgetune_core, only SimGrid and the C++
 * shim (src/engine/sgx_shim.cpp) for host-to-host comms.
 *
 * Prints `key value` lines on stdout: the replay's simulated end and comm
 * count, and, when summary.json sits beside the log, edgetune's makespan and
 * comm count with the relative difference of the two ends. Exit status 0 ok,
 * 2 bad input, 1 other errors; one line on stderr on error.
 *
 * --minimal: the minimal SimGrid program of the same pattern, the anchor of
 * bench/scale.sh. The same UEs do the same transfers and executions in the
 * same order, each started no earlier than logged, one actor per UE, but the
 * links keep the platform's bandwidths: no channel actor, no rate changes, no
 * peak trick. What a user would write with SimGrid alone; its end differs
 * from edgetune's makespan (the rates differ), so no end is compared. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/exec.h>
#include <simgrid/host.h>
#include <simgrid/link.h>
#include <xbt/config.h>
#include <xbt/log.h>
#include <xbt/sysdep.h>

#include "sgx_shim.h"

/* The header edgetune writes (src/core/schema.h ET_ACTIVITY_COLUMNS, et_trace_header). */
static const char ACTIVITY_HEADER[] = "time_s,ue,kind,dir,amount,peak_bps,rate_bps";

enum { EXIT_INPUT = 2, EXIT_OTHER = 1 };
enum { DIR_UP = 0, DIR_DOWN = 1 };

/* One row of activities.csv. */
typedef struct activity {
    double time_s;   /* absolute engine time of the start */
    double amount;   /* C: bytes, X: FLOPs, B: 0 */
    double peak_bps; /* C: rate set before the start, -1 when not raised */
    double rate_bps; /* C: rate set right after the start; B: the new rate */
    int ue;
    int dir; /* C, B: 0 up, 1 down; X: 0 on the UE, 1 on the server */
    char kind;
} activity;

typedef struct twin twin;

/* One UE: its host, its two wireless links and its C and X rows in file order. */
typedef struct ue_replay {
    twin *tw;
    sg_host_t host;
    sg_host_t server; /* its cell's edge server (the one server without cells) */
    sg_link_t link_up, link_down;
    int *rows; /* indices into tw->acts, a slice of tw->ue_rows */
    int n_rows;
    double end_s;       /* when this UE's last activity completed */
    double max_late_s;  /* the latest an activity started after its logged time */
    double max_early_s; /* the longest this UE slept before a logged start */
    long comms, execs;
    sg_comm_t comm[2]; /* its comm in flight per direction (an H row cancels it), or NULL */
} ue_replay;

struct twin {
    const char *activities_path;
    int minimal; /* --minimal: no rate changes at all */
    sg_host_t server;
    int n_ue;
    ue_replay *ues; /* n_ue, sorted by host name: index = edgetune's UE index */
    activity *acts; /* the C and X rows, file order */
    int n_acts;
    int *ue_rows; /* indices into acts grouped by UE, file order within a UE */
    long n_rows;  /* data rows in the file, B rows included */
    /* The B rows are not kept: a long run logs millions of them (8.8 M at
     * 10,000 UEs x 1 task), which would make the twin's memory the log's
     * size. The channel actor streams them from the file instead. */
    long data_offset; /* where the first data row starts */
    long n_rate_rows;
    long rate_changes_applied;
    long n_handover_rows, handovers_replayed; /* H rows: comms a handover cancelled */
    double max_handover_off; /* the largest relative difference of the bytes left at an H */
};

/* Prints the one error line and returns the exit code, for main to return. */
static int fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "bare_twin: error: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

static int cmp_host_name(const void *a, const void *b)
{
    return strcmp(sg_host_get_name(*(const sg_host_t *)a), sg_host_get_name(*(const sg_host_t *)b));
}

/* Finds the UEs (role=ue, sorted by name as edgetune sorts them) with their
 * <link>_UP / <link>_DOWN halves and their servers: on a platform with
 * cells, the server named by the AP host their `cell` property names; else
 * the one host with role=server. Returns 0, or an exit code after printing
 * the error line. */
static int discover(twin *tw, const char *platform_path)
{
    size_t n_hosts = sg_host_count();
    sg_host_t *hosts = sg_host_list();
    qsort(hosts, n_hosts, sizeof *hosts, cmp_host_name);
    int n_servers = 0, n_ue = 0;
    for (size_t i = 0; i < n_hosts; i++) {
        const char *role = sg_host_get_property_value(hosts[i], "role");
        if (role && strcmp(role, "server") == 0) {
            tw->server = hosts[i];
            n_servers++;
        } else if (role && strcmp(role, "ue") == 0) {
            n_ue++;
        }
    }
    if (n_servers < 1) {
        xbt_free(hosts);
        return fail(EXIT_INPUT, "%s: no host has role=server", platform_path);
    }
    tw->ues = calloc((size_t)n_ue, sizeof *tw->ues);
    if (!tw->ues && n_ue > 0) {
        xbt_free(hosts);
        return fail(EXIT_OTHER, "%s: out of memory for %d UEs", platform_path, n_ue);
    }
    for (size_t i = 0; i < n_hosts; i++) {
        const char *role = sg_host_get_property_value(hosts[i], "role");
        if (!role || strcmp(role, "ue") != 0) continue;
        ue_replay *u = &tw->ues[tw->n_ue++];
        u->tw = tw;
        u->host = hosts[i];
        u->server = tw->server;
        const char *cell = sg_host_get_property_value(hosts[i], "cell");
        if (cell) {
            sg_host_t ap = sg_host_by_name(cell);
            const char *server = ap ? sg_host_get_property_value(ap, "server") : NULL;
            u->server = server ? sg_host_by_name(server) : NULL;
        } else if (n_servers != 1) {
            u->server = NULL;
        }
        if (!u->server) {
            xbt_free(hosts);
            return fail(EXIT_INPUT, "%s: UE host '%s': no server found for it", platform_path,
                        sg_host_get_name(hosts[i]));
        }
        const char *link = sg_host_get_property_value(hosts[i], "link");
        if (!link || !*link) {
            xbt_free(hosts);
            /* Wi-Fi UEs have no link of their own: the cell's one WIFI link
             * carries them, and its rates are levels, not bandwidths. */
            return fail(EXIT_INPUT,
                        "%s: UE host '%s' has no 'link' property: the twin replays OFDMA "
                        "platforms only (per-UE SPLITDUPLEX links), not Wi-Fi",
                        platform_path, sg_host_get_name(u->host));
        }
        char half[512];
        snprintf(half, sizeof half, "%s_UP", link);
        u->link_up = sgx_link_by_name_or_null(half);
        snprintf(half, sizeof half, "%s_DOWN", link);
        u->link_down = sgx_link_by_name_or_null(half);
        if (!u->link_up || !u->link_down) {
            xbt_free(hosts);
            return fail(EXIT_INPUT, "%s: link '%s' (a UE's <link>_UP or _DOWN) not found",
                        platform_path, half);
        }
    }
    xbt_free(hosts);
    if (tw->n_ue == 0) return fail(EXIT_INPUT, "%s: no host has role=ue", platform_path);
    return 0;
}

/* Parses one data row; returns NULL or what is wrong with it. */
static const char *parse_row(char *line, activity *a)
{
    char *p = line, *end;
    errno = 0;
    a->time_s = strtod(p, &end);
    if (end == p || *end != ',' || !isfinite(a->time_s) || a->time_s < 0) return "time_s";
    p = end + 1;
    long ue = strtol(p, &end, 10);
    if (end == p || *end != ',' || ue < 0 || ue > 100000000) return "ue";
    a->ue = (int)ue;
    p = end + 1;
    a->kind = *p;
    if (!strchr("CXBWH", a->kind) || a->kind == '\0' || p[1] != ',')
        return "kind (C, X, B, W or H)";
    p += 2;
    long dir = strtol(p, &end, 10);
    if (end == p || *end != ',' || (dir != 0 && dir != 1)) return "dir (0 or 1)";
    a->dir = (int)dir;
    p = end + 1;
    a->amount = strtod(p, &end);
    if (end == p || *end != ',' || !isfinite(a->amount) || a->amount < 0) return "amount";
    p = end + 1;
    a->peak_bps = strtod(p, &end);
    if (end == p || *end != ',' || !isfinite(a->peak_bps)) return "peak_bps";
    p = end + 1;
    a->rate_bps = strtod(p, &end);
    if (end == p || !isfinite(a->rate_bps)) return "rate_bps";
    if (*end != '\0' && *end != '\n' && *end != '\r') return "rate_bps (trailing text)";
    if (errno == ERANGE) return "a number out of range";
    if (a->kind == 'B' && a->rate_bps <= 0) return "rate_bps (a B row needs a positive rate)";
    if (a->kind == 'C' && a->peak_bps > 0 && a->rate_bps <= 0)
        return "rate_bps (a raised C row needs a positive rate)";
    return NULL;
}

/* Reads and checks the whole log, keeps its C and X rows and groups them by
 * UE (counting sort: file order is kept within a UE); counts the B rows,
 * which channel_main streams from the file during the replay. */
static int load_activities(twin *tw, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return fail(EXIT_INPUT, "%s: cannot open: %s", path, strerror(errno));
    char line[512]; /* a row is 7 numbers of at most 24 characters each */
    if (!fgets(line, sizeof line, f) || strncmp(line, ACTIVITY_HEADER, strlen(ACTIVITY_HEADER))) {
        fclose(f);
        return fail(EXIT_INPUT, "%s: line 1: expected the header '%s' (docs/traces.md)", path,
                    ACTIVITY_HEADER);
    }
    tw->data_offset = ftell(f);
    int cap = 1 << 12;
    tw->acts = malloc((size_t)cap * sizeof *tw->acts);
    long line_no = 1;
    double last_time_s = 0;
    if (!tw->acts) {
        fclose(f);
        return fail(EXIT_OTHER, "%s: out of memory", path);
    }
    while (fgets(line, sizeof line, f)) {
        line_no++;
        if (tw->n_acts == cap) {
            activity *grown = realloc(tw->acts, 2 * (size_t)cap * sizeof *tw->acts);
            if (!grown) {
                fclose(f);
                return fail(EXIT_OTHER, "%s: out of memory at line %ld", path, line_no);
            }
            tw->acts = grown;
            cap *= 2;
        }
        activity *a = &tw->acts[tw->n_acts];
        const char *bad = parse_row(line, a);
        if (!bad && a->ue >= tw->n_ue) bad = "ue (no such UE on the platform)";
        if (!bad && a->time_s < last_time_s) bad = "time_s (earlier than the row before)";
        if (bad) {
            fclose(f);
            return fail(EXIT_INPUT, "%s: line %ld: bad %s", path, line_no, bad);
        }
        if (a->kind == 'W') {
            fclose(f);
            return fail(EXIT_INPUT,
                        "%s: line %ld: a W row (a Wi-Fi comm cancelled for a level change): "
                        "the twin replays OFDMA runs only, not Wi-Fi",
                        path, line_no);
        }
        last_time_s = a->time_s;
        tw->n_rows++;
        if (a->kind == 'B')
            tw->n_rate_rows++;
        else if (a->kind == 'H')
            tw->n_handover_rows++; /* the channel actor's too */
        else
            tw->n_acts++;
    }
    int read_failed = ferror(f);
    fclose(f);
    if (read_failed) return fail(EXIT_INPUT, "%s: read error", path);

    tw->ue_rows = malloc(((size_t)tw->n_acts + 1) * sizeof *tw->ue_rows);
    if (!tw->ue_rows) return fail(EXIT_OTHER, "%s: out of memory", path);
    for (int i = 0; i < tw->n_acts; i++)
        tw->ues[tw->acts[i].ue].n_rows++;
    int offset = 0;
    for (int u = 0; u < tw->n_ue; u++) {
        tw->ues[u].rows = tw->ue_rows + offset;
        offset += tw->ues[u].n_rows;
        tw->ues[u].n_rows = 0;
    }
    for (int i = 0; i < tw->n_acts; i++) {
        ue_replay *u = &tw->ues[tw->acts[i].ue];
        u->rows[u->n_rows++] = i;
    }
    return 0;
}

/* Waits until the logged start and records how far off the replay is. */
static void sleep_until_start(ue_replay *u, double time_s)
{
    double now = simgrid_get_clock();
    if (now > time_s) {
        if (now - time_s > u->max_late_s) u->max_late_s = now - time_s;
        return;
    }
    if (time_s - now > u->max_early_s) u->max_early_s = time_s - now;
    sg_actor_sleep_until(time_s);
}

/* Starts a C row's comm exactly as edgetune's start_comm does: CM02 bounds a
 * comm by its route's smallest bandwidth at the start and ignores later
 * rises above it, so the link shows its peak while the comm starts and gets
 * the current rate in the same instant; later B rows then apply both ways. */
static void replay_comm(ue_replay *u, const activity *a)
{
    sg_host_t from = a->dir == DIR_UP ? u->host : u->server;
    sg_host_t to = a->dir == DIR_UP ? u->server : u->host;
    sg_link_t link = a->dir == DIR_UP ? u->link_up : u->link_down;
    sg_comm_t c;
    if (a->peak_bps > 0 && !u->tw->minimal) {
        sg_link_set_bandwidth(link, a->peak_bps / 8.0); /* SimGrid's C API takes bytes/s */
        c = sgx_comm_sendto_async(from, to, a->amount);
        sg_link_set_bandwidth(link, a->rate_bps / 8.0);
    } else {
        c = sgx_comm_sendto_async(from, to, a->amount); /* static links: the platform's rate */
    }
    /* A handover (an H row, channel_main) may cancel it: the bytes left continue in the
     * UE's next C row, after the interruption. */
    u->comm[a->dir] = c;
    sgx_comm_wait(c);
    u->comm[a->dir] = NULL;
    u->comms++;
}

/* An X row: on the UE's own host, or on the server, where it shares the
 * cores with every other server execution running then, as edgetune's
 * session actors' executions do. */
static void replay_exec(ue_replay *u, const activity *a)
{
    if (a->dir == 0) {
        sg_actor_execute(a->amount);
    } else {
        sg_exec_t e = sg_actor_exec_init(a->amount);
        sg_exec_set_host(e, u->server);
        sg_exec_start(e);
        sg_exec_wait(e);
    }
    u->execs++;
}

/* One UE: its comms and executions one after another (a UE's activities
 * never overlap in edgetune), each started at its logged instant. */
static void ue_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    ue_replay *u = sg_actor_self_get_data();
    const activity *acts = u->tw->acts;
    for (int k = 0; k < u->n_rows; k++) {
        const activity *a = &acts[u->rows[k]];
        sleep_until_start(u, a->time_s);
        if (a->kind == 'C')
            replay_comm(u, a);
        else
            replay_exec(u, a);
    }
    u->end_s = simgrid_get_clock();
}

/* The B rows, each at its instant, in file order. Created before the UE
 * actors, as edgetune creates its channel actor first, so that rows sharing
 * an instant keep the log's order as far as the engine's scheduling allows.
 * A daemon, like edgetune's: it ends with the last UE. */
static void channel_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    twin *tw = sg_actor_self_get_data();
    sg_actor_daemonize(sg_actor_self());
    if (tw->n_rate_rows == 0 && tw->n_handover_rows == 0) return;
    /* load_activities checked every row: here they only need reading. A row
     * that does not read back leaves rate_changes_applied short, and the
     * report shows it. */
    FILE *f = fopen(tw->activities_path, "r");
    if (!f || fseek(f, tw->data_offset, SEEK_SET) != 0) {
        if (f) fclose(f);
        return;
    }
    char line[512];
    activity a;
    while (fgets(line, sizeof line, f)) {
        if (parse_row(line, &a) != NULL) break;
        if (a.kind != 'B' && a.kind != 'H') continue;
        sg_actor_sleep_until(a.time_s);
        ue_replay *u = &tw->ues[a.ue];
        if (a.kind == 'H') {
            /* A handover cancelled the UE's comm with a.amount bytes left, as edgetune's
             * handover_finish does at this instant. */
            sg_comm_t c = u->comm[a.dir];
            if (c) {
                double left = sgx_comm_get_remaining(c);
                double off = fabs(left - a.amount) / (a.amount > 1 ? a.amount : 1);
                if (off > tw->max_handover_off) tw->max_handover_off = off;
                u->comm[a.dir] = NULL;
                sgx_comm_cancel(c);
                tw->handovers_replayed++;
            }
            continue;
        }
        sg_link_set_bandwidth(a.dir == DIR_UP ? u->link_up : u->link_down, a.rate_bps / 8.0);
        tw->rate_changes_applied++;
    }
    fclose(f);
}

/* Reads "key": number from edgetune's summary.json (cJSON's layout); NAN
 * when absent. Enough for two known keys, without a JSON library. */
static double summary_number(const char *text, const char *key)
{
    char quoted[64];
    snprintf(quoted, sizeof quoted, "\"%s\"", key);
    const char *p = strstr(text, quoted);
    if (!p) return NAN;
    p = strchr(p + strlen(quoted), ':');
    return p ? strtod(p + 1, NULL) : NAN;
}

/* summary.json beside the log, or NULL (the comparison is then skipped). */
static char *read_summary_beside(const char *activities_path)
{
    char path[4096];
    const char *slash = strrchr(activities_path, '/');
    int dir_len = slash ? (int)(slash - activities_path) + 1 : 0;
    snprintf(path, sizeof path, "%.*ssummary.json", dir_len, activities_path);
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (text) text[fread(text, 1, (size_t)n, f)] = '\0';
    fclose(f);
    return text;
}

static void report(const twin *tw, double engine_end_s)
{
    double end_s = 0, late_s = 0, early_s = 0;
    long comms = 0, execs = 0;
    for (int i = 0; i < tw->n_ue; i++) {
        const ue_replay *u = &tw->ues[i];
        end_s = fmax(end_s, u->end_s);
        late_s = fmax(late_s, u->max_late_s);
        early_s = fmax(early_s, u->max_early_s);
        comms += u->comms;
        execs += u->execs;
    }
    printf("twin_ues %d\n", tw->n_ue);
    printf("twin_rows %ld\n", tw->n_rows);
    printf("twin_comms %ld\n", comms);
    printf("twin_execs %ld\n", execs);
    printf("twin_rate_changes %ld\n", tw->rate_changes_applied);
    if (tw->n_handover_rows > 0) {
        printf("twin_handovers %ld\n", tw->handovers_replayed);
        printf("twin_handover_bytes_left_max_rel_diff %.3g\n", tw->max_handover_off);
        if (!tw->minimal && tw->handovers_replayed != tw->n_handover_rows)
            fprintf(stderr, "bare_twin: warning: %ld of the log's %ld handovers found a comm\n",
                    tw->handovers_replayed, tw->n_handover_rows);
    }
    if (!tw->minimal && tw->rate_changes_applied != tw->n_rate_rows)
        fprintf(stderr, "bare_twin: warning: %ld of the log's %ld rate changes were applied\n",
                tw->rate_changes_applied, tw->n_rate_rows);
    /* The last UE's end: the engine clock, which stops when the last
     * non-daemon actor ends, says the same. */
    printf("twin_end_s %.17g\n", end_s);
    printf("twin_engine_clock_s %.17g\n", engine_end_s);
    /* How far the replay drifted from the log: an activity started later
     * than logged means an earlier one of its UE ended later than in
     * edgetune. Early waits are idle gaps (tasks.gap_mean_s) or an earlier end. */
    printf("twin_max_late_s %.17g\n", late_s);
    printf("twin_max_wait_s %.17g\n", early_s);
    if (tw->minimal) return; /* other rates, another end: nothing to compare */
    char *summary = read_summary_beside(tw->activities_path);
    if (!summary) return;
    /* The first episode starts at engine time 0 (edgetune run), so the
     * relative makespan is also the absolute end. */
    double makespan_s = summary_number(summary, "makespan_s");
    double et_comms = summary_number(summary, "comms");
    free(summary);
    printf("edgetune_makespan_s %.17g\n", makespan_s);
    printf("edgetune_comms %.17g\n", et_comms);
    printf("end_rel_diff %.3g\n", fabs(end_s - makespan_s) / fmax(makespan_s, 1e-300));
}

int main(int argc, char **argv)
{
    /* Engine set up exactly as edgetune's et_engine_init: SimGrid silenced
     * unless --log= is given, CM02 without cross-traffic. */
    int user_log = 0;
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "--log=", 6) == 0) user_log = 1;
    if (!user_log) xbt_log_control_set("root.thres:critical");
    simgrid_init(&argc, argv); /* removes the --cfg= and --log= options */
    int minimal = argc > 1 && strcmp(argv[1], "--minimal") == 0;
    if (minimal) {
        argv++;
        argc--;
    }
    if (argc != 3) {
        fprintf(stderr,
                "usage: bare_twin [--minimal] PLATFORM ACTIVITIES_CSV [--cfg=...] [--log=...]\n");
        return EXIT_INPUT;
    }
    sg_cfg_set_string("network/model", "CM02");
    sg_cfg_set_boolean("network/crosstraffic", "no");

    twin tw;
    memset(&tw, 0, sizeof tw);
    tw.activities_path = argv[2];
    tw.minimal = minimal;
    char msg[1024];
    if (sgx_load_platform(argv[1], msg, sizeof msg) != 0)
        return fail(EXIT_INPUT, "%s: cannot load the platform: %s", argv[1], msg);
    int rc = discover(&tw, argv[1]);
    if (!rc) rc = load_activities(&tw, argv[2]);
    if (rc) { /* what was loaded before the error (found by the sanitizer stage's leak check) */
        free(tw.ues);
        free(tw.acts);
        free(tw.ue_rows);
        return rc;
    }

    sg_actor_t a;
    if (!tw.minimal) {
        a = sg_actor_init("channel", tw.server);
        sg_actor_set_data(a, &tw);
        sg_actor_start(a, channel_main, 0, NULL);
    }
    for (int i = 0; i < tw.n_ue; i++) {
        ue_replay *u = &tw.ues[i];
        if (u->n_rows == 0) continue;
        a = sg_actor_init(sg_host_get_name(u->host), u->host);
        sg_actor_set_data(a, u);
        sg_actor_start(a, ue_main, 0, NULL);
    }
    simgrid_run();
    report(&tw, simgrid_get_clock());
    free(tw.ues);
    free(tw.acts);
    free(tw.ue_rows);
    return 0;
}
