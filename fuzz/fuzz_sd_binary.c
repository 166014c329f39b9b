/*
 * PURPOSE: libFuzzer target for the self-relative binary reader. Invariants (abort() on
 * breach): bytes -> descriptor -> bytes -> descriptor gives an equal descriptor and
 * stable bytes; an error names an offset inside the input; any SDDL the formatter writes
 * parses back.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    toksim_sd *a = NULL, *b = NULL;
    toksim_error err = {0};
    toksim_status rc = toksim_sd_from_binary(&a, data, size, &err);
    if (rc) {
        if (err.offset > size || a)
            abort();
        return 0;
    }
    uint8_t *b1 = NULL, *b2 = NULL;
    size_t n1 = 0, n2 = 0;
    if (toksim_sd_to_binary(&b1, &n1, a) != TOKSIM_OK)
        abort(); /* whatever was read can be written */
    if (toksim_sd_from_binary(&b, b1, n1, NULL) != TOKSIM_OK || !toksim_sd_equal(a, b))
        abort();
    if (toksim_sd_to_binary(&b2, &n2, b) != TOKSIM_OK || n1 != n2 ||
        memcmp(b1, b2, n1) != 0)
        abort();
    char *sddl = NULL;
    if (toksim_sd_to_sddl(&sddl, a, NULL) == TOKSIM_OK) {
        toksim_sd *c = NULL;
        if (toksim_sd_from_sddl(&c, sddl, NULL, NULL) != TOKSIM_OK)
            abort();
        toksim_sd_free(c);
        free(sddl);
    }
    toksim_sd_free(a);
    toksim_sd_free(b);
    free(b1);
    free(b2);
    return 0;
}
