/*
 * PURPOSE: fidelity tests of the impersonation engine against sources whose assertions
 * ran on real Windows: Wine's dlls/advapi32/tests/security.c (test_impersonation_level,
 * test_pseudo_tokens), ReactOS API tests written against Windows
 * (apitests/ntdll/NtOpenThreadToken.c, NtImpersonateAnonymousToken.c), Forshaw's
 * "Windows Security Internals" chapter 4 listings (tyranid/windows-security-internals)
 * and Microsoft Learn (OpenThreadToken, AdjustTokenPrivileges). Facts only; each test
 * names its source. docs/fidelity-notes.md lists the behaviours and their status.
 */
#include "imp_fixtures.h"

#define SELF .user = IMP_SID_SERVER

static toksim_imp_result self_at(imp_world *w, toksim_imp_level level)
{
    toksim_imp_result r;
    ts_assert_ok(toksim_impersonate_self(&r, w->thread, level, NULL), NULL);
    return r;
}

static toksim_imp_result open_tt(imp_world *w, bool as_self, toksim_token **out)
{
    toksim_imp_result r;
    ts_assert_ok(toksim_open_thread_token(&r, out, w->thread, TOKSIM_TOKEN_ACCESS_QUERY,
                                          as_self, NULL, NULL),
                 NULL);
    return r;
}

static toksim_open_result open_obj(imp_world *w, const toksim_sd *sd)
{
    toksim_open_request q;
    memset(&q, 0, sizeof q);
    q.sd = sd;
    q.access.desired = 0x20019u; /* KEY_READ, as Wine's RegOpenKeyExA(..., KEY_READ) */
    q.access.object_type = TOKSIM_OBJ_KEY;
    toksim_open_result o;
    ts_assert_ok(toksim_thread_open_object(&o, w->thread, &q, NULL), NULL);
    return o;
}

/* Wine test_impersonation_level: ImpersonateSelf(SecurityAnonymous) succeeds;
 * OpenThreadToken(..., OpenAsSelf=TRUE) then fails with ERROR_CANT_OPEN_ANONYMOUS; an
 * object open under the anonymous-level token fails (Wine accepts INVALID_HANDLE,
 * CANT_OPEN_ANONYMOUS or BAD_IMPERSONATION_LEVEL for the registry; the kernel rule is
 * BAD_IMPERSONATION_LEVEL). */
Test(fidelity_imp, wine_impersonate_self_anonymous)
{
    imp_world w = imp_world_new((tk_spec){SELF}, NULL);
    toksim_imp_result r = self_at(&w, TOKSIM_IMP_ANONYMOUS);
    cr_assert(r.ok);
    cr_assert_eq(r.level, TOKSIM_IMP_ANONYMOUS);
    toksim_token *t = NULL;
    r = open_tt(&w, true, &t);
    cr_assert(!r.ok);
    cr_assert_eq(r.win32, 1347u); /* ERROR_CANT_OPEN_ANONYMOUS */
    cr_assert_null(t);
    toksim_sd *sd = imp_sd_allow("S-1-1-0", 0x20019u);
    toksim_open_result o = open_obj(&w, sd);
    cr_assert(!o.ok);
    cr_assert_eq(o.win32, 1346u);
    toksim_sd_free(sd);
    imp_world_free(&w);
}

/* Wine test_impersonation_level: ImpersonateSelf(SecurityIdentification) succeeds and
 * OpenThreadToken(..., OpenAsSelf=TRUE) succeeds; an object open fails (Wine accepts
 * INVALID_HANDLE, BAD_IMPERSONATION_LEVEL or ACCESS_DENIED). ImpersonateSelf(
 * SecurityImpersonation): OpenThreadToken succeeds and RegOpenKeyEx succeeds. */
Test(fidelity_imp, wine_impersonate_self_identification_and_impersonation)
{
    imp_world w = imp_world_new((tk_spec){SELF}, NULL);
    toksim_sd *sd = imp_sd_allow("S-1-1-0", 0x20019u);
    toksim_imp_result r = self_at(&w, TOKSIM_IMP_IDENTIFICATION);
    cr_assert(r.ok);
    toksim_token *t = NULL;
    r = open_tt(&w, true, &t);
    cr_assert(r.ok);
    cr_assert_not_null(t);
    toksim_token_free(t);
    toksim_open_result o = open_obj(&w, sd);
    cr_assert(!o.ok);
    cr_assert_eq(o.win32, 1346u);

    r = self_at(&w, TOKSIM_IMP_IMPERSONATION);
    cr_assert(r.ok);
    t = NULL;
    r = open_tt(&w, true, &t);
    cr_assert(r.ok);
    toksim_token_free(t);
    o = open_obj(&w, sd);
    cr_assert(o.ok);
    toksim_sd_free(sd);
    imp_world_free(&w);
}

