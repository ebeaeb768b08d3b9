/* ppl_curve.c: the fitted perplexity model of foundation-model profiles as
 * CSV, for examples/plot-ppl.sh and docs/models.md (not a benchmark, not a
 * test: it prints what src/fm.c computes, nothing is measured here).
 *
 * usage: ppl_curve [--points] PROFILE.json [PROFILE.json ...]
 *   default   the curves, one row per emulator size b = 2 .. M:
 *             model,middle_blocks,b,keep,ppl_plug,ppl_emu
 *   --points  the numbers the curves were fitted to, one row each:
 *             model,middle_blocks,b,keep,column,ppl,derived
 *             column is on_emulator or plugged (calibration points),
 *             anchor_full_point, anchor_full_ft or anchor_derived (b = M),
 *             or full_zero_shot (the untuned full model, drawn at b = M).
 * Exit status 0, or 2 with one line on stderr when a profile does not load. */
#include "fm.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void print_curve(const et_fm *fm)
{
    for (int b = 2; b <= fm->middle_blocks; b++) {
        printf("%s,%d,%d,%.6f,%.6f,%.6f\n", fm->name, fm->middle_blocks, b,
               (double)b / fm->middle_blocks, et_fm_ppl_plug(fm, b), et_fm_ppl_emu(fm, b));
    }
}

static void print_point(const et_fm *fm, int b, const char *column, double ppl, int derived)
{
    if (isnan(ppl)) return; /* not published */
    printf("%s,%d,%d,%.6f,%s,%.6f,%d\n", fm->name, fm->middle_blocks, b,
           (double)b / fm->middle_blocks, column, ppl, derived);
}

static void print_points(const et_fm *fm)
{
    static const char *const anchor_columns[] = {"anchor_full_point", "anchor_full_ft",
                                                 "anchor_derived"};
    int m = fm->middle_blocks;
    for (int i = 0; i < fm->n_calib; i++) {
        const et_fm_calib *c = &fm->calib[i];
        print_point(fm, c->emulator_blocks, "on_emulator", c->ppl_on_emulator, c->derived);
        print_point(fm, c->emulator_blocks, "plugged", c->ppl_plugged, c->derived);
    }
    print_point(fm, m, anchor_columns[fm->ppl_anchor], fm->ppl_full_ft,
                fm->ppl_anchor == ET_FM_ANCHOR_DERIVED);
    print_point(fm, m, "full_zero_shot", fm->ppl_full_zero_shot, 0);
}

int main(int argc, char **argv)
{
    int points = argc > 1 && strcmp(argv[1], "--points") == 0;
    int first = 1 + points;
    if (first >= argc) {
        fprintf(stderr, "usage: ppl_curve [--points] PROFILE.json [PROFILE.json ...]\n");
        return 2;
    }
    if (points)
        printf("model,middle_blocks,b,keep,column,ppl,derived\n");
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
