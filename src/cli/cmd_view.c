/* cmd_view.c: edgetune view OUT, one self-contained HTML page that plays a run back (its
 * options, help and page are view.h's). */
#include "cli.h"
#include "view.h"

CLI_COMMAND(view, "view OUT",
            "an HTML page that plays a run back (map, rates, queues, tasks)", et_view_usage(),
            et_view_main, NULL, 0);
