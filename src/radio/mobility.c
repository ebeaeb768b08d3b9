/* mobility.c: UE positions in a circular cell around the UE's own access
 * point: static, random waypoint, Gauss-Markov and trace-file models, at
 * pedestrian or vehicle speeds by device class. Positions stay in the
 * annulus min_distance <= r <= R around the AP for the two random models.
 * Model choices and sources are in docs/channel.md. */
#include "mobility.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numtext.h"
#include "readfile.h"

/* M_PI is not in strict C11. */
static const double pi = 3.14159265358979323846;

/* Largest UE index a trace may name; a guard against a mistyped column
 * turning into a huge allocation. */
enum { TRACE_MAX_UES = 100000 };

struct et_mobility_trace {
    int n_ues;
    size_t *first;              /* (n_ues + 1): rows of ue u are first[u] .. first[u + 1] - 1 */
    double *time_s, *x_m, *y_m; /* (n_rows): grouped by ue, in time order within a ue */
};

/* Vehicles: 3GPP's urban evaluation scenarios put in-car UEs at 30 km/h
 * (8.3 m/s; TR 38.913 section 6.1, ITU-R M.2412 dense urban), rural ones up
 * to 120 km/h; 8-20 m/s (29-72 km/h) spans city streets to urban
 * arterials, the design's vehicle range (docs/channel.md section 2). */
#define DEFAULT_VEHICLE_MIN_MPS 8.0
#define DEFAULT_VEHICLE_MAX_MPS 20.0

/* Device classes that move at vehicle speeds; every other class walks. A
 * table rather than a flag per class so that platforms can name their own
 * classes (docs/platforms.md) and still get pedestrian speeds. */
static const char *const vehicle_classes[] = {"car", "vehicle", "bus", "truck"};

void et_mobility_params_default(et_mobility_params *p)
{
    p->model = ET_MOBILITY_RANDOM_WAYPOINT;
    p->cell_radius_m = 250.0; /* small macro / large small cell */
    /* 10 m keeps the UE out of the antenna's near field, where the
     * log-distance path loss law does not apply. */
    p->min_distance_m = 10.0;
    /* Pedestrians: about 1.3 m/s mean walking speed; a non-zero minimum
     * avoids the speed decay of random waypoint (Yoon, Liu & Noble 2003). */
    p->speed_min_mps = 0.5;
    p->speed_max_mps = 1.5;
    p->vehicle_speed_min_mps = DEFAULT_VEHICLE_MIN_MPS;
    p->vehicle_speed_max_mps = DEFAULT_VEHICLE_MAX_MPS;
    p->pause_s = 10.0;
    /* Gauss-Markov settings in the range used by Camp, Boleng & Davies
     * (2002) and Liang & Haas (1999): strong memory, pedestrian speed. */
    p->gm_alpha = 0.85;
    p->gm_mean_speed_mps = 1.0;
    p->gm_speed_std_mps = 0.3;
    p->gm_direction_std_rad = 0.4;
}

