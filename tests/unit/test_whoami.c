/*
 * PURPOSE: the `whoami /all` importer: the realistic captures of tests/data/whoami/ (IIS
 * app pool worker, SYSTEM, a UAC-filtered administrator saved as UTF-16LE by PowerShell,
 * a domain user in /fo list and /fo csv, /priv and /groups alone), the attribute words ->
 * SE_GROUP_* bits, the label row -> integrity, deny-only and logon SIDs, per-machine
 * column widths, errors with their line/column, caps, and the round trip through
 * toksim_token_render_whoami().
 */
#include "../helpers.h"
#include <stdio.h>
#include <stdlib.h>

#define WD "tests/data/whoami/"

/* Assert success, printing the detail of a toksim_error variable (not a pointer). */
#define w_ok(expr, e)                                                                    \
    do {                                                                                 \
        toksim_status rc_ = (expr);                                                      \
        cr_assert(rc_ == TOKSIM_OK, "%s failed: %s (%s)", #expr, toksim_strerror(rc_),   \
                  (e).message);                                                          \
    } while (0)

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    char *buf = malloc(1 << 20);
    cr_assert_not_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static toksim_token *load(const char *path, toksim_whoami_info *info)
{
    size_t len;
    char *text = slurp(path, &len);
    toksim_token *tok = NULL;
    toksim_error e = {0};
    toksim_status rc = toksim_token_from_whoami_ex(&tok, info, text, len, NULL, &e);
    cr_assert_eq(rc, TOKSIM_OK, "%s: %d:%d: %s", path, e.line, e.column, e.message);
    free(text);
    return tok;
}

static toksim_token *parse_ok(const char *text, toksim_whoami_info *info)
{
    toksim_token *tok = NULL;
    toksim_error e = {0};
    toksim_status rc =
        toksim_token_from_whoami_ex(&tok, info, text, strlen(text), NULL, &e);
    cr_assert_eq(rc, TOKSIM_OK, "%d:%d: %s\n%s", e.line, e.column, e.message, text);
    return tok;
}

/* Parse text that must fail with `code` at line:col, with `needle` in the message. */
static void parse_fails(const char *text,
                        size_t len,
                        toksim_status code,
                        int line,
                        int col,
                        const char *needle)
{
    toksim_token *tok = NULL;
    toksim_error e = {0};
    toksim_status rc = toksim_token_from_whoami(&tok, text, len, NULL, &e);
    cr_assert_eq(rc, code, "status %d (%s), expected %d", rc, e.message, code);
    cr_assert_null(tok);
    cr_assert_eq(e.line, line, "line %d, expected %d (%s)", e.line, line, e.message);
    cr_assert_eq(e.column, col, "column %d, expected %d (%s)", e.column, col, e.message);
    cr_assert(strstr(e.message, needle), "message '%s' lacks '%s'", e.message, needle);
}

static uint32_t attrs_of(const toksim_token *tok, const char *sid)
{
    toksim_sid s = ts_test_sid(sid);
    const toksim_group *g = toksim_token_find_group(tok, &s);
    cr_assert_not_null(g, "token lacks group %s", sid);
    return g->attributes;
}

static int64_t priv_of(const toksim_token *tok, const char *name)
{
    const toksim_privilege_info *pi = toksim_privilege_by_name(name);
    cr_assert_not_null(pi);
    return toksim_token_privilege(tok, (uint32_t)pi->luid);
}

#define EN (TOKSIM_SE_PRIVILEGE_ENABLED | TOKSIM_SE_PRIVILEGE_ENABLED_BY_DEFAULT)

/* Same user, same groups with the same attributes, same privileges (held + enabled), same
 * level. */
static void
assert_same_token(const toksim_token *a, const toksim_token *b, bool skip_logon_sids)
{
    cr_assert(toksim_sid_equal(toksim_token_user(a), toksim_token_user(b)),
              "users differ");
    cr_assert_eq(toksim_token_integrity(a), toksim_token_integrity(b));
    size_t na = 0;
    for (size_t i = 0; i < toksim_token_group_count(a); i++) {
        const toksim_group *g = toksim_token_group_at(a, i);
        if (skip_logon_sids &&
            (g->attributes & TOKSIM_SE_GROUP_LOGON_ID) == TOKSIM_SE_GROUP_LOGON_ID)
            continue;
        na++;
        const toksim_group *h = toksim_token_find_group(b, &g->sid);
        char s[TOKSIM_SID_STRING_MAX];
        toksim_sid_format(s, sizeof s, &g->sid);
        cr_assert_not_null(h, "group %s lost", s);
        cr_assert_eq(g->attributes, h->attributes, "group %s: 0x%x became 0x%x", s,
                     g->attributes, h->attributes);
    }
    cr_assert_eq(na, toksim_token_group_count(b), "group counts differ");
    cr_assert_eq(toksim_token_privilege_count(a), toksim_token_privilege_count(b));
    for (size_t i = 0; i < toksim_token_privilege_count(a); i++) {
        uint32_t luid, attrs;
        cr_assert(toksim_token_privilege_at(a, i, &luid, &attrs));
        int64_t other = toksim_token_privilege(b, luid);
        cr_assert(other >= 0, "privilege %u lost", luid);
        cr_assert_eq((attrs & TOKSIM_SE_PRIVILEGE_ENABLED) != 0,
                     (other & TOKSIM_SE_PRIVILEGE_ENABLED) != 0,
                     "privilege %u enabled state differs", luid);
    }
}

