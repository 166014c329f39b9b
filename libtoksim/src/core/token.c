/*
 * PURPOSE: the access token object: user, groups (insertion order), privileges (by LUID),
 * owner, primary group, default DACL, type/level, integrity label, session/logon ids,
 * elevation and linked token, restricting SIDs. Membership questions (toksim_token_match)
 * are answered by an open-addressing hash over user + groups (and one over the
 * restricting SIDs), keyed by ts_sid_ihash (token_int.h) and storing the match class, so
 * the access check's inner loop is one probe.
 *
 * Windows behaviour modelled:
 *  - matching classes follow "SID Attributes in an Access Token" and ReactOS
 * SepSidInTokenEx (windows-model §3.2): the user SID counts as enabled unless deny-only;
 * a group matches allow and deny ACEs when ENABLED, deny ACEs only when
 * USE_FOR_DENY_ONLY, nothing when disabled. The first entry holding a SID decides (user
 * before groups).
 *  - the integrity label is a group with SE_GROUP_INTEGRITY|SE_GROUP_INTEGRITY_ENABLED
 *    (whoami /groups shows it as "Mandatory Label\..."); a token has at most one. It is
 * not SE_GROUP_ENABLED, so it never matches an ACE of the DACL.
 *  - restricting SIDs: NtFilterToken gives them Mandatory|EnabledByDefault|Enabled;
 * attribute 0 passed by a caller is normalised to that.
 *  - the default mandatory policy is NO_WRITE_UP (what LSA sets for ordinary logons).
 * Left out: the token's security descriptor, audit policy, capabilities/claims, LUID
 * allocation (callers set ids explicitly).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "token_int.h"
#include "claims_int.h"

#define TS_PRIV_SLOTS (TOKSIM_PRIV_MAX + 1)

struct toksim_token {
    ts_token_hot hot; /* first: what the access check reads (token_int.h) */
    toksim_sid user;
    uint32_t user_attributes;
    toksim_group *groups;
    size_t ngroups, capgroups;
    toksim_group *restricted;
    size_t nrestricted, caprestricted;
    int32_t integrity_group; /* index of the label group, -1 when none */

    uint64_t priv_held;                /* bit n: privilege LUID n is present */
    uint32_t priv_attr[TS_PRIV_SLOTS]; /* SE_PRIVILEGE_* per LUID */

    bool has_owner; /* false = the user */
    toksim_sid owner;
    toksim_sid primary_group;
    toksim_acl *default_dacl;

    toksim_elevation_type elevation_type;
    bool elevated;
    bool filtered; /* TokenHasRestrictions: ever filtered (CreateRestrictedToken) */
    uint64_t auth_id, origin, token_id, parent_id;
    uint32_t session_id;
    char source[9];
    toksim_token *linked;
    ts_claims *claims; /* user/device claims, device groups (claims.c), or NULL */
};

_Static_assert(offsetof(struct toksim_token, hot) == 0, "ts_hot() needs hot first");

/* ---- membership index ---- */

static uint32_t class_of(uint32_t attributes, bool is_user)
{
    if (attributes & TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY)
        return TOKSIM_MATCH_DENY_ONLY;
    if (is_user || (attributes & TOKSIM_SE_GROUP_ENABLED))
        return TOKSIM_MATCH_ALLOW;
    return TOKSIM_MATCH_DISABLED;
}

/* The index over nothing (no user, no entry: the restricting SIDs of most tokens): one
 * shared empty slot, read by probes (mask 0), never written, never freed (issue 11: no
 * allocation, copy and free of an empty table per token). */
static const ts_slot no_slots[1];

static void slots_free(ts_slot *slots)
{
    if (slots != no_slots)
        free(slots);
}

/*
 * Rebuild an index over (user if given) + list[0..n). Load factor stays <= 1/4. First
 * entry for a SID wins, as in SepSidInTokenEx. Returns false on allocation failure (index
 * unchanged).
 */
