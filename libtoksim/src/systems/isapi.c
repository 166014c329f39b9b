/*
 * PURPOSE: ISAPI extensions in the IIS 5/6 process model (isapi.h): the process identity
 * per application protection, the request token per authentication scheme, the I/O
 * thread IIS impersonates before HttpExtensionProc, and the EXTENSION_CONTROL_BLOCK whose
 * lifetime bounds the HSE_REQ_GET_IMPERSONATION_TOKEN handle. Every thread decision goes
 * through the impersonation layer (SetThreadToken, ImpersonateLoggedOnUser, RevertToSelf,
 * the §2.2 test, object opens); this file only says which token goes where and when.
 *
 * Who makes the request token matters to the §2.2 test: inetinfo.exe (LocalSystem, logon
 * session 0x3E7) calls LogonUser for anonymous, Basic and mapped-certificate requests, so
 * those tokens carry SYSTEM's session as origin; an extension in dllhost.exe (IWAM) does
 * not share it and needs SeImpersonatePrivilege to impersonate them at Impersonation
 * level (Windows Server 2003 gives it through IIS_WPG; modern OS profiles do not). An
 * NTLM token comes from SSPI (no origin).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "systems/sys_int.h"

/** SYSTEM_LUID (winnt.h): the logon session of inetinfo.exe, which calls LogonUser. */
#define TS_ISAPI_INETINFO_LOGON_ID 0x3E7u
/** Access of the handle IIS hands out (enough for ImpersonateLoggedOnUser and
 * SetThreadToken on an impersonation token). */
#define TS_ISAPI_HANDLE_ACCESS                                                           \
    (TOKSIM_TOKEN_ACCESS_QUERY | TOKSIM_TOKEN_ACCESS_IMPERSONATE |                       \
     TOKSIM_TOKEN_ACCESS_DUPLICATE)

struct toksim_isapi_ecb {
    toksim_token *token; /* the request's impersonation token; NULL once the ECB ended */
    toksim_sid user;
    bool handle_fetched; /* HSE_REQ_GET_IMPERSONATION_TOKEN was called */
    bool returned;       /* HttpExtensionProc returned */
};

static const char *const isolation_names[] = {"inproc", "pooled", "isolated"};
static const char *const auth_names[] = {"anonymous", "basic", "ntlm", "certificate"};
static const char *const method_names[] = {"interactive", "batch", "network",
                                           "cleartext"};

#define TS_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int find_name(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; name && i < n; i++)
        if (ts_strcasecmp(name, names[i]) == 0)
            return (int)i;
    return -1;
}

const char *toksim_isapi_isolation_name(toksim_isapi_isolation i)
{
    return (unsigned)i < TS_COUNT(isolation_names) ? isolation_names[i] : "?";
}

toksim_status toksim_isapi_isolation_parse(toksim_isapi_isolation *out, const char *name)
{
    int i = find_name(isolation_names, TS_COUNT(isolation_names), name);
    if (!out || i < 0)
        return TOKSIM_EPARSE;
    *out = (toksim_isapi_isolation)i;
    return TOKSIM_OK;
}

const char *toksim_isapi_auth_name(toksim_isapi_auth a)
{
    return (unsigned)a < TS_COUNT(auth_names) ? auth_names[a] : "?";
}

toksim_status toksim_isapi_auth_parse(toksim_isapi_auth *out, const char *name)
{
    int i = find_name(auth_names, TS_COUNT(auth_names), name);
    if (!out || i < 0)
        return TOKSIM_EPARSE;
    *out = (toksim_isapi_auth)i;
    return TOKSIM_OK;
}

toksim_status toksim_isapi_logon_method_parse(toksim_isapi_logon_method *out,
                                              const char *name)
{
    int i = find_name(method_names, TS_COUNT(method_names), name);
    if (!out || i < 0)
        return TOKSIM_EPARSE;
    *out = (toksim_isapi_logon_method)i;
    return TOKSIM_OK;
}

void toksim_isapi_request_init(toksim_isapi_request *req)
{
    if (!req)
        return;
    memset(req, 0, sizeof *req);
    req->auth = TOKSIM_ISAPI_AUTH_ANONYMOUS;
    req->logon_method = TOKSIM_ISAPI_LOGON_CLEARTEXT;
}

/* "<MACHINE>\<prefix><MACHINE>" (IUSR_WEB01, IWAM_WEB01): the accounts IIS setup
 * creates in the machine's SAM; the world must declare them. */
