/*
 * PURPOSE: scenario operations on named pipes (issue 16 item 2): pipe.create
 * (CreateNamedPipe with its security descriptor), pipe.connect (the client's CreateFile
 * with SQOS flags, locally or from another machine), pipe.write / pipe.read (each message
 * carries the client's security context), pipe.impersonate (ImpersonateNamedPipeClient on
 * a server thread). RevertToSelf is thread.revert. Windows rules live in
 * imperson/pipe.c and server.c; this file only translates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/run_int.h"
#include "scenario/ops_params.h"
#include "toksim/world.h"
#include "toksim/impersonate.h"
#include "toksim/pipe.h"

static const char pipe_what[] = "pipe";

typedef struct ts_pipe_data {
    toksim_pipe *pipe;
    char client[128]; /* the client thread's name ("" for a remote client) */
} ts_pipe_data;

static void pipe_data_free(void *p)
{
    ts_pipe_data *d = p;
    if (d)
        toksim_pipe_free(d->pipe);
    free(d);
}

static toksim_status
lookup_pipe(toksim_run *run, toksim_error *err, const ts_step *st, ts_pipe_data **out)
{
    const char *name = ts_step_str(st, "pipe");
    ts_named *n = ts_named_find(run, name);
    if (!n || n->what != pipe_what)
        return ts_run_fail(run, err, TOKSIM_ENOTFOUND,
                           "\"%.60s\" names no pipe created by an earlier pipe.create",
                           name);
    *out = n->data;
    return TOKSIM_OK;
}

toksim_status ts_op_pipe_create(toksim_run *run,
                                const ts_step *st,
                                toksim_step_result *r,
                                toksim_error *err)
{
    const toksim_token *creator;
    toksim_status rc = ts_lookup_effective(run, err, ts_step_str(st, "server"), &creator);
    if (rc)
        return rc;
    toksim_sd *sd;
    const char *sddl = ts_step_str(st, "sddl");
    if ((rc = ts_param_sd(run, err, st, "sddl", &sd)))
        return rc;
    ts_pipe_data *d = ts_calloc(1, sizeof *d);
    if (!d) {
        toksim_sd_free(sd);
        return TOKSIM_ENOMEM;
    }
    rc = toksim_pipe_new(&d->pipe, ts_step_str(st, "name"), creator, sd);
    toksim_sd_free(sd);
    ts_named *n;
    if (rc || (rc = ts_named_add(run, err, ts_step_str(st, "as"), TS_N_PROVIDER,
                                 pipe_what, &n))) {
        pipe_data_free(d);
        return rc;
    }
    n->data = d;
    n->free_data = pipe_data_free;
    r->ok = true;
    ts_summary(run, "%s created%s", ts_step_str(st, "name"),
               sddl ? " with the given security descriptor"
                    : " with the default security descriptor (SYSTEM, Administrators, "
                      "owner: full control; Everyone, ANONYMOUS LOGON: read)");
    return TOKSIM_OK;
}

/* SQOS flags from the step: sqos_level present = SECURITY_SQOS_PRESENT. */
static toksim_status
sqos_flags(toksim_run *run, toksim_error *err, const ts_step *st, uint32_t *out)
{
    *out = 0;
    const char *lname = ts_step_str(st, "sqos_level");
    const char *track = ts_step_str(st, "context_tracking");
    const ts_param *eo = ts_step_param(st, "effective_only");
    if (!lname) {
        if (track || eo)
            return ts_run_fail(run, err, TOKSIM_EPARSE,
                               "context_tracking and effective_only are SQOS flags: they "
                               "need sqos_level (SECURITY_SQOS_PRESENT)");
        return TOKSIM_OK;
    }
    toksim_imp_level level;
    if (!ts_parse_level(lname, &level))
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "sqos_level \"%.40s\": expected Anonymous, Identification, "
                           "Impersonation or Delegation",
                           lname);
    *out = TOKSIM_SECURITY_SQOS_PRESENT | ((uint32_t)level << 16);
    if (track && ts_strcasecmp(track, "dynamic") == 0)
        *out |= TOKSIM_SECURITY_CONTEXT_TRACKING;
    else if (track && ts_strcasecmp(track, "static") != 0)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "context_tracking \"%.40s\": expected static or dynamic",
                           track);
    if (eo && eo->b)
        *out |= TOKSIM_SECURITY_EFFECTIVE_ONLY;
    return TOKSIM_OK;
}

