/* budget_estimate.c: what an episode is expected to take, from the simulator's inputs handed
 * in, and the room its actors' stacks need (see budget_estimate.h). */
#define _DEFAULT_SOURCE
#include "budget_estimate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <simgrid/host.h>
#include <simgrid/link.h>
#include <xbt/config.h>

#include "cost.h"

/* The highest rate, bit/s, UE ue can get in direction up (1) or down (0). */
static double peak_bps(const et_budget_inputs *in, int ue, int up)
{
    const et_sim_params *sc = in->p;
    const et_topology *t = in->topo;
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
    return fmax(in->peak_bps(in->ctx, ue, up), sc->channel.min_rate_bps);
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
static double task_s(const et_budget_inputs *in, int ue, et_location loc, double tokens,
                     double epochs, task_share *share)
{
    const et_sim_params *sc = in->p;
    const et_topology *t = in->topo;
    const et_ue_host *h = &t->ues[ue];
    et_cost c;
    et_cost_task(in->fm, in->cost, loc, sc->k_min, tokens, epochs, &c);
    if (share) *share = (task_share){0};
    if (loc == ET_LOCATION_LOCAL && c.memory_bytes > h->memory_bytes) return 0;
    double up = peak_bps(in, ue, 1), down = peak_bps(in, ue, 0);
    const et_server_host *srv = &t->servers[h->server];
    /* Every message pays the route's latency once (a 1e9 s link makes a task last as long):
     * the emulator's request and reply (amortised), the upload, the load query's round trip
     * (server.load_info query) and, offloaded, the result. */
    double lat = sg_host_get_route_latency(h->host, srv->host);
    double msgs = 2.0 / sc->tasks_per_ue + 1 + (sc->server_load_info == ET_LOAD_INFO_QUERY ? 2 : 0);
    if (loc != ET_LOCATION_LOCAL) msgs += 1;
    double download = et_cost_download_bytes(in->fm, &c, 0, 0);
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

void et_budget_estimate_from(const et_budget_inputs *in, int channel_trace, et_budget *b)
{
    const et_sim_params *sc = in->p;
    const et_topology *t = in->topo;
    int n = in->n_ue;
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
        double local = task_s(in, i, ET_LOCATION_LOCAL, tokens, epochs, &on_ue);
        double server = task_s(in, i, ET_LOCATION_SERVER, tokens, epochs, &on_server);
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
        double local = task_s(in, i, ET_LOCATION_LOCAL, tokens, epochs, NULL);
        double server = task_s(in, i, ET_LOCATION_SERVER, tokens, epochs, NULL);
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

int et_budget_auto_every(const et_budget_inputs *in)
{
    et_budget b;
    et_budget_estimate_from(in, 1, &b);
    double k = ceil(b.likely_channel_rows / ET_BUDGET_AUTO_ROWS);
    return k > 1 ? (k < 1e6 ? (int)k : 1000000) : 1;
}

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
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return map_room(n_actors, err);
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
