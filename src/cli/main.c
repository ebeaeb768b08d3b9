/* main.c: the edgetune command line. The only place that turns an et_status
 * into an exit code and prints it (one line on stderr), through the commands' files.
 *
 * Each command is one file of src/cli/ (cmd_<name>.c) that defines its row, cli_<name>, with
 * CLI_COMMAND (cli.h: name, its line in --help, its help, its handler, its options);
 * CLI_COMMANDS lists the rows in the order --help shows them. A new command is its file and
 * its name in that list. */
#define _DEFAULT_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cblas.h>

#include "build_commit.h"
#include "cli.h"
#include "collective_mpi.h"
#include "interrupt.h"
#include "sim.h"

#define CLI_COMMANDS(X)                                                                            \
    X(run)                                                                                         \
    X(train) X(eval) X(compare) X(regime) X(sweep) X(platform) X(linkbudget) X(view) X(keys)   \
        X(policies)

#define CLI_DECLARE(name) extern const cli_command cli_##name;
CLI_COMMANDS(CLI_DECLARE)
#define CLI_ROW(name) &cli_##name,
static const cli_command *const COMMANDS[] = {CLI_COMMANDS(CLI_ROW) NULL};

const cli_command *cli_command_find(const char *name)
{
    for (const cli_command *const *c = COMMANDS; *c; c++)
        if (!strcmp((*c)->name, name)) return *c;
    return NULL;
}

static const char USAGE_HEAD[] =
    "usage: edgetune <command> [options]\n"
    "\n"
    "Simulates emulator-assisted fine-tuning of foundation models at the mobile edge\n"
    "on SimGrid, and the policies that decide where each task is tuned.\n"
    "\n"
    "commands:\n";

static const char USAGE_TAIL[] =
    "  help [COMMAND]       show help for a command\n"
    "\n"
    "options:\n"
    "  -h, --help         show this help\n"
    "  --version          print the version\n"
    "\n"
    "Options of the commands take their value as --seed=3 or --seed 3. The simulating\n"
    "commands pass SimGrid's own options through: --cfg=KEY:VALUE, --log=..., and its\n"
    "help (--help-cfg or --cfg-help, --help-models, --help-logs, --help-tracing), which\n"
    "prints and exits.\n"
    "\n"
    "Results (the run, training and evaluation summaries) go to stdout; progress and\n"
    "diagnostics to stderr.\n"
    "\n"
    "Docs: README.md, docs/configuration.md, docs/traces.md. Exit status: 0 ok, 2 bad input\n"
    "(also a scenario expected to exceed limits.*), 3 a run stopped at limits.sim_time_s or\n"
    "limits.output_bytes, 128 + N on signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP: the run\n"
    "stops, writes nothing half-way and says where it stands), 1 other errors.\n";

/* The program's help: what it does, its commands (their rows' lines), its options. */
static void print_usage(FILE *out)
{
    fputs(USAGE_HEAD, out);
    for (const cli_command *const *c = COMMANDS; *c; c++)
        fprintf(out, "  %-20s %s\n", (*c)->synopsis, (*c)->summary);
    fputs(USAGE_TAIL, out);
}

/* OpenBLAS (pthreads build): joins its worker threads; not in cblas.h. */
extern int blas_thread_shutdown_(void) __attribute__((weak));

int main(int argc, char **argv)
{
    /* Under an address-space limit (ulimit -v) OpenBLAS's worker threads, started when the
     * library loads, retry a failed buffer allocation forever and the process never exits:
     * start again with one BLAS thread (read only at load time), which starts none. */
    struct rlimit as_limit;
    if (!getenv("OPENBLAS_NUM_THREADS") && getrlimit(RLIMIT_AS, &as_limit) == 0 &&
        as_limit.rlim_cur != RLIM_INFINITY && setenv("OPENBLAS_NUM_THREADS", "1", 1) == 0)
        execv("/proc/self/exe", argv); /* on failure, go on as we are */
    /* Every command answers SIGINT, SIGTERM and SIGHUP from its first instruction: the
     * handler only records the signal (interrupt.h), and each command says where it stood. */
    et_interrupt_install();
    /* A file-size limit (ulimit -f) makes a write fail with EFBIG, reported and cleaned up
     * like a full disk, instead of killing the process with its temporaries left behind. */
    signal(SIGXFSZ, SIG_IGN);
    /* The agents' networks are small (64 units): OpenBLAS threads only add
     * synchronisation and spin on the second core (measured: 20% slower
     * training and a core busy for nothing). OPENBLAS_NUM_THREADS overrides. The threads
     * were started when the library loaded and spin until a timeout even when unused:
     * join them (an OpenBLAS pthreads-build symbol, weak: absent elsewhere), which halves
     * a default episode's process CPU (130 -> 70 ms measured). */
    if (!getenv("OPENBLAS_NUM_THREADS")) {
        openblas_set_num_threads(1);
        if (blas_thread_shutdown_) blas_thread_shutdown_();
    }
    if (argc < 2) {
        print_usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
        print_usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        char sg[32];
        et_engine_version(sg, sizeof sg);
        printf("edgetune %s\ncommit %s; SimGrid %s; %s; BLAS kernel %s; MPI: %s\n", ET_VERSION,
               et_build_commit, sg, openblas_get_config(), openblas_get_corename(),
               et_mpi_built() ? "yes" : "no");
        return 0;
    }
    if (!strcmp(cmd, "help")) {
        const cli_command *topic = cli_command_find(argc > 2 ? argv[2] : "");
        const char *text = topic ? topic->usage() : NULL;
        if (text)
            fputs(text, stdout);
        else
            print_usage(stdout);
        return 0;
    }
    const cli_command *row = cli_command_find(cmd);
    if ((!row || !(row->flags & CLI_MPI)) && et_mpi_world_size() > 1) {
        fprintf(stderr,
                "edgetune: error: %s: started on %d MPI ranks, but only 'train' and 'sweep' run "
                "over MPI (run it without mpirun)\n",
                cmd, et_mpi_world_size());
        return 2;
    }
    if (row) return row->main(argc, argv);
    fprintf(stderr, "edgetune: unknown command '%s' (see edgetune --help)\n", cmd);
    return 2;
}
