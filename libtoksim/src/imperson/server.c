/*
 * PURPOSE: the server side of a connection: ImpersonateNamedPipeClient,
 * RpcImpersonateClient, CoImpersonateClient. Each impersonates the client at the level
 * the client allowed (windows-model §1.2-1.4: SQOS flags for pipes, RPC_C_IMP_LEVEL for
 * RPC/COM), capped by the client token's own level, then goes through the kernel test and
 * downgrade of §2.2/2.3.
 *
 * Left out: DDE, SSPI ImpersonateSecurityContext, NtImpersonateThread, COM cloaking
 * (§10.4), effective-only and context tracking (pipe.c models them for pipes).
 */
#include "imperson/imp_int.h"

toksim_imp_level toksim_imp_level_from_sqos(uint32_t flags)
{
    /* §1.3: the level bits only count with SECURITY_SQOS_PRESENT; without it a pipe
     * server impersonates at SecurityImpersonation [D-LEVELS], [D-INPC] */
    if (!(flags & TOKSIM_SECURITY_SQOS_PRESENT))
        return TOKSIM_IMP_IMPERSONATION;
    return (toksim_imp_level)((flags >> 16) & 0x3u);
}

toksim_imp_level toksim_imp_level_from_rpc(uint32_t rpc_level, uint32_t default_rpc_level)
{
    /* §1.2: RPC value = SECURITY_IMPERSONATION_LEVEL + 1; DEFAULT resolves to the machine
     * default (LegacyImpersonationLevel, IDENTIFY when absent, §10.2.1) */
    if (rpc_level == TOKSIM_RPC_C_IMP_LEVEL_DEFAULT)
        rpc_level =
            default_rpc_level ? default_rpc_level : TOKSIM_RPC_C_IMP_LEVEL_IDENTIFY;
    if (rpc_level == TOKSIM_RPC_C_IMP_LEVEL_DEFAULT)
        rpc_level = TOKSIM_RPC_C_IMP_LEVEL_IDENTIFY;
    if (rpc_level > TOKSIM_RPC_C_IMP_LEVEL_DELEGATE)
        rpc_level = TOKSIM_RPC_C_IMP_LEVEL_DELEGATE;
    return (toksim_imp_level)(rpc_level - 1);
}

uint32_t toksim_imp_level_to_rpc(toksim_imp_level level)
{
    return (uint32_t)level + 1u;
}

static const char *rpc_level_name(uint32_t v)
{
    switch (v) {
    case TOKSIM_RPC_C_IMP_LEVEL_DEFAULT:
        return "RPC_C_IMP_LEVEL_DEFAULT";
    case TOKSIM_RPC_C_IMP_LEVEL_ANONYMOUS:
        return "RPC_C_IMP_LEVEL_ANONYMOUS";
    case TOKSIM_RPC_C_IMP_LEVEL_IDENTIFY:
        return "RPC_C_IMP_LEVEL_IDENTIFY";
    case TOKSIM_RPC_C_IMP_LEVEL_IMPERSONATE:
        return "RPC_C_IMP_LEVEL_IMPERSONATE";
    default:
        return "RPC_C_IMP_LEVEL_DELEGATE";
    }
}

static void emit_level(toksim_status *st,
                       toksim_trace *trace,
                       toksim_rule rule,
                       toksim_imp_level level,
                       const char *text)
{
    toksim_trace_event e = ts_imp_ev(rule, TOKSIM_V_INFO);
    e.a = level;
    ts_imp_ev_text(&e, text);
    ts_imp_emit(st, trace, &e);
}

/* §2.5.2: the server's copy can never be above the client's own impersonation token. */
static toksim_imp_level cap_by_client(toksim_status *st,
                                      toksim_trace *trace,
                                      const toksim_token *client,
                                      toksim_imp_level level)
{
    toksim_imp_level cap = ts_imp_token_level(client);
    if (level <= cap)
        return level;
    toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_IMP_LEVEL_CAPPED, TOKSIM_V_CHANGE);
    ts_imp_ev_sid2(&e, toksim_token_user(client));
    e.a = level;
    e.b = cap;
    ts_imp_emit(st, trace, &e);
    return cap;
}

static toksim_status fail_conn(toksim_imp_result *out,
                               uint32_t win32,
                               uint32_t ntstatus,
                               uint32_t hresult,
                               toksim_rule rule,
                               toksim_trace *trace)
{
    toksim_status st = TOKSIM_OK;
    ts_imp_result_fail(out, win32, ntstatus, rule);
    if (hresult)
        out->hresult = hresult;
    toksim_trace_event e = ts_imp_ev(rule, TOKSIM_V_DENY);
    e.status = hresult ? hresult : win32;
    ts_imp_emit(&st, trace, &e);
    return st;
}

static toksim_status finish(toksim_status st,
                            toksim_imp_result *out,
                            toksim_thread *thread,
                            const toksim_token *client,
                            toksim_imp_level level,
                            toksim_trace *trace)
{
    if (st != TOKSIM_OK)
        return st;
    st = ts_imp_assign(out, thread, client, ts_imp_token_level(client), level,
                       TOKSIM_IMP_ROUTE_GENERIC, trace);
    return st;
}