et_status et_mobility_params_validate(const et_mobility_params *p, et_error *err)
{
    if (p->model != ET_MOBILITY_STATIC && p->model != ET_MOBILITY_RANDOM_WAYPOINT &&
        p->model != ET_MOBILITY_GAUSS_MARKOV && p->model != ET_MOBILITY_TRACE)
        return et_error_set(err, ET_ERR_INPUT,
                            "mobility key 'model': expected static, random_waypoint, "
                            "gauss_markov or trace, got %d",
                            (int)p->model);
    struct range {
        const char *key;
        double value, lo, hi;
    } checks[] = {
        {"cell_radius_m", p->cell_radius_m, 1.0, 1e5},
        {"min_distance_m", p->min_distance_m, 0.0, 1e5},
        {"speed_min_mps", p->speed_min_mps, 1e-3, 100.0},
        {"speed_max_mps", p->speed_max_mps, 1e-3, 100.0},
        {"pause_s", p->pause_s, 0.0, 1e6},
        {"gm_alpha", p->gm_alpha, 0.0, 1.0},
        {"gm_mean_speed_mps", p->gm_mean_speed_mps, 0.0, 100.0},
        {"gm_speed_std_mps", p->gm_speed_std_mps, 0.0, 100.0},
        {"gm_direction_std_rad", p->gm_direction_std_rad, 0.0, 10.0},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        const struct range *c = &checks[i];
        if (!(c->value >= c->lo && c->value <= c->hi)) /* NaN fails too */
            return et_error_set(err, ET_ERR_INPUT,
                                "mobility key '%s': expected a number in [%g, %g], got %g", c->key,
                                c->lo, c->hi, c->value);
    }
    if (!(p->min_distance_m < p->cell_radius_m))
        return et_error_set(err, ET_ERR_INPUT,
                            "mobility key 'min_distance_m': expected less than cell_radius_m "
                            "(%g), got %g",
                            p->cell_radius_m, p->min_distance_m);
    if (!(p->speed_max_mps >= p->speed_min_mps))
        return et_error_set(err, ET_ERR_INPUT,
                            "mobility key 'speed_max_mps': expected at least speed_min_mps "
                            "(%g), got %g",
                            p->speed_min_mps, p->speed_max_mps);
    /* Both 0: the documented default range (a zero-filled struct). */
    if (p->vehicle_speed_min_mps == 0.0 && p->vehicle_speed_max_mps == 0.0) return ET_OK;
    if (!(p->vehicle_speed_min_mps >= 1e-3 && p->vehicle_speed_min_mps <= 100.0))
        return et_error_set(err, ET_ERR_INPUT,
                            "mobility key 'vehicle_speed_min_mps': expected a number in "
                            "[0.001, 100] (or 0 with vehicle_speed_max_mps 0 for the default), "
                            "got %g",
                            p->vehicle_speed_min_mps);
    if (!(p->vehicle_speed_max_mps >= p->vehicle_speed_min_mps &&
          p->vehicle_speed_max_mps <= 100.0))
        return et_error_set(err, ET_ERR_INPUT,
                            "mobility key 'vehicle_speed_max_mps': expected a number in "
                            "[vehicle_speed_min_mps (%g), 100], got %g",
                            p->vehicle_speed_min_mps, p->vehicle_speed_max_mps);
    return ET_OK;
}

int et_mobility_class_is_vehicle(const char *device_class)
{
    if (!device_class) return 0;
    for (size_t i = 0; i < sizeof vehicle_classes / sizeof vehicle_classes[0]; i++)
        if (strcmp(device_class, vehicle_classes[i]) == 0) return 1;
    return 0;
}

void et_mobility_class_speed_range(const et_mobility_params *p, const char *device_class,
                                   double *min_mps, double *max_mps)
{
    if (!et_mobility_class_is_vehicle(device_class)) {
        *min_mps = p->speed_min_mps;
        *max_mps = p->speed_max_mps;
    } else if (p->vehicle_speed_min_mps == 0.0 && p->vehicle_speed_max_mps == 0.0) {
        *min_mps = DEFAULT_VEHICLE_MIN_MPS;
        *max_mps = DEFAULT_VEHICLE_MAX_MPS;
    } else {
        *min_mps = p->vehicle_speed_min_mps;
        *max_mps = p->vehicle_speed_max_mps;
    }
}

/* ---- geometry ---------------------------------------------------------- */

/* Moves (x, y) radially onto the annulus rmin <= r <= rmax. */
static void clamp_to_annulus(double *x_m, double *y_m, double rmin_m, double rmax_m)
{
    double r = hypot(*x_m, *y_m);
    if (r > rmax_m) {
        *x_m *= rmax_m / r;
        *y_m *= rmax_m / r;
    } else if (r < rmin_m) {
        if (r == 0.0) { /* no direction to scale along: pick +x */
            *x_m = rmin_m;
            *y_m = 0.0;
        } else {
            *x_m *= rmin_m / r;
            *y_m *= rmin_m / r;
        }
    }
}

/* Distance from the origin to the segment (ax, ay) - (bx, by). */
static double segment_distance_to_origin(double ax, double ay, double bx, double by)
{
    double dx = bx - ax, dy = by - ay;
    double len2 = dx * dx + dy * dy;
    double t = len2 > 0.0 ? -(ax * dx + ay * dy) / len2 : 0.0;
    if (t < 0.0) t = 0.0;
    if (t > 1.0) t = 1.0;
    return hypot(ax + t * dx, ay + t * dy);
}

