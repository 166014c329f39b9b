/*
 * PURPOSE: SDDL parsing and canonical formatting (MS-DTYP 2.5.1; ACE Strings).
 * Data-driven vectors live in tests/data/sddl/ (canonical.txt, should_fail.txt); the
 * tests here also walk every ACE type, flag and right alias of the SDDL table.
 */
#include <stdio.h>
#include <stdlib.h>
#include "sddl_vectors.h"

/* Domain and machine used by the data files for relative aliases (DA, LA ...). */
static toksim_sid sddl_dom, sddl_mach;
static toksim_sid_context sddl_ctx(void)
{
    sddl_dom = ts_test_sid("S-1-5-21-1-2-3");
    sddl_mach = ts_test_sid("S-1-5-21-4-5-6");
    toksim_sid_context c = {&sddl_dom, &sddl_mach};
    return c;
}

/* Parse, format, and return the canonical text (caller frees); fails the test on error.
 */
static char *canon(const char *in)
{
    toksim_sid_context c = sddl_ctx();
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    toksim_status rc = toksim_sd_from_sddl(&sd, in, &c, &e);
    cr_assert_eq(rc, TOKSIM_OK, "parse '%s': %s (offset %zu)", in, e.message, e.offset);
    char *out = NULL;
    ts_assert_ok(toksim_sd_to_sddl(&out, sd, &c), NULL);
    toksim_sd_free(sd);
    return out;
}

static toksim_sd *parse_ok(const char *in)
{
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    toksim_sid_context c = sddl_ctx();
    cr_assert_eq(toksim_sd_from_sddl(&sd, in, &c, &e), TOKSIM_OK, "parse '%s': %s", in,
                 e.message);
    return sd;
}

static void check_canonical(const char *in, const char *want, int line)
{
    char *got = canon(in);
    cr_expect_str_eq(got, want, "canonical.txt:%d: '%s' gave '%s', want '%s'", line, in,
                     got, want);
    /* canonical output is a fixed point */
    char *again = canon(got);
    cr_expect_str_eq(again, got, "canonical.txt:%d: not a fixed point", line);
    free(again);
    free(got);
}

Test(sddl, canonical_vectors)
{
    int n = ts_each_vector("tests/data/sddl/canonical.txt", " -> ", check_canonical);
    cr_assert_geq(n, 30);
}

static void check_fail(const char *in, const char *spec, int line)
{
    char *end;
    unsigned long off = strtoul(spec, &end, 10);
    const char *text = end + 1;
    toksim_sid_context c = sddl_ctx();
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    toksim_status rc = toksim_sd_from_sddl(&sd, in, &c, &e);
    cr_expect_neq(rc, TOKSIM_OK, "should_fail.txt:%d: '%s' was accepted", line, in);
    if (rc == TOKSIM_OK) {
        toksim_sd_free(sd);
        return;
    }
    cr_expect_eq(e.offset, off, "should_fail.txt:%d: '%s' offset %zu, want %lu (%s)",
                 line, in, e.offset, off, e.message);
    cr_expect(strstr(e.message, text) != NULL,
              "should_fail.txt:%d: message '%s' lacks '%s'", line, e.message, text);
}

Test(sddl, should_fail_vectors_name_offset_and_expectation)
{
    int n = ts_each_vector("tests/data/sddl/should_fail.txt", " => ", check_fail);
    cr_assert_geq(n, 20);
}

