/* PURPOSE: user-rights policy: OS profile defaults, privileges from the rights of a SID
 * set, GPO replacement semantics, secedit /configure's SeImpersonatePrivilege adjustment.
 */
#include "h4_test_util.h"

static toksim_policy *profile(const char *name)
{
    toksim_policy *p = NULL;
    toksim_error e = {0};
    toksim_sid m = ts_test_sid("S-1-5-21-1-2-3");
    h4_ok(toksim_policy_new_profile(&p, name, &m, &e), e);
    return p;
}

Test(policy, rights_table_has_privileges_and_logon_rights)
{
    cr_assert_eq(toksim_right_by_name("seimpersonateprivilege")->right,
                 TOKSIM_PRIV_IMPERSONATE);
    const toksim_right_info *r =
        toksim_right_by_name("SeDenyRemoteInteractiveLogonRight");
    cr_assert_not_null(r);
    cr_assert_not(r->is_privilege);
    cr_assert_eq(r->access_bit, 0x800u);
    cr_assert_null(toksim_right_by_name("SeImpersonatePrivlege"));
    cr_assert_eq(toksim_right_count(), 35u + 10u);
}

Test(policy, service_group_holds_impersonate_by_default)
{
    const char *profiles[] = {"win10", "win7", "server", "win11", "ws2022"};
    for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
        toksim_policy *p = profile(profiles[i]);
        toksim_sid svc = ts_test_sid("S-1-5-6");
        uint64_t m = toksim_policy_privileges_of(p, &svc, 1);
        cr_assert(m & (1ull << TOKSIM_PRIV_IMPERSONATE), "%s", profiles[i]);
        cr_assert(m & (1ull << TOKSIM_PRIV_CREATE_GLOBAL), "%s", profiles[i]);
        cr_assert_eq(m, (1ull << 29) | (1ull << 30),
                     "SERVICE holds exactly Impersonate and CreateGlobal");
        toksim_policy_free(p);
    }
}

Test(policy, privileges_are_the_union_over_the_sid_set)
{
    toksim_policy *p = profile("win10");
    toksim_sid users = ts_test_sid("S-1-5-32-545"), everyone = ts_test_sid("S-1-1-0");
    toksim_sid set[] = {users, everyone};
    uint64_t m = toksim_policy_privileges_of(p, set, 2);
    uint64_t want =
        (1ull << 19) | (1ull << 23) | (1ull << 25) | (1ull << 33) | (1ull << 34);
    cr_assert_eq(
        m, want,
        "standard user: the five client privileges (windows-model §7.3), got %llx",
        (unsigned long long)m);
    cr_assert_eq(toksim_policy_privileges_of(p, &everyone, 1), 1ull << 23);
    toksim_policy_free(p);
}

Test(policy, profiles_differ_where_windows_did)
{
    toksim_policy *w7 = profile("win7"), *w10 = profile("win10"),
                  *srv = profile("server");
    toksim_sid admins = ts_test_sid("S-1-5-32-544"), users = ts_test_sid("S-1-5-32-545");
    cr_assert_not(
        toksim_policy_has(w7, TOKSIM_PRIV_DELEGATE_SESSION_USER_IMPERSONATE, &admins));
    cr_assert(
        toksim_policy_has(w10, TOKSIM_PRIV_DELEGATE_SESSION_USER_IMPERSONATE, &admins));
    cr_assert(toksim_policy_has(w10, TOKSIM_PRIV_SHUTDOWN, &users));
    cr_assert_not(toksim_policy_has(srv, TOKSIM_PRIV_SHUTDOWN, &users));
    toksim_sid guest = ts_test_sid("S-1-5-21-1-2-3-501");
    cr_assert(toksim_policy_has(w10, TOKSIM_RIGHT_DENY_NETWORK_LOGON, &guest));
    cr_assert(toksim_policy_defined(w10, TOKSIM_PRIV_TCB),
              "a profile decides every right");
    size_t n = 9;
    cr_assert_null(toksim_policy_holders(w10, TOKSIM_PRIV_TCB, &n));
    cr_assert_eq(n, 0u);
    toksim_error e = {0};
    toksim_policy *bad = NULL;
    cr_assert_eq(toksim_policy_new_profile(&bad, "vista", NULL, &e), TOKSIM_ENOTFOUND);
    cr_assert(strstr(e.message, "vista"));
    toksim_policy_free(w7);
    toksim_policy_free(w10);
    toksim_policy_free(srv);
}

Test(policy, template_right_replaces_whole_list)
{
    toksim_policy *base = profile("win10"), *tmpl = NULL;
    ts_assert_ok(toksim_policy_new(&tmpl), NULL);
    toksim_sid admins = ts_test_sid("S-1-5-32-544"), ns = ts_test_sid("S-1-5-20"),
               users = ts_test_sid("S-1-5-32-545");
    ts_assert_ok(toksim_policy_set(tmpl, TOKSIM_PRIV_IMPERSONATE, &admins, 1), NULL);
    ts_assert_ok(toksim_policy_set(tmpl, TOKSIM_PRIV_SHUTDOWN, NULL, 0),
                 NULL); /* defined, empty */
    ts_assert_ok(toksim_policy_apply(base, tmpl), NULL);
    size_t n = 0;
    const toksim_sid *h = toksim_policy_holders(base, TOKSIM_PRIV_IMPERSONATE, &n);
    cr_assert_eq(n, 1u);
    cr_assert(toksim_sid_equal(&h[0], &admins));
    cr_assert_not(toksim_policy_has(base, TOKSIM_PRIV_IMPERSONATE, &ns));
    cr_assert_not(toksim_policy_has(base, TOKSIM_PRIV_SHUTDOWN, &users),
                  "an empty defined right empties the list");
    cr_assert(toksim_policy_has(base, TOKSIM_PRIV_CREATE_GLOBAL, &ns),
              "rights the template does not define stay");
    toksim_policy_free(base);
    toksim_policy_free(tmpl);
}