/* Wine test_impersonation_level: DuplicateTokenEx(process token, ..., SecurityAnonymous,
 * TokenImpersonation) succeeds; DuplicateToken(that token, SecurityIdentification) fails
 * with ERROR_BAD_IMPERSONATION_LEVEL ("can't increase the impersonation level"). */
Test(fidelity_imp, wine_duplicate_cannot_raise_level)
{
    toksim_token *p = tk((tk_spec){SELF});
    toksim_token_handle h = {p, TOKSIM_TOKEN_ACCESS_DUPLICATE};
    toksim_imp_result r;
    toksim_token *anon = NULL, *ident = NULL;
    ts_assert_ok(toksim_duplicate_token_ex(&r, &anon, &h, TOKSIM_TOKEN_IMPERSONATION,
                                           TOKSIM_IMP_ANONYMOUS, NULL),
                 NULL);
    cr_assert(r.ok);
    cr_assert_eq(toksim_token_level(anon), TOKSIM_IMP_ANONYMOUS);
    toksim_token_handle h2 = {anon, TOKSIM_TOKEN_ACCESS_ALL};
    ts_assert_ok(toksim_duplicate_token_ex(&r, &ident, &h2, TOKSIM_TOKEN_IMPERSONATION,
                                           TOKSIM_IMP_IDENTIFICATION, NULL),
                 NULL);
    cr_assert(!r.ok);
    cr_assert_eq(r.win32, 1346u);
    cr_assert_null(ident);
    toksim_token_free(anon);
    toksim_token_free(p);
}

/* Forshaw, Windows Security Internals, listings 4-4/4-5 and 4-6: a Delegation-level
 * impersonation token can be copied to a primary token; an Identification-level one
 * cannot (the book shows the copy failing with STATUS_BAD_IMPERSONATION_LEVEL). */
Test(fidelity_imp, forshaw_listing_4_6_identification_cannot_become_primary)
{
    const toksim_imp_level levels[] = {TOKSIM_IMP_DELEGATION, TOKSIM_IMP_IDENTIFICATION};
    for (size_t i = 0; i < 2; i++) {
        toksim_token *t = tk((tk_spec){SELF, .impersonation = true, .level = levels[i]});
        toksim_token_handle h = {t, TOKSIM_TOKEN_ACCESS_ALL};
        toksim_imp_result r;
        toksim_token *prim = NULL;
        ts_assert_ok(toksim_duplicate_token_ex(&r, &prim, &h, TOKSIM_TOKEN_PRIMARY,
                                               TOKSIM_IMP_ANONYMOUS, NULL),
                     NULL);
        if (levels[i] == TOKSIM_IMP_DELEGATION) {
            cr_assert(r.ok);
            cr_assert_eq(toksim_token_type_of(prim), TOKSIM_TOKEN_PRIMARY);
        } else {
            cr_assert(!r.ok);
            cr_assert_eq(r.ntstatus, 0xC00000A5u); /* STATUS_BAD_IMPERSONATION_LEVEL */
            cr_assert_null(prim);
        }
        toksim_token_free(prim);
        toksim_token_free(t);
    }
}

/* ReactOS apitest NtOpenThreadToken.c (checked on Windows): a thread that does not
 * impersonate -> STATUS_NO_TOKEN (Wine test_pseudo_tokens: ERROR_NO_TOKEN); after
 * RtlImpersonateSelf(SecurityImpersonation) the open succeeds with OpenAsSelf FALSE and
 * TRUE alike. */
