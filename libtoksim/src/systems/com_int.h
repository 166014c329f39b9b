/*
 * PURPOSE: what the COM call engine (com.c) needs from the WMI hosting code (wmi.c).
 */
#ifndef TOKSIM_COM_INT_H
#define TOKSIM_COM_INT_H

#include "internal.h"

/** Built-in account of a WmiPrvSE hosting model; TOKSIM_EINVAL for SelfHost/Decoupled. */
toksim_status ts_wmi_builtin_for(toksim_builtin_account *out, toksim_wmi_hosting hosting);
/** The WMI service (winmgmt) token: LocalSystem from the world. Caller frees. */
toksim_status ts_wmi_service_token(toksim_token **out,
                                   toksim_world *world,
                                   toksim_trace *trace,
                                   toksim_error *err);

#endif