static double wrap_angle(double a_rad)
{
    /* Into (-pi, pi]; remainder() is exact. */
    double w = remainder(a_rad, 2.0 * pi);
    return w <= -pi ? w + 2.0 * pi : w;
}

/* Mirrors the unit vector (ux, uy) about the boundary with unit normal (nx, ny). */
static void mirror(double *ux, double *uy, double nx, double ny)
{
    double dot = *ux * nx + *uy * ny;
    *ux -= 2.0 * dot * nx;
    *uy -= 2.0 * dot * ny;
}

/* Moves (x, y) by length_m along the unit vector (ux, uy) inside the
 * annulus rmin <= r <= rmax, reflecting specularly off both circles. The
 * direction (ux, uy) and the extra vector (mx, my) (the Gauss-Markov mean
 * direction) are mirrored at each bounce, so the UE keeps heading away from
 * the wall it hit. */
static void move_with_reflection(double *x_m, double *y_m, double *ux, double *uy, double *mx,
                                 double *my, double length_m, double rmin_m, double rmax_m)
{
    /* A handful of bounces per step is already far more than any sane step
     * produces; the cap only guards grazing (tangential) hits. */
    for (int bounce = 0; bounce < 16 && length_m > 0.0; bounce++) {
        double x = *x_m, y = *y_m;
        double b = x * *ux + y * *uy; /* half the linear coefficient of |p + t u|^2 */
        double r2 = x * x + y * y;
        /* Exit through the outer circle: the non-negative root. */
        double disc_out = b * b - (r2 - rmax_m * rmax_m);
        double t_hit = -b + sqrt(disc_out > 0.0 ? disc_out : 0.0);
        /* Entry into the inner circle, only when heading inwards. */
        if (rmin_m > 0.0 && b < 0.0) {
            double disc_in = b * b - (r2 - rmin_m * rmin_m);
            if (disc_in > 0.0) {
                double t_in = -b - sqrt(disc_in);
                if (t_in < 0.0) t_in = 0.0;
                if (t_in < t_hit) t_hit = t_in;
            }
        }
        if (t_hit >= length_m) {
            *x_m = x + length_m * *ux;
            *y_m = y + length_m * *uy;
            length_m = 0.0;
            break;
        }
        *x_m = x + t_hit * *ux;
        *y_m = y + t_hit * *uy;
        length_m -= t_hit;
        double r = hypot(*x_m, *y_m);
        if (r == 0.0) break; /* only reachable with rmin = 0 and rmax = 0 */
        double nx = *x_m / r, ny = *y_m / r;
        mirror(ux, uy, nx, ny);
        mirror(mx, my, nx, ny);
    }
    /* Rounding can leave the point a few ulps outside. */
    clamp_to_annulus(x_m, y_m, rmin_m, rmax_m);
}

/* ---- random waypoint ----------------------------------------------------- */

/* Picks the next waypoint, uniform over the annulus, and the leg's speed.
 * A chord between two points of the annulus can cut through the inner disc
 * around the AP; such waypoints are redrawn, which slightly favours
 * waypoints on the UE's side of the cell. After 64 failures (only possible
 * when min_distance is close to R) the waypoint is taken on the UE's own
 * radius, a leg that never crosses the inner disc. */
static void rwp_new_leg(et_mobility_state *st, const et_mobility_params *p)
{
    /* Geometry relative to the UE's AP. */
    double rmin = p->min_distance_m, rmax = st->radius_m;
    double x = st->x_m - st->centre_x_m, y = st->y_m - st->centre_y_m;
    double tx = x, ty = y;
    int found = 0;
    for (int attempt = 0; attempt < 64 && !found; attempt++) {
        /* r = sqrt(U (R^2 - rmin^2) + rmin^2) is uniform in area. */
        double r = sqrt(rmin * rmin + et_rng_uniform(&st->rng) * (rmax * rmax - rmin * rmin));
        double theta = 2.0 * pi * et_rng_uniform(&st->rng);
        tx = r * cos(theta);
        ty = r * sin(theta);
        found = segment_distance_to_origin(x, y, tx, ty) >= rmin;
    }
    if (!found) {
        double r = sqrt(rmin * rmin + et_rng_uniform(&st->rng) * (rmax * rmax - rmin * rmin));
        double r0 = hypot(x, y);
        tx = r0 > 0.0 ? x * r / r0 : r;
        ty = r0 > 0.0 ? y * r / r0 : 0.0;
    }
    st->target_x_m = st->centre_x_m + tx;
    st->target_y_m = st->centre_y_m + ty;
    st->speed_mps = et_rng_range(&st->rng, st->speed_min_mps, st->speed_max_mps);
    st->direction_rad = atan2(st->target_y_m - st->y_m, st->target_x_m - st->x_m);
    st->pause_left_s = 0.0;
}