toksim_status ts_op_pipe_connect(toksim_run *run,
                                 const ts_step *st,
                                 toksim_step_result *r,
                                 toksim_error *err)
{
    ts_pipe_data *d;
    toksim_status rc = lookup_pipe(run, err, st, &d);
    if (rc)
        return rc;
    toksim_pipe_client c;
    memset(&c, 0, sizeof c);
    if ((rc = sqos_flags(run, err, st, &c.sqos_flags)) ||
        (rc = ts_param_access(run, err, st, "access", TOKSIM_OBJ_PIPE, 0, &c.desired)))
        return rc;
    const ts_param *rem = ts_step_param(st, "remote");
    c.remote = rem && rem->b;
    const char *auth = ts_step_str(st, "auth");
    c.auth = TOKSIM_AUTH_NTLM;
    if (auth && ts_strcasecmp(auth, "kerberos") == 0)
        c.auth = TOKSIM_AUTH_KERBEROS;
    else if (auth && ts_strcasecmp(auth, "ntlm") != 0)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "auth \"%.40s\": expected ntlm or kerberos", auth);
    const ts_param *tfd = ts_step_param(st, "trusted_for_delegation");
    c.server_trusted_for_delegation = tfd && tfd->b;
    if (!c.remote && (auth || tfd))
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "auth and trusted_for_delegation describe a remote client: "
                           "they need \"remote\": true");
    const char *client = ts_step_str(st, "client");
    toksim_thread *th = NULL;
    if (c.remote) {
        /* the client names the network-logon token the server's machine built */
        if ((rc = ts_lookup_token(run, err, client, &c.remote_token, NULL)))
            return rc;
        r->token = c.remote_token;
    } else {
        if ((rc = ts_lookup_thread(run, err, client, &th)))
            return rc;
        r->token = toksim_thread_effective_token(th);
    }
    toksim_imp_result ir;
    if ((rc = toksim_pipe_connect(&ir, d->pipe, th, &c, &r->trace)) == TOKSIM_EINVAL)
        return ts_run_fail(run, err, rc,
                           "the pipe already has a client (one instance is modelled)");
    if (rc)
        return rc;
    ts_result_codes(r, ir.ok, ir.win32, ir.ntstatus, ir.hresult);
    if (!ir.ok) {
        char ename[96];
        ts_result_error_name(ename, sizeof ename, r);
        ts_summary(run, "CreateFile on the pipe failed: %s", ename);
        return TOKSIM_OK;
    }
    (void)ts_put(d->client, sizeof d->client, 0, c.remote ? "" : client);
    char uname[160];
    ts_run_sid_name(uname, sizeof uname, run, toksim_token_user(r->token));
    ts_summary(run, "%s connected%s (%s)", uname, c.remote ? " from another machine" : "",
               !(c.sqos_flags & TOKSIM_SECURITY_SQOS_PRESENT)
                   ? "no SQOS: Impersonation, dynamic tracking, effective only"
               : (c.sqos_flags & TOKSIM_SECURITY_CONTEXT_TRACKING)
                   ? "SQOS, dynamic tracking"
                   : "SQOS, static tracking");
    return TOKSIM_OK;
}

toksim_status ts_op_pipe_write(toksim_run *run,
                               const ts_step *st,
                               toksim_step_result *r,
                               toksim_error *err)
{
    ts_pipe_data *d;
    toksim_status rc = lookup_pipe(run, err, st, &d);
    if (rc)
        return rc;
    toksim_thread *th = NULL;
    if (d->client[0] && (rc = ts_lookup_thread(run, err, d->client, &th)))
        return rc;
    rc = toksim_pipe_write(d->pipe, th, &r->trace);
    if (rc == TOKSIM_EINVAL)
        return ts_run_fail(run, err, rc, "no client is connected to the pipe");
    if (rc == TOKSIM_ELIMIT)
        return ts_run_fail(run, err, rc, "more than %u unread messages",
                           TOKSIM_PIPE_MAX_MESSAGES);
    if (rc)
        return rc;
    r->ok = true;
    if (th)
        r->token = toksim_thread_effective_token(th);
    ts_summary(run, "the client wrote a message");
    return TOKSIM_OK;
}

toksim_status ts_op_pipe_read(toksim_run *run,
                              const ts_step *st,
                              toksim_step_result *r,
                              toksim_error *err)
{
    ts_pipe_data *d;
    toksim_status rc = lookup_pipe(run, err, st, &d);
    if (rc)
        return rc;
    if ((rc = toksim_pipe_read(d->pipe)) == TOKSIM_ENOTFOUND)
        return ts_run_fail(run, err, rc,
                           "nothing was written to the pipe: ReadFile would block");
    if (rc)
        return rc;
    r->ok = true;
    ts_summary(run, "the server read a message");
    return TOKSIM_OK;
}

toksim_status ts_op_pipe_impersonate(toksim_run *run,
                                     const ts_step *st,
                                     toksim_step_result *r,
                                     toksim_error *err)
{
    ts_pipe_data *d;
    toksim_status rc = lookup_pipe(run, err, st, &d);
    if (rc)
        return rc;
    toksim_thread *th;
    if ((rc = ts_lookup_thread(run, err, ts_step_str(st, "thread"), &th)))
        return rc;
    toksim_imp_result ir;
    memset(&ir, 0, sizeof ir);
    if ((rc = toksim_pipe_impersonate_client(&ir, th, d->pipe, &r->trace)))
        return rc;
    if (ir.downgraded && (rc = ts_trace_holders(run, &r->trace)))
        return rc;
    if (ir.downgraded && toksim_thread_token(th) &&
        (rc = ts_add_finding(
             r, "finding.silent_identify_downgrade",
             toksim_token_user(toksim_process_token(toksim_thread_process(th))),
             toksim_token_user(toksim_thread_token(th)), "ImpersonateNamedPipeClient")))
        return rc;
    ts_result_codes(r, ir.ok, ir.win32, ir.ntstatus, ir.hresult);
    r->token = toksim_thread_token(th);
    if (ir.impersonating) {
        r->has_level = true;
        r->level = ir.level;
    }
    char uname[160] = "", ename[96];
    if (r->token)
        ts_run_sid_name(uname, sizeof uname, run, toksim_token_user(r->token));
    ts_result_error_name(ename, sizeof ename, r);
    if (!ir.ok)
        ts_summary(run, "ImpersonateNamedPipeClient failed: %s", ename);
    else if (ir.downgraded)
        ts_summary(run,
                   "ImpersonateNamedPipeClient succeeded, but the thread got an "
                   "Identification-level copy of %s's token",
                   uname);
    else
        ts_summary(run,
                   "ImpersonateNamedPipeClient: the thread impersonates %s at %s level",
                   uname, toksim_imp_level_name(ir.level));
    return TOKSIM_OK;
}
