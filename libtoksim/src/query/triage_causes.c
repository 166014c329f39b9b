/*
 * PURPOSE: the triage table: for each API set and error (named as the error catalog names
 * it), the causes the model knows, each with the model rule that produces the error, its
 * likelihood rank and why, and how to confirm it; and how each cause is marked from the
 * capture and from the §2.2 decision on the stated facts (ts_tri_eval_row). The rules
 * themselves are the impersonation layer's (rules_imperson.inc); this file only maps
 * symptoms back to them.
 */
#include <stdio.h>
#include <string.h>
#include "query/triage_int.h"

#define API(a)  TS_TRI_API(TOKSIM_TRIAGE_API_##a)
#define R(e)    TOKSIM_RULE_##e
#define PRIV(p) TOKSIM_PRIV_##p
#define NOT_COM (TS_TRI_IMPERSONATORS & ~API(CO_IMPERSONATE_CLIENT))
#define DUP_OTT (API(DUPLICATE_TOKEN_EX) | API(OPEN_THREAD_TOKEN))
#define HANDLERS                                                                         \
    (API(IMPERSONATE_LOGGED_ON_USER) | API(SET_THREAD_TOKEN) | API(DUPLICATE_TOKEN_EX) | \
     API(CREATE_PROCESS_AS_USER) | API(CREATE_PROCESS_WITH_TOKEN))

static const char WHOAMI_PRIV[] =
    "whoami /priv run inside the failing process (or WinDbg !token of it): is "
    "SeImpersonatePrivilege listed, and its State; sc qprivs <service> for a service's "
    "required-privileges list; gpresult /h or toksim policy GptTmpl.inf for 'Impersonate "
    "a client after authentication'";
static const char CLIENT_LEVEL[] =
    "in the server after the impersonation call: OpenThreadToken(OpenAsSelf=TRUE) then "
    "GetTokenInformation(TokenImpersonationLevel); on the client: the RPC_C_IMP_LEVEL of "
    "CoInitializeSecurity / CoSetProxyBlanket, or CreateFile's SECURITY_SQOS_PRESENT | "
    "SECURITY_IDENTIFICATION flags; then rerun with --client-level";

