/* cmd_keys.c: edgetune keys, the scenario key table. */
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

static const char KEYS_USAGE[] = "usage: edgetune keys [--markdown]\n"
                                 "\n"
                                 "Lists every scenario key: type, default, range and meaning.\n";

static int cmd_keys(int argc, char **argv)
{
    int markdown = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--markdown"))
            markdown = 1;
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(KEYS_USAGE, stdout);
            return 0;
        } else
            return cli_usage_error("keys", "unexpected argument '%s'", argv[i]);
    }
    et_scenario_print_keys(stdout, markdown);
    return 0;
}

CLI_COMMAND(keys, "keys", "list every scenario key with its default, range and meaning", KEYS_USAGE,
            cmd_keys, NULL, 0);
