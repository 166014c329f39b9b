/*
 * PURPOSE: the edges of the paths TEACHING MODEL, each precondition decided by the
 * layers below: the potato lab of the systems layer (toksim_potato_run) for the coercion
 * paths, the SeImpersonatePrivilege check and the write-restricted stopper; the token
 * API (toksim_duplicate_token_ex, toksim_create_process_with_token) for turning a
 * coerced SYSTEM token into a process; the logon model (toksim_logon_builtin, this
 * world's policy) for the token a scheduled task or the shared logon session gives a
 * LOCAL / NETWORK SERVICE process back; the §2.2 test (toksim_imp_check) for
 * impersonating that token. Facts no token shows (the Spooler runs ...) come from the
 * request and stay unknown when not stated.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "query/paths_int.h"

static void cond(toksim_path_edge *e,
                 const char *text,
                 toksim_rule rule,
                 toksim_path_state st,
                 bool unconfirmed,
                 const char *fmt,
                 ...) TS_PRINTF(6, 7);

static void cond(toksim_path_edge *e,
                 const char *text,
                 toksim_rule rule,
                 toksim_path_state st,
                 bool unconfirmed,
                 const char *fmt,
                 ...)
{
    if (e->condition_count >= TOKSIM_PATH_MAX_CONDITIONS)
        return;
    toksim_path_condition *c = &e->conditions[e->condition_count++];
    c->text = text;
    c->rule = rule;
    c->state = st;
    c->unconfirmed = unconfirmed;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof c->detail, fmt, ap);
    va_end(ap);
}

static toksim_path_state fact(toksim_path_fact f)
{
    return f == TOKSIM_PATH_FACT_YES  ? TOKSIM_PATH_HOLDS
           : f == TOKSIM_PATH_FACT_NO ? TOKSIM_PATH_FAILS
                                      : TOKSIM_PATH_UNKNOWN;
}

static const char *fact_detail(toksim_path_fact f)
{
    return f == TOKSIM_PATH_FACT_YES  ? "stated: yes"
           : f == TOKSIM_PATH_FACT_NO ? "stated: no"
                                      : "not stated (the world does not say)";
}

/* A machine fact: as stated, else yes when the world declares the service that provides
 * it ("Spooler", "Schedule"), else unknown. */
static toksim_path_fact world_fact(const ts_path_graph *g,
                                   toksim_path_fact stated,
                                   const char *service,
                                   const char **detail)
{
    if (stated != TOKSIM_PATH_FACT_UNKNOWN) {
        *detail = fact_detail(stated);
        return stated;
    }
    if (toksim_world_find_service(g->req->world, service)) {
        *detail = "the world declares the service";
        return TOKSIM_PATH_FACT_YES;
    }
    *detail = fact_detail(stated);
    return stated;
}

static const char *rule_id(toksim_rule r)
{
    return toksim_rule_get(r)->id;
}

/* An edge from node `from` to node `to`, with no conditions yet. */
static void edge_init(toksim_path_edge *e,
                      size_t from,
                      size_t to,
                      const char *id,
                      toksim_rule rule,
                      const char *technique,
                      const char *citation)
{
    memset(e, 0, sizeof *e);
    e->from = from;
    e->to = to;
    e->id = id;
    e->rule = rule;
    e->technique = technique;
    e->citation = citation;
}

/* The process enables a privilege it holds (AdjustTokenPrivileges) before using it: a
 * copy of tok with `luid` enabled when held. */
static toksim_status
with_enabled(toksim_token **out, const toksim_token *tok, uint32_t luid)
{
    toksim_status rc = toksim_token_copy(out, tok);
    if (rc != TOKSIM_OK || toksim_token_privilege(tok, luid) < 0)
        return rc;
    toksim_priv_change ch = {NULL, luid, TOKSIM_SE_PRIVILEGE_ENABLED};
    toksim_imp_result r;
    return toksim_adjust_token_privileges(&r, *out, TOKSIM_TOKEN_ACCESS_ADJUST_PRIVILEGES,
                                          false, &ch, 1, NULL, NULL);
}

