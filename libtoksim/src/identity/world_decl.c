/*
 * PURPOSE: what a world declares besides accounts (issue 18): IIS application pools and
 * Windows services, stored as plain data for the systems layer (WAS and the SCM build
 * their worker / service tokens from it, iis.h / scm.h). Each declared name is registered
 * as a virtual account (IIS APPPOOL\pool, NT SERVICE\svc) so its SID displays by name.
 * Also the joined domain's trusts, the accounts of trusted domains and the computer
 * object's security descriptor that selective authentication checks (trust.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "identity/identity_int.h"

typedef struct ts_pool_rec {
    toksim_world_pool p; /* strings point into the owned copies below */
    char *name, *identity, *user, *password;
} ts_pool_rec;

typedef struct ts_service_rec {
    toksim_world_service s;
    char *name, *account, *password, *sid_type;
    uint32_t *privs;
} ts_service_rec;

typedef struct ts_trust_rec {
    toksim_world_trust t;
    char *name;
    uint32_t next_rid; /* next free RID for its accounts (1100 and up) */
} ts_trust_rec;

struct ts_world_decls {
    ts_pool_rec *pools;
    size_t npools, cappools;
    ts_service_rec *services;
    size_t nservices, capservices;
    ts_trust_rec *trusts;
    size_t ntrusts, captrusts;
    toksim_sd *computer_sd;
};

static void pool_rec_free(ts_pool_rec *r)
{
    free(r->name);
    free(r->identity);
    free(r->user);
    free(r->password);
}

static void service_rec_free(ts_service_rec *r)
{
    free(r->name);
    free(r->account);
    free(r->password);
    free(r->sid_type);
    free(r->privs);
}

void ts_world_decls_free(struct ts_world_decls *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->npools; i++)
        pool_rec_free(&d->pools[i]);
    for (size_t i = 0; i < d->nservices; i++)
        service_rec_free(&d->services[i]);
    for (size_t i = 0; i < d->ntrusts; i++)
        free(d->trusts[i].name);
    free(d->pools);
    free(d->services);
    free(d->trusts);
    toksim_sd_free(d->computer_sd);
    free(d);
}

static struct ts_world_decls *decls_of(toksim_world *w)
{
    struct ts_world_decls **slot = ts_world_decls_slot(w);
    if (!*slot)
        *slot = calloc(1, sizeof **slot);
    return *slot;
}

/* NULL stays NULL; false when a copy could not be made. */
static bool dup_opt(char **out, const char *s)
{
    *out = s ? ts_strdup(s) : NULL;
    return !s || *out;
}

toksim_status ts_world_decls_copy(struct ts_world_decls **out,
                                  const struct ts_world_decls *src)
{
    *out = NULL;
    if (!src)
        return TOKSIM_OK;
    struct ts_world_decls *d = calloc(1, sizeof *d);
    if (!d)
        return TOKSIM_ENOMEM;
    bool ok = (!src->npools || (d->pools = calloc(src->npools, sizeof *d->pools))) &&
              (!src->nservices ||
               (d->services = calloc(src->nservices, sizeof *d->services))) &&
              (!src->ntrusts || (d->trusts = calloc(src->ntrusts, sizeof *d->trusts)));
    d->cappools = src->npools;
    d->capservices = src->nservices;
    d->captrusts = src->ntrusts;
    for (; ok && d->npools < src->npools; d->npools++) {
        const ts_pool_rec *f = &src->pools[d->npools];
        ts_pool_rec *r = &d->pools[d->npools];
        ok = dup_opt(&r->name, f->name) && dup_opt(&r->identity, f->identity) &&
             dup_opt(&r->user, f->user) && dup_opt(&r->password, f->password);
        r->p = f->p;
        r->p.name = r->name;
        r->p.identity = r->identity;
        r->p.user = r->user;
        r->p.password = r->password;
    }
    for (; ok && d->nservices < src->nservices; d->nservices++) {
        const ts_service_rec *f = &src->services[d->nservices];
        ts_service_rec *r = &d->services[d->nservices];
        size_t np = f->s.required_privilege_count;
        if (np && (r->privs = malloc(np * sizeof *r->privs)))
            memcpy(r->privs, f->privs, np * sizeof *r->privs);
        ok = (!np || r->privs) && dup_opt(&r->name, f->name) &&
             dup_opt(&r->account, f->account) && dup_opt(&r->password, f->password) &&
             dup_opt(&r->sid_type, f->sid_type);
        r->s = f->s;
        r->s.name = r->name;
        r->s.account = r->account;
        r->s.password = r->password;
        r->s.sid_type = r->sid_type;
        r->s.required_privileges = r->privs;
    }
    for (; ok && d->ntrusts < src->ntrusts; d->ntrusts++) {
        const ts_trust_rec *f = &src->trusts[d->ntrusts];
        ts_trust_rec *r = &d->trusts[d->ntrusts];
        *r = *f;
        ok = dup_opt(&r->name, f->name);
        r->t.name = r->name;
    }
    if (ok && src->computer_sd && toksim_sd_copy(&d->computer_sd, src->computer_sd))
        ok = false;
    if (!ok) { /* the record that failed is counted: its copies so far are freed too */
        ts_world_decls_free(d);
        return TOKSIM_ENOMEM;
    }
    *out = d;
    return TOKSIM_OK;
}

