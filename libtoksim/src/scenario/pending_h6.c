/*
 * PURPOSE: a WEAK stand-in for toksim_world_from_json() (helper H4's world_json.c) so the scenario
 * engine links and its tests run before that loader reaches main. It reads the subset of the world
 * format the shipped scenarios use (machine, domain, accounts with member_of, policy.rights). The
 * real, strong definition wins as soon as world_json.o is linked; delete this file then.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cJSON.h>
#include "internal.h"

static const char *gs(const cJSON *o, const char *k)
{
    const cJSON *i = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(i) ? i->valuestring : NULL;
}

__attribute__((weak)) toksim_status toksim_world_from_json(toksim_world **out, const char *text, size_t len, const char *path,
                                     toksim_error *err)
{
    (void)path;
    *out = NULL;
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (!root)
        return ts_error_set(err, TOKSIM_EPARSE, 0, "bad world JSON");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "machine");
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "domain");
    toksim_sid msid, dsid;
    const char *ms = gs(m, "sid");
    if (ms && toksim_sid_parse(&msid, ms, err)) {
        cJSON_Delete(root);
        return TOKSIM_EPARSE;
    }
    toksim_world *w;
    toksim_status rc = toksim_world_new(&w, gs(m, "name") ? gs(m, "name") : "WS01", ms ? &msid : NULL, gs(m, "os"), err);
    if (rc) {
        cJSON_Delete(root);
        return rc;
    }
    if (d && gs(d, "sid") && toksim_sid_parse(&dsid, gs(d, "sid"), err) == TOKSIM_OK)
        rc = toksim_world_join_domain(w, gs(d, "name"), &dsid, err);
    const cJSON *acc = cJSON_GetObjectItemCaseSensitive(root, "accounts");
    const cJSON *a;
    cJSON_ArrayForEach(a, acc)
    {
        if (rc)
            break;
        toksim_account spec;
        memset(&spec, 0, sizeof spec);
        spec.name = gs(a, "name");
        const char *scope = gs(a, "scope"), *kind = gs(a, "kind");
        spec.scope = scope && strcmp(scope, "domain") == 0 ? TOKSIM_SCOPE_DOMAIN : TOKSIM_SCOPE_MACHINE;
        spec.kind = !kind || strcmp(kind, "user") == 0 ? TOKSIM_ACCOUNT_USER
                    : strcmp(kind, "group") == 0       ? TOKSIM_ACCOUNT_GROUP
                                                       : TOKSIM_ACCOUNT_ALIAS;
        const cJSON *rid = cJSON_GetObjectItemCaseSensitive(a, "rid");
        if (cJSON_IsNumber(rid))
            spec.rid = (uint32_t)rid->valuedouble;
        spec.password = gs(a, "password");
        rc = toksim_world_add_account(w, &spec, NULL, err);
    }
    cJSON_ArrayForEach(a, acc)
    {
        if (rc)
            break;
        char full[300];
        const char *scope = gs(a, "scope");
        snprintf(full, sizeof full, "%s\\%s",
                 scope && strcmp(scope, "domain") == 0 ? toksim_world_domain_name(w) : toksim_world_machine_name(w),
                 gs(a, "name"));
        toksim_sid me, g;
        if ((rc = toksim_world_resolve(w, full, &me, err)))
            break;
        const cJSON *mo;
        cJSON_ArrayForEach(mo, cJSON_GetObjectItemCaseSensitive(a, "member_of"))
        {
            if ((rc = toksim_world_resolve(w, mo->valuestring, &g, err)) ||
                (rc = toksim_world_add_member(w, &g, &me, err)))
                break;
        }
    }
    const cJSON *pol = cJSON_GetObjectItemCaseSensitive(root, "policy");
    const cJSON *rights = cJSON_GetObjectItemCaseSensitive(pol, "rights");
    const cJSON *r;
    cJSON_ArrayForEach(r, rights)
    {
        if (rc)
            break;
        const toksim_right_info *ri = toksim_right_by_name(r->string);
        if (!ri) {
            rc = ts_error_set(err, TOKSIM_ENOTFOUND, 0, "right %s", r->string);
            break;
        }
        toksim_sid sids[64];
        size_t n = 0;
        const cJSON *h;
        cJSON_ArrayForEach(h, r)
        {
            if (n < 64 && !(rc = toksim_world_resolve(w, h->valuestring, &sids[n], err)))
                n++;
        }
        if (!rc)
            rc = toksim_policy_set(toksim_world_policy(w), ri->right, sids, n);
    }
    cJSON_Delete(root);
    if (rc) {
        toksim_world_free(w);
        return rc;
    }
    *out = w;
    return TOKSIM_OK;
}
