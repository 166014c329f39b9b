/*
 * PURPOSE: configuration of the web SSO policy server model (toksim/sso.h): user
 * directories, policy domains and the directories they search, realms with their
 * authentication scheme, protection level and idle timeout, and policies binding users
 * to impersonation events; the lookups the decisions in sso.c use. No decision lives
 * here and nothing is traced.
 */
#include <stdlib.h>
#include <string.h>
#include "systems/sso_int.h"

toksim_status toksim_sso_new(toksim_sso **out, const toksim_sso_options *opts)
{
    if (!out)
        return TOKSIM_EINVAL;
    *out = ts_calloc(1, sizeof **out);
    if (!*out)
        return TOKSIM_ENOMEM;
    if (opts)
        (*out)->opt = *opts;
    return TOKSIM_OK;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void toksim_sso_free(toksim_sso *sso)
{
    if (!sso)
        return;
    for (size_t i = 0; i < sso->ndirs; i++) {
        free(sso->dirs[i].name);
        free_strings(sso->dirs[i].dns, sso->dirs[i].ndns);
    }
    for (size_t i = 0; i < sso->ndomains; i++) {
        free(sso->domains[i].name);
        free(sso->domains[i].dirs);
    }
    for (size_t i = 0; i < sso->nrealms; i++) {
        free(sso->realms[i].name);
        free(sso->realms[i].scheme);
    }
    for (size_t i = 0; i < sso->npolicies; i++) {
        free(sso->policies[i].name);
        free_strings(sso->policies[i].users, sso->policies[i].nusers);
        free(sso->policies[i].dirs);
    }
    for (size_t i = 0; i < sso->nsessions; i++) {
        free(sso->sessions[i].user);
        free(sso->sessions[i].imp_dn);
    }
    free(sso->dirs);
    free(sso->domains);
    free(sso->realms);
    free(sso->policies);
    free(sso->sessions);
    free(sso);
}

size_t ts_sso_dir_find(const toksim_sso *sso, const char *name)
{
    for (size_t i = 0; name && i < sso->ndirs; i++)
        if (strcmp(sso->dirs[i].name, name) == 0)
            return i;
    return TS_SSO_NONE;
}

static size_t domain_find(const toksim_sso *sso, const char *name)
{
    for (size_t i = 0; name && i < sso->ndomains; i++)
        if (strcmp(sso->domains[i].name, name) == 0)
            return i;
    return TS_SSO_NONE;
}

size_t ts_sso_realm_find(const toksim_sso *sso, const char *name)
{
    for (size_t i = 0; name && i < sso->nrealms; i++)
        if (strcmp(sso->realms[i].name, name) == 0)
            return i;
    return TS_SSO_NONE;
}

static bool dir_has(const ts_sso_dir *d, const char *dn)
{
    for (size_t i = 0; i < d->ndns; i++)
        if (ts_strcasecmp(d->dns[i], dn) == 0) /* LDAP DNs compare case-insensitively */
            return true;
    return false;
}

size_t ts_sso_domain_lookup(const toksim_sso *sso, size_t domain, const char *dn)
{
    const ts_sso_domain *d = &sso->domains[domain];
    for (size_t i = 0; i < d->ndirs; i++)
        if (dir_has(&sso->dirs[d->dirs[i]], dn))
            return d->dirs[i];
    return TS_SSO_NONE;
}

const ts_sso_policy *ts_sso_binding(
    const toksim_sso *sso, size_t realm, unsigned event, const char *dn, size_t dir)
{
    for (size_t i = 0; i < sso->npolicies; i++) {
        const ts_sso_policy *p = &sso->policies[i];
        if (p->realm != realm || !(p->events & event))
            continue;
        for (size_t u = 0; u < p->nusers; u++)
            if (ts_strcasecmp(p->users[u], dn) == 0)
                return p;
        for (size_t d = 0; d < p->ndirs; d++)
            if (p->dirs[d] == dir)
                return p;
    }
    return NULL;
}

/* ---- building ---- */

static toksim_status need_name(const char *name, const char *what, toksim_error *err)
{
    if (!name || !*name)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "%s: a name is required", what);
    return TOKSIM_OK;
}

static toksim_status taken(const char *what, const char *name, toksim_error *err)
{
    return ts_error_set(err, TOKSIM_EINVAL, 0, "%s \"%.80s\" is already defined", what,
                        name);
}

