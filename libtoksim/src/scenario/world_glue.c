/*
 * PURPOSE: the "world" section of a scenario. The world loader (world_json.c) reads
 * machine, domain, accounts and policy from the parsed section, with the scenario file's
 * position map, so its errors point into the scenario; the objects the steps touch
 * ("objects": path, type, SDDL, optional machine) are read here, their SDDL resolved
 * against the world's machine and domain. Every run starts from a fresh copy of the
 * world loaded here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/world_glue.h"
#include "scenario/world_json.h"
#include "scenario/run_int.h" /* ts_fmt */
#include "identity/identity_int.h"
#include "toksim/world.h"
#include "toksim/world_json.h"

#define TS_MAX_OBJECTS 256

static toksim_status load_objects(ts_loader *L, ts_world_holder *w, const cJSON *objs)
{
    if (!cJSON_IsArray(objs))
        return ts_load_fail(L, TOKSIM_EPARSE, objs, false, "world.objects",
                            "expected a list of {\"path\", \"type\", \"sddl\"}");
    int n = cJSON_GetArraySize(objs);
    if (n > TS_MAX_OBJECTS)
        return ts_load_fail(L, TOKSIM_ELIMIT, objs, false, "world.objects",
                            "more than %d objects", TS_MAX_OBJECTS);
    w->objects = ts_calloc((size_t)n, sizeof *w->objects);
    if (!w->objects)
        return TOKSIM_ENOMEM;
    toksim_sid_context ctx = toksim_world_sid_context(w->world);
    char path[48];
    for (const cJSON *c = objs->child; c; c = c->next) {
        ts_fmt(path, sizeof path, "world.objects[%zu]", w->nobjects);
        ts_object *o = &w->objects[w->nobjects++];
        o->offset = ts_jpos_of(&L->doc, c, false);
        if (!cJSON_IsObject(c))
            return ts_load_fail(L, TOKSIM_EPARSE, c, false, path,
                                "expected {\"path\", \"type\", \"sddl\"}");
        for (const cJSON *m = c->child; m; m = m->next) {
            const char *k = m->string ? m->string : "";
            if (strcmp(k, "path") && strcmp(k, "type") && strcmp(k, "sddl") &&
                strcmp(k, "machine") && strcmp(k, "note") && strcmp(k, "share_sddl"))
                return ts_load_fail(L, TOKSIM_EPARSE, m, true, path,
                                    "unknown key \"%.40s\" (expected one of: path, type, "
                                    "sddl, share_sddl, machine, note)",
                                    k);
            if (!cJSON_IsString(m) || strlen(m->valuestring) > TS_SCEN_MAX_STRING)
                return ts_load_fail(L, TOKSIM_EPARSE, m, false, path,
                                    "\"%s\" must be a string (at most %d bytes)", k,
                                    TS_SCEN_MAX_STRING);
        }
        const cJSON *p = ts_jget(c, "path");
        const cJSON *t = ts_jget(c, "type");
        const cJSON *s = ts_jget(c, "sddl");
        const cJSON *mach = ts_jget(c, "machine");
        if (!p || !s)
            return ts_load_fail(L, TOKSIM_EPARSE, c, false, path,
                                "an object needs \"path\" and \"sddl\"");
        for (size_t j = 0; j + 1 < w->nobjects; j++)
            if (ts_strcasecmp(w->objects[j].path, p->valuestring) == 0)
                return ts_load_fail(L, TOKSIM_EPARSE, p, false, path,
                                    "object \"%.80s\" is declared twice", p->valuestring);
        if (!(o->path = ts_strdup(p->valuestring)))
            return TOKSIM_ENOMEM;
        if (mach && !(o->machine = ts_strdup(mach->valuestring)))
            return TOKSIM_ENOMEM;
        o->type = TOKSIM_OBJ_FILE;
        if (t && toksim_object_type_parse(&o->type, t->valuestring) != TOKSIM_OK)
            return ts_load_fail(
                L, TOKSIM_EPARSE, t, false, path,
                "unknown object type \"%.40s\" (expected file, directory, key, service, "
                "scmanager, process, thread, token, pipe, wmi or generic)",
                t->valuestring);
        toksim_error se = {0};
        toksim_status rc = toksim_sd_from_sddl(&o->sd, s->valuestring, &ctx, &se);
        if (rc == TOKSIM_ENOMEM)
            return rc;
        if (rc) { /* at the character inside the SDDL string (after its opening quote) */
            char spath[64];
            ts_fmt(spath, sizeof spath, "%s.sddl", path);
            return ts_load_fail_at(L, rc, ts_jpos_of(&L->doc, s, false) + 1 + se.offset,
                                   spath, "%s", se.message);
        }
        const cJSON *sh = ts_jget(c, "share_sddl");
        if (sh && (rc = toksim_sd_from_sddl(&o->share_sd, sh->valuestring, &ctx, &se))) {
            if (rc == TOKSIM_ENOMEM)
                return rc;
            char spath[64];
            ts_fmt(spath, sizeof spath, "%s.share_sddl", path);
            return ts_load_fail_at(L, rc, ts_jpos_of(&L->doc, sh, false) + 1 + se.offset,
                                   spath, "%s", se.message);
        }
    }
    return TOKSIM_OK;
}