static bool index_rebuild(ts_index *idx,
                          const toksim_group *list,
                          size_t n,
                          size_t room,
                          const toksim_sid *user,
                          uint32_t user_attributes,
                          bool restricted)
{
    if (!n && !room && !user) {
        slots_free(idx->slots);
        *idx = (ts_index){(ts_slot *)no_slots, 0}; /* const: a write would fault */
        return true;
    }
    size_t need = ((n > room ? n : room) + 1) * 4,
           cap = 16; /* load <= 1/4: a miss (most ACEs) ends in ~1 probe */
    while (cap < need)
        cap *= 2;
    ts_slot *slots = ts_calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    ts_index fresh = {slots, (uint32_t)(cap - 1)};
    if (user) {
        uint32_t h = ts_sid_ihash(user);
        ts_slot *s = ts_index_find(&fresh, user, h);
        *s = (ts_slot){
            .key = ts_hkey(h), .cls = class_of(user_attributes, true), .sid = user};
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t h = ts_sid_ihash(&list[i].sid);
        ts_slot *s = ts_index_find(&fresh, &list[i].sid, h);
        if (s->cls != TOKSIM_MATCH_NONE)
            continue;
        uint32_t attrs = list[i].attributes;
        if (restricted && attrs == 0)
            attrs = TOKSIM_SE_GROUP_DEFAULT;
        *s = (ts_slot){
            .key = ts_hkey(h), .cls = class_of(attrs, false), .sid = &list[i].sid};
    }
    slots_free(idx->slots);
    *idx = fresh;
    return true;
}

/* The label group is entry `at` (-1: none): keep the index and the cached RID in step. */
static void set_integrity_group(toksim_token *tok, int32_t at)
{
    tok->integrity_group = at;
    tok->hot.integrity_rid =
        at < 0 ? TOKSIM_IL_UNTRUSTED : toksim_sid_rid(&tok->groups[at].sid);
    ts_hot_refresh(&tok->hot);
}

static bool reindex_groups(toksim_token *tok)
{
    int32_t label = -1;
    for (size_t i = 0; i < tok->ngroups; i++)
        if (tok->groups[i].attributes & TOKSIM_SE_GROUP_INTEGRITY)
            label = (int32_t)i;
    set_integrity_group(tok, label);
    return index_rebuild(&tok->hot.index, tok->groups, tok->ngroups, 0, &tok->user,
                         tok->user_attributes, false);
}

static bool reindex_restricted(toksim_token *tok)
{
    if (!index_rebuild(&tok->hot.rindex, tok->restricted, tok->nrestricted, 0, NULL, 0,
                       true))
        return false;
    tok->hot.restricted = tok->nrestricted > 0;
    ts_hot_refresh(&tok->hot);
    return true;
}

int toksim_token_match(const toksim_token *tok, const toksim_sid *sid)
{
    if (!tok || !sid)
        return TOKSIM_MATCH_NONE;
    return ts_index_probe(&tok->hot.index, sid);
}

int toksim_token_match_restricted(const toksim_token *tok, const toksim_sid *sid)
{
    if (!tok || !sid)
        return TOKSIM_MATCH_NONE;
    return ts_index_probe(&tok->hot.rindex, sid);
}

/* ---- lifecycle ---- */

/* A new token with room for `room` groups (ts_token_new_reserved). */
static toksim_status token_new(toksim_token **out, const toksim_sid *user, size_t room)
{
    if (!out || !user)
        return TOKSIM_EINVAL;
    toksim_token *tok = ts_calloc(1, sizeof *tok);
    if (!tok)
        return TOKSIM_ENOMEM;
    tok->user = *user;
    tok->primary_group = *user;
    tok->hot.type = TOKSIM_TOKEN_PRIMARY;
    tok->hot.level = TOKSIM_IMP_ANONYMOUS;
    tok->hot.mandatory_policy = TOKSIM_TOKEN_MANDATORY_POLICY_NO_WRITE_UP;
    tok->elevation_type = TOKSIM_ELEVATION_DEFAULT;
    if (room > TOKSIM_TOKEN_MAX_GROUPS)
        room = TOKSIM_TOKEN_MAX_GROUPS;
    set_integrity_group(tok, -1); /* what reindex_groups sets for no group */
    if ((room &&
         !ts_grow((void **)&tok->groups, &tok->capgroups, room, sizeof *tok->groups)) ||
        !index_rebuild(&tok->hot.index, tok->groups, 0, room, &tok->user,
                       tok->user_attributes, false) ||
        !reindex_restricted(tok)) {
        toksim_token_free(tok);
        return TOKSIM_ENOMEM;
    }
    *out = tok;
    return TOKSIM_OK;
}