const char *ts_world_decls_same_name(const struct ts_world_decls *from,
                                     const struct ts_world_decls *to,
                                     const char *name)
{
    for (size_t i = 0; from && to && i < from->ntrusts && i < to->ntrusts; i++)
        if (from->trusts[i].name == name)
            return to->trusts[i].name;
    return name;
}

/* "IIS APPPOOL\x" -> "x" when the prefix matches (case-insensitive). */
static const char *strip_prefix(const char *name, const char *prefix)
{
    size_t pl = strlen(prefix);
    return ts_strncasecmp(name, prefix, pl) == 0 ? name + pl : name;
}

/* Register the virtual account of a declared name (its SID then displays by name). */
static toksim_status
register_virtual(toksim_world *w, const char *prefix, const char *name, toksim_error *err)
{
    char q[TOKSIM_WORLD_MAX_NAME + 32];
    snprintf(q, sizeof q, "%s%s", prefix, name);
    return toksim_world_add_virtual(w, q, NULL, err);
}

static toksim_status check_name(const char *what, const char *name, toksim_error *err)
{
    if (!name || !*name)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "a declared %s needs a name", what);
    if (strlen(name) > TOKSIM_WORLD_MAX_NAME)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "%s name longer than %u characters",
                            what, TOKSIM_WORLD_MAX_NAME);
    return TOKSIM_OK;
}

toksim_status
toksim_world_add_pool(toksim_world *w, const toksim_world_pool *spec, toksim_error *err)
{
    if (!w || !spec)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "add pool: no world or pool");
    toksim_status rc = check_name("application pool", spec->name, err);
    if (rc != TOKSIM_OK)
        return rc;
    if (toksim_world_pool_count(w) >= TOKSIM_WORLD_MAX_DECLARED)
        return ts_error_set(err, TOKSIM_ELIMIT, 0,
                            "more than %u application pools (TOKSIM_WORLD_MAX_DECLARED)",
                            TOKSIM_WORLD_MAX_DECLARED);
    if (toksim_world_find_pool(w, spec->name))
        return ts_error_set(err, TOKSIM_EINVAL, 0, "application pool '%s' declared twice",
                            spec->name);
    rc = register_virtual(w, "IIS APPPOOL\\", spec->name, err);
    if (rc != TOKSIM_OK)
        return rc;
    struct ts_world_decls *d = decls_of(w);
    if (!d || !ts_grow((void **)&d->pools, &d->cappools, d->npools + 1, sizeof *d->pools))
        return ts_error_set(err, TOKSIM_ENOMEM, 0, "out of memory");
    ts_pool_rec *r = &d->pools[d->npools];
    memset(r, 0, sizeof *r);
    if (!dup_opt(&r->name, spec->name) || !dup_opt(&r->identity, spec->identity) ||
        !dup_opt(&r->user, spec->user) || !dup_opt(&r->password, spec->password)) {
        pool_rec_free(r);
        return ts_error_set(err, TOKSIM_ENOMEM, 0, "out of memory");
    }
    r->p = *spec;
    r->p.name = r->name;
    r->p.identity = r->identity;
    r->p.user = r->user;
    r->p.password = r->password;
    d->npools++;
    return TOKSIM_OK;
}