const ts_tri_row ts_tri_rows[] = {
    /* ---- 1346 after an impersonation (the silent Identify downgrade, §2.3) ---- */
    {"privilege-missing", TS_TRI_IMPERSONATORS, "ERROR_BAD_IMPERSONATION_LEVEL",
     R(IMP_PRIV_MISSING), TS_TRI_PRIV_MISSING, PRIV(IMPERSONATE), 1, false,
     "the process token lacks SeImpersonatePrivilege: the impersonation call succeeded "
     "but the thread got an Identification copy (silent downgrade), so the next object "
     "open fails with 1346 / 0x80070542",
     "the usual cause: a GPO rewrote 'Impersonate a client after authentication' "
     "(IIS_IUSRS or SERVICE left out), or the service's required-privileges list omits "
     "it",
     WHOAMI_PRIV},
    {"client-identify-level", API(CO_IMPERSONATE_CLIENT), "ERROR_BAD_IMPERSONATION_LEVEL",
     R(IMP_OPEN_BAD_LEVEL), TS_TRI_CLIENT_BELOW_IMPERSONATE, 0, 1, false,
     "the COM client allowed only Identify (or Anonymous): CoImpersonateClient returns "
     "S_OK but the thread token is at that level whatever the server holds",
     "COM's default level is LegacyImpersonationLevel, Identify when the value is "
     "absent: a client that never called CoInitializeSecurity gives exactly this",
     CLIENT_LEVEL},
    {"privilege-disabled", TS_TRI_IMPERSONATORS, "ERROR_BAD_IMPERSONATION_LEVEL",
     R(IMP_PRIV_DISABLED), TS_TRI_PRIV_DISABLED, PRIV(IMPERSONATE), 2, false,
     "SeImpersonatePrivilege is held but disabled: the kernel's test counts only an "
     "enabled privilege, so the impersonation was downgraded to Identification",
     "services receive it enabled by default; seen when code disabled it "
     "(AdjustTokenPrivileges, DisableAllPrivileges) before impersonating",
     "whoami /priv inside the failing process: State 'Disabled'; the fix is "
     "AdjustTokenPrivileges(SE_PRIVILEGE_ENABLED) before the impersonation call"},
    {"client-identify-level", NOT_COM, "ERROR_BAD_IMPERSONATION_LEVEL",
     R(IMP_OPEN_BAD_LEVEL), TS_TRI_CLIENT_BELOW_IMPERSONATE, 0, 3, false,
     "the client allowed only Identify (or Anonymous): the server's thread token is at "
     "that level whatever privileges the server holds",
     "less common for pipes and SSPI (their default is Impersonation), common for "
     "RPC/COM clients at RPC_C_IMP_LEVEL_IDENTIFY",
     CLIENT_LEVEL},
    {"other-logon-session", TS_TRI_IMPERSONATORS, "ERROR_BAD_IMPERSONATION_LEVEL",
     R(IMP_DENY_DIFFERENT_USER), TS_TRI_OTHER_LOGON_SESSION, 0, 4, false,
     "the client token was made in another logon session (an SSPI network logon, another "
     "process's LogonUser): the explicit-credentials exception does not apply, so the "
     "process needs the privilege",
     "a cause only together with the missing privilege: a token the process made itself "
     "with LogonUser would be impersonated without it (why Basic auth keeps working in "
     "an IIS pool that lost the right, and Windows auth does not)",
     "GetTokenInformation(TokenOrigin) of the client token against the process's logon "
     "id (whoami /logonid, TokenStatistics.AuthenticationId); then rerun with "
     "--client-logon same|other"},
    {"integrity", TS_TRI_IMPERSONATORS, "ERROR_BAD_IMPERSONATION_LEVEL",
     R(IMP_DENY_INTEGRITY), TS_TRI_MODEL_RULE, 0, 5, false,
     "the process runs at a lower integrity level than the client token: without the "
     "privilege the test refuses and the thread gets Identification",
     "reached only without an enabled SeImpersonatePrivilege; typical for a Medium "
     "process impersonating an elevated (High) token",
     "the Mandatory Label rows of whoami /groups for the process and the client; rerun "
     "with --client-integrity"},
    {"uac-elevated", TS_TRI_IMPERSONATORS, "ERROR_BAD_IMPERSONATION_LEVEL",
     R(IMP_DENY_UAC), TS_TRI_MODEL_RULE, 0, 6, true,
     "the client is the caller's own user but elevated while the process is not "
     "(UNCONFIRMED rule of the model, switch check_uac_elevation)",
     "same-user path only: a filtered admin process impersonating its own elevated token",
     "GetTokenInformation(TokenElevation) of both tokens; rerun with --client-user same "
     "--client-elevated yes"},
    {"restricted-token", TS_TRI_IMPERSONATORS, "ERROR_BAD_IMPERSONATION_LEVEL",
     R(IMP_DENY_RESTRICTED), TS_TRI_MODEL_RULE, 0, 7, true,
     "the process token is restricted and the client token of the same user is not "
     "restricted the same way (UNCONFIRMED rule of the model, switch restricted_rule)",
     "same-user path only: a restricted (sandboxed) process",
     "IsTokenRestricted on the process token; whoami /all shows no restricting SIDs, "
     "!token does (RestrictedSids)"},
    {"session-rule", TS_TRI_IMPERSONATORS, "ERROR_BAD_IMPERSONATION_LEVEL",
     R(IMP_DENY_SESSION), TS_TRI_MODEL_RULE, 0, 8, true,
     "a session-0 client token refused to a process of another session (UNCONFIRMED "
     "rule, off by default in the model: switch check_session)",
     "no public Windows-run source confirms it; it decides only when switched on",
     "TokenSessionId of both tokens (!token 'SessionId', query session); rerun with "
     "--client-session and --switch check_session=1"},
    /* ---- 1346 from DuplicateTokenEx / OpenThreadToken ---- */
    {"source-identify-level", API(DUPLICATE_TOKEN_EX), "ERROR_BAD_IMPERSONATION_LEVEL",
     R(IMP_DUP_PRIMARY_LEVEL), TS_TRI_CLIENT_BELOW_IMPERSONATE, 0, 1, false,
     "the source is an Identification-level impersonation token: no primary token (and "
     "no higher-level duplicate) can be made from it",
     "the direct rule of DuplicateTokenEx; the source usually came from OpenThreadToken "
     "after an impersonation",
     "GetTokenInformation(TokenImpersonationLevel) on the source handle; rerun with "
     "--client-level"},
    {"identify-thread-token", API(OPEN_THREAD_TOKEN), "ERROR_BAD_IMPERSONATION_LEVEL",
     R(IMP_OPEN_BAD_LEVEL), TS_TRI_CLIENT_BELOW_IMPERSONATE, 0, 1, false,
     "the thread token is at Identification and OpenThreadToken was called with "
     "OpenAsSelf=FALSE: the token object is opened under that token, which cannot open "
     "objects",
     "the documented reason OpenAsSelf exists; pass TRUE to open it as the process",
     "the OpenAsSelf argument of the call; the level as above; rerun with "
     "--client-level"},
    {"privilege-missing", DUP_OTT, "ERROR_BAD_IMPERSONATION_LEVEL", R(IMP_PRIV_MISSING),
     TS_TRI_PRIV_MISSING, PRIV(IMPERSONATE), 2, false,
     "the Identification-level token comes from an impersonation that was silently "
     "downgraded because the process lacks SeImpersonatePrivilege",
     "the usual way a thread ends up at Identification when the client asked for more",
     WHOAMI_PRIV},
    {"privilege-disabled", DUP_OTT, "ERROR_BAD_IMPERSONATION_LEVEL", R(IMP_PRIV_DISABLED),
     TS_TRI_PRIV_DISABLED, PRIV(IMPERSONATE), 3, false,
     "the Identification-level token comes from an impersonation downgraded because "
     "SeImpersonatePrivilege was held but disabled",
     "services receive it enabled by default",
     "whoami /priv inside the failing process: State 'Disabled'"},
    /* ---- OpenThreadToken's other errors ---- */
    {"anonymous-thread-token", API(OPEN_THREAD_TOKEN), "ERROR_CANT_OPEN_ANONYMOUS",
     R(IMP_OPEN_ANONYMOUS), TS_TRI_CLIENT_ANONYMOUS, 0, 1, false,
     "the thread token is at Anonymous level: OpenThreadToken fails whatever OpenAsSelf "
     "says",
     "the only rule that gives 1347",
     "the client's impersonation level (RPC_C_IMP_LEVEL_ANONYMOUS, SECURITY_ANONYMOUS); "
     "rerun with --client-level Anonymous"},
    {"not-impersonating", API(OPEN_THREAD_TOKEN), "ERROR_NO_TOKEN", R(IMP_OPEN_NO_TOKEN),
     TS_TRI_NOT_VISIBLE, 0, 1, false,
     "the thread is not impersonating (never did, or reverted): there is no thread token",
     "the only rule that gives 1008",
     "call OpenProcessToken instead, or check that the impersonation call ran on this "
     "thread before"},
    /* ---- 5 ---- */
    {"handle-access", HANDLERS, "ERROR_ACCESS_DENIED", R(IMP_HANDLE_ACCESS),
     TS_TRI_NOT_VISIBLE, 0, 1, false,
     "the token handle was opened without a right the call needs "
     "(TOKEN_QUERY|TOKEN_DUPLICATE for a primary token, TOKEN_QUERY|TOKEN_IMPERSONATE "
     "for an impersonation token, TOKEN_ASSIGN_PRIMARY to start a process)",
     "the only 5 these calls produce themselves",
     "the DesiredAccess passed to OpenProcessToken / OpenThreadToken / DuplicateTokenEx; "
     "handle.exe -a or Process Explorer show a handle's granted access"},
    {"token-object-dacl", API(OPEN_THREAD_TOKEN), "ERROR_ACCESS_DENIED",
     R(IMP_TOKEN_HANDLE_GRANTED), TS_TRI_NOT_VISIBLE, 0, 1, false,
     "the token object's DACL refuses the desired access to the token the open runs with "
     "(the thread token when OpenAsSelf=FALSE)",
     "a token's default DACL grants its own user and SYSTEM; an impersonated client "
     "rarely has rights on the server's thread token",
     "pass OpenAsSelf=TRUE; the token's DACL: GetKernelObjectSecurity, or toksim token "
     "--info (TokenDefaultDacl)"},
    {"object-dacl", API(OBJECT_OPEN), "ERROR_ACCESS_DENIED", R(ACCESS_DENIED),
     TS_TRI_NOT_VISIBLE, 0, 1, false,
     "the object's DACL (or its mandatory label) does not grant the desired access to "
     "the effective token: the client's token while impersonating, else the process "
     "token",
     "an ordinary access denial; from an impersonating thread the client's groups count, "
     "not the process's",
     "the object's descriptor (icacls, Get-Acl .Sddl) checked with toksim token CAPTURE "
     "--check --sddl SDDL --desired MASK (capture the token the open ran with)"},
    /* ---- 1314 ---- */
    {"assign-primary-missing", API(CREATE_PROCESS_AS_USER), "ERROR_PRIVILEGE_NOT_HELD",
     R(CP_PRIV_MISSING), TS_TRI_PRIV_NOT_HELD, PRIV(ASSIGN_PRIMARY_TOKEN), 1, false,
     "CreateProcessAsUser needs SeAssignPrimaryTokenPrivilege (the call enables it "
     "itself when held)",
     "the privilege CreateProcessAsUser checks first; services outside LOCAL/NETWORK "
     "SERVICE and SYSTEM seldom hold it",
     "whoami /priv in the calling process: SeAssignPrimaryTokenPrivilege listed (any "
     "State)"},
    {"increase-quota-missing", API(CREATE_PROCESS_AS_USER), "ERROR_PRIVILEGE_NOT_HELD",
     R(CP_PRIV_MISSING), TS_TRI_PRIV_NOT_HELD, PRIV(INCREASE_QUOTA), 2, false,
     "CreateProcessAsUser also needs SeIncreaseQuotaPrivilege",
     "held by the same accounts as the privilege above in default policy",
     "whoami /priv in the calling process: SeIncreaseQuotaPrivilege listed"},
    {"impersonate-missing", API(CREATE_PROCESS_WITH_TOKEN), "ERROR_PRIVILEGE_NOT_HELD",
     R(CP_PRIV_MISSING), TS_TRI_PRIV_NOT_HELD, PRIV(IMPERSONATE), 1, false,
     "CreateProcessWithTokenW needs SeImpersonatePrivilege",
     "the one privilege this call checks",
     "whoami /priv in the calling process: SeImpersonatePrivilege listed"},
    /* ---- 1349 ---- */
    {"primary-token-given", API(SET_THREAD_TOKEN), "ERROR_BAD_TOKEN_TYPE",
     R(IMP_BAD_TOKEN_TYPE), TS_TRI_NOT_VISIBLE, 0, 1, false,
     "SetThreadToken was given a primary token: duplicate it as an impersonation token "
     "(DuplicateTokenEx TokenImpersonation) or use ImpersonateLoggedOnUser",
     "the only rule that gives 1349 here",
     "GetTokenInformation(TokenType) on the handle passed"},
    {"impersonation-token-given",
     API(CREATE_PROCESS_AS_USER) | API(CREATE_PROCESS_WITH_TOKEN), "ERROR_BAD_TOKEN_TYPE",
     R(CP_BAD_TOKEN_TYPE), TS_TRI_NOT_VISIBLE, 0, 1, false,
     "the token is an impersonation token: a process needs a primary token "
     "(DuplicateTokenEx TokenPrimary first)",
     "the only rule that gives 1349 here",
     "GetTokenInformation(TokenType) on the handle passed"},
    /* ---- server-side calls without a client ---- */
    {"pipe-nothing-read", API(IMPERSONATE_NAMED_PIPE_CLIENT), "ERROR_CANNOT_IMPERSONATE",
     R(IMP_PIPE_NO_DATA), TS_TRI_NOT_VISIBLE, 0, 1, false,
     "nothing has been read from the pipe yet: ImpersonateNamedPipeClient needs a "
     "message read first",
     "the only rule that gives 1368",
     "ReadFile on the pipe before ImpersonateNamedPipeClient"},
    {"no-call-active", API(RPC_IMPERSONATE_CLIENT), "RPC_S_NO_CALL_ACTIVE",
     R(IMP_NO_CALL), TS_TRI_NOT_VISIBLE, 0, 1, false,
     "no RPC call is being serviced on this thread", "the only rule that gives 1725",
     "call it inside the server routine, on its thread"},
    {"unauthenticated-call", API(RPC_IMPERSONATE_CLIENT), "RPC_S_NO_CONTEXT_AVAILABLE",
     R(IMP_UNAUTHENTICATED), TS_TRI_NOT_VISIBLE, 0, 1, true,
     "the call came at authentication level NONE: there is no client identity (that it "
     "fails at all is UNCONFIRMED: switch rpc_unauthenticated_fails)",
     "the only rule that gives 1765",
     "RpcBindingInqAuthClient in the server: the authentication level"},
    {"no-call-active", API(CO_IMPERSONATE_CLIENT), "RPC_E_CALL_COMPLETE", R(IMP_NO_CALL),
     TS_TRI_NOT_VISIBLE, 0, 1, false,
     "CoImpersonateClient outside a COM call (after it returned, or on another thread)",
     "the only rule that gives 0x80010117",
     "CoGetCallContext on the same thread: it fails the same way"},
    {"unauthenticated-call", API(CO_IMPERSONATE_CLIENT), "RPC_E_UNSECURE_CALL",
     R(IMP_UNAUTHENTICATED), TS_TRI_NOT_VISIBLE, 0, 1, true,
     "the COM call came at RPC_C_AUTHN_LEVEL_NONE: nothing to impersonate (the code is "
     "UNVERIFIED)",
     "the only rule that gives 0x80010118",
     "the client's authentication level (CoInitializeSecurity / CoSetProxyBlanket)"},
};

