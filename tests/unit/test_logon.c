/* PURPOSE: LogonUser: the groups of each logon type, privileges from the rights of every
 * SID of the token, initial privilege state, logon-right checks (deny wins), account
 * failures, token type/origin/auth id, built-in service accounts (windows-model §4,
 * §13.5). */
#include "h4_test_util.h"

#define S_EVERYONE    "S-1-1-0"
#define S_LOCAL       "S-1-2-0"
#define S_CONSOLE     "S-1-2-1"
#define S_NETWORK     "S-1-5-2"
#define S_BATCH       "S-1-5-3"
#define S_INTERACTIVE "S-1-5-4"
#define S_SERVICE     "S-1-5-6"
#define S_AU          "S-1-5-11"
#define S_RIL         "S-1-5-14"
#define S_THISORG     "S-1-5-15"
#define S_NTLM        "S-1-5-64-10"
#define S_USERS       "S-1-5-32-545"

static bool has_logon_sid(const toksim_token *t)
{
    for (size_t i = 0; i < toksim_token_group_count(t); i++) {
        const toksim_group *g = toksim_token_group_at(t, i);
        if (toksim_sid_authority(&g->sid) == 5 && g->sid.count == 3 && g->sid.sub[0] == 5)
            return g->attributes == 0xC0000007u;
    }
    return false;
}

Test(logon, interactive_group_set)
{
    toksim_world *w = h4_world(NULL);
    h4_add_user(w, "bob", NULL);
    toksim_token *t = h4_logon(w, "bob", TOKSIM_LOGON_INTERACTIVE, NULL);
    const char *want[] = {S_EVERYONE, S_INTERACTIVE, S_CONSOLE, S_AU, S_LOCAL, S_USERS};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        cr_assert(h4_has_group(t, want[i]), "interactive token lacks %s", want[i]);
        cr_assert_eq(h4_group_attrs(t, want[i]), 7u, "%s", want[i]);
    }
    cr_assert_not(h4_has_group(t, S_NETWORK));
    /* issue 18: a local account's MSV1_0 logon carries This Organization and NTLM
     * Authentication (real whoami /all layout, tests/data/whoami/filtered_admin_utf16le)
     */
    cr_assert(h4_has_group(t, S_THISORG), "local account: This Organization");
    cr_assert(h4_has_group(t, S_NTLM), "local interactive logon: NTLM Authentication");
    cr_assert(has_logon_sid(t), "logon SID S-1-5-5-X-Y with 0xC0000007");
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_MEDIUM);
    cr_assert_eq(toksim_token_type_of(t), TOKSIM_TOKEN_PRIMARY);
    /* standard user: only SeChangeNotify enabled (§4.3, L7) */
    cr_assert(toksim_token_privilege_enabled(t, TOKSIM_PRIV_CHANGE_NOTIFY));
    cr_assert_eq(toksim_token_privilege(t, TOKSIM_PRIV_SHUTDOWN), 0);
    cr_assert_eq(toksim_token_privilege(t, TOKSIM_PRIV_IMPERSONATE), -1);
    toksim_token_free(t);
    toksim_world_free(w);
}

