/* PURPOSE: issue 18: logon tokens as Windows composes them: computer accounts refused
 * for non-network logons (STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT) with Domain
 * Computers as primary group, High integrity for unfiltered tokens holding the UAC
 * elevated set (groups or privileges), and the authentication-package SIDs (NTLM
 * S-1-5-64-10, Kerberos S-1-18-1, S4U S-1-18-2). */
#include "h4_test_util.h"

#define S_THISORG "S-1-5-15"
#define S_NTLM    "S-1-5-64-10"
#define S_AAAI    "S-1-18-1"
#define S_SAI     "S-1-18-2"
#define S_BACKUP  "S-1-5-32-551"

static toksim_world *joined(void)
{
    toksim_world *w = h4_world(NULL);
    toksim_sid dom = ts_test_sid("S-1-5-21-111-222-333");
    toksim_error e = {0};
    h4_ok(toksim_world_join_domain(w, "CONTOSO", &dom, &e), e);
    return w;
}

static toksim_logon_result
try_logon(toksim_world *w, const char *user, toksim_logon_type type, toksim_trace *tr)
{
    toksim_logon_result r;
    toksim_error e = {0};
    h4_ok(toksim_logon_user(&r, w, user, type, NULL, tr, &e), e);
    return r;
}

/* MS-ERREF 2.3.1: STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT 0xC0000199 "The account used
 * is a computer account"; winerror.h ERROR_NOLOGON_WORKSTATION_TRUST_ACCOUNT 1808 (1807
 * is the interdomain trust account). */
Test(logon18, computer_account_refused_interactively)
{
    toksim_world *w = joined();
    static const toksim_logon_type refused[] = {
        TOKSIM_LOGON_INTERACTIVE, TOKSIM_LOGON_BATCH, TOKSIM_LOGON_SERVICE,
        TOKSIM_LOGON_REMOTE_INTERACTIVE, TOKSIM_LOGON_NETWORK_CLEARTEXT};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        toksim_trace tr = {0};
        toksim_logon_result r = try_logon(w, "CONTOSO\\WS01$", refused[i], &tr);
        cr_assert_not(r.success, "type %d", (int)refused[i]);
        cr_assert_eq(r.win32_error, 1808u);
        cr_assert_eq(r.ntstatus, 0xC0000199u);
        cr_assert(h4_trace_has(&tr, "logon.trust_account"));
        cr_assert_null(r.token);
        toksim_trace_dispose(&tr);
    }
    toksim_world_free(w);
}

Test(logon18, computer_account_network_logon_and_primary_group)
{
    toksim_world *w = joined();
    toksim_token *t = h4_logon(w, "CONTOSO\\WS01$", TOKSIM_LOGON_NETWORK, NULL);
    toksim_sid dc = ts_test_sid("S-1-5-21-111-222-333-515");
    cr_assert(toksim_sid_equal(toksim_token_primary_group(t), &dc),
              "a computer account's primary group is Domain Computers (515)");
    cr_assert(h4_has_group(t, "S-1-5-21-111-222-333-515"));
    cr_assert(h4_has_group(t, S_AAAI), "Negotiate picks Kerberos for a domain account");
    toksim_token_free(t);
    /* a user account keeps Domain Users */
    toksim_account a;
    memset(&a, 0, sizeof a);
    a.kind = TOKSIM_ACCOUNT_USER;
    a.scope = TOKSIM_SCOPE_DOMAIN;
    a.name = "dana";
    toksim_error e = {0};
    h4_ok(toksim_world_add_account(w, &a, NULL, &e), e);
    t = h4_logon(w, "CONTOSO\\dana", TOKSIM_LOGON_INTERACTIVE, NULL);
    toksim_sid du = ts_test_sid("S-1-5-21-111-222-333-513");
    cr_assert(toksim_sid_equal(toksim_token_primary_group(t), &du));
    toksim_token_free(t);
    toksim_world_free(w);
}

/* How User Account Control works / Corio 2007: Backup Operators is in the elevated set. A
 * network logon of a domain member is not filtered (KB 951016), so the token is High
 * (a real whoami /all over WinRM of a Backup Operators member shows High). */
