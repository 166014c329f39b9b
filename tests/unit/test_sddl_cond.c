/*
 * PURPOSE: conditional ACE expressions (MS-DTYP 2.4.4.17) between SDDL text and the
 * "artx" binary form, checked byte for byte against what Windows produced
 * (tests/data/sddl/conditional.txt).
 */
#include <stdio.h>
#include <stdlib.h>
#include "sddl_vectors.h"

#define COND_VECTORS "tests/data/sddl/conditional.txt"

static void compile_matches_windows(const char *sddl, const char *hex, int line)
{
    (void)line;
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_sd_from_sddl(&sd, sddl, NULL, &e), TOKSIM_OK, "%s: %s", sddl,
                 e.message);
    uint8_t *b = NULL;
    size_t n = 0;
    ts_assert_ok(toksim_sd_to_binary(&b, &n, sd), NULL);
    char *got = NULL;
    ts_assert_ok(toksim_hex_encode(&got, b, n), NULL);
    cr_expect_str_eq(got, hex, "%s", sddl);
    free(got);
    free(b);
    toksim_sd_free(sd);
}

Test(sddl_cond, compiles_like_windows)
{
    cr_assert_geq(ts_each_vector(COND_VECTORS, " -> ", compile_matches_windows), 8);
}

static void decompile_round_trips(const char *sddl, const char *hex, int line)
{
    (void)sddl;
    (void)line;
    uint8_t *b = NULL, *b2 = NULL;
    size_t n = 0, n2 = 0;
    toksim_error e = {0};
    ts_assert_ok(toksim_hex_decode(&b, &n, hex, NULL), NULL);
    toksim_sd *sd = NULL, *again = NULL;
    cr_assert_eq(toksim_sd_from_binary(&sd, b, n, &e), TOKSIM_OK, "%s", e.message);
    cr_assert_not_null(sd->dacl->aces[0].app_data, "callback data kept as bytes");
    char *text = NULL;
    ts_assert_ok(toksim_sd_to_sddl(&text, sd, NULL), NULL);
    cr_assert_eq(toksim_sd_from_sddl(&again, text, NULL, &e), TOKSIM_OK, "%s: %s", text,
                 e.message);
    ts_assert_ok(toksim_sd_to_binary(&b2, &n2, again), NULL);
    cr_expect(n == n2 && memcmp(b, b2, n) == 0,
              "decompiled '%s' does not compile back to the same bytes", text);
    free(text);
    free(b);
    free(b2);
    toksim_sd_free(sd);
    toksim_sd_free(again);
}

Test(sddl_cond, decompile_then_compile_gives_the_same_bytes)
{
    cr_assert_geq(ts_each_vector(COND_VECTORS, " -> ", decompile_round_trips), 8);
}

/* Every vector of Samba's conditional_aces.txt.json (Windows-produced bytes), issue 9. */
#define SAMBA_COND_VECTORS "tests/data/sddl/samba_conditional.txt"

static void binary_round_trips(const char *sddl, const char *hex, int line)
{
    uint8_t *b = NULL, *b2 = NULL;
    size_t n = 0, n2 = 0;
    toksim_error e = {0};
    ts_assert_ok(toksim_hex_decode(&b, &n, hex, NULL), NULL);
    toksim_sd *sd = NULL, *again = NULL;
    cr_assert_eq(toksim_sd_from_binary(&sd, b, n, &e), TOKSIM_OK, "line %d: %s", line,
                 e.message);
    char *text = NULL;
    ts_assert_ok(toksim_sd_to_sddl(&text, sd, NULL), NULL);
    cr_assert_eq(toksim_sd_from_sddl(&again, text, NULL, &e), TOKSIM_OK, "%s: %s", text,
                 e.message);
    ts_assert_ok(toksim_sd_to_binary(&b2, &n2, again), NULL);
    cr_expect(n == n2 && memcmp(b, b2, n) == 0,
              "line %d (%s): decompiled '%s' does not compile back to Windows' bytes",
              line, sddl, text);
    free(text);
    free(b);
    free(b2);
    toksim_sd_free(sd);
    toksim_sd_free(again);
}

Test(sddl_cond, samba_windows_vectors_compile_like_windows)
{
    cr_assert_geq(ts_each_vector(SAMBA_COND_VECTORS, " -> ", compile_matches_windows),
                  60);
}

Test(sddl_cond, samba_windows_vectors_round_trip_through_text)
{
    cr_assert_geq(ts_each_vector(SAMBA_COND_VECTORS, " -> ", binary_round_trips), 60);
}

Test(sddl_cond, decompiled_text_reads_well)
{
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_sd_from_sddl(
                     &sd,
                     "D:(XA;;FX;;;WD;(@User.Title==\"PM\"&&(@User.Division==\"Finance\"||"
                     "@User.Division==\"Sales\")))",
                     NULL, &e),
                 TOKSIM_OK, "%s", e.message);
    uint8_t *b;
    size_t n;
    ts_assert_ok(toksim_sd_to_binary(&b, &n, sd), NULL);
    toksim_sd *back = NULL;
    ts_assert_ok(toksim_sd_from_binary(&back, b, n, &e), NULL);
    char *text = NULL;
    ts_assert_ok(toksim_sd_to_sddl(&text, back, NULL), NULL);
    cr_expect_str_eq(
        text,
        "D:(XA;;FX;;;WD;((@User.Title == \"PM\") && ((@User.Division == \"Finance\") || "
        "(@User.Division == \"Sales\"))))");
    free(text);
    free(b);
    toksim_sd_free(sd);
    toksim_sd_free(back);
}

