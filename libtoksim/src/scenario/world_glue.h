/*
 * PURPOSE: the scenario's "world" section: handed to the identity layer's JSON loader
 * (toksim_world_from_json) with its exact position in the scenario file, so its errors
 * point into the scenario; plus the local and remote objects (path, type, SDDL) the steps
 * open.
 */
#ifndef TS_WORLD_GLUE_H
#define TS_WORLD_GLUE_H

#include "scenario/scen_int.h"

struct toksim_world;

typedef struct ts_object {
    char *
        path; /* as declared: "C:\inetpub\wwwroot\site.css", "\\FS01\share\report.xlsx" */
    char
        *machine; /* NULL = the world's machine; else the machine that holds the object */
    toksim_object_type type;
    toksim_sd *sd;
    /* "share_sddl": the permissions of the SMB share it is reached through (read by
     * toksim who-can; steps do not check it), or NULL */
    toksim_sd *share_sd;
    size_t offset; /* of its declaration */
} ts_object;

typedef struct ts_world_holder {
    size_t off, len;       /* the world value as written in the file */
    char *path_for_loader; /* <base_dir>/<file name>: base of relative policy_inf paths */
    struct toksim_world *world; /* loaded once at parse time: names for checks and
                                 * stories; each run starts from a copy */
    ts_object *objects;
    size_t nobjects;
} ts_world_holder;

/** Load world + objects from the "world" object of a scenario. */
toksim_status ts_world_glue_load(ts_loader *L, toksim_scenario *sc, const cJSON *world);
void ts_world_glue_free(ts_world_holder *w);
/** A fresh world for one run (runs change the world: logon ids, policy steps): a copy of
 * the one loaded at parse time. */
toksim_status ts_world_glue_instantiate(const toksim_scenario *sc,
                                        struct toksim_world **out,
                                        toksim_error *err);
/** Resolve an account name as the world does (DOMAIN\name, BUILTIN\x, aliases, S-1-...).
 */
toksim_status ts_world_glue_resolve(const ts_world_holder *w,
                                    const char *name,
                                    toksim_sid *out,
                                    toksim_error *err);
/** The object declared with this path (case-insensitive, as Windows paths are), or NULL.
 */
const ts_object *ts_world_glue_object(const ts_world_holder *w, const char *path);

#endif
