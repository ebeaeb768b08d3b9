/* interrupt.c: the signal flag (see interrupt.h). */
#define _DEFAULT_SOURCE
#include "interrupt.h"

#include <signal.h>
#include <stddef.h>
#include <string.h>

/* The accepted exception to "no global mutable state" (interrupt.h): written
 * only by the handler (and et_interrupt_raise), read by the polling loops. */
static volatile sig_atomic_t interrupt_signal = 0;

static void on_signal(int sig)
{
    if (!interrupt_signal) interrupt_signal = sig;
}

void et_interrupt_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: waitpid and read return EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

int et_interrupted(void)
{
    return (int)interrupt_signal;
}

void et_interrupt_raise(int sig)
{
    if (!interrupt_signal) interrupt_signal = sig;
}

const char *et_interrupt_name(int sig)
{
    switch (sig) {
    case SIGINT:
        return "SIGINT";
    case SIGTERM:
        return "SIGTERM";
    case SIGHUP:
        return "SIGHUP";
    }
    return "a signal";
}
