/* PURPOSE: security templates: UTF-16LE (BOM) and UTF-8 import, names and SIDs, comments,
 * empty values, errors naming file/line/problem, and export in secedit's form with a
 * round trip. */
#include "h4_test_util.h"

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    static uint8_t buf[1 << 16];
    *len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return buf;
}

static toksim_policy *parse_file(const char *path, const toksim_world *w)
{
    size_t n;
    uint8_t *d = slurp(path, &n);
    toksim_policy *p = NULL;
    toksim_error e = {0};
    h4_ok(toksim_policy_parse_inf(&p, d, n, path, w, &e), e);
    return p;
}

Test(inf, utf16le_bom_secedit_export)
{
    toksim_world *w = h4_world(NULL);
    toksim_policy *p = parse_file("tests/data/inf/secedit_export_utf16.inf", w);
    size_t n = 0;
    const toksim_sid *h = toksim_policy_holders(p, TOKSIM_PRIV_IMPERSONATE, &n);
    cr_assert_eq(n, 4u);
    toksim_sid svc = ts_test_sid("S-1-5-6"),
               guest = ts_test_sid("S-1-5-21-1000-2000-3000-501");
    cr_assert(toksim_sid_equal(&h[3], &svc));
    cr_assert(toksim_policy_has(p, TOKSIM_RIGHT_INTERACTIVE_LOGON, &guest),
              "'Guest' resolved through the world");
    cr_assert(toksim_policy_has(p, TOKSIM_RIGHT_DENY_NETWORK_LOGON, &guest));
    cr_assert_not(toksim_policy_defined(p, TOKSIM_PRIV_DEBUG),
                  "only listed rights are defined");
    toksim_policy_free(p);
    toksim_world_free(w);
}

Test(inf, utf8_without_bom_comments_and_inline_comment)
{
    toksim_policy *p = parse_file("tests/data/inf/gpo_no_network_service.inf", NULL);
    size_t n = 0;
    const toksim_sid *h = toksim_policy_holders(p, TOKSIM_PRIV_IMPERSONATE, &n);
    cr_assert_eq(n, 2u);
    toksim_sid ls = ts_test_sid("S-1-5-19");
    cr_assert(toksim_sid_equal(&h[1], &ls));
    toksim_policy_free(p);
}

Test(inf, utf8_bom_names_quotes_empty_values)
{
    toksim_policy *p = parse_file("tests/data/inf/names_utf8_bom.inf", NULL);
    toksim_sid ns = ts_test_sid("S-1-5-20"), iis = ts_test_sid("S-1-5-32-568");
    cr_assert(toksim_policy_has(p, TOKSIM_RIGHT_SERVICE_LOGON, &ns));
    cr_assert(toksim_policy_has(p, TOKSIM_RIGHT_SERVICE_LOGON, &iis));
    cr_assert(toksim_policy_has(p, TOKSIM_RIGHT_BATCH_LOGON, &iis));
    cr_assert(toksim_policy_defined(p, TOKSIM_PRIV_TCB),
              "'SeTcbPrivilege =' defines the right with no holder");
    size_t n = 5;
    (void)toksim_policy_holders(p, TOKSIM_PRIV_TCB, &n);
    cr_assert_eq(n, 0u);
    size_t nb = 0;
    (void)toksim_policy_holders(p, TOKSIM_RIGHT_BATCH_LOGON, &nb);
    cr_assert_eq(nb, 2u, "a trailing comma adds nobody");
    toksim_policy_free(p);
}

static void expect_error(
    const char *text, size_t len, toksim_status code, int line, const char *needle)
{
    toksim_policy *p = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_policy_parse_inf(&p, text, len, "t.inf", NULL, &e), code, "%s",
                 e.message);
    cr_assert_null(p);
    cr_assert_str_eq(e.where, "t.inf");
    cr_assert_eq(e.line, line, "line %d, message %s", e.line, e.message);
    cr_assert(strstr(e.message, needle), "'%s' lacks '%s'", e.message, needle);
}