const size_t ts_tri_row_count = sizeof ts_tri_rows / sizeof ts_tri_rows[0];

static const char *priv_name(uint32_t luid)
{
    const toksim_privilege_info *pi = toksim_privilege_by_luid(luid);
    return pi ? pi->name : "the privilege";
}

static const char *rule_id(toksim_rule r)
{
    const toksim_rule_info *ri = toksim_rule_get(r);
    return ri ? ri->id : "?";
}

/* The §2.2 test on the stated facts allowed the client at the level it asked. */
static bool model_allowed(const ts_tri_ctx *cx)
{
    return cx->model_ran && cx->model.allowed;
}

static toksim_triage_state privilege(
    const ts_tri_row *row, const ts_tri_ctx *cx, bool want_disabled, char *ev, size_t n)
{
    const toksim_token *tok = cx->req->caller;
    const char *p = priv_name(row->privilege);
    if (!cx->req->caller_privileges_known) {
        snprintf(ev, n, "the capture has no privileges section");
        return TOKSIM_TRIAGE_UNKNOWN;
    }
    bool held = toksim_token_privilege(tok, row->privilege) >= 0;
    bool enabled = toksim_token_privilege_enabled(tok, row->privilege);
    if (!want_disabled && held) {
        snprintf(ev, n, "%s is in the token (%s)", p, enabled ? "enabled" : "disabled");
        return TOKSIM_TRIAGE_RULED_OUT;
    }
    if (want_disabled && (!held || enabled)) {
        snprintf(ev, n, held ? "%s is enabled" : "%s is not in the token at all", p);
        return TOKSIM_TRIAGE_RULED_OUT;
    }
    if (model_allowed(cx)) {
        snprintf(ev, n, "%s is %s, but the test allows this client without it (%s)", p,
                 held ? "disabled" : "absent", rule_id(cx->model.rule));
        return TOKSIM_TRIAGE_RULED_OUT;
    }
    snprintf(ev, n, "%s is %s in the capture; the test refuses (%s) and downgrades", p,
             held ? "held but disabled" : "absent", rule_id(cx->model.rule));
    return TOKSIM_TRIAGE_CONFIRMED;
}

