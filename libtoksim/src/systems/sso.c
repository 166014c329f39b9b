/*
 * PURPOSE: decisions of the web SSO policy server model (toksim/sso.h): login at a realm,
 * a request to a realm (idle timeouts, protection levels), the start of an impersonation
 * (chaining ban, impersonatee lookup in the policy domain's directories, the
 * ImpersonateStart and ImpersonateStartUser bindings) and its end. Each decision is
 * traced with an sso.* rule; the source of every rule is the seed "Security
 * Considerations for Impersonation" (docs/systems.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "systems/sso_int.h"
#include "systems/sys_int.h"

static toksim_status ev(toksim_trace *t,
                        toksim_rule rule,
                        toksim_verdict v,
                        const char *text,
                        int64_t a,
                        int64_t b)
{
    ts_sys_ev e;
    memset(&e, 0, sizeof e);
    e.text = text;
    e.a = a;
    e.b = b;
    return ts_sys_trace(t, rule, v, &e);
}

static void result(toksim_sso_result *res, bool ok, toksim_rule reason)
{
    res->ok = ok;
    res->reason = reason;
}

static toksim_status
need_realm(const toksim_sso *sso, const char *name, size_t *out, toksim_error *err)
{
    *out = ts_sso_realm_find(sso, name);
    if (*out == TS_SSO_NONE)
        return ts_error_set(err, TOKSIM_ENOTFOUND, 0, "no realm \"%.80s\" is defined",
                            name ? name : "(null)");
    return TOKSIM_OK;
}

static toksim_status
need_session(const toksim_sso *sso, size_t session, toksim_error *err)
{
    if (session >= sso->nsessions)
        return ts_error_set(err, TOKSIM_ENOTFOUND, 0, "no session %zu", session);
    return TOKSIM_OK;
}

static toksim_status
new_session(toksim_sso *sso, const char *dn, size_t dir, size_t realm, size_t *out)
{
    if (!ts_grow((void **)&sso->sessions, &sso->capsessions, sso->nsessions + 1,
                 sizeof *sso->sessions))
        return TOKSIM_ENOMEM;
    ts_sso_session *s = &sso->sessions[sso->nsessions];
    memset(s, 0, sizeof *s);
    if (!(s->user = ts_strdup(dn)))
        return TOKSIM_ENOMEM;
    s->dir = dir;
    s->realm = realm;
    s->level = sso->realms[realm].level;
    s->idle_timeout = sso->realms[realm].idle_timeout; /* of the realm authenticated in */
    s->last = sso->now;
    s->imp_dir = TS_SSO_NONE;
    s->original = TS_SSO_NONE;
    *out = sso->nsessions++;
    return TOKSIM_OK;
}

/* The idle-timeout test of one session; ends it (traced) when it has idled out. */
static toksim_status
idle_out(toksim_sso *sso, ts_sso_session *s, toksim_trace *t, bool *out)
{
    int64_t idle = sso->now - s->last;
    *out = false;
    if (s->ended || s->idle_timeout <= 0 || idle <= s->idle_timeout)
        return TOKSIM_OK;
    s->ended = true;
    *out = true;
    return ev(t, TOKSIM_RULE_SSO_SESSION_IDLE_TIMEOUT, TOKSIM_V_DENY, s->user, idle,
              s->idle_timeout);
}

/*
 * Is the session still valid? An ended session stays ended; an impersonated session ends
 * with the impersonator's original session ("the impersonation session ends with the
 * original session of the impersonator"), then by its own idle timeout.
 */
static toksim_status
validate(toksim_sso *sso, size_t idx, toksim_trace *t, toksim_rule *why)
{
    ts_sso_session *s = &sso->sessions[idx];
    toksim_status rc;
    bool out;
    *why = TOKSIM_RULE_NONE;
    if (s->ended) {
        *why = TOKSIM_RULE_SSO_SESSION_ENDED;
        return ev(t, *why, TOKSIM_V_DENY, s->user, 0, 0);
    }
    if (s->impersonated) {
        ts_sso_session *o = &sso->sessions[s->original];
        bool was_ended = o->ended;
        if ((rc = idle_out(sso, o, t, &out)))
            return rc;
        if (was_ended || out) {
            s->ended = true;
            *why = TOKSIM_RULE_SSO_IMP_ENDED_WITH_ORIGINAL;
            return ev(t, *why, TOKSIM_V_DENY, s->imp_dn, 0, 0);
        }
    }
    if ((rc = idle_out(sso, s, t, &out)))
        return rc;
    if (out)
        *why = TOKSIM_RULE_SSO_SESSION_IDLE_TIMEOUT;
    return TOKSIM_OK;
}

