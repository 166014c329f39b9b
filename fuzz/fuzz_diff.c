/*
 * PURPOSE: libFuzzer target for the policy what-if (toksim diff): the input is two
 * security templates separated by a NUL byte (A, then B; no NUL = the same bytes twice).
 * Whatever they hold, the diff either refuses them with a position or compares them;
 * every rendering must succeed, a template compared with itself must show no difference,
 * and the JSON must parse.
 */
#include <cJSON.h>
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 16))
        return 0;
    const uint8_t *nul = memchr(data, 0, size);
    size_t alen = nul ? (size_t)(nul - data) : size;
    const uint8_t *b = nul ? nul + 1 : data;
    size_t blen = nul ? size - alen - 1 : size;
    toksim_error err = {0};
    toksim_diff *d = NULL;
    toksim_status rc =
        toksim_diff_new(&d, data, alen, "a.inf", b, blen, "b.inf", NULL, &err);
    if (rc != TOKSIM_OK) {
        FUZZ_CHECK(rc == TOKSIM_EPARSE || rc == TOKSIM_ENOTFOUND || rc == TOKSIM_ELIMIT ||
                   rc == TOKSIM_EINVAL);
        FUZZ_CHECK(err.message[0] != '\0');
        return 0;
    }
    if (!nul)
        FUZZ_CHECK(!toksim_diff_changed(d));
    char *t = NULL;
    FUZZ_CHECK(toksim_diff_render_text(&t, d, 0) == TOKSIM_OK);
    free(t);
    FUZZ_CHECK(toksim_diff_render_json(&t, d, 0) == TOKSIM_OK);
    cJSON *j = cJSON_Parse(t);
    FUZZ_CHECK(j != NULL);
    cJSON_Delete(j);
    free(t);
    FUZZ_CHECK(toksim_diff_render_sarif(&t, d) == TOKSIM_OK);
    free(t);
    toksim_diff_free(d);
    return 0;
}
