/*
 * PURPOSE: scenario operations of COM/DCOM activation, cloaking and the potato teaching
 * model (ops_com.c), for the operation table in run.c.
 */
#ifndef TOKSIM_SCENARIO_OPS_COM_H
#define TOKSIM_SCENARIO_OPS_COM_H
#include "scenario/run_int.h"

toksim_status
ts_op_com_activate(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_com_outcall(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_coerce_system(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);

#endif
