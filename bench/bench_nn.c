/* bench_nn.c: time of one PPO minibatch update through agents/nn.h, sgemm path vs naive loops.
 *
 * Network: in_dim -> 64 tanh -> 64 tanh -> out_dim identity (the PPO actor/critic shape; the
 * defaults 11 -> 3 are an HMPPO actor: ET_OBS_DIM observations, 2 location logits + 1 keep
 * mean). One "minibatch" is zero_grad + forward + backward (no dx) + one Adam step over all
 * parameters, the work PPO repeats per minibatch; gradient clipping and the loss are left out.
 * Also times a batch-1 forward, the cost of one decide() call.
 *
 * Usage: bench_nn [in_dim out_dim]. Set OPENBLAS_NUM_THREADS (1 for the figures in docs/nn.md).
 * Compare with PyTorch: the same shapes with torch.nn.Sequential(Linear, Tanh, Linear, Tanh,
 * Linear) and torch.optim.Adam, float32, CPU, torch.set_num_threads(1). Not a test. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime under strict C11 */

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "nn.h"
#include "rng.h"
#include "status.h"

enum { HIDDEN = 64, MIN_REPS = 20 };
#define MIN_SECONDS 0.5 /* keep timing until this much wall time has passed */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Mean seconds per call of one update (train != 0) or one forward (train == 0). */
static double time_path(et_mlp *m, et_adam *opt, const float *x, const float *dout, int batch,
                        int train)
{
    float *params = et_mlp_params(m);
    const float *grads = et_mlp_grads(m);
    long reps = 0;
    double t0 = 0.0, elapsed = 0.0;
    /* The first MIN_REPS calls warm caches and OpenBLAS's buffers and are not timed. */
    for (long it = 0;; it++) {
        if (it == MIN_REPS) t0 = now_s();
        if (train) et_mlp_zero_grad(m);
        if (!et_mlp_forward(m, x, batch)) return -1.0;
        if (train) {
            if (et_mlp_backward(m, dout, NULL) != ET_OK) return -1.0;
            et_adam_step(opt, params, grads);
        }
        if (it >= MIN_REPS) {
            reps++;
            elapsed = now_s() - t0;
            if (reps >= MIN_REPS && elapsed >= MIN_SECONDS) break;
        }
    }
    return elapsed / (double)reps;
}

int main(int argc, char **argv)
{
    int in_dim = 11, out_dim = 3;
    if (argc == 3) {
        in_dim = atoi(argv[1]);
        out_dim = atoi(argv[2]);
    } else if (argc != 1) {
        fprintf(stderr, "usage: %s [in_dim out_dim]\n", argv[0]);
        return 2;
    }
    const int batches[3] = {64, 256, 1024};
    const int sizes[4] = {in_dim, HIDDEN, HIDDEN, out_dim};
    const et_activation acts[3] = {ET_ACT_TANH, ET_ACT_TANH, ET_ACT_IDENTITY};
    const float gains[3] = {1.41421356f, 1.41421356f, 1.0f};

    et_error err;
    et_mlp *m = NULL;
    et_adam *opt = NULL;
    if (et_mlp_create(3, sizes, acts, 1024, &m, &err) != ET_OK) {
        fprintf(stderr, "bench_nn: %s\n", err.msg);
        return et_status_exit_code(err.code);
    }
    size_t np = et_mlp_param_count(m);
    if (et_adam_create(np, 3e-4f, 0.9f, 0.999f, 1e-5f, &opt, &err) != ET_OK) {
        fprintf(stderr, "bench_nn: %s\n", err.msg);
        et_mlp_destroy(m);
        return et_status_exit_code(err.code);
    }
    et_rng rng;
    et_rng_seed(&rng, 1, et_rng_stream_id(ET_RNG_TRAINING, 0));
    et_mlp_init_orthogonal(m, gains, &rng);
    float *x = malloc((size_t)1024 * in_dim * sizeof(float));     // (B, in_dim)
    float *dout = malloc((size_t)1024 * out_dim * sizeof(float)); // (B, out_dim)
    if (!x || !dout) {
        fprintf(stderr, "bench_nn: out of memory\n");
        return 1;
    }
    for (size_t k = 0; k < (size_t)1024 * in_dim; k++)
        x[k] = (float)et_rng_normal(&rng);
    /* A small dout keeps the parameters near their start over the many timed Adam steps. */
    for (size_t k = 0; k < (size_t)1024 * out_dim; k++)
        dout[k] = 1e-3f * (float)et_rng_normal(&rng);

    /* Multiply-adds of one forward row; backward costs about twice as much. */
    double macs = (double)in_dim * HIDDEN + (double)HIDDEN * HIDDEN + (double)HIDDEN * out_dim;
    printf("bench_nn: %d -> %d tanh -> %d tanh -> %d, %zu parameters; OpenBLAS %s, %d thread(s)\n",
           in_dim, HIDDEN, HIDDEN, out_dim, np, openblas_get_config(), openblas_get_num_threads());
    printf("minibatch = zero_grad + forward + backward + Adam step\n");
    printf("%6s  %12s %8s  %12s %8s  %12s %8s  %9s\n", "batch", "sgemm us/mb", "GFLOP/s",
           "portable", "GFLOP/s", "naive", "GFLOP/s", "port/sgemm");
    for (int bi = 0; bi < 3; bi++) {
        int B = batches[bi];
        double flops = 6.0 * macs * B; /* 2 flops per MAC, forward + 2x backward */
        double t[3];
        const et_nn_kernel kernels[3] = {ET_NN_OPENBLAS, ET_NN_PORTABLE, ET_NN_NAIVE};
        for (int k = 0; k < 3; k++) {
            et_mlp_set_kernel(m, kernels[k]);
            t[k] = time_path(m, opt, x, dout, B, 1);
        }
        printf("%6d  %12.1f %8.2f  %12.1f %8.2f  %12.1f %8.2f  %9.2f\n", B, 1e6 * t[0],
               1e-9 * flops / t[0], 1e6 * t[1], 1e-9 * flops / t[1], 1e6 * t[2],
               1e-9 * flops / t[2], t[1] / t[0]);
    }
    double f[3];
    const et_nn_kernel kernels[3] = {ET_NN_OPENBLAS, ET_NN_PORTABLE, ET_NN_NAIVE};
    for (int k = 0; k < 3; k++) {
        et_mlp_set_kernel(m, kernels[k]);
        f[k] = time_path(m, opt, x, dout, 1, 0);
    }
    printf("forward only, batch 1 (one decide): sgemm %.2f us, portable %.2f us, naive %.2f us\n",
           1e6 * f[0], 1e6 * f[1], 1e6 * f[2]);

    free(x);
    free(dout);
    et_adam_destroy(opt);
    et_mlp_destroy(m);
    return 0;
}
