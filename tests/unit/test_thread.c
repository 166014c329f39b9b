/* PURPOSE: processes, threads and the APIs that put a token on a thread or take it off:
 * ImpersonateLoggedOnUser, SetThreadToken (I11, I12), ImpersonateSelf,
 * ImpersonateAnonymousToken (I7, I22), RevertToSelf (I21), OpenThreadToken (I13-I15),
 * ImpersonateNamedPipeClient (I20), RpcImpersonateClient, CoImpersonateClient —
 * windows-model §2.1, §2.4, §1.5-1.7, §10.3. */
#include "imp_fixtures.h"

#define SERVER .user = IMP_SID_SERVER
#define CLIENT .user = IMP_SID_CLIENT

static toksim_token_handle handle(const toksim_token *t, uint32_t access)
{
    toksim_token_handle h = {t, access};
    return h;
}

Test(thread, process_and_thread_lifecycle)
{
    toksim_token *p =
        tk((tk_spec){SERVER, .impersonation = true, .level = TOKSIM_IMP_IMPERSONATION});
    toksim_process *proc = NULL;
    toksim_thread *th = NULL;
    ts_assert_ok(toksim_process_new(&proc, p, NULL), NULL);
    cr_assert_eq(toksim_token_type_of(toksim_process_token(proc)), TOKSIM_TOKEN_PRIMARY);
    ts_assert_ok(toksim_thread_new(&th, proc), NULL);
    cr_assert_eq(toksim_thread_process(th), proc);
    cr_assert_null(toksim_thread_token(th));
    cr_assert_not(toksim_thread_is_impersonating(th));
    cr_assert_eq(toksim_thread_effective_token(th), toksim_process_token(proc));
    cr_assert(toksim_process_options(proc)->allow_privilege);
    toksim_imp_options bad;
    toksim_imp_options_init(&bad);
    bad.version = 99;
    toksim_process *p2 = (toksim_process *)1;
    cr_assert_eq(toksim_process_new(&p2, p, &bad), TOKSIM_EINVAL);
    cr_assert_null(p2);
    cr_assert_eq(toksim_process_new(&p2, NULL, NULL), TOKSIM_EINVAL);
    toksim_thread *th2 = NULL;
    cr_assert_eq(toksim_thread_new(&th2, NULL), TOKSIM_EINVAL);
    cr_assert_null(th2);
    toksim_thread_free(th);
    toksim_thread_free(NULL);
    toksim_process_free(NULL);
    toksim_process_free(proc);
    toksim_token_free(p);
}

