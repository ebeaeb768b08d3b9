/* platform.h: platform XML files: generation, safe loading and discovery.
 *
 * Roles come from host properties, never from host names:
 *   server host:  <prop id="role" value="server"/>
 *   UE host:      <prop id="role" value="ue"/>, plus
 *                 class (phone|tablet|laptop|jetson|...), memory_bytes,
 *                 x_m, y_m (initial position, AP at the origin),
 *                 and for the OFDMA access model link (the id of the UE's
 *                 SPLITDUPLEX wireless link; SimGrid names its halves
 *                 <id>_UP and <id>_DOWN), bandwidth_up_hz, bandwidth_down_hz.
 *                 Wi-Fi UEs carry bandwidth_up_hz/bandwidth_down_hz too
 *                 (the cell's channel width: the noise bandwidth of their SNR).
 *   Wi-Fi platforms: the server host also carries wifi_link (id of the one
 *                 WIFI link of the cell), wifi_rates_bps (comma list, fastest
 *                 first, same order as the link's bandwidth list) and
 *                 wifi_min_snr_db (comma list, SNR each level needs).
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

#define ET_WIFI_MAX_LEVELS 16

typedef enum et_access_model {
    ET_ACCESS_OFDMA = 0, /* per-UE up/down links into the AP, wired backhaul */
    ET_ACCESS_WIFI = 1,  /* one shared 802.11 cell, rate level per station */
} et_access_model;

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
                                  a Cluster zone (O(N^2) routing table, but SimGrid 3.32
                                  can Paje-trace its links; Cluster links it cannot) */
    double wifi_channel_hz;    /* Wi-Fi: 802.11ac channel width, 20e6, 40e6, 80e6 or 160e6 */
} et_platform_spec;

/* Fills spec with the documented defaults (docs/platforms.md) for n_ue UEs. */
void et_platform_spec_default(et_platform_spec *spec, int n_ue, et_access_model access);

/* Writes a platform XML for spec to out. The spec is validated first
 * (ET_ERR_INPUT naming the field); ET_ERR_IO if writing to out fails.
 * Same spec, same bytes. */
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
    sg_link_t link_up;   /* OFDMA: <link>_UP; NULL for Wi-Fi */
    sg_link_t link_down; /* OFDMA: <link>_DOWN; NULL for Wi-Fi */
} et_ue_host;

typedef struct et_topology {
    et_access_model access;
    sg_host_t server;
    const char *server_name;
    int server_cores;
    double server_core_flops;
    int n_ue;
    et_ue_host *ues;     /* n_ue entries, sorted by host name; owned */
    sg_link_t wifi_link; /* Wi-Fi only */
    int n_wifi_levels;
    double wifi_rate_bps[ET_WIFI_MAX_LEVELS];
    double wifi_min_snr_db[ET_WIFI_MAX_LEVELS];
} et_topology;

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
 * Checks every property (presence, number, range), that each OFDMA UE's
 * route to the server starts with <link>_UP and the way back ends with
 * <link>_DOWN, and for Wi-Fi that the wifi_link is a WIFI link whose
 * bandwidth list matches wifi_rates_bps (path is re-read for that) and that
 * every UE's route starts with it; then attaches every Wi-Fi UE at level 0
 * (SimGrid aborts on a comm from an unattached station).
 * Errors (ET_ERR_INPUT) name the platform file (path) and the host/property
 * at fault; on error topo is left empty. */
et_status et_topology_discover(et_topology *topo, const char *path, int n_ue_wanted, et_error *err);

/* Frees topo->ues (NULL-safe). */
void et_topology_destroy(et_topology *topo);

/* Wi-Fi: attaches UE index ue to the cell at rate level (0 = fastest);
 * level is clamped to [0, n_wifi_levels - 1]. No-op for OFDMA topologies or
 * an out-of-range ue. Callable from actors (mobility) at run time. */
void et_platform_set_wifi_level(const et_topology *topo, int ue, int level);

#endif
