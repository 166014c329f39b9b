/*
 * PURPOSE: scenario operations of the web SSO policy server model (toksim/sso.h):
 * sso.directory, sso.domain, sso.realm and sso.policy declare the configuration as steps;
 * sso.login, sso.request, sso.impersonate and sso.impersonate.end are what users do;
 * sso.advance moves the scenario clock (minutes) so idle timeouts are deterministic.
 * A refusal is the step's result: ok false, the refusing sso.* rule in the trace and the
 * summary (no Win32 or HTTP code is invented). Sessions are named with "as" in a
 * namespace of their own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/ops_sso.h"
#include "toksim/sso.h"

struct ts_sso_run {
    toksim_sso *sso;
    char **names; /* session names, index = session number of the model */
    size_t *ids;
    size_t n, cap, capids;
};

void ts_sso_run_free(struct ts_sso_run *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->names[i]);
    free(s->names);
    free(s->ids);
    toksim_sso_free(s->sso);
    free(s);
}

/* The run's policy server, created by its first sso.* step. */
static toksim_status state(toksim_run *run, struct ts_sso_run **out)
{
    if (!run->sso) {
        struct ts_sso_run *s = ts_calloc(1, sizeof *s);
        if (!s)
            return TOKSIM_ENOMEM;
        toksim_status rc = toksim_sso_new(&s->sso, NULL);
        if (rc) {
            free(s);
            return rc;
        }
        run->sso = s;
    }
    *out = run->sso;
    return TOKSIM_OK;
}

static toksim_status
lib_fail(toksim_run *run, toksim_error *err, toksim_status rc, const toksim_error *e)
{
    return ts_run_fail_lib(run, err, rc, e);
}

static const char *const *list_of(const ts_step *st, const char *key, size_t *n)
{
    const ts_param *p = ts_step_param(st, key);
    *n = p ? p->nlist : 0;
    return p ? (const char *const *)p->list : NULL;
}

static int64_t num_of(const ts_step *st, const char *key, int64_t dflt)
{
    const ts_param *p = ts_step_param(st, key);
    return p ? (int64_t)p->num : dflt;
}

/* The run's policy server and the model's number of the session the step names. */
static toksim_status session_of(toksim_run *run,
                                toksim_error *err,
                                const char *name,
                                struct ts_sso_run **sp,
                                size_t *out)
{
    toksim_status rc = state(run, sp);
    if (rc)
        return rc;
    const struct ts_sso_run *s = *sp;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->names[i], name) == 0) {
            *out = s->ids[i];
            return TOKSIM_OK;
        }
    return ts_run_fail(
        run, err, TOKSIM_ENOTFOUND,
        "\"%.60s\" names no SSO session created by an earlier step (\"as\" of "
        "sso.login or sso.impersonate)",
        name);
}

static toksim_status name_free(toksim_run *run,
                               toksim_error *err,
                               const struct ts_sso_run *s,
                               const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->names[i], name) == 0)
            return ts_run_fail(run, err, TOKSIM_EINVAL,
                               "the SSO session name \"%.60s\" is already used", name);
    return TOKSIM_OK;
}

/* Register a session the model created (name checked free by name_free). */
static toksim_status name_session(struct ts_sso_run *s, const char *name, size_t id)
{
    if (!ts_grow((void **)&s->names, &s->cap, s->n + 1, sizeof *s->names) ||
        !ts_grow((void **)&s->ids, &s->capids, s->n + 1, sizeof *s->ids))
        return TOKSIM_ENOMEM;
    if (!(s->names[s->n] = ts_strdup(name)))
        return TOKSIM_ENOMEM;
    s->ids[s->n++] = id;
    return TOKSIM_OK;
}

/* ok, or a refusal named by its rule; the summary says which. */
static void outcome(toksim_run *run,
                    toksim_step_result *r,
                    const toksim_sso_result *res,
                    const char *what)
{
    r->ok = res->ok;
    const toksim_rule_info *ri = toksim_rule_get(res->reason);
    if (res->ok)
        ts_summary(run, "%s (%s)", what, ri->id);
    else
        ts_summary(run, "%s: refused by %s: %s", what, ri->id, ri->summary);
}

/* ---- configuration ---- */