/* One run of the potato lab with the coercion facts forced true, so that it answers the
 * question asked (the OS profile, the impersonation, the write-restricted stopper). */
static toksim_status potato(ts_path_graph *g,
                            const toksim_token *tok,
                            toksim_potato_path path,
                            bool wr_blocks,
                            toksim_potato_result *res)
{
    toksim_token *svc = NULL;
    toksim_status rc = with_enabled(&svc, tok, TOKSIM_PRIV_IMPERSONATE);
    if (rc == TOKSIM_OK) {
        toksim_potato_request q;
        toksim_potato_request_init(&q);
        q.service = svc;
        q.path = path;
        q.spooler_running = true;
        q.remote_redirector = true;
        q.write_restricted_blocks = wr_blocks;
        rc = toksim_potato_run(res, g->req->world, &q, NULL, g->err);
    }
    toksim_token_free(svc);
    return rc;
}

/* What every coercion edge shares, decided once per process token. */
typedef struct coerce_facts {
    toksim_path_state privilege, oxid_local, wr, imp_pipe, imp_rpc;
    toksim_rule imp_pipe_rule, imp_rpc_rule, wr_rule;
} coerce_facts;

static toksim_status
coerce_facts_of(ts_path_graph *g, const toksim_token *tok, coerce_facts *f)
{
    toksim_potato_result r;
    toksim_status rc;
    f->privilege = toksim_token_privilege(tok, TOKSIM_PRIV_IMPERSONATE) >= 0
                       ? TOKSIM_PATH_HOLDS
                       : TOKSIM_PATH_FAILS;
    if ((rc = potato(g, tok, TOKSIM_POTATO_DCOM_LOCAL, false, &r)))
        return rc;
    f->oxid_local = r.stopped_by == TOKSIM_RULE_POTATO_NO_PATH ? TOKSIM_PATH_FAILS
                                                               : TOKSIM_PATH_HOLDS;
    if ((rc = potato(g, tok, TOKSIM_POTATO_SPOOLER, g->req->write_restricted_blocks, &r)))
        return rc;
    f->wr = r.stopped_by == TOKSIM_RULE_POTATO_WRITE_RESTRICTED ? TOKSIM_PATH_FAILS
                                                                : TOKSIM_PATH_HOLDS;
    f->wr_rule = r.stopped_by;
    if ((rc = potato(g, tok, TOKSIM_POTATO_SPOOLER, false, &r)))
        return rc;
    f->imp_pipe = r.impersonated && r.ok ? TOKSIM_PATH_HOLDS : TOKSIM_PATH_FAILS;
    f->imp_pipe_rule = r.stopped_by ? r.stopped_by : TOKSIM_RULE_POTATO_IMPERSONATED;
    if ((rc = potato(g, tok, TOKSIM_POTATO_DCOM_REMOTE, false, &r)))
        return rc;
    f->imp_rpc = r.impersonated && r.ok ? TOKSIM_PATH_HOLDS : TOKSIM_PATH_FAILS;
    f->imp_rpc_rule = r.stopped_by ? r.stopped_by : TOKSIM_RULE_POTATO_IMPERSONATED;
    return TOKSIM_OK;
}

static const char PRIV_TEXT[] = "SeImpersonatePrivilege in the process token, after the "
                                "service's required-privileges list (present is enough: "
                                "the process enables it with AdjustTokenPrivileges)";
static const char WR_TEXT[] =
    "the process token is not write-restricted (SERVICE_SID_TYPE_RESTRICTED stops the "
    "chain in the potato lab: UNCONFIRMED mechanism, switch write_restricted_blocks)";
static const char IMP_TEXT[] =
    "SYSTEM's token reaches the service thread at Impersonation level (not silently "
    "downgraded to Identification), so the thread can open a SYSTEM-only object";

