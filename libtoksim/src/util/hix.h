/*
 * PURPOSE: a small open-addressing hash index from 64-bit hashes to array positions, so
 * a table that grows one row at a time (a world's accounts and memberships) is searched
 * in constant time instead of by a scan: loading n rows stays linear. The index stores
 * only (hash, position); the caller compares the candidate rows itself.
 */
#ifndef TS_HIX_H
#define TS_HIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ts_hix {
    uint64_t *h; /* hash of the row in each slot */
    size_t *v;   /* position + 1; 0 = empty slot */
    size_t cap, n;
} ts_hix;

/** Add row `pos` with hash h (grows at half load). false on allocation failure. */
bool ts_hix_add(ts_hix *x, uint64_t h, size_t pos);
/** Candidates with hash h: start with *it = 0; returns position + 1, or 0 at the end. */
size_t ts_hix_next(const ts_hix *x, uint64_t h, size_t *it);
void ts_hix_clear(ts_hix *x);
/** *out = a copy of src (same slots: the same candidates in the same order). false on
 * allocation failure (*out is then empty). */
bool ts_hix_copy(ts_hix *out, const ts_hix *src);
void ts_hix_free(ts_hix *x);
/** FNV-1a over bytes, continuing from h (start with TS_HIX_SEED). */
#define TS_HIX_SEED 1469598103934665603ull
uint64_t ts_hix_bytes(uint64_t h, const void *p, size_t n);

#endif
