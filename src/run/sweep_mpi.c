/* sweep_mpi.c: the MPI transport of `edgetune sweep` (see sweep_mpi.h).
 *
 * Compiled into the edgetune program only (not the library), with MPI when
 * CMake found it (ET_HAVE_MPI), else as a stub that refuses to run under an
 * MPI launcher: every rank would run the whole sweep. */
#define _DEFAULT_SOURCE
#include "sweep_mpi.h"

#include <stdlib.h>
#include <string.h>

#include "collective_mpi.h"

#ifdef ET_HAVE_MPI
#include <mpi.h>
#endif

#ifdef ET_HAVE_MPI

enum { ROW_TAG = 17 };

static et_status mpi_send(void *ctx, const void *buf, size_t n, et_error *err)
{
    (void)ctx;
    if (MPI_Send(buf, (int)n, MPI_BYTE, 0, ROW_TAG, MPI_COMM_WORLD) != MPI_SUCCESS)
        return et_error_set(err, ET_ERR_IO, "sweep: MPI_Send to rank 0 failed");
    return ET_OK;
}

static int mpi_poll(void *ctx, void *buf, size_t n)
{
    (void)ctx;
    int flag = 0;
    MPI_Status status;
    if (MPI_Iprobe(MPI_ANY_SOURCE, ROW_TAG, MPI_COMM_WORLD, &flag, &status) != MPI_SUCCESS || !flag)
        return 0;
    return MPI_Recv(buf, (int)n, MPI_BYTE, status.MPI_SOURCE, ROW_TAG, MPI_COMM_WORLD,
                    MPI_STATUS_IGNORE) == MPI_SUCCESS;
}

et_status et_sweep_mpi_open(int *argc, char ***argv, et_sweep_net *net, int *active, et_error *err)
{
    memset(net, 0, sizeof *net);
    et_collective world;
    et_status st = et_mpi_start(argc, argv, &world, active, err);
    if (st != ET_OK || !*active) return st;
    net->rank = world.rank;
    net->size = world.size;
    net->send = mpi_send;
    net->poll = mpi_poll;
    return ET_OK;
}

void et_sweep_mpi_close(const et_sweep_net *net, int failed)
{
    et_mpi_finish(1, failed, net->size);
}

#else

et_status et_sweep_mpi_open(int *argc, char ***argv, et_sweep_net *net, int *active, et_error *err)
{
    memset(net, 0, sizeof *net);
    et_collective world;
    return et_mpi_start(argc, argv, &world, active, err);
}

void et_sweep_mpi_close(const et_sweep_net *net, int failed)
{
    (void)net;
    (void)failed;
}

#endif
