/*
 * PURPOSE: a token as JSON (what `toksim logon --format json` prints and scenarios show):
 * user, groups with attribute words, privileges with state, integrity, type/level, owner,
 * logon session, origin, elevation, and the linked token one level deep. Deterministic.
 */
#include "toksim/claims.h"
#include <stdio.h>
#include <stdlib.h>
#include "scenario/world_json.h"

/* Attach item to an object (key) or an array (key NULL); on failure the item is freed. */
static bool put(cJSON *parent, const char *key, cJSON *item)
{
    bool ok = item && parent &&
              (key ? cJSON_AddItemToObject(parent, key, item)
                   : cJSON_AddItemToArray(parent, item));
    if (!ok)
        cJSON_Delete(item);
    return ok;
}

static cJSON *sid_obj(const toksim_sid *sid, const toksim_world *w)
{
    char s[TOKSIM_SID_STRING_MAX], n[TOKSIM_SID_STRING_MAX + 300];
    toksim_sid_format(s, sizeof s, sid);
    toksim_world_sid_name(n, sizeof n, sid, (void *)(uintptr_t)w);
    cJSON *o = cJSON_CreateObject();
    if (o && !(cJSON_AddStringToObject(o, "sid", s) &&
               cJSON_AddStringToObject(o, "name", n))) {
        cJSON_Delete(o);
        o = NULL;
    }
    return o;
}

static bool add_hex(cJSON *o, const char *key, uint64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "0x%llx", (unsigned long long)v);
    return cJSON_AddStringToObject(o, key, b) != NULL;
}

static const char *integrity_text(uint32_t rid)
{
    const char *n = toksim_integrity_name(rid);
    return n ? n : "Other";
}

static const char *kind_name(toksim_account_kind k)
{
    switch (k) {
    case TOKSIM_ACCOUNT_USER:
        return "user";
    case TOKSIM_ACCOUNT_GROUP:
        return "group";
    case TOKSIM_ACCOUNT_DOMAIN:
        return "domain";
    case TOKSIM_ACCOUNT_ALIAS:
        return "alias";
    case TOKSIM_ACCOUNT_WELL_KNOWN:
        return "well-known group";
    case TOKSIM_ACCOUNT_LABEL:
        return "label";
    }
    return "unknown";
}

static const struct {
    uint32_t bit;
    const char *word;
} group_words[] = {{TOKSIM_SE_GROUP_MANDATORY, "mandatory"},
                   {TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT, "enabled_by_default"},
                   {TOKSIM_SE_GROUP_ENABLED, "enabled"},
                   {TOKSIM_SE_GROUP_OWNER, "owner"},
                   {TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY, "deny_only"},
                   {TOKSIM_SE_GROUP_INTEGRITY, "integrity"},
                   {TOKSIM_SE_GROUP_INTEGRITY_ENABLED, "integrity_enabled"},
                   {TOKSIM_SE_GROUP_RESOURCE, "resource"},
                   {TOKSIM_SE_GROUP_LOGON_ID, "logon_id"}};

static cJSON *group_obj(const toksim_group *g, const toksim_world *w)
{
    cJSON *go = sid_obj(&g->sid, w), *wa = NULL;
    bool ok = go &&
              cJSON_AddStringToObject(go, "type",
                                      kind_name(toksim_world_sid_kind(w, &g->sid))) &&
              cJSON_AddNumberToObject(go, "attributes", (double)g->attributes) &&
              (wa = cJSON_AddArrayToObject(go, "flags"));
    for (size_t k = 0; ok && k < sizeof group_words / sizeof group_words[0]; k++)
        if ((g->attributes & group_words[k].bit) == group_words[k].bit)
            ok = put(wa, NULL, cJSON_CreateString(group_words[k].word));
    if (!ok) {
        cJSON_Delete(go);
        go = NULL;
    }
    return go;
}

static cJSON *privilege_obj(uint32_t luid, uint32_t attrs)
{
    const toksim_privilege_info *pi = toksim_privilege_by_luid(luid);
    cJSON *po = cJSON_CreateObject();
    if (po && !(cJSON_AddStringToObject(po, "name", pi ? pi->name : "?") &&
                cJSON_AddNumberToObject(po, "luid", luid) &&
                cJSON_AddNumberToObject(po, "attributes", attrs) &&
                cJSON_AddBoolToObject(po, "enabled",
                                      (attrs & TOKSIM_SE_PRIVILEGE_ENABLED) != 0))) {
        cJSON_Delete(po);
        po = NULL;
    }
    return po;
}

/* issue 9: "user_claims", "device_claims", "security_attributes" (local attributes; claim
 * text, claims.h) and "device_groups",
 * present only when the token has them. */