Test(inf, errors_name_file_line_and_problem)
{
    size_t n;
    uint8_t *d = slurp("tests/data/inf/bad_unknown_right.inf", &n);
    toksim_policy *p = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_policy_parse_inf(&p, d, n, "tests/data/inf/bad_unknown_right.inf",
                                         NULL, &e),
                 TOKSIM_ENOTFOUND);
    cr_assert_str_eq(e.where, "tests/data/inf/bad_unknown_right.inf");
    cr_assert_eq(e.line, 5);
    cr_assert(strstr(e.message, "SeImpersonatePrivlege"), "%s", e.message);
    const char *bad_sid =
        "[Privilege Rights]\nSeDebugPrivilege = *S-1-5-32-544,*S-1-5-x\n";
    expect_error(bad_sid, strlen(bad_sid), TOKSIM_EPARSE, 2, "S-1-5-x");
    const char *no_eq = "[Privilege Rights]\r\n\r\nSeDebugPrivilege *S-1-5-32-544\r\n";
    expect_error(no_eq, strlen(no_eq), TOKSIM_EPARSE, 3, "expected");
    const char *outside = "SeDebugPrivilege = *S-1-5-32-544\n";
    expect_error(outside, strlen(outside), TOKSIM_EPARSE, 1, "section");
    const char *who = "[Privilege Rights]\nSeDebugPrivilege = Nobody Special\n";
    expect_error(who, strlen(who), TOKSIM_ENOTFOUND, 2, "Nobody Special");
    const char *hdr = "[Privilege Rights\n";
    expect_error(hdr, strlen(hdr), TOKSIM_EPARSE, 1, "section header");
    const uint8_t odd[] = {0xFF, 0xFE, '[', 0, 'P'};
    expect_error((const char *)odd, sizeof odd, TOKSIM_EPARSE, 1, "odd number");
    const uint8_t be[] = {0xFE, 0xFF, 0, '['};
    expect_error((const char *)be, sizeof be, TOKSIM_EPARSE, 1, "big-endian");
}

Test(inf, export_is_secedit_form)
{
    toksim_policy *p = NULL;
    toksim_error e = {0};
    h4_ok(toksim_policy_new_profile(&p, "win10", NULL, &e), e);
    uint8_t *b = NULL;
    size_t n = 0;
    ts_assert_ok(toksim_policy_to_inf(&b, &n, p), NULL);
    cr_assert(n > 2 && b[0] == 0xFF && b[1] == 0xFE, "UTF-16LE BOM");
    cr_assert_eq(n % 2, 0u);
    char *ascii = malloc(n / 2);
    for (size_t i = 2; i < n; i += 2) {
        cr_assert_eq(b[i + 1], 0, "ASCII only, little-endian");
        ascii[i / 2 - 1] = (char)b[i];
    }
    ascii[n / 2 - 1] = '\0';
    const char *head = "[Unicode]\r\nUnicode=yes\r\n[Version]\r\nsignature=\"$CHICAGO$"
                       "\"\r\nRevision=1\r\n"
                       "[Privilege Rights]\r\n";
    cr_assert_eq(strncmp(ascii, head, strlen(head)), 0, "%s", ascii);
    cr_assert(strstr(ascii, "\r\nSeImpersonatePrivilege = "
                            "*S-1-5-19,*S-1-5-20,*S-1-5-32-544,*S-1-5-6\r\n"),
              "%s", ascii);
    cr_assert_null(strstr(ascii, "SeTcbPrivilege"), "rights without holders are omitted");
    for (char *q = strchr(ascii, '\n'); q; q = strchr(q + 1, '\n'))
        cr_assert_eq(q[-1], '\r', "every line ends with CRLF");
    free(ascii);
    free(b);
    toksim_policy_free(p);
}

