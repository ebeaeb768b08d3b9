#include "status.h"

#include "interrupt.h"

#include <stdarg.h>
#include <stdio.h>

void et_error_clear(et_error *err)
{
    if (!err) return;
    err->code = ET_OK;
    err->msg[0] = '\0';
}

et_status et_error_set(et_error *err, et_status code, const char *fmt, ...)
{
    if (!err) return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

int et_status_exit_code(et_status status)
{
    if (status == ET_OK) return 0;
    if (status == ET_ERR_INPUT) return 2;
    if (status == ET_ERR_LIMIT) return 3;
    if (status == ET_ERR_INTERRUPTED) return 128 + (et_interrupted() ? et_interrupted() : 2);
    return 1;
}
