/*
 * PURPOSE: network hops (windows-model §11): which identity a remote machine sees when a
 * thread touches a resource there. Credentials belong to logon sessions: an NTLM network
 * logon has none to forward (double hop), a NetworkCleartext logon keeps the password,
 * Kerberos unconstrained delegation forwards the client's TGT at Delegation level,
 * constrained delegation (S4U2Proxy) reaches the listed SPNs only; sensitive accounts and
 * Protected Users never delegate. Without impersonation, SYSTEM, NETWORK SERVICE and
 * virtual accounts go out as the computer account, LOCAL SERVICE and IUSR anonymously.
 *
 * Left out: resource-based constrained delegation (the target's SD), S4U2Self details,
 * NTLM relay, credential guard, SPN aliases (SPNs compare as whole strings,
 * case-insensitively), what the remote side then grants (call toksim_access_check with a
 * token for the identity).
 */
#include "imperson/imp_int.h"

const char *toksim_hop_identity_name(toksim_hop_identity id)
{
    switch (id) {
    case TOKSIM_HOP_CLIENT:
        return "client";
    case TOKSIM_HOP_PROCESS_USER:
        return "process-user";
    case TOKSIM_HOP_MACHINE:
        return "machine";
    case TOKSIM_HOP_ANONYMOUS:
        return "anonymous";
    case TOKSIM_HOP_FAILED:
        return "failed";
    }
    return "failed";
}

static bool sid_is(const toksim_sid *sid, const char *name)
{
    toksim_sid w;
    /* well-known names resolved through the one well-known table */
    return toksim_sid_resolve(&w, name, NULL, NULL) == TOKSIM_OK &&
           toksim_sid_equal(sid, &w);
}

static bool is_virtual(const toksim_sid *sid, toksim_virtual_kind kind)
{
    return toksim_sid_authority(sid) == 5 && sid->count > 1 &&
           sid->sub[0] == (uint32_t)kind;
}

typedef struct hop_ctx {
    toksim_hop_result *out;
    toksim_trace *trace;
    toksim_status st;
} hop_ctx;

static void conclude(hop_ctx *h,
                     toksim_hop_identity id,
                     const toksim_sid *sid,
                     uint32_t win32,
                     toksim_trace_event *e)
{
    toksim_hop_result *out = h->out;
    out->identity = id;
    out->ok = id != TOKSIM_HOP_FAILED;
    out->win32 = win32;
    out->rule = e->rule;
    if (id == TOKSIM_HOP_ANONYMOUS) {
        toksim_sid anon;
        if (toksim_sid_resolve(&anon, "AN", NULL, NULL) == TOKSIM_OK) {
            out->has_sid = true;
            out->sid = anon;
        }
    } else if (sid) {
        out->has_sid = true;
        out->sid = *sid;
    }
    e->status = win32;
    e->verdict = out->ok ? TOKSIM_V_GRANT : TOKSIM_V_DENY;
    ts_imp_emit(&h->st, h->trace, e);
}

/* The thread is not impersonating (or impersonates its own logon session): the process's
 * logon session authenticates. */
static void
process_identity(hop_ctx *h, const toksim_token *p, const toksim_hop_request *req)
{
    const toksim_sid *user = toksim_token_user(p);
    toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_NONE, TOKSIM_V_INFO);
    ts_imp_ev_sid(&e, user);
    if (sid_is(user, "SY") || sid_is(user, "NS") ||
        is_virtual(user, TOKSIM_VIRTUAL_SERVICE) ||
        is_virtual(user, TOKSIM_VIRTUAL_APPPOOL)) {
        /* [D-IIS-APID], [D-IIS-ACCT]: these go out as DOMAIN\MACHINE$ */
        if (req->machine_account) {
            e.rule = TOKSIM_RULE_IMP_HOP_MACHINE;
            ts_imp_ev_sid2(&e, req->machine_account);
            conclude(h, TOKSIM_HOP_MACHINE, req->machine_account, 0, &e);
        } else {
            e.rule = TOKSIM_RULE_IMP_HOP_WORKGROUP;
            conclude(h, TOKSIM_HOP_ANONYMOUS, NULL, 0, &e);
        }
        return;
    }
    if (sid_is(user, "LS") || sid_is(user, "IUSR") || sid_is(user, "AN")) {
        e.rule = TOKSIM_RULE_IMP_HOP_ANON_SERVICE;
        conclude(h, TOKSIM_HOP_ANONYMOUS, NULL, 0, &e);
        return;
    }
    if (req->process_without_credentials) { /* §2.6.4 */
        e.rule = TOKSIM_RULE_IMP_HOP_NO_CREDENTIALS;
        conclude(h, TOKSIM_HOP_ANONYMOUS, NULL, 0, &e);
        return;
    }
    e.rule = TOKSIM_RULE_IMP_HOP_PROCESS_USER;
    conclude(h, TOKSIM_HOP_PROCESS_USER, user, 0, &e);
}

static bool spn_allowed(const toksim_hop_request *req)
{
    if (!req->target_spn || !req->allowed_spns)
        return false;
    for (size_t i = 0; i < req->allowed_spn_count; i++)
        if (req->allowed_spns[i] &&
            ts_strcasecmp(req->allowed_spns[i], req->target_spn) == 0)
            return true;
    return false;
}

