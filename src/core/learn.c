/* learn.c: defaults and range checks of the learner's hyperparameters (learn.h). */
#include "learn.h"

#include "choices.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LEARN_VALUE_INT(def, choices) atoi(def)
#define LEARN_VALUE_FLOAT(def, choices) strtof(def, NULL)
#define LEARN_VALUE_BOOL(def, choices) (strcmp(def, "true") == 0)
#define LEARN_VALUE_ENUM(def, choices) et_choice_index(choices, def)

void et_learn_default(et_learn_params *p)
{
    memset(p, 0, sizeof *p);
#define SET_DEFAULT(name, type, c_type, lo, hi, def, choices, help)                                \
    p->name = (c_type)LEARN_VALUE_##type(def, choices);
    ET_LEARN_KEYS(SET_DEFAULT)
#undef SET_DEFAULT
}

et_status et_learn_validate(const et_learn_params *p, const char *where, et_error *err)
{
#define CHECK_RANGE(name, type, c_type, lo, hi, def, choices, help)                                \
    {                                                                                              \
        double v = (double)p->name;                                                                \
        if (!isfinite(v) || v < (double)(lo) || v > (double)(hi))                                  \
            return et_error_set(err, ET_ERR_INPUT, "%s: '%s': expected %s in [%g, %g], got %g",    \
                                where, #name, #type[0] == 'F' ? "a number" : "an integer",         \
                                (double)(lo), (double)(hi), v);                                    \
    }
    ET_LEARN_KEYS(CHECK_RANGE)
#undef CHECK_RANGE
    return ET_OK;
}

const char *et_learn_difference(const et_learn_params *a, const et_learn_params *b, double *va,
                                double *vb)
{
#define FIRST_DIFFERENCE(name, type, c_type, lo, hi, def, choices, help)                           \
    if (a->name != b->name) {                                                                      \
        *va = (double)a->name;                                                                     \
        *vb = (double)b->name;                                                                     \
        return #name;                                                                              \
    }
    ET_LEARN_KEYS(FIRST_DIFFERENCE)
#undef FIRST_DIFFERENCE
    return NULL;
}