Test(sddl, every_ace_type_round_trips)
{
    static const struct {
        const char *sddl;
        uint8_t type;
    } v[] = {
        {"D:(A;;GA;;;WD)", 0x00},
        {"D:(D;;GA;;;WD)", 0x01},
        {"S:(AU;SA;GA;;;WD)", 0x02},
        {"S:(AL;SA;GA;;;WD)", 0x03},
        {"D:(OA;;CR;bf967aba-0de6-11d0-a285-00aa003049e2;;WD)", 0x05},
        {"D:(OD;;CR;bf967aba-0de6-11d0-a285-00aa003049e2;;WD)", 0x06},
        {"S:(OU;SA;CR;;bf967aba-0de6-11d0-a285-00aa003049e2;WD)", 0x07},
        {"S:(OL;SA;CR;bf967aba-0de6-11d0-a285-00aa003049e2;;WD)", 0x08},
        {"D:(XA;;FX;;;WD;(@User.Title==\"PM\"))", 0x09},
        {"D:(XD;;FX;;;WD;(Member_of {SID(BA)}))", 0x0A},
        {"D:(ZA;;CR;bf967aba-0de6-11d0-a285-00aa003049e2;;WD;(@User.x==1))", 0x0B},
        {"S:(XU;SA;FX;;;WD;(@User.x==1))", 0x0D},
        {"S:(ML;;NW;;;HI)", 0x11},
        {"S:(RA;;;;;WD;(\"Project\",TS,0,\"Windows\",\"SQL\"))", 0x12},
        {"S:(SP;;;;;S-1-17-1)", 0x13},
        {"S:(TL;;0x200;;;S-1-19-512-8192)", 0x14},
        {"S:(FL;TP;FX;;;WD;(Exists WIN://SYSAPPID))", 0x15},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        toksim_sd *sd = parse_ok(v[i].sddl);
        toksim_acl *acl = sd->dacl ? sd->dacl : sd->sacl;
        cr_assert(acl && acl->count == 1, "%s", v[i].sddl);
        cr_expect_eq(acl->aces[0].type, v[i].type, "%s: type 0x%02x", v[i].sddl,
                     acl->aces[0].type);
        char *out = NULL;
        ts_assert_ok(toksim_sd_to_sddl(&out, sd, NULL), NULL);
        cr_expect_str_eq(out, v[i].sddl);
        free(out);
        toksim_sd_free(sd);
    }
}

Test(sddl, every_ace_flag_and_the_output_order)
{
    static const struct {
        const char *f;
        uint8_t v;
    } fl[] = {{"OI", 0x01}, {"CI", 0x02}, {"NP", 0x04}, {"IO", 0x08},
              {"ID", 0x10}, {"CR", 0x20}, {"SA", 0x40}, {"FA", 0x80}};
    for (size_t i = 0; i < sizeof fl / sizeof fl[0]; i++) {
        char in[64];
        snprintf(in, sizeof in, "S:(AU;%s;GA;;;WD)", fl[i].f);
        toksim_sd *sd = parse_ok(in);
        cr_expect_eq(sd->sacl->aces[0].flags, fl[i].v, "%s", fl[i].f);
        toksim_sd_free(sd);
        char *out = canon(in);
        cr_expect_str_eq(out, in);
        free(out);
    }
    char *out = canon("S:(AU;FASAIDIONPCIOI;GA;;;WD)");
    cr_expect_str_eq(out, "S:(AU;OICINPIOIDSAFA;GA;;;WD)");
    free(out);
    /* TP is the 0x40 bit of access-filter ACEs; elsewhere 0x40 prints as SA */
    out = canon("S:(FL;TP;GA;;;WD;(Exists a))(AU;TP;GA;;;WD)");
    cr_expect_str_eq(out, "S:(FL;TP;GA;;;WD;(Exists a))(AU;SA;GA;;;WD)");
    free(out);
}

Test(sddl, every_right_alias_has_its_value)
{
    static const struct {
        const char *a;
        uint32_t v;
    } r[] = {{"GA", 0x10000000u}, {"GR", 0x80000000u}, {"GW", 0x40000000u},
             {"GX", 0x20000000u}, {"RC", 0x20000u},    {"SD", 0x10000u},
             {"WD", 0x40000u},    {"WO", 0x80000u},    {"CC", 0x1},
             {"DC", 0x2},         {"LC", 0x4},         {"SW", 0x8},
             {"RP", 0x10},        {"WP", 0x20},        {"DT", 0x40},
             {"LO", 0x80},        {"CR", 0x100},       {"FA", 0x1F01FFu},
             {"FR", 0x120089u},   {"FW", 0x120116u},   {"FX", 0x1200A0u},
             {"KA", 0xF003Fu},    {"KR", 0x20019u},    {"KW", 0x20006u},
             {"KX", 0x20019u},    {"NR", 0x2},         {"NW", 0x1},
             {"NX", 0x4}};
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
        uint32_t m = 0;
        toksim_error e = {0};
        toksim_error *ep = &e;
        ts_assert_ok(toksim_sddl_parse_rights(&m, r[i].a, ep), ep);
        cr_expect_eq(m, r[i].v, "%s = 0x%x", r[i].a, m);
        char buf[64];
        toksim_sddl_format_rights(buf, sizeof buf, m);
        if (strcmp(r[i].a, "KX") == 0)
            cr_expect_str_eq(buf, "KR"); /* KEY_EXECUTE == KEY_READ: Windows prints KR */
        else if (r[i].a[0] == 'N')
            cr_expect_str_eq(buf, r[i].v == 1   ? "CC"
                                  : r[i].v == 2 ? "DC"
                                                : "LC"); /* outside ML ACEs */
        else
            cr_expect_str_eq(buf, r[i].a);
    }
}

