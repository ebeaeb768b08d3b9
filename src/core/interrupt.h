/* interrupt.h: SIGINT, SIGTERM and SIGHUP as a flag that long loops poll.
 *
 * The command line installs the handler (et_interrupt_install); it only records
 * the signal. The simulation (sim.c: the UE and channel actors), the training
 * loop and the process pool (isolate.c) poll et_interrupted() at points where
 * nothing is half-written, stop, and return ET_ERR_INTERRUPTED; main prints one
 * line saying where things stand and exits with 128 + the signal number
 * (docs/traces.md, "Limits, signals and exit statuses").
 *
 * The flag is the one piece of process-global mutable state outside the SimGrid
 * engine: a volatile sig_atomic_t is all a signal handler may portably write.
 * A program that never installs the handler (the library embedded elsewhere)
 * never sees it set. */
#ifndef ET_INTERRUPT_H
#define ET_INTERRUPT_H

/* Installs the handler for SIGINT, SIGTERM and SIGHUP (without SA_RESTART, so
 * a parent blocked in waitpid or read wakes up and can pass the signal on to
 * its children). A second signal of the same kind does not kill the process:
 * the current write always finishes. */
void et_interrupt_install(void);

/* The signal received since et_interrupt_install (SIGINT, SIGTERM, SIGHUP), or 0. */
int et_interrupted(void);

/* Marks the process interrupted by sig as if it had received it (a child told
 * by its parent through a pipe, tests). */
void et_interrupt_raise(int sig);

/* "SIGINT", "SIGTERM", "SIGHUP" (or "signal N"), for messages. */
const char *et_interrupt_name(int sig);

#endif
