/*
 * PURPOSE: the application pools and services a scenario declares in its steps
 * (iis.app_pool.start, service.start), added to a copy of its world as world declarations
 * (world.h), so that a query over the scenario's world (toksim who-can, toksim paths)
 * builds the worker and service tokens the steps build: a pool run as SpecificUser is a
 * batch logon of that user, not the ApplicationPoolIdentity a bare pool name would get.
 * The first step naming a pool or service wins; a declaration of the world itself stays.
 */
#include <string.h>
#include "internal.h"
#include "scenario/ops_params.h"
#include "scenario/scen_int.h"
#include "toksim/iis.h"
#include "toksim/privilege.h"
#include "toksim/scm.h"
#include "toksim/world.h"

/* The position of a step for messages ("file:line:col: step "id" (op)"). */
static toksim_status step_fail(const toksim_scenario *sc,
                               const ts_step *st,
                               toksim_error *err,
                               toksim_status code,
                               const char *why)
{
    return ts_error_set_pos(
        err, code, st->offset, st->line, st->column, "%s: step \"%s\" (%s): %s",
        sc->where ? sc->where : "scenario", st->id ? st->id : "?", st->op->name, why);
}

static toksim_status
add_pool(const toksim_scenario *sc, const ts_step *st, toksim_world *w, toksim_error *err)
{
    toksim_world_pool d;
    memset(&d, 0, sizeof d);
    d.name = ts_step_str(st, "pool");
    if (!d.name || toksim_world_find_pool(w, d.name))
        return TOKSIM_OK;
    d.identity = ts_step_str(st, "identity");
    d.user = ts_step_str(st, "user");
    d.password = ts_step_str(st, "password");
    const ts_param *mg = ts_step_param(st, "manual_group_membership");
    d.manual_group_membership = mg && mg->b;
    toksim_error e = {0};
    toksim_iis_pool_config cfg; /* the one parser of a pool declaration (iis.h) */
    toksim_status rc = toksim_iis_pool_config_from_decl(&cfg, &d, &e);
    if (rc == TOKSIM_OK)
        rc = toksim_world_add_pool(w, &d, &e);
    return rc == TOKSIM_OK ? rc : step_fail(sc, st, err, rc, e.message);
}

static toksim_status add_service(const toksim_scenario *sc,
                                 const ts_step *st,
                                 toksim_world *w,
                                 toksim_error *err)
{
    toksim_world_service d;
    memset(&d, 0, sizeof d);
    d.name = ts_step_str(st, "service");
    if (!d.name || toksim_world_find_service(w, d.name))
        return TOKSIM_OK;
    d.account = ts_step_str(st, "account");
    d.password = ts_step_str(st, "password");
    d.sid_type = ts_step_str(st, "sid_type");
    uint32_t luids[TOKSIM_WORLD_MAX_REQUIRED_PRIVILEGES];
    const char *bad;
    toksim_status prc =
        ts_step_required_privileges(st, luids, &d.required_privilege_count, &bad);
    if (prc != TOKSIM_OK)
        return step_fail(sc, st, err, prc,
                         bad ? "required_privileges: unknown privilege name"
                             : "required_privileges: too many");
    d.required_privileges = luids;
    toksim_error e = {0};
    toksim_service_config cfg; /* the one parser of a service declaration (scm.h) */
    toksim_status rc = toksim_service_config_from_decl(&cfg, &d, &e);
    if (rc == TOKSIM_OK)
        rc = toksim_world_add_service(w, &d, &e);
    return rc == TOKSIM_OK ? rc : step_fail(sc, st, err, rc, e.message);
}

toksim_status
ts_scenario_step_decls(const toksim_scenario *sc, toksim_world *w, toksim_error *err)
{
    toksim_status rc = TOKSIM_OK;
    for (size_t i = 0; rc == TOKSIM_OK && i < sc->nsteps; i++) {
        const ts_step *st = &sc->steps[i];
        if (strcmp(st->op->name, "iis.app_pool.start") == 0)
            rc = add_pool(sc, st, w, err);
        else if (strcmp(st->op->name, "service.start") == 0)
            rc = add_service(sc, st, w, err);
    }
    return rc;
}
