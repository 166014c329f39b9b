/*
 * PURPOSE: the user-rights policy object: the rights table (privileges from
 * privileges.inc, logon rights from logon_rights.inc), holder lists per right, GPO
 * replacement semantics, secedit's SeImpersonatePrivilege adjustment, and the queries LSA
 * makes when it builds a token.
 *
 * Modelled: windows-model §6.4 (logon rights are account rights, never in a token), §7.4
 * (a right defined in a template replaces the whole list; secedit /configure re-adds
 * Administrators and SERVICE to SeImpersonatePrivilege). Left out: GPO precedence across
 * several GPOs (the caller applies templates in order), per-right audit of who changed
 * what.
 */
#include <stdlib.h>
#include <string.h>
#include "identity/identity_int.h"

struct toksim_policy {
    bool defined[TOKSIM_RIGHT__END];
    ts_sidvec holders[TOKSIM_RIGHT__END];
    int line[TOKSIM_RIGHT__END]; /* the template line that defined the right, 0 = none */
    /* Holder lists filled in bulk (a profile, a copy) share this one block (issue 11: one
     * allocation a policy, not one a right). Such a list has cap 0 and v in the pool; it
     * moves to a block of its own (own_list) before it grows, and is never freed alone.
     */
    toksim_sid *pool;
};

/* ---- rights table ---- */

static const toksim_right_info logon_rights[] = {
#define TOKSIM_LOGON_RIGHT_ROW(id, value, name, bit, display)                            \
    {value, name, display, false, bit},
#include "toksim/logon_rights.inc"
#undef TOKSIM_LOGON_RIGHT_ROW
};
#define N_LOGON_RIGHTS (sizeof logon_rights / sizeof logon_rights[0])

/* Privilege rows are built from the privilege table on demand (one fact in one place). */
static const toksim_right_info priv_rights[] = {
#define TOKSIM_PRIV_ROW(id, luid, name, display) {luid, name, display, true, 0},
#include "toksim/privileges.inc"
#undef TOKSIM_PRIV_ROW
};
#define N_PRIV_RIGHTS (sizeof priv_rights / sizeof priv_rights[0])

size_t toksim_right_count(void)
{
    return N_PRIV_RIGHTS + N_LOGON_RIGHTS;
}

const toksim_right_info *toksim_right_at(size_t i)
{
    if (i < N_PRIV_RIGHTS)
        return &priv_rights[i];
    if (i < N_PRIV_RIGHTS + N_LOGON_RIGHTS)
        return &logon_rights[i - N_PRIV_RIGHTS];
    return NULL;
}

/* Each right value's row in toksim_right_at() order, plus one (0: no right has the
 * value), from the same two tables: the lookup by value is one load, not a scan (issue
 * 11: every policy call makes it, and who-can's rights checks). A value listed twice
 * would not compile quietly (-Woverride-init). */
enum {
#define TOKSIM_PRIV_ROW(id, luid, name, display) TS_PRIV_AT_##id,
#include "toksim/privileges.inc"
#undef TOKSIM_PRIV_ROW
};
enum {
#define TOKSIM_LOGON_RIGHT_ROW(id, value, name, bit, display) TS_LOGON_AT_##id,
#include "toksim/logon_rights.inc"
#undef TOKSIM_LOGON_RIGHT_ROW
};
static const uint8_t right_row[TOKSIM_RIGHT__END] = {
#define TOKSIM_PRIV_ROW(id, luid, name, display) [luid] = 1 + TS_PRIV_AT_##id,
#include "toksim/privileges.inc"
#undef TOKSIM_PRIV_ROW
#define TOKSIM_LOGON_RIGHT_ROW(id, value, name, bit, display)                            \
    [value] = 1 + N_PRIV_RIGHTS + TS_LOGON_AT_##id,
#include "toksim/logon_rights.inc"
#undef TOKSIM_LOGON_RIGHT_ROW
};

const toksim_right_info *toksim_right_get(uint32_t right)
{
    return right < TOKSIM_RIGHT__END && right_row[right]
               ? toksim_right_at(right_row[right] - 1u)
               : NULL;
}

const toksim_right_info *toksim_right_by_name(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < toksim_right_count(); i++)
        if (ts_strcasecmp(toksim_right_at(i)->name, name) == 0)
            return toksim_right_at(i);
    return NULL;
}

static bool valid_right(uint32_t right)
{
    return right < TOKSIM_RIGHT__END && right_row[right];
}

/* ---- policy objects ---- */

toksim_status toksim_policy_new(toksim_policy **out)
{
    *out = ts_calloc(1, sizeof **out);
    return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
}

