/* collective_mpi.c: et_collective over MPI_COMM_WORLD (see collective_mpi.h). */
#include "collective_mpi.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#ifdef ET_HAVE_MPI
#include <mpi.h>
#endif

int et_mpi_launched(void)
{
    /* Open MPI's, MPICH's (Hydra) and PMIx's launchers set these in every rank. */
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}

int et_mpi_world_size(void)
{
    const char *names[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = getenv(names[i]);
        if (v && atoi(v) > 0) return atoi(v);
    }
    return 1;
}

int et_mpi_built(void)
{
#ifdef ET_HAVE_MPI
    return 1;
#else
    return 0;
#endif
}

#ifdef ET_HAVE_MPI
static et_status mpi_allgather(void *ctx, const void *in, void *out, size_t bytes, et_error *err)
{
    (void)ctx;
    if (bytes > INT_MAX)
        return et_error_set(err, ET_ERR_INTERNAL, "MPI: an exchange of %zu bytes is too large",
                            bytes);
    int rc = MPI_Allgather(in, (int)bytes, MPI_BYTE, out, (int)bytes, MPI_BYTE, MPI_COMM_WORLD);
    if (rc != MPI_SUCCESS) {
        char text[MPI_MAX_ERROR_STRING];
        int len = 0;
        MPI_Error_string(rc, text, &len);
        return et_error_set(err, ET_ERR_IO, "MPI_Allgather: %s", text);
    }
    return ET_OK;
}
#endif

et_status et_mpi_start(int *argc, char ***argv, et_collective *c, int *active, et_error *err)
{
    memset(c, 0, sizeof *c);
    c->size = 1;
    *active = 0;
    if (!et_mpi_launched()) return ET_OK;
#ifdef ET_HAVE_MPI
    int rc = MPI_Init(argc, argv);
    if (rc != MPI_SUCCESS) return et_error_set(err, ET_ERR_IO, "MPI_Init failed (%d)", rc);
    /* Errors come back as codes, so they reach the user as one line. */
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &c->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &c->size);
    c->allgather = mpi_allgather;
    *active = 1;
    return ET_OK;
#else
    (void)argc, (void)argv;
    return et_error_set(err, ET_ERR_INPUT,
                        "started by an MPI launcher, but this edgetune was built without MPI "
                        "(install libopenmpi-dev and rebuild: bash scripts/setup.sh build), or "
                        "run it without mpirun");
#endif
}

void et_mpi_finish(int active, int abort_status, int size)
{
#ifdef ET_HAVE_MPI
    if (!active) return;
    if (abort_status && size > 1) MPI_Abort(MPI_COMM_WORLD, abort_status);
    MPI_Finalize();
#else
    (void)active, (void)abort_status, (void)size;
#endif
}
