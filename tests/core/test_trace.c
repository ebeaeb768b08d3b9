/* test_trace.c: CSV fields of the trace writers and the output folder's lock (src/core/trace.c). */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* The engine's records reach the files through the outputs' sinks: one for each file open,
 * none for the others, writing the same row as the row writer. */
static void the_outputs_sinks_write_the_open_files_only(void)
{
    et_record_sinks none = et_outputs_sinks(NULL);
    CU_ASSERT(!none.task && !none.channel && !none.activity);
    char *buf = NULL, *want = NULL;
    size_t len = 0, want_len = 0;
    et_outputs out;
    memset(&out, 0, sizeof out);
    out.tasks = open_memstream(&buf, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out.tasks);
    et_record_sinks s = et_outputs_sinks(&out);
    CU_ASSERT(s.task && !s.channel && !s.activity && s.ctx == &out);
    et_task_record r;
    memset(&r, 0, sizeof r);
    r.ue_name = "ue0";
    r.failure = "";
    r.delay_s = 12.5;
    s.task(s.ctx, &r);
    fclose(out.tasks);
    FILE *f = open_memstream(&want, &want_len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    et_trace_task_row(f, &r);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(buf, want);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, ",12.5,"));
    free(buf);
    free(want);
}

/* Two processes never write into one output folder at once (issue 18): a second lock is
 * refused, the lock is re-entrant in its own process and goes with it; temporaries carry the
 * process's id, and a lock clears the ones a killed process left. */
static void an_output_folder_is_locked_by_one_process(void)
{
    const char *dir = et_test_tmpdir("trace-lock");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    char stale[4300], tmp[4300], final[4200];
    snprintf(stale, sizeof stale, "%s/.tasks.csv.999999999.tmp", dir);
    FILE *f = fopen(stale, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fclose(f);
    /* Another process, forked before the lock is taken (a child forked after shares it). */
    int ready[2];
    CU_ASSERT_EQUAL_FATAL(pipe(ready), 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        char byte;
        close(ready[1]);
        if (read(ready[0], &byte, 1) != 1) _exit(2);
        int other = 0;
        et_error e;
        memset(&e, 0, sizeof e);
        et_status st = et_outputs_lock_dir(dir, &other, &e);
        _exit(st == ET_ERR_INPUT && strstr(e.msg, "another edgetune process") ? 0 : 1);
    }
    close(ready[0]);
    et_error err;
    int token = 0, again = 0;
    CU_ASSERT_EQUAL_FATAL(et_outputs_lock_dir(dir, &token, &err), ET_OK);
    CU_ASSERT(access(stale, F_OK) != 0); /* a killed process's temporary is gone */
    CU_ASSERT_EQUAL(et_outputs_lock_dir(dir, &again, &err), ET_OK); /* re-entrant */
    CU_ASSERT_EQUAL(write(ready[1], "x", 1), 1);
    close(ready[1]);
    int status = -1;
    waitpid(pid, &status, 0);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    et_outputs_unlock_dir(&again);
    et_outputs_unlock_dir(&token);
    CU_ASSERT_EQUAL(token, 0);
    snprintf(final, sizeof final, "%s/tasks.csv", dir);
    et_outputs_tmp_name(final, tmp, sizeof tmp);
    char want[64];
    snprintf(want, sizeof want, "/.tasks.csv.%ld.tmp", (long)getpid());
    CU_ASSERT_PTR_NOT_NULL(strstr(tmp, want));
}

int main(void)
{
    static const et_test_case cases[] = {
        {"plain_fields_are_written_as_they_are", plain_fields_are_written_as_they_are},
        {"commas_quotes_and_newlines_are_quoted_rfc4180",
         commas_quotes_and_newlines_are_quoted_rfc4180},
        {"a_task_row_quotes_its_host_name", a_task_row_quotes_its_host_name},
        {"the_outputs_sinks_write_the_open_files_only",
         the_outputs_sinks_write_the_open_files_only},
        {"an_output_folder_is_locked_by_one_process", an_output_folder_is_locked_by_one_process},
        {NULL, NULL},
    };
    return et_test_main("trace", cases);
}