static toksim_status unknown(const char *what, const char *name, toksim_error *err)
{
    return ts_error_set(err, TOKSIM_ENOTFOUND, 0, "no %s \"%.80s\" is defined", what,
                        name ? name : "(null)");
}

/* Copy n strings; NULL on allocation failure (a count of 0 gives NULL too: check n). */
static char **copy_strings(const char *const *v, size_t n)
{
    char **out = n ? ts_calloc(n, sizeof *out) : NULL;
    for (size_t i = 0; out && i < n; i++)
        if (!(out[i] = ts_strdup(v[i] ? v[i] : ""))) {
            free_strings(out, i);
            return NULL;
        }
    return out;
}

/* Resolve directory names to indexes (*out owned by the caller). */
static toksim_status dir_indexes(const toksim_sso *sso,
                                 const char *const *names,
                                 size_t n,
                                 size_t **out,
                                 toksim_error *err)
{
    *out = NULL;
    if (!n)
        return TOKSIM_OK;
    for (size_t i = 0; i < n; i++)
        if (ts_sso_dir_find(sso, names[i]) == TS_SSO_NONE)
            return unknown("directory", names[i], err);
    if (!(*out = ts_calloc(n, sizeof **out)))
        return TOKSIM_ENOMEM;
    for (size_t i = 0; i < n; i++)
        (*out)[i] = ts_sso_dir_find(sso, names[i]);
    return TOKSIM_OK;
}

toksim_status toksim_sso_add_directory(toksim_sso *sso,
                                       const char *name,
                                       const char *const *dns,
                                       size_t ndns,
                                       toksim_error *err)
{
    toksim_status rc;
    if (!sso || (ndns && !dns))
        return TOKSIM_EINVAL;
    if ((rc = need_name(name, "directory", err)))
        return rc;
    if (ts_sso_dir_find(sso, name) != TS_SSO_NONE)
        return taken("directory", name, err);
    if (!ts_grow((void **)&sso->dirs, &sso->capdirs, sso->ndirs + 1, sizeof *sso->dirs))
        return TOKSIM_ENOMEM;
    ts_sso_dir *d = &sso->dirs[sso->ndirs];
    memset(d, 0, sizeof *d);
    d->name = ts_strdup(name);
    d->dns = copy_strings(dns, ndns);
    if (!d->name || (ndns && !d->dns)) {
        free(d->name);
        return TOKSIM_ENOMEM;
    }
    d->ndns = ndns;
    sso->ndirs++;
    return TOKSIM_OK;
}

toksim_status toksim_sso_add_domain(toksim_sso *sso,
                                    const char *name,
                                    const char *const *directories,
                                    size_t ndirectories,
                                    toksim_error *err)
{
    toksim_status rc;
    if (!sso || (ndirectories && !directories))
        return TOKSIM_EINVAL;
    if ((rc = need_name(name, "policy domain", err)))
        return rc;
    if (domain_find(sso, name) != TS_SSO_NONE)
        return taken("policy domain", name, err);
    size_t *idx;
    if ((rc = dir_indexes(sso, directories, ndirectories, &idx, err)))
        return rc;
    if (!ts_grow((void **)&sso->domains, &sso->capdomains, sso->ndomains + 1,
                 sizeof *sso->domains)) {
        free(idx);
        return TOKSIM_ENOMEM;
    }
    ts_sso_domain *d = &sso->domains[sso->ndomains];
    if (!(d->name = ts_strdup(name))) {
        free(idx);
        return TOKSIM_ENOMEM;
    }
    d->dirs = idx;
    d->ndirs = ndirectories;
    sso->ndomains++;
    return TOKSIM_OK;
}