toksim_status toksim_policy_new_profile(toksim_policy **out,
                                        const char *profile,
                                        const toksim_sid *machine_sid,
                                        toksim_error *err)
{
    toksim_status rc = toksim_policy_new(out);
    if (rc != TOKSIM_OK)
        return rc;
    rc = ts_profile_fill(*out, profile, machine_sid, err);
    if (rc != TOKSIM_OK) {
        toksim_policy_free(*out);
        *out = NULL;
    }
    return rc;
}

void ts_policy_define_all(toksim_policy *p)
{
    for (size_t r = 0; r < TOKSIM_RIGHT__END; r++)
        if (right_row[r])
            p->defined[r] = true;
}

/* Free a right's holder list unless it lives in the pool. */
static void drop_list(ts_sidvec *h)
{
    if (h->cap)
        free(h->v);
    memset(h, 0, sizeof *h);
}

/* Give a pooled holder list a block of its own, so that it can grow. */
static toksim_status own_list(ts_sidvec *h)
{
    if (h->cap || !h->v)
        return TOKSIM_OK;
    if (!h->n) { /* emptied by revokes */
        h->v = NULL;
        return TOKSIM_OK;
    }
    toksim_sid *v = malloc(h->n * sizeof *v);
    if (!v)
        return TOKSIM_ENOMEM;
    memcpy(v, h->v, h->n * sizeof *v);
    h->v = v;
    h->cap = h->n;
    return TOKSIM_OK;
}

void toksim_policy_free(toksim_policy *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < TOKSIM_RIGHT__END; i++)
        if (p->holders[i].cap)
            free(p->holders[i].v);
    free(p->pool);
    free(p);
}

toksim_status toksim_policy_copy(toksim_policy **out, const toksim_policy *src)
{
    toksim_status rc = toksim_policy_new(out);
    if (rc != TOKSIM_OK)
        return rc;
    toksim_policy *p = *out;
    memcpy(p->defined, src->defined, sizeof p->defined);
    memcpy(p->line, src->line, sizeof p->line);
    /* The source's lists hold distinct SIDs within the cap: copied as they are, into
     * one block. */
    size_t total = 0;
    for (size_t i = 0; i < TOKSIM_RIGHT__END; i++)
        total += src->holders[i].n;
    if (total && !(p->pool = malloc(total * sizeof *p->pool))) {
        toksim_policy_free(p);
        *out = NULL;
        return TOKSIM_ENOMEM;
    }
    for (size_t i = 0, at = 0; i < TOKSIM_RIGHT__END; i++) {
        size_t n = src->holders[i].n;
        if (!n)
            continue;
        memcpy(p->pool + at, src->holders[i].v, n * sizeof *p->pool);
        p->holders[i].v = p->pool + at;
        p->holders[i].n = n;
        at += n;
    }
    return TOKSIM_OK;
}

toksim_status ts_policy_grant_all(toksim_policy *p,
                                  const uint32_t *rights,
                                  const toksim_sid *sids,
                                  size_t count)
{
    size_t per_right[TOKSIM_RIGHT__END] = {0};
    bool bulk = !p->pool;
    for (size_t i = 0; i < count; i++) {
        if (!valid_right(rights[i]))
            return TOKSIM_EINVAL;
        if (p->holders[rights[i]].n || ++per_right[rights[i]] > TOKSIM_INF_MAX_HOLDERS)
            bulk = false;
    }
    if (!bulk) { /* lists already there, or a list past the cap: one grant at a time */
        for (size_t i = 0; i < count; i++) {
            toksim_status rc = toksim_policy_grant(p, rights[i], &sids[i]);
            if (rc != TOKSIM_OK)
                return rc;
        }
        return TOKSIM_OK;
    }
    if (count && !(p->pool = malloc(count * sizeof *p->pool)))
        return TOKSIM_ENOMEM;
    /* Each right's list gets room for all its grants, in right order, and takes them in
     * grant order, without duplicates: what toksim_policy_grant() one at a time gives. */
    for (size_t r = 0, at = 0; r < TOKSIM_RIGHT__END; r++) {
        if (!per_right[r])
            continue;
        p->holders[r].v = p->pool + at;
        at += per_right[r];
    }
    for (size_t i = 0; i < count; i++) {
        ts_sidvec *h = &p->holders[rights[i]];
        p->defined[rights[i]] = true;
        if (!ts_sids_contain(h->v, h->n, &sids[i]))
            h->v[h->n++] = sids[i];
    }
    return TOKSIM_OK;
}