static toksim_triage_state level(const ts_tri_ctx *cx, bool anonymous, char *ev, size_t n)
{
    const toksim_triage_client *c = &cx->req->client;
    if (!c->has_level) {
        snprintf(ev, n, "the client's level was not given");
        return TOKSIM_TRIAGE_UNKNOWN;
    }
    bool hit = anonymous ? c->level == TOKSIM_IMP_ANONYMOUS
                         : c->level < TOKSIM_IMP_IMPERSONATION;
    snprintf(ev, n, "the client token is at %s level", toksim_imp_level_name(c->level));
    return hit ? TOKSIM_TRIAGE_CONFIRMED : TOKSIM_TRIAGE_RULED_OUT;
}

static toksim_triage_state other_session(const ts_tri_ctx *cx, char *ev, size_t n)
{
    toksim_triage_fact f = cx->req->client.own_logon_session;
    if (cx->model_ran && cx->model.rule == TOKSIM_RULE_IMP_ALLOW_PRIVILEGE) {
        snprintf(ev, n, "the privilege allows any logon session's token (%s)",
                 rule_id(cx->model.rule));
        return TOKSIM_TRIAGE_RULED_OUT;
    }
    if (f == TOKSIM_TRIAGE_FACT_UNKNOWN) {
        snprintf(ev, n, "where the client token was made was not given");
        return TOKSIM_TRIAGE_UNKNOWN;
    }
    if (f == TOKSIM_TRIAGE_FACT_YES) {
        snprintf(ev, n,
                 "made with explicit credentials in the caller's logon session: the "
                 "exception applies");
        return TOKSIM_TRIAGE_RULED_OUT;
    }
    if (model_allowed(cx)) {
        snprintf(ev, n, "made in another logon session, but the test allows it (%s)",
                 rule_id(cx->model.rule));
        return TOKSIM_TRIAGE_RULED_OUT;
    }
    snprintf(ev, n, "made in another logon session and the test refuses (%s)",
             rule_id(cx->model.rule));
    return TOKSIM_TRIAGE_CONFIRMED;
}

