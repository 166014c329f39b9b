/*
 * PURPOSE: the identity world: machine and domain, accounts, memberships, name resolution
 * and transitive group expansion.
 *
 * Modelled: the accounts and memberships a fresh SAM has (windows-model §4.2:
 * BUILTIN\Users holds INTERACTIVE and Authenticated Users, so every interactive or
 * authenticated logon lands in Users; Administrators holds the RID-500 account; after a
 * domain join Domain Admins/Users/Guests are added to Administrators/Users/Guests);
 * LookupAccountName's search order for a bare name (the machine's accounts, then the
 * domain's, then well-known names); nested groups with cycles. Left out: account removal,
 * renames, universal/global group scoping rules, foreign principals.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include "identity/identity_int.h"
#include "util/hix.h"

typedef struct ts_acct {
    toksim_account a;
    char *name;     /* owned; a.name points here */
    char *password; /* owned or NULL */
} ts_acct;

typedef struct ts_member {
    toksim_sid group, member;
} ts_member;

struct toksim_world {
    char *machine_name;
    toksim_sid machine_sid;
    char *domain_name; /* NULL until joined */
    toksim_sid domain_sid;
    const char *profile; /* canonical profile name (static storage) */
    ts_acct *acc;
    size_t nacc, capacc;
    ts_member *mem;
    size_t nmem, capmem;
    /* hash indexes (util/hix.h): loading n accounts and memberships is linear, not
     * quadratic */
    ts_hix by_sid, by_name, by_mem;
    /* memberships by member alone: group expansion (every logon) walks only the
     * memberships of the SIDs it meets, not the whole list (issue 17: who-can logs on
     * every account of a 10^4-account world) */
    ts_hix by_member;
    toksim_policy *policy;
    uint32_t next_machine_rid, next_domain_rid;
    uint64_t next_logon;
    uint32_t setting_mask, setting_value; /* logon flags stated by the world's settings */
    bool everyone_includes_anonymous;
    struct ts_world_decls *decls;   /* issue 18: pools, services, trusts (world_decl.c) */
    struct ts_world_claims *claims; /* issue 9: world_claims.c */
};

/* ---- small SID helpers shared by the layer ---- */

toksim_sid ts_sid_rel(const toksim_sid *base, uint32_t rid)
{
    toksim_sid s = *base;
    if (s.count < TOKSIM_SID_MAX_SUB)
        s.sub[s.count++] = rid;
    return s;
}

bool ts_sid_is_builtin(const toksim_sid *sid)
{
    return toksim_sid_authority(sid) == 5 && sid->count == 2 && sid->sub[0] == 32;
}

bool ts_sid_is_rel(const toksim_sid *sid, const toksim_sid *base)
{
    /* toksim_sid_equal of base and sid less its last sub-authority, in place (issue 11:
     * no copy) */
    if (!base || sid->count != base->count + 1)
        return false;
    return sid->revision == base->revision &&
           memcmp(sid->authority, base->authority, sizeof sid->authority) == 0 &&
           memcmp(sid->sub, base->sub, sizeof(uint32_t) * base->count) == 0;
}

bool ts_sids_contain(const toksim_sid *v, size_t n, const toksim_sid *sid)
{
    /* Count and last sub-authority (the RID) first: most entries differ there, and the
     * loop then makes no call for them (issue 11). */
    const unsigned c = sid->count;
    const uint32_t last = c ? sid->sub[c - 1] : 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].count == c && (!c || v[i].sub[c - 1] == last) &&
            toksim_sid_equal(&v[i], sid))
            return true;
    return false;
}

bool ts_sidvec_has(const ts_sidvec *s, const toksim_sid *sid)
{
    return ts_sids_contain(s->v, s->n, sid);
}

toksim_status ts_sidvec_add(ts_sidvec *s, const toksim_sid *sid, size_t limit)
{
    if (ts_sidvec_has(s, sid))
        return TOKSIM_OK;
    if (limit && s->n >= limit)
        return TOKSIM_ELIMIT;
    if (!ts_grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v))
        return TOKSIM_ENOMEM;
    s->v[s->n++] = *sid;
    return TOKSIM_OK;
}

bool ts_sidvec_remove(ts_sidvec *s, const toksim_sid *sid)
{
    for (size_t i = 0; i < s->n; i++)
        if (toksim_sid_equal(&s->v[i], sid)) {
            memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof *s->v);
            s->n--;
            return true;
        }
    return false;
}

