/*
 * PURPOSE: the scenario operations of the web SSO policy server model (ops_sso.c) and the
 * per-run state they keep (the model and the names of its sessions), for the runner's
 * operation table and its clean-up.
 */
#ifndef TS_OPS_SSO_H
#define TS_OPS_SSO_H

#include "scenario/run_int.h"

struct ts_sso_run;
/** Free a run's SSO state (NULL accepted). */
void ts_sso_run_free(struct ts_sso_run *s);

toksim_status
ts_op_sso_directory(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_sso_domain(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_sso_realm(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_sso_policy(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_sso_login(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_sso_request(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status ts_op_sso_impersonate(toksim_run *,
                                    const ts_step *,
                                    toksim_step_result *,
                                    toksim_error *);
toksim_status ts_op_sso_impersonate_end(toksim_run *,
                                        const ts_step *,
                                        toksim_step_result *,
                                        toksim_error *);
toksim_status
ts_op_sso_advance(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);

#endif
