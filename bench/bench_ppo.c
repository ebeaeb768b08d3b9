/* bench_ppo.c: samples per second of a full PPO update of the HMPPO learner, against the same
 * update in PyTorch (bench/ppo_torch.py) measured in the same run.
 *
 * Shapes (issue 10): actor 16 -> H tanh -> H tanh -> 4 (2 location logits, 2 Beta
 * pre-activations), critic 100 -> H tanh -> H tanh -> 1, one minibatch of B rows, 10 epochs; H
 * in {64, 256}, B in {300, 2048}. The agent is a real HMPPO agent (et_hmppo_create with one UE,
 * obs_dim 16, state_dim 100, capacity B): B transitions are recorded through its decide and
 * feedback callbacks (untimed), then et_hmppo_update is timed: GAE and the value normaliser,
 * advantage normalisation, and per epoch the shuffle, the gathers, actor and critic forward, the
 * loss and its gradient (categorical + Beta heads, clipped surrogate, entropies, clipped value
 * loss), backward, gradient clipping and Adam for both networks, and the stats. Samples/s is
 * B * epochs / (seconds per update), for each matmul kernel (hmppo.kernel portable, the
 * default, and openblas).
 *
 * PyTorch: when `PY -c "import torch"` works (PY is $ET_BENCH_PYTHON, else python3, else
 * /usr/bin/python3, where Debian's python3-torch lives), bench_ppo starts
 * `PY bench/ppo_torch.py --serve` once and, rep by rep, asks it to time the same shape right
 * after timing C, so both see the same machine load; the figures are medians over the reps, by
 * process CPU time (the steadier measure on a shared machine) and by wall time, and the ratio is
 * the median of the per-rep ratios. Without torch it prints its own figures.
 *
 * Usage: bench_ppo [--reps N] [--updates N] [--hidden 64,256] [--batch 300,2048]
 *                  [--kernel portable|openblas|both] [--no-torch]
 * OPENBLAS_NUM_THREADS: 1 when unset (for bench_ppo and the script);
 * ET_NN_LANES=4 or 8 holds the portable kernels to SSE2 or AVX2 vectors (same results, other
 * speed), to see what a CPU without AVX-512 or AVX2 would measure. Not a test. */
#define _POSIX_C_SOURCE 200809L /* fdopen, fork, pipe, setenv, clock_gettime */

#include <cblas.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "hmppo.h"
#include "nn.h"
#include "rng.h"
#include "status.h"

enum { IN_ACTOR = 16, IN_CRITIC = 100, EPOCHS = 10, MAX_SHAPES = 16, MAX_REPS = 101 };

/* Wall and CPU clocks. On a shared machine the CPU time of a process is the steadier measure:
 * time spent waiting for a core is not in it (time spent sharing one, e.g. with a hyperthread,
 * still is). */
typedef struct times {
    double wall, cpu;
} times;

static times now(void)
{
    struct timespec w, c;
    clock_gettime(CLOCK_MONOTONIC, &w);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
    return (times){(double)w.tv_sec + 1e-9 * (double)w.tv_nsec,
                   (double)c.tv_sec + 1e-9 * (double)c.tv_nsec};
}

/* ---- the C update ------------------------------------------------------------------------- */

static et_agent *make_agent(int hidden, int batch, int kernel)
{
    et_hmppo_config cfg;
    et_hmppo_config_default(&cfg, 1);
    cfg.hidden = hidden;
    cfg.obs_dim = IN_ACTOR;
    cfg.state_dim = IN_CRITIC;
    cfg.capacity = batch;
    cfg.epochs = EPOCHS;
    cfg.minibatches = 1;
    cfg.kernel = kernel;
    cfg.seed = 1;
    et_agent *agent = NULL;
    et_error err;
    if (et_hmppo_create(&cfg, &agent, &err) != ET_OK) {
        fprintf(stderr, "bench_ppo: %s\n", err.msg);
        return NULL;
    }
    return agent;
}

/* Records batch transitions through decide and feedback: random observations and state, a
 * reward that depends on the action, trajectories of 50 tasks, every third keep masked. */
