/*
 * PURPOSE: direct JSON output for the hot path of `toksim access --batch` (one answer a
 * case): a line is assembled in a growable buffer with the same bytes
 * cJSON_PrintUnformatted() gives, without building a cJSON tree per line, and written
 * with one fwrite. Presentation only.
 */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

void cli_jbuf_raw(cli_jbuf *b, const char *s, size_t n)
{
    if (b->failed || !n)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        char *nb = realloc(b->buf, cap);
        if (!nb) {
            b->failed = true;
            return;
        }
        b->buf = nb;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
}

void cli_jbuf_cstr(cli_jbuf *b, const char *s)
{
    cli_jbuf_raw(b, s, strlen(s));
}

void cli_jbuf_str(cli_jbuf *b, const char *s)
{
    /* cJSON's escaping: the two-character escapes, \u00XX (lower-case hex) for the other
     * control characters, every other byte as is. */
    cli_jbuf_raw(b, "\"", 1);
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        const char *esc = NULL;
        char u[8];
        switch (*p) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        default:
            if (*p >= 32)
                continue;
            snprintf(u, sizeof u, "\\u%04x", *p);
            esc = u;
        }
        cli_jbuf_raw(b, run, (size_t)((const char *)p - run));
        cli_jbuf_cstr(b, esc);
        run = (const char *)p + 1;
    }
    cli_jbuf_cstr(b, run);
    cli_jbuf_raw(b, "\"", 1);
}

void cli_jbuf_value(cli_jbuf *b, const cJSON *v)
{
    if (!v || cJSON_IsNull(v)) {
        cli_jbuf_raw(b, "null", 4);
    } else if (cJSON_IsString(v)) {
        cli_jbuf_str(b, v->valuestring);
    } else if (cJSON_IsNumber(v) && (double)v->valueint == v->valuedouble) {
        char n[16]; /* cJSON prints such a number with %d too */
        cli_jbuf_raw(b, n, (size_t)snprintf(n, sizeof n, "%d", v->valueint));
    } else { /* anything else as cJSON prints it (fractions, arrays, objects) */
        char *s = cJSON_PrintUnformatted(v);
        cli_jbuf_cstr(b, s ? s : "null");
        free(s);
    }
}