int toksim_policy_source_line(const toksim_policy *p, uint32_t right)
{
    return p && valid_right(right) ? p->line[right] : 0;
}

void ts_policy_set_source_line(toksim_policy *p, uint32_t right, int line)
{
    if (valid_right(right))
        p->line[right] = line;
}

bool toksim_policy_defined(const toksim_policy *p, uint32_t right)
{
    return valid_right(right) && p->defined[right];
}

const toksim_sid *
toksim_policy_holders(const toksim_policy *p, uint32_t right, size_t *count)
{
    *count = 0;
    if (!valid_right(right) || !p->holders[right].n)
        return NULL;
    *count = p->holders[right].n;
    return p->holders[right].v;
}

toksim_status
toksim_policy_set(toksim_policy *p, uint32_t right, const toksim_sid *sids, size_t count)
{
    if (!valid_right(right) || count > TOKSIM_INF_MAX_HOLDERS)
        return TOKSIM_EINVAL;
    ts_sidset v = {0}; /* hash-indexed: linear in count */
    for (size_t i = 0; i < count; i++) {
        toksim_status rc = ts_sidset_add(&v, &sids[i], 0);
        if (rc != TOKSIM_OK) {
            ts_sidset_drop_index(&v);
            ts_sidvec_free(&v.vec);
            return rc;
        }
    }
    ts_sidset_drop_index(&v);
    drop_list(&p->holders[right]);
    p->holders[right] = v.vec;
    p->defined[right] = true;
    return TOKSIM_OK;
}

toksim_status toksim_policy_grant(toksim_policy *p, uint32_t right, const toksim_sid *sid)
{
    if (!valid_right(right))
        return TOKSIM_EINVAL;
    p->defined[right] = true;
    if (ts_sidvec_has(&p->holders[right], sid))
        return TOKSIM_OK;
    toksim_status rc = own_list(&p->holders[right]);
    return rc ? rc : ts_sidvec_add(&p->holders[right], sid, TOKSIM_INF_MAX_HOLDERS);
}

bool toksim_policy_revoke(toksim_policy *p, uint32_t right, const toksim_sid *sid)
{
    return valid_right(right) && ts_sidvec_remove(&p->holders[right], sid);
}

bool toksim_policy_has(const toksim_policy *p, uint32_t right, const toksim_sid *sid)
{
    return valid_right(right) && ts_sidvec_has(&p->holders[right], sid);
}

const toksim_sid *toksim_policy_held_by_any(const toksim_policy *p,
                                            uint32_t right,
                                            const toksim_sid *sids,
                                            size_t count)
{
    if (!valid_right(right))
        return NULL;
    const ts_sidvec *h = &p->holders[right];
    for (size_t i = 0; h->n && i < count; i++) /* none for most deny rights (issue 11) */
        if (ts_sids_contain(h->v, h->n, &sids[i]))
            return &sids[i];
    return NULL;
}

uint64_t
toksim_policy_privileges_of(const toksim_policy *p, const toksim_sid *sids, size_t count)
{
    uint64_t mask = 0;
    /* Each holder looked for among the SIDs (a right has a few holders, a token tens of
     * SIDs): the same answer as toksim_policy_held_by_any, in fewer calls (issue 11). */
    for (size_t i = 0; i < N_PRIV_RIGHTS; i++) {
        uint32_t luid = priv_rights[i].right;
        const ts_sidvec *h = &p->holders[luid];
        for (size_t k = 0; luid < 64 && k < h->n; k++)
            if (ts_sids_contain(sids, count, &h->v[k])) {
                mask |= (uint64_t)1 << luid;
                break;
            }
    }
    return mask;
}

/* A slot of the SID table of ts_policy_privilege_holders: 7 bits from the RID, the
 * count, the authority's last byte and the first sub-authority. */
enum { TS_PH_BITS = 7, TS_PH_MAX = 1u << (TS_PH_BITS - 1) };
static unsigned ph_slot(const toksim_sid *s)
{
    uint32_t h = (s->count ? s->sub[s->count - 1] : 0u) ^ ((uint32_t)s->count << 24) ^
                 ((uint32_t)s->authority[5] << 16) ^
                 ((s->count > 1 ? s->sub[0] : 0u) * 0x85EBCA6Bu);
    return (h * 0x9E3779B1u) >> (32 - TS_PH_BITS);
}

