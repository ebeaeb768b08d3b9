/* sim.c: actors of the edge-tuning simulation (see sim.h). */
#define _DEFAULT_SOURCE
#include "sim.h"

#include <limits.h>
#include <math.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/link.h>
#include <simgrid/semaphore.h>
#include <simgrid/version.h>
#include <xbt/config.h>
#include <xbt/log.h>

#include "budget_estimate.h"
#include "channel.h"
#include "cost.h"
#include "fm.h"
#include "interrupt.h"
#include "isolate.h"
#include "mobility.h"
#include "numtext.h"
#include "paje.h"
#include "platform.h"
#include "rng.h"
#include "sgx_shim.h"

/* What a UE asks its server for. The request itself travels as a transfer of
 * transfer.control_bytes (or, for an offload, with the data set it comes with); the UE's
 * own actor then performs the server's side of it (serve_request). */
typedef enum request_kind {
    REQ_EMULATOR, /* send emulator (+ adapter) bytes down */
    REQ_OFFLOAD,  /* tune on the server, send the result down */
    REQ_QUERY,    /* send the server's load down (server.load_info = query) */
} request_kind;

typedef struct request {
    request_kind kind;
    double bytes_down;   /* emulator (+ adapter) or result */
    double flops;        /* server tuning work (REQ_OFFLOAD) */
    double memory_bytes; /* what the job holds on an accelerator (REQ_OFFLOAD) */
    double deadline;     /* engine time the task's deadline falls; 0: none */
    /* Filled by the server's side. */
    const char *failure; /* "" or why the server refused or dropped the job */
    double wait_s;       /* time queued for memory */
} request;

/* The server's load as a reply reports it (the UE's view of it). */
typedef struct load_report {
    int running, waiting;
    double memory_used_bytes;
    double at; /* engine time the server read it */
} load_report;

enum { DIR_UP = 0, DIR_DOWN = 1 };

/* One direction of a UE's wireless access: the comm in flight on it. */
typedef struct xfer {
    sg_comm_t comm;         /* NULL when idle */
    int wifi_level;         /* Wi-Fi: the level comm started at (its direction's) */
    double remaining_bytes; /* the task's bytes left when comm was cancelled: Wi-Fi, for a
                               level change (comm itself carries them over the MAC
                               efficiency); OFDMA, for a handover */
} xfer;

typedef struct et_sim et_sim;

typedef struct ue_state {
    et_sim *sim;
    int index;
    const et_ue_host *host;
    sg_host_t server; /* the host that serves this UE */
    int server_index; /* into topo.servers and sim->server_jobs */
    int cell;                   /* index of its serving cell (carrier) in topo.cells */
    double cell_radius_m;       /* its cell's radius, for the distance observation */
    double privacy;             /* privacy sensitivity in [0, 1] (host property or class default) */
    et_ue_radio radio;
    sg_link_t link[2];   /* OFDMA: the UE's wireless link per direction (DIR_UP, DIR_DOWN) */
    double peak_bps[2];  /* the highest rate the channel can give each link */
    double latency_s[2]; /* route latency UE -> server, server -> UE */
    et_rng task_rng;
    et_mobility_state mob;
    et_channel_state ch;
    long ch_step;       /* mobility and channel are those of this grid point */
    double rate_bps[2]; /* the rate the UE gets (or would get) now per direction */
    int wifi_level[2];  /* the channel's Wi-Fi level per direction at ch_step: DIR_UP the
                           station's MCS, DIR_DOWN the AP's towards it */
    /* What the engine's links carry. Links are only touched while a transfer
     * uses them: an idle link's bandwidth does not matter, and every change
     * costs SimGrid a constraint re-solve. */
    double applied_bps[2];
    int applied_wifi_level;
    xfer x[2];        /* DIR_UP, DIR_DOWN */
    int in_flight;    /* transfers in flight (0..2) */
    int busy_pos;     /* index in sim->busy, -1 when idle */
    int share_pos[2]; /* index in its cell's sharing set per direction, -1 when not in it */
    int active;
    /* Handover (channel.handover; docs/channel.md, "Handover"). */
    int handovers;            /* this episode's, so far */
    int a3_target;            /* the neighbour the A3 condition holds for, -1 none */
    long a3_since;            /* the grid point it has held from */
    double ho_resume;         /* engine time its last handover's interruption ends */
    int ho_pending;           /* a handover whose engine side (below) is still to be done */
    int ho_left_cell[2];      /* the cell whose carrier it left per direction, -1 none */
    /* Between tasks. */
    int cached_b, adapter_cached;
    double last_delay_s;
    load_report seen;    /* the server's load as last reported to this UE */
    double reward_mark;  /* team credit: sim->reward_sum at this UE's last feedback */
    et_feedback held;    /* team credit: its last task's feedback, delivered at episode end */
    int has_held;
    sg_sem_t admit;      /* its job waits here for server memory */
    int accelerator;     /* where its running job holds memory, -1 none */
    /* The task in flight. */
    request req;
    double bytes_up, bytes_down, compute_s;
    double up_done;     /* engine time the last request's upload ended */
    double compute_end; /* engine time the task's tuning execution ended */
    double finish_s;
} ue_state;

/* channel.csv's view of an idle traced UE (trace_idle_row): its walk stepped ahead of the one
 * the simulation uses, which advances lazily, when the UE next transmits. */
typedef struct trace_look {
    et_mobility_state mob;
    et_channel_state ch;
    long step; /* the grid point mob and ch are at; -1: not taken yet */
} trace_look;

struct et_sim {
    et_sim_params p;
    double tdd_share[2]; /* p's TDD time shares: downlink, uplink (et_channel_tdd_shares) */
    et_fm fm;
    et_cost_setup cost_setup;
    et_topology topo;
    et_mobility_trace *trace;
    et_channel_table *channel_table; /* ergodic spectral efficiency by SNR */
    et_propagation *cell_prop;       /* (n_cells) each cell's propagation: its platform
                                        properties over the scenario keys; topo.aps[c].prop */
    et_ue_radio *cell_carrier;       /* (n_cells) each cell's shared carrier, its platform
                                        properties over the scenario keys: bandwidths and time
                                        shares (cell_carrier()) */
    int n_ue;
    ue_state *ues;
    float *state; /* (n_ue * ET_OBS_DIM + ET_STATE_EXTRA,) global state */
    int state_dim;
    double ppl_ref;
    /* Lazy channel: only UEs with a transfer in flight are updated. */
    int *busy, n_busy; /* UE indices in arrival order (deterministic) */
    int *busy_snapshot;
    int *traced, n_traced; /* UEs written to channel.csv, by index */
    trace_look *look;      /* (n_traced) the idle traced UEs' look-ahead walks */
    /* Carrier sharing: per cell and direction, the UEs with a transfer in
     * flight (they split the carrier's resource blocks equally). */
    int n_cells;
    int handover; /* channel.handover on a multi-cell OFDMA platform with the channel on */
    int *share_items; /* 2 * n_ue slots (2 n_cells n_ue with handover: a cell may then serve
                         every UE): cell c, direction d at share_first[2c + d] */
    int *share_first, *share_n;
    /* channel.share_interval_s > 0: the sharing sets (2c + dir) whose other UEs still get
     * the share of an earlier count, re-divided by the share actor at the next boundary. */
    unsigned char *share_dirty; /* (2 n_cells) 1 when the set is in share_due */
    int *share_due, n_share_due;
    int *share_due_spare; /* as long: share_main swaps it with share_due each round */
    int share_woken; /* the share actor has been woken for the sets in share_due */
    sg_sem_t share_wake;
    /* Per cell, the channel.max_interferers nearest other cells. */
    int *interferers, *n_interferers;
    et_engine_counts counts;
    /* Episode. */
    et_agent *agent;
    int episode;
    uint64_t episode_seed;
    double t0;
    int *server_jobs; /* running tuning jobs per server (topo.servers) */
    int jobs_total;   /* running, over all servers */
    int waiting_total; /* queued for memory, over all servers */
    int cores_total;
    struct server_state *servers; /* (topo.n_servers) memory and queue */
    double *acc_used;             /* memory in use per accelerator, all servers in a row */
    int *wait_items;              /* queues: server k's at servers[k].wait_first */
    int tasks_done, tasks_total;
    int bursty;     /* tasks.burst_on_s and burst_off_s > 0: tasks start only while ON */
    et_burst burst; /* this episode's on/off schedule */
    et_outputs *out;       /* its byte count (limits.output_bytes) */
    et_record_sinks sinks; /* where the episode's records go (the outputs' CSV writers) */
    et_episode_stats *stats;
    double reward_sum; /* rewards of every task completed so far (cooperative credit) */
    long reward_count;
    et_status agent_status;
    et_error agent_err;
    et_progress_fn progress;
    void *progress_ctx;
    et_task_sink_fn task_sink;
    void *task_sink_ctx;
    et_breakdown breakdown; /* the episode's tasks per UE, class and cell (summary.json) */
    int channel_auto;       /* output.channel_sampling auto chose the trace's sampling */
    et_paje *paje; /* edgetune's Paje types; NULL without --paje */
};

/* An edge server's memory and queue (docs/simulation.md, "The server"). Its accelerators
 * are the cores of its SimGrid host: a job holds memory on one accelerator, and the jobs
 * that run share the host's cores as SimGrid shares them (one core's speed at most each). */
typedef struct server_state {
    int n_acc;               /* accelerators */
    double acc_memory_bytes; /* memory of each; 0: unlimited (server.admission none) */
    double *acc_used;        /* (n_acc) bytes held */
    int *wait;               /* UE indices waiting for memory, in arrival order */
    int n_wait;
    double used_bytes, peak_bytes;
    double wait_area, wait_last; /* integral of n_wait over engine time, and its last update */
    int wait_max;
} server_state;

/* ---------------------------------------------------------------- engine */

/* Without guard pages (--cfg=contexts/guard-size:0, the way past vm.max_map_count: docs/
 * simulation.md, "Actors") SimGrid 3.32 takes each actor's stack from calloc. glibc raises its
 * mmap threshold to the largest block freed so far (the platform's parse buffers pass 8 MiB),
 * and calloc then carves the stacks out of the heap and zeroes the heap's old top with each,
 * up to 128 KiB: 63 KB of memory per idle UE at 100,000 UEs. Fixing the threshold at the stack
 * size makes every stack a fresh zero mapping, of which only the pages the actor touches take
 * memory (the kernel merges the mappings, so they stay few). With guard pages SimGrid uses
 * posix_memalign, which zeroes nothing: nothing to do. */
static void stacks_without_guard(void)
{
#ifdef __GLIBC__
    long stack = (long)sg_cfg_get_int("contexts/stack-size") * 1024;
    if (sg_cfg_get_int("contexts/guard-size") != 0 || stack < 128 * 1024) return;
    mallopt(M_MMAP_THRESHOLD, (int)(stack < 32L * 1024 * 1024 ? stack : 32L * 1024 * 1024));
    mallopt(M_MMAP_MAX, INT_MAX);
#endif
}

et_status et_engine_init(int *argc, char **argv, const char *paje_path, et_error *err)
{
    /* Silence SimGrid unless the user asked for logs with --log= or for SimGrid's help
     * (--cfg-help, --help-models, --help-logs, ... print through the log). */
    int user_log = 0;
    for (int i = 1; i < *argc; i++)
        if (strncmp(argv[i], "--log=", 6) == 0 || strncmp(argv[i], "--help-", 7) == 0 ||
            strcmp(argv[i], "--cfg-help") == 0)
            user_log = 1;
    if (!user_log) xbt_log_control_set("root.thres:critical");
    /* sgx_init refuses every --cfg / --log value SimGrid would abort on, and
     * the options set below. */
    char msg[512];
    if (sgx_init(argc, argv, msg, sizeof msg) != 0)
        return et_error_set(err, ET_ERR_INPUT, "%s", msg);
    /* LV08 (the default) deadlocks a comm whose link changes during its
     * latency phase, and cross-traffic slows every flow by 5% on a shared
     * link: CM02 without cross-traffic gives size / bandwidth + latency. */
    sg_cfg_set_string("network/model", "CM02");
    sg_cfg_set_boolean("network/crosstraffic", "no");
    stacks_without_guard();
    if (paje_path) {
        sg_cfg_set_boolean("tracing", "yes");
        sg_cfg_set_string("tracing/filename", paje_path);
        sg_cfg_set_boolean("tracing/uncategorized", "yes");
        /* Cluster zones crash the topology tracer in 3.32 ("common father unknown"). */
        sg_cfg_set_boolean("tracing/platform/topology", "no");
    }
    return ET_OK;
}

/* ------------------------------------------------------------ create */

/* Privacy sensitivity of a UE: its host's `privacy` property, in [0, 1], or
 * its device class's default. The defaults are a modelling choice
 * (docs/simulation.md): a phone holds its owner's messages and photos, a
 * Jetson-class board industrial sensor data. */
static et_status ue_privacy(const char *platform, const et_ue_host *h, double *out, et_error *err)
{
    static const struct {
        const char *device_class;
        double sensitivity;
    } defaults[] = {{"phone", 1.0}, {"tablet", 0.8}, {"laptop", 0.5}, {"jetson", 0.2}};
    const char *text = sg_host_get_property_value(h->host, "privacy");
    if (text) {
        double v = -1;
        if (et_numtext_double(text, &v) != 0 || !(v >= 0.0 && v <= 1.0))
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: host '%s': property 'privacy': expected a number in [0, 1], "
                                "got \"%.64s\"",
                                platform, h->name, text);
        *out = v;
        return ET_OK;
    }
    *out = 0.5;
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        if (!strcmp(h->device_class, defaults[i].device_class)) *out = defaults[i].sensitivity;
    return ET_OK;
}

/* Memory of one accelerator of server k: its host's `memory_bytes` property, or
 * server.memory_bytes; 0 (unlimited) when server.admission is none. */
static et_status server_memory(const et_sim_params *p, const et_server_host *h, double *out,
                               et_error *err)
{
    *out = p->server_admission ? 0.0 : p->server_memory_bytes;
    const char *text = sg_host_get_property_value(h->host, "memory_bytes");
    if (!text || p->server_admission) return ET_OK;
    double v = 0;
    if (et_numtext_double(text, &v) != 0 || !(v >= 1e6 && v <= 1e15))
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: host '%s': property 'memory_bytes': expected a number in [1e6, "
                            "1e15] (bytes per accelerator), got \"%.64s\"",
                            p->platform, h->name, text);
    *out = v;
    return ET_OK;
}

