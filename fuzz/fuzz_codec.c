/*
 * PURPOSE: libFuzzer target for the text parsers around descriptors: hex and base64
 * decoding, access-mask text per object type, SDDL rights. Invariants (abort() on
 * breach): what decodes re-encodes and decodes to the same bytes; errors point inside the
 * input; a parsed mask described and parsed again is the same mask.
 */
#include "fuzz_common.h"

static void codec_round_trip(const uint8_t *b, size_t n)
{
    char *h = NULL, *s = NULL;
    uint8_t *b2 = NULL, *b3 = NULL;
    size_t n2 = 0, n3 = 0;
    if (toksim_hex_encode(&h, b, n) || toksim_hex_decode(&b2, &n2, h, NULL) || n2 != n ||
        memcmp(b, b2, n) != 0)
        abort();
    if (toksim_base64_encode(&s, b, n) || toksim_base64_decode(&b3, &n3, s, NULL) ||
        n3 != n || memcmp(b, b3, n) != 0)
        abort();
    free(h);
    free(s);
    free(b2);
    free(b3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size, (size_t)64 * 1024);
    if (!text)
        return 0;
    uint8_t *b = NULL;
    size_t n = 0;
    toksim_error err = {0};
    if (toksim_hex_decode(&b, &n, text, &err) == TOKSIM_OK) {
        codec_round_trip(b, n);
        free(b);
    } else if (err.offset > size) {
        abort();
    }
    toksim_error_clear(&err);
    if (toksim_base64_decode(&b, &n, text, &err) == TOKSIM_OK) {
        codec_round_trip(b, n);
        free(b);
    } else if (err.offset > size) {
        abort();
    }
    toksim_object_type type = (toksim_object_type)(size % TOKSIM_OBJ__COUNT);
    uint32_t mask = 0, again = 0;
    if (toksim_access_mask_parse(&mask, text, type, NULL) == TOKSIM_OK) {
        char desc[4096];
        toksim_access_mask_describe(desc, sizeof desc, mask, type);
        if (toksim_access_mask_parse(&again, desc, type, NULL) != TOKSIM_OK ||
            again != mask)
            abort();
    }
    if (toksim_sddl_parse_rights(&mask, text, NULL) == TOKSIM_OK) {
        char r[256];
        toksim_sddl_format_rights(r, sizeof r, mask);
        if (toksim_sddl_parse_rights(&again, r, NULL) != TOKSIM_OK || again != mask)
            abort();
    }
    free(text);
    return 0;
}
