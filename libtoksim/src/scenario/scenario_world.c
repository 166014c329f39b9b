/*
 * PURPOSE: the world a scenario loaded at parse time (before any step ran), a fresh copy
 * of it and its objects (for toksim who-can), for callers
 * that name SIDs or read the starting user-rights policy of a scenario (the browser
 * playground's policy what-if). Borrowed from the scenario.
 */
#include "scenario/scen_int.h"
#include "scenario/world_glue.h"

const toksim_world *toksim_scenario_world(const toksim_scenario *sc)
{
    return sc && sc->world ? sc->world->world : NULL;
}

toksim_status toksim_scenario_world_new(const toksim_scenario *sc,
                                        toksim_world **out,
                                        toksim_error *err)
{
    if (out)
        *out = NULL;
    if (!sc || !out || !sc->world)
        return TOKSIM_EINVAL;
    toksim_status rc = ts_world_glue_instantiate(sc, out, err);
    if (rc == TOKSIM_OK && (rc = ts_scenario_step_decls(sc, *out, err)) != TOKSIM_OK) {
        toksim_world_free(*out);
        *out = NULL;
    }
    return rc;
}

size_t toksim_scenario_object_count(const toksim_scenario *sc)
{
    return sc && sc->world ? sc->world->nobjects : 0;
}

bool toksim_scenario_object_at(const toksim_scenario *sc,
                               size_t i,
                               const char **path,
                               toksim_object_type *type,
                               const toksim_sd **sd,
                               const char **machine)
{
    if (i >= toksim_scenario_object_count(sc))
        return false;
    const ts_object *o = &sc->world->objects[i];
    if (path)
        *path = o->path;
    if (type)
        *type = o->type;
    if (sd)
        *sd = o->sd;
    if (machine)
        *machine = o->machine;
    return true;
}

const toksim_sd *toksim_scenario_object_share(const toksim_scenario *sc, size_t i)
{
    return i < toksim_scenario_object_count(sc) ? sc->world->objects[i].share_sd : NULL;
}