uint64_t et_sim_episode_seed(uint64_t scenario_seed, int episode)
{
    et_rng r;
    et_rng_seed(&r, scenario_seed, 0xE950DEULL + (uint64_t)episode);
    return et_rng_u64(&r);
}

/* ---------------------------------------------------------- arrivals */

void et_burst_init(et_burst *b, uint64_t episode_seed, double on_mean_s, double off_mean_s)
{
    et_rng_seed(&b->rng, episode_seed, et_rng_stream_id(ET_RNG_TASKS, ET_BURST_STREAM_OWNER));
    b->on_mean_s = on_mean_s;
    b->off_mean_s = off_mean_s;
    b->on_start_s = 0;
    b->on_end_s = et_rng_exponential(&b->rng, on_mean_s);
    b->next_on_s = b->on_end_s + et_rng_exponential(&b->rng, off_mean_s);
}

double et_burst_next_on(et_burst *b, double t)
{
    /* The schedule grows only as far as t: one cycle (an ON, then an OFF) at a time. */
    while (t >= b->next_on_s) {
        b->on_start_s = b->next_on_s;
        b->on_end_s = b->on_start_s + et_rng_exponential(&b->rng, b->on_mean_s);
        b->next_on_s = b->on_end_s + et_rng_exponential(&b->rng, b->off_mean_s);
    }
    return t < b->on_end_s ? t : b->next_on_s;
}

static et_status sim_new(const et_sim_params *params, et_sim **out, et_error *err);

/* A TDD parameter's text, or its default when it is "". */
static const char *tdd_text(const char *param, const char *fallback)
{
    return param[0] ? param : fallback;
}

/* Cell c's carrier when its UEs share it (channel.sharing carrier, OFDMA): what its platform
 * host declares (docs/platforms.md section 3) over the channel.* keys, as bandwidths and
 * time shares. TDD: one carrier_hz carrier, each direction in its share of the slots; FDD:
 * carrier_down_hz and carrier_up_hz, all the time. A cell that declares tdd_pattern or
 * tdd_special_slot gets the shares of its pair (the other from the keys), which must leave
 * both directions time; otherwise the keys' shares. */
static et_status cell_carrier(const et_sim *sim, int c, et_ue_radio *out, et_error *err)
{
    const et_sim_params *prm = &sim->p;
    const et_cell *cell = &sim->topo.cells[c];
    et_duplex duplex = cell->duplex >= 0 ? (et_duplex)cell->duplex : prm->duplex;
    *out = (et_ue_radio){.duty_up = 1.0, .duty_down = 1.0};
    if (duplex == ET_DUPLEX_FDD) {
        out->bandwidth_up_hz = cell->carrier_up_hz > 0 ? cell->carrier_up_hz : prm->carrier_up_hz;
        out->bandwidth_down_hz =
            cell->carrier_down_hz > 0 ? cell->carrier_down_hz : prm->carrier_down_hz;
        return ET_OK;
    }
    out->bandwidth_up_hz = out->bandwidth_down_hz =
        cell->carrier_hz > 0 ? cell->carrier_hz : prm->carrier_hz;
    out->duty_down = sim->tdd_share[0];
    out->duty_up = sim->tdd_share[1];
    if (!cell->tdd_pattern && !cell->tdd_special_slot) return ET_OK;
    const char *pattern =
        cell->tdd_pattern ? cell->tdd_pattern : tdd_text(prm->tdd_pattern, ET_TDD_PATTERN_DEFAULT);
    const char *special = cell->tdd_special_slot
                              ? cell->tdd_special_slot
                              : tdd_text(prm->tdd_special_slot, ET_TDD_SPECIAL_SLOT_DEFAULT);
    if (et_channel_tdd_shares(pattern, special, &out->duty_down, &out->duty_up, NULL) == ET_OK)
        return ET_OK;
    const char *prop = cell->tdd_pattern ? ET_CELL_PROP_TDD_PATTERN : ET_CELL_PROP_TDD_SPECIAL_SLOT;
    return et_error_set(err, ET_ERR_INPUT,
                        "%s: cell '%s': property '%s': expected a TDD pattern and special slot "
                        "with time in both directions, got pattern '%s' with special slot '%s' "
                        "(%s from the %s %s)",
                        prm->platform, cell->name, prop, pattern, special,
                        cell->tdd_pattern ? "the slot" : "the pattern",
                        prm->param_name ? "scenario key" : "parameter",
                        cell->tdd_pattern ? ET_SIM_PARAM_KEY(prm, tdd_special_slot)
                                          : ET_SIM_PARAM_KEY(prm, tdd_pattern));
}

/* channel.csv: every UE, or output.channel_ues of them evenly spaced. */
static void set_traced(et_sim *sim)
{
    const et_sim_params *prm = &sim->p;
    int want = prm->channel_trace_ues > 0 && prm->channel_trace_ues < sim->n_ue
                   ? prm->channel_trace_ues
                   : sim->n_ue;
    sim->n_traced = 0;
    for (int k = 0; k < want; k++)
        sim->traced[sim->n_traced++] = (int)((long long)k * sim->n_ue / want);
}

int et_sim_channel_auto(const et_sim *sim, int *ues, int *every)
{
    *ues = sim->n_traced;
    *every = sim->p.channel_trace_every;
    return sim->channel_auto;
}

/* The breakdown's names: the topology's UE names, classes and cells. */
static int breakdown_init(et_sim *sim)
{
    const et_topology *t = &sim->topo;
    size_t nu = t->n_ue > 0 ? (size_t)t->n_ue : 1, nc = t->n_cells > 0 ? (size_t)t->n_cells : 1;
    const char **names = calloc(2 * nu + nc, sizeof *names);
    if (!names) return -1;
    const char **classes = names + nu, **cells = names + 2 * nu;
    for (int i = 0; i < t->n_ue; i++) {
        names[i] = t->ues[i].name;
        classes[i] = t->ues[i].device_class;
    }
    for (int c = 0; c < t->n_cells; c++)
        cells[c] = t->cells[c].name;
    int rc = et_breakdown_init(&sim->breakdown, t->n_ue, names, classes, t->n_cells, cells);
    free(names);
    return rc;
}

const et_breakdown *et_sim_breakdown(const et_sim *sim)
{
    return &sim->breakdown;
}

/* The estimate's peak rates (et_budget_inputs.peak_bps) of the simulator ctx. */
static double budget_peak_bps(const void *ctx, int ue, int up)
{
    const et_sim *sim = ctx;
    return sim->ues[ue].peak_bps[up ? DIR_UP : DIR_DOWN];
}

et_status et_sim_create_from_params(const et_sim_params *params, et_sim **out, et_error *err)
{
    /* The platform, the profile and the trace read the same in any locale of the calling
     * program (numtext.h): SimGrid's parser runs on this thread too. */
    void *saved = et_numtext_enter();
    et_status st = sim_new(params, out, err);
    et_numtext_leave(saved);
    return st;
}

/* Makes cell c u's serving cell: its carrier (shared carrier, OFDMA, not Wi-Fi: the channel
 * state is that of the whole carrier, and the UE gets its share of it. TDD: one carrier,
 * each direction in its slots, so the SNR is over the whole bandwidth (the UE's power in its
 * uplink slots) and the rate takes the direction's share of the time. FDD: a carrier per
 * direction), the peak rates its links can reach, and its radius for the observation. */
static void ue_set_cell(et_sim *sim, ue_state *u, int c)
{
    const et_sim_params *prm = &sim->p;
    u->cell = c;
    u->cell_radius_m = sim->topo.cells[c].radius_m > 0 ? sim->topo.cells[c].radius_m
                                                       : prm->mobility.cell_radius_m;
    if (prm->radio_sharing == ET_SHARING_CARRIER && sim->topo.cells[c].access == ET_ACCESS_OFDMA) {
        const et_ue_radio *carrier = &sim->cell_carrier[c];
        u->radio.bandwidth_up_hz = carrier->bandwidth_up_hz;
        u->radio.bandwidth_down_hz = carrier->bandwidth_down_hz;
        u->radio.duty_up = carrier->duty_up;
        u->radio.duty_down = carrier->duty_down;
    }
    /* The channel's rate is B duty min(log2(1 + SINR), max_se) at most. */
    double max_se = prm->channel.max_spectral_eff_bps_hz;
    u->peak_bps[DIR_UP] = u->radio.bandwidth_up_hz * u->radio.duty_up * max_se;
    u->peak_bps[DIR_DOWN] = u->radio.bandwidth_down_hz * u->radio.duty_down * max_se;
}

/* Per cell, the channel.max_interferers nearest other cells of its radio type: a Wi-Fi cell
 * (unlicensed 5 GHz) and an NR carrier do not share spectrum, so on a mixed platform each
 * kind's cells interfere only among themselves, and a UE hands over only among them. 0, or
 * -1 out of memory. */
static int cell_interferers(et_sim *sim)
{
    const et_topology *t = &sim->topo;
    int k = sim->p.max_interferers > 0 ? sim->p.max_interferers : 1;
    if (t->access != ET_ACCESS_MIXED) {
        for (int c = 0; c < t->n_cells; c++)
            sim->n_interferers[c] = et_channel_nearest_interferers(
                t->aps, t->n_cells, c, sim->p.max_interferers, sim->interferers + (size_t)c * k);
        return 0;
    }
    int *index = calloc((size_t)t->n_cells, sizeof *index);
    et_channel_ap *same = calloc((size_t)t->n_cells, sizeof *same);
    if (!index || !same) {
        free(index);
        free(same);
        return -1;
    }
    for (int c = 0; c < t->n_cells; c++) {
        int n = 0, serving = 0;
        for (int j = 0; j < t->n_cells; j++) {
            if (t->cells[j].access != t->cells[c].access) continue;
            if (j == c) serving = n;
            index[n] = j;
            same[n++] = t->aps[j];
        }
        int *out = sim->interferers + (size_t)c * k;
        sim->n_interferers[c] =
            et_channel_nearest_interferers(same, n, serving, sim->p.max_interferers, out);
        for (int m = 0; m < sim->n_interferers[c]; m++)
            out[m] = index[out[m]];
    }
    free(index);
    free(same);
    return 0;
}

