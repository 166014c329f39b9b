/*
 * PURPOSE: positions for error messages: where a node of a parsed document (ts_jdoc,
 * built with its positions by json_strict.c) stands in the text, the node a JSON path
 * names, and line and column of a byte offset.
 */
#include <stdlib.h>
#include <string.h>
#include "scenario/scen_int.h"

/* Only positions are read here: the node was built by ts_jdoc_parse (scen_int.h). */
static const ts_jnode *jnode(const cJSON *node)
{
    return (const ts_jnode *)(const void *)node;
}

size_t ts_jpos_end(const ts_jdoc *doc, const cJSON *node)
{
    return doc && node ? jnode(node)->value_end : 0;
}

size_t ts_jpos_of(const ts_jdoc *doc, const cJSON *node, bool key)
{
    if (!doc || !node)
        return 0;
    return key ? jnode(node)->key_off : jnode(node)->value_off;
}

const cJSON *ts_jget(const cJSON *o, const char *key)
{
    if (!o || !key)
        return NULL;
    for (const cJSON *it = o->child; it && it->string; it = it->next)
        if (it->string[0] == key[0] && strcmp(it->string, key) == 0)
            return it;
    return NULL;
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

void ts_text_advance(
    const char *text, size_t from, size_t to, bool may_cr, int *line, int *col)
{
    int l = *line, c = *col;
    const char *p = text + from, *end = text + to;
    if (from && p < end && p[-1] == '\r' && *p == '\n')
        p++; /* the rest of a CRLF counted before */
    /* Whole lines by memchr; the characters counted on the last one only (issue 11). A
     * line ends at "\n", "\r\n" or a lone "\r" (a file saved with old Mac endings). */
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *cr = may_cr ? memchr(p, '\r', (size_t)((nl ? nl : end) - p)) : NULL;
        if (!nl && !cr)
            break;
        p = cr ? cr + 1 : nl + 1;
        if (cr && p < end && *p == '\n')
            p++;
        if (l < 0x7fffffff)
            l++;
        c = 1;
    }
    for (; p < end; p++)
        if (((unsigned char)*p & 0xC0) != 0x80) /* characters, not UTF-8 continuations */
            c++;
    *line = l;
    *col = c;
}

void ts_text_linecol(const char *text, size_t len, size_t off, int *line, int *col)
{
    *line = *col = 1;
    ts_text_advance(text, 0, off > len ? len : off, true, line, col);
}
