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
#include "edgetune_capi.h"
#include "stats.h"
#include "trace.h"

static const char KEYS_USAGE[] =
    "usage: edgetune keys [--markdown]\n"
    "       edgetune keys --schema tasks.csv|channel.csv|activities.csv|result|task-fields\n"
    "\n"
    "Lists every scenario key: type, default, range and meaning. --schema prints the\n"
    "columns of an output (docs/traces.md), summary.json's result metrics or the C API's\n"
    "task fields (docs/python.md) as a markdown table, from the tables the program writes\n"
    "them with.\n";

/* One markdown row: | `name` | unit | meaning |. */
static void schema_row(const char *name, const char *unit, const char *meaning)
{
    printf("| `%s` | %s%s| %s |\n", name, unit, unit[0] ? " " : "", meaning);
}

#define SCHEMA_COLUMN(column, field, kind, unit, meaning) schema_row(#column, unit, meaning);
#define SCHEMA_METRIC(name, kind, value, unit, meaning) schema_row(#name, unit, meaning);
#define SCHEMA_SERVER_LOAD(name, kind, value, unit, meaning)                                       \
    schema_row("server_load." #name, unit, meaning);
#define SCHEMA_ENGINE(name, kind, value, unit, meaning) schema_row("engine." #name, unit, meaning);
#define SCHEMA_TASK_FIELD(name, unit, meaning) schema_row(#name, unit, meaning);

/* The table called name (KEYS_USAGE); 2 for an unknown name. */
static int print_schema(const char *name)
{
    const char *head = !strcmp(name, "result")        ? "metric"
                       : !strcmp(name, "task-fields") ? "field"
                                                      : "column";
    if (strcmp(name, "tasks.csv") && strcmp(name, "channel.csv") &&
        strcmp(name, "activities.csv") && strcmp(name, "result") && strcmp(name, "task-fields"))
        return cli_usage_error("keys",
                               "--schema: expected tasks.csv, channel.csv, activities.csv, "
                               "result or task-fields, not '%s'",
                               name);
    printf("| %s | unit | meaning |\n|---|---|---|\n", head);
    if (!strcmp(name, "tasks.csv")) {
        ET_TASK_COLUMNS(SCHEMA_COLUMN)
    } else if (!strcmp(name, "channel.csv")) {
        ET_CHANNEL_COLUMNS(SCHEMA_COLUMN)
    } else if (!strcmp(name, "activities.csv")) {
        ET_ACTIVITY_COLUMNS(SCHEMA_COLUMN)
    } else if (!strcmp(name, "result")) {
        ET_RESULT_METRICS(SCHEMA_METRIC)
        ET_RESULT_SERVER_LOAD(SCHEMA_SERVER_LOAD)
        ET_RESULT_ENGINE(SCHEMA_ENGINE)
    } else {
        ET_CAPI_TASK_FIELD_LIST(SCHEMA_TASK_FIELD)
    }
    return 0;
}

static int cmd_keys(int argc, char **argv)
{
    int markdown = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--markdown"))
            markdown = 1;
        else if (!strcmp(argv[i], "--schema") && i + 1 < argc)
            return print_schema(argv[i + 1]);
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