/* Whether the test could reach the row's rule with what is unknown still open. */
static bool rule_reachable(const ts_tri_row *row, const ts_tri_ctx *cx)
{
    const toksim_triage_request *q = cx->req;
    const toksim_imp_options *o = q->opts;
    toksim_imp_options def;
    if (!o) {
        toksim_imp_options_init(&def);
        o = &def;
    }
    bool priv_on = q->caller_privileges_known &&
                   toksim_token_privilege_enabled(q->caller, TOKSIM_PRIV_IMPERSONATE);
    if (priv_on && o->allow_privilege)
        return false; /* step 4 allows before any of these rules */
    /* allowed at steps 1-2 (before integrity) or 6 (before the same-user checks) */
    toksim_rule r =
        cx->model_ran && cx->model.allowed ? cx->model.rule : TOKSIM_RULE_NONE;
    if (r == TOKSIM_RULE_IMP_ALLOW_BELOW_IMPERSONATE ||
        r == TOKSIM_RULE_IMP_ALLOW_ANONYMOUS_LOGON)
        return false;
    if (r == TOKSIM_RULE_IMP_ALLOW_EXPLICIT_CREDENTIALS &&
        row->rule != TOKSIM_RULE_IMP_DENY_INTEGRITY)
        return false;
    switch (row->rule) {
    case TOKSIM_RULE_IMP_DENY_INTEGRITY:
        return !q->client.has_integrity;
    case TOKSIM_RULE_IMP_DENY_SESSION:
        return o->check_session && !q->client.has_session;
    case TOKSIM_RULE_IMP_DENY_UAC:
        return o->check_uac_elevation && q->client.same_user != TOKSIM_TRIAGE_FACT_NO &&
               q->client.elevated != TOKSIM_TRIAGE_FACT_NO;
    case TOKSIM_RULE_IMP_DENY_RESTRICTED:
        return o->restricted_rule != TOKSIM_IMP_RESTRICTED_OFF &&
               toksim_token_is_restricted(q->caller) &&
               q->client.same_user != TOKSIM_TRIAGE_FACT_NO;
    default:
        return true;
    }
}