Test(fidelity_imp, reactos_apitest_open_thread_token)
{
    imp_world w = imp_world_new((tk_spec){SELF}, NULL);
    toksim_token *t = NULL;
    toksim_imp_result r = open_tt(&w, true, &t);
    cr_assert(!r.ok);
    cr_assert_eq(r.win32, 1008u);
    cr_assert_eq(r.ntstatus, 0xC000007Cu);
    self_at(&w, TOKSIM_IMP_IMPERSONATION);
    for (int as_self = 0; as_self <= 1; as_self++) {
        t = NULL;
        r = open_tt(&w, as_self != 0, &t);
        cr_assert(r.ok, "OpenAsSelf=%d", as_self);
        cr_assert_not_null(t);
        toksim_token_free(t);
    }
    imp_world_free(&w);
}

/* Microsoft Learn, OpenThreadToken, OpenAsSelf: without it "the calling thread cannot
 * open the access token on the specified thread because it is impossible to open
 * executive-level objects by using the SecurityIdentification impersonation level". */
Test(fidelity_imp, learn_open_thread_token_identification_needs_open_as_self)
{
    imp_world w = imp_world_new((tk_spec){SELF}, NULL);
    self_at(&w, TOKSIM_IMP_IDENTIFICATION);
    toksim_token *t = NULL;
    toksim_imp_result r = open_tt(&w, false, &t);
    cr_assert(!r.ok);
    cr_assert_eq(r.win32, 1346u);
    cr_assert_null(t);
    r = open_tt(&w, true, &t);
    cr_assert(r.ok);
    toksim_token_free(t);
    imp_world_free(&w);
}

/* ReactOS apitest NtImpersonateAnonymousToken.c (checked on Windows): the call succeeds
 * whether EveryoneIncludesAnonymous is 1 or 0. Forshaw listing 4-7: the effective token
 * then has the ANONYMOUS LOGON user. Learn ImpersonateAnonymousToken: Everyone only when
 * EveryoneIncludesAnonymous is set. */
Test(fidelity_imp, reactos_apitest_impersonate_anonymous_token)
{
    imp_world w = imp_world_new((tk_spec){SELF}, NULL);
    toksim_sid everyone = ts_test_sid("S-1-1-0");
    toksim_sid anon = ts_test_sid("S-1-5-7");
    for (int with = 1; with >= 0; with--) {
        toksim_imp_result r;
        ts_assert_ok(toksim_impersonate_anonymous_token(&r, w.thread, with != 0, NULL),
                     NULL);
        cr_assert(r.ok);
        const toksim_token *t = toksim_thread_effective_token(w.thread);
        cr_assert(toksim_sid_equal(toksim_token_user(t), &anon));
        cr_assert_eq(toksim_token_find_group(t, &everyone) != NULL, with != 0);
        toksim_revert_to_self(NULL, w.thread, NULL);
    }
    imp_world_free(&w);
}

/* Microsoft Learn, AdjustTokenPrivileges, SE_PRIVILEGE_REMOVED: "supersedes
 * SE_PRIVILEGE_ENABLED"; re-enabling a removed privilege gives the warning
 * ERROR_NOT_ALL_ASSIGNED "as if the privilege had never existed"; removing a privilege
 * the token does not have gives ERROR_NOT_ALL_ASSIGNED. The call itself succeeds
 * (STATUS_NOT_ALL_ASSIGNED 0x00000106 is a success status). */
Test(fidelity_imp, learn_adjust_token_privileges_removed)
{
    toksim_token *t = tk((tk_spec){SELF, .imp_priv = IMP_PRIV_DISABLED});
    toksim_priv_change c = {NULL, TOKSIM_PRIV_IMPERSONATE,
                            TOKSIM_SE_PRIVILEGE_REMOVED | TOKSIM_SE_PRIVILEGE_ENABLED};
    toksim_imp_result r;
    ts_assert_ok(toksim_adjust_token_privileges(&r, t,
                                                TOKSIM_TOKEN_ACCESS_ADJUST_PRIVILEGES,
                                                false, &c, 1, NULL, NULL),
                 NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.win32, 0u);
    cr_assert_lt(toksim_token_privilege(t, TOKSIM_PRIV_IMPERSONATE), 0);

    c.attributes = TOKSIM_SE_PRIVILEGE_ENABLED; /* re-enable: never existed */
    ts_assert_ok(toksim_adjust_token_privileges(&r, t,
                                                TOKSIM_TOKEN_ACCESS_ADJUST_PRIVILEGES,
                                                false, &c, 1, NULL, NULL),
                 NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.win32, 1300u);
    cr_assert_eq(r.ntstatus, 0x00000106u);
    cr_assert_lt(toksim_token_privilege(t, TOKSIM_PRIV_IMPERSONATE), 0);

    c.attributes = TOKSIM_SE_PRIVILEGE_REMOVED; /* remove what is not there */
    ts_assert_ok(toksim_adjust_token_privileges(&r, t,
                                                TOKSIM_TOKEN_ACCESS_ADJUST_PRIVILEGES,
                                                false, &c, 1, NULL, NULL),
                 NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.win32, 1300u);
    toksim_token_free(t);
}