void ts_sidvec_free(ts_sidvec *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* ---- SID sets ---- */

static uint64_t sid_hash(uint64_t h, const toksim_sid *sid);

toksim_status ts_sidset_add(ts_sidset *s, const toksim_sid *sid, size_t limit)
{
    if (!s->ix && !(s->ix = ts_calloc(1, sizeof *s->ix)))
        return TOKSIM_ENOMEM;
    uint64_t h = sid_hash(TS_HIX_SEED, sid);
    size_t it = 0, at;
    while ((at = ts_hix_next(s->ix, h, &it)))
        if (toksim_sid_equal(&s->vec.v[at - 1], sid))
            return TOKSIM_OK;
    if (limit && s->vec.n >= limit)
        return TOKSIM_ELIMIT;
    if (!ts_grow((void **)&s->vec.v, &s->vec.cap, s->vec.n + 1, sizeof *s->vec.v) ||
        !ts_hix_add(s->ix, h, s->vec.n))
        return TOKSIM_ENOMEM;
    s->vec.v[s->vec.n++] = *sid;
    return TOKSIM_OK;
}

void ts_sidset_drop_index(ts_sidset *s)
{
    if (s->ix)
        ts_hix_free(s->ix);
    free(s->ix);
    s->ix = NULL;
}

/* ---- accounts ---- */

/* FNV-1a over revision, count, authority and the sub-authorities in use: the first
 * 8 + 4 * count bytes of the struct, hashed in one call (issue 11: the same value as four
 * calls, one field after the other). */
_Static_assert(offsetof(toksim_sid, count) == 1 && offsetof(toksim_sid, authority) == 2 &&
                   offsetof(toksim_sid, sub) == 8,
               "toksim_sid's header is 8 bytes, its sub-authorities follow");
static uint64_t sid_hash(uint64_t h, const toksim_sid *sid)
{
    return ts_hix_bytes(h, sid, 8 + sizeof(uint32_t) * sid->count);
}

/* Names compare case-insensitively (ts_strncasecmp: tolower per byte), so they hash so.
 */
static uint64_t name_hash(toksim_account_scope scope, const char *name, size_t len)
{
    uint64_t h = ts_hix_bytes(TS_HIX_SEED, &scope, sizeof scope);
    unsigned char low[64]; /* folded a block at a time: one call a block, the same value
                              (FNV-1a runs byte by byte; issue 11) */
    for (size_t i = 0; i < len;) {
        size_t k = 0;
        for (; k < sizeof low && i < len; k++, i++)
            low[k] = (unsigned char)tolower((unsigned char)name[i]);
        h = ts_hix_bytes(h, low, k);
    }
    return h;
}

static ts_acct *find_by_sid(const toksim_world *w, const toksim_sid *sid)
{
    uint64_t h = sid_hash(TS_HIX_SEED, sid);
    size_t it = 0, p;
    while ((p = ts_hix_next(&w->by_sid, h, &it)))
        if (toksim_sid_equal(&w->acc[p - 1].a.sid, sid))
            return &w->acc[p - 1];
    return NULL;
}

static ts_acct *find_by_name(const toksim_world *w,
                             toksim_account_scope scope,
                             const char *name,
                             size_t len)
{
    uint64_t h = name_hash(scope, name, len);
    size_t it = 0, p;
    while ((p = ts_hix_next(&w->by_name, h, &it))) {
        const ts_acct *a = &w->acc[p - 1];
        if (a->a.scope == scope && strlen(a->name) == len &&
            ts_strncasecmp(a->name, name, len) == 0)
            return &w->acc[p - 1];
    }
    return NULL;
}

/* issue 18: an account of trusted domain `dom` (the name hash holds every trusted
 * domain's accounts under one scope: compare the domain too). */
static ts_acct *find_trusted(
    const toksim_world *w, const char *dom, size_t dl, const char *name, size_t len)
{
    uint64_t h = name_hash(TOKSIM_SCOPE_TRUSTED, name, len);
    size_t it = 0, p;
    while ((p = ts_hix_next(&w->by_name, h, &it))) {
        ts_acct *a = &w->acc[p - 1];
        if (a->a.scope == TOKSIM_SCOPE_TRUSTED && strlen(a->name) == len &&
            ts_strncasecmp(a->name, name, len) == 0 && strlen(a->a.domain) == dl &&
            ts_strncasecmp(a->a.domain, dom, dl) == 0)
            return a;
    }
    return NULL;
}

static uint64_t member_hash(const toksim_sid *g, const toksim_sid *m)
{
    return sid_hash(sid_hash(TS_HIX_SEED, g), m);
}

static const char *scope_domain(const toksim_world *w, toksim_account_scope scope)
{
    switch (scope) {
    case TOKSIM_SCOPE_MACHINE:
        return w->machine_name;
    case TOKSIM_SCOPE_DOMAIN:
        return w->domain_name ? w->domain_name : "";
    case TOKSIM_SCOPE_BUILTIN:
        return "BUILTIN";
    case TOKSIM_SCOPE_WELL_KNOWN:
        return "NT AUTHORITY";
    case TOKSIM_SCOPE_TRUSTED: /* each account names its trusted domain */
        return "";
    }
    return "";
}

/* Append an account record; the caller checked collisions. */
static toksim_status push_account(toksim_world *w,
                                  const toksim_account *spec,
                                  const toksim_sid *sid,
                                  const char *domain)
{
    if (w->nacc >= TOKSIM_WORLD_MAX_ACCOUNTS)
        return TOKSIM_ELIMIT;
    if (!ts_grow((void **)&w->acc, &w->capacc, w->nacc + 1, sizeof *w->acc) ||
        !ts_hix_add(&w->by_sid, sid_hash(TS_HIX_SEED, sid), w->nacc) ||
        !ts_hix_add(&w->by_name, name_hash(spec->scope, spec->name, strlen(spec->name)),
                    w->nacc))
        return TOKSIM_ENOMEM;
    ts_acct *a = &w->acc[w->nacc];
    memset(a, 0, sizeof *a);
    a->name = ts_strdup(spec->name);
    a->password = spec->password ? ts_strdup(spec->password) : NULL;
    if (!a->name || (spec->password && !a->password)) {
        free(a->name);
        free(a->password);
        return TOKSIM_ENOMEM;
    }
    a->a = *spec;
    a->a.sid = *sid;
    a->a.rid = toksim_sid_rid(sid);
    a->a.name = a->name;
    a->a.password = a->password;
    a->a.domain = domain;
    w->nacc++;
    return TOKSIM_OK;
}

/* Position + 1 of the membership (g, m) whose member_hash is h, 0 when there is none. */
static size_t
member_pos_h(const toksim_world *w, const toksim_sid *g, const toksim_sid *m, uint64_t h)
{
    size_t it = 0, p;
    while ((p = ts_hix_next(&w->by_mem, h, &it)))
        if (toksim_sid_equal(&w->mem[p - 1].group, g) &&
            toksim_sid_equal(&w->mem[p - 1].member, m))
            return p;
    return 0;
}

static size_t member_pos(const toksim_world *w, const toksim_sid *g, const toksim_sid *m)
{
    return member_pos_h(w, g, m, member_hash(g, m));
}

static toksim_status
add_member_raw(toksim_world *w, const toksim_sid *g, const toksim_sid *m)
{
    uint64_t h = member_hash(g, m); /* once for the test and the index (issue 11) */
    if (member_pos_h(w, g, m, h))
        return TOKSIM_OK;
    if (w->nmem >= TOKSIM_WORLD_MAX_MEMBERS)
        return TOKSIM_ELIMIT;
    if (!ts_grow((void **)&w->mem, &w->capmem, w->nmem + 1, sizeof *w->mem) ||
        !ts_hix_add(&w->by_mem, h, w->nmem) ||
        !ts_hix_add(&w->by_member, sid_hash(TS_HIX_SEED, m), w->nmem))
        return TOKSIM_ENOMEM;
    w->mem[w->nmem].group = *g;
    w->mem[w->nmem].member = *m;
    w->nmem++;
    return TOKSIM_OK;
}

static toksim_status add_default_account(toksim_world *w,
                                         toksim_account_scope scope,
                                         toksim_account_kind kind,
                                         uint32_t rid,
                                         const char *name,
                                         uint32_t flags)
{
    toksim_account spec;
    memset(&spec, 0, sizeof spec);
    spec.kind = kind;
    spec.scope = scope;
    spec.name = name;
    spec.flags = flags;
    toksim_sid sid =
        ts_sid_rel(scope == TOKSIM_SCOPE_DOMAIN ? &w->domain_sid : &w->machine_sid, rid);
    return push_account(w, &spec, &sid, scope_domain(w, scope));
}

toksim_status toksim_world_new(toksim_world **out,
                               const char *machine_name,
                               const toksim_sid *machine_sid,
                               const char *os_profile,
                               toksim_error *err)
{
    if (!out || !machine_name || !*machine_name ||
        strlen(machine_name) > TOKSIM_WORLD_MAX_NAME || strchr(machine_name, '\\'))
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "a machine needs a non-empty name of at most %u bytes "
                            "without '\\'",
                            TOKSIM_WORLD_MAX_NAME);
    *out = NULL;
    const toksim_os_profile *prof =
        toksim_os_profile_find(os_profile ? os_profile : "win10");
    if (!prof) {
        char known[128];
        ts_os_profile_names(known, sizeof known);
        return ts_error_set(err, TOKSIM_ENOTFOUND, 0,
                            "unknown OS profile '%s' (known: %s)", os_profile, known);
    }
    toksim_world *w = ts_calloc(1, sizeof *w);
    if (!w)
        return TOKSIM_ENOMEM;
    w->machine_name = ts_strdup(machine_name);
    if (machine_sid) {
        w->machine_sid = *machine_sid;
    } else {
        uint32_t subs[4] = {21, 1000, 2000, 3000};
        w->machine_sid = ts_sid_make(5, subs, 4);
    }
    w->profile = prof->name;
    w->next_machine_rid = 1000;
    w->next_domain_rid = 1100;
    w->next_logon = 0x10000;
    toksim_status rc = w->machine_name ? TOKSIM_OK : TOKSIM_ENOMEM;
    if (rc == TOKSIM_OK && w->machine_sid.count >= TOKSIM_SID_MAX_SUB)
        rc = ts_error_set(err, TOKSIM_EINVAL, 0, "the machine SID has no room for RIDs");
    /* The accounts every SAM starts with. The built-in Administrator is disabled on
     * client SKUs (Windows Vista and later) and enabled on servers; Guest and
     * DefaultAccount are disabled. */
    bool client = ts_profile_is_client(prof->name);
    if (rc == TOKSIM_OK)
        rc = add_default_account(w, TOKSIM_SCOPE_MACHINE, TOKSIM_ACCOUNT_USER,
                                 TS_RID_ADMINISTRATOR, "Administrator",
                                 client ? TOKSIM_ACCOUNT_DISABLED : 0);
    if (rc == TOKSIM_OK)
        rc = add_default_account(w, TOKSIM_SCOPE_MACHINE, TOKSIM_ACCOUNT_USER,
                                 TS_RID_GUEST, "Guest", TOKSIM_ACCOUNT_DISABLED);
    if (rc == TOKSIM_OK)
        rc = add_default_account(w, TOKSIM_SCOPE_MACHINE, TOKSIM_ACCOUNT_USER, 503,
                                 "DefaultAccount", TOKSIM_ACCOUNT_DISABLED);
    toksim_sid admins = TS_SID_ADMINS, users = TS_SID_USERS, guests = TS_SID_GUESTS;
    toksim_sid interactive = TS_SID_INTERACTIVE, au = TS_SID_AUTH_USERS;
    toksim_sid adm = ts_sid_rel(&w->machine_sid, TS_RID_ADMINISTRATOR),
               gst = ts_sid_rel(&w->machine_sid, TS_RID_GUEST);
    if (rc == TOKSIM_OK)
        rc = add_member_raw(w, &admins, &adm);
    if (rc == TOKSIM_OK)
        rc = add_member_raw(w, &users, &interactive);
    if (rc == TOKSIM_OK)
        rc = add_member_raw(w, &users, &au);
    if (rc == TOKSIM_OK)
        rc = add_member_raw(w, &guests, &gst);
    if (rc == TOKSIM_OK)
        rc = toksim_policy_new_profile(&w->policy, prof->name, &w->machine_sid, err);
    if (rc != TOKSIM_OK) {
        toksim_world_free(w);
        return rc == TOKSIM_ENOMEM ? ts_error_set(err, rc, 0, "out of memory") : rc;
    }
    *out = w;
    return TOKSIM_OK;
}

