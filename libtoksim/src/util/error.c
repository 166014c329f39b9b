/*
 * PURPOSE: library status texts and the error-detail record. The detail is written once,
 * where a failure happens, into the caller's toksim_error (no global or thread-local
 * state).
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"

const char *toksim_strerror(toksim_status code)
{
    switch (code) {
    case TOKSIM_OK:
        return "no error";
    case TOKSIM_ERROR:
        return "internal error";
    case TOKSIM_ENOMEM:
        return "out of memory";
    case TOKSIM_EINVAL:
        return "invalid argument";
    case TOKSIM_EPARSE:
        return "malformed input";
    case TOKSIM_ENOTFOUND:
        return "unknown name";
    case TOKSIM_ELIMIT:
        return "input exceeds a limit";
    case TOKSIM_EUNSUPPORTED:
        return "not supported by the model";
    case TOKSIM_EIO:
        return "input/output error";
    case TOKSIM__LAST:
        break;
    }
    return "unknown status";
}

void toksim_error_clear(toksim_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

const char *toksim_version(void)
{
#ifdef TOKSIM_VERSION_STRING
    return TOKSIM_VERSION_STRING;
#else
    return "0.0.0";
#endif
}

TS_PRINTF(6, 0)
static toksim_status vset(toksim_error *err,
                          toksim_status code,
                          size_t offset,
                          int line,
                          int column,
                          const char *fmt,
                          va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    err->offset = offset;
    err->line = line;
    err->column = column;
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    if (n >= (int)sizeof err->message) /* cut: not inside a UTF-8 character of a name */
        err->message[ts_utf8_cut(err->message, sizeof err->message - 1)] = '\0';
    return code;
}

toksim_status
ts_error_set(toksim_error *err, toksim_status code, size_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    toksim_status rc = vset(err, code, offset, 0, 0, fmt, ap);
    va_end(ap);
    return rc;
}

toksim_status ts_error_set_pos(toksim_error *err,
                               toksim_status code,
                               size_t offset,
                               int line,
                               int column,
                               const char *fmt,
                               ...)
{
    va_list ap;
    va_start(ap, fmt);
    toksim_status rc = vset(err, code, offset, line, column, fmt, ap);
    va_end(ap);
    return rc;
}