static toksim_triage_state
by_model(const ts_tri_row *row, const ts_tri_ctx *cx, char *ev, size_t n)
{
    if (cx->model_ran && cx->model.rule == row->rule) {
        snprintf(ev, n, "the test on the stated facts decides with %s",
                 rule_id(row->rule));
        return TOKSIM_TRIAGE_CONFIRMED;
    }
    if (row->rule == TOKSIM_RULE_IMP_DENY_SESSION && cx->req->opts &&
        !cx->req->opts->check_session) {
        snprintf(ev, n, "UNCONFIRMED rule, switched off (check_session = 0)");
        return TOKSIM_TRIAGE_RULED_OUT;
    }
    if (row->rule == TOKSIM_RULE_IMP_DENY_SESSION && !cx->req->opts) {
        snprintf(ev, n, "UNCONFIRMED rule, off by default in the model (check_session)");
        return TOKSIM_TRIAGE_RULED_OUT;
    }
    if (rule_reachable(row, cx)) {
        snprintf(ev, n, "depends on facts not given");
        return TOKSIM_TRIAGE_UNKNOWN;
    }
    snprintf(ev, n, "the test decides by %s before this rule, or its facts exclude it",
             cx->model_ran ? rule_id(cx->model.rule) : "another rule");
    return TOKSIM_TRIAGE_RULED_OUT;
}