static void rwp_step(et_mobility_state *st, const et_mobility_params *p, double dt_s)
{
    double left_s = dt_s;
    /* Each pass ends a pause or a leg; the cap bounds the work per step even
     * for a tiny leg with no pause (an event of probability ~0). */
    for (int pass = 0; pass < 10000 && left_s > 0.0; pass++) {
        if (st->pause_left_s > 0.0) {
            if (st->pause_left_s >= left_s) {
                st->pause_left_s -= left_s;
                left_s = 0.0;
                break;
            }
            left_s -= st->pause_left_s;
            rwp_new_leg(st, p);
            continue;
        }
        /* A zero leg speed (speed_min = speed_max = 0) means standing still,
         * not arriving at once. */
        if (!(st->speed_mps > 0.0)) break;
        double dx = st->target_x_m - st->x_m, dy = st->target_y_m - st->y_m;
        /* sqrt, not hypot: distances here are metres, far from overflow, and
         * this runs once per UE per interval (hypot was 11% of a run). */
        double dist_m = sqrt(dx * dx + dy * dy);
        double need_s = dist_m / st->speed_mps;
        if (need_s > left_s) {
            double f = left_s / need_s;
            st->x_m += f * dx;
            st->y_m += f * dy;
            st->path_m += f * dist_m;
            left_s = 0.0;
            break;
        }
        st->x_m = st->target_x_m;
        st->y_m = st->target_y_m;
        st->path_m += dist_m;
        left_s -= need_s;
        if (p->pause_s > 0.0) {
            st->pause_left_s = p->pause_s;
            st->speed_mps = 0.0;
        } else {
            rwp_new_leg(st, p);
        }
    }
}

/* ---- Gauss-Markov -------------------------------------------------------- */

/* Camp, Boleng & Davies (2002), Sec. 2.6, with memory alpha per second:
 * over dt the memory is a = alpha^dt, the exact discretisation of the
 * underlying Ornstein-Uhlenbeck process, so results do not depend on the
 * update interval.
 *   s' = a s + (1 - a) s_mean + sqrt(1 - a^2) sigma_s N
 *   d' = a d + (1 - a) d_mean + sqrt(1 - a^2) sigma_d N
 * The UE first moves with its current speed and direction (Camp's order),
 * reflecting off the cell edge and the minimum-distance circle. */
static void gm_step(et_mobility_state *st, const et_mobility_params *p, double dt_s)
{
    double ux = cos(st->direction_rad), uy = sin(st->direction_rad);
    double mx = cos(st->gm_mean_direction_rad), my = sin(st->gm_mean_direction_rad);
    double x = st->x_m - st->centre_x_m, y = st->y_m - st->centre_y_m;
    move_with_reflection(&x, &y, &ux, &uy, &mx, &my, st->speed_mps * dt_s, p->min_distance_m,
                         st->radius_m);
    st->path_m += st->speed_mps * dt_s; /* reflections keep the length walked */
    st->x_m = st->centre_x_m + x;
    st->y_m = st->centre_y_m + y;
    st->gm_mean_direction_rad = atan2(my, mx);

    double a = pow(p->gm_alpha, dt_s);
    double noise = sqrt(1.0 - a * a);
    double speed = a * st->speed_mps + (1.0 - a) * st->gm_mean_speed_mps +
                   noise * st->gm_speed_std_mps * et_rng_normal(&st->rng);
    /* A speed is a magnitude; negative draws mean standing still. */
    st->speed_mps = speed > 0.0 ? speed : 0.0;
    /* Work with the deviation from the mean so that angle wrap-around cannot
     * make the two differ by 2 pi. */
    double deviation = wrap_angle(atan2(uy, ux) - st->gm_mean_direction_rad);
    deviation = a * deviation + noise * p->gm_direction_std_rad * et_rng_normal(&st->rng);
    st->direction_rad = wrap_angle(st->gm_mean_direction_rad + deviation);
}

