/* test_capi.c: the flat C API under the Python package (src/api/edgetune_capi.h), without Python:
 * a foreign policy's callbacks, its error status ending an episode with no outputs, the
 * companions, error messages, and misuse answered with an error status (NULL pointers, a run
 * or a destroy from inside a callback, a location that is neither LOCAL nor SERVER, overrides
 * out of their key's range). One engine per process: the cases share one simulator, and the
 * last one destroys it. */
#include <dirent.h>
#include <math.h>
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
    double location;      /* written as the action's location when not 0 (a bad one) */
    int fail_feedback_at; /* return 1 from this feedback (0: never) */
    int nested_status;    /* what a run started from decide returned */
    int destroy_in_decide;
    double keep;     /* written as the action's keep when not 0 (with location SERVER) */
    int late_status; /* what adding a companion, then asking it, in the 2nd decide returned */
    int add_late;    /* add a companion in the second decide and take its action */
} counting;

static et_capi_sim *sim_handle(void)
{
    static et_capi_sim *h; /* one simulator per test process (one SimGrid platform) */
    if (!h) {
        char err[768];
        if (et_capi_engine_init(err, sizeof err) != 0) return NULL;
        const char *keys[] = {"seed", "tasks.per_ue"}, *values[] = {"1", "3"};
        if (et_capi_sim_create(NULL, et_test_source_path(""), keys, values, NULL, 2, &h, err,
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
    if (c->decides == 1 && c->nested_status < 0) {
        char err[768], *stats = NULL;
        c->nested_status =
            et_capi_sim_run(c->h, "greedy", NULL, 0, NULL, NULL, &stats, err, sizeof err);
        et_capi_free(stats);
    }
    if (c->destroy_in_decide && c->decides == 1) et_capi_sim_destroy(c->h);
    double *act = et_capi_sim_action(c->h);
    if (c->add_late && c->decides == 2) {
        char err[768];
        int id = -1;
        c->late_status = et_capi_companion_add(c->h, "greedy", &id, err, sizeof err);
        if (c->late_status == 0)
            c->late_status = et_capi_companion_decide(c->h, id, act, err, sizeof err);
        return c->late_status;
    }
    if (c->keep != 0) {
        act[0] = 1;
        act[1] = c->keep;
        return 0;
    }
    if (c->location != 0) {
        act[0] = c->location;
        act[1] = 0.3;
        return 0;
    }
    if (c->companion >= 0) {
        char err[768];
        return et_capi_companion_decide(c->h, c->companion, act, err, sizeof err);
    }
    act[0] = ue == 2 ? 0 : 1; /* ET_LOCATION_LOCAL = 0 */
    act[1] = 0.3;
    return 0;
}

static int feedback(void *ctx, int ue, double reward, int done)
{
    counting *c = ctx;
    const double *fb = et_capi_sim_feedback(c->h);
    c->feedbacks += fb[0] == ue && fb[1] == reward;
    c->done += done;
    return c->fail_feedback_at && c->done >= c->fail_feedback_at;
}

static int begin(void *ctx, int episode, int n_ue, unsigned long long seed)
{
    (void)episode, (void)seed;
    counting *c = ctx;
    c->begins += n_ue == UES;
    return 0;
}

static int end(void *ctx)
{
    ((counting *)ctx)->ends++;
    return 0;
}

/* No file of the run, nor any temporary, in dir. */
static int no_outputs(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.' || strstr(e->d_name, ".tmp") != NULL;
    closedir(d);
    return n == 0;
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
    int st =
        et_capi_sim_create(path, et_test_source_path(""), NULL, NULL, NULL, 0, &h, err, sizeof err);
    CU_ASSERT_EQUAL(st, ET_ERR_INPUT);
    CU_ASSERT_PTR_NULL(h);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "tasks.per_ue"));
}

/* Overrides go through the key table: its type and range, as the CLI's options. */
static void overrides_take_their_key_type_and_range(void)
{
    static const struct {
        const char *key, *value, *want;
    } bad[] = {{"tasks.per_ue", "200000",
                "argument: key 'tasks.per_ue': expected an integer in "
                "[1, 100000], got '200000'"},
               {"seed", "-5", "key 'seed': expected a non-negative integer"},
               {"ues", "2.7", "key 'ues': expected an integer in [0, 1000000], got '2.7'"},
               {"seed", "18446744073709551616", "key 'seed'"},
               {"seed", "1152921504606846976", /* 2^60: above the table's 2^53-1 */
                "argument: key 'seed': expected a non-negative integer in [0, 9007199254740991], "
                "got '1152921504606846976'"},
               {"seed", " 5", "got ' 5'"},
               {"seed", "0x10", "got '0x10'"},
               {"nosuch", "1", "unknown key 'nosuch'"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[768];
        et_capi_sim *h = NULL;
        const char *name = "argument";
        int st = et_capi_sim_create(NULL, et_test_source_path(""), &bad[i].key, &bad[i].value,
                                    &name, 1, &h, err, sizeof err);
        CU_ASSERT_EQUAL(st, ET_ERR_INPUT);
        CU_ASSERT_PTR_NULL(h);
        if (!strstr(err, bad[i].want)) printf("\n  %s=%s: %s\n", bad[i].key, bad[i].value, err);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i].want));
    }
}