/* Activity on a session; on an impersonated one, the original only under the switch. */
static void touch(toksim_sso *sso, ts_sso_session *s)
{
    s->last = sso->now;
    if (s->impersonated && sso->opt.impersonated_activity_refreshes_original)
        sso->sessions[s->original].last = sso->now;
}

toksim_status toksim_sso_login(toksim_sso *sso,
                               toksim_sso_result *res,
                               const char *realm,
                               const char *user_dn,
                               toksim_trace *trace,
                               toksim_error *err)
{
    if (!sso || !res || !user_dn)
        return TOKSIM_EINVAL;
    memset(res, 0, sizeof *res);
    res->session = TS_SSO_NONE;
    size_t ri;
    toksim_status rc = need_realm(sso, realm, &ri, err);
    if (rc)
        return rc;
    const ts_sso_realm *r = &sso->realms[ri];
    size_t dir = ts_sso_domain_lookup(sso, r->domain, user_dn);
    if (dir == TS_SSO_NONE) {
        result(res, false, TOKSIM_RULE_SSO_LOGIN_USER_NOT_FOUND);
        return ev(trace, res->reason, TOKSIM_V_DENY, user_dn, 0, 0);
    }
    if ((rc = new_session(sso, user_dn, dir, ri, &res->session)))
        return rc;
    result(res, true, TOKSIM_RULE_SSO_LOGIN_AUTHENTICATED);
    return ev(trace, res->reason, TOKSIM_V_GRANT, sso->dirs[dir].name, r->level,
              r->idle_timeout);
}

toksim_status toksim_sso_request(toksim_sso *sso,
                                 toksim_sso_result *res,
                                 size_t session,
                                 const char *realm,
                                 toksim_trace *trace,
                                 toksim_error *err)
{
    if (!sso || !res)
        return TOKSIM_EINVAL;
    memset(res, 0, sizeof *res);
    res->session = session;
    size_t ri;
    toksim_status rc = need_realm(sso, realm, &ri, err);
    if (rc || (rc = need_session(sso, session, err)))
        return rc;
    toksim_rule why;
    if ((rc = validate(sso, session, trace, &why)))
        return rc;
    if (why) {
        result(res, false, why);
        return TOKSIM_OK;
    }
    ts_sso_session *s = &sso->sessions[session];
    int need = sso->realms[ri].level;
    if (s->impersonated) {
        /* "The protection level at which an impersonator originally authenticated is
         * not checked during impersonation." */
        int orig = sso->sessions[s->original].level;
        result(res, true, TOKSIM_RULE_SSO_IMP_LEVEL_NOT_CHECKED);
        rc = ev(trace, res->reason, TOKSIM_V_SKIP, NULL, need, orig);
    } else if (need > s->level) {
        result(res, false, TOKSIM_RULE_SSO_PROTECTION_LEVEL_CHALLENGE);
        return ev(trace, res->reason, TOKSIM_V_DENY, NULL, need, s->level);
    } else {
        result(res, true, TOKSIM_RULE_SSO_PROTECTION_LEVEL_SSO);
        rc = ev(trace, res->reason, TOKSIM_V_GRANT, NULL, need, s->level);
    }
    touch(sso, s);
    return rc;
}

/* Both bindings: the impersonator to ImpersonateStart, the impersonatee to
 * ImpersonateStartUser, each by a policy of the impersonation realm. */
static toksim_status bindings(toksim_sso *sso,
                              size_t realm,
                              const ts_sso_session *imp,
                              const char *dn,
                              size_t dir,
                              toksim_trace *t,
                              toksim_rule *why)
{
    static const struct {
        unsigned event;
        toksim_rule missing;
    } need[] = {
        {TOKSIM_SSO_EVENT_IMPERSONATE_START, TOKSIM_RULE_SSO_IMP_START_NOT_BOUND},
        {TOKSIM_SSO_EVENT_IMPERSONATE_START_USER,
         TOKSIM_RULE_SSO_IMP_START_USER_NOT_BOUND},
    };
    *why = TOKSIM_RULE_NONE;
    for (size_t i = 0; i < 2; i++) {
        const char *who = i == 0 ? imp->user : dn;
        const ts_sso_policy *p =
            ts_sso_binding(sso, realm, need[i].event, who, i == 0 ? imp->dir : dir);
        if (!p) {
            *why = need[i].missing;
            return ev(t, *why, TOKSIM_V_DENY, who, 0, 0);
        }
        char text[TOKSIM_TRACE_TEXT_SIZE];
        snprintf(text, sizeof text, "%.60s (%s)", p->name,
                 i == 0 ? "ImpersonateStart" : "ImpersonateStartUser");
        toksim_status rc =
            ev(t, TOKSIM_RULE_SSO_IMP_BOUND, TOKSIM_V_GRANT, text, need[i].event, 0);
        if (rc)
            return rc;
    }
    return TOKSIM_OK;
}