/* ---- trace --------------------------------------------------------------- */

static void trace_step(et_mobility_state *st, const et_mobility_trace *trace, int ue, double t_s)
{
    if (!trace || ue < 0 || ue >= trace->n_ues) return;
    size_t lo = trace->first[ue], hi = trace->first[ue + 1]; /* non-empty by construction */
    const double *time_s = trace->time_s;
    st->speed_mps = 0.0;
    if (t_s < time_s[lo]) {
        st->x_m = trace->x_m[lo];
        st->y_m = trace->y_m[lo];
        return;
    }
    /* Binary search for the last row with time <= t (the later of two rows
     * with equal times, so a repeated time is a jump). */
    size_t a = lo, b = hi; /* invariant: time[a] <= t, and rows >= b have time > t */
    while (b - a > 1) {
        size_t mid = a + (b - a) / 2;
        if (time_s[mid] <= t_s)
            a = mid;
        else
            b = mid;
    }
    if (a + 1 >= hi) { /* at or after the last row: hold */
        st->x_m = trace->x_m[a];
        st->y_m = trace->y_m[a];
        return;
    }
    double span_s = time_s[a + 1] - time_s[a]; /* > 0: time[a] <= t < time[a + 1] */
    double f = (t_s - time_s[a]) / span_s;
    double dx = trace->x_m[a + 1] - trace->x_m[a], dy = trace->y_m[a + 1] - trace->y_m[a];
    st->x_m = trace->x_m[a] + f * dx;
    st->y_m = trace->y_m[a] + f * dy;
    st->speed_mps = hypot(dx, dy) / span_s;
    st->direction_rad = atan2(dy, dx);
}

/* ---- public stepping ----------------------------------------------------- */

/* Moves the UE radially onto the annulus around its AP. */
static void clamp_home(et_mobility_state *st, double rmin_m)
{
    double x = st->x_m - st->centre_x_m, y = st->y_m - st->centre_y_m;
    clamp_to_annulus(&x, &y, rmin_m, st->radius_m);
    st->x_m = st->centre_x_m + x;
    st->y_m = st->centre_y_m + y;
}

void et_mobility_init_home(et_mobility_state *st, const et_mobility_params *p, int ue, double x0_m,
                           double y0_m, const et_mobility_home *home, uint64_t seed)
{
    et_rng_seed(&st->rng, seed, et_rng_stream_id(ET_RNG_MOBILITY, (uint64_t)ue));
    st->x_m = x0_m;
    st->y_m = y0_m;
    st->centre_x_m = home ? home->ap_x_m : 0.0;
    st->centre_y_m = home ? home->ap_y_m : 0.0;
    st->radius_m = home && home->radius_m > 0.0 ? home->radius_m : p->cell_radius_m;
    /* An annulus needs rmin <= rmax; a cell smaller than the exclusion zone
     * keeps its UEs on the exclusion circle. */
    if (!(st->radius_m >= p->min_distance_m)) st->radius_m = p->min_distance_m;
    const char *device_class = home ? home->device_class : NULL;
    et_mobility_class_speed_range(p, device_class, &st->speed_min_mps, &st->speed_max_mps);
    if (et_mobility_class_is_vehicle(device_class)) {
        /* The leg range as a normal speed process: centred, and +/- 2 std
         * covers it. */
        st->gm_mean_speed_mps = 0.5 * (st->speed_min_mps + st->speed_max_mps);
        st->gm_speed_std_mps = 0.25 * (st->speed_max_mps - st->speed_min_mps);
    } else {
        st->gm_mean_speed_mps = p->gm_mean_speed_mps;
        st->gm_speed_std_mps = p->gm_speed_std_mps;
    }
    st->speed_mps = 0.0;
    st->direction_rad = 0.0;
    st->target_x_m = x0_m;
    st->target_y_m = y0_m;
    st->pause_left_s = 0.0;
    st->gm_mean_direction_rad = 0.0;
    st->path_m = 0.0;
    if (p->model == ET_MOBILITY_RANDOM_WAYPOINT) {
        clamp_home(st, p->min_distance_m);
        rwp_new_leg(st, p);
    } else if (p->model == ET_MOBILITY_GAUSS_MARKOV) {
        clamp_home(st, p->min_distance_m);
        /* Each UE heads off in its own uniform mean direction at the mean
         * speed, so the process starts in its stationary speed regime. */
        st->gm_mean_direction_rad = wrap_angle(2.0 * pi * et_rng_uniform(&st->rng));
        st->direction_rad = st->gm_mean_direction_rad;
        st->speed_mps = st->gm_mean_speed_mps;
    }
}

