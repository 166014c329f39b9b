/*
 * PURPOSE: every identity-layer rule (logon, UAC) is reported by the trace: each test
 * drives LogonUser into the situation the rule describes and asserts both the Windows
 * result (error code, token content) and the trace event (rule id, verdict, key field).
 * Behaviour alone is tested in test_logon.c / test_uac.c; here the explanation a user
 * reads is pinned down.
 */
#include "h4_test_util.h"
#include "../rules_helpers.h"

#define S_ADMINS "S-1-5-32-544"

typedef struct fx {
    toksim_world *w;
    toksim_trace tr;
    toksim_logon_result r;
    toksim_error e;
} fx;

static void fx_init(fx *f, toksim_world *w)
{
    memset(f, 0, sizeof *f);
    f->w = w;
    toksim_trace_init(&f->tr);
}

static void
fx_logon(fx *f, const char *user, toksim_logon_type type, const toksim_logon_options *opt)
{
    toksim_trace_clear(&f->tr);
    toksim_token_free(f->r.token);
    f->r.token = NULL;
    h4_ok(toksim_logon_user(&f->r, f->w, user, type, opt, &f->tr, &f->e), f->e);
}

static void fx_done(fx *f)
{
    toksim_token_free(f->r.token);
    toksim_trace_dispose(&f->tr);
    toksim_world_free(f->w);
}

Test(rules_identity, unknown_account_fails_like_bad_password)
{
    fx f;
    fx_init(&f, h4_world(NULL));
    fx_logon(&f, "nobody", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert_not(f.r.success);
    cr_assert_eq(f.r.win32_error, 1326u, "ERROR_LOGON_FAILURE");
    const toksim_trace_event *ev =
        ts_expect_rule(&f.tr, "logon.unknown_account", TOKSIM_V_DENY);
    cr_assert_eq(ev->status, 1326u);
    cr_assert_str_eq(ev->text, "nobody");
    cr_assert_eq(ev->a, TOKSIM_LOGON_INTERACTIVE);
    fx_done(&f);
}

Test(rules_identity, bad_password_and_disabled_account)
{
    fx f;
    fx_init(&f, h4_load("tests/data/world/contoso.json"));
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.password = "wrong";
    fx_logon(&f, "svc_sql", TOKSIM_LOGON_INTERACTIVE, &opt);
    cr_assert_eq(f.r.win32_error, 1326u);
    const toksim_trace_event *ev =
        ts_expect_rule(&f.tr, "logon.bad_password", TOKSIM_V_DENY);
    cr_assert_eq(ev->status, 1326u);
    toksim_sid sql;
    h4_ok(toksim_world_resolve(f.w, "svc_sql", &sql, &f.e), f.e);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &sql),
              "the event names the account");

    fx_logon(&f, "CONTOSO\\bob", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert_eq(f.r.win32_error, 1331u, "ERROR_ACCOUNT_DISABLED");
    ev = ts_expect_rule(&f.tr, "logon.account_disabled", TOKSIM_V_DENY);
    cr_assert_eq(ev->status, 1331u);
    toksim_sid bob;
    h4_ok(toksim_world_resolve(f.w, "CONTOSO\\bob", &bob, &f.e), f.e);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &bob));
    ts_expect_no_rule(&f.tr, "logon.bad_password");
    fx_done(&f);
}

