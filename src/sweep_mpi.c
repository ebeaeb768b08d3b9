/* sweep_mpi.c: the MPI transport of `edgetune sweep` (see sweep_mpi.h).
 *
 * Compiled into the edgetune program only (not the library), with MPI when
 * CMake found it (ET_HAVE_MPI), else as a stub that refuses to run under an
 * MPI launcher: every rank would run the whole sweep. */
#define _DEFAULT_SOURCE
#include "sweep_mpi.h"

#include <stdlib.h>
#include <string.h>

#ifdef ET_HAVE_MPI
#include <mpi.h>
#endif

/* Set by the launchers of OpenMPI, MPICH (Hydra) and PMIx-based ones for every rank. */
static int under_launcher(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", NULL};
    for (int i = 0; vars[i]; i++)
        if (getenv(vars[i])) return 1;
    return 0;
}

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
    *active = 0;
    memset(net, 0, sizeof *net);
    if (!under_launcher()) return ET_OK;
    if (MPI_Init(argc, argv) != MPI_SUCCESS)
        return et_error_set(err, ET_ERR_IO, "sweep: MPI_Init failed");
    MPI_Comm_rank(MPI_COMM_WORLD, &net->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &net->size);
    net->send = mpi_send;
    net->poll = mpi_poll;
    *active = 1;
    return ET_OK;
}

void et_sweep_mpi_close(const et_sweep_net *net, int failed)
{
    (void)net;
    /* A rank that stopped early (an error, a signal) must not leave the others waiting. */
    if (failed && net->size > 1) MPI_Abort(MPI_COMM_WORLD, failed);
    MPI_Finalize();
}

int et_sweep_mpi_built(void)
{
    return 1;
}

#else

et_status et_sweep_mpi_open(int *argc, char ***argv, et_sweep_net *net, int *active, et_error *err)
{
    (void)argc;
    (void)argv;
    *active = 0;
    memset(net, 0, sizeof *net);
    if (under_launcher())
        return et_error_set(err, ET_ERR_INPUT,
                            "sweep: started by an MPI launcher, but this edgetune was built "
                            "without MPI (install libopenmpi-dev and rebuild), or run it without "
                            "mpirun: edgetune sweep SPEC -j N");
    return ET_OK;
}

void et_sweep_mpi_close(const et_sweep_net *net, int failed)
{
    (void)net;
    (void)failed;
}

int et_sweep_mpi_built(void)
{
    return 0;
}

#endif
