/*
 * PURPOSE: token text views. The WinDbg `!token` "Privs:" listings of a 2010 Windows 7
 * client (Microsoft Japan support blog, [MSJP-WMI4]: an elevated and a filtered
 * administrator, and a NETWORK SERVICE WMI provider host) are reproduced exactly; whoami
 * /all layout and words.
 */
#include "../helpers.h"
#include <ctype.h>

/* Assert success, printing the detail of a toksim_error variable (not a pointer). */
#define h4_ok(expr, e)                                                                   \
    do {                                                                                 \
        toksim_status rc_ = (expr);                                                      \
        cr_assert(rc_ == TOKSIM_OK, "%s failed: %s (%s)", #expr, toksim_strerror(rc_),   \
                  (e).message);                                                          \
    } while (0)

static const char *const ELEVATED =
    "Privs:\n"
    "00 0x000000005 SeIncreaseQuotaPrivilege          Attributes -\n"
    "01 0x000000008 SeSecurityPrivilege               Attributes -\n"
    "02 0x000000009 SeTakeOwnershipPrivilege          Attributes -\n"
    "03 0x00000000a SeLoadDriverPrivilege             Attributes -\n"
    "04 0x00000000b SeSystemProfilePrivilege          Attributes -\n"
    "05 0x00000000c SeSystemtimePrivilege             Attributes -\n"
    "06 0x00000000d SeProfileSingleProcessPrivilege   Attributes -\n"
    "07 0x00000000e SeIncreaseBasePriorityPrivilege   Attributes -\n"
    "08 0x00000000f SeCreatePagefilePrivilege         Attributes -\n"
    "09 0x000000011 SeBackupPrivilege                 Attributes -\n"
    "10 0x000000012 SeRestorePrivilege                Attributes -\n"
    "11 0x000000013 SeShutdownPrivilege               Attributes -\n"
    "12 0x000000014 SeDebugPrivilege                  Attributes -\n"
    "13 0x000000016 SeSystemEnvironmentPrivilege      Attributes -\n"
    "14 0x000000017 SeChangeNotifyPrivilege           Attributes - Enabled Default\n"
    "15 0x000000018 SeRemoteShutdownPrivilege         Attributes -\n"
    "16 0x000000019 SeUndockPrivilege                 Attributes -\n"
    "17 0x00000001c SeManageVolumePrivilege           Attributes -\n"
    "18 0x00000001d SeImpersonatePrivilege            Attributes - Enabled Default\n"
    "19 0x00000001e SeCreateGlobalPrivilege           Attributes - Enabled Default\n"
    "20 0x000000021 SeIncreaseWorkingSetPrivilege     Attributes -\n"
    "21 0x000000022 SeTimeZonePrivilege               Attributes -\n"
    "22 0x000000023 SeCreateSymbolicLinkPrivilege     Attributes -\n";

static const char *const FILTERED =
    "Privs:\n"
    "00 0x000000013 SeShutdownPrivilege               Attributes -\n"
    "01 0x000000017 SeChangeNotifyPrivilege           Attributes - Enabled Default\n"
    "02 0x000000019 SeUndockPrivilege                 Attributes -\n"
    "03 0x000000021 SeIncreaseWorkingSetPrivilege     Attributes -\n"
    "04 0x000000022 SeTimeZonePrivilege               Attributes -\n";

/* The blog page collapsed the padding of this one to single spaces. */
static const char *const NETWORK_SERVICE_COLLAPSED =
    "Privs:\n"
    "00 0x000000003 SeAssignPrimaryTokenPrivilege Attributes -\n"
    "01 0x000000005 SeIncreaseQuotaPrivilege Attributes -\n"
    "02 0x000000013 SeShutdownPrivilege Attributes -\n"
    "03 0x000000015 SeAuditPrivilege Attributes -\n"
    "04 0x000000017 SeChangeNotifyPrivilege Attributes - Enabled Default\n"
    "05 0x000000019 SeUndockPrivilege Attributes -\n"
    "06 0x00000001d SeImpersonatePrivilege Attributes - Enabled Default\n"
    "07 0x00000001e SeCreateGlobalPrivilege Attributes - Enabled Default\n"
    "08 0x000000021 SeIncreaseWorkingSetPrivilege Attributes -\n"
    "09 0x000000022 SeTimeZonePrivilege Attributes -\n";

static toksim_world *win7_admin_world(void)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    h4_ok(toksim_world_new(&w, "UIKOU-SEVEN", NULL, "win7", &e), e);
    toksim_account a = {0};
    a.kind = TOKSIM_ACCOUNT_USER;
    a.scope = TOKSIM_SCOPE_MACHINE;
    a.name = "uiko";
    toksim_sid sid, admins = ts_test_sid("S-1-5-32-544");
    h4_ok(toksim_world_add_account(w, &a, &sid, &e), e);
    h4_ok(toksim_world_add_member(w, &admins, &sid, &e), e);
    return w;
}

