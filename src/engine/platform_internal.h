/* platform_internal.h: what the platform check (platform_check.c) shares with loading and
 * discovery (platform.c). Not installed. */
#ifndef ET_PLATFORM_INTERNAL_H
#define ET_PLATFORM_INTERNAL_H

#include <stddef.h>

/* Grows *array (elem bytes each, capacity *cap) to hold need elements: 0, or -1 out of memory. */
int et_platform_grow(void **array, size_t *cap, size_t need, size_t elem);

/* qsort/bsearch comparison of two char * (by strcmp). */
int et_platform_cmp_str(const void *a, const void *b);

/* A SimGrid bandwidth ("390000000bps", "54Mbps", "1GBps") in bits/s, as SimGrid 3.32 parses it;
 * 0 when it is not one (the check has refused those before loading). */
double et_platform_bandwidth_bps(const char *s);

/* A cell radio property of a host (docs/platforms.md section 3: scenario, frequency_hz, h_bs_m,
 * h_ut_m, duplex, carrier_hz, tdd_pattern, tdd_special_slot, carrier_down_hz, carrier_up_hz,
 * ap_tx_power_dbm) checked on its own: -1 when name is not one, 0 when value is accepted, 1
 * when it is refused, with what it accepts written to expected ("a number in [...] (...)",
 * "one of ..."). The pre-check and discovery both use it. */
int et_cell_prop_check(const char *name, const char *value, char *expected, size_t size);

#endif