toksim_status toksim_sso_impersonate(toksim_sso *sso,
                                     toksim_sso_result *res,
                                     size_t session,
                                     const char *realm,
                                     const char *user_dn,
                                     toksim_trace *trace,
                                     toksim_error *err)
{
    if (!sso || !res || !user_dn)
        return TOKSIM_EINVAL;
    memset(res, 0, sizeof *res);
    res->session = TS_SSO_NONE;
    size_t ri;
    toksim_status rc = need_realm(sso, realm, &ri, err);
    if (rc || (rc = need_session(sso, session, err)))
        return rc;
    const ts_sso_realm *r = &sso->realms[ri];
    if (!r->impersonation)
        return ts_error_set(
            err, TOKSIM_EINVAL, 0,
            "realm \"%.80s\" is not protected by an impersonation scheme: "
            "it cannot begin impersonations",
            r->name);
    /* the impersonation scheme verifies that the impersonator's current session is valid
     */
    toksim_rule why;
    if ((rc = validate(sso, session, trace, &why)))
        return rc;
    if (why) {
        result(res, false, why);
        return TOKSIM_OK;
    }
    ts_sso_session *s = &sso->sessions[session];
    if (s->impersonated) { /* impersonator DN and directory in use: no chaining */
        result(res, false, TOKSIM_RULE_SSO_IMP_CHAINING);
        return ev(trace, res->reason, TOKSIM_V_DENY, s->imp_dn, 0, 0);
    }
    s->last = sso->now; /* the request to the impersonation realm is activity */
    size_t dir = ts_sso_domain_lookup(sso, r->domain, user_dn);
    if (dir == TS_SSO_NONE) {
        result(res, false, TOKSIM_RULE_SSO_IMP_USER_NOT_FOUND);
        return ev(trace, res->reason, TOKSIM_V_DENY, user_dn, 0, 0);
    }
    if ((rc = ev(trace, TOKSIM_RULE_SSO_IMP_USER_FOUND, TOKSIM_V_INFO,
                 sso->dirs[dir].name, 0, 0)) ||
        (rc = bindings(sso, ri, s, user_dn, dir, trace, &why)))
        return rc;
    if (why) {
        result(res, false, why);
        return TOKSIM_OK;
    }
    size_t idx;
    if ((rc = new_session(sso, user_dn, dir, ri, &idx)))
        return rc;
    s = &sso->sessions[session]; /* the array may have moved */
    ts_sso_session *n = &sso->sessions[idx];
    if (!(n->imp_dn = ts_strdup(s->user)))
        return TOKSIM_ENOMEM;
    n->impersonated = true;
    n->imp_dir = s->dir;
    n->original = session;
    res->session = idx;
    result(res, true, TOKSIM_RULE_SSO_IMP_STARTED);
    return ev(trace, res->reason, TOKSIM_V_GRANT, s->user, 0, 0);
}

toksim_status toksim_sso_impersonate_end(toksim_sso *sso,
                                         toksim_sso_result *res,
                                         size_t session,
                                         toksim_trace *trace,
                                         toksim_error *err)
{
    if (!sso || !res)
        return TOKSIM_EINVAL;
    memset(res, 0, sizeof *res);
    res->session = session;
    toksim_status rc = need_session(sso, session, err);
    if (rc)
        return rc;
    ts_sso_session *s = &sso->sessions[session];
    if (!s->impersonated)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "the session of %.80s is not an impersonated session",
                            s->user);
    if (s->ended) {
        result(res, false, TOKSIM_RULE_SSO_SESSION_ENDED);
        return ev(trace, res->reason, TOKSIM_V_DENY, s->user, 0, 0);
    }
    s->ended = true;
    result(res, true, TOKSIM_RULE_SSO_IMP_ENDED);
    return ev(trace, res->reason, TOKSIM_V_CHANGE, s->user, 0, 0);
}
