/* PURPOSE: hex and base64 transport of descriptors, as Windows tools print them. */
#include <stdlib.h>
#include "../helpers.h"

static void expect_hex(const char *in, const uint8_t *want, size_t wn)
{
    uint8_t *b = NULL;
    size_t n = 0;
    toksim_error e = {0};
    cr_assert_eq(toksim_hex_decode(&b, &n, in, &e), TOKSIM_OK, "'%s': %s", in, e.message);
    cr_expect_eq(n, wn, "'%s': %zu bytes", in, n);
    cr_expect(n == wn && memcmp(b, want, n) == 0, "'%s'", in);
    free(b);
}

Test(codec, hex_forms_of_windows_tools)
{
    static const uint8_t w[] = {0x01, 0x00, 0x04, 0x80, 0x5c};
    expect_hex("010004805c", w, 5);
    expect_hex("010004805C", w, 5);
    expect_hex("01 00 04 80 5c", w, 5);
    expect_hex("01,00,04,80,5c", w, 5);
    expect_hex("hex:01,00,04,80,5c", w, 5);
    expect_hex("\"DefaultLaunchPermission\"=hex:01,00,\\\n  04,80,5c", w, 5);
    expect_hex("\"Hexagon\"=hex:01,00,\\  \r\n  04,80,\\\n5c\n", w, 5);
    expect_hex("hex(3):01,00,04,80,5c", w, 5);
    expect_hex("    DefaultLaunchPermission    REG_BINARY    010004805C\n", w, 5);
    expect_hex("0x010004805c", w, 5);
}

Test(codec, hex_errors_name_the_offset)
{
    uint8_t *b = NULL;
    size_t n;
    toksim_error e = {0};
    cr_expect_eq(toksim_hex_decode(&b, &n, "01,0,04", &e), TOKSIM_EPARSE);
    cr_expect_eq(e.offset, 3);
    cr_expect_eq(toksim_hex_decode(&b, &n, "0100zz", &e), TOKSIM_EPARSE);
    cr_expect_eq(e.offset, 4);
    cr_expect_eq(toksim_hex_decode(&b, &n, "01\\ 02", &e), TOKSIM_EPARSE);
    cr_expect_eq(e.offset, 2);
    cr_expect_eq(toksim_hex_decode(&b, &n, "  ", &e), TOKSIM_EPARSE);
    cr_expect_null(b);
}

Test(codec, hex_encode_lowercase)
{
    static const uint8_t d[] = {0x00, 0xab, 0xFF, 0x10};
    char *s = NULL;
    ts_assert_ok(toksim_hex_encode(&s, d, sizeof d), NULL);
    cr_expect_str_eq(s, "00abff10");
    free(s);
}

Test(codec, base64_rfc4648_vectors_both_ways)
{
    const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        char *s = NULL;
        ts_assert_ok(
            toksim_base64_encode(&s, (const uint8_t *)plain[i], strlen(plain[i])), NULL);
        cr_expect_str_eq(s, enc[i]);
        free(s);
        if (!*plain[i])
            continue;
        uint8_t *b = NULL;
        size_t n = 0;
        toksim_error e = {0};
        cr_assert_eq(toksim_base64_decode(&b, &n, enc[i], &e), TOKSIM_OK, "%s",
                     e.message);
        cr_expect(n == strlen(plain[i]) && memcmp(b, plain[i], n) == 0, "%s", enc[i]);
        free(b);
    }
}

Test(codec, base64_tolerates_whitespace_and_missing_padding)
{
    uint8_t *b = NULL;
    size_t n = 0;
    toksim_error e = {0};
    cr_assert_eq(toksim_base64_decode(&b, &n, " Zm9v\r\nYmE ", &e), TOKSIM_OK, "%s",
                 e.message);
    cr_expect(n == 5 && memcmp(b, "fooba", 5) == 0);
    free(b);
    cr_expect_eq(toksim_base64_decode(&b, &n, "Zm9v-mE=", &e), TOKSIM_EPARSE);
    cr_expect_eq(e.offset, 4);
    cr_expect_eq(toksim_base64_decode(&b, &n, "Zg==Zg==", &e), TOKSIM_EPARSE);
    cr_expect_eq(e.offset, 4);
    cr_expect_eq(toksim_base64_decode(&b, &n, "Zm9vY", &e), TOKSIM_EPARSE);
}
