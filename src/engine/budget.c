/* budget.c: the up-front estimate of a run's simulated time and output (see budget.h). */
#define _DEFAULT_SOURCE
#include "budget.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <simgrid/host.h>
#include <simgrid/link.h>
#include <xbt/config.h>

#include "cost.h"
#include "fm.h"
#include "numtext.h"
#include "platform.h"

/* Default limits (the key table's defaults), for the warning when limits are off. */
#define DEFAULT_SIM_TIME_S 1e7
#define DEFAULT_OUTPUT_BYTES 1e9

/* The highest rate, bit/s, UE ue can get in direction up (1) or down (0). */
static double peak_bps(const et_sim *sim, int ue, int up)
{
    const et_sim_params *sc = et_sim_get_params(sim);
    const et_topology *t = et_sim_topology(sim);
    const et_ue_host *h = &t->ues[ue];
    const et_cell *cell = &t->cells[h->cell];
    if (cell->access == ET_ACCESS_WIFI) {
        double best = 0;
        for (int k = 0; k < cell->wifi.n_levels; k++)
            best = fmax(best, cell->wifi.rate_bps[k]);
        return best;
    }
    if (!sc->channel_enabled) {
        sg_link_t link = up ? h->link_up : h->link_down;
        return link ? sg_link_get_bandwidth(link) * 8.0 : 0;
    }
    return fmax(et_sim_peak_bps(sim, ue, up), sc->channel.min_rate_bps);
}

/* Seconds to move bytes at bps (bit/s). */
static double xfer_s(double bytes, double bps)
{
    return bps > 0 ? 8.0 * bytes / bps : INFINITY;
}

/* What a task asks of the resources UEs share: its server's accelerators (s of one
 * accelerator) and its cell's carrier per direction (s of the whole carrier at the UE's peak
 * rate: transfers that share it split it). */
typedef struct task_share {
    double server_s, air_up_s, air_down_s;
} task_share;

/* UE ue's time for a task of tokens x epochs decided as loc, amortising the emulator
 * download over the UE's queue; 0 for a LOCAL task that does not fit (it fails at once).
 * share (may be NULL) gets what the task asks of shared resources. */
static double task_s(const et_sim *sim, int ue, et_location loc, double tokens, double epochs,
                     task_share *share)
{
    const et_sim_params *sc = et_sim_get_params(sim);
    const et_topology *t = et_sim_topology(sim);
    const et_ue_host *h = &t->ues[ue];
    et_cost c;
    et_cost_task(et_sim_fm(sim), et_sim_cost_setup(sim), loc, sc->k_min, tokens, epochs, &c);
    if (share) *share = (task_share){0};
    if (loc == ET_LOCATION_LOCAL && c.memory_bytes > h->memory_bytes) return 0;
    double up = peak_bps(sim, ue, 1), down = peak_bps(sim, ue, 0);
    const et_server_host *srv = &t->servers[h->server];
    /* Every message pays the route's latency once (a 1e9 s link makes a task last as long):
     * the emulator's request and reply (amortised), the upload, the load query's round trip
     * (server.load_info query) and, offloaded, the result. */
    double lat = sg_host_get_route_latency(h->host, srv->host);
    double msgs = 2.0 / sc->tasks_per_ue + 1 + (sc->server_load_info == ET_LOAD_INFO_QUERY ? 2 : 0);
    if (loc != ET_LOCATION_LOCAL) msgs += 1;
    double download = et_cost_download_bytes(et_sim_fm(sim), &c, 0, 0);
    double air_up = xfer_s(sc->control_bytes, up) / sc->tasks_per_ue +
                    xfer_s(sc->control_bytes + c.upload_bytes, up);
    double air_down = xfer_s(download, down) / sc->tasks_per_ue;
    double s = air_up + air_down + msgs * lat;
    if (loc == ET_LOCATION_LOCAL) {
        if (share) *share = (task_share){0, air_up, air_down};
        return s + c.flops / h->speed_flops;
    }
    double back = c.result_down_bytes > 0 ? c.result_down_bytes : sc->control_bytes;
    if (share)
        *share = (task_share){c.flops / srv->core_flops, air_up, air_down + xfer_s(back, down)};
    return s + c.flops / srv->core_flops + xfer_s(back, down);
}

/* The expected wait for ON of a task due a time L = gap + task after its UE's previous one
 * started (in an ON period), under the on/off process (tasks.burst_on_s, burst_off_s): the
 * process is OFF at L with probability off/(on+off) (1 - exp(-L (1/on + 1/off))) (a two-state
 * Markov chain started ON), and the OFF period then lasts off more on average (memoryless).
 * 0 without bursts. */