toksim_status toksim_token_new(toksim_token **out, const toksim_sid *user)
{
    return token_new(out, user, 0);
}

toksim_status
ts_token_new_reserved(toksim_token **out, const toksim_sid *user, size_t ngroups)
{
    return token_new(out, user, ngroups);
}

void toksim_token_free(toksim_token *tok)
{
    if (!tok)
        return;
    toksim_token_free(tok->linked);
    free(tok->groups);
    free(tok->restricted);
    slots_free(tok->hot.index.slots);
    slots_free(tok->hot.rindex.slots);
    toksim_acl_free(tok->default_dacl);
    ts_claims_free(tok->claims);
    free(tok);
}

static toksim_group *dup_groups(const toksim_group *src, size_t n)
{
    toksim_group *g = malloc((n ? n : 1) * sizeof *g);
    if (g && n)
        memcpy(g, src, n * sizeof *g);
    return g;
}

/*
 * The index of a copy: the source's slots, with their SID pointers moved from the
 * source's user and list to the copy's. It answers as a rebuilt one (the same SIDs with
 * the same classes, first entry winning), without hashing a SID (issue 11).
 */
static bool index_copy(ts_index *dst,
                       const ts_index *src,
                       const toksim_sid *src_user,
                       const toksim_group *src_list,
                       const toksim_sid *dst_user,
                       const toksim_group *dst_list)
{
    if (src->slots == no_slots) { /* shared, nothing to move */
        *dst = *src;
        return true;
    }
    size_t cap = (size_t)src->mask + 1;
    ts_slot *slots = malloc(cap * sizeof *slots);
    if (!slots)
        return false;
    memcpy(slots, src->slots, cap * sizeof *slots);
    for (size_t i = 0; i < cap; i++) {
        if (slots[i].cls == TOKSIM_MATCH_NONE)
            continue;
        if (src_user && slots[i].sid == src_user) {
            slots[i].sid = dst_user;
            continue;
        }
        const toksim_group *g =
            (const toksim_group *)(const void *)((const char *)slots[i].sid -
                                                 offsetof(toksim_group, sid));
        slots[i].sid = &dst_list[g - src_list].sid;
    }
    dst->slots = slots;
    dst->mask = src->mask;
    return true;
}

toksim_status toksim_token_copy(toksim_token **out, const toksim_token *src)
{
    if (!out || !src)
        return TOKSIM_EINVAL;
    toksim_token *tok = malloc(sizeof *tok); /* every field set from src below */
    if (!tok)
        return TOKSIM_ENOMEM;
    *tok = *src;
    tok->groups = tok->restricted = NULL;
    tok->hot.index.slots = tok->hot.rindex.slots = NULL;
    tok->default_dacl = NULL;
    tok->linked = NULL;
    bool claims_ok;
    tok->claims = ts_claims_copy(src->claims, &claims_ok);
    tok->capgroups = src->ngroups;
    tok->caprestricted = src->nrestricted;
    toksim_status rc = TOKSIM_ENOMEM;
    if (!claims_ok || !(tok->groups = dup_groups(src->groups, src->ngroups)) ||
        !(tok->restricted = dup_groups(src->restricted, src->nrestricted)) ||
        !index_copy(&tok->hot.index, &src->hot.index, &src->user, src->groups, &tok->user,
                    tok->groups) ||
        !index_copy(&tok->hot.rindex, &src->hot.rindex, NULL, src->restricted, NULL,
                    tok->restricted))
        goto fail;
    /* what reindex_groups and reindex_restricted would set (the same as src's) */
    int32_t label = -1;
    for (size_t i = 0; i < tok->ngroups; i++)
        if (tok->groups[i].attributes & TOKSIM_SE_GROUP_INTEGRITY)
            label = (int32_t)i;
    tok->hot.restricted = tok->nrestricted > 0;
    set_integrity_group(tok, label);
    if (src->default_dacl &&
        (rc = toksim_acl_copy(&tok->default_dacl, src->default_dacl)))
        goto fail;
    if (src->linked && (rc = toksim_token_copy(&tok->linked, src->linked)))
        goto fail;
    *out = tok;
    return TOKSIM_OK;
fail:
    toksim_token_free(tok);
    return rc;
}

