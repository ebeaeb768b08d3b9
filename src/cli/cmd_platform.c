/* cmd_platform.c: edgetune platform, a platform XML for any number of UEs and cells. */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "interrupt.h"
#include "numtext.h"
#include "platform.h"

static const char PLATFORM_USAGE[] =
    "usage: edgetune platform --ues N [--wifi | --full-routing] [--seed S] [-o FILE]\n"
    "       edgetune platform --ues N --cells K [--layout hex|grid] [--isd M|uma|umi]\n"
    "       edgetune platform --ues N [--cells K] --scenario uma|umi|rma|inh ...\n"
    "                         [--shared-server [--core-bps B] [--core-latency-s S]] ...\n"
    "\n"
    "Writes a platform XML with one edge server and N UEs (heterogeneous device\n"
    "classes, positions in the cell) to FILE, or to stdout; with --cells, a metro\n"
    "platform of K cells, each with its access point at its own position. Defaults\n"
    "and sources: docs/platforms.md.\n"
    "\n"
    "options:\n"
    "  --ues N            number of UEs (1 to 1000000)\n"
    "  --wifi             one shared 802.11 cell instead of per-UE OFDMA links\n"
    "  --full-routing     a Full zone with explicit routes instead of a Cluster zone\n"
    "  --seed S           seed for device classes and positions (default 1)\n"
    "  --server-flops F   effective training FLOP/s per accelerator (default 3e13)\n"
    "  --server-cores N   accelerators per edge server (default 1)\n"
    "  --cell-radius M    radius of the disc UEs are placed in around their AP, m\n"
    "                     (default 250, 40 with --wifi, ISD/2 with --cells or --scenario)\n"
    "  --scenario S       write each cell's TR 38.901 scenario (uma, umi, rma, inh) with\n"
    "                     its Table 7.2-1 heights and ISD and a 4 GHz carrier (TR 38.913)\n"
    "                     into the XML; without it, the scenario keys decide\n"
    "  -o, --output FILE  write to FILE (atomically) instead of stdout\n"
    "\n"
    "metro options (OFDMA only):\n"
    "  --cells K          K cells (1 to 1000); UE i joins cell i mod K\n"
    "  --layout L         cell sites on a hex grid (default) or a square grid\n"
    "  --isd D            inter-site distance: metres, or uma (500, default) or umi\n"
    "                     (200), the 3GPP TR 38.901 urban macro / micro scenarios\n"
    "  --shared-server    one edge server for every cell, behind a core link,\n"
    "                     instead of one server per cell\n"
    "  --core-bps B       core link bandwidth, bits/s (default 1e11)\n"
    "  --core-latency-s S core link latency, s (default 0.005)\n";

/* Parses a whole string as a plain decimal number in [min, max] (numtext.h). */
static int parse_number(const char *text, double min, double max, double *out)
{
    double v = 0;
    if (et_numtext_double(text, &v) != 0 || v < min || v > max) return -1;
    *out = v;
    return 0;
}

/* 1 if s is an option of edgetune platform that takes a value. */
static int is_platform_value_option(const char *s)
{
    static const char *const opts[] = {
        "--ues",          "--seed",        "-o",         "--output",         "--cells",
        "--layout",       "--isd",         "--core-bps", "--core-latency-s", "--server-flops",
        "--server-cores", "--cell-radius", NULL};
    for (const char *const *o = opts; *o; o++)
        if (!strcmp(s, *o)) return 1;
    return !strcmp(s, "--scenario");
}

