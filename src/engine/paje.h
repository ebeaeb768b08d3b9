/* paje.h: edgetune's own Paje trace types on top of SimGrid's tracing (run --paje FILE).
 *
 * SimGrid writes the file; this module declares edgetune's types and sets their values from
 * the simulator (sim.c calls it at each phase change): per UE host a state `phase` (the task's
 * phases, the same intervals as tasks.csv), per UE host the variables rate_up_bps and
 * rate_down_bps (bit/s, the channel's rate, what channel.csv writes), per UE wireless link the
 * variable rate_bps, per server host the variables queue (jobs waiting for memory) and
 * memory_used_bytes and, per device class C, queued_C and tuning_C (its jobs waiting and
 * tuning), and a mark `decision` per task ("<ue>|<class>|LOCAL|k=0.500"). SimGrid 3.32's
 * tracing categories are not used: it adds a categorized activity's use to the uncategorized
 * variable (speed_used, bandwidth_used) instead of the category's, counting it twice.
 * docs/traces.md describes the file. Every function is a no-op on a NULL et_paje (tracing off). */
#ifndef ET_PAJE_H
#define ET_PAJE_H

#include "platform.h"
#include "status.h"

typedef enum et_paje_phase {
    ET_PHASE_IDLE = 0, /* between tasks */
    ET_PHASE_QUERY,    /* the load query (server.load_info: query) */
    ET_PHASE_DOWNLOAD, /* emulator (and adapter) download */
    ET_PHASE_LOCAL,    /* tuning on the UE */
    ET_PHASE_UPLOAD,   /* data set (SERVER) or tuned result (LOCAL) up */
    ET_PHASE_QUEUED,   /* waiting for server memory */
    ET_PHASE_SERVER,   /* tuning on the server */
    ET_PHASE_RESULT,   /* the result (or a notice) coming back */
    ET_PHASE_HANDOVER, /* a transfer held by a handover's interruption (et_paje_handover) */
    ET_PHASE_COUNT
} et_paje_phase;

/* The state values, as the trace names them (indexed by et_paje_phase). */
extern const char *const et_paje_phase_names[ET_PHASE_COUNT];

typedef struct et_paje et_paje;

/* 1 when SimGrid's tracing is on (et_engine_init was given a Paje file). */
int et_paje_tracing(void);

/* With tracing on, the platform is loaded in an equivalent form that SimGrid 3.32's tracer
 * survives (docs/traces.md, "Paje trace"):
 * - SimGrid names the trace container of a SPLITDUPLEX link after the link (x) but reports a
 *   bandwidth change under the half's name (x_UP), and aborts ("container with name x_UP not
 *   found"): each SPLITDUPLEX <link> becomes two one-way links x_UP and x_DOWN with the same
 *   attributes, and each <link_ctn id="x" direction="UP|DOWN"/> names its half;
 * - links of a second nested zone (metro platforms: one Cluster zone per cell) are sealed
 *   twice and abort the run: the links of every nested zone are declared together, where the
 *   first of them was (links are named globally; routes and host_links find them the same);
 *   a WIFI link stays in its Wifi zone (SimGrid makes a link WIFI only there), which traces
 *   only when it is the one WIFI link and lies, with the first moved link, in the root zone's
 *   first zone (docs/platforms.md section 8); otherwise ET_ERR_INPUT naming the file and the
 *   link, before anything is written.
 * Hosts, properties, zones and routes are unchanged. *copy gets the path of that form, a
 * temporary file the caller unlinks and frees. */
et_status et_paje_platform_copy(const char *path, char **copy, et_error *err);

/* Declares edgetune's types for topo's hosts and links; NULL when tracing is off. */
et_status et_paje_create(const et_topology *topo, et_paje **out, et_error *err);
void et_paje_destroy(et_paje *p);

/* UE ue (index into topo->ues) enters phase now. */
void et_paje_phase_set(et_paje *p, int ue, et_paje_phase phase);
/* UE ue's transfer is held by a handover's interruption from now (on = 1: the state
 * `handover` replaces its phase) until on = 0 (its phase comes back); a call that changes
 * nothing (on while on, off while off) writes nothing. The phase itself does not change:
 * tasks.csv counts the interruption in the transfer's phase. */
void et_paje_handover(et_paje *p, int ue, int on);
/* UE ue's decision for the task starting now. */
void et_paje_decision(et_paje *p, int ue, int local, double keep);
/* UE ue's current rates (bit/s); events only when they change. */
void et_paje_rates(et_paje *p, int ue, double up_bps, double down_bps);
/* Server k's queue length and memory in use now; events only when they change. */
void et_paje_server(et_paje *p, int k, int queue, double memory_bytes);

#endif
