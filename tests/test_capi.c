/* test_capi.c: the flat C API under the Python package (src/edgetune_capi.h), without Python:
 * a foreign policy's callbacks, its error status ending an episode with no outputs, the
 * companions, error messages. One engine per process: the cases share one simulator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "edgetune_capi.h"
#include "et_test.h"
#include "status.h"

enum { UES = 6, TASKS = 3 };

typedef struct counting {
    et_capi_sim *h;
    int decides, feedbacks, begins, ends, done;
    int fail_at;   /* return ET_ERR_INPUT on this decision (0: never) */
    int companion; /* -1: LOCAL for UE 2 only; else take this companion's action */
    int ue_state_ok;
} counting;

static et_capi_sim *sim_handle(void)
{
    static et_capi_sim *h; /* one simulator per test process (one SimGrid platform) */
    if (!h) {
        char err[768];
        if (et_capi_engine_init(err, sizeof err) != 0) return NULL;
        if (et_capi_sim_create(NULL, et_test_source_path(""), NULL, NULL, 1, 0, TASKS, &h, err,
                               sizeof err) != 0)
            return NULL;
    }
    return h;
}

static int decide(void *ctx, int ue, const float *state)
{
    counting *c = ctx;
    c->decides++;
    double *task = et_capi_sim_task(c->h);
    c->ue_state_ok += task[0] == ue && state != NULL;
    if (c->fail_at && c->decides == c->fail_at) return ET_ERR_INPUT;
    double *act = et_capi_sim_action(c->h);
    if (c->companion >= 0) {
        char err[768];
        return et_capi_companion_decide(c->h, c->companion, act, err, sizeof err);
    }
    act[0] = ue == 2 ? 0 : 1; /* ET_LOCATION_LOCAL = 0 */
    act[1] = 0.3;
    return 0;
}

static void feedback(void *ctx, int ue, double reward, int done)
{
    counting *c = ctx;
    const double *fb = et_capi_sim_feedback(c->h);
    c->feedbacks += fb[0] == ue && fb[1] == reward;
    c->done += done;
}

static void begin(void *ctx, int episode, int n_ue, unsigned long long seed)
{
    (void)episode, (void)seed;
    counting *c = ctx;
    c->begins += n_ue == UES;
}

static void end(void *ctx)
{
    ((counting *)ctx)->ends++;
}

static int file_exists(const char *dir, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat st;
    return stat(path, &st) == 0;
}

static void a_bad_scenario_names_its_key(void)
{
    const char *dir = et_test_tmpdir("capi-bad");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    char path[4200];
    snprintf(path, sizeof path, "%s/bad.json", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("{\"tasks.per_ue\": 0}\n", f);
    fclose(f);
    char err[768];
    et_capi_sim *h = NULL;
    /* Before the engine exists: a scenario error comes first, nothing is loaded. */
    int st = et_capi_sim_create(path, et_test_source_path(""), NULL, NULL, -1, 0, 0, &h, err,
                                sizeof err);
    CU_ASSERT_EQUAL(st, ET_ERR_INPUT);
    CU_ASSERT_PTR_NULL(h);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "tasks.per_ue"));
}