static int record(et_agent *agent, int batch, et_rng *env)
{
    float obs[IN_ACTOR], state[IN_CRITIC];
    et_task_view task;
    memset(&task, 0, sizeof task);
    task.n_ue = 1;
    task.tasks_per_ue = batch;
    agent->ops->episode_begin(agent, 0, 1, 0);
    for (int t = 0; t < batch; t++) {
        for (int k = 0; k < IN_ACTOR; k++)
            obs[k] = (float)et_rng_range(env, -1.0, 1.0);
        for (int k = 0; k < IN_CRITIC; k++)
            state[k] = (float)et_rng_range(env, -1.0, 1.0);
        task.task_index = t;
        et_obs_view view = {.task = &task, .obs = obs, .state = state, .state_dim = IN_CRITIC};
        et_action a;
        et_error err;
        if (agent->ops->decide(agent, &view, &a, &err) != ET_OK) {
            fprintf(stderr, "bench_ppo: decide: %s\n", err.msg);
            return -1;
        }
        double reward = (a.location == ET_LOCATION_SERVER ? 1.0 : 0.0) -
                        4.0 * (a.keep - 0.7) * (a.keep - 0.7) + 0.3 * obs[0];
        et_feedback fb = {.ue = 0,
                          .reward = reward,
                          .done = t == batch - 1 || t % 50 == 49,
                          .keep_effective = t % 3 != 2,
                          .elapsed_s = 1.0};
        agent->ops->feedback(agent, &fb);
    }
    return 0;
}

/* Wall and CPU seconds of `updates` updates, recording a fresh batch before each (untimed);
 * wall < 0 on error. */
static times time_c(et_agent *agent, int batch, int updates, et_rng *env)
{
    times total = {0.0, 0.0};
    for (int u = 0; u < updates; u++) {
        if (record(agent, batch, env) != 0) return (times){-1.0, -1.0};
        et_hmppo_stats s;
        et_error err;
        times t0 = now();
        et_status st = et_hmppo_update(agent, 0, 0, &s, &err);
        times t1 = now();
        total.wall += t1.wall - t0.wall;
        total.cpu += t1.cpu - t0.cpu;
        if (st != ET_OK || s.transitions != batch || s.minibatch_steps != EPOCHS) {
            fprintf(stderr, "bench_ppo: update: %s\n", st != ET_OK ? err.msg : "wrong batch");
            return (times){-1.0, -1.0};
        }
    }
    return total;
}

/* ---- the PyTorch co-process --------------------------------------------------------------- */

typedef struct torch_proc {
    pid_t pid;
    FILE *to, *from;
    char banner[256];
} torch_proc;

static const char *find_python(void)
{
    const char *env = getenv("ET_BENCH_PYTHON");
    static const char *const cands[] = {"python3", "/usr/bin/python3"};
    if (env && *env) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "'%s' -c 'import torch' >/dev/null 2>&1", env);
        return system(cmd) == 0 ? env : NULL;
    }
    for (size_t k = 0; k < sizeof cands / sizeof cands[0]; k++) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "%s -c 'import torch' >/dev/null 2>&1", cands[k]);
        if (system(cmd) == 0) return cands[k];
    }
    return NULL;
}

/* Starts `python --serve`; 0 on success. */
static int torch_start(torch_proc *tp, const char *python, const char *script)
{
    int in[2], out[2];
    if (pipe(in) != 0) return -1;
    if (pipe(out) != 0) {
        close(in[0]);
        close(in[1]);
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execlp(python, python, script, "--serve", (char *)NULL);
        fprintf(stderr, "bench_ppo: cannot run %s: %s\n", python, strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    tp->pid = pid;
    tp->to = fdopen(in[1], "w");
    tp->from = fdopen(out[0], "r");
    if (!tp->to || !tp->from || !fgets(tp->banner, sizeof tp->banner, tp->from) ||
        strncmp(tp->banner, "ready", 5) != 0)
        return -1;
    tp->banner[strcspn(tp->banner, "\n")] = '\0';
    return 0;
}

/* The script's wall and CPU seconds for `updates` updates; wall < 0 on error. */
static times time_torch(torch_proc *tp, int hidden, int batch, int updates)
{
    char line[128];
    times t = {-1.0, -1.0};
    fprintf(tp->to, "%d %d %d\n", hidden, batch, updates);
    fflush(tp->to);
    if (!fgets(line, sizeof line, tp->from) || sscanf(line, "%lf %lf", &t.wall, &t.cpu) != 2)
        return (times){-1.0, -1.0};
    return t;
}

static void torch_stop(torch_proc *tp)
{
    if (tp->to) fclose(tp->to); /* EOF ends the script's loop */
    if (tp->from) fclose(tp->from);
    if (tp->pid > 0) waitpid(tp->pid, NULL, 0);
}

/* ---- main --------------------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
    double s[MAX_REPS];
    memcpy(s, v, (size_t)n * sizeof *v);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/* Comma-separated positive integers into out (at most max); the count, or -1. */
static int parse_list(const char *s, int *out, int max)
{
    int n = 0;
    while (*s) {
        char *end;
        long v = strtol(s, &end, 10);
        if (end == s || v < 1 || v > 1 << 20 || n == max) return -1;
        out[n++] = (int)v;
        s = end;
        if (*s == ',')
            s++;
        else if (*s)
            return -1;
    }
    return n;
}

static int usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s [--reps N] [--updates N] [--hidden 64,256] [--batch 300,2048]\n"
            "          [--kernel portable|openblas|both] [--no-torch]\n",
            argv0);
    return 2;
}

