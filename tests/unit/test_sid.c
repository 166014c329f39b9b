/* PURPOSE: SID string and binary forms (MS-DTYP 2.4.2). */
#include "../helpers.h"

Test(sid, parse_format_roundtrip)
{
    const char *v[] = {"S-1-5-32-544", "S-1-1-0", "S-1-5-21-1004336348-1177238915-682003330-512",
                       "S-1-16-12288", "S-1-0x123456789ABC-1", "S-1-5"};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        toksim_sid s = ts_test_sid(v[i]);
        char buf[TOKSIM_SID_STRING_MAX];
        toksim_sid_format(buf, sizeof buf, &s);
        cr_assert_str_eq(buf, v[i]);
    }
}

Test(sid, authority_above_2_32_uses_hex)
{
    toksim_sid s = ts_test_sid("S-1-4294967295-7");
    cr_assert_eq(toksim_sid_authority(&s), 0xFFFFFFFFull);
    toksim_sid h;
    uint32_t sub = 1;
    ts_assert_ok(toksim_sid_make(&h, 0x100000000ull, &sub, 1), NULL);
    char buf[64];
    toksim_sid_format(buf, sizeof buf, &h);
    cr_assert_str_eq(buf, "S-1-0x000100000000-1");
}

Test(sid, rejects_sixteen_sub_authorities_with_position)
{
    toksim_sid s;
    toksim_error e = {0};
    const char *t = "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16";
    cr_assert_eq(toksim_sid_parse(&s, t, &e), TOKSIM_ELIMIT);
    cr_assert_eq(e.offset, strlen("S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15"));
}

Test(sid, rejects_malformed)
{
    const char *bad[] = {"", "S", "S-", "S-2-5", "S-1-", "S-1-5-", "S-1-5--1", "S-1-5-x", "X-1-5",
                         "S-1-5-4294967296", "S-1-0x", "S-1-0x1234567890ABC"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        toksim_sid s;
        toksim_error e = {0};
        cr_assert_neq(toksim_sid_parse(&s, bad[i], &e), TOKSIM_OK, "accepted '%s'", bad[i]);
        cr_assert(e.message[0], "no message for '%s'", bad[i]);
    }
}

Test(sid, binary_roundtrip_little_endian_subauthorities)
{
    toksim_sid s = ts_test_sid("S-1-5-32-544");
    uint8_t b[TOKSIM_SID_BINARY_MAX];
    size_t n = toksim_sid_to_binary(b, sizeof b, &s);
    const uint8_t want[] = {1, 2, 0, 0, 0, 0, 0, 5, 0x20, 0, 0, 0, 0x20, 2, 0, 0};
    cr_assert_eq(n, sizeof want);
    cr_assert_arr_eq(b, want, sizeof want);
    toksim_sid back;
    size_t used = 0;
    ts_assert_ok(toksim_sid_from_binary(&back, b, n, &used, NULL), NULL);
    cr_assert(toksim_sid_equal(&s, &back));
    cr_assert_eq(used, n);
    cr_assert_neq(toksim_sid_from_binary(&back, b, n - 1, &used, NULL), TOKSIM_OK);
}
