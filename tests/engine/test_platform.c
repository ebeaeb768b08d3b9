/* test_platform.c: platform generation, safe loading and role discovery.
 *
 * SimGrid loads one platform per process, and a failed load leaves a
 * half-built platform behind. So every test that loads runs its body in a
 * fork()ed child (SimGrid is initialised once, in main, before any fork) and
 * sends a plain result struct back through a pipe; the parent asserts on it.
 * A child that dies (an abort inside SimGrid) fails the test instead of the
 * whole executable. */
#define _DEFAULT_SOURCE /* clock_gettime, fork, pipe: POSIX, hidden by strict -std=c11 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/link.h>
#include <simgrid/mailbox.h>
#include <xbt/dynar.h>

#include "et_test.h"
#include "platform.h"

#define GIB 1073741824.0

/* ------------------------------------------------------------------------- */
/* Plumbing                                                                   */

/* Runs body(out) in a child process and copies out back. Returns 0 when the
 * child finished normally, -1 when it crashed or aborted. */
static int run_in_child(void (*body)(void *out), void *out, size_t size)
{
    int fds[2];
    if (pipe(fds) != 0) return -1;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        close(fds[0]);
        memset(out, 0, size);
        body(out);
        const char *p = out;
        for (size_t done = 0; done < size;) {
            ssize_t n = write(fds[1], p + done, size - done);
            if (n <= 0) _exit(3);
            done += (size_t)n;
        }
        _exit(0); /* no atexit handlers: the engine belongs to the parent */
    }
    close(fds[1]);
    size_t done = 0;
    char *p = out;
    while (done < size) {
        ssize_t n = read(fds[0], p + done, size - done);
        if (n <= 0) break;
        done += (size_t)n;
    }
    close(fds[0]);
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0 || done != size) return -1;
    return 0;
}

/* Path of name in this suite's output directory (static buffer). */
static const char *out_path(const char *name)
{
    static char dir[4096];
    static char buf[8192];
    if (!dir[0]) {
        const char *d = et_test_tmpdir("platform");
        snprintf(dir, sizeof dir, "%s", d ? d : ".");
    }
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

static et_status generate(const char *path, int n_ue, et_access_model access, uint64_t seed,
                          et_error *err)
{
    et_platform_spec spec;
    et_platform_spec_default(&spec, n_ue, access);
    spec.seed = seed;
    FILE *f = fopen(path, "w");
    if (!f) return et_error_set(err, ET_ERR_IO, "%s: cannot create", path);
    et_status st = et_platform_write(f, &spec, err);
    fclose(f);
    return st;
}

/* Reads a whole file; caller frees. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) buf[size] = '\0';
    if (len) *len = (size_t)size;
    return buf;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ------------------------------------------------------------------------- */
/* Generator alone (no engine)                                                */

static void default_spec_holds_the_documented_values(void)
{
    et_platform_spec s;
    et_platform_spec_default(&s, 6, ET_ACCESS_OFDMA);
    CU_ASSERT_EQUAL(s.n_ue, 6);
    CU_ASSERT_EQUAL(s.server_cores, 1);
    CU_ASSERT_DOUBLE_EQUAL(s.server_core_flops, 3e13, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.backhaul_bps, 10e9, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.backhaul_latency_s, 0.002, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.wireless_latency_s, 0.005, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.bandwidth_up_hz, 20e6, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.bandwidth_down_hz, 20e6, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.cell_radius_m, 250, 0);
    CU_ASSERT_EQUAL(s.seed, 1);
    /* Single cell unless asked; metro defaults: 3GPP UMa hex layout. */
    CU_ASSERT_EQUAL(s.n_cells, 0);
    CU_ASSERT_EQUAL(s.layout, ET_LAYOUT_HEX);
    CU_ASSERT_DOUBLE_EQUAL(s.isd_m, 500, 0);
    CU_ASSERT_EQUAL(s.shared_server, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.core_bps, 100e9, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.core_latency_s, 0.005, 0);
    et_platform_spec_default(&s, 6, ET_ACCESS_WIFI);
    CU_ASSERT_EQUAL(s.access, ET_ACCESS_WIFI);
    CU_ASSERT_DOUBLE_EQUAL(s.cell_radius_m, 40, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.wifi_channel_hz, 80e6, 0);
}

static void generator_is_deterministic_and_seed_dependent(void)
{
    et_error err;
    char a[4096], b[4096], c[4096];
    snprintf(a, sizeof a, "%s", out_path("det-a.xml"));
    snprintf(b, sizeof b, "%s", out_path("det-b.xml"));
    snprintf(c, sizeof c, "%s", out_path("det-c.xml"));
    CU_ASSERT_EQUAL_FATAL(generate(a, 40, ET_ACCESS_OFDMA, 7, &err), ET_OK);
    CU_ASSERT_EQUAL_FATAL(generate(b, 40, ET_ACCESS_OFDMA, 7, &err), ET_OK);
    CU_ASSERT_EQUAL_FATAL(generate(c, 40, ET_ACCESS_OFDMA, 8, &err), ET_OK);
    size_t la, lb, lc;
    char *ta = slurp(a, &la), *tb = slurp(b, &lb), *tc = slurp(c, &lc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ta);
    CU_ASSERT_PTR_NOT_NULL_FATAL(tb);
    CU_ASSERT_PTR_NOT_NULL_FATAL(tc);
    CU_ASSERT(la == lb && memcmp(ta, tb, la) == 0);
    CU_ASSERT(la != lc || memcmp(ta, tc, la) != 0);
    free(ta);
    free(tb);
    free(tc);
}

/* The shipped files are the generator's output, byte for byte. */
static void shipped_platforms_equal_the_generator_output(void)
{
    static const struct {
        const char *file;
        int n_ue;
        et_access_model access;
    } shipped[] = {{"platforms/edge-6ue.xml", 6, ET_ACCESS_OFDMA},
                   {"platforms/edge-6ue-wifi.xml", 6, ET_ACCESS_WIFI},
                   {"platforms/edge-9ue.xml", 9, ET_ACCESS_OFDMA}};
    for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
        et_error err;
        char fresh[4096];
        snprintf(fresh, sizeof fresh, "%s", out_path("shipped-fresh.xml"));
        CU_ASSERT_EQUAL_FATAL(generate(fresh, shipped[i].n_ue, shipped[i].access, 1, &err), ET_OK);
        size_t la, lb;
        char *ta = slurp(et_test_source_path(shipped[i].file), &la);
        char *tb = slurp(fresh, &lb);
        CU_ASSERT_PTR_NOT_NULL(ta);
        CU_ASSERT(ta && tb && la == lb && memcmp(ta, tb, la) == 0);
        if (!(ta && tb && la == lb && memcmp(ta, tb, la) == 0))
            fprintf(stderr, "\n  %s differs from the generator's output\n", shipped[i].file);
        free(ta);
        free(tb);
    }
}

