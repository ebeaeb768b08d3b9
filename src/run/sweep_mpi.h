/* sweep_mpi.h: MPI ranks for `edgetune sweep` (docs/sweeps.md).
 *
 * Part of the edgetune program, not of the library: only the program links
 * MPI, and only when the build found it. Under mpirun every rank runs
 * `edgetune sweep SPEC`; the runs are dealt round-robin by index and every
 * rank sends its rows to rank 0. */
#ifndef ET_SWEEP_MPI_H
#define ET_SWEEP_MPI_H

#include "status.h"
#include "sweep.h"

/* Starts MPI when this process was started by an MPI launcher (*active = 1)
 * and fills net; otherwise leaves MPI alone (*active = 0). Without MPI in the
 * build, a process under a launcher is an error. */
et_status et_sweep_mpi_open(int *argc, char ***argv, et_sweep_net *net, int *active, et_error *err);

/* Ends MPI; with failed != 0 (the exit status) aborts every rank instead of
 * waiting for them. */
void et_sweep_mpi_close(const et_sweep_net *net, int failed);

#endif
