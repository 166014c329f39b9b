/*
 * PURPOSE: scenario operations of ISAPI extensions in the IIS 5/6 process model
 * (isapi.h): isapi.extension.load (the process an application runs in),
 * isapi.request (IIS authenticates a request and calls HttpExtensionProc on an I/O
 * thread it impersonates; the step's "as" names the ECB, which is also the name of that
 * I/O thread) and isapi.worker (what the extension does on a thread: fetch the
 * impersonation token, impersonate, open objects, revert, return from HttpExtensionProc,
 * HSE_REQ_DONE_WITH_SESSION). The systems layer decides; this file maps parameters and
 * results.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/run_int.h"
#include "scenario/ops_params.h"
#include "scenario/world_glue.h"
#include "toksim/world.h"
#include "toksim/systems.h"

static const char APP_WHAT[] = "ISAPI application";

static void ecb_free(void *data)
{
    toksim_isapi_ecb_free(data);
}

toksim_status ts_op_isapi_load(toksim_run *run,
                               const ts_step *st,
                               toksim_step_result *r,
                               toksim_error *err)
{
    toksim_isapi_app_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.name = ts_step_str(st, "app");
    const char *iso = ts_step_str(st, "isolation");
    if (toksim_isapi_isolation_parse(&cfg.isolation, iso) != TOKSIM_OK)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "isolation \"%.40s\": expected inproc, pooled or isolated",
                           iso);
    cfg.wam_user = ts_step_str(st, "wam_user");
    cfg.wam_password = ts_step_str(st, "password");
    const char *wl = ts_step_str(st, "wam_logon");
    if (wl && toksim_logon_type_parse(&cfg.wam_logon, wl) != TOKSIM_OK)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "wam_logon \"%.40s\": expected a logon type (batch, "
                           "interactive, service ...)",
                           wl);
    if ((cfg.wam_user || wl) && cfg.isolation == TOKSIM_ISAPI_INPROC)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "wam_user/wam_logon: an in-process application runs as "
                           "inetinfo.exe "
                           "(SYSTEM); use pooled or isolated");
    toksim_isapi_app_result res;
    toksim_token *tok = NULL;
    toksim_error e = {0};
    toksim_status rc =
        toksim_isapi_app_token(&tok, &res, run->world, &cfg, &r->trace, &e);
    if (rc)
        return ts_run_fail_lib(run, err, rc, &e);
    ts_result_codes(r, res.loaded, res.logon_win32, res.logon_ntstatus, 0);
    ts_named *n;
    const char *as = ts_step_str(st, "as");
    if (tok)
        rc = ts_make_process_owned(run, err, as, APP_WHAT, tok, &n);
    else
        rc = ts_named_add(run, err, as, TS_N_PROCESS, APP_WHAT, &n);
    if (rc)
        return rc;
    r->token = ts_named_primary(n);
    char uname[160];
    ts_run_sid_name(uname, sizeof uname, run, &res.user);
    const char *host =
        cfg.isolation == TOKSIM_ISAPI_INPROC ? "inetinfo.exe" : "dllhost.exe";
    if (res.loaded) {
        ts_summary(run, "%s (%s) runs in %s as %s", cfg.name, iso, host, uname);
    } else {
        char ename[96];
        ts_result_error_name(ename, sizeof ename, r);
        ts_summary(run, "%s (%s) cannot start: %s could not log on (%s)", cfg.name, iso,
                   uname, ename);
    }
    return TOKSIM_OK;
}

toksim_status ts_op_isapi_request(toksim_run *run,
                                  const ts_step *st,
                                  toksim_step_result *r,
                                  toksim_error *err)
{
    const char *ext = ts_step_str(st, "extension");
    ts_named *app = ts_named_find(run, ext);
    if (!app || app->kind != TS_N_PROCESS || strcmp(app->what, APP_WHAT) != 0)
        return ts_run_fail(run, err, TOKSIM_ENOTFOUND,
                           "\"%s\" names no ISAPI application loaded by an earlier step "
                           "(isapi.extension.load)",
                           ext);
    if (!app->proc)
        return ts_run_fail(run, err, TOKSIM_EINVAL,
                           "ISAPI application \"%s\" is not running (its identity could "
                           "not log on)",
                           ext);
    toksim_isapi_request req;
    toksim_isapi_request_init(&req);
    req.user = ts_step_str(st, "user");
    req.password = ts_step_str(st, "password");
    req.anonymous_user = ts_step_str(st, "anonymous_user");
    const char *s;
    if ((s = ts_step_str(st, "auth")) &&
        toksim_isapi_auth_parse(&req.auth, s) != TOKSIM_OK)
        return ts_run_fail(
            run, err, TOKSIM_EPARSE,
            "auth \"%.40s\": expected anonymous, basic, ntlm or certificate", s);
    if (req.auth != TOKSIM_ISAPI_AUTH_ANONYMOUS && !req.user)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "auth %s needs \"user\" (certificate: the mapped account)", s);
    if ((s = ts_step_str(st, "logon_method")) &&
        toksim_isapi_logon_method_parse(&req.logon_method, s) != TOKSIM_OK)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "logon_method \"%.40s\": expected interactive, batch, network "
                           "or cleartext (LogonMethod)",
                           s);
    ts_named *n;
    toksim_status rc =
        ts_named_add(run, err, ts_step_str(st, "as"), TS_N_THREAD, "ISAPI request", &n);
    if (rc || (rc = toksim_thread_new(&n->thread, app->proc)))
        return rc;
    toksim_isapi_ecb *ecb = NULL;
    toksim_isapi_result res;
    toksim_error e = {0};
    rc = toksim_isapi_request_begin(&ecb, &res, run->world, n->thread, &req, &r->trace,
                                    &e);
    if (rc)
        return ts_run_fail_lib(run, err, rc, &e);
    n->data = ecb;
    n->free_data = ecb_free;
    ts_result_codes(r, res.ok, res.win32, res.ntstatus, res.hresult);
    if ((rc = ts_result_add_findings(r, &res.findings, true)))
        return rc;
    char who[160];
    ts_run_sid_name(who, sizeof who, run, &res.request_user);
    const char *url = ts_step_str(st, "url");
    if (res.http_status) {
        r->has_http = true;
        r->http = res.http_status;
        char ename[96];
        ts_result_error_name(ename, sizeof ename, r);
        ts_summary(run, "GET %s as %s: logon failed (%s), HTTP %d", url ? url : ext, who,
                   ename, res.http_status);
        return TOKSIM_OK;
    }
    r->token = toksim_thread_effective_token(n->thread);
    if (res.impersonating) {
        r->has_level = true;
        r->level = res.level;
    }
    if (res.downgraded && (rc = ts_trace_holders(run, &r->trace)))
        return rc;
    ts_summary(run,
               "GET %s by %s: HttpExtensionProc runs on I/O thread \"%s\" holding %s's "
               "token at %s",
               url ? url : ext, who, n->name, who, toksim_imp_level_name(res.level));
    return TOKSIM_OK;
}

/* ---- isapi.worker ---- */

