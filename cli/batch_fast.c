/*
 * PURPOSE: the fast reader of batch lines (batch_fast.h). It accepts a strict subset of
 * what RFC 8259 and toksim's strict front end accept, so a line it reads means the same
 * as through the strict path; on anything outside the subset it answers false.
 */
#include "batch_fast.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#endif

typedef struct cur {
    char *p, *end;
} cur;

static void ws(cur *c)
{
    while (c->p < c->end &&
           (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n'))
        c->p++;
}

/* Does the 8-byte word hold a byte outside the subset: below 0x20, 0x7F and above, or a
 * backslash? (Word-at-a-time tests; bytes, so right for either byte order.) */
#if !(defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__)))
static bool word_bad(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t below = (x - ones * 0x20) & ~x; /* high bit: byte < 0x20 */
    uint64_t del = ((x ^ (ones * 0x7F)) - ones) & ~(x ^ (ones * 0x7F)); /* == 0x7F */
    uint64_t bs = ((x ^ (ones * 0x5C)) - ones) & ~(x ^ (ones * 0x5C));  /* == '\\' */
    return ((below | del | bs) & high) || (x & high);
}
#endif

/* The closing quote of a string starting at p, or NULL when a byte before it is outside
 * the subset or there is none before end. */
static char *str_end(char *p, char *end)
{
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
    /* 16 bytes a step: a signed compare below 0x20 also catches 0x80 and above. */
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
                  space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F);
    for (; end - p >= 16; p += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        unsigned mq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, quote));
        unsigned mb = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(x, space), _mm_cmpeq_epi8(x, del)),
                         _mm_cmpeq_epi8(x, bslash)));
        if (mq) {
            unsigned at = (unsigned)__builtin_ctz(mq);
            return (mb & ((1u << at) - 1)) ? NULL : p + at;
        }
        if (mb)
            return NULL;
    }
#else
    char *q = memchr(p, '"', (size_t)(end - p));
    if (!q)
        return NULL;
    for (; q - p >= 8; p += 8) {
        uint64_t x;
        memcpy(&x, p, 8);
        if (word_bad(x))
            return NULL;
    }
#endif
    for (; p < end; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '"')
            return p;
        if (ch < 0x20 || ch > 0x7E || ch == '\\')
            return NULL;
    }
    return NULL;
}

/* A string of printable ASCII without escapes, cut in place (the closing quote becomes
 * NUL); NULL when the string is outside the subset. */
static const char *str(cur *c)
{
    if (c->p >= c->end || *c->p != '"')
        return NULL;
    char *s = c->p + 1, *q = str_end(s, c->end);
    if (!q)
        return NULL;
    *q = '\0';
    c->p = q + 1;
    return s;
}

static bool lit(cur *c, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
        return false;
    c->p += n;
    return true;
}

/* A value of the subset into v; items go to fl->items from *ni on. */
static bool value(fast_line *fl, cur *c, fast_val *v, size_t *ni)
{
    if (c->p >= c->end)
        return false;
    char ch = *c->p;
    if (ch == '"') {
        v->kind = FAST_STR;
        return (v->str = str(c)) != NULL;
    }
    if (ch >= '0' && ch <= '9') { /* 0..999999999: no fraction, exponent or sign */
        char *s = c->p;
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
            c->p++;
        size_t n = (size_t)(c->p - s);
        if (n > 9 || (n > 1 && s[0] == '0') ||
            (c->p < c->end && (*c->p == '.' || *c->p == 'e' || *c->p == 'E')))
            return false;
        v->kind = FAST_INT;
        memcpy(v->num, s, n);
        v->num[n] = '\0';
        v->str = v->num;
        return true;
    }
    if (ch == 't' || ch == 'f') {
        v->kind = FAST_BOOL;
        v->b = ch == 't';
        return lit(c, v->b ? "true" : "false");
    }
    if (ch == '[') {
        c->p++;
        v->kind = FAST_ARR;
        v->items = fl->items + *ni;
        v->n = 0;
        ws(c);
        if (c->p < c->end && *c->p == ']') {
            c->p++;
            return true;
        }
        for (;;) {
            ws(c);
            const char *s = str(c);
            if (!s)
                return false;
            fl->items[(*ni)++] = s;
            v->n++;
            ws(c);
            if (c->p < c->end && *c->p == ',') {
                c->p++;
                continue;
            }
            if (c->p < c->end && *c->p == ']') {
                c->p++;
                return true;
            }
            return false;
        }
    }
    return false; /* null, negative numbers, objects: the strict path */
}

bool fast_parse(
    fast_line *fl, const char *line, size_t len, const char *const *keys, size_t nkeys)
{
    if (nkeys > FAST_MAX_KEYS)
        return false;
    if (len + 1 > fl->cap) {
        char *b = realloc(fl->buf, len + 1);
        if (!b)
            return false;
        fl->buf = b;
        fl->cap = len + 1;
    }
    size_t icap = len / 2 + 1; /* an array item takes at least 2 bytes ("") */
    if (icap > fl->icap) {
        const char **it = realloc(fl->items, icap * sizeof *it);
        if (!it)
            return false;
        fl->items = it;
        fl->icap = icap;
    }
    memcpy(fl->buf, line, len);
    fl->buf[len] = '\0';
    memset(fl->vals, 0, nkeys * sizeof fl->vals[0]);
    cur c = {fl->buf, fl->buf + len};
    size_t ni = 0;
    ws(&c);
    if (c.p >= c.end || *c.p++ != '{')
        return false;
    ws(&c);
    if (c.p < c.end && *c.p == '}') {
        c.p++;
    } else {
        for (;;) {
            ws(&c);
            const char *k = str(&c);
            if (!k)
                return false;
            size_t i = 0; /* first byte, then the rest: most keys differ at once */
            while (i < nkeys && (keys[i][0] != k[0] || strcmp(keys[i], k) != 0))
                i++;
            if (i == nkeys || fl->vals[i].kind != FAST_ABSENT)
                return false; /* unknown or repeated key: the strict path words it */
            ws(&c);
            if (c.p >= c.end || *c.p++ != ':')
                return false;
            ws(&c);
            fast_val *v = &fl->vals[i];
            if (!value(fl, &c, v, &ni))
                return false;
            ws(&c);
            if (c.p >= c.end)
                return false;
            char sep = *c.p++;
            if (sep == ',')
                continue;
            if (sep == '}')
                break;
            return false;
        }
    }
    ws(&c);
    return c.p == c.end; /* nothing after the object */
}

void fast_line_dispose(fast_line *fl)
{
    free(fl->buf);
    free((void *)fl->items);
    memset(fl, 0, sizeof *fl);
}
