/* bench_cartpole.c: the cart-pole anchor. Trains the HMPPO agent (location head only) on
 * cart-pole through the et_agent interface and reports when the mean return over the last 100
 * episodes first reached 475 (CartPole-v1's "solved" threshold), the final mean-100 return and
 * the wall time. Target: >= 475 within 500,000 steps (CleanRL's ppo.py reaches about 490).
 *
 * Usage: bench_cartpole [--steps N] [--seed S] [--update-every N] [--lr X] [--epochs N]
 *                       [--minibatches N] [--ent X] [--value-norm 0|1] [--progress N]
 * Set OPENBLAS_NUM_THREADS=1 for the figures in docs/hmppo.md. Not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cartpole.h"
#include "status.h"

static int usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s [--steps N] [--seed S] [--update-every N] [--lr X] [--epochs N]\n"
            "          [--minibatches N] [--ent X] [--value-norm 0|1] [--progress N]\n",
            argv0);
    return 2;
}

/* Parses a whole-string number; 0 on success. */
static int parse_double(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    return (end == s || *end != '\0') ? -1 : 0;
}

int main(int argc, char **argv)
{
    et_cartpole_options opt;
    et_cartpole_options_default(&opt);
    opt.progress_every_steps = 25000;
    for (int k = 1; k < argc; k++) {
        double v;
        if (k + 1 >= argc || parse_double(argv[k + 1], &v) != 0) return usage(argv[0]);
        const char *key = argv[k++];
        if (!strcmp(key, "--steps"))
            opt.total_steps = (long)v;
        else if (!strcmp(key, "--seed"))
            opt.seed = (uint64_t)v;
        else if (!strcmp(key, "--update-every"))
            opt.update_every = (int)v;
        else if (!strcmp(key, "--lr"))
            opt.lr = (float)v;
        else if (!strcmp(key, "--epochs"))
            opt.epochs = (int)v;
        else if (!strcmp(key, "--minibatches"))
            opt.minibatches = (int)v;
        else if (!strcmp(key, "--ent"))
            opt.ent_coef = (float)v;
        else if (!strcmp(key, "--value-norm"))
            opt.value_norm = (int)v;
        else if (!strcmp(key, "--progress"))
            opt.progress_every_steps = (long)v;
        else
            return usage(argv[0]);
    }

    et_cartpole_result res;
    et_error err;
    et_error_clear(&err);
    et_status st = et_cartpole_train(&opt, &res, &err);
    if (st != ET_OK) {
        fprintf(stderr, "bench_cartpole: %s\n", err.msg);
        return et_status_exit_code(st);
    }
    printf("cart-pole, seed %llu, %ld steps, %ld episodes, %d updates\n",
           (unsigned long long)opt.seed, res.steps, res.episodes, res.updates);
    if (res.steps_to_475 >= 0)
        printf("mean-100 return first >= 475 at step %ld\n", res.steps_to_475);
    else
        printf("mean-100 return never reached 475\n");
    printf("final mean-100 return %.1f (first 100 episodes: %.1f)\n", res.final_mean100,
           res.first_mean100);
    printf("wall time %.2f s\n", res.wall_s);
    return 0;
}