static double burst_wait_s(const et_sim_params *sc, double task_s)
{
    double on = sc->burst_on_s, off = sc->burst_off_s;
    if (!(on > 0 && off > 0)) return 0;
    double L = sc->gap_mean_s + task_s;
    return off * off / (on + off) * -expm1(-L * (1 / on + 1 / off));
}

/* A UE's episode when each of its tasks takes per_task s (without the idle gap). */
static double episode_s(const et_sim_params *sc, double per_task)
{
    return sc->tasks_per_ue * (sc->gap_mean_s + per_task + burst_wait_s(sc, per_task));
}

/* The channel.csv rows of a traced UE whose episode lasts episode s. */
static double channel_rows(const et_sim_params *sc, double episode)
{
    return 1.0 + floor(episode / sc->update_interval_s / sc->channel_trace_every);
}

/* The UEs channel.csv traces of n (output.channel_ues, evenly spaced, as in sim.c). */
static int traced_ues(const et_sim_params *sc, int n)
{
    return sc->channel_trace_ues > 0 && sc->channel_trace_ues < n ? sc->channel_trace_ues : n;
}

void et_budget_estimate(const et_sim *sim, int channel_trace, et_budget *b)
{
    const et_sim_params *sc = et_sim_get_params(sim);
    const et_topology *t = et_sim_topology(sim);
    int n = et_sim_ue_count(sim);
    /* A task of the mean size: log-uniform tokens, uniform epochs. */
    double lo = sc->tokens_min, hi = sc->tokens_max;
    double tokens = hi > lo ? (hi - lo) / log(hi / lo) : lo;
    double epochs = 0.5 * (sc->epochs_min + sc->epochs_max);
    *b = (et_budget){0};
    b->likely_by = "";
    /* What the UEs' choices ask of each server (accelerator-seconds) and of each cell's
     * carrier per direction (carrier-seconds), over the episode. */
    double *busy = calloc((size_t)t->n_servers + 2 * (size_t)t->n_cells, sizeof *busy);
    int want = traced_ues(sc, n);
    int traced_k = 0; /* the next traced UE is floor(traced_k n / want), as in sim.c */
    double cap_s = 0; /* the longest episode deadlines allow: a task not done by its deadline
                         is dropped (docs/simulation.md, "Deadlines") */
    int capped = sc->deadline_factor > 0 || sc->deadline_s > 0;
    for (int i = 0; i < n; i++) {
        task_share on_ue, on_server;
        double local = task_s(sim, i, ET_LOCATION_LOCAL, tokens, epochs, &on_ue);
        double server = task_s(sim, i, ET_LOCATION_SERVER, tokens, epochs, &on_server);
        double per_task = fmin(local, server);
        double episode = episode_s(sc, per_task);
        if (episode > b->sim_time_s || i == 0) {
            b->sim_time_s = episode;
            b->task_s = per_task;
            b->slowest_ue = i;
        }
        double deadline = sc->deadline_factor > 0 ? sc->deadline_factor * per_task : INFINITY;
        if (sc->deadline_s > 0) deadline = fmin(deadline, sc->deadline_s);
        if (capped) cap_s = fmax(cap_s, episode_s(sc, fmax(per_task, deadline)));
        if (busy) {
            const task_share *sh = local <= server ? &on_ue : &on_server;
            const et_ue_host *h = &t->ues[i];
            busy[h->server] += sc->tasks_per_ue * sh->server_s;
            busy[t->n_servers + 2 * h->cell] += sc->tasks_per_ue * sh->air_up_s;
            busy[t->n_servers + 2 * h->cell + 1] += sc->tasks_per_ue * sh->air_down_s;
        }
    }
    b->likely_s = b->sim_time_s;
    for (int k = 0; busy && k < t->n_servers; k++) {
        double s = busy[k] / (t->servers[k].cores > 0 ? t->servers[k].cores : 1);
        if (s > b->likely_s) {
            b->likely_s = s;
            b->likely_by = "a server's accelerators";
        }
    }
    for (int k = 0; busy && k < 2 * t->n_cells; k++) {
        if (busy[t->n_servers + k] > b->likely_s) {
            b->likely_s = busy[t->n_servers + k];
            b->likely_by = k % 2 ? "a cell's downlink" : "a cell's uplink";
        }
    }
    free(busy);
    /* Deadlines drop what a busy resource cannot do in time: no UE's episode lasts much
     * longer than its tasks' deadlines (a LOCAL task may finish late). */
    if (capped && cap_s < b->likely_s) {
        b->likely_s = fmax(b->sim_time_s, cap_s);
        b->likely_by =
            b->likely_s > b->sim_time_s ? "shared resources, up to the tasks' deadlines" : "";
    }
    /* The traced UEs' rows: each until its own episode ends (the estimate's), or the likely
     * episode's end when a shared resource sets it. */
    for (int i = 0; i < n; i++) {
        if (traced_k >= want || i != (int)((long long)traced_k * n / want)) continue;
        traced_k++;
        if (!(channel_trace && sc->channel_enabled)) continue;
        double local = task_s(sim, i, ET_LOCATION_LOCAL, tokens, epochs, NULL);
        double server = task_s(sim, i, ET_LOCATION_SERVER, tokens, epochs, NULL);
        double episode = episode_s(sc, fmin(local, server));
        b->channel_rows += channel_rows(sc, episode);
        b->likely_channel_rows += channel_rows(sc, fmax(episode, b->likely_s));
    }
    double task_bytes = (double)n * sc->tasks_per_ue * ET_BUDGET_TASK_ROW_BYTES;
    b->output_bytes = b->channel_rows * ET_BUDGET_CHANNEL_ROW_BYTES + task_bytes;
    b->likely_output_bytes = b->likely_channel_rows * ET_BUDGET_CHANNEL_ROW_BYTES + task_bytes;
}