static toksim_status resolve_iis_account(toksim_sid *sid,
                                         const toksim_world *world,
                                         const char *given,
                                         const char *prefix,
                                         toksim_error *err)
{
    if (given)
        return toksim_world_resolve(world, given, sid, err);
    char name[2 * TOKSIM_WORLD_MAX_NAME + 8];
    const char *m = toksim_world_machine_name(world);
    size_t at = ts_put(name, sizeof name, 0, m); /* issue 11: no snprintf */
    at = ts_put(name, sizeof name, at, "\\");
    at = ts_put(name, sizeof name, at, prefix);
    (void)ts_put(name, sizeof name, at, m);
    if (toksim_world_resolve(world, name, sid, NULL) == TOKSIM_OK)
        return TOKSIM_OK;
    return ts_error_set(err, TOKSIM_ENOTFOUND, 0,
                        "isapi: the world has no account %s (IIS setup creates it: "
                        "declare it in the world's users)",
                        name);
}

toksim_status toksim_isapi_app_token(toksim_token **out,
                                     toksim_isapi_app_result *res,
                                     toksim_world *world,
                                     const toksim_isapi_app_config *cfg,
                                     toksim_trace *trace,
                                     toksim_error *err)
{
    if (!out || !res || !world || !cfg || !cfg->name)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "isapi: missing token, result, world or application name");
    *out = NULL;
    memset(res, 0, sizeof *res);
    if ((unsigned)cfg->isolation >= TS_COUNT(isolation_names))
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "isapi: unknown application protection");
    toksim_status rc;
    if (cfg->isolation == TOKSIM_ISAPI_INPROC) {
        /* inetinfo.exe is a LocalSystem service: the extension shares its token. */
        res->user = ts_sys_sid("S-1-5-18");
        ts_sys_ev ev = {.sid = &res->user, .text = cfg->name};
        rc = ts_sys_trace(trace, TOKSIM_RULE_ISAPI_PROCESS_INPROC, TOKSIM_V_INFO, &ev);
        if (rc == TOKSIM_OK)
            rc =
                toksim_logon_builtin(out, world, TOKSIM_BUILTIN_SYSTEM, NULL, trace, err);
        res->loaded = rc == TOKSIM_OK;
        return rc;
    }
    /* COM+ runs the out-of-process application as IWAM_<machine> (KB Q236855). */
    rc = resolve_iis_account(&res->user, world, cfg->wam_user, "IWAM_", err);
    if (rc != TOKSIM_OK)
        return rc;
    /* COM+ RunAs logon type: batch unless the caller flips the UNCONFIRMED default. */
    toksim_logon_type type = cfg->wam_logon ? cfg->wam_logon : TOKSIM_LOGON_BATCH;
    ts_sys_ev ev = {.sid = &res->user, .text = cfg->name, .a = type};
    if ((rc = ts_sys_trace(trace, TOKSIM_RULE_ISAPI_PROCESS_WAM, TOKSIM_V_INFO, &ev)))
        return rc;
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.console = false;
    opt.session_id = 0;
    opt.password = cfg->wam_password;
    toksim_logon_result lr;
    memset(&lr, 0, sizeof lr);
    rc = toksim_logon_user_sid(&lr, world, &res->user, type, &opt, trace, err);
    if (rc != TOKSIM_OK || !lr.success) {
        toksim_token_free(lr.token);
        if (rc != TOKSIM_OK)
            return rc;
        res->logon_win32 = lr.win32_error;
        res->logon_ntstatus = lr.ntstatus;
        ev.status = lr.win32_error;
        return ts_sys_trace(trace, TOKSIM_RULE_ISAPI_PROCESS_LOGON_FAILED, TOKSIM_V_DENY,
                            &ev);
    }
    *out = lr.token;
    res->loaded = true;
    return TOKSIM_OK;
}

static void set_codes(toksim_isapi_result *res, bool ok, uint32_t win32)
{
    res->ok = ok;
    res->win32 = win32;
    res->ntstatus = toksim_win32_to_ntstatus(win32);
    res->hresult = toksim_hresult_from_win32(win32);
}

static void thread_state(toksim_isapi_result *res, const toksim_thread *thread)
{
    res->impersonating = toksim_thread_is_impersonating(thread);
    res->level = res->impersonating ? toksim_token_level(toksim_thread_token(thread))
                                    : TOKSIM_IMP_ANONYMOUS;
    res->acting_user = *toksim_token_user(toksim_thread_effective_token(thread));
}