Test(logon, network_group_set_ntlm_and_all_privileges_enabled)
{
    toksim_world *w = h4_world(NULL);
    h4_add_user(w, "bob", NULL);
    toksim_token *t = h4_logon(w, "bob", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert(h4_has_group(t, S_NETWORK));
    cr_assert(h4_has_group(t, S_NTLM),
              "Negotiate falls back to NTLM for a local account");
    cr_assert_not(h4_has_group(t, S_INTERACTIVE));
    cr_assert_not(h4_has_group(t, S_LOCAL));
    cr_assert_not(h4_has_group(t, S_CONSOLE));
    cr_assert_eq(toksim_token_type_of(t), TOKSIM_TOKEN_IMPERSONATION);
    cr_assert_eq(toksim_token_level(t), TOKSIM_IMP_IMPERSONATION);
    cr_assert_eq(toksim_token_privilege(t, TOKSIM_PRIV_SHUTDOWN), 3,
                 "network logon: every privilege enabled");
    cr_assert_eq(toksim_token_origin(t), 0u, "network authentication: no origin");
    toksim_token_free(t);
    /* the UNCONFIRMED rule can be flipped */
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.flags &= ~TOKSIM_LOGON_NETWORK_ALL_ENABLED;
    t = h4_logon(w, "bob", TOKSIM_LOGON_NETWORK_CLEARTEXT, &opt);
    cr_assert(h4_has_group(t, S_NETWORK));
    cr_assert_eq(toksim_token_privilege(t, TOKSIM_PRIV_SHUTDOWN), 0);
    toksim_token_free(t);
    toksim_world_free(w);
}

Test(logon, batch_service_remote_interactive_group_sets)
{
    toksim_world *w = h4_world(NULL);
    toksim_sid bob = h4_add_user(w, "bob", NULL);
    toksim_policy *p = toksim_world_policy(w);
    ts_assert_ok(toksim_policy_grant(p, TOKSIM_RIGHT_BATCH_LOGON, &bob), NULL);
    ts_assert_ok(toksim_policy_grant(p, TOKSIM_RIGHT_SERVICE_LOGON, &bob), NULL);
    ts_assert_ok(toksim_policy_grant(p, TOKSIM_RIGHT_REMOTE_INTERACTIVE_LOGON, &bob),
                 NULL);
    toksim_token *t = h4_logon(w, "bob", TOKSIM_LOGON_BATCH, NULL);
    cr_assert(h4_has_group(t, S_BATCH) && h4_has_group(t, S_LOCAL) &&
              !h4_has_group(t, S_INTERACTIVE));
    toksim_token_free(t);
    t = h4_logon(w, "bob", TOKSIM_LOGON_SERVICE, NULL);
    cr_assert(h4_has_group(t, S_SERVICE) && h4_has_group(t, S_LOCAL));
    /* privileges come from the rights of group SIDs: SERVICE holds SeImpersonatePrivilege
     */
    cr_assert(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE));
    cr_assert(toksim_token_privilege_enabled(t, TOKSIM_PRIV_CREATE_GLOBAL));
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_HIGH);
    toksim_token_free(t);
    t = h4_logon(w, "bob", TOKSIM_LOGON_REMOTE_INTERACTIVE, NULL);
    cr_assert(h4_has_group(t, S_RIL) && h4_has_group(t, S_INTERACTIVE),
              "RDP tokens carry S-1-5-14 and S-1-5-4");
    cr_assert_not(h4_has_group(t, S_LOCAL));
    toksim_token_free(t);
    toksim_world_free(w);
}

Test(logon, missing_right_and_deny_wins)
{
    toksim_world *w = h4_world(NULL);
    toksim_sid bob = h4_add_user(w, "bob", NULL);
    toksim_logon_result r;
    toksim_error e = {0};
    toksim_trace tr;
    toksim_trace_init(&tr);
    /* L1-like: batch right is not held by a standard user */
    h4_ok(toksim_logon_user(&r, w, "bob", TOKSIM_LOGON_BATCH, NULL, &tr, &e), e);
    cr_assert_not(r.success);
    cr_assert_eq(r.win32_error, 1385u);
    cr_assert_eq(r.ntstatus, 0xC000015Bu);
    cr_assert(h4_trace_has(&tr, "logon.right.missing"));
    /* L2: in both SeInteractiveLogonRight (through Users) and SeDenyInteractiveLogonRight
     */
    ts_assert_ok(toksim_policy_grant(toksim_world_policy(w),
                                     TOKSIM_RIGHT_DENY_INTERACTIVE_LOGON, &bob),
                 NULL);
    toksim_trace_clear(&tr);
    h4_ok(toksim_logon_user(&r, w, "bob", TOKSIM_LOGON_INTERACTIVE, NULL, &tr, &e), e);
    cr_assert_eq(r.win32_error, 1385u, "deny wins");
    cr_assert(h4_trace_has(&tr, "logon.right.deny"));
    /* deny through a group works too */
    toksim_sid users = ts_test_sid(S_USERS);
    ts_assert_ok(toksim_policy_grant(toksim_world_policy(w),
                                     TOKSIM_RIGHT_DENY_NETWORK_LOGON, &users),
                 NULL);
    h4_ok(toksim_logon_user(&r, w, "bob", TOKSIM_LOGON_NETWORK, NULL, NULL, &e), e);
    cr_assert_eq(r.win32_error, 1385u);
    toksim_trace_dispose(&tr);
    toksim_world_free(w);
}

