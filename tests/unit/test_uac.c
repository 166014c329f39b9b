/* PURPOSE: UAC split tokens (windows-model §4.4): filtered token linked to the full one,
 * deny-only admin groups, kept privileges, integrity, elevation types, RID-500 and remote
 * exceptions. */
#include "h4_test_util.h"

static toksim_world *admin_world(void)
{
    toksim_world *w = h4_load("tests/data/world/contoso.json");
    return w;
}

Test(uac, interactive_admin_gets_filtered_token_linked_to_full)
{
    toksim_world *w = admin_world();
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_logon_result r;
    toksim_error e = {0};
    h4_ok(toksim_logon_user(&r, w, "localadmin", TOKSIM_LOGON_INTERACTIVE, NULL, &tr, &e),
          e);
    toksim_token *t = r.token;
    cr_assert(h4_trace_has(&tr, "uac.split"));
    cr_assert_eq(h4_group_attrs(t, "S-1-5-32-544"), TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_MEDIUM);
    cr_assert_eq(toksim_token_elevation_type(t), TOKSIM_ELEVATION_LIMITED);
    cr_assert_not(toksim_token_is_elevated(t));
    cr_assert_eq(toksim_token_privilege(t, TOKSIM_PRIV_DEBUG), -1,
                 "administrative privileges are removed");
    cr_assert_eq(toksim_token_privilege(t, TOKSIM_PRIV_IMPERSONATE), -1);
    cr_assert(toksim_sid_equal(toksim_token_owner(t), toksim_token_user(t)));
    const toksim_token *full = toksim_token_linked(t);
    cr_assert_not_null(full);
    cr_assert_eq(toksim_token_elevation_type(full), TOKSIM_ELEVATION_FULL);
    cr_assert(toksim_token_is_elevated(full));
    cr_assert_eq(toksim_token_integrity(full), TOKSIM_IL_HIGH);
    cr_assert_eq(h4_group_attrs(full, "S-1-5-32-544"), 0xFu,
                 "Administrators is the owner of the full token");
    toksim_sid admins = ts_test_sid("S-1-5-32-544");
    cr_assert(toksim_sid_equal(toksim_token_owner(full), &admins));
    cr_assert(toksim_token_privilege_enabled(full, TOKSIM_PRIV_IMPERSONATE));
    cr_assert_eq(toksim_token_privilege(full, TOKSIM_PRIV_DEBUG), 0);
    toksim_token_free(t);
    toksim_trace_dispose(&tr);
    toksim_world_free(w);
}

Test(uac, elevated_option_returns_full_token)
{
    toksim_world *w = admin_world();
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.elevated = true;
    toksim_token *t = h4_logon(w, "localadmin", TOKSIM_LOGON_INTERACTIVE, &opt);
    cr_assert_eq(toksim_token_elevation_type(t), TOKSIM_ELEVATION_FULL);
    cr_assert_eq(toksim_token_elevation_type(toksim_token_linked(t)),
                 TOKSIM_ELEVATION_LIMITED);
    toksim_token_free(t);
    toksim_world_free(w);
}

Test(uac, rid500_and_uac_off_get_one_full_token)
{
    toksim_world *w = h4_world("server"); /* Administrator enabled on servers */
    toksim_token *t = h4_logon(w, "Administrator", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert_eq(toksim_token_elevation_type(t), TOKSIM_ELEVATION_DEFAULT);
    cr_assert_null(toksim_token_linked(t));
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_HIGH);
    toksim_token_free(t);
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.flags |= TOKSIM_LOGON_FILTER_ADMINISTRATOR_TOKEN;
    t = h4_logon(w, "Administrator", TOKSIM_LOGON_INTERACTIVE, &opt);
    cr_assert_eq(toksim_token_elevation_type(t), TOKSIM_ELEVATION_LIMITED,
                 "FilterAdministratorToken=1");
    toksim_token_free(t);
    h4_add_user(w, "adm2", "Administrators");
    toksim_logon_options_init(&opt);
    opt.flags |= TOKSIM_LOGON_UAC_DISABLED;
    t = h4_logon(w, "adm2", TOKSIM_LOGON_INTERACTIVE, &opt);
    cr_assert_eq(toksim_token_elevation_type(t), TOKSIM_ELEVATION_DEFAULT);
    cr_assert_eq(h4_group_attrs(t, "S-1-5-32-544") & TOKSIM_SE_GROUP_ENABLED,
                 TOKSIM_SE_GROUP_ENABLED);
    toksim_token_free(t);
    toksim_world_free(w);
}

