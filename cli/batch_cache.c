/*
 * PURPOSE: the bounded text-keyed cache of batch_cache.h: open addressing over 64-bit
 * hashes, linear probing, emptied as a whole when full (a batch's repeated
 * descriptors and tokens come back quickly; there is no eviction order to keep).
 */
#include "batch_cache.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    uint64_t hash;
    char *key; /* NULL: empty */
    size_t len;
    void *value;
} slot;

struct cli_cache {
    slot *slots;
    size_t mask; /* capacity - 1; capacity >= 2 * max_entries */
    size_t count, max_entries, key_bytes, max_key_bytes;
    void (*free_value)(void *);
};

/* 8 bytes a step (keys are long: whole SDDL strings), then a final mix. */
static uint64_t hash_of(const char *s, size_t n)
{
    const uint64_t m = 0x9E3779B97F4A7C15u;
    uint64_t h = n * m;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * m;
        h ^= h >> 29;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * m;
    return h ^ (h >> 32);
}

cli_cache *
cli_cache_new(size_t max_entries, size_t max_key_bytes, void (*free_value)(void *))
{
    cli_cache *c = calloc(1, sizeof *c);
    size_t cap = 16;
    while (cap < 2 * max_entries)
        cap *= 2;
    if (!c || !(c->slots = calloc(cap, sizeof *c->slots))) {
        free(c);
        return NULL;
    }
    c->mask = cap - 1;
    c->max_entries = max_entries;
    c->max_key_bytes = max_key_bytes;
    c->free_value = free_value;
    return c;
}

static void clear(cli_cache *c)
{
    for (size_t i = 0; i <= c->mask; i++) {
        if (c->slots[i].key) {
            free(c->slots[i].key);
            c->free_value(c->slots[i].value);
        }
    }
    memset(c->slots, 0, (c->mask + 1) * sizeof *c->slots);
    c->count = c->key_bytes = 0;
}

void cli_cache_free(cli_cache *c)
{
    if (!c)
        return;
    clear(c);
    free(c->slots);
    free(c);
}

void *cli_cache_get(const cli_cache *c, const char *key, size_t len)
{
    uint64_t h = hash_of(key, len);
    for (size_t i = h & c->mask;; i = (i + 1) & c->mask) {
        const slot *s = &c->slots[i];
        if (!s->key)
            return NULL;
        if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
            return s->value;
    }
}

bool cli_cache_put(cli_cache *c, const char *key, size_t len, void *value)
{
    if (c->count + 1 > c->max_entries || c->key_bytes + len > c->max_key_bytes)
        clear(c);
    char *k = malloc(len ? len : 1);
    if (!k) {
        c->free_value(value);
        return false;
    }
    memcpy(k, key, len);
    uint64_t h = hash_of(key, len);
    size_t i = h & c->mask;
    while (c->slots[i].key)
        i = (i + 1) & c->mask;
    c->slots[i] = (slot){h, k, len, value};
    c->count++;
    c->key_bytes += len;
    return true;
}

static void key_append(cli_key *k, const char *s, size_t n)
{
    if (k->failed || !n)
        return;
    if (k->len + n > k->cap) {
        size_t cap = k->cap ? k->cap : 256;
        while (cap < k->len + n)
            cap *= 2;
        char *b = realloc(k->buf, cap);
        if (!b) {
            k->failed = true;
            return;
        }
        k->buf = b;
        k->cap = cap;
    }
    memcpy(k->buf + k->len, s, n);
    k->len += n;
}

void cli_key_reset(cli_key *k)
{
    k->len = 0;
    k->failed = false;
}

void cli_key_num(cli_key *k, size_t v)
{
    key_append(k, (const char *)&v, sizeof v); /* fixed width: no separator needed */
}

void cli_key_str(cli_key *k, const char *s)
{
    if (!s) {
        cli_key_num(k, SIZE_MAX); /* absent: a length no text has */
        return;
    }
    size_t n = strlen(s);
    cli_key_num(k, n);
    key_append(k, s, n);
}

void cli_key_dispose(cli_key *k)
{
    free(k->buf);
    memset(k, 0, sizeof *k);
}
