/* collective_mpi.h: et_collective over MPI, for `mpirun -np N edgetune train`.
 *
 * Part of the edgetune program, not of the library: only the program links MPI, and only when
 * the build found it (CMake option EDGETUNE_MPI). */
#ifndef ET_COLLECTIVE_MPI_H
#define ET_COLLECTIVE_MPI_H

#include "collective.h"
#include "status.h"

/* 1 when this process was started by an MPI launcher (mpirun, mpiexec). */
int et_mpi_launched(void);

/* The number of ranks the launcher started (from its environment; 1 when not launched). */
int et_mpi_world_size(void);

/* 1 when the program was built with MPI. */
int et_mpi_built(void);

/* Under a launcher: starts MPI and fills c with this rank, the world size and an allgather over
 * MPI_COMM_WORLD (*active = 1). Otherwise leaves MPI alone, c = rank 0 of 1 (*active = 0).
 * Under a launcher without MPI in the build: ET_ERR_INPUT saying so. */
et_status et_mpi_start(int *argc, char ***argv, et_collective *c, int *active, et_error *err);

/* Ends MPI after et_mpi_start made it active (no-op otherwise). With abort_status != 0 and
 * more than one rank, aborts every rank with that status instead of waiting for them: a rank
 * that stopped alone must not leave the others blocked in an exchange. */
void et_mpi_finish(int active, int abort_status, int size);

#endif
