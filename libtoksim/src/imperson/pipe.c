/*
 * PURPOSE: a named pipe for impersonation: its security descriptor (Learn CreateNamedPipe
 * default), the client's open and SQOS (level, static/dynamic context tracking,
 * EffectiveOnly; no SQOS = Impersonation, dynamic, effective only: Wine kernel32 pipe.c
 * test_impersonation, run on Windows), the security context each message carries, and
 * ImpersonateNamedPipeClient on the last message read (1368 before the first read).
 * The level and the §2.2 test are server.c's toksim_impersonate_named_pipe_client().
 */
#include <stdlib.h>
#include "imperson/imp_int.h"

struct toksim_pipe {
    char name[TOKSIM_TRACE_TEXT_SIZE];
    toksim_sd *sd;
    bool connected, remote, read_any;
    toksim_pipe_client opts;
    toksim_token *static_ctx;                      /* captured at connect */
    toksim_token *queue[TOKSIM_PIPE_MAX_MESSAGES]; /* unread messages' contexts */
    size_t nqueue;
    toksim_token *last_read; /* context of the last message read */
};

static bool has_sqos(const toksim_pipe_client *c)
{
    return (c->sqos_flags & TOKSIM_SECURITY_SQOS_PRESENT) != 0;
}

/* Without SQOS the client's context is tracked dynamically and effective only (Wine
 * pipe.c test_no_sqos: later changes seen; test_no_sqos_no_token: privilege count 0). */
static bool dynamic_tracking(const toksim_pipe_client *c)
{
    return !has_sqos(c) || (c->sqos_flags & TOKSIM_SECURITY_CONTEXT_TRACKING);
}

static bool effective_only(const toksim_pipe_client *c)
{
    return !has_sqos(c) || (c->sqos_flags & TOKSIM_SECURITY_EFFECTIVE_ONLY);
}

static toksim_status default_sd(toksim_sd **out, const toksim_token *creator)
{
    /* Learn CreateNamedPipe, lpSecurityAttributes NULL: full control to LocalSystem,
     * administrators and the creator owner; read access to Everyone and anonymous */
    static const char *const names[] = {"SY", "BA", NULL, "WD", "AN"};
    toksim_sd *sd = NULL;
    toksim_status rc = toksim_sd_new(&sd);
    if (rc != TOKSIM_OK)
        return rc;
    const toksim_sid *owner = toksim_token_owner(creator);
    if (!owner)
        owner = toksim_token_user(creator);
    sd->has_owner = sd->has_group = true;
    sd->owner = *owner;
    sd->group = *owner;
    sd->control |= TOKSIM_SE_DACL_PRESENT;
    const toksim_generic_mapping *map = toksim_object_mapping(TOKSIM_OBJ_PIPE);
    rc = toksim_acl_new(&sd->dacl);
    for (size_t i = 0; rc == TOKSIM_OK && i < sizeof names / sizeof names[0]; i++) {
        toksim_sid sid = *owner;
        if (names[i] && (rc = toksim_sid_resolve(&sid, names[i], NULL, NULL)))
            break;
        uint32_t mask = i < 3 ? map->all : map->read;
        rc = toksim_acl_add(sd->dacl, TOKSIM_ACE_ACCESS_ALLOWED, 0, mask, &sid);
    }
    if (rc != TOKSIM_OK) {
        toksim_sd_free(sd);
        return rc;
    }
    *out = sd;
    return TOKSIM_OK;
}

toksim_status toksim_pipe_new(toksim_pipe **out,
                              const char *name,
                              const toksim_token *creator,
                              const toksim_sd *sd)
{
    if (!out)
        return TOKSIM_EINVAL;
    *out = NULL;
    if (!creator)
        return TOKSIM_EINVAL;
    toksim_pipe *p = ts_calloc(1, sizeof *p);
    if (!p)
        return TOKSIM_ENOMEM;
    (void)ts_put(p->name, sizeof p->name, 0, name ? name : "the pipe");
    toksim_status rc = sd ? toksim_sd_copy(&p->sd, sd) : default_sd(&p->sd, creator);
    if (rc != TOKSIM_OK) {
        free(p);
        return rc;
    }
    *out = p;
    return TOKSIM_OK;
}

void toksim_pipe_free(toksim_pipe *pipe)
{
    if (!pipe)
        return;
    toksim_sd_free(pipe->sd);
    toksim_token_free(pipe->static_ctx);
    for (size_t i = 0; i < pipe->nqueue; i++)
        toksim_token_free(pipe->queue[i]);
    toksim_token_free(pipe->last_read);
    free(pipe);
}

const toksim_sd *toksim_pipe_sd(const toksim_pipe *pipe)
{
    return pipe ? pipe->sd : NULL;
}

/* The context a message carries: a copy of `tok`, effective-only when asked. */
static toksim_status
capture(toksim_token **out, const toksim_token *tok, bool eff_only, toksim_trace *trace)
{
    toksim_status rc = toksim_token_copy(out, tok);
    if (rc == TOKSIM_OK && eff_only)
        rc = toksim_token_effective_only(*out, trace);
    return rc;
}