static et_status sim_new(const et_sim_params *params, et_sim **out, et_error *err)
{
    *out = NULL;
    if (!params->platform[0] || !params->model[0])
        return et_error_set(err, ET_ERR_INPUT, "simulator: no platform or model file given");
    if (params->tasks_per_ue < 1 || !(params->update_interval_s > 0))
        return et_error_set(err, ET_ERR_INPUT,
                            "simulator: tasks_per_ue must be >= 1 and update_interval_s > 0");
    if (!(params->share_interval_s >= 0 && params->share_interval_s <= 1))
        return et_error_set(err, ET_ERR_INPUT,
                            "simulator: share_interval_s must be in [0, 1] s, got %g",
                            params->share_interval_s);
    /* Bursts: both means 0 (none), or both at least 0.01 s (the schedule's draws grow as the
     * episode's time over their mean) and finite. */
    double on = params->burst_on_s, off = params->burst_off_s;
    if (!((on == 0 && off == 0) || (on >= 0.01 && off >= 0.01 && on <= 1e9 && off <= 1e9)))
        return et_error_set(err, ET_ERR_INPUT,
                            "simulator: burst_on_s and burst_off_s must both be 0 or both in "
                            "[0.01, 1e9], got %g and %g",
                            on, off);
    et_sim *sim = calloc(1, sizeof *sim);
    if (!sim) return et_error_set(err, ET_ERR_NOMEM, "out of memory");
    sim->p = *params;
    if (!sim->p.source[0]) snprintf(sim->p.source, sizeof sim->p.source, "(parameters)");
    /* The scenario's validation has parsed the pattern; should it not have, the carrier is
     * split evenly rather than given a share of 0. */
    if (et_channel_tdd_shares(tdd_text(sim->p.tdd_pattern, ET_TDD_PATTERN_DEFAULT),
                              tdd_text(sim->p.tdd_special_slot, ET_TDD_SPECIAL_SLOT_DEFAULT),
                              &sim->tdd_share[0], &sim->tdd_share[1], NULL) != ET_OK)
        sim->tdd_share[0] = sim->tdd_share[1] = 0.5;
    const et_sim_params *prm = &sim->p;
    et_status st = et_fm_load(prm->model, &sim->fm, err);
    if (st == ET_OK && prm->mobility.model == ET_MOBILITY_TRACE) {
        if (!prm->mobility_trace[0])
            st = et_error_set(err, ET_ERR_INPUT,
                              "simulator: mobility model trace needs a trace file");
        else
            st = et_mobility_trace_load(prm->mobility_trace, &sim->trace, err);
    }
    if (st == ET_OK && prm->channel_enabled)
        st = et_channel_table_create(&prm->channel, &sim->channel_table, err);
    if (st == ET_OK) st = et_platform_load(prm->platform, err);
    if (st == ET_OK) st = et_topology_discover(&sim->topo, prm->platform, prm->ues, err);
    if (st != ET_OK) {
        et_sim_destroy(sim);
        return st;
    }
    sim->n_ue = sim->topo.n_ue;
    st = et_paje_create(&sim->topo, &sim->paje, err);
    if (st != ET_OK) {
        et_sim_destroy(sim);
        return st;
    }
    if (sim->trace && et_mobility_trace_ue_count(sim->trace) < sim->n_ue) {
        st = et_error_set(err, ET_ERR_INPUT,
                          "%s: mobility trace has positions for %d UEs, the scenario simulates %d",
                          prm->mobility_trace, et_mobility_trace_ue_count(sim->trace), sim->n_ue);
        et_sim_destroy(sim);
        return st;
    }
    if (breakdown_init(sim) != 0) {
        et_sim_destroy(sim);
        return et_error_set(err, ET_ERR_NOMEM, "out of memory for %d UEs", sim->topo.n_ue);
    }
    sim->state_dim = et_state_dim(sim->n_ue);
    sim->ues = calloc((size_t)sim->n_ue, sizeof *sim->ues);
    sim->state = calloc((size_t)sim->state_dim, sizeof *sim->state);
    sim->busy = calloc((size_t)sim->n_ue, sizeof *sim->busy);
    sim->busy_snapshot = calloc((size_t)sim->n_ue, sizeof *sim->busy_snapshot);
    sim->traced = calloc((size_t)sim->n_ue, sizeof *sim->traced);
    sim->n_cells = sim->topo.n_cells;
    sim->handover = prm->handover && prm->channel_enabled && sim->n_cells > 1 &&
                    sim->topo.access != ET_ACCESS_WIFI;
    size_t share_slots = 2 * (size_t)sim->n_ue * (sim->handover ? (size_t)sim->n_cells : 1);
    /* With handover any cell may serve every UE, so each cell's sharing sets hold a slot per
     * UE: 8 bytes per UE and cell, bounded here to 256 MiB. */
    if (share_slots > ((size_t)1 << 26)) {
        st = et_error_set(err, ET_ERR_INPUT,
                          "%s: %s '%s': %d UEs in %d cells need %zu carrier-sharing "
                          "slots with handover, more than the %d it allows (UEs x cells at most "
                          "%d); simulate fewer UEs or cells, or turn handover off",
                          prm->source, et_sim_param_noun(prm), ET_SIM_PARAM_KEY(prm, handover),
                          sim->n_ue, sim->n_cells, share_slots, 1 << 26, 1 << 25);
        et_sim_destroy(sim);
        return st;
    }
    sim->server_jobs = calloc((size_t)sim->topo.n_servers, sizeof *sim->server_jobs);
    sim->servers = calloc((size_t)sim->topo.n_servers, sizeof *sim->servers);
    int n_acc_total = 0;
    for (int k = 0; k < sim->topo.n_servers; k++)
        n_acc_total += sim->topo.servers[k].cores > 0 ? sim->topo.servers[k].cores : 1;
    sim->acc_used = calloc((size_t)n_acc_total, sizeof *sim->acc_used);
    sim->wait_items = calloc((size_t)sim->n_ue, sizeof *sim->wait_items);
    int k_interf = prm->max_interferers > 0 ? prm->max_interferers : 1;
    sim->interferers = calloc((size_t)sim->n_cells * (size_t)k_interf, sizeof *sim->interferers);
    sim->n_interferers = calloc((size_t)sim->n_cells, sizeof *sim->n_interferers);
    sim->share_items = calloc(share_slots, sizeof *sim->share_items);
    sim->share_first = calloc(2 * (size_t)sim->n_cells, sizeof *sim->share_first);
    sim->share_n = calloc(2 * (size_t)sim->n_cells, sizeof *sim->share_n);
    sim->share_dirty = calloc(2 * (size_t)sim->n_cells, sizeof *sim->share_dirty);
    sim->share_due = calloc(2 * (size_t)sim->n_cells, sizeof *sim->share_due);
    sim->share_due_spare = calloc(2 * (size_t)sim->n_cells, sizeof *sim->share_due_spare);
    sim->cell_prop = calloc((size_t)sim->n_cells, sizeof *sim->cell_prop);
    sim->cell_carrier = calloc((size_t)sim->n_cells, sizeof *sim->cell_carrier);
    if (!sim->ues || !sim->state || !sim->busy || !sim->busy_snapshot || !sim->traced ||
        !sim->share_items || !sim->share_first || !sim->share_n || !sim->share_dirty ||
        !sim->share_due || !sim->share_due_spare || !sim->server_jobs ||
        !sim->servers || !sim->acc_used || !sim->wait_items || !sim->interferers ||
        !sim->n_interferers || !sim->cell_prop || !sim->cell_carrier) {
        int n_ue = sim->n_ue;
        et_sim_destroy(sim);
        return et_error_set(err, ET_ERR_NOMEM, "out of memory for %d UEs", n_ue);
    }
    set_traced(sim);
    /* Sharing sets: each cell and direction gets as many slots as the cell
     * has simulated UEs; with handover, as many as there are UEs. */
    for (int i = 0; i < sim->n_ue; i++)
        for (int c = 0; c < sim->n_cells; c++)
            sim->share_n[2 * c] += sim->handover || c == sim->topo.ues[i].cell;
    for (int c = 0, first = 0; c < sim->n_cells; c++) {
        int m = sim->share_n[2 * c];
        sim->share_first[2 * c + DIR_UP] = first;
        sim->share_first[2 * c + DIR_DOWN] = first + m;
        first += 2 * m;
    }
    memset(sim->share_n, 0, 2 * (size_t)sim->n_cells * sizeof *sim->share_n);
    for (int k = 0; k < sim->topo.n_servers; k++)
        sim->cores_total += sim->topo.servers[k].cores;
    /* Each server's accelerators and its queue's slots (one per UE it serves). */
    for (int k = 0, acc = 0, slot = 0; k < sim->topo.n_servers; k++) {
        server_state *sv = &sim->servers[k];
        sv->n_acc = sim->topo.servers[k].cores > 0 ? sim->topo.servers[k].cores : 1;
        sv->acc_used = sim->acc_used + acc;
        acc += sv->n_acc;
        sv->wait = sim->wait_items + slot;
        for (int i = 0; i < sim->n_ue; i++)
            slot += sim->topo.ues[i].server == k;
        st = server_memory(prm, &sim->topo.servers[k], &sv->acc_memory_bytes, err);
        if (st != ET_OK) {
            et_sim_destroy(sim);
            return st;
        }
    }
    /* Each cell's propagation: what its platform host declares, the scenario keys for the
     * rest; checked like the keys (a platform value SimGrid accepted could still be out of
     * TR 38.901's range only if the pre-check missed it). */
    for (int c = 0; c < sim->n_cells; c++) {
        sim->cell_prop[c] = et_cell_propagation(&sim->topo.cells[c], &prm->channel.propagation);
        sim->topo.aps[c].prop = &sim->cell_prop[c];
        char what[256];
        snprintf(what, sizeof what, "%s: cell '%s': property", prm->platform,
                 sim->topo.cells[c].name);
        st = et_propagation_validate(&sim->cell_prop[c], what, err);
        if (st == ET_OK) st = cell_carrier(sim, c, &sim->cell_carrier[c], err);
        if (st != ET_OK) {
            et_sim_destroy(sim);
            return st;
        }
    }
    if (cell_interferers(sim) != 0) {
        et_sim_destroy(sim);
        return et_error_set(err, ET_ERR_NOMEM, "out of memory for %d cells", sim->topo.n_cells);
    }
    sim->ppl_ref = prm->ppl_ref > 0 ? prm->ppl_ref : sim->fm.ppl_full_ft;
    sim->cost_setup = (et_cost_setup){
        .lora = prm->result_mode == ET_RESULT_LORA,
        .lora_savings = prm->lora_savings,
        .tunes_on = prm->tunes_on,
        .server_returns_result = prm->server_returns_result,
        .k_min = prm->k_min,
        .k_max = prm->k_max,
        .seq_tokens = prm->seq_tokens,
        .bytes_per_token = prm->bytes_per_token,
        .data_quality = prm->data_quality,
    };
    for (int i = 0; i < sim->n_ue; i++) {
        ue_state *u = &sim->ues[i];
        u->sim = sim;
        u->index = i;
        u->host = &sim->topo.ues[i];
        u->server_index = u->host->server;
        u->server = sim->topo.servers[u->server_index].host;
        u->admit = sg_sem_init(0);
        st = ue_privacy(prm->platform, u->host, &u->privacy, err);
        if (st != ET_OK) {
            et_sim_destroy(sim);
            return st;
        }
        u->latency_s[DIR_UP] = sg_host_get_route_latency(u->host->host, u->server);
        u->latency_s[DIR_DOWN] = sg_host_get_route_latency(u->server, u->host->host);
        u->link[DIR_UP] = u->host->link_up;
        u->link[DIR_DOWN] = u->host->link_down;
        u->radio = u->host->radio;
        /* The key's; a cell declaring ue_tx_power_dbm overrides it for the UEs it serves
         * (et_topology.aps, read by the channel), so after a handover the new cell's applies. */
        u->radio.tx_power_dbm = prm->ue_tx_power_dbm;
        u->radio.duty_up = u->radio.duty_down = 1.0;
        if (u->radio.bandwidth_up_hz <= 0) u->radio.bandwidth_up_hz = 20e6;
        if (u->radio.bandwidth_down_hz <= 0) u->radio.bandwidth_down_hz = 20e6;
        ue_set_cell(sim, u, u->host->cell);
    }
    /* output.channel_sampling auto: a large run traces fewer UEs, less often (budget.h). */
    if (et_budget_auto_applies(&sim->p, sim->n_ue)) {
        sim->p.channel_trace_ues = ET_BUDGET_AUTO_UES;
        set_traced(sim);
        const et_budget_inputs in = {.p = &sim->p,
                                     .topo = &sim->topo,
                                     .n_ue = sim->n_ue,
                                     .fm = &sim->fm,
                                     .cost = &sim->cost_setup,
                                     .peak_bps = budget_peak_bps,
                                     .ctx = sim};
        sim->p.channel_trace_every = et_budget_auto_every(&in);
        sim->channel_auto = 1;
    }
    *out = sim;
    return ET_OK;
}

void et_sim_destroy(et_sim *sim)
{
    if (!sim) return;
    et_breakdown_clear(&sim->breakdown);
    et_paje_destroy(sim->paje);
    et_topology_clear(&sim->topo);
    et_mobility_trace_destroy(sim->trace);
    et_channel_table_destroy(sim->channel_table);
    free(sim->cell_prop);
    free(sim->cell_carrier);
    for (int i = 0; sim->ues && i < sim->n_ue; i++) {
        if (sim->ues[i].admit) sg_sem_destroy(sim->ues[i].admit);
    }
    free(sim->busy);
    free(sim->busy_snapshot);
    free(sim->traced);
    free(sim->look);
    free(sim->share_items);
    free(sim->share_first);
    free(sim->share_n);
    free(sim->share_dirty);
    free(sim->share_due);
    free(sim->share_due_spare);
    if (sim->share_wake) sg_sem_destroy(sim->share_wake);
    free(sim->server_jobs);
    free(sim->servers);
    free(sim->acc_used);
    free(sim->wait_items);
    free(sim->interferers);
    free(sim->n_interferers);
    free(sim->ues);
    free(sim->state);
    free(sim);
}

void et_sim_set_task_sink(et_sim *sim, et_task_sink_fn fn, void *ctx)
{
    sim->task_sink = fn;
    sim->task_sink_ctx = ctx;
}

void et_sim_set_progress(et_sim *sim, et_progress_fn fn, void *ctx)
{
    sim->progress = fn;
    sim->progress_ctx = ctx;
}

void et_sim_set_seed(et_sim *sim, uint64_t seed)
{
    sim->p.seed = seed;
}

const et_sim_params *et_sim_get_params(const et_sim *sim)
{
    return &sim->p;
}

const char *et_sim_param_key(const et_sim_params *p, size_t param, const char *field)
{
    const char *key = p->param_name ? p->param_name(param) : NULL;
    return key ? key : field;
}

const char *et_sim_param_noun(const et_sim_params *p)
{
    return p->param_name ? "key" : "parameter";
}
int et_sim_ue_count(const et_sim *sim)
{
    return sim->n_ue;
}
const char *et_sim_ue_class(const et_sim *sim, int ue)
{
    return sim->topo.ues[ue].device_class;
}
const char *et_sim_model_name(const et_sim *sim)
{
    return sim->fm.name;
}
const et_fm *et_sim_fm(const et_sim *sim)
{
    return &sim->fm;
}
const et_topology *et_sim_topology(const et_sim *sim)
{
    return &sim->topo;
}
const et_cost_setup *et_sim_cost_setup(const et_sim *sim)
{
    return &sim->cost_setup;
}
double et_sim_peak_bps(const et_sim *sim, int ue, int up)
{
    return sim->ues[ue].peak_bps[up ? DIR_UP : DIR_DOWN];
}

/* ------------------------------------------------------------- channel */

static double now_s(const et_sim *sim)
{
    return simgrid_get_clock() - sim->t0;
}

/* The channel grid point in force now: the last k with k * dt <= now. */
static long grid_step_now(const et_sim *sim)
{
    return (long)floor(now_s(sim) / sim->p.update_interval_s + 1e-9);
}

static int carrier_shared(const et_sim *sim)
{
    return sim->p.channel_enabled && sim->p.radio_sharing == ET_SHARING_CARRIER &&
           sim->topo.access != ET_ACCESS_WIFI;
}

/* 1 when a shared carrier is re-divided per channel.share_interval_s (the share actor runs). */
static int share_batched(const et_sim *sim)
{
    return carrier_shared(sim) && sim->p.share_interval_s > 0;
}

/* u's radio is its cell's: a Wi-Fi station, or an OFDMA UE with its own links. */
static int ue_wifi(const et_sim *sim, const ue_state *u)
{
    return sim->topo.cells[u->cell].access == ET_ACCESS_WIFI;
}

/* u shares its cell's carrier with the cell's other UEs (an OFDMA cell, channel.sharing
 * carrier); a Wi-Fi station shares its cell's air time in the engine instead. */
static int ue_shares_carrier(const et_sim *sim, const ue_state *u)
{
    return carrier_shared(sim) && !ue_wifi(sim, u);
}

/* The rate u gets in direction dir now, from its channel state. Shared
 * carrier: the n UEs of its cell with traffic in that direction (u counted
 * in) split the carrier's resource blocks equally, as a round-robin or
 * long-run proportional-fair scheduler would (et_channel_share_rate_bps:
 * the downlink keeps its SNR in a 1/n share, the uplink gains 10 log10(n)
 * dB), in the direction's share of the time on a TDD carrier. Wi-Fi: the
 * PHY rate of the direction's level times the MAC efficiency. */
static double offered_bps(const et_sim *sim, const ue_state *u, int dir)
{
    const et_sim_params *prm = &sim->p;
    if (ue_wifi(sim, u))
        return sim->topo.cells[u->cell].wifi.rate_bps[u->wifi_level[dir]] *
               prm->wifi_mac_efficiency;
    if (!carrier_shared(sim)) return dir == DIR_UP ? u->ch.rate_up_bps : u->ch.rate_down_bps;
    int n = sim->share_n[2 * u->cell + dir] + (u->share_pos[dir] < 0 ? 1 : 0);
    if (dir == DIR_UP)
        return et_channel_share_rate_bps(&prm->channel, sim->channel_table,
                                         u->radio.bandwidth_up_hz, u->radio.duty_up,
                                         u->ch.sinr_up_db, n, 1);
    return et_channel_share_rate_bps(&prm->channel, sim->channel_table, u->radio.bandwidth_down_hz,
                                     u->radio.duty_down, u->ch.sinr_down_db, n, 0);
}