toksim_status toksim_impersonate_named_pipe_client(toksim_imp_result *out,
                                                   toksim_thread *thread,
                                                   const toksim_client_conn *conn,
                                                   toksim_trace *trace)
{
    if (!out || !thread || !conn || !conn->client || conn->kind != TOKSIM_CONN_NAMED_PIPE)
        return TOKSIM_EINVAL;
    ts_imp_result_reset(out, thread);
    if (!conn->data_read) /* I20, §2.1.3 */
        return fail_conn(out, TOKSIM_ERROR_CANNOT_IMPERSONATE, 0, 0,
                         TOKSIM_RULE_IMP_PIPE_NO_DATA, trace);
    toksim_status st = TOKSIM_OK;
    toksim_imp_level level;
    if (conn->remote) {
        /* §1.4: remote client flags are ignored; the level follows the server's
         * delegation trust */
        level =
            (conn->server_trusted_for_delegation && conn->auth == TOKSIM_AUTH_KERBEROS)
                ? TOKSIM_IMP_DELEGATION
                : TOKSIM_IMP_IMPERSONATION;
        emit_level(&st, trace, TOKSIM_RULE_IMP_REMOTE_LEVEL, level, NULL);
    } else {
        level = toksim_imp_level_from_sqos(conn->sqos_flags);
        emit_level(&st, trace, TOKSIM_RULE_IMP_CLIENT_LEVEL, level,
                   (conn->sqos_flags & TOKSIM_SECURITY_SQOS_PRESENT)
                       ? "CreateFile SQOS flags"
                       : "no SQOS flags: pipe default");
    }
    level = cap_by_client(&st, trace, conn->client, level);
    return finish(st, out, thread, conn->client, level, trace);
}

/* RPC/COM level: the client's RPC_C_IMP_LEVEL; remote NTLM caps at Impersonate, Delegate
 * needs Kerberos and a server trusted for delegation (§10.2.3, §11.2). */
static toksim_imp_level
rpc_level(toksim_status *st, const toksim_client_conn *conn, toksim_trace *trace)
{
    toksim_imp_level level =
        toksim_imp_level_from_rpc(conn->rpc_imp_level, conn->default_rpc_imp_level);
    emit_level(st, trace, TOKSIM_RULE_IMP_CLIENT_LEVEL, level,
               rpc_level_name(conn->rpc_imp_level));
    if (conn->remote && level == TOKSIM_IMP_DELEGATION &&
        !(conn->auth == TOKSIM_AUTH_KERBEROS && conn->server_trusted_for_delegation)) {
        level = TOKSIM_IMP_IMPERSONATION;
        emit_level(st, trace, TOKSIM_RULE_IMP_REMOTE_LEVEL, level, NULL);
    }
    return cap_by_client(st, trace, conn->client, level);
}

toksim_status toksim_rpc_impersonate_client(toksim_imp_result *out,
                                            toksim_thread *thread,
                                            const toksim_client_conn *conn,
                                            toksim_trace *trace)
{
    if (!out || !thread || !conn || !conn->client)
        return TOKSIM_EINVAL;
    ts_imp_result_reset(out, thread);
    if (!conn->in_call)
        return fail_conn(out, TOKSIM_RPC_S_NO_CALL_ACTIVE, 0, 0, TOKSIM_RULE_IMP_NO_CALL,
                         trace);
    if (conn->authn_level == TOKSIM_RPC_C_AUTHN_LEVEL_NONE &&
        thread->proc->opts.rpc_unauthenticated_fails)
        /* the code: Learn RpcImpersonateClient; Wine rpcrt4 (fidelity-notes F-IMP-2) */
        return fail_conn(out, TOKSIM_RPC_S_NO_CONTEXT_AVAILABLE, 0, 0,
                         TOKSIM_RULE_IMP_UNAUTHENTICATED, trace);
    toksim_status st = TOKSIM_OK;
    toksim_imp_level level = rpc_level(&st, conn, trace);
    return finish(st, out, thread, conn->client, level, trace);
}

toksim_status toksim_co_impersonate_client(toksim_imp_result *out,
                                           toksim_thread *thread,
                                           const toksim_client_conn *conn,
                                           toksim_trace *trace)
{
    if (!out || !thread || !conn || !conn->client)
        return TOKSIM_EINVAL;
    ts_imp_result_reset(out, thread);
    /* §10.3.1: only while servicing a call (else RPC_E_CALL_COMPLETE, as
     * CoGetCallContext answers: docs/fidelity-notes.md F-IMP-1), only for authenticated
     * calls (that code UNVERIFIED) */
    if (!conn->in_call)
        return fail_conn(out, 0, 0, TS_IMP_RPC_E_CALL_COMPLETE, TOKSIM_RULE_IMP_NO_CALL,
                         trace);
    if (conn->authn_level == TOKSIM_RPC_C_AUTHN_LEVEL_NONE)
        return fail_conn(out, 0, 0, TS_IMP_RPC_E_UNSECURE_CALL,
                         TOKSIM_RULE_IMP_UNAUTHENTICATED, trace);
    toksim_status st = TOKSIM_OK;
    toksim_imp_level level = rpc_level(&st, conn, trace);
    /* §10.3.2: S_OK whatever level the thread ends up with */
    return finish(st, out, thread, conn->client, level, trace);
}