toksim_status toksim_world_add_service(toksim_world *w,
                                       const toksim_world_service *spec,
                                       toksim_error *err)
{
    if (!w || !spec)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "add service: no world or service");
    toksim_status rc = check_name("service", spec->name, err);
    if (rc != TOKSIM_OK)
        return rc;
    if (toksim_world_service_count(w) >= TOKSIM_WORLD_MAX_DECLARED)
        return ts_error_set(err, TOKSIM_ELIMIT, 0,
                            "more than %u services (TOKSIM_WORLD_MAX_DECLARED)",
                            TOKSIM_WORLD_MAX_DECLARED);
    if (toksim_world_find_service(w, spec->name))
        return ts_error_set(err, TOKSIM_EINVAL, 0, "service '%s' declared twice",
                            spec->name);
    if (spec->required_privilege_count > TOKSIM_WORLD_MAX_REQUIRED_PRIVILEGES ||
        (spec->required_privilege_count && !spec->required_privileges))
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "service '%s': at most %u required privileges", spec->name,
                            TOKSIM_WORLD_MAX_REQUIRED_PRIVILEGES);
    rc = register_virtual(w, "NT SERVICE\\", spec->name, err);
    if (rc != TOKSIM_OK)
        return rc;
    struct ts_world_decls *d = decls_of(w);
    if (!d || !ts_grow((void **)&d->services, &d->capservices, d->nservices + 1,
                       sizeof *d->services))
        return ts_error_set(err, TOKSIM_ENOMEM, 0, "out of memory");
    ts_service_rec *r = &d->services[d->nservices];
    memset(r, 0, sizeof *r);
    size_t np = spec->required_privilege_count;
    if (np) {
        r->privs = malloc(np * sizeof *r->privs);
        if (r->privs)
            memcpy(r->privs, spec->required_privileges, np * sizeof *r->privs);
    }
    if ((np && !r->privs) || !dup_opt(&r->name, spec->name) ||
        !dup_opt(&r->account, spec->account) || !dup_opt(&r->password, spec->password) ||
        !dup_opt(&r->sid_type, spec->sid_type)) {
        service_rec_free(r);
        return ts_error_set(err, TOKSIM_ENOMEM, 0, "out of memory");
    }
    r->s = *spec;
    r->s.name = r->name;
    r->s.account = r->account;
    r->s.password = r->password;
    r->s.sid_type = r->sid_type;
    r->s.required_privileges = r->privs;
    d->nservices++;
    return TOKSIM_OK;
}

size_t toksim_world_pool_count(const toksim_world *w)
{
    const struct ts_world_decls *d = w ? ts_world_decls_get(w) : NULL;
    return d ? d->npools : 0;
}

const toksim_world_pool *toksim_world_pool_at(const toksim_world *w, size_t i)
{
    const struct ts_world_decls *d = w ? ts_world_decls_get(w) : NULL;
    return d && i < d->npools ? &d->pools[i].p : NULL;
}

size_t toksim_world_service_count(const toksim_world *w)
{
    const struct ts_world_decls *d = w ? ts_world_decls_get(w) : NULL;
    return d ? d->nservices : 0;
}

const toksim_world_service *toksim_world_service_at(const toksim_world *w, size_t i)
{
    const struct ts_world_decls *d = w ? ts_world_decls_get(w) : NULL;
    return d && i < d->nservices ? &d->services[i].s : NULL;
}