/* Refreshes u's rates (or Wi-Fi levels) from its channel state and shares. */
static void refresh_rates(et_sim *sim, ue_state *u)
{
    if (!sim->p.channel_enabled) return; /* the platform's rates stay */
    if (ue_wifi(sim, u)) {
        /* Each direction's transmitter picks its MCS from what its receiver
         * hears: the station from the uplink SINR at the AP, the AP from the
         * downlink SINR at the station (802.11 rate control is per
         * transmitter and receiver). Version 2 kept one level per station,
         * from the worse direction. */
        const double *min_snr = sim->topo.cells[u->cell].wifi.min_snr_db;
        int n = sim->topo.cells[u->cell].wifi.n_levels;
        if (sim->p.wifi_rate_control == ET_WIFI_RATE_PER_DIRECTION) {
            u->wifi_level[DIR_UP] = et_channel_wifi_level(min_snr, n, u->ch.sinr_up_db);
            u->wifi_level[DIR_DOWN] = et_channel_wifi_level(min_snr, n, u->ch.sinr_down_db);
        } else {
            u->wifi_level[DIR_UP] = u->wifi_level[DIR_DOWN] =
                et_channel_wifi_level(min_snr, n, fmin(u->ch.sinr_up_db, u->ch.sinr_down_db));
        }
    }
    u->rate_bps[DIR_UP] = offered_bps(sim, u, DIR_UP);
    u->rate_bps[DIR_DOWN] = offered_bps(sim, u, DIR_DOWN);
    et_paje_rates(sim->paje, u->index, u->rate_bps[DIR_UP], u->rate_bps[DIR_DOWN]);
}

/* Static links (channel.enabled false): the platform's bandwidths stay. */
static void keep_platform_rates(et_sim *sim, ue_state *u)
{
    const et_channel_ap *ap = &sim->topo.aps[u->cell];
    u->ch.distance_m = hypot(u->mob.x_m - ap->x_m, u->mob.y_m - ap->y_m);
    u->ch.snr_up_db = u->ch.snr_down_db = u->ch.sinr_up_db = u->ch.sinr_down_db = NAN;
    for (int dir = DIR_UP; dir <= DIR_DOWN; dir++) {
        if (ue_wifi(sim, u)) {
            u->wifi_level[dir] = 0;
            u->rate_bps[dir] =
                sim->topo.cells[u->cell].wifi.rate_bps[0] * sim->p.wifi_mac_efficiency;
        } else {
            /* The platform's values, read once per episode; nothing changes them. */
            u->rate_bps[dir] = u->applied_bps[dir] = sg_link_get_bandwidth(u->link[dir]) * 8.0;
        }
    }
    et_paje_rates(sim->paje, u->index, u->rate_bps[DIR_UP], u->rate_bps[DIR_DOWN]);
}

/* u's link at its current position and shadowing: distance and path loss
 * from its own cell's AP, the nearest cells' interference (docs/channel.md
 * section 1.2). */
static void link_channel(et_sim *sim, ue_state *u)
{
    int k = sim->p.max_interferers;
    et_channel_link(&u->ch, &sim->p.channel, sim->channel_table, &u->radio, u->mob.x_m, u->mob.y_m,
                    sim->topo.aps, sim->topo.n_cells, u->cell,
                    sim->interferers + (size_t)u->cell * (size_t)k, sim->n_interferers[u->cell]);
}

/* u's channel after a move: shadowing over the distance moved, then the link. */
static void update_channel(et_sim *sim, ue_state *u)
{
    et_channel_move(&u->ch, &sim->p.channel, u->mob.x_m, u->mob.y_m);
    link_channel(sim, u);
}

/* ------------------------------------------------------------ handover */

static void share_leave(et_sim *sim, ue_state *u, int dir);
static void share_push(et_sim *sim, int c, int dir, const ue_state *u);
static void log_activity(const et_sim *sim, const ue_state *u, char kind, int dir, double amount,
                         double peak_bps, double rate_bps);

/* Cell c's RSRP at u's position, dBm, as the A3 rule compares it: the cell's AP power minus
 * its LOS-averaged mean path loss (et_channel_mean_pathloss_db, what interferers carry).
 * A UE's RSRP is layer-3 filtered over hundreds of ms, so fast fading is averaged out; the
 * channel draws shadowing and a LOS state for the serving link only, and comparing a
 * shadowed serving cell with unshadowed neighbours would hand over on every shadowing dip,
 * so every cell is compared on its mean. */
static double cell_rsrp_dbm(const et_sim *sim, const ue_state *u, int c)
{
    const et_channel_ap *ap = &sim->topo.aps[c];
    double power = ap->has_tx_power ? ap->tx_power_dbm : sim->p.channel.ap_tx_power_dbm;
    double d = hypot(u->mob.x_m - ap->x_m, u->mob.y_m - ap->y_m);
    return power - et_channel_mean_pathloss_db(&sim->p.channel, ap->prop, d);
}

/* The data side of u's handover to cell c at grid point step: it leaves its old cell's
 * carrier, its serving cell becomes c, and it cannot transmit until the interruption ends.
 * What involves the engine (the old cell's other UEs get their new share, a comm in flight
 * is cancelled) waits for handover_finish, once u's channel is consistent again. */
static void handover_to(et_sim *sim, ue_state *u, int c, long step)
{
    for (int dir = DIR_UP; dir <= DIR_DOWN; dir++) {
        if (u->share_pos[dir] < 0) continue;
        u->ho_left_cell[dir] = u->cell;
        share_leave(sim, u, dir);
    }
    ue_set_cell(sim, u, c);
    u->handovers++;
    u->a3_target = -1;
    u->ho_resume = sim->t0 + (double)step * sim->p.update_interval_s + sim->p.handover_interruption_s;
    u->ho_pending = 1;
}

/* The A3 rule (TS 38.331 section 5.5.4.4 with every offset 0 but the margin) at grid point
 * step, u's mobility being there: a neighbour (one of the channel.max_interferers cells
 * nearest u's serving cell) whose RSRP exceeds the serving cell's by more than
 * handover_hysteresis_db at every grid point for handover_ttt_s (rounded up to whole
 * intervals) becomes the serving cell; when several qualify, the best, and the timer
 * restarts when the best one changes. */
static void handover_check(et_sim *sim, ue_state *u, long step)
{
    int k = sim->p.max_interferers;
    const int *near = sim->interferers + (size_t)u->cell * (size_t)k;
    double best_dbm = cell_rsrp_dbm(sim, u, u->cell) + sim->p.handover_hysteresis_db;
    int best = -1;
    for (int j = 0; j < sim->n_interferers[u->cell]; j++) {
        double r = cell_rsrp_dbm(sim, u, near[j]);
        if (r > best_dbm) best_dbm = r, best = near[j];
    }
    if (best < 0) {
        u->a3_target = -1;
        return;
    }
    if (best != u->a3_target) u->a3_target = best, u->a3_since = step;
    double held_s = (double)(step - u->a3_since) * sim->p.update_interval_s;
    if (held_s < sim->p.handover_ttt_s * (1.0 - 1e-9)) return;
    handover_to(sim, u, best, step);
    link_channel(sim, u); /* the walk goes on with the new cell's decorrelation distances */
}

/* The engine side of u's handover: the cells it left re-divide their carriers among their
 * other UEs, and a comm in flight is cancelled; its sender continues with the remaining
 * bytes on the new cell once the interruption is over (transfer). */
static void handover_finish(et_sim *sim, ue_state *u)
{
    u->ho_pending = 0;
    for (int dir = DIR_UP; dir <= DIR_DOWN; dir++) {
        int left = u->ho_left_cell[dir];
        u->ho_left_cell[dir] = -1;
        xfer *x = &u->x[dir];
        if (x->comm) {
            x->remaining_bytes = sgx_comm_get_remaining(x->comm);
            log_activity(sim, u, 'H', dir, x->remaining_bytes, -1, -1);
            sg_comm_t c = x->comm;
            x->comm = NULL;
            sgx_comm_cancel(c);
            /* Held from now (its sender may notice only when a sleep ends: ready_to_send). */
            et_paje_handover(sim->paje, u->index, 1);
        }
        if (left >= 0) share_push(sim, left, dir, u);
    }
}

/* Brings u's mobility and channel up to grid point step, one interval at a
 * time, so that a UE advanced lazily walks exactly the path and draws
 * exactly the shadowing it would have walked and drawn step by step. With
 * handover, the A3 rule is checked at every grid point on the way; a
 * handover's engine side is left pending (channel_advance does it). Plain
 * arithmetic: no engine call. */
/* Whether an idle UE's walk advances leg by leg, many intervals in one call (random waypoint
 * and static UEs, without handover), rather than interval by interval. */
static int leg_walk(const et_sim *sim)
{
    const et_mobility_params *mp = &sim->p.mobility;
    return !sim->handover &&
           (mp->model == ET_MOBILITY_RANDOM_WAYPOINT || mp->model == ET_MOBILITY_STATIC);
}

static void channel_catch_up(et_sim *sim, ue_state *u, long step)
{
    if (!sim->p.channel_enabled || u->ch_step >= step) return;
    double dt = sim->p.update_interval_s;
    /* Every interval moves the UE and its shadowing; the link budget (path
     * loss, interference, rates) is needed at the last one only. Random
     * waypoint (and a static UE) moves leg by leg whatever the step, so a
     * UE that was idle for many intervals is advanced in one call (in
     * pieces of at most 1024 intervals, to bound the legs per call);
     * Gauss-Markov and traces are stepped interval by interval. The
     * shadowing follows the length walked, so both give the same draws. */
    const et_mobility_params *mp = &sim->p.mobility;
    int leg_based = leg_walk(sim);
    while (u->ch_step < step) {
        long k = leg_based ? step - u->ch_step : 1;
        if (k > 1024) k = 1024;
        double t_from = (double)u->ch_step * dt;
        double walked = u->mob.path_m;
        et_mobility_step(&u->mob, mp, sim->trace, u->index, t_from, (double)k * dt);
        et_channel_walk(&u->ch, &sim->p.channel, u->mob.x_m, u->mob.y_m, u->mob.path_m - walked);
        u->ch_step += k;
        sim->counts.channel_updates++;
        if (sim->handover && !ue_wifi(sim, u)) handover_check(sim, u, u->ch_step);
    }
    link_channel(sim, u);
    refresh_rates(sim, u);
}

/* channel_catch_up, then the engine side of a handover found on the way. */
static void channel_advance(et_sim *sim, ue_state *u, long step)
{
    channel_catch_up(sim, u, step);
    if (u->ho_pending) handover_finish(sim, u);
}

/* The `radio` column of tasks.csv and channel.csv: a UE's radio is its cell's. */
static const char *radio_name(const et_cell *cell)
{
    return cell->access == ET_ACCESS_WIFI ? "wifi" : "cellular";
}

static void trace_channel_row(et_sim *sim, ue_state *u, double t_rel)
{
    et_channel_record r = {
        .episode = sim->episode,
        .time_s = t_rel,
        .ue = u->index,
        .x_m = u->mob.x_m,
        .y_m = u->mob.y_m,
        .distance_m = u->ch.distance_m,
        .snr_up_db = u->ch.snr_up_db,
        .snr_down_db = u->ch.snr_down_db,
        .rate_up_bps = u->rate_bps[DIR_UP],
        .rate_down_bps = u->rate_bps[DIR_DOWN],
        /* The state the path loss above used; none with static links. */
        .los = sim->p.channel_enabled ? u->ch.los : -1,
        .cell = sim->topo.cells[u->cell].name,
        .ue_name = u->host->name,
        .device_class = u->host->device_class,
        .radio = radio_name(&sim->topo.cells[u->cell]),
    };
    if (sim->sinks.channel) sim->sinks.channel(sim->sinks.ctx, &r);
}

/* The channel.csv row of an idle traced UE whose walk advances leg by leg. The walk the
 * simulation uses stays where it is, to be advanced in one call when the UE next transmits:
 * stepping it here at every row would round its position differently (a leg walked in pieces),
 * and tracing a UE would change the results. The row comes from a look-ahead copy instead,
 * taken again from the UE's own walk whenever that has caught up. */
static void trace_idle_row(et_sim *sim, const ue_state *u, trace_look *look, long step,
                           double t_rel)
{
    if (look->step <= u->ch_step) {
        look->mob = u->mob;
        look->ch = u->ch;
        look->step = u->ch_step;
    }
    ue_state ahead = *u;
    ahead.mob = look->mob;
    ahead.ch = look->ch;
    ahead.ch_step = look->step;
    channel_catch_up(sim, &ahead, step);
    look->mob = ahead.mob;
    look->ch = ahead.ch;
    look->step = ahead.ch_step;
    trace_channel_row(sim, &ahead, t_rel);
}

/* One row of activities.csv (when asked for): kind C = comm start (amount
 * bytes; peak_bps and rate_bps the link rates set around the start, -1 on
 * static links), X = execution start (dir 0 on the UE, 1 on the server;
 * amount FLOPs), B = a busy link's new rate, W = a Wi-Fi comm cancelled for
 * a level change (amount = bytes left). Times are absolute engine times. */
static void log_activity(const et_sim *sim, const ue_state *u, char kind, int dir, double amount,
                         double peak_bps, double rate_bps)
{
    if (!sim->sinks.activity) return;
    et_activity_record r = {.time_s = simgrid_get_clock(),
                            .ue = u->index,
                            .kind = kind,
                            .dir = dir,
                            .amount = amount,
                            .peak_bps = peak_bps,
                            .rate_bps = rate_bps};
    sim->sinks.activity(sim->sinks.ctx, &r);
}

static void set_link_bps(et_sim *sim, const ue_state *u, int dir, double rate_bps)
{
    /* The rate the UE gets; the peak a comm starts at lasts no time (start_comm). */
    if (rate_bps == u->rate_bps[dir])
        et_paje_rates(sim->paje, u->index, u->rate_bps[DIR_UP], u->rate_bps[DIR_DOWN]);
    sg_link_set_bandwidth(u->link[dir], rate_bps / 8.0); /* SimGrid's C API takes bytes/s */
    sim->counts.link_updates++;
    if (u->in_flight == 0) sim->counts.idle_link_updates++; /* never, by construction */
}