Test(sddl_cond, every_literal_kind_round_trips)
{
    const char *conds[] = {
        "D:(XA;;FX;;;WD;(@User.n == -42))",
        "D:(XA;;FX;;;WD;(@User.n == +042))",
        "D:(XA;;FX;;;WD;(@Resource.blob == #00ff10))",
        "D:(XA;;FX;;;WD;(Member_of_Any {SID(BA), SID(S-1-5-21-1-2-3-513)}))",
        "D:(XA;;FX;;;WD;(Not_Exists WIN://SYSAPPID))",
        "D:(XA;;FX;;;WD;(!(@User.clearance >= 3)))",
        "D:(XA;;FX;;;WD;(@User.Project Any_of @Resource.Project))",
        "D:(XA;;FX;;;WD;(@User.s Not_Contains {\"x\", \"y\"}))",
        "D:(XA;;FX;;;WD;(@User.name == \"gr\xc3\xbc\xc3\x9f \xf0\x9f\x98\x80\"))",
    };
    for (size_t i = 0; i < sizeof conds / sizeof conds[0]; i++) {
        toksim_sd *sd = NULL, *back = NULL, *again = NULL;
        toksim_error e = {0};
        cr_assert_eq(toksim_sd_from_sddl(&sd, conds[i], NULL, &e), TOKSIM_OK, "%s: %s",
                     conds[i], e.message);
        uint8_t *b, *b2;
        size_t n, n2;
        cr_assert_eq(toksim_sd_to_binary(&b, &n, sd), TOKSIM_OK, "%s", conds[i]);
        ts_assert_ok(toksim_sd_from_binary(&back, b, n, &e), NULL);
        char *text = NULL;
        cr_assert_eq(toksim_sd_to_sddl(&text, back, NULL), TOKSIM_OK, "%s", conds[i]);
        cr_assert_eq(toksim_sd_from_sddl(&again, text, NULL, &e), TOKSIM_OK, "%s: %s",
                     text, e.message);
        ts_assert_ok(toksim_sd_to_binary(&b2, &n2, again), NULL);
        cr_expect(n == n2 && memcmp(b, b2, n) == 0, "%s -> %s", conds[i], text);
        free(text);
        free(b);
        free(b2);
        toksim_sd_free(sd);
        toksim_sd_free(back);
        toksim_sd_free(again);
    }
}

Test(sddl_cond, bad_conditions_are_refused_while_parsing_with_their_offset)
{
    static const struct {
        const char *sddl;
        size_t offset;
        const char *msg;
    } bad[] = {
        {"D:(XA;;FX;;;WD;(@User.x == ))", 26, "expected a value"},
        {"D:(XA;;FX;;;WD;(@Nobody.x == 1))", 16, "@User., @Device. or @Resource."},
        {"D:(XA;;FX;;;WD;(@User.x == 99999999999999999999))", 27, "64 bits"},
        {"D:(XA;;FX;;;WD;(@User.x == #abc))", 28, "even number"},
        {"D:(XA;;FX;;;WD;(@User.x == 1 junk))", 29,
         "unexpected text after the condition"},
        {"D:(XA;;FX;;;WD;(Member_of {SID(QQ)}))", 31, "unknown SID alias 'QQ'"},
        {"D:(XA;;FX;;;WD;(@User.x == {1, 2))", 32, "expected ',' or '}'"},
        {"D:(XA;;FX;;;WD;((@User.x == 1))", 31, "expected ')' to close the ACE"},
        {"S:(RA;;;;;WD;(\"n\",TQ,0,1))", 18, "TI, TU, TS"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        toksim_sd *sd = NULL;
        toksim_error e = {0};
        cr_expect_neq(toksim_sd_from_sddl(&sd, bad[i].sddl, NULL, &e), TOKSIM_OK,
                      "%s accepted", bad[i].sddl);
        cr_expect_eq(e.offset, bad[i].offset, "%s: offset %zu (%s)", bad[i].sddl,
                     e.offset, e.message);
        cr_expect(strstr(e.message, bad[i].msg) != NULL, "%s: '%s'", bad[i].sddl,
                  e.message);
        toksim_sd_free(sd);
    }
}

Test(sddl_cond, foreign_callback_data_cannot_become_sddl)
{
    /* XA whose application data is not "artx": bytes survive, SDDL refuses rather than
     * guess */
    static const uint8_t sd_bytes[] = {
        0x01, 0x00, 0x04, 0x80, 0,    0,    0,    0,    0,    0,    0,    0,
        0,    0,    0,    0,    0x14, 0,    0,    0,    0x02, 0x00, 0x24, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x09, 0x00, 0x1c, 0x00, 0xa0, 0x00, 0x12, 0x00,
        0x01, 0x01, 0,    0,    0,    0,    0,    1,    0,    0,    0,    0,
        'x',  'y',  'z',  'w',  0x80, 0,    0,    0};
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_sd_from_binary(&sd, sd_bytes, sizeof sd_bytes, &e), TOKSIM_OK,
                 "%s", e.message);
    char *text = NULL;
    cr_expect_eq(toksim_sd_to_sddl(&text, sd, NULL), TOKSIM_EUNSUPPORTED);
    cr_expect_null(text);
    toksim_sd_free(sd);
}