Test(rules_identity, network_logon_reports_impersonation_token)
{
    fx f;
    fx_init(&f, h4_world(NULL));
    h4_add_user(f.w, "bob", NULL);
    fx_logon(&f, "bob", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert(f.r.success);
    cr_assert_eq(toksim_token_type_of(f.r.token), TOKSIM_TOKEN_IMPERSONATION);
    cr_assert_eq(toksim_token_level(f.r.token), TOKSIM_IMP_IMPERSONATION);
    const toksim_trace_event *ev =
        ts_expect_rule(&f.tr, "logon.network.impersonation_token", TOKSIM_V_INFO);
    cr_assert_eq(ev->a, TOKSIM_LOGON_NETWORK);
    /* an interactive logon returns a primary token and does not report the rule */
    fx_logon(&f, "bob", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert_eq(toksim_token_type_of(f.r.token), TOKSIM_TOKEN_PRIMARY);
    ts_expect_no_rule(&f.tr, "logon.network.impersonation_token");
    fx_done(&f);
}

Test(rules_identity, origin_is_the_callers_session)
{
    fx f;
    fx_init(&f, h4_world(NULL));
    h4_add_user(f.w, "bob", NULL);
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.caller_logon_id = 0x3e7;
    fx_logon(&f, "bob", TOKSIM_LOGON_INTERACTIVE, &opt);
    cr_assert(f.r.success);
    cr_assert_eq(toksim_token_origin(f.r.token), 0x3e7u);
    const toksim_trace_event *ev = ts_expect_rule(&f.tr, "logon.origin", TOKSIM_V_INFO);
    cr_assert_eq(ev->a, 0x3e7);
    /* network authentication (no caller session): origin 0, no event */
    fx_logon(&f, "bob", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert_eq(toksim_token_origin(f.r.token), 0u);
    ts_expect_no_rule(&f.tr, "logon.origin");
    fx_done(&f);
}

Test(rules_identity, new_credentials_clones_and_checks_no_right)
{
    fx f;
    fx_init(&f, h4_world(NULL));
    toksim_sid bob = h4_add_user(f.w, "bob", NULL);
    toksim_sid alice = h4_add_user(f.w, "alice", NULL);
    fx_logon(&f, "bob", TOKSIM_LOGON_INTERACTIVE, NULL);
    toksim_token *caller = f.r.token;
    f.r.token = NULL;
    /* alice may not log on interactively: NewCredentials still succeeds, it checks no
     * right */
    ts_assert_ok(toksim_policy_grant(toksim_world_policy(f.w),
                                     TOKSIM_RIGHT_DENY_INTERACTIVE_LOGON, &alice),
                 NULL);
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.caller = caller;
    fx_logon(&f, "alice", TOKSIM_LOGON_NEW_CREDENTIALS, &opt);
    cr_assert(f.r.success, "new-credentials logon failed with %u", f.r.win32_error);
    cr_assert(toksim_sid_equal(toksim_token_user(f.r.token), &bob),
              "the token is the caller's (bob), not alice's");
    cr_assert_eq(toksim_token_group_count(f.r.token), toksim_token_group_count(caller));
    cr_assert_eq(toksim_token_origin(f.r.token), toksim_token_auth_id(caller));
    const toksim_trace_event *ev =
        ts_expect_rule(&f.tr, "logon.right.not_checked", TOKSIM_V_INFO);
    cr_assert_eq(ev->a, TOKSIM_LOGON_NEW_CREDENTIALS);
    ev = ts_expect_rule(&f.tr, "logon.new_credentials.clone", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &alice),
              "outbound identity alice");
    ts_expect_no_rule(&f.tr, "logon.right.deny");
    /* with the UNCONFIRMED switch off, the interactive right is checked and the deny wins
     */
    opt.flags &= ~TOKSIM_LOGON_NEWCRED_SKIPS_RIGHTS;
    fx_logon(&f, "alice", TOKSIM_LOGON_NEW_CREDENTIALS, &opt);
    cr_assert_eq(f.r.win32_error, 1385u);
    ts_expect_no_rule(&f.tr, "logon.right.not_checked");
    ts_expect_no_rule(&f.tr, "logon.new_credentials.clone");
    /* ...and it is checked against the user's groups too: carol holds it through
     * BUILTIN\Users */
    h4_add_user(f.w, "carol", NULL);
    fx_logon(&f, "carol", TOKSIM_LOGON_NEW_CREDENTIALS, &opt);
    cr_assert(f.r.success, "carol (interactive right through Users) failed with %u",
              f.r.win32_error);
    toksim_token_free(caller);
    fx_done(&f);
}

Test(rules_identity, administrator_owner_and_uac_filtering)
{
    fx f;
    fx_init(&f, h4_world(NULL));
    h4_add_user(f.w, "adm", "Administrators");
    toksim_sid admins = ts_test_sid(S_ADMINS);
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.elevated = true;
    fx_logon(&f, "adm", TOKSIM_LOGON_INTERACTIVE, &opt);
    cr_assert(f.r.success);
    /* full token: owner Administrators */
    cr_assert(toksim_sid_equal(toksim_token_owner(f.r.token), &admins));
    const toksim_trace_event *ev =
        ts_expect_rule(&f.tr, "logon.owner.administrators", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &admins));
    cr_assert(toksim_token_privilege(f.r.token, TOKSIM_PRIV_DEBUG) >= 0,
              "the full token holds SeDebugPrivilege");
    /* the linked filtered token: Administrators deny-only, SeDebugPrivilege removed */
    const toksim_token *lim = toksim_token_linked(f.r.token);
    cr_assert_not_null(lim);
    const toksim_group *g = toksim_token_find_group(lim, &admins);
    cr_assert_not_null(g);
    cr_assert_eq(g->attributes &
                     (TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY | TOKSIM_SE_GROUP_ENABLED),
                 TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    cr_assert_eq(toksim_token_privilege(lim, TOKSIM_PRIV_DEBUG), -1);
    bool seen = false;
    for (size_t i = 0; i < f.tr.count; i++) {
        const toksim_trace_event *x = &f.tr.events[i];
        if (x->rule == ts_rule("uac.group.deny_only") && x->verdict == TOKSIM_V_CHANGE &&
            x->has_sid && toksim_sid_equal(&x->sid, &admins))
            seen = true;
    }
    cr_assert(seen, "uac.group.deny_only names Administrators");
    seen = false;
    for (size_t i = 0; i < f.tr.count; i++)
        if (f.tr.events[i].rule == ts_rule("uac.privilege.removed") &&
            f.tr.events[i].verdict == TOKSIM_V_CHANGE &&
            f.tr.events[i].privilege == TOKSIM_PRIV_DEBUG)
            seen = true;
    cr_assert(seen, "uac.privilege.removed names SeDebugPrivilege");
    ts_expect_no_rule(&f.tr, "uac.no_split");
    /* NoDefaultAdminOwner: the user stays the owner and the rule is not reported */
    opt.flags |= TOKSIM_LOGON_NO_DEFAULT_ADMIN_OWNER;
    fx_logon(&f, "adm", TOKSIM_LOGON_INTERACTIVE, &opt);
    cr_assert_not(toksim_sid_equal(toksim_token_owner(f.r.token), &admins));
    ts_expect_no_rule(&f.tr, "logon.owner.administrators");
    fx_done(&f);
}

Test(rules_identity, no_split_token_reports_why)
{
    fx f;
    fx_init(&f, h4_world("server"));
    fx_logon(&f, "Administrator", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert(f.r.success);
    cr_assert_null(toksim_token_linked(f.r.token), "RID-500: one full token");
    cr_assert(toksim_token_is_elevated(f.r.token));
    const toksim_trace_event *ev = ts_expect_rule(&f.tr, "uac.no_split", TOKSIM_V_INFO);
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, toksim_token_user(f.r.token)));
    cr_assert(strstr(ev->text, "FilterAdministratorToken") != NULL, "%s", ev->text);
    ts_expect_no_rule(&f.tr, "uac.split");
    /* remote UAC: a local admin's network logon gets the filtered token only */
    h4_add_user(f.w, "adm", "Administrators");
    fx_logon(&f, "adm", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert(f.r.success);
    cr_assert_null(toksim_token_linked(f.r.token));
    cr_assert_not(toksim_token_is_elevated(f.r.token));
    ev = ts_expect_rule(&f.tr, "uac.no_split", TOKSIM_V_INFO);
    cr_assert(strstr(ev->text, "LocalAccountTokenFilterPolicy") != NULL, "%s", ev->text);
    fx_done(&f);
}

Test(rules_identity, builtin_account_fixed_logon_session)
{
    toksim_world *w = h4_world(NULL);
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_token *t = NULL;
    toksim_error e = {0};
    h4_ok(toksim_logon_builtin(&t, w, TOKSIM_BUILTIN_NETWORK_SERVICE, NULL, &tr, &e), e);
    cr_assert_eq(toksim_token_auth_id(t), 0x3e4u, "NETWORK SERVICE logon session 0x3e4");
    const toksim_trace_event *ev =
        ts_expect_rule(&tr, "logon.builtin_account", TOKSIM_V_INFO);
    cr_assert_eq(ev->a, 0x3e4);
    toksim_sid ns = ts_test_sid("S-1-5-20");
    cr_assert(ev->has_sid && toksim_sid_equal(&ev->sid, &ns));
    toksim_token_free(t);
    toksim_trace_dispose(&tr);
    toksim_world_free(w);
}

Test(rules_identity, held_privileges_start_disabled_except_three)
{
    fx f;
    fx_init(&f, h4_world(NULL));
    h4_add_user(f.w, "dave", NULL);
    fx_logon(&f, "dave", TOKSIM_LOGON_INTERACTIVE, NULL);
    cr_assert(f.r.success);
    /* §4.3: a standard user holds SeShutdownPrivilege (Users) but it starts disabled */
    cr_assert_eq(toksim_token_privilege(f.r.token, TOKSIM_PRIV_SHUTDOWN), 0);
    bool seen = false;
    for (size_t i = 0; i < f.tr.count; i++)
        if (f.tr.events[i].rule == TOKSIM_RULE_LOGON_PRIVILEGE_DISABLED &&
            f.tr.events[i].privilege == TOKSIM_PRIV_SHUTDOWN)
            seen = true;
    cr_assert(seen, "no logon.privilege.disabled event for SeShutdownPrivilege");
    ts_expect_rule(&f.tr, "logon.privilege.disabled", TOKSIM_V_INFO);
    fx_done(&f);
}

Test(rules_identity, only_network_logons_return_impersonation_tokens)
{
    /* LogonUser: "if you specify LOGON32_LOGON_NETWORK, LogonUser returns an
     * impersonation token"; every other type, NetworkCleartext (IIS Basic) included,
     * returns a primary token. */
    fx f;
    fx_init(&f, h4_world(NULL));
    h4_add_user(f.w, "erin", NULL);
    fx_logon(&f, "erin", TOKSIM_LOGON_NETWORK, NULL);
    cr_assert(f.r.success);
    cr_assert_eq(toksim_token_type_of(f.r.token), TOKSIM_TOKEN_IMPERSONATION);
    ts_expect_rule(&f.tr, "logon.network.impersonation_token", TOKSIM_V_INFO);
    fx_logon(&f, "erin", TOKSIM_LOGON_NETWORK_CLEARTEXT, NULL);
    cr_assert(f.r.success);
    cr_assert_eq(toksim_token_type_of(f.r.token), TOKSIM_TOKEN_PRIMARY);
    ts_expect_no_rule(&f.tr, "logon.network.impersonation_token");
    fx_done(&f);
}