Test(logon, check_right_directly)
{
    toksim_world *w = h4_world("server");
    toksim_sid set[] = {ts_test_sid("S-1-5-82-1-2-3-4-5"), ts_test_sid(S_SERVICE),
                        ts_test_sid("S-1-5-32-568")};
    toksim_logon_right_check c;
    ts_assert_ok(toksim_logon_check_right(&c, toksim_world_policy_const(w),
                                          TOKSIM_LOGON_SERVICE, set, 3,
                                          TOKSIM_LOGON_DEFAULT_FLAGS, NULL),
                 NULL);
    cr_assert_not(c.granted, "an app-pool SID alone does not hold SeServiceLogonRight");
    ts_assert_ok(
        toksim_policy_grant(toksim_world_policy(w), TOKSIM_RIGHT_SERVICE_LOGON, &set[2]),
        NULL);
    ts_assert_ok(toksim_logon_check_right(&c, toksim_world_policy_const(w),
                                          TOKSIM_LOGON_SERVICE, set, 3,
                                          TOKSIM_LOGON_DEFAULT_FLAGS, NULL),
                 NULL);
    cr_assert(c.granted);
    cr_assert(toksim_sid_equal(&c.sid, &set[2]));
    toksim_world_free(w);
}

Test(logon, account_failures)
{
    toksim_world *w = h4_load("tests/data/world/contoso.json");
    toksim_logon_result r;
    toksim_error e = {0};
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.password = "wrong";
    h4_ok(toksim_logon_user(&r, w, "svc_sql", TOKSIM_LOGON_INTERACTIVE, &opt, NULL, &e),
          e);
    cr_assert_eq(r.win32_error, 1326u);
    opt.password = "Secret1!";
    h4_ok(toksim_logon_user(&r, w, "svc_sql", TOKSIM_LOGON_INTERACTIVE, &opt, NULL, &e),
          e);
    cr_assert(r.success);
    toksim_token_free(r.token);
    h4_ok(toksim_logon_user(&r, w, "CONTOSO\\bob", TOKSIM_LOGON_INTERACTIVE, NULL, NULL,
                            &e),
          e);
    cr_assert_eq(r.win32_error, 1331u, "disabled account");
    cr_assert_eq(r.ntstatus, 0xC0000072u);
    h4_ok(toksim_logon_user(&r, w, "CONTOSO\\nobody", TOKSIM_LOGON_INTERACTIVE, NULL,
                            NULL, &e),
          e);
    cr_assert_eq(r.win32_error, 1326u, "unknown names fail like bad passwords");
    h4_ok(
        toksim_logon_user(&r, w, "WS01\\Guest", TOKSIM_LOGON_INTERACTIVE, NULL, NULL, &e),
        e);
    cr_assert_eq(r.win32_error, 1331u, "Guest is disabled by default");
    toksim_world_free(w);
}