Test(sddl_cond, resource_attribute_values_round_trip)
{
    const char *v =
        "S:(RA;;;;;WD;(\"n\",TI,0x10,-5,7))(RA;;;;;WD;(\"u\",TU,0,18446744073709551615))"
        "(RA;;;;;WD;(\"b\",TB,0,1))(RA;;;;;WD;(\"s\",TD,0,SID(S-1-5-32-544)))(RA;;;;;WD;("
        "\"x\",TX,0,#00ff))";
    toksim_sd *sd = NULL, *back = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_sd_from_sddl(&sd, v, NULL, &e), TOKSIM_OK, "%s", e.message);
    uint8_t *b;
    size_t n;
    ts_assert_ok(toksim_sd_to_binary(&b, &n, sd), NULL);
    ts_assert_ok(toksim_sd_from_binary(&back, b, n, NULL), NULL);
    char *text = NULL;
    ts_assert_ok(toksim_sd_to_sddl(&text, back, NULL), NULL);
    cr_expect_str_eq(text, v);
    free(text);
    free(b);
    toksim_sd_free(sd);
    toksim_sd_free(back);
    const char *bad[] = {"S:(RA;;;;;WD;(\"n\",TQ,0,1))", "S:(RA;;;;;WD;(n,TI,0,1))",
                         "S:(RA;;;;;WD;(\"n\",TU,0,-1))", "S:(RA;;;;;WD;(\"n\",TB,0,2))",
                         "S:(RA;;;;;WD;(\"n\",TI,0))"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_neq(toksim_sd_from_sddl(&sd, bad[i], NULL, &e), TOKSIM_OK, "%s",
                      bad[i]);
}

/* Strings of a condition are UTF-8 in SDDL text and UTF-16LE in the binary form: a
 * character outside the BMP becomes a surrogate pair and comes back; malformed UTF-8 is
 * refused with its offset (RFC 3629: no overlong form, no surrogate, nothing above
 * U+10FFFF). */
static void cond_fails_at(const char *sddl, size_t offset, const char *what)
{
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_sd_from_sddl(&sd, sddl, NULL, &e), TOKSIM_EPARSE, "%s", sddl);
    cr_assert_null(sd);
    cr_assert_eq(e.offset, offset, "%s: offset %zu, expected %zu (%s)", sddl, e.offset,
                 offset, e.message);
    cr_assert(strstr(e.message, what), "%s: message '%s' lacks '%s'", sddl, e.message,
              what);
}

Test(sddl_cond, utf8_strings_round_trip_through_utf16)
{
    const char *sddl =
        "D:(XA;;FR;;;WD;(@User.Title == \"caf\xC3\xA9 \xF0\x9F\x98\x80\"))";
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_sd_from_sddl(&sd, sddl, NULL, &e), e.message);
    uint8_t *b = NULL;
    size_t n = 0;
    ts_assert_ok(toksim_sd_to_binary(&b, &n, sd), NULL);
    /* U+1F600 as UTF-16LE: D83D DE00 */
    static const uint8_t pair[] = {0x3D, 0xD8, 0x00, 0xDE};
    bool found = false;
    for (size_t i = 0; i + sizeof pair <= n; i++)
        found = found || memcmp(b + i, pair, sizeof pair) == 0;
    cr_assert(found, "no surrogate pair in the binary condition");
    toksim_sd *back = NULL;
    ts_assert_ok(toksim_sd_from_binary(&back, b, n, &e), e.message);
    char *text = NULL;
    ts_assert_ok(toksim_sd_to_sddl(&text, back, NULL), NULL);
    cr_assert(strstr(text, "caf\xC3\xA9 \xF0\x9F\x98\x80"), "%s", text);
    free(text);
    free(b);
    toksim_sd_free(sd);
    toksim_sd_free(back);
}

Test(sddl_cond, malformed_utf8_is_refused_with_its_offset)
{
    /* The string starts at offset 32 (after the opening quote). */
    cond_fails_at("D:(XA;;FR;;;WD;(@User.Title == \"\xC0\xAF\"))", 32, "UTF-8");
    cond_fails_at("D:(XA;;FR;;;WD;(@User.Title == \"\xE0\x80\xAF\"))", 32, "overlong");
    cond_fails_at("D:(XA;;FR;;;WD;(@User.Title == \"\xED\xA0\x80\"))", 32, "code point");
    cond_fails_at("D:(XA;;FR;;;WD;(@User.Title == \"a\xC3(\"))", 34, "UTF-8");
}
