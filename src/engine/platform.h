/* platform.h: platform XML files: generation, safe loading and discovery.
 *
 * Roles come from host properties, never from host names:
 *   server host:  <prop id="role" value="server"/>
 *   AP host:      <prop id="role" value="ap"/>: one cell (access point) of a
 *                 multi-cell platform, with x_m, y_m (the AP's position),
 *                 server (name of the cell's edge server, a role=server
 *                 host) and optionally radius_m (> 0: the disc its UEs are
 *                 placed and move in). Its host name is the cell's name.
 *                 Without any AP host the platform has one implicit cell,
 *                 AP at the origin, served by its only server.
 *   Cell radio:   optional on an AP host (or, in a platform without AP hosts,
 *                 on the server host, which then describes the implicit
 *                 cell, radius_m included): scenario (uma|umi|rma|inh|tr36814),
 *                 frequency_hz, h_bs_m, h_ut_m (TR 38.901 propagation,
 *                 propagation.h); its carrier: duplex (tdd|fdd), carrier_hz,
 *                 tdd_pattern, tdd_special_slot (TDD), carrier_down_hz,
 *                 carrier_up_hz (FDD); ap_tx_power_dbm (the AP's transmit
 *                 power), ue_tx_power_dbm (its UEs' transmit power); what
 *                 a cell leaves out the scenario keys channel.*
 *                 of the same names give.
 *   UE host:      <prop id="role" value="ue"/>, plus
 *                 class (phone|tablet|laptop|jetson|car|...), memory_bytes,
 *                 x_m, y_m (initial position, in the platform's frame: the
 *                 AP is at the origin of a single-cell platform), cell (the
 *                 name of its AP host; required when AP hosts exist, an
 *                 error otherwise),
 *                 and for the OFDMA access model link (the id of the UE's
 *                 SPLITDUPLEX wireless link; SimGrid names its halves
 *                 <id>_UP and <id>_DOWN), bandwidth_up_hz, bandwidth_down_hz.
 *                 Wi-Fi UEs carry bandwidth_up_hz/bandwidth_down_hz too
 *                 (the cell's channel width: the noise bandwidth of their SNR).
 *   Wi-Fi cells:  the host that stands for the cell (an AP host, or the server
 *                 of a platform without AP hosts) also carries wifi_link (id of
 *                 the cell's one WIFI link), wifi_rates_bps (comma list,
 *                 fastest first, same order as the link's bandwidth list) and
 *                 wifi_min_snr_db (comma list, SNR each level needs). Its
 *                 UEs are stations of that link (their routes start with
 *                 it) and take no link property. A platform with AP hosts may
 *                 mix Wi-Fi and OFDMA cells: a UE's radio is its cell's.
 * Hosts without a role property are ignored (other infrastructure); any other
 * role value is an error. Host speeds are effective training FLOP/s per core;
 * the server's core count is the number of tuning jobs it runs at full speed
 * at once. Generated UE names are "ue" + the index zero-padded to the width of
 * n_ue - 1 (ue0..ue5, ue0000..ue9999), so sorting by name keeps index order.
 * docs/platforms.md describes the layouts, defaults and their sources. */
#ifndef ET_PLATFORM_H
#define ET_PLATFORM_H

#include <stdint.h>
#include <stdio.h>

#include <simgrid/forward.h>

#include "channel.h"
#include "status.h"

/* Inside the library: its types hold SimGrid handles, so it is not installed and its functions
 * are not exported (the public API carries no SimGrid type). */

#define ET_WIFI_MAX_LEVELS 16

/* Inter-site distances of the 3GPP TR 38.901 (Table 7.2-1) scenarios. */
#define ET_ISD_UMA_M 500.0 /* urban macro */
#define ET_ISD_UMI_M 200.0 /* urban micro, street canyon */

#define ET_MAX_CELLS 1000 /* generator limit (the metro zone's routing table is K^2) */

/* Where a metro platform's cell sites are. */
typedef enum et_cell_layout {
    ET_LAYOUT_HEX = 0,  /* hexagonal grid, rings around a central site (3GPP layouts) */
    ET_LAYOUT_GRID = 1, /* square grid, row by row, centred on the origin */
} et_cell_layout;

typedef enum et_access_model {
    ET_ACCESS_OFDMA = 0, /* per-UE up/down links into the AP, wired backhaul */
    ET_ACCESS_WIFI = 1,  /* one shared 802.11 cell, rate level per station */
    ET_ACCESS_MIXED = 2, /* et_topology.access only: cells of both kinds, each cell's access
                            says which (the generator writes one kind) */
} et_access_model;