/* ---- groups ---- */

static long find_group_index(const toksim_token *tok, const toksim_sid *sid)
{
    for (size_t i = 0; i < tok->ngroups; i++)
        if (toksim_sid_equal(&tok->groups[i].sid, sid))
            return (long)i;
    return -1;
}

/* Remove entry i of a group list, keeping the order. */
static void list_remove(toksim_group *list, size_t *n, size_t i)
{
    memmove(&list[i], &list[i + 1], (*n - i - 1) * sizeof *list);
    (*n)--;
}

/*
 * Entry of sid in the group list, -1 when absent, found through the index: the slot of a
 * group SID points into tok->groups. Only a SID that is also the user's (whose slot
 * points at tok->user: first entry wins) needs the list walked.
 */
static long group_index_of(const toksim_token *tok, const toksim_sid *sid, uint32_t hash)
{
    const ts_slot *s = ts_index_find(&tok->hot.index, sid, hash);
    if (s->cls == TOKSIM_MATCH_NONE)
        return -1;
    if (s->sid == &tok->user)
        return find_group_index(tok, sid);
    const toksim_group *g =
        (const toksim_group *)(const void *)((const char *)s->sid -
                                             offsetof(toksim_group, sid));
    return (long)(g - tok->groups);
}

/*
 * Append a new group to the index without rebuilding it (so that building a token is
 * linear in its groups): possible while the group array was not reallocated and the load
 * stays <= 1/4; otherwise the index is rebuilt (amortised: both grow by doubling).
 */
static bool index_append_group(toksim_token *tok, bool grew, uint32_t hash)
{
    size_t n = tok->ngroups - 1; /* the new entry */
    const toksim_group *g = &tok->groups[n];
    if (g->attributes & TOKSIM_SE_GROUP_INTEGRITY)
        set_integrity_group(tok, (int32_t)n);
    if (grew || (tok->ngroups + 1) * 4 > (size_t)tok->hot.index.mask + 1)
        return reindex_groups(tok);
    ts_slot *s = ts_index_find(&tok->hot.index, &g->sid, hash);
    if (s->cls == TOKSIM_MATCH_NONE) /* else the user holds the SID: first entry wins */
        *s = (ts_slot){
            .key = ts_hkey(hash), .cls = class_of(g->attributes, false), .sid = &g->sid};
    return true;
}

toksim_status
toksim_token_add_group(toksim_token *tok, const toksim_sid *sid, uint32_t attributes)
{
    if (!tok || !sid)
        return TOKSIM_EINVAL;
    /* A token carries one label: a new integrity SID replaces the previous one. */
    if ((attributes & TOKSIM_SE_GROUP_INTEGRITY) && tok->integrity_group >= 0 &&
        !toksim_sid_equal(&tok->groups[tok->integrity_group].sid, sid)) {
        list_remove(tok->groups, &tok->ngroups, (size_t)tok->integrity_group);
        if (!reindex_groups(tok)) /* entries moved: the index points at old places */
            return TOKSIM_ENOMEM;
    }
    uint32_t hash = ts_sid_ihash(sid);
    long at = group_index_of(tok, sid, hash);
    if (at >= 0) {
        tok->groups[at].attributes = attributes;
    } else {
        if (tok->ngroups >= TOKSIM_TOKEN_MAX_GROUPS)
            return TOKSIM_ELIMIT;
        bool grew = tok->ngroups + 1 > tok->capgroups; /* the array may move */
        if (!ts_grow((void **)&tok->groups, &tok->capgroups, tok->ngroups + 1,
                     sizeof *tok->groups)) {
            reindex_groups(tok); /* realloc failed: the array did not move */
            return TOKSIM_ENOMEM;
        }
        tok->groups[tok->ngroups].sid = *sid;
        tok->groups[tok->ngroups].attributes = attributes;
        tok->ngroups++;
        return index_append_group(tok, grew, hash) ? TOKSIM_OK : TOKSIM_ENOMEM;
    }
    /* An existing entry changed attributes (rare): rebuild, which also finds the label.
     */
    if (!reindex_groups(tok))
        return TOKSIM_ENOMEM;
    return TOKSIM_OK;
}