static char *privs_of(toksim_world *w, const char *user, bool elevated)
{
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.elevated = elevated;
    toksim_logon_result r;
    toksim_error e = {0};
    h4_ok(toksim_logon_user(&r, w, user, TOKSIM_LOGON_INTERACTIVE, &opt, NULL, &e), e);
    cr_assert(r.success, "logon failed with %u", r.win32_error);
    char *text = NULL;
    ts_assert_ok(toksim_token_render_windbg_privs(&text, r.token), NULL);
    toksim_token_free(r.token);
    return text;
}

Test(token_render, seed_elevated_admin_privs_exact)
{
    toksim_world *w = win7_admin_world();
    char *t = privs_of(w, "uiko", true);
    cr_assert_str_eq(t, ELEVATED);
    free(t);
    toksim_world_free(w);
}

Test(token_render, seed_filtered_admin_privs_exact)
{
    toksim_world *w = win7_admin_world();
    char *t = privs_of(w, "uiko", false);
    cr_assert_str_eq(t, FILTERED);
    free(t);
    toksim_world_free(w);
}

static void collapse(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++)
        if (!(*p == ' ' && (p[1] == ' ')))
            *o++ = *p;
    *o = '\0';
}

Test(token_render, seed_network_service_privs)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    h4_ok(toksim_world_new(&w, "UIKOU-SEVEN", NULL, "win7", &e), e);
    toksim_token *tok = NULL;
    h4_ok(toksim_logon_builtin(&tok, w, TOKSIM_BUILTIN_NETWORK_SERVICE, NULL, NULL, &e),
          e);
    char *t = NULL;
    ts_assert_ok(toksim_token_render_windbg_privs(&t, tok), NULL);
    collapse(t);
    cr_assert_str_eq(t, NETWORK_SERVICE_COLLAPSED);
    free(t);
    toksim_token_free(tok);
    toksim_world_free(w);
}

Test(token_render, win10_elevated_admin_adds_delegate_session_privilege)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    h4_ok(toksim_world_new(&w, "WS01", NULL, "win10", &e), e);
    toksim_account a = {0};
    a.kind = TOKSIM_ACCOUNT_USER;
    a.name = "admin";
    toksim_sid sid, admins = ts_test_sid("S-1-5-32-544");
    h4_ok(toksim_world_add_account(w, &a, &sid, &e), e);
    h4_ok(toksim_world_add_member(w, &admins, &sid, &e), e);
    char *t = privs_of(w, "admin", true);
    cr_assert(
        strstr(t, "0x000000024 SeDelegateSessionUserImpersonatePrivilege Attributes -\n"),
        "%s", t);
    free(t);
    toksim_world_free(w);
}

Test(token_render, whoami_filtered_admin_layout)
{
    toksim_world *w = win7_admin_world();
    toksim_logon_result r;
    toksim_error e = {0};
    h4_ok(toksim_logon_user(&r, w, "UIKOU-SEVEN\\uiko", TOKSIM_LOGON_INTERACTIVE, NULL,
                            NULL, &e),
          e);
    char *t = NULL;
    ts_assert_ok(toksim_token_render_whoami(&t, r.token, w), NULL);
    cr_assert(strstr(t, "\nUSER INFORMATION\n----------------\n\nUser Name        SID\n"),
              "%s", t);
    cr_assert(strstr(t, "uikou-seven\\uiko S-1-5-21-1000-2000-3000-1000\n"), "%s", t);
    cr_assert(strstr(t, "Everyone "), "%s", t);
    cr_assert(strstr(t, "Well-known group S-1-1-0      Mandatory group, Enabled by "
                        "default, Enabled group\n"),
              "%s", t);
    cr_assert(strstr(t, "BUILTIN\\Administrators"), "%s", t);
    cr_assert(strstr(t, "Alias            S-1-5-32-544 Group used for deny only\n"), "%s",
              t);
    cr_assert(strstr(t, "Mandatory Label\\Medium Mandatory Level"), "%s", t);
    cr_assert(strstr(t, "Label            S-1-16-8192  \n"), "%s", t);
    cr_assert(strstr(t, "SeShutdownPrivilege           Shut down the system              "
                        "   Disabled\n"),
              "%s", t);
    cr_assert(strstr(t, "SeChangeNotifyPrivilege       Bypass traverse checking          "
                        "   Enabled\n"),
              "%s", t);
    cr_assert_null(strstr(t, "S-1-5-5-"), "the logon SID is not listed by whoami");
    free(t);
    toksim_token_free(r.token);
    toksim_world_free(w);
}

