/*
 * PURPOSE: the world JSON loader and token->JSON for the scenario layer (private; the
 * public text-in/text-out entry points are in toksim/world_json.h). The scenario engine
 * reuses these for a scenario's "world" section and for showing tokens.
 */
#ifndef TOKSIM_SCENARIO_WORLD_JSON_H
#define TOKSIM_SCENARIO_WORLD_JSON_H

#include <cJSON.h>
#include "scenario/scen_int.h"

/**
 * Build a world from a parsed JSON object. `doc` is the document the object belongs to
 * (its nodes carry their positions; may be NULL: errors then carry no line), `path` is
 * the base of relative "policy_inf" paths, `where` names the file in err->where (NULL =
 * path), `json_prefix` is prepended to JSON paths in messages (e.g.
 * "world." when the object is a scenario's "world" member; may be NULL). An unknown
 * member is an error, except a scenario's "objects" and a "note".
 */
toksim_status ts_world_from_cjson(toksim_world **out,
                                  const cJSON *root,
                                  const ts_jdoc *doc,
                                  const char *path,
                                  const char *where,
                                  const char *json_prefix,
                                  toksim_error *err);

/** A token as a cJSON object (caller owns it, cJSON_Delete). NULL on allocation failure.
 */
cJSON *ts_token_to_cjson(const toksim_token *tok, const toksim_world *world);

#endif