toksim_status toksim_network_hop(toksim_hop_result *out,
                                 const toksim_thread *thread,
                                 const toksim_hop_request *req,
                                 toksim_trace *trace)
{
    if (!out || !thread || !req)
        return TOKSIM_EINVAL;
    memset(out, 0, sizeof *out);
    hop_ctx h = {out, trace, TOKSIM_OK};
    const toksim_imp_options *o = &thread->proc->opts;
    const toksim_token *p = thread->proc->primary;
    const toksim_token *imp = thread->imp;
    if (!imp) {
        process_identity(&h, p, req);
        return h.st;
    }

    toksim_imp_level level = toksim_token_level(imp);
    const toksim_sid *client = toksim_token_user(imp);
    toksim_trace_event e = ts_imp_ev(TOKSIM_RULE_NONE, TOKSIM_V_INFO);
    ts_imp_ev_sid(&e, toksim_token_user(p));
    ts_imp_ev_sid2(&e, client);
    e.a = level;
    ts_imp_ev_text(&e, req->target_spn);

    if (level < TOKSIM_IMP_IMPERSONATION) { /* §1.5: the open fails locally */
        e.rule = TOKSIM_RULE_IMP_HOP_IDENTIFY;
        conclude(&h, TOKSIM_HOP_FAILED, NULL, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL, &e);
        return h.st;
    }
    if (toksim_token_auth_id(imp) == TOKSIM_ANONYMOUS_LOGON_LUID) {
        e.rule = TOKSIM_RULE_IMP_HOP_ANON_TOKEN;
        conclude(&h, TOKSIM_HOP_ANONYMOUS, NULL, 0, &e);
        return h.st;
    }
    if (toksim_token_auth_id(imp) != 0 &&
        toksim_token_auth_id(imp) == toksim_token_auth_id(p)) {
        /* ImpersonateSelf and the like: the process's own logon session and its
         * credentials */
        toksim_trace_event s = e;
        s.rule = TOKSIM_RULE_IMP_HOP_OWN_SESSION;
        ts_imp_emit(&h.st, trace, &s);
        process_identity(&h, p, req);
        return h.st;
    }

    const char *why = req->client_auth == TOKSIM_AUTH_KERBEROS
                          ? "Kerberos, not delegable here"
                          : "NTLM";
    if (req->client_sensitive || req->client_protected_users) {
        /* §11.2: never delegated, whatever the server's trust */
        toksim_trace_event s = e;
        s.rule = TOKSIM_RULE_IMP_HOP_SENSITIVE;
        s.verdict =
            TOKSIM_V_DENY; /* it refuses delegation, as imp.hop.spn_not_allowed does */
        ts_imp_emit(&h.st, trace, &s);
        why = "account not delegable";
    } else if (req->client_cleartext) {
        e.rule = TOKSIM_RULE_IMP_HOP_CLEARTEXT;
        conclude(&h, TOKSIM_HOP_CLIENT, client, 0, &e);
        return h.st;
    } else if (req->server_delegation == TOKSIM_DELEGATION_UNCONSTRAINED) {
        if (req->client_auth == TOKSIM_AUTH_KERBEROS && level == TOKSIM_IMP_DELEGATION) {
            e.rule = TOKSIM_RULE_IMP_HOP_UNCONSTRAINED;
            conclude(&h, TOKSIM_HOP_CLIENT, client, 0, &e);
            return h.st;
        }
    } else if (req->server_delegation == TOKSIM_DELEGATION_CONSTRAINED ||
               req->server_delegation == TOKSIM_DELEGATION_CONSTRAINED_ANY_PROTOCOL) {
        bool protocol_ok =
            req->client_auth == TOKSIM_AUTH_KERBEROS ||
            req->server_delegation == TOKSIM_DELEGATION_CONSTRAINED_ANY_PROTOCOL;
        bool level_ok = o->kcd_needs_delegation_level ? level == TOKSIM_IMP_DELEGATION
                                                      : level >= TOKSIM_IMP_IMPERSONATION;
        if (protocol_ok && level_ok) {
            if (spn_allowed(req)) {
                e.rule = TOKSIM_RULE_IMP_HOP_CONSTRAINED;
                conclude(&h, TOKSIM_HOP_CLIENT, client, 0, &e);
                return h.st;
            }
            toksim_trace_event s = e;
            s.rule = TOKSIM_RULE_IMP_HOP_SPN_NOT_ALLOWED;
            s.verdict = TOKSIM_V_DENY;
            ts_imp_emit(&h.st, trace, &s);
            why = "SPN not in msDS-AllowedToDelegateTo";
        }
    }

    /* §11.1: the double hop */
    ts_imp_ev_text(&e, why);
    if (o->ntlm_hop_fails) {
        e.rule = TOKSIM_RULE_IMP_HOP_FAILS;
        conclude(&h, TOKSIM_HOP_FAILED, NULL, TOKSIM_ERROR_ACCESS_DENIED, &e);
    } else {
        e.rule = TOKSIM_RULE_IMP_HOP_NO_DELEGATION;
        conclude(&h, TOKSIM_HOP_ANONYMOUS, NULL, 0, &e);
    }
    return h.st;
}