/* The request token (a primary token from LogonUser / SSPI) per authentication scheme. */
static toksim_status authenticate(toksim_logon_result *lr,
                                  toksim_isapi_result *res,
                                  toksim_world *world,
                                  const toksim_isapi_request *req,
                                  toksim_trace *trace,
                                  toksim_error *err)
{
    static const toksim_logon_type by_method[] = {
        TOKSIM_LOGON_INTERACTIVE, TOKSIM_LOGON_BATCH, TOKSIM_LOGON_NETWORK,
        TOKSIM_LOGON_NETWORK_CLEARTEXT};
    static const toksim_rule by_auth[] = {
        TOKSIM_RULE_ISAPI_AUTH_ANONYMOUS, TOKSIM_RULE_ISAPI_AUTH_BASIC,
        TOKSIM_RULE_ISAPI_AUTH_NTLM, TOKSIM_RULE_ISAPI_AUTH_CERTIFICATE};
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.console = false;
    opt.session_id = 0;
    toksim_logon_type type = by_method[req->logon_method];
    toksim_status rc;
    if (req->auth == TOKSIM_ISAPI_AUTH_ANONYMOUS) {
        rc = resolve_iis_account(&res->request_user, world, req->anonymous_user, "IUSR_",
                                 err);
    } else {
        if (!req->user || !req->user[0])
            return ts_error_set(err, TOKSIM_EINVAL, 0,
                                "isapi request: %s authentication needs a user",
                                auth_names[req->auth]);
        rc = toksim_world_resolve(world, req->user, &res->request_user, err);
    }
    if (rc != TOKSIM_OK)
        return rc;
    if (req->auth == TOKSIM_ISAPI_AUTH_NTLM) {
        type = TOKSIM_LOGON_NETWORK; /* SSPI AcceptSecurityContext: no origin */
        opt.package = TOKSIM_AUTH_NTLM;
    } else {
        opt.password = req->password; /* inetinfo holds the cleartext password */
        opt.caller_logon_id = TS_ISAPI_INETINFO_LOGON_ID;
    }
    ts_sys_ev ev = {.sid = &res->request_user, .a = type};
    if ((rc = ts_sys_trace(trace, by_auth[req->auth], TOKSIM_V_INFO, &ev)))
        return rc;
    return toksim_logon_user_sid(lr, world, &res->request_user, type, &opt, trace, err);
}

toksim_status toksim_isapi_request_begin(toksim_isapi_ecb **out,
                                         toksim_isapi_result *res,
                                         toksim_world *world,
                                         toksim_thread *io_thread,
                                         const toksim_isapi_request *req,
                                         toksim_trace *trace,
                                         toksim_error *err)
{
    if (!out || !res || !world || !io_thread || !req)
        return ts_error_set(
            err, TOKSIM_EINVAL, 0,
            "isapi request: missing ECB, result, world, thread or request");
    *out = NULL;
    memset(res, 0, sizeof *res);
    if ((unsigned)req->auth >= TS_COUNT(auth_names) ||
        (unsigned)req->logon_method >= TS_COUNT(method_names))
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "isapi request: unknown authentication or logon method");
    toksim_logon_result lr;
    memset(&lr, 0, sizeof lr);
    toksim_status rc = authenticate(&lr, res, world, req, trace, err);
    if (rc != TOKSIM_OK || !lr.success) {
        toksim_token_free(lr.token);
        if (rc != TOKSIM_OK)
            return rc;
        set_codes(res, false, lr.win32_error);
        res->http_status = 401;
        ts_sys_ev ev = {.sid = &res->request_user, .status = lr.win32_error};
        return ts_sys_trace(trace, TOKSIM_RULE_ISAPI_AUTH_FAILED, TOKSIM_V_DENY, &ev);
    }
    /* IIS keeps an impersonation copy of the token for the request (the ECB's token). */
    toksim_imp_result ir;
    toksim_token *imp = NULL;
    toksim_token_handle src = {lr.token, TOKSIM_TOKEN_ACCESS_ALL};
    rc = toksim_duplicate_token_ex(&ir, &imp, &src, TOKSIM_TOKEN_IMPERSONATION,
                                   TOKSIM_IMP_IMPERSONATION, NULL);
    toksim_token_free(lr.token);
    if (rc != TOKSIM_OK || !imp) {
        toksim_token_free(imp);
        return rc != TOKSIM_OK ? rc : TOKSIM_ENOMEM;
    }
    toksim_isapi_ecb *ecb = ts_calloc(1, sizeof *ecb);
    if (!ecb) {
        toksim_token_free(imp);
        return TOKSIM_ENOMEM;
    }
    ecb->token = imp;
    ecb->user = res->request_user;
    ts_sys_ev ev = {.sid = &ecb->user};
    rc = ts_sys_trace(trace, TOKSIM_RULE_ISAPI_IO_THREAD_TOKEN, TOKSIM_V_CHANGE, &ev);
    toksim_token_handle h = {imp, TS_ISAPI_HANDLE_ACCESS};
    if (rc == TOKSIM_OK)
        rc = toksim_set_thread_token(&ir, io_thread, &h, trace);
    if (rc != TOKSIM_OK) {
        toksim_isapi_ecb_free(ecb);
        return rc;
    }
    set_codes(res, ir.ok, ir.win32);
    res->downgraded = ir.downgraded;
    thread_state(res, io_thread);
    if (ir.downgraded &&
        (rc = ts_sys_finding(
             &res->findings, trace, TOKSIM_RULE_FINDING_SILENT_IDENTIFY, -1,
             toksim_token_user(toksim_process_token(toksim_thread_process(io_thread))),
             &ecb->user, "HttpExtensionProc"))) {
        toksim_isapi_ecb_free(ecb);
        return rc;
    }
    *out = ecb;
    return TOKSIM_OK;
}