/* Applies u's current rate in direction dir to its running comm when it
 * differs from the applied one by more than the push tolerance. The rate is
 * computed right before the call: a rate change is a simcall, other actors
 * may run meanwhile, and the engine applies the changes in the order they
 * were computed, so the last one computed wins. */
static void push_rate(et_sim *sim, ue_state *u, int dir)
{
    if (!u->x[dir].comm) return;
    double rate = offered_bps(sim, u, dir);
    u->rate_bps[dir] = rate;
    double applied = u->applied_bps[dir];
    if (!(fabs(rate - applied) > sim->p.push_tolerance * applied)) return;
    log_activity(sim, u, 'B', dir, 0, -1, rate);
    u->applied_bps[dir] = rate;
    set_link_bps(sim, u, dir, rate);
}

/* Makes the engine follow the channel for the transfers u has in flight.
 * OFDMA: a running comm's bound is the link's peak (see start_comm), so a
 * new bandwidth, higher or lower, applies to it at once. Wi-Fi: a station's
 * level is fixed for a comm's whole life in SimGrid 3.32, so a comm whose
 * level is no longer the channel's is cancelled; its sender continues with
 * the remaining bytes at the new level. */
static void follow_channel(et_sim *sim, ue_state *u)
{
    for (int dir = DIR_UP; dir <= DIR_DOWN; dir++) {
        xfer *x = &u->x[dir];
        if (!x->comm) continue;
        if (!ue_wifi(sim, u)) {
            push_rate(sim, u, dir);
            continue;
        }
        if (x->wifi_level == u->wifi_level[dir]) continue;
        double left = sgx_comm_get_remaining(x->comm);
        if (left < 0.5) continue; /* completes at this instant anyway */
        /* The comm carries the task's bytes over the MAC efficiency (start_comm). */
        x->remaining_bytes = left * sim->p.wifi_mac_efficiency;
        log_activity(sim, u, 'W', dir, left, -1, -1);
        sg_comm_t c = x->comm;
        x->comm = NULL;
        sgx_comm_cancel(c);
        sim->counts.wifi_restarts++;
    }
}

/* ---------------------------------------------------------------- limits */

/* Ends the episode now: every other actor is killed (the engine unwinds them at their
 * current simcall, as it does to the daemons at the end of every episode) and the
 * episode returns status, with the UE loop's error slot saying why. The engine must not
 * run another episode afterwards (et_sim_run_episode's contract). */
static void stop_episode(et_sim *sim, et_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void stop_episode(et_sim *sim, et_status status, const char *fmt, ...)
{
    if (sim->agent_status == ET_OK) {
        va_list ap;
        va_start(ap, fmt);
        char what[512];
        vsnprintf(what, sizeof what, fmt, ap);
        va_end(ap);
        sim->agent_status = status;
        et_error_set(&sim->agent_err, status, "%s", what);
    }
    sg_actor_kill_all();
}

/* 1 when the episode must stop (a signal, or the outputs reached limits.output_bytes),
 * after stopping it. Polled by the UE actors after every task and by the channel actor
 * at every update; limits.sim_time_s has its own watchdog actor. */
static int must_stop(et_sim *sim)
{
    int sig = et_interrupted();
    if (sig) {
        stop_episode(sim, ET_ERR_INTERRUPTED,
                     "interrupted by %s at simulated %.1f s of episode %d (%d of %d tasks done)",
                     et_interrupt_name(sig), now_s(sim), sim->episode, sim->tasks_done,
                     sim->tasks_total);
        return 1;
    }
    double cap = sim->p.limit_output_bytes;
    if (cap > 0 && sim->out && (double)et_outputs_bytes(sim->out) > cap) {
        stop_episode(sim, ET_ERR_LIMIT,
                     "%s: %s '%s': the outputs reached %.6g bytes at simulated %.1f s of episode "
                     "%d (%d of %d tasks done); raise the limit (0 = none) or trace less (%s, %s, "
                     "%s)",
                     sim->p.source, et_sim_param_noun(&sim->p),
                     ET_SIM_PARAM_KEY(&sim->p, limit_output_bytes), cap, now_s(sim), sim->episode,
                     sim->tasks_done, sim->tasks_total,
                     ET_SIM_PARAM_KEY(&sim->p, channel_trace_every),
                     ET_SIM_PARAM_KEY(&sim->p, channel_trace_ues),
                     et_sim_param_key(&sim->p, ET_SIM_PARAM_CHANNEL_TRACE, "channel_trace"));
        return 1;
    }
    return 0;
}

/* Sleeps until limits.sim_time_s after the episode's start, then ends it. A daemon: an
 * episode that finishes first takes it down with it. */
static void watchdog_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    et_sim *sim = sg_actor_self_get_data();
    sg_actor_daemonize(sg_actor_self());
    sg_actor_sleep_until(sim->t0 + sim->p.limit_sim_time_s);
    const et_sim_params *p = &sim->p;
    stop_episode(sim, ET_ERR_LIMIT,
                 "%s: %s '%s': episode %d reached the limit of %.6g simulated s with %d of %d "
                 "tasks done; raise it (0 = none) or shorten the episode (%s, %s, %s, %s)",
                 p->source, et_sim_param_noun(p), ET_SIM_PARAM_KEY(p, limit_sim_time_s),
                 sim->episode, p->limit_sim_time_s, sim->tasks_done, sim->tasks_total,
                 ET_SIM_PARAM_KEY(p, tasks_per_ue), ET_SIM_PARAM_KEY(p, gap_mean_s),
                 ET_SIM_PARAM_KEY(p, burst_off_s), ET_SIM_PARAM_KEY(p, tokens_max));
}

/* Every update_interval_s: writes the due channel.csv rows, and advances
 * the UEs with a transfer in flight, applying their new rates. Idle UEs cost
 * nothing here. A daemon: it ends with the last UE. */
static void channel_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    et_sim *sim = sg_actor_self_get_data();
    sg_actor_daemonize(sg_actor_self());
    double dt = sim->p.update_interval_s;
    int every = sim->p.channel_trace_every;
    for (long step = 1;; step++) {
        /* Sleep to absolute grid points so no rounding drift accumulates. */
        sg_actor_sleep_until(sim->t0 + (double)step * dt);
        if (sim->out && sim->out->channel && step % every == 0) {
            for (int k = 0; k < sim->n_traced; k++) {
                ue_state *u = &sim->ues[sim->traced[k]];
                if (!u->active) continue;
                if (u->in_flight == 0 && leg_walk(sim)) {
                    trace_idle_row(sim, u, &sim->look[k], step, (double)step * dt);
                    continue;
                }
                /* No engine call here: a handover's takes effect below for a busy UE, as it
                 * would without the trace, and at its next transfer for an idle one. */
                channel_catch_up(sim, u, step);
                trace_channel_row(sim, u, (double)step * dt);
            }
        }
        if (must_stop(sim)) return;
        /* Applying a rate is a simcall: other actors may run meanwhile and
         * start or end transfers, so walk a copy of the busy list. */
        int n = sim->n_busy;
        memcpy(sim->busy_snapshot, sim->busy, (size_t)n * sizeof *sim->busy);
        /* With handover, a UE's handover re-divides its cells' carriers among their other
         * busy UEs: they come up to date first, so that the shares pushed do not depend on
         * the order the UEs are visited in. */
        for (int k = 0; sim->handover && k < n; k++)
            channel_catch_up(sim, &sim->ues[sim->busy_snapshot[k]], step);
        for (int k = 0; k < n; k++) {
            ue_state *u = &sim->ues[sim->busy_snapshot[k]];
            if (u->in_flight == 0) continue;
            channel_advance(sim, u, step);
            follow_channel(sim, u);
        }
    }
}

/* ----------------------------------------------------------- transfers */

static void busy_enter(et_sim *sim, ue_state *u)
{
    if (u->in_flight++ > 0) return;
    u->busy_pos = sim->n_busy;
    sim->busy[sim->n_busy++] = u->index;
}

static void busy_leave(et_sim *sim, ue_state *u)
{
    if (--u->in_flight > 0) return;
    int last = sim->busy[--sim->n_busy];
    sim->busy[u->busy_pos] = last;
    sim->ues[last].busy_pos = u->busy_pos;
    u->busy_pos = -1;
}

/* Adds u to its serving cell's sharing set in direction dir (no engine call). */
static void share_join(et_sim *sim, ue_state *u, int dir)
{
    int set = 2 * u->cell + dir;
    int *items = sim->share_items + sim->share_first[set];
    u->share_pos[dir] = sim->share_n[set];
    items[sim->share_n[set]++] = u->index;
}

/* Removes u from its serving cell's sharing set in direction dir (no engine call). */
static void share_leave(et_sim *sim, ue_state *u, int dir)
{
    int set = 2 * u->cell + dir;
    int *items = sim->share_items + sim->share_first[set];
    int last = items[--sim->share_n[set]];
    items[u->share_pos[dir]] = last;
    sim->ues[last].share_pos[dir] = u->share_pos[dir];
    u->share_pos[dir] = -1;
}

/* Gives every UE of cell c's sharing set in direction dir but u its new share. */
static void share_push(et_sim *sim, int c, int dir, const ue_state *u)
{
    int set = 2 * c + dir;
    int *items = sim->share_items + sim->share_first[set];
    for (int k = 0; k < sim->share_n[set]; k++) {
        ue_state *v = &sim->ues[items[k]];
        if (v != u) push_rate(sim, v, dir);
    }
}

/* channel.share_interval_s > 0: sharing set `set` (2c + dir) changed; its other UEs get
 * their new share at the next boundary, from the share actor, woken for it here. */
static void share_defer(et_sim *sim, int set)
{
    if (!sim->share_dirty[set]) {
        sim->share_dirty[set] = 1;
        sim->share_due[sim->n_share_due++] = set;
    }
    if (sim->share_woken) return;
    sim->share_woken = 1;
    sg_sem_release(sim->share_wake);
}

/* Joins (join = 1) or leaves u's cell's sharing set in direction dir, then
 * re-divides the carrier among the set's other UEs: at once (channel.share_interval_s
 * 0), or at the next boundary of the interval (share_main). The walk is live: a
 * UE that another actor adds or removes meanwhile is re-divided by that
 * actor, with the count it leaves behind. */
static void share_change(et_sim *sim, ue_state *u, int dir, int join)
{
    if (!ue_shares_carrier(sim, u)) return;
    if (join)
        share_join(sim, u, dir);
    else
        share_leave(sim, u, dir);
    if (share_batched(sim))
        share_defer(sim, 2 * u->cell + dir);
    else
        share_push(sim, u->cell, dir, u);
}

/* channel.share_interval_s > 0: a scheduler that re-divides a cell's carrier once per
 * interval. Woken by the first sharing-set change since its last round, it sleeps in engine
 * time to the next boundary (the first multiple of the interval after the episode's start
 * that is later than now) and gives every UE of each changed set its share of the count
 * then. Changes made while it pushes (each push is a simcall) wake it for the boundary after.
 * A daemon: it ends with the last UE. */
static void share_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    et_sim *sim = sg_actor_self_get_data();
    sg_actor_daemonize(sg_actor_self());
    double dt = sim->p.share_interval_s;
    for (;;) {
        sg_sem_acquire(sim->share_wake);
        double k = floor((simgrid_get_clock() - sim->t0) / dt) + 1.0;
        sg_actor_sleep_until(sim->t0 + k * dt);
        /* This round's sets; changes made during it go to the other list, for the next. */
        int n = sim->n_share_due, *due = sim->share_due;
        sim->share_due = sim->share_due_spare;
        sim->share_due_spare = due;
        for (int i = 0; i < n; i++)
            sim->share_dirty[due[i]] = 0;
        sim->n_share_due = 0;
        sim->share_woken = 0;
        for (int i = 0; i < n; i++)
            share_push(sim, due[i] / 2, due[i] % 2, NULL);
    }
}

/* Starts one comm of size_bytes on u's access in direction dir, now.
 * SimGrid 3.32's CM02 bounds a comm's rate by its route's smallest bandwidth
 * at the moment it starts, and ignores later rises above that bound. So the
 * wireless link is raised to the channel's peak for this link first, the
 * comm starts (a host-to-host comm: no rendezvous can delay it), and the
 * current rate is set in the same instant: the bound is then the peak and
 * every later channel update, up or down, applies to the running comm. */
static sg_comm_t start_comm(et_sim *sim, ue_state *u, int dir, double size_bytes)
{
    sg_host_t from = dir == DIR_UP ? u->host->host : u->server;
    sg_host_t to = dir == DIR_UP ? u->server : u->host->host;
    sim->counts.comms++;
    if (ue_wifi(sim, u)) {
        /* SimGrid 3.32 keeps one level per station and fixes it into a comm
         * when the comm starts, so a comm in the other direction keeps its
         * own: set this direction's level, then start. The MAC's overhead
         * (timing, headers, acknowledgements) takes air time as the payload
         * does, so the comm carries size / efficiency bytes at the PHY rate. */
        int level = u->wifi_level[dir];
        if (level != u->applied_wifi_level) {
            et_platform_set_wifi_level(&sim->topo, u->index, level);
            u->applied_wifi_level = level;
        }
        u->x[dir].wifi_level = level;
        double air_bytes = size_bytes / sim->p.wifi_mac_efficiency;
        log_activity(sim, u, 'C', dir, air_bytes, -1, -1);
        return sgx_comm_sendto_async(from, to, air_bytes);
    }
    if (!sim->p.channel_enabled) {
        log_activity(sim, u, 'C', dir, size_bytes, -1, -1);
        return sgx_comm_sendto_async(from, to, size_bytes);
    }
    /* Each rate change below is a simcall, during which other actors may
     * join or leave the carrier: the rate is computed after the start, just
     * before it is set, so it counts everyone in (push_rate skips a UE whose
     * comm is not started yet). */
    double peak = fmax(u->peak_bps[dir], offered_bps(sim, u, dir));
    set_link_bps(sim, u, dir, peak);
    sg_comm_t c = sgx_comm_sendto_async(from, to, size_bytes);
    u->x[dir].comm = c;
    double rate = offered_bps(sim, u, dir);
    u->rate_bps[dir] = u->applied_bps[dir] = rate;
    log_activity(sim, u, 'C', dir, size_bytes, peak, rate);
    set_link_bps(sim, u, dir, rate);
    return c;
}

