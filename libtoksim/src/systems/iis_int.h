/*
 * PURPOSE: what the IIS request code (iis_request.c) needs from the pool code (iis.c).
 */
#ifndef TOKSIM_IIS_INT_H
#define TOKSIM_IIS_INT_H

#include "internal.h"

/** The w3wp process of a started pool, NULL when stopped (borrowed). */
toksim_process *ts_iis_pool_process(const toksim_iis_pool *pool);
/** IIS APPPOOL\<name> (borrowed). */
const toksim_sid *ts_iis_pool_sid(const toksim_iis_pool *pool);
/** Delegation configured for the pool identity and its allowed SPNs (borrowed). */
toksim_delegation ts_iis_pool_delegation(const toksim_iis_pool *pool,
                                         const char *const **spns,
                                         size_t *count);

#endif