toksim_status ts_world_glue_load(ts_loader *L, toksim_scenario *sc, const cJSON *world)
{
    /*
     * The world loader rejects unknown members too; checked here first so that the
     * message lists every member a scenario's world may hold (docs/world-format.md plus
     * the scenario's own "objects"): a misspelt "rigths" cannot silently drop a policy.
     */
    toksim_status rc0 =
        ts_load_check_keys(L, world, "world",
                           "machine,domain,os,users,groups,memberships,virtual_accounts,"
                           "policy_inf,secedit_configure,rights,objects,note,"
                           "now,settings,app_pools,services,trusts,computer_object");
    if (rc0)
        return rc0;
    ts_world_holder *w = ts_calloc(1, sizeof *w);
    if (!w)
        return TOKSIM_ENOMEM;
    sc->world = w;
    w->off = ts_jpos_of(&L->doc, world, false);
    size_t end = ts_jpos_end(&L->doc, world);
    if (end < w->off || end > L->len)
        return ts_load_fail(L, TOKSIM_ERROR, world, false, "world",
                            "cannot locate the world section");
    w->len = end - w->off;
    const char *base = strrchr(L->where, '/');
    size_t need = strlen(sc->base_dir) + strlen(base ? base + 1 : L->where) + 2;
    w->path_for_loader = malloc(need);
    if (!w->path_for_loader)
        return TOKSIM_ENOMEM;
    ts_fmt(w->path_for_loader, need, "%s/%s", sc->base_dir, base ? base + 1 : L->where);
    /* The identity layer reads the section in place, with this file's positions. */
    toksim_status rc = ts_world_from_cjson(&w->world, world, &L->doc, w->path_for_loader,
                                           L->where, "world.", L->err);
    if (rc)
        return rc;
    const cJSON *objs = ts_jget(world, "objects");
    if (objs)
        return load_objects(L, w, objs);
    return TOKSIM_OK;
}

void ts_world_glue_free(ts_world_holder *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->nobjects; i++) {
        free(w->objects[i].path);
        free(w->objects[i].machine);
        toksim_sd_free(w->objects[i].sd);
        toksim_sd_free(w->objects[i].share_sd);
    }
    free(w->objects);
    toksim_world_free(w->world);
    free(w->path_for_loader);
    free(w);
}

toksim_status ts_world_glue_instantiate(const toksim_scenario *sc,
                                        struct toksim_world **out,
                                        toksim_error *err)
{
    /* A copy of the world the file loaded, not a second load of its text (issue 11):
     * the same accounts, policy and declarations, in the same order. */
    toksim_status rc = ts_world_copy(out, sc->world->world);
    return rc ? ts_error_set(err, rc, 0, "out of memory copying the world") : TOKSIM_OK;
}

toksim_status ts_world_glue_resolve(const ts_world_holder *w,
                                    const char *name,
                                    toksim_sid *out,
                                    toksim_error *err)
{
    if (!w || !w->world)
        return TOKSIM_ENOTFOUND;
    return toksim_world_resolve(w->world, name, out, err);
}

const ts_object *ts_world_glue_object(const ts_world_holder *w, const char *path)
{
    for (size_t i = 0; w && i < w->nobjects; i++)
        if (ts_strcasecmp(w->objects[i].path, path) == 0)
            return &w->objects[i];
    return NULL;
}
