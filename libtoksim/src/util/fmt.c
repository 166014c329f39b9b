/*
 * PURPOSE: a snprintf for the formats the library builds on every step (summaries, JSON
 * paths, trace and expectation texts): the same bytes and result as vsnprintf, written
 * without stdio for the common conversions (issue 11: stdio's formatter was ~15 % of
 * `toksim check scenarios/`). Any other conversion goes to vsnprintf.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

/* One conversion of a format (after its '%'): %% or [0width](u|x|X) or [.prec|.*]s or
 * [z|l](d|i|u|x|X). False for anything else (left to vsnprintf). */
typedef struct fmt_spec {
    char conv, size;
    bool star;
    int width, prec; /* width: with the 0 flag only; prec -1: none */
} fmt_spec;

static bool fmt_parse(const char **fp, fmt_spec *sp)
{
    const char *f = *fp;
    sp->size = 0;
    sp->star = false;
    sp->width = 0;
    sp->prec = -1;
    bool zero = *f == '0';
    if (zero)
        while (*++f >= '0' && *f <= '9' && sp->width < 100)
            sp->width = sp->width * 10 + (*f - '0');
    if (*f == '.') {
        if (*++f == '*') {
            sp->star = true;
            f++;
        } else
            for (sp->prec = 0; *f >= '0' && *f <= '9' && sp->prec < 10000; f++)
                sp->prec = sp->prec * 10 + (*f - '0');
    }
    bool prec = sp->prec >= 0 || sp->star;
    if (*f == 'z' || *f == 'l')
        sp->size = *f++;
    sp->conv = *f;
    *fp = f + 1;
    switch (sp->conv) {
    case '%':
        return f == *fp - 1 && f[-1] == '%'; /* "%%" alone */
    case 's':
        return !zero && !sp->size;
    case 'd':
    case 'i':
        return !zero && !prec;
    case 'u':
    case 'x':
    case 'X':
        return (!zero || sp->width > 0) && !prec;
    default:
        return false;
    }
}

int ts_vfmt(char *buf, size_t n, const char *fmt, va_list ap)
{
    va_list slow; /* untouched by the fast path: vsnprintf starts afresh from it */
    va_copy(slow, ap);
    size_t len = 0;
#define PUT(p, k)                                                                        \
    do {                                                                                 \
        size_t k_ = (k);                                                                 \
        if (len < n)                                                                     \
            memcpy(buf + len, (p), len + k_ < n ? k_ : n - len);                         \
        len += k_;                                                                       \
    } while (0)
    for (const char *f = fmt; *f;) {
        const char *pct = strchr(f, '%');
        if (!pct) {
            PUT(f, strlen(f));
            break;
        }
        PUT(f, (size_t)(pct - f));
        f = pct + 1;
        fmt_spec sp;
        if (!fmt_parse(&f, &sp))
            goto fallback;
        if (sp.conv == '%') {
            PUT("%", 1);
            continue;
        }
        if (sp.conv == 's') {
            int prec = sp.star ? va_arg(ap, int) : sp.prec;
            const char *s = va_arg(ap, const char *);
            if (!s)
                goto fallback; /* glibc's "(null)" is left to glibc */
            PUT(s, prec < 0 ? strlen(s) : strnlen(s, (size_t)prec));
            continue;
        }
        char num[128], *e = num + sizeof num, *d = e;
        unsigned long long u;
        bool neg = false;
        if (sp.conv == 'd' || sp.conv == 'i') {
            long long v = sp.size == 'z'   ? (long long)va_arg(ap, size_t)
                          : sp.size == 'l' ? va_arg(ap, long)
                                           : va_arg(ap, int);
            neg = v < 0;
            u = neg ? 0ull - (unsigned long long)v : (unsigned long long)v;
        } else
            u = sp.size == 'z'   ? va_arg(ap, size_t)
                : sp.size == 'l' ? va_arg(ap, unsigned long)
                                 : va_arg(ap, unsigned);
        if (sp.conv == 'x' || sp.conv == 'X') {
            const char *digits = sp.conv == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
            do
                *--d = digits[u & 15];
            while (u >>= 4);
        } else
            do
                *--d = (char)('0' + u % 10);
            while (u /= 10);
        while (e - d < sp.width)
            *--d = '0';
        if (neg)
            *--d = '-';
        PUT(d, (size_t)(e - d));
    }
#undef PUT
    if (n)
        buf[len < n ? len : n - 1] = '\0';
    va_end(slow);
    return len > INT_MAX ? -1 : (int)len;
fallback:;
    int r = vsnprintf(buf, n, fmt, slow);
    va_end(slow);
    return r;
}

int ts_fmt(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = ts_vfmt(buf, n, fmt, ap);
    va_end(ap);
    return r;
}