Test(logon, guest_has_no_authenticated_users)
{
    toksim_world *w = h4_world(NULL);
    toksim_sid guest = ts_test_sid("S-1-5-21-1000-2000-3000-501");
    ts_assert_ok(toksim_world_set_account_flags(w, &guest, 0), NULL);
    ts_assert_ok(toksim_policy_set(toksim_world_policy(w),
                                   TOKSIM_RIGHT_DENY_INTERACTIVE_LOGON, NULL, 0),
                 NULL);
    toksim_token *t = h4_logon(w, "Guest", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert_not(h4_has_group(t, S_AU), "L10");
    cr_assert(h4_has_group(t, S_EVERYONE));
    cr_assert(h4_has_group(t, "S-1-5-32-546"), "Guests alias");
    toksim_token_free(t);
    toksim_world_free(w);
}

Test(logon, domain_account_nested_groups_this_org_kerberos)
{
    toksim_world *w = h4_load("tests/data/world/contoso.json");
    toksim_token *t = h4_logon(w, "CONTOSO\\alice", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert(h4_has_group(t, S_THISORG));
    cr_assert_not(h4_has_group(t, S_NTLM),
                  "Negotiate picks Kerberos for a domain account");
    cr_assert(h4_has_group(t, "S-1-5-21-111-222-333-513"), "Domain Users");
    cr_assert(h4_has_group(t, "S-1-5-32-555"),
              "nested: SQL Admins -> Remote Desktop Users");
    cr_assert(h4_has_group(t, S_USERS));
    cr_assert_eq(toksim_token_privilege(t, TOKSIM_PRIV_IMPERSONATE), -1);
    toksim_token_free(t);
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.package = TOKSIM_AUTH_NTLM;
    t = h4_logon(w, "CONTOSO\\alice", TOKSIM_LOGON_NETWORK, &opt);
    cr_assert(h4_has_group(t, S_NTLM));
    toksim_token_free(t);
    toksim_world_free(w);
}

Test(logon, origin_auth_id_and_new_credentials)
{
    toksim_world *w = h4_world(NULL);
    h4_add_user(w, "bob", NULL);
    h4_add_user(w, "carl", NULL);
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.caller_logon_id = 0x3e7;
    toksim_token *a = h4_logon(w, "bob", TOKSIM_LOGON_INTERACTIVE, &opt);
    toksim_token *b = h4_logon(w, "bob", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert_eq(toksim_token_auth_id(a), 0x10000u, "deterministic logon session LUIDs");
    cr_assert_eq(toksim_token_auth_id(b), 0x10001u);
    cr_assert_eq(toksim_token_origin(a), 0x3e7u,
                 "explicit credentials: origin = caller's logon session");
    toksim_token *n = h4_logon(w, "bob", TOKSIM_LOGON_NETWORK, &opt);
    cr_assert_eq(toksim_token_origin(n), 0x3e7u,
                 "LogonUser(NETWORK) with a password is explicit too");
    toksim_token_free(n);
    /* L3: NewCredentials clones the caller; no logon right checked */
    toksim_logon_options nc;
    toksim_logon_options_init(&nc);
    nc.caller = b;
    toksim_sid carl;
    toksim_error e = {0};
    h4_ok(toksim_world_resolve(w, "carl", &carl, &e), e);
    ts_assert_ok(toksim_policy_grant(toksim_world_policy(w),
                                     TOKSIM_RIGHT_DENY_INTERACTIVE_LOGON, &carl),
                 NULL);
    toksim_token *c = h4_logon(w, "carl", TOKSIM_LOGON_NEW_CREDENTIALS, &nc);
    cr_assert(toksim_sid_equal(toksim_token_user(c), toksim_token_user(b)),
              "same local identity as the caller");
    cr_assert(h4_has_group(c, S_INTERACTIVE));
    cr_assert_eq(toksim_token_origin(c), toksim_token_auth_id(b));
    cr_assert_neq(toksim_token_auth_id(c), toksim_token_auth_id(b));
    toksim_token_free(c);
    /* flipping the UNCONFIRMED rule makes the deny count */
    nc.flags &= ~TOKSIM_LOGON_NEWCRED_SKIPS_RIGHTS;
    toksim_logon_result r;
    h4_ok(toksim_logon_user(&r, w, "carl", TOKSIM_LOGON_NEW_CREDENTIALS, &nc, NULL, &e),
          e);
    cr_assert_eq(r.win32_error, 1385u);
    toksim_token_free(a);
    toksim_token_free(b);
    toksim_world_free(w);
}

Test(logon, network_service_and_policy_removal)
{
    toksim_world *w = h4_world(NULL);
    toksim_token *t = NULL;
    toksim_error e = {0};
    h4_ok(toksim_logon_builtin(&t, w, TOKSIM_BUILTIN_NETWORK_SERVICE, NULL, NULL, &e), e);
    cr_assert_eq(toksim_token_auth_id(t), 0x3e4u);
    cr_assert(h4_has_group(t, S_SERVICE) && h4_has_group(t, S_USERS) &&
              h4_has_group(t, S_AU));
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_SYSTEM);
    cr_assert(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE));
    toksim_token_free(t);
    /* removing NETWORK SERVICE alone: still held through SERVICE */
    toksim_sid ns = ts_test_sid("S-1-5-20"), svc = ts_test_sid(S_SERVICE);
    cr_assert(toksim_policy_revoke(toksim_world_policy(w), TOKSIM_PRIV_IMPERSONATE, &ns));
    h4_ok(toksim_logon_builtin(&t, w, TOKSIM_BUILTIN_NETWORK_SERVICE, NULL, NULL, &e), e);
    cr_assert(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE),
              "SERVICE group membership matters");
    toksim_token_free(t);
    cr_assert(
        toksim_policy_revoke(toksim_world_policy(w), TOKSIM_PRIV_IMPERSONATE, &svc));
    h4_ok(toksim_logon_builtin(&t, w, TOKSIM_BUILTIN_NETWORK_SERVICE, NULL, NULL, &e), e);
    cr_assert_eq(toksim_token_privilege(t, TOKSIM_PRIV_IMPERSONATE), -1);
    toksim_token_free(t);
    toksim_world_free(w);
}