/* SimGrid 3.32's lazy LMM update can lose a bandwidth change made while a
 * comm is in its latency phase: the comm's variable is disabled then, and
 * when it is enabled the walk that marks its constraints for re-solving
 * starts at the first link of its route and stops at a constraint already
 * marked (two downloads whose latency ends together share the backhaul,
 * the first link of their route). The comm then runs at its start bound,
 * the link's peak. So the sender waits out the latency (plus a relative
 * 1e-6, so that the latency has ended) and sets the rate again: the change
 * then reaches the enabled variable. Measured: two UEs sharing the carrier
 * gave the hand-computed delay with network/optim:Full, and 45% less with
 * Lazy before this. */
static void reapply_after_latency(et_sim *sim, ue_state *u, int dir)
{
    sg_actor_sleep_for(u->latency_s[dir] * (1.0 + 1e-6));
    if (!u->x[dir].comm) return; /* Wi-Fi: cancelled meanwhile */
    double rate = offered_bps(sim, u, dir);
    u->rate_bps[dir] = u->applied_bps[dir] = rate;
    log_activity(sim, u, 'B', dir, 0, -1, rate);
    set_link_bps(sim, u, dir, rate);
}

/* Brings u's channel to now and u into its serving cell's carrier in direction dir,
 * after waiting out a handover's interruption: when this returns, u may start a comm. */
static void ready_to_send(et_sim *sim, ue_state *u, int dir)
{
    for (;;) {
        channel_advance(sim, u, grid_step_now(sim));
        if (sim->handover && u->ho_resume > simgrid_get_clock()) {
            et_paje_handover(sim->paje, u->index, 1);
            sg_actor_sleep_until(u->ho_resume);
            continue;
        }
        if (ue_shares_carrier(sim, u) && u->share_pos[dir] < 0) {
            share_change(sim, u, dir, 1); /* engine calls: check again afterwards */
            continue;
        }
        et_paje_handover(sim->paje, u->index, 0);
        return;
    }
}

/* 1 when u handed over while its comm c was being started (start_comm's engine calls let
 * the channel actor run): c then runs on the old cell and must start again. */
static int handed_over_meanwhile(const et_sim *sim, const ue_state *u, int dir, sg_comm_t c)
{
    if (!sim->handover || u->x[dir].comm != c) return 0;
    return u->ho_resume > simgrid_get_clock() ||
           (ue_shares_carrier(sim, u) && u->share_pos[dir] < 0);
}

/* Moves size_bytes over u's access in direction dir (UE -> its server or
 * back) as one comm, and returns when the last byte has arrived. The route
 * latency is paid once; on Wi-Fi, again only when the station's rate level
 * changes mid-transfer (follow_channel). The bytes count for u's task. */
static void transfer(et_sim *sim, ue_state *u, int dir, double size_bytes)
{
    xfer *x = &u->x[dir];
    double left = size_bytes;
    busy_enter(sim, u);
    for (;;) {
        ready_to_send(sim, u, dir);
        x->comm = start_comm(sim, u, dir, left);
        sg_comm_t c = x->comm;
        if (handed_over_meanwhile(sim, u, dir, c)) {
            /* Cancelled at its start: nothing moved, it starts again on the new cell. */
            x->comm = NULL;
            sgx_comm_cancel(c);
            sgx_comm_wait(c);
            continue;
        }
        if (sim->p.channel_enabled && !ue_wifi(sim, u)) reapply_after_latency(sim, u, dir);
        int cancelled = sgx_comm_wait(c);
        if (!cancelled) break;
        left = x->remaining_bytes;
    }
    x->comm = NULL;
    share_change(sim, u, dir, 0);
    busy_leave(sim, u);
    if (dir == DIR_UP)
        u->bytes_up += size_bytes;
    else
        u->bytes_down += size_bytes;
}

/* ---------------------------------------------------------- server side */

/* Accounts the change of server sv's queue length up to now (its time average). */
static void queue_tick(server_state *sv)
{
    double now = simgrid_get_clock();
    sv->wait_area += sv->n_wait * (now - sv->wait_last);
    sv->wait_last = now;
}

/* The accelerator of sv where a job of memory_bytes fits with the most memory left over
 * (jobs spread over idle accelerators before sharing one), or -1. */
static int server_place(const server_state *sv, double memory_bytes)
{
    int best = -1;
    for (int a = 0; a < sv->n_acc; a++) {
        double left = sv->acc_memory_bytes - sv->acc_used[a] - memory_bytes;
        if (sv->acc_memory_bytes > 0 && left < 0) continue;
        if (best < 0 || sv->acc_used[a] < sv->acc_used[best]) best = a;
    }
    return best;
}

static void server_hold(server_state *sv, ue_state *u, int acc)
{
    u->accelerator = acc;
    sv->acc_used[acc] += u->req.memory_bytes;
    sv->used_bytes += u->req.memory_bytes;
    if (sv->used_bytes > sv->peak_bytes) sv->peak_bytes = sv->used_bytes;
}

/* Admits waiting jobs of server k while the next one (FIFO, or the fewest FLOPs with
 * server.queue = sjf) fits; a job whose deadline has passed is dropped instead (its UE is
 * told). No job overtakes the next one when it does not fit: a large job is never starved. */
static void server_admit(et_sim *sim, int k)
{
    server_state *sv = &sim->servers[k];
    double now = simgrid_get_clock();
    queue_tick(sv);
    while (sv->n_wait > 0) {
        int pick = 0;
        for (int q = 1; sim->p.server_queue == ET_QUEUE_SJF && q < sv->n_wait; q++)
            if (sim->ues[sv->wait[q]].req.flops < sim->ues[sv->wait[pick]].req.flops) pick = q;
        ue_state *v = &sim->ues[sv->wait[pick]];
        int acc = -1;
        if (v->req.deadline > 0 && now >= v->req.deadline)
            v->req.failure = "deadline";
        else if ((acc = server_place(sv, v->req.memory_bytes)) < 0)
            break;
        memmove(sv->wait + pick, sv->wait + pick + 1,
                (size_t)(sv->n_wait - pick - 1) * sizeof *sv->wait);
        sv->n_wait--;
        sim->waiting_total--;
        if (acc >= 0) server_hold(sv, v, acc);
        sg_sem_release(v->admit);
    }
    et_paje_server(sim->paje, k, sv->n_wait, sv->used_bytes);
}

/* Waits in sv's queue until server_admit lets u's job in, or until the job's deadline: a
 * job still waiting then leaves the queue and fails (its UE is told at once). */
static void wait_admission(et_sim *sim, server_state *sv, ue_state *u, double arrived)
{
    double timeout = u->req.deadline > 0 ? u->req.deadline - arrived : -1.0;
    if (timeout < 0 || sg_sem_acquire_timeout(u->admit, timeout) == 0) {
        if (timeout < 0) sg_sem_acquire(u->admit);
        return;
    }
    if (u->accelerator >= 0 || u->req.failure[0]) {
        /* Let in (or dropped) at the very instant the wait timed out: take the release. */
        sg_sem_acquire(u->admit);
        return;
    }
    queue_tick(sv);
    int q = 0;
    while (q < sv->n_wait && sv->wait[q] != u->index)
        q++;
    memmove(sv->wait + q, sv->wait + q + 1, (size_t)(sv->n_wait - q - 1) * sizeof *sv->wait);
    sv->n_wait--;
    sim->waiting_total--;
    u->req.failure = "deadline";
    /* Its leaving may let a smaller job behind it in (FIFO: it was blocking them). */
    server_admit(sim, u->server_index);
}

/* The server's side of an offloaded job: waits for memory, runs the tuning execution on the
 * server host, and frees the memory. On return u->req.failure says whether it ran. */
static void server_run_job(et_sim *sim, ue_state *u)
{
    int k = u->server_index;
    server_state *sv = &sim->servers[k];
    u->req.failure = "";
    u->req.wait_s = 0;
    u->accelerator = -1;
    if (sv->acc_memory_bytes > 0 && u->req.memory_bytes > sv->acc_memory_bytes) {
        u->req.failure = "server-memory"; /* it would wait for ever */
        return;
    }
    double arrived = simgrid_get_clock();
    if (u->req.deadline > 0 && arrived >= u->req.deadline) {
        u->req.failure = "deadline"; /* expired on the way: the server does not start it */
        return;
    }
    int acc = sv->n_wait == 0 ? server_place(sv, u->req.memory_bytes) : -1;
    if (acc >= 0) {
        server_hold(sv, u, acc);
        et_paje_server(sim->paje, k, sv->n_wait, sv->used_bytes);
    } else {
        queue_tick(sv);
        sv->wait[sv->n_wait++] = u->index;
        sim->waiting_total++;
        if (sv->n_wait > sv->wait_max) sv->wait_max = sv->n_wait;
        et_paje_server(sim->paje, u->server_index, sv->n_wait, sv->used_bytes);
        et_paje_phase_set(sim->paje, u->index, ET_PHASE_QUEUED);
        wait_admission(sim, sv, u, arrived);
        u->req.wait_s = simgrid_get_clock() - arrived;
        if (u->req.failure[0]) return;
    }
    sim->server_jobs[k]++;
    sim->jobs_total++;
    log_activity(sim, u, 'X', 1, u->req.flops, -1, -1);
    double t = simgrid_get_clock();
    et_paje_phase_set(sim->paje, u->index, ET_PHASE_SERVER);
    sg_actor_execute(u->req.flops); /* the UE's actor is on the server host (ask_server) */
    u->compute_end = simgrid_get_clock();
    u->compute_s = u->compute_end - t;
    sim->server_jobs[k]--;
    sim->jobs_total--;
    sv->acc_used[u->accelerator] -= u->req.memory_bytes;
    sv->used_bytes -= u->req.memory_bytes;
    u->accelerator = -1;
    server_admit(sim, k);
}

/* What the server tells a UE of its load now. */
static void report_load(const et_sim *sim, ue_state *u)
{
    const server_state *sv = &sim->servers[u->server_index];
    u->seen = (load_report){.running = sim->server_jobs[u->server_index],
                            .waiting = sv->n_wait,
                            .memory_used_bytes = sv->used_bytes,
                            .at = simgrid_get_clock()};
}

/* A request: the request travels up (request_bytes, with any data it carries), then the
 * UE's own actor moves to its server host and performs the server's side of it there
 * (answers a load query, sends the emulator, or runs an offloaded tuning job after waiting
 * for memory, and sends the result back), and moves home when the reply has arrived.
 *
 * A second actor per UE, its server session, used to do the server's side, handed the
 * request over through two semaphores. The move reproduces what the engine did then to the
 * last bit: each move, like each hand-over, is one engine call that puts the next step in
 * the engine's next scheduling sub-round at the same instant, behind the actors already
 * woken in it; and an actor's waits (for a comm, for memory, for an execution) hold a timer
 * on its host's CPU, so the server's side must wait from the server host, as the session
 * did, for the CPU model's lazy updates, and so every end time, to stay the same
 * (docs/simulation.md, "Actors"). */
static void ask_server(et_sim *sim, ue_state *u, double request_bytes)
{
    transfer(sim, u, DIR_UP, request_bytes);
    u->up_done = simgrid_get_clock();
    sg_actor_t self = sg_actor_self();
    sg_actor_set_host(self, u->server); /* the request's hand-over to the server */
    double down = u->req.bytes_down;
    if (u->req.kind == REQ_OFFLOAD) {
        server_run_job(sim, u);
        et_paje_phase_set(sim->paje, u->index, ET_PHASE_RESULT);
        /* A refused or dropped job: a notice instead of the result. */
        if (u->req.failure[0]) down = sim->p.control_bytes;
    }
    /* Every reply carries the server's load, which the UE observes. */
    report_load(sim, u);
    transfer(sim, u, DIR_DOWN, down);
    sg_actor_set_host(self, u->host->host); /* the reply's hand-over back to the UE */
}

/* ------------------------------------------------------------------ UE */

/* One task of a UE's queue, from its draw to its account. */
typedef struct task_run {
    int index;
    double tokens, epochs, difficulty;
    double deadline_s; /* after start; 0: none */
    et_location loc;
    double keep;
    et_cost cost;
    double start, end;                     /* engine times */
    double query_s;                        /* the load query before the decision */
    double download_s, upload_s, result_s; /* phase durations (compute: ue_state.compute_s) */
    double wait_s;                         /* queued for server memory */
    double delay_s, ppl, exposure, reward;
    double reward_sum0; /* sim->reward_sum and _count when it started */
    long reward_count0;
    int handovers0, handovers; /* u->handovers when it started; handovers while it ran */
    const char *failure; /* "" when it ran in time */
    int cell;            /* the serving cell at the decision (into topo.cells) */
} task_run;

/* Memory of the server host's accelerators together; 0 when unlimited. */
static double server_memory_total(const et_sim *sim, int k)
{
    const server_state *sv = &sim->servers[k];
    return sv->acc_memory_bytes > 0 ? sv->acc_memory_bytes * sv->n_acc : 0.0;
}

