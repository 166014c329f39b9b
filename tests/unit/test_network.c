/* PURPOSE: network hops (windows-model §11): delegation, constrained delegation, the NTLM
 * double hop, sensitive / Protected Users accounts, NetworkCleartext, and the identities
 * of service accounts without impersonation. */
#include "imp_fixtures.h"

#define SERVER  .user = IMP_SID_SERVER
#define CLIENT  .user = IMP_SID_CLIENT
#define MACHINE "S-1-5-21-1111-2222-3333-2001"

static toksim_hop_request req(void)
{
    toksim_hop_request r;
    memset(&r, 0, sizeof r);
    r.client_auth = TOKSIM_AUTH_KERBEROS;
    r.target_spn = "cifs/fs01.contoso.com";
    return r;
}

/* A server thread impersonating a client at `level` (the server holds the privilege). */
static imp_world at_level(toksim_imp_level level, const toksim_imp_options *o)
{
    imp_world w = imp_world_new(
        (tk_spec){SERVER, .imp_priv = IMP_PRIV_ENABLED, .auth_id = 0x500}, o);
    toksim_token *c =
        tk((tk_spec){CLIENT, .auth_id = 0x600, .impersonation = true, .level = level});
    toksim_token_handle h = {c, TOKSIM_TOKEN_ACCESS_ALL};
    toksim_imp_result r;
    ts_assert_ok(toksim_impersonate_logged_on_user(&r, w.thread, &h, NULL), NULL);
    cr_assert_eq(r.level, level);
    toksim_token_free(c);
    return w;
}

static toksim_hop_result hop(imp_world *w, const toksim_hop_request *r)
{
    toksim_hop_result out;
    ts_assert_ok(toksim_network_hop(&out, w->thread, r, NULL), NULL);
    return out;
}

static bool sid_is(const toksim_hop_result *h, const char *sid)
{
    toksim_sid s = ts_test_sid(sid);
    return h->has_sid && toksim_sid_equal(&h->sid, &s);
}

Test(network, unconstrained_delegation_kerberos)
{
    imp_world w = at_level(TOKSIM_IMP_DELEGATION, NULL);
    toksim_hop_request r = req();
    r.server_delegation = TOKSIM_DELEGATION_UNCONSTRAINED;
    toksim_hop_result h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_CLIENT);
    cr_assert(sid_is(&h, IMP_SID_CLIENT));
    cr_assert_eq(h.rule, TOKSIM_RULE_IMP_HOP_UNCONSTRAINED);
    /* NTLM never forwards credentials */
    r.client_auth = TOKSIM_AUTH_NTLM;
    h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_ANONYMOUS);
    cr_assert(sid_is(&h, "S-1-5-7"));
    imp_world_free(&w);
}

/* the classic double hop: Impersonate-level token over NTLM -> ANONYMOUS LOGON (or
 * failure) */
Test(network, ntlm_double_hop)
{
    imp_world w = at_level(TOKSIM_IMP_IMPERSONATION, NULL);
    toksim_hop_request r = req();
    r.client_auth = TOKSIM_AUTH_NTLM;
    toksim_hop_result h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_ANONYMOUS);
    cr_assert(h.ok);
    cr_assert_eq(h.rule, TOKSIM_RULE_IMP_HOP_NO_DELEGATION);
    /* Kerberos without delegation trust: same */
    r.client_auth = TOKSIM_AUTH_KERBEROS;
    h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_ANONYMOUS);
    /* unconstrained trust but only an Impersonate-level token: no TGT, no hop */
    r.server_delegation = TOKSIM_DELEGATION_UNCONSTRAINED;
    h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_ANONYMOUS);
    imp_world_free(&w);

    toksim_imp_options o;
    toksim_imp_options_init(&o);
    o.ntlm_hop_fails = true; /* UNVERIFIED alternative */
    w = at_level(TOKSIM_IMP_IMPERSONATION, &o);
    r = req();
    r.client_auth = TOKSIM_AUTH_NTLM;
    h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_FAILED);
    cr_assert_not(h.ok);
    cr_assert_eq(h.win32, TOKSIM_ERROR_ACCESS_DENIED);
    imp_world_free(&w);
}

Test(network, constrained_delegation)
{
    imp_world w = at_level(TOKSIM_IMP_IMPERSONATION, NULL);
    const char *spns[] = {"HTTP/web02.contoso.com", "CIFS/FS01.contoso.com"};
    toksim_hop_request r = req();
    r.server_delegation = TOKSIM_DELEGATION_CONSTRAINED;
    r.allowed_spns = spns;
    r.allowed_spn_count = 2;
    toksim_hop_result h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_CLIENT); /* SPNs compare case-insensitively */
    cr_assert_eq(h.rule, TOKSIM_RULE_IMP_HOP_CONSTRAINED);
    r.target_spn = "cifs/fs02.contoso.com";
    h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_ANONYMOUS);
    /* NTLM client: only with protocol transition */
    r.target_spn = "cifs/fs01.contoso.com";
    r.client_auth = TOKSIM_AUTH_NTLM;
    h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_ANONYMOUS);
    r.server_delegation = TOKSIM_DELEGATION_CONSTRAINED_ANY_PROTOCOL;
    h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_CLIENT);
    imp_world_free(&w);

    toksim_imp_options o;
    toksim_imp_options_init(&o);
    o.kcd_needs_delegation_level = true; /* UNCONFIRMED alternative */
    w = at_level(TOKSIM_IMP_IMPERSONATION, &o);
    r.client_auth = TOKSIM_AUTH_KERBEROS;
    h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_ANONYMOUS);
    imp_world_free(&w);
}

