/* edgetune_export.h: what marks the public API, the installed headers (include/edgetune/).
 *
 * The library is built with -fvisibility=hidden: libedgetune.so exports a function only when
 * its declaration stands between ET_API_BEGIN and ET_API_END (every installed header wraps its
 * declarations in them; they also give C++ callers C linkage) or carries ET_API. Everything
 * else stays inside the library. */
#ifndef ET_EDGETUNE_EXPORT_H
#define ET_EDGETUNE_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define ET_API __attribute__((visibility("default")))
#define ET_VISIBILITY_PUSH _Pragma("GCC visibility push(default)")
#define ET_VISIBILITY_POP _Pragma("GCC visibility pop")
#else
#define ET_API
#define ET_VISIBILITY_PUSH
#define ET_VISIBILITY_POP
#endif

#ifdef __cplusplus
#define ET_API_BEGIN extern "C" { ET_VISIBILITY_PUSH
#define ET_API_END ET_VISIBILITY_POP }
#else
#define ET_API_BEGIN ET_VISIBILITY_PUSH
#define ET_API_END ET_VISIBILITY_POP
#endif

#endif