/* Cross-check with the whoami importer (whoami.h): what we print parses back to the same
 * user, groups (attributes) and privileges (state). The logon SID is not shown by whoami.
 */
Test(token_render, whoami_output_reads_back_through_the_importer)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    h4_ok(toksim_world_load_file(&w, "tests/data/world/contoso.json", &e), e);
    const char *users[] = {"localadmin", "CONTOSO\\alice", "svc_sql",
                           "NT AUTHORITY\\NETWORK SERVICE"};
    for (size_t u = 0; u < sizeof users / sizeof users[0]; u++) {
        toksim_logon_result r;
        h4_ok(toksim_logon_user(&r, w, users[u],
                                u == 3 ? TOKSIM_LOGON_SERVICE : TOKSIM_LOGON_INTERACTIVE,
                                NULL, NULL, &e),
              e);
        cr_assert(r.success);
        char *text = NULL;
        ts_assert_ok(toksim_token_render_whoami(&text, r.token, w), NULL);
        toksim_token *back = NULL;
        toksim_sid_context ctx = toksim_world_sid_context(w);
        h4_ok(toksim_token_from_whoami(&back, text, strlen(text), &ctx, &e), e);
        cr_assert(toksim_sid_equal(toksim_token_user(back), toksim_token_user(r.token)),
                  "%s", users[u]);
        for (size_t i = 0; i < toksim_token_group_count(r.token); i++) {
            const toksim_group *g = toksim_token_group_at(r.token, i);
            if ((g->attributes & TOKSIM_SE_GROUP_LOGON_ID) == TOKSIM_SE_GROUP_LOGON_ID)
                continue;
            const toksim_group *b = toksim_token_find_group(back, &g->sid);
            char s[TOKSIM_SID_STRING_MAX];
            toksim_sid_format(s, sizeof s, &g->sid);
            if (g->attributes & TOKSIM_SE_GROUP_INTEGRITY) {
                cr_assert_eq(toksim_token_integrity(back),
                             toksim_token_integrity(r.token), "%s", users[u]);
                continue;
            }
            cr_assert_not_null(b, "%s: group %s lost", users[u], s);
            cr_assert_eq(b->attributes, g->attributes, "%s: group %s attributes",
                         users[u], s);
        }
        cr_assert_eq(toksim_token_privilege_count(back),
                     toksim_token_privilege_count(r.token), "%s", users[u]);
        for (size_t i = 0; i < toksim_token_privilege_count(r.token); i++) {
            uint32_t luid, a;
            cr_assert(toksim_token_privilege_at(r.token, i, &luid, &a));
            cr_assert_eq(toksim_token_privilege_enabled(back, luid),
                         (a & TOKSIM_SE_PRIVILEGE_ENABLED) != 0, "%s: privilege %u",
                         users[u], luid);
        }
        toksim_token_free(back);
        free(text);
        toksim_token_free(r.token);
    }
    toksim_world_free(w);
}

Test(token_render, resource_group_reads_local_group_and_back)
{
    /* whoami prints "Local Group" for SE_GROUP_RESOURCE (domain-local groups) */
    toksim_world *w = NULL;
    toksim_error e = {0};
    h4_ok(toksim_world_new(&w, "WS01", NULL, NULL, &e), e);
    toksim_sid u, g;
    h4_ok(toksim_sid_parse(&u, "S-1-5-21-1000-2000-3000-1001", &e), e);
    h4_ok(toksim_sid_parse(&g, "S-1-5-21-7-8-9-1200", &e), e);
    toksim_token *t = NULL;
    ts_assert_ok(toksim_token_new(&t, &u), NULL);
    ts_assert_ok(
        toksim_token_add_group(t, &g, TOKSIM_SE_GROUP_DEFAULT | TOKSIM_SE_GROUP_RESOURCE),
        NULL);
    char *text = NULL;
    ts_assert_ok(toksim_token_render_whoami(&text, t, w), NULL);
    cr_assert(
        strstr(text, "Mandatory group, Enabled by default, Enabled group, Local Group"),
        "%s", text);
    toksim_token *back = NULL;
    toksim_sid_context ctx = toksim_world_sid_context(w);
    h4_ok(toksim_token_from_whoami(&back, text, strlen(text), &ctx, &e), e);
    const toksim_group *b = toksim_token_find_group(back, &g);
    cr_assert_not_null(b, "%s", text);
    cr_assert_eq(b->attributes, TOKSIM_SE_GROUP_DEFAULT | TOKSIM_SE_GROUP_RESOURCE);
    toksim_token_free(back);
    toksim_token_free(t);
    free(text);
    toksim_world_free(w);
}