Test(logon, network_service_implicit_service_right)
{
    toksim_world *w = h4_world(NULL);
    ts_assert_ok(
        toksim_policy_set(toksim_world_policy(w), TOKSIM_RIGHT_SERVICE_LOGON, NULL, 0),
        NULL);
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_logon_result r;
    toksim_error e = {0};
    h4_ok(toksim_logon_user(&r, w, "NT AUTHORITY\\NETWORK SERVICE", TOKSIM_LOGON_SERVICE,
                            NULL, &tr, &e),
          e);
    cr_assert(r.success, "L4: implicit right");
    cr_assert(h4_trace_has(&tr, "logon.right.implicit"));
    toksim_token_free(r.token);
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.flags &= ~TOKSIM_LOGON_NETWORKSERVICE_IMPLICIT_SERVICE;
    h4_ok(toksim_logon_user(&r, w, "NT AUTHORITY\\NETWORK SERVICE", TOKSIM_LOGON_SERVICE,
                            &opt, NULL, &e),
          e);
    cr_assert_eq(r.win32_error, 1385u);
    toksim_trace_dispose(&tr);
    toksim_world_free(w);
}

Test(logon, system_and_extra_groups)
{
    toksim_world *w = h4_world(NULL);
    toksim_token *t = NULL;
    toksim_error e = {0};
    h4_ok(toksim_logon_builtin(&t, w, TOKSIM_BUILTIN_SYSTEM, NULL, NULL, &e), e);
    cr_assert_eq(toksim_token_auth_id(t), 0x3e7u);
    cr_assert_eq(h4_group_attrs(t, "S-1-5-32-544"), 0xEu,
                 "Administrators: enabled, owner, not mandatory");
    cr_assert(toksim_token_privilege_enabled(t, TOKSIM_PRIV_TCB));
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_SYSTEM);
    toksim_token_free(t);
    /* IIS-style injection: the caller adds IIS_IUSRS and the pool SID; their rights count
     */
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    toksim_group extra[2] = {{ts_test_sid("S-1-5-32-568"), 0},
                             {ts_test_sid("S-1-5-82-0"), 0}};
    opt.extra_groups = extra;
    opt.extra_group_count = 2;
    ts_assert_ok(
        toksim_policy_grant(toksim_world_policy(w), TOKSIM_PRIV_AUDIT, &extra[0].sid),
        NULL);
    h4_ok(toksim_logon_builtin(&t, w, TOKSIM_BUILTIN_LOCAL_SERVICE, &opt, NULL, &e), e);
    cr_assert_eq(h4_group_attrs(t, "S-1-5-32-568"), 7u);
    cr_assert(h4_has_group(t, "S-1-5-82-0"));
    cr_assert_geq(toksim_token_privilege(t, TOKSIM_PRIV_AUDIT), 0);
    cr_assert_eq(toksim_token_auth_id(t), 0x3e5u);
    toksim_token_free(t);
    toksim_world_free(w);
}

Test(logon, trace_records_groups_and_privileges)
{
    toksim_world *w = h4_load("tests/data/world/contoso.json");
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_logon_result r;
    toksim_error e = {0};
    h4_ok(toksim_logon_user(&r, w, "alice", TOKSIM_LOGON_INTERACTIVE, NULL, &tr, &e), e);
    cr_assert(r.success);
    cr_assert(h4_trace_has(&tr, "logon.right.granted"));
    cr_assert(h4_trace_has(&tr, "logon.group.added"));
    cr_assert(h4_trace_has(&tr, "logon.group.nested"));
    cr_assert(h4_trace_has(&tr, "logon.privilege.granted"));
    cr_assert(h4_trace_has(&tr, "logon.privilege.enabled_by_default"));
    cr_assert(h4_trace_has(&tr, "logon.integrity"));
    char line[256];
    bool nested_sentence = false;
    for (size_t i = 0; i < tr.count; i++)
        if (tr.events[i].rule == TOKSIM_RULE_LOGON_GROUP_NESTED) {
            toksim_trace_event_text(line, sizeof line, &tr.events[i],
                                    toksim_world_sid_name, w);
            nested_sentence = nested_sentence || strstr(line, "CONTOSO\\SQL Admins");
        }
    cr_assert(nested_sentence);
    toksim_token_free(r.token);
    toksim_trace_dispose(&tr);
    toksim_world_free(w);
}

