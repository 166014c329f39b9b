/* PURPOSE: the scenario operation token.adjust_groups (AdjustTokenGroups), for the op
 * table in run.c. */
#ifndef TS_OPS_TOKEN_GROUPS_H
#define TS_OPS_TOKEN_GROUPS_H

#include "scenario/run_int.h"

toksim_status ts_op_token_adjust_groups(toksim_run *,
                                        const ts_step *,
                                        toksim_step_result *,
                                        toksim_error *);

#endif
