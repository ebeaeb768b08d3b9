/* test_scenario.c: the scenario key table and the JSON reader. */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "et_test.h"
#include "scenario.h"

static const char *write_json(const char *name, const char *text)
{
    static char path[4200];
    const char *dir = et_test_tmpdir(name);
    snprintf(path, sizeof path, "%s/s.json", dir);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static et_status load(const char *name, const char *text, et_scenario *sc, et_error *err)
{
    et_error_clear(err);
    return et_scenario_load(write_json(name, text), "/data", sc, err);
}

static void defaults_match_the_documented_values(void)
{
    et_scenario sc;
    et_scenario_defaults(&sc, "/data");
    CU_ASSERT_EQUAL(sc.sim.tasks_per_ue, 50);
    CU_ASSERT_EQUAL(sc.sim.seed, 1);
    CU_ASSERT_DOUBLE_EQUAL(sc.sim.channel.pathloss_a_db, 128.1, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sc.sim.channel.shadowing_std_db, 8, 1e-12);
    CU_ASSERT_EQUAL(sc.sim.channel.fading, ET_FADING_RAYLEIGH);
    CU_ASSERT_EQUAL(sc.sim.mobility.model, ET_MOBILITY_RANDOM_WAYPOINT);
    CU_ASSERT_EQUAL(sc.sim.channel_enabled, 1);
    CU_ASSERT_STRING_EQUAL(sc.sim.platform, "/data/platforms/edge-6ue.xml");
    CU_ASSERT_STRING_EQUAL(sc.out_dir, "out");
    CU_ASSERT_STRING_EQUAL(sc.policy, "greedy");
    CU_ASSERT(fabsf(sc.learn.lr_actor - 5e-4f) < 1e-9f);
    CU_ASSERT_EQUAL(sc.learn.hidden, 64);
    et_error err;
    CU_ASSERT_EQUAL(et_scenario_validate(&sc, &err), ET_OK);
}

static void file_values_override_defaults_and_paths_resolve_to_the_file(void)
{
    et_scenario sc;
    et_error err;
    CU_ASSERT_EQUAL_FATAL(
        load("scen_ok",
             "{\"platform\": \"p.xml\", \"seed\": 9, \"tasks\": {\"per_ue\": 3},"
             " \"channel\": {\"fading\": \"rician\"}, \"hmppo\": {\"clip\": 0.1}}",
             &sc, &err),
        ET_OK);
    CU_ASSERT_EQUAL(sc.sim.seed, 9);
    CU_ASSERT_EQUAL(sc.sim.tasks_per_ue, 3);
    CU_ASSERT_EQUAL(sc.sim.channel.fading, ET_FADING_RICIAN);
    CU_ASSERT(fabsf(sc.learn.clip - 0.1f) < 1e-7f);
    CU_ASSERT(strstr(sc.sim.platform, "test-out/scen_ok/p.xml") != NULL);
    CU_ASSERT_STRING_EQUAL(sc.sim.model, "/data/models/opt-2.7b.json");
}

static void expect_error(const char *name, const char *text, const char *needle)
{
    et_scenario sc;
    et_error err;
    CU_ASSERT_EQUAL(load(name, text, &sc, &err), ET_ERR_INPUT);
    CU_ASSERT(strstr(err.msg, needle) != NULL);
    CU_ASSERT(strstr(err.msg, "s.json") != NULL);
    if (!strstr(err.msg, needle)) fprintf(stderr, "\n  got: %s\n", err.msg);
}

static void unknown_keys_and_sections_are_errors(void)
{
    expect_error("scen_unknown", "{\"sed\": 1}", "unknown key 'sed'");
    expect_error("scen_unknown2", "{\"tasks\": {\"perue\": 1}}", "unknown key 'tasks.perue'");
    expect_error("scen_section", "{\"radio\": {\"x\": 1}}", "unknown section 'radio'");
    expect_error("scen_case", "{\"Seed\": 1}", "unknown key 'Seed'");
}

static void wrong_types_and_ranges_are_errors_naming_the_key(void)
{
    expect_error("scen_range", "{\"tasks\": {\"per_ue\": 0}}",
                 "key 'tasks.per_ue': expected an integer in [1, 100000], got 0");
    expect_error("scen_int", "{\"tasks\": {\"per_ue\": 2.5}}", "key 'tasks.per_ue'");
    expect_error("scen_type", "{\"seed\": \"one\"}", "key 'seed'");
    expect_error("scen_enum", "{\"mobility\": {\"model\": \"teleport\"}}",
                 "expected one of static|random-waypoint|gauss-markov|trace");
    expect_error("scen_bool", "{\"channel\": {\"enabled\": 1}}", "expected true or false");
    expect_error("scen_float", "{\"hmppo\": {\"clip\": 5}}", "key 'hmppo.clip'");
}

static void malformed_json_duplicates_and_cross_key_rules_are_errors(void)
{
    expect_error("scen_malformed", "{\"seed\": 1,\n", "malformed JSON");
    expect_error("scen_array", "[1, 2]", "expected a JSON object");
    expect_error("scen_dup", "{\"seed\": 1, \"seed\": 2}", "appears twice");
    expect_error("scen_cross", "{\"tasks\": {\"tokens_min\": 10, \"tokens_max\": 5}}",
                 "key 'tasks.tokens_min'");
    expect_error("scen_trace", "{\"mobility\": {\"model\": \"trace\"}}", "key 'mobility.trace'");
}

/* RFC 8259 numbers, no NUL hidden in a string, cJSON's nesting limit named (issue 18). */
static void json_that_cjson_would_bend_is_refused_with_its_line(void)
{
    expect_error("scen_zero", "{\"seed\":\n 01}", ":2: '01' is not a JSON number");
    expect_error("scen_plus", "{\"seed\": +1}", "'+1' is not a JSON number");
    expect_error("scen_dot", "{\"tuning\": {\"k_min\": .2}}", "'.2' is not a JSON number");
    expect_error("scen_nul", "{\"seed\\u0000junk\": 3}", "\\u0000 in a string");
    char deep[2400];
    size_t n = 0;
    n += (size_t)snprintf(deep, sizeof deep, "{\"x\": ");
    for (int i = 0; i < 1001; i++)
        deep[n++] = '[';
    for (int i = 0; i < 1001; i++)
        deep[n++] = ']';
    snprintf(deep + n, sizeof deep - n, "}");
    expect_error("scen_deep", deep, "nesting deeper than 1000 levels");
}

/* One path for overrides: the key table's type and range, plain decimals only. */
static void overrides_take_the_key_table_type_and_range(void)
{
    et_scenario sc;
    et_scenario_defaults(&sc, et_test_source_path(""));
    et_error err;
    CU_ASSERT_EQUAL(et_scenario_set(&sc, "seed", "42", "option --seed", &err), ET_OK);
    CU_ASSERT_EQUAL(sc.sim.seed, 42);
    CU_ASSERT_EQUAL(et_scenario_set(&sc, "tuning.k_max", "0.25", "x", &err), ET_OK);
    CU_ASSERT_DOUBLE_EQUAL(sc.sim.k_max, 0.25, 0);
    CU_ASSERT_EQUAL(et_scenario_set(&sc, "channel.enabled", "false", "x", &err), ET_OK);
    CU_ASSERT_EQUAL(sc.sim.channel_enabled, 0);
    static const struct {
        const char *key, *text, *want;
    } bad[] = {{"seed", " 5",
                "option: key 'seed': expected a non-negative integer in [0, "
                "9007199254740991], got ' 5'"},
               {"seed", "+5", "got '+5'"},
               {"seed", "0x10", "got '0x10'"},
               {"seed", "1e3", "got '1e3'"},
               {"seed", "-1", "got '-1'"},
               {"tasks.per_ue", "200000", "expected an integer in [1, 100000], got '200000'"},
               {"ues", "2.7", "got '2.7'"},
               {"tuning.k_max", "nan", "got 'nan'"},
               {"tuning.k_max", "1,5", "got '1,5'"},
               {"channel.enabled", "1", "expected true or false, got '1'"},
               {"nosuch", "1", "option: unknown key 'nosuch'"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CU_ASSERT_EQUAL(et_scenario_set(&sc, bad[i].key, bad[i].text, "option", &err),
                        ET_ERR_INPUT);
        if (!strstr(err.msg, bad[i].want))
            printf("\n  %s=%s: %s\n", bad[i].key, bad[i].text, err.msg);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[i].want));
    }
    CU_ASSERT_EQUAL(sc.sim.seed, 42); /* a refused value changes nothing */
}