/* Cell radio property names, as the pre-check and discovery read them. */
#define ET_CELL_PROP_SCENARIO "scenario"
#define ET_CELL_PROP_FREQUENCY "frequency_hz"
#define ET_CELL_PROP_H_BS "h_bs_m"
#define ET_CELL_PROP_H_UT "h_ut_m"
#define ET_CELL_PROP_DUPLEX "duplex"
#define ET_CELL_PROP_CARRIER "carrier_hz"
#define ET_CELL_PROP_TDD_PATTERN "tdd_pattern"
#define ET_CELL_PROP_TDD_SPECIAL_SLOT "tdd_special_slot"
#define ET_CELL_PROP_CARRIER_DOWN "carrier_down_hz"
#define ET_CELL_PROP_CARRIER_UP "carrier_up_hz"
#define ET_CELL_PROP_AP_TX_POWER "ap_tx_power_dbm"
#define ET_CELL_PROP_UE_TX_POWER "ue_tx_power_dbm"

/* What `edgetune platform` generates. */
typedef struct et_platform_spec {
    int n_ue; /* >= 1 */
    et_access_model access;
    uint64_t seed;            /* device classes and initial positions */
    double cell_radius_m;     /* UEs placed uniformly in the disc (min 10 m from the AP) */
    double server_core_flops; /* effective training FLOP/s per accelerator */
    int server_cores;         /* accelerators */
    double backhaul_bps;      /* wired AP <-> server, bits/s */
    double backhaul_latency_s;
    double wireless_latency_s; /* air interface latency, constant during a run */
    double bandwidth_up_hz;    /* OFDMA: per-UE uplink bandwidth */
    double bandwidth_down_hz;  /* OFDMA: per-UE downlink bandwidth */
    int full_routing;          /* OFDMA: a routing="Full" zone with explicit routes and
                                  one-way links named <link>_UP / <link>_DOWN instead of
                                  a Cluster zone (O(N^2) routing table; the same results,
                                  tested; --paje traces either layout, paje.h) */
    double wifi_channel_hz;    /* Wi-Fi: 802.11ac channel width, 20e6, 40e6, 80e6 or 160e6 */
    /* Metro platforms (OFDMA, Cluster zones only). */
    int n_cells;           /* 0: the single-cell layout, without cell properties;
                              1..ET_MAX_CELLS: a metro platform of that many cells */
    et_cell_layout layout; /* cell sites: hexagonal (default) or square grid */
    double isd_m;          /* inter-site distance; cell_radius_m must not exceed it */
    int shared_server;     /* 0: one edge server per cell, behind the cell's backhaul;
                              1: one server for all cells, behind a core link */
    double core_bps;       /* shared server: core link, bits/s */
    double core_latency_s;
    /* Cell radio properties written on every cell (the AP hosts, or the server
     * host of a single-cell platform): scenario -1 writes none (the default:
     * the scenario keys decide), else the et_propagation_scenario with
     * frequency_hz, h_bs_m, h_ut_m (et_platform_spec_set_scenario). */
    int scenario;
    double frequency_hz, h_bs_m, h_ut_m;
    double min_distance_m; /* UEs are placed at least this far from their AP (10 m; 1 m for
                              InH, where TR 38.901's path loss starts at d_3D = 1 m) */
} et_platform_spec;

/* Fills spec with the documented defaults (docs/platforms.md) for n_ue UEs:
 * the single-cell layout (n_cells 0); for metro use, hexagonal layout, ISD
 * 500 m (UMa), one server per cell, core link 100 Gb/s and 5 ms. */
void et_platform_spec_default(et_platform_spec *spec, int n_ue, et_access_model access);

/* Sets spec for the TR 38.901 scenario s (not tr36814) with its evaluation
 * layout (et_propagation_evaluation): the cells' scenario, frequency and
 * heights, the inter-site distance, the cell radius (ISD / 2) and, for InH,
 * a 1 m minimum distance. Options given after it (an ISD, a radius)
 * override. */
void et_platform_spec_set_scenario(et_platform_spec *spec, et_propagation_scenario s);

/* Position of cell site index (0 <= index < n_cells) of a metro layout, m,
 * as et_platform_write places it (before rounding to the millimetre): hex
 * spirals out from a site at the origin ring by ring (ring k holds 6k sites,
 * starting at angle 0 and turning counter-clockwise); grid fills
 * ceil(sqrt(n_cells)) columns row by row, centred on the origin. */
void et_platform_site_position(et_cell_layout layout, int n_cells, double isd_m, int index,
                               double *x_m, double *y_m);

/* Writes a platform XML for spec to out. The spec is validated first
 * (ET_ERR_INPUT naming the field); ET_ERR_IO if writing to out fails.
 * Same spec, same bytes. A metro platform (n_cells >= 1) puts UE i in cell
 * i mod n_cells (so the first N UEs by name spread over the cells), uniform
 * in the annulus from 10 m to cell_radius_m around its AP. */
