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
    CU_ASSERT_EQUAL(s.server_cores, 4);
    CU_ASSERT_DOUBLE_EQUAL(s.server_core_flops, 1.25e14, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.backhaul_bps, 10e9, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.backhaul_latency_s, 0.002, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.wireless_latency_s, 0.005, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.bandwidth_up_hz, 20e6, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.bandwidth_down_hz, 20e6, 0);
    CU_ASSERT_DOUBLE_EQUAL(s.cell_radius_m, 250, 0);
    CU_ASSERT_EQUAL(s.seed, 1);
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
    fclose(devnull);
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
    et_topology_destroy(&t);

    et_topology t4;
    if (et_topology_discover(&t4, path, 4, &err) == ET_OK) {
        r->first4_n = t4.n_ue;
        snprintf(r->first4_last, 32, "%s", t4.ues[3].name);
        et_topology_destroy(&t4);
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
    CU_ASSERT_EQUAL(r.server_cores, 4);
    CU_ASSERT_DOUBLE_EQUAL(r.server_core_flops, 1.25e14, 0);
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
        et_platform_set_wifi_level(xfer.wifi_topo, 0, xfer.wifi_topo->n_wifi_levels - 1);
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
        et_topology_destroy(&t);
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
        r->n_levels = t.n_wifi_levels;
        r->wifi_rate0_bps = t.wifi_rate_bps[0];
        r->wifi_rate_last_bps = t.wifi_rate_bps[t.n_wifi_levels - 1];
        if (t.n_ue != 6 || !t.wifi_link || t.ues[0].link_up) {
            r->st = ET_ERR_INTERNAL;
            snprintf(err.msg, sizeof err.msg, "unexpected Wi-Fi topology: %d UEs", t.n_ue);
        } else {
            xfer.wifi_topo = &t; /* the UE drops itself to the slowest level */
            run_transfers(&t);
            memcpy(r->elapsed_s, xfer.elapsed_s, sizeof r->elapsed_s);
        }
        et_topology_destroy(&t);
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
    et_topology_destroy(&t);
done:
    snprintf(r->msg, sizeof r->msg, "%s", err.msg);
}

static void ten_thousand_ues_generate_load_and_discover_in_seconds(void)
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
    CU_ASSERT(r.gen_s + r.load_s + r.discover_s < 5.0);
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
        if (r->discover == ET_OK) et_topology_destroy(&t);
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
                                 "number.xml:5: cannot parse number"});
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
                                 1, "host 'cloud': property 'role': expected 'server' or 'ue'"});
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

typedef struct twice_result {
    et_status first, second;
    char msg[768];
} twice_result;

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
        {"wifi_platform_attaches_every_ue_and_carries_transfers",
         wifi_platform_attaches_every_ue_and_carries_transfers},
        {"ten_thousand_ues_generate_load_and_discover_in_seconds",
         ten_thousand_ues_generate_load_and_discover_in_seconds},
        {"load_reports_a_missing_file", load_reports_a_missing_file},
        {"load_reports_malformed_xml_with_its_line", load_reports_malformed_xml_with_its_line},
        {"load_reports_an_unknown_attribute_with_its_line",
         load_reports_an_unknown_attribute_with_its_line},
        {"load_reports_a_bad_number_with_its_line", load_reports_a_bad_number_with_its_line},
        {"load_reports_a_missing_profile_file_instead_of_aborting",
         load_reports_a_missing_profile_file_instead_of_aborting},
        {"load_reports_a_host_link_to_an_undeclared_link_instead_of_aborting",
         load_reports_a_host_link_to_an_undeclared_link_instead_of_aborting},
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
        {"load_after_a_failed_load_fails_without_aborting",
         load_after_a_failed_load_fails_without_aborting},
        {NULL, NULL},
    };
    return et_test_main("platform", cases);
}