int main(int argc, char **argv)
{
    int reps = 5, updates = 0, use_torch = 1;
    int hiddens[MAX_SHAPES] = {64, 256}, n_hidden = 2;
    int batches[MAX_SHAPES] = {300, 2048}, n_batch = 2;
    int kernels[2] = {ET_NN_PORTABLE, ET_NN_OPENBLAS}, n_kernel = 2;
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL;
        if (!strcmp(a, "--no-torch")) {
            use_torch = 0;
            continue;
        }
        if (!v) return usage(argv[0]);
        k++;
        if (!strcmp(a, "--reps")) {
            reps = atoi(v);
            if (reps < 1 || reps > MAX_REPS) return usage(argv[0]);
        } else if (!strcmp(a, "--updates")) {
            updates = atoi(v);
            if (updates < 1) return usage(argv[0]);
        } else if (!strcmp(a, "--hidden")) {
            if ((n_hidden = parse_list(v, hiddens, MAX_SHAPES)) < 1) return usage(argv[0]);
        } else if (!strcmp(a, "--batch")) {
            if ((n_batch = parse_list(v, batches, MAX_SHAPES)) < 1) return usage(argv[0]);
        } else if (!strcmp(a, "--kernel")) {
            if (!strcmp(v, "portable")) {
                n_kernel = 1;
            } else if (!strcmp(v, "openblas")) {
                kernels[0] = ET_NN_OPENBLAS;
                n_kernel = 1;
            } else if (strcmp(v, "both") != 0) {
                return usage(argv[0]);
            }
        } else {
            return usage(argv[0]);
        }
    }
    /* One BLAS thread on both sides unless the caller chose otherwise: the script's OpenBLAS
     * reads the variable when it loads, ours has loaded already and is told directly (PyTorch
     * is also told torch.set_num_threads(1)). */
    if (!getenv("OPENBLAS_NUM_THREADS")) {
        setenv("OPENBLAS_NUM_THREADS", "1", 1);
        openblas_set_num_threads(1);
    }

    torch_proc tp = {0};
    const char *python = use_torch ? find_python() : NULL;
    int have_torch = 0;
    if (python) {
        signal(SIGPIPE, SIG_IGN);
        have_torch = torch_start(&tp, python, ET_SOURCE_DIR "/bench/ppo_torch.py") == 0;
        if (!have_torch) {
            fprintf(stderr, "bench_ppo: %s bench/ppo_torch.py --serve did not start\n", python);
            torch_stop(&tp);
        }
    }
    printf("bench_ppo: full PPO update (HMPPO: actor 16-H-H-4, critic 100-H-H-1, 1 minibatch, "
           "%d epochs), median of %d reps\n",
           EPOCHS, reps);
    /* PyTorch loads the same libopenblas with the same environment, so the kernel family named
     * here is its too. */
    printf("%s, OPENBLAS_NUM_THREADS=%s\n", openblas_get_config(), getenv("OPENBLAS_NUM_THREADS"));
    const char *cap = getenv("ET_NN_LANES");
    printf("portable kernels on %d-float vectors (%s)\n", et_nn_lanes(),
           cap && *cap ? "capped by ET_NN_LANES" : "the widest this CPU has");
    if (have_torch)
        printf("PyTorch: %s (%s), interleaved with C\n", tp.banner, python);
    else
        printf("PyTorch: absent (%s): C figures only\n",
               !use_torch                  ? "--no-torch"
               : python                    ? "the script failed"
               : getenv("ET_BENCH_PYTHON") ? "$ET_BENCH_PYTHON does not import torch"
                                           : "no python3 imports torch");

    /* Rates in samples per second, [shape][kernel][clock][rep], clock 0 CPU, 1 wall. */
    int n_shapes = n_hidden * n_batch;
    static double c_rate[MAX_SHAPES * MAX_SHAPES][2][2][MAX_REPS];
    static double t_rate[MAX_SHAPES * MAX_SHAPES][2][MAX_REPS];
    static double ratio[MAX_SHAPES * MAX_SHAPES][2][2][MAX_REPS];
    et_agent *agents[MAX_SHAPES * MAX_SHAPES][2] = {{NULL}};
    int n_upd[MAX_SHAPES * MAX_SHAPES];
    et_rng env;
    et_rng_seed(&env, 7, 0);
    int status = 0;
    for (int s = 0; s < n_shapes && status == 0; s++) {
        int H = hiddens[s / n_batch], B = batches[s % n_batch];
        /* Updates per measurement: a few tenths of a second of PyTorch work. */
        n_upd[s] = updates ? updates : B * H <= 300 * 64 ? 8 : B * H <= 2048 * 64 ? 2 : 1;
        for (int k = 0; k < n_kernel; k++) {
            agents[s][k] = make_agent(H, B, kernels[k]);
            if (!agents[s][k] || time_c(agents[s][k], B, 1, &env).wall < 0.0) status = 1;
        }
    }
    for (int r = 0; r < reps && status == 0; r++) {
        for (int s = 0; s < n_shapes && status == 0; s++) {
            int H = hiddens[s / n_batch], B = batches[s % n_batch];
            double samples = (double)B * EPOCHS * n_upd[s];
            for (int k = 0; k < n_kernel; k++) {
                times t = time_c(agents[s][k], B, n_upd[s], &env);
                if (t.wall <= 0.0 || t.cpu <= 0.0) status = 1;
                c_rate[s][k][0][r] = samples / t.cpu;
                c_rate[s][k][1][r] = samples / t.wall;
            }
            if (have_torch) {
                times t = time_torch(&tp, H, B, n_upd[s]);
                if (t.wall <= 0.0 || t.cpu <= 0.0) {
                    fprintf(stderr, "bench_ppo: no answer from bench/ppo_torch.py\n");
                    status = 1;
                }
                t_rate[s][0][r] = samples / t.cpu;
                t_rate[s][1][r] = samples / t.wall;
                for (int k = 0; k < n_kernel; k++)
                    for (int c = 0; c < 2; c++)
                        ratio[s][k][c][r] = c_rate[s][k][c][r] / t_rate[s][c][r];
            }
        }
    }
    if (status == 0) {
        printf("%6s %6s %9s | %11s %11s %6s | %11s %11s %6s\n", "", "", "", "CPU time:", "", "",
               "wall time:", "", "");
        printf("%6s %6s %9s | %11s %11s %6s | %11s %11s %6s\n", "hidden", "batch", "kernel",
               "C samples/s", "torch", "ratio", "C samples/s", "torch", "ratio");
        for (int s = 0; s < n_shapes; s++) {
            int H = hiddens[s / n_batch], B = batches[s % n_batch];
            for (int k = 0; k < n_kernel; k++) {
                printf("%6d %6d %9s", H, B, kernels[k] == ET_NN_PORTABLE ? "portable" : "openblas");
                for (int c = 0; c < 2; c++) {
                    printf(" | %11.0f ", median(c_rate[s][k][c], reps));
                    if (have_torch)
                        printf("%11.0f %6.2f", median(t_rate[s][c], reps),
                               median(ratio[s][k][c], reps));
                    else
                        printf("%11s %6s", "-", "-");
                }
                printf("\n");
            }
        }
        printf("samples/s = batch x %d epochs / seconds per update (process CPU seconds, or wall "
               "seconds); ratio = median over the reps of C / torch measured back to back\n",
               EPOCHS);
    }
    for (int s = 0; s < n_shapes; s++)
        for (int k = 0; k < n_kernel; k++)
            et_hmppo_destroy(agents[s][k]);
    if (have_torch) torch_stop(&tp);
    return status;
}