int et_budget_auto_applies(const et_sim_params *p, int n_ue)
{
    return p->channel_sampling == ET_CHANNEL_SAMPLING_AUTO && n_ue > ET_BUDGET_AUTO_UES &&
           p->channel_trace_ues == 0 && p->channel_trace_every == 1;
}

int et_budget_auto_every(const et_sim *sim)
{
    et_budget b;
    et_budget_estimate(sim, 1, &b);
    double k = ceil(b.likely_channel_rows / ET_BUDGET_AUTO_ROWS);
    return k > 1 ? (k < 1e6 ? (int)k : 1000000) : 1;
}

/* The messages name p's parameters as the caller knows them (et_sim_param_key: the scenario's
 * keys under et_sim_create), never by a key of their own. */
#define KEY(field) ET_SIM_PARAM_KEY(p, field)
#define TRACE_KEY et_sim_param_key(p, ET_SIM_PARAM_CHANNEL_TRACE, "channel_trace")

/* The part of an expected-duration message that bursty arrivals add (empty without them). */
static void burst_wait_clause(const et_sim_params *p, int bursty, char *out, size_t size)
{
    if (bursty)
        snprintf(out, size, " + the expected wait for an ON period, %s %.3g s, %s %.3g s",
                 KEY(burst_on_s), p->burst_on_s, KEY(burst_off_s), p->burst_off_s);
    else if (size > 0)
        out[0] = '\0';
}