toksim_status ts_op_sso_directory(toksim_run *run,
                                  const ts_step *st,
                                  toksim_step_result *r,
                                  toksim_error *err)
{
    struct ts_sso_run *s;
    toksim_status rc = state(run, &s);
    size_t n;
    const char *const *users = list_of(st, "users", &n);
    const char *name = ts_step_str(st, "name");
    toksim_error e = {0};
    if (rc || (rc = toksim_sso_add_directory(s->sso, name, users, n, &e)))
        return lib_fail(run, err, rc, &e);
    r->ok = true;
    ts_summary(run, "user directory %s holds %zu user%s", name, n, n == 1 ? "" : "s");
    return TOKSIM_OK;
}

toksim_status ts_op_sso_domain(toksim_run *run,
                               const ts_step *st,
                               toksim_step_result *r,
                               toksim_error *err)
{
    struct ts_sso_run *s;
    toksim_status rc = state(run, &s);
    size_t n;
    const char *const *dirs = list_of(st, "directories", &n);
    const char *name = ts_step_str(st, "name");
    toksim_error e = {0};
    if (rc || (rc = toksim_sso_add_domain(s->sso, name, dirs, n, &e)))
        return lib_fail(run, err, rc, &e);
    r->ok = true;
    ts_summary(run, "policy domain %s looks users up in %zu director%s", name, n,
               n == 1 ? "y" : "ies");
    return TOKSIM_OK;
}

toksim_status ts_op_sso_realm(toksim_run *run,
                              const ts_step *st,
                              toksim_step_result *r,
                              toksim_error *err)
{
    struct ts_sso_run *s;
    toksim_status rc = state(run, &s);
    if (rc)
        return rc;
    toksim_sso_realm_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.name = ts_step_str(st, "name");
    cfg.domain = ts_step_str(st, "domain");
    cfg.scheme = ts_step_str(st, "scheme");
    cfg.protection_level = (int)num_of(st, "protection_level", 0);
    cfg.idle_timeout = num_of(st, "idle_timeout", 0);
    const ts_param *imp = ts_step_param(st, "impersonation");
    cfg.impersonation = imp && imp->b;
    toksim_error e = {0};
    if ((rc = toksim_sso_add_realm(s->sso, &cfg, &e)))
        return lib_fail(run, err, rc, &e);
    r->ok = true;
    ts_summary(
        run, "realm %s of %s: %sscheme %s at protection level %d, idle timeout %lld min",
        cfg.name, cfg.domain, cfg.impersonation ? "impersonation " : "",
        cfg.scheme ? cfg.scheme : "(unnamed)", cfg.protection_level,
        (long long)cfg.idle_timeout);
    return TOKSIM_OK;
}

toksim_status ts_op_sso_policy(toksim_run *run,
                               const ts_step *st,
                               toksim_step_result *r,
                               toksim_error *err)
{
    struct ts_sso_run *s;
    toksim_status rc = state(run, &s);
    if (rc)
        return rc;
    toksim_sso_policy_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.name = ts_step_str(st, "name");
    cfg.realm = ts_step_str(st, "realm");
    cfg.users = list_of(st, "users", &cfg.nusers);
    cfg.directories = list_of(st, "directories", &cfg.ndirectories);
    size_t nev;
    const char *const *events = list_of(st, "events", &nev);
    for (size_t i = 0; i < nev; i++) {
        unsigned bit;
        if (toksim_sso_event_parse(&bit, events[i]) != TOKSIM_OK)
            return ts_run_fail(run, err, TOKSIM_EPARSE,
                               "events: \"%.60s\": expected ImpersonateStart or "
                               "ImpersonateStartUser",
                               events[i]);
        cfg.events |= bit;
    }
    toksim_error e = {0};
    if ((rc = toksim_sso_add_policy(s->sso, &cfg, &e)))
        return lib_fail(run, err, rc, &e);
    r->ok = true;
    ts_summary(run, "policy %s binds %zu user%s and %zu director%s to rules of realm %s",
               cfg.name, cfg.nusers, cfg.nusers == 1 ? "" : "s", cfg.ndirectories,
               cfg.ndirectories == 1 ? "y" : "ies", cfg.realm);
    return TOKSIM_OK;
}

/* ---- what users do ---- */