const toksim_world_pool *toksim_world_find_pool(const toksim_world *w, const char *name)
{
    if (!w || !name)
        return NULL;
    const char *n = strip_prefix(name, "IIS APPPOOL\\");
    for (size_t i = 0; i < toksim_world_pool_count(w); i++)
        if (ts_strcasecmp(toksim_world_pool_at(w, i)->name, n) == 0)
            return toksim_world_pool_at(w, i);
    return NULL;
}

const toksim_world_service *toksim_world_find_service(const toksim_world *w,
                                                      const char *name)
{
    if (!w || !name)
        return NULL;
    const char *n = strip_prefix(name, "NT SERVICE\\");
    for (size_t i = 0; i < toksim_world_service_count(w); i++)
        if (ts_strcasecmp(toksim_world_service_at(w, i)->name, n) == 0)
            return toksim_world_service_at(w, i);
    return NULL;
}

/* ---- trusts (issue 18) ---- */

static ts_trust_rec *find_trust_rec(const toksim_world *w, const char *name)
{
    struct ts_world_decls *d = (struct ts_world_decls *)ts_world_decls_get(w);
    for (size_t i = 0; d && name && i < d->ntrusts; i++)
        if (ts_strcasecmp(d->trusts[i].name, name) == 0)
            return &d->trusts[i];
    return NULL;
}

toksim_status
toksim_world_add_trust(toksim_world *w, const toksim_world_trust *spec, toksim_error *err)
{
    if (!w || !spec)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "add trust: no world or trust");
    toksim_status rc = check_name("trusted domain", spec->name, err);
    if (rc != TOKSIM_OK)
        return rc;
    if (strchr(spec->name, '\\'))
        return ts_error_set(err, TOKSIM_EINVAL, 0, "trust '%s': a NetBIOS domain name",
                            spec->name);
    const char *dom = toksim_world_domain_name(w);
    if (!dom)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "trust '%s': only a joined machine's domain has trusts",
                            spec->name);
    if (spec->direction < TOKSIM_TRUST_INBOUND ||
        spec->direction > TOKSIM_TRUST_BIDIRECTIONAL)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "trust '%s': bad direction %d",
                            spec->name, (int)spec->direction);
    const toksim_sid *s = &spec->sid;
    if (toksim_sid_authority(s) != 5 || s->count != 4 || s->sub[0] != 21)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "trust '%s': a domain SID is S-1-5-21-x-y-z", spec->name);
    if (toksim_sid_equal(s, toksim_world_domain_sid(w)) ||
        toksim_sid_equal(s, toksim_world_machine_sid(w)) ||
        ts_strcasecmp(spec->name, dom) == 0 ||
        ts_strcasecmp(spec->name, toksim_world_machine_name(w)) == 0)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "trust '%s': that is this machine or its own domain",
                            spec->name);
    if (toksim_world_trust_count(w) >= TOKSIM_WORLD_MAX_DECLARED)
        return ts_error_set(err, TOKSIM_ELIMIT, 0,
                            "more than %u trusts (TOKSIM_WORLD_MAX_DECLARED)",
                            TOKSIM_WORLD_MAX_DECLARED);
    for (size_t i = 0; i < toksim_world_trust_count(w); i++) {
        const toksim_world_trust *t = toksim_world_trust_at(w, i);
        if (ts_strcasecmp(t->name, spec->name) == 0 || toksim_sid_equal(&t->sid, s))
            return ts_error_set(err, TOKSIM_EINVAL, 0, "trust '%s' declared twice",
                                spec->name);
    }
    struct ts_world_decls *d = decls_of(w);
    if (!d ||
        !ts_grow((void **)&d->trusts, &d->captrusts, d->ntrusts + 1, sizeof *d->trusts))
        return ts_error_set(err, TOKSIM_ENOMEM, 0, "out of memory");
    ts_trust_rec *r = &d->trusts[d->ntrusts];
    memset(r, 0, sizeof *r);
    if (!dup_opt(&r->name, spec->name))
        return ts_error_set(err, TOKSIM_ENOMEM, 0, "out of memory");
    r->t = *spec;
    r->t.name = r->name;
    r->next_rid = 1100;
    d->ntrusts++;
    /* the other domain's Domain Users: the primary group of its users (MS-ADTS) */
    toksim_account du;
    memset(&du, 0, sizeof du);
    du.name = "Domain Users";
    du.kind = TOKSIM_ACCOUNT_GROUP;
    du.rid = 513;
    return toksim_world_add_trusted_account(w, r->name, &du, NULL, err);
}

