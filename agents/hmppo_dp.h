/* hmppo_dp.h: the data-parallel gradient exchange of HMPPO (et_hmppo_set_data_parallel in
 * hmppo.h). It works on plain arrays: the networks, the actors' row counts and the value
 * normalisers' moments are handed in; it knows nothing of the agent. Not installed as API. */
#ifndef ET_HMPPO_DP_H
#define ET_HMPPO_DP_H

#include <stddef.h>

#include "nn.h"
#include "status.h"

/* Replaces buf[0 .. n) by its element-wise sum over the ranks (et_hmppo_sum_fn's contract). */
typedef et_status (*et_hmppo_dp_sum_fn)(void *ctx, double *buf, size_t n, et_error *err);

/* The exchange: n_ranks replicas average their gradients. Zeroed = alone. */
typedef struct et_hmppo_dp {
    int ranks;              /* 1: alone (0 in a zeroed struct means the same) */
    et_hmppo_dp_sum_fn sum; /* NULL when alone */
    void *ctx;
    double *buf; /* (len) every gradient, the actors' row counts and the minibatch size */
    size_t len;
} et_hmppo_dp;

/* Sets dp up for the critic and the n_actors actors: n_ranks <= 1 or sum NULL leaves it alone;
 * otherwise a buffer for every gradient. Whatever it held before is freed first, so on
 * ET_ERR_NOMEM it is alone. */
et_status et_hmppo_dp_init(et_hmppo_dp *dp, et_mlp *critic, et_mlp *const *actors, int n_actors,
                           int n_ranks, et_hmppo_dp_sum_fn sum, void *ctx, et_error *err);

/* Frees the buffer; dp is alone afterwards. */
void et_hmppo_dp_clear(et_hmppo_dp *dp);

/* Sums the value normalisers' batch moments, n_norm triples {sum, sum of squares, rows}, over
 * the ranks (unchanged when alone). */
et_status et_hmppo_dp_moments(const et_hmppo_dp *dp, double *moments, int n_norm, et_error *err);

/* After a minibatch's backward pass over m local rows: replaces the critic's and every actor's
 * gradient by the mean over the ranks, actor_rows[0 .. n_actors) by the sums, and sets *m_all
 * to the rows of all ranks (m when alone). */
et_status et_hmppo_dp_average(const et_hmppo_dp *dp, et_mlp *critic, et_mlp *const *actors,
                              int *actor_rows, int n_actors, int m, int *m_all, et_error *err);

#endif