toksim_status ts_op_sso_login(toksim_run *run,
                              const ts_step *st,
                              toksim_step_result *r,
                              toksim_error *err)
{
    struct ts_sso_run *s;
    const char *as = ts_step_str(st, "as"), *user = ts_step_str(st, "user");
    toksim_status rc = state(run, &s);
    if (rc || (rc = name_free(run, err, s, as)))
        return rc;
    toksim_sso_result res;
    toksim_error e = {0};
    if ((rc = toksim_sso_login(s->sso, &res, ts_step_str(st, "realm"), user, &r->trace,
                               &e)))
        return lib_fail(run, err, rc, &e);
    if (res.ok && (rc = name_session(s, as, res.session)))
        return rc;
    char what[256];
    snprintf(what, sizeof what, "%.120s logs in at realm %.60s", user,
             ts_step_str(st, "realm"));
    outcome(run, r, &res, what);
    return TOKSIM_OK;
}

toksim_status ts_op_sso_request(toksim_run *run,
                                const ts_step *st,
                                toksim_step_result *r,
                                toksim_error *err)
{
    struct ts_sso_run *s;
    size_t id;
    const char *name = ts_step_str(st, "session");
    toksim_status rc = session_of(run, err, name, &s, &id);
    if (rc)
        return rc;
    toksim_sso_result res;
    toksim_error e = {0};
    if ((rc = toksim_sso_request(s->sso, &res, id, ts_step_str(st, "realm"), &r->trace,
                                 &e)))
        return lib_fail(run, err, rc, &e);
    char what[256];
    snprintf(what, sizeof what, "session %.60s requests realm %.60s at minute %lld", name,
             ts_step_str(st, "realm"), (long long)toksim_sso_now(s->sso));
    outcome(run, r, &res, what);
    return TOKSIM_OK;
}

toksim_status ts_op_sso_impersonate(toksim_run *run,
                                    const ts_step *st,
                                    toksim_step_result *r,
                                    toksim_error *err)
{
    struct ts_sso_run *s;
    size_t id;
    const char *name = ts_step_str(st, "session"), *as = ts_step_str(st, "as");
    const char *user = ts_step_str(st, "user");
    toksim_status rc = session_of(run, err, name, &s, &id);
    if (rc || (rc = name_free(run, err, s, as)))
        return rc;
    toksim_sso_result res;
    toksim_error e = {0};
    if ((rc = toksim_sso_impersonate(s->sso, &res, id, ts_step_str(st, "realm"), user,
                                     &r->trace, &e)))
        return lib_fail(run, err, rc, &e);
    if (res.ok && (rc = name_session(s, as, res.session)))
        return rc;
    char what[256];
    snprintf(what, sizeof what, "session %.60s impersonates %.120s", name, user);
    outcome(run, r, &res, what);
    return TOKSIM_OK;
}

toksim_status ts_op_sso_impersonate_end(toksim_run *run,
                                        const ts_step *st,
                                        toksim_step_result *r,
                                        toksim_error *err)
{
    struct ts_sso_run *s;
    size_t id;
    const char *name = ts_step_str(st, "session");
    toksim_status rc = session_of(run, err, name, &s, &id);
    if (rc)
        return rc;
    toksim_sso_result res;
    toksim_error e = {0};
    if ((rc = toksim_sso_impersonate_end(s->sso, &res, id, &r->trace, &e)))
        return lib_fail(run, err, rc, &e);
    char what[128];
    snprintf(what, sizeof what, "impersonated session %.60s ends", name);
    outcome(run, r, &res, what);
    return TOKSIM_OK;
}

toksim_status ts_op_sso_advance(toksim_run *run,
                                const ts_step *st,
                                toksim_step_result *r,
                                toksim_error *err)
{
    struct ts_sso_run *s;
    int64_t minutes = num_of(st, "minutes", 0);
    toksim_status rc = state(run, &s);
    if (rc)
        return rc;
    if (minutes < 0)
        return ts_run_fail(
            run, err, TOKSIM_EINVAL,
            "minutes: %lld: expected 0 or more (the clock does not go back)",
            (long long)minutes);
    toksim_sso_advance(s->sso, minutes);
    r->ok = true;
    ts_summary(run, "%lld minute%s pass: the clock reads minute %lld", (long long)minutes,
               minutes == 1 ? "" : "s", (long long)toksim_sso_now(s->sso));
    return TOKSIM_OK;
}
