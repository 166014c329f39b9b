/*
 * PURPOSE: the world a scenario loaded at parse time (before any step ran), for callers
 * that name SIDs or read the starting user-rights policy of a scenario (the browser
 * playground's policy what-if). Borrowed from the scenario.
 */
#include "scenario/scen_int.h"
#include "scenario/world_glue.h"

const toksim_world *toksim_scenario_world(const toksim_scenario *sc)
{
    return sc && sc->world ? sc->world->world : NULL;
}