uint64_t ts_policy_privilege_holders(const toksim_policy *p,
                                     const toksim_sid *sids,
                                     size_t count,
                                     const toksim_sid *first[TOKSIM_PRIV_MAX + 1])
{
    for (uint32_t luid = 0; luid <= TOKSIM_PRIV_MAX; luid++)
        first[luid] = NULL;
    uint64_t mask = 0;
    if (count > TS_PH_MAX) { /* many SIDs: the public queries, one privilege at a time */
        mask = toksim_policy_privileges_of(p, sids, count);
        for (uint32_t luid = 0; luid <= TOKSIM_PRIV_MAX; luid++)
            if (mask & ((uint64_t)1 << luid))
                first[luid] = toksim_policy_held_by_any(p, luid, sids, count);
        return mask;
    }
    /* Each SID's first position, in an open-addressing table (load <= 1/2): a holder is
     * then one probe instead of a scan of the SIDs (issue 11). */
    uint8_t at[1u << TS_PH_BITS] = {0}; /* position + 1, 0 = empty */
    for (size_t i = 0; i < count; i++) {
        unsigned k = ph_slot(&sids[i]);
        while (at[k] && !toksim_sid_equal(&sids[at[k] - 1], &sids[i]))
            k = (k + 1) & ((1u << TS_PH_BITS) - 1);
        if (!at[k])
            at[k] = (uint8_t)(i + 1);
    }
    for (size_t i = 0; i < N_PRIV_RIGHTS; i++) {
        uint32_t luid = priv_rights[i].right;
        const ts_sidvec *h = &p->holders[luid];
        size_t best = 0; /* the first of the SIDs holding it: position + 1 */
        for (size_t j = 0; luid < 64 && j < h->n; j++) {
            unsigned k = ph_slot(&h->v[j]);
            while (at[k] && !toksim_sid_equal(&sids[at[k] - 1], &h->v[j]))
                k = (k + 1) & ((1u << TS_PH_BITS) - 1);
            if (at[k] && (!best || at[k] < best))
                best = at[k];
        }
        if (best) {
            mask |= (uint64_t)1 << luid;
            first[luid] = &sids[best - 1];
        }
    }
    return mask;
}

toksim_status toksim_policy_apply_traced(toksim_policy *base,
                                         const toksim_policy *tmpl,
                                         unsigned flags,
                                         size_t *adjusted,
                                         toksim_trace *trace)
{
    if (adjusted)
        *adjusted = 0;
    if (!base || !tmpl)
        return TOKSIM_EINVAL;
    for (uint32_t r = 0; r < TOKSIM_RIGHT__END; r++) {
        if (!tmpl->defined[r])
            continue;
        size_t old = base->holders[r].n;
        toksim_status rc =
            toksim_policy_set(base, r, tmpl->holders[r].v, tmpl->holders[r].n);
        if (rc != TOKSIM_OK)
            return rc;
        ts_trace(trace, TOKSIM_RULE_POLICY_RIGHT_REPLACED, TOKSIM_V_CHANGE, NULL, NULL,
                 r <= TOKSIM_PRIV_MAX ? r : 0, (int64_t)tmpl->holders[r].n, (int64_t)old,
                 0, toksim_right_get(r)->name);
    }
    if (!(flags & TOKSIM_SECEDIT_READD_IMPERSONATE) ||
        !tmpl->defined[TOKSIM_PRIV_IMPERSONATE])
        return TOKSIM_OK;
    /* scesrv.log: "SeImpersonatePrivilege must be assigned to administrators. This
     * setting is adjusted." and the same for SERVICE (windows-model §7.4, §13.7). */
    const toksim_sid must[2] = {TS_SID_ADMINS, TS_SID_SERVICE};
    for (size_t i = 0; i < 2; i++) {
        if (toksim_policy_has(base, TOKSIM_PRIV_IMPERSONATE, &must[i]))
            continue;
        toksim_status rc = toksim_policy_grant(base, TOKSIM_PRIV_IMPERSONATE, &must[i]);
        if (rc != TOKSIM_OK)
            return rc;
        ts_trace(trace, TOKSIM_RULE_POLICY_SECEDIT_READD, TOKSIM_V_CHANGE, &must[i], NULL,
                 TOKSIM_PRIV_IMPERSONATE, 0, 0, 0, NULL);
        if (adjusted)
            (*adjusted)++;
    }
    return TOKSIM_OK;
}

toksim_status toksim_policy_apply(toksim_policy *base, const toksim_policy *tmpl)
{
    return toksim_policy_apply_traced(base, tmpl, 0, NULL, NULL);
}

toksim_status toksim_policy_configure(toksim_policy *base,
                                      const toksim_policy *tmpl,
                                      unsigned flags,
                                      size_t *adjusted)
{
    return toksim_policy_apply_traced(base, tmpl, flags, adjusted, NULL);
}
