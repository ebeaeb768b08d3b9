/* test_trace.c: CSV fields of the trace writers (src/trace.c). */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "et_test.h"
#include "trace.h"

/* What et_csv_field writes for text, followed by sep. */
static void field_text(const char *text, char sep, char *out, size_t size)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    et_csv_field(f, text, sep);
    fclose(f);
    snprintf(out, size, "%s", buf);
    free(buf);
}

static void plain_fields_are_written_as_they_are(void)
{
    char out[128];
    field_text("ue-3", ',', out, sizeof out);
    CU_ASSERT_STRING_EQUAL(out, "ue-3,");
    field_text("", '\n', out, sizeof out);
    CU_ASSERT_STRING_EQUAL(out, "\n");
}

static void commas_quotes_and_newlines_are_quoted_rfc4180(void)
{
    char out[128];
    field_text("cell 1, ue 2", ',', out, sizeof out);
    CU_ASSERT_STRING_EQUAL(out, "\"cell 1, ue 2\",");
    field_text("the \"fast\" one", 0, out, sizeof out);
    CU_ASSERT_STRING_EQUAL(out, "\"the \"\"fast\"\" one\"");
    field_text("two\nlines", '\n', out, sizeof out);
    CU_ASSERT_STRING_EQUAL(out, "\"two\nlines\"\n");
}

static void a_task_row_quotes_its_host_name(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    et_task_record r;
    memset(&r, 0, sizeof r);
    r.ue_name = "ue,1";
    r.failure = "";
    et_trace_task_row(f, &r);
    fclose(f);
    CU_ASSERT(strncmp(buf, "0,0,\"ue,1\",0,", 13) == 0);
    free(buf);
}

int main(void)
{
    static const et_test_case cases[] = {
        {"plain_fields_are_written_as_they_are", plain_fields_are_written_as_they_are},
        {"commas_quotes_and_newlines_are_quoted_rfc4180",
         commas_quotes_and_newlines_are_quoted_rfc4180},
        {"a_task_row_quotes_its_host_name", a_task_row_quotes_its_host_name},
        {NULL, NULL},
    };
    return et_test_main("trace", cases);
}
