/*
 * PURPOSE: TEACHING MODEL of the potato / token-kidnapping family (toksim_potato_run):
 * preconditions from public write-ups, then the impersonation layer decides. A service
 * process (its primary token) needs a coercion path that makes SYSTEM authenticate to it
 * (Spooler -> pipe: PrintSpoofer; DCOM activation with a local OXID resolver:
 * Rotten/JuicyPotato, refused on the modern OS profiles; a remote OXID redirector:
 * RoguePotato), then ImpersonateNamedPipeClient / RpcImpersonateClient runs the §2.2
 * test: with SeImpersonatePrivilege the thread holds SYSTEM at Impersonation and opens a
 * SYSTEM-only object; without it the engine silently hands an Identification copy and the
 * open fails with ERROR_BAD_IMPERSONATION_LEVEL (1346). A write-restricted service token
 * stops the chain behind the UNCONFIRMED switch write_restricted_blocks.
 */
#include <stdio.h>
#include <string.h>
#include "systems/sys_int.h"
#include "toksim/potato.h"
#include "toksim/world.h"

static const char *const path_names[] = {"spooler", "dcom_local", "dcom_remote"};

const char *toksim_potato_path_name(toksim_potato_path p)
{
    return (unsigned)p < 3 ? path_names[p] : "spooler";
}

toksim_status toksim_potato_path_parse(toksim_potato_path *out, const char *name)
{
    if (!out || !name)
        return TOKSIM_EINVAL;
    for (int i = 0; i < 3; i++)
        if (ts_strcasecmp(name, path_names[i]) == 0) {
            *out = (toksim_potato_path)i;
            return TOKSIM_OK;
        }
    return TOKSIM_ENOTFOUND;
}

void toksim_potato_request_init(toksim_potato_request *req)
{
    if (!req)
        return;
    memset(req, 0, sizeof *req);
    req->path = TOKSIM_POTATO_SPOOLER;
    req->spooler_running = true;
    req->write_restricted_blocks = true;
    req->target_type = TOKSIM_OBJ_FILE;
}

/* Why no SYSTEM authentication can be coerced on this machine, or NULL. */
static const char *no_path_reason(const toksim_potato_request *req, const char *os)
{
    switch (req->path) {
    case TOKSIM_POTATO_SPOOLER:
        return req->spooler_running ? NULL : "the Print Spooler service is not running";
    case TOKSIM_POTATO_DCOM_LOCAL:
        /* Windows 10 1809 / Server 2019 refuse a local OXID resolver on another port
         * (decoder.cloud); the win10 and server profiles are taken as such builds. */
        return os && ts_strcasecmp(os, "win7") == 0
                   ? NULL
                   : "this OS profile resolves OXIDs only on port 135 (Windows 10 1809 / "
                     "Server 2019 and later)";
    case TOKSIM_POTATO_DCOM_REMOTE:
        return req->remote_redirector
                   ? NULL
                   : "no remote host redirects the OXID resolution (port "
                     "135)";
    }
    return "unknown path";
}

static toksim_status stop(toksim_potato_result *out,
                          toksim_trace *trace,
                          toksim_rule rule,
                          const ts_sys_ev *ev)
{
    out->stopped_by = rule;
    return ts_sys_trace(trace, rule, TOKSIM_V_DENY, ev);
}

/* The coerced SYSTEM client reaches the service thread, which impersonates it. */
static toksim_status impersonate_system(toksim_potato_result *out,
                                        toksim_thread *th,
                                        const toksim_potato_request *req,
                                        const toksim_token *system,
                                        toksim_trace *trace)
{
    toksim_client_conn conn;
    memset(&conn, 0, sizeof conn);
    conn.client = system;
    conn.auth = TOKSIM_AUTH_LOCAL;
    toksim_imp_result ir;
    toksim_status rc;
    if (req->path == TOKSIM_POTATO_SPOOLER) {
        conn.kind = TOKSIM_CONN_NAMED_PIPE; /* no SQOS: SecurityImpersonation */
        conn.data_read = true;
        rc = toksim_impersonate_named_pipe_client(&ir, th, &conn, trace);
    } else {
        conn.kind = TOKSIM_CONN_RPC; /* rpcss authenticates with NTLM at Impersonate */
        conn.rpc_imp_level = TOKSIM_RPC_C_IMP_LEVEL_IMPERSONATE;
        conn.authn_level = TOKSIM_RPC_C_AUTHN_LEVEL_CONNECT;
        conn.in_call = true;
        rc = toksim_rpc_impersonate_client(&ir, th, &conn, trace);
    }
    if (rc != TOKSIM_OK)
        return rc;
    out->level = ir.level;
    ts_sys_ev ev = {.sid = toksim_token_user(system), .a = ir.level};
    if (ir.impersonating && ir.level >= TOKSIM_IMP_IMPERSONATION) {
        out->impersonated = true;
        return ts_sys_trace(trace, TOKSIM_RULE_POTATO_IMPERSONATED, TOKSIM_V_GRANT, &ev);
    }
    out->stopped_by = TOKSIM_RULE_POTATO_DOWNGRADED;
    return ts_sys_trace(trace, TOKSIM_RULE_POTATO_DOWNGRADED, TOKSIM_V_DENY, &ev);
}