static void a_foreign_policy_decides_every_task(void)
{
    et_capi_sim *h = sim_handle();
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_EQUAL(et_capi_sim_ue_count(h), UES);
    CU_ASSERT_EQUAL(et_capi_state_dim(h), UES * et_capi_obs_dim() + 2);
    CU_ASSERT_STRING_EQUAL(et_capi_task_field(4), "tokens");
    CU_ASSERT_PTR_NULL(et_capi_task_field(ET_CAPI_TASK_FIELDS));
    counting c = {.h = h, .companion = -1};
    et_capi_sim_set_policy(h, decide, feedback, begin, end, &c);
    const char *dir = et_test_tmpdir("capi-run");
    char err[768], *stats = NULL;
    int st =
        et_capi_sim_run(h, NULL, "counting", 0, dir, "{\"command\": []}", &stats, err, sizeof err);
    CU_ASSERT_EQUAL_FATAL(st, 0);
    CU_ASSERT_EQUAL(c.decides, UES * TASKS);
    CU_ASSERT_EQUAL(c.ue_state_ok, UES * TASKS);
    CU_ASSERT_EQUAL(c.feedbacks, UES * TASKS);
    CU_ASSERT_EQUAL(c.done, UES);
    CU_ASSERT_EQUAL(c.begins, 1);
    CU_ASSERT_EQUAL(c.ends, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(stats, "\"local\":\t3,"));
    CU_ASSERT(file_exists(dir, "tasks.csv") && file_exists(dir, "summary.json"));
    et_capi_free(stats);
}

static void an_error_from_decide_ends_the_episode_without_outputs(void)
{
    et_capi_sim *h = sim_handle();
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    counting c = {.h = h, .companion = -1, .fail_at = 5};
    et_capi_sim_set_policy(h, decide, feedback, begin, end, &c);
    const char *dir = et_test_tmpdir("capi-fail");
    char err[768], *stats = NULL;
    int st = et_capi_sim_run(h, NULL, "failing", 1, dir, NULL, &stats, err, sizeof err);
    CU_ASSERT_EQUAL(st, ET_ERR_INPUT);
    CU_ASSERT_PTR_NULL(stats);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "decide() failed at UE"));
    CU_ASSERT_EQUAL(c.decides, 5); /* no decision after the failing one */
    CU_ASSERT_EQUAL(c.ends, 1);
    CU_ASSERT(!file_exists(dir, "tasks.csv") && !file_exists(dir, "summary.json"));
    CU_ASSERT(!file_exists(dir, "tasks.csv.tmp"));
    /* The simulator runs the next episode normally. */
    st = et_capi_sim_run(h, "greedy", NULL, 2, NULL, NULL, &stats, err, sizeof err);
    CU_ASSERT_EQUAL(st, 0);
    CU_ASSERT(stats && strstr(stats, "\"tasks\":\t18,"));
    et_capi_free(stats);
}

static void companions_answer_only_during_a_decision(void)
{
    et_capi_sim *h = sim_handle();
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    char err[768];
    int id = -1;
    CU_ASSERT_EQUAL(et_capi_companion_add(h, "nosuch", &id, err, sizeof err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "unknown policy 'nosuch'"));
    CU_ASSERT_EQUAL_FATAL(et_capi_companion_add(h, "greedy", &id, err, sizeof err), 0);
    double act[2];
    CU_ASSERT_EQUAL(et_capi_companion_decide(h, id, act, err, sizeof err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "no decision in progress"));
    counting c = {.h = h, .companion = id};
    et_capi_sim_set_policy(h, decide, feedback, begin, end, &c);
    char *stats = NULL;
    CU_ASSERT_EQUAL(et_capi_sim_run(h, NULL, "via-greedy", 3, NULL, NULL, &stats, err, sizeof err),
                    0);
    CU_ASSERT_EQUAL(c.decides, UES * TASKS);
    et_capi_free(stats);
    CU_ASSERT_EQUAL(et_capi_sim_run(h, "nosuch", NULL, 4, NULL, NULL, &stats, err, sizeof err),
                    ET_ERR_INPUT);
    et_capi_sim_destroy(h);
}

int main(void)
{
    static const et_test_case cases[] = {
        {"a_bad_scenario_names_its_key", a_bad_scenario_names_its_key},
        {"a_foreign_policy_decides_every_task", a_foreign_policy_decides_every_task},
        {"an_error_from_decide_ends_the_episode_without_outputs",
         an_error_from_decide_ends_the_episode_without_outputs},
        {"companions_answer_only_during_a_decision", companions_answer_only_during_a_decision},
        {NULL, NULL},
    };
    return et_test_main("capi", cases);
}