/* ---- the realistic captures ---- */

Test(whoami, apppool_worker_table)
{
    toksim_whoami_info info;
    toksim_token *tok = load(WD "apppool_table.txt", &info);
    toksim_sid pool;
    toksim_error e = {0};
    w_ok(toksim_sid_virtual(&pool, TOKSIM_VIRTUAL_APPPOOL, "ContosoPortal", &e), e);
    cr_assert(toksim_sid_equal(toksim_token_user(tok), &pool));
    cr_assert_str_eq(info.user_name, "iis apppool\\contosoportal");
    cr_assert_eq(toksim_token_integrity(tok), TOKSIM_IL_HIGH);
    cr_assert_not(info.integrity_inferred);
    cr_assert_eq(toksim_token_group_count(tok), 10); /* 9 groups + the label */
    cr_assert_eq(attrs_of(tok, "S-1-5-32-568"), TOKSIM_SE_GROUP_DEFAULT);
    cr_assert_eq(attrs_of(tok, "S-1-5-82-0"), TOKSIM_SE_GROUP_DEFAULT,
                 "the row with an empty name is kept");
    cr_assert_eq(toksim_token_privilege_count(tok), 10);
    cr_assert_eq(priv_of(tok, "SeImpersonatePrivilege"), EN);
    cr_assert_eq(priv_of(tok, "SeAssignPrimaryTokenPrivilege"), 0);
    cr_assert_eq(priv_of(tok, "SeDebugPrivilege"), -1);
    cr_assert_eq(info.sections, TOKSIM_WHOAMI_SEC_USER | TOKSIM_WHOAMI_SEC_GROUPS |
                                    TOKSIM_WHOAMI_SEC_PRIVS | TOKSIM_WHOAMI_SEC_CLAIMS);
    cr_assert_eq(info.formats, TOKSIM_WHOAMI_FMT_TABLE);
    cr_assert_eq(info.encoding, TOKSIM_WHOAMI_ENC_UTF8);
    cr_assert_eq(info.preamble_lines, 1, "the pasted prompt line");
    cr_assert_not(info.claims_ignored, "'User claims unknown.' holds no claim");
    cr_assert_eq(toksim_token_type_of(tok), TOKSIM_TOKEN_PRIMARY);
    toksim_token_free(tok);
}

Test(whoami, system_table_owner_and_system_level)
{
    toksim_whoami_info info;
    toksim_token *tok = load(WD "system_table.txt", &info);
    toksim_sid admins = ts_test_sid("S-1-5-32-544");
    cr_assert(toksim_sid_equal(toksim_token_user(tok), &(toksim_sid){0}) == false);
    cr_assert_eq(attrs_of(tok, "S-1-5-32-544"),
                 TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT | TOKSIM_SE_GROUP_ENABLED |
                     TOKSIM_SE_GROUP_OWNER,
                 "'Enabled by default, Enabled group, Group owner' without Mandatory");
    cr_assert(toksim_sid_equal(toksim_token_owner(tok), &admins),
              "Group owner on Administrators -> default owner");
    cr_assert(info.owner_inferred_admins);
    cr_assert_eq(toksim_token_integrity(tok), TOKSIM_IL_SYSTEM);
    cr_assert_eq(toksim_token_auth_id(tok), TOKSIM_SYSTEM_LUID);
    cr_assert_eq(priv_of(tok, "SeTcbPrivilege"), EN);
    cr_assert_eq(priv_of(tok, "SeBackupPrivilege"), 0);
    cr_assert_not_null(toksim_token_default_dacl(tok));
    toksim_token_free(tok);
}