et_status et_platform_write(FILE *out, const et_platform_spec *spec, et_error *err);

/* One UE host as found in the loaded platform. */
typedef struct et_ue_host {
    sg_host_t host;
    const char *name; /* owned by SimGrid */
    char device_class[32];
    double speed_flops;
    double memory_bytes;
    double x0_m, y0_m;
    et_ue_radio radio;   /* tx power filled by the caller from the scenario */
    sg_link_t link_up;   /* OFDMA cell: <link>_UP; NULL in a Wi-Fi cell */
    sg_link_t link_down; /* OFDMA cell: <link>_DOWN; NULL in a Wi-Fi cell */
    int cell;            /* index into et_topology.cells (and .aps): the UE's own cell */
    int server;          /* index into et_topology.servers: its cell's edge server, the one its
                            routes were checked against */
} et_ue_host;

/* One edge server (a role=server host). */
typedef struct et_server_host {
    sg_host_t host;
    const char *name; /* owned by SimGrid */
    int cores;        /* accelerators: jobs at full speed at once */
    double core_flops;
    int n_ue; /* discovered UEs it serves */
} et_server_host;

/* A Wi-Fi cell's air: its WIFI link and rate levels, fastest first. */
typedef struct et_wifi_cell {
    sg_link_t link; /* the zone's one WIFI link (sharing_policy="WIFI") */
    int n_levels;
    double rate_bps[ET_WIFI_MAX_LEVELS];   /* PHY rate of each level, bits/s */
    double min_snr_db[ET_WIFI_MAX_LEVELS]; /* SNR each level needs, dB */
} et_wifi_cell;

/* One cell: an access point at a position, served by one edge server. */
typedef struct et_cell {
    const char *name; /* the AP host's name (owned by SimGrid); "cell" for the implicit cell */
    sg_host_t ap;     /* the role=ap host; NULL for the implicit cell */
    double x_m, y_m;  /* AP position (the origin for the implicit cell) */
    double radius_m;  /* the disc its UEs live in; 0 when the platform does not say (use
                         mobility.cell_radius_m) */
    int server;       /* index into et_topology.servers */
    int n_ue;         /* discovered UEs attached to it */
    et_access_model access; /* its radio: ET_ACCESS_OFDMA (per-UE links, a carrier) or
                               ET_ACCESS_WIFI (its UEs are stations of wifi.link) */
    et_wifi_cell wifi;      /* Wi-Fi cells only */
    /* Its radio properties as the platform declares them: scenario an
     * et_propagation_scenario, or -1 when not given; the numbers 0 when not
     * given (the scenario keys channel.scenario, channel.frequency_hz,
     * channel.h_bs_m, channel.h_ut_m fill them, et_cell_propagation). */
    int scenario;
    double frequency_hz, h_bs_m, h_ut_m;
    /* Its carrier and powers as the platform declares them (docs/platforms.md section 3):
     * duplex an et_duplex, or -1 when not given; the bandwidths 0 and the TDD strings NULL
     * (owned by SimGrid) when not given; ap_tx_power_dbm and ue_tx_power_dbm NAN when not
     * given. The keys channel.duplex, channel.carrier_hz, channel.tdd_pattern,
     * channel.tdd_special_slot, channel.carrier_down_hz, channel.carrier_up_hz fill the
     * carrier (the simulator, per cell); the powers go into et_topology.aps, where
     * channel.ap_tx_power_dbm and channel.ue_tx_power_dbm fill them. */
    int duplex;
    double carrier_hz, carrier_down_hz, carrier_up_hz;
    const char *tdd_pattern, *tdd_special_slot;
    double ap_tx_power_dbm;
    double ue_tx_power_dbm; /* the transmit power of the UEs this cell serves */
} et_cell;

/* The propagation of cell: what its platform host declares, the rest from defaults (the
 * scenario keys' et_propagation). Heights left 0 by both are the scenario's evaluation
 * heights (et_propagation_h_bs_m). */
et_propagation et_cell_propagation(const et_cell *cell, const et_propagation *defaults);