static void common_conditions(toksim_path_edge *e,
                              const coerce_facts *f,
                              bool rpc,
                              const toksim_token *tok)
{
    bool held = f->privilege == TOKSIM_PATH_HOLDS;
    cond(e, PRIV_TEXT, TOKSIM_RULE_IMP_ALLOW_PRIVILEGE, f->privilege, false, "%s",
         held ? (toksim_token_privilege_enabled(tok, TOKSIM_PRIV_IMPERSONATE)
                     ? "held, enabled"
                     : "held, disabled")
              : "not in the token");
    cond(e, WR_TEXT, TOKSIM_RULE_POTATO_WRITE_RESTRICTED, f->wr, true, "%s",
         toksim_token_is_write_restricted(tok)
             ? (f->wr == TOKSIM_PATH_FAILS ? "the token is write-restricted"
                                           : "write-restricted, switch off")
             : "not write-restricted");
    toksim_path_state imp = rpc ? f->imp_rpc : f->imp_pipe;
    toksim_rule ir = rpc ? f->imp_rpc_rule : f->imp_pipe_rule;
    cond(e, IMP_TEXT, ir, imp, false, "the potato lab says %s", rule_id(ir));
}

static const char *const CITE_SPOOLER =
    "itm4n, PrintSpoofer - Abusing Impersonation Privileges on Windows 10 and Server "
    "2019 (2020); Learn, Impersonate a client after authentication";
static const char *const CITE_JUICY =
    "ohpe/juicy-potato README; decoder.cloud, No more JuicyPotato? Old story, welcome "
    "RoguePotato! (2020: local OXID resolution on another port refused from Windows 10 "
    "1809 / Server 2019)";
static const char *const CITE_ROGUE =
    "decoder.cloud, No more JuicyPotato? Old story, welcome RoguePotato! (2020)";
static const char *const CITE_ASSIGN =
    "ohpe/juicy-potato README (CreateProcessAsUser with SeAssignPrimaryTokenPrivilege); "
    "itm4n, Give Me Back My Privileges! Please? (2019); Learn, CreateProcessAsUser";

static toksim_status coercion_edges(ts_path_graph *g, size_t n, const coerce_facts *f)
{
    const toksim_token *tok = g->tokens[n];
    const toksim_paths_request *q = g->req;
    toksim_path_edge e;
    toksim_status rc;

    edge_init(&e, n, g->system, "spooler", TOKSIM_RULE_POTATO_MODEL,
              "coerce the Print Spooler (SYSTEM) to connect to the service's named pipe "
              "and impersonate it (PrintSpoofer)",
              CITE_SPOOLER);
    const char *why = NULL;
    toksim_path_fact spooler = world_fact(g, q->spooler_running, "Spooler", &why);
    cond(&e, "the Print Spooler service runs: a SYSTEM client the service can coerce",
         TOKSIM_RULE_POTATO_NO_PATH, fact(spooler), false, "%s", why);
    common_conditions(&e, f, false, tok);
    if ((rc = ts_path_add_edge(g, &e)))
        return rc;

    edge_init(&e, n, g->system, "dcom_local", TOKSIM_RULE_POTATO_MODEL,
              "DCOM activation through rpcss with a local OXID resolver on another port; "
              "rpcss (SYSTEM) authenticates to the service (Rotten/JuicyPotato)",
              CITE_JUICY);
    cond(&e,
         "the OS profile resolves a local OXID on a port other than 135 (before Windows "
         "10 1809 / Server 2019)",
         TOKSIM_RULE_POTATO_NO_PATH, f->oxid_local, false, "OS profile %s",
         toksim_world_os_profile(q->world));
    common_conditions(&e, f, true, tok);
    if ((rc = ts_path_add_edge(g, &e)))
        return rc;

    edge_init(&e, n, g->system, "dcom_remote", TOKSIM_RULE_POTATO_MODEL,
              "DCOM activation whose OXID resolution a remote host redirects back to the "
              "service; rpcss (SYSTEM) authenticates to it (RoguePotato)",
              CITE_ROGUE);
    cond(&e, "a host the attacker controls answers the OXID resolution on port 135",
         TOKSIM_RULE_POTATO_NO_PATH, fact(q->remote_redirector), false, "%s",
         fact_detail(q->remote_redirector));
    common_conditions(&e, f, true, tok);
    return ts_path_add_edge(g, &e);
}