static void generator_rejects_an_invalid_spec_naming_the_field(void)
{
    et_platform_spec s;
    et_error err;
    FILE *devnull = fopen("/dev/null", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(devnull);
    et_platform_spec_default(&s, 0, ET_ACCESS_OFDMA);
    CU_ASSERT_EQUAL(et_platform_write(devnull, &s, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "n_ue"));
    et_platform_spec_default(&s, 6, ET_ACCESS_WIFI);
    s.wifi_channel_hz = 30e6;
    CU_ASSERT_EQUAL(et_platform_write(devnull, &s, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "wifi_channel_hz"));
    et_platform_spec_default(&s, 6, ET_ACCESS_OFDMA);
    s.cell_radius_m = 5;
    CU_ASSERT_EQUAL(et_platform_write(devnull, &s, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cell_radius_m"));
    /* Metro specs. */
    static const struct {
        const char *field;
        int n_cells, wifi, full, layout, shared;
        double isd_m, radius_m, core_bps;
    } bad[] = {
        {"n_cells", 1001, 0, 0, ET_LAYOUT_HEX, 0, 500, 250, 1e11},
        {"n_cells", -1, 0, 0, ET_LAYOUT_HEX, 0, 500, 250, 1e11},
        {"access", 2, 1, 0, ET_LAYOUT_HEX, 0, 500, 250, 1e11},
        {"full_routing", 2, 0, 1, ET_LAYOUT_HEX, 0, 500, 250, 1e11},
        {"layout", 2, 0, 0, 7, 0, 500, 250, 1e11},
        {"isd_m", 2, 0, 0, ET_LAYOUT_HEX, 0, 5, 250, 1e11},
        {"cell_radius_m", 2, 0, 0, ET_LAYOUT_GRID, 0, 200, 250, 1e11},
        {"core_bps", 2, 0, 0, ET_LAYOUT_HEX, 1, 500, 250, 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        et_platform_spec_default(&s, 6, bad[i].wifi ? ET_ACCESS_WIFI : ET_ACCESS_OFDMA);
        s.n_cells = bad[i].n_cells;
        s.full_routing = bad[i].full;
        s.layout = (et_cell_layout)bad[i].layout;
        s.shared_server = bad[i].shared;
        s.isd_m = bad[i].isd_m;
        s.cell_radius_m = bad[i].radius_m;
        s.core_bps = bad[i].core_bps;
        CU_ASSERT_EQUAL(et_platform_write(devnull, &s, &err), ET_ERR_INPUT);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[i].field));
        if (!strstr(err.msg, bad[i].field))
            fprintf(stderr, "\n  case %zu: expected '%s' in '%s'\n", i, bad[i].field, err.msg);
    }
    fclose(devnull);
}

static void hex_sites_are_one_isd_from_their_nearest_neighbour(void)
{
    /* 19 sites: the centre and two rings, 3GPP's usual layout. */
    double x[19], y[19];
    for (int i = 0; i < 19; i++)
        et_platform_site_position(ET_LAYOUT_HEX, 19, 500.0, i, &x[i], &y[i]);
    CU_ASSERT_DOUBLE_EQUAL(x[0], 0.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(y[0], 0.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(x[1], 500.0, 1e-9); /* ring 1 starts at angle 0 */
    CU_ASSERT_DOUBLE_EQUAL(y[1], 0.0, 1e-9);
    int ring1 = 0, ring2_near = 0, ring2_far = 0;
    for (int i = 0; i < 19; i++) {
        double nearest = INFINITY, r = hypot(x[i], y[i]);
        for (int j = 0; j < 19; j++)
            if (j != i) nearest = fmin(nearest, hypot(x[i] - x[j], y[i] - y[j]));
        CU_ASSERT_DOUBLE_EQUAL(nearest, 500.0, 1e-6); /* distinct, and packed */
        ring1 += fabs(r - 500.0) < 1e-6;
        ring2_near += fabs(r - 500.0 * sqrt(3.0)) < 1e-6;
        ring2_far += fabs(r - 1000.0) < 1e-6;
    }
    CU_ASSERT_EQUAL(ring1, 6);
    CU_ASSERT_EQUAL(ring2_near, 6);
    CU_ASSERT_EQUAL(ring2_far, 6);
    /* A square grid of 4 sites is centred on the origin. */
    double gx, gy;
    et_platform_site_position(ET_LAYOUT_GRID, 4, 200.0, 0, &gx, &gy);
    CU_ASSERT_DOUBLE_EQUAL(gx, -100.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(gy, -100.0, 1e-9);
    et_platform_site_position(ET_LAYOUT_GRID, 4, 200.0, 3, &gx, &gy);
    CU_ASSERT_DOUBLE_EQUAL(gx, 100.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(gy, 100.0, 1e-9);
}

/* Writes a metro spec to path. */
static et_status generate_metro(const char *path, int n_ue, int n_cells, int shared, uint64_t seed,
                                et_error *err)
{
    et_platform_spec spec;
    et_platform_spec_default(&spec, n_ue, ET_ACCESS_OFDMA);
    spec.seed = seed;
    spec.n_cells = n_cells;
    spec.shared_server = shared;
    /* Not the defaults, so that discovery is seen to read them. */
    spec.server_core_flops = 3e13;
    spec.server_cores = 1;
    FILE *f = fopen(path, "w");
    if (!f) return et_error_set(err, ET_ERR_IO, "%s: cannot create", path);
    et_status st = et_platform_write(f, &spec, err);
    fclose(f);
    return st;
}

static int same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *ta = slurp(a, &la), *tb = slurp(b, &lb);
    int same = ta && tb && la == lb && memcmp(ta, tb, la) == 0;
    free(ta);
    free(tb);
    return same;
}

static void metro_generator_is_deterministic_and_seed_dependent(void)
{
    et_error err;
    char a[4096], b[4096], c[4096], d[4096];
    snprintf(a, sizeof a, "%s", out_path("metro-a.xml"));
    snprintf(b, sizeof b, "%s", out_path("metro-b.xml"));
    snprintf(c, sizeof c, "%s", out_path("metro-c.xml"));
    snprintf(d, sizeof d, "%s", out_path("metro-d.xml"));
    for (int shared = 0; shared < 2; shared++) {
        CU_ASSERT_EQUAL_FATAL(generate_metro(a, 50, 7, shared, 3, &err), ET_OK);
        CU_ASSERT_EQUAL_FATAL(generate_metro(b, 50, 7, shared, 3, &err), ET_OK);
        CU_ASSERT_EQUAL_FATAL(generate_metro(c, 50, 7, shared, 4, &err), ET_OK);
        CU_ASSERT_EQUAL_FATAL(generate_metro(d, 50, 7, !shared, 3, &err), ET_OK);
        CU_ASSERT(same_file(a, b));
        CU_ASSERT(!same_file(a, c));
        CU_ASSERT(!same_file(a, d));
    }
}

/* ------------------------------------------------------------------------- */
/* The 6-UE OFDMA platform                                                    */

typedef struct six_result {
    et_status gen, load, discover;
    char msg[768];
    int n_ue, access, server_cores;
    double server_core_flops;
    char server_name[32];
    char names[6][32], classes[6][32], up[6][32], down[6][32];
    double speed[6], memory[6], x[6], y[6], bw_up_hz[6], bw_down_hz[6];
    double route_bw_Bps, route_lat_s, back_bw_Bps, back_lat_s;
    char route_up[2][32], route_down[2][32];
    int first4_n;
    char first4_last[32];
    et_status too_many;
    int n_cells, n_servers, cell_server, cell_n_ue, ue_cells, ue_servers, server_n_ue;
    char cell_name[32];
    double cell_x, cell_y, cell_radius, ap_x, ap_y;
    int cell_has_ap;
} six_result;

static void six_body(void *out)
{
    six_result *r = out;
    et_error err;
    const char *path = out_path("six.xml");
    if ((r->gen = generate(path, 6, ET_ACCESS_OFDMA, 1, &err)) != ET_OK) goto fail;
    if ((r->load = et_platform_load(path, &err)) != ET_OK) goto fail;
    et_topology t;
    if ((r->discover = et_topology_discover(&t, path, 0, &err)) != ET_OK) goto fail;
    r->n_ue = t.n_ue;
    r->access = t.access;
    r->n_cells = t.n_cells;
    r->n_servers = t.n_servers;
    snprintf(r->cell_name, 32, "%s", t.cells[0].name);
    r->cell_x = t.cells[0].x_m;
    r->cell_y = t.cells[0].y_m;
    r->cell_radius = t.cells[0].radius_m;
    r->cell_server = t.cells[0].server;
    r->cell_n_ue = t.cells[0].n_ue;
    r->cell_has_ap = t.cells[0].ap != NULL;
    r->ap_x = t.aps[0].x_m;
    r->ap_y = t.aps[0].y_m;
    r->server_n_ue = t.servers[0].n_ue;
    for (int i = 0; i < t.n_ue; i++) {
        r->ue_cells += t.ues[i].cell;
        r->ue_servers += t.ues[i].server;
    }
    r->server_cores = t.server_cores;
    r->server_core_flops = t.server_core_flops;
    snprintf(r->server_name, 32, "%s", t.server_name);
    for (int i = 0; i < t.n_ue && i < 6; i++) {
        const et_ue_host *u = &t.ues[i];
        snprintf(r->names[i], 32, "%s", u->name);
        snprintf(r->classes[i], 32, "%s", u->device_class);
        snprintf(r->up[i], 32, "%s", u->link_up ? sg_link_get_name(u->link_up) : "");
        snprintf(r->down[i], 32, "%s", u->link_down ? sg_link_get_name(u->link_down) : "");
        r->speed[i] = u->speed_flops;
        r->memory[i] = u->memory_bytes;
        r->x[i] = u->x0_m;
        r->y[i] = u->y0_m;
        r->bw_up_hz[i] = u->radio.bandwidth_up_hz;
        r->bw_down_hz[i] = u->radio.bandwidth_down_hz;
    }
    sg_host_t ue0 = t.ues[0].host;
    r->route_bw_Bps = sg_host_get_route_bandwidth(ue0, t.server);
    r->route_lat_s = sg_host_get_route_latency(ue0, t.server);
    r->back_bw_Bps = sg_host_get_route_bandwidth(t.server, ue0);
    r->back_lat_s = sg_host_get_route_latency(t.server, ue0);
    xbt_dynar_t links = xbt_dynar_new(sizeof(sg_link_t), NULL);
    sg_host_get_route(ue0, t.server, links);
    for (unsigned long k = 0; k < 2 && k < xbt_dynar_length(links); k++)
        snprintf(r->route_up[k], 32, "%s", sg_link_get_name(xbt_dynar_get_as(links, k, sg_link_t)));
    xbt_dynar_reset(links);
    sg_host_get_route(t.server, ue0, links);
    for (unsigned long k = 0; k < 2 && k < xbt_dynar_length(links); k++)
        snprintf(r->route_down[k], 32, "%s",
                 sg_link_get_name(xbt_dynar_get_as(links, k, sg_link_t)));
    xbt_dynar_free(&links);
    et_topology_clear(&t);

    et_topology t4;
    if (et_topology_discover(&t4, path, 4, &err) == ET_OK) {
        r->first4_n = t4.n_ue;
        snprintf(r->first4_last, 32, "%s", t4.ues[3].name);
        et_topology_clear(&t4);
    }
    r->too_many = et_topology_discover(&t4, path, 7, &err);
    snprintf(r->msg, sizeof r->msg, "%s", err.msg);
    return;
fail:
    snprintf(r->msg, sizeof r->msg, "%s", err.msg);
}

static void six_ue_platform_discovers_one_server_and_six_sorted_ues(void)
{
    six_result r;
    CU_ASSERT_EQUAL_FATAL(run_in_child(six_body, &r, sizeof r), 0);
    if (r.gen || r.load || r.discover) fprintf(stderr, "\n  %s\n", r.msg);
    CU_ASSERT_EQUAL_FATAL(r.discover, ET_OK);
    CU_ASSERT_EQUAL(r.access, ET_ACCESS_OFDMA);
    CU_ASSERT_STRING_EQUAL(r.server_name, "server");
    CU_ASSERT_EQUAL(r.server_cores, 1);
    CU_ASSERT_DOUBLE_EQUAL(r.server_core_flops, 3e13, 0);
    CU_ASSERT_EQUAL_FATAL(r.n_ue, 6);
    static const char *classes[6] = {"phone", "tablet", "laptop", "jetson", "phone", "phone"};
    static const double speed[6] = {1e12, 3e12, 10e12, 8e12, 1e12, 1e12};
    static const double memory[6] = {6 * GIB, 8 * GIB, 16 * GIB, 16 * GIB, 6 * GIB, 6 * GIB};
    for (int i = 0; i < 6; i++) {
        char name[32], link[32];
        snprintf(name, sizeof name, "ue%d", i);
        CU_ASSERT_STRING_EQUAL(r.names[i], name);
        CU_ASSERT_STRING_EQUAL(r.classes[i], classes[i]);
        CU_ASSERT_DOUBLE_EQUAL(r.speed[i], speed[i], 0);
        CU_ASSERT_DOUBLE_EQUAL(r.memory[i], memory[i], 0);
        snprintf(link, sizeof link, "wl_ue%d_UP", i);
        CU_ASSERT_STRING_EQUAL(r.up[i], link);
        snprintf(link, sizeof link, "wl_ue%d_DOWN", i);
        CU_ASSERT_STRING_EQUAL(r.down[i], link);
        double d = hypot(r.x[i], r.y[i]);
        CU_ASSERT(d >= 10.0 - 1e-3 && d <= 250.0 + 1e-3);
        CU_ASSERT_DOUBLE_EQUAL(r.bw_up_hz[i], 20e6, 0);
        CU_ASSERT_DOUBLE_EQUAL(r.bw_down_hz[i], 20e6, 0);
    }
    /* ue -> server = wireless _UP then backhaul _DOWN; back = backhaul _UP then _DOWN. */
    CU_ASSERT_STRING_EQUAL(r.route_up[0], "wl_ue0_UP");
    CU_ASSERT_STRING_EQUAL(r.route_up[1], "backhaul_DOWN");
    CU_ASSERT_STRING_EQUAL(r.route_down[0], "backhaul_UP");
    CU_ASSERT_STRING_EQUAL(r.route_down[1], "wl_ue0_DOWN");
    CU_ASSERT_DOUBLE_EQUAL(r.route_bw_Bps, 50e6 / 8, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(r.route_lat_s, 0.007, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(r.back_bw_Bps, 50e6 / 8, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(r.back_lat_s, 0.007, 1e-12);
    /* No role=ap host: one implicit cell at the origin, served by the one
     * server, holding every UE (the single-cell model, unchanged). */
    CU_ASSERT_EQUAL(r.n_cells, 1);
    CU_ASSERT_EQUAL(r.n_servers, 1);
    CU_ASSERT_STRING_EQUAL(r.cell_name, "cell");
    CU_ASSERT(!r.cell_has_ap);
    CU_ASSERT_DOUBLE_EQUAL(r.cell_x, 0.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(r.cell_y, 0.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(r.ap_x, 0.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(r.ap_y, 0.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(r.cell_radius, 0.0, 0.0);
    CU_ASSERT_EQUAL(r.cell_server, 0);
    CU_ASSERT_EQUAL(r.cell_n_ue, 6);
    CU_ASSERT_EQUAL(r.server_n_ue, 6);
    CU_ASSERT_EQUAL(r.ue_cells, 0);
    CU_ASSERT_EQUAL(r.ue_servers, 0);
    /* n_ue_wanted takes the first UEs by name and refuses more than exist. */
    CU_ASSERT_EQUAL(r.first4_n, 4);
    CU_ASSERT_STRING_EQUAL(r.first4_last, "ue3");
    CU_ASSERT_EQUAL(r.too_many, ET_ERR_INPUT);
}

/* ------------------------------------------------------------------------- */
/* Transfers                                                                  */

/* Shared by the transfer actors of one child process. */
static struct {
    sg_host_t server, ue;
    sg_link_t set_link; /* link whose bandwidth the UE changes before its last upload */
    double set_link_Bps;
    const et_topology *wifi_topo;
    double elapsed_s[4]; /* upload, download, upload after the change, spare */
} xfer;

#define XFER_BYTES 1e6

static void xfer_server(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    sg_mailbox_t up = sg_mailbox_by_name("up"), down = sg_mailbox_by_name("down");
    static char payload = 'd';
    sg_mailbox_get(up);
    sg_mailbox_put(down, &payload, (long)XFER_BYTES);
    sg_mailbox_get(up);
}

static void xfer_ue(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    sg_mailbox_t up = sg_mailbox_by_name("up"), down = sg_mailbox_by_name("down");
    static char payload = 'u';
    double t0 = simgrid_get_clock();
    sg_mailbox_put(up, &payload, (long)XFER_BYTES);
    xfer.elapsed_s[0] = simgrid_get_clock() - t0;
    t0 = simgrid_get_clock();
    sg_mailbox_get(down);
    xfer.elapsed_s[1] = simgrid_get_clock() - t0;
    if (xfer.set_link) sg_link_set_bandwidth(xfer.set_link, xfer.set_link_Bps);
    if (xfer.wifi_topo)
        et_platform_set_wifi_level(xfer.wifi_topo, 0, xfer.wifi_topo->cells[0].wifi.n_levels - 1);
    t0 = simgrid_get_clock();
    sg_mailbox_put(up, &payload, (long)XFER_BYTES);
    xfer.elapsed_s[2] = simgrid_get_clock() - t0;
}

/* Runs upload, download, upload between ues[0] and the server. */
static void run_transfers(const et_topology *t)
{
    xfer.server = t->server;
    xfer.ue = t->ues[0].host;
    /* The receiver is created first so its get() is posted when the put starts. */
    sg_actor_create("server", t->server, xfer_server, 0, NULL);
    sg_actor_create("ue", t->ues[0].host, xfer_ue, 0, NULL);
    simgrid_run();
}

typedef struct xfer_result {
    et_status st;
    char msg[768];
    double elapsed_s[3];
    double wifi_rate0_bps, wifi_rate_last_bps;
    int n_levels;
} xfer_result;

static void ofdma_xfer_body(void *out)
{
    xfer_result *r = out;
    et_error err;
    et_topology t;
    const char *path = out_path("xfer.xml");
    if ((r->st = generate(path, 6, ET_ACCESS_OFDMA, 1, &err)) == ET_OK &&
        (r->st = et_platform_load(path, &err)) == ET_OK &&
        (r->st = et_topology_discover(&t, path, 0, &err)) == ET_OK) {
        xfer.set_link = t.ues[0].link_up; /* what the channel actor does */
        xfer.set_link_Bps = 2.5e6;
        run_transfers(&t);
        memcpy(r->elapsed_s, xfer.elapsed_s, sizeof r->elapsed_s);
        et_topology_clear(&t);
    }
    snprintf(r->msg, sizeof r->msg, "%s", err.msg);
}

static void one_megabyte_takes_size_over_wireless_rate_plus_latencies(void)
{
    xfer_result r;
    CU_ASSERT_EQUAL_FATAL(run_in_child(ofdma_xfer_body, &r, sizeof r), 0);
    if (r.st) fprintf(stderr, "\n  %s\n", r.msg);
    CU_ASSERT_EQUAL_FATAL(r.st, ET_OK);
    /* CM02 without cross-traffic: S / B + sum of latencies, exactly.
     * 1e6 B at 50 Mb/s (the XML placeholder) + 5 ms air + 2 ms backhaul. */
    double expect = XFER_BYTES / (50e6 / 8) + 0.005 + 0.002;
    CU_ASSERT_DOUBLE_EQUAL(r.elapsed_s[0], expect, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.elapsed_s[1], expect, 1e-9);
    /* After setting <link>_UP to 2.5e6 B/s the upload follows it: the
     * discovered handle is the one on the route. */
    CU_ASSERT_DOUBLE_EQUAL(r.elapsed_s[2], XFER_BYTES / 2.5e6 + 0.007, 1e-9);
}

/* ------------------------------------------------------------------------- */
/* Metro platforms: two generated cells                                       */

typedef struct metro_result {
    et_status st;
    char msg[768];
    int n_ue, n_cells, n_servers;
    char cell_name[2][32], cell_server[2][32], server_name[2][32], legacy_server[32];
    double cell_x[2], cell_y[2], cell_radius[2], ap_x[2], ap_y[2];
    int cell_n_ue[2], cell_has_ap[2], server_cores[2], server_n_ue[2];
    double server_flops[2];
    char ue_cell[6][32], ue_server[6][32];
    double ue_distance_m[6];
    int route_n[6];
    char route_up[6][3][32], route_down[6][3][32];
    double elapsed_s[3];
} metro_result;

static int metro_shared;

/* Names of the links of the route from -> to, at most 3. */
static int route_names(sg_host_t from, sg_host_t to, char names[3][32])
{
    xbt_dynar_t links = xbt_dynar_new(sizeof(sg_link_t), NULL);
    sg_host_get_route(from, to, links);
    int n = (int)xbt_dynar_length(links);
    for (int k = 0; k < 3 && k < n; k++)
        snprintf(names[k], 32, "%s", sg_link_get_name(xbt_dynar_get_as(links, k, sg_link_t)));
    xbt_dynar_free(&links);
    return n;
}

static void metro_body(void *out)
{
    metro_result *r = out;
    et_error err;
    et_topology t;
    const char *path = out_path(metro_shared ? "metro-shared.xml" : "metro-own.xml");
    if ((r->st = generate_metro(path, 6, 2, metro_shared, 1, &err)) != ET_OK ||
        (r->st = et_platform_load(path, &err)) != ET_OK ||
        (r->st = et_topology_discover(&t, path, 0, &err)) != ET_OK) {
        snprintf(r->msg, sizeof r->msg, "%s", err.msg);
        return;
    }
    r->n_ue = t.n_ue;
    r->n_cells = t.n_cells;
    r->n_servers = t.n_servers;
    snprintf(r->legacy_server, 32, "%s", t.server_name);
    for (int c = 0; c < t.n_cells && c < 2; c++) {
        snprintf(r->cell_name[c], 32, "%s", t.cells[c].name);
        snprintf(r->cell_server[c], 32, "%s", t.servers[t.cells[c].server].name);
        r->cell_x[c] = t.cells[c].x_m;
        r->cell_y[c] = t.cells[c].y_m;
        r->cell_radius[c] = t.cells[c].radius_m;
        r->ap_x[c] = t.aps[c].x_m;
        r->ap_y[c] = t.aps[c].y_m;
        r->cell_n_ue[c] = t.cells[c].n_ue;
        r->cell_has_ap[c] = t.cells[c].ap != NULL;
    }
    for (int v = 0; v < t.n_servers && v < 2; v++) {
        snprintf(r->server_name[v], 32, "%s", t.servers[v].name);
        r->server_cores[v] = t.servers[v].cores;
        r->server_flops[v] = t.servers[v].core_flops;
        r->server_n_ue[v] = t.servers[v].n_ue;
    }
    for (int i = 0; i < t.n_ue && i < 6; i++) {
        const et_ue_host *u = &t.ues[i];
        const et_cell *c = &t.cells[u->cell];
        snprintf(r->ue_cell[i], 32, "%s", c->name);
        snprintf(r->ue_server[i], 32, "%s", t.servers[u->server].name);
        r->ue_distance_m[i] = hypot(u->x0_m - c->x_m, u->y0_m - c->y_m);
        sg_host_t server = t.servers[u->server].host;
        r->route_n[i] = route_names(u->host, server, r->route_up[i]);
        route_names(server, u->host, r->route_down[i]);
    }
    /* 1 MB up, down, and up again after the channel's rate change, between
     * ue1 (cell1) and its server. */
    xfer.set_link = t.ues[1].link_up;
    xfer.set_link_Bps = 2.5e6;
    sg_host_t server = t.servers[t.ues[1].server].host;
    sg_actor_create("server", server, xfer_server, 0, NULL);
    sg_actor_create("ue", t.ues[1].host, xfer_ue, 0, NULL);
    simgrid_run();
    memcpy(r->elapsed_s, xfer.elapsed_s, sizeof r->elapsed_s);
    et_topology_clear(&t);
}

static void check_two_cells(const metro_result *r, int shared)
{
    CU_ASSERT_EQUAL(r->n_ue, 6);
    CU_ASSERT_EQUAL_FATAL(r->n_cells, 2);
    CU_ASSERT_EQUAL_FATAL(r->n_servers, shared ? 1 : 2);
    /* Hex layout, ISD 500 m: the centre and the first site of ring 1. */
    for (int c = 0; c < 2; c++) {
        char name[32];
        snprintf(name, sizeof name, "cell%d", c);
        CU_ASSERT_STRING_EQUAL(r->cell_name[c], name);
        CU_ASSERT(r->cell_has_ap[c]);
        CU_ASSERT_DOUBLE_EQUAL(r->cell_x[c], 500.0 * c, 0.0);
        CU_ASSERT_DOUBLE_EQUAL(r->cell_y[c], 0.0, 0.0);
        CU_ASSERT_DOUBLE_EQUAL(r->ap_x[c], 500.0 * c, 0.0);
        CU_ASSERT_DOUBLE_EQUAL(r->ap_y[c], 0.0, 0.0);
        CU_ASSERT_DOUBLE_EQUAL(r->cell_radius[c], 250.0, 0.0);
        CU_ASSERT_EQUAL(r->cell_n_ue[c], 3);
        snprintf(name, sizeof name, shared ? "server" : "server%d", c);
        CU_ASSERT_STRING_EQUAL(r->cell_server[c], name);
    }
    for (int v = 0; v < (shared ? 1 : 2); v++) {
        CU_ASSERT_EQUAL(r->server_cores[v], 1);
        CU_ASSERT_DOUBLE_EQUAL(r->server_flops[v], 3e13, 0.0);
        CU_ASSERT_EQUAL(r->server_n_ue[v], shared ? 6 : 3);
    }
    CU_ASSERT_STRING_EQUAL(r->legacy_server, shared ? "server" : "server0");
    /* UE i in cell i mod 2, within its own cell's disc, served by its
     * cell's server over its wireless link, its cell's backhaul, and for a
     * shared server the core link. */
    for (int i = 0; i < 6; i++) {
        char want[32];
        snprintf(want, sizeof want, "cell%d", i % 2);
        CU_ASSERT_STRING_EQUAL(r->ue_cell[i], want);
        snprintf(want, sizeof want, shared ? "server" : "server%d", i % 2);
        CU_ASSERT_STRING_EQUAL(r->ue_server[i], want);
        CU_ASSERT(r->ue_distance_m[i] >= 10.0 - 1e-3 && r->ue_distance_m[i] <= 250.0 + 1e-3);
        CU_ASSERT_EQUAL(r->route_n[i], shared ? 3 : 2);
        snprintf(want, sizeof want, "wl_ue%d_UP", i);
        CU_ASSERT_STRING_EQUAL(r->route_up[i][0], want);
        snprintf(want, sizeof want, "cell%d_backhaul_DOWN", i % 2);
        CU_ASSERT_STRING_EQUAL(r->route_up[i][1], want);
        snprintf(want, sizeof want, "wl_ue%d_DOWN", i);
        CU_ASSERT_STRING_EQUAL(r->route_down[i][shared ? 2 : 1], want);
        if (shared) {
            CU_ASSERT_STRING_EQUAL(r->route_up[i][2], "core_DOWN");
            CU_ASSERT_STRING_EQUAL(r->route_down[i][0], "core_UP");
        }
    }
    /* CM02: S / B + latencies: 5 ms air, 2 ms backhaul (+ 5 ms core). */
    double lat = 0.007 + (shared ? 0.005 : 0.0);
    CU_ASSERT_DOUBLE_EQUAL(r->elapsed_s[0], XFER_BYTES / (50e6 / 8) + lat, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r->elapsed_s[1], XFER_BYTES / (50e6 / 8) + lat, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r->elapsed_s[2], XFER_BYTES / 2.5e6 + lat, 1e-9);
}

static void two_cell_platform_discovers_cells_own_servers_and_each_ues_cell(void)
{
    metro_result r;
    metro_shared = 0;
    CU_ASSERT_EQUAL_FATAL(run_in_child(metro_body, &r, sizeof r), 0);
    if (r.st) fprintf(stderr, "\n  %s\n", r.msg);
    CU_ASSERT_EQUAL_FATAL(r.st, ET_OK);
    check_two_cells(&r, 0);
}

static void two_cell_platform_with_a_shared_server_routes_through_backhaul_and_core(void)
{
    metro_result r;
    metro_shared = 1;
    CU_ASSERT_EQUAL_FATAL(run_in_child(metro_body, &r, sizeof r), 0);
    if (r.st) fprintf(stderr, "\n  %s\n", r.msg);
    CU_ASSERT_EQUAL_FATAL(r.st, ET_OK);
    check_two_cells(&r, 1);
}

/* ------------------------------------------------------------------------- */
/* Wi-Fi                                                                      */

static void wifi_body(void *out)
{
    xfer_result *r = out;
    et_error err;
    et_topology t;
    const char *path = out_path("wifi.xml");
    if ((r->st = generate(path, 6, ET_ACCESS_WIFI, 1, &err)) == ET_OK &&
        (r->st = et_platform_load(path, &err)) == ET_OK &&
        (r->st = et_topology_discover(&t, path, 0, &err)) == ET_OK) {
        const et_wifi_cell *w = &t.cells[0].wifi;
        r->n_levels = w->n_levels;
        r->wifi_rate0_bps = w->rate_bps[0];
        r->wifi_rate_last_bps = w->rate_bps[w->n_levels - 1];
        if (t.n_ue != 6 || t.access != ET_ACCESS_WIFI || t.cells[0].access != ET_ACCESS_WIFI ||
            !w->link || t.ues[0].link_up) {
            r->st = ET_ERR_INTERNAL;
            snprintf(err.msg, sizeof err.msg, "unexpected Wi-Fi topology: %d UEs", t.n_ue);
        } else {
            xfer.wifi_topo = &t; /* the UE drops itself to the slowest level */
            run_transfers(&t);
            memcpy(r->elapsed_s, xfer.elapsed_s, sizeof r->elapsed_s);
        }
        et_topology_clear(&t);
    }
    snprintf(r->msg, sizeof r->msg, "%s", err.msg);
}

static void wifi_platform_attaches_every_ue_and_carries_transfers(void)
{
    xfer_result r;
    CU_ASSERT_EQUAL_FATAL(run_in_child(wifi_body, &r, sizeof r), 0);
    if (r.st) fprintf(stderr, "\n  %s\n", r.msg);
    CU_ASSERT_EQUAL_FATAL(r.st, ET_OK);
    /* 802.11ac, 80 MHz, one stream: MCS 9 .. MCS 0. */
    CU_ASSERT_EQUAL(r.n_levels, 10);
    CU_ASSERT_DOUBLE_EQUAL(r.wifi_rate0_bps, 390e6, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.wifi_rate_last_bps, 29.25e6, 0);
    /* Alone in the cell at level 0, plus 5 ms air latency and 2 ms backhaul. */
    double expect = XFER_BYTES / (390e6 / 8) + 0.007;
    CU_ASSERT_DOUBLE_EQUAL(r.elapsed_s[0], expect, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.elapsed_s[1], expect, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(r.elapsed_s[2], XFER_BYTES / (29.25e6 / 8) + 0.007, 1e-9);
}

/* ------------------------------------------------------------------------- */
/* Scale                                                                      */

typedef struct big_result {
    et_status st;
    char msg[768];
    double gen_s, load_s, discover_s;
    int n_ue;
    char first[32], last[32];
    int n_phone, n_tablet, n_laptop, n_jetson;
    int sorted;
} big_result;

static void big_body(void *out)
{
    big_result *r = out;
    et_error err;
    et_topology t;
    const char *path = out_path("big.xml");
    double t0 = now_s();
    if ((r->st = generate(path, 10000, ET_ACCESS_OFDMA, 1, &err)) != ET_OK) goto done;
    double t1 = now_s();
    if ((r->st = et_platform_load(path, &err)) != ET_OK) goto done;
    double t2 = now_s();
    if ((r->st = et_topology_discover(&t, path, 0, &err)) != ET_OK) goto done;
    double t3 = now_s();
    r->gen_s = t1 - t0;
    r->load_s = t2 - t1;
    r->discover_s = t3 - t2;
    r->n_ue = t.n_ue;
    snprintf(r->first, 32, "%s", t.ues[0].name);
    snprintf(r->last, 32, "%s", t.ues[t.n_ue - 1].name);
    r->sorted = 1;
    for (int i = 0; i < t.n_ue; i++) {
        const char *c = t.ues[i].device_class;
        r->n_phone += strcmp(c, "phone") == 0;
        r->n_tablet += strcmp(c, "tablet") == 0;
        r->n_laptop += strcmp(c, "laptop") == 0;
        r->n_jetson += strcmp(c, "jetson") == 0;
        char want[32];
        snprintf(want, sizeof want, "ue%04d", i);
        if (strcmp(t.ues[i].name, want) != 0) r->sorted = 0;
    }
    et_topology_clear(&t);
done:
    snprintf(r->msg, sizeof r->msg, "%s", err.msg);
}

static void ten_thousand_ues_generate_load_and_discover(void)
{
    big_result r;
    CU_ASSERT_EQUAL_FATAL(run_in_child(big_body, &r, sizeof r), 0);
    if (r.st) fprintf(stderr, "\n  %s\n", r.msg);
    CU_ASSERT_EQUAL_FATAL(r.st, ET_OK);
    CU_ASSERT_EQUAL(r.n_ue, 10000);
    CU_ASSERT_STRING_EQUAL(r.first, "ue0000");
    CU_ASSERT_STRING_EQUAL(r.last, "ue9999");
    CU_ASSERT(r.sorted);
    /* Exact quotas of the 50/20/15/15 mix. */
    CU_ASSERT_EQUAL(r.n_phone, 5000);
    CU_ASSERT_EQUAL(r.n_tablet, 2000);
    CU_ASSERT_EQUAL(r.n_laptop, 1500);
    CU_ASSERT_EQUAL(r.n_jetson, 1500);
    fprintf(stderr, "[10k UEs: generate %.3f s, load %.3f s, discover %.3f s] ", r.gen_s, r.load_s,
            r.discover_s);
    /* The times are printed, not asserted (a loaded machine may take any time); bench/scale.sh
     * measures speed. */
}

/* Peak resident memory growth of this process since start_kb, KiB
 * (VmHWM - start); -1 if /proc is unreadable. */
static long rss_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long kb = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0) kb = strtol(line + n, NULL, 10);
    fclose(f);
    return kb;
}

typedef struct metro_big_result {
    et_status st;
    char msg[768];
    double gen_s, load_s, discover_s;
    long grew_kb;
    int n_ue, n_cells, n_servers, per_cell_ok;
} metro_big_result;

static void metro_big_body(void *out)
{
    metro_big_result *r = out;
    long start_kb = rss_kb("VmRSS:");
    et_error err;
    et_topology t;
    const char *path = out_path(metro_shared ? "metro-big-shared.xml" : "metro-big.xml");
    double t0 = now_s();
    if ((r->st = generate_metro(path, 10000, 100, metro_shared, 1, &err)) != ET_OK) goto done;
    double t1 = now_s();
    if ((r->st = et_platform_load(path, &err)) != ET_OK) goto done;
    double t2 = now_s();
    if ((r->st = et_topology_discover(&t, path, 0, &err)) != ET_OK) goto done;
    r->gen_s = t1 - t0;
    r->load_s = t2 - t1;
    r->discover_s = now_s() - t2;
    r->grew_kb = rss_kb("VmHWM:") - start_kb;
    r->n_ue = t.n_ue;
    r->n_cells = t.n_cells;
    r->n_servers = t.n_servers;
    r->per_cell_ok = 1;
    for (int c = 0; c < t.n_cells; c++)
        r->per_cell_ok &= t.cells[c].n_ue == 100;
    for (int i = 0; i < t.n_ue; i++)
        r->per_cell_ok &= t.ues[i].cell == i % 100;
    et_topology_clear(&t);
done:
    snprintf(r->msg, sizeof r->msg, "%s", err.msg);
}

static void ten_thousand_ues_in_a_hundred_cells_load_in_modest_memory(void)
{
    for (int shared = 0; shared < 2; shared++) {
        metro_big_result r;
        metro_shared = shared;
        CU_ASSERT_EQUAL_FATAL(run_in_child(metro_big_body, &r, sizeof r), 0);
        if (r.st) fprintf(stderr, "\n  %s\n", r.msg);
        CU_ASSERT_EQUAL_FATAL(r.st, ET_OK);
        CU_ASSERT_EQUAL(r.n_ue, 10000);
        CU_ASSERT_EQUAL(r.n_cells, 100);
        CU_ASSERT_EQUAL(r.n_servers, shared ? 1 : 100);
        CU_ASSERT(r.per_cell_ok);
        fprintf(stderr,
                "[10k UEs, 100 cells, %s: generate %.3f s, load %.3f s, discover %.3f s, +%ld MB] ",
                shared ? "shared server" : "server per cell", r.gen_s, r.load_s, r.discover_s,
                r.grew_kb / 1024);
        if (ET_TEST_SANITIZED) continue; /* instrumented: larger */
        /* The single cell of 10,000 UEs takes about 40 MB; the cells must not
         * add a table that grows with N^2 or N K. */
        CU_ASSERT(r.grew_kb > 0 && r.grew_kb < 200 * 1024);
    }
}

/* ------------------------------------------------------------------------- */
/* Error paths: each must be ET_ERR_INPUT naming the file and the culprit,    */
/* and must not kill the process.                                             */

typedef struct err_case {
    const char *file;    /* written to the output dir unless NULL text */
    const char *text;    /* NULL: the file does not exist */
    int discover;        /* the error shows in discovery, after a good load */
    const char *culprit; /* must appear in the message */
} err_case;

static const err_case *current_case;

typedef struct err_result {
    et_status load, discover;
    char msg[768];
    char path[4096];
} err_result;

static void err_body(void *out)
{
    err_result *r = out;
    et_error err;
    et_error_clear(&err);
    snprintf(r->path, sizeof r->path, "%s", out_path(current_case->file));
    if (current_case->text && write_text(r->path, current_case->text) != 0) {
        r->load = ET_ERR_IO;
        return;
    }
    r->load = et_platform_load(r->path, &err);
    if (r->load == ET_OK) {
        et_topology t;
        r->discover = et_topology_discover(&t, r->path, 0, &err);
        if (r->discover == ET_OK) et_topology_clear(&t);
    }
    snprintf(r->msg, sizeof r->msg, "%s", err.msg);
}

static void check_error_case(const err_case *c)
{
    err_result r;
    current_case = c;
    int rc = run_in_child(err_body, &r, sizeof r);
    CU_ASSERT_EQUAL_FATAL(rc, 0); /* the process survived */
    et_status got = c->discover ? r.discover : r.load;
    if (c->discover) CU_ASSERT_EQUAL(r.load, ET_OK);
    CU_ASSERT_EQUAL(got, ET_ERR_INPUT);
    int names_file = strstr(r.msg, r.path) == r.msg;
    int names_culprit = strstr(r.msg, c->culprit) != NULL;
    CU_ASSERT(names_file);
    CU_ASSERT(names_culprit);
    CU_ASSERT(strchr(r.msg, '\n') == NULL);
    if (got != ET_ERR_INPUT || !names_file || !names_culprit)
        fprintf(stderr, "\n  %s: got %d '%s'\n", c->file, got, r.msg);
}

#define XML_HEAD                                                                                   \
    "<?xml version=\"1.0\"?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"    \
    "<platform version=\"4.1\">\n<zone id=\"z\" routing=\"Cluster\">\n"
#define XML_TAIL "</zone>\n</platform>\n"
#define SERVER(id, role)                                                                           \
    "<host id=\"" id "\" speed=\"1e12f\"><prop id=\"role\" value=\"" role "\"/></host>\n"          \
    "<link id=\"bh_" id                                                                            \
    "\" bandwidth=\"1Gbps\" latency=\"1ms\" sharing_policy=\"SPLITDUPLEX\"/>\n"                    \
    "<host_link id=\"" id "\" up=\"bh_" id "_UP\" down=\"bh_" id "_DOWN\"/>\n"
#define UE(id, mem, linkprop)                                                                      \
    "<host id=\"" id "\" speed=\"1e12f\"><prop id=\"role\" value=\"ue\"/>"                         \
    "<prop id=\"class\" value=\"phone\"/><prop id=\"memory_bytes\" value=\"" mem "\"/>"            \
    "<prop id=\"x_m\" value=\"10\"/><prop id=\"y_m\" value=\"0\"/>"                                \
    "<prop id=\"link\" value=\"" linkprop "\"/>"                                                   \
    "<prop id=\"bandwidth_up_hz\" value=\"2e7\"/><prop id=\"bandwidth_down_hz\" value=\"2e7\"/>"   \
    "</host>\n"                                                                                    \
    "<link id=\"wl_" id "\" bandwidth=\"50Mbps\" latency=\"5ms\" "                                 \
    "sharing_policy=\"SPLITDUPLEX\"/>\n"                                                           \
    "<host_link id=\"" id "\" up=\"wl_" id "_UP\" down=\"wl_" id "_DOWN\"/>\n"

static void load_reports_a_missing_file(void)
{
    check_error_case(&(err_case){"does-not-exist.xml", NULL, 0, "cannot read"});
}

static void load_reports_malformed_xml_with_its_line(void)
{
    check_error_case(&(err_case){"malformed.xml",
                                 XML_HEAD "<host id=\"server\" speed=\"1e9f\">\n" XML_TAIL, 0,
                                 "malformed.xml:6: Unexpected end-tag"});
}

static void load_reports_an_unknown_attribute_with_its_line(void)
{
    check_error_case(&(err_case){"attr.xml",
                                 XML_HEAD
                                 "<host id=\"server\" speed=\"1e9f\"/>\n"
                                 "<link id=\"x\" bandwidth=\"1Mbps\" colour=\"red\"/>\n" XML_TAIL,
                                 0, "attr.xml:6: Bad attribute `colour' in `link'"});
}

static void load_reports_a_bad_number_with_its_line(void)
{
    check_error_case(&(err_case){"number.xml",
                                 XML_HEAD "<host id=\"server\" speed=\"fastf\"/>\n" XML_TAIL, 0,
                                 "number.xml:5: host 'server': attribute 'speed'"});
}

static void load_reports_a_missing_profile_file_instead_of_aborting(void)
{
    check_error_case(&(err_case){
        "profile.xml",
        XML_HEAD
        "<host id=\"server\" speed=\"1e9f\"/>\n"
        "<link id=\"x\" bandwidth=\"1Mbps\" latency=\"1ms\" sharing_policy=\"SPLITDUPLEX\"\n"
        "      bandwidth_file=\"nope.profile\"/>\n"
        "<host_link id=\"server\" up=\"x_UP\" down=\"x_DOWN\"/>\n" XML_TAIL,
        0, "profile.xml:6: link 'x': bandwidth_file 'nope.profile' not found"});
}

static void load_reports_a_host_link_to_an_undeclared_link_instead_of_aborting(void)
{
    /* SimGrid xbt_asserts on this at zone seal; "x" is SPLITDUPLEX, so only
     * x_UP and x_DOWN exist. */
    check_error_case(&(err_case){
        "hostlink.xml",
        XML_HEAD
        "<host id=\"server\" speed=\"1e9f\"/>\n"
        "<link id=\"x\" bandwidth=\"1Mbps\" latency=\"1ms\" sharing_policy=\"SPLITDUPLEX\"/>\n"
        "<host_link id=\"server\" up=\"x\" down=\"x_DOWN\"/>\n" XML_TAIL,
        0, "hostlink.xml:7: host_link 'server': link 'x' is not declared"});
}

/* et_platform_check on one element between a valid server and UE: NULL
 * expects success, otherwise the substring the one-line message must hold
 * (after the file and line). No SimGrid: every case runs in this process. */
typedef struct value_case {
    const char *element; /* one XML line */
    const char *culprit; /* NULL: accepted */
} value_case;

static void check_value_cases(const value_case *cases, size_t n)
{
    const char *path = out_path("values.xml");
    for (size_t i = 0; i < n; i++) {
        char text[2048];
        snprintf(text, sizeof text, "%s%s\n%s", XML_HEAD, cases[i].element, XML_TAIL);
        CU_ASSERT_EQUAL_FATAL(write_text(path, text), 0);
        et_error err;
        et_status st = et_platform_check(path, &err);
        int ok;
        if (!cases[i].culprit) {
            ok = st == ET_OK;
        } else {
            char want[512];
            snprintf(want, sizeof want, "%s:5: %s", path, cases[i].culprit);
            ok = st == ET_ERR_INPUT && strstr(err.msg, want) == err.msg &&
                 strchr(err.msg, '\n') == NULL;
        }
        CU_ASSERT(ok);
        if (!ok)
            fprintf(stderr, "\n  %s: got %d '%s'\n", cases[i].element, st,
                    st == ET_OK ? "" : err.msg);
    }
}

static void check_refuses_host_speeds_cores_and_pstates_without_meaning(void)
{
    static const value_case cases[] = {
        {"<host id=\"h\" speed=\"1e9f\"/>", NULL},
        {"<host id=\"h\" speed=\"1Gf\" core=\"4\"/>", NULL},
        {"<host id=\"h\" speed=\"2.5megaflops\"/>", NULL},
        {"<host id=\"h\" speed=\"1e9f, 5e8f,1e8f\" pstate=\"2\"/>", NULL},
        {"<host id=\"h\" speed=\"0f\"/>", "host 'h': attribute 'speed': expected a speed > 0"},
        {"<host id=\"h\" speed=\"0\"/>", "host 'h': attribute 'speed'"},
        {"<host id=\"h\" speed=\"-1e9f\"/>", "host 'h': attribute 'speed'"},
        {"<host id=\"h\" speed=\"nanf\"/>", "host 'h': attribute 'speed'"},
        {"<host id=\"h\" speed=\"inff\"/>", "host 'h': attribute 'speed'"},
        {"<host id=\"h\" speed=\"1e400f\"/>", "host 'h': attribute 'speed'"},
        {"<host id=\"h\" speed=\"\"/>", "host 'h': attribute 'speed'"},
        {"<host id=\"h\" speed=\"1e9\"/>", "host 'h': attribute 'speed'"},
        {"<host id=\"h\" speed=\"1e9Qf\"/>", "host 'h': attribute 'speed'"},
        {"<host id=\"h\" speed=\"1e9bps\"/>", "host 'h': attribute 'speed'"},
        {"<host id=\"h\" speed=\"1e9f,0f\"/>", "host 'h': attribute 'speed' (value 2)"},
        {"<host id=\"h\" speed=\"1e9f,\"/>", "host 'h': attribute 'speed' (value 2)"},
        {"<host id=\"h\" speed=\"1e9f\" core=\"0\"/>", "host 'h': attribute 'core'"},
        {"<host id=\"h\" speed=\"1e9f\" core=\"-2\"/>", "host 'h': attribute 'core'"},
        {"<host id=\"h\" speed=\"1e9f\" core=\"1.5\"/>", "host 'h': attribute 'core'"},
        {"<host id=\"h\" speed=\"1e9f\" core=\"\"/>", "host 'h': attribute 'core'"},
        {"<host id=\"h\" speed=\"1e9f\" core=\"99999999999999999999\"/>",
         "host 'h': attribute 'core'"},
        {"<host id=\"h\" speed=\"1e9f,1e8f\" pstate=\"2\"/>",
         "host 'h': attribute 'pstate': expected an integer in [0, 1]"},
        {"<host id=\"h\" speed=\"1e9f\" pstate=\"-1\"/>", "host 'h': attribute 'pstate'"},
    };
    check_value_cases(cases, sizeof cases / sizeof cases[0]);
}

static void check_refuses_link_bandwidths_and_latencies_without_meaning(void)
{
    static const value_case cases[] = {
        {"<link id=\"l\" bandwidth=\"1Gbps\" latency=\"1ms\"/>", NULL},
        {"<link id=\"l\" bandwidth=\"125MBps\" latency=\"0\"/>", NULL},
        {"<link id=\"l\" bandwidth=\"1GiBps\"/>", NULL},
        {"<link id=\"l\" bandwidth=\"5Ebps\" latency=\"2us\"/>", NULL},
        {"<link id=\"w\" bandwidth=\"54Mbps;11Mbps,1Mbps\" latency=\"0s\" "
         "sharing_policy=\"WIFI\"/>",
         NULL},
        {"<link id=\"l\" bandwidth=\"0bps\"/>", "link 'l': attribute 'bandwidth'"},
        {"<link id=\"l\" bandwidth=\"-1Mbps\"/>", "link 'l': attribute 'bandwidth'"},
        {"<link id=\"l\" bandwidth=\"nanbps\"/>", "link 'l': attribute 'bandwidth'"},
        {"<link id=\"l\" bandwidth=\"1e999bps\"/>", "link 'l': attribute 'bandwidth'"},
        {"<link id=\"l\" bandwidth=\"1e9\"/>", "link 'l': attribute 'bandwidth'"},
        {"<link id=\"l\" bandwidth=\"1e9Kbps\"/>", "link 'l': attribute 'bandwidth'"},
        {"<link id=\"l\" bandwidth=\"\"/>", "link 'l': attribute 'bandwidth'"},
        {"<link id=\"l\" bandwidth=\"1Gbps,2Gbps\"/>",
         "link 'l': attribute 'bandwidth': expected one bandwidth"},
        {"<link id=\"l\" bandwidth=\"1Gbps\" latency=\"-1ms\"/>", "link 'l': attribute 'latency'"},
        {"<link id=\"l\" bandwidth=\"1Gbps\" latency=\"infs\"/>", "link 'l': attribute 'latency'"},
        {"<link id=\"l\" bandwidth=\"1Gbps\" latency=\"0.005\"/>", "link 'l': attribute 'latency'"},
        {"<link id=\"l\" bandwidth=\"1Gbps\" latency=\"5sec\"/>", "link 'l': attribute 'latency'"},
        {"<link id=\"w\" bandwidth=\"54Mbps,0Mbps\" sharing_policy=\"WIFI\"/>",
         "link 'w': attribute 'bandwidth' (value 2)"},
        {"<link id=\"w\" bandwidth=\"54Mbps\" latency=\"1ms\" sharing_policy=\"WIFI\"/>",
         "link 'w': attribute 'latency': expected 0"},
        {"<backbone id=\"b\" bandwidth=\"0Gbps\" latency=\"1ms\"/>",
         "backbone 'b': attribute 'bandwidth'"},
        {"<disk id=\"d\" read_bw=\"100MBps\" write_bw=\"-1MBps\"/>",
         "disk 'd': attribute 'write_bw'"},
    };
    check_value_cases(cases, sizeof cases / sizeof cases[0]);
}

static void check_refuses_cluster_cabinet_and_peer_figures_without_meaning(void)
{
    static const value_case cases[] = {
        {"<cluster id=\"c\" prefix=\"n\" suffix=\"\" radical=\"0-3\" speed=\"1Gf\" bw=\"1Gbps\" "
         "lat=\"1ms\"/>",
         NULL},
        {"<cluster id=\"c\" prefix=\"n\" suffix=\"\" radical=\"0-3\" speed=\"0f\" bw=\"1Gbps\" "
         "lat=\"1ms\"/>",
         "cluster 'c': attribute 'speed'"},
        {"<cluster id=\"c\" prefix=\"n\" suffix=\"\" radical=\"0-3\" speed=\"1Gf\" core=\"0\" "
         "bw=\"1Gbps\" lat=\"1ms\"/>",
         "cluster 'c': attribute 'core'"},
        {"<cluster id=\"c\" prefix=\"n\" suffix=\"\" radical=\"0-3\" speed=\"1Gf\" bw=\"1Gbps\" "
         "lat=\"1ms\" bb_bw=\"0bps\" bb_lat=\"1ms\"/>",
         "cluster 'c': attribute 'bb_bw'"},
        {"<cluster id=\"c\" prefix=\"n\" suffix=\"\" radical=\"0-3\" speed=\"1Gf\" bw=\"1Gbps\" "
         "lat=\"-1ms\"/>",
         "cluster 'c': attribute 'lat'"},
        {"<cabinet id=\"k\" prefix=\"n\" suffix=\"\" radical=\"0-3\" speed=\"1Gf\" bw=\"nanbps\" "
         "lat=\"1ms\"/>",
         "cabinet 'k': attribute 'bw'"},
        {"<peer id=\"p\" speed=\"1Gf\" bw_in=\"1Gbps\" bw_out=\"-1Gbps\" lat=\"1ms\"/>",
         "peer 'p': attribute 'bw_out'"},
    };
    check_value_cases(cases, sizeof cases / sizeof cases[0]);
}

static void shipped_and_generated_platforms_pass_the_value_check(void)
{
    static const char *const shipped[] = {
        "edge-6ue.xml",        "edge-6ue-full.xml", "edge-6ue-wifi.xml", "edge-9ue.xml",
        "metro-9ue-3cell.xml", "highway-5cell.xml", "two-cells.xml",     "mixed-3cell.xml"};
    for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/platforms/%s", ET_SOURCE_DIR, shipped[i]);
        et_error err;
        et_status st = et_platform_check(path, &err);
        CU_ASSERT_EQUAL(st, ET_OK);
        if (st != ET_OK) fprintf(stderr, "\n  %s\n", err.msg);
    }
}

/* et_platform_precheck's census: the UE hosts discovery finds after the load, counted from
 * the file alone (budget.h checks the limits that depend on the count before loading). */
typedef struct census_result {
    et_status load, discover;
    int n_ue;
    char msg[768];
} census_result;

static const char *census_file;

static void census_body(void *out)
{
    census_result *r = out;
    et_error err;
    et_error_clear(&err);
    r->load = et_platform_load(census_file, &err);
    if (r->load == ET_OK) {
        et_topology t;
        r->discover = et_topology_discover(&t, census_file, 0, &err);
        if (r->discover == ET_OK) {
            r->n_ue = t.n_ue;
            et_topology_clear(&t);
        }
    }
    snprintf(r->msg, sizeof r->msg, "%s", err.msg);
}

/* A UE host whose role property is written role (as XML: entities allowed). */
#define UE_ROLE(id, role)                                                                          \
    "<host id=\"" id "\" speed=\"1e12f\"><prop id=\"role\" value=\"" role "\"/>"                   \
    "<prop id=\"class\" value=\"phone\"/><prop id=\"memory_bytes\" value=\"1e9\"/>"                \
    "<prop id=\"x_m\" value=\"10\"/><prop id=\"y_m\" value=\"0\"/>"                                \
    "<prop id=\"link\" value=\"wl_" id "\"/>"                                                      \
    "<prop id=\"bandwidth_up_hz\" value=\"2e7\"/><prop id=\"bandwidth_down_hz\" value=\"2e7\"/>"   \
    "</host>\n"                                                                                    \
    "<link id=\"wl_" id "\" bandwidth=\"50Mbps\" latency=\"5ms\" "                                 \
    "sharing_policy=\"SPLITDUPLEX\"/>\n"                                                           \
    "<host_link id=\"" id "\" up=\"wl_" id "_UP\" down=\"wl_" id "_DOWN\"/>\n"

static void census_counts_the_ue_hosts_discovery_finds(void)
{
    /* The shipped files (single cell, Cluster and Full routing, Wi-Fi, metro with AP hosts),
     * and a hand-written one where reading the role as text is not enough: roles written
     * with character references (SimGrid's parser replaces them) and a host without a role
     * holding a disk whose own prop says role=ue. */
    static const char *const shipped[] = {"edge-6ue.xml", "edge-6ue-full.xml", "edge-6ue-wifi.xml",
                                          "edge-9ue.xml", "metro-9ue-3cell.xml"};
    /* A host without a role, its disk holding a prop role=ue (the disk's, not the host's). */
#define STORE                                                                                      \
    "<host id=\"store\" speed=\"1f\"><disk id=\"d\" read_bw=\"1GBps\" write_bw=\"1GBps\">"         \
    "<prop id=\"role\" value=\"ue\"/></disk></host>\n"
    static const char hand[] = XML_HEAD SERVER("server", "server") UE_ROLE("ue0", "ue")
        UE_ROLE("ue1", "u&#101;") UE_ROLE("ue2", "&#x75;&#x65;") STORE XML_TAIL;
    const char *hand_path = out_path("census.xml");
    CU_ASSERT_EQUAL_FATAL(write_text(hand_path, hand), 0);
    char paths[6][1024];
    for (size_t i = 0; i < 5; i++)
        snprintf(paths[i], sizeof paths[i], "%s/platforms/%s", ET_SOURCE_DIR, shipped[i]);
    snprintf(paths[5], sizeof paths[5], "%s", hand_path);
    static const int want[6] = {6, 6, 6, 9, 9, 3};
    for (size_t i = 0; i < 6; i++) {
        et_platform_census census = {-1};
        et_error err;
        et_status st = et_platform_precheck(paths[i], &census, &err);
        CU_ASSERT_EQUAL(st, ET_OK);
        census_result r;
        census_file = paths[i];
        CU_ASSERT_EQUAL_FATAL(run_in_child(census_body, &r, sizeof r), 0);
        CU_ASSERT_EQUAL(r.load, ET_OK);
        CU_ASSERT_EQUAL(r.discover, ET_OK);
        CU_ASSERT_EQUAL(census.n_ue, r.n_ue);
        CU_ASSERT_EQUAL(census.n_ue, want[i]);
        if (st != ET_OK || r.discover != ET_OK || census.n_ue != r.n_ue || r.n_ue != want[i])
            fprintf(stderr, "\n  %s: census %d, discovery %d (%s)\n", paths[i], census.n_ue, r.n_ue,
                    st != ET_OK ? err.msg : r.msg);
    }
    /* No census wanted: the check alone. A file the check refuses leaves the census empty. */
    et_error err;
    CU_ASSERT_EQUAL(et_platform_precheck(paths[0], NULL, &err), ET_OK);
    const char *bad = out_path("census-bad.xml");
    CU_ASSERT_EQUAL_FATAL(
        write_text(bad, XML_HEAD SERVER("server", "server") UE(
                            "ue0", "1e9", "wl_ue0") "<host id=\"slow\" speed=\"0f\"/>\n" XML_TAIL),
        0);
    et_platform_census census = {-1};
    CU_ASSERT_EQUAL(et_platform_precheck(bad, &census, &err), ET_ERR_INPUT);
    CU_ASSERT_EQUAL(census.n_ue, 0);
}

static void discovery_reports_a_platform_without_server(void)
{
    check_error_case(&(err_case){"noserver.xml", XML_HEAD UE("ue0", "1e9", "wl_ue0") XML_TAIL, 1,
                                 "no host has property role=server"});
}

static void discovery_reports_two_servers(void)
{
    check_error_case(&(err_case){"twoservers.xml",
                                 XML_HEAD SERVER("alpha", "server") SERVER("beta", "server")
                                     UE("ue0", "1e9", "wl_ue0") XML_TAIL,
                                 1, "hosts 'alpha' and 'beta' both have role=server"});
}

static void discovery_reports_a_bad_memory_property(void)
{
    check_error_case(&(err_case){"memory.xml",
                                 XML_HEAD SERVER("server", "server") UE("ue0", "1e9", "wl_ue0")
                                     UE("ue3", "abc", "wl_ue3") XML_TAIL,
                                 1,
                                 "host 'ue3': property 'memory_bytes': expected a number > 0, "
                                 "got 'abc'"});
}

static void discovery_reports_a_link_property_naming_a_missing_link(void)
{
    check_error_case(&(err_case){
        "link.xml", XML_HEAD SERVER("server", "server") UE("ue2", "1e9", "wl_ue9") XML_TAIL, 1,
        "host 'ue2': link 'wl_ue9_UP' not found"});
}

static void discovery_reports_a_link_property_off_the_route(void)
{
    /* Both links exist, but ue1's property names ue0's link. */
    check_error_case(&(err_case){"offroute.xml",
                                 XML_HEAD SERVER("server", "server") UE("ue0", "1e9", "wl_ue0")
                                     UE("ue1", "1e9", "wl_ue0") XML_TAIL,
                                 1,
                                 "host 'ue1': route to 'server' does not start with link "
                                 "'wl_ue0_UP'"});
}

static void discovery_reports_an_unknown_role(void)
{
    check_error_case(&(err_case){"role.xml",
                                 XML_HEAD SERVER("server", "server") SERVER("cloud", "cloud")
                                     UE("ue0", "1e9", "wl_ue0") XML_TAIL,
                                 1,
                                 "host 'cloud': property 'role': expected 'server', 'ue' or 'ap'"});
}

static void wifi_discovery_reports_a_wifi_link_that_is_not_wifi(void)
{
    check_error_case(&(err_case){
        "notwifi.xml",
        XML_HEAD "<host id=\"server\" speed=\"1e12f\"><prop id=\"role\" value=\"server\"/>"
                 "<prop id=\"wifi_link\" value=\"bh_server_UP\"/>"
                 "<prop id=\"wifi_rates_bps\" value=\"54e6\"/>"
                 "<prop id=\"wifi_min_snr_db\" value=\"20\"/></host>\n"
                 "<link id=\"bh_server\" bandwidth=\"1Gbps\" latency=\"1ms\" "
                 "sharing_policy=\"SPLITDUPLEX\"/>\n"
                 "<host_link id=\"server\" up=\"bh_server_UP\" down=\"bh_server_DOWN\"/>\n" UE(
                     "ue0", "1e9", "wl_ue0") XML_TAIL,
        1, "link 'bh_server_UP' must be declared with sharing_policy=\"WIFI\""});
}

/* A UE attached to cell (its AP host), 10 m east of the origin. */
#define UE_IN(id, cell)                                                                            \
    "<host id=\"" id "\" speed=\"1e12f\"><prop id=\"role\" value=\"ue\"/>"                         \
    "<prop id=\"class\" value=\"car\"/><prop id=\"memory_bytes\" value=\"1e9\"/>"                  \
    "<prop id=\"x_m\" value=\"10\"/><prop id=\"y_m\" value=\"0\"/>"                                \
    "<prop id=\"link\" value=\"wl_" id "\"/><prop id=\"cell\" value=\"" cell "\"/>"                \
    "<prop id=\"bandwidth_up_hz\" value=\"2e7\"/><prop id=\"bandwidth_down_hz\" value=\"2e7\"/>"   \
    "</host>\n"                                                                                    \
    "<link id=\"wl_" id "\" bandwidth=\"50Mbps\" latency=\"5ms\" "                                 \
    "sharing_policy=\"SPLITDUPLEX\"/>\n"                                                           \
    "<host_link id=\"" id "\" up=\"wl_" id "_UP\" down=\"wl_" id "_DOWN\"/>\n"
/* An AP host with the given extra properties. */
#define AP(id, props)                                                                              \
    "<host id=\"" id "\" speed=\"1f\"><prop id=\"role\" value=\"ap\"/>" props "</host>\n"
#define PROP(k, v) "<prop id=\"" k "\" value=\"" v "\"/>"
#define GOOD_AP(id, server) AP(id, PROP("x_m", "0") PROP("y_m", "0") PROP("server", server))

static void discovery_accepts_a_hand_written_cell(void)
{
    /* The same file as the error cases below, with nothing wrong: the
     * errors are the property at fault, not the shape. */
    check_error_case(&(err_case){"goodcell.xml",
                                 XML_HEAD SERVER("server", "server") GOOD_AP("ap0", "server")
                                     UE_IN("ue0", "ap0") UE("ue1", "abc", "wl_ue1") XML_TAIL,
                                 1, "host 'ue1': property 'memory_bytes'"});
}

static void discovery_reports_an_ap_without_position(void)
{
    check_error_case(&(err_case){"apx.xml",
                                 XML_HEAD SERVER("server", "server")
                                     AP("ap0", PROP("y_m", "0") PROP("server", "server"))
                                         UE_IN("ue0", "ap0") XML_TAIL,
                                 1, "host 'ap0': property 'x_m' is missing"});
}

static void discovery_reports_an_ap_with_a_bad_radius(void)
{
    check_error_case(&(err_case){"apradius.xml",
                                 XML_HEAD SERVER("server", "server")
                                     AP("ap0", PROP("x_m", "0") PROP("y_m", "0")
                                                   PROP("radius_m", "-5") PROP("server", "server"))
                                         UE_IN("ue0", "ap0") XML_TAIL,
                                 1,
                                 "host 'ap0': property 'radius_m': expected a number > 0, "
                                 "got '-5'"});
}

static void discovery_reports_an_ap_without_server(void)
{
    check_error_case(&(err_case){"apnoserver.xml",
                                 XML_HEAD SERVER("server", "server")
                                     AP("ap0", PROP("x_m", "0") PROP("y_m", "0"))
                                         UE_IN("ue0", "ap0") XML_TAIL,
                                 1, "host 'ap0': property 'server' is missing"});
}

static void discovery_reports_an_ap_whose_server_is_not_a_server(void)
{
    check_error_case(&(err_case){
        "apwrongserver.xml",
        XML_HEAD SERVER("server", "server") GOOD_AP("ap0", "ue0") UE_IN("ue0", "ap0") XML_TAIL, 1,
        "host 'ap0': property 'server': expected the name of a host with "
        "role=server, got 'ue0' (host 'ue0' has role=ue)"});
    check_error_case(&(err_case){"apnoneserver.xml",
                                 XML_HEAD SERVER("server", "server") GOOD_AP("ap0", "edge9")
                                     UE_IN("ue0", "ap0") XML_TAIL,
                                 1, "got 'edge9' (no host has that name)"});
}

static void discovery_reports_a_dangling_cell_reference(void)
{
    check_error_case(&(err_case){"dangling.xml",
                                 XML_HEAD SERVER("server", "server") GOOD_AP("ap0", "server")
                                     UE_IN("ue0", "ap0") UE_IN("ue1", "ap7") XML_TAIL,
                                 1,
                                 "host 'ue1': property 'cell': expected the name of a host with "
                                 "role=ap, got 'ap7' (no host has that name)"});
    /* Naming a host that exists but is not an AP is dangling too. */
    check_error_case(&(err_case){"cellserver.xml",
                                 XML_HEAD SERVER("server", "server") GOOD_AP("ap0", "server")
                                     UE_IN("ue0", "server") XML_TAIL,
                                 1, "got 'server' (host 'server' has role=server)"});
}

static void discovery_reports_a_ue_without_cell_when_cells_exist(void)
{
    check_error_case(&(err_case){"nocell.xml",
                                 XML_HEAD SERVER("server", "server") GOOD_AP("ap0", "server")
                                     UE_IN("ue0", "ap0") UE("ue1", "1e9", "wl_ue1") XML_TAIL,
                                 1, "host 'ue1': property 'cell' is missing"});
}

static void discovery_reports_a_cell_property_without_any_ap(void)
{
    check_error_case(
        &(err_case){"noap.xml", XML_HEAD SERVER("server", "server") UE_IN("ue0", "ap0") XML_TAIL, 1,
                    "host 'ue0': property 'cell' = 'ap0', but no host has role=ap"});
}

static void discovery_reports_a_ue_outside_its_cells_radius(void)
{
    /* ue0 sits at (10, 0): 490 m from an AP at (500, 0) whose disc is 250 m
     * (a position written relative to the AP, the likely mistake). */
    check_error_case(&(err_case){"outside.xml",
                                 XML_HEAD SERVER("server", "server")
                                     AP("ap1", PROP("x_m", "500") PROP("y_m", "0")
                                                   PROP("radius_m", "250") PROP("server", "server"))
                                         UE_IN("ue0", "ap1") XML_TAIL,
                                 1,
                                 "host 'ue0': position (10, 0) is 490 m from its access point "
                                 "'ap1'"});
}

static void discovery_reports_a_ue_with_no_route_to_its_cells_server(void)
{
    /* Two zones that no zoneRoute joins: SimGrid throws on the route
     * lookup, which must become an error naming the UE and the server. */
    check_error_case(&(err_case){
        "noroute.xml",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE platform SYSTEM "
        "\"https://simgrid.org/simgrid.dtd\">\n<platform version=\"4.1\">\n"
        "<zone id=\"top\" routing=\"Full\">\n"
        "<zone id=\"a\" routing=\"Cluster\">\n" SERVER(
            "server", "server") "</zone>\n"
                                "<zone id=\"b\" routing=\"Cluster\">\n" GOOD_AP("ap0", "server")
                                    UE_IN("ue0", "ap0") "</zone>\n</zone>\n</platform>\n",
        1, "host 'ue0': no route to its server 'server'"});
    /* Routes elsewhere in the zone, but none between these two zones. */
    check_error_case(&(err_case){
        "noroute2.xml",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE platform SYSTEM "
        "\"https://simgrid.org/simgrid.dtd\">\n<platform version=\"4.1\">\n"
        "<zone id=\"top\" routing=\"Full\">\n"
        "<zone id=\"a\" routing=\"Cluster\">\n" SERVER(
            "server",
            "server") "</zone>\n"
                      "<zone id=\"b\" routing=\"Cluster\">\n" GOOD_AP("ap0", "server") UE_IN(
                          "ue0",
                          "ap0") "</zone>\n"
                                 "<zone id=\"c\" routing=\"Cluster\">\n" GOOD_AP("ap1", "server")
                                     UE_IN(
                                         "ue1",
                                         "ap1") "</zone>\n<link id=\"core\" bandwidth=\"1Gbps\" "
                                                "latency=\"1ms\"/>\n"
                                                "<zoneRoute src=\"c\" dst=\"a\" gw_src=\"ap1\" "
                                                "gw_dst=\"server\"><link_ctn "
                                                "id=\"core\"/></zoneRoute>\n</zone>\n</platform>\n",
        1,
        "host 'ue0': no route to its server 'server' (zone 'top' declares no zoneRoute from zone "
        "'b' to zone 'a')"});
    /* No route at all in the zone: SimGrid has no routing table to read. */
    check_error_case(&(err_case){
        "noroute3.xml",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE platform SYSTEM "
        "\"https://simgrid.org/simgrid.dtd\">\n<platform version=\"4.1\">\n"
        "<zone id=\"top\" routing=\"Floyd\">\n"
        "<zone id=\"a\" routing=\"Cluster\">\n" SERVER(
            "server", "server") "</zone>\n"
                                "<zone id=\"b\" routing=\"Cluster\">\n" GOOD_AP("ap0", "server")
                                    UE_IN("ue0", "ap0") "</zone>\n</zone>\n</platform>\n",
        1, "host 'ue0': no route to its server 'server' (zone 'top' declares no route at all"});
}

static void discovery_reports_several_servers_without_cells_and_cells_on_wifi(void)
{
    /* Two servers are fine with cells naming them, not without. */
    check_error_case(&(err_case){"twocells.xml",
                                 XML_HEAD SERVER("s0", "server") SERVER("s1", "server")
                                     GOOD_AP("ap0", "s0") GOOD_AP("ap1", "s1") UE_IN("ue0", "ap0")
                                         UE_IN("ue1", "ap1") UE("ue2", "0", "wl_ue2") XML_TAIL,
                                 1, "host 'ue2': property 'memory_bytes'"});
    check_error_case(&(err_case){
        "wificells.xml",
        XML_HEAD "<host id=\"server\" speed=\"1e12f\"><prop id=\"role\" value=\"server\"/>"
                 "<prop id=\"wifi_link\" value=\"air\"/></host>\n" GOOD_AP("ap0", "server")
                     UE_IN("ue0", "ap0") XML_TAIL,
        1,
        "host 'server': property 'wifi_link': a platform with AP hosts (role=ap) declares each "
        "Wi-Fi cell's WIFI link on its AP host, not on a server"});
}

/* ------------------------------------------------------------------------- */
/* Mixed platforms: cellular and Wi-Fi cells                                  */

typedef struct mixed_result {
    et_status st;
    char msg[768];
    int access, n_cells, n_ue;
    char cell_name[3][16];
    int cell_access[3], wifi_levels[3];
    double wifi_rate0_bps[3];
    char wifi_link[3][16];
    int has_ue_tx_power[3];
    double ue_tx_power_dbm[3];
    int ue_cell[6], ue_has_links[6];
    char ue_name[6][16];
} mixed_result;

static void mixed_body(void *out)
{
    mixed_result *r = out;
    et_error err;
    et_topology t;
    char path[1024];
    snprintf(path, sizeof path, "%s/platforms/mixed-3cell.xml", ET_SOURCE_DIR);
    if ((r->st = et_platform_load(path, &err)) != ET_OK ||
        (r->st = et_topology_discover(&t, path, 0, &err)) != ET_OK) {
        snprintf(r->msg, sizeof r->msg, "%s", err.msg);
        return;
    }
    r->access = t.access;
    r->n_cells = t.n_cells;
    r->n_ue = t.n_ue;
    for (int c = 0; c < 3 && c < t.n_cells; c++) {
        snprintf(r->cell_name[c], sizeof r->cell_name[c], "%s", t.cells[c].name);
        r->cell_access[c] = t.cells[c].access;
        r->wifi_levels[c] = t.cells[c].wifi.n_levels;
        r->wifi_rate0_bps[c] = t.cells[c].wifi.rate_bps[0];
        snprintf(r->wifi_link[c], sizeof r->wifi_link[c], "%s",
                 t.cells[c].wifi.link ? sg_link_get_name(t.cells[c].wifi.link) : "");
        r->has_ue_tx_power[c] = t.aps[c].has_ue_tx_power;
        r->ue_tx_power_dbm[c] = t.aps[c].ue_tx_power_dbm;
    }
    for (int i = 0; i < 6 && i < t.n_ue; i++) {
        snprintf(r->ue_name[i], sizeof r->ue_name[i], "%s", t.ues[i].name);
        r->ue_cell[i] = t.ues[i].cell;
        r->ue_has_links[i] = t.ues[i].link_up && t.ues[i].link_down;
    }
    et_topology_clear(&t);
}

/* The shipped mixed platform: two cellular cells and a Wi-Fi cell whose AP host carries its
 * WIFI link, levels and its stations' 15 dBm; each UE's radio is its cell's (cellular UEs
 * have their links and the key's power, Wi-Fi stations no link). */
static void discovery_finds_cellular_and_wifi_cells_in_one_platform(void)
{
    mixed_result r = {0};
    CU_ASSERT_EQUAL_FATAL(run_in_child(mixed_body, &r, sizeof r), 0);
    if (r.st != ET_OK) fprintf(stderr, "\n  %s\n", r.msg);
    CU_ASSERT_EQUAL_FATAL(r.st, ET_OK);
    CU_ASSERT_EQUAL(r.access, ET_ACCESS_MIXED);
    CU_ASSERT_EQUAL_FATAL(r.n_cells, 3);
    CU_ASSERT_EQUAL_FATAL(r.n_ue, 6);
    /* Cells in AP-name order: cafe, macro, small. */
    CU_ASSERT_STRING_EQUAL(r.cell_name[0], "cafe");
    CU_ASSERT_EQUAL(r.cell_access[0], ET_ACCESS_WIFI);
    CU_ASSERT_EQUAL(r.wifi_levels[0], 10);
    CU_ASSERT_DOUBLE_EQUAL(r.wifi_rate0_bps[0], 390e6, 0);
    CU_ASSERT_STRING_EQUAL(r.wifi_link[0], "cafe_air");
    CU_ASSERT_EQUAL(r.has_ue_tx_power[0], 1);
    CU_ASSERT_DOUBLE_EQUAL(r.ue_tx_power_dbm[0], 15, 0);
    CU_ASSERT_EQUAL(r.has_ue_tx_power[1], 0);
    CU_ASSERT_EQUAL(r.has_ue_tx_power[2], 0);
    CU_ASSERT_STRING_EQUAL(r.cell_name[1], "macro");
    CU_ASSERT_EQUAL(r.cell_access[1], ET_ACCESS_OFDMA);
    CU_ASSERT_EQUAL(r.wifi_levels[1], 0);
    CU_ASSERT_STRING_EQUAL(r.cell_name[2], "small");
    CU_ASSERT_EQUAL(r.cell_access[2], ET_ACCESS_OFDMA);
    /* UEs in name order: jetson3, laptop2 (small), laptop5 (cafe), phone0 (macro), phone4
     * (cafe), tablet1 (macro). */
    static const char *const names[6] = {"jetson3", "laptop2", "laptop5",
                                         "phone0",  "phone4",  "tablet1"};
    static const int cells[6] = {2, 2, 0, 1, 0, 1};
    for (int i = 0; i < 6; i++) {
        CU_ASSERT_STRING_EQUAL(r.ue_name[i], names[i]);
        CU_ASSERT_EQUAL(r.ue_cell[i], cells[i]);
        CU_ASSERT_EQUAL(r.ue_has_links[i], cells[i] != 0);
    }
}

/* The shipped mixed platform with one property of its Wi-Fi AP replaced: the error names the
 * file, the AP host and the property. */
static void discovery_reports_a_bad_wifi_cell_on_its_ap_host(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/platforms/mixed-3cell.xml", ET_SOURCE_DIR);
    FILE *f = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    static char text[32768], edited[32768];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    static const struct {
        const char *from, *to, *culprit;
    } edits[3] = {
        {"<prop id=\"wifi_link\" value=\"cafe_air\"/>", "<prop id=\"wifi_link\" value=\"nope\"/>",
         "host 'cafe': property 'wifi_link': link 'nope' not found"},
        {"<prop id=\"wifi_rates_bps\" value=\"390000000,",
         "<prop id=\"wifi_rates_bps\" value=\"400000000,",
         "host 'cafe': property 'wifi_rates_bps': '400000000,"},
        {"<prop id=\"role\" value=\"server\"/>",
         "<prop id=\"role\" value=\"server\"/><prop id=\"wifi_link\" value=\"cafe_air\"/>",
         "host 'mec': property 'wifi_link': a platform with AP hosts (role=ap) declares each Wi-Fi "
         "cell's WIFI link on its AP host, not on a server"},
    };
    for (int k = 0; k < 3; k++) {
        const char *at = strstr(text, edits[k].from);
        CU_ASSERT_PTR_NOT_NULL_FATAL(at);
        snprintf(edited, sizeof edited, "%.*s%s%s", (int)(at - text), text, edits[k].to,
                 at + strlen(edits[k].from));
        char file[32];
        snprintf(file, sizeof file, "mixedbad%d.xml", k);
        check_error_case(&(err_case){file, edited, 1, edits[k].culprit});
    }
}

typedef struct twice_result {
    et_status first, second;
    char msg[768];
} twice_result;

/* ------------------------------------------------------------------------- */
/* Cell radio properties (TR 38.901 scenario, frequency, heights)             */

/* --scenario writes TR 38.901's evaluation layout: UMi (Table 7.2-1) has sites
 * 200 m apart, BS 10 m, UT 1.5 m; every AP carries them with TR 38.913's
 * 4 GHz carrier and the cells' discs are ISD / 2 = 100 m. A single cell puts
 * them on its server; InH places UEs from 1 m (its path loss starts at
 * d_3D = 1 m) in a 10 m disc. */
static void scenario_spec_writes_each_cells_radio_and_evaluation_layout(void)
{
    et_platform_spec s;
    et_platform_spec_default(&s, 6, ET_ACCESS_OFDMA);
    s.n_cells = 3;
    et_platform_spec_set_scenario(&s, ET_PROPAGATION_UMI);
    CU_ASSERT_DOUBLE_EQUAL(s.isd_m, 200.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.cell_radius_m, 100.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.h_bs_m, 10.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.h_ut_m, 1.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.frequency_hz, 4e9, 0);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_platform_write(mem, &s, &err), ET_OK);
    fclose(mem);
    const char *want[] = {"<prop id=\"scenario\" value=\"umi\"/>",
                          "<prop id=\"frequency_hz\" value=\"4000000000\"/>",
                          "<prop id=\"h_bs_m\" value=\"10\"/>",
                          "<prop id=\"h_ut_m\" value=\"1.5\"/>",
                          "<prop id=\"radius_m\" value=\"100\"/>",
                          "<prop id=\"x_m\" value=\"200\"/>",
                          "scenario umi, cells 3"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        CU_ASSERT_PTR_NOT_NULL(strstr(text, want[i]));
    /* Three cells, three AP hosts each with one set of properties. */
    int n = 0;
    for (const char *p = text; (p = strstr(p, "value=\"umi\"")); p++)
        n++;
    CU_ASSERT_EQUAL(n, 3);
    free(text);
    /* The default writes none (the scenario keys decide). */
    et_platform_spec_default(&s, 6, ET_ACCESS_OFDMA);
    text = NULL;
    mem = open_memstream(&text, &len);
    CU_ASSERT_EQUAL_FATAL(et_platform_write(mem, &s, &err), ET_OK);
    fclose(mem);
    CU_ASSERT_PTR_NULL(strstr(text, "\"scenario\""));
    free(text);
    /* One InH cell: on the server, UEs from 1 m in a 10 m disc. */
    et_platform_spec_default(&s, 40, ET_ACCESS_OFDMA);
    et_platform_spec_set_scenario(&s, ET_PROPAGATION_INH);
    CU_ASSERT_DOUBLE_EQUAL(s.cell_radius_m, 10.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.min_distance_m, 1.0, 0);
    const char *path = out_path("inh.xml");
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL_FATAL(et_platform_write(f, &s, &err), ET_OK);
    fclose(f);
    text = slurp(path, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    const char *server = strstr(text, "<host id=\"server\"");
    CU_ASSERT_PTR_NOT_NULL_FATAL(server);
    CU_ASSERT(strstr(server, "value=\"inh\"") < strstr(server, "</host>"));
    int below_10 = 0;
    for (const char *p = text; (p = strstr(p, "<prop id=\"x_m\" value=\"")); p++) {
        double x = atof(p + strlen("<prop id=\"x_m\" value=\""));
        const char *q = strstr(p, "<prop id=\"y_m\" value=\"");
        double y = atof(q + strlen("<prop id=\"y_m\" value=\""));
        double r = hypot(x, y);
        CU_ASSERT(r >= 1.0 - 1e-3 && r <= 10.0 + 1e-3);
        below_10 += r < 9.0;
    }
    CU_ASSERT(below_10 > 20); /* area-uniform in [1, 10] m: 80% inside 9 m */
    free(text);
    CU_ASSERT_EQUAL(et_platform_check(path, &err), ET_OK);
}

static void check_refuses_cell_radio_properties_without_meaning(void)
{
#define AP_WITH(props)                                                                             \
    "<host id=\"cell0\" speed=\"1f\"><prop id=\"role\" value=\"ap\"/>" props "</host>"
    static const value_case cases[] = {
        {AP_WITH(PROP("scenario", "umi") PROP("frequency_hz", "3.5e9") PROP("h_bs_m", "10")
                     PROP("h_ut_m", "1.5")),
         NULL},
        {AP_WITH(PROP("scenario", "tr36814")), NULL},
        {AP_WITH(PROP("scenario", "suburban")),
         "host 'cell0': property 'scenario': expected one of uma|umi|rma|inh|tr36814, got "
         "'suburban'"},
        {AP_WITH(PROP("scenario", "UMa")), "host 'cell0': property 'scenario'"},
        /* A frequency in GHz is a unit mistake. */
        {AP_WITH(PROP("frequency_hz", "3.5")),
         "host 'cell0': property 'frequency_hz': expected a number in [5e+08, 1e+11] (Hz: 0.5 "
         "to 100 GHz, the range of TR 38.901), got '3.5'"},
        {AP_WITH(PROP("frequency_hz", "4 GHz")), "host 'cell0': property 'frequency_hz'"},
        {AP_WITH(PROP("h_bs_m", "0")), "host 'cell0': property 'h_bs_m': expected a number in [1, "
                                       "150]"},
        {AP_WITH(PROP("h_ut_m", "30")), "host 'cell0': property 'h_ut_m': expected a number in [1, "
                                        "22.5]"},
        {AP_WITH(PROP("h_ut_m", "nan")), "host 'cell0': property 'h_ut_m'"},
    };
#undef AP_WITH
    check_value_cases(cases, sizeof cases / sizeof cases[0]);
}

typedef struct radio_result {
    et_status st;
    char msg[768];
    int n_cells;
    int scenario[2];
    double frequency_hz[2], h_bs_m[2], h_ut_m[2];
    et_propagation merged[2];
} radio_result;

static void radio_body(void *out)
{
    radio_result *r = out;
    et_error err;
    et_topology t;
    const char *path = out_path("metro-rma.xml");
    et_platform_spec s;
    et_platform_spec_default(&s, 4, ET_ACCESS_OFDMA);
    s.n_cells = 2;
    et_platform_spec_set_scenario(&s, ET_PROPAGATION_RMA);
    FILE *f = fopen(path, "w");
    if (!f) return;
    r->st = et_platform_write(f, &s, &err);
    fclose(f);
    if (r->st != ET_OK || (r->st = et_platform_load(path, &err)) != ET_OK ||
        (r->st = et_topology_discover(&t, path, 0, &err)) != ET_OK) {
        snprintf(r->msg, sizeof r->msg, "%s", err.msg);
        return;
    }
    r->n_cells = t.n_cells;
    et_propagation keys = {
        .scenario = ET_PROPAGATION_UMA, .frequency_hz = 3.5e9, .h_bs_m = 0, .h_ut_m = 0};
    for (int c = 0; c < 2 && c < t.n_cells; c++) {
        r->scenario[c] = t.cells[c].scenario;
        r->frequency_hz[c] = t.cells[c].frequency_hz;
        r->h_bs_m[c] = t.cells[c].h_bs_m;
        r->h_ut_m[c] = t.cells[c].h_ut_m;
        r->merged[c] = et_cell_propagation(&t.cells[c], &keys);
        CU_ASSERT_PTR_NULL(t.aps[c].prop); /* the simulator's to set */
    }
    et_topology_clear(&t);
}

/* Discovery reads each AP's radio properties; what a cell leaves out, the
 * scenario keys fill (et_cell_propagation). */
static void discovery_reads_each_cells_radio_properties(void)
{
    radio_result r = {0};
    CU_ASSERT_EQUAL_FATAL(run_in_child(radio_body, &r, sizeof r), 0);
    CU_ASSERT_EQUAL_FATAL(r.st, ET_OK);
    if (r.st != ET_OK) fprintf(stderr, "\n  %s\n", r.msg);
    CU_ASSERT_EQUAL(r.n_cells, 2);
    for (int c = 0; c < 2; c++) {
        CU_ASSERT_EQUAL(r.scenario[c], ET_PROPAGATION_RMA);
        CU_ASSERT_DOUBLE_EQUAL(r.frequency_hz[c], 4e9, 0);
        CU_ASSERT_DOUBLE_EQUAL(r.h_bs_m[c], 35.0, 0);
        CU_ASSERT_DOUBLE_EQUAL(r.h_ut_m[c], 1.5, 0);
        CU_ASSERT_EQUAL(r.merged[c].scenario, ET_PROPAGATION_RMA);
        CU_ASSERT_DOUBLE_EQUAL(r.merged[c].frequency_hz, 4e9, 0);
    }
    et_cell bare = {.scenario = -1};
    et_propagation keys = {
        .scenario = ET_PROPAGATION_UMI, .frequency_hz = 2e9, .h_bs_m = 0, .h_ut_m = 2};
    et_propagation m = et_cell_propagation(&bare, &keys);
    CU_ASSERT_EQUAL(m.scenario, ET_PROPAGATION_UMI);
    CU_ASSERT_DOUBLE_EQUAL(m.frequency_hz, 2e9, 0);
    CU_ASSERT_DOUBLE_EQUAL(m.h_ut_m, 2.0, 0);
}

static void discovery_refuses_cell_radio_properties_on_a_ue_or_a_metro_server(void)
{
    check_error_case(&(err_case){
        "radio-ue.xml",
        XML_HEAD SERVER(
            "server",
            "server") "<host id=\"ue0\" speed=\"1e12f\"><prop id=\"role\" "
                      "value=\"ue\"/><prop id=\"scenario\" value=\"umi\"/></host>\n" XML_TAIL,
        1, "host 'ue0': property 'scenario': a cell's radio property"});
    check_error_case(&(err_case){
        "radio-server.xml",
        XML_HEAD "<host id=\"server\" speed=\"1e12f\"><prop id=\"role\" value=\"server\"/>"
                 "<prop id=\"h_bs_m\" value=\"10\"/></host>\n"
                 "<link id=\"bh_server\" bandwidth=\"1Gbps\" latency=\"1ms\" "
                 "sharing_policy=\"SPLITDUPLEX\"/>\n"
                 "<host_link id=\"server\" up=\"bh_server_UP\" down=\"bh_server_DOWN\"/>\n" GOOD_AP(
                     "ap0", "server") UE_IN("ue0", "ap0") XML_TAIL,
        1, "host 'server': property 'h_bs_m': a platform with AP hosts"});
}

/* A cell's carrier and AP power properties: the values of the channel keys of the same
 * names, each refused alone with the host and the property named. */
static void check_refuses_cell_carrier_and_power_properties_without_meaning(void)
{
#define AP_WITH(props)                                                                             \
    "<host id=\"cell0\" speed=\"1f\"><prop id=\"role\" value=\"ap\"/>" props "</host>"
    static const value_case cases[] = {
        {AP_WITH(PROP("duplex", "tdd") PROP("carrier_hz", "40e6") PROP("tdd_pattern", "DDSUU")
                     PROP("tdd_special_slot", "6:4:4") PROP("ap_tx_power_dbm", "30")),
         NULL},
        {AP_WITH(PROP("duplex", "fdd") PROP("carrier_down_hz", "20e6") PROP("carrier_up_hz", "5e6")
                     PROP("ap_tx_power_dbm", "-3.5")),
         NULL},
        {AP_WITH(PROP("ap_tx_power_dbm", "0")), NULL}, /* 0 dBm is a power, not "none" */
        {AP_WITH(PROP("duplex", "TDD")),
         "host 'cell0': property 'duplex': expected one of tdd|fdd, got 'TDD'"},
        {AP_WITH(PROP("duplex", "half")), "host 'cell0': property 'duplex'"},
        /* A bandwidth in MHz is a unit mistake. */
        {AP_WITH(PROP("carrier_hz", "100")),
         "host 'cell0': property 'carrier_hz': expected a number in [100000, 1e+10] (Hz: the "
         "TDD carrier's bandwidth in this cell), got '100'"},
        {AP_WITH(PROP("carrier_down_hz", "0")), "host 'cell0': property 'carrier_down_hz'"},
        {AP_WITH(PROP("carrier_up_hz", "2e7 Hz")), "host 'cell0': property 'carrier_up_hz'"},
        {AP_WITH(PROP("ap_tx_power_dbm", "46dBm")),
         "host 'cell0': property 'ap_tx_power_dbm': expected a number in [-30, 60] (dBm: this "
         "cell's AP transmit power), got '46dBm'"},
        /* A power in mW is a unit mistake too. */
        {AP_WITH(PROP("ap_tx_power_dbm", "200")), "host 'cell0': property 'ap_tx_power_dbm'"},
        {AP_WITH(PROP("ap_tx_power_dbm", "nan")), "host 'cell0': property 'ap_tx_power_dbm'"},
        /* The UEs' power: channel.ue_tx_power_dbm's range, [-30, 40]. */
        {AP_WITH(PROP("ue_tx_power_dbm", "15") PROP("ap_tx_power_dbm", "20")), NULL},
        {AP_WITH(PROP("ue_tx_power_dbm", "-30")), NULL},
        {AP_WITH(PROP("ue_tx_power_dbm", "40")), NULL},
        {AP_WITH(PROP("ue_tx_power_dbm", "23 dBm")),
         "host 'cell0': property 'ue_tx_power_dbm': expected a number in [-30, 40] (dBm: the "
         "transmit power of this cell's UEs), got '23 dBm'"},
        {AP_WITH(PROP("ue_tx_power_dbm", "41")), "host 'cell0': property 'ue_tx_power_dbm'"},
        {AP_WITH(PROP("ue_tx_power_dbm", "200")), "host 'cell0': property 'ue_tx_power_dbm'"},
        {AP_WITH(PROP("ue_tx_power_dbm", "")), "host 'cell0': property 'ue_tx_power_dbm'"},
        {AP_WITH(PROP("ue_tx_power_dbm", "inf")), "host 'cell0': property 'ue_tx_power_dbm'"},
        {AP_WITH(PROP("tdd_pattern", "DDDXU")),
         "host 'cell0': property 'tdd_pattern': expected 1 to 80 slots, each D (downlink), U "
         "(uplink) or S (special), with time in both directions, such as DDDSU, got 'DDDXU'"},
        {AP_WITH(PROP("tdd_pattern", "DDDD")), "host 'cell0': property 'tdd_pattern'"},
        {AP_WITH(PROP("tdd_pattern", "")), "host 'cell0': property 'tdd_pattern'"},
        {AP_WITH(PROP("tdd_special_slot", "10:2:1")),
         "host 'cell0': property 'tdd_special_slot': expected \"d:g:u\""},
        {AP_WITH(PROP("tdd_special_slot", "10:2:2:0")),
         "host 'cell0': property 'tdd_special_slot'"},
    };
#undef AP_WITH
    check_value_cases(cases, sizeof cases / sizeof cases[0]);
}

typedef struct carrier_result {
    et_status st;
    char msg[768];
    int n_cells;
    int duplex[3];
    double carrier_hz[3], carrier_down_hz[3], carrier_up_hz[3], ap_tx_power_dbm[3];
    char tdd_pattern[3][16], tdd_special_slot[3][16];
    int has_tx_power[3];
    double aps_tx_power_dbm[3];
    double ue_tx_power_dbm[3]; /* et_cell's */
    int has_ue_tx_power[3];
    double aps_ue_tx_power_dbm[3];
} carrier_result;

static const char *carrier_case_xml;

static void carrier_body(void *out)
{
    carrier_result *r = out;
    et_error err;
    et_topology t;
    const char *path = out_path("carrier.xml");
    if (write_text(path, carrier_case_xml) != 0) return;
    if ((r->st = et_platform_load(path, &err)) != ET_OK ||
        (r->st = et_topology_discover(&t, path, 0, &err)) != ET_OK) {
        snprintf(r->msg, sizeof r->msg, "%s", err.msg);
        return;
    }
    r->n_cells = t.n_cells;
    for (int c = 0; c < 3 && c < t.n_cells; c++) {
        const et_cell *cell = &t.cells[c];
        r->duplex[c] = cell->duplex;
        r->carrier_hz[c] = cell->carrier_hz;
        r->carrier_down_hz[c] = cell->carrier_down_hz;
        r->carrier_up_hz[c] = cell->carrier_up_hz;
        r->ap_tx_power_dbm[c] = cell->ap_tx_power_dbm;
        snprintf(r->tdd_pattern[c], sizeof r->tdd_pattern[c], "%s",
                 cell->tdd_pattern ? cell->tdd_pattern : "(none)");
        snprintf(r->tdd_special_slot[c], sizeof r->tdd_special_slot[c], "%s",
                 cell->tdd_special_slot ? cell->tdd_special_slot : "(none)");
        r->has_tx_power[c] = t.aps[c].has_tx_power;
        r->aps_tx_power_dbm[c] = t.aps[c].tx_power_dbm;
        r->ue_tx_power_dbm[c] = cell->ue_tx_power_dbm;
        r->has_ue_tx_power[c] = t.aps[c].has_ue_tx_power;
        r->aps_ue_tx_power_dbm[c] = t.aps[c].ue_tx_power_dbm;
    }
    et_topology_clear(&t);
}

/* Discovery reads each AP's carrier and powers as declared (what a cell leaves out stays
 * unset: the keys fill it), and puts a declared power (the AP's, its UEs') into the cell's
 * et_channel_ap; a single-cell platform declares them on its server. */
static void discovery_reads_each_cells_carrier_and_ap_power(void)
{
    carrier_case_xml = XML_HEAD SERVER("server", "server")
        AP("ap0", PROP("x_m", "0") PROP("y_m", "0") PROP("server", "server") PROP("duplex", "tdd")
                      PROP("carrier_hz", "4e7") PROP("tdd_pattern", "DDSUU"))
            AP("ap1",
               PROP("x_m", "500") PROP("y_m", "0") PROP("server", "server") PROP("duplex", "fdd")
                   PROP("carrier_down_hz", "2e7") PROP("carrier_up_hz", "1e7")
                       PROP("ap_tx_power_dbm", "30") PROP("ue_tx_power_dbm", "15"))
                AP("ap2", PROP("x_m", "0") PROP("y_m", "500") PROP("server", "server")
                              PROP("ap_tx_power_dbm", "0") PROP("tdd_special_slot", "6:4:4")
                                  PROP("ue_tx_power_dbm", "0")) UE_IN("ue0", "ap0")
                    UE_IN("ue1", "ap1") UE_IN("ue2", "ap2") XML_TAIL;
    carrier_result r = {0};
    CU_ASSERT_EQUAL_FATAL(run_in_child(carrier_body, &r, sizeof r), 0);
    if (r.st != ET_OK) fprintf(stderr, "\n  %s\n", r.msg);
    CU_ASSERT_EQUAL_FATAL(r.st, ET_OK);
    CU_ASSERT_EQUAL_FATAL(r.n_cells, 3);
    CU_ASSERT_EQUAL(r.duplex[0], ET_DUPLEX_TDD);
    CU_ASSERT_EQUAL(r.duplex[1], ET_DUPLEX_FDD);
    CU_ASSERT_EQUAL(r.duplex[2], -1);
    CU_ASSERT_DOUBLE_EQUAL(r.carrier_hz[0], 4e7, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.carrier_hz[1], 0, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.carrier_down_hz[1], 2e7, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.carrier_up_hz[1], 1e7, 0);
    CU_ASSERT_DOUBLE_EQUAL(r.carrier_down_hz[0], 0, 0);
    CU_ASSERT_STRING_EQUAL(r.tdd_pattern[0], "DDSUU");
    CU_ASSERT_STRING_EQUAL(r.tdd_special_slot[0], "(none)");
    CU_ASSERT_STRING_EQUAL(r.tdd_pattern[2], "(none)");
    CU_ASSERT_STRING_EQUAL(r.tdd_special_slot[2], "6:4:4");
    /* The powers per cell, NAN where not declared (ap2's 0 dBm is declared). */
    static const double ap_dbm[3] = {NAN, 30, 0}, ue_dbm[3] = {NAN, 15, 0};
    for (int c = 0; c < 3; c++) {
        CU_ASSERT_EQUAL(r.has_tx_power[c], !isnan(ap_dbm[c]));
        CU_ASSERT_EQUAL(r.has_ue_tx_power[c], !isnan(ue_dbm[c]));
        CU_ASSERT(isnan(ap_dbm[c])
                      ? isnan(r.ap_tx_power_dbm[c])
                      : r.ap_tx_power_dbm[c] == ap_dbm[c] && r.aps_tx_power_dbm[c] == ap_dbm[c]);
        CU_ASSERT(isnan(ue_dbm[c])
                      ? isnan(r.ue_tx_power_dbm[c])
                      : r.ue_tx_power_dbm[c] == ue_dbm[c] && r.aps_ue_tx_power_dbm[c] == ue_dbm[c]);
    }

    /* The implicit cell of a single-cell platform: on the server. */
    carrier_case_xml =
        XML_HEAD "<host id=\"server\" speed=\"1e12f\"><prop id=\"role\" value=\"server\"/>" PROP(
            "duplex", "fdd") PROP("ap_tx_power_dbm", "24")
            PROP("ue_tx_power_dbm",
                 "15") "</host>\n"
                       "<link id=\"bh_server\" bandwidth=\"1Gbps\" latency=\"1ms\" "
                       "sharing_policy=\"SPLITDUPLEX\"/>\n"
                       "<host_link id=\"server\" up=\"bh_server_UP\" "
                       "down=\"bh_server_DOWN\"/>\n" UE("ue0", "1e9", "wl_ue0") XML_TAIL;
    memset(&r, 0, sizeof r);
    CU_ASSERT_EQUAL_FATAL(run_in_child(carrier_body, &r, sizeof r), 0);
    if (r.st != ET_OK) fprintf(stderr, "\n  %s\n", r.msg);
    CU_ASSERT_EQUAL_FATAL(r.st, ET_OK);
    CU_ASSERT_EQUAL(r.n_cells, 1);
    CU_ASSERT_EQUAL(r.duplex[0], ET_DUPLEX_FDD);
    CU_ASSERT_EQUAL(r.has_tx_power[0], 1);
    CU_ASSERT_DOUBLE_EQUAL(r.aps_tx_power_dbm[0], 24, 0);
    CU_ASSERT_EQUAL(r.has_ue_tx_power[0], 1);
    CU_ASSERT_DOUBLE_EQUAL(r.aps_ue_tx_power_dbm[0], 15, 0);
}

/* A pattern and a special slot given together must leave both directions time (each alone
 * passes the pre-check); the carrier and power belong to the cell, as the propagation does. */
static void discovery_refuses_a_tdd_pair_without_uplink_and_carrier_properties_off_the_cell(void)
{
    check_error_case(&(err_case){
        "tdd-pair.xml",
        XML_HEAD SERVER("server", "server")
            AP("ap0", PROP("x_m", "0") PROP("y_m", "0") PROP("server", "server")
                          PROP("tdd_pattern", "DDDS") PROP("tdd_special_slot", "12:2:0"))
                UE_IN("ue0", "ap0") XML_TAIL,
        1,
        "host 'ap0': property 'tdd_pattern': expected a pattern with time in both directions, got "
        "'DDDS' with tdd_special_slot '12:2:0'"});
    check_error_case(&(err_case){
        "power-ue.xml",
        XML_HEAD SERVER("server", "server") "<host id=\"ue0\" speed=\"1e12f\"><prop id=\"role\" "
                                            "value=\"ue\"/><prop id=\"ap_tx_power_dbm\" "
                                            "value=\"30\"/></host>\n" XML_TAIL,
        1, "host 'ue0': property 'ap_tx_power_dbm': a cell's radio property"});
    check_error_case(&(err_case){
        "duplex-server.xml",
        XML_HEAD "<host id=\"server\" speed=\"1e12f\"><prop id=\"role\" value=\"server\"/>"
                 "<prop id=\"duplex\" value=\"fdd\"/></host>\n"
                 "<link id=\"bh_server\" bandwidth=\"1Gbps\" latency=\"1ms\" "
                 "sharing_policy=\"SPLITDUPLEX\"/>\n"
                 "<host_link id=\"server\" up=\"bh_server_UP\" down=\"bh_server_DOWN\"/>\n" GOOD_AP(
                     "ap0", "server") UE_IN("ue0", "ap0") XML_TAIL,
        1, "host 'server': property 'duplex': a platform with AP hosts"});
}

static void twice_body(void *out)
{
    twice_result *r = out;
    et_error err;
    const char *bad = out_path("twice-bad.xml");
    write_text(bad, XML_HEAD "<host id=\"server\" speed=\"1e9f\">\n" XML_TAIL);
    r->first = et_platform_load(bad, &err);
    const char *good = out_path("twice-good.xml");
    if (generate(good, 2, ET_ACCESS_OFDMA, 1, &err) != ET_OK) return;
    r->second = et_platform_load(good, &err);
    snprintf(r->msg, sizeof r->msg, "%s", err.msg);
}

/* A failed parse leaves a half-built platform in SimGrid ("Refusing to
 * create a second NetZone"): the next load must fail cleanly, not abort. */
static void load_after_a_failed_load_fails_without_aborting(void)
{
    twice_result r;
    CU_ASSERT_EQUAL_FATAL(run_in_child(twice_body, &r, sizeof r), 0);
    CU_ASSERT_EQUAL(r.first, ET_ERR_INPUT);
    CU_ASSERT_NOT_EQUAL(r.second, ET_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.msg, "twice-good.xml"));
}

int main(int argc, char **argv)
{
    /* Quiet SimGrid, and the network model the wireless links need
     * (docs/platforms.md): CM02 makes a transfer take exactly S/B + latency. */
    char *sg_argv[] = {argc > 0 ? argv[0] : "test_platform", "--log=root.thres:critical",
                       "--cfg=network/model:CM02", "--cfg=network/crosstraffic:0", NULL};
    int sg_argc = 4;
    simgrid_init(&sg_argc, sg_argv);

    static const et_test_case cases[] = {
        {"default_spec_holds_the_documented_values", default_spec_holds_the_documented_values},
        {"generator_is_deterministic_and_seed_dependent",
         generator_is_deterministic_and_seed_dependent},
        {"shipped_platforms_equal_the_generator_output",
         shipped_platforms_equal_the_generator_output},
        {"generator_rejects_an_invalid_spec_naming_the_field",
         generator_rejects_an_invalid_spec_naming_the_field},
        {"six_ue_platform_discovers_one_server_and_six_sorted_ues",
         six_ue_platform_discovers_one_server_and_six_sorted_ues},
        {"one_megabyte_takes_size_over_wireless_rate_plus_latencies",
         one_megabyte_takes_size_over_wireless_rate_plus_latencies},
        {"hex_sites_are_one_isd_from_their_nearest_neighbour",
         hex_sites_are_one_isd_from_their_nearest_neighbour},
        {"metro_generator_is_deterministic_and_seed_dependent",
         metro_generator_is_deterministic_and_seed_dependent},
        {"two_cell_platform_discovers_cells_own_servers_and_each_ues_cell",
         two_cell_platform_discovers_cells_own_servers_and_each_ues_cell},
        {"two_cell_platform_with_a_shared_server_routes_through_backhaul_and_core",
         two_cell_platform_with_a_shared_server_routes_through_backhaul_and_core},
        {"wifi_platform_attaches_every_ue_and_carries_transfers",
         wifi_platform_attaches_every_ue_and_carries_transfers},
        {"ten_thousand_ues_generate_load_and_discover",
         ten_thousand_ues_generate_load_and_discover},
        {"ten_thousand_ues_in_a_hundred_cells_load_in_modest_memory",
         ten_thousand_ues_in_a_hundred_cells_load_in_modest_memory},
        {"load_reports_a_missing_file", load_reports_a_missing_file},
        {"load_reports_malformed_xml_with_its_line", load_reports_malformed_xml_with_its_line},
        {"load_reports_an_unknown_attribute_with_its_line",
         load_reports_an_unknown_attribute_with_its_line},
        {"load_reports_a_bad_number_with_its_line", load_reports_a_bad_number_with_its_line},
        {"load_reports_a_missing_profile_file_instead_of_aborting",
         load_reports_a_missing_profile_file_instead_of_aborting},
        {"load_reports_a_host_link_to_an_undeclared_link_instead_of_aborting",
         load_reports_a_host_link_to_an_undeclared_link_instead_of_aborting},
        {"check_refuses_host_speeds_cores_and_pstates_without_meaning",
         check_refuses_host_speeds_cores_and_pstates_without_meaning},
        {"check_refuses_link_bandwidths_and_latencies_without_meaning",
         check_refuses_link_bandwidths_and_latencies_without_meaning},
        {"check_refuses_cluster_cabinet_and_peer_figures_without_meaning",
         check_refuses_cluster_cabinet_and_peer_figures_without_meaning},
        {"shipped_and_generated_platforms_pass_the_value_check",
         shipped_and_generated_platforms_pass_the_value_check},
        {"census_counts_the_ue_hosts_discovery_finds", census_counts_the_ue_hosts_discovery_finds},
        {"discovery_reports_a_platform_without_server",
         discovery_reports_a_platform_without_server},
        {"discovery_reports_two_servers", discovery_reports_two_servers},
        {"discovery_reports_a_bad_memory_property", discovery_reports_a_bad_memory_property},
        {"discovery_reports_a_link_property_naming_a_missing_link",
         discovery_reports_a_link_property_naming_a_missing_link},
        {"discovery_reports_a_link_property_off_the_route",
         discovery_reports_a_link_property_off_the_route},
        {"discovery_reports_an_unknown_role", discovery_reports_an_unknown_role},
        {"wifi_discovery_reports_a_wifi_link_that_is_not_wifi",
         wifi_discovery_reports_a_wifi_link_that_is_not_wifi},
        {"discovery_accepts_a_hand_written_cell", discovery_accepts_a_hand_written_cell},
        {"discovery_reports_an_ap_without_position", discovery_reports_an_ap_without_position},
        {"discovery_reports_an_ap_with_a_bad_radius", discovery_reports_an_ap_with_a_bad_radius},
        {"discovery_reports_an_ap_without_server", discovery_reports_an_ap_without_server},
        {"discovery_reports_an_ap_whose_server_is_not_a_server",
         discovery_reports_an_ap_whose_server_is_not_a_server},
        {"discovery_reports_a_dangling_cell_reference",
         discovery_reports_a_dangling_cell_reference},
        {"discovery_reports_a_ue_without_cell_when_cells_exist",
         discovery_reports_a_ue_without_cell_when_cells_exist},
        {"discovery_reports_a_cell_property_without_any_ap",
         discovery_reports_a_cell_property_without_any_ap},
        {"discovery_reports_a_ue_outside_its_cells_radius",
         discovery_reports_a_ue_outside_its_cells_radius},
        {"discovery_reports_a_ue_with_no_route_to_its_cells_server",
         discovery_reports_a_ue_with_no_route_to_its_cells_server},
        {"discovery_reports_several_servers_without_cells_and_cells_on_wifi",
         discovery_reports_several_servers_without_cells_and_cells_on_wifi},
        {"discovery_finds_cellular_and_wifi_cells_in_one_platform",
         discovery_finds_cellular_and_wifi_cells_in_one_platform},
        {"discovery_reports_a_bad_wifi_cell_on_its_ap_host",
         discovery_reports_a_bad_wifi_cell_on_its_ap_host},
        {"load_after_a_failed_load_fails_without_aborting",
         load_after_a_failed_load_fails_without_aborting},
        {"scenario_spec_writes_each_cells_radio_and_evaluation_layout",
         scenario_spec_writes_each_cells_radio_and_evaluation_layout},
        {"check_refuses_cell_radio_properties_without_meaning",
         check_refuses_cell_radio_properties_without_meaning},
        {"discovery_reads_each_cells_radio_properties",
         discovery_reads_each_cells_radio_properties},
        {"discovery_refuses_cell_radio_properties_on_a_ue_or_a_metro_server",
         discovery_refuses_cell_radio_properties_on_a_ue_or_a_metro_server},
        {"check_refuses_cell_carrier_and_power_properties_without_meaning",
         check_refuses_cell_carrier_and_power_properties_without_meaning},
        {"discovery_reads_each_cells_carrier_and_ap_power",
         discovery_reads_each_cells_carrier_and_ap_power},
        {"discovery_refuses_a_tdd_pair_without_uplink_and_carrier_properties_off_the_cell",
         discovery_refuses_a_tdd_pair_without_uplink_and_carrier_properties_off_the_cell},
        {NULL, NULL},
    };
    return et_test_main("platform", cases);
}
