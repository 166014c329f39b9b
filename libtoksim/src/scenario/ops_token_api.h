/*
 * PURPOSE: the scenario operations of the token API (ops_token_api.c), for the op table
 * in run.c: GetTokenInformation, CreateRestrictedToken, IsTokenRestricted,
 * CheckTokenMembership, PrivilegeCheck, SetTokenInformation(TokenIntegrityLevel),
 * CreateProcessAsUser / CreateProcessWithTokenW.
 */
#ifndef TS_OPS_TOKEN_API_H
#define TS_OPS_TOKEN_API_H

#include "scenario/run_int.h"

toksim_status
ts_op_token_get_info(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_token_restrict(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status ts_op_token_is_restricted(toksim_run *,
                                        const ts_step *,
                                        toksim_step_result *,
                                        toksim_error *);
toksim_status ts_op_token_check_membership(toksim_run *,
                                           const ts_step *,
                                           toksim_step_result *,
                                           toksim_error *);
toksim_status ts_op_privilege_check(toksim_run *,
                                    const ts_step *,
                                    toksim_step_result *,
                                    toksim_error *);
toksim_status ts_op_token_set_integrity(toksim_run *,
                                        const ts_step *,
                                        toksim_step_result *,
                                        toksim_error *);
toksim_status ts_op_process_create_as_user(toksim_run *,
                                           const ts_step *,
                                           toksim_step_result *,
                                           toksim_error *);
#endif