/* The DCOM coercions (rpcss's NTLM authentication the service accepts itself): holds
 * when one holds, fails when both fail, else unknown. The Spooler's pipe connection does
 * not count: its token comes through ImpersonateNamedPipeClient, which needs
 * SeImpersonatePrivilege to reach Impersonation level. */
static toksim_path_state dcom_coercion(const ts_path_graph *g, const coerce_facts *f)
{
    toksim_path_state r = fact(g->req->remote_redirector);
    return f->oxid_local < r ? f->oxid_local : r;
}

/* SeAssignPrimaryTokenPrivilege: the coerced SYSTEM token becomes a process. */
static toksim_status
assign_primary_edge(ts_path_graph *g, size_t n, const coerce_facts *f)
{
    const toksim_token *tok = g->tokens[n];
    toksim_token *system = NULL, *imp = NULL, *primary = NULL;
    toksim_process *proc = NULL, *child = NULL;
    toksim_thread *th = NULL;
    toksim_imp_result dup, cp;
    memset(&dup, 0, sizeof dup);
    memset(&cp, 0, sizeof cp);
    toksim_status rc = toksim_logon_builtin(&system, g->req->world, TOKSIM_BUILTIN_SYSTEM,
                                            NULL, NULL, g->err);
    if (rc == TOKSIM_OK && (rc = toksim_token_copy(&imp, system)) == TOKSIM_OK) {
        /* what QuerySecurityContextToken hands back after the NTLM exchange */
        toksim_token_set_type(imp, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IMPERSONATION);
        toksim_token_handle h = {imp, TOKSIM_TOKEN_ACCESS_ALL};
        rc = toksim_duplicate_token_ex(&dup, &primary, &h, TOKSIM_TOKEN_PRIMARY,
                                       TOKSIM_IMP_IMPERSONATION, NULL);
    }
    if (rc == TOKSIM_OK)
        rc = toksim_process_new(&proc, tok, NULL);
    if (rc == TOKSIM_OK)
        rc = toksim_thread_new(&th, proc);
    if (rc == TOKSIM_OK && primary) {
        toksim_token_handle h = {primary, TOKSIM_TOKEN_ACCESS_ALL};
        rc = toksim_create_process_with_token(&cp, &child, th, &h,
                                              TOKSIM_CREATE_PROCESS_AS_USER, NULL, NULL);
    }
    if (rc == TOKSIM_OK) {
        toksim_path_edge e;
        edge_init(&e, n, g->system, "assign_primary", TOKSIM_RULE_CP_CREATED,
                  "take the coerced SYSTEM token from the authentication exchange "
                  "(QuerySecurityContextToken, no thread impersonation), make it primary "
                  "(DuplicateTokenEx) and start a process with it (CreateProcessAsUser)",
                  CITE_ASSIGN);
        cond(&e,
             "SeAssignPrimaryTokenPrivilege and SeIncreaseQuotaPrivilege in the process "
             "token (CreateProcessAsUser)",
             cp.ok ? TOKSIM_RULE_CP_CREATED : cp.rule,
             cp.ok ? TOKSIM_PATH_HOLDS : TOKSIM_PATH_FAILS, false,
             "the token API says %s", rule_id(cp.ok ? TOKSIM_RULE_CP_CREATED : cp.rule));
        cond(
            &e,
            "a SYSTEM authentication the service accepts itself: DCOM activation through "
            "rpcss with a local OXID resolver (this OS profile) or a remote redirector",
            TOKSIM_RULE_POTATO_NO_PATH, dcom_coercion(g, f), false,
            "local OXID %s, redirector %s",
            f->oxid_local == TOKSIM_PATH_HOLDS ? "yes" : "no",
            fact_detail(g->req->remote_redirector));
        cond(&e,
             "the SYSTEM token of the exchange is at Impersonation level, so "
             "DuplicateTokenEx can make a primary token of it",
             dup.ok ? TOKSIM_RULE_IMP_DUP_OK : dup.rule,
             dup.ok ? TOKSIM_PATH_HOLDS : TOKSIM_PATH_FAILS, false,
             "the token API says %s",
             rule_id(dup.ok ? TOKSIM_RULE_IMP_DUP_OK : dup.rule));
        cond(&e, WR_TEXT, TOKSIM_RULE_POTATO_WRITE_RESTRICTED, f->wr, true, "%s",
             f->wr == TOKSIM_PATH_FAILS ? "the token is write-restricted"
                                        : "not blocked");
        rc = ts_path_add_edge(g, &e);
    }
    toksim_process_free(child);
    toksim_thread_free(th);
    toksim_process_free(proc);
    toksim_token_free(primary);
    toksim_token_free(imp);
    toksim_token_free(system);
    return rc;
}