static void missing_file_is_an_input_error_naming_it(void)
{
    et_scenario sc;
    et_error err;
    CU_ASSERT_EQUAL(et_scenario_load("/nonexistent/x.json", "/data", &sc, &err), ET_ERR_INPUT);
    CU_ASSERT(strstr(err.msg, "/nonexistent/x.json") != NULL);
}

/* The learner's defaults as the scenario reader parses them (JSON text of the
 * hmppo.* keys) and as the library parses them (et_learn_default) are the same
 * numbers, field by field. */
static void learner_key_defaults_equal_the_library_defaults(void)
{
    et_scenario sc;
    et_scenario_defaults(&sc, "/data");
    et_learn_params d;
    et_learn_default(&d);
    const et_learn_params *k = &sc.learn;
#define SAME(name, type, c_type, lo, hi, def, choices, help) CU_ASSERT_EQUAL(k->name, d.name);
    ET_LEARN_KEYS(SAME)
#undef SAME
    CU_ASSERT_EQUAL(d.hidden, 64);
    CU_ASSERT_EQUAL(d.kernel, 1); /* portable */
    CU_ASSERT_EQUAL(d.value_norm, 1);
    et_error err = {0};
    CU_ASSERT_EQUAL(et_learn_validate(&d, "defaults", &err), ET_OK);
    d.epochs = 0;
    CU_ASSERT_EQUAL(et_learn_validate(&d, "cfg", &err), ET_ERR_INPUT);
    CU_ASSERT(strstr(err.msg, "'epochs'") != NULL);
}

