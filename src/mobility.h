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
    double cell_radius_m;    /* R: positions stay within this disc */
    double min_distance_m;   /* UEs never come closer to the AP than this */
    double speed_min_mps;    /* random waypoint: speed drawn in [min, max] per leg */
    double speed_max_mps;
    double pause_s;          /* random waypoint: pause at each waypoint */
    double gm_alpha;         /* Gauss-Markov memory in [0, 1] (per second) */
    double gm_mean_speed_mps;
    double gm_speed_std_mps;
    double gm_direction_std_rad;
} et_mobility_params;

/* A mobility trace: rows (time_s, ue, x_m, y_m), sorted by ue then time.
 * Positions between rows are linearly interpolated; after the last row a UE
 * stays put. */
typedef struct et_mobility_trace et_mobility_trace;

/* Loads a CSV trace with header "time_s,ue,x_m,y_m". Errors name the file,
 * line and column. */
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
    et_rng rng;
} et_mobility_state;

/* Initialises UE ue at (x0, y0); rng seeded by the caller from
 * (seed, et_rng_stream_id(ET_RNG_MOBILITY, ue)). */
void et_mobility_init(et_mobility_state *st, const et_mobility_params *p, int ue, double x0_m,
                      double y0_m, uint64_t seed);

/* Advances one UE from now_s to now_s + dt_s. trace may be NULL unless the
 * model is ET_MOBILITY_TRACE. */
void et_mobility_step(et_mobility_state *st, const et_mobility_params *p,
                      const et_mobility_trace *trace, int ue, double now_s, double dt_s);

#endif
