/*
 * PURPOSE: one comparison of two cJSON trees for the strict reader's tests and its fuzz
 * target (tests/unit/test_jdoc.c, fuzz/fuzz_json.c): exactly the same tree (types, keys,
 * strings, numbers bit for bit, member order). cJSON_Compare is not used: it calls two
 * infinities different.
 */
#ifndef TOKSIM_TESTS_JSON_SAME_H
#define TOKSIM_TESTS_JSON_SAME_H

#include <cJSON.h>
#include <stdbool.h>
#include <string.h>

static inline bool json_same_tree(const cJSON *a, const cJSON *b)
{
    for (; a && b; a = a->next, b = b->next) {
        if ((a->type & 0xFF) != (b->type & 0xFF) || !a->string != !b->string ||
            (a->string && strcmp(a->string, b->string)) ||
            !a->valuestring != !b->valuestring ||
            (a->valuestring && strcmp(a->valuestring, b->valuestring)) ||
            memcmp(&a->valuedouble, &b->valuedouble, sizeof a->valuedouble) ||
            a->valueint != b->valueint || !json_same_tree(a->child, b->child))
            return false;
    }
    return !a && !b;
}

#endif
