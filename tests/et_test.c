#include "et_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int et_test_main(const char *suite_name, const et_test_case *cases)
{
    if (CU_initialize_registry() != CUE_SUCCESS) return 1;
    CU_pSuite suite = CU_add_suite(suite_name, NULL, NULL);
    if (!suite) return 1;
    for (const et_test_case *c = cases; c->name; c++)
        if (!CU_add_test(suite, c->name, c->fn)) return 1;
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failures = CU_get_number_of_failures();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    return (failures != 0 || ran == 0) ? 1 : 0;
}

const char *et_test_source_path(const char *relative)
{
    /* A few buffers in turn: two calls in one argument list (the scenario and its source
     * directory) must not share one, whichever order the compiler evaluates them in
     * (clang: left to right, so both pointed at the last). */
    static char bufs[4][4096];
    static int next;
    char *buf = bufs[next];
    next = (next + 1) % 4;
    const char *root = getenv("ET_SOURCE_DIR");
    if (!root) root = ET_SOURCE_DIR;
    snprintf(buf, sizeof bufs[0], "%s/%s", root, relative);
    return buf;
}

const char *et_test_tmpdir(const char *name)
{
    static char buf[4096];
    const char *root = getenv("ET_BINARY_DIR");
    if (!root) root = ".";
    snprintf(buf, sizeof buf, "%s/test-out", root);
    mkdir(buf, 0755);
    snprintf(buf, sizeof buf, "%s/test-out/%s", root, name);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", buf);
    if (system(cmd) != 0) return NULL;
    mkdir(buf, 0755);
    return buf;
}