Test(policy, secedit_configure_readds_admins_and_service_but_apply_does_not)
{
    toksim_policy *a = profile("win10"), *b = profile("win10"), *tmpl = NULL;
    ts_assert_ok(toksim_policy_new(&tmpl), NULL);
    toksim_sid ls = ts_test_sid("S-1-5-19"), admins = ts_test_sid("S-1-5-32-544"),
               svc = ts_test_sid("S-1-5-6");
    ts_assert_ok(toksim_policy_set(tmpl, TOKSIM_PRIV_IMPERSONATE, &ls, 1), NULL);
    size_t adj = 0;
    ts_assert_ok(toksim_policy_configure(a, tmpl, TOKSIM_SECEDIT_READD_IMPERSONATE, &adj),
                 NULL);
    cr_assert_eq(adj, 2u);
    cr_assert(toksim_policy_has(a, TOKSIM_PRIV_IMPERSONATE, &admins));
    cr_assert(toksim_policy_has(a, TOKSIM_PRIV_IMPERSONATE, &svc));
    ts_assert_ok(toksim_policy_configure(b, tmpl, 0, &adj), NULL);
    cr_assert_eq(adj, 0u);
    cr_assert_not(toksim_policy_has(b, TOKSIM_PRIV_IMPERSONATE, &svc),
                  "switch off = plain import");
    toksim_policy_free(a);
    toksim_policy_free(b);
    toksim_policy_free(tmpl);
}

Test(policy, grant_revoke_copy)
{
    toksim_policy *p = NULL, *c = NULL;
    ts_assert_ok(toksim_policy_new(&p), NULL);
    toksim_sid iis = ts_test_sid("S-1-5-32-568");
    cr_assert_not(toksim_policy_defined(p, TOKSIM_PRIV_IMPERSONATE));
    ts_assert_ok(toksim_policy_grant(p, TOKSIM_PRIV_IMPERSONATE, &iis), NULL);
    ts_assert_ok(toksim_policy_grant(p, TOKSIM_PRIV_IMPERSONATE, &iis), NULL);
    size_t n = 0;
    (void)toksim_policy_holders(p, TOKSIM_PRIV_IMPERSONATE, &n);
    cr_assert_eq(n, 1u);
    ts_assert_ok(toksim_policy_copy(&c, p), NULL);
    cr_assert(toksim_policy_revoke(p, TOKSIM_PRIV_IMPERSONATE, &iis));
    cr_assert_not(toksim_policy_revoke(p, TOKSIM_PRIV_IMPERSONATE, &iis));
    cr_assert(toksim_policy_has(c, TOKSIM_PRIV_IMPERSONATE, &iis));
    cr_assert_eq(toksim_policy_grant(p, 1, &iis), TOKSIM_EINVAL);
    toksim_policy_free(p);
    toksim_policy_free(c);
}

Test(policy, traced_application_explains_replacement_and_readd)
{
    toksim_policy *base = profile("win10"), *tmpl = NULL;
    ts_assert_ok(toksim_policy_new(&tmpl), NULL);
    toksim_sid ls = ts_test_sid("S-1-5-19");
    ts_assert_ok(toksim_policy_set(tmpl, TOKSIM_PRIV_IMPERSONATE, &ls, 1), NULL);
    toksim_trace tr;
    toksim_trace_init(&tr);
    size_t adj = 0;
    ts_assert_ok(toksim_policy_apply_traced(base, tmpl, TOKSIM_SECEDIT_READD_IMPERSONATE,
                                            &adj, &tr),
                 NULL);
    cr_assert(h4_trace_has(&tr, "policy.right.replaced"));
    cr_assert(h4_trace_has(&tr, "policy.secedit.readd_impersonate"));
    cr_assert_eq(tr.events[0].a, 1);
    cr_assert_eq(tr.events[0].b, 4, "the profile had 4 holders");
    cr_assert_str_eq(tr.events[0].text, "SeImpersonatePrivilege");
    char line[256];
    toksim_trace_event_text(line, sizeof line, &tr.events[0], NULL, NULL);
    cr_assert(strstr(line, "SeImpersonatePrivilege"), "%s", line);
    toksim_trace_dispose(&tr);
    toksim_policy_free(base);
    toksim_policy_free(tmpl);
}

Test(policy, server_lists_follow_the_member_server_column)
{
    toksim_policy *srv = profile("server");
    toksim_sid users = ts_test_sid("S-1-5-32-545"), bo = ts_test_sid("S-1-5-32-551"),
               admins = ts_test_sid("S-1-5-32-544");
    cr_assert(toksim_policy_has(srv, TOKSIM_PRIV_TIME_ZONE, &users));
    cr_assert(toksim_policy_has(srv, TOKSIM_PRIV_SHUTDOWN, &bo));
    cr_assert_not(toksim_policy_has(srv, TOKSIM_PRIV_UNDOCK, &users));
    cr_assert(toksim_policy_has(srv, TOKSIM_RIGHT_INTERACTIVE_LOGON, &users));
    cr_assert(toksim_policy_has(srv, TOKSIM_PRIV_UNDOCK, &admins));
    toksim_policy_free(srv);
}