void toksim_isapi_ecb_free(toksim_isapi_ecb *ecb)
{
    if (!ecb)
        return;
    toksim_token_free(ecb->token);
    free(ecb);
}

bool toksim_isapi_ecb_alive(const toksim_isapi_ecb *ecb)
{
    return ecb && ecb->token;
}

const toksim_sid *toksim_isapi_ecb_user(const toksim_isapi_ecb *ecb)
{
    return ecb ? &ecb->user : NULL;
}

const toksim_token *toksim_isapi_ecb_token(const toksim_isapi_ecb *ecb)
{
    return ecb ? ecb->token : NULL;
}

/* The ECB ends: IIS destroys it with the token it handed out. */
static void end_ecb(toksim_isapi_ecb *ecb)
{
    toksim_token_free(ecb->token);
    ecb->token = NULL;
}

toksim_status toksim_isapi_get_impersonation_token(toksim_isapi_result *res,
                                                   toksim_isapi_ecb *ecb,
                                                   toksim_trace *trace,
                                                   toksim_error *err)
{
    if (!res || !ecb)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "isapi: missing result or ECB");
    memset(res, 0, sizeof *res);
    res->request_user = ecb->user;
    if (!ecb->token)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "isapi: the ECB has ended: ServerSupportFunction on it is a "
                            "use after free (not modelled)");
    ecb->handle_fetched = true;
    set_codes(res, true, 0);
    ts_sys_ev ev = {.sid = &ecb->user};
    return ts_sys_trace(trace, TOKSIM_RULE_ISAPI_TOKEN_GET, TOKSIM_V_INFO, &ev);
}

toksim_status toksim_isapi_impersonate(toksim_isapi_result *res,
                                       toksim_isapi_ecb *ecb,
                                       toksim_thread *thread,
                                       bool set_thread_token,
                                       toksim_trace *trace,
                                       toksim_error *err)
{
    if (!res || !ecb || !thread)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "isapi: missing result, ECB or thread");
    memset(res, 0, sizeof *res);
    res->request_user = ecb->user;
    if (!ecb->handle_fetched)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "isapi: the extension has no token handle: fetch it with "
                            "HSE_REQ_GET_IMPERSONATION_TOKEN first");
    toksim_status rc;
    if (!ecb->token) {
        /* IIS closed the handle with the ECB: the object manager refuses it. */
        set_codes(res, false, TOKSIM_ERROR_INVALID_HANDLE);
        thread_state(res, thread);
        ts_sys_ev ev = {.sid = &ecb->user, .status = res->win32};
        return ts_sys_trace(trace, TOKSIM_RULE_ISAPI_TOKEN_CLOSED, TOKSIM_V_DENY, &ev);
    }
    toksim_imp_result ir;
    toksim_token_handle h = {ecb->token, TS_ISAPI_HANDLE_ACCESS};
    rc = set_thread_token ? toksim_set_thread_token(&ir, thread, &h, trace)
                          : toksim_impersonate_logged_on_user(&ir, thread, &h, trace);
    if (rc != TOKSIM_OK)
        return rc;
    set_codes(res, ir.ok, ir.win32);
    res->downgraded = ir.downgraded;
    thread_state(res, thread);
    if (ir.downgraded)
        return ts_sys_finding(
            &res->findings, trace, TOKSIM_RULE_FINDING_SILENT_IDENTIFY, -1,
            toksim_token_user(toksim_process_token(toksim_thread_process(thread))),
            &ecb->user, set_thread_token ? "SetThreadToken" : "ImpersonateLoggedOnUser");
    return TOKSIM_OK;
}