Test(whoami, filtered_admin_utf16le_bom)
{
    toksim_whoami_info info;
    toksim_token *tok = load(WD "filtered_admin_utf16le.txt", &info);
    cr_assert_eq(info.encoding, TOKSIM_WHOAMI_ENC_UTF16LE);
    cr_assert_str_eq(info.user_name, "fabrikam-ws7\\pat.ops");
    toksim_sid admins = ts_test_sid("S-1-5-32-544");
    cr_assert_eq(attrs_of(tok, "S-1-5-32-544"), TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    cr_assert_eq(toksim_token_match(tok, &admins), TOKSIM_MATCH_DENY_ONLY);
    cr_assert_eq(attrs_of(tok, "S-1-5-114"), TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    cr_assert_eq(info.logon_sid_count, 0, "whoami does not list the logon SID");
    cr_assert_eq(attrs_of(tok, "S-1-5-21-4011230987-1623379224-2205413371-1013"),
                 TOKSIM_SE_GROUP_DEFAULT | TOKSIM_SE_GROUP_RESOURCE,
                 "'Local Group' is SE_GROUP_RESOURCE");
    cr_assert_eq(toksim_token_integrity(tok), TOKSIM_IL_MEDIUM);
    cr_assert_eq(toksim_token_elevation_type(tok), TOKSIM_ELEVATION_LIMITED);
    cr_assert(toksim_sid_equal(toksim_token_owner(tok), toksim_token_user(tok)));
    cr_assert_eq(priv_of(tok, "SeChangeNotifyPrivilege"), EN);
    cr_assert_eq(toksim_token_privilege_count(tok), 5);
    toksim_token_free(tok);
}

Test(whoami, list_and_csv_layouts_give_the_same_token)
{
    toksim_whoami_info li, ci;
    toksim_token *a = load(WD "domain_user_list.txt", &li);
    toksim_token *b = load(WD "domain_user_csv.txt", &ci);
    cr_assert_eq(li.formats, TOKSIM_WHOAMI_FMT_LIST);
    cr_assert_eq(ci.formats, TOKSIM_WHOAMI_FMT_CSV);
    assert_same_token(a, b, false);
    cr_assert_str_eq(li.user_name, ci.user_name);
    cr_assert_eq(toksim_token_integrity(a), TOKSIM_IL_MEDIUM_PLUS);
    toksim_sid du = ts_test_sid("S-1-5-21-3623811015-3361044348-30300820-513");
    cr_assert(toksim_sid_equal(toksim_token_primary_group(a), &du),
              "Domain Users is the primary group");
    cr_assert_eq(priv_of(a, "SeMachineAccountPrivilege"), EN);
    toksim_token_free(a);
    toksim_token_free(b);
}

Test(whoami, groups_alone_csv_without_header)
{
    toksim_whoami_info info;
    toksim_token *tok = load(WD "groups_csv_nh.txt", &info);
    cr_assert_eq(info.sections, TOKSIM_WHOAMI_SEC_GROUPS);
    cr_assert(info.user_inferred);
    toksim_sid nobody = ts_test_sid("S-1-0-0");
    cr_assert(toksim_sid_equal(toksim_token_user(tok), &nobody));
    cr_assert_eq(toksim_token_group_count(tok), 10);
    cr_assert_eq(toksim_token_privilege_count(tok), 0);
    toksim_token_free(tok);
}

Test(whoami, priv_alone_is_a_partial_token)
{
    toksim_whoami_info info;
    toksim_token *tok = load(WD "priv_only.txt", &info);
    cr_assert_eq(info.sections, TOKSIM_WHOAMI_SEC_PRIVS);
    cr_assert(info.user_inferred);
    cr_assert(info.integrity_inferred);
    cr_assert_eq(toksim_token_integrity(tok), TOKSIM_IL_MEDIUM);
    cr_assert_eq(toksim_token_group_count(tok), 1, "only the inferred label");
    cr_assert_eq(toksim_token_privilege_count(tok), 5);
    cr_assert_eq(priv_of(tok, "SeShutdownPrivilege"), 0);
    cr_assert_eq(priv_of(tok, "SeChangeNotifyPrivilege"), EN);
    toksim_token_free(tok);
}

/* ---- words, layouts, encodings ---- */

static const char GROUPS_HEAD[] =
    "GROUP INFORMATION\n-----------------\n\n"
    "Group Name Type             SID          Attributes\n"
    "========== ================ ============ ================================\n";

static uint32_t one_group_attrs(const char *attr_text)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%sEveryone   Well-known group S-1-1-0      %s\n",
             GROUPS_HEAD, attr_text);
    toksim_token *tok = parse_ok(buf, NULL);
    uint32_t a = attrs_of(tok, "S-1-1-0");
    toksim_token_free(tok);
    return a;
}