/* Where an account's domain string points in the copy: the copy's machine or domain
 * name, the copy's trust record, or the same static string. */
static const char *
same_domain(const toksim_world *from, const toksim_world *to, const char *d)
{
    if (d == from->machine_name)
        return to->machine_name;
    if (from->domain_name && d == from->domain_name)
        return to->domain_name;
    return ts_world_decls_same_name(from->decls, to->decls, d);
}

toksim_status ts_world_copy(toksim_world **out, const toksim_world *src)
{
    *out = NULL;
    toksim_world *w = ts_calloc(1, sizeof *w);
    if (!w)
        return TOKSIM_ENOMEM;
    /* Every plain field as it is; every owned one emptied first (so that a failure frees
     * only the copy's), then made anew. A member added to struct toksim_world that owns
     * memory must be copied here too. */
    *w = *src;
    w->machine_name = w->domain_name = NULL;
    w->acc = NULL;
    w->nacc = w->capacc = 0;
    w->mem = NULL;
    w->nmem = w->capmem = 0;
    memset(&w->by_sid, 0, sizeof w->by_sid);
    memset(&w->by_name, 0, sizeof w->by_name);
    memset(&w->by_mem, 0, sizeof w->by_mem);
    memset(&w->by_member, 0, sizeof w->by_member);
    w->policy = NULL;
    w->decls = NULL;
    w->claims = NULL;
    bool ok = (w->machine_name = ts_strdup(src->machine_name)) &&
              (!src->domain_name || (w->domain_name = ts_strdup(src->domain_name))) &&
              (!src->nmem || (w->mem = malloc(src->nmem * sizeof *w->mem))) &&
              (!src->nacc || (w->acc = calloc(src->nacc, sizeof *w->acc))) &&
              ts_hix_copy(&w->by_sid, &src->by_sid) &&
              ts_hix_copy(&w->by_name, &src->by_name) &&
              ts_hix_copy(&w->by_mem, &src->by_mem) &&
              ts_hix_copy(&w->by_member, &src->by_member) &&
              toksim_policy_copy(&w->policy, src->policy) == TOKSIM_OK &&
              ts_world_decls_copy(&w->decls, src->decls) == TOKSIM_OK &&
              ts_world_claims_copy(&w->claims, src->claims) == TOKSIM_OK;
    if (ok && src->nmem) {
        memcpy(w->mem, src->mem, src->nmem * sizeof *w->mem);
        w->nmem = w->capmem = src->nmem;
    }
    if (ok)
        w->capacc = src->nacc;
    for (; ok && w->nacc < src->nacc; w->nacc++) {
        const ts_acct *f = &src->acc[w->nacc];
        ts_acct *a = &w->acc[w->nacc];
        ok = (a->name = ts_strdup(f->name)) &&
             (!f->password || (a->password = ts_strdup(f->password)));
        a->a = f->a;
        a->a.name = a->name;
        a->a.password = a->password;
        a->a.domain = same_domain(src, w, f->a.domain);
    }
    if (!ok) {
        toksim_world_free(w);
        return TOKSIM_ENOMEM;
    }
    *out = w;
    return TOKSIM_OK;
}