typedef enum act_kind {
    ACT_GET_TOKEN,
    ACT_IMPERSONATE,
    ACT_SET_THREAD_TOKEN,
    ACT_OPEN,
    ACT_REVERT,
    ACT_RETURN,
    ACT_DONE
} act_kind;

static const char *const act_names[] = {"get_impersonation_token",
                                        "impersonate",
                                        "set_thread_token",
                                        "open",
                                        "revert",
                                        "return",
                                        "done_with_session"};

typedef struct worker_ctx {
    toksim_run *run;
    const ts_step *st;
    toksim_step_result *r;
    toksim_error *err;
    toksim_isapi_ecb *ecb;
    struct toksim_thread *thread;
    bool io_thread;
    ts_buf story;
} worker_ctx;

static toksim_status do_open(worker_ctx *c, const char *path, toksim_isapi_result *res)
{
    const ts_object *obj;
    toksim_status rc = ts_lookup_object(c->run, c->err, path, &obj);
    if (rc)
        return rc;
    toksim_open_request orq;
    memset(&orq, 0, sizeof orq);
    orq.sd = obj->sd;
    orq.name = obj->path;
    orq.access.object_type = obj->type;
    orq.access.mode = TOKSIM_ACCESS_OPEN;
    if ((rc = ts_param_access(c->run, c->err, c->st, "access", obj->type, 0,
                              &orq.access.desired)))
        return rc;
    if (!orq.access.desired)
        return ts_run_fail(
            c->run, c->err, TOKSIM_EPARSE,
            "\"open %.60s\" needs \"access\" (the rights the extension asks "
            "for)",
            path);
    toksim_error e = {0};
    if ((rc = toksim_isapi_open(res, c->ecb, c->thread, &orq, &c->r->trace, &e)))
        return ts_run_fail_lib(c->run, c->err, rc, &e);
    c->r->has_granted = true;
    c->r->granted = res->granted;
    char who[160];
    ts_run_sid_name(who, sizeof who, c->run, &res->acting_user);
    ts_buf_printf(&c->story, "; open %s as %s: %s", obj->path, who,
                  res->ok ? "granted" : "failed");
    return TOKSIM_OK;
}

