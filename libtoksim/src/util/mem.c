/*
 * PURPOSE: checked allocation, a capped growable string buffer and small ASCII text
 * helpers (case folding, hex digits, white space, bounded appends). Every growth is
 * checked for overflow before allocating (hostile sizes must fail, not wrap).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* A string built by the library never exceeds 64 MiB (renderers of huge traces stop
 * there). */
#define TS_BUF_CAP ((size_t)64 << 20)

void *ts_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

bool ts_grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return false;
        ncap *= 2;
    }
    if (elem && ncap > SIZE_MAX / elem)
        return false;
    void *p = realloc(*ptr, ncap * elem);
    if (!p)
        return false;
    *ptr = p;
    *cap = ncap;
    return true;
}

char *ts_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *ts_strdup(const char *s)
{
    return s ? ts_strndup(s, strlen(s)) : NULL;
}

/* ASCII case folding: what tolower() does in the C locale the library runs in, without a
 * call per character (name lookups compare many names: issue 11). */
static int fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int ts_strcasecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = fold((unsigned char)*a), cb = fold((unsigned char)*b);
        if (ca != cb || !ca)
            return ca - cb;
    }
}

int ts_strncasecmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        int ca = fold((unsigned char)*a), cb = fold((unsigned char)*b);
        if (ca != cb || !ca)
            return ca - cb;
    }
    return 0;
}

int ts_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool ts_is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

size_t ts_put(char *buf, size_t n, size_t at, const char *s)
{
    size_t l = strlen(s);
    if (at < n) {
        size_t c = (n - at - 1) < l ? (n - at - 1) : l;
        memcpy(buf + at, s, c);
        buf[at + c] = '\0';
    }
    return at + l;
}

void ts_buf_appendn(ts_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (n > TS_BUF_CAP - b->len ||
        !ts_grow((void **)&b->data, &b->cap, b->len + n + 1, 1)) {
        b->failed = true;
        return;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ts_buf_append(ts_buf *b, const char *s)
{
    ts_buf_appendn(b, s, strlen(s));
}

void ts_buf_printf(ts_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        ts_buf_appendn(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    ts_buf_appendn(b, big, (size_t)n);
    free(big);
}

char *ts_buf_take(ts_buf *b)
{
    if (b->failed) {
        ts_buf_dispose(b);
        return NULL;
    }
    char *s = b->data ? b->data : ts_strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void ts_buf_dispose(ts_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}