toksim_status toksim_pipe_connect(toksim_imp_result *out,
                                  toksim_pipe *pipe,
                                  const toksim_thread *client,
                                  const toksim_pipe_client *c,
                                  toksim_trace *trace)
{
    if (!out || !pipe || !c || pipe->connected || (c->remote && !c->remote_token) ||
        (!c->remote && !client))
        return TOKSIM_EINVAL;
    memset(out, 0, sizeof *out);
    uint32_t desired = c->desired ? c->desired : 0xC0000000u; /* GENERIC_READ|WRITE */
    toksim_open_result orr;
    memset(&orr, 0, sizeof orr);
    toksim_status rc;
    const toksim_token *who;
    if (c->remote) {
        /* the server's machine checks the network-logon token it built */
        who = c->remote_token;
        toksim_access_request req;
        memset(&req, 0, sizeof req);
        req.desired = desired;
        req.mode = TOKSIM_ACCESS_OPEN;
        req.object_type = TOKSIM_OBJ_PIPE;
        rc = toksim_access_check(&orr.access, pipe->sd, who, &req, trace);
        orr.ok = orr.access.api_ok && orr.access.granted_all;
        orr.win32 =
            orr.ok ? 0
                   : (orr.access.win32 ? orr.access.win32 : TOKSIM_ERROR_ACCESS_DENIED);
        orr.ntstatus = orr.access.ntstatus;
    } else {
        who = toksim_thread_effective_token(client);
        toksim_open_request req;
        memset(&req, 0, sizeof req);
        req.sd = pipe->sd;
        req.name = pipe->name;
        req.access.desired = desired;
        req.access.object_type = TOKSIM_OBJ_PIPE;
        rc = toksim_thread_open_object(&orr, client, &req, trace);
    }
    if (rc != TOKSIM_OK)
        return rc;
    if (!orr.ok) {
        ts_imp_result_fail(out, orr.win32, orr.ntstatus, TOKSIM_RULE_IMP_OPEN_RESULT);
        return TOKSIM_OK;
    }
    toksim_status st = TOKSIM_OK;
    toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_IMP_PIPE_CONNECTED, TOKSIM_V_GRANT);
    ts_imp_ev_sid2(&e, toksim_token_user(who));
    ts_imp_ev_text(&e, pipe->name);
    ts_imp_emit(&st, trace, &e);
    pipe->opts = *c;
    pipe->remote = c->remote;
    rc = capture(&pipe->static_ctx, who, !c->remote && effective_only(c), trace);
    if (rc != TOKSIM_OK)
        return rc;
    pipe->connected = true;
    out->ok = true;
    out->rule = TOKSIM_RULE_IMP_PIPE_CONNECTED;
    return st;
}

toksim_status
toksim_pipe_write(toksim_pipe *pipe, const toksim_thread *client, toksim_trace *trace)
{
    if (!pipe || !pipe->connected || (!pipe->remote && !client))
        return TOKSIM_EINVAL;
    if (pipe->nqueue >= TOKSIM_PIPE_MAX_MESSAGES)
        return TOKSIM_ELIMIT;
    toksim_status st = TOKSIM_OK, rc;
    toksim_token **slot = &pipe->queue[pipe->nqueue];
    bool dyn = !pipe->remote && dynamic_tracking(&pipe->opts);
    toksim_trace_event e = ts_imp_ev(
        dyn ? TOKSIM_RULE_IMP_PIPE_DYNAMIC : TOKSIM_RULE_IMP_PIPE_STATIC, TOKSIM_V_INFO);
    if (dyn) {
        const toksim_token *now = toksim_thread_effective_token(client);
        ts_imp_ev_sid2(&e, toksim_token_user(now));
        ts_imp_emit(&st, trace, &e);
        rc = capture(slot, now, effective_only(&pipe->opts), trace);
    } else {
        ts_imp_ev_sid2(&e, toksim_token_user(pipe->static_ctx));
        ts_imp_emit(&st, trace, &e);
        rc = toksim_token_copy(slot, pipe->static_ctx);
    }
    if (rc != TOKSIM_OK)
        return rc;
    pipe->nqueue++;
    return st;
}

toksim_status toksim_pipe_read(toksim_pipe *pipe)
{
    if (!pipe)
        return TOKSIM_EINVAL;
    if (!pipe->nqueue)
        return TOKSIM_ENOTFOUND;
    toksim_token_free(pipe->last_read);
    pipe->last_read = pipe->queue[0];
    memmove(&pipe->queue[0], &pipe->queue[1], (pipe->nqueue - 1) * sizeof pipe->queue[0]);
    pipe->nqueue--;
    pipe->read_any = true;
    return TOKSIM_OK;
}

toksim_status toksim_pipe_impersonate_client(toksim_imp_result *out,
                                             toksim_thread *server,
                                             const toksim_pipe *pipe,
                                             toksim_trace *trace)
{
    if (!out || !server || !pipe)
        return TOKSIM_EINVAL;
    toksim_client_conn conn;
    memset(&conn, 0, sizeof conn);
    conn.kind = TOKSIM_CONN_NAMED_PIPE;
    /* before any read there is no context: server.c answers 1368 (I20) */
    conn.client =
        pipe->last_read ? pipe->last_read : toksim_thread_effective_token(server);
    conn.data_read = pipe->read_any && pipe->last_read;
    conn.remote = pipe->remote;
    conn.auth = pipe->opts.auth;
    conn.sqos_flags = pipe->opts.sqos_flags;
    conn.server_trusted_for_delegation = pipe->opts.server_trusted_for_delegation;
    return toksim_impersonate_named_pipe_client(out, server, &conn, trace);
}
