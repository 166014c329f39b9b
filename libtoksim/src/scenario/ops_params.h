/*
 * PURPOSE: step parameters that several operation files read the same way (ops_params.c):
 * an SDDL string with the world's aliases, an RPC impersonation level by name, a
 * service's required privileges, and an error positioned at a parameter's value. One
 * reading per kind of parameter.
 */
#ifndef TS_OPS_PARAMS_H
#define TS_OPS_PARAMS_H

#include "scenario/run_int.h"

struct toksim_sd;

/**
 * The security descriptor of SDDL parameter `key`, aliases resolved against the world's
 * machine and domain; *out NULL when the step does not give it (caller frees with
 * toksim_sd_free). A bad string is a run error "KEY: reason (at byte N)".
 */
toksim_status ts_param_sd(toksim_run *run,
                          toksim_error *err,
                          const ts_step *st,
                          const char *key,
                          struct toksim_sd **out);

/**
 * ts_make_process() for a token the caller built and would free next: the process takes
 * `token` itself (no copy, issue 11); `token` is freed on every failure.
 */
toksim_status ts_make_process_owned(toksim_run *run,
                                    toksim_error *err,
                                    const char *name,
                                    const char *what,
                                    struct toksim_token *token,
                                    ts_named **out);

/**
 * A run error about parameter `key` (ts_run_fail's message, naming the step), positioned
 * at the parameter's value (file:line:col) rather than at the step. Returns code.
 */
toksim_status ts_param_fail(toksim_run *run,
                            toksim_error *err,
                            const ts_step *st,
                            const char *key,
                            toksim_status code,
                            const char *fmt,
                            ...) TS_PRINTF(6, 7);

/**
 * Resolve `name`, a value of parameter `key`, against the run's world (a world name, a
 * well-known name, an SDDL alias or a SID string); an unknown one is a ts_param_fail
 * naming it. */
toksim_status ts_param_sid(toksim_run *run,
                           toksim_error *err,
                           const ts_step *st,
                           const char *key,
                           const char *name,
                           toksim_sid *out);

/** RPC_C_IMP_LEVEL_* by name: default 0, anonymous 1, identify 2, impersonate 3, delegate
 * 4 (case-insensitive). false for another word. */
bool ts_parse_rpc_level(const char *s, int *out);

/**
 * A step's "required_privileges" (SERVICE_REQUIRED_PRIVILEGES_INFO) as LUIDs, names as
 * LookupPrivilegeValue takes them; *n 0 without the parameter. TOKSIM_ELIMIT past
 * TOKSIM_WORLD_MAX_REQUIRED_PRIVILEGES, TOKSIM_EPARSE with *bad the unknown name.
 */
toksim_status ts_step_required_privileges(const ts_step *st,
                                          uint32_t *luids,
                                          size_t *n,
                                          const char **bad);
#endif