Test(logon, virtual_accounts_and_iusr)
{
    toksim_world *w = h4_load("tests/data/world/contoso.json");
    /* NT SERVICE\x is in NT SERVICE\ALL SERVICES, which holds SeServiceLogonRight by
     * default */
    toksim_token *t = h4_logon(w, "NT SERVICE\\MSSQLSERVER", TOKSIM_LOGON_SERVICE, NULL);
    cr_assert(h4_has_group(t, "S-1-5-80-0"));
    cr_assert(h4_has_group(t, S_SERVICE));
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_HIGH);
    toksim_token_free(t);
    /* an app-pool identity needs the right granted (IIS does that on install) */
    toksim_logon_result r;
    toksim_error e = {0};
    h4_ok(toksim_logon_user(&r, w, "IIS APPPOOL\\DefaultAppPool", TOKSIM_LOGON_SERVICE,
                            NULL, NULL, &e),
          e);
    cr_assert_eq(r.win32_error, 1385u);
    toksim_sid pools = ts_test_sid("S-1-5-82-0");
    ts_assert_ok(
        toksim_policy_grant(toksim_world_policy(w), TOKSIM_RIGHT_SERVICE_LOGON, &pools),
        NULL);
    t = h4_logon(w, "IIS APPPOOL\\DefaultAppPool", TOKSIM_LOGON_SERVICE, NULL);
    cr_assert(h4_has_group(t, "S-1-5-82-0"));
    cr_assert(h4_has_group(t, S_THISORG),
              "service identities on a joined machine ([OBS-APPPOOL])");
    toksim_token_free(t);
    t = h4_logon(w, "NT AUTHORITY\\IUSR", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert_eq(toksim_token_auth_id(t), 0x3e3u);
    toksim_token_free(t);
    toksim_world_free(w);
}

Test(logon, cached_interactive_and_unlock_are_interactive)
{
    toksim_world *w = h4_world(NULL);
    h4_add_user(w, "bob", NULL);
    toksim_logon_type types[] = {TOKSIM_LOGON_CACHED_INTERACTIVE, TOKSIM_LOGON_UNLOCK};
    for (size_t i = 0; i < 2; i++) {
        toksim_token *t = h4_logon(w, "bob", types[i], NULL);
        cr_assert(h4_has_group(t, S_INTERACTIVE) && h4_has_group(t, S_LOCAL));
        toksim_token_free(t);
    }
    toksim_logon_type ty;
    cr_assert_eq(toksim_logon_type_parse(&ty, "network-cleartext"), TOKSIM_OK);
    cr_assert_eq(ty, TOKSIM_LOGON_NETWORK_CLEARTEXT);
    cr_assert_eq(toksim_logon_type_parse(&ty, "10"), TOKSIM_OK);
    cr_assert_eq(ty, TOKSIM_LOGON_REMOTE_INTERACTIVE);
    cr_assert_str_eq(toksim_logon_type_name(TOKSIM_LOGON_NEW_CREDENTIALS),
                     "new-credentials");
    toksim_world_free(w);
}