/* Fills the task view and the UE's observation; refreshes the global state. */
static void observe(et_sim *sim, ue_state *u, const task_run *t, et_task_view *v)
{
    const et_sim_params *prm = &sim->p;
    int task = t->index;
    double tokens = t->tokens, epochs = t->epochs, difficulty = t->difficulty;
    const et_server_host *srv = &sim->topo.servers[u->server_index];
    double mem_total = server_memory_total(sim, u->server_index);
    double age_s = simgrid_get_clock() - u->seen.at;
    *v = (et_task_view){
        .ue = u->index,
        .n_ue = sim->n_ue,
        .task_index = task,
        .tasks_per_ue = prm->tasks_per_ue,
        .tokens = tokens,
        .epochs = epochs,
        .difficulty = difficulty,
        .data_bytes = tokens * prm->bytes_per_token,
        .rate_up_bps = u->rate_bps[DIR_UP],
        .rate_down_bps = u->rate_bps[DIR_DOWN],
        .distance_m = u->ch.distance_m,
        .cached_b = u->cached_b,
        .adapter_cached = u->adapter_cached,
        .ue_speed_flops = u->host->speed_flops,
        .ue_memory_bytes = u->host->memory_bytes,
        .server_core_flops = srv->core_flops,
        .server_cores = srv->cores,
        .server_jobs = u->seen.running,
        .server_queued = u->seen.waiting,
        .server_memory_used_bytes = u->seen.memory_used_bytes,
        .server_memory_bytes = mem_total,
        .load_age_s = age_s,
        .deadline_s = t->deadline_s,
        .last_delay_s = u->last_delay_s,
        .fm = &sim->fm,
        .setup = &sim->cost_setup,
        .k_min = prm->k_min,
        .k_max = prm->k_max,
        .privacy = u->privacy,
        .device_class = u->host->device_class,
        .now_s = now_s(sim),
    };
    float *o = sim->state + (size_t)u->index * ET_OBS_DIM;
    double acc = srv->cores > 0 ? srv->cores : 1;
    o[ET_OBS_TOKENS] = (float)(tokens / prm->tokens_max);
    o[ET_OBS_EPOCHS] = (float)(epochs / prm->epochs_max);
    o[ET_OBS_RATE_UP] = (float)(log2(1.0 + u->rate_bps[DIR_UP] / 1e6) / 10.0);
    o[ET_OBS_RATE_DOWN] = (float)(log2(1.0 + u->rate_bps[DIR_DOWN] / 1e6) / 10.0);
    o[ET_OBS_DISTANCE] = (float)(u->ch.distance_m / u->cell_radius_m);
    o[ET_OBS_CACHED_KEEP] = (float)((double)u->cached_b / sim->fm.middle_blocks);
    o[ET_OBS_UE_SPEED] = (float)(log10(u->host->speed_flops / 1e9) / 3.0);
    o[ET_OBS_UE_MEMORY] = (float)(u->host->memory_bytes / 16e9);
    o[ET_OBS_TASKS_LEFT] = (float)((double)(prm->tasks_per_ue - task) / prm->tasks_per_ue);
    o[ET_OBS_LAST_DELAY] = (float)(u->last_delay_s / prm->delay_ref_s);
    o[ET_OBS_SERVER_QUEUE] = (float)(u->seen.running / acc);
    o[ET_OBS_SERVER_WAITING] = (float)(u->seen.waiting / acc);
    o[ET_OBS_SERVER_MEMORY] = (float)(mem_total > 0 ? u->seen.memory_used_bytes / mem_total : 0.0);
    o[ET_OBS_LOAD_AGE] = (float)(age_s / prm->delay_ref_s);
    o[ET_OBS_DEADLINE] = (float)(t->deadline_s / prm->delay_ref_s);
    float *extra = sim->state + (size_t)sim->n_ue * ET_OBS_DIM;
    extra[0] = (float)((double)(sim->jobs_total + sim->waiting_total) / sim->cores_total);
    extra[1] = (float)((double)sim->tasks_done / sim->tasks_total);
}

/* The task's deadline after its start (docs/simulation.md, "Deadlines"): the earlier of
 * tasks.deadline_s and tasks.deadline_factor times its best-case duration; 0 when neither
 * is set. A property of the task alone (never of the UE's cache or the server's load), so
 * every policy faces the same deadlines. */
static double task_deadline_s(const et_sim *sim, const ue_state *u, double tokens, double epochs)
{
    const et_sim_params *prm = &sim->p;
    double d = prm->deadline_s > 0 ? prm->deadline_s : INFINITY;
    if (prm->deadline_factor > 0) {
        const et_server_host *srv = &sim->topo.servers[u->server_index];
        et_best_case_env env = {
            .ue_speed_flops = u->host->speed_flops,
            .ue_memory_bytes = u->host->memory_bytes,
            .server_speed_flops = srv->core_flops,
            .server_memory_bytes = sim->servers[u->server_index].acc_memory_bytes,
            .peak_up_bps = u->peak_bps[DIR_UP],
            .peak_down_bps = u->peak_bps[DIR_DOWN],
            .latency_up_s = u->latency_s[DIR_UP],
            .latency_down_s = u->latency_s[DIR_DOWN],
            .control_bytes = prm->control_bytes,
        };
        double best = et_cost_best_case_s(&sim->fm, &sim->cost_setup, &env, tokens, epochs);
        if (isfinite(best)) d = fmin(d, prm->deadline_factor * best);
    }
    return isfinite(d) ? d : 0.0;
}

/* Task parameters come from the UE's own stream, drawn in a fixed order
 * whatever the policy does, so every policy faces the same tasks. */
static void draw_task(et_sim *sim, ue_state *u, int index, task_run *t)
{
    const et_sim_params *prm = &sim->p;
    *t = (task_run){.index = index, .failure = ""};
    t->tokens =
        prm->tokens_min * pow(prm->tokens_max / prm->tokens_min, et_rng_uniform(&u->task_rng));
    t->epochs = prm->epochs_min +
                (int)et_rng_below(&u->task_rng, (uint32_t)(prm->epochs_max - prm->epochs_min + 1));
    double s = prm->difficulty_sigma;
    t->difficulty = exp(s * et_rng_normal(&u->task_rng) - 0.5 * s * s);
    double gap = prm->gap_mean_s > 0 ? et_rng_exponential(&u->task_rng, prm->gap_mean_s) : 0.0;
    t->deadline_s = task_deadline_s(sim, u, t->tokens, t->epochs);
    if (gap > 0) sg_actor_sleep_for(gap);
}

/* Bursty arrivals (docs/simulation.md, "Arrivals"): a task due while the shared on/off process
 * is OFF waits in engine time for the next ON period; every UE waiting then starts together. */
static void wait_for_on(et_sim *sim)
{
    if (!sim->bursty) return;
    double t = now_s(sim);
    double on = et_burst_next_on(&sim->burst, t);
    if (on > t) sg_actor_sleep_until(sim->t0 + on);
}

/* The task starts: with server.load_info = query, the UE first asks its server for its
 * load (a control message up, the state down): the decision sees it fresh, and the task
 * pays the round trip. */
/* u's handovers so far, its channel brought to now first (an idle UE's are found lazily). */
static int handovers_now(et_sim *sim, ue_state *u)
{
    if (sim->handover) channel_advance(sim, u, grid_step_now(sim));
    return u->handovers;
}

static void start_task(et_sim *sim, ue_state *u, task_run *t)
{
    t->handovers0 = handovers_now(sim, u);
    t->start = simgrid_get_clock();
    t->reward_sum0 = sim->reward_sum;
    t->reward_count0 = sim->reward_count;
    u->bytes_up = u->bytes_down = u->compute_s = 0;
    if (sim->p.server_load_info == ET_LOAD_INFO_QUERY) {
        et_paje_phase_set(sim->paje, u->index, ET_PHASE_QUERY);
        u->req.kind = REQ_QUERY;
        u->req.bytes_down = sim->p.control_bytes;
        ask_server(sim, u, sim->p.control_bytes);
    }
    t->query_s = simgrid_get_clock() - t->start;
}

/* Asks the policy, at the simulated instant the task starts. */
static et_status decide_task(et_sim *sim, ue_state *u, task_run *t)
{
    const et_sim_params *prm = &sim->p;
    /* The rates it observes are the ones it would get if it started now. */
    channel_advance(sim, u, grid_step_now(sim));
    refresh_rates(sim, u);
    et_task_view view;
    observe(sim, u, t, &view);
    et_obs_view ov = {.task = &view,
                      .obs = sim->state + (size_t)u->index * ET_OBS_DIM,
                      .state = sim->state,
                      .state_dim = sim->state_dim};
    et_action act = {ET_LOCATION_SERVER, prm->default_keep};
    et_status st = sim->agent->ops->decide(sim->agent, &ov, &act, &sim->agent_err);
    if (st != ET_OK) return st;
    /* A finite keep is clipped to [k_min, k_max] (docs/traces.md); anything else is the
     * policy's error, not a choice to guess. */
    if ((act.location != ET_LOCATION_LOCAL && act.location != ET_LOCATION_SERVER) ||
        !isfinite(act.keep))
        return et_error_set(&sim->agent_err, ET_ERR_INPUT,
                            "policy '%s': decide() returned location %d, keep %g for UE %d, task "
                            "%d at simulated %.3f s (expected LOCAL or SERVER and a finite keep, "
                            "which is clipped to [%g, %g])",
                            sim->agent->ops->name, (int)act.location, act.keep, u->index,
                            view.task_index, now_s(sim), prm->k_min, prm->k_max);
    t->loc = act.location;
    t->cell = u->cell;
    t->keep = fmin(prm->k_max, fmax(prm->k_min, act.keep));
    et_paje_decision(sim->paje, u->index, t->loc == ET_LOCATION_LOCAL, t->keep);
    et_cost_task(&sim->fm, &sim->cost_setup, t->loc, t->keep, t->tokens, t->epochs, &t->cost);
    return ET_OK;
}

/* Runs the task's life-cycle (docs/simulation.md, "A task's life-cycle") on the engine. */
static void run_task(et_sim *sim, ue_state *u, task_run *t)
{
    const et_sim_params *prm = &sim->p;
    const et_cost *c = &t->cost;
    double begin = simgrid_get_clock();
    t->download_s = t->upload_s = t->result_s = t->wait_s = 0;
    /* A LOCAL task that does not fit the UE's memory fails before anything
     * runs: the UE knows its memory and the emulator's size. */
    if (t->loc == ET_LOCATION_LOCAL && c->memory_bytes > u->host->memory_bytes) {
        t->failure = "memory";
        t->end = begin;
        return;
    }
    /* 1. Emulator download when the cached one differs (and the adapter once). */
    double down = et_cost_download_bytes(&sim->fm, c, u->cached_b, u->adapter_cached);
    if (down > 0) {
        et_paje_phase_set(sim->paje, u->index, ET_PHASE_DOWNLOAD);
        u->req.kind = REQ_EMULATOR;
        u->req.bytes_down = down;
        ask_server(sim, u, prm->control_bytes);
        u->cached_b = c->b;
        u->adapter_cached = 1;
    }
    double phase = simgrid_get_clock();
    t->download_s = phase - begin;
    if (t->loc == ET_LOCATION_LOCAL) {
        /* 2. Tune on the UE, then upload the tuned result (it is its own
         * request: nothing comes back). */
        log_activity(sim, u, 'X', 0, c->flops, -1, -1);
        double t0 = simgrid_get_clock();
        et_paje_phase_set(sim->paje, u->index, ET_PHASE_LOCAL);
        sg_actor_execute(c->flops);
        u->compute_s = simgrid_get_clock() - t0;
        et_paje_phase_set(sim->paje, u->index, ET_PHASE_UPLOAD);
        transfer(sim, u, DIR_UP, prm->control_bytes + c->upload_bytes);
        t->upload_s = simgrid_get_clock() - (t0 + u->compute_s);
    } else {
        /* 3. Upload the data set with the request; the server queues the job until an
         * accelerator has the memory for it, tunes, and sends the result back (or, when
         * the owner keeps it, a completion notice; a notice too when it refused or dropped
         * the job). */
        u->req.kind = REQ_OFFLOAD;
        u->req.flops = c->flops;
        u->req.memory_bytes = et_fm_local_memory_bytes(
            &sim->fm, et_fm_server_blocks(&sim->fm, sim->cost_setup.tunes_on, c->b),
            prm->seq_tokens, sim->cost_setup.lora && sim->cost_setup.lora_savings);
        u->req.deadline = t->deadline_s > 0 ? t->start + t->deadline_s : 0.0;
        u->req.bytes_down = c->result_down_bytes > 0 ? c->result_down_bytes : prm->control_bytes;
        u->compute_end = 0;
        et_paje_phase_set(sim->paje, u->index, ET_PHASE_UPLOAD);
        ask_server(sim, u, prm->control_bytes + c->upload_bytes);
        t->upload_s = u->up_done - phase;
        t->wait_s = u->req.wait_s;
        t->result_s = simgrid_get_clock() - (u->compute_s > 0 ? u->compute_end
                                                              : u->up_done + t->wait_s);
        if (u->req.failure[0]) t->failure = u->req.failure;
    }
    t->end = simgrid_get_clock();
}

/* Reward, statistics and the policy's feedback. A failed task counts in every mean: its
 * delay is the time until the failure was known, its quality that of the untuned model;
 * its reward charges what its worst option within the deadline would have cost, plus the
 * penalty (et_cost_fail_reward), so failing is never cheaper than running in time. */
static void account_task(et_sim *sim, ue_state *u, task_run *t)
{
    const et_sim_params *prm = &sim->p;
    t->delay_s = t->end - t->start;
    if (!t->failure[0] && t->deadline_s > 0 && t->delay_s > t->deadline_s)
        t->failure = "deadline";
    int failed = t->failure[0] != '\0';
    et_reward_weights w = {.w_delay = prm->w_delay,
                           .w_ppl = prm->w_ppl,
                           .w_privacy = prm->w_privacy,
                           .delay_ref_s = prm->delay_ref_s,
                           .ppl_ref = sim->ppl_ref,
                           .fail_penalty = prm->fail_penalty};
    if (failed) {
        /* Exposure: a job the server received exposed the data whatever became of it. The
         * charge is the worst option's, the SERVER one's, when a deadline bounds the
         * options (version 3); version 2 charged nothing. */
        et_cost server;
        et_cost_task(&sim->fm, &sim->cost_setup, ET_LOCATION_SERVER, t->keep, t->tokens,
                     t->epochs, &server);
        double worst = et_cost_exposure(&server, u->privacy, prm->bytes_ref);
        t->exposure = t->loc == ET_LOCATION_SERVER
                          ? et_cost_exposure(&t->cost, u->privacy, prm->bytes_ref)
                          : 0.0;
        t->ppl = et_cost_untuned_ppl(&sim->fm) * t->difficulty;
        t->reward = et_cost_fail_reward(&w, t->delay_s, t->deadline_s, t->ppl,
                                        t->deadline_s > 0 ? worst : t->exposure);
    } else {
        t->ppl = t->cost.ppl * t->difficulty;
        t->exposure = et_cost_exposure(&t->cost, u->privacy, prm->bytes_ref);
        t->reward = et_cost_reward(&w, t->delay_s, t->ppl, t->exposure);
    }
    u->last_delay_s = t->delay_s;
    sim->tasks_done++;
    if (sim->progress)
        sim->progress(sim->progress_ctx, sim->tasks_done, sim->tasks_total, now_s(sim));

    sim->reward_sum += t->reward;
    sim->reward_count++;
    double credit = t->reward;
    if (prm->credit == ET_CREDIT_COOPERATIVE)
        credit =
            (sim->reward_sum - t->reward_sum0) / (double)(sim->reward_count - t->reward_count0);
    else if (prm->credit == ET_CREDIT_TEAM)
        credit = sim->reward_sum - u->reward_mark;
    et_feedback fb = {.ue = u->index,
                      .reward = credit,
                      .done = t->index == prm->tasks_per_ue - 1,
                      .delay_s = t->delay_s,
                      .ppl = t->ppl,
                      .failed = failed,
                      .keep_effective = t->cost.keep_effective,
                      .elapsed_s = t->delay_s};
    if (prm->credit == ET_CREDIT_TEAM && fb.done) {
        /* A UE's last task is not the team's: hold its feedback until every UE is done, so
         * the rewards of tasks that complete after it are credited to someone (deliver_held). */
        u->held = fb;
        u->has_held = 1;
        return;
    }
    u->reward_mark = sim->reward_sum;
    if (sim->agent->ops->feedback) sim->agent->ops->feedback(sim->agent, &fb);
}

