/*
 * PURPOSE: the open-addressing hash index of hix.h (linear probing, power-of-two
 * capacity, at most half full).
 */
#include <stdlib.h>
#include <string.h>
#include "util/hix.h"

static bool place(uint64_t *hs, size_t *vs, size_t cap, uint64_t h, size_t v)
{
    size_t i = (size_t)(h ^ (h >> 29)) & (cap - 1);
    while (vs[i])
        i = (i + 1) & (cap - 1);
    hs[i] = h;
    vs[i] = v;
    return true;
}

bool ts_hix_add(ts_hix *x, uint64_t h, size_t pos)
{
    if ((x->n + 1) * 2 > x->cap) {
        size_t ncap = x->cap ? x->cap * 2 : 64;
        if (ncap < x->cap || ncap > SIZE_MAX / sizeof(uint64_t))
            return false;
        uint64_t *nh = calloc(ncap, sizeof *nh);
        size_t *nv = calloc(ncap, sizeof *nv);
        if (!nh || !nv) {
            free(nh);
            free(nv);
            return false;
        }
        for (size_t i = 0; i < x->cap; i++)
            if (x->v[i])
                place(nh, nv, ncap, x->h[i], x->v[i]);
        free(x->h);
        free(x->v);
        x->h = nh;
        x->v = nv;
        x->cap = ncap;
    }
    place(x->h, x->v, x->cap, h, pos + 1);
    x->n++;
    return true;
}

size_t ts_hix_next(const ts_hix *x, uint64_t h, size_t *it)
{
    if (!x->cap)
        return 0;
    size_t mask = x->cap - 1;
    size_t start = (size_t)(h ^ (h >> 29)) & mask;
    for (size_t k = *it; k < x->cap; k++) {
        size_t i = (start + k) & mask;
        if (!x->v[i])
            return 0;
        if (x->h[i] == h) {
            *it = k + 1;
            return x->v[i];
        }
    }
    return 0;
}

void ts_hix_clear(ts_hix *x)
{
    if (x->cap) {
        memset(x->v, 0, x->cap * sizeof *x->v);
        x->n = 0;
    }
}

bool ts_hix_copy(ts_hix *out, const ts_hix *src)
{
    memset(out, 0, sizeof *out);
    if (!src->cap)
        return true;
    out->h = malloc(src->cap * sizeof *out->h);
    out->v = malloc(src->cap * sizeof *out->v);
    if (!out->h || !out->v) {
        ts_hix_free(out);
        return false;
    }
    memcpy(out->h, src->h, src->cap * sizeof *out->h);
    memcpy(out->v, src->v, src->cap * sizeof *out->v);
    out->cap = src->cap;
    out->n = src->n;
    return true;
}

void ts_hix_free(ts_hix *x)
{
    free(x->h);
    free(x->v);
    memset(x, 0, sizeof *x);
}

uint64_t ts_hix_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) { /* four bytes a step: the same value, fewer branches */
        h = (h ^ b[i]) * 1099511628211ull;
        h = (h ^ b[i + 1]) * 1099511628211ull;
        h = (h ^ b[i + 2]) * 1099511628211ull;
        h = (h ^ b[i + 3]) * 1099511628211ull;
    }
    for (; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}