void toksim_world_free(toksim_world *w)
{
    if (!w)
        return;
    ts_world_claims_free(w->claims); /* issue 9 */
    for (size_t i = 0; i < w->nacc; i++) {
        free(w->acc[i].name);
        free(w->acc[i].password);
    }
    free(w->acc);
    free(w->mem);
    ts_hix_free(&w->by_sid);
    ts_hix_free(&w->by_name);
    ts_hix_free(&w->by_mem);
    ts_hix_free(&w->by_member);
    free(w->machine_name);
    free(w->domain_name);
    toksim_policy_free(w->policy);
    ts_world_decls_free(w->decls);
    free(w);
}

struct ts_world_decls **ts_world_decls_slot(toksim_world *w)
{
    return &w->decls;
}

const struct ts_world_decls *ts_world_decls_get(const toksim_world *w)
{
    return w->decls;
}

toksim_status toksim_world_join_domain(toksim_world *w,
                                       const char *name,
                                       const toksim_sid *domain_sid,
                                       toksim_error *err)
{
    if (!w || !name || !*name || !domain_sid || strchr(name, '\\') ||
        strlen(name) > TOKSIM_WORLD_MAX_NAME)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "a domain needs a name without '\\' and a SID");
    if (w->domain_name)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "the machine is already joined to %s",
                            w->domain_name);
    if (domain_sid->count >= TOKSIM_SID_MAX_SUB ||
        toksim_sid_equal(domain_sid, &w->machine_sid))
        return ts_error_set(
            err, TOKSIM_EINVAL, 0,
            "the domain SID must differ from the machine SID and leave room for RIDs");
    w->domain_name = ts_strdup(name);
    if (!w->domain_name)
        return TOKSIM_ENOMEM;
    w->domain_sid = *domain_sid;
    /* Default domain groups (well-known RIDs, MS-DTYP 2.4.2.4). */
    static const struct {
        uint32_t rid;
        const char *name;
    } groups[] = {{512, "Domain Admins"},      {513, "Domain Users"},
                  {514, "Domain Guests"},      {515, "Domain Computers"},
                  {516, "Domain Controllers"}, {518, "Schema Admins"},
                  {519, "Enterprise Admins"},  {525, "Protected Users"}};
    toksim_status rc = TOKSIM_OK;
    for (size_t i = 0; rc == TOKSIM_OK && i < sizeof groups / sizeof groups[0]; i++)
        rc = add_default_account(w, TOKSIM_SCOPE_DOMAIN, TOKSIM_ACCOUNT_GROUP,
                                 groups[i].rid, groups[i].name, 0);
    toksim_sid da = ts_sid_rel(domain_sid, 512), du = ts_sid_rel(domain_sid, 513),
               dg = ts_sid_rel(domain_sid, 514);
    toksim_sid admins = TS_SID_ADMINS, users = TS_SID_USERS, guests = TS_SID_GUESTS;
    if (rc == TOKSIM_OK)
        rc = add_member_raw(w, &admins, &da);
    if (rc == TOKSIM_OK)
        rc = add_member_raw(w, &users, &du);
    if (rc == TOKSIM_OK)
        rc = add_member_raw(w, &guests, &dg);
    /* The computer account DOMAIN\MACHINE$ (what NETWORK SERVICE acts as on the network).
     */
    if (rc == TOKSIM_OK) {
        char acct[TOKSIM_WORLD_MAX_NAME + 2];
        snprintf(acct, sizeof acct, "%s$", w->machine_name);
        toksim_account spec;
        memset(&spec, 0, sizeof spec);
        spec.kind = TOKSIM_ACCOUNT_USER;
        spec.scope = TOKSIM_SCOPE_DOMAIN;
        spec.name = acct;
        toksim_sid sid;
        /* toksim_world_add_account puts a NAME$ account in Domain Computers (515) */
        rc = toksim_world_add_account(w, &spec, &sid, err);
    }
    return rc;
}

toksim_status
toksim_world_set_os_profile(toksim_world *w, const char *profile, toksim_error *err)
{
    const toksim_os_profile *prof = toksim_os_profile_find(profile);
    if (!w || !prof)
        return ts_error_set(err, TOKSIM_ENOTFOUND, 0, "unknown OS profile '%s'",
                            profile ? profile : "(null)");
    toksim_policy *p = NULL;
    toksim_status rc = toksim_policy_new_profile(&p, prof->name, &w->machine_sid, err);
    if (rc != TOKSIM_OK)
        return rc;
    toksim_policy_free(w->policy);
    w->policy = p;
    w->profile = prof->name;
    return TOKSIM_OK;
}

const char *toksim_world_os_profile(const toksim_world *w)
{
    return w->profile;
}
const char *toksim_world_machine_name(const toksim_world *w)
{
    return w->machine_name;
}
const toksim_sid *toksim_world_machine_sid(const toksim_world *w)
{
    return &w->machine_sid;
}
const char *toksim_world_domain_name(const toksim_world *w)
{
    return w->domain_name;
}
const toksim_sid *toksim_world_domain_sid(const toksim_world *w)
{
    return w->domain_name ? &w->domain_sid : NULL;
}
toksim_policy *toksim_world_policy(toksim_world *w)
{
    return w->policy;
}
const toksim_policy *toksim_world_policy_const(const toksim_world *w)
{
    return w->policy;
}
uint64_t toksim_world_next_logon_id(toksim_world *w)
{
    return w->next_logon++;
}

toksim_sid_context toksim_world_sid_context(const toksim_world *w)
{
    toksim_sid_context c;
    c.domain = toksim_world_domain_sid(w);
    c.machine = &w->machine_sid;
    return c;
}

