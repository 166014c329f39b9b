/*
 * PURPOSE: scenario operations com.activate (CoCreateInstanceEx against an AppID: launch
 * and access permissions, RunAs identity, remote callers, cloaking of the activation),
 * com.outcall (the identity a thread's outgoing COM calls present under EOAC_NONE /
 * static / dynamic cloaking) and coerce.system_auth (the potato TEACHING MODEL).
 * Parameters become the systems layer's request structs; no Windows rule lives here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/ops_com.h"
#include "scenario/ops_params.h"
#include "scenario/model_int.h"
#include "scenario/world_glue.h"
#include "toksim/world.h"
#include "toksim/systems.h"

/* A caller names a process (its main thread) or a thread; a plain token is a process
 * token. */
static toksim_status caller_tokens(toksim_run *run,
                                   toksim_error *err,
                                   const char *name,
                                   const toksim_token **proc,
                                   const toksim_token **thread)
{
    ts_named *n = ts_named_find(run, name);
    *thread = NULL;
    if (n && n->kind == TS_N_TOKEN) {
        *proc = n->token;
        return TOKSIM_OK;
    }
    struct toksim_thread *th;
    toksim_status rc = ts_lookup_thread(run, err, name, &th);
    if (rc)
        return rc;
    *proc = toksim_process_token(toksim_thread_process(th));
    *thread = toksim_thread_token(th);
    return TOKSIM_OK;
}

static toksim_status
parse_runas(toksim_run *run, toksim_error *err, const ts_step *st, toksim_com_appid *app)
{
    const char *s = ts_step_str(st, "runas");
    if (!s || ts_strcasecmp(s, "launching_user") == 0) {
        app->runas = TOKSIM_COM_RUNAS_LAUNCHING_USER;
    } else if (ts_strcasecmp(s, "interactive_user") == 0 ||
               ts_strcasecmp(s, "Interactive User") == 0) {
        app->runas = TOKSIM_COM_RUNAS_INTERACTIVE_USER;
    } else if (ts_strcasecmp(s, "service") == 0) {
        app->runas = TOKSIM_COM_RUNAS_SERVICE;
        const char *svc = ts_step_str(st, "service");
        if (!svc)
            return ts_run_fail(run, err, TOKSIM_EPARSE,
                               "runas service needs \"service\" (a process started by "
                               "service.start)");
        return ts_lookup_token(run, err, svc, &app->service_token, NULL);
    } else {
        toksim_sid sid;
        toksim_error e = {0};
        if (toksim_world_resolve(run->world, s, &sid, &e) != TOKSIM_OK)
            return ts_run_fail(
                run, err, TOKSIM_ENOTFOUND,
                "runas \"%.60s\": expected launching_user, interactive_user, "
                "service or an account of the world (%s)",
                s, e.message);
        app->runas = TOKSIM_COM_RUNAS_ACCOUNT;
        app->runas_account = s;
    }
    return TOKSIM_OK;
}

static toksim_status activate_inputs(toksim_run *run,
                                     toksim_error *err,
                                     const ts_step *st,
                                     toksim_com_activation *act)
{
    toksim_status rc = caller_tokens(run, err, ts_step_str(st, "caller"),
                                     &act->caller_process, &act->caller_thread);
    const char *s;
    if (!rc && (s = ts_step_str(st, "cloaking")) &&
        toksim_com_cloaking_parse(&act->cloaking, s) != TOKSIM_OK)
        rc = ts_run_fail(run, err, TOKSIM_EPARSE,
                         "cloaking \"%.40s\": expected none, static or dynamic", s);
    const ts_param *rm = ts_step_param(st, "remote");
    act->remote = rm && rm->b;
    act->auth = TOKSIM_AUTH_NTLM;
    if (!rc && (s = ts_step_str(st, "auth"))) {
        if (ts_strcasecmp(s, "kerberos") == 0)
            act->auth = TOKSIM_AUTH_KERBEROS;
        else if (ts_strcasecmp(s, "ntlm") != 0)
            rc = ts_run_fail(run, err, TOKSIM_EPARSE,
                             "auth \"%.40s\": expected ntlm or kerberos", s);
    }
    if (!rc && (s = ts_step_str(st, "running")))
        rc = ts_lookup_token(run, err, s, &act->running_server, NULL);
    if (!rc && (s = ts_step_str(st, "interactive_user")))
        rc = ts_lookup_token(run, err, s, &act->interactive_user, NULL);
    return rc;
}

static void activate_summary(toksim_run *run,
                             const char *app,
                             const toksim_com_activation_result *res,
                             toksim_step_result *r)
{
    char cname[160], sname[160], ename[96];
    ts_run_sid_name(cname, sizeof cname, run, &res->caller);
    if (res->ok) {
        ts_run_sid_name(sname, sizeof sname, run, &res->server_user);
        ts_summary(run, "%s activates %s: the server %s as %s", cname, app,
                   res->launched ? "is launched" : "already runs", sname);
        return;
    }
    ts_result_error_name(ename, sizeof ename, r);
    ts_summary(run, "%s cannot activate %s: %s (0x%08X)", cname, app, ename,
               (unsigned)res->hresult);
}