toksim_status toksim_token_remove_group(toksim_token *tok, const toksim_sid *sid)
{
    if (!tok || !sid)
        return TOKSIM_EINVAL;
    long at = find_group_index(tok, sid);
    if (at < 0)
        return TOKSIM_ENOTFOUND;
    list_remove(tok->groups, &tok->ngroups, (size_t)at);
    /* The default owner must be the user or a group of the token: fall back to the user.
     */
    if (tok->has_owner && toksim_sid_equal(&tok->owner, sid))
        tok->has_owner = false;
    return reindex_groups(tok) ? TOKSIM_OK : TOKSIM_ENOMEM;
}

void toksim_token_set_user_attributes(toksim_token *tok, uint32_t attributes)
{
    if (!tok)
        return;
    tok->user_attributes = attributes;
    uint32_t h = ts_sid_ihash(&tok->user);
    ts_slot *s = ts_index_find(&tok->hot.index, &tok->user, h);
    if (s->cls != TOKSIM_MATCH_NONE && s->sid == &tok->user)
        s->cls = class_of(attributes, true);
}

toksim_status toksim_token_add_restricted_sid(toksim_token *tok,
                                              const toksim_sid *sid,
                                              uint32_t attributes)
{
    if (!tok || !sid)
        return TOKSIM_EINVAL;
    for (size_t i = 0; i < tok->nrestricted; i++) {
        if (toksim_sid_equal(&tok->restricted[i].sid, sid)) {
            tok->restricted[i].attributes = attributes;
            return reindex_restricted(tok) ? TOKSIM_OK : TOKSIM_ENOMEM;
        }
    }
    if (tok->nrestricted >= TOKSIM_TOKEN_MAX_GROUPS)
        return TOKSIM_ELIMIT;
    if (!ts_grow((void **)&tok->restricted, &tok->caprestricted, tok->nrestricted + 1,
                 sizeof *tok->restricted))
        return TOKSIM_ENOMEM;
    tok->restricted[tok->nrestricted].sid = *sid;
    tok->restricted[tok->nrestricted].attributes = attributes;
    tok->nrestricted++;
    if (!reindex_restricted(tok)) {
        tok->nrestricted--;
        return TOKSIM_ENOMEM;
    }
    return TOKSIM_OK;
}

toksim_status toksim_token_remove_restricted_sid(toksim_token *tok, const toksim_sid *sid)
{
    if (!tok || !sid)
        return TOKSIM_EINVAL;
    for (size_t i = 0; i < tok->nrestricted; i++) {
        if (toksim_sid_equal(&tok->restricted[i].sid, sid)) {
            memmove(&tok->restricted[i], &tok->restricted[i + 1],
                    (tok->nrestricted - i - 1) * sizeof *tok->restricted);
            tok->nrestricted--;
            return reindex_restricted(tok) ? TOKSIM_OK : TOKSIM_ENOMEM;
        }
    }
    return TOKSIM_ENOTFOUND;
}

void toksim_token_set_write_restricted(toksim_token *tok, bool on)
{
    if (tok)
        tok->hot.write_restricted = on;
}

toksim_status toksim_token_set_integrity(toksim_token *tok, uint32_t rid)
{
    if (!tok)
        return TOKSIM_EINVAL;
    toksim_sid label;
    toksim_status rc =
        toksim_sid_make(&label, 16, &rid, 1); /* SECURITY_MANDATORY_LABEL_AUTHORITY */
    if (rc)
        return rc;
    return toksim_token_add_group(
        tok, &label, TOKSIM_SE_GROUP_INTEGRITY | TOKSIM_SE_GROUP_INTEGRITY_ENABLED);
}

void toksim_token_set_mandatory_policy(toksim_token *tok, uint32_t policy)
{
    if (tok) {
        tok->hot.mandatory_policy = policy;
        ts_hot_refresh(&tok->hot);
    }
}