/* NULL and stray handles are error statuses (or NULL, -1), never a crash. */
static void null_and_stray_handles_are_errors(void)
{
    char err[768], *stats = NULL;
    et_capi_sim *stray = (et_capi_sim *)(void *)err;
    CU_ASSERT_EQUAL(et_capi_sim_create(NULL, et_test_source_path(""), NULL, NULL, NULL, 0, NULL,
                                       err, sizeof err),
                    ET_ERR_INPUT);
    CU_ASSERT_EQUAL(et_capi_sim_run(NULL, "greedy", NULL, 0, NULL, NULL, &stats, err, sizeof err),
                    ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "et_capi_sim_run: NULL is not a simulator handle"));
    CU_ASSERT_EQUAL(et_capi_sim_run(stray, "greedy", NULL, 0, NULL, NULL, &stats, err, sizeof err),
                    ET_ERR_INPUT);
    CU_ASSERT_EQUAL(et_capi_sim_set_seed(NULL, "3", err, sizeof err), ET_ERR_INPUT);
    CU_ASSERT_EQUAL(et_capi_sim_set_policy(NULL, NULL, NULL, NULL, NULL, NULL, err, sizeof err),
                    ET_ERR_INPUT);
    int id = 0;
    CU_ASSERT_EQUAL(et_capi_companion_add(NULL, "greedy", &id, err, sizeof err), ET_ERR_INPUT);
    double act[2];
    CU_ASSERT_EQUAL(et_capi_companion_decide(NULL, 0, act, err, sizeof err), ET_ERR_INPUT);
    CU_ASSERT_EQUAL(et_capi_sim_ue_count(NULL), -1);
    CU_ASSERT_EQUAL(et_capi_state_dim(stray), -1);
    CU_ASSERT_PTR_NULL(et_capi_sim_ue_class(NULL, 0));
    CU_ASSERT_PTR_NULL(et_capi_sim_scenario_json(NULL));
    CU_ASSERT_PTR_NULL(et_capi_sim_task(NULL));
    et_capi_sim_destroy(NULL);
    et_capi_sim_destroy(stray); /* not ours: nothing happens */
    et_capi_sim *h = sim_handle();
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_EQUAL(et_capi_sim_run(h, "greedy", NULL, 0, NULL, NULL, NULL, err, sizeof err),
                    ET_ERR_INPUT);
    CU_ASSERT_EQUAL(et_capi_sim_run(h, "greedy", NULL, -1, NULL, NULL, &stats, err, sizeof err),
                    ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "episode: expected an integer in [0, 2147483647], got -1"));
    CU_ASSERT_EQUAL(et_capi_sim_set_seed(h, "-1", err, sizeof err), ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "key 'seed'"));
    CU_ASSERT_EQUAL(et_capi_sim_set_seed(h, "1", err, sizeof err), 0);
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
    CU_ASSERT_EQUAL(et_capi_sim_set_policy(h, decide, feedback, begin, end, &c, NULL, 0), 0);
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
    CU_ASSERT_EQUAL(et_capi_sim_set_policy(h, decide, feedback, begin, end, &c, NULL, 0), 0);
    const char *dir = et_test_tmpdir("capi-fail");
    char err[768], *stats = NULL;
    int st = et_capi_sim_run(h, NULL, "failing", 1, dir, NULL, &stats, err, sizeof err);
    CU_ASSERT_EQUAL(st, ET_ERR_INPUT);
    CU_ASSERT_PTR_NULL(stats);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "decide() failed at UE"));
    CU_ASSERT_EQUAL(c.decides, 5); /* no decision after the failing one */
    CU_ASSERT_EQUAL(c.ends, 1);
    CU_ASSERT(no_outputs(dir));
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
    CU_ASSERT_EQUAL(et_capi_sim_set_policy(h, decide, feedback, begin, end, &c, NULL, 0), 0);
    char *stats = NULL;
    CU_ASSERT_EQUAL(et_capi_sim_run(h, NULL, "via-greedy", 3, NULL, NULL, &stats, err, sizeof err),
                    0);
    CU_ASSERT_EQUAL(c.decides, UES * TASKS);
    et_capi_free(stats);
    CU_ASSERT_EQUAL(et_capi_sim_run(h, "nosuch", NULL, 4, NULL, NULL, &stats, err, sizeof err),
                    ET_ERR_INPUT);
}

/* Runs one episode with the policy c, which must end at its first decision with ET_ERR_INPUT
 * whose message holds text, and no outputs. */
static void expect_refused(et_capi_sim *h, counting *c, const char *text)
{
    CU_ASSERT_EQUAL(et_capi_sim_set_policy(h, decide, feedback, begin, end, c, NULL, 0), 0);
    const char *dir = et_test_tmpdir("capi-badaction");
    char err[768], *stats = NULL;
    CU_ASSERT_EQUAL(et_capi_sim_run(h, NULL, "bad", 5, dir, NULL, &stats, err, sizeof err),
                    ET_ERR_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, text));
    CU_ASSERT_EQUAL(c->decides, 1);
    CU_ASSERT(no_outputs(dir));
}

