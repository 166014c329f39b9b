/*
 * PURPOSE: replay a loaded scenario: build a fresh world, run each step through its
 * operation (ops_*.c call the identity, impersonation and systems layers; no Windows rule
 * lives here), snapshot each step's token, and keep every step's result and trace for
 * checking and rendering. Also the operation table and the lookups of the names steps
 * create with "as".
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/run_int.h"
#include "scenario/world_glue.h"
#include "scenario/ops_token_api.h"
#include "scenario/ops_token_groups.h"
#include "toksim/world.h"
#include "toksim/impersonate.h"
#include "toksim/iis.h"
#include "toksim/policy.h"
#include "scenario/ops_sso.h"
#include "scenario/ops_com.h"
#include "scenario/model_int.h"

/*
 * The operations. Parameter specs: name:type, '!' = required; types s string, n integer,
 * b boolean, l list of strings, m access mask, o string or list (scen_int.h).
 */
static const ts_opdef op_table[] = {
    {"logon",
     "user:s!,type:s,password:s,elevated:b,caller:s,package:s,as:s,user_claims:l,"
     "device_claims:l,device_groups:l",
     ts_op_logon, "LogonUser: a token for an account of the world"},
    {"policy.set", "right:s!,holders:l!", ts_op_policy_set,
     "replace the holders of a user right (as a GPO would)"},
    {"process.start", "token:s!,image:s,as:s!", ts_op_process_start,
     "a process running with a token"},
    {"service.start",
     "service:s!,account:s,password:s,sid_type:s,image:s,as:s!,required_privileges:l",
     ts_op_service_start, "the SCM starts a service"},
    {"thread.impersonate", "thread:s!,token:s,api:s,level:s", ts_op_thread_impersonate,
     "put a token on a thread (ImpersonateLoggedOnUser, SetThreadToken, "
     "ImpersonateSelf)"},
    {"thread.revert", "thread:s!", ts_op_thread_revert, "RevertToSelf"},
    {"token.duplicate", "token:s!,type:s,level:s,as:s!", ts_op_token_duplicate,
     "DuplicateTokenEx"},
    {"privilege.adjust", "token:s!,enable:l,disable:l,remove:l,disable_all:b",
     ts_op_privilege_adjust, "AdjustTokenPrivileges"},
    {"object.open", "thread:s!,path:s!,access:m", ts_op_object_open,
     "open a local object from a thread (CreateFile, RegOpenKeyEx ...)"},
    {"access_check", "token:s!,path:s,sddl:s,object_type:s,access:m!", ts_op_access_check,
     "server-side AccessCheck with a token"},
    {"net.access",
     "thread:s!,path:s!,access:m,auth:s,cleartext:b,delegation:s,spn:s,allowed_spns:l",
     ts_op_net_access, "open an object on another machine from a thread"},
    {"iis.app_pool.start",
     "pool:s!,identity:s,user:s,password:s,manual_group_membership:b,delegation:s,"
     "allowed_spns:l,as:s!",
     ts_op_pool_start, "WAS starts an application pool's worker process"},
    {"iis.app_pool.recycle", "pool:s!", ts_op_pool_recycle,
     "recycle a pool (picks up policy changes)"},
    {"iis.request",
     "pool:s!,url:s,path:s!,auth:s,user:s,password:s,anonymous_user:s,impersonate:b,"
     "access:m,package:s,spn:s",
     ts_op_iis_request, "IIS serves a request"},
    {"wmi.provider.register",
     "name:s!,hosting:s,impersonation_level:n,per_user_initialization:b,initialize_as_"
     "admin_first:b,as:s!",
     ts_op_provider_register, "register a WMI provider (__Win32Provider)"},
    {"wmi.query",
     "client:s!,provider:s!,query:s,level:s,authn:s,client_kind:s,registry_default_level:"
     "n,"
     "actions:l,access:m,on_deny:s,namespace:s",
     ts_op_com_call, "a WMI client calls a provider"},
    {"com.call",
     "client:s!,server:s!,level:s,authn:s,client_kind:s,registry_default_level:n,actions:"
     "l,"
     "access:m,remote:b,auth:s",
     ts_op_com_call, "a COM client calls a server"},
    /* web SSO policy server impersonation (ops_sso.c; not a Windows token) */
    {"sso.directory", "name:s!,users:l!", ts_op_sso_directory,
     "declare a user directory of the SSO policy server and its user DNs"},
    {"sso.domain", "name:s!,directories:l!", ts_op_sso_domain,
     "declare a policy domain and the directories its users are looked up in"},
    {"sso.realm",
     "name:s!,domain:s!,protection_level:n!,scheme:s,impersonation:b,idle_timeout:n",
     ts_op_sso_realm, "declare a realm: its scheme's protection level and idle timeout"},
    {"sso.policy", "name:s!,realm:s!,events:l!,users:l,directories:l", ts_op_sso_policy,
     "bind users to ImpersonateStart / ImpersonateStartUser rules of a realm"},
    {"sso.login", "user:s!,realm:s!,as:s!", ts_op_sso_login,
     "a user authenticates at a realm: an SSO session"},
    {"sso.request", "session:s!,realm:s!", ts_op_sso_request,
     "a session requests a resource of a realm"},
    {"sso.impersonate", "session:s!,realm:s!,user:s!,as:s!", ts_op_sso_impersonate,
     "the session's user impersonates another user"},
    {"sso.impersonate.end", "session:s!", ts_op_sso_impersonate_end,
     "the impersonator ends an impersonated session"},
    {"sso.advance", "minutes:n!", ts_op_sso_advance,
     "the scenario clock moves on (idle timeouts)"},
    /* issue 16: the token API and named pipes (ops_token_open.c, ops_pipe.c) */
    {"token.open", "thread:s!,api:s!,target:s,access:m!,open_as_self:b,sddl:s,as:s!",
     ts_op_token_open, "OpenThreadToken / OpenProcessToken: a token handle with rights"},
    {"token.nt_duplicate", "token:s!,type:s,qos_level:s,effective_only:b,as:s!",
     ts_op_token_nt_duplicate, "NtDuplicateToken (with or without a QoS, EffectiveOnly)"},
    {"thread.impersonate_anonymous", "thread:s!,everyone_includes_anonymous:b",
     ts_op_impersonate_anonymous, "ImpersonateAnonymousToken"},
    {"pipe.create", "server:s!,name:s!,sddl:s,as:s!", ts_op_pipe_create,
     "CreateNamedPipe: a server pipe with its security descriptor"},
    {"pipe.connect",
     "pipe:s!,client:s!,sqos_level:s,context_tracking:s,effective_only:b,access:m,"
     "remote:b,auth:s,trusted_for_delegation:b",
     ts_op_pipe_connect, "a client opens the pipe (CreateFile with SQOS flags)"},
    {"pipe.write", "pipe:s!", ts_op_pipe_write, "the client writes a message"},
    {"pipe.read", "pipe:s!", ts_op_pipe_read, "the server reads a message"},
    {"pipe.impersonate", "pipe:s!,thread:s!", ts_op_pipe_impersonate,
     "ImpersonateNamedPipeClient on a server thread"},
    {"isapi.extension.load",
     "app:s!,isolation:s!,wam_user:s,password:s,wam_logon:s,as:s!", ts_op_isapi_load,
     "IIS 5/6 loads an ISAPI application: in inetinfo (SYSTEM) or dllhost (IWAM)"},
    {"isapi.request",
     "extension:s!,url:s,auth:s,user:s,password:s,anonymous_user:s,logon_method:s,as:s!",
     ts_op_isapi_request,
     "IIS authenticates a request and calls HttpExtensionProc on an impersonating I/O "
     "thread"},
    {"isapi.worker", "ecb:s!,thread:s,actions:l!,access:m", ts_op_isapi_worker,
     "what an ISAPI extension does on a thread for a request (token, open, revert ...)"},
    /* issue 8 scenario reach (ops_reach.c) */
    {"token.linked", "token:s!,caller:s,as:s!", ts_op_token_linked,
     "GetTokenInformation(TokenLinkedToken): the other half of a UAC split token"},
    {"wmi.connect", "client:s!,namespace:s!,level:s,client_kind:s,remote:b",
     ts_op_wmi_connect, "IWbemLocator::ConnectServer: the namespace security check"},
    /* COM/DCOM activation, cloaking, potato teaching model (ops_com.c) */
    {"com.activate",
     "app:s!,caller:s!,runas:s,password:s,service:s,launch_sddl:s,access_sddl:s,"
     "default_launch_sddl:s,running:s,interactive_user:s,cloaking:s,remote:b,auth:s,"
     "as:s!,caller_as:s",
     ts_op_com_activate,
     "CoCreateInstanceEx: launch/activation and access permissions, RunAs identity"},
    {"com.outcall", "thread:s!,cloaking:s,calls:l!,as:s!", ts_op_com_outcall,
     "the identity a thread's outgoing COM calls present (cloaking)"},
    {"coerce.system_auth",
     "service:s!,path:s,spooler_running:b,remote_redirector:b,write_restricted_blocks:b,"
     "target:s,access:m",
     ts_op_coerce_system, "potato TEACHING MODEL: coerce and impersonate SYSTEM"},
    /* token API (ops_token_api.c) */
    {"token.get_information", "token:s!,class:s,access:m", ts_op_token_get_info,
     "GetTokenInformation: one class, or the token for token_info expectations"},
    {"token.restrict",
     "token:s!,disable:l,delete_privileges:l,restrict:l,flags:l,access:m,as:s!",
     ts_op_token_restrict, "CreateRestrictedToken"},
    {"token.is_restricted", "token:s!", ts_op_token_is_restricted, "IsTokenRestricted"},
    {"token.check_membership", "sid:s!,token:s,thread:s,access:m",
     ts_op_token_check_membership, "CheckTokenMembership"},
    {"privilege.check", "token:s!,privileges:l!,require_all:b,access:m",
     ts_op_privilege_check, "PrivilegeCheck"},
    {"token.set_integrity", "token:s!,level:s!,caller:s,access:m",
     ts_op_token_set_integrity, "SetTokenInformation(TokenIntegrityLevel)"},
    {"process.create_as_user", "caller:s!,token:s!,api:s,access:m,image:s,as:s!",
     ts_op_process_create_as_user, "CreateProcessAsUser / CreateProcessWithTokenW"},
    /* AdjustTokenGroups (ops_token_groups.c) */
    {"token.adjust_groups", "token:s!,enable:l,disable:l,reset:b,access:m",
     ts_op_token_adjust_groups, "AdjustTokenGroups"},
};

