/*
 * PURPOSE: positions for scenario error messages. cJSON keeps no source offsets, so after
 * it has accepted a text (which is therefore valid JSON) this file walks the text and the
 * tree together, in document order, and records where each value and each member key
 * starts. Only used to report positions: all parsing is cJSON's.
 */
#include <stdlib.h>
#include <string.h>
#include "scenario/scen_int.h"

typedef struct walker {
    const char *s;
    size_t n, i;
    ts_jpos *map;
    bool failed;
} walker;

static void skip_ws(walker *w)
{
    while (w->i < w->n && (w->s[w->i] == ' ' || w->s[w->i] == '\t' ||
                           w->s[w->i] == '\r' || w->s[w->i] == '\n'))
        w->i++;
}

static void skip_string(walker *w)
{
    if (w->i < w->n && w->s[w->i] == '"')
        w->i++;
    /* to the next '"' not escaped by an odd run of backslashes (memchr: issue 11) */
    for (;;) {
        const char *q = w->i < w->n ? memchr(w->s + w->i, '"', w->n - w->i) : NULL;
        if (!q) {
            w->i = w->n;
            return;
        }
        size_t at = (size_t)(q - w->s), b = at;
        while (b > w->i && w->s[b - 1] == '\\')
            b--;
        w->i = at + 1;
        if ((at - b) % 2 == 0)
            return;
    }
}

static void skip_scalar(walker *w)
{
    while (w->i < w->n && !strchr(",]} \t\r\n", w->s[w->i]))
        w->i++;
}

static void record(walker *w, const cJSON *node, size_t value_off, size_t key_off)
{
    ts_jpos *m = w->map;
    if (!ts_grow((void **)&m->v, &m->cap, m->n + 1, sizeof *m->v)) {
        w->failed = true;
        return;
    }
    m->v[m->n].node = node;
    m->v[m->n].value_off = value_off;
    m->v[m->n].key_off = key_off;
    m->v[m->n].value_end = value_off;
    m->n++;
}

/* Depth is bounded by the loader's nesting cap, checked before this walk. */
static void walk(walker *w, const cJSON *node, size_t key_off)
{
    skip_ws(w);
    size_t start = w->i;
    size_t slot = w->map->n;
    record(w, node, start, key_off == (size_t)-1 ? start : key_off);
    if (cJSON_IsObject(node) || cJSON_IsArray(node)) {
        bool obj = cJSON_IsObject(node);
        w->i++; /* '{' or '[' */
        for (const cJSON *c = node->child; c && !w->failed; c = c->next) {
            skip_ws(w);
            size_t k = (size_t)-1;
            if (obj) {
                k = w->i;
                skip_string(w);
                skip_ws(w);
                w->i++; /* ':' */
            }
            walk(w, c, k);
            skip_ws(w);
            if (w->i < w->n && w->s[w->i] == ',')
                w->i++;
        }
        skip_ws(w);
        w->i++; /* '}' or ']' */
    } else if (cJSON_IsString(node)) {
        skip_string(w);
    } else {
        skip_scalar(w);
    }
    if (!w->failed)
        w->map->v[slot].value_end = w->i < w->n ? w->i : w->n;
}

/* The entries are found by node pointer through an open-addressing index built once
 * the walk is done (linear probing, at most half full): no sort (issue 11). */
static size_t slot_of(const ts_jpos *map, const cJSON *node)
{
    uint64_t h = (uint64_t)(uintptr_t)node * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & (map->nslot - 1);
}

static const ts_jpos_entry *find(const ts_jpos *map, const cJSON *node)
{
    if (!map || !map->slot || !node)
        return NULL;
    for (size_t i = slot_of(map, node); map->slot[i]; i = (i + 1) & (map->nslot - 1))
        if (map->v[map->slot[i] - 1].node == node)
            return &map->v[map->slot[i] - 1];
    return NULL;
}

bool ts_jpos_build(ts_jpos *map, const cJSON *root, const char *text, size_t len)
{
    memset(map, 0, sizeof *map);
    map->text = text;
    map->len = len;
    walker w = {text, len, 0, map, false};
    walk(&w, root, (size_t)-1);
    size_t cap = 64;
    while (cap < 2 * map->n && cap < SIZE_MAX / 4)
        cap *= 2;
    if (w.failed || !(map->slot = calloc(cap, sizeof *map->slot))) {
        ts_jpos_dispose(map);
        return false;
    }
    map->nslot = cap;
    for (size_t k = 0; k < map->n; k++) {
        size_t i = slot_of(map, map->v[k].node);
        while (map->slot[i])
            i = (i + 1) & (cap - 1);
        map->slot[i] = k + 1;
    }
    return true;
}

void ts_jpos_dispose(ts_jpos *map)
{
    free(map->v);
    free(map->slot);
    memset(map, 0, sizeof *map);
}

size_t ts_jpos_end(const ts_jpos *map, const cJSON *node)
{
    const ts_jpos_entry *e = find(map, node);
    return e ? e->value_end : 0;
}

size_t ts_jpos_of(const ts_jpos *map, const cJSON *node, bool key)
{
    const ts_jpos_entry *e = find(map, node);
    if (!e)
        return 0;
    return key ? e->key_off : e->value_off;
}

const cJSON *ts_json_path_node(const cJSON *root, const char *jpath)
{
    const cJSON *n = root;
    const char *p = jpath ? jpath : "";
    while (n && *p) {
        if (*p == '.')
            p++;
        const cJSON *next = NULL;
        if (*p == '[') {
            char *e = NULL;
            unsigned long idx = strtoul(p + 1, &e, 10);
            if (!e || *e != ']' || !cJSON_IsArray(n))
                break;
            p = e + 1;
            for (next = n->child; next && idx > 0; idx--)
                next = next->next;
        } else {
            size_t kl = strcspn(p, ".[");
            if (kl == 0 || !cJSON_IsObject(n))
                break;
            for (next = n->child; next; next = next->next)
                if (next->string && strlen(next->string) == kl &&
                    strncmp(next->string, p, kl) == 0)
                    break;
            p += kl;
        }
        if (!next)
            break;
        n = next;
    }
    return n;
}

void ts_text_linecol(const char *text, size_t len, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) !=
                   0x80) { /* count characters, not UTF-8 continuation bytes */
            c++;
        }
        if (l == 0x7fffffff)
            break;
    }
    *line = l;
    *col = c;
}