static toksim_status open_target(toksim_potato_result *out,
                                 const toksim_thread *th,
                                 const toksim_potato_request *req,
                                 toksim_trace *trace)
{
    toksim_sd *own = NULL;
    const toksim_sd *sd = req->target_sd;
    toksim_status rc;
    if (!sd) {
        toksim_sid_context ctx = {NULL, NULL};
        if ((rc = toksim_sd_from_sddl(&own, "O:SYG:SYD:(A;;FA;;;SY)", &ctx, NULL)))
            return rc;
        sd = own;
    }
    const char *name = req->target_name ? req->target_name : "(a SYSTEM-only object)";
    toksim_open_request orq;
    memset(&orq, 0, sizeof orq);
    orq.sd = sd;
    orq.name = name;
    orq.access.object_type = req->target_type;
    orq.access.desired = req->target_access ? req->target_access : 0x001F01FFu;
    toksim_open_result orr;
    rc = toksim_thread_open_object(&orr, th, &orq, trace);
    toksim_sd_free(own);
    if (rc != TOKSIM_OK)
        return rc;
    out->ok = orr.ok;
    out->win32 = orr.win32;
    out->hresult = orr.ok ? 0 : orr.hresult;
    ts_sys_ev ev = {.sid = toksim_token_user(toksim_thread_effective_token(th)),
                    .text = name,
                    .status = orr.win32};
    return ts_sys_trace(trace, TOKSIM_RULE_POTATO_OPEN,
                        orr.ok ? TOKSIM_V_GRANT : TOKSIM_V_DENY, &ev);
}

toksim_status toksim_potato_run(toksim_potato_result *out,
                                struct toksim_world *world,
                                const toksim_potato_request *req,
                                toksim_trace *trace,
                                toksim_error *err)
{
    if (!out || !world || !req || !req->service || (unsigned)req->path > 2)
        return ts_error_set(
            err, TOKSIM_EINVAL, 0,
            "potato: missing result, world or service token, or bad path");
    memset(out, 0, sizeof *out);
    const toksim_sid *svc = toksim_token_user(req->service);
    ts_sys_ev ev = {.sid = svc, .text = toksim_potato_path_name(req->path)};
    toksim_status rc = ts_sys_trace(trace, TOKSIM_RULE_POTATO_MODEL, TOKSIM_V_INFO, &ev);
    if (rc != TOKSIM_OK)
        return rc;
    const char *why = no_path_reason(req, toksim_world_os_profile(world));
    if (why) {
        ev.text = why;
        return stop(out, trace, TOKSIM_RULE_POTATO_NO_PATH, &ev);
    }
    if (req->write_restricted_blocks && toksim_token_is_write_restricted(req->service))
        return stop(out, trace, TOKSIM_RULE_POTATO_WRITE_RESTRICTED, &ev);
    toksim_token *system = NULL;
    toksim_process *proc = NULL;
    toksim_thread *th = NULL;
    rc = toksim_logon_builtin(&system, world, TOKSIM_BUILTIN_SYSTEM, NULL, NULL, err);
    if (rc == TOKSIM_OK)
        rc = toksim_process_new(&proc, req->service, req->options);
    if (rc == TOKSIM_OK)
        rc = toksim_thread_new(&th, proc);
    if (rc != TOKSIM_OK)
        goto done;
    out->coerced = true;
    ev = (ts_sys_ev){.sid = toksim_token_user(system),
                     .text =
                         req->path == TOKSIM_POTATO_SPOOLER
                             ? "the Spooler's change notification to the service's pipe"
                             : "a DCOM activation authenticated by rpcss"};
    if ((rc = ts_sys_trace(trace, TOKSIM_RULE_POTATO_COERCED, TOKSIM_V_INFO, &ev)))
        goto done;
    if ((rc = impersonate_system(out, th, req, system, trace)))
        goto done;
    if ((rc = open_target(out, th, req, trace)))
        goto done;
    if (out->ok && out->impersonated)
        rc = ts_sys_finding(&out->findings, trace, TOKSIM_RULE_FINDING_POTATO_SYSTEM, -1,
                            toksim_token_user(system), svc,
                            toksim_potato_path_name(req->path));
done:
    toksim_thread_free(th);
    toksim_process_free(proc);
    toksim_token_free(system);
    return rc;
}