/* CoImpersonateClient on a thread that is not servicing a COM call. It is
 * CoGetCallContext(IID_IServerSecurity) + ImpersonateClient (Learn, CoImpersonateClient
 * remarks); Wine's dlls/ole32/tests/compobj.c test_CoGetCallContext asserts that
 * CoGetCallContext outside a call returns RPC_E_CALL_COMPLETE 0x80010117 (an assertion
 * that runs on Windows), and Chromium's updater (chrome/updater/util/win_util.cc,
 * IsCOMCallerAdmin) relies on CoImpersonateClient() == RPC_E_CALL_COMPLETE meaning "the
 * caller is in-proc, no call". toksim used RPC_E_NO_CONTEXT 0x8001011E (UNVERIFIED). */
Test(fidelity_imp, co_impersonate_client_outside_a_call_is_call_complete)
{
    imp_world w = imp_world_new((tk_spec){SELF, .imp_priv = IMP_PRIV_ENABLED}, NULL);
    toksim_token *c = tk((tk_spec){.user = IMP_SID_CLIENT});
    toksim_client_conn conn;
    memset(&conn, 0, sizeof conn);
    conn.kind = TOKSIM_CONN_COM;
    conn.client = c;
    conn.authn_level = TOKSIM_RPC_C_AUTHN_LEVEL_CONNECT;
    conn.in_call = false;
    toksim_imp_result r;
    ts_assert_ok(toksim_co_impersonate_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert(!r.ok);
    cr_assert_eq(r.hresult, 0x80010117u); /* RPC_E_CALL_COMPLETE */
    cr_assert(!toksim_thread_is_impersonating(w.thread));
    toksim_token_free(c);
    imp_world_free(&w);
}

/* RpcImpersonateClient on a call that carries no authentication (RPC_C_AUTHN_LEVEL_NONE),
 * with the rpc_unauthenticated_fails switch on (whether it fails at all over named pipes
 * stays UNCONFIRMED): the code is RPC_S_NO_CONTEXT_AVAILABLE 1765. Learn,
 * RpcImpersonateClient, lists RPC_S_NO_CONTEXT_AVAILABLE ("the server does not have
 * permission to impersonate the client") and not RPC_S_BINDING_HAS_NO_AUTH; Learn,
 * RpcGetAuthorizationContextForClient (same calling context): RPC_S_NO_CONTEXT_AVAILABLE
 * = "the RPC client has not been successfully authenticated"; Wine's rpcrt4
 * (RPCRT4_default_impersonate_client) returns it for a connection without auth info.
 * toksim returned RPC_S_BINDING_HAS_NO_AUTH 1746. No call at all: RPC_S_NO_CALL_ACTIVE
 * 1725 (Learn). */
Test(fidelity_imp, rpc_impersonate_unauthenticated_is_no_context_available)
{
    imp_world w = imp_world_new((tk_spec){SELF, .imp_priv = IMP_PRIV_ENABLED}, NULL);
    toksim_token *c = tk((tk_spec){.user = IMP_SID_CLIENT});
    toksim_client_conn conn;
    memset(&conn, 0, sizeof conn);
    conn.kind = TOKSIM_CONN_RPC;
    conn.client = c;
    conn.rpc_imp_level = TOKSIM_RPC_C_IMP_LEVEL_IMPERSONATE;
    conn.authn_level = TOKSIM_RPC_C_AUTHN_LEVEL_NONE;
    conn.in_call = true;
    toksim_imp_result r;
    ts_assert_ok(toksim_rpc_impersonate_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert(!r.ok);
    cr_assert_eq(r.win32, 1765u); /* RPC_S_NO_CONTEXT_AVAILABLE */
    cr_assert(!toksim_thread_is_impersonating(w.thread));
    conn.in_call = false;
    ts_assert_ok(toksim_rpc_impersonate_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert(!r.ok);
    cr_assert_eq(r.win32, 1725u); /* RPC_S_NO_CALL_ACTIVE */
    toksim_token_free(c);
    imp_world_free(&w);
}

/* Learn, ImpersonateAnonymousToken: "An error of ACCESS_DENIED might indicate that the
 * token is for a restricted process"; no privilege is needed otherwise. */
Test(fidelity_imp, learn_impersonate_anonymous_token_restricted_process)
{
    imp_world w = imp_world_new((tk_spec){SELF, .restricted = true}, NULL);
    toksim_imp_result r;
    ts_assert_ok(toksim_impersonate_anonymous_token(&r, w.thread, false, NULL), NULL);
    cr_assert(!r.ok);
    cr_assert_eq(r.win32, 5u);
    cr_assert(!toksim_thread_is_impersonating(w.thread));
    imp_world_free(&w);
    w = imp_world_new((tk_spec){SELF}, NULL); /* no SeImpersonatePrivilege: still works */
    ts_assert_ok(toksim_impersonate_anonymous_token(&r, w.thread, false, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    cr_assert(!r.downgraded);
    imp_world_free(&w);
}

/* Forshaw, listing 4-32: a duplicate of the caller's own token passes
 * Test-NtTokenImpersonation; after the process is lowered to Low integrity it no longer
 * does at Impersonation level, but still does at Identification. */
Test(fidelity_imp, forshaw_listing_4_32_integrity_blocks_own_token)
{
    toksim_token *client = tk((tk_spec){SELF});
    toksim_token *proc = tk((tk_spec){SELF});
    toksim_imp_check_result r;
    ts_assert_ok(toksim_imp_check(&r, proc, client, TOKSIM_IMP_DELEGATION,
                                  TOKSIM_IMP_IMPERSONATION, TOKSIM_IMP_ROUTE_GENERIC,
                                  NULL, NULL),
                 NULL);
    cr_assert(r.allowed);
    toksim_token_free(proc);
    proc = tk((tk_spec){SELF, .il = TOKSIM_IL_LOW});
    ts_assert_ok(toksim_imp_check(&r, proc, client, TOKSIM_IMP_DELEGATION,
                                  TOKSIM_IMP_IMPERSONATION, TOKSIM_IMP_ROUTE_GENERIC,
                                  NULL, NULL),
                 NULL);
    cr_assert(!r.allowed);
    cr_assert_eq(r.level, TOKSIM_IMP_IDENTIFICATION);
    ts_assert_ok(toksim_imp_check(&r, proc, client, TOKSIM_IMP_DELEGATION,
                                  TOKSIM_IMP_IDENTIFICATION, TOKSIM_IMP_ROUTE_GENERIC,
                                  NULL, NULL),
                 NULL);
    cr_assert(r.allowed);
    toksim_token_free(proc);
    toksim_token_free(client);
}

/* Wine test_FileSecurity: ImpersonateSelf(SecurityIdentification), OpenThreadToken(...,
 * OpenAsSelf=TRUE), RevertToSelf; AccessCheck with that Identification-level token and
 * the file's SD grants each requested right exactly (FILE_READ_DATA, 0x1ff,
 * FILE_ALL_ACCESS ...), and 0xffffffff fails ERROR_GENERIC_NOT_MAPPED. */
Test(fidelity_imp, wine_file_security_access_check_with_identification_token)
{
    imp_world w = imp_world_new((tk_spec){SELF}, NULL);
    self_at(&w, TOKSIM_IMP_IDENTIFICATION);
    toksim_token *t = NULL;
    toksim_imp_result r = open_tt(&w, true, &t);
    cr_assert(r.ok);
    toksim_revert_to_self(NULL, w.thread, NULL);
    cr_assert_eq(toksim_token_level(t), TOKSIM_IMP_IDENTIFICATION);
    toksim_sd *sd = imp_sd_allow(IMP_SID_SERVER, 0x1F01FFu);
    static const toksim_generic_mapping map = {0x1u, 0x2u, 0x20u, 0x1F01FFu};
    const uint32_t asks[] = {0x1u, 0x2u, 0x20u, 0x10000u, 0x40u, 0x1ffu, 0x1F01FFu};
    for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
        toksim_access_request req = {0};
        req.desired = asks[i];
        req.mode = TOKSIM_ACCESS_API;
        req.mapping = &map;
        toksim_access_result ar;
        ts_assert_ok(toksim_access_check(&ar, sd, t, &req, NULL), NULL);
        cr_assert(ar.api_ok && ar.granted_all, "ask %#x", asks[i]);
        cr_assert_eq(ar.granted, asks[i]);
    }
    toksim_access_request req = {0};
    req.desired = 0xFFFFFFFFu;
    req.mode = TOKSIM_ACCESS_API;
    req.mapping = &map;
    toksim_access_result ar;
    ts_assert_ok(toksim_access_check(&ar, sd, t, &req, NULL), NULL);
    cr_assert(!ar.api_ok);
    cr_assert_eq(ar.win32, 1360u);
    toksim_sd_free(sd);
    toksim_token_free(t);
    imp_world_free(&w);
}

/* Learn, "Impersonation Levels": for a remote named-pipe connection the CreateFile level
 * flags are ignored; the level follows the server account's delegation setting ("if the
 * server is enabled for delegation, the client's impersonation level will also be set to
 * delegation even if the flags passed to CreateFile specify the identification
 * impersonation level"). */
Test(fidelity_imp, learn_remote_pipe_ignores_sqos_flags)
{
    imp_world w = imp_world_new((tk_spec){SELF, .imp_priv = IMP_PRIV_ENABLED}, NULL);
    toksim_token *c = tk((tk_spec){.user = IMP_SID_CLIENT});
    toksim_client_conn conn;
    memset(&conn, 0, sizeof conn);
    conn.kind = TOKSIM_CONN_NAMED_PIPE;
    conn.client = c;
    conn.remote = true;
    conn.auth = TOKSIM_AUTH_KERBEROS;
    conn.data_read = true;
    conn.sqos_flags = TOKSIM_SECURITY_SQOS_PRESENT | TOKSIM_SECURITY_IDENTIFICATION;
    conn.server_trusted_for_delegation = true;
    toksim_imp_result r;
    ts_assert_ok(toksim_impersonate_named_pipe_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.level, TOKSIM_IMP_DELEGATION);
    conn.server_trusted_for_delegation = false;
    ts_assert_ok(toksim_impersonate_named_pipe_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    conn.remote = false; /* local: the flags count */
    ts_assert_ok(toksim_impersonate_named_pipe_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert_eq(r.level, TOKSIM_IMP_IDENTIFICATION);
    toksim_token_free(c);
    imp_world_free(&w);
}

/* ReactOS apitest advapi32/DuplicateTokenEx.c (written against Windows):
 * DuplicateTokenEx(process token, 0, NULL, SecurityImpersonation, TokenPrimary) gives a
 * primary token whose TokenStatistics report ImpersonationLevel == SecurityImpersonation
 * (the level asked for), the same AuthenticationId and the same group and privilege
 * counts. toksim recorded the source's level (Delegation for a primary source) instead
 * of the requested one. (Its new TokenId is not modelled: fidelity-notes O-IMP-4.) */
Test(fidelity_imp, reactos_apitest_duplicate_primary_keeps_requested_level)
{
    toksim_token *p = tk((tk_spec){SELF, .auth_id = 0x1234});
    toksim_token_handle h = {p,
                             TOKSIM_TOKEN_ACCESS_DUPLICATE | TOKSIM_TOKEN_ACCESS_QUERY};
    toksim_imp_result r;
    toksim_token *d = NULL;
    ts_assert_ok(toksim_duplicate_token_ex(&r, &d, &h, TOKSIM_TOKEN_PRIMARY,
                                           TOKSIM_IMP_IMPERSONATION, NULL),
                 NULL);
    cr_assert(r.ok);
    cr_assert_eq(toksim_token_type_of(d), TOKSIM_TOKEN_PRIMARY);
    cr_assert_eq(toksim_token_level(d), TOKSIM_IMP_IMPERSONATION);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    cr_assert_eq(toksim_token_auth_id(d), 0x1234u);
    cr_assert_eq(toksim_token_group_count(d), toksim_token_group_count(p));
    cr_assert_eq(toksim_token_privilege_count(d), toksim_token_privilege_count(p));
    toksim_token_free(d);
    toksim_token_free(p);
}