Test(sddl, windows_model_rights_vectors)
{
    /* windows-model §13.2 and the ACE Strings worked examples */
    static const struct {
        const char *t;
        uint32_t v;
    } r[] = {{"RPWPCCDCLCSWRCWDWOGA", 0x100E003Fu},
             {"RPWPCCDCLCRCWOWDSDSW", 0x000F003Fu},
             {"RPLCRC", 0x00020014u},
             {"WDWOSDWPCCDCSW", 0x000D002Bu},
             {"rc wd", 0x60000u},
             {"0X1F", 0x1f},
             {"0", 0},
             {"", 0},
             {"4294967295", 0xFFFFFFFFu}};
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
        uint32_t m = 1;
        toksim_error e = {0};
        toksim_error *ep = &e;
        ts_assert_ok(toksim_sddl_parse_rights(&m, r[i].t, ep), ep);
        cr_expect_eq(m, r[i].v, "'%s' = 0x%x", r[i].t, m);
    }
    uint32_t m;
    /* Above 32 bits Windows clamps to 0xffffffff (Samba, windows_is_weird.txt). */
    cr_expect_eq(toksim_sddl_parse_rights(&m, "4294967296", NULL), TOKSIM_OK);
    cr_expect_eq(m, 0xFFFFFFFFu);
    cr_expect_eq(toksim_sddl_parse_rights(&m, "GAX", NULL), TOKSIM_EPARSE);
    char buf[8];
    size_t need = toksim_sddl_format_rights(buf, sizeof buf, 0xF01FF);
    cr_expect_eq(need, strlen("CCDCLCSWRPWPDTLOCRSDRCWDWO"));
    cr_expect_str_eq(buf, "CCDCLCS"); /* snprintf semantics */
}

Test(sddl, control_bits_and_acl_states)
{
    toksim_sd *sd = parse_ok("D:PARAI(A;;GA;;;WD)S:PARAI");
    cr_expect_eq(sd->control,
                 TOKSIM_SE_DACL_PRESENT | TOKSIM_SE_DACL_PROTECTED |
                     TOKSIM_SE_DACL_AUTO_INHERIT_REQ | TOKSIM_SE_DACL_AUTO_INHERITED |
                     TOKSIM_SE_SACL_PRESENT | TOKSIM_SE_SACL_PROTECTED |
                     TOKSIM_SE_SACL_AUTO_INHERIT_REQ | TOKSIM_SE_SACL_AUTO_INHERITED);
    cr_expect(sd->sacl && sd->sacl->count == 0, "S: with flags only is an empty SACL");
    toksim_sd_free(sd);
    sd = parse_ok("D:NO_ACCESS_CONTROL");
    cr_expect(sd->control & TOKSIM_SE_DACL_PRESENT);
    cr_expect_null(sd->dacl, "NO_ACCESS_CONTROL is a NULL DACL");
    toksim_sd_free(sd);
    sd = parse_ok("D:");
    cr_expect(sd->dacl && sd->dacl->count == 0, "D: alone is an empty DACL");
    toksim_sd_free(sd);
    sd = parse_ok("O:BA");
    cr_expect(!(sd->control & TOKSIM_SE_DACL_PRESENT) && !sd->dacl, "no D: = no DACL");
    toksim_sd_free(sd);
}

