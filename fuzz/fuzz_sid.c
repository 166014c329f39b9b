/*
 * PURPOSE: libFuzzer target for the SID parsers: string form (parse -> format -> parse
 * must give the same SID), toksim_sid_resolve on arbitrary text (aliases, names, virtual
 * accounts: must never crash, and what it returns must format and re-parse), the binary
 * form (decode -> encode must give back the same bytes) and virtual-account hashing of
 * arbitrary bytes.
 */
#include "fuzz_common.h"

#define MAX_INPUT 4096

static void check_roundtrip(const toksim_sid *s)
{
    char buf[TOKSIM_SID_STRING_MAX];
    size_t n = toksim_sid_format(buf, sizeof buf, s);
    if (n >= sizeof buf)
        abort();
    toksim_sid back;
    if (toksim_sid_parse(&back, buf, NULL) != TOKSIM_OK || !toksim_sid_equal(s, &back))
        abort();
    uint8_t bin[TOKSIM_SID_BINARY_MAX];
    size_t bn = toksim_sid_to_binary(bin, sizeof bin, s);
    size_t used = 0;
    if (bn == 0 || toksim_sid_from_binary(&back, bin, bn, &used, NULL) != TOKSIM_OK ||
        used != bn || !toksim_sid_equal(s, &back))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size, MAX_INPUT);
    if (!text)
        return 0;

    toksim_sid s;
    toksim_error err;
    if (toksim_sid_parse(&s, text, &err) == TOKSIM_OK)
        check_roundtrip(&s);
    if (toksim_sid_parse_n(&s, (const char *)data, size, &err) == TOKSIM_OK)
        check_roundtrip(&s);

    toksim_sid dom, mach;
    uint32_t d[4] = {21, 1004336348, 1177238915, 682003330}, m[4] = {21, 1, 2, 3};
    if (toksim_sid_make(&dom, 5, d, 4) != TOKSIM_OK ||
        toksim_sid_make(&mach, 5, m, 4) != TOKSIM_OK)
        abort();
    toksim_sid_context ctx = {&dom, &mach};
    toksim_error_clear(&err);
    if (toksim_sid_resolve(&s, text, size & 1 ? &ctx : NULL, &err) == TOKSIM_OK) {
        check_roundtrip(&s);
        char name[256];
        toksim_sid_display_name(name, sizeof name, &s, &ctx);
        (void)toksim_wellknown_by_sid(&s, NULL);
    } else if (err.message[0] == '\0' || err.offset > size) {
        abort(); /* every failure must say what and where */
    }

    static const toksim_virtual_kind kinds[] = {TOKSIM_VIRTUAL_SERVICE,
                                                TOKSIM_VIRTUAL_APPPOOL,
                                                TOKSIM_VIRTUAL_RESTRICTED_SERVICE};
    if (toksim_sid_virtual(&s, kinds[size % 3], text, &err) == TOKSIM_OK)
        check_roundtrip(&s);

    size_t used = 0;
    if (toksim_sid_from_binary(&s, data, size, &used, &err) == TOKSIM_OK) {
        uint8_t bin[TOKSIM_SID_BINARY_MAX];
        size_t bn = toksim_sid_to_binary(bin, sizeof bin, &s);
        if (bn != used || memcmp(bin, data, bn) != 0)
            abort();
        check_roundtrip(&s);
    }
    free(text);
    return 0;
}
