/* et_test.h: shared CUnit plumbing for the test executables.
 * Each tests/<layer>/test_<concept>.c defines one suite and calls et_test_main();
 * the exit status is non-zero when any assertion failed (CUnit's own
 * CU_basic_run_tests returns success even then). */
#ifndef ET_TEST_H
#define ET_TEST_H

#include <CUnit/Basic.h>

typedef struct et_test_case {
    const char *name;
    void (*fn)(void);
} et_test_case;

/* Registers suite_name with the NULL-terminated cases and runs it. */
int et_test_main(const char *suite_name, const et_test_case *cases);

/* Absolute path of a file in the source tree (uses $ET_SOURCE_DIR, else the
 * configured source dir). Returns a static buffer. */
const char *et_test_source_path(const char *relative);

/* 1 in a sanitizer build (scripts/setup.sh test's second stage), where wall times and
 * memory use are those of the instrumented code: tests skip their budgets then. */
#if defined(__SANITIZE_ADDRESS__)
#define ET_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ET_TEST_SANITIZED 1
#endif
#endif
#ifndef ET_TEST_SANITIZED
#define ET_TEST_SANITIZED 0
#endif

/* A fresh empty directory under the build tree for a test's outputs. */
const char *et_test_tmpdir(const char *name);

#endif