toksim_status toksim_world_add_account(toksim_world *w,
                                       const toksim_account *spec,
                                       toksim_sid *out_sid,
                                       toksim_error *err)
{
    if (!w || !spec || !spec->name || !*spec->name ||
        strlen(spec->name) > TOKSIM_WORLD_MAX_NAME || strchr(spec->name, '\\'))
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "an account needs a non-empty name of at most %u bytes "
                            "without '\\'",
                            TOKSIM_WORLD_MAX_NAME);
    bool domain = spec->scope == TOKSIM_SCOPE_DOMAIN;
    if (spec->scope != TOKSIM_SCOPE_MACHINE && !domain)
        return ts_error_set(
            err, TOKSIM_EINVAL, 0,
            "account '%s': only machine or domain accounts can be declared", spec->name);
    if (domain && !w->domain_name)
        return ts_error_set(
            err, TOKSIM_EINVAL, 0,
            "account '%s' is a domain account but the machine is not joined", spec->name);
    if (spec->kind != TOKSIM_ACCOUNT_USER && spec->kind != TOKSIM_ACCOUNT_GROUP &&
        spec->kind != TOKSIM_ACCOUNT_ALIAS)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "account '%s': kind must be user, group or alias",
                            spec->name);
    if (find_by_name(w, spec->scope, spec->name, strlen(spec->name)))
        return ts_error_set(err, TOKSIM_EINVAL, 0, "account '%s' already exists in %s",
                            spec->name, scope_domain(w, spec->scope));
    const toksim_sid *base = domain ? &w->domain_sid : &w->machine_sid;
    toksim_sid sid;
    if (spec->sid.count) {
        if (!ts_sid_is_rel(&spec->sid, base))
            return ts_error_set(err, TOKSIM_EINVAL, 0,
                                "account '%s': SID is not in the %s domain", spec->name,
                                domain ? "domain's" : "machine's");
        sid = spec->sid;
    } else if (spec->rid) {
        sid = ts_sid_rel(base, spec->rid);
    } else {
        uint32_t *next = domain ? &w->next_domain_rid : &w->next_machine_rid;
        do
            sid = ts_sid_rel(base, (*next)++);
        while (find_by_sid(w, &sid));
    }
    if (find_by_sid(w, &sid))
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "account '%s': RID %u is already taken", spec->name,
                            (unsigned)toksim_sid_rid(&sid));
    toksim_status rc = push_account(w, spec, &sid, scope_domain(w, spec->scope));
    if (rc == TOKSIM_ELIMIT) /* name the limit and its value (docs/limits.md) */
        return ts_error_set(err, rc, 0,
                            "account '%s': a world holds at most %u accounts "
                            "(TOKSIM_WORLD_MAX_ACCOUNTS, built-in accounts included)",
                            spec->name, TOKSIM_WORLD_MAX_ACCOUNTS);
    if (rc != TOKSIM_OK)
        return ts_error_set(err, rc, 0, "account '%s': %s", spec->name,
                            toksim_strerror(rc));
    /* A domain user's primary group is Domain Users (computer accounts, NAME$, are in
     * Domain Computers instead); Protected Users membership is a flag here. */
    size_t nl = strlen(spec->name);
    bool dollar = spec->name[nl - 1] == '$';
    if (domain && spec->kind == TOKSIM_ACCOUNT_USER &&
        (dollar ||
         (spec->flags & (TOKSIM_ACCOUNT_COMPUTER | TOKSIM_ACCOUNT_MANAGED_SERVICE)))) {
        /* a computer account or a (group) managed service account: primary group Domain
         * Computers (515; MS-ADTS: primaryGroupID of computer and gMSA objects) */
        toksim_sid dc = ts_sid_rel(&w->domain_sid, 515);
        if (find_by_sid(w, &dc) && !toksim_world_is_member(w, &dc, &sid))
            rc = add_member_raw(w, &dc, &sid);
    }
    if (domain && spec->kind == TOKSIM_ACCOUNT_USER && !dollar &&
        !(spec->flags & (TOKSIM_ACCOUNT_COMPUTER | TOKSIM_ACCOUNT_MANAGED_SERVICE))) {
        toksim_sid du = ts_sid_rel(&w->domain_sid, 513);
        rc = add_member_raw(w, &du, &sid);
        if (rc == TOKSIM_OK && (spec->flags & TOKSIM_ACCOUNT_PROTECTED_USERS)) {
            toksim_sid pu = ts_sid_rel(&w->domain_sid, 525);
            rc = add_member_raw(w, &pu, &sid);
        }
    }
    if (rc == TOKSIM_OK && out_sid)
        *out_sid = sid;
    return rc;
}

/* issue 18: an account of a trusted domain; world_decl.c checked the trust and gives a
 * `domain` string that lives as long as the world. Names are unique per domain. */
toksim_status ts_world_add_foreign(toksim_world *w,
                                   const char *domain,
                                   const toksim_account *spec,
                                   const toksim_sid *sid,
                                   toksim_error *err)
{
    if (find_trusted(w, domain, strlen(domain), spec->name, strlen(spec->name)))
        return ts_error_set(err, TOKSIM_EINVAL, 0, "account '%s' already exists in %s",
                            spec->name, domain);
    if (find_by_sid(w, sid))
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "account '%s': RID %u is already taken", spec->name,
                            (unsigned)toksim_sid_rid(sid));
    toksim_account a = *spec;
    a.scope = TOKSIM_SCOPE_TRUSTED;
    toksim_status rc = push_account(w, &a, sid, domain);
    return rc ? ts_error_set(err, rc, 0, "account '%s': %s", spec->name,
                             toksim_strerror(rc))
              : TOKSIM_OK;
}

toksim_status
toksim_world_set_account_flags(toksim_world *w, const toksim_sid *sid, uint32_t flags)
{
    ts_acct *a = w ? find_by_sid(w, sid) : NULL;
    if (!a)
        return TOKSIM_ENOTFOUND;
    a->a.flags = flags;
    if ((flags & TOKSIM_ACCOUNT_PROTECTED_USERS) && w->domain_name) {
        toksim_sid pu = ts_sid_rel(&w->domain_sid, 525);
        return add_member_raw(w, &pu, sid);
    }
    return TOKSIM_OK;
}

toksim_account_kind toksim_world_sid_kind(const toksim_world *w, const toksim_sid *sid)
{
    toksim_account a;
    if (toksim_world_lookup_sid(w, sid, &a))
        return a.kind;
    return TOKSIM_ACCOUNT_USER;
}

static bool is_group_sid(const toksim_world *w, const toksim_sid *sid)
{
    toksim_account a;
    if (!toksim_world_lookup_sid(w, sid, &a))
        return false;
    return a.kind == TOKSIM_ACCOUNT_GROUP || a.kind == TOKSIM_ACCOUNT_ALIAS;
}

toksim_status toksim_world_add_member(toksim_world *w,
                                      const toksim_sid *group,
                                      const toksim_sid *member,
                                      toksim_error *err)
{
    if (!w || !group || !member)
        return TOKSIM_EINVAL;
    if (!is_group_sid(w, group)) {
        char name[TOKSIM_SID_STRING_MAX + 64];
        toksim_world_sid_name(name, sizeof name, group, (void *)w);
        return ts_error_set(err, TOKSIM_EINVAL, 0, "%s is not a group", name);
    }
    /* A local group (alias: machine or BUILTIN) cannot hold another local group: SAM
     * refuses with STATUS_INVALID_MEMBER / ERROR_INVALID_MEMBER 1388 ("the member has the
     * wrong account type"; Microsoft Learn "Local groups": members are users, global and
     * universal groups and well-known principals). */
    if (toksim_world_sid_kind(w, group) == TOKSIM_ACCOUNT_ALIAS &&
        toksim_world_sid_kind(w, member) == TOKSIM_ACCOUNT_ALIAS) {
        char gname[TOKSIM_SID_STRING_MAX + 64], mname[TOKSIM_SID_STRING_MAX + 64];
        toksim_world_sid_name(gname, sizeof gname, group, (void *)w);
        toksim_world_sid_name(mname, sizeof mname, member, (void *)w);
        return ts_error_set(
            err, TOKSIM_EINVAL, 0,
            "%s is a local group and cannot be a member of the local group "
            "%s (Windows refuses with 1388 ERROR_INVALID_MEMBER)",
            mname, gname);
    }
    toksim_status rc = add_member_raw(w, group, member);
    if (rc == TOKSIM_ELIMIT)
        return ts_error_set(err, rc, 0,
                            "membership: a world holds at most %u memberships "
                            "(TOKSIM_WORLD_MAX_MEMBERS, built-in ones included)",
                            TOKSIM_WORLD_MAX_MEMBERS);
    if (rc != TOKSIM_OK)
        return ts_error_set(err, rc, 0, "membership: %s", toksim_strerror(rc));
    return TOKSIM_OK;
}

