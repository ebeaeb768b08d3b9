/* sgx_shim.h: the few SimGrid 3.32 calls that exist only in C++, exposed to C.
 * Implemented in sgx_shim.cpp; nothing else in edgetune is C++. */
#ifndef ET_SGX_SHIM_H
#define ET_SGX_SHIM_H

#include <simgrid/forward.h>
#include <stddef.h>
#include <xbt/dynar.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Loads a platform file, catching SimGrid's C++ exceptions (parse errors,
 * missing file). Returns 0 on success, -1 with the exception text in msg. */
int sgx_load_platform(const char *path, char *msg, size_t msg_size);

/* simgrid_init, catching SimGrid's C++ exceptions (an unknown --cfg key
 * throws). Returns 0, or -1 with the first line of the exception's text in
 * msg. */
int sgx_init(int *argc, char **argv, char *msg, size_t msg_size);

/* Attaches host to a WIFI link at rate level (index into the link's bandwidth list). */
void sgx_link_set_host_wifi_rate(sg_link_t link, sg_host_t host, int level);

/* Looks up a link by name without throwing; NULL when unknown. */
sg_link_t sgx_link_by_name_or_null(const char *name);

/* Starts a host-to-host comm of size_bytes (rounded up to whole bytes) from
 * `from` to `to` now: no mailbox, so no rendezvous can delay its start, and
 * its rate bound is fixed by the route's bandwidths at this instant
 * (SimGrid 3.32, CM02). The caller owns one reference, released by
 * sgx_comm_wait. */
sg_comm_t sgx_comm_sendto_async(sg_host_t from, sg_host_t to, double size_bytes);

/* 1 when SimGrid's calls to CommImpl::detach reach the shim's replacement, which keeps the comms
 * of sgx_comm_sendto_async out of SimGrid 3.32's list of detached comms (walked at every comm's
 * end: quadratic in the comms in flight); 0 when the program does not export the replacement
 * or SimGrid is another version (sgx_shim.cpp). */
int sgx_comm_detach_replaced(void);

/* Waits for comm and releases the caller's reference. Returns 0 when it
 * completed, 1 when it was cancelled (sgx_comm_cancel) or failed. */
int sgx_comm_wait(sg_comm_t comm);

/* Bytes comm still has to move (its full size while in the latency phase). */
double sgx_comm_get_remaining(sg_comm_t comm);

/* Cancels a running comm from any actor; its waiter's sgx_comm_wait returns 1. */
void sgx_comm_cancel(sg_comm_t comm);
/* sg_host_get_route without aborting: appends the links of the route from
 * -> to to links and returns 0, or returns -1 with the reason in msg when
 * there is no route. SimGrid 3.32 throws for some missing routes (a star
 * zone's std::out_of_range, caught here) and segfaults for others (two zones
 * of a Full zone with no zoneRoute between them), so the zone path is
 * walked first, as SimGrid walks it, and a missing zoneRoute is reported.
 * askable(ctx, zone, src_child, dst_child, why, why_size) (may be NULL)
 * must return 0, with the reason in why, when SimGrid would crash on asking
 * zone for a route between two of its children (a Full, Floyd or Dijkstra
 * zone without any route has no routing table; a Dijkstra zone cannot
 * route between sub-zones at all). */
typedef int (*sgx_zone_route_askable_fn)(void *ctx, const char *zone, const char *src_child,
                                         const char *dst_child, char *why, size_t why_size);
int sgx_host_get_route(sg_host_t from, sg_host_t to, xbt_dynar_t links,
                       sgx_zone_route_askable_fn askable, void *ctx, char *msg, size_t msg_size);

/* Paje user types (SimGrid's tracing, simgrid/instr.h), for src/engine/paje.c: a variable on every
 * host (is_link 0) or link container, set at the current engine time; a mark type whose
 * events carry a value (declared on first use: SimGrid refuses an undeclared value). */
void sgx_trace_declare_variable(int is_link, const char *name, const char *color);
void sgx_trace_set_variable(int is_link, const char *container, const char *name, double value);
void sgx_trace_declare_mark(const char *type);
void sgx_trace_mark(const char *type, const char *value);

#ifdef __cplusplus
}
#endif

#endif