toksim_status toksim_world_add_trusted_account(toksim_world *w,
                                               const char *trust_name,
                                               const toksim_account *spec,
                                               toksim_sid *out_sid,
                                               toksim_error *err)
{
    if (!w || !spec)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "add account: no world or account");
    ts_trust_rec *r = find_trust_rec(w, trust_name);
    if (!r)
        return ts_error_set(err, TOKSIM_ENOTFOUND, 0, "no trust with '%s'",
                            trust_name ? trust_name : "(null)");
    if (!spec->name || !*spec->name || strlen(spec->name) > TOKSIM_WORLD_MAX_NAME ||
        strchr(spec->name, '\\'))
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "an account needs a non-empty name of at most %u bytes "
                            "without '\\'",
                            TOKSIM_WORLD_MAX_NAME);
    if (spec->kind != TOKSIM_ACCOUNT_USER && spec->kind != TOKSIM_ACCOUNT_GROUP)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "account '%s': a trusted domain holds users and groups",
                            spec->name);
    toksim_sid sid;
    toksim_account probe;
    if (spec->rid) {
        sid = ts_sid_rel(&r->t.sid, spec->rid);
    } else {
        do
            sid = ts_sid_rel(&r->t.sid, r->next_rid++);
        while (toksim_world_lookup_sid(w, &sid, &probe));
    }
    toksim_status rc = ts_world_add_foreign(w, r->name, spec, &sid, err);
    if (rc == TOKSIM_OK && spec->kind == TOKSIM_ACCOUNT_USER) {
        toksim_sid du = ts_sid_rel(&r->t.sid, 513);
        rc = toksim_world_add_member(w, &du, &sid, err);
    }
    if (rc == TOKSIM_OK && out_sid)
        *out_sid = sid;
    return rc;
}

size_t toksim_world_trust_count(const toksim_world *w)
{
    const struct ts_world_decls *d = w ? ts_world_decls_get(w) : NULL;
    return d ? d->ntrusts : 0;
}

const toksim_world_trust *toksim_world_trust_at(const toksim_world *w, size_t i)
{
    const struct ts_world_decls *d = w ? ts_world_decls_get(w) : NULL;
    return d && i < d->ntrusts ? &d->trusts[i].t : NULL;
}

const toksim_world_trust *toksim_world_find_trust(const toksim_world *w, const char *name)
{
    const ts_trust_rec *r = w ? find_trust_rec(w, name) : NULL;
    return r ? &r->t : NULL;
}

const toksim_world_trust *toksim_world_trust_of(const toksim_world *w,
                                                const toksim_sid *sid)
{
    for (size_t i = 0; sid && i < toksim_world_trust_count(w); i++)
        if (ts_sid_is_rel(sid, &toksim_world_trust_at(w, i)->sid))
            return toksim_world_trust_at(w, i);
    return NULL;
}

toksim_status toksim_world_set_computer_sd(toksim_world *w, const toksim_sd *sd)
{
    if (!w)
        return TOKSIM_EINVAL;
    struct ts_world_decls *d = decls_of(w);
    if (!d)
        return TOKSIM_ENOMEM;
    toksim_sd *copy = NULL;
    if (sd) {
        toksim_status rc = toksim_sd_copy(&copy, sd);
        if (rc != TOKSIM_OK)
            return rc;
    }
    toksim_sd_free(d->computer_sd);
    d->computer_sd = copy;
    return TOKSIM_OK;
}

const toksim_sd *toksim_world_computer_sd(const toksim_world *w)
{
    const struct ts_world_decls *d = w ? ts_world_decls_get(w) : NULL;
    return d ? d->computer_sd : NULL;
}
