/*
 * PURPOSE: libFuzzer target for the strict JSON reader (toksim_json_check and the tree
 * ts_jdoc_parse builds in the same pass), checked against cJSON: whatever the reader
 * accepts, cJSON must parse to the very tree the reader built, every node
 * must lie inside the text, and cJSON's own printing must be accepted again (so the
 * reader is never looser than cJSON and never rejects canonical JSON); a rejection must
 * point inside the input, and building must refuse exactly what checking refuses.
 */
#include <cJSON.h>
#include <stdbool.h>
#include <string.h>
#include "fuzz_common.h"
#include "scenario/scen_int.h"
#include "toksim/json_check.h"
#include "../tests/json_same.h"

static void inside(const ts_jdoc *d, const cJSON *n, size_t size)
{
    for (; n; n = n->next) {
        size_t k = ts_jpos_of(d, n, true), v = ts_jpos_of(d, n, false),
               e = ts_jpos_end(d, n);
        if (k > v || v >= e || e > size)
            __builtin_trap();
        inside(d, n->child, size);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 16))
        return 0;
    const char *text = (const char *)data;
    toksim_error err;
    ts_jdoc doc;
    toksim_status built = ts_jdoc_parse(&doc, text, size, SIZE_MAX, &err);
    if (toksim_json_check(text, size, &err) != TOKSIM_OK) {
        if (err.offset > size || err.line < 1 || err.column < 1 || !err.message[0])
            __builtin_trap();
        if (built == TOKSIM_OK)
            __builtin_trap(); /* building accepted what checking refused */
        return 0;
    }
    if (built != TOKSIM_OK)
        __builtin_trap();
    cJSON *root = cJSON_ParseWithLength(text, size);
    if (!root)
        __builtin_trap(); /* accepted by the reader, refused by cJSON */
    if (!json_same_tree(doc.root, root))
        __builtin_trap(); /* a different tree */
    inside(&doc, doc.root, size);
    char *again = cJSON_PrintUnformatted(root);
    if (again && toksim_json_check(again, strlen(again), &err) != TOKSIM_OK)
        __builtin_trap();
    cJSON_free(again);
    cJSON_Delete(root);
    ts_jdoc_dispose(&doc);
    return 0;
}
