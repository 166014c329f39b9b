/*
 * PURPOSE: the world JSON loader and token->JSON for the scenario layer (private; the public
 * text-in/text-out entry points are in toksim/world_json.h). The scenario engine reuses these for
 * a scenario's "world" section and for showing tokens.
 */
#ifndef TOKSIM_SCENARIO_WORLD_JSON_H
#define TOKSIM_SCENARIO_WORLD_JSON_H

#include <cJSON.h>
#include "internal.h"

/**
 * Build a world from a parsed JSON object. `text`/`len` is the source the object was parsed from
 * (used to turn a JSON path into a line/column for errors; may be NULL), `path` names the file
 * (err->where, and the base directory of "policy_inf"), `json_prefix` is prepended to JSON paths
 * in messages (e.g. "world." when the object is a scenario's "world" member; may be NULL).
 * Unknown members (such as a scenario's "objects") are ignored.
 */
toksim_status ts_world_from_cjson(toksim_world **out, const cJSON *root, const char *text, size_t len,
                                  const char *path, const char *json_prefix, toksim_error *err);

/** A token as a cJSON object (caller owns it, cJSON_Delete). NULL on allocation failure. */
cJSON *ts_token_to_cjson(const toksim_token *tok, const toksim_world *world);

/**
 * Byte offset of the value at JSON path `jpath` ("users[2].groups[0]", "" = root) in text, or
 * (size_t)-1 when it cannot be found. Used to give semantic errors a line and column.
 */
size_t ts_json_locate(const char *text, size_t len, const char *jpath);
/** Line and column (1-based) of a byte offset. */
void ts_text_position(const char *text, size_t len, size_t offset, int *line, int *column);

#endif