Test(logon18, unfiltered_backup_operator_is_high)
{
    toksim_world *w = joined();
    toksim_account a;
    memset(&a, 0, sizeof a);
    a.kind = TOKSIM_ACCOUNT_USER;
    a.scope = TOKSIM_SCOPE_DOMAIN;
    a.name = "bk";
    toksim_sid sid;
    toksim_error e = {0};
    h4_ok(toksim_world_add_account(w, &a, &sid, &e), e);
    toksim_sid bo = ts_test_sid(S_BACKUP);
    h4_ok(toksim_world_add_member(w, &bo, &sid, &e), e);
    toksim_trace tr = {0};
    toksim_logon_result r = try_logon(w, "CONTOSO\\bk", TOKSIM_LOGON_NETWORK, &tr);
    cr_assert(r.success);
    cr_assert_eq(toksim_token_integrity(r.token), TOKSIM_IL_HIGH);
    cr_assert_eq(h4_group_attrs(r.token, S_BACKUP), 7u, "not deny-only: unfiltered");
    cr_assert(toksim_token_is_elevated(r.token));
    toksim_token_free(r.token);
    toksim_trace_dispose(&tr);
    /* interactively the same account is split: the filtered token is Medium */
    toksim_token *lim = h4_logon(w, "CONTOSO\\bk", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert_eq(toksim_token_integrity(lim), TOKSIM_IL_MEDIUM);
    cr_assert_eq(h4_group_attrs(lim, S_BACKUP), TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    toksim_token_free(lim);
    toksim_world_free(w);
}

/* The privilege half of the same table: a user granted SeBackupPrivilege alone is split;
 * the filtered token loses only the elevated privileges; the full token is High. */
Test(logon18, elevated_privilege_splits_and_is_high)
{
    toksim_world *w = h4_world(NULL);
    toksim_sid bob = h4_add_user(w, "bob", NULL);
    cr_assert_eq(toksim_policy_grant(toksim_world_policy(w), TOKSIM_PRIV_BACKUP, &bob),
                 TOKSIM_OK);
    cr_assert_eq(
        toksim_policy_grant(toksim_world_policy(w), TOKSIM_PRIV_SYSTEMTIME, &bob),
        TOKSIM_OK);
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.elevated = true;
    toksim_token *full = h4_logon(w, "bob", TOKSIM_LOGON_INTERACTIVE, &opt);
    cr_assert_eq(toksim_token_integrity(full), TOKSIM_IL_HIGH);
    const toksim_token *lim = toksim_token_linked(full);
    cr_assert_not_null(lim, "SeBackupPrivilege alone yields a split token");
    cr_assert_eq(toksim_token_integrity(lim), TOKSIM_IL_MEDIUM);
    cr_assert_eq(toksim_token_privilege(lim, TOKSIM_PRIV_BACKUP), -1);
    cr_assert_geq(toksim_token_privilege(lim, TOKSIM_PRIV_SYSTEMTIME), 0,
                  "no elevated group: only the elevated privileges are removed");
    toksim_token_free(full);
    toksim_world_free(w);
}

Test(logon18, package_sids)
{
    toksim_world *w = joined();
    h4_add_user(w, "bob", NULL);
    toksim_trace tr = {0};
    toksim_logon_result r = try_logon(w, "bob", TOKSIM_LOGON_INTERACTIVE, &tr);
    cr_assert(r.success);
    cr_assert(h4_has_group(r.token, S_NTLM), "local account: NTLM Authentication");
    cr_assert(h4_has_group(r.token, S_THISORG), "local account: This Organization");
    cr_assert_not(h4_has_group(r.token, S_AAAI));
    cr_assert(h4_trace_has(&tr, "logon.auth_package"));
    toksim_token_free(r.token);
    toksim_trace_dispose(&tr);
    toksim_account a;
    memset(&a, 0, sizeof a);
    a.kind = TOKSIM_ACCOUNT_USER;
    a.scope = TOKSIM_SCOPE_DOMAIN;
    a.name = "dana";
    toksim_error e = {0};
    h4_ok(toksim_world_add_account(w, &a, NULL, &e), e);
    toksim_token *t = h4_logon(w, "CONTOSO\\dana", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert(h4_has_group(t, S_AAAI), "Kerberos: Authentication authority asserted");
    cr_assert_not(h4_has_group(t, S_NTLM));
    toksim_token_free(t);
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.package = TOKSIM_AUTH_S4U;
    t = h4_logon(w, "CONTOSO\\dana", TOKSIM_LOGON_NETWORK, &opt);
    cr_assert(h4_has_group(t, S_SAI), "S4U: Service asserted identity");
    cr_assert_not(h4_has_group(t, S_AAAI));
    toksim_token_free(t);
    opt.package = TOKSIM_AUTH_NTLM;
    t = h4_logon(w, "CONTOSO\\dana", TOKSIM_LOGON_NETWORK, &opt);
    cr_assert(h4_has_group(t, S_NTLM));
    cr_assert_not(h4_has_group(t, S_AAAI));
    toksim_token_free(t);
    toksim_world_free(w);
}

/* MS-ERREF 2.3.1 / winerror.h: the account-state answers of LogonUser, from a world file
 * (tests/data/world/account_state.json, "now" 2026-06-01). A locked-out account answers
 * 1909 even with a wrong password (it is checked first). */
Test(logon18, account_state_from_the_world)
{
    toksim_world *w = h4_load("tests/data/world/account_state.json");
    static const struct {
        const char *user;
        uint32_t win32, nt;
    } cases[] = {{"locked", 1909, 0xC0000234u}, {"old", 1793, 0xC0000193u},
                 {"pwexp", 1330, 0xC0000071u},  {"mustchg", 1907, 0xC0000224u},
                 {"night", 1328, 0xC000006Fu},  {"kiosk", 1329, 0xC0000070u}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        toksim_logon_options opt;
        toksim_logon_options_init(&opt);
        opt.password = "wrong";
        toksim_trace tr = {0};
        toksim_logon_result r;
        toksim_error e = {0};
        h4_ok(toksim_logon_user(&r, w, cases[i].user, TOKSIM_LOGON_INTERACTIVE,
                                strcmp(cases[i].user, "locked") == 0 ? &opt : NULL, &tr,
                                &e),
              e);
        cr_assert_not(r.success, "%s", cases[i].user);
        cr_assert_eq(r.win32_error, cases[i].win32, "%s: %u", cases[i].user,
                     r.win32_error);
        cr_assert_eq(r.ntstatus, cases[i].nt, "%s", cases[i].user);
        cr_assert(h4_trace_has(&tr, "logon.account_state"));
        toksim_trace_dispose(&tr);
    }
    /* not yet expired; allowed on this workstation; the workstation of a network logon
     * is the client's, not checked here */
    toksim_token_free(h4_logon(w, "future", TOKSIM_LOGON_INTERACTIVE, NULL));
    toksim_token_free(h4_logon(w, "here", TOKSIM_LOGON_INTERACTIVE, NULL));
    toksim_token_free(h4_logon(w, "kiosk", TOKSIM_LOGON_NETWORK, NULL));
    toksim_world_free(w);
}

Test(logon18, account_state_bad_input_has_a_position)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_world_load_file(&w, "tests/data/world/bad_expiry.json", &e),
                 TOKSIM_EPARSE);
    cr_assert_eq(e.line, 2);
    cr_assert(strstr(e.message, "account_expires"), "%s", e.message);
    cr_assert_eq(toksim_world_load_file(&w, "tests/data/world/bad_locked_out.json", &e),
                 TOKSIM_EPARSE);
    cr_assert(strstr(e.message, "expected true or false"), "%s", e.message);
    cr_assert_null(w);
}

/* A local group cannot hold another local group (NetLocalGroupAddMembers: 1388
 * ERROR_INVALID_MEMBER, "the member has the wrong account type"); a domain group can. */
Test(logon18, local_group_in_local_group_refused)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    cr_assert_eq(
        toksim_world_load_file(&w, "tests/data/world/bad_local_nesting.json", &e),
        TOKSIM_EINVAL);
    cr_assert_eq(e.line, 4);
    cr_assert(strstr(e.message, "1388"), "%s", e.message);
    cr_assert_null(w);
    w = joined();
    toksim_sid team, admins = ts_test_sid("S-1-5-32-544");
    toksim_account a;
    memset(&a, 0, sizeof a);
    a.kind = TOKSIM_ACCOUNT_ALIAS;
    a.scope = TOKSIM_SCOPE_MACHINE;
    a.name = "Team";
    h4_ok(toksim_world_add_account(w, &a, &team, &e), e);
    cr_assert_eq(toksim_world_add_member(w, &admins, &team, &e), TOKSIM_EINVAL);
    toksim_sid da = ts_test_sid("S-1-5-21-111-222-333-512");
    h4_ok(toksim_world_add_member(w, &team, &da, &e), e);
    toksim_world_free(w);
}

