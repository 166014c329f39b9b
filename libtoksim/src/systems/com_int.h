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

/**
 * The namespace check (wmi_connect.c): AccessCheck of the client's token, made an
 * impersonation token at `level`, for WBEM_ENABLE (| WBEM_REMOTE_ACCESS when remote);
 * traces wmi.namespace.ok / .denied. *ok and *granted receive the outcome.
 */
toksim_status ts_wmi_namespace_check(bool *ok,
                                     uint32_t *granted,
                                     const toksim_token *client,
                                     toksim_imp_level level,
                                     bool remote,
                                     const toksim_sd *sd,
                                     const char *name,
                                     toksim_trace *trace);

#endif
