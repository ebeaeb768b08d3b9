/* collective.c: a deterministic sum over the ranks, built on allgather. */
#include "collective.h"

#include <stdlib.h>

et_status et_collective_sum(et_collective *c, double *buf, size_t n, et_error *err)
{
    if (c->size <= 1) return ET_OK;
    if (c->scratch_len < n) {
        double *grown = realloc(c->scratch, (size_t)c->size * n * sizeof *grown);
        if (!grown)
            return et_error_set(err, ET_ERR_NOMEM, "out of memory for a sum over %d ranks",
                                c->size);
        c->scratch = grown;
        c->scratch_len = n;
    }
    et_status st = c->allgather(c->ctx, buf, c->scratch, n * sizeof *buf, err);
    if (st != ET_OK) return st;
    for (size_t i = 0; i < n; i++) {
        double s = c->scratch[i];
        for (int r = 1; r < c->size; r++)
            s += c->scratch[(size_t)r * n + i];
        buf[i] = s;
    }
    return ET_OK;
}

void et_collective_clear(et_collective *c)
{
    free(c->scratch);
    c->scratch = NULL;
    c->scratch_len = 0;
}
