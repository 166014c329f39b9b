/*
 * PURPOSE: a scenario's model switches (model.c): loading the "model" member, the options
 * a run passes to the impersonation layer, and the line / JSON member the renderers show.
 */
#ifndef TS_MODEL_INT_H
#define TS_MODEL_INT_H

#include "scenario/scen_int.h"

struct toksim_imp_options;
struct ts_model;

/** Parse the top-level "model" object into sc (strict: known switch names, right type).
 */
toksim_status ts_model_load(ts_loader *L, toksim_scenario *sc, const cJSON *model);
void ts_model_free(struct ts_model *m);
/** The options every process and call of the run gets: NULL (the defaults) unless a
 * switch differs from its default. */
const struct toksim_imp_options *ts_run_model(const toksim_run *run);
/** Append `lead` and "check_session on (default off; UNCONFIRMED), ..." and a newline
 * when a switch differs from its default; false (nothing appended) otherwise. */
bool ts_model_text(ts_buf *b, const toksim_scenario *sc, const char *lead);
/** Add "model": [{switch, value, default, rule, unconfirmed}] to root when a switch
 * differs from its default. false on allocation failure. */
bool ts_model_json(cJSON *root, const toksim_scenario *sc);

#endif