/* LOCAL SERVICE / NETWORK SERVICE, and its shared logon session id. */
static bool
builtin_service(const toksim_token *tok, toksim_builtin_account *which, uint64_t *luid)
{
    const toksim_sid *u = toksim_token_user(tok);
    if (u->count != 1 || u->authority[5] != 5)
        return false;
    if (u->sub[0] == 19) {
        *which = TOKSIM_BUILTIN_LOCAL_SERVICE;
        *luid = TOKSIM_LOCALSERVICE_LUID;
        return true;
    }
    if (u->sub[0] == 20) {
        *which = TOKSIM_BUILTIN_NETWORK_SERVICE;
        *luid = TOKSIM_NETWORKSERVICE_LUID;
        return true;
    }
    return false;
}

static const char TASK_TEXT[] =
    "the task definition lists SeImpersonatePrivilege in RequiredPrivileges (without it "
    "the task process gets the account's default privileges minus "
    "SeImpersonatePrivilege; ProcessTokenSidType defaults to unrestricted)";

/* The restricted LOCAL / NETWORK SERVICE process gets the account's default token back:
 * through a scheduled task (itm4n) or the shared logon session (Forshaw). */
static toksim_status restore_edges(ts_path_graph *g, size_t n)
{
    const toksim_token *tok = g->tokens[n];
    toksim_builtin_account which;
    uint64_t luid;
    if (!builtin_service(tok, &which, &luid))
        return TOKSIM_OK;
    bool restricted = toksim_token_privilege(tok, TOKSIM_PRIV_IMPERSONATE) < 0 ||
                      toksim_token_is_write_restricted(tok);
    if (!restricted)
        return TOKSIM_OK;
    char account[96], name[TOKSIM_PATH_NAME_SIZE];
    toksim_sid_display_name(account, sizeof account, toksim_token_user(tok), NULL);
    toksim_token *full = NULL;
    toksim_status rc =
        toksim_logon_builtin(&full, g->req->world, which, NULL, NULL, g->err);
    if (rc != TOKSIM_OK)
        return rc;
    bool has_imp = toksim_token_privilege(full, TOKSIM_PRIV_IMPERSONATE) >= 0;
    /* the §2.2 test: the process impersonates that token of its own user */
    toksim_token *cl = NULL;
    toksim_imp_check_result chk;
    memset(&chk, 0, sizeof chk);
    rc = toksim_token_copy(&cl, full);
    if (rc == TOKSIM_OK) {
        toksim_token_set_type(cl, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IMPERSONATION);
        rc = toksim_imp_check(&chk, tok, cl, TOKSIM_IMP_IMPERSONATION,
                              TOKSIM_IMP_IMPERSONATION, TOKSIM_IMP_ROUTE_GENERIC, NULL,
                              NULL);
    }
    toksim_token_free(cl);
    if (rc != TOKSIM_OK) {
        toksim_token_free(full);
        return rc;
    }

    toksim_token *copy = NULL;
    snprintf(name, sizeof name, "%s (scheduled task with RequiredPrivileges)", account);
    if ((rc = toksim_token_copy(&copy, full)) != TOKSIM_OK) {
        toksim_token_free(full);
        return rc;
    }
    size_t to = ts_path_node(g, name, copy, false);
    toksim_path_edge e;
    edge_init(&e, n, to, "task_scheduler", TOKSIM_RULE_QUERY_PATH_TASK_SCHEDULER,
              "register and run a scheduled task whose principal is the account itself "
              "(LogonType ServiceAccount): the task process starts with the account's "
              "default privileges (FullPowers)",
              toksim_rule_get(TOKSIM_RULE_QUERY_PATH_TASK_SCHEDULER)->citation);
    cond(&e,
         "the process runs as LOCAL SERVICE or NETWORK SERVICE and may register a task "
         "as itself",
         TOKSIM_RULE_QUERY_PATH_TASK_SCHEDULER, TOKSIM_PATH_HOLDS, false, "%s", account);
    const char *why = NULL;
    toksim_path_fact sched = world_fact(g, g->req->task_scheduler, "Schedule", &why);
    cond(&e, "the Task Scheduler service (Schedule) runs",
         TOKSIM_RULE_QUERY_PATH_TASK_SCHEDULER, fact(sched), false, "%s", why);
    cond(&e, TASK_TEXT, TOKSIM_RULE_QUERY_PATH_TASK_SCHEDULER, TOKSIM_PATH_HOLDS, false,
         "the caller writes the task definition");
    cond(&e,
         "this world's policy gives the account SeImpersonatePrivilege (its default "
         "token)",
         TOKSIM_RULE_LOGON_PRIVILEGE_GRANTED,
         has_imp ? TOKSIM_PATH_HOLDS : TOKSIM_PATH_FAILS, false, "%s",
         has_imp ? "granted by the policy" : "not granted by the policy");
    rc = to == SIZE_MAX ? TOKSIM_ENOMEM : ts_path_add_edge(g, &e);

    snprintf(name, sizeof name, "%s (the logon session's own token)", account);
    if (rc == TOKSIM_OK) {
        to = ts_path_node(g, name, full, false);
        full = NULL;
        uint64_t own = toksim_token_auth_id(tok);
        edge_init(&e, n, to, "logon_session", TOKSIM_RULE_QUERY_PATH_LOGON_SESSION,
                  "authenticate over the local SMB loopback to a named pipe of the "
                  "process: the redirector uses the logon session's stored token, which "
                  "the process then impersonates",
                  toksim_rule_get(TOKSIM_RULE_QUERY_PATH_LOGON_SESSION)->citation);
        cond(&e,
             "the process token belongs to the account's shared logon session (0x3E5 "
             "LOCAL SERVICE, 0x3E4 NETWORK SERVICE)",
             TOKSIM_RULE_QUERY_PATH_LOGON_SESSION,
             own == 0      ? TOKSIM_PATH_UNKNOWN
             : own == luid ? TOKSIM_PATH_HOLDS
                           : TOKSIM_PATH_FAILS,
             false,
             own == 0 ? "the capture does not show the logon id" : "logon id 0x%llX",
             (unsigned long long)own);
        cond(&e,
             "the loopback authentication hands back the session's own token and a "
             "process is started with it (not modelled: from the write-up)",
             TOKSIM_RULE_QUERY_PATH_LOGON_SESSION, TOKSIM_PATH_UNKNOWN, false,
             "stated in the write-up, not decided by the model");
        cond(&e,
             "the impersonation test lets the process impersonate that token of its own "
             "user at Impersonation level",
             chk.rule, chk.allowed ? TOKSIM_PATH_HOLDS : TOKSIM_PATH_FAILS,
             chk.rule == TOKSIM_RULE_IMP_DENY_RESTRICTED, "the test says %s",
             rule_id(chk.rule));
        rc = to == SIZE_MAX ? TOKSIM_ENOMEM : ts_path_add_edge(g, &e);
    }
    toksim_token_free(full);
    return rc;
}

toksim_status ts_path_edges_from(ts_path_graph *g, size_t n)
{
    const toksim_token *tok = g->tokens[n];
    if (!tok || n == g->system)
        return TOKSIM_OK;
    coerce_facts f;
    toksim_status rc = coerce_facts_of(g, tok, &f);
    if (rc == TOKSIM_OK)
        rc = coercion_edges(g, n, &f);
    if (rc == TOKSIM_OK)
        rc = assign_primary_edge(g, n, &f);
    if (rc == TOKSIM_OK)
        rc = restore_edges(g, n);
    return rc;
}
