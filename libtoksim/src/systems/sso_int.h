/*
 * PURPOSE: private state of the web SSO policy server model (toksim/sso.h), shared by
 * its configuration (sso_config.c) and its decisions (sso.c). Indexes refer into the
 * arrays of struct toksim_sso; prefix ts_sso_.
 */
#ifndef TOKSIM_SSO_INT_H
#define TOKSIM_SSO_INT_H

#include "internal.h"
#include "toksim/sso.h"

#define TS_SSO_NONE ((size_t)-1)

typedef struct ts_sso_dir {
    char *name;
    char **dns;
    size_t ndns;
} ts_sso_dir;

typedef struct ts_sso_domain {
    char *name;
    size_t *dirs; /* directory indexes, in lookup order */
    size_t ndirs;
} ts_sso_domain;

typedef struct ts_sso_realm {
    char *name, *scheme;
    size_t domain;
    int level;
    bool impersonation;
    int64_t idle_timeout;
} ts_sso_realm;

typedef struct ts_sso_policy {
    char *name;
    size_t realm;
    unsigned events;
    char **users;
    size_t nusers;
    size_t *dirs;
    size_t ndirs;
} ts_sso_policy;

typedef struct ts_sso_session {
    char *user;
    size_t dir, realm;
    int level;
    int64_t idle_timeout, last;
    bool ended;
    bool impersonated;
    char *imp_dn;   /* the impersonator's DN (impersonated sessions) */
    size_t imp_dir; /* the impersonator's directory */
    size_t original;
} ts_sso_session;

struct toksim_sso {
    toksim_sso_options opt;
    int64_t now;
    ts_sso_dir *dirs;
    size_t ndirs, capdirs;
    ts_sso_domain *domains;
    size_t ndomains, capdomains;
    ts_sso_realm *realms;
    size_t nrealms, caprealms;
    ts_sso_policy *policies;
    size_t npolicies, cappolicies;
    ts_sso_session *sessions;
    size_t nsessions, capsessions;
};

/** Index of the directory / realm with this name, or TS_SSO_NONE. */
size_t ts_sso_dir_find(const toksim_sso *sso, const char *name);
size_t ts_sso_realm_find(const toksim_sso *sso, const char *name);
/** The directory (in the domain's order) holding the DN, or TS_SSO_NONE. */
size_t ts_sso_domain_lookup(const toksim_sso *sso, size_t domain, const char *dn);
/** A policy of `realm` firing for `event` that binds the user; NULL when none. */
const ts_sso_policy *ts_sso_binding(
    const toksim_sso *sso, size_t realm, unsigned event, const char *dn, size_t dir);

#endif
