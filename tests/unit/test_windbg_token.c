/* PURPOSE: the WinDbg !token importer (toksim_token_from_windbg, `toksim token`): the
 * "Privs:" block of seed 001 alone, a user-mode `!token -n` capture with friendly names,
 * the kernel form; what !token shows and whoami does not (token type, impersonation
 * level, logon id, session, primary group); bad rows refused at line:column; and whoami
 * /all captures followed by a pasted prompt, accepted with a warning. */
#include "../cli_helpers.h"

static toksim_token *import(const char *path, toksim_whoami_info *info)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    toksim_token *tok = NULL;
    toksim_error err = {0};
    cr_assert_eq(toksim_token_from_windbg(&tok, info, buf, n, NULL, &err), TOKSIM_OK,
                 "%s:%d:%d: %s", path, err.line, err.column, err.message);
    return tok;
}

Test(windbg_token, seed_privs_block_alone)
{
    toksim_whoami_info info;
    toksim_token *tok = import("tests/data/windbg/seed001_privs.txt", &info);
    cr_assert_eq(info.formats, TOKSIM_WHOAMI_FMT_WINDBG);
    cr_assert_eq(info.sections, TOKSIM_WHOAMI_SEC_PRIVS);
    cr_assert_eq(info.privilege_count, 10);
    /* "Enabled Default" = enabled and enabled by default; "-" alone = present, disabled
     */
    cr_assert_eq(toksim_token_privilege(tok, TOKSIM_PRIV_IMPERSONATE),
                 TOKSIM_SE_PRIVILEGE_ENABLED | TOKSIM_SE_PRIVILEGE_ENABLED_BY_DEFAULT);
    cr_assert_eq(toksim_token_privilege(tok, TOKSIM_PRIV_ASSIGN_PRIMARY_TOKEN), 0);
    cr_assert_eq(toksim_token_privilege(tok, TOKSIM_PRIV_DEBUG), -1);
    cr_assert(info.user_inferred);
    toksim_token_free(tok);
}