Test(network, sensitive_and_protected_users_never_delegate)
{
    imp_world w = at_level(TOKSIM_IMP_DELEGATION, NULL);
    toksim_hop_request r = req();
    r.server_delegation = TOKSIM_DELEGATION_UNCONSTRAINED;
    r.client_sensitive = true;
    toksim_hop_result h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_ANONYMOUS);
    r.client_sensitive = false;
    r.client_protected_users = true;
    r.client_cleartext = true; /* not even with the password */
    h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_ANONYMOUS);
    imp_world_free(&w);
}

Test(network, cleartext_logon_can_hop)
{
    imp_world w = at_level(TOKSIM_IMP_IMPERSONATION, NULL);
    toksim_hop_request r = req();
    r.client_auth = TOKSIM_AUTH_NTLM;
    r.client_cleartext = true;
    toksim_hop_result h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_CLIENT);
    cr_assert_eq(h.rule, TOKSIM_RULE_IMP_HOP_CLEARTEXT);
    imp_world_free(&w);
}

Test(network, identify_level_fails_locally)
{
    imp_world w = at_level(TOKSIM_IMP_IDENTIFICATION, NULL);
    toksim_hop_request r = req();
    r.server_delegation = TOKSIM_DELEGATION_UNCONSTRAINED;
    toksim_hop_result h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_FAILED);
    cr_assert_eq(h.win32, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL);
    imp_world_free(&w);
}

static toksim_hop_result process_hop(const char *user, const toksim_hop_request *r)
{
    imp_world w = imp_world_new((tk_spec){.user = user}, NULL);
    toksim_hop_result h = hop(&w, r);
    imp_world_free(&w);
    return h;
}

Test(network, service_accounts_without_impersonation)
{
    toksim_sid machine = ts_test_sid(MACHINE);
    toksim_hop_request r = req();
    r.machine_account = &machine;
    const char *as_machine[] = {"S-1-5-18", "S-1-5-20", "IIS APPPOOL\\DefaultAppPool",
                                "NT SERVICE\\MSSQLSERVER"};
    for (size_t i = 0; i < 4; i++) {
        toksim_hop_result h = process_hop(as_machine[i], &r);
        cr_assert_eq(h.identity, TOKSIM_HOP_MACHINE, "%s", as_machine[i]);
        cr_assert(sid_is(&h, MACHINE));
    }
    const char *anonymous[] = {"S-1-5-19", "S-1-5-17"};
    for (size_t i = 0; i < 2; i++) {
        toksim_hop_result h = process_hop(anonymous[i], &r);
        cr_assert_eq(h.identity, TOKSIM_HOP_ANONYMOUS, "%s", anonymous[i]);
    }
    toksim_hop_result h = process_hop(IMP_SID_SERVER, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_PROCESS_USER);
    cr_assert(sid_is(&h, IMP_SID_SERVER));
    r.process_without_credentials = true;
    h = process_hop(IMP_SID_SERVER, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_ANONYMOUS);
    r.machine_account = NULL; /* workgroup */
    h = process_hop("S-1-5-20", &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_ANONYMOUS);
    cr_assert_eq(h.rule, TOKSIM_RULE_IMP_HOP_WORKGROUP);
}

/* ImpersonateSelf and the anonymous token */
Test(network, own_session_and_anonymous_token)
{
    toksim_sid machine = ts_test_sid(MACHINE);
    toksim_hop_request r = req();
    r.machine_account = &machine;
    imp_world w = imp_world_new((tk_spec){.user = "S-1-5-18",
                                          .il = TOKSIM_IL_SYSTEM,
                                          .auth_id = TOKSIM_SYSTEM_LUID},
                                NULL);
    toksim_imp_result ir;
    ts_assert_ok(toksim_impersonate_self(&ir, w.thread, TOKSIM_IMP_IMPERSONATION, NULL),
                 NULL);
    toksim_hop_result h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_MACHINE);
    ts_assert_ok(toksim_impersonate_anonymous_token(&ir, w.thread, false, NULL), NULL);
    h = hop(&w, &r);
    cr_assert_eq(h.identity, TOKSIM_HOP_ANONYMOUS);
    cr_assert_eq(h.rule, TOKSIM_RULE_IMP_HOP_ANON_TOKEN);
    imp_world_free(&w);
    cr_assert_str_eq(toksim_hop_identity_name(TOKSIM_HOP_MACHINE), "machine");
    cr_assert_str_eq(toksim_hop_identity_name(TOKSIM_HOP_FAILED), "failed");
}