et_status et_budget_check(const et_sim *sim, const et_budget *b, int writes_traces, char *warning,
                          size_t size, et_error *err)
{
    const et_sim_params *p = et_sim_get_params(sim);
    const char *ue = et_sim_topology(sim)->ues[b->slowest_ue].name;
    const char *noun = et_sim_param_noun(p);
    double t_lim = p->limit_sim_time_s, o_lim = writes_traces ? p->limit_output_bytes : 0;
    if (size > 0) warning[0] = '\0';
    if (t_lim > 0 && b->sim_time_s > t_lim) {
        char wait[300], off[80] = "";
        burst_wait_clause(p, p->burst_off_s > 0, wait, sizeof wait);
        if (p->burst_off_s > 0) snprintf(off, sizeof off, "%s, ", KEY(burst_off_s));
        return et_error_set(
            err, ET_ERR_INPUT,
            "%s: %s '%s': an episode is expected to last %.3g simulated s (UE %s: %s %d x (%s "
            "%.3g s + at least %.3g s per task%s)), more than the limit of %.3g s; shorten the "
            "episode (%s, %s, %s%s, %s, the platform's latencies) or raise the limit (0 = none)",
            p->source, noun, KEY(limit_sim_time_s), b->sim_time_s, ue, KEY(tasks_per_ue),
            p->tasks_per_ue, KEY(gap_mean_s), p->gap_mean_s, b->task_s, wait, t_lim,
            KEY(tasks_per_ue), KEY(gap_mean_s), off, KEY(tokens_max), KEY(bytes_per_token));
    }
    if (o_lim > 0 && b->output_bytes > o_lim)
        return et_error_set(
            err, ET_ERR_INPUT,
            "%s: %s '%s': the run is expected to write %.3g bytes (%.3g channel.csv rows over "
            "%.3g simulated s), more than the limit of %.3g bytes; trace less (%s, %s, %s) or "
            "raise the limit (0 = none)",
            p->source, noun, KEY(limit_output_bytes), b->output_bytes, b->channel_rows,
            b->sim_time_s, o_lim, KEY(channel_trace_every), KEY(channel_trace_ues), TRACE_KEY);
    /* Near a limit (a quarter of it: the estimate is optimistic), or far beyond the default
     * limits when they are off. */
    double t_warn = t_lim > 0 ? t_lim / 4 : 10 * DEFAULT_SIM_TIME_S;
    double o_warn = o_lim > 0 ? o_lim / 4 : 10 * DEFAULT_OUTPUT_BYTES;
    if (size == 0) return ET_OK;
    /* The likely figures (shared resources included) warn too; they never refuse. */
    const char *by = b->likely_by[0] ? b->likely_by : "";
    if (b->likely_s > t_warn) {
        snprintf(warning, size, "an episode is expected to last %.3g simulated s%s%s (%s: %.3g%s)",
                 b->likely_s, by[0] ? ", set by " : "", by, KEY(limit_sim_time_s), t_lim,
                 t_lim > 0 ? "; the run may stop there" : ", no limit");
    } else if (writes_traces && b->likely_output_bytes > o_warn) {
        char stop[200];
        snprintf(stop, sizeof stop,
                 "; the run may stop there: trace less (%s, %s) or raise the limit",
                 KEY(channel_trace_every), KEY(channel_trace_ues));
        snprintf(warning, size,
                 "the run is expected to write %.3g bytes (%.3g channel.csv rows over %.3g "
                 "simulated s%s%s; %s: %.3g%s)",
                 b->likely_output_bytes, b->likely_channel_rows, b->likely_s,
                 by[0] ? ", set by " : "", by, KEY(limit_output_bytes), o_lim,
                 o_lim > 0 ? stop : ", no limit");
    }
    return ET_OK;
}

/* ------------------------------------------------------------------------- */
/* Before the platform is loaded: from its UE count.                          */

void et_budget_estimate_lower(const et_sim_params *p, int n_ue, int channel_trace, et_budget *b)
{
    /* Every UE's episode is episode_s(p, per_task) with per_task >= 0 (0 for a task that
     * fails at once), and episode_s, channel_rows grow with per_task: these are the least
     * figures et_budget_estimate can give. */
    *b = (et_budget){.task_s = 0, .slowest_ue = -1, .likely_by = ""};
    b->sim_time_s = b->likely_s = episode_s(p, 0.0);
    /* Automatic sampling (et_budget_auto_applies) thins the trace by a factor known only
     * after the load: no channel rows are counted then. */
    if (channel_trace && p->channel_enabled && !et_budget_auto_applies(p, n_ue))
        b->channel_rows = traced_ues(p, n_ue) * channel_rows(p, b->sim_time_s);
    b->output_bytes = b->channel_rows * ET_BUDGET_CHANNEL_ROW_BYTES +
                      (double)n_ue * p->tasks_per_ue * ET_BUDGET_TASK_ROW_BYTES;
    b->likely_channel_rows = b->channel_rows;
    b->likely_output_bytes = b->output_bytes;
}

/* Lines of a text file (its entries), or -1 when it cannot be read. */
static long count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long n = 0;
    for (int c; (c = getc(f)) != EOF;)
        if (c == '\n') n++;
    fclose(f);
    return n;
}

/* SimGrid 3.32 allocates each actor's stack and makes its guard-size pages below it
 * inaccessible (mprotect), which splits the stack's mapping in two: with guard pages every
 * actor costs two of the process's memory mappings, and past vm.max_map_count (65,530 by
 * default) SimGrid dies with "Failed to protect stack". Without guard pages the stacks are
 * plain anonymous memory that the kernel merges into few mappings. */
static et_status map_room(int n_actors, et_error *err)
{
    if (sg_cfg_get_int("contexts/guard-size") <= 0) return ET_OK;
    long max = -1;
    FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
    if (f) {
        if (fscanf(f, "%ld", &max) != 1) max = -1;
        fclose(f);
    }
    long used = count_lines("/proc/self/maps");
    if (max <= 0 || used < 0) return ET_OK; /* not Linux: nothing to check against */
    long margin = 1024; /* the engine's and the libraries' own mappings during the episode */
    long need = 2L * n_actors;
    if (used + need + margin <= max) return ET_OK;
    return et_error_set(err, ET_ERR_NOMEM,
                        "not enough memory mappings for the episode's %d actors: with guard "
                        "pages each actor's stack takes 2 mappings, %ld beside the %ld in use, "
                        "and the system allows %ld (vm.max_map_count); run without guard pages "
                        "(--cfg=contexts/guard-size:0, docs/simulation.md \"Actors\") or raise "
                        "the limit (sysctl -w vm.max_map_count=N)",
                        n_actors, need, used, max);
}