/* I1 through ImpersonateLoggedOnUser: success, level Identification */
Test(thread, logged_on_user_primary_downgraded)
{
    imp_world w = imp_world_new((tk_spec){SERVER}, NULL);
    toksim_token *c = tk((tk_spec){CLIENT});
    toksim_token_handle h =
        handle(c, TOKSIM_TOKEN_ACCESS_QUERY | TOKSIM_TOKEN_ACCESS_DUPLICATE);
    toksim_imp_result r;
    ts_assert_ok(toksim_impersonate_logged_on_user(&r, w.thread, &h, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.win32, 0);
    cr_assert(r.downgraded);
    cr_assert_eq(r.requested, TOKSIM_IMP_IMPERSONATION);
    cr_assert_eq(r.level, TOKSIM_IMP_IDENTIFICATION);
    const toksim_token *tt = toksim_thread_token(w.thread);
    cr_assert_not_null(tt);
    cr_assert_eq(toksim_token_type_of(tt), TOKSIM_TOKEN_IMPERSONATION);
    cr_assert_eq(toksim_token_level(tt), TOKSIM_IMP_IDENTIFICATION);
    cr_assert(toksim_sid_equal(toksim_token_user(tt), toksim_token_user(c)));
    cr_assert_eq(toksim_thread_effective_token(w.thread), tt);
    toksim_token_free(c);
    imp_world_free(&w);
}

Test(thread, logged_on_user_needs_access)
{
    imp_world w = imp_world_new((tk_spec){SERVER, .imp_priv = IMP_PRIV_ENABLED}, NULL);
    toksim_token *c = tk((tk_spec){CLIENT});
    toksim_token *ci =
        tk((tk_spec){CLIENT, .impersonation = true, .level = TOKSIM_IMP_DELEGATION});
    toksim_imp_result r;
    toksim_token_handle h =
        handle(c, TOKSIM_TOKEN_ACCESS_QUERY | TOKSIM_TOKEN_ACCESS_IMPERSONATE);
    ts_assert_ok(toksim_impersonate_logged_on_user(&r, w.thread, &h, NULL), NULL);
    cr_assert_not(r.ok); /* primary needs DUPLICATE */
    cr_assert_eq(r.win32, TOKSIM_ERROR_ACCESS_DENIED);
    cr_assert_eq(r.hresult, 0x80070005u);
    cr_assert_not(toksim_thread_is_impersonating(w.thread));
    h = handle(ci, TOKSIM_TOKEN_ACCESS_QUERY | TOKSIM_TOKEN_ACCESS_DUPLICATE);
    ts_assert_ok(toksim_impersonate_logged_on_user(&r, w.thread, &h, NULL), NULL);
    cr_assert_not(r.ok); /* impersonation token needs IMPERSONATE */
    h = handle(ci, TOKSIM_TOKEN_ACCESS_QUERY | TOKSIM_TOKEN_ACCESS_IMPERSONATE);
    ts_assert_ok(toksim_impersonate_logged_on_user(&r, w.thread, &h, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.level, TOKSIM_IMP_DELEGATION); /* keeps its own level */
    cr_assert_eq(toksim_impersonate_logged_on_user(&r, w.thread, NULL, NULL),
                 TOKSIM_EINVAL);
    toksim_token_free(c);
    toksim_token_free(ci);
    imp_world_free(&w);
}

/* I11, I12, and a NULL handle reverts */
Test(thread, set_thread_token_errors)
{
    imp_world w = imp_world_new((tk_spec){SERVER, .imp_priv = IMP_PRIV_ENABLED}, NULL);
    toksim_token *prim = tk((tk_spec){CLIENT});
    toksim_token *imp =
        tk((tk_spec){CLIENT, .impersonation = true, .level = TOKSIM_IMP_IMPERSONATION});
    toksim_imp_result r;
    toksim_token_handle h = handle(prim, TOKSIM_TOKEN_ACCESS_ALL);
    ts_assert_ok(toksim_set_thread_token(&r, w.thread, &h, NULL), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_BAD_TOKEN_TYPE); /* I11: 1349 */
    cr_assert_eq(r.ntstatus, 0xC00000A8u);
    h = handle(imp, TOKSIM_TOKEN_ACCESS_ALL & ~TOKSIM_TOKEN_ACCESS_IMPERSONATE);
    ts_assert_ok(toksim_set_thread_token(&r, w.thread, &h, NULL), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_ACCESS_DENIED); /* I12: 5 */
    h = handle(imp, TOKSIM_TOKEN_ACCESS_IMPERSONATE);
    ts_assert_ok(toksim_set_thread_token(&r, w.thread, &h, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    cr_assert(toksim_thread_is_impersonating(w.thread));
    ts_assert_ok(toksim_set_thread_token(&r, w.thread, NULL, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_not(toksim_thread_is_impersonating(w.thread));
    toksim_token_free(prim);
    toksim_token_free(imp);
    imp_world_free(&w);
}

/* SetThreadToken goes through the same test: no privilege -> Identification copy */
Test(thread, set_thread_token_downgrades)
{
    imp_world w = imp_world_new((tk_spec){SERVER}, NULL);
    toksim_token *imp =
        tk((tk_spec){CLIENT, .impersonation = true, .level = TOKSIM_IMP_IMPERSONATION});
    toksim_token_handle h = handle(imp, TOKSIM_TOKEN_ACCESS_IMPERSONATE);
    toksim_imp_result r;
    ts_assert_ok(toksim_set_thread_token(&r, w.thread, &h, NULL), NULL);
    cr_assert(r.ok && r.downgraded);
    cr_assert_eq(toksim_token_level(toksim_thread_token(w.thread)),
                 TOKSIM_IMP_IDENTIFICATION);
    cr_assert_eq(toksim_token_level(imp),
                 TOKSIM_IMP_IMPERSONATION); /* the caller's token is untouched */
    toksim_token_free(imp);
    imp_world_free(&w);
}

/* ImpersonateSelf at every level [WINE-SEC]: own user, so no downgrade */
Test(thread, impersonate_self_levels)
{
    imp_world w = imp_world_new((tk_spec){SERVER, .session = 1}, NULL);
    for (int l = TOKSIM_IMP_ANONYMOUS; l <= TOKSIM_IMP_DELEGATION; l++) {
        toksim_imp_result r;
        ts_assert_ok(toksim_impersonate_self(&r, w.thread, (toksim_imp_level)l, NULL),
                     NULL);
        cr_assert(r.ok);
        cr_assert_not(r.downgraded);
        cr_assert_eq((int)toksim_token_level(toksim_thread_token(w.thread)), l);
    }
    toksim_imp_result r;
    cr_assert_eq(toksim_impersonate_self(&r, w.thread, (toksim_imp_level)7, NULL),
                 TOKSIM_EINVAL);
    imp_world_free(&w);
}

/* I21: RevertToSelf; then OpenThreadToken -> 1008 (I13) */
Test(thread, revert_then_no_token)
{
    imp_world w = imp_world_new((tk_spec){SERVER}, NULL);
    toksim_imp_result r;
    toksim_token *out = NULL;
    ts_assert_ok(toksim_open_thread_token(&r, &out, w.thread, TOKSIM_TOKEN_ACCESS_QUERY,
                                          true, NULL, NULL),
                 NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_NO_TOKEN);
    cr_assert_eq(r.hresult, 0x800703F0u);
    ts_assert_ok(toksim_impersonate_self(&r, w.thread, TOKSIM_IMP_IMPERSONATION, NULL),
                 NULL);
    cr_assert(toksim_thread_is_impersonating(w.thread));
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_revert_to_self(&r, w.thread, &t);
    cr_assert(r.ok);
    cr_assert_not(toksim_thread_is_impersonating(w.thread));
    cr_assert(imp_trace_has(&t, "imp.revert"));
    toksim_trace_dispose(&t);
    ts_assert_ok(toksim_open_thread_token(&r, &out, w.thread, TOKSIM_TOKEN_ACCESS_QUERY,
                                          false, NULL, NULL),
                 NULL);
    cr_assert_eq(r.win32, TOKSIM_ERROR_NO_TOKEN);
    cr_assert_null(out);
    toksim_revert_to_self(NULL, w.thread, NULL); /* reverting twice is harmless */
    imp_world_free(&w);
}

/* I14: Anonymous-level thread token cannot be opened, even as self [WINE-SEC] */
Test(thread, open_thread_token_anonymous)
{
    imp_world w = imp_world_new((tk_spec){SERVER}, NULL);
    toksim_imp_result r;
    toksim_token *out = NULL;
    ts_assert_ok(toksim_impersonate_self(&r, w.thread, TOKSIM_IMP_ANONYMOUS, NULL), NULL);
    for (int self = 0; self <= 1; self++) {
        ts_assert_ok(toksim_open_thread_token(
                         &r, &out, w.thread, TOKSIM_TOKEN_ACCESS_QUERY, self, NULL, NULL),
                     NULL);
        cr_assert_not(r.ok);
        cr_assert_eq(r.win32, TOKSIM_ERROR_CANT_OPEN_ANONYMOUS);
        cr_assert_eq(r.hresult, 0x80070543u);
        cr_assert_null(out);
    }
    imp_world_free(&w);
}

/* I15: Identification: OpenAsSelf=FALSE fails 1346, TRUE succeeds */
Test(thread, open_thread_token_identification)
{
    imp_world w = imp_world_new((tk_spec){SERVER}, NULL);
    toksim_imp_result r;
    toksim_token *out = NULL;
    ts_assert_ok(toksim_impersonate_self(&r, w.thread, TOKSIM_IMP_IDENTIFICATION, NULL),
                 NULL);
    ts_assert_ok(toksim_open_thread_token(&r, &out, w.thread, TOKSIM_TOKEN_ACCESS_QUERY,
                                          false, NULL, NULL),
                 NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL);
    cr_assert_eq(r.hresult, 0x80070542u);
    cr_assert_null(out);
    ts_assert_ok(toksim_open_thread_token(&r, &out, w.thread, TOKSIM_TOKEN_ACCESS_QUERY,
                                          true, NULL, NULL),
                 NULL);
    cr_assert(r.ok);
    cr_assert_not_null(out);
    cr_assert_eq(toksim_token_level(out), TOKSIM_IMP_IDENTIFICATION);
    toksim_token_free(out);
    imp_world_free(&w);
}

/* OpenThreadToken with the token object's SD: OpenAsSelf checks the process, else the
 * client */
Test(thread, open_thread_token_checks_token_sd)
{
    imp_world w = imp_world_new((tk_spec){SERVER, .imp_priv = IMP_PRIV_ENABLED}, NULL);
    toksim_token *c = tk((tk_spec){CLIENT});
    toksim_token_handle h = handle(c, TOKSIM_TOKEN_ACCESS_ALL);
    toksim_imp_result r;
    ts_assert_ok(toksim_impersonate_logged_on_user(&r, w.thread, &h, NULL), NULL);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    toksim_sd *sd = imp_sd_allow(
        IMP_SID_CLIENT, TOKSIM_TOKEN_ACCESS_QUERY); /* only the client may open it */
    toksim_token *out = NULL;
    ts_assert_ok(toksim_open_thread_token(&r, &out, w.thread, TOKSIM_TOKEN_ACCESS_QUERY,
                                          false, sd, NULL),
                 NULL);
    cr_assert(r.ok);
    toksim_token_free(out);
    ts_assert_ok(toksim_open_thread_token(&r, &out, w.thread, TOKSIM_TOKEN_ACCESS_QUERY,
                                          true, sd, NULL),
                 NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_ACCESS_DENIED);
    cr_assert_null(out);
    toksim_sd_free(sd);
    toksim_token_free(c);
    imp_world_free(&w);
}

/* I7 / I22: ImpersonateAnonymousToken */
Test(thread, impersonate_anonymous_token)
{
    imp_world w =
        imp_world_new((tk_spec){SERVER}, NULL); /* no privilege needed [D-IAT] */
    toksim_imp_result r;
    ts_assert_ok(toksim_impersonate_anonymous_token(&r, w.thread, false, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_not(r.downgraded);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    const toksim_token *t = toksim_thread_token(w.thread);
    toksim_sid anon = ts_test_sid("S-1-5-7"), everyone = ts_test_sid("S-1-1-0");
    cr_assert(toksim_sid_equal(toksim_token_user(t), &anon));
    cr_assert_eq(toksim_token_auth_id(t), TOKSIM_ANONYMOUS_LOGON_LUID);
    cr_assert_null(
        toksim_token_find_group(t, &everyone)); /* EveryoneIncludesAnonymous=0 */
    ts_assert_ok(toksim_impersonate_anonymous_token(&r, w.thread, true, NULL), NULL);
    cr_assert_not_null(toksim_token_find_group(toksim_thread_token(w.thread), &everyone));
    imp_world_free(&w);

    /* the route matters only when the any-route exception is switched off */
    toksim_imp_options o;
    toksim_imp_options_init(&o);
    o.anonymous_logon_any_route = false;
    w = imp_world_new((tk_spec){SERVER}, &o);
    ts_assert_ok(toksim_impersonate_anonymous_token(&r, w.thread, false, NULL), NULL);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    toksim_token *anon_tok = NULL;
    ts_assert_ok(toksim_imp_anonymous_token(&anon_tok, false), NULL);
    toksim_token_handle h = handle(anon_tok, TOKSIM_TOKEN_ACCESS_IMPERSONATE);
    ts_assert_ok(toksim_set_thread_token(&r, w.thread, &h, NULL), NULL);
    cr_assert(r.downgraded);
    toksim_token_free(anon_tok);
    imp_world_free(&w);

    /* I22: a restricted process is refused */
    w = imp_world_new((tk_spec){SERVER, .restricted = true}, NULL);
    ts_assert_ok(toksim_impersonate_anonymous_token(&r, w.thread, false, NULL), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.ntstatus, TOKSIM_STATUS_ACCESS_DENIED);
    cr_assert_eq(r.win32, TOKSIM_ERROR_ACCESS_DENIED);
    cr_assert_not(toksim_thread_is_impersonating(w.thread));
    imp_world_free(&w);
}

static toksim_client_conn pipe_conn(const toksim_token *client)
{
    toksim_client_conn c;
    memset(&c, 0, sizeof c);
    c.kind = TOKSIM_CONN_NAMED_PIPE;
    c.client = client;
    c.data_read = true;
    return c;
}

/* I20 and the SQOS level mapping (§1.3) */
Test(thread, named_pipe_client)
{
    imp_world w = imp_world_new((tk_spec){SERVER, .imp_priv = IMP_PRIV_ENABLED}, NULL);
    toksim_token *c = tk((tk_spec){CLIENT});
    toksim_client_conn conn = pipe_conn(c);
    toksim_imp_result r;
    conn.data_read = false;
    ts_assert_ok(toksim_impersonate_named_pipe_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, 1368u); /* ERROR_CANNOT_IMPERSONATE */
    cr_assert_eq(r.hresult, 0x80070558u);
    cr_assert_not(toksim_thread_is_impersonating(w.thread));
    conn.data_read = true;
    ts_assert_ok(toksim_impersonate_named_pipe_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION); /* no SQOS: pipe default */
    conn.sqos_flags = TOKSIM_SECURITY_SQOS_PRESENT | TOKSIM_SECURITY_IDENTIFICATION;
    ts_assert_ok(toksim_impersonate_named_pipe_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert_eq(r.level, TOKSIM_IMP_IDENTIFICATION);
    conn.sqos_flags =
        TOKSIM_SECURITY_IDENTIFICATION; /* without SQOS_PRESENT the bits do not count */
    ts_assert_ok(toksim_impersonate_named_pipe_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    /* remote: flags ignored, the server's delegation trust decides (§1.4) */
    conn.remote = true;
    conn.sqos_flags = TOKSIM_SECURITY_SQOS_PRESENT | TOKSIM_SECURITY_IDENTIFICATION;
    ts_assert_ok(toksim_impersonate_named_pipe_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    conn.auth = TOKSIM_AUTH_KERBEROS;
    conn.server_trusted_for_delegation = true;
    ts_assert_ok(toksim_impersonate_named_pipe_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert_eq(r.level, TOKSIM_IMP_DELEGATION);
    conn.kind = TOKSIM_CONN_RPC;
    cr_assert_eq(toksim_impersonate_named_pipe_client(&r, w.thread, &conn, NULL),
                 TOKSIM_EINVAL);
    toksim_token_free(c);
    imp_world_free(&w);
}

/* the server never gets more than the client's own impersonation token level (§2.5.2) */
Test(thread, pipe_level_capped_by_client_token)
{
    imp_world w = imp_world_new((tk_spec){SERVER, .imp_priv = IMP_PRIV_ENABLED}, NULL);
    toksim_token *c =
        tk((tk_spec){CLIENT, .impersonation = true, .level = TOKSIM_IMP_IDENTIFICATION});
    toksim_client_conn conn = pipe_conn(c);
    toksim_imp_result r;
    toksim_trace t;
    toksim_trace_init(&t);
    ts_assert_ok(toksim_impersonate_named_pipe_client(&r, w.thread, &conn, &t), NULL);
    cr_assert_eq(r.level, TOKSIM_IMP_IDENTIFICATION);
    cr_assert(imp_trace_has(&t, "imp.level_capped"));
    toksim_trace_dispose(&t);
    toksim_token_free(c);
    imp_world_free(&w);
}

Test(thread, level_conversions)
{
    cr_assert_eq(toksim_imp_level_from_sqos(0), TOKSIM_IMP_IMPERSONATION);
    cr_assert_eq(toksim_imp_level_from_sqos(TOKSIM_SECURITY_SQOS_PRESENT),
                 TOKSIM_IMP_ANONYMOUS);
    cr_assert_eq(toksim_imp_level_from_sqos(TOKSIM_SECURITY_SQOS_PRESENT |
                                            TOKSIM_SECURITY_DELEGATION |
                                            TOKSIM_SECURITY_EFFECTIVE_ONLY),
                 TOKSIM_IMP_DELEGATION);
    cr_assert_eq(toksim_imp_level_from_rpc(TOKSIM_RPC_C_IMP_LEVEL_IDENTIFY, 0),
                 TOKSIM_IMP_IDENTIFICATION);
    cr_assert_eq(toksim_imp_level_from_rpc(TOKSIM_RPC_C_IMP_LEVEL_IMPERSONATE, 0),
                 TOKSIM_IMP_IMPERSONATION);
    cr_assert_eq(toksim_imp_level_from_rpc(TOKSIM_RPC_C_IMP_LEVEL_ANONYMOUS, 0),
                 TOKSIM_IMP_ANONYMOUS);
    cr_assert_eq(toksim_imp_level_from_rpc(TOKSIM_RPC_C_IMP_LEVEL_DEFAULT, 0),
                 TOKSIM_IMP_IDENTIFICATION);
    cr_assert_eq(toksim_imp_level_from_rpc(TOKSIM_RPC_C_IMP_LEVEL_DEFAULT, 3),
                 TOKSIM_IMP_IMPERSONATION);
    cr_assert_eq(toksim_imp_level_from_rpc(99, 0), TOKSIM_IMP_DELEGATION);
    cr_assert_eq(toksim_imp_level_to_rpc(TOKSIM_IMP_IDENTIFICATION), 2u);
    cr_assert_eq(toksim_imp_level_to_rpc(TOKSIM_IMP_IMPERSONATION), 3u);
}

static toksim_client_conn
rpc_conn(toksim_conn_kind kind, const toksim_token *client, uint32_t level)
{
    toksim_client_conn c;
    memset(&c, 0, sizeof c);
    c.kind = kind;
    c.client = client;
    c.in_call = true;
    c.rpc_imp_level = level;
    c.authn_level = TOKSIM_RPC_C_AUTHN_LEVEL_CONNECT;
    return c;
}

Test(thread, rpc_impersonate_client)
{
    imp_world w = imp_world_new((tk_spec){SERVER, .imp_priv = IMP_PRIV_ENABLED}, NULL);
    toksim_token *c = tk((tk_spec){CLIENT});
    toksim_client_conn conn =
        rpc_conn(TOKSIM_CONN_RPC, c, TOKSIM_RPC_C_IMP_LEVEL_IMPERSONATE);
    toksim_imp_result r;
    conn.in_call = false;
    ts_assert_ok(toksim_rpc_impersonate_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, 1725u); /* RPC_S_NO_CALL_ACTIVE */
    conn.in_call = true;
    conn.authn_level = TOKSIM_RPC_C_AUTHN_LEVEL_NONE;
    ts_assert_ok(toksim_rpc_impersonate_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, 1765u); /* RPC_S_NO_CONTEXT_AVAILABLE (UNCONFIRMED switch) */
    conn.authn_level = TOKSIM_RPC_C_AUTHN_LEVEL_PKT_PRIVACY;
    ts_assert_ok(toksim_rpc_impersonate_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    /* remote NTLM: Delegate is capped at Impersonate (§10.2.3) */
    conn.rpc_imp_level = TOKSIM_RPC_C_IMP_LEVEL_DELEGATE;
    conn.remote = true;
    conn.auth = TOKSIM_AUTH_NTLM;
    ts_assert_ok(toksim_rpc_impersonate_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    conn.auth = TOKSIM_AUTH_KERBEROS;
    conn.server_trusted_for_delegation = true;
    ts_assert_ok(toksim_rpc_impersonate_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert_eq(r.level, TOKSIM_IMP_DELEGATION);
    toksim_token_free(c);
    imp_world_free(&w);

    toksim_imp_options o;
    toksim_imp_options_init(&o);
    o.rpc_unauthenticated_fails = false;
    w = imp_world_new((tk_spec){SERVER, .imp_priv = IMP_PRIV_ENABLED}, &o);
    c = tk((tk_spec){CLIENT});
    conn = rpc_conn(TOKSIM_CONN_RPC, c, TOKSIM_RPC_C_IMP_LEVEL_IMPERSONATE);
    conn.authn_level = TOKSIM_RPC_C_AUTHN_LEVEL_NONE;
    ts_assert_ok(toksim_rpc_impersonate_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert(r.ok);
    toksim_token_free(c);
    imp_world_free(&w);
}

/* §10.3.2: CoImpersonateClient returns S_OK at Identify; the default level is IDENTIFY */
Test(thread, co_impersonate_client)
{
    imp_world w = imp_world_new((tk_spec){SERVER, .imp_priv = IMP_PRIV_ENABLED}, NULL);
    toksim_token *c = tk((tk_spec){CLIENT});
    toksim_client_conn conn =
        rpc_conn(TOKSIM_CONN_COM, c, TOKSIM_RPC_C_IMP_LEVEL_DEFAULT);
    toksim_imp_result r;
    ts_assert_ok(toksim_co_impersonate_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.hresult, 0u);
    cr_assert_eq(r.level, TOKSIM_IMP_IDENTIFICATION);
    conn.in_call = false;
    ts_assert_ok(toksim_co_impersonate_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.hresult,
                 0x80010117u); /* RPC_E_CALL_COMPLETE (fidelity-notes F-IMP-1) */
    conn.in_call = true;
    conn.authn_level = TOKSIM_RPC_C_AUTHN_LEVEL_NONE;
    ts_assert_ok(toksim_co_impersonate_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.hresult, 0x80010118u); /* RPC_E_UNSECURE_CALL */
    toksim_token_free(c);
    imp_world_free(&w);
}

/* §10.3.3: a COM server without the privilege gets an Identify copy, still S_OK */
Test(thread, co_impersonate_without_privilege)
{
    imp_world w = imp_world_new((tk_spec){SERVER}, NULL);
    toksim_token *c = tk((tk_spec){CLIENT});
    toksim_client_conn conn =
        rpc_conn(TOKSIM_CONN_COM, c, TOKSIM_RPC_C_IMP_LEVEL_IMPERSONATE);
    toksim_imp_result r;
    ts_assert_ok(toksim_co_impersonate_client(&r, w.thread, &conn, NULL), NULL);
    cr_assert(r.ok);
    cr_assert(r.downgraded);
    cr_assert_eq(r.level, TOKSIM_IMP_IDENTIFICATION);
    toksim_token_free(c);
    imp_world_free(&w);
}

/* the process's "held by" note lands right after the "lacks" event */
Test(thread, holders_note)
{
    imp_world w = imp_world_new((tk_spec){SERVER}, NULL);
    toksim_process_set_privilege_holders(w.proc, "Administrators, SERVICE");
    toksim_token *c = tk((tk_spec){CLIENT});
    toksim_token_handle h = handle(c, TOKSIM_TOKEN_ACCESS_ALL);
    toksim_imp_result r;
    toksim_trace t;
    toksim_trace_init(&t);
    ts_assert_ok(toksim_impersonate_logged_on_user(&r, w.thread, &h, &t), NULL);
    size_t i;
    for (i = 0; i < t.count && t.events[i].rule != TOKSIM_RULE_IMP_PRIV_MISSING; i++)
        ;
    cr_assert(i + 1 < t.count);
    cr_assert_eq(t.events[i + 1].rule, TOKSIM_RULE_IMP_PRIV_HOLDERS);
    cr_assert_str_eq(t.events[i + 1].text, "Administrators, SERVICE");
    toksim_trace_dispose(&t);
    toksim_token_free(c);
    imp_world_free(&w);
}

/* §2.2: the privilege counts in the PROCESS primary token, not in the thread's current
 * impersonation token */
Test(thread, privilege_of_thread_token_does_not_count)
{
    imp_world w = imp_world_new((tk_spec){SERVER, .auth_id = 0x500}, NULL);
    toksim_token *sys = tk((tk_spec){.user = "S-1-5-18",
                                     .imp_priv = IMP_PRIV_ENABLED,
                                     .impersonation = true,
                                     .level = TOKSIM_IMP_IMPERSONATION});
    toksim_token *c = tk((tk_spec){CLIENT});
    toksim_imp_result r;
    /* the process may take on a token made in its own logon session... */
    toksim_token_set_origin(sys, toksim_token_auth_id(toksim_process_token(w.proc)));
    toksim_token_handle hs = {sys, TOKSIM_TOKEN_ACCESS_ALL};
    ts_assert_ok(toksim_set_thread_token(&r, w.thread, &hs, NULL), NULL);
    cr_assert(r.ok && !r.downgraded);
    cr_assert(toksim_token_privilege_enabled(toksim_thread_token(w.thread),
                                             TOKSIM_PRIV_IMPERSONATE));
    /* ...but the privilege of that thread token does not help the next impersonation */
    toksim_token_handle hc = {c, TOKSIM_TOKEN_ACCESS_ALL};
    ts_assert_ok(toksim_impersonate_logged_on_user(&r, w.thread, &hc, NULL), NULL);
    cr_assert(r.ok);
    cr_assert(r.downgraded);
    cr_assert_eq(r.level, TOKSIM_IMP_IDENTIFICATION);
    toksim_token_free(sys);
    toksim_token_free(c);
    imp_world_free(&w);
}