static void resolved_scenario_serialises_every_key(void)
{
    et_scenario sc;
    et_scenario_defaults(&sc, "/data");
    char *json = et_scenario_to_json(&sc);
    CU_ASSERT_FATAL(json != NULL);
    CU_ASSERT(strstr(json, "\"tasks.per_ue\":\t50") != NULL);
    CU_ASSERT(strstr(json, "\"channel.fading\":\t\"rayleigh\"") != NULL);
    free(json);
}

/* Channel and mobility defaults are written once, as C (et_channel_params_default,
 * et_mobility_params_default, for programs that use the radio layer alone); the key table
 * takes them from there and `edgetune keys` prints the values they set. Every channel.* and
 * mobility.* key's printed default, set over a scenario whose channel and mobility
 * parameters were zeroed, gives back exactly the C defaults: the printed text reads back to
 * the value. */
static void radio_c_defaults_are_the_key_table_defaults(void)
{
    static et_scenario c_defaults, from_text; /* large: not on the stack */
    et_scenario_defaults(&c_defaults, ".");
    et_scenario_defaults(&from_text, ".");
    memset(&from_text.sim.channel, 0, sizeof from_text.sim.channel);
    memset(&from_text.sim.mobility, 0, sizeof from_text.sim.mobility);
    char *table = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&table, &size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    et_scenario_print_keys(f, 1);
    fclose(f);
    int n_set = 0;
    for (char *line = strtok(table, "\n"); line; line = strtok(NULL, "\n")) {
        /* | `channel.fading` | enum | `"rayleigh"` | ... */
        char key[128], def[128];
        if (sscanf(line, "| `%127[^`]` | %*[^|]| `%127[^`]`", key, def) != 2) continue;
        if (strncmp(key, "channel.", 8) != 0 && strncmp(key, "mobility.", 9) != 0) continue;
        if (!strcmp(key, "mobility.trace")) continue; /* a path, not a radio parameter */
        char *text = def;
        if (text[0] == '"') { /* strings and enums are printed quoted */
            text++;
            text[strlen(text) - 1] = '\0';
        }
        et_error err;
        et_status st = et_scenario_set(&from_text, key, text, "keys", &err);
        if (st != ET_OK) printf("  %s\n", err.msg);
        CU_ASSERT_EQUAL(st, ET_OK);
        n_set++;
    }
    free(table);
    CU_ASSERT(n_set > 40); /* every channel.* and mobility.* key, radio fields or not */
    char *a = et_scenario_to_json(&c_defaults), *b = et_scenario_to_json(&from_text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    if (strcmp(a, b) != 0) { /* the first key that differs */
        size_t i = 0;
        while (a[i] == b[i])
            i++;
        size_t from = i > 60 ? i - 60 : 0;
        printf("  C default:    ...%.100s\n  printed text: ...%.100s\n", a + from, b + from);
    }
    CU_ASSERT_STRING_EQUAL(a, b);
    free(a);
    free(b);
}

int main(void)
{
    static const et_test_case cases[] = {
        {"json_that_cjson_would_bend_is_refused_with_its_line",
         json_that_cjson_would_bend_is_refused_with_its_line},
        {"overrides_take_the_key_table_type_and_range",
         overrides_take_the_key_table_type_and_range},
        {"defaults_match_the_documented_values", defaults_match_the_documented_values},
        {"radio_c_defaults_are_the_key_table_defaults",
         radio_c_defaults_are_the_key_table_defaults},
        {"file_values_override_defaults_and_paths_resolve_to_the_file",
         file_values_override_defaults_and_paths_resolve_to_the_file},
        {"unknown_keys_and_sections_are_errors", unknown_keys_and_sections_are_errors},
        {"wrong_types_and_ranges_are_errors_naming_the_key",
         wrong_types_and_ranges_are_errors_naming_the_key},
        {"malformed_json_duplicates_and_cross_key_rules_are_errors",
         malformed_json_duplicates_and_cross_key_rules_are_errors},
        {"missing_file_is_an_input_error_naming_it", missing_file_is_an_input_error_naming_it},
        {"learner_key_defaults_equal_the_library_defaults",
         learner_key_defaults_equal_the_library_defaults},
        {"resolved_scenario_serialises_every_key", resolved_scenario_serialises_every_key},
        {NULL, NULL},
    };
    return et_test_main("scenario", cases);
}
