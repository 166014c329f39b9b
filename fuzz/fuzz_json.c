/*
 * PURPOSE: libFuzzer target for the strict JSON front end (toksim_json_check), checked
 * against cJSON: whatever the front end accepts, cJSON must parse, and cJSON's own
 * printing of it must be accepted again (so the front end is never looser than the tree
 * builder and never rejects canonical JSON); a rejection must point inside the input.
 */
#include <cJSON.h>
#include "fuzz_common.h"
#include "toksim/json_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 16))
        return 0;
    const char *text = (const char *)data;
    toksim_error err;
    if (toksim_json_check(text, size, &err) != TOKSIM_OK) {
        if (err.offset > size || err.line < 1 || err.column < 1 || !err.message[0])
            __builtin_trap();
        return 0;
    }
    cJSON *root = cJSON_ParseWithLength(text, size);
    if (!root)
        __builtin_trap(); /* accepted by the front end, refused by cJSON */
    char *again = cJSON_PrintUnformatted(root);
    if (again && toksim_json_check(again, strlen(again), &err) != TOKSIM_OK)
        __builtin_trap();
    cJSON_free(again);
    cJSON_Delete(root);
    return 0;
}