const ts_opdef *ts_op_find(const char *name)
{
    for (size_t i = 0; i < sizeof op_table / sizeof op_table[0]; i++)
        if (op_table[i].name[0] == name[0] && strcmp(op_table[i].name, name) == 0)
            return &op_table[i]; /* the first byte first: no call for most rows (issue 11)
                                  */
    return NULL;
}

size_t ts_op_count(void)
{
    return sizeof op_table / sizeof op_table[0];
}

const ts_opdef *ts_op_at(size_t i)
{
    return i < ts_op_count() ? &op_table[i] : NULL;
}

/* ---- errors and summaries ---- */

toksim_status
ts_run_fail(toksim_run *run, toksim_error *err, toksim_status code, const char *fmt, ...)
{
    if (!err)
        return code;
    char msg[TOKSIM_ERROR_MESSAGE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const ts_step *st = &run->sc->steps[run->current];
    ts_error_set_pos(err, code, st->offset, st->line, st->column,
                     "steps[%zu] (%s, %s): %s", run->current, st->id, st->op->name, msg);
    snprintf(err->where, sizeof err->where, "%s", run->sc->where);
    return code;
}

toksim_status ts_run_fail_lib(toksim_run *run,
                              toksim_error *err,
                              toksim_status rc,
                              const toksim_error *e)
{
    if (rc == TOKSIM_ENOMEM)
        return rc;
    return ts_run_fail(run, err, rc, "%s",
                       e && e->message[0] ? e->message : toksim_strerror(rc));
}

void ts_result_codes(
    toksim_step_result *r, bool ok, uint32_t win32, uint32_t ntstatus, uint32_t hresult)
{
    r->ok = ok;
    r->win32 = win32;
    r->ntstatus = ntstatus;
    r->hresult = hresult ? hresult : toksim_hresult_from_win32(win32);
}

void ts_result_win32_failure(toksim_step_result *r, uint32_t win32)
{
    ts_result_codes(r, false, win32, toksim_win32_to_ntstatus(win32), 0);
}

void ts_summary(toksim_run *run, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    int len = ts_vfmt(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    /* the text as ts_buf_append + ts_buf_take kept it: at most sizeof tmp - 1 bytes */
    size_t keep = len < 0 ? 0 : (size_t)len < sizeof tmp ? (size_t)len : sizeof tmp - 1;
    char *copy = malloc(keep + 1);
    if (copy) {
        memcpy(copy, tmp, keep);
        copy[keep] = '\0';
    }
    free(run->summaries[run->current]);
    run->summaries[run->current] = copy;
    run->results[run->current].summary =
        run->summaries[run->current] ? run->summaries[run->current] : "";
}

size_t ts_run_sid_name(char *buf, size_t n, const toksim_run *run, const toksim_sid *sid)
{
    if (run && run->world)
        return toksim_world_sid_name(buf, n, sid, run->world);
    return toksim_sid_display_name(buf, n, sid, NULL);
}

size_t toksim_scenario_sid_name(char *buf, size_t n, const toksim_sid *sid, void *payload)
{
    return ts_run_sid_name(buf, n, payload, sid);
}

toksim_status ts_trace_holders(toksim_run *run, toksim_trace *trace)
{
    size_t n = 0;
    const toksim_sid *h = toksim_policy_holders(toksim_world_policy_const(run->world),
                                                TOKSIM_PRIV_IMPERSONATE, &n);
    char list[TOKSIM_TRACE_TEXT_SIZE];
    ts_holder_list(list, sizeof list, run, h, n);
    size_t before = trace->count;
    toksim_status rc =
        toksim_imp_trace_holders(trace, TOKSIM_PRIV_IMPERSONATE, n ? list : "nobody");
    if (rc || trace->count != before + 1)
        return rc;
    /* move it right after the last "lacks SeImpersonatePrivilege" event, where the reader
     * needs it */
    const toksim_rule_info *missing = toksim_rule_by_id("imp.privilege.missing");
    size_t at = before;
    for (size_t i = 0; missing && i < before; i++)
        if (trace->events[i].rule == missing->rule)
            at = i + 1;
    if (at < before) {
        toksim_trace_event ev = trace->events[before];
        ev.depth = trace->events[at - 1].depth;
        memmove(&trace->events[at + 1], &trace->events[at], (before - at) * sizeof ev);
        trace->events[at] = ev;
    }
    return TOKSIM_OK;
}

/* A step's findings until it has one (read-only, shared by every step). */
static const toksim_findings no_findings;

/* The step's own list, allocated on the first finding; NULL when out of memory. */
static toksim_findings *findings_of(toksim_step_result *r)
{
    if (r->findings && r->findings != &no_findings)
        return (toksim_findings *)(uintptr_t)r->findings; /* the run's own allocation */
    toksim_findings *f = calloc(1, sizeof *f);
    if (f)
        r->findings = f;
    return f;
}

toksim_status
ts_result_add_findings(toksim_step_result *r, const toksim_findings *f, bool dedup)
{
    if (!f->count && (dedup || !f->truncated))
        return TOKSIM_OK;
    toksim_findings *mine = findings_of(r);
    if (!mine)
        return TOKSIM_ENOMEM;
    for (size_t i = 0; i < f->count; i++) {
        if (dedup && toksim_findings_find(mine, f->items[i].id))
            continue;
        if (mine->count >= TOKSIM_MAX_FINDINGS) {
            if (dedup)
                mine->truncated = true;
            break;
        }
        mine->items[mine->count++] = f->items[i];
    }
    if (!dedup && f->truncated)
        mine->truncated = true;
    return TOKSIM_OK;
}

toksim_status ts_add_finding(toksim_step_result *r,
                             const char *id,
                             const toksim_sid *subject,
                             const toksim_sid *client,
                             const char *context)
{
    const toksim_rule_info *ri = toksim_rule_by_id(id);
    toksim_severity sev;
    if (!ri || !toksim_finding_severity(&sev, ri->rule))
        return TOKSIM_EINVAL;
    if (toksim_findings_find(r->findings, id))
        return TOKSIM_OK;
    toksim_findings *mine = findings_of(r);
    if (!mine)
        return TOKSIM_ENOMEM;
    if (mine->count >= TOKSIM_MAX_FINDINGS) {
        mine->truncated = true;
        return TOKSIM_OK;
    }
    toksim_finding *f = &mine->items[mine->count++];
    memset(f, 0, sizeof *f);
    f->rule = ri->rule;
    f->id = ri->id;
    f->severity = sev;
    f->step = -1;
    if (subject) {
        f->has_subject = true;
        f->subject = *subject;
    }
    if (client) {
        f->has_client = true;
        f->client = *client;
    }
    ts_fmt(f->context, sizeof f->context, "%s", context ? context : "");
    return TOKSIM_OK;
}

/* ---- names ---- */

ts_named *ts_named_find(toksim_run *run, const char *name)
{
    size_t it = 0, at;
    uint64_t h = ts_hix_bytes(TS_HIX_SEED, name, strlen(name));
    while ((at = ts_hix_next(&run->named_ix, h, &it)))
        if (strcmp(run->named[at - 1].name, name) == 0)
            return &run->named[at - 1];
    return NULL;
}

toksim_status ts_named_add(toksim_run *run,
                           toksim_error *err,
                           const char *name,
                           ts_named_kind kind,
                           const char *what,
                           ts_named **out)
{
    ts_named *old = ts_named_find(run, name);
    if (old)
        return ts_run_fail(run, err, TOKSIM_EINVAL,
                           "the name \"%s\" is already used by a %s", name, old->what);
    if (!ts_grow((void **)&run->named, &run->capnamed, run->nnamed + 1,
                 sizeof *run->named) ||
        !ts_hix_add(&run->named_ix, ts_hix_bytes(TS_HIX_SEED, name, strlen(name)),
                    run->nnamed))
        return TOKSIM_ENOMEM;
    ts_named *n = &run->named[run->nnamed];
    memset(n, 0, sizeof *n);
    if (!(n->name = ts_strdup(name)))
        return TOKSIM_ENOMEM;
    n->kind = kind;
    n->what = what;
    run->nnamed++;
    *out = n;
    return TOKSIM_OK;
}

static toksim_status
not_running(toksim_run *run, toksim_error *err, const ts_named *n, const char *name)
{
    return ts_run_fail(run, err, TOKSIM_EINVAL, "%s \"%s\" is not running", n->what,
                       name);
}

static toksim_status
unknown_name(toksim_run *run, toksim_error *err, const char *name, const char *want)
{
    /* An earlier step that was to create the name ("as") but failed is the cause: say
     * so, instead of letting this step look at fault. */
    const toksim_scenario *sc = run->sc;
    for (size_t i = run->current; i-- > 0;) {
        const char *as = ts_step_str(&sc->steps[i], "as");
        if (as && strcmp(as, name) == 0 && i < run->nresults && !run->results[i].ok) {
            const char *wn = toksim_win32_name(run->results[i].win32);
            return ts_run_fail(run, err, TOKSIM_ENOTFOUND,
                               "\"%s\" does not exist: step \"%s\" (line %d), which was "
                               "to create it, failed with %s (%u)",
                               name, sc->steps[i].id, sc->steps[i].line,
                               wn ? wn : "an error", (unsigned)run->results[i].win32);
        }
    }
    return ts_run_fail(run, err, TOKSIM_ENOTFOUND,
                       "\"%s\" names no %s created by an earlier step (\"as\")", name,
                       want);
}

toksim_status ts_lookup_token(toksim_run *run,
                              toksim_error *err,
                              const char *name,
                              const toksim_token **out,
                              toksim_token **mut)
{
    *out = NULL;
    if (mut)
        *mut = NULL;
    ts_named *n = ts_named_find(run, name);
    if (!n || n->kind == TS_N_PROVIDER) {
        struct toksim_thread *t = NULL;
        if (strchr(name, ':') && ts_lookup_thread(run, NULL, name, &t) == TOKSIM_OK) {
            *out = toksim_thread_token(t);
            if (mut)
                *mut = toksim_thread_token_mut(t);
            if (!*out)
                return ts_run_fail(run, err, TOKSIM_EINVAL,
                                   "thread \"%s\" is not impersonating: it has no token",
                                   name);
            return TOKSIM_OK;
        }
        return unknown_name(run, err, name, "token, process or thread");
    }
    if (n->kind == TS_N_TOKEN) {
        *out = n->token;
        if (mut)
            *mut = n->token;
    } else if (n->kind == TS_N_PROCESS) {
        if (!n->proc)
            return not_running(run, err, n, name);
        *out = toksim_process_token(n->proc);
        if (mut)
            *mut = toksim_process_token_mut(n->proc);
    } else {
        *out = toksim_thread_token(n->thread);
        if (mut)
            *mut = toksim_thread_token_mut(n->thread);
        if (!*out)
            return ts_run_fail(run, err, TOKSIM_EINVAL,
                               "thread \"%s\" is not impersonating: it has no token",
                               name);
    }
    return TOKSIM_OK;
}

toksim_status ts_lookup_effective(toksim_run *run,
                                  toksim_error *err,
                                  const char *name,
                                  const toksim_token **out)
{
    ts_named *n = ts_named_find(run, name);
    if (n && (n->kind == TS_N_PROCESS || n->kind == TS_N_THREAD)) {
        struct toksim_thread *th;
        toksim_status rc = ts_lookup_thread(run, err, name, &th);
        if (!rc)
            *out = toksim_thread_effective_token(th);
        return rc;
    }
    return ts_lookup_token(run, err, name, out, NULL);
}

toksim_status ts_lookup_thread(toksim_run *run,
                               toksim_error *err,
                               const char *name,
                               struct toksim_thread **out)
{
    *out = NULL;
    ts_named *n = ts_named_find(run, name);
    if (n && (n->kind == TS_N_PROCESS || n->kind == TS_N_THREAD)) {
        if (!n->thread)
            return not_running(run, err, n, name);
        *out = n->thread;
        return TOKSIM_OK;
    }
    const char *colon = strchr(name, ':');
    if (n || !colon)
        return unknown_name(run, err, name, "process or thread");
    char pname[128];
    ts_fmt(pname, sizeof pname, "%.*s", (int)(colon - name), name);
    ts_named *p = ts_named_find(run, pname);
    if (!p || p->kind != TS_N_PROCESS)
        return unknown_name(run, err, pname, "process");
    if (!p->proc)
        return not_running(run, err, p, pname);
    struct toksim_process *proc = p->proc;
    ts_named *t;
    toksim_status rc = ts_named_add(run, err, name, TS_N_THREAD, "thread", &t);
    if (rc)
        return rc;
    if ((rc = toksim_thread_new(&t->thread, proc)))
        return rc;
    *out = t->thread;
    return TOKSIM_OK;
}

toksim_status
ts_lookup_pool(toksim_run *run, toksim_error *err, const char *name, ts_named **out)
{
    *out = ts_named_find(run, name);
    if (!*out || !(*out)->pool)
        return ts_run_fail(run, err, TOKSIM_ENOTFOUND,
                           "\"%s\" names no application pool started by an earlier step",
                           name);
    return TOKSIM_OK;
}

toksim_status ts_lookup_object(toksim_run *run,
                               toksim_error *err,
                               const char *path,
                               const struct ts_object **out)
{
    *out = ts_world_glue_object(run->sc->world, path);
    if (!*out)
        return ts_run_fail(
            run, err, TOKSIM_ENOTFOUND,
            "no object \"%.100s\" in world.objects (declare it with its type and SDDL)",
            path);
    return TOKSIM_OK;
}

toksim_status ts_param_access(toksim_run *run,
                              toksim_error *err,
                              const ts_step *st,
                              const char *key,
                              toksim_object_type type,
                              uint32_t dflt,
                              uint32_t *out)
{
    const ts_param *p = ts_step_param(st, key);
    *out = dflt;
    if (!p)
        return TOKSIM_OK;
    if (p->kind == TS_PV_NUMBER) {
        *out = (uint32_t)p->num;
        return TOKSIM_OK;
    }
    toksim_error e = {0};
    if (toksim_access_mask_parse(out, p->str, type, &e) != TOKSIM_OK)
        return ts_run_fail(run, err, TOKSIM_EPARSE, "%s \"%.60s\": %s", key, p->str,
                           e.message);
    return TOKSIM_OK;
}

bool ts_parse_level(const char *s, toksim_imp_level *out)
{
    static const char *const names[] = {"Anonymous", "Identification", "Impersonation",
                                        "Delegation"};
    static const char *const alt[] = {"anonymous", "identify", "impersonate", "delegate"};
    for (int i = 0; i < 4; i++)
        if (ts_strcasecmp(s, names[i]) == 0 || ts_strcasecmp(s, alt[i]) == 0) {
            *out = (toksim_imp_level)i;
            return true;
        }
    return false;
}

toksim_status ts_make_process(toksim_run *run,
                              toksim_error *err,
                              const char *name,
                              const char *what,
                              const toksim_token *token,
                              ts_named **out)
{
    ts_named *n;
    toksim_status rc = ts_named_add(run, err, name, TS_N_PROCESS, what, &n);
    if (rc)
        return rc;
    if ((rc = toksim_process_new(&n->proc, token, ts_run_model(run))))
        return rc;
    if ((rc = toksim_thread_new(&n->thread, n->proc)))
        return rc;
    if (out)
        *out = n;
    return TOKSIM_OK;
}

toksim_status ts_replace_process(toksim_run *run,
                                 toksim_error *err,
                                 ts_named *n,
                                 const toksim_token *token)
{
    size_t plen = strlen(n->name);
    for (size_t i = 0; i < run->nnamed; i++) {
        ts_named *t = &run->named[i];
        if (t->kind == TS_N_THREAD && strncmp(t->name, n->name, plen) == 0 &&
            t->name[plen] == ':') {
            toksim_thread_free(t->thread);
            t->thread = NULL;
            t->name[0] = '#'; /* retired: "pool:worker" is created afresh on next use */
        }
    }
    toksim_thread_free(n->thread);
    toksim_process_free(n->proc);
    n->thread = NULL;
    n->proc = NULL;
    if (!token)
        return TOKSIM_OK;
    toksim_status rc = toksim_process_new(&n->proc, token, ts_run_model(run));
    if (!rc)
        rc = toksim_thread_new(&n->thread, n->proc);
    (void)err;
    return rc;
}

const toksim_token *ts_named_primary(const ts_named *n)
{
    return n && n->kind == TS_N_PROCESS ? toksim_process_token(n->proc) : NULL;
}

/* ---- the run ---- */

void toksim_scenario_run_free(toksim_run *run)
{
    if (!run)
        return;
    /* threads before their processes */
    for (size_t i = run->nnamed; i-- > 0;)
        if (run->named[i].kind == TS_N_THREAD)
            toksim_thread_free(run->named[i].thread);
    for (size_t i = run->nnamed; i-- > 0;) {
        ts_named *n = &run->named[i];
        if (n->kind == TS_N_PROCESS) {
            toksim_thread_free(n->thread);
            toksim_process_free(n->proc);
            toksim_iis_pool_free(n->pool);
        }
        toksim_token_free(n->token);
        if (n->free_data)
            n->free_data(n->data);
        free(n->name);
    }
    free(run->named);
    ts_sso_run_free(run->sso);
    ts_hix_free(&run->named_ix);
    for (size_t i = 0; i < run->nresults; i++) {
        toksim_trace_dispose(&run->results[i].trace);
        if (run->results[i].findings != &no_findings) /* NULL: not yet set */
            free((void *)(uintptr_t)run->results[i].findings);
        free(run->summaries[i]);
        toksim_token_free(run->tokens[i]);
    }
    free(run->results);
    free(run->summaries);
    free(run->tokens);
    toksim_world_free(run->world);
    free(run);
}

toksim_status
toksim_scenario_run(toksim_run **out, const toksim_scenario *sc, toksim_error *err)
{
    return toksim_scenario_run_policy(out, sc, NULL, err);
}

toksim_status toksim_scenario_run_policy(toksim_run **out,
                                         const toksim_scenario *sc,
                                         const toksim_policy *tmpl,
                                         toksim_error *err)
{
    if (!out || !sc)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "toksim_scenario_run: NULL argument");
    *out = NULL;
    toksim_error_clear(err);
    toksim_run *run = ts_calloc(1, sizeof *run);
    if (!run)
        return TOKSIM_ENOMEM;
    run->sc = sc;
    if (sc->nsteps > SIZE_MAX / sizeof *run->results) {
        free(run);
        return TOKSIM_ENOMEM;
    }
    run->results = ts_calloc(sc->nsteps ? sc->nsteps : 1, sizeof *run->results);
    for (size_t i = 0; run->results && i < sc->nsteps; i++)
        run->results[i].findings = &no_findings;
    run->summaries = ts_calloc(sc->nsteps, sizeof *run->summaries);
    run->tokens = ts_calloc(sc->nsteps, sizeof *run->tokens);
    if (!run->results || !run->summaries || !run->tokens) {
        toksim_scenario_run_free(run);
        return TOKSIM_ENOMEM;
    }
    run->nresults = sc->nsteps;
    toksim_status rc = ts_world_glue_instantiate(sc, &run->world, err);
    if (!rc &&
        tmpl) /* a what-if template, applied as a GPO over the world's own policy */
        rc = toksim_policy_apply(toksim_world_policy(run->world), tmpl);
    for (size_t i = 0; !rc && i < sc->nsteps; i++) {
        const ts_step *st = &sc->steps[i];
        toksim_step_result *r = &run->results[i];
        run->current = i;
        r->id = st->id;
        r->op = st->op->name;
        r->summary = "";
        toksim_trace_init(&r->trace);
        rc = st->op->fn(run, st, r, err);
        if (!rc && r->token) {
            /* the step's token as it was right after the step (later steps may change it)
             */
            if ((rc = toksim_token_copy(&run->tokens[i], r->token)) == TOKSIM_OK)
                r->token = run->tokens[i];
        }
        if (rc == TOKSIM_ENOMEM)
            ts_run_fail(run, err, rc, "out of memory");
        else if (rc && err && !err->message[0]) /* a lower layer refused without words: */
            ts_run_fail(run, err, rc, "%s",
                        toksim_strerror(rc)); /* still name the step */
    }
    if (rc) {
        toksim_scenario_run_free(run);
        return rc;
    }
    *out = run;
    return TOKSIM_OK;
}

const toksim_scenario *toksim_scenario_run_scenario(const toksim_run *run)
{
    return run ? run->sc : NULL;
}

size_t toksim_scenario_run_step_count(const toksim_run *run)
{
    return run ? run->nresults : 0;
}

const toksim_step_result *toksim_scenario_run_step(const toksim_run *run, size_t i)
{
    return run && i < run->nresults ? &run->results[i] : NULL;
}

const toksim_step_result *toksim_scenario_run_find(const toksim_run *run, const char *id)
{
    for (size_t i = 0; run && id && i < run->nresults; i++)
        if (strcmp(run->results[i].id, id) == 0)
            return &run->results[i];
    return NULL;
}