static int cmd_platform(int argc, char **argv)
{
    long ues = -1, seed = 1, cells = 0, server_cores = -1, scenario = -1;
    int wifi = 0, full = 0, shared = 0, grid = 0;
    double server_flops = -1, cell_radius = -1, isd = -1, core_bps = -1, core_latency = -1;
    const char *output = NULL, *metro_option = NULL, *core_option = NULL;
    const char *seen[16]; /* value options given so far */
    int n_seen = 0;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            fputs(PLATFORM_USAGE, stdout);
            return 0;
        } else if (!strcmp(s, "--wifi")) {
            wifi = 1;
        } else if (!strcmp(s, "--full-routing")) {
            full = 1;
        } else if (!strcmp(s, "--shared-server")) {
            shared = 1;
            metro_option = s;
        } else if (is_platform_value_option(s)) {
            if (!next) return cli_usage_error("platform", "option %s needs a value", s);
            /* A value option given twice is a conflict (-o and --output are one). */
            const char *canon = !strcmp(s, "-o") ? "--output" : s;
            for (int j = 0; j < n_seen; j++)
                if (!strcmp(seen[j], canon))
                    return cli_usage_error("platform", "option %s is given twice", s);
            if (n_seen < 16) seen[n_seen++] = canon;
            i++;
            if (!strcmp(s, "--ues") && cli_parse_long(next, 1, 1000000, &ues))
                return cli_usage_error(
                    "platform", "--ues: expected an integer in [1, 1000000], got '%s'", next);
            if (!strcmp(s, "--seed") && cli_parse_long(next, 0, (long)ET_SEED_MAX, &seed))
                return cli_usage_error(
                    "platform", "--seed: expected an integer in [0, 9007199254740991], got '%s'",
                    next);
            if (!strcmp(s, "--cells") && cli_parse_long(next, 1, ET_MAX_CELLS, &cells))
                return cli_usage_error("platform",
                                       "--cells: expected an integer in [1, 1000], got '%s'", next);
            if (!strcmp(s, "--layout")) {
                if (strcmp(next, "hex") && strcmp(next, "grid"))
                    return cli_usage_error("platform", "--layout: expected hex or grid, got '%s'",
                                           next);
                grid = !strcmp(next, "grid");
                metro_option = s;
            }
            if (!strcmp(s, "--isd")) {
                /* 3GPP TR 38.901 Table 7.2-1 scenario names, or metres. */
                if (!strcmp(next, "uma"))
                    isd = ET_ISD_UMA_M;
                else if (!strcmp(next, "umi"))
                    isd = ET_ISD_UMI_M;
                else if (parse_number(next, 20, 1e5, &isd))
                    return cli_usage_error(
                        "platform",
                        "--isd: expected metres in [20, 100000], uma or umi, got "
                        "'%s'",
                        next);
                metro_option = s;
            }
            if (!strcmp(s, "--core-bps")) {
                if (parse_number(next, 1, 1e15, &core_bps))
                    return cli_usage_error(
                        "platform", "--core-bps: expected bits/s in [1, 1e15], got '%s'", next);
                core_option = s;
            }
            if (!strcmp(s, "--core-latency-s")) {
                if (parse_number(next, 0, 10, &core_latency))
                    return cli_usage_error(
                        "platform", "--core-latency-s: expected seconds in [0, 10], got '%s'",
                        next);
                core_option = s;
            }
            if (!strcmp(s, "--server-flops") && parse_number(next, 1, 1e20, &server_flops))
                return cli_usage_error(
                    "platform", "--server-flops: expected FLOP/s in [1, 1e20], got '%s'", next);
            if (!strcmp(s, "--server-cores") && cli_parse_long(next, 1, 100000, &server_cores))
                return cli_usage_error(
                    "platform", "--server-cores: expected an integer in [1, 100000], got '%s'",
                    next);
            if (!strcmp(s, "--cell-radius") &&
                (parse_number(next, 10, 1e5, &cell_radius) || cell_radius <= 10))
                return cli_usage_error(
                    "platform", "--cell-radius: expected metres in (10, 100000], got '%s'", next);
            if (!strcmp(s, "-o") || !strcmp(s, "--output")) output = next;
            if (!strcmp(s, "--scenario") && ((scenario = et_propagation_scenario_parse(next)) < 0 ||
                                             scenario == ET_PROPAGATION_TR36814))
                return cli_usage_error("platform",
                                       "--scenario: expected uma, umi, rma or inh, got '%s'", next);
        } else {
            return cli_usage_error("platform", "unexpected argument '%s'", s);
        }
    }
    if (ues < 0) return cli_usage_error("platform", "%s", "--ues N is required");
    /* Options that would be silently ignored are errors. */
    if (!cells && metro_option)
        return cli_usage_error("platform", "%s needs --cells K", metro_option);
    if (core_option && !shared)
        return cli_usage_error("platform", "%s needs --shared-server", core_option);
    if (cells && wifi)
        return cli_usage_error("platform", "%s", "--cells: metro platforms are OFDMA, not --wifi");
    if (cells && full)
        return cli_usage_error("platform", "%s",
                               "--cells: metro platforms use Cluster zones, not --full-routing");
    if (wifi && full)
        return cli_usage_error("platform", "%s",
                               "--full-routing: a Wi-Fi platform has its own Full world zone (drop "
                               "--full-routing or --wifi)");
    et_platform_spec spec;
    et_platform_spec_default(&spec, (int)ues, wifi ? ET_ACCESS_WIFI : ET_ACCESS_OFDMA);
    spec.seed = (uint64_t)seed;
    spec.full_routing = full;
    spec.n_cells = (int)cells;
    spec.layout = grid ? ET_LAYOUT_GRID : ET_LAYOUT_HEX;
    /* TR 38.901's evaluation layout first (ISD, heights, frequency, radius); the options
     * given with it override. */
    if (scenario >= 0) et_platform_spec_set_scenario(&spec, (et_propagation_scenario)scenario);
    if (isd > 0) spec.isd_m = isd;
    if (cells) spec.cell_radius_m = 0.5 * spec.isd_m; /* the largest disc that fits */
    if (cell_radius > 0) spec.cell_radius_m = cell_radius;
    spec.shared_server = shared;
    if (core_bps > 0) spec.core_bps = core_bps;
    if (core_latency >= 0) spec.core_latency_s = core_latency;
    if (server_flops > 0) spec.server_core_flops = server_flops;
    if (server_cores > 0) spec.server_cores = (int)server_cores;
    et_error err;
    et_error_clear(&err);
    if (!output) {
        et_status st = et_platform_write(stdout, &spec, &err);
        return st == ET_OK ? 0 : cli_fail(&err);
    }
    if (cli_check_output_path(output, 0, "option -o", &err) != ET_OK) return cli_fail(&err);
    size_t tmp_size = strlen(output) + 48;
    char *tmp = malloc(tmp_size);
    if (!tmp) {
        et_error_set(&err, ET_ERR_NOMEM, "out of memory");
        return cli_fail(&err);
    }
    et_outputs_tmp_name(output, tmp, tmp_size);
    FILE *f = et_outputs_create(tmp);
    if (!f) {
        /* A directory or a FIFO where the temporary goes is in the way, as a bad --out is. */
        int in_the_way = errno == EISDIR || errno == EEXIST;
        et_error_set(&err, in_the_way ? ET_ERR_INPUT : ET_ERR_IO, "%s: cannot write: %s%s", output,
                     strerror(errno), in_the_way ? " (its temporary is in the way)" : "");
        free(tmp);
        return cli_fail(&err);
    }
    et_status st = et_platform_write(f, &spec, &err);
    int e = 0;
    if (fflush(f) != 0) e = errno;
    if (fclose(f) != 0 && !e) e = errno;
    if (e && st == ET_OK)
        st = et_error_set(&err, ET_ERR_IO, "%s: cannot write: %s", output, strerror(e));
    /* A signal while the file was written: it is not put in place (one line, 128 + N). */
    if (st == ET_OK && et_interrupted())
        st = et_error_set(&err, ET_ERR_INTERRUPTED, "interrupted by %s; %s was not written",
                          et_interrupt_name(et_interrupted()), output);
    if (st == ET_OK && rename(tmp, output) != 0)
        st = et_error_set(&err, ET_ERR_IO, "%s: cannot write: %s", output, strerror(errno));
    if (st != ET_OK) unlink(tmp);
    free(tmp);
    if (st == ET_ERR_INTERRUPTED) {
        fprintf(stderr, "edgetune: %s\n", err.msg);
        return et_status_exit_code(st);
    }
    return st == ET_OK ? 0 : cli_fail(&err);
}

CLI_COMMAND(platform, "platform", "write a platform XML for any number of UEs and cells",
            PLATFORM_USAGE, cmd_platform, NULL, 0);
