/* cmd_policies.c: edgetune policies, the decision policies by name. */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static int cmd_policies(int argc, char **argv)
{
    if (argc > 2) return cli_usage_error("policies", "unexpected argument '%s'", argv[2]);
    /* One per line: name, then a tab and the row's summary (learned policies come from a
     * checkpoint written by edgetune train). */
    size_t n = 0;
    const et_policy_info *p = et_policy_list(&n);
    for (size_t i = 0; i < n; i++)
        printf("%s\t%s\n", p[i].name, p[i].summary);
    return 0;
}

CLI_COMMAND(policies, "policies", "list the decision policies", NULL, cmd_policies, NULL, 0);