toksim_status toksim_isapi_open(toksim_isapi_result *res,
                                const toksim_isapi_ecb *ecb,
                                const toksim_thread *thread,
                                const toksim_open_request *orq,
                                toksim_trace *trace,
                                toksim_error *err)
{
    if (!res || !ecb || !thread || !orq || !orq->sd)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "isapi: missing result, ECB, thread or object");
    memset(res, 0, sizeof *res);
    res->request_user = ecb->user;
    thread_state(res, thread);
    const char *name = orq->name ? orq->name : "(object)";
    toksim_status rc;
    if (!res->impersonating) {
        ts_sys_ev ev = {.sid = &res->acting_user, .text = name};
        if ((rc = ts_sys_trace(trace, TOKSIM_RULE_ISAPI_WORKER_PROCESS, TOKSIM_V_INFO,
                               &ev)))
            return rc;
        /* Worker threads have the process identity (seed 004): acting as SYSTEM (or
         * IWAM) for a user is the escalation the SDK page warns about. */
        if (!toksim_sid_equal(&res->acting_user, &ecb->user)) {
            toksim_sid system = ts_sys_sid("S-1-5-18");
            rc = ts_sys_finding(&res->findings, trace,
                                toksim_sid_equal(&res->acting_user, &system)
                                    ? TOKSIM_RULE_FINDING_SYSTEM_CONTEXT
                                    : TOKSIM_RULE_FINDING_PROCESS_CONTEXT,
                                -1, &res->acting_user, &ecb->user, name);
            if (rc != TOKSIM_OK)
                return rc;
        }
    }
    toksim_open_result orr;
    if ((rc = toksim_thread_open_object(&orr, thread, orq, trace)))
        return rc;
    set_codes(res, orr.ok, orr.ok ? 0 : orr.win32);
    res->granted = orr.granted;
    return TOKSIM_OK;
}

toksim_status toksim_isapi_revert(toksim_isapi_result *res,
                                  toksim_thread *thread,
                                  toksim_trace *trace,
                                  toksim_error *err)
{
    if (!res || !thread)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "isapi: missing result or thread");
    memset(res, 0, sizeof *res);
    toksim_imp_result ir;
    toksim_revert_to_self(&ir, thread, trace);
    set_codes(res, ir.ok, ir.win32);
    thread_state(res, thread);
    ts_sys_ev ev = {.sid = &res->acting_user};
    return ts_sys_trace(trace, TOKSIM_RULE_ISAPI_REVERT, TOKSIM_V_CHANGE, &ev);
}

toksim_status toksim_isapi_return(toksim_isapi_result *res,
                                  toksim_isapi_ecb *ecb,
                                  toksim_thread *io_thread,
                                  bool pending,
                                  toksim_trace *trace,
                                  toksim_error *err)
{
    if (!res || !ecb || !io_thread)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "isapi: missing result, ECB or I/O thread");
    memset(res, 0, sizeof *res);
    res->request_user = ecb->user;
    if (ecb->returned || !ecb->token)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "isapi: HttpExtensionProc already returned or the request "
                            "has ended");
    ecb->returned = true;
    /* IIS takes the request token off its I/O thread either way. */
    toksim_imp_result ir;
    toksim_revert_to_self(&ir, io_thread, NULL);
    if (!pending)
        end_ecb(ecb);
    set_codes(res, true, 0);
    thread_state(res, io_thread);
    ts_sys_ev ev = {.sid = &ecb->user};
    return ts_sys_trace(
        trace, pending ? TOKSIM_RULE_ISAPI_RETURN_PENDING : TOKSIM_RULE_ISAPI_RETURN_DONE,
        TOKSIM_V_INFO, &ev);
}

toksim_status toksim_isapi_done_with_session(toksim_isapi_result *res,
                                             toksim_isapi_ecb *ecb,
                                             toksim_trace *trace,
                                             toksim_error *err)
{
    if (!res || !ecb)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "isapi: missing result or ECB");
    memset(res, 0, sizeof *res);
    res->request_user = ecb->user;
    if (!ecb->token)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "isapi: the request has already ended (HSE_REQ_DONE_WITH_"
                            "SESSION twice, or after a synchronous return)");
    end_ecb(ecb);
    set_codes(res, true, 0);
    ts_sys_ev ev = {.sid = &ecb->user};
    return ts_sys_trace(trace, TOKSIM_RULE_ISAPI_DONE_WITH_SESSION, TOKSIM_V_INFO, &ev);
}
