// sgx_shim.cpp: C wrappers for C++-only SimGrid 3.32 calls (see sgx_shim.h).
#include "sgx_shim.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <exception>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>
#include <xbt/config.hpp>
#include <xbt/log.h>

#include <simgrid/Exception.hpp>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/instr.h>
#include <simgrid/kernel/routing/NetPoint.hpp>
#include <simgrid/kernel/routing/NetZoneImpl.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/version.h>

namespace
{
/* What edgetune does with a SimGrid --cfg key (SimGrid 3.32). */
enum class CfgKind { fixed, number, integer, boolean, choice };
struct CfgRule {
    const char *name;
    CfgKind kind;
    double min, max;     /* number, integer: inclusive range */
    const char *choices; /* choice: '|'-separated; fixed: the reason */
};

const char *const REASON_MODEL =
    "edgetune runs SimGrid's CM02 network model without cross-traffic (LV08 deadlocks a comm "
    "whose link changes in its latency phase)";
const char *const REASON_EXACT = "edgetune's transfers take exactly latency + size / bandwidth "
                                 "(docs/simulation.md)";
const char *const REASON_PAJE = "edgetune sets it for --paje FILE (docs/traces.md)";

/* The --cfg keys edgetune passes to SimGrid, each with the values that
 * neither abort SimGrid nor break a run (measured: maxmin/precision -1 or
 * NaN and a stack size of 0 abort or crash it), and those edgetune sets
 * itself. Any other SimGrid key is refused: it belongs to a part of SimGrid
 * edgetune does not use (SMPI, model checking, plugins, ns-3, other models)
 * or SimGrid dies on a bad value of it. */
const CfgRule CFG_RULES[] = {
    {"maxmin/precision", CfgKind::number, 1e-15, 1e-2, nullptr},
    {"surf/precision", CfgKind::number, 1e-15, 1e-2, nullptr},
    {"network/TCP-gamma", CfgKind::number, 0, 1e15, nullptr},
    {"network/optim", CfgKind::choice, 0, 0, "Lazy|Full"},
    {"cpu/optim", CfgKind::choice, 0, 0, "Lazy|TI|Full"},
    {"network/maxmin-selective-update", CfgKind::boolean, 0, 0, nullptr},
    {"cpu/maxmin-selective-update", CfgKind::boolean, 0, 0, nullptr},
    {"contexts/factory", CfgKind::choice, 0, 0, "raw|ucontext|boost|thread"},
    {"contexts/stack-size", CfgKind::integer, 64, 1048576, nullptr},
    {"contexts/guard-size", CfgKind::integer, 0, 1024, nullptr},
    {"tracing/precision", CfgKind::integer, 0, 17, nullptr},
    {"network/model", CfgKind::fixed, 0, 0, REASON_MODEL},
    {"network/crosstraffic", CfgKind::fixed, 0, 0, REASON_MODEL},
    {"network/latency-factor", CfgKind::fixed, 0, 0, REASON_EXACT},
    {"network/bandwidth-factor", CfgKind::fixed, 0, 0, REASON_EXACT},
    {"tracing", CfgKind::fixed, 0, 0, REASON_PAJE},
    {"tracing/filename", CfgKind::fixed, 0, 0, REASON_PAJE},
    {"tracing/uncategorized", CfgKind::fixed, 0, 0, REASON_PAJE},
    {"tracing/platform/topology", CfgKind::fixed, 0, 0, REASON_PAJE},
};

const CfgRule *cfg_rule(const std::string &name)
{
    for (const CfgRule &r : CFG_RULES)
        if (name == r.name) return &r;
    return nullptr;
}

bool in_choices(const char *choices, const std::string &value)
{
    std::string list = std::string("|") + choices + "|";
    return !value.empty() && value.find('|') == std::string::npos &&
           list.find("|" + value + "|") != std::string::npos;
}

/* "a, b, c": the keys edgetune passes through, for messages. */
std::string passed_keys()
{
    std::string keys;
    for (const CfgRule &r : CFG_RULES)
        if (r.kind != CfgKind::fixed) keys += (keys.empty() ? "" : ", ") + std::string(r.name);
    return keys;
}

/* What is wrong with the value of a key edgetune passes through ("" if
 * nothing). Booleans are left to SimGrid, which throws for a bad one. */
std::string cfg_value_problem(const CfgRule &r, const std::string &value)
{
    char buf[160];
    switch (r.kind) {
    case CfgKind::number:
    case CfgKind::integer: {
        const char *text = value.c_str();
        char *end = nullptr;
        errno = 0;
        double v = r.kind == CfgKind::number ? std::strtod(text, &end)
                                             : static_cast<double>(std::strtol(text, &end, 10));
        if (end != text && *end == '\0' && errno != ERANGE && std::isfinite(v) && v >= r.min &&
            v <= r.max)
            return "";
        std::snprintf(buf, sizeof buf, "expected %s in [%.15g, %.15g]",
                      r.kind == CfgKind::number ? "a number" : "an integer", r.min, r.max);
        return buf;
    }
    case CfgKind::choice:
        if (in_choices(r.choices, value)) return "";
        return std::string("expected one of ") + r.choices;
    case CfgKind::boolean:
    case CfgKind::fixed:
        return "";
    }
    return "";
}

/* A --log=... control string: space-separated CATEGORY.SETTING:VALUE, as
 * xbt_log_control_set reads it (SimGrid 3.32 dies on a setting without '.'
 * or ':', and on a file appender it cannot open). "" if fine. */
/* One item of a --log=... control string, CATEGORY.SETTING:VALUE: its text, and the positions
 * of the ':' and of the '.' before it (dot is npos, or 0, when the item has no category). */
struct log_item {
    std::string text;
    size_t colon, dot;
};

/* The control string's non-empty, space-separated items. */
std::vector<log_item> log_items(const std::string &control)
{
    std::vector<log_item> items;
    size_t pos = 0;
    while (pos < control.size()) {
        size_t end = control.find(' ', pos);
        if (end == std::string::npos) end = control.size();
        std::string text = control.substr(pos, end - pos);
        pos = end + 1;
        if (text.empty()) continue;
        size_t colon = text.find(':');
        size_t dot = colon == std::string::npos ? std::string::npos : text.rfind('.', colon);
        items.push_back({text, colon, dot});
    }
    return items;
}

std::string log_problem(const std::string &control)
{
    static const char *const settings = "|thres|threshold|add|additivity|fmt|format|app|appender|";
    static const char *const priorities = "trace|debug|verbose|info|warning|error|critical";
    for (const log_item &it : log_items(control)) {
        const std::string &item = it.text;
        const size_t colon = it.colon, dot = it.dot;
        if (dot == std::string::npos || dot == 0)
            return "'" + item + "': expected CATEGORY.SETTING:VALUE (e.g. root.thres:info)";
        std::string setting = item.substr(dot + 1, colon - dot - 1);
        std::string value = item.substr(colon + 1);
        if (std::string(settings).find("|" + setting + "|") == std::string::npos)
            return "'" + item + "': unknown setting '" + setting +
                   "' (expected thres, add, fmt or app)";
        if ((setting == "thres" || setting == "threshold") && !in_choices(priorities, value))
            return "'" + item + "': expected a threshold among " + priorities;
        if (setting == "fmt" || setting == "format") {
            /* SimGrid 3.32's layout directives, each with an optional width and precision
             * (%10.6r); an unknown one is printed as an error at the first log line. */
            for (size_t k = 0; k < value.size(); k++) {
                if (value[k] != '%') continue;
                k++;
                while (k < value.size() &&
                       (std::isdigit((unsigned char)value[k]) || value[k] == '.'))
                    k++;
                if (k >= value.size() ||
                    std::string("%nemcphtPaiFlLMbBdr").find(value[k]) == std::string::npos)
                    return "'" + item + "': unknown format directive '%" +
                           (k < value.size() ? std::string(1, value[k]) : std::string()) +
                           "' (expected %m, %c, %p, %h, %t, %P, %a, %i, %F, %l, %L, %M, %b, %B, "
                           "%d, %r, %n, %e or %%)";
            }
        }
        if (setting == "app" || setting == "appender") {
            if (value == "stdout" || value == "stderr") continue;
            if (value.compare(0, 5, "file:") != 0)
                return "'" + item + "': expected the appender stdout, stderr or file:PATH";
            std::string file = value.substr(5);
            size_t slash = file.rfind('/');
            std::string dir = slash == std::string::npos ? "."
                              : slash == 0               ? "/"
                                                         : file.substr(0, slash);
            if (file.empty() || access(dir.c_str(), W_OK | X_OK) != 0)
                return "'" + item + "': cannot write a log file in '" + dir + "'";
            /* SimGrid opens it with fopen "w": it aborts on a directory and would block on a
             * FIFO. */
            struct stat st;
            if (stat(file.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))
                return "'" + item + "': '" + file + "' is " +
                       (S_ISDIR(st.st_mode) ? "a directory" : "not a regular file") +
                       " (expected a log file to write)";
        }
    }
    return "";
}

/* An option as messages quote it: at most 200 characters. */
std::string quoted(const std::string &arg)
{
    return "option '" + (arg.size() > 200 ? arg.substr(0, 200) + "..." : arg) + "'";
}

/* 1 when name is a log category in the tree under cat. SimGrid 3.32 connects its categories
 * when it starts (they are what --help-log-categories lists; edgetune has none of its own), so
 * after simgrid_init the tree is complete and a name not in it is a typo that would silently
 * log nothing. The fields are read-only here. */
bool log_category_known(xbt_log_category_t cat, const std::string &name)
{
    for (xbt_log_category_t c = cat; c; c = c->nextSibling)
        if (name == c->name || log_category_known(c->firstChild, name)) return true;
    return false;
}

/* The categories a --log=... control string names that SimGrid does not have ("" if none). */
std::string unknown_log_category(const std::string &control)
{
    for (const log_item &it : log_items(control)) {
        if (it.dot == std::string::npos || it.dot == 0) continue; /* log_problem reported it */
        std::string category = it.text.substr(0, it.dot);
        if (!log_category_known(&_XBT_LOGV(XBT_LOG_ROOT_CAT), category)) return category;
    }
    return "";
}

void copy_message(char *msg, size_t msg_size, const std::string &text)
{
    std::snprintf(msg, msg_size, "%s", text.c_str());
    for (char *c = msg; *c; c++) /* SimGrid appends every valid key: keep the first line */
        if (*c == '\n') {
            *c = '\0';
            break;
        }
}
} // namespace

