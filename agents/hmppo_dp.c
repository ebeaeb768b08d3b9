/* hmppo_dp.c: data-parallel HMPPO (see et_hmppo_set_data_parallel in hmppo.h).
 *
 * Synchronous data-parallel PPO: every rank collects its own episodes, computes each
 * minibatch's gradients on its own rows, and the ranks average those gradients before the
 * clip and the Adam step, which every rank then takes with the same bits. The value
 * normaliser's batch moments are summed over the ranks too, so its state stays identical. The
 * advantage normalisation stays per rank (its statistics scale each rank's own gradients). */
#include <stdlib.h>
#include <string.h>

#include "hmppo_internal.h"

et_status et_hmppo_set_data_parallel(et_agent *agent, int n_ranks, et_hmppo_sum_fn sum, void *ctx,
                                     et_error *err)
{
    hmppo *h = et_hmppo_impl(agent);
    if (!h)
        return et_error_set(err, ET_ERR_INTERNAL, "et_hmppo_set_data_parallel: not an hmppo agent");
    free(h->dp_buf);
    h->dp_buf = NULL;
    h->dp_len = 0;
    h->dp_ranks = 1;
    h->dp_sum = NULL;
    h->dp_ctx = NULL;
    if (n_ranks <= 1 || !sum) return ET_OK;
    size_t len = et_mlp_param_count(h->critic) + (size_t)h->n_actors + 1;
    for (int a = 0; a < h->n_actors; a++)
        len += et_mlp_param_count(h->actor[a]);
    h->dp_buf = malloc(len * sizeof *h->dp_buf);
    if (!h->dp_buf)
        return et_error_set(err, ET_ERR_NOMEM, "out of memory for the gradient exchange (%zu)",
                            len);
    h->dp_len = len;
    h->dp_ranks = n_ranks;
    h->dp_sum = sum;
    h->dp_ctx = ctx;
    return ET_OK;
}

et_status et_hmppo_dp_moments(hmppo *h, double *moments, int n_norm, et_error *err)
{
    if (!h->dp_sum) return ET_OK;
    return h->dp_sum(h->dp_ctx, moments, 3 * (size_t)n_norm, err);
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

et_status et_hmppo_dp_average(hmppo *h, int m, int *m_all, et_error *err)
{
    *m_all = m;
    if (!h->dp_sum) return ET_OK;
    for (int pass = 0; pass < 2; pass++) {
        int to_buf = pass == 0;
        double inv = 1.0 / h->dp_ranks;
        size_t k = exchange(h->critic, h->dp_buf, to_buf, inv);
        for (int a = 0; a < h->n_actors; a++)
            k += exchange(h->actor[a], h->dp_buf + k, to_buf, inv);
        for (int a = 0; a < h->n_actors; a++, k++) {
            if (to_buf)
                h->dp_buf[k] = h->actor_rows[a];
            else
                h->actor_rows[a] = (int)h->dp_buf[k];
        }
        if (to_buf) {
            h->dp_buf[k] = m;
            et_status st = h->dp_sum(h->dp_ctx, h->dp_buf, h->dp_len, err);
            if (st != ET_OK) return st;
        } else {
            *m_all = (int)h->dp_buf[k];
        }
    }
    return ET_OK;
}
