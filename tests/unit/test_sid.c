/* PURPOSE: SID string and binary forms (MS-DTYP 2.4.2). */
#include "../helpers.h"

Test(sid, parse_format_roundtrip)
{
    const char *v[] = {
        "S-1-5-32-544",
        "S-1-1-0",
        "S-1-5-21-1004336348-1177238915-682003330-512",
        "S-1-16-12288",
        "S-1-0x123456789ABC-1",
        "S-1-0x28651FE848-12-72-9-110", /* RtlConvertSidToUnicodeString doc */
        "S-1-5"};
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
    cr_assert_str_eq(buf, "S-1-0x100000000-1");
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
    const char *bad[] = {"",         "S",
                         "S-",       "S-2-5",
                         "S-1-",     "S-1-5-",
                         "S-1-5--1", "S-1-5-x",
                         "X-1-5",    "S-1-5-4294967296",
                         "S-1-0x",   "S-1-0x1234567890ABC"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        toksim_sid s;
        toksim_error e = {0};
        cr_assert_neq(toksim_sid_parse(&s, bad[i], &e), TOKSIM_OK, "accepted '%s'",
                      bad[i]);
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

Test(sid, parse_n_does_not_read_past_len)
{
    toksim_sid s;
    const char text[] = {'S', '-', '1', '-', '5', '-', '3', '2', 'X'}; /* no NUL */
    ts_assert_ok(toksim_sid_parse_n(&s, text, 8, NULL), NULL);
    toksim_sid want = ts_test_sid("S-1-5-32");
    cr_assert(toksim_sid_equal(&s, &want));
    toksim_error e = {0};
    cr_assert_eq(toksim_sid_parse_n(&s, text, 9, &e), TOKSIM_EPARSE);
    cr_assert_eq(e.offset, 8);
}

Test(sid, lower_case_s_and_long_input)
{
    toksim_sid s = ts_test_sid("s-1-1-0");
    char buf[32];
    toksim_sid_format(buf, sizeof buf, &s);
    cr_assert_str_eq(buf, "S-1-1-0");
    char big[400];
    memset(big, '1', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    big[0] = 'S';
    big[1] = '-';
    toksim_error e = {0};
    cr_assert_eq(toksim_sid_parse(&s, big, &e), TOKSIM_ELIMIT);
}

Test(sid, compare_orders_authority_then_subs_then_count)
{
    toksim_sid a = ts_test_sid("S-1-5-32-544"), b = ts_test_sid("S-1-5-32-545"),
               c = ts_test_sid("S-1-5-32"), d = ts_test_sid("S-1-16-4096");
    cr_assert_lt(toksim_sid_compare(&a, &b), 0);
    cr_assert_gt(toksim_sid_compare(&b, &a), 0);
    cr_assert_lt(toksim_sid_compare(&c, &a), 0);
    cr_assert_lt(toksim_sid_compare(&a, &d), 0);
    cr_assert_eq(toksim_sid_compare(&a, &a), 0);
    cr_assert_neq(toksim_sid_hash(&a), toksim_sid_hash(&b));
    toksim_sid a2 = ts_test_sid("S-1-5-32-544");
    a2.sub[5] = 77; /* unused slot: must not affect equality or hash */
    cr_assert(toksim_sid_equal(&a, &a2));
    cr_assert_eq(toksim_sid_hash(&a), toksim_sid_hash(&a2));
}

Test(sid, make_append_and_limits)
{
    toksim_sid s, t;
    uint32_t subs[15] = {21, 1, 2, 3};
    ts_assert_ok(toksim_sid_make(&s, 5, subs, 4), NULL);
    ts_assert_ok(toksim_sid_append(&t, &s, 512), NULL);
    cr_assert_eq(toksim_sid_rid(&t), 512);
    cr_assert_eq(t.count, 5);
    cr_assert_eq(toksim_sid_make(&s, 5, subs, 16), TOKSIM_ELIMIT);
    cr_assert_eq(toksim_sid_make(&s, (uint64_t)1 << 48, subs, 1), TOKSIM_EINVAL);
    ts_assert_ok(toksim_sid_make(&s, 5, subs, 15), NULL);
    cr_assert_eq(toksim_sid_append(&t, &s, 1), TOKSIM_ELIMIT);
    toksim_sid empty = ts_test_sid("S-1-5");
    cr_assert_eq(toksim_sid_rid(&empty), 0);
}

Test(sid, binary_rejects_bad_headers)
{
    const uint8_t rev2[] = {2, 0, 0, 0, 0, 0, 0, 5};
    const uint8_t many[8 + 64] = {1, 16, 0, 0, 0, 0, 0, 5};
    toksim_sid s;
    toksim_error e = {0};
    cr_assert_eq(toksim_sid_from_binary(&s, rev2, sizeof rev2, NULL, &e), TOKSIM_EPARSE);
    cr_assert_eq(toksim_sid_from_binary(&s, many, sizeof many, NULL, &e), TOKSIM_ELIMIT);
    cr_assert_eq(toksim_sid_from_binary(&s, rev2, 7, NULL, &e), TOKSIM_EPARSE);
    uint8_t small[4];
    toksim_sid x = ts_test_sid("S-1-5-18");
    cr_assert_eq(toksim_sid_to_binary(small, sizeof small, &x), 0);
}
