/* collective.h: the ranks of a distributed run, as the trainer sees them.
 *
 * Distributed training (mpirun -np N edgetune train) runs one process per rank, each with its
 * own SimGrid engine, and exchanges data only through allgather. The MPI implementation lives
 * in the program (src/run/collective_mpi.c, built when MPI is found); the library and the trainer
 * know only this interface, so tests can drive it with threads and a build without MPI works
 * unchanged. */
#ifndef ET_COLLECTIVE_H
#define ET_COLLECTIVE_H

#include <stddef.h>

#include "status.h"

typedef struct et_collective {
    int rank, size; /* 0 <= rank < size */
    void *ctx;
    /* Every rank's `bytes` bytes from in, in rank order, into out (size * bytes) on every rank.
     * Collective: every rank calls it the same number of times with the same size. */
    et_status (*allgather)(void *ctx, const void *in, void *out, size_t bytes, et_error *err);
    double *scratch; /* for et_collective_sum: size * scratch_len doubles, grown as needed */
    size_t scratch_len;
} et_collective;

/* Replaces buf[0 .. n) by its element-wise sum over the ranks, added in rank order, so that
 * every rank and every run gets the same bits. ET_ERR_NOMEM when the scratch cannot grow. */
et_status et_collective_sum(et_collective *c, double *buf, size_t n, et_error *err);

/* Frees the scratch. */
void et_collective_clear(et_collective *c);

#endif