Test(windbg_token, user_mode_capture_with_names)
{
    toksim_whoami_info info;
    toksim_token *tok = import("tests/data/windbg/filtered_admin_n.txt", &info);
    cr_assert_str_eq(info.user_name, "CONTOSO\\alice");
    cr_assert_eq(info.preamble_lines,
                 2); /* the prompt and "Thread is not impersonating" */
    cr_assert_eq(info.trailing_lines, 1); /* "0:000> g" */
    cr_assert_eq(info.trailing_line, 37);
    toksim_sid admins, label, pg;
    cr_assert_eq(toksim_sid_parse(&admins, "S-1-5-32-544", NULL), TOKSIM_OK);
    const toksim_group *g = toksim_token_find_group(tok, &admins);
    cr_assert_not_null(g);
    cr_assert_eq(g->attributes, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    cr_assert_eq(toksim_token_integrity(tok), TOKSIM_IL_MEDIUM);
    cr_assert_eq(toksim_sid_parse(&label, "S-1-5-5-0-1234567", NULL), TOKSIM_OK);
    cr_assert_eq(toksim_token_find_group(tok, &label)->attributes &
                     TOKSIM_SE_GROUP_LOGON_ID,
                 TOKSIM_SE_GROUP_LOGON_ID);
    cr_assert_eq(toksim_token_auth_id(tok), 0x12d687u);
    cr_assert_eq(toksim_token_session_id(tok), 1);
    cr_assert_eq(
        toksim_sid_parse(&pg, "S-1-5-21-1004336348-1177238915-682003330-513", NULL),
        TOKSIM_OK);
    cr_assert(toksim_sid_equal(toksim_token_primary_group(tok), &pg));
    cr_assert_eq(toksim_token_elevation_type(tok), TOKSIM_ELEVATION_LIMITED);
    toksim_token_free(tok);
}

Test(windbg_token, kernel_form_type_level_logon_id)
{
    toksim_token *tok = import("tests/data/windbg/kernel_system.txt", NULL);
    cr_assert_eq(toksim_token_auth_id(tok), TOKSIM_SYSTEM_LUID);
    cr_assert_eq(toksim_token_integrity(tok), TOKSIM_IL_SYSTEM);
    cr_assert_eq(toksim_token_type_of(tok), TOKSIM_TOKEN_PRIMARY);
    toksim_token_free(tok);
    static const char imp[] =
        "User: S-1-5-20\nGroups:\n 00 S-1-5-6 Attributes - Mandatory "
        "Default Enabled\nImpersonation Level: Identification\n"
        "TokenType: Impersonation\nPrivs:\n 00 0x00000001d "
        "SeImpersonatePrivilege Attributes - Removed\n";
    toksim_error err = {0};
    cr_assert_eq(toksim_token_from_windbg(&tok, NULL, imp, sizeof imp - 1, NULL, &err),
                 TOKSIM_OK, "%s", err.message);
    cr_assert_eq(toksim_token_type_of(tok), TOKSIM_TOKEN_IMPERSONATION);
    cr_assert_eq(toksim_token_level(tok), TOKSIM_IMP_IDENTIFICATION);
    /* a removed privilege is no longer in the token */
    cr_assert_eq(toksim_token_privilege(tok, TOKSIM_PRIV_IMPERSONATE), -1);
    toksim_token_free(tok);
}

Test(windbg_token, bad_rows_are_positioned)
{
    static const struct {
        const char *text;
        toksim_status rc;
        int line, col;
        const char *msg;
    } cases[] = {
        {"Privs:\n00 0x000000017 SeImpersonatePrivilege Attributes -\n", TOKSIM_EPARSE, 2,
         4, "SeImpersonatePrivilege has LUID 0x1d, not 0x17"},
        {"Privs:\n00 0x00000001d SeBogusPrivilege Attributes -\n", TOKSIM_ENOTFOUND, 2,
         16, "unknown privilege"},
        {"Privs:\n00 0x00000001d SeImpersonatePrivilege Attributes - Shiny\n",
         TOKSIM_EPARSE, 2, 52, "unknown privilege attribute 'Shiny'"},
        {"User: S-1-5-x\n", TOKSIM_EPARSE, 1, 13, "the user SID"},
        {"Groups:\n 00 S-1-5-32-544\n    Attributes - Mandatory Sometimes\n",
         TOKSIM_EPARSE, 3, 28, "unknown group attribute 'Sometimes'"},
        {"Groups:\n 00 S-1-5-32-544\n 01 S-1-1-0\n", TOKSIM_EPARSE, 2, 17,
         "expected \"Attributes - ...\""},
        {"User: S-1-5-18\nthis is not a token line\n", TOKSIM_EPARSE, 2, 1,
         "unexpected text"},
        {"hello\n", TOKSIM_EPARSE, 1, 1, "no !token output found"},
        {"User: S-1-5-18\nAuth ID: zz\n", TOKSIM_EPARSE, 2, 10, "HIGH:LOW"},
        {"User: S-1-5-18\nAuth ID: 0\n", TOKSIM_EPARSE, 2, 11, "HIGH:LOW"},
        {"User: S-1-5-18\nTS Session ID: x\n", TOKSIM_EPARSE, 2, 16, "session number"},
        {"TokenType: Secondary\nUser: S-1-5-18\n", TOKSIM_EPARSE, 1, 12,
         "Primary or Impersonation"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        toksim_token *tok = NULL;
        toksim_error err = {0};
        toksim_status rc = toksim_token_from_windbg(&tok, NULL, cases[i].text,
                                                    strlen(cases[i].text), NULL, &err);
        cr_assert_eq(rc, cases[i].rc, "case %zu: %d %s", i, rc, err.message);
        cr_assert_null(tok);
        cr_assert_eq(err.line, cases[i].line, "case %zu: line %d (%s)", i, err.line,
                     err.message);
        cr_assert_eq(err.column, cases[i].col, "case %zu: column %d (%s)", i, err.column,
                     err.message);
        cr_assert(strstr(err.message, cases[i].msg), "case %zu: %s", i, err.message);
    }
}

Test(windbg_token, detection_and_cli)
{
    cr_assert(toksim_text_is_windbg_token("Privs:\n", 7));
    cr_assert(toksim_text_is_windbg_token("P\0r\0i\0v\0s\0:\0", 12)); /* UTF-16LE */
    cr_assert_not(toksim_text_is_windbg_token("PRIVILEGES INFORMATION\n", 23));
    ts_expect_cli("token tests/data/windbg/seed001_privs.txt", 0, "windbg !token layout");
    /* bad input: exit 2 naming file:line:col */
    ts_expect_cli("token fuzz/corpus/fuzz_windbg_token/bad_luid.txt", 2,
                  "bad_luid.txt:2:4: SeImpersonatePrivilege has LUID 0x1d, not 0x17");
    ts_expect_cli("token --format windbg tests/data/windbg/seed001_privs.txt", 0,
                  "06 0x00000001d SeImpersonatePrivilege            Attributes - Enabled "
                  "Default");
    ts_expect_cli("token tests/data/windbg/filtered_admin_n.txt", 0,
                  "filtered_admin_n.txt:37: warning: 1 line(s) after the !token output "
                  "ignored");
    ts_expect_cli("token --check --sddl 'O:BAG:BAD:(A;;FA;;;BA)' --desired FR "
                  "tests/data/windbg/filtered_admin_n.txt",
                  1, "denied");
}

Test(windbg_token, whoami_with_a_prompt_after_it_is_accepted_with_a_warning)
{
    ts_expect_cli("token tests/data/whoami/system_table_prompt_after.txt", 0,
                  "system_table_prompt_after.txt:");
    ts_expect_cli("token tests/data/whoami/system_table_prompt_after.txt", 0,
                  "warning: 1 line(s) after the whoami output ignored");
    /* triage reads captures through the same loader, warning included */
    ts_expect_cli("triage --whoami tests/data/whoami/system_table_prompt_after.txt "
                  "--api ImpersonateLoggedOnUser --error 1346",
                  0, "warning: 1 line(s) after the whoami output ignored");
    /* text between two sections is still refused, with its position */
    static const char mid[] =
        "PRIVILEGES INFORMATION\n----------------------\n\n"
        "Privilege Name Description State\n"
        "============== =========== =======\n"
        "SeChangeNotifyPrivilege Bypass Enabled\n\n"
        "C:\\> whoami /groups\n\nGROUP INFORMATION\n-----------------\n";
    toksim_token *tok = NULL;
    toksim_error err = {0};
    cr_assert_eq(toksim_token_from_whoami(&tok, mid, sizeof mid - 1, NULL, &err),
                 TOKSIM_EPARSE);
    cr_assert_eq(err.line, 8);
    cr_assert(strstr(err.message, "unexpected text"), "%s", err.message);
}