typedef struct et_topology {
    et_access_model access; /* every cell's, or ET_ACCESS_MIXED when they differ */
    /* servers[0], kept for single-server code. A platform with several
     * servers (one per cell) must use ues[i].server instead: there is no
     * route from a UE to another cell's server. */
    sg_host_t server;
    const char *server_name;
    int server_cores;
    double server_core_flops;
    int n_servers;
    et_server_host *servers; /* sorted by host name; owned */
    int n_cells;             /* 1 for a platform without role=ap hosts */
    et_cell *cells;          /* sorted by AP host name; owned */
    et_channel_ap *aps;      /* (n_cells) cells[c]'s position, laid out for
                                et_channel_update_cell(..., aps, n_cells, ue.cell); owned.
                                Discovery leaves .prop NULL (the simulator points it at
                                the cell's et_cell_propagation) and sets the power of a
                                cell that declares ap_tx_power_dbm (.has_tx_power), and
                                its UEs' of one that declares ue_tx_power_dbm
                                (.has_ue_tx_power) */
    int n_ue;
    et_ue_host *ues; /* n_ue entries, sorted by host name; owned */
} et_topology;

/* Checks a platform file without SimGrid: what et_platform_load checks
 * before handing the file over (below), and every number SimGrid 3.32 would
 * abort on or accept without physical meaning: host speeds (each pstate;
 * > 0, finite, with a unit SimGrid knows), cores (an integer in [1, 1e6]),
 * the initial pstate, link bandwidths (> 0; one value unless the link is
 * WIFI) and latencies (>= 0; exactly 0 on a WIFI link), the same figures of
 * cluster, cabinet and peer elements, disk bandwidths. A unit-less number
 * other than 0 is refused (SimGrid reads it in a deprecated default unit).
 * Errors (ET_ERR_INPUT) read "<path>:<line>: <element> '<id>': attribute
 * '<name>': expected ..., got '<value>' (<why>)". */
et_status et_platform_check(const char *path, et_error *err);

/* What et_platform_precheck counts while it reads a platform file. */
typedef struct et_platform_census {
    int n_ue; /* hosts with property role=ue, counted as et_topology_discover counts them (a
                 <prop id="role" value="ue"/> directly inside a <host>); the scenario key
                 `ues` = N then simulates the first N of them */
} et_platform_census;

/* et_platform_check, and on success the census of the file in *census (may be NULL;
 * zeroed on error). It needs no engine, so a caller can decide what depends only on
 * the UE count (the limits of budget.h) before SimGrid loads the file. */
et_status et_platform_precheck(const char *path, et_platform_census *census, et_error *err);

/* Loads path into the (already initialised) SimGrid engine. Checks what
 * SimGrid would abort on first (missing file, profile files named by
 * *_file attributes that do not exist, host_link naming an undeclared link)
 * and turns SimGrid parse errors into an ET_ERR_INPUT message
 * "<path>:<line>: ...". SimGrid loads one platform per process, and a failed
 * load leaves a half-built platform behind: after an error, do not load again
 * in the same process. ET_ERR_INTERNAL if a platform is already loaded. */
et_status et_platform_load(const char *path, et_error *err);

/* Discovers roles in the loaded platform. n_ue_wanted > 0 takes the first
 * n_ue_wanted UE hosts by name (error if fewer exist); 0 takes all.
 * Without role=ap hosts: exactly one server, one implicit cell at the
 * origin (the single-cell platforms load as they always did). With them:
 * one cell per AP host, at least one server, every AP's server naming a
 * role=server host, every UE's cell naming an AP host, and a UE no farther
 * from its AP than the cell's radius_m (when given). A cell is Wi-Fi when
 * its host (AP, or the server of a platform without AP hosts) carries
 * wifi_link; AP hosts of both kinds may be mixed.
 * Checks every property (presence, number, range), that each OFDMA UE's
 * route to its cell's server starts with <link>_UP and the way back ends
 * with <link>_DOWN (a missing route is an error, not a SimGrid abort), and
 * for each Wi-Fi cell that its wifi_link is a WIFI link (of no other cell)
 * whose bandwidth list matches wifi_rates_bps (path is re-read for that) and
 * that the route of every UE of the cell starts with it; then attaches every
 * Wi-Fi UE to its cell's link at level 0 (SimGrid aborts on a comm from an
 * unattached station).
 * Errors (ET_ERR_INPUT) name the platform file (path) and the host/property
 * at fault; on error topo is left empty. */
et_status et_topology_discover(et_topology *topo, const char *path, int n_ue_wanted, et_error *err);

/* Frees what discovery allocated (NULL-safe). */
void et_topology_clear(et_topology *topo);

/* Wi-Fi: attaches UE index ue to its cell's WIFI link at rate level (0 =
 * fastest); level is clamped to [0, wifi.n_levels - 1]. No-op for a UE of an
 * OFDMA cell or an out-of-range ue. Callable from actors at run time. */
void et_platform_set_wifi_level(const et_topology *topo, int ue, int level);

/* The discovered platform of a simulator (sim.c; for et_budget_estimate and the Paje trace). */
typedef struct et_sim et_sim;
const et_topology *et_sim_topology(const et_sim *sim);

#endif