toksim_triage_state
ts_tri_eval_row(const ts_tri_row *row, const ts_tri_ctx *cx, char *ev, size_t n)
{
    switch (row->eval) {
    case TS_TRI_PRIV_MISSING:
        return privilege(row, cx, false, ev, n);
    case TS_TRI_PRIV_DISABLED:
        return privilege(row, cx, true, ev, n);
    case TS_TRI_CLIENT_BELOW_IMPERSONATE:
        return level(cx, false, ev, n);
    case TS_TRI_CLIENT_ANONYMOUS:
        return level(cx, true, ev, n);
    case TS_TRI_OTHER_LOGON_SESSION:
        return other_session(cx, ev, n);
    case TS_TRI_MODEL_RULE:
        return by_model(row, cx, ev, n);
    case TS_TRI_PRIV_NOT_HELD: {
        const char *p = priv_name(row->privilege);
        if (!cx->req->caller_privileges_known) {
            snprintf(ev, n, "the capture has no privileges section");
            return TOKSIM_TRIAGE_UNKNOWN;
        }
        if (toksim_token_privilege(cx->req->caller, row->privilege) >= 0) {
            snprintf(ev, n, "%s is held (the call enables it itself)", p);
            return TOKSIM_TRIAGE_RULED_OUT;
        }
        snprintf(ev, n, "%s is not in the token", p);
        return TOKSIM_TRIAGE_CONFIRMED;
    }
    case TS_TRI_NOT_VISIBLE:
        break;
    }
    snprintf(ev, n, "a token capture does not show it");
    return TOKSIM_TRIAGE_UNKNOWN;
}