Test(logon, unconfirmed_switches_flip)
{
    toksim_world *w = h4_world(NULL);
    toksim_logon_options opt;
    toksim_token *t = NULL;
    toksim_error e = {0};
    /* LocalSystem's implicit logon rights (default SeServiceLogonRight does not list
     * SYSTEM) */
    toksim_logon_options_init(&opt);
    opt.flags &= ~TOKSIM_LOGON_SYSTEM_IMPLICIT_RIGHTS;
    cr_assert_eq(toksim_logon_builtin(&t, w, TOKSIM_BUILTIN_SYSTEM, &opt, NULL, &e),
                 TOKSIM_EUNSUPPORTED);
    cr_assert_null(t);
    /* LOCAL SERVICE's implicit service right */
    toksim_logon_options_init(&opt);
    h4_ok(toksim_logon_builtin(&t, w, TOKSIM_BUILTIN_LOCAL_SERVICE, &opt, NULL, &e), e);
    toksim_token_free(t);
    opt.flags &= ~TOKSIM_LOGON_LOCALSERVICE_IMPLICIT_SERVICE;
    cr_assert_eq(
        toksim_logon_builtin(&t, w, TOKSIM_BUILTIN_LOCAL_SERVICE, &opt, NULL, &e),
        TOKSIM_EUNSUPPORTED);
    /* LOCAL / CONSOLE LOGON */
    h4_add_user(w, "bob", NULL);
    toksim_logon_options_init(&opt);
    opt.flags &= ~TOKSIM_LOGON_MODERN_GROUPS;
    t = h4_logon(w, "bob", TOKSIM_LOGON_INTERACTIVE, &opt);
    cr_assert_not(h4_has_group(t, S_LOCAL) || h4_has_group(t, S_CONSOLE));
    toksim_token_free(t);
    toksim_logon_options_init(&opt);
    opt.console = false;
    t = h4_logon(w, "bob", TOKSIM_LOGON_INTERACTIVE, &opt);
    cr_assert(h4_has_group(t, S_LOCAL) && !h4_has_group(t, S_CONSOLE),
              "not at the console");
    toksim_token_free(t);
    /* NoDefaultAdminOwner */
    h4_add_user(w, "adm", "Administrators");
    toksim_logon_options_init(&opt);
    opt.elevated = true;
    t = h4_logon(w, "adm", TOKSIM_LOGON_INTERACTIVE, &opt);
    toksim_sid admins = ts_test_sid("S-1-5-32-544");
    cr_assert(toksim_sid_equal(toksim_token_owner(t), &admins));
    toksim_token_free(t);
    opt.flags |= TOKSIM_LOGON_NO_DEFAULT_ADMIN_OWNER;
    t = h4_logon(w, "adm", TOKSIM_LOGON_INTERACTIVE, &opt);
    cr_assert(toksim_sid_equal(toksim_token_owner(t), toksim_token_user(t)));
    cr_assert_eq(h4_group_attrs(t, "S-1-5-32-544") & TOKSIM_SE_GROUP_OWNER, 0u);
    toksim_token_free(t);
    toksim_world_free(w);
}

Test(logon, default_dacl_is_owner_and_system)
{
    toksim_world *w = h4_world(NULL);
    h4_add_user(w, "bob", NULL);
    toksim_token *t = h4_logon(w, "bob", TOKSIM_LOGON_INTERACTIVE, NULL);
    const toksim_acl *d = toksim_token_default_dacl(t);
    cr_assert_not_null(d);
    cr_assert_eq(d->count, 2u);
    cr_assert(toksim_sid_equal(&d->aces[0].sid, toksim_token_user(t)));
    cr_assert_eq(d->aces[0].mask, TOKSIM_GENERIC_ALL);
    toksim_sid sys = ts_test_sid("S-1-5-18");
    cr_assert(toksim_sid_equal(&d->aces[1].sid, &sys));
    toksim_token_free(t);
    toksim_world_free(w);
}

Test(logon, service_accounts_log_on_only_as_services)
{
    toksim_world *w = h4_world(NULL);
    toksim_logon_result r;
    toksim_error e = {0};
    h4_ok(toksim_logon_user(&r, w, "NT AUTHORITY\\LOCAL SERVICE",
                            TOKSIM_LOGON_INTERACTIVE, NULL, NULL, &e),
          e);
    cr_assert_eq(r.win32_error, 1385u);
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.flags &= ~TOKSIM_LOGON_SERVICE_ACCOUNTS_SERVICE_ONLY;
    h4_ok(toksim_logon_user(&r, w, "NT AUTHORITY\\LOCAL SERVICE",
                            TOKSIM_LOGON_INTERACTIVE, &opt, NULL, &e),
          e);
    cr_assert(r.success, "switched off: Users' interactive right applies");
    toksim_token_free(r.token);
    toksim_world_free(w);
}

