/* mobility.h: UE positions over time inside a circular cell centred on the
 * UE's own access point: (0, 0) in a single-cell platform, the AP host's
 * position in a multi-cell one. Pure C, no SimGrid; advanced in fixed steps
 * by the channel actor. Models: static, random waypoint, Gauss-Markov, trace
 * file. Speeds depend on the device class: pedestrians walk, vehicles
 * (class car, vehicle, bus, truck) drive. */
#ifndef ET_MOBILITY_H
#define ET_MOBILITY_H

#include "edgetune_export.h"
#include "rng.h"
#include "status.h"

ET_API_BEGIN

typedef enum et_mobility_model {
    ET_MOBILITY_STATIC = 0,
    ET_MOBILITY_RANDOM_WAYPOINT = 1,
    ET_MOBILITY_GAUSS_MARKOV = 2,
    ET_MOBILITY_TRACE = 3,
} et_mobility_model;

typedef struct et_mobility_params {
    et_mobility_model model;
    double cell_radius_m;  /* R: positions stay within this disc (unless the UE's cell
                              gives its own radius, et_mobility_home) */
    double min_distance_m; /* UEs never come closer to their AP than this */
    double speed_min_mps;  /* pedestrians, random waypoint: speed drawn in [min, max] per leg */
    double speed_max_mps;
    /* Vehicles (et_mobility_class_is_vehicle): leg speeds in [min, max] for
     * random waypoint; for Gauss-Markov a mean speed of (min + max) / 2 and a
     * speed std of (max - min) / 4. Both 0 (a zero-filled struct) selects the
     * documented default 8-20 m/s. */
    double vehicle_speed_min_mps;
    double vehicle_speed_max_mps;
    double pause_s;  /* random waypoint: pause at each waypoint */
    double gm_alpha; /* Gauss-Markov memory in [0, 1] (per second) */
    double gm_mean_speed_mps;
    double gm_speed_std_mps;
    double gm_direction_std_rad;
} et_mobility_params;

/* Fills p with the documented defaults (docs/channel.md): random waypoint,
 * R = 250 m, min distance 10 m, pedestrian speed 0.5-1.5 m/s, vehicle speed
 * 8-20 m/s, pause 10 s; Gauss-Markov alpha 0.85, mean speed 1 m/s, speed std
 * 0.3 m/s, direction std 0.4 rad (pedestrians). */
void et_mobility_params_default(et_mobility_params *p);

/* Checks p against the documented ranges (0 <= min distance < R,
 * 0 < speed_min <= speed_max, the same for vehicles or both 0, ...).
 * Returns ET_OK or ET_ERR_INPUT with a message naming the field, the
 * accepted range and the value. */
et_status et_mobility_params_validate(const et_mobility_params *p, et_error *err);

/* 1 if device_class moves at vehicle speeds: "car", "vehicle", "bus" or
 * "truck" (the class table in mobility.c, docs/channel.md section 2); 0 for
 * anything else, NULL included (pedestrians: phone, tablet, laptop, jetson). */
int et_mobility_class_is_vehicle(const char *device_class);

/* The random waypoint leg speed range of device_class under p, m/s:
 * vehicle_speed_* (8-20 when both are 0) for vehicles, speed_min/max_mps
 * for everyone else. */
void et_mobility_class_speed_range(const et_mobility_params *p, const char *device_class,
                                   double *min_mps, double *max_mps);

/* Where a UE moves: its own cell, and how fast it moves. */
typedef struct et_mobility_home {
    double ap_x_m, ap_y_m;    /* the UE's own AP: centre of the disc it stays in */
    double radius_m;          /* the disc's radius; <= 0: p->cell_radius_m. Raised to
                                 p->min_distance_m if smaller */
    const char *device_class; /* speeds (et_mobility_class_speed_range); NULL: pedestrian */
} et_mobility_home;

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
    double x_m, y_m;               /* in the platform's frame */
    double centre_x_m, centre_y_m; /* the UE's AP */
    double radius_m;               /* its disc: min_distance_m <= |pos - centre| <= radius_m */
    double speed_min_mps, speed_max_mps;        /* random waypoint legs, from the device class */
    double gm_mean_speed_mps, gm_speed_std_mps; /* Gauss-Markov, from the device class */
    double speed_mps, direction_rad;            /* Gauss-Markov / current leg */
    double target_x_m, target_y_m;              /* random waypoint */
    double pause_left_s;
    double gm_mean_direction_rad; /* Gauss-Markov mean direction; reflected with the UE */
    double path_m;                /* distance walked since init (random waypoint, Gauss-Markov;
                                     a trace adds the chord between the positions it is
                                     stepped to) */
    et_rng rng;
} et_mobility_state;

/* Initialises UE ue at (x0, y0) in the platform's frame, at home in the
 * disc home describes, and seeds st->rng from
 * (seed, et_rng_stream_id(ET_RNG_MOBILITY, ue)). For random waypoint and
 * Gauss-Markov a start outside the annulus min_distance <= r <= radius
 * around the UE's AP is moved radially onto it, and the UE stays in that
 * annulus ever after (waypoints are drawn in it; Gauss-Markov reflects off
 * its circles); random waypoint starts its first leg at once. For the trace
 * model the position is the trace's first row once stepped (traces are
 * used as given). home NULL: AP at the origin, radius p->cell_radius_m,
 * pedestrian. */
void et_mobility_init_home(et_mobility_state *st, const et_mobility_params *p, int ue, double x0_m,
                           double y0_m, const et_mobility_home *home, uint64_t seed);

/* et_mobility_init_home with home NULL: the single-cell model (AP at the
 * origin, pedestrian speeds). */
void et_mobility_init(et_mobility_state *st, const et_mobility_params *p, int ue, double x0_m,
                      double y0_m, uint64_t seed);

/* Advances one UE from now_s to now_s + dt_s (dt_s >= 0). trace may be NULL
 * unless the model is ET_MOBILITY_TRACE; with a NULL trace or a ue beyond
 * the trace's UE count the UE stays where it is (check the count at setup).
 * Afterwards speed_mps is the UE's speed at now_s + dt_s (0 while paused or
 * static). Allocation-free; p is assumed valid. */
void et_mobility_step(et_mobility_state *st, const et_mobility_params *p,
                      const et_mobility_trace *trace, int ue, double now_s, double dt_s);

ET_API_END

#endif
