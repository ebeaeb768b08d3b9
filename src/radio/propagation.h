/* propagation.h: large-scale propagation of 3GPP TR 38.901 (V17.0.0) section 7.4, pure C.
 *
 * For the four scenarios edgetune models (urban macro UMa, urban micro street canyon UMi,
 * rural macro RMa, indoor hotspot office InH, mixed office): path loss, LOS and NLOS
 * (Table 7.4.1-1), LOS probability (Table 7.4.2-1), shadow fading standard deviations
 * (Table 7.4.1-1) and decorrelation distances (Table 7.5-6), the correlation distance of the
 * LOS state (Table 7.6.3.1-2), and the low-loss outdoor-to-indoor penetration loss
 * (section 7.4.3, Tables 7.4.3-1 and 7.4.3-2). docs/channel.md section 1 writes every
 * equation out with its table. The old log-distance law of TR 36.814 (scenario tr36814)
 * lives in channel.c, whose parameters hold its constants; the functions here compute the
 * TR 38.901 scenarios only. */
#ifndef ET_PROPAGATION_H
#define ET_PROPAGATION_H

#include "edgetune_export.h"
#include "status.h"

ET_API_BEGIN

/* The scenario of a cell. The order is the scenario key's (choices below). */
typedef enum et_propagation_scenario {
    ET_PROPAGATION_UMA = 0,     /* urban macro */
    ET_PROPAGATION_UMI = 1,     /* urban micro, street canyon */
    ET_PROPAGATION_RMA = 2,     /* rural macro */
    ET_PROPAGATION_INH = 3,     /* indoor hotspot, office (mixed) */
    ET_PROPAGATION_TR36814 = 4, /* PL = a + b log10(d_km) (et_channel_params), no LOS state */
} et_propagation_scenario;

/* Names in enum order, '|'-separated (the scenario key's choices). */
#define ET_PROPAGATION_SCENARIOS "uma|umi|rma|inh|tr36814"

/* One cell's propagation environment. */
typedef struct et_propagation {
    et_propagation_scenario scenario;
    double frequency_hz; /* carrier centre frequency f_c, in [0.5e9, 100e9] (TR 38.901 range) */
    double h_bs_m;       /* BS (AP) antenna height; <= 0: the scenario's evaluation default */
    double h_ut_m;       /* UT (UE) antenna height; <= 0: the scenario's evaluation default */
} et_propagation;

/* The TR 38.901 Table 7.2-1 evaluation layout of scenario s: *out gets its BS and UT heights
 * (UMa 25 / 1.5 m, UMi 10 / 1.5 m, RMa 35 / 1.5 m, InH 3 / 1 m) and the sub-6 GHz
 * evaluation carrier of TR 38.913 section 6.1 (4 GHz for all four); *isd_m its inter-site
 * distance (500, 200, 1732, 20 m). tr36814 gets UMa's. Either pointer may be NULL. */
void et_propagation_evaluation(et_propagation_scenario s, et_propagation *out, double *isd_m);

/* The scenario's name ("uma", ...), or "?" when s is not one. */
const char *et_propagation_scenario_name(et_propagation_scenario s);

/* The scenario named name (case-sensitive), or -1. */
int et_propagation_scenario_parse(const char *name);

/* The BS and UT heights in force: the given ones, or the scenario's evaluation defaults where
 * they are <= 0. */
double et_propagation_h_bs_m(const et_propagation *p);
double et_propagation_h_ut_m(const et_propagation *p);

/* Checks p (scenario, frequency in [0.5e9, 100e9] Hz, heights 0 or in [1, 150] m for the BS
 * and [1, 22.5] m for the UT). ET_OK, or ET_ERR_INPUT with a message naming the field as
 * "<what> '<field>'" with its range and value ("channel key 'frequency_hz': expected ..."). */
et_status et_propagation_validate(const et_propagation *p, const char *what, et_error *err);

/* 3D distance d_3D = sqrt(d_2D^2 + (h_BS - h_UT)^2), m (TR 38.901 Figure 7.4.1-1). */
double et_propagation_d3d_m(const et_propagation *p, double d_2d_m);

