/* mobility.h: UE positions over time inside a circular cell centred on the
 * access point at (0, 0). Pure C, no SimGrid; advanced in fixed steps by the
 * channel actor. Models: static, random waypoint, Gauss-Markov, trace file. */
#ifndef ET_MOBILITY_H
#define ET_MOBILITY_H

#include "rng.h"
#include "status.h"

typedef enum et_mobility_model {
    ET_MOBILITY_STATIC = 0,
    ET_MOBILITY_RANDOM_WAYPOINT = 1,
    ET_MOBILITY_GAUSS_MARKOV = 2,
    ET_MOBILITY_TRACE = 3,
} et_mobility_model;

typedef struct et_mobility_params {
    et_mobility_model model;
    double cell_radius_m;  /* R: positions stay within this disc */
    double min_distance_m; /* UEs never come closer to the AP than this */
    double speed_min_mps;  /* random waypoint: speed drawn in [min, max] per leg */
    double speed_max_mps;
    double pause_s;  /* random waypoint: pause at each waypoint */
    double gm_alpha; /* Gauss-Markov memory in [0, 1] (per second) */
    double gm_mean_speed_mps;
    double gm_speed_std_mps;
    double gm_direction_std_rad;
} et_mobility_params;

/* Fills p with the documented defaults (docs/channel.md): random waypoint,
 * R = 250 m, min distance 10 m, pedestrian speed 0.5-1.5 m/s, pause 10 s;
 * Gauss-Markov alpha 0.85, mean speed 1 m/s, speed std 0.3 m/s, direction
 * std 0.4 rad. */
void et_mobility_params_default(et_mobility_params *p);

/* Checks p against the documented ranges (0 <= min distance < R,
 * 0 < speed_min <= speed_max, ...). Returns ET_OK or ET_ERR_INPUT with a
 * message naming the field, the accepted range and the value. */
et_status et_mobility_params_validate(const et_mobility_params *p, et_error *err);

/* A mobility trace: rows (time_s, ue, x_m, y_m); rows of different UEs may be
 * interleaved, but each UE's rows are in non-decreasing time order. UEs are
 * numbered 0..N-1 and every one of them needs at least one row. Positions
 * between rows are linearly interpolated; before the first row a UE is at its
 * first row, after the last row it stays put. Two rows with the same time
 * make a jump (the later row wins from that time on). */
typedef struct et_mobility_trace et_mobility_trace;

/* Loads a CSV trace with header "time_s,ue,x_m,y_m" (blank lines ignored).
 * On success *out owns the trace (free with et_mobility_trace_destroy).
 * Errors: ET_ERR_IO when the file cannot be read; ET_ERR_INPUT for a bad
 * header, wrong column count, non-numeric or non-finite field, negative time,
 * a ue that is not an integer in [0, 100000), time going backwards for a UE,
 * a UE without rows, or no rows at all; the message names the file, line and
 * column, e.g. "trace.csv:12: column 'x_m': expected a number, got 'abc'". */
et_status et_mobility_trace_load(const char *path, et_mobility_trace **out, et_error *err);
void et_mobility_trace_destroy(et_mobility_trace *trace); /* NULL-safe */
/* Number of distinct UEs in the trace (max ue index + 1). */
int et_mobility_trace_ue_count(const et_mobility_trace *trace);

/* Per-UE mobility state. */
typedef struct et_mobility_state {
    double x_m, y_m;
    double speed_mps, direction_rad; /* Gauss-Markov / current leg */
    double target_x_m, target_y_m;   /* random waypoint */
    double pause_left_s;
    double gm_mean_direction_rad; /* Gauss-Markov mean direction; reflected with the UE */
    et_rng rng;
} et_mobility_state;

/* Initialises UE ue at (x0, y0) and seeds st->rng from
 * (seed, et_rng_stream_id(ET_RNG_MOBILITY, ue)). For random waypoint and
 * Gauss-Markov a start outside the annulus min_distance <= r <= R is moved
 * radially onto it; random waypoint starts its first leg at once. For the
 * trace model the position is the trace's first row once stepped. */
void et_mobility_init(et_mobility_state *st, const et_mobility_params *p, int ue, double x0_m,
                      double y0_m, uint64_t seed);

/* Advances one UE from now_s to now_s + dt_s (dt_s >= 0). trace may be NULL
 * unless the model is ET_MOBILITY_TRACE; with a NULL trace or a ue beyond
 * the trace's UE count the UE stays where it is (check the count at setup).
 * Afterwards speed_mps is the UE's speed at now_s + dt_s (0 while paused or
 * static). Allocation-free; p is assumed valid. */
void et_mobility_step(et_mobility_state *st, const et_mobility_params *p,
                      const et_mobility_trace *trace, int ue, double now_s, double dt_s);

#endif