/* Team credit: each UE's last feedback, credited with every reward since its previous one
 * (under team credit the rewards of a whole episode add up to the sum of the credits). */
static void deliver_held(et_sim *sim)
{
    for (int i = 0; i < sim->n_ue; i++) {
        ue_state *u = &sim->ues[i];
        if (!u->has_held) continue;
        u->has_held = 0;
        u->held.reward = sim->reward_sum - u->reward_mark;
        u->reward_mark = sim->reward_sum;
        if (sim->agent->ops->feedback) sim->agent->ops->feedback(sim->agent, &u->held);
    }
}

/* The task's record: into the episode's statistics, the outputs' sink (tasks.csv) and the
 * caller's sink. */
static void record_task(et_sim *sim, const ue_state *u, const task_run *t)
{
    et_task_record r = {
        .episode = sim->episode,
        .ue = u->index,
        .task = t->index,
        .ue_name = u->host->name,
        .start_s = t->start - sim->t0,
        .end_s = t->end - sim->t0,
        .location = t->loc,
        .keep = t->keep,
        .b = t->cost.b,
        .tokens = t->tokens,
        .epochs = t->epochs,
        .bytes_up = u->bytes_up,
        .bytes_down = u->bytes_down,
        .compute_s = u->compute_s,
        .download_s = t->download_s,
        .upload_s = t->upload_s,
        .result_s = t->result_s,
        .query_s = t->query_s,
        .wait_s = t->wait_s,
        .deadline_s = t->deadline_s,
        .device_class = u->host->device_class,
        .delay_s = t->delay_s,
        .ppl = t->ppl,
        .exposure = t->exposure,
        .reward = t->reward,
        .failure = t->failure,
        .handovers = t->handovers,
        .cell = sim->topo.cells[t->cell].name,
        .server = t->loc == ET_LOCATION_SERVER ? sim->topo.servers[u->server_index].name : "",
        .radio = radio_name(&sim->topo.cells[t->cell]),
    };
    et_episode_stats_add(sim->stats, &r);
    et_breakdown_add(&sim->breakdown, &r, t->cell);
    if (sim->sinks.task) sim->sinks.task(sim->sinks.ctx, &r);
    if (sim->task_sink) sim->task_sink(sim->task_sink_ctx, &r);
}

static void ue_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    ue_state *u = sg_actor_self_get_data();
    et_sim *sim = u->sim;
    for (int i = 0; i < sim->p.tasks_per_ue && sim->agent_status == ET_OK; i++) {
        task_run t;
        draw_task(sim, u, i, &t);
        wait_for_on(sim);
        start_task(sim, u, &t);
        if (sim->agent_status != ET_OK) break; /* another UE's decide() failed meanwhile */
        et_status st = decide_task(sim, u, &t);
        if (st != ET_OK) {
            sim->agent_status = st;
            break;
        }
        run_task(sim, u, &t);
        et_paje_phase_set(sim->paje, u->index, ET_PHASE_IDLE);
        account_task(sim, u, &t);
        t.handovers = handovers_now(sim, u) - t.handovers0;
        record_task(sim, u, &t);
        if (must_stop(sim)) return;
    }
    u->active = 0;
    u->finish_s = now_s(sim);
}

/* ------------------------------------------------------------- episode */

static et_status run_episode(et_sim *sim, et_agent *agent, int episode, et_outputs *out,
                             et_episode_stats *stats, et_error *err)
{
    const et_sim_params *prm = &sim->p;
    memset(stats, 0, sizeof *stats);
    et_breakdown_reset(&sim->breakdown);
    sim->agent = agent;
    sim->episode = episode;
    sim->episode_seed = et_sim_episode_seed(prm->seed, episode);
    sim->t0 = simgrid_get_clock();
    sim->bursty = prm->burst_on_s > 0 && prm->burst_off_s > 0;
    if (sim->bursty)
        et_burst_init(&sim->burst, sim->episode_seed, prm->burst_on_s, prm->burst_off_s);
    memset(sim->server_jobs, 0, (size_t)sim->topo.n_servers * sizeof *sim->server_jobs);
    sim->jobs_total = 0;
    sim->waiting_total = 0;
    for (int k = 0; k < sim->topo.n_servers; k++) {
        server_state *sv = &sim->servers[k];
        memset(sv->acc_used, 0, (size_t)sv->n_acc * sizeof *sv->acc_used);
        sv->n_wait = sv->wait_max = 0;
        sv->used_bytes = sv->peak_bytes = sv->wait_area = 0;
        sv->wait_last = sim->t0;
    }
    sim->tasks_done = 0;
    sim->tasks_total = sim->n_ue * prm->tasks_per_ue;
    sim->out = out;
    sim->sinks = et_outputs_sinks(out);
    sim->stats = stats;
    sim->reward_sum = 0;
    sim->reward_count = 0;
    sim->agent_status = ET_OK;
    et_error_clear(&sim->agent_err);
    memset(sim->state, 0, (size_t)sim->state_dim * sizeof *sim->state);

    sim->n_busy = 0;
    memset(sim->share_n, 0, 2 * (size_t)sim->n_cells * sizeof *sim->share_n);
    memset(sim->share_dirty, 0, 2 * (size_t)sim->n_cells * sizeof *sim->share_dirty);
    sim->n_share_due = 0;
    sim->share_woken = 0;
    /* A fresh semaphore: the last episode's share actor may have left a wake-up in the old. */
    if (sim->share_wake) sg_sem_destroy(sim->share_wake);
    sim->share_wake = share_batched(sim) ? sg_sem_init(0) : NULL;
    memset(&sim->counts, 0, sizeof sim->counts);
    for (int i = 0; i < sim->n_ue; i++) {
        ue_state *u = &sim->ues[i];
        et_paje_phase_set(sim->paje, i, ET_PHASE_IDLE);
        u->active = 1;
        u->cached_b = 0;
        u->adapter_cached = 0;
        u->last_delay_s = 0;
        u->seen = (load_report){.at = sim->t0};
        u->reward_mark = 0;
        u->has_held = 0;
        u->accelerator = -1;
        u->wifi_level[DIR_UP] = u->wifi_level[DIR_DOWN] = 0;
        /* Links keep the previous episode's rates: every transfer sets them. */
        u->applied_bps[DIR_UP] = u->applied_bps[DIR_DOWN] = -1;
        u->share_pos[DIR_UP] = u->share_pos[DIR_DOWN] = -1;
        u->applied_wifi_level = -1;
        memset(u->x, 0, sizeof u->x);
        u->in_flight = 0;
        u->busy_pos = -1;
        u->finish_s = 0;
        u->handovers = 0;
        u->a3_target = -1;
        u->ho_resume = 0;
        u->ho_pending = 0;
        u->ho_left_cell[DIR_UP] = u->ho_left_cell[DIR_DOWN] = -1;
        if (sim->handover) ue_set_cell(sim, u, u->host->cell); /* its platform cell again */
        et_rng_seed(&u->task_rng, sim->episode_seed, et_rng_stream_id(ET_RNG_TASKS, (uint64_t)i));
        const et_cell *cell = &sim->topo.cells[u->cell];
        et_mobility_home home = {.ap_x_m = cell->x_m,
                                 .ap_y_m = cell->y_m,
                                 .radius_m = cell->radius_m,
                                 .device_class = u->host->device_class};
        et_mobility_init_home(&u->mob, &prm->mobility, i, u->host->x0_m, u->host->y0_m, &home,
                              sim->episode_seed);
        /* A trace says where the UE is at t = 0, not the platform. */
        if (prm->mobility.model == ET_MOBILITY_TRACE)
            et_mobility_step(&u->mob, &prm->mobility, sim->trace, i, 0.0, 0.0);
        et_channel_init(&u->ch, i, sim->episode_seed);
        /* The state at t = 0 is in force before any actor runs. */
        u->ch_step = 0;
        if (prm->channel_enabled) {
            update_channel(sim, u);
            refresh_rates(sim, u);
        } else {
            keep_platform_rates(sim, u);
        }
    }
    if (out && out->channel) {
        trace_look *look = realloc(sim->look, (size_t)(sim->n_traced > 0 ? sim->n_traced : 1) *
                                                  sizeof *sim->look);
        if (!look) return et_error_set(err, ET_ERR_NOMEM, "out of memory for channel.csv's UEs");
        sim->look = look;
        for (int k = 0; k < sim->n_traced; k++) {
            sim->look[k].step = -1;
            trace_channel_row(sim, &sim->ues[sim->traced[k]], 0);
        }
    }
    if (agent->ops->episode_begin)
        agent->ops->episode_begin(agent, episode, sim->n_ue, sim->episode_seed);

    et_status room = et_budget_stack_room(ET_SIM_ACTORS(sim->n_ue, share_batched(sim)), err);
    if (room != ET_OK) return room;
    sg_actor_t a;
    if (prm->limit_sim_time_s > 0) {
        a = sg_actor_init("watchdog", sim->topo.server);
        sg_actor_set_data(a, sim);
        sg_actor_start(a, watchdog_main, 0, NULL);
    }
    if (prm->channel_enabled) {
        a = sg_actor_init("channel", sim->topo.server);
        sg_actor_set_data(a, sim);
        sg_actor_start(a, channel_main, 0, NULL);
    }
    if (share_batched(sim)) {
        a = sg_actor_init("share", sim->topo.server);
        sg_actor_set_data(a, sim);
        sg_actor_start(a, share_main, 0, NULL);
    }
    for (int i = 0; i < sim->n_ue; i++) {
        ue_state *u = &sim->ues[i];
        char name[96];
        snprintf(name, sizeof name, "ue:%s", u->host->name);
        a = sg_actor_init(name, u->host->host);
        sg_actor_set_data(a, u);
        sg_actor_start(a, ue_main, 0, NULL);
    }
    simgrid_run();

    deliver_held(sim);
    if (agent->ops->episode_end) agent->ops->episode_end(agent);
    sim->out = NULL;
    sim->sinks = et_outputs_sinks(NULL);
    sim->agent = NULL;
    if (sim->agent_status != ET_OK) {
        if (err) *err = sim->agent_err;
        return sim->agent_status;
    }
    /* SimGrid ends simgrid_run on a deadlock too ("Oops! Deadlock detected": a host or link
     * switched off by a profile, with a transfer waiting on it): an episode that did not
     * finish every task is an error, never a result. */
    if (sim->tasks_done < sim->tasks_total)
        return et_error_set(err, ET_ERR_INPUT,
                            "%s: episode %d stopped at simulated %.3f s with %d of %d tasks done: "
                            "the engine had nothing left it could run (a host or link switched "
                            "off?)",
                            sim->p.platform, episode, now_s(sim), sim->tasks_done,
                            sim->tasks_total);
    et_episode_stats_finish(stats);
    stats->engine = sim->counts;
    for (int i = 0; i < sim->n_ue; i++)
        if (sim->ues[i].finish_s > stats->makespan_s) stats->makespan_s = sim->ues[i].finish_s;
    for (int k = 0; k < sim->topo.n_servers; k++) {
        const server_state *sv = &sim->servers[k];
        stats->server_peak_memory_bytes = fmax(stats->server_peak_memory_bytes, sv->peak_bytes);
        if (stats->makespan_s > 0)
            stats->server_queue_mean += sv->wait_area / stats->makespan_s / sim->topo.n_servers;
        if (sv->wait_max > stats->server_queue_max) stats->server_queue_max = sv->wait_max;
    }
    return ET_OK;
}

et_status et_sim_run_episode(et_sim *sim, et_agent *agent, int episode, et_outputs *out,
                             et_episode_stats *stats, et_error *err)
{
    /* The traces are printed the same in any locale of the calling program (numtext.h). */
    void *saved = et_numtext_enter();
    et_status st = run_episode(sim, agent, episode, out, stats, err);
    et_numtext_leave(saved);
    return st;
}

int et_sim_engine_pristine(void)
{
    return simgrid_get_clock() == 0.0;
}

void et_engine_version(char *out, size_t size)
{
    int major = 0, minor = 0, patch = 0;
    sg_version_get(&major, &minor, &patch);
    snprintf(out, size, "%d.%d.%d", major, minor, patch);
}

double et_sim_engine_clock(void)
{
    return simgrid_get_clock();
}

void et_sim_engine_advance_to(double t)
{
    if (simgrid_get_clock() < t) simgrid_run_until(t);
}

typedef struct isolated_episode {
    et_sim *sim;
    et_agent *agent;
    int episode;
    et_outputs *out;
} isolated_episode;

static et_status run_isolated_episode(void *ctx, void *result, et_error *err)
{
    isolated_episode *e = ctx;
    return et_sim_run_episode(e->sim, e->agent, e->episode, e->out, result, err);
}

et_status et_sim_run_episode_isolated(et_sim *sim, et_agent *agent, int episode, et_outputs *out,
                                      et_episode_stats *stats, et_error *err)
{
    if (!et_sim_engine_pristine())
        return et_error_set(err, ET_ERR_INTERNAL,
                            "isolated episodes need an engine that has not run an episode yet");
    isolated_episode e = {sim, agent, episode, out};
    char what[48];
    snprintf(what, sizeof what, "episode %d", episode);
    return et_isolate_run(run_isolated_episode, &e, stats, sizeof *stats, what, err);
}
