/* sgx_shim.h: the few SimGrid 3.32 calls that exist only in C++, exposed to C.
 * Implemented in sgx_shim.cpp; nothing else in edgetune is C++. */
#ifndef ET_SGX_SHIM_H
#define ET_SGX_SHIM_H

#include <simgrid/forward.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Loads a platform file, catching SimGrid's C++ exceptions (parse errors,
 * missing file). Returns 0 on success, -1 with the exception text in msg. */
int sgx_load_platform(const char *path, char *msg, size_t msg_size);

/* Attaches host to a WIFI link at rate level (index into the link's bandwidth list). */
void sgx_link_set_host_wifi_rate(sg_link_t link, sg_host_t host, int level);

/* Looks up a link by name without throwing; NULL when unknown. */
sg_link_t sgx_link_by_name_or_null(const char *name);

#ifdef __cplusplus
}
#endif

#endif