static long group_index(const toksim_token *t, const char *sid)
{
    toksim_sid s = ts_test_sid(sid);
    for (size_t i = 0; i < toksim_token_group_count(t); i++)
        if (toksim_sid_equal(&toksim_token_group_at(t, i)->sid, &s))
            return (long)i;
    return -1;
}

Test(logon, group_order_as_whoami_shows_it)
{
    toksim_world *w = h4_load("tests/data/world/contoso.json");
    toksim_token *t = h4_logon(w, "alice", TOKSIM_LOGON_INTERACTIVE, NULL);
    long every = group_index(t, S_EVERYONE), users = group_index(t, S_USERS),
         inter = group_index(t, S_INTERACTIVE);
    long local = group_index(t, S_LOCAL), du = group_index(t, "S-1-5-21-111-222-333-513");
    cr_assert(every == 0 && users > every && inter > users && local > inter && du > local,
              "%ld %ld %ld %ld %ld", every, users, inter, local, du);
    toksim_token_free(t);
    toksim_world_free(w);
}

Test(logon, default_type_of_service_identities)
{
    static const struct {
        const char *sid;
        toksim_logon_type want;
    } v[] = {{"S-1-5-18", TOKSIM_LOGON_SERVICE},
             {"S-1-5-19", TOKSIM_LOGON_SERVICE},
             {"S-1-5-20", TOKSIM_LOGON_SERVICE},
             {"S-1-5-80-1-2-3-4-5", TOKSIM_LOGON_SERVICE}, /* NT SERVICE\x */
             {"S-1-5-82-1-2-3-4-5", TOKSIM_LOGON_SERVICE}, /* IIS APPPOOL\x */
             {"S-1-5-17", TOKSIM_LOGON_INTERACTIVE},       /* IUSR */
             {"S-1-5-83-1-2-3-4-5", TOKSIM_LOGON_INTERACTIVE},
             {"S-1-5-21-1-2-3-1001", TOKSIM_LOGON_INTERACTIVE}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        toksim_sid s;
        toksim_error e = {0};
        h4_ok(toksim_sid_parse(&s, v[i].sid, &e), e);
        cr_assert_eq(toksim_logon_default_type(&s), v[i].want, "%s", v[i].sid);
    }
    cr_assert_eq(toksim_logon_default_type(NULL), TOKSIM_LOGON_INTERACTIVE);
}

Test(logon, remote_network_token_of_a_bare_sid)
{
    toksim_sid u, ev, au, net;
    toksim_error e = {0};
    h4_ok(toksim_sid_parse(&u, "S-1-5-21-7-8-9-1105", &e), e);
    h4_ok(toksim_sid_parse(&ev, S_EVERYONE, &e), e);
    h4_ok(toksim_sid_parse(&au, S_AU, &e), e);
    h4_ok(toksim_sid_parse(&net, "S-1-5-2", &e), e);
    toksim_token *t = NULL;
    cr_assert_eq(toksim_logon_remote_network_token(&t, &u), TOKSIM_OK);
    cr_assert(toksim_sid_equal(toksim_token_user(t), &u));
    size_t found = 0, other = 0;
    for (size_t i = 0; i < toksim_token_group_count(t); i++) {
        const toksim_group *g = toksim_token_group_at(t, i);
        if (toksim_sid_equal(&g->sid, &ev) || toksim_sid_equal(&g->sid, &au) ||
            toksim_sid_equal(&g->sid, &net)) {
            cr_assert_eq(g->attributes, TOKSIM_SE_GROUP_DEFAULT);
            found++;
        } else if (!(g->attributes & TOKSIM_SE_GROUP_INTEGRITY)) {
            other++; /* the integrity label is a group too */
        }
    }
    cr_assert_eq(found, 3,
                 "Everyone, Authenticated Users and the network logon-type SID NETWORK");
    cr_assert_eq(other, 0, "the remote side knows no other group of the account");
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_MEDIUM);
    cr_assert_eq(toksim_token_type_of(t), TOKSIM_TOKEN_IMPERSONATION);
    cr_assert_eq(toksim_token_level(t), TOKSIM_IMP_IMPERSONATION);
    toksim_token_free(t);
    cr_assert_eq(toksim_logon_remote_network_token(&t, NULL), TOKSIM_EINVAL);
}