Test(inf, round_trip_through_export)
{
    toksim_world *w = h4_world(NULL);
    toksim_policy *src = parse_file("tests/data/inf/secedit_export_utf16.inf", w);
    toksim_policy *names = parse_file("tests/data/inf/names_utf8_bom.inf", NULL);
    ts_assert_ok(toksim_policy_apply(src, names), NULL);
    uint8_t *b = NULL;
    size_t n = 0;
    ts_assert_ok(toksim_policy_to_inf(&b, &n, src), NULL);
    toksim_policy *back = NULL;
    toksim_error e = {0};
    h4_ok(toksim_policy_parse_inf(&back, b, n, "export.inf", NULL, &e), e);
    for (size_t i = 0; i < toksim_right_count(); i++) {
        uint32_t r = toksim_right_at(i)->right;
        size_t n1 = 0, n2 = 0;
        const toksim_sid *h1 = toksim_policy_holders(src, r, &n1),
                         *h2 = toksim_policy_holders(back, r, &n2);
        cr_assert_eq(n1, n2, "%s", toksim_right_at(i)->name);
        for (size_t k = 0; k < n1; k++)
            cr_assert(toksim_sid_equal(&h1[k], &h2[k]), "%s holder %zu",
                      toksim_right_at(i)->name, k);
    }
    char *t1 = NULL, *t2 = NULL;
    ts_assert_ok(toksim_policy_to_inf_text(&t1, src), NULL);
    ts_assert_ok(toksim_policy_to_inf_text(&t2, back), NULL);
    cr_assert_str_eq(t1, t2);
    free(t1);
    free(t2);
    free(b);
    toksim_policy_free(back);
    toksim_policy_free(names);
    toksim_policy_free(src);
    toksim_world_free(w);
}

Test(inf, decoding_errors_carry_line_and_column)
{
    toksim_world *w = h4_world("win10");
    toksim_policy *p = NULL;
    toksim_error e = {0};
    static const uint8_t utf8[] = "[Unicode]\nUnicode=yes\nab\0c\n";
    cr_assert_eq(toksim_policy_parse_inf(&p, utf8, sizeof utf8 - 1, "u8.inf", w, &e),
                 TOKSIM_EPARSE);
    cr_assert_eq(e.line, 3, "%d:%d %s", e.line, e.column, e.message);
    cr_assert_eq(e.column, 3, "%d:%d %s", e.line, e.column, e.message);
    cr_assert_eq(e.offset, 24);
    /* UTF-16LE with BOM: "a\nbc" then an unpaired low surrogate at line 2, column 3 */
    static const uint8_t utf16[] = {0xFF, 0xFE, 'a', 0, '\n', 0,
                                    'b',  0,    'c', 0, 0x00, 0xDC};
    toksim_error_clear(&e);
    cr_assert_eq(toksim_policy_parse_inf(&p, utf16, sizeof utf16, "u16.inf", w, &e),
                 TOKSIM_EPARSE);
    cr_assert_eq(e.line, 2, "%d:%d %s", e.line, e.column, e.message);
    cr_assert_eq(e.column, 3, "%d:%d %s", e.line, e.column, e.message);
    cr_assert(strstr(e.message, "low surrogate"), "%s", e.message);
    toksim_world_free(w);
}

Test(inf, empty_or_comment_only_template_is_an_error)
{
    toksim_world *w = h4_world("win10");
    static const char *const docs[] = {"", "\n\n  \n", "; only a comment\n"};
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        toksim_policy *p = NULL;
        toksim_error e = {0};
        cr_assert_eq(toksim_policy_parse_inf(&p, (const uint8_t *)docs[i],
                                             strlen(docs[i]), "e.inf", w, &e),
                     TOKSIM_EPARSE, "'%s'", docs[i]);
        cr_assert_null(p);
        cr_assert(strstr(e.message, "empty template"), "%s", e.message);
        cr_assert_eq(e.line, 1);
        cr_assert_str_eq(e.where, "e.inf");
    }
    toksim_world_free(w);
}
