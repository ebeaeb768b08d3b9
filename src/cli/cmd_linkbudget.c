/* cmd_linkbudget.c: edgetune linkbudget, the link budget of one UE computed by the channel's own
 * functions (its options, help and printing are linkbudget.h's). */
#include "cli.h"
#include "linkbudget.h"

CLI_COMMAND(linkbudget, "linkbudget",
            "the channel's link budget of one UE at a distance from its AP", et_linkbudget_usage(),
            et_linkbudget_main, NULL, 0);