toksim_status toksim_world_remove_member(toksim_world *w,
                                         const toksim_sid *group,
                                         const toksim_sid *member)
{
    for (size_t i = 0; w && i < w->nmem; i++)
        if (toksim_sid_equal(&w->mem[i].group, group) &&
            toksim_sid_equal(&w->mem[i].member, member)) {
            memmove(&w->mem[i], &w->mem[i + 1], (w->nmem - i - 1) * sizeof *w->mem);
            w->nmem--;
            /* positions moved: rebuild the index (removal is rare; adding stays O(1)) */
            ts_hix_clear(&w->by_mem);
            ts_hix_clear(&w->by_member);
            for (size_t k = 0; k < w->nmem; k++)
                if (!ts_hix_add(&w->by_mem,
                                member_hash(&w->mem[k].group, &w->mem[k].member), k) ||
                    !ts_hix_add(&w->by_member, sid_hash(TS_HIX_SEED, &w->mem[k].member),
                                k))
                    return TOKSIM_ENOMEM;
            return TOKSIM_OK;
        }
    return TOKSIM_ENOTFOUND;
}

/* Position of sid in v[0..n), n when absent (the checks of ts_sids_contain). */
static size_t sid_index(const toksim_sid *v, size_t n, const toksim_sid *sid)
{
    const unsigned c = sid->count;
    const uint32_t last = c ? sid->sub[c - 1] : 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].count == c && (!c || v[i].sub[c - 1] == last) &&
            toksim_sid_equal(&v[i], sid))
            return i;
    return n;
}

/* toksim_world_expand; with `via`, also each added SID's first membership (see
 * ts_world_expand_via). */
static toksim_status expand_core(const toksim_world *w,
                                 const toksim_sid *sids,
                                 size_t count,
                                 toksim_sid **out,
                                 size_t *out_count,
                                 toksim_sid **via)
{
    ts_sidvec v = {0};
    toksim_status rc = TOKSIM_OK;
    *out = NULL;
    *out_count = 0;
    if (via)
        *via = NULL;
    /* room for the seeds and a few groups at once (issue 11: fewer reallocations) */
    if (!ts_grow((void **)&v.v, &v.cap, count + 8, sizeof *v.v))
        return TOKSIM_ENOMEM;
    if (via) { /* distinct seeds (ts_world_expand_via): taken as they are */
        memcpy(v.v, sids, count * sizeof *sids);
        v.n = count;
    }
    for (size_t i = 0; rc == TOKSIM_OK && !via && i < count; i++)
        rc = ts_sidvec_add(&v, &sids[i], 0);
    /* Breadth-first over the memberships; a SID already collected is never revisited,
     * so cycles (A in B, B in A) terminate. The memberships of each SID come from the
     * by-member index, taken in list order (sorted positions), so the groups come out in
     * the order a scan of the whole list gives. */
    /* a SID's memberships: on the stack unless it is in more than 32 groups */
    size_t pos_local[32], *pos = pos_local, npos = 0, cappos = 32;
    /* best[j]: position + 1 of the first membership (list order) of v[j] whose member
     * comes before it in v, 0 for none yet: every SID of v is visited, so each such
     * membership is met once, from its member's turn. */
    size_t *best = NULL, capbest = 0;
    for (size_t k = 0; rc == TOKSIM_OK && k < v.n; k++) {
        toksim_sid cur = v.v[k];
        size_t it = 0, p;
        npos = 0;
        uint64_t h = sid_hash(TS_HIX_SEED, &cur);
        while ((p = ts_hix_next(&w->by_member, h, &it)))
            if (toksim_sid_equal(&w->mem[p - 1].member, &cur)) {
                if (npos == cappos) {
                    size_t *bigger = malloc(2 * cappos * sizeof *pos);
                    if (!bigger) {
                        rc = TOKSIM_ENOMEM;
                        break;
                    }
                    memcpy(bigger, pos, npos * sizeof *pos);
                    if (pos != pos_local)
                        free(pos);
                    pos = bigger;
                    cappos *= 2;
                }
                pos[npos++] = p - 1;
            }
        for (size_t a = 1; a < npos; a++) /* insertion sort: a SID is in few groups */
            for (size_t b = a; b > 0 && pos[b - 1] > pos[b]; b--) {
                size_t t = pos[b];
                pos[b] = pos[b - 1];
                pos[b - 1] = t;
            }
        for (size_t i = 0; rc == TOKSIM_OK && i < npos; i++) {
            const toksim_sid *g = &w->mem[pos[i]].group;
            size_t j = sid_index(v.v, v.n, g);
            if (j == v.n) { /* ts_sidvec_add's append, with its limit */
                if (v.n >= TOKSIM_TOKEN_MAX_GROUPS) {
                    rc = TOKSIM_ELIMIT;
                    break;
                }
                if (!ts_grow((void **)&v.v, &v.cap, v.n + 1, sizeof *v.v)) {
                    rc = TOKSIM_ENOMEM;
                    break;
                }
                v.v[v.n++] = *g;
            }
            if (!via || j <= k)
                continue;
            if (j >= capbest) {
                size_t old = capbest;
                if (!ts_grow((void **)&best, &capbest, v.cap, sizeof *best)) {
                    rc = TOKSIM_ENOMEM;
                    break;
                }
                memset(best + old, 0, (capbest - old) * sizeof *best);
            }
            if (!best[j] || pos[i] + 1 < best[j])
                best[j] = pos[i] + 1;
        }
    }
    if (pos != pos_local)
        free(pos);
    toksim_sid *vias = NULL;
    if (rc == TOKSIM_OK && via && v.n && !(vias = calloc(v.n, sizeof *vias)))
        rc = TOKSIM_ENOMEM;
    for (size_t j = 0; rc == TOKSIM_OK && via && j < v.n && j < capbest; j++)
        if (best[j])
            vias[j] = w->mem[best[j] - 1].member;
    free(best);
    if (rc != TOKSIM_OK) {
        free(vias);
        ts_sidvec_free(&v);
        return rc;
    }
    *out = v.v;
    *out_count = v.n;
    if (via)
        *via = vias;
    return TOKSIM_OK;
}

toksim_status toksim_world_expand(const toksim_world *w,
                                  const toksim_sid *sids,
                                  size_t count,
                                  toksim_sid **out,
                                  size_t *out_count)
{
    return expand_core(w, sids, count, out, out_count, NULL);
}

