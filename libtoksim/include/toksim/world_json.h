/*
 * PURPOSE: the JSON form of a world (docs/world-format.md) and of a token. Text in, text
 * out: the JSON library stays inside the scenario layer (which also reuses the loader for
 * a scenario's "world" section).
 *
 * Ownership: a loaded world is freed with toksim_world_free(); JSON text is malloc'd, the
 * caller frees it with free().
 */
#ifndef TOKSIM_WORLD_JSON_H
#define TOKSIM_WORLD_JSON_H

#include "common.h"
#include "world.h"
#include "token.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Caps on hostile world files. */
#define TOKSIM_WORLD_JSON_MAX_BYTES (64u << 20)

/**
 * Build a world from JSON text (`len` bytes, need not be NUL-terminated). `path` names
 * the file in errors and is the base for a relative "policy_inf" path (NULL = current
 * directory, no file name in errors). Errors carry the file name in err->where, the
 * 1-based line/column and what was wrong (JSON syntax, unknown field value, unknown
 * account in a membership, bad SID, INF errors of the referenced template). TOKSIM_EPARSE
 * / TOKSIM_ENOTFOUND / TOKSIM_ELIMIT / TOKSIM_EIO.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_world_from_json(toksim_world **out,
                                                                 const char *text,
                                                                 size_t len,
                                                                 const char *path,
                                                                 toksim_error *err);
/** Read `path` and call toksim_world_from_json(). TOKSIM_EIO when the file cannot be
 * read. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_world_load_file(toksim_world **out,
                                                                 const char *path,
                                                                 toksim_error *err);

/**
 * A token as JSON: user, groups (sid, name, type, attributes as number and words),
 * privileges (name, luid, attributes, enabled), integrity, type, level, owner, primary
 * group, auth_id, origin, session, elevation, linked token (one level). Names through
 * `world` (may be NULL). Deterministic.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_token_to_json(char **out,
                                                               const toksim_token *tok,
                                                               const toksim_world *world);

#ifdef __cplusplus
}
#endif
#endif
