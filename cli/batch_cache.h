/*
 * PURPOSE: a bounded cache of built objects keyed by text, owned by one caller (the
 * `toksim access --batch` driver: parsed descriptors keyed by their SDDL, built tokens
 * keyed by the case's token members). No global state: the caller creates, uses and frees
 * it.
 */
#ifndef TOKSIM_CLI_BATCH_CACHE_H
#define TOKSIM_CLI_BATCH_CACHE_H
#include <stdbool.h>
#include <stddef.h>

typedef struct cli_cache cli_cache;

/** A cache of at most `max_entries` values and `max_key_bytes` bytes of keys; when
 * either would be exceeded, every entry is freed first (memory stays bounded).
 * `free_value` frees a value. NULL when out of memory. */
cli_cache *
cli_cache_new(size_t max_entries, size_t max_key_bytes, void (*free_value)(void *));
void cli_cache_free(cli_cache *c);
/** The value stored under key[0..len), or NULL. */
void *cli_cache_get(const cli_cache *c, const char *key, size_t len);
/** Store value under key (the cache owns value from now on, and frees it even on
 * failure). Returns false when out of memory (value freed). The key must be absent. */
bool cli_cache_put(cli_cache *c, const char *key, size_t len, void *value);

/** A key under construction: fields appended length-prefixed, so that no two field lists
 * give the same key. */
typedef struct cli_key {
    char *buf;
    size_t len, cap;
    bool failed; /* out of memory */
} cli_key;
void cli_key_reset(cli_key *k);
/** Append a text field; NULL (absent) differs from "". */
void cli_key_str(cli_key *k, const char *s);
/** Append a number (counts, flags). */
void cli_key_num(cli_key *k, size_t v);
void cli_key_dispose(cli_key *k);
#endif
