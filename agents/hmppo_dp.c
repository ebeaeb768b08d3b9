/* hmppo_dp.c: data-parallel HMPPO's gradient exchange (see hmppo_dp.h, and
 * et_hmppo_set_data_parallel in hmppo.h).
 *
 * Synchronous data-parallel PPO: every rank collects its own episodes, computes each
 * minibatch's gradients on its own rows, and the ranks average those gradients before the
 * clip and the Adam step, which every rank then takes with the same bits. The value
 * normaliser's batch moments are summed over the ranks too, so its state stays identical. The
 * advantage normalisation stays per rank (its statistics scale each rank's own gradients). */
#include "hmppo_dp.h"

#include <stdlib.h>

void et_hmppo_dp_clear(et_hmppo_dp *dp)
{
    free(dp->buf);
    *dp = (et_hmppo_dp){.ranks = 1};
}

et_status et_hmppo_dp_init(et_hmppo_dp *dp, et_mlp *critic, et_mlp *const *actors, int n_actors,
                           int n_ranks, et_hmppo_dp_sum_fn sum, void *ctx, et_error *err)
{
    et_hmppo_dp_clear(dp);
    if (n_ranks <= 1 || !sum) return ET_OK;
    size_t len = et_mlp_param_count(critic) + (size_t)n_actors + 1;
    for (int a = 0; a < n_actors; a++)
        len += et_mlp_param_count(actors[a]);
    dp->buf = malloc(len * sizeof *dp->buf);
    if (!dp->buf)
        return et_error_set(err, ET_ERR_NOMEM, "out of memory for the gradient exchange (%zu)",
                            len);
    dp->len = len;
    dp->ranks = n_ranks;
    dp->sum = sum;
    dp->ctx = ctx;
    return ET_OK;
}

et_status et_hmppo_dp_moments(const et_hmppo_dp *dp, double *moments, int n_norm, et_error *err)
{
    if (!dp->sum) return ET_OK;
    return dp->sum(dp->ctx, moments, 3 * (size_t)n_norm, err);
}

/* Copies a network's gradients into buf (to_buf) or the mean of buf back (scaled by inv). */
static size_t exchange(et_mlp *net, double *buf, int to_buf, double inv)
{
    float *g = et_mlp_grads(net);
    size_t n = et_mlp_param_count(net);
    if (to_buf)
        for (size_t i = 0; i < n; i++)
            buf[i] = g[i];
    else
        for (size_t i = 0; i < n; i++)
            g[i] = (float)(buf[i] * inv);
    return n;
}

et_status et_hmppo_dp_average(const et_hmppo_dp *dp, et_mlp *critic, et_mlp *const *actors,
                              int *actor_rows, int n_actors, int m, int *m_all, et_error *err)
{
    *m_all = m;
    if (!dp->sum) return ET_OK;
    for (int pass = 0; pass < 2; pass++) {
        int to_buf = pass == 0;
        double inv = 1.0 / dp->ranks;
        size_t k = exchange(critic, dp->buf, to_buf, inv);
        for (int a = 0; a < n_actors; a++)
            k += exchange(actors[a], dp->buf + k, to_buf, inv);
        for (int a = 0; a < n_actors; a++, k++) {
            if (to_buf)
                dp->buf[k] = actor_rows[a];
            else
                actor_rows[a] = (int)dp->buf[k];
        }
        if (to_buf) {
            dp->buf[k] = m;
            et_status st = dp->sum(dp->ctx, dp->buf, dp->len, err);
            if (st != ET_OK) return st;
        } else {
            *m_all = (int)dp->buf[k];
        }
    }
    return ET_OK;
}