toksim_status toksim_sso_add_realm(toksim_sso *sso,
                                   const toksim_sso_realm_config *cfg,
                                   toksim_error *err)
{
    toksim_status rc;
    if (!sso || !cfg)
        return TOKSIM_EINVAL;
    if ((rc = need_name(cfg->name, "realm", err)))
        return rc;
    if (ts_sso_realm_find(sso, cfg->name) != TS_SSO_NONE)
        return taken("realm", cfg->name, err);
    size_t dom = domain_find(sso, cfg->domain);
    if (dom == TS_SSO_NONE)
        return unknown("policy domain", cfg->domain, err);
    if (cfg->protection_level < 0 || cfg->idle_timeout < 0)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "realm \"%.80s\": protection level and idle timeout must not "
                            "be negative",
                            cfg->name);
    if (!ts_grow((void **)&sso->realms, &sso->caprealms, sso->nrealms + 1,
                 sizeof *sso->realms))
        return TOKSIM_ENOMEM;
    ts_sso_realm *r = &sso->realms[sso->nrealms];
    memset(r, 0, sizeof *r);
    r->name = ts_strdup(cfg->name);
    r->scheme = ts_strdup(cfg->scheme ? cfg->scheme : "");
    if (!r->name || !r->scheme) {
        free(r->name);
        free(r->scheme);
        return TOKSIM_ENOMEM;
    }
    r->domain = dom;
    r->level = cfg->protection_level;
    r->impersonation = cfg->impersonation;
    r->idle_timeout = cfg->idle_timeout;
    sso->nrealms++;
    return TOKSIM_OK;
}

toksim_status toksim_sso_add_policy(toksim_sso *sso,
                                    const toksim_sso_policy_config *cfg,
                                    toksim_error *err)
{
    toksim_status rc;
    if (!sso || !cfg || (cfg->nusers && !cfg->users) ||
        (cfg->ndirectories && !cfg->directories))
        return TOKSIM_EINVAL;
    if ((rc = need_name(cfg->name, "policy", err)))
        return rc;
    for (size_t i = 0; i < sso->npolicies; i++)
        if (strcmp(sso->policies[i].name, cfg->name) == 0)
            return taken("policy", cfg->name, err);
    size_t realm = ts_sso_realm_find(sso, cfg->realm);
    if (realm == TS_SSO_NONE)
        return unknown("realm", cfg->realm, err);
    size_t *idx;
    if ((rc = dir_indexes(sso, cfg->directories, cfg->ndirectories, &idx, err)))
        return rc;
    if (!ts_grow((void **)&sso->policies, &sso->cappolicies, sso->npolicies + 1,
                 sizeof *sso->policies)) {
        free(idx);
        return TOKSIM_ENOMEM;
    }
    ts_sso_policy *p = &sso->policies[sso->npolicies];
    memset(p, 0, sizeof *p);
    p->name = ts_strdup(cfg->name);
    p->users = copy_strings(cfg->users, cfg->nusers);
    if (!p->name || (cfg->nusers && !p->users)) {
        free(p->name);
        free(idx);
        return TOKSIM_ENOMEM;
    }
    p->nusers = cfg->nusers;
    p->dirs = idx;
    p->ndirs = cfg->ndirectories;
    p->realm = realm;
    p->events = cfg->events;
    sso->npolicies++;
    return TOKSIM_OK;
}

toksim_status toksim_sso_event_parse(unsigned *out, const char *name)
{
    if (!out || !name)
        return TOKSIM_EINVAL;
    if (ts_strcasecmp(name, "ImpersonateStart") == 0)
        *out = TOKSIM_SSO_EVENT_IMPERSONATE_START;
    else if (ts_strcasecmp(name, "ImpersonateStartUser") == 0)
        *out = TOKSIM_SSO_EVENT_IMPERSONATE_START_USER;
    else
        return TOKSIM_ENOTFOUND;
    return TOKSIM_OK;
}

void toksim_sso_advance(toksim_sso *sso, int64_t minutes)
{
    if (sso && minutes > 0)
        sso->now += minutes;
}

int64_t toksim_sso_now(const toksim_sso *sso)
{
    return sso ? sso->now : 0;
}

bool toksim_sso_session_get(const toksim_sso *sso,
                            size_t session,
                            toksim_sso_session_info *out)
{
    if (!sso || !out || session >= sso->nsessions)
        return false;
    const ts_sso_session *s = &sso->sessions[session];
    memset(out, 0, sizeof *out);
    out->user_dn = s->user;
    out->directory = sso->dirs[s->dir].name;
    out->realm = sso->realms[s->realm].name;
    out->protection_level = s->level;
    out->idle_timeout = s->idle_timeout;
    out->last_activity = s->last;
    out->ended = s->ended;
    out->impersonated = s->impersonated;
    if (s->impersonated) {
        out->impersonator_dn = s->imp_dn;
        out->impersonator_directory = sso->dirs[s->imp_dir].name;
        out->original = s->original;
    }
    return true;
}
