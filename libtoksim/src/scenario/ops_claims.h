/*
 * PURPOSE: claims a scenario step gives the token it creates (issue 9): the logon op's
 * user_claims, device_claims and device_groups parameters (claim text of
 * toksim/claims.h).
 */
#ifndef TOKSIM_SCENARIO_OPS_CLAIMS_H
#define TOKSIM_SCENARIO_OPS_CLAIMS_H
#include "scenario/run_int.h"

/** Add the step's claims to tok (replacing claims of the same name the world gave it);
 * a bad claim fails the run at the parameter's file:line:col. */
toksim_status ts_step_add_claims(toksim_run *run,
                                 const ts_step *st,
                                 toksim_token *tok,
                                 toksim_error *err);
#endif
