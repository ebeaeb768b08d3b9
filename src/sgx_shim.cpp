// sgx_shim.cpp: C wrappers for C++-only SimGrid 3.32 calls (see sgx_shim.h).
#include "sgx_shim.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <vector>

#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/host.h>
#include <simgrid/kernel/routing/NetPoint.hpp>
#include <simgrid/kernel/routing/NetZoneImpl.hpp>
#include <simgrid/engine.h>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>

extern "C" int sgx_init(int *argc, char **argv, char *msg, size_t msg_size)
{
    try {
        simgrid_init(argc, argv);
        return 0;
    } catch (const std::exception &e) {
        std::snprintf(msg, msg_size, "%s", e.what());
        for (char *c = msg; *c; c++) /* SimGrid appends every valid key: keep the first line */
            if (*c == '\n') {
                *c = '\0';
                break;
            }
        return -1;
    }
}

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
namespace
{
using simgrid::kernel::routing::NetPoint;
using simgrid::kernel::routing::NetZoneImpl;
using simgrid::kernel::routing::Route;

/* NetZoneImpl::get_local_route is protected; a pointer to it taken through a
 * derived class may be called on any zone. Never instantiated. */
struct LocalRoute : NetZoneImpl {
    static void get(NetZoneImpl *zone, const NetPoint *src, const NetPoint *dst, Route *into)
    {
        double latency = 0;
        (zone->*(&LocalRoute::get_local_route))(src, dst, into, &latency);
    }
};

/* Zones from the root down to netpoint's own zone. */
std::vector<NetZoneImpl *> zone_path(const NetPoint *netpoint)
{
    std::vector<NetZoneImpl *> path;
    for (NetZoneImpl *z = netpoint->get_englobing_zone(); z; z = z->get_parent())
        path.insert(path.begin(), z);
    return path;
}

/* Walks the route from src to dst as SimGrid 3.32's
 * NetZoneImpl::get_global_route_with_netzones does, and reports a missing
 * inter-zone route: there SimGrid dereferences the null gateways of the
 * empty route a Full zone returns and crashes (a segfault, not an
 * exception). Zones askable() rules out are not asked at all. Bypass routes
 * are not considered. */
bool zone_route_exists(const NetPoint *src, const NetPoint *dst, sgx_zone_route_askable_fn askable,
                       void *ctx, char *msg, size_t msg_size, int depth)
{
    if (src == dst || depth > 64) return true;
    std::vector<NetZoneImpl *> a = zone_path(src), b = zone_path(dst);
    size_t common = 0;
    while (common < a.size() && common < b.size() && a[common] == b[common])
        common++;
    /* Same zone (or one path inside the other): a local route, no gateways. */
    if (common == 0 || common == a.size() || common == b.size()) return true;
    if (askable && !askable(ctx, a[common - 1]->get_cname(), a[common]->get_cname(),
                            b[common]->get_cname(), msg, msg_size))
        return false;
    Route route;
    LocalRoute::get(a[common - 1], a[common]->get_netpoint(), b[common]->get_netpoint(), &route);
    if (!route.gw_src_ || !route.gw_dst_) {
        std::snprintf(msg, msg_size, "zone '%s' declares no zoneRoute from zone '%s' to zone '%s'",
                      a[common - 1]->get_cname(), a[common]->get_cname(), b[common]->get_cname());
        return false;
    }
    return zone_route_exists(src, route.gw_src_, askable, ctx, msg, msg_size, depth + 1) &&
           zone_route_exists(route.gw_dst_, dst, askable, ctx, msg, msg_size, depth + 1);
}
} // namespace

extern "C" int sgx_host_get_route(sg_host_t from, sg_host_t to, xbt_dynar_t links,
                                  sgx_zone_route_askable_fn askable, void *ctx, char *msg,
                                  size_t msg_size)
{
    try {
        if (!zone_route_exists(from->get_netpoint(), to->get_netpoint(), askable, ctx, msg,
                               msg_size, 0))
            return -1;
        sg_host_get_route(from, to, links);
        return 0;
    } catch (const std::exception &e) {
        std::snprintf(msg, msg_size, "%s", e.what());
        return -1;
    }
}