Test(whoami, attribute_words_map_to_se_group_bits)
{
    cr_assert_eq(one_group_attrs("Mandatory group"), TOKSIM_SE_GROUP_MANDATORY);
    cr_assert_eq(one_group_attrs("Enabled by default"),
                 TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT);
    cr_assert_eq(one_group_attrs("Enabled group"), TOKSIM_SE_GROUP_ENABLED);
    cr_assert_eq(one_group_attrs("Group owner"), TOKSIM_SE_GROUP_OWNER);
    cr_assert_eq(one_group_attrs("Group used for deny only"),
                 TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    cr_assert_eq(one_group_attrs("Local Group"), TOKSIM_SE_GROUP_RESOURCE);
    cr_assert_eq(one_group_attrs("Mandatory group, Enabled group, Group owner"),
                 TOKSIM_SE_GROUP_MANDATORY | TOKSIM_SE_GROUP_ENABLED |
                     TOKSIM_SE_GROUP_OWNER);
    cr_assert_eq(one_group_attrs(""), 0,
                 "a disabled, non-mandatory group prints no words");
}

Test(whoami, label_row_sets_the_integrity_level)
{
    static const struct {
        const char *sid;
        uint32_t il;
    } v[] = {{"S-1-16-0", TOKSIM_IL_UNTRUSTED}, {"S-1-16-4096", TOKSIM_IL_LOW},
             {"S-1-16-8192", TOKSIM_IL_MEDIUM}, {"S-1-16-8448", TOKSIM_IL_MEDIUM_PLUS},
             {"S-1-16-12288", TOKSIM_IL_HIGH},  {"S-1-16-16384", TOKSIM_IL_SYSTEM}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char buf[1024];
        snprintf(buf, sizeof buf, "%sX\\Level   Label            %-12s\n", GROUPS_HEAD,
                 v[i].sid);
        toksim_whoami_info info;
        toksim_token *tok = parse_ok(buf, &info);
        cr_assert(toksim_token_has_integrity(tok));
        cr_assert_eq(toksim_token_integrity(tok), v[i].il, "%s", v[i].sid);
        cr_assert_not(info.integrity_inferred);
        cr_assert_eq(attrs_of(tok, v[i].sid),
                     TOKSIM_SE_GROUP_INTEGRITY | TOKSIM_SE_GROUP_INTEGRITY_ENABLED);
        toksim_token_free(tok);
    }
}

/* whoami itself does not list the logon SID; a row that shows one (an edited capture,
 * another tool's listing) is kept as a logon SID: by its S-1-5-5-X-Y shape or by the Type
 * "Logon ID". */
Test(whoami, logon_sid_rows_are_kept_with_se_group_logon_id)
{
    const char *text =
        "GROUP INFORMATION\n-----------------\n\n"
        "Group Name                           Type     SID              Attributes\n"
        "==================================== ======== ================ "
        "==============================\n"
        "NT AUTHORITY\\LogonSessionId_0_482913 Logon ID S-1-5-5-0-482913 Mandatory "
        "group, Enabled group\n"
        "                                     Logon ID S-1-5-21-1-2-3-9 Mandatory "
        "group\n";
    toksim_whoami_info info;
    toksim_token *tok = parse_ok(text, &info);
    cr_assert_eq(attrs_of(tok, "S-1-5-5-0-482913"), TOKSIM_SE_GROUP_MANDATORY |
                                                        TOKSIM_SE_GROUP_ENABLED |
                                                        TOKSIM_SE_GROUP_LOGON_ID);
    cr_assert_eq(attrs_of(tok, "S-1-5-21-1-2-3-9"),
                 TOKSIM_SE_GROUP_MANDATORY | TOKSIM_SE_GROUP_LOGON_ID);
    cr_assert_eq(info.logon_sid_count, 2);
    toksim_token_free(tok);
}

/* The same token printed with other column widths (another machine, longer names) is the
 * same. */
Test(whoami, column_widths_come_from_the_separator_line)
{
    const char *narrow =
        "GROUP INFORMATION\n-----------------\n\n"
        "Group Name             Type             SID          Attributes\n"
        "====================== ================ ============ ========================\n"
        "BUILTIN\\Administrators Alias            S-1-5-32-544 Group used for deny only\n"
        "                       Unknown SID type S-1-5-82-0   Mandatory group\n";
    const char *wide =
        "GROUP INFORMATION\n-----------------\n\n"
        "Group Name                                      Type                SID         "
        "        "
        "      Attributes\n"
        "=============================================== =================== "
        "========================= ===========================\n"
        "BUILTIN\\Administrators                          Alias               "
        "S-1-5-32-544         "
        "     Group used for deny only\n"
        "                                                Unknown SID type    S-1-5-82-0  "
        "         "
        "     Mandatory group\n";
    toksim_token *a = parse_ok(narrow, NULL), *b = parse_ok(wide, NULL);
    assert_same_token(a, b, false);
    cr_assert_eq(attrs_of(a, "S-1-5-82-0"), TOKSIM_SE_GROUP_MANDATORY);
    toksim_token_free(a);
    toksim_token_free(b);
}

/* A paste whose blanks were collapsed no longer lines up: rows are split on their words.
 */
Test(whoami, collapsed_blanks_are_split_on_words)
{
    const char *text =
        "GROUP INFORMATION\n-----------------\n\n"
        "Group Name Type SID Attributes\n"
        "========== ==== === ==========\n"
        "NT AUTHORITY\\Local account and member of Administrators group Well-known group "
        "S-1-5-114 "
        "Group used for deny only\n"
        "Mandatory Label\\High Mandatory Level Label S-1-16-12288\n"
        "\nPRIVILEGES INFORMATION\n----------------------\n\n"
        "Privilege Name Description State\n"
        "============== =========== =====\n"
        "SeImpersonatePrivilege Impersonate a client after authentication Enabled\n";
    toksim_token *tok = parse_ok(text, NULL);
    cr_assert_eq(attrs_of(tok, "S-1-5-114"), TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    cr_assert_eq(toksim_token_integrity(tok), TOKSIM_IL_HIGH);
    cr_assert_eq(priv_of(tok, "SeImpersonatePrivilege"), EN);
    toksim_token_free(tok);
}

Test(whoami, crlf_lf_and_utf8_bom_read_alike)
{
    size_t len;
    char *lf = slurp(WD "system_table.txt", &len);
    size_t n = 0;
    char *crlf = malloc(2 * len + 4);
    memcpy(crlf, "\xEF\xBB\xBF", 3);
    n = 3;
    for (size_t i = 0; i < len; i++) {
        if (lf[i] == '\n')
            crlf[n++] = '\r';
        crlf[n++] = lf[i];
    }
    crlf[n] = '\0';
    toksim_whoami_info ia, ib;
    toksim_token *a = parse_ok(lf, &ia), *b = parse_ok(crlf, &ib);
    cr_assert_eq(ib.encoding, TOKSIM_WHOAMI_ENC_UTF8_BOM);
    assert_same_token(a, b, false);
    toksim_token_free(a);
    toksim_token_free(b);
    free(lf);
    free(crlf);
}

Test(whoami, utf16be_and_bomless_utf16le)
{
    const char *ascii = "PRIVILEGES INFORMATION\n----------------------\n\n"
                        "Privilege Name          Description              State\n"
                        "======================= ======================== =======\n"
                        "SeChangeNotifyPrivilege Bypass traverse checking Enabled\n";
    size_t n = strlen(ascii);
    char *be = malloc(2 * n + 2), *le = malloc(2 * n);
    be[0] = (char)0xFE, be[1] = (char)0xFF;
    for (size_t i = 0; i < n; i++) {
        be[2 + 2 * i] = 0, be[3 + 2 * i] = ascii[i];
        le[2 * i] = ascii[i], le[2 * i + 1] = 0;
    }
    toksim_whoami_info info;
    toksim_token *tok = NULL;
    toksim_error e = {0};
    w_ok(toksim_token_from_whoami_ex(&tok, &info, be, 2 * n + 2, NULL, &e), e);
    cr_assert_eq(info.encoding, TOKSIM_WHOAMI_ENC_UTF16BE);
    cr_assert_eq(priv_of(tok, "SeChangeNotifyPrivilege"), EN);
    toksim_token_free(tok);
    w_ok(toksim_token_from_whoami_ex(&tok, &info, le, 2 * n, NULL, &e), e);
    cr_assert_eq(info.encoding, TOKSIM_WHOAMI_ENC_UTF16LE);
    toksim_token_free(tok);
    free(be);
    free(le);
}

/* Columns count characters: a name with accents (UTF-8) does not shift the SID column. */
Test(whoami, utf8_names_count_characters_not_bytes)
{
    const char *text =
        "GROUP INFORMATION\n-----------------\n\n"
        "Group Name        Type  SID                     Attributes\n"
        "================= ===== ======================= ===============\n"
        "CONTOSO\\Équipe Ré Group S-1-5-21-10-20-30-1105 Mandatory group\n";
    toksim_token *tok = parse_ok(text, NULL);
    cr_assert_eq(attrs_of(tok, "S-1-5-21-10-20-30-1105"), TOKSIM_SE_GROUP_MANDATORY);
    toksim_token_free(tok);
}

Test(whoami, user_alone_and_nh_table_without_separator)
{
    toksim_whoami_info info;
    toksim_token *tok =
        parse_ok("\r\nUSER INFORMATION\r\n----------------\r\n\r\nUser Name     SID\r\n"
                 "============= ========\r\nnt authority\\system S-1-5-18\r\n",
                 &info);
    cr_assert_eq(info.sections, TOKSIM_WHOAMI_SEC_USER);
    cr_assert_str_eq(info.user_name, "nt authority\\system",
                     "the row did not line up: split on its words");
    cr_assert_eq(toksim_token_integrity(tok), TOKSIM_IL_SYSTEM, "inferred for SYSTEM");
    cr_assert(info.integrity_inferred);
    toksim_token_free(tok);
    /* /nh: no headers, no ===== line */
    tok = parse_ok(
        "GROUP INFORMATION\n-----------------\n\n"
        "Everyone                         Well-known group S-1-1-0      Mandatory group, "
        "Enabled group\n"
        "NT AUTHORITY\\Authenticated Users Well-known group S-1-5-11     Enabled group\n"
        "                                 Unknown SID type S-1-5-82-0   Mandatory "
        "group\n",
        &info);
    cr_assert_eq(attrs_of(tok, "S-1-1-0"),
                 TOKSIM_SE_GROUP_MANDATORY | TOKSIM_SE_GROUP_ENABLED);
    cr_assert_eq(attrs_of(tok, "S-1-5-11"), TOKSIM_SE_GROUP_ENABLED);
    cr_assert_eq(attrs_of(tok, "S-1-5-82-0"), TOKSIM_SE_GROUP_MANDATORY);
    toksim_token_free(tok);
}

/* A terminal paste goes on after the claims section (the next command's output): read
 * past, flagged. */
Test(whoami, text_after_claims_is_read_past_and_flagged)
{
    char buf[2048];
    snprintf(buf, sizeof buf,
             "%sSeChangeNotifyPrivilege Bypass traverse checking Enabled\n\n\nUSER "
             "CLAIMS INFORMATION\n"
             "-----------------------\n\nUser claims unknown.\n\nKerberos support for "
             "Dynamic Access Control on "
             "this device has been disabled.\n\nDEVICE CLAIMS "
             "INFORMATION\n-------------------------\n\n"
             "Device claims unknown.\n",
             "PRIVILEGES INFORMATION\n----------------------\n\nPrivilege Name          "
             "Description              "
             "State\n======================= ======================== =======\n");
    toksim_whoami_info info;
    toksim_token *tok = parse_ok(buf, &info);
    cr_assert_not(info.claims_ignored);
    toksim_token_free(tok);
    size_t n = strlen(buf);
    snprintf(buf + n, sizeof buf - n, "\nC:\\inetpub>systeminfo\nHost Name: WEB01\n");
    tok = parse_ok(buf, &info);
    cr_assert(info.claims_ignored);
    toksim_token_free(tok);
}

/* cmd.exe `whoami /all > file` writes the OEM/ANSI code page: one byte per character. */
Test(whoami, single_byte_code_page_counts_bytes)
{
    const char *text =
        "GROUP INFORMATION\n-----------------\n\n"
        "Group Name        Type  SID                     Attributes\n"
        "================= ===== ======================= ===============\n"
        "CONTOSO\\\xC9quipe R\xE9 Group S-1-5-21-10-20-30-1105 Mandatory group\n";
    toksim_whoami_info info;
    toksim_token *tok = parse_ok(text, &info);
    cr_assert_eq(info.encoding, TOKSIM_WHOAMI_ENC_8BIT);
    cr_assert_eq(attrs_of(tok, "S-1-5-21-10-20-30-1105"), TOKSIM_SE_GROUP_MANDATORY);
    toksim_token_free(tok);
}

/* A paste that lost the header line keeps its ===== line: the columns still come from it.
 */
Test(whoami, header_line_lost_in_a_paste)
{
    const char *text =
        "USER INFORMATION\n\n"
        "================== ==============================================\n"
        "windows-10-vm\\user S-1-5-21-3694103140-4081734440-3706941413-1001\n";
    toksim_whoami_info info;
    toksim_token *tok = parse_ok(text, &info);
    cr_assert_str_eq(info.user_name, "windows-10-vm\\user");
    toksim_sid u = ts_test_sid("S-1-5-21-3694103140-4081734440-3706941413-1001");
    cr_assert(toksim_sid_equal(toksim_token_user(tok), &u));
    toksim_token_free(tok);
}

/* ---- errors name the line, the column and what was expected ---- */

static const char PRIV_HEAD[] =
    "PRIVILEGES INFORMATION\n----------------------\n\n"
    "Privilege Name          Description              State\n"
    "======================= ======================== =======\n";

Test(whoami, unknown_privilege_is_an_error_with_position)
{
    char buf[1024];
    snprintf(buf, sizeof buf,
             "%sSeChangeNotifyPrivilege Bypass traverse checking "
             "Enabled\nSeFlyingPrivilege       "
             "Fly                      Enabled\n",
             PRIV_HEAD);
    parse_fails(buf, strlen(buf), TOKSIM_ENOTFOUND, 7, 1,
                "unknown privilege 'SeFlyingPrivilege'");
}

Test(whoami, bad_state_and_attribute_words_name_their_column)
{
    char buf[1024];
    snprintf(buf, sizeof buf,
             "%sSeChangeNotifyPrivilege Bypass traverse checking Maybe\n", PRIV_HEAD);
    parse_fails(buf, strlen(buf), TOKSIM_EPARSE, 6, 50,
                "expected the privilege state Enabled or Disabled");
    snprintf(buf, sizeof buf,
             "%sEveryone   Well-known group S-1-1-0      Mandatory group, Shiny group\n",
             GROUPS_HEAD);
    parse_fails(buf, strlen(buf), TOKSIM_EPARSE, 6, 59,
                "unknown group attribute 'Shiny group'");
    snprintf(buf, sizeof buf,
             "%sEveryone   Well-known group S-1-1-0      Mandatory group,\n",
             GROUPS_HEAD);
    parse_fails(buf, strlen(buf), TOKSIM_EPARSE, 6, 57, "ends with a comma");
}

Test(whoami, bad_sid_is_an_error)
{
    char buf[1024];
    snprintf(buf, sizeof buf,
             "%sEveryone   Well-known group S-1-1-x      Mandatory group\n", GROUPS_HEAD);
    parse_fails(buf, strlen(buf), TOKSIM_EPARSE, 6, 29, "expected a group SID");
    const char *user = "USER INFORMATION\n----------------\n\nUser Name SID\n========= "
                       "===\nalice     nope\n";
    parse_fails(user, strlen(user), TOKSIM_EPARSE, 6, 11, "expected the user's SID");
}

Test(whoami, structural_errors)
{
    char buf[2048];
    snprintf(buf, sizeof buf,
             "%sX\\L        Label            S-1-16-8192\nX\\L        Label            "
             "S-1-16-12288\n",
             GROUPS_HEAD);
    parse_fails(buf, strlen(buf), TOKSIM_EPARSE, 7, 29, "a second mandatory label");
    snprintf(buf, sizeof buf,
             "%sX\\L        Label            S-1-16-8192  Mandatory group\n",
             GROUPS_HEAD);
    parse_fails(buf, strlen(buf), TOKSIM_EPARSE, 6, 42,
                "no attributes for the mandatory label");
    snprintf(
        buf, sizeof buf,
        "%sEveryone   Well-known group S-1-1-0\nEveryone   Well-known group S-1-1-0\n",
        GROUPS_HEAD);
    parse_fails(buf, strlen(buf), TOKSIM_EPARSE, 7, 29, "listed twice");
    snprintf(buf, sizeof buf,
             "%sSeChangeNotifyPrivilege Bypass traverse checking Enabled\n\n%s",
             PRIV_HEAD, PRIV_HEAD);
    parse_fails(buf, strlen(buf), TOKSIM_EPARSE, 8, 1,
                "a second PRIVILEGES INFORMATION section");
    snprintf(buf, sizeof buf,
             "%sSeChangeNotifyPrivilege Bypass traverse checking Enabled\n\nC:\\>exit\n",
             PRIV_HEAD);
    { /* a prompt after the output: accepted, reported as trailing text (issue 10) */
        toksim_token *tok = NULL;
        toksim_whoami_info info;
        cr_assert_eq(
            toksim_token_from_whoami_ex(&tok, &info, buf, strlen(buf), NULL, NULL),
            TOKSIM_OK);
        cr_assert_eq(info.trailing_lines, 1);
        cr_assert_eq(info.trailing_line, 8);
        toksim_token_free(tok);
    }
    parse_fails("hello\nworld\n", 12, TOKSIM_EPARSE, 1, 1, "no whoami output found");
    parse_fails("", 0, TOKSIM_EPARSE, 1, 1, "no whoami output found");
    parse_fails("GROUP INFORMATION\n-----------------\n\n", 37, TOKSIM_EPARSE, 1, 1,
                "expected the GROUP INFORMATION table");
    const char *hdr = "GROUP INFORMATION\n\nNom du groupe Type SID "
                      "Attributs\n============= ==== === =========\n";
    parse_fails(hdr, strlen(hdr), TOKSIM_EPARSE, 3, 1, "English whoami output");
    const char *cols = "GROUP INFORMATION\n\nGroup Name Type SID\n========== ==== ===\n";
    parse_fails(cols, strlen(cols), TOKSIM_EPARSE, 4, 1, "expected 4 columns");
}

Test(whoami, list_and_csv_errors)
{
    const char *list = "GROUP INFORMATION\n-----------------\n\nGroup Name: "
                       "Everyone\nType:       Well-known group\n"
                       "Attributes: Mandatory group\n";
    parse_fails(list, strlen(list), TOKSIM_EPARSE, 4, 1, "lacks its 'SID:' line");
    const char *csv =
        "\"Group Name\",\"Type\",\"SID\",\"Attributes\"\n\"Everyone\",\"Well-known "
        "group\",\"S-1-1-0\n";
    parse_fails(csv, strlen(csv), TOKSIM_EPARSE, 2, 31, "unterminated quoted CSV field");
    const char *five = "\"a\",\"b\",\"c\",\"d\",\"e\"\n";
    parse_fails(five, strlen(five), TOKSIM_EPARSE, 1, 1, "expected a whoami CSV row");
    const char *mixed = "\"User Name\",\"SID\"\n\"x\",\"S-1-5-18\",\"extra\"\n";
    parse_fails(mixed, strlen(mixed), TOKSIM_EPARSE, 2, 1, "expected 2 CSV fields");
}

Test(whoami, utf16_errors_report_character_positions)
{
    const char *ascii = "PRIVILEGES INFORMATION\n\nPrivilege Name Description "
                        "State\n============== =========== =====\n"
                        "SeNopePrivilege x Enabled\n";
    size_t n = strlen(ascii);
    char *le = malloc(2 * n + 2);
    le[0] = (char)0xFF, le[1] = (char)0xFE;
    for (size_t i = 0; i < n; i++)
        le[2 + 2 * i] = ascii[i], le[3 + 2 * i] = 0;
    toksim_token *tok = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_token_from_whoami(&tok, le, 2 * n + 2, NULL, &e),
                 TOKSIM_ENOTFOUND);
    cr_assert_eq(e.line, 5);
    cr_assert_eq(e.column, 1);
    const char *line5 = strstr(ascii, "SeNope");
    cr_assert_eq(e.offset, 2 + 2 * (size_t)(line5 - ascii),
                 "offset %zu is a byte offset into the UTF-16 input", e.offset);
    parse_fails("\xFF\xFEU\0S", 5, TOKSIM_EPARSE, 0, 0, "odd number of bytes");
    free(le);
}

Test(whoami, binary_and_hostile_sizes)
{
    parse_fails("USER INFORMATION\n\0junk", 23, TOKSIM_EPARSE, 2, 1, "NUL byte");
    size_t big = TOKSIM_WHOAMI_MAX_BYTES + 1;
    char *huge = malloc(big);
    memset(huge, 'a', big);
    parse_fails(huge, big, TOKSIM_ELIMIT, 0, 0, "larger than");
    char *longline = malloc(TOKSIM_WHOAMI_MAX_LINE + 40);
    memcpy(longline, "USER INFORMATION\n", 17);
    memset(longline + 17, 'x', TOKSIM_WHOAMI_MAX_LINE + 5);
    parse_fails(longline, TOKSIM_WHOAMI_MAX_LINE + 22, TOKSIM_ELIMIT, 2, 1,
                "longer than");
    free(longline);
    free(huge);
}

Test(whoami, group_cap)
{
    size_t n = TOKSIM_TOKEN_MAX_GROUPS + 1;
    char *text = malloc(n * 40 + 100);
    size_t k = (size_t)sprintf(text, "\"Group Name\",\"Type\",\"SID\",\"Attributes\"\n");
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(text + k, 40,
                              "\"g\",\"Alias\",\"S-1-5-21-1-2-3-%zu\",\"\"\n", 1000 + i);
    parse_fails(text, k, TOKSIM_ELIMIT, (int)n + 1, 14, "more than 1024 groups");
    free(text);
}

/* ---- round trip through H4's renderer ---- */

static void round_trip(const toksim_token *tok, const toksim_world *w)
{
    char *text = NULL;
    ts_assert_ok(toksim_token_render_whoami(&text, tok, w), NULL);
    toksim_token *back = parse_ok(text, NULL);
    assert_same_token(tok, back, true);
    free(text);
    toksim_token_free(back);
}

Test(whoami, round_trip_of_built_tokens)
{
    toksim_sid user = ts_test_sid("S-1-5-21-111-222-333-1104");
    toksim_token *tok = NULL;
    ts_assert_ok(toksim_token_new(&tok, &user), NULL);
    static const struct {
        const char *sid;
        uint32_t attrs;
    } g[] = {
        {"S-1-1-0", TOKSIM_SE_GROUP_DEFAULT},
        {"S-1-5-32-544", TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY},
        {"S-1-5-32-545", TOKSIM_SE_GROUP_DEFAULT},
        {"S-1-5-32-551", TOKSIM_SE_GROUP_DEFAULT | TOKSIM_SE_GROUP_OWNER},
        {"S-1-5-21-111-222-333-1200", 0},
        {"S-1-5-21-111-222-333-513", TOKSIM_SE_GROUP_MANDATORY | TOKSIM_SE_GROUP_ENABLED},
        {"S-1-5-82-0", TOKSIM_SE_GROUP_DEFAULT}};
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
        toksim_sid s = ts_test_sid(g[i].sid);
        ts_assert_ok(toksim_token_add_group(tok, &s, g[i].attrs), NULL);
    }
    ts_assert_ok(toksim_token_set_integrity(tok, TOKSIM_IL_MEDIUM_PLUS), NULL);
    ts_assert_ok(toksim_token_set_privilege(tok, TOKSIM_PRIV_CHANGE_NOTIFY, EN), NULL);
    ts_assert_ok(toksim_token_set_privilege(tok, TOKSIM_PRIV_BACKUP, 0), NULL);
    ts_assert_ok(
        toksim_token_set_privilege(tok, TOKSIM_PRIV_DELEGATE_SESSION_USER_IMPERSONATE, 0),
        NULL);
    round_trip(tok, NULL);
    toksim_token_free(tok);
}