extern "C" int sgx_init(int *argc, char **argv, char *msg, size_t msg_size)
{
    /* --cfg options are checked here and set one by one after the engine
     * exists (so that an error names its option), except contexts/factory,
     * which SimGrid reads when the engine starts. --log options are checked
     * here and handed to simgrid_init. */
    std::vector<std::pair<std::string, std::string>> later; /* (option, NAME:VALUE) */
    std::vector<std::pair<std::string, std::string>> unknown;
    std::vector<std::string> cfg_names, logs;
    int kept = 1;
    for (int i = 1; i < *argc; i++) {
        std::string arg = argv[i];
        if (arg.compare(0, 6, "--log=") == 0) {
            std::string why = log_problem(arg.substr(6));
            if (!why.empty()) {
                copy_message(msg, msg_size, quoted(arg) + ": " + why);
                return -1;
            }
            logs.push_back(arg);
        } else if (arg.compare(0, 6, "--cfg=") == 0) {
            std::string spec = arg.substr(6);
            size_t colon = spec.find(':');
            if (colon == std::string::npos || colon == 0) {
                copy_message(msg, msg_size, quoted(arg) + ": expected --cfg=NAME:VALUE");
                return -1;
            }
            std::string name = spec.substr(0, colon), value = spec.substr(colon + 1);
            /* A second value of one key is a conflict, not "the last one wins". */
            for (const std::string &seen : cfg_names)
                if (seen == name) {
                    copy_message(msg, msg_size,
                                 quoted(arg) + ": --cfg=" + name + " is given twice");
                    return -1;
                }
            cfg_names.push_back(name);
            const CfgRule *rule = cfg_rule(name);
            if (!rule) {
                unknown.emplace_back(arg, name);
                continue;
            }
            if (rule->kind == CfgKind::fixed) {
                copy_message(msg, msg_size,
                             quoted(arg) + ": " + rule->choices + "; this option cannot be set");
                return -1;
            }
            std::string why = cfg_value_problem(*rule, value);
            if (!why.empty()) {
                copy_message(msg, msg_size, quoted(arg) + ": " + why + ", got '" + value + "'");
                return -1;
            }
            if (name != "contexts/factory") {
                later.emplace_back(arg, spec);
                continue;
            }
        }
        argv[kept++] = argv[i];
    }
    argv[kept] = nullptr;
    *argc = kept;
    try {
        simgrid_init(argc, argv);
    } catch (const std::exception &e) {
        copy_message(msg, msg_size, std::string("SimGrid: ") + e.what());
        return -1;
    }
    for (const std::string &arg : logs) {
        std::string category = unknown_log_category(arg.substr(6));
        if (!category.empty()) {
            copy_message(msg, msg_size,
                         quoted(arg) + ": unknown log category '" + category +
                             "' (edgetune run --help-log-categories lists them)");
            return -1;
        }
    }
    for (const auto &u : unknown) {
        bool known = true;
        try {
            (void)simgrid::config::is_default(u.second.c_str());
        } catch (const std::exception &) {
            known = false;
        }
        copy_message(msg, msg_size,
                     quoted(u.first) + ": " +
                         (known ? "SimGrid's '" + u.second + "' is not supported by edgetune"
                                : "unknown SimGrid option '" + u.second + "'") +
                         " (edgetune passes " + passed_keys() + ")");
        return -1;
    }
    for (const auto &o : later) {
        try {
            simgrid::config::set_parse(o.second);
        } catch (const std::exception &e) {
            copy_message(msg, msg_size, quoted(o.first) + ": " + e.what());
            return -1;
        }
    }
    return 0;
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

/* SimGrid 3.32 registers every host-to-host comm with maestro: Comm::sendto_init() creates the
 * comm and calls CommImpl::detach(), which appends it to maestro's activity list (a std::list),
 * and CommImpl::finish() takes it out again with std::list::remove, a walk of the whole list.
 * The list holds every host-to-host comm in flight in the platform, so each comm's end costs
 * time in proportion to the transfers in flight: quadratic in the UEs (a third of the CPU time
 * of a 10,000-UE metro, and more beyond). The registration keeps alive a comm nobody owns and
 * lets a host that is turned off cancel it; edgetune owns every comm it starts (the reference
 * sgx_comm_wait releases) and turns no host off. So while sendto_init() creates edgetune's comm
 * (a plain call, no simcall: no other actor runs meanwhile), CommImpl::detach is a no-op: the
 * comm stays an ordinary owned comm, the same model action started at the same instant, and
 * nothing else changes (results byte-identical, docs/simulation.md "Transfers"). The no-op is
 * this program's (or libedgetune.so's) definition of SimGrid's exported symbol, to which the
 * dynamic linker binds libsimgrid's own calls (CMakeLists.txt exports it); every other call is
 * passed on to SimGrid's. Later SimGrid versions keep the list as a set: 3.32 only. */
#if SIMGRID_VERSION_MAJOR == 3 && SIMGRID_VERSION_MINOR == 32
#define SGX_COMM_IMPL_DETACH "_ZN7simgrid6kernel8activity8CommImpl6detachEv"
namespace
{
thread_local bool creating_comm = false; /* this thread is in sendto_init() for edgetune */
}

/* simgrid::kernel::activity::CommImpl& simgrid::kernel::activity::CommImpl::detach() */
extern "C" __attribute__((visibility("default"))) void *sgx_comm_impl_detach(void *comm_impl)
    __asm__(SGX_COMM_IMPL_DETACH);
void *sgx_comm_impl_detach(void *comm_impl)
{
    if (creating_comm) return comm_impl;
    using detach_fn = void *(*)(void *);
    /* SimGrid's own definition, looked up once. */
    static const detach_fn simgrid_detach =
        reinterpret_cast<detach_fn>(dlsym(RTLD_NEXT, SGX_COMM_IMPL_DETACH));
    if (simgrid_detach == nullptr) {
        std::fprintf(stderr, "edgetune: internal error: SimGrid's CommImpl::detach not found\n");
        std::abort();
    }
    return simgrid_detach(comm_impl);
}
#endif

extern "C" int sgx_comm_detach_replaced(void)
{
#if SIMGRID_VERSION_MAJOR == 3 && SIMGRID_VERSION_MINOR == 32
    return dlsym(RTLD_DEFAULT, SGX_COMM_IMPL_DETACH) == reinterpret_cast<void *>(&sgx_comm_impl_detach);
#else
    return 0;
#endif
}

/* Comm::sendto_init(), with the comm kept out of maestro's list on SimGrid 3.32 (above). */
static simgrid::s4u::CommPtr comm_create()
{
#if SIMGRID_VERSION_MAJOR == 3 && SIMGRID_VERSION_MINOR == 32
    struct Creating { /* the flag is down again however sendto_init() returns */
        Creating() { creating_comm = true; }
        ~Creating() { creating_comm = false; }
        Creating(const Creating &) = delete;
        Creating &operator=(const Creating &) = delete;
    } creating;
#endif
    return simgrid::s4u::Comm::sendto_init();
}

extern "C" sg_comm_t sgx_comm_sendto_async(sg_host_t from, sg_host_t to, double size_bytes)
{
    /* SimGrid 3.32's Comm::sendto_async, call for call, with the comm created by comm_create:
     * setting the second of the two hosts starts it. */
    simgrid::s4u::CommPtr comm = comm_create();
    comm->set_payload_size(static_cast<uint64_t>(std::ceil(size_bytes)))
        ->set_source(from)
        ->set_destination(to);
    return comm.detach(); // the caller's reference, adopted again by sgx_comm_wait
}

extern "C" void sgx_trace_declare_variable(int is_link, const char *name, const char *color)
{
    if (is_link)
        simgrid::instr::declare_link_variable(name, color ? color : "");
    else
        simgrid::instr::declare_host_variable(name, color ? color : "");
}

extern "C" void sgx_trace_set_variable(int is_link, const char *container, const char *name,
                                       double value)
{
    if (is_link)
        simgrid::instr::set_link_variable(container, name, value);
    else
        simgrid::instr::set_host_variable(container, name, value);
}

extern "C" void sgx_trace_declare_mark(const char *type)
{
    simgrid::instr::declare_mark(type);
}

extern "C" void sgx_trace_mark(const char *type, const char *value)
{
    simgrid::instr::declare_mark_value(type, value); /* again for a known value: no event */
    simgrid::instr::mark(type, value);
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