void et_mobility_init(et_mobility_state *st, const et_mobility_params *p, int ue, double x0_m,
                      double y0_m, uint64_t seed)
{
    et_mobility_init_home(st, p, ue, x0_m, y0_m, NULL, seed);
}

void et_mobility_step(et_mobility_state *st, const et_mobility_params *p,
                      const et_mobility_trace *trace, int ue, double now_s, double dt_s)
{
    if (!(dt_s >= 0.0)) dt_s = 0.0;
    switch (p->model) {
    case ET_MOBILITY_RANDOM_WAYPOINT:
        rwp_step(st, p, dt_s);
        break;
    case ET_MOBILITY_GAUSS_MARKOV:
        gm_step(st, p, dt_s);
        break;
    case ET_MOBILITY_TRACE: {
        double x0 = st->x_m, y0 = st->y_m;
        trace_step(st, trace, ue, now_s + dt_s);
        double dx = st->x_m - x0, dy = st->y_m - y0;
        st->path_m += sqrt(dx * dx + dy * dy);
        break;
    }
    case ET_MOBILITY_STATIC:
    default:
        st->speed_mps = 0.0;
        break;
    }
}

/* ---- trace loading ------------------------------------------------------- */

typedef struct trace_row {
    double time_s, x_m, y_m;
    int ue;
} trace_row;

/* Reads the whole file into a NUL-terminated buffer: a regular file of at most
 * ET_MAX_TRACE_BYTES (readfile.h), text without NUL bytes. */
static et_status read_file(const char *path, char **out, et_error *err)
{
    size_t size = 0;
    et_status st = et_read_input(path, "mobility trace", ET_MAX_TRACE_BYTES, out, &size, err);
    if (st != ET_OK) return st;
    size_t len = strlen(*out);
    if (len != size) {
        int line = 1;
        for (size_t i = 0; i < len; i++)
            line += (*out)[i] == '\n';
        free(*out);
        *out = NULL;
        return et_error_set(err, ET_ERR_INPUT,
                            "%s:%d: a NUL byte (offset %zu); expected CSV text (time_s,ue,x_m,y_m)",
                            path, line, len);
    }
    return ET_OK;
}

/* Trims ASCII blanks at both ends of [*begin, *end). */
static void trim(char **begin, char **end)
{
    while (*begin < *end && (**begin == ' ' || **begin == '\t'))
        (*begin)++;
    while (*end > *begin && ((*end)[-1] == ' ' || (*end)[-1] == '\t' || (*end)[-1] == '\r'))
        (*end)--;
}

static const char *const trace_columns[4] = {"time_s", "ue", "x_m", "y_m"};

/* Parses one field as a finite double; field is NUL-terminated. */
static et_status parse_number(const char *path, int line, int column, const char *field,
                              double *out, et_error *err)
{
    /* Plain decimals only (numtext.h): "0x10", "inf" or " 5" are not positions or times. */
    double v = 0;
    if (et_numtext_double(field, &v) != 0) {
        /* "inf", "1e999": a number, not a finite one; anything else is not one here. */
        int infinite = et_numtext_span(field) == strlen(field) && field[0] != '\0';
        infinite |= !strcmp(field, "inf") || !strcmp(field, "-inf") || !strcmp(field, "nan");
        return et_error_set(err, ET_ERR_INPUT, "%s:%d: column '%s': expected a %s, got '%s'", path,
                            line, trace_columns[column], infinite ? "finite number" : "number",
                            field);
    }
    *out = v;
    return ET_OK;
}

/* Parses the data lines of buf (after the header) into rows; grows *rows.
 * last_time_s[u] (grown alongside) is the latest time seen for ue u and its
 * line, to reject time going backwards with both line numbers. */