toksim_status ts_world_expand_via(const toksim_world *w,
                                  const toksim_sid *sids,
                                  size_t count,
                                  toksim_sid **out,
                                  size_t *out_count,
                                  toksim_sid **via)
{
    return expand_core(w, sids, count, out, out_count, via);
}

bool toksim_world_is_member(const toksim_world *w,
                            const toksim_sid *group,
                            const toksim_sid *member)
{
    toksim_sid *all = NULL;
    size_t n = 0;
    if (toksim_world_expand(w, member, 1, &all, &n) != TOKSIM_OK)
        return false;
    bool found = ts_sids_contain(all + 1, n ? n - 1 : 0, group);
    free(all);
    return found;
}

size_t toksim_world_account_count(const toksim_world *w)
{
    return w->nacc;
}
const toksim_account *toksim_world_account_at(const toksim_world *w, size_t i)
{
    return i < w->nacc ? &w->acc[i].a : NULL;
}

/* ---- lookup and names ---- */

static const char *wk_domain(const toksim_wellknown *wk, const toksim_world *w)
{
    if (wk->flags & TOKSIM_WK_DOMAIN_RELATIVE)
        return w->domain_name ? w->domain_name : "";
    if (wk->flags & TOKSIM_WK_MACHINE_RELATIVE)
        return w->machine_name;
    return wk->domain ? wk->domain : "";
}

bool toksim_world_lookup_sid(const toksim_world *w,
                             const toksim_sid *sid,
                             toksim_account *out)
{
    memset(out, 0, sizeof *out);
    const ts_acct *a = w ? find_by_sid(w, sid) : NULL;
    if (a) {
        *out = a->a;
        return true;
    }
    toksim_sid_context ctx;
    if (w)
        ctx = toksim_world_sid_context(w);
    const toksim_wellknown *wk = toksim_wellknown_by_sid(sid, w ? &ctx : NULL);
    if (!wk)
        return false;
    out->sid = *sid;
    out->name = wk->name;
    out->domain = w ? wk_domain(wk, w) : (wk->domain ? wk->domain : "");
    out->rid = wk->rid;
    if (wk->flags & TOKSIM_WK_INTEGRITY)
        out->kind = TOKSIM_ACCOUNT_LABEL;
    else if (wk->flags & TOKSIM_WK_ALIAS)
        out->kind = TOKSIM_ACCOUNT_ALIAS, out->scope = TOKSIM_SCOPE_BUILTIN;
    else if (wk->flags & TOKSIM_WK_DOMAIN_RELATIVE)
        out->kind = TOKSIM_ACCOUNT_GROUP, out->scope = TOKSIM_SCOPE_DOMAIN;
    else if (wk->flags & TOKSIM_WK_MACHINE_RELATIVE)
        out->kind = TOKSIM_ACCOUNT_USER, out->scope = TOKSIM_SCOPE_MACHINE;
    else
        out->kind = TOKSIM_ACCOUNT_WELL_KNOWN, out->scope = TOKSIM_SCOPE_WELL_KNOWN;
    return true;
}

size_t toksim_world_sid_name(char *buf, size_t n, const toksim_sid *sid, void *world)
{
    const toksim_world *w = world;
    toksim_account a;
    /* A nameless well-known row (S-1-5-82-0: whoami prints an empty name, "Unknown SID
     * type") falls through to the SID string, never "IIS APPPOOL\" with no account. */
    if (toksim_world_lookup_sid(w, sid, &a) && a.name && *a.name) {
        size_t at = 0; /* "DOMAIN\\name", as snprintf would write it (issue 11) */
        if (a.domain && *a.domain)
            at = ts_put(buf, n, ts_put(buf, n, 0, a.domain), "\\");
        return ts_put(buf, n, at, a.name);
    }
    if (w) {
        toksim_sid_context ctx = toksim_world_sid_context(w);
        return toksim_sid_display_name(buf, n, sid, &ctx);
    }
    return toksim_sid_display_name(buf, n, sid, NULL);
}

toksim_status toksim_world_add_virtual(toksim_world *w,
                                       const char *qualified_name,
                                       toksim_sid *out_sid,
                                       toksim_error *err)
{
    static const struct {
        const char *prefix;
        toksim_virtual_kind kind;
    } kinds[] = {{"NT SERVICE\\", TOKSIM_VIRTUAL_SERVICE},
                 {"IIS APPPOOL\\", TOKSIM_VIRTUAL_APPPOOL},
                 {"RESTRICTED SERVICES\\", TOKSIM_VIRTUAL_RESTRICTED_SERVICE}};
    if (!w || !qualified_name)
        return TOKSIM_EINVAL;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t pl = strlen(kinds[i].prefix);
        if (ts_strncasecmp(qualified_name, kinds[i].prefix, pl) != 0)
            continue;
        const char *name = qualified_name + pl;
        if (!*name || strlen(name) > TOKSIM_WORLD_MAX_NAME)
            return ts_error_set(err, TOKSIM_EINVAL, 0,
                                "'%s': empty or overlong virtual account name",
                                qualified_name);
        toksim_sid sid;
        toksim_status rc = toksim_sid_virtual(&sid, kinds[i].kind, name, err);
        if (rc != TOKSIM_OK)
            return rc;
        if (!find_by_sid(w, &sid)) {
            toksim_account spec;
            memset(&spec, 0, sizeof spec);
            spec.kind = TOKSIM_ACCOUNT_WELL_KNOWN;
            spec.scope = TOKSIM_SCOPE_WELL_KNOWN;
            spec.name = name;
            /* static storage for the domain part: the prefix without its backslash */
            static const char *const domains[] = {"NT SERVICE", "IIS APPPOOL",
                                                  "RESTRICTED SERVICES"};
            rc = push_account(w, &spec, &sid, domains[i]);
            if (rc != TOKSIM_OK)
                return ts_error_set(err, rc, 0, "%s", toksim_strerror(rc));
        }
        if (out_sid)
            *out_sid = sid;
        return TOKSIM_OK;
    }
    return ts_error_set(
        err, TOKSIM_EINVAL, 0,
        "'%s' is not an NT SERVICE, IIS APPPOOL or RESTRICTED SERVICES name",
        qualified_name);
}