static bool add_claims(cJSON *o, const toksim_token *tok, const toksim_world *w)
{
    static const char *const keys[3] = {"user_claims", "device_claims",
                                        "security_attributes"};
    bool ok = true;
    for (int s = 0; ok && s < 3; s++) {
        size_t n = toksim_token_claim_count(tok, (toksim_claim_scope)s);
        cJSON *a = n ? cJSON_AddArrayToObject(o, keys[s]) : NULL;
        ok = !n || a;
        for (size_t i = 0; ok && i < n; i++) {
            char *t = NULL;
            ok =
                toksim_token_claim_text(&t, tok, (toksim_claim_scope)s, i) == TOKSIM_OK &&
                put(a, NULL, cJSON_CreateString(t));
            free(t);
        }
    }
    size_t ng = toksim_token_device_group_count(tok);
    cJSON *g = ok && ng ? cJSON_AddArrayToObject(o, "device_groups") : NULL;
    ok = ok && (!ng || g);
    for (size_t i = 0; ok && i < ng; i++)
        ok = put(g, NULL, sid_obj(toksim_token_device_group_at(tok, i), w));
    return ok;
}

/* The token as an object; NULL when an allocation failed (never a partial object). */
static cJSON *one(const toksim_token *tok, const toksim_world *w, int depth)
{
    cJSON *o = cJSON_CreateObject(), *groups = NULL, *privs = NULL;
    bool ok = o && put(o, "user", sid_obj(toksim_token_user(tok), w));
    if (ok && (toksim_token_user_attributes(tok) & TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY))
        ok = cJSON_AddBoolToObject(o, "user_deny_only", 1) != NULL;
    ok = ok && (groups = cJSON_AddArrayToObject(o, "groups"));
    for (size_t i = 0; ok && i < toksim_token_group_count(tok); i++)
        ok = put(groups, NULL, group_obj(toksim_token_group_at(tok, i), w));
    ok = ok && (privs = cJSON_AddArrayToObject(o, "privileges"));
    for (size_t i = 0; ok && i < toksim_token_privilege_count(tok); i++) {
        uint32_t luid = 0, attrs = 0;
        (void)toksim_token_privilege_at(tok, i, &luid, &attrs);
        ok = put(privs, NULL, privilege_obj(luid, attrs));
    }
    static const char *const el[] = {"?", "default", "full", "limited"};
    toksim_elevation_type et = toksim_token_elevation_type(tok);
    bool imp = toksim_token_type_of(tok) == TOKSIM_TOKEN_IMPERSONATION;
    ok = ok &&
         cJSON_AddStringToObject(o, "integrity",
                                 integrity_text(toksim_token_integrity(tok))) &&
         cJSON_AddNumberToObject(o, "integrity_rid", toksim_token_integrity(tok)) &&
         cJSON_AddStringToObject(o, "type",
                                 toksim_token_type_name(toksim_token_type_of(tok))) &&
         (!imp || cJSON_AddStringToObject(
                      o, "level", toksim_imp_level_name(toksim_token_level(tok)))) &&
         put(o, "owner", sid_obj(toksim_token_owner(tok), w)) &&
         put(o, "primary_group", sid_obj(toksim_token_primary_group(tok), w)) &&
         add_hex(o, "auth_id", toksim_token_auth_id(tok)) &&
         add_hex(o, "origin", toksim_token_origin(tok)) &&
         cJSON_AddNumberToObject(o, "session", toksim_token_session_id(tok)) &&
         cJSON_AddStringToObject(o, "elevation_type", (unsigned)et <= 3 ? el[et] : "?") &&
         cJSON_AddBoolToObject(o, "elevated", toksim_token_is_elevated(tok)) &&
         cJSON_AddBoolToObject(o, "restricted", toksim_token_is_restricted(tok)) &&
         cJSON_AddStringToObject(
             o, "source", toksim_token_source(tok) ? toksim_token_source(tok) : "");
    ok = ok && add_claims(o, tok, w); /* issue 9 */
    const toksim_token *linked = toksim_token_linked(tok);
    if (ok && linked && depth == 0)
        ok = put(o, "linked", one(linked, w, 1));
    if (!ok) {
        cJSON_Delete(o);
        o = NULL;
    }
    return o;
}

cJSON *ts_token_to_cjson(const toksim_token *tok, const toksim_world *world)
{
    return tok ? one(tok, world, 0) : NULL;
}

toksim_status
toksim_token_to_json(char **out, const toksim_token *tok, const toksim_world *world)
{
    if (!out || !tok)
        return TOKSIM_EINVAL;
    cJSON *o = ts_token_to_cjson(tok, world);
    *out = o ? cJSON_Print(o) : NULL;
    cJSON_Delete(o);
    return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
}