void toksim_token_set_type(toksim_token *tok,
                           toksim_token_type type,
                           toksim_imp_level level)
{
    if (!tok)
        return;
    tok->hot.type = type;
    tok->hot.level = level;
    ts_hot_refresh(&tok->hot);
}

toksim_status toksim_token_set_owner(toksim_token *tok, const toksim_sid *owner)
{
    if (!tok || !owner)
        return TOKSIM_EINVAL;
    if (toksim_sid_equal(owner, &tok->user)) {
        tok->has_owner = false;
        return TOKSIM_OK;
    }
    if (find_group_index(tok, owner) < 0)
        return TOKSIM_ENOTFOUND;
    tok->has_owner = true;
    tok->owner = *owner;
    return TOKSIM_OK;
}

void toksim_token_set_primary_group(toksim_token *tok, const toksim_sid *group)
{
    if (tok && group)
        tok->primary_group = *group;
}

toksim_status toksim_token_set_default_dacl(toksim_token *tok, const toksim_acl *dacl)
{
    if (!tok)
        return TOKSIM_EINVAL;
    toksim_acl *copy = NULL;
    if (dacl) {
        toksim_status rc = toksim_acl_copy(&copy, dacl);
        if (rc)
            return rc;
    }
    toksim_acl_free(tok->default_dacl);
    tok->default_dacl = copy;
    return TOKSIM_OK;
}

void ts_token_take_default_dacl(toksim_token *tok, toksim_acl *dacl)
{
    toksim_acl_free(tok->default_dacl);
    tok->default_dacl = dacl;
}

void toksim_token_set_auth_id(toksim_token *tok, uint64_t luid)
{
    if (tok)
        tok->auth_id = luid;
}

void toksim_token_set_origin(toksim_token *tok, uint64_t luid)
{
    if (tok)
        tok->origin = luid;
}

void toksim_token_set_session_id(toksim_token *tok, uint32_t session)
{
    if (tok)
        tok->session_id = session;
}

void toksim_token_set_elevation(toksim_token *tok,
                                toksim_elevation_type type,
                                bool elevated)
{
    if (!tok)
        return;
    tok->elevation_type = type;
    tok->elevated = elevated;
}

void toksim_token_set_linked(toksim_token *tok, toksim_token *linked)
{
    if (!tok || linked == tok)
        return;
    if (tok->linked != linked)
        toksim_token_free(tok->linked);
    tok->linked = linked;
}

void toksim_token_set_token_id(toksim_token *tok, uint64_t id)
{
    if (tok)
        tok->token_id = id;
}

void toksim_token_set_parent_id(toksim_token *tok, uint64_t id)
{
    if (tok)
        tok->parent_id = id;
}

void toksim_token_set_source(toksim_token *tok, const char *name)
{
    if (!tok)
        return;
    /* TOKEN_SOURCE.SourceName is CHAR[8]: at most 8 bytes and the terminator, what
     * snprintf("%.8s") wrote (issue 11: without it). */
    size_t l = name ? strnlen(name, sizeof tok->source - 1) : 0;
    if (l)
        memcpy(tok->source, name, l);
    tok->source[l] = '\0';
}

void toksim_token_set_appcontainer(toksim_token *tok, bool on)
{
    if (tok)
        tok->hot.appcontainer = on;
}

/* ---- privileges ---- */

static bool valid_luid(uint32_t luid)
{
    return luid >= 2 &&
           luid <= TOKSIM_PRIV_MAX; /* SE_MIN_WELL_KNOWN_PRIVILEGE .. SE_MAX_... */
}

toksim_status
toksim_token_set_privilege(toksim_token *tok, uint32_t luid, uint32_t attributes)
{
    if (!tok || !valid_luid(luid))
        return TOKSIM_EINVAL;
    if (attributes & TOKSIM_SE_PRIVILEGE_REMOVED) {
        toksim_token_remove_privilege(tok, luid);
        return TOKSIM_OK;
    }
    tok->priv_held |= (uint64_t)1 << luid;
    tok->priv_attr[luid] = attributes;
    return TOKSIM_OK;
}

void toksim_token_remove_privilege(toksim_token *tok, uint32_t luid)
{
    if (!tok || !valid_luid(luid))
        return;
    tok->priv_held &= ~((uint64_t)1 << luid);
    tok->priv_attr[luid] = 0;
}