toksim_status toksim_world_resolve(const toksim_world *w,
                                   const char *name,
                                   toksim_sid *out,
                                   toksim_error *err)
{
    if (!w || !name || !out)
        return TOKSIM_EINVAL;
    if (!*name || strlen(name) > 2 * TOKSIM_WORLD_MAX_NAME)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "empty or overlong account name");
    if ((name[0] == 'S' || name[0] == 's') && name[1] == '-')
        return toksim_sid_parse(out, name, err);
    const char *bs = strchr(name, '\\');
    const ts_acct *a = NULL;
    if (bs) {
        size_t dl = (size_t)(bs - name);
        const char *acct = bs + 1;
        size_t al = strlen(acct);
        bool is_machine = (dl == 1 && name[0] == '.') ||
                          (dl == strlen(w->machine_name) &&
                           ts_strncasecmp(name, w->machine_name, dl) == 0);
        bool is_domain = w->domain_name && dl == strlen(w->domain_name) &&
                         ts_strncasecmp(name, w->domain_name, dl) == 0;
        if (is_machine)
            a = find_by_name(w, TOKSIM_SCOPE_MACHINE, acct, al);
        if (!a && is_domain)
            a = find_by_name(w, TOKSIM_SCOPE_DOMAIN, acct, al);
        if (!a) {
            a = find_trusted(w, name, dl, acct, al);   /* issue 18: trusted domains */
            for (size_t i = 0; i < w->nacc && !a; i++) /* registered virtual accounts */
                if (w->acc[i].a.scope == TOKSIM_SCOPE_WELL_KNOWN &&
                    strlen(w->acc[i].a.domain) == dl &&
                    ts_strncasecmp(w->acc[i].a.domain, name, dl) == 0 &&
                    ts_strcasecmp(w->acc[i].name, acct) == 0)
                    a = &w->acc[i];
        }
        if (!a && (is_machine || is_domain)) {
            /* default accounts known only to the well-known table (DA, LA ...) */
            toksim_sid_context ctx = toksim_world_sid_context(w);
            toksim_error e2 = {0};
            if (toksim_sid_resolve(out, acct, &ctx, &e2) == TOKSIM_OK) {
                toksim_account info;
                if (toksim_world_lookup_sid(w, out, &info) &&
                    ((is_machine && info.scope == TOKSIM_SCOPE_MACHINE) ||
                     (is_domain && info.scope == TOKSIM_SCOPE_DOMAIN)))
                    return TOKSIM_OK;
            }
            return ts_error_set(err, TOKSIM_ENOTFOUND, 0, "no account '%s' in %.*s", acct,
                                (int)dl, name);
        }
    } else {
        size_t l = strlen(name);
        a = find_by_name(w, TOKSIM_SCOPE_MACHINE, name, l);
        if (!a && w->domain_name)
            a = find_by_name(w, TOKSIM_SCOPE_DOMAIN, name, l);
    }
    if (a) {
        *out = a->a.sid;
        return TOKSIM_OK;
    }
    toksim_sid_context ctx = toksim_world_sid_context(w);
    toksim_error e2 = {0};
    if (toksim_sid_resolve(out, name, &ctx, &e2) == TOKSIM_OK)
        return TOKSIM_OK;
    return ts_error_set(err, TOKSIM_ENOTFOUND, 0, "unknown account '%s'", name);
}

bool ts_world_direct_member_in(const toksim_world *w,
                               const toksim_sid *group,
                               const toksim_sid *sids,
                               size_t n,
                               toksim_sid *via)
{
    /* The first membership of `group` (in list order) whose member is one of sids: one
     * index probe per SID instead of a scan of every membership. */
    size_t best = 0;
    for (size_t i = 0; i < n; i++) {
        size_t p = member_pos(w, group, &sids[i]);
        if (p && (!best || p < best))
            best = p;
    }
    if (best)
        *via = w->mem[best - 1].member;
    return best != 0;
}

void ts_trace(toksim_trace *t,
              toksim_rule rule,
              toksim_verdict v,
              const toksim_sid *sid,
              const toksim_sid *sid2,
              uint32_t priv,
              int64_t a,
              int64_t b,
              uint32_t status,
              const char *text)
{
    if (!t)
        return;
    toksim_trace_event ev = toksim_trace_event_make(rule, v);
    ev.privilege = priv;
    ev.a = a;
    ev.b = b;
    ev.status = status;
    if (sid) {
        ev.has_sid = true;
        ev.sid = *sid;
    }
    if (sid2) {
        ev.has_sid2 = true;
        ev.sid2 = *sid2;
    }
    if (text)
        ts_put(ev.text, sizeof ev.text, 0, text);
    (void)toksim_trace_add(t, &ev); /* a trace is an explanation: a full or failed trace
                                       never changes a decision */
}

/* ---- issue 18: UAC and LSA settings of the machine ---- */

/* Registry values (HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System and
 * HKLM\SYSTEM\CurrentControlSet\Control\Lsa) and the logon flag each one states: the flag
 * is on when the DWORD is non-zero, or zero for the inverted rows. Source: Microsoft
 * Learn "User Account Control settings and configuration" (EnableLUA,
 * FilterAdministratorToken), KB 951016 (LocalAccountTokenFilterPolicy), "Network access:
 * Let Everyone permissions apply to anonymous users" (EveryoneIncludesAnonymous). */
static const struct {
    const char *name;
    uint32_t flag; /* 0 = not a logon flag */
    bool inverted;
} settings[] = {
    {"EnableLUA", TOKSIM_LOGON_UAC_DISABLED, true},
    {"FilterAdministratorToken", TOKSIM_LOGON_FILTER_ADMINISTRATOR_TOKEN, false},
    {"LocalAccountTokenFilterPolicy", TOKSIM_LOGON_LOCAL_ACCOUNT_TOKEN_FILTER, false},
    {"EveryoneIncludesAnonymous", 0, false},
};

toksim_status toksim_world_set_setting(toksim_world *w,
                                       const char *name,
                                       uint32_t value,
                                       toksim_error *err)
{
    if (!w || !name)
        return TOKSIM_EINVAL;
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        if (strcmp(settings[i].name, name) != 0)
            continue;
        bool on = (value != 0) != settings[i].inverted;
        if (!settings[i].flag) {
            w->everyone_includes_anonymous = value != 0;
            return TOKSIM_OK;
        }
        w->setting_mask |= settings[i].flag;
        w->setting_value = on ? (w->setting_value | settings[i].flag)
                              : (w->setting_value & ~settings[i].flag);
        return TOKSIM_OK;
    }
    return ts_error_set(err, TOKSIM_ENOTFOUND, 0,
                        "unknown setting '%.60s' (expected EnableLUA, "
                        "FilterAdministratorToken, LocalAccountTokenFilterPolicy or "
                        "EveryoneIncludesAnonymous)",
                        name);
}

uint32_t
toksim_world_apply_settings(const toksim_world *w, uint32_t flags, uint32_t fixed)
{
    if (!w)
        return flags;
    uint32_t m = w->setting_mask & ~fixed;
    return (flags & ~m) | (w->setting_value & m);
}

bool toksim_world_everyone_includes_anonymous(const toksim_world *w)
{
    return w && w->everyone_includes_anonymous;
}

/* issue 9: the world's claims (world_claims.c) */
struct ts_world_claims **ts_world_claims_slot(toksim_world *w)
{
    return &w->claims;
}

const struct ts_world_claims *ts_world_claims(const toksim_world *w)
{
    return w->claims;
}
