// sgx_shim.cpp: C wrappers for C++-only SimGrid 3.32 calls (see sgx_shim.h).
#include "sgx_shim.h"

#include <cstdio>
#include <exception>

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