Test(whoami, round_trip_of_logon_tokens)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    w_ok(toksim_world_new(&w, "WS01", NULL, "win10", &e), e);
    static const toksim_builtin_account which[] = {TOKSIM_BUILTIN_SYSTEM,
                                                   TOKSIM_BUILTIN_LOCAL_SERVICE,
                                                   TOKSIM_BUILTIN_NETWORK_SERVICE};
    for (size_t i = 0; i < 3; i++) {
        toksim_token *tok = NULL;
        w_ok(toksim_logon_builtin(&tok, w, which[i], NULL, NULL, &e), e);
        round_trip(tok, w);
        round_trip(tok, NULL);
        toksim_token_free(tok);
    }
    toksim_account a = {0};
    a.kind = TOKSIM_ACCOUNT_USER;
    a.name = "operator";
    toksim_sid sid, admins = ts_test_sid("S-1-5-32-544");
    w_ok(toksim_world_add_account(w, &a, &sid, &e), e);
    w_ok(toksim_world_add_member(w, &admins, &sid, &e), e);
    for (int elevated = 0; elevated < 2; elevated++) {
        toksim_logon_options opt;
        toksim_logon_options_init(&opt);
        opt.elevated = elevated;
        toksim_logon_result r;
        w_ok(toksim_logon_user(&r, w, "operator", TOKSIM_LOGON_INTERACTIVE, &opt, NULL,
                               &e),
             e);
        cr_assert(r.success);
        round_trip(r.token, w);
        toksim_token_free(r.token);
    }
    toksim_world_free(w);
}