/* UAC settings as world settings (registry DWORDs): LocalAccountTokenFilterPolicy=1 keeps
 * a local administrator's network token unfiltered (KB 951016), EnableLUA=0 turns UAC off
 * (User Account Control settings and configuration, Microsoft Learn); a caller's explicit
 * switch wins over the world. */
Test(logon18, uac_settings_from_the_world)
{
    toksim_world *w = h4_load("tests/data/world/settings.json");
    toksim_token *t = h4_logon(w, "localadmin", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert_eq(h4_group_attrs(t, "S-1-5-32-544") & TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY,
                 0u);
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_HIGH);
    toksim_token_free(t);
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.flags &= ~TOKSIM_LOGON_LOCAL_ACCOUNT_TOKEN_FILTER;
    opt.flags_fixed |= TOKSIM_LOGON_LOCAL_ACCOUNT_TOKEN_FILTER;
    t = h4_logon(w, "localadmin", TOKSIM_LOGON_NETWORK, &opt);
    cr_assert_eq(h4_group_attrs(t, "S-1-5-32-544"), TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_MEDIUM);
    toksim_token_free(t);
    cr_assert_not(toksim_world_everyone_includes_anonymous(w));
    toksim_error e = {0};
    h4_ok(toksim_world_set_setting(w, "EnableLUA", 0, &e), e);
    h4_ok(toksim_world_set_setting(w, "EveryoneIncludesAnonymous", 1, &e), e);
    cr_assert(toksim_world_everyone_includes_anonymous(w));
    t = h4_logon(w, "localadmin", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert_null(toksim_token_linked(t), "EnableLUA=0: no split token");
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_HIGH);
    toksim_token_free(t);
    cr_assert_eq(toksim_world_set_setting(w, "EnableLUAA", 0, &e), TOKSIM_ENOTFOUND);
    toksim_world_free(w);
    w = NULL;
    cr_assert_eq(toksim_world_load_file(&w, "tests/data/world/bad_setting.json", &e),
                 TOKSIM_EPARSE);
    cr_assert_eq(e.line, 2);
    cr_assert(strstr(e.message, "settings.EnableLUA"), "%s", e.message);
}

