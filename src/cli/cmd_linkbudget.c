/* cmd_linkbudget.c: edgetune linkbudget, the link budget of one UE computed by the channel's own
 * functions (its options, help and printing are linkbudget.h's). */
#include "cli.h"
#include "linkbudget.h"

const cli_command cli_linkbudget = {
    .name = "linkbudget",
    .synopsis = "linkbudget",
    .summary = "the channel's link budget of one UE at a distance from its AP",
    .usage = et_linkbudget_usage,
    .main = et_linkbudget_main,
    .options = NULL,
    .flags = 0,
};