toksim_status ts_op_com_activate(toksim_run *run,
                                 const ts_step *st,
                                 toksim_step_result *r,
                                 toksim_error *err)
{
    toksim_com_appid app;
    memset(&app, 0, sizeof app);
    app.name = ts_step_str(st, "app");
    app.password = ts_step_str(st, "password");
    toksim_com_activation act;
    memset(&act, 0, sizeof act);
    act.app = &app;
    toksim_sd *launch = NULL, *access = NULL, *dflt = NULL;
    toksim_token *server = NULL, *caller = NULL;
    toksim_status rc = parse_runas(run, err, st, &app);
    if (!rc)
        rc = activate_inputs(run, err, st, &act);
    if (!rc && !(rc = ts_param_sd(run, err, st, "launch_sddl", &launch)) &&
        !(rc = ts_param_sd(run, err, st, "access_sddl", &access)))
        rc = ts_param_sd(run, err, st, "default_launch_sddl", &dflt);
    app.launch_permission = launch;
    app.access_permission = access;
    act.default_launch_permission = dflt;
    toksim_com_activation_result res;
    memset(&res, 0, sizeof res);
    toksim_error e = {0};
    if (!rc && (rc = toksim_com_activate(&res, &server, &caller, run->world, &act,
                                         &r->trace, &e)))
        rc = ts_run_fail_lib(run, err, rc, &e);
    if (!rc) {
        /* E_ACCESSDENIED is HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED): report both */
        uint32_t w32 = (res.hresult & 0xFFFF0000u) == 0x80070000u
                           ? (res.hresult & 0xFFFFu)
                           : res.logon_win32;
        ts_result_codes(r, res.ok, w32, w32 ? toksim_win32_to_ntstatus(w32) : 0,
                        res.hresult);
        rc = ts_result_add_findings(r, &res.findings, false);
        ts_named *n;
        const char *as = ts_step_str(st, "as");
        if (rc) {
            /* out of memory: server and caller are freed below */
        } else if (server) {
            rc = ts_make_process_owned(run, err, as, "COM server", server, &n);
            server = NULL; /* the process owns it now */
            if (!rc)
                r->token = ts_named_primary(n);
        } else {
            rc = ts_named_add(run, err, as, TS_N_PROCESS, "COM server", &n);
        }
        const char *cas = ts_step_str(st, "caller_as");
        if (!rc && cas && caller) { /* the caller as the server machine sees it */
            ts_named *cn;
            if (!(rc = ts_named_add(run, err, cas, TS_N_TOKEN, "token", &cn))) {
                cn->token = caller;
                caller = NULL;
            }
        }
        if (!rc)
            activate_summary(run, app.name, &res, r);
    }
    toksim_token_free(server);
    toksim_token_free(caller);
    toksim_sd_free(launch);
    toksim_sd_free(access);
    toksim_sd_free(dflt);
    return rc;
}

/* ---- com.outcall: a thread's sequence of impersonations and outgoing calls ---- */

static toksim_status outcall_impersonate(toksim_run *run,
                                         toksim_error *err,
                                         struct toksim_thread *th,
                                         const char *name,
                                         toksim_step_result *r)
{
    const toksim_token *tok;
    toksim_status rc = ts_lookup_token(run, err, name, &tok, NULL);
    if (rc)
        return rc;
    toksim_token_handle h = {tok, TOKSIM_TOKEN_ACCESS_QUERY |
                                      TOKSIM_TOKEN_ACCESS_DUPLICATE |
                                      TOKSIM_TOKEN_ACCESS_IMPERSONATE};
    toksim_imp_result ir;
    return toksim_impersonate_logged_on_user(&ir, th, &h, &r->trace);
}