et_status et_budget_stack_room(int n_actors, et_error *err)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return map_room(n_actors, err);
    long page = sysconf(_SC_PAGESIZE);
    double stack_bytes = sg_cfg_get_int("contexts/stack-size") * 1024.0 +
                         (sg_cfg_get_int("contexts/guard-size") + 1.0) * (double)page;
    unsigned long long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%llu", &pages) != 1) pages = 0;
        fclose(f);
    }
    double used = (double)pages * (double)page, need = n_actors * stack_bytes;
    double margin = 32.0 * 1024 * 1024; /* the episode's own buffers and the engine's */
    if (used + need + margin <= (double)rl.rlim_cur) return map_room(n_actors, err);
    return et_error_set(err, ET_ERR_NOMEM,
                        "not enough address space for the episode's %d actors: their stacks "
                        "take %.0f MiB, the process uses %.0f MiB of the %.0f MiB its limit "
                        "allows (ulimit -v); raise the limit, or lower the stacks with "
                        "--cfg=contexts/stack-size:KIB",
                        n_actors, need / 1048576.0, used / 1048576.0,
                        (double)rl.rlim_cur / 1048576.0);
}

et_status et_budget_precheck(const et_sim_params *p, int channel_trace, int writes_traces,
                             et_error *err)
{
    if (!p->platform[0] || p->tasks_per_ue < 1 || !(p->update_interval_s > 0) ||
        p->channel_trace_every < 1)
        return ET_OK; /* et_sim_create_from_params reports these */
    et_platform_census census;
    et_error scratch;
    /* The platform reads the same in any locale of the calling program (numtext.h). */
    void *saved = et_numtext_enter();
    et_status st = et_platform_precheck(p->platform, &census, &scratch);
    et_numtext_leave(saved);
    /* What the pre-check refuses, loading refuses again, after the model and the trace as
     * ever; so do fewer UE hosts than the key ues asks for (discovery). */
    if (st != ET_OK || census.n_ue == 0 || p->ues > census.n_ue) return ET_OK;
    int n = p->ues > 0 ? p->ues : census.n_ue;
    const char *source = p->source[0] ? p->source : "(parameters)";
    et_budget b;
    et_budget_estimate_lower(p, n, channel_trace, &b);
    double t_lim = p->limit_sim_time_s, o_lim = writes_traces ? p->limit_output_bytes : 0;
    int bursty = p->burst_on_s > 0 && p->burst_off_s > 0;
    const char *noun = et_sim_param_noun(p);
    if (t_lim > 0 && b.sim_time_s > t_lim) {
        char wait[300], off[80] = "";
        burst_wait_clause(p, bursty, wait, sizeof wait);
        if (bursty) snprintf(off, sizeof off, ", %s", KEY(burst_off_s));
        return et_error_set(
            err, ET_ERR_INPUT,
            "%s: %s '%s': an episode is expected to last at least %.3g simulated s (%s %d x %s%s "
            "%.3g s%s%s, before any task's own time), more than the limit of %.3g s; shorten the "
            "episode (%s, %s%s) or raise the limit (0 = none)",
            source, noun, KEY(limit_sim_time_s), b.sim_time_s, KEY(tasks_per_ue), p->tasks_per_ue,
            bursty ? "(" : "", KEY(gap_mean_s), p->gap_mean_s, wait, bursty ? ")" : "", t_lim,
            KEY(tasks_per_ue), KEY(gap_mean_s), off);
    }
    if (o_lim > 0 && b.output_bytes > o_lim)
        return et_error_set(
            err, ET_ERR_INPUT,
            "%s: %s '%s': the run is expected to write at least %.3g bytes (%d UEs x %s %d "
            "tasks.csv rows, and at least %.3g channel.csv rows), more than the limit of %.3g "
            "bytes; simulate fewer UEs or tasks (%s, %s), trace less (%s, %s, %s) or raise the "
            "limit (0 = none)",
            source, noun, KEY(limit_output_bytes), b.output_bytes, n, KEY(tasks_per_ue),
            p->tasks_per_ue, b.channel_rows, o_lim, KEY(ues), KEY(tasks_per_ue),
            KEY(channel_trace_every), KEY(channel_trace_ues), TRACE_KEY);
    return et_budget_stack_room(ET_SIM_ACTORS(n) + (p->share_interval_s > 0), err);
}