/* Breakpoint distance, m: UMa and UMi d'_BP = 4 h'_BS h'_UT f_c / c with effective heights
 * h' = h - 1 m (TR 38.901 Table 7.4.1-1 notes 1 and 2; h_E = 1 m, exact for h_UT < 13 m);
 * RMa d_BP = 2 pi h_BS h_UT f_c / c (note 5); InH and tr36814 have none (INFINITY). */
double et_propagation_breakpoint_m(const et_propagation *p);

/* Path loss, dB, at 2D distance d_2d_m (TR 38.901 Table 7.4.1-1), LOS or NLOS; NLOS is the
 * standard's max(PL_LOS, PL'_NLOS). Outdoor scenarios hold their value below d_2D = 10 m (the
 * standard's lower end); InH is valid from d_3D = 1 m. Beyond the upper ends (5 km; RMa LOS
 * 10 km; InH 150 m) the formulas are extrapolated. NAN for tr36814. */
double et_propagation_pathloss_db(const et_propagation *p, int los, double d_2d_m);

/* The linear path gain averaged over the LOS state at 2D distance d_2d_m,
 * Pr_LOS 10^(-PL_LOS / 10) + (1 - Pr_LOS) 10^(-PL_NLOS / 10): an interfering
 * link's mean gain. NAN for tr36814. */
double et_propagation_mean_path_gain(const et_propagation *p, double d_2d_m);

/* The same with a cell's constant terms taken once, for sums over many
 * links of one cell: et_propagation_gain_prepare fills g from p, and
 * et_propagation_gain_mean(g, d) equals et_propagation_mean_path_gain(p, d)
 * to rounding. */
typedef struct et_propagation_gain {
    et_propagation prop;
    double h_bs_m, h_ut_m, dh2_m2, breakpoint_m;
    double los1[2], los2[2], nlos[2]; /* intercept, slope in log10(d_3D) */
} et_propagation_gain;
void et_propagation_gain_prepare(const et_propagation *p, et_propagation_gain *g);
double et_propagation_gain_mean(const et_propagation_gain *g, double d_2d_m);

/* LOS probability at outdoor 2D distance d_2d_out_m (TR 38.901 Table 7.4.2-1; InH mixed
 * office); NAN for tr36814. */
double et_propagation_los_probability(const et_propagation *p, double d_2d_out_m);

/* Shadow fading standard deviation, dB (TR 38.901 Table 7.4.1-1): UMa 4 / 6, UMi 4 / 7.82,
 * RMa 4 (6 beyond d_BP) / 8, InH 3 / 8.03 (LOS / NLOS); NAN for tr36814. */
double et_propagation_shadowing_std_db(const et_propagation *p, int los, double d_2d_m);

/* Shadow fading decorrelation distance, m (TR 38.901 Table 7.5-6): UMa 37 / 50, UMi 10 / 13,
 * RMa 37 / 120, InH 10 / 6 (LOS / NLOS); NAN for tr36814. */
double et_propagation_shadowing_decorr_m(const et_propagation *p, int los);

/* Correlation distance of the LOS state, m (TR 38.901 Table 7.6.3.1-2): UMa 50, UMi 50,
 * RMa 60, InH 10; NAN for tr36814. */
double et_propagation_los_decorr_m(const et_propagation *p);

/* Greatest indoor distance d_2D-in of an O2I UE, m: each of the two uniform draws whose
 * minimum it is spans [0, this] (TR 38.901 Table 7.4.3-2: 25 m UMa and UMi, 10 m RMa); 0 for
 * InH and tr36814 (no outdoor-to-indoor link). */
double et_propagation_indoor_depth_m(const et_propagation *p);

/* Mean low-loss outdoor-to-indoor penetration, dB, of an indoor UE d_2d_in_m inside the
 * building: PL_tw + PL_in with PL_tw = 5 - 10 log10(0.3 10^(-L_glass/10) + 0.7
 * 10^(-L_concrete/10)), L_glass = 2 + 0.2 f, L_concrete = 5 + 4 f (f in GHz), PL_in = 0.5
 * d_2D-in (TR 38.901 Tables 7.4.3-1 and 7.4.3-2); its standard deviation is ET_O2I_STD_DB. */
double et_propagation_o2i_loss_db(double frequency_hz, double d_2d_in_m);

#define ET_O2I_STD_DB 4.4 /* sigma_P of the low-loss model, TR 38.901 Table 7.4.3-2 */

ET_API_END

#endif