static et_status parse_rows(const char *path, char *cursor, int first_line, trace_row **rows,
                            size_t *n_rows, int *max_ue, et_error *err)
{
    size_t cap_rows = 0, cap_ues = 0;
    double *last_time_s = NULL;
    int *last_line = NULL;
    et_status status = ET_OK;
    *max_ue = -1;
    for (int line = first_line; *cursor != '\0'; line++) {
        char *eol = strchr(cursor, '\n');
        char *next = eol ? eol + 1 : cursor + strlen(cursor);
        char *begin = cursor, *end = eol ? eol : next;
        cursor = next;
        trim(&begin, &end);
        if (begin == end) continue; /* blank lines are allowed anywhere */
        *end = '\0';

        char *fields[4];
        int n_fields = 0;
        for (char *f = begin;; n_fields++) {
            char *comma = strchr(f, ',');
            if (n_fields < 4) fields[n_fields] = f;
            if (!comma) {
                n_fields++;
                break;
            }
            *comma = '\0';
            f = comma + 1;
        }
        if (n_fields != 4) {
            status = et_error_set(err, ET_ERR_INPUT,
                                  "%s:%d: expected 4 columns (time_s,ue,x_m,y_m), got %d", path,
                                  line, n_fields);
            break;
        }
        for (int c = 0; c < 4; c++) {
            char *fb = fields[c], *fe = fb + strlen(fb);
            trim(&fb, &fe);
            *fe = '\0';
            fields[c] = fb;
        }

        trace_row row;
        if ((status = parse_number(path, line, 0, fields[0], &row.time_s, err)) != ET_OK) break;
        if (row.time_s < 0.0) {
            status = et_error_set(err, ET_ERR_INPUT,
                                  "%s:%d: column 'time_s': expected a number >= 0, got '%s'", path,
                                  line, fields[0]);
            break;
        }
        long ue = -1;
        if (et_numtext_long(fields[1], 0, TRACE_MAX_UES - 1, &ue) != 0) {
            status = et_error_set(err, ET_ERR_INPUT,
                                  "%s:%d: column 'ue': expected an integer in [0, %d], got '%s'",
                                  path, line, TRACE_MAX_UES - 1, fields[1]);
            break;
        }
        row.ue = (int)ue;
        if ((status = parse_number(path, line, 2, fields[2], &row.x_m, err)) != ET_OK) break;
        if ((status = parse_number(path, line, 3, fields[3], &row.y_m, err)) != ET_OK) break;

        if ((size_t)row.ue >= cap_ues) {
            size_t cap = cap_ues ? cap_ues : 16;
            while (cap <= (size_t)row.ue)
                cap *= 2;
            double *t = realloc(last_time_s, cap * sizeof *t);
            if (t) last_time_s = t;
            int *l = t ? realloc(last_line, cap * sizeof *l) : NULL;
            if (l) last_line = l;
            if (!t || !l) {
                status = et_error_set(err, ET_ERR_NOMEM, "%s:%d: out of memory", path, line);
                break;
            }
            for (size_t u = cap_ues; u < cap; u++)
                last_line[u] = 0;
            cap_ues = cap;
        }
        if (last_line[row.ue] != 0 && row.time_s < last_time_s[row.ue]) {
            status = et_error_set(err, ET_ERR_INPUT,
                                  "%s:%d: column 'time_s': expected times of ue %d in "
                                  "non-decreasing order, got %g after %g on line %d",
                                  path, line, row.ue, row.time_s, last_time_s[row.ue],
                                  last_line[row.ue]);
            break;
        }
        last_time_s[row.ue] = row.time_s;
        last_line[row.ue] = line;

        if (*n_rows == cap_rows) {
            size_t cap = cap_rows ? cap_rows * 2 : 256;
            trace_row *grown = realloc(*rows, cap * sizeof *grown);
            if (!grown) {
                status = et_error_set(err, ET_ERR_NOMEM, "%s:%d: out of memory", path, line);
                break;
            }
            *rows = grown;
            cap_rows = cap;
        }
        (*rows)[(*n_rows)++] = row;
        if (row.ue > *max_ue) *max_ue = row.ue;
    }
    free(last_time_s);
    free(last_line);
    return status;
}

/* Groups rows by ue (counting sort, stable, so each UE keeps file order,
 * which is time order). */