/* A null session: ANONYMOUS LOGON S-1-5-7 in logon session 0x3E6 (ANONYMOUS_LOGON_LUID,
 * winnt.h), Everyone only with EveryoneIncludesAnonymous=1, never Authenticated Users;
 * LogonUser of any other type still fails with 1326. */
Test(logon18, anonymous_network_logon)
{
    toksim_world *w = h4_world(NULL);
    toksim_trace tr = {0};
    toksim_logon_result r =
        try_logon(w, "NT AUTHORITY\\ANONYMOUS LOGON", TOKSIM_LOGON_NETWORK, &tr);
    cr_assert(r.success);
    cr_assert(h4_trace_has(&tr, "logon.anonymous_network"));
    cr_assert_eq(toksim_token_auth_id(r.token), 0x3E6u);
    cr_assert_not(h4_has_group(r.token, "S-1-1-0"));
    cr_assert_not(h4_has_group(r.token, "S-1-5-11"));
    cr_assert_eq(toksim_token_privilege_count(r.token), 0u);
    cr_assert_eq(toksim_token_type_of(r.token), TOKSIM_TOKEN_IMPERSONATION);
    toksim_token_free(r.token);
    toksim_trace_dispose(&tr);
    toksim_error e = {0};
    h4_ok(toksim_world_set_setting(w, "EveryoneIncludesAnonymous", 1, &e), e);
    r = try_logon(w, "NT AUTHORITY\\ANONYMOUS LOGON", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert(r.success && h4_has_group(r.token, "S-1-1-0"));
    toksim_token_free(r.token);
    r = try_logon(w, "NT AUTHORITY\\ANONYMOUS LOGON", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert_not(r.success);
    cr_assert_eq(r.win32_error, 1326u);
    toksim_sid anon = ts_test_sid("S-1-5-7");
    cr_assert_eq(toksim_logon_default_type(&anon), TOKSIM_LOGON_NETWORK);
    toksim_world_free(w);
}

/* Account kinds in the world: "computer" is a workstation trust account (1808 for
 * non-network logons), "gmsa" a group managed service account (its name ends in $ too,
 * but it is not a computer account; primaryGroupID 515 Domain Computers, as for
 * computers); an unknown kind is a load error with its position. */
Test(logon18, account_kinds)
{
    toksim_world *w = h4_load("tests/data/world/account_kinds.json");
    toksim_logon_result r = try_logon(w, "CONTOSO\\SRV02$", TOKSIM_LOGON_BATCH, NULL);
    cr_assert_not(r.success);
    cr_assert_eq(r.win32_error, 1808u);
    toksim_token *t = h4_logon(w, "CONTOSO\\svc_web$", TOKSIM_LOGON_NETWORK, NULL);
    toksim_sid dc = ts_test_sid("S-1-5-21-111-222-333-515");
    cr_assert(toksim_sid_equal(toksim_token_primary_group(t), &dc));
    cr_assert_not(h4_has_group(t, "S-1-5-21-111-222-333-513"), "not in Domain Users");
    toksim_token_free(t);
    r = try_logon(w, "CONTOSO\\svc_web$", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert_neq(r.win32_error, 1808u, "a gMSA is not a computer account");
    toksim_token_free(r.token);
    toksim_world_free(w);
    w = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_world_load_file(&w, "tests/data/world/bad_kind.json", &e),
                 TOKSIM_EPARSE);
    cr_assert_eq(e.line, 2);
    cr_assert(strstr(e.message, "robot"), "%s", e.message);
}
