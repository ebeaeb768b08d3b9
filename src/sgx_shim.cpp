// sgx_shim.cpp: C wrappers for C++-only SimGrid 3.32 calls (see sgx_shim.h).
#include "sgx_shim.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>

#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>

extern "C" int sgx_load_platform(const char *path, char *msg, size_t msg_size)
{
    try {
        simgrid::s4u::Engine::get_instance()->load_platform(path);
        return 0;
    } catch (const std::exception &e) {
        std::snprintf(msg, msg_size, "%s", e.what());
        return -1;
    }
}

extern "C" void sgx_link_set_host_wifi_rate(sg_link_t link, sg_host_t host, int level)
{
    link->set_host_wifi_rate(host, level);
}

extern "C" sg_link_t sgx_link_by_name_or_null(const char *name)
{
    return simgrid::s4u::Link::by_name_or_null(name);
}

extern "C" sg_comm_t sgx_comm_sendto_async(sg_host_t from, sg_host_t to, double size_bytes)
{
    simgrid::s4u::CommPtr comm =
        simgrid::s4u::Comm::sendto_async(from, to, static_cast<uint64_t>(std::ceil(size_bytes)));
    return comm.detach(); // the caller's reference, adopted again by sgx_comm_wait
}

extern "C" int sgx_comm_wait(sg_comm_t comm)
{
    simgrid::s4u::CommPtr owned(comm, false);
    try {
        owned->wait();
        return 0;
    } catch (const simgrid::NetworkFailureException &) {
        return 1; // a running comm that is cancelled fails as a network failure
    } catch (const simgrid::CancelException &) {
        return 1;
    }
}

extern "C" double sgx_comm_get_remaining(sg_comm_t comm)
{
    return comm->get_remaining();
}

extern "C" void sgx_comm_cancel(sg_comm_t comm)
{
    comm->cancel();
}