int64_t toksim_token_privilege(const toksim_token *tok, uint32_t luid)
{
    if (!tok || !valid_luid(luid) || !(tok->priv_held & ((uint64_t)1 << luid)))
        return -1;
    return tok->priv_attr[luid];
}

bool toksim_token_privilege_enabled(const toksim_token *tok, uint32_t luid)
{
    int64_t a = toksim_token_privilege(tok, luid);
    return a >= 0 && (a & TOKSIM_SE_PRIVILEGE_ENABLED);
}

size_t toksim_token_privilege_count(const toksim_token *tok)
{
    size_t n = 0;
    if (tok)
        for (uint32_t l = 0; l < TS_PRIV_SLOTS; l++)
            n += (tok->priv_held >> l) & 1u;
    return n;
}

bool toksim_token_privilege_at(const toksim_token *tok,
                               size_t i,
                               uint32_t *luid,
                               uint32_t *attributes)
{
    if (!tok)
        return false;
    for (uint32_t l = 0; l < TS_PRIV_SLOTS; l++) {
        if (!((tok->priv_held >> l) & 1u))
            continue;
        if (i-- == 0) {
            if (luid)
                *luid = l;
            if (attributes)
                *attributes = tok->priv_attr[l];
            return true;
        }
    }
    return false;
}

/* ---- queries ---- */

const toksim_sid *toksim_token_user(const toksim_token *tok)
{
    return tok ? &tok->user : NULL;
}

uint32_t toksim_token_user_attributes(const toksim_token *tok)
{
    return tok ? tok->user_attributes : 0;
}

size_t toksim_token_group_count(const toksim_token *tok)
{
    return tok ? tok->ngroups : 0;
}

const toksim_group *toksim_token_group_at(const toksim_token *tok, size_t i)
{
    return (tok && i < tok->ngroups) ? &tok->groups[i] : NULL;
}

const toksim_group *toksim_token_find_group(const toksim_token *tok,
                                            const toksim_sid *sid)
{
    if (!tok || !sid)
        return NULL;
    long at = group_index_of(tok, sid, ts_sid_ihash(sid));
    return at < 0 ? NULL : &tok->groups[at];
}

size_t toksim_token_restricted_count(const toksim_token *tok)
{
    return tok ? tok->nrestricted : 0;
}

const toksim_group *toksim_token_restricted_at(const toksim_token *tok, size_t i)
{
    return (tok && i < tok->nrestricted) ? &tok->restricted[i] : NULL;
}

bool toksim_token_is_restricted(const toksim_token *tok)
{
    return tok && tok->hot.restricted;
}

bool toksim_token_is_write_restricted(const toksim_token *tok)
{
    return tok && tok->hot.write_restricted;
}

uint32_t toksim_token_integrity(const toksim_token *tok)
{
    return tok ? tok->hot.integrity_rid : TOKSIM_IL_UNTRUSTED;
}

bool toksim_token_has_integrity(const toksim_token *tok)
{
    return tok && tok->integrity_group >= 0;
}

uint32_t toksim_token_mandatory_policy(const toksim_token *tok)
{
    return tok ? tok->hot.mandatory_policy : 0;
}

toksim_token_type toksim_token_type_of(const toksim_token *tok)
{
    return tok ? tok->hot.type : TOKSIM_TOKEN_PRIMARY;
}

toksim_imp_level toksim_token_level(const toksim_token *tok)
{
    return tok ? tok->hot.level : TOKSIM_IMP_ANONYMOUS;
}

const toksim_sid *toksim_token_owner(const toksim_token *tok)
{
    if (!tok)
        return NULL;
    return tok->has_owner ? &tok->owner : &tok->user;
}

const toksim_sid *toksim_token_primary_group(const toksim_token *tok)
{
    return tok ? &tok->primary_group : NULL;
}

const toksim_acl *toksim_token_default_dacl(const toksim_token *tok)
{
    return tok ? tok->default_dacl : NULL;
}

uint64_t toksim_token_auth_id(const toksim_token *tok)
{
    return tok ? tok->auth_id : 0;
}

uint64_t toksim_token_origin(const toksim_token *tok)
{
    return tok ? tok->origin : 0;
}