toksim_status ts_op_com_outcall(toksim_run *run,
                                const ts_step *st,
                                toksim_step_result *r,
                                toksim_error *err)
{
    struct toksim_thread *th;
    toksim_status rc = ts_lookup_thread(run, err, ts_step_str(st, "thread"), &th);
    if (rc)
        return rc;
    toksim_com_cloaking cl = TOKSIM_COM_CLOAK_NONE;
    const char *s = ts_step_str(st, "cloaking");
    if (s && toksim_com_cloaking_parse(&cl, s) != TOKSIM_OK)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "cloaking \"%.40s\": expected none, static or dynamic", s);
    const ts_param *calls = ts_step_param(st, "calls");
    toksim_token *proxy =
        NULL;                  /* static cloaking: the identity fixed at the first call */
    toksim_token *last = NULL; /* a copy of the identity the last call presented */
    char seen[400] = "";
    size_t used = 0;
    for (size_t i = 0; !rc && i < calls->nlist; i++) {
        const char *a = calls->list[i];
        if (strcmp(a, "call") == 0) {
            bool captured = false;
            const toksim_token *presented = NULL;
            rc = toksim_com_cloak_identity(&presented, &captured, th, cl, proxy,
                                           &r->trace);
            if (!rc && captured)
                rc = toksim_token_copy(&proxy, presented);
            toksim_token_free(last);
            last = NULL;
            if (!rc)
                rc = toksim_token_copy(&last, presented);
            char nm[96];
            if (!rc) {
                ts_run_sid_name(nm, sizeof nm, run, toksim_token_user(last));
                int k = snprintf(seen + used, sizeof seen - used, "%s%s",
                                 used ? ", " : "", nm);
                if (k > 0 && (size_t)k < sizeof seen - used)
                    used += (size_t)k;
            }
        } else if (strncmp(a, "impersonate ", 12) == 0) {
            rc = outcall_impersonate(run, err, th, a + 12, r);
        } else if (strcmp(a, "revert") == 0) {
            toksim_imp_result rr;
            toksim_revert_to_self(&rr, th, &r->trace);
        } else {
            rc =
                ts_run_fail(run, err, TOKSIM_EPARSE,
                            "calls[%zu] \"%.60s\": expected call, impersonate <token> or "
                            "revert",
                            i, a);
        }
    }
    if (!rc && !last)
        rc = ts_run_fail(run, err, TOKSIM_EPARSE, "calls: no \"call\" in the list");
    ts_named *n;
    if (!rc &&
        !(rc = ts_named_add(run, err, ts_step_str(st, "as"), TS_N_TOKEN, "token", &n))) {
        n->token = last; /* the name owns it now */
        last = NULL;
        r->token = n->token;
    }
    if (!rc) {
        r->ok = true;
        ts_summary(run, "outgoing calls with %s cloaking present: %s",
                   toksim_com_cloaking_name(cl), seen);
    }
    toksim_token_free(proxy);
    toksim_token_free(last);
    return rc;
}

/* ---- coerce.system_auth: the potato TEACHING MODEL ---- */

toksim_status ts_op_coerce_system(toksim_run *run,
                                  const ts_step *st,
                                  toksim_step_result *r,
                                  toksim_error *err)
{
    toksim_potato_request req;
    toksim_potato_request_init(&req);
    req.options = ts_run_model(run);
    toksim_status rc =
        ts_lookup_token(run, err, ts_step_str(st, "service"), &req.service, NULL);
    if (rc)
        return rc;
    const char *s = ts_step_str(st, "path");
    if (s && toksim_potato_path_parse(&req.path, s) != TOKSIM_OK)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "path \"%.40s\": expected spooler, dcom_local or dcom_remote",
                           s);
    const ts_param *p;
    if ((p = ts_step_param(st, "spooler_running")))
        req.spooler_running = p->b;
    if ((p = ts_step_param(st, "remote_redirector")))
        req.remote_redirector = p->b;
    if ((p = ts_step_param(st, "write_restricted_blocks")))
        req.write_restricted_blocks = p->b;
    if ((s = ts_step_str(st, "target"))) {
        const ts_object *obj;
        if ((rc = ts_lookup_object(run, err, s, &obj)))
            return rc;
        req.target_sd = obj->sd;
        req.target_name = obj->path;
        req.target_type = obj->type;
    }
    if ((rc = ts_param_access(run, err, st, "access", req.target_type, 0,
                              &req.target_access)))
        return rc;
    toksim_potato_result res;
    toksim_error e = {0};
    if ((rc = toksim_potato_run(&res, run->world, &req, &r->trace, &e)))
        return ts_run_fail_lib(run, err, rc, &e);
    ts_result_codes(r, res.ok, res.win32,
                    res.win32 ? toksim_win32_to_ntstatus(res.win32) : 0, res.hresult);
    if (res.coerced) {
        r->has_level = true;
        r->level = res.level;
    }
    r->token = req.service;
    if ((rc = ts_result_add_findings(r, &res.findings, false)))
        return rc;
    char sname[160];
    ts_run_sid_name(sname, sizeof sname, run, toksim_token_user(req.service));
    if (res.ok)
        ts_summary(run, "TEACHING MODEL: %s obtained a SYSTEM thread token via %s", sname,
                   toksim_potato_path_name(req.path));
    else
        ts_summary(run, "TEACHING MODEL: %s did not obtain SYSTEM via %s: stopped by %s",
                   sname, toksim_potato_path_name(req.path),
                   res.stopped_by ? toksim_rule_get(res.stopped_by)->id : "the open");
    return TOKSIM_OK;
}