/* A location that is neither LOCAL nor SERVER, and a keep outside [tuning.k_min, tuning.k_max]
 * (0.1, 0.5 here) or not finite, end the episode with an error naming them (no outputs): one
 * rule for every component of a foreign action, nothing clipped. */
static void a_bad_action_is_an_error_not_a_choice(void)
{
    et_capi_sim *h = sim_handle();
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    const double bad[] = {7, NAN, -1};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        counting c = {.h = h, .companion = -1, .location = bad[i]};
        expect_refused(h, &c, "expected 0, LOCAL, or 1, SERVER");
    }
    const double keeps[] = {5.0, 0.05, NAN};
    for (size_t i = 0; i < sizeof keeps / sizeof keeps[0]; i++) {
        counting c = {.h = h, .companion = -1, .keep = keeps[i]};
        expect_refused(h, &c, "expected a number in [0.1, 0.5]");
    }
}

/* A companion added in the middle of an episode answers at once. */
static void a_companion_can_join_mid_episode(void)
{
    et_capi_sim *h = sim_handle();
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    counting c = {.h = h, .companion = -1, .add_late = 1, .late_status = -1};
    CU_ASSERT_EQUAL(et_capi_sim_set_policy(h, decide, feedback, begin, end, &c, NULL, 0), 0);
    char err[768], *stats = NULL;
    CU_ASSERT_EQUAL(et_capi_sim_run(h, NULL, "late", 6, NULL, NULL, &stats, err, sizeof err), 0);
    CU_ASSERT_EQUAL(c.late_status, 0);
    CU_ASSERT_EQUAL(c.decides, UES * TASKS);
    et_capi_free(stats);
}

/* A feedback() that fails, even the episode's last, leaves no outputs. */
static void a_failing_last_feedback_writes_nothing(void)
{
    et_capi_sim *h = sim_handle();
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    counting c = {.h = h, .companion = -1, .fail_feedback_at = UES};
    CU_ASSERT_EQUAL(et_capi_sim_set_policy(h, decide, feedback, begin, end, &c, NULL, 0), 0);
    const char *dir = et_test_tmpdir("capi-lastfb");
    char err[768], *stats = NULL;
    CU_ASSERT_EQUAL(et_capi_sim_run(h, NULL, "late", 6, dir, NULL, &stats, err, sizeof err),
                    ET_ERR_INTERNAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "feedback() or episode_end() failed"));
    CU_ASSERT_EQUAL(c.done, UES); /* the failing feedback was the last one */
    CU_ASSERT(no_outputs(dir));
}

/* From inside decide: a run is refused with an error, a destroy waits for the run's end; a
 * second destroy does nothing. The simulator is gone afterwards (this case is the last). */
static void runs_and_destroys_from_a_callback_are_safe(void)
{
    et_capi_sim *h = sim_handle();
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    counting c = {.h = h, .companion = -1, .nested_status = -1, .destroy_in_decide = 1};
    CU_ASSERT_EQUAL(et_capi_sim_set_policy(h, decide, feedback, begin, end, &c, NULL, 0), 0);
    char err[768], *stats = NULL;
    CU_ASSERT_EQUAL(et_capi_sim_run(h, NULL, "nested", 7, NULL, NULL, &stats, err, sizeof err), 0);
    CU_ASSERT_EQUAL(c.nested_status, ET_ERR_INPUT);
    CU_ASSERT_EQUAL(c.decides, UES * TASKS); /* the episode ran to its end */
    et_capi_free(stats);
    CU_ASSERT_EQUAL(et_capi_sim_ue_count(h), -1); /* destroyed when the run returned */
    et_capi_sim_destroy(h);                       /* twice: nothing */
    CU_ASSERT_EQUAL(et_capi_sim_run(h, "greedy", NULL, 0, NULL, NULL, &stats, err, sizeof err),
                    ET_ERR_INPUT);
}

int main(void)
{
    static const et_test_case cases[] = {
        {"a_bad_scenario_names_its_key", a_bad_scenario_names_its_key},
        {"overrides_take_their_key_type_and_range", overrides_take_their_key_type_and_range},
        {"null_and_stray_handles_are_errors", null_and_stray_handles_are_errors},
        {"a_foreign_policy_decides_every_task", a_foreign_policy_decides_every_task},
        {"an_error_from_decide_ends_the_episode_without_outputs",
         an_error_from_decide_ends_the_episode_without_outputs},
        {"companions_answer_only_during_a_decision", companions_answer_only_during_a_decision},
        {"a_companion_can_join_mid_episode", a_companion_can_join_mid_episode},
        {"a_bad_action_is_an_error_not_a_choice", a_bad_action_is_an_error_not_a_choice},
        {"a_failing_last_feedback_writes_nothing", a_failing_last_feedback_writes_nothing},
        {"runs_and_destroys_from_a_callback_are_safe", runs_and_destroys_from_a_callback_are_safe},
        {NULL, NULL},
    };
    return et_test_main("capi", cases);
}