uint32_t toksim_token_session_id(const toksim_token *tok)
{
    return tok ? tok->session_id : 0;
}

toksim_elevation_type toksim_token_elevation_type(const toksim_token *tok)
{
    return tok ? tok->elevation_type : TOKSIM_ELEVATION_DEFAULT;
}

bool toksim_token_is_elevated(const toksim_token *tok)
{
    return tok && tok->elevated;
}

const toksim_token *toksim_token_linked(const toksim_token *tok)
{
    return tok ? tok->linked : NULL;
}

uint64_t toksim_token_id(const toksim_token *tok)
{
    return tok ? tok->token_id : 0;
}

uint64_t toksim_token_parent_id(const toksim_token *tok)
{
    return tok ? tok->parent_id : 0;
}

const char *toksim_token_source(const toksim_token *tok)
{
    return tok ? tok->source : "";
}

bool toksim_token_is_appcontainer(const toksim_token *tok)
{
    return tok && tok->hot.appcontainer;
}

const char *toksim_integrity_name(uint32_t rid)
{
    /* S-1-16-x labels (windows-model §3.5), named as their well-known SIDs are. */
    switch (rid) {
    case TOKSIM_IL_UNTRUSTED:
        return "Untrusted";
    case TOKSIM_IL_LOW:
        return "Low";
    case TOKSIM_IL_MEDIUM:
        return "Medium";
    case TOKSIM_IL_MEDIUM_PLUS:
        return "Medium Plus";
    case TOKSIM_IL_HIGH:
        return "High";
    case TOKSIM_IL_SYSTEM:
        return "System";
    case TOKSIM_IL_PROTECTED:
        return "Protected";
    }
    return NULL;
}

/* Case-insensitive equality where '-' in a stands for a space in b. */
static bool level_name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a == '-' ? ' ' : *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return !*a && !*b;
}

bool toksim_integrity_parse(const char *s, uint32_t *rid)
{
    static const uint32_t rids[] = {
        TOKSIM_IL_UNTRUSTED, TOKSIM_IL_LOW,    TOKSIM_IL_MEDIUM,   TOKSIM_IL_MEDIUM_PLUS,
        TOKSIM_IL_HIGH,      TOKSIM_IL_SYSTEM, TOKSIM_IL_PROTECTED};
    if (!s || !rid)
        return false;
    for (size_t i = 0; i < sizeof rids / sizeof rids[0]; i++)
        if (level_name_eq(s, toksim_integrity_name(rids[i]))) {
            *rid = rids[i];
            return true;
        }
    toksim_sid sid; /* a label SID: S-1-16-<rid> (windows-model §3.5) */
    if (strncmp(s, "S-1-16-", 7) == 0 && toksim_sid_parse(&sid, s, NULL) == TOKSIM_OK &&
        sid.count == 1) {
        *rid = toksim_sid_rid(&sid);
        return true;
    }
    return false;
}

const char *toksim_imp_level_name(toksim_imp_level level)
{
    switch (level) {
    case TOKSIM_IMP_ANONYMOUS:
        return "Anonymous";
    case TOKSIM_IMP_IDENTIFICATION:
        return "Identification";
    case TOKSIM_IMP_IMPERSONATION:
        return "Impersonation";
    case TOKSIM_IMP_DELEGATION:
        return "Delegation";
    }
    return "Unknown";
}

const char *toksim_token_type_name(toksim_token_type type)
{
    switch (type) {
    case TOKSIM_TOKEN_PRIMARY:
        return "Primary";
    case TOKSIM_TOKEN_IMPERSONATION:
        return "Impersonation";
    }
    return "Unknown";
}

const ts_claims *ts_token_claims(const toksim_token *tok)
{
    return tok->claims;
}

ts_claims **ts_token_claims_slot(toksim_token *tok)
{
    return &tok->claims;
}

/* ---- "ever filtered" (TokenHasRestrictions; kept by copies) ---- */

void toksim_token_set_filtered(toksim_token *tok, bool on)
{
    if (tok)
        tok->filtered = on;
}

bool toksim_token_is_filtered(const toksim_token *tok)
{
    return tok && tok->filtered;
}