Test(uac, remote_local_admin_filtered_domain_admin_full)
{
    toksim_world *w = admin_world();
    toksim_token *t = h4_logon(w, "localadmin", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert_eq(h4_group_attrs(t, "S-1-5-32-544"), TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY,
                 "KB 951016 default");
    cr_assert_null(toksim_token_linked(t));
    toksim_token_free(t);
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.flags |= TOKSIM_LOGON_LOCAL_ACCOUNT_TOKEN_FILTER;
    t = h4_logon(w, "localadmin", TOKSIM_LOGON_NETWORK, &opt);
    cr_assert_eq(h4_group_attrs(t, "S-1-5-32-544") & TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY,
                 0u);
    toksim_token_free(t);
    t = h4_logon(w, "CONTOSO\\dadmin", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert_eq(h4_group_attrs(t, "S-1-5-32-544") & TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY,
                 0u, "domain admin: full token");
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_HIGH);
    toksim_token_free(t);
    /* interactively the domain admin is split, and Domain Admins becomes deny-only too */
    t = h4_logon(w, "CONTOSO\\dadmin", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert_eq(h4_group_attrs(t, "S-1-5-21-111-222-333-512"),
                 TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    toksim_token_free(t);
    toksim_logon_options_init(&opt);
    opt.flags &= ~TOKSIM_LOGON_UAC_DENY_ADMIN_LIKE;
    t = h4_logon(w, "CONTOSO\\dadmin", TOKSIM_LOGON_INTERACTIVE, &opt);
    cr_assert_eq(h4_group_attrs(t, "S-1-5-21-111-222-333-512"), 7u,
                 "UNVERIFIED admin-like list switched off");
    toksim_token_free(t);
    toksim_world_free(w);
}

Test(uac, filter_function_keeps_five_privileges)
{
    toksim_world *w = h4_world("win10");
    toksim_token *sys = NULL, *f = NULL;
    toksim_error e = {0};
    h4_ok(toksim_logon_builtin(&sys, w, TOKSIM_BUILTIN_SYSTEM, NULL, NULL, &e), e);
    ts_assert_ok(toksim_uac_filter(&f, sys, TOKSIM_LOGON_DEFAULT_FLAGS, NULL), NULL);
    for (size_t i = 0; i < toksim_token_privilege_count(f); i++) {
        uint32_t luid, a;
        cr_assert(toksim_token_privilege_at(f, i, &luid, &a));
        cr_assert(luid == 19 || luid == 23 || luid == 25 || luid == 33 || luid == 34,
                  "kept %u", luid);
    }
    cr_assert(toksim_token_privilege_count(f) > 0);
    toksim_sid set[] = {ts_test_sid("S-1-5-32-551")};
    cr_assert(toksim_uac_is_admin_set(w, set, 1), "Backup Operators is admin-like");
    toksim_token_free(f);
    toksim_token_free(sys);
    toksim_world_free(w);
}

Test(uac, local_account_sids_kb2871997)
{
    toksim_world *w = admin_world(); /* win10 */
    toksim_token *t = h4_logon(w, "localadmin", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert_eq(h4_group_attrs(t, "S-1-5-113"), 7u);
    cr_assert_eq(h4_group_attrs(t, "S-1-5-114"), TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    cr_assert_eq(h4_group_attrs(toksim_token_linked(t), "S-1-5-114"), 7u);
    toksim_token_free(t);
    t = h4_logon(w, "svc_sql", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert(h4_has_group(t, "S-1-5-113") && !h4_has_group(t, "S-1-5-114"));
    toksim_token_free(t);
    t = h4_logon(w, "CONTOSO\\alice", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert_not(h4_has_group(t, "S-1-5-113"), "domain accounts are not local accounts");
    toksim_token_free(t);
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.flags &= ~TOKSIM_LOGON_LOCAL_ACCOUNT_SIDS;
    t = h4_logon(w, "svc_sql", TOKSIM_LOGON_INTERACTIVE, &opt);
    cr_assert_not(h4_has_group(t, "S-1-5-113"));
    toksim_token_free(t);
    toksim_world_free(w);
}