static et_status build_trace(const char *path, const trace_row *rows, size_t n_rows, int n_ues,
                             et_mobility_trace **out, et_error *err)
{
    et_mobility_trace *t = calloc(1, sizeof *t);
    if (!t) return et_error_set(err, ET_ERR_NOMEM, "%s: out of memory", path);
    t->n_ues = n_ues;
    t->first = calloc((size_t)n_ues + 1, sizeof *t->first);
    t->time_s = malloc(n_rows * sizeof *t->time_s);
    t->x_m = malloc(n_rows * sizeof *t->x_m);
    t->y_m = malloc(n_rows * sizeof *t->y_m);
    if (!t->first || !t->time_s || !t->x_m || !t->y_m) {
        et_mobility_trace_destroy(t);
        return et_error_set(err, ET_ERR_NOMEM, "%s: out of memory", path);
    }
    for (size_t i = 0; i < n_rows; i++)
        t->first[rows[i].ue + 1]++;
    for (int u = 0; u < n_ues; u++) {
        if (t->first[u + 1] == 0) {
            et_mobility_trace_destroy(t);
            return et_error_set(err, ET_ERR_INPUT,
                                "%s: column 'ue': expected rows for every ue from 0 to %d, "
                                "got none for ue %d",
                                path, n_ues - 1, u);
        }
        t->first[u + 1] += t->first[u];
    }
    /* Fill using first[] as per-UE cursors, then shift them back. */
    for (size_t i = 0; i < n_rows; i++) {
        size_t at = t->first[rows[i].ue]++;
        t->time_s[at] = rows[i].time_s;
        t->x_m[at] = rows[i].x_m;
        t->y_m[at] = rows[i].y_m;
    }
    for (int u = n_ues; u > 0; u--)
        t->first[u] = t->first[u - 1];
    t->first[0] = 0;
    *out = t;
    return ET_OK;
}

et_status et_mobility_trace_load(const char *path, et_mobility_trace **out, et_error *err)
{
    *out = NULL;
    char *buf = NULL;
    et_status status = read_file(path, &buf, err);
    if (status != ET_OK) return status;

    /* Header: line 1, an optional UTF-8 byte order mark first (spreadsheet
     * exports add one). */
    char *cursor = buf;
    if ((unsigned char)cursor[0] == 0xEF && (unsigned char)cursor[1] == 0xBB &&
        (unsigned char)cursor[2] == 0xBF)
        cursor += 3;
    char *eol = strchr(cursor, '\n');
    char *begin = cursor, *end = eol ? eol : cursor + strlen(cursor);
    cursor = eol ? eol + 1 : end;
    trim(&begin, &end);
    *end = '\0';
    /* Blanks around the names are tolerated, like in the data rows; not inside one. */
    char header[64];
    size_t h = 0;
    for (const char *c = begin; *c && h + 1 < sizeof header;) {
        while (*c == ' ' || *c == '\t')
            c++;
        const char *name_end = c + strcspn(c, ",");
        const char *last = name_end;
        while (last > c && (last[-1] == ' ' || last[-1] == '\t'))
            last--;
        for (; c < last && h + 1 < sizeof header; c++)
            header[h++] = *c;
        c = name_end;
        if (*c == ',' && h + 1 < sizeof header) header[h++] = *c++;
    }
    header[h] = '\0';
    if (strcmp(header, "time_s,ue,x_m,y_m") != 0) {
        status =
            et_error_set(err, ET_ERR_INPUT,
                         "%s:1: expected the header 'time_s,ue,x_m,y_m', got '%.60s'", path, begin);
        free(buf);
        return status;
    }

    trace_row *rows = NULL;
    size_t n_rows = 0;
    int max_ue = -1;
    status = parse_rows(path, cursor, 2, &rows, &n_rows, &max_ue, err);
    if (status == ET_OK && n_rows == 0)
        status =
            et_error_set(err, ET_ERR_INPUT, "%s: expected at least one row after the header", path);
    if (status == ET_OK) status = build_trace(path, rows, n_rows, max_ue + 1, out, err);
    free(rows);
    free(buf);
    return status;
}

void et_mobility_trace_destroy(et_mobility_trace *trace)
{
    if (!trace) return;
    free(trace->first);
    free(trace->time_s);
    free(trace->x_m);
    free(trace->y_m);
    free(trace);
}

int et_mobility_trace_ue_count(const et_mobility_trace *trace)
{
    return trace ? trace->n_ues : 0;
}
