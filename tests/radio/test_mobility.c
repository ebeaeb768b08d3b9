/* test_mobility.c: random waypoint and Gauss-Markov stay in the cell and
 * move as configured; trace files interpolate and reject malformed input. */
#include "et_test.h"
#include "mobility.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Writes content to <tmpdir>/<name> and returns the path (static buffer).
 * The directory is emptied once per run, on first use. */
static const char *write_trace(const char *name, const char *content)
{
    static char dir[4096], path[4200];
    if (!dir[0]) {
        const char *fresh = et_test_tmpdir("mobility");
        CU_ASSERT_PTR_NOT_NULL_FATAL(fresh);
        snprintf(dir, sizeof dir, "%s", fresh);
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(content, f);
    fclose(f);
    return path;
}

/* Walks one UE for n_steps of dt_s and checks the annulus at every step.
 * Returns the number of steps without any movement; *path_m and
 * *max_step_m get the total and the largest per-step displacement. */
static int walk(const et_mobility_params *p, uint64_t seed, int n_steps, double dt_s,
                double *path_m, double *max_step_m, double *max_from_start_m)
{
    et_mobility_state st;
    et_mobility_init(&st, p, 0, 100.0, 0.0, seed);
    double x0 = st.x_m, y0 = st.y_m;
    int still = 0, outside = 0;
    *path_m = 0.0;
    *max_step_m = 0.0;
    *max_from_start_m = 0.0;
    for (int i = 0; i < n_steps; i++) {
        double px = st.x_m, py = st.y_m;
        et_mobility_step(&st, p, NULL, 0, i * dt_s, dt_s);
        double r = hypot(st.x_m, st.y_m);
        if (r > p->cell_radius_m + 1e-9 || r < p->min_distance_m - 1e-9) outside++;
        double step_m = hypot(st.x_m - px, st.y_m - py);
        if (step_m == 0.0) still++;
        *path_m += step_m;
        if (step_m > *max_step_m) *max_step_m = step_m;
        double from_start = hypot(st.x_m - x0, st.y_m - y0);
        if (from_start > *max_from_start_m) *max_from_start_m = from_start;
    }
    CU_ASSERT_EQUAL(outside, 0);
    return still;
}

static void random_waypoint_stays_in_the_disc_and_out_of_min_distance_and_moves(void)
{
    et_mobility_params p;
    et_mobility_params_default(&p);
    double path_m, max_step_m, max_from_start_m;
    const int n = 100000;
    int still = walk(&p, 1, n, 1.0, &path_m, &max_step_m, &max_from_start_m);
    /* Never faster than the fastest leg; straight-line shortcuts through a
     * waypoint can only shorten a step. */
    CU_ASSERT(max_step_m <= p.speed_max_mps * 1.0 + 1e-9);
    /* Mean leg about 0.905 R = 226 m at mean 1/v = ln 3 s/m: ~250 s per
     * leg, so 10 s pauses take about 4% of the time; the UE covers most of
     * the cell. */
    CU_ASSERT(max_from_start_m > 300.0);
    CU_ASSERT(path_m > 0.8 * n);
    CU_ASSERT(path_m < 1.1 * n);
    CU_ASSERT(still > 0.02 * n);
    CU_ASSERT(still < 0.07 * n);
}

static void random_waypoint_legs_go_around_a_wide_exclusion_zone(void)
{
    /* An inner circle of 60% of R: most straight chords would cut through
     * it, so this exercises the redraw and the radial fallback. */
    et_mobility_params p;
    et_mobility_params_default(&p);
    p.cell_radius_m = 50.0;
    p.min_distance_m = 30.0;
    p.pause_s = 0.0;
    double path_m, max_step_m, max_from_start_m;
    int still = walk(&p, 2, 100000, 1.0, &path_m, &max_step_m, &max_from_start_m);
    CU_ASSERT_EQUAL(still, 0);
    CU_ASSERT(max_from_start_m > 60.0); /* reaches the other side of the cell */
}

static void random_waypoint_with_zero_speed_stands_still(void)
{
    /* Not a valid configuration (speed decay), but it must not teleport. */
    et_mobility_params p;
    et_mobility_params_default(&p);
    p.speed_min_mps = p.speed_max_mps = 0.0;
    et_mobility_state st;
    et_mobility_init(&st, &p, 0, 100.0, 0.0, 1);
    for (int i = 0; i < 100; i++)
        et_mobility_step(&st, &p, NULL, 0, i, 1.0);
    CU_ASSERT_EQUAL(st.x_m, 100.0);
    CU_ASSERT_EQUAL(st.y_m, 0.0);
}

static void gauss_markov_stays_inside_the_cell(void)
{
    et_mobility_params p;
    et_mobility_params_default(&p);
    p.model = ET_MOBILITY_GAUSS_MARKOV;
    double path_m, max_step_m, max_from_start_m;
    const int n = 100000;
    walk(&p, 3, n, 1.0, &path_m, &max_step_m, &max_from_start_m);
    CU_ASSERT(max_from_start_m > 300.0);
    /* Mean speed 1 m/s (truncation at zero is 3.3 sigma away). */
    CU_ASSERT_DOUBLE_EQUAL(path_m / n, 1.0, 0.05);
    /* Fast and fine-grained: 5 m/s in 10 ms steps near a small cell's edge. */
    p.cell_radius_m = 40.0;
    p.gm_mean_speed_mps = 5.0;
    walk(&p, 4, n, 0.01, &path_m, &max_step_m, &max_from_start_m);
    CU_ASSERT(max_from_start_m > 40.0);
}

static void gauss_markov_speed_has_the_configured_memory_and_spread(void)
{
    /* Speed is an AR(1) process: lag-1 autocorrelation alpha^dt, standard
     * deviation gm_speed_std_mps, whatever the step. */
    et_mobility_params p;
    et_mobility_params_default(&p);
    p.model = ET_MOBILITY_GAUSS_MARKOV;
    const double steps_s[] = {1.0, 0.25};
    for (int k = 0; k < 2; k++) {
        et_mobility_state st;
        et_mobility_init(&st, &p, 5, 0.0, 100.0, 77);
        const int n = 100000;
        double sum = 0.0, sum2 = 0.0, sum_xy = 0.0, prev = 0.0;
        for (int i = 0; i < n; i++) {
            et_mobility_step(&st, &p, NULL, 5, i * steps_s[k], steps_s[k]);
            double s = st.speed_mps - p.gm_mean_speed_mps;
            sum += s;
            sum2 += s * s;
            if (i > 0) sum_xy += prev * s;
            prev = s;
        }
        double var = sum2 / n;
        CU_ASSERT_DOUBLE_EQUAL(sum / n, 0.0, 0.02);
        CU_ASSERT_DOUBLE_EQUAL(sqrt(var), p.gm_speed_std_mps, 0.02);
        CU_ASSERT_DOUBLE_EQUAL(sum_xy / (n - 1) / var, pow(p.gm_alpha, steps_s[k]), 0.02);
    }
}

static void same_seed_gives_the_same_path_and_another_seed_differs(void)
{
    et_mobility_params p;
    et_mobility_params_default(&p);
    for (int model = ET_MOBILITY_RANDOM_WAYPOINT; model <= ET_MOBILITY_GAUSS_MARKOV; model++) {
        p.model = (et_mobility_model)model;
        et_mobility_state a, b, c;
        et_mobility_init(&a, &p, 2, 50.0, 50.0, 9);
        et_mobility_init(&b, &p, 2, 50.0, 50.0, 9);
        et_mobility_init(&c, &p, 2, 50.0, 50.0, 10);
        int same = 1, differ = 0;
        for (int i = 0; i < 1000; i++) {
            et_mobility_step(&a, &p, NULL, 2, i, 1.0);
            et_mobility_step(&b, &p, NULL, 2, i, 1.0);
            et_mobility_step(&c, &p, NULL, 2, i, 1.0);
            same &= a.x_m == b.x_m && a.y_m == b.y_m;
            differ += a.x_m != c.x_m;
        }
        CU_ASSERT(same);
        CU_ASSERT(differ > 900);
    }
}

static void static_ue_never_moves(void)
{
    et_mobility_params p;
    et_mobility_params_default(&p);
    p.model = ET_MOBILITY_STATIC;
    et_mobility_state st;
    et_mobility_init(&st, &p, 0, 3.0, -4.0, 1); /* inside min distance: static keeps it */
    for (int i = 0; i < 100; i++)
        et_mobility_step(&st, &p, NULL, 0, i, 1.0);
    CU_ASSERT_EQUAL(st.x_m, 3.0);
    CU_ASSERT_EQUAL(st.y_m, -4.0);
    CU_ASSERT_EQUAL(st.speed_mps, 0.0);
}

/* Position of ue at time t_s from the trace. */
static void trace_at(const et_mobility_trace *trace, int ue, double t_s, double *x_m, double *y_m,
                     double *speed_mps)
{
    et_mobility_params p;
    et_mobility_params_default(&p);
    p.model = ET_MOBILITY_TRACE;
    et_mobility_state st;
    et_mobility_init(&st, &p, ue, 0.0, 0.0, 1);
    /* Reached in one step from 0: the trace model holds no history. */
    et_mobility_step(&st, &p, trace, ue, 0.0, t_s);
    *x_m = st.x_m;
    *y_m = st.y_m;
    if (speed_mps) *speed_mps = st.speed_mps;
}

static void trace_interpolation_matches_hand_values(void)
{
    /* Rows of different UEs interleaved; ue 2 jumps at t = 5 s. */
    const char *path = write_trace("ok.csv", "time_s,ue,x_m,y_m\n"
                                             "0,0,0,0\n"
                                             "3,1,10,20\n"
                                             "10,0,100,0\n"
                                             "8,1,20,20\n"
                                             "0,2,0,0\n"
                                             "20,0,100,100\n"
                                             "5,2,0,0\n"
                                             "5,2,30,40\n"
                                             "10,2,30,40\n");
    et_mobility_trace *trace = NULL;
    et_error err;
    et_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(et_mobility_trace_load(path, &trace, &err), ET_OK);
    CU_ASSERT_EQUAL(et_mobility_trace_ue_count(trace), 3);
    double x, y, v;
    trace_at(trace, 0, 5.0, &x, &y, &v); /* halfway along (0,0)-(100,0) */
    CU_ASSERT_DOUBLE_EQUAL(x, 50.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(y, 0.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(v, 10.0, 1e-9);
    trace_at(trace, 0, 12.5, &x, &y, &v); /* a quarter along (100,0)-(100,100) */
    CU_ASSERT_DOUBLE_EQUAL(x, 100.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(y, 25.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(v, 10.0, 1e-9);
    trace_at(trace, 0, 99.0, &x, &y, &v); /* after the last row: hold */
    CU_ASSERT_DOUBLE_EQUAL(x, 100.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(y, 100.0, 1e-9);
    CU_ASSERT_EQUAL(v, 0.0);
    trace_at(trace, 1, 1.0, &x, &y, &v); /* before the first row: first row */
    CU_ASSERT_DOUBLE_EQUAL(x, 10.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(y, 20.0, 1e-9);
    trace_at(trace, 1, 5.5, &x, &y, &v);
    CU_ASSERT_DOUBLE_EQUAL(x, 15.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(y, 20.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(v, 2.0, 1e-9);
    trace_at(trace, 2, 4.999, &x, &y, &v); /* just before the jump */
    CU_ASSERT_DOUBLE_EQUAL(x, 0.0, 1e-9);
    trace_at(trace, 2, 5.0, &x, &y, &v); /* at the jump: the later row */
    CU_ASSERT_DOUBLE_EQUAL(x, 30.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(y, 40.0, 1e-9);
    et_mobility_trace_destroy(trace);
    et_mobility_trace_destroy(NULL);
}

static void trace_steps_follow_the_trace_over_time(void)
{
    const char *path = write_trace("walk.csv", "time_s,ue,x_m,y_m\n0,0,0,0\n10,0,100,0\n");
    et_mobility_trace *trace = NULL;
    CU_ASSERT_EQUAL_FATAL(et_mobility_trace_load(path, &trace, NULL), ET_OK);
    et_mobility_params p;
    et_mobility_params_default(&p);
    p.model = ET_MOBILITY_TRACE;
    et_mobility_state st;
    et_mobility_init(&st, &p, 0, -1.0, -1.0, 1);
    for (int i = 0; i < 40; i++) {
        et_mobility_step(&st, &p, trace, 0, 0.25 * i, 0.25);
        double t = 0.25 * (i + 1);
        CU_ASSERT_DOUBLE_EQUAL(st.x_m, t < 10.0 ? 10.0 * t : 100.0, 1e-9);
    }
    /* A UE the trace does not know stays where it is. */
    et_mobility_init(&st, &p, 5, -1.0, -2.0, 1);
    et_mobility_step(&st, &p, trace, 5, 0.0, 1.0);
    CU_ASSERT_EQUAL(st.x_m, -1.0);
    CU_ASSERT_EQUAL(st.y_m, -2.0);
    et_mobility_trace_destroy(trace);
}

static void trace_loader_accepts_crlf_spaces_and_blank_lines(void)
{
    const char *path = write_trace("crlf.csv", "time_s, ue, x_m, y_m\r\n"
                                               "0, 0, 1.5, -2\r\n"
                                               "\r\n"
                                               " 1e1 ,0,  3.5e0,-2\r\n");
    et_mobility_trace *trace = NULL;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(et_mobility_trace_load(path, &trace, &err), ET_OK);
    double x, y;
    trace_at(trace, 0, 5.0, &x, &y, NULL);
    CU_ASSERT_DOUBLE_EQUAL(x, 2.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(y, -2.0, 1e-12);
    et_mobility_trace_destroy(trace);
}

/* Loads content and checks the status and that the message holds want. */
static void expect_trace_error(const char *name, const char *content, et_status want_status,
                               const char *want_line, const char *want_text)
{
    const char *path = write_trace(name, content);
    char expected_prefix[4300];
    snprintf(expected_prefix, sizeof expected_prefix, "%s%s", path, want_line);
    static int sentinel;
    et_mobility_trace *trace = (et_mobility_trace *)(void *)&sentinel; /* must come back NULL */
    et_error err;
    et_error_clear(&err);
    CU_ASSERT_EQUAL(et_mobility_trace_load(path, &trace, &err), want_status);
    CU_ASSERT_EQUAL(err.code, want_status);
    CU_ASSERT_PTR_NULL(trace);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, expected_prefix));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want_text));
    if (!strstr(err.msg, want_text) || !strstr(err.msg, expected_prefix))
        fprintf(stderr, "\n    got message: %s\n", err.msg);
}

static void malformed_traces_are_rejected_with_file_and_line(void)
{
    et_mobility_trace *trace = NULL;
    et_error err;
    const char *missing = et_test_source_path("tests/no-such-trace.csv");
    CU_ASSERT_EQUAL(et_mobility_trace_load(missing, &trace, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NULL(trace);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no-such-trace.csv: cannot read mobility trace"));

    expect_trace_error("header.csv", "t,ue,x,y\n0,0,1,1\n", ET_ERR_INPUT,
                       ":1:", "expected the header 'time_s,ue,x_m,y_m', got 't,ue,x,y'");
    expect_trace_error("empty.csv", "", ET_ERR_INPUT, ":1:", "expected the header");
    expect_trace_error("nonumber.csv", "time_s,ue,x_m,y_m\n0,0,1,1\n1,0,abc,1\n", ET_ERR_INPUT,
                       ":3:", "column 'x_m': expected a number, got 'abc'");
    expect_trace_error("emptyfield.csv", "time_s,ue,x_m,y_m\n0,0,1,\n", ET_ERR_INPUT,
                       ":2:", "column 'y_m': expected a number, got ''");
    expect_trace_error("infinite.csv", "time_s,ue,x_m,y_m\n0,0,inf,1\n", ET_ERR_INPUT,
                       ":2:", "column 'x_m': expected a finite number, got 'inf'");
    expect_trace_error("backwards.csv", "time_s,ue,x_m,y_m\n0,0,0,0\n5,1,0,0\n4,0,1,1\n3,0,2,2\n",
                       ET_ERR_INPUT,
                       ":5:", "ue 0 in non-decreasing order, got 3 after 4 on line 4");
    expect_trace_error("columns.csv", "time_s,ue,x_m,y_m\n0,0,1\n", ET_ERR_INPUT,
                       ":2:", "expected 4 columns");
    expect_trace_error("toomany.csv", "time_s,ue,x_m,y_m\n0,0,1,2,3\n", ET_ERR_INPUT,
                       ":2:", "got 5");
    expect_trace_error("badue.csv", "time_s,ue,x_m,y_m\n0,1.5,1,2\n", ET_ERR_INPUT,
                       ":2:", "column 'ue': expected an integer");
    expect_trace_error("negtime.csv", "time_s,ue,x_m,y_m\n-1,0,1,2\n", ET_ERR_INPUT,
                       ":2:", "column 'time_s': expected a number >= 0");
    expect_trace_error("gap.csv", "time_s,ue,x_m,y_m\n0,0,1,2\n0,2,1,2\n", ET_ERR_INPUT, ":",
                       "got none for ue 1");
    expect_trace_error("norows.csv", "time_s,ue,x_m,y_m\n\n", ET_ERR_INPUT, ":",
                       "expected at least one row");
}

/* ---- device classes and cells ---- */

static void only_vehicle_classes_move_at_vehicle_speeds(void)
{
    et_mobility_params p;
    et_mobility_params_default(&p);
    CU_ASSERT(et_mobility_class_is_vehicle("car"));
    CU_ASSERT(et_mobility_class_is_vehicle("vehicle"));
    CU_ASSERT(et_mobility_class_is_vehicle("bus"));
    CU_ASSERT(et_mobility_class_is_vehicle("truck"));
    CU_ASSERT(!et_mobility_class_is_vehicle("phone"));
    CU_ASSERT(!et_mobility_class_is_vehicle("jetson"));
    CU_ASSERT(!et_mobility_class_is_vehicle("Car")); /* class names are case-sensitive */
    CU_ASSERT(!et_mobility_class_is_vehicle(NULL));
    double lo, hi;
    et_mobility_class_speed_range(&p, "car", &lo, &hi);
    CU_ASSERT_DOUBLE_EQUAL(lo, 8.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(hi, 20.0, 0.0);
    et_mobility_class_speed_range(&p, "tablet", &lo, &hi);
    CU_ASSERT_DOUBLE_EQUAL(lo, 0.5, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(hi, 1.5, 0.0);
    /* A zero-filled vehicle range (a scenario without the keys) is the
     * documented default, not standing still. */
    p.vehicle_speed_min_mps = p.vehicle_speed_max_mps = 0.0;
    et_mobility_class_speed_range(&p, "car", &lo, &hi);
    CU_ASSERT_DOUBLE_EQUAL(lo, 8.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(hi, 20.0, 0.0);
}

/* Walks one UE of device_class for n_steps of 1 s from (x0, y0) in home and
 * returns the smallest and largest speed seen while moving, the mean speed
 * over the whole walk (pauses included) and the annulus violations. */
static int walk_home(const et_mobility_params *p, const et_mobility_home *home, double x0,
                     double y0, int n_steps, double *min_speed, double *max_speed,
                     double *mean_speed, double *max_from_start_m)
{
    et_mobility_state st;
    et_mobility_init_home(&st, p, 4, x0, y0, home, 21);
    double sx = st.x_m, sy = st.y_m, path_m = 0.0;
    int outside = 0;
    *min_speed = INFINITY;
    *max_speed = 0.0;
    *max_from_start_m = 0.0;
    double radius = home && home->radius_m > 0 ? home->radius_m : p->cell_radius_m;
    double cx = home ? home->ap_x_m : 0.0, cy = home ? home->ap_y_m : 0.0;
    for (int i = 0; i < n_steps; i++) {
        double px = st.x_m, py = st.y_m;
        et_mobility_step(&st, p, NULL, 4, i, 1.0);
        double r = hypot(st.x_m - cx, st.y_m - cy);
        if (r > radius + 1e-9 || r < p->min_distance_m - 1e-9) outside++;
        if (st.speed_mps > 0.0 && st.speed_mps < *min_speed) *min_speed = st.speed_mps;
        if (st.speed_mps > *max_speed) *max_speed = st.speed_mps;
        path_m += hypot(st.x_m - px, st.y_m - py);
        double from_start = hypot(st.x_m - sx, st.y_m - sy);
        if (from_start > *max_from_start_m) *max_from_start_m = from_start;
    }
    *mean_speed = path_m / n_steps;
    return outside;
}

static void vehicle_speeds_are_in_range_and_pedestrians_walk(void)
{
    et_mobility_params p;
    et_mobility_params_default(&p);
    p.pause_s = 0.0;
    double lo, hi, mean, far;
    et_mobility_home car = {0.0, 0.0, 0.0, "car"}, phone = {0.0, 0.0, 0.0, "phone"};
    /* Random waypoint: every leg speed in the class's range. */
    CU_ASSERT_EQUAL(walk_home(&p, &car, 100.0, 0.0, 20000, &lo, &hi, &mean, &far), 0);
    CU_ASSERT(lo >= 8.0 && hi <= 20.0);
    CU_ASSERT(lo < 9.0 && hi > 19.0); /* the whole range is used */
    /* A walk's mean speed is below the mean leg speed (slow legs last
     * longer): the harmonic mean of U(8, 20) is 12 / ln 2.5 = 13.1 m/s. */
    CU_ASSERT_DOUBLE_EQUAL(mean, 12.0 / log(2.5), 0.7);
    CU_ASSERT_EQUAL(walk_home(&p, &phone, 100.0, 0.0, 20000, &lo, &hi, &mean, &far), 0);
    CU_ASSERT(lo >= 0.5 && hi <= 1.5);
    CU_ASSERT_DOUBLE_EQUAL(mean, 1.0 / log(3.0), 0.05);
    /* Gauss-Markov: a car's speed process centres on 14 m/s with std 3. */
    p.model = ET_MOBILITY_GAUSS_MARKOV;
    et_mobility_state st;
    et_mobility_init_home(&st, &p, 1, 50.0, 50.0, &car, 3);
    double sum = 0.0, sum2 = 0.0;
    const int n = 50000;
    for (int i = 0; i < n; i++) {
        et_mobility_step(&st, &p, NULL, 1, i, 1.0);
        sum += st.speed_mps;
        sum2 += st.speed_mps * st.speed_mps;
    }
    double m = sum / n;
    CU_ASSERT_DOUBLE_EQUAL(m, 14.0, 0.3);
    CU_ASSERT_DOUBLE_EQUAL(sqrt(sum2 / n - m * m), 3.0, 0.2);
}

static void a_ue_moves_within_its_own_cells_disc(void)
{
    et_mobility_params p;
    et_mobility_params_default(&p);
    /* A cell at (1000, -500) with a 100 m disc; the UE starts 40 m east of
     * its AP. A car crosses it many times. */
    et_mobility_home home = {1000.0, -500.0, 100.0, "car"};
    double lo, hi, mean, far;
    for (int model = ET_MOBILITY_RANDOM_WAYPOINT; model <= ET_MOBILITY_GAUSS_MARKOV; model++) {
        p.model = (et_mobility_model)model;
        CU_ASSERT_EQUAL(walk_home(&p, &home, 1040.0, -500.0, 20000, &lo, &hi, &mean, &far), 0);
        CU_ASSERT(far > 120.0); /* reaches the far side of its own disc */
    }
    /* A start outside the disc is pulled onto it, towards its own AP. */
    p.model = ET_MOBILITY_RANDOM_WAYPOINT;
    et_mobility_state st;
    et_mobility_init_home(&st, &p, 0, 1300.0, -500.0, &home, 1);
    CU_ASSERT_DOUBLE_EQUAL(st.x_m, 1100.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(st.y_m, -500.0, 1e-9);
    /* Without a radius of its own, the cell uses mobility.cell_radius_m. */
    home.radius_m = 0.0;
    et_mobility_init_home(&st, &p, 0, 1300.0, -500.0, &home, 1);
    CU_ASSERT_DOUBLE_EQUAL(st.x_m, 1250.0, 1e-9);
}

static void the_single_cell_init_is_a_pedestrian_at_home_around_the_origin(void)
{
    et_mobility_params p;
    et_mobility_params_default(&p);
    et_mobility_home origin = {0.0, 0.0, 0.0, "phone"};
    for (int model = ET_MOBILITY_RANDOM_WAYPOINT; model <= ET_MOBILITY_GAUSS_MARKOV; model++) {
        p.model = (et_mobility_model)model;
        et_mobility_state a, b;
        et_mobility_init(&a, &p, 3, 120.0, 30.0, 5);
        et_mobility_init_home(&b, &p, 3, 120.0, 30.0, &origin, 5);
        int same = 1;
        for (int i = 0; i < 2000; i++) {
            et_mobility_step(&a, &p, NULL, 3, i, 1.0);
            et_mobility_step(&b, &p, NULL, 3, i, 1.0);
            same &= a.x_m == b.x_m && a.y_m == b.y_m && a.speed_mps == b.speed_mps;
        }
        CU_ASSERT(same);
    }
}

static void default_params_are_valid_and_bad_values_name_their_key(void)
{
    et_mobility_params p;
    et_mobility_params_default(&p);
    et_error err;
    CU_ASSERT_EQUAL(et_mobility_params_validate(&p, &err), ET_OK);
    CU_ASSERT_EQUAL(p.model, ET_MOBILITY_RANDOM_WAYPOINT);
    CU_ASSERT_DOUBLE_EQUAL(p.cell_radius_m, 250.0, 0.0);

    et_mobility_params bad = p;
    bad.min_distance_m = 300.0;
    CU_ASSERT_EQUAL(et_mobility_params_validate(&bad, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'min_distance_m'"));
    bad = p;
    bad.speed_min_mps = 0.0; /* random waypoint speed decay */
    CU_ASSERT_EQUAL(et_mobility_params_validate(&bad, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'speed_min_mps'"));
    bad = p;
    bad.speed_max_mps = 0.2;
    CU_ASSERT_EQUAL(et_mobility_params_validate(&bad, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'speed_max_mps'"));
    bad = p;
    bad.gm_alpha = 1.5;
    CU_ASSERT_EQUAL(et_mobility_params_validate(&bad, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'gm_alpha'"));
    CU_ASSERT_DOUBLE_EQUAL(p.vehicle_speed_min_mps, 8.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(p.vehicle_speed_max_mps, 20.0, 0.0);
    bad = p;
    bad.vehicle_speed_max_mps = 5.0;
    CU_ASSERT_EQUAL(et_mobility_params_validate(&bad, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'vehicle_speed_max_mps'"));
    bad = p;
    bad.vehicle_speed_min_mps = 0.0;
    CU_ASSERT_EQUAL(et_mobility_params_validate(&bad, &err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'vehicle_speed_min_mps'"));
    bad.vehicle_speed_max_mps = 0.0; /* both 0: the default range */
    CU_ASSERT_EQUAL(et_mobility_params_validate(&bad, &err), ET_OK);
}

int main(void)
{
    static const et_test_case cases[] = {
        {"random_waypoint_stays_in_the_disc_and_out_of_min_distance_and_moves",
         random_waypoint_stays_in_the_disc_and_out_of_min_distance_and_moves},
        {"random_waypoint_legs_go_around_a_wide_exclusion_zone",
         random_waypoint_legs_go_around_a_wide_exclusion_zone},
        {"random_waypoint_with_zero_speed_stands_still",
         random_waypoint_with_zero_speed_stands_still},
        {"gauss_markov_stays_inside_the_cell", gauss_markov_stays_inside_the_cell},
        {"gauss_markov_speed_has_the_configured_memory_and_spread",
         gauss_markov_speed_has_the_configured_memory_and_spread},
        {"same_seed_gives_the_same_path_and_another_seed_differs",
         same_seed_gives_the_same_path_and_another_seed_differs},
        {"static_ue_never_moves", static_ue_never_moves},
        {"trace_interpolation_matches_hand_values", trace_interpolation_matches_hand_values},
        {"trace_steps_follow_the_trace_over_time", trace_steps_follow_the_trace_over_time},
        {"trace_loader_accepts_crlf_spaces_and_blank_lines",
         trace_loader_accepts_crlf_spaces_and_blank_lines},
        {"malformed_traces_are_rejected_with_file_and_line",
         malformed_traces_are_rejected_with_file_and_line},
        {"only_vehicle_classes_move_at_vehicle_speeds",
         only_vehicle_classes_move_at_vehicle_speeds},
        {"vehicle_speeds_are_in_range_and_pedestrians_walk",
         vehicle_speeds_are_in_range_and_pedestrians_walk},
        {"a_ue_moves_within_its_own_cells_disc", a_ue_moves_within_its_own_cells_disc},
        {"the_single_cell_init_is_a_pedestrian_at_home_around_the_origin",
         the_single_cell_init_is_a_pedestrian_at_home_around_the_origin},
        {"default_params_are_valid_and_bad_values_name_their_key",
         default_params_are_valid_and_bad_values_name_their_key},
        {NULL, NULL},
    };
    return et_test_main("mobility", cases);
}