Test(sddl, context_dependent_letters_resolve_by_position)
{
    toksim_sd *sd = parse_ok("O:WDG:RCD:(A;FA;WDRC;;;RC)");
    toksim_sid everyone = ts_test_sid("S-1-1-0");
    cr_expect(toksim_sid_equal(&sd->owner, &everyone), "WD as owner = Everyone");
    toksim_sid restricted = ts_test_sid("S-1-5-12");
    cr_expect(toksim_sid_equal(&sd->group, &restricted), "RC as group = RESTRICTED");
    cr_expect_eq(sd->dacl->aces[0].mask, 0x60000u,
                 "WDRC as rights = WRITE_DAC|READ_CONTROL");
    cr_expect_eq(sd->dacl->aces[0].flags, 0x80u, "FA as flag = FAILED_ACCESS");
    cr_expect(toksim_sid_equal(&sd->dacl->aces[0].sid, &restricted));
    toksim_sd_free(sd);
}

Test(sddl, relative_alias_needs_context)
{
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    cr_expect_eq(toksim_sd_from_sddl(&sd, "O:DA", NULL, &e), TOKSIM_ENOTFOUND);
    cr_expect(strstr(e.message, "domain") != NULL, "%s", e.message);
    cr_expect_eq(e.offset, 2);
    sd = parse_ok("O:DAD:(A;;GA;;;LA)");
    toksim_sid da = ts_test_sid("S-1-5-21-1-2-3-512"),
               la = ts_test_sid("S-1-5-21-4-5-6-500");
    cr_expect(toksim_sid_equal(&sd->owner, &da));
    cr_expect(toksim_sid_equal(&sd->dacl->aces[0].sid, &la));
    /* without the context the formatter writes the numeric SID, never a guessed alias */
    char *out = NULL;
    ts_assert_ok(toksim_sd_to_sddl(&out, sd, NULL), NULL);
    cr_expect_str_eq(out, "O:S-1-5-21-1-2-3-512D:(A;;GA;;;S-1-5-21-4-5-6-500)");
    free(out);
    toksim_sd_free(sd);
}

Test(sddl, condition_text_is_kept_verbatim)
{
    toksim_sd *sd =
        parse_ok("D:(XA;;FX;;;WD;( (@User.Title == \"P)M\") && Member_of {SID(BA)} ))");
    cr_expect_str_eq(sd->dacl->aces[0].sddl_extra,
                     "(@User.Title == \"P)M\") && Member_of {SID(BA)}");
    cr_expect_null(sd->dacl->aces[0].app_data);
    toksim_sd_free(sd);
}

Test(sddl, caps_on_length_and_ace_count)
{
    size_t n = TOKSIM_SDDL_MAX_LEN + 10;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    big[n] = '\0';
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    cr_expect_eq(toksim_sd_from_sddl(&sd, big, NULL, &e), TOKSIM_ELIMIT);
    free(big);
    const char *ace = "(A;;GA;;;WD)";
    size_t count = TOKSIM_ACL_MAX_ACES + 1;
    big = malloc(2 + count * strlen(ace) + 1);
    memcpy(big, "D:", 2);
    for (size_t i = 0; i < count; i++)
        memcpy(big + 2 + i * strlen(ace), ace, strlen(ace) + 1);
    cr_expect_eq(toksim_sd_from_sddl(&sd, big, NULL, &e), TOKSIM_ELIMIT);
    cr_expect(strstr(e.message, "ACEs") != NULL, "%s", e.message);
    free(big);
}

Test(sddl, every_sid_alias_of_the_table_round_trips)
{
    /* Each alias of the well-known table parses as a SID field and is written back as
     * itself. */
    size_t n = toksim_wellknown_count(), tested = 0;
    for (size_t i = 0; i < n; i++) {
        const toksim_wellknown *w = toksim_wellknown_at(i);
        if (!w->alias || !w->alias[0])
            continue;
        char in[64];
        snprintf(in, sizeof in, "O:%sD:(A;;GA;;;%s)", w->alias, w->alias);
        char *out = canon(in);
        cr_expect_str_eq(out, in, "alias %s (%s)", w->alias, w->name);
        free(out);
        tested++;
    }
    cr_assert_geq(tested, 40, "the table should hold the SDDL aliases of ACE Strings");
}
