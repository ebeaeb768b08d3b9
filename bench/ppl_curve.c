/* ppl_curve.c: the fitted perplexity model of foundation-model profiles as
 * CSV, for examples/plot-ppl.sh and docs/models.md (not a benchmark, not a
 * test: it prints what src/core/fm.c computes, nothing is measured here).
 *
 * usage: ppl_curve [--points] PROFILE.json [PROFILE.json ...]
 *        ppl_curve --data PROFILE.json [B ...]
 *   default   the curves, one row per emulator size b = 2 .. M:
 *             model,middle_blocks,b,keep,ppl_plug,ppl_emu
 *   --points  the numbers the curves were fitted to, one row each:
 *             model,middle_blocks,b,keep,column,ppl,derived,emulator
 *             column is on_emulator or plugged (calibration points),
 *             anchor_full_point, anchor_full_ft or anchor_derived (b = M),
 *             or full_zero_shot (the untuned full model, drawn at b = M);
 *             emulator is layer_drop or distilled for calibration points,
 *             empty otherwise.
 *   --data    quality against tuning data (docs/models.md section 9), one row per
 *             emulator size B (default: every b = 2 .. M) and token-epochs
 *             D = 10^2, 10^2.05, .. 10^9:
 *             model,middle_blocks,b,token_epochs,ppl,ppl_plug,ppl_untuned,
 *             data_scale_tokens,data_exponent
 *             ppl = et_fm_ppl_plug_data(b, D), ppl_plug its converged curve
 *             et_fm_ppl_plug(b), ppl_untuned its value at D = 0; the last two
 *             are the law's D_c and alpha.
 * Exit status 0, or 2 with one line on stderr when a profile does not load
 * or an emulator size is not an integer in [2, M]. */
#include "fm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Token-epochs of the --data grid: 10^(2 + k / 20) for k = 0 .. 140. */
#define DATA_GRID_LOG10_MIN 2.0
#define DATA_GRID_STEPS_PER_DECADE 20
#define DATA_GRID_STEPS 140

static void print_curve(const et_fm *fm)
{
    for (int b = 2; b <= fm->middle_blocks; b++) {
        printf("%s,%d,%d,%.6f,%.6f,%.6f\n", fm->name, fm->middle_blocks, b,
               (double)b / fm->middle_blocks, et_fm_ppl_plug(fm, b), et_fm_ppl_emu(fm, b));
    }
}

/* emulator: "layer_drop", "distilled", or "" (not a calibration point). */
static void print_point(const et_fm *fm, int b, const char *column, double ppl, int derived,
                        const char *emulator)
{
    if (isnan(ppl)) return; /* not published */
    printf("%s,%d,%d,%.6f,%s,%.6f,%d,%s\n", fm->name, fm->middle_blocks, b,
           (double)b / fm->middle_blocks, column, ppl, derived, emulator);
}

static void print_points(const et_fm *fm)
{
    static const char *const anchor_columns[] = {"anchor_full_point", "anchor_full_ft",
                                                 "anchor_derived"};
    int m = fm->middle_blocks;
    for (int i = 0; i < fm->n_calib; i++) {
        const et_fm_calib *c = &fm->calib[i];
        const char *kind = c->emulator == ET_FM_EMULATOR_DISTILLED ? "distilled" : "layer_drop";
        print_point(fm, c->emulator_blocks, "on_emulator", c->ppl_on_emulator, c->derived, kind);
        print_point(fm, c->emulator_blocks, "plugged", c->ppl_plugged, c->derived, kind);
    }
    print_point(fm, m, anchor_columns[fm->ppl_anchor], fm->ppl_full_ft,
                fm->ppl_anchor == ET_FM_ANCHOR_DERIVED, "");
    print_point(fm, m, "full_zero_shot", fm->ppl_full_zero_shot, 0, "");
}

static void print_data_curve(const et_fm *fm, int b)
{
    for (int k = 0; k <= DATA_GRID_STEPS; k++) {
        double d = pow(10.0, DATA_GRID_LOG10_MIN + (double)k / DATA_GRID_STEPS_PER_DECADE);
        printf("%s,%d,%d,%.6g,%.6f,%.6f,%.6f,%.6g,%.6g\n", fm->name, fm->middle_blocks, b, d,
               et_fm_ppl_plug_data(fm, b, d), et_fm_ppl_plug(fm, b), et_fm_ppl_untuned(fm),
               fm->ppl_data_scale_tokens, fm->ppl_data_exponent);
    }
}

/* --data PROFILE.json [B ...] */
static int main_data(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: ppl_curve --data PROFILE.json [B ...]\n");
        return 2;
    }
    et_fm fm;
    et_error err;
    if (et_fm_load(argv[2], &fm, &err) != ET_OK) {
        fprintf(stderr, "ppl_curve: %s\n", err.msg);
        return 2;
    }
    for (int i = 3; i < argc; i++) {
        char *end = NULL;
        long b = strtol(argv[i], &end, 10);
        if (end == argv[i] || *end != '\0' || b < 2 || b > fm.middle_blocks) {
            fprintf(stderr, "ppl_curve: emulator size '%s': expected an integer in [2, %d]\n",
                    argv[i], fm.middle_blocks);
            return 2;
        }
    }
    printf("model,middle_blocks,b,token_epochs,ppl,ppl_plug,ppl_untuned,data_scale_tokens,"
           "data_exponent\n");
    if (argc == 3) {
        for (int b = 2; b <= fm.middle_blocks; b++)
            print_data_curve(&fm, b);
        return 0;
    }
    for (int i = 3; i < argc; i++)
        print_data_curve(&fm, atoi(argv[i]));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--data") == 0) return main_data(argc, argv);
    int points = argc > 1 && strcmp(argv[1], "--points") == 0;
    int first = 1 + points;
    if (first >= argc) {
        fprintf(stderr, "usage: ppl_curve [--points] PROFILE.json [PROFILE.json ...]\n"
                        "       ppl_curve --data PROFILE.json [B ...]\n");
        return 2;
    }
    if (points)
        printf("model,middle_blocks,b,keep,column,ppl,derived,emulator\n");
    else
        printf("model,middle_blocks,b,keep,ppl_plug,ppl_emu\n");
    for (int i = first; i < argc; i++) {
        et_fm fm;
        et_error err;
        if (et_fm_load(argv[i], &fm, &err) != ET_OK) {
            fprintf(stderr, "ppl_curve: %s\n", err.msg);
            return 2;
        }
        if (points)
            print_points(&fm);
        else
            print_curve(&fm);
    }
    return 0;
}