static toksim_status run_action(worker_ctx *c, size_t i, const char *a)
{
    const char *sp = strchr(a, ' ');
    size_t vlen = sp ? (size_t)(sp - a) : strlen(a);
    int k = -1;
    for (size_t j = 0; j < sizeof act_names / sizeof act_names[0]; j++)
        if (strlen(act_names[j]) == vlen && strncmp(a, act_names[j], vlen) == 0)
            k = (int)j;
    const char *arg = sp ? sp + 1 : NULL;
    bool bad = k < 0 || (k == ACT_OPEN) != (arg != NULL);
    if (k == ACT_RETURN && arg && strcmp(arg, "pending") == 0)
        bad = false;
    if (bad)
        return ts_run_fail(c->run, c->err, TOKSIM_EPARSE,
                           "actions[%zu] \"%.60s\": expected get_impersonation_token, "
                           "impersonate, set_thread_token, open <path>, revert, return, "
                           "return pending or done_with_session",
                           i, a);
    toksim_isapi_result res;
    toksim_error e = {0};
    toksim_status rc = TOKSIM_OK;
    toksim_trace *tr = &c->r->trace;
    switch ((act_kind)k) {
    case ACT_GET_TOKEN:
        rc = toksim_isapi_get_impersonation_token(&res, c->ecb, tr, &e);
        ts_buf_append(&c->story, "; HSE_REQ_GET_IMPERSONATION_TOKEN");
        break;
    case ACT_IMPERSONATE:
    case ACT_SET_THREAD_TOKEN:
        rc = toksim_isapi_impersonate(&res, c->ecb, c->thread, k == ACT_SET_THREAD_TOKEN,
                                      tr, &e);
        if (!rc) {
            ts_buf_printf(&c->story, "; %s: ",
                          k == ACT_SET_THREAD_TOKEN ? "SetThreadToken"
                                                    : "ImpersonateLoggedOnUser");
            if (res.ok)
                ts_buf_append(&c->story, toksim_imp_level_name(res.level));
            else
                ts_buf_printf(&c->story, "failed (%u)", (unsigned)res.win32);
        }
        break;
    case ACT_OPEN:
        if ((rc = do_open(c, arg, &res)))
            return rc; /* do_open named the step already */
        break;
    case ACT_REVERT:
        rc = toksim_isapi_revert(&res, c->thread, tr, &e);
        ts_buf_append(&c->story, "; RevertToSelf");
        break;
    case ACT_RETURN:
        if (!c->io_thread)
            return ts_run_fail(c->run, c->err, TOKSIM_EINVAL,
                               "actions[%zu]: HttpExtensionProc returns on the request's "
                               "I/O thread, not on a worker thread",
                               i);
        rc = toksim_isapi_return(&res, c->ecb, c->thread, arg != NULL, tr, &e);
        ts_buf_append(&c->story, arg ? "; return HSE_STATUS_PENDING"
                                     : "; HttpExtensionProc returns (request ends)");
        break;
    default:
        rc = toksim_isapi_done_with_session(&res, c->ecb, tr, &e);
        ts_buf_append(&c->story, "; HSE_REQ_DONE_WITH_SESSION");
        break;
    }
    if (rc)
        return ts_run_fail_lib(c->run, c->err, rc, &e);
    if (!res.ok && c->r->ok) {
        c->r->ok = false;
        ts_result_codes(c->r, false, res.win32, res.ntstatus, res.hresult);
    }
    if ((rc = ts_result_add_findings(c->r, &res.findings, true)))
        return rc;
    if (res.downgraded)
        return ts_trace_holders(c->run, tr);
    return TOKSIM_OK;
}

toksim_status ts_op_isapi_worker(toksim_run *run,
                                 const ts_step *st,
                                 toksim_step_result *r,
                                 toksim_error *err)
{
    const char *ename = ts_step_str(st, "ecb");
    ts_named *en = ts_named_find(run, ename);
    if (!en || en->free_data != ecb_free)
        return ts_run_fail(run, err, TOKSIM_ENOTFOUND,
                           "\"%s\" names no ISAPI request started by an earlier step "
                           "(isapi.request \"as\")",
                           ename);
    worker_ctx c = {run, st, r, err, en->data, en->thread, true, {0}};
    const char *tname = ts_step_str(st, "thread");
    toksim_status rc = TOKSIM_OK;
    if (tname && strcmp(tname, ename) != 0) {
        if ((rc = ts_lookup_thread(run, err, tname, &c.thread)))
            return rc;
        if (toksim_thread_process(c.thread) != toksim_thread_process(en->thread))
            return ts_run_fail(run, err, TOKSIM_EINVAL,
                               "thread \"%s\" is not a thread of the extension's process "
                               "(name it \"<application>:<thread>\")",
                               tname);
        c.io_thread = false;
    }
    r->ok = true;
    const ts_param *acts = ts_step_param(st, "actions");
    for (size_t i = 0; !rc && acts && i < acts->nlist; i++)
        rc = run_action(&c, i, acts->list[i]);
    char *story = ts_buf_take(&c.story);
    if (rc) {
        free(story);
        return rc;
    }
    r->token = toksim_thread_effective_token(c.thread);
    if (toksim_thread_is_impersonating(c.thread)) {
        r->has_level = true;
        r->level = toksim_token_level(toksim_thread_token(c.thread));
    }
    char who[160];
    ts_run_sid_name(who, sizeof who, run, toksim_token_user(r->token));
    ts_summary(run, "thread \"%s\": %s; it now runs as %s", tname ? tname : ename,
               story && story[0] ? story + 2 : "nothing", who);
    free(story);
    return TOKSIM_OK;
}
